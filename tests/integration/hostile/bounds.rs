//! Hostile input that must stay bounded: `--format` templates that ask for huge widths,
//! ranges and copies, `reference=` globs that backtrack, Dockerfiles whose values double,
//! FIFOs and devices where files are expected, lab files that are not regular files, and
//! archive strings that carry escape sequences. Each run has a time limit (a regression fails
//! instead of hanging the suite) and, where the item is about memory, an address-space limit.

use super::{out, Env, Out};
use pretty_assertions::assert_eq;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space given to docklab where memory is what a test is about: far below what the
/// unbounded versions took (3.9 GB to 12.6 GB), far above what docklab needs.
const MEMORY_LIMIT_KB: u64 = 1 << 20;
/// Each command must end within this: the bounded versions take well under a second.
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Runs `command` (its output piped) under [`TIME_LIMIT`]: on timeout the child is killed and
/// the test fails.
fn bounded(mut command: Command) -> Out {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("docklab runs");
    // The output is read on threads so that a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let read_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let read_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut v);
        v
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("docklab did not finish within {TIME_LIMIT:?}: {command:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    out(&std::process::Output {
        status,
        stdout: read_out.join().expect("stdout reader"),
        stderr: read_err.join().expect("stderr reader"),
    })
}

impl Env {
    /// `docklab docker ARGS` under the time limit, and under `ulimit -v` when `memory` is set.
    fn docker_bounded(&self, args: &[&str], memory: bool) -> Out {
        let mut command = if memory {
            let mut c = self.command(self.home.path());
            c.env("DOCKLAB_BIN", env!("CARGO_BIN_EXE_docklab"));
            let mut sh = Command::new("sh");
            sh.arg("-c")
                .arg(format!(
                    "ulimit -v {MEMORY_LIMIT_KB} && exec \"$DOCKLAB_BIN\" docker \"$@\""
                ))
                .arg("sh")
                .args(args);
            for (k, v) in c.get_envs() {
                match v {
                    Some(v) => sh.env(k, v),
                    None => sh.env_remove(k),
                };
            }
            sh.current_dir(self.dir.path());
            sh
        } else {
            let mut c = self.command(self.home.path());
            c.arg("docker").args(args);
            c
        };
        bounded(std::mem::replace(&mut command, Command::new("true")))
    }
}

#[test]
fn hostile_templates_end_with_go_shaped_errors_in_bounded_memory() {
    let env = Env::new();
    env.ok("pull alpine");
    // Go's fmt stops reading a width or precision past 10^6: Docker prints these markers.
    let o = env.docker_bounded(
        &[
            "image",
            "ls",
            "--format",
            r#"{{printf "%.999999999f" 1.0}}"#,
        ],
        true,
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "%!(NOVERB)%!(EXTRA float64=1)\n")
    );
    let o = env.docker_bounded(
        &["image", "ls", "--format", r#"{{printf "%999999999d" 1}}"#],
        true,
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "%!(NOVERB)%!(EXTRA int=1)\n")
    );
    // Widths Go still honours are honoured, within docklab's output limit.
    let o = env.docker_bounded(
        &["image", "ls", "--format", r#"{{printf "%9999999d" 1}}"#],
        true,
    );
    assert_eq!((o.code, o.stdout.len()), (0, 10_000_000));

    let cases = [
        (
            "{{range 3000000000}}{{end}}",
            "template: :1:8: executing \"\" at <3000000000>: range runs more than docklab's \
             limit of 1000000 iterations",
        ),
        (
            "{{pad .Repository 999999999 0}}",
            "template: :1:2: executing \"\" at <pad .Repository 999999999 0>: error calling \
             pad: result of 1000000005 bytes exceeds docklab's limit of 16777216 bytes",
        ),
        (
            "{{range 100}}{{printf \"%9999999d\" 1}}{{end}}",
            "template: :1:15: executing \"\" at <{{printf \"%9999999d\" 1}}>: output exceeds \
             docklab's limit of 16777216 bytes",
        ),
        (
            "{{$x := printf \"%9999999d\" 1}}{{range 1000000}}{{$y := $x}}{{end}}",
            "template: :1:55: executing \"\" at <$x>: template copies more than docklab's \
             limit of 268435456 bytes of values",
        ),
    ];
    for (format, want) in cases {
        let o = env.docker_bounded(&["image", "ls", "--format", format], true);
        assert_eq!(o.code, 1, "{format}: {}", o.all());
        assert_eq!(o.stdout, "", "{format}");
        // docker/cli words execution errors of `image ls` as parsing errors too.
        assert_eq!(
            o.stderr,
            format!("template parsing error: {want}\n"),
            "{format}"
        );
    }
    // `ps`, `inspect` and `history` share the same engine: one of each is enough.
    let o = env.docker_bounded(
        &[
            "inspect",
            "--format",
            "{{range 3000000000}}{{end}}",
            "alpine",
        ],
        true,
    );
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains("range runs more than docklab's limit"),
        "{}",
        o.stderr
    );
}

/// Makes a FIFO at `path`; false where `mkfifo` is missing or fails.
fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn reference_globs_match_in_linear_time_with_gos_syntax_errors() {
    let env = Env::new();
    env.ok("pull alpine");
    env.ok(&format!("tag alpine {}", "a".repeat(120)));
    let start = Instant::now();
    let o = env.docker_bounded(
        &[
            "image",
            "ls",
            "--format",
            "{{.Repository}}",
            "--filter",
            &format!("reference={}b", "*a".repeat(8)),
        ],
        false,
    );
    assert_eq!((o.code, o.all().as_str()), (0, ""));
    let o = env.docker_bounded(
        &["images", "--format", "{{.Repository}}", "a*a*a*a*a*a*a*a*a"],
        false,
    );
    assert_eq!((o.code, o.stdout), (0, format!("{}\n", "a".repeat(120))));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    // A malformed pattern is Go's path.ErrBadPattern, returned by the daemon.
    let o = env.docker_bounded(&["image", "ls", "--filter", "reference=alp[ine"], false);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            1,
            "",
            "Error response from daemon: syntax error in pattern\n"
        )
    );
}

#[test]
fn special_files_named_like_labs_are_skipped_without_blocking() {
    let env = Env::new();
    let labs = env.dir.path().join("labs");
    std::fs::create_dir_all(labs.join("dir.toml")).expect("mkdir");
    let fifo = labs.join("fifo.toml");
    let has_fifo = mkfifo(&fifo);
    std::os::unix::fs::symlink("/dev/zero", labs.join("zero.toml")).expect("symlink");
    let _socket = std::os::unix::net::UnixListener::bind(labs.join("socket.toml")).expect("bind");
    let mut c = env.command(env.home.path());
    c.args(["--labs", labs.to_str().expect("utf-8"), "labs"]);
    let o = bounded(c);
    assert_eq!(o.code, 0, "{}", o.all());
    assert!(o.stdout.contains("tags-et-ids"), "{}", o.stdout);
    let shown = |name: &str| labs.join(name).display().to_string();
    let mut want = vec![
        format!(
            "{}: this is not a regular file but a directory, so it was skipped without being read.",
            shown("dir.toml")
        ),
        format!(
            "{}: this is not a regular file but a socket, so it was skipped without being read.",
            shown("socket.toml")
        ),
        format!(
            "{}: this is not a regular file but a character device, so it was skipped without being read.",
            shown("zero.toml")
        ),
    ];
    if has_fifo {
        want.push(format!(
            "{}: this is not a regular file but a FIFO (named pipe), so it was skipped without being read.",
            shown("fifo.toml")
        ));
    }
    for line in &want {
        assert!(
            o.stderr.contains(line),
            "missing {line:?} in:\n{}",
            o.stderr
        );
    }
    // The same through $DOCKLAB_LABS, in French, in the tutor.
    let mut c = env.command(env.home.path());
    c.env("DOCKLAB_LABS", &labs).args(["--lang", "fr", "labs"]);
    let o = bounded(c);
    assert_eq!(o.code, 0, "{}", o.all());
    if has_fifo {
        assert!(
            o.stderr.contains(&format!(
                "{}\u{202f}: ce n'est pas un fichier ordinaire mais un tube nommé (FIFO), il a donc été ignoré sans être lu.",
                shown("fifo.toml")
            )),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn copy_of_a_fifo_archives_it_and_special_dockerfiles_are_refused() {
    let env = Env::new();
    env.ok("pull alpine");
    if !mkfifo(&env.dir.path().join("pipe")) {
        return; // no mkfifo on this machine
    }
    std::fs::create_dir_all(env.dir.path().join("d")).expect("mkdir");
    assert!(mkfifo(&env.dir.path().join("d/inner")));
    env.file("Dockerfile", "FROM alpine\nCOPY pipe /p\nCOPY d /d/\n");
    // BuildKit and the legacy builder both archive a FIFO as a FIFO entry.
    for builder in ["0", "1"] {
        let mut c = env.command(env.home.path());
        c.env("DOCKER_BUILDKIT", builder)
            .args(["docker", "build", "-q", "-t", "fifo", "."]);
        let o = bounded(c);
        assert_eq!(o.code, 0, "DOCKER_BUILDKIT={builder}: {}", o.all());
    }
    let history = env.ok("history --format '{{.CreatedBy}} {{.Size}}' fifo");
    assert!(
        history.stdout.contains("COPY pipe /p # buildkit 0B"),
        "{}",
        history.stdout
    );

    // A Dockerfile or .dockerignore that is not a regular file is never opened.
    let cases = [
        (
            vec!["build", "-f", "pipe", "."],
            "ERROR: failed to solve: failed to read dockerfile: pipe: not a regular file but a FIFO\n",
        ),
        (
            vec!["build", "-f", "/dev/zero", "."],
            "ERROR: failed to solve: failed to read dockerfile: /dev/zero: not a regular file but a character device\n",
        ),
        (
            vec!["build", "-f", "d", "."],
            "ERROR: failed to solve: failed to read dockerfile: d: not a regular file but a directory\n",
        ),
    ];
    for (args, want) in cases {
        let o = env.docker_bounded(&args, true);
        assert_eq!((o.code, o.stderr.as_str()), (1, want), "{args:?}");
    }
    let big = env.file(
        "Big.Dockerfile",
        format!("FROM alpine\n#{}\n", "x".repeat(2 << 20)),
    );
    let o = env.docker_bounded(&["build", "-f", big.to_str().expect("utf-8"), "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr
            .ends_with("bytes, more than the limit of 1048576 bytes\n"),
        "{}",
        o.stderr
    );
    assert!(mkfifo(&env.dir.path().join(".dockerignore")));
    let o = env.docker_bounded(&["build", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr
            .ends_with(".dockerignore: not a regular file but a FIFO\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn dockerfiles_that_grow_their_values_fail_in_bounded_memory() {
    let env = Env::new();
    env.ok("pull alpine");
    let mut doubling = String::from("FROM alpine\nENV A=0123456789abcdef\n");
    for _ in 0..40 {
        doubling.push_str("ENV A=$A$A\n");
    }
    env.file("Dockerfile", &doubling);
    let o = env.docker_bounded(&["build", "-t", "big", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains(
            "ERROR: failed to solve: the image config (ENV, ARG and LABEL values, history) would \
             exceed docklab's limit of 1048576 bytes\n"
        ),
        "{}",
        o.stderr
    );
    // One word past the limit, the config still under it.
    let mut word = String::from("FROM alpine\nENV A=0123456789abcdef\n");
    for _ in 0..14 {
        word.push_str("ENV A=$A$A\n");
    }
    word.push_str("LABEL x=$A$A$A$A$A\n");
    env.file("Dockerfile", &word);
    let o = env.docker_bounded(&["build", "-t", "big", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains(
            "ERROR: failed to solve: failed to process \"$A$A$A$A$A\": expanded value is \
             longer than docklab's limit of 1048576 bytes\n"
        ),
        "{}",
        o.stderr
    );
    // Many labels, each under the word limit: the image config's limit.
    let mut wide = String::from("FROM alpine\nENV A=0123456789abcdef\n");
    for _ in 0..13 {
        wide.push_str("ENV A=$A$A\n");
    }
    for i in 0..40 {
        wide.push_str(&format!("LABEL l{i}=$A\n"));
    }
    env.file("Dockerfile", &wide);
    let o = env.docker_bounded(&["build", "-t", "big", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(o.stderr.contains(" | >>> LABEL l"), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("would exceed docklab's limit of 1048576 bytes\n"),
        "{}",
        o.stderr
    );
    // ARG values repeated in every RUN's history line.
    let mut runs = String::from("FROM alpine\nARG A=0123456789abcdef\n");
    for _ in 0..14 {
        runs.push_str("ARG A=$A$A\n");
    }
    for i in 0..100 {
        runs.push_str(&format!("RUN echo {i}\n"));
    }
    env.file("Dockerfile", &runs);
    let o = env.docker_bounded(&["build", "-t", "big", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains("would exceed docklab's limit"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains(" | >>> RUN echo"), "{}", o.stderr);
    // Heredocs expanded into layers: bounded in total.
    let mut heredocs = String::from("FROM alpine\nENV A=0123456789abcdef\n");
    for _ in 0..13 {
        heredocs.push_str("ENV A=$A$A\n");
    }
    for i in 0..100 {
        heredocs.push_str(&format!("COPY <<EOF /f{i}\n$A$A$A$A$A$A$A\nEOF\n"));
    }
    env.file("Dockerfile", &heredocs);
    let o = env.docker_bounded(&["build", "-t", "big", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains(
            "ERROR: failed to solve: the heredocs of this build would hold more than docklab's \
             limit of 67108864 bytes\n"
        ),
        "{}",
        o.stderr
    );
    // The legacy builder commits an image per instruction: their configs are bounded in total.
    let mut steps = String::from("FROM alpine\nENV A=0123456789abcdef\n");
    for _ in 0..14 {
        steps.push_str("ENV A=$A$A\n");
    }
    for i in 0..200 {
        steps.push_str(&format!("LABEL l{i}=b\n"));
    }
    env.file("Dockerfile", &steps);
    let store_before = walk_size(&env.home.path().join("store"));
    let mut c = env.command(env.home.path());
    c.env("DOCKER_BUILDKIT", "0")
        .args(["docker", "build", "-q", "-t", "big", "."]);
    let o = bounded(c);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains(
            "the intermediate images of this build would hold more than docklab's limit of \
             67108864 bytes of image configs"
        ),
        "{}",
        o.stderr
    );
    let grown = walk_size(&env.home.path().join("store")) - store_before;
    assert!(grown < 100 << 20, "the store grew by {grown} bytes");
    // Too many instructions.
    env.file(
        "Dockerfile",
        format!("FROM alpine\n{}", "LABEL a=b\n".repeat(1000)),
    );
    let o = env.docker_bounded(&["build", "-t", "big", "."], true);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.contains(
            "ERROR: failed to solve: the Dockerfile has 1001 instructions, more than docklab's \
             limit of 1000\n"
        ),
        "{}",
        o.stderr
    );
    assert_eq!(env.docker("image ls -q big").stdout, "");
}

#[test]
fn ps_name_filters_compile_once_and_huge_expressions_match_nothing() {
    let env = Env::new();
    env.ok("pull alpine");
    for i in 0..20 {
        env.ok(&format!("create --name web{i} alpine"));
    }
    let o = env.docker_bounded(
        &[
            "ps",
            "-a",
            "--format",
            "{{.Names}}",
            "--filter",
            "name=((a{100}){100}){100}",
            "--filter",
            "name=web1[0-9]",
        ],
        true,
    );
    assert_eq!(o.code, 0, "{}", o.all());
    let mut names: Vec<&str> = o.stdout.lines().collect();
    names.sort_unstable();
    let want: Vec<String> = (10..20).map(|i| format!("web{i}")).collect();
    assert_eq!(names, want);
}

/// An archive of `files` (name, bytes), as `docker save` would lay it out.
fn archive(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, body) in files {
        let mut header = tar::Header::new_ustar();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, name, *body)
            .expect("append");
    }
    builder.into_inner().expect("tar")
}

#[test]
fn archive_strings_in_load_errors_are_escaped_and_special_inputs_refused() {
    let env = Env::new();
    let manifest = br#"[{"Config":"\u001b]0;pwned\u0007c.json","RepoTags":["a:1"],"Layers":[]}]"#;
    env.file("evil.tar", archive(&[("manifest.json", manifest)]));
    let o = env.docker_bounded(&["load", "-i", "evil.tar"], false);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            1,
            "Error response from daemon: docklab refused the archive: missing config \\x1b]0;pwned\\ac.json\n"
        )
    );
    let config = br#"{"architecture":"amd64","os":"linux","config":{},"created":"2025-01-01T00:00:00Z","history":[],"rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}"#;
    let manifest = br#"[{"Config":"c.json","Layers":["\u001b[2Jlayer.tar"]}]"#;
    env.file(
        "evil2.tar",
        archive(&[("manifest.json", manifest), ("c.json", config)]),
    );
    let o = env.docker_bounded(&["load", "-i", "evil2.tar"], false);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(!o.all().contains('\x1b'), "{:?}", o.all());
    assert!(
        o.stderr.contains("missing layer \\x1b[2Jlayer.tar"),
        "{}",
        o.stderr
    );

    let o = env.docker_bounded(&["load", "-i", "/dev/zero"], true);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            1,
            "Error response from daemon: docklab refused the archive: /dev/zero: not a regular file but a character device\n"
        )
    );
    if mkfifo(&env.dir.path().join("pipe.tar")) {
        let o = env.docker_bounded(&["load", "-i", "pipe.tar"], false);
        assert_eq!(o.code, 1, "{}", o.all());
        assert!(
            o.stderr
                .ends_with("pipe.tar: not a regular file but a FIFO\n"),
            "{}",
            o.stderr
        );
    }
}

#[test]
fn dockerfile_escape_sequences_are_escaped_in_build_errors() {
    let env = Env::new();
    env.ok("pull alpine");
    env.file("Dockerfile", "FROM alpine\nRUNN \x1b]0;pwned\x07 x\n");
    let o = env.docker_bounded(&["build", "."], false);
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(!o.all().contains('\x1b'), "{:?}", o.all());
    assert!(o.stderr.contains("RUNN \\x1b]0;pwned\\a x"), "{}", o.stderr);
    // A build that succeeds prints its steps: escaped too, with both builders.
    env.file("Dockerfile", "FROM alpine\nRUN echo \"\x1b]0;pwned\x07\"\n");
    for (builder, args) in [
        (
            "1",
            &["docker", "build", "--progress=plain", "-t", "esc", "."][..],
        ),
        ("0", &["docker", "build", "-t", "esc", "."][..]),
    ] {
        let mut c = env.command(env.home.path());
        c.env("DOCKER_BUILDKIT", builder).args(args);
        let o = bounded(c);
        assert_eq!(o.code, 0, "{}", o.all());
        assert!(!o.all().contains('\x1b'), "{:?}", o.all());
        assert!(
            o.all().contains("RUN echo \"\\x1b]0;pwned\\a\""),
            "{}",
            o.all()
        );
    }
}

/// Bytes of the files under `dir`.
fn walk_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => walk_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
