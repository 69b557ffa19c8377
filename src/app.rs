//! Start-up: turns docklab's command line into work, and is the one place that prints.

use std::io::{self, BufRead, IsTerminal as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, EngineKind, LabCommand, LintFormat, StoreCommand};
use crate::engine::real::{self, RealEngine, RealMode};
use crate::engine::sim::SimEngine;
use crate::engine::{Clock, Engine, ExecContext, Interaction, Outcome};
use crate::i18n::{tr, Lang, Msg};
use crate::lab::progress::{self, LabProgress};
use crate::lab::{self, lint, scaffold, Catalog, Lab};
use crate::repl;
use crate::report;
use crate::session::{EngineChoice, Session, SessionOptions, ShellMode};
use crate::solve::{self, StepResult};
use crate::store::Store;
use crate::ui::Ui;
use crate::verify::{self, Rejection, Verifier};

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
    use etcetera::BaseStrategy as _;
    if let Some(h) = &cli.home {
        // Absolute, so that `~` in the student's shell and in Docker's paths is one directory
        // wherever the command runs (`--home rel` from another directory included).
        return std::path::absolute(h).unwrap_or_else(|_| h.clone());
    }
    match etcetera::choose_base_strategy() {
        Ok(s) => s.data_dir().join("docklab"),
        Err(_) => PathBuf::from(".docklab"),
    }
}

/// The real engine: attached to the terminal when standard output is one (docker's own progress
/// bars and prompts), captured otherwise.
fn real_engine(program: PathBuf) -> RealEngine {
    use std::io::IsTerminal as _;
    let mode = if io::stdout().is_terminal() {
        RealMode::Attached
    } else {
        RealMode::Captured
    };
    RealEngine::new(program, mode)
}

/// Prints an outcome as Docker would and returns its exit code.
fn emit(outcome: &Outcome) -> ExitCode {
    use std::io::IsTerminal as _;
    crate::ui::print_outcome(
        outcome,
        io::stdout().is_terminal(),
        io::stderr().is_terminal(),
    );
    exit_code(outcome.exit_code)
}

fn exit_code(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// docklab's entry point.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per subcommand, each a few lines"
)]
pub fn run<I: IntoIterator<Item = std::ffi::OsString>>(args: I) -> ExitCode {
    let args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let parsed = match Cli::docker_shortcut(&args, |name| std::env::var_os(name)) {
        Some(c) => Ok(c),
        None => Cli::try_parse_from(args),
    };
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return exit_code(e.exit_code());
        }
    };
    let clock = match Clock::from_env() {
        Ok(c) => c,
        Err(bad) => {
            let msg = Msg::BadClock { value: bad };
            Ui::detect().error(&tr(Lang::from_env(), &msg));
            return ExitCode::from(2);
        }
    };
    let home = home(&cli);
    let store_dir = home.join("store");
    let lang = match cli.lang.as_deref() {
        Some(l) => {
            let Some(l) = Lang::from_tag(l) else {
                let msg = Msg::BadLang {
                    value: l.to_owned(),
                };
                Ui::detect().error(&tr(Lang::from_env(), &msg));
                return ExitCode::from(2);
            };
            l
        }
        None => Lang::from_env(),
    };
    let ui = Ui::detect();
    let dirs = lab::lab_dirs(
        &home,
        std::env::var("DOCKLAB_LABS").ok().as_deref(),
        cli.labs.as_deref(),
    );
    // Labs are loaded only by the commands that use them: `docklab docker …` starts faster.
    let load_catalog = || {
        let catalog = Catalog::load(&dirs).with_practice_runs(&home);
        for e in &catalog.errors {
            ui.error(&tr(lang, &e.msg(lang)));
        }
        catalog
    };
    // The Docker CLI the real engine runs; the real engine itself is made only where it runs.
    let docker_program = cli
        .docker_bin
        .clone()
        .unwrap_or_else(|| real::DEFAULT_PROGRAM.into());
    let engine_choice = match cli.engine {
        EngineKind::Sim => EngineChoice::Sim,
        EngineKind::Docker => EngineChoice::Real(docker_program.clone()),
    };
    match cli.command {
        Some(Command::Docker { args }) => {
            let mut engine: Box<dyn Engine> = match cli.engine {
                EngineKind::Sim => Box::new(SimEngine::new(store_dir, clock).for_one_command()),
                EngineKind::Docker => Box::new(real_engine(docker_program)),
            };
            match engine.exec(&ExecContext::new(&args), &mut StdinInteraction) {
                Ok(outcome) => emit(&outcome),
                Err(e) => {
                    ui.error(&tr(lang, &e.msg()));
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
        }) => fsck(&store_dir, lang, ui),
        Some(Command::Store {
            command: StoreCommand::Compact,
        }) => compact(&store_dir, lang, ui),
        Some(Command::Layers { image }) => {
            let mut engine: Box<dyn Engine> = match cli.engine {
                EngineKind::Sim => Box::new(SimEngine::new(store_dir, clock)),
                EngineKind::Docker => Box::new(real_engine(docker_program)),
            };
            let state = match engine.state().and_then(|mut s| {
                engine.load_history(&mut s)?;
                Ok(s)
            }) {
                Ok(s) => s,
                Err(e) => {
                    ui.error(&tr(lang, &e.msg()));
                    return ExitCode::from(1);
                }
            };
            let focus = image
                .as_deref()
                .map(|name| (name, crate::layers::picture::find_image(&state, name)));
            let focus = match focus {
                None => None,
                Some((_, Some(i))) => Some(i),
                Some((name, None)) => {
                    let msg = Msg::LayersNoImage {
                        image: name.to_owned(),
                    };
                    ui.error(&tr(lang, &msg));
                    return ExitCode::from(1);
                }
            };
            let (plain, rich) = crate::ui::picture(lang, &state, focus);
            print!("{}", if ui.colour { rich } else { plain });
            ExitCode::SUCCESS
        }
        Some(Command::Labs) => labs(&load_catalog(), &dirs, lang, ui),
        Some(Command::Lab {
            command: LabCommand::Show { id },
        }) => lab_show(&load_catalog(), &id, lang, ui),
        Some(Command::Lab {
            command: LabCommand::Lint { paths, format, fix },
        }) => {
            if fix {
                if let Err(code) = lab_fix(&paths, lang, ui) {
                    return code;
                }
            }
            lab_lint(&paths, format, lang, ui)
        }
        Some(Command::Lab {
            command: LabCommand::Test { paths, yes },
        }) => {
            if engine_choice != EngineChoice::Sim && !yes {
                ui.error(&tr(lang, &Msg::TestRealNeedsYes));
                return ExitCode::from(2);
            }
            lab_test(&paths, &engine_choice, lang, ui)
        }
        Some(Command::Lab {
            command: LabCommand::New { id, dir },
        }) => lab_new(&id, dir.as_deref(), lang, ui),
        Some(Command::Lab {
            command: LabCommand::Generate { seed, output },
        }) => lab_generate(seed, output.as_deref(), lang, ui),
        Some(Command::Grade { lab, json }) => {
            grade(&load_catalog(), &home, lab.as_deref(), json, lang, ui)
        }
        Some(Command::Report { output, lab, name }) => write_report(
            &load_catalog(),
            &home,
            ReportRequest {
                lab: lab.as_deref(),
                out: &output,
                name,
            },
            lang,
            ui,
        ),
        Some(Command::Verify { file }) => {
            let catalog = load_catalog();
            verify(&verifier(&catalog, dirs), &file, lang, ui)
        }
        Some(Command::Gradebook { dir, output }) => {
            let catalog = load_catalog();
            gradebook(&verifier(&catalog, dirs), &dir, &output, lang, ui)
        }
        Some(Command::Replay { dir, lab_dirs }) => {
            // The replay child: its answer is data for the parent, on standard output.
            match verify::replay_child(&dir, &Catalog::load(&lab_dirs)) {
                Ok(answer) => {
                    println!("{answer}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("docklab: {e}");
                    ExitCode::from(2)
                }
            }
        }
        None => {
            let interactive = io::stdin().is_terminal();
            let mut session = Session::new(SessionOptions {
                home: home.clone(),
                clock,
                lang,
                catalog: load_catalog(),
                shell: if interactive {
                    ShellMode::Attached
                } else {
                    ShellMode::Detached
                },
                engine: engine_choice,
            });
            match &cli.lab {
                Some(id) => {
                    let fb = session.start_lab(id, false);
                    ui.print(session.lang(), &fb);
                    if session.lab().is_none() {
                        return ExitCode::from(2);
                    }
                }
                None => ui.print(session.lang(), &session.greeting()),
            }
            // Leaving the shell is not an error, whether the lab is finished or not: `grade`
            // and `report` say how far it went.
            if interactive {
                repl::interactive(&mut session, ui, Some(&home.join("history")));
            } else {
                repl::script(&mut session, ui, io::stdin().lock());
            }
            ExitCode::SUCCESS
        }
    }
}

/// `docklab labs`: every lab with where it comes from, then where labs were looked for.
fn labs(catalog: &Catalog, dirs: &[PathBuf], lang: Lang, ui: Ui) -> ExitCode {
    for l in catalog.labs() {
        let origin = match catalog.origin(&l.id) {
            Some(lab::Origin::File(f)) => f.display().to_string(),
            _ => "builtin".to_owned(),
        };
        ui.line(&tr(
            lang,
            &Msg::LabsLine {
                id: l.id.clone(),
                title: l.title.get(lang).to_owned(),
                steps: l.steps.len() as i64,
                origin,
            },
        ));
    }
    ui.line("");
    for d in dirs {
        let files = std::fs::read_dir(d).map_or(-1, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
                .count() as i64
        });
        ui.line(&tr(
            lang,
            &Msg::LabsDir {
                dir: d.display().to_string(),
                files,
            },
        ));
    }
    ExitCode::SUCCESS
}

/// `docklab lab lint --fix`: each lab file's French typography put right in place (only files
/// that change are written, atomically).
fn lab_fix(paths: &[PathBuf], lang: Lang, ui: Ui) -> Result<(), ExitCode> {
    let (files, _) = lint::collect(paths);
    for f in files {
        let Ok(text) = lab::read_file(&f) else {
            continue; // lint reports it
        };
        let (fixed, count) = lint::fix_french(&text);
        if count == 0 {
            continue;
        }
        let shown = f.display().to_string();
        // The file keeps its permissions.
        let mode = {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::metadata(&f)
                .ok()
                .map(|m| m.permissions().mode() & 0o7777)
        };
        if let Err(e) = crate::atomic::write(&f, fixed.as_bytes(), mode) {
            file_error(ui, lang, shown, &e);
            return Err(ExitCode::from(2));
        }
        ui.line(&tr(
            lang,
            &Msg::LintFixed {
                path: shown,
                count: count as i64,
            },
        ));
    }
    Ok(())
}

/// `docklab lab lint`: diagnostics, then a summary (human) or JSON lines; 0 only when clean.
fn lab_lint(paths: &[PathBuf], format: LintFormat, lang: Lang, ui: Ui) -> ExitCode {
    let run = lint::lint_paths(paths);
    match format {
        LintFormat::Json => {
            for d in &run.diagnostics {
                ui.line(&d.json(lang).to_string());
            }
        }
        LintFormat::Human => {
            for d in &run.diagnostics {
                ui.line(&d.render(lang));
            }
            ui.line(&tr(
                lang,
                &Msg::LintSummary {
                    files: run.files as i64,
                    errors: run.errors() as i64,
                    warnings: (run.diagnostics.len() - run.errors()) as i64,
                },
            ));
        }
    }
    // Warnings are said; only errors fail.
    if run.errors() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `docklab lab test`: each lab linted, then run step by step on a fresh engine.
fn lab_test(paths: &[PathBuf], engine: &EngineChoice, lang: Lang, ui: Ui) -> ExitCode {
    // A frozen clock makes IDs and names reproducible; DOCKLAB_CLOCK chooses another time.
    let clock = match std::env::var("DOCKLAB_CLOCK") {
        Ok(v) if !v.is_empty() => Clock::from_env().unwrap_or_else(|_| default_clock()),
        _ => default_clock(),
    };
    let (files, problems) = lint::collect(paths);
    let mut failed = problems.len() as i64;
    for d in &problems {
        ui.line(&d.render(lang));
    }
    let mut tested = 0i64;
    for f in files {
        tested += 1;
        let shown = f.display().to_string();
        let text = match lab::read_file(&f) {
            Ok(t) => t,
            Err(e) => {
                failed += 1;
                ui.line(&tr(lang, &e.msg(&shown)));
                continue;
            }
        };
        let diagnostics = lint::lint(&shown, &text);
        let errors = diagnostics
            .iter()
            .any(|d| d.severity == lint::Severity::Error);
        let lab = match Lab::parse(&shown, &text) {
            Ok(l) if !errors => {
                for d in &diagnostics {
                    ui.line(&d.render(lang));
                }
                l
            }
            _ => {
                failed += 1;
                for d in &diagnostics {
                    ui.line(&d.render(lang));
                }
                continue;
            }
        };
        ui.line(&tr(
            lang,
            &Msg::TestLab {
                id: lab.id.clone(),
                file: shown,
            },
        ));
        let Ok(home) = tempfile::tempdir() else {
            failed += 1;
            continue;
        };
        let trial = solve::run(&lab, home.path(), clock, lang, engine.clone());
        print_trial(&lab, &trial, lang, ui);
        if trial.failures() > 0 {
            failed += 1;
        }
    }
    ui.line(&tr(
        lang,
        &Msg::TestSummary {
            labs: tested,
            failed,
        },
    ));
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn default_clock() -> Clock {
    Clock::frozen(
        "2025-10-29T12:00:00Z"
            .parse()
            .expect("a valid RFC 3339 time"),
    )
}

fn print_trial(lab: &Lab, trial: &solve::LabTrial, lang: Lang, ui: Ui) {
    for e in &trial.start_errors {
        ui.line(&format!("  ✘ {}", tr(lang, e)));
    }
    for (i, (id, result)) in trial.steps.iter().enumerate() {
        let n = i as i64 + 1;
        let id = id.clone();
        match result {
            StepResult::Ok => ui.line(&tr(lang, &Msg::TestStepOk { n, id })),
            StepResult::Vacuous => ui.line(&tr(lang, &Msg::TestStepVacuous { n, id })),
            StepResult::Early { line } => ui.line(&tr(
                lang,
                &Msg::TestStepEarly {
                    n,
                    id,
                    line: line.clone(),
                },
            )),
            StepResult::Unsupported { line } => ui.line(&tr(
                lang,
                &Msg::TestStepUnsupported {
                    n,
                    id,
                    line: line.clone(),
                },
            )),
            StepResult::NotRun => ui.line(&tr(lang, &Msg::TestStepNotRun { n, id })),
            StepResult::NotMet { missing, failed } => {
                ui.line(&tr(lang, &Msg::TestStepNotMet { n, id }));
                for m in missing
                    .iter()
                    .flat_map(|why| crate::ui::why_lines(lang, why))
                {
                    ui.line(&format!("      - {m}"));
                }
                for f in failed {
                    ui.line(&tr(
                        lang,
                        &Msg::TestLineFailed {
                            line: f.line.clone(),
                            code: i64::from(f.exit_code),
                            error: match &f.error {
                                None => "none".to_owned(),
                                Some(solve::Said::Docker(line)) => line.clone(),
                                Some(solve::Said::Tutor(msg)) => tr(lang, msg),
                            },
                        },
                    ));
                }
            }
        }
    }
    let failures = trial.failures() as i64;
    if failures == 0 {
        ui.line(&tr(
            lang,
            &Msg::TestLabPassed {
                id: lab.id.clone(),
                steps: lab.steps.len() as i64,
            },
        ));
    } else {
        ui.line(&tr(
            lang,
            &Msg::TestLabFailed {
                id: lab.id.clone(),
                failed: failures,
            },
        ));
    }
}

/// `docklab lab generate --seed N [-o FILE]`: the practice lab of a seed, to a file (replaced
/// atomically) or to standard output.
fn lab_generate(seed: u64, output: Option<&Path>, lang: Lang, ui: Ui) -> ExitCode {
    let text = lab::generate::generate(seed);
    let Some(path) = output else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    let shown = path.display().to_string();
    match crate::atomic::write(path, text.as_bytes(), None) {
        Ok(()) => {
            ui.line(&tr(
                lang,
                &Msg::GenerateWritten {
                    path: shown,
                    id: lab::generate::lab_id(seed),
                },
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            file_error(ui, lang, shown, &e);
            ExitCode::from(1)
        }
    }
}

/// Says that the lab file `shown` could not be read or written, and why.
fn file_error(ui: Ui, lang: Lang, shown: String, e: &io::Error) {
    ui.error(&tr(
        lang,
        &Msg::LintUnreadable {
            path: shown,
            error: e.to_string(),
        },
    ));
}

/// `docklab lab new ID`: writes `ID.toml`, never over an existing file.
fn lab_new(id: &str, dir: Option<&Path>, lang: Lang, ui: Ui) -> ExitCode {
    if !scaffold::valid_id(id) {
        ui.error(&tr(lang, &Msg::NewBadId { id: id.to_owned() }));
        return ExitCode::from(2);
    }
    let path = dir.unwrap_or(Path::new(".")).join(format!("{id}.toml"));
    let shown = path.display().to_string();
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(scaffold::scaffold(id).as_bytes()));
    match written {
        Ok(()) => {
            ui.line(&tr(lang, &Msg::NewWritten { path: shown }));
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            ui.error(&tr(lang, &Msg::NewExists { path: shown }));
            ExitCode::from(1)
        }
        Err(e) => {
            file_error(ui, lang, shown, &e);
            ExitCode::from(1)
        }
    }
}

fn lab_show(catalog: &Catalog, id: &str, lang: Lang, ui: Ui) -> ExitCode {
    // A lab file not in any lab directory can be previewed by its path.
    let from_file = Path::new(id)
        .extension()
        .is_some_and(|x| x == "toml")
        .then(|| lab::read_file(Path::new(id)).map(|t| Lab::parse(id, &t)));
    let from_file = match from_file {
        None => None,
        Some(Ok(Ok(lab))) => Some(Catalog::of(lab, lab::Origin::File(id.into()))),
        Some(Ok(Err(e))) => {
            ui.error(&e.to_string());
            return ExitCode::from(1);
        }
        Some(Err(e)) => {
            ui.error(&tr(lang, &e.msg(id)));
            return ExitCode::from(1);
        }
    };
    let (catalog, id) = match &from_file {
        Some(c) => (c, c.labs()[0].id.as_str()),
        None => (catalog, id),
    };
    let Some(l) = catalog.get(id) else {
        ui.error(&tr(lang, &Msg::UnknownLab { id: id.to_owned() }));
        if let Some(s) = catalog.suggest(id) {
            ui.line(&tr(lang, &Msg::DidYouMeanLab { id: s.to_owned() }));
        }
        return ExitCode::from(1);
    };
    ui.line(&tr(
        lang,
        &Msg::LabSummary {
            id: l.id.clone(),
            title: l.title.get(lang).to_owned(),
            steps: l.steps.len() as i64,
        },
    ));
    ui.line(l.intro.get(lang).trim_end());
    for (i, s) in l.steps.iter().enumerate() {
        ui.line("");
        ui.line(&tr(
            lang,
            &Msg::StepHeader {
                n: i as i64 + 1,
                total: l.steps.len() as i64,
                title: s.title.get(lang).to_owned(),
            },
        ));
        ui.line(s.text.get(lang).trim_end());
        for h in &s.hints {
            ui.line(&format!("  ? {}", h.get(lang)));
        }
        for c in &s.solution {
            ui.line(&format!("  $ {c}"));
        }
    }
    ExitCode::SUCCESS
}

fn selected<'a>(catalog: &'a Catalog, lab: Option<&str>) -> Result<Vec<&'a Lab>, String> {
    match lab {
        Some(id) => catalog
            .get(id)
            .map(|l| vec![l])
            .ok_or_else(|| id.to_owned()),
        None => Ok(catalog.labs().iter().collect()),
    }
}

fn grade(
    catalog: &Catalog,
    home: &Path,
    lab: Option<&str>,
    json: bool,
    lang: Lang,
    ui: Ui,
) -> ExitCode {
    let labs = match selected(catalog, lab) {
        Ok(l) => l,
        Err(id) => {
            ui.error(&tr(lang, &Msg::UnknownLab { id }));
            return ExitCode::from(1);
        }
    };
    let mut rows = Vec::new();
    for l in labs {
        // Every attempt (the earlier ones `reset` kept, then the current one): the best grades.
        let attempts = lab_attempts(home, l);
        let results: Vec<report::LabResult> = attempts
            .iter()
            .map(|(_, p)| report::LabResult::of(l, p))
            .collect();
        let best = report::best_attempt(&results).unwrap_or(0);
        let r = results
            .get(best)
            .cloned()
            .unwrap_or_else(|| report::LabResult::of(l, &LabProgress::new(&l.id)));
        let attempt = attempts.get(best).map_or(1, |(n, _)| *n);
        if json {
            rows.push(serde_json::json!({
                "lab": l.id,
                "result": r,
                "attempt": attempt,
                "attempts": attempts.len().max(1),
            }));
        } else {
            ui.line(&tr(
                lang,
                &Msg::GradeLine {
                    id: l.id.clone(),
                    title: l.title.get(lang).to_owned(),
                    done: r.passed.len() as i64,
                    total: r.total as i64,
                    skipped: r.skipped.len() as i64,
                    score: r.score,
                },
            ));
            if attempts.len() > 1 {
                ui.line(&format!(
                    "  {}",
                    tr(
                        lang,
                        &Msg::GradeAttempt {
                            n: i64::from(attempt),
                            attempts: attempts.len() as i64,
                        },
                    )
                ));
            }
        }
    }
    if json {
        ui.line(&serde_json::to_string_pretty(&rows).unwrap_or_default());
    }
    ExitCode::SUCCESS
}

/// A lab's attempts, numbered from 1: those `reset` kept, then the current one (left out when it
/// has not begun, after a `reset`, unless it is the only one).
fn lab_attempts(home: &Path, lab: &Lab) -> Vec<(u32, LabProgress)> {
    let mut attempts = progress::attempts(home, &lab.id);
    if let Some(p) = progress::load(home, &lab.id) {
        if attempts.is_empty() || !p.entries.is_empty() {
            let n = progress::next_attempt(home, &lab.id);
            attempts.push((n, p));
        }
    }
    attempts
}

/// What `docklab report` was asked for.
struct ReportRequest<'a> {
    lab: Option<&'a str>,
    out: &'a Path,
    name: Option<String>,
}

fn write_report(
    catalog: &Catalog,
    home: &Path,
    req: ReportRequest<'_>,
    lang: Lang,
    ui: Ui,
) -> ExitCode {
    let ReportRequest { lab, out, name } = req;
    let labs = match selected(catalog, lab) {
        Ok(l) => l,
        Err(id) => {
            ui.error(&tr(lang, &Msg::UnknownLab { id }));
            return ExitCode::from(1);
        }
    };
    // Where the workspaces were, so that `verify` replays absolute paths into them.
    let abs_home = std::path::absolute(home).unwrap_or_else(|_| home.to_path_buf());
    // One section per attempt: the earlier ones `reset` kept, then the current one. Every
    // attempt ran in the same workspace.
    let sections: Vec<report::LabReport> = labs
        .into_iter()
        .flat_map(|l| {
            let attempts = lab_attempts(home, l);
            let numbered = attempts.len() > 1;
            let ws = progress::run_dir(&abs_home, &l.id).join("home");
            attempts.into_iter().map(move |(n, p)| {
                let mut section = report::lab_report(l, &p);
                section.workspace = Some(ws.to_string_lossy().into_owned());
                section.attempt = numbered.then_some(n);
                section
            })
        })
        .collect();
    let entries: usize = sections.iter().map(|s| s.entries.len()).sum();
    let r = report::Report {
        format: report::FORMAT.to_owned(),
        docklab: env!("CARGO_PKG_VERSION").to_owned(),
        student: name,
        labs: sections,
    };
    let text = serde_json::to_string_pretty(&r).unwrap_or_default();
    // A temp file renamed over `out`: a failure leaves an earlier report whole.
    if let Err(e) = crate::atomic::write(out, (text + "\n").as_bytes(), Some(0o644)) {
        ui.error(&tr(
            lang,
            &Msg::ReportWriteFailed {
                path: out.display().to_string(),
                error: crate::atomic::io_reason(&e),
            },
        ));
        return ExitCode::from(1);
    }
    ui.line(&tr(
        lang,
        &Msg::ReportWritten {
            path: out.display().to_string(),
            entries: entries as i64,
        },
    ));
    ExitCode::SUCCESS
}

/// How `verify` and `gradebook` run replays: this docklab, the labs it found, the limits.
fn verifier(catalog: &Catalog, lab_dirs: Vec<PathBuf>) -> Verifier<'_> {
    Verifier {
        catalog,
        lab_dirs,
        program: std::env::current_exe().unwrap_or_else(|_| PathBuf::from("docklab")),
        limits: verify::Limits::from_env(),
    }
}

/// Untrusted text from a report, safe to print: control characters written as escapes.
fn shown(text: &str) -> String {
    crate::docker::reference::escape_controls(text).into_owned()
}

/// What to say about a rejected section.
fn rejection_msg(why: &Rejection) -> Vec<Msg> {
    match why {
        Rejection::Tampered { entry } => vec![Msg::VerifyChainBroken {
            entry: *entry as i64,
        }],
        Rejection::UnknownLab => Vec::new(),
        Rejection::LabSwitched { to } => vec![Msg::VerifyLabSwitched { to: shown(to) }],
        Rejection::UnsafePath { path, reason } => vec![Msg::PathRefused {
            path: shown(path),
            reason: reason.as_str().to_owned(),
        }],
        Rejection::TimeLimit { seconds } => vec![Msg::VerifyTimeLimit {
            seconds: *seconds as i64,
        }],
        Rejection::SizeLimit { bytes } => vec![Msg::VerifySizeLimit {
            size: crate::docker::units::human_size4(*bytes as f64),
        }],
        Rejection::MemoryLimit { bytes } => vec![Msg::VerifyMemoryLimit {
            size: crate::docker::units::human_size4(*bytes as f64),
        }],
        Rejection::ReplayFailed { error } => vec![Msg::VerifyReplayFailed {
            error: shown(error),
        }],
        Rejection::Differs { steps } if steps.is_empty() => vec![Msg::VerifyResultDiffers],
        Rejection::Differs { steps } => steps
            .iter()
            .map(|(step, claimed, replayed)| Msg::VerifyMismatch {
                step: shown(step),
                claimed: claimed.clone(),
                replayed: replayed.clone(),
            })
            .collect(),
    }
}

fn verify(verifier: &Verifier<'_>, file: &Path, lang: Lang, ui: Ui) -> ExitCode {
    let r = match verify::read_report(file) {
        Ok(r) => r,
        Err(error) => {
            ui.error(&tr(
                lang,
                &Msg::VerifyUnreadable {
                    // `FILE: reason`, or `FILE:LINE:COL: reason` when it is not JSON.
                    error: shown(&format!(
                        "{}{}{error}",
                        file.display(),
                        if error.starts_with(|c: char| c.is_ascii_digit()) {
                            ":"
                        } else {
                            ": "
                        }
                    )),
                },
            ));
            return ExitCode::from(2);
        }
    };
    if let Some(name) = &r.student {
        ui.line(&tr(lang, &Msg::VerifyStudent { name: shown(name) }));
    }
    let mut ok = true;
    let verdicts = verifier.report(&r);
    for v in &verdicts {
        let lab = match v.attempt {
            Some(n) => format!(
                "{} ({})",
                shown(&v.lab),
                tr(lang, &Msg::VerifyAttempt { n: i64::from(n) })
            ),
            None => shown(&v.lab),
        };
        let say = |msg: &Msg| format!("{lab}: {}", tr(lang, msg));
        if !matches!(v.outcome, Err(Rejection::Tampered { .. })) {
            ui.line(&say(&Msg::VerifyChainOk {
                entries: v.entries as i64,
            }));
        }
        match &v.outcome {
            Ok(replayed) => ui.line(&say(&Msg::VerifyReplayOk {
                passed: replayed.passed.len() as i64,
                skipped: replayed.skipped.len() as i64,
            })),
            Err(Rejection::UnknownLab) => {
                ok = false;
                ui.error(&tr(lang, &Msg::UnknownLab { id: lab.clone() }));
            }
            Err(why) => {
                ok = false;
                for msg in rejection_msg(why) {
                    ui.error(&say(&msg));
                }
            }
        }
    }
    // A lab with several attempts is graded on its best confirmed one.
    for g in verify::by_lab(verdicts) {
        if g.attempts < 2 {
            continue;
        }
        let say = |msg: &Msg| format!("{}: {}", shown(&g.graded.lab), tr(lang, msg));
        match (&g.graded.outcome, g.graded.attempt) {
            (Ok(res), Some(n)) => ui.line(&say(&Msg::VerifyGraded {
                n: i64::from(n),
                attempts: g.attempts as i64,
                passed: res.passed.len() as i64,
                skipped: res.skipped.len() as i64,
            })),
            _ => ui.line(&say(&Msg::VerifyNoneConfirmed {
                attempts: g.attempts as i64,
            })),
        }
    }
    ui.line(&tr(lang, &Msg::VerifyDisclaimer));
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `docklab gradebook DIR -o FILE`: every report verified, one CSV row per report and lab.
/// Exit status 0 when every row is verified, 1 when one is not, 2 when the directory cannot be
/// read or the gradebook cannot be written.
fn gradebook(verifier: &Verifier<'_>, dir: &Path, out: &Path, lang: Lang, ui: Ui) -> ExitCode {
    let files = match verify::report_files(dir, Some(out)) {
        Ok(f) => f,
        Err(e) => {
            ui.error(&tr(
                lang,
                &Msg::GradebookNoDir {
                    path: dir.display().to_string(),
                    error: e.to_string(),
                },
            ));
            return ExitCode::from(2);
        }
    };
    let total = files.len() as i64;
    let terminal = io::stderr().is_terminal();
    let progress = |done: usize| {
        if terminal {
            let line = tr(
                lang,
                &Msg::GradebookProgress {
                    done: done as i64,
                    total,
                },
            );
            let mut err = io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
        }
    };
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let rows = verify::gradebook(verifier, &files, workers, &progress);
    if terminal && total > 0 {
        eprintln!();
    }
    if let Err(e) = verify::write_atomically(out, &verify::csv(&rows)) {
        ui.error(&tr(
            lang,
            &Msg::GradebookWriteFailed {
                path: out.display().to_string(),
                error: e.to_string(),
            },
        ));
        return ExitCode::from(2);
    }
    let confirmed = rows.iter().filter(|r| r.verified()).count();
    ui.line(&tr(
        lang,
        &Msg::GradebookWritten {
            path: out.display().to_string(),
            rows: rows.len() as i64,
            verified: confirmed as i64,
            rejected: (rows.len() - confirmed) as i64,
        },
    ));
    if confirmed == rows.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `docklab store compact`: the state file rewritten whole, its journal folded in, the index
/// brought up to date, the blobs freed since unlinked.
fn compact(store_dir: &std::path::Path, lang: Lang, ui: Ui) -> ExitCode {
    let compacted = Store::open(store_dir, std::time::Duration::from_secs(10))
        .and_then(|store| store.compact(&crate::engine::sim::held_blobs));
    match compacted {
        Ok(images) => {
            ui.line(&tr(
                lang,
                &Msg::StoreCompacted {
                    path: store_dir.display().to_string(),
                    images: i64::try_from(images).unwrap_or(i64::MAX),
                },
            ));
            ExitCode::SUCCESS
        }
        Err(e) => {
            ui.error(&tr(lang, &crate::engine::EngineError::from(e).msg()));
            ExitCode::from(1)
        }
    }
}

fn fsck(store_dir: &std::path::Path, lang: Lang, ui: Ui) -> ExitCode {
    let say = |msg: Msg| ui.line(&tr(lang, &msg));
    let store = match Store::open(store_dir, std::time::Duration::from_secs(10)) {
        Ok(s) => s,
        Err(e) => {
            ui.error(&tr(lang, &crate::engine::EngineError::from(e).msg()));
            return ExitCode::from(1);
        }
    };
    match store.fsck() {
        Ok(report) => {
            say(Msg::FsckChecked {
                blobs: report.blobs as i64,
                path: store_dir.display().to_string(),
            });
            for (d, what) in &report.missing {
                say(Msg::FsckMissing {
                    digest: d.to_string(),
                    what: what.clone(),
                });
            }
            for name in &report.corrupt {
                say(Msg::FsckCorrupt { name: name.clone() });
            }
            for r in &report.dangling_records {
                say(Msg::FsckInconsistent { what: r.clone() });
            }
            if report.swept > 0 {
                say(Msg::FsckSwept {
                    count: report.swept as i64,
                });
            }
            if report.freed > 0 {
                say(Msg::FsckFreed {
                    count: report.freed as i64,
                });
            }
            if report.listing_rewritten {
                say(Msg::FsckListingRewritten);
            }
            if report.unreferenced > 0 {
                say(Msg::FsckUnreferenced {
                    count: report.unreferenced as i64,
                });
            }
            if report.is_clean() {
                say(Msg::FsckClean);
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            ui.error(&tr(lang, &crate::engine::EngineError::from(e).msg()));
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    /// build.rs links the unwinder into the executables (a static `libgcc_eh` found as
    /// `gcc_s`): a panic still unwinds, and a backtrace still names its frames.
    #[test]
    fn the_linked_in_unwinder_unwinds_and_names_frames() {
        let caught = std::panic::catch_unwind(|| {
            let empty: Vec<u8> = Vec::new();
            empty[std::hint::black_box(3usize)]
        });
        assert!(caught.is_err());
        let trace = std::backtrace::Backtrace::force_capture().to_string();
        assert!(
            trace.contains("the_linked_in_unwinder_unwinds_and_names_frames"),
            "{trace}"
        );
    }
}
