//! Snapshots of the layer picture for the seed lab's states, plain and in colour, in both
//! languages, on the simulated engine with a frozen clock. `DOCKLAB_UPDATE_SNAPSHOTS=1` rewrites
//! the files in tests/snapshots/layers/ (review the diff before committing).

use std::path::{Path, PathBuf};

use docklab::engine::sim::SimEngine;
use docklab::engine::{Clock, Engine, ExecContext, NoInput};
use docklab::i18n::Lang;

fn snapshot(name: &str, actual: &str) {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/layers")
        .join(name);
    if std::env::var_os("DOCKLAB_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with DOCKLAB_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    pretty_assertions::assert_eq!(expected, actual, "snapshot {name}");
}

fn run(engine: &mut SimEngine, line: &str) {
    let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let out = engine
        .exec(&ExecContext::new(&args), &mut NoInput)
        .expect("engine runs");
    assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
}

#[test]
fn seed_lab_states_are_drawn_legibly() {
    let home = tempfile::tempdir().expect("temp home");
    let clock = Clock::frozen("2025-10-29T12:00:00Z".parse().expect("time"));
    let mut engine = SimEngine::new(home.path().join("store"), clock);
    let steps: &[(&str, &[&str])] = &[
        ("1-pulled", &["pull nginx", "pull debian:trixie-slim"]),
        (
            "2-tagged",
            &[
                "tag nginx:latest nginx:monblog_prod",
                "run -d --name web memcached",
            ],
        ),
        ("3-alias-removed", &["rmi nginx:monblog_prod"]),
        ("4-original-removed", &["rmi nginx:latest"]),
    ];
    for (name, commands) in steps {
        for c in *commands {
            run(&mut engine, c);
        }
        let state = engine.state().expect("state");
        for lang in [Lang::En, Lang::Fr] {
            let (plain, rich) = docklab::ui::picture(lang, &state, None);
            for line in plain.lines() {
                assert!(
                    line.chars().count() <= 80,
                    "{name}: wider than 80 columns: {line}"
                );
                assert!(
                    line.is_ascii() || lang == Lang::Fr,
                    "{name}: plain must be ASCII: {line}"
                );
            }
            snapshot(&format!("{name}.{lang}.txt"), &plain);
            snapshot(&format!("{name}.{lang}.ansi"), &rich);
        }
    }
}
