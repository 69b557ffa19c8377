//! The session's transcript: every line the student typed, what kind of command it was, how it
//! exited and what it changed for the lab. Checks read it; reports hash-chain it; `verify`
//! replays it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What kind of line an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A Docker command (`docker …`).
    Docker,
    /// A shell command run in the workspace (`mkdir`, `echo … > f`, `nano`…), or `cd`.
    Shell,
    /// A tutor command (`hint`, `skip`, `lang en`…).
    Tutor,
    /// An answer to a Docker confirmation prompt (`y`).
    Answer,
}

/// One transcript entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The line as typed.
    pub line: String,
    pub kind: EntryKind,
    /// For Docker commands: the words after `docker`, after `$(…)` substitution.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docker_args: Vec<String>,
    pub exit_code: i32,
    /// The lab step current when the line was typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// Steps this line completed (passed) or skipped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passed: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// Workspace files this line created or changed (path relative to ~ → whole content, read as
    /// UTF-8 with invalid bytes replaced). Written by docklab before 0.1's edit journal; still read
    /// so that old progress files and reports replay.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// Workspace files this line created or changed (path relative to ~ → what changed, against
    /// the content before the line), so a replay can restore what an editor or the shell wrote
    /// without running any shell command. An append records the appended bytes only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub edits: BTreeMap<String, FileEdit>,
    /// Workspace directories this line created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<String>,
    /// The working directory after the line, relative to ~ (`Test`), when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// The environment variables a `docker` or `cd` line expanded (`$USER`, `${TAG}`), with the
    /// values they had: a replay expands them the same way, never from the grader's environment.
    /// An unset variable is absent. (`~`, `$HOME`, `$PWD` and `$?` are the shell's own.)
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
}

impl Entry {
    pub fn new(line: &str, kind: EntryKind) -> Entry {
        Entry {
            line: line.to_owned(),
            kind,
            docker_args: Vec::new(),
            exit_code: 0,
            step: None,
            passed: Vec::new(),
            skipped: Vec::new(),
            files: BTreeMap::new(),
            edits: BTreeMap::new(),
            dirs: Vec::new(),
            cwd: None,
            env: BTreeMap::new(),
        }
    }
}

/// A change to one file: the first `keep` and the last `tail` bytes of its old content stay, and
/// the inserted bytes go between them. `keep = tail = 0` writes the file whole (a new file); an
/// append keeps the old content and inserts what was appended. Bytes are recorded faithfully:
/// as `text` when they are UTF-8, else as `base64`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEdit {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub keep: u64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub tail: u64,
    /// The old content's length, when some of it is kept: a replay checks it before applying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<u64>,
    /// The inserted bytes, when they are UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The inserted bytes otherwise, in standard padded base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl FileEdit {
    /// The edit that turns `old` (`None`: no such file) into `new`.
    pub fn diff(old: Option<&[u8]>, new: &[u8]) -> FileEdit {
        let old_bytes = old.unwrap_or_default();
        let mut keep = old_bytes
            .iter()
            .zip(new)
            .take_while(|(a, b)| a == b)
            .count();
        let mut tail = old_bytes[keep..]
            .iter()
            .rev()
            .zip(new[keep..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let inserted = if let Ok(text) = std::str::from_utf8(new) {
            // Cut at character boundaries, so that the inserted part of a text stays text.
            while !text.is_char_boundary(keep) {
                keep -= 1;
            }
            while !text.is_char_boundary(new.len() - tail) {
                tail -= 1;
            }
            &new[keep..new.len() - tail]
        } else {
            &new[keep..new.len() - tail]
        };
        let (text, base64) = match std::str::from_utf8(inserted) {
            Ok(t) => (Some(t.to_owned()), None),
            Err(_) => (None, Some(base64_encode(inserted))),
        };
        FileEdit {
            keep: keep as u64,
            tail: tail as u64,
            was: (keep + tail > 0).then_some(old_bytes.len() as u64),
            text,
            base64,
        }
    }

    /// The inserted bytes; `None` when the base64 is not valid.
    pub fn inserted(&self) -> Option<Vec<u8>> {
        match (&self.text, &self.base64) {
            (Some(t), None) => Some(t.as_bytes().to_vec()),
            (None, Some(b)) => base64_decode(b),
            (None, None) => Some(Vec::new()),
            (Some(_), Some(_)) => None,
        }
    }

    /// The new content from the old one; `None` when the old content is not the one the edit
    /// was made against (its length differs) or the edit is malformed.
    pub fn apply(&self, old: &[u8]) -> Option<Vec<u8>> {
        let inserted = self.inserted()?;
        if self.keep == 0 && self.tail == 0 {
            return Some(inserted);
        }
        let (keep, tail) = (
            usize::try_from(self.keep).ok()?,
            usize::try_from(self.tail).ok()?,
        );
        if self.was != Some(old.len() as u64) || keep.checked_add(tail)? > old.len() {
            return None;
        }
        let mut out = Vec::with_capacity(keep + inserted.len() + tail);
        out.extend_from_slice(&old[..keep]);
        out.extend_from_slice(&inserted);
        out.extend_from_slice(&old[old.len() - tail..]);
        Some(out)
    }
}

impl Entry {
    /// Restores what this line wrote in the workspace (a replay runs no shell command): the
    /// directories it created, then each file, whole (old entries) or edited. `resolve` maps a
    /// recorded path to where it is restored, `None` to refuse it. Returns the paths that could
    /// not be restored.
    pub fn restore(&self, resolve: &dyn Fn(&str) -> Option<PathBuf>) -> Vec<String> {
        let mut failed = Vec::new();
        for d in &self.dirs {
            if resolve(d).is_none_or(|p| std::fs::create_dir_all(p).is_err()) {
                failed.push(d.clone());
            }
        }
        let write = |p: &Path, bytes: &[u8]| -> bool {
            p.parent()
                .is_none_or(|parent| std::fs::create_dir_all(parent).is_ok())
                && std::fs::write(p, bytes).is_ok()
        };
        for (f, content) in &self.files {
            if !resolve(f).is_some_and(|p| write(&p, content.as_bytes())) {
                failed.push(f.clone());
            }
        }
        for (f, edit) in &self.edits {
            let done = resolve(f).is_some_and(|p| {
                let old = std::fs::read(&p).unwrap_or_default();
                edit.apply(&old).is_some_and(|new| write(&p, &new))
            });
            if !done {
                failed.push(f.clone());
            }
        }
        failed
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding (RFC 4648 §4).
fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for (i, chunk) in bytes.chunks(4).enumerate() {
        let last = i + 1 == bytes.len() / 4;
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            let v = BASE64.iter().position(|&a| a == c)?;
            n = (n << 6) | v as u32;
        }
        n <<= 6 * pad;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&decoded[..3 - pad]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(old: Option<&[u8]>, new: &[u8]) -> FileEdit {
        let edit = FileEdit::diff(old, new);
        let json = serde_json::to_string(&edit).expect("serialises");
        let back: FileEdit = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, edit);
        assert_eq!(
            back.apply(old.unwrap_or_default()).as_deref(),
            Some(new),
            "{old:?} → {new:?} via {json}"
        );
        edit
    }

    #[test]
    fn an_append_records_only_the_appended_bytes() {
        let old = "x".repeat(800_000);
        let new = format!("{old}line\n");
        let edit = round_trip(Some(old.as_bytes()), new.as_bytes());
        assert_eq!(edit.text.as_deref(), Some("line\n"));
        assert_eq!(
            (edit.keep, edit.tail, edit.was),
            (800_000, 0, Some(800_000))
        );
        assert!(serde_json::to_string(&edit).expect("json").len() < 60);
    }

    #[test]
    fn edits_of_every_shape_round_trip() {
        let cases: &[(Option<&[u8]>, &[u8])] = &[
            (None, b""),
            (None, b"new file\n"),
            (Some(b"abc"), b""),
            (Some(b"hello world"), b"hello brave world"),
            (Some(b"hello world"), b"world"),
            (Some(b"aaaa"), b"aaaaaa"),
            (Some(b"aaaaaa"), b"aaaa"),
            (Some("caf\u{e9}".as_bytes()), "caf\u{e8}".as_bytes()),
            (Some("\u{e9}t\u{e9}".as_bytes()), "\u{e9}\u{e9}".as_bytes()),
            (Some(b"\x00\xff\xfe text"), b"\x00\xff\xfd text\x80"),
            (None, b"\xff"),
            (None, b"\x89PNG\r\n\x1a\n\x00\x00"),
        ];
        for (old, new) in cases {
            round_trip(*old, new);
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_kept_exactly() {
        let new: Vec<u8> = (0..=255u8).collect();
        let edit = round_trip(None, &new);
        assert!(edit.text.is_none());
        assert!(edit.base64.is_some());
        // A change inside a multi-byte character stays text: the cut moves to its boundary.
        let edit = round_trip(Some("a\u{e9}b".as_bytes()), "a\u{e8}b".as_bytes());
        assert_eq!(edit.text.as_deref(), Some("\u{e8}"));
    }

    #[test]
    fn base64_matches_rfc_4648_and_refuses_garbage() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64_encode(plain.as_bytes()), coded);
            assert_eq!(base64_decode(coded).as_deref(), Some(plain.as_bytes()));
        }
        for bad in ["Zg=", "Z===", "Zg==Zg==", "Z!==", "abc"] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_edit_against_other_content_is_refused() {
        let edit = FileEdit::diff(Some(b"abcdef"), b"abcdefgh");
        assert_eq!(edit.apply(b"abcde"), None);
        assert_eq!(edit.apply(b"abcdef").as_deref(), Some(&b"abcdefgh"[..]));
    }

    #[test]
    fn old_entries_with_whole_files_still_read_and_serialise_the_same() {
        let old = r#"{"line":"echo hi > a","kind":"shell","exit_code":0,"files":{"a":"hi\n"}}"#;
        let e: Entry = serde_json::from_str(old).expect("reads");
        assert_eq!(e.files["a"], "hi\n");
        assert!(e.edits.is_empty());
        // The report's hash chain hashes this serialisation: it must not change.
        assert_eq!(serde_json::to_string(&e).expect("json"), old);
    }
}
