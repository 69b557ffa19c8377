//! Verifying untrusted reports on an instructor's machine, alone (`docklab verify`) or a class
//! at a time (`docklab gradebook`).
//!
//! Each lab section is checked in two steps: the hash chain, then a replay of its transcript.
//! The replay runs in a child docklab (`docklab __replay`), with an empty environment, whose
//! whole file system is a fresh temporary sandbox ([`crate::engine::fsroot`]): no path a
//! replayed command names reaches the grader's files. The parent bounds it (wall-clock time,
//! bytes written into the sandbox, memory), kills it past a bound, reads its verdict and removes
//! the sandbox. A crash of the replay (a hostile input the engine does not survive) rejects that
//! section and nothing else.
//!
//! Nothing here prints: verdicts are data for `app` to say, and the gradebook's CSV is text.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::engine::fsroot::Refusal;
use crate::engine::Clock;
use crate::lab::Catalog;
use crate::report::{self, LabReport, LabResult, Report};
use crate::session::ReplayFailure;

/// Largest report file read: far above any real transcript, and a bound on what a hostile file
/// makes docklab load.
pub const MAX_REPORT_BYTES: u64 = 64 << 20;

/// The hidden subcommand that runs one replay (`docklab __replay DIR`).
pub const REPLAY_COMMAND: &str = "__replay";

/// The bounds of one section's replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time (`DOCKLAB_REPLAY_TIMEOUT`, seconds; default 120).
    pub time: Duration,
    /// Bytes in the sandbox: store, workspace, saved archives (`DOCKLAB_REPLAY_MAX_BYTES`;
    /// default 1 GiB).
    pub bytes: u64,
    /// Resident memory of the replay, where the system tells it (`/proc`;
    /// `DOCKLAB_REPLAY_MAX_MEMORY`, bytes; default 2 GiB).
    pub memory: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            time: Duration::from_secs(120),
            bytes: 1 << 30,
            memory: 2 << 30,
        }
    }
}

impl Limits {
    /// The defaults, each overridable by its environment variable.
    pub fn from_env() -> Limits {
        let var = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse().ok());
        let d = Limits::default();
        Limits {
            time: var("DOCKLAB_REPLAY_TIMEOUT").map_or(d.time, Duration::from_secs),
            bytes: var("DOCKLAB_REPLAY_MAX_BYTES").unwrap_or(d.bytes),
            memory: var("DOCKLAB_REPLAY_MAX_MEMORY").unwrap_or(d.memory),
        }
    }
}

/// Why a section is not confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The hash chain breaks at this entry (1-based; one past the last entry: the result).
    Tampered { entry: usize },
    /// The section names a lab this docklab does not have.
    UnknownLab,
    /// A `start` inside the section switched to another lab.
    LabSwitched { to: String },
    /// A replayed command named a path the sandbox cannot map.
    UnsafePath { path: String, reason: Refusal },
    /// The replay ran past the time limit (seconds).
    TimeLimit { seconds: u64 },
    /// The replay wrote more than the sandbox may hold (bytes).
    SizeLimit { bytes: u64 },
    /// The replay used more memory than allowed (bytes).
    MemoryLimit { bytes: u64 },
    /// The replay could not run or died (`error` says how).
    ReplayFailed { error: String },
    /// The replay gives another result: per step (step, claimed, replayed); empty when only
    /// the totals differ.
    Differs {
        steps: Vec<(String, String, String)>,
    },
}

impl Rejection {
    /// The reason as the gradebook's `status` column writes it (English, stable: data for
    /// spreadsheets and scripts, not a message).
    pub fn csv_reason(&self) -> String {
        match self {
            Rejection::Tampered { entry } => format!("tampered chain at entry {entry}"),
            Rejection::UnknownLab => "unknown lab".to_owned(),
            Rejection::LabSwitched { to } => format!("lab switched to {to}"),
            Rejection::UnsafePath { path, .. } => format!("unsafe path {path}"),
            Rejection::TimeLimit { .. } => "time limit".to_owned(),
            Rejection::SizeLimit { .. } => "size limit".to_owned(),
            Rejection::MemoryLimit { .. } => "memory limit".to_owned(),
            Rejection::ReplayFailed { .. } => "replay failed".to_owned(),
            Rejection::Differs { steps } if steps.is_empty() => {
                "replay differs in the result".to_owned()
            }
            Rejection::Differs { steps } => {
                let ids: Vec<&str> = steps.iter().map(|(s, ..)| s.as_str()).collect();
                let word = if ids.len() == 1 { "step" } else { "steps" };
                format!("replay differs at {word} {}", ids.join(", "))
            }
        }
    }
}

/// One section's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionVerdict {
    /// The lab the section names (untrusted text).
    pub lab: String,
    /// Which attempt at the lab the section is, when the report numbers them.
    pub attempt: Option<u32>,
    pub entries: usize,
    /// What the report claims.
    pub claimed: LabResult,
    /// The lab's step count, when docklab knows the lab.
    pub total: Option<usize>,
    /// The confirmed result, or why it is not.
    pub outcome: Result<LabResult, Rejection>,
}

/// Reads a report file: a regular file of at most [`MAX_REPORT_BYTES`], in docklab's report
/// format. A FIFO or device is refused without being opened for reading.
pub fn read_report(path: &Path) -> Result<Report, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    if meta.len() > MAX_REPORT_BYTES {
        return Err(format!("larger than {} MiB", MAX_REPORT_BYTES >> 20));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(format!("larger than {} MiB", MAX_REPORT_BYTES >> 20));
    }
    // `LINE:COL: message` (the caller puts the file's name before it).
    let r: Report = serde_json::from_slice(&bytes).map_err(|e| {
        let text = e.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(m, _)| m);
        format!("{}:{}: {message}", e.line(), e.column())
    })?;
    if !report::readable(&r.format) {
        return Err(format!("format {}", r.format));
    }
    Ok(r)
}

/// What a replay child answers on its standard output.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ChildAnswer {
    Result(LabResult),
    Failed(ReplayFailure),
}

/// How to run replays: the docklab program, the lab directories and the bounds.
#[derive(Debug, Clone)]
pub struct Verifier<'c> {
    pub catalog: &'c Catalog,
    /// Where the labs come from, given to each replay so that it grades the same labs.
    pub lab_dirs: Vec<PathBuf>,
    /// The docklab executable to run replays with.
    pub program: PathBuf,
    pub limits: Limits,
}

impl Verifier<'_> {
    /// Checks a section's chain and replays it in its own sandbox.
    pub fn section(&self, section: &LabReport) -> SectionVerdict {
        let lab = self.catalog.get(&section.lab);
        let verdict = |outcome| SectionVerdict {
            lab: section.lab.clone(),
            attempt: section.attempt,
            entries: section.entries.len(),
            claimed: section.result.clone(),
            total: lab.map(|l| l.steps.len()),
            outcome,
        };
        if let Err(entry) = report::check_chain(section) {
            return verdict(Err(Rejection::Tampered { entry }));
        }
        let Some(lab) = lab else {
            return verdict(Err(Rejection::UnknownLab));
        };
        let replayed = match self.replay(section) {
            Ok(r) => r,
            Err(e) => return verdict(Err(e)),
        };
        let steps = report::compare(lab, &section.result, &replayed);
        if steps.is_empty() && replayed == section.result {
            verdict(Ok(replayed))
        } else {
            verdict(Err(Rejection::Differs { steps }))
        }
    }

    /// Every section of a report, in order.
    pub fn report(&self, r: &Report) -> Vec<SectionVerdict> {
        r.labs.iter().map(|s| self.section(s)).collect()
    }

    /// Runs one replay in a child docklab over a fresh sandbox, within the limits.
    fn replay(&self, section: &LabReport) -> Result<LabResult, Rejection> {
        let failed = |error: String| Rejection::ReplayFailed { error };
        let dir = tempfile::Builder::new()
            .prefix("docklab-verify-")
            .tempdir()
            .map_err(|e| failed(e.to_string()))?;
        let root = dir.path().join("root");
        std::fs::create_dir(&root).map_err(|e| failed(e.to_string()))?;
        let input = dir.path().join("section.json");
        let json = serde_json::to_vec(section).map_err(|e| failed(e.to_string()))?;
        std::fs::write(&input, json).map_err(|e| failed(e.to_string()))?;
        let errors =
            std::fs::File::create(dir.path().join("stderr")).map_err(|e| failed(e.to_string()))?;
        let mut cmd = Command::new(&self.program);
        cmd.arg(REPLAY_COMMAND).arg(dir.path());
        for d in &self.lab_dirs {
            cmd.arg("--lab-dir").arg(d);
        }
        // Nothing of the grader's environment reaches the replay (`DOCKER_BUILDKIT`,
        // `DOCKER_API_VERSION`, `--build-arg NAME` read from it…): it runs as the report says.
        let child = cmd
            .env_clear()
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(errors)
            .spawn()
            .map_err(|e| failed(format!("{}: {e}", self.program.display())))?;
        let answer = self.watch(child, dir.path())?;
        // The sandbox is removed here (and on every early return above, by `dir`'s drop).
        drop(dir);
        match answer {
            ChildAnswer::Result(r) => Ok(r),
            ChildAnswer::Failed(f) => Err(match f {
                ReplayFailure::LabSwitched { to, .. } => Rejection::LabSwitched { to },
                ReplayFailure::UnsafePath(p) => Rejection::UnsafePath {
                    path: p.path,
                    reason: p.reason,
                },
                ReplayFailure::UnknownLab { .. } => Rejection::UnknownLab,
            }),
        }
    }

    /// Waits for a replay child within the limits; kills it past one.
    fn watch(&self, mut child: Child, dir: &Path) -> Result<ChildAnswer, Rejection> {
        let failed = |error: String| Rejection::ReplayFailed { error };
        // The answer is small, but read while the child runs so that it can never block on a
        // full pipe.
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let reader = std::thread::spawn(move || {
            let mut out = Vec::new();
            let _ = (&mut stdout).take(1 << 20).read_to_end(&mut out);
            out
        });
        let start = Instant::now();
        let mut next_size_check = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => {
                    stop(&mut child);
                    return Err(failed(e.to_string()));
                }
            }
            if start.elapsed() > self.limits.time {
                stop(&mut child);
                return Err(Rejection::TimeLimit {
                    seconds: self.limits.time.as_secs(),
                });
            }
            if Instant::now() >= next_size_check {
                // A walk of the sandbox a few times a second: cheap, and whatever wrote the bytes
                // (store, archive, workspace) is counted.
                next_size_check = Instant::now() + Duration::from_millis(200);
                let size = tree_size(dir);
                if size > self.limits.bytes {
                    stop(&mut child);
                    return Err(Rejection::SizeLimit {
                        bytes: self.limits.bytes,
                    });
                }
                if resident_memory(child.id()).is_some_and(|m| m > self.limits.memory) {
                    stop(&mut child);
                    return Err(Rejection::MemoryLimit {
                        bytes: self.limits.memory,
                    });
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let out = reader.join().unwrap_or_default();
        if tree_size(dir) > self.limits.bytes {
            return Err(Rejection::SizeLimit {
                bytes: self.limits.bytes,
            });
        }
        match serde_json::from_slice::<ChildAnswer>(&out) {
            Ok(answer) if status.success() => Ok(answer),
            _ => {
                let mut stderr = String::new();
                let _ = std::fs::File::open(dir.join("stderr"))
                    .and_then(|f| f.take(4096).read_to_string(&mut stderr));
                let stderr = stderr.trim();
                Err(failed(if stderr.is_empty() {
                    format!("the replay exited with {status}")
                } else {
                    format!("the replay exited with {status}: {stderr}")
                }))
            }
        }
    }
}

fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Bytes of the regular files under `dir` (symlinks not followed).
fn tree_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = e.path().symlink_metadata() else {
                continue;
            };
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                total += meta.len();
            }
        }
    }
    total
}

/// A process's resident memory in bytes, where `/proc` tells it.
fn resident_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The replay child: reads `DIR/section.json`, replays it with `DIR/root` as its whole file
/// system and a frozen clock, and prints its answer as JSON. Returns whether it could answer.
pub fn replay_child(dir: &Path, catalog: &Catalog) -> Result<String, String> {
    let text = std::fs::read(dir.join("section.json")).map_err(|e| e.to_string())?;
    let section: LabReport = serde_json::from_slice(&text).map_err(|e| e.to_string())?;
    let root = dir.join("root");
    let answer = match report::replay(catalog, &section, &root, replay_clock()) {
        Ok(r) => ChildAnswer::Result(r),
        Err(f) => ChildAnswer::Failed(f),
    };
    serde_json::to_string(&answer).map_err(|e| e.to_string())
}

/// The replay's clock: frozen whatever the environment says, so IDs are reproducible.
pub fn replay_clock() -> Clock {
    Clock::frozen(
        "2025-10-29T12:00:00Z"
            .parse()
            .expect("a valid RFC 3339 time"),
    )
}

/// One row of the gradebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub file: String,
    pub student: String,
    pub lab: String,
    /// The section that grades the lab: its best confirmed attempt, else its last attempt.
    pub verdict: Option<SectionVerdict>,
    /// How many attempts at the lab the report holds (1 for a report without attempts).
    pub attempts: usize,
    /// The other attempts that were rejected: (attempt, why).
    pub rejected: Vec<(Option<u32>, Rejection)>,
    /// Set when the row is not about a section: why (unreadable report, no section).
    pub problem: Option<String>,
}

impl Row {
    /// Whether this row's section was confirmed.
    pub fn verified(&self) -> bool {
        self.problem.is_none() && self.verdict.as_ref().is_some_and(|v| v.outcome.is_ok())
    }
}

/// The rows of one report file: one per section, or one saying why there is none.
pub fn rows_of(verifier: &Verifier<'_>, file: &Path, name: &str) -> Vec<Row> {
    let row = |student: &str, problem: &str| Row {
        file: name.to_owned(),
        student: student.to_owned(),
        lab: String::new(),
        verdict: None,
        attempts: 0,
        rejected: Vec::new(),
        problem: Some(problem.to_owned()),
    };
    let Ok(r) = read_report(file) else {
        return vec![row("", "unreadable report")];
    };
    let student = r.student.clone().unwrap_or_default();
    if r.labs.is_empty() {
        return vec![row(&student, "empty report")];
    }
    by_lab(verifier.report(&r))
        .into_iter()
        .map(|g| Row {
            file: name.to_owned(),
            student: student.clone(),
            lab: g.graded.lab.clone(),
            attempts: g.attempts,
            rejected: g.rejected,
            verdict: Some(g.graded),
            problem: None,
        })
        .collect()
}

/// One lab's verdicts in a report: the section that grades it, and the other attempts that
/// were rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabGrade {
    /// The best confirmed attempt ([`report::best_attempt`]); when none is confirmed, the last.
    pub graded: SectionVerdict,
    pub attempts: usize,
    /// The attempts other than `graded` that were rejected: (attempt, why).
    pub rejected: Vec<(Option<u32>, Rejection)>,
}

/// Groups a report's verdicts by lab (in the order labs first appear) and chooses, for each,
/// the attempt that grades it.
pub fn by_lab(verdicts: Vec<SectionVerdict>) -> Vec<LabGrade> {
    let mut groups: Vec<Vec<SectionVerdict>> = Vec::new();
    for v in verdicts {
        match groups.iter_mut().find(|g| g[0].lab == v.lab) {
            Some(g) => g.push(v),
            None => groups.push(vec![v]),
        }
    }
    groups
        .into_iter()
        .map(|mut g| {
            // Sections of one lab that do not number their attempts (a hand-made report) are
            // numbered in order, so that each can be named.
            if g.len() > 1 {
                for (i, v) in g.iter_mut().enumerate() {
                    v.attempt
                        .get_or_insert(u32::try_from(i + 1).unwrap_or(u32::MAX));
                }
            }
            let confirmed: Vec<(usize, &LabResult)> = g
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.outcome.as_ref().ok().map(|r| (i, r)))
                .collect();
            let chosen = report::best_attempt(confirmed.iter().map(|(_, r)| *r))
                .map_or(g.len() - 1, |k| confirmed[k].0);
            let attempts = g.len();
            let graded = g.remove(chosen);
            let rejected = g
                .into_iter()
                .filter_map(|v| v.outcome.err().map(|why| (v.attempt, why)))
                .collect();
            LabGrade {
                graded,
                attempts,
                rejected,
            }
        })
        .collect()
}

/// The gradebook's columns.
pub const CSV_HEADER: &[&str] = &[
    "file",
    "student",
    "lab",
    "passed",
    "total",
    "score",
    "skipped",
    "completed",
    "status",
    "attempt",
    "attempts",
];

/// The gradebook as CSV (RFC 4180, `\r\n` line ends). A rejected section shows no grade (its
/// claims are not confirmed), only its lab's step count when docklab knows the lab. A lab with
/// several attempts is graded on its best confirmed one (`attempt`, of `attempts`); an attempt
/// that was rejected besides is named in the status.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::new();
    csv_line(&mut out, CSV_HEADER.iter().map(|s| (*s).to_owned()));
    for r in rows {
        let mut cells = vec![r.file.clone(), r.student.clone(), r.lab.clone()];
        let others: String = r
            .rejected
            .iter()
            .map(|(n, why)| match n {
                Some(n) => format!("; attempt {n} rejected: {}", why.csv_reason()),
                None => format!("; another attempt rejected: {}", why.csv_reason()),
            })
            .collect();
        match (&r.problem, &r.verdict) {
            (problem @ Some(_), _) | (problem @ None, None) => {
                cells.extend(["", "", "", "", ""].map(str::to_owned));
                cells.push(format!(
                    "rejected: {}",
                    problem.as_deref().unwrap_or("empty report")
                ));
                cells.extend(["", ""].map(str::to_owned));
            }
            (None, Some(v)) => {
                match &v.outcome {
                    Ok(res) => {
                        cells.push(res.passed.len().to_string());
                        cells.push(res.total.to_string());
                        cells.push(res.score.to_string());
                        cells.push(res.skipped.join(" "));
                        cells.push(if res.completed { "yes" } else { "no" }.to_owned());
                        cells.push(format!("verified{others}"));
                    }
                    Err(why) => {
                        cells.push(String::new());
                        cells.push(v.total.map(|t| t.to_string()).unwrap_or_default());
                        cells.extend(["", "", ""].map(str::to_owned));
                        let which = match (r.attempts > 1, v.attempt) {
                            (true, Some(n)) => format!("attempt {n}: "),
                            _ => String::new(),
                        };
                        cells.push(format!("rejected: {which}{}{others}", why.csv_reason()));
                    }
                }
                cells.push(v.attempt.unwrap_or(1).to_string());
                cells.push(r.attempts.to_string());
            }
        }
        csv_line(&mut out, cells.into_iter());
    }
    out
}

fn csv_line(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.map(|c| csv_cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One CSV cell: control characters escaped (the file may be shown in a terminal), a leading
/// `=`, `+`, `-` or `@` defused with `'` (spreadsheets would run it as a formula), quoted when it
/// holds a comma, a quote or a line break.
pub fn csv_cell(text: &str) -> String {
    let text = crate::docker::reference::escape_controls(text);
    let mut cell = String::with_capacity(text.len() + 2);
    if text.starts_with(['=', '+', '-', '@']) {
        cell.push('\'');
    }
    cell.push_str(&text);
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

/// Writes `text` to `path` atomically: a temporary file beside it, synced, then renamed over it,
/// so a failure leaves any previous file whole.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".docklab-grades-")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The report files of a gradebook directory, by name: every regular, non-hidden file in it
/// (not in its subdirectories) but `skip` (the gradebook being written there).
pub fn report_files(dir: &Path, skip: Option<&Path>) -> std::io::Result<Vec<(String, PathBuf)>> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        // Files only (a FIFO or device named `*.json` gets an "unreadable" row, not a hang).
        let Ok(meta) = path.metadata() else {
            files.push((name, path));
            continue;
        };
        if meta.is_dir() {
            continue;
        }
        if skip.is_some() && path.canonicalize().ok() == skip {
            continue;
        }
        files.push((name, path));
    }
    files.sort();
    Ok(files)
}

/// Verifies every file, on up to `workers` threads; `progress` is called after each file with
/// the number done. Rows come back in the files' order.
pub fn gradebook(
    verifier: &Verifier<'_>,
    files: &[(String, PathBuf)],
    workers: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Row> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Vec<Row>)>> = Mutex::new(Vec::with_capacity(files.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, files.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((name, path)) = files.get(i) else {
                    break;
                };
                let rows = rows_of(verifier, path, name);
                results
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((i, rows));
                progress(done.fetch_add(1, Ordering::SeqCst) + 1);
            });
        }
    });
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().flat_map(|(_, rows)| rows).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        let cases = [
            ("plain", "plain"),
            ("Dupont, Jean", "\"Dupont, Jean\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("=1+2", "'=1+2"),
            ("+33", "'+33"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("=HYPERLINK(\"x\",1)", "\"'=HYPERLINK(\"\"x\"\",1)\""),
            ("a\x1b[2Jb", "a\\x1b[2Jb"),
            ("two\nlines", "two\\nlines"),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(csv_cell(text), want, "{text:?}");
        }
    }

    fn result(passed: &[&str], skipped: &[&str], total: usize) -> LabResult {
        LabResult {
            total,
            passed: passed.iter().map(|s| (*s).to_owned()).collect(),
            skipped: skipped.iter().map(|s| (*s).to_owned()).collect(),
            score: (passed.len() * 100 / total) as i64,
            completed: passed.len() + skipped.len() == total,
        }
    }

    #[test]
    fn the_csv_has_one_row_per_section_and_a_reason_for_each_rejection() {
        let claimed = result(&["a", "b"], &["c"], 3);
        let section = |lab: &str, outcome| SectionVerdict {
            lab: lab.to_owned(),
            attempt: None,
            entries: 4,
            claimed: claimed.clone(),
            total: Some(3),
            outcome,
        };
        let row = |file: &str, verdict: Option<SectionVerdict>, problem: Option<&str>| Row {
            file: file.to_owned(),
            student: "Zoé, \"Z\"".to_owned(),
            lab: verdict.as_ref().map(|v| v.lab.clone()).unwrap_or_default(),
            attempts: usize::from(verdict.is_some()),
            verdict,
            rejected: Vec::new(),
            problem: problem.map(str::to_owned),
        };
        let rows = vec![
            row("a.json", Some(section("images", Ok(claimed.clone()))), None),
            row(
                "b.json",
                Some(section(
                    "couches",
                    Err(Rejection::Differs {
                        steps: vec![("x".into(), "passed".into(), "todo".into())],
                    }),
                )),
                None,
            ),
            row("c.txt", None, Some("unreadable report")),
        ];
        assert_eq!(
            csv(&rows),
            "file,student,lab,passed,total,score,skipped,completed,status,attempt,attempts\r\n\
             a.json,\"Zoé, \"\"Z\"\"\",images,2,3,66,c,yes,verified,1,1\r\n\
             b.json,\"Zoé, \"\"Z\"\"\",couches,,3,,,,rejected: replay differs at step x,1,1\r\n\
             c.txt,\"Zoé, \"\"Z\"\"\",,,,,,,rejected: unreadable report,,\r\n"
        );
        assert!(rows[0].verified() && !rows[1].verified() && !rows[2].verified());
    }

    /// A lab with several attempts is graded on its best confirmed one (the latest among
    /// equals); the rejected ones are named; with none confirmed, the last attempt is shown.
    #[test]
    fn each_lab_is_graded_on_its_best_confirmed_attempt() {
        let section = |lab: &str, attempt: u32, outcome| SectionVerdict {
            lab: lab.to_owned(),
            attempt: Some(attempt),
            entries: 1,
            claimed: result(&[], &[], 3),
            total: Some(3),
            outcome,
        };
        let tampered = Err(Rejection::Tampered { entry: 2 });
        let grades = by_lab(vec![
            section("images", 1, Ok(result(&["a", "b", "c"], &[], 3))),
            section("couches", 1, tampered.clone()),
            section("images", 2, Ok(result(&["a"], &[], 3))),
            section("images", 3, tampered.clone()),
            section("couches", 2, tampered.clone()),
            section("images", 4, Ok(result(&["a", "b", "c"], &[], 3))),
        ]);
        assert_eq!(grades.len(), 2);
        assert_eq!(grades[0].graded.lab, "images");
        assert_eq!(grades[0].graded.attempt, Some(4));
        assert_eq!(grades[0].attempts, 4);
        assert_eq!(
            grades[0].rejected,
            vec![(Some(3), Rejection::Tampered { entry: 2 })]
        );
        assert_eq!(grades[1].graded.attempt, Some(2));
        assert!(grades[1].graded.outcome.is_err());
        // Unnumbered sections of one lab are numbered in order.
        let mut unnumbered = section("images", 1, Ok(result(&["a"], &[], 3)));
        unnumbered.attempt = None;
        let two = by_lab(vec![unnumbered.clone(), unnumbered]);
        assert_eq!(two[0].graded.attempt, Some(2));
        assert_eq!(two[0].attempts, 2);
        let rows: Vec<Row> = grades
            .into_iter()
            .map(|g| Row {
                file: "r.json".into(),
                student: String::new(),
                lab: g.graded.lab.clone(),
                attempts: g.attempts,
                rejected: g.rejected,
                verdict: Some(g.graded),
                problem: None,
            })
            .collect();
        assert_eq!(
            csv(&rows).lines().skip(1).collect::<Vec<_>>(),
            [
                "r.json,,images,3,3,100,,yes,verified; attempt 3 rejected: tampered chain at entry 2,4,4",
                "r.json,,couches,,3,,,,rejected: attempt 2: tampered chain at entry 2; attempt 1 rejected: tampered chain at entry 2,2,2",
            ]
        );
    }

    #[test]
    fn a_fifo_or_a_huge_file_is_not_read_as_a_report() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("r.json");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            assert_eq!(read_report(&fifo), Err("not a regular file".to_owned()));
        }
        let big = dir.path().join("big.json");
        let f = std::fs::File::create(&big).expect("create");
        f.set_len(MAX_REPORT_BYTES + 1).expect("sparse file");
        assert!(read_report(&big).expect_err("too big").contains("larger"));
        // Not JSON: where, as LINE:COL (the caller names the file).
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\n  not json").expect("write");
        assert_eq!(
            read_report(&bad),
            Err("2:3: key must be a string".to_owned())
        );
    }
}
