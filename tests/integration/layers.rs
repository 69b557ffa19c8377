//! Snapshots of the layer picture for the seed lab's states, plain and in colour, in both
//! languages, on the simulated engine with a frozen clock. `DOCKLAB_UPDATE_SNAPSHOTS=1` rewrites
//! the files in tests/snapshots/layers/ (review the diff before committing).

use docklab::engine::sim::SimEngine;
use docklab::engine::{Clock, Engine, ExecContext, NoInput};
use docklab::i18n::Lang;

fn snapshot(name: &str, actual: &str) {
    crate::support::snapshot("layers", name, actual);
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

/// The parts of a piped session's output that answer `word` (from its echoed prompt to the
/// next prompt).
fn answers_to(stdout: &str, word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in stdout.lines() {
        let prompt = line.starts_with('[') && line.contains("] ~ $ ");
        if prompt {
            out.extend(current.take());
            if line.ends_with(&format!("~ $ {word}")) {
                current = Some(String::new());
            }
        } else if let Some(c) = current.as_mut() {
            c.push_str(line);
            c.push('\n');
        }
    }
    out.extend(current);
    out
}

/// `goal` (`objectif`) in the seed lab's tagging step, before and after the student's `docker
/// tag`, in both languages: the tag the step asks for appears on the goal's side, unmet, then
/// met beside the image now; a step whose checks are about commands says it has no picture.
#[test]
fn the_goal_picture_follows_the_students_progress() {
    for (lang, word) in [("en", "goal"), ("fr", "objectif")] {
        let home = tempfile::tempdir().expect("temp home");
        let mut input = format!("{word}\ndocker pull nginx\n{word}\n");
        input.push_str(&"skip\n".repeat(4));
        input.push_str(&format!(
            "{word}\ndocker tag nginx:latest nginx:monblog_prod\n{word}\n"
        ));
        let out = assert_cmd::Command::cargo_bin("docklab")
            .expect("the docklab binary is built")
            .env("DOCKLAB_HOME", home.path())
            .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .env_remove("DOCKLAB_LABS")
            .args(["--lab", "images", "--lang", lang])
            .write_stdin(input)
            .output()
            .expect("docklab runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let answers = answers_to(&stdout, word);
        assert_eq!(answers.len(), 4, "{stdout}");
        for a in &answers {
            for line in a.lines().filter(|l| l.starts_with("  ")) {
                assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
            }
        }
        // Step 2 only asks for a command: no picture, said plainly.
        assert!(!answers[1].contains("<-"), "{}", answers[1]);
        snapshot(&format!("goal-pull.{lang}.txt"), &answers[0]);
        snapshot(&format!("goal-no-images.{lang}.txt"), &answers[1]);
        snapshot(&format!("goal-tag-before.{lang}.txt"), &answers[2]);
        snapshot(&format!("goal-tag-after.{lang}.txt"), &answers[3]);
        assert!(answers[2].contains("nginx:latest, nginx:monblog_prod  "));
        assert!(answers[2].contains("--\n"), "{}", answers[2]);
        assert!(answers[3].contains("nginx:latest, nginx:monblog_prod"));
    }
}

/// `goal` in a step about containers and a removal: the tag to remove is marked beside its image,
/// the containers the step's checks speak of are listed with their state, in both languages.
#[test]
fn the_goal_picture_lists_containers_and_removals() {
    for (lang, word) in [("en", "goal"), ("fr", "objectif")] {
        let home = tempfile::tempdir().expect("temp home");
        let out = assert_cmd::Command::cargo_bin("docklab")
            .expect("the docklab binary is built")
            .env("DOCKLAB_HOME", home.path())
            .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .env_remove("DOCKLAB_LABS")
            .args(["--lab", "conteneurs", "--lang", lang])
            .write_stdin(format!("skip\nskip\n{word}\n"))
            .output()
            .expect("docklab runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let answers = answers_to(&stdout, word);
        assert_eq!(answers.len(), 1, "{stdout}");
        // The stopped container's name and ID are the engine's: the picture shows its name.
        snapshot(&format!("goal-containers.{lang}.txt"), &answers[0]);
        assert!(answers[0].contains("x  alpine:latest"), "{}", answers[0]);
        assert!(answers[0].contains("once ("), "{}", answers[0]);
    }
}
