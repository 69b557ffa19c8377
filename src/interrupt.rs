//! Ctrl-C while a command runs, as bash takes it: the terminal sends SIGINT to the whole
//! foreground process group, so the running program (`sleep`, `cat > f`, the real `docker`) stops,
//! and docklab, which only notes the signal, stays and shows its prompt again. The simulated
//! engine looks at the note before it saves a command's result: an interrupted `pull` or `build`
//! is dropped whole, and the store keeps its state from before (see `SimEngine::with_ctx`).
//!
//! At the prompt, rustyline reads Ctrl-C as a key (the terminal is in raw mode then): no signal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// From now on, SIGINT sets a flag instead of ending docklab. A handler, not `SIG_IGN`: the
/// programs docklab starts get SIGINT's default action back when they `exec`, so Ctrl-C still
/// stops them.
pub fn install() -> std::io::Result<()> {
    signal_hook::flag::register(signal_hook::consts::SIGINT, flag()).map(|_| ())
}

/// The flag SIGINT sets once [`install`]ed (the simulated engine looks at it).
pub fn flag() -> Arc<AtomicBool> {
    Arc::clone(FLAG.get_or_init(|| Arc::new(AtomicBool::new(false))))
}

/// Whether Ctrl-C was pressed since the last [`clear`].
pub fn pending() -> bool {
    FLAG.get().is_some_and(|f| f.load(Ordering::SeqCst))
}

/// Forgets an earlier Ctrl-C (before a new command starts).
pub fn clear() {
    if let Some(f) = FLAG.get() {
        f.store(false, Ordering::SeqCst);
    }
}

/// An interruption, as an I/O error the store and the engine carry.
pub fn error() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted (Ctrl-C)")
}

/// Whether `e` is a Ctrl-C interruption.
pub fn is_interruption(e: &crate::engine::EngineError) -> bool {
    matches!(
        e,
        crate::engine::EngineError::Store(crate::store::StoreError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::Interrupted
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interruption_is_recognised() {
        let e = crate::engine::EngineError::Store(crate::store::StoreError::Io {
            path: "store".into(),
            source: error(),
        });
        assert!(is_interruption(&e));
        assert!(!is_interruption(
            &crate::engine::EngineError::NotSimulated {
                command: "exec".to_owned()
            }
        ));
    }
}
