//! Never losing work (issue #15), in both languages: a completed lab survives `start` (it opens
//! in review) and `reset` (which asks first, and keeps the attempt it ends), its grade stays in
//! `grade`, `report`, `verify` and `gradebook`; leaving the shell exits 0 whatever the lab's
//! state; reports of the previous format still verify.

use std::path::Path;

use docklab::lab::Catalog;

use crate::support::{docklab_at as docklab, solution_lines, CLOCK};

const LAB: &str = "a-vous-de-jouer";

fn solution(lab: &str) -> String {
    solution_lines(Catalog::load(&[]).get(lab).expect("shipped lab"))
}

/// Runs the shell on `lab` with `input` piped in: (exit code, standard output).
fn shell(home: &Path, lang: &str, input: &str) -> (Option<i32>, String) {
    let out = docklab(home)
        .args(["--lab", LAB, "--lang", lang])
        .write_stdin(input.to_owned())
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn grade_json(home: &Path) -> serde_json::Value {
    let out = docklab(home)
        .args(["grade", "--lab", LAB, "--json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json[0].clone()
}

/// The words each language uses (no punctuation: French puts a narrow no-break space before it).
struct Words {
    lang: &'static str,
    yes: &'static str,
    review: &'static str,
    question: &'static str,
    cancelled: &'static str,
    kept: &'static str,
    attempt_2: &'static str,
    graded: &'static str,
    labs_line: &'static str,
}

const EN: Words = Words {
    lang: "en",
    yes: "y",
    review: "is complete: you are reviewing it",
    question: "Start over? [y/N]",
    cancelled: "Reset cancelled: nothing was removed.",
    kept: "Your transcript is kept for the report as attempt 1: this completed attempt",
    attempt_2: "This is attempt 2",
    graded: "Graded on attempt 1 of 2 (the best confirmed): 6 passed, 0 skipped.",
    labs_line: "    attempt 1 kept for the grade: 6/6 steps",
};

const FR: Words = Words {
    lang: "fr",
    yes: "oui",
    review: "est terminé\u{202f}: vous le relisez",
    question: "Recommencer\u{202f}? [o/N]",
    cancelled: "Recommencement annulé\u{202f}: rien n'a été supprimé.",
    kept: "Votre transcription est gardée pour le rapport comme tentative 1\u{202f}: cette tentative terminée",
    attempt_2: "Ceci est la tentative 2",
    graded: "Noté sur la tentative 1 sur 2 (la meilleure confirmée)\u{202f}: 6 réussies, 0 passée.",
    labs_line: "    tentative 1 gardée pour la note\u{202f}: 6/6 étapes",
};

fn a_completed_lab_survives_start_and_reset(w: &Words) {
    let home = tempfile::tempdir().expect("temp dir");
    let (code, out) = shell(home.path(), w.lang, &solution(LAB));
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(grade_json(home.path())["result"]["score"], 100);
    let ws = home.path().join("runs").join(LAB).join("home");
    std::fs::write(ws.join("notes.txt"), "mine\n").expect("a file of the student's");

    // Started again: the same attempt, in review; nothing is removed.
    let (code, out) = shell(home.path(), w.lang, "docker images -q\nquit\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(w.review), "{out}");
    assert!(out.contains("6/6"), "{out}");
    assert!(ws.join("notes.txt").is_file(), "{out}");
    assert!(out.contains("[a-vous-de-jouer 6/6]"), "{out}");
    let g = grade_json(home.path());
    assert_eq!(g["result"]["score"], 100, "{g}");
    assert_eq!(g["attempts"], 1, "{g}");

    // `reset` says what it removes and asks; "n" (or anything but yes) cancels.
    let (code, out) = shell(home.path(), w.lang, "reset\nn\nreset\nnope\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(w.question), "{out}");
    assert!(out.contains("~ ("), "{out}");
    assert!(out.contains(w.kept), "{out}");
    assert_eq!(out.matches(w.cancelled).count(), 2, "{out}");
    assert!(ws.join("notes.txt").is_file());
    assert_eq!(grade_json(home.path())["result"]["score"], 100);

    // A yes begins a new attempt: the workspace is emptied, the completed attempt kept.
    let (code, out) = shell(
        home.path(),
        w.lang,
        &format!("reset\n{}\ndocker pull memcached\nlabs\nquit\n", w.yes),
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains(w.labs_line), "{out}");
    assert!(out.contains(w.attempt_2), "{out}");
    assert!(!ws.join("notes.txt").exists(), "{out}");
    assert!(out.contains("[a-vous-de-jouer 2/6]"), "{out}");
    let g = grade_json(home.path());
    assert_eq!(g["result"]["score"], 100, "{g}");
    assert_eq!(
        (g["attempt"].clone(), g["attempts"].clone()),
        (1.into(), 2.into())
    );

    // The report holds both attempts; verify confirms each and grades on the best.
    let report = home.path().join("report.json");
    docklab(home.path())
        .args(["report", "-o"])
        .arg(&report)
        .assert()
        .success();
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("json");
    assert_eq!(r["format"], "docklab-report/3");
    assert_eq!(r["labs"][0]["attempt"], 1);
    assert_eq!(r["labs"][0]["result"]["completed"], true);
    assert_eq!(r["labs"][1]["attempt"], 2);
    // The cancelled resets are in the first attempt's transcript with their answers.
    let lines: Vec<&str> = r["labs"][0]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["entry"]["line"].as_str())
        .collect();
    assert!(lines.windows(2).any(|p| p == ["reset", "n"]), "{lines:?}");
    let out = docklab(home.path())
        .args(["verify", "--lang", w.lang])
        .arg(&report)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(w.graded), "{stdout}");

    // The gradebook: one row for the lab, graded on attempt 1 of 2.
    let class = tempfile::tempdir().expect("class dir");
    std::fs::copy(&report, class.path().join("zoe.json")).expect("copy");
    let csv = home.path().join("grades.csv");
    docklab(home.path())
        .arg("gradebook")
        .arg(class.path())
        .arg("-o")
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).expect("csv");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].ends_with(",status,attempt,attempts"), "{text}");
    assert!(
        rows[1].starts_with("zoe.json,,a-vous-de-jouer,6,6,100,,yes,verified,1,2"),
        "{text}"
    );
}

#[test]
fn a_completed_lab_survives_start_and_reset_in_english() {
    a_completed_lab_survives_start_and_reset(&EN);
}

#[test]
fn a_completed_lab_survives_start_and_reset_in_french() {
    a_completed_lab_survives_start_and_reset(&FR);
}

/// An unfinished lab: `reset` names what it removes, cancels on "n", and after a yes the
/// earlier attempt's transcript is still reported; `quit`, `quitter`, `exit` and the end of
/// input all exit 0.
#[test]
fn reset_asks_and_quit_exits_0_on_an_unfinished_lab() {
    for w in [&EN, &FR] {
        let home = tempfile::tempdir().expect("temp dir");
        let ws = home.path().join("runs").join(LAB).join("home");
        let (code, out) = shell(
            home.path(),
            w.lang,
            "docker pull memcached\necho hi > a.txt\nreset\nn\nquit\n",
        );
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains(w.cancelled), "{out}");
        assert!(ws.join("a.txt").is_file(), "{out}");
        assert_eq!(grade_json(home.path())["result"]["passed"][0], "memcached");
        // No answer at all (the input ends) cancels too.
        let (code, out) = shell(home.path(), w.lang, "reset\n");
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains(w.cancelled), "{out}");
        assert!(ws.join("a.txt").is_file(), "{out}");
        for quit in ["quitter", "exit", ""] {
            let (code, out) = shell(home.path(), w.lang, &format!("{quit}\n"));
            assert_eq!(code, Some(0), "{quit:?}: {out}");
        }
        let (code, out) = shell(home.path(), w.lang, &format!("reset\n{}\n", w.yes));
        assert_eq!(code, Some(0), "{out}");
        assert!(!ws.join("a.txt").exists(), "{out}");
        let g = grade_json(home.path());
        assert_eq!(g["result"]["passed"][0], "memcached", "{g}");
        assert_eq!(g["attempts"], 1, "the new attempt has not begun: {g}");
        let kept = home.path().join("runs").join(LAB).join("attempts/1.json");
        assert!(kept.is_file());
    }
}

/// A `docklab-report/2` report (written by the previous docklab: one section per lab, no
/// attempts) still verifies, chain and replay.
#[test]
fn a_version_2_report_still_verifies() {
    let home = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report-v2.json");
    let json = std::fs::read_to_string(&fixture).expect("fixture");
    assert!(json.contains("\"format\": \"docklab-report/2\""));
    let out = docklab(home.path())
        .args(["verify", "--lang", "en"])
        .arg(&fixture)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("couches: Hash chain intact (5 entries).")
            && stdout.contains("confirms the results: 1 passed, 1 skipped.")
            && !stdout.contains("attempt"),
        "{stdout}"
    );
}

/// In a terminal: `reset` shows what it removes before asking, "n" cancels, and `quit` on an
/// unfinished lab leaves with status 0 (French, then Ctrl-D in English).
#[test]
fn reset_asks_in_a_terminal_and_quit_exits_0() {
    use rexpect::process::WaitStatus;
    use rexpect::session::spawn_command;
    let home = tempfile::tempdir().expect("temp dir");
    for (lang, question, cancelled, leave) in [
        ("fr", "[o/N]", "Recommencement annul", "quitter"),
        ("en", "Start over? [y/N]", "Reset cancelled", ""),
    ] {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("docklab"));
        cmd.args(["--lab", LAB, "--lang", lang])
            .env("DOCKLAB_HOME", home.path())
            .env("DOCKLAB_CLOCK", CLOCK)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm");
        let mut p = spawn_command(cmd, Some(20_000)).expect("spawn docklab in a pty");
        p.exp_string("[a-vous-de-jouer 1/6] ~ $ ").expect("prompt");
        p.send_line("echo hi > a.txt").expect("send");
        p.exp_string("[a-vous-de-jouer 1/6] ~ $ ").expect("prompt");
        p.send_line("reset").expect("send");
        // rexpect reads bytes as Latin-1: match ASCII only.
        p.exp_string("(1 f").expect("the files it would remove");
        p.exp_string(question).expect("asks");
        p.send_line("n").expect("send");
        p.exp_string(cancelled).expect("cancelled");
        p.exp_string("[a-vous-de-jouer 1/6] ~ $ ").expect("prompt");
        if leave.is_empty() {
            p.send_control('d').expect("ctrl-d");
        } else {
            p.send_line(leave).expect("send");
        }
        p.exp_eof().expect("exits");
        let status = p.process().wait().expect("status");
        assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
        let ws = home.path().join("runs").join(LAB).join("home");
        assert!(ws.join("a.txt").is_file());
    }
}

/// The `reset` question is tutor text: wrapped to the terminal's width like every other (it was
/// printed as one long line per sentence).
#[test]
fn the_reset_question_is_wrapped_to_the_width() {
    for lang in ["en", "fr"] {
        let home = tempfile::tempdir().expect("temp dir");
        let out = docklab(home.path())
            .args(["--lab", LAB, "--lang", lang])
            .env("COLUMNS", "50")
            .write_stdin("echo hi > a.txt\nreset\nn\n")
            .output()
            .expect("runs");
        let out = String::from_utf8_lossy(&out.stdout).into_owned();
        let question: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.ends_with("reset"))
            .skip(1)
            .take_while(|l| !l.contains("[y/N]") && !l.contains("[o/N]"))
            .collect();
        assert!(question.len() >= 3, "{out}");
        assert!(
            question.iter().all(|l| l.chars().count() <= 50),
            "{question:#?}"
        );
    }
}
