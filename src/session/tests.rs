//! Session-wide tests: how many times one typed line reads the engine's state.

use super::*;
use crate::engine::NoInput;
use std::cell::Cell;

#[derive(Default)]
struct Counts {
    states: Cell<usize>,
    histories: Cell<usize>,
}

/// The simulator, counting the state and history reads asked of it.
struct Counting {
    inner: SimEngine,
    counts: Rc<Counts>,
}

impl Engine for Counting {
    fn exec(
        &mut self,
        ctx: &ExecContext<'_>,
        io: &mut dyn Interaction,
    ) -> Result<Outcome, EngineError> {
        self.inner.exec(ctx, io)
    }

    fn state(&mut self) -> Result<EngineState, EngineError> {
        self.counts.states.set(self.counts.states.get() + 1);
        self.inner.state()
    }

    fn load_history(&mut self, state: &mut EngineState) -> Result<(), EngineError> {
        self.counts.histories.set(self.counts.histories.get() + 1);
        self.inner.load_history(state)
    }
}

/// A session in the `images` lab whose engine counts its reads.
fn session(home: &Path) -> (Session, Rc<Counts>) {
    let clock = Clock::frozen("2025-10-29T12:00:00Z".parse().expect("a time"));
    let mut session = Session::new(SessionOptions {
        home: home.to_owned(),
        clock,
        lang: Lang::En,
        catalog: Catalog::load(&[]),
        shell: ShellMode::Detached,
        engine: EngineChoice::Sim,
    });
    session.start_lab("images", true);
    let counts = Rc::new(Counts::default());
    session.engine = Box::new(Counting {
        inner: SimEngine::new(progress::run_dir(home, "images").join("store"), clock),
        counts: Rc::clone(&counts),
    });
    session.invalidate();
    (session, counts)
}

/// Runs `line` as the REPL does (the line, then the completion words for the next prompt)
/// and returns (state reads, history loads) it cost.
fn typed(session: &mut Session, counts: &Counts, line: &str) -> (usize, usize) {
    let before = (counts.states.get(), counts.histories.get());
    session.handle(line, &mut NoInput);
    session.completion_data();
    (
        counts.states.get() - before.0,
        counts.histories.get() - before.1,
    )
}

// Before the cache, one Docker line read the state 4 times (before, after, the step's
// checks, the mistakes) and the REPL a fifth for its completion words.
#[test]
fn one_typed_line_reads_the_state_at_most_once() {
    let home = tempfile::tempdir().expect("temp home");
    let (mut session, counts) = session(home.path());
    let c = &*counts;
    // The first line reads the state once; a query changes nothing, so the next line
    // reads nothing at all.
    assert_eq!(typed(&mut session, c, "docker images"), (1, 1));
    assert_eq!(typed(&mut session, c, "docker images"), (0, 0));
    assert_eq!(typed(&mut session, c, "docker image ls -q"), (0, 0));
    // A command that changed the store: one read, its history for the explanations.
    assert_eq!(typed(&mut session, c, "docker pull nginx"), (1, 1));
    // Refused by the daemon: the simulator saved nothing, nothing is read again.
    assert_eq!(typed(&mut session, c, "docker rmi nosuch"), (0, 0));
    assert_eq!(typed(&mut session, c, "docker exec web ls"), (0, 0));
    // The tutor's own commands read the cached state; `check` reads afresh, once.
    assert_eq!(typed(&mut session, c, "hint"), (0, 0));
    assert_eq!(typed(&mut session, c, "layers"), (0, 0));
    assert_eq!(typed(&mut session, c, "check"), (1, 0));
    // A shell line may run anything: the next question reads again.
    assert_eq!(typed(&mut session, c, "true"), (1, 0));
    // Without explanations, no history is needed.
    typed(&mut session, c, "explain off");
    assert_eq!(typed(&mut session, c, "docker tag nginx mine"), (1, 0));
    assert_eq!(typed(&mut session, c, "layers"), (0, 1));
}

/// A lab completed in this session and started again stays as it was (review), and a `reset`
/// answered "n" changes nothing but the transcript, which records it with its answer.
#[test]
fn a_completed_lab_started_again_is_reviewed_and_a_cancelled_reset_is_recorded() {
    let home = tempfile::tempdir().expect("home");
    let clock = Clock::frozen("2025-10-29T12:00:00Z".parse().expect("a time"));
    let mut s = Session::new(SessionOptions {
        home: home.path().to_owned(),
        clock,
        lang: Lang::En,
        catalog: Catalog::load(&[]),
        shell: ShellMode::Detached,
        engine: EngineChoice::Sim,
    });
    s.start_lab("a-vous-de-jouer", false);
    let solution: Vec<String> = s
        .lab()
        .expect("lab")
        .steps
        .iter()
        .flat_map(|st| st.solution.clone())
        .collect();
    for line in &solution {
        s.handle(line, &mut NoInput);
    }
    assert!(s.lab_completed());
    let before = s.progress().cloned().expect("progress");
    let fb = s.start_lab("a-vous-de-jouer", false);
    assert!(fb.iter().any(|f| matches!(
        f,
        Feedback::Tutor {
            msg: Msg::LabReview { .. },
            ..
        }
    )));
    assert_eq!(s.progress(), Some(&before));
    let mut answers: VecDeque<String> = ["n".to_owned()].into();
    let fb = s.handle(
        "reset",
        &mut QueueIo {
            queue: &mut answers,
        },
    );
    assert!(fb.iter().any(|f| matches!(
        f,
        Feedback::Tutor {
            msg: Msg::ResetCancelled,
            ..
        }
    )));
    let p = s.progress().expect("progress");
    assert!(s.lab_completed());
    assert_eq!(p.passed, before.passed);
    let last: Vec<(&str, EntryKind)> = p.entries[before.entries.len()..]
        .iter()
        .map(|e| (e.line.as_str(), e.kind))
        .collect();
    assert_eq!(
        last,
        [("reset", EntryKind::Tutor), ("n", EntryKind::Answer)]
    );
    // A yes keeps the attempt and begins a new one.
    let mut answers: VecDeque<String> = ["oui".to_owned()].into();
    s.handle(
        "reset",
        &mut QueueIo {
            queue: &mut answers,
        },
    );
    assert_eq!(s.progress().map(|p| p.entries.len()), Some(0));
    let kept = progress::attempts(home.path(), "a-vous-de-jouer");
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1.passed, before.passed);
}
