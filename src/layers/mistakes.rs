//! What the tutor adds about one command, beyond the store's changes ([`super::explain`]): a
//! confirmation Docker took as "no", a prune that left images (and why), and the beginner's
//! build mistakes. Each is read from what really happened — the command as Docker's grammar
//! parses it, Docker's own error, the answers given and the engine state before and after —
//! never from what usually happens.

use crate::docker::cli::{self, CommandId, Parsed};
use crate::docker::errors::{BuildError, DockerError};
use crate::engine::{EngineState, ImageId, Outcome};

/// One thing to say about a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A `[y/N]` question answered with something Docker takes as "no" (see
    /// [`docker_says_yes`]): nothing ran.
    PromptWantsY { answer: String },
    /// A prune left this image: a container uses it.
    PruneSpared {
        image: String,
        container: String,
        running: bool,
    },
    /// A prune that removed no image and spared none: there was nothing for it.
    PruneNothing { all: bool },
    /// The build found no Dockerfile where it was told to look, or no such folder at all.
    BuildNoDockerfile { dir: String, folder_exists: bool },
    /// `docker build` without its context argument (the forgotten `.`).
    BuildNoContext,
    /// A `COPY`/`ADD` source missing from the build context.
    BuildCopyMissing { source: String },
    /// An image name with capitals.
    BuildUppercase { name: String, lower: String },
    /// A build that worked, without `-t`: the new image has no name.
    BuildNoTag { image: String },
}

/// Whether Docker takes `answer` to a `[y/N]` question as yes: only `y` or `Y` (docker/cli's
/// `PromptForConfirmation`); `yes`, `o`, `oui` are a no.
pub fn docker_says_yes(answer: &str) -> bool {
    answer.trim().eq_ignore_ascii_case("y")
}

/// The notes for `args` (the words after `docker`), which gave `outcome`; `answers` are the
/// lines it read (its confirmation), `before`/`after` the engine's state around it.
pub fn notes(
    args: &[String],
    answers: &[String],
    outcome: &Outcome,
    before: &EngineState,
    after: &EngineState,
) -> Vec<Note> {
    let invocation = match cli::parse(args) {
        Ok(Parsed::Run(inv)) => Some(inv),
        _ => None,
    };
    let command = invocation.as_ref().map(|i| i.command);
    if command == Some(CommandId::Build) || is_build(args) {
        return build_notes(invocation.as_ref(), outcome, before, after);
    }
    let prune = matches!(
        command,
        Some(
            CommandId::ImagePrune
                | CommandId::SystemPrune
                | CommandId::ContainerPrune
                | CommandId::BuilderPrune
        )
    );
    if !prune || outcome.exit_code != 0 {
        return Vec::new();
    }
    // Docker asked and read an answer: anything but `y` is a no, and nothing ran.
    if let Some(answer) = answers.last() {
        if !docker_says_yes(answer) && before == after {
            let a = answer.trim();
            let meant_no =
                a.is_empty() || ["n", "no", "non"].iter().any(|n| a.eq_ignore_ascii_case(n));
            return if meant_no {
                Vec::new()
            } else {
                vec![Note::PromptWantsY {
                    answer: a.to_owned(),
                }]
            };
        }
    }
    let Some(inv) = invocation else {
        return Vec::new();
    };
    if !matches!(inv.command, CommandId::ImagePrune | CommandId::SystemPrune) {
        return Vec::new();
    }
    // Docker asked and read no answer (the input ended, Ctrl-C): it did nothing, so what is
    // left says nothing about what a prune removes.
    if answers.is_empty() && !inv.flags.bool("force") {
        return Vec::new();
    }
    // With --filter, what was left may be the filter's doing: nothing to say for sure.
    if inv.flags.is_set("filter") {
        return Vec::new();
    }
    let all = inv.flags.bool("all");
    prune_notes(all, before, after)
}

/// `build`, `image build`, `builder build`, `buildx build`, `buildx b` (Docker's command
/// table says), even when the grammar refused the line (a missing argument, a bad tag).
fn is_build(args: &[String]) -> bool {
    cli::command_key(args).is_some_and(|k| k.is(CommandId::Build))
}

fn prune_notes(all: bool, before: &EngineState, after: &EngineState) -> Vec<Note> {
    // What the prune went for, and is still there: an image a container uses (it never
    // removes those). Without -a, only dangling images are its business.
    let dangling: Vec<&ImageId> = after.dangling().map(|i| &i.id).collect();
    let mut notes: Vec<Note> = after
        .images
        .iter()
        .filter(|i| all || dangling.contains(&&i.id))
        .filter_map(|i| {
            let users = || after.containers.iter().filter(|c| c.image_id == i.id);
            let c = users().find(|c| c.running).or_else(|| users().next())?;
            Some(Note::PruneSpared {
                image: i
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| i.id.short().to_owned()),
                container: c.name.clone(),
                running: c.running,
            })
        })
        .collect();
    let removed = before
        .images
        .iter()
        .any(|b| !after.images.iter().any(|a| a.id == b.id));
    if notes.is_empty() && !removed {
        notes.push(Note::PruneNothing { all });
    }
    notes
}

fn build_notes(
    invocation: Option<&cli::Invocation>,
    outcome: &Outcome,
    before: &EngineState,
    after: &EngineState,
) -> Vec<Note> {
    let stderr = outcome.stderr.as_str();
    if outcome.exit_code == 0 {
        // Built: without -t, the image has no name.
        let tagged = invocation.is_some_and(|i| !i.flags.values("tag").is_empty());
        if tagged {
            return Vec::new();
        }
        return after
            .images
            .iter()
            .filter(|i| i.tags.is_empty() && !before.images.iter().any(|b| b.id == i.id))
            .take(1)
            .map(|i| Note::BuildNoTag {
                image: i.id.short().to_owned(),
            })
            .collect();
    }
    let forgot_context = DockerError::recognise(stderr).iter().any(|e| {
        matches!(e, DockerError::Usage { command, message, .. }
            if command.ends_with(" build")
                && matches!(message.as_str(), "requires 1 argument" | "requires exactly 1 argument."))
    });
    if forgot_context {
        return vec![Note::BuildNoContext];
    }
    if let Some(name) = crate::docker::reference::lowercase_refused(stderr) {
        return vec![Note::BuildUppercase {
            lower: name.to_lowercase(),
            name,
        }];
    }
    let errors = BuildError::recognise(stderr);
    let no_folder = errors
        .iter()
        .any(|e| matches!(e, BuildError::ContextNotFound { .. }));
    let no_dockerfile = errors.iter().any(|e| {
        matches!(
            e,
            BuildError::DockerfileUnreadable { .. } | BuildError::DockerfilePath { .. }
        )
    });
    // With -f, the file named is what is missing: Docker's error says which.
    let named_file = invocation.is_some_and(|i| i.flags.is_set("file"));
    if no_folder || (no_dockerfile && !named_file) {
        let dir = invocation
            .and_then(|i| i.args.first().cloned())
            .unwrap_or_else(|| ".".to_owned());
        return vec![Note::BuildNoDockerfile {
            dir,
            folder_exists: !no_folder,
        }];
    }
    if let Some(source) = errors.iter().find_map(BuildError::copy_source) {
        return vec![Note::BuildCopyMissing { source }];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ContainerState, ImageState};

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn failed(stderr: &str) -> Outcome {
        Outcome::error(stderr.to_owned(), 1)
    }

    fn image(id: &str, tags: &[&str]) -> ImageState {
        ImageState::named(id, tags)
    }

    fn container(name: &str, image: &ImageState, running: bool) -> ContainerState {
        ContainerState {
            id: format!("{name:0<64}").into(),
            name: name.to_owned(),
            image_id: image.id.clone(),
            running,
            ..ContainerState::default()
        }
    }

    fn state(images: Vec<ImageState>, containers: Vec<ContainerState>) -> EngineState {
        EngineState {
            images,
            containers,
            ..EngineState::default()
        }
    }

    /// The five beginner's build mistakes, from both builders' real errors (recorded in
    /// tests/scenarios/build-errors.real and by the simulator's `BuildKit`).
    #[test]
    fn build_mistakes_are_named_from_dockers_errors() {
        let s = EngineState::default();
        let cases: &[(&str, &str, Note)] = &[
            (
                "build -t site .",
                "ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n",
                Note::BuildNoDockerfile { dir: ".".into(), folder_exists: true },
            ),
            (
                "build -t site .",
                "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /w/Dockerfile: no such file or directory\n",
                Note::BuildNoDockerfile { dir: ".".into(), folder_exists: true },
            ),
            (
                "build -t site Test",
                "ERROR: unable to prepare context: path \"Test\" not found\n",
                Note::BuildNoDockerfile { dir: "Test".into(), folder_exists: false },
            ),
            (
                "build -t site",
                "ERROR: docker: 'docker buildx build' requires 1 argument\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n",
                Note::BuildNoContext,
            ),
            (
                "build",
                "docker: 'docker build' requires 1 argument\n",
                Note::BuildNoContext,
            ),
            (
                "image build -t site",
                "docker: 'docker image build' requires 1 argument\n",
                Note::BuildNoContext,
            ),
            (
                "builder build -t Site .",
                "invalid argument \"Site\" for \"-t, --tag\" flag: invalid reference format: repository name (library/Site) must be lowercase\n",
                Note::BuildUppercase {
                    name: "Site".into(),
                    lower: "site".into(),
                },
            ),
            (
                "build -t site .",
                "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref a::b: \"/index.html\": not found\n",
                Note::BuildCopyMissing { source: "index.html".into() },
            ),
            (
                "build -t site .",
                "COPY failed: file not found in build context or excluded by .dockerignore: stat missing.html: file does not exist\n",
                Note::BuildCopyMissing { source: "missing.html".into() },
            ),
            (
                "build -t Site:1 .",
                "ERROR: invalid tag \"Site:1\": invalid reference format: repository name (library/Site) must be lowercase\n",
                Note::BuildUppercase { name: "Site:1".into(), lower: "site:1".into() },
            ),
            (
                "build -t Site .",
                "invalid argument \"Site\" for \"-t, --tag\" flag: invalid reference format: repository name (library/Site) must be lowercase\n\nUsage:  docker build [OPTIONS] PATH | URL | -\n",
                Note::BuildUppercase { name: "Site".into(), lower: "site".into() },
            ),
        ];
        for (line, stderr, note) in cases {
            assert_eq!(
                notes(&words(line), &[], &failed(stderr), &s, &s),
                vec![note.clone()],
                "{line}: {stderr}"
            );
        }
        // A missing file named with -f is Docker's error to tell: no folder is blamed.
        let err = "unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat /w/x.Dockerfile: no such file or directory\n";
        assert!(notes(&words("build -f x.Dockerfile ."), &[], &failed(err), &s, &s).is_empty());
        // Other failures are not named.
        let err = "Error response from daemon: dockerfile parse error line 2: unknown instruction: RUNN\n";
        assert!(notes(&words("build -t site ."), &[], &failed(err), &s, &s).is_empty());
    }

    #[test]
    fn a_build_without_a_tag_names_the_new_image() {
        let before = state(vec![image("a1", &["alpine:latest"])], vec![]);
        let mut after = before.clone();
        after.images.insert(0, image("b2", &[]));
        let ok = Outcome::default();
        assert_eq!(
            notes(&words("build ."), &[], &ok, &before, &after),
            vec![Note::BuildNoTag {
                image: "b20000000000".into()
            }]
        );
        after.images[0].tags.push("site:latest".into());
        assert!(notes(&words("build -t site ."), &[], &ok, &before, &after).is_empty());
    }

    #[test]
    fn a_prompt_answered_oui_is_explained_only_when_nothing_ran() {
        let s = state(vec![image("a1", &[])], vec![]);
        let ok = Outcome::default();
        for answer in ["oui", "o", "yes please"] {
            assert_eq!(
                notes(&words("image prune"), &[answer.into()], &ok, &s, &s),
                vec![Note::PromptWantsY {
                    answer: answer.into()
                }]
            );
        }
        for answer in ["n", "", "non", "No"] {
            assert!(notes(&words("image prune"), &[answer.into()], &ok, &s, &s).is_empty());
        }
        // Answered y: the prune ran, and what it did is explained, not the prompt.
        let after = state(vec![], vec![]);
        assert!(notes(&words("image prune"), &["y".into()], &ok, &s, &after).is_empty());
    }

    #[test]
    fn a_prune_says_what_it_spared_and_why_it_removed_nothing() {
        let used = image("a1", &[]);
        let tagged = image("b2", &["nginx:latest"]);
        let s = state(
            vec![used.clone(), tagged.clone()],
            vec![
                container("web", &used, true),
                container("old", &tagged, false),
            ],
        );
        let ok = Outcome::default();
        assert_eq!(
            notes(&words("image prune -f"), &[], &ok, &s, &s),
            vec![Note::PruneSpared {
                image: "a10000000000".into(),
                container: "web".into(),
                running: true
            }]
        );
        assert_eq!(
            notes(&words("image prune -a -f"), &[], &ok, &s, &s),
            vec![
                Note::PruneSpared {
                    image: "a10000000000".into(),
                    container: "web".into(),
                    running: true
                },
                Note::PruneSpared {
                    image: "nginx:latest".into(),
                    container: "old".into(),
                    running: false
                }
            ]
        );
        let unused = state(vec![tagged], vec![]);
        assert_eq!(
            notes(&words("image prune -f"), &[], &ok, &unused, &unused),
            vec![Note::PruneNothing { all: false }]
        );
        let empty = EngineState::default();
        assert_eq!(
            notes(&words("system prune -a -f"), &[], &ok, &empty, &empty),
            vec![Note::PruneNothing { all: true }]
        );
        // Docker asked and had no answer (end of input, Ctrl-C): nothing ran, nothing is said
        // (it said "there was no dangling image" while one was there).
        let dangling = state(vec![image("d2", &[])], vec![]);
        assert!(notes(&words("image prune"), &[], &ok, &dangling, &dangling).is_empty());
        assert!(notes(&words("system prune -a"), &[], &ok, &unused, &unused).is_empty());
        // A filter may be why: nothing is said.
        assert!(notes(
            &words("image prune -f --filter until=1h"),
            &[],
            &ok,
            &unused,
            &unused
        )
        .is_empty());
        // Something removed: the changes say it; nothing more to add.
        assert!(notes(&words("image prune -a -f"), &[], &ok, &unused, &empty).is_empty());
    }
}
