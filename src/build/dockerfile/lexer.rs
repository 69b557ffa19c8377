//! Physical lines → logical instructions, as BuildKit's `parser.Parse`: parser directives,
//! comments, continuation lines (with comments and blank lines inside), heredoc bodies, and the
//! per-instruction argument shapes of `line_parsers.go`.

use super::ast::{Directive, Heredoc, Span};
use super::error::{ErrorKind, ParseError};
use super::shell::{Lexer, NoEnv};

/// Go's `bufio.MaxScanTokenSize`: longer lines stop BuildKit's scanner.
const MAX_LINE: usize = 64 * 1024;

/// One instruction after line joining, before its arguments are given meaning.
#[derive(Debug, Clone)]
pub(crate) struct RawNode {
    /// The instruction word as written (`run`, `RUN`, `Run`).
    pub keyword: String,
    /// Leading `--flag[=value]` words, quotes removed.
    pub flags: Vec<String>,
    /// Arguments shaped by the instruction's line parser.
    pub args: RawArgs,
    /// Whether the arguments were a JSON array.
    pub json: bool,
    /// The joined line (continuations removed), BuildKit's `Node.Original`.
    pub original: String,
    pub span: Span,
    pub heredocs: Vec<Heredoc>,
}

#[derive(Debug, Clone)]
pub(crate) enum RawArgs {
    /// Plain words (also the shell-form command as a single word).
    List(Vec<String>),
    /// ENV and LABEL: key, value (raw, quotes kept), legacy `KEY value` form.
    KeyValues(Vec<(String, String, bool)>),
    /// ONBUILD's trigger.
    Sub(Box<RawNode>),
}

/// The output of the line layer.
#[derive(Debug, Clone)]
pub(crate) struct Lexed {
    pub nodes: Vec<RawNode>,
    pub directives: Vec<Directive>,
    pub escape: char,
}

struct DirectiveParser {
    line: usize,
    done: bool,
    seen: Vec<String>,
}

impl DirectiveParser {
    /// BuildKit's `DirectiveParser.ParseLine`: `# name=value` lines before anything else.
    fn parse_line(&mut self, line: &str) -> Result<Option<Directive>, ErrorKind> {
        self.line += 1;
        if self.done {
            return Ok(None);
        }
        let Some(rest) = line.strip_prefix('#') else {
            self.done = true;
            return Ok(None);
        };
        let rest = rest.trim_start();
        // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
        let name_len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        let (name, after) = rest.split_at(name_len);
        let after = after.trim_start();
        let value = after.strip_prefix('=').map(str::trim);
        let (Some(value), false) = (value, name.is_empty()) else {
            self.done = true;
            return Ok(None);
        };
        if value.is_empty() {
            self.done = true;
            return Ok(None);
        }
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&name) {
            return Err(ErrorKind::DuplicateDirective(name));
        }
        self.seen.push(name.clone());
        Ok(Some(Directive {
            name,
            value: value.to_owned(),
            line: self.line,
        }))
    }
}

struct State {
    escape: char,
    directives: DirectiveParser,
    found: Vec<Directive>,
}

impl State {
    /// BuildKit's `processLine`: strip the line ending (and leading space on a first line),
    /// look for a directive, blank out comments.
    fn process_line<'a>(&mut self, raw: &'a str, strip_left: bool) -> Result<&'a str, ErrorKind> {
        let mut token = raw.trim_end_matches(['\r', '\n']);
        if strip_left {
            token = token.trim_start();
        }
        if let Some(d) = self.directives.parse_line(token)? {
            if d.name == "escape" {
                match d.value.as_str() {
                    "\\" => self.escape = '\\',
                    "`" => self.escape = '`',
                    other => return Err(ErrorKind::InvalidEscapeToken(other.to_owned())),
                }
            }
            self.found.push(d);
        }
        Ok(if is_comment(token) { "" } else { token })
    }

    /// Removes a trailing continuation character; `true` when the line ends the instruction.
    fn trim_continuation<'a>(&self, line: &'a str) -> (&'a str, bool) {
        let trimmed = line.trim_end_matches([' ', '\t']);
        if let Some(before) = trimmed.strip_suffix(self.escape) {
            if before.is_empty() || !before.ends_with(self.escape) {
                return (before, false);
            }
        }
        (line, true)
    }
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

struct PhysLine<'a> {
    text: &'a str,
    start: usize,
}

fn split_lines(src: &str) -> Vec<PhysLine<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < src.len() {
        let end = src[start..].find('\n').map_or(src.len(), |i| start + i + 1);
        out.push(PhysLine {
            text: &src[start..end],
            start,
        });
        start = end;
    }
    out
}

fn err(kind: ErrorKind, line: usize, end: usize) -> ParseError {
    ParseError::new(kind, line, end, 1)
}

/// Splits a Dockerfile into instructions.
pub(crate) fn lex(src: &str) -> Result<Lexed, ParseError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut lines = split_lines(src);
    let too_long = lines.iter().position(|l| l.text.len() > MAX_LINE);
    if let Some(i) = too_long {
        lines.truncate(i);
    }
    let mut st = State {
        escape: '\\',
        directives: DirectiveParser {
            line: 0,
            done: false,
            seen: Vec::new(),
        },
        found: Vec::new(),
    };
    let mut nodes = Vec::new();
    let mut i = 0; // index of the next physical line; also BuildKit's `currentLine`
    while i < lines.len() {
        let phys = &lines[i];
        let processed = st
            .process_line(phys.text, true)
            .map_err(|k| err(k, i + 1, i + 1))?;
        i += 1;
        let start_line = i;
        let (first, mut at_end) = st.trim_continuation(processed);
        if at_end && first.is_empty() {
            continue;
        }
        let leading = phys.text.len() - phys.text.trim_start().len();
        let byte_start = phys.start + leading;
        let column = phys.text[..leading].chars().count() + 1;
        let mut buf = first.to_owned();
        while !at_end && i < lines.len() {
            let raw = lines[i].text;
            let cont = st
                .process_line(raw, false)
                .map_err(|k| err(k, i + 1, i + 1))?;
            i += 1;
            if is_comment(raw) || cont.trim_start().is_empty() {
                continue;
            }
            let (part, end) = st.trim_continuation(cont);
            at_end = end;
            buf.push_str(part);
        }
        let mut node = new_node_from_line(&buf, st.escape, 0).map_err(|k| err(k, start_line, i))?;
        if can_contain_heredoc(&node) && buf.contains("<<") {
            for mut doc in heredocs_from_line(&buf).map_err(|k| err(k, start_line, i))? {
                let mut content = String::new();
                let mut terminated = false;
                while i < lines.len() {
                    let raw = lines[i].text;
                    i += 1;
                    let mut candidate = raw.trim_end_matches(['\r', '\n']);
                    if doc.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == doc.name {
                        terminated = true;
                        break;
                    }
                    content.push_str(raw);
                }
                if !terminated {
                    return Err(err(ErrorKind::UnterminatedHeredoc, start_line, i));
                }
                doc.content = content;
                node.heredocs.push(doc);
            }
        }
        let last = &lines[i - 1];
        let byte_end = last.start + last.text.trim_end_matches(['\r', '\n']).len();
        node.span = Span {
            start_line,
            end_line: i,
            column,
            bytes: byte_start..byte_end.max(byte_start),
        };
        nodes.push(node);
    }
    if nodes.is_empty() {
        return Err(err(ErrorKind::NoInstructions, i, i));
    }
    if too_long.is_some() {
        return Err(err(ErrorKind::LineTooLong, i, i));
    }
    Ok(Lexed {
        nodes,
        directives: st.found,
        escape: st.escape,
    })
}

fn can_contain_heredoc(node: &RawNode) -> bool {
    let target = match (&node.args, node.keyword.to_ascii_lowercase().as_str()) {
        (RawArgs::Sub(inner), "onbuild") => inner,
        _ => node,
    };
    matches!(
        target.keyword.to_ascii_lowercase().as_str(),
        "add" | "copy" | "run"
    ) && !target.json
}

/// BuildKit's `heredocsFromLine`: every word of the line that looks like `<<EOF`.
fn heredocs_from_line(line: &str) -> Result<Vec<Heredoc>, ErrorKind> {
    let lex = Lexer {
        escape: '\\',
        raw_quotes: true,
        raw_escapes: true,
        skip_unset_env: true,
    };
    let words = lex.process_words(line, &NoEnv).unwrap_or_default();
    let mut out = Vec::new();
    for w in words {
        if let Some(h) = parse_heredoc(&w)? {
            out.push(h);
        }
    }
    Ok(out)
}

/// `^(\d*)<<(-?)\s*([^<]*)$` then the delimiter word, quoted or not. `Ok(None)` when `src`
/// is not a heredoc marker.
pub(crate) fn parse_heredoc(src: &str) -> Result<Option<Heredoc>, ErrorKind> {
    let digits = src.len() - src.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(rest) = src[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start();
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let fd = src[..digits].parse::<u32>().unwrap_or(0);
    let mut lex = Lexer {
        escape: '\\',
        raw_quotes: false,
        raw_escapes: false,
        skip_unset_env: true,
    };
    let words = lex.process_words(rest, &NoEnv).map_err(ErrorKind::Expand)?;
    if words.len() != 1 {
        return Ok(None);
    }
    lex.raw_quotes = true;
    let raw = lex.process_words(rest, &NoEnv).map_err(ErrorKind::Expand)?;
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    let expand = raw.len() == 1 && quotes(&words[0]) == quotes(&raw[0]);
    Ok(Some(Heredoc {
        name: words[0].clone(),
        fd,
        expand,
        chomp,
        content: String::new(),
    }))
}

fn is_go_ws(c: char) -> bool {
    // reWhitespace = [\t\v\f\r ]+
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// BuildKit's `newNodeFromLine`: split off the instruction word and flags, shape arguments.
fn new_node_from_line(line: &str, escape: char, depth: usize) -> Result<RawNode, ErrorKind> {
    let trimmed = line.trim();
    let (keyword, rest) = match trimmed.find(is_go_ws) {
        Some(i) => (&trimmed[..i], trimmed[i..].trim_start_matches(is_go_ws)),
        None => (trimmed, ""),
    };
    let (rest, flags) = if rest.is_empty() {
        (String::new(), Vec::new())
    } else {
        let (r, f) = extract_builder_flags(rest, escape);
        (r.trim().to_owned(), f)
    };
    let mut json = false;
    let args = match keyword.to_ascii_lowercase().as_str() {
        "add" | "copy" | "volume" => {
            let (list, j) = maybe_json_to_list(&rest)?;
            json = j;
            RawArgs::List(list)
        }
        "cmd" | "entrypoint" | "run" | "shell" => {
            let (list, j) = maybe_json(&rest)?;
            json = j;
            RawArgs::List(list)
        }
        "arg" => RawArgs::List(parse_words(&rest, escape)),
        "env" => RawArgs::KeyValues(parse_name_val(&rest, "ENV", escape)?),
        "label" => RawArgs::KeyValues(parse_name_val(&rest, "LABEL", escape)?),
        "expose" | "from" => RawArgs::List(whitespace_split(&rest)),
        "maintainer" | "stopsignal" | "user" | "workdir" => RawArgs::List(if rest.is_empty() {
            Vec::new()
        } else {
            vec![rest.clone()]
        }),
        "healthcheck" => {
            let sep = rest
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            if sep == 0 {
                RawArgs::List(Vec::new())
            } else {
                let (list, j) =
                    maybe_json(rest[sep..].trim_start_matches(|c: char| c.is_ascii_whitespace()))?;
                json = j;
                let mut v = vec![rest[..sep].to_owned()];
                v.extend(list);
                RawArgs::List(v)
            }
        }
        // Past one level the trigger can only be refused (`ONBUILD ONBUILD`), so stop
        // recursing: a line of a million ONBUILDs must not exhaust the stack.
        "onbuild" if !rest.is_empty() && depth < 2 => {
            RawArgs::Sub(Box::new(new_node_from_line(&rest, escape, depth + 1)?))
        }
        _ => RawArgs::List(Vec::new()),
    };
    Ok(RawNode {
        keyword: keyword.to_owned(),
        flags,
        args,
        json,
        original: line.to_owned(),
        span: Span::default(),
        heredocs: Vec::new(),
    })
}

/// BuildKit's `extractBuilderFlags`: leading words starting with `--`, quotes and escapes
/// removed; `--` alone ends the flags.
fn extract_builder_flags(line: &str, escape: char) -> (&str, Vec<String>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut quote = '\0';
    let mut blank_ok = false;
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut k = 0;
    while k <= chars.len() {
        let (pos, ch) = chars.get(k).copied().unwrap_or((line.len(), '\0'));
        let at_end = k == chars.len();
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                k += 1;
                continue;
            }
            let next_dash = chars.get(k + 1).is_some_and(|&(_, c)| c == '-');
            if ch != '-' || !next_dash {
                return (&line[pos..], words);
            }
            phase = Phase::Word;
        }
        if at_end {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return (&line[pos..], words);
                }
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                blank_ok = false;
                k += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                k += 1;
                continue;
            }
            let mut c = ch;
            if ch == escape {
                if k + 1 == chars.len() {
                    k += 1;
                    continue;
                }
                k += 1;
                c = chars[k].1;
            }
            word.push(c);
            k += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
            k += 1;
            continue;
        }
        let mut c = ch;
        if ch == escape {
            if k + 1 == chars.len() {
                phase = Phase::Word;
                k += 1;
                continue;
            }
            k += 1;
            c = chars[k].1;
        }
        word.push(c);
        k += 1;
    }
    ("", words)
}

/// BuildKit's `parseWords`: whitespace-separated words, quotes and escapes kept (they are
/// removed later by expansion).
pub(crate) fn parse_words(rest: &str, escape: char) -> Vec<String> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut word = String::new();
    let mut k = 0;
    while k <= chars.len() {
        let at_end = k == chars.len();
        let ch = chars.get(k).copied().unwrap_or('\0');
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            if ch.is_whitespace() {
                k += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if at_end {
            if blank_ok || !word.is_empty() {
                words.push(word);
            }
            break;
        }
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                k += 1;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            let mut c = ch;
            if ch == escape {
                if k + 1 == chars.len() {
                    k += 1;
                    continue;
                }
                word.push(ch);
                k += 1;
                c = chars[k];
            }
            word.push(c);
            k += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
        }
        let mut c = ch;
        if ch == escape && quote != '\'' {
            if k + 1 == chars.len() {
                phase = Phase::Word;
                k += 1;
                continue;
            }
            word.push(ch);
            k += 1;
            c = chars[k];
        }
        word.push(c);
        k += 1;
    }
    words
}

fn parse_name_val(
    rest: &str,
    key: &'static str,
    escape: char,
) -> Result<Vec<(String, String, bool)>, ErrorKind> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let Some(i) = rest.find(is_go_ws) else {
            return Err(ErrorKind::MustHaveTwoArguments(key));
        };
        let value = rest[i..].trim_start_matches(is_go_ws);
        return Ok(vec![(rest[..i].to_owned(), value.to_owned(), true)]);
    }
    words
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => Ok((k.to_owned(), v.to_owned(), false)),
            None => Err(ErrorKind::MissingEquals(w)),
        })
        .collect()
}

fn whitespace_split(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split(is_go_ws)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

enum Json {
    Strings(Vec<String>),
    NotStrings,
    Other,
}

fn parse_json(rest: &str) -> Json {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Json::Other;
    }
    match serde_json::from_str::<Vec<serde_json::Value>>(rest) {
        Err(_) => Json::Other,
        Ok(values) => values
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map_or(Json::NotStrings, Json::Strings),
    }
}

fn maybe_json(rest: &str) -> Result<(Vec<String>, bool), ErrorKind> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    match parse_json(rest) {
        Json::Strings(v) => Ok((v, true)),
        Json::NotStrings => Err(ErrorKind::NotStringArray),
        Json::Other => Ok((vec![rest.to_owned()], false)),
    }
}

fn maybe_json_to_list(rest: &str) -> Result<(Vec<String>, bool), ErrorKind> {
    match parse_json(rest) {
        Json::Strings(v) => Ok((v, true)),
        Json::NotStrings => Err(ErrorKind::NotStringArray),
        Json::Other => Ok((whitespace_split(rest), false)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_extracted_with_quotes_removed() {
        let (rest, flags) = extract_builder_flags("--from=\"a b\" --link -- --x y", '\\');
        assert_eq!(flags, ["--from=a b", "--link"]);
        assert_eq!(rest, " --x y");
        let (rest, flags) = extract_builder_flags("-x", '\\');
        assert!(flags.is_empty());
        assert_eq!(rest, "-x");
    }

    #[test]
    fn words_keep_quotes() {
        assert_eq!(
            parse_words(r#"a="b c" d='e f' g\ h"#, '\\'),
            [r#"a="b c""#, "d='e f'", r"g\ h"]
        );
    }

    #[test]
    fn heredoc_words() {
        let h = parse_heredoc("<<EOF").expect("ok").expect("heredoc");
        assert!(h.expand && !h.chomp && h.name == "EOF");
        let h = parse_heredoc("<<-'EOT'").expect("ok").expect("heredoc");
        assert!(!h.expand && h.chomp && h.name == "EOT");
        let h = parse_heredoc("3<<\"X\"").expect("ok").expect("heredoc");
        assert!(!h.expand && h.fd == 3);
        assert!(parse_heredoc("<<").expect("ok").is_none());
        assert!(parse_heredoc("a<<b").expect("ok").is_none());
    }
}
