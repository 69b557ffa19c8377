//! A typed line read as a shell reads it, as far as docklab needs: `&&`/`||`/`;` lists, `|`
//! pipelines, redirections after `docker`, and the expansion of a `docker` or `cd` line's words
//! (quotes, `~`, `$HOME`, `${VAR}`, `$VAR`, `$?`). What docklab does not run itself (a shell
//! command, the rest of a pipeline, a redirection's target) is left to `sh` as typed.

/// How a part of a list follows the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    /// `;` (or the first part): runs whatever came before.
    Seq,
    /// `&&`: runs when the part before succeeded.
    And,
    /// `||`: runs when the part before failed.
    Or,
}

impl Sep {
    /// Whether a part after this separator runs, given the last exit status.
    pub fn runs(self, last_status: i32) -> bool {
        match self {
            Sep::Seq => true,
            Sep::And => last_status == 0,
            Sep::Or => last_status != 0,
        }
    }
}

/// Walks `text` outside quotes, backslash escapes, `$(…)`, `${…}` and backquotes, calling `at`
/// with each byte offset that is at the top level. `at` returns how many bytes it consumed there
/// (0: step over the one character). Stops early when `at` returns `None`.
fn top_level(text: &str, mut at: impl FnMut(usize) -> Option<usize>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // The escaped character, whole (it may be several bytes).
            b'\\' => i += 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8),
            b'\'' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
                i += 1;
            }
            b'$' if matches!(bytes.get(i + 1), Some(b'(' | b'{')) => {
                let (open, close) = if bytes[i + 1] == b'(' {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                let mut depth = 0usize;
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == open {
                        depth += 1;
                    } else if bytes[i] == close {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    i += 1;
                }
                i += 1;
            }
            _ => match at(i) {
                None => return,
                Some(0) => i += text[i..].chars().next().map_or(1, char::len_utf8),
                Some(n) => i += n,
            },
        }
    }
}

/// Whether the line holds a here-document (`<<WORD`) or several lines: such a line is the
/// shell's whole, never split by docklab.
pub fn is_multiline(line: &str) -> bool {
    line.contains('\n') || heredoc_delimiter(line).is_some()
}

/// The terminator of the first here-document of `line` (`cat > f <<EOF`, `<<-'EOF'`), outside
/// quotes; `None` without one.
pub fn heredoc_delimiter(line: &str) -> Option<String> {
    let mut found = None;
    top_level(line, |i| {
        let rest = &line[i..];
        if rest.starts_with("<<<") {
            return Some(3);
        }
        if let Some(after) = rest.strip_prefix("<<") {
            let after = after.strip_prefix('-').unwrap_or(after).trim_start();
            let word: String = after
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '&' | '|' | '<' | '>'))
                .collect();
            let word: String = word
                .chars()
                .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                .collect();
            if word.is_empty() {
                return Some(2);
            }
            found = Some(word);
            return None;
        }
        Some(0)
    });
    found
}

/// Splits a line into the parts of its `&&`/`||`/`;` list, each with the separator before it
/// (the first part's is [`Sep::Seq`]). A line the shell would refuse (`&& x`, `a && && b`), a
/// here-document, a background `&` or a `(…)` subshell comes back whole, as one part, for `sh`
/// to run or to report.
pub fn split_list(line: &str) -> Vec<(Sep, String)> {
    let whole = || vec![(Sep::Seq, line.trim().to_owned())];
    if is_multiline(line) {
        return whole();
    }
    let mut cuts: Vec<(usize, usize, Sep)> = Vec::new();
    let mut unsupported = false;
    top_level(line, |i| {
        let rest = &line[i..];
        if rest.starts_with("&&") {
            cuts.push((i, i + 2, Sep::And));
            Some(2)
        } else if rest.starts_with("||") {
            cuts.push((i, i + 2, Sep::Or));
            Some(2)
        } else if rest.starts_with(';') {
            cuts.push((i, i + 1, Sep::Seq));
            Some(1)
        } else if rest.starts_with('&') {
            // `>&2`, `2>&1`, `&>` are redirections; a lone `&` sends a job to the background.
            let before = line[..i].trim_end_matches(|c: char| c.is_ascii_digit());
            if before.ends_with(['>', '<']) || rest.starts_with("&>") {
                Some(1)
            } else {
                unsupported = true;
                None
            }
        } else if rest.starts_with('(') || rest.starts_with('#') && starts_word(line, i) {
            // A subshell, or a comment that may hide a separator: the shell's.
            unsupported = true;
            None
        } else {
            Some(0)
        }
    });
    if unsupported || cuts.is_empty() {
        return whole();
    }
    let mut parts = Vec::new();
    let mut start = 0;
    let mut sep = Sep::Seq;
    for (from, to, next) in cuts {
        let text = line[start..from].trim();
        if text.is_empty() {
            return whole();
        }
        parts.push((sep, text.to_owned()));
        sep = next;
        start = to;
    }
    let last = line[start..].trim();
    if last.is_empty() {
        // `a;` ends the list; `a &&` waits for more, which a line cannot give.
        if sep != Sep::Seq {
            return whole();
        }
    } else {
        parts.push((sep, last.to_owned()));
    }
    parts
}

fn starts_word(line: &str, i: usize) -> bool {
    line[..i]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace)
}

/// Splits one part at its top-level `|` into the commands of a pipeline.
pub fn split_pipeline(part: &str) -> Vec<String> {
    let mut cuts = Vec::new();
    top_level(part, |i| {
        let rest = &part[i..];
        if rest.starts_with("||") {
            Some(2)
        } else if rest.starts_with('|') && !part[..i].ends_with('>') {
            cuts.push(i);
            Some(1)
        } else {
            Some(0)
        }
    });
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts {
        out.push(part[start..c].trim().to_owned());
        start = c + 1;
    }
    out.push(part[start..].trim().to_owned());
    out
}

/// A command's words after expansion, and its redirections as typed (for `sh`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words {
    pub words: Vec<String>,
    /// `> list.txt`, `2>&1`, `>> f`: the shell applies them, in this order.
    pub redirections: Vec<String>,
}

/// Why a line's words cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordsError {
    /// A quote opened and never closed (`'`, `"`).
    Unclosed(char),
    /// A redirection with no file after it (`docker images >`).
    NoTarget(String),
    /// `${…}` that is not a plain variable name.
    BadSubstitution(String),
}

impl std::fmt::Display for WordsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WordsError::Unclosed(q) => write!(f, "missing closing quote {q}"),
            WordsError::NoTarget(op) => {
                write!(f, "syntax error near unexpected token `newline' after {op}")
            }
            WordsError::BadSubstitution(s) => write!(f, "{s}: bad substitution"),
        }
    }
}

/// One word being read: its text so far, and whether it exists even when empty (`""`).
#[derive(Default)]
struct Word {
    text: String,
    quoted: bool,
}

/// Reads a simple command's words as a shell would: quotes removed, `\` escapes, `~` and `~/…`
/// at a word's start, `$NAME`, `${NAME}` and `$?` replaced through `var` (unquoted values split
/// into words at blanks; an unset variable is empty), redirections set aside as typed. `$(…)`
/// must have been substituted before. Globs are not expanded.
pub fn words(text: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<Words, WordsError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Words::default();
    let mut cur: Option<Word> = None;
    let mut i = 0;
    let finish = |cur: &mut Option<Word>, out: &mut Words| {
        if let Some(w) = cur.take() {
            if w.quoted || !w.text.is_empty() {
                out.words.push(w.text);
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if cur.is_none() {
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if c == '#' {
                break;
            }
            if let Some((redir, next)) = redirection(&chars, i)? {
                out.redirections.push(redir);
                i = next;
                continue;
            }
            // `~` alone or `~/…`; `~user` stays as typed.
            if c == '~'
                && chars
                    .get(i + 1)
                    .is_none_or(|&n| n == '/' || n.is_whitespace())
            {
                cur = Some(Word {
                    text: var("HOME").unwrap_or_else(|| "~".to_owned()),
                    quoted: true,
                });
                i += 1;
                continue;
            }
        }
        match c {
            c if c.is_whitespace() => finish(&mut cur, &mut out),
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    if next != '\n' {
                        cur.get_or_insert_with(Word::default).text.push(next);
                    }
                    i += 1;
                }
            }
            '\'' => {
                let w = cur.get_or_insert_with(Word::default);
                w.quoted = true;
                let end = (i + 1..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .ok_or(WordsError::Unclosed('\''))?;
                w.text.extend(&chars[i + 1..end]);
                i = end;
            }
            '"' => {
                cur.get_or_insert_with(Word::default).quoted = true;
                let mut j = i + 1;
                loop {
                    match chars.get(j) {
                        None => return Err(WordsError::Unclosed('"')),
                        Some('"') => break,
                        Some('\\') if matches!(chars.get(j + 1), Some('$' | '`' | '"' | '\\')) => {
                            cur.get_or_insert_with(Word::default)
                                .text
                                .push(chars[j + 1]);
                            j += 2;
                        }
                        Some('$') => {
                            let (value, next) = dollar(&chars, j, var)?;
                            cur.get_or_insert_with(Word::default).text.push_str(&value);
                            j = next;
                        }
                        Some(&other) => {
                            cur.get_or_insert_with(Word::default).text.push(other);
                            j += 1;
                        }
                    }
                }
                i = j;
            }
            '$' => {
                let (value, next) = dollar(&chars, i, var)?;
                // Unquoted: split into words at blanks, as the shell's field splitting.
                let mut pieces = value.split_whitespace().peekable();
                if value.starts_with(char::is_whitespace) {
                    finish(&mut cur, &mut out);
                }
                while let Some(p) = pieces.next() {
                    cur.get_or_insert_with(Word::default).text.push_str(p);
                    if pieces.peek().is_some() {
                        finish(&mut cur, &mut out);
                    }
                }
                if value.ends_with(char::is_whitespace) && !value.trim().is_empty() {
                    finish(&mut cur, &mut out);
                }
                i = next;
                continue;
            }
            '>' | '<' => {
                // `a>f`: the word ends, the redirection starts.
                finish(&mut cur, &mut out);
                if let Some((redir, next)) = redirection(&chars, i)? {
                    out.redirections.push(redir);
                    i = next;
                    continue;
                }
            }
            other => cur.get_or_insert_with(Word::default).text.push(other),
        }
        i += 1;
    }
    finish(&mut cur, &mut out);
    Ok(out)
}

/// `$…` at `chars[i]`: its value and where the text goes on.
fn dollar(
    chars: &[char],
    i: usize,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, usize), WordsError> {
    let name_char = |c: &char| c.is_ascii_alphanumeric() || *c == '_';
    match chars.get(i + 1) {
        Some('{') => {
            let end = (i + 2..chars.len())
                .find(|&j| chars[j] == '}')
                .ok_or(WordsError::Unclosed('}'))?;
            let name: String = chars[i + 2..end].iter().collect();
            let plain = name == "?"
                || name.chars().next().is_some_and(|c| !c.is_ascii_digit())
                    && name.chars().all(|c| name_char(&c));
            if !plain {
                return Err(WordsError::BadSubstitution(format!("${{{name}}}")));
            }
            Ok((var(&name).unwrap_or_default(), end + 1))
        }
        Some('?') => Ok((var("?").unwrap_or_default(), i + 2)),
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let end = (i + 1..chars.len())
                .find(|&j| !name_char(&chars[j]))
                .unwrap_or(chars.len());
            let name: String = chars[i + 1..end].iter().collect();
            Ok((var(&name).unwrap_or_default(), end))
        }
        _ => Ok(("$".to_owned(), i + 1)),
    }
}

/// A redirection starting at `chars[i]` (`>f`, `2> f`, `>>f`, `2>&1`, `&>f`, `<f`): its text
/// for `sh` and where the command goes on. `&>f` (bash's) becomes `>f 2>&1`, which `sh` reads.
fn redirection(chars: &[char], i: usize) -> Result<Option<(String, usize)>, WordsError> {
    let mut j = i;
    let both = chars[i] == '&' && chars.get(i + 1) == Some(&'>');
    if both {
        j += 1;
    } else {
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
    }
    if !matches!(chars.get(j), Some('>' | '<')) {
        return Ok(None);
    }
    let fd: String = chars[i..j].iter().filter(|c| c.is_ascii_digit()).collect();
    let mut op = String::from(chars[j]);
    j += 1;
    if matches!(chars.get(j), Some('>' | '&' | '|')) && op == ">"
        || matches!(chars.get(j), Some('&' | '<')) && op == "<"
    {
        op.push(chars[j]);
        j += 1;
        // `<<-WORD`: a here-document whose lines may be indented with tabs.
        if op == "<<" && chars.get(j) == Some(&'-') {
            op.push('-');
            j += 1;
        }
    }
    while j < chars.len() && chars[j].is_whitespace() {
        j += 1;
    }
    // The target, as typed (quotes included): `sh` expands it.
    let start = j;
    let mut quote = None;
    while j < chars.len() {
        let c = chars[j];
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '\\' => j += 1,
            None if c.is_whitespace() || matches!(c, '<' | '>' | '|' | ';' | '&') => break,
            Some(_) | None => {}
        }
        j += 1;
    }
    let j = j.min(chars.len());
    let target: String = chars[start..j].iter().collect();
    if target.is_empty() {
        return Err(WordsError::NoTarget(format!("{fd}{op}")));
    }
    let text = if both {
        format!(">{target} 2>&1")
    } else {
        format!("{fd}{op}{target}")
    };
    Ok(Some((text, j)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "HOME" => Some("/w/home".to_owned()),
            "TAG" => Some("1.0".to_owned()),
            "TWO" => Some("a b".to_owned()),
            "?" => Some("1".to_owned()),
            _ => None,
        }
    }

    fn w(text: &str) -> Vec<String> {
        words(text, &env).expect("words").words
    }

    #[test]
    fn lists_split_outside_quotes() {
        assert_eq!(
            split_list("mkdir ~/Test && cd ~/Test"),
            vec![
                (Sep::Seq, "mkdir ~/Test".to_owned()),
                (Sep::And, "cd ~/Test".to_owned())
            ]
        );
        assert_eq!(
            split_list("docker pull alpine; docker images || echo 'a;b && c'"),
            vec![
                (Sep::Seq, "docker pull alpine".to_owned()),
                (Sep::Seq, "docker images".to_owned()),
                (Sep::Or, "echo 'a;b && c'".to_owned())
            ]
        );
        assert_eq!(split_list("echo a;").len(), 1);
        assert_eq!(split_list("docker images 2>&1").len(), 1);
        assert_eq!(split_list("echo $(a; b) && c").len(), 2);
        // What only a shell reads comes back whole.
        assert_eq!(split_list("&& ls"), vec![(Sep::Seq, "&& ls".to_owned())]);
        assert_eq!(split_list("ls &&").len(), 1);
        assert_eq!(split_list("sleep 1 & ls").len(), 1);
        assert_eq!(split_list("cat > f <<EOF\na;b\nEOF").len(), 1);
    }

    #[test]
    fn pipelines_split_at_single_bars() {
        assert_eq!(
            split_pipeline("docker images | grep 'a|b' | wc -l"),
            vec!["docker images", "grep 'a|b'", "wc -l"]
        );
        assert_eq!(split_pipeline("docker images"), vec!["docker images"]);
    }

    #[test]
    fn words_expand_as_a_shell() {
        assert_eq!(
            w("docker build -t mon_nginx ~/Test"),
            ["docker", "build", "-t", "mon_nginx", "/w/home/Test"]
        );
        assert_eq!(w("cd ~"), ["cd", "/w/home"]);
        assert_eq!(w("echo ~x '~/a' \"~\""), ["echo", "~x", "~/a", "~"]);
        assert_eq!(
            w("a $HOME/x ${HOME}/y \"$HOME\"z"),
            ["a", "/w/home/x", "/w/home/y", "/w/homez"]
        );
        assert_eq!(w("a:$TAG $UNSET '' \"\" $?"), ["a:1.0", "", "", "1"]);
        assert_eq!(w("x $TWO \"$TWO\""), ["x", "a", "b", "a b"]);
        assert_eq!(
            w(r#"a\ b "c\"d" '$HOME' \$HOME"#),
            ["a b", "c\"d", "$HOME", "$HOME"]
        );
        assert_eq!(w("cd \"Test\" # comment"), ["cd", "Test"]);
        assert_eq!(words("echo 'x", &env), Err(WordsError::Unclosed('\'')));
        assert!(matches!(
            words("echo ${a b}", &env),
            Err(WordsError::BadSubstitution(_))
        ));
    }

    #[test]
    fn redirections_are_set_aside() {
        let r = words("docker images > list.txt 2>&1", &env).expect("words");
        assert_eq!(r.words, ["docker", "images"]);
        assert_eq!(r.redirections, [">list.txt", "2>&1"]);
        let r = words("docker images >>'my f' &>g 2>/dev/null", &env).expect("words");
        assert_eq!(r.words, ["docker", "images"]);
        assert_eq!(r.redirections, [">>'my f'", ">g 2>&1", "2>/dev/null"]);
        let r = words("docker build -t x - <<'EOF'", &env).expect("words");
        assert_eq!(r.words, ["docker", "build", "-t", "x", "-"]);
        assert_eq!(r.redirections, ["<<'EOF'"]);
        assert_eq!(
            words("docker images >", &env),
            Err(WordsError::NoTarget(">".to_owned()))
        );
        let r = words("docker images a2>b", &env).expect("words");
        assert_eq!(r.words, ["docker", "images", "a2"]);
        assert_eq!(r.redirections, [">b"]);
    }

    #[test]
    fn no_input_makes_them_panic() {
        // A small generator over the characters that matter, multi-byte ones included.
        let alphabet: Vec<char> = "ab é€😀\\'\"$(){}|&;<>~#`=\n\t-2".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut line = String::new();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = (seed >> 58) as usize;
            for _ in 0..len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                line.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let _ = split_list(&line);
            let _ = split_pipeline(&line);
            let _ = heredoc_delimiter(&line);
            let _ = words(&line, &env);
            let _ = crate::command::parse(&line);
            let _ = crate::command::substitutions(&line);
        }
    }

    #[test]
    fn heredocs_are_found() {
        assert_eq!(
            heredoc_delimiter("cat > Dockerfile <<EOF"),
            Some("EOF".to_owned())
        );
        assert_eq!(
            heredoc_delimiter("cat <<-'FIN' > f"),
            Some("FIN".to_owned())
        );
        assert_eq!(heredoc_delimiter("echo '<<EOF'"), None);
        assert_eq!(heredoc_delimiter("cat <<< word"), None);
    }
}
