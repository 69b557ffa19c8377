//! What the tutor adds about one command, beyond the store's changes ([`super::explain`]): a
//! confirmation Docker took as "no", a prune that left images (and why), and the beginner's
//! build mistakes. Each is read from what really happened — the command as Docker's grammar
//! parses it, Docker's own error, the answers given and the engine state before and after —
//! never from what usually happens.

use crate::docker::cli::{self, CommandId, Parsed};
use crate::engine::{EngineState, Outcome};

/// One thing to say about a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A `[y/N]` question answered with something Docker takes as "no": nothing ran.
    PromptWantsY { answer: String },
    /// A prune left this image: a container uses it.
    PruneSpared {
        image: String,
        container: String,
        running: bool,
    },
    /// A prune that removed no image and spared none: there was nothing for it.
    PruneNothing { all: bool },
    /// The build found no Dockerfile (or no such folder) where it was told to look.
    BuildNoDockerfile { dir: String },
    /// `docker build` without its context argument (the forgotten `.`).
    BuildNoContext,
    /// A `COPY`/`ADD` source missing from the build context.
    BuildCopyMissing { source: String },
    /// An image name with capitals.
    BuildUppercase { name: String, lower: String },
    /// A build that worked, without `-t`: the new image has no name.
    BuildNoTag { image: String },
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
        Some(CommandId::ImagePrune | CommandId::SystemPrune | CommandId::ContainerPrune | CommandId::BuilderPrune)
    );
    if !prune || outcome.exit_code != 0 {
        return Vec::new();
    }
    // Docker asked and read an answer: anything but `y` is a no, and nothing ran.
    if let Some(answer) = answers.last() {
        let said_yes = answer.trim().eq_ignore_ascii_case("y");
        if !said_yes && before == after {
            let a = answer.trim();
            let meant_no = a.is_empty() || ["n", "no", "non"].iter().any(|n| a.eq_ignore_ascii_case(n));
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
    let all = inv.flags.bool("all");
    prune_notes(all, before, after)
}

/// `build`, `image build`, `builder build`, `buildx build`, `buildx b`, even when the grammar
/// refused the line (a missing argument, a bad tag).
fn is_build(args: &[String]) -> bool {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .take(2)
        .collect();
    matches!(
        words.as_slice(),
        ["build", ..] | ["image" | "builder" | "buildx", "build", ..] | ["buildx", "b", ..]
    )
}

fn prune_notes(all: bool, before: &EngineState, after: &EngineState) -> Vec<Note> {
    // What the prune went for, and is still there: an image a container uses (it never
    // removes those). Without -a, only dangling images are its business.
    let dangling: Vec<&str> = after.dangling().map(|i| i.id.as_str()).collect();
    let mut notes: Vec<Note> = after
        .images
        .iter()
        .filter(|i| all || dangling.contains(&i.id.as_str()))
        .filter_map(|i| {
            let users = || after.containers.iter().filter(|c| c.image_id == i.id);
            let c = users().find(|c| c.running).or_else(|| users().next())?;
            Some(Note::PruneSpared {
                image: i
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| short(&i.id).to_owned()),
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
                image: short(&i.id).to_owned(),
            })
            .collect();
    }
    if stderr.contains("build' requires 1 argument") {
        return vec![Note::BuildNoContext];
    }
    if let Some(name) = lowercase_refusal(stderr) {
        return vec![Note::BuildUppercase {
            lower: name.to_lowercase(),
            name,
        }];
    }
    let no_dockerfile = stderr.contains("failed to read dockerfile")
        || stderr.contains("unable to evaluate symlinks in Dockerfile path")
        || (stderr.contains("unable to prepare context: path ") && stderr.contains(" not found"));
    if no_dockerfile {
        let dir = invocation
            .and_then(|i| i.args.first().cloned())
            .unwrap_or_else(|| ".".to_owned());
        return vec![Note::BuildNoDockerfile { dir }];
    }
    if let Some(source) = copy_source(stderr) {
        return vec![Note::BuildCopyMissing { source }];
    }
    Vec::new()
}

/// The name Docker refused for its capitals: `invalid argument "Site" for "-t, --tag" flag:
/// invalid reference format: repository name (library/Site) must be lowercase`.
fn lowercase_refusal(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|l| l.ends_with("must be lowercase"))?;
    if let Some(rest) = line.strip_prefix("invalid argument \"") {
        return rest.split_once('"').map(|(name, _)| name.to_owned());
    }
    let start = line.find("repository name (")? + "repository name (".len();
    let name = &line[start..line[start..].find(')')? + start];
    Some(name.strip_prefix("library/").unwrap_or(name).to_owned())
}

/// The missing source of a `COPY`, from either builder's error: the legacy builder's
/// `stat index.html: file does not exist`, `BuildKit`'s `"/index.html": not found`.
fn copy_source(stderr: &str) -> Option<String> {
    for line in stderr.lines() {
        if let Some((_, rest)) = line.split_once("excluded by .dockerignore: stat ") {
            if let Some((name, _)) = rest.split_once(": file does not exist") {
                return Some(name.to_owned());
            }
        }
        if line.contains("failed to calculate checksum of ref") {
            if let Some(end) = line.rfind("\": not found") {
                let head = &line[..end];
                if let Some(start) = head.rfind('"') {
                    let name = &head[start + 1..];
                    return Some(name.strip_prefix('/').unwrap_or(name).to_owned());
                }
            }
        }
    }
    None
}

fn short(id: &str) -> &str {
    let hex = id.split_once(':').map_or(id, |(_, h)| h);
    hex.get(..12).unwrap_or(hex)
}
