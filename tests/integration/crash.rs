//! Crash safety: docklab killed with SIGKILL at arbitrary moments while it writes the store (pulls,
//! tags, builds, runs, rmi, prunes) must leave a store that `docklab store fsck` finds consistent,
//! every image still listed must be whole, and each command must have happened completely or not
//! at all: the images and containers afterwards are either those from before the command or those
//! the same command gives when it runs to the end on a copy of the store.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The clock is frozen so that a build gives the same image ID in the store and in its copy.
const CLOCK: &str = "2025-10-29T12:00:00Z";

fn docklab(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docklab"));
    c.env("DOCKLAB_HOME", home)
        .env("DOCKLAB_CLOCK", CLOCK)
        .env_remove("DOCKER_BUILDKIT")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs `docklab docker ARGS` to the end; (success, stdout, stderr).
fn docker(home: &Path, args: &[&str]) -> (bool, String, String) {
    let out = docklab(home)
        .arg("docker")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("docklab runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What a command may change, as the student sees it: every image (dangling ones included) with
/// its tags, and the image of every container. Container names and IDs are random, so only their
/// images count.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    images: BTreeSet<String>,
    containers: Vec<String>,
}

fn snapshot(home: &Path, when: &str) -> Snapshot {
    let (ok, images, err) = docker(
        home,
        &[
            "images",
            "-a",
            "--no-trunc",
            "--format",
            "{{.ID}} {{.Repository}}:{{.Tag}}",
        ],
    );
    assert!(ok, "{when}: `docker images` fails: {err}");
    let (ok, ps, err) = docker(home, &["ps", "-a", "--format", "{{.Image}}"]);
    assert!(ok, "{when}: `docker ps -a` fails: {err}");
    let mut containers: Vec<String> = ps.lines().map(str::to_owned).collect();
    containers.sort();
    Snapshot {
        images: images.lines().map(str::to_owned).collect(),
        containers,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A small build context: a base from the catalog, two COPY layers of 1 MB and a RUN, so that
/// kills land while the layers are written.
fn build_context(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    let mut seed: u32 = 7;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (seed >> 16) as u8
            })
            .collect()
    };
    std::fs::write(dir.join("a.bin"), noise(1 << 20)).expect("write");
    std::fs::write(dir.join("sub/b.bin"), noise(1 << 20)).expect("write");
    std::fs::write(dir.join("sub/c.txt"), "hello\n").expect("write");
    std::fs::write(
        dir.join("Dockerfile"),
        "FROM alpine\nCOPY a.bin /app/\nCOPY sub /app/sub\nRUN echo built > /app/stamp\nCMD [\"cat\", \"/app/sub/c.txt\"]\n",
    )
    .expect("write");
}

#[test]
fn killed_writers_leave_a_consistent_store_and_whole_commands() {
    let home = tempfile::tempdir().expect("temp home");
    let scratch = tempfile::tempdir().expect("scratch");
    let context = scratch.path().join("context");
    build_context(&context);
    let ctx = context.to_str().expect("a UTF-8 temp path");
    let commands: &[&[&str]] = &[
        &["pull", "nginx"],
        &["build", "-t", "built", ctx],
        &["pull", "memcached"],
        &["tag", "nginx", "nginx:monblog_prod"],
        &["run", "-d", "nginx"],
        &["build", "--no-cache", "-t", "built:v2", ctx],
        &["rmi", "-f", "nginx:latest"],
        &["system", "prune", "-af"],
        &["pull", "httpd:2-alpine"],
        &["rmi", "built"],
        &["image", "prune", "-af"],
    ];
    // A small deterministic generator: the kill delays vary from run to run of the loop, not
    // between test runs.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    // `.ci/run` asks for more rounds (DOCKLAB_CRASH_ROUNDS); a plain `cargo test` keeps it short.
    let rounds: usize = std::env::var("DOCKLAB_CRASH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(48);
    let mut interrupted = 0;
    let mut undone = 0;
    // (build rounds, builds killed mid-command)
    let mut builds = (0, 0);
    let mut before = snapshot(home.path(), "start");
    for round in 0..rounds {
        let args = commands[round % commands.len()];
        let shown = args.join(" ");
        // The same command run to its end on a copy of the store: what "completely" means.
        let twin = scratch.path().join(format!("twin-{round}"));
        copy_dir(home.path(), &twin);
        let started = std::time::Instant::now();
        docker(&twin, args);
        // How long the command takes here, now: kills land within that time, however fast the
        // machine and docklab are.
        let took = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let complete = snapshot(&twin, "twin");
        std::fs::remove_dir_all(&twin).expect("remove the twin");

        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % took.max(1_000));
        let mut child = docklab(home.path())
            .arg("docker")
            .args(args)
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let running = matches!(child.try_wait(), Ok(None));
        if running {
            interrupted += 1;
        }
        if args[0] == "build" {
            builds.0 += 1;
            builds.1 += usize::from(running);
        }
        let _ = child.kill();
        let _ = child.wait();

        let fsck = docklab(home.path())
            .args(["store", "fsck"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("fsck runs");
        assert!(
            fsck.status.success(),
            "round {round}: store inconsistent after killing `docker {shown}` at {delay:?}:\n{}{}",
            String::from_utf8_lossy(&fsck.stdout),
            String::from_utf8_lossy(&fsck.stderr)
        );
        let after = snapshot(home.path(), &format!("round {round} (`docker {shown}`)"));
        assert!(
            after == before || after == complete,
            "round {round}: `docker {shown}` killed at {delay:?} half happened:\nbefore: {before:#?}\nafter: {after:#?}\ncompleted: {complete:#?}"
        );
        if after == before && before != complete {
            undone += 1;
        }
        // Every image still listed is whole: its config reads back and its history lists layers.
        let ids: BTreeSet<&str> = after
            .images
            .iter()
            .filter_map(|l| l.split(' ').next())
            .collect();
        for id in ids {
            let (ok, history, err) = docker(home.path(), &["history", "-q", id]);
            assert!(
                ok && !history.is_empty(),
                "round {round}: image {id} is listed but `docker history` fails after killing `docker {shown}`: {err}"
            );
        }
        before = after;
    }
    // Most kills must land while the command is still running, or the test proves nothing.
    assert!(
        interrupted >= rounds / 4,
        "only {interrupted} of {rounds} kills interrupted a running command"
    );
    assert!(
        builds.1 * 4 >= builds.0,
        "only {} of {} kills interrupted a build",
        builds.1,
        builds.0
    );
    println!(
        "crash test: {rounds} kills, {interrupted} of them mid-command ({} of {} builds), {undone} \
         left the store as before the command; each command happened completely or not at all",
        builds.1, builds.0
    );
}
