//! Per-command time of the simulated engine on stores of 100, 1,000 and 10,000 images, beside the
//! cost of starting a process at all. Run with `cargo bench --bench engine`; it prints ratios
//! measured in the same run, never pass/fail.
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
            },
        );
    }
    store.save_state(&state).expect("state");
}

/// Median wall time of `runs` runs of a command.
fn time(runs: usize, mut make: impl FnMut() -> Command) -> Duration {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = make()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("runs");
            assert!(status.success());
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[runs / 2]
}

fn main() {
    // `DOCKLAB_BENCH_POPULATE=DIR:N` only writes a store of N images in DIR, for profiling.
    if let Ok(spec) = std::env::var("DOCKLAB_BENCH_POPULATE") {
        let (dir, n) = spec.rsplit_once(':').expect("DIR:N");
        populate(Path::new(dir), n.parse().expect("a number of images"));
        return;
    }
    let bin = binary();
    let start = time(21, || Command::new("true"));
    let docklab_start = time(21, || {
        let mut c = Command::new(&bin);
        c.arg("--version");
        c
    });
    println!("process start: `true` {start:?}, `docklab --version` {docklab_start:?}");
    println!(
        "{:>8} {:>14} {:>10} {:>14} {:>10}",
        "images", "image ls", "× true", "system df", "× true"
    );
    let mut previous: Option<(usize, Duration)> = None;
    for images in [100, 1_000, 10_000] {
        let home = tempfile::tempdir().expect("temp home");
        populate(home.path(), images);
        let run = |args: &'static [&'static str]| {
            time(11, || {
                let mut c = Command::new(&bin);
                c.arg("docker").args(args).env("DOCKLAB_HOME", home.path());
                c
            })
        };
        let ls = run(&["image", "ls"]);
        let df = run(&["system", "df"]);
        println!(
            "{images:>8} {ls:>14.2?} {:>10.1} {df:>14.2?} {:>10.1}",
            ls.as_secs_f64() / start.as_secs_f64(),
            df.as_secs_f64() / start.as_secs_f64()
        );
        if let Some((n, t)) = previous {
            println!(
                "{:>8} growth of image ls for {}× the images: {:.1}×",
                "",
                images / n,
                ls.as_secs_f64() / t.as_secs_f64()
            );
        }
        previous = Some((images, ls));
    }
    println!("target: under 10 ms per command at 10,000 images, growing no worse than linearly");
}
