//! The tutor end to end: every shipped lab completes when its solution is piped in (fr and en),
//! each step's checks fail before its solution and pass after, reports verify and tampering is
//! detected.

use std::collections::VecDeque;
use std::path::Path;

use docklab::engine::{Clock, Interaction};
use docklab::feedback::{Feedback, Tone};
use docklab::i18n::{Lang, Msg};
use docklab::lab::check::Why;
use docklab::lab::Catalog;
use docklab::session::{Session, SessionOptions, ShellMode};

use crate::support::{docklab_at as docklab, solution_lines, CLOCK};

fn solution(lab: &str) -> String {
    solution_lines(Catalog::load(&[]).get(lab).expect("shipped lab"))
}

fn completes(lab: &str, lang: &str, done: &str) {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lab", lab, "--lang", lang])
        .write_stdin(solution(lab))
        .output()
        .expect("docklab runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{lab} {lang} did not complete:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(done), "{lab} {lang}:\n{stdout}");
}

/// Every lab shipped in the binary (listed from the catalog, so a new lab is covered as soon as
/// it ships): its solution piped into `docklab --lab ID` completes it, in both languages.
#[test]
fn every_shipped_lab_completes_in_french_and_english() {
    let cat = Catalog::load(&[]);
    let ids: Vec<&str> = cat.labs().iter().map(|l| l.id.as_str()).collect();
    assert!(
        ids.len() >= 10,
        "the course ships at least ten labs: {ids:?}"
    );
    for lab in ids {
        completes(lab, "fr", "Atelier terminé");
        completes(lab, "en", "Lab completed");
    }
}

struct Queue(VecDeque<String>);

impl Interaction for Queue {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        self.0.pop_front()
    }
}

fn session(home: &Path, lang: Lang) -> Session {
    Session::new(SessionOptions {
        home: home.to_path_buf(),
        clock: Clock::frozen(CLOCK.parse().expect("valid time")),
        lang,
        catalog: Catalog::load(&[]),
        shell: ShellMode::Detached,
        engine: docklab::session::EngineChoice::Sim,
    })
}

/// Runs a step's solution lines, answers to prompts taken from the following lines; the
/// session's answers, in order.
fn apply(s: &mut Session, lines: &[String]) -> Vec<Feedback> {
    let mut q: VecDeque<String> = lines.iter().cloned().collect();
    let mut feedback = Vec::new();
    while let Some(l) = q.pop_front() {
        let mut io = Queue(std::mem::take(&mut q));
        feedback.extend(s.handle(&l, &mut io));
        q = io.0;
    }
    feedback
}

/// Everything the session answered, as the student reads it in English: Docker's output, then
/// the tutor's and the lab's texts (for lab-authored texts, which only exist as text).
fn text(fb: &[Feedback]) -> String {
    fb.iter()
        .flat_map(|f| match f {
            Feedback::Docker(o) => vec![format!("{}{}", o.stdout, o.stderr)],
            f => docklab::ui::lines(Lang::En, f)
                .into_iter()
                .map(|(_, t)| t)
                .collect(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The tutor's messages among the feedback.
fn msgs(fb: &[Feedback]) -> Vec<&Msg> {
    fb.iter().filter_map(Feedback::msg).collect()
}

/// Whether a check's explanation says `msg` (at any depth).
fn says(why: &Why, msg: &Msg) -> bool {
    match why {
        Why::Msg(m) => m == msg,
        Why::All(ws) | Why::Any(ws) => ws.iter().any(|w| says(w, msg)),
        Why::Not(w) => says(w, msg),
    }
}

#[test]
fn each_step_fails_before_its_solution_and_passes_after() {
    let cat = Catalog::load(&[]);
    for lab in cat.labs() {
        let home = tempfile::tempdir().expect("temp dir");
        let mut s = session(home.path(), Lang::En);
        s.start_lab(&lab.id, true);
        for (i, step) in lab.steps.iter().enumerate() {
            let before = s.handle("check", &mut Queue(VecDeque::new()));
            let p = s.progress().expect("a lab is running");
            assert_eq!(
                p.current, i,
                "{}/{}: passed before its solution: {before:?}",
                lab.id, step.id
            );
            let out = apply(&mut s, &step.solution);
            let p = s.progress().expect("a lab is running");
            assert!(
                p.passed.contains(&step.id),
                "{}/{}: not passed after its solution:\n{out:?}\n{:?}",
                lab.id,
                step.id,
                s.handle("check", &mut Queue(VecDeque::new()))
            );
        }
    }
}

#[test]
fn check_explains_what_is_missing_in_french() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path(), Lang::Fr);
    s.start_lab("a-vous-de-jouer", true);
    apply(
        &mut s,
        &[
            "docker pull memcached".into(),
            "skip".into(),
            "docker images".into(),
            "docker system df".into(),
        ],
    );
    let still_there = Msg::ImageAbsentFail {
        reference: "memcached:latest".into(),
    };
    let missing = |fb: &[Feedback]| {
        fb.iter()
            .any(|f| matches!(f, Feedback::Missing(why) if says(why, &still_there)))
    };
    let fb = s.handle("verifier", &mut Queue(VecDeque::new()));
    assert_eq!(msgs(&fb).first(), Some(&&Msg::StillMissing), "{fb:?}");
    assert!(missing(&fb), "{fb:?}");
    // The ui says it in the session's language.
    let lines = |fb: &[Feedback], lang| -> Vec<String> {
        fb.iter()
            .flat_map(|f| docklab::ui::lines(lang, f))
            .map(|(_, text)| text)
            .collect()
    };
    assert!(
        lines(&fb, s.lang())
            .contains(&"  - L'image memcached:latest est toujours présente.".into()),
        "{:?}",
        lines(&fb, s.lang())
    );
    let fb = s.handle("lang en", &mut Queue(VecDeque::new()));
    assert_eq!(msgs(&fb), vec![&Msg::LangSwitched]);
    assert_eq!(s.lang(), Lang::En);
    let fb = s.handle("check", &mut Queue(VecDeque::new()));
    assert!(missing(&fb), "{fb:?}");
    assert!(
        lines(&fb, s.lang()).contains(&"  - The image memcached:latest is still there.".into()),
        "{:?}",
        lines(&fb, s.lang())
    );
}

#[test]
fn mistakes_and_forbidden_commands_are_explained() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path(), Lang::En);
    s.start_lab("tags-et-ids", true);
    let lab = s.lab().expect("a lab is running").clone();
    let explain = |step: &str, id: &str| -> String {
        let step = lab.steps.iter().find(|s| s.id == step).expect("the step");
        let m = step
            .mistakes
            .iter()
            .find(|m| m.id == id)
            .expect("the mistake");
        m.explain.get(Lang::En).to_owned()
    };
    let out = apply(&mut s, &["skip".into(), "docker rmi alpine".into()]);
    let at = out
        .iter()
        .position(|f| f.msg() == Some(&Msg::Mistake))
        .unwrap_or_else(|| panic!("a mistake is explained: {out:?}"));
    assert!(
        matches!(&out[at + 1], Feedback::Lab { tone: Tone::Hint, text } if *text == explain("untag", "removed-latest")),
        "{out:?}"
    );
    let out = apply(
        &mut s,
        &[
            "docker tag alpine:v1 alpine:latest".into(),
            "docker rmi alpine:v1".into(),
            "skip".into(),
            "docker rmi -f busybox".into(),
        ],
    );
    assert!(
        msgs(&out).contains(&&Msg::Forbidden {
            command: "docker rmi -f busybox".into()
        }),
        "{out:?}"
    );
    assert!(s.progress().is_some_and(|p| p.current == 3), "{out:?}");
}

/// The seed lab's traps (issue 16): rebuilding `mon_nginx` while its container runs leaves a
/// dangling image in use, and the prune step must still pass; stopping the container before
/// `system prune -a` loses `mon_nginx`, which the tutor explains, and rebuilding passes the step.
#[test]
fn the_seed_lab_is_passable_after_its_traps() {
    let cat = Catalog::load(&[]);
    let lab = cat.get("images").expect("shipped lab");
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path(), Lang::En);
    s.start_lab("images", true);
    let index = |id: &str| {
        lab.steps
            .iter()
            .position(|s| s.id == id)
            .expect("step exists")
    };
    for step in &lab.steps[..index("rmi-alias")] {
        apply(&mut s, &step.solution);
    }
    apply(
        &mut s,
        &[
            "echo '<h1>v2</h1>' > ~/Test/index.html".into(),
            "docker build -t mon_nginx .".into(),
        ],
    );
    for step in &lab.steps[index("rmi-alias")..index("image-prune")] {
        apply(&mut s, &step.solution);
    }
    let out = text(&apply(&mut s, &["docker image prune".into(), "y".into()]));
    assert!(out.contains("Total reclaimed space: 0B"), "{out}");
    assert!(out.contains("a container uses it"), "{out}");
    assert_eq!(s.progress().map(|p| p.current), Some(index("image-prune")));
    let out = text(&apply(&mut s, &["check".into()]));
    assert!(
        out.contains("docker rm -f"),
        "the check names how to free it: {out}"
    );
    let out = text(&apply(&mut s, &["docker ps -a".into()]));
    let p = s.progress().expect("a lab is running");
    assert_eq!(p.current, index("system-prune"), "{out}");
    let out = text(&apply(
        &mut s,
        &[
            "docker stop $(docker ps -q)".into(),
            "docker system prune -a".into(),
            "y".into(),
        ],
    ));
    assert!(out.contains("mon_nginx is gone"), "{out}");
    assert_eq!(s.progress().map(|p| p.current), Some(index("system-prune")));
    let out = text(&apply(&mut s, &["hint".into()]));
    assert!(out.contains("rebuild it from ~/Test"), "{out}");
    let out = text(&apply(&mut s, &["docker build -t mon_nginx .".into()]));
    assert_eq!(
        s.progress().map(|p| p.current),
        Some(index("system-df")),
        "{out}"
    );
}

/// A removed tag is not a removed image: in the closing exercise, untagging httpd:2-alpine
/// while httpd:alpine still names the image does not pass the step.
#[test]
fn removing_a_tag_is_not_removing_the_image() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path(), Lang::En);
    s.start_lab("a-vous-de-jouer", true);
    apply(
        &mut s,
        &[
            "docker pull memcached".into(),
            "docker pull httpd:alpine".into(),
            "docker pull httpd:2-alpine".into(),
            "docker images".into(),
            "docker system df".into(),
        ],
    );
    let out = text(&apply(
        &mut s,
        &[
            "docker rmi memcached".into(),
            "docker rmi httpd:2-alpine".into(),
        ],
    ));
    assert!(
        out.contains("Both names are gone, but images are left"),
        "{out}"
    );
    assert_eq!(s.progress().map(|p| p.current), Some(4), "{out}");
    apply(&mut s, &["docker rmi httpd:alpine".into()]);
    assert_eq!(s.progress().map(|p| p.current), Some(5));
}

#[test]
fn progress_survives_a_restart_and_grade_reports_it() {
    let home = tempfile::tempdir().expect("temp dir");
    docklab(home.path())
        .args(["--lab", "couches", "--lang", "en"])
        .write_stdin("docker pull debian:trixie-slim\nskip\n")
        .assert()
        .success();
    let out = docklab(home.path())
        .args(["--lab", "couches", "--lang", "en"])
        .write_stdin("progress\n")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Back to lab couches"), "{stdout}");
    assert!(stdout.contains("[couches 3/8]"), "{stdout}");
    let out = docklab(home.path())
        .args(["grade", "--lab", "couches", "--json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json[0]["result"]["passed"][0], "base");
    assert_eq!(json[0]["result"]["skipped"][0], "nginx");
}

#[test]
fn report_verifies_and_tampering_is_detected() {
    let home = tempfile::tempdir().expect("temp dir");
    docklab(home.path())
        .args(["--lab", "a-vous-de-jouer", "--lang", "en"])
        .write_stdin(format!(
            "docker pull memcache\n{}",
            solution("a-vous-de-jouer")
        ))
        .assert()
        .success();
    let report = home.path().join("report.json");
    docklab(home.path())
        .args(["report", "-o"])
        .arg(&report)
        .assert()
        .success();
    let out = docklab(home.path())
        .arg("verify")
        .arg(&report)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("confirms"), "{stdout}");

    // Editing an entry breaks the chain.
    let text = std::fs::read_to_string(&report).expect("report");
    let forged = text.replacen("docker pull memcache\"", "docker pull memcached\"", 1);
    assert_ne!(text, forged);
    std::fs::write(&report, &forged).expect("write");
    let out = docklab(home.path())
        .arg("verify")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("hash chain breaks at entry 1"));

    // A consistent chain over a transcript that does not earn the claimed result: the replay
    // disagrees.
    let mut r: serde_json::Value = serde_json::from_str(&text).expect("json");
    let entries = r["labs"][0]["entries"].as_array_mut().expect("entries");
    entries.retain(|e| e["entry"]["line"] != "docker system df");
    let report_v: docklab::report::Report = serde_json::from_value(r).expect("report");
    let cat = Catalog::load(&[]);
    let lab = cat.get("a-vous-de-jouer").expect("lab");
    let mut p = docklab::lab::progress::LabProgress::new("a-vous-de-jouer");
    p.entries = report_v.labs[0]
        .entries
        .iter()
        .map(|c| c.entry.clone())
        .collect();
    p.passed = report_v.labs[0].result.passed.clone();
    p.current = lab.steps.len();
    let rechained = docklab::report::Report {
        labs: vec![docklab::report::lab_report(lab, &p)],
        ..report_v
    };
    std::fs::write(&report, serde_json::to_string(&rechained).expect("json")).expect("write");
    let out = docklab(home.path())
        .arg("verify")
        .arg(&report)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Replay disagrees on step disk"));
}

#[test]
fn command_substitution_and_shell_in_the_workspace() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lang", "en"])
        .write_stdin("docker pull alpine\ndocker pull busybox\ndocker rmi $(docker images -q)\ndocker images -q\nmkdir ~/Test\ncd ~/Test\necho hi > f.txt\npwd\ncd /\nls\n")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains("Untagged: alpine:latest"), "{stdout}");
    assert!(stdout.contains("Untagged: busybox:latest"), "{stdout}");
    assert!(stdout.contains("~/Test $ ls\nf.txt"), "{stdout}");
    assert!(stdout.contains("outside your workspace"), "{stdout}");
    assert!(home.path().join("workspace/Test/f.txt").exists());
}

#[test]
fn language_from_the_environment() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .env("LANG", "fr_FR.UTF-8")
        .write_stdin("quit\n")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Bienvenue"));
    let out = docklab(home.path()).write_stdin("").output().expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Welcome"));
    // LANGUAGE, gettext's list of preferences, comes before LANG.
    let out = docklab(home.path())
        .env("LANGUAGE", "de:fr")
        .env("LANG", "en_US.UTF-8")
        .write_stdin("quit\n")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Bienvenue"));
    // `--lang` overrides the environment.
    let out = docklab(home.path())
        .args(["--lang", "en"])
        .env("LANGUAGE", "fr")
        .write_stdin("quit\n")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Welcome"));
}

#[test]
fn a_container_command_docklab_cannot_emulate_is_refused_in_the_students_language() {
    let home = tempfile::tempdir().expect("temp dir");
    for (lang, words) in [
        ("en", "docklab cannot run `ls /` in a container"),
        (
            "fr",
            "docklab ne peut pas exécuter `ls /` dans un conteneur",
        ),
    ] {
        let out = docklab(home.path())
            .args(["--lang", lang, "docker", "run", "alpine", "ls", "/"])
            .output()
            .expect("docklab runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{lang}: {text}");
        assert!(text.contains(words), "{lang}: {text}");
    }
    // Nothing was pulled or created; a command docklab knows runs and exits with its code.
    let ps = docklab(home.path())
        .args(["docker", "ps", "-a", "-q"])
        .output()
        .expect("docklab runs");
    assert_eq!(String::from_utf8_lossy(&ps.stdout), "");
    let exit = docklab(home.path())
        .args(["docker", "run", "alpine", "sh", "-c", "echo bye; exit 3"])
        .output()
        .expect("docklab runs");
    assert_eq!(exit.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&exit.stdout).ends_with("bye\n"));
}

/// The piped input that solves `lab`, with some steps solved another way.
fn solution_with(lab: &str, instead: &[(&str, &[&str])]) -> String {
    let cat = Catalog::load(&[]);
    let lab = cat.get(lab).expect("shipped lab");
    let mut s = String::new();
    for step in &lab.steps {
        let lines: Vec<String> = match instead.iter().find(|(id, _)| *id == step.id) {
            Some((_, lines)) => lines.iter().map(|l| (*l).to_owned()).collect(),
            None => step.solution.clone(),
        };
        for l in lines {
            s.push_str(&l);
            s.push('\n');
        }
    }
    s
}

/// The seed lab's `rmi -f` step asks for an end state, not a spelling: removing debian by its
/// ID, by `system prune -a` (which takes the stopped container with it) or after removing the
/// container all pass it, and the lab still completes from there, piped, in both languages.
#[test]
fn the_force_step_passes_however_debian_goes() {
    let ways: &[&[&str]] = &[
        &["docker rmi -f $(docker images -q debian)"],
        &["docker system prune -a", "y"],
        &["docker container prune", "y", "docker rmi debian"],
    ];
    for way in ways {
        for (lang, done) in [("en", "Lab completed"), ("fr", "Atelier terminé")] {
            let home = tempfile::tempdir().expect("temp dir");
            let out = docklab(home.path())
                .args(["--lab", "images", "--lang", lang])
                .write_stdin(solution_with("images", &[("rmi-force", way)]))
                .output()
                .expect("docklab runs");
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{way:?} {lang}:\n{stdout}");
            assert!(stdout.contains(done), "{way:?} {lang}:\n{stdout}");
            assert!(!stdout.contains("skipped"), "{way:?} {lang}:\n{stdout}");
        }
    }
}

/// Removing the alias and the original at once, then the original by its ID: the seed lab names
/// the first (pull it back) and accepts the second, and still completes.
#[test]
fn the_seed_lab_tag_steps_accept_other_ways() {
    let input = solution_with(
        "images",
        &[
            (
                "rmi-alias",
                &[
                    "docker rmi nginx:monblog_prod nginx:latest",
                    "docker pull nginx",
                ],
            ),
            ("rmi-original", &["docker rmi $(docker images -q nginx)"]),
        ],
    );
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lab", "images", "--lang", "en"])
        .write_stdin(input)
        .output()
        .expect("docklab runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Both tags are gone"), "{stdout}");
    assert!(stdout.contains("Lab completed"), "{stdout}");
    assert!(!stdout.contains("skipped"), "{stdout}");
}

/// The rebuild trap, piped and in French: `mon_nginx` rebuilt while its container runs, `image
/// prune` frees 0 B, the tutor says a container holds the image and looking at it (`docker ps
/// -a`) passes; `system prune -a` then takes the new `mon_nginx` (no container uses it), the tutor
/// says why and how to rebuild, and rebuilding completes the lab.
#[test]
fn the_rebuild_trap_completes_piped_in_french() {
    let input = solution_with(
        "images",
        &[
            (
                "history-mine",
                &[
                    "docker history mon_nginx",
                    "echo '<h1>v2</h1>' > ~/Test/index.html",
                    "docker build -t mon_nginx .",
                ],
            ),
            ("image-prune", &["docker image prune", "y", "docker ps -a"]),
            (
                "system-prune",
                &["docker system prune -a", "y", "docker build -t mon_nginx ."],
            ),
        ],
    );
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lab", "images", "--lang", "fr"])
        .write_stdin(input)
        .output()
        .expect("docklab runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Total reclaimed space: 0B"), "{stdout}");
    assert!(stdout.contains("Il reste une image <none>"), "{stdout}");
    assert!(stdout.contains("mon_nginx a disparu"), "{stdout}");
    assert!(stdout.contains("Atelier terminé"), "{stdout}");
    assert!(!stdout.contains("passée"), "{stdout}");
}

/// `goal` outside a lab asks for one; at the end of a lab it says the lab is finished; in a step
/// its picture carries the step's number and the goal its checks describe.
#[test]
fn the_goal_needs_a_lab_step() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path(), Lang::En);
    let fb = apply(&mut s, &["goal".into()]);
    assert_eq!(msgs(&fb), vec![&Msg::NoLabStarted]);
    s.start_lab("a-vous-de-jouer", true);
    let fb = apply(&mut s, &["objectif".into()]);
    let [Feedback::Goal(g)] = fb.as_slice() else {
        panic!("{fb:?}")
    };
    assert_eq!((g.n, g.total), (1, 6));
    assert_eq!(g.goal.images, vec![vec!["memcached:latest".to_owned()]]);
    for _ in 0..6 {
        apply(&mut s, &["skip".into()]);
    }
    let fb = apply(&mut s, &["goal".into()]);
    assert_eq!(msgs(&fb), vec![&Msg::LabFinished]);
}

/// The seed's Dockerfile has two RUN and a COPY, and the build step counts their layers: a
/// shorter Dockerfile is caught where it is written (step 7, naming the missing line), not at
/// the build as a bare layer count that says nothing of the cause.
#[test]
fn a_short_dockerfile_is_caught_where_it_is_written() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lab", "images", "--lang", "fr"])
        .write_stdin(
            "skip\nskip\nskip\nskip\nskip\nskip\nmkdir ~/Test && cd ~/Test\n\
             printf 'FROM debian:trixie-slim\\nRUN apt-get update && apt-get install -y nginx\\nCOPY index.html /var/www/html/\\nEXPOSE 80\\n' > Dockerfile\n\
             echo '<h1>x</h1>' > index.html\ncheck\n",
        )
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.contains("Étape 7/18"), "{out}");
    assert!(!out.contains("Étape 8/18"), "{out}");
    assert!(out.contains("Dockerfile ne contient pas"), "{out}");
    assert!(out.contains("RUN ln -sf"), "{out}");
}

/// `docker build -t x ~/Test` without a Dockerfile: the named mistake shows the folder as the
/// student typed it (`~/Test`), not its path on the host.
#[test]
fn a_missing_dockerfile_is_named_with_tilde() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(home.path())
        .args(["--lang", "en"])
        .write_stdin("mkdir Test\ndocker build -t x ~/Test\n")
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.contains("There is no Dockerfile in ~/Test:"), "{out}");
    assert!(!out.contains(&home.path().display().to_string()), "{out}");
}
