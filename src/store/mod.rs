//! The on-disk store of the simulated engine: an OCI image layout (`oci-layout`, `index.json`,
//! `blobs/sha256/<hex>`) whose blobs are named by the sha256 of their bytes, plus a versioned state
//! file. Every write goes to a temp file in the target directory, is fsynced and renamed, so a
//! process killed at any moment leaves either the old or the new file. One exclusive lock per store
//! serialises processes.

mod config;
mod digest;
mod format;
mod fsck;
mod state;

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::*;
pub use digest::{chain_ids, hex, Digest, InvalidDigest};
pub use fsck::FsckReport;
pub use state::*;

/// The prefix of temp files, so that stale ones can be recognised and swept.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Whether a write failed because the disk (or the process's file size limit, or a quota) has no
/// room left: the student is told to free space rather than shown the OS error.
pub fn is_disk_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded
    )
}

/// What can go wrong with the store. Carries paths and values; the ui words it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("the store at {path} is in use by another docklab process (waited {waited_ms} ms)")]
    Locked { path: PathBuf, waited_ms: u128 },
    #[error("{path}: the state file is corrupt: {message}")]
    CorruptState { path: PathBuf, message: String },
    #[error("{path}: the state file has version {found}, newer than this docklab understands ({supported})")]
    FutureState {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("blob {digest} is missing from the store")]
    MissingBlob { digest: Digest },
    #[error("blob {digest} is corrupt: its content hashes to {actual}")]
    // Boxed: two inline digests would make every `Result<_, StoreError>` large.
    CorruptBlob { digest: Digest, actual: Box<Digest> },
    #[error("blob {digest} is not valid JSON: {message}")]
    BadDocument { digest: Digest, message: String },
}

impl StoreError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// An open, locked store.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// Held for the life of the `Store`: the advisory lock is released when the file is closed.
    _lock: File,
    /// `state.json` is known to hold the version 2 mark (read or written by this `Store`).
    v2_marked: std::cell::Cell<bool>,
    /// Whether writes are synced to the disk before they count (not for a throwaway store).
    durable: bool,
}

impl Store {
    /// Opens (creating if needed) the store at `root` and takes its lock, waiting up to `wait`.
    pub fn open(root: &Path, wait: Duration) -> Result<Store, StoreError> {
        let blobs = root.join("blobs").join("sha256");
        fs::create_dir_all(&blobs).map_err(StoreError::io(&blobs))?;
        let lock_path = root.join("lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(StoreError::io(&lock_path))?;
        let start = Instant::now();
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(StoreError::Locked {
                        path: root.to_owned(),
                        waited_ms: start.elapsed().as_millis(),
                    })
                }
                Err(fs::TryLockError::Error(e)) => return Err(StoreError::io(&lock_path)(e)),
            }
        }
        let store = Store {
            root: root.to_owned(),
            _lock: lock,
            v2_marked: std::cell::Cell::new(false),
            durable: true,
        };
        let layout = root.join("oci-layout");
        if !layout.exists() {
            store.write_atomic(&layout, br#"{"imageLayoutVersion":"1.0.0"}"#)?;
        }
        Ok(store)
    }

    /// The same store, its writes no longer synced to the disk: for a store that is thrown away
    /// afterwards (`verify`'s sandbox), where a crash loses nothing of value and each fsync
    /// only costs time.
    #[must_use]
    pub fn without_fsync(mut self) -> Store {
        self.durable = false;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn blob_path(&self, digest: &Digest) -> PathBuf {
        self.root.join("blobs").join("sha256").join(digest.hex())
    }

    /// `state.json`: the whole state in version 1; since version 2, only `{"version":2}`, so that
    /// an older docklab refuses the store clearly instead of taking it for empty.
    fn state_path(&self) -> PathBuf {
        self.root.join("state.json")
    }

    /// The version 2 state, in the line format of [`format`].
    fn state_v2_path(&self) -> PathBuf {
        self.root.join("state.v2")
    }

    /// Writes `bytes` to `path` atomically: temp file beside it, fsync, rename, fsync the directory.
    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        let dir = path.parent().unwrap_or(&self.root);
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
            .map_err(StoreError::io(dir))?;
        tmp.write_all(bytes).map_err(StoreError::io(tmp.path()))?;
        if self.durable {
            tmp.as_file().sync_all().map_err(StoreError::io(path))?;
        }
        tmp.persist(path)
            .map_err(|e| StoreError::io(path)(e.error))?;
        if self.durable {
            sync_dir(dir)?;
        }
        Ok(())
    }

    /// Stores a blob and returns its digest; an existing blob with that digest is success.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<Digest, StoreError> {
        let digest = Digest::of(bytes);
        let path = self.blob_path(&digest);
        if !path.exists() {
            self.write_atomic(&path, bytes)?;
        }
        Ok(digest)
    }

    /// Stores a blob streamed from `reader`, hashing while writing.
    pub fn put_blob_from(&self, reader: &mut dyn Read) -> Result<(Digest, u64), StoreError> {
        use sha2::Digest as _;
        let dir = self.root.join("blobs").join("sha256");
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&dir)
            .map_err(StoreError::io(&dir))?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        let mut size = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(StoreError::io(&dir))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            tmp.write_all(&buf[..n])
                .map_err(StoreError::io(tmp.path()))?;
            size += n as u64;
        }
        let digest = Digest::from_hasher(hasher);
        let path = self.blob_path(&digest);
        if path.exists() {
            return Ok((digest, size));
        }
        if self.durable {
            tmp.as_file().sync_all().map_err(StoreError::io(&path))?;
        }
        tmp.persist(&path)
            .map_err(|e| StoreError::io(&path)(e.error))?;
        if self.durable {
            sync_dir(&dir)?;
        }
        Ok((digest, size))
    }

    pub fn has_blob(&self, digest: &Digest) -> bool {
        self.blob_path(digest).is_file()
    }

    /// Reads a blob and checks that its content still has its digest.
    pub fn read_blob(&self, digest: &Digest) -> Result<Vec<u8>, StoreError> {
        let path = self.blob_path(digest);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(StoreError::MissingBlob {
                    digest: digest.clone(),
                })
            }
            Err(e) => return Err(StoreError::io(&path)(e)),
        };
        let actual = Digest::of(&bytes);
        if &actual != digest {
            return Err(StoreError::CorruptBlob {
                digest: digest.clone(),
                actual: Box::new(actual),
            });
        }
        Ok(bytes)
    }

    /// Reads a JSON blob (config, manifest).
    pub fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        digest: &Digest,
    ) -> Result<T, StoreError> {
        let bytes = self.read_blob(digest)?;
        serde_json::from_slice(&bytes).map_err(|e| StoreError::BadDocument {
            digest: digest.clone(),
            message: e.to_string(),
        })
    }

    /// A blob's path, for streaming readers (save, layer export).
    pub fn blob_file(&self, digest: &Digest) -> Result<File, StoreError> {
        let path = self.blob_path(digest);
        File::open(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                StoreError::MissingBlob {
                    digest: digest.clone(),
                }
            } else {
                StoreError::io(&path)(e)
            }
        })
    }

    /// Removes blobs; a missing one is fine.
    pub fn remove_blobs<'a>(
        &self,
        digests: impl IntoIterator<Item = &'a Digest>,
    ) -> Result<(), StoreError> {
        for d in digests {
            let path = self.blob_path(d);
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io(&path)(e)),
            }
        }
        Ok(())
    }

    /// Loads the state; a store without one is empty. A version 1 store (the whole state as JSON
    /// in `state.json`) is read as it is and written in version 2 by the next save.
    pub fn load_state(&self) -> Result<State, StoreError> {
        let path = self.state_path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::new()),
            Err(e) => return Err(StoreError::io(&path)(e)),
        };
        #[derive(serde::Deserialize)]
        struct Version {
            version: u32,
        }
        let version: Version =
            serde_json::from_slice(&bytes).map_err(|e| StoreError::CorruptState {
                path: path.clone(),
                message: e.to_string(),
            })?;
        match version.version {
            found if found > STATE_VERSION => Err(StoreError::FutureState {
                path,
                found,
                supported: STATE_VERSION,
            }),
            1 => {
                let mut state: State =
                    serde_json::from_slice(&bytes).map_err(|e| StoreError::CorruptState {
                        path,
                        message: e.to_string(),
                    })?;
                state.version = STATE_VERSION;
                Ok(state)
            }
            2 => {
                let path = self.state_v2_path();
                let file = File::open(&path).map_err(StoreError::io(&path))?;
                self.v2_marked.set(true);
                format::decode_from(io::BufReader::with_capacity(1 << 16, file))
                    .map_err(|message| StoreError::CorruptState { path, message })
            }
            found => Err(StoreError::CorruptState {
                path,
                message: format!("unknown version {found}"),
            }),
        }
    }

    /// Writes the state atomically (`state.v2`, then the version mark in `state.json` if it is
    /// not there yet: a crash in between leaves the old version 1 state, whole), then the OCI
    /// index derived from it when that changed.
    pub fn save_state(&self, state: &State) -> Result<(), StoreError> {
        self.write_atomic(&self.state_v2_path(), &format::encode(state))?;
        if !self.v2_marked.get() {
            let mark = format!("{{\"version\":{STATE_VERSION}}}");
            self.write_atomic(&self.state_path(), mark.as_bytes())?;
            self.v2_marked.set(true);
        }
        let index =
            serde_json::to_vec_pretty(&oci_index(state)).expect("the index always serialises");
        let index_path = self.root.join("index.json");
        // Many commands (run, rm, builder prune, tag or rmi of an image without a manifest…)
        // leave the index as it was: skip the write and its fsyncs.
        if fs::read(&index_path).is_ok_and(|old| old == index) {
            return Ok(());
        }
        self.write_atomic(&index_path, &index)
    }

    /// Rewrites the OCI index when it is not the one derived from `state` (a process killed
    /// between writing the state and the index leaves it stale); says whether it did.
    pub fn refresh_index(&self, state: &State) -> Result<bool, StoreError> {
        let path = self.root.join("index.json");
        let index =
            serde_json::to_vec_pretty(&oci_index(state)).expect("the index always serialises");
        if fs::read(&path).is_ok_and(|b| b == index) {
            return Ok(false);
        }
        self.write_atomic(&path, &index)?;
        Ok(true)
    }

    /// Re-hashes every blob and checks the state against them; sweeps stale temp files.
    pub fn fsck(&self) -> Result<FsckReport, StoreError> {
        fsck::run(self)
    }
}

/// The OCI index: one descriptor per reference of each image that has a manifest, and one without
/// a name for images that have none (dangling), so every image stays reachable in the layout.
fn oci_index(state: &State) -> Index {
    let mut manifests = Vec::new();
    let refs_by_image = state.refs_by_image();
    for (id, image) in &state.images {
        let Some(manifest) = &image.manifest else {
            continue;
        };
        let mut refs = refs_by_image
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .peekable();
        let descriptor = |name: Option<&str>| Descriptor {
            media_type: MEDIA_MANIFEST.to_owned(),
            digest: manifest.clone(),
            size: image.manifest_size,
            annotations: name
                .map(|n| [(ANNOTATION_REF_NAME.to_owned(), n.to_owned())].into())
                .unwrap_or_default(),
        };
        if refs.peek().is_none() {
            manifests.push(descriptor(None));
        }
        for r in refs {
            manifests.push(descriptor(Some(r)));
        }
    }
    Index {
        schema_version: 2,
        media_type: MEDIA_INDEX.to_owned(),
        manifests,
    }
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(StoreError::io(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        (dir, store)
    }

    #[test]
    fn blobs_are_named_by_their_digest_and_written_once() {
        let (dir, store) = store();
        let d = store.put_blob(b"hello").expect("write");
        assert_eq!(d, Digest::of(b"hello"));
        assert_eq!(store.put_blob(b"hello").expect("again"), d);
        assert_eq!(store.read_blob(&d).expect("read"), b"hello");
        assert!(dir.path().join("blobs/sha256").join(d.hex()).is_file());
        assert!(dir.path().join("oci-layout").is_file());
    }

    #[test]
    fn a_corrupt_blob_is_detected_on_read_and_by_fsck() {
        let (dir, store) = store();
        let d = store.put_blob(b"layer").expect("write");
        fs::write(dir.path().join("blobs/sha256").join(d.hex()), b"tampered").expect("tamper");
        assert!(matches!(
            store.read_blob(&d),
            Err(StoreError::CorruptBlob { .. })
        ));
        let report = store.fsck().expect("fsck");
        assert_eq!(report.corrupt, vec![d.hex().to_owned()]);
        assert!(!report.is_clean());
    }

    #[test]
    fn fsck_reports_missing_blobs_and_sweeps_temp_files() {
        let (dir, store) = store();
        let mut state = State::new();
        let id = Digest::of(b"config that was never written");
        state.images.insert(
            id.clone(),
            ImageRecord {
                created: "2025-01-01T00:00:00Z".into(),
                layers: vec![],
                manifest: None,
                manifest_size: 0,
                parent: None,
                last_tag_time: None,
                seq: 0,
            },
        );
        store.save_state(&state).expect("save");
        fs::write(dir.path().join("blobs/sha256/.tmp-abc"), b"half").expect("temp");
        let report = store.fsck().expect("fsck");
        assert_eq!(report.swept, 1);
        assert_eq!(report.missing.len(), 1);
        assert_eq!(report.missing[0].0, id);
    }

    #[test]
    fn a_second_process_waits_then_fails_clearly() {
        let (dir, _held) = store();
        let err = Store::open(dir.path(), Duration::from_millis(50)).expect_err("locked");
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        assert!(err
            .to_string()
            .contains("in use by another docklab process"));
    }

    #[test]
    fn a_version_1_store_is_read_and_migrated_by_the_next_save() {
        let (dir, store) = store();
        let id = Digest::of(b"config");
        let v1 = format!(
            r#"{{"version":1,"images":{{"{id}":{{"created":"2025-01-01T00:00:00Z","layers":[],"seq":3}}}},"refs":{{"docker.io/library/a:latest":"{id}"}},"layers":{{}},"containers":[],"seq":3}}"#
        );
        fs::write(dir.path().join("state.json"), &v1).expect("write");
        let state = store.load_state().expect("reads version 1");
        assert_eq!(state.version, STATE_VERSION);
        assert_eq!(state.images[&id].seq, 3);
        assert_eq!(state.refs["docker.io/library/a:latest"], id);
        store.save_state(&state).expect("save");
        assert_eq!(
            fs::read_to_string(dir.path().join("state.json")).expect("mark"),
            r#"{"version":2}"#
        );
        assert!(dir.path().join("state.v2").is_file());
        drop(store);
        let again = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        assert_eq!(again.load_state().expect("reads version 2"), state);
        // A version 2 mark without its file is an error, not an empty store.
        fs::remove_file(dir.path().join("state.v2")).expect("remove");
        assert!(again.load_state().is_err());
    }

    #[test]
    fn state_round_trips_and_a_future_version_is_refused() {
        let (dir, store) = store();
        let mut state = State::new();
        state
            .refs
            .insert("docker.io/library/nginx:latest".into(), Digest::of(b"x"));
        store.save_state(&state).expect("save");
        assert_eq!(store.load_state().expect("load"), state);
        fs::write(dir.path().join("state.json"), br#"{"version": 99}"#).expect("write");
        assert!(matches!(
            store.load_state(),
            Err(StoreError::FutureState { found: 99, .. })
        ));
        fs::write(dir.path().join("state.json"), b"{not json").expect("write");
        assert!(matches!(
            store.load_state(),
            Err(StoreError::CorruptState { .. })
        ));
    }
}
