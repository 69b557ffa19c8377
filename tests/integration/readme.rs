//! The README's first session, replayed: each `$ docklab …` line is run with the README's frozen
//! clock and its output compared with what the README shows. The README shows a terminal, so the
//! non-terminal pull lines that are not `Pull complete`/`Already exists` are left out of the
//! comparison.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_first_session_is_true() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let block = readme
        .split("```console\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a console block");
    let home = tempfile::tempdir().expect("temp home");
    let mut expected = String::new();
    let mut command: Option<String> = None;
    let check = |command: &str, expected: &str| {
        let words = shell_words::split(command).expect("splits");
        assert_eq!(words[0], "docklab");
        let out = Command::new(env!("CARGO_BIN_EXE_docklab"))
            .args(&words[1..])
            .env("DOCKLAB_HOME", home.path())
            .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let shown: String = stdout
            .lines()
            .filter(|l| {
                let layer = l.len() > 14
                    && l.as_bytes()[12] == b':'
                    && l[..12].bytes().all(|b| b.is_ascii_hexdigit());
                !layer || l.ends_with("Pull complete") || l.ends_with("Already exists")
            })
            .fold(String::new(), |mut acc, l| {
                acc.push_str(l);
                acc.push('\n');
                acc
            });
        pretty_assertions::assert_eq!(shown, expected, "`{command}`");
    };
    for line in block.lines() {
        if let Some(c) = line.strip_prefix("$ ") {
            if let Some(prev) = command.take() {
                check(&prev, &expected);
            }
            command = Some(c.to_owned());
            expected.clear();
        } else {
            expected.push_str(line);
            expected.push('\n');
        }
    }
    if let Some(prev) = command {
        check(&prev, &expected);
    }
}
