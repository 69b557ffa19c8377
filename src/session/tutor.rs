//! The tutor's own commands: help, labs, hint, check, skip, progress, quit and the rest.

use std::collections::VecDeque;

use crate::command::{self, Command, Tutor};
use crate::engine::Interaction;
use crate::feedback::{CommandRole, Feedback, Tone};
use crate::i18n::{Lang, Msg};
use crate::lab::progress::{self, LabProgress};
use crate::transcript::Entry;

use super::{lab_text, tutor, QueueIo, Session};

impl Session {
    pub(super) fn tutor(
        &mut self,
        t: Tutor,
        io: &mut dyn Interaction,
        entry: &mut Entry,
    ) -> Vec<Feedback> {
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
                // Recorded by `reset` itself, and only when cancelled (with its answer).
                let line = std::mem::take(&mut entry.line);
                self.reset(&line, entry.step.clone(), io)
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
            Tutor::Goal => self.goal_picture(),
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
            Tutor::Practice(seed) => {
                entry.line.clear();
                self.practice(seed.as_deref())
            }
            Tutor::Quit => {
                entry.line.clear();
                vec![self.say(Tone::Info, &Msg::Bye), Feedback::Quit]
            }
        }
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

impl Session {
    /// The picture of the store's layers, whole or around one image.
    pub fn layers_picture(&mut self, image: Option<&str>) -> Vec<Feedback> {
        // A store that cannot be read is said so, not drawn as an empty one.
        let state = match self.state_with_history() {
            Ok(s) => s,
            Err(e) => return vec![Feedback::Engine(e)],
        };
        match crate::layers::picture::request(&state, image) {
            Ok(picture) => vec![Feedback::Layers(picture)],
            Err(image) => vec![self.say(Tone::Warning, &Msg::LayersNoImage { image })],
        }
    }

    /// The goal of the current step, derived from its checks, beside the store now.
    pub fn goal_picture(&mut self) -> Vec<Feedback> {
        let Some(r) = &self.run else {
            return vec![self.say(Tone::Hint, &Msg::NoLabStarted)];
        };
        let Some(step) = r.lab.steps.get(r.progress.current) else {
            return vec![self.say(Tone::Info, &Msg::LabFinished)];
        };
        let n = r.progress.current + 1;
        let total = r.lab.steps.len();
        let title = step.title.get(self.lang).to_owned();
        let goal = crate::layers::goal::Goal::derive(&step.check);
        if !goal.describes_images() {
            return vec![self.say(Tone::Info, &Msg::GoalNoImages { n: n as i64 })];
        }
        let state = match self.state() {
            Ok(s) => s,
            Err(e) => return vec![Feedback::Engine(e)],
        };
        vec![Feedback::Goal(crate::feedback::GoalPicture {
            n,
            total,
            title,
            goal,
            state: (*state).clone(),
        })]
    }
}
