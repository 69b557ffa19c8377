//! The student's shell behaves like a shell (issue #15): pipes and redirections after `docker`,
//! `&&`/`||`/`;` lists, `~`/`$HOME`/quotes in `docker` and `cd` lines, here-documents, missing
//! editors explained, and `verify` replaying all of it. The Ctrl-C tests are in a pty at the end.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const CLOCK: &str = "2025-10-29T12:00:00Z";

/// A lab whose steps read what the shell features produced.
const LAB: &str = r#"format_version = 1
id = "shell"
title = { fr = "Le shell", en = "The shell" }
intro = { fr = "Essai.", en = "Trial." }

[[step]]
id = "listed"
title = { fr = "Lister", en = "List" }
text = { fr = "Écrivez la liste des images dans list.txt.", en = "Write the image list to list.txt." }
solution = ["docker pull busybox && docker images > list.txt"]
check = [{ file_contains = { path = "list.txt", text = "busybox" } }, { image_present = "busybox:latest" }]

[[step]]
id = "built"
title = { fr = "Construire", en = "Build" }
text = { fr = "Construisez built depuis ~/site.", en = "Build built from ~/site." }
solution = ["docker build -t built ~/site"]
check = [{ image_present = "built:latest" }]

[[step]]
id = "saved"
title = { fr = "Sauver", en = "Save" }
text = { fr = "Sauvez built dans ~/a.tar.", en = "Save built to ~/a.tar." }
solution = ["docker tag built built:v7", "docker save -o ~/a.tar built"]
check = [{ file_exists = "a.tar" }, { image_present = "built:v7" }]
"#;

struct Home {
    home: tempfile::TempDir,
    labs: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let labs = tempfile::tempdir().expect("temp dir");
        std::fs::write(labs.path().join("shell.toml"), LAB).expect("write lab");
        Home {
            home: tempfile::tempdir().expect("temp dir"),
            labs,
        }
    }

    fn docklab(&self, lang: &str) -> Command {
        let mut c = Command::cargo_bin("docklab").expect("the docklab binary is built");
        c.env("DOCKLAB_HOME", self.home.path())
            .env("DOCKLAB_CLOCK", CLOCK)
            .env("NO_COLOR", "1")
            .env_remove("DOCKLAB_LABS")
            .env_remove("LC_ALL")
            .env("LANG", "C")
            .arg("--labs")
            .arg(self.labs.path())
            .args(["--lang", lang]);
        c
    }

    /// Runs `script` in the lab: (stdout, stderr).
    fn run(&self, lang: &str, script: &str) -> (String, String) {
        let out = self
            .docklab(lang)
            .args(["--lab", "shell"])
            .write_stdin(script)
            .output()
            .expect("docklab runs");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn workspace(&self) -> PathBuf {
        self.home.path().join("runs/shell/home")
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn docker_output_flows_through_pipes_and_into_files() {
    let h = Home::new();
    let (out, err) = h.run(
        "en",
        "docker pull busybox\n\
         docker images | grep -c busybox\n\
         docker images > list.txt\n\
         docker images >> list.txt\n\
         docker images | wc -l\n\
         docker history busybox | head -1\n\
         docker rmi nope 2>&1 | tr a-z A-Z\n\
         docker rmi nope 2> err.txt\n\
         docker images | grep -q nothing-like-this || echo no-match\n",
    );
    // `grep -c` counted one line: the pipeline ran in the shell, not as Docker's arguments.
    assert!(
        out.contains("$ docker images | grep -c busybox\n1\n"),
        "{out}"
    );
    assert!(!out.contains("accepts no arguments") && !err.contains("accepts no arguments"));
    let list = read(&h.workspace().join("list.txt"));
    assert_eq!(list.matches("REPOSITORY").count(), 2, "{list}");
    assert!(list.contains("busybox"), "{list}");
    assert!(out.contains("$ docker images | wc -l\n2\n"), "{out}");
    let after_head: Vec<&str> = out
        .split_once("| head -1\n")
        .map(|(_, rest)| rest.lines().take(2).collect())
        .unwrap_or_default();
    assert!(after_head[0].starts_with("IMAGE "), "{out}");
    assert!(
        after_head[1].starts_with("[shell"),
        "head -1 kept one line: {out}"
    );
    // Docker's error went into the pipe (2>&1), and into the file (2>), not to the terminal.
    assert!(out.contains("ERROR RESPONSE FROM DAEMON"), "{out}");
    assert!(read(&h.workspace().join("err.txt")).contains("No such image: nope"));
    assert!(out.contains("no-match"), "{out}");
    // The explanation still followed the Docker command itself.
    assert!(
        out.contains("$ docker images > list.txt\n✔ Step 1 done"),
        "{out}"
    );
}

#[test]
fn lists_run_each_part_with_shell_semantics() {
    let h = Home::new();
    let (out, _) = h.run(
        "en",
        "mkdir ~/Test && cd ~/Test\n\
         pwd\n\
         false && docker pull busybox\n\
         docker images -q | wc -l\n\
         docker pull no-such-image-here || echo pull-failed; echo after\n\
         docker pull busybox && docker images --format '{{.Repository}}'\n\
         cd; cd -\n\
         docker rmi no-such-image\n\
         echo status-$?\n\
         docker images -q > /dev/null; echo status-$?\n",
    );
    // `$?` is the last command's status, Docker's included.
    assert!(out.contains("status-1\n"), "{out}");
    assert!(out.contains("status-0\n"), "{out}");
    let ws = h.workspace();
    assert!(
        out.contains(&format!("~/Test $ pwd\n{}\n", ws.join("Test").display())),
        "{out}"
    );
    // `false &&` skipped the pull.
    assert!(out.contains("$ docker images -q | wc -l\n0\n"), "{out}");
    assert!(out.contains("pull-failed\nafter"), "{out}");
    assert!(out.contains("\nbusybox\n"), "{out}");
    // `cd -` goes back and says where, as bash.
    assert!(
        out.contains(&format!("{}\n", ws.join("Test").display())),
        "{out}"
    );
    // Each part is its own transcript entry.
    let report = h.home.path().join("report.json");
    h.docklab("en")
        .args(["report", "-o"])
        .arg(&report)
        .assert()
        .success();
    let report = read(&report);
    assert!(report.contains("\"line\": \"mkdir ~/Test\""), "{report}");
    assert!(report.contains("\"line\": \"cd ~/Test\""), "{report}");
    assert!(!report.contains("false && docker"), "{report}");
}

#[test]
fn words_expand_in_docker_and_cd_lines() {
    let h = Home::new();
    let (out, err) = h.run(
        "fr",
        "docker pull busybox\n\
         mkdir -p \"$HOME/my site\"\n\
         cd \"my site\"\n\
         cd $HOME/'my site'\n\
         cd ~/my\\ site\n\
         echo FROM busybox > Dockerfile\n\
         cd\n\
         mkdir site && cp \"my site/Dockerfile\" site/\n\
         docker build -q -t built ~/site\n\
         docker save -o ~/a.tar built\n\
         TAG=v1 && docker tag built \"built:$USER_TAG${NO_SUCH}x\"\n\
         docker images --format '{{.Tag}}' built\n",
    );
    assert!(!out.contains("Impossible"), "{out}{err}");
    assert!(out.contains("~/my site $ cd $HOME/'my site'\n"), "{out}");
    assert!(out.contains("~/my site $ cd ~/my\\ site\n"), "{out}");
    assert!(h.workspace().join("a.tar").is_file(), "{out}{err}");
    // Unset variables are empty, as in a shell.
    assert!(out.contains("\nx\n"), "{out}");
}

#[test]
fn a_relative_home_gives_an_absolute_tilde() {
    let dir = tempfile::tempdir().expect("temp dir");
    let labs = tempfile::tempdir().expect("temp dir");
    std::fs::write(labs.path().join("shell.toml"), LAB).expect("write lab");
    let out = Command::cargo_bin("docklab")
        .expect("binary")
        .current_dir(dir.path())
        .env("DOCKLAB_CLOCK", CLOCK)
        .env("NO_COLOR", "1")
        .arg("--home")
        .arg("rel")
        .arg("--labs")
        .arg(labs.path())
        .args(["--lang", "en", "--lab", "shell"])
        .write_stdin("echo $HOME\nmkdir site && cd site && pwd\n")
        .output()
        .expect("runs");
    let out = String::from_utf8_lossy(&out.stdout);
    let ws = dir
        .path()
        .canonicalize()
        .expect("canonical")
        .join("rel/runs/shell/home");
    let shown = std::path::absolute(dir.path().join("rel/runs/shell/home")).expect("abs");
    assert!(
        out.contains(&format!("\n{}\n", shown.display()))
            || out.contains(&format!("\n{}\n", ws.display())),
        "{out}"
    );
    // `cd` in a list moved the shell: `pwd` after it, in the same line, is there.
    assert!(
        out.contains(&format!("{}/site\n", shown.display())),
        "{out}"
    );
}

#[test]
fn heredocs_write_the_file_from_piped_input() {
    let h = Home::new();
    let (out, _) = h.run(
        "en",
        "cat > Dockerfile <<EOF\nFROM busybox\nRUN echo a; echo b && true\nEOF\ncat Dockerfile\n",
    );
    assert_eq!(
        read(&h.workspace().join("Dockerfile")),
        "FROM busybox\nRUN echo a; echo b && true\n"
    );
    // The continuation lines are echoed after the shell's `> ` prompt.
    assert!(out.contains("\n> FROM busybox\n> RUN echo a"), "{out}");
}

#[test]
fn a_missing_editor_names_those_that_work_in_both_languages() {
    let bin = tempfile::tempdir().expect("temp dir");
    // A PATH with `sh` and one editor: `vi` (a stand-in), never `nano`.
    for (name, target) in [("sh", "/bin/sh"), ("cat", "/bin/cat")] {
        std::os::unix::fs::symlink(target, bin.path().join(name)).expect("link");
    }
    std::os::unix::fs::symlink("/bin/cat", bin.path().join("vi")).expect("link");
    for (lang, expected) in [
        (
            "en",
            "nano is not installed on this machine. Editors that work here: vi.",
        ),
        (
            "fr",
            "nano n'est pas installé sur cette machine. Éditeurs disponibles ici\u{202f}: vi.",
        ),
    ] {
        let h = Home::new();
        let out = h
            .docklab(lang)
            .env("PATH", bin.path())
            .args(["--lab", "shell"])
            .write_stdin("nano Dockerfile\n")
            .output()
            .expect("runs");
        let out = String::from_utf8_lossy(&out.stdout);
        assert!(out.contains(expected), "{out}");
        assert!(out.contains("cat > Dockerfile <<EOF"), "{out}");
    }
}

#[test]
fn verify_replays_lists_pipes_redirections_and_heredocs() {
    let h = Home::new();
    let script = "docker pull busybox && docker images > list.txt\n\
                  mkdir ~/site && cd ~/site\n\
                  cat > Dockerfile <<EOF\nFROM busybox\nEOF\n\
                  docker build -q -t built ~/site | cut -c1-7\n\
                  docker tag built \"built:${TAG_FROM_ENV}\"\n\
                  cd && docker save -o ~/a.tar built\n";
    // A variable of the student's environment: the replay, in an empty environment, reads its
    // value from the transcript.
    let out = h
        .docklab("en")
        .env("TAG_FROM_ENV", "v7")
        .args(["--lab", "shell"])
        .write_stdin(script)
        .output()
        .expect("docklab runs");
    let (out, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.contains("Step 3"), "{out}{err}");
    let report = h.home.path().join("report.json");
    h.docklab("en")
        .args(["report", "-o"])
        .arg(&report)
        .assert()
        .success();
    let out = h
        .docklab("en")
        .env("DOCKLAB_REPLAY_TIMEOUT", "60")
        .arg("verify")
        .arg(&report)
        .output()
        .expect("verify runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("confirms the results: 3 passed"),
        "{stdout}"
    );
    let text = read(&report);
    assert!(text.contains("\"TAG_FROM_ENV\": \"v7\""), "{text}");
}

/// docklab in a pseudo-terminal, in `lang`, with its lab `shell` started.
fn pty(h: &Home, lang: &str) -> rexpect::session::PtySession {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("docklab"));
    cmd.arg("--labs")
        .arg(h.labs.path())
        .args(["--lab", "shell", "--lang", lang])
        .env("DOCKLAB_HOME", h.home.path())
        .env("DOCKLAB_CLOCK", CLOCK)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    rexpect::session::spawn_command(cmd, Some(20_000)).expect("spawn docklab in a pty")
}

/// Waits for the prompt after a command: a marker's output, since rustyline redraws the prompt
/// as keys arrive (`echo mark-$((n+0))` shows `mark-n` only when run).
fn sync(p: &mut rexpect::session::PtySession, n: u32) -> String {
    // rustyline drops what was typed ahead while it takes the terminal back: wait a person's
    // pause first.
    std::thread::sleep(std::time::Duration::from_millis(500));
    p.send_line(&format!("echo mark-$(({n}+0))")).expect("send");
    p.exp_string(&format!("mark-{n}\r\n"))
        .unwrap_or_else(|e| panic!("the shell did not come back ({n}): {e}"))
}

#[test]
fn ctrl_c_stops_the_running_command_and_the_shell_goes_on() {
    for lang in ["en", "fr"] {
        let h = Home::new();
        let mut p = pty(&h, lang);
        p.exp_string("[shell 1/3] ~ $ ").expect("prompt");
        let start = std::time::Instant::now();
        p.send_line("sleep 30; echo never").expect("send");
        std::thread::sleep(std::time::Duration::from_millis(500));
        p.send_control('c').expect("ctrl-c");
        let before = sync(&mut p, 1);
        // The list stopped with its command, as in bash.
        assert!(!before.contains("\nnever"), "{before}");
        assert!(start.elapsed() < std::time::Duration::from_secs(15));
        // `cat >` cut short keeps what was typed, as in bash.
        p.send_line("cat > Dockerfile").expect("send");
        std::thread::sleep(std::time::Duration::from_millis(300));
        p.send_line("FROM busybox").expect("send");
        std::thread::sleep(std::time::Duration::from_millis(300));
        p.send_control('c').expect("ctrl-c");
        let _ = sync(&mut p, 2);
        // The session goes on: the next commands work, the lab too.
        p.send_line("docker pull busybox && docker images > list.txt")
            .expect("send");
        p.exp_string("[shell 2/3] ~ $ ").expect("the step passed");
        let _ = sync(&mut p, 3);
        // The same pause as `sync`: a key typed while rustyline takes the terminal back is lost.
        std::thread::sleep(std::time::Duration::from_millis(500));
        p.send_control('d').expect("ctrl-d");
        p.exp_eof().expect("exits");
        assert_eq!(read(&h.workspace().join("Dockerfile")), "FROM busybox\n");
        assert!(!read(&h.workspace().join("list.txt")).is_empty());
    }
}

#[test]
fn a_heredoc_typed_at_the_prompt_writes_the_file() {
    let h = Home::new();
    let mut p = pty(&h, "fr");
    p.exp_string("[shell 1/3] ~ $ ").expect("prompt");
    let pause = || std::thread::sleep(std::time::Duration::from_millis(300));
    for line in [
        "cat > Dockerfile <<EOF",
        "FROM busybox",
        "RUN echo $HOME",
        "EOF",
    ] {
        p.send_line(line).expect("send");
        pause();
    }
    let _ = sync(&mut p, 1);
    // Ctrl-C in a here-document drops the whole command, as bash does.
    for line in ["cat > other <<FIN", "text"] {
        p.send_line(line).expect("send");
        pause();
    }
    p.send_control('c').expect("ctrl-c");
    let _ = sync(&mut p, 2);
    p.send_line("nano Dockerfile").expect("send");
    p.exp_string("n'est pas install")
        .expect("the editor is missing, in French");
    let _ = sync(&mut p, 3);
    std::thread::sleep(std::time::Duration::from_millis(500));
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits");
    let ws = h.workspace();
    assert_eq!(
        read(&ws.join("Dockerfile")),
        format!("FROM busybox\nRUN echo {}\n", ws.display())
    );
    assert!(!ws.join("other").exists());
}

#[test]
fn cd_dash_without_a_previous_directory_says_so_in_both_languages() {
    for (lang, expected) in [
        (
            "en",
            "cd -: there is no previous directory yet (OLDPWD not set).",
        ),
        (
            "fr",
            "cd -\u{202f}: il n'y a pas encore de répertoire précédent (OLDPWD n'est pas défini).",
        ),
    ] {
        let h = Home::new();
        let (out, _) = h.run(lang, "cd -\ncd - || echo failed-as-in-bash\n");
        assert!(out.contains(expected), "{out}");
        assert!(out.contains("failed-as-in-bash"), "{out}");
    }
}

/// A typo of `docker` gets `sh`'s "not found" and the tutor's correction; `sudo docker` is not
/// run (it would reach a real Docker behind the lab's back), and the tutor says why.
#[test]
fn docker_typos_and_sudo_are_named_in_both_languages() {
    for (lang, did_you_mean, sudo) in [
        (
            "en",
            "Did you mean: docker images?",
            "No sudo here: docklab runs Docker commands itself. Type `docker images`.",
        ),
        (
            "fr",
            "Vouliez-vous dire\u{202f}: docker images\u{202f}?",
            "Pas de sudo ici\u{202f}: docklab exécute lui-même les commandes Docker. Tapez `docker images`.",
        ),
    ] {
        let h = Home::new();
        let (out, _) = h.run(lang, "dokcer images\nDocker images\nsudo docker images\n");
        assert_eq!(out.matches(did_you_mean).count(), 2, "{out}");
        assert!(out.contains(sudo), "{out}");
    }
}

/// Types `setup` lines, then `command`; presses Ctrl-C once `progress` shows; then checks that
/// the tutor said so, that the shell goes on, and that no image named `image` was kept.
fn ctrl_c_during_progress_keeps_no_image(
    setup: &[&str],
    command: &str,
    progress: &str,
    image: &str,
) {
    for lang in ["en", "fr"] {
        let h = Home::new();
        let mut p = pty(&h, lang);
        p.exp_string("[shell 1/3] ~ $ ").expect("prompt");
        for (n, line) in (10..).zip(setup) {
            p.send_line(line).expect("send");
            let _ = sync(&mut p, n);
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        p.send_line(command).expect("send");
        p.exp_string(progress).expect("the progress shows");
        p.send_control('c').expect("ctrl-c");
        p.exp_string("Ctrl-C")
            .expect("the tutor says the command was interrupted");
        let _ = sync(&mut p, 1);
        std::thread::sleep(std::time::Duration::from_millis(500));
        p.send_line(&format!("docker images -q {image} | wc -l > count.txt"))
            .expect("send");
        let _ = sync(&mut p, 2);
        std::thread::sleep(std::time::Duration::from_millis(500));
        p.send_control('d').expect("ctrl-d");
        p.exp_eof().expect("exits");
        assert_eq!(read(&h.workspace().join("count.txt")).trim(), "0", "{lang}");
    }
}

/// Ctrl-C during a simulated pull's progress stops it as it stops Docker's: the image is not
/// kept, and the shell goes on.
#[test]
fn ctrl_c_during_a_pull_keeps_no_image() {
    ctrl_c_during_progress_keeps_no_image(&[], "docker pull nginx", "Downloading", "nginx");
}

/// Ctrl-C during a simulated build's progress drops the build: no image is tagged.
#[test]
fn ctrl_c_during_a_build_keeps_no_image() {
    ctrl_c_during_progress_keeps_no_image(
        &[r"printf 'FROM busybox\nRUN echo one\nRUN echo two\n' > Dockerfile"],
        "docker build -t site .",
        "[+] Building",
        "site",
    );
}
