//! The simulated engine's speed on stores of 100, 1,000 and 10,000 images: median wall time of
//! `image ls`, `system df`, `history`, `rmi` (one image) and `image prune -a` (one run: it empties
//! the store), their growth from one size to the next, the REPL's start to its first prompt, and
//! peak memory at the largest size; each against its target from issue #8, measured in this run.
//! Run with `cargo bench --bench engine` (or `scripts/bench`, which runs every benchmark).
//! `DOCKLAB_BENCH_SIZES=100,1000` and `DOCKLAB_BENCH_RUNS=5` make a quick run.
//!
//! The stores are written through docklab's own store API (every image a real config blob with
//! its own ID, three layers of which the bottom one is shared), then the release binary is timed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docklab::store::{chain_ids, Digest, ImageRecord, LayerRecord, State, Store};

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
        let id = store.put_blob(config.to_string().as_bytes()).expect("blob");
        state.refs.insert(
            format!("docker.io/library/app{}:v{}", i % 50, i),
            id.clone(),
        );
        state.images.insert(
            id,
            ImageRecord {
                created,
                layers: chains,
                manifest: None,
                manifest_size: 0,
                parent: None,
                last_tag_time: None,
                seq: 0,
                size: None,
            },
        );
    }
    store.save_state(&state).expect("state");
}

/// Wall time of one run of a command that must succeed.
fn once(cmd: &mut Command) -> Duration {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    let took = start.elapsed();
    assert!(status.success(), "{cmd:?} failed");
    took
}

/// Median wall time of `runs` runs of a command.
fn median(runs: usize, mut make: impl FnMut(usize) -> Command) -> Duration {
    let mut samples: Vec<Duration> = (0..runs).map(|i| once(&mut make(i))).collect();
    samples.sort();
    samples[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `met`, or by how much the value misses its limit.
fn verdict(value: f64, limit: f64) -> String {
    if value <= limit {
        "met".to_owned()
    } else {
        format!("MISSED ({:.1}× the target)", value / limit)
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
    let ready = {
        let mut samples: Vec<Duration> = (0..runs).map(|_| repl_ready(&bin)).collect();
        samples.sort();
        samples[runs / 2]
    };
    println!(
        "REPL start to first prompt (pty): {:.1} ms; target < 50 ms: {}",
        ms(ready),
        verdict(ms(ready), 50.0)
    );
    println!(
        "\n{:<16} {:>7} {:>11} {:>8} {:>14}  target < 10 ms at 10,000 images",
        "command", "images", "median", "× true", "growth"
    );
    let mut previous: Vec<(&str, usize, Duration)> = Vec::new();
    let largest = sizes.iter().copied().max().unwrap_or(0);
    let mut memory = Vec::new();
    for &images in &sizes {
        let home = tempfile::tempdir().expect("temp home");
        populate(home.path(), images);
        let docker = |args: Vec<String>| {
            let mut c = Command::new(&bin);
            c.arg("docker").args(args).env("DOCKLAB_HOME", home.path());
            c
        };
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        // rmi removes a different image each run (one image fewer per run: negligible).
        let mut rows: Vec<(&str, Duration)> = vec![
            ("image ls", median(runs, |_| docker(words("image ls")))),
            ("system df", median(runs, |_| docker(words("system df")))),
            (
                "history",
                median(runs, |_| docker(words("history app0:v0"))),
            ),
            (
                "rmi (one image)",
                median(runs, |i| {
                    let n = images - 1 - i;
                    docker(vec!["rmi".into(), format!("app{}:v{n}", n % 50)])
                }),
            ),
        ];
        if images == largest {
            for args in ["image ls", "system df", "history app0:v0"] {
                let kb = peak_kb(
                    &bin,
                    home.path(),
                    &words(args).iter().map(String::as_str).collect::<Vec<_>>(),
                );
                memory.push((args, kb));
            }
        }
        // Last: it empties the store. Its time is mostly unlinking ~3 blobs per image, which costs
        // 5-10x more while the blobs just written are still being flushed: let them settle.
        let _ = Command::new("sync").status();
        rows.push((
            "image prune -a",
            once(&mut docker(words("image prune -af"))),
        ));
        for (what, took) in rows {
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
            let target = if images == 10_000 {
                verdict(ms(took), 10.0)
            } else {
                String::new()
            };
            println!(
                "{what:<16} {images:>7} {:>8.2} ms {:>8.1} {growth:>14}  {target}",
                ms(took),
                took.as_secs_f64() / start.as_secs_f64()
            );
            previous.retain(|(w, ..)| *w != what);
            previous.push((what, images, took));
        }
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
