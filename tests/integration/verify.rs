//! `docklab verify` and `docklab gradebook` on untrusted reports: the replay runs in a sandbox
//! that no replayed path leaves (planted host files stay byte-identical, host files are never
//! read, devices and FIFOs are refused in bounded time), a section is bound to its lab, untrusted
//! text is escaped, and the gradebook writes one exact CSV row per report and lab.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use docklab::lab::progress::LabProgress;
use docklab::lab::Catalog;
use docklab::report::Report;
use docklab::transcript::{Entry, EntryKind};

const CLOCK: &str = "2025-10-29T12:00:00Z";

/// A lab whose steps need a build, a save and a load: `pulled`, `built`, `loaded`.
const LAB: &str = r#"format_version = 1
id = "sandbox"
title = { fr = "Bac à sable", en = "Sandbox" }
intro = { fr = "Essai.", en = "Trial." }

[[step]]
id = "pulled"
title = { fr = "busybox", en = "busybox" }
text = { fr = "Téléchargez busybox.", en = "Pull busybox." }
solution = ["docker pull busybox"]
check = [{ image_present = "busybox:latest" }]

[[step]]
id = "built"
title = { fr = "Construire", en = "Build" }
text = { fr = "Construisez built.", en = "Build built." }
solution = ["docker build -t built ."]
check = [{ image_present = "built:latest" }]

[[step]]
id = "loaded"
title = { fr = "Charger", en = "Load" }
text = { fr = "Chargez loaded.", en = "Load loaded." }
solution = ["docker tag busybox loaded"]
check = [{ image_present = "loaded:latest" }]
"#;

/// A student's home, a lab directory with [`LAB`], and a scratch directory of "host" files.
struct Class {
    home: tempfile::TempDir,
    labs: tempfile::TempDir,
    host: tempfile::TempDir,
}

impl Class {
    fn new() -> Class {
        let labs = tempfile::tempdir().expect("temp dir");
        std::fs::write(labs.path().join("sandbox.toml"), LAB).expect("write lab");
        Class {
            home: tempfile::tempdir().expect("temp dir"),
            labs,
            host: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn docklab(&self) -> Command {
        let mut c = Command::cargo_bin("docklab").expect("the docklab binary is built");
        c.env("DOCKLAB_HOME", self.home.path())
            .env("DOCKLAB_CLOCK", CLOCK)
            .env("NO_COLOR", "1")
            .env("DOCKLAB_REPLAY_TIMEOUT", "60")
            .env_remove("DOCKLAB_LABS")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C")
            .arg("--labs")
            .arg(self.labs.path())
            .args(["--lang", "en"]);
        c
    }

    /// The student's workspace, as an absolute path.
    fn workspace(&self) -> PathBuf {
        self.home.path().join("runs/sandbox/home")
    }

    fn host(&self, name: &str) -> PathBuf {
        self.host.path().join(name)
    }

    /// Runs `script` in the lab, then writes the report to `file`.
    fn report(&self, script: &str, file: &Path, name: Option<&str>) {
        self.docklab()
            .args(["--lab", "sandbox"])
            .write_stdin(script)
            .output()
            .expect("docklab runs");
        let mut c = self.docklab();
        c.args(["report", "-o"]).arg(file);
        if let Some(n) = name {
            c.args(["--name", n]);
        }
        c.assert().success();
    }

    fn verify(&self, file: &Path) -> (Option<i32>, String, String, Duration) {
        let start = Instant::now();
        let out = self
            .docklab()
            .arg("verify")
            .arg(file)
            .output()
            .expect("verify runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            start.elapsed(),
        )
    }

    /// Edits the first section's transcript and recomputes its hash chain, keeping its claims:
    /// a crafted but valid chain.
    fn rechain(&self, file: &Path, edit: impl FnOnce(&mut Vec<Entry>)) {
        let mut r: Report =
            serde_json::from_str(&std::fs::read_to_string(file).expect("report")).expect("json");
        let cat = Catalog::load(&[self.labs.path().to_path_buf()]);
        let section = &r.labs[0];
        let lab = cat.get(&section.lab).expect("lab");
        let mut p = LabProgress::new(&section.lab);
        p.entries = section.entries.iter().map(|c| c.entry.clone()).collect();
        edit(&mut p.entries);
        p.passed.clone_from(&section.result.passed);
        p.skipped.clone_from(&section.result.skipped);
        p.current = p.passed.len() + p.skipped.len();
        let mut new = docklab::report::lab_report(lab, &p);
        new.workspace.clone_from(&section.workspace);
        r.labs[0] = new;
        std::fs::write(file, serde_json::to_string_pretty(&r).expect("json")).expect("write");
    }
}

fn docker_entry(line: &str) -> Entry {
    let mut e = Entry::new(line, EntryKind::Docker);
    e.docker_args = shell_split(line).into_iter().skip(1).collect();
    e
}

fn shell_split(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

/// A name no other test run uses, in the real /tmp.
fn unique_tmp(what: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    PathBuf::from(format!(
        "/tmp/docklab-test-{what}-{}-{nanos}.tar",
        std::process::id()
    ))
}

/// The whole lab, with the build context given by its absolute path in the workspace (which the
/// replay finds: its workspace sits at the same path inside the sandbox) and an archive saved to
/// `archive` and loaded back from it.
fn full_script(c: &Class, archive: &Path) -> String {
    format!(
        "docker pull busybox\nmkdir site\necho FROM busybox > site/Dockerfile\n\
         docker tag busybox loaded\ndocker save -o {a} loaded\ndocker rmi loaded\n\
         docker build -t built {ws}/site\ndocker load -i {a}\n",
        a = archive.display(),
        ws = c.workspace().display()
    )
}

#[test]
fn a_save_over_a_planted_host_file_leaves_it_untouched_and_still_verifies() {
    let c = Class::new();
    let planted = c.host("planted.tar");
    let report = c.host("report.json");
    c.report(&full_script(&c, &planted), &report, None);
    let text = std::fs::read_to_string(&report).expect("report");
    assert!(text.contains("\"loaded\""), "{text}");
    // The grader's file at that path, after the student's session.
    std::fs::write(&planted, b"the grader's own bytes\n").expect("plant");
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = c
        .docklab()
        .env("TMPDIR", tmp.path())
        .arg("verify")
        .arg(&report)
        .output()
        .expect("verify runs");
    let (code, stdout, stderr) = (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    // The sandbox was made there, and removed.
    assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 0);
    assert!(
        stdout.contains("confirms the results: 3 passed"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read(&planted).expect("planted file"),
        b"the grader's own bytes\n"
    );
}

#[test]
fn save_to_tmp_then_load_from_tmp_replays_without_creating_the_host_file() {
    let c = Class::new();
    let archive = unique_tmp("save");
    let report = c.host("report.json");
    c.report(&full_script(&c, &archive), &report, None);
    std::fs::remove_file(&archive).expect("the student's session wrote it");
    let (code, stdout, stderr, _) = c.verify(&report);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(!archive.exists(), "verify wrote {}", archive.display());
}

#[test]
fn host_files_are_never_read_by_a_replay() {
    let c = Class::new();
    // The Dockerfile is outside the workspace, on the student's disk: the student's build works.
    std::fs::write(c.host("Dockerfile"), "FROM busybox\n").expect("write");
    let archive = c.host("image.tar");
    let script = format!(
        "docker pull busybox\nmkdir site\ndocker tag busybox loaded\ndocker save -o {a} loaded\n\
         docker rmi loaded\ndocker build -t built -f {df} {ws}/site\ndocker load -i {a}\n",
        a = archive.display(),
        df = c.host("Dockerfile").display(),
        ws = c.workspace().display()
    );
    let report = c.host("build.json");
    c.report(&script, &report, None);
    // The grader has the same files: the replay must still not see them.
    let (code, _, stderr, _) = c.verify(&report);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "Replay disagrees on step built: the report says passed, the replay gives todo"
        ),
        "{stderr}"
    );

    // A transcript that loads an archive it never wrote (the grader has one at that path).
    let report = c.host("load.json");
    c.report(&full_script(&c, &archive), &report, None);
    c.rechain(&report, |entries| {
        entries.retain(|e| !e.line.starts_with("docker save"));
    });
    let (code, _, stderr, _) = c.verify(&report);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "Replay disagrees on step loaded: the report says passed, the replay gives todo"
        ),
        "{stderr}"
    );
}

#[test]
fn devices_and_fifos_are_refused_in_bounded_time() {
    let c = Class::new();
    let report = c.host("report.json");
    c.report("docker pull busybox\n", &report, None);
    c.rechain(&report, |entries| {
        entries.push(docker_entry("docker build -t x -f /dev/zero ."));
    });
    let (code, _, stderr, took) = c.verify(&report);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "sandbox: Refused in the replay's sandbox: /dev/zero is a device or kernel file"
        ),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(30), "{took:?}");

    // A FIFO on the grader's disk is not even opened (opening it would block).
    let fifo = c.host("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    c.report("docker pull busybox\n", &report, None);
    c.rechain(&report, |entries| {
        entries.push(docker_entry(&format!("docker load -i {}", fifo.display())));
        entries.push(docker_entry(&format!(
            "docker build -t x -f {} .",
            fifo.display()
        )));
    });
    let (code, stdout, stderr, took) = c.verify(&report);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(took < Duration::from_secs(30), "{took:?}");
}

#[test]
fn a_lab_switch_inside_a_section_is_rejected() {
    let c = Class::new();
    let report = c.host("report.json");
    c.report("docker pull busybox\n", &report, None);
    c.rechain(&report, |entries| {
        entries.insert(0, Entry::new("start couches", EntryKind::Tutor));
    });
    let (code, _, stderr, _) = c.verify(&report);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("sandbox: Rejected: the transcript switches to lab couches"),
        "{stderr}"
    );
}

#[test]
fn untrusted_text_is_escaped_before_the_terminal() {
    let c = Class::new();
    let report = c.host("report.json");
    c.report("docker pull busybox\n", &report, Some("Eve\u{1b}[2J"));
    let text = std::fs::read_to_string(&report).expect("report");
    let forged = text.replacen(
        "\"lab\": \"sandbox\"",
        "\"lab\": \"sand\\u001b]0;x\\u0007box\"",
        1,
    );
    assert_ne!(text, forged);
    std::fs::write(&report, forged).expect("write");
    let (code, stdout, stderr, _) = c.verify(&report);
    assert_eq!(code, Some(1));
    let all = format!("{stdout}{stderr}");
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
    assert!(all.contains("Student: Eve\\x1b[2J"), "{all}");
    assert!(all.contains("sand\\x1b]0;x\\abox: "), "{all}");
}

#[test]
fn the_gradebook_writes_one_exact_row_per_report_and_lab() {
    let c = Class::new();
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = c.host("a.tar");
    // A good report, from a student whose name needs quoting and defusing.
    c.report(
        &full_script(&c, &archive),
        &dir.path().join("good.json"),
        Some("=Dupont, \"Jo\""),
    );
    // Tampered: an entry edited after the fact.
    std::fs::copy(
        dir.path().join("good.json"),
        dir.path().join("tampered.json"),
    )
    .expect("copy");
    let text = std::fs::read_to_string(dir.path().join("tampered.json")).expect("read");
    std::fs::write(
        dir.path().join("tampered.json"),
        text.replacen("docker pull busybox\"", "docker pull busybox:latest\"", 1),
    )
    .expect("write");
    // Unsafe: a valid chain over a transcript that reads a device.
    std::fs::copy(dir.path().join("good.json"), dir.path().join("unsafe.json")).expect("copy");
    c.rechain(&dir.path().join("unsafe.json"), |entries| {
        entries.push(docker_entry("docker load -i /dev/zero"));
    });
    // Lab switched.
    std::fs::copy(
        dir.path().join("good.json"),
        dir.path().join("switched.json"),
    )
    .expect("copy");
    c.rechain(&dir.path().join("switched.json"), |entries| {
        entries.insert(1, Entry::new("start images", EntryKind::Tutor));
    });
    std::fs::write(dir.path().join("notes.txt"), "not a report\n").expect("write");
    // A FIFO is not opened (it would block): a row like any unreadable file.
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.json"))
        .status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    std::fs::create_dir(dir.path().join("subdir")).expect("mkdir");

    let grades = dir.path().join("grades.csv");
    // An old gradebook is replaced (and never read as a report).
    std::fs::write(&grades, "old\n").expect("write");
    let out = c
        .docklab()
        .arg("gradebook")
        .arg(dir.path())
        .arg("-o")
        .arg(&grades)
        .output()
        .expect("gradebook runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("6 rows, 1 verified, 5 rejected"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(&grades).expect("csv");
    let name = "\"'=Dupont, \"\"Jo\"\"\"";
    assert_eq!(
        csv,
        format!(
            "file,student,lab,passed,total,score,skipped,completed,status,attempt,attempts\r\n\
             good.json,{name},sandbox,3,3,100,,yes,verified,1,1\r\n\
             notes.txt,,,,,,,,rejected: unreadable report,,\r\n\
             pipe.json,,,,,,,,rejected: unreadable report,,\r\n\
             switched.json,{name},sandbox,,3,,,,rejected: lab switched to images,1,1\r\n\
             tampered.json,{name},sandbox,,3,,,,rejected: tampered chain at entry 1,1,1\r\n\
             unsafe.json,{name},sandbox,,3,,,,rejected: unsafe path /dev/zero,1,1\r\n"
        )
    );
    // Only the gradebook itself is left beside the reports (no temporary file).
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "good.json",
            "grades.csv",
            "notes.txt",
            "pipe.json",
            "subdir",
            "switched.json",
            "tampered.json",
            "unsafe.json"
        ]
    );

    // Every report verified: exit status 0.
    let only_good = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        dir.path().join("good.json"),
        only_good.path().join("good.json"),
    )
    .expect("copy");
    c.docklab()
        .arg("gradebook")
        .arg(only_good.path())
        .arg("-o")
        .arg(only_good.path().join("grades.csv"))
        .assert()
        .success();
}

#[test]
fn a_replay_past_its_time_limit_is_rejected() {
    let c = Class::new();
    let report = c.host("report.json");
    c.report(&full_script(&c, &c.host("a.tar")), &report, None);
    let start = Instant::now();
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = c
        .docklab()
        .env("TMPDIR", tmp.path())
        .env("DOCKLAB_REPLAY_TIMEOUT", "0")
        .arg("verify")
        .arg(&report)
        .output()
        .expect("verify runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Rejected: the replay did not finish within 0 s"),
        "{stderr}"
    );
    assert!(start.elapsed() < Duration::from_secs(30));
    // The stopped replay's sandbox is removed too.
    assert_eq!(std::fs::read_dir(tmp.path()).expect("dir").count(), 0);
}

#[test]
fn a_replay_that_writes_too_much_is_rejected() {
    let c = Class::new();
    let report = c.host("report.json");
    c.report(&full_script(&c, &c.host("a.tar")), &report, None);
    let out = c
        .docklab()
        .env("DOCKLAB_REPLAY_MAX_BYTES", "1000")
        .arg("verify")
        .arg(&report)
        .output()
        .expect("verify runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("Rejected: the replay wrote more than 1kB in its sandbox"),
        "{stderr}"
    );
}

/// A report that cannot be read is named, with LINE:COL when it is not JSON; exit status 2.
#[test]
fn an_unreadable_report_is_named_with_its_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  not json").expect("write");
    let out = Command::cargo_bin("docklab")
        .expect("built")
        .args(["--lang", "en", "verify"])
        .arg(&bad)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("{}:2:3: key must be a string", bad.display())),
        "{err}"
    );
    let missing = dir.path().join("missing.json");
    let out = Command::cargo_bin("docklab")
        .expect("built")
        .args(["--lang", "en", "verify"])
        .arg(&missing)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}: ", missing.display())), "{err}");
}
