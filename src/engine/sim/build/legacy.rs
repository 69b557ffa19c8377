//! The legacy builder's presentation (`DOCKER_BUILDKIT=0`): its `-t` and `-f` checks, the
//! "Sending build context" line, its failures, the `--label` steps and its cache of
//! intermediate images (one committed per instruction, as the classic builder does).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::image::write_image;
use super::{Base, Progress, Run, LEGACY_NOTICE};
use crate::build::context;
use crate::build::layer;
use crate::docker::cli::Invocation;
use crate::docker::reference::Reference;
use crate::docker::text::go_quote;
use crate::docker::units::human_size4;
use crate::engine::sim::{Ctx, Outcome};
use crate::store::{Digest, History, StoreError};

impl Run {
    /// The legacy client's "Sending build context to Docker daemon" line: the context is sent
    /// whole before the daemon reads anything.
    pub(super) fn send_context(&mut self) {
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
    pub(super) fn legacy_failure(&mut self, message: &str, progress: Progress) -> Outcome {
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

    /// One `--label K=V` of the legacy builder: moby adds a `LABEL K=V` step per label, sorted
    /// by key, after the target stage's instructions (`buildLabelOptions`).
    pub(super) fn legacy_label_step(
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
    pub(super) fn legacy_cached(
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
    pub(super) fn legacy_commit(
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
                    crate::engine::sim::truncate_id(child.as_str())
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
                " ---> Running in {}\n ---> Removed intermediate container {}\n",
                &cid[..12],
                &cid[..12]
            ));
        }
        base.config.parent = parent.clone();
        base.config.created = crate::docker::units::rfc3339_nano(ctx.now);
        let (id, _) = write_image(ctx, &base.config, &base.chains, parent)?;
        self.legacy_out.push_str(&format!(
            " ---> {}\n",
            crate::engine::sim::truncate_id(id.as_str())
        ));
        base.id = Some(id);
        Ok(())
    }
}

/// docker/cli's legacy `build` parses `-t` with `reference.ParseNormalizedNamed` as a flag
/// value: a bad tag is a flag error (usage lines, exit 125), after the deprecation notice the
/// client printed before parsing.
pub(super) fn legacy_tag_error(inv: &Invocation) -> Option<Outcome> {
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
pub(super) fn legacy_dockerfile(
    cwd: &Path,
    context_arg: &str,
    file: Option<&str>,
) -> Result<PathBuf, String> {
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
    context::eval_symlinks(&path).map_err(|e| {
        crate::docker::errors::BuildError::DockerfilePath {
            detail: e.to_string(),
        }
        .message()
    })
}

/// The source the classic builder names when COPY/ADD finds nothing: the one that is missing,
/// as written but for one leading `/` and then one leading `./` (moby
/// `builder/dockerfile/copy.go`, `calcCopyInfo`; nothing else is cleaned).
pub(super) fn legacy_copy_shown<'a>(sources: &'a [String], e: &context::ContextError) -> &'a str {
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
