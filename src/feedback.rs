//! What the session answers to a line: Docker's output (printed unchanged) and the tutor's text
//! (already in the student's language), each with a tone the ui may colour.

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

/// One piece of the answer to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// Docker's own output, printed as is (pulls animated on a terminal, see [`crate::ui`]).
    Docker {
        stdout: String,
        stderr: String,
        pulls: Vec<crate::engine::PullEvent>,
        /// A `BuildKit` build's steps, for the compact terminal view.
        build: Option<crate::build::progress::Trace>,
    },
    /// The layer picture, drawn plain (ASCII) and rich (box drawing, colour); the ui picks.
    Picture { plain: String, rich: String },
    /// The tutor speaking.
    Tutor { tone: Tone, text: String },
    /// The student asked to leave.
    Quit,
}

impl Feedback {
    /// The text of a tutor feedback, or `None`.
    pub fn tutor_text(&self) -> Option<&str> {
        match self {
            Feedback::Tutor { text, .. } => Some(text),
            _ => None,
        }
    }
}
