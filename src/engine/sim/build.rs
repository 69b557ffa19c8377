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

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::buildkit;
use super::pull::pull_reference;
use super::{Ctx, Outcome};
use crate::build::context;
use crate::build::dockerfile::{
    self, buildkit_created_by, legacy_created_by, Dockerfile, ErrorKind, Instruction, Node,
    ParseError, Scope,
};
use crate::build::ignore::Matcher;
use crate::docker::reference::escape_controls;
use crate::regular_file;

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
use crate::build::layer::{self, Plan};
use crate::build::progress::{render_plain, render_tty, Trace, Vertex};
use crate::build::simulate::run_effect;
use crate::docker::cli::Invocation;
use crate::docker::reference::Reference;
use crate::docker::text::go_quote;
use crate::docker::units::human_size4;
use crate::store::{
    CacheRecord, ContainerConfig, Descriptor, Digest, EmptyObject, History, ImageConfig,
    ImageRecord, LayerRecord, Manifest, RootFs, StoreError, MEDIA_CONFIG, MEDIA_LAYER_TAR,
    MEDIA_MANIFEST,
};

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

fn key_of(parts: &[&str]) -> String {
    Digest::of(parts.join("\n").as_bytes()).hex().to_owned()
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
        return fail(if legacy {
            format!("unable to prepare context: path {context_arg:?} not found\n")
        } else {
            format!("ERROR: unable to prepare context: path {context_arg:?} not found\n")
        });
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
                format!("ERROR: failed to solve: failed to read dockerfile: {shown}: {e}\n")
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
                format!("{text}ERROR: failed to solve: failed to read dockerfile: open {shown}: no such file or directory\n"),
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
        // The file sync sends an unchanged Dockerfile's stat packet only.
        let size = source.len() as u64;
        let unchanged = run.note_source(ctx, "dockerfile", size, Some(&key_of(&[&text])));
        let sent = if unchanged {
            buildkit::unchanged_transfer_size(&df_name, size)
        } else {
            buildkit::transfer_size(&df_name, size)
        };
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
    let layers_ms = if run
        .trace
        .vertices
        .iter()
        .all(|v| v.cached || !v.name.starts_with('['))
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

/// docker/cli's legacy `build` parses `-t` with `reference.ParseNormalizedNamed` as a flag
/// value: a bad tag is a flag error (usage lines, exit 125), after the deprecation notice the
/// client printed before parsing.
fn legacy_tag_error(inv: &Invocation) -> Option<Outcome> {
    inv.flags.values("tag").iter().find_map(|t| {
        let e = Reference::parse(t).err()?;
        let message = format!(
            "invalid argument {} for \"-t, --tag\" flag: {e}",
            go_quote(t)
        );
        // docker/cli's own build command, under the path it was typed as (`image build`).
        let path = if inv.display.ends_with("build") && !inv.display.starts_with("buildx") {
            inv.display.as_str()
        } else {
            "build"
        };
        let use_line = format!("docker {path} [OPTIONS] PATH | URL | -");
        let error = crate::docker::cli::flag_error(&message, &use_line, path);
        Some(Outcome::error(
            format!("{LEGACY_NOTICE}{}", error.stderr),
            error.exit_code,
        ))
    })
}

/// docker/cli `GetContextFromLocalDir`: the Dockerfile the legacy client sends, as an absolute
/// path with symlinks resolved (Go cleans every path it joins: no `/./`). Without `-f` it is
/// `Dockerfile` in the context directory, or `dockerfile` when only that one exists; with `-f`
/// it is relative to the current directory. The error follows `unable to prepare context: `.
fn legacy_dockerfile(cwd: &Path, context_arg: &str, file: Option<&str>) -> Result<PathBuf, String> {
    let dir = context::eval_symlinks(&context::absolute(cwd, context_arg))
        .map_err(|e| format!("unable to evaluate symlinks in context path: {e}"))?;
    let path = match file {
        Some(f) => context::absolute(cwd, f),
        None => {
            let default = dir.join("Dockerfile");
            let lower = dir.join("dockerfile");
            let missing = std::fs::symlink_metadata(&default)
                .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
            if missing && std::fs::symlink_metadata(&lower).is_ok() {
                lower
            } else {
                default
            }
        }
    };
    context::eval_symlinks(&path)
        .map_err(|e| format!("unable to evaluate symlinks in Dockerfile path: {e}"))
}

/// Writes the image's config and manifest and records it; returns its ID.
fn export(ctx: &mut Ctx<'_>, image: &Base, legacy: bool) -> Result<Digest, StoreError> {
    if legacy {
        if let Some(id) = &image.id {
            return Ok(id.clone());
        }
    }
    let (id, _) = write_image(ctx, &image.config, &image.chains, None)?;
    Ok(id)
}

/// Stores an image config (+ manifest) and its record; returns (ID, created).
fn write_image(
    ctx: &mut Ctx<'_>,
    config: &ImageConfig,
    chains: &[Digest],
    parent: Option<Digest>,
) -> Result<(Digest, String), StoreError> {
    let bytes = serde_json::to_vec(config).expect("configs always serialise");
    let id = ctx.store.put_blob(&bytes)?;
    let manifest = Manifest {
        schema_version: 2,
        media_type: MEDIA_MANIFEST.to_owned(),
        config: Descriptor {
            media_type: MEDIA_CONFIG.to_owned(),
            digest: id.clone(),
            size: bytes.len() as u64,
            annotations: BTreeMap::default(),
        },
        layers: config
            .rootfs
            .diff_ids
            .iter()
            .map(|d| Descriptor {
                media_type: MEDIA_LAYER_TAR.to_owned(),
                digest: d.clone(),
                size: ctx
                    .store
                    .blob_file(d)
                    .ok()
                    .and_then(|f| f.metadata().ok())
                    .map_or(0, |m| m.len()),
                annotations: BTreeMap::default(),
            })
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec(&manifest).expect("manifests always serialise");
    let manifest_digest = ctx.store.put_blob(&manifest_bytes)?;
    ctx.state
        .images
        .entry(id.clone())
        .or_insert_with(|| ImageRecord {
            created: config.created.clone(),
            layers: chains.to_vec(),
            manifest: Some(manifest_digest),
            manifest_size: manifest_bytes.len() as u64,
            parent,
            last_tag_time: None,
            seq: 0,
        });
    ctx.touch();
    Ok((id, config.created.clone()))
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

    fn progress_text(&self, progress: Progress) -> String {
        match progress {
            Progress::Plain => render_plain(&self.trace),
            Progress::Tty => render_tty(
                &self.trace,
                std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(80),
            ),
            Progress::Quiet => String::new(),
        }
    }

    fn parse_failure(&mut self, progress: Progress, e: &ParseError, text: &str) -> Outcome {
        if self.legacy() {
            // The classic builder's own wording for a missing target (moby
            // `builder/dockerfile/builder.go`), the parser's for the rest.
            let message = match &e.kind {
                ErrorKind::TargetNotFound { target, .. } => {
                    format!("target stage {} could not be found\n", go_quote(target))
                }
                // moby `remotecontext.readAndParseDockerfile`, before any parsing.
                ErrorKind::EmptyDockerfile => {
                    format!("the Dockerfile ({}) cannot be empty\n", e.file)
                }
                kind => format!("dockerfile parse error on line {}: {kind}\n", e.line),
            };
            return self.legacy_failure(&message, progress);
        }
        Outcome::error(
            format!("{}{}", self.progress_text(progress), e.render_cli(text)),
            1,
        )
    }

    /// The legacy client's "Sending build context to Docker daemon" line: the context is sent
    /// whole before the daemon reads anything.
    fn send_context(&mut self) {
        let size = layer::legacy_context_size(&self.root, &self.ignore);
        self.legacy_out.push_str(&format!(
            "Sending build context to Docker daemon  {}\r\r\n",
            human_size4(size as f64)
        ));
    }

    /// A legacy build that failed with the daemon's `message`. Once the daemon has streamed a
    /// `Step` line, the error travels inside the JSON stream and the client prints it bare;
    /// before that the daemon answers with an HTTP error, which the client prefixes with
    /// `Error response from daemon: ` (moby `postBuild`'s `errf`: `output.Flushed()`).
    /// With `-q` the client kept the progress and the stream to itself: it prints them on
    /// stderr before the error (docker/cli `runBuild`).
    fn legacy_failure(&mut self, message: &str, progress: Progress) -> Outcome {
        let streamed = self.step > 0;
        let error = if streamed {
            message.to_owned()
        } else {
            format!("Error response from daemon: {message}")
        };
        let sent = std::mem::take(&mut self.legacy_out);
        let mut out = Outcome::error(String::new(), 1);
        if progress == Progress::Quiet {
            out.stderr = format!("{LEGACY_NOTICE}{sent}{error}");
        } else {
            out.stdout = sent;
            out.stderr = format!("{LEGACY_NOTICE}{error}");
        }
        out
    }

    /// Builds the stages the target needs; the target's image, or the error text to print.
    fn execute(
        &mut self,
        ctx: &mut Ctx<'_>,
        df: &Dockerfile,
        file: &str,
        text: &str,
        target: Option<&str>,
        build_args: &[(String, String)],
    ) -> Result<Result<Base, String>, StoreError> {
        let stages = df.stages();
        let target_stage = df
            .target_stage(file, target)
            .expect("checked before the build");
        let target_index = target_stage.index;
        let global = Scope::global(df, build_args);
        if self.legacy() {
            // The classic builder counts the global ARGs and every instruction of the stages up
            // to the target, and prints each global ARG as a step before evaluating it (moby
            // `dispatchDockerfileWithCancellation`).
            let meta: Vec<&Node> = df
                .meta_args()
                .iter()
                .filter(|n| matches!(n.instruction, Instruction::Arg(_)))
                .collect();
            self.steps = meta.len()
                + stages[..=target_index]
                    .iter()
                    .map(|s| 1 + s.instructions.len())
                    .sum::<usize>()
                + self.labels.len();
            let failed_line = global.as_ref().err().map(|e| e.line);
            for node in meta {
                if failed_line.is_some_and(|l| node.span.start_line > l) {
                    break;
                }
                self.step += 1;
                self.legacy_out.push_str(&format!(
                    "Step {}/{} : {}\n",
                    self.step, self.steps, node.original
                ));
            }
        }
        let global = match global {
            Ok(s) => s,
            Err(e) => return Ok(Err(e.render_cli(text))),
        };
        // Stages the target needs, through FROM <stage> and COPY --from=<stage>.
        let mut needed = vec![false; stages.len()];
        let mut todo = vec![target_index];
        while let Some(i) = todo.pop() {
            if needed[i] {
                continue;
            }
            needed[i] = true;
            let stage = &stages[i];
            if let Ok(from) = global.expand_from(stage.node, stage.from) {
                if let Some(s) = df.stage_by_ref(&from.image, i) {
                    todo.push(s.index);
                }
            }
            for node in stage.instructions {
                if let Instruction::Copy(c) = &node.instruction {
                    if let Some(s) = c.from.as_deref().and_then(|f| df.stage_by_ref(f, i)) {
                        todo.push(s.index);
                    }
                }
            }
        }
        let multi = needed.iter().filter(|n| **n).count() > 1;
        if !self.legacy() {
            // BuildKit resolves every base image first, then reads .dockerignore.
            for (i, stage) in stages.iter().enumerate() {
                if !needed[i] {
                    continue;
                }
                let Ok(from) = global.expand_from(stage.node, stage.from) else {
                    continue;
                };
                if from.image == "scratch" || df.stage_by_ref(&from.image, i).is_some() {
                    continue;
                }
                if let Ok(r) = Reference::parse(&from.image) {
                    let name = r.with_default_tag().full_string();
                    if !self
                        .trace
                        .vertices
                        .iter()
                        .any(|v| v.name.ends_with(&format!("load metadata for {name}")))
                    {
                        self.trace.push(Vertex::new(
                            format!("[internal] load metadata for {name}"),
                            if ctx.state.refs.contains_key(&name) {
                                0
                            } else {
                                600
                            },
                        ));
                    }
                }
            }
            self.note_source(ctx, "dockerignore", self.ignore_size, None);
            self.trace
                .push(Vertex::new("[internal] load .dockerignore", 0).status(
                    format!(
                        "transferring context: {}",
                        human_size4(self.ignore_size.max(2) as f64)
                    ),
                    0,
                ));
        }
        let mut result = None;
        for (i, stage) in stages.iter().enumerate() {
            if !needed[i] && !self.legacy() {
                continue;
            }
            let name = stage
                .name
                .map_or_else(|| format!("stage-{i}"), str::to_owned);
            let prefix = if multi {
                format!("{name} ")
            } else {
                String::new()
            };
            match self.build_stage(ctx, df, stage, &global, &prefix, text)? {
                Ok(image) => {
                    self.stages.insert(i, image.clone());
                    if let Some(n) = &stage.name {
                        self.stages_by_name.insert((*n).to_owned(), i);
                    }
                    if i == target_index {
                        result = Some(image);
                        break;
                    }
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        Ok(Ok(result.expect("the target stage is built")))
    }

    /// Resolves a stage's base: another stage, `scratch`, or an image (pulled when missing).
    #[allow(clippy::too_many_lines)]
    fn build_stage(
        &mut self,
        ctx: &mut Ctx<'_>,
        df: &Dockerfile,
        stage: &dockerfile::Stage<'_>,
        global: &Scope,
        prefix: &str,
        text: &str,
    ) -> Result<Result<Base, String>, StoreError> {
        let from = match global.expand_from(stage.node, stage.from) {
            Ok(f) => f,
            Err(e) => return Ok(Err(e.render_cli(text))),
        };
        let legacy = self.legacy();
        if !legacy {
            self.step = 1;
            self.steps = 1 + stage
                .instructions
                .iter()
                .filter(|n| makes_layer(&n.instruction))
                .count();
        } else {
            self.step += 1;
            self.legacy_out.push_str(&format!(
                "Step {}/{} : {}\n",
                self.step, self.steps, stage.node.original
            ));
        }
        let mut base = if from.image == "scratch" {
            if !legacy {
                self.trace.push(Vertex::new(
                    format!("[{prefix}{}/{}] FROM scratch", self.step, self.steps),
                    0,
                ));
            } else {
                self.legacy_out.push_str(" ---> \n");
            }
            Base {
                config: empty_config(),
                chains: Vec::new(),
                id: None,
                key: key_of(&["scratch"]),
            }
        } else if let Some(s) = df.stage_by_ref(&from.image, stage.index) {
            let built = self.stages.get(&s.index).cloned();
            let Some(built) = built else {
                return Ok(Err(format!(
                    "ERROR: failed to solve: stage {} was not built\n",
                    from.image
                )));
            };
            if !legacy {
                let mut v = Vertex::new(
                    format!("[{prefix}{}/{}] FROM {}", self.step, self.steps, from.image),
                    0,
                );
                v.cached = true;
                self.trace.push(v);
            } else if let Some(id) = &built.id {
                self.legacy_out
                    .push_str(&format!(" ---> {}\n", super::truncate_id(id.as_str())));
            }
            built
        } else {
            match self.resolve_image(ctx, &from.image, stage.node, prefix, text)? {
                Ok(b) => b,
                Err(e) => return Ok(Err(e)),
            }
        };
        let env: Vec<(String, String)> = base
            .config
            .config
            .env
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let mut scope = global.stage(&env, base.config.config.working_dir.as_deref());
        let mut cmd_set = false;
        let uses_context = stage.instructions.iter().any(|n| match &n.instruction {
            Instruction::Copy(c) => c.from.is_none() && !c.sources.is_empty(),
            Instruction::Add(a) => !a.sources.is_empty(),
            _ => false,
        });
        if uses_context && !legacy {
            // BuildKit transfers the context while the first steps run.
            self.note_context(ctx);
        }
        for node in stage.instructions {
            let before = scope.clone();
            let ins = match scope.apply(node) {
                Ok(i) => i,
                Err(e) => return Ok(Err(e.render_cli(text))),
            };
            let created_by = if legacy {
                legacy_created_by(&ins, &node.instruction, &before, None)
            } else {
                buildkit_created_by(&ins, &before)
            };
            let created = crate::docker::units::rfc3339_nano(ctx.now);
            apply_config(&mut base.config.config, &ins, &scope, &mut cmd_set);
            let size = config_bytes(&base.config, &scope);
            if legacy {
                self.committed_config_bytes = self.committed_config_bytes.saturating_add(size);
            }
            let inline = match &ins {
                Instruction::Copy(c) => c.inline.as_slice(),
                Instruction::Add(a) => a.inline.as_slice(),
                _ => &[],
            };
            self.heredoc_bytes = inline
                .iter()
                .fold(self.heredoc_bytes, |n, s| n.saturating_add(s.content.len()));
            let too_large = if size > dockerfile::error::MAX_CONFIG_BYTES {
                Some(dockerfile::error::ErrorKind::ConfigTooLarge)
            } else if self.heredoc_bytes > MAX_HEREDOC_BYTES {
                Some(dockerfile::error::ErrorKind::HeredocsTooLarge(
                    MAX_HEREDOC_BYTES,
                ))
            } else if self.committed_config_bytes > MAX_LEGACY_COMMITTED_BYTES {
                Some(dockerfile::error::ErrorKind::IntermediateImagesTooLarge(
                    MAX_LEGACY_COMMITTED_BYTES,
                ))
            } else {
                None
            };
            if let Some(kind) = too_large {
                let e = dockerfile::ParseError::new(
                    kind,
                    node.span.start_line,
                    node.span.end_line,
                    node.span.column,
                );
                return Ok(Err(e.render_cli(text)));
            }
            if legacy {
                self.step += 1;
                self.legacy_out.push_str(&format!(
                    "Step {}/{} : {}\n",
                    self.step, self.steps, node.original
                ));
            }
            if makes_layer(&ins) {
                match self.layer_step(
                    ctx, &mut base, node, &ins, &before, created_by, created, prefix,
                )? {
                    Ok(()) => {}
                    Err(e) => return Ok(Err(e)),
                }
            } else {
                let Some(created_by) = created_by else {
                    if legacy && matches!(ins, Instruction::Onbuild(_)) {
                        continue;
                    }
                    continue;
                };
                base.key = key_of(&[&base.key, &created_by]);
                base.config.history.push(History {
                    // BuildKit's exporter gives metadata rows a layer's time
                    // (`buildkit::fill_created`).
                    created: legacy.then_some(created),
                    created_by: Some(created_by),
                    comment: (!legacy).then(|| BUILDKIT_COMMENT.to_owned()),
                    empty_layer: true,
                });
                if legacy {
                    self.legacy_commit(ctx, &mut base, false)?;
                }
            }
        }
        Ok(Ok(base))
    }

    /// FROM an image: found locally, or pulled from the catalog as BuildKit would.
    fn resolve_image(
        &mut self,
        ctx: &mut Ctx<'_>,
        image: &str,
        node: &Node,
        prefix: &str,
        text: &str,
    ) -> Result<Result<Base, String>, StoreError> {
        let legacy = self.legacy();
        let reference = match Reference::parse(image) {
            Ok(r) => r.with_default_tag(),
            Err(e) => {
                let msg = if legacy {
                    format!("{e}\n")
                } else {
                    format!(
                        "{}ERROR: failed to solve: failed to parse stage name {image:?}: {e}\n",
                        dockerfile::error::source_excerpt(
                            "Dockerfile",
                            text,
                            node.span.start_line,
                            node.span.end_line
                        )
                    )
                };
                return Ok(Err(msg));
            }
        };
        let full = reference.full_string();
        let mut pulled_now = false;
        let mut downloads: Vec<(String, u64)> = Vec::new();
        let local = ctx.state.refs.get(&full).cloned();
        let in_cache = if local.is_none() && !legacy {
            buildkit::cached_base(&ctx.state, &full).filter(|(id, _, _)| ctx.config(id).is_ok())
        } else {
            None
        };
        let (id, manifest, chains) = if let Some(id) = local {
            let record = &ctx.state.images[&id];
            (id.clone(), record.manifest.clone(), record.layers.clone())
        } else if let Some((id, manifest, top)) = in_cache {
            let chains = buildkit::chain_of(&ctx.state, &top);
            (id, manifest, chains)
        } else {
            let refs_before = ctx.state.refs.clone();
            let images_before: std::collections::BTreeSet<Digest> =
                ctx.state.images.keys().cloned().collect();
            match pull_reference(ctx, &reference)? {
                Ok(p) => {
                    pulled_now = true;
                    let record = ctx.state.images[&p.id].clone();
                    if legacy {
                        self.legacy_out.push_str(&p.text);
                    } else {
                        // BuildKit pulls into its own cache: the image store gets no tag and
                        // no image, `docker images` does not list the base.
                        ctx.state.refs = refs_before;
                        if !images_before.contains(&p.id) {
                            ctx.state.images.remove(&p.id);
                        }
                        let config_size = ctx
                            .store
                            .blob_file(&p.id)
                            .ok()
                            .and_then(|f| f.metadata().ok())
                            .map_or(0, |m| m.len());
                        let fetched: Vec<(Digest, u64)> = record
                            .layers
                            .iter()
                            .zip(&p.event.layers)
                            .filter(|(_, (_, _, exists))| !exists)
                            .filter_map(|(chain, (_, size, _))| {
                                Some((ctx.state.layers.get(chain)?.diff_id.clone(), *size))
                            })
                            .collect();
                        downloads = buildkit::download_statuses(
                            record.manifest.as_ref().map(|m| (m, record.manifest_size)),
                            (&p.id, config_size),
                            &fetched,
                        );
                    }
                    (p.id, record.manifest, record.layers)
                }
                Err(message) => {
                    if legacy {
                        return Ok(Err(format!("{message}\n")));
                    }
                    let bk = buildkit_pull_error(&reference);
                    if let Some(v) = self
                        .trace
                        .vertices
                        .iter_mut()
                        .find(|v| v.name == format!("[internal] load metadata for {full}"))
                    {
                        v.error = Some(bk.clone());
                    }
                    let excerpt = dockerfile::error::source_excerpt(
                        "Dockerfile",
                        text,
                        node.span.start_line,
                        node.span.end_line,
                    );
                    // The vertex is not complete; the rest of the trace is cut here.
                    let cut = self
                        .trace
                        .vertices
                        .iter()
                        .position(|v| v.error.is_some())
                        .map_or(self.trace.vertices.len(), |p| p + 1);
                    self.trace.vertices.truncate(cut);
                    return Ok(Err(format!(
                        "------\n > [internal] load metadata for {full}:\n------\n{excerpt}ERROR: failed to solve: {image}: failed to resolve source metadata for {full}: {bk}\n"
                    )));
                }
            }
        };
        let config: ImageConfig = ctx.config(&id)?;
        if legacy {
            self.legacy_out
                .push_str(&format!(" ---> {}\n", super::truncate_id(id.as_str())));
        } else {
            let shown = match &manifest {
                Some(m) => format!("{full}@{m}"),
                None => full.clone(),
            };
            let mut v = Vertex::new(
                format!("[{prefix}{}/{}] FROM {shown}", self.step, self.steps),
                downloads.iter().map(|(_, ms)| ms).sum(),
            );
            if pulled_now {
                v = v.status(format!("resolve {shown}"), 0);
            }
            for (line, millis) in downloads {
                v = v.status(line, millis);
            }
            // The base's snapshot is cached once a build has used it.
            let from_key = buildkit::base_key(&full, &id, manifest.as_ref());
            v.cached = !pulled_now && self.records_have(ctx, &from_key);
            if !self.records_have(ctx, &from_key) {
                let rid = cache_id(ctx);
                self.records.push(CacheRecord {
                    id: rid,
                    key: from_key,
                    kind: "regular".to_owned(),
                    description: format!("pulled from {shown}"),
                    size: 0,
                    created: crate::docker::units::rfc3339_nano(ctx.now),
                    last_used: crate::docker::units::rfc3339_nano(ctx.now),
                    usage_count: 1,
                    layer: chains.last().cloned(),
                    shared: true,
                    in_use: false,
                });
            }
            self.trace.push(v);
        }
        Ok(Ok(Base {
            config,
            chains,
            id: Some(id.clone()),
            key: key_of(&["image", id.as_str()]),
        }))
    }

    fn records_have(&self, ctx: &Ctx<'_>, key: &str) -> bool {
        ctx.state.build_cache.iter().any(|r| r.key == key)
            || self.records.iter().any(|r| r.key == key)
    }

    /// RUN, COPY, ADD and WORKDIR: a layer, from the cache or made now.
    #[allow(clippy::too_many_arguments)]
    fn layer_step(
        &mut self,
        ctx: &mut Ctx<'_>,
        base: &mut Base,
        node: &Node,
        ins: &Instruction,
        before: &Scope,
        created_by: Option<String>,
        created: String,
        prefix: &str,
    ) -> Result<Result<(), String>, StoreError> {
        let legacy = self.legacy();
        let mut plan = Plan::default();
        let mut shown_size = None;
        let mut millis = 50;
        let mut needs_context = false;
        // What the RUN prints and its exit code, when its commands are simple enough.
        let mut emulated: Option<(String, crate::build::shell::Emulated)> = None;
        match ins {
            Instruction::Run(r) => {
                let command = match &r.command {
                    dockerfile::CommandLine::Shell(s) => s.clone(),
                    dockerfile::CommandLine::Exec(v) => v.join(" "),
                };
                let default_shell = base
                    .config
                    .config
                    .shell
                    .as_ref()
                    .is_none_or(|sh| sh.len() == 2 && sh[0] == "/bin/sh" && sh[1] == "-c");
                if let (dockerfile::CommandLine::Shell(s), true) = (&r.command, default_shell) {
                    let lists = buildkit::apt_lists_kept(&base.config);
                    emulated = crate::build::shell::emulate(s, lists)
                        .map(|e| (format!("/bin/sh -c {s}"), e));
                }
                let effect = run_effect(&command);
                millis = effect.millis;
                shown_size = Some(effect.size);
                let by = created_by.clone().unwrap_or_default();
                // The time of the run is part of the layer, as the files a real RUN writes carry
                // it: a RUN executed again (`--no-cache`) makes a new layer, a cached one does not.
                let describe = format!(
                    "docklab simulated RUN (nothing was executed)\ncommand: {by}\nrun at: {created}\nsimulated size: {} bytes\n",
                    effect.size
                );
                let name = format!(".docklab/run-{}", &key_of(&[&base.key, &by])[..12]);
                plan = layer::plan_bytes(&name, describe.into_bytes(), 0o644);
            }
            Instruction::Workdir(_) => {
                let dir = before_workdir(before, ins);
                if dir != "/" {
                    plan = layer::plan_bytes(
                        &format!("{}/.", dir.trim_end_matches('/')),
                        Vec::new(),
                        0o755,
                    );
                    plan.entries.pop();
                    let mut acc = String::new();
                    plan.entries.clear();
                    // The classic builder creates the directory in a container, now: its mtime
                    // makes each executed WORKDIR a new layer (a cached one is reused).
                    let mtime = if legacy {
                        created
                            .parse::<jiff::Timestamp>()
                            .map_or(0, |t| u64::try_from(t.as_second()).unwrap_or(0))
                    } else {
                        0
                    };
                    for c in dir.split('/').filter(|c| !c.is_empty()) {
                        if !acc.is_empty() {
                            acc.push('/');
                        }
                        acc.push_str(c);
                        plan.entries.push(layer::Entry {
                            path: acc.clone(),
                            source: layer::Source::Dir,
                            mode: 0o755,
                            mtime,
                            size: 0,
                        });
                    }
                }
                shown_size = Some(0);
                millis = 20;
            }
            Instruction::Copy(c) if c.from.is_some() => {
                let from = c.from.clone().unwrap_or_default();
                match self.plan_copy_from(ctx, &from, &c.sources, &c.dest, before.workdir())? {
                    Ok(p) => plan = p,
                    Err(e) => return Ok(Err(e)),
                }
            }
            Instruction::Copy(_) | Instruction::Add(_) => {
                let (sources, inline, dest, chmod) = match ins {
                    Instruction::Copy(c) => (&c.sources, &c.inline, &c.dest, &c.chmod),
                    Instruction::Add(a) => (&a.sources, &a.inline, &a.dest, &a.chmod),
                    _ => unreachable!("matched above"),
                };
                if let Some(url) = sources.iter().find(|s| {
                    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@")
                }) {
                    return Ok(Err(format!(
                        "ERROR: failed to solve: docklab cannot download {url}: the simulated engine has no network; download it yourself and ADD the local file\n"
                    )));
                }
                let chmod = chmod
                    .as_deref()
                    .and_then(|m| u32::from_str_radix(m, 8).ok());
                needs_context = !sources.is_empty();
                if !sources.is_empty() {
                    match layer::plan_copy(
                        &self.root,
                        sources,
                        dest,
                        before.workdir(),
                        &self.ignore,
                        chmod,
                    ) {
                        Ok(p) => plan = p,
                        Err(layer::CopyError::Context(e)) => {
                            if legacy {
                                return Ok(Err(format!(
                                    "COPY failed: file not found in build context or excluded by .dockerignore: stat {}: file does not exist\n",
                                    legacy_copy_shown(sources, &e)
                                )));
                            }
                            return Ok(Err(e.render_cli(&context_ref(ctx))));
                        }
                        Err(e) => return Ok(Err(format!("ERROR: failed to solve: {e}\n"))),
                    }
                }
                for s in inline {
                    let dest_dir = if dest.ends_with('/') {
                        dest.clone()
                    } else {
                        format!("{dest}/")
                    };
                    let target = if inline.len() == 1 && sources.is_empty() && !dest.ends_with('/')
                    {
                        dest.clone()
                    } else {
                        format!("{dest_dir}{}", s.name)
                    };
                    let abs = if target.starts_with('/') {
                        target
                    } else {
                        format!("{}/{target}", before.workdir().trim_end_matches('/'))
                    };
                    let p = layer::plan_bytes(
                        &abs,
                        s.content.clone().into_bytes(),
                        chmod.unwrap_or(0o644),
                    );
                    plan.shown_size += p.shown_size;
                    plan.sources_key.push_str(&s.content);
                    plan.entries.extend(p.entries);
                    plan.entries.sort_by(|a, b| a.path.cmp(&b.path));
                    plan.entries.dedup_by(|a, b| a.path == b.path);
                }
                millis = 40 + plan.shown_size / 400_000;
            }
            _ => {}
        }
        let shown_size = shown_size.unwrap_or(plan.shown_size);
        if needs_context && !legacy {
            self.context_transfer += plan.transfer_size;
            self.note_context(ctx);
            self.note_context_bytes(plan.shown_size);
        }
        let by = created_by.clone().unwrap_or_default();
        let step_key = key_of(&[&base.key, &by, &plan.sources_key]);
        let label = format!(
            "[{prefix}{}/{}] {}",
            {
                if !legacy {
                    self.step += 1;
                }
                self.step
            },
            self.steps,
            node.original
        );
        let legacy_copy_source =
            if legacy && matches!(ins, Instruction::Copy(_) | Instruction::Add(_)) {
                let kind = if plan
                    .entries
                    .iter()
                    .filter(|e| {
                        matches!(
                            e.source,
                            layer::Source::File(_)
                                | layer::Source::Bytes(_)
                                | layer::Source::Special(_)
                        )
                    })
                    .count()
                    == 1
                {
                    "file"
                } else {
                    "dir"
                };
                Some(format!("{kind}:{}", key_of(&[&plan.sources_key])))
            } else {
                None
            };
        let history_by = if legacy {
            legacy_created_by(
                ins,
                &node.instruction,
                before,
                legacy_copy_source.as_deref(),
            )
            .unwrap_or(by.clone())
        } else {
            by.clone()
        };
        let cached = if self.no_cache {
            None
        } else if legacy {
            Self::legacy_cached(ctx, base, &history_by, true)?.map(CachedStep::Image)
        } else {
            ctx.state
                .build_cache
                .iter()
                .find(|r| {
                    r.key == step_key
                        && r.layer
                            .as_ref()
                            .is_some_and(|l| ctx.state.layers.contains_key(l))
                })
                .and_then(|r| Some(CachedStep::Layer(r.layer.clone()?, r.created.clone())))
        };
        match cached {
            Some(CachedStep::Image(id)) => {
                self.legacy_out.push_str(&format!(
                    " ---> Using cache\n ---> {}\n",
                    super::truncate_id(id.as_str())
                ));
                let record = ctx.state.images[&id].clone();
                base.config = ctx.config(&id)?;
                base.chains = record.layers;
                base.id = Some(id);
                base.key = step_key;
                let _ = history_by;
                return Ok(Ok(()));
            }
            Some(CachedStep::Layer(chain, made)) => {
                // The layer keeps the time it was made (BuildKit's `createdAt`).
                let diff = ctx.state.layers[&chain].diff_id.clone();
                self.push_layer_history(base, chain, diff, history_by, made, legacy);
                let mut v = Vertex::new(label, 0);
                v.cached = true;
                self.trace.push(v);
                let now = crate::docker::units::rfc3339_nano(ctx.now);
                if let Some(r) = ctx.state.build_cache.iter_mut().find(|r| r.key == step_key) {
                    r.usage_count += 1;
                    r.last_used = now;
                }
                base.key = step_key;
                return Ok(Ok(()));
            }
            None => {}
        }
        let output = emulated
            .as_ref()
            .map(|(_, e)| e.lines.clone())
            .unwrap_or_default();
        if let Some((shell_line, e)) = emulated.as_ref().filter(|(_, e)| e.exit != 0) {
            self.fail_code = Some(e.exit);
            if legacy {
                let cid = ctx.new_id("container");
                self.legacy_out
                    .push_str(&format!(" ---> Running in {}\n", &cid[..12]));
                for (_, line) in &output {
                    self.legacy_out.push_str(line);
                    self.legacy_out.push('\n');
                }
                return Ok(Err(format!(
                    "The command '{shell_line}' returned a non-zero code: {}\n",
                    e.exit
                )));
            }
            let error = buildkit::run_error(shell_line, e.exit);
            let mut v = Vertex::new(label.clone(), millis);
            v.logs = output.clone();
            v.error = Some(error.clone());
            self.trace.push(v);
            return Ok(Err(buildkit::run_failure_text(
                &label,
                &output,
                &error,
                &self.file,
                &self.source,
                (node.span.start_line, node.span.end_line),
            )));
        }
        let parent = base.chains.last().cloned();
        if legacy {
            // The classic builder commits a container's changes: the directories it made or
            // wrote into carry the time of the build, so a layer made again without the cache
            // is a new layer, as on Docker.
            let now = u64::try_from(ctx.now.as_second()).unwrap_or(0);
            for entry in &mut plan.entries {
                if matches!(entry.source, layer::Source::Dir) {
                    entry.mtime = now;
                }
            }
        }
        let (diff, chain) = put_layer(ctx, &plan, parent.as_ref(), shown_size)?;
        self.push_layer_history(
            base,
            chain.clone(),
            diff,
            history_by,
            created.clone(),
            legacy,
        );
        if legacy {
            // The classic builder runs RUN, and creates WORKDIR's directory, in a container.
            if matches!(ins, Instruction::Run(_) | Instruction::Workdir(_)) {
                let cid = ctx.new_id("container");
                self.legacy_out
                    .push_str(&format!(" ---> Running in {}\n", &cid[..12]));
                for (_, line) in &output {
                    self.legacy_out.push_str(line);
                    self.legacy_out.push('\n');
                }
                self.legacy_out
                    .push_str(&format!("Removing intermediate container {}\n", &cid[..12]));
            }
            base.key = step_key;
            self.legacy_commit(ctx, base, true)?;
            return Ok(Ok(()));
        }
        let mut v = Vertex::new(label, millis);
        v.logs = output;
        self.trace.push(v);
        let rid = cache_id(ctx);
        self.records.push(CacheRecord {
            id: rid,
            key: step_key.clone(),
            kind: "regular".to_owned(),
            description: by,
            size: shown_size,
            created: created.clone(),
            last_used: created,
            usage_count: 1,
            layer: Some(chain),
            shared: true,
            in_use: false,
        });
        base.key = step_key;
        Ok(Ok(()))
    }

    fn push_layer_history(
        &self,
        base: &mut Base,
        chain: Digest,
        diff: Digest,
        created_by: String,
        created: String,
        legacy: bool,
    ) {
        base.chains.push(chain);
        base.config.rootfs.diff_ids.push(diff);
        base.config.history.push(History {
            created: Some(created),
            created_by: Some(created_by),
            comment: (!legacy).then(|| BUILDKIT_COMMENT.to_owned()),
            empty_layer: false,
        });
    }

    /// The build context's `source.local` record, counted once per build.
    fn note_context(&mut self, ctx: &mut Ctx<'_>) {
        if self
            .trace
            .vertices
            .iter()
            .any(|v| v.name == "[internal] load build context")
        {
            if let Some(v) = self
                .trace
                .vertices
                .iter_mut()
                .find(|v| v.name == "[internal] load build context")
            {
                v.statuses[0].id = format!(
                    "transferring context: {}",
                    human_size4(self.context_transfer as f64)
                );
            }
            return;
        }
        self.trace
            .push(Vertex::new("[internal] load build context", 0).status(
                format!(
                    "transferring context: {}",
                    human_size4(self.context_transfer as f64)
                ),
                0,
            ));
        self.note_source(ctx, "context", 0, None);
    }

    /// A `source.local` record: BuildKit keeps one per context directory for the Dockerfile,
    /// the .dockerignore and the context transfers, reused by later builds from there. Its size
    /// is what the first transfer synced (the files' bytes); a reuse does not change it.
    /// `content`: a fingerprint of what is sent, kept in the key after the record's own part;
    /// true when a previous build sent the same.
    fn note_source(
        &mut self,
        ctx: &mut Ctx<'_>,
        what: &str,
        size: u64,
        content: Option<&str>,
    ) -> bool {
        let own = key_of(&[what, &self.root.to_string_lossy()]);
        let key = match content {
            Some(c) => format!("{own} {c}"),
            None => own.clone(),
        };
        let now = crate::docker::units::rfc3339_nano(ctx.now);
        let mine = |r: &CacheRecord| r.key.split(' ').next() == Some(own.as_str());
        if let Some(r) = ctx.state.build_cache.iter_mut().find(|r| mine(r)) {
            let unchanged = r.key == key;
            r.usage_count += 1;
            r.last_used = now;
            r.key = key;
            return unchanged;
        }
        if self.records.iter().any(mine) {
            return false;
        }
        let rid = cache_id(ctx);
        self.records.push(CacheRecord {
            id: rid,
            key,
            kind: "source.local".to_owned(),
            description: format!("local source for {what}"),
            size,
            created: now.clone(),
            last_used: now,
            usage_count: 1,
            layer: None,
            shared: false,
            in_use: false,
        });
        false
    }

    /// The bytes a COPY/ADD synced from the context: the context record of this build grows.
    fn note_context_bytes(&mut self, bytes: u64) {
        let key = key_of(&["context", &self.root.to_string_lossy()]);
        if let Some(r) = self.records.iter_mut().find(|r| r.key == key) {
            r.size += bytes;
        }
    }

    /// One `--label K=V` of the legacy builder: moby adds a `LABEL K=V` step per label, sorted
    /// by key, after the target stage's instructions (`buildLabelOptions`).
    fn legacy_label_step(
        &mut self,
        ctx: &mut Ctx<'_>,
        base: &mut Base,
        key: &str,
        value: &str,
    ) -> Result<(), StoreError> {
        self.step += 1;
        self.legacy_out.push_str(&format!(
            "Step {}/{} : LABEL {key}={value}\n",
            self.step, self.steps
        ));
        base.config
            .config
            .labels
            .get_or_insert_with(BTreeMap::new)
            .insert(key.to_owned(), value.to_owned());
        base.config.history.push(History {
            created: Some(crate::docker::units::rfc3339_nano(ctx.now)),
            created_by: Some(format!("/bin/sh -c #(nop)  LABEL {key}={value}")),
            comment: None,
            empty_layer: true,
        });
        self.legacy_commit(ctx, base, false)
    }

    /// The legacy builder's cache: a child image of the current one whose last history row is
    /// the same step (and that added a layer when this step does).
    fn legacy_cached(
        ctx: &Ctx<'_>,
        base: &Base,
        created_by: &str,
        adds_layer: bool,
    ) -> Result<Option<Digest>, StoreError> {
        let Some(parent) = &base.id else {
            return Ok(None);
        };
        for child in ctx.state.children_of(parent) {
            let cfg = ctx.config(child)?;
            if cfg.history.last().and_then(|h| h.created_by.as_deref()) == Some(created_by)
                && cfg.rootfs.diff_ids.len()
                    == base.config.rootfs.diff_ids.len() + usize::from(adds_layer)
                && cfg.rootfs.diff_ids[..base.config.rootfs.diff_ids.len()]
                    == base.config.rootfs.diff_ids[..]
            {
                return Ok(Some(child.clone()));
            }
        }
        Ok(None)
    }

    /// Commits the legacy builder's intermediate image for the step just applied.
    fn legacy_commit(
        &mut self,
        ctx: &mut Ctx<'_>,
        base: &mut Base,
        has_layer: bool,
    ) -> Result<(), StoreError> {
        let parent = base.id.clone();
        let last = base.config.history.last().cloned();
        // Cache: an image whose parent is ours and whose last step is the same.
        if !self.no_cache && !has_layer {
            let by = last.and_then(|h| h.created_by).unwrap_or_default();
            let mut trimmed = base.clone();
            trimmed.config.history.pop();
            if let Some(child) = Self::legacy_cached(ctx, &trimmed, &by, false)? {
                self.legacy_out.push_str(&format!(
                    " ---> Using cache\n ---> {}\n",
                    super::truncate_id(child.as_str())
                ));
                base.config = ctx.config(&child)?;
                base.chains = ctx.state.images[&child].layers.clone();
                base.id = Some(child);
                return Ok(());
            }
        }
        if !has_layer {
            let cid = ctx.new_id("container");
            self.legacy_out.push_str(&format!(
                " ---> Running in {}\nRemoving intermediate container {}\n",
                &cid[..12],
                &cid[..12]
            ));
        }
        base.config.parent = parent.clone();
        base.config.created = crate::docker::units::rfc3339_nano(ctx.now);
        let (id, _) = write_image(ctx, &base.config, &base.chains, parent)?;
        self.legacy_out
            .push_str(&format!(" ---> {}\n", super::truncate_id(id.as_str())));
        base.id = Some(id);
        Ok(())
    }

    /// COPY --from=stage|image: files read back from that image's layers.
    fn plan_copy_from(
        &mut self,
        ctx: &mut Ctx<'_>,
        from: &str,
        sources: &[String],
        dest: &str,
        workdir: &str,
    ) -> Result<Result<Plan, String>, StoreError> {
        let base = if let Ok(n) = from.parse::<usize>() {
            self.stages.get(&n).cloned()
        } else {
            None
        };
        let base = match base {
            Some(b) => b,
            None => {
                // A named stage: stages are stored by index, names are looked up by the caller's
                // dockerfile; fall back to an image reference.
                let found = self
                    .stages_by_name
                    .get(from)
                    .and_then(|i| self.stages.get(i))
                    .cloned();
                match found {
                    Some(b) => b,
                    None => {
                        let Ok(r) = Reference::parse(from) else {
                            return Ok(Err(format!(
                                "ERROR: failed to solve: invalid from flag value {from}\n"
                            )));
                        };
                        let full = r.with_default_tag();
                        let id = match ctx.state.refs.get(&full.full_string()).cloned() {
                            Some(id) => id,
                            None => match pull_reference(ctx, &full)? {
                                Ok(p) => p.id,
                                Err(m) => return Ok(Err(format!("ERROR: failed to solve: {m}\n"))),
                            },
                        };
                        Base {
                            config: ctx.config(&id)?,
                            chains: ctx.state.images[&id].layers.clone(),
                            id: Some(id),
                            key: String::new(),
                        }
                    }
                }
            }
        };
        Ok(copy_from_layers(ctx, &base, sources, dest, workdir))
    }
}

enum CachedStep {
    /// BuildKit: a cache record's layer and when it was made.
    Layer(Digest, String),
    /// Legacy builder: an intermediate image.
    Image(Digest),
}

/// The source the classic builder names when COPY/ADD finds nothing: the one that is missing,
/// as written but for one leading `/` and then one leading `./` (moby
/// `builder/dockerfile/copy.go`, `calcCopyInfo`; nothing else is cleaned).
fn legacy_copy_shown<'a>(sources: &'a [String], e: &context::ContextError) -> &'a str {
    let key = match e {
        context::ContextError::NotFound { key } | context::ContextError::SymlinkLoop { key } => key,
    };
    let source = sources
        .iter()
        .find(|s| context::source_key(s) == *key)
        .or(sources.first())
        .map_or("", String::as_str);
    let source = source.strip_prefix('/').unwrap_or(source);
    source.strip_prefix("./").unwrap_or(source)
}

fn before_workdir(before: &Scope, ins: &Instruction) -> String {
    match ins {
        Instruction::Workdir(w) => dockerfile::resolve_workdir(before.workdir(), &w.path),
        _ => before.workdir().to_owned(),
    }
}

/// BuildKit's reference for the context snapshot in "failed to calculate checksum of ref".
fn context_ref(ctx: &mut Ctx<'_>) -> String {
    let a = ctx.new_id("ref");
    let b = ctx.new_id("ref");
    format!("{}::{}", base36(&a, 25), base36(&b, 25))
}

/// A BuildKit-style record ID (25 lower-case letters and digits).
fn cache_id(ctx: &mut Ctx<'_>) -> String {
    let hex = ctx.new_id("cache");
    base36(&hex, 25)
}

fn base36(hex: &str, n: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    hex.as_bytes()
        .chunks(2)
        .take(n)
        .map(|c| {
            let v = u8::from_str_radix(std::str::from_utf8(c).unwrap_or("0"), 16).unwrap_or(0);
            ALPHABET[usize::from(v) % ALPHABET.len()] as char
        })
        .collect()
}

/// BuildKit's message when a base image cannot be resolved.
fn buildkit_pull_error(reference: &Reference) -> String {
    if reference.domain() == "docker.io" {
        "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".to_owned()
    } else {
        format!("{}: not found", reference.full_string())
    }
}

fn empty_config() -> ImageConfig {
    ImageConfig {
        architecture: "amd64".to_owned(),
        config: ContainerConfig {
            env: Some(vec![
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_owned(),
            ]),
            ..ContainerConfig::default()
        },
        created: String::new(),
        history: Vec::new(),
        os: "linux".to_owned(),
        rootfs: RootFs {
            kind: "layers".to_owned(),
            diff_ids: Vec::new(),
        },
        parent: None,
    }
}

/// What an image config holds that a Dockerfile can grow: ENV and ARG values, labels and
/// history lines (a RUN's history line repeats the stage's ARGs).
fn config_bytes(config: &ImageConfig, scope: &dockerfile::Scope) -> usize {
    let labels: usize = config
        .config
        .labels
        .iter()
        .flatten()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    let history: usize = config
        .history
        .iter()
        .map(|h| h.created_by.as_ref().map_or(0, String::len))
        .sum();
    scope.bytes() + labels + history
}

/// What an instruction changes in the image config.
fn apply_config(c: &mut ContainerConfig, ins: &Instruction, scope: &Scope, cmd_set: &mut bool) {
    match ins {
        Instruction::Env(_) => {
            c.env = Some(
                scope
                    .env()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect(),
            );
        }
        Instruction::Label(l) => {
            let labels = c.labels.get_or_insert_with(BTreeMap::new);
            for kv in &l.labels {
                labels.insert(unquote(&kv.key), unquote(&kv.value));
            }
        }
        Instruction::Expose(e) => {
            let ports = c.exposed_ports.get_or_insert_with(BTreeMap::new);
            for p in dockerfile::history::port_specs(&e.ports) {
                ports.insert(p, EmptyObject {});
            }
        }
        Instruction::Cmd(cmd) => {
            c.cmd = cmd.command.as_ref().map(|l| l.with_shell(scope.shell()));
            c.args_escaped = Some(true);
            *cmd_set = true;
        }
        Instruction::Entrypoint(e) => {
            c.entrypoint = e.command.as_ref().map(|l| l.with_shell(scope.shell()));
            c.args_escaped = Some(true);
            if !*cmd_set {
                c.cmd = None;
            }
        }
        Instruction::Workdir(_) => c.working_dir = Some(scope.workdir().to_owned()),
        Instruction::User(u) => c.user = Some(u.user.clone()),
        Instruction::Volume(v) => {
            let vols = c.volumes.get_or_insert_with(BTreeMap::new);
            for p in &v.paths {
                vols.insert(p.clone(), EmptyObject {});
            }
        }
        Instruction::StopSignal(s) => c.stop_signal = Some(s.signal.clone()),
        Instruction::Shell(s) => c.shell = Some(s.shell.clone()),
        Instruction::Onbuild(o) => c
            .on_build
            .get_or_insert_with(Vec::new)
            .push(o.expression.clone()),
        Instruction::Healthcheck(h) => {
            c.healthcheck = Some(match h {
                dockerfile::Healthcheck::None => serde_json::json!({"Test": ["NONE"]}),
                dockerfile::Healthcheck::Cmd {
                    command,
                    interval,
                    timeout,
                    start_period,
                    start_interval,
                    retries,
                } => {
                    let test = match command {
                        dockerfile::CommandLine::Shell(s) => {
                            vec!["CMD-SHELL".to_owned(), s.clone()]
                        }
                        dockerfile::CommandLine::Exec(v) => std::iter::once("CMD".to_owned())
                            .chain(v.iter().cloned())
                            .collect(),
                    };
                    let mut h = serde_json::json!({"Test": test});
                    let nanos = |d: &std::time::Duration| d.as_nanos() as u64;
                    for (k, d) in [
                        ("Interval", interval),
                        ("Timeout", timeout),
                        ("StartPeriod", start_period),
                        ("StartInterval", start_interval),
                    ] {
                        if !d.is_zero() {
                            h[k] = serde_json::json!(nanos(d));
                        }
                    }
                    if *retries != 0 {
                        h["Retries"] = serde_json::json!(retries);
                    }
                    h
                }
            });
        }
        _ => {}
    }
}

/// LABEL keys and values as stored: outer quotes removed.
fn unquote(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        t[1..t.len() - 1].replace("\\\"", "\"")
    } else {
        t.to_owned()
    }
}

/// Writes a planned layer into the store, streaming: a thread writes the tar into a pipe that
/// the store hashes and writes to its temp file. Returns (diff ID, chain ID).
pub(super) fn put_layer(
    ctx: &mut Ctx<'_>,
    plan: &Plan,
    parent: Option<&Digest>,
    shown_size: u64,
) -> Result<(Digest, Digest), StoreError> {
    let (mut reader, writer) = std::io::pipe().map_err(|e| StoreError::Io {
        path: ctx.store.root().to_owned(),
        source: e,
    })?;
    let entries = &plan.entries;
    let (stored, written) = std::thread::scope(|s| {
        let handle = s.spawn(move || layer::write_tar(entries, writer));
        let stored = ctx.store.put_blob_from(&mut reader);
        drop(reader);
        let written = handle.join().expect("the tar writer does not panic");
        (stored, written)
    });
    let (diff, _) = stored?;
    written.map_err(|e| StoreError::Io {
        path: ctx.store.root().to_owned(),
        source: e,
    })?;
    let chain = match parent {
        None => diff.clone(),
        Some(p) => Digest::of(format!("{p} {diff}").as_bytes()),
    };
    ctx.state
        .layers
        .entry(chain.clone())
        .or_insert_with(|| LayerRecord {
            diff_id: diff.clone(),
            parent: parent.cloned(),
            size: shown_size,
        });
    ctx.touch();
    Ok((diff, chain))
}

/// Files of `base`'s layers under `sources`, as a plan for `dest` (the contents are read into
/// memory: stage outputs are small in labs).
fn copy_from_layers(
    ctx: &Ctx<'_>,
    base: &Base,
    sources: &[String],
    dest: &str,
    workdir: &str,
) -> Result<Plan, String> {
    use std::io::Read as _;
    let mut files: BTreeMap<String, layer::Entry> = BTreeMap::new();
    for diff in &base.config.rootfs.diff_ids {
        let Ok(f) = ctx.store.blob_file(diff) else {
            continue;
        };
        let mut archive = tar::Archive::new(f);
        let Ok(entries) = archive.entries() else {
            continue;
        };
        for e in entries.flatten() {
            let mut e = e;
            let Ok(path) = e
                .path()
                .map(|p| p.to_string_lossy().trim_end_matches('/').to_owned())
            else {
                continue;
            };
            let mode = e.header().mode().unwrap_or(0o644);
            let kind = e.header().entry_type();
            let source = if kind.is_dir() {
                layer::Source::Dir
            } else if kind.is_symlink() {
                layer::Source::Symlink(
                    e.link_name()
                        .ok()
                        .flatten()
                        .map(|l| l.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
            } else {
                let mut buf = Vec::new();
                if e.read_to_end(&mut buf).is_err() {
                    continue;
                }
                layer::Source::Bytes(buf)
            };
            let size = match &source {
                layer::Source::Bytes(b) => b.len() as u64,
                layer::Source::Symlink(t) => t.len() as u64,
                _ => 0,
            };
            files.insert(
                path.clone(),
                layer::Entry {
                    path,
                    source,
                    mode,
                    mtime: 0,
                    size,
                },
            );
        }
    }
    let dest_abs = if dest.starts_with('/') {
        dest.to_owned()
    } else {
        format!("{}/{dest}", workdir.trim_end_matches('/'))
    };
    let dest_rel = dockerfile::clean_path(&dest_abs)
        .trim_start_matches('/')
        .to_owned();
    let dest_is_dir = dest.ends_with('/') || sources.len() > 1;
    let mut plan = Plan::default();
    for s in sources {
        let key = crate::build::context::source_key(s);
        let src = key.trim_start_matches('/');
        let mut any = false;
        for (p, e) in &files {
            let rel = if p == src {
                if matches!(e.source, layer::Source::Dir) {
                    continue;
                }
                any = true;
                let name = p.rsplit('/').next().unwrap_or(p);
                if dest_is_dir {
                    format!("{dest_rel}/{name}")
                } else {
                    dest_rel.clone()
                }
            } else if let Some(rest) = p.strip_prefix(&format!("{src}/")).or(if src.is_empty() {
                Some(p.as_str())
            } else {
                None
            }) {
                any = true;
                format!("{dest_rel}/{rest}")
                    .trim_start_matches('/')
                    .to_owned()
            } else {
                continue;
            };
            let mut e = e.clone();
            e.path = rel;
            plan.shown_size += if matches!(e.source, layer::Source::Dir) {
                0
            } else {
                e.size
            };
            plan.sources_key
                .push_str(&format!("{}:{}\n", e.path, e.size));
            plan.entries.push(e);
        }
        if !any {
            return Err(format!(
                "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref: \"{key}\": not found\n"
            ));
        }
    }
    let mut acc = String::new();
    let comps: Vec<&str> = dest_rel.split('/').filter(|c| !c.is_empty()).collect();
    let n = if dest_is_dir || plan.entries.len() > 1 {
        comps.len()
    } else {
        comps.len().saturating_sub(1)
    };
    for c in &comps[..n] {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(c);
        plan.entries.push(layer::Entry {
            path: acc.clone(),
            source: layer::Source::Dir,
            mode: 0o755,
            mtime: 0,
            size: 0,
        });
    }
    plan.entries.sort_by(|a, b| a.path.cmp(&b.path));
    plan.entries.dedup_by(|a, b| a.path == b.path);
    Ok(plan)
}
