//! The session's side of a lab run ([`LabRun`], in `lab::run`): opening a lab's workspace and
//! engine when it starts, and handing the run the engine state and working directory it needs
//! to save, evaluate and pass its steps.

use std::rc::Rc;

use crate::engine::{EngineState, ExecContext, Interaction};
use crate::feedback::{Feedback, Tone};
use crate::i18n::Msg;
use crate::lab::check::Verdict;
use crate::lab::progress;
use crate::lab::run::{LabRun, Opening};

use crate::transcript::{Entry, EntryKind};

use super::{lab_text, EngineChoice, ReplayFailure, Session};

/// A yes to the tutor's own questions, in either language (Docker's prompts take only `y`).
fn is_yes(answer: &str) -> bool {
    matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "o" | "oui"
    )
}

/// The files under `dir` (symbolic links not followed), for what `reset` would remove.
fn count_files(dir: &std::path::Path) -> usize {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(_) => n += 1,
                Err(_) => {}
            }
        }
    }
    n
}

impl Session {
    /// Saves the current lab's progress (see [`LabRun::save`]).
    pub(super) fn save(&mut self) -> Option<Feedback> {
        let cwd = self
            .cwd
            .strip_prefix(&self.workspace)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let home = self.opts.home.clone();
        self.run.as_mut()?.save(&home, cwd)
    }

    fn facts_state(&mut self) -> Rc<EngineState> {
        self.state().unwrap_or_default()
    }

    /// The current step's verdict, or `None` without a current step.
    pub(super) fn step_verdict(&mut self) -> Option<Verdict> {
        let state = self.facts_state();
        self.run.as_ref()?.verdict(&state, &self.workspace)
    }

    /// The current step's checks, evaluated without passing the step (`lab test`): whether they
    /// all hold and, when they do not, what is missing.
    pub fn probe_step(&mut self) -> Option<Verdict> {
        self.step_verdict()
    }

    /// After a command: the step passes, or a known mistake is explained.
    pub(super) fn evaluate(&mut self, fb: &mut Vec<Feedback>) {
        if self.run.is_none() {
            return;
        }
        // One read of the engine's state for the step's checks and its mistakes.
        let state = self.facts_state();
        let lang = self.lang;
        if let Some(r) = self.run.as_mut() {
            fb.extend(r.evaluate(&state, &self.workspace, lang));
        }
    }

    pub(super) fn pass_step(&mut self, fb: &mut Vec<Feedback>, skipped: bool) {
        let lang = self.lang;
        if let Some(r) = self.run.as_mut() {
            fb.extend(r.pass_step(lang, skipped));
        }
    }

    pub(super) fn score(&self) -> Feedback {
        match &self.run {
            Some(r) => r.score(),
            None => self.say(Tone::Info, &Msg::NoLabStarted),
        }
    }

    pub(super) fn show_step(&self) -> Vec<Feedback> {
        match &self.run {
            Some(r) => r.show_step(self.lang),
            None => vec![self.say(Tone::Hint, &Msg::NoLabStarted)],
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
        let mut fb: Vec<Feedback> = self.save().into_iter().collect();
        let home = self.opts.home.clone();
        let dir = progress::run_dir(&home, &lab.id);
        let opened = LabRun::open(&home, lab, fresh, self.run.as_mut());
        fb.extend(opened.feedback);
        // A lab another shell holds is left alone, and this session stays where it was.
        let Some((run, opening)) = opened.run else {
            return fb;
        };
        let resumed = opening != Opening::Fresh;
        let lab = &run.lab;
        let progress = &run.progress;
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
                self.run_start_command(&ExecContext::new(&args), reference, &mut fb);
            }
            self.prepare_start(lab, &mut fb);
        }
        let steps = lab.steps.len() as i64;
        let title = lab.title.get(self.lang).to_owned();
        match opening {
            Opening::Resumed => fb.push(self.say(
                Tone::Info,
                &Msg::LabResumed {
                    id: lab.id.clone(),
                    title,
                    step: progress.current as i64 + 1,
                    steps,
                },
            )),
            Opening::Review => fb.push(self.say(
                Tone::Info,
                &Msg::LabReview {
                    id: lab.id.clone(),
                    title,
                },
            )),
            Opening::Fresh => {
                fb.push(self.say(
                    Tone::Info,
                    &Msg::LabStarted {
                        id: lab.id.clone(),
                        title,
                        steps,
                    },
                ));
                let n = progress::next_attempt(&home, &lab.id);
                if n > 1 {
                    fb.push(self.say(Tone::Info, &Msg::AttemptStarted { n: i64::from(n) }));
                }
                fb.push(lab_text(
                    Tone::Plain,
                    lab.intro.get(self.lang).trim_end().to_owned(),
                ));
            }
        }
        self.run = Some(run);
        fb.extend(self.show_step());
        fb.extend(self.save());
        fb
    }

    /// `reset`: says what starting over removes (the workspace's files, the lab's images and
    /// containers, the progress) and that the transcript is kept, then asks. After a yes (`y`,
    /// `yes`, `o`, `oui`), the current attempt is kept for the report (`progress::archive_attempt`),
    /// what the lab made on a real engine is removed, and a new attempt begins; anything else
    /// (or no answer) cancels, and the cancelled `reset` is recorded with its answer so that a
    /// replay reads the same answer. A confirmed reset ends the attempt before it: it is in no
    /// transcript.
    pub(super) fn reset(
        &mut self,
        line: &str,
        step: Option<String>,
        io: &mut dyn Interaction,
    ) -> Vec<Feedback> {
        let Some(r) = self.run.as_ref() else {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        };
        let id = r.lab.id.clone();
        let done = (r.progress.passed.len() + r.progress.skipped.len()) as i64;
        let total = r.lab.steps.len() as i64;
        let completed = r.completed();
        let keep = !r.progress.entries.is_empty();
        let home = self.opts.home.clone();
        // The plan is part of the question, so that it is read before the answer.
        let mut question = vec![self.t(&Msg::ResetPlan {
            id: id.clone(),
            files: count_files(&self.workspace) as i64,
            done,
            total,
        })];
        let real_plan = if matches!(self.opts.engine, EngineChoice::Real(_)) {
            let plan = self.real_cleanup_plan(&id);
            match &plan {
                None => question.push(self.t(&Msg::ResetRealUnknown)),
                Some(p) if p.is_empty() => {}
                Some(p) => {
                    question.push(self.t(&Msg::ResetRealPlan {
                        count: p.len() as i64,
                    }));
                    question.extend(
                        p.iter()
                            .map(|c| format!("  docker {}", c.docker_args().join(" "))),
                    );
                }
            }
            plan
        } else {
            let state = self.state().unwrap_or_default();
            question.push(self.t(&Msg::ResetPlanStore {
                images: state.images.len() as i64,
                containers: state.containers.len() as i64,
            }));
            None
        };
        if keep {
            question.push(self.t(&Msg::ResetKeeps {
                n: i64::from(progress::next_attempt(&home, &id)),
                completed: if completed { "yes" } else { "no" }.to_owned(),
            }));
        }
        // Tutor text, wrapped as every other (the commands of the real plan are indented, and
        // copied as typed: never wrapped).
        if let Some(w) = crate::ui::wrap_width() {
            for q in &mut question {
                if !q.starts_with("  docker ") {
                    *q = crate::ui::wrap(q, w);
                }
            }
        }
        question.push(format!("{} ", self.t(&Msg::ResetConfirm)));
        let answer = io.read_line(&question.join("\n"));
        let yes = answer.as_deref().is_some_and(is_yes);
        if !yes {
            let mut entry = Entry::new(line, EntryKind::Tutor);
            entry.step.clone_from(&step);
            self.record(entry);
            if let Some(a) = answer {
                let mut a = Entry::new(a.trim_end_matches(['\n', '\r']), EntryKind::Answer);
                a.step = step;
                self.record(a);
            }
            return vec![self.say(Tone::Info, &Msg::ResetCancelled)];
        }
        let mut fb = Vec::new();
        if keep {
            let kept = self
                .run
                .as_ref()
                .map(|r| progress::archive_attempt(&home, &r.progress));
            if let Some(Err(e)) = kept {
                fb.push(self.say(
                    Tone::Error,
                    &Msg::ResetNotKept {
                        error: crate::atomic::io_reason(&e),
                    },
                ));
                return fb;
            }
        }
        if let Some(p) = real_plan {
            fb.extend(self.apply_cleanup(&p));
        }
        fb.push(self.say(Tone::Info, &Msg::ResetDone { id: id.clone() }));
        fb.extend(self.start_lab(&id, true));
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
