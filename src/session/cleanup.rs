//! Real-engine clean-up: what a lab created on the one real daemon, offered for removal on
//! `reset` (the simulator gives each lab its own store instead).

use crate::engine::{EngineState, ExecContext, Interaction, NoInput};
use crate::feedback::{CommandRole, Feedback, Tone};
use crate::i18n::Msg;
use crate::lab::progress;

use super::{EngineChoice, Session};

impl Session {
    /// On a real engine, `reset` first offers to remove what the lab created (containers, images,
    /// tags that appeared since the lab started), after the student's yes; nothing else is ever
    /// removed. On the simulator each lab has its own store, started afresh.
    pub(super) fn clean_real_engine(
        &mut self,
        lab: &str,
        io: &mut dyn Interaction,
    ) -> Vec<Feedback> {
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
        // Read afresh: the plan removes what exists now, whatever the cache last saw.
        self.invalidate();
        let now = self.state().ok()?;
        Some(crate::engine::real::cleanup_plan(&baseline, &now))
    }

    /// Carries out a clean-up plan on the engine (the caller has the person's consent). An image
    /// that cannot go yet because a child the plan also removes still holds it (the API lists
    /// images in no particular order) is tried again after the others, while that makes progress.
    pub fn apply_cleanup(&mut self, plan: &[crate::engine::real::Cleanup]) -> Vec<Feedback> {
        let mut fb = Vec::new();
        let mut pending: Vec<&crate::engine::real::Cleanup> = plan.iter().collect();
        loop {
            let mut retry = Vec::new();
            let mut last = Vec::new();
            for step in &pending {
                let args = step.docker_args();
                let result = self.engine.exec(&ExecContext::new(&args), &mut NoInput);
                self.after_exec(&result);
                match result {
                    Ok(o)
                        if o.exit_code != 0
                            && matches!(step, crate::engine::real::Cleanup::RemoveImage { .. }) =>
                    {
                        retry.push(*step);
                        last.push(Feedback::Docker(o));
                    }
                    Ok(o) if o.shown => {}
                    Ok(o) => fb.push(Feedback::Docker(o)),
                    Err(e) => fb.push(Feedback::Engine(e)),
                }
            }
            if retry.is_empty() || retry.len() == pending.len() {
                fb.extend(last);
                return fb;
            }
            pending = retry;
        }
    }
}
