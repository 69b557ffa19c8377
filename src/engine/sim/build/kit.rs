//! BuildKit's presentation: the progress text (plain, tty or quiet), parse failures, and
//! the wording of its base-image and context-reference errors.

use super::cache::base36;
use super::{Progress, Run};
use crate::build::dockerfile::{ErrorKind, ParseError};
use crate::build::progress::{render_plain, render_tty};
use crate::docker::reference::Reference;
use crate::docker::text::go_quote;
use crate::engine::sim::{Ctx, Outcome};

impl Run {
    pub(super) fn progress_text(&self, progress: Progress) -> String {
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

    pub(super) fn parse_failure(
        &mut self,
        progress: Progress,
        e: &ParseError,
        text: &str,
    ) -> Outcome {
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
}

/// BuildKit's message when a base image cannot be resolved.
pub(super) fn buildkit_pull_error(reference: &Reference) -> String {
    if reference.domain() == "docker.io" {
        "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".to_owned()
    } else {
        format!("{}: not found", reference.full_string())
    }
}

/// BuildKit's reference for the context snapshot in "failed to calculate checksum of ref".
pub(super) fn context_ref(ctx: &mut Ctx<'_>) -> String {
    let a = ctx.new_id("ref");
    let b = ctx.new_id("ref");
    format!("{}::{}", base36(&a, 25), base36(&b, 25))
}
