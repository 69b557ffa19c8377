//! `.dockerignore` as Docker reads it (`moby/patternmatcher` and its `ignorefile`): `*`, `?`,
//! `**`, `[…]` classes, `\` escapes, `!` exceptions (the last matching pattern wins), comments,
//! leading `/` and `./` cleaned away, and whether a directory can be skipped whole.

use std::fmt;

/// A pattern the matcher cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    /// A lone `!`.
    #[error("illegal exclusion pattern: \"!\"")]
    IllegalExclusion,
    /// An unclosed `[` or a dangling `\`.
    #[error("syntax error in pattern")]
    BadPattern,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// `*`: any run of non-separators.
    Star,
    /// `?`: one non-separator.
    One,
    /// `**` at the end or not followed by `/`: anything.
    Any,
    /// `**/`: zero or more whole directories.
    Dirs,
    /// `[...]`.
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

/// One compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The cleaned pattern, without `!`.
    pub text: String,
    /// `!pattern`: re-include what earlier patterns excluded.
    pub exclusion: bool,
    toks: Vec<Tok>,
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.exclusion {
            f.write_str("!")?;
        }
        f.write_str(&self.text)
    }
}

/// Go's `filepath.Clean` for a relative or absolute slash path.
pub fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".to_owned();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    let body = out.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".to_owned(),
        (false, false) => body,
    }
}

/// Reads a `.dockerignore` into patterns as `ignorefile.ReadAll` does.
pub fn read_patterns(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut p = line.trim();
        if p.is_empty() {
            continue;
        }
        let invert = p.starts_with('!');
        if invert {
            p = p[1..].trim();
        }
        let mut cleaned = String::new();
        if !p.is_empty() {
            cleaned = clean(p);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        out.push(if invert {
            format!("!{cleaned}")
        } else {
            cleaned
        });
    }
    out
}

fn compile(p: &str) -> Result<Vec<Tok>, IgnoreError> {
    let chars: Vec<char> = p.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                    toks.push(Tok::Dirs);
                } else {
                    toks.push(Tok::Any);
                }
            }
            '*' => toks.push(Tok::Star),
            '?' => toks.push(Tok::One),
            '\\' => match chars.get(i) {
                Some(&n) => {
                    i += 1;
                    toks.push(Tok::Lit(n));
                }
                None => return Err(IgnoreError::BadPattern),
            },
            '[' => {
                let mut negated = false;
                if matches!(chars.get(i), Some('^')) {
                    negated = true;
                    i += 1;
                }
                let mut items = Vec::new();
                let mut first = true;
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(IgnoreError::BadPattern);
                    };
                    i += 1;
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    let lo = if c == '\\' {
                        let n = *chars.get(i).ok_or(IgnoreError::BadPattern)?;
                        i += 1;
                        n
                    } else {
                        c
                    };
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
                        let hi = chars[i + 1];
                        i += 2;
                        if hi < lo {
                            return Err(IgnoreError::BadPattern);
                        }
                        items.push((lo, hi));
                    } else {
                        items.push((lo, lo));
                    }
                }
                toks.push(Tok::Class { negated, items });
            }
            c => toks.push(Tok::Lit(c)),
        }
    }
    Ok(toks)
}

fn one(t: &Tok, c: char) -> bool {
    match t {
        Tok::Lit(l) => *l == c,
        Tok::One => c != '/',
        Tok::Class { negated, items } => {
            items.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)) != *negated
        }
        Tok::Star | Tok::Any | Tok::Dirs => false,
    }
}

/// Whole-string match by dynamic programming: linear in pattern × path, no backtracking.
fn matches(toks: &[Tok], s: &[char]) -> bool {
    let m = s.len();
    let mut next = vec![false; m + 1];
    next[m] = true; // empty pattern matches only the end
    for t in toks.iter().rev() {
        let mut cur = vec![false; m + 1];
        match t {
            Tok::Star | Tok::Any => {
                for j in (0..=m).rev() {
                    cur[j] = next[j] || (j < m && (s[j] != '/' || *t == Tok::Any) && cur[j + 1]);
                }
            }
            Tok::Dirs => {
                // (.*/)? : empty, or any text ending with '/'.
                let mut acc = false;
                for j in (0..=m).rev() {
                    if j < m && s[j] == '/' && next[j + 1] {
                        acc = true;
                    }
                    cur[j] = next[j] || acc;
                }
            }
            _ => {
                for j in 0..m {
                    cur[j] = one(t, s[j]) && next[j + 1];
                }
            }
        }
        next = cur;
    }
    next[0]
}

impl Pattern {
    /// Whether the pattern matches `path` (slash-separated, relative to the context).
    pub fn matches(&self, path: &str) -> bool {
        let s: Vec<char> = path.chars().collect();
        matches(&self.toks, &s)
    }
}

/// The compiled `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// Compiles patterns (as from [`read_patterns`]).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Self, IgnoreError> {
        let mut out = Vec::new();
        for p in patterns {
            let mut p = p.as_ref().trim();
            if p.is_empty() {
                continue;
            }
            let exclusion = p.starts_with('!');
            if exclusion {
                if p.len() == 1 {
                    return Err(IgnoreError::IllegalExclusion);
                }
                p = &p[1..];
            }
            let text = clean(p);
            let toks = compile(&text)?;
            out.push(Pattern {
                text,
                exclusion,
                toks,
            });
        }
        Ok(Self { patterns: out })
    }

    /// Reads and compiles a `.dockerignore` file's text.
    pub fn from_dockerignore(text: &str) -> Result<Self, IgnoreError> {
        Self::new(&read_patterns(text))
    }

    /// The patterns in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether `path` (relative to the context, `/` separators) is left out of the context:
    /// the last pattern matching it or one of its parent directories decides.
    pub fn is_ignored(&self, path: &str) -> bool {
        let path = clean(path.trim_start_matches('/'));
        let parents: Vec<&str> = path.split('/').collect();
        let parent_count = parents.len().saturating_sub(1);
        let mut matched = false;
        for p in &self.patterns {
            if p.exclusion != matched {
                continue;
            }
            let mut m = p.matches(&path);
            if !m {
                for i in 1..=parent_count {
                    if p.matches(&parents[..i].join("/")) {
                        m = true;
                        break;
                    }
                }
            }
            if m {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// Whether a walk of the context can skip directory `dir` without looking inside: it is
    /// ignored and no `!` exception could re-include anything below it.
    pub fn can_skip_dir(&self, dir: &str) -> bool {
        if !self.is_ignored(dir) {
            return false;
        }
        let dir_slash = format!("{}/", clean(dir.trim_start_matches('/')));
        !self.patterns.iter().any(|p| {
            p.exclusion
                && (format!("{}/", p.text).starts_with(&dir_slash)
                    // An exception with wildcards might match inside: be safe, walk it.
                    || p.text.contains(['*', '?', '[', '\\']))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // (patterns, path, ignored). Semantics from moby/patternmatcher's tests and docs
    // (docs.docker.com "Build context" › .dockerignore).
    const CASES: &[(&[&str], &str, bool)] = &[
        (&["*.md"], "README.md", true),
        (&["*.md"], "docs/README.md", false),
        (&["*/*.md"], "docs/README.md", true),
        (&["**/*.md"], "a/b/c/README.md", true),
        (&["**/*.md"], "README.md", true),
        (&["temp?"], "temp1", true),
        (&["temp?"], "temp12", false),
        (&["node_modules"], "node_modules/x/y.js", true),
        (&["/node_modules"], "node_modules/x", true),
        (&["./build/"], "build/out.o", true),
        (&["*.md", "!README.md"], "README.md", false),
        (&["*.md", "!README.md"], "CHANGES.md", true),
        (
            &["*.md", "!README*.md", "README-secret.md"],
            "README-secret.md",
            true,
        ),
        (
            &["*.md", "README-secret.md", "!README*.md"],
            "README-secret.md",
            false,
        ),
        (&["[a-c].txt"], "b.txt", true),
        (&["[^a-c].txt"], "b.txt", false),
        (&["[^a-c].txt"], "d.txt", true),
        (&["a\\*b"], "a*b", true),
        (&["a\\*b"], "axb", false),
        (&["dir/**"], "dir/a/b", true),
        (&["dir/**"], "dir", false),
        (&["**"], "anything/at/all", true),
        (&["a/**/b"], "a/b", true),
        (&["a/**/b"], "a/x/y/b", true),
        (&["*"], "a/b", true),
        (&[".git"], ".gitignore", false),
        (&["Dockerfile", ".dockerignore"], "Dockerfile", true),
    ];

    #[test]
    fn table() {
        for (patterns, path, want) in CASES {
            let m = Matcher::from_dockerignore(&patterns.join("\n")).expect("valid patterns");
            assert_eq!(m.is_ignored(path), *want, "{patterns:?} on {path}");
        }
    }

    #[test]
    fn reading_a_dockerignore() {
        let text = "# comment\n\n  *.log  \n/abs/path\n!./keep/me\n #not a comment\n";
        assert_eq!(
            read_patterns(text),
            ["*.log", "abs/path", "!keep/me", "#not a comment"]
        );
    }

    #[test]
    fn bad_patterns() {
        assert_eq!(
            Matcher::new(&["!"]).unwrap_err(),
            IgnoreError::IllegalExclusion
        );
        assert_eq!(
            Matcher::new(&["[abc"]).unwrap_err(),
            IgnoreError::BadPattern
        );
        assert_eq!(
            Matcher::new(&["abc\\"]).unwrap_err(),
            IgnoreError::BadPattern
        );
    }

    #[test]
    fn skipping_directories() {
        let m = Matcher::new(&["node_modules", "build", "!build/keep.txt"]).expect("valid");
        assert!(m.can_skip_dir("node_modules"));
        assert!(!m.can_skip_dir("build"));
        assert!(!m.can_skip_dir("src"));
        let m = Matcher::new(&["vendor", "!**/LICENSE"]).expect("valid");
        assert!(!m.can_skip_dir("vendor"));
    }

    #[test]
    fn no_blowup_on_many_stars() {
        let p = "*a".repeat(200);
        let m = Matcher::new(&[p.as_str()]).expect("valid");
        assert!(!m.is_ignored(&"a".repeat(150)));
    }
}
