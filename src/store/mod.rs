//! The on-disk store of the simulated engine: an OCI image layout (`oci-layout`, `index.json`,
//! `blobs/sha256/<hex>`) whose blobs are named by the sha256 of their bytes, plus a versioned state
//! file. Every write goes to a temp file in the target directory, is fsynced and renamed, so a
//! process killed at any moment leaves either the old or the new file. One exclusive lock per store
//! serialises processes.

mod config;
mod digest;
mod format;
mod fsck;
mod index_json;
mod journal;
mod lazy;
pub mod listing;
mod state;
mod table;

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::*;
pub use digest::{chain_ids, hex, Digest, InvalidDigest};
pub use fsck::FsckReport;
pub use lazy::Lazy;
pub use state::*;
pub use table::{Scanned, Table};

pub use crate::atomic::{is_disk_full, TEMP_PREFIX};

/// What can go wrong with the store. Carries paths and values; the ui words it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    /// A write found no room (disk, file size limit, quota): the store says so itself, so that
    /// the student is told to free space (see [`is_disk_full`]).
    #[error("{path}: no room left: {source}")]
    DiskFull { path: PathBuf, source: io::Error },
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
        move |source| StoreError::io_at(path, source)
    }

    /// An I/O error at `path`: [`StoreError::DiskFull`] when there was no room, else `Io`.
    pub(crate) fn io_at(path: impl Into<PathBuf>, source: io::Error) -> StoreError {
        let path = path.into();
        if is_disk_full(&source) {
            StoreError::DiskFull { path, source }
        } else {
            StoreError::Io { path, source }
        }
    }
}

/// An open, locked store.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    /// Held for the life of the `Store`: the advisory lock is released when the file is closed.
    _lock: File,
    /// `state.json` is known to hold the current version's mark (read or written by this
    /// `Store`).
    marked: std::cell::Cell<bool>,
    /// The digest of the manifest list derived from the state last loaded or saved.
    state_manifests: std::cell::RefCell<Option<Digest>>,
    /// The state was loaded by [`Store::load_state_to_read`], which leaves `state_manifests`
    /// unknown: a save works it out from the state on disk (unchanged, under the lock).
    manifests_unknown: std::cell::Cell<bool>,
    /// The manifest list's digest that the state file read last records (version 3 and 4).
    recorded_manifests: std::cell::RefCell<Option<Digest>>,
    /// Where the state on disk stands when it is a version 4 file: what a save appends to.
    on_disk: std::cell::RefCell<Option<OnDisk>>,
    /// Whether writes are synced to the disk before they count (not for a throwaway store).
    durable: bool,
}

/// A version 4 state file and its journal, as last loaded or saved by this `Store`.
#[derive(Debug)]
struct OnDisk {
    /// The state file's generation and length.
    generation: u64,
    len: u64,
    /// The bytes of the journal's whole transactions (0: no journal for this generation, or
    /// one left over from an earlier one).
    journal_len: u64,
    /// The counter as loaded, to tell whether a command changed it.
    seq: u64,
    /// Blobs the journal's commands freed, to unlink when the state file is rewritten.
    garbage: Vec<Digest>,
}

/// What a command's save is told of the blobs the state uses besides its images' and layers'.
pub type Keep<'a> = dyn Fn(&State) -> std::collections::HashSet<Digest> + 'a;

/// The journal's size beyond which a save rewrites the state file instead (and empties the
/// journal): a part of the state file, so that what every command reads and replays stays
/// small beside what it reads anyway (replaying 32 KiB costs a command ~0.1 ms), and at least
/// this many bytes (some 50 tags).
const JOURNAL_MIN: u64 = 32 * 1024;
const JOURNAL_PART: u64 = 32;

/// How `index.json` stands against the state it is derived from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexStatus {
    /// It lists what the state says (or there is none yet and the state has no manifest).
    Current,
    /// It is missing, or one write ahead of the state (a process killed between writing the
    /// index and the state): rewriting it from the state is safe.
    Stale,
    /// It disagrees with the state for no reason a crash explains (a state emptied, replaced or
    /// edited): references it lists that the state lacks, and the reverse.
    Inconsistent {
        only_index: Vec<String>,
        only_state: Vec<String>,
    },
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
            marked: std::cell::Cell::new(false),
            state_manifests: std::cell::RefCell::new(None),
            manifests_unknown: std::cell::Cell::new(false),
            recorded_manifests: std::cell::RefCell::new(None),
            on_disk: std::cell::RefCell::new(None),
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

    /// The version 2 state, in the line format of [`format`]: read, and replaced by version 3
    /// at the next save.
    fn state_v2_path(&self) -> PathBuf {
        self.root.join("state.v2")
    }

    /// The version 3 state: read, and replaced by version 4 at the next save.
    fn state_v3_path(&self) -> PathBuf {
        self.root.join("state.v3")
    }

    /// The version 4 state: version 2's lines in sections, read on demand
    /// ([`format::encode_v4`]), and the journal of the changes made since it was written.
    fn state_v4_path(&self) -> PathBuf {
        self.root.join("state.v4")
    }

    /// The image listing written with the state file ([`listing`]).
    fn listing_path(&self) -> PathBuf {
        self.root.join("state.list")
    }

    /// The image listing of the state file last loaded with its journal, opened for
    /// [`listing::read`], with its length and the generation it must name; `None` without one
    /// (a store of an earlier version, not loaded, not rewritten since).
    pub fn listing(&self) -> Option<(fs::File, u64, u64)> {
        let generation = self.on_disk.borrow().as_ref()?.generation;
        let file = fs::File::open(self.listing_path()).ok()?;
        let len = file.metadata().ok()?.len();
        Some((file, len, generation))
    }

    fn journal_path(&self) -> PathBuf {
        self.root.join("state.journal")
    }

    /// Writes `bytes` to `path` atomically: temp file beside it, fsync, rename, fsync the directory.
    fn write_atomic(&self, path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
        self.write_by_rename(path, bytes, self.durable)
    }

    /// A temp file beside `path` holding `bytes`, renamed to `path`; with `sync`, the file is
    /// synced before and its directory after.
    fn write_by_rename(&self, path: &Path, bytes: &[u8], sync: bool) -> Result<(), StoreError> {
        let dir = path.parent().unwrap_or(&self.root);
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
            .map_err(StoreError::io(dir))?;
        tmp.write_all(bytes).map_err(StoreError::io(tmp.path()))?;
        if sync {
            tmp.as_file().sync_all().map_err(StoreError::io(path))?;
        }
        tmp.persist(path)
            .map_err(|e| StoreError::io(path)(e.error))?;
        if sync {
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
    /// in `state.json`) is read as it is, and a version 2 or 3 state file too; the next save
    /// writes version 4. Without the version mark, the newest state file there is read (the
    /// mark is written again by the next save); a store with none but an index that lists images
    /// is refused: taking it for empty would let the next write forget those images.
    pub fn load_state(&self) -> Result<State, StoreError> {
        let state = self.read_whole_state(true)?;
        // Derived again from the whole state, which is read anyway: what fsck compares too.
        self.recorded_manifests.borrow_mut().take();
        *self.state_manifests.borrow_mut() = Some(manifests_digest(&oci_index(&state).manifests));
        self.manifests_unknown.set(false);
        Ok(state)
    }

    /// Loads the state to be read on demand (what every simulated command does): images,
    /// references and layers are read from the file as the command asks for them, one record at
    /// a time while it looks up only a few ([`Table`]), with the journal's changes beside them,
    /// and the OCI index's manifest list is not derived: a version 3 or 4 file records its
    /// digest, and for an older one a save derives it from the state on disk, which the lock
    /// keeps as it was loaded. The caller checks [`State::load_error`] (with
    /// [`Store::check_loaded`]) before it trusts what it computed from the state; a save checks
    /// it too. [`Store::load_state`] reads everything at once.
    pub fn load_state_to_read(&self) -> Result<State, StoreError> {
        let state = self.read_state(true)?;
        // A version 3 or 4 file records its list: a save after this load need not derive it.
        let recorded = self.recorded_manifests.borrow_mut().take();
        self.manifests_unknown.set(recorded.is_none());
        *self.state_manifests.borrow_mut() = recorded;
        Ok(state)
    }

    /// The damage met while reading a state loaded by [`Store::load_state_to_read`], if any.
    pub fn check_loaded(&self, state: &State) -> Result<(), StoreError> {
        state.load_error().map_or(Ok(()), |message| {
            Err(StoreError::CorruptState {
                path: self.state_v4_path(),
                message,
            })
        })
    }

    /// The digest of the manifest list of the state file on disk (last loaded or saved): what
    /// `index.json` lists, the journal's changes aside.
    fn loaded_manifests(&self) -> Result<Option<Digest>, StoreError> {
        if self.manifests_unknown.get() {
            let state = self.read_state(false)?;
            self.check_loaded(&state)?;
            *self.state_manifests.borrow_mut() =
                Some(manifests_digest(&oci_index(&state).manifests));
            self.manifests_unknown.set(false);
        }
        Ok(self.state_manifests.borrow().clone())
    }

    /// The state on disk; with `journal`, the journal's changes applied.
    fn read_state(&self, journal: bool) -> Result<State, StoreError> {
        if journal {
            self.on_disk.borrow_mut().take();
        }
        let path = self.state_path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if self.state_v4_path().exists() {
                    return self.read_v4(journal);
                }
                if self.state_v3_path().exists() {
                    return self.read_v3();
                }
                if self.state_v2_path().exists() {
                    return self.read_v2();
                }
                let listed = self.read_index().map_or(0, |i| i.manifests.len());
                if listed > 0 {
                    return Err(StoreError::CorruptState {
                        path,
                        message: format!(
                            "it is missing, but index.json lists {listed} image references"
                        ),
                    });
                }
                return Ok(State::new());
            }
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
            2 => self.read_v2(),
            3 => self.read_v3(),
            4 => {
                let state = self.read_v4(journal)?;
                self.marked.set(true);
                Ok(state)
            }
            found => Err(StoreError::CorruptState {
                path,
                message: format!("unknown version {found}"),
            }),
        }
    }

    fn read_v2(&self) -> Result<State, StoreError> {
        let path = self.state_v2_path();
        let file = File::open(&path).map_err(StoreError::io(&path))?;
        format::decode_from(io::BufReader::with_capacity(1 << 16, file))
            .map_err(|message| StoreError::CorruptState { path, message })
    }

    fn read_v3(&self) -> Result<State, StoreError> {
        self.read_sections(self.state_v3_path())
            .map(|(state, _)| state)
    }

    /// A version 3 or 4 state file (its sections read on demand), noting the index list it
    /// records.
    fn read_sections(&self, path: PathBuf) -> Result<(State, format::Head), StoreError> {
        let file = File::open(&path).map_err(StoreError::io(&path))?;
        let (state, head) = format::decode_v3(file)
            .map_err(|message| StoreError::CorruptState { path, message })?;
        *self.recorded_manifests.borrow_mut() = Some(head.index.clone());
        Ok((state, head))
    }

    /// The version 4 state file, and with `journal` its journal's changes applied.
    fn read_v4(&self, journal: bool) -> Result<State, StoreError> {
        let (mut state, head) = self.read_sections(self.state_v4_path())?;
        let mut on_disk = OnDisk {
            generation: head.generation,
            len: head.len,
            journal_len: 0,
            seq: 0,
            garbage: Vec::new(),
        };
        if journal {
            let path = self.journal_path();
            match fs::read(&path) {
                Ok(bytes) => {
                    let read = journal::read(&bytes)
                        .map_err(|message| StoreError::CorruptState { path, message })?;
                    // A journal of an earlier generation is already in the state file.
                    if read.generation == head.generation {
                        on_disk.journal_len = read.len;
                        on_disk.garbage = journal::replay(read, &mut state);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io(&path)(e)),
            }
            on_disk.seq = state.seq;
            *self.on_disk.borrow_mut() = Some(on_disk);
        }
        Ok(state)
    }

    /// The blobs the journal's commands freed, as the last load with the journal found them:
    /// unlinked at the next rewrite of the state file.
    pub(crate) fn pending_garbage(&self) -> Vec<Digest> {
        self.on_disk
            .borrow()
            .as_ref()
            .map(|d| d.garbage.clone())
            .unwrap_or_default()
    }

    /// The state file alone, without its journal's changes: what `index.json` lists; and the
    /// digest of that list which the file records (version 3 and 4).
    pub(crate) fn load_state_file(&self) -> Result<(State, Option<Digest>), StoreError> {
        let state = self.read_whole_state(false)?;
        let recorded = self.recorded_manifests.borrow_mut().take();
        Ok((state, recorded))
    }

    /// [`Store::read_state`], every part of it read now.
    fn read_whole_state(&self, journal: bool) -> Result<State, StoreError> {
        let state = self.read_state(journal)?;
        state
            .read_whole()
            .map_err(|message| StoreError::CorruptState {
                path: self.state_v4_path(),
                message,
            })?;
        Ok(state)
    }

    fn index_path(&self) -> PathBuf {
        self.root.join("index.json")
    }

    /// The index on disk, when there is one that parses.
    fn read_index(&self) -> Option<Index> {
        serde_json::from_slice(&fs::read(self.index_path()).ok()?).ok()
    }

    /// Saves the state (see [`Store::commit`]), unlinking no blob: when it rewrites the state
    /// file, the blobs the journal's commands freed stay, unreferenced, for fsck to count.
    pub fn save_state(&self, state: &State) -> Result<(), StoreError> {
        self.save(state, &[], false, None)
    }

    /// Saves what a command made of the state loaded by this `Store`, and `freed`, the blobs it
    /// stopped using. When the state was loaded from a version 4 file and the command changed
    /// records one by one ([`Table::touched`]), they are appended to the journal as one
    /// transaction with one `fsync`; the blobs are unlinked later, when the state file is
    /// rewritten (so that `index.json`, which lists the state file's images, never names a
    /// missing blob). Otherwise, or when the journal has outgrown its part of the state file, the
    /// state file is rewritten whole ([`Store::rewrite`]) and the blobs freed since then that
    /// neither the state nor `keep` (given the state) uses are unlinked; with `reclaim` (a
    /// command there to free space), that happens now whenever it freed a blob.
    pub fn commit(
        &self,
        state: &State,
        freed: &[Digest],
        reclaim: bool,
        keep: &Keep,
    ) -> Result<(), StoreError> {
        self.save(state, freed, reclaim && !freed.is_empty(), Some(keep))
    }

    /// [`Store::commit`]; with `now`, the state file is rewritten whatever the journal holds;
    /// without `keep`, a rewrite unlinks no blob.
    fn save(
        &self,
        state: &State,
        freed: &[Digest],
        now: bool,
        keep: Option<&Keep>,
    ) -> Result<(), StoreError> {
        // What was read of it on demand was damaged: what the command made of it is not saved.
        self.check_loaded(state)?;
        let appended = {
            let on_disk = self.on_disk.borrow();
            match on_disk.as_ref() {
                Some(on_disk)
                    if !now
                        && self.marked.get()
                        && state.images.tracked()
                        && state.refs.tracked()
                        && state.layers.tracked() =>
                {
                    let txn =
                        journal::transaction(state, on_disk.seq, freed).map_err(|message| {
                            StoreError::CorruptState {
                                path: self.state_v4_path(),
                                message,
                            }
                        })?;
                    let limit = JOURNAL_MIN.max(on_disk.len / JOURNAL_PART);
                    if on_disk.journal_len + txn.len() as u64 <= limit {
                        Some(txn)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        };
        match appended {
            Some(txn) => {
                if !txn.is_empty() {
                    self.append(&txn)?;
                    let mut on_disk = self.on_disk.borrow_mut();
                    let on_disk = on_disk.as_mut().expect("checked above");
                    on_disk.journal_len += txn.len() as u64;
                    on_disk.seq = state.seq;
                    on_disk.garbage.extend_from_slice(freed);
                }
                Ok(())
            }
            None => self.rewrite(state, freed, keep),
        }
    }

    /// Appends a transaction to the journal (starting one for the state file's generation when
    /// there is none), cutting off first what a process killed while appending left after the
    /// last whole transaction.
    fn append(&self, txn: &[u8]) -> Result<(), StoreError> {
        use std::os::unix::fs::FileExt as _;
        let (generation, len) = {
            let on_disk = self.on_disk.borrow();
            let on_disk = on_disk.as_ref().expect("appended after a load");
            (on_disk.generation, on_disk.journal_len)
        };
        let path = self.journal_path();
        if len == 0 {
            let mut bytes = journal::header(generation).into_bytes();
            bytes.extend_from_slice(txn);
            self.write_atomic(&path, &bytes)?;
            let mut on_disk = self.on_disk.borrow_mut();
            on_disk.as_mut().expect("appended after a load").journal_len =
                bytes.len() as u64 - txn.len() as u64;
            return Ok(());
        }
        let file = File::options()
            .write(true)
            .open(&path)
            .map_err(StoreError::io(&path))?;
        let on_file = file.metadata().map_err(StoreError::io(&path))?.len();
        if on_file != len {
            file.set_len(len).map_err(StoreError::io(&path))?;
        }
        file.write_all_at(txn, len).map_err(StoreError::io(&path))?;
        if self.durable {
            file.sync_data().map_err(StoreError::io(&path))?;
        }
        Ok(())
    }

    /// Writes the state file whole, atomically: the OCI index derived from it first when that
    /// changed (noting which manifest list it replaces), then `state.v4` of the next generation,
    /// then the version mark in `state.json` if it is not there yet (a crash before leaves the
    /// old state, whole; an older state file goes after the mark); then unlinks the blobs freed
    /// since the last rewrite that nothing uses, and the journal, which the new state file's
    /// generation already makes stale. A crash between the index and the state leaves an index
    /// one write ahead, which fsck recognises by that note and rewrites. A new store's first
    /// state comes first.
    fn rewrite(
        &self,
        state: &State,
        freed: &[Digest],
        keep: Option<&Keep<'_>>,
    ) -> Result<(), StoreError> {
        let derived = oci_index(state);
        let derived_digest = manifests_digest(&derived.manifests);
        let generation = self.next_generation();
        let bytes = format::encode_v4(state, &derived_digest, generation).map_err(|message| {
            StoreError::CorruptState {
                path: self.state_v4_path(),
                message,
            }
        })?;
        // The index's list is compared through digests, never by reading the index (megabytes
        // of JSON at 10,000 images): the state file on disk records the digest of its list. Many
        // commands (run, rm, builder prune, tag or rmi of an image without a manifest…) leave it
        // the same: the index is then not rewritten. Should it not list it (one write ahead
        // after a crash, or edited), fsck reports or rewrites it.
        let loaded = self.loaded_manifests()?;
        let index_there = self.index_path().exists();
        let index = match loaded {
            Some(loaded) if loaded == derived_digest && index_there => None,
            Some(loaded) => Some((derived, loaded)),
            // Saved without a load (a new store): the index on disk, if any, says what it lists.
            None => {
                let on_disk = self.read_index();
                if on_disk.as_ref().map(|i| &i.manifests) == Some(&derived.manifests) {
                    None
                } else {
                    let previous = on_disk
                        .as_ref()
                        .map_or_else(|| manifests_digest(&[]), |i| manifests_digest(&i.manifests));
                    Some((derived, previous))
                }
            }
        };
        // Without a state yet (a new store), the state goes first: an index listing images with
        // no state beside it is then never the trace of a crash, and is refused.
        // An index already there lists nothing (with images, the state-less store is refused):
        // it goes, so that a crash before the new index leaves none, which is merely stale.
        let index_first = self.state_v4_path().exists()
            || self.state_v3_path().exists()
            || self.state_v2_path().exists()
            || self.state_path().exists();
        if index_first {
            if let Some((index, previous)) = &index {
                self.write_index(index.clone(), previous)?;
            }
        } else if index_there && index.is_some() {
            let path = self.index_path();
            fs::remove_file(&path).map_err(StoreError::io(&path))?;
        }
        // The listing names the generation: until the state file of that generation is there, it
        // is not used (a crash between the two leaves a listing that is ignored). It is derived
        // data, checked as it is read, so it is not synced: the state file's write below syncs
        // the directory, which keeps its name; a crash that loses its bytes leaves a file cut
        // short or empty, which is not used either (the command reads the state, `store fsck`
        // writes it again). Its two syncs were 1.5 ms of each rewrite of the state here.
        self.write_by_rename(
            &self.listing_path(),
            &listing::encode(state, generation),
            false,
        )?;
        self.write_atomic(&self.state_v4_path(), &bytes)?;
        *self.state_manifests.borrow_mut() = Some(derived_digest);
        self.manifests_unknown.set(false);
        if !self.marked.get() {
            let mark = format!("{{\"version\":{STATE_VERSION}}}");
            self.write_atomic(&self.state_path(), mark.as_bytes())?;
            self.marked.set(true);
            // The older state files it replaces, once the mark no longer points at them.
            for old in [self.state_v3_path(), self.state_v2_path()] {
                remove_if_there(&old)?;
            }
        }
        if !index_first {
            if let Some((index, previous)) = index {
                self.write_index(index, &previous)?;
            }
        }
        // The blobs freed since the last rewrite, once no index names them.
        let mut garbage: Vec<Digest> = self
            .on_disk
            .borrow_mut()
            .take()
            .map(|p| p.garbage)
            .unwrap_or_default();
        garbage.extend_from_slice(freed);
        if let (false, Some(keep)) = (garbage.is_empty(), keep) {
            let live = state.live_blobs();
            let kept = keep(state);
            self.remove_blobs(
                garbage
                    .iter()
                    .filter(|d| !live.contains(*d) && !kept.contains(*d)),
            )?;
        }
        remove_if_there(&self.journal_path())?;
        *self.on_disk.borrow_mut() = Some(OnDisk {
            generation,
            len: bytes.len() as u64,
            journal_len: 0,
            seq: state.seq,
            garbage: Vec::new(),
        });
        Ok(())
    }

    /// Rewrites the state file whole, with its journal's changes, brings `index.json` up to
    /// date and unlinks the blobs freed since the last rewrite (what a save does by itself when
    /// the journal outgrows its part of the state file); returns how many images there are.
    pub fn compact(&self, keep: &Keep) -> Result<usize, StoreError> {
        let state = self.load_state_to_read()?;
        self.check_loaded(&state)?;
        self.rewrite(&state, &[], Some(keep))?;
        Ok(state.images.len())
    }

    /// The generation of the next state file: after the one on disk and any journal's, so that
    /// a journal a crash leaves behind never passes for the new file's.
    fn next_generation(&self) -> u64 {
        let loaded = self.on_disk.borrow().as_ref().map_or(0, |d| d.generation);
        let on_file = number_after(&self.state_v4_path(), "generation ").unwrap_or(0);
        let journal = number_after(&self.journal_path(), journal::HEADER).unwrap_or(0);
        loaded.max(on_file).max(journal) + 1
    }

    fn write_index(&self, mut index: Index, previous: &Digest) -> Result<(), StoreError> {
        index
            .annotations
            .insert(ANNOTATION_PREVIOUS.to_owned(), previous.to_string());
        self.write_atomic(&self.index_path(), &index_json::pretty_index(&index))
    }

    /// How the index on disk stands against `state` (loaded with its journal): it lists what the
    /// state file (`file`, loaded without it) makes, or what the state makes.
    pub fn index_status(&self, state: &State, file: &State) -> IndexStatus {
        let derived = oci_index(state).manifests;
        let listed = oci_index(file).manifests;
        let Some(index) = self.read_index() else {
            return IndexStatus::Stale;
        };
        if index.manifests == listed || index.manifests == derived {
            return IndexStatus::Current;
        }
        let previous = index.annotations.get(ANNOTATION_PREVIOUS);
        if [&listed, &derived]
            .iter()
            .any(|list| previous.is_some_and(|p| *p == manifests_digest(list).to_string()))
        {
            return IndexStatus::Stale;
        }
        let name = |d: &Descriptor| {
            let reference = d
                .annotations
                .get(ANNOTATION_REF_NAME)
                .map_or_else(|| "<none>".to_owned(), Clone::clone);
            format!("{reference} (manifest {})", d.digest)
        };
        let only = |a: &[Descriptor], b: &[Descriptor]| -> Vec<String> {
            a.iter().filter(|d| !b.contains(d)).map(name).collect()
        };
        IndexStatus::Inconsistent {
            only_index: only(&index.manifests, &derived),
            only_state: only(&derived, &index.manifests),
        }
    }

    /// Rewrites the OCI index from the state file `file` when it is [`IndexStatus::Stale`]
    /// against it and `state`; says whether it did. An inconsistent index is left as it is, for
    /// a person to look at.
    pub fn refresh_index(&self, state: &State, file: &State) -> Result<bool, StoreError> {
        if self.index_status(state, file) != IndexStatus::Stale {
            return Ok(false);
        }
        let listed = oci_index(file);
        let digest = manifests_digest(&listed.manifests);
        self.write_index(listed, &digest)?;
        Ok(true)
    }

    /// Re-hashes every blob and checks the state against them; sweeps stale temp files.
    /// Writes the image listing again when it is not the one `file` (the state file, loaded with
    /// its journal last) makes: says whether it did. A listing that disagrees is removed first, so
    /// that one which cannot be written again (a full disk) is not read either.
    pub(crate) fn refresh_listing(&self, file: &State) -> Result<bool, StoreError> {
        let Some(generation) = self.on_disk.borrow().as_ref().map(|d| d.generation) else {
            // A store of an earlier version: its first rewrite writes the listing.
            return Ok(false);
        };
        let expected = listing::encode(file, generation);
        let path = self.listing_path();
        if fs::read(&path).is_ok_and(|found| found == expected) {
            return Ok(false);
        }
        remove_if_there(&path)?;
        self.write_atomic(&path, &expected)?;
        Ok(true)
    }

    pub fn fsck(&self) -> Result<FsckReport, StoreError> {
        fsck::run(self)
    }
}

/// The OCI index: one descriptor per reference of each image that has a manifest, and one without
/// a name for images that have none (dangling), so every image stays reachable in the layout.
fn oci_index(state: &State) -> Index {
    let mut manifests = Vec::new();
    // References by image, each image's in lexical order: one sort, no map of vectors.
    let mut by_image: Vec<(&Digest, &str)> = state
        .refs
        .iter()
        .map(|(name, id)| (id, name.as_str()))
        .collect();
    by_image.sort_by(|a, b| a.0.cmp(b.0));
    let mut next = 0;
    for (id, image) in &state.images {
        while by_image.get(next).is_some_and(|(i, _)| *i < id) {
            next += 1;
        }
        let start = next;
        while by_image.get(next).is_some_and(|(i, _)| *i == id) {
            next += 1;
        }
        let Some(manifest) = &image.manifest else {
            continue;
        };
        let descriptor = |name: Option<&str>| Descriptor {
            media_type: MEDIA_MANIFEST.to_owned(),
            digest: manifest.clone(),
            size: image.manifest_size,
            annotations: name
                .map(|n| [(ANNOTATION_REF_NAME.to_owned(), n.to_owned())].into())
                .unwrap_or_default(),
        };
        if start == next {
            manifests.push(descriptor(None));
        }
        for (_, name) in &by_image[start..next] {
            manifests.push(descriptor(Some(name)));
        }
    }
    Index {
        schema_version: 2,
        media_type: MEDIA_INDEX.to_owned(),
        manifests,
        annotations: std::collections::BTreeMap::new(),
    }
}

/// The digest of the manifest list of the index `state` makes.
fn index_list_digest(state: &State) -> Digest {
    manifests_digest(&oci_index(state).manifests)
}

/// The sha256 of a manifest list, as the index's JSON writes it.
fn manifests_digest(manifests: &[Descriptor]) -> Digest {
    Digest::of(&index_json::compact_list(manifests))
}

/// The number after `prefix` on the line of the first 256 bytes of `path` that starts with it.
fn number_after(path: &Path, prefix: &str) -> Option<u64> {
    use std::os::unix::fs::FileExt as _;
    let mut head = [0; 256];
    let n = File::open(path).ok()?.read_at(&mut head, 0).ok()?;
    String::from_utf8_lossy(&head[..n])
        .lines()
        .find_map(|l| l.strip_prefix(prefix)?.parse().ok())
}

/// Removes a file; a missing one is fine.
fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(path)(e)),
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
        state.images.insert(id.clone(), bare_image(0));
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
            r#"{"version":4}"#
        );
        assert!(dir.path().join("state.v4").is_file());
        drop(store);
        let again = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        assert_eq!(again.load_state().expect("reads version 3"), state);
        // A version 3 mark without its file is an error, not an empty store.
        fs::remove_file(dir.path().join("state.v4")).expect("remove");
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

    /// A state of `n` images, each with a reference and two layers (the bottom one shared).
    /// An image record with no layer, manifest nor parent.
    fn bare_image(seq: u64) -> ImageRecord {
        ImageRecord {
            created: "2025-01-01T00:00:00Z".into(),
            layers: vec![],
            manifest: None,
            manifest_size: 0,
            parent: None,
            last_tag_time: None,
            seq,
            size: None,
        }
    }

    fn many_images(n: usize) -> State {
        let mut state = State::new();
        let base = Digest::of(b"base layer");
        state.layers.insert(
            base.clone(),
            LayerRecord {
                diff_id: base.clone(),
                parent: None,
                size: 100,
            },
        );
        for i in 0..n {
            let id = Digest::of(format!("config {i}").as_bytes());
            let top = chain_ids(&[base.clone(), Digest::of(format!("layer {i}").as_bytes())]);
            state.layers.insert(
                top[1].clone(),
                LayerRecord {
                    diff_id: Digest::of(format!("layer {i}").as_bytes()),
                    parent: Some(base.clone()),
                    size: i as u64,
                },
            );
            state.images.insert(
                id.clone(),
                ImageRecord {
                    created: format!("2025-01-01T00:00:{:02}Z", i % 60),
                    layers: top,
                    manifest: None,
                    manifest_size: 0,
                    parent: None,
                    last_tag_time: (i % 7 == 0).then(|| "2025-02-02T00:00:00Z".to_owned()),
                    seq: i as u64 + 1,
                    size: None,
                },
            );
            state
                .refs
                .insert(format!("docker.io/library/app{}:v{i}", i % 13), id);
        }
        state
    }

    #[test]
    fn a_state_read_on_demand_finds_every_record_without_reading_it_whole() {
        let (dir, store) = store();
        let state = many_images(3000);
        store.save_state(&state).expect("save");
        drop(store);
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        let absent = Digest::of(b"absent");
        let keys: Vec<&Digest> = state.images.keys().collect();
        // A table looks up to LOOKUPS records one by one: check each key from a fresh load.
        for chunk in keys.chunks(4) {
            let lazy = store.load_state_to_read().expect("load");
            for id in chunk {
                let image = &state.images[*id];
                assert_eq!(lazy.images.get(*id), Some(image));
                assert!(lazy.images.contains_key(*id));
                for chain in &image.layers {
                    assert_eq!(lazy.layers.get(chain), state.layers.get(chain));
                }
            }
            assert!(lazy.images.get(&absent).is_none());
            assert!(lazy.layers.get(&absent).is_none());
            assert!(lazy.images.unread_section().is_some(), "read whole");
            assert!(lazy.layers.unread_section().is_some(), "read whole");
            assert_eq!(lazy.load_error(), None);
        }
        for (name, id) in state.refs.iter().step_by(7) {
            let lazy = store.load_state_to_read().expect("load");
            assert_eq!(lazy.refs.get(name.as_str()), Some(id));
            assert!(lazy.refs.get("docker.io/library/nothing:here").is_none());
            assert!(lazy.refs.unread_section().is_some());
        }
        // Short IDs and the references of an image, found without reading the state whole.
        let eager_prefix = |prefix: &str| {
            let mut found = state
                .images
                .keys()
                .filter(|id| id.hex().starts_with(prefix));
            let first = found.next().cloned();
            if found.next().is_some() {
                None
            } else {
                first
            }
        };
        for id in keys.iter().step_by(97) {
            let lazy = store.load_state_to_read().expect("load");
            for len in [1, 2, 3, 4, 12, 64] {
                let prefix = &id.hex()[..len];
                assert_eq!(
                    lazy.image_by_prefix(prefix),
                    eager_prefix(prefix),
                    "{prefix}"
                );
            }
            assert_eq!(lazy.refs_of(id), state.refs_of(id));
            assert!(!lazy.refs_of(id).is_empty());
            assert!(lazy.images.unread_section().is_some());
            assert!(lazy.refs.unread_section().is_some());
        }
        let lazy = store.load_state_to_read().expect("load");
        assert_eq!(lazy.image_by_prefix("fffffffff"), eager_prefix("fffffffff"));
        assert_eq!(lazy.image_by_prefix("0"), None, "ambiguous");
        assert_eq!(lazy.refs_of(&absent), Vec::<String>::new());
        // More lookups than a table keeps, then a whole read: the same answers.
        let lazy = store.load_state_to_read().expect("load");
        for id in &keys {
            assert_eq!(lazy.images[*id], state.images[*id]);
        }
        assert_eq!(lazy, state);
        assert_eq!(store.load_state().expect("load"), state);
    }

    #[test]
    fn image_sizes_are_recorded_so_that_listing_needs_no_layer_and_fsck_checks_them() {
        let (dir, store) = store();
        let state = many_images(30);
        assert!(state.images.values().all(|i| i.size.is_none()));
        store.save_state(&state).expect("save");
        let lazy = store.load_state_to_read().expect("load");
        for (id, image) in &*lazy.images {
            assert_eq!(image.size, Some(state.image_size(&state.images[id])));
            assert_eq!(lazy.image_size(image), state.image_size(&state.images[id]));
        }
        assert!(
            lazy.layers.unread_section().is_some(),
            "sizes read no layer"
        );
        assert!(store.fsck().expect("fsck").dangling_records.is_empty());
        // A recorded size that its layers do not make is reported.
        let path = dir.path().join("state.v4");
        let text = fs::read_to_string(&path).expect("state");
        let line = text
            .lines()
            .find(|l| l.starts_with("i "))
            .expect("an image");
        let size = line.split(' ').nth(2).expect("size");
        let wrong = format!("{}{}", &line[..67], "9".repeat(size.len()));
        let wrong = format!("{wrong}{}", &line[67 + size.len()..]);
        fs::write(&path, text.replacen(line, &wrong, 1)).expect("edit");
        let report = store.fsck().expect("fsck");
        assert!(
            report
                .dangling_records
                .iter()
                .any(|r| r.contains("is recorded as")),
            "{report:?}"
        );
        // So is an index list that its images and references do not make.
        fs::write(&path, &text).expect("restore");
        assert!(store.fsck().expect("fsck").dangling_records.is_empty());
        let recorded = text.lines().nth(2).expect("the index line");
        assert!(recorded.starts_with("index "), "{recorded}");
        let other = format!("index {}", Digest::of(b"another list").hex());
        fs::write(&path, text.replacen(recorded, &other, 1)).expect("edit");
        let report = store.fsck().expect("fsck");
        assert!(
            report
                .dangling_records
                .iter()
                .any(|r| r.contains("records the index list")),
            "{report:?}"
        );
    }

    #[test]
    fn the_index_lists_each_manifest_with_its_references_in_order() {
        let mut state = many_images(40);
        let ids: Vec<Digest> = state.images.keys().cloned().collect();
        for (n, id) in ids.iter().enumerate() {
            if n % 3 != 0 {
                let image = state.images.get_mut(id).expect("image");
                image.manifest = Some(Digest::of(format!("manifest {n}").as_bytes()));
                image.manifest_size = n as u64;
            }
            if n % 4 == 0 {
                state
                    .refs
                    .insert(format!("docker.io/library/zz:{n}"), id.clone());
                state
                    .refs
                    .insert(format!("docker.io/library/aa:{n}"), id.clone());
            }
            if n % 5 == 0 {
                state.refs.retain(|_, v| v != id);
            }
        }
        // Image by image (in ID order), each reference of it in lexical order; an image without
        // a reference once, without a name.
        let mut expected = Vec::new();
        for (id, image) in &*state.images {
            let Some(manifest) = &image.manifest else {
                continue;
            };
            let names: Vec<&String> = state
                .refs
                .iter()
                .filter(|(_, v)| *v == id)
                .map(|(k, _)| k)
                .collect();
            let names: Vec<Option<&String>> = if names.is_empty() {
                vec![None]
            } else {
                names.into_iter().map(Some).collect()
            };
            for name in names {
                expected.push((manifest.clone(), image.manifest_size, name.cloned()));
            }
        }
        let listed: Vec<_> = oci_index(&state)
            .manifests
            .into_iter()
            .map(|d| {
                (
                    d.digest,
                    d.size,
                    d.annotations.get(ANNOTATION_REF_NAME).cloned(),
                )
            })
            .collect();
        assert_eq!(listed, expected);
        assert!(listed.iter().any(|(_, _, n)| n.is_none()));
    }

    #[test]
    fn a_save_after_reading_on_demand_copies_what_was_not_read() {
        let (dir, store) = store();
        let state = many_images(500);
        store.save_state(&state).expect("save");
        let path = dir.path().join("state.v4");
        let before = fs::read(&path).expect("state");
        let mut lazy = store.load_state_to_read().expect("load");
        let one = state.images.keys().nth(17).expect("an image").clone();
        assert!(lazy.images.contains_key(&one));
        lazy.refs
            .insert("docker.io/library/new:tag".into(), one.clone());
        assert!(lazy.images.unread_section().is_some());
        store.save_state(&lazy).expect("save");
        let mut expected = state.clone();
        expected
            .refs
            .insert("docker.io/library/new:tag".into(), one);
        assert_eq!(store.load_state().expect("load"), expected);
        // The images' lines are the same bytes, copied.
        let after = fs::read(&path).expect("state");
        let images = |b: &[u8]| {
            String::from_utf8_lossy(b)
                .lines()
                .filter(|l| l.starts_with("i "))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(images(&before), images(&after));
    }

    #[test]
    fn damage_met_on_demand_is_reported_with_its_line_and_nothing_is_saved() {
        let (dir, store) = store();
        let state = many_images(400);
        store.save_state(&state).expect("save");
        let path = dir.path().join("state.v4");
        let text = fs::read_to_string(&path).expect("state");
        // Damage one layer record's size, keeping the file's length.
        let (n, line) = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("l "))
            .nth(200)
            .expect("a layer line");
        let chain: Digest = format!("sha256:{}", &line[2..66]).parse().expect("digest");
        let size = line.rsplit(' ').next().expect("size");
        let damaged = format!(
            "{}{}",
            &line[..line.len() - size.len()],
            "x".repeat(size.len())
        );
        fs::write(&path, text.replacen(line, &damaged, 1)).expect("damage");
        let lazy = store.load_state_to_read().expect("the header is fine");
        assert!(lazy.layers.get(&chain).is_none());
        let error = lazy.load_error().expect("the damage is noticed");
        assert!(
            error.starts_with(&format!("line {}: bad number", n + 1)),
            "{error}"
        );
        assert!(matches!(
            store.check_loaded(&lazy),
            Err(StoreError::CorruptState { .. })
        ));
        assert!(store.save_state(&lazy).is_err());
        assert_eq!(
            fs::read_to_string(&path).expect("state"),
            text.replacen(line, &damaged, 1)
        );
        let err = store.load_state().expect_err("refused whole");
        assert!(
            err.to_string().contains(&format!("line {}", n + 1)),
            "{err}"
        );
        // A file cut short is refused as soon as it is opened.
        fs::write(&path, &text[..text.len() - 10]).expect("cut");
        assert!(store.load_state_to_read().is_err());
    }

    #[test]
    fn a_version_2_store_is_read_and_migrated_by_the_next_save() {
        let (dir, store) = store();
        let state = many_images(50);
        fs::write(dir.path().join("state.v2"), format::encode(&state)).expect("write");
        fs::write(dir.path().join("state.json"), r#"{"version":2}"#).expect("mark");
        assert_eq!(store.load_state_to_read().expect("reads version 2"), state);
        let loaded = store.load_state().expect("reads version 2");
        assert_eq!(loaded, state);
        store.save_state(&loaded).expect("save");
        assert_eq!(
            fs::read_to_string(dir.path().join("state.json")).expect("mark"),
            r#"{"version":4}"#
        );
        assert!(!dir.path().join("state.v2").exists());
        drop(store);
        let again = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        assert_eq!(again.load_state().expect("reads version 3"), state);
    }

    /// A state with one image that has a manifest, named `name`.
    fn one_image(name: &str) -> State {
        let mut state = State::new();
        let id = Digest::of(name.as_bytes());
        state.images.insert(
            id.clone(),
            ImageRecord {
                created: "2025-01-01T00:00:00Z".into(),
                layers: vec![],
                manifest: Some(Digest::of(format!("manifest of {name}").as_bytes())),
                manifest_size: 10,
                parent: None,
                last_tag_time: None,
                seq: 0,
                size: None,
            },
        );
        state
            .refs
            .insert(format!("docker.io/library/{name}:latest"), id);
        state
    }

    #[test]
    fn a_missing_version_mark_is_not_an_empty_store() {
        let (dir, store) = store();
        let state = one_image("a");
        store.save_state(&state).expect("save");
        drop(store);
        fs::remove_file(dir.path().join("state.json")).expect("remove the mark");
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        assert_eq!(store.load_state().expect("reads state.v3"), state);
        // The next save writes the mark again and keeps the images.
        let mut more = state.clone();
        more.refs
            .insert("docker.io/library/a:v2".into(), Digest::of(b"a"));
        store.save_state(&more).expect("save");
        assert_eq!(
            fs::read_to_string(dir.path().join("state.json")).expect("mark"),
            r#"{"version":4}"#
        );
        assert_eq!(store.load_state().expect("load"), more);
        assert_eq!(
            store.fsck().expect("fsck").dangling_records,
            Vec::<String>::new()
        );
        // Neither state file, but an index that lists images: refused, not taken for empty.
        fs::remove_file(dir.path().join("state.json")).expect("remove");
        fs::remove_file(dir.path().join("state.v4")).expect("remove");
        let err = store.load_state().expect_err("refused");
        assert!(
            err.to_string()
                .contains("it is missing, but index.json lists 2 image references"),
            "{err}"
        );
        assert!(store.fsck().is_err());
    }

    /// The note of the list an index replaces, in `index.json`.
    fn previous_note(dir: &Path) -> String {
        let index: Index =
            serde_json::from_slice(&fs::read(dir.join("index.json")).expect("index"))
                .expect("parses");
        index.annotations[ANNOTATION_PREVIOUS].clone()
    }

    #[test]
    fn a_state_loaded_to_read_then_saved_notes_the_same_previous_list() {
        // Left by a crash: the index one write ahead (it lists b), the state still a.
        let setup = |dir: &Path| {
            let store = Store::open(dir, Duration::from_millis(100)).expect("opens");
            store.save_state(&one_image("a")).expect("save");
            let old_state = fs::read(dir.join("state.v4")).expect("state");
            store.save_state(&one_image("b")).expect("save");
            fs::write(dir.join("state.v4"), &old_state).expect("roll back");
        };
        let mut notes = Vec::new();
        for to_read in [false, true] {
            let dir = tempfile::tempdir().expect("tempdir");
            setup(dir.path());
            let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
            let mut state = if to_read {
                store.load_state_to_read().expect("load")
            } else {
                store.load_state().expect("load")
            };
            assert_eq!(state, one_image("a"));
            // Changed as a whole (not record by record, which the journal would take): the
            // state file and the index are rewritten.
            (*state.refs).insert("docker.io/library/a:v2".into(), Digest::of("a".as_bytes()));
            store.save_state(&state).expect("save");
            notes.push(previous_note(dir.path()));
            // The note names a's list (the state on disk), not the index's b.
            assert_eq!(
                notes[notes.len() - 1],
                manifests_digest(&oci_index(&one_image("a")).manifests).to_string()
            );
            assert_eq!(store.index_status(&state, &state), IndexStatus::Current);
        }
        assert_eq!(notes[0], notes[1]);
    }

    #[test]
    fn an_index_one_write_ahead_is_rewritten_and_a_disagreeing_one_reported() {
        let (dir, store) = store();
        let a = one_image("a");
        store.save_state(&a).expect("save");
        assert_eq!(store.index_status(&a, &a), IndexStatus::Current);
        let old_state = fs::read(dir.path().join("state.v4")).expect("state");
        // Killed between the index and the state of the next write: the state is the old one.
        let b = one_image("b");
        store.save_state(&b).expect("save");
        fs::write(dir.path().join("state.v4"), &old_state).expect("roll back");
        drop(store);
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        let loaded = store.load_state().expect("load");
        assert_eq!(loaded, a);
        assert_eq!(store.index_status(&loaded, &loaded), IndexStatus::Stale);
        assert!(store.fsck().expect("fsck").dangling_records.is_empty());
        assert_eq!(store.index_status(&loaded, &loaded), IndexStatus::Current);

        // A state emptied behind docklab's back: the index lists what it lacks.
        fs::write(
            dir.path().join("state.v4"),
            format::encode_v3(&State::new(), &manifests_digest(&[])).expect("encodes"),
        )
        .expect("empty");
        let report = store.fsck().expect("fsck");
        assert_eq!(
            report.dangling_records,
            vec![format!(
                "index.json lists docker.io/library/a:latest (manifest {}), which the state does not have",
                Digest::of(b"manifest of a")
            )]
        );
        assert!(!report.is_clean());
        // …and the index is left as it was.
        assert!(fs::read_to_string(dir.path().join("index.json"))
            .expect("index")
            .contains("manifest"));

        // The reverse: an index emptied while the state has an image.
        fs::write(dir.path().join("state.v4"), &old_state).expect("restore");
        fs::write(
            dir.path().join("index.json"),
            br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#,
        )
        .expect("empty index");
        let report = store.fsck().expect("fsck");
        assert_eq!(report.dangling_records.len(), 1, "{report:?}");
        assert!(report.dangling_records[0].ends_with("which index.json does not list"));
    }

    /// Changes a state loaded on demand as commands do (a tag, an image changed in place, a
    /// reference and an image removed, a new image with a new layer), and the same on `eager`.
    fn change_a_few(lazy: &mut State, eager: &mut State, n: usize) {
        for state in [lazy, eager] {
            let id = Digest::of(format!("config {n}").as_bytes());
            state
                .refs
                .insert(format!("docker.io/library/retag{n}:x"), id.clone());
            if let Some(image) = state.images.get_mut(&id) {
                image.last_tag_time = Some(format!("2025-03-03T00:00:{:02}Z", n % 60));
            }
            let gone = Digest::of(format!("config {}", n + 1).as_bytes());
            state.images.remove(&gone);
            let names = state.refs_of(&gone);
            for name in names {
                state.refs.remove(name.as_str());
            }
            let layer = Digest::of(format!("new layer {n}").as_bytes());
            state.layers.insert(
                layer.clone(),
                LayerRecord {
                    diff_id: layer.clone(),
                    parent: None,
                    size: 7,
                },
            );
            state.images.insert(
                Digest::of(format!("new config {n}").as_bytes()),
                ImageRecord {
                    created: "2025-04-04T00:00:00Z".into(),
                    layers: vec![layer],
                    manifest: None,
                    manifest_size: 0,
                    parent: Some(id),
                    last_tag_time: None,
                    seq: 0,
                    size: None,
                },
            );
            state.seq += 1;
        }
    }

    #[test]
    fn a_few_changed_records_are_appended_to_the_journal_and_read_back() {
        let (dir, store) = store();
        let mut eager = many_images(400);
        store.save_state(&eager).expect("save");
        let file = fs::read(dir.path().join("state.v4")).expect("state");
        let index = fs::read(dir.path().join("index.json")).expect("index");
        for n in [10, 20, 30] {
            let mut lazy = store.load_state_to_read().expect("load");
            change_a_few(&mut lazy, &mut eager, n);
            let touched: Vec<&Digest> = lazy.images.touched().collect();
            assert_eq!(touched.len(), 3, "{touched:?}");
            store.save_state(&lazy).expect("save");
            // Neither the state file nor the index was rewritten: the journal has it.
            assert_eq!(fs::read(dir.path().join("state.v4")).expect("state"), file);
            assert_eq!(
                fs::read(dir.path().join("index.json")).expect("index"),
                index
            );
        }
        let journal = fs::read_to_string(dir.path().join("state.journal")).expect("journal");
        assert_eq!(journal.matches("\ncommit ").count(), 3, "{journal}");
        drop(store);
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        let lazy = store.load_state_to_read().expect("load");
        // What a command asks of a state read on demand, answered with the journal's changes.
        for n in [10, 20, 30] {
            let id = Digest::of(format!("config {n}").as_bytes());
            assert_eq!(lazy.images.get(&id), eager.images.get(&id));
            assert_eq!(lazy.refs_of(&id), eager.refs_of(&id));
            assert!(lazy.has_children(&id) && eager.has_children(&id));
            let gone = Digest::of(format!("config {}", n + 1).as_bytes());
            assert_eq!(lazy.images.get(&gone), None);
            assert_eq!(lazy.refs_of(&gone), Vec::<String>::new());
            let prefix = &gone.hex()[..12];
            assert_eq!(lazy.image_by_prefix(prefix), None);
            let new = Digest::of(format!("new config {n}").as_bytes());
            assert_eq!(lazy.image_by_prefix(&new.hex()[..12]), Some(new.clone()));
            let layer = Digest::of(format!("new layer {n}").as_bytes());
            assert!(lazy.layer_has_users(&layer) && eager.layer_has_users(&layer));
            let new_id = Digest::of(format!("new config {n}").as_bytes());
            assert!(!lazy.has_children(&new_id) && !eager.has_children(&new_id));
            // The removed image's own layer: no image uses it any more.
            let own = chain_ids(&[
                Digest::of(b"base layer"),
                Digest::of(format!("layer {}", n + 1).as_bytes()),
            ]);
            assert!(!lazy.layer_has_users(&own[1]) && !eager.layer_has_users(&own[1]));
            assert!(lazy.layer_has_users(&own[0]));
        }
        assert!(
            lazy.images.unread_section().is_none(),
            "changed since the file"
        );
        assert_eq!(lazy, eager);
        assert_eq!(store.load_state().expect("load"), eager);
        // The index lists what the state file makes, the journal's changes aside: consistent
        // (these images have no blobs).
        let report = store.fsck().expect("fsck");
        assert_eq!(report.dangling_records, Vec::<String>::new());
    }

    #[test]
    fn the_journal_is_folded_into_the_state_file_when_it_outgrows_its_part() {
        let (dir, store) = store();
        let mut eager = many_images(100);
        store.save_state(&eager).expect("save");
        let mut n = 0;
        while n < 10 || dir.path().join("state.journal").exists() {
            let mut lazy = store.load_state_to_read().expect("load");
            n += 1;
            // A tag of an image.
            let id = Digest::of(format!("config {}", n % 100).as_bytes());
            for state in [&mut lazy, &mut eager] {
                state
                    .refs
                    .insert(format!("docker.io/library/tag{n}:x"), id.clone());
            }
            store.save_state(&lazy).expect("save");
            assert!(n < 1000, "never folded");
        }
        let state = fs::read_to_string(dir.path().join("state.v4")).expect("state");
        assert!(state.contains(&format!("docker.io/library/tag{n}:x")));
        assert!(state.contains("generation 2\n"), "{}", &state[..200]);
        assert_eq!(store.load_state().expect("load"), eager);
        assert_eq!(
            store.fsck().expect("fsck").dangling_records,
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_transaction_cut_short_is_ignored_and_cut_off_by_the_next_append() {
        let (dir, store) = store();
        let mut eager = many_images(50);
        store.save_state(&eager).expect("save");
        let mut lazy = store.load_state_to_read().expect("load");
        change_a_few(&mut lazy, &mut eager, 1);
        store.save_state(&lazy).expect("save");
        let path = dir.path().join("state.journal");
        let whole = fs::read(&path).expect("journal");
        let before = eager.clone();
        let mut lazy = store.load_state_to_read().expect("load");
        change_a_few(&mut lazy, &mut eager, 5);
        store.save_state(&lazy).expect("save");
        let two = fs::read(&path).expect("journal");
        drop(store);
        // Killed while appending the second: cut anywhere, or its checksum garbled.
        let mut garbled = two.clone();
        let last = garbled.len() - 2;
        garbled[last] = if garbled[last] == b'0' { b'1' } else { b'0' };
        for damaged in [
            two[..=whole.len()].to_vec(),
            two[..whole.len() + (two.len() - whole.len()) / 2].to_vec(),
            two[..two.len() - 1].to_vec(),
            garbled,
        ] {
            fs::write(&path, &damaged).expect("write");
            let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
            assert_eq!(store.load_state().expect("load"), before);
            // The next append cuts the rest off.
            let mut lazy = store.load_state_to_read().expect("load");
            let mut expected = before.clone();
            change_a_few(&mut lazy, &mut expected, 5);
            store.save_state(&lazy).expect("save");
            assert_eq!(fs::read(&path).expect("journal"), two);
            assert_eq!(store.load_state().expect("load"), expected);
        }
        // Damage before the last transaction is not a crash: reported with its line.
        let mut damaged = two.clone();
        let at = whole.len() - 80;
        damaged[at] = if damaged[at] == b'a' { b'b' } else { b'a' };
        fs::write(&path, &damaged).expect("write");
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        let err = store.load_state_to_read().expect_err("damaged");
        assert!(
            err.to_string().contains(
                "state.journal: the state file is corrupt: line 2: the transaction up to line"
            ),
            "{err}"
        );
        assert!(store.fsck().is_err());
        assert_eq!(fs::read(&path).expect("journal"), damaged, "left as it was");
    }

    #[test]
    fn a_journal_of_an_earlier_generation_is_ignored_and_freed_blobs_wait_for_the_rewrite() {
        let (dir, store) = store();
        let mut state = many_images(30);
        let used = store.put_blob(b"a config still used").expect("blob");
        let held = store.put_blob(b"a blob held by the caller").expect("blob");
        let unused = store.put_blob(b"a blob nothing uses").expect("blob");
        state.images.insert(used.clone(), bare_image(99));
        store.save_state(&state).expect("save");
        let mut lazy = store.load_state_to_read().expect("load");
        lazy.refs
            .insert("docker.io/library/late:x".into(), used.clone());
        let freed = [used.clone(), held.clone(), unused.clone()];
        let keep_held = |_: &State| [held.clone()].into_iter().collect();
        store
            .commit(&lazy, &freed, false, &keep_held)
            .expect("commit");
        // Appended: nothing is unlinked until the state file is rewritten.
        let journal = fs::read(dir.path().join("state.journal")).expect("journal");
        assert!(store.has_blob(&unused) && store.has_blob(&held) && store.has_blob(&used));
        assert_eq!(store.compact(&keep_held).expect("compact"), 31);
        assert!(!dir.path().join("state.journal").exists());
        assert!(!store.has_blob(&unused), "freed and unused: unlinked");
        assert!(store.has_blob(&held) && store.has_blob(&used));
        // A journal left from before the rewrite (killed before it was removed) is ignored.
        fs::write(dir.path().join("state.journal"), &journal).expect("write");
        drop(store);
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        let mut lazy = store.load_state_to_read().expect("load");
        assert_eq!(lazy.refs.get("docker.io/library/late:x"), Some(&used));
        lazy.refs.remove("docker.io/library/late:x");
        store.save_state(&lazy).expect("save");
        let loaded = store.load_state().expect("load");
        assert_eq!(loaded.refs.get("docker.io/library/late:x"), None);
        assert_eq!(loaded.images.len(), 31);
        let journal = fs::read_to_string(dir.path().join("state.journal")).expect("journal");
        assert!(journal.starts_with("docklab-journal 1 2\n"), "{journal}");
    }

    #[test]
    fn a_state_saved_without_a_load_takes_a_generation_no_journal_left_on_disk_has() {
        let (dir, store) = store();
        store.save_state(&many_images(20)).expect("save");
        let mut lazy = store.load_state_to_read().expect("load");
        lazy.refs
            .insert("docker.io/library/late:x".into(), Digest::of(b"config 3"));
        store.save_state(&lazy).expect("save");
        let journal = fs::read(dir.path().join("state.journal")).expect("journal");
        drop(store);
        // Another state saved whole, without loading the one on disk; then the journal of the
        // old file put back, as a crash between the new file and the journal's removal leaves it.
        let store = Store::open(dir.path(), Duration::from_millis(100)).expect("opens");
        let other = many_images(5);
        store.save_state(&other).expect("save");
        fs::write(dir.path().join("state.journal"), &journal).expect("write");
        assert_eq!(store.load_state().expect("load"), other);
    }

    #[test]
    fn containers_and_cache_records_are_read_when_a_command_uses_them() {
        let (dir, store) = store();
        let mut state = format::tests::sample();
        state.images.clear();
        state.refs.clear();
        state.layers.clear();
        store.save_state(&state).expect("save");
        let lazy = store.load_state_to_read().expect("load");
        assert!(lazy.containers.unread_section().is_some());
        assert!(lazy.build_cache.unread_section().is_some());
        assert_eq!(lazy, state);
        // Damage in the cache records: met when they are read, not before.
        let path = dir.path().join("state.v4");
        let text = fs::read_to_string(&path).expect("state");
        let damaged = text.replacen(" regular 7 ", " regular x ", 1);
        assert_ne!(damaged, text);
        fs::write(&path, &damaged).expect("write");
        let lazy = store.load_state_to_read().expect("load");
        assert_eq!(lazy.containers.len(), 1);
        assert_eq!(lazy.load_error(), None);
        assert_eq!(lazy.build_cache.len(), 0);
        let error = lazy.load_error().expect("damaged");
        assert!(error.contains("bad number"), "{error}");
        assert!(store.check_loaded(&lazy).is_err());
        fs::write(&path, &text).expect("restore");
        // A container changed: the journal replaces the containers, not the cache records.
        let mut lazy = store.load_state_to_read().expect("load");
        lazy.containers[0].exit_code = 3;
        lazy.seq += 1;
        store.save_state(&lazy).expect("save");
        let journal = fs::read_to_string(dir.path().join("state.journal")).expect("journal");
        assert!(
            journal.contains("\n=c 1\n") && !journal.contains("=b"),
            "{journal}"
        );
        state.containers[0].exit_code = 3;
        state.seq += 1;
        assert_eq!(store.load_state().expect("load"), state);
    }
}
