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
