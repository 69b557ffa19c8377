//! The real engine: runs the `docker` CLI found on PATH (or any CLI that speaks its language, such
//! as Podman's) with the student's own words, and reads the engine's state through Docker's Engine
//! API on the daemon's socket ([`api`], found as the CLI finds it: [`endpoint`]) into the same
//! [`EngineState`] the simulator produces, so a lab's checks work on both. A daemon that only the
//! CLI can reach (`ssh://`, TLS) is read through the CLI's JSON output instead.
//!
//! Safety: the only questions this module asks on its own are read-only (`GET` requests; on the
//! CLI path `image ls`, `image inspect`, `history`, `ps`, `container inspect`, `system df`,
//! `version`). Anything that changes the engine is either typed by the student and passed through
//! [`Engine::exec`], or proposed by [`RealEngine::cleanup_plan`] for the tutor to show and
//! confirm; it is never run from here.
//!
//! Attached mode: the student's command has the terminal (docker's own progress bars and
//! prompts), but its standard error goes through a pipe that docklab copies to the terminal
//! chunk by chunk as it comes and keeps, so refusals are explained as in captured mode. The
//! exception is `build`, whose `BuildKit` view needs standard error to be the terminal itself.
//!
//! Standard input, in captured mode: real `docker` prints its own confirmation prompt
//! (`Are you sure you want to continue? [y/N] `) and then reads a line. Captured output would hide
//! that prompt from the person who has to answer it, and handing docklab's own standard input to
//! every command would let a command such as `docker run -i` or `docker load` swallow the next
//! lines of a scripted lab. So a captured command gets `/dev/null` as standard input (what the
//! scenario recorder does too), except the `prune` family, the only Docker 28 commands that ask
//! for a confirmation: for those, standard input is a pipe, standard output is watched, and when
//! it stops on a `[y/N] ` prompt the text printed so far is handed to
//! [`Interaction::read_line`] — exactly as the simulator does, so the prompt is shown by the
//! interaction and is not repeated in [`Outcome::stdout`] — and the answer is written to the pipe,
//! which is then closed (end of input reads as "no"). In attached mode the terminal is inherited
//! whole and docker asks the person itself.

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde::Deserialize;

mod api;
mod endpoint;
mod http;

use api::{Api, ById, InspectImage};
use endpoint::Endpoint;

use super::{
    ChainId, ConfigState, ContainerId, ContainerState, DiffId, Engine, EngineError, EngineState,
    ExecContext, ImageId, ImageState, Interaction, LayerState, Outcome, StateEffect,
};
use crate::docker::errors::DockerError;
use crate::store::{chain_ids, Digest};

/// How a student's command meets the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RealMode {
    /// Standard output and error are captured into the [`Outcome`] (tests, `lab test`, docklab's
    /// standard output not a terminal). No progress bars: docker prints its non-terminal lines.
    Captured,
    /// The terminal is inherited, so docker shows its own progress bars and prompts; standard
    /// error is also kept in the [`Outcome`] (already shown: [`Outcome::shown`]).
    Attached,
}

/// One thing a lab created on the real engine, which the tutor's `reset` may offer to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleanup {
    /// A container that did not exist before (removed with `rm -f` when still running).
    RemoveContainer {
        id: ContainerId,
        name: String,
        running: bool,
    },
    /// A tag added to an image that existed before: untag only, the image stays.
    Untag { reference: String },
    /// An image that did not exist before; `tags` are its familiar `repo:tag` names (empty when
    /// dangling).
    RemoveImage { id: ImageId, tags: Vec<String> },
}

impl Cleanup {
    /// The words after `docker` that would carry this step out, for the tutor to show and run
    /// through [`Engine::exec`] once the student confirmed.
    pub fn docker_args(&self) -> Vec<String> {
        let words: Vec<&str> = match self {
            Cleanup::RemoveContainer { id, running, .. } => {
                if *running {
                    vec!["rm", "-f", id.as_str()]
                } else {
                    vec!["rm", id.as_str()]
                }
            }
            Cleanup::Untag { reference } => vec!["rmi", reference],
            // By ID, forced: the ID names exactly this image whatever its tags; the containers
            // that could hold it are removed earlier in the plan.
            Cleanup::RemoveImage { id, .. } => vec!["rmi", "-f", id.as_str()],
        };
        words.into_iter().map(str::to_owned).collect()
    }
}

/// The real engine: a `docker`-compatible CLI program.
#[derive(Debug, Clone)]
pub struct RealEngine {
    program: PathBuf,
    mode: RealMode,
    timeout: Option<Duration>,
    /// The daemon's Engine API for state reads; `None`: only the CLI reaches it (`host`).
    api: Option<Api>,
    /// The daemon as the CLI names it.
    host: String,
    /// What never changes for an image or container ID, asked once.
    by_id: ById,
}

/// How long a state question may take when no time limit was set.
const API_TIMEOUT: Duration = Duration::from_secs(60);

/// The program used when none is named: `docker`, looked up on PATH.
pub const DEFAULT_PROGRAM: &str = "docker";

impl RealEngine {
    /// An engine running `program` (a path, or a name looked up on PATH) in `mode`.
    /// The daemon is the one the CLI would use under docklab's environment (`DOCKER_HOST`,
    /// the current `docker context`, the default socket; Podman's for a Podman CLI).
    pub fn new(program: impl Into<PathBuf>, mode: RealMode) -> RealEngine {
        let program = program.into();
        let endpoint = endpoint::resolve(&program, &|name| std::env::var(name).ok());
        let (api, host) = match endpoint {
            Endpoint::Api { transport, host } => {
                (Some(Api::new(transport, host.clone(), API_TIMEOUT)), host)
            }
            Endpoint::CliOnly { host } => (None, host),
        };
        RealEngine {
            program,
            mode,
            timeout: None,
            api,
            host,
            by_id: ById::default(),
        }
    }

    /// Kills a captured command (and a state query) that runs longer than `timeout` and reports
    /// [`EngineError::DockerTimedOut`] (or [`EngineError::ApiTimedOut`]). Attached commands are
    /// the person's to interrupt.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> RealEngine {
        self.timeout = Some(timeout);
        if let Some(api) = &self.api {
            let (transport, host) = (api.transport().clone(), api.host().to_owned());
            self.api = Some(Api::new(transport, host, timeout));
        }
        self
    }

    /// Where the state is read from: `unix:///var/run/docker.sock` (the Engine API), or the
    /// daemon that only the CLI reaches.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the state is read through the Engine API (else through the CLI).
    pub fn reads_through_api(&self) -> bool {
        self.api.is_some()
    }

    pub fn program(&self) -> &std::path::Path {
        &self.program
    }

    pub fn mode(&self) -> RealMode {
        self.mode
    }

    /// Checks that the daemon answers; returns the server's version.
    pub fn probe(&mut self) -> Result<String, EngineError> {
        if let Some(api) = &mut self.api {
            return api.server_version();
        }
        let out = self.query(&["version", "--format", "{{.Server.Version}}"])?;
        Ok(out.trim().to_owned())
    }

    /// What appeared on the engine since `before`, in an order that can be carried out: new
    /// containers first, then tags added to images that were already there, then new images,
    /// newest first. Nothing that existed in `before` is ever proposed.
    pub fn cleanup_plan(&self, before: &EngineState, now: &EngineState) -> Vec<Cleanup> {
        cleanup_plan(before, now)
    }

    /// Runs a read-only query, captured, with no standard input; an error unless it exits 0.
    fn query(&self, args: &[&str]) -> Result<String, EngineError> {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let run = self.run_captured(&ExecContext::new(&args), None)?;
        if run.exit_code != 0 {
            return Err(classify(&run.stderr).unwrap_or(EngineError::DockerFailed {
                args,
                exit_code: run.exit_code,
                stderr: run.stderr,
            }));
        }
        Ok(run.stdout)
    }

    fn command(&self, ctx: &ExecContext<'_>) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(ctx.args);
        if let Some(dir) = ctx.workdir {
            cmd.current_dir(dir);
        }
        cmd.envs(ctx.env.iter().map(|(k, v)| (k, v)));
        cmd
    }

    fn spawn(&self, mut cmd: Command) -> Result<Child, EngineError> {
        cmd.spawn().map_err(|e| self.spawn_error(e))
    }

    fn spawn_error(&self, e: io::Error) -> EngineError {
        match e.kind() {
            io::ErrorKind::NotFound => EngineError::DockerNotFound {
                program: self.program.clone(),
            },
            _ => EngineError::DockerNotRunnable {
                program: self.program.clone(),
                source: e,
            },
        }
    }

    /// Runs `ctx` with output captured; `io` answers confirmation prompts (none: `/dev/null`).
    fn run_captured(
        &self,
        ctx: &ExecContext<'_>,
        io: Option<&mut dyn Interaction>,
    ) -> Result<Outcome, EngineError> {
        let args = ctx.args;
        let answers = io.filter(|_| crate::docker::cli::may_prompt(args));
        let mut cmd = self.command(ctx);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdin(if answers.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = self.spawn(cmd)?;
        let mut stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        thread::spawn(move || pump(stdout, &tx));
        let err_reader = thread::spawn(move || {
            let mut buf = Vec::new();
            let mut stderr = stderr;
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        let deadline = self.timeout.map(|t| Instant::now() + t);
        let mut out: Vec<u8> = Vec::new();
        // Where the text not yet shown as a prompt starts.
        let mut shown = 0;
        let mut answers = answers;
        loop {
            let wait = deadline.map_or(Duration::from_secs(3600), |d| {
                d.saturating_duration_since(Instant::now())
            });
            match rx.recv_timeout(wait) {
                Ok(chunk) => {
                    out.extend_from_slice(&chunk);
                    if stdin.is_some() && out.ends_with(b"[y/N] ") {
                        let prompt = String::from_utf8_lossy(&out[shown..]).into_owned();
                        out.truncate(shown);
                        shown = out.len();
                        let answer = answers.as_mut().and_then(|io| io.read_line(&prompt));
                        if let (Some(mut pipe), Some(mut answer)) = (stdin.take(), answer) {
                            if !answer.ends_with('\n') {
                                answer.push('\n');
                            }
                            // A closed pipe means docker stopped reading: its exit says why.
                            let _ = pipe.write_all(answer.as_bytes());
                        }
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if deadline.is_some_and(|d| Instant::now() >= d) {
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err(EngineError::DockerTimedOut {
                            args: args.to_vec(),
                            after: self.timeout.unwrap_or_default(),
                        });
                    }
                }
            }
        }
        drop(stdin);
        let status = child.wait().map_err(|e| self.spawn_error(e))?;
        let err = err_reader.join().unwrap_or_default();
        Ok(Outcome {
            stdout: String::from_utf8_lossy(&out).into_owned(),
            stderr: String::from_utf8_lossy(&err).into_owned(),
            exit_code: exit_code(status),
            ..Outcome::default()
        })
    }

    /// Runs `ctx` on the terminal; standard error is copied to the terminal as it comes and
    /// kept (but for `build`: see the module's documentation).
    fn run_attached(&self, ctx: &ExecContext<'_>) -> Result<Outcome, EngineError> {
        use std::io::IsTerminal as _;
        let mut cmd = self.command(ctx);
        let tee = !(is_build(ctx.args) && io::stderr().is_terminal());
        if tee {
            cmd.stderr(Stdio::piped());
        }
        let mut child = self.spawn(cmd)?;
        let copier = child
            .stderr
            .take()
            .map(|from| thread::spawn(move || tee_stderr(from)));
        let status = child.wait().map_err(|e| self.spawn_error(e))?;
        let stderr = copier
            .and_then(|c| c.join().ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        let outcome = Outcome {
            stderr,
            exit_code: exit_code(status),
            shown: true,
            ..Outcome::default()
        };
        if outcome.exit_code != 0 {
            // docker already told the terminal; a daemon that is down or refused becomes an
            // error docklab words in the student's language too.
            if let Some(e) = classify(&outcome.stderr) {
                return Err(e);
            }
        }
        Ok(outcome)
    }

    /// Images with their names, layers and config; layer sizes and `created_by` stay empty
    /// until [`Engine::load_history`].
    fn image_states(&mut self) -> Result<Vec<ImageState>, EngineError> {
        let Some(api) = &mut self.api else {
            return self.image_states_cli();
        };
        let listed = api.images()?;
        let mut images = Vec::new();
        for item in listed {
            let details = if let Some(d) = self.by_id.images.get(&item.id) {
                d.clone()
            } else {
                // Gone between the listing and the inspection: it is not there any more.
                let Some(d) = api.inspect_image(&item.id)? else {
                    continue;
                };
                self.by_id.images.insert(item.id.clone(), d.clone());
                d
            };
            // Names change for an ID: those of the listing, which is current.
            let named = InspectImage {
                repo_tags: item.repo_tags,
                repo_digests: item.repo_digests,
                size: u64::try_from(item.size).unwrap_or(details.size),
                ..details
            };
            images.push(image_state(named)?);
        }
        Ok(images)
    }

    fn image_states_cli(&self) -> Result<Vec<ImageState>, EngineError> {
        let listed = self.query(&["image", "ls", "--all", "--no-trunc", "--quiet"])?;
        let mut ids: Vec<String> = Vec::new();
        for id in listed.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !ids.iter().any(|i| i == id) {
                ids.push(id.to_owned());
            }
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec!["image".to_owned(), "inspect".to_owned()];
        args.extend(ids.iter().cloned());
        let inspected: Vec<InspectImage> = self.inspect_json(args)?;
        let mut by_id: HashMap<String, InspectImage> =
            inspected.into_iter().map(|i| (i.id.clone(), i)).collect();
        let mut images = Vec::new();
        for id in &ids {
            // Gone between the listing and the inspection: it is not there any more.
            let Some(image) = by_id.remove(id) else {
                continue;
            };
            images.push(image_state(image)?);
        }
        Ok(images)
    }

    /// `image inspect` / `container inspect` of several objects at once. One that vanished in
    /// the meantime makes docker exit 1 while printing the others: that is still an answer.
    fn inspect_json<T: for<'de> Deserialize<'de>>(
        &self,
        args: Vec<String>,
    ) -> Result<Vec<T>, EngineError> {
        let run = self.run_captured(&ExecContext::new(&args), None)?;
        if let Ok(items) = serde_json::from_str::<Vec<T>>(&run.stdout) {
            if run.exit_code == 0 || not_found(&run.stderr) {
                return Ok(items);
            }
        }
        if run.exit_code != 0 {
            return Err(classify(&run.stderr).unwrap_or(EngineError::DockerFailed {
                args,
                exit_code: run.exit_code,
                stderr: run.stderr,
            }));
        }
        Err(EngineError::UnexpectedOutput {
            args,
            detail: first_line(&run.stdout),
        })
    }

    /// The image's history, oldest first: (`created_by`, size in bytes); `None` when the image
    /// is gone.
    fn history(&mut self, id: &str) -> Result<Option<Vec<(String, u64)>>, EngineError> {
        match &mut self.api {
            Some(api) => api.history(id),
            None => match self.history_cli(id) {
                Err(EngineError::DockerFailed { stderr, .. }) if not_found(&stderr) => Ok(None),
                other => other.map(Some),
            },
        }
    }

    fn history_cli(&self, id: &str) -> Result<Vec<(String, u64)>, EngineError> {
        let args = [
            "history",
            "--no-trunc",
            "--human=false",
            "--format",
            "{{json .}}",
            id,
        ];
        let text = self.query(&args)?;
        let mut rows = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let row: HistoryRow =
                serde_json::from_str(line).map_err(|e| EngineError::UnexpectedOutput {
                    args: args.iter().map(|s| (*s).to_owned()).collect(),
                    detail: e.to_string(),
                })?;
            rows.push((row.created_by, row.size.trim().parse().unwrap_or(0)));
        }
        rows.reverse();
        Ok(rows)
    }

    fn container_states(&mut self) -> Result<Vec<ContainerState>, EngineError> {
        let Some(api) = &mut self.api else {
            return self.container_states_cli();
        };
        let mut containers = Vec::new();
        for c in api.containers()? {
            let image = if let Some(i) = self.by_id.container_images.get(&c.id) {
                i.clone()
            } else {
                let Some(i) = api.container_image(&c.id)? else {
                    continue;
                };
                self.by_id.container_images.insert(c.id.clone(), i.clone());
                i
            };
            // As `container inspect` says it: a paused or restarting container is running.
            let running = matches!(c.state.as_str(), "running" | "paused" | "restarting");
            containers.push(ContainerState {
                name: c
                    .names
                    .first()
                    .map(|n| n.trim_start_matches('/').to_owned())
                    .unwrap_or_default(),
                id: ContainerId::new(c.id),
                image,
                image_id: ImageId::new(c.image_id),
                running,
                status: c.state,
            });
        }
        Ok(containers)
    }

    fn container_states_cli(&self) -> Result<Vec<ContainerState>, EngineError> {
        let listed = self.query(&["ps", "--all", "--no-trunc", "--quiet"])?;

        let ids: Vec<String> = listed
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec!["container".to_owned(), "inspect".to_owned()];
        args.extend(ids);
        let inspected: Vec<InspectContainer> = self.inspect_json(args)?;
        Ok(inspected
            .into_iter()
            .map(|c| ContainerState {
                id: ContainerId::new(c.id),
                name: c.name.trim_start_matches('/').to_owned(),
                image: c.config.image,
                image_id: ImageId::new(c.image),
                running: c.state.running,
                status: c.state.status,
            })
            .collect())
    }

    /// Build cache (count, size) from `system df`. The CLI prints the size rounded to four
    /// significant digits (`1.983MB`): the byte count is that rounding, not the exact total.
    fn build_cache(&mut self) -> Result<(usize, u64), EngineError> {
        if let Some(api) = &mut self.api {
            return api.build_cache();
        }
        let text = self.query(&["system", "df", "--format", "{{json .}}"])?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(row) = serde_json::from_str::<DfRow>(line) else {
                continue;
            };
            if row.kind == "Build Cache" {
                return Ok((
                    row.total_count.trim().parse().unwrap_or(0),
                    parse_human_size(&row.size).unwrap_or(0),
                ));
            }
        }
        Ok((0, 0))
    }
}

impl Engine for RealEngine {
    fn exec(
        &mut self,
        ctx: &ExecContext<'_>,
        io: &mut dyn Interaction,
    ) -> Result<Outcome, EngineError> {
        let mut outcome = match self.mode {
            RealMode::Attached if !ctx.capture => self.run_attached(ctx)?,
            RealMode::Attached | RealMode::Captured => {
                let outcome = self.run_captured(ctx, Some(io))?;
                if outcome.exit_code != 0 {
                    if let Some(e) = classify(&outcome.stderr) {
                        return Err(e);
                    }
                }
                outcome
            }
        };
        outcome.effect = effect_of(ctx.args);
        Ok(outcome)
    }

    fn state(&mut self) -> Result<EngineState, EngineError> {
        let images = self.image_states()?;
        let containers = self.container_states()?;
        let (build_cache_count, build_cache_size) = self.build_cache()?;
        Ok(EngineState {
            images,
            containers,
            build_cache_count,
            build_cache_size,
            cache_layers: Vec::new(),
        })
    }

    fn load_history(&mut self, state: &mut EngineState) -> Result<(), EngineError> {
        for image in &mut state.images {
            if !self.by_id.history.contains_key(&image.id) {
                // An image removed since the state was read has no history to give: its layers
                // keep unknown sizes.
                let Some(history) = self.history(image.id.as_str())? else {
                    continue;
                };
                self.by_id.history.insert(image.id.clone(), history);
            }
            apply_history(image, &self.by_id.history[&image.id]);
        }
        Ok(())
    }
}

/// Copies a child's standard error to ours as it comes, and keeps it.
fn tee_stderr(mut from: impl Read) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf) {
            Ok(0) => return kept,
            Ok(n) => {
                let mut err = io::stderr().lock();
                // The terminal going away does not stop the command, nor the copy kept.
                let _ = err.write_all(&buf[..n]);
                let _ = err.flush();
                kept.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return kept,
        }
    }
}

/// Whether the command is a build (`build`, `image build`, `builder build`, `buildx build`),
/// whose `BuildKit` progress needs the terminal as standard error.
fn is_build(args: &[String]) -> bool {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .take(2)
        .collect();
    matches!(
        words.as_slice(),
        ["build", ..] | ["image" | "builder" | "buildx", "build"]
    )
}

/// What a command may do to the state, from the command tables ([`cli::reads_only`]): a query
/// changes nothing; anything else may (even when it fails).
fn effect_of(args: &[String]) -> StateEffect {
    if crate::docker::cli::reads_only(args) {
        StateEffect::Unchanged
    } else {
        StateEffect::Unknown
    }
}

/// Forwards a child's output, chunk by chunk, until it closes.
fn pump(mut from: impl Read, to: &mpsc::Sender<Vec<u8>>) {
    let mut buf = [0u8; 8192];
    loop {
        match from.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => {
                if to.send(buf[..n].to_vec()).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

/// A process's exit code; killed by a signal: 128 + the signal, as a shell reports it.
fn exit_code(status: ExitStatus) -> i32 {
    if let Some(code) = status.code() {
        return code;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(signal) = status.signal() {
            return 128 + signal;
        }
    }
    1
}

/// Recognises the CLI's words for "no daemon" and "socket refused" on its standard error.
fn classify(stderr: &str) -> Option<EngineError> {
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("Cannot connect to the Docker daemon at ") {
            let host = rest
                .split(". Is the")
                .next()
                .unwrap_or(rest)
                .trim_end_matches('.');
            return Some(EngineError::DaemonNotRunning {
                host: host.to_owned(),
            });
        }
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("permission denied while trying to connect to the docker") {
            // `… daemon socket at unix:///var/run/docker.sock: Get "…": dial unix …`
            let socket = line
                .split(" at ")
                .nth(1)
                .and_then(|s| s.split(": ").next())
                .unwrap_or("")
                .to_owned();
            return Some(EngineError::DaemonPermissionDenied { socket });
        }
        // Podman's CLI says this when its service is not running.
        if lower.starts_with("cannot connect to podman") {
            return Some(EngineError::DaemonNotRunning {
                host: String::new(),
            });
        }
    }
    None
}
/// Whether a failed command's standard error says an object it named does not exist (Docker's
/// wording, read by [`DockerError::recognise`]).
fn not_found(stderr: &str) -> bool {
    DockerError::recognise(stderr)
        .iter()
        .any(DockerError::is_not_found)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(200).collect()
}

/// `1.983MB`, `10.1kB`, `0B` → bytes (decimal units, as Docker prints them).
fn parse_human_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f64 = number.parse().ok()?;
    let factor = match unit.trim() {
        "" | "B" => 1e0,
        "kB" | "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        "PB" => 1e15,
        _ => return None,
    };
    Some((value * factor).round() as u64)
}

/// The familiar form (`nginx:latest`) of a reference the engine prints; Podman prints
/// `docker.io/library/nginx:latest`.
fn familiar(reference: &str) -> String {
    crate::docker::reference::Reference::parse(reference)
        .map_or_else(|_| reference.to_owned(), |r| r.familiar_string())
}

/// Instructions that only change the config: their history rows carry no layer.
const METADATA_INSTRUCTIONS: &[&str] = &[
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "LABEL",
    "MAINTAINER",
    "USER",
    "VOLUME",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
    "ONBUILD",
    "ARG",
];

/// Whether a history row made no layer, from its `created_by` alone: `/bin/sh -c #(nop)  CMD …`
/// (legacy builder) or `CMD …` (`BuildKit`) are metadata; `RUN`, `COPY`, `ADD`, `WORKDIR` and
/// anything unknown make a layer.
fn is_metadata_row(created_by: &str) -> bool {
    let text = created_by
        .trim()
        .strip_prefix("/bin/sh -c #(nop)")
        .unwrap_or(created_by)
        .trim_start();
    let word = text.split_whitespace().next().unwrap_or("");
    METADATA_INSTRUCTIONS.contains(&word)
}

/// Which history rows (oldest first) made the image's `layers` layers. The history API hides
/// the config's `empty_layer` flags, so: the rows with a size are layers; when that is not
/// enough (a layer of size 0, like a `WORKDIR` or a `RUN` that only made links), the rows whose
/// instruction can make a layer. `None` when neither adds up.
fn layer_rows(history: &[(String, u64)], layers: usize) -> Option<Vec<usize>> {
    let sized: Vec<usize> = (0..history.len()).filter(|&i| history[i].1 > 0).collect();
    if sized.len() == layers {
        return Some(sized);
    }
    let by_kind: Vec<usize> = (0..history.len())
        .filter(|&i| history[i].1 > 0 || !is_metadata_row(&history[i].0))
        .collect();
    (by_kind.len() == layers).then_some(by_kind)
}

/// An image's state from its inspection; layer sizes and `created_by` come later, from its
/// history ([`apply_history`]).
fn image_state(image: InspectImage) -> Result<ImageState, EngineError> {
    let diff_ids: Vec<Digest> = image
        .root_fs
        .layers
        .iter()
        .map(|d| {
            d.parse().map_err(|_| EngineError::UnexpectedOutput {
                args: vec!["image".into(), "inspect".into(), image.id.clone()],
                detail: format!("RootFS layer {d:?} is not a digest"),
            })
        })
        .collect::<Result<_, _>>()?;
    let chains = chain_ids(&diff_ids);
    let layers = diff_ids
        .iter()
        .zip(&chains)
        .map(|(diff, chain)| LayerState {
            chain_id: ChainId::new(chain.to_string()),
            diff_id: DiffId::new(diff.to_string()),
            size: 0,
            created_by: String::new(),
        })
        .collect();
    let c = image.config.unwrap_or_default();
    // Docker before API 1.44 lists `<none>:<none>` for an image without a name.
    let named = |r: &&String| !r.starts_with("<none>");
    let mut tags: Vec<String> = image
        .repo_tags
        .iter()
        .filter(named)
        .map(|t| familiar(t))
        .collect();
    tags.sort();
    let mut digests: Vec<String> = image
        .repo_digests
        .iter()
        .filter(named)
        .map(|t| familiar(t))
        .collect();
    digests.sort();
    Ok(ImageState {
        id: ImageId::new(image.id),
        tags,
        digests,
        created: image.created,
        size: image.size,
        layers,
        config: ConfigState {
            cmd: c.cmd.unwrap_or_default(),
            entrypoint: c.entrypoint.unwrap_or_default(),
            env: c.env.unwrap_or_default(),
            exposed_ports: c
                .exposed_ports
                .map(|p| p.into_keys().collect())
                .unwrap_or_default(),
            labels: c.labels.unwrap_or_default(),
            working_dir: c.working_dir.unwrap_or_default(),
        },
        parent: Some(image.parent)
            .filter(|p| !p.is_empty())
            .map(ImageId::new),
    })
}

/// Sets the image's layer sizes and `created_by` from its history (oldest first).
fn apply_history(image: &mut ImageState, history: &[(String, u64)]) {
    let rows = layer_rows(history, image.layers.len());
    for (i, layer) in image.layers.iter_mut().enumerate() {
        let row = rows.as_ref().and_then(|r| r.get(i)).map(|&r| &history[r]);
        layer.size = row.map_or(0, |r| r.1);
        layer.created_by = row.map(|r| r.0.clone()).unwrap_or_default();
    }
}

pub fn cleanup_plan(before: &EngineState, now: &EngineState) -> Vec<Cleanup> {
    let old_containers: BTreeSet<&ContainerId> = before.containers.iter().map(|c| &c.id).collect();
    let old_images: HashMap<&ImageId, &ImageState> =
        before.images.iter().map(|i| (&i.id, i)).collect();
    let mut plan: Vec<Cleanup> = now
        .containers
        .iter()
        .filter(|c| !old_containers.contains(&c.id))
        .map(|c| Cleanup::RemoveContainer {
            id: c.id.clone(),
            name: c.name.clone(),
            running: c.running,
        })
        .collect();
    for image in &now.images {
        if let Some(old) = old_images.get(&image.id) {
            // A tag that moved here from another image that existed before is new here too:
            // untagging it leaves the old image dangling, not deleted. It is still the lab's doing.
            plan.extend(
                image
                    .tags
                    .iter()
                    .filter(|t| !old.tags.contains(t))
                    .map(|t| Cleanup::Untag {
                        reference: t.clone(),
                    }),
            );
        }
    }
    // `now.images` is newest first: children before their parents.
    plan.extend(
        now.images
            .iter()
            .filter(|i| !old_images.contains_key(&i.id))
            .map(|i| Cleanup::RemoveImage {
                id: i.id.clone(),
                tags: i.tags.clone(),
            }),
    );
    plan
}

// The parts of the CLI's JSON that the state needs. Field names are the Engine API's.

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HistoryRow {
    #[serde(default)]
    created_by: String,
    #[serde(default)]
    size: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InspectContainer {
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    image: String,
    config: InspectContainerConfig,
    state: InspectContainerState,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InspectContainerConfig {
    #[serde(default)]
    image: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InspectContainerState {
    #[serde(default)]
    status: String,
    #[serde(default)]
    running: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DfRow {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default)]
    total_count: String,
    #[serde(default)]
    size: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(line: &str) -> StateEffect {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        effect_of(&args)
    }

    #[test]
    fn every_spelling_of_a_query_is_read_only() {
        for line in [
            "images",
            "image ls",
            "image list",
            "images -a --digests",
            "ps -a",
            "container ls",
            "container list",
            "container ps",
            "history nginx",
            "image history nginx",
            "inspect nginx",
            "image inspect nginx",
            "container inspect web",
            "system df",
            "info",
            "system info",
            "version",
            "--version",
            "save -o x.tar nginx",
            "image save nginx",
            "search nginx",
            "logs web",
            "container logs web",
            "container top web",
            "system events",
            "",
            "image",
            "help",
            "help rmi",
            // Global options and their values come before the command.
            "--context x images",
            "-H unix:///x -D ps",
        ] {
            assert_eq!(effect(line), StateEffect::Unchanged, "{line}");
        }
    }

    #[test]
    fn help_anywhere_is_read_only() {
        for line in [
            "rmi --help",
            "rmi nginx --help",
            "image rm -h nginx",
            "--help",
            "build --help .",
            "run --help",
            "system prune --help",
            "container --help",
            "exec --help",
            "rmi --no-such-flag --help",
        ] {
            assert_eq!(effect(line), StateEffect::Unchanged, "{line}");
        }
    }

    #[test]
    fn anything_else_may_have_changed_the_state() {
        for line in [
            "rmi nginx",
            "image rm nginx",
            "tag nginx x",
            "pull alpine",
            "build .",
            "builder build .",
            "run alpine",
            "container run alpine",
            "system prune -f",
            "builder prune -f",
            "load -i x.tar",
            "push x",
            "exec web touch x",
            "container exec web touch x",
            "commit web x",
            "image import x.tar",
            "network create n",
            "volume rm v",
            // The container's own `--help`: the container is created.
            "run alpine echo --help",
            "create alpine sh -c x --help",
            // Words no table knows are conservative.
            "frobnicate",
            "builder ls",
            "rmi --no-such-flag nginx",
        ] {
            assert_eq!(effect(line), StateEffect::Unknown, "{line}");
        }
    }

    #[test]
    fn classifies_daemon_errors() {
        let down = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
        assert!(matches!(
            classify(down),
            Some(EngineError::DaemonNotRunning { host }) if host == "unix:///var/run/docker.sock"
        ));
        let denied = "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.50/images/json\": dial unix /var/run/docker.sock: connect: permission denied\n";
        assert!(matches!(
            classify(denied),
            Some(EngineError::DaemonPermissionDenied { socket }) if socket == "unix:///var/run/docker.sock"
        ));
        assert!(classify("Error response from daemon: No such image: x:latest\n").is_none());
    }

    #[test]
    fn missing_program_is_reported_as_such() {
        let mut engine = RealEngine::new("/nonexistent/docklab-docker", RealMode::Captured);
        let err = engine
            .exec(
                &ExecContext::new(&["images".to_owned()]),
                &mut super::super::NoInput,
            )
            .expect_err("no such program");
        assert!(matches!(err, EngineError::DockerNotFound { .. }), "{err:?}");
    }

    #[test]
    fn parses_docker_sizes() {
        for (text, bytes) in [
            ("0B", 0),
            ("3B", 3),
            ("10.1kB", 10_100),
            ("1.983MB", 1_983_000),
            ("2GB", 2_000_000_000),
        ] {
            assert_eq!(parse_human_size(text), Some(bytes), "{text}");
        }
        assert_eq!(parse_human_size("lots"), None);
    }

    #[test]
    fn finds_the_history_rows_of_layers() {
        let history: Vec<(String, u64)> = [
            ("COPY busybox /bin/busybox # buildkit", 1_982_256),
            ("SHELL [/bin/busybox sh -c]", 0),
            ("RUN /bin/busybox --install -s /bin # buildkit", 0),
            ("SHELL [/bin/sh -c]", 0),
        ]
        .iter()
        .map(|(c, s)| ((*c).to_owned(), *s))
        .collect();
        assert_eq!(layer_rows(&history, 2), Some(vec![0, 2]));
        assert_eq!(layer_rows(&history, 1), Some(vec![0]));
        let legacy: Vec<(String, u64)> = [
            ("/bin/sh -c #(nop) ADD file:abc in / ", 5),
            ("/bin/sh -c #(nop)  CMD [\"sh\"]", 0),
            ("/bin/sh -c #(nop) WORKDIR /app", 0),
        ]
        .iter()
        .map(|(c, s)| ((*c).to_owned(), *s))
        .collect();
        assert_eq!(layer_rows(&legacy, 2), Some(vec![0, 2]));
        assert_eq!(layer_rows(&legacy, 3), None);
    }

    fn image(id: &str, tags: &[&str]) -> ImageState {
        ImageState {
            id: ImageId::from(id),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..ImageState::default()
        }
    }

    #[test]
    fn cleanup_plan_lists_only_what_appeared() {
        let before = EngineState {
            images: vec![image("sha256:old", &["alpine:latest"])],
            containers: vec![ContainerState {
                id: "c-old".into(),
                ..ContainerState::default()
            }],
            ..EngineState::default()
        };
        let now = EngineState {
            images: vec![
                image("sha256:new", &["nginx:latest", "nginx:prod"]),
                image("sha256:old", &["alpine:latest", "alpine:mine"]),
            ],
            containers: vec![
                ContainerState {
                    id: "c-new".into(),
                    name: "web".into(),
                    running: true,
                    ..ContainerState::default()
                },
                ContainerState {
                    id: "c-old".into(),
                    ..ContainerState::default()
                },
            ],
            ..EngineState::default()
        };
        let engine = RealEngine::new("docker", RealMode::Captured);
        let plan = engine.cleanup_plan(&before, &now);
        assert_eq!(
            plan,
            vec![
                Cleanup::RemoveContainer {
                    id: "c-new".into(),
                    name: "web".into(),
                    running: true
                },
                Cleanup::Untag {
                    reference: "alpine:mine".into()
                },
                Cleanup::RemoveImage {
                    id: "sha256:new".into(),
                    tags: vec!["nginx:latest".into(), "nginx:prod".into()]
                },
            ]
        );
        assert_eq!(plan[0].docker_args(), ["rm", "-f", "c-new"]);
        assert_eq!(plan[1].docker_args(), ["rmi", "alpine:mine"]);
        assert_eq!(plan[2].docker_args(), ["rmi", "-f", "sha256:new"]);
        assert!(engine.cleanup_plan(&now, &now).is_empty());
    }

    #[test]
    fn only_prune_commands_get_a_stdin_pipe() {
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        use crate::docker::cli::may_prompt;
        assert!(may_prompt(&words("image prune")));
        assert!(may_prompt(&words("system prune -a")));
        assert!(may_prompt(&words("builder prune")));
        assert!(may_prompt(&words("volume prune")));
        assert!(!may_prompt(&words("image prune -f")));
        assert!(!may_prompt(&words("run -i alpine")));
        assert!(!may_prompt(&words("run alpine -- prune")));
        assert!(!may_prompt(&words("run alpine prune")));
    }
}
