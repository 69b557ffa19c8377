//! Real-engine clean-up: what a lab created on the one real daemon, removed on a confirmed
//! `reset` (the simulator gives each lab its own store instead).

use crate::engine::{EngineState, ExecContext, NoInput};
use crate::feedback::Feedback;
use crate::lab::progress;

use super::{EngineChoice, Session};

impl Session {
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
