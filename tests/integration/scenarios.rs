//! Differential tests against real Docker: every `tests/scenarios/NAME.scenario` is replayed on
//! the simulated engine (fresh store, the real, moving clock a student has; `% clock frozen` in a
//! scenario freezes it) and compared, command by command, with `NAME.real`, recorded on the real
//! engine by `scripts/record-real`. Both sides are normalised first (IDs and digests numbered by
//! first appearance over the scenario, dates, durations, random names, table padding, the order of
//! concurrent pull lines). A command that differs must be listed, with its reason, in
//! `tests/scenarios/fidelity-exceptions.txt` (mirrored in docs/fidelity.md); a listed command that
//! now matches fails the test too, so the list stays true.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use regex::Regex;

use crate::support::{
    normalise, normalise_buildkit, normalise_help, normalise_unordered, normalise_with, parse_real,
    parse_scenario, scenarios_dir, Numbering,
};

/// The instant the simulator's clock is frozen at for the first command of a scenario that says
/// `% clock frozen` (each next command a second later): the day the scenarios were recorded.
const CLOCK: &str = "2026-11-27T18:40:00Z";

/// The working directory the recorder runs commands in (it shows in some error messages).
const RECORD_WORK: &str = "/tmp/docklab-record-work";

/// The home the recorder gives the real client (its `~/.docker` shows in `docker --help`).
const RECORD_HOME: &str = "/tmp/docklab-record-home";

/// The API version the recording's client negotiated with its daemon (`% client-api 1.41`, the
/// first line of a `.real` file): the replay speaks the same one, as real Docker's client does
/// with `DOCKER_API_VERSION`. Flags newer than it are hidden from help and refused.
fn recorded_api(real: &str) -> Option<&str> {
    real.lines().find_map(|l| l.strip_prefix("% client-api "))
}

/// `docklab docker ARGS…` run in `work` with extra environment variables (`DOCKLAB_CLOCK` among
/// them only when the scenario freezes the clock).
fn docklab_in(
    home: &Path,
    work: &Path,
    vars: &[(String, String)],
    args: &[String],
    stdin: &[String],
) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_docklab"))
        .arg("docker")
        .args(args)
        .current_dir(work)
        .env_remove("DOCKLAB_CLOCK")
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .env("DOCKLAB_HOME", home)
        .env("TZ", "UTC")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docklab runs");
    {
        let mut input = child.stdin.take().expect("stdin");
        for line in stdin {
            let _ = writeln!(input, "{line}");
        }
    }
    let out = child.wait_with_output().expect("docklab finishes");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Replaces `{{id REF}}`, `{{fullid REF}}`, `{{cid NAME}}` and `{{digest REF}}` with IDs and
/// repo digests from the simulator.
fn resolve_placeholders(home: &Path, vars: &[(String, String)], command: &str) -> String {
    static PLACEHOLDER: OnceLock<Regex> = OnceLock::new();
    let re = PLACEHOLDER
        .get_or_init(|| Regex::new(r"\{\{(id|fullid|cid|digest) ([^}]+)\}\}").expect("regex"));
    re.replace_all(command, |c: &regex::Captures<'_>| {
        let what = if &c[1] == "cid" { "container" } else { "image" };
        let format = if &c[1] == "digest" {
            "{{index .RepoDigests 0}}"
        } else {
            "{{.Id}}"
        };
        let args: Vec<String> = [what, "inspect", "--format", format, &c[2]]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let (_, id, _) = docklab_in(home, home, vars, &args, &[]);
        let id = id.trim().to_owned();
        match &c[1] {
            "fullid" => id,
            "digest" => id.split_once('@').map(|(_, d)| d.to_owned()).unwrap_or(id),
            _ => id.trim_start_matches("sha256:").chars().take(12).collect(),
        }
    })
    .into_owned()
}

/// `scenario:index reason` lines: commands known to differ, and why.
fn exceptions() -> BTreeMap<String, String> {
    let text =
        fs::read_to_string(scenarios_dir().join("fidelity-exceptions.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect()
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "the replay and its report in one place"
)]
fn simulator_matches_real_docker() {
    let exceptions = exceptions();
    let mut names: Vec<String> = fs::read_dir(scenarios_dir())
        .expect("tests/scenarios")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".scenario").map(str::to_owned))
        .collect();
    names.sort();
    let (mut compared, mut matched, mut strict) = (0_u32, 0_u32, 0_u32);
    let mut failures = Vec::new();
    for name in &names {
        let dir = scenarios_dir();
        let real_text = fs::read_to_string(dir.join(format!("{name}.real"))).expect(".real file");
        let scenario_text =
            fs::read_to_string(dir.join(format!("{name}.scenario"))).expect("scenario");
        let real = parse_real(&real_text);
        let scenario = parse_scenario(&scenario_text);
        assert_eq!(
            real.len(),
            scenario.len(),
            "{name}: .real and .scenario disagree; re-record"
        );
        // `% normalise sizes`: the scenario's sizes are simulated (RUN layers), not compared.
        let sizes_differ = scenario_text.lines().any(|l| l == "% normalise sizes");
        // `% clock frozen`: the recording needs a fixed time (each command a second later).
        let frozen = scenario_text.lines().any(|l| l == "% clock frozen");
        let home = tempfile::tempdir().expect("temp home");
        let work = tempfile::tempdir().expect("scenario working directory");
        // Each engine numbers its own IDs by first appearance, over the whole scenario.
        let (mut real_ids, mut sim_ids) = (Numbering::default(), Numbering::default());
        for (i, (want, step)) in real.iter().zip(&scenario).enumerate() {
            let key = format!("{name}:{}", i + 1);
            for (file, content) in &step.files {
                let path = work.path().join(file);
                fs::create_dir_all(path.parent().expect("inside the work dir")).expect("mkdir");
                fs::write(path, content).expect("scenario file");
            }
            // The recording's client environment first; the command's own assignments win.
            let mut vars = vec![("HOME".to_owned(), RECORD_HOME.to_owned())];
            if frozen {
                let at: jiff::Timestamp = CLOCK.parse().expect("CLOCK is RFC 3339");
                let at = at + jiff::SignedDuration::from_secs(i64::try_from(i).unwrap_or(0));
                vars.push(("DOCKLAB_CLOCK".to_owned(), at.to_string()));
            } else if step.pause > 0.0 {
                // The recorder waited (two builds whole seconds apart): so does the replay.
                std::thread::sleep(std::time::Duration::from_secs_f64(step.pause));
            }
            if let Some(api) = recorded_api(&real_text) {
                vars.push(("DOCKER_API_VERSION".to_owned(), api.to_owned()));
            }
            let command = resolve_placeholders(home.path(), &vars, &step.command);
            let words = shell_words::split(&command).expect("scenario command splits");
            let (step_vars, words) = crate::support::split_assignments(&words);
            vars.extend(step_vars);
            assert_eq!(words.first().map(String::as_str), Some("docker"), "{key}");
            let (exit, stdout, stderr) =
                docklab_in(home.path(), work.path(), &vars, &words[1..], &step.stdin);
            // The replay's working directory stands for the recorder's.
            let here = work.path().display().to_string();
            let (stdout, stderr) = (
                stdout.replace(&here, RECORD_WORK),
                stderr.replace(&here, RECORD_WORK),
            );
            compared += 1;
            let sized = |text: String| {
                if sizes_differ {
                    crate::support::normalise_sizes(&text)
                } else {
                    text
                }
            };
            // Each text numbered once, stdout before stderr, on each side. A command listed as a
            // known difference numbers nothing for the next ones: an ID only one side prints
            // (the 20.10 daemon's `Container` of an image) must not shift the numbers after it.
            let before = (real_ids.clone(), sim_ids.clone());
            let want_out = normalise_with(&want.stdout, &mut real_ids);
            let want_err = normalise_with(&want.stderr, &mut real_ids);
            let (got_out, got_err) = (
                normalise_with(&stdout, &mut sim_ids),
                normalise_with(&stderr, &mut sim_ids),
            );
            let norm = |text: &str| sized(normalise_help(&normalise_buildkit(text)));
            let same = exit == want.exit
                && norm(&got_out) == norm(&want_out)
                && norm(&got_err) == norm(&want_err);
            // The same without folding help descriptions, for the record.
            let plain = |text: &str| sized(normalise_buildkit(text));
            if exit == want.exit
                && plain(&got_out) == plain(&want_out)
                && plain(&got_err) == plain(&want_err)
            {
                strict += 1;
            }
            // A listed command numbers nothing for the next ones (an object only one side shows
            // would shift every number after it), except where the difference is only a test-bed
            // stand-in program's output: the objects then match one for one (the first legacy
            // build of the seed Dockerfile, whose intermediate images later commands list).
            if exceptions
                .get(&key)
                .is_some_and(|why| !why.starts_with("testbed-standin"))
            {
                (real_ids, sim_ids) = before;
            }
            let (stdout, stderr) = (got_out, got_err);
            let want = crate::support::Run {
                stdout: want_out,
                stderr: want_err,
                ..want.clone()
            };
            match (same, exceptions.contains_key(&key)) {
                (true, false) => matched += 1,
                (true, true) => failures.push(format!(
                    "{key} `{}` now matches real Docker: remove it from fidelity-exceptions.txt",
                    step.command
                )),
                (false, true) => {}
                (false, false) => failures.push(format!(
                    "{key} `{}` differs from real Docker ({})\n--- real stdout (exit {})\n{}--- real stderr\n{}--- docklab stdout (exit {exit})\n{}--- docklab stderr\n{}",
                    step.command,
                    [
                        (exit != want.exit).then_some("exit code"),
                        (norm(&stdout) != norm(&want.stdout)).then_some("stdout"),
                        (norm(&stderr) != norm(&want.stderr)).then_some("stderr"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                    want.exit,
                    norm(&want.stdout),
                    norm(&want.stderr),
                    norm(&stdout),
                    norm(&stderr),
                )),
            }
        }
    }
    println!(
        "fidelity: {matched} of {compared} compared commands identical to real Docker after normalisation ({:.1}%)",
        100.0 * f64::from(matched) / f64::from(compared.max(1))
    );
    println!(
        "fidelity: {strict} of {compared} identical when help descriptions, docklab's own words by design, are compared too ({:.1}%)",
        100.0 * f64::from(strict) / f64::from(compared.max(1))
    );
    // The listed differences by kind (the word before the first colon of each reason).
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for reason in exceptions.values() {
        *kinds
            .entry(reason.split(':').next().unwrap_or(reason))
            .or_default() += 1;
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    println!(
        "fidelity: known differences (docs/fidelity.md): {}",
        kinds.join(", ")
    );
    // Differences the test bed causes (its 20.10 daemon, its daemon without a bridge), apart:
    // docklab follows Docker 28 with a default bridge, as students have it.
    let test_bed = exceptions
        .values()
        .filter(|r| r.starts_with("daemon-version:") || r.starts_with("no-network:"))
        .count();
    let test_bed = u32::try_from(test_bed).expect("a few exceptions");
    println!(
        "fidelity: {} of {compared} identical or different only because of the test bed (daemon-version, no-network) ({:.1}%)",
        matched + test_bed,
        100.0 * f64::from(matched + test_bed) / f64::from(compared.max(1))
    );
    assert!(
        failures.is_empty(),
        "{} difference(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn normalisation_folds_ids_times_and_padding() {
    assert_eq!(
        normalise("nginx        latest    657fdcd1c365   13 months ago   152MB\n"),
        normalise("nginx   latest   0123456789ab   4 weeks ago   152MB\n"),
    );
    assert_ne!(normalise("nginx latest\n"), normalise("nginx stable\n"));
}

#[test]
fn normalisation_ignores_the_order_docker_leaves_to_chance() {
    let a = "Deleted Images:\nuntagged: b:1\ndeleted: sha256:2\nuntagged: a:1\ndeleted: sha256:1\n\nTotal reclaimed space: 1B\nLoaded image: z:1\nLoaded image: y:1\n";
    let b = "Deleted Images:\nuntagged: a:1\ndeleted: sha256:1\nuntagged: b:1\ndeleted: sha256:2\n\nTotal reclaimed space: 1B\nLoaded image: y:1\nLoaded image: z:1\n";
    assert_eq!(normalise_unordered(a), normalise_unordered(b));
    // Within one image, the order stays compared.
    let c = "Deleted Images:\ndeleted: sha256:1\nuntagged: a:1\n";
    assert_ne!(
        normalise_unordered(c),
        normalise_unordered("Deleted Images:\nuntagged: a:1\ndeleted: sha256:1\n")
    );
}

#[test]
fn normalisation_ignores_the_order_of_one_images_tags() {
    let a = "REPOSITORY   TAG   IMAGE ID       CREATED\nmonblog   latest   0123456789ab   1 day ago\nnginx   latest   0123456789ab   1 day ago\nalpine   latest   ba9876543210   2 days ago\n";
    let b = "REPOSITORY   TAG   IMAGE ID       CREATED\nnginx   latest   0123456789ab   1 day ago\nmonblog   latest   0123456789ab   1 day ago\nalpine   latest   ba9876543210   2 days ago\n";
    assert_eq!(normalise(a), normalise(b));
    // Distinct images keep their order (newest first).
    let c =
        "alpine   latest   ba9876543210   2 days ago\nnginx   latest   0123456789ab   1 day ago\n";
    let d =
        "nginx   latest   0123456789ab   1 day ago\nalpine   latest   ba9876543210   2 days ago\n";
    assert_ne!(normalise(c), normalise(d));
}

#[test]
fn normalisation_drops_buildkit_statuses_a_tick_caught_unfinished() {
    let d = "d".repeat(64);
    let a = format!(
        "#4 extracting sha256:{d}\n#4 sha256:{d} 1.07MB / 3.80MB\n#4 sha256:{d} 3.80MB / 3.80MB 0.1s done\n#4 extracting sha256:{d} 0.1s done\n#8 writing image sha256:{d}\n#8 writing image sha256:{d} done\n"
    );
    let b = format!(
        "#4 sha256:{d} 3.80MB / 3.80MB done\n#4 extracting sha256:{d} done\n#8 writing image sha256:{d} done\n"
    );
    let norm = |t: &str| crate::support::normalise_buildkit(&normalise(t));
    assert_eq!(norm(&a), norm(&b));
    // A status that never finished stays: it is what the build printed.
    let c = format!("#4 extracting sha256:{d}\n#4 DONE 0.1s\n");
    assert!(norm(&c).contains("extracting"));
}
