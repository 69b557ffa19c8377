//! Docker's command-line surface: flag grammar, reference grammar, human units, `--format`
//! templates, help text and the wording of the errors the tutor explains (`errors`).
//! Everything here is pure: no I/O, no engine state.

pub mod api;
pub mod cli;
pub(crate) mod errors;
pub mod help;
pub mod json;
pub mod reference;
pub mod template;
pub mod text;
pub mod units;
