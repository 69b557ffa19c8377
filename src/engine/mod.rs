//! The engine abstraction: one trait, two engines (simulated and real), one state view that the
//! lab checks read. Engines never print; they return an [`Outcome`].

pub mod clock;
mod error_msg;
pub mod fsroot;
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
    /// Whether the command may have changed the engine's state: the session reads the state
    /// again only when it did.
    pub effect: StateEffect,
    /// Docker printed `stderr` before `stdout`: `run` reports on stderr that the image is not
    /// local and pulls it, and only then does the container print.
    pub stderr_first: bool,
    /// The output already reached the terminal as the command ran (the real engine, attached):
    /// `stderr` is kept for the tutor's reading (explanations, did-you-mean) and must not be
    /// printed again.
    pub shown: bool,
}

/// What a command did to the engine's state, as far as the engine knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StateEffect {
    /// Not known: the state must be read again (the real engine, for any command that is not
    /// a known query).
    #[default]
    Unknown,
    /// Known untouched: the simulator saved nothing, or a read-only query on the real engine.
    Unchanged,
    /// Known changed: the simulator saved its state.
    Changed,
}

impl StateEffect {
    /// Whether a cached state may be stale after the command.
    pub fn may_have_changed(self) -> bool {
        self != StateEffect::Unchanged
    }
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

/// Everything one Docker command runs with: its words, the variables set before `docker`, and
/// the directory relative paths mean. Passed whole to each call, so no setting of one command
/// leaks into the next.
#[derive(Debug, Clone, Copy)]
pub struct ExecContext<'a> {
    /// The words after `docker`.
    pub args: &'a [String],
    /// Variables the student put before `docker` (`DOCKER_BUILDKIT=0 docker build .`), over
    /// docklab's own environment.
    pub env: &'a [(String, String)],
    /// The directory relative paths in the command mean (the build context `.`): the tutor's
    /// workspace directory, since docklab's own working directory is elsewhere. `None`: docklab's
    /// own working directory (one-shot `docklab docker`).
    pub workdir: Option<&'a std::path::Path>,
    /// The output goes into a pipe or a file (`docker images | grep x`, `> list.txt`): the real
    /// engine captures it even when attached to a terminal.
    pub capture: bool,
}

impl<'a> ExecContext<'a> {
    /// `docker ARGS…` with no variables, in docklab's working directory.
    pub fn new(args: &'a [String]) -> ExecContext<'a> {
        ExecContext {
            args,
            env: &[],
            workdir: None,
            capture: false,
        }
    }

    #[must_use]
    pub fn captured(mut self, capture: bool) -> ExecContext<'a> {
        self.capture = capture;
        self
    }

    #[must_use]
    pub fn in_dir(mut self, dir: &'a std::path::Path) -> ExecContext<'a> {
        self.workdir = Some(dir);
        self
    }

    #[must_use]
    pub fn with_env(mut self, env: &'a [(String, String)]) -> ExecContext<'a> {
        self.env = env;
        self
    }
}

/// What a command may ask of the person at the terminal while it runs.
pub trait Interaction {
    /// Shows `prompt` (already on standard output for Docker's confirmations) and reads one line.
    /// `None` at end of input.
    fn read_line(&mut self, prompt: &str) -> Option<String>;

    /// Shows a command's progress before the engine keeps its result: a pull's or a build's
    /// animation at a terminal, during which Ctrl-C drops the command as it would stop Docker's.
    /// Returns whether it printed the outcome (the ui then prints nothing more of it). By
    /// default nothing is shown here.
    fn show_progress(&mut self, _outcome: &Outcome) -> bool {
        false
    }
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
    /// Runs `docker ARGS…` in its context (`ctx.args` without the leading `docker`).
    fn exec(
        &mut self,
        ctx: &ExecContext<'_>,
        io: &mut dyn Interaction,
    ) -> Result<Outcome, EngineError>;
    /// The state the checks read. Layer sizes and `created_by` may be left empty (the real
    /// engine reads an image's history only when asked): see [`Engine::load_history`].
    fn state(&mut self) -> Result<EngineState, EngineError>;
    /// Fills in the layers' sizes and `created_by` from each image's history, for the layer
    /// picture and the explanations. The simulator's state has them already.
    fn load_history(&mut self, _state: &mut EngineState) -> Result<(), EngineError> {
        Ok(())
    }
}

/// Why an engine could not answer.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
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
    /// A path the command named cannot be mapped into the replay's sandbox (`docklab verify`).
    #[error("the path {} cannot be used in a replay", .0.path)]
    PathRefused(fsroot::PathRefused),
    /// docklab's own question to the daemon's Engine API got no answer in time.
    #[error("the Docker daemon at {host} did not answer {request} within {}s", after.as_secs())]
    ApiTimedOut {
        host: String,
        request: String,
        after: std::time::Duration,
    },
    /// The Engine API answered one of docklab's questions with an error status.
    #[error("the Docker daemon at {host} answered {request} with {status}: {message}")]
    ApiFailed {
        host: String,
        request: String,
        status: u16,
        message: String,
    },
    /// The Engine API's answer was not what its documentation promises (or not HTTP at all).
    #[error("unexpected answer from the Docker daemon at {host} to {request}: {detail}")]
    ApiUnexpected {
        host: String,
        request: String,
        detail: String,
    },
    /// A captured command ran longer than the engine's time limit and was stopped.
    #[error("`docker {}` did not finish within {}s and was stopped", args.join(" "), after.as_secs())]
    DockerTimedOut {
        args: Vec<String>,
        after: std::time::Duration,
    },
}
