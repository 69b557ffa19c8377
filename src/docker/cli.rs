//! (temporary minimal version; replaced by the full module)
use std::collections::BTreeMap;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandId {
    Pull,
    ImageLs,
    Tag,
    History,
    Rmi,
    ImagePrune,
    SystemPrune,
    SystemDf,
    Run,
    Create,
    Ps,
    Stop,
    Start,
    Rm,
    Inspect,
    ImageInspect,
    ContainerInspect,
    Version,
    Info,
    Build,
    Save,
    Load,
    BuilderPrune,
    Push,
}
#[derive(Debug, Clone, Default)]
pub struct Flags {
    values: BTreeMap<String, Vec<String>>,
}
impl Flags {
    pub fn bool(&self, long: &str) -> bool {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .is_some_and(|v| v != "false")
    }
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn values(&self, long: &str) -> &[String] {
        self.values.get(long).map_or(&[], Vec::as_slice)
    }
    pub fn is_set(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
}
#[derive(Debug, Clone)]
pub struct Invocation {
    pub command: CommandId,
    pub flags: Flags,
    pub args: Vec<String>,
    pub display: String,
}
#[derive(Debug, Clone)]
pub enum Parsed {
    Run(Invocation),
    Help { stdout: String },
}
#[derive(Debug, Clone)]
pub struct CliError {
    pub stderr: String,
    pub stdout: String,
    pub exit_code: i32,
}
fn spec(c: CommandId) -> &'static [(&'static str, &'static str, bool)] {
    use CommandId::*;
    match c {
        ImageLs => &[
            ("a", "all", false),
            ("q", "quiet", false),
            ("", "digests", false),
            ("", "no-trunc", false),
            ("f", "filter", true),
            ("", "format", true),
        ],
        History => &[
            ("H", "human", false),
            ("q", "quiet", false),
            ("", "no-trunc", false),
            ("", "format", true),
        ],
        Rmi => &[("f", "force", false), ("", "no-prune", false)],
        ImagePrune => &[
            ("a", "all", false),
            ("f", "force", false),
            ("", "filter", true),
        ],
        SystemPrune => &[
            ("a", "all", false),
            ("f", "force", false),
            ("", "volumes", false),
            ("", "filter", true),
        ],
        SystemDf => &[("v", "verbose", false), ("", "format", true)],
        Run | Create => &[
            ("d", "detach", false),
            ("i", "interactive", false),
            ("t", "tty", false),
            ("", "name", true),
            ("", "rm", false),
            ("p", "publish", true),
            ("e", "env", true),
            ("", "network", true),
        ],
        Ps => &[
            ("a", "all", false),
            ("q", "quiet", false),
            ("", "no-trunc", false),
            ("", "format", true),
            ("f", "filter", true),
        ],
        Rm => &[("f", "force", false)],
        Inspect | ImageInspect | ContainerInspect => &[("f", "format", true)],
        Pull => &[("q", "quiet", false), ("a", "all-tags", false)],
        _ => &[],
    }
}
pub fn parse(args: &[String]) -> Result<Parsed, CliError> {
    use CommandId::*;
    let w: Vec<&str> = args.iter().map(String::as_str).collect();
    let (cmd, n) = match w.as_slice() {
        ["pull", ..] => (Pull, 1),
        ["images", ..] => (ImageLs, 1),
        ["image", "ls" | "list", ..] => (ImageLs, 2),
        ["tag", ..] => (Tag, 1),
        ["image", "tag", ..] => (Tag, 2),
        ["history", ..] => (History, 1),
        ["image", "history", ..] => (History, 2),
        ["rmi", ..] => (Rmi, 1),
        ["image", "rm" | "remove", ..] => (Rmi, 2),
        ["image", "prune", ..] => (ImagePrune, 2),
        ["system", "prune", ..] => (SystemPrune, 2),
        ["system", "df", ..] => (SystemDf, 2),
        ["run", ..] => (Run, 1),
        ["create", ..] => (Create, 1),
        ["ps", ..] => (Ps, 1),
        ["stop", ..] => (Stop, 1),
        ["start", ..] => (Start, 1),
        ["rm", ..] => (Rm, 1),
        ["inspect", ..] => (Inspect, 1),
        ["image", "inspect", ..] => (ImageInspect, 2),
        ["container", "inspect", ..] => (ContainerInspect, 2),
        ["version", ..] => (Version, 1),
        ["info", ..] => (Info, 1),
        _ => {
            return Err(CliError {
                stderr: format!(
                "docker: unknown command: docker {}\n\nRun 'docker --help' for more information\n",
                w.join(" ")
            ),
                stdout: String::new(),
                exit_code: 1,
            })
        }
    };
    let display = w[..n].join(" ");
    let spec = spec(cmd);
    let mut flags = Flags::default();
    let mut pos = Vec::new();
    let mut it = args[n..].iter();
    let stop_at_positional = matches!(cmd, Run | Create);
    while let Some(a) = it.next() {
        if !pos.is_empty() && stop_at_positional {
            pos.push(a.clone());
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((a, b)) => (a, Some(b.to_owned())),
                None => (long, None),
            };
            let Some(&(_, l, takes)) = spec.iter().find(|(_, l, _)| *l == name) else {
                return Err(CliError {
                    stderr: format!("unknown flag: --{name}\nSee 'docker {display} --help'.\n"),
                    stdout: String::new(),
                    exit_code: 125,
                });
            };
            let v = if takes {
                match inline {
                    Some(v) => v,
                    None => it.next().cloned().unwrap_or_default(),
                }
            } else {
                inline.unwrap_or_else(|| "true".into())
            };
            flags.values.entry(l.to_owned()).or_default().push(v);
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i].to_string();
                let Some(&(_, l, takes)) = spec.iter().find(|(s, _, _)| *s == c) else {
                    return Err(CliError { stderr: format!("unknown shorthand flag: '{c}' in {a}\nSee 'docker {display} --help'.\n"), stdout: String::new(), exit_code: 125 });
                };
                if takes {
                    let rest: String = chars[i + 1..].iter().collect();
                    let v = if rest.is_empty() {
                        it.next().cloned().unwrap_or_default()
                    } else {
                        rest
                    };
                    flags.values.entry(l.to_owned()).or_default().push(v);
                    break;
                }
                flags
                    .values
                    .entry(l.to_owned())
                    .or_default()
                    .push("true".into());
                i += 1;
            }
        } else {
            pos.push(a.clone());
        }
    }
    Ok(Parsed::Run(Invocation {
        command: cmd,
        flags,
        args: pos,
        display,
    }))
}
