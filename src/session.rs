//! The tutor's session: a pure state machine fed one line at a time. It runs Docker commands on
//! the engine, shell commands in the lab's workspace, its own commands (hint, check, skip…),
//! keeps the transcript and progress, evaluates the current step and answers with [`Feedback`].
//! It never prints and knows nothing of rustyline or the terminal.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::command::{self, Command, Tutor};
use crate::engine::sim::SimEngine;
use crate::engine::{Clock, Engine, EngineState, ImageState, Interaction, NoInput, Outcome};
use crate::feedback::{Feedback, Tone};
use crate::i18n::{tr, Lang, Msg};
use crate::lab::check::{command_matches, Facts, Verdict, Why};
use crate::lab::progress::{self, LabProgress};
use crate::lab::{Catalog, Check, Lab};
use crate::transcript::{Entry, EntryKind};

/// How shell commands (other than `cd` and `pwd`) are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellMode {
    /// `sh -c` in the workspace with the terminal attached (the REPL).
    Attached,
    /// `sh -c` with standard input closed, so a piped script is not eaten (scripted use).
    Detached,
    /// Never run: restore the files the transcript recorded (`verify`).
    Replay,
}

/// What a session needs from the outside.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// The data directory (stores, workspaces, progress).
    pub home: PathBuf,
    pub clock: Clock,
    pub lang: Lang,
    pub catalog: Catalog,
    pub shell: ShellMode,
    /// Which engine runs the student's Docker commands.
    pub engine: EngineChoice,
}

/// The simulated engine (a store per lab under the home), or the real `docker` CLI at this path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum EngineChoice {
    #[default]
    Sim,
    Real(PathBuf),
}

impl SessionOptions {
    /// The engine for a store directory: the simulator's store there, or the one real daemon.
    fn engine(&self, store: PathBuf) -> Box<dyn Engine> {
        match &self.engine {
            EngineChoice::Sim => Box::new(SimEngine::new(store, self.clock)),
            EngineChoice::Real(program) => {
                use std::io::IsTerminal as _;
                let mode = if self.shell == ShellMode::Attached && std::io::stdout().is_terminal() {
                    crate::engine::real::RealMode::Attached
                } else {
                    crate::engine::real::RealMode::Captured
                };
                Box::new(crate::engine::real::RealEngine::new(program.clone(), mode))
            }
        }
    }
}

/// The words the REPL completes from.
#[derive(Debug, Clone, Default)]
pub struct CompletionData {
    pub images: Vec<String>,
    pub containers: Vec<String>,
    pub labs: Vec<String>,
    pub cwd: PathBuf,
    pub workspace: PathBuf,
}

/// What the prompt shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptInfo {
    /// (lab id, current step number from 1, number of steps)
    pub lab: Option<(String, usize, usize)>,
    /// The working directory, with `~` for the workspace.
    pub cwd: String,
}

struct Run {
    lab: Lab,
    progress: LabProgress,
    /// Mistakes already explained in the current step.
    shown: BTreeSet<String>,
}

/// The tutor's session.
pub struct Session {
    opts: SessionOptions,
    lang: Lang,
    engine: Box<dyn Engine>,
    workspace: PathBuf,
    cwd: PathBuf,
    run: Option<Run>,
    /// The engine state before and after the last Docker command (for explanations to come).
    before: Option<EngineState>,
    /// Whether each Docker command is followed by an account of what it changed.
    explain: bool,
    after: Option<EngineState>,
}

/// Answers Docker's prompts from a queue of lines and records them.
struct QueueIo<'a> {
    queue: &'a mut VecDeque<String>,
}

impl Interaction for QueueIo<'_> {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        self.queue.pop_front()
    }
}

/// Records the answers another interaction gives.
struct Recording<'a> {
    inner: &'a mut dyn Interaction,
    answers: Vec<String>,
}

impl Interaction for Recording<'_> {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        let answer = self.inner.read_line(prompt);
        if let Some(a) = &answer {
            self.answers
                .push(a.trim_end_matches(['\n', '\r']).to_owned());
        }
        answer
    }
}

fn tutor(tone: Tone, text: String) -> Feedback {
    Feedback::Tutor { tone, text }
}

/// Files (≤ 1 MiB) and directories under `root`, relative paths → content.
fn snapshot(root: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeSet<String>) {
    let mut files = BTreeMap::new();
    let mut dirs = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    let mut budget = 5000usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return (files, dirs);
            }
            let path = e.path();
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().into_owned();
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                dirs.insert(rel);
                stack.push(path);
            } else if meta.is_file() && meta.len() <= 1 << 20 {
                if let Ok(bytes) = std::fs::read(&path) {
                    files.insert(rel, bytes);
                }
            }
        }
    }
    (files, dirs)
}

impl Session {
    pub fn new(opts: SessionOptions) -> Session {
        let workspace = opts.home.join("workspace");
        let _ = std::fs::create_dir_all(&workspace);
        let engine = opts.engine(opts.home.join("store"));
        Session {
            lang: opts.lang,
            engine,
            cwd: workspace.clone(),
            workspace,
            run: None,
            before: None,
            after: None,
            explain: true,
            opts,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn catalog(&self) -> &Catalog {
        &self.opts.catalog
    }

    fn t(&self, msg: &Msg) -> String {
        tr(self.lang, msg)
    }

    fn say(&self, tone: Tone, msg: &Msg) -> Feedback {
        tutor(tone, self.t(msg))
    }

    /// The engine state before and after the last Docker command.
    pub fn last_states(&self) -> (Option<&EngineState>, Option<&EngineState>) {
        (self.before.as_ref(), self.after.as_ref())
    }

    /// The current lab's progress.
    pub fn progress(&self) -> Option<&LabProgress> {
        self.run.as_ref().map(|r| &r.progress)
    }

    pub fn lab(&self) -> Option<&Lab> {
        self.run.as_ref().map(|r| &r.lab)
    }

    /// Whether the current lab is completed.
    pub fn lab_completed(&self) -> bool {
        self.run
            .as_ref()
            .is_some_and(|r| r.progress.completed(r.lab.steps.len()))
    }

    pub fn workspace(&self) -> &Path {
        &self.workspace
    }

    fn cwd_display(&self) -> String {
        match self.cwd.strip_prefix(&self.workspace) {
            Ok(rel) if rel.as_os_str().is_empty() => "~".to_owned(),
            Ok(rel) => format!("~/{}", rel.display()),
            Err(_) => self.cwd.display().to_string(),
        }
    }

    pub fn prompt(&self) -> PromptInfo {
        PromptInfo {
            lab: self.run.as_ref().map(|r| {
                let n = r.lab.steps.len();
                (r.lab.id.clone(), (r.progress.current + 1).min(n), n)
            }),
            cwd: self.cwd_display(),
        }
    }

    pub fn completion_data(&mut self) -> CompletionData {
        let state = self.engine.state().unwrap_or_default();
        CompletionData {
            images: state.images.iter().flat_map(|i| i.tags.clone()).collect(),
            containers: state.containers.iter().map(|c| c.name.clone()).collect(),
            labs: self
                .opts
                .catalog
                .labs()
                .iter()
                .map(|l| l.id.clone())
                .collect(),
            cwd: self.cwd.clone(),
            workspace: self.workspace.clone(),
        }
    }

    /// The greeting and the list of labs.
    pub fn greeting(&self) -> Vec<Feedback> {
        let mut fb = vec![self.say(
            Tone::Info,
            &Msg::Welcome {
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
        )];
        fb.extend(self.labs_list());
        fb
    }

    fn labs_list(&self) -> Vec<Feedback> {
        let labs = self.opts.catalog.labs();
        if labs.is_empty() {
            return vec![self.say(Tone::Warning, &Msg::NoLabs)];
        }
        let mut fb = vec![self.say(Tone::Info, &Msg::LabsHeader)];
        for lab in labs {
            let done = progress::load(&self.opts.home, &lab.id)
                .map_or(0, |p| (p.passed.len() + p.skipped.len()) as i64);
            fb.push(self.say(
                Tone::Plain,
                &Msg::LabLine {
                    id: lab.id.clone(),
                    title: lab.title.get(self.lang).to_owned(),
                    steps: lab.steps.len() as i64,
                    done,
                },
            ));
        }
        fb.push(self.say(Tone::Hint, &Msg::LabsHowToStart));
        fb
    }

    /// Handles one typed line. `io` answers Docker's confirmation prompts.
    pub fn handle(&mut self, line: &str, io: &mut dyn Interaction) -> Vec<Feedback> {
        self.dispatch(line, io, None)
    }

    /// Replays one transcript entry (for `verify`): like [`Session::handle`], but shell commands
    /// are not run; the files they wrote are restored from the entry.
    pub fn replay(&mut self, entry: &Entry, io: &mut dyn Interaction) -> Vec<Feedback> {
        self.dispatch(&entry.line, io, Some(entry))
    }

    fn dispatch(
        &mut self,
        line: &str,
        io: &mut dyn Interaction,
        replay: Option<&Entry>,
    ) -> Vec<Feedback> {
        let line = line.trim();
        let mut fb = Vec::new();
        match command::parse(line) {
            Command::Empty => {}
            Command::Tutor(t) => {
                let mut entry = Entry::new(line, EntryKind::Tutor);
                entry.step = self.current_step_id();
                fb = self.tutor(t, io, &mut entry);
                if !matches!(entry.line.as_str(), "") {
                    self.record(entry);
                }
            }
            other => {
                let entry = self.exec_line(line, &other, io, replay, &mut fb, true);
                self.record_all(entry);
                self.evaluate(&mut fb);
            }
        }
        self.save();
        fb
    }

    fn current_step_id(&self) -> Option<String> {
        let r = self.run.as_ref()?;
        r.lab.steps.get(r.progress.current).map(|s| s.id.clone())
    }

    fn record(&mut self, entry: Entry) {
        if let Some(r) = &mut self.run {
            r.progress.entries.push(entry);
        }
    }

    fn record_all(&mut self, entries: Vec<Entry>) {
        for e in entries {
            self.record(e);
        }
    }

    fn save(&self) {
        if let Some(r) = &self.run {
            let mut p = r.progress.clone();
            p.cwd = self
                .cwd
                .strip_prefix(&self.workspace)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let _ = progress::save(&self.opts.home, &p);
        }
    }

    /// Runs a Docker, `cd`, `pwd` or shell line; returns its transcript entries (the command and
    /// the answers it read).
    fn exec_line(
        &mut self,
        line: &str,
        cmd: &Command,
        io: &mut dyn Interaction,
        replay: Option<&Entry>,
        fb: &mut Vec<Feedback>,
        check_forbidden: bool,
    ) -> Vec<Entry> {
        let step = self.current_step_id();
        let mut entries = match cmd {
            Command::Docker => self.docker(line, io, fb, check_forbidden),
            Command::Cd(dir) => vec![self.cd(line, dir.as_deref(), fb)],
            Command::Pwd => {
                fb.push(Feedback::Docker {
                    stdout: format!("{}\n", self.cwd.display()),
                    stderr: String::new(),
                    pulls: Vec::new(),
                    build: None,
                });
                vec![Entry::new(line, EntryKind::Shell)]
            }
            Command::Shell => vec![self.shell(line, replay, fb)],
            Command::Empty | Command::Tutor(_) => Vec::new(),
        };
        for e in &mut entries {
            e.step.clone_from(&step);
        }
        entries
    }

    fn cd(&mut self, line: &str, dir: Option<&str>, fb: &mut Vec<Feedback>) -> Entry {
        let mut entry = Entry::new(line, EntryKind::Shell);
        let target = match dir {
            None | Some("~") => self.workspace.clone(),
            Some(d) => match d.strip_prefix("~/") {
                Some(rest) => self.workspace.join(rest),
                None => self.cwd.join(d),
            },
        };
        let shown = dir.unwrap_or("~").to_owned();
        match target.canonicalize() {
            Ok(real) if real.is_dir() => {
                let ws = self
                    .workspace
                    .canonicalize()
                    .unwrap_or_else(|_| self.workspace.clone());
                if let Ok(inside) = real.strip_prefix(&ws) {
                    self.cwd = self.workspace.join(inside);
                    entry.cwd = Some(inside.to_string_lossy().into_owned());
                } else {
                    entry.exit_code = 1;
                    fb.push(self.say(Tone::Warning, &Msg::OutsideWorkspace { dir: shown }));
                }
            }
            _ => {
                entry.exit_code = 1;
                fb.push(self.say(Tone::Error, &Msg::NoSuchDir { dir: shown }));
            }
        }
        entry
    }

    fn shell(&mut self, line: &str, replay: Option<&Entry>, fb: &mut Vec<Feedback>) -> Entry {
        let mut entry = Entry::new(line, EntryKind::Shell);
        if self.opts.shell == ShellMode::Replay {
            // Restore what the command wrote, inside the workspace only.
            if let Some(rec) = replay {
                for d in &rec.dirs {
                    if let Some(p) = crate::lab::check::workspace_path(&self.workspace, d) {
                        let _ = std::fs::create_dir_all(p);
                    }
                }
                for (f, content) in &rec.files {
                    if let Some(p) = crate::lab::check::workspace_path(&self.workspace, f) {
                        if let Some(parent) = p.parent() {
                            let _ = std::fs::create_dir_all(parent);
                        }
                        let _ = std::fs::write(p, content);
                    }
                }
                entry.exit_code = rec.exit_code;
                entry.files.clone_from(&rec.files);
                entry.dirs.clone_from(&rec.dirs);
            }
            return entry;
        }
        let (files_before, dirs_before) = snapshot(&self.workspace);
        let Some(expanded) = self.substitute(line, fb) else {
            entry.exit_code = 1;
            return entry;
        };
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg(&expanded)
            .current_dir(&self.cwd)
            .env("HOME", &self.workspace);
        if self.opts.shell == ShellMode::Detached {
            cmd.stdin(std::process::Stdio::null());
        }
        match cmd.status() {
            Ok(status) => entry.exit_code = status.code().unwrap_or(130),
            Err(e) => {
                entry.exit_code = 127;
                fb.push(self.say(
                    Tone::Error,
                    &Msg::ShellFailed {
                        error: e.to_string(),
                    },
                ));
            }
        }
        let (files_after, dirs_after) = snapshot(&self.workspace);
        for (f, content) in files_after {
            if files_before.get(&f) != Some(&content) {
                entry
                    .files
                    .insert(f, String::from_utf8_lossy(&content).into_owned());
            }
        }
        entry.dirs = dirs_after.difference(&dirs_before).cloned().collect();
        entry
    }

    /// Replaces each `$(…)` by its output's words (`$(docker …)` runs on the engine).
    fn substitute(&mut self, line: &str, fb: &mut Vec<Feedback>) -> Option<String> {
        let subs = command::substitutions(line);
        if subs.is_empty() {
            return Some(line.to_owned());
        }
        let mut out = String::new();
        let mut last = 0;
        for (start, end, inner) in subs {
            out.push_str(&line[last..start]);
            let inner_words = match shell_words::split(&inner) {
                Ok(w) => w,
                Err(e) => {
                    fb.push(self.say(
                        Tone::Error,
                        &Msg::BadQuoting {
                            error: e.to_string(),
                        },
                    ));
                    return None;
                }
            };
            let stdout = if inner_words.first().is_some_and(|w| w == "docker") {
                self.engine.set_workdir(&self.cwd);
                self.engine.set_env(&[]);
                match self.engine.exec(&inner_words[1..], &mut NoInput) {
                    Ok(o) => {
                        if !o.stderr.is_empty() {
                            fb.push(Feedback::Docker {
                                stdout: String::new(),
                                stderr: o.stderr,
                                pulls: Vec::new(),
                                build: None,
                            });
                        }
                        o.stdout
                    }
                    Err(e) => {
                        fb.push(self.say(Tone::Error, &crate::i18n::engine_error(&e)));
                        return None;
                    }
                }
            } else if self.opts.shell == ShellMode::Replay {
                String::new()
            } else {
                std::process::Command::new("sh")
                    .arg("-c")
                    .arg(&inner)
                    .current_dir(&self.cwd)
                    .env("HOME", &self.workspace)
                    .stdin(std::process::Stdio::null())
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                    .unwrap_or_default()
            };
            out.push_str(&stdout.split_whitespace().collect::<Vec<_>>().join(" "));
            last = end;
        }
        out.push_str(&line[last..]);
        Some(out)
    }

    fn docker(
        &mut self,
        line: &str,
        io: &mut dyn Interaction,
        fb: &mut Vec<Feedback>,
        check_forbidden: bool,
    ) -> Vec<Entry> {
        let mut entry = Entry::new(line, EntryKind::Docker);
        let Some(expanded) = self.substitute(line, fb) else {
            entry.exit_code = 1;
            return vec![entry];
        };
        let words = match shell_words::split(&expanded) {
            Ok(w) => w,
            Err(e) => {
                entry.exit_code = 1;
                fb.push(self.say(
                    Tone::Error,
                    &Msg::BadQuoting {
                        error: e.to_string(),
                    },
                ));
                return vec![entry];
            }
        };
        // Assignments before `docker` (`DOCKER_BUILDKIT=0 docker build .`) hold for this command.
        let vars: Vec<(String, String)> = words
            .iter()
            .take_while(|w| command::is_assignment(w))
            .filter_map(|w| w.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
            .collect();
        let args: Vec<String> = words.into_iter().skip(vars.len() + 1).collect();
        entry.docker_args.clone_from(&args);
        if check_forbidden {
            if let Some(forbid) = self.run.as_ref().and_then(|r| {
                r.lab.steps.get(r.progress.current).and_then(|s| {
                    s.forbids
                        .iter()
                        .find(|f| command_matches(&f.command, &args))
                })
            }) {
                let text = forbid.explain.get(self.lang).to_owned();
                fb.push(self.say(
                    Tone::Warning,
                    &Msg::Forbidden {
                        command: line.to_owned(),
                    },
                ));
                fb.push(tutor(Tone::Hint, text));
                entry.kind = EntryKind::Tutor;
                entry.exit_code = 126;
                return vec![entry];
            }
        }
        self.before = self.engine.state().ok();
        self.engine.set_workdir(&self.cwd);
        self.engine.set_env(&vars);
        let mut rec = Recording {
            inner: io,
            answers: Vec::new(),
        };
        let outcome = match self.engine.exec(&args, &mut rec) {
            Ok(o) => o,
            Err(e) => {
                fb.push(self.say(Tone::Error, &crate::i18n::engine_error(&e)));
                Outcome::error(String::new(), 1)
            }
        };
        self.engine.set_env(&[]);
        let answers = rec.answers;
        self.after = self.engine.state().ok();
        entry.exit_code = outcome.exit_code;
        if !outcome.stdout.is_empty() || !outcome.stderr.is_empty() {
            fb.push(Feedback::Docker {
                stdout: outcome.stdout.clone(),
                stderr: outcome.stderr.clone(),
                pulls: outcome.pulls.clone(),
                build: outcome.build.clone(),
            });
        }
        if self.explain {
            if let (Some(before), Some(after)) = (&self.before, &self.after) {
                let changes = crate::layers::explain::explain(before, after, &outcome.stderr);
                fb.extend(
                    changes
                        .iter()
                        .map(|c| self.say(Tone::Info, &explain_msg(c))),
                );
            }
        }
        if outcome.exit_code != 0 {
            if let Some(s) = did_you_mean(&args, &outcome) {
                fb.push(self.say(Tone::Hint, &Msg::DidYouMean { suggestion: s }));
            }
        }
        let mut entries = vec![entry];
        entries.extend(
            answers
                .into_iter()
                .map(|a| Entry::new(&a, EntryKind::Answer)),
        );
        entries
    }

    fn facts_state(&mut self) -> EngineState {
        self.engine.state().unwrap_or_default()
    }

    /// The current step's verdict, or `None` without a current step.
    fn step_verdict(&mut self) -> Option<Verdict> {
        let state = self.facts_state();
        let r = self.run.as_ref()?;
        let step = r.lab.steps.get(r.progress.current)?;
        let facts = Facts {
            state: &state,
            entries: &r.progress.entries,
            step_start: r.progress.step_start,
            workspace: &self.workspace,
        };
        Some(Check::All(step.check.clone()).eval(&facts))
    }

    /// The current step's checks, evaluated without passing the step (`lab test`): whether they
    /// all hold and, when they do not, what is missing, in the session's language.
    pub fn probe_step(&mut self) -> Option<(bool, Vec<String>)> {
        let verdict = self.step_verdict()?;
        let mut lines = Vec::new();
        if !verdict.ok {
            self.render_why(&verdict.why, &mut lines);
        }
        Some((verdict.ok, lines))
    }

    /// After a command: the step passes, or a known mistake is explained.
    fn evaluate(&mut self, fb: &mut Vec<Feedback>) {
        let Some(verdict) = self.step_verdict() else {
            return;
        };
        if verdict.ok {
            self.pass_step(fb, false);
            return;
        }
        let state = self.facts_state();
        let lang = self.lang;
        let Some(r) = self.run.as_mut() else { return };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return;
        };
        let facts = Facts {
            state: &state,
            entries: &r.progress.entries,
            step_start: r.progress.step_start,
            workspace: &self.workspace,
        };
        let mut explained = Vec::new();
        for m in &step.mistakes {
            if !r.shown.contains(&m.id) && m.when.eval(&facts).ok {
                explained.push((m.id.clone(), m.explain.get(lang).to_owned()));
            }
        }
        for (id, text) in explained {
            r.shown.insert(id);
            fb.push(tutor(Tone::Warning, tr(lang, &Msg::Mistake)));
            fb.push(tutor(Tone::Hint, text));
        }
    }

    fn pass_step(&mut self, fb: &mut Vec<Feedback>, skipped: bool) {
        let lang = self.lang;
        let Some(r) = self.run.as_mut() else { return };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return;
        };
        let id = step.id.clone();
        let n = r.progress.current as i64 + 1;
        let title = step.title.get(lang).to_owned();
        if skipped {
            r.progress.skipped.push(id.clone());
            if let Some(e) = r.progress.entries.last_mut() {
                e.skipped.push(id);
            }
            fb.push(tutor(
                Tone::Warning,
                tr(lang, &Msg::StepSkipped { n, title }),
            ));
        } else {
            r.progress.passed.push(id.clone());
            if let Some(e) = r.progress.entries.last_mut() {
                e.passed.push(id);
            }
            fb.push(tutor(
                Tone::Success,
                tr(lang, &Msg::StepPassed { n, title }),
            ));
        }
        r.progress.current += 1;
        r.progress.step_start = r.progress.entries.len();
        r.shown.clear();
        if r.progress.completed(r.lab.steps.len()) {
            fb.push(tutor(
                Tone::Success,
                tr(
                    lang,
                    &Msg::LabCompleted {
                        title: r.lab.title.get(lang).to_owned(),
                    },
                ),
            ));
            fb.push(self.score());
        } else {
            fb.extend(self.show_step());
        }
    }

    fn score(&self) -> Feedback {
        let Some(r) = &self.run else {
            return self.say(Tone::Info, &Msg::NoLabStarted);
        };
        self.say(
            Tone::Success,
            &Msg::Score {
                done: r.progress.passed.len() as i64,
                total: r.lab.steps.len() as i64,
                skipped: r.progress.skipped.len() as i64,
            },
        )
    }

    fn show_step(&self) -> Vec<Feedback> {
        let Some(r) = &self.run else {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return vec![self.say(Tone::Info, &Msg::LabFinished), self.score()];
        };
        vec![
            self.say(
                Tone::Step,
                &Msg::StepHeader {
                    n: r.progress.current as i64 + 1,
                    total: r.lab.steps.len() as i64,
                    title: step.title.get(self.lang).to_owned(),
                },
            ),
            tutor(Tone::Plain, step.text.get(self.lang).trim_end().to_owned()),
        ]
    }

    fn render_why(&self, why: &Why, out: &mut Vec<String>) {
        match why {
            Why::Msg(m) => out.push(self.t(m)),
            Why::All(ws) => {
                for w in ws {
                    self.render_why(w, out);
                }
            }
            Why::Any(ws) => {
                out.push(self.t(&Msg::AnyFail));
                for w in ws {
                    let mut inner = Vec::new();
                    self.render_why(w, &mut inner);
                    out.extend(inner.into_iter().map(|l| format!("  · {l}")));
                }
            }
            Why::Not(w) => {
                let mut inner = Vec::new();
                self.render_why(w, &mut inner);
                out.push(self.t(&Msg::NotFail {
                    inner: inner.join(" "),
                }));
            }
        }
    }

    /// Starts (or resumes) a lab; `fresh` starts over.
    pub fn start_lab(&mut self, id: &str, fresh: bool) -> Vec<Feedback> {
        let Some(lab) = self.opts.catalog.get(id).cloned() else {
            let mut fb = vec![self.say(Tone::Error, &Msg::UnknownLab { id: id.to_owned() })];
            if let Some(s) = self.opts.catalog.suggest(id) {
                fb.push(self.say(Tone::Hint, &Msg::DidYouMeanLab { id: s.to_owned() }));
            }
            return fb;
        };
        self.save();
        let home = self.opts.home.clone();
        let dir = progress::run_dir(&home, &lab.id);
        let mut fb = Vec::new();
        // A progress file that is there but unreadable is no reason to delete the student's work:
        // the whole run is kept aside and the lab starts over.
        let mut wipe = true;
        let existing = if fresh {
            None
        } else {
            match progress::load_checked(&home, &lab.id) {
                Ok(p) => p.filter(|p| !p.completed(lab.steps.len())),
                Err(error) => {
                    match progress::set_aside(&home, &lab.id) {
                        Ok(kept) => fb.push(self.say(
                            Tone::Warning,
                            &Msg::ProgressUnreadable {
                                id: lab.id.clone(),
                                error,
                                kept: kept.display().to_string(),
                            },
                        )),
                        Err(e) => {
                            wipe = false;
                            fb.push(self.say(
                                Tone::Warning,
                                &Msg::ProgressUnreadable {
                                    id: lab.id.clone(),
                                    error: format!("{error}; {e}"),
                                    kept: dir.display().to_string(),
                                },
                            ));
                        }
                    }
                    None
                }
            }
        };
        let resumed = existing.is_some();
        let progress = if let Some(p) = existing {
            p
        } else {
            if wipe {
                let _ = std::fs::remove_dir_all(&dir);
            }
            LabProgress::new(&lab.id)
        };
        self.workspace = dir.join("home");
        let _ = std::fs::create_dir_all(&self.workspace);
        self.engine = self.opts.engine(dir.join("store"));
        self.cwd = self.workspace.join(&progress.cwd);
        if !self.cwd.is_dir() {
            self.cwd = self.workspace.clone();
        }
        self.before = None;
        self.after = None;
        // On a real engine, what was there before the lab started: `reset` offers to remove only
        // what came after.
        let baseline_file = dir.join("baseline.json");
        if matches!(self.opts.engine, EngineChoice::Real(_)) && !resumed {
            if let Ok(state) = self.engine.state() {
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(
                    &baseline_file,
                    serde_json::to_vec(&state).unwrap_or_default(),
                );
            }
        }
        if !resumed {
            for reference in &lab.start.images {
                let args = vec!["pull".to_owned(), reference.clone()];
                let failed = match self.engine.exec(&args, &mut NoInput) {
                    Ok(o) if o.exit_code == 0 => None,
                    Ok(o) => Some(o.stderr.trim().to_owned()),
                    Err(e) => Some(e.to_string()),
                };
                if let Some(error) = failed {
                    fb.push(self.say(
                        Tone::Error,
                        &Msg::StartStateFailed {
                            reference: reference.clone(),
                            error,
                        },
                    ));
                }
            }
        }
        let steps = lab.steps.len() as i64;
        let title = lab.title.get(self.lang).to_owned();
        if resumed {
            fb.push(self.say(
                Tone::Info,
                &Msg::LabResumed {
                    id: lab.id.clone(),
                    title,
                    step: progress.current as i64 + 1,
                    steps,
                },
            ));
        } else {
            fb.push(self.say(
                Tone::Info,
                &Msg::LabStarted {
                    id: lab.id.clone(),
                    title,
                    steps,
                },
            ));
            fb.push(tutor(
                Tone::Plain,
                lab.intro.get(self.lang).trim_end().to_owned(),
            ));
        }
        self.run = Some(Run {
            lab,
            progress,
            shown: BTreeSet::new(),
        });
        fb.extend(self.show_step());
        self.save();
        fb
    }

    fn tutor(&mut self, t: Tutor, io: &mut dyn Interaction, entry: &mut Entry) -> Vec<Feedback> {
        let _ = io;
        match t {
            Tutor::Help => vec![self.say(Tone::Plain, &Msg::Help)],
            Tutor::Labs => self.labs_list(),
            Tutor::Start(None) => vec![self.say(Tone::Hint, &Msg::StartUsage)],
            Tutor::Start(Some(id)) => {
                entry.line.clear();
                self.start_lab(&id, false)
            }
            Tutor::Reset => {
                entry.line.clear();
                match self.run.as_ref().map(|r| r.lab.id.clone()) {
                    Some(id) => {
                        let mut fb = self.clean_real_engine(&id, io);
                        fb.push(self.say(Tone::Info, &Msg::ResetDone { id: id.clone() }));
                        fb.extend(self.start_lab(&id, true));
                        fb
                    }
                    None => vec![self.say(Tone::Hint, &Msg::NoLabStarted)],
                }
            }
            Tutor::Step => self.show_step(),
            Tutor::Check | Tutor::Next => self.check(),
            Tutor::Hint => self.hint(),
            Tutor::Skip => self.skip(entry),
            Tutor::Progress => self.progress_table(),
            Tutor::Lang(arg) => match arg.as_deref().and_then(Lang::from_tag) {
                Some(l) => {
                    self.lang = l;
                    vec![self.say(Tone::Info, &Msg::LangSwitched)]
                }
                None => vec![self.say(
                    Tone::Hint,
                    &Msg::LangUsage {
                        lang: arg.unwrap_or_default(),
                    },
                )],
            },
            Tutor::Layers(image) => self.layers_picture(image.as_deref()),
            Tutor::Explain(arg) => match arg.as_deref() {
                Some("on" | "oui") => {
                    self.explain = true;
                    vec![self.say(Tone::Info, &Msg::ExplainOn)]
                }
                Some("off" | "non") => {
                    self.explain = false;
                    vec![self.say(Tone::Info, &Msg::ExplainOff)]
                }
                _ => {
                    let state = if self.explain { "on" } else { "off" };
                    vec![self.say(
                        Tone::Hint,
                        &Msg::ExplainUsage {
                            state: state.to_owned(),
                        },
                    )]
                }
            },
            Tutor::Quit => {
                entry.line.clear();
                vec![self.say(Tone::Info, &Msg::Bye), Feedback::Quit]
            }
        }
    }

    /// On a real engine, `reset` first offers to remove what the lab created (containers, images,
    /// tags that appeared since the lab started), after the student's yes; nothing else is ever
    /// removed. On the simulator each lab has its own store, started afresh.
    fn clean_real_engine(&mut self, lab: &str, io: &mut dyn Interaction) -> Vec<Feedback> {
        if !matches!(self.opts.engine, EngineChoice::Real(_)) {
            return Vec::new();
        }
        let Some(plan) = self.real_cleanup_plan(lab) else {
            return vec![self.say(Tone::Warning, &Msg::ResetRealUnknown)];
        };
        if plan.is_empty() {
            return Vec::new();
        }
        let commands: Vec<String> = plan
            .iter()
            .map(|c| format!("  docker {}", c.docker_args().join(" ")))
            .collect();
        let mut fb = vec![
            self.say(
                Tone::Warning,
                &Msg::ResetRealPlan {
                    count: plan.len() as i64,
                },
            ),
            tutor(Tone::Plain, commands.join("\n")),
        ];
        let question = format!("{} ", self.t(&Msg::ResetRealConfirm));
        let yes = io
            .read_line(&question)
            .is_some_and(|a| matches!(a.trim().to_lowercase().as_str(), "y" | "yes" | "o" | "oui"));
        if yes {
            fb.extend(self.apply_cleanup(&plan));
        } else {
            fb.push(self.say(Tone::Info, &Msg::ResetRealKept));
        }
        fb
    }

    /// On a real engine, what `lab` created since it started (from the state saved when it
    /// started); `None` on the simulator or when that state is unknown.
    pub fn real_cleanup_plan(&mut self, lab: &str) -> Option<Vec<crate::engine::real::Cleanup>> {
        if !matches!(self.opts.engine, EngineChoice::Real(_)) {
            return None;
        }
        let file = progress::run_dir(&self.opts.home, lab).join("baseline.json");
        let baseline: EngineState = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
        let now = self.engine.state().ok()?;
        Some(crate::engine::real::cleanup_plan(&baseline, &now))
    }

    /// Carries out a clean-up plan on the engine (the caller has the person's consent).
    pub fn apply_cleanup(&mut self, plan: &[crate::engine::real::Cleanup]) -> Vec<Feedback> {
        let mut fb = Vec::new();
        for step in plan {
            match self.engine.exec(&step.docker_args(), &mut NoInput) {
                Ok(o) => fb.push(Feedback::Docker {
                    stdout: o.stdout,
                    stderr: o.stderr,
                    pulls: Vec::new(),
                    build: None,
                }),
                Err(e) => fb.push(self.say(Tone::Error, &crate::i18n::engine_error(&e))),
            }
        }
        fb
    }

    /// The picture of the store's layers, whole or around one image.
    pub fn layers_picture(&mut self, image: Option<&str>) -> Vec<Feedback> {
        // A store that cannot be read is said so, not drawn as an empty one.
        let state = match self.engine.state() {
            Ok(s) => s,
            Err(e) => return vec![self.say(Tone::Error, &crate::i18n::engine_error(&e))],
        };
        let focus = match image {
            None => None,
            Some(name) => match find_image(&state, name) {
                Some(i) => Some(i),
                None => {
                    return vec![self.say(
                        Tone::Warning,
                        &Msg::LayersNoImage {
                            image: name.to_owned(),
                        },
                    )]
                }
            },
        };
        let (plain, rich) = picture(self.lang, &state, focus);
        vec![Feedback::Picture { plain, rich }]
    }

    fn check(&mut self) -> Vec<Feedback> {
        if self.run.is_none() {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        }
        // A store that cannot be read is said so, rather than "still missing" everything.
        if let Err(e) = self.engine.state() {
            return vec![self.say(Tone::Error, &crate::i18n::engine_error(&e))];
        }
        let Some(verdict) = self.step_verdict() else {
            return vec![self.say(Tone::Info, &Msg::LabFinished), self.score()];
        };
        let mut fb = Vec::new();
        if verdict.ok {
            fb.push(self.say(Tone::Success, &Msg::AllChecksPass));
            self.pass_step(&mut fb, false);
        } else {
            fb.push(self.say(Tone::Warning, &Msg::StillMissing));
            let mut lines = Vec::new();
            self.render_why(&verdict.why, &mut lines);
            for l in lines {
                fb.push(tutor(Tone::Warning, format!("  - {l}")));
            }
        }
        fb
    }

    fn hint(&mut self) -> Vec<Feedback> {
        let lang = self.lang;
        let Some(r) = self.run.as_mut() else {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return vec![tutor(Tone::Info, tr(lang, &Msg::LabFinished))];
        };
        let used = r.progress.hints.entry(step.id.clone()).or_insert(0);
        if let Some(h) = step.hints.get(*used) {
            *used += 1;
            let n = *used as i64;
            return vec![
                tutor(
                    Tone::Hint,
                    tr(
                        lang,
                        &Msg::HintHeader {
                            n,
                            total: step.hints.len() as i64,
                        },
                    ),
                ),
                tutor(Tone::Plain, h.get(lang).trim_end().to_owned()),
            ];
        }
        let mut fb = Vec::new();
        if !step.hints.is_empty() {
            fb.push(tutor(Tone::Hint, tr(lang, &Msg::NoMoreHints)));
        }
        fb.push(tutor(Tone::Hint, tr(lang, &Msg::SolutionHeader)));
        for l in &step.solution {
            fb.push(tutor(Tone::Plain, format!("    {l}")));
        }
        fb.push(tutor(Tone::Hint, tr(lang, &Msg::SkipOffer)));
        fb
    }

    fn skip(&mut self, entry: &mut Entry) -> Vec<Feedback> {
        let Some(r) = self.run.as_ref() else {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return vec![self.say(Tone::Info, &Msg::LabFinished)];
        };
        let mut queue: VecDeque<String> = step.solution.iter().cloned().collect();
        let mut fb = Vec::new();
        let mut generated = Vec::new();
        while let Some(line) = queue.pop_front() {
            let cmd = command::parse(&line);
            if matches!(cmd, Command::Empty | Command::Tutor(_)) {
                continue;
            }
            fb.push(tutor(Tone::Hint, format!("$ {line}")));
            let mut io = QueueIo { queue: &mut queue };
            let mut entries = self.exec_line(&line, &cmd, &mut io, None, &mut fb, false);
            for e in &mut entries {
                e.line = format!("# skip: {}", e.line);
            }
            generated.extend(entries);
        }
        // The solution's commands are kept for the record, commented out so a replay of the
        // transcript re-applies the solution through `skip` alone.
        self.record_all(generated);
        let mut skip_entry = entry.clone();
        entry.line.clear();
        skip_entry.exit_code = 0;
        self.record(skip_entry);
        self.pass_step(&mut fb, true);
        fb
    }

    fn progress_table(&self) -> Vec<Feedback> {
        let mut fb = vec![self.say(Tone::Info, &Msg::ProgressHeader)];
        for lab in self.opts.catalog.labs() {
            let p = if self.run.as_ref().is_some_and(|r| r.lab.id == lab.id) {
                self.run.as_ref().map(|r| r.progress.clone())
            } else {
                progress::load(&self.opts.home, &lab.id)
            }
            .unwrap_or_else(|| LabProgress::new(&lab.id));
            fb.push(self.say(
                Tone::Step,
                &Msg::ProgressLab {
                    id: lab.id.clone(),
                    title: lab.title.get(self.lang).to_owned(),
                    done: p.passed.len() as i64,
                    total: lab.steps.len() as i64,
                    skipped: p.skipped.len() as i64,
                },
            ));
            if p.entries.is_empty() && p.current == 0 {
                continue;
            }
            for (i, s) in lab.steps.iter().enumerate() {
                let status = if p.passed.contains(&s.id) {
                    "passed"
                } else if p.skipped.contains(&s.id) {
                    "skipped"
                } else if i == p.current {
                    "current"
                } else {
                    "todo"
                };
                fb.push(self.say(
                    Tone::Plain,
                    &Msg::ProgressStep {
                        n: i as i64 + 1,
                        title: s.title.get(self.lang).to_owned(),
                        status: status.to_owned(),
                    },
                ));
            }
        }
        fb
    }
}

/// Docker's subcommands, for did-you-mean and completion.
pub const DOCKER_COMMANDS: &[&str] = &[
    "build",
    "builder",
    "container",
    "create",
    "history",
    "image",
    "images",
    "info",
    "inspect",
    "load",
    "ps",
    "pull",
    "push",
    "rm",
    "rmi",
    "run",
    "save",
    "start",
    "stop",
    "system",
    "tag",
    "version",
];

/// A suggestion for a failed Docker command: a mistyped subcommand or image name.
fn did_you_mean(args: &[String], outcome: &Outcome) -> Option<String> {
    let first = args.first()?;
    if outcome.stderr.contains("unknown command") && !DOCKER_COMMANDS.contains(&first.as_str()) {
        let s = crate::lab::closest(first, DOCKER_COMMANDS.iter().copied())?;
        let mut fixed = args.to_vec();
        s.clone_into(&mut fixed[0]);
        return Some(format!("docker {}", fixed.join(" ")));
    }
    if matches!(first.as_str(), "pull" | "run" | "create") {
        let pos = args.iter().skip(1).position(|a| !a.starts_with('-'))? + 1;
        let r = crate::docker::reference::Reference::parse(&args[pos]).ok()?;
        let repo = r.familiar_name();
        let cat = crate::catalog::catalog();
        if cat.has_repository(r.path()) {
            return None;
        }
        let best = crate::lab::closest(&repo, cat.repositories())?;
        let mut fixed = args.to_vec();
        fixed[pos] = match r.tag() {
            Some(t) => format!("{best}:{t}"),
            None => best.to_owned(),
        };
        return Some(format!("docker {}", fixed.join(" ")));
    }
    None
}

/// The image a student names in `layers IMAGE`: a tag (`nginx` = `nginx:latest`) or an ID prefix.
pub fn find_image<'s>(state: &'s EngineState, name: &str) -> Option<&'s ImageState> {
    state.image(name).or_else(|| {
        let hex = name.strip_prefix("sha256:").unwrap_or(name);
        (!hex.is_empty())
            .then(|| {
                state
                    .images
                    .iter()
                    .find(|i| i.id.trim_start_matches("sha256:").starts_with(hex))
            })
            .flatten()
    })
}

/// The layer picture in `lang`, plain and rich; 80 columns unless `COLUMNS` says otherwise.
pub fn picture(lang: Lang, state: &EngineState, focus: Option<&ImageState>) -> (String, String) {
    use crate::docker::units::human_size4;
    use crate::layers::picture::{render, summary, Labels, Style};
    let s = summary(state, focus);
    let running = |n: usize| tr(lang, &Msg::LayersRunning { n: n as i64 });
    let stopped = |n: usize| tr(lang, &Msg::LayersStopped { n: n as i64 });
    let labels = Labels {
        heading: vec![
            tr(
                lang,
                &Msg::LayersSummary {
                    images: s.images as i64,
                    layers: s.layers as i64,
                    shared: s.shared as i64,
                },
            ),
            tr(
                lang,
                &Msg::LayersDisk {
                    size: human_size4(s.disk as f64),
                    naive: human_size4(s.naive as f64),
                },
            ),
        ],
        dangling: tr(lang, &Msg::LayersDangling),
        running: &running,
        stopped: &stopped,
        empty: tr(lang, &Msg::LayersEmpty),
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80);
    (
        render(state, focus, &labels, Style::PLAIN, width),
        render(state, focus, &labels, Style::RICH, width),
    )
}

/// One change, as the tutor says it.
fn explain_msg(change: &crate::layers::explain::Change) -> Msg {
    use crate::docker::units::human_size4;
    use crate::layers::explain::Change as C;
    let size = |n: &u64| human_size4(*n as f64);
    match change {
        C::ImageAdded {
            image,
            added,
            reused,
            size: s,
        } => Msg::ExplainImageAdded {
            image: image.clone(),
            size: size(s),
            added: *added as i64,
            reused: *reused as i64,
        },
        C::TagAdded {
            tag,
            image,
            other_tags,
        } => Msg::ExplainTagAdded {
            tag: tag.clone(),
            image: image.clone(),
            others: *other_tags as i64,
        },
        C::TagMoved { tag, from, to, .. } => Msg::ExplainTagMoved {
            tag: tag.clone(),
            from: from.clone(),
            to: to.clone(),
        },
        C::NowDangling { image } => Msg::ExplainNowDangling {
            image: image.clone(),
        },
        C::Untagged {
            tag,
            image,
            remaining_tags,
        } => Msg::ExplainUntagged {
            tag: tag.clone(),
            image: image.clone(),
            remaining: *remaining_tags as i64,
        },
        C::ImageDeleted { image, tags } if tags.is_empty() => Msg::ExplainImageDeleted {
            image: image.clone(),
        },
        C::ImageDeleted { image, tags } => Msg::ExplainImageDeletedTagged {
            image: image.clone(),
            tags: tags.join(", "),
        },
        C::LayersFreed { count, size: s } => Msg::ExplainLayersFreed {
            count: *count as i64,
            size: size(s),
        },
        C::LayersKeptByCache { count, size: s } => Msg::ExplainLayersKeptByCache {
            count: *count as i64,
            size: size(s),
        },
        C::LayersKept {
            count,
            size: s,
            used_by,
        } => Msg::ExplainLayersKept {
            count: *count as i64,
            size: size(s),
            images: used_by.join(", "),
            users: used_by.len() as i64,
        },
        C::ContainerCreated {
            name,
            image,
            running: true,
        } => Msg::ExplainContainerRunning {
            name: name.clone(),
            image: image.clone(),
        },
        C::ContainerCreated {
            name,
            image,
            running: false,
        } => Msg::ExplainContainerExited {
            name: name.clone(),
            image: image.clone(),
        },
        C::ContainerStopped { name } => Msg::ExplainContainerStopped { name: name.clone() },
        C::ContainerStarted { name } => Msg::ExplainContainerStarted { name: name.clone() },
        C::ContainerRemoved { name } => Msg::ExplainContainerRemoved { name: name.clone() },
        C::BuildCacheCleared { count, size: s } => Msg::ExplainCacheCleared {
            count: *count as i64,
            size: size(s),
        },
        C::RefusedContainer {
            image,
            container,
            by_name: true,
            ..
        } => Msg::ExplainRefusedInUse {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedContainer {
            image,
            container,
            running: true,
            ..
        } => Msg::ExplainRefusedRunning {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedContainer {
            image,
            container,
            running: false,
            ..
        } => Msg::ExplainRefusedStopped {
            image: image.clone(),
            container: container.clone(),
        },
        C::RefusedManyTags { image } => Msg::ExplainRefusedTags {
            image: image.clone(),
        },
        C::RefusedChildren { image } => Msg::ExplainRefusedChildren {
            image: image.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::explain::Change;

    /// Every kind of change is said in both languages, with its values.
    #[test]
    fn every_change_is_explained_in_both_languages() {
        let s = |v: &str| v.to_owned();
        let cases: Vec<(Change, &[&str], &[&str])> = vec![
            (
                Change::ImageAdded {
                    image: s("nginx:latest"),
                    added: 6,
                    reused: 1,
                    size: 151_871_772,
                },
                &[
                    "nginx:latest",
                    "6 layers added",
                    "1 layer already there",
                    "151.9MB",
                ],
                &[
                    "nginx:latest",
                    "6 couches ajoutées",
                    "1 couche déjà présente",
                ],
            ),
            (
                Change::TagAdded {
                    tag: s("nginx:monblog_prod"),
                    image: s("657fdcd1c365"),
                    other_tags: 1,
                },
                &["nginx:monblog_prod", "657fdcd1c365", "only a label"],
                &["nginx:monblog_prod", "qu'une étiquette"],
            ),
            (
                Change::TagMoved {
                    tag: s("mon_nginx:latest"),
                    from: s("aaa"),
                    to: s("bbb"),
                    from_dangling: true,
                },
                &["moved from image aaa to image bbb"],
                &["est passé de l'image aaa à l'image bbb"],
            ),
            (
                Change::NowDangling { image: s("aaa") },
                &["aaa", "dangling", "docker image prune"],
                &["aaa", "en suspens"],
            ),
            (
                Change::Untagged {
                    tag: s("nginx:monblog_prod"),
                    image: s("657fdcd1c365"),
                    remaining_tags: 1,
                },
                &["Only the label nginx:monblog_prod", "Nothing was freed"],
                &[
                    "Seule l'étiquette nginx:monblog_prod",
                    "Rien n'a été libéré",
                ],
            ),
            (
                Change::ImageDeleted {
                    image: s("657fdcd1c365"),
                    tags: vec![s("nginx:latest")],
                },
                &["657fdcd1c365 (nginx:latest) was deleted"],
                &["657fdcd1c365 (nginx:latest) a été supprimée"],
            ),
            (
                Change::ImageDeleted {
                    image: s("657fdcd1c365"),
                    tags: vec![],
                },
                &["Image 657fdcd1c365 was deleted"],
                &["L'image 657fdcd1c365 a été supprimée"],
            ),
            (
                Change::LayersFreed {
                    count: 6,
                    size: 73_257_772,
                },
                &["6 layers were freed", "73.26MB"],
                &["6 couches ont été libérées", "73.26MB"],
            ),
            (
                Change::LayersKeptByCache {
                    count: 2,
                    size: 73_257_772,
                },
                &[
                    "2 layers were kept",
                    "73.26MB",
                    "build cache",
                    "docker builder prune",
                ],
                &[
                    "2 couches ont été conservées",
                    "73.26MB",
                    "cache de construction",
                    "docker builder prune",
                ],
            ),
            (
                Change::LayersKept {
                    count: 1,
                    size: 78_614_000,
                    used_by: vec![s("memcached:latest")],
                },
                &[
                    "1 layer was kept",
                    "78.61MB",
                    "memcached:latest still uses it",
                ],
                &[
                    "1 couche a été conservée",
                    "memcached:latest l'utilise encore",
                ],
            ),
            (
                Change::ContainerCreated {
                    name: s("web"),
                    image: s("nginx"),
                    running: true,
                },
                &["web", "is running"],
                &["web", "tourne"],
            ),
            (
                Change::ContainerCreated {
                    name: s("hi"),
                    image: s("hello-world"),
                    running: false,
                },
                &["hi", "exited"],
                &["hi", "arrêté"],
            ),
            (
                Change::ContainerStopped { name: s("web") },
                &["web was stopped"],
                &["web a été arrêté"],
            ),
            (
                Change::ContainerStarted { name: s("web") },
                &["web was started"],
                &["web a été démarré"],
            ),
            (
                Change::ContainerRemoved { name: s("web") },
                &["web was removed"],
                &["web a été supprimé"],
            ),
            (
                Change::BuildCacheCleared {
                    count: 3,
                    size: 1000,
                },
                &["3 records", "1kB"],
                &["3 enregistrements"],
            ),
            (
                Change::RefusedContainer {
                    image: s("nginx"),
                    container: s("web"),
                    running: true,
                    by_name: true,
                },
                &["container web uses image nginx", "docker rm -f web"],
                &["le conteneur web utilise l'image nginx"],
            ),
            (
                Change::RefusedContainer {
                    image: s("657f"),
                    container: s("web"),
                    running: true,
                    by_name: false,
                },
                &["running container web", "even -f"],
                &["en cours d'exécution", "même -f"],
            ),
            (
                Change::RefusedContainer {
                    image: s("657f"),
                    container: s("old"),
                    running: false,
                    by_name: false,
                },
                &["stopped container old", "docker rm old"],
                &["conteneur arrêté old"],
            ),
            (
                Change::RefusedManyTags { image: s("657f") },
                &["several tags name image 657f"],
                &["plusieurs tags désignent l'image 657f"],
            ),
            (
                Change::RefusedChildren { image: s("657f") },
                &["built on image 657f"],
                &["construites sur l'image 657f"],
            ),
        ];
        for (change, en, fr) in cases {
            let msg = explain_msg(&change);
            for (lang, words) in [(Lang::En, en), (Lang::Fr, fr)] {
                let (text, errors) = crate::i18n::try_tr(lang, &msg);
                assert!(errors.is_empty(), "{change:?} {lang:?}: {errors:?}");
                for w in words {
                    assert!(
                        text.contains(w),
                        "{change:?} in {lang:?}: {text:?} lacks {w:?}"
                    );
                }
            }
        }
    }
}
