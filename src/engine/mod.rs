//! The engine abstraction: one trait, two engines (simulated and real), one state view that the
//! lab checks read. Engines never print; they return an [`Outcome`].

pub mod clock;
pub mod real;
pub mod sim;
mod state;

pub use clock::Clock;
pub use state::*;

/// What one Docker command printed and how it exited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// Per-layer pull events, for the terminal's animated progress (the text is in `stdout`).
    pub pulls: Vec<PullEvent>,
    /// A `BuildKit` build with `--progress=auto`: its steps, so that a terminal shows `BuildKit`'s
    /// compact view instead of the plain text in `stderr`.
    pub build: Option<crate::build::progress::Trace>,
}

/// One image pull, for the ui's animation: the layers and whether each was already there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullEvent {
    /// The line printed before the layers (`latest: Pulling from library/nginx`).
    pub header: String,
    /// (short ID, download size in bytes, already present)
    pub layers: Vec<(String, u64, bool)>,
}

impl Outcome {
    pub fn ok(stdout: impl Into<String>) -> Outcome {
        Outcome {
            stdout: stdout.into(),
            ..Outcome::default()
        }
    }

    /// A daemon error as the CLI prints it: `Error response from daemon: …`, exit 1.
    pub fn daemon_error(message: impl std::fmt::Display) -> Outcome {
        Outcome {
            stderr: format!("Error response from daemon: {message}\n"),
            exit_code: 1,
            ..Outcome::default()
        }
    }

    /// A CLI-side error, printed as is.
    pub fn error(stderr: impl Into<String>, exit_code: i32) -> Outcome {
        Outcome {
            stderr: stderr.into(),
            exit_code,
            ..Outcome::default()
        }
    }

    /// Appends another outcome (used by commands that run several steps, like `run` pulling).
    pub fn append(&mut self, other: Outcome) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.exit_code = other.exit_code;
        self.pulls.extend(other.pulls);
    }
}

/// What a command may ask of the person at the terminal while it runs.
pub trait Interaction {
    /// Shows `prompt` (already on standard output for Docker's confirmations) and reads one line.
    /// `None` at end of input.
    fn read_line(&mut self, prompt: &str) -> Option<String>;
}

/// Answers every question with end of input, as `docker` with `< /dev/null`.
pub struct NoInput;

impl Interaction for NoInput {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }
}

/// An engine runs Docker commands and reports its state.
pub trait Engine {
    /// Runs `docker ARGS…` (`args` without the leading `docker`).
    fn exec(&mut self, args: &[String], io: &mut dyn Interaction) -> Result<Outcome, EngineError>;
    /// The state the checks read.
    fn state(&mut self) -> Result<EngineState, EngineError>;
    /// The directory relative paths in commands mean (the build context `.` of `docker build`):
    /// the tutor's workspace directory, since docklab's own working directory is elsewhere.
    fn set_workdir(&mut self, _dir: &std::path::Path) {}
    /// Environment variables the student put before `docker` (`DOCKER_BUILDKIT=0 docker build .`),
    /// for the next commands until changed.
    fn set_env(&mut self, _vars: &[(String, String)]) {}
}

/// Why an engine could not answer.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("{0}")]
    Other(String),
    /// A Docker command the simulated engine does not simulate (`exec`, `network ls`, `push`).
    #[error("`docker {command}` is not simulated")]
    NotSimulated { command: String },
    /// `docker run IMAGE COMMAND…` with a command the simulator cannot tell the effect of
    /// (`ls /`, `apt-get update`): nothing is created rather than a container that pretends.
    #[error("`{command}` cannot be run in a simulated container")]
    NotEmulated { command: String },
    /// The real engine's CLI program is not there (not installed, not on PATH).
    #[error("cannot find the Docker command `{}`", program.display())]
    DockerNotFound { program: std::path::PathBuf },
    /// The CLI program exists but could not be started (not executable, …).
    #[error("cannot run `{}`: {source}", program.display())]
    DockerNotRunnable {
        program: std::path::PathBuf,
        source: std::io::Error,
    },
    /// The CLI cannot reach its daemon at `host` (empty when the CLI did not say).
    #[error("the Docker daemon is not running (at {host})")]
    DaemonNotRunning { host: String },
    /// The daemon's socket refused the user (not in the `docker` group, rootless setup, …).
    #[error("permission denied on the Docker daemon socket {socket}")]
    DaemonPermissionDenied { socket: String },
    /// A query docklab made on its own (`image inspect`, `ps`, …) failed.
    #[error("`docker {}` failed with exit code {exit_code}: {}", args.join(" "), stderr.trim())]
    DockerFailed {
        args: Vec<String>,
        exit_code: i32,
        stderr: String,
    },
    /// A query's output was not what the CLI's JSON format promises.
    #[error("unexpected output from `docker {}`: {detail}", args.join(" "))]
    UnexpectedOutput { args: Vec<String>, detail: String },
    /// A captured command ran longer than the engine's time limit and was stopped.
    #[error("`docker {}` did not finish within {}s and was stopped", args.join(" "), after.as_secs())]
    DockerTimedOut {
        args: Vec<String>,
        after: std::time::Duration,
    },
}
