//! The Go `text/template` subset behind Docker's `--format`, with docker/cli's function map
//! (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`, `truncate`) and its table
//! rendering (`cli/command/formatter/formatter.go`): a header row from the same template run
//! over the column titles, then the rows, aligned by a tab writer like Go's
//! `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
//!
//! Values are [`Value`]s, a model of the Go values Docker formats: Go prints a struct, a map,
//! a nil slice and a missing key differently, and JSON alone cannot say which is which.
//! [`Value::from_json`] covers the common case (objects become maps); build [`Value::Struct`]
//! and [`Value::Context`] by hand where Docker has a Go struct or a formatter context.
//!
//! Error wording follows Go 1.24's `text/template` as the docker 28.2.2 client shows it.
//! Checked by running ~130 formats through `docker context ls --format` (a formatter context,
//! executed on the client alone) and comparing output, errors and exit status byte for byte;
//! `docker image ls` and its `{{json .}}` rows on a real engine too. Known differences:
//! - `{{define}}` and `{{block}}` are refused when parsing (so `{{template "x"}}` always fails
//!   at run time with Go's "template "x" not defined"); `call` and `slice` are not provided.
//! - Go type names in messages come from the value model (`[]interface {}`,
//!   `map[string]interface {}`, `int`, `float64`), not from Docker's own Go types, except for
//!   [`Value::Struct`] and [`Value::Context`], which carry theirs.
//! - `index` on a missing map key yields `<no value>` (Go gives the element type's zero value:
//!   `""` for a `map[string]string` such as `Config.Labels`).
//! - `truncate` cutting a multi-byte character: Go writes the broken bytes, we write U+FFFD
//!   (a terminal shows the same).
//! - `{{.}}` on a formatter context prints its fields as a struct; Go prints the context's
//!   private fields (or, for contexts with an `Error` method, that method's result).
//! - `table` alone or an empty format: each command substitutes its default format first
//!   (docker/cli does it per command), not this module.
//! - One execution is bounded ([`budget`]: output, string results, copies, range
//!   iterations), where Go would go on until memory runs out; past a limit it fails with a
//!   Go-shaped execution error worded by docklab.
//!
//! Layout, following Go's own packages: `lexer` and `parser` (`text/template/parse`), `exec`
//! (the walk over the tree) and `funcs` (builtins and docker/cli's function map), `gofmt` and
//! `printf` (`fmt`), `json` (`encoding/json`), `budget` (docklab's limits); this file holds the
//! values, the errors, [`Template`] and the table rendering.

use std::io::Write as _;

use budget::Budget;
use exec::State;
use lexer::Lexer;
use parser::{Node, Parser};

mod budget;
mod exec;
mod funcs;
mod gofmt;
mod json;
mod lexer;
mod parser;
mod printf;
#[cfg(test)]
mod tests;

/// Docker's `--format` error: `Display` is the whole text the CLI prints.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A syntax error: `template parsing error: template: :1: unclosed action`.
    #[error("template parsing error: template: :{line}: {message}")]
    Parse { line: usize, message: String },
    /// An execution error:
    /// `template parsing error: template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type *formatter.imageContext`.
    #[error("template parsing error: template: :{line}:{column}: executing \"\" at <{context}>: {message}")]
    Exec {
        line: usize,
        column: usize,
        context: String,
        message: String,
    },
}

impl TemplateError {
    /// Go's own error text (`template: :1:2: executing …`), without the
    /// `template parsing error: ` most commands put before it.
    pub fn go_error(&self) -> String {
        let text = self.to_string();
        match text.strip_prefix("template parsing error: ") {
            Some(rest) => rest.to_owned(),
            None => text,
        }
    }
}

/// A Go value as `text/template` sees it.
#[derive(Debug, Clone, PartialEq)]
#[allow(
    clippy::enum_variant_names,
    reason = "`NoValue` is Go's own name for what prints `<no value>`"
)]
pub enum Value {
    /// An invalid `reflect.Value` (a missing map key, a nil `interface{}`): prints `<no value>`.
    NoValue,
    /// A nil `interface{}` inside a container (JSON `null` in a map or slice): prints `<nil>`
    /// when nested, `<no value>` when it is what an action prints.
    Nil,
    /// A nil pointer (`*Healthcheck` unset): prints `<nil>`, JSON `null`.
    NilPointer,
    /// A nil slice: prints `[]`, JSON `null`.
    NilSlice,
    /// A nil map: prints `map[]`, JSON `null`.
    NilMap,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    String(String),
    /// A slice: prints `[a b]`.
    List(Vec<Value>),
    /// A map: prints `map[k:v]`, iterates and encodes in key order (Go sorts map keys).
    Map(Vec<(String, Value)>),
    /// A struct: prints `{v1 v2}`, encodes fields in this order; a missing field is an error
    /// naming `type_name`.
    Struct {
        type_name: String,
        fields: Vec<(String, Value)>,
    },
    /// A docker/cli formatter context (`*formatter.imageContext`): its fields are methods;
    /// `{{json .}}` gives sorted keys with `<`, `>`, `&` escaped (its `MarshalJSON` goes
    /// through `json.Marshal` of a map).
    Context {
        type_name: String,
        fields: Vec<(String, Value)>,
        /// What its `MarshalJSON` gives when that differs from `fields` (docker/cli's
        /// `searchContext` says `true` there where a template sees `[OK]`).
        marshal: Option<Vec<(String, Value)>>,
    },
}

impl Value {
    /// JSON to Go values: objects become maps (`map[string]interface {}`), `null` a nil
    /// interface, integers `Int`/`Uint`, other numbers `Float`.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Value::Uint(u)
                } else {
                    Value::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => {
                Value::map(map.iter().map(|(k, v)| (k.clone(), Value::from_json(v))))
            }
        }
    }

    /// A map, sorted by key as Go prints and iterates it.
    pub fn map(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
        let mut entries: Vec<(String, Value)> = entries.into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        Value::Map(entries)
    }

    /// A formatter context from a JSON object (other JSON gives a context with no fields).
    pub fn context(type_name: &str, row: &serde_json::Value) -> Value {
        Value::Context {
            type_name: type_name.to_owned(),
            fields: object_fields(row),
            marshal: None,
        }
    }

    /// [`Value::context`] whose `{{json .}}` is `marshal` (an object) rather than its fields.
    pub fn context_marshalled_as(
        type_name: &str,
        row: &serde_json::Value,
        marshal: &serde_json::Value,
    ) -> Value {
        Value::Context {
            type_name: type_name.to_owned(),
            fields: object_fields(row),
            marshal: Some(object_fields(marshal)),
        }
    }

    /// A struct from a JSON object, fields in the object's order; nested objects stay maps.
    pub fn structure(type_name: &str, object: &serde_json::Value) -> Value {
        Value::Struct {
            type_name: type_name.to_owned(),
            fields: object_fields(object),
        }
    }

    /// The Go type name used in error messages.
    fn type_name(&self) -> String {
        match self {
            Value::NoValue => "<nil>".into(),
            Value::Nil => "interface {}".into(),
            Value::NilPointer => "*struct {}".into(),
            Value::NilSlice | Value::List(_) => "[]interface {}".into(),
            Value::NilMap | Value::Map(_) => "map[string]interface {}".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::Struct { type_name, .. } | Value::Context { type_name, .. } => type_name.clone(),
        }
    }

    /// `text/template`'s `isTrue`.
    fn is_true(&self) -> bool {
        match self {
            Value::NoValue | Value::Nil | Value::NilPointer | Value::NilSlice | Value::NilMap => {
                false
            }
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Struct { .. } | Value::Context { .. } => true,
        }
    }
}

fn object_fields(v: &serde_json::Value) -> Vec<(String, Value)> {
    match v {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), Value::from_json(v)))
            .collect(),
        _ => Vec::new(),
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Self {
        Value::from_json(v)
    }
}

// ---------------------------------------------------------------------------------------------
// Template

/// A parsed `--format` template.
#[derive(Debug, Clone)]
pub struct Template {
    text: String,
    nodes: Vec<Node>,
    table: bool,
}

impl Template {
    /// Docker's `--format` as the formatters read it (`formatter.Context.preFormat`): a leading
    /// `table` is removed (and remembered), `json` alone means `{{json .}}`, spaces around are
    /// trimmed, and the two-character sequences `\t` and `\n` become a tab and a newline.
    pub fn parse(format: &str) -> Result<Template, TemplateError> {
        let table = format.starts_with("table");
        let mut text = if table {
            &format["table".len()..]
        } else if format == "json" {
            "{{json .}}"
        } else {
            format
        };
        text = text.trim_matches(' ');
        let text = text.replace("\\t", "\t").replace("\\n", "\n");
        let mut t = Template::parse_go(&text)?;
        t.table = table;
        Ok(t)
    }

    /// A Go template as is (`docker inspect --format`: no `table`, no `\t` rewriting).
    pub fn parse_go(text: &str) -> Result<Template, TemplateError> {
        let mut parser = Parser {
            tokens: Lexer::lex(text),
            i: 0,
            last_line: 1,
            vars: vec!["$".to_owned()],
            range_depth: 0,
            action_line: 0,
            depth: 0,
        };
        let nodes = parser.parse().map_err(|e| TemplateError::Parse {
            line: e.line,
            message: e.message,
        })?;
        Ok(Template {
            text: text.to_owned(),
            nodes,
            table: false,
        })
    }

    /// Whether the format started with `table`.
    pub fn is_table(&self) -> bool {
        self.table
    }

    #[cfg(test)]
    /// Runs the template over JSON data (objects are Go maps; see [`Value::from_json`]).
    pub fn execute(&self, data: &serde_json::Value) -> Result<String, TemplateError> {
        self.execute_value(&Value::from_json(data))
    }

    /// Runs the template over a Go value.
    pub fn execute_value(&self, data: &Value) -> Result<String, TemplateError> {
        self.run(data, false)
    }

    /// [`Template::execute_value`] with Go's `missingkey=error`: looking up a key a map lacks
    /// fails (`map has no entry for key "Nope"`), as `docker inspect`'s fallback over the raw
    /// JSON does.
    pub fn execute_value_strict(&self, data: &Value) -> Result<String, TemplateError> {
        self.run(data, true)
    }

    fn run(&self, data: &Value, strict: bool) -> Result<String, TemplateError> {
        let mut state = State {
            text: &self.text,
            vars: vec![("$".to_owned(), std::borrow::Cow::Borrowed(data))],
            out: String::new(),
            node: (0, exec::At::Text(String::new())),
            header: false,
            strict,
            budget: Budget::default(),
        };
        match state.walk_list(data, &self.nodes) {
            Ok(_) => Ok(state.out),
            Err(e) => Err(e),
        }
    }

    /// The header row: the template run over the column titles with docker/cli's
    /// `HeaderFunctions` (`json`, `split`, `join`, `title`, `lower`, `upper`, `truncate` return
    /// their string argument). Docker ignores an error here and keeps what was written.
    fn execute_header(&self, header: &Value) -> String {
        let mut state = State {
            text: &self.text,
            vars: vec![("$".to_owned(), std::borrow::Cow::Borrowed(header))],
            out: String::new(),
            node: (0, exec::At::Text(String::new())),
            header: true,
            strict: false,
            budget: Budget::default(),
        };
        let _ = state.walk_list(header, &self.nodes);
        state.out
    }
}

#[cfg(test)]
/// Docker's formatter output for `rows` (`formatter.Context.Write`): each row is the template's
/// output plus `\n`; a `table` format first gets the header row (the template over `header`,
/// a map from field name to column title such as `{"Repository": "REPOSITORY", "ID": "IMAGE ID"}`),
/// and everything goes through the tab writer: cells end at tabs, columns are at least 10 wide
/// including 3 spaces of padding, a row's last cell is not padded, and cells before a tab
/// keep their padding even at the end of a line.
pub fn render(
    template: &Template,
    header: &Value,
    rows: &[Value],
) -> Result<String, TemplateError> {
    render_each(template, header, rows.iter().map(Ok::<_, TemplateError>))
}

/// [`render`] over rows made one at a time, so that only the text of the rows is kept.
fn render_each<R: std::borrow::Borrow<Value>>(
    template: &Template,
    header: &Value,
    rows: impl Iterator<Item = Result<R, TemplateError>>,
) -> Result<String, TemplateError> {
    let mut body = String::new();
    for row in rows {
        body.push_str(&template.execute_value(row?.borrow())?);
        body.push('\n');
    }
    Ok(finish_table(template, header, body))
}

/// The rows' text as the formatter writes it: as is, or after the header and aligned for a
/// `table` format.
fn finish_table(template: &Template, header: &Value, body: String) -> String {
    if !template.is_table() {
        return body;
    }
    let mut text = template.execute_header(header);
    text.push('\n');
    text.push_str(&body);
    tabulate(&text)
}

/// [`render_values`] over one row value that `fill` refills in place before each row (and
/// which returns `false` when there is none left): no value is built, and no string of it
/// allocated, per row.
pub fn render_filled(
    template: &Template,
    headers: &serde_json::Value,
    row: &mut Value,
    mut fill: impl FnMut(&mut Value) -> bool,
) -> Result<String, TemplateError> {
    let pieces = template.text_and_fields();
    let mut body = String::new();
    while fill(row) {
        if !pieces
            .as_deref()
            .is_some_and(|p| write_text_and_fields(p, row, &mut body))
        {
            body.push_str(&template.execute_value(row)?);
        }
        body.push('\n');
    }
    Ok(finish_table(template, &Value::from_json(headers), body))
}

/// A piece of a template made only of text and `{{.Field}}` actions.
enum Piece<'t> {
    Text(&'t str),
    Field(&'t str),
}

impl Template {
    /// The template as text and `{{.Field}}` actions, when it is nothing else (no function,
    /// pipeline, variable or control): `{{.Repository}}:{{.Tag}}`, the common `--format`.
    fn text_and_fields(&self) -> Option<Vec<Piece<'_>>> {
        self.nodes
            .iter()
            .map(|node| match node {
                Node::Text(text) => Some(Piece::Text(text)),
                Node::Action { pipe, .. } if pipe.decl.is_empty() && pipe.cmds.len() == 1 => {
                    match pipe.cmds[0].args.as_slice() {
                        [parser::Arg::Field(_, names)] if names.len() == 1 => {
                            Some(Piece::Field(&names[0]))
                        }
                        _ => None,
                    }
                }
                _ => None,
            })
            .collect()
    }
}

/// Writes what the template of `pieces` prints for `row` when every field it names is a string
/// of the row's context, as the template engine would (a string field prints as it is), without
/// running it: the engine's state, and a copy of each value, per row were most of `image ls
/// --format` at 10,000 images. Returns `false`, having written nothing, for anything else (a
/// missing field, another type, a row long enough to meet the engine's limits), which the
/// engine then runs, errors included.
fn write_text_and_fields(pieces: &[Piece<'_>], row: &Value, out: &mut String) -> bool {
    const ROW_LIMIT: usize = 1 << 20;
    let Value::Context { fields, .. } = row else {
        return false;
    };
    let start = out.len();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Field(name) => {
                let Some((_, Value::String(s))) = fields.iter().find(|(k, _)| k == name) else {
                    out.truncate(start);
                    return false;
                };
                out.push_str(s);
            }
        }
        if out.len() - start > ROW_LIMIT {
            out.truncate(start);
            return false;
        }
    }
    true
}

/// [`render`] over JSON: `headers` is an object (field → column title); each row object is a
/// formatter context named `*formatter.Context` in error messages (use [`render`] with
/// [`Value::context`] for the exact Go type name).
pub fn render_table(
    template: &Template,
    headers: &serde_json::Value,
    rows: &[serde_json::Value],
) -> Result<String, TemplateError> {
    render_table_as(template, headers, rows, "*formatter.Context")
}

/// [`render_table`] with rows named `type_name` in error messages (`*formatter.ContainerContext`).
pub fn render_table_as(
    template: &Template,
    headers: &serde_json::Value,
    rows: &[serde_json::Value],
    type_name: &str,
) -> Result<String, TemplateError> {
    let rows = rows.iter().map(|r| Ok(Value::context(type_name, r)));
    render_each(template, &Value::from_json(headers), rows)
}

/// [`render_table_as`] over rows already made Go values (contexts built by hand).
pub fn render_values(
    template: &Template,
    headers: &serde_json::Value,
    rows: &[Value],
) -> Result<String, TemplateError> {
    render_each(template, &Value::from_json(headers), rows.iter().map(Ok))
}

#[cfg(test)]
/// The header line alone, as Docker prints it before any row (see [`render`]).
pub fn table_header(
    template_text: &str,
    headers: &[(&str, &str)],
) -> Result<String, TemplateError> {
    let template = Template::parse(template_text)?;
    let header = Value::map(
        headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned()))),
    );
    Ok(template.execute_header(&header))
}

/// Go's `tabwriter.NewWriter(w, 10, 1, 3, ' ', 0)`. The tabwriter crate adds the padding
/// after applying the minimum width, Go counts it inside, hence 7 + 3.
pub fn tabulate(text: &str) -> String {
    let mut tw = tabwriter::TabWriter::new(Vec::new()).minwidth(7).padding(3);
    // Writing to a Vec cannot fail; `into_inner` flushes.
    let _ = tw.write_all(text.as_bytes());
    match tw.into_inner() {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => text.to_owned(),
    }
}
