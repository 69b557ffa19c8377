//! The real engine on the offline test bed (`scripts/testbed`): its state agrees with the
//! simulator's where the two should agree, and the recorded `.real` scenarios still come out of
//! today's real Docker. Runs only with `DOCKLAB_TEST_DOCKER=1` and a running test bed; otherwise
//! each test prints a notice and passes.
//!
//! The tests share one daemon, and each starts with `scripts/testbed reset`: they hold an
//! exclusive lock on a file in the test bed's directory while they run, so they run one after
//! the other whatever the test harness's threads (and another `cargo test` at the same time) do.
//! Every process they start has a time limit, so a stuck daemon fails a test instead of hanging it.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use docklab::engine::real::{Cleanup, RealEngine, RealMode};
use docklab::engine::sim::SimEngine;
use docklab::engine::{Clock, Engine, EngineState, ExecContext, ImageState, NoInput};
use regex::Regex;

use crate::support::{normalise, parse_real, parse_scenario, scenarios_dir};

/// Any single docker command of these tests (a pull of nginx takes ~2 s on the test bed).
const COMMAND_LIMIT: Duration = Duration::from_secs(180);

/// The scenarios whose recordings are checked against today's real engine.
const LIVE_SCENARIOS: &[&str] = &["pull-basic", "tag", "rmi", "exercise", "seed-lab"];

fn enabled() -> bool {
    if std::env::var("DOCKLAB_TEST_DOCKER").as_deref() == Ok("1") {
        return true;
    }
    println!("skipped: set DOCKLAB_TEST_DOCKER=1 and run scripts/testbed start");
    false
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Holds the test bed for one test: released when dropped.
struct TestbedLock(#[allow(dead_code)] File);

fn lock_testbed() -> TestbedLock {
    let dir = PathBuf::from(
        std::env::var_os("TESTBED_DIR").unwrap_or_else(|| "/tmp/docklab-testbed".into()),
    );
    fs::create_dir_all(&dir).expect("test bed directory");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("real-engine-tests.lock"))
        .expect("lock file");
    file.lock().expect("lock the test bed");
    TestbedLock(file)
}

/// Runs `cmd` to its end, or kills it after `limit`: (exit code, stdout, stderr).
fn run_limited(mut cmd: Command, stdin: &str, limit: Duration) -> (i32, String, String) {
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_owned();
    // Written from a thread so a command that does not read cannot block the test.
    let writer = thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {}s", limit.as_secs());
        }
        thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    let out = out_reader.join().expect("stdout reader");
    let err = err_reader.join().expect("stderr reader");
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

/// `scripts/testbed reset`: no containers, images, volumes or build cache on the daemon.
fn reset() {
    let mut cmd = Command::new(repo().join("scripts/testbed"));
    cmd.arg("reset");
    let (code, out, err) = run_limited(cmd, "", Duration::from_secs(300));
    assert_eq!(code, 0, "scripts/testbed reset failed:\n{out}{err}");
}

fn words(line: &str) -> Vec<String> {
    shell_words::split(line).expect("command splits")
}

/// Runs the same commands on both engines, each must exit 0.
fn run_both(real: &mut RealEngine, sim: &mut SimEngine, commands: &[&str]) {
    for line in commands {
        let args = words(line);
        let r = real
            .exec(&ExecContext::new(&args), &mut NoInput)
            .expect("real engine runs");
        assert_eq!(
            r.exit_code, 0,
            "real `docker {line}`:\n{}{}",
            r.stdout, r.stderr
        );
        let s = sim
            .exec(&ExecContext::new(&args), &mut NoInput)
            .expect("simulator runs");
        assert_eq!(
            s.exit_code, 0,
            "sim `docker {line}`:\n{}{}",
            s.stdout, s.stderr
        );
    }
}

fn image<'a>(state: &'a EngineState, reference: &str, engine: &str) -> &'a ImageState {
    state
        .image(reference)
        .unwrap_or_else(|| panic!("{engine}: no image {reference} in {state:#?}"))
}

/// How many layers, bottom first, two images have in common (by chain ID).
fn shared_layers(a: &ImageState, b: &ImageState) -> usize {
    a.layers
        .iter()
        .zip(&b.layers)
        .take_while(|(x, y)| x.chain_id == y.chain_id)
        .count()
}

/// What should be equal on both engines, engine-neutral (no IDs, digests or times).
fn comparable(state: &EngineState) -> Vec<String> {
    let mut facts = Vec::new();
    for i in &state.images {
        let name = i.tags.first().cloned().unwrap_or_else(|| "<none>".into());
        facts.push(format!("{name}: tags {:?}", i.tags));
        facts.push(format!("{name}: {} digest(s)", i.digests.len()));
        facts.push(format!("{name}: {} layers", i.layers.len()));
        facts.push(format!("{name}: size {}", i.size));
        facts.push(format!(
            "{name}: layer sizes {:?}",
            i.layers.iter().map(|l| l.size).collect::<Vec<_>>()
        ));
        facts.push(format!(
            "{name}: created_by {:?}",
            i.layers.iter().map(|l| &l.created_by).collect::<Vec<_>>()
        ));
        facts.push(format!("{name}: created {}", i.created));
        facts.push(format!("{name}: config {:?}", i.config));
        facts.push(format!("{name}: parent {:?}", i.parent.is_some()));
        for l in &i.layers {
            assert_eq!(
                l.chain_id.as_str().len(),
                71,
                "{name}: chain ID {:?} is a sha256 digest",
                l.chain_id
            );
        }
    }
    for c in &state.containers {
        let image_tags = state
            .images
            .iter()
            .find(|i| i.id == c.image_id)
            .map(|i| i.tags.clone());
        facts.push(format!(
            "container {}: image {} (its image's tags {image_tags:?}), running {}, status {}",
            c.name, c.image, c.running, c.status
        ));
    }
    facts.sort();
    facts
}

#[test]
fn real_state_agrees_with_the_simulator() {
    if !enabled() {
        return;
    }
    let _lock = lock_testbed();
    reset();
    let mut real = RealEngine::new("docker", RealMode::Captured).with_timeout(COMMAND_LIMIT);
    let home = tempfile::tempdir().expect("temp home");
    let clock = Clock::frozen("2026-11-27T18:40:00Z".parse().expect("time"));
    let mut sim = SimEngine::new(home.path().join("store"), clock);

    let empty = real.state().expect("real state");
    assert_eq!(empty, EngineState::default(), "reset leaves nothing");

    run_both(&mut real, &mut sim, &["pull nginx", "pull memcached"]);
    let pulled = real.state().expect("real state");
    run_both(
        &mut real,
        &mut sim,
        &[
            "tag nginx:latest nginx:monblog_prod",
            "run -d --name web nginx",
            "create --name idle memcached",
        ],
    );
    // Layer sizes and `created_by` come from each image's history, read when asked for.
    let mut r = real.state().expect("real state");
    real.load_history(&mut r).expect("real history");
    let s = sim.state().expect("sim state");

    // Everything a lab check may read, engine-neutral, is the same.
    pretty_assertions::assert_eq!(comparable(&r), comparable(&s));

    // The checks that the seed lab and the images lab use.
    for (state, engine) in [(&r, "real"), (&s, "sim")] {
        let nginx = image(state, "nginx", engine);
        let alias = image(state, "nginx:monblog_prod", engine);
        assert_eq!(nginx.id, alias.id, "{engine}: a tag names the same image");
        let memcached = image(state, "memcached", engine);
        let web = state
            .containers
            .iter()
            .find(|c| c.name == "web")
            .expect("web");
        assert_eq!(web.image_id, nginx.id, "{engine}: web runs nginx");
        assert!(web.running, "{engine}: web is running");
        assert!(
            nginx
                .layers
                .iter()
                .all(|l| l.chain_id.as_str().starts_with("sha256:")
                    && l.diff_id.as_str().starts_with("sha256:")),
            "{engine}"
        );
        assert_eq!(
            nginx.layers[0].chain_id.as_str(),
            nginx.layers[0].diff_id.as_str(),
            "{engine}"
        );
        let _ = memcached;
    }
    // nginx and memcached share their base layers (debian's), by chain ID, on both.
    let shared = |state: &EngineState| {
        shared_layers(image(state, "nginx", "?"), image(state, "memcached", "?"))
    };
    assert!(shared(&r) >= 1, "real engine shares the base layer");
    assert_eq!(shared(&r), shared(&s), "same number of shared layers");

    // The layer picture is the same on both engines, IDs apart, in both languages.
    let ids = Regex::new(r"\b[0-9a-f]{12}\b").expect("regex");
    for lang in [docklab::i18n::Lang::En, docklab::i18n::Lang::Fr] {
        let (real_picture, _) = docklab::ui::picture(lang, &r, None);
        let (sim_picture, _) = docklab::ui::picture(lang, &s, None);
        pretty_assertions::assert_eq!(
            ids.replace_all(&real_picture, "<id>"),
            ids.replace_all(&sim_picture, "<id>"),
            "layer picture ({lang:?})"
        );
    }

    // The clean-up plan lists what appeared since a point, and nothing older.
    let plan = real.cleanup_plan(&pulled, &r);
    let names: BTreeSet<String> = plan
        .iter()
        .map(|c| match c {
            Cleanup::RemoveContainer { name, running, .. } => format!("container {name} {running}"),
            Cleanup::Untag { reference } => format!("untag {reference}"),
            Cleanup::RemoveImage { tags, .. } => format!("image {tags:?}"),
        })
        .collect();
    let want: BTreeSet<String> = [
        "container web true",
        "container idle false",
        "untag nginx:monblog_prod",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    assert_eq!(names, want);
    let all = real.cleanup_plan(&empty, &r);
    assert_eq!(all.len(), 4, "2 containers and 2 images: {all:?}");
    // Carried out (as the tutor would after the student's yes), it leaves the engine as before.
    for step in &all {
        let out = real
            .exec(&ExecContext::new(&step.docker_args()), &mut NoInput)
            .expect("clean-up step runs");
        assert_eq!(out.exit_code, 0, "{step:?}: {}{}", out.stdout, out.stderr);
    }
    assert_eq!(real.state().expect("real state"), empty);
}

/// Runs `docklab --engine docker docker ARGS…` as a student would, through a pipe.
fn docklab_real(home: &Path, args: &[String], stdin: &[String]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docklab"));
    cmd.arg("docker").args(args).env_clear();
    // The recorder's environment: PATH, a fresh HOME (empty client config), C.UTF-8.
    for var in ["PATH", "DOCKER_HOST"] {
        if let Some(v) = std::env::var_os(var) {
            cmd.env(var, v);
        }
    }
    cmd.env("HOME", home)
        .env("LANG", "C.UTF-8")
        .env("DOCKLAB_HOME", home.join("docklab"))
        .env("DOCKLAB_ENGINE", "docker");
    let mut input = String::new();
    for line in stdin {
        input.push_str(line);
        input.push('\n');
    }
    run_limited(cmd, &input, COMMAND_LIMIT)
}

/// `{{id REF}}`, `{{fullid REF}}`, `{{cid NAME}}` resolved on the real engine.
fn resolve_placeholders(home: &Path, command: &str) -> String {
    static PLACEHOLDER: OnceLock<Regex> = OnceLock::new();
    let re =
        PLACEHOLDER.get_or_init(|| Regex::new(r"\{\{(id|fullid|cid) ([^}]+)\}\}").expect("regex"));
    re.replace_all(command, |c: &regex::Captures<'_>| {
        let what = if &c[1] == "cid" { "container" } else { "image" };
        let args = words(&format!("{what} inspect --format {{{{.Id}}}} {}", &c[2]));
        let (code, id, err) = docklab_real(home, &args, &[]);
        assert_eq!(code, 0, "cannot resolve {}: {err}", &c[0]);
        let id = id.trim().to_owned();
        match &c[1] {
            "fullid" => id,
            _ => id.trim_start_matches("sha256:").chars().take(12).collect(),
        }
    })
    .into_owned()
}

#[test]
fn recordings_are_current() {
    if !enabled() {
        return;
    }
    let _lock = lock_testbed();
    let mut failures = Vec::new();
    for name in LIVE_SCENARIOS {
        reset();
        let dir = scenarios_dir();
        let recorded =
            parse_real(&fs::read_to_string(dir.join(format!("{name}.real"))).expect(".real"));
        let scenario = parse_scenario(
            &fs::read_to_string(dir.join(format!("{name}.scenario"))).expect(".scenario"),
        );
        assert_eq!(recorded.len(), scenario.len(), "{name}: re-record");
        let home = tempfile::tempdir().expect("temp home");
        for (i, (want, step)) in recorded.iter().zip(&scenario).enumerate() {
            let command = resolve_placeholders(home.path(), &step.command);
            let args = words(&command);
            assert_eq!(args.first().map(String::as_str), Some("docker"));
            let (exit, stdout, stderr) = docklab_real(home.path(), &args[1..], &step.stdin);
            if exit != want.exit
                || normalise(&stdout) != normalise(&want.stdout)
                || normalise(&stderr) != normalise(&want.stderr)
            {
                failures.push(format!(
                    "{name}:{} `{}`: today's real Docker differs from the recording\n--- recorded (exit {})\n{}{}--- now (exit {exit})\n{}{}",
                    i + 1,
                    step.command,
                    want.exit,
                    normalise(&want.stdout),
                    normalise(&want.stderr),
                    normalise(&stdout),
                    normalise(&stderr),
                ));
            }
        }
    }
    reset();
    assert!(
        failures.is_empty(),
        "{} difference(s); re-record with scripts/record-real:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The lab that compares `BuildKit` with the legacy builder: it needs the buildx plugin, which
/// the test bed links (trixie's); on a test bed fallen back to Debian 12's daemon, without
/// buildx, `docker build` is the legacy builder and that lab cannot pass there although it does
/// on a student's Docker 28. `.ci/run` leaves it out of its real-engine `lab test` likewise.
const BUILDX_LAB: &str = "buildkit";

/// The test bed's 28.x client has the buildx plugin (`docker build` is `BuildKit`).
fn testbed_has_buildx() -> bool {
    std::process::Command::new("docker")
        .args(["buildx", "version"])
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The step results a piped lab session printed: one line per step met or skipped, in order.
fn step_results(output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|l| l.starts_with("✔ Step ") || l.starts_with("↷ Step "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn shipped_labs_complete_on_both_engines() {
    if !enabled() {
        return;
    }
    let _lock = lock_testbed();
    let catalog = docklab::lab::Catalog::load(&[]);
    assert!(!catalog.labs().is_empty(), "no shipped lab");
    for lab in catalog.labs() {
        if lab.id == BUILDX_LAB && !testbed_has_buildx() {
            println!(
                "skipped lab {}: the test bed's docker 28 client has no buildx plugin, so its \
                 `docker build` is the legacy builder and a lab comparing the two builders cannot \
                 pass there",
                lab.id
            );
            continue;
        }
        let mut script = String::new();
        for line in lab.steps.iter().flat_map(|s| s.solution.iter()) {
            script.push_str(line);
            script.push('\n');
        }
        let mut results = Vec::new();
        for engine in ["sim", "docker"] {
            if engine == "docker" {
                reset();
            }
            let home = tempfile::tempdir().expect("temp home");
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_docklab"));
            cmd.args(["--engine", engine, "--lab", &lab.id, "--lang", "en"])
                .env("DOCKLAB_HOME", home.path())
                .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
                .env("NO_COLOR", "1");
            let (code, out, err) = run_limited(cmd, &script, Duration::from_secs(600));
            assert_eq!(
                code, 0,
                "lab {} did not complete on the {engine} engine:\n{out}\n{err}",
                lab.id
            );
            results.push(step_results(&out));
        }
        assert_eq!(
            results[0].len(),
            lab.steps.len(),
            "lab {}: every step passes on the simulator",
            lab.id
        );
        assert_eq!(
            results[0], results[1],
            "lab {}: same step results on both engines",
            lab.id
        );
    }
    reset();
}

#[test]
fn reset_on_the_real_engine_removes_only_what_the_lab_created() {
    if !enabled() {
        return;
    }
    let _lock = lock_testbed();
    reset();
    let mut real = RealEngine::new("docker", RealMode::Captured).with_timeout(COMMAND_LIMIT);
    let pre = real
        .exec(&ExecContext::new(&words("pull alpine")), &mut NoInput)
        .expect("pull");
    assert_eq!(pre.exit_code, 0, "{}", pre.stderr);
    for (answer, memcached_left) in [("n", true), ("y", false)] {
        let home = tempfile::tempdir().expect("temp home");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_docklab"));
        cmd.args([
            "--engine",
            "docker",
            "--lab",
            "a-vous-de-jouer",
            "--lang",
            "en",
        ])
        .env("DOCKLAB_HOME", home.path())
        .env("NO_COLOR", "1");
        let script = format!("docker pull memcached\nreset\n{answer}\n");
        let (_, out, err) = run_limited(cmd, &script, COMMAND_LIMIT);
        assert!(
            out.contains("docker rmi"),
            "the plan lists the removal:\n{out}\n{err}"
        );
        let state = real.state().expect("state");
        assert!(
            state.image("alpine").is_some(),
            "{answer}: alpine was there before the lab"
        );
        assert_eq!(
            state.image("memcached").is_some(),
            memcached_left,
            "{answer}:\n{out}"
        );
        if memcached_left {
            let _ = real.exec(&ExecContext::new(&words("rmi memcached")), &mut NoInput);
        }
    }
    reset();
}

/// A `docker` that logs each of its invocations to `log`, one line each, then runs the real one.
fn logging_docker(dir: &Path, log: &Path) -> PathBuf {
    let real = Command::new("sh")
        .args(["-c", "command -v docker"])
        .output()
        .expect("sh");
    let real = String::from_utf8_lossy(&real.stdout).trim().to_owned();
    assert!(!real.is_empty(), "docker is on PATH");
    let script = dir.join("docker-logged");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )
    .expect("write the wrapper");
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

/// The state comes through the Engine API: starting a lab and typing one `docker images` runs
/// one `docker` process, the student's, however many images the engine holds (it was about 315
/// processes with 17 images when the state came through the CLI).
#[test]
fn one_typed_command_runs_one_docker_process() {
    if !enabled() {
        return;
    }
    let _lock = lock_testbed();
    reset();
    let mut real = RealEngine::new("docker", RealMode::Captured).with_timeout(COMMAND_LIMIT);
    assert!(
        real.reads_through_api(),
        "the test bed's socket: {}",
        real.host()
    );
    let already = ["alpine", "memcached", "busybox"];
    for image in already {
        let out = real
            .exec(
                &ExecContext::new(&words(&format!("pull {image}"))),
                &mut NoInput,
            )
            .expect("pull");
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("docker.log");
    let wrapper = logging_docker(dir.path(), &log);
    let run = |lab: &str, script: &str| {
        let _ = fs::remove_file(&log);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_docklab"));
        cmd.args(["--engine", "docker", "--lab", lab, "--lang", "en"])
            .arg("--docker-bin")
            .arg(&wrapper)
            .env("DOCKLAB_HOME", dir.path().join("home"))
            .env("NO_COLOR", "1");
        let (_, out, err) = run_limited(cmd, script, COMMAND_LIMIT);
        let logged = fs::read_to_string(&log).unwrap_or_default();
        (
            logged.lines().map(str::to_owned).collect::<Vec<_>>(),
            out,
            err,
        )
    };
    let (calls, out, err) = run("a-vous-de-jouer", "docker images\n");
    assert_eq!(calls, ["images"], "{out}{err}");
    assert!(out.contains("memcached"), "docker's own output: {out}{err}");
    // A lab whose start pulls images: those pulls (not of the images already there), the
    // student's command, nothing else; started again, it pulls nothing.
    let lab = docklab::lab::Catalog::load(&[])
        .get("images")
        .cloned()
        .expect("the images lab");
    let (calls, out, err) = run("images", "docker images\n");
    let mut want: Vec<String> = lab
        .start
        .images
        .iter()
        .filter(|i| !already.contains(&i.as_str()))
        .map(|i| format!("pull {i}"))
        .collect();
    assert!(want.len() > 1, "the images lab starts with images");
    want.push("images".into());
    assert_eq!(calls, want, "{out}{err}");
    let (calls, out, err) = run("images", "reset\nn\ndocker images\n");
    assert_eq!(calls, ["images"], "{out}{err}");
    reset();
}

/// In a terminal the student's command is attached (docker's own progress bars), and its
/// standard error still reaches the tutor: explanations of refusals and did-you-mean work.
#[test]
fn explanations_follow_attached_commands_in_a_terminal() {
    if !enabled() {
        return;
    }
    let _lock = lock_testbed();
    reset();
    let home = tempfile::tempdir().expect("temp home");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docklab"));
    cmd.args([
        "--engine",
        "docker",
        "--lab",
        "a-vous-de-jouer",
        "--lang",
        "en",
    ])
    .env("DOCKLAB_HOME", home.path())
    .env("NO_COLOR", "1")
    .env("TERM", "xterm");
    let limit = u64::try_from(COMMAND_LIMIT.as_millis()).expect("a limit in ms");
    let mut p = rexpect::session::spawn_command(cmd, Some(limit)).expect("docklab in a pty");
    p.exp_string("[a-vous-de-jouer 1/6] ~ $ ").expect("prompt");
    p.send_line("docker pull memcached").expect("send");
    // docker's own output, then the tutor's account of what changed, then the step.
    p.exp_string("Status: Downloaded newer image for memcached:latest")
        .expect("docker's output");
    p.exp_string("New image memcached:latest")
        .expect("explained");
    p.exp_string("Step 1 done").expect("step passed");
    p.exp_string("[a-vous-de-jouer 2/6] ~ $ ").expect("prompt");
    p.send_line("docker pul httpd:2-alpine").expect("send");
    p.exp_string("unknown command")
        .expect("docker's own error, on the terminal");
    p.exp_string("Did you mean: docker pull httpd:2-alpine?")
        .expect("did-you-mean from the captured standard error");
    p.exp_string("~ $ ").expect("prompt");
    p.send_line("docker run -d --name docklab-pty memcached")
        .expect("send");
    p.exp_string("~ $ ").expect("prompt");
    p.send_line("docker rmi memcached").expect("send");
    p.exp_string("conflict").expect("docker's refusal");
    p.exp_string("Refused: ").expect("the refusal explained");
    p.exp_string("docklab-pty").expect("naming the container");
    p.exp_string("~ $ ").expect("prompt");
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits");
    reset();
}
