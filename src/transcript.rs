//! The session's transcript: every line the student typed, what kind of command it was, how it
//! exited and what it changed for the lab. Checks read it; reports hash-chain it; `verify`
//! replays it.

use std::collections::BTreeMap;

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
    /// Workspace files this line created or changed (path relative to ~ → content), so a replay
    /// can restore what an editor wrote without running any shell command.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// Workspace directories this line created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dirs: Vec<String>,
    /// The working directory after the line, relative to ~ (`Test`), when it changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
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
            dirs: Vec::new(),
            cwd: None,
        }
    }
}
