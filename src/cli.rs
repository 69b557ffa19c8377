//! docklab's own command line (clap).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// docklab: learn Docker images by doing, with a simulated or a real engine.
#[derive(Debug, Parser)]
#[command(name = "docklab", version, about)]
pub struct Cli {
    /// Where docklab keeps its store, progress and workspace (default: the user data directory).
    #[arg(long, global = true, env = "DOCKLAB_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Which engine runs Docker commands.
    #[arg(long, global = true, env = "DOCKLAB_ENGINE", value_enum, default_value_t = EngineKind::Sim)]
    pub engine: EngineKind,

    /// The tutor's language (default: from `LANGUAGE`, then `LC_ALL`, `LC_MESSAGES`, `LANG`, as
    /// gettext reads them; else the system's; English otherwise).
    #[arg(long, global = true, value_name = "fr|en")]
    pub lang: Option<String>,

    /// More labs: a directory of lab files (overrides shipped labs with the same id).
    #[arg(long, global = true, value_name = "DIR")]
    pub labs: Option<PathBuf>,

    /// Start (or resume) this lab.
    #[arg(long, value_name = "ID")]
    pub lab: Option<String>,

    /// The Docker CLI the real engine runs (default: `docker` on PATH; Podman's works too).
    #[arg(long, global = true, env = "DOCKLAB_DOCKER_BIN", value_name = "PATH")]
    pub docker_bin: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The engines docklab can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineKind {
    /// The built-in simulated engine (no daemon, no network).
    Sim,
    /// The `docker` found on PATH.
    Docker,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one Docker command on the engine and exit with Docker's exit code.
    #[command(disable_help_flag = true)]
    Docker {
        /// The words after `docker`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
        args: Vec<String>,
    },
    /// Inspect the simulated engine's store.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// Draw the images of the store as stacks of shared layers (`couches` in the shell).
    Layers {
        /// Only this image and the images sharing a layer with it.
        image: Option<String>,
    },
    /// List the labs.
    Labs,
    /// Look at one lab.
    Lab {
        #[command(subcommand)]
        command: LabCommand,
    },
    /// Print your score.
    Grade {
        /// Only this lab.
        #[arg(long, value_name = "ID")]
        lab: Option<String>,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write your transcripts and results, hash-chained, to a file.
    Report {
        /// The file to write.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
        /// Only this lab.
        #[arg(long, value_name = "ID")]
        lab: Option<String>,
        /// Your name, written in the report as you give it (not authenticated).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Check a report's hash chain and replay it on a fresh simulated engine, in a temporary
    /// sandbox that no replayed path can leave. Exit status 0 when every lab is confirmed.
    Verify {
        /// The report file.
        file: PathBuf,
    },
    /// Verify every report in a directory (each in its own sandbox, in parallel) and write one
    /// CSV row per report and lab. Exit status 0 when every report is verified.
    Gradebook {
        /// The directory of reports (every file in it, not its subdirectories).
        dir: PathBuf,
        /// The CSV file to write (replaced atomically).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Internal: one replay for `verify` and `gradebook`, inside the sandbox DIR/root.
    #[command(name = "__replay", hide = true)]
    Replay {
        dir: PathBuf,
        /// Where the labs come from (as the verifying docklab found them).
        #[arg(long = "lab-dir", value_name = "DIR")]
        lab_dirs: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Print where the store is.
    Path,
    /// Re-hash every blob and check the state against them.
    Fsck,
}

#[derive(Debug, Subcommand)]
pub enum LabCommand {
    /// Show a lab's introduction, steps, hints and solutions (in --lang).
    Show {
        /// The lab's id, or a lab file.
        id: String,
    },
    /// Check lab files: every mistake at once, with its position. Exit status 0 when clean.
    Lint {
        /// Lab files, or directories of them (`*.toml`).
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// `human`, or `json`: one JSON object per line and per diagnostic, for editors.
        #[arg(long, value_enum, default_value_t = LintFormat::Human)]
        format: LintFormat,
        /// First put the French typography of each file right, in place: no-break spaces
        /// before `: ; ! ?` and inside « », « » for straight quotes. What needs a person
        /// (« étiquette », a string written with escapes) is still reported.
        #[arg(long)]
        fix: bool,
    },
    /// Prove labs solvable: on a fresh engine, each step fails before its solution and passes
    /// after. Exit status 0 when every lab is.
    Test {
        /// Lab files, or directories of them (`*.toml`).
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// With --engine docker: yes, pull, tag and remove images on the real engine.
        #[arg(long)]
        yes: bool,
    },
    /// Write a practice lab drawn from a seed (a random start state and goal, with checks, hints
    /// and a solution); the same seed gives the same file.
    Generate {
        /// The seed: any number from 0 to 18446744073709551615.
        #[arg(long)]
        seed: u64,
        /// The file to write (replaced if it exists); standard output without it.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a new lab file to start from (`ID.toml`), commented in French and English.
    New {
        /// The new lab's id: lowercase letters, digits and '-'.
        id: String,
        /// Where to write it (default: the current directory).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// How `lab lint` prints its diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// `file:line:col: error: message`, then a summary.
    Human,
    /// One JSON object per diagnostic (`file`, `line`, `column`, `end_line`, `end_column`,
    /// `severity`, `code`, `message`).
    Json,
}
