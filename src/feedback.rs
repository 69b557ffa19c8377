//! What the session answers to a line, as data: Docker's output, tutor messages (typed, not yet
//! translated), the lab author's text, engine errors, the layer picture. Only [`crate::ui`]
//! translates and colours it, so no code decides anything from a sentence: `lab test`,
//! did-you-mean and the tests match on these variants.

use crate::engine::{EngineError, EngineState, Outcome};
use crate::i18n::Msg;
use crate::lab::check::Why;

/// How the ui should present a tutor text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Ordinary text (lab introductions, step instructions).
    Plain,
    /// Headers and neutral information.
    Info,
    /// A step met, a lab completed.
    Success,
    /// Something is missing or was refused.
    Warning,
    /// docklab could not do what was asked.
    Error,
    /// Hints and did-you-mean.
    Hint,
    /// A step's title line.
    Step,
}

/// Why a command line is shown as typed; the ui lays each kind out its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandRole {
    /// A line of the step's solution, shown when the hints run out.
    Solution,
    /// A solution line `skip` runs for the student.
    Skipped,
    /// A command the real engine's clean-up would run (asked before `reset`).
    Cleanup,
}

/// The store's layers to draw, whole or around one image; drawn (and its labels translated) by
/// the ui.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub state: EngineState,
    /// The image ID the picture is centred on.
    pub focus: Option<crate::engine::ImageId>,
}

/// The goal of the current step beside the store now (`goal`); drawn by the ui.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalPicture {
    /// The step's number (from 1), the lab's number of steps and the step's title, translated.
    pub n: usize,
    pub total: usize,
    pub title: String,
    pub goal: crate::layers::goal::Goal,
    pub state: EngineState,
}

/// One piece of the answer to a line.
#[derive(Debug)]
pub enum Feedback {
    /// Docker's own output, printed as is (pulls and builds animated on a terminal, see
    /// [`crate::ui`]).
    Docker(Outcome),
    /// The tutor speaking.
    Tutor { tone: Tone, msg: Msg },
    /// Text the lab's author wrote, already in the student's language (introduction, step text,
    /// hints, explanations of mistakes and forbidden commands).
    Lab { tone: Tone, text: String },
    /// A command line shown as typed.
    Command { role: CommandRole, line: String },
    /// What the current step still misses (`check`), one line per unmet check.
    Missing(Why),
    /// The engine could not answer (not Docker's own errors, which come as [`Feedback::Docker`]).
    Engine(EngineError),
    /// The layer picture.
    Layers(Picture),
    /// The goal picture.
    Goal(GoalPicture),
    /// A shell command stopped by Ctrl-C: the prompt comes back on a line of its own, as in
    /// bash.
    Interrupted,
    /// The student asked to leave.
    Quit,
}

impl Feedback {
    /// The tutor's message, or `None` for other feedback.
    pub fn msg(&self) -> Option<&Msg> {
        match self {
            Feedback::Tutor { msg, .. } => Some(msg),
            _ => None,
        }
    }

    pub fn is_quit(&self) -> bool {
        matches!(self, Feedback::Quit)
    }
}
