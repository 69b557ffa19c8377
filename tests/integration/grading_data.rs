//! No data lost on the grading path: `docker save -o` and `report -o` replace their file only
//! when the new one is whole, progress that cannot be saved is said, two shells cannot both hold
//! one lab, the progress file grows with the work (not with its square), and a store whose
//! version mark is gone is neither taken for empty nor called consistent.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CLOCK: &str = "2025-10-29T12:00:00Z";

fn docklab(home: &Path, cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docklab"));
    c.env("DOCKLAB_HOME", home)
        .env("DOCKLAB_CLOCK", CLOCK)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("DOCKLAB_LABS")
        .env_remove("DOCKLAB_ENGINE")
        .env_remove("DOCKER_BUILDKIT")
        .current_dir(cwd);
    c
}

/// The same command under a file size limit of `blocks` × 512 bytes (dash's unit), with SIGXFSZ
/// ignored so that a write past it fails with EFBIG, as on a full disk.
fn limited(c: &Command, blocks: u32) -> Command {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(c.get_program())
        .args(c.get_args());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => shell.env(k, v),
            None => shell.env_remove(k),
        };
    }
    if let Some(dir) = c.get_current_dir() {
        shell.current_dir(dir);
    }
    shell
}

fn text(o: &Output) -> (String, String) {
    let out = (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    assert!(!out.1.contains("panicked"), "docklab panicked: {}", out.1);
    out
}

/// Runs `c` with `input` on standard input.
fn with_stdin(mut c: Command, input: &[u8]) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docklab runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("docklab ends")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_failed_save_or_report_leaves_the_old_file_whole() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let d = |args: &[&str]| {
        let mut c = docklab(home.path(), dir.path());
        c.arg("docker").args(args);
        c
    };
    assert!(d(&["pull", "alpine"])
        .output()
        .expect("pull")
        .status
        .success());
    let archive = dir.path().join("alpine.tar");
    std::fs::write(&archive, b"an archive saved earlier").expect("write");
    // 1 KB: less than the archive (a few tar headers and the blobs).
    let o = limited(&d(&["save", "-o", "alpine.tar", "alpine"]), 2)
        .output()
        .expect("save runs");
    let (_, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "The disk is full: docklab could not write in {}. The command was not completed and the images already there are untouched. Free some space, then try again.\n",
            archive.display()
        )
    );
    assert_eq!(
        std::fs::read(&archive).expect("read"),
        b"an archive saved earlier"
    );
    assert_eq!(names_in(dir.path()), ["alpine.tar"], "a temp file was left");
    // With room, the archive replaces the old file, whole: it loads back.
    assert!(d(&["save", "-o", "alpine.tar", "alpine"])
        .output()
        .expect("save")
        .status
        .success());
    assert_eq!(names_in(dir.path()), ["alpine.tar"]);
    assert!(d(&["rmi", "alpine"])
        .output()
        .expect("rmi")
        .status
        .success());
    let o = d(&["load", "-i", "alpine.tar"]).output().expect("load");
    assert!(o.status.success(), "{:?}", text(&o));

    // The same for a report.
    let shell = docklab(home.path(), dir.path());
    let mut shell_args = shell;
    shell_args.args(["--lab", "images"]);
    let o = with_stdin(shell_args, b"docker images\necho hello > notes.txt\n");
    text(&o);
    let report = dir.path().join("report.json");
    std::fs::write(&report, b"{\"an earlier\": \"report\"}").expect("write");
    let mut r = docklab(home.path(), dir.path());
    r.args(["report", "-o"]).arg(&report);
    let o = limited(&r, 2).output().expect("report runs");
    let (_, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "The report could not be written to {} (the disk is full). A file already there is left as it was.\n",
            report.display()
        )
    );
    assert_eq!(
        std::fs::read(&report).expect("read"),
        b"{\"an earlier\": \"report\"}"
    );
    assert_eq!(names_in(dir.path()), ["alpine.tar", "report.json"]);
    let mut r = docklab(home.path(), dir.path());
    r.args(["--lang", "fr", "report", "-o"]).arg(&report);
    let o = limited(&r, 2).output().expect("report runs");
    assert!(
        text(&o)
            .1
            .contains("(le disque est plein). Un fichier déjà présent est laissé tel quel."),
        "{:?}",
        text(&o)
    );
    let o = r.output().expect("report runs");
    assert!(o.status.success(), "{:?}", text(&o));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).expect("read")).expect("a whole report");
    assert_eq!(written["labs"][0]["lab"], "images");
}

/// 150 appends to an 800 KB file once made a 121 MB progress file: each line stored the whole
/// file again. Now each append records its bytes, the files replay byte for byte (binary ones
/// too) and the report verifies.
#[test]
fn progress_and_reports_grow_with_the_work_and_replay_byte_for_byte() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let mut script = String::from("head -c 800000 /dev/zero | tr '\\000' x > big.txt\n");
    for _ in 0..150 {
        script.push_str("echo line >> big.txt\n");
    }
    script.push_str("printf '\\377\\376\\000bin\\200' > bin.dat\n");
    script.push_str("printf 'caf\\303\\251\\n' >> big.txt\n");
    script.push_str("printf 'x\\377' >> bin.dat\n");
    let mut c = docklab(home.path(), dir.path());
    c.args(["--lab", "couches"]);
    let o = with_stdin(c, script.as_bytes());
    text(&o);
    let run = home.path().join("runs/couches");
    let big = std::fs::read(run.join("home/big.txt")).expect("big.txt");
    assert_eq!(big.len(), 800_000 + 150 * 5 + 6);
    let bin = std::fs::read(run.join("home/bin.dat")).expect("bin.dat");
    assert_eq!(bin, b"\xff\xfe\x00bin\x80x\xff");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let progress = size(&run.join("progress.json")) + size(&run.join("progress.journal"));
    assert!(
        progress < 900_000,
        "{progress} bytes of progress for an 800 KB file and 150 lines"
    );
    let report = dir.path().join("report.json");
    let mut r = docklab(home.path(), dir.path());
    r.args(["report", "--lab", "couches", "-o"]).arg(&report);
    assert!(r.output().expect("report").status.success());
    assert!(
        size(&report) < 1_000_000,
        "{} bytes of report",
        size(&report)
    );
    let started = std::time::Instant::now();
    let mut v = docklab(home.path(), dir.path());
    v.arg("verify").arg(&report);
    let o = v.output().expect("verify");
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "verify took {:?}",
        started.elapsed()
    );

    // The replay restores both files exactly.
    let parsed: docklab::report::Report =
        serde_json::from_slice(&std::fs::read(&report).expect("read")).expect("a report");
    assert_eq!(parsed.format, "docklab-report/3");
    let catalog = docklab::lab::Catalog::load(&[]);
    let sandbox = tempfile::tempdir().expect("sandbox");
    let clock = docklab::engine::Clock::frozen(CLOCK.parse().expect("a time"));
    docklab::report::replay(&catalog, &parsed.labs[0], sandbox.path(), clock).expect("replays");
    let home = docklab::report::replay_home(&parsed.labs[0]);
    let replayed = sandbox
        .path()
        .join(home.strip_prefix("/").unwrap_or(&home))
        .join("runs/couches/home");
    assert_eq!(std::fs::read(replayed.join("big.txt")).expect("big"), big);
    assert_eq!(std::fs::read(replayed.join("bin.dat")).expect("bin"), bin);
}

/// A report written by docklab before edits were recorded (`docklab-report/1`, whole file
/// contents; made by the previous version) still verifies, chain and replay.
#[test]
fn a_version_1_report_with_whole_files_still_verifies() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report-v1.json");
    let json = std::fs::read_to_string(&fixture).expect("fixture");
    assert!(json.contains("\"format\": \"docklab-report/1\""));
    assert!(
        json.contains("\"notes.txt\": \"caf\u{e9}\\nmore\\n\""),
        "{json}"
    );
    let mut v = docklab(home.path(), dir.path());
    v.arg("verify").arg(&fixture);
    let o = v.output().expect("verify");
    let (stdout, stderr) = text(&o);
    assert!(o.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("couches: Hash chain intact (5 entries).")
            && stdout.contains("confirms the results: 1 passed, 1 skipped."),
        "{stdout}"
    );
}

/// Progress that cannot be written is said (where and why), once, and the session goes on.
#[test]
fn progress_that_cannot_be_saved_is_said_once_and_the_session_goes_on() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let mut c = docklab(home.path(), dir.path());
    c.args(["--lab", "couches"]);
    text(&with_stdin(c, b"echo hi\n"));
    // 2 KB: the progress so far fits, a 3 KB file's record does not.
    let mut c = docklab(home.path(), dir.path());
    c.args(["--lab", "couches"]);
    let o = with_stdin(
        limited(&c, 4),
        b"head -c 3000 /dev/zero | tr '\\000' a > big.txt\necho one\necho two\nhint\necho still-here\n",
    );
    let (stdout, stderr) = text(&o);
    let run = home.path().join("runs/couches");
    let warning = format!(
        "Your progress in lab couches could not be saved to {} (the disk is full). You can go on",
        run.display()
    );
    assert_eq!(stdout.matches(&warning).count(), 1, "{stdout}{stderr}");
    let said = stdout.find(&warning).expect("the warning");
    assert!(
        stdout[said..].contains("still-here\n"),
        "the session went on: {stdout}"
    );
    // What was saved before the failure is intact.
    let p = docklab::lab::progress::load_checked(home.path(), "couches")
        .expect("readable")
        .expect("there");
    assert_eq!(p.entries[0].line, "echo hi");
}

/// Saving works again after a failure: the student is told, and nothing typed meanwhile is lost.
#[test]
fn progress_saved_again_after_a_failure_loses_nothing() {
    use docklab::session::{Session, SessionOptions, ShellMode};
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::new(SessionOptions {
        home: home.path().to_owned(),
        clock: docklab::engine::Clock::frozen(CLOCK.parse().expect("a time")),
        lang: docklab::i18n::Lang::Fr,
        catalog: docklab::lab::Catalog::load(&[]),
        shell: ShellMode::Detached,
        engine: docklab::session::EngineChoice::Sim,
    });
    s.start_lab("couches", false);
    // A directory where the journal goes: appending to it fails.
    let journal = home.path().join("runs/couches/progress.journal");
    std::fs::create_dir_all(journal.join("x")).expect("mkdir");
    let said = |fb: &[docklab::feedback::Feedback]| format!("{fb:?}");
    let fb = said(&s.handle("echo un > a.txt", &mut docklab::engine::NoInput));
    assert!(fb.contains("ProgressNotSaved { id: \"couches\""), "{fb}");
    let fb = said(&s.handle("echo deux > b.txt", &mut docklab::engine::NoInput));
    assert!(!fb.contains("ProgressNotSaved"), "said twice: {fb}");
    // Starting the same lab again resumes from memory, not from what the disk has.
    let fb = said(&s.start_lab("couches", false));
    assert!(fb.contains("LabResumed"), "{fb}");
    std::fs::remove_dir_all(&journal).expect("rmdir");
    let fb = said(&s.handle("echo trois", &mut docklab::engine::NoInput));
    assert!(
        fb.contains("ProgressSavedAgain { id: \"couches\" }"),
        "{fb}"
    );
    let p = docklab::lab::progress::load(home.path(), "couches").expect("saved");
    let lines: Vec<&str> = p.entries.iter().map(|e| e.line.as_str()).collect();
    assert_eq!(
        lines,
        ["echo un > a.txt", "echo deux > b.txt", "echo trois"]
    );
}

/// Two shells on one lab: the second is refused (in its language, naming the first), touches
/// nothing, and once the first quits it resumes with the first one's transcript whole.
#[test]
fn a_second_shell_on_the_same_lab_is_refused_and_loses_nothing() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let mut first = docklab(home.path(), dir.path())
        .args(["--lab", "couches"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("first shell");
    let mut stdin = first.stdin.take().expect("stdin");
    stdin
        .write_all(b"echo first > one.txt\ndocker pull debian:trixie-slim\n")
        .expect("write");
    stdin.flush().expect("flush");
    let run = home.path().join("runs/couches");
    // The first shell holds the lab once it wrote its process ID in the lock and saved the lab's
    // start; it runs its lines when its input ends (a script reads it all first).
    let pid = first.id().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while docklab::lab::progress::load(home.path(), "couches").is_none()
        || std::fs::read_to_string(run.join("lock")).map_or(true, |t| t.trim() != pid)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the first shell never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let progress = || {
        (
            std::fs::read(run.join("progress.json")).ok(),
            std::fs::read(run.join("progress.journal")).ok(),
        )
    };
    let before = progress();

    // `docklab --lab couches`: refused, exit status 2.
    let mut c = docklab(home.path(), dir.path());
    c.args(["--lab", "couches"]);
    let o = with_stdin(c, b"echo second > two.txt\n");
    let (stdout, stderr) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        format!("{stdout}{stderr}").contains(&format!(
            "Lab couches is already open in another docklab (process {pid}); two shells on one lab would overwrite each other's transcript. Quit that shell (quit or Ctrl-D), then start the lab here. Nothing was changed. (Lock: {})",
            run.join("lock").display()
        )),
        "{stdout}{stderr}"
    );
    // `start couches` in a French shell on another lab: refused, that shell stays on its lab.
    let mut c = docklab(home.path(), dir.path());
    c.args(["--lang", "fr", "--lab", "a-vous-de-jouer"]);
    let o = with_stdin(c, b"start couches\necho here > two.txt\n");
    let (stdout, stderr) = text(&o);
    assert!(
        stdout.contains(&format!(
            "L'atelier couches est déjà ouvert dans un autre docklab (processus {pid})\u{202f};"
        )),
        "{stdout}{stderr}"
    );
    assert!(!run.join("home/two.txt").exists());
    assert!(home
        .path()
        .join("runs/a-vous-de-jouer/home/two.txt")
        .is_file());
    assert_eq!(progress(), before, "the refused shells changed the lab");

    // The first shell goes on, quits, and the lab then opens here with its whole transcript.
    stdin.write_all(b"echo again >> one.txt\n").expect("write");
    drop(stdin);
    let o = first.wait_with_output().expect("first shell ends");
    text(&o);
    let mut c = docklab(home.path(), dir.path());
    c.args(["--lab", "couches"]);
    let o = with_stdin(c, b"echo second > two.txt\n");
    let (stdout, stderr) = text(&o);
    assert!(stdout.contains("Back to lab couches"), "{stdout}{stderr}");
    let p = docklab::lab::progress::load(home.path(), "couches").expect("progress");
    let lines: Vec<&str> = p.entries.iter().map(|e| e.line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "echo first > one.txt",
            "docker pull debian:trixie-slim",
            "echo again >> one.txt",
            "echo second > two.txt"
        ]
    );
}

/// A store whose version mark (`state.json`) is gone is read as version 4, not taken for empty;
/// with no state file at all but an index listing images, it is refused; and fsck never calls a
/// store consistent whose index lists images its state lacks.
#[test]
fn a_lost_version_mark_or_an_emptied_state_loses_no_image() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let run = |home: &Path, args: &[&str]| run_in(home, dir.path(), args);
    let store = home.path().join("store");
    assert_eq!(run(home.path(), &["docker", "pull", "alpine"]).0, Some(0));
    std::fs::remove_file(store.join("state.json")).expect("remove the mark");
    let listed = |home: &Path| {
        run(
            home,
            &["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"],
        )
    };
    assert_eq!(listed(home.path()).1, "alpine:latest\n");
    assert_eq!(
        run(home.path(), &["docker", "tag", "alpine", "alpine:v2"]).0,
        Some(0)
    );
    assert_eq!(listed(home.path()).1, "alpine:latest\nalpine:v2\n");
    assert_eq!(
        std::fs::read_to_string(store.join("state.json")).expect("the mark is back"),
        r#"{"version":4}"#
    );
    let (code, stdout, _) = run(home.path(), &["store", "fsck"]);
    assert_eq!(code, Some(0), "{stdout}");

    // Both state files gone: refused, and nothing is written over what is left.
    // Rewritten whole first, so that the index lists all three references.
    assert_eq!(run(home.path(), &["store", "compact"]).0, Some(0));
    let v4 = std::fs::read(store.join("state.v4")).expect("state");
    std::fs::remove_file(store.join("state.json")).expect("remove");
    std::fs::remove_file(store.join("state.v4")).expect("remove");
    for args in [
        &["docker", "images"][..],
        &["docker", "pull", "hello-world"],
        &["store", "fsck"],
    ] {
        let (code, _, stderr) = run(home.path(), args);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("it is missing, but index.json lists 3 image references"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!store.join("state.v4").exists() && !store.join("state.json").exists());

    // A state emptied behind docklab's back (another store's, without images): fsck says the
    // index lists images the state lacks, and leaves the index alone.
    let other = tempfile::tempdir().expect("other home");
    assert_eq!(run(other.path(), &["docker", "pull", "alpine"]).0, Some(0));
    assert_eq!(run(other.path(), &["docker", "rmi", "alpine"]).0, Some(0));
    assert_eq!(run(other.path(), &["store", "compact"]).0, Some(0));
    let empty = std::fs::read(other.path().join("store/state.v4")).expect("empty state");
    std::fs::write(store.join("state.v4"), &empty).expect("write");
    std::fs::write(store.join("state.json"), r#"{"version":4}"#).expect("write");
    let index = std::fs::read(store.join("index.json")).expect("index");
    let (code, stdout, _) = run(home.path(), &["store", "fsck"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("index.json lists docker.io/library/alpine:v2 (manifest sha256:")
            && stdout.contains("which the state does not have"),
        "{stdout}"
    );
    assert!(!stdout.contains("The store is consistent."), "{stdout}");
    assert_eq!(
        std::fs::read(store.join("index.json")).expect("index"),
        index
    );
    // With the state back, all is well again.
    std::fs::write(store.join("state.v4"), &v4).expect("restore");
    assert_eq!(run(home.path(), &["store", "fsck"]).0, Some(0));
    assert_eq!(listed(home.path()).1, "alpine:latest\nalpine:v2\n");
}

/// The blobs `rmi` frees stay until the state file is rewritten (so that `index.json`, which
/// lists the state file's images, never names a missing blob): fsck tells them from leaks, and
/// `store compact` unlinks them, in either language.
#[test]
fn freed_blobs_wait_for_the_rewrite_and_store_compact_unlinks_them() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let run = |args: &[&str]| run_in(home.path(), dir.path(), args);
    let blobs = || blob_count(home.path());
    assert_eq!(run(&["docker", "pull", "alpine"]).0, Some(0));
    assert_eq!(run(&["docker", "pull", "hello-world"]).0, Some(0));
    let pulled = blobs();
    assert_eq!(run(&["docker", "rmi", "alpine"]).0, Some(0));
    assert_eq!(blobs(), pulled, "unlinked at the next rewrite, not now");
    let (code, stdout, _) = run(&["store", "fsck"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("3 blobs freed by recent commands, unlinked when the state file is next rewritten (docklab store compact).")
            && !stdout.contains("unreferenced")
            && stdout.contains("The store is consistent."),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["--lang", "fr", "store", "fsck"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("3 blobs libérés par des commandes récentes, supprimés à la prochaine réécriture du fichier d'état (docklab store compact)."),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["--lang", "fr", "store", "compact"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "a été réécrit en entier, avec son journal\u{202f}; index.json liste son image."
        ),
        "{stdout}"
    );
    assert_eq!(blobs(), pulled - 3);
    assert!(!home.path().join("store/state.journal").exists());
    let index = std::fs::read_to_string(home.path().join("store/index.json")).expect("index");
    assert!(
        index.contains("hello-world") && !index.contains("alpine"),
        "{index}"
    );
    let (code, stdout, _) = run(&["store", "fsck"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(!stdout.contains("freed"), "{stdout}");
    assert_eq!(
        run(&["docker", "images", "--format", "{{.Repository}}"]).1,
        "hello-world\n"
    );
}

/// A prune is there to free space: what it frees (and what `rmi` freed before it) is unlinked
/// by the prune itself.
#[test]
fn a_prune_unlinks_what_it_frees_at_once() {
    let home = tempfile::tempdir().expect("home");
    let dir = tempfile::tempdir().expect("cwd");
    let run = |args: &[&str]| {
        let (code, stdout, stderr) = run_in(home.path(), dir.path(), args);
        assert_eq!(code, Some(0), "{args:?}: {stdout}{stderr}");
    };
    let blobs = || blob_count(home.path());
    run(&["docker", "pull", "alpine"]);
    run(&["docker", "pull", "hello-world"]);
    run(&["docker", "rmi", "alpine"]);
    assert!(blobs() > 0);
    run(&["docker", "image", "prune", "-af"]);
    assert_eq!(blobs(), 0, "every blob freed, unlinked by the prune");
    assert!(!home.path().join("store/state.journal").exists());
    let index = std::fs::read_to_string(home.path().join("store/index.json")).expect("index");
    assert!(index.contains("\"manifests\": []"), "{index}");
}

/// Runs docklab with `args`: its exit code, stdout and stderr.
fn run_in(home: &Path, cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = docklab(home, cwd).args(args).output().expect("runs");
    let (stdout, stderr) = text(&o);
    (o.status.code(), stdout, stderr)
}

/// How many blobs the store under `home` holds.
fn blob_count(home: &Path) -> usize {
    std::fs::read_dir(home.join("store/blobs/sha256"))
        .expect("blobs")
        .count()
}
