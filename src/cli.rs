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
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Print where the store is.
    Path,
    /// Re-hash every blob and check the state against them.
    Fsck,
}
