//! COPY/ADD planning for `--from`: files read back from a stage's or an image's layers into
//! a layer plan.

use std::collections::BTreeMap;

use super::{Base, Run};
use crate::build::dockerfile;
use crate::build::layer::{self, Plan};
use crate::docker::reference::Reference;
use crate::engine::sim::buildkit;
use crate::engine::sim::pull::pull_reference;
use crate::engine::sim::Ctx;
use crate::store::{Digest, StoreError};

impl Run {
    /// COPY --from=stage|image: files read back from that image's layers.
    pub(super) fn plan_copy_from(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: &str,
        sources: &[String],
        dest: &str,
        workdir: &str,
    ) -> Result<Result<Plan, String>, StoreError> {
        let base = if let Ok(n) = from.parse::<usize>() {
            self.stages.get(&n).cloned()
        } else {
            None
        };
        let base = match base {
            Some(b) => b,
            None => {
                // A named stage: stages are stored by index, names are looked up by the caller's
                // dockerfile; fall back to an image reference.
                let found = self
                    .stages_by_name
                    .get(from)
                    .and_then(|i| self.stages.get(i))
                    .cloned();
                match found {
                    Some(b) => b,
                    None => {
                        let Ok(r) = Reference::parse(from) else {
                            return Ok(Err(format!(
                                "ERROR: failed to solve: invalid from flag value {from}\n"
                            )));
                        };
                        let full = r.with_default_tag();
                        let name = full.full_string();
                        let legacy = self.legacy();
                        let cached = if legacy {
                            None
                        } else {
                            buildkit::cached_base(&ctx.state, &name)
                                .filter(|(id, _, _)| ctx.config(id).is_ok())
                        };
                        let (id, chains) = if let Some(id) = ctx.state.refs.get(&name).cloned() {
                            let chains = ctx.state.images[&id].layers.clone();
                            (id, chains)
                        } else if let Some((id, _, top)) = cached {
                            (id, buildkit::chain_of(&ctx.state, &top))
                        } else {
                            let refs_before = ctx.state.refs.clone();
                            let images_before: std::collections::BTreeSet<Digest> =
                                ctx.state.images.keys().cloned().collect();
                            match pull_reference(ctx, &full)? {
                                Ok(p) => {
                                    let record = ctx.state.images[&p.id].clone();
                                    if !legacy {
                                        // As for FROM: BuildKit pulls into its own cache, so the
                                        // image store gets neither the image nor its tag (the
                                        // classic builder pulls and tags it, as `docker pull`).
                                        ctx.state.refs = refs_before;
                                        if !images_before.contains(&p.id) {
                                            ctx.state.images.remove(&p.id);
                                        }
                                        self.note_pulled_base(
                                            ctx,
                                            &name,
                                            &p.id,
                                            record.manifest.as_ref(),
                                            record.layers.last(),
                                        );
                                    }
                                    (p.id, record.layers)
                                }
                                Err(m) => return Ok(Err(format!("ERROR: failed to solve: {m}\n"))),
                            }
                        };
                        Base {
                            config: ctx.config(&id)?,
                            chains,
                            id: Some(id),
                            key: String::new(),
                        }
                    }
                }
            }
        };
        Ok(copy_from_layers(ctx, &base, sources, dest, workdir))
    }
}

/// Files of `base`'s layers under `sources`, as a plan for `dest` (the contents are read into
/// memory: stage outputs are small in labs).
fn copy_from_layers(
    ctx: &Ctx<'_>,
    base: &Base,
    sources: &[String],
    dest: &str,
    workdir: &str,
) -> Result<Plan, String> {
    use std::io::Read as _;
    let mut files: BTreeMap<String, layer::Entry> = BTreeMap::new();
    for diff in &base.config.rootfs.diff_ids {
        let Ok(f) = ctx.store.blob_file(diff) else {
            continue;
        };
        let mut archive = tar::Archive::new(f);
        let Ok(entries) = archive.entries() else {
            continue;
        };
        for e in entries.flatten() {
            let mut e = e;
            let Ok(path) = e
                .path()
                .map(|p| p.to_string_lossy().trim_end_matches('/').to_owned())
            else {
                continue;
            };
            let mode = e.header().mode().unwrap_or(0o644);
            let kind = e.header().entry_type();
            let source = if kind.is_dir() {
                layer::Source::Dir
            } else if kind.is_symlink() {
                layer::Source::Symlink(
                    e.link_name()
                        .ok()
                        .flatten()
                        .map(|l| l.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            } else {
                let mut buf = Vec::new();
                if e.read_to_end(&mut buf).is_err() {
                    continue;
                }
                layer::Source::Bytes(buf)
            };
            let size = match &source {
                layer::Source::Bytes(b) => b.len() as u64,
                layer::Source::Symlink(t) => t.len() as u64,
                _ => 0,
            };
            files.insert(
                path.clone(),
                layer::Entry {
                    path,
                    source,
                    mode,
                    mtime: 0,
                    mtime_nsec: 0,
                    size,
                },
            );
        }
    }
    let dest_abs = if dest.starts_with('/') {
        dest.to_owned()
    } else {
        format!("{}/{dest}", workdir.trim_end_matches('/'))
    };
    let dest_rel = dockerfile::clean_path(&dest_abs)
        .trim_start_matches('/')
        .to_owned();
    let dest_is_dir = dest.ends_with('/') || sources.len() > 1;
    let mut plan = Plan::default();
    for s in sources {
        let key = crate::build::context::source_key(s);
        let src = key.trim_start_matches('/');
        let mut any = false;
        for (p, e) in &files {
            let rel = if p == src {
                if matches!(e.source, layer::Source::Dir) {
                    continue;
                }
                any = true;
                let name = p.rsplit('/').next().unwrap_or(p);
                if dest_is_dir {
                    format!("{dest_rel}/{name}")
                } else {
                    dest_rel.clone()
                }
            } else if let Some(rest) = p.strip_prefix(&format!("{src}/")).or(if src.is_empty() {
                Some(p.as_str())
            } else {
                None
            }) {
                any = true;
                format!("{dest_rel}/{rest}")
                    .trim_start_matches('/')
                    .to_owned()
            } else {
                continue;
            };
            let mut e = e.clone();
            e.path = rel;
            plan.shown_size += if matches!(e.source, layer::Source::Dir) {
                0
            } else {
                e.size
            };
            plan.sources_key
                .push_str(&format!("{}:{}\n", e.path, e.size));
            plan.entries.push(e);
        }
        if !any {
            return Err(crate::docker::errors::BuildError::KitCopyMissing {
                reference: None,
                key: key.clone(),
            }
            .line(true));
        }
    }
    let mut acc = String::new();
    let comps: Vec<&str> = dest_rel.split('/').filter(|c| !c.is_empty()).collect();
    let n = if dest_is_dir || plan.entries.len() > 1 {
        comps.len()
    } else {
        comps.len().saturating_sub(1)
    };
    for c in &comps[..n] {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(c);
        plan.entries.push(layer::Entry {
            path: acc.clone(),
            source: layer::Source::Dir,
            mode: 0o755,
            mtime: 0,
            mtime_nsec: 0,
            size: 0,
        });
    }
    plan.entries.sort_by(|a, b| a.path.cmp(&b.path));
    plan.entries.dedup_by(|a, b| a.path == b.path);
    Ok(plan)
}
