//! `docklab docker build …` end to end: the seed lab's build, history, a rebuild with the cache,
//! the dangling image it leaves and the prunes, with the legacy builder's flow beside it.

use std::path::Path;
use std::process::Command;

const CLOCK: &str = "2025-10-29T12:00:00Z";

const SEED_DOCKERFILE: &str = r#"FROM debian:trixie-slim
LABEL maintainer="NGINX Docker Maintainers <docker-maint@nginx.com>"

ENV NGINX_VERSION=1.29.2
ENV NJS_VERSION=0.9.3
ENV PKG_RELEASE=1~trixie

RUN apt-get update \
    && apt-get install -y nginx \
    && apt-get clean

RUN ln -sf /dev/stdout /var/log/nginx/access.log \
    && ln -sf /dev/stderr /var/log/nginx/error.log

COPY index.html /var/www/html/

EXPOSE 80

CMD ["nginx", "-g", "daemon off;"]
"#;

struct Lab {
    home: tempfile::TempDir,
    dir: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Lab {
    fn new() -> Lab {
        let lab = Lab {
            home: tempfile::tempdir().expect("temp home"),
            dir: tempfile::tempdir().expect("temp context"),
        };
        lab.file("Dockerfile", SEED_DOCKERFILE);
        lab.file("index.html", "<h1>Mon serveur Nginx</h1>\n");
        lab
    }

    fn file(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn docker_env(&self, line: &str, env: &[(&str, &str)]) -> Out {
        let words = shell_words::split(line).expect("splits");
        let out = Command::new(env!("CARGO_BIN_EXE_docklab"))
            .arg("docker")
            .args(&words)
            .env("DOCKLAB_HOME", self.home.path())
            .env("DOCKLAB_CLOCK", CLOCK)
            .env_remove("DOCKER_BUILDKIT")
            .envs(env.iter().copied())
            .current_dir(self.dir.path())
            .output()
            .expect("runs");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn docker(&self, line: &str) -> Out {
        self.docker_env(line, &[])
    }

    fn ok(&self, line: &str) -> Out {
        let out = self.docker(line);
        assert_eq!(out.code, 0, "`{line}`: {}{}", out.stdout, out.stderr);
        out
    }
}

/// The plain progress with the image ID and the base digest folded.
fn fold(text: &str) -> String {
    let re = regex::Regex::new("sha256:[0-9a-f]{64}").expect("regex");
    re.replace_all(text, "sha256:…").into_owned()
}

#[test]
#[allow(clippy::too_many_lines, reason = "one scenario, end to end")]
fn seed_lab_build_history_rebuild_and_prune() {
    let lab = Lab::new();
    let first = lab.ok("build --progress=plain -t mon_nginx .");
    assert_eq!(first.stdout, "");
    pretty_assertions::assert_eq!(
        fold(&first.stderr),
        "#0 building with \"default\" instance using docker driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 464B done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/debian:trixie-slim
#2 DONE 0.6s

#3 [internal] load .dockerignore
#3 transferring context: 2B done
#3 DONE 0.0s

#4 [internal] load build context
#4 transferring context: 64B done
#4 DONE 0.0s

#5 [1/4] FROM docker.io/library/debian:trixie-slim@sha256:…
#5 resolve docker.io/library/debian:trixie-slim@sha256:… done
#5 sha256:… 397B / 397B done
#5 sha256:… 434B / 434B done
#5 sha256:… 29.78MB / 29.78MB 0.7s done
#5 extracting sha256:… 1.3s done
#5 DONE 2.0s

#6 [2/4] RUN apt-get update     && apt-get install -y nginx     && apt-get clean
#6 0.050 Get:1 http://deb.debian.org/debian trixie InRelease [140 kB]
#6 0.350 Get:2 http://deb.debian.org/debian trixie-updates InRelease [47.3 kB]
#6 0.650 Get:3 http://deb.debian.org/debian-security trixie-security InRelease [43.4 kB]
#6 0.950 Get:4 http://deb.debian.org/debian trixie/main amd64 Packages [9670 kB]
#6 1.250 Get:5 http://deb.debian.org/debian trixie-updates/main amd64 Packages [5412 B]
#6 1.550 Get:6 http://deb.debian.org/debian-security trixie-security/main amd64 Packages [37.6 kB]
#6 1.850 Fetched 9943 kB in 1s (7649 kB/s)
#6 2.150 Reading package lists...
#6 2.450 Reading package lists...
#6 2.948 Building dependency tree...
#6 3.446 Reading state information...
#6 3.944 The following NEW packages will be installed:
#6 4.442   nginx
#6 4.940 0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.
#6 5.439 Need to get 17.9 MB of archives.
#6 5.937 After this operation, 53.7 MB of additional disk space will be used.
#6 6.435 debconf: delaying package configuration, since apt-utils is not installed
#6 6.933 Selecting previously unselected package nginx.
#6 7.431 Unpacking nginx ...
#6 7.929 Setting up nginx ...
#6 DONE 8.8s

#7 [3/4] RUN ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log
#7 DONE 0.2s

#8 [4/4] COPY index.html /var/www/html/
#8 DONE 0.0s

#9 exporting to image
#9 exporting layers 0.1s done
#9 writing image sha256:… done
#9 naming to docker.io/library/mon_nginx done
#9 DONE 0.1s
"
    );
    let history = lab.ok("history mon_nginx").stdout;
    let rows: Vec<&str> = history.lines().collect();
    assert_eq!(rows.len(), 11, "{history}");
    assert!(
        rows[1].contains("CMD [\"nginx\" \"-g\" \"daemon off;\"]"),
        "{history}"
    );
    assert!(rows[2].starts_with("<missing>"));
    assert!(
        rows[3].contains(
            "COPY index.html /var/www/html/ # buildkit       27B       buildkit.dockerfile.v0"
        ),
        "{history}"
    );
    assert!(
        rows[5].contains("RUN /bin/sh -c apt-get update     && apt-get…   73.2MB"),
        "{history}"
    );
    assert!(
        rows[9].contains("LABEL maintainer=NGINX Docker Maintainers <d…   0B"),
        "{history}"
    );
    let images = lab.ok("images").stdout;
    assert!(images.contains("mon_nginx    latest"), "{images}");
    assert!(images.contains("152MB"), "{images}");
    // BuildKit pulled the base into its cache: not an image of the engine.
    assert!(!images.contains("debian"), "{images}");
    let config = lab
        .ok("image inspect -f '{{json .Config.Env}} {{json .Config.Cmd}} {{json .Config.ExposedPorts}}' mon_nginx")
        .stdout;
    assert!(config.contains("\"NGINX_VERSION=1.29.2\""), "{config}");
    assert!(
        config.contains("[\"nginx\",\"-g\",\"daemon off;\"]"),
        "{config}"
    );
    assert!(config.contains("{\"80/tcp\":{}}"), "{config}");

    // The same build again, a minute later: everything cached, the same image (its `created`
    // is the first build's), no dangling image.
    let id1 = lab.ok("images -q mon_nginx").stdout;
    let again = lab.docker_env(
        "build -t mon_nginx .",
        &[("DOCKLAB_CLOCK", "2025-10-29T12:01:00Z")],
    );
    // The steps are CACHED; the FROM is only resolved (`DONE 0.0s`), as recorded on Docker 26
    // with buildx: no step runs on the base's snapshot, so BuildKit does not load it.
    assert_eq!(
        again.stderr.matches("CACHED").count(),
        3,
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("FROM docker.io/library/debian:trixie-slim@sha256:")
            && again.stderr.contains("\n#4 DONE 0.0s\n"),
        "{}",
        again.stderr
    );
    assert_eq!(lab.ok("images -q mon_nginx").stdout, id1);
    assert!(!lab.ok("images").stdout.contains("<none>"));

    // Edit the page: everything before COPY is cached, the old image is left dangling.
    lab.file("index.html", "<h1>Mon serveur Nginx v2</h1>\n");
    let rebuild = lab.ok("build --progress=plain -t mon_nginx .");
    let err = fold(&rebuild.stderr);
    assert!(
        err.contains("#4 [1/4] FROM docker.io/library/debian:trixie-slim@sha256:…\n#4 DONE 0.0s\n"),
        "{err}"
    );
    assert!(
        err.contains("#6 CACHED\n") && err.contains("#7 CACHED\n"),
        "{err}"
    );
    assert!(
        err.contains("#8 [4/4] COPY index.html /var/www/html/\n#8 DONE 0.0s\n"),
        "{err}"
    );
    assert!(err.contains("#5 transferring context: 67B done"), "{err}");
    let images = lab.ok("images").stdout;
    assert!(images.contains("<none>       <none>"), "{images}");
    assert_ne!(lab.ok("images -q mon_nginx").stdout, id1);

    let df = lab.ok("system df").stdout;
    assert!(df.contains("Build Cache     "), "{df}");

    // The build cache still holds the old image's layers: the prune frees none of them.
    let prune = lab.ok("image prune -f").stdout;
    assert!(
        prune.starts_with("Deleted Images:\ndeleted: sha256:"),
        "{prune}"
    );
    assert_eq!(prune.matches("deleted: ").count(), 1, "{prune}");
    assert!(prune.ends_with("Total reclaimed space: 0B\n"), "{prune}");
    assert!(!lab.ok("images").stdout.contains("<none>"));

    // Without --all, the records the image shares stay (base, RUNs, new COPY).
    lab.ok("builder prune -f");
    let df = lab.ok("system df").stdout;
    assert!(
        df.contains("Build Cache     4         0         0B        0B"),
        "{df}"
    );
    let builder = lab.ok("builder prune -af").stdout;
    assert!(
        builder.starts_with("ID\t\t\t\t\t\tRECLAIMABLE\tSIZE\t\tLAST ACCESSED\n"),
        "{builder}"
    );
    assert!(builder.contains("\nTotal:\t"), "{builder}");
    // As recorded with buildx: the records left are the layers' (immutable: no `*` after the
    // ID; shared: `*` after the size); the header and the first row share their padding, the
    // later rows (flushed one by one) not. The context's mutable records, marked `*` after their
    // ID, are compared in the recorded scenarios (build-buildkit, build-buildkit-cache).
    let rows: Vec<&str> = builder
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("Total:"))
        .collect();
    assert_eq!(rows.len(), 4, "{builder}");
    assert!(
        rows.iter()
            .all(|l| !l.split_whitespace().next().unwrap_or("").ends_with('*')),
        "{builder}"
    );
    assert!(rows[0].contains("\ttrue \t\t"), "{builder}");
    assert!(
        rows[1..]
            .iter()
            .all(|l| l.contains("\ttrue \t") && !l.contains("\ttrue \t\t")),
        "{builder}"
    );
    let df = lab.ok("system df").stdout;
    assert!(
        df.contains("Build Cache     0         0         0B        0B"),
        "{df}"
    );

    // With the cache gone, the steps run again.
    let cold = lab.ok("build --progress=plain -t mon_nginx .");
    assert!(!cold.stderr.contains("#6 CACHED"), "{}", cold.stderr);
}

#[test]
fn quiet_build_prints_only_the_id_and_retagging_leaves_the_old_image_dangling() {
    let lab = Lab::new();
    let out = lab.ok("build -q -t site:1 .");
    assert_eq!(out.stderr, "");
    assert!(
        regex::Regex::new("^sha256:[0-9a-f]{64}\n$")
            .expect("re")
            .is_match(&out.stdout),
        "{}",
        out.stdout
    );
    lab.file(
        "Dockerfile",
        "FROM debian:trixie-slim\nCOPY index.html /srv/\n",
    );
    lab.ok("build -q -t site:1 .");
    let images = lab.ok("images").stdout;
    assert!(images.contains("<none>"), "{images}");
}

#[test]
fn dockerfile_errors_and_missing_sources_fail_as_buildkit_does() {
    let lab = Lab::new();
    lab.file("bad/Dockerfile", "FROM debian:trixie-slim\nRUNN echo\n");
    let out = lab.docker("build --progress=plain bad");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("Dockerfile:2\n--------------------\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)"), "{}", out.stderr);

    lab.file(
        "miss/Dockerfile",
        "FROM debian:trixie-slim\nCOPY nothere.txt /\n",
    );
    let out = lab.docker("build --progress=plain miss");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("\"/nothere.txt\": not found"),
        "{}",
        out.stderr
    );

    lab.file(
        "esc/Dockerfile",
        "FROM scratch\nCOPY ../../../../etc/passwd /\n",
    );
    let out = lab.docker("build --progress=plain esc");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("\"/etc/passwd\": not found"),
        "{}",
        out.stderr
    );

    lab.file("nobase/Dockerfile", "FROM 127.0.0.1:5000/library/nosuch\n");
    let out = lab.docker("build --progress=plain nobase");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("ERROR: failed to solve: 127.0.0.1:5000/library/nosuch: failed to resolve source metadata for 127.0.0.1:5000/library/nosuch:latest: 127.0.0.1:5000/library/nosuch:latest: not found"), "{}", out.stderr);

    let out = lab.docker("build --progress=plain nowhere");
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "ERROR: unable to prepare context: path \"nowhere\" not found\n"
    );
}

#[test]
fn multi_stage_dockerignore_and_target() {
    let lab = Lab::new();
    lab.file("app/main.txt", "hello\n");
    lab.file("app/secret.key", "k\n");
    lab.file(".dockerignore", "**/*.key\n");
    lab.file(
        "Dockerfile",
        "FROM debian:trixie-slim AS builder\nWORKDIR /src\nCOPY app/ ./\nRUN echo built > out.txt\n\nFROM scratch AS final\nCOPY --from=builder /src/main.txt /main.txt\n",
    );
    let out = lab.ok("build --progress=plain -t multi .");
    assert!(
        out.stderr
            .contains("[builder 1/4] FROM docker.io/library/debian:trixie-slim@sha256:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("[final 2/2] COPY --from=builder /src/main.txt /main.txt"),
        "{}",
        out.stderr
    );
    let history = lab
        .ok("history --no-trunc --format '{{.CreatedBy}}|{{.Size}}' multi")
        .stdout;
    assert_eq!(history, "COPY /src/main.txt /main.txt # buildkit|6B\n");
    let out = lab.ok("build -q --target builder -t b .");
    assert!(out.stdout.starts_with("sha256:"));
    let history = lab
        .ok("history --format '{{.CreatedBy}}|{{.Size}}' b")
        .stdout;
    // app/secret.key is left out by .dockerignore: main.txt alone (6 bytes).
    assert!(history.contains("COPY app/ ./ # buildkit|6B"), "{history}");
    assert!(history.contains("WORKDIR /src|0B"), "{history}");
}

#[test]
fn legacy_builder_keeps_intermediate_images_and_its_cache() {
    let lab = Lab::new();
    let legacy = [("DOCKER_BUILDKIT", "0")];
    let out = lab.docker_env("build -t leg .", &legacy);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n"
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "Sending build context to Docker daemon  3.072kB\r"
    );
    assert!(
        lines[1].starts_with("Step 1/10 : FROM debian:trixie-slim"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Step 2/10 : LABEL maintainer=\"NGINX Docker Maintainers <docker-maint@nginx.com>\"\n ---> Running in "), "{}", out.stdout);
    assert!(out
        .stdout
        .contains("\n ---> Removed intermediate container "));
    assert!(
        out.stdout.ends_with("Successfully tagged leg:latest\n"),
        "{}",
        out.stdout
    );
    let all = lab.ok("images -a").stdout;
    assert_eq!(all.matches("<none>       <none>").count(), 8, "{all}");
    // An intermediate image cannot be removed while its child exists.
    let ids = lab.ok("images -aq").stdout;
    let history = lab.ok("history -q leg").stdout;
    let parent = history.lines().nth(1).expect("a parent row");
    assert!(ids.contains(parent));
    let rmi = lab.docker(&format!("rmi {parent}"));
    assert_eq!(rmi.code, 1);
    assert!(
        rmi.stderr.contains("image has dependent child images"),
        "{}",
        rmi.stderr
    );
    let by = lab
        .ok("history --no-trunc --format '{{.CreatedBy}}' leg")
        .stdout;
    assert!(by.starts_with("/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daemon off;\"]\n/bin/sh -c #(nop)  EXPOSE 80\n/bin/sh -c #(nop) COPY file:"), "{by}");

    let again = lab.docker_env("build -t leg .", &legacy);
    assert_eq!(
        again.stdout.matches(" ---> Using cache\n").count(),
        9,
        "{}",
        again.stdout
    );
    let _ = Path::new("");
}

const LEGACY_NOTICE: &str = "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n\n";

#[test]
fn legacy_builder_prints_clean_dockerfile_paths() {
    let lab = Lab::new();
    let legacy = [("DOCKER_BUILDKIT", "0")];
    std::fs::remove_file(lab.dir.path().join("Dockerfile")).expect("rm Dockerfile");
    // Go's filepath.Join and Abs clean what they join: no `/./`, no `..`; symlinks resolved.
    let dir = std::fs::canonicalize(lab.dir.path()).expect("canonical");
    let lstat = |name: &str| {
        format!(
            "{LEGACY_NOTICE}unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {}: no such file or directory\n",
            dir.join(name).display()
        )
    };
    let out = lab.docker_env("build -t site .", &legacy);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    assert_eq!(out.stderr, lstat("Dockerfile"));
    let out = lab.docker_env("build -f ./app/../nosuch.Dockerfile -t site ./", &legacy);
    assert_eq!(out.stderr, lstat("nosuch.Dockerfile"));
    // Only the missing prefix is named.
    let out = lab.docker_env("build -f nodir/Dockerfile .", &legacy);
    assert_eq!(out.stderr, lstat("nodir"));
    // `dockerfile` stands in for a missing `Dockerfile`.
    lab.file("dockerfile", "FROM scratch\nLABEL a=b\n");
    let out = lab.docker_env("build -t lower .", &legacy);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn legacy_builder_sends_the_context_before_the_daemon_parses() {
    let lab = Lab::new();
    let legacy = [("DOCKER_BUILDKIT", "0")];
    lab.file("Dockerfile.bad", "FROM alpine\nRUNN echo hi\n");
    let error = "Error response from daemon: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)\n";
    let out = lab.docker_env("build -f Dockerfile.bad -t site .", &legacy);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .starts_with("Sending build context to Docker daemon  ")
            && out.stdout.lines().count() == 1,
        "{}",
        out.stdout
    );
    assert_eq!(out.stderr, format!("{LEGACY_NOTICE}{error}"));
    // With -q the client prints what it kept back on stderr, before the error.
    let quiet = lab.docker_env("build -q -f Dockerfile.bad -t site .", &legacy);
    assert_eq!(quiet.stdout, "");
    assert_eq!(
        quiet.stderr,
        format!("{LEGACY_NOTICE}{}{error}", out.stdout)
    );
    // A missing target is the daemon's answer too, in the classic builder's words.
    let out = lab.docker_env("build --target nosuch .", &legacy);
    assert_eq!(
        out.stderr,
        format!("{LEGACY_NOTICE}Error response from daemon: target stage \"nosuch\" could not be found\n")
    );
}

#[test]
fn legacy_builder_errors_after_a_step_are_printed_bare() {
    let lab = Lab::new();
    let legacy = [("DOCKER_BUILDKIT", "0")];
    lab.file("Dockerfile.base", "FROM 127.0.0.1:5000/library/nosuch\n");
    let error = "manifest for 127.0.0.1:5000/library/nosuch:latest not found: manifest unknown: manifest unknown\n";
    let out = lab.docker_env("build -f Dockerfile.base -t site .", &legacy);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .ends_with("\nStep 1/1 : FROM 127.0.0.1:5000/library/nosuch\n"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stderr, format!("{LEGACY_NOTICE}{error}"));
    let quiet = lab.docker_env("build -q -f Dockerfile.base -t site .", &legacy);
    assert_eq!((quiet.code, quiet.stdout.as_str()), (1, ""));
    assert_eq!(
        quiet.stderr,
        format!("{LEGACY_NOTICE}{}{error}", out.stdout)
    );
    // COPY names the missing source without its leading `./`.
    lab.file(
        "Dockerfile.copy",
        "FROM scratch\nCOPY index.html ./missing.html /srv/\n",
    );
    let out = lab.docker_env("build -f Dockerfile.copy -t site .", &legacy);
    assert_eq!(
        out.stderr,
        format!("{LEGACY_NOTICE}COPY failed: file not found in build context or excluded by .dockerignore: stat missing.html: file does not exist\n")
    );
    assert!(
        out.stdout
            .ends_with("Step 2/2 : COPY index.html ./missing.html /srv/\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn legacy_builder_refuses_a_bad_tag_as_a_flag() {
    let lab = Lab::new();
    let legacy = [("DOCKER_BUILDKIT", "0")];
    let expected = format!("{LEGACY_NOTICE}invalid argument \"Site\" for \"-t, --tag\" flag: invalid reference format: repository name (library/Site) must be lowercase\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n\nRun 'docker build --help' for more information\n");
    // Flags are parsed before the context is looked at.
    for line in ["build -t Site .", "build -t Site nosuchdir"] {
        let out = lab.docker_env(line, &legacy);
        assert_eq!((out.code, out.stdout.as_str()), (125, ""), "{line}");
        assert_eq!(out.stderr, expected, "{line}");
    }
    // buildx words it its own way.
    let out = lab.docker("build -t Site .");
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "ERROR: invalid tag \"Site\": invalid reference format: repository name (library/Site) must be lowercase\n"
    );
}

#[test]
fn legacy_builder_counts_global_args_and_stages_up_to_the_target() {
    let lab = Lab::new();
    let legacy = [("DOCKER_BUILDKIT", "0")];
    lab.file(
        "Dockerfile",
        "ARG BASE=scratch\nFROM ${BASE} AS one\nLABEL stage=one\nFROM one AS two\nLABEL stage=two\n",
    );
    let steps = |line: &str| -> Vec<String> {
        let out = lab.docker_env(line, &legacy);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
            .lines()
            .filter(|l| l.starts_with("Step "))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        steps("build -t all ."),
        [
            "Step 1/5 : ARG BASE=scratch",
            "Step 2/5 : FROM ${BASE} AS one",
            "Step 3/5 : LABEL stage=one",
            "Step 4/5 : FROM one AS two",
            "Step 5/5 : LABEL stage=two",
        ]
    );
    assert_eq!(
        steps("build --target one -t first ."),
        [
            "Step 1/3 : ARG BASE=scratch",
            "Step 2/3 : FROM ${BASE} AS one",
            "Step 3/3 : LABEL stage=one",
        ]
    );
}

/// A container prints the files its image's layers hold (`cat`, also through `sh -c`), and its
/// inspect document gives it a bridge address while it runs.
#[test]
fn containers_read_their_image_files_and_get_an_address() {
    let lab = Lab::new();
    lab.file("Dockerfile", "FROM alpine\nCOPY index.html /srv/\n");
    lab.ok("build -q -t site .");
    let out = lab.ok("run --rm site cat /srv/index.html");
    assert_eq!(out.stdout, "<h1>Mon serveur Nginx</h1>\n");
    let out = lab.ok("run --rm site sh -c 'cat /srv/index.html'");
    assert_eq!(out.stdout, "<h1>Mon serveur Nginx</h1>\n");
    // Nothing left behind by --rm.
    assert_eq!(lab.ok("ps -aq").stdout, "");

    lab.ok("run -d --name web -p 8080:80 nginx");
    lab.ok("create --name idle nginx");
    let out = lab.ok(
        "inspect -f '{{.NetworkSettings.IPAddress}} {{.NetworkSettings.Gateway}} {{json .NetworkSettings.Ports}} {{.HostConfig.PortBindings}}' web idle",
    );
    assert_eq!(
        out.stdout,
        "172.17.0.2 172.17.0.1 {\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"},{\"HostIp\":\"::\",\"HostPort\":\"8080\"}]} map[80/tcp:[{ 8080}]]\n  {} map[]\n"
    );
    // The container document keeps `<` as the daemon sends it; the image document escapes it.
    assert!(lab
        .ok("container inspect web")
        .stdout
        .contains("<docker-maint@nginx.com>"));
    assert!(lab
        .ok("image inspect nginx")
        .stdout
        .contains("\\u003cdocker-maint@nginx.com\\u003e"));
}

#[test]
fn run_steps_print_their_output_and_apt_get_without_yes_fails_in_each_builders_format() {
    let lab = Lab::new();
    lab.file(
        "Dockerfile",
        "FROM debian:trixie-slim\nRUN echo \"Installation de nginx...\"\nRUN apt-get update && apt-get install nginx\n",
    );
    let bk = lab.docker("build --progress=plain -t site .");
    assert_eq!(bk.code, 1, "{}", bk.stderr);
    assert!(
        bk.stderr
            .contains("#5 [2/3] RUN echo \"Installation de nginx...\"\n#5 0.050 Installation de nginx...\n#5 DONE"),
        "{}",
        bk.stderr
    );
    assert!(
        bk.stderr.contains("Do you want to continue? [Y/n] Abort.\n#6 ERROR: process \"/bin/sh -c apt-get update && apt-get install nginx\" did not complete successfully: exit code: 1\n------\n > [3/3] RUN apt-get update && apt-get install nginx:\n"),
        "{}",
        bk.stderr
    );
    assert!(
        bk.stderr.contains("Dockerfile:3\n--------------------\n"),
        "{}",
        bk.stderr
    );
    assert!(
        bk.stderr.ends_with("ERROR: failed to solve: process \"/bin/sh -c apt-get update && apt-get install nginx\" did not complete successfully: exit code: 1\n"),
        "{}",
        bk.stderr
    );
    assert!(!lab.ok("images").stdout.contains("site"));

    let legacy = lab.docker_env("build -t site .", &[("DOCKER_BUILDKIT", "0")]);
    assert_eq!(legacy.code, 1, "{}", legacy.stderr);
    assert!(
        legacy
            .stdout
            .contains("Installation de nginx...\n ---> Removed intermediate container "),
        "{}",
        legacy.stdout
    );
    assert!(
        legacy
            .stdout
            .ends_with("Do you want to continue? [Y/n] Abort.\n"),
        "{}",
        legacy.stdout
    );
    assert!(
        legacy.stderr.ends_with("The command '/bin/sh -c apt-get update && apt-get install nginx' returned a non-zero code: 1\n"),
        "{}",
        legacy.stderr
    );

    // No package lists without `apt-get update`: apt's own exit code, 100.
    lab.file(
        "Dockerfile",
        "FROM debian:trixie-slim\nRUN apt-get install -y nginx\n",
    );
    let legacy = lab.docker_env("build -t site .", &[("DOCKER_BUILDKIT", "0")]);
    assert_eq!(legacy.code, 100, "{}", legacy.stderr);
    assert!(
        legacy
            .stdout
            .ends_with("E: Unable to locate package nginx\n"),
        "{}",
        legacy.stdout
    );
    // `exit 3`: the legacy client exits with the step's code, BuildKit's with 1.
    lab.file("Dockerfile", "FROM debian:trixie-slim\nRUN exit 3\n");
    assert_eq!(
        lab.docker_env("build -t site .", &[("DOCKER_BUILDKIT", "0")])
            .code,
        3
    );
    let bk = lab.docker("build -t site .");
    assert_eq!(bk.code, 1);
    assert!(bk.stderr.contains("exit code: 3\n"), "{}", bk.stderr);
}

#[test]
fn build_labels_and_a_base_pulled_before_the_build() {
    let lab = Lab::new();
    lab.ok("pull debian:trixie-slim");
    lab.file(
        "Dockerfile",
        "FROM debian:trixie-slim\nCOPY index.html /srv/\n",
    );
    lab.ok("build -t site .");
    lab.ok("build --label version=1 --label \"auteur=Jean Dupont\" -t site:label .");
    let images = lab.ok("images").stdout;
    // Pulled by the student: still listed after the build.
    assert!(images.contains("debian       trixie-slim"), "{images}");
    assert_ne!(
        lab.ok("images -q site:label").stdout,
        lab.ok("images -q site").stdout
    );
    let found = lab.ok("images --filter label=version=1 --format {{.Repository}}:{{.Tag}}");
    assert_eq!(found.stdout, "site:label\n");
    assert_eq!(
        lab.ok("inspect -f '{{json .Config.Labels}}' site:label")
            .stdout,
        "{\"auteur\":\"Jean Dupont\",\"version\":\"1\"}\n"
    );
    // BuildKit writes no history row for them; the legacy builder adds one LABEL step each.
    assert!(!lab.ok("history site:label").stdout.contains("LABEL"));
    let legacy = lab.docker_env(
        "build --label version=2 --label a=b -t old .",
        &[("DOCKER_BUILDKIT", "0")],
    );
    assert!(
        legacy
            .stdout
            .contains("Step 3/4 : LABEL a=b\n ---> Running in "),
        "{}",
        legacy.stdout
    );
    assert!(
        legacy.stdout.contains("Step 4/4 : LABEL version=2\n"),
        "{}",
        legacy.stdout
    );
    assert!(lab
        .ok("history old")
        .stdout
        .contains("/bin/sh -c #(nop)  LABEL version=2"));
}

/// `COPY --from=IMAGE`: `BuildKit` resolves the image into its own cache, so `docker images` does
/// not list it afterwards (recorded on Docker 26 with buildx: only the built image and no
/// `busybox`); the classic builder pulls and tags it as `docker pull` does.
#[test]
fn copy_from_an_image_tags_it_only_with_the_legacy_builder() {
    let lab = Lab::new();
    lab.file(
        "Dockerfile",
        "FROM scratch\nCOPY --from=busybox /.docklab /stand-ins\n",
    );
    lab.ok("build -q -t cf:bk .");
    let images = lab.ok("images --format '{{.Repository}}:{{.Tag}}'").stdout;
    assert_eq!(images, "cf:bk\n");
    // Again: from BuildKit's cache, still untagged.
    lab.ok("build -q -t cf:bk2 .");
    let images = lab.ok("images --format '{{.Repository}}:{{.Tag}}'").stdout;
    assert!(!images.contains("busybox"), "{images}");
    let out = lab.docker_env("build -q -t cf:legacy .", &[("DOCKER_BUILDKIT", "0")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let images = lab.ok("images --format '{{.Repository}}:{{.Tag}}'").stdout;
    assert!(images.contains("busybox:latest"), "{images}");
}

/// overlay2 names the layers under an image's top one (`LowerDir`); an image of one layer has
/// none, and Docker leaves the key out (seen on the test bed, daemon 26.1.5).
#[test]
fn lower_dir_is_listed_only_for_images_of_more_than_one_layer() {
    let lab = Lab::new();
    lab.file("f", "hi\n");
    lab.file("Dockerfile", "FROM scratch\nCOPY f /f\n");
    lab.ok("build -q -t one .");
    lab.file("Dockerfile", "FROM scratch\nCOPY f /f\nCOPY f /g\n");
    lab.ok("build -q -t two .");
    let data = |image: &str| {
        lab.ok(&format!(
            "image inspect -f '{{{{json .GraphDriver.Data}}}}' {image}"
        ))
        .stdout
    };
    let one = data("one");
    assert!(!one.contains("LowerDir"), "{one}");
    assert!(
        one.contains("\"MergedDir\":\"/var/lib/docker/overlay2/"),
        "{one}"
    );
    let two = data("two");
    assert!(
        two.contains("\"LowerDir\":\"/var/lib/docker/overlay2/"),
        "{two}"
    );
}
