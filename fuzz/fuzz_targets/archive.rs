//! `docker load` input: any bytes are loaded or refused with a message, never a panic; a refused
//! archive leaves the store as it was (here: empty, no blob, no image) and an accepted one leaves
//! it consistent (`store fsck`).
#![no_main]
use std::path::PathBuf;
use std::sync::OnceLock;

use docklab::engine::sim::SimEngine;
use docklab::engine::{Clock, Engine, NoInput};
use libfuzzer_sys::fuzz_target;

/// A scratch directory for this fuzzing process: the archive file and the store.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("docklab-fuzz-archive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let input = dir.join("in.tar");
    std::fs::write(&input, data).expect("write the archive");
    let store = dir.join("store");
    let mut engine = SimEngine::new(
        store.clone(),
        Clock::frozen("2025-10-29T12:00:00Z".parse().expect("a time")),
    );
    let args: Vec<String> = ["load", "-i", input.to_str().expect("UTF-8 temp dir")]
        .map(str::to_owned)
        .to_vec();
    let out = engine.exec(&args, &mut NoInput).expect("the store works");
    if out.exit_code == 0 {
        // What was accepted left a consistent store: every blob the state names is there and
        // hashes to its name, every config reads back.
        let report = docklab::store::Store::open(&store, std::time::Duration::from_secs(1))
            .and_then(|s| s.fsck())
            .expect("fsck runs");
        assert!(
            report.is_clean(),
            "an accepted archive broke the store: {report:?}"
        );
        // Start the next input from an empty store again.
        let _ = std::fs::remove_dir_all(&store);
        return;
    }
    assert!(
        out.stderr.starts_with("docklab refused the archive: ")
            || out
                .stderr
                .starts_with("Error response from daemon: docklab refused the archive: "),
        "unclear refusal: {}",
        out.stderr
    );
    let blobs = std::fs::read_dir(store.join("blobs/sha256"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(blobs, 0, "a refused archive left blobs behind");
    let state = engine.state().expect("the state reads");
    assert!(state.images.is_empty(), "a refused archive left an image");
});
