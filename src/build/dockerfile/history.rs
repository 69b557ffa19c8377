//! The `created_by` string each instruction leaves in the image history (`docker history
//! --no-trunc`), for BuildKit (Docker 28's default builder) and for the legacy builder.
//!
//! Both take the instruction *after* expansion ([`super::Scope::apply`]) and the scope as it was
//! *before* the instruction was applied.

use std::fmt::Write as _;
use std::time::Duration;

use super::ast::{CommandLine, Healthcheck, Instruction};
use super::error::go_quote;
use super::stages::{resolve_workdir, Scope};

/// Go's `%q` of a `[]string`: `["nginx" "-g" "daemon off;"]`.
fn go_quoted_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    format!("[{}]", items.join(" "))
}

/// Go's `%v` of a `[]string`: `[/a /b]`.
fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

/// Go's `time.Duration.String()`.
pub fn go_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns == 0 {
        return "0s".to_owned();
    }
    if ns < 1_000 {
        return format!("{ns}ns");
    }
    if ns < 1_000_000 {
        return format!("{}µs", trim_frac(ns, 1_000));
    }
    if ns < 1_000_000_000 {
        return format!("{}ms", trim_frac(ns, 1_000_000));
    }
    let mut out = String::new();
    let secs_total = ns / 1_000_000_000;
    let h = secs_total / 3600;
    let m = (secs_total % 3600) / 60;
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if h > 0 || m > 0 {
        let _ = write!(out, "{m}m");
    }
    let rem = ns % 60_000_000_000;
    let _ = write!(out, "{}s", trim_frac(rem, 1_000_000_000));
    out
}

fn trim_frac(v: u128, unit: u128) -> String {
    let int = v / unit;
    let frac = v % unit;
    if frac == 0 {
        return int.to_string();
    }
    let width = unit.to_string().len() - 1;
    let f = format!("{frac:0width$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

/// Port words → `80/tcp` specs as BuildKit normalises them (ranges expanded).
pub fn port_specs(ports: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in ports {
        let container = p.rsplit(':').next().unwrap_or(p);
        let (port, proto) = container.split_once('/').unwrap_or((container, "tcp"));
        let proto = if proto.is_empty() { "tcp" } else { proto }.to_lowercase();
        let (start, end) = port.split_once('-').unwrap_or((port, port));
        match (start.parse::<u32>(), end.parse::<u32>()) {
            (Ok(s), Ok(e)) if s <= e && e <= 65535 => {
                // Cap the expansion: the builder validates ranges; history must not explode.
                for n in s..=e.min(s + 65535) {
                    out.push(format!("{n}/{proto}"));
                }
            }
            _ => out.push(format!("{port}/{proto}")),
        }
    }
    out
}

fn health_config(h: &Healthcheck, shell_json: bool) -> String {
    let _ = shell_json;
    match h {
        Healthcheck::None => {
            "{Test:[NONE] Interval:0s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}"
                .to_owned()
        }
        Healthcheck::Cmd {
            command,
            interval,
            timeout,
            start_period,
            start_interval,
            retries,
        } => {
            let test = match command {
                CommandLine::Shell(s) => vec!["CMD-SHELL".to_owned(), s.clone()],
                CommandLine::Exec(v) => std::iter::once("CMD".to_owned())
                    .chain(v.iter().cloned())
                    .collect(),
            };
            format!(
                "{{Test:{} Interval:{} Timeout:{} StartPeriod:{} StartInterval:{} Retries:{retries}}}",
                go_list(&test),
                go_duration(*interval),
                go_duration(*timeout),
                go_duration(*start_period),
                go_duration(*start_interval),
            )
        }
    }
}

fn heredoc_suffix(ins: &Instruction) -> String {
    let mut s = String::new();
    if let Instruction::Run(r) = ins {
        for h in &r.heredocs {
            s.push('\n');
            s.push_str(&h.content);
            s.push_str(&h.name);
        }
    }
    s
}

/// BuildKit's `created_by` for `ins`, or `None` for FROM and ONBUILD (no history entry).
pub fn buildkit_created_by(ins: &Instruction, scope: &Scope) -> Option<String> {
    let kv = |name: &str, list: &[super::ast::KeyValue]| {
        let mut s = name.to_owned();
        for kv in list {
            let _ = write!(s, " {}={}", kv.key, kv.value);
        }
        s
    };
    Some(match ins {
        Instruction::From(_) | Instruction::Onbuild(_) => return None,
        Instruction::Env(e) => kv("ENV", &e.vars),
        Instruction::Label(l) => kv("LABEL", &l.labels),
        Instruction::Copy(c) => {
            let mut s = "COPY".to_owned();
            if c.parents {
                s.push_str(" --parents");
            }
            copy_tail(
                &mut s,
                c.chown.as_deref(),
                c.chmod.as_deref(),
                &c.sources,
                &c.inline,
                &c.dest,
            );
            s
        }
        Instruction::Add(a) => {
            let mut s = "ADD".to_owned();
            copy_tail(
                &mut s,
                a.chown.as_deref(),
                a.chmod.as_deref(),
                &a.sources,
                &a.inline,
                &a.dest,
            );
            s
        }
        Instruction::Run(r) => {
            let mut words: Vec<String> = Vec::new();
            let args = scope.run_args();
            if !args.is_empty() {
                words.push(format!("|{}", args.len()));
                words.extend(args.iter().map(|(k, v)| format!("{k}={v}")));
            }
            let mut command = r.command.with_shell(scope.shell());
            if let Some(last) = command.last_mut() {
                last.push_str(&heredoc_suffix(ins));
            }
            words.extend(command);
            format!("RUN {} # buildkit", words.join(" "))
        }
        Instruction::Cmd(c) => format!(
            "CMD {}",
            go_quoted_list(
                &c.command
                    .as_ref()
                    .map(|c| c.with_shell(scope.shell()))
                    .unwrap_or_default()
            )
        ),
        Instruction::Entrypoint(e) => format!(
            "ENTRYPOINT {}",
            go_quoted_list(
                &e.command
                    .as_ref()
                    .map(|c| c.with_shell(scope.shell()))
                    .unwrap_or_default()
            )
        ),
        Instruction::Expose(e) => {
            // Docker 28's embedded frontend prints the port set as a Go map (keys sorted);
            // dockerfile frontend 1.19+ prints a list: `EXPOSE [80/tcp]`.
            let mut specs = port_specs(&e.ports);
            specs.sort();
            specs.dedup();
            let items: Vec<String> = specs.iter().map(|p| format!("{p}:{{}}")).collect();
            format!("EXPOSE map[{}]", items.join(" "))
        }
        Instruction::Workdir(w) => format!("WORKDIR {}", resolve_workdir(scope.workdir(), &w.path)),
        Instruction::User(u) => format!("USER {}", u.user),
        Instruction::Volume(v) => format!("VOLUME {}", go_list(&v.paths)),
        Instruction::StopSignal(s) => format!("STOPSIGNAL {}", s.signal),
        Instruction::Shell(s) => format!("SHELL {}", go_list(&s.shell)),
        Instruction::Maintainer(m) => format!("MAINTAINER {}", m.name),
        Instruction::Healthcheck(h) => format!("HEALTHCHECK {}", health_config(h, false)),
        Instruction::Arg(a) => {
            let items: Vec<String> = a
                .args
                .iter()
                .map(|d| match &d.default {
                    Some(v) => format!("{}={v}", d.key),
                    None => d.key.clone(),
                })
                .collect();
            format!("ARG {}", items.join(" "))
        }
    })
}

fn copy_tail(
    s: &mut String,
    chown: Option<&str>,
    chmod: Option<&str>,
    sources: &[String],
    inline: &[super::ast::InlineSource],
    dest: &str,
) {
    if let Some(c) = chown.filter(|c| !c.is_empty()) {
        let _ = write!(s, " --chown={c}");
    }
    if let Some(c) = chmod.filter(|c| !c.is_empty()) {
        let _ = write!(s, " --chmod={c}");
    }
    for src in sources {
        let _ = write!(s, " {src}");
    }
    for i in inline {
        let _ = write!(s, " <<{}", i.name);
    }
    let _ = write!(s, " {dest} # buildkit");
}

/// The legacy builder's `created_by` (`DOCKER_BUILDKIT=0 docker build`).
///
/// `copy_source` is what the legacy builder names the copied content: `file:<sha256 hex>`,
/// `dir:<hex>` or `multi:<hex>` (its own content hash, computed by the builder).
/// `ARG`s are shown as written (`ARG B` even when `--build-arg B=2` was given), unlike BuildKit.
pub fn legacy_created_by(
    ins: &Instruction,
    written: &Instruction,
    scope: &Scope,
    copy_source: Option<&str>,
) -> Option<String> {
    let nop = |s: String| Some(format!("/bin/sh -c #(nop)  {s}"));
    match ins {
        Instruction::From(_) => None,
        Instruction::Run(r) => {
            let mut words: Vec<String> = Vec::new();
            let args: Vec<(String, String)> = scope
                .run_args()
                .into_iter()
                .filter(|(k, _)| scope.build_arg_given(k) || scope.arg_has_value(k))
                .collect();
            if !args.is_empty() {
                words.push(format!("|{}", args.len()));
                words.extend(args.iter().map(|(k, v)| format!("{k}={v}")));
            }
            words.extend(r.command.with_shell(scope.shell()));
            Some(words.join(" "))
        }
        Instruction::Copy(_) | Instruction::Add(_) => {
            let (name, dest) = match ins {
                Instruction::Copy(c) => ("COPY", &c.dest),
                Instruction::Add(a) => ("ADD", &a.dest),
                _ => unreachable!("matched above"),
            };
            Some(format!(
                "/bin/sh -c #(nop) {name} {} in {dest} ",
                copy_source.unwrap_or("file:")
            ))
        }
        Instruction::Workdir(w) => Some(format!(
            "/bin/sh -c #(nop) WORKDIR {}",
            resolve_workdir(scope.workdir(), &w.path)
        )),
        Instruction::Expose(e) => {
            let mut ports = e.ports.clone();
            ports.sort();
            nop(format!("EXPOSE {}", ports.join(" ")))
        }
        Instruction::Arg(_) => match written {
            Instruction::Arg(a) => nop(format!(
                "ARG {}",
                a.args
                    .iter()
                    .map(|d| match &d.default {
                        Some(v) => format!("{}={v}", d.key),
                        None => d.key.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            )),
            _ => None,
        },
        Instruction::Onbuild(o) => nop(format!("ONBUILD {}", o.expression)),
        other => {
            let bk = buildkit_created_by(other, scope)?;
            nop(bk)
        }
    }
}

impl Scope {
    fn build_arg_given(&self, key: &str) -> bool {
        self.build_args_ref().iter().any(|(k, _)| k == key)
    }
    fn arg_has_value(&self, key: &str) -> bool {
        self.declared_args()
            .iter()
            .any(|(k, v)| k == key && v.is_some())
    }
}
