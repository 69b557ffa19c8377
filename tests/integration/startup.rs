//! `docklab docker WORD…` is read without clap when clap's reading is certain
//! (`Cli::docker_shortcut`): the words stay Docker's, docklab's environment variables mean what
//! they meant, and every command line the shortcut leaves to clap gets clap's answer, errors
//! included.

use std::process::{Command, Output};

fn docklab(home: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docklab"));
    c.env("DOCKLAB_HOME", home)
        .env_remove("DOCKLAB_ENGINE")
        .env_remove("DOCKLAB_DOCKER_BIN")
        .env_remove("DOCKLAB_CLOCK");
    c
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

fn run(c: &mut Command) -> Output {
    c.output().expect("docklab runs")
}

#[test]
fn the_shortcut_and_clap_answer_the_same() {
    let home = tempfile::tempdir().expect("temp home");
    let pulled = run(docklab(home.path()).args(["docker", "pull", "alpine"]));
    assert!(pulled.status.success(), "{}", text(&pulled.stderr));
    let d = home.path().to_str().expect("UTF-8 temp dir");
    for words in [
        &["images"][..],
        &["history", "alpine"],
        &["image", "inspect", "alpine"],
    ] {
        // Through the shortcut (home from DOCKLAB_HOME), then through clap (home from --home).
        let short = run(docklab(home.path()).arg("docker").args(words));
        let clap = run(Command::new(env!("CARGO_BIN_EXE_docklab"))
            .env_remove("DOCKLAB_HOME")
            .env_remove("DOCKLAB_ENGINE")
            .args(["--home", d, "docker"])
            .args(words));
        assert!(short.status.success(), "{words:?}: {}", text(&short.stderr));
        assert_eq!(
            (
                short.status.code(),
                text(&short.stdout),
                text(&short.stderr)
            ),
            (clap.status.code(), text(&clap.stdout), text(&clap.stderr)),
            "{words:?}"
        );
    }
}

#[test]
fn environment_values_clap_refuses_are_still_refused_by_clap() {
    let home = tempfile::tempdir().expect("temp home");
    let bogus = run(docklab(home.path())
        .env("DOCKLAB_ENGINE", "bogus")
        .args(["docker", "images"]));
    assert_eq!(bogus.status.code(), Some(2));
    assert!(
        text(&bogus.stderr).starts_with("error: invalid value 'bogus' for '--engine <ENGINE>'"),
        "{}",
        text(&bogus.stderr)
    );
    let empty = run(docklab(home.path())
        .env("DOCKLAB_HOME", "")
        .args(["docker", "images"]));
    assert_eq!(empty.status.code(), Some(2));
    assert!(
        text(&empty.stderr).starts_with("error: a value is required for '--home <DIR>'"),
        "{}",
        text(&empty.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_word_that_is_not_utf8_gets_claps_error() {
    use std::os::unix::ffi::OsStrExt as _;
    let home = tempfile::tempdir().expect("temp home");
    let out = run(docklab(home.path())
        .args(["docker", "tag"])
        .arg(std::ffi::OsStr::from_bytes(b"a\xff")));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error: invalid UTF-8 was detected"),
        "{}",
        text(&out.stderr)
    );
}

/// The real engine chosen by `DOCKLAB_ENGINE` runs `DOCKLAB_DOCKER_BIN` with every word after
/// `docker`, docklab's own option names included. A stand-in script, not Docker: no daemon is
/// involved (`DOCKER_HOST` points nowhere).
#[cfg(unix)]
#[test]
fn the_real_engine_from_the_environment_gets_every_word() {
    use std::os::unix::fs::PermissionsExt as _;
    let home = tempfile::tempdir().expect("temp home");
    let bin = home.path().join("fake-docker");
    std::fs::write(&bin, "#!/bin/sh\necho \"fake docker: $*\"\n").expect("write script");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = run(docklab(home.path())
        .env("DOCKLAB_ENGINE", "docker")
        .env("DOCKLAB_DOCKER_BIN", &bin)
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(["docker", "images", "--home", "x", "--", "--lang", "fr"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "fake docker: images --home x -- --lang fr\n"
    );
}
