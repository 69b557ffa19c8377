//! The REPL in a pseudo-terminal: prompt, Tab completion, a step passing, `lang en`, Ctrl-D.

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
