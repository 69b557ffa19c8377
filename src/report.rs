//! Self-grading reports: the transcript and results of each lab with a sha256 hash chain over
//! the entries, and their verification (the chain, then a replay on a fresh simulated engine
//! with a frozen clock). Tamper-evident and reproducible; not forgery-proof.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::engine::fsroot::FsRoot;
use crate::engine::{Clock, Interaction};
use crate::i18n::Lang;
use crate::lab::progress::LabProgress;
use crate::lab::{Catalog, Lab};
use crate::session::{ReplayFailure, Session, SessionOptions, ShellMode};
use crate::transcript::{Entry, EntryKind};

/// The format written. Version 2 records file changes as edits (`edits`) rather than whole
/// contents (`files`); version 3 may hold several sections for one lab, one per attempt, each
/// numbered (`attempt`), of which the best confirmed one grades the lab. An older docklab refuses
/// a newer format by name instead of finding a broken chain or grading each attempt as a lab.
pub const FORMAT: &str = "docklab-report/3";

/// The formats `verify` reads.
pub const READABLE: &[&str] = &["docklab-report/1", "docklab-report/2", FORMAT];

/// Whether `verify` reads reports of this format.
pub fn readable(format: &str) -> bool {
    READABLE.contains(&format)
}

/// The chain's first link names the first format, whatever the report's: the chain of a version
/// 1 report verifies unchanged, and entries are hashed the same way in both.
const CHAIN: &str = "docklab-report/1";

/// A report: one section per lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub docklab: String,
    /// The name the student gave (`docklab report --name`). Outside the hash chain and not
    /// authenticated in any way: anyone can write any name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student: Option<String>,
    pub labs: Vec<LabReport>,
}

/// One lab's transcript and results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabReport {
    pub lab: String,
    /// Where the student's workspace was (absolute), so that `verify` puts the replay's
    /// workspace at the same place inside its sandbox and absolute paths into it replay.
    /// Outside the hash chain: it only chooses a directory inside the sandbox.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    /// Which attempt at the lab this section is (from 1), when the student made more than one
    /// (`reset` keeps the attempt it ends). Outside the hash chain, like `workspace`: each
    /// attempt is verified on its own, and renumbering them changes no grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    pub entries: Vec<Chained>,
    pub result: LabResult,
    /// sha256 over the last entry hash and the result.
    pub result_hash: String,
}

/// An entry and the chain hash up to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chained {
    pub entry: Entry,
    pub hash: String,
}

/// A lab's graded result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabResult {
    pub total: usize,
    pub passed: Vec<String>,
    pub skipped: Vec<String>,
    pub score: i64,
    pub completed: bool,
}

impl LabResult {
    pub fn of(lab: &Lab, p: &LabProgress) -> LabResult {
        LabResult {
            total: lab.steps.len(),
            passed: p.passed.clone(),
            skipped: p.skipped.clone(),
            score: p.score(lab.steps.len()),
            completed: p.completed(lab.steps.len()),
        }
    }

    fn status(&self, step: &str) -> &'static str {
        if self.passed.iter().any(|s| s == step) {
            "passed"
        } else if self.skipped.iter().any(|s| s == step) {
            "skipped"
        } else {
            "todo"
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn genesis(lab: &str) -> String {
    hex(&Sha256::digest(format!("{CHAIN}\n{lab}").as_bytes()))
}

fn link(prev: &str, json: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(json.as_bytes());
    hex(&h.finalize())
}

fn entry_json(e: &Entry) -> String {
    serde_json::to_string(e).unwrap_or_default()
}

fn result_json(r: &LabResult) -> String {
    serde_json::to_string(r).unwrap_or_default()
}

/// Builds a lab's section from its progress.
pub fn lab_report(lab: &Lab, p: &LabProgress) -> LabReport {
    let mut prev = genesis(&lab.id);
    let entries = p
        .entries
        .iter()
        .map(|e| {
            prev = link(&prev, &entry_json(e));
            Chained {
                entry: e.clone(),
                hash: prev.clone(),
            }
        })
        .collect();
    let result = LabResult::of(lab, p);
    let result_hash = link(&prev, &result_json(&result));
    LabReport {
        lab: lab.id.clone(),
        workspace: None,
        attempt: None,
        entries,
        result,
        result_hash,
    }
}

/// Which of a lab's attempts grades it: the best score, then a completed one, then the most
/// steps passed or skipped, then the latest. Returns the index of the chosen one.
pub fn best_attempt<'a>(results: impl IntoIterator<Item = &'a LabResult>) -> Option<usize> {
    results
        .into_iter()
        .enumerate()
        .max_by_key(|(_, r)| (r.score, r.completed, r.passed.len() + r.skipped.len()))
        .map(|(i, _)| i)
}

/// The first entry (1-based) where the chain breaks; `entries.len() + 1` for the result.
pub fn check_chain(r: &LabReport) -> Result<(), usize> {
    let mut prev = genesis(&r.lab);
    for (i, c) in r.entries.iter().enumerate() {
        prev = link(&prev, &entry_json(&c.entry));
        if prev != c.hash {
            return Err(i + 1);
        }
    }
    if link(&prev, &result_json(&r.result)) != r.result_hash {
        return Err(r.entries.len() + 1);
    }
    Ok(())
}

struct Answers(VecDeque<String>);

impl Interaction for Answers {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        self.0.pop_front()
    }
}

/// Where the replay's docklab home goes inside the sandbox when the report does not say where
/// the student's workspace was.
pub const REPLAY_HOME: &str = "/docklab";

/// The replay's docklab home, as a path from the sandbox's `/`: the student's own when the
/// report recorded their workspace (`<home>/runs/<lab>/home`, an absolute clean path outside
/// `/dev`, `/proc`, `/sys`), so absolute paths into it replay; [`REPLAY_HOME`] otherwise.
pub fn replay_home(r: &LabReport) -> PathBuf {
    use std::path::Component;
    let recorded = r.workspace.as_deref().map(Path::new).filter(|w| {
        let mut parts = w.components();
        parts.next() == Some(Component::RootDir)
            && parts.clone().all(|c| matches!(c, Component::Normal(_)))
            && !w.starts_with("/dev")
            && !w.starts_with("/proc")
            && !w.starts_with("/sys")
    });
    recorded
        .and_then(|w| {
            let lab_dir = w.parent()?;
            let runs = lab_dir.parent()?;
            let home = runs.parent()?;
            (w.file_name()? == "home"
                && lab_dir.file_name()? == r.lab.as_str()
                && runs.file_name()? == "runs")
                .then(|| home.to_path_buf())
        })
        .unwrap_or_else(|| PathBuf::from(REPLAY_HOME))
}

/// Replays a lab's transcript on a fresh simulated engine whose whole file system is the
/// directory `root` (a jail: no replayed path leaves it); returns the result, or why the replay
/// had to stop.
pub fn replay(
    catalog: &Catalog,
    r: &LabReport,
    root: &Path,
    clock: Clock,
) -> Result<LabResult, ReplayFailure> {
    let unknown = || ReplayFailure::UnknownLab { lab: r.lab.clone() };
    let lab = catalog.get(&r.lab).ok_or_else(unknown)?.clone();
    let home = replay_home(r);
    let home = root.join(home.strip_prefix("/").unwrap_or(&home));
    let mut session = Session::with_fs(
        SessionOptions {
            home,
            clock,
            lang: Lang::En,
            catalog: catalog.clone(),
            shell: ShellMode::Replay,
            engine: crate::session::EngineChoice::Sim,
        },
        FsRoot::jail(root.to_path_buf()),
    );
    session.start_lab(&lab.id, true);
    let entries: Vec<&Entry> = r.entries.iter().map(|c| &c.entry).collect();
    let mut i = 0;
    while i < entries.len() {
        let e = entries[i];
        i += 1;
        if e.kind == EntryKind::Answer || e.line.starts_with("# skip:") {
            continue;
        }
        let mut answers = VecDeque::new();
        while i < entries.len() && entries[i].kind == EntryKind::Answer {
            answers.push_back(entries[i].line.clone());
            i += 1;
        }
        session.replay(e, &mut Answers(answers));
        if let Some(failure) = session.replay_failure() {
            return Err(failure.clone());
        }
    }
    match session.lab() {
        Some(l) if l.id == lab.id => {}
        other => {
            return Err(ReplayFailure::LabSwitched {
                from: lab.id.clone(),
                to: other.map(|l| l.id.clone()).unwrap_or_default(),
            })
        }
    }
    Ok(LabResult::of(&lab, session.progress().ok_or_else(unknown)?))
}

/// Per-step disagreements between a report's claim and a replay: (step, claimed, replayed).
pub fn compare(
    lab: &Lab,
    claimed: &LabResult,
    replayed: &LabResult,
) -> Vec<(String, String, String)> {
    lab.steps
        .iter()
        .filter_map(|s| {
            let (a, b) = (claimed.status(&s.id), replayed.status(&s.id));
            (a != b).then(|| (s.id.clone(), a.to_owned(), b.to_owned()))
        })
        .collect()
}
