//! Several docklab processes on one home at once are serialised by the store's lock: no tag is
//! lost, the state stays consistent, and a process that waits too long says so in the user's
//! language.

use std::process::{Command, Stdio};

fn docklab(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docklab"));
    c.env("DOCKLAB_HOME", home).env_remove("DOCKLAB_CLOCK");
    c
}

fn pull_alpine(home: &std::path::Path) {
    let pulled = docklab(home)
        .args(["docker", "pull", "alpine"])
        .output()
        .expect("pull");
    assert!(pulled.status.success());
}

fn assert_fsck_clean(home: &std::path::Path) {
    let fsck = docklab(home)
        .args(["store", "fsck"])
        .output()
        .expect("fsck");
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stdout)
    );
}

#[test]
fn concurrent_writers_lose_nothing() {
    let home = tempfile::tempdir().expect("temp home");
    pull_alpine(home.path());
    // 4 writers × 8 tags each, all at once, plus readers in between.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let home = home.path().to_owned();
            std::thread::spawn(move || {
                for t in 0..8 {
                    let tag = format!("alpine:w{w}t{t}");
                    let out = docklab(&home)
                        .args(["docker", "tag", "alpine", &tag])
                        .output()
                        .expect("tag");
                    assert!(
                        out.status.success(),
                        "{tag}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    let ls = docklab(&home)
                        .args(["docker", "images", "-q"])
                        .stdout(Stdio::null())
                        .status()
                        .expect("ls");
                    assert!(ls.success());
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer thread");
    }
    let out = docklab(home.path())
        .args(["docker", "images", "--format", "{{.Tag}}", "alpine"])
        .output()
        .expect("images");
    let tags: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(tags.len(), 33, "every tag survived: {tags:?}");
    assert_fsck_clean(home.path());
}

#[test]
fn a_writer_that_waits_too_long_is_told_why_in_its_language() {
    let home = tempfile::tempdir().expect("temp home");
    // Hold the store's lock from this test process, as another docklab would.
    let store = docklab::store::Store::open(
        &home.path().join("store"),
        std::time::Duration::from_secs(1),
    )
    .expect("store");
    for (lang, words) in [
        ("en", "Another docklab is using the store"),
        ("fr", "Un autre docklab utilise le magasin"),
    ] {
        let out = docklab(home.path())
            .args(["--lang", lang, "docker", "images"])
            .env("DOCKLAB_LOCK_WAIT_MS", "200")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(words), "{lang}: {stderr}");
    }
    drop(store);
}

/// A shell (the REPL, fed on its standard input) and `docklab docker …` processes write the same
/// store at once: every tag of both survives.
#[test]
fn a_shell_and_one_shot_commands_share_the_store_safely() {
    use std::io::Write as _;
    let home = tempfile::tempdir().expect("temp home");
    pull_alpine(home.path());
    let mut shell = docklab(home.path())
        .args(["--lang", "en"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the shell starts");
    let script: String = (0..12)
        .map(|t| format!("docker tag alpine fromshell:t{t}\ndocker images -q\n"))
        .chain(std::iter::once("quit\n".to_owned()))
        .collect();
    let mut input = shell.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(script.as_bytes());
    });
    for t in 0..12 {
        let out = docklab(home.path())
            .args(["docker", "tag", "alpine", &format!("fromcli:t{t}")])
            .output()
            .expect("tag");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    feeder.join().expect("feeder");
    let shell = shell.wait_with_output().expect("the shell ends");
    assert!(shell.status.success());
    let shell_out = String::from_utf8_lossy(&shell.stdout);
    assert!(!shell_out.contains("Error"), "{shell_out}");
    let out = docklab(home.path())
        .args(["docker", "images", "--format", "{{.Repository}}:{{.Tag}}"])
        .output()
        .expect("images");
    let names = String::from_utf8_lossy(&out.stdout);
    for t in 0..12 {
        assert!(names.contains(&format!("fromshell:t{t}\n")), "{names}");
        assert!(names.contains(&format!("fromcli:t{t}\n")), "{names}");
    }
    assert_fsck_clean(home.path());
}
