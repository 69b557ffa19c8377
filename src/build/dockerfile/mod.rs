//! Dockerfiles as BuildKit reads them.
//!
//! [`parse`] gives a [`Dockerfile`]: parser directives and a list of [`Node`]s, each an
//! [`Instruction`] with its [`Span`] and original text. [`Dockerfile::stages`] and
//! [`Dockerfile::target_stage`] give the stage model; a [`Scope`] expands words stage by stage
//! as the builder goes; [`history`] gives the `created_by` strings. Errors are
//! [`ParseError`]s, rendered with BuildKit's wording ([`ParseError::render_cli`]).

pub mod ast;
pub mod error;
pub mod history;
mod lexer;
mod parser;
pub mod shell;
mod stages;

#[cfg(test)]
pub use ast::{ArgDef, Cmd, Entrypoint, From, InlineSource, KeyValue};
pub use ast::{CommandLine, Dockerfile, Healthcheck, Instruction, Node};
pub use error::{ErrorKind, ParseError};
pub use history::{buildkit_created_by, legacy_created_by};
pub use parser::parse;
#[cfg(test)]
pub use parser::parse_bytes;
pub use stages::{clean_path, resolve_workdir, Scope, Stage};

#[cfg(test)]
mod tests;
