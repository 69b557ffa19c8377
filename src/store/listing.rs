//! The image listing kept beside the state file (`state.list`): per image, in `image ls` order,
//! what `image ls` shows of it (ID, creation time, size) and sorts it by, its parent and its
//! references. It is written with each rewrite of the state file and names that file's
//! generation; `image ls` reads it (about a fifth of the state file's images and references
//! sections) and merges the journal's changed records, instead of reading both sections whole
//! into maps and sorting them, which was most of `image ls` at 10,000 images.
//!
//! It is derived data: a listing of another generation, or one that does not parse, is not used
//! (the command reads the state instead), and `docklab store fsck` compares it with the state
//! and rewrites it when they differ.
//!
//! ```text
//! docklab-list 1 <generation>
//! <id sha256:…> <created: unix second|-> <nanosecond> <seq> <size> <parent sha256:…|-> <reference>…
//! end <rows>
//! ```
//!
//! References are the stored full strings, in lexical order, escaped as the state file escapes
//! free text (`%`, space, CR, LF).

use std::borrow::Cow;

use jiff::Timestamp;

use super::format::{escape_into, find2, push_number, unescape};
use super::State;

/// The start of the first line, before the generation.
pub(super) const HEADER: &str = "docklab-list 1 ";

/// One image of the listing, borrowed from the file's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// `sha256:` and 64 hex digits.
    pub id: &'a str,
    /// Its config's `created`, when that parses.
    pub created: Option<Timestamp>,
    pub seq: u64,
    pub size: u64,
    pub parent: Option<&'a str>,
    /// The references, escaped and separated by spaces.
    refs: &'a str,
    /// Whether a reference has an escape (`%`) to undo.
    escaped: bool,
}

impl<'a> Row<'a> {
    /// Its references, in lexical order.
    pub fn refs(&self) -> impl Iterator<Item = Cow<'a, str>> {
        let escaped = self.escaped;
        words(self.refs).filter(|r| !r.is_empty()).map(move |r| {
            if escaped {
                // Checked when the row was read.
                unescape_cow(r).unwrap_or(Cow::Borrowed(r))
            } else {
                Cow::Borrowed(r)
            }
        })
    }
}

fn unescape_cow(s: &str) -> Option<Cow<'_, str>> {
    if s.contains('%') {
        unescape(s).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(s))
    }
}

/// The fields of `s` between single spaces: a loop over bytes, as they are a few bytes to a
/// hundred long (`str::split` looks for each with `memchr`, three times slower here).
fn words(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        let Some(at) = r.bytes().position(|b| b == b' ') else {
            rest = None;
            return Some(r);
        };
        rest = Some(&r[at + 1..]);
        Some(&r[..at])
    })
}

/// Whether `s` has the shape of an ID as the store writes them: `sha256:` and 64 ASCII
/// characters (that they are the right hex digits is fsck's to check, against the state).
fn is_id(s: &str) -> bool {
    s.len() == 71 && s.starts_with("sha256:") && s.is_ascii()
}

/// A decimal number of ASCII digits, without the sign and radix handling of `str::parse`.
fn number(s: &str) -> Result<u64, String> {
    let bad = || format!("{s:?} is not a number");
    if s.is_empty() || s.len() > 19 {
        return Err(bad());
    }
    s.bytes().try_fold(0u64, |n, b| {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            Ok(n * 10 + u64::from(d))
        } else {
            Err(bad())
        }
    })
}

/// The sort key of `image ls`: newest first by second, the higher seq first within a second
/// (seq 0: not yet numbered, created by the running command, so the newest), then by ID.
pub fn order_key(created: Option<Timestamp>, seq: u64) -> (i64, u64) {
    let seq = if seq == 0 { u64::MAX } else { seq };
    (created.unwrap_or_default().as_second(), seq)
}

/// Whether an image keyed (`a`, `a_id`) lists before one keyed (`b`, `b_id`).
pub fn lists_before(a: (i64, u64), a_id: &str, b: (i64, u64), b_id: &str) -> bool {
    b.cmp(&a).then_with(|| a_id.cmp(b_id)).is_lt()
}

/// The places of images given as (created second, seq) in `image ls` order: newest first, the
/// higher seq first within a second (seq 0: not yet numbered, created by this very command, so
/// the newest), then by place.
pub fn newest_first(keys: &[(i64, u64)]) -> Vec<u32> {
    let seq = |seq: u64| if seq == 0 { u64::MAX } else { seq };
    // Usually the second fits in 39 bits (until the year 19,000) and seq in 24: then key and
    // place make one integer, which sorts several times faster than pairs.
    const SEQ_BITS: u32 = 24;
    let seq_max = (1u64 << SEQ_BITS) - 1;
    let fits = u32::try_from(keys.len()).is_ok()
        && keys.iter().all(|&(second, s)| {
            (0..1 << 39).contains(&second) && (seq(s) < seq_max || seq(s) == u64::MAX)
        });
    if fits {
        let mut order: Vec<u128> = keys
            .iter()
            .zip(0u32..)
            .map(|(&(second, s), at)| {
                let key = (second.cast_unsigned() << SEQ_BITS) | seq(s).min(seq_max);
                // Newest first: the key's complement ascending.
                (u128::from(!key) << 32) | u128::from(at)
            })
            .collect();
        order.sort_unstable();
        return order
            .into_iter()
            .map(|packed| u32::try_from(packed & u128::from(u32::MAX)).unwrap_or(u32::MAX))
            .collect();
    }
    let mut order: Vec<(u128, u32)> = keys
        .iter()
        .zip(0u32..)
        .map(|(&(second, s), at)| {
            let key = (u128::from(second.cast_unsigned() ^ (1 << 63)) << 64) | u128::from(seq(s));
            (key, at)
        })
        .collect();
    // Places are unique, so the order is total and an unstable sort gives the same result.
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, at)| at).collect()
}

/// The listing of `state` (read whole), for the state file of `generation`.
pub(super) fn encode(state: &State, generation: u64) -> Vec<u8> {
    let images: Vec<_> = state.images.iter().collect();
    let created: Vec<Option<Timestamp>> = images
        .iter()
        .map(|(_, record)| crate::docker::units::parse_rfc3339(&record.created))
        .collect();
    let keys: Vec<(i64, u64)> = images
        .iter()
        .zip(&created)
        .map(|((_, record), &created)| order_key(created, record.seq))
        .collect();
    let mut refs: std::collections::HashMap<&super::Digest, Vec<&str>> =
        std::collections::HashMap::with_capacity(images.len());
    for (name, id) in &state.refs {
        refs.entry(id).or_default().push(name);
    }
    let mut out = Vec::with_capacity(64 + images.len() * 110 + state.refs.len() * 40);
    out.extend_from_slice(HEADER.as_bytes());
    push_number(&mut out, generation);
    out.push(b'\n');
    let order = newest_first(&keys);
    for &at in &order {
        let (id, record) = images[at as usize];
        out.extend_from_slice(id.as_str().as_bytes());
        out.push(b' ');
        match created[at as usize] {
            Some(t) => {
                out.extend_from_slice(t.as_second().to_string().as_bytes());
                out.push(b' ');
                push_number(&mut out, u64::from(t.subsec_nanosecond().unsigned_abs()));
            }
            None => out.extend_from_slice(b"- 0"),
        }
        out.push(b' ');
        push_number(&mut out, record.seq);
        out.push(b' ');
        push_number(&mut out, state.image_size(record));
        out.push(b' ');
        match &record.parent {
            Some(p) => out.extend_from_slice(p.as_str().as_bytes()),
            None => out.push(b'-'),
        }
        for name in refs.get(id).into_iter().flatten() {
            out.push(b' ');
            escape_into(&mut out, name);
        }
        out.push(b'\n');
    }
    out.extend_from_slice(b"end ");
    push_number(&mut out, order.len() as u64);
    out.push(b'\n');
    out
}

/// The size of the pieces [`read`] reads a listing in.
const PIECE: usize = 64 << 10;

/// Reads a listing of the state file of `generation` from `from` (about `len` bytes long),
/// giving each of its rows to `each`, in order, as they are read. The listing is read in pieces
/// of at most 64 KiB into one buffer rather than whole: at 10,000 images it is 2.2 MB, and a
/// fresh buffer's pages cost ~2 µs each to fault in on the test machine (550 of them, a tenth of
/// `image ls`); a smaller listing gets a buffer its size. Returns the number of rows. An `Err`
/// (another generation, a damaged line, no `end` line where the rows end, as in a file cut
/// short, or lines after it) may come after rows were given: the caller then throws away what
/// it made of them.
pub fn read(
    mut from: impl std::io::Read,
    len: u64,
    generation: u64,
    mut each: impl FnMut(Row<'_>),
) -> Result<usize, String> {
    // One byte more than the file, so that the read that finds its end needs no more room.
    let size = usize::try_from(len).map_or(PIECE, |len| len.saturating_add(1).clamp(64, PIECE));
    let mut buf = vec![0u8; size];
    // The unread bytes are `buf[start..filled]`.
    let (mut start, mut filled, mut at_end) = (0, 0, false);
    let (mut line_no, mut rows) = (0usize, 0usize);
    // `memchr` pays for itself on megabytes; on a small listing, its first call's detection of
    // the processor's features (`cpuid`, which a virtual machine traps) costs more than the
    // search: 0.2 ms of `image ls` at 100 images here.
    let large = len > PIECE as u64;
    let mut fill = |buf: &mut Vec<u8>, filled: &mut usize| -> Result<usize, String> {
        loop {
            match from.read(&mut buf[*filled..]) {
                Ok(n) => {
                    *filled += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    };
    loop {
        let pending = &buf[start..filled];
        let found = if large {
            memchr::memchr(b'\n', pending)
        } else {
            find2(pending, b'\n', b'\n')
        };
        let Some(len) = found else {
            if at_end {
                return Err(if line_no == 0 {
                    "line 1: not a listing's first line".to_owned()
                } else {
                    "no `end` line: cut short".to_owned()
                });
            }
            // The line begun goes to the front, the rest of the buffer is filled (a line longer
            // than the buffer doubles it).
            buf.copy_within(start..filled, 0);
            filled -= start;
            start = 0;
            if filled == buf.len() {
                buf.resize(buf.len() * 2, 0);
            }
            at_end = fill(&mut buf, &mut filled)? == 0;
            continue;
        };
        let line = &buf[start..start + len];
        start += len + 1;
        line_no += 1;
        let line = std::str::from_utf8(line).map_err(|_| format!("line {line_no}: not UTF-8"))?;
        if line_no == 1 {
            let found = line
                .strip_prefix(HEADER)
                .and_then(|g| g.parse::<u64>().ok())
                .ok_or("line 1: not a listing's first line")?;
            if found != generation {
                return Err(format!(
                    "line 1: the listing of generation {found}, not {generation}"
                ));
            }
            continue;
        }
        if let Some(count) = line.strip_prefix("end ") {
            if count.parse::<usize>().ok() != Some(rows) {
                return Err(format!("line {line_no}: a damaged `end` line"));
            }
            // Nothing follows it.
            if start != filled || (!at_end && fill(&mut buf, &mut filled)? != 0) {
                return Err(format!("line {}: lines after the `end` line", line_no + 1));
            }
            return Ok(rows);
        }
        rows += 1;
        each(row(line).map_err(|e| format!("line {line_no}: {e}"))?);
    }
}

fn row(line: &str) -> Result<Row<'_>, String> {
    let (id, rest) = line.split_at_checked(71).ok_or("no ID")?;
    let mut fields = words(rest.strip_prefix(' ').ok_or("no ID")?);
    let mut next = |what: &str| fields.next().ok_or_else(|| format!("no {what}"));
    let (second, nano) = (next("creation time")?, next("creation time")?);
    let (seq, size, parent) = (next("seq")?, next("size")?, next("parent")?);
    let refs_at = line
        .len()
        .min(parent.as_ptr() as usize - line.as_ptr() as usize + parent.len() + 1);
    let refs = &line[refs_at..];
    if !is_id(id) {
        return Err(format!("{id:?} is not an image ID"));
    }
    let created = match second {
        "-" => None,
        s => {
            let bad = || format!("{s:?} is not a time");
            let (minus, digits) = s.strip_prefix('-').map_or((false, s), |d| (true, d));
            let n = i64::try_from(number(digits).map_err(|_| bad())?).map_err(|_| bad())?;
            let second = if minus { -n } else { n };
            let nano = i32::try_from(number(nano)?).map_err(|_| "a bad time".to_owned())?;
            Some(Timestamp::new(second, nano).map_err(|e| e.to_string())?)
        }
    };
    let parent = match parent {
        "-" => None,
        p if is_id(p) => Some(p),
        p => return Err(format!("{p:?} is not an image ID")),
    };
    let escaped = find2(refs.as_bytes(), b'%', b'%').is_some();
    if escaped && words(refs).any(|r| unescape_cow(r).is_none()) {
        return Err("a damaged reference".to_owned());
    }
    Ok(Row {
        id,
        created,
        seq: number(seq)?,
        size: number(size)?,
        parent,
        refs,
        escaped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The order `image ls` promises, by a plain comparison sort.
    fn naive(keys: &[(i64, u64)]) -> Vec<u32> {
        let seq = |s: u64| if s == 0 { u64::MAX } else { s };
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = (keys[a as usize], keys[b as usize]);
            (kb.0, seq(kb.1)).cmp(&(ka.0, seq(ka.1))).then(a.cmp(&b))
        });
        order
    }

    #[test]
    fn images_are_listed_newest_first_then_by_seq_then_by_id() {
        // Ties on the second and on seq, unnumbered images; then values that do not fit the
        // packed sort (before 1970, Go's zero time, huge seq numbers).
        let mut keys: Vec<(i64, u64)> = (0..500u64)
            .map(|i| (1_700_000_000 + (i * 7919 % 13) as i64, i * 31 % 5))
            .collect();
        assert_eq!(newest_first(&keys), naive(&keys));
        for odd in [(-62_135_596_800, 3), (5, 1 << 40), (1 << 40, 2), (0, 0)] {
            keys.push(odd);
            assert_eq!(newest_first(&keys), naive(&keys), "{odd:?}");
        }
        assert!(newest_first(&[]).is_empty());
    }

    /// A row with its references unescaped, kept after the buffer it was read from.
    #[derive(Debug, Clone, PartialEq)]
    struct Owned {
        id: String,
        created: Option<Timestamp>,
        seq: u64,
        size: u64,
        parent: Option<String>,
        refs: Vec<String>,
    }

    /// A reader that gives at most `step` bytes a call.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn all_in(bytes: &[u8], generation: u64, step: usize) -> Result<Vec<Owned>, String> {
        let mut rows = Vec::new();
        // The length it is told is a hint: a wrong one changes nothing.
        let len = [bytes.len(), 0, 1 << 40][step % 3] as u64;
        let count = read(Trickle { bytes, step }, len, generation, |row| {
            rows.push(Owned {
                id: row.id.to_owned(),
                created: row.created,
                seq: row.seq,
                size: row.size,
                parent: row.parent.map(str::to_owned),
                refs: row.refs().map(Cow::into_owned).collect(),
            });
        })?;
        assert_eq!(count, rows.len());
        Ok(rows)
    }

    fn all(bytes: &[u8], generation: u64) -> Result<Vec<Owned>, String> {
        all_in(bytes, generation, usize::MAX)
    }

    #[test]
    fn rows_read_alike_in_any_pieces_even_longer_than_the_buffer() {
        let id = format!("sha256:{}", "c".repeat(64));
        // One row of ~140 KB (more than two pieces), then a short one.
        let tags: Vec<String> = (0..5000)
            .map(|i| format!("docker.io/library/a:t{i}"))
            .collect();
        let text = format!(
            "{HEADER}3\n{id} 1 0 1 2 - {}\n{id} - 0 0 0 -\nend 2\n",
            tags.join(" ")
        );
        let whole = all(text.as_bytes(), 3).expect("parses");
        assert_eq!(whole[0].refs, tags);
        assert_eq!(whole.len(), 2);
        for step in [1, 7, 4096, PIECE - 1, PIECE, PIECE + 1] {
            assert_eq!(
                all_in(text.as_bytes(), 3, step),
                Ok(whole.clone()),
                "{step}"
            );
        }
        for cut in [text.len() - 1, text.len() - 8, PIECE, PIECE + 3, 70] {
            assert!(
                all_in(&text.as_bytes()[..cut], 3, 4096).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_row_reads_back_and_damage_is_refused() {
        let id = format!("sha256:{}", "a".repeat(64));
        let parent = format!("sha256:{}", "b".repeat(64));
        let text = format!(
            "{HEADER}7\n{id} 1700000000 5 3 100 {parent} docker.io/library/a:1 x%20y\n{id} - 0 0 0 -\nend 2\n"
        );
        let rows = all(text.as_bytes(), 7).expect("parses");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id, id);
        assert_eq!(
            rows[0].created.map(Timestamp::as_second),
            Some(1_700_000_000)
        );
        assert_eq!(rows[0].parent, Some(parent.clone()));
        assert_eq!(rows[0].refs, ["docker.io/library/a:1", "x y"]);
        assert!(rows[1].refs.is_empty());
        assert_eq!(
            (rows[1].created, rows[1].seq, rows[1].parent.clone()),
            (None, 0, None)
        );
        assert!(all(text.as_bytes(), 8).is_err(), "another generation");
        for cut in 0..text.len() {
            assert!(all(&text.as_bytes()[..cut], 7).is_err(), "cut at {cut}");
        }
        for (from, to) in [
            ("end 2", "end 3"),
            (" 100 ", " 1x0 "),
            ("x%20y", "x%2y"),
            (&id[..10], "sha256:zz"),
            ("1700000000", "-9999999999999999999"),
            ("1700000000", "99999999999999999"),
        ] {
            let bad = text.replacen(from, to, 1);
            assert!(all(bad.as_bytes(), 7).is_err(), "{from} → {to}");
        }
        let trailing = format!("{text}more\n");
        assert!(all(trailing.as_bytes(), 7).is_err(), "lines after `end`");
    }
}
