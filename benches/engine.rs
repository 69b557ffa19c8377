//! The simulated engine's speed on stores of 100, 1,000 and 10,000 images (one tag each): median
//! wall time of every image command of issue #17 (`image ls`, `images -q`, `images --filter
//! reference=…`, `images --format …`, `system df`, `history`, `image inspect`, `tag`, `rmi` of one
//! image) and one run of `image prune -a` (it empties the store), their growth from one size to
//! the next, the REPL's start to its first prompt, and peak memory at the largest size; each
//! against its target, measured in this run: under 10 ms at 10,000 images, and for a prune that
//! unlinks thousands of files, within 2× of the unlink floor measured right after it (the same
//! files, copied before the prune, unlinked in-process after `sync`, plus starting a process).
//! Beside each median wall time, the median CPU time (user and system, from `getrusage`), which
//! leaves out waiting for a core or the disk: steadier on a shared machine.
//! Run with `cargo bench --bench engine` (or `scripts/bench`, which runs every benchmark).
//! `DOCKLAB_BENCH_SIZES=100,1000` and `DOCKLAB_BENCH_RUNS=5` make a quick run.
//!
//! The stores are written through docklab's own store API (every image a real config blob with
//! its own ID, three layers of which the bottom one is shared, and as after a pull a manifest blob
//! and a digest reference beside its tag), then the release binary is timed.
//! Nothing here depends on the store's file layout: the unlink floor takes as "what the prune
//! unlinked" whatever was under `DOCKLAB_HOME` before it and is gone after it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docklab::store::{chain_ids, Digest, ImageRecord, LayerRecord, State, Store};
use nix::sys::resource::{getrusage, UsageWho};

fn binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "docklab"])
        .status()
        .expect("cargo build runs");
    assert!(status.success(), "release build failed");
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/docklab")
}

fn tar_with(name: &str) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_size(name.len() as u64);
    h.set_mode(0o644);
    h.set_mtime(0);
    b.append_data(&mut h, name, name.as_bytes())
        .expect("in memory");
    b.into_inner().expect("in memory")
}

fn populate(home: &Path, images: usize) {
    let store = Store::open(&home.join("store"), Duration::from_secs(5)).expect("store");
    let mut state = State::new();
    let base = store.put_blob(&tar_with("base")).expect("blob");
    for i in 0..images {
        let diffs: Vec<Digest> = vec![
            base.clone(),
            store
                .put_blob(&tar_with(&format!("app-{}", i / 10)))
                .expect("blob"),
            store
                .put_blob(&tar_with(&format!("top-{i}")))
                .expect("blob"),
        ];
        let chains = chain_ids(&diffs);
        for (n, chain) in chains.iter().enumerate() {
            state.layers.entry(chain.clone()).or_insert(LayerRecord {
                diff_id: diffs[n].clone(),
                parent: n.checked_sub(1).map(|p| chains[p].clone()),
                size: [78_614_000, 5_000_000, 20_000][n],
            });
        }
        let created = format!(
            "2025-{:02}-{:02}T{:02}:00:00Z",
            1 + i % 12,
            1 + i % 28,
            i % 24
        );
        let config = serde_json::json!({
            "architecture": "amd64", "os": "linux", "created": created,
            "config": {"Cmd": ["app", i.to_string()]},
            "history": [{"created_by": "base"}, {"created_by": "app"}, {"created_by": "top"}],
            "rootfs": {"type": "layers", "diff_ids": diffs},
        });
        let config = config.to_string();
        let id = store.put_blob(config.as_bytes()).expect("blob");
        // As after a pull: a manifest blob, and a digest reference beside the tag.
        let layer = |d: &Digest, size: usize| {
            serde_json::json!({
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": d, "size": size,
            })
        };
        let manifest = serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": id, "size": config.len(),
            },
            // Each layer tar is 2,048 bytes: a header, one block, the end.
            "layers": diffs.iter().map(|d| layer(d, 2048)).collect::<Vec<_>>(),
        })
        .to_string();
        let manifest_digest = store.put_blob(manifest.as_bytes()).expect("blob");
        let repo = format!("docker.io/library/app{}", i % 50);
        state.refs.insert(format!("{repo}:v{i}"), id.clone());
        state
            .refs
            .insert(format!("{repo}@{manifest_digest}"), id.clone());
        state.images.insert(
            id,
            ImageRecord {
                created,
                layers: chains,
                manifest: Some(manifest_digest),
                manifest_size: manifest.len() as u64,
                parent: None,
                last_tag_time: None,
                seq: 0,
                size: None,
            },
        );
    }
    store.save_state(&state).expect("state");
}

/// CPU time (user and system) used so far by `who`: this thread, or the children waited for.
fn cpu(who: UsageWho) -> Duration {
    let usage = getrusage(who).expect("getrusage");
    let t = |tv: nix::sys::time::TimeVal| {
        Duration::from_secs(tv.tv_sec().unsigned_abs())
            + Duration::from_micros(tv.tv_usec().unsigned_abs())
    };
    t(usage.user_time()) + t(usage.system_time())
}

/// Wall time and CPU time of one run of a command that must succeed.
fn once(cmd: &mut Command) -> (Duration, Duration) {
    let cpu_before = cpu(UsageWho::RUSAGE_CHILDREN);
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    let took = start.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    (
        took,
        cpu(UsageWho::RUSAGE_CHILDREN).saturating_sub(cpu_before),
    )
}

/// Median wall time and median CPU time of `runs` runs of a command (`make` gets the run's
/// number: a command that changes the store is given a different operand each time).
fn timed(runs: usize, mut make: impl FnMut(usize) -> Command) -> (Duration, Duration) {
    let (mut walls, mut cpus): (Vec<Duration>, Vec<Duration>) =
        (0..runs).map(|i| once(&mut make(i))).unzip();
    walls.sort();
    cpus.sort();
    (walls[runs / 2], cpus[runs / 2])
}

/// Median wall time of `runs` runs of a command.
fn median(runs: usize, make: impl FnMut(usize) -> Command) -> Duration {
    timed(runs, make).0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `met`, or by how much the value misses its limit.
fn verdict(value: f64, limit: f64) -> String {
    if value <= limit {
        "met".to_owned()
    } else {
        format!("MISSED ({:.2}× the target)", value / limit)
    }
}

/// Peak resident memory in kB of one run, through `/usr/bin/time -f %M` (None when absent).
fn peak_kb(bin: &Path, home: &Path, args: &[&str]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o", "/dev/stderr"])
        .arg(bin)
        .arg("docker")
        .args(args)
        .env("DOCKLAB_HOME", home)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

/// Wall time from starting the shell in a pseudo-terminal to its first prompt (`~ $ `).
fn repl_ready(bin: &Path) -> Duration {
    use std::io::{Read, Write};
    let home = tempfile::tempdir().expect("temp home");
    let pty = nix::pty::openpty(None, None).expect("a pseudo-terminal");
    let mut master = std::fs::File::from(pty.master);
    let slave = std::fs::File::from(pty.slave);
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(["--lang", "en"])
        .env("DOCKLAB_HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .stdin(slave.try_clone().expect("dup"))
        .stdout(slave.try_clone().expect("dup"))
        .stderr(slave)
        .spawn()
        .expect("docklab starts");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"~ $ ") {
        let n = master.read(&mut buf).expect("reads the terminal");
        assert!(n > 0, "docklab exited before its prompt");
        seen.extend_from_slice(&buf[..n]);
    }
    let took = start.elapsed();
    master.write_all(b"quit\r").expect("types quit");
    // Drain what it prints on the way out, so that it never blocks on a full terminal.
    std::thread::spawn(move || while master.read(&mut buf).is_ok_and(|n| n > 0) {});
    assert!(child.wait().expect("exits").success());
    took
}

/// Every file and directory under `root`, as paths relative to it (directories with a trailing
/// marker so that they sort and are removed apart from files).
fn entries(root: &Path) -> BTreeSet<(PathBuf, bool)> {
    fn walk(root: &Path, rel: &Path, out: &mut BTreeSet<(PathBuf, bool)>) {
        let Ok(dir) = std::fs::read_dir(root.join(rel)) else {
            return;
        };
        for entry in dir.flatten() {
            let rel = rel.join(entry.file_name());
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                walk(root, &rel, out);
            }
            out.insert((rel, is_dir));
        }
    }
    let mut out = BTreeSet::new();
    walk(root, Path::new(""), &mut out);
    out
}

/// A copy of every file and directory of `from` in `to` (real copies, not links: unlinking a
/// file's last link is what frees it).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for (rel, is_dir) in entries(from) {
        if is_dir {
            std::fs::create_dir_all(to.join(&rel)).expect("mkdir");
        } else {
            std::fs::copy(from.join(&rel), to.join(&rel)).expect("copy");
        }
    }
}

fn sync() {
    let _ = Command::new("sync").status();
}

/// The unlink floor: unlinks, under `root`, the files then the directories listed (deepest
/// first), in this thread, after `sync`. Returns the wall time and the CPU time.
fn unlink_all(root: &Path, gone: &[(PathBuf, bool)]) -> (Duration, Duration) {
    sync();
    let cpu_before = cpu(UsageWho::RUSAGE_THREAD);
    let start = Instant::now();
    for (rel, _) in gone.iter().filter(|(_, d)| !d) {
        std::fs::remove_file(root.join(rel)).expect("unlink");
    }
    for (rel, _) in gone.iter().rev().filter(|(_, d)| *d) {
        std::fs::remove_dir(root.join(rel)).expect("rmdir");
    }
    (
        start.elapsed(),
        cpu(UsageWho::RUSAGE_THREAD).saturating_sub(cpu_before),
    )
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What one store size measured: each command's time, and the prune's unlink floor.
struct Measured {
    /// Each command's median wall time and median CPU time (for the prune: the least of two).
    rows: Vec<(String, (Duration, Duration))>,
    /// Files and directories the prune unlinked.
    unlinked_files: usize,
    unlinked_dirs: usize,
    /// Two prunes and two unlink floors, in the order they ran: (wall, CPU) each.
    prunes: [(Duration, Duration); 2],
    floors: [(Duration, Duration); 2],
    /// Peak memory in kB of a few read-only commands (measured at the largest size only).
    memory: Vec<(String, Option<u64>)>,
    /// How many tags made one journal cycle (the last of them rewrote the state file).
    cycle: u32,
}

/// Times every command on a fresh store of `images` images.
fn measure(bin: &Path, images: usize, runs: usize, with_memory: bool) -> Measured {
    let home = tempfile::tempdir().expect("temp home");
    populate(home.path(), images);
    let docker = |args: &[&str]| {
        let mut c = Command::new(bin);
        c.arg("docker").args(args).env("DOCKLAB_HOME", home.path());
        c
    };
    let read_only: [&[&str]; 7] = [
        &["image", "ls"],
        &["images", "-q"],
        &["images", "--filter", "reference=app7"],
        &["images", "--format", "{{.Repository}}:{{.Tag}}"],
        &["system", "df"],
        &["history", "app0:v0"],
        &["image", "inspect", "app0:v0"],
    ];
    let mut rows: Vec<(String, (Duration, Duration))> = read_only
        .iter()
        .map(|args| (args.join(" "), timed(runs, |_| docker(args))))
        .collect();
    // tag: a new tag on a different image each run (one tag more per run: negligible).
    rows.push((
        "tag IMAGE NEW".to_owned(),
        timed(runs, |i| {
            let mut c = docker(&["tag"]);
            c.args([format!("app{}:v{i}", i % 50), format!("retag{i}:bench")]);
            c
        }),
    ));
    // rmi removes a different image each run (one image fewer per run: negligible).
    rows.push((
        "rmi (one image)".to_owned(),
        timed(runs, |i| {
            let n = images - 1 - i;
            let mut c = docker(&["rmi"]);
            c.arg(format!("app{}:v{n}", n % 50));
            c
        }),
    ));
    // What the journal saves is paid back when a write rewrites the state file whole (the
    // journal folded into it): tags until that happens, and their mean time with it. The one
    // place that looks at the store's files: the state file's length, time and inode.
    let state_file = home.path().join("store/state.v4");
    let stamp = || {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(&state_file)
            .ok()
            .map(|m| (m.len(), m.mtime_nsec(), m.mtime(), m.ino()))
    };
    let unchanged = stamp();
    let (mut wall, mut cpu, mut writes) = (Duration::ZERO, Duration::ZERO, 0u32);
    while writes < 20_000 {
        let k = writes as usize % (images / 2);
        let (w, c) = once(docker(&["tag"]).args([
            format!("app{}:v{k}", k % 50),
            format!("cycle{writes}:bench"),
        ]));
        wall += w;
        cpu += c;
        writes += 1;
        if stamp() != unchanged {
            break;
        }
    }
    rows.push((
        "tag, mean over a journal cycle".to_owned(),
        (wall / writes, cpu / writes),
    ));
    // Reads replay the journal: with one tag fewer than a cycle, it is as long as it gets.
    for n in 0..writes.saturating_sub(1) {
        let k = n as usize % (images / 2);
        once(docker(&["tag"]).args([format!("app{}:v{k}", k % 50), format!("full{n}:bench")]));
    }
    for args in [&["image", "ls"][..], &["history", "app1:v1"]] {
        rows.push((
            format!("{}, journal nearly full", args.join(" ")),
            timed(runs, |_| docker(args)),
        ));
    }
    let mut memory = Vec::new();
    if with_memory {
        let measured: [&[&str]; 3] = [&["image", "ls"], &["system", "df"], &["history", "app0:v0"]];
        for args in measured {
            memory.push((args.join(" "), peak_kb(bin, home.path(), args)));
        }
    }
    // Last: it empties the store. Its time is mostly unlinking ~2 blobs per image, whose cost
    // swings 10-30x with the disk's other writes (5-10x more while the blobs just written are
    // still being flushed: `sync` first). So it alternates with its floor, twice: prune the
    // store, unlink from a copy exactly what that prune unlinked (in-process), prune a second
    // copy, unlink from a third; each after `sync`. Each figure is the least of its two runs.
    let copies: Vec<tempfile::TempDir> = (0..3)
        .map(|_| {
            let copy = tempfile::tempdir().expect("temp copy");
            copy_tree(home.path(), copy.path());
            copy
        })
        .collect();
    let prune = |home: &Path| {
        sync();
        once(
            Command::new(bin)
                .args(["docker", "image", "prune", "-af"])
                .env("DOCKLAB_HOME", home),
        )
    };
    let before = entries(home.path());
    let first = prune(home.path());
    let after = entries(home.path());
    let gone: Vec<(PathBuf, bool)> = before.difference(&after).cloned().collect();
    let first_floor = unlink_all(copies[0].path(), &gone);
    let second = prune(copies[1].path());
    assert_eq!(
        entries(copies[1].path()),
        after,
        "both prunes leave the same files"
    );
    let second_floor = unlink_all(copies[2].path(), &gone);
    rows.push((
        "image prune -af".to_owned(),
        (first.0.min(second.0), first.1.min(second.1)),
    ));
    let unlinked_files = gone.iter().filter(|(_, d)| !d).count();
    Measured {
        rows,
        unlinked_files,
        unlinked_dirs: gone.len() - unlinked_files,
        prunes: [first, second],
        floors: [first_floor, second_floor],
        memory,
        cycle: writes,
    }
}

fn main() {
    // `DOCKLAB_BENCH_POPULATE=DIR:N` only writes a store of N images in DIR, for profiling.
    if let Ok(spec) = std::env::var("DOCKLAB_BENCH_POPULATE") {
        let (dir, n) = spec.rsplit_once(':').expect("DIR:N");
        populate(Path::new(dir), n.parse().expect("a number of images"));
        return;
    }
    // `DOCKLAB_BENCH_SIZES=100,1000` for a quick run; the targets are stated for 10,000.
    let sizes: Vec<usize> = std::env::var("DOCKLAB_BENCH_SIZES")
        .unwrap_or_else(|_| "100,1000,10000".to_owned())
        .split(',')
        .map(|s| s.trim().parse().expect("DOCKLAB_BENCH_SIZES: numbers"))
        .collect();
    let runs: usize = std::env::var("DOCKLAB_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11);
    for &images in &sizes {
        assert!(
            images >= 4 * runs,
            "DOCKLAB_BENCH_SIZES: {images} images are too few for DOCKLAB_BENCH_RUNS={runs} \
             (at least 4 × the runs: tag and rmi take a different image each run)"
        );
    }
    let bin = binary();
    let start = median(21, |_| Command::new("true"));
    let docklab_start = median(21, |_| {
        let mut c = Command::new(&bin);
        c.arg("--version");
        c
    });
    println!(
        "process start: `true` {:.2} ms, `docklab --version` {:.2} ms",
        ms(start),
        ms(docklab_start)
    );
    let first_prompt = {
        let mut samples: Vec<Duration> = (0..runs).map(|_| repl_ready(&bin)).collect();
        samples.sort();
        samples[runs / 2]
    };
    println!(
        "REPL start to first prompt (pty): {:.1} ms; target < 50 ms: {}",
        ms(first_prompt),
        verdict(ms(first_prompt), 50.0)
    );
    println!(
        "\n{:<42} {:>7} {:>11} {:>11} {:>8} {:>14}  target: < 10 ms at 10,000 images; a prune of \
         thousands of files ≤ 2× the unlink floor",
        "command", "images", "median", "cpu", "× true", "growth"
    );
    let mut previous: Vec<(String, usize, Duration)> = Vec::new();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut memory = Vec::new();
    let mut floors = Vec::new();
    let mut cycles = Vec::new();
    for &images in &sizes {
        let m = measure(&bin, images, runs, images == largest);
        let floor = m.floors[0].0.min(m.floors[1].0) + start;
        let floor_cpu = m.floors[0].1.min(m.floors[1].1);
        for (what, (took, cpu)) in m.rows {
            let growth = previous
                .iter()
                .find(|(w, ..)| *w == what)
                .map(|(_, n, t)| {
                    format!(
                        "{:.1}× for {}×",
                        took.as_secs_f64() / t.as_secs_f64(),
                        images / n
                    )
                })
                .unwrap_or_default();
            let target = if what == "image prune -af" {
                let ratio = took.as_secs_f64() / floor.as_secs_f64();
                let cpu_ratio = cpu.as_secs_f64() / floor_cpu.as_secs_f64();
                floors.push((
                    images,
                    m.unlinked_files,
                    m.unlinked_dirs,
                    m.prunes,
                    m.floors,
                ));
                if m.unlinked_files >= 1000 {
                    format!(
                        "{ratio:.1}× the unlink floor ({cpu_ratio:.1}× its CPU time): {}",
                        verdict(ratio, 2.0)
                    )
                } else {
                    format!(
                        "{ratio:.1}× the unlink floor ({cpu_ratio:.1}× its CPU time; no target \
                         under 1,000 files)"
                    )
                }
            } else if images == 10_000 {
                verdict(ms(took), 10.0)
            } else {
                String::new()
            };
            println!(
                "{what:<42} {images:>7} {:>8.2} ms {:>8.2} ms {:>8.1} {growth:>14}  {target}",
                ms(took),
                ms(cpu),
                took.as_secs_f64() / start.as_secs_f64()
            );
            previous.retain(|(w, ..)| *w != what);
            previous.push((what, images, took));
        }
        memory.extend(m.memory);
        cycles.push((images, m.cycle));
    }
    for (images, writes) in cycles {
        println!(
            "journal cycle at {images} images: {writes} tags, the last of which rewrote the state \
             file whole (the mean above includes it)"
        );
    }
    println!(
        "\n`image prune -af` and its unlink floor (the same files and directories unlinked \
         in-process from a copy; + `true`'s start, {:.2} ms), alternating, each after `sync`; wall \
         (CPU) ms:",
        ms(start)
    );
    for (images, files, dirs, prunes, floors) in floors {
        let pair = |(wall, cpu): (Duration, Duration)| format!("{:.1} ({:.1})", ms(wall), ms(cpu));
        println!(
            "{images:>7} images, {} files and {dirs} directories: prune {}, floor {}, prune {}, \
             floor {}",
            thousands(files),
            pair(prunes[0]),
            pair(floors[0]),
            pair(prunes[1]),
            pair(floors[1])
        );
    }
    println!();
    for (what, kb) in memory {
        match kb {
            Some(kb) => println!(
                "peak memory of `docker {what}` at {largest} images: {:.1} MB; target < 50 MB: {}",
                kb as f64 * 1024.0 / 1e6,
                verdict(kb as f64 * 1024.0 / 1e6, 50.0)
            ),
            None => println!("peak memory of `docker {what}`: /usr/bin/time is not installed"),
        }
    }
}
