//! `docker search` over the offline catalog, the tutor's word when the catalog lacks an image,
//! `docker run` printing its pull before the container's output, and `apt-get install` without
//! `-y` failing a build in each builder's format. Docker-style output is compared with the
//! golden files of tests/snapshots/search/ and tests/snapshots/build/;
//! `DOCKLAB_UPDATE_SNAPSHOTS=1` rewrites them (review the diff before committing).

use std::path::Path;
use std::process::{Command, Stdio};

use docklab::engine::{Clock, Interaction};
use docklab::feedback::Feedback;
use docklab::i18n::{tr, Lang, Msg};
use docklab::lab::Catalog;
use docklab::session::{EngineChoice, Session, SessionOptions, ShellMode};

const CLOCK: &str = "2025-10-29T12:00:00Z";

use crate::support::snapshot;

fn docklab(home: &Path, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docklab"));
    c.env("DOCKLAB_HOME", home)
        .env("DOCKLAB_CLOCK", CLOCK)
        .env("NO_COLOR", "1")
        .env_remove("DOCKER_BUILDKIT")
        .env_remove("DOCKER_API_VERSION")
        .env_remove("DOCKLAB_ENGINE")
        .current_dir(dir);
    c
}

/// `docklab docker LINE` with `env`, written as the scenarios' `.real` files write a command:
/// `$ line`, `> ` before each stdout line, `! ` before each stderr line, `? ` the exit code.
fn transcript(home: &Path, dir: &Path, env: &[(&str, &str)], line: &str) -> String {
    let words = shell_words::split(line).expect("splits");
    let out = docklab(home, dir)
        .arg("docker")
        .args(&words)
        .envs(env.iter().copied())
        .output()
        .expect("docklab runs");
    let mut text = format!("$ docker {line}\n? {}\n", out.status.code().unwrap_or(-1));
    for (mark, stream) in [("> ", &out.stdout), ("! ", &out.stderr)] {
        for l in String::from_utf8_lossy(stream).lines() {
            text.push_str(mark);
            text.push_str(l);
            text.push('\n');
        }
    }
    text
}

/// Every `docker search` case the lab and the exercise rely on, as one golden transcript.
#[test]
fn search_lists_the_offline_catalog_as_docker_28_prints_it() {
    let home = tempfile::tempdir().expect("temp home");
    let lines = [
        "search nginx",
        "search apache",
        "search linux",
        "search --no-trunc linux",
        "search --limit 3 linux",
        "search --limit 0 linux",
        "search --limit 101 linux",
        "search --limit=-1 --filter stars=1000 linux",
        "search -f is-official=true -f stars=5000 o",
        "search -f is-official=false nginx",
        "search -f is-official=maybe nginx",
        "search -f stars=many nginx",
        "search -f is-automated=true nginx",
        "search -f is-automated=false nginx",
        "search -f official=true nginx",
        "search -f official nginx",
        "search --format '{{.Name}}: {{.StarCount}}' linux",
        "search --format 'table {{.Name}}\\t{{.IsOfficial}}' redis",
        "search --format json redis",
        "search --format '{{json .}}' --no-trunc redis",
        "search --format '{{.IsAutomated}}' redis",
        "search --format '{{.Name' redis",
        "search mysql",
        "search library/busybox",
        "search docker.io/library/hello-world",
        "search https://hub.docker.com/nginx",
        "search",
        "search nginx redis",
        "search --limit ten nginx",
        "search --help",
    ];
    let text: String = lines
        .iter()
        .map(|l| transcript(home.path(), home.path(), &[], l))
        .collect();
    snapshot("search", "search.txt", &text);
    // What the snapshot must show, whatever it was regenerated to.
    assert!(text.contains("$ docker search nginx\n? 0\n> NAME      DESCRIPTION                STARS     OFFICIAL\n> nginx     Official build of Nginx.   "));
    assert!(text.contains("> NAME      DESCRIPTION                      STARS     OFFICIAL\n> httpd     The Apache HTTP Server Project   "));
    assert!(text.contains("Arch Linux is a simple, lightweight Linux di…"));
    assert!(
        text.contains("! Error response from daemon: limit 101 is outside the range of [1, 100]\n")
    );
    assert!(text
        .contains("$ docker search mysql\n? 0\n> NAME      DESCRIPTION   STARS     OFFICIAL\n$"));
}

/// `run` of an image that is not local: Docker's order on one terminal, stderr's
/// `Unable to find image …` and pull first, then what the container prints.
#[test]
fn run_prints_the_pull_before_the_containers_output() {
    let home = tempfile::tempdir().expect("temp home");
    let log = home.path().join("both-streams");
    let file = std::fs::File::create(&log).expect("log file");
    let status = docklab(home.path(), home.path())
        .args(["docker", "run", "hello-world"])
        .stdout(Stdio::from(file.try_clone().expect("dup")))
        .stderr(Stdio::from(file))
        .status()
        .expect("docklab runs");
    assert!(status.success());
    let both = std::fs::read_to_string(&log).expect("read");
    let unable = both
        .find("Unable to find image 'hello-world:latest' locally\nlatest: Pulling from library/hello-world\n")
        .expect("the pull is announced");
    let status_line = both
        .find("Status: Downloaded newer image for hello-world:latest\n")
        .expect("the pull ends");
    let hello = both
        .find("Hello from Docker!")
        .expect("the container prints");
    assert!(unable < status_line && status_line < hello, "{both}");
    assert!(both.starts_with("Unable to find image"), "{both}");

    // The streams themselves stay Docker's: the pull on stderr, the container on stdout.
    let home = tempfile::tempdir().expect("temp home");
    let text = transcript(home.path(), home.path(), &[], "run busybox echo bonjour");
    assert!(text.starts_with("$ docker run busybox echo bonjour\n? 0\n> bonjour\n! Unable to find image 'busybox:latest' locally\n! latest: Pulling from library/busybox\n"), "{text}");
    // Once local, nothing comes before the output.
    let text = transcript(home.path(), home.path(), &[], "run busybox echo bonjour");
    assert_eq!(text, "$ docker run busybox echo bonjour\n? 0\n> bonjour\n");
}

struct NoAnswers;

impl Interaction for NoAnswers {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }
}

fn session(home: &Path, lang: Lang, engine: EngineChoice) -> Session {
    Session::new(SessionOptions {
        home: home.to_path_buf(),
        clock: Clock::frozen(CLOCK.parse().expect("valid time")),
        lang,
        catalog: Catalog::load(&[]),
        shell: ShellMode::Detached,
        engine,
    })
}

/// The session's answer to one line: Docker's stderr, then the tutor's messages.
fn answer(s: &mut Session, line: &str) -> (String, Vec<Msg>) {
    let fb = s.handle(line, &mut NoAnswers);
    let stderr = fb
        .iter()
        .filter_map(|f| match f {
            Feedback::Docker(o) => Some(o.stderr.clone()),
            _ => None,
        })
        .collect();
    // Docker's output comes before anything the tutor says about it.
    if let Some(first_tutor) = fb.iter().position(|f| f.msg().is_some()) {
        assert!(
            !fb[first_tutor..]
                .iter()
                .any(|f| matches!(f, Feedback::Docker(_))),
            "{line}: {fb:?}"
        );
    }
    (
        stderr,
        fb.iter().filter_map(Feedback::msg).cloned().collect(),
    )
}

const AVAILABLE: &str = "almalinux, alpine, archlinux, busybox, debian, hello-world, httpd, memcached, nginx, oraclelinux, postgres, python, redis, rockylinux, ubuntu";

#[test]
fn the_tutor_says_what_the_offline_catalog_lacks_after_dockers_own_error() {
    let home = tempfile::tempdir().expect("temp home");
    let mut s = session(home.path(), Lang::En, EngineChoice::Sim);
    let lacks = |image: &str| Msg::CatalogLacks {
        image: image.to_owned(),
        available: AVAILABLE.to_owned(),
    };

    let (stderr, msgs) = answer(&mut s, "docker pull node");
    assert_eq!(stderr, "Error response from daemon: pull access denied for node, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n");
    assert_eq!(msgs, [lacks("node")]);

    let (stderr, msgs) = answer(&mut s, "docker run -d --name db mysql:8");
    assert!(stderr.starts_with("Unable to find image 'mysql:8' locally\ndocker: Error response from daemon: pull access denied for mysql, "), "{stderr}");
    assert_eq!(msgs, [lacks("mysql")]);

    let (_, msgs) = answer(&mut s, "docker pull apache");
    assert_eq!(
        msgs,
        [Msg::OfficialImageIs {
            typed: "apache".into(),
            official: "httpd".into()
        }]
    );
    // The official image of `nodejs` is `node`, which the catalog lacks too.
    let (_, msgs) = answer(&mut s, "docker pull nodejs");
    assert_eq!(
        msgs,
        [
            Msg::OfficialImageIs {
                typed: "nodejs".into(),
                official: "node".into()
            },
            lacks("node")
        ]
    );
    // A typo is still a typo; another registry or a user's repository is not the catalog's.
    let (_, msgs) = answer(&mut s, "docker pull ngnix");
    assert_eq!(
        msgs,
        [Msg::DidYouMean {
            suggestion: "docker pull nginx".into()
        }]
    );
    let (_, msgs) = answer(&mut s, "docker pull bitnami/node");
    assert!(
        !msgs.iter().any(|m| matches!(m, Msg::CatalogLacks { .. })),
        "{msgs:?}"
    );
    // A pull that works says nothing of the kind.
    let (_, msgs) = answer(&mut s, "docker pull httpd");
    assert!(
        !msgs
            .iter()
            .any(|m| matches!(m, Msg::CatalogLacks { .. } | Msg::OfficialImageIs { .. })),
        "{msgs:?}"
    );

    // A repository the catalog has, at a tag it lacks: the tags it has.
    let (stderr, msgs) = answer(&mut s, "docker pull rockylinux");
    assert_eq!(stderr, "Error response from daemon: manifest for rockylinux:latest not found: manifest unknown: manifest unknown\n");
    assert_eq!(
        msgs,
        [Msg::CatalogTags {
            image: "rockylinux".into(),
            tags: "9, 9.3, 9.3.20231119".into()
        }]
    );
    let (_, msgs) = answer(&mut s, "docker run -d --name old httpd:2.2");
    assert!(
        matches!(&msgs[..], [Msg::CatalogTags { image, tags }] if image == "httpd" && tags.starts_with("latest, 2, 2.4, 2.4.65, trixie,") && tags.contains("2-alpine")),
        "{msgs:?}"
    );
    assert_eq!(
        tr(Lang::Fr, &msgs[0]).split(':').next(),
        Some("Le catalogue hors ligne de docklab n'a httpd qu'avec ces tags\u{202f}")
    );

    // Both languages say it.
    for (lang, words) in [
        (Lang::En, ["offline", "docker search", "httpd, memcached"]),
        (
            Lang::Fr,
            ["hors ligne", "docker search", "httpd, memcached"],
        ),
    ] {
        let text = tr(lang, &lacks("node"));
        for w in words {
            assert!(text.contains(w), "{lang}: {text}");
        }
    }
    let fr = tr(
        Lang::Fr,
        &Msg::OfficialImageIs {
            typed: "apache".into(),
            official: "httpd".into(),
        },
    );
    assert_eq!(fr, "Docker Hub n'a pas d'image officielle nommée apache\u{202f}; l'image officielle de ce logiciel s'appelle httpd.");
}

/// On the real engine `node` is pulled from Docker Hub: nothing about an offline catalog.
#[test]
fn the_real_engine_is_not_told_about_the_offline_catalog() {
    let home = tempfile::tempdir().expect("temp home");
    let fake = home.path().join("docker");
    std::fs::write(
        &fake,
        "#!/bin/sh\necho \"Error response from daemon: pull access denied for node, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\" >&2\nexit 1\n",
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mut s = session(home.path(), Lang::En, EngineChoice::Real(fake));
    let fb = s.handle("docker pull node", &mut NoAnswers);
    assert!(
        !fb.iter()
            .filter_map(Feedback::msg)
            .any(|m| matches!(m, Msg::CatalogLacks { .. } | Msg::OfficialImageIs { .. })),
        "{fb:?}"
    );
}

/// The REPL, piped, in both languages: Docker's error on stderr, the tutor on stdout.
#[test]
fn the_repl_adds_the_catalog_note_in_french_and_english() {
    for (lang, lacks, official) in [
        (
            "en",
            "but docklab works offline",
            "the official image for that software is named httpd.",
        ),
        (
            "fr",
            "mais docklab fonctionne hors ligne",
            "l'image officielle de ce logiciel s'appelle httpd.",
        ),
    ] {
        let home = tempfile::tempdir().expect("temp home");
        let out =
            docklab(home.path(), home.path())
                .args(["--lang", lang])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .and_then(|mut child| {
                    use std::io::Write as _;
                    child.stdin.take().expect("stdin").write_all(
                        b"docker pull mysql\ndocker pull apache\ndocker search apache\n",
                    )?;
                    child.wait_with_output()
                })
                .expect("docklab runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("pull access denied for mysql"), "{stderr}");
        assert!(stderr.contains("pull access denied for apache"), "{stderr}");
        assert!(stdout.contains(lacks), "{lang}: {stdout}");
        assert!(stdout.contains(official), "{lang}: {stdout}");
        assert!(
            stdout.contains("httpd     The Apache HTTP Server Project   4900      [OK]"),
            "{stdout}"
        );
    }
}

/// `RUN apt-get install PKG` without `-y`: apt reads no answer, aborts, and the build fails in
/// each builder's own format (golden files, IDs and digests folded).
#[test]
fn apt_get_install_without_yes_fails_the_build_in_both_builders() {
    let home = tempfile::tempdir().expect("temp home");
    let dir = tempfile::tempdir().expect("temp context");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM debian:trixie-slim\nRUN apt-get update\nRUN apt-get install nginx\n",
    )
    .expect("write");
    let fold = |text: String| {
        let digests = regex::Regex::new("sha256:[0-9a-f]{64}").expect("regex");
        let ids = regex::Regex::new(r"(Running in|--->|container) [0-9a-f]{12}").expect("regex");
        let text = digests.replace_all(&text, "sha256:…");
        ids.replace_all(&text, "$1 …").into_owned()
    };
    let buildkit = transcript(
        home.path(),
        dir.path(),
        &[],
        "build --progress=plain -t site .",
    );
    snapshot(
        "build",
        "apt-get-without-yes.buildkit.txt",
        &fold(buildkit.clone()),
    );
    assert!(buildkit.starts_with("$ docker build --progress=plain -t site .\n? 1\n"));
    assert!(buildkit.contains("! #6 0.316 Do you want to continue? [Y/n] Abort.\n! #6 ERROR: process \"/bin/sh -c apt-get install nginx\" did not complete successfully: exit code: 1\n"), "{buildkit}");
    assert!(buildkit.ends_with("! ERROR: failed to solve: process \"/bin/sh -c apt-get install nginx\" did not complete successfully: exit code: 1\n"), "{buildkit}");

    let legacy = transcript(
        home.path(),
        dir.path(),
        &[("DOCKER_BUILDKIT", "0")],
        "build -t site .",
    );
    snapshot(
        "build",
        "apt-get-without-yes.legacy.txt",
        &fold(legacy.clone()),
    );
    assert!(legacy.starts_with("$ docker build -t site .\n? 1\n"));
    assert!(
        legacy.contains("> Do you want to continue? [Y/n] Abort.\n"),
        "{legacy}"
    );
    assert!(
        legacy.ends_with(
            "! The command '/bin/sh -c apt-get install nginx' returned a non-zero code: 1\n"
        ),
        "{legacy}"
    );
    // Neither build left an image named site.
    assert!(!transcript(home.path(), dir.path(), &[], "images").contains("site"));
}

/// In a terminal (stdout and stderr on one screen, the pull animated), the REPL shows `run`'s
/// pull before the container's output, and the tutor's note after Docker's error.
#[test]
fn run_order_and_the_catalog_note_in_a_terminal() {
    use rexpect::session::spawn_command;
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docklab"));
    cmd.args(["--lang", "en"])
        .env("DOCKLAB_HOME", home.path())
        .env("DOCKLAB_CLOCK", CLOCK)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(30_000)).expect("spawn docklab in a pty");
    p.exp_string("~ $ ").expect("prompt");
    p.send_line("docker run hello-world").expect("send");
    // Each is looked for after the previous one: a container output printed first would
    // already have gone by.
    p.exp_string("Unable to find image 'hello-world:latest' locally")
        .expect("the pull is announced first");
    p.exp_string("Status: Downloaded newer image for hello-world:latest")
        .expect("then the pull ends");
    p.exp_string("Hello from Docker!")
        .expect("then the container prints");
    p.exp_string("~ $ ").expect("prompt");
    p.send_line("docker pull apache").expect("send");
    p.exp_string("pull access denied for apache")
        .expect("Docker's error");
    p.exp_string("the official image for that software is named httpd")
        .expect("then the tutor");
    p.exp_string("~ $ ").expect("prompt");
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits");
}
