//! Checks: declarative predicates over the engine's state, the transcript and the workspace,
//! composable with `all`, `any` and `not`. Evaluation is a pure function that also explains,
//! with the values involved, what it found.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::docker::cli::{self, Parsed};
use crate::docker::reference::Reference;
use crate::engine::{EngineState, ImageState};
use crate::i18n::Msg;
use crate::transcript::{Entry, EntryKind};

/// One check. In TOML each is a one-key table: `{ image_present = "nginx" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// An image reference is present (`nginx` means `nginx:latest`).
    ImagePresent(String),
    /// An image reference is absent.
    ImageAbsent(String),
    /// Two references name the same image ID.
    SameImage([String; 2]),
    /// The number of images (distinct IDs), or of dangling images.
    ImageCount(ImageCount),
    /// The number of layers of an image.
    LayerCount(LayerCount),
    /// How many layers two images share (the same layer, stored once; what `layers` draws once).
    SharedLayers(SharedLayers),
    /// An image's configuration: `Cmd`, `Env`, exposed ports or a label.
    ImageConfig(ImageConfig),
    /// An image is built on another: its layers start with all of the base's layers.
    BaseImage(BaseImage),
    /// A running container was started from this image.
    ContainerRunning(String),
    /// A container (in any state) exists from this image.
    ContainerExists(String),
    /// A file exists in the workspace (path relative to `~`).
    FileExists(String),
    /// A workspace file contains a text.
    FileContains(FileContains),
    /// A Docker command was run (normalised: `docker images` = `docker image ls`).
    CommandRan(CommandRan),
    /// The build cache is empty (`true`) or not (`false`).
    BuildCacheEmpty(bool),
    /// The disk space of all images, in MB (10^6 bytes, as `docker system df` counts: each layer
    /// once, however many images share it).
    ImagesSizeMb(Bounds),
    /// The tags in the engine are exactly these (`nginx` means `nginx:latest`), in any order.
    TagsExactly(Vec<String>),
    /// Every check holds.
    All(Vec<Check>),
    /// At least one check holds.
    Any(Vec<Check>),
    /// The check does not hold.
    Not(Box<Check>),
}

/// Bounds on a number; every bound given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// Exactly this many.
    pub equals: Option<usize>,
    /// At least this many.
    pub at_least: Option<usize>,
    /// At most this many.
    pub at_most: Option<usize>,
}

/// `image_count`: how many images.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageCount {
    /// Count only dangling images (no tag) instead of all images.
    #[serde(default)]
    pub dangling: bool,
    /// Exactly this many.
    pub equals: Option<usize>,
    /// At least this many.
    pub at_least: Option<usize>,
    /// At most this many.
    pub at_most: Option<usize>,
}

/// `layer_count`: how many layers an image has.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerCount {
    /// The image reference.
    pub image: String,
    /// Exactly this many.
    pub equals: Option<usize>,
    /// At least this many.
    pub at_least: Option<usize>,
    /// At most this many.
    pub at_most: Option<usize>,
}

/// `shared_layers`: how many layers two images have in common (same chain ID: the same layer
/// on the same stack below it, stored once).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedLayers {
    /// The two image references.
    pub images: [String; 2],
    /// Exactly this many.
    pub equals: Option<usize>,
    /// At least this many.
    pub at_least: Option<usize>,
    /// At most this many.
    pub at_most: Option<usize>,
}

/// `image_config`: one fact about an image's configuration; give exactly one of the optional
/// fields (or several: all must hold).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageConfig {
    /// The image reference.
    pub image: String,
    /// The exact `Cmd`, as a JSON-like array (`["nginx", "-g", "daemon off;"]`).
    pub cmd: Option<Vec<String>>,
    /// An environment variable: `NAME=value`, or `NAME` for any value.
    pub env: Option<String>,
    /// An exposed port: `80/tcp` (or `80`, meaning tcp).
    pub exposes: Option<String>,
    /// A label key that must be set.
    pub label: Option<String>,
    /// The label's value (with `label`).
    pub label_value: Option<String>,
}

/// `base_image`: `image` is built on `base`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseImage {
    /// The image reference.
    pub image: String,
    /// The base image reference (`debian:trixie-slim`).
    pub base: String,
}

/// `file_contains`: a workspace file contains a text.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileContains {
    /// The path, relative to `~` (`Test/index.html` or `~/Test/index.html`).
    pub path: String,
    /// The text it must contain.
    pub text: String,
}

/// Which exit status a command must have had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Exit status 0 (the default).
    #[default]
    Success,
    /// A non-zero exit status.
    Failure,
    /// Any exit status.
    Any,
}

/// Which part of the transcript a `command_ran` looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Commands typed during the current step (the default).
    #[default]
    Step,
    /// Commands typed since the lab started.
    Lab,
    /// Only the last command typed.
    Last,
}

/// `command_ran`: a Docker command was typed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandRan {
    /// The command pattern: `docker images`, `docker rmi -f`, `docker pull memcached`. The
    /// command must be the same after aliases (`image ls` = `images`); every flag of the pattern
    /// must be there (others may be added); arguments, when the pattern has any, must match
    /// (image references compared as Docker does: `nginx` = `nginx:latest`).
    pub command: String,
    /// The exit status required: `success` (default), `failure` or `any`.
    #[serde(default)]
    pub status: Status,
    /// Where to look: `step` (default), `lab` or `last`.
    #[serde(default)]
    pub scope: Scope,
}

/// What a check reads.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub state: &'a EngineState,
    /// The lab's transcript entries, oldest first.
    pub entries: &'a [Entry],
    /// Index in `entries` of the first entry of the current step.
    pub step_start: usize,
    /// The workspace, standing for `~`.
    pub workspace: &'a Path,
}

/// Why a check holds or fails, in messages with their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    Msg(Msg),
    /// The inner explanation describes something that should not be true.
    Not(Box<Why>),
    /// None of these holds.
    Any(Vec<Why>),
    /// All of these (the failing ones when the check fails).
    All(Vec<Why>),
}

/// A check's result with its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub ok: bool,
    pub why: Why,
}

fn v(ok: bool, msg: Msg) -> Verdict {
    Verdict {
        ok,
        why: Why::Msg(msg),
    }
}

/// `nginx` → `nginx:latest`; other text unchanged.
pub fn normalise_ref(r: &str) -> String {
    Reference::parse(r).map_or_else(|_| r.to_owned(), |p| p.with_default_tag().familiar_string())
}

/// An image as `docker images` shows it: its tags, or its short ID when it has none.
fn image_name(image: &ImageState) -> String {
    if image.tags.is_empty() {
        format!("<none> ({})", image.id.short().to_owned())
    } else {
        image.tags.join(" / ")
    }
}

fn count_verdict(
    what: &str,
    subject: &str,
    actual: usize,
    equals: Option<usize>,
    at_least: Option<usize>,
    at_most: Option<usize>,
) -> Verdict {
    let fails = [
        ("eq", equals.filter(|&n| actual != n)),
        ("ge", at_least.filter(|&n| actual < n)),
        ("le", at_most.filter(|&n| actual > n)),
    ];
    if let Some((op, Some(n))) = fails.into_iter().find(|(_, f)| f.is_some()) {
        v(
            false,
            Msg::CountFail {
                what: what.to_owned(),
                subject: subject.to_owned(),
                actual: actual as i64,
                op: op.to_owned(),
                expected: n as i64,
            },
        )
    } else {
        v(
            true,
            Msg::CountHolds {
                what: what.to_owned(),
                subject: subject.to_owned(),
                actual: actual as i64,
            },
        )
    }
}

/// A failed count of dangling images, with what keeps each one a container uses: `image prune`
/// never removes those, so pruning again would free nothing (the seed lab's trap: rebuilding
/// an image while its container runs).
fn held_dangling(s: &EngineState, verdict: Verdict) -> Verdict {
    let held: Vec<Why> = s
        .dangling()
        .filter_map(|image| {
            let users: Vec<_> = s
                .containers
                .iter()
                .filter(|c| c.image_id == image.id)
                .collect();
            let c = users.iter().find(|c| c.running).or(users.first())?;
            Some(Why::Msg(Msg::DanglingHeld {
                image: image.id.short().to_owned(),
                container: c.name.clone(),
                running: if c.running { "yes" } else { "no" }.to_owned(),
            }))
        })
        .collect();
    if held.is_empty() {
        return verdict;
    }
    Verdict {
        ok: false,
        why: Why::All(std::iter::once(verdict.why).chain(held).collect()),
    }
}

/// A workspace path from a lab (`~/Test/x` or `Test/x`); `None` when it would leave `~`.
pub fn workspace_path(workspace: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.strip_prefix("~/").unwrap_or(path);
    let rel = Path::new(rel);
    if rel
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    Some(workspace.join(rel))
}

fn words_of(command: &str) -> Vec<String> {
    let mut w = shell_words::split(command).unwrap_or_else(|_| {
        command
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    if w.first().is_some_and(|s| s == "docker") {
        w.remove(0);
    }
    w
}

/// A pattern argument `NAME@sha256:*` stands for NAME by any digest (a digest differs between
/// engines and registries, so a lab cannot spell it): `actual` names the same repository, with
/// a digest.
fn any_digest(pattern: &str, actual: &str) -> bool {
    let Some(name) = pattern.strip_suffix("@sha256:*") else {
        return false;
    };
    match (Reference::parse(name), Reference::parse(actual)) {
        (Ok(p), Ok(a)) => a.digest().is_some() && p.name() == a.name(),
        _ => false,
    }
}

/// Does the Docker command `actual` (words after `docker`) match the `pattern`?
pub fn command_matches(pattern: &str, actual: &[String]) -> bool {
    /// Stands for "any arguments" in a pattern that names none (`docker rmi -f`, `docker tag`),
    /// so that the pattern still parses with commands that require one or two arguments.
    const ANY: &str = "\u{0}any";
    let pat = words_of(pattern);
    let parsed_pattern = cli::parse(&pat).or_else(|e| {
        let mut with_any = pat.clone();
        (1..=2)
            .find_map(|_| {
                with_any.push(ANY.to_owned());
                cli::parse(&with_any).ok()
            })
            .ok_or(e)
    });
    // Which command, from Docker's command tables: every alias and spelling of one command
    // (`images` = `image ls` = `image list`, `help tag` = `tag --help` = `image tag -h`) has
    // one key.
    let (Some(pk), Some(ak)) = (cli::command_key(&pat), cli::command_key(actual)) else {
        return false;
    };
    if pk != ak {
        return false;
    }
    if pk.help {
        return true;
    }
    if let (Ok(Parsed::Run(mut p)), Ok(Parsed::Run(a))) = (parsed_pattern, cli::parse(actual)) {
        if !p.args.is_empty() && p.args.iter().all(|x| x == ANY) {
            p.args.clear();
        }
        // Every flag the pattern gives, in any order and spelling (`-f` = `--force`, `-dit` =
        // `-d -i -t`), with the same values unless it is a boolean.
        for (f, pv) in p.flags.given() {
            if !a.flags.is_set(f) {
                return false;
            }
            let is_bool = pv.iter().all(|x| x == "true");
            if !is_bool && pv != a.flags.values(f) {
                return false;
            }
        }
        if p.args.is_empty() {
            return true;
        }
        p.args.len() == a.args.len()
            && p.args
                .iter()
                .zip(&a.args)
                .all(|(x, y)| x == y || normalise_ref(x) == normalise_ref(y) || any_digest(x, y))
    } else if cli::parse(&pat).is_ok() && cli::parse(actual).is_ok() {
        // Both print what the command prints (`docker --version`, `docker -v`).
        true
    } else {
        // A line the grammar refuses (a missing argument): the same command, and the flags the
        // pattern names among the words typed.
        pat.iter()
            .filter(|w| w.starts_with('-'))
            .all(|w| actual.contains(w))
    }
}

impl Check {
    /// Evaluates the check and explains the result.
    #[allow(clippy::many_single_char_names)] // s = state, f = facts, v = verdict throughout
    #[allow(clippy::too_many_lines, reason = "one arm per check kind")]
    pub fn eval(&self, f: &Facts<'_>) -> Verdict {
        let s = f.state;
        match self {
            Check::ImagePresent(r) => {
                let reference = normalise_ref(r);
                v(
                    s.image(r).is_some(),
                    if s.image(r).is_some() {
                        Msg::ImagePresentHolds { reference }
                    } else {
                        Msg::ImagePresentFail { reference }
                    },
                )
            }
            Check::ImageAbsent(r) => {
                let reference = normalise_ref(r);
                let absent = s.image(r).is_none();
                v(
                    absent,
                    if absent {
                        Msg::ImageAbsentHolds { reference }
                    } else {
                        Msg::ImageAbsentFail { reference }
                    },
                )
            }
            Check::SameImage([a, b]) => match (s.image(a), s.image(b)) {
                (Some(x), Some(y)) if x.id == y.id => v(
                    true,
                    Msg::SameImageHolds {
                        a: normalise_ref(a),
                        b: normalise_ref(b),
                        id: x.id.short().to_owned(),
                    },
                ),
                (Some(x), Some(y)) => v(
                    false,
                    Msg::SameImageFail {
                        a: normalise_ref(a),
                        a_id: x.id.short().to_owned(),
                        b: normalise_ref(b),
                        b_id: y.id.short().to_owned(),
                    },
                ),
                (None, _) => v(
                    false,
                    Msg::ImagePresentFail {
                        reference: normalise_ref(a),
                    },
                ),
                (_, None) => v(
                    false,
                    Msg::ImagePresentFail {
                        reference: normalise_ref(b),
                    },
                ),
            },
            Check::ImageCount(c) => {
                let counted: Vec<&ImageState> = if c.dangling {
                    s.dangling().collect()
                } else {
                    s.images.iter().collect()
                };
                let what = if c.dangling { "dangling" } else { "images" };
                let verdict =
                    count_verdict(what, "", counted.len(), c.equals, c.at_least, c.at_most);
                if verdict.ok || counted.is_empty() {
                    return verdict;
                }
                // A wrong count names the images found, so the student sees which to remove.
                let names: Vec<String> = counted.iter().map(|i| image_name(i)).collect();
                let verdict = Verdict {
                    ok: false,
                    why: Why::All(vec![
                        verdict.why,
                        Why::Msg(Msg::CountImagesLeft {
                            count: names.len() as i64,
                            images: names.join(", "),
                        }),
                    ]),
                };
                // What holds a dangling image (the prune trap) is named too.
                if c.dangling {
                    held_dangling(s, verdict)
                } else {
                    verdict
                }
            }
            Check::LayerCount(c) => with_image(s, &c.image, |img| {
                count_verdict(
                    "layers",
                    &normalise_ref(&c.image),
                    img.layers.len(),
                    c.equals,
                    c.at_least,
                    c.at_most,
                )
            }),
            Check::SharedLayers(c) => with_image(s, &c.images[0], |a| {
                with_image(s, &c.images[1], |b| {
                    let shared = a
                        .layers
                        .iter()
                        .filter(|l| b.layers.iter().any(|m| m.chain_id == l.chain_id))
                        .count();
                    let subject = format!(
                        "{} & {}",
                        normalise_ref(&c.images[0]),
                        normalise_ref(&c.images[1])
                    );
                    count_verdict("shared", &subject, shared, c.equals, c.at_least, c.at_most)
                })
            }),
            Check::ImageConfig(c) => with_image(s, &c.image, |img| config_verdict(c, img)),
            Check::BaseImage(c) => match (s.image(&c.image), s.image(&c.base)) {
                (None, _) => v(
                    false,
                    Msg::ImagePresentFail {
                        reference: normalise_ref(&c.image),
                    },
                ),
                (_, None) => v(
                    false,
                    Msg::ImagePresentFail {
                        reference: normalise_ref(&c.base),
                    },
                ),
                (Some(img), Some(base)) => {
                    let ok = !base.layers.is_empty()
                        && img.layers.len() >= base.layers.len()
                        && img
                            .layers
                            .iter()
                            .zip(&base.layers)
                            .all(|(a, b)| a.diff_id == b.diff_id);
                    let (image, base) = (normalise_ref(&c.image), normalise_ref(&c.base));
                    v(
                        ok,
                        if ok {
                            Msg::BaseImageHolds { image, base }
                        } else {
                            Msg::BaseImageFail { image, base }
                        },
                    )
                }
            },
            Check::ContainerRunning(r) => container_verdict(s, r, true),
            Check::ContainerExists(r) => container_verdict(s, r, false),
            Check::FileExists(p) => {
                let ok = workspace_path(f.workspace, p).is_some_and(|p| p.exists());
                let path = display_path(p);
                v(
                    ok,
                    if ok {
                        Msg::FileExistsHolds { path }
                    } else {
                        Msg::FileExistsFail { path }
                    },
                )
            }
            Check::FileContains(c) => {
                let path = workspace_path(f.workspace, &c.path);
                let Some(content) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
                    return v(
                        false,
                        Msg::FileExistsFail {
                            path: display_path(&c.path),
                        },
                    );
                };
                let ok = content.contains(&c.text);
                let (path, text) = (display_path(&c.path), c.text.clone());
                v(
                    ok,
                    if ok {
                        Msg::FileContainsHolds { path, text }
                    } else {
                        Msg::FileContainsFail { path, text }
                    },
                )
            }
            Check::CommandRan(c) => command_verdict(c, f),
            Check::BuildCacheEmpty(want) => {
                let empty = s.build_cache_count == 0;
                let ok = empty == *want;
                let count = s.build_cache_count as i64;
                // `false` asks for a non-empty cache: its failure reads as the empty case holds.
                let msg = if empty {
                    Msg::BuildCacheHolds
                } else {
                    Msg::BuildCacheFail { count }
                };
                v(ok, msg)
            }
            Check::ImagesSizeMb(b) => images_size_verdict(s, b),
            Check::TagsExactly(want) => tags_verdict(s, want),
            Check::All(cs) => {
                let vs: Vec<Verdict> = cs.iter().map(|c| c.eval(f)).collect();
                let ok = vs.iter().all(|x| x.ok);
                Verdict {
                    ok,
                    why: Why::All(
                        vs.into_iter()
                            .filter(|x| ok || !x.ok)
                            .map(|x| x.why)
                            .collect(),
                    ),
                }
            }
            Check::Any(cs) => {
                let vs: Vec<Verdict> = cs.iter().map(|c| c.eval(f)).collect();
                match vs.iter().find(|x| x.ok) {
                    Some(x) => x.clone(),
                    None => Verdict {
                        ok: false,
                        why: Why::Any(vs.into_iter().map(|x| x.why).collect()),
                    },
                }
            }
            Check::Not(c) => {
                let inner = c.eval(f);
                if inner.ok {
                    Verdict {
                        ok: false,
                        why: Why::Not(Box::new(inner.why)),
                    }
                } else {
                    Verdict {
                        ok: true,
                        why: inner.why,
                    }
                }
            }
        }
    }
}

/// The bytes the images take, each layer (chain ID) counted once, as `docker system df` does.
/// A state without layer sizes (the real engine's, read without histories) counts each image's
/// whole size instead, shared layers again: an upper bound.
pub fn images_size(s: &EngineState) -> u64 {
    let mut seen = std::collections::BTreeSet::new();
    let by_layer: u64 = s
        .images
        .iter()
        .flat_map(|i| &i.layers)
        .filter(|l| seen.insert(&l.chain_id))
        .map(|l| l.size)
        .sum();
    if by_layer == 0 {
        s.images.iter().map(|i| i.size).sum()
    } else {
        by_layer
    }
}

fn images_size_verdict(s: &EngineState, b: &Bounds) -> Verdict {
    const MB: u64 = 1_000_000;
    let bytes = images_size(s);
    // As `docker system df` prints it.
    #[allow(clippy::cast_precision_loss)]
    let size = crate::docker::units::human_size4(bytes as f64);
    // A bound of N MB holds up to N × 10^6 bytes (at most) or from it (at least).
    let fails = [
        ("eq", b.equals.filter(|&n| bytes.div_ceil(MB) != n as u64)),
        ("ge", b.at_least.filter(|&n| bytes < n as u64 * MB)),
        ("le", b.at_most.filter(|&n| bytes > n as u64 * MB)),
    ];
    match fails.into_iter().find_map(|(op, f)| f.map(|n| (op, n))) {
        Some((op, n)) => v(
            false,
            Msg::ImagesSizeFail {
                size,
                op: op.to_owned(),
                expected: n as i64,
            },
        ),
        None => v(true, Msg::ImagesSizeHolds { size }),
    }
}

fn tags_verdict(s: &EngineState, want: &[String]) -> Verdict {
    let want: std::collections::BTreeSet<String> = want.iter().map(|r| normalise_ref(r)).collect();
    let have: std::collections::BTreeSet<String> = s
        .images
        .iter()
        .flat_map(|i| &i.tags)
        .map(|t| normalise_ref(t))
        .collect();
    let extra: Vec<&str> = have.difference(&want).map(String::as_str).collect();
    let missing: Vec<&str> = want.difference(&have).map(String::as_str).collect();
    let list = |v: &[&str]| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            v.join(", ")
        }
    };
    if extra.is_empty() && missing.is_empty() {
        let tags: Vec<&str> = have.iter().map(String::as_str).collect();
        v(true, Msg::TagsExactlyHolds { tags: list(&tags) })
    } else {
        v(
            false,
            Msg::TagsExactlyFail {
                extra: list(&extra),
                extras: extra.len() as i64,
                missing: list(&missing),
                missings: missing.len() as i64,
            },
        )
    }
}

fn display_path(p: &str) -> String {
    if p.starts_with("~/") {
        p.to_owned()
    } else {
        format!("~/{p}")
    }
}

fn with_image(s: &EngineState, r: &str, f: impl FnOnce(&ImageState) -> Verdict) -> Verdict {
    match s.image(r) {
        Some(img) => f(img),
        None => v(
            false,
            Msg::ImagePresentFail {
                reference: normalise_ref(r),
            },
        ),
    }
}

fn json_array(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn config_verdict(c: &ImageConfig, img: &ImageState) -> Verdict {
    let image = normalise_ref(&c.image);
    let cfg = &img.config;
    let mut facts: Vec<(&str, bool, String, String)> = Vec::new();
    if let Some(cmd) = &c.cmd {
        facts.push((
            "Cmd",
            &cfg.cmd == cmd,
            json_array(cmd),
            json_array(&cfg.cmd),
        ));
    }
    if let Some(env) = &c.env {
        let ok = cfg.env.iter().any(|e| {
            e == env || (!env.contains('=') && e.split_once('=').is_some_and(|(k, _)| k == env))
        });
        facts.push(("Env", ok, env.clone(), cfg.env.join(" ")));
    }
    if let Some(port) = &c.exposes {
        let want = if port.contains('/') {
            port.clone()
        } else {
            format!("{port}/tcp")
        };
        let ok = cfg.exposed_ports.contains(&want);
        facts.push(("ExposedPorts", ok, want, cfg.exposed_ports.join(" ")));
    }
    if let Some(key) = &c.label {
        let actual = cfg.labels.get(key);
        let ok = match (&c.label_value, actual) {
            (Some(want), Some(have)) => want == have,
            (None, Some(_)) => true,
            _ => false,
        };
        let expected = match &c.label_value {
            Some(v) => format!("{key}={v}"),
            None => key.clone(),
        };
        let actual = cfg
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        facts.push(("Labels", ok, expected, actual));
    }
    let whys: Vec<Verdict> = facts
        .into_iter()
        .map(|(field, ok, expected, actual)| {
            let field = field.to_owned();
            let actual = if actual.is_empty() {
                "-".to_owned()
            } else {
                actual
            };
            if ok {
                v(
                    true,
                    Msg::ConfigHolds {
                        image: image.clone(),
                        field,
                        expected,
                    },
                )
            } else {
                v(
                    false,
                    Msg::ConfigFail {
                        image: image.clone(),
                        field,
                        expected,
                        actual,
                    },
                )
            }
        })
        .collect();
    let ok = whys.iter().all(|x| x.ok);
    Verdict {
        ok,
        why: Why::All(
            whys.into_iter()
                .filter(|x| ok || !x.ok)
                .map(|x| x.why)
                .collect(),
        ),
    }
}

fn container_verdict(s: &EngineState, r: &str, running: bool) -> Verdict {
    let want = normalise_ref(r);
    let id = s.image(r).map(|i| i.id.clone());
    let found = s.containers.iter().find(|c| {
        (!running || c.running)
            && (normalise_ref(&c.image) == want || id.as_ref().is_some_and(|i| *i == c.image_id))
    });
    let running = if running { "yes" } else { "no" }.to_owned();
    match found {
        Some(c) => v(
            true,
            Msg::ContainerHolds {
                image: want,
                running,
                name: c.name.clone(),
            },
        ),
        None => v(
            false,
            Msg::ContainerFail {
                image: want,
                running,
            },
        ),
    }
}

fn command_verdict(c: &CommandRan, f: &Facts<'_>) -> Verdict {
    let scoped: &[Entry] = match c.scope {
        Scope::Step => &f.entries[f.step_start.min(f.entries.len())..],
        Scope::Lab => f.entries,
        Scope::Last => {
            // The last command typed: answers to its prompt come after it.
            let last = f
                .entries
                .iter()
                .rposition(|e| e.kind != EntryKind::Answer)
                .unwrap_or(0);
            &f.entries[last.min(f.entries.len())..]
        }
    };
    // A confirmation answered other than `y` (Docker's only yes: `oui`, `o`, `n`) cancels the
    // command: it exits 0 having done nothing, which is no successful run.
    let declined = |i: usize| {
        scoped.get(i + 1).is_some_and(|next| {
            next.kind == EntryKind::Answer && !crate::layers::mistakes::docker_says_yes(&next.line)
        })
    };
    let docker: Vec<(&Entry, bool)> = scoped
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind == EntryKind::Docker)
        .map(|(i, e)| (e, declined(i)))
        .collect();
    let status_ok = |&(e, cancelled): &(&Entry, bool)| match c.status {
        Status::Success => e.exit_code == 0 && !cancelled,
        Status::Failure => e.exit_code != 0,
        Status::Any => true,
    };
    let matching: Vec<(&Entry, bool)> = docker
        .into_iter()
        .filter(|(e, _)| command_matches(&c.command, &e.docker_args))
        .collect();
    let status = match c.status {
        Status::Success => "success",
        Status::Failure => "failure",
        Status::Any => "any",
    }
    .to_owned();
    if matching.iter().any(status_ok) {
        return v(
            true,
            Msg::CommandHolds {
                command: c.command.clone(),
                status,
            },
        );
    }
    // Say what was seen: the same command with another status, or nothing like it.
    let last = matching.last();
    let seen = last.map(|(e, _)| e.line.clone()).unwrap_or_default();
    let code = last.map_or(0, |(e, _)| i64::from(e.exit_code));
    let attempt = match last {
        None => "none",
        Some((_, true)) => "cancelled",
        Some(_) => "some",
    };
    let scope = match c.scope {
        Scope::Step => "step",
        Scope::Lab => "lab",
        Scope::Last => "last",
    }
    .to_owned();
    v(
        false,
        Msg::CommandFail {
            command: c.command.clone(),
            status,
            scope,
            attempt: attempt.to_owned(),
            seen,
            code,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn command_normalisation() {
        let yes = [
            ("docker images", "image ls"),
            ("docker image ls", "images -a"),
            ("docker pull nginx", "pull nginx:latest"),
            ("docker rmi -f", "rmi --force debian:latest"),
            ("docker rmi -f debian", "rmi -f debian:latest"),
            ("docker rmi --help", "rmi --help"),
            ("docker rmi --help", "image rm -h"),
            ("docker system df", "system df"),
            ("docker run -dit mon_nginx", "run -d -i -t mon_nginx"),
            ("docker tag", "tag nginx localhost:5000/web:1.0"),
            ("docker pull nginx@sha256:*", "pull nginx@sha256:abababababababababababababababababababababababababababababababab"),
            ("docker pull nginx@sha256:*", "pull docker.io/library/nginx@sha256:abababababababababababababababababababababababababababababababab"),
            // One command table: every alias, help spelling and flag order.
            ("docker help tag", "tag --help"),
            ("docker tag --help", "help tag"),
            ("docker tag --help", "image tag -h"),
            ("docker image tag nginx web", "tag nginx web"),
            ("docker tag nginx web", "image tag nginx:latest web:latest"),
            ("docker images", "image list"),
            ("docker image list", "images"),
            ("docker image ls -a", "images --all"),
            ("docker rmi -f nginx", "image remove --force nginx"),
            ("docker rmi --force nginx", "rmi -f nginx"),
            ("docker images -a -q", "images -qa"),
            (
                "docker run -d --name web -p 8080:80 nginx",
                "container run -p 8080:80 --name=web -d nginx",
            ),
            ("docker build -t site .", "image build . -t site"),
            ("docker builder prune -f", "buildx prune --force"),
            ("docker help images", "image ls --help"),
            ("docker network ls", "network ls"),
            ("docker --version", "-v"),
            ("docker --help", "help"),
        ];
        for (p, a) in yes {
            assert!(command_matches(p, &words(a)), "{p} ~ {a}");
        }
        let no = [
            ("docker images", "ps"),
            ("docker rmi -f", "rmi debian"),
            ("docker pull nginx", "pull memcached"),
            ("docker rmi --help", "tag --help"),
            ("docker system prune -a", "system prune"),
            ("docker tag", "rmi nginx"),
            ("docker pull nginx@sha256:*", "pull nginx"),
            ("docker pull nginx@sha256:*", "pull nginx:1.29.2"),
            ("docker pull nginx@sha256:*", "pull alpine@sha256:abababababababababababababababababababababababababababababababab"),
            ("docker help tag", "tag nginx web"),
            ("docker tag nginx web", "help tag"),
            ("docker help tag", "help rmi"),
            ("docker images -a", "images -q"),
            ("docker network ls", "exec web ls"),
            ("docker image inspect nginx", "inspect nginx"),
            ("docker run -d nginx", "run nginx"),
        ];
        for (p, a) in no {
            assert!(!command_matches(p, &words(a)), "{p} !~ {a}");
        }
    }

    /// A wrong image count names the images there (tags, or `<none>` and the short ID), in
    /// both languages; a right one, or none at all, adds nothing.
    #[test]
    fn a_wrong_image_count_names_the_images_left() {
        use crate::engine::ImageState;
        use crate::i18n::Lang;
        let image = ImageState::named;
        let state = EngineState {
            images: vec![
                image("a1", &["nginx:latest", "nginx:two"]),
                image("b2", &[]),
            ],
            ..EngineState::default()
        };
        let facts = Facts {
            state: &state,
            entries: &[],
            step_start: 0,
            workspace: Path::new("/nonexistent"),
        };
        let count = |dangling, equals| {
            Check::ImageCount(ImageCount {
                dangling,
                equals: Some(equals),
                at_least: None,
                at_most: None,
            })
            .eval(&facts)
        };
        let lines = |v: &Verdict, lang| crate::ui::why_lines(lang, &v.why);
        let v = count(false, 0);
        assert!(!v.ok);
        assert_eq!(
            lines(&v, Lang::En)[1],
            "The images there: nginx:latest / nginx:two, <none> (b20000000000)."
        );
        assert_eq!(
            lines(&v, Lang::Fr)[1],
            "Les images présentes\u{202f}: nginx:latest / nginx:two, <none> (b20000000000)."
        );
        let v = count(true, 0);
        assert_eq!(
            lines(&v, Lang::En)[1],
            "The image there: <none> (b20000000000)."
        );
        assert_eq!(
            lines(&v, Lang::Fr)[1],
            "L'image présente\u{202f}: <none> (b20000000000)."
        );
        assert_eq!(lines(&count(false, 2), Lang::En).len(), 1);
        let empty = EngineState::default();
        let facts = Facts {
            state: &empty,
            ..facts
        };
        let v = Check::ImageCount(ImageCount {
            dangling: false,
            equals: Some(1),
            at_least: None,
            at_most: None,
        })
        .eval(&facts);
        assert_eq!(crate::ui::why_lines(Lang::En, &v.why).len(), 1);
    }

    /// A prune whose `[y/N]` was answered `oui` did nothing: no successful run, and the
    /// failure says so; a failed attempt gives its exit code in words of the language.
    #[test]
    fn a_cancelled_command_is_no_successful_run() {
        use crate::i18n::Lang;
        let docker = |line: &str, code: i32| {
            let mut e = Entry::new(line, EntryKind::Docker);
            e.docker_args = words_of(line);
            e.exit_code = code;
            e
        };
        let state = EngineState::default();
        let check = |entries: &[Entry]| {
            Check::CommandRan(CommandRan {
                command: "docker image prune".into(),
                status: Status::Success,
                scope: Scope::Step,
            })
            .eval(&Facts {
                state: &state,
                entries,
                step_start: 0,
                workspace: Path::new("/nonexistent"),
            })
        };
        let cancelled = [
            docker("docker image prune", 0),
            Entry::new("oui", EntryKind::Answer),
        ];
        let v = check(&cancelled);
        assert!(!v.ok);
        let text = |lang| crate::ui::why_lines(lang, &v.why).join("\n");
        assert!(
            text(Lang::En)
                .ends_with("last attempt: docker image prune, cancelled at its [y/N] question."),
            "{}",
            text(Lang::En)
        );
        assert!(
            text(Lang::Fr).contains("annulée à sa question [y/N]"),
            "{}",
            text(Lang::Fr)
        );
        let confirmed = [
            docker("docker image prune", 0),
            Entry::new("y", EntryKind::Answer),
        ];
        assert!(check(&confirmed).ok);
        assert!(check(&[docker("docker image prune -f", 0)]).ok);
        let failed = check(&[docker("docker image prune extra", 1)]);
        let fr = crate::ui::why_lines(Lang::Fr, &failed.why).join("\n");
        assert!(
            fr.contains("(code de sortie 1)") && !fr.contains("exit"),
            "{fr}"
        );
    }

    /// `check` says each line once, even when two checks fail for one reason.
    #[test]
    fn check_never_repeats_a_line() {
        use crate::i18n::Lang;
        let state = EngineState::default();
        let facts = Facts {
            state: &state,
            entries: &[],
            step_start: 0,
            workspace: Path::new("/nonexistent"),
        };
        let v = Check::All(vec![
            Check::ImagePresent("nginx".into()),
            Check::SameImage(["nginx".into(), "nginx:prod".into()]),
            Check::ImagePresent("nginx:latest".into()),
        ])
        .eval(&facts);
        let lines = crate::ui::why_lines(Lang::En, &v.why);
        assert_eq!(
            lines,
            vec!["The image nginx:latest is not there."],
            "{lines:?}"
        );
    }

    #[test]
    fn images_size_counts_each_layer_once_and_tags_must_match_exactly() {
        use crate::engine::{ImageState, LayerState};
        let layer = |id: &str, size: u64| LayerState {
            chain_id: id.into(),
            size,
            ..LayerState::default()
        };
        let state = EngineState {
            images: vec![
                ImageState {
                    id: "sha256:a".into(),
                    tags: vec!["nginx:latest".into(), "web:1".into()],
                    layers: vec![layer("base", 100_000_000), layer("n1", 50_000_000)],
                    ..ImageState::default()
                },
                ImageState {
                    id: "sha256:b".into(),
                    tags: vec!["memcached:latest".into()],
                    layers: vec![layer("base", 100_000_000), layer("m1", 1_000_000)],
                    ..ImageState::default()
                },
                ImageState {
                    id: "sha256:c".into(),
                    ..ImageState::default()
                },
            ],
            ..EngineState::default()
        };
        assert_eq!(images_size(&state), 151_000_000);
        let facts = Facts {
            state: &state,
            entries: &[],
            step_start: 0,
            workspace: Path::new("/nonexistent"),
        };
        let eval = |text: &str| toml::from_str::<W>(text).expect("parses").c.eval(&facts);
        assert!(eval("c = { images_size_mb = { at_most = 151 } }").ok);
        let v = eval("c = { images_size_mb = { at_most = 150 } }");
        assert!(!v.ok);
        assert_eq!(
            v.why,
            Why::Msg(Msg::ImagesSizeFail {
                size: "151MB".into(),
                op: "le".into(),
                expected: 150,
            })
        );
        assert!(!eval("c = { images_size_mb = { at_least = 152 } }").ok);
        assert!(eval(r#"c = { tags_exactly = ["memcached", "web:1", "nginx"] }"#).ok);
        let v = eval(r#"c = { tags_exactly = ["nginx", "memcached", "alpine"] }"#);
        assert_eq!(
            v.why,
            Why::Msg(Msg::TagsExactlyFail {
                extra: "web:1".into(),
                extras: 1,
                missing: "alpine:latest".into(),
                missings: 1,
            })
        );
        // Without layer sizes (the real engine's state), each image's whole size.
        let sized = EngineState {
            images: vec![ImageState {
                size: 7_000_000,
                layers: vec![layer("x", 0)],
                ..ImageState::default()
            }],
            ..EngineState::default()
        };
        assert_eq!(images_size(&sized), 7_000_000);
    }

    #[test]
    fn shared_layers_counts_common_chain_ids() {
        use crate::engine::{ImageState, LayerState};
        let layer = |id: &str| LayerState {
            chain_id: id.into(),
            ..LayerState::default()
        };
        let image = |tag: &str, layers: &[&str]| ImageState {
            id: format!("sha256:{tag}").into(),
            tags: vec![format!("{tag}:latest")],
            layers: layers.iter().map(|l| layer(l)).collect(),
            ..ImageState::default()
        };
        let state = EngineState {
            images: vec![
                image("nginx", &["base", "n1", "n2"]),
                image("memcached", &["base", "m1"]),
            ],
            ..EngineState::default()
        };
        let facts = Facts {
            state: &state,
            entries: &[],
            step_start: 0,
            workspace: Path::new("/nonexistent"),
        };
        let check: Check = toml::from_str::<W>(
            r#"c = { shared_layers = { images = ["nginx", "memcached"], at_least = 1 } }"#,
        )
        .expect("parses")
        .c;
        assert!(check.eval(&facts).ok);
        let check: Check = toml::from_str::<W>(
            r#"c = { shared_layers = { images = ["nginx", "memcached"], at_least = 2 } }"#,
        )
        .expect("parses")
        .c;
        let verdict = check.eval(&facts);
        assert!(!verdict.ok);
        let msg = Msg::CountFail {
            what: "shared".into(),
            subject: "nginx:latest & memcached:latest".into(),
            actual: 1,
            op: "ge".into(),
            expected: 2,
        };
        assert!(
            format!("{:?}", verdict.why).contains(&format!("{msg:?}")),
            "{:?}",
            verdict.why
        );
        let en = crate::i18n::tr(crate::i18n::Lang::En, &msg);
        let fr = crate::i18n::tr(crate::i18n::Lang::Fr, &msg);
        assert!(
            en.starts_with("nginx:latest & memcached:latest share 1 layer"),
            "{en}"
        );
        assert!(
            fr.starts_with("nginx:latest & memcached:latest ont 1 couche commune"),
            "{fr}"
        );
    }

    #[derive(Deserialize)]
    struct W {
        c: Check,
    }

    /// The last attempt of a command is said with its exit code in the student's words:
    /// « code de sortie 1 » in French, never « exit 1 ».
    #[test]
    fn a_failed_attempt_names_its_exit_code_in_each_language() {
        let mut entry = Entry::new("docker rmi nginx", EntryKind::Docker);
        entry.docker_args = vec!["rmi".into(), "nginx".into()];
        entry.exit_code = 1;
        let state = EngineState::default();
        let entries = [entry];
        let facts = Facts {
            state: &state,
            entries: &entries,
            step_start: 0,
            workspace: Path::new("/nonexistent"),
        };
        let check: Check =
            toml::from_str::<W>(r#"c = { command_ran = { command = "docker rmi nginx" } }"#)
                .expect("parses")
                .c;
        let verdict = check.eval(&facts);
        assert!(!verdict.ok);
        let said = |lang| crate::ui::why_lines(lang, &verdict.why);
        assert_eq!(
            said(crate::i18n::Lang::Fr),
            ["La commande docker rmi nginx n'a pas encore été exécutée avec succès pendant cette \
              étape\u{202f}; dernière tentative\u{202f}: docker rmi nginx (code de sortie 1)."]
        );
        assert_eq!(
            said(crate::i18n::Lang::En)[0],
            "The command docker rmi nginx has not been run successfully during this step; last \
             attempt: docker rmi nginx (exit code 1)."
        );
    }

    #[test]
    fn checks_parse_from_toml() {
        #[derive(Deserialize)]
        struct W {
            check: Vec<Check>,
        }
        let w: W = toml::from_str(
            r#"check = [
              { image_present = "nginx" },
              { same_image = ["nginx", "nginx:monblog_prod"] },
              { image_count = { dangling = true, equals = 0 } },
              { layer_count = { image = "debian:trixie-slim", equals = 1 } },
              { image_config = { image = "x", cmd = ["a"], exposes = "80" } },
              { not = { any = [{ image_absent = "a" }, { file_exists = "Test/x" }] } },
              { command_ran = { command = "docker images", scope = "lab" } },
              { build_cache_empty = true },
            ]"#,
        )
        .expect("valid");
        assert_eq!(w.check.len(), 8);
        assert!(toml::from_str::<W>(r"check = [{ image_count = { eq = 1 } }]").is_err());
    }

    #[test]
    fn workspace_paths_stay_inside() {
        let ws = Path::new("/w");
        assert_eq!(
            workspace_path(ws, "~/Test/a"),
            Some(PathBuf::from("/w/Test/a"))
        );
        assert_eq!(workspace_path(ws, "../etc/passwd"), None);
        assert_eq!(workspace_path(ws, "/etc/passwd"), None);
    }
}

#[cfg(test)]
mod dangling_tests {
    use super::*;
    use crate::engine::ContainerState;

    /// A dangling image a container uses is named with its container and how to free it: `image
    /// prune` alone would never pass the check.
    #[test]
    fn a_failed_dangling_count_names_what_holds_each_image() {
        let image = |id: &str, tags: &[&str]| ImageState {
            id: format!("sha256:{id}").into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            ..ImageState::default()
        };
        let state = EngineState {
            images: vec![
                image("aaaa", &["mon_nginx:latest"]),
                image("bbbb", &[]),
                image("cccc", &[]),
            ],
            containers: vec![ContainerState {
                id: "c1".into(),
                name: "web".into(),
                image: "mon_nginx".into(),
                image_id: "sha256:bbbb".into(),
                running: true,
                status: "running".into(),
            }],
            ..EngineState::default()
        };
        let facts = Facts {
            state: &state,
            entries: &[],
            step_start: 0,
            workspace: Path::new("/nonexistent"),
        };
        let check = Check::ImageCount(ImageCount {
            dangling: true,
            equals: Some(0),
            at_least: None,
            at_most: None,
        });
        let verdict = check.eval(&facts);
        assert!(!verdict.ok);
        let held = Msg::DanglingHeld {
            image: "bbbb".into(),
            container: "web".into(),
            running: "yes".into(),
        };
        let Why::All(whys) = &verdict.why else {
            panic!("{:?}", verdict.why)
        };
        assert_eq!(whys.len(), 2, "only the held image is named: {whys:?}");
        assert_eq!(whys[1], Why::Msg(held.clone()));
        let en = crate::i18n::tr(crate::i18n::Lang::En, &held);
        assert!(en.contains("running container web uses it"), "{en}");
        assert!(en.contains("docker rm -f web frees it"), "{en}");
        let fr = crate::i18n::tr(crate::i18n::Lang::Fr, &held);
        assert!(
            fr.contains("le conteneur web (en cours d'exécution)"),
            "{fr}"
        );
        // Nothing is held when the count holds or when no container uses the images.
        let ok = Check::ImageCount(ImageCount {
            dangling: true,
            equals: Some(2),
            at_least: None,
            at_most: None,
        });
        assert!(matches!(ok.eval(&facts).why, Why::Msg(_)));
    }
}
