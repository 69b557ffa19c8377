//! Docker's own wording for the errors docklab's tutor explains, in one place that both writes
//! them (the simulated engine prints them) and recognises them (the tutor reads the standard
//! error of either engine to explain a refusal or suggest a command). The wording is Docker 28's,
//! as recorded from the real engine in `tests/scenarios/*.real`; it stays in English.

/// The prefix the CLI puts before an error the daemon answered.
pub(crate) const FROM_DAEMON: &str = "Error response from daemon: ";

/// One error Docker prints, with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DockerError {
    /// `rmi NAME`, NAME an image's only reference, and a container uses that image:
    /// `conflict: unable to remove repository reference "nginx" (must force) - container
    /// df00873359f6 is using its referenced image d32c4eea642c`.
    ReferenceInUse {
        /// The reference as the student typed it.
        reference: String,
        /// The container's short ID.
        container: String,
        /// The image's short ID.
        image: String,
    },
    /// `rmi` refuses to delete an image: `conflict: unable to delete d32c4eea642c (cannot be
    /// forced) - image is being used by running container df00873359f6`.
    DeleteConflict {
        /// The image's short ID.
        image: String,
        reason: Conflict,
    },
    /// `No such image: nosuch:latest`.
    NoSuchImage { reference: String },
    /// The client refuses the number of a command's arguments (docker/cli `cli/required.go`):
    /// `docker: 'docker pull' requires 1 argument`, the usage line, and where help is, with the
    /// verb cobra uses for that arity (`Run`, `See`, and 28.2.2's `SRun` typo).
    Usage {
        /// `docker pull`, `docker buildx build`.
        command: String,
        /// `requires 1 argument`, `accepts no arguments`.
        message: String,
        /// The command's usage line.
        usage: String,
        /// `Run`, `See` or `SRun`.
        verb: String,
    },
    /// `No such container: web` (`rm`, `stop`, `container inspect` of a name that is none).
    NoSuchContainer { name: String },
    /// `Error: No such object: web`: `docker inspect` (the client's own words) when a name is
    /// neither a container nor an image.
    NoSuchObject { name: String },
    /// `docker: unknown command: docker image nosuch`, from the CLI itself.
    UnknownCommand {
        /// The command group the word was looked up in (`image`), `None` at the top level.
        group: Option<String>,
        /// The word that is no command.
        word: String,
    },
    /// A repository the registry does not have (or does not show): `pull access denied for
    /// nosuch, repository does not exist or may require 'docker login': denied: requested
    /// access to the resource is denied`.
    PullDenied {
        /// The repository's familiar name.
        repository: String,
    },
    /// A tag or digest the repository does not have: `manifest for rockylinux:latest not found:
    /// manifest unknown: manifest unknown`.
    ManifestUnknown {
        /// The familiar reference (`rockylinux:latest`).
        reference: String,
    },
}

const PULL_DENIED_TAIL: &str = ", repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
const MANIFEST_UNKNOWN_TAIL: &str = " not found: manifest unknown: manifest unknown";

/// Why the daemon refuses to delete an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Conflict {
    /// Images were built on it (the legacy builder's parent chain).
    Children,
    /// A running container (short ID) uses it.
    Running(String),
    /// A stopped container (short ID) uses it.
    Stopped(String),
    /// Several tags name it and none was named.
    ManyRepositories,
}

impl Conflict {
    /// Whether `--force` gets past it (a running container or child images cannot be forced).
    pub(crate) fn forceable(&self) -> bool {
        matches!(self, Conflict::Stopped(_) | Conflict::ManyRepositories)
    }

    fn text(&self) -> String {
        match self {
            Conflict::Children => "image has dependent child images".to_owned(),
            Conflict::Running(c) => format!("image is being used by running container {c}"),
            Conflict::Stopped(c) => format!("image is being used by stopped container {c}"),
            Conflict::ManyRepositories => "image is referenced in multiple repositories".to_owned(),
        }
    }

    fn parse(text: &str) -> Option<Conflict> {
        if text == "image has dependent child images" {
            return Some(Conflict::Children);
        }
        if text == "image is referenced in multiple repositories" {
            return Some(Conflict::ManyRepositories);
        }
        if let Some(c) = text.strip_prefix("image is being used by running container ") {
            return Some(Conflict::Running(c.to_owned()));
        }
        text.strip_prefix("image is being used by stopped container ")
            .map(|c| Conflict::Stopped(c.to_owned()))
    }
}

impl DockerError {
    /// The error's line as Docker words it (for a daemon error, what follows
    /// [`FROM_DAEMON`]).
    pub(crate) fn message(&self) -> String {
        match self {
            DockerError::ReferenceInUse {
                reference,
                container,
                image,
            } => format!(
                "conflict: unable to remove repository reference {} (must force) - container {container} is using its referenced image {image}",
                super::text::go_quote(reference)
            ),
            DockerError::DeleteConflict { image, reason } => {
                let force = if reason.forceable() {
                    "must be forced"
                } else {
                    "cannot be forced"
                };
                format!(
                    "conflict: unable to delete {image} ({force}) - {}",
                    reason.text()
                )
            }
            DockerError::NoSuchImage { reference } => format!("No such image: {reference}"),
            DockerError::Usage {
                command, message, ..
            } => format!("docker: '{command}' {message}"),
            DockerError::NoSuchContainer { name } => format!("No such container: {name}"),
            DockerError::NoSuchObject { name } => format!("No such object: {name}"),
            DockerError::UnknownCommand { group, word } => match group {
                Some(g) => format!("docker: unknown command: docker {g} {word}"),
                None => format!("docker: unknown command: docker {word}"),
            },
            DockerError::PullDenied { repository } => {
                format!("pull access denied for {repository}{PULL_DENIED_TAIL}")
            }
            DockerError::ManifestUnknown { reference } => {
                format!("manifest for {reference}{MANIFEST_UNKNOWN_TAIL}")
            }
        }
    }

    /// Whether the error says the named object does not exist.
    pub(crate) fn is_not_found(&self) -> bool {
        matches!(
            self,
            DockerError::NoSuchImage { .. }
                | DockerError::NoSuchContainer { .. }
                | DockerError::NoSuchObject { .. }
        )
    }

    /// Everything the CLI prints on standard error for this error.
    pub(crate) fn stderr(&self) -> String {
        match self {
            DockerError::UnknownCommand { group: Some(g), .. } => format!(
                "{}\n\nUsage:  docker {g}\n\nRun 'docker {g} --help' for more information\n",
                self.message()
            ),
            DockerError::UnknownCommand { group: None, .. } => format!(
                "{}\n\nRun 'docker --help' for more information\n",
                self.message()
            ),
            DockerError::NoSuchObject { .. } => format!("Error: {}\n", self.message()),
            DockerError::Usage {
                command,
                usage,
                verb,
                ..
            } => format!(
                "{}\n\nUsage:  {usage}\n\n{verb} '{command} --help' for more information\n",
                self.message()
            ),
            _ => format!("{FROM_DAEMON}{}\n", self.message()),
        }
    }

    /// The errors of this kind in a command's standard error, from either engine, in order.
    pub(crate) fn recognise(stderr: &str) -> Vec<DockerError> {
        let lines: Vec<&str> = stderr.lines().collect();
        let mut found = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if let Some(rest) = line.strip_prefix("docker: unknown command: docker ") {
                // Which group the word was looked up in is told by the `Run 'docker … --help'`
                // line that follows, so a word with spaces in it is read back whole.
                let group = lines[i + 1..]
                    .iter()
                    .find_map(|l| l.strip_prefix("Run 'docker "))
                    .and_then(|l| l.strip_suffix(" --help' for more information"));
                let (group, word) = match group {
                    Some(g) => match rest.strip_prefix(&format!("{g} ")) {
                        Some(word) => (Some(g.to_owned()), word.to_owned()),
                        None => (None, rest.to_owned()),
                    },
                    _ => (None, rest.to_owned()),
                };
                found.push(DockerError::UnknownCommand { group, word });
                continue;
            }
            // An arity refusal, `docker: 'docker pull' requires 1 argument` (buildx puts
            // `ERROR: ` first), then its usage line and where help is.
            let unprefixed = line.strip_prefix("ERROR: ").unwrap_or(line);
            // Older buildx (0.13) words it `"docker buildx build" requires exactly 1 argument.`
            let quoted = unprefixed
                .strip_prefix("docker: 'docker ")
                .and_then(|rest| rest.split_once("' "))
                .or_else(|| {
                    unprefixed
                        .strip_prefix("\"docker ")
                        .and_then(|rest| rest.split_once("\" "))
                });
            if let Some((command, message)) = quoted {
                let command = format!("docker {command}");
                let after = &lines[i + 1..];
                let usage = after
                    .iter()
                    .find_map(|l| l.strip_prefix("Usage:  "))
                    .unwrap_or_default();
                let tail = format!(" '{command} --help' for more information");
                let verb = after
                    .iter()
                    .find_map(|l| l.strip_suffix(tail.as_str()))
                    .unwrap_or_default();
                found.push(DockerError::Usage {
                    command,
                    message: message.to_owned(),
                    usage: usage.to_owned(),
                    verb: verb.to_owned(),
                });
                continue;
            }
            // The client's own `Error: No such object: x` (`docker inspect`), and older clients'
            // `Error: No such image: x`.
            if let Some(message) = line.strip_prefix("Error: No such ") {
                let (kind, name) = message.split_once(": ").unwrap_or((message, ""));
                let name = name.to_owned();
                found.extend(match kind {
                    "object" => Some(DockerError::NoSuchObject { name }),
                    "container" => Some(DockerError::NoSuchContainer { name }),
                    "image" => Some(DockerError::NoSuchImage { reference: name }),
                    _ => None,
                });
                continue;
            }
            // `docker: Error response from daemon: …` when `run` writes it; a daemon message may
            // also be wrapped (`no such image: nosuch: No such image: nosuch:latest`).
            let Some(message) = line.split(FROM_DAEMON).nth(1) else {
                continue;
            };
            if let Some(e) = Self::parse_daemon(message) {
                found.push(e);
            }
        }
        found
    }

    /// One daemon message, as [`DockerError::message`] writes it.
    fn parse_daemon(message: &str) -> Option<DockerError> {
        if let Some(rest) = message.strip_prefix("conflict: unable to remove repository reference ")
        {
            let (reference, tail) = split_go_quoted(rest)?;
            let tail = tail.strip_prefix(" (must force) - container ")?;
            let (container, image) = tail.split_once(" is using its referenced image ")?;
            return Some(DockerError::ReferenceInUse {
                reference,
                container: container.to_owned(),
                image: image.to_owned(),
            });
        }
        if let Some(rest) = message.strip_prefix("conflict: unable to delete ") {
            let (image, tail) = rest.split_once(' ')?;
            let (force, text) = tail.split_once(" - ")?;
            let reason = Conflict::parse(text)?;
            let expected = if reason.forceable() {
                "(must be forced)"
            } else {
                "(cannot be forced)"
            };
            return (force == expected).then(|| DockerError::DeleteConflict {
                image: image.to_owned(),
                reason,
            });
        }
        if let Some(name) = message.strip_prefix("No such container: ") {
            return Some(DockerError::NoSuchContainer {
                name: name.to_owned(),
            });
        }
        if let Some(rest) = message.strip_prefix("pull access denied for ") {
            return Some(DockerError::PullDenied {
                repository: rest.strip_suffix(PULL_DENIED_TAIL)?.to_owned(),
            });
        }
        if let Some(rest) = message.strip_prefix("manifest for ") {
            return Some(DockerError::ManifestUnknown {
                reference: rest.strip_suffix(MANIFEST_UNKNOWN_TAIL)?.to_owned(),
            });
        }
        // The last `No such image: ` holds the reference when the daemon wrapped its message.
        let at = message.rfind("No such image: ")?;
        Some(DockerError::NoSuchImage {
            reference: message[at + "No such image: ".len()..].to_owned(),
        })
    }
}

/// A failed `docker build` the tutor names, in the words of either builder (the classic builder's
/// line, or `BuildKit`'s through buildx, which prints `ERROR: ` before it): written by the
/// simulated builders, recognised in either engine's standard error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BuildError {
    /// The context directory does not exist: `unable to prepare context: path "x" not found`.
    ContextNotFound { path: String },
    /// `BuildKit` cannot read the Dockerfile: `failed to solve: failed to read dockerfile:
    /// DETAIL` (`open Dockerfile: no such file or directory`).
    DockerfileUnreadable { detail: String },
    /// The classic client cannot find the Dockerfile: `unable to evaluate symlinks in
    /// Dockerfile path: DETAIL`.
    DockerfilePath { detail: String },
    /// The classic builder's COPY/ADD found nothing: `COPY failed: file not found in build
    /// context or excluded by .dockerignore: stat SOURCE: file does not exist`.
    LegacyCopyMissing { source: String },
    /// `BuildKit`'s COPY/ADD found nothing: `failed to solve: failed to compute cache key:
    /// failed to calculate checksum of ref REF: "/SOURCE": not found` (REF is the context
    /// snapshot's reference; without one, `of ref: "/SOURCE"`).
    KitCopyMissing {
        reference: Option<String>,
        key: String,
    },
}

const CONTEXT_NOT_FOUND: (&str, &str) = ("unable to prepare context: path ", " not found");
const DOCKERFILE_UNREADABLE: &str = "failed to solve: failed to read dockerfile: ";
const DOCKERFILE_PATH: &str = "unable to evaluate symlinks in Dockerfile path: ";
const LEGACY_COPY: (&str, &str) = (
    "COPY failed: file not found in build context or excluded by .dockerignore: stat ",
    ": file does not exist",
);
const KIT_COPY: &str =
    "failed to solve: failed to compute cache key: failed to calculate checksum of ref";

impl BuildError {
    /// The error's line, without `BuildKit`'s `ERROR: ` and without the newline.
    pub(crate) fn message(&self) -> String {
        match self {
            BuildError::ContextNotFound { path } => format!(
                "{}{}{}",
                CONTEXT_NOT_FOUND.0,
                super::text::go_quote(path),
                CONTEXT_NOT_FOUND.1
            ),
            BuildError::DockerfileUnreadable { detail } => {
                format!("{DOCKERFILE_UNREADABLE}{detail}")
            }
            BuildError::DockerfilePath { detail } => format!("{DOCKERFILE_PATH}{detail}"),
            BuildError::LegacyCopyMissing { source } => {
                format!("{}{source}{}", LEGACY_COPY.0, LEGACY_COPY.1)
            }
            BuildError::KitCopyMissing { reference, key } => match reference {
                Some(r) => format!("{KIT_COPY} {r}: {}: not found", super::text::go_quote(key)),
                None => format!("{KIT_COPY}: {}: not found", super::text::go_quote(key)),
            },
        }
    }

    /// The line as the builder prints it: `ERROR: ` first for `BuildKit` (`kit`).
    pub(crate) fn line(&self, kit: bool) -> String {
        if kit {
            format!("ERROR: {}\n", self.message())
        } else {
            format!("{}\n", self.message())
        }
    }

    /// The build errors in a command's standard error, from either engine, in order.
    pub(crate) fn recognise(stderr: &str) -> Vec<BuildError> {
        stderr
            .lines()
            .filter_map(|line| {
                let line = line.strip_prefix("ERROR: ").unwrap_or(line);
                Self::parse(line)
            })
            .collect()
    }

    fn parse(line: &str) -> Option<BuildError> {
        if let Some(rest) = line.strip_prefix(CONTEXT_NOT_FOUND.0) {
            let (path, tail) = split_go_quoted(rest)?;
            return (tail == CONTEXT_NOT_FOUND.1).then_some(BuildError::ContextNotFound { path });
        }
        if let Some(detail) = line.strip_prefix(DOCKERFILE_UNREADABLE) {
            return Some(BuildError::DockerfileUnreadable {
                detail: detail.to_owned(),
            });
        }
        if let Some(at) = line.find(DOCKERFILE_PATH) {
            return Some(BuildError::DockerfilePath {
                detail: line[at + DOCKERFILE_PATH.len()..].to_owned(),
            });
        }
        if let Some(rest) = line.strip_prefix(LEGACY_COPY.0) {
            return Some(BuildError::LegacyCopyMissing {
                source: rest.strip_suffix(LEGACY_COPY.1)?.to_owned(),
            });
        }
        let rest = line.strip_prefix(KIT_COPY)?;
        let rest = rest.strip_suffix(": not found")?;
        // The key is the last Go-quoted string: `… of ref REF: "/index.html"`.
        let open = rest.rfind(": \"")?;
        let (key, tail) = split_go_quoted(&rest[open + 2..])?;
        if !tail.is_empty() {
            return None;
        }
        let reference = rest[..open].strip_prefix(' ').map(str::to_owned);
        Some(BuildError::KitCopyMissing { reference, key })
    }

    /// The source a failed COPY/ADD names, as the student wrote it (`BuildKit`'s key loses its
    /// leading `/`).
    pub(crate) fn copy_source(&self) -> Option<String> {
        match self {
            BuildError::LegacyCopyMissing { source } => Some(source.clone()),
            BuildError::KitCopyMissing { key, .. } => {
                Some(key.strip_prefix('/').unwrap_or(key).to_owned())
            }
            _ => None,
        }
    }
}

/// Reads a Go `%q` string at the start of `s`: its value and what follows it.
fn split_go_quoted(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &body[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                other => value.push(other),
            },
            _ => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_owned()
    }

    /// Each message as the real Docker 28 printed it (tests/scenarios/*.real), the values it
    /// carries, and back: writing the values gives the recorded line, reading the line gives the
    /// values.
    #[test]
    fn each_message_round_trips_with_dockers_recorded_wording() {
        let cases = [
            (
                "Error response from daemon: conflict: unable to remove repository reference \"nginx\" (must force) - container df00873359f6 is using its referenced image d32c4eea642c\n",
                DockerError::ReferenceInUse {
                    reference: s("nginx"),
                    container: s("df00873359f6"),
                    image: s("d32c4eea642c"),
                },
            ),
            (
                "Error response from daemon: conflict: unable to delete d20075e723d4 (must be forced) - image is being used by stopped container 1862bfaf26ec\n",
                DockerError::DeleteConflict {
                    image: s("d20075e723d4"),
                    reason: Conflict::Stopped(s("1862bfaf26ec")),
                },
            ),
            (
                "Error response from daemon: conflict: unable to delete d32c4eea642c (cannot be forced) - image is being used by running container df00873359f6\n",
                DockerError::DeleteConflict {
                    image: s("d32c4eea642c"),
                    reason: Conflict::Running(s("df00873359f6")),
                },
            ),
            (
                "Error response from daemon: conflict: unable to delete 83a487e9b6c2 (must be forced) - image is referenced in multiple repositories\n",
                DockerError::DeleteConflict {
                    image: s("83a487e9b6c2"),
                    reason: Conflict::ManyRepositories,
                },
            ),
            // Not in the recordings: moby's `imageDeleteHelper` wording for the legacy builder's
            // parent chain (daemon/images/image_delete.go).
            (
                "Error response from daemon: conflict: unable to delete 83a487e9b6c2 (cannot be forced) - image has dependent child images\n",
                DockerError::DeleteConflict {
                    image: s("83a487e9b6c2"),
                    reason: Conflict::Children,
                },
            ),
            (
                "Error response from daemon: No such image: nosuch:latest\n",
                DockerError::NoSuchImage {
                    reference: s("nosuch:latest"),
                },
            ),
            (
                "docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'docker pull --help' for more information\n",
                DockerError::Usage {
                    command: s("docker pull"),
                    message: s("requires 1 argument"),
                    usage: s("docker pull [OPTIONS] NAME[:TAG|@DIGEST]"),
                    verb: s("Run"),
                },
            ),
            (
                "docker: 'docker rmi' requires at least 1 argument\n\nUsage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nSee 'docker rmi --help' for more information\n",
                DockerError::Usage {
                    command: s("docker rmi"),
                    message: s("requires at least 1 argument"),
                    usage: s("docker rmi [OPTIONS] IMAGE [IMAGE...]"),
                    verb: s("See"),
                },
            ),
            (
                "Error: No such object: nosuch\n",
                DockerError::NoSuchObject { name: s("nosuch") },
            ),
            (
                "Error response from daemon: No such container: web\n",
                DockerError::NoSuchContainer { name: s("web") },
            ),
            (
                "docker: unknown command: docker nosuchcmd\n\nRun 'docker --help' for more information\n",
                DockerError::UnknownCommand {
                    group: None,
                    word: s("nosuchcmd"),
                },
            ),
            (
                "docker: unknown command: docker image nosuch\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n",
                DockerError::UnknownCommand {
                    group: Some(s("image")),
                    word: s("nosuch"),
                },
            ),
        ];
        for (recorded, value) in cases {
            assert_eq!(
                value.stderr(),
                recorded,
                "{value:?} is written as Docker wrote it"
            );
            assert_eq!(
                DockerError::recognise(recorded),
                vec![value.clone()],
                "{recorded:?} reads back"
            );
            assert_eq!(
                DockerError::recognise(&value.stderr()),
                vec![value],
                "write then read"
            );
        }
    }

    /// The recordings hold these lines verbatim (so the cases above are not invented).
    #[test]
    fn the_wording_is_the_recorded_one() {
        let recorded: String =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios"))
                .expect("the scenarios are in the repository")
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "real"))
                .map(|e| std::fs::read_to_string(e.path()).expect("a recording is text"))
                .collect();
        for line in [
            "conflict: unable to remove repository reference \"nginx\" (must force) - container caf9801cc9fc is using its referenced image 93d46e4d3ad2",
            "conflict: unable to delete d20075e723d4 (must be forced) - image is being used by stopped container 289c2b564213",
            "conflict: unable to delete 93d46e4d3ad2 (cannot be forced) - image is being used by running container 913830540c49",
            "conflict: unable to delete eee14309f6f8 (must be forced) - image is referenced in multiple repositories",
            "Error response from daemon: No such image: nosuch:latest",
            "docker: unknown command: docker nosuchcmd",
            "docker: unknown command: docker image nosuch",
        ] {
            assert!(recorded.contains(line), "{line:?} is not in tests/scenarios/*.real");
        }
    }

    #[test]
    fn wrapped_and_prefixed_messages_are_recognised() {
        // `image inspect` wraps the message; `run` puts `docker: ` before the daemon's answer.
        assert_eq!(
            DockerError::recognise(
                "Error response from daemon: no such image: nosuch: No such image: nosuch:latest\n"
            ),
            vec![DockerError::NoSuchImage {
                reference: s("nosuch:latest")
            }]
        );
        assert_eq!(
            DockerError::recognise("docker: Error response from daemon: No such image: x:1\n"),
            vec![DockerError::NoSuchImage {
                reference: s("x:1")
            }]
        );
        // Several `rmi` errors, one per line, each recognised.
        let both = format!(
            "{}{}",
            DockerError::NoSuchImage {
                reference: s("a:latest")
            }
            .stderr(),
            DockerError::DeleteConflict {
                image: s("657fdcd1c365"),
                reason: Conflict::ManyRepositories
            }
            .stderr()
        );
        assert_eq!(DockerError::recognise(&both).len(), 2);
    }

    #[test]
    fn odd_values_round_trip() {
        for value in [
            DockerError::UnknownCommand {
                group: None,
                word: s(""),
            },
            DockerError::UnknownCommand {
                group: None,
                word: s("a b"),
            },
            DockerError::UnknownCommand {
                group: Some(s("image")),
                word: s("a b"),
            },
            DockerError::ReferenceInUse {
                reference: s("we\"ird"),
                container: s("1a2b3c4d5e6f"),
                image: s("657fdcd1c365"),
            },
            DockerError::PullDenied {
                repository: s("node"),
            },
            DockerError::ManifestUnknown {
                reference: s("rockylinux:latest"),
            },
        ] {
            assert_eq!(DockerError::recognise(&value.stderr()), vec![value]);
        }
    }

    #[test]
    fn other_text_is_not_recognised() {
        for text in [
            "",
            "Error response from daemon: conflict: unable to delete x (must be forced) - something else\n",
            "Error response from daemon: conflict: unable to delete x (cannot be forced) - image is referenced in multiple repositories\n",
            "Error response from daemon: pull access denied for nosuch\n",
            "ERROR: unknown command: \"nosuch\"\n",
            "Error response from daemon: conflict: unable to remove repository reference \"unterminated\n",
            "Error response from daemon: conflict: unable to remove repository reference \"a\\",
            "Error response from daemon: conflict: unable to remove repository reference \"é\" (must force) - container \n",
            "Error response from daemon: conflict: unable to delete\n",
            "Error response from daemon: manifest for nginx:1 not found\n",
        ] {
            assert_eq!(DockerError::recognise(text), vec![], "{text:?}");
        }
    }

    /// Each build error as the recordings print it, written from its values and read back.
    #[test]
    fn build_errors_round_trip_with_dockers_recorded_wording() {
        let cases = [
            (
                "unable to prepare context: path \"nowhere\" not found\n",
                false,
                BuildError::ContextNotFound { path: s("nowhere") },
            ),
            (
                "ERROR: unable to prepare context: path \"nowhere\" not found\n",
                true,
                BuildError::ContextNotFound { path: s("nowhere") },
            ),
            (
                "ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory\n",
                true,
                BuildError::DockerfileUnreadable {
                    detail: s("open Dockerfile: no such file or directory"),
                },
            ),
            (
                "unable to evaluate symlinks in Dockerfile path: lstat /work/Dockerfile: no such file or directory\n",
                false,
                BuildError::DockerfilePath {
                    detail: s("lstat /work/Dockerfile: no such file or directory"),
                },
            ),
            (
                "COPY failed: file not found in build context or excluded by .dockerignore: stat index.html: file does not exist\n",
                false,
                BuildError::LegacyCopyMissing { source: s("index.html") },
            ),
            (
                "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 3b1f0d5c-aa5f-4bd4-9d43-1a1c4a0d4e6f::q2l9yq5xw0dwl5dw1zj8q8l2x: \"/index.html\": not found\n",
                true,
                BuildError::KitCopyMissing {
                    reference: Some(s(
                        "3b1f0d5c-aa5f-4bd4-9d43-1a1c4a0d4e6f::q2l9yq5xw0dwl5dw1zj8q8l2x",
                    )),
                    key: s("/index.html"),
                },
            ),
            (
                "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref: \"/site\": not found\n",
                true,
                BuildError::KitCopyMissing {
                    reference: None,
                    key: s("/site"),
                },
            ),
        ];
        for (recorded, kit, value) in cases {
            assert_eq!(value.line(kit), recorded, "{value:?} written");
            assert_eq!(
                BuildError::recognise(recorded),
                vec![value.clone()],
                "{recorded:?} read"
            );
        }
        assert_eq!(
            BuildError::recognise("ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1\n"),
            vec![]
        );
    }

    /// Older buildx words a missing context its own way; it is read as the same refusal.
    #[test]
    fn an_older_buildx_arity_refusal_is_recognised() {
        let found = DockerError::recognise(
            "ERROR: \"docker buildx build\" requires exactly 1 argument.\nSee 'docker buildx build --help'.\n",
        );
        assert!(
            matches!(
                found.as_slice(),
                [DockerError::Usage { command, message, .. }]
                    if command == "docker buildx build" && message == "requires exactly 1 argument."
            ),
            "{found:?}"
        );
    }
}
