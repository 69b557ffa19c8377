//! What a RUN would have produced, since docklab executes nothing: a plausible layer size and
//! duration, from the commands the line chains with `&&`, `;` or `|`.
//!
//! The figures are documented in docs/fidelity.md. Anchors: `apt-get update && apt-get install
//! -y nginx` on Debian trixie-slim gives the size of the official nginx image's big RUN layer
//! (73.2MB, catalog); package indexes (`apt-get update`) weigh 19.5MB unless the same RUN removes
//! `/var/lib/apt/lists`; `apk add` packages are small (Alpine); `pip install` and `npm install`
//! bring tens of MB. File-level commands (`mkdir`, `ln`, `chmod`, `echo … >`) weigh what they
//! write: `echo nginx > f` is 6 bytes, as the real builder shows.

// "BuildKit" is a product name, not code.
#![allow(clippy::doc_markdown)]

/// Sizes in bytes (decimal, as Docker shows them).
const MB: u64 = 1_000_000;
const KB: u64 = 1_000;

/// Per-package sizes for `apt-get install` on Debian/Ubuntu (installed size, recommends off).
const APT_PACKAGES: &[(&str, u64)] = &[
    ("nginx", 73_246_000 - APT_LISTS),
    ("curl", 11_200 * KB),
    ("wget", 3_900 * KB),
    ("git", 62 * MB),
    ("python3", 56 * MB),
    ("python3-pip", 24 * MB),
    ("vim", 38 * MB),
    ("nano", 2_100 * KB),
    ("ca-certificates", 1_200 * KB),
    ("apache2", 48 * MB),
    ("nodejs", 92 * MB),
    ("default-jre", 210 * MB),
    ("build-essential", 228 * MB),
    ("iputils-ping", 290 * KB),
    ("procps", 2_800 * KB),
    ("net-tools", 1_000 * KB),
];
/// `apt-get update`'s package lists on trixie (kept unless removed in the same RUN).
const APT_LISTS: u64 = 19_500 * KB;

const APK_PACKAGES: &[(&str, u64)] = &[
    ("nginx", 1_500 * KB),
    ("curl", 2_600 * KB),
    ("git", 14 * MB),
    ("python3", 45 * MB),
    ("py3-pip", 12 * MB),
    ("bash", 2_200 * KB),
    ("nodejs", 60 * MB),
    ("npm", 18 * MB),
    ("openjdk17", 190 * MB),
];
/// `apk add` without `--no-cache` keeps the APKINDEX files.
const APK_INDEX: u64 = 2_500 * KB;

/// The simulated result of one RUN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunEffect {
    /// Bytes Docker would show for the layer.
    pub size: u64,
    /// How long it would have run, in milliseconds.
    pub millis: u64,
}

/// Estimates what `command` (the shell text, or the exec form joined with spaces) would do.
pub fn run_effect(command: &str) -> RunEffect {
    let removes_apt_lists = command.contains("/var/lib/apt/lists");
    let mut size = 0u64;
    let mut millis = 150u64;
    for part in split_commands(command) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let Some(&first) = words.first() else {
            continue;
        };
        let args: Vec<&str> = words[1..]
            .iter()
            .copied()
            .filter(|w| !w.starts_with('-'))
            .collect();
        match first {
            "apt-get" | "apt" => match args.first().copied() {
                Some("update") => {
                    if !removes_apt_lists {
                        size += APT_LISTS;
                    }
                    millis += 2_400;
                }
                Some("install") => {
                    for pkg in &args[1..] {
                        let name = pkg.split(['=', ':']).next().unwrap_or(pkg);
                        let s = lookup(APT_PACKAGES, name).unwrap_or(15 * MB);
                        size += s;
                        millis += 1_500 + s / (12 * KB);
                    }
                }
                Some("upgrade" | "dist-upgrade") => {
                    size += 4 * MB;
                    millis += 3_000;
                }
                _ => millis += 300,
            },
            "apk" => {
                if args.first() == Some(&"add") {
                    if !part.contains("--no-cache") {
                        size += APK_INDEX;
                    }
                    for pkg in &args[1..] {
                        let name = pkg.split(['=', '~', '>', '<']).next().unwrap_or(pkg);
                        let s = lookup(APK_PACKAGES, name).unwrap_or(3 * MB);
                        size += s;
                        millis += 400 + s / (40 * KB);
                    }
                }
            }
            "yum" | "dnf" | "microdnf" => {
                if args.first() == Some(&"install") {
                    size += 60 * MB + 25 * MB * (args.len() as u64).saturating_sub(1);
                    millis += 15_000;
                }
            }
            "pip" | "pip3" => {
                if args.first() == Some(&"install") {
                    size += if part.contains("-r ") {
                        48 * MB
                    } else {
                        9 * MB * (args.len() as u64).saturating_sub(1).max(1)
                    };
                    millis += 6_000;
                }
            }
            "npm" | "yarn" | "pnpm" => {
                if matches!(args.first(), Some(&"install" | &"ci" | &"i") | None) {
                    size += 65 * MB;
                    millis += 12_000;
                } else if args.first() == Some(&"run") {
                    size += 2 * MB;
                    millis += 5_000;
                }
            }
            "go" | "cargo" | "mvn" | "gradle" | "make" => {
                size += 25 * MB;
                millis += 20_000;
            }
            "echo" | "printf" => {
                if let Some((text, _)) = redirected_text(&part) {
                    size += text.len() as u64 + u64::from(first == "echo");
                }
                millis += 10;
            }
            "curl" | "wget" => {
                size += 5 * MB;
                millis += 1_500;
            }
            // mkdir, ln, chmod, chown, rm, useradd, cp, mv, touch, sed, apt-get clean…: tiny.
            _ => millis += 20,
        }
    }
    RunEffect { size, millis }
}

/// What `apt-get install PKG` adds (a package this table does not know weighs 15MB).
pub fn apt_package_size(package: &str) -> u64 {
    let name = package.split(['=', ':']).next().unwrap_or(package);
    lookup(APT_PACKAGES, name).unwrap_or(15 * MB)
}

fn lookup(table: &[(&str, u64)], name: &str) -> Option<u64> {
    table.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// `echo TEXT > FILE`: TEXT without its quotes.
fn redirected_text(part: &str) -> Option<(String, String)> {
    let (left, right) = part.split_once('>')?;
    let text = left.split_once(char::is_whitespace)?.1.trim();
    let text = text.trim_matches(['"', '\'']).to_owned();
    Some((text, right.trim_start_matches('>').trim().to_owned()))
}

/// The simple commands of a line, split on `&&`, `||`, `;` and `|`.
fn split_commands(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = command.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some(_) | None, c) if !matches!((quote, c), (None, '"' | '\'' | ';' | '&' | '|')) => {
                current.push(c);
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                current.push(c);
            }
            (None, ';') => out.push(std::mem::take(&mut current)),
            (None, '&' | '|') => {
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                out.push(std::mem::take(&mut current));
            }
            (_, c) => current.push(c),
        }
    }
    out.push(current);
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_the_documented_anchors() {
        let nginx =
            run_effect("apt-get update     && apt-get install -y nginx     && apt-get clean");
        assert_eq!(nginx.size, 73_246_000);
        let cleaned =
            run_effect("apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/*");
        assert_eq!(cleaned.size, 73_246_000 - APT_LISTS);
        assert_eq!(
            run_effect("mkdir -p /var/log/nginx     && echo nginx > /etc/nginx-installed").size,
            6
        );
        assert_eq!(
            run_effect("ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log").size,
            0
        );
        assert!(run_effect("apk add --no-cache curl").size < 5 * MB);
        assert!(run_effect("npm ci").size > 50 * MB);
        assert!(nginx.millis > 5_000);
    }

    #[test]
    fn commands_split_outside_quotes() {
        assert_eq!(
            split_commands("a && b || c; d | e 'x && y'"),
            ["a", "b", "c", "d", "e 'x && y'"]
        );
    }
}
