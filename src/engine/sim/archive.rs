//! `docker save` and `docker load`: image archives as Docker 25+ writes them (an OCI layout
//! plus the legacy `manifest.json`, which older daemons read), and loading both that format and
//! the legacy one of Docker ≤ 24 (`<id>/layer.tar`, `<id>.json`, `manifest.json`).
//!
//! Loading never trusts the archive: a first pass reads headers only and refuses entries that
//! would leave the archive (`..`, absolute names, links pointing outside), oversized metadata
//! headers and non-tar input; a second pass streams the blobs the manifest names into the store
//! and checks each against its digest. The state is changed only when everything checked out,
//! and blobs written by a failed load are removed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::{Ctx, Outcome};
use crate::docker::cli::Invocation;
use crate::docker::reference::Reference;
use crate::store::{chain_ids, Digest, ImageConfig, ImageRecord, LayerRecord, StoreError};

/// Longest entry name accepted (Linux's `PATH_MAX`).
const MAX_NAME: usize = 4096;
/// Largest metadata entry (PAX header, GNU long name, manifest.json, index.json, config).
const MAX_METADATA: u64 = 8 << 20;

/// `docker save [OPTIONS] IMAGE [IMAGE...]`
pub(super) fn save(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if inv.args.is_empty() {
        return Ok(super::usage_error(inv, "requires at least 1 argument"));
    }
    let Some(output) = inv.flags.value("output") else {
        return Ok(Outcome::error(
            "docklab: writing the archive to standard output is not simulated; use -o FILE\n",
            1,
        ));
    };
    let mut images: Vec<(Digest, Vec<String>)> = Vec::new();
    for name in &inv.args {
        // A bare repository name saves every tag of it (moby `tarexporter.parseNames`).
        if let Ok(r) = Reference::parse(name) {
            if r.tag().is_none() && r.digest().is_none() && !name.starts_with("sha256:") {
                let prefix = format!("{}:", r.name());
                let tagged: Vec<(String, Digest)> = ctx
                    .state
                    .refs
                    .iter()
                    .filter(|(full, _)| full.starts_with(&prefix))
                    .map(|(full, id)| (full.clone(), id.clone()))
                    .collect();
                let found = !tagged.is_empty();
                for (full, id) in tagged {
                    let familiar = Reference::parse(&full)
                        .map(|r| r.familiar_string())
                        .unwrap_or(full);
                    match images.iter_mut().find(|(i, _)| *i == id) {
                        Some((_, t)) => t.push(familiar),
                        None => images.push((id, vec![familiar])),
                    }
                }
                if found {
                    continue;
                }
            }
        }
        let id = match ctx.find_image(name) {
            Ok(id) => id,
            // The daemon names the image as it was given.
            Err(super::Lookup::NotFound(_)) => {
                return Ok(Outcome::daemon_error(
                    crate::docker::errors::DockerError::NoSuchImage {
                        reference: name.clone(),
                    }
                    .message(),
                ))
            }
            Err(e) => return Ok(Outcome::daemon_error(e.message())),
        };
        let tags: Vec<String> = match Reference::parse(name) {
            Ok(r)
                if !name.starts_with("sha256:")
                    && ctx
                        .state
                        .refs
                        .contains_key(&r.clone().with_default_tag().full_string()) =>
            {
                vec![r.with_default_tag().familiar_string()]
            }
            _ => Vec::new(),
        };
        match images.iter_mut().find(|(i, _)| *i == id) {
            Some((_, t)) => t.extend(tags),
            None => images.push((id, tags)),
        }
    }
    let Ok(path) = ctx.path_for_write(output) else {
        return Ok(Outcome::error(String::new(), 1));
    };
    let io_err = |e: std::io::Error| StoreError::io_at(path.clone(), e);
    // Written beside the target and renamed over it at the end, as docker/cli's `CopyToFile`:
    // a failure midway (full disk) leaves an existing file whole.
    let mut out = crate::atomic::AtomicFile::create(&path).map_err(io_err)?;
    let mut tar = tar::Builder::new(out.file());
    tar.mode(tar::HeaderMode::Deterministic);
    let mut written = BTreeSet::new();
    let mut manifest_json = Vec::new();
    let mut index_manifests = Vec::new();
    let mut add_blob = |tar: &mut tar::Builder<&mut File>, d: &Digest| -> Result<(), StoreError> {
        if !written.insert(d.clone()) {
            return Ok(());
        }
        let mut f = ctx.store.blob_file(d)?;
        let len = f.metadata().map_err(io_err)?.len();
        let mut header = tar::Header::new_ustar();
        header.set_size(len);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, format!("blobs/sha256/{}", d.hex()), &mut f)
            .map_err(io_err)
    };
    for (id, tags) in &images {
        let config: ImageConfig = ctx.config(id)?;
        add_blob(&mut tar, id)?;
        for d in &config.rootfs.diff_ids {
            add_blob(&mut tar, d)?;
        }
        let record = &ctx.state.images[id];
        if let Some(m) = &record.manifest {
            add_blob(&mut tar, m)?;
            for t in tags {
                let full = Reference::parse(t)
                    .map(|r| r.full_string())
                    .unwrap_or_default();
                index_manifests.push(serde_json::json!({
                    "mediaType": crate::store::MEDIA_MANIFEST, "digest": m.to_string(), "size": record.manifest_size,
                    "annotations": {"io.containerd.image.name": full, "org.opencontainers.image.ref.name": t.rsplit(':').next().unwrap_or("latest")}
                }));
            }
            if tags.is_empty() {
                index_manifests.push(serde_json::json!({
                    "mediaType": crate::store::MEDIA_MANIFEST, "digest": m.to_string(), "size": record.manifest_size
                }));
            }
        }
        manifest_json.push(serde_json::json!({
            "Config": format!("blobs/sha256/{}", id.hex()),
            "RepoTags": if tags.is_empty() { serde_json::Value::Null } else { serde_json::json!(tags) },
            "Layers": config.rootfs.diff_ids.iter().map(|d| format!("blobs/sha256/{}", d.hex())).collect::<Vec<_>>(),
        }));
    }
    let mut small = |name: &str, bytes: &[u8]| -> Result<(), StoreError> {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, name, bytes).map_err(io_err)
    };
    small("index.json", &serde_json::to_vec(&serde_json::json!({"schemaVersion": 2, "mediaType": crate::store::MEDIA_INDEX, "manifests": index_manifests})).expect("json"))?;
    small(
        "manifest.json",
        &serde_json::to_vec(&manifest_json).expect("json"),
    )?;
    small("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
    tar.into_inner().map_err(io_err)?;
    out.commit().map_err(io_err)?;
    Ok(Outcome::default())
}

/// Why an archive is refused. The message may quote the archive's own strings (entry names,
/// manifest paths, tags): their control characters are escaped, never sent to the terminal.
fn refuse(message: impl std::fmt::Display) -> Outcome {
    let message = message.to_string();
    Outcome::daemon_error(format!(
        "docklab refused the archive: {}",
        crate::docker::reference::escape_controls(&message)
    ))
}

/// One entry of the archive, from the first pass.
#[derive(Debug, Clone)]
enum Node {
    File { offset: u64, size: u64 },
    Link(String),
    Dir,
}

/// Normalises an entry name; `None` when it would leave the archive.
fn clean_name(name: &str) -> Option<String> {
    if name.starts_with('/') || name.len() > MAX_NAME {
        return None;
    }
    let mut out: Vec<&str> = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." => {}
            ".." => return None,
            c => out.push(c),
        }
    }
    Some(out.join("/"))
}

/// Resolves a link target relative to the link's directory, inside the archive.
fn resolve_link(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for c in target.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// `docker load [OPTIONS]`
#[allow(
    clippy::too_many_lines,
    reason = "docker load in Docker's order (read, verify, import, tag), each step using the last one's values"
)]
pub(super) fn load(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    let Some(input) = inv.flags.value("input") else {
        return Ok(Outcome::error(
            "docklab: reading the archive from standard input is not simulated; use -i FILE\n",
            1,
        ));
    };
    let Ok(path) = ctx.path(input) else {
        return Ok(Outcome::error(String::new(), 1));
    };
    // A FIFO or a device would block or never end: only a regular file is opened.
    let mut file = match crate::regular_file::open(&path) {
        Ok(f) => f,
        Err(e @ crate::regular_file::ReadError::NotRegular { .. }) => {
            return Ok(refuse(format!("{input}: {e}")));
        }
        Err(_) => {
            return Ok(Outcome::error(
                format!(
                    "open {}: no such file or directory\n",
                    crate::docker::reference::escape_controls(input)
                ),
                1,
            ));
        }
    };
    // Pass 1: headers only.
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    {
        let mut archive = tar::Archive::new(&mut file);
        let entries = match archive.entries_with_seek() {
            Ok(e) => e,
            Err(e) => return Ok(refuse(format!("not a tar archive: {e}"))),
        };
        let mut count = 0;
        for entry in entries.raw(true) {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => return Ok(refuse(format!("not a valid tar archive: {e}"))),
            };
            count += 1;
            let kind = entry.header().entry_type();
            let size = entry.header().entry_size().unwrap_or(u64::MAX);
            if kind.is_gnu_longname()
                || kind.is_gnu_longlink()
                || kind.is_pax_local_extensions()
                || kind.is_pax_global_extensions()
            {
                if size > MAX_METADATA {
                    return Ok(refuse(format!("a metadata header of {size} bytes")));
                }
                continue;
            }
            let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(name) = clean_name(&raw_name) else {
                return Ok(refuse(format!(
                    "the entry {raw_name:?} would be written outside the target"
                )));
            };
            let node = if kind.is_dir() {
                Node::Dir
            } else if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                let resolved = if kind.is_hard_link() {
                    clean_name(&target)
                } else {
                    resolve_link(&name, &target)
                };
                let Some(resolved) = resolved else {
                    return Ok(refuse(format!(
                        "the link {raw_name:?} points outside the archive ({target:?})"
                    )));
                };
                Node::Link(resolved)
            } else if kind.is_file() {
                Node::File {
                    offset: entry.raw_file_position(),
                    size,
                }
            } else {
                return Ok(refuse(format!(
                    "the entry {raw_name:?} is not a file, directory or link"
                )));
            };
            nodes.insert(name, node);
        }
        if count == 0 {
            return Ok(refuse("empty or not a tar archive"));
        }
    }
    // Any archive must end where its headers say: a truncated one is refused.
    let end = file
        .seek(SeekFrom::End(0))
        .map_err(|e| StoreError::io_at(path.clone(), e))?;
    for n in nodes.values() {
        if let Node::File { offset, size } = n {
            if offset.saturating_add(*size) > end {
                return Ok(refuse("the archive is truncated"));
            }
        }
    }
    let find = |name: &str| -> Option<(u64, u64)> {
        let mut name = clean_name(name)?;
        for _ in 0..40 {
            match nodes.get(&name)? {
                Node::File { offset, size } => return Some((*offset, *size)),
                Node::Link(t) => name = t.clone(),
                Node::Dir => return None,
            }
        }
        None
    };
    let read_small = |file: &mut File, name: &str| -> Option<Vec<u8>> {
        let (offset, size) = find(name)?;
        if size > MAX_METADATA {
            return None;
        }
        let mut buf = vec![0; usize::try_from(size).ok()?];
        file.seek(SeekFrom::Start(offset)).ok()?;
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Entry {
        config: String,
        #[serde(default)]
        repo_tags: Option<Vec<String>>,
        layers: Vec<String>,
    }
    let Some(manifest) = read_small(&mut file, "manifest.json") else {
        return Ok(refuse("no manifest.json"));
    };
    let entries: Vec<Entry> = match serde_json::from_slice(&manifest) {
        Ok(e) => e,
        Err(e) => return Ok(refuse(format!("manifest.json: {e}"))),
    };
    // Pass 2: blobs into the store, each checked.
    let before: BTreeSet<Digest> = BTreeSet::new();
    let mut new_blobs: Vec<Digest> = Vec::new();
    // (ID, tags, diff IDs, shown sizes, config)
    #[allow(clippy::type_complexity)]
    let mut loaded: Vec<(Digest, Vec<String>, Vec<Digest>, Vec<u64>, ImageConfig)> = Vec::new();
    let fail = |ctx: &Ctx<'_>, blobs: &[Digest], msg: String| -> Result<Outcome, StoreError> {
        let _ = &before;
        ctx.store.remove_blobs(
            blobs
                .iter()
                .filter(|b| !ctx.state.live_blobs().contains(*b)),
        )?;
        Ok(refuse(msg))
    };
    for e in &entries {
        let Some(config_bytes) = read_small(&mut file, &e.config) else {
            return fail(ctx, &new_blobs, format!("missing config {}", e.config));
        };
        let config: ImageConfig = match serde_json::from_slice(&config_bytes) {
            Ok(c) => c,
            Err(err) => return fail(ctx, &new_blobs, format!("config {}: {err}", e.config)),
        };
        if config.rootfs.diff_ids.len() != e.layers.len() {
            return fail(
                ctx,
                &new_blobs,
                "the manifest and the config disagree on the layers".to_owned(),
            );
        }
        let mut sizes = Vec::new();
        for (layer, diff) in e.layers.iter().zip(&config.rootfs.diff_ids) {
            let Some((offset, size)) = find(layer) else {
                return fail(ctx, &new_blobs, format!("missing layer {layer}"));
            };
            let existed = ctx.store.has_blob(diff);
            file.seek(SeekFrom::Start(offset))
                .map_err(|err| StoreError::io_at(path.clone(), err))?;
            let (digest, _) = ctx.store.put_blob_from(&mut (&mut file).take(size))?;
            if !existed && !new_blobs.contains(&digest) {
                new_blobs.push(digest.clone());
            }
            if &digest != diff {
                return fail(ctx, &new_blobs, format!("layer {layer} has digest {digest}, its config says {diff} (compressed layers are not supported)"));
            }
            sizes.push(
                crate::catalog::layer_size(&digest).unwrap_or_else(|| shown_size(ctx, &digest)),
            );
        }
        // The config is a blob too: a later entry that fails must take it away with the rest.
        let config_digest = Digest::of(&config_bytes);
        let existed = ctx.store.has_blob(&config_digest);
        let id = ctx.store.put_blob(&config_bytes)?;
        if !existed && !new_blobs.contains(&id) {
            new_blobs.push(id.clone());
        }
        loaded.push((
            id,
            e.repo_tags.clone().unwrap_or_default(),
            config.rootfs.diff_ids.clone(),
            sizes,
            config,
        ));
    }
    // Everything checked: record the images.
    let mut out = Outcome::default();
    for (id, tags, diffs, sizes, config) in loaded {
        let chains = chain_ids(&diffs);
        for (i, chain) in chains.iter().enumerate() {
            ctx.state
                .layers
                .entry(chain.clone())
                .or_insert_with(|| LayerRecord {
                    diff_id: diffs[i].clone(),
                    parent: i.checked_sub(1).map(|p| chains[p].clone()),
                    size: sizes[i],
                });
        }
        ctx.state
            .images
            .entry(id.clone())
            .or_insert_with(|| ImageRecord {
                created: config.created.clone(),
                layers: chains,
                manifest: None,
                manifest_size: 0,
                parent: None,
                last_tag_time: None,
                seq: 0,
                size: None,
            });
        if tags.is_empty() {
            out.stdout.push_str(&format!("Loaded image ID: {id}\n"));
        }
        for t in tags {
            let Ok(r) = Reference::parse(&t) else {
                continue;
            };
            let r = r.with_default_tag();
            if let Some(old) = ctx.state.refs.insert(r.full_string(), id.clone()) {
                if old != id {
                    out.stdout.push_str(&format!(
                        "The image {} already exists, renaming the old one with ID {old} to empty string\n",
                        r.familiar_string()
                    ));
                }
            }
            out.stdout
                .push_str(&format!("Loaded image: {}\n", r.familiar_string()));
        }
        ctx.touch();
    }
    // `--quiet` hides the progress only: the `Loaded image` lines still come.
    Ok(out)
}

/// The size Docker shows for a stored layer: its files' sizes and its links' target lengths.
fn shown_size(ctx: &Ctx<'_>, diff: &Digest) -> u64 {
    let Ok(f) = ctx.store.blob_file(diff) else {
        return 0;
    };
    let mut archive = tar::Archive::new(f);
    let Ok(entries) = archive.entries_with_seek() else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let h = e.header();
            if h.entry_type().is_file() {
                h.entry_size().unwrap_or(0)
            } else if h.entry_type().is_symlink() {
                e.link_name_bytes().map_or(0, |b| b.len() as u64)
            } else {
                0
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sim::SimEngine;
    use crate::engine::{Clock, Engine, ExecContext, NoInput};

    /// A tar of `(name, bytes)` files.
    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, bytes) in files {
            let mut h = tar::Header::new_ustar();
            h.set_size(bytes.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            b.append_data(&mut h, name, *bytes).expect("in memory");
        }
        b.into_inner().expect("in memory")
    }

    fn config(diff: &str) -> Vec<u8> {
        format!(r#"{{"architecture":"amd64","config":{{}},"created":"2025-01-01T00:00:00Z","history":[],"os":"linux","rootfs":{{"type":"layers","diff_ids":["{diff}"]}}}}"#).into_bytes()
    }

    /// `docker load -i ARCHIVE` on a fresh store: (exit code, stderr, blobs left).
    fn load_into_empty_store(archive: &[u8]) -> (i32, String, usize) {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("in.tar");
        std::fs::write(&input, archive).expect("write");
        let store = dir.path().join("store");
        let mut engine = SimEngine::new(
            store.clone(),
            Clock::frozen("2025-10-29T12:00:00Z".parse().expect("a time")),
        );
        let args = ["load", "-i", input.to_str().expect("UTF-8")].map(str::to_owned);
        let out = engine
            .exec(&ExecContext::new(&args), &mut NoInput)
            .expect("the store works");
        let blobs = std::fs::read_dir(store.join("blobs/sha256")).map_or(0, Iterator::count);
        (out.exit_code, out.stderr, blobs)
    }

    /// Found by `scripts/fuzz 300 archive`: when the second image of an archive was refused,
    /// the first one's config blob stayed in the store.
    #[test]
    fn a_refused_archive_takes_away_every_blob_it_wrote() {
        let layer = tar_of(&[("hello", b"hi\n")]);
        let good = config(&Digest::of(&layer).to_string());
        let bad = config(&format!("sha256:{}", "0".repeat(64)));
        let manifest = br#"[{"Config":"c1.json","RepoTags":["a:1"],"Layers":["l.tar"]},
            {"Config":"c2.json","RepoTags":["b:1"],"Layers":["l.tar"]}]"#;
        let archive = tar_of(&[
            ("manifest.json", manifest),
            ("c1.json", &good),
            ("c2.json", &bad),
            ("l.tar", &layer),
        ]);
        let (code, stderr, blobs) = load_into_empty_store(&archive);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("layer l.tar has digest sha256:"),
            "{stderr}"
        );
        assert_eq!(blobs, 0, "blobs left behind");
        // The first image alone loads.
        let manifest = br#"[{"Config":"c1.json","RepoTags":["a:1"],"Layers":["l.tar"]}]"#;
        let archive = tar_of(&[
            ("manifest.json", manifest),
            ("c1.json", &good),
            ("l.tar", &layer),
        ]);
        let (code, stderr, blobs) = load_into_empty_store(&archive);
        assert_eq!((code, blobs), (0, 2), "{stderr}");
    }

    #[test]
    fn names_and_links_stay_inside() {
        assert_eq!(clean_name("./a//b/"), Some("a/b".into()));
        assert_eq!(clean_name("../x"), None);
        assert_eq!(clean_name("a/../../x"), None);
        assert_eq!(clean_name("/etc/passwd"), None);
        assert_eq!(
            resolve_link("abc/layer.tar", "../blobs/sha256/x"),
            Some("blobs/sha256/x".into())
        );
        assert_eq!(resolve_link("abc/layer.tar", "../../etc"), None);
        assert_eq!(resolve_link("l", "/etc/passwd"), None);
    }
}
