//! The workspace shell: `&&`/`||`/`;` lists, `cd` (and `cd -`), shell lines (run, or restored in
//! a replay from the files the transcript recorded), the pipe or file a `docker` command's output
//! goes to, `$(…)` substitutions, the variables a line's words expand (`~`, `$HOME`, `$?`) and
//! the workspace snapshots a replay compares.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::command::{self, Command};
use crate::engine::{ExecContext, Interaction, NoInput, Outcome};
use crate::feedback::{Feedback, Tone};
use crate::i18n::Msg;
use crate::transcript::{Entry, EntryKind};

use super::{Session, ShellMode};

/// What the shell remembers from one command to the next.
#[derive(Debug, Default)]
pub(super) struct ShellState {
    /// The directory before the last `cd` (`cd -`, `$OLDPWD`).
    oldpwd: Option<PathBuf>,
    /// The last command's exit status (`$?`, `&&`, `||`).
    status: i32,
    /// A `docker` command whose output went through a pipeline: the pipeline's status, which
    /// `&&`/`||` follow (the transcript keeps Docker's own).
    pub(super) pipeline_status: Option<i32>,
}

/// The line with `docker` for a first word that is a typo of it (`dokcer`, `Docker`, `docekr`).
fn docker_typo(line: &str) -> Option<String> {
    let first = line.split_whitespace().next()?;
    let lower = first.to_lowercase();
    let close = lower == "docker"
        || (lower.len() >= 5 && strsim::damerau_levenshtein(&lower, "docker") <= 2);
    if first == "docker" || !close {
        return None;
    }
    let rest = line.trim_start()[first.len()..].trim_start();
    Some(if rest.is_empty() {
        "docker".to_owned()
    } else {
        format!("docker {rest}")
    })
}

/// Terminal editors a student may type, in the order they are suggested.
const EDITORS: &[&str] = &[
    "nano", "vim", "vi", "nvim", "emacs", "micro", "mcedit", "joe", "ne", "mg", "pico", "ed",
    "gedit", "code",
];

/// Whether `program` is an executable file in one of `path`'s directories.
fn on_path(program: &str, path: &std::ffi::OsStr) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::env::split_paths(path).any(|dir| {
        std::fs::metadata(dir.join(program))
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// The editors of [`EDITORS`] found on `path` (graphical ones left out: no display here).
fn editors_on(path: &std::ffi::OsStr) -> Vec<&'static str> {
    EDITORS
        .iter()
        .copied()
        .filter(|e| !matches!(*e, "gedit" | "code") && on_path(e, path))
        .collect()
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
    /// `HOME` as the student's commands see it: the workspace, as an absolute path (a relative
    /// `--home` included); in `verify`'s sandbox, its path from the sandbox's `/`, which is how
    /// the sandbox maps the paths of replayed commands.
    fn shell_path(&self, dir: &Path) -> String {
        let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(root) = self.fs.jail_root() {
            let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
            if let Ok(inside) = abs.strip_prefix(&root) {
                return Path::new("/").join(inside).display().to_string();
            }
        }
        abs.display().to_string()
    }

    /// A variable as a word of a Docker or `cd` line expands it. `HOME` is the workspace,
    /// `PWD`/`OLDPWD` the shell's directories, `?` the last status; others come from docklab's
    /// environment (as the `sh` that runs shell lines sees them).
    fn var(&self, name: &str, replay: Option<&Entry>) -> Option<String> {
        match name {
            "HOME" => Some(self.shell_path(&self.workspace)),
            "PWD" => Some(self.shell_path(&self.cwd)),
            "OLDPWD" => self.sh.oldpwd.as_deref().map(|d| self.shell_path(d)),
            "?" => Some(self.sh.status.to_string()),
            _ if self.opts.shell == ShellMode::Replay => {
                replay.and_then(|r| r.env.get(name).cloned())
            }
            _ => std::env::var(name).ok(),
        }
    }

    /// The words of a `docker` or `cd` line (see [`command::line::words`]); the environment
    /// variables read are noted in `entry`, for a replay to read them back from it.
    pub(super) fn expand_words(
        &self,
        text: &str,
        replay: Option<&Entry>,
        entry: &mut Entry,
    ) -> Result<command::line::Words, command::line::WordsError> {
        let read = std::cell::RefCell::new(BTreeMap::new());
        let words = command::line::words(text, &|name| {
            let value = self.var(name, replay);
            if !matches!(name, "HOME" | "PWD" | "OLDPWD" | "?") {
                if let Some(v) = &value {
                    read.borrow_mut().insert(name.to_owned(), v.clone());
                }
            }
            value
        });
        entry.env.extend(read.into_inner());
        words
    }

    /// Runs a line that is not a tutor command: each part of its `&&`/`||`/`;` list in turn, as
    /// its own command with its own transcript entry (so a replay meets each as typed alone), the
    /// step evaluated after each. A part runs or not on the status of the one before, as in a
    /// shell; Ctrl-C stops the list.
    pub(super) fn run_list(
        &mut self,
        line: &str,
        first: &Command,
        io: &mut dyn Interaction,
        replay: Option<&Entry>,
        fb: &mut Vec<Feedback>,
    ) {
        let parts = command::line::split_list(line);
        // A replayed entry is one part already; an older transcript's whole list (recorded as
        // one shell line) replays as it was recorded.
        if parts.len() <= 1 || replay.is_some() {
            self.run_part(line, first, io, replay, fb);
            return;
        }
        let mut status = self.sh.status;
        for (sep, part) in parts {
            if !sep.runs(status) {
                continue;
            }
            match command::parse(&part) {
                Command::Empty => {}
                Command::Tutor(t) => {
                    let mut entry = Entry::new(&part, EntryKind::Tutor);
                    entry.step = self.current_step_id();
                    fb.extend(self.tutor(t, io, &mut entry));
                    self.record(entry);
                    self.sh.status = 0;
                }
                cmd => self.run_part(&part, &cmd, io, None, fb),
            }
            status = self.sh.status;
            if fb.iter().any(Feedback::is_quit) || crate::interrupt::pending() {
                break;
            }
        }
    }

    /// One command of a list: run, recorded, evaluated; `$?` follows it.
    fn run_part(
        &mut self,
        line: &str,
        cmd: &Command,
        io: &mut dyn Interaction,
        replay: Option<&Entry>,
        fb: &mut Vec<Feedback>,
    ) {
        self.sh.pipeline_status = None;
        let entries = self.exec_line(line, cmd, io, replay, fb, true);
        let docker_status = entries.first().map_or(0, |e| e.exit_code);
        self.sh.status = self.sh.pipeline_status.take().unwrap_or(docker_status);
        self.record_all(entries);
        self.evaluate(fb);
    }

    pub(super) fn cd(
        &mut self,
        line: &str,
        replay: Option<&Entry>,
        fb: &mut Vec<Feedback>,
    ) -> Entry {
        let mut entry = Entry::new(line, EntryKind::Shell);
        let words = match self.expand_words(line, replay, &mut entry) {
            Ok(w) => w.words,
            Err(e) => {
                entry.exit_code = 1;
                fb.push(self.say(
                    Tone::Error,
                    &Msg::BadQuoting {
                        error: e.to_string(),
                    },
                ));
                return entry;
            }
        };
        let dir = words.get(1).cloned();
        let back = dir.as_deref() == Some("-");
        let target = match dir.as_deref() {
            None => self.workspace.clone(),
            Some("-") => {
                let Some(d) = &self.sh.oldpwd else {
                    entry.exit_code = 1;
                    fb.push(self.say(Tone::Error, &Msg::ShellNoOldpwd));
                    return entry;
                };
                d.clone()
            }
            Some(d) => self.cwd.join(d),
        };
        let shown = dir.clone().unwrap_or_else(|| "~".to_owned());
        // In `verify`'s sandbox the directory is looked up inside it, never on the grader's disk.
        let target = match (self.fs.jail_root(), dir.as_deref()) {
            (Some(_), Some(d)) if !back => {
                let Ok(p) = self.fs.with_home(&self.workspace).resolve(&self.cwd, d) else {
                    entry.exit_code = 1;
                    fb.push(self.say(Tone::Warning, &Msg::OutsideWorkspace { dir: shown }));
                    return entry;
                };
                p
            }
            _ => target,
        };
        match target.canonicalize() {
            Ok(real) if real.is_dir() => {
                let ws = self
                    .workspace
                    .canonicalize()
                    .unwrap_or_else(|_| self.workspace.clone());
                if let Ok(inside) = real.strip_prefix(&ws) {
                    let now = if inside.as_os_str().is_empty() {
                        self.workspace.clone()
                    } else {
                        self.workspace.join(inside)
                    };
                    let before = std::mem::replace(&mut self.cwd, now);
                    self.sh.oldpwd = Some(before);
                    entry.cwd = Some(inside.to_string_lossy().into_owned());
                    if back {
                        // As bash: `cd -` prints where it went.
                        fb.push(Feedback::Docker(Outcome::ok(format!(
                            "{}\n",
                            self.shell_path(&self.cwd)
                        ))));
                    }
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

    /// A terminal editor typed that this machine does not have (`nano Dockerfile`): which ones
    /// work here, and the here-document that needs none.
    fn missing_editor(&self, line: &str) -> Option<Feedback> {
        let first = line.split_whitespace().next()?;
        if !EDITORS.contains(&first) {
            return None;
        }
        let path = std::env::var_os("PATH").unwrap_or_default();
        if on_path(first, &path) {
            return None;
        }
        let available = editors_on(&path);
        let editor = first.to_owned();
        Some(self.say(
            Tone::Hint,
            &if available.is_empty() {
                Msg::ShellEditorNone { editor }
            } else {
                Msg::ShellEditorMissing {
                    editor,
                    available: available.join(", "),
                }
            },
        ))
    }

    pub(super) fn shell(
        &mut self,
        line: &str,
        replay: Option<&Entry>,
        fb: &mut Vec<Feedback>,
    ) -> Entry {
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
        if let Some(hint) = self.missing_editor(line) {
            // Not run: `sh` would only say "not found"; the tutor says what works instead.
            entry.exit_code = 127;
            fb.push(hint);
            return entry;
        }
        // `sudo docker …` would run a real Docker (or ask for a password) behind the lab's back:
        // not run; the tutor says docklab runs Docker commands itself.
        let mut words = line.split_whitespace();
        if words.next() == Some("sudo") && words.next() == Some("docker") {
            entry.exit_code = 1;
            let rest = line
                .trim_start()
                .strip_prefix("sudo")
                .unwrap_or(line)
                .trim_start();
            fb.push(self.say(
                Tone::Hint,
                &Msg::ShellSudoDocker {
                    line: rest.to_owned(),
                },
            ));
            return entry;
        }
        let Some(expanded) = self.substitute(line, fb) else {
            entry.exit_code = 1;
            return entry;
        };
        // `$?` in the line is the status of the command before, as in one long-lived shell.
        let script = match self.sh.status {
            0 => expanded,
            n => format!("(exit {n}); {expanded}"),
        };
        self.run_sh(&script, &[], &mut entry, fb);
        // `dokcer images`, `Docker images`: `sh` says "not found"; the tutor names the command.
        if entry.exit_code == 127 {
            if let Some(suggestion) = docker_typo(line) {
                fb.push(self.say(Tone::Hint, &Msg::DidYouMean { suggestion }));
            }
        }
        entry
    }

    /// Runs `script` with `sh -c` in the shell's directory (`HOME` the workspace) and records in
    /// `entry` its status and the workspace files and directories it made or changed.
    fn run_sh(
        &mut self,
        script: &str,
        env: &[(&str, &Path)],
        entry: &mut Entry,
        fb: &mut Vec<Feedback>,
    ) {
        let (files_before, dirs_before) = snapshot(&self.workspace);
        let home = std::path::absolute(&self.workspace).unwrap_or_else(|_| self.workspace.clone());
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg(script)
            .current_dir(&self.cwd)
            .env("HOME", &home);
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some(old) = &self.sh.oldpwd {
            cmd.env("OLDPWD", old);
        }
        if self.opts.shell == ShellMode::Detached {
            cmd.stdin(std::process::Stdio::null());
        }
        match cmd.status() {
            Ok(status) => {
                use std::os::unix::process::ExitStatusExt as _;
                entry.exit_code = status
                    .code()
                    .unwrap_or_else(|| 128 + status.signal().unwrap_or(2));
                if status.signal() == Some(2) && self.opts.shell == ShellMode::Attached {
                    fb.push(Feedback::Interrupted);
                }
            }
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
    }

    /// After a `docker` command whose output goes on (`| grep x`, `> list.txt`, `2>&1`): its
    /// captured output flows through the redirections and the rest of the pipeline, which `sh`
    /// runs in the workspace; returns the pipeline's status. In a replay nothing is run: the
    /// files the line wrote are restored from the transcript, as for any shell line (Docker's
    /// output holds times such as "2 minutes ago", so running it again would not write the same
    /// file).
    pub(super) fn pipe_docker_output(
        &mut self,
        outcome: &Outcome,
        redirections: &[String],
        rest: &[String],
        replay: Option<&Entry>,
        entry: &mut Entry,
        fb: &mut Vec<Feedback>,
    ) -> i32 {
        if self.opts.shell == ShellMode::Replay {
            if let Some(rec) = replay {
                let _ = rec.restore(&|p| crate::lab::check::workspace_path(&self.workspace, p));
                entry.files.clone_from(&rec.files);
                entry.edits.clone_from(&rec.edits);
                entry.dirs.clone_from(&rec.dirs);
            }
            return entry.exit_code;
        }
        let write = |text: &str| -> std::io::Result<tempfile::NamedTempFile> {
            use std::io::Write as _;
            let mut f = tempfile::Builder::new().prefix("docklab-out").tempfile()?;
            f.write_all(text.as_bytes())?;
            f.flush()?;
            Ok(f)
        };
        let (out, err) = match (write(&outcome.stdout), write(&outcome.stderr)) {
            (Ok(o), Ok(e)) => (o, e),
            (Err(e), _) | (_, Err(e)) => {
                fb.push(self.say(
                    Tone::Error,
                    &Msg::ShellFailed {
                        error: e.to_string(),
                    },
                ));
                return 1;
            }
        };
        // A function stands for the Docker command, so that `sh` applies the redirections as
        // typed, in their order (`> f 2>&1` is not `2>&1 > f`).
        let mut script = format!(
            "__docklab_docker() {{ cat \"$DOCKLAB_STDOUT\"; cat \"$DOCKLAB_STDERR\" >&2; return {}; }}\n__docklab_docker",
            outcome.exit_code & 0xff
        );
        for r in redirections {
            script.push(' ');
            script.push_str(r);
        }
        for cmd in rest {
            script.push_str(" | ");
            script.push_str(cmd);
        }
        let mut sh_entry = Entry::new("", EntryKind::Shell);
        self.run_sh(
            &script,
            &[
                ("DOCKLAB_STDOUT", out.path()),
                ("DOCKLAB_STDERR", err.path()),
            ],
            &mut sh_entry,
            fb,
        );
        entry.edits = sh_entry.edits;
        entry.dirs = sh_entry.dirs;
        sh_entry.exit_code
    }

    /// Replaces each `$(…)` by its output's words (`$(docker …)` runs on the engine).
    pub(super) fn substitute(&mut self, line: &str, fb: &mut Vec<Feedback>) -> Option<String> {
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
                // Its output is read, never shown: captured even by a real engine attached to the terminal.
                let ctx = ExecContext::new(&inner_words[1..])
                    .in_dir(&self.cwd)
                    .captured(true);
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
}
