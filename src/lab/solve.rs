//! `docklab lab test`: proves a lab solvable. On a fresh engine in a temporary home, for each
//! step in order, the step's checks must fail before its solution runs (otherwise they cannot
//! tell whether the student did anything) and pass right after its last solution line (not
//! before: the remaining lines would run in the next step). Testing a lab stops at its first
//! failing step, since later steps build on its state.

use std::collections::VecDeque;
use std::path::Path;

use crate::engine::{Clock, Interaction};
use crate::feedback::{Feedback, Tone};
use crate::i18n::Lang;
use crate::lab::{Catalog, Lab, Origin};
use crate::session::{EngineChoice, Session, SessionOptions, ShellMode};
use crate::transcript::EntryKind;

/// What the simulator answers for a command it does not implement (its wording, in
/// `engine/sim`).
const NOT_SIMULATED: &str = "is not simulated yet";

/// A solution line that exited with a non-zero status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedLine {
    pub line: String,
    pub exit_code: i32,
    /// The first line of what Docker (or docklab) said on standard error.
    pub error: String,
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepResult {
    /// Fails before its solution, passes after its last line.
    Ok,
    /// Its checks already pass before its solution runs.
    Vacuous,
    /// Its checks still fail after its solution: what is missing (in the instructor's language)
    /// and the solution lines that failed.
    NotMet {
        missing: Vec<String>,
        failed: Vec<FailedLine>,
    },
    /// It passed before this solution line, which would run in the next step.
    Early { line: String },
    /// The engine cannot run this solution line.
    Unsupported { line: String },
    /// Not tested: an earlier step failed.
    NotRun,
}

/// The result of one lab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabTrial {
    /// What went wrong while preparing the start state (tutor text, instructor's language).
    pub start_errors: Vec<String>,
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
pub fn run(lab: &Lab, home: &Path, clock: Clock, lang: Lang, engine: EngineChoice) -> LabTrial {
    let mut session = Session::new(SessionOptions {
        home: home.to_path_buf(),
        clock,
        lang,
        catalog: Catalog::of(lab.clone(), Origin::Builtin),
        shell: ShellMode::Detached,
        engine,
    });
    let start_errors: Vec<String> = session
        .start_lab(&lab.id, true)
        .into_iter()
        .filter_map(|f| match f {
            Feedback::Tutor {
                tone: Tone::Error,
                text,
            } => Some(text),
            _ => None,
        })
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

fn run_step(session: &mut Session, index: usize, solution: &[String]) -> StepResult {
    match session.probe_step() {
        Some((true, _)) => return StepResult::Vacuous,
        Some((false, _)) => {}
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
        let stderr: String = feedback
            .iter()
            .filter_map(|f| match f {
                Feedback::Docker { stderr, .. } => Some(stderr.as_str()),
                Feedback::Tutor {
                    tone: Tone::Error,
                    text,
                } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n");
        if stderr.contains(NOT_SIMULATED) {
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
                error: stderr
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
    }
    if current(session) == index + 1 {
        return StepResult::Ok;
    }
    let missing = session.probe_step().map(|(_, m)| m).unwrap_or_default();
    StepResult::NotMet { missing, failed }
}
