//! Lab runs: starting, resuming and resetting a lab, saving its progress, evaluating the
//! current step after each command and passing it.

use std::collections::BTreeSet;
use std::rc::Rc;

use crate::engine::{EngineState, ExecContext, NoInput};
use crate::feedback::{Feedback, Tone};
use crate::i18n::Msg;
use crate::lab::check::{Facts, Verdict};
use crate::lab::progress::{self, LabProgress};
use crate::lab::Check;

use super::{lab_text, tutor, EngineChoice, ReplayFailure, Run, Session};

impl Session {
    /// Saves the current lab's progress. A failure never stops the session (the progress stays
    /// in memory and the next line tries again) and is never silent: the student is told where
    /// and why, once per kind of failure, and told again when saving works again.
    pub(super) fn save(&mut self) -> Option<Feedback> {
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

    fn facts_state(&mut self) -> Rc<EngineState> {
        self.state().unwrap_or_default()
    }

    /// The current step's verdict, or `None` without a current step.
    pub(super) fn step_verdict(&mut self) -> Option<Verdict> {
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
    pub(super) fn evaluate(&mut self, fb: &mut Vec<Feedback>) {
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

    pub(super) fn pass_step(&mut self, fb: &mut Vec<Feedback>, skipped: bool) {
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

    pub(super) fn score(&self) -> Feedback {
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

    pub(super) fn show_step(&self) -> Vec<Feedback> {
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
            self.prepare_start(&lab, &mut fb);
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

    /// In a replay, a `start` of another lab than the one being replayed: a section is bound to
    /// its lab, so the replay stops there (and `verify` rejects the section).
    pub(super) fn refuse_lab_switch(&mut self, id: &str) -> Option<Vec<Feedback>> {
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
}
