//! Docker 28's command-line grammar: the words after `docker` become an [`Invocation`] (command,
//! flags, positional arguments), a help text, or the exact error Docker's client prints.
//!
//! It follows cobra and pflag as the docker client uses them: global options before the command
//! word, flags anywhere for most commands but only before the image for `run`/`create`, `--`,
//! combined shorthands (`-aq`), `-fvalue`, `--flag=value`, typed values checked with Go's wording.
//! The command table and help texts live in [`super::help`]; nothing here does I/O.

mod values;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::api::ClientEnv;
use super::errors::DockerError;
pub use super::help::CommandId;
use super::help::{
    self, command_help, find_command, find_group, find_unsimulated, group_help, root_help, Arity,
    CommandSpec, FlagSpec, GroupSpec, Owner, ValueKind, GLOBAL_FLAGS,
};

/// The flags given to one command, keyed by their long name.
#[derive(Debug, Clone)]
pub struct Flags {
    spec: &'static [FlagSpec],
    given: BTreeMap<&'static str, Vec<String>>,
}

impl Flags {
    fn new(spec: &'static [FlagSpec]) -> Self {
        Flags {
            spec,
            given: BTreeMap::new(),
        }
    }

    fn record(&mut self, flag: &FlagSpec, value: String) {
        let values = self.given.entry(flag.long).or_default();
        if flag.kind == ValueKind::Strings {
            // pflag's stringSlice reads each occurrence as comma-separated values.
            values.extend(value.split(',').map(str::to_string));
        } else {
            values.push(value);
        }
    }

    /// A boolean flag's value: the last one given (`--all=false` counts), else its default.
    pub fn bool(&self, long: &str) -> bool {
        match self.given.get(long).and_then(|v| v.last()) {
            Some(v) => v == "true",
            None => self
                .spec
                .iter()
                .any(|f| f.long == long && f.default == "true"),
        }
    }

    /// The last value of a string or number flag; when it was not given, Docker's default
    /// (`--pull` → `missing`), or `None` when the default is empty.
    pub fn value(&self, long: &str) -> Option<&str> {
        if let Some(v) = self.given.get(long).and_then(|v| v.last()) {
            return Some(v.as_str());
        }
        self.spec
            .iter()
            .find(|f| f.long == long && !f.kind.is_repeatable() && !f.default.is_empty())
            .map(|f| f.default)
    }

    /// Every value of a repeatable flag, in the order given (`-e A -e B`).
    pub fn values(&self, long: &str) -> &[String] {
        self.given.get(long).map_or(&[], Vec::as_slice)
    }

    /// Whether the flag was given at all.
    pub fn is_set(&self, long: &str) -> bool {
        self.given.contains_key(long)
    }

    /// The flags given, by long name (`-f` and `--force` alike, a combined `-aq` as two), with
    /// their values (`true` for a boolean), sorted by name.
    pub fn given(&self) -> impl Iterator<Item = (&'static str, &[String])> + '_ {
        self.given.iter().map(|(k, v)| (*k, v.as_slice()))
    }
}

/// A command to run, as the client understood it.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub command: CommandId,
    pub flags: Flags,
    /// Positional arguments; for `run`/`create`, the image and then the container's command.
    pub args: Vec<String>,
    /// The command as Docker names it in messages: `images`, `image ls` (also for `image list`),
    /// `buildx build` (also for `build`).
    pub display: String,
    /// The global options given before the command (`-D`, `-H …`, `--context …`).
    #[cfg_attr(
        not(test),
        expect(
            dead_code,
            reason = "checked as Docker's client checks them; no simulated command reads them"
        )
    )]
    pub globals: Flags,
    /// What the client prints on stdout before running it (deprecated flag warnings).
    pub notices: String,
}

/// What the words after `docker` amount to.
#[derive(Debug, Clone)]
pub enum Parsed {
    Run(Invocation),
    /// Help or version text; the exit code is 0. Docker prints some help on stderr (bare
    /// `docker`, bare `docker image`), and the `-h` deprecation warning goes to one or the other.
    Help {
        stdout: String,
        stderr: String,
    },
}

/// What Docker prints for a command-line mistake, and its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub stderr: String,
    pub stdout: String,
    pub exit_code: i32,
}

/// `args` are the words after `docker` (e.g. `["image", "ls", "-a"]`); help is laid out for an
/// 80-column terminal, as Docker does when standard input is not one.
pub fn parse(args: &[String]) -> Result<Parsed, CliError> {
    parse_in(args, &ClientEnv::default())
}

/// [`parse`] for a client in `env`: help wrapped to its width, flags newer than its API version
/// hidden from help and refused, its configuration directory in `docker --help`.
pub fn parse_in(args: &[String], env: &ClientEnv) -> Result<Parsed, CliError> {
    let env = &ClientEnv {
        width: env.width.max(2),
        ..env.clone()
    };
    // Global options, up to the command word (docker/cli `HandleGlobalFlags`).
    let mut globals = Flags::new(GLOBAL_FLAGS);
    let mut root = FlagParser::new(GLOBAL_FLAGS, false, false);
    let rest = match root.run(args, &mut globals) {
        Ok(rest) => rest,
        Err(message) => return Err(root_flag_error(&message, &root.notices)),
    };
    // The root's own notices (the `-h` warning) go to stderr.
    let root_notice = std::mem::take(&mut root.notices);
    if globals.bool("version") {
        return Ok(help_out(help::VERSION_LINE.to_string(), root_notice));
    }
    if globals.bool("help") {
        return Ok(help_out(root_help(env), root_notice));
    }
    let Some(word) = rest.first() else {
        return Ok(help_out(String::new(), root_notice + &root_help(env)));
    };
    if let Some(level) = globals.value("log-level").filter(|l| !is_log_level(l)) {
        return Err(CliError {
            stderr: format!("Unable to parse logging level: {level}\n"),
            stdout: String::new(),
            exit_code: 1,
        });
    }
    let tail = &rest[1..];
    let target = find_target(word, tail, env);
    let legacy_build = matches!(
        &target,
        Some(Target::Command(spec, _)) if spec.id == CommandId::Build && spec.owner == Owner::Docker
    );
    let mut result = match target {
        Some(Target::Command(spec, args)) => parse_command(spec, &args, globals, env),
        Some(Target::Group(group, args)) => parse_group(group, &args, env),
        Some(Target::Unsimulated(u, args)) => Ok(not_simulated(u, args, globals)),
        None if word == "help" => help_command(tail, env),
        None => unknown_root_command(word, &rest, env),
    };
    if legacy_build {
        // The client warns about the classic builder before anything else it prints.
        match &mut result {
            Ok(Parsed::Help { stderr, .. }) => stderr.insert_str(0, help::LEGACY_BUILDER_NOTICE),
            Err(e) => e.stderr.insert_str(0, help::LEGACY_BUILDER_NOTICE),
            Ok(Parsed::Run(_)) => {}
        }
    }
    if !root_notice.is_empty() {
        match &mut result {
            Ok(Parsed::Help { stderr, .. }) => stderr.insert_str(0, &root_notice),
            Err(e) => e.stderr.insert_str(0, &root_notice),
            Ok(Parsed::Run(_)) => {}
        }
    }
    result
}

/// Which command a line names, read from the command tables whatever its spelling: one key for
/// `images`, `image ls` and `image list`; for `tag` and `image tag`; for `build`, `image build`
/// and `builder build`. `help` says help was asked for it (`docker help tag`, `docker tag
/// --help`, `docker image tag -h`), so that a help request and the command compare apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandKey {
    /// The command's identity: its [`CommandId`] for a simulated command (aliases share it),
    /// else its canonical path (`group image`, `network ls`); empty for `docker` alone.
    pub command: String,
    pub help: bool,
}

impl CommandKey {
    /// Whether this is the simulated command `id` (not a help request for it).
    pub fn is(&self, id: CommandId) -> bool {
        !self.help && self.command == format!("{id:?}")
    }
}

/// The [`CommandKey`] of `args` (the words after `docker`), even when Docker would refuse the
/// line (a missing argument): `None` for a word no table knows.
pub fn command_key(args: &[String]) -> Option<CommandKey> {
    let env = ClientEnv::default();
    let mut words: Vec<String> = args.to_vec();
    let mut help = false;
    if words.first().is_some_and(|w| w == "help") {
        words.remove(0);
        help = true;
    }
    let Some(first) = words.iter().position(|w| !w.starts_with('-')) else {
        // `docker --version` = `docker -v`; `docker --help` = `docker -h` = `docker help`.
        if !help && words.iter().any(|w| w == "--version" || w == "-v") {
            return Some(CommandKey {
                command: "--version".to_owned(),
                help: false,
            });
        }
        let asked = help || words.iter().any(|w| w == "--help" || w == "-h");
        return asked.then(|| CommandKey {
            command: String::new(),
            help: true,
        });
    };
    let word = words[first].clone();
    let tail = words[first + 1..].to_vec();
    let (command, own_help) = match find_target(&word, &tail, &env)? {
        Target::Command(spec, _) => (
            if spec.id == CommandId::NotSimulated {
                spec.path.to_owned()
            } else {
                format!("{:?}", spec.id)
            },
            spec.own_help_flag,
        ),
        Target::Group(group, _) => (format!("group {}", group.name), false),
        Target::Unsimulated(path, _) => (path, false),
    };
    help = help
        || words
            .iter()
            .any(|w| w == "--help" || (w == "-h" && !own_help));
    Some(CommandKey { command, help })
}

/// Whether the line only reads the engine's state, from the command tables: help and version
/// texts, and a command whose [`CommandId`] (or, unsimulated, whose path) is a query. A line
/// the grammar refuses reads only when it asked for help; anything else, a word no table
/// knows included, may have changed something (`rmi` of several images that fails on one
/// removes the others).
pub fn reads_only(args: &[String]) -> bool {
    match parse(args) {
        Ok(Parsed::Help { .. }) => true,
        Ok(Parsed::Run(inv)) => match inv.command {
            // Its words are not parsed: a help flag counts before the first argument only
            // (`exec web sh --help` runs `sh --help` in the container).
            CommandId::NotSimulated => {
                help::unsimulated_reads_only(&inv.display)
                    || inv
                        .args
                        .iter()
                        .take_while(|a| a.starts_with('-') && a.as_str() != "--")
                        .any(|a| a == "--help" || a == "-h")
            }
            id => id.reads_only(),
        },
        Err(_) => command_key(args).is_some_and(|k| k.help),
    }
}

/// Whether the command may ask its `[y/N]` question before it acts (a prune without `--force`),
/// read from the command table rather than from the words typed.
pub fn may_prompt(args: &[String]) -> bool {
    match parse(args) {
        Ok(Parsed::Run(inv)) => match inv.command {
            CommandId::ImagePrune
            | CommandId::SystemPrune
            | CommandId::ContainerPrune
            | CommandId::BuilderPrune => !inv.flags.bool("force"),
            // `volume prune`, `network prune`: their words are not parsed (the group is the
            // command as docklab reads it), so a `prune` among them may ask.
            CommandId::NotSimulated => {
                inv.display.ends_with(" prune")
                    || inv
                        .args
                        .iter()
                        .take_while(|a| a.as_str() != "--")
                        .any(|a| a == "prune")
            }
            _ => false,
        },
        _ => false,
    }
}

enum Target {
    Command(&'static CommandSpec, Vec<String>),
    Group(&'static GroupSpec, Vec<String>),
    /// A Docker command docklab does not simulate (as typed: `container logs`), and the words
    /// after it.
    Unsimulated(String, Vec<String>),
}

/// The invocation of a command docklab does not simulate: its words are kept, not checked.
fn not_simulated(path: String, args: Vec<String>, globals: Flags) -> Parsed {
    Parsed::Run(Invocation {
        command: CommandId::NotSimulated,
        flags: Flags::new(&[]),
        args,
        display: path,
        globals,
        notices: String::new(),
    })
}

/// The command or group a word after `docker` names, with the words that follow it.
fn find_target(word: &str, tail: &[String], env: &ClientEnv) -> Option<Target> {
    match word {
        "build" => Some(Target::Command(build_command(env, 0), tail.to_vec())),
        w => match find_group(w) {
            Some(group) => Some(find_in_group(group, tail, env)),
            None => find_command(w)
                .filter(|c| !c.path.contains(' '))
                .map(|c| Target::Command(c, tail.to_vec()))
                .or_else(|| {
                    find_unsimulated(w)
                        .map(|u| Target::Unsimulated(u.path.to_owned(), tail.to_vec()))
                }),
        },
    }
}

/// `docker help [COMMAND...]`: the help of that command on stdout (docker/cli's own help
/// command: words left over after the command are an unknown topic).
fn help_command(words: &[String], env: &ClientEnv) -> Result<Parsed, CliError> {
    const USAGE: &str = "Usage:  docker help [command]";
    let mut flags = Flags::new(HELP_COMMAND_FLAGS);
    let mut parser = FlagParser::new(HELP_COMMAND_FLAGS, true, false);
    let words = match parser.run(words, &mut flags) {
        Ok(words) => words,
        Err(message) => return Err(flag_error(&message, "docker help [command]", "help")),
    };
    if flags.bool("help") {
        return Ok(help_out(
            format!("{}{USAGE}\n\nHelp about the command\n", parser.notices),
            String::new(),
        ));
    }
    let unknown = |rest: &[String]| CliError {
        stderr: format!("unknown help topic: {}\n", rest.join(" ")),
        stdout: String::new(),
        exit_code: 1,
    };
    let Some((word, tail)) = words.split_first() else {
        return Ok(help_out(root_help(env), String::new()));
    };
    match find_target(word, tail, env) {
        Some(Target::Command(spec, rest)) if rest.is_empty() => {
            Ok(help_out(command_help(spec, env), String::new()))
        }
        Some(Target::Group(group, rest)) if rest.is_empty() => {
            Ok(help_out(group_help(group, env), String::new()))
        }
        Some(Target::Unsimulated(u, rest)) if rest.is_empty() => Ok(not_simulated(
            u,
            vec!["--help".to_owned()],
            Flags::new(GLOBAL_FLAGS),
        )),
        Some(Target::Command(_, rest) | Target::Group(_, rest) | Target::Unsimulated(_, rest)) => {
            Err(unknown(&rest))
        }
        None => Err(unknown(&words)),
    }
}

/// `docker help` has only its own `--help`.
const HELP_COMMAND_FLAGS: &[FlagSpec] = &[];

/// `docker build` (`path` 0), `docker image build` (1), `docker builder build` (2): buildx's,
/// or docker/cli's own when `DOCKER_BUILDKIT=0`.
fn build_command(env: &ClientEnv, path: usize) -> &'static CommandSpec {
    if env.buildkit {
        buildx("build")
    } else {
        &help::LEGACY_BUILDS[path]
    }
}

fn buildx(name: &str) -> &'static CommandSpec {
    find_command(&format!("buildx {name}")).expect("buildx build and prune are in the table")
}

fn help_out(stdout: String, stderr: String) -> Parsed {
    Parsed::Help { stdout, stderr }
}

fn is_log_level(level: &str) -> bool {
    matches!(
        level.to_lowercase().as_str(),
        "panic" | "fatal" | "error" | "warn" | "warning" | "info" | "debug" | "trace"
    )
}

/// Finds the subcommand the way cobra does: the first word that is not a flag or the value of
/// one (an unknown `--flag` is assumed to take the next word as its value).
fn find_in_group(group: &'static GroupSpec, args: &[String], env: &ClientEnv) -> Target {
    let flags = group.flags;
    let takes_value = |arg: &str| -> bool {
        if arg.contains('=') {
            return false;
        }
        if let Some(name) = arg.strip_prefix("--") {
            return !(name == "help" || flags.iter().any(|f| f.long == name && f.is_bool()));
        }
        let b = arg.as_bytes();
        if b.len() == 2 {
            let c = char::from(b[1]);
            return !(c == 'h' || flags.iter().any(|f| f.short == Some(c) && f.is_bool()));
        }
        false
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "--" {
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            i += if takes_value(arg) { 2 } else { 1 };
            continue;
        }
        let name = if group.name == "builder" {
            "buildx"
        } else {
            group.name
        };
        let spec = match (name, arg) {
            ("image", "build") => Some(build_command(env, 1)),
            ("buildx", "build") if group.name == "builder" => Some(build_command(env, 2)),
            _ => find_command(&format!("{name} {arg}")),
        };
        if let Some(spec) = spec {
            let mut rest = args.to_vec();
            rest.remove(i);
            return Target::Command(spec, rest);
        }
        let path = format!("{name} {arg}");
        if find_unsimulated(&path).is_some() {
            let mut rest = args.to_vec();
            rest.remove(i);
            return Target::Unsimulated(path, rest);
        }
        break;
    }
    Target::Group(group, args.to_vec())
}

fn parse_group(
    group: &'static GroupSpec,
    args: &[String],
    env: &ClientEnv,
) -> Result<Parsed, CliError> {
    let buildx = group.owner == Owner::Buildx;
    let path = if buildx { "buildx" } else { group.name };
    let mut flags = Flags::new(group.flags);
    let mut parser = FlagParser::new(group.flags, true, false);
    let positionals = match parser.run(args, &mut flags) {
        Ok(p) => p,
        Err(message) => {
            return Err(flag_error(&message, &format!("docker {path}"), path));
        }
    };
    let help = group_help(group, env);
    if flags.bool("help") {
        return Ok(help_out(parser.notices + &help, String::new()));
    }
    match (positionals.first(), buildx) {
        (None, false) => Ok(help_out(parser.notices, help)),
        (None, true) => Ok(help_out(parser.notices + &help, String::new())),
        (Some(word), false) => Err(CliError {
            stderr: DockerError::UnknownCommand {
                group: Some(path.to_owned()),
                word: word.clone(),
            }
            .stderr(),
            stdout: parser.notices,
            exit_code: 1,
        }),
        (Some(word), true) => Err(CliError {
            stderr: format!("ERROR: unknown command: {}\n", help::go_quote(word)),
            stdout: parser.notices + &help,
            exit_code: 1,
        }),
    }
}

fn unknown_root_command(word: &str, rest: &[String], env: &ClientEnv) -> Result<Parsed, CliError> {
    let mut flags = Flags::new(GLOBAL_FLAGS);
    let mut parser = FlagParser::new(GLOBAL_FLAGS, true, false);
    if let Err(message) = parser.run(rest, &mut flags) {
        return Err(root_flag_error(&message, &parser.notices));
    }
    if flags.bool("help") {
        return Ok(help_out(parser.notices + &root_help(env), String::new()));
    }
    Err(CliError {
        stderr: DockerError::UnknownCommand {
            group: None,
            word: word.to_owned(),
        }
        .stderr(),
        stdout: parser.notices,
        exit_code: 1,
    })
}

fn parse_command(
    spec: &'static CommandSpec,
    args: &[String],
    globals: Flags,
    env: &ClientEnv,
) -> Result<Parsed, CliError> {
    let mut flags = Flags::new(spec.flags);
    let mut parser = FlagParser::new(spec.flags, spec.interspersed, spec.own_help_flag);
    let positionals = match parser.run(args, &mut flags) {
        Ok(p) => p,
        Err(message) => {
            return Err(flag_error(&message, &spec.use_line(), spec.path));
        }
    };
    if flags.bool("help") {
        return Ok(help_out(
            parser.notices + &command_help(spec, env),
            String::new(),
        ));
    }
    if let Some(message) = arity_error(spec, positionals.len()) {
        let stderr = match spec.owner {
            Owner::Docker => format!("{message}\n"),
            Owner::Buildx => format!("ERROR: {message}\n"),
        };
        return Err(CliError {
            stderr,
            stdout: parser.notices,
            exit_code: 1,
        });
    }
    flags.given.remove("help");
    // docker/cli `areFlagsSupported`, checked against the API version the client speaks and
    // docklab's Linux, non-experimental daemon, in pflag's (sorted) order.
    let mut given: Vec<&FlagSpec> = spec.flags.iter().filter(|f| flags.is_set(f.long)).collect();
    given.sort_by_key(|f| f.long);
    let refusals: Vec<String> = given
        .into_iter()
        .filter_map(|f| match (f.since, f.daemon) {
            (Some(since), _) if !env.supports(Some(since)) => Some(format!(
                "\"--{}\" requires API version {since}, but the Docker daemon API version is {}",
                f.long, env.api
            )),
            (_, Some(d)) => Some(d.refusal(f.long)),
            _ => None,
        })
        .collect();
    if !refusals.is_empty() {
        return Err(CliError {
            stderr: refusals.join("\n") + "\n",
            stdout: parser.notices,
            exit_code: 1,
        });
    }
    Ok(Parsed::Run(Invocation {
        command: spec.id,
        flags,
        args: positionals,
        display: spec.path.to_string(),
        globals,
        notices: parser.notices,
    }))
}

/// docker/cli `cli/required.go`, wording (and its `SRun` typo) as in 28.2.2.
fn arity_error(spec: &CommandSpec, n: usize) -> Option<String> {
    let path = format!("docker {}", spec.path);
    let usage = spec.use_line();
    let plural = |k: usize| if k == 1 { "argument" } else { "arguments" };
    let (message, verb) = match spec.arity {
        Arity::None if n > 0 => ("accepts no arguments".to_owned(), "Run"),
        Arity::Exact(k) if n != k => (format!("requires {k} {}", plural(k)), "Run"),
        Arity::Min(k) if n < k => (format!("requires at least {k} {}", plural(k)), "See"),
        Arity::Max(k) if n > k => (format!("requires at most {k} {}", plural(k)), "SRun"),
        _ => return None,
    };
    let text = DockerError::Usage {
        command: path,
        message,
        usage,
        verb: verb.to_owned(),
    }
    .stderr();
    Some(text.trim_end_matches('\n').to_owned())
}

/// docker/cli `FlagErrorFunc`: the message, the usage line, a pointer to help; exit code 125.
/// Deprecation warnings met before the mistake are not printed (cobra buffers them).
pub(crate) fn flag_error(message: &str, use_line: &str, path: &str) -> CliError {
    CliError {
        stderr: format!(
            "{message}\n\nUsage:  {use_line}\n\nRun 'docker {path} --help' for more information\n"
        ),
        stdout: String::new(),
        exit_code: 125,
    }
}

fn root_flag_error(message: &str, notices: &str) -> CliError {
    CliError {
        stderr: format!(
            "{notices}{message}\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n"
        ),
        stdout: String::new(),
        exit_code: 125,
    }
}

/// The implicit `--help` flag every command has, with its deprecated `-h` shorthand.
const HELP_FLAG: FlagSpec = FlagSpec {
    short: Some('h'),
    long: "help",
    kind: ValueKind::Bool,
    default: "",
    show_default: false,
    help: "Print usage",
    hidden: true,
    deprecated: None,
    no_opt_default: None,
    check: help::Check::None,
    daemon: None,
    since: None,
};

/// pflag's `parseArgs` over one command's flags.
struct FlagParser {
    flags: &'static [FlagSpec],
    interspersed: bool,
    /// Whether the command defines `--help` itself (then `-h` is not help).
    own_help: bool,
    /// Deprecation warnings printed while parsing.
    notices: String,
}

impl FlagParser {
    fn new(flags: &'static [FlagSpec], interspersed: bool, own_help: bool) -> Self {
        FlagParser {
            flags,
            interspersed,
            own_help,
            notices: String::new(),
        }
    }

    fn by_long(&self, name: &str) -> Option<&'static FlagSpec> {
        self.flags
            .iter()
            .find(|f| f.long == name)
            .or(if name == "help" && !self.own_help {
                Some(&HELP_FLAG)
            } else {
                None
            })
    }

    fn by_short(&self, c: u8) -> Option<&'static FlagSpec> {
        self.flags
            .iter()
            .find(|f| {
                f.short
                    .is_some_and(|s| s.is_ascii() && s as u32 == u32::from(c))
            })
            .or(if c == b'h' && !self.own_help {
                Some(&HELP_FLAG)
            } else {
                None
            })
    }

    /// Parses `args` into `out`; returns the positionals, or pflag's error message.
    fn run(&mut self, args: &[String], out: &mut Flags) -> Result<Vec<String>, String> {
        let mut positionals = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let s = args[i].as_str();
            i += 1;
            if s.len() < 2 || !s.starts_with('-') {
                positionals.push(s.to_string());
                if !self.interspersed {
                    positionals.extend(args[i..].iter().cloned());
                    return Ok(positionals);
                }
                continue;
            }
            if s == "--" {
                positionals.extend(args[i..].iter().cloned());
                return Ok(positionals);
            }
            if let Some(body) = s.strip_prefix("--") {
                i = self.long(s, body, args, i, out)?;
            } else {
                i = self.short(&s[1..], args, i, out)?;
            }
        }
        Ok(positionals)
    }

    fn long(
        &mut self,
        s: &str,
        body: &str,
        args: &[String],
        mut i: usize,
        out: &mut Flags,
    ) -> Result<usize, String> {
        if body.is_empty() || body.starts_with('-') || body.starts_with('=') {
            return Err(format!("bad flag syntax: {s}"));
        }
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let Some(flag) = self.by_long(name) else {
            return Err(format!("unknown flag: --{name}"));
        };
        let value = match (inline, flag.implicit_value()) {
            (Some(v), _) | (None, Some(v)) => v.to_string(),
            (None, None) if i < args.len() => {
                i += 1;
                args[i - 1].clone()
            }
            (None, None) => return Err(format!("flag needs an argument: {s}")),
        };
        self.set(flag, value, out)?;
        Ok(i)
    }

    fn short(
        &mut self,
        shorthands: &str,
        args: &[String],
        mut i: usize,
        out: &mut Flags,
    ) -> Result<usize, String> {
        let bytes = shorthands.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let c = bytes[at];
            // Every byte before `at` was a known (ASCII) shorthand, so this is a char boundary.
            let rest = shorthands.get(at..).unwrap_or_default();
            let Some(flag) = self.by_short(c) else {
                return Err(format!(
                    "unknown shorthand flag: {} in -{rest}",
                    help::go_quote_byte(c)
                ));
            };
            let value = if rest.len() > 2 && bytes[at + 1] == b'=' {
                at = bytes.len();
                rest[2..].to_string()
            } else if let Some(v) = flag.implicit_value() {
                at += 1;
                v.to_string()
            } else if rest.len() > 1 {
                at = bytes.len();
                rest[1..].to_string()
            } else if i < args.len() {
                at = bytes.len();
                i += 1;
                args[i - 1].clone()
            } else {
                return Err(format!(
                    "flag needs an argument: {} in -{rest}",
                    help::go_quote_byte(c)
                ));
            };
            if flag.long == "help" && !self.own_help {
                self.notices
                    .push_str("Flag shorthand -h has been deprecated, use --help\n");
            }
            self.set(flag, value, out)?;
        }
        Ok(i)
    }

    fn set(&mut self, flag: &FlagSpec, value: String, out: &mut Flags) -> Result<(), String> {
        let shown = help::go_quote(&value);
        // pflag leaves a deprecated shorthand (help's `-h`) out of the flag's name.
        let name = if flag.long == "help" {
            "--help".to_string()
        } else {
            flag.error_name()
        };
        let value = values::check(flag, value).map_err(|why| {
            format!(
                "invalid argument {shown} for {} flag: {why}",
                help::go_quote(&name)
            )
        })?;
        if let Some(advice) = flag.deprecated {
            let _ = writeln!(
                self.notices,
                "Flag --{} has been deprecated, {advice}",
                flag.long
            );
        }
        out.record(flag, value);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
