//! The tutor's explanations follow the engine's real result: every `docker rmi` case (an image
//! with one tag, several tags or none; used by a running container, a stopped one or none; by
//! name or by ID; with and without `-f`) and every prune (`image prune`, `image prune -a`,
//! `system prune -a`, and a `[y/N]` answered in French) run on the simulated engine, then each
//! explanation is checked, in English and in French, against what the engine then holds.

use std::collections::VecDeque;
use std::path::Path;

use docklab::engine::{Clock, Interaction};
use docklab::feedback::Feedback;
use docklab::i18n::{try_tr, Lang, Msg};
use docklab::lab::Catalog;
use docklab::session::{Session, SessionOptions, ShellMode};

struct Queue(VecDeque<String>);

impl Interaction for Queue {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        self.0.pop_front()
    }
}

fn session(home: &Path) -> Session {
    Session::new(SessionOptions {
        home: home.to_path_buf(),
        clock: Clock::frozen("2025-10-29T12:00:00Z".parse().expect("valid time")),
        lang: Lang::En,
        catalog: Catalog::load(&[]),
        shell: ShellMode::Detached,
        engine: docklab::session::EngineChoice::Sim,
    })
}

/// Runs a line (answers to its prompt after it); Docker's output and the tutor's messages.
fn run(s: &mut Session, line: &str, answers: &[&str]) -> (String, i32, Vec<Msg>) {
    let mut io = Queue(answers.iter().map(|a| (*a).to_owned()).collect());
    let fb = s.handle(line, &mut io);
    let mut out = String::new();
    let mut code = 0;
    let mut msgs = Vec::new();
    for f in fb {
        match f {
            Feedback::Docker(o) => {
                out.push_str(&o.stdout);
                out.push_str(&o.stderr);
                code = o.exit_code;
            }
            Feedback::Tutor { msg, .. } => msgs.push(msg),
            _ => {}
        }
    }
    (out, code, msgs)
}

/// The engine's images, as `docker images -a` lists them: (short ID, tags).
fn images(s: &mut Session) -> Vec<(String, Vec<String>)> {
    let (out, code, _) = run(
        s,
        "docker images -a --format '{{.ID}} {{.Repository}}:{{.Tag}}'",
        &[],
    );
    assert_eq!(code, 0, "{out}");
    let mut by_id: Vec<(String, Vec<String>)> = Vec::new();
    for line in out.lines() {
        let (id, tag) = line.split_once(' ').expect("ID and tag");
        let pos = by_id.iter().position(|(i, _)| i == id).unwrap_or_else(|| {
            by_id.push((id.to_owned(), Vec::new()));
            by_id.len() - 1
        });
        if tag != "<none>:<none>" {
            by_id[pos].1.push(tag.to_owned());
        }
    }
    by_id
}

fn containers(s: &mut Session) -> Vec<String> {
    let (out, _, _) = run(s, "docker ps -a --format '{{.Names}}'", &[]);
    out.lines().map(str::to_owned).collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tags {
    One,
    Several,
    Untagged,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum User {
    Running,
    Stopped,
    Nothing,
}

/// A store with nginx's image as described, used (or not) by a container `web`; its short ID.
fn setup(s: &mut Session, tags: Tags, user: User) -> String {
    for line in ["docker pull nginx", "docker pull hello-world"] {
        let (out, code, _) = run(s, line, &[]);
        assert_eq!(code, 0, "{line}: {out}");
    }
    let (id, code, _) = run(s, "docker image inspect --format '{{.Id}}' nginx", &[]);
    assert_eq!(code, 0, "{id}");
    let id: String = id
        .trim()
        .trim_start_matches("sha256:")
        .chars()
        .take(12)
        .collect();
    let line = match user {
        User::Running => Some("docker run -d --name web nginx"),
        User::Stopped => Some("docker create --name web nginx"),
        User::Nothing => None,
    };
    if let Some(line) = line {
        let (out, code, _) = run(s, line, &[]);
        assert_eq!(code, 0, "{line}: {out}");
    }
    let line = match tags {
        Tags::One => None,
        Tags::Several => Some("docker tag nginx nginx:two"),
        // The tag moves to another image: nginx's image is left without one.
        Tags::Untagged => Some("docker tag hello-world nginx:latest"),
    };
    if let Some(line) = line {
        let (out, code, _) = run(s, line, &[]);
        assert_eq!(code, 0, "{line}: {out}");
    }
    id
}

/// Every message renders without error in both languages, and says `en`/`fr`.
fn says(msgs: &[Msg], id: &str, en: &[&str], fr: &[&str], context: &str) {
    let msg = msgs
        .iter()
        .find(|m| m.id() == id)
        .unwrap_or_else(|| panic!("{context}: no {id} among {msgs:#?}"));
    for (lang, words) in [(Lang::En, en), (Lang::Fr, fr)] {
        let (text, errors) = try_tr(lang, msg);
        assert!(errors.is_empty(), "{context}: {errors:?}");
        for w in words {
            assert!(
                text.contains(w),
                "{context} ({lang:?}): {text:?} lacks {w:?}"
            );
        }
    }
}

fn never(msgs: &[Msg], ids: &[&str], context: &str) {
    for m in msgs {
        assert!(!ids.contains(&m.id()), "{context}: said {m:?}");
    }
}

/// What Docker does (moby's `ImageDelete`, and tests/scenarios/rmi.real), case by case, and
/// that the tutor says exactly that.
#[test]
fn every_rmi_case_is_explained_as_it_happened() {
    for tags in [Tags::One, Tags::Several, Tags::Untagged] {
        for user in [User::Running, User::Stopped, User::Nothing] {
            for by_id in [false, true] {
                if tags == Tags::Untagged && !by_id {
                    continue; // no name to give
                }
                for force in [false, true] {
                    rmi_case(tags, user, by_id, force);
                }
            }
        }
    }
}

#[allow(clippy::too_many_lines, reason = "every rmi case checked in one place")]
fn rmi_case(tags: Tags, user: User, by_id: bool, force: bool) {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path());
    let id = setup(&mut s, tags, user);
    let target = if by_id {
        id.clone()
    } else {
        "nginx".to_owned()
    };
    let line = format!("docker rmi {}{target}", if force { "-f " } else { "" });
    let context = format!("{tags:?}, {user:?}: {line}");
    let (out, code, msgs) = run(&mut s, &line, &[]);
    let after = images(&mut s);
    let left = after.iter().find(|(i, _)| *i == id).map(|(_, t)| t.clone());
    let context = format!("{context}\n{out}\nleft: {left:?}");
    let deleted_msgs = ["explain-image-deleted", "explain-image-deleted-tagged"];
    let freed = "explain-layers-freed";

    // The outcome Docker gives, then the explanation of it.
    match (tags, user, by_id, force) {
        // Several tags, by name: only that tag goes, whatever uses the image.
        (Tags::Several, _, false, _) => {
            assert_eq!(code, 0, "{context}");
            assert_eq!(left, Some(vec!["nginx:two".to_owned()]), "{context}");
            says(
                &msgs,
                "explain-untagged",
                &[
                    "Only the tag nginx:latest",
                    "1 tag left",
                    "Nothing was freed",
                ],
                &[
                    "Seul le tag nginx:latest",
                    "il lui reste 1 tag)",
                    "Rien n'a été libéré",
                ],
                &context,
            );
            never(&msgs, &deleted_msgs, &context);
            never(&msgs, &[freed], &context);
        }
        // A running container: by ID it cannot be forced.
        (_, User::Running, true, _) => {
            assert_eq!(code, 1, "{context}");
            assert!(
                out.contains("(cannot be forced) - image is being used by running container"),
                "{context}"
            );
            assert!(left.is_some(), "{context}");
            says(
                &msgs,
                "explain-refused-running",
                &["running container web", "even -f cannot"],
                &[
                    "le conteneur web, en cours d'exécution",
                    "même -f ne peut pas",
                ],
                &context,
            );
        }
        // A running container, by its only tag: refused without -f...
        (Tags::One, User::Running, false, false) => {
            assert_eq!(code, 1, "{context}");
            assert!(left.is_some(), "{context}");
            says(
                &msgs,
                "explain-refused-in-use",
                &["running container web", "only remove the tag", "dangling"],
                &[
                    "en cours d'exécution",
                    "retirerait seulement le tag",
                    "en suspens",
                ],
                &context,
            );
        }
        // ... and with -f, the tag goes but the image stays, dangling, under the container.
        (Tags::One, User::Running, false, true) => {
            assert_eq!(code, 0, "{context}");
            assert!(
                out.contains("Untagged: nginx:latest") && !out.contains("Deleted:"),
                "{context}"
            );
            assert_eq!(left, Some(vec![]), "{context}");
            says(
                &msgs,
                "explain-now-dangling-used",
                &[
                    "no tag left",
                    "running container web uses it",
                    "docker image prune keeps",
                ],
                &[
                    "n'a plus aucun tag",
                    "conteneur web (en cours d'exécution) l'utilise",
                    "docker image prune garde",
                ],
                &context,
            );
            never(
                &msgs,
                &["explain-untagged", "explain-now-dangling", freed],
                &context,
            );
            never(&msgs, &deleted_msgs, &context);
            // Once the container is gone, nothing keeps it: prune would remove it now.
            let (_, code, msgs) = run(&mut s, "docker rm -f web", &[]);
            assert_eq!(code, 0, "{context}");
            assert_eq!(
                images(&mut s)
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, t)| t.len()),
                Some(0),
                "{context}"
            );
            says(
                &msgs,
                "explain-dangling-unused",
                &[
                    "no container uses it any more",
                    "docker image prune removes it now",
                ],
                &[
                    "aucun conteneur ne l'utilise plus",
                    "docker image prune la supprime",
                ],
                &context,
            );
            let (_, _, msgs) = run(&mut s, "docker image prune -f", &[]);
            assert!(
                msgs.iter().any(|m| m.id() == "explain-image-deleted"),
                "{context}: {msgs:?}"
            );
        }
        // A stopped container, by its only tag, without -f: refused; -f would delete the image.
        (Tags::One, User::Stopped, false, false) => {
            assert_eq!(code, 1, "{context}");
            assert!(out.contains("(must force) - container"), "{context}");
            assert!(left.is_some(), "{context}");
            says(
                &msgs,
                "explain-refused-in-use-stopped",
                &[
                    "stopped container web",
                    "remove the tag and delete the image",
                ],
                &[
                    "conteneur arrêté web",
                    "retirerait le tag et supprimerait l'image",
                ],
                &context,
            );
            never(&msgs, &["explain-refused-in-use"], &context);
        }
        // Stopped, by ID without -f: one tag or none says "stopped container"; several tags
        // are checked first.
        (Tags::One | Tags::Untagged, User::Stopped, true, false) => {
            assert_eq!(code, 1, "{context}");
            assert!(
                out.contains("(must be forced) - image is being used by stopped container"),
                "{context}"
            );
            assert!(left.is_some(), "{context}");
            says(
                &msgs,
                "explain-refused-stopped",
                &["stopped container web", "the image is then deleted"],
                &["conteneur arrêté web", "l'image est alors supprimée"],
                &context,
            );
        }
        (Tags::Several, User::Stopped | User::Nothing, true, false) => {
            assert_eq!(code, 1, "{context}");
            assert!(
                out.contains("image is referenced in multiple repositories"),
                "{context}"
            );
            assert!(left.is_some(), "{context}");
            says(
                &msgs,
                "explain-refused-tags",
                &[
                    "several tags name image",
                    "removes all its tags and deletes",
                ],
                &[
                    "plusieurs tags désignent l'image",
                    "retire alors tous ses tags",
                ],
                &context,
            );
        }
        // A stopped container and -f: the image is deleted; its layers stay under the container.
        (_, User::Stopped, _, true) => {
            assert_eq!(code, 0, "{context}");
            assert!(out.contains("Deleted: sha256:"), "{context}");
            assert_eq!(left, None, "{context}");
            assert!(containers(&mut s).contains(&"web".to_owned()), "{context}");
            assert!(
                msgs.iter().any(|m| deleted_msgs.contains(&m.id())),
                "{context}: {msgs:?}"
            );
            says(
                &msgs,
                "explain-layers-kept-by-container",
                &[
                    "stay on disk",
                    "the container web still stands on them",
                    "docker rm frees them",
                ],
                &[
                    "restent sur le disque",
                    "le conteneur web repose encore dessus",
                ],
                &context,
            );
            never(&msgs, &[freed], &context);
            // Removing the container frees them.
            let (_, code, msgs) = run(&mut s, "docker rm web", &[]);
            assert_eq!(code, 0, "{context}");
            says(
                &msgs,
                "explain-container-freed-layers",
                &["web stood on image", "freed with it"],
                &["web reposait sur l'image", "libérées avec lui"],
                &context,
            );
        }
        // Nothing uses it: deleted, its own layers freed.
        (_, User::Nothing, _, _) => {
            assert_eq!(code, 0, "{context}");
            assert_eq!(left, None, "{context}");
            assert!(
                msgs.iter().any(|m| deleted_msgs.contains(&m.id())),
                "{context}: {msgs:?}"
            );
            says(&msgs, freed, &["freed"], &["libérée"], &context);
            never(&msgs, &["explain-layers-kept-by-container"], &context);
        }
        other => panic!("case not covered: {other:?}"),
    }
}

#[derive(Debug, Clone, Copy)]
enum Prune {
    Dangling,
    All,
    System,
}

/// `image prune`, `image prune -a` and `system prune -a` on an image with a tag or none, used
/// by a running container, a stopped one or none.
#[test]
fn every_prune_is_explained_as_it_happened() {
    for prune in [Prune::Dangling, Prune::All, Prune::System] {
        for tags in [Tags::One, Tags::Untagged] {
            for user in [User::Running, User::Stopped, User::Nothing] {
                prune_case(prune, tags, user);
            }
        }
    }
}

fn prune_case(prune: Prune, tags: Tags, user: User) {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path());
    let id = setup(&mut s, tags, user);
    let line = match prune {
        Prune::Dangling => "docker image prune -f",
        Prune::All => "docker image prune -a -f",
        Prune::System => "docker system prune -a -f",
    };
    let context = format!("{tags:?}, {user:?}: {line}");
    let (out, code, msgs) = run(&mut s, line, &[]);
    assert_eq!(code, 0, "{context}: {out}");
    let left = images(&mut s).into_iter().any(|(i, _)| i == id);
    let context = format!("{context}\n{out}\nleft: {left}\n{msgs:#?}");
    let targeted = match prune {
        Prune::Dangling => tags == Tags::Untagged,
        Prune::All | Prune::System => true,
    };
    // What Docker does: a prune never removes an image a container uses; `system prune`
    // removes stopped containers first.
    let kept_by = match (prune, user) {
        (_, User::Running) => Some(("running", "en cours d'exécution")),
        (Prune::Dangling | Prune::All, User::Stopped) => Some(("stopped", "arrêté")),
        (Prune::System, User::Stopped) | (_, User::Nothing) => None,
    };
    let removed = targeted && kept_by.is_none();
    assert_eq!(left, !removed, "{context}");
    // `-a` also removes hello-world, which nothing uses: the messages about nginx's image are
    // the ones naming it.
    let about: Vec<Msg> = msgs
        .iter()
        .filter(|m| {
            let text = docklab::i18n::tr(Lang::En, m);
            text.contains(&id) || text.contains("nginx:latest") || m.id() == "explain-prune-nothing"
        })
        .cloned()
        .collect();
    let msgs = about;
    if removed {
        assert!(
            msgs.iter()
                .any(|m| m.id().starts_with("explain-image-deleted")),
            "{context}"
        );
        never(
            &msgs,
            &["explain-prune-spared", "explain-prune-nothing"],
            &context,
        );
    } else if let (true, Some((en, fr))) = (targeted, kept_by) {
        says(
            &msgs,
            "explain-prune-spared",
            &["was not removed", &format!("{en} container web uses it")],
            &[
                "n'a pas été supprimée",
                &format!("conteneur web ({fr}) l'utilise"),
            ],
            &context,
        );
        never(&msgs, &["explain-prune-nothing"], &context);
    } else {
        // `image prune` on a tagged image: nothing was dangling.
        says(
            &msgs,
            "explain-prune-nothing",
            &["no dangling image"],
            &["aucune image en suspens"],
            &context,
        );
    }
}

/// A `[y/N]` answered `oui`: Docker cancels (nothing removed) and the tutor says its prompt
/// wants `y`, never what prune would have removed; answered `y`, the prune runs.
#[test]
fn a_prune_prompt_answered_in_french_is_explained() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path());
    let id = setup(&mut s, Tags::Untagged, User::Nothing);
    for answer in ["oui", "o"] {
        let (out, code, msgs) = run(&mut s, "docker image prune", &[answer]);
        assert_eq!(code, 0, "{out}");
        // The question is asked through the terminal; nothing follows it.
        assert!(!out.contains("Total reclaimed space"), "{out}");
        assert!(images(&mut s).iter().any(|(i, _)| *i == id));
        says(
            &msgs,
            "explain-prompt-wants-y",
            &[
                "Docker did nothing",
                "accepts only y",
                &format!("“{answer}”"),
            ],
            &[
                "Docker n'a rien fait",
                "n'accepte que y",
                &format!("«\u{202f}{answer}\u{202f}»"),
            ],
            answer,
        );
        assert_eq!(msgs.len(), 1, "{msgs:?}");
    }
    let (_, _, msgs) = run(&mut s, "docker image prune", &["n"]);
    assert!(msgs.is_empty(), "a no needs no explanation: {msgs:?}");
    let (out, _, msgs) = run(&mut s, "docker image prune", &["y"]);
    assert!(out.contains("Total reclaimed space"), "{out}");
    assert!(!images(&mut s).iter().any(|(i, _)| *i == id));
    never(&msgs, &["explain-prompt-wants-y"], "answered y");
}

fn docklab(home: &Path, lang: &str, input: &str) -> String {
    let out = assert_cmd::Command::cargo_bin("docklab")
        .expect("the docklab binary is built")
        .args(["--lang", lang])
        .env("DOCKLAB_HOME", home)
        .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "1000")
        .env_remove("DOCKLAB_LABS")
        .write_stdin(input)
        .output()
        .expect("docklab runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The five beginner's build mistakes, each named from Docker's actual error, through the
/// binary in both languages.
#[test]
fn build_mistakes_are_named_in_both_languages() {
    let script = "mkdir site\n\
        docker build -t site .\n\
        docker build -t site Site\n\
        cd site\n\
        printf 'FROM alpine\\nCOPY index.html /srv/\\n' > Dockerfile\n\
        docker build -t site\n\
        docker build -t site .\n\
        echo bonjour > index.html\n\
        docker build -t Site .\n\
        docker build .\n\
        docker build -t site .\n";
    let cases: [(&str, &[&str]); 2] = [
        (
            "en",
            &[
                "There is no Dockerfile in the current folder (.): docker build reads",
                "There is no folder Site here",
                "docker build needs the build context",
                "COPY found no index.html in the build context",
                "Image names must be lowercase: Docker refuses Site. Use site instead",
                "The image was built but has no name: without -t",
            ],
        ),
        (
            "fr",
            &[
                "Il n'y a pas de Dockerfile dans le dossier courant (.)\u{202f}: docker build lit",
                "Il n'y a pas de dossier Site ici",
                "docker build a besoin du contexte de construction",
                "COPY n'a trouvé aucun index.html dans le contexte de construction",
                "Les noms d'image s'écrivent en minuscules\u{202f}: Docker refuse Site. Utilisez plutôt site",
                "L'image a été construite mais n'a pas de nom\u{202f}: sans -t",
            ],
        ),
    ];
    for (lang, said) in cases {
        let home = tempfile::tempdir().expect("temp dir");
        let out = docklab(home.path(), lang, script);
        for s in said {
            assert_eq!(out.matches(s).count(), 1, "{lang}: {s:?} once in:\n{out}");
        }
        // The last build, right, names nothing.
        let last = out
            .rsplit("docker build -t site .")
            .next()
            .unwrap_or_default();
        assert!(
            !last.contains("Dockerfile") && !last.contains("COPY"),
            "{last}"
        );
    }
}

/// A French student answers `oui` to prune's `[y/N]`: Docker cancels, the image stays, and the
/// tutor says the prompt wants `y` (never what prune would have removed).
#[test]
fn prune_answered_oui_through_the_binary() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = docklab(
        home.path(),
        "fr",
        "docker pull nginx\ndocker pull hello-world\ndocker tag hello-world nginx:latest\n\
         docker image prune\noui\ndocker images -f dangling=true -q\n",
    );
    assert!(
        out.contains("Docker n'a rien fait\u{202f}: sa question [y/N] n'accepte que y"),
        "{out}"
    );
    assert!(out.contains("«\u{202f}oui\u{202f}»"), "{out}");
    assert!(!out.contains("Total reclaimed space"), "{out}");
    assert!(!out.contains("a été supprimée"), "{out}");
    // The dangling image is still listed after.
    let after = out.rsplit("dangling=true -q").next().unwrap_or_default();
    assert!(
        after
            .lines()
            .any(|l| l.len() == 12 && l.chars().all(|c| c.is_ascii_hexdigit())),
        "{after}"
    );
}

/// The same in a terminal: the prompt, the answer `o`, the tutor's explanation.
#[test]
fn prune_answered_o_in_a_terminal() {
    use rexpect::session::spawn_command;
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("docklab"));
    cmd.args(["--lang", "fr"])
        .env("DOCKLAB_HOME", home.path())
        .env("DOCKLAB_CLOCK", "2025-10-29T12:00:00Z")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn docklab in a pty");
    p.exp_string("~ $ ").expect("prompt");
    p.send_line("docker image prune").expect("send");
    p.exp_string("[y/N]").expect("Docker's question");
    p.send_line("o").expect("send");
    // rexpect reads bytes as Latin-1: match ASCII only.
    p.exp_string("Docker n'a rien fait").expect("explained");
    p.exp_string("~ $ ").expect("prompt again");
    p.send_control('d').expect("ctrl-d");
    p.exp_eof().expect("exits");
}

/// In the exercise, `docker image prune` answered `oui` did nothing: the lab's "prune only
/// removes dangling images" must not be said (prune did not run), the prompt is explained, and
/// the same prune answered `y` then counts.
#[test]
fn a_cancelled_prune_is_no_prune_for_the_lab() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut s = session(home.path());
    s.handle("lang fr", &mut Queue(VecDeque::new()));
    s.start_lab("a-vous-de-jouer", true);
    for _ in 0..4 {
        s.handle("skip", &mut Queue(VecDeque::new()));
    }
    assert_eq!(
        s.progress().map(|p| p.current),
        Some(4),
        "at the remove step"
    );
    let lab_said = |fb: &[Feedback]| {
        fb.iter()
            .any(|f| matches!(f, Feedback::Lab { text, .. } if text.contains("image prune")))
    };
    let mut io = Queue(VecDeque::from(["oui".to_owned()]));
    let fb = s.handle("docker image prune", &mut io);
    assert!(!lab_said(&fb), "{fb:#?}");
    assert!(
        fb.iter()
            .any(|f| f.msg().is_some_and(|m| m.id() == "explain-prompt-wants-y")),
        "{fb:#?}"
    );
    let mut io = Queue(VecDeque::from(["y".to_owned()]));
    let fb = s.handle("docker image prune", &mut io);
    assert!(
        lab_said(&fb),
        "answered y, prune ran and left the tagged images: {fb:#?}"
    );
}
