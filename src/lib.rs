//! docklab: an interactive teaching shell for Docker images.
//!
//! The data flow (see docs and ../shared/DESIGN.md): a typed line is parsed by [`docker::cli`] into
//! an invocation, executed by an [`engine::Engine`] which returns an [`engine::Outcome`]; only the
//! application layer prints.

pub mod app;
pub mod build;
pub mod catalog;
pub mod cli;
pub mod docker;
pub mod engine;
pub mod layers;
pub mod store;
pub mod ui;

pub use app::run;
