//! docklab: an interactive teaching shell for Docker images.
//!
//! The data flow (see docs and ../shared/DESIGN.md): a typed line is classified by [`command`],
//! handled by the [`session::Session`] (Docker commands through an [`engine::Engine`], shell
//! commands in the workspace, tutor commands), checked against the current [`lab`] step and
//! answered with [`feedback::Feedback`], typed data that only [`ui`] translates and colours; only
//! [`ui`] and the application layer print.

// `serde_json::json!` documents as long as Docker's `container inspect` expand deeply.
#![recursion_limit = "256"]

pub mod app;
mod atomic;
pub(crate) mod build;
pub(crate) mod catalog;
pub(crate) mod cli;
pub(crate) mod colour;
pub mod command;
mod decimal;
pub(crate) mod docker;
pub mod engine;
pub mod feedback;
pub mod i18n;
pub mod interrupt;
pub mod lab;
pub(crate) mod layers;
pub(crate) mod regular_file;
pub(crate) mod repl;
pub mod report;
pub mod session;
pub mod solve;
pub mod store;
pub mod transcript;
pub mod ui;
pub(crate) mod verify;

pub use app::run;
