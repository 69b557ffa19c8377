//! `docklab store fsck`: re-hash every blob, check that the state only references blobs that exist
//! and are intact, and sweep temp files left by a process that was killed mid-write.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};

use sha2::Digest as _;

use super::{Digest, ImageConfig, ImageRecord, IndexStatus, Store, StoreError, TEMP_PREFIX};

/// What fsck found. An empty `missing` and `corrupt` means the store is consistent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FsckReport {
    /// Blobs checked.
    pub blobs: usize,
    /// Blobs the state references that are not there, with what references them.
    pub missing: Vec<(Digest, String)>,
    /// Blobs whose content does not hash to their name.
    pub corrupt: Vec<String>,
    /// Inconsistencies inside the state file (a reference to an unknown image, …).
    pub dangling_records: Vec<String>,
    /// Temp files of interrupted writes, removed.
    pub swept: usize,
    /// Blobs nothing references (kept; harmless).
    pub unreferenced: usize,
    /// Unreferenced blobs that commands freed since the state file was last rewritten: unlinked
    /// at the next rewrite (not counted in `unreferenced`).
    pub freed: usize,
    /// The image listing (`state.list`) was missing, damaged or not the one the state file
    /// makes: written again.
    pub listing_rewritten: bool,
}

impl FsckReport {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.corrupt.is_empty() && self.dangling_records.is_empty()
    }
}

pub(super) fn run(store: &Store) -> Result<FsckReport, StoreError> {
    let mut report = FsckReport::default();
    sweep(store, &mut report)?;

    let dir = store.root.join("blobs").join("sha256");
    let mut present = BTreeSet::new();
    let entries = fs::read_dir(&dir).map_err(StoreError::io(&dir))?;
    for entry in entries {
        let entry = entry.map_err(StoreError::io(&dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(digest) = format!("sha256:{name}").parse::<Digest>() else {
            report.corrupt.push(name);
            continue;
        };
        report.blobs += 1;
        let path = entry.path();
        match hash_file(&path) {
            Ok(actual) if actual == digest => {
                present.insert(digest);
            }
            Ok(_) => report.corrupt.push(name),
            Err(e) => return Err(StoreError::io(&path)(e)),
        }
    }

    let state = store.load_state()?;
    let mut referenced = BTreeSet::new();
    let mut need = |d: &Digest, what: String, report: &mut FsckReport| {
        referenced.insert(d.clone());
        if !present.contains(d) {
            report.missing.push((d.clone(), what));
        }
    };
    for (id, image) in &state.images {
        need(id, format!("config of image {}", id.short()), &mut report);
        if let Some(m) = &image.manifest {
            need(m, format!("manifest of image {}", id.short()), &mut report);
        }
        for chain in &image.layers {
            match state.layers.get(chain) {
                Some(layer) => need(
                    &layer.diff_id,
                    format!("layer {}", chain.short()),
                    &mut report,
                ),
                None => report
                    .dangling_records
                    .push(format!("image {} uses unknown layer {chain}", id.short())),
            }
        }
        // The size the state file recorded beside the image must be its layers'.
        if let Some(recorded) = image.size {
            let layers = ImageRecord {
                size: None,
                ..image.clone()
            };
            let computed = state.image_size(&layers);
            if recorded != computed {
                report.dangling_records.push(format!(
                    "image {} is recorded as {recorded} bytes, but its layers make {computed}",
                    id.short()
                ));
            }
        }
        if present.contains(id) {
            if let Err(e) = store.read_json::<ImageConfig>(id) {
                report.dangling_records.push(e.to_string());
            }
        }
    }
    for (name, id) in &state.refs {
        if !state.images.contains_key(id) {
            report
                .dangling_records
                .push(format!("reference {name} points at unknown image {id}"));
        }
    }
    for c in &state.containers {
        if !state.images.contains_key(&c.image) {
            report.dangling_records.push(format!(
                "container {} uses unknown image {}",
                c.name, c.image
            ));
        }
    }
    // The list of the index that the state file records (so that a command need not derive it)
    // must be the one its images and references make.
    // The state file alone, without the journal's changes since: what the index lists.
    let (file, recorded) = store.load_state_file()?;
    if let Some(recorded) = recorded {
        let derived = super::index_list_digest(&file);
        if recorded != derived {
            report.dangling_records.push(format!(
                "the state file records the index list {recorded}, but its images and references make {derived}"
            ));
        }
    }
    let freed: BTreeSet<Digest> = store.pending_garbage().into_iter().collect();
    let unreferenced: Vec<&Digest> = present.difference(&referenced).collect();
    report.freed = unreferenced.iter().filter(|d| freed.contains(**d)).count();
    report.unreferenced = unreferenced.len() - report.freed;
    // The index is derived from the state. One write ahead of it (a process killed between the
    // two) it is rewritten, and only then: fsck must work on a full disk. Disagreeing for another
    // reason (a state emptied or replaced) it is reported and left for a person to look at.
    match store.index_status(&state, &file) {
        IndexStatus::Current => {}
        IndexStatus::Stale => {
            store.refresh_index(&state, &file)?;
        }
        IndexStatus::Inconsistent {
            only_index,
            only_state,
        } => {
            for r in only_index {
                report.dangling_records.push(format!(
                    "index.json lists {r}, which the state does not have"
                ));
            }
            for r in only_state {
                report
                    .dangling_records
                    .push(format!("the state has {r}, which index.json does not list"));
            }
        }
    }
    // The image listing `image ls` reads is derived from the state file too.
    report.listing_rewritten = store.refresh_listing(&file)?;
    Ok(report)
}

fn hash_file(path: &std::path::Path) -> io::Result<Digest> {
    let mut file = fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(Digest::from_hasher(hasher));
        }
        hasher.update(&buf[..n]);
    }
}

/// Removes temp files in the store root and the blob directory. Only fsck sweeps: it runs under the
/// store lock, so no temp file can belong to a live writer.
fn sweep(store: &Store, report: &mut FsckReport) -> Result<(), StoreError> {
    for dir in [store.root.clone(), store.root.join("blobs").join("sha256")] {
        let entries = fs::read_dir(&dir).map_err(StoreError::io(&dir))?;
        for entry in entries {
            let entry = entry.map_err(StoreError::io(&dir))?;
            if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                let path = entry.path();
                fs::remove_file(&path).map_err(StoreError::io(&path))?;
                report.swept += 1;
            }
        }
    }
    Ok(())
}
