//! The renderer: lays the tables out exactly as Docker's cobra and pflag templates do
//! (`docker --help`, `docker image --help`, `docker images --help`), wrapping included.

use std::fmt::Write as _;

use super::commands::{BUILD_SHORT, COMMANDS, COMMON_COMMANDS, GROUPS};
use super::flags::GLOBAL_FLAGS;
use super::go_quote;
use super::lookup::{find_command, find_group, group_commands};
use super::spec::{CommandSpec, FlagSpec, GroupSpec, Owner, ValueKind};
use super::unsimulated::{find_unsimulated, Section, UNSIMULATED};
use crate::docker::api::ClientEnv;

/// The buildx plugin appends this paragraph to every help it prints.
const BUILDX_HELP_FOOTER: &str =
    "\nExperimental commands and flags are hidden. Set BUILDX_EXPERIMENTAL=1 to show them.\n";

/// Cobra pads command names in lists to at least this width.
const NAME_PADDING: usize = 11;

/// pflag's `wrapN`: the first line of `s` at most `i` bytes long (or `i + slop` if that ends it).
fn wrap_n(i: usize, slop: usize, s: &str) -> (&str, &str) {
    if i + slop > s.len() || !s.is_char_boundary(i) {
        return (s, "");
    }
    let head = &s[..i];
    let Some(w) = head.rfind([' ', '\t', '\n']).filter(|&w| w > 0) else {
        return (s, "");
    };
    if let Some(nl) = head.rfind('\n') {
        if nl > 0 && nl < w {
            return (&s[..nl], &s[nl + 1..]);
        }
    }
    (&s[..w], &s[w + 1..])
}

/// pflag's `wrap`: wraps `s` to `width` columns, later lines indented by `indent`.
fn wrap(indent: usize, width: usize, s: &str) -> String {
    let mut indent = indent;
    let mut r = String::new();
    if width == 0 {
        return s.replace('\n', &format!("\n{}", " ".repeat(indent)));
    }
    let mut room = width.saturating_sub(indent);
    if room < 24 {
        indent = 16;
        room = width.saturating_sub(indent);
        r.push('\n');
        r.push_str(&" ".repeat(indent));
    }
    if room < 24 {
        return s.replace('\n', &r);
    }
    let slop = 5;
    room -= slop;
    let pad = format!("\n{}", " ".repeat(indent));
    let (line, mut rest) = wrap_n(room, slop, s);
    r.push_str(&line.replace('\n', &pad));
    while !rest.is_empty() {
        let (line, next) = wrap_n(room, slop, rest);
        r.push_str(&pad);
        r.push_str(&line.replace('\n', &pad));
        rest = next;
    }
    r
}

/// The "Options:" block: pflag's `FlagUsagesWrapped(cols)`, hidden flags left out.
/// Flags newer than the client's API version are left out too, and `~/.docker` in a default is
/// the client's configuration directory.
pub fn flag_usages(flags: &[FlagSpec], cols: usize, env: &ClientEnv) -> String {
    let mut sorted: Vec<&FlagSpec> = flags
        .iter()
        .filter(|f| !f.hidden && env.supports(f.since))
        .collect();
    sorted.sort_by_key(|f| f.long);
    let mut lines = Vec::with_capacity(sorted.len());
    let mut maxlen = 0;
    for f in sorted {
        let mut head = match f.short {
            Some(c) => format!("  -{c}, --{}", f.long),
            None => format!("      --{}", f.long),
        };
        let word = f.kind.type_word();
        if !word.is_empty() {
            head.push(' ');
            head.push_str(word);
        }
        // pflag counts the separator it inserts at this point.
        maxlen = maxlen.max(head.len() + 1);
        let mut usage = f.help.to_string();
        if f.show_default {
            if f.kind == ValueKind::Str {
                let default = match f.default.strip_prefix("~/.docker") {
                    Some(rest) => format!("{}{rest}", env.config_dir),
                    None => f.default.to_string(),
                };
                let _ = write!(usage, " (default {})", go_quote(&default));
            } else {
                let _ = write!(usage, " (default {})", f.default);
            }
        }
        lines.push((head, usage));
    }
    let mut out = String::new();
    for (head, usage) in lines {
        // Go's Fprintln puts a space between operands: head, padding, text.
        out.push_str(&head);
        out.push(' ');
        out.push_str(&" ".repeat(maxlen - head.len()));
        out.push(' ');
        out.push_str(&wrap(maxlen + 2, cols, &usage));
        out.push('\n');
    }
    out
}

fn options_block(out: &mut String, title: &str, flags: &[FlagSpec], env: &ClientEnv) {
    let usages = flag_usages(flags, env.width.saturating_sub(1), env);
    let usages = usages.trim_end();
    if !usages.is_empty() {
        out.push_str("\n\n");
        out.push_str(title);
        out.push_str(":\n");
        out.push_str(usages);
    }
}

fn list_block(out: &mut String, title: &str, rows: &[(String, &str)]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("\n\n");
    out.push_str(title);
    out.push(':');
    for (name, short) in rows {
        out.push_str("\n  ");
        out.push_str(name);
        out.push_str(&" ".repeat((NAME_PADDING + 1).saturating_sub(name.len()).max(1)));
        out.push_str(short);
    }
}

/// `docker images --help`, laid out by Docker's usage template.
pub fn command_help(spec: &CommandSpec, env: &ClientEnv) -> String {
    let mut out = format!("Usage:  {}\n\n{}", spec.use_line(), spec.short);
    if let Some(line) = spec.aliases_line {
        out.push_str("\n\nAliases:\n  ");
        out.push_str(line);
    }
    options_block(&mut out, "Options", spec.flags, env);
    out.push('\n');
    if spec.owner == Owner::Buildx {
        out.push_str(BUILDX_HELP_FOOTER);
    }
    out
}

/// `docker image --help`: the group's usage, its subcommands and the footer.
pub fn group_help(group: &GroupSpec, env: &ClientEnv) -> String {
    // `docker builder …` is handed to buildx when it is installed.
    let (name, group) = if group.owner == Owner::Buildx {
        ("buildx", find_group("buildx").unwrap_or(group))
    } else {
        (group.name, group)
    };
    let options = if group.flags.iter().any(|f| !f.hidden) {
        " [OPTIONS]"
    } else {
        ""
    };
    let mut out = format!(
        "Usage:  docker {name}{options} COMMAND\n\n{}",
        group.long.unwrap_or(group.short)
    );
    options_block(&mut out, "Options", group.flags, env);
    let rows: Vec<(String, &str)> = group_commands(name)
        .into_iter()
        .map(|(n, s)| (n.to_string(), s))
        .collect();
    list_block(&mut out, "Commands", &rows);
    let _ = write!(
        out,
        "\n\nRun 'docker {name} COMMAND --help' for more information on a command.\n"
    );
    if group.owner == Owner::Buildx {
        out.push_str(BUILDX_HELP_FOOTER);
    }
    out
}

/// `docker --help`: Docker's layout and Docker's commands, simulated or not.
pub fn root_help(env: &ClientEnv) -> String {
    let short_of = |name: &str| -> &'static str {
        if name == "build" {
            return BUILD_SHORT;
        }
        find_command(name).map_or("", |c| c.short)
    };
    let mut out = String::from(
        "Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers",
    );
    let top_level = |section: Section| {
        UNSIMULATED
            .iter()
            .filter(move |u| u.section == section && !u.path.contains(' '))
    };
    let common: Vec<(String, &str)> = COMMON_COMMANDS
        .iter()
        .map(|n| {
            let short = find_unsimulated(n).map_or_else(|| short_of(n), |u| u.short);
            ((*n).to_string(), short)
        })
        .collect();
    list_block(&mut out, "Common Commands", &common);
    let mut management: Vec<(String, &str)> = GROUPS
        .iter()
        .map(|g| {
            // Plugins are marked with a star.
            let decorated = if g.name == "buildx" {
                "buildx*".to_string()
            } else {
                g.name.to_string()
            };
            (decorated, g.short)
        })
        .chain(top_level(Section::Management).map(|u| (u.path.to_string(), u.short)))
        .collect();
    management.sort();
    list_block(&mut out, "Management Commands", &management);
    // docker/cli hides the commands annotated `swarm: manager` (config, node, secret, service,
    // stack) when the daemon's ping says its node is no swarm manager, which a student's Docker
    // is: only `swarm` itself is listed.
    let mut swarm: Vec<(String, &str)> = top_level(Section::Swarm)
        .filter(|u| u.path == "swarm")
        .map(|u| (u.path.to_string(), u.short))
        .collect();
    swarm.sort();
    list_block(&mut out, "Swarm Commands", &swarm);
    let mut others: Vec<(String, &str)> = COMMANDS
        .iter()
        .filter(|c| !c.path.contains(' '))
        .map(|c| (c.path, c.short))
        .chain(top_level(Section::Command).map(|u| (u.path, u.short)))
        .filter(|(path, _)| !COMMON_COMMANDS.contains(path))
        .map(|(path, short)| (path.to_string(), short))
        .collect();
    others.sort();
    list_block(&mut out, "Commands", &others);
    options_block(&mut out, "Global Options", GLOBAL_FLAGS, env);
    out.push_str("\n\nRun 'docker COMMAND --help' for more information on a command.\n\n");
    out.push_str(
        "For more help on how to use Docker, head to https://docs.docker.com/go/guides/\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docker::help::spec::flag;
    use crate::docker::help::DEFAULT_WIDTH;
    use pretty_assertions::assert_eq;

    const FORMAT: &str = "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

    /// The renderer fed Docker's own texts gives the real client's `docker ps --help` byte for
    /// byte: padding, wrapping at 79 columns, embedded newlines, `(default -1)`.
    #[test]
    fn layout_matches_docker_given_dockers_texts() {
        const PS: &[FlagSpec] = &[
            flag(
                Some('a'),
                "all",
                ValueKind::Bool,
                "Show all containers (default shows just running)",
            ),
            flag(
                Some('f'),
                "filter",
                ValueKind::Filter,
                "Filter output based on conditions provided",
            ),
            flag(None, "format", ValueKind::Str, FORMAT),
            flag(
                Some('n'),
                "last",
                ValueKind::Int,
                "Show n last created containers (includes all states)",
            )
            .default_shown("-1"),
            flag(
                Some('l'),
                "latest",
                ValueKind::Bool,
                "Show the latest created container (includes all states)",
            ),
            flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
            flag(
                Some('q'),
                "quiet",
                ValueKind::Bool,
                "Only display container IDs",
            ),
            flag(
                Some('s'),
                "size",
                ValueKind::Bool,
                "Display total file sizes",
            ),
        ];
        let spec = CommandSpec {
            flags: PS,
            short: "List containers",
            ..*find_command("ps").expect("ps")
        };
        assert_eq!(
            command_help(&spec, &ClientEnv::default()),
            "Usage:  docker ps [OPTIONS]\n\nList containers\n\nAliases:\n  docker container ls, docker container list, docker container ps, docker ps\n\nOptions:\n  -a, --all             Show all containers (default shows just running)\n  -f, --filter filter   Filter output based on conditions provided\n      --format string   Format output using a custom template:\n                        'table':            Print output in table format\n                        with column headers (default)\n                        'table TEMPLATE':   Print output in table format\n                        using the given Go template\n                        'json':             Print in JSON format\n                        'TEMPLATE':         Print output using the given\n                        Go template.\n                        Refer to https://docs.docker.com/go/formatting/\n                        for more information about formatting output with\n                        templates\n  -n, --last int        Show n last created containers (includes all\n                        states) (default -1)\n  -l, --latest          Show the latest created container (includes all\n                        states)\n      --no-trunc        Don't truncate output\n  -q, --quiet           Only display container IDs\n  -s, --size            Display total file sizes\n"
        );
    }

    /// `docker history --help`'s flag block from the real client (bool default shown, wider
    /// column, URL longer than the room left).
    #[test]
    fn history_flags_layout() {
        const HISTORY: &[FlagSpec] = &[
            flag(None, "format", ValueKind::Str, FORMAT),
            flag(Some('H'), "human", ValueKind::Bool, "Print sizes and dates in human readable format")
                .default_shown("true"),
            flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
            flag(None, "platform", ValueKind::Str, "Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")"),
            flag(Some('q'), "quiet", ValueKind::Bool, "Only show image IDs"),
        ];
        assert_eq!(
            flag_usages(HISTORY, DEFAULT_WIDTH - 1, &ClientEnv::default()),
            "      --format string     Format output using a custom template:\n                          'table':            Print output in table\n                          format with column headers (default)\n                          'table TEMPLATE':   Print output in table\n                          format using the given Go template\n                          'json':             Print in JSON format\n                          'TEMPLATE':         Print output using the\n                          given Go template.\n                          Refer to https://docs.docker.com/go/formatting/\n                          for more information about formatting output\n                          with templates\n  -H, --human             Print sizes and dates in human readable format\n                          (default true)\n      --no-trunc          Don't truncate output\n      --platform string   Show history for the given platform. Formatted\n                          as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")\n  -q, --quiet             Only show image IDs\n"
        );
    }
}
