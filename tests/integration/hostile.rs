//! Hostile and broken input through the binary: oversized, deeply nested and broken lab files,
//! broken Dockerfiles, COPY sources that try to leave the context, damaged or future state
//! files, a full disk, bytes that are not UTF-8 and control characters. Each gets a clear error,
//! no panic, and the store keeps what it had.

use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use pretty_assertions::assert_eq;

mod bounds;

/// A data directory and a working directory, each a fresh temp directory.
struct Env {
    home: tempfile::TempDir,
    dir: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

fn out(o: &std::process::Output) -> Out {
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(
        !out.stderr.contains("panicked"),
        "docklab panicked: {}",
        out.stderr
    );
    out
}

impl Env {
    fn new() -> Env {
        Env {
            home: tempfile::tempdir().expect("temp home"),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn command(&self, home: &Path) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_docklab"));
        c.env("DOCKLAB_HOME", home)
            .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
            .env("NO_COLOR", "1")
            .env("LANG", "C")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANGUAGE")
            .env_remove("DOCKLAB_LABS")
            .env_remove("DOCKLAB_ENGINE")
            .env_remove("DOCKER_BUILDKIT")
            .current_dir(self.dir.path());
        c
    }

    /// `docklab ARGS` (words, not a shell line).
    fn run(&self, args: &[&str]) -> Out {
        out(&self
            .command(self.home.path())
            .args(args)
            .output()
            .expect("docklab runs"))
    }

    /// `docklab docker LINE` (split like a shell).
    fn docker(&self, line: &str) -> Out {
        let words = shell_words::split(line).expect("splits");
        out(&self
            .command(self.home.path())
            .arg("docker")
            .args(&words)
            .output()
            .expect("docklab runs"))
    }

    fn ok(&self, line: &str) -> Out {
        let o = self.docker(line);
        assert_eq!(o.code, 0, "`docker {line}`: {}", o.all());
        o
    }

    /// The shell fed `input` on standard input.
    fn shell(&self, args: &[&str], input: &[u8]) -> Out {
        let mut child = self
            .command(self.home.path())
            .args(args)
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
        out(&child.wait_with_output().expect("docklab ends"))
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Every image with its tags and the blobs on disk: what must not change.
    fn store(&self) -> (String, Vec<String>) {
        let images = self.ok("images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}'");
        let blobs = self.home.path().join("store/blobs/sha256");
        let mut names: Vec<String> = std::fs::read_dir(blobs)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        (images.stdout, names)
    }

    fn fsck_clean(&self) {
        let fsck = self.run(&["store", "fsck"]);
        assert_eq!(fsck.code, 0, "{}", fsck.all());
        assert!(
            fsck.stdout.contains("The store is consistent."),
            "{}",
            fsck.stdout
        );
    }
}

const LAB_HEAD: &str = "format_version = 1\nid = \"x\"\ntitle = { fr = \"a\", en = \"b\" }\nintro = { fr = \"a\", en = \"b\" }\n";

#[test]
fn oversized_nested_and_broken_labs_are_refused_by_file_name() {
    let env = Env::new();
    env.ok("pull alpine");
    let before = env.store();
    let labs = env.home.path().join("labs");
    std::fs::create_dir_all(&labs).expect("mkdir");
    // 100 MB, sparse: the size check must refuse it without reading it.
    let huge = labs.join("huge.toml");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(100 << 20))
        .expect("a sparse 100 MB file");
    std::fs::write(
        labs.join("deep.toml"),
        format!(
            "{LAB_HEAD}x = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    )
    .expect("write");
    std::fs::write(
        labs.join("deep-tables.toml"),
        format!(
            "{LAB_HEAD}x = {}1{}\n",
            "{a=".repeat(20_000),
            "}".repeat(20_000)
        ),
    )
    .expect("write");
    std::fs::write(
        labs.join("not-text.toml"),
        b"format_version = 1\nid = \"\xff\"\n",
    )
    .expect("write");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labs/broken/unknown-check.toml"),
        labs.join("unknown-check.toml"),
    )
    .expect("copy");
    let shown = huge.display().to_string();

    let listed = env.run(&["labs"]);
    assert_eq!(listed.code, 0, "{}", listed.all());
    assert!(listed.stdout.contains("tags-et-ids"), "{}", listed.stdout);
    assert!(
        listed.stderr.contains(&format!(
            "A lab file could not be loaded: {shown}: this lab file is too large (104857600 bytes; a lab file may have at most 1048576 bytes), so it was not read."
        )),
        "{}",
        listed.stderr
    );
    for (file, why) in [
        ("deep.toml", "max recursion depth met"),
        ("deep-tables.toml", "max recursion depth met"),
        (
            "not-text.toml",
            "not UTF-8 text (invalid byte at offset 25)",
        ),
        ("unknown-check.toml", "image_presnt"),
    ] {
        let line = listed
            .stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no error for {file}: {}", listed.stderr));
        assert!(line.contains(why), "{file}: {line}");
    }
    let fr = env.run(&["--lang", "fr", "labs"]);
    assert!(
        fr.stderr.contains(&format!("{shown}\u{202f}: ce fichier d'atelier est trop gros (104857600 octets\u{202f}; un fichier d'atelier fait au plus 1048576 octets), il n'a donc pas été lu.")),
        "{}",
        fr.stderr
    );

    let lint = env.run(&["lab", "lint", &shown]);
    assert_eq!(lint.code, 1);
    assert_eq!(
        lint.stdout,
        format!("{shown}:1:1: error: {shown}: this lab file is too large (104857600 bytes; a lab file may have at most 1048576 bytes), so it was not read.\n1 lab file checked: 1 error.\n")
            .replace("1 lab file checked", "0 lab files checked")
    );
    for args in [["lab", "test", &shown], ["lab", "show", &shown]] {
        let o = env.run(&args);
        assert_eq!(o.code, 1, "{args:?}: {}", o.all());
        assert!(
            o.all().contains("this lab file is too large"),
            "{args:?}: {}",
            o.all()
        );
    }
    let o = env.run(&["lab", "lint", &labs.join("deep.toml").display().to_string()]);
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("deep.toml:5:"), "{}", o.stdout);
    assert_eq!(env.store(), before);
}

#[test]
fn a_lab_whose_start_image_is_missing_starts_and_says_so() {
    let env = Env::new();
    let labs = env.home.path().join("labs");
    std::fs::create_dir_all(&labs).expect("mkdir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/labs/broken/not-in-catalog.toml"),
        labs.join("missing.toml"),
    )
    .expect("copy");
    let o = env.shell(
        &["--lab", "broken"],
        b"docker images --format '{{.Repository}}'\n",
    );
    assert!(
        o.all().contains("Could not prepare nginxx for the lab: Error response from daemon: pull access denied for nginxx"),
        "{}",
        o.all()
    );
    // The rest of the start state is there and the shell went on.
    assert!(o.stdout.contains("alpine\n"), "{}", o.stdout);
}

#[test]
fn broken_dockerfiles_fail_clearly_and_change_nothing() {
    let env = Env::new();
    env.ok("pull alpine");
    let before = env.store();
    env.file("heredoc/Dockerfile", "FROM alpine\nRUN <<EOF\necho hi\n");
    let o = env.docker("build --progress=plain -t h heredoc");
    assert_eq!(o.code, 1, "{}", o.all());
    assert!(
        o.stderr.ends_with(
            "Dockerfile:2\n--------------------\n   1 |     FROM alpine\n   2 | >>> RUN <<EOF\n   3 | >>> echo hi\n   4 |     \n--------------------\nERROR: failed to solve: unterminated heredoc\n"
        ),
        "{}",
        o.stderr
    );
    env.file("quote/Dockerfile", "FROM alpine\nCMD [\"a\n");
    let o = env.docker("build -q -t q quote");
    assert_eq!(
        o.code,
        0,
        "BuildKit reads a broken JSON form as shell form: {}",
        o.all()
    );
    env.ok("rmi q");
    env.file("nul/Dockerfile", "FROM alpine\nRUN echo \0\x07\x1b[2J\n");
    let o = env.docker("build -q -t nul nul");
    assert_eq!(o.code, 0, "{}", o.all());
    env.ok("rmi nul");
    assert_eq!(env.store().0, before.0);

    // A continuation at the end of the file ends the instruction, as BuildKit reads it.
    env.file("eof/Dockerfile", "FROM alpine\nRUN echo hi \\");
    env.ok("build -q -t eof eof");
    let history = env.ok("history --format '{{.CreatedBy}}' eof");
    assert!(
        history
            .stdout
            .starts_with("RUN /bin/sh -c echo hi # buildkit\n"),
        "{}",
        history.stdout
    );
    env.file("only/Dockerfile", "\\");
    let o = env.docker("build -q only");
    assert_eq!(o.code, 1, "{}", o.all());
    // BuildKit keeps the empty line as an instruction with no name.
    assert!(
        o.stderr.ends_with(
            "ERROR: failed to solve: dockerfile parse error on line 1: unknown instruction: \n"
        ),
        "{}",
        o.stderr
    );
    env.fsck_clean();
}

#[test]
fn copy_never_leaves_the_context() {
    let env = Env::new();
    env.ok("pull alpine");
    env.file("ctx/d/real.txt", "inside\n");
    let d = env.dir.path().join("ctx/d");
    std::os::unix::fs::symlink("/etc/passwd", d.join("passwd")).expect("symlink");
    std::os::unix::fs::symlink("/etc", d.join("etc")).expect("symlink");
    std::os::unix::fs::symlink("../../../../../../etc/shadow", d.join("up")).expect("symlink");
    // Names that are not UTF-8, and control characters in names.
    std::fs::write(d.join(OsStr::from_bytes(b"bad\xffname")), "x\n").expect("write");
    std::fs::write(d.join("ctl\x1b[31mname"), "y\n").expect("write");
    env.file("ctx/Dockerfile", "FROM alpine\nCOPY d /d/\n");
    env.ok("build -q -t linked ctx");
    // The links are copied as links (their targets' lengths), never followed out of the
    // context: real.txt 7 B, the two files 2 B each, the links 11 + 4 + 28 B.
    let size = env.ok("history --format '{{.Size}}' linked");
    assert!(size.stdout.starts_with("54B\n"), "{}", size.stdout);
    let before = env.store();

    for (source, key) in [
        ("d/passwd", "/d/passwd"),
        ("d/etc/passwd", "/d/etc/passwd"),
        ("d/up", "/d/up"),
        ("../../../../etc/hostname", "/etc/hostname"),
        ("/etc/hostname", "/etc/hostname"),
    ] {
        env.file("esc/Dockerfile", format!("FROM alpine\nCOPY {source} /x\n"));
        let o = env.docker("build --progress=plain -t escaped esc");
        assert_eq!(o.code, 1, "{source}: {}", o.all());
        assert!(
            o.stderr.contains(&format!("\"{key}\": not found")),
            "{source}: {}",
            o.stderr
        );
    }
    // The refused builds left neither an image nor a blob.
    assert_eq!(env.store(), before);
    env.fsck_clean();
}

#[test]
fn damaged_or_future_state_files_are_reported_and_left_untouched() {
    let env = Env::new();
    env.ok("pull alpine");
    let state = env.home.path().join("store/state.json");
    let (_, blobs) = env.store();
    for (bytes, en, fr) in [
        (
            &br#"{"version": 99, "images": {}}"#[..],
            format!("The store {} was written by a newer docklab (state version 99; this docklab reads version 4). It was left untouched: use that newer docklab, or another data directory (--home).", env.home.path().join("store").display()),
            "a été écrit par un docklab plus récent (état en version 99\u{202f}; ce docklab lit la version 4)",
        ),
        (
            &b"{\"version\": 1, \"images\": {\"sha"[..],
            format!("The store is damaged: {}: the state file is corrupt: EOF while parsing a string at line 1 column 30. Run docklab store fsck to see what is wrong.", state.display()),
            "Le magasin est endommagé",
        ),
        (
            &b"\xff\xfe\0\0"[..],
            "The store is damaged:".to_owned(),
            "Le magasin est endommagé",
        ),
    ] {
        std::fs::write(&state, bytes).expect("write");
        for line in ["images", "pull nginx", "tag alpine a:1", "rmi alpine", "system prune -af"] {
            let o = env.docker(line);
            assert_eq!(o.code, 1, "{line}: {}", o.all());
            assert!(o.stderr.contains(&en), "{line}: {}", o.stderr);
        }
        let o = env.run(&["--lang", "fr", "docker", "images"]);
        assert!(o.stderr.contains(fr), "{}", o.stderr);
        let o = env.run(&["store", "fsck"]);
        assert_eq!(o.code, 1, "{}", o.all());
        let o = env.shell(&[], b"docker images\nlayers\n");
        assert_eq!(o.all().matches(en.as_str()).count(), 2, "{}", o.all());
        assert_eq!(std::fs::read(&state).expect("read"), bytes, "the state file was rewritten");
        let mut now: Vec<String> = std::fs::read_dir(env.home.path().join("store/blobs/sha256"))
            .expect("blobs")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        now.sort();
        assert_eq!(now, blobs, "blobs changed");
    }
}

/// The state file (`state.v4`, lines) damaged: a clear error, nothing rewritten.
#[test]
fn a_damaged_line_state_is_reported_and_left_untouched() {
    let env = Env::new();
    env.ok("pull alpine");
    env.ok("tag alpine mine:1");
    let state = env.home.path().join("store/state.v4");
    let journal = env.home.path().join("store/state.journal");
    let good = std::fs::read(&state).expect("a version 4 store has state.v4");
    for bytes in [
        good[..good.len() / 2].to_vec(),
        // Cut at a line boundary.
        good[..=good[..good.len() - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .expect("lines")]
            .to_vec(),
        b"image zz not-a-record\n".to_vec(),
        b"\xff\xfe\0\0".to_vec(),
    ] {
        std::fs::write(&state, &bytes).expect("write");
        for line in ["images", "pull nginx", "tag alpine b:1", "rmi alpine"] {
            let o = env.docker(line);
            assert_eq!(o.code, 1, "{line}: {}", o.all());
            assert!(
                o.stderr.contains("The store is damaged"),
                "{line}: {}",
                o.stderr
            );
        }
        let o = env.run(&["store", "fsck"]);
        assert_eq!(o.code, 1, "{}", o.all());
        assert_eq!(
            std::fs::read(&state).expect("read"),
            bytes,
            "the state was rewritten"
        );
    }
    std::fs::write(&state, &good).expect("restore");
    assert!(env.ok("images").stdout.contains("mine"));
    // Damage inside the layers' section, the file's length kept: a command that reads a layer
    // (history, image prune, pull) or the whole state (fsck) says so and writes nothing; `images`, which
    // reads no layer, still lists the images; `tag`, which reads no layer either, adds its tag
    // and copies the layers' lines as they were: the damage is neither hidden nor made worse.
    let text = String::from_utf8(good.clone()).expect("utf-8");
    let layer = text.lines().find(|l| l.starts_with("l ")).expect("a layer");
    let size = layer.rsplit(' ').next().expect("size");
    let damaged = format!(
        "{}{}",
        &layer[..layer.len() - size.len()],
        "x".repeat(size.len())
    );
    let bytes = text.replacen(layer, &damaged, 1).into_bytes();
    std::fs::write(&state, &bytes).expect("write");
    for line in ["history alpine", "image prune -af", "pull nginx"] {
        let o = env.docker(line);
        assert_eq!(o.code, 1, "{line}: {}", o.all());
        assert!(
            o.stderr.contains("The store is damaged"),
            "{line}: {}",
            o.stderr
        );
        assert!(o.stderr.contains("bad number"), "{line}: {}", o.stderr);
    }
    assert!(env.ok("images").stdout.contains("mine"));
    assert_eq!(env.run(&["store", "fsck"]).code, 1);
    assert_eq!(
        std::fs::read(&state).expect("read"),
        bytes,
        "the state was rewritten"
    );
    env.ok("tag alpine b:1");
    // The tag is in the journal; the state file is still the damaged one, and once rewritten
    // whole, it copies the damaged line as it was.
    let tagged = std::fs::read_to_string(&journal).expect("journal");
    assert!(tagged.contains("docker.io/library/b:1"), "{tagged}");
    assert_eq!(std::fs::read(&state).expect("read"), bytes);
    assert_eq!(env.run(&["store", "compact"]).code, 0);
    let after = std::fs::read_to_string(&state).expect("read");
    assert!(
        after.contains(&damaged),
        "the damaged line was not copied as it was"
    );
    assert!(after.contains("docker.io/library/b:1"));
    assert_eq!(env.run(&["store", "fsck"]).code, 1);
    assert_eq!(env.docker("history alpine").code, 1);
    std::fs::write(&state, &good).expect("restore");
}

/// Unmounts the tmpfs when the test ends, however it ends.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A store whose disk fills up midway through a build, a pull and a tag: a clear message, no
/// temp file left, the images from before intact, and everything works once there is room.
fn full_disk(
    env: &Env,
    home: &Path,
    failing: &[&str],
    fill: &dyn Fn(),
    free: &dyn Fn(),
    wrap: &dyn Fn(&mut Command),
) {
    let docker = |line: &str| -> Out {
        let mut c = env.command(home);
        wrap(&mut c);
        out(&c
            .arg("docker")
            .args(shell_words::split(line).expect("splits"))
            .output()
            .expect("docklab runs"))
    };
    assert_eq!(docker("pull alpine").code, 0);
    let listed = |c: &Out| c.stdout.clone();
    let before = listed(&docker("images -a --no-trunc"));
    let blobs_dir = home.join("store/blobs/sha256");
    let blobs = || {
        let mut v: Vec<String> = std::fs::read_dir(&blobs_dir)
            .expect("blobs")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let blobs_before = blobs();
    // 3 MB of noise: more than there is room for.
    let mut seed: u32 = 1;
    let noise: Vec<u8> = (0..3 << 20)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        })
        .collect();
    env.file("big/big.bin", &noise);
    env.file(
        "big/Dockerfile",
        "FROM alpine\nCOPY big.bin /\nRUN echo done\n",
    );
    fill();
    for line in failing {
        let o = docker(line);
        assert_eq!(o.code, 1, "{line} on a full disk: {}", o.all());
        assert!(
            o.stderr.starts_with("The disk is full: docklab could not write in ")
                && o.stderr.contains("The command was not completed and the images already there are untouched. Free some space, then try again."),
            "{line}: {}",
            o.stderr
        );
    }
    let mut c = env.command(home);
    wrap(&mut c);
    let fsck = out(&c.args(["store", "fsck"]).output().expect("fsck runs"));
    assert_eq!(fsck.code, 0, "fsck on a full disk: {}", fsck.all());
    assert_eq!(listed(&docker("images -a --no-trunc")), before);
    assert_eq!(
        blobs(),
        blobs_before,
        "a failed write left something behind"
    );
    assert_eq!(docker("history alpine").code, 0);
    free();
    for line in ["build -q -t big big", "tag alpine alpine:v2"] {
        let o = docker(line);
        assert_eq!(o.code, 0, "{line} once there is room: {}", o.all());
    }
}

#[test]
fn a_full_disk_fails_clearly_and_keeps_the_store() {
    // Anywhere: a file size limit (`ulimit -f`, SIGXFSZ ignored) makes the large write fail
    // midway with EFBIG, as a full disk would.
    let env = Env::new();
    let home = env.home.path().to_owned();
    let limited = std::cell::Cell::new(true);
    full_disk(
        &env,
        &home,
        // The other writes are smaller than the limit.
        &["build -t big big"],
        &|| limited.set(true),
        &|| limited.set(false),
        &|c: &mut Command| {
            if limited.get() {
                let program = c.get_program().to_owned();
                let args: Vec<_> = c.get_args().map(ToOwned::to_owned).collect();
                let mut shell = Command::new("sh");
                shell
                    .arg("-c")
                    .arg("trap '' XFSZ; ulimit -f 1024; exec \"$0\" \"$@\"")
                    .arg(program)
                    .args(args);
                for (k, v) in c.get_envs() {
                    match v {
                        Some(v) => shell.env(k, v),
                        None => shell.env_remove(k),
                    };
                }
                shell.current_dir(env.dir.path());
                *c = shell;
            }
        },
    );

    // As root: a real full disk, an 8 MB tmpfs filled up.
    if !is_root() {
        println!("notice: not root, so the full-disk test on a small tmpfs is skipped");
        return;
    }
    let env = Env::new();
    let mnt = env.home.path().join("tmpfs");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
        .arg(&mnt)
        .status()
        .expect("mount runs");
    if !status.success() {
        println!("notice: cannot mount a tmpfs here, so the full-disk test on a tmpfs is skipped");
        return;
    }
    let _mount = Mount(mnt.clone());
    let filler = mnt.join("filler");
    full_disk(
        &env,
        &mnt,
        &["build -t big big", "pull nginx", "tag alpine alpine:v2"],
        &|| {
            // Fill every free block.
            let mut f = std::fs::File::create(&filler).expect("filler");
            let block = vec![0u8; 4096];
            while f.write_all(&block).is_ok() {}
            let _ = f.sync_all();
        },
        &|| std::fs::remove_file(&filler).expect("free the disk"),
        &|_| {},
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

#[test]
fn bytes_that_are_not_text_and_control_characters_are_refused_clearly() {
    let env = Env::new();
    env.ok("pull alpine");
    let before = env.store();
    // Arguments that are not UTF-8.
    let o = out(&env
        .command(env.home.path())
        .arg("docker")
        .arg("pull")
        .arg(OsStr::from_bytes(b"alp\xffine"))
        .output()
        .expect("runs"));
    assert_eq!(o.code, 2, "{}", o.all());
    assert!(
        o.stderr
            .contains("invalid UTF-8 was detected in one or more arguments"),
        "{}",
        o.stderr
    );
    // Lines that are not UTF-8 in the shell: refused, the next lines still run.
    let o = env.shell(
        &[],
        b"docker pull alp\xffine\ndocker images --format '{{.Repository}}'\n",
    );
    assert!(
        o.stdout.contains("That line is not UTF-8 text (a byte docklab cannot read as a character), so it was not run. Type it again.\n"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\nalpine\n"), "{}", o.stdout);
    let o = env.shell(&["--lang", "fr"], b"\xc3\x28\n");
    assert!(
        o.stdout.contains("Cette ligne n'est pas du texte UTF-8"),
        "{}",
        o.stdout
    );
    // Control characters in image names: Docker's reference errors, the name quoted so the
    // terminal shows the escapes instead of obeying them.
    for (line, message) in [
        (
            "tag alpine $'al\\x1b[2Jpine:v1'",
            "Error parsing reference: \"al\\x1b[2Jpine:v1\" is not a valid repository/tag: invalid reference format: repository name (library/al\\x1b[2Jpine) must be lowercase\n",
        ),
        (
            "tag alpine $'a\\nb'",
            "Error parsing reference: \"a\\nb\" is not a valid repository/tag: invalid reference format\n",
        ),
        ("pull $'ngi\\x07nx'", "invalid reference format\n"),
        (
            "build -t $'x\\ty' .",
            "ERROR: invalid tag \"x\\ty\": invalid reference format\n",
        ),
        (
            "run $'alpine\\r'",
            "docker: invalid reference format.\n\nRun 'docker run --help' for more information\n",
        ),
    ] {
        let line = line.replace("$'", "'");
        let words: Vec<String> = shell_words::split(&line)
            .expect("splits")
            .into_iter()
            .map(|w| {
                w.replace("\\x1b", "\x1b")
                    .replace("\\x07", "\x07")
                    .replace("\\n", "\n")
                    .replace("\\t", "\t")
                    .replace("\\r", "\r")
            })
            .collect();
        env.file("Dockerfile", "FROM alpine\n");
        let o = out(&env
            .command(env.home.path())
            .arg("docker")
            .args(&words)
            .output()
            .expect("runs"));
        assert_eq!(o.code, if words[0] == "run" { 125 } else { 1 }, "{line}: {}", o.all());
        assert_eq!(o.stderr, message, "{line}");
    }
    assert_eq!(env.store(), before);
    env.fsck_clean();
}

#[test]
fn an_unreadable_progress_file_keeps_the_students_work() {
    let env = Env::new();
    let o = env.shell(
        &[],
        b"start images\ndocker pull nginx\necho mine > Dockerfile\n",
    );
    assert_eq!(o.code, 0, "an unfinished lab exits 0: {}", o.all());
    let run = env.home.path().join("runs/images");
    assert_eq!(
        std::fs::read_to_string(run.join("home/Dockerfile")).expect("the student's file"),
        "mine\n"
    );
    std::fs::write(run.join("progress.json"), "{\"lab\": \"images\", \"curr").expect("write");
    let o = env.shell(&[], b"start images\n");
    let kept = env.home.path().join("runs/images.broken-1");
    assert!(
        o.stdout.contains(&format!(
            "The progress of lab images could not be read (EOF while parsing a string at line 1 column 23). Your earlier work (progress, images, files) is kept in {}; the lab starts over.",
            kept.display()
        )),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("Step 1/18"), "{}", o.stdout);
    assert_eq!(
        std::fs::read_to_string(kept.join("home/Dockerfile")).expect("kept"),
        "mine\n"
    );
    assert!(kept.join("store/state.json").is_file());
    // In French too, and a second broken run is kept beside the first.
    std::fs::write(run.join("progress.json"), "\u{0}").expect("write");
    let o = env.shell(&["--lang", "fr"], b"start images\n");
    assert!(
        o.stdout
            .contains("Votre travail précédent (progression, images, fichiers) est conservé dans"),
        "{}",
        o.stdout
    );
    assert!(env.home.path().join("runs/images.broken-2").is_dir());
}
