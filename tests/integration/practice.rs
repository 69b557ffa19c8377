//! Generated practice through the binary: `lab generate` is deterministic per seed, its labs
//! lint and test clean over a range of seeds, a generated lab completes from piped input in
//! French and English, and the shell's `practice` (`entraînement`) starts one whose report
//! verifies.

use docklab::lab::generate::generate;
use docklab::lab::Lab;

use crate::support::{docklab_at as docklab, solution_lines};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn solution(seed: u64) -> String {
    solution_lines(&Lab::parse("generated.toml", &generate(seed)).expect("a generated lab parses"))
}

#[test]
fn the_same_seed_writes_the_same_file() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = home.path();
    for name in ["a.toml", "b.toml"] {
        let out = docklab(dir)
            .args(["lab", "generate", "--seed", "7", "-o"])
            .arg(dir.join(name))
            .args(["--lang", "en"])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{}", stdout(&out));
        assert!(stdout(&out).contains("practice-7"), "{}", stdout(&out));
    }
    let a = std::fs::read(dir.join("a.toml")).expect("a.toml");
    let b = std::fs::read(dir.join("b.toml")).expect("b.toml");
    assert_eq!(a, b);
    // Without -o, the same text on standard output; another seed, another lab.
    let out = docklab(dir)
        .args(["lab", "generate", "--seed", "7"])
        .output()
        .expect("runs");
    assert_eq!(out.stdout, a);
    let other = docklab(dir)
        .args(["lab", "generate", "--seed", "8"])
        .output()
        .expect("runs");
    assert_ne!(other.stdout, a);
    // A seed that is not a number is refused by the command line.
    docklab(dir)
        .args(["lab", "generate", "--seed", "-1"])
        .assert()
        .failure();
}

#[test]
fn generated_labs_lint_and_test_clean_over_fifty_seeds() {
    let home = tempfile::tempdir().expect("temp dir");
    let labs = home.path().join("generated");
    std::fs::create_dir(&labs).expect("dir");
    let mut texts = std::collections::BTreeSet::new();
    for seed in 100..150 {
        let text = generate(seed);
        std::fs::write(labs.join(format!("p{seed}.toml")), &text).expect("write");
        texts.insert(text);
    }
    assert_eq!(texts.len(), 50, "fifty seeds, fifty different labs");
    let out = docklab(home.path())
        .args(["lab", "lint", "--lang", "en"])
        .arg(&labs)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("50 lab files checked: no problem."),
        "{}",
        stdout(&out)
    );
    let out = docklab(home.path())
        .args(["lab", "test", "--lang", "en"])
        .arg(&labs)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("50 labs tested: all solvable."),
        "{}",
        stdout(&out)
    );
}

/// Seeds drawing each of the five goals (the unit tests check that each is drawn).
fn seeds_of_every_goal() -> Vec<u64> {
    let mut seen = std::collections::BTreeMap::new();
    for seed in 0..100 {
        let lab = Lab::parse("g.toml", &generate(seed)).expect("parses");
        let goal = lab.steps[0]
            .check
            .iter()
            .map(|c| format!("{c:?}").chars().take(12).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        seen.entry(lab.steps[0].mistakes[0].id.clone())
            .or_insert((seed, goal));
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    seen.values().map(|(s, _)| *s).collect()
}

#[test]
fn a_generated_lab_completes_from_piped_input_in_french_and_english() {
    for seed in seeds_of_every_goal() {
        for (lang, done) in [("fr", "Atelier terminé"), ("en", "Lab completed")] {
            let home = tempfile::tempdir().expect("temp dir");
            let out = docklab(home.path())
                .args(["--lab", &format!("practice-{seed}"), "--lang", lang])
                .write_stdin(solution(seed))
                .output()
                .expect("runs");
            let text = stdout(&out);
            assert!(out.status.success(), "seed {seed} {lang}:\n{text}");
            assert!(text.contains(done), "seed {seed} {lang}:\n{text}");
        }
    }
}

#[test]
fn practice_in_the_shell_starts_a_lab_whose_report_verifies() {
    let home = tempfile::tempdir().expect("temp dir");
    // The frozen clock's second, modulo a million, is the seed.
    let seed = 1_761_739_200 % 1_000_000;
    let out = docklab(home.path())
        .args(["--lang", "en"])
        .write_stdin(format!("practice\n{}labs\n", solution(seed)))
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "Practice practice-{seed}, seed {seed}: an instructor gets the same lab with docklab lab generate --seed {seed}"
        )),
        "{text}"
    );
    assert!(text.contains("Lab completed"), "{text}");
    // Listed at once in the session, done.
    assert!(
        text.contains(&format!("  practice-{seed} — Practice #{seed} (1/1 step)")),
        "{text}"
    );
    let written = home
        .path()
        .join("practice")
        .join(format!("practice-{seed}.toml"));
    assert_eq!(
        std::fs::read_to_string(&written).expect("the practice file"),
        generate(seed)
    );
    // Once started, listed after the course's labs, with its file.
    let labs = docklab(home.path())
        .args(["labs", "--lang", "en"])
        .output()
        .expect("runs");
    assert!(
        stdout(&labs).contains(&format!("practice-{seed} — Practice #{seed} (1 step)")),
        "{}",
        stdout(&labs)
    );
    // The report verifies: the verifier regenerates the lab from its id.
    let report = home.path().join("report.json");
    docklab(home.path())
        .args(["report", "-o"])
        .arg(&report)
        .assert()
        .success();
    let out = docklab(home.path())
        .arg("verify")
        .arg(&report)
        .args(["--lang", "en"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("confirms"), "{}", stdout(&out));
}

#[test]
fn entrainement_with_a_seed_in_french() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lang", "fr"])
        .write_stdin(format!("entraînement 42\n{}", solution(42)))
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Entraînement practice-42, graine 42\u{202f}: un enseignant obtient le même atelier avec docklab lab generate --seed 42"),
        "{text}"
    );
    assert!(text.contains("Atelier terminé"), "{text}");
    let out = docklab(home.path())
        .args(["--lang", "fr"])
        .write_stdin("entrainement douze\n")
        .output()
        .expect("runs");
    assert!(
        stdout(&out).contains("«\u{202f}douze\u{202f}» n'est pas une graine"),
        "{}",
        stdout(&out)
    );
}
