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

/// Loads a lab's progress; `None` when there is none (or it is unreadable).
pub fn load(home: &Path, lab: &str) -> Option<LabProgress> {
    let text = std::fs::read_to_string(progress_file(home, lab)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Loads a lab's progress, telling a missing file (`Ok(None)`) from one that is there but cannot
/// be read (`Err` with why): the latter must not be taken for a fresh start and wiped.
pub fn load_checked(home: &Path, lab: &str) -> Result<Option<LabProgress>, String> {
    let bytes = match std::fs::read(progress_file(home, lab)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Moves a lab's run directory (progress, store, workspace) aside to `<lab>.broken-N` beside
/// it, and returns where it went: nothing the student made is deleted.
pub fn set_aside(home: &Path, lab: &str) -> std::io::Result<PathBuf> {
    let dir = run_dir(home, lab);
    for n in 1..1000 {
        let to = dir.with_file_name(format!("{lab}.broken-{n}"));
        if !to.exists() {
            std::fs::rename(&dir, &to)?;
            return Ok(to);
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "999 broken runs are already kept",
    ))
}

/// Saves atomically (temp file in the same directory, then rename).
pub fn save(home: &Path, p: &LabProgress) -> std::io::Result<()> {
    let file = progress_file(home, &p.lab);
    let dir = file.parent().expect("progress file has a parent");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".progress-")
        .tempfile_in(dir)?;
    let json = serde_json::to_vec_pretty(p).map_err(std::io::Error::other)?;
    tmp.write_all(&json)?;
    tmp.as_file().sync_all()?;
    tmp.persist(&file).map_err(|e| e.error)?;
    Ok(())
}
