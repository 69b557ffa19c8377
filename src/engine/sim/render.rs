//! Rows through a `--format` template, as docker/cli's formatter writes them: shared by the
//! commands that list images, containers and disk usage.

use super::Outcome;
use crate::docker::template::{render_filled, render_table, render_table_as, Template, Value};

/// Renders rows with a `--format` (or the command's default) the way docker/cli's formatter does:
/// each row is a formatter context, a `table` format gets a header and aligned columns.
pub(super) fn render(
    format: &str,
    headers: &serde_json::Value,
    rows: &[serde_json::Value],
) -> Outcome {
    let rendered = Template::parse(format).and_then(|t| render_table(&t, headers, rows));
    match rendered {
        Ok(text) => Outcome::ok(text),
        Err(e) => Outcome::error(format!("{e}\n"), 1),
    }
}

/// [`render`] as a command whose rows are Go type `type_name` in error messages, and which
/// puts `exec_prefix` before a template's execution error (`ps`: `failed to execute template: `;
/// most: `template parsing error: `).
pub(super) fn render_as(
    format: &str,
    headers: &serde_json::Value,
    rows: &[serde_json::Value],
    type_name: &str,
    exec_prefix: &str,
) -> Outcome {
    let template = match Template::parse(format) {
        Ok(t) => t,
        Err(e) => return Outcome::error(format!("{e}\n"), 1),
    };
    match render_table_as(&template, headers, rows, type_name) {
        Ok(text) => Outcome::ok(text),
        Err(e) => Outcome::error(format!("{exec_prefix}{}\n", e.go_error()), 1),
    }
}

/// [`render_as`] over one row value refilled in place for each row (see
/// [`crate::docker::template::render_filled`]).
pub(super) fn render_filled_as(
    format: &str,
    headers: &serde_json::Value,
    row: &mut Value,
    fill: impl FnMut(&mut Value) -> bool,
    exec_prefix: &str,
) -> Outcome {
    let template = match Template::parse(format) {
        Ok(t) => t,
        Err(e) => return Outcome::error(format!("{e}\n"), 1),
    };
    match render_filled(&template, headers, row, fill) {
        Ok(text) => Outcome::ok(text),
        Err(e) => Outcome::error(format!("{exec_prefix}{}\n", e.go_error()), 1),
    }
}
