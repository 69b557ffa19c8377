//! Tab completion as a pure function of the line, the cursor and what the session knows.

use crate::command::tutor_words;
use crate::docker::help::{simulated_group_words, simulated_words};
use crate::session::CompletionData;

/// The subcommands offered after a group: what docklab runs there, from Docker's command table
/// (docker/help/), except `load` and `save`, left out so that `docker image l` still completes
/// to `ls` as it always has.
fn subcommands(group: &str) -> Vec<&'static str> {
    simulated_group_words(group)
        .into_iter()
        .filter(|s| !matches!(*s, "load" | "save"))
        .collect()
}

const SHELL_WORDS: &[&str] = &[
    "cat", "cd", "echo", "ls", "mkdir", "nano", "pwd", "rm", "touch",
];

fn flags(sub: &str) -> &'static [&'static str] {
    match sub {
        "images" | "ls" => &[
            "--all",
            "--digests",
            "--filter",
            "--format",
            "--no-trunc",
            "--quiet",
        ],
        "rmi" | "rm" => &["--force", "--no-prune"],
        "prune" => &["--all", "--filter", "--force"],
        "run" | "create" => &[
            "--detach",
            "--env",
            "--interactive",
            "--name",
            "--publish",
            "--rm",
            "--tty",
        ],
        "history" => &["--format", "--human", "--no-trunc", "--quiet"],
        "build" => &["--file", "--no-cache", "--tag"],
        "ps" => &["--all", "--filter", "--format", "--no-trunc", "--quiet"],
        "pull" => &["--all-tags", "--quiet"],
        "df" => &["--format", "--verbose"],
        _ => &[],
    }
}

/// Completions for `line` with the cursor at `pos`: the start of the word being completed and
/// the candidates, sorted.
pub fn complete(line: &str, pos: usize, data: &CompletionData) -> (usize, Vec<String>) {
    let pos = pos.min(line.len());
    let Some(before) = line.get(..pos) else {
        return (pos, Vec::new());
    };
    let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &before[start..];
    let words: Vec<&str> = before[..start].split_whitespace().collect();
    let mut cands: Vec<String> = match words.as_slice() {
        [] => std::iter::once("docker")
            .chain(tutor_words())
            .chain(SHELL_WORDS.iter().copied())
            .map(str::to_owned)
            .collect(),
        ["docker"] => simulated_words().into_iter().map(str::to_owned).collect(),
        ["docker", group] if !subcommands(group).is_empty() => {
            subcommands(group).into_iter().map(str::to_owned).collect()
        }
        ["docker", rest @ ..] => {
            let sub = match rest {
                [g, s, ..] if !subcommands(g).is_empty() => *s,
                [s, ..] => *s,
                [] => "",
            };
            if word.starts_with('-') {
                flags(sub).iter().map(|s| (*s).to_owned()).collect()
            } else if sub == "build" {
                files(data, word)
            } else {
                let mut v = data.images.clone();
                if matches!(sub, "rm" | "start" | "stop" | "inspect") {
                    v.extend(data.containers.iter().cloned());
                }
                v
            }
        }
        ["start" | "commencer"] => data.labs.clone(),
        ["lang" | "langue"] => vec!["en".to_owned(), "fr".to_owned()],
        _ => files(data, word),
    };
    cands.retain(|c| c.starts_with(word));
    cands.sort();
    cands.dedup();
    (start, cands)
}

/// File names in the working directory (or the directory the word names), `~` for the workspace.
fn files(data: &CompletionData, word: &str) -> Vec<String> {
    let (dir_part, _) = word.rsplit_once('/').map_or(("", word), |(d, f)| (d, f));
    let dir = if dir_part == "~" || word.starts_with("~/") {
        data.workspace.join(
            dir_part
                .strip_prefix("~")
                .unwrap_or(dir_part)
                .trim_start_matches('/'),
        )
    } else if dir_part.is_empty() {
        data.cwd.clone()
    } else {
        data.cwd.join(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(if dir_part.is_empty() && !word.starts_with('/') {
                format!("{name}{slash}")
            } else {
                format!("{dir_part}/{name}{slash}")
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> CompletionData {
        CompletionData {
            images: vec!["nginx:latest".into(), "alpine:latest".into()],
            containers: vec!["quirky_bohr".into()],
            labs: vec!["images".into(), "couches".into()],
            ..CompletionData::default()
        }
    }

    #[test]
    fn completes() {
        let d = data();
        assert_eq!(
            complete("docker ima", 10, &d),
            (7, vec!["image".into(), "images".into()])
        );
        assert_eq!(complete("docker image l", 14, &d), (13, vec!["ls".into()]));
        assert_eq!(
            complete("docker rmi ng", 13, &d),
            (11, vec!["nginx:latest".into()])
        );
        assert_eq!(
            complete("docker rmi --f", 14, &d),
            (11, vec!["--force".into()])
        );
        assert_eq!(complete("start cou", 9, &d), (6, vec!["couches".into()]));
        assert_eq!(complete("indi", 4, &d), (0, vec!["indice".into()]));
        assert_eq!(
            complete("docker rm q", 11, &d).1,
            vec!["quirky_bohr".to_owned()]
        );
        let _ = complete("é", 1, &d);
    }

    /// The commands and groups come from Docker's command table (docker/help/): what
    /// docklab runs, nothing it does not.
    #[test]
    fn commands_and_subcommands_are_the_tables() {
        let d = data();
        assert_eq!(
            complete("docker ", 7, &d).1,
            [
                "build",
                "builder",
                "container",
                "create",
                "history",
                "image",
                "images",
                "info",
                "inspect",
                "load",
                "ps",
                "pull",
                "push",
                "rm",
                "rmi",
                "run",
                "save",
                "search",
                "start",
                "stop",
                "system",
                "tag",
                "version"
            ]
        );
        assert_eq!(
            complete("docker image ", 13, &d).1,
            ["build", "history", "inspect", "ls", "prune", "pull", "push", "rm", "tag"]
        );
        assert_eq!(complete("docker builder ", 15, &d).1, ["build", "prune"]);
        assert_eq!(
            complete("docker system ", 14, &d).1,
            ["df", "info", "prune"]
        );
        assert_eq!(
            complete("docker container ", 17, &d).1,
            ["create", "inspect", "ls", "prune", "rm", "run", "start", "stop"]
        );
        // Not a group: images are offered.
        assert_eq!(
            complete("docker nosuch ", 14, &d).1,
            ["alpine:latest", "nginx:latest"]
        );
    }
}
