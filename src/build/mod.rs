//! The build layer's front half: everything a builder needs before it touches a layer.
//!
//! - [`dockerfile`]: the Dockerfile lexer and parser (spanned AST), BuildKit's variable
//!   expansion, the stage model with ARG scoping and `--target`, and the history strings
//!   (`created_by`) both builders write;
//! - [`ignore`]: `.dockerignore` matching as Docker's `patternmatcher`;
//! - [`context`]: resolving COPY/ADD sources inside the build context without escaping it;
//! - [`shell`]: what a RUN of simple commands prints and how it exits.
//!
//! Wording of errors follows current BuildKit (Docker 28); differences with older daemons are
//! noted where they matter.

// "BuildKit" is a product name, not code: do not ask for backticks around it.
#![allow(clippy::doc_markdown)]

pub mod context;
pub mod dockerfile;
pub mod ignore;
pub mod layer;
pub mod progress;
pub mod shell;
pub mod simulate;
