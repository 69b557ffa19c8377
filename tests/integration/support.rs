//! Helpers shared by the tests that compare engines with the recorded real-Docker scenarios
//! (`tests/scenarios/`): the scenario and `.real` parsers and the normalisation that folds away
//! what legitimately differs between two engines.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

/// The frozen clock the tutor's tests run at (`DOCKLAB_CLOCK`).
pub(crate) const CLOCK: &str = "2025-10-29T12:00:00Z";

/// The docklab binary in a neutral environment: `home` as its home, no colour, no labs folder,
/// engine or language from the caller's environment (`LANG=C`), the clock frozen at [`CLOCK`].
pub(crate) fn docklab_at(home: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("docklab").expect("the docklab binary is built");
    c.env("DOCKLAB_HOME", home)
        .env("DOCKLAB_CLOCK", CLOCK)
        .env("NO_COLOR", "1")
        .env_remove("DOCKLAB_LABS")
        .env_remove("DOCKLAB_ENGINE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env("LANG", "C");
    c
}

/// A lab's reference solution, every step's lines in order, one per line: what a student who
/// follows it types.
pub(crate) fn solution_lines(lab: &docklab::lab::Lab) -> String {
    let mut lines = String::new();
    for line in lab.steps.iter().flat_map(|s| &s.solution) {
        lines.push_str(line);
        lines.push('\n');
    }
    lines
}

/// `VAR=value` words before `docker`: (the assignments, the rest).
pub(crate) fn split_assignments(words: &[String]) -> (Vec<(String, String)>, &[String]) {
    let n = words
        .iter()
        .take_while(|w| docklab::command::is_assignment(w))
        .count();
    let vars = words[..n]
        .iter()
        .filter_map(|w| w.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    (vars, &words[n..])
}

/// One command of a scenario and what it printed.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Run {
    pub(crate) command: String,
    pub(crate) stdin: Vec<String>,
    pub(crate) exit: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    /// `% file PATH` … `% end` blocks before the command: files to write in the working
    /// directory first.
    pub(crate) files: Vec<(String, String)>,
    /// `% sleep N` before the command: seconds the recorder waited first.
    pub(crate) pause: f64,
}

pub(crate) fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
}

pub(crate) fn parse_scenario(text: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut file: Option<(String, String)> = None;
    let mut pause = 0.0;
    for line in text.lines() {
        if let Some((name, content)) = &mut file {
            if line == "% end" {
                files.push((std::mem::take(name), std::mem::take(content)));
                file = None;
            } else {
                content.push_str(line);
                content.push('\n');
            }
            continue;
        }
        if let Some(name) = line.strip_prefix("% file ") {
            file = Some((name.to_owned(), String::new()));
        } else if let Some(seconds) = line.strip_prefix("% sleep ") {
            pause += seconds.trim().parse::<f64>().expect("% sleep SECONDS");
        } else if let Some(cmd) = line.strip_prefix("$ ") {
            runs.push(Run {
                command: cmd.to_owned(),
                files: std::mem::take(&mut files),
                pause: std::mem::take(&mut pause),
                ..Run::default()
            });
        } else if let Some(input) =
            line.strip_prefix("< ")
                .or(if line == "<" { Some("") } else { None })
        {
            runs.last_mut()
                .expect("stdin line after a command")
                .stdin
                .push(input.to_owned());
        }
    }
    runs
}

pub(crate) fn parse_real(text: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    // `split`, not `lines`: a line's own `\r` (Docker's `Sending build context … 3.072kB\r\r`) is
    // kept.
    for line in text.split('\n') {
        let run = runs.last_mut();
        if let Some(cmd) = line.strip_prefix("$ ") {
            runs.push(Run {
                command: cmd.to_owned(),
                ..Run::default()
            });
        } else if let Some(code) = line.strip_prefix("? ") {
            run.expect("block").exit = code.parse().expect("exit code");
        } else if line == ">" || line.starts_with("> ") {
            let r = run.expect("block");
            r.stdout.push_str(line.get(2..).unwrap_or(""));
            r.stdout.push('\n');
        } else if line == "!" || line.starts_with("! ") {
            let r = run.expect("block");
            r.stderr.push_str(line.get(2..).unwrap_or(""));
            r.stderr.push('\n');
        } else if line == "% no-newline-stdout" {
            run.expect("block").stdout.pop();
        } else if line == "% no-newline-stderr" {
            run.expect("block").stderr.pop();
        }
    }
    runs
}

/// Human sizes (`78.6MB`, `27B`) and raw byte counts after `SIZE`-like words, for scenarios that
/// say `% normalise sizes`: a build's RUN layers have simulated sizes.
pub(crate) fn normalise_sizes(text: &str) -> String {
    static SIZE: OnceLock<Regex> = OnceLock::new();
    let re = SIZE.get_or_init(|| Regex::new(r"\b\d+(\.\d+)?(B|kB|MB|GB|TB)\b").expect("regex"));
    re.replace_all(text, "<SIZE>").into_owned()
}

/// A help page reduced to what docklab must reproduce: issue #2 has help "laid out as Docker
/// lays it out (Usage, Aliases, Options with the same flag names), wording our own", so the
/// one-line descriptions (of the command, of each flag and subcommand) are dropped while the
/// usage line, aliases, section titles, flag names, shorthands, value types, defaults, the
/// commands listed and their order, and the footer stay compared. Text that is not a help page
/// (no `Options:`, `Commands:` or `Aliases:` section) is returned as it is. Takes text already
/// through [`normalise`] (padding folded to two spaces).
pub(crate) fn normalise_help(text: &str) -> String {
    static DEFAULT: OnceLock<Regex> = OnceLock::new();
    let default = DEFAULT.get_or_init(|| Regex::new(r"\(default (.*)\)$").expect("regex"));
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(usage) = lines.iter().position(|l| l.starts_with("Usage:  docker")) else {
        return text.to_owned();
    };
    let is_section = |l: &str| !l.starts_with(' ') && l.ends_with(':') && !l.is_empty();
    if !lines.iter().any(|l| {
        is_section(l) && (l.ends_with("Options:") || l.ends_with("Commands:") || *l == "Aliases:")
    }) {
        return text.to_owned();
    }
    let mut out: Vec<String> = lines[..=usage].iter().map(|l| (*l).to_owned()).collect();
    let mut section = "";
    // The entry being read: its head and its description so far.
    let mut entry: Option<(String, String)> = None;
    let flush = |entry: &mut Option<(String, String)>, out: &mut Vec<String>| {
        if let Some((head, description)) = entry.take() {
            match default.captures(description.trim()) {
                Some(c) => out.push(format!("{head}  (default {})", &c[1])),
                None => out.push(head),
            }
        }
    };
    for (i, line) in lines.iter().enumerate().skip(usage + 1) {
        if is_section(line) {
            flush(&mut entry, &mut out);
            section = line;
            out.push((*line).to_owned());
            continue;
        }
        if line.is_empty() {
            flush(&mut entry, &mut out);
            section = "";
            out.push(String::new());
            continue;
        }
        let listing = section.ends_with("Options:") || section.ends_with("Commands:");
        if !listing {
            // The command's description, the paragraph between the usage line and the first
            // section; other text (aliases, footers) is compared.
            let described = i == usage + 2 && !line.starts_with("Run '");
            out.push(if described {
                "<DESCRIPTION>".to_owned()
            } else {
                (*line).to_owned()
            });
            continue;
        }
        let body = line.trim_start();
        // A flag (`-q, --quiet`, `--pids-limit`), not a wrapped description that starts with a
        // number (`-1 for unlimited)`).
        let flag = body.starts_with("--")
            || (body.starts_with('-') && body[1..].starts_with(|c: char| c.is_ascii_alphabetic()));
        let starts_entry = section.ends_with("Commands:") || flag;
        match (starts_entry, &mut entry) {
            (true, _) => {
                flush(&mut entry, &mut out);
                let (head, description) = body.split_once("  ").unwrap_or((body, ""));
                entry = Some((format!("  {head}"), description.to_owned()));
            }
            (false, Some((_, description))) => {
                description.push(' ');
                description.push_str(body);
            }
            (false, None) => out.push((*line).to_owned()),
        }
    }
    flush(&mut entry, &mut out);
    out.join("\n")
}

/// Lines whose order real Docker leaves to chance, put in one order: the images of one
/// `Deleted Images:` block (the daemon prunes them in Go map order; each image's own
/// `untagged:`/`deleted:` lines stay together and in order), the IDs of a `Deleted Containers:`
/// block (likewise) and consecutive `Loaded image:` lines (`docker save` writes several images
/// in map order).
pub(crate) fn normalise_unordered(text: &str) -> String {
    sort_chance_orders(text, &|l: &str| l.to_owned())
}

/// [`normalise_unordered`] with the sort key `key` of each line: sorting on the lines with their
/// IDs masked before IDs are numbered makes the numbering independent of the chance order.
fn sort_chance_orders(text: &str, key: &dyn Fn(&str) -> String) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push(line.to_owned());
        i += 1;
        if line.ends_with("Deleted Images:") {
            let mut groups: Vec<Vec<&str>> = Vec::new();
            while i < lines.len() && !lines[i].is_empty() {
                let new_group = groups.last().is_none_or(|g: &Vec<&str>| {
                    lines[i].starts_with("untagged: ")
                        && g.last().is_some_and(|l| l.starts_with("deleted: "))
                });
                if new_group {
                    groups.push(Vec::new());
                }
                groups.last_mut().expect("a group").push(lines[i]);
                i += 1;
            }
            groups.sort_by_cached_key(|g| g.iter().map(|l| key(l)).collect::<Vec<_>>());
            out.extend(groups.into_iter().flatten().map(str::to_owned));
        } else if line.ends_with("Deleted Containers:") {
            let start = i;
            while i < lines.len() && !lines[i].is_empty() {
                i += 1;
            }
            let mut run: Vec<&str> = lines[start..i].to_vec();
            run.sort_by_cached_key(|l| key(l));
            out.extend(run.into_iter().map(str::to_owned));
        } else if line.starts_with("Loaded image: ") {
            out.pop();
            let start = i - 1;
            while i < lines.len() && lines[i].starts_with("Loaded image: ") {
                i += 1;
            }
            let mut run: Vec<&str> = lines[start..i].to_vec();
            run.sort_by_cached_key(|l| key(l));
            out.extend(run.into_iter().map(str::to_owned));
        }
    }
    out.join("\n")
}

/// IDs and generated names numbered by first appearance, over a whole scenario (one per engine):
/// `<ID1>` is the first object met, and the same object is `<ID1>` wherever it shows again, in
/// any command, so "same ID" and "different ID" stay compared while the values themselves (each
/// engine's own) are not. An ID's identity is its first 12 hex digits, the short ID, so a short
/// and a full form of one ID get one number; the full form shows as `<IDn-FULL>`. Generated
/// container names are `<NAME1>`, `<NAME2>`…
#[derive(Debug, Default, Clone)]
pub(crate) struct Numbering {
    ids: HashMap<String, usize>,
    names: HashMap<String, usize>,
}

impl Numbering {
    fn id(&mut self, hex: &str) -> usize {
        let n = self.ids.len() + 1;
        *self.ids.entry(hex[..12].to_owned()).or_insert(n)
    }

    fn name(&mut self, name: &str) -> usize {
        let n = self.names.len() + 1;
        *self.names.entry(name.to_owned()).or_insert(n)
    }
}

/// What may legitimately differ between two engines, folded away, with IDs numbered afresh
/// (one command on its own): see [`normalise_with`].
pub(crate) fn normalise(text: &str) -> String {
    normalise_with(text, &mut Numbering::default())
}

/// What may legitimately differ between two engines, folded away; IDs and generated names are
/// numbered by `numbering`, which a scenario keeps from one command to the next.
pub(crate) fn normalise_with(text: &str, numbering: &mut Numbering) -> String {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    static HEX: OnceLock<Regex> = OnceLock::new();
    static NAME: OnceLock<Regex> = OnceLock::new();
    static HASH: OnceLock<Regex> = OnceLock::new();
    // The legacy builder's `COPY file:<hash>` / `COPY dir:<hash>`: a digest of the copied files,
    // not an object of the engine.
    let hash = HASH.get_or_init(|| Regex::new(r"\b(file|dir):[0-9a-f]{16,64}").expect("regex"));
    let hex = HEX.get_or_init(|| Regex::new(r"\b([0-9a-f]{64}|[0-9a-f]{12})\b").expect("regex"));
    // A generated name (`adjective_surname`) ends its line or is followed by a space (a custom
    // `ps --format '{{.Names}} {{.Status}}'`); `my_app:1` is a repository, not a name.
    let name = NAME.get_or_init(|| Regex::new(r"(?m)\b([a-z]+_[a-z]+)( |$)").expect("regex"));
    let rules = RULES.get_or_init(|| {
        [
            (r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?( [A-Z]{3,4})?", "<DATE>"),
            (
                r"(Less than a second|About a minute|About an hour|\d+ (second|minute|hour|day|week|month|year)s?)",
                "<DURATION>",
            ),
            (r"(?m)^.*: Verifying Checksum\n", ""),
            // Timing, not behaviour: a layer queued behind the 3 concurrent downloads shows
            // `Waiting` only when no slot freed up in time, and the daemon's progress stream
            // sometimes drops a small layer's `Download complete` (seen on the 20.10 test bed
            // about once in five pulls of nginx). `Pulling fs layer` and `Pull complete` stay.
            (r"(?m)^.*: (Waiting|Download complete)\n", ""),
            (r" {2,}", "  "),
        ]
        .into_iter()
        .map(|(p, r)| (Regex::new(&format!("(?m){p}")).expect("regex"), r))
        .collect()
    });
    let text = buildkit_vertices_gathered(&buildkit_interim_lines_dropped(text));
    let text = same_image_rows_sorted(&text);
    let text = hash.replace_all(&text, "$1:<HASH>");
    // Chance orders first sorted on what is not an ID, so that fresh IDs are numbered in the
    // same order on both sides; then again on the numbers, for IDs met before.
    let masked = |l: &str| hex.replace_all(l, "<ID>").into_owned();
    let text = sort_chance_orders(&text, &masked);
    let text = hex.replace_all(&text, |c: &regex::Captures<'_>| {
        let n = numbering.id(&c[1]);
        if c[1].len() == 64 {
            format!("<ID{n}-FULL>")
        } else {
            format!("<ID{n}>")
        }
    });
    let mut text = name
        .replace_all(&text, |c: &regex::Captures<'_>| {
            format!("<NAME{}>{}", numbering.name(&c[1]), &c[2])
        })
        .into_owned();
    text = normalise_unordered(&text);
    text = tied_untagged_rows_sorted(&text);
    for (re, with) in rules {
        text = re.replace_all(&text, *with).into_owned();
    }
    text
}

/// `BuildKit`'s plain progress prints a status of a vertex each time its progress ticks: a status
/// still running at a tick shows first without `done` (`#4 extracting sha256:…`, `#8 writing
/// image sha256:…`), then again with it. Whether a tick fell inside a status is timing, not
/// behaviour: the unfinished line is dropped when the same status ends `done` later in the text.
/// Before numbering, so that an ID met first in such a line does not shift the numbers.
fn buildkit_interim_lines_dropped(text: &str) -> String {
    static DONE: OnceLock<Regex> = OnceLock::new();
    let done = DONE.get_or_init(|| {
        Regex::new(r"^(#\d+ .*?)(?: \d+(?:\.\d+)?(?:B|kB|MB|GB) / \d+(?:\.\d+)?(?:B|kB|MB|GB))?(?: \d+\.\d+s)? done$")
            .expect("regex")
    });
    let lines: Vec<&str> = text.split('\n').collect();
    let finished: std::collections::HashSet<&str> = lines
        .iter()
        .filter_map(|l| done.captures(l).and_then(|c| c.get(1)).map(|m| m.as_str()))
        .collect();
    let interim = |l: &str| {
        l.starts_with('#')
            && !l.ends_with(" done")
            && (finished.contains(l)
                // A download's size so far: `#4 sha256:… 1.05MB / 3.80MB`.
                || l
                    .rsplit_once(" / ")
                    .and_then(|(head, _)| head.rsplit_once(' '))
                    .is_some_and(|(head, _)| finished.contains(head)))
    };
    lines
        .into_iter()
        .filter(|l| !interim(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `BuildKit`'s plain progress as one block per vertex, in the order of their numbers. The
/// progress prints what changed at each tick, so the same vertex can show several times: cut by
/// another (`#4 ...`, then its header again), or done then shown again with a late status (`#1
/// DONE 0.0s`, then `#1 [internal] load build definition…` with its transfer line). Within a base
/// image's vertex, the concurrent downloads finish in any order and each extraction may print
/// before the last download line: the extractions go after the downloads, and the downloads
/// after the first (the manifest, fetched before the others) by size (the config before the
/// layers). Consecutive vertices that are only `CACHED` are loaded in parallel and show in any
/// order: they are put in step order (`[2/5]` before `[3/5]`), keeping the numbers in sequence.
/// Before numbering, so that IDs are numbered in the same order on both sides. Text other than
/// `#` lines and blank lines between them (an error box after the progress) stays as it is.
fn buildkit_vertices_gathered(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let is_progress = |l: &str| {
        l.strip_prefix('#')
            .and_then(|r| r.split_once(' '))
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let Some(first) = lines.iter().position(|l| is_progress(l)) else {
        return text.to_owned();
    };
    let last = lines.iter().rposition(|l| is_progress(l)).unwrap_or(first);
    if lines[first..=last]
        .iter()
        .any(|l| !l.is_empty() && !is_progress(l))
    {
        return text.to_owned();
    }
    // Vertex number -> (header, body lines), in order of the numbers.
    let mut vertices: BTreeMap<u32, (String, Vec<String>)> = BTreeMap::new();
    for line in lines[first..=last].iter().filter(|l| !l.is_empty()) {
        let (n, rest) = line[1..].split_once(' ').expect("a progress line");
        let n: u32 = n.parse().unwrap_or(u32::MAX);
        let entry = vertices
            .entry(n)
            .or_insert_with(|| (rest.to_owned(), Vec::new()));
        if rest == entry.0 || rest == "..." {
            continue;
        }
        // A DONE followed by more of the vertex was not its end.
        if entry.1.last().is_some_and(|l| l.starts_with("DONE ")) {
            entry.1.pop();
        }
        entry.1.push(rest.to_owned());
    }
    let bytes = |l: &str| -> f64 {
        let size = l.split(' ').nth(1).unwrap_or("");
        let digits: String = size
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let unit = &size[digits.len()..];
        let scale = match unit {
            "kB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            _ => 1.0,
        };
        digits.parse::<f64>().unwrap_or(0.0) * scale
    };
    for (header, body) in vertices.values_mut() {
        if !header.contains("] FROM ") {
            continue;
        }
        let is_download = |l: &String| l.starts_with("sha256:") && l.contains(" / ");
        let downloads: Vec<String> = body.iter().filter(|l| is_download(l)).cloned().collect();
        if downloads.len() < 2 {
            continue;
        }
        let mut rest_sorted = downloads[1..].to_vec();
        rest_sorted.sort_by(|a, b| bytes(a).total_cmp(&bytes(b)));
        let extracting: Vec<String> = body
            .iter()
            .filter(|l| l.starts_with("extracting "))
            .cloned()
            .collect();
        let others: Vec<String> = body
            .iter()
            .filter(|l| !is_download(l) && !l.starts_with("extracting "))
            .cloned()
            .collect();
        // `resolve …` first, the end (`DONE`) last.
        let (before, after): (Vec<String>, Vec<String>) =
            others.into_iter().partition(|l| l.starts_with("resolve "));
        *body = before
            .into_iter()
            .chain(std::iter::once(downloads[0].clone()))
            .chain(rest_sorted)
            .chain(extracting)
            .chain(after)
            .collect();
    }
    let mut ordered: Vec<(u32, String, Vec<String>)> =
        vertices.into_iter().map(|(n, (h, b))| (n, h, b)).collect();
    let only_cached = |v: &(u32, String, Vec<String>)| v.2 == ["CACHED"] && v.1.starts_with('[');
    let mut i = 0;
    while i < ordered.len() {
        let mut j = i;
        while j < ordered.len() && only_cached(&ordered[j]) {
            j += 1;
        }
        if j > i + 1 {
            let mut headers: Vec<String> = ordered[i..j].iter().map(|v| v.1.clone()).collect();
            headers.sort_by_key(|h| step_of(h));
            for (v, h) in ordered[i..j].iter_mut().zip(headers) {
                v.1 = h;
            }
        }
        i = j.max(i + 1);
    }
    let mut out: Vec<String> = lines[..first].iter().map(|l| (*l).to_owned()).collect();
    for (k, (n, header, body)) in ordered.iter().enumerate() {
        if k > 0 {
            out.push(String::new());
        }
        out.push(format!("#{n} {header}"));
        out.extend(body.iter().map(|l| format!("#{n} {l}")));
    }
    out.extend(lines[last + 1..].iter().map(|l| (*l).to_owned()));
    out.join("\n")
}

/// The step of a vertex header `[2/5] RUN …` (`[stage-1 2/5]`): (stage text, 2).
fn step_of(header: &str) -> (String, u32) {
    let inside = header
        .strip_prefix('[')
        .and_then(|h| h.split_once(']'))
        .map_or("", |(i, _)| i);
    let (stage, step) = inside.rsplit_once(' ').unwrap_or(("", inside));
    let n = step
        .split_once('/')
        .and_then(|(a, _)| a.parse().ok())
        .unwrap_or(0);
    (stage.to_owned(), n)
}

/// Consecutive `<none>  <none>` rows of `docker images -a` created in the same second, the one
/// whose ID was met last first (newest first, as between seconds): the daemon sorts images by
/// whole seconds with an unstable sort, so the legacy builder's intermediate images (a build's
/// steps, within a second or two) come in any order within a second. Takes text whose IDs are numbered (`<ID7>`) and whose `CREATED` is not yet folded.
fn tied_untagged_rows_sorted(text: &str) -> String {
    static ROW: OnceLock<Regex> = OnceLock::new();
    let re = ROW.get_or_init(|| {
        Regex::new(r"^<none> {2,}<none> {2,}<ID(\d+)> {2,}(\S+( \S+)*)").expect("regex")
    });
    let key = |line: &str| {
        re.captures(line)
            .map(|c| (c[2].to_owned(), c[1].parse::<usize>().expect("digits")))
    };
    let mut out: Vec<&str> = Vec::new();
    let mut run: Vec<(usize, &str)> = Vec::new();
    let mut run_created: Option<String> = None;
    fn flush<'a>(run: &mut Vec<(usize, &'a str)>, out: &mut Vec<&'a str>) {
        run.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        out.extend(run.drain(..).map(|(_, l)| l));
    }
    for line in text.split('\n') {
        match key(line) {
            Some((created, n)) if run_created.as_ref() == Some(&created) => run.push((n, line)),
            Some((created, n)) => {
                flush(&mut run, &mut out);
                run_created = Some(created);
                run.push((n, line));
            }
            None => {
                flush(&mut run, &mut out);
                run_created = None;
                out.push(line);
            }
        }
    }
    flush(&mut run, &mut out);
    out.join("\n")
}

/// The table rows of one image (the tags of one image ID, consecutive) in sorted order: a 20.10
/// daemon lists them in a rotation of their sorted order that changes from one run to the next
/// (`monblog`, `nginx`, `nginx`, `localhost:5000/…` then `nginx`, `nginx`, `localhost…`,
/// `monblog`). A row is a line with a 12-digit ID between spaces (not a pull line `ID: …`).
fn same_image_rows_sorted(text: &str) -> String {
    static ROW_ID: OnceLock<Regex> = OnceLock::new();
    let re = ROW_ID.get_or_init(|| Regex::new(r"\s([0-9a-f]{12})\s").expect("regex"));
    let id_of = |line: &str| re.captures(line).map(|c| c[1].to_owned());
    let mut out: Vec<&str> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut run_id: Option<String> = None;
    for line in text.split_inclusive('\n') {
        let id = id_of(line);
        if id.is_none() || id != run_id {
            run.sort_unstable();
            out.append(&mut run);
            run_id = id;
        }
        if run_id.is_some() {
            run.push(line);
        } else {
            out.push(line);
        }
    }
    run.sort_unstable();
    out.append(&mut run);
    out.concat()
}

/// `BuildKit`'s timing and cache record IDs, after [`normalise`]: how long a step or a status took
/// (`#5 DONE 0.3s`, `#4 extracting sha256:… 0.4s done`), when a RUN printed a line (`#5 0.051
/// TEXT`, `0.051 TEXT` in an error box), and the random IDs of build cache records (`builder
/// prune`'s list, `system df -v`'s rows, whose order `BuildKit` leaves to chance: sorted). The
/// structure of the output stays compared.
pub(crate) fn normalise_buildkit(text: &str) -> String {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            (r"^(#\d+) \d+\.\d+ ", "$1 <T> "),
            (r"^\d+\.\d{3} ", "<T> "),
            (r"^(#\d+ .*?) \d+\.\d+s done$", "$1 done"),
            (r"^(#\d+) DONE \d+\.\d+s$", "$1 DONE <T>"),
            // A blob's download size: the test bed's registry holds its own blobs (layers padded
            // with zeros, compressing to other sizes than Docker Hub's, which docklab's catalog
            // carries), so the sizes are not compared; which blobs, in which order, stay.
            (
                r"^(#\d+ sha256:<ID\d+-FULL>) \d+(?:\.\d+)?(?:B|kB|MB|GB) / \d+(?:\.\d+)?(?:B|kB|MB|GB)",
                "$1 <SIZE> / <SIZE>",
            ),
            (r"^[a-z0-9]{25}$", "<CACHEID>"),
            // buildx's prune rows (`ID*  \ttrue \t\t0B  \t2 seconds ago`, `*` after a mutable
            // record's ID).
            (r"^[a-z0-9]{25}(\*?) ", "<CACHEID>$1 "),
            (
                r"^(?:<ID\d*>|[a-z0-9]{12})  (regular|source\.local|internal|frontend)",
                "<CACHEID>  $1",
            ),
        ]
        .into_iter()
        .map(|(p, r)| (Regex::new(&format!("(?m){p}")).expect("regex"), r))
        .collect()
    });
    let mut text = text.to_owned();
    for (re, with) in rules {
        text = re.replace_all(&text, *with).into_owned();
    }
    let mut lines: Vec<&str> = Vec::new();
    let mut rows: Vec<&str> = Vec::new();
    // buildx flushes its tabwriter after each prune row as the rows stream in, so the first row
    // is padded with the header and the others alone: which record comes first is chance, so
    // the rows' tab padding is folded as the spaces of other tables are.
    static TABS: OnceLock<Regex> = OnceLock::new();
    let tabs = TABS.get_or_init(|| Regex::new(r"\t+").expect("regex"));
    let folded: Vec<String> = text
        .split('\n')
        .map(|l| {
            if l.starts_with("<CACHEID>") {
                tabs.replace_all(l, "\t").into_owned()
            } else {
                l.to_owned()
            }
        })
        .collect();
    for line in folded.iter().map(String::as_str) {
        if line.starts_with("<CACHEID>") {
            rows.push(line);
            continue;
        }
        rows.sort_unstable();
        lines.append(&mut rows);
        lines.push(line);
    }
    rows.sort_unstable();
    lines.append(&mut rows);
    lines.join("\n")
}

/// Compares `actual` with `tests/snapshots/DIR/NAME`; `DOCKLAB_UPDATE_SNAPSHOTS=1` rewrites it
/// (review the diff before committing).
pub fn snapshot(dir: &str, name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(dir)
        .join(name);
    if std::env::var_os("DOCKLAB_UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with DOCKLAB_UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    pretty_assertions::assert_eq!(expected, actual, "snapshot {dir}/{name}");
}
