//! BuildKit's bookkeeping beside the build walk of [`super::build`]: the base images it pulls
//! into its own cache rather than the image store (a base the student never pulled is not
//! listed by `docker images`), the `created` times it gives history rows and images (an
//! all-cached rebuild writes the same image), the download lines of a FROM that pulled, and the
//! failure text of a RUN.

// "BuildKit" is a product name, not code.
#![allow(clippy::doc_markdown)]

use crate::build::dockerfile;
use crate::store::{Digest, History, ImageConfig, State};

/// The cache key of a base image BuildKit resolved: its reference, config (the image ID) and
/// manifest, so a later build finds the image without a tag in the image store.
pub(super) fn base_key(full: &str, id: &Digest, manifest: Option<&Digest>) -> String {
    let manifest = manifest.map_or_else(|| "-".to_owned(), ToString::to_string);
    format!("base {full} {id} {manifest}")
}

/// The base image a build cached for `full` (docker.io/library/debian:trixie-slim): its ID,
/// manifest and top layer.
pub(super) fn cached_base(state: &State, full: &str) -> Option<(Digest, Option<Digest>, Digest)> {
    state.build_cache.iter().rev().find_map(|r| {
        let (id, manifest) = parse_base_key(&r.key, Some(full))?;
        let top = r.layer.clone()?;
        state
            .layers
            .contains_key(&top)
            .then_some((id, manifest, top))
    })
}

fn parse_base_key(key: &str, full: Option<&str>) -> Option<(Digest, Option<Digest>)> {
    let mut words = key.strip_prefix("base ")?.split(' ');
    let name = words.next()?;
    if full.is_some_and(|f| f != name) {
        return None;
    }
    let id = words.next()?.parse().ok()?;
    let manifest = words.next().and_then(|m| m.parse().ok());
    Some((id, manifest))
}

/// The config and manifest blobs of the base images the build cache holds: live blobs.
pub(super) fn base_blobs(state: &State) -> Vec<Digest> {
    let mut out = Vec::new();
    for r in &state.build_cache {
        if let Some((id, manifest)) = parse_base_key(&r.key, None) {
            out.push(id);
            out.extend(manifest);
        }
    }
    out
}

/// The chain IDs of a layer and its parents, bottom first.
pub(super) fn chain_of(state: &State, top: &Digest) -> Vec<Digest> {
    let mut out = Vec::new();
    let mut next = Some(top);
    while let Some(chain) = next {
        if out.contains(chain) {
            break;
        }
        out.push(chain.clone());
        next = state.layers.get(chain).and_then(|l| l.parent.as_ref());
    }
    out.reverse();
    out
}

/// BuildKit's exporter (`normalizeLayersAndHistory`): a metadata row takes the time of the
/// first new layer after it when it comes before any, else the time of the layer before it;
/// the image's `created` is its last row's. Layer rows carry their layer's creation time, kept
/// in the cache, so an all-cached rebuild writes the same config: the same image ID.
pub(super) fn fill_created(history: &mut [History]) -> Option<String> {
    let mut created: Option<String> = None;
    let mut missing = false;
    for h in history.iter() {
        if h.created.is_some() {
            created.clone_from(&h.created);
            if missing {
                break;
            }
        } else {
            missing = true;
        }
    }
    missing = false;
    for h in history.iter_mut() {
        if h.created.is_some() {
            if missing {
                created.clone_from(&h.created);
            }
        } else {
            missing = true;
            h.created.clone_from(&created);
        }
    }
    history.last().and_then(|h| h.created.clone())
}

/// Whether the image still has apt's package lists: an earlier RUN ran `apt-get update` and
/// did not remove `/var/lib/apt/lists`.
pub(super) fn apt_lists_kept(config: &ImageConfig) -> bool {
    config.history.iter().any(|h| {
        h.created_by
            .as_deref()
            .is_some_and(|by| by.contains("apt-get update") && !by.contains("/var/lib/apt/lists"))
    })
}

/// What BuildKit's file sync sends for one file (`transferring dockerfile: N`): its bytes and
/// a stat packet of 25 bytes, the name, and the size as a protobuf varint twice (stat and data
/// frame). Measured: a 411-byte `Dockerfile` 450B, a 52-byte `Dockerfile.false` 95B, a 23-byte
/// `Dockerfile.exit` 65B.
pub(super) fn transfer_size(name: &str, size: u64) -> u64 {
    size + 25 + name.len() as u64 + 2 * varint_len(size)
}

fn varint_len(mut v: u64) -> u64 {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// BuildKit's size notation in progress lines (`tonistiigi/units`, `%.2f`): `527B`, `1.14MB`.
pub(super) fn progress_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes}B")
    } else {
        format!("{value:.2}{}", UNITS[unit])
    }
}

/// The `FROM` vertex's lines when BuildKit downloaded the image: the manifest and config,
/// each new layer (compressed size), then each layer's extraction, as current BuildKit prints
/// them (`#4 sha256:… 29.78MB / 29.78MB 0.6s done`, `#4 extracting sha256:… 1.2s done`).
/// `layers`: (digest, compressed size) of the layers that were not already present.
pub(super) fn download_statuses(
    manifest: Option<(&Digest, u64)>,
    config: (&Digest, u64),
    layers: &[(String, u64)],
) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    if let Some((m, size)) = manifest {
        let s = progress_size(size);
        out.push((format!("{m} {s} / {s}"), 0));
    }
    let s = progress_size(config.1);
    out.push((format!("{} {s} / {s}", config.0), 0));
    for (d, size) in layers {
        let s = progress_size(*size);
        // About 50MB/s from the registry.
        out.push((format!("{d} {s} / {s}"), 100 + size / 50_000));
    }
    for (d, size) in layers {
        out.push((format!("extracting {d}"), 100 + size / 25_000));
    }
    out
}

/// BuildKit's message for a RUN that exited with `code` (current BuildKit: `process "…" did not
/// complete successfully`; the 20.10 daemon's BuildKit said `executor failed running […]`).
pub(super) fn run_error(shell_line: &str, code: i32) -> String {
    format!(
        "process {} did not complete successfully: exit code: {code}",
        crate::docker::text::go_quote(shell_line)
    )
}

/// What follows the progress when a RUN failed: the vertex's last log lines in a box, the
/// Dockerfile excerpt and the error.
pub(super) fn run_failure_text(
    label: &str,
    logs: &[(u64, String)],
    error: &str,
    file: &str,
    source: &str,
    line: (usize, usize),
) -> String {
    let mut out = format!("------\n > {label}:\n");
    let skip = logs.len().saturating_sub(10);
    for (millis, text) in &logs[skip..] {
        out.push_str(&format!("{:.3} {text}\n", *millis as f64 / 1000.0));
    }
    out.push_str("------\n");
    out.push_str(&dockerfile::error::source_excerpt(
        file, source, line.0, line.1,
    ));
    out.push_str(&format!("ERROR: failed to solve: {error}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(created: Option<&str>) -> History {
        History {
            created: created.map(str::to_owned),
            created_by: None,
            comment: None,
            empty_layer: created.is_none(),
        }
    }

    #[test]
    fn metadata_rows_take_buildkits_layer_times() {
        // base row, LABEL, ENV, RUN (cached at t1), COPY (new at t2), EXPOSE, CMD
        let mut h = vec![
            row(Some("t0")),
            row(None),
            row(None),
            row(Some("t1")),
            row(Some("t2")),
            row(None),
            row(None),
        ];
        assert_eq!(fill_created(&mut h).as_deref(), Some("t2"));
        let times: Vec<_> = h
            .iter()
            .map(|r| r.created.clone().unwrap_or_default())
            .collect();
        assert_eq!(times, ["t0", "t1", "t1", "t1", "t2", "t2", "t2"]);
        // No new layer: the base's last time.
        let mut h = vec![row(Some("t0")), row(None)];
        assert_eq!(fill_created(&mut h).as_deref(), Some("t0"));
    }

    #[test]
    fn dockerfile_transfers_as_measured() {
        assert_eq!(transfer_size("Dockerfile", 411), 450);
        assert_eq!(transfer_size("Dockerfile.false", 52), 95);
        assert_eq!(transfer_size("Dockerfile.exit", 23), 65);
    }

    #[test]
    fn progress_sizes_as_buildkit_prints_them() {
        assert_eq!(progress_size(527), "527B");
        assert_eq!(progress_size(1_140_000), "1.14MB");
        assert_eq!(progress_size(29_780_000), "29.78MB");
        assert_eq!(progress_size(1_100_000), "1.10MB");
    }

    #[test]
    fn base_keys_round_trip() {
        let id: Digest = format!("sha256:{}", "a".repeat(64))
            .parse()
            .expect("digest");
        let key = base_key("docker.io/library/debian:trixie-slim", &id, None);
        assert_eq!(
            parse_base_key(&key, Some("docker.io/library/debian:trixie-slim")),
            Some((id.clone(), None))
        );
        assert_eq!(
            parse_base_key(&key, Some("docker.io/library/debian:latest")),
            None
        );
    }
}
