//! The instructor's toolkit through the binary: `lab lint` on one-defect files (exact message
//! and position, in English and French), JSON diagnostics, `lab test` (solvable, vacuous and
//! unsolvable labs, the real engine's `--yes`), `lab new`, `labs` and the authoring guide's
//! examples (labs/README.md), linted and tested.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pretty_assertions::assert_eq;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn docklab(home: &Path) -> Command {
    let mut c = Command::cargo_bin("docklab").expect("the docklab binary is built");
    c.current_dir(root())
        .env("DOCKLAB_HOME", home)
        .env("NO_COLOR", "1")
        .env_remove("DOCKLAB_CLOCK")
        .env_remove("DOCKLAB_LABS")
        .env_remove("DOCKLAB_ENGINE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C");
    c
}

struct Out {
    code: i32,
    stdout: String,
}

fn run(args: &[&str]) -> Out {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(args)
        .output()
        .expect("docklab runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr),
    }
}

/// Each broken file has one defect: (file, line, column, message in English).
const BROKEN: &[(&str, usize, usize, &str)] = &[
    ("syntax", 13, 1, "TOML syntax error: missing comma between key-value pairs, expected `,`"),
    ("unknown-key", 14, 1, "Unknown key `hint` in step[0]. Did you mean `hints`? Expected one of: `id`, `title`, `text`, `hints`, `solution`, `check`, `mistake`, `forbid`."),
    ("unknown-check", 16, 12, "Unknown check kind `image_presnt`. Did you mean `image_present`? Expected one of: `image_present`, `image_absent`, `same_image`, `image_count`, `layer_count`, `shared_layers`, `image_config`, `base_image`, `container_running`, `container_exists`, `file_exists`, `file_contains`, `command_ran`, `build_cache_empty`, `all`, `any`, `not`."),
    ("missing-en", 14, 10, "step[0].hints[0].en: the English text is missing."),
    ("invalid-reference", 23, 35, "Invalid image reference “Nginx:v1”: invalid reference format: repository name (library/Nginx) must be lowercase"),
    ("duplicate-step-id", 19, 6, "The step id “pull” is already used (line 11); step ids must be unique."),
    ("solution-does-not-parse", 15, 13, "The solution line “docker pull --quiet=maybe nginx” is refused by Docker: invalid argument \"maybe\" for \"-q, --quiet\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax"),
    ("unknown-docker-command", 22, 13, "The solution line “docker tga nginx nginx:v1” is refused by Docker: docker: unknown command: docker tga"),
    ("tutor-in-solution", 15, 34, "“check” is a tutor command; a solution holds only what a student types to solve the step (Docker and shell commands, answers to Docker's questions)."),
    ("not-in-catalog", 8, 21, "The offline catalog has no image nginxx:latest, so the start state cannot be prepared. Did you mean `nginx`?"),
    ("catalog-tag", 8, 11, "The offline catalog has no image alpine:0.1, so the start state cannot be prepared. Its tags for alpine: latest, 3, 3.22, 3.22.2."),
    ("format-version", 2, 18, "format_version 2 is not supported: this docklab reads version 1."),
    ("forbid-pattern", 25, 11, "The command pattern “docker rmi --forse” is not a Docker command docklab knows: unknown flag: --forse"),
    ("mistake-reference", 26, 25, "Invalid image reference “nginx:”: invalid reference format"),
    ("wrong-type", 14, 9, "step[0].hints must be an array, not a string."),
    ("bad-status", 16, 62, "Unknown value “succes” for step[0].check[0].command_ran.status. Did you mean `success`? Expected one of: `success`, `failure`, `any`."),
];

/// A few in French: (file, message).
const BROKEN_FR: &[(&str, &str)] = &[
    ("unknown-key", "Clé inconnue `hint` dans step[0]. Vouliez-vous dire `hints` ? Valeurs possibles : `id`, `title`, `text`, `hints`, `solution`, `check`, `mistake`, `forbid`."),
    ("missing-en", "step[0].hints[0].en : le texte anglais manque."),
    ("duplicate-step-id", "L'identifiant d'étape « pull » est déjà utilisé (ligne 11) ; chaque étape doit avoir le sien."),
    ("not-in-catalog", "Le catalogue hors ligne n'a pas d'image nginxx:latest : l'état de départ ne peut pas être préparé. Vouliez-vous dire `nginx` ?"),
];

#[test]
fn each_broken_lab_gets_its_one_message_at_its_position() {
    let dir = root().join("tests/labs/broken");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/labs/broken")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_owned))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = BROKEN.iter().map(|b| b.0.to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every broken file is in the table");
    for (name, line, column, message) in BROKEN {
        let file = format!("tests/labs/broken/{name}.toml");
        let out = run(&["lab", "lint", &file, "--lang", "en"]);
        assert_eq!(out.code, 1, "{name}: {}", out.stdout);
        assert_eq!(
            out.stdout,
            format!("{file}:{line}:{column}: error: {message}\n1 lab file checked: 1 error.\n"),
        );
        // Whatever the linter refuses, the loader refuses too (or it is a semantic check
        // the loader leaves to the linter).
    }
    for (name, message) in BROKEN_FR {
        let file = format!("tests/labs/broken/{name}.toml");
        let out = run(&["lab", "lint", &file, "--lang", "fr"]);
        let (line, column) = BROKEN
            .iter()
            .find(|b| b.0 == *name)
            .map(|b| (b.1, b.2))
            .expect("in the table");
        assert_eq!(
            out.stdout,
            format!("{file}:{line}:{column}: erreur: {message}\n1 fichier d'atelier vérifié : 1 erreur.\n"),
        );
    }
}

#[test]
fn json_diagnostics_for_editors() {
    let out = run(&[
        "lab",
        "lint",
        "--format",
        "json",
        "tests/labs/broken/unknown-check.toml",
        "tests/labs/broken/wrong-type.toml",
        "tests/labs/ok",
    ]);
    assert_eq!(out.code, 1);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(
        lines[1],
        serde_json::json!({
            "file": "tests/labs/broken/wrong-type.toml",
            "line": 14, "column": 9, "end_line": 14, "end_column": 22,
            "severity": "error", "code": "wrong-type",
            "message": "step[0].hints must be an array, not a string.",
        })
    );
    assert_eq!(lines[0]["code"], "unknown-check");
}

#[test]
fn shipped_labs_lint_clean() {
    let out = run(&["lab", "lint", "labs/"]);
    let files = std::fs::read_dir("labs")
        .expect("the labs directory")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
        })
        .count();
    assert!(files >= 10, "the course ships at least ten labs: {files}");
    assert_eq!(
        (out.code, out.stdout),
        (0, format!("{files} lab files checked: no problem.\n"))
    );
}

#[test]
fn lab_test_reports_each_step() {
    let out = run(&["lab", "test", "tests/labs/ok/minimal.toml"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            0,
            "Lab broken (tests/labs/ok/minimal.toml)\n  ✔ step 1 pull: fails before its solution, passes after.\n  ✔ step 2 tag: fails before its solution, passes after.\n  Lab broken is solvable: 2 steps tested.\n1 lab tested: all solvable.\n"
        )
    );
}

#[test]
fn lab_test_fails_a_vacuous_check() {
    let out = run(&["lab", "test", "tests/labs/vacuous.toml"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout,
        "Lab vacuous (tests/labs/vacuous.toml)\n  ✘ step 1 pull-alpine: its checks already pass before its solution runs, so they cannot tell whether the student did the step.\n  · step 2 list: not tested (an earlier step failed).\n  Lab vacuous fails: 1 problem.\n1 lab tested: 1 failed.\n"
    );
    let fr = run(&["lab", "test", "tests/labs/vacuous.toml", "--lang", "fr"]);
    assert!(
        fr.stdout.contains(
            "✘ étape 1 pull-alpine : ses vérifications réussissent déjà avant sa solution"
        ),
        "{}",
        fr.stdout
    );
}

#[test]
fn lab_test_says_what_a_solution_misses() {
    let out = run(&["lab", "test", "tests/labs/unsolvable.toml"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("  ✘ step 1 pull: its checks still fail after its solution:\n      - The image nginx:latest is not there.\n      $ docker pull nginx:doesnotexist → exit 1: Error response from daemon: manifest for nginx:doesnotexist not found: manifest unknown: manifest unknown\n"),
        "{}",
        out.stdout
    );
}

/// A solution line the simulator cannot run fails the lab (it used to be called solvable when
/// its check was loose enough), naming the step and the command, in English and French.
#[test]
fn lab_test_fails_a_solution_the_simulator_cannot_run() {
    let out = run(&["lab", "test", "tests/labs/unsimulated.toml"]);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (
            1,
            "Lab unsimulated (tests/labs/unsimulated.toml)\n  ✔ step 1 run: fails before its solution, passes after.\n  ✘ step 2 look-inside: the simulator cannot run “docker exec web ls” yet (test this lab with --engine docker --yes).\n  · step 3 list: not tested (an earlier step failed).\n  Lab unsimulated fails: 1 problem.\n1 lab tested: 1 failed.\n"
        )
    );
    let fr = run(&["lab", "test", "tests/labs/unsimulated.toml", "--lang", "fr"]);
    assert_eq!(fr.code, 1);
    assert!(
        fr.stdout.contains("  ✘ étape 2 look-inside : le simulateur ne sait pas encore exécuter « docker exec web ls » (testez cet atelier avec --engine docker --yes).\n"),
        "{}",
        fr.stdout
    );
}

#[test]
fn lab_test_on_the_real_engine_needs_yes() {
    let out = run(&["lab", "test", "--engine", "docker", "tests/labs/ok"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("Add --yes to run it anyway."),
        "{}",
        out.stdout
    );
}

#[test]
fn lab_new_writes_a_lab_that_lints_and_tests_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("utf-8 temp dir");
    let out = run(&["lab", "new", "mon-atelier", "--dir", d]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let file = dir.path().join("mon-atelier.toml");
    let f = file.to_str().expect("utf-8");
    let lint = run(&["lab", "lint", f]);
    assert_eq!(
        (lint.code, lint.stdout.as_str()),
        (0, "1 lab file checked: no problem.\n")
    );
    let test = run(&["lab", "test", f]);
    assert_eq!(test.code, 0, "{}", test.stdout);
    std::fs::write(&file, "mine").expect("write");
    let again = run(&["lab", "new", "mon-atelier", "--dir", d]);
    assert_eq!(again.code, 1);
    assert!(again.stdout.contains("already exists"), "{}", again.stdout);
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "mine");
    assert_eq!(run(&["lab", "new", "Bad_Id", "--dir", d]).code, 2);
}

#[test]
fn labs_say_where_each_lab_comes_from() {
    let home = tempfile::tempdir().expect("temp dir");
    let extra = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        root().join("tests/labs/ok/minimal.toml"),
        extra.path().join("minimal.toml"),
    )
    .expect("copy");
    let out = docklab(home.path())
        .args(["labs", "--labs"])
        .arg(extra.path())
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("images — Managing container images (18 steps) [built in]"),
        "{stdout}"
    );
    let file = extra.path().join("minimal.toml");
    assert!(
        stdout.contains(&format!(
            "broken — Broken lab (2 steps) [{}]",
            file.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "Looked for labs in {} (no such directory).",
            home.path().join("labs").display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "Looked for labs in {} (1 file).",
            extra.path().display()
        )),
        "{stdout}"
    );
}

/// A lab for the guide's snippets: one step, its `check` supplied unless the snippet has one.
const WRAPPER: &str = r#"format_version = 1
id = "guide"
title = { fr = "Guide", en = "Guide" }
intro = { fr = "Exemple.", en = "Example." }

[[step]]
id = "s"
title = { fr = "Étape", en = "Step" }
text = { fr = "Faites-le.", en = "Do it." }
solution = ["docker pull nginx"]
"#;

/// The `toml` code blocks of the authoring guide.
fn guide_blocks() -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(root().join("labs/README.md")).expect("labs/README.md");
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```toml") => current = Some((i + 2, String::new())),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some((_, b)), l) => {
                b.push_str(l);
                b.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn every_toml_example_of_the_guide_lints_and_complete_labs_are_solvable() {
    let blocks = guide_blocks();
    for kind in docklab::lab::lint::check_kinds() {
        let n = blocks
            .iter()
            .filter(|(_, b)| b.contains(&format!("{{ {kind} = ")))
            .count();
        assert!(n >= 2, "the guide shows {kind} in both halves ({n})");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut complete = Vec::new();
    for (line, block) in &blocks {
        let lab = if block.contains("format_version") {
            block.clone()
        } else if block.lines().any(|l| l.starts_with("check =")) {
            format!("{WRAPPER}{block}")
        } else {
            format!("{WRAPPER}check = [{{ image_present = \"nginx\" }}]\n{block}")
        };
        let file = dir.path().join(format!("guide-line-{line}.toml"));
        std::fs::write(&file, &lab).expect("write");
        let out = run(&["lab", "lint", file.to_str().expect("utf-8")]);
        assert_eq!(
            out.code, 0,
            "labs/README.md line {line}:\n{lab}\n{}",
            out.stdout
        );
        if block.contains("format_version") {
            complete.push(file);
        }
    }
    assert!(!complete.is_empty(), "the guide has a complete lab");
    for file in complete {
        let out = run(&["lab", "test", file.to_str().expect("utf-8")]);
        assert_eq!(out.code, 0, "{}", out.stdout);
    }
}
