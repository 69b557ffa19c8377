//! A student's progress in one lab — current step, passed and skipped steps, hints used and the
//! transcript — saved as JSON in the lab's run directory so it survives a restart.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::transcript::Entry;

/// Progress in one lab.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabProgress {
    pub lab: String,
    /// Index of the current step (`steps.len()` when the lab is completed).
    pub current: usize,
    pub passed: Vec<String>,
    pub skipped: Vec<String>,
    /// Hints shown, by step id.
    pub hints: BTreeMap<String, usize>,
    /// Index in `entries` where the current step began.
    pub step_start: usize,
    /// The working directory, relative to `~`.
    pub cwd: String,
    pub entries: Vec<Entry>,
}

impl LabProgress {
    pub fn new(lab: &str) -> LabProgress {
        LabProgress {
            lab: lab.to_owned(),
            ..LabProgress::default()
        }
    }

    pub fn completed(&self, steps: usize) -> bool {
        self.current >= steps
    }

    /// Steps passed without skipping, over all steps, in percent.
    pub fn score(&self, steps: usize) -> i64 {
        if steps == 0 {
            return 0;
        }
        (self.passed.len() * 100 / steps) as i64
    }
}

/// Where a lab's store, workspace and progress live.
pub fn run_dir(home: &Path, lab: &str) -> PathBuf {
    home.join("runs").join(lab)
}

pub fn progress_file(home: &Path, lab: &str) -> PathBuf {
    run_dir(home, lab).join("progress.json")
}

/// The journal of changes since the snapshot: one JSON record per line, appended after each
/// command, so that saving costs what the command added, not the whole transcript again.
pub fn journal_file(home: &Path, lab: &str) -> PathBuf {
    run_dir(home, lab).join("progress.journal")
}

/// The snapshot, `progress.json`: the whole progress as of its generation.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    /// Journal records of another generation are older than this snapshot and ignored.
    #[serde(default)]
    generation: u64,
    #[serde(flatten)]
    progress: LabProgress,
}

/// What a journal record knows besides entries: all of the progress that is not the transcript.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Meta {
    current: usize,
    passed: Vec<String>,
    skipped: Vec<String>,
    hints: BTreeMap<String, usize>,
    step_start: usize,
    cwd: String,
}

impl Meta {
    fn of(p: &LabProgress) -> Meta {
        Meta {
            current: p.current,
            passed: p.passed.clone(),
            skipped: p.skipped.clone(),
            hints: p.hints.clone(),
            step_start: p.step_start,
            cwd: p.cwd.clone(),
        }
    }

    fn apply(self, p: &mut LabProgress) {
        p.current = self.current;
        p.passed = self.passed;
        p.skipped = self.skipped;
        p.hints = self.hints;
        p.step_start = self.step_start;
        p.cwd = self.cwd;
    }
}

/// One journal line: the entries from index `from` on are replaced by `entries` (usually just the
/// new ones; the last saved one again when a step passed on it), and the rest is set to `meta`.
#[derive(Serialize, Deserialize)]
struct Record {
    generation: u64,
    from: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    entries: Vec<Entry>,
    #[serde(flatten)]
    meta: Meta,
}

/// Loads a lab's progress; `None` when there is none (or it is unreadable).
pub fn load(home: &Path, lab: &str) -> Option<LabProgress> {
    load_checked(home, lab).ok().flatten()
}

/// Loads a lab's progress (the snapshot, then the journal's records of its generation), telling
/// a missing file (`Ok(None)`) from one that is there but cannot be read (`Err` with why): the
/// latter must not be taken for a fresh start and wiped. A last journal line cut short (a process
/// killed while appending it) is ignored: that command's record is lost, nothing before it.
pub fn load_checked(home: &Path, lab: &str) -> Result<Option<LabProgress>, String> {
    let bytes = match std::fs::read(progress_file(home, lab)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    let Snapshot {
        generation,
        mut progress,
    } = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let journal = match std::fs::read(journal_file(home, lab)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("progress.journal: {e}")),
    };
    let lines: Vec<&[u8]> = journal.split(|&b| b == b'\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            continue;
        }
        // The last piece has no newline after it: an append that was cut short.
        if i + 1 == lines.len() {
            break;
        }
        let record: Record = serde_json::from_slice(line)
            .map_err(|e| format!("progress.journal line {}: {e}", i + 1))?;
        if record.generation != generation {
            continue;
        }
        if record.from > progress.entries.len() {
            return Err(format!(
                "progress.journal line {}: entry {} follows entry {}",
                i + 1,
                record.from + 1,
                progress.entries.len()
            ));
        }
        progress.entries.truncate(record.from);
        progress.entries.extend(record.entries);
        record.meta.apply(&mut progress);
    }
    Ok(Some(progress))
}

/// The lock file of a lab run; it stays in place when the run is wiped or set aside.
const LOCK: &str = "lock";

/// The directory of a lab's earlier attempts, inside its run directory; like the lock, it stays
/// in place when the current attempt is wiped or set aside.
const ATTEMPTS: &str = "attempts";

/// Where a lab's earlier attempts are kept: `<run>/attempts/<N>.json`, one progress (transcript
/// and results) per attempt, numbered from 1. The current attempt is the run directory itself.
pub fn attempts_dir(home: &Path, lab: &str) -> PathBuf {
    run_dir(home, lab).join(ATTEMPTS)
}

/// Whether a run directory's entry belongs to the run as a whole, not to its current attempt.
fn kept_across_attempts(name: &std::ffi::OsStr) -> bool {
    name == LOCK || name == ATTEMPTS
}

/// A lab's earlier attempts that can be read, by number (`<run>/attempts/<N>.json`). One that
/// cannot be read is left where it is and skipped.
pub fn attempts(home: &Path, lab: &str) -> Vec<(u32, LabProgress)> {
    let Ok(dir) = std::fs::read_dir(attempts_dir(home, lab)) else {
        return Vec::new();
    };
    let mut found: Vec<(u32, LabProgress)> = dir
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let n: u32 = name.to_str()?.strip_suffix(".json")?.parse().ok()?;
            let bytes = std::fs::read(e.path()).ok()?;
            let p: LabProgress = serde_json::from_slice(&bytes).ok()?;
            (p.lab == lab).then_some((n, p))
        })
        .collect();
    found.sort_by_key(|(n, _)| *n);
    found
}

/// The number the next attempt to be archived gets: one past the highest file name there,
/// readable or not (a number is never reused).
pub fn next_attempt(home: &Path, lab: &str) -> u32 {
    let Ok(dir) = std::fs::read_dir(attempts_dir(home, lab)) else {
        return 1;
    };
    dir.flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".json")?
                .parse::<u32>()
                .ok()
        })
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// Keeps `p` (a whole attempt: transcript and results) as the lab's next earlier attempt, before
/// a new one starts; returns its number. Written atomically: a failure keeps nothing half-made,
/// and the caller must then not wipe the attempt.
pub fn archive_attempt(home: &Path, p: &LabProgress) -> std::io::Result<u32> {
    let dir = attempts_dir(home, &p.lab);
    std::fs::create_dir_all(&dir)?;
    let n = next_attempt(home, &p.lab);
    let json = serde_json::to_vec(p).map_err(std::io::Error::other)?;
    crate::atomic::write(&dir.join(format!("{n}.json")), &json, None)?;
    Ok(n)
}

/// A lab run held by this process: an exclusive advisory lock on `<run>/lock`, released when
/// this is dropped or the process ends. Two shells on one lab would each append to the progress
/// as they saw it and lose the other's transcript, so the second one is refused.
#[derive(Debug)]
pub struct RunLock {
    _file: std::fs::File,
}

/// Why a lab run could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it; its process ID when it wrote it.
    #[error("{path}: lab run in use by another docklab process")]
    Held { path: PathBuf, pid: Option<u32> },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Takes the lock of `lab`'s run (creating its directory), without waiting.
pub fn lock_run(home: &Path, lab: &str) -> Result<RunLock, LockError> {
    use std::io::{Read as _, Seek as _};
    let dir = run_dir(home, lab);
    let path = dir.join(LOCK);
    let io = |source| LockError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut file = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {
            // Who holds it, for the message the next one gets.
            file.set_len(0).map_err(io)?;
            file.rewind().map_err(io)?;
            file.write_all(format!("{}\n", std::process::id()).as_bytes())
                .map_err(io)?;
            Ok(RunLock { _file: file })
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let pid = file
                .read_to_string(&mut text)
                .ok()
                .and_then(|_| text.trim().parse().ok());
            Err(LockError::Held { path, pid })
        }
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Removes everything of a lab run's current attempt: all but its lock and earlier attempts (a
/// fresh start).
pub fn clear_run(home: &Path, lab: &str) -> std::io::Result<()> {
    let dir = run_dir(home, lab);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for e in entries {
        let e = e?;
        if kept_across_attempts(&e.file_name()) {
            continue;
        }
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())?;
        } else {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}

/// Moves a lab run's current attempt (progress, store, workspace; not its lock nor its earlier
/// attempts) aside to
/// `<lab>.broken-N` beside it, and returns where it went: nothing the student made is deleted.
pub fn set_aside(home: &Path, lab: &str) -> std::io::Result<PathBuf> {
    let dir = run_dir(home, lab);
    for n in 1..1000 {
        let to = dir.with_file_name(format!("{lab}.broken-{n}"));
        if to.exists() {
            continue;
        }
        std::fs::create_dir(&to)?;
        for e in std::fs::read_dir(&dir)? {
            let e = e?;
            if !kept_across_attempts(&e.file_name()) {
                std::fs::rename(e.path(), to.join(e.file_name()))?;
            }
        }
        return Ok(to);
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "999 broken runs are already kept",
    ))
}

/// Saves a lab's progress as it changes: a record appended to the journal per save, and a new
/// snapshot (with the journal emptied) when the journal has grown as large as the snapshot, so
/// the bytes written stay proportional to the work done. After a failure the next save writes a
/// whole snapshot again, so nothing is appended after a line that may be cut short.
#[derive(Debug)]
pub struct ProgressWriter {
    home: PathBuf,
    lab: String,
    generation: u64,
    /// Whether the next save must write a whole snapshot (first save, or after a failure).
    compact: bool,
    /// Entries on disk, and the last of them as written (a step passing marks it afterwards).
    synced: usize,
    last: Option<Entry>,
    meta: Meta,
    snapshot_bytes: u64,
    journal_bytes: u64,
    /// Bytes written so far (what the tests measure).
    pub(crate) written: u64,
    /// Snapshots written so far.
    pub(crate) snapshots: u64,
    /// The journal is compacted when it is larger than this and than the snapshot.
    journal_min: u64,
}

/// The journal is compacted into the snapshot when it is larger than this and than the snapshot.
const JOURNAL_MIN: u64 = 256 << 10;

impl ProgressWriter {
    /// A writer for `lab`'s progress; it starts with a whole snapshot, which also drops whatever
    /// journal and generation were there.
    pub fn new(home: &Path, lab: &str) -> ProgressWriter {
        ProgressWriter {
            home: home.to_owned(),
            lab: lab.to_owned(),
            generation: 0,
            compact: true,
            synced: 0,
            last: None,
            meta: Meta::default(),
            snapshot_bytes: 0,
            journal_bytes: 0,
            written: 0,
            snapshots: 0,
            journal_min: JOURNAL_MIN,
        }
    }

    /// Saves what changed in `p` since the last save; nothing when nothing did.
    pub fn save(&mut self, p: &LabProgress) -> std::io::Result<()> {
        let result = self.try_save(p);
        if result.is_err() {
            self.compact = true;
        }
        result
    }

    fn try_save(&mut self, p: &LabProgress) -> std::io::Result<()> {
        if self.compact
            || self.synced > p.entries.len()
            || self.journal_bytes > self.journal_min.max(self.snapshot_bytes)
        {
            return self.snapshot(p);
        }
        let from = if self.synced > 0 && p.entries.get(self.synced - 1) != self.last.as_ref() {
            self.synced - 1
        } else {
            self.synced
        };
        let meta = Meta::of(p);
        if from == p.entries.len() && meta == self.meta {
            return Ok(());
        }
        let record = Record {
            generation: self.generation,
            from,
            entries: p.entries[from..].to_vec(),
            meta,
        };
        let mut line = serde_json::to_vec(&record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(journal_file(&self.home, &self.lab))?;
        f.write_all(&line)?;
        f.sync_data()?;
        self.journal_bytes += line.len() as u64;
        self.written += line.len() as u64;
        self.synced = p.entries.len();
        self.last = p.entries.last().cloned();
        self.meta = record.meta;
        Ok(())
    }

    /// Writes the whole progress as a new snapshot generation, then empties the journal.
    fn snapshot(&mut self, p: &LabProgress) -> std::io::Result<()> {
        let file = progress_file(&self.home, &self.lab);
        let dir = file.parent().expect("progress file has a parent");
        std::fs::create_dir_all(dir)?;
        // A generation no journal line on disk can carry: the old lines are then ignored even if
        // the journal cannot be removed below.
        let generation = self
            .generation
            .max(load_generation(&self.home, &self.lab).unwrap_or(0))
            + 1;
        #[derive(Serialize)]
        struct SnapshotRef<'a> {
            generation: u64,
            #[serde(flatten)]
            progress: &'a LabProgress,
        }
        let json = serde_json::to_vec(&SnapshotRef {
            generation,
            progress: p,
        })
        .map_err(std::io::Error::other)?;
        crate::atomic::write(&file, &json, None)?;
        self.generation = generation;
        self.written += json.len() as u64;
        self.snapshots += 1;
        self.snapshot_bytes = json.len() as u64;
        match std::fs::remove_file(journal_file(&self.home, &self.lab)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        self.journal_bytes = 0;
        self.compact = false;
        self.synced = p.entries.len();
        self.last = p.entries.last().cloned();
        self.meta = Meta::of(p);
        Ok(())
    }
}

/// The generation of the snapshot on disk, if one can be read.
fn load_generation(home: &Path, lab: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Generation {
        #[serde(default)]
        generation: u64,
    }
    let bytes = std::fs::read(progress_file(home, lab)).ok()?;
    serde_json::from_slice::<Generation>(&bytes)
        .ok()
        .map(|g| g.generation)
}

/// Saves `p` whole, as a new snapshot (what a one-off save needs: tests, tools).
pub fn save(home: &Path, p: &LabProgress) -> std::io::Result<()> {
    ProgressWriter::new(home, &p.lab).save(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{EntryKind, FileEdit};

    fn entry(i: usize) -> Entry {
        let mut e = Entry::new(&format!("echo line {i} >> big.txt"), EntryKind::Shell);
        e.edits.insert(
            "big.txt".into(),
            FileEdit::diff(Some(b"x"), format!("x{i}\n").as_bytes()),
        );
        e
    }

    #[test]
    fn the_journal_and_snapshot_load_back_as_saved() {
        let home = tempfile::tempdir().expect("home");
        let mut p = LabProgress::new("images");
        let mut w = ProgressWriter::new(home.path(), "images");
        w.save(&p).expect("first save");
        for i in 0..50 {
            p.entries.push(entry(i));
            if i % 7 == 0 {
                // A step passing marks the entry already saved.
                p.entries
                    .last_mut()
                    .expect("entry")
                    .passed
                    .push(format!("s{i}"));
                p.passed.push(format!("s{i}"));
                p.current += 1;
                p.step_start = p.entries.len();
            }
            *p.hints.entry("x".into()).or_default() += 1;
            w.save(&p).expect("save");
            assert_eq!(load_checked(home.path(), "images"), Ok(Some(p.clone())));
        }
        assert!(journal_file(home.path(), "images").is_file());
        // Nothing changed: nothing written.
        let before = w.written;
        w.save(&p).expect("save");
        assert_eq!(w.written, before);
        // A fresh writer starts a new generation: the old journal no longer counts.
        let mut w2 = ProgressWriter::new(home.path(), "images");
        p.entries.truncate(3);
        w2.save(&p).expect("save");
        assert_eq!(load(home.path(), "images"), Some(p.clone()));
        assert!(!journal_file(home.path(), "images").exists());
    }

    /// An attempt kept before a new one starts survives the wipe of the run and setting a broken
    /// run aside; numbers are never reused.
    #[test]
    fn kept_attempts_survive_a_fresh_start_and_a_broken_run() {
        let home = tempfile::tempdir().expect("home");
        let mut p = LabProgress::new("images");
        p.entries.push(entry(1));
        p.passed.push("pull".into());
        p.current = 1;
        save(home.path(), &p).expect("save");
        assert_eq!(next_attempt(home.path(), "images"), 1);
        assert_eq!(archive_attempt(home.path(), &p).expect("kept"), 1);
        clear_run(home.path(), "images").expect("wipe");
        assert_eq!(load(home.path(), "images"), None);
        assert_eq!(attempts(home.path(), "images"), vec![(1, p.clone())]);
        // Another attempt, then a broken progress set aside: the attempts stay.
        let mut q = LabProgress::new("images");
        q.entries.push(entry(2));
        assert_eq!(archive_attempt(home.path(), &q).expect("kept"), 2);
        std::fs::write(progress_file(home.path(), "images"), b"{broken").expect("write");
        let aside = set_aside(home.path(), "images").expect("set aside");
        assert!(aside.join("progress.json").is_file());
        assert_eq!(
            attempts(home.path(), "images")
                .into_iter()
                .map(|(n, _)| n)
                .collect::<Vec<_>>(),
            [1, 2]
        );
        // An unreadable attempt is skipped, not removed, and its number not reused.
        std::fs::write(attempts_dir(home.path(), "images").join("3.json"), b"x").expect("write");
        assert_eq!(attempts(home.path(), "images").len(), 2);
        assert_eq!(next_attempt(home.path(), "images"), 4);
    }

    #[test]
    fn a_cut_short_last_line_is_ignored_and_a_broken_one_before_it_is_an_error() {
        let home = tempfile::tempdir().expect("home");
        let mut p = LabProgress::new("images");
        let mut w = ProgressWriter::new(home.path(), "images");
        w.save(&p).expect("save");
        p.entries.push(entry(1));
        w.save(&p).expect("save");
        let journal = journal_file(home.path(), "images");
        let good = std::fs::read(&journal).expect("journal");
        let mut torn = good.clone();
        torn.extend_from_slice(br#"{"generation":1,"from":1,"entr"#);
        std::fs::write(&journal, &torn).expect("write");
        assert_eq!(load(home.path(), "images"), Some(p.clone()));
        let mut broken = good.clone();
        broken.extend_from_slice(b"{not json\n");
        broken.extend_from_slice(&good);
        std::fs::write(&journal, &broken).expect("write");
        let err = load_checked(home.path(), "images").expect_err("broken");
        assert!(err.starts_with("progress.journal line 2: "), "{err}");
        // A record that would leave a gap in the transcript is refused too.
        let gap = br#"{"generation":1,"from":5,"current":0,"passed":[],"skipped":[],"hints":{},"step_start":0,"cwd":""}"#;
        std::fs::write(&journal, [&gap[..], b"\n"].concat()).expect("write");
        assert!(load_checked(home.path(), "images").is_err());
    }

    #[test]
    fn an_old_pretty_progress_file_with_whole_files_still_loads() {
        let home = tempfile::tempdir().expect("home");
        let dir = run_dir(home.path(), "images");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join("progress.json"),
            r#"{
  "lab": "images", "current": 1, "passed": ["a"], "skipped": [], "hints": {},
  "step_start": 1, "cwd": "",
  "entries": [{"line": "echo hi > f", "kind": "shell", "exit_code": 0, "files": {"f": "hi\n"}}]
}"#,
        )
        .expect("write");
        let p = load_checked(home.path(), "images")
            .expect("reads")
            .expect("there");
        assert_eq!(p.entries[0].files["f"], "hi\n");
        assert_eq!(p.passed, ["a"]);
    }

    /// 1,000 lines: the bytes written per line do not grow with the transcript (the old writer
    /// rewrote it whole, pretty-printed, after every line: quadratic).
    #[test]
    fn saving_costs_what_each_line_adds() {
        let home = tempfile::tempdir().expect("home");
        let mut p = LabProgress::new("images");
        let mut w = ProgressWriter::new(home.path(), "images");
        // Compact often, so that the test sees many snapshots.
        w.journal_min = 4096;
        let mut per_line = Vec::new();
        for i in 0..1000 {
            p.entries.push(entry(i));
            let before = w.written;
            w.save(&p).expect("save");
            per_line.push(w.written - before);
        }
        let total: u64 = per_line.iter().sum();
        let on_disk = std::fs::metadata(progress_file(home.path(), "images"))
            .expect("snapshot")
            .len()
            + std::fs::metadata(journal_file(home.path(), "images")).map_or(0, |m| m.len());
        // Each byte is written a bounded number of times: once in the journal, and in snapshots
        // that at least double the journal's size each time.
        assert!(w.snapshots > 4, "{} snapshots", w.snapshots);
        assert!(
            total < 4 * on_disk,
            "{total} bytes written for {on_disk} on disk"
        );
        // A line that is not followed by a snapshot costs the same at the end as at the start.
        let journal_only = |lines: &[u64]| lines.iter().copied().filter(|&b| b < 1000).max();
        assert_eq!(
            journal_only(&per_line[1..101]).map(|b| b / 10),
            journal_only(&per_line[900..1000]).map(|b| b / 10)
        );
        assert_eq!(load(home.path(), "images"), Some(p));
    }
}
