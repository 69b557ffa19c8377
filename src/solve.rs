//! `docklab lab test`: proves a lab solvable. On a fresh engine in a temporary home, for each
//! step in order, the step's checks must fail before its solution runs (otherwise they cannot
//! tell whether the student did anything) and pass right after its last solution line (not
//! before: the remaining lines would run in the next step). Testing a lab stops at its first
//! failing step, since later steps build on its state.
//!
//! It drives a [`Session`] as a student would, so it sits above the session (beside `verify`):
//! the session and the lab layer never call it.

use std::collections::VecDeque;
use std::path::Path;

use crate::engine::{Clock, EngineError, Interaction};
use crate::feedback::{Feedback, Tone};
use crate::i18n::{Lang, Msg};
use crate::lab::check::Why;
use crate::lab::{Catalog, Lab, Origin};
use crate::session::{EngineChoice, Session, SessionOptions, ShellMode};
use crate::transcript::EntryKind;

/// A solution line that exited with a non-zero status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FailedLine {
    pub line: String,
    pub exit_code: i32,
    /// What was said about the failure, if anything.
    pub error: Option<Said>,
}

/// What a failed line said: Docker's own first line of standard error (English, as Docker
/// prints it), or the tutor's message (translated when printed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Said {
    Docker(String),
    Tutor(Msg),
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum StepResult {
    /// Fails before its solution, passes after its last line.
    Ok,
    /// Its checks already pass before its solution runs.
    Vacuous,
    /// Its checks still fail after its solution: what is missing and the solution lines that
    /// failed.
    NotMet {
        missing: Option<Why>,
        failed: Vec<FailedLine>,
    },
    /// It passed before this solution line, which would run in the next step.
    Early { line: String },
    /// The engine cannot run this solution line (the simulator does not simulate its command).
    Unsupported { line: String },
    /// Not tested: an earlier step failed.
    NotRun,
}

/// The result of one lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabTrial {
    /// What went wrong while preparing the start state.
    pub start_errors: Vec<Msg>,
    /// Step id → result, in order.
    pub steps: Vec<(String, StepResult)>,
}

impl LabTrial {
    /// How many things failed.
    pub fn failures(&self) -> usize {
        self.start_errors.len()
            + self
                .steps
                .iter()
                .filter(|(_, r)| !matches!(r, StepResult::Ok | StepResult::NotRun))
                .count()
    }
}

/// Answers Docker's prompts with the next solution lines.
struct Queue(VecDeque<String>);

impl Interaction for Queue {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        self.0.pop_front()
    }
}

/// Runs `lab` on a fresh engine whose data lives in `home` (empty, temporary).
pub(crate) fn run(
    lab: &Lab,
    home: &Path,
    clock: Clock,
    lang: Lang,
    engine: EngineChoice,
) -> LabTrial {
    let mut session = Session::new(SessionOptions {
        home: home.to_path_buf(),
        clock,
        lang,
        catalog: Catalog::of(lab.clone(), Origin::Builtin),
        shell: ShellMode::Detached,
        engine,
    });
    let start_errors: Vec<Msg> = session
        .start_lab(&lab.id, true)
        .iter()
        .filter_map(error_msg)
        .collect();
    let mut steps = Vec::new();
    let mut failed = !start_errors.is_empty();
    for (i, step) in lab.steps.iter().enumerate() {
        let result = if failed {
            StepResult::NotRun
        } else {
            run_step(&mut session, i, &step.solution)
        };
        failed |= result != StepResult::Ok;
        steps.push((step.id.clone(), result));
    }
    // On a real engine (`--engine docker --yes`), remove what the lab created, so the next lab
    // starts from the engine as it was.
    if let Some(plan) = session.real_cleanup_plan(&lab.id) {
        session.apply_cleanup(&plan);
    }
    LabTrial {
        start_errors,
        steps,
    }
}

fn current(session: &Session) -> usize {
    session.progress().map_or(usize::MAX, |p| p.current)
}

/// An error the tutor or the engine reported, as a message.
fn error_msg(f: &Feedback) -> Option<Msg> {
    match f {
        Feedback::Tutor {
            tone: Tone::Error,
            msg,
        } => Some(msg.clone()),
        Feedback::Engine(e) => Some(e.msg()),
        _ => None,
    }
}

fn run_step(session: &mut Session, index: usize, solution: &[String]) -> StepResult {
    match session.probe_step() {
        Some(v) if v.ok => return StepResult::Vacuous,
        Some(_) => {}
        None => return StepResult::NotRun,
    }
    let mut queue: VecDeque<String> = solution.iter().cloned().collect();
    let mut failed = Vec::new();
    while let Some(line) = queue.pop_front() {
        if current(session) != index {
            return StepResult::Early { line };
        }
        let seen = session.progress().map_or(0, |p| p.entries.len());
        let mut io = Queue(std::mem::take(&mut queue));
        let feedback = session.handle(&line, &mut io);
        queue = io.0;
        if feedback
            .iter()
            .any(|f| matches!(f, Feedback::Engine(EngineError::NotSimulated { .. })))
        {
            return StepResult::Unsupported { line };
        }
        let entries = session
            .progress()
            .map(|p| &p.entries[seen.min(p.entries.len())..]);
        if let Some(e) = entries
            .into_iter()
            .flatten()
            .find(|e| e.exit_code != 0 && matches!(e.kind, EntryKind::Docker | EntryKind::Shell))
        {
            failed.push(FailedLine {
                line: line.clone(),
                exit_code: e.exit_code,
                error: first_error(&feedback),
            });
        }
    }
    if current(session) == index + 1 {
        return StepResult::Ok;
    }
    let missing = session.probe_step().filter(|v| !v.ok).map(|v| v.why);
    StepResult::NotMet { missing, failed }
}

/// The first thing said about an error: Docker's first non-empty line of standard error, or
/// the tutor's or engine's message.
fn first_error(feedback: &[Feedback]) -> Option<Said> {
    feedback.iter().find_map(|f| match f {
        Feedback::Docker(o) => o
            .stderr
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(|l| Said::Docker(l.to_owned())),
        other => error_msg(other).map(Said::Tutor),
    })
}
