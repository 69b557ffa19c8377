//! Rows through a `--format` template, as docker/cli's formatter writes them: shared by the
//! commands that list images, containers and disk usage.

use super::Outcome;
use crate::docker::template::{
    render_filled, render_table, render_table_as, tabulate, Template, Value,
};

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

/// Whether a cell is text the tab writer measures by its bytes: ASCII without escapes, tabs or
/// newlines.
pub(super) fn plain_cell(c: &str) -> bool {
    c.bytes()
        .all(|b| b.is_ascii() && b != 0x1b && b != b'\t' && b != b'\n')
}

/// A `table` format's output for cells already computed: the header and `rows` lines (`line`
/// gives a row's cells, as many as the header's), aligned as Go's tab writer does with the
/// configuration of `tabulate`, the same text as the template engine gives for a format whose
/// columns are these cells. Written directly when every row is `plain` (its cells are, see
/// [`plain_cell`]), without a template run per row, which at 10,000 images was most of the
/// listings; through `tabulate` otherwise.
pub(super) fn write_table<'a, const N: usize>(
    header: &[&'a str],
    rows: usize,
    line: impl Fn(usize) -> [&'a str; N],
    plain_row: impl Fn(usize) -> bool,
) -> String {
    let columns = header.len().min(N);
    // A column is as wide as its widest cell or 7, plus 3 spaces; a line's last cell is not
    // padded.
    let mut widths = [7usize; N];
    for (w, c) in widths.iter_mut().zip(header) {
        *w = (*w).max(c.len());
    }
    let mut plain = true;
    for at in 0..rows {
        for (w, c) in widths.iter_mut().zip(&line(at)[..columns]) {
            *w = (*w).max(c.len());
        }
        plain = plain && plain_row(at);
    }
    if !plain {
        let mut text = header.join("\t");
        text.push('\n');
        for at in 0..rows {
            text.push_str(&line(at)[..columns].join("\t"));
            text.push('\n');
        }
        return tabulate(&text);
    }
    const SPACES: &str = "                                                                ";
    let line_width: usize = widths[..columns.saturating_sub(1)]
        .iter()
        .map(|w| w + 3)
        .sum::<usize>()
        + 8;
    let mut out = String::with_capacity((rows + 1) * line_width);
    let mut write = |cells: &[&str]| {
        for (i, c) in cells.iter().enumerate() {
            out.push_str(c);
            if i + 1 < columns {
                let mut pad = (widths[i] + 3).saturating_sub(c.len());
                while pad > 0 {
                    let n = pad.min(SPACES.len());
                    out.push_str(&SPACES[..n]);
                    pad -= n;
                }
            }
        }
        out.push('\n');
    };
    write(&header[..columns]);
    for at in 0..rows {
        write(&line(at)[..columns]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{plain_cell, tabulate, write_table};

    #[test]
    fn tables_written_directly_align_as_the_tab_writer() {
        // Empty cells, cells wider and narrower than 7, a header wider than its cells, and a
        // cell that is not plain (then the tab writer itself).
        let cells = [
            ["", "x", "a-much-longer-cell", ""],
            ["repo", "", "1", "last"],
            ["r", "tag with spaces", "", "0"],
            ["é", "t", "u", "v"],
        ];
        for rows in [1, 2, 3, 4] {
            let header = ["REPOSITORY", "T", "A LONG HEADER", "X"];
            let line = |at: usize| cells[at];
            let plain = |at: usize| cells[at].iter().all(|c| plain_cell(c));
            let mut text = header.join("\t") + "\n";
            for row in &cells[..rows] {
                text.push_str(&row.join("\t"));
                text.push('\n');
            }
            assert_eq!(
                write_table(&header, rows, line, plain),
                tabulate(&text),
                "{rows}"
            );
        }
        assert_eq!(write_table::<1>(&["ONLY"], 0, |_| [""], |_| true), "ONLY\n");
    }
}
