//! Labs: the TOML schema (data only, versioned, documented field by field), loading with
//! `file:line:col` errors, and the catalog of labs (embedded, then overrides from directories).

pub mod check;
pub mod generate;
pub mod lint;
pub mod progress;
pub mod run;
pub mod scaffold;

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use check::Check;

use crate::i18n::{Lang, Msg};

/// The lab format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// A text in both of the tutor's languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The French text.
    pub fr: String,
    /// The English text.
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// One lab file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// The lab format version; this build reads version 1.
    pub format_version: u32,
    /// The lab's identifier, typed after `start` (lowercase letters, digits and `-`).
    pub id: String,
    /// The lab's title.
    pub title: Text,
    /// What the lab is about, shown when it starts.
    pub intro: Text,
    /// The engine state every student starts from.
    #[serde(default)]
    pub start: Start,
    /// The steps, in order.
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
}

/// The state a lab starts from: a fresh store where these images were pulled from the catalog.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    /// Image references pulled, in this order, before the first step (`nginx`, `rockylinux:9`).
    #[serde(default)]
    pub images: Vec<String>,
    /// Files written in the student's workspace after the pulls (`[[start.file]]`), e.g. a
    /// Dockerfile that `commands` builds.
    #[serde(default, rename = "file")]
    pub files: Vec<StartFile>,
    /// Docker commands run, in this order, in the workspace after the files are written
    /// (`docker tag alpine web:1`, `docker build -t app app`, `docker run -d nginx`): the tags,
    /// builds and containers of the start state. They are not part of the student's transcript.
    #[serde(default)]
    pub commands: Vec<String>,
}

/// A file of the start state, in the student's workspace.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartFile {
    /// The path, relative to `~` (`app/Dockerfile`), staying inside it.
    pub path: String,
    /// Its content.
    pub text: String,
}

/// One step of a lab.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's identifier, unique in the lab (used by progress and reports).
    pub id: String,
    /// A short title, shown in the progress table.
    pub title: Text,
    /// What the student is asked to do.
    pub text: Text,
    /// Hints, given one at a time by `hint`.
    #[serde(default)]
    pub hints: Vec<Text>,
    /// The commands that solve the step, one per line, as a student would type them (Docker
    /// commands, shell commands, and the answers to Docker's confirmation prompts).
    pub solution: Vec<String>,
    /// What must be true for the step to be met: every check must pass.
    pub check: Vec<Check>,
    /// Mistakes to recognise, each with its explanation.
    #[serde(default, rename = "mistake")]
    pub mistakes: Vec<Mistake>,
    /// Commands refused during this step.
    #[serde(default, rename = "forbid")]
    pub forbids: Vec<Forbid>,
}

/// A named mistake: when `when` holds after a command, `explain` is shown (once per step).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    /// The mistake's identifier.
    pub id: String,
    /// The predicate that recognises it.
    pub when: Check,
    /// What to tell the student.
    pub explain: Text,
}

/// A command the step refuses, with the reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forbid {
    /// A command pattern, matched like `command_ran` (`docker rmi -f` refuses any `rmi` with
    /// `--force`).
    pub command: String,
    /// Why it is refused.
    pub explain: Text,
}

/// Why a lab file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct LabError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn find_offset(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or(0)
}

impl Lab {
    /// Parses and validates one lab file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Lab, LabError> {
        let err = |offset: usize, message: String| {
            let (line, column) = line_col(text, offset);
            LabError {
                file: file.to_owned(),
                line,
                column,
                message,
            }
        };
        let lab: Lab = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            err(offset, e.message().trim().to_owned())
        })?;
        if lab.format_version != FORMAT_VERSION {
            return Err(err(
                find_offset(text, "format_version"),
                format!(
                    "format_version {} is not supported (this docklab reads {FORMAT_VERSION})",
                    lab.format_version
                ),
            ));
        }
        if lab.id.is_empty()
            || !lab
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(err(
                find_offset(text, "id"),
                format!(
                    "lab id {:?} must be lowercase letters, digits and '-'",
                    lab.id
                ),
            ));
        }
        if lab.steps.is_empty() {
            return Err(err(0, "a lab needs at least one [[step]]".to_owned()));
        }
        for file in &lab.start.files {
            if file.path.is_empty() || check::workspace_path(Path::new("/"), &file.path).is_none() {
                return Err(err(
                    find_offset(text, &file.path),
                    format!(
                        "start file path {:?} must be relative to ~ and stay inside it",
                        file.path
                    ),
                ));
            }
        }
        for line in &lab.start.commands {
            if crate::command::parse(line) != crate::command::Command::Docker {
                return Err(err(
                    find_offset(text, line),
                    format!("start command {line:?} is not a docker command"),
                ));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for step in &lab.steps {
            let at = find_offset(text, &format!("id = \"{}\"", step.id));
            if !seen.insert(step.id.as_str()) {
                return Err(err(at, format!("step id {:?} is used twice", step.id)));
            }
            if step.check.is_empty() {
                return Err(err(at, format!("step {:?} has no check", step.id)));
            }
            if step.solution.is_empty() {
                return Err(err(at, format!("step {:?} has no solution", step.id)));
            }
        }
        Ok(lab)
    }
}

/// The largest lab file docklab reads. The shipped labs are under 32 kB; a file of megabytes is a
/// mistake (or hostile) and would take seconds and hundreds of MB to parse.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// Why a lab file could not be read (before any parsing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Larger than [`MAX_FILE_BYTES`]; `size` is at least `limit + 1` (a device or a growing file
    /// is read no further than that).
    #[error("{size} bytes, more than the {limit} bytes a lab file may have")]
    TooLarge { size: u64, limit: u64 },
    /// A directory, FIFO, socket or device named like a lab file: never opened for reading
    /// (a FIFO would block every start). `kind` is [`crate::regular_file::kind_name`]'s word.
    #[error("not a regular file but a {kind}")]
    NotRegular { kind: &'static str },
    /// Missing, unreadable, or not UTF-8.
    #[error("{message}")]
    Unreadable { message: String },
}

impl ReadError {
    /// What to tell the instructor about the file `path`.
    pub fn msg(&self, path: &str) -> Msg {
        // A file name is whatever the directory holds: its control characters are shown
        // escaped, never sent to the terminal.
        let path = &*crate::docker::reference::escape_controls(path);
        match self {
            ReadError::TooLarge { size, limit } => Msg::LabTooLarge {
                path: path.to_owned(),
                size: i64::try_from(*size).unwrap_or(i64::MAX),
                limit: i64::try_from(*limit).unwrap_or(i64::MAX),
            },
            ReadError::NotRegular { kind } => Msg::LabNotRegular {
                path: path.to_owned(),
                // A Fluent selector key: `character device` → `character-device`.
                kind: kind.to_ascii_lowercase().replace(' ', "-"),
            },
            ReadError::Unreadable { message } => Msg::LintUnreadable {
                path: path.to_owned(),
                error: message.clone(),
            },
        }
    }
}

/// Reads a lab file, refusing one larger than [`MAX_FILE_BYTES`] without reading it all, and
/// anything but a regular file without opening it for reading.
pub fn read_file(path: &Path) -> Result<String, ReadError> {
    use crate::regular_file::{self, ReadError as Bounded};
    let bytes = regular_file::read(path, MAX_FILE_BYTES).map_err(|e| match e {
        Bounded::NotRegular { kind } => ReadError::NotRegular { kind },
        Bounded::TooLarge { size, limit } => ReadError::TooLarge { size, limit },
        Bounded::Io(e) => ReadError::Unreadable {
            message: e.to_string(),
        },
    })?;
    String::from_utf8(bytes).map_err(|e| ReadError::Unreadable {
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })
}

/// Why one lab file of a lab directory was left out of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// It was read but is not a valid lab.
    Invalid(LabError),
    /// It could not be read.
    Unreadable { file: String, error: ReadError },
}

impl LoadError {
    /// The message about it, wrapped in "a lab file could not be loaded".
    pub fn msg(&self, lang: Lang) -> Msg {
        let error = match self {
            LoadError::Invalid(e) => e.to_string(),
            LoadError::Unreadable { file, error } => crate::i18n::tr(lang, &error.msg(file)),
        };
        Msg::LabLoadFailed { error }
    }
}

/// The labs shipped in the binary: (file name, text).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("images.toml", include_str!("../../labs/images.toml")),
    (
        "a-vous-de-jouer.toml",
        include_str!("../../labs/a-vous-de-jouer.toml"),
    ),
    ("couches.toml", include_str!("../../labs/couches.toml")),
    (
        "tags-et-ids.toml",
        include_str!("../../labs/tags-et-ids.toml"),
    ),
    ("cache.toml", include_str!("../../labs/cache.toml")),
    ("menage.toml", include_str!("../../labs/menage.toml")),
    (
        "conteneurs.toml",
        include_str!("../../labs/conteneurs.toml"),
    ),
    ("inspecter.toml", include_str!("../../labs/inspecter.toml")),
    (
        "multi-etapes.toml",
        include_str!("../../labs/multi-etapes.toml"),
    ),
    (
        "sauvegarder.toml",
        include_str!("../../labs/sauvegarder.toml"),
    ),
    ("buildkit.toml", include_str!("../../labs/buildkit.toml")),
    (
        "references.toml",
        include_str!("../../labs/references.toml"),
    ),
];

/// Where a lab was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped in the binary.
    Builtin,
    /// A file in a lab directory.
    File(PathBuf),
}

/// Every lab docklab knows, by id, in a stable order (shipped labs first, in their order).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    labs: Vec<Lab>,
    /// Where each lab of `labs` comes from, index for index.
    origins: Vec<Origin>,
    /// Files that did not load, with why.
    pub errors: Vec<LoadError>,
}

impl Catalog {
    /// The embedded labs, then `*.toml` from each directory in order (a later lab with the same
    /// id replaces an earlier one).
    pub fn load(dirs: &[PathBuf]) -> Catalog {
        let mut cat = Catalog::default();
        for (name, text) in EMBEDDED {
            cat.add(&format!("labs/{name}"), text, Origin::Builtin);
        }
        for dir in dirs {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| Some(e.ok()?.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                match read_file(&f) {
                    Ok(text) => cat.add(&f.display().to_string(), &text, Origin::File(f.clone())),
                    Err(error) => cat.errors.push(LoadError::Unreadable {
                        file: f.display().to_string(),
                        error,
                    }),
                }
            }
        }
        cat
    }

    fn add(&mut self, file: &str, text: &str, origin: Origin) {
        match Lab::parse(file, text) {
            Ok(lab) => self.insert(lab, origin),
            Err(e) => self.errors.push(LoadError::Invalid(e)),
        }
    }

    fn insert(&mut self, lab: Lab, origin: Origin) {
        if let Some(i) = self.labs.iter().position(|l| l.id == lab.id) {
            self.labs[i] = lab;
            self.origins[i] = origin;
        } else {
            self.labs.push(lab);
            self.origins.push(origin);
        }
    }

    /// A catalog of this one lab (`lab test`).
    pub fn of(lab: Lab, origin: Origin) -> Catalog {
        let mut cat = Catalog::default();
        cat.insert(lab, origin);
        cat
    }

    /// Where the lab with this id was loaded from.
    pub fn origin(&self, id: &str) -> Option<&Origin> {
        let i = self.labs.iter().position(|l| l.id == id)?;
        self.origins.get(i)
    }

    pub fn labs(&self) -> &[Lab] {
        &self.labs
    }

    /// The lab with this id; a `practice-N` id no file defines is the practice lab of seed N,
    /// generated ([`generate::practice_lab`]).
    pub fn get(&self, id: &str) -> Option<&Lab> {
        self.labs
            .iter()
            .find(|l| l.id == id)
            .or_else(|| generate::practice_lab(id))
    }

    /// The closest lab id to a mistyped one.
    pub fn suggest(&self, id: &str) -> Option<&str> {
        closest(id, self.labs.iter().map(|l| l.id.as_str()))
    }
}

/// The candidate nearest to `word` when it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d > 0 && *d <= 2.max(c.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Lab directories from the environment and the command line, lowest priority first.
pub fn lab_dirs(home: &Path, env: Option<&str>, cli: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = vec![home.join("labs")];
    if let Some(e) = env.filter(|e| !e.is_empty()) {
        dirs.extend(std::env::split_paths(e));
    }
    if let Some(c) = cli {
        dirs.push(c.to_path_buf());
    }
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_labs_load() {
        let cat = Catalog::load(&[]);
        assert!(cat.errors.is_empty(), "{:?}", cat.errors);
        let ids: Vec<_> = cat.labs().iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "images",
                "a-vous-de-jouer",
                "couches",
                "tags-et-ids",
                "cache",
                "menage",
                "conteneurs",
                "inspecter",
                "multi-etapes",
                "sauvegarder",
                "buildkit",
                "references",
            ]
        );
        for lab in cat.labs() {
            for s in &lab.steps {
                for t in std::iter::once(&s.title).chain([&s.text]).chain(&s.hints) {
                    assert!(
                        !t.fr.trim().is_empty() && !t.en.trim().is_empty(),
                        "{}",
                        s.id
                    );
                }
            }
        }
    }

    /// French typography in every French text of the shipped labs: a narrow no-break space
    /// (or a no-break space) before `:` `;` `!` `?` and inside « », never a plain space, and
    /// « » rather than English quotes. Commands quoted in a text (`sh -c 'a; b'`) would trip it:
    /// none of the shipped labs has one.
    #[test]
    fn shipped_labs_follow_french_typography() {
        let cat = Catalog::load(&[]);
        for lab in cat.labs() {
            let mut texts = vec![("title", &lab.title), ("intro", &lab.intro)];
            for s in &lab.steps {
                texts.push(("step title", &s.title));
                texts.push(("step text", &s.text));
                texts.extend(s.hints.iter().map(|h| ("hint", h)));
                texts.extend(s.mistakes.iter().map(|m| ("mistake", &m.explain)));
                texts.extend(s.forbids.iter().map(|f| ("forbid", &f.explain)));
            }
            for (what, t) in texts {
                let fr = &t.fr;
                for bad in [" :", " ;", " !", " ?", "« ", " »", "“", "”"] {
                    let at = fr.match_indices(bad).find(|(i, m)| {
                        // `:` `;` `!` `?` only as punctuation, followed by a space or the end.
                        !m.starts_with(' ')
                            || matches!(fr[i + m.len()..].chars().next(), None | Some(' ' | '\n'))
                    });
                    assert!(
                        at.is_none(),
                        "{}: {what} has {bad:?} in French: {fr}",
                        lab.id
                    );
                }
                assert!(
                    !fr.contains("étiquette"),
                    "{}: say tag, not étiquette (LABEL): {fr}",
                    lab.id
                );
            }
        }
    }

    #[test]
    fn errors_have_positions() {
        let e = Lab::parse("x.toml", "format_version = 1\nid = \"x\"\nbogus = 3\n").unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("x.toml", 3), "{e}");
        let e = Lab::parse(
            "y.toml",
            "format_version = 2\nid = \"x\"\ntitle = { fr = \"a\", en = \"b\" }\nintro = { fr = \"a\", en = \"b\" }\n[[step]]\nid = \"s\"\ntitle = { fr = \"a\", en = \"b\" }\ntext = { fr = \"a\", en = \"b\" }\nsolution = [\"docker images\"]\ncheck = [{ image_present = \"nginx\" }]\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        let bad_check = "format_version = 1\nid = \"x\"\ntitle = { fr = \"a\", en = \"b\" }\nintro = { fr = \"a\", en = \"b\" }\n[[step]]\nid = \"s\"\ntitle = { fr = \"a\", en = \"b\" }\ntext = { fr = \"a\", en = \"b\" }\nsolution = [\"docker images\"]\ncheck = [{ image_presnt = \"nginx\" }]\n";
        let e = Lab::parse("z.toml", bad_check).unwrap_err();
        assert_eq!(e.line, 10, "{e}");
    }

    #[test]
    fn start_files_stay_in_the_workspace_and_start_commands_are_docker() {
        let lab = |start: &str| {
            format!("format_version = 1\nid = \"x\"\ntitle = {{ fr = \"a\", en = \"b\" }}\nintro = {{ fr = \"a\", en = \"b\" }}\n{start}\n[[step]]\nid = \"s\"\ntitle = {{ fr = \"a\", en = \"b\" }}\ntext = {{ fr = \"a\", en = \"b\" }}\nsolution = [\"docker images\"]\ncheck = [{{ image_present = \"nginx\" }}]\n")
        };
        let ok = Lab::parse(
            "ok.toml",
            &lab("[start]\ncommands = [\"docker tag alpine a:1\"]\n[[start.file]]\npath = \"app/Dockerfile\"\ntext = \"FROM alpine\"\n"),
        )
        .expect("a valid start");
        assert_eq!(ok.start.files[0].path, "app/Dockerfile");
        assert_eq!(ok.start.commands, ["docker tag alpine a:1"]);
        let e = Lab::parse(
            "f.toml",
            &lab("[[start.file]]\npath = \"/etc/x\"\ntext = \"\"\n"),
        )
        .unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        let e = Lab::parse("c.toml", &lab("[start]\ncommands = [\"rm -rf x\"]\n")).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
    }

    #[test]
    fn typo_suggestions() {
        let c = ["images", "couches", "tags-et-ids"];
        assert_eq!(closest("imags", c.into_iter()), Some("images"));
        assert_eq!(closest("zzz", c.into_iter()), None);
    }
}
