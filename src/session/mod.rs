//! The tutor's session: a pure state machine fed one line at a time. It runs Docker commands on
//! the engine, shell commands in the lab's workspace, its own commands (hint, check, skip…),
//! keeps the transcript and progress, evaluates the current step and answers with [`Feedback`].
//! It never prints and knows nothing of rustyline or the terminal.
//!
//! This file holds the session's types and its dispatch (one line in, feedback out, Docker
//! commands run on the engine); the rest lives beside it: the workspace shell (`shell`), the
//! session's side of a lab run (`run`: its workspace and engine; the run itself, its progress,
//! checks and score, is [`crate::lab::run::LabRun`]), the tutor's own commands (`tutor`),
//! real-engine clean-up (`cleanup`). Pictures and explanations are drawn and worded in
//! [`crate::layers`]; the session only asks for them.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::command::{self, Command};
use crate::engine::fsroot::{FsRoot, PathRefused};
use crate::engine::sim::SimEngine;
use crate::engine::{Clock, Engine, EngineError, EngineState, ExecContext, Interaction, Outcome};
use crate::feedback::{Feedback, Tone};
use crate::i18n::{tr, Lang, Msg};
use crate::lab::check::command_matches;
use crate::lab::progress::{self, LabProgress};
use crate::lab::run::LabRun;
use crate::lab::{Catalog, Lab};
use crate::transcript::{Entry, EntryKind};

use crate::layers::explain::{explain_msg, note_msg, note_tone};

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
            EngineChoice::Sim => Box::new(
                SimEngine::new(store, self.clock)
                    .with_fs(fs)
                    .with_interrupt(crate::interrupt::flag()),
            ),
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

/// The tutor's session.
pub struct Session {
    opts: SessionOptions,
    lang: Lang,
    engine: Box<dyn Engine>,
    workspace: PathBuf,
    cwd: PathBuf,
    run: Option<LabRun>,
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
    /// `$?`, `cd -` and the status a pipeline leaves.
    sh: shell::ShellState,
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

    fn show_progress(&mut self, outcome: &Outcome) -> bool {
        self.inner.show_progress(outcome)
    }
}

fn tutor(tone: Tone, msg: Msg) -> Feedback {
    Feedback::Tutor { tone, msg }
}

/// Text the lab's author wrote, already in the student's language.
fn lab_text(tone: Tone, text: String) -> Feedback {
    Feedback::Lab { tone, text }
}

mod cleanup;
mod practice;
mod run;
mod setup;
mod shell;
#[cfg(test)]
mod tests;
mod tutor;

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
            sh: shell::ShellState::default(),
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

    fn t(&self, msg: &Msg) -> String {
        tr(self.lang, msg)
    }

    /// The tutor says `msg` (translated by the ui). A method, though it needs nothing of the
    /// session, so that the many call sites read `self.say(…)` as the rest of the session does.
    #[allow(clippy::unused_self)]
    fn say(&self, tone: Tone, msg: &Msg) -> Feedback {
        tutor(tone, msg.clone())
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
        self.tilde(&self.cwd)
    }

    /// A path as the student sees it: under the workspace, with `~` (as the prompt shows it).
    fn tilde(&self, path: &std::path::Path) -> String {
        match path.strip_prefix(&self.workspace) {
            Ok(rel) if rel.as_os_str().is_empty() => "~".to_owned(),
            Ok(rel) => format!("~/{}", rel.display()),
            Err(_) => path.display().to_string(),
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
            // The best attempt a `reset` kept, when it went further than the current one.
            let kept = progress::attempts(&self.opts.home, &lab.id);
            let steps = lab.steps.len();
            if let Some((n, p)) = crate::report::best_attempt(
                &kept
                    .iter()
                    .map(|(_, p)| crate::report::LabResult::of(lab, p))
                    .collect::<Vec<_>>(),
            )
            .and_then(|i| kept.get(i))
            {
                let best = (p.passed.len() + p.skipped.len()) as i64;
                if best > done {
                    fb.push(self.say(
                        Tone::Plain,
                        &Msg::LabKeptAttempt {
                            n: i64::from(*n),
                            done: best,
                            steps: steps as i64,
                        },
                    ));
                }
            }
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
        // A Ctrl-C pressed during an earlier command is over.
        crate::interrupt::clear();
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
            other => self.run_list(line, &other, io, replay, &mut fb),
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
            Command::Docker => self.docker(line, io, replay, fb, check_forbidden),
            Command::Cd(_) => vec![self.cd(line, replay, fb)],
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

    fn docker(
        &mut self,
        line: &str,
        io: &mut dyn Interaction,
        replay: Option<&Entry>,
        fb: &mut Vec<Feedback>,
        check_forbidden: bool,
    ) -> Vec<Entry> {
        let mut entry = Entry::new(line, EntryKind::Docker);
        let Some(expanded) = self.substitute(line, fb) else {
            entry.exit_code = 1;
            return vec![entry];
        };
        // `docker images | grep x > f`: Docker's part runs on the engine, its output goes on.
        // A here-document's lines (`docker build - <<EOF`) would be Docker's standard input,
        // which the engine is not given: the command is its first line.
        let first_line = expanded.lines().next().unwrap_or_default();
        let pipeline = command::line::split_pipeline(first_line);
        let parsed = match self.expand_words(&pipeline[0], replay, &mut entry) {
            Ok(mut w) => {
                w.redirections.retain(|r| !r.starts_with("<<"));
                w
            }
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
        let piped = pipeline.len() > 1 || !parsed.redirections.is_empty();
        let words = parsed.words;
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
        let ctx = ExecContext::new(&args)
            .with_env(&vars)
            .in_dir(&self.cwd)
            .captured(piped);
        let result = self.engine.exec(&ctx, &mut rec);
        let answers = rec.answers;
        self.after_exec(&result);
        let outcome = match result {
            Ok(o) => o,
            Err(e) if crate::interrupt::is_interruption(&e) => {
                fb.push(self.say(
                    Tone::Warning,
                    &Msg::ShellInterrupted {
                        command: line.to_owned(),
                    },
                ));
                Outcome::error(String::new(), 130)
            }
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
        if piped {
            let rest = &pipeline[1..];
            let status = self.pipe_docker_output(
                &outcome,
                &parsed.redirections,
                rest,
                replay,
                &mut entry,
                fb,
            );
            self.sh.pipeline_status = Some(status);
        } else if !outcome.shown && (!outcome.stdout.is_empty() || !outcome.stderr.is_empty()) {
            // Attached to the terminal, docker has shown its output itself.
            fb.push(Feedback::Docker(outcome.clone()));
        }
        if let (Some(before), Some(after)) = (&self.before, &self.after) {
            if self.explain {
                let changes = crate::layers::explain::explain(before, after, &outcome.stderr);
                fb.extend(
                    changes
                        .iter()
                        .map(|c| self.say(Tone::Info, &explain_msg(c))),
                );
            }
            // What the command's real result teaches beyond the changes: a prompt taken as
            // "no", what a prune spared, a named build mistake. A mistake is named even with
            // explanations off; what a prune spared is an explanation.
            for mut note in crate::layers::mistakes::notes(&args, &answers, &outcome, before, after)
            {
                // `docker build -t x ~/Test` reaches Docker expanded: name the folder as typed,
                // not by its path on the host.
                if let crate::layers::mistakes::Note::BuildNoDockerfile { dir, .. } = &mut note {
                    *dir = self.tilde(std::path::Path::new(dir.as_str()));
                }
                let (tone, is_explanation) = note_tone(&note);
                if self.explain || !is_explanation {
                    fb.push(self.say(tone, &note_msg(&note)));
                }
            }
        }
        if outcome.exit_code != 0 {
            let offline = self.opts.engine == EngineChoice::Sim;
            let known = if offline {
                missing_from_catalog(&args, &outcome)
            } else {
                Vec::new()
            };
            if known.is_empty() {
                if let Some(s) = did_you_mean(&args, &outcome) {
                    fb.push(self.say(Tone::Hint, &Msg::DidYouMean { suggestion: s }));
                }
            }
            fb.extend(known.iter().map(|m| self.say(Tone::Hint, m)));
        }
        with_answers(entry, answers)
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

/// The image a `pull`, `run` or `create` asked for, as the client parsed the line.
fn image_asked(args: &[String]) -> Option<crate::docker::reference::Reference> {
    use crate::docker::cli::{CommandId, Parsed};
    let Ok(Parsed::Run(inv)) = crate::docker::cli::parse(args) else {
        return None;
    };
    if !matches!(
        inv.command,
        CommandId::Pull | CommandId::Run | CommandId::Create
    ) {
        return None;
    }
    crate::docker::reference::Reference::parse(inv.args.first()?).ok()
}

/// What the tutor adds when the offline registry refused an image Docker Hub knows: a real
/// official image the catalog lacks (`node`), or a name whose official image is another
/// (`apache`: `httpd`), or the tags the catalog has of a repository when the one asked for
/// is not among them. Read from Docker's own answer (`pull access denied for NAME`,
/// `manifest for NAME:TAG not found`).
fn missing_from_catalog(args: &[String], outcome: &Outcome) -> Vec<Msg> {
    use crate::catalog::hub::{hub, Missing};
    use crate::docker::errors::DockerError;
    let Some(r) = image_asked(args) else {
        return Vec::new();
    };
    if r.domain() != "docker.io" {
        return Vec::new();
    }
    let cat = crate::catalog::catalog();
    let name = r.familiar_name();
    let errors = DockerError::recognise(&outcome.stderr);
    // A repository the catalog has, at a tag it lacks (`rockylinux` has no `latest`).
    let unknown_tag = errors.iter().any(|e| {
        matches!(e, DockerError::ManifestUnknown { reference }
            if *reference == r.clone().with_default_tag().familiar_string())
    });
    if unknown_tag && cat.has_repository(r.path()) {
        let mut tags: Vec<&str> = Vec::new();
        for image in cat.images.iter().filter(|i| i.name == name) {
            for t in &image.tags {
                if !tags.contains(&t.as_str()) {
                    tags.push(t);
                }
            }
        }
        return vec![Msg::CatalogTags {
            image: name,
            tags: tags.join(", "),
        }];
    }
    let denied = errors
        .iter()
        .any(|e| matches!(e, DockerError::PullDenied { repository } if *repository == name));
    if !denied {
        return Vec::new();
    }
    let lacks = |image: String| Msg::CatalogLacks {
        image,
        available: {
            let mut names: Vec<&str> = cat.repositories().collect();
            names.sort_unstable();
            names.join(", ")
        },
    };
    match hub().missing(r.path()) {
        None => Vec::new(),
        Some(Missing::NotInCatalog) => vec![lacks(name)],
        Some(Missing::OfficialIs(official)) => {
            let mut said = vec![Msg::OfficialImageIs {
                typed: name,
                official: official.clone(),
            }];
            if !cat.has_repository(&format!("library/{official}")) {
                said.push(lacks(official));
            }
            said
        }
    }
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
