//! The rest of a lab's start state, after its pulls: the files of `[[start.file]]` written in
//! the workspace, then the Docker commands of `start.commands` run there (tags, builds,
//! containers). Neither is part of the student's transcript; a replay (`verify`) prepares the
//! same state the same way, since `start` is replayed.

use crate::engine::{ExecContext, NoInput};
use crate::feedback::{Feedback, Tone};
use crate::i18n::Msg;
use crate::lab::check::workspace_path;
use crate::lab::Lab;

use super::Session;

impl Session {
    /// Writes the start files and runs the start commands; says what failed.
    pub(super) fn prepare_start(&mut self, lab: &Lab, fb: &mut Vec<Feedback>) {
        for file in &lab.start.files {
            let written = match workspace_path(&self.workspace, &file.path) {
                Some(path) => path
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&path, &file.text))
                    .map_err(|e| e.to_string()),
                // Refused when the lab is loaded; kept as a guard.
                None => Err(file.path.clone()),
            };
            if let Err(error) = written {
                fb.push(self.say(
                    Tone::Error,
                    &Msg::StartStateFailed {
                        reference: file.path.clone(),
                        error,
                    },
                ));
            }
        }
        for line in &lab.start.commands {
            let args: Vec<String> = match shell_words::split(line) {
                Ok(words) => words.into_iter().skip(1).collect(),
                Err(e) => {
                    fb.push(self.say(
                        Tone::Error,
                        &Msg::StartStateFailed {
                            reference: line.clone(),
                            error: e.to_string(),
                        },
                    ));
                    continue;
                }
            };
            let workspace = self.workspace.clone();
            let ctx = ExecContext::new(&args).in_dir(&workspace);
            self.run_start_command(&ctx, line, fb);
        }
        if !lab.start.commands.is_empty() {
            self.invalidate();
        }
    }

    /// Runs one command of a lab's start state (a pull of `start.images`, a `start.commands`
    /// line) with no terminal; a failure is told with the line, and the lab starts without it.
    pub(super) fn run_start_command(
        &mut self,
        ctx: &ExecContext<'_>,
        shown: &str,
        fb: &mut Vec<Feedback>,
    ) {
        let result = self.engine.exec(ctx, &mut NoInput);
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
                    reference: shown.to_owned(),
                    error,
                },
            ));
        }
    }
}
