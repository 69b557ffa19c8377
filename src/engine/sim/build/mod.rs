//! `docker build`: BuildKit (Docker 28's default) and the legacy builder (`DOCKER_BUILDKIT=0`),
//! over the store. The Dockerfile front half is [`crate::build`]; this module resolves base
//! images (pulling them from the catalog), writes COPY/ADD/RUN layers, keeps the build cache,
//! exports the image and words the progress as each builder does.
//!
//! Cache: a step's key chains its parent's key with the instruction's history text and, for
//! COPY/ADD, the stat data of its sources. BuildKit keeps `regular` records (one per layer
//! step) and `source.local` records (the context and the Dockerfile transfers) in
//! `state.build_cache`; the legacy builder finds its cache in the intermediate images
//! themselves (an image whose parent is the current one and whose last history row is the
//! same instruction), as the classic builder does.
//!
//! This file holds the entry points and the types the parts share; `walk` is the walk over the
//! stages both builders take, `kit` and `legacy` each builder's wording, `cache` the cache
//! keys and records, `image` the image being made and exported, `copy` COPY `--from`.

// "BuildKit" is a product name, not code. The two builders share one walk over the stages, so
// their branches read best as written (`if !legacy`, long matches).
#![allow(
    clippy::doc_markdown,
    clippy::if_not_else,
    clippy::single_match_else,
    clippy::manual_let_else,
    clippy::needless_pass_by_value,
    clippy::unused_self,
    clippy::assigning_clones
)]

mod cache;
mod copy;
mod image;
mod kit;
mod legacy;
mod walk;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::buildkit;
use super::{Ctx, Outcome};
use crate::build::dockerfile::{self, Instruction};
use crate::build::ignore::Matcher;
use crate::docker::errors::BuildError;
use crate::docker::reference::escape_controls;
use crate::regular_file;
use cache::key_of;
use image::export;
use legacy::{legacy_dockerfile, legacy_tag_error};

/// The largest Dockerfile docklab reads. BuildKit sets no limit of its own; lines are
/// limited to 64 KiB, instructions to [`dockerfile::error::MAX_INSTRUCTIONS`], and a
/// megabyte is far past any real Dockerfile (a FIFO or `/dev/zero` would otherwise be read
/// forever).
pub(crate) const MAX_DOCKERFILE_BYTES: u64 = 1 << 20;
/// The image configs one legacy build may commit in total (one per instruction, each up to
/// [`dockerfile::error::MAX_CONFIG_BYTES`]): a thousand steps of large configs would
/// otherwise fill the store with a gigabyte of intermediate images.
pub(crate) const MAX_LEGACY_COMMITTED_BYTES: usize = 64 << 20;
/// The heredoc content (`COPY <<EOF`) one build may expand into layers: each heredoc's
/// expansion is bounded by the word limit, and this bounds their sum (a megabyte Dockerfile
/// could otherwise write a gigabyte of layers).
pub(crate) const MAX_HEREDOC_BYTES: usize = 64 << 20;
/// The largest `.dockerignore` docklab reads, for the same reasons.
pub(crate) const MAX_DOCKERIGNORE_BYTES: u64 = 1 << 20;
use crate::build::progress::{Trace, Vertex};
use crate::docker::cli::Invocation;
use crate::docker::reference::Reference;
use crate::docker::units::human_size4;
use crate::store::{CacheRecord, Digest, ImageConfig, StoreError};

/// BuildKit's history comment.
const BUILDKIT_COMMENT: &str = "buildkit.dockerfile.v0";

/// The classic builder's warning for `--build-arg`s no `ARG` declared (moby
/// `BuildArgs.WarnOnUnusedBuildArgs`; the proxy variables are always allowed), or nothing.
fn unused_build_args(df: &dockerfile::Dockerfile, given: &[(String, String)]) -> String {
    const BUILTIN: &[&str] = &[
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "FTP_PROXY",
        "ftp_proxy",
        "NO_PROXY",
        "no_proxy",
        "ALL_PROXY",
        "all_proxy",
    ];
    let declared: std::collections::BTreeSet<&str> = df
        .nodes
        .iter()
        .filter_map(|n| match &n.instruction {
            dockerfile::Instruction::Arg(a) => Some(a.args.iter().map(|d| d.key.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    let mut unused: Vec<&str> = given
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !declared.contains(k) && !BUILTIN.contains(k))
        .collect();
    unused.sort_unstable();
    unused.dedup();
    if unused.is_empty() {
        String::new()
    } else {
        format!(
            "[Warning] One or more build-args [{}] were not consumed\n",
            unused.join(" ")
        )
    }
}

/// The notice Docker 28's client prints on stderr when `DOCKER_BUILDKIT=0` selects the legacy
/// builder (recorded from the real client).
pub(super) use crate::docker::help::LEGACY_BUILDER_NOTICE as LEGACY_NOTICE;

/// Which builder runs the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Builder {
    BuildKit,
    Legacy,
}

impl Builder {
    /// `DOCKER_BUILDKIT=0` (or `false`) in docklab's environment selects the legacy builder,
    /// as with Docker 28's client; BuildKit otherwise.
    pub(super) fn from_var(value: Option<&str>) -> Builder {
        if crate::docker::api::buildkit_enabled(value) {
            Builder::BuildKit
        } else {
            Builder::Legacy
        }
    }
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Progress {
    Plain,
    Tty,
    Quiet,
}

/// A tag given with `-t`: as BuildKit names it in `naming to …`, and as stored.
struct Tag {
    shown: String,
    full: String,
    familiar: String,
}

/// An image a stage starts from (or a finished stage).
#[derive(Clone)]
struct Base {
    config: ImageConfig,
    chains: Vec<Digest>,
    id: Option<Digest>,
    /// Cache key the stage's first step chains on.
    key: String,
}

/// `docker build [OPTIONS] PATH`
pub(super) fn build(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    let builder = Builder::from_var(ctx.var("DOCKER_BUILDKIT").as_deref());
    let cwd = ctx.cwd.clone();
    let mut out = build_with(ctx, inv, builder, &cwd)?;
    // A build's output quotes the Dockerfile (step lines, excerpts, errors) and names from the
    // context: their control characters are shown escaped, never sent to the terminal
    // (newlines and tabs kept). Docker prints them raw.
    let escape = |text: &mut String| {
        if let std::borrow::Cow::Owned(escaped) =
            crate::docker::reference::escape_controls_in_lines(text)
        {
            *text = escaped;
        }
    };
    escape(&mut out.stdout);
    escape(&mut out.stderr);
    // The terminal's compact view is drawn from the trace, not from the text.
    for v in out.build.iter_mut().flat_map(|t| t.vertices.iter_mut()) {
        escape(&mut v.name);
        v.statuses.iter_mut().for_each(|s| escape(&mut s.id));
        v.error.iter_mut().for_each(escape);
    }
    Ok(out)
}

/// The build, with the builder and the directory relative paths start from given.
#[allow(
    clippy::too_many_lines,
    reason = "the build's phases in the order the builders print them"
)]
pub(super) fn build_with(
    ctx: &mut Ctx<'_>,
    inv: &Invocation,
    builder: Builder,
    cwd: &Path,
) -> Result<Outcome, StoreError> {
    let legacy = builder == Builder::Legacy;
    if legacy {
        // docker/cli's own `build` checks each `-t` while it parses its flags: before its
        // argument count and the context.
        if let Some(out) = legacy_tag_error(inv) {
            return Ok(out);
        }
    }
    let quiet = inv.flags.bool("quiet");
    // `auto`: plain text, which the ui replaces by the compact view on a terminal.
    let auto = !quiet && inv.flags.value("progress").unwrap_or("auto") == "auto";
    let progress = match (quiet, inv.flags.value("progress").unwrap_or("auto")) {
        (true, _) | (_, "quiet") => Progress::Quiet,
        (_, "tty") => Progress::Tty,
        (_, "plain" | "auto" | "rawjson") => Progress::Plain,
        (_, other) => {
            return Ok(Outcome::error(
                format!("ERROR: invalid progress mode {other:?}\n"),
                1,
            ))
        }
    };
    let Some(context_arg) = inv.args.first() else {
        return Ok(super::usage_error(inv, "requires 1 argument"));
    };
    let fail = |msg: String| -> Result<Outcome, StoreError> {
        let mut out = Outcome::error(msg, 1);
        if legacy {
            out.stderr.insert_str(0, LEGACY_NOTICE);
        }
        Ok(out)
    };
    if context_arg.contains("://") || context_arg.starts_with("git@") {
        return fail(format!(
            "docklab: cannot fetch the build context {context_arg}: the simulated engine has no network; use a local directory\n"
        ));
    }
    if context_arg == "-" {
        return fail(
            "docklab: a build context read from standard input is not simulated; use a directory\n"
                .to_owned(),
        );
    }
    let Ok(root) = ctx.path(context_arg) else {
        return fail(String::new());
    };
    if !root.is_dir() {
        return fail(
            BuildError::ContextNotFound {
                path: context_arg.to_owned(),
            }
            .line(!legacy),
        );
    }
    // Tags are checked before anything runs.
    let mut tags = Vec::new();
    for t in inv.flags.values("tag") {
        match Reference::parse(t) {
            Ok(r) if r.digest().is_none() => {
                let shown = if r.tag().is_some() {
                    r.full_string()
                } else {
                    r.name()
                };
                let r = r.with_default_tag();
                tags.push(Tag {
                    shown,
                    full: r.full_string(),
                    familiar: r.familiar_string(),
                });
            }
            Ok(_) => {
                return fail(format!(
                    "ERROR: invalid tag {t:?}: refusing to create a tag with a digest reference\n"
                ))
            }
            // The legacy client refused it above.
            Err(e) => return fail(format!("ERROR: invalid tag {t:?}: {e}\n")),
        }
    }
    let file_flag = inv.flags.value("file");
    let (df_path, df_name) = match file_flag {
        Some("-") => {
            return fail(
                "docklab: a Dockerfile read from standard input (-f -) is not simulated; write it to a file\n"
                    .to_owned(),
            )
        }
        Some(f) => {
            let Ok(p) = ctx.path(f) else {
                return fail(String::new());
            };
            let name = Path::new(f)
                .file_name()
                .map_or_else(|| f.to_owned(), |n| n.to_string_lossy().into_owned());
            (p, name)
        }
        None => {
            let Ok(p) = ctx.path_in(&root, "Dockerfile") else {
                return fail(String::new());
            };
            (p, "Dockerfile".to_owned())
        }
    };
    let df_path = if legacy {
        // The client's own lookup, over the paths already mapped (the same ones for a student;
        // inside the sandbox for `verify`).
        let mapped_file = file_flag.map(|_| df_path.to_string_lossy().into_owned());
        match legacy_dockerfile(cwd, &root.to_string_lossy(), mapped_file.as_deref()) {
            Ok(p) => p,
            Err(e) => return fail(format!("unable to prepare context: {e}\n")),
        }
    } else {
        df_path
    };
    let mut build_args = Vec::new();
    for a in inv.flags.values("build-arg") {
        match a.split_once('=') {
            Some((k, v)) => build_args.push((k.to_owned(), v.to_owned())),
            None => {
                if let Ok(v) = std::env::var(a) {
                    build_args.push((a.clone(), v));
                }
            }
        }
    }
    let Ok(ignore_path) = ctx.path_in(&root, ".dockerignore") else {
        return fail(String::new());
    };
    let ignore_text = match regular_file::read(&ignore_path, MAX_DOCKERIGNORE_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(regular_file::ReadError::Io(_)) => String::new(),
        Err(e) => {
            let shown = escape_controls(&ignore_path.to_string_lossy()).into_owned();
            return fail(if legacy {
                format!("docklab: cannot read {shown}: {e}\n")
            } else {
                format!("ERROR: failed to solve: failed to read .dockerignore: {shown}: {e}\n")
            });
        }
    };
    let ignore = Matcher::from_dockerignore(&ignore_text).unwrap_or_default();

    let mut run = Run {
        builder,
        trace: Trace::default(),
        legacy_out: String::new(),
        no_cache: inv.flags.bool("no-cache"),
        root,
        ignore,
        ignore_size: ignore_text.len() as u64,
        stages: BTreeMap::new(),
        stages_by_name: BTreeMap::new(),
        step: 0,
        steps: 0,
        records: Vec::new(),
        context_transfer: 0,
        committed_config_bytes: 0,
        heredoc_bytes: 0,
        fail_code: None,
        pending_from: None,
        stage_from: None,
        context_stage_from: None,
        file: df_name.clone(),
        source: String::new(),
        labels: inv
            .flags
            .values("label")
            .iter()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap_or((l, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect(),
    };
    let source = match regular_file::read(&df_path, MAX_DOCKERFILE_BYTES) {
        Ok(bytes) => bytes,
        Err(
            e @ (regular_file::ReadError::NotRegular { .. }
            | regular_file::ReadError::TooLarge { .. }),
        ) => {
            let shown = escape_controls(file_flag.unwrap_or("Dockerfile")).into_owned();
            return fail(if legacy {
                format!("docklab: cannot read the Dockerfile {shown}: {e}\n")
            } else {
                BuildError::DockerfileUnreadable {
                    detail: format!("{shown}: {e}"),
                }
                .line(true)
            });
        }
        Err(e) => {
            let shown = file_flag.unwrap_or("Dockerfile");
            if legacy {
                // The client found it (a directory, or unreadable).
                return fail(format!(
                    "docklab: cannot read the Dockerfile {}: {e}\n",
                    df_path.display()
                ));
            }
            run.trace.push(
                Vertex::new(
                    format!("[internal] load build definition from {df_name}"),
                    0,
                )
                .status("transferring dockerfile: 2B", 0),
            );
            let text = run.progress_text(progress);
            return Ok(Outcome::error(
                format!(
                    "{text}{}",
                    BuildError::DockerfileUnreadable {
                        detail: format!("open {shown}: no such file or directory"),
                    }
                    .line(true)
                ),
                1,
            ));
        }
    };
    let text = String::from_utf8_lossy(&source).into_owned();
    run.source.clone_from(&text);
    if legacy {
        // The legacy client sends the whole context before the daemon reads the Dockerfile.
        run.send_context();
    }
    if !legacy {
        // buildx sends the Dockerfile whole on every build (recorded with buildx 0.13 on
        // Docker 26: `transferring dockerfile: 174B` on a rebuild too), unlike the context,
        // whose unchanged files send their stat packet only.
        let size = source.len() as u64;
        run.note_source(ctx, "dockerfile", size, Some(&key_of(&[&text])));
        let sent = buildkit::transfer_size(&df_name, size);
        run.trace.push(
            Vertex::new(
                format!("[internal] load build definition from {df_name}"),
                0,
            )
            .status(
                format!("transferring dockerfile: {}", human_size4(sent as f64)),
                0,
            ),
        );
    }
    let parsed = dockerfile::parse(&df_name, &text).and_then(|df| {
        df.target_stage(&df_name, inv.flags.value("target"))?;
        Ok(df)
    });
    let df = match parsed {
        Ok(df) => df,
        Err(e) => return Ok(run.parse_failure(progress, &e, &text)),
    };
    let result = run.execute(
        ctx,
        &df,
        &df_name,
        &text,
        inv.flags.value("target"),
        &build_args,
    )?;
    let mut final_image = match result {
        Ok(image) => image,
        Err(message) => {
            ctx.touch();
            ctx.state.build_cache.append(&mut run.records);
            if legacy {
                let mut out = run.legacy_failure(&message, progress);
                if let Some(code) = run.fail_code {
                    out.exit_code = code;
                }
                return Ok(out);
            }
            return Ok(Outcome::error(
                format!("{}{message}", run.progress_text(progress)),
                1,
            ));
        }
    };
    // Export.
    let now = crate::docker::units::rfc3339_nano(ctx.now);
    if legacy {
        for (k, v) in run.labels.clone() {
            run.legacy_label_step(ctx, &mut final_image, &k, &v)?;
        }
        final_image.config.created = now;
    } else {
        // `--label`: BuildKit sets them in the config, with no history row.
        if !run.labels.is_empty() {
            let labels = final_image
                .config
                .config
                .labels
                .get_or_insert_with(BTreeMap::new);
            for (k, v) in &run.labels {
                labels.insert(k.clone(), v.clone());
            }
        }
        final_image.config.created =
            buildkit::fill_created(&mut final_image.config.history).unwrap_or(now);
    }
    let id = export(ctx, &final_image, legacy)?;
    let mut names = String::new();
    for t in &tags {
        ctx.state.refs.insert(t.full.clone(), id.clone());
        names.push_str(&format!("Successfully tagged {}\n", t.familiar));
    }
    if !tags.is_empty() {
        if let Some(r) = ctx.state.images.get_mut(&id) {
            r.last_tag_time = Some(crate::docker::units::rfc3339_nano(ctx.now));
        }
    }
    ctx.state.build_cache.append(&mut run.records);
    ctx.touch();
    let mut out = Outcome::default();
    if legacy {
        out.stderr = LEGACY_NOTICE.to_owned();
        if quiet {
            out.stdout = format!("{id}\n");
        } else {
            out.stdout = std::mem::take(&mut run.legacy_out);
            out.stdout.push_str(&unused_build_args(&df, &build_args));
            out.stdout.push_str(&format!(
                "Successfully built {}\n",
                super::truncate_id(id.as_str())
            ));
            out.stdout.push_str(&names);
        }
        return Ok(out);
    }
    run.context_vertex_placed();
    let layers_ms = if run
        .trace
        .vertices
        .iter()
        .all(|v| v.cached || !v.name.starts_with('[') || v.name.contains("] FROM "))
    {
        0
    } else {
        100
    };
    let mut export_v = Vertex::new("exporting to image", layers_ms)
        .status("exporting layers", layers_ms)
        .status(format!("writing image {id}"), 0);
    for t in &tags {
        export_v = export_v.status(format!("naming to {}", t.shown), 0);
    }
    run.trace.push(export_v);
    out.stderr = run.progress_text(progress);
    if progress == Progress::Plain && auto && !run.legacy() {
        out.build = Some(run.trace.clone());
    }
    if quiet {
        out.stdout = format!("{id}\n");
    }
    Ok(out)
}

/// One build in progress.
struct Run {
    builder: Builder,
    trace: Trace,
    /// The legacy builder's stdout so far.
    legacy_out: String,
    no_cache: bool,
    root: PathBuf,
    ignore: Matcher,
    ignore_size: u64,
    /// Finished stages by index, and stage names to indexes.
    stages: BTreeMap<usize, Base>,
    stages_by_name: BTreeMap<String, usize>,
    /// Step counter within the stage being built, and the stage's step count.
    step: usize,
    steps: usize,
    records: Vec<CacheRecord>,
    context_transfer: u64,
    /// The legacy builder commits an image per instruction: the config bytes committed so far,
    /// against [`MAX_LEGACY_COMMITTED_BYTES`].
    committed_config_bytes: usize,
    /// Bytes of COPY/ADD heredoc content after expansion, against [`MAX_HEREDOC_BYTES`].
    heredoc_bytes: usize,
    /// A failed RUN's exit code (the legacy client exits with it).
    fail_code: Option<i32>,
    /// The Dockerfile's name and text, for error excerpts.
    file: String,
    source: String,
    /// `--label K=V`, sorted by key: the legacy builder adds one LABEL step each.
    labels: Vec<(String, String)>,
    /// The vertex of the stage's FROM, until its first layer step is known: BuildKit loads a
    /// base's cached snapshot (`CACHED`) only when a step on it runs; when that step is itself
    /// a cache hit, the FROM is only resolved (`DONE 0.0s`).
    pending_from: Option<usize>,
    /// The vertex of the FROM of the stage being built (an image base), and of the stage that
    /// first needed the build context.
    stage_from: Option<usize>,
    context_stage_from: Option<usize>,
}

/// Instructions that produce a layer (and a BuildKit vertex).
fn makes_layer(ins: &Instruction) -> bool {
    matches!(
        ins,
        Instruction::Run(_) | Instruction::Copy(_) | Instruction::Add(_) | Instruction::Workdir(_)
    )
}

impl Run {
    fn legacy(&self) -> bool {
        self.builder == Builder::Legacy
    }
}
