//! Go's `path.Match`, which moby's `reference` filter uses (through distribution's
//! `reference.FamiliarMatch`): `*` (any run of bytes but `/`), `?` (one character but `/`),
//! `[…]` classes with ranges and `^` negation, `\` escapes. A port of Go's algorithm
//! (golang/go `src/path/match.go`): the pattern is cut into chunks at each run of stars, and
//! each chunk is tried at the positions its star may skip, never backtracking into earlier
//! chunks. That is O(pattern × name) whatever the pattern, where the naive recursion it
//! replaces took over a minute on eight stars, holding the store lock.

/// `path.ErrBadPattern`: a malformed pattern (`[`, `[]`, `a\`, `[a-]`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("syntax error in pattern")]
pub(crate) struct BadPattern;

/// Whether `name` matches `pattern` entirely, as Go's `path.Match(pattern, name)`.
pub(crate) fn path_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern;
    let mut name = name;
    'pattern: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star matches the rest unless it holds a '/'.
            return Ok(!name.contains('/'));
        }
        // Look for a match at the current position.
        let (t, ok) = match_chunk(chunk, name)?;
        // The last chunk must use up the name, else the star may still help.
        if ok && (t.is_empty() || !pattern.is_empty()) {
            name = t;
            continue;
        }
        if star {
            // Skip i+1 bytes, never past a '/'.
            for (i, b) in name.bytes().enumerate() {
                if b == b'/' {
                    break;
                }
                let Some(skipped) = name.get(i + 1..) else {
                    continue; // inside a multi-byte character: Go's match then fails too
                };
                let (t, ok) = match_chunk(chunk, skipped)?;
                if ok {
                    if pattern.is_empty() && !t.is_empty() {
                        continue;
                    }
                    name = t;
                    continue 'pattern;
                }
            }
        }
        // Before answering no, check that the rest of the pattern is well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, "")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Go's `scanChunk`: leading stars, then the pattern up to the next star outside a class.
fn scan_chunk(pattern: &str) -> (bool, &str, &str) {
    let trimmed = pattern.trim_start_matches('*');
    let star = trimmed.len() != pattern.len();
    let bytes = trimmed.as_bytes();
    let mut in_range = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if i + 1 < bytes.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    // Every byte at which the scan stops is ASCII, so `i` is a character boundary.
    let (chunk, rest) = trimmed.split_at(i.min(trimmed.len()));
    (star, chunk, rest)
}

/// Go's `matchChunk`: whether `chunk` (no stars) matches a prefix of `s`, and the rest of `s`.
/// After a mismatch the chunk is still read to the end, to report a malformed pattern.
fn match_chunk<'s>(chunk: &str, s: &'s str) -> Result<(&'s str, bool), BadPattern> {
    let mut chunk = chunk;
    let mut s = s;
    let mut failed = false;
    while let Some(c) = chunk.chars().next() {
        if !failed && s.is_empty() {
            failed = true;
        }
        match c {
            '[' => {
                let mut r = '\0';
                if !failed {
                    r = s.chars().next().expect("s is not empty");
                    s = &s[r.len_utf8()..];
                }
                chunk = &chunk[1..];
                let negated = chunk.starts_with('^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.starts_with(']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = get_esc(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if let Some(rest) = chunk.strip_prefix('-') {
                        let (h, rest) = get_esc(rest)?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    let r = s.chars().next().expect("s is not empty");
                    if r == '/' {
                        failed = true;
                    }
                    s = &s[r.len_utf8()..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                let literal = if c == '\\' {
                    chunk = &chunk[1..];
                    chunk.chars().next().ok_or(BadPattern)?
                } else {
                    c
                };
                // Go compares bytes; comparing the character's bytes is the same.
                let n = literal.len_utf8();
                if !failed {
                    if s.as_bytes().get(..n) == Some(&chunk.as_bytes()[..n]) {
                        s = &s[n..];
                    } else {
                        failed = true;
                    }
                }
                chunk = &chunk[n..];
            }
        }
    }
    Ok(if failed { ("", false) } else { (s, true) })
}

/// Go's `getEsc`: one (possibly escaped) character of a class, which must not end the
/// pattern.
fn get_esc(chunk: &str) -> Result<(char, &str), BadPattern> {
    let mut chunk = chunk;
    if chunk.is_empty() || chunk.starts_with(['-', ']']) {
        return Err(BadPattern);
    }
    if let Some(rest) = chunk.strip_prefix('\\') {
        chunk = rest;
    }
    let r = chunk.chars().next().ok_or(BadPattern)?;
    let rest = &chunk[r.len_utf8()..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Go's own table (`src/path/match_test.go`), plus docklab's pathological cases.
    #[test]
    fn matches_like_go_path_match() {
        let bad = Err(BadPattern);
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", bad),
            ("[-]", "-", bad),
            ("[x-]", "x", bad),
            ("[x-]", "-", bad),
            ("[x-]", "z", bad),
            ("[-x]", "x", bad),
            ("[-x]", "-", bad),
            ("[-x]", "a", bad),
            ("\\", "a", bad),
            ("[a-b-c]", "a", bad),
            ("[", "a", bad),
            ("[^", "a", bad),
            ("[^bc", "a", bad),
            ("a[", "a", bad),
            ("a[", "ab", bad),
            ("a[", "x", bad),
            ("a/b[", "x", bad),
            ("*x", "xxx", Ok(true)),
            // docklab's: what the reference filter meets.
            ("ngi*", "nginx", Ok(true)),
            ("nginx:lat*", "nginx:latest", Ok(true)),
            ("*", "user/app", Ok(false)),
            ("*/*", "user/app", Ok(true)),
            ("[mn]ginx", "nginx", Ok(true)),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(path_match(pattern, name), *want, "{pattern:?} {name:?}");
        }
    }

    #[test]
    fn pathological_patterns_take_linear_time() {
        let name = "a".repeat(200);
        let slow = [
            format!("{}b", "*a".repeat(8)),
            format!("{}b", "a*".repeat(100)),
            format!("{}[b]", "*?".repeat(100)),
            "*".repeat(10_000),
            format!("{}x", "*".repeat(10_000)),
        ];
        let start = Instant::now();
        for pattern in &slow {
            let _ = path_match(pattern, &name);
            let _ = path_match(pattern, &format!("{name}/{name}"));
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "took {:?}",
            start.elapsed()
        );
        assert_eq!(path_match(&slow[0], &name), Ok(false));
        assert_eq!(path_match(&"*".repeat(10_000), &name), Ok(true));
    }
}
