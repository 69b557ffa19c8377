//! What a RUN step prints and how it exits, for the few commands docklab can emulate without
//! executing anything: `echo`, `printf`, `true`, `false`, `:`, `exit N`, silent file commands
//! (`mkdir`, `ln`, `rm`, …), `apt-get update|install|clean`, chained with `&&`, `||` and `;`.
//! Anything else (a pipe, a variable, a subshell, an unknown program) is not emulated: the
//! caller keeps its simulated layer and prints nothing, as documented in docs/fidelity.md.
//!
//! `apt-get` prints a plausible Debian transcript (no package versions, which docklab cannot
//! know), and fails as apt does: `install` without `-y` (or `-qq`, which implies it) on a
//! non-terminal answers its own question (`Do you want to continue? [Y/n] Abort.`, exit 1),
//! `DEBIAN_FRONTEND=noninteractive` before it or not, and a package with no package lists (no
//! `apt-get update` yet) is `E: Unable to locate package X` (exit 100). `apt` does the same
//! after its warning that its command line is not meant for scripts.

/// What an emulated RUN printed (stdout and stderr merged, as both builders show them) and its
/// exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emulated {
    /// Output lines without their newlines, each with its time from the start in milliseconds
    /// (BuildKit prints it as `#N 0.051 TEXT`).
    pub lines: Vec<(u64, String)>,
    pub exit: i32,
}

/// How two commands are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Always,
    And,
    Or,
}

/// The commands of a line and how each joins the previous one; `None` when the line uses shell
/// syntax beyond `&&`, `||` and `;` (pipes, background jobs, subshells, substitutions,
/// variables, here-documents).
fn split(command: &str) -> Option<Vec<(Join, String)>> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut join = Join::Always;
    let mut quote: Option<char> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') | (Some('"'), '"') => {
                quote = None;
                current.push(c);
            }
            // Substitutions, variables, subshells, globs, redirections from files, comments.
            (Some('"'), '$' | '`')
            | (None, '$' | '`' | '(' | ')' | '{' | '}' | '<' | '*' | '?' | '#') => return None,
            (Some(_), _) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '\\') => {
                current.push(c);
                current.push(chars.next()?);
            }

            (None, ';') => {
                out.push((join, std::mem::take(&mut current)));
                join = Join::Always;
            }
            (None, '&' | '|') => {
                if chars.peek() != Some(&c) {
                    // A pipe or a background job.
                    return None;
                }
                chars.next();
                out.push((join, std::mem::take(&mut current)));
                join = if c == '&' { Join::And } else { Join::Or };
            }
            (None, c) => current.push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    out.push((join, current));
    // `a && ; b` or a trailing `&&` is a syntax error: not emulated.
    let (last, rest) = out.split_last()?;
    if rest.iter().any(|(_, c)| c.trim().is_empty())
        || (last.1.trim().is_empty() && (out.len() == 1 || last.0 != Join::Always))
    {
        return None;
    }
    out.retain(|(_, c)| !c.trim().is_empty());
    Some(out)
}

/// A simple command's words and whether its standard output goes to a file (`> f`, `>> f`).
fn words(command: &str) -> Option<(Vec<String>, bool)> {
    let mut redirected = false;
    let mut text = command.to_owned();
    // Only a trailing `> FILE` / `>> FILE` / `>/dev/null` outside quotes is understood.
    if let Some(at) = unquoted_find(command, '>') {
        let (left, right) = command.split_at(at);
        let target = right.trim_start_matches('>').trim();
        if target.is_empty() || target.contains('>') || target.split_whitespace().count() != 1 {
            return None;
        }
        // `2>` redirects stderr, `&>`, `>&2` and friends: not emulated.
        if left.ends_with('2') || left.ends_with('&') || target.starts_with('&') {
            return None;
        }
        redirected = true;
        left.clone_into(&mut text);
    }
    let words = shell_words::split(&text).ok()?;
    Some((words, redirected))
}

fn unquoted_find(text: &str, wanted: char) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (None, '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c == wanted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Emulates a RUN's shell command line. `apt_lists`: the image already has package lists (an
/// earlier `apt-get update` kept them). `None`: not emulated.
pub fn emulate(command: &str, apt_lists: bool) -> Option<Emulated> {
    let commands = split(command)?;
    let mut parsed = Vec::with_capacity(commands.len());
    for (join, text) in &commands {
        let (words, redirected) = words(text)?;
        if words.is_empty() {
            return None;
        }
        parsed.push((*join, words, redirected));
    }
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut partial = String::new();
    let mut status = 0;
    let mut lists = apt_lists;
    let mut clock = 50u64;
    for (join, words, redirected) in parsed {
        let skip = match join {
            Join::Always => false,
            Join::And => status != 0,
            Join::Or => status == 0,
        };
        if skip {
            continue;
        }
        let (text, code, exits, millis) = match run_one(&words, &mut lists, status)? {
            Step::Output(text, code, millis) => (text, code, false, millis),
            Step::Exit(code) => (String::new(), code, true, 0),
        };
        status = code;
        if !redirected {
            // The command's lines come out over its duration.
            let count = text.matches('\n').count().max(1) as u64;
            let mut k = 0;
            partial.push_str(&text);
            while let Some(at) = partial.find('\n') {
                lines.push((clock + millis * k / count, partial[..at].to_owned()));
                partial.drain(..=at);
                k += 1;
            }
        }
        clock += millis;
        if exits {
            break;
        }
    }
    if !partial.is_empty() {
        lines.push((clock, partial));
    }
    Some(Emulated {
        lines,
        exit: status,
    })
}

/// `NAME=value` as the shell reads an assignment before a command.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// One simple command's effect.
enum Step {
    /// Output, exit code, simulated duration (ms).
    Output(String, i32, u64),
    /// `exit N`: the shell stops.
    Exit(i32),
}

fn run_one(words: &[String], lists: &mut bool, last: i32) -> Option<Step> {
    // `VAR=value cmd`: the variable is the command's alone. None of the programs emulated here
    // reads one that changes what it prints (`DEBIAN_FRONTEND=noninteractive` quiets debconf,
    // not apt's own question), so the assignments are set aside; alone, they print nothing.
    let assignments = words.iter().take_while(|w| is_assignment(w)).count();
    let words = &words[assignments..];
    if words.is_empty() {
        return Some(Step::Output(String::new(), 0, 1));
    }
    let args = &words[1..];
    Some(match words[0].as_str() {
        "echo" => {
            let (newline, args) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            // dash's echo (Debian) interprets backslashes, busybox's (Alpine) does not.
            if args.iter().any(|a| a.contains('\\')) {
                return None;
            }
            let mut text = args.join(" ");
            if newline {
                text.push('\n');
            }
            Step::Output(text, 0, 2)
        }
        "printf" => Step::Output(printf(args)?, 0, 2),
        "true" | ":" => Step::Output(String::new(), 0, 1),
        "false" => Step::Output(String::new(), 1, 1),
        "exit" => match args {
            [] => Step::Exit(last),
            [n] => Step::Exit(n.parse::<i32>().ok()?.rem_euclid(256)),
            _ => return None,
        },
        "mkdir" | "ln" | "rm" | "cp" | "mv" | "chmod" | "chown" | "touch" | "cd" => {
            Step::Output(String::new(), 0, 5)
        }
        "apt-get" => apt(args, lists)?,
        // apt warns on stderr (merged into a build's output) when it is not on a terminal.
        "apt" => match apt(args, lists)? {
            Step::Output(text, code, millis) => {
                Step::Output(format!("\n{APT_WARNING}\n\n{text}"), code, millis)
            }
            step @ Step::Exit(_) => step,
        },
        _ => return None,
    })
}

/// `printf FORMAT [ARGS…]`: `%s`, `%d`, `%%` and the escapes `\n`, `\t`, `\\`; the format is
/// reused while arguments remain, as POSIX says.
fn printf(args: &[String]) -> Option<String> {
    let (format, mut rest) = args.split_first()?;
    let mut out = String::new();
    loop {
        let mut used = 0;
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '\\' => out.push('\\'),
                    _ => return None,
                },
                '%' => match chars.next()? {
                    '%' => out.push('%'),
                    's' => {
                        out.push_str(rest.get(used).map_or("", String::as_str));
                        used += 1;
                    }
                    'd' => {
                        let n = rest.get(used).map_or(Some(0), |a| a.parse::<i64>().ok())?;
                        out.push_str(&n.to_string());
                        used += 1;
                    }
                    _ => return None,
                },
                c => out.push(c),
            }
        }
        if used == 0 || rest.len() <= used {
            break;
        }
        rest = &rest[used..];
    }
    Some(out)
}

/// apt's `SizeToStr`: at most four digits, one decimal below 100 (`640 kB`, `73.2 MB`).
fn apt_size(bytes: u64) -> String {
    let units = ["", "k", "M", "G", "T"];
    let mut size = bytes as f64;
    for (i, unit) in units.iter().enumerate() {
        if size < 100.0 && i != 0 {
            return format!("{size:.1} {unit}B");
        }
        if size < 10_000.0 {
            return format!("{size:.0} {unit}B");
        }
        size /= 1000.0;
    }
    format!("{size:.0} PB")
}

const APT_READING: &str =
    "Reading package lists...\nBuilding dependency tree...\nReading state information...\n";

/// What `apt` (not `apt-get`) prints on stderr, between empty lines, when its output is not a
/// terminal.
const APT_WARNING: &str =
    "WARNING: apt does not have a stable CLI interface. Use with caution in scripts.";

fn apt(args: &[String], lists: &mut bool) -> Option<Step> {
    // Short options combine (`-qy`, `-yqq`); `-qq` (quiet level 2) implies `-y`.
    let short = |a: &&String| a.len() > 1 && a.starts_with('-') && !a.starts_with("--");
    let quiet = args
        .iter()
        .any(|a| a == "-q=2" || (short(&a) && a.matches('q').count() >= 2));
    let yes = quiet
        || args.iter().any(|a| {
            matches!(a.as_str(), "--yes" | "--assume-yes" | "--force-yes")
                || (short(&a) && a.contains('y') && !a.contains('='))
        });
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match words.first().copied() {
        Some("update") => {
            *lists = true;
            let text = if quiet {
                String::new()
            } else {
                "Get:1 http://deb.debian.org/debian trixie InRelease [140 kB]\n\
                 Get:2 http://deb.debian.org/debian trixie-updates InRelease [47.3 kB]\n\
                 Get:3 http://deb.debian.org/debian-security trixie-security InRelease [43.4 kB]\n\
                 Get:4 http://deb.debian.org/debian trixie/main amd64 Packages [9670 kB]\n\
                 Get:5 http://deb.debian.org/debian trixie-updates/main amd64 Packages [5412 B]\n\
                 Get:6 http://deb.debian.org/debian-security trixie-security/main amd64 Packages [37.6 kB]\n\
                 Fetched 9943 kB in 1s (7649 kB/s)\nReading package lists...\n"
                    .to_owned()
            };
            Some(Step::Output(text, 0, 2_400))
        }
        Some("clean" | "autoclean" | "autoremove") => Some(Step::Output(String::new(), 0, 20)),
        Some("install") => {
            let packages = &words[1..];
            let mut text = if quiet {
                String::new()
            } else {
                APT_READING.to_owned()
            };
            if packages.is_empty() {
                if !quiet {
                    text.push_str(
                        "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n",
                    );
                }
                return Some(Step::Output(text, 0, 300));
            }
            if !*lists {
                let first = packages[0];
                if quiet {
                    APT_READING.clone_into(&mut text);
                }
                text.push_str(&format!("E: Unable to locate package {first}\n"));
                return Some(Step::Output(text, 100, 300));
            }
            let size: u64 = packages
                .iter()
                .map(|p| super::simulate::apt_package_size(p))
                .sum();
            if !quiet {
                text.push_str("The following NEW packages will be installed:\n");
                text.push_str(&format!("  {}\n", packages.join(" ")));
                text.push_str(&format!(
                    "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n",
                    packages.len()
                ));
                text.push_str(&format!(
                    "Need to get {} of archives.\nAfter this operation, {} of additional disk space will be used.\n",
                    apt_size(size / 3),
                    apt_size(size)
                ));
            }
            if !yes {
                // No terminal: apt reads end of input and aborts.
                text.push_str("Do you want to continue? [Y/n] Abort.\n");
                return Some(Step::Output(text, 1, 300));
            }
            if !quiet {
                text.push_str(
                    "debconf: delaying package configuration, since apt-utils is not installed\n",
                );
                for p in packages {
                    text.push_str(&format!("Selecting previously unselected package {p}.\n"));
                }
                for p in packages {
                    text.push_str(&format!("Unpacking {p} ...\n"));
                }
                for p in packages {
                    text.push_str(&format!("Setting up {p} ...\n"));
                }
            }
            let millis = packages
                .iter()
                .map(|p| 1_500 + super::simulate::apt_package_size(p) / 12_000)
                .sum();
            Some(Step::Output(text, 0, millis))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(command: &str) -> Option<(Vec<String>, i32)> {
        emulate(command, false).map(|e| (e.lines.into_iter().map(|(_, l)| l).collect(), e.exit))
    }

    #[test]
    fn echo_printf_and_chains_print_what_sh_prints() {
        let cases: &[(&str, &[&str], i32)] = &[
            (
                r#"echo "Installation de nginx...""#,
                &["Installation de nginx..."],
                0,
            ),
            (
                r"printf 'ligne 1\nligne 2\n' && true",
                &["ligne 1", "ligne 2"],
                0,
            ),
            (
                "echo un; echo deux && echo trois",
                &["un", "deux", "trois"],
                0,
            ),
            ("echo avant && false", &["avant"], 1),
            ("false && echo jamais", &[], 1),
            ("false || echo secours", &["secours"], 0),
            ("exit 3", &[], 3),
            ("echo a; exit 2; echo b", &["a"], 2),
            ("printf '%s-%d\\n' a 1 b 2", &["a-1", "b-2"], 0),
            ("printf 'sans fin'", &["sans fin"], 0),
            ("echo -n x", &["x"], 0),
            ("echo nginx > /etc/installed", &[], 0),
            ("mkdir -p /a && ln -sf /dev/stdout /a/log", &[], 0),
        ];
        for (command, lines, exit) in cases {
            let (got, code) = out(command).unwrap_or_else(|| panic!("{command} is emulated"));
            let want: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            assert_eq!((got, code), (want, *exit), "{command}");
        }
    }

    #[test]
    fn shell_syntax_beyond_lists_is_not_emulated() {
        for command in [
            "echo $HOME",
            "echo a | grep a",
            "sleep 1 &",
            "(echo a)",
            "echo $(date)",
            "npm ci",
            "echo 'a\\nb'",
            "echo a 2> /dev/null",
            "echo a &&",
            "ls *.txt",
        ] {
            assert_eq!(out(command), None, "{command}");
        }
    }

    #[test]
    fn apt_get_install_needs_yes_and_package_lists() {
        let (lines, code) = out("apt-get update && apt-get install nginx").expect("emulated");
        assert_eq!(code, 1);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("Do you want to continue? [Y/n] Abort.")
        );
        assert!(lines.contains(
            &"After this operation, 53.7 MB of additional disk space will be used.".to_owned()
        ));
        let (lines, code) = out("apt-get install -y nginx").expect("emulated");
        assert_eq!(code, 100);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("E: Unable to locate package nginx")
        );
        let (lines, code) =
            out("apt-get update && apt-get install -y nginx && apt-get clean").expect("emulated");
        assert_eq!(code, 0);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("Setting up nginx ...")
        );
        assert_eq!(
            emulate("apt-get install -y curl", true).map(|e| e.exit),
            Some(0)
        );
        assert_eq!(
            out("apt-get -qq update && apt-get -qq install curl"),
            Some((vec![], 0))
        );
        // Combined short options.
        for yes in ["-yq", "-qy", "-yqq", "-y -q", "--assume-yes", "--yes"] {
            let line = format!("apt-get update && apt-get install {yes} nginx");
            assert_eq!(out(&line).map(|o| o.1), Some(0), "{line}");
        }
        // DEBIAN_FRONTEND quiets debconf; apt still asks, reads no answer and aborts.
        let (lines, code) =
            out("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install nginx")
                .expect("emulated");
        assert_eq!(code, 1);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("Do you want to continue? [Y/n] Abort.")
        );
        assert_eq!(out("A=1"), Some((vec![], 0)));
        // `apt` warns first, then asks the same question.
        let (lines, code) = out("apt update && apt install nginx").expect("emulated");
        assert_eq!(code, 1);
        assert_eq!(lines[..3], ["", APT_WARNING, ""]);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("Do you want to continue? [Y/n] Abort.")
        );
    }

    #[test]
    fn apt_sizes_as_apt_prints_them() {
        assert_eq!(apt_size(5_412), "5412 B");
        assert_eq!(apt_size(640_000), "640 kB");
        assert_eq!(apt_size(73_246_000), "73.2 MB");
        assert_eq!(apt_size(24_415_333), "24.4 MB");
    }
}
