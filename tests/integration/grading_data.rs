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
