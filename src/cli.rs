//! docklab's own command line (clap).

use std::ffi::OsString;
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

impl Cli {
    /// The command line of the commonest one-shot form, `docklab docker WORD…` with no option of
    /// docklab's own before `docker`, read without clap; `None` for every other command line,
    /// which clap then reads. Building clap's whole command tree (every subcommand, its help) and
    /// dropping it is about 300,000 instructions, as much as all the rest of a start (ahead of
    /// `docker images` on a store of 100 images), for a result known here from the words alone.
    ///
    /// The shortcut is taken only where clap's reading is certain and gives the same `Cli` (unit
    /// tests compare the two): the first word after `docker` is not an option (from it on, clap
    /// takes every word as Docker's, `--` and `--home` included, as `trailing_var_arg` says), every
    /// word is UTF-8, and each of docklab's environment variables is unset or a value clap accepts
    /// as is. Anything else (`docklab docker --help`, `DOCKLAB_ENGINE=bogus`, an empty
    /// `DOCKLAB_HOME`) goes to clap, which reads it or reports the error as it always has.
    pub fn docker_shortcut(
        args: &[OsString],
        var: impl Fn(&str) -> Option<OsString>,
    ) -> Option<Cli> {
        let [_program, docker, words @ ..] = args else {
            return None;
        };
        if docker.to_str()? != "docker" {
            return None;
        }
        let words = words
            .iter()
            .map(|w| w.to_str().map(str::to_owned))
            .collect::<Option<Vec<String>>>()?;
        if words.first().is_some_and(|w| w.starts_with('-')) {
            return None;
        }
        // clap reports an empty variable as a missing value: that error stays clap's.
        let path = |name: &str| match var(name) {
            None => Some(None),
            Some(v) if v.is_empty() => None,
            Some(v) => Some(Some(PathBuf::from(v))),
        };
        let engine = match var("DOCKLAB_ENGINE") {
            None => EngineKind::Sim,
            Some(v) if v == "sim" => EngineKind::Sim,
            Some(v) if v == "docker" => EngineKind::Docker,
            Some(_) => return None,
        };
        Some(Cli {
            home: path("DOCKLAB_HOME")?,
            engine,
            lang: None,
            labs: None,
            lab: None,
            docker_bin: path("DOCKLAB_DOCKER_BIN")?,
            command: Some(Command::Docker { args: words }),
        })
    }
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
    /// Rewrite the state file whole, with the journal of the changes since, and bring
    /// index.json up to date (docklab does it by itself as the journal grows).
    Compact,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    /// What clap makes of these words in this process's environment.
    fn by_clap(args: &[OsString]) -> String {
        format!("{:?}", Cli::try_parse_from(args).expect("clap reads it"))
    }

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    #[test]
    fn the_docker_shortcut_reads_what_clap_reads() {
        let cases: &[&[&str]] = &[
            &["docklab", "docker"],
            &["docklab", "docker", "images"],
            &["docklab", "docker", "image", "inspect", "app0:v0"],
            &["docklab", "docker", "history", "--no-trunc", "app0:v0"],
            &["docklab", "docker", "images", "--", "--home", "/x"],
            &["docklab", "docker", "images", "--help", "--version", "-h"],
            &[
                "docklab", "docker", "run", "--engine", "docker", "--lang", "fr",
            ],
            &["docklab", "docker", "help"],
            &["docklab", "docker", "ps", "-a", "--format", "{{.Names}}"],
            &["/usr/local/bin/other-name", "docker", "version", ""],
            &["docklab", "docker", "", "images"],
            &["docklab", "docker", "tag", "é:v1", "ünïcode"],
        ];
        for case in cases {
            let args = argv(case);
            let shortcut = Cli::docker_shortcut(&args, |k| std::env::var_os(k))
                .unwrap_or_else(|| panic!("{case:?} takes the shortcut"));
            assert_eq!(format!("{shortcut:?}"), by_clap(&args), "{case:?}");
        }
    }

    #[test]
    fn other_command_lines_are_left_to_clap() {
        let cases: &[&[&str]] = &[
            &["docklab"],
            &["docklab", "--version"],
            &["docklab", "--home", "/x", "docker", "images"],
            &["docklab", "--lang", "fr", "docker", "images"],
            &["docklab", "docker", "--help"],
            &["docklab", "docker", "--engine", "docker", "images"],
            &["docklab", "docker", "--", "images"],
            &["docklab", "docker", "-v"],
            &["docklab", "Docker", "images"],
            &["docklab", "dockers", "images"],
            &["docklab", "store", "path"],
        ];
        for case in cases {
            assert!(
                Cli::docker_shortcut(&argv(case), no_env).is_none(),
                "{case:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_word_that_is_not_utf8_is_left_to_clap() {
        use std::os::unix::ffi::OsStringExt as _;
        let mut args = argv(&["docklab", "docker", "tag"]);
        args.push(OsString::from_vec(vec![b'a', 0xff]));
        assert!(Cli::docker_shortcut(&args, no_env).is_none());
    }

    #[test]
    fn the_shortcut_reads_the_environment_as_clap_does() {
        let args = argv(&["docklab", "docker", "images"]);
        let with = |pairs: &'static [(&'static str, &'static str)]| {
            Cli::docker_shortcut(&args, move |k: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == k)
                    .map(|(_, v)| OsString::from(v))
            })
        };
        let cli = with(&[]).expect("no variable");
        assert_eq!(
            (cli.home, cli.engine, cli.docker_bin),
            (None, EngineKind::Sim, None)
        );
        let cli = with(&[
            ("DOCKLAB_HOME", "/h"),
            ("DOCKLAB_ENGINE", "docker"),
            ("DOCKLAB_DOCKER_BIN", "podman"),
        ])
        .expect("all three set");
        assert_eq!(cli.home, Some(PathBuf::from("/h")));
        assert_eq!(cli.engine, EngineKind::Docker);
        assert_eq!(cli.docker_bin, Some(PathBuf::from("podman")));
        assert_eq!(
            with(&[("DOCKLAB_ENGINE", "sim")]).expect("sim").engine,
            EngineKind::Sim
        );
        // clap's errors (an invalid engine, an empty value) stay clap's: no shortcut.
        for bad in [
            &[("DOCKLAB_ENGINE", "SIM")][..],
            &[("DOCKLAB_ENGINE", "bogus")],
            &[("DOCKLAB_ENGINE", "")],
            &[("DOCKLAB_HOME", "")],
            &[("DOCKLAB_DOCKER_BIN", "")],
        ] {
            assert!(with(bad).is_none(), "{bad:?}");
        }
    }
}
