//! Small text helpers of Docker's formatters, and Go's `%q` quoting that Docker's messages use.

use std::fmt::Write as _;

/// `formatter.Ellipsis`: at most `max` display columns, the last one an ellipsis when cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let count = s.chars().count();
    if count <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Quotes a string the way Go's `%q` does (`strconv.Quote`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => push_go_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Quotes one byte the way Go's `%q` prints a `byte` (as the rune of that value).
pub fn go_quote_byte(b: u8) -> String {
    let mut out = String::from("'");
    match b {
        b'\'' => out.push_str("\\'"),
        b'\\' => out.push_str("\\\\"),
        _ => push_go_escaped(&mut out, char::from(b)),
    }
    out.push('\'');
    out
}

fn push_go_escaped(out: &mut String, c: char) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        // Go prints C1 controls, the soft hyphen and other non-graphic runes escaped; this covers
        // the ones a byte can produce and the common invisible ones.
        c if ('\u{80}'..='\u{9f}').contains(&c)
            || c == '\u{ad}'
            || ('\u{200b}'..='\u{200f}').contains(&c)
            || ('\u{2028}'..='\u{202e}').contains(&c)
            || ('\u{2060}'..='\u{206f}').contains(&c)
            || c == '\u{feff}'
            || ('\u{fff9}'..='\u{fffb}').contains(&c) =>
        {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_like_docker_history() {
        assert_eq!(
            ellipsis(
                "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit",
                45
            ),
            "COPY 30-tune-worker-processes.sh /docker-ent…"
        );
        assert_eq!(ellipsis("short", 45), "short");
        assert_eq!(ellipsis("abc", 3), "abc");
        assert_eq!(ellipsis("abcd", 3), "ab…");
    }
}
