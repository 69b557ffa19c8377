//! The workspace shell: `cd`, shell lines (run, or restored in a replay from the files the
//! transcript recorded), `$(…)` substitutions and the workspace snapshots a replay compares.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::command;
use crate::engine::{ExecContext, NoInput, Outcome};
use crate::feedback::{Feedback, Tone};
use crate::i18n::Msg;
use crate::transcript::{Entry, EntryKind};

use super::{Session, ShellMode};

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
    pub(super) fn cd(&mut self, line: &str, dir: Option<&str>, fb: &mut Vec<Feedback>) -> Entry {
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
}
