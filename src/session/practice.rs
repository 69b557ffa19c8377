//! `practice [SEED]` (`entrainement`): a generated practice lab (src/lab/generate.rs), its seed
//! from the clock unless given, shown so that an instructor can reproduce it; written to
//! `<home>/practice/practice-SEED.toml` for reading (`docklab lab show FILE`), then started
//! afresh. Every `practice-N` id is known to every catalog, regenerated from its seed; `labs`,
//! `grade` and `report` list the practice labs started in the data directory, after the course.

use crate::feedback::{Feedback, Tone};
use crate::i18n::Msg;
use crate::lab::generate;

use super::Session;

impl Session {
    pub(super) fn practice(&mut self, seed: Option<&str>) -> Vec<Feedback> {
        let seed = match seed {
            None => generate::clock_seed(self.opts.clock.now()),
            Some(s) => match s.parse::<u64>() {
                Ok(n) => n,
                Err(_) => {
                    return vec![self.say(Tone::Hint, &Msg::PracticeUsage { seed: s.to_owned() })]
                }
            },
        };
        let id = generate::lab_id(seed);
        if let Some(fb) = self.refuse_lab_switch(&id) {
            return fb;
        }
        let mut fb = Vec::new();
        let file = self.opts.home.join("practice").join(format!("{id}.toml"));
        self.opts
            .catalog
            .add_practice(seed, crate::lab::Origin::File(file));
        // A replay (`verify`) writes nothing outside its sandbox's workspace.
        if !self.replaying() {
            let dir = self.opts.home.join("practice");
            let path = dir.join(format!("{id}.toml"));
            let written = std::fs::create_dir_all(&dir).and_then(|()| {
                crate::atomic::write(&path, generate::generate(seed).as_bytes(), None)
            });
            fb.push(match written {
                Ok(()) => self.say(
                    Tone::Info,
                    &Msg::PracticeSeed {
                        seed: seed.to_string(),
                        id: id.clone(),
                        path: path.display().to_string(),
                    },
                ),
                Err(e) => self.say(
                    Tone::Warning,
                    &Msg::PracticeNotWritten {
                        seed: seed.to_string(),
                        path: path.display().to_string(),
                        error: e.to_string(),
                    },
                ),
            });
        }
        fb.extend(self.start_lab(&id, true));
        fb
    }
}
