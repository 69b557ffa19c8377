//! BuildKit's build cache records: step keys, the `regular` records' lookup and the
//! `source.local` records for the context, the Dockerfile and the .dockerignore transfers.

use super::Run;
use crate::build::progress::Vertex;
use crate::docker::units::human_size4;
use crate::engine::sim::Ctx;
use crate::store::{CacheRecord, Digest};

impl Run {
    pub(super) fn records_have(&self, ctx: &Ctx<'_>, key: &str) -> bool {
        ctx.state.build_cache.iter().any(|r| r.key == key)
            || self.records.iter().any(|r| r.key == key)
    }

    /// The build context's `source.local` record, counted once per build.
    pub(super) fn note_context(&mut self, ctx: &mut Ctx<'_>) {
        if self
            .trace
            .vertices
            .iter()
            .any(|v| v.name == "[internal] load build context")
        {
            if let Some(v) = self
                .trace
                .vertices
                .iter_mut()
                .find(|v| v.name == "[internal] load build context")
            {
                v.statuses[0].id = format!(
                    "transferring context: {}",
                    human_size4(self.context_transfer as f64)
                );
            }
            return;
        }
        self.context_stage_from = self.stage_from;
        self.trace
            .push(Vertex::new("[internal] load build context", 0).status(
                format!(
                    "transferring context: {}",
                    human_size4(self.context_transfer as f64)
                ),
                0,
            ));
        self.note_source(ctx, "context", 0, None);
    }

    /// The `regular` record of a base image's snapshot (a FROM, or a `COPY --from=IMAGE`):
    /// BuildKit keeps the image it resolved in its cache, holding its layers, once per base.
    pub(super) fn note_pulled_base(
        &mut self,
        ctx: &mut Ctx<'_>,
        full: &str,
        id: &Digest,
        manifest: Option<&Digest>,
        top: Option<&Digest>,
    ) {
        let key = crate::engine::sim::buildkit::base_key(full, id, manifest);
        if self.records_have(ctx, &key) {
            return;
        }
        let now = crate::docker::units::rfc3339_nano(ctx.now);
        self.records.push(CacheRecord {
            id: cache_id(ctx),
            key,
            kind: "regular".to_owned(),
            description: format!(
                "pulled from {}",
                manifest.map_or_else(|| full.to_owned(), |m| format!("{full}@{m}"))
            ),
            size: 0,
            created: now.clone(),
            last_used: now,
            usage_count: 1,
            layer: top.cloned(),
            shared: true,
            in_use: false,
        });
    }

    /// BuildKit numbers vertices as their progress first shows: the context transfer, which
    /// starts with the build, shows before a FROM that downloads or loads a cached snapshot, and
    /// after a FROM that is only resolved (`DONE 0.0s` at once). Called once the steps are walked.
    pub(super) fn context_vertex_placed(&mut self) {
        let Some(from) = self.context_stage_from else {
            return;
        };
        let Some(at) = self
            .trace
            .vertices
            .iter()
            .position(|v| v.name == "[internal] load build context")
        else {
            return;
        };
        let slow = self
            .trace
            .vertices
            .get(from)
            .is_some_and(|v| v.cached || !v.statuses.is_empty());
        if slow && at > from {
            let v = self.trace.vertices.remove(at);
            self.trace.vertices.insert(from, v);
        }
    }

    /// A `source.local` record: BuildKit keeps one per context directory for the Dockerfile,
    /// the .dockerignore and the context transfers, reused by later builds from there. Its size
    /// is what the first transfer synced (the files' bytes); a reuse does not change it.
    /// `content`: a fingerprint of what is sent, kept in the key after the record's own part;
    /// true when a previous build sent the same.
    pub(super) fn note_source(
        &mut self,
        ctx: &mut Ctx<'_>,
        what: &str,
        size: u64,
        content: Option<&str>,
    ) -> bool {
        let own = key_of(&[what, &self.root.to_string_lossy()]);
        let key = match content {
            Some(c) => format!("{own} {c}"),
            None => own.clone(),
        };
        let now = crate::docker::units::rfc3339_nano(ctx.now);
        let mine = |r: &CacheRecord| r.key.split(' ').next() == Some(own.as_str());
        if let Some(r) = ctx.state.build_cache.iter_mut().find(|r| mine(r)) {
            let unchanged = r.key == key;
            r.usage_count += 1;
            r.last_used = now;
            r.key = key;
            return unchanged;
        }
        if self.records.iter().any(mine) {
            return false;
        }
        let rid = cache_id(ctx);
        self.records.push(CacheRecord {
            id: rid,
            key,
            kind: "source.local".to_owned(),
            description: format!("local source for {what}"),
            size,
            created: now.clone(),
            last_used: now,
            usage_count: 1,
            layer: None,
            shared: false,
            in_use: false,
        });
        false
    }

    /// The bytes a COPY/ADD synced from the context: the context record of this build grows.
    pub(super) fn note_context_bytes(&mut self, bytes: u64) {
        let key = key_of(&["context", &self.root.to_string_lossy()]);
        if let Some(r) = self.records.iter_mut().find(|r| r.key == key) {
            r.size += bytes;
        }
    }
}

pub(super) fn key_of(parts: &[&str]) -> String {
    Digest::of(parts.join("\n").as_bytes()).hex().to_owned()
}

pub(super) enum CachedStep {
    /// BuildKit: a cache record's layer and when it was made.
    Layer(Digest, String),
    /// Legacy builder: an intermediate image.
    Image(Digest),
}

/// A BuildKit-style record ID (25 lower-case letters and digits).
pub(super) fn cache_id(ctx: &mut Ctx<'_>) -> String {
    let hex = ctx.new_id("cache");
    base36(&hex, 25)
}

pub(super) fn base36(hex: &str, n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    hex.as_bytes()
        .chunks(2)
        .take(n)
        .map(|c| {
            let v = u8::from_str_radix(std::str::from_utf8(c).unwrap_or("0"), 16).unwrap_or(0);
            ALPHABET[usize::from(v) % ALPHABET.len()] as char
        })
        .collect()
}
