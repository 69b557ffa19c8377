//! Raw instructions → typed AST, with BuildKit's argument checks and flag parsing
//! (`instructions/parse.go`, `instructions/bflag.go`).

use std::time::Duration;

use super::ast::{
    Add, Arg, ArgDef, Cmd, CommandLine, Copy, Dockerfile, Entrypoint, Env, Expose, From,
    Healthcheck, InlineSource, Instruction, KeyValue, Label, Maintainer, Node, Onbuild, Run, Shell,
    StopSignal, User, Volume, Workdir,
};
use super::error::{ErrorKind, ParseError};
use super::lexer::{lex, parse_heredoc, RawArgs, RawNode};

/// Every instruction name, in a fixed order so did-you-mean is deterministic.
pub const INSTRUCTIONS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Parses a Dockerfile named `file` (the name errors and excerpts show).
///
/// Checks everything BuildKit checks before it resolves anything: syntax, arguments, flags,
/// and that every instruction but ARG comes after a FROM.
pub fn parse(file: &str, source: &str) -> Result<Dockerfile, ParseError> {
    let with_file = |mut e: ParseError| {
        file.clone_into(&mut e.file);
        e
    };
    if source.is_empty() {
        return Err(with_file(ParseError::new(
            ErrorKind::EmptyDockerfile,
            0,
            0,
            0,
        )));
    }
    let lexed = lex(source).map_err(with_file)?;
    if lexed.nodes.len() > super::error::MAX_INSTRUCTIONS {
        let line = lexed.nodes[super::error::MAX_INSTRUCTIONS].span.start_line;
        return Err(with_file(ParseError::new(
            ErrorKind::TooManyInstructions(lexed.nodes.len()),
            line,
            line,
            0,
        )));
    }
    let mut nodes = Vec::with_capacity(lexed.nodes.len());
    let mut seen_from = false;
    for raw in lexed.nodes {
        let span = raw.span.clone();
        let at = |kind| {
            with_file(ParseError::new(
                kind,
                span.start_line,
                span.end_line,
                span.column,
            ))
        };
        let node = typed(raw).map_err(at)?;
        match node.instruction {
            Instruction::From(_) => seen_from = true,
            Instruction::Arg(_) => {}
            _ if !seen_from => return Err(at(ErrorKind::NoBuildStage)),
            _ => {}
        }
        nodes.push(node);
    }
    Ok(Dockerfile {
        directives: lexed.directives,
        escape: lexed.escape,
        nodes,
    })
}

#[cfg(test)]
/// [`parse`] for raw bytes: invalid UTF-8 is replaced (BuildKit reads bytes; only the words
/// holding such bytes can differ).
pub fn parse_bytes(file: &str, source: &[u8]) -> Result<Dockerfile, ParseError> {
    parse(file, &String::from_utf8_lossy(source))
}

fn list(raw: &RawNode) -> Vec<String> {
    match &raw.args {
        RawArgs::List(v) => v.clone(),
        RawArgs::KeyValues(kv) => kv
            .iter()
            .flat_map(|(k, v, _)| [k.clone(), v.clone()])
            .collect(),
        RawArgs::Sub(inner) => {
            let mut v = vec![inner.keyword.clone()];
            v.extend(list(inner));
            v
        }
    }
}

/// BuildKit's did-you-mean (`util/suggest`): Levenshtein distance below 3, the closest wins,
/// case matched to what was typed.
pub fn suggest(value: &str, options: &[&str], case_sensitive: bool) -> Option<String> {
    let fold = |s: &str| {
        if case_sensitive {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    let val = fold(value);
    let mut best: Option<String> = None;
    let mut min = 3;
    for opt in options {
        let opt = fold(opt);
        if val == opt {
            return None;
        }
        let d = strsim::levenshtein(&val, &opt);
        if d < min {
            min = d;
            best = Some(if case_sensitive {
                opt
            } else if value == value.to_lowercase() {
                opt.to_lowercase()
            } else if value == value.to_uppercase() {
                opt.to_uppercase()
            } else {
                opt
            });
        }
    }
    best
}

#[derive(Clone, Copy, PartialEq)]
enum FlagType {
    Bool,
    String,
    Strings,
}

/// Parsed flag values, by name.
struct Flags {
    values: Vec<(&'static str, Vec<String>)>,
}

impl Flags {
    fn string(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.last().cloned())
    }
    fn strings(&self, name: &str) -> Vec<String> {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn bool(&self, name: &str) -> Option<bool> {
        self.string(name).map(|v| v == "true")
    }
}

/// BuildKit's `BFlags.Parse`.
fn parse_flags(raw: &[String], defs: &[(&'static str, FlagType)]) -> Result<Flags, ErrorKind> {
    let mut values: Vec<(&'static str, Vec<String>)> = Vec::new();
    for a in raw {
        if a == "--" {
            break;
        }
        let (flag_name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (a.as_str(), None),
        };
        let arg = flag_name.strip_prefix("--").unwrap_or(flag_name);
        let Some(&(name, ty)) = defs.iter().find(|(n, _)| *n == arg) else {
            let names: Vec<&str> = defs.iter().map(|(n, _)| *n).collect();
            return Err(ErrorKind::UnknownFlag {
                flag: flag_name.to_owned(),
                suggestion: suggest(arg, &names, true),
            });
        };
        let used = values.iter().position(|(n, _)| *n == name);
        if used.is_some() && ty != FlagType::Strings {
            return Err(ErrorKind::DuplicateFlag(flag_name.to_owned()));
        }
        let v = match ty {
            FlagType::Bool => {
                if value == Some("") {
                    return Err(ErrorKind::MissingFlagValue(flag_name.to_owned()));
                }
                match value.map(str::to_lowercase).as_deref() {
                    None | Some("true") => "true".to_owned(),
                    Some("false") => "false".to_owned(),
                    Some(_) => {
                        return Err(ErrorKind::BadBoolFlag {
                            flag: flag_name.to_owned(),
                            value: value.unwrap_or_default().to_owned(),
                        })
                    }
                }
            }
            FlagType::String | FlagType::Strings => match value {
                Some(v) => v.to_owned(),
                None => return Err(ErrorKind::MissingFlagValue(flag_name.to_owned())),
            },
        };
        match used {
            Some(i) => values[i].1.push(v),
            None => values.push((name, vec![v])),
        }
    }
    Ok(Flags { values })
}

fn command_line(args: Vec<String>, json: bool) -> Option<CommandLine> {
    if json {
        Some(CommandLine::Exec(args))
    } else if args.is_empty() {
        None
    } else {
        Some(CommandLine::Shell(args.join(" ")))
    }
}

fn inline_and_paths(
    raw: &RawNode,
    args: &[String],
    instruction: &'static str,
) -> Result<(Vec<String>, Vec<InlineSource>, String), ErrorKind> {
    let (dest, srcs) = args.split_last().expect("callers check for two arguments");
    if parse_heredoc(dest).ok().flatten().is_some() {
        return Err(ErrorKind::BadHeredoc {
            instruction,
            role: "a destination",
        });
    }
    let mut paths = Vec::new();
    let mut inline = Vec::new();
    for src in srcs {
        match parse_heredoc(src).ok().flatten() {
            Some(h) => {
                let doc = raw.heredocs.iter().find(|d| d.name == h.name);
                let content = doc.map(|d| d.content.clone()).unwrap_or_default();
                inline.push(InlineSource {
                    name: h.name,
                    content: if h.chomp {
                        content
                            .split_inclusive('\n')
                            .map(|l| l.trim_start_matches('\t'))
                            .collect()
                    } else {
                        content
                    },
                    expand: h.expand,
                });
            }
            None => paths.push(src.clone()),
        }
    }
    Ok((paths, inline, dest.clone()))
}

/// Go's `time.ParseDuration`.
pub(crate) fn parse_go_duration(s: &str) -> Option<Duration> {
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    if rest == "0" {
        return Some(Duration::ZERO);
    }
    if rest.is_empty() || rest.starts_with('-') {
        // Negative durations are below the 1ms minimum anyway; treat as invalid only if
        // malformed.
        let body = rest.strip_prefix('-')?;
        return parse_go_duration(body)
            .map(|_| Duration::ZERO)
            .filter(|_| false);
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." {
            return None;
        }
        let value: f64 = num.parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    if !total.is_finite() || total > 9.2e9 {
        return None;
    }
    Some(Duration::from_secs_f64(total))
}

fn interval(flags: &Flags, name: &str) -> Result<Duration, ErrorKind> {
    let Some(v) = flags.string(name).filter(|v| !v.is_empty()) else {
        return Ok(Duration::ZERO);
    };
    let negative = v.starts_with('-');
    let body = v.strip_prefix('-').unwrap_or(&v);
    let d = parse_go_duration(body).ok_or_else(|| ErrorKind::InvalidDuration(v.clone()))?;
    if d.is_zero() {
        return Ok(Duration::ZERO);
    }
    if negative || d < Duration::from_millis(1) {
        return Err(ErrorKind::IntervalTooShort(name.to_owned()));
    }
    Ok(d)
}

/// Checks one raw instruction and gives it its typed form.
#[allow(
    clippy::too_many_lines,
    reason = "one arm per Dockerfile instruction, as BuildKit parses them"
)]
fn typed(raw: RawNode) -> Result<Node, ErrorKind> {
    let args = list(&raw);
    let lower = raw.keyword.to_ascii_lowercase();
    let no_flags = |raw: &RawNode| parse_flags(&raw.flags, &[]);
    let instruction = match lower.as_str() {
        "env" | "label" => {
            no_flags(&raw)?;
            let RawArgs::KeyValues(kvs) = &raw.args else {
                unreachable!("ENV and LABEL lines give key/values")
            };
            let name = if lower == "env" { "ENV" } else { "LABEL" };
            if kvs.is_empty() {
                return Err(ErrorKind::AtLeastOneArgument(name));
            }
            if kvs.iter().any(|(k, _, _)| k.is_empty()) {
                return Err(ErrorKind::BlankNames(name));
            }
            let kvs = kvs
                .iter()
                .map(|(k, v, legacy)| KeyValue {
                    key: k.clone(),
                    value: v.clone(),
                    legacy: *legacy,
                })
                .collect();
            if lower == "env" {
                Instruction::Env(Env { vars: kvs })
            } else {
                Instruction::Label(Label { labels: kvs })
            }
        }
        "maintainer" => {
            if args.len() != 1 {
                return Err(ErrorKind::ExactlyOneArgument("MAINTAINER"));
            }
            no_flags(&raw)?;
            Instruction::Maintainer(Maintainer {
                name: args[0].clone(),
            })
        }
        "add" => {
            if args.len() < 2 {
                return Err(ErrorKind::NoDestination("ADD"));
            }
            let f = parse_flags(
                &raw.flags,
                &[
                    ("chown", FlagType::String),
                    ("chmod", FlagType::String),
                    ("link", FlagType::Bool),
                    ("keep-git-dir", FlagType::Bool),
                    ("checksum", FlagType::String),
                    ("unpack", FlagType::Bool),
                    ("exclude", FlagType::Strings),
                ],
            )?;
            let (sources, inline, dest) = inline_and_paths(&raw, &args, "ADD")?;
            Instruction::Add(Add {
                sources,
                inline,
                dest,
                chown: f.string("chown"),
                chmod: f.string("chmod"),
                link: f.bool("link").unwrap_or(false),
                exclude: f.strings("exclude"),
                checksum: f.string("checksum"),
                keep_git_dir: f.bool("keep-git-dir"),
                unpack: f.bool("unpack"),
                json: raw.json,
            })
        }
        "copy" => {
            if args.len() < 2 {
                return Err(ErrorKind::NoDestination("COPY"));
            }
            let f = parse_flags(
                &raw.flags,
                &[
                    ("chown", FlagType::String),
                    ("from", FlagType::String),
                    ("chmod", FlagType::String),
                    ("link", FlagType::Bool),
                    ("exclude", FlagType::Strings),
                    ("parents", FlagType::Bool),
                ],
            )?;
            let (sources, inline, dest) = inline_and_paths(&raw, &args, "COPY")?;
            Instruction::Copy(Copy {
                sources,
                inline,
                dest,
                from: f.string("from"),
                chown: f.string("chown"),
                chmod: f.string("chmod"),
                link: f.bool("link").unwrap_or(false),
                parents: f.bool("parents").unwrap_or(false),
                exclude: f.strings("exclude"),
                json: raw.json,
            })
        }
        "from" => {
            let name = match args.len() {
                3 if args[1].eq_ignore_ascii_case("as") => {
                    let name = args[2].to_lowercase();
                    let mut chars = name.chars();
                    let ok = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                        && chars.all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c)
                        });
                    if !ok {
                        return Err(ErrorKind::InvalidStageName(args[2].clone()));
                    }
                    Some(name)
                }
                1 => None,
                _ => return Err(ErrorKind::FromArguments),
            };
            let f = parse_flags(&raw.flags, &[("platform", FlagType::String)])?;
            Instruction::From(From {
                image: args[0].clone(),
                name,
                platform: f.string("platform"),
            })
        }
        "onbuild" => {
            let RawArgs::Sub(inner) = &raw.args else {
                return Err(ErrorKind::AtLeastOneArgument("ONBUILD"));
            };
            no_flags(&raw)?;
            let trigger = inner.keyword.trim().to_uppercase();
            match trigger.as_str() {
                "ONBUILD" => return Err(ErrorKind::OnbuildChaining),
                "MAINTAINER" | "FROM" => return Err(ErrorKind::OnbuildTrigger(trigger)),
                _ => {}
            }
            let mut expression = strip_onbuild(&raw.original).to_owned();
            for h in &raw.heredocs {
                expression.push('\n');
                expression.push_str(&h.content);
                expression.push_str(&h.name);
            }
            let mut inner = (**inner).clone();
            inner.heredocs.clone_from(&raw.heredocs);
            inner.span = raw.span.clone();
            Instruction::Onbuild(Onbuild {
                expression,
                trigger: Box::new(typed(inner)?),
            })
        }
        "workdir" => {
            if args.len() != 1 {
                return Err(ErrorKind::ExactlyOneArgument("WORKDIR"));
            }
            no_flags(&raw)?;
            Instruction::Workdir(Workdir {
                path: args[0].clone(),
            })
        }
        "run" => {
            let f = parse_flags(
                &raw.flags,
                &[
                    ("mount", FlagType::Strings),
                    ("network", FlagType::String),
                    ("security", FlagType::String),
                ],
            )?;
            Instruction::Run(Run {
                command: command_line(args, raw.json)
                    .unwrap_or_else(|| CommandLine::Shell(String::new())),
                heredocs: raw.heredocs.clone(),
                mounts: f.strings("mount"),
                network: f.string("network"),
                security: f.string("security"),
            })
        }
        "cmd" => {
            no_flags(&raw)?;
            Instruction::Cmd(Cmd {
                command: command_line(args, raw.json),
            })
        }
        "entrypoint" => {
            no_flags(&raw)?;
            Instruction::Entrypoint(Entrypoint {
                command: command_line(args, raw.json)
                    .filter(|c| !matches!(c, CommandLine::Exec(v) if v.is_empty())),
            })
        }
        "healthcheck" => Instruction::Healthcheck(healthcheck(&raw, &args)?),
        "expose" => {
            if args.is_empty() {
                return Err(ErrorKind::AtLeastOneArgument("EXPOSE"));
            }
            no_flags(&raw)?;
            let mut ports = args;
            ports.sort();
            Instruction::Expose(Expose { ports })
        }
        "user" => {
            if args.len() != 1 {
                return Err(ErrorKind::ExactlyOneArgument("USER"));
            }
            no_flags(&raw)?;
            Instruction::User(User {
                user: args[0].clone(),
            })
        }
        "volume" => {
            if args.is_empty() {
                return Err(ErrorKind::AtLeastOneArgument("VOLUME"));
            }
            no_flags(&raw)?;
            let mut paths = Vec::new();
            for v in args {
                let v = v.trim();
                if v.is_empty() {
                    return Err(ErrorKind::EmptyVolume);
                }
                paths.push(v.to_owned());
            }
            Instruction::Volume(Volume {
                paths,
                json: raw.json,
            })
        }
        // BuildKit never parses STOPSIGNAL's flags: they are silently ignored.
        "stopsignal" => {
            if args.len() != 1 {
                return Err(ErrorKind::ExactlyOneArgument("STOPSIGNAL"));
            }
            Instruction::StopSignal(StopSignal {
                signal: args[0].clone(),
            })
        }
        "arg" => {
            if args.is_empty() {
                return Err(ErrorKind::AtLeastOneArgument("ARG"));
            }
            let mut defs = Vec::new();
            for a in &args {
                defs.push(match a.split_once('=') {
                    Some(("", _)) => return Err(ErrorKind::BlankNames("ARG")),
                    Some((k, v)) => ArgDef {
                        key: k.to_owned(),
                        default: Some(v.to_owned()),
                    },
                    None => ArgDef {
                        key: a.clone(),
                        default: None,
                    },
                });
            }
            Instruction::Arg(Arg { args: defs })
        }
        "shell" => {
            no_flags(&raw)?;
            match command_line(args, raw.json) {
                Some(CommandLine::Exec(v)) if !v.is_empty() => {
                    Instruction::Shell(Shell { shell: v })
                }
                None | Some(CommandLine::Exec(_)) => {
                    return Err(ErrorKind::AtLeastOneArgument("SHELL"))
                }
                Some(CommandLine::Shell(_)) => return Err(ErrorKind::NotJson("SHELL")),
            }
        }
        _ => {
            return Err(ErrorKind::UnknownInstruction {
                instruction: raw.keyword.clone(),
                suggestion: suggest(&raw.keyword, &INSTRUCTIONS, false),
            })
        }
    };
    Ok(Node {
        instruction,
        span: raw.span,
        keyword: raw.keyword,
        original: raw.original.trim().to_owned(),
    })
}

/// `(?i)^\s*ONBUILD\s*` removed.
fn strip_onbuild(original: &str) -> &str {
    let t = original.trim_start();
    match t.get(..7) {
        Some(w) if w.eq_ignore_ascii_case("onbuild") => t[7..].trim_start(),
        _ => original,
    }
}

fn healthcheck(raw: &RawNode, args: &[String]) -> Result<Healthcheck, ErrorKind> {
    let Some((typ, rest)) = args.split_first() else {
        return Err(ErrorKind::AtLeastOneArgument("HEALTHCHECK"));
    };
    let typ = typ.to_uppercase();
    if typ == "NONE" {
        if !rest.is_empty() {
            return Err(ErrorKind::HealthcheckNoneArguments);
        }
        return Ok(Healthcheck::None);
    }
    let f = parse_flags(
        &raw.flags,
        &[
            ("interval", FlagType::String),
            ("timeout", FlagType::String),
            ("start-period", FlagType::String),
            ("start-interval", FlagType::String),
            ("retries", FlagType::String),
        ],
    )?;
    if typ != "CMD" {
        return Err(ErrorKind::HealthcheckUnknownType(typ));
    }
    let Some(command) = command_line(rest.to_vec(), raw.json)
        .filter(|c| !matches!(c, CommandLine::Exec(v) if v.is_empty()))
    else {
        return Err(ErrorKind::HealthcheckMissingCommand);
    };
    let interval_v = interval(&f, "interval")?;
    let timeout = interval(&f, "timeout")?;
    let start_period = interval(&f, "start-period")?;
    let start_interval = interval(&f, "start-interval")?;
    let retries = match f.string("retries").filter(|v| !v.is_empty()) {
        None => 0,
        Some(v) => {
            let n: i64 = v
                .parse()
                .ok()
                .filter(|n| i32::try_from(*n).is_ok())
                .ok_or(ErrorKind::InvalidRetries(v))?;
            if n < 0 {
                return Err(ErrorKind::NegativeRetries(n));
            }
            n
        }
    };
    Ok(Healthcheck::Cmd {
        command,
        interval: interval_v,
        timeout,
        start_period,
        start_interval,
        retries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("RUNN", &INSTRUCTIONS, false).as_deref(),
            Some("RUN")
        );
        assert_eq!(
            suggest("runn", &INSTRUCTIONS, false).as_deref(),
            Some("run")
        );
        assert_eq!(
            suggest("Cpy", &INSTRUCTIONS, false).as_deref(),
            Some("copy")
        );
        assert_eq!(suggest("XYZZY", &INSTRUCTIONS, false), None);
        assert_eq!(
            suggest("chmown", &["chown", "from"], true).as_deref(),
            Some("chown")
        );
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse_go_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_go_duration("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("soon"), None);
        assert_eq!(parse_go_duration(""), None);
    }
}
