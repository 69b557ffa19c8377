//! Start-up: turns docklab's command line into work, and is the one place that prints.

use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, EngineKind, StoreCommand};
use crate::engine::real::{self, RealEngine, RealMode};
use crate::engine::sim::SimEngine;
use crate::engine::{Clock, Engine, Interaction, Outcome};
use crate::store::Store;

/// Reads confirmations from standard input, as the `docker` CLI does.
struct StdinInteraction;

impl Interaction for StdinInteraction {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        let mut stdout = io::stdout().lock();
        let _ = stdout.write_all(prompt.as_bytes());
        let _ = stdout.flush();
        let mut line = String::new();
        match io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }
}

/// The data directory: `--home`, `DOCKLAB_HOME`, or the platform's data dir.
fn home(cli: &Cli) -> PathBuf {
    if let Some(h) = &cli.home {
        return h.clone();
    }
    use etcetera::BaseStrategy as _;
    match etcetera::choose_base_strategy() {
        Ok(s) => s.data_dir().join("docklab"),
        Err(_) => PathBuf::from(".docklab"),
    }
}

/// The real engine: attached to the terminal when standard output is one (docker's own progress
/// bars and prompts), captured otherwise.
fn real_engine(cli: &Cli) -> RealEngine {
    use std::io::IsTerminal as _;
    let mode = if io::stdout().is_terminal() {
        RealMode::Attached
    } else {
        RealMode::Captured
    };
    RealEngine::new(
        cli.docker_bin
            .clone()
            .unwrap_or_else(|| real::DEFAULT_PROGRAM.into()),
        mode,
    )
}

/// Prints an outcome as Docker would and returns its exit code.
fn emit(outcome: &Outcome) -> ExitCode {
    let _ = io::stdout().lock().write_all(outcome.stdout.as_bytes());
    let _ = io::stderr().lock().write_all(outcome.stderr.as_bytes());
    exit_code(outcome.exit_code)
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// docklab's entry point.
pub fn run<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return exit_code(e.exit_code());
        }
    };
    let clock = match Clock::from_env() {
        Ok(c) => c,
        Err(bad) => {
            eprintln!("docklab: DOCKLAB_CLOCK={bad:?} is not an RFC 3339 time (e.g. 2025-10-29T12:00:00Z)");
            return ExitCode::from(2);
        }
    };
    let store_dir = home(&cli).join("store");
    match &cli.command {
        Some(Command::Docker { args }) => {
            let mut engine: Box<dyn Engine> = match cli.engine {
                EngineKind::Sim => Box::new(SimEngine::new(store_dir, clock)),
                EngineKind::Docker => Box::new(real_engine(&cli)),
            };
            match engine.exec(args, &mut StdinInteraction) {
                Ok(outcome) => emit(&outcome),
                Err(e) => {
                    eprintln!("docklab: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Some(Command::Store {
            command: StoreCommand::Path,
        }) => {
            println!("{}", store_dir.display());
            ExitCode::SUCCESS
        }
        Some(Command::Store {
            command: StoreCommand::Fsck,
        }) => fsck(&store_dir),
        None => {
            eprintln!(
                "docklab: the interactive shell is not available yet; try `docklab docker images`"
            );
            ExitCode::from(2)
        }
    }
}

fn fsck(store_dir: &std::path::Path) -> ExitCode {
    let store = match Store::open(store_dir, std::time::Duration::from_secs(10)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("docklab: {e}");
            return ExitCode::from(1);
        }
    };
    match store.fsck() {
        Ok(report) => {
            println!("checked {} blobs in {}", report.blobs, store_dir.display());
            for (d, what) in &report.missing {
                println!("missing: {d} ({what})");
            }
            for name in &report.corrupt {
                println!("corrupt: {name}");
            }
            for r in &report.dangling_records {
                println!("inconsistent: {r}");
            }
            if report.swept > 0 {
                println!(
                    "removed {} temp file(s) left by an interrupted write",
                    report.swept
                );
            }
            if report.unreferenced > 0 {
                println!("{} unreferenced blob(s) (harmless)", report.unreferenced);
            }
            if report.is_clean() {
                println!("store is consistent");
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("docklab: {e}");
            ExitCode::from(1)
        }
    }
}
