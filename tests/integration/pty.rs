//! The REPL in a pseudo-terminal: prompt, Tab completion, a step passing, `lang en`, Ctrl-D; tutor
//! text wrapped to the terminal's width.

use rexpect::session::spawn_command;

#[test]
fn repl_in_a_terminal() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("docklab"));
    cmd.args(["--lab", "a-vous-de-jouer", "--lang", "fr"])
        .env("DOCKLAB_HOME", home.path())
        .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn docklab in a pty");
    p.exp_string("[a-vous-de-jouer 1/6] ~ $ ").expect("prompt");
    p.send("docker ima\t").expect("send");
    p.flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send("\t").expect("send");
    p.flush().expect("flush");
    p.exp_string("images")
        .expect("completion candidates listed");
    // Clear the line (Ctrl-U) and pull.
    p.send_control('u').expect("ctrl-u");
    p.send_line("docker pull memcached").expect("send");
    // rexpect reads bytes as Latin-1: match ASCII only.
    p.exp_string("tape 1 r").expect("step passed");
    p.exp_string("[a-vous-de-jouer 2/6] ~ $ ")
        .expect("next prompt");
    p.send_line("lang en").expect("send");
    p.exp_string("now speaks English").expect("switched");
    p.send_line("check").expect("send");
    p.exp_string("The image httpd:2-alpine is not there.")
        .expect("explained in English");
    p.send_control('c').expect("ctrl-c");
    p.exp_string("Ctrl-C").expect("ctrl-c hint");
    p.send_control('d').expect("ctrl-d");
    p.exp_string("Goodbye").expect("bye");
    p.exp_eof().expect("exits");
}

/// Tutor text in a 40-column terminal (set with `stty`, `COLUMNS` unset): every line fits,
/// words are whole, and a help row's description continues under its column.
#[test]
fn tutor_text_is_wrapped_to_the_terminal_width() {
    let home = tempfile::tempdir().expect("temp dir");
    let docklab = assert_cmd::cargo::cargo_bin("docklab");
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty cols 40 rows 50 && exec \"$0\" \"$@\""])
        .arg(&docklab)
        .args(["--lang", "en"])
        .env("DOCKLAB_HOME", home.path())
        .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("COLUMNS");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn docklab in a pty");
    let welcome = p.exp_string("~ $ ").expect("first prompt");
    p.send_line("help").expect("send");
    // Up to the footer's last word (rustyline redraws the prompt while the line is typed).
    let help = p.exp_string("(~).").expect("help's footer");
    p.exp_string("~ $ ").expect("prompt after help");
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits");
    for text in [&welcome, &help] {
        // rexpect reads bytes as Latin-1: count columns on ASCII lines only.
        for line in text.lines().map(|l| l.trim_end_matches('\r')) {
            if line.is_ascii() && !line.contains('\u{1b}') {
                assert!(
                    line.len() <= 40,
                    "{line:?} is wider than the terminal:\n{text}"
                );
            }
        }
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&welcome).contains("Type real commands (docker pull nginx, mkdir,"),
        "{welcome}"
    );
    assert!(
        words(&help).contains("skip apply the step's solution and go on (recorded in the grade)"),
        "{help}"
    );
    // The description column (2 + the widest usage + 2) holds the continuation lines.
    assert!(
        help.contains("\r\n                   (start images)\r\n"),
        "{help}"
    );
}

/// Into a pipe, tutor text is not wrapped, unless `COLUMNS` asks for it.
#[test]
fn tutor_text_is_not_wrapped_into_a_pipe_unless_columns_says() {
    let home = tempfile::tempdir().expect("temp dir");
    let run = |columns: Option<&str>| {
        let mut cmd = assert_cmd::Command::cargo_bin("docklab").expect("built");
        cmd.args(["--lang", "fr"])
            .env("DOCKLAB_HOME", home.path())
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .write_stdin("aide\n");
        if let Some(c) = columns {
            cmd.env("COLUMNS", c);
        }
        let out = cmd.output().expect("runs");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let row =
        "  passer                 appliquer la solution de l'étape et continuer (noté dans la note)\n";
    assert!(run(None).contains(row), "{}", run(None));
    let narrow = run(Some("50"));
    assert!(
        narrow.contains(
            "  passer                 appliquer la solution de\n                         l'étape et continuer\n"
        ),
        "{narrow}"
    );
    assert!(narrow.lines().all(|l| unicode_width(l) <= 50), "{narrow}");
}

fn unicode_width(s: &str) -> usize {
    // Only the characters these texts hold: each takes one column.
    s.chars().count()
}

/// An answer to Docker's `[y/N]` is not a shell command: no tutor hint is offered while it is
/// typed (`o` was hinted into `objectif`), and it stays out of the history (Up recalls the
/// `docker image prune`, not the `o`).
#[test]
fn dockers_question_is_answered_without_hints_or_history() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("docklab"));
    cmd.args(["--lang", "fr"])
        .env("DOCKLAB_HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn docklab in a pty");
    p.exp_string("~ $ ").expect("prompt");
    p.send_line("docker image prune").expect("send");
    p.exp_string("[y/N] ").expect("docker asks");
    p.send("o").expect("send");
    p.flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_line("").expect("enter");
    let typed = p.exp_string("Docker n").expect("the tutor explains the no");
    assert!(!typed.contains("bjectif"), "{typed:?}");
    p.exp_string("~ $ ").expect("prompt");
    // Up, Enter: the last command again.
    p.send("\x1b[A").expect("up");
    p.send_line("").expect("enter");
    p.exp_string("WARNING! This will remove all dangling images.")
        .expect("the prune is recalled, not the answer");
    p.exp_string("[y/N] ").expect("docker asks again");
    p.send_line("n").expect("send");
    p.exp_string("~ $ ").expect("prompt");
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits");
}
