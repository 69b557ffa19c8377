//! BuildKit's shell-word lexer (`frontend/dockerfile/shell/lex.go`): quotes, escapes and
//! `$VAR` / `${VAR…}` expansion, as the builder applies it to ENV, LABEL, COPY, … words.
//!
//! The builder does not run a shell: this is the small subset of POSIX word expansion BuildKit
//! implements itself, with its quirks (unset variables expand to the empty string, `${VAR?msg}`
//! fails the build, `<<` is kept glued to the following word for heredoc detection).

use std::fmt;

/// Where expanded variables come from.
pub trait Env {
    /// The value of `name`, or `None` when it is not set (set-but-empty is `Some("")`).
    fn get(&self, name: &str) -> Option<&str>;
}

/// No variable is set.
pub struct NoEnv;

impl Env for NoEnv {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }
}

impl Env for [(String, String)] {
    fn get(&self, name: &str) -> Option<&str> {
        // Later definitions win, as in an environment list built by appending.
        self.iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Env for Vec<(String, String)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

/// Why a word could not be expanded. Display gives BuildKit's inner message; [`ExpandError`]
/// adds the `failed to process "…"` wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpandErrorKind {
    /// `unexpected end of statement while looking for matching }`
    UnexpectedEnd(char),
    /// `'abc` without the closing quote.
    UnmatchedSingleQuote,
    /// `"abc` without the closing quote.
    UnmatchedDoubleQuote,
    /// `${A` at the end of the word.
    MissingBrace,
    /// `${}`, `${:x}`, `${{x}`.
    BadSubstitution,
    /// `${A/x` without the second slash.
    MissingSlash,
    /// `${A:#x}`, `${A!x}`, …
    UnsupportedModifier(String),
    /// `${A?message}` with A unset (or empty with `:?`).
    Required { name: String, message: String },
    /// The expansion grew past [`MAX_EXPANDED`] (`ENV A=$A$A` line after line): docklab's
    /// limit, where BuildKit would go on until memory runs out.
    TooLong,
    /// A `${A%…}`, `${A#…}` or `${A/…}` over a value too long for its pattern: docklab's
    /// limit on the matcher's work.
    PatternTooCostly,
}

/// The longest word an expansion may produce: far above any real ENV, LABEL or ARG value,
/// and the image config that holds them is bounded anyway (`MAX_CONFIG_BYTES`).
pub const MAX_EXPANDED: usize = 1 << 20;

impl fmt::Display for ExpandErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedEnd(c) => {
                write!(
                    f,
                    "unexpected end of statement while looking for matching {c}"
                )
            }
            Self::UnmatchedSingleQuote => {
                f.write_str("unexpected end of statement while looking for matching single-quote")
            }
            Self::UnmatchedDoubleQuote => {
                f.write_str("unexpected end of statement while looking for matching double-quote")
            }
            Self::MissingBrace => f.write_str("syntax error: missing '}'"),
            Self::BadSubstitution => f.write_str("syntax error: bad substitution"),
            Self::MissingSlash => f.write_str("syntax error: missing '/' in ${}"),
            Self::UnsupportedModifier(m) => write!(f, "unsupported modifier ({m}) in substitution"),
            Self::Required { name, message } => write!(f, "{name}: {message}"),
            Self::PatternTooCostly => write!(
                f,
                "pattern substitution needs more than docklab's limit of {MAX_PATTERN_STEPS} \
                 matching steps"
            ),
            Self::TooLong => write!(
                f,
                "expanded value is longer than docklab's limit of {MAX_EXPANDED} bytes"
            ),
        }
    }
}

/// A word that could not be expanded: `failed to process "${A": syntax error: missing '}'`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to process {}: {kind}", super::error::go_quote(.word))]
pub struct ExpandError {
    /// The word as written.
    pub word: String,
    /// What went wrong.
    pub kind: ExpandErrorKind,
}

/// Options of BuildKit's `shell.Lex`.
#[derive(Debug, Clone, Copy)]
pub struct Lexer {
    /// `\` or `` ` `` (the `# escape=` directive).
    pub escape: char,
    /// Keep quote characters in the output (used to detect quoted heredoc delimiters).
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Leave `$UNSET` as written instead of expanding it to nothing.
    pub skip_unset_env: bool,
}

impl Lexer {
    /// The lexer the builder uses for instruction words.
    pub fn new(escape: char) -> Self {
        Self {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_unset_env: false,
        }
    }

    /// Expands one word (quotes removed, variables substituted), BuildKit's `ProcessWord`.
    pub fn process_word(
        self,
        word: &str,
        env: &(impl Env + ?Sized),
    ) -> Result<String, ExpandError> {
        self.run(word, env).map(|(w, _)| w)
    }

    /// Expands and splits into words on unquoted whitespace, BuildKit's `ProcessWords`.
    pub fn process_words(
        self,
        word: &str,
        env: &(impl Env + ?Sized),
    ) -> Result<Vec<String>, ExpandError> {
        self.run(word, env).map(|(_, ws)| ws)
    }

    fn run(
        self,
        word: &str,
        env: &(impl Env + ?Sized),
    ) -> Result<(String, Vec<String>), ExpandError> {
        let mut w = Word {
            chars: word.chars().collect(),
            pos: 0,
            lex: self,
            raw_escapes: self.raw_escapes,
            env: &|name: &str| env.get(name).map(str::to_owned),
            depth: 0,
        };
        w.process_stop_on(None, self.raw_escapes)
            .map_err(|kind| ExpandError {
                word: word.to_owned(),
                kind,
            })
    }
}

struct Word<'a> {
    chars: Vec<char>,
    pos: usize,
    lex: Lexer,
    raw_escapes: bool,
    env: &'a dyn Fn(&str) -> Option<String>,
    depth: usize,
}

#[derive(Default)]
struct Words {
    buf: String,
    done: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char) {
        if ch.is_whitespace() {
            if self.in_word && !self.buf.is_empty() {
                self.done.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(ch);
        }
    }
    fn add_raw_char(&mut self, ch: char) {
        self.buf.push(ch);
        self.in_word = true;
    }
    fn add_string(&mut self, s: &str) {
        for c in s.chars() {
            self.add_char(c);
        }
    }
    fn add_raw_string(&mut self, s: &str) {
        self.buf.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.done.push(std::mem::take(&mut self.buf));
        }
        self.done
    }
}

/// Nested `${A:-${B:-…}}` deeper than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

impl Word<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ExpandErrorKind> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let r = self.process_stop_on_inner(stop);
        self.raw_escapes = saved;
        r
    }

    fn process_stop_on_inner(
        &mut self,
        stop: Option<char>,
    ) -> Result<(String, Vec<String>), ExpandErrorKind> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(ch) = self.peek() {
            if Some(ch) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match ch {
                '$' => {
                    let tmp = self.process_dollar()?;
                    if result.len().saturating_add(tmp.len()) > MAX_EXPANDED {
                        return Err(ExpandErrorKind::TooLong);
                    }
                    result.push_str(&tmp);
                    words.add_string(&tmp);
                }
                '<' => {
                    let tmp = self.process_possible_heredoc();
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '\'' => {
                    let tmp = self.process_single_quote()?;
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                '"' => {
                    let tmp = self.process_double_quote()?;
                    if result.len().saturating_add(tmp.len()) > MAX_EXPANDED {
                        return Err(ExpandErrorKind::TooLong);
                    }
                    result.push_str(&tmp);
                    words.add_raw_string(&tmp);
                }
                _ => {
                    self.next();
                    let mut ch = ch;
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            words.add_raw_char(ch);
                            result.push(ch);
                        }
                        match self.next() {
                            None => break,
                            Some(c) => {
                                ch = c;
                                words.add_raw_char(ch);
                            }
                        }
                    } else {
                        words.add_char(ch);
                    }
                    result.push(ch);
                }
            }
        }
        if let Some(c) = stop {
            return Err(ExpandErrorKind::UnexpectedEnd(c));
        }
        Ok((result, words.finish()))
    }

    fn process_single_quote(&mut self) -> Result<String, ExpandErrorKind> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.next() {
                None => return Err(ExpandErrorKind::UnmatchedSingleQuote),
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Result<String, ExpandErrorKind> {
        let mut result = String::new();
        let open = self.next();
        if self.lex.raw_quotes {
            result.extend(open);
        }
        loop {
            match self.peek() {
                None => return Err(ExpandErrorKind::UnmatchedDoubleQuote),
                Some('"') => {
                    self.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let tmp = self.process_dollar()?;
                    if result.len().saturating_add(tmp.len()) > MAX_EXPANDED {
                        return Err(ExpandErrorKind::TooLong);
                    }
                    result.push_str(&tmp);
                }
                Some(mut ch) => {
                    self.next();
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            result.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(c) if c == '"' || c == '$' || c == self.lex.escape => {
                                self.next();
                                ch = c;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    fn process_possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".to_owned();
        }
        self.next();
        let mut out = "<<".to_owned();
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            out.push(c);
            self.next();
        }
        out
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.peek() {
            if name.is_empty() && ch.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return ch.to_string();
            }
            if !ch.is_alphanumeric() && ch != '_' {
                break;
            }
            self.next();
            name.push(ch);
        }
        name
    }

    fn get_env(&self, name: &str) -> Option<String> {
        (self.env)(name)
    }

    fn process_dollar(&mut self) -> Result<String, ExpandErrorKind> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err(ExpandErrorKind::MissingBrace),
            Some('{' | '}' | ':') => return Err(ExpandErrorKind::BadSubstitution),
            Some(_) => {}
        }
        if self.depth >= MAX_DEPTH {
            return Err(ExpandErrorKind::BadSubstitution);
        }
        self.depth += 1;
        let r = self.process_braced();
        self.depth -= 1;
        r
    }

    fn process_braced(&mut self) -> Result<String, ExpandErrorKind> {
        let name = self.process_name();
        let Some(mut ch) = self.next() else {
            return Err(ExpandErrorKind::MissingBrace);
        };
        let mut chs = ch.to_string();
        match ch {
            '}' => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            ':' | '+' | '-' | '?' | '#' | '%' => {
                let null_is_unset = ch == ':';
                if null_is_unset {
                    match self.next() {
                        Some(c) => {
                            ch = c;
                            chs.push(c);
                        }
                        None => return Err(ExpandErrorKind::MissingBrace),
                    }
                }
                let raw = ch == '#' || ch == '%';
                if null_is_unset && raw {
                    return Err(ExpandErrorKind::UnsupportedModifier(chs));
                }
                let word = match self.process_stop_on(Some('}'), raw) {
                    Ok((w, _)) => w,
                    Err(e) => {
                        return Err(if self.peek().is_none() {
                            ExpandErrorKind::MissingBrace
                        } else {
                            e
                        })
                    }
                };
                let value = self.get_env(&name);
                if self.lex.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                let empty_as_unset =
                    |v: &Option<String>| v.is_none() || (null_is_unset && v.as_deref() == Some(""));
                match ch {
                    '-' => Ok(if empty_as_unset(&value) {
                        word
                    } else {
                        value.unwrap_or_default()
                    }),
                    '+' => Ok(if empty_as_unset(&value) {
                        String::new()
                    } else {
                        word
                    }),
                    '?' => match value {
                        None => Err(ExpandErrorKind::Required {
                            name,
                            message: if word.is_empty() {
                                "is not allowed to be unset".to_owned()
                            } else {
                                word
                            },
                        }),
                        Some(v) if null_is_unset && v.is_empty() => {
                            Err(ExpandErrorKind::Required {
                                name,
                                message: if word.is_empty() {
                                    "is not allowed to be empty".to_owned()
                                } else {
                                    word
                                },
                            })
                        }
                        Some(v) => Ok(v),
                    },
                    '%' | '#' => {
                        let value = value.unwrap_or_default();
                        let (greedy, pattern) = match word.strip_prefix(ch) {
                            Some(rest) => (true, rest.to_owned()),
                            None => (false, word),
                        };
                        let pat = Pattern::parse(&pattern);
                        let trimmed = if ch == '%' {
                            pat.trim_suffix(&value, greedy)
                        } else {
                            pat.trim_prefix(&value, greedy)
                        };
                        if pat.exhausted() {
                            return Err(ExpandErrorKind::PatternTooCostly);
                        }
                        Ok(trimmed)
                    }
                    _ => Err(ExpandErrorKind::UnsupportedModifier(chs)),
                }
            }
            '/' => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let pattern = match self.process_stop_on(Some('/'), true) {
                    Ok((w, _)) => w,
                    Err(e) => {
                        return Err(if self.peek().is_none() {
                            ExpandErrorKind::MissingSlash
                        } else {
                            e
                        })
                    }
                };
                let replacement = match self.process_stop_on(Some('}'), true) {
                    Ok((w, _)) => w,
                    Err(e) => {
                        return Err(if self.peek().is_none() {
                            ExpandErrorKind::MissingBrace
                        } else {
                            e
                        })
                    }
                };
                let Some(value) = self.get_env(&name) else {
                    if self.lex.skip_unset_env {
                        return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                    }
                    return Ok(String::new());
                };
                let pat = Pattern::parse(&pattern);
                match pat.replace(&value, &replacement, all) {
                    Some(out) => Ok(out),
                    None if pat.exhausted() => Err(ExpandErrorKind::PatternTooCostly),
                    None => Err(ExpandErrorKind::TooLong),
                }
            }
            _ => Err(ExpandErrorKind::UnsupportedModifier(chs)),
        }
    }
}

/// A shell pattern of `${A%pat}`, `${A#pat}`, `${A/pat/rep}`: `*`, `?`, `\x`, literals.
/// Trimming and replacing try the pattern at every position and length, which is cubic in the
/// value's length: `steps` counts the matcher's work so that a long value ends with an error
/// ([`MAX_PATTERN_STEPS`]) instead of running for hours.
#[derive(Debug)]
struct Pattern(Vec<Tok>, std::cell::Cell<u64>);

/// Matcher steps one `${A%…}`, `${A#…}` or `${A/…}` may take (about a second).
const MAX_PATTERN_STEPS: u64 = 50_000_000;

#[derive(Debug, Clone, Copy)]
enum Tok {
    Star,
    Any,
    Lit(char),
}

impl Pattern {
    fn parse(s: &str) -> Self {
        let mut out = Vec::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            out.push(match c {
                '*' => Tok::Star,
                '?' => Tok::Any,
                '\\' => Tok::Lit(it.next().unwrap_or('\\')),
                c => Tok::Lit(c),
            });
        }
        Self(out, std::cell::Cell::new(0))
    }

    /// Whether the matcher ran out of steps (its answers are then meaningless).
    fn exhausted(&self) -> bool {
        self.1.get() > MAX_PATTERN_STEPS
    }

    /// Whether the whole of `s` matches.
    fn matches(&self, s: &[char]) -> bool {
        // Iterative glob matching with single-star backtracking: linear-ish, no recursion.
        let p = &self.0;
        let (mut pi, mut si) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while si < s.len() {
            let steps = self.1.get() + 1;
            self.1.set(steps);
            if steps > MAX_PATTERN_STEPS {
                return false;
            }
            match p.get(pi) {
                Some(Tok::Star) => {
                    star = Some((pi, si));
                    pi += 1;
                }
                Some(Tok::Any) => {
                    pi += 1;
                    si += 1;
                }
                Some(Tok::Lit(c)) if *c == s[si] => {
                    pi += 1;
                    si += 1;
                }
                _ => match star {
                    Some((sp, ss)) => {
                        pi = sp + 1;
                        si = ss + 1;
                        star = Some((sp, ss + 1));
                    }
                    None => return false,
                },
            }
        }
        p[pi.min(p.len())..].iter().all(|t| matches!(t, Tok::Star))
    }

    fn trim_prefix(&self, value: &str, greedy: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let lens: Box<dyn Iterator<Item = usize>> = if greedy {
            Box::new((0..=chars.len()).rev())
        } else {
            Box::new(0..=chars.len())
        };
        for n in lens {
            if self.exhausted() {
                break;
            }
            if self.matches(&chars[..n]) {
                return chars[n..].iter().collect();
            }
        }
        value.to_owned()
    }

    fn trim_suffix(&self, value: &str, greedy: bool) -> String {
        let chars: Vec<char> = value.chars().collect();
        let starts: Box<dyn Iterator<Item = usize>> = if greedy {
            Box::new(0..=chars.len())
        } else {
            Box::new((0..=chars.len()).rev())
        };
        for i in starts {
            if self.exhausted() {
                break;
            }
            if self.matches(&chars[i..]) {
                return chars[..i].iter().collect();
            }
        }
        value.to_owned()
    }

    /// `None` when the result would pass [`MAX_EXPANDED`] (`${A//?/$A}` squares A's length).
    fn replace(&self, value: &str, replacement: &str, all: bool) -> Option<String> {
        let chars: Vec<char> = value.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        let mut replaced = false;
        while i <= chars.len() {
            if self.exhausted() {
                return None;
            }
            let found = if replaced && !all {
                None
            } else {
                // Leftmost, longest non-empty match (Go's regexp is leftmost-first greedy).
                (i + 1..=chars.len())
                    .rev()
                    .find(|&end| self.matches(&chars[i..end]))
            };
            if let Some(end) = found {
                if out.len().saturating_add(replacement.len()) > MAX_EXPANDED {
                    return None;
                }
                out.push_str(replacement);
                i = end;
                replaced = true;
            } else {
                if let Some(c) = chars.get(i) {
                    out.push(*c);
                }
                i += 1;
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<(String, String)> {
        [
            ("A", "1"),
            ("E", ""),
            ("P", "/usr/local/bin"),
            ("S", "a b  c"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    }

    #[test]
    fn expansions_that_grow_or_backtrack_without_bound_are_errors() {
        let lexer = Lexer::new('\\');
        let half = "x".repeat(MAX_EXPANDED / 2 + 1);
        let env: Vec<(String, String)> =
            vec![("A".into(), half.clone()), ("X".into(), "xx".into())];
        let err = |w: &str| lexer.process_word(w, &env).map_err(|e| e.kind);
        assert_eq!(err("$A").map(|s| s.len()), Ok(half.len()));
        assert_eq!(err("$A$A"), Err(ExpandErrorKind::TooLong));
        assert_eq!(err("\"$A$A\""), Err(ExpandErrorKind::TooLong));
        assert_eq!(err("${X//x/$A}"), Err(ExpandErrorKind::TooLong));
        let env: Vec<(String, String)> = vec![("A".into(), "a".repeat(60_000))];
        let err = |w: &str| lexer.process_word(w, &env).map_err(|e| e.kind);
        let start = std::time::Instant::now();
        assert_eq!(err("${A//*b/c}"), Err(ExpandErrorKind::PatternTooCostly));
        assert_eq!(err("${A%%*b}"), Err(ExpandErrorKind::PatternTooCostly));
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
        let message = lexer
            .process_word("$A$A", &vec![("A".to_owned(), half)])
            .expect_err("too long")
            .to_string();
        assert_eq!(
            message,
            "failed to process \"$A$A\": expanded value is longer than docklab's limit of \
             1048576 bytes"
        );
    }

    macro_rules! word {
        ($($name:ident: $input:expr => $out:expr,)*) => {$(
            #[test]
            fn $name() {
                let expected: Result<&str, &str> = $out;
                let got = Lexer::new('\\').process_word($input, &env()).map_err(|e| e.to_string());
                assert_eq!(got.as_deref().map_err(String::as_str), expected);
            }
        )*};
    }

    word! {
        plain: "abc" => Ok("abc"),
        dollar: "$A-x" => Ok("1-x"),
        braces: "${A}x" => Ok("1x"),
        unset: "[$NOPE]" => Ok("[]"),
        default_unset: "${NOPE:-d}" => Ok("d"),
        default_empty_colon: "${E:-d}" => Ok("d"),
        default_empty_nocolon: "${E-d}" => Ok(""),
        default_set: "${A:-d}" => Ok("1"),
        alt_set: "${A:+alt}" => Ok("alt"),
        alt_unset: "${NOPE+alt}" => Ok(""),
        alt_empty_colon: "${E:+alt}" => Ok(""),
        alt_empty_nocolon: "${E+alt}" => Ok("alt"),
        nested: "${NOPE:-${A}}" => Ok("1"),
        escaped_dollar: "\\$A" => Ok("$A"),
        single_quotes: "'$A'" => Ok("$A"),
        double_quotes: "\"$A b\"" => Ok("1 b"),
        double_escape: "\"\\$A \\x\"" => Ok("$A \\x"),
        lone_dollar: "a$" => Ok("a$"),
        trim_suffix: "${P%/*}" => Ok("/usr/local"),
        trim_suffix_greedy: "${P%%/*}" => Ok(""),
        trim_prefix: "${P#*/}" => Ok("usr/local/bin"),
        trim_prefix_greedy: "${P##*/}" => Ok("bin"),
        replace_first: "${P/l/L}" => Ok("/usr/Local/bin"),
        replace_all: "${P//l/L}" => Ok("/usr/LocaL/bin"),
        required_unset: "${NOPE?}" => Err("failed to process \"${NOPE?}\": NOPE: is not allowed to be unset"),
        required_empty: "${E:?must be set}" => Err("failed to process \"${E:?must be set}\": E: must be set"),
        missing_brace: "${A" => Err("failed to process \"${A\": syntax error: missing '}'"),
        missing_brace_default: "${A:-x" => Err("failed to process \"${A:-x\": syntax error: missing '}'"),
        bad_subst: "${}" => Err("failed to process \"${}\": syntax error: bad substitution"),
        bad_modifier: "${A!x}" => Err("failed to process \"${A!x}\": unsupported modifier (!) in substitution"),
        colon_hash: "${A:#x}" => Err("failed to process \"${A:#x}\": unsupported modifier (:#) in substitution"),
        open_quote: "'abc" => Err("failed to process \"'abc\": unexpected end of statement while looking for matching single-quote"),
        open_dquote: "\"abc" => Err("failed to process \"\\\"abc\": unexpected end of statement while looking for matching double-quote"),
        dollar_brace_eof: "${" => Err("failed to process \"${\": syntax error: missing '}'"),
        trailing_escape: "ab\\" => Ok("ab"),
    }

    #[test]
    fn words_split_on_unquoted_space_only() {
        let l = Lexer::new('\\');
        assert_eq!(
            l.process_words("a \"b c\" $S 'd e'", &env())
                .expect("valid"),
            ["a", "b c", "a", "b", "c", "d e"]
        );
    }

    #[test]
    fn backtick_escape() {
        let l = Lexer::new('`');
        assert_eq!(l.process_word("`$A \\x", &env()).expect("valid"), "$A \\x");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let s = "${A:-".repeat(10_000);
        assert!(Lexer::new('\\').process_word(&s, &env()).is_err());
    }
}
