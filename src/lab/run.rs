//! A lab run: one student's way through one lab — the lab, its progress and transcript, the
//! mistakes already explained in the current step, the saving of the progress and this
//! process's lock on it. It evaluates the current step over an engine state it is given,
//! passes steps, scores and shows them; it never runs a command nor reads the engine itself:
//! the session owns the run and the engine, and hands the run what it needs.

use std::collections::BTreeSet;
use std::path::Path;

use crate::engine::EngineState;
use crate::feedback::{Feedback, Tone};
use crate::i18n::{Lang, Msg};
use crate::lab::check::{Check, Facts, Verdict};
use crate::lab::progress::{self, LabProgress};
use crate::lab::{Lab, Step};

/// A lab being worked on in this session.
#[derive(Debug)]
pub struct LabRun {
    pub(crate) lab: Lab,
    pub(crate) progress: LabProgress,
    /// Mistakes already explained in the current step.
    pub(crate) shown: BTreeSet<String>,
    /// Saves the progress after each line (a journal record, now and then a snapshot).
    writer: progress::ProgressWriter,
    /// The kind of the save failure the student was last told about; `None` while saves work.
    /// A failure is said once per kind, not on every line, and its end is said too.
    unsaved: Option<std::io::ErrorKind>,
    /// This process's hold on the lab run (`None` when the lock file could not be made).
    lock: Option<progress::RunLock>,
}

/// How a lab run was opened: where its progress came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// A new run (no progress yet, or starting over).
    Fresh,
    /// An unfinished run, resumed where it was left.
    Resumed,
    /// A completed run, opened again as it was: its grade, transcript, files and images stay;
    /// only `reset` begins a new attempt.
    Review,
}

/// What opening a run said, and the run when it could be opened.
#[derive(Debug)]
pub struct Opened {
    pub run: Option<(LabRun, Opening)>,
    pub feedback: Vec<Feedback>,
}

fn tutor(tone: Tone, msg: Msg) -> Feedback {
    Feedback::Tutor { tone, msg }
}

impl LabRun {
    /// Opens `lab`'s run under `home`: takes its lock (or the lock of `current`, the run this
    /// session has, when it is of this lab), then resumes its progress (`current` when the
    /// session had it in memory, else from disk; a completed one in review) or, with `fresh` or
    /// when there is none, starts a new one (the caller has kept the attempt it replaces). A lab another shell holds is left alone. A progress file
    /// that is there but unreadable is set aside, never deleted.
    pub fn open(home: &Path, lab: Lab, fresh: bool, current: Option<&mut LabRun>) -> Opened {
        let mut feedback = Vec::new();
        let (held, current) = match current {
            Some(r) if r.lab.id == lab.id => (r.lock.take(), Some(r.progress.clone())),
            _ => (None, None),
        };
        let lock = match held.map_or_else(|| progress::lock_run(home, &lab.id), Ok) {
            Ok(lock) => Some(lock),
            Err(progress::LockError::Held { path, pid }) => {
                let path = path.display().to_string();
                let id = lab.id.clone();
                feedback.push(tutor(
                    Tone::Error,
                    match pid {
                        Some(pid) => Msg::LabInUse {
                            id,
                            pid: pid.to_string(),
                            path,
                        },
                        None => Msg::LabInUseUnknown { id, path },
                    },
                ));
                return Opened {
                    run: None,
                    feedback,
                };
            }
            // No lock file can be made (a read-only or full home): the lab still starts, and
            // saving its progress will say what is wrong.
            Err(progress::LockError::Io { .. }) => None,
        };
        let steps = lab.steps.len();
        // Whether the run directory may be cleared for a new run: not when an unreadable
        // progress could not be set aside.
        let mut wipe = true;
        // A completed run is never wiped by starting it again: it opens in review.
        let existing = if fresh {
            None
        } else if let Some(p) = current {
            // The lab already running here resumes from memory: what could not be saved is there.
            Some(p)
        } else {
            match progress::load_checked(home, &lab.id) {
                Ok(p) => p,
                Err(error) => {
                    let dir = progress::run_dir(home, &lab.id);
                    match progress::set_aside(home, &lab.id) {
                        Ok(kept) => feedback.push(tutor(
                            Tone::Warning,
                            Msg::ProgressUnreadable {
                                id: lab.id.clone(),
                                error,
                                kept: kept.display().to_string(),
                            },
                        )),
                        Err(e) => {
                            wipe = false;
                            feedback.push(tutor(
                                Tone::Warning,
                                Msg::ProgressUnreadable {
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
        let (progress, opening) = match existing {
            Some(p) if p.completed(steps) => (p, Opening::Review),
            Some(p) => (p, Opening::Resumed),
            None => {
                if wipe {
                    let _ = progress::clear_run(home, &lab.id);
                }
                (LabProgress::new(&lab.id), Opening::Fresh)
            }
        };
        let run = LabRun {
            writer: progress::ProgressWriter::new(home, &lab.id),
            lab,
            progress,
            shown: BTreeSet::new(),
            unsaved: None,
            lock,
        };
        Opened {
            run: Some((run, opening)),
            feedback,
        }
    }

    pub fn id(&self) -> &str {
        &self.lab.id
    }

    pub fn lab(&self) -> &Lab {
        &self.lab
    }

    pub fn progress(&self) -> &LabProgress {
        &self.progress
    }

    /// Whether every step is passed or skipped.
    pub fn completed(&self) -> bool {
        self.progress.completed(self.lab.steps.len())
    }

    /// The current step, `None` once the lab is completed.
    pub fn current_step(&self) -> Option<&Step> {
        self.lab.steps.get(self.progress.current)
    }

    /// Saves the progress, with `cwd` the working directory relative to the workspace. A
    /// failure never stops the session (the progress stays in memory and the next save tries
    /// again) and is never silent: the student is told where and why, once per kind of failure,
    /// and told again when saving works again.
    pub fn save(&mut self, home: &Path, cwd: String) -> Option<Feedback> {
        self.progress.cwd = cwd;
        match self.writer.save(&self.progress) {
            Ok(()) => self.unsaved.take().map(|_| {
                tutor(
                    Tone::Info,
                    Msg::ProgressSavedAgain {
                        id: self.lab.id.clone(),
                    },
                )
            }),
            Err(e) => {
                let kind = if crate::atomic::is_disk_full(&e) {
                    std::io::ErrorKind::StorageFull
                } else {
                    e.kind()
                };
                if self.unsaved == Some(kind) {
                    return None;
                }
                self.unsaved = Some(kind);
                Some(tutor(
                    Tone::Warning,
                    Msg::ProgressNotSaved {
                        id: self.lab.id.clone(),
                        path: progress::run_dir(home, &self.lab.id).display().to_string(),
                        error: crate::atomic::io_reason(&e),
                    },
                ))
            }
        }
    }

    fn facts<'a>(&'a self, state: &'a EngineState, workspace: &'a Path) -> Facts<'a> {
        Facts {
            state,
            entries: &self.progress.entries,
            step_start: self.progress.step_start,
            workspace,
        }
    }

    /// The current step's verdict over `state`, or `None` once the lab is completed.
    pub fn verdict(&self, state: &EngineState, workspace: &Path) -> Option<Verdict> {
        let step = self.current_step()?;
        Some(Check::All(step.check.clone()).eval(&self.facts(state, workspace)))
    }

    /// After a command: the current step passes, or the known mistakes it shows are explained
    /// (each once per step).
    pub fn evaluate(&mut self, state: &EngineState, workspace: &Path, lang: Lang) -> Vec<Feedback> {
        let Some(verdict) = self.verdict(state, workspace) else {
            return Vec::new();
        };
        if verdict.ok {
            return self.pass_step(lang, false);
        }
        let Some(step) = self.current_step() else {
            return Vec::new();
        };
        let facts = self.facts(state, workspace);
        let explained: Vec<(String, String)> = step
            .mistakes
            .iter()
            .filter(|m| !self.shown.contains(&m.id) && m.when.eval(&facts).ok)
            .map(|m| (m.id.clone(), m.explain.get(lang).to_owned()))
            .collect();
        let mut fb = Vec::new();
        for (id, text) in explained {
            self.shown.insert(id);
            fb.push(tutor(Tone::Warning, Msg::Mistake));
            fb.push(Feedback::Lab {
                tone: Tone::Hint,
                text,
            });
        }
        fb
    }

    /// Passes (or, `skipped`, skips) the current step, marking the transcript's last entry, and
    /// shows the next step or the lab's completion and score.
    pub fn pass_step(&mut self, lang: Lang, skipped: bool) -> Vec<Feedback> {
        let Some(step) = self.current_step() else {
            return Vec::new();
        };
        let id = step.id.clone();
        let n = self.progress.current as i64 + 1;
        let title = step.title.get(lang).to_owned();
        let mut fb = Vec::new();
        if skipped {
            self.progress.skipped.push(id.clone());
            if let Some(e) = self.progress.entries.last_mut() {
                e.skipped.push(id);
            }
            fb.push(tutor(Tone::Warning, Msg::StepSkipped { n, title }));
        } else {
            self.progress.passed.push(id.clone());
            if let Some(e) = self.progress.entries.last_mut() {
                e.passed.push(id);
            }
            fb.push(tutor(Tone::Success, Msg::StepPassed { n, title }));
        }
        self.progress.current += 1;
        self.progress.step_start = self.progress.entries.len();
        self.shown.clear();
        if self.completed() {
            fb.push(tutor(
                Tone::Success,
                Msg::LabCompleted {
                    title: self.lab.title.get(lang).to_owned(),
                },
            ));
            fb.push(self.score());
        } else {
            fb.extend(self.show_step(lang));
        }
        fb
    }

    /// The score so far: steps passed, skipped, and their number.
    pub fn score(&self) -> Feedback {
        tutor(
            Tone::Success,
            Msg::Score {
                done: self.progress.passed.len() as i64,
                total: self.lab.steps.len() as i64,
                skipped: self.progress.skipped.len() as i64,
            },
        )
    }

    /// The current step's header and text, or, once completed, that the lab is finished.
    pub fn show_step(&self, lang: Lang) -> Vec<Feedback> {
        let Some(step) = self.current_step() else {
            return vec![tutor(Tone::Info, Msg::LabFinished), self.score()];
        };
        vec![
            tutor(
                Tone::Step,
                Msg::StepHeader {
                    n: self.progress.current as i64 + 1,
                    total: self.lab.steps.len() as i64,
                    title: step.title.get(lang).to_owned(),
                },
            ),
            Feedback::Lab {
                tone: Tone::Plain,
                text: step.text.get(lang).trim_end().to_owned(),
            },
        ]
    }
}
