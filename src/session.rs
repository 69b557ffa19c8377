//! The tutor's session: a pure state machine fed one line at a time. It runs Docker commands on
//! the engine, shell commands in the lab's workspace, its own commands (hint, check, skip…),
//! keeps the transcript and progress, evaluates the current step and answers with [`Feedback`].
//! It never prints and knows nothing of rustyline or the terminal.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::command::{self, Command, Tutor};
use crate::engine::fsroot::{FsRoot, PathRefused};
use crate::engine::sim::SimEngine;
use crate::engine::{
    Clock, Engine, EngineError, EngineState, ExecContext, ImageState, Interaction, NoInput, Outcome,
};
use crate::feedback::{CommandRole, Feedback, Picture, Tone};
use crate::i18n::{tr, Lang, Msg};
use crate::lab::check::{command_matches, Facts, Verdict};
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
    /// The engine for a store directory: the simulator's store there (the paths its commands
    /// name mapped by `fs`), or the one real daemon.
    fn engine(&self, store: PathBuf, fs: FsRoot) -> Box<dyn Engine> {
        match &self.engine {
            EngineChoice::Sim => Box::new(SimEngine::new(store, self.clock).with_fs(fs)),
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
    /// Saves the progress after each line (a journal record, now and then a snapshot).
    writer: progress::ProgressWriter,
    /// The kind of the save failure the student was last told about; `None` while saves work.
    /// A failure is said once per kind, not on every line, and its end is said too.
    unsaved: Option<std::io::ErrorKind>,
    /// This process's hold on the lab run (`None` when the lock file could not be made).
    lock: Option<progress::RunLock>,
}

/// The tutor's session.
pub struct Session {
    opts: SessionOptions,
    lang: Lang,
    engine: Box<dyn Engine>,
    workspace: PathBuf,
    cwd: PathBuf,
    run: Option<Run>,
    /// The engine's state as last read, shared by every question until a command may have
    /// changed it (one read per change, not one per question).
    cache: Option<Rc<EngineState>>,
    /// Whether `cache` carries its layers' history (sizes, `created_by`).
    cache_history: bool,
    /// The engine state before and after the last Docker command (for explanations to come).
    before: Option<Rc<EngineState>>,
    /// Whether each Docker command is followed by an account of what it changed.
    explain: bool,
    after: Option<Rc<EngineState>>,
    /// Where the paths of Docker commands land: the student's files, or `verify`'s sandbox.
    fs: FsRoot,
    /// Why a replay cannot go on (`verify`): it then stops, and the section is rejected.
    replay_failure: Option<ReplayFailure>,
}

/// Why replaying a report's section failed, whatever its result would have been.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplayFailure {
    /// A `start` of another lab inside the section of `from` (a `reset` restarts the same lab).
    LabSwitched { from: String, to: String },
    /// A command named a path that cannot be mapped into the sandbox.
    UnsafePath(PathRefused),
    /// The section names a lab this docklab does not have.
    UnknownLab { lab: String },
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

fn tutor(tone: Tone, msg: Msg) -> Feedback {
    Feedback::Tutor { tone, msg }
}

/// Text the lab's author wrote, already in the student's language.
fn lab_text(tone: Tone, text: String) -> Feedback {
    Feedback::Lab { tone, text }
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
        Session::with_fs(opts, FsRoot::host())
    }

    /// A session whose Docker commands see the file system through `fs` (`verify`'s sandbox).
    pub fn with_fs(opts: SessionOptions, fs: FsRoot) -> Session {
        let workspace = opts.home.join("workspace");
        let _ = std::fs::create_dir_all(&workspace);
        let engine = opts.engine(opts.home.join("store"), fs.with_home(&workspace));
        Session {
            lang: opts.lang,
            engine,
            cwd: workspace.clone(),
            workspace,
            run: None,
            cache: None,
            cache_history: false,
            before: None,
            after: None,
            explain: true,
            fs,
            replay_failure: None,
            opts,
        }
    }

    /// Why the replay stopped, if it did.
    pub fn replay_failure(&self) -> Option<&ReplayFailure> {
        self.replay_failure.as_ref()
    }

    fn replaying(&self) -> bool {
        self.opts.shell == ShellMode::Replay
    }

    /// In a replay, an engine error that means the sandbox was asked to do what it cannot.
    fn note_engine_error(&mut self, e: &crate::engine::EngineError) {
        if let crate::engine::EngineError::PathRefused(refused) = e {
            if self.replaying() && self.replay_failure.is_none() {
                self.replay_failure = Some(ReplayFailure::UnsafePath(refused.clone()));
            }
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

    /// The tutor says `msg` (translated by the ui). A method, though it needs nothing of the
    /// session, so that the many call sites read `self.say(…)` as the rest of the session does.
    #[allow(clippy::unused_self)]
    fn say(&self, tone: Tone, msg: &Msg) -> Feedback {
        tutor(tone, msg.clone())
    }

    /// The engine state before and after the last Docker command.
    pub fn last_states(&self) -> (Option<&EngineState>, Option<&EngineState>) {
        (self.before.as_deref(), self.after.as_deref())
    }

    /// The engine's state: the one read since the last change, else read now and kept.
    fn state(&mut self) -> Result<Rc<EngineState>, EngineError> {
        if let Some(s) = &self.cache {
            return Ok(Rc::clone(s));
        }
        let s = Rc::new(self.engine.state()?);
        self.cache = Some(Rc::clone(&s));
        self.cache_history = false;
        Ok(s)
    }

    /// The state with its layers' history, for the layer picture and the explanations. The
    /// engine asks for the history of an image only once (an ID's history never changes).
    fn state_with_history(&mut self) -> Result<Rc<EngineState>, EngineError> {
        let mut s = self.state()?;
        if !self.cache_history {
            self.cache = None;
            self.engine.load_history(Rc::make_mut(&mut s))?;
            self.cache = Some(Rc::clone(&s));
            self.cache_history = true;
        }
        Ok(s)
    }

    /// Forgets the state read: a command may have changed it.
    fn invalidate(&mut self) {
        self.cache = None;
    }

    /// After a Docker command: whether the state read before may be stale.
    fn after_exec(&mut self, result: &Result<Outcome, EngineError>) {
        let unchanged = match result {
            Ok(o) => !o.effect.may_have_changed(),
            // Refused before anything ran.
            Err(EngineError::NotSimulated { .. }) => true,
            Err(_) => false,
        };
        if !unchanged {
            self.invalidate();
        }
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
        let state = self.state().unwrap_or_default();
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
        if let Some(rec) = replay {
            self.fs.set_replayed_success(rec.exit_code == 0);
        }
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
        // A replay keeps its progress in memory: writing the whole transcript after each of its
        // lines made `verify` quadratic in the report's size.
        if !self.replaying() {
            fb.extend(self.save());
        }
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

    /// Saves the current lab's progress. A failure never stops the session (the progress stays
    /// in memory and the next line tries again) and is never silent: the student is told where
    /// and why, once per kind of failure, and told again when saving works again.
    fn save(&mut self) -> Option<Feedback> {
        let cwd = self
            .cwd
            .strip_prefix(&self.workspace)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lang = self.lang;
        let r = self.run.as_mut()?;
        r.progress.cwd = cwd;
        match r.writer.save(&r.progress) {
            Ok(()) => r.unsaved.take().map(|_| {
                tutor(
                    Tone::Info,
                    Msg::ProgressSavedAgain {
                        id: r.lab.id.clone(),
                    },
                )
            }),
            Err(e) => {
                let kind = if crate::store::is_disk_full(&e) {
                    std::io::ErrorKind::StorageFull
                } else {
                    e.kind()
                };
                if r.unsaved == Some(kind) {
                    return None;
                }
                r.unsaved = Some(kind);
                Some(tutor(
                    Tone::Warning,
                    Msg::ProgressNotSaved {
                        id: r.lab.id.clone(),
                        path: progress::run_dir(&self.opts.home, &r.lab.id)
                            .display()
                            .to_string(),
                        error: crate::i18n::io_reason(lang, &e),
                    },
                ))
            }
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
                fb.push(Feedback::Docker(Outcome::ok(format!(
                    "{}\n",
                    self.cwd.display()
                ))));
                vec![Entry::new(line, EntryKind::Shell)]
            }
            Command::Shell => {
                // Any shell line may run `docker` itself (on the real engine, the real one).
                let entry = self.shell(line, replay, fb);
                self.invalidate();
                vec![entry]
            }
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
        // In `verify`'s sandbox the directory is looked up inside it, never on the grader's disk.
        let target = if let (Some(_), Some(d)) = (self.fs.jail_root(), dir) {
            let Ok(p) = self.fs.with_home(&self.workspace).resolve(&self.cwd, d) else {
                entry.exit_code = 1;
                fb.push(self.say(Tone::Warning, &Msg::OutsideWorkspace { dir: shown }));
                return entry;
            };
            p
        } else {
            target
        };
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
                // A file that cannot be restored stays as it was: the checks that read it then
                // disagree with the report, which is how verify says so.
                let _ = rec.restore(&|p| crate::lab::check::workspace_path(&self.workspace, p));
                entry.exit_code = rec.exit_code;
                entry.files.clone_from(&rec.files);
                entry.edits.clone_from(&rec.edits);
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
            let before = files_before.get(&f).map(Vec::as_slice);
            if before != Some(content.as_slice()) {
                // What changed, not the whole file: 150 appends to a large file must not store
                // it 150 times.
                entry
                    .edits
                    .insert(f, crate::transcript::FileEdit::diff(before, &content));
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
                let ctx = ExecContext::new(&inner_words[1..]).in_dir(&self.cwd);
                let result = self.engine.exec(&ctx, &mut NoInput);
                self.after_exec(&result);
                match result {
                    Ok(o) => {
                        if !o.stderr.is_empty() {
                            fb.push(Feedback::Docker(Outcome {
                                stderr: o.stderr,
                                ..Outcome::default()
                            }));
                        }
                        o.stdout
                    }
                    Err(e) => {
                        self.note_engine_error(&e);
                        fb.push(Feedback::Engine(e));
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
                fb.push(lab_text(Tone::Hint, text));
                entry.kind = EntryKind::Tutor;
                entry.exit_code = 126;
                return vec![entry];
            }
        }
        // The states around the command are for explanations, which a replay does not give. The
        // explanations compare layer sizes: the history of the images about to change is read
        // now, while they are still there (once per image, then kept).
        let explaining = self.explain && !self.replaying();
        self.before = if explaining {
            self.state_with_history().ok()
        } else if self.replaying() {
            None
        } else {
            self.state().ok()
        };
        let mut rec = Recording {
            inner: io,
            answers: Vec::new(),
        };
        let ctx = ExecContext::new(&args).with_env(&vars).in_dir(&self.cwd);
        let result = self.engine.exec(&ctx, &mut rec);
        let answers = rec.answers;
        self.after_exec(&result);
        let outcome = match result {
            Ok(o) => o,
            Err(e) => {
                self.note_engine_error(&e);
                fb.push(Feedback::Engine(e));
                Outcome::error(String::new(), 1)
            }
        };
        self.after = if explaining {
            self.state_with_history().ok()
        } else if self.replaying() {
            None
        } else {
            self.state().ok()
        };
        entry.exit_code = outcome.exit_code;
        // Attached to the terminal, docker has shown its output itself.
        if !outcome.shown && (!outcome.stdout.is_empty() || !outcome.stderr.is_empty()) {
            fb.push(Feedback::Docker(outcome.clone()));
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
        with_answers(entry, answers)
    }

    fn facts_state(&mut self) -> Rc<EngineState> {
        self.state().unwrap_or_default()
    }

    /// The current step's verdict, or `None` without a current step.
    fn step_verdict(&mut self) -> Option<Verdict> {
        let state = self.facts_state();
        self.verdict_in(&state)
    }

    /// The current step's verdict over an engine state already read.
    fn verdict_in(&self, state: &EngineState) -> Option<Verdict> {
        let r = self.run.as_ref()?;
        let step = r.lab.steps.get(r.progress.current)?;
        let facts = Facts {
            state,
            entries: &r.progress.entries,
            step_start: r.progress.step_start,
            workspace: &self.workspace,
        };
        Some(Check::All(step.check.clone()).eval(&facts))
    }

    /// The current step's checks, evaluated without passing the step (`lab test`): whether they
    /// all hold and, when they do not, what is missing.
    pub fn probe_step(&mut self) -> Option<Verdict> {
        self.step_verdict()
    }

    /// After a command: the step passes, or a known mistake is explained.
    fn evaluate(&mut self, fb: &mut Vec<Feedback>) {
        // One read of the engine's state for the step's checks and its mistakes.
        let state = self.facts_state();
        let Some(verdict) = self.verdict_in(&state) else {
            return;
        };
        if verdict.ok {
            self.pass_step(fb, false);
            return;
        }
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
            fb.push(tutor(Tone::Warning, Msg::Mistake));
            fb.push(lab_text(Tone::Hint, text));
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
            fb.push(tutor(Tone::Warning, Msg::StepSkipped { n, title }));
        } else {
            r.progress.passed.push(id.clone());
            if let Some(e) = r.progress.entries.last_mut() {
                e.passed.push(id);
            }
            fb.push(tutor(Tone::Success, Msg::StepPassed { n, title }));
        }
        r.progress.current += 1;
        r.progress.step_start = r.progress.entries.len();
        r.shown.clear();
        if r.progress.completed(r.lab.steps.len()) {
            fb.push(tutor(
                Tone::Success,
                Msg::LabCompleted {
                    title: r.lab.title.get(lang).to_owned(),
                },
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
            lab_text(Tone::Plain, step.text.get(self.lang).trim_end().to_owned()),
        ]
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
        let mut fb: Vec<Feedback> = self.save().into_iter().collect();
        let home = self.opts.home.clone();
        let dir = progress::run_dir(&home, &lab.id);
        // The lab's lock before anything of it is read or changed: a lab another shell holds is
        // left alone, and this session stays where it was. The current lab's lock is kept.
        let held = self
            .run
            .as_mut()
            .filter(|r| r.lab.id == lab.id)
            .and_then(|r| r.lock.take());
        let lock = match held.map_or_else(|| progress::lock_run(&home, &lab.id), Ok) {
            Ok(lock) => Some(lock),
            Err(progress::LockError::Held { path, pid }) => {
                let path = path.display().to_string();
                let id = lab.id.clone();
                fb.push(self.say(
                    Tone::Error,
                    &match pid {
                        Some(pid) => Msg::LabInUse {
                            id,
                            pid: pid.to_string(),
                            path,
                        },
                        None => Msg::LabInUseUnknown { id, path },
                    },
                ));
                return fb;
            }
            // No lock file can be made (a read-only or full home): the lab still starts, and
            // saving its progress will say what is wrong.
            Err(progress::LockError::Io { .. }) => None,
        };
        // A progress file that is there but unreadable is no reason to delete the student's work:
        // the whole run is kept aside and the lab starts over.
        let mut wipe = true;
        // The lab already running here resumes from memory: what could not be saved is there.
        let current = self
            .run
            .as_ref()
            .filter(|r| r.lab.id == lab.id)
            .map(|r| r.progress.clone());
        let existing = if fresh {
            None
        } else if let Some(p) = current {
            Some(p).filter(|p| !p.completed(lab.steps.len()))
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
                let _ = progress::clear_run(&home, &lab.id);
            }
            LabProgress::new(&lab.id)
        };
        self.workspace = dir.join("home");
        let _ = std::fs::create_dir_all(&self.workspace);
        self.engine = self
            .opts
            .engine(dir.join("store"), self.fs.with_home(&self.workspace));
        self.invalidate();
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
            if let Ok(state) = self.state() {
                let _ = std::fs::create_dir_all(&dir);
                let _ = crate::atomic::write(
                    &baseline_file,
                    &serde_json::to_vec(&*state).unwrap_or_default(),
                    None,
                );
            }
        }
        if !resumed {
            // Already there (a real engine, a lab started again): nothing to pull.
            let present = self.state().ok();
            for reference in &lab.start.images {
                if present
                    .as_ref()
                    .is_some_and(|s| s.image(reference).is_some())
                {
                    continue;
                }
                let args = vec!["pull".to_owned(), reference.clone()];
                let result = self.engine.exec(&ExecContext::new(&args), &mut NoInput);
                self.after_exec(&result);
                let failed = match result {
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
            fb.push(lab_text(
                Tone::Plain,
                lab.intro.get(self.lang).trim_end().to_owned(),
            ));
        }
        self.run = Some(Run {
            writer: progress::ProgressWriter::new(&home, &lab.id),
            lab,
            progress,
            shown: BTreeSet::new(),
            unsaved: None,
            lock,
        });
        fb.extend(self.show_step());
        fb.extend(self.save());
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
                if let Some(fb) = self.refuse_lab_switch(&id) {
                    return fb;
                }
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

    /// In a replay, a `start` of another lab than the one being replayed: a section is bound to
    /// its lab, so the replay stops there (and `verify` rejects the section).
    fn refuse_lab_switch(&mut self, id: &str) -> Option<Vec<Feedback>> {
        if !self.replaying() {
            return None;
        }
        let from = self.run.as_ref().map(|r| r.lab.id.clone())?;
        if from == id || self.opts.catalog.get(id).is_none() {
            return None;
        }
        self.replay_failure
            .get_or_insert(ReplayFailure::LabSwitched {
                from,
                to: id.to_owned(),
            });
        Some(Vec::new())
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
        let mut fb = vec![self.say(
            Tone::Warning,
            &Msg::ResetRealPlan {
                count: plan.len() as i64,
            },
        )];
        fb.extend(plan.iter().map(|c| Feedback::Command {
            role: CommandRole::Cleanup,
            line: format!("docker {}", c.docker_args().join(" ")),
        }));
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
        let now = self.state().ok()?;
        Some(crate::engine::real::cleanup_plan(&baseline, &now))
    }

    /// Carries out a clean-up plan on the engine (the caller has the person's consent).
    pub fn apply_cleanup(&mut self, plan: &[crate::engine::real::Cleanup]) -> Vec<Feedback> {
        let mut fb = Vec::new();
        for step in plan {
            let args = step.docker_args();
            let result = self.engine.exec(&ExecContext::new(&args), &mut NoInput);
            self.after_exec(&result);
            match result {
                Ok(o) if o.shown => {}
                Ok(o) => fb.push(Feedback::Docker(o)),
                Err(e) => fb.push(Feedback::Engine(e)),
            }
        }
        fb
    }

    /// The picture of the store's layers, whole or around one image.
    pub fn layers_picture(&mut self, image: Option<&str>) -> Vec<Feedback> {
        // A store that cannot be read is said so, not drawn as an empty one.
        let state = match self.state_with_history() {
            Ok(s) => s,
            Err(e) => return vec![Feedback::Engine(e)],
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
        let focus = focus.map(|i| i.id.clone());
        vec![Feedback::Layers(Picture {
            state: (*state).clone(),
            focus,
        })]
    }

    fn check(&mut self) -> Vec<Feedback> {
        if self.run.is_none() {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        }
        // Asked for explicitly: read afresh (on a real engine, another terminal may have
        // changed it). A store that cannot be read is said so, rather than "still missing"
        // everything.
        self.invalidate();
        if let Err(e) = self.state() {
            return vec![Feedback::Engine(e)];
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
            fb.push(Feedback::Missing(verdict.why));
        }
        fb
    }

    fn hint(&mut self) -> Vec<Feedback> {
        let lang = self.lang;
        let Some(r) = self.run.as_mut() else {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return vec![tutor(Tone::Info, Msg::LabFinished)];
        };
        let used = r.progress.hints.entry(step.id.clone()).or_insert(0);
        if let Some(h) = step.hints.get(*used) {
            *used += 1;
            let n = *used as i64;
            return vec![
                tutor(
                    Tone::Hint,
                    Msg::HintHeader {
                        n,
                        total: step.hints.len() as i64,
                    },
                ),
                lab_text(Tone::Plain, h.get(lang).trim_end().to_owned()),
            ];
        }
        let mut fb = Vec::new();
        if !step.hints.is_empty() {
            fb.push(tutor(Tone::Hint, Msg::NoMoreHints));
        }
        fb.push(tutor(Tone::Hint, Msg::SolutionHeader));
        for l in &step.solution {
            fb.push(Feedback::Command {
                role: CommandRole::Solution,
                line: l.clone(),
            });
        }
        fb.push(tutor(Tone::Hint, Msg::SkipOffer));
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
            fb.push(Feedback::Command {
                role: CommandRole::Skipped,
                line: line.clone(),
            });
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

/// A Docker command's transcript entries: the command, then the answers it read.
fn with_answers(entry: Entry, answers: Vec<String>) -> Vec<Entry> {
    let mut entries = vec![entry];
    entries.extend(
        answers
            .into_iter()
            .map(|a| Entry::new(&a, EntryKind::Answer)),
    );
    entries
}

/// A suggestion for a failed Docker command: a mistyped subcommand or image name.
fn did_you_mean(args: &[String], outcome: &Outcome) -> Option<String> {
    use crate::docker::errors::DockerError;
    let first = args.first()?;
    let unknown_command = DockerError::recognise(&outcome.stderr)
        .iter()
        .any(|e| matches!(e, DockerError::UnknownCommand { group: None, word } if word == first));
    let commands = crate::docker::help::simulated_words();
    if unknown_command && !commands.contains(&first.as_str()) {
        let s = crate::lab::closest(first, commands.iter().copied())?;
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

/// How many times one typed line reads the engine's state.
#[cfg(test)]
mod state_reads {
    use super::*;
    use std::cell::Cell;

    #[derive(Default)]
    struct Counts {
        states: Cell<usize>,
        histories: Cell<usize>,
    }

    /// The simulator, counting the state and history reads asked of it.
    struct Counting {
        inner: SimEngine,
        counts: Rc<Counts>,
    }

    impl Engine for Counting {
        fn exec(
            &mut self,
            ctx: &ExecContext<'_>,
            io: &mut dyn Interaction,
        ) -> Result<Outcome, EngineError> {
            self.inner.exec(ctx, io)
        }

        fn state(&mut self) -> Result<EngineState, EngineError> {
            self.counts.states.set(self.counts.states.get() + 1);
            self.inner.state()
        }

        fn load_history(&mut self, state: &mut EngineState) -> Result<(), EngineError> {
            self.counts.histories.set(self.counts.histories.get() + 1);
            self.inner.load_history(state)
        }
    }

    /// A session in the `images` lab whose engine counts its reads.
    fn session(home: &Path) -> (Session, Rc<Counts>) {
        let clock = Clock::frozen("2025-10-29T12:00:00Z".parse().expect("a time"));
        let mut session = Session::new(SessionOptions {
            home: home.to_owned(),
            clock,
            lang: Lang::En,
            catalog: Catalog::load(&[]),
            shell: ShellMode::Detached,
            engine: EngineChoice::Sim,
        });
        session.start_lab("images", true);
        let counts = Rc::new(Counts::default());
        session.engine = Box::new(Counting {
            inner: SimEngine::new(progress::run_dir(home, "images").join("store"), clock),
            counts: Rc::clone(&counts),
        });
        session.invalidate();
        (session, counts)
    }

    /// Runs `line` as the REPL does (the line, then the completion words for the next prompt)
    /// and returns (state reads, history loads) it cost.
    fn typed(session: &mut Session, counts: &Counts, line: &str) -> (usize, usize) {
        let before = (counts.states.get(), counts.histories.get());
        session.handle(line, &mut NoInput);
        session.completion_data();
        (
            counts.states.get() - before.0,
            counts.histories.get() - before.1,
        )
    }

    // Before the cache, one Docker line read the state 4 times (before, after, the step's
    // checks, the mistakes) and the REPL a fifth for its completion words.
    #[test]
    fn one_typed_line_reads_the_state_at_most_once() {
        let home = tempfile::tempdir().expect("temp home");
        let (mut session, counts) = session(home.path());
        let c = &*counts;
        // The first line reads the state once; a query changes nothing, so the next line
        // reads nothing at all.
        assert_eq!(typed(&mut session, c, "docker images"), (1, 1));
        assert_eq!(typed(&mut session, c, "docker images"), (0, 0));
        assert_eq!(typed(&mut session, c, "docker image ls -q"), (0, 0));
        // A command that changed the store: one read, its history for the explanations.
        assert_eq!(typed(&mut session, c, "docker pull nginx"), (1, 1));
        // Refused by the daemon: the simulator saved nothing, nothing is read again.
        assert_eq!(typed(&mut session, c, "docker rmi nosuch"), (0, 0));
        assert_eq!(typed(&mut session, c, "docker exec web ls"), (0, 0));
        // The tutor's own commands read the cached state; `check` reads afresh, once.
        assert_eq!(typed(&mut session, c, "hint"), (0, 0));
        assert_eq!(typed(&mut session, c, "layers"), (0, 0));
        assert_eq!(typed(&mut session, c, "check"), (1, 0));
        // A shell line may run anything: the next question reads again.
        assert_eq!(typed(&mut session, c, "true"), (1, 0));
        // Without explanations, no history is needed.
        typed(&mut session, c, "explain off");
        assert_eq!(typed(&mut session, c, "docker tag nginx mine"), (1, 0));
        assert_eq!(typed(&mut session, c, "layers"), (0, 1));
    }
}
