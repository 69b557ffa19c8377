//! Queries over the command tables: a command, group or group's subcommands by name, and the
//! words completion and did-you-mean pick from.

use super::commands::{BUILD_SHORT, COMMANDS, GROUPS};
use super::spec::{CommandSpec, GroupSpec};
use super::unsimulated::{find_unsimulated, GROUPED, UNSIMULATED};

/// Finds the command at `path` (`"image ls"`), or under one of its aliases (`"image list"`).
pub fn find_command(path: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.path == path).or_else(|| {
        let (parent, name) = match path.rfind(' ') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path),
        };
        COMMANDS
            .iter()
            .find(|c| c.parent() == parent && c.aliases.contains(&name))
    })
}

/// Finds a management command by name.
pub fn find_group(name: &str) -> Option<&'static GroupSpec> {
    GROUPS.iter().find(|g| g.name == name)
}

/// The subcommands of a group, sorted by name as cobra lists them, with the text shown for each.
pub fn group_commands(group: &str) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = COMMANDS
        .iter()
        .filter(|c| c.parent() == group)
        .map(|c| (c.name(), c.short))
        .collect();
    if group == "image" {
        out.push(("build", BUILD_SHORT));
    }
    let prefix = format!("{group} ");
    out.extend(
        UNSIMULATED
            .iter()
            .filter_map(|u| Some((u.path.strip_prefix(&prefix)?, u.short))),
    );
    for (_, names) in GROUPED.iter().filter(|(g, _)| *g == group) {
        out.extend(
            names
                .iter()
                .filter_map(|n| find_unsimulated(n).map(|u| (*n, u.short))),
        );
    }
    out.sort_by_key(|(name, _)| *name);
    out
}

/// The words after `docker` that name a command or group docklab runs, from the command tables:
/// what completion offers and did-you-mean picks from. `buildx` is left out: it is the plugin's
/// own name, and the labs teach `docker build` and `docker builder`.
pub(crate) fn simulated_words() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = COMMANDS
        .iter()
        .filter(|c| c.parent().is_empty())
        .map(CommandSpec::name)
        .chain(std::iter::once("build"))
        .chain(GROUPS.iter().map(|g| g.name).filter(|g| *g != "buildx"))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The subcommands docklab runs in a group (`image` → `build`, `history`, `inspect`, …),
/// sorted; empty for a word that is no group among [`simulated_words`].
pub(crate) fn simulated_group_words(group: &str) -> Vec<&'static str> {
    // `docker builder …` is buildx's commands under another name.
    let parent = if group == "builder" { "buildx" } else { group };
    if group == "buildx" || find_group(group).is_none() {
        return Vec::new();
    }
    let mut out: Vec<&'static str> = COMMANDS
        .iter()
        .filter(|c| c.parent() == parent)
        .map(CommandSpec::name)
        .collect();
    if group == "image" {
        out.push("build");
    }
    out.sort_unstable();
    out
}
