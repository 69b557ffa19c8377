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

use std::fmt::Write as _;
use std::io::Write as _;

mod budget;
mod printf;

use budget::{too_long, weight, Budget, MAX_OUTPUT, MAX_STRING};
use printf::{go_exp, go_sprintf};

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
// Lexer

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Declare,
    Assign,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // keywords
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

impl Kind {
    fn is_keyword(self) -> bool {
        matches!(
            self,
            Kind::Block
                | Kind::Break
                | Kind::Continue
                | Kind::Dot
                | Kind::Define
                | Kind::Else
                | Kind::End
                | Kind::If
                | Kind::Nil
                | Kind::Range
                | Kind::Template
                | Kind::With
        )
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    pos: usize,
    val: String,
    line: usize,
}

impl Token {
    /// Go's `item.String()`, used in "unexpected X in Y".
    fn describe(&self) -> String {
        match self.kind {
            Kind::Eof => "EOF".into(),
            Kind::Error => self.val.clone(),
            k if k.is_keyword() => format!("<{}>", self.val),
            _ if self.val.chars().count() > 10 => {
                let head: String = self.val.chars().take(10).collect();
                format!("{}...", go_quote(&head))
            }
            _ => go_quote(&self.val),
        }
    }
}

fn keyword(word: &str) -> Option<Kind> {
    Some(match word {
        "." => Kind::Dot,
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        _ => return None,
    })
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let mut it = s.chars();
    it.next() == Some('-') && it.next().is_some_and(is_space)
}

fn has_right_trim(s: &str) -> bool {
    let mut it = s.chars();
    it.next().is_some_and(is_space) && it.next() == Some('-')
}

/// A port of `text/template/parse/lex.go` (Go 1.24): the whole input is lexed up front; the
/// parser stops at the first error token, as Go's does.
struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: usize,
    tokens: Vec<Token>,
}

impl<'a> Lexer<'a> {
    fn lex(input: &'a str) -> Vec<Token> {
        let mut l = Lexer {
            input,
            pos: 0,
            start: 0,
            paren_depth: 0,
            tokens: Vec::new(),
        };
        l.run();
        l.tokens
    }

    fn line_at(&self, pos: usize) -> usize {
        1 + self
            .input
            .get(..pos)
            .unwrap_or(self.input)
            .matches('\n')
            .count()
    }

    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn backup(&mut self, c: char) {
        self.pos -= c.len_utf8();
    }

    fn emit(&mut self, kind: Kind) {
        self.tokens.push(Token {
            kind,
            pos: self.start,
            val: self.input[self.start..self.pos].to_owned(),
            line: self.line_at(self.start),
        });
        self.start = self.pos;
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn error(&mut self, message: String) {
        self.tokens.push(Token {
            kind: Kind::Error,
            pos: self.start,
            val: message,
            line: self.line_at(self.start),
        });
    }

    fn run(&mut self) {
        loop {
            // lexText
            let Some(x) = self.rest().find("{{") else {
                self.pos = self.input.len();
                if self.pos > self.start {
                    self.emit(Kind::Text);
                }
                self.emit(Kind::Eof);
                return;
            };
            let delim_at = self.pos + x;
            let mut text_end = delim_at;
            if has_left_trim(&self.input[delim_at + 2..]) {
                text_end = self.start
                    + self.input[self.start..delim_at]
                        .trim_end_matches(is_space)
                        .len();
            }
            self.pos = text_end;
            if self.pos > self.start {
                self.emit(Kind::Text);
            }
            // lexLeftDelim
            self.start = delim_at;
            self.pos = delim_at + 2;
            let after_marker = if has_left_trim(self.rest()) { 2 } else { 0 };
            if self.input[self.pos + after_marker..].starts_with("/*") {
                self.pos += after_marker;
                self.ignore();
                if !self.lex_comment() {
                    return;
                }
                continue;
            }
            self.emit(Kind::LeftDelim);
            self.pos += after_marker;
            self.ignore();
            self.paren_depth = 0;
            if !self.lex_inside_action() {
                return;
            }
        }
    }

    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest();
        if rest.starts_with("}}") {
            return (true, false);
        }
        if has_right_trim(rest) && rest[2..].starts_with("}}") {
            return (true, true);
        }
        (false, false)
    }

    fn lex_comment(&mut self) -> bool {
        self.pos += 2;
        let Some(i) = self.rest().find("*/") else {
            self.error("unclosed comment".into());
            return false;
        };
        self.pos += i + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            self.error("comment ends before closing delimiter".into());
            return false;
        }
        if trim {
            self.pos += 2;
        }
        self.pos += 2;
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
        }
        self.ignore();
        true
    }

    fn lex_right_delim(&mut self) {
        let trim = has_right_trim(self.rest());
        if trim {
            self.pos += 2;
            self.ignore();
        }
        self.pos += 2;
        self.emit(Kind::RightDelim);
        if trim {
            self.pos += self.rest().len() - self.rest().trim_start_matches(is_space).len();
            self.ignore();
        }
    }

    /// Returns false after an error token.
    fn lex_inside_action(&mut self) -> bool {
        loop {
            let (delim, _) = self.at_right_delim();
            if delim {
                if self.paren_depth == 0 {
                    self.lex_right_delim();
                    return true;
                }
                self.error("unclosed left paren".into());
                return false;
            }
            let Some(c) = self.next() else {
                self.error("unclosed action".into());
                return false;
            };
            match c {
                c if is_space(c) => {
                    self.backup(c);
                    let mut spaces = 0;
                    while self.peek().is_some_and(is_space) {
                        self.next();
                        spaces += 1;
                    }
                    let before = self.pos - 1;
                    if has_right_trim(&self.input[before..])
                        && self.input[before + 2..].starts_with("}}")
                    {
                        self.pos = before;
                        if spaces == 1 {
                            self.lex_right_delim();
                            return true;
                        }
                    }
                    self.emit(Kind::Space);
                }
                '=' => self.emit(Kind::Assign),
                ':' => {
                    if self.next() != Some('=') {
                        self.error("expected :=".into());
                        return false;
                    }
                    self.emit(Kind::Declare);
                }
                '|' => self.emit(Kind::Pipe),
                '"' => {
                    if !self.lex_quote('"', "unterminated quoted string", Kind::String) {
                        return false;
                    }
                }
                '\'' => {
                    if !self.lex_quote('\'', "unterminated character constant", Kind::CharConstant)
                    {
                        return false;
                    }
                }
                '`' => {
                    let Some(i) = self.rest().find('`') else {
                        self.error("unterminated raw quoted string".into());
                        return false;
                    };
                    self.pos += i + 1;
                    self.emit(Kind::RawString);
                }
                '$' => {
                    if !self.lex_field_or_variable(Kind::Variable) {
                        return false;
                    }
                }
                '.' if self.peek().is_some_and(|c| !c.is_ascii_digit()) => {
                    if !self.lex_field_or_variable(Kind::Field) {
                        return false;
                    }
                }
                '.' | '+' | '-' | '0'..='9' => {
                    self.backup(c);
                    if !self.lex_number() {
                        return false;
                    }
                }
                c if is_alphanumeric(c) => {
                    while self.peek().is_some_and(is_alphanumeric) {
                        self.next();
                    }
                    if !self.at_terminator() {
                        let bad = self.peek();
                        self.error(format!("bad character {}", go_unicode(bad)));
                        return false;
                    }
                    let word = &self.input[self.start..self.pos];
                    let kind = match keyword(word) {
                        Some(k) => k,
                        None if word == "true" || word == "false" => Kind::Bool,
                        None => Kind::Identifier,
                    };
                    self.emit(kind);
                }
                '(' => {
                    self.emit(Kind::LeftParen);
                    self.paren_depth += 1;
                }
                ')' => {
                    // Go emits the paren, then replaces it with the error: only the error is seen.
                    if self.paren_depth == 0 {
                        self.error("unexpected right paren".into());
                        return false;
                    }
                    self.emit(Kind::RightParen);
                    self.paren_depth -= 1;
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.emit(Kind::Char),
                c => {
                    self.error(format!(
                        "unrecognized character in action: {}",
                        go_unicode(Some(c))
                    ));
                    return false;
                }
            }
        }
    }

    fn lex_quote(&mut self, quote: char, message: &str, kind: Kind) -> bool {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => {
                        self.error(message.into());
                        return false;
                    }
                    Some(_) => {}
                },
                Some('\n') | None => {
                    self.error(message.into());
                    return false;
                }
                Some(c) if c == quote => break,
                Some(_) => {}
            }
        }
        self.emit(kind);
        true
    }

    /// After `.` or `$`.
    fn lex_field_or_variable(&mut self, kind: Kind) -> bool {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            });
            return true;
        }
        while self.peek().is_some_and(is_alphanumeric) {
            self.next();
        }
        if !self.at_terminator() {
            let bad = self.peek();
            self.error(format!("bad character {}", go_unicode(bad)));
            return false;
        }
        self.emit(kind);
        true
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) => is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(' | '}'),
        }
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> bool {
        if !self.scan_number() {
            let text = self.input[self.start..self.pos].to_owned();
            self.error(format!("bad number syntax: {}", go_quote(&text)));
            return false;
        }
        self.emit(Kind::Number);
        true
    }
}

/// Go's `%#U`: `U+0023 '#'`.
fn go_unicode(c: Option<char>) -> String {
    match c {
        Some(c) => format!("U+{:04X} '{c}'", c as u32),
        None => "U+FFFFFFFFFFFFFFFF".into(),
    }
}

use crate::docker::text::go_quote;

// ---------------------------------------------------------------------------------------------
// Parse tree

#[derive(Debug, Clone)]
enum Node {
    Text(String),
    Action {
        pos: usize,
        pipe: Pipe,
    },
    If {
        pipe: Pipe,
        list: Vec<Node>,
        else_list: Vec<Node>,
    },
    Range {
        pipe: Pipe,
        list: Vec<Node>,
        else_list: Vec<Node>,
    },
    With {
        pipe: Pipe,
        list: Vec<Node>,
        else_list: Vec<Node>,
    },
    Break,
    Continue,
    /// `{{template "name" pipeline}}`: only named templates from `{{define}}` could be called,
    /// and those are not supported, so running one fails as Go does for an unknown name.
    Template {
        pos: usize,
        name: String,
        pipe: Option<Pipe>,
    },
}

#[derive(Debug, Clone)]
struct Pipe {
    pos: usize,
    decl: Vec<String>,
    is_assign: bool,
    cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
struct Command {
    pos: usize,
    args: Vec<Arg>,
}

#[derive(Debug, Clone)]
enum Arg {
    Dot(usize),
    Nil(usize),
    Bool(usize, bool),
    Number(usize, String),
    Str(usize, String, String),
    Field(usize, Vec<String>),
    Variable(usize, String, Vec<String>),
    Identifier(usize, String),
    Pipe(usize, Box<Pipe>),
    Chain(usize, Box<Arg>, Vec<String>),
}

impl Arg {
    fn pos(&self) -> usize {
        match self {
            Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::Str(p, _, _)
            | Arg::Field(p, _)
            | Arg::Variable(p, _, _)
            | Arg::Identifier(p, _)
            | Arg::Pipe(p, _)
            | Arg::Chain(p, _, _) => *p,
        }
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Dot(_) => f.write_str("."),
            Arg::Nil(_) => f.write_str("nil"),
            Arg::Bool(_, b) => write!(f, "{b}"),
            Arg::Number(_, text) | Arg::Str(_, text, _) | Arg::Identifier(_, text) => {
                f.write_str(text)
            }
            Arg::Field(_, names) => names.iter().try_for_each(|n| write!(f, ".{n}")),
            Arg::Variable(_, name, fields) => {
                f.write_str(name)?;
                fields.iter().try_for_each(|n| write!(f, ".{n}"))
            }
            Arg::Pipe(_, pipe) => write!(f, "({pipe})"),
            Arg::Chain(_, node, fields) => {
                match node.as_ref() {
                    Arg::Pipe(_, pipe) => write!(f, "({pipe})")?,
                    other => write!(f, "{other}")?,
                }
                fields.iter().try_for_each(|n| write!(f, ".{n}"))
            }
        }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{arg}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            f.write_str(&self.decl.join(", "))?;
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, cmd) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{cmd}")?;
        }
        Ok(())
    }
}

/// What ends an item list.
enum ListEnd {
    End,
    Else,
}

struct ParseError {
    line: usize,
    message: String,
}

type ParseResult<T> = Result<T, ParseError>;

/// A port of `text/template/parse/parse.go`'s recursive descent.
struct Parser {
    tokens: Vec<Token>,
    i: usize,
    last_line: usize,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    /// Nesting of parenthesized pipelines and control blocks.
    depth: usize,
}

/// Go stops at 10 000 nested expressions ("max expression depth exceeded"); our recursive
/// parser and evaluator stop much earlier so that no input can exhaust the stack.
const MAX_DEPTH: usize = 100;

const FUNCTIONS: &[&str] = &[
    "and", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or", "print",
    "printf", "println", "urlquery", "json", "split", "join", "title", "lower", "upper", "pad",
    "truncate",
];

impl Parser {
    fn next(&mut self) -> Token {
        let t = self.tokens.get(self.i).cloned().unwrap_or_else(|| Token {
            kind: Kind::Eof,
            pos: 0,
            val: String::new(),
            line: self.last_line,
        });
        if self.i < self.tokens.len() {
            self.i += 1;
        }
        self.last_line = t.line;
        t
    }

    fn backup(&mut self) {
        self.i = self.i.saturating_sub(1);
    }

    fn peek(&mut self) -> Token {
        let t = self.next();
        self.backup();
        t
    }

    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != Kind::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn error<T>(&self, message: impl Into<String>) -> ParseResult<T> {
        Err(ParseError {
            line: self.last_line,
            message: message.into(),
        })
    }

    fn unexpected<T>(&self, token: &Token, context: &str) -> ParseResult<T> {
        if token.kind == Kind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                extra = format!(" in action started at :{}", self.action_line);
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_owned();
                }
            }
            return self.error(format!("{}{extra}", token.val));
        }
        self.error(format!("unexpected {} in {context}", token.describe()))
    }

    fn parse(&mut self) -> ParseResult<Vec<Node>> {
        let mut root = Vec::new();
        while self.peek().kind != Kind::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => root.push(n),
                Parsed::End => return self.error("unexpected {{end}}"),
                Parsed::Else => return self.error("unexpected {{else}}"),
            }
        }
        Ok(root)
    }

    fn item_list(&mut self) -> ParseResult<(Vec<Node>, ListEnd)> {
        let mut list = Vec::new();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.push(n),
                Parsed::End => return Ok((list, ListEnd::End)),
                Parsed::Else => return Ok((list, ListEnd::Else)),
            }
        }
        self.error("unexpected EOF")
    }

    fn text_or_action(&mut self) -> ParseResult<Parsed> {
        let token = self.next_non_space();
        match token.kind {
            Kind::Text => Ok(Parsed::Node(Node::Text(token.val))),
            Kind::LeftDelim => {
                self.action_line = token.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> ParseResult<Parsed> {
        let token = self.next_non_space();
        match token.kind {
            Kind::Template => {
                let name_token = self.next_non_space();
                if !matches!(name_token.kind, Kind::String | Kind::RawString) {
                    return self.unexpected(&name_token, "template clause");
                }
                let Some(name) = unquote(&name_token.val) else {
                    return self.error("invalid syntax");
                };
                let pipe = if self.next_non_space().kind == Kind::RightDelim {
                    None
                } else {
                    self.backup();
                    Some(self.pipeline("template clause", Kind::RightDelim)?)
                };
                return Ok(Parsed::Node(Node::Template {
                    pos: name_token.pos,
                    name,
                    pipe,
                }));
            }
            Kind::Block | Kind::Define => {
                return self.error(format!("{{{{{}}}}} is not supported by docklab", token.val));
            }
            Kind::Break | Kind::Continue => {
                let t = self.next_non_space();
                let name = format!("{{{{{}}}}}", token.val);
                if t.kind != Kind::RightDelim {
                    return self.unexpected(&t, &name);
                }
                if self.range_depth == 0 {
                    return self.error(format!("{name} outside {{{{range}}}}"));
                }
                return Ok(Parsed::Node(if token.kind == Kind::Break {
                    Node::Break
                } else {
                    Node::Continue
                }));
            }
            Kind::Else => {
                let peek = self.peek_non_space();
                if matches!(peek.kind, Kind::If | Kind::With) {
                    return Ok(Parsed::Else);
                }
                let t = self.next_non_space();
                if t.kind != Kind::RightDelim {
                    return self.unexpected(&t, "else");
                }
                return Ok(Parsed::Else);
            }
            Kind::End => {
                let t = self.next_non_space();
                if t.kind != Kind::RightDelim {
                    return self.unexpected(&t, "end");
                }
                return Ok(Parsed::End);
            }
            Kind::If => return Ok(Parsed::Node(self.control("if")?)),
            Kind::Range => return Ok(Parsed::Node(self.control("range")?)),
            Kind::With => return Ok(Parsed::Node(self.control("with")?)),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Parsed::Node(Node::Action { pos, pipe }))
    }

    fn control(&mut self, context: &str) -> ParseResult<Node> {
        self.depth += 1;
        let node = self.control_inner(context);
        self.depth -= 1;
        node
    }

    fn control_inner(&mut self, context: &str) -> ParseResult<Node> {
        if self.depth > MAX_DEPTH {
            return self.error("max expression depth exceeded");
        }
        let mark = self.vars.len();
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let listed = self.item_list();
        if context == "range" {
            self.range_depth -= 1;
        }
        let (list, end) = listed?;
        let mut else_list = Vec::new();
        if let ListEnd::Else = end {
            let peek = self.peek();
            if context == "if" && peek.kind == Kind::If {
                self.next();
                else_list.push(self.control("if")?);
            } else if context == "with" && peek.kind == Kind::With {
                self.next();
                else_list.push(self.control("with")?);
            } else {
                let (l, end) = self.item_list()?;
                if let ListEnd::Else = end {
                    return self.error("expected end; found {{else}}");
                }
                else_list = l;
            }
        }
        self.vars.truncate(mark);
        Ok(match context {
            "if" => Node::If {
                pipe,
                list,
                else_list,
            },
            "range" => Node::Range {
                pipe,
                list,
                else_list,
            },
            _ => Node::With {
                pipe,
                list,
                else_list,
            },
        })
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> ParseResult<Pipe> {
        let pos = self.peek_non_space().pos;
        let mut pipe = Pipe {
            pos,
            decl: Vec::new(),
            is_assign: false,
            cmds: Vec::new(),
        };
        loop {
            let v = self.peek_non_space();
            if v.kind != Kind::Variable {
                break;
            }
            let at_variable = self.i;
            self.next();
            let next = self.peek_non_space();
            match next.kind {
                Kind::Assign | Kind::Declare => {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    break;
                }
                Kind::Char if next.val == "," => {
                    self.next_non_space();
                    pipe.decl.push(v.val.clone());
                    self.vars.push(v.val);
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue,
                            _ => return self.error("range can only initialize variables"),
                        }
                    }
                    return self.error(format!("too many declarations in {context}"));
                }
                _ => {
                    self.i = at_variable;
                    break;
                }
            }
        }
        loop {
            let token = self.next_non_space();
            match token.kind {
                k if k == end => {
                    if pipe.cmds.is_empty() {
                        return self.error(format!("missing value for {context}"));
                    }
                    for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                        if matches!(
                            c.args.first(),
                            Some(
                                Arg::Bool(..)
                                    | Arg::Dot(_)
                                    | Arg::Nil(_)
                                    | Arg::Number(..)
                                    | Arg::Str(..)
                            )
                        ) {
                            return self.error(format!(
                                "non executable command in pipeline stage {}",
                                i + 1
                            ));
                        }
                    }
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn command(&mut self) -> ParseResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command {
            pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.kind {
                Kind::Space => {}
                Kind::RightDelim | Kind::RightParen => {
                    self.backup();
                    break;
                }
                Kind::Pipe => break,
                _ => return self.unexpected(&token, "operand"),
            }
        }
        if cmd.args.is_empty() {
            return self.error("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> ParseResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().kind != Kind::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields = Vec::new();
        while self.peek().kind == Kind::Field {
            let t = self.next();
            fields.push(t.val[1..].to_owned());
        }
        Ok(Some(match node {
            Arg::Field(_, mut names) => {
                names.extend(fields);
                Arg::Field(chain_pos, names)
            }
            Arg::Variable(_, name, mut names) => {
                names.extend(fields);
                Arg::Variable(chain_pos, name, names)
            }
            Arg::Bool(..) | Arg::Str(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.error(format!(
                    "unexpected . after term {}",
                    go_quote(&node.to_string())
                ));
            }
            other => Arg::Chain(chain_pos, Box::new(other), fields),
        }))
    }

    fn term(&mut self) -> ParseResult<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.kind {
            Kind::Identifier => {
                if !FUNCTIONS.contains(&token.val.as_str()) {
                    return self.error(format!("function {} not defined", go_quote(&token.val)));
                }
                Arg::Identifier(pos, token.val)
            }
            Kind::Dot => Arg::Dot(pos),
            Kind::Nil => Arg::Nil(pos),
            Kind::Variable => {
                if !self.vars.contains(&token.val) && token.val != "$" {
                    return self.error(format!("undefined variable {}", go_quote(&token.val)));
                }
                Arg::Variable(pos, token.val, Vec::new())
            }
            Kind::Field => Arg::Field(pos, vec![token.val[1..].to_owned()]),
            Kind::Bool => Arg::Bool(pos, token.val == "true"),
            Kind::CharConstant => {
                if parse_number(&token.val).is_none() {
                    let inner = &token.val[1..token.val.len() - 1];
                    let single = unescape(&inner.replace("\\'", "'"))
                        .is_some_and(|u| u.chars().count() != 1);
                    return self.error(if single {
                        format!("malformed character constant: {}", token.val)
                    } else {
                        "invalid syntax".to_owned()
                    });
                }
                Arg::Number(pos, token.val)
            }
            Kind::Number => {
                if parse_number(&token.val).is_none() {
                    return self.error(format!("illegal number syntax: {}", go_quote(&token.val)));
                }
                Arg::Number(pos, token.val)
            }
            Kind::LeftParen => {
                if self.depth >= MAX_DEPTH {
                    return self.error("max expression depth exceeded");
                }
                self.depth += 1;
                let pipe = self.pipeline("parenthesized pipeline", Kind::RightParen);
                self.depth -= 1;
                let pipe = pipe?;
                Arg::Pipe(pos, Box::new(pipe))
            }
            Kind::String | Kind::RawString => match unquote(&token.val) {
                Some(s) => Arg::Str(pos, token.val, s),
                None => return self.error("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

enum Parsed {
    Node(Node),
    End,
    Else,
}

/// `strconv.Unquote` for `"…"` and `` `…` `` literals.
fn unquote(s: &str) -> Option<String> {
    if let Some(raw) = s.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return Some(raw.replace('\r', ""));
    }
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    unescape(inner)
}

fn unescape(inner: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' | '"' | '\'' => out.push(e),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(n).collect();
                if hex.len() != n {
                    return None;
                }
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let code = u32::from_str_radix(&format!("{e}{rest}"), 8).ok()?;
                out.push(char::from_u32(code)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// A number literal's value: an integer when it reads as one (Go's `NumberNode.IsInt`), a
/// float when it has `.`, `e` or `p` (and is not hex), or a character constant.
fn parse_number(text: &str) -> Option<Value> {
    if let Some(ch) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        let s = unescape(&ch.replace("\\'", "'"))?;
        let mut it = s.chars();
        let c = it.next()?;
        return it
            .next()
            .is_none()
            .then_some(Value::Int(i64::from(c as u32)));
    }
    let clean = text.replace('_', "");
    let (neg, digits) = match clean.strip_prefix('-') {
        Some(d) => (true, d.to_owned()),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean).to_owned()),
    };
    let lower = digits.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        i128::from_str_radix(b, 2).ok()
    } else if lower.len() > 1 && lower.starts_with('0') && lower.bytes().all(|b| b.is_ascii_digit())
    {
        i128::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<i128>().ok()
    };
    if let Some(i) = int {
        let i = if neg { -i } else { i };
        if let Ok(v) = i64::try_from(i) {
            return Some(Value::Int(v));
        }
        if let Ok(v) = u64::try_from(i) {
            return Some(Value::Uint(v));
        }
    }
    if lower.starts_with("0x") || lower.ends_with('i') {
        return None;
    }
    let f: f64 = lower.parse().ok()?;
    Some(Value::Float(if neg { -f } else { f }))
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
            vars: vec![("$".to_owned(), data.clone())],
            out: String::new(),
            node: (0, String::new()),
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
            vars: vec![("$".to_owned(), header.clone())],
            out: String::new(),
            node: (0, String::new()),
            header: true,
            strict: false,
            budget: Budget::default(),
        };
        let _ = state.walk_list(header, &self.nodes);
        state.out
    }
}

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
    if !template.is_table() {
        return Ok(body);
    }
    let mut text = template.execute_header(header);
    text.push('\n');
    text.push_str(&body);
    Ok(tabulate(&text))
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

// ---------------------------------------------------------------------------------------------
// Execution

enum Flow {
    Normal,
    Break,
    Continue,
}

/// Parameter types of template functions, for Go's argument checks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Param {
    Any,
    Str,
    Int,
    StrList,
}

impl Param {
    fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Str => "string",
            Param::Int => "int",
            Param::StrList => "[]string",
        }
    }
}

struct State<'t> {
    text: &'t str,
    vars: Vec<(String, Value)>,
    out: String,
    /// The node Go's `s.at(node)` last pointed at: position and text.
    node: (usize, String),
    header: bool,
    /// `Option("missingkey=error")`: a missing map key is an error, not `<no value>`.
    strict: bool,
    /// What this execution has used of docklab's limits (see [`budget`]).
    budget: Budget,
}

type ExecResult<T> = Result<T, TemplateError>;

impl State<'_> {
    fn at(&mut self, pos: usize, text: impl std::fmt::Display) {
        self.node = (pos, text.to_string());
    }

    fn fail<T>(&self, message: impl Into<String>) -> ExecResult<T> {
        let (pos, context) = &self.node;
        let before = self.text.get(..*pos).unwrap_or(self.text);
        let line = 1 + before.matches('\n').count();
        let column = match before.rfind('\n') {
            Some(i) => pos - i - 1,
            None => *pos,
        };
        Err(TemplateError::Exec {
            line,
            column,
            context: context.clone(),
            message: message.into(),
        })
    }

    /// Counts `bytes` of values produced or copied against the execution's budget.
    fn spend(&mut self, bytes: usize) -> ExecResult<()> {
        match self.budget.spend(bytes) {
            Ok(()) => Ok(()),
            Err(message) => self.fail(message),
        }
    }

    /// Appends to the output, which may not pass [`MAX_OUTPUT`].
    fn emit(&mut self, text: &str) -> ExecResult<()> {
        if self.out.len().saturating_add(text.len()) > MAX_OUTPUT {
            return self.fail(budget::output_too_long());
        }
        self.spend(text.len())?;
        self.out.push_str(text);
        Ok(())
    }

    fn walk_list(&mut self, dot: &Value, nodes: &[Node]) -> ExecResult<Flow> {
        for node in nodes {
            match self.walk(dot, node)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &Node) -> ExecResult<Flow> {
        match node {
            Node::Text(t) => self.emit(t)?,
            Node::Action { pos, pipe } => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at(*pos, format!("{{{{{pipe}}}}}"));
                    let text = print_top(&v);
                    self.emit(&text)?;
                }
            }
            Node::If {
                pipe,
                list,
                else_list,
            }
            | Node::With {
                pipe,
                list,
                else_list,
            } => {
                let mark = self.vars.len();
                let v = self.eval_pipeline(dot, pipe)?;
                let flow = if v.is_true() {
                    if matches!(node, Node::With { .. }) {
                        self.walk_list(&v, list)?
                    } else {
                        self.walk_list(dot, list)?
                    }
                } else {
                    self.walk_list(dot, else_list)?
                };
                self.vars.truncate(mark);
                return Ok(flow);
            }
            Node::Range {
                pipe,
                list,
                else_list,
            } => {
                let mark = self.vars.len();
                let v = self.eval_pipeline_no_decl(dot, pipe)?;
                // Lazy: `range N` allocates nothing, however large N is.
                let items: Box<dyn Iterator<Item = (Value, Value)>> = match v {
                    Value::List(items) => Box::new(
                        items
                            .into_iter()
                            .enumerate()
                            .map(|(i, e)| (Value::Int(i as i64), e)),
                    ),
                    Value::Map(mut entries) => {
                        entries.sort_by(|a, b| a.0.cmp(&b.0));
                        Box::new(entries.into_iter().map(|(k, e)| (Value::String(k), e)))
                    }
                    Value::Int(n) => {
                        if pipe.decl.len() > 1 {
                            return self.fail(format!(
                                "can't use {n} to iterate over more than one variable"
                            ));
                        }
                        Box::new((0..n).map(|i| (Value::Int(i), Value::Int(i))))
                    }
                    Value::NoValue | Value::Nil | Value::NilSlice | Value::NilMap => {
                        Box::new(std::iter::empty())
                    }
                    other => {
                        return self.fail(format!(
                            "range can't iterate over {}",
                            fmt_value(&other, 'v')
                        ));
                    }
                };
                let mut items = items.peekable();
                if items.peek().is_none() {
                    let flow = self.walk_list(dot, else_list)?;
                    self.vars.truncate(mark);
                    return Ok(flow);
                }
                let range_node = self.node.clone();
                for (key, elem) in items {
                    self.node.clone_from(&range_node);
                    if let Err(message) = self.budget.iterate() {
                        return self.fail(message);
                    }
                    if !pipe.decl.is_empty() {
                        self.spend(weight(&elem))?;
                    }
                    let inner = self.vars.len();
                    match pipe.decl.as_slice() {
                        [] => {}
                        [e] => self.set_or_push(e, elem.clone(), pipe.is_assign),
                        [k, e, ..] => {
                            self.set_or_push(k, key, pipe.is_assign);
                            self.set_or_push(e, elem.clone(), pipe.is_assign);
                        }
                    }
                    let flow = self.walk_list(&elem, list)?;
                    self.vars.truncate(inner);
                    if let Flow::Break = flow {
                        break;
                    }
                }
                self.vars.truncate(mark);
            }
            Node::Template { pos, name, pipe } => {
                let text = match pipe {
                    Some(p) => format!("{{{{template {} {p}}}}}", go_quote(name)),
                    None => format!("{{{{template {}}}}}", go_quote(name)),
                };
                self.at(*pos, text);
                return self.fail(format!("template {} not defined", go_quote(name)));
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn set_or_push(&mut self, name: &str, v: Value, assign: bool) {
        if assign {
            if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                slot.1 = v;
                return;
            }
        }
        self.vars.push((name.to_owned(), v));
    }

    fn eval_pipeline(&mut self, dot: &Value, pipe: &Pipe) -> ExecResult<Value> {
        let v = self.eval_pipeline_no_decl(dot, pipe)?;
        for name in &pipe.decl {
            self.set_or_push(name, v.clone(), pipe.is_assign);
        }
        Ok(v)
    }

    /// `evalPipeline` without binding the declared variables (range binds per element).
    fn eval_pipeline_no_decl(&mut self, dot: &Value, pipe: &Pipe) -> ExecResult<Value> {
        self.at(pipe.pos, pipe);
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // An interface{} holding nil is dug out to an invalid value.
            value = Some(if v == Value::Nil { Value::NoValue } else { v });
        }
        Ok(value.unwrap_or(Value::NoValue))
    }

    fn eval_command(
        &mut self,
        dot: &Value,
        cmd: &Command,
        last: Option<Value>,
    ) -> ExecResult<Value> {
        let Some(first) = cmd.args.first() else {
            return Ok(Value::NoValue);
        };
        match first {
            Arg::Field(pos, names) => {
                self.at(*pos, first);
                self.eval_field_chain(dot, dot, names, &cmd.args, last.as_ref())
            }
            Arg::Chain(pos, node, names) => {
                let receiver = self.eval_arg_value(dot, node)?;
                self.at(*pos, first);
                self.eval_field_chain(dot, &receiver, names, &cmd.args, last.as_ref())
            }
            Arg::Variable(pos, name, names) => {
                self.at(*pos, first);
                let v = self.var(name)?;
                if names.is_empty() {
                    self.not_a_function(&cmd.args, last.as_ref())?;
                    return Ok(v);
                }
                self.eval_field_chain(dot, &v, names, &cmd.args, last.as_ref())
            }
            Arg::Identifier(pos, name) => {
                self.at(*pos, first);
                self.call(dot, name, cmd, last)
            }
            Arg::Pipe(_, pipe) => {
                self.not_a_function(&cmd.args, last.as_ref())?;
                let mark = self.vars.len();
                let v = self.eval_pipeline(dot, pipe);
                self.vars.truncate(mark);
                v
            }
            Arg::Nil(pos) => {
                self.at(*pos, first);
                self.fail("nil is not a command")
            }
            Arg::Dot(pos) | Arg::Bool(pos, _) | Arg::Number(pos, _) | Arg::Str(pos, _, _) => {
                self.at(*pos, first);
                self.not_a_function(&cmd.args, last.as_ref())?;
                if matches!(first, Arg::Dot(_)) {
                    return self.copy(dot);
                }
                Ok(Self::literal(dot, first))
            }
        }
    }

    fn not_a_function(&self, args: &[Arg], last: Option<&Value>) -> ExecResult<()> {
        if args.len() > 1 || last.is_some() {
            return self.fail(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn literal(dot: &Value, arg: &Arg) -> Value {
        match arg {
            Arg::Dot(_) => dot.clone(),
            Arg::Bool(_, b) => Value::Bool(*b),
            Arg::Number(_, text) => parse_number(text).unwrap_or(Value::NoValue),
            Arg::Str(_, _, s) => Value::String(s.clone()),
            _ => Value::NoValue,
        }
    }

    /// A copy of `v`, counted against the budget.
    fn copy(&mut self, v: &Value) -> ExecResult<Value> {
        self.spend(weight(v))?;
        Ok(v.clone())
    }

    /// A variable's value: a copy, counted against the budget.
    fn var(&mut self, name: &str) -> ExecResult<Value> {
        let v = self
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or(Value::NoValue, |(_, v)| v.clone());
        self.spend(weight(&v))?;
        Ok(v)
    }

    /// An argument's value, whatever its kind (`evalEmptyInterface`).
    fn eval_arg_value(&mut self, dot: &Value, arg: &Arg) -> ExecResult<Value> {
        self.at(arg.pos(), arg);
        match arg {
            Arg::Field(_, names) => self.eval_field_chain(dot, dot, names, &[], None),
            Arg::Dot(_) => self.copy(dot),
            Arg::Variable(_, name, names) => {
                let v = self.var(name)?;
                if names.is_empty() {
                    Ok(v)
                } else {
                    self.eval_field_chain(dot, &v, names, &[], None)
                }
            }
            Arg::Chain(_, node, names) => {
                let receiver = self.eval_arg_value(dot, node)?;
                self.at(arg.pos(), arg);
                self.eval_field_chain(dot, &receiver, names, &[], None)
            }
            Arg::Pipe(_, pipe) => {
                let mark = self.vars.len();
                let v = self.eval_pipeline(dot, pipe);
                self.vars.truncate(mark);
                v
            }
            Arg::Identifier(_, name) => {
                let cmd = Command {
                    pos: arg.pos(),
                    args: vec![arg.clone()],
                };
                self.call(dot, name, &cmd, None)
            }
            Arg::Nil(_) => Ok(Value::Nil),
            _ => Ok(Self::literal(dot, arg)),
        }
    }

    /// `evalArg`: an argument checked against the function's parameter type.
    fn eval_typed_arg(&mut self, dot: &Value, arg: &Arg, param: Param) -> ExecResult<Value> {
        self.at(arg.pos(), arg);
        match (arg, param) {
            (Arg::Nil(_), Param::Any | Param::StrList) => return Ok(Value::Nil),
            (Arg::Nil(_), _) => {
                return self.fail(format!("cannot assign nil to {}", param.go_name()))
            }
            (Arg::Bool(..) | Arg::Number(..) | Arg::Str(..), Param::Str) => {
                return match arg {
                    Arg::Str(_, _, s) => Ok(Value::String(s.clone())),
                    _ => self.fail(format!("expected string; found {arg}")),
                };
            }
            (Arg::Bool(..) | Arg::Number(..) | Arg::Str(..), Param::Int) => {
                return match parse_number(&arg.to_string()) {
                    Some(Value::Int(i)) if matches!(arg, Arg::Number(..)) => Ok(Value::Int(i)),
                    _ => self.fail(format!("expected integer; found {arg}")),
                };
            }
            (Arg::Bool(..) | Arg::Number(..) | Arg::Str(..), Param::StrList) => {
                return self.fail(format!("can't handle {arg} for arg of type []string"));
            }
            _ => {}
        }
        let v = self.eval_arg_value(dot, arg)?;
        self.at(arg.pos(), arg);
        self.validate(v, param)
    }

    /// `validateType`.
    fn validate(&self, v: Value, param: Param) -> ExecResult<Value> {
        let ok = match (&v, param) {
            (Value::NoValue, Param::StrList) => return Ok(Value::NilSlice),
            (Value::NoValue, Param::Str | Param::Int) => {
                return self.fail(format!("invalid value; expected {}", param.go_name()));
            }
            (_, Param::Any)
            | (Value::String(_), Param::Str)
            | (Value::Int(_), Param::Int)
            | (Value::NilSlice, Param::StrList) => true,
            (Value::List(items), Param::StrList) => {
                items.iter().all(|i| matches!(i, Value::String(_)))
            }
            _ => false,
        };
        if ok {
            Ok(v)
        } else {
            self.fail(format!(
                "wrong type for value; expected {}; got {}",
                param.go_name(),
                v.type_name()
            ))
        }
    }

    /// Looks `names` up in turn from `receiver` (borrowed: only the values found are
    /// copied, and counted).
    fn eval_field_chain(
        &mut self,
        _dot: &Value,
        receiver: &Value,
        names: &[String],
        args: &[Arg],
        last: Option<&Value>,
    ) -> ExecResult<Value> {
        let mut found: Option<Value> = None;
        for (i, name) in names.iter().enumerate() {
            let is_last = i + 1 == names.len();
            let n_args = if is_last {
                args.len().saturating_sub(1) + usize::from(last.is_some())
            } else {
                0
            };
            let next = self.eval_field(found.as_ref().unwrap_or(receiver), name, n_args)?;
            self.spend(weight(&next))?;
            found = Some(next);
        }
        match found {
            Some(v) => Ok(v),
            None => self.copy(receiver),
        }
    }

    fn eval_field(&self, receiver: &Value, name: &str, n_args: usize) -> ExecResult<Value> {
        let lookup = |fields: &[(String, Value)]| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        match receiver {
            Value::NoValue => Ok(Value::NoValue),
            Value::Nil => self.fail(format!("nil pointer evaluating interface {{}}.{name}")),
            Value::NilPointer => self.fail(format!(
                "nil pointer evaluating {}.{name}",
                receiver.type_name()
            )),
            Value::Context { type_name, fields } => match lookup(fields) {
                Some(_) if n_args > 0 => self.fail(format!(
                    "wrong number of args for {name}: want 0 got {n_args}"
                )),
                Some(v) => Ok(v),
                None => self.fail(format!("can't evaluate field {name} in type {type_name}")),
            },
            Value::Struct { type_name, fields } => match lookup(fields) {
                Some(_) if n_args > 0 => self.fail(format!(
                    "{name} has arguments but cannot be invoked as function"
                )),
                Some(v) => Ok(v),
                None => self.fail(format!("can't evaluate field {name} in type {type_name}")),
            },
            Value::Map(entries) => {
                if n_args > 0 {
                    return self.fail(format!("{name} is not a method but has arguments"));
                }
                match lookup(entries) {
                    Some(v) => Ok(v),
                    None if self.strict => self.fail(format!("map has no entry for key {name:?}")),
                    None => Ok(Value::NoValue),
                }
            }
            Value::NilMap => {
                if n_args > 0 {
                    return self.fail(format!("{name} is not a method but has arguments"));
                }
                if self.strict {
                    return self.fail(format!("map has no entry for key {name:?}"));
                }
                Ok(Value::NoValue)
            }
            other => self.fail(format!(
                "can't evaluate field {name} in type {}",
                other.type_name()
            )),
        }
    }

    /// Calls a template function: `cmd.args[0]` is its name; `last` is the previous pipeline
    /// stage's value, passed as the final argument.
    fn call(
        &mut self,
        dot: &Value,
        name: &str,
        cmd: &Command,
        last: Option<Value>,
    ) -> ExecResult<Value> {
        let id_pos = cmd.args[0].pos();
        let args = &cmd.args[1..];
        let n = args.len() + usize::from(last.is_some());
        let header = self.header;
        // (fixed parameters, variadic parameter)
        let (params, variadic): (&[Param], Option<Param>) = match name {
            "json" | "title" | "lower" | "upper" if header => (&[Param::Str], None),
            "split" | "join" if header => (&[Param::Str, Param::Str], None),
            "truncate" if header => (&[Param::Str, Param::Int], None),
            "json" | "not" | "len" => (&[Param::Any], None),
            "split" => (&[Param::Str, Param::Str], None),
            "join" => (&[Param::StrList, Param::Str], None),
            "title" | "lower" | "upper" => (&[Param::Str], None),
            "pad" => (&[Param::Str, Param::Int, Param::Int], None),
            "truncate" => (&[Param::Str, Param::Int], None),
            "and" | "or" | "index" | "eq" => (&[Param::Any], Some(Param::Any)),
            "ne" | "lt" | "le" | "gt" | "ge" => (&[Param::Any, Param::Any], None),
            "printf" => (&[Param::Str], Some(Param::Any)),
            _ => (&[], Some(Param::Any)), // print, println, html, js, urlquery
        };
        if variadic.is_some() {
            if n < params.len() {
                return self.fail(format!(
                    "wrong number of args for {name}: want at least {} got {n}",
                    params.len()
                ));
            }
        } else if n != params.len() {
            return self.fail(format!(
                "wrong number of args for {name}: want {} got {n}",
                params.len()
            ));
        }
        let param_at = |i: usize| params.get(i).copied().or(variadic).unwrap_or(Param::Any);

        // `and` and `or` evaluate lazily (Go 1.18).
        if name == "and" || name == "or" {
            let mut v = Value::NoValue;
            for (i, arg) in args.iter().enumerate() {
                v = self.eval_typed_arg(dot, arg, param_at(i))?;
                if v.is_true() != (name == "and") {
                    return Ok(v);
                }
            }
            if let Some(l) = last {
                v = l;
            }
            return Ok(v);
        }

        let mut values = Vec::with_capacity(n);
        for (i, arg) in args.iter().enumerate() {
            values.push(self.eval_typed_arg(dot, arg, param_at(i))?);
        }
        if let Some(l) = last {
            self.at(id_pos, &cmd.args[0]);
            let v = self.validate(l, param_at(values.len()))?;
            values.push(v);
        }
        self.at(cmd.pos, cmd);
        let result = self.builtin(name, &values).and_then(|v| match &v {
            Value::String(s) if s.len() > MAX_STRING => Err(too_long(s.len())),
            _ => Ok(v),
        });
        match result {
            Ok(v) => {
                self.spend(weight(&v))?;
                Ok(v)
            }
            Err(message) => self.fail(format!("error calling {name}: {message}")),
        }
    }

    fn builtin(&mut self, name: &str, a: &[Value]) -> Result<Value, String> {
        let s = |i: usize| match a.get(i) {
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        let int = |i: usize| match a.get(i) {
            Some(Value::Int(v)) => *v,
            _ => 0,
        };
        Ok(match name {
            _ if self.header
                && matches!(
                    name,
                    "json" | "split" | "join" | "title" | "lower" | "upper" | "truncate"
                ) =>
            {
                Value::String(s(0))
            }
            "json" => Value::String(json_encode(a.first().unwrap_or(&Value::NoValue), false)?),
            "split" => {
                let (text, sep) = (s(0), s(1));
                // Counted before the parts exist: one character per part can be many values.
                let count = if sep.is_empty() {
                    text.chars().count()
                } else {
                    text.matches(sep.as_str()).count() + 1
                };
                self.budget
                    .spend(count.saturating_mul(std::mem::size_of::<Value>()))?;
                let parts: Vec<Value> = if sep.is_empty() {
                    text.chars().map(|c| Value::String(c.to_string())).collect()
                } else {
                    text.split(sep.as_str())
                        .map(|p| Value::String(p.to_owned()))
                        .collect()
                };
                Value::List(parts)
            }
            "join" => {
                let sep = s(1);
                let items: Vec<String> = match a.first() {
                    Some(Value::List(items)) => items
                        .iter()
                        .map(|i| match i {
                            Value::String(s) => s.clone(),
                            other => fmt_value(other, 'v'),
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let len = items.iter().fold(
                    sep.len().saturating_mul(items.len().saturating_sub(1)),
                    |acc, i| acc.saturating_add(i.len()),
                );
                if len > MAX_STRING {
                    return Err(too_long(len));
                }
                Value::String(items.join(&sep))
            }
            "title" => Value::String(go_title(&s(0))),
            "lower" => Value::String(go_lower(&s(0))),
            "upper" => Value::String(go_upper(&s(0))),
            "pad" => {
                let text = s(0);
                if text.is_empty() {
                    Value::String(text)
                } else {
                    let (pre, suf) = (int(1), int(2));
                    if pre < 0 || suf < 0 {
                        return Err("strings: negative Repeat count".into());
                    }
                    let len = usize::try_from(pre.saturating_add(suf))
                        .unwrap_or(usize::MAX)
                        .saturating_add(text.len());
                    if len > MAX_STRING {
                        return Err(too_long(len));
                    }
                    let spaces = |n: i64| " ".repeat(usize::try_from(n).unwrap_or(0));
                    Value::String(format!("{}{text}{}", spaces(pre), spaces(suf)))
                }
            }
            "truncate" => {
                let (text, n) = (s(0), int(1));
                let len = text.len() as i64;
                if len < n {
                    Value::String(text)
                } else if n < 0 {
                    return Err(format!("runtime error: slice bounds out of range [:{n}]"));
                } else {
                    let bytes = &text.as_bytes()[..usize::try_from(n).unwrap_or(0)];
                    Value::String(String::from_utf8_lossy(bytes).into_owned())
                }
            }
            "not" => Value::Bool(!a.first().is_some_and(Value::is_true)),
            "len" => match a.first() {
                Some(Value::String(s)) => Value::Int(s.len() as i64),
                Some(Value::List(l)) => Value::Int(l.len() as i64),
                Some(Value::Map(m)) => Value::Int(m.len() as i64),
                Some(Value::NilSlice | Value::NilMap) => Value::Int(0),
                Some(Value::NoValue | Value::Nil) | None => return Err("len of nil pointer".into()),
                Some(other) => return Err(format!("len of type {}", other.type_name())),
            },
            "index" => {
                let mut item = a.first().cloned().unwrap_or(Value::NoValue);
                for key in a.iter().skip(1) {
                    item = index_one(&item, key)?;
                }
                item
            }
            "eq" => {
                let first = a.first().unwrap_or(&Value::NoValue);
                if a.len() < 2 {
                    return Err("missing argument for comparison".into());
                }
                Value::Bool(
                    a[1..]
                        .iter()
                        .map(|other| go_eq(first, other))
                        .collect::<Result<Vec<_>, _>>()?
                        .contains(&true),
                )
            }
            "ne" => Value::Bool(!go_eq(&a[0], &a[1])?),
            "lt" | "le" | "gt" | "ge" => {
                let ord = go_less(&a[0], &a[1])?;
                Value::Bool(match name {
                    "lt" => ord == std::cmp::Ordering::Less,
                    "le" => ord != std::cmp::Ordering::Greater,
                    "gt" => ord == std::cmp::Ordering::Greater,
                    _ => ord != std::cmp::Ordering::Less,
                })
            }
            "print" => Value::String(go_sprint(a)),
            "println" => Value::String(go_sprintln(a)),
            "printf" => Value::String(go_sprintf(&s(0), &a[1..])?),
            "html" => Value::String(html_escape(&go_eval_args(a))),
            "js" => Value::String(js_escape(&go_eval_args(a))),
            "urlquery" => Value::String(url_query_escape(&go_eval_args(a))),
            _ => Value::NoValue,
        })
    }
}

/// Go checks `x > len` itself; `x == len` gets through to reflect, which panics.
fn out_of_range(i: i64, len: usize, what: &str) -> String {
    if usize::try_from(i).is_ok_and(|i| i == len) {
        format!("reflect: {what} index out of range")
    } else {
        format!("index out of range: {i}")
    }
}

fn index_one(item: &Value, key: &Value) -> Result<Value, String> {
    match item {
        Value::List(items) => {
            let i = match key {
                Value::Int(i) => *i,
                Value::Uint(u) => i64::try_from(*u).unwrap_or(i64::MAX),
                Value::NoValue | Value::Nil => {
                    return Err("cannot index slice/array with nil".into())
                }
                other => {
                    return Err(format!(
                        "cannot index slice/array with type {}",
                        other.type_name()
                    ))
                }
            };
            if i < 0 {
                return Err(format!("index out of range: {i}"));
            }
            usize::try_from(i)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| out_of_range(i, items.len(), "slice"))
        }
        Value::NilSlice => Err(format!("index out of range: {}", fmt_value(key, 'v'))),
        Value::String(s) => {
            let Value::Int(i) = key else {
                return Err(format!(
                    "cannot index slice/array with type {}",
                    key.type_name()
                ));
            };
            if *i < 0 {
                return Err(format!("index out of range: {i}"));
            }
            usize::try_from(*i)
                .ok()
                .and_then(|i| s.as_bytes().get(i))
                .map(|b| Value::Uint(u64::from(*b)))
                .ok_or_else(|| out_of_range(*i, s.len(), "string"))
        }
        Value::Map(entries) => match key {
            Value::String(k) => Ok(entries
                .iter()
                .find(|(n, _)| n == k)
                .map_or(Value::NoValue, |(_, v)| v.clone())),
            Value::NoValue | Value::Nil => Err("value is nil; should be of type string".into()),
            other => Err(format!(
                "value has type {}; should be string",
                other.type_name()
            )),
        },
        Value::NilMap => Ok(Value::NoValue),
        Value::NoValue | Value::Nil => Err("index of untyped nil".into()),
        Value::NilPointer => Err("index of nil pointer".into()),
        other => Err(format!("can't index item of type {}", other.type_name())),
    }
}

/// Go's `eq` for one pair: basic kinds compare by value (signed against unsigned allowed); a
/// missing value is unequal to anything but another missing value.
fn go_eq(x: &Value, y: &Value) -> Result<bool, String> {
    let nil = |v: &Value| matches!(v, Value::NoValue | Value::Nil);
    if nil(x) || nil(y) {
        return Ok(nil(x) && nil(y));
    }
    Ok(match (x, y) {
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Int(_) | Value::Uint(_), Value::Int(_) | Value::Uint(_)) => {
            int_value(x) == int_value(y)
        }
        (a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => {
            return Err(format!(
                "non-comparable type {}: {}",
                fmt_value(a, 'v'),
                a.type_name()
            ));
        }
        _ => return Err("incompatible types for comparison".into()),
    })
}

fn int_value(v: &Value) -> i128 {
    match v {
        Value::Int(i) => i128::from(*i),
        Value::Uint(u) => i128::from(*u),
        _ => 0,
    }
}

/// Go's `lt` ordering: both operands of a basic kind, of the same kind (signed and unsigned
/// integers mix), and not booleans.
fn go_less(x: &Value, y: &Value) -> Result<std::cmp::Ordering, String> {
    #[derive(PartialEq)]
    enum K {
        Bool,
        Int,
        Uint,
        Float,
        Str,
    }
    let kind = |v: &Value| match v {
        Value::Bool(_) => Ok(K::Bool),
        Value::Int(_) => Ok(K::Int),
        Value::Uint(_) => Ok(K::Uint),
        Value::Float(_) => Ok(K::Float),
        Value::String(_) => Ok(K::Str),
        _ => Err("invalid type for comparison".to_owned()),
    };
    let (kx, ky) = (kind(x)?, kind(y)?);
    let ints = |k: &K| matches!(k, K::Int | K::Uint);
    if kx != ky && !(ints(&kx) && ints(&ky)) {
        return Err("incompatible types for comparison".into());
    }
    Ok(match (x, y) {
        (Value::Float(a), Value::Float(b)) => a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Less),
        (Value::String(a), Value::String(b)) => a.cmp(b),
        (Value::Int(_) | Value::Uint(_), Value::Int(_) | Value::Uint(_)) => {
            int_value(x).cmp(&int_value(y))
        }
        _ => return Err("invalid type for comparison".into()),
    })
}

/// `strings.ToUpper`: Go maps rune by rune (simple case mapping), so `ß` stays `ß`.
fn go_upper(s: &str) -> String {
    s.chars()
        .map(|c| simple_case(c, c.to_uppercase()))
        .collect()
}

/// `strings.ToLower`, rune by rune (`İ` becomes `i`, not `i̇`).
fn go_lower(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\u{130}' {
                'i'
            } else {
                simple_case(c, c.to_lowercase())
            }
        })
        .collect()
}

/// `unicode.ToTitle`: the upper case, except for the four digraphs that have a title case.
fn go_to_title(c: char) -> char {
    match c {
        '\u{1c4}'..='\u{1c6}' => '\u{1c5}',
        '\u{1c7}'..='\u{1c9}' => '\u{1c8}',
        '\u{1ca}'..='\u{1cc}' => '\u{1cb}',
        '\u{1f1}'..='\u{1f3}' => '\u{1f2}',
        c => simple_case(c, c.to_uppercase()),
    }
}

fn simple_case(c: char, mut mapped: impl Iterator<Item = char>) -> char {
    match (mapped.next(), mapped.next()) {
        (Some(m), None) => m,
        _ => c,
    }
}

/// `strings.Title`: upper-cases the first letter of each word.
fn go_title(s: &str) -> String {
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else if c.is_alphanumeric() {
            false
        } else {
            c.is_whitespace()
        }
    };
    let mut prev = ' ';
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_separator(prev) {
            out.push(go_to_title(c));
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Go's value printing and encoding

/// What an action prints: `<no value>` for an invalid value, else `fmt.Print`.
fn print_top(v: &Value) -> String {
    match v {
        Value::NoValue | Value::Nil => "<no value>".into(),
        other => fmt_value(other, 'v'),
    }
}

/// `fmt`'s `%v` (and `%s`, `%d`… on composites, applied to each element).
fn fmt_value(v: &Value, verb: char) -> String {
    match v {
        Value::NoValue | Value::Nil | Value::NilPointer => {
            if verb == 'v' {
                "<nil>".into()
            } else {
                format!("%!{verb}(<nil>)")
            }
        }
        Value::NilSlice => "[]".into(),
        Value::NilMap => "map[]".into(),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| fmt_value(i, verb)).collect();
            format!("[{}]", parts.join(" "))
        }
        Value::Map(entries) => {
            let mut entries: Vec<&(String, Value)> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}:{}",
                        fmt_scalar(&Value::String(k.clone()), verb),
                        fmt_value(v, verb)
                    )
                })
                .collect();
            format!("map[{}]", parts.join(" "))
        }
        Value::Struct { fields, .. } | Value::Context { fields, .. } => {
            let parts: Vec<String> = fields.iter().map(|(_, v)| fmt_value(v, verb)).collect();
            format!("{{{}}}", parts.join(" "))
        }
        scalar => fmt_scalar(scalar, verb),
    }
}

fn fmt_scalar(v: &Value, verb: char) -> String {
    let bad = || format!("%!{verb}({}={})", v.type_name(), fmt_value(v, 'v'));
    match (v, verb) {
        (Value::String(s), 'v' | 's') => s.clone(),
        (Value::String(s), 'q') => go_quote(s),
        (Value::String(s), 'x') => s.bytes().fold(String::new(), |mut o, b| {
            let _ = write!(o, "{b:02x}");
            o
        }),
        (Value::String(s), 'X') => s.bytes().fold(String::new(), |mut o, b| {
            let _ = write!(o, "{b:02X}");
            o
        }),
        (Value::Bool(b), 'v' | 't') => b.to_string(),
        (Value::Int(i), 'v' | 'd') => i.to_string(),
        (Value::Uint(u), 'v' | 'd') => u.to_string(),
        (Value::Int(i), 'x') => format!("{}{:x}", if *i < 0 { "-" } else { "" }, i.unsigned_abs()),
        (Value::Uint(u), 'x') => format!("{u:x}"),
        (Value::Int(i), 'X') => format!("{}{:X}", if *i < 0 { "-" } else { "" }, i.unsigned_abs()),
        (Value::Uint(u), 'X') => format!("{u:X}"),
        (Value::Int(i), 'c') => u32::try_from(*i)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(bad, String::from),
        (Value::Int(i), 'q') => u32::try_from(*i)
            .ok()
            .and_then(char::from_u32)
            .map_or_else(bad, |c| format!("'{c}'")),
        (Value::Float(f), 'v' | 'g') => super::units::go_format_g(*f, None),
        (Value::Float(f), 'f' | 'F') => format!("{f:.6}"),
        (Value::Float(f), 'e') => go_exp(*f, 6),
        _ => bad(),
    }
}

/// `fmt.Sprint`: a space between operands when neither is a string.
fn go_sprint(a: &[Value]) -> String {
    let mut out = String::new();
    for (i, v) in a.iter().enumerate() {
        let is_str = |v: &Value| matches!(v, Value::String(_));
        if i > 0 && !is_str(v) && !is_str(&a[i - 1]) {
            out.push(' ');
        }
        out.push_str(&fmt_value(v, 'v'));
    }
    out
}

/// `fmt.Sprintln`: spaces between all operands, then a newline.
fn go_sprintln(a: &[Value]) -> String {
    let parts: Vec<String> = a.iter().map(|v| fmt_value(v, 'v')).collect();
    format!("{}\n", parts.join(" "))
}

/// `text/template`'s `evalArgs` for html/js/urlquery: one string as is, else `fmt.Sprint`.
fn go_eval_args(a: &[Value]) -> String {
    match a {
        [Value::String(s)] => s.clone(),
        _ => go_sprint(a),
    }
}

fn html_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn url_query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Go's `encoding/json` as docker/cli's `json` function runs it (`SetEscapeHTML(false)`, then
/// the trailing newline trimmed). A formatter context marshals itself through `json.Marshal`
/// of a map, so its keys are sorted and `<`, `>`, `&` escaped.
pub fn json_encode(v: &Value, escape_html: bool) -> Result<String, String> {
    let mut out = String::new();
    encode_into(&mut out, v, escape_html)?;
    Ok(out)
}

fn encode_into(out: &mut String, v: &Value, escape_html: bool) -> Result<(), String> {
    match v {
        Value::NoValue | Value::Nil | Value::NilPointer | Value::NilSlice | Value::NilMap => {
            out.push_str("null");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Uint(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(&json_float(*f)?),
        Value::String(s) => json_string(out, s, escape_html),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_into(out, item, escape_html)?;
            }
            out.push(']');
        }
        Value::Map(entries) => {
            let mut entries: Vec<&(String, Value)> = entries.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            encode_object(out, entries.into_iter(), escape_html)?;
        }
        Value::Struct { fields, .. } => encode_object(out, fields.iter(), escape_html)?,
        Value::Context { fields, .. } => {
            let mut entries: Vec<&(String, Value)> = fields.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            encode_object(out, entries.into_iter(), true)?;
        }
    }
    Ok(())
}

fn encode_object<'a>(
    out: &mut String,
    entries: impl Iterator<Item = &'a (String, Value)>,
    escape_html: bool,
) -> Result<(), String> {
    out.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, k, escape_html);
        out.push(':');
        encode_into(out, v, escape_html)?;
    }
    out.push('}');
    Ok(())
}

/// encoding/json's float64: shortest form, `%f` style between 1e-6 and 1e21, exponent form
/// outside with a one-digit negative exponent kept short (`1e-7`).
fn json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!(
            "json: unsupported value: {}",
            super::units::go_format_g(f, None)
        ));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = e.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return Ok(format!("{m}e{sign}{:02}", exp.abs()).replace("e-0", "e-"));
    }
    // Rust's Display for f64 is the shortest round-trip digits without exponent.
    Ok(format!("{f}"))
}

use crate::docker::json::string_with as json_string;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The three rows of `docker context ls` in the session where the expectations were
    /// captured with the real 28.2.2 client (`DOCKER_CONFIG` pointing at a scratch directory).
    fn contexts() -> Vec<Value> {
        let rows = [
            json!({"Name": "a-very-long-context-name", "Description": "", "DockerEndpoint": "tcp://1.2.3.4:2375", "Current": false, "Error": ""}),
            json!({"Name": "c1", "Description": "<a&b> é日本", "DockerEndpoint": "unix:///x", "Current": false, "Error": ""}),
            json!({"Name": "default", "Description": "Current DOCKER_HOST based configuration", "DockerEndpoint": "unix:///var/run/docker.sock", "Current": true, "Error": ""}),
        ];
        rows.iter()
            .map(|r| Value::context("*formatter.clientContextContext", r))
            .collect()
    }

    fn context_header() -> Value {
        Value::from_json(
            &json!({"Name": "NAME", "Description": "DESCRIPTION", "DockerEndpoint": "DOCKER ENDPOINT", "Error": "ERROR"}),
        )
    }

    fn render_contexts(format: &str) -> Result<String, TemplateError> {
        let t = Template::parse(format)?;
        render(&t, &context_header(), &contexts())
    }

    #[test]
    fn tables_match_docker_context_ls() {
        let cases: &[(&str, &str)] = &[
            (
                "table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}",
                "NAME                       DESCRIPTION                               DOCKER ENDPOINT               ERROR\n\
                 a-very-long-context-name                                             tcp://1.2.3.4:2375            \n\
                 c1                         <a&b> é日本                               unix:///x                     \n\
                 default *                  Current DOCKER_HOST based configuration   unix:///var/run/docker.sock   \n",
            ),
            (
                "table {{.Name}}\\t{{.Error}}\\t",
                "NAME                       ERROR     \n\
                 a-very-long-context-name             \n\
                 c1                                   \n\
                 default                              \n",
            ),
            (
                "table {{.Name}}\\t\\t{{.Error}}",
                "NAME                                 ERROR\n\
                 a-very-long-context-name             \n\
                 c1                                   \n\
                 default                              \n",
            ),
            // Not a table: "table" must come first; the spaces are trimmed afterwards.
            ("  table {{.Name}}", "table a-very-long-context-name\ntable c1\ntable default\n"),
            (
                "table {{.Name|upper}}\\t{{pad .Description 2 2}}\\t{{truncate .DockerEndpoint 4}}",
                "NAME                         DESCRIPTION                                 DOCKER ENDPOINT\n\
                 A-VERY-LONG-CONTEXT-NAME                                                 tcp:\n\
                 C1                           <a&b> é日本                                 unix\n\
                 DEFAULT                      Current DOCKER_HOST based configuration     unix\n",
            ),
            (
                "table {{.Name}}\\t{{json .}}",
                "NAME                       \n\
                 a-very-long-context-name   {\"Current\":false,\"Description\":\"\",\"DockerEndpoint\":\"tcp://1.2.3.4:2375\",\"Error\":\"\",\"Name\":\"a-very-long-context-name\"}\n\
                 c1                         {\"Current\":false,\"Description\":\"\\u003ca\\u0026b\\u003e é日本\",\"DockerEndpoint\":\"unix:///x\",\"Error\":\"\",\"Name\":\"c1\"}\n\
                 default                    {\"Current\":true,\"Description\":\"Current DOCKER_HOST based configuration\",\"DockerEndpoint\":\"unix:///var/run/docker.sock\",\"Error\":\"\",\"Name\":\"default\"}\n",
            ),
            ("{{json .Description}}", "\"\"\n\"<a&b> é日本\"\n\"Current DOCKER_HOST based configuration\"\n"),
            ("{{.Name | upper}}", "A-VERY-LONG-CONTEXT-NAME\nC1\nDEFAULT\n"),
            ("{{println .Name}}x", "a-very-long-context-name\nx\nc1\nx\ndefault\nx\n"),
            ("{{.Name}} {{/* c */}} {{- \" x\" -}}  y", "a-very-long-context-name  xy\nc1  xy\ndefault  xy\n"),
        ];
        for (format, want) in cases {
            assert_eq!(render_contexts(format).as_deref(), Ok(*want), "{format}");
        }
    }

    /// The docker image ls sample from the brief (default format).
    #[test]
    fn image_ls_default_table() {
        let t = Template::parse(
            "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}",
        )
        .expect("valid");
        let header = json!({"Repository": "REPOSITORY", "Tag": "TAG", "ID": "IMAGE ID", "CreatedSince": "CREATED", "Size": "SIZE"});
        let rows = [
            json!({"Repository": "oraclelinux", "Tag": "9", "ID": "b849892fb693", "CreatedSince": "2 days ago", "Size": "239MB"}),
            json!({"Repository": "hello-world", "Tag": "latest", "ID": "1b44b5a3e06a", "CreatedSince": "2 months ago", "Size": "10.1kB"}),
        ];
        // (The brief's sample had one more space in CREATED: it came from a longer listing.)
        let want = "REPOSITORY    TAG       IMAGE ID       CREATED        SIZE\n\
                    oraclelinux   9         b849892fb693   2 days ago     239MB\n\
                    hello-world   latest    1b44b5a3e06a   2 months ago   10.1kB\n";
        assert_eq!(render_table(&t, &header, &rows).as_deref(), Ok(want));
        assert_eq!(
            table_header(
                "table {{.Repository}}\\t{{.ID}}",
                &[("Repository", "REPOSITORY"), ("ID", "IMAGE ID")]
            )
            .as_deref(),
            Ok("REPOSITORY\tIMAGE ID")
        );
        let empty = render_table(&t, &header, &[]).expect("renders");
        assert_eq!(empty, "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
    }

    /// `docker image ls -a --format '{{json .}}'` and `docker image ls -a` on the real engine
    /// (28.2.2), one after the other. Rows with equal times come in any order, so lines are
    /// compared as sets; the column widths depend on every row.
    #[test]
    fn image_ls_matches_real_engine() {
        const ROWS: &str = r#"{"Containers":"N/A","CreatedAt":"2026-11-27 18:46:16 +0000 UTC","CreatedSince":"About a minute ago","Digest":"\u003cnone\u003e","ID":"1863c5e4ce3d","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:45:04 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"8055febddb15","Repository":"dl-legr","SharedSize":"N/A","Size":"1.98MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.982MB"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:45:04 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"372030529344","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"1.98MB","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"1.982MB"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:45:03 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"8afcdae73871","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"1.98MB","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"1.982MB"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:45:03 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"4fa3a26f45c8","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"1.98MB","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"1.982MB"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:45:03 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"db4487ef7d5c","Repository":"dl-bkr","SharedSize":"N/A","Size":"1.98MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.982MB"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:45:00 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"3fc271c65429","Repository":"dl-sh","SharedSize":"N/A","Size":"1.98MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"1.982MB"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"cf9943169695","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"467a605ee988","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"25298b2e9c63","Repository":"dl-legacy","SharedSize":"N/A","Size":"3B","Tag":"latest","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"e22cbff58269","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"e6597ed65a8a","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"adc8d8fbd2d1","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"02f5e71c2764","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"6bfaf349bf80","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"70b6d176c9c6","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:48 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"bbe031cee31f","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"3B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:47 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"19c4f98f27c7","Repository":"dl-bk","SharedSize":"N/A","Size":"3B","Tag":"latest","UniqueSize":"N/A","VirtualSize":"3B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:47 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"360b64bba96d","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:47 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"904fce77d3ad","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:47 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"71a8bab480eb","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"2026-11-27 18:44:47 +0000 UTC","CreatedSince":"2 minutes ago","Digest":"\u003cnone\u003e","ID":"63d109a5383f","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"0001-01-01 00:00:00 +0000 UTC","CreatedSince":"","Digest":"\u003cnone\u003e","ID":"6f7b3254bc35","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"0001-01-01 00:00:00 +0000 UTC","CreatedSince":"","Digest":"\u003cnone\u003e","ID":"2f569386103d","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
{"Containers":"N/A","CreatedAt":"0001-01-01 00:00:00 +0000 UTC","CreatedSince":"","Digest":"\u003cnone\u003e","ID":"28060e76192a","Repository":"\u003cnone\u003e","SharedSize":"N/A","Size":"0B","Tag":"\u003cnone\u003e","UniqueSize":"N/A","VirtualSize":"0B"}
"#;
        const TABLE: &str = r"REPOSITORY   TAG       IMAGE ID       CREATED              SIZE
<none>       <none>    1863c5e4ce3d   About a minute ago   0B
dl-legr      latest    8055febddb15   2 minutes ago        1.98MB
<none>       <none>    372030529344   2 minutes ago        1.98MB
<none>       <none>    4fa3a26f45c8   2 minutes ago        1.98MB
<none>       <none>    8afcdae73871   2 minutes ago        1.98MB
dl-bkr       latest    db4487ef7d5c   2 minutes ago        1.98MB
dl-sh        latest    3fc271c65429   2 minutes ago        1.98MB
<none>       <none>    cf9943169695   2 minutes ago        3B
<none>       <none>    adc8d8fbd2d1   2 minutes ago        3B
<none>       <none>    70b6d176c9c6   2 minutes ago        3B
<none>       <none>    e6597ed65a8a   2 minutes ago        3B
<none>       <none>    6bfaf349bf80   2 minutes ago        3B
<none>       <none>    02f5e71c2764   2 minutes ago        3B
dl-legacy    latest    25298b2e9c63   2 minutes ago        3B
<none>       <none>    bbe031cee31f   2 minutes ago        3B
<none>       <none>    e22cbff58269   2 minutes ago        3B
<none>       <none>    467a605ee988   2 minutes ago        0B
<none>       <none>    71a8bab480eb   2 minutes ago        0B
<none>       <none>    904fce77d3ad   2 minutes ago        0B
<none>       <none>    63d109a5383f   2 minutes ago        0B
<none>       <none>    360b64bba96d   2 minutes ago        0B
dl-bk        latest    19c4f98f27c7   2 minutes ago        3B
<none>       <none>    6f7b3254bc35   N/A                  0B
<none>       <none>    28060e76192a   N/A                  0B
<none>       <none>    2f569386103d   N/A                  0B
";
        let format = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
        let t = Template::parse(format).expect("valid");
        let header = Value::from_json(
            &json!({"Repository": "REPOSITORY", "Tag": "TAG", "ID": "IMAGE ID", "CreatedSince": "CREATED", "Size": "SIZE", "Digest": "DIGEST", "CreatedAt": "CREATED AT"}),
        );
        let rows: Vec<Value> = ROWS
            .lines()
            .map(|l| {
                Value::context(
                    "*formatter.imageContext",
                    &serde_json::from_str(l).expect("json"),
                )
            })
            .collect();
        let out = render(&t, &header, &rows).expect("renders");
        let (mut got, mut want): (Vec<&str>, Vec<&str>) =
            (out.lines().collect(), TABLE.lines().collect());
        assert_eq!(got[0], want[0]);
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want);
        assert!(out.ends_with('\n'));
        // and each `{{json .}}` row comes back byte for byte
        let t = Template::parse("{{json .}}").expect("valid");
        let again: Vec<String> = rows
            .iter()
            .map(|r| t.execute_value(r).expect("runs"))
            .collect();
        assert_eq!(again.join("\n"), ROWS.trim_end());
    }

    #[test]
    fn parse_errors_match_go() {
        let cases: &[(&str, &str)] = &[
            (
                "{{.Foo",
                "template parsing error: template: :1: unclosed action",
            ),
            (
                "{{foo}}",
                "template parsing error: template: :1: function \"foo\" not defined",
            ),
            (
                "{{end}}",
                "template parsing error: template: :1: unexpected {{end}}",
            ),
            (
                "{{else}}",
                "template parsing error: template: :1: unexpected {{else}}",
            ),
            (
                "{{if .Name}}x",
                "template parsing error: template: :1: unexpected EOF",
            ),
            (
                "{{$x := .Name}}{{$x}}{{$y}}",
                "template parsing error: template: :1: undefined variable \"$y\"",
            ),
            (
                "{{.Name (1}}",
                "template parsing error: template: :1: unclosed left paren",
            ),
            (
                "{{.Name)}}",
                "template parsing error: template: :1: unexpected right paren",
            ),
            (
                "{{.Name ,}}",
                "template parsing error: template: :1: unexpected \",\" in operand",
            ),
            (
                "{{a#}}",
                "template parsing error: template: :1: bad character U+0023 '#'",
            ),
            (
                "{{\"abc}}",
                "template parsing error: template: :1: unterminated quoted string",
            ),
            (
                "{{}}",
                "template parsing error: template: :1: missing value for command",
            ),
            (
                "{{if}}{{end}}",
                "template parsing error: template: :1: missing value for if",
            ),
            (
                "{{\"x\" | 3}}",
                "template parsing error: template: :1: non executable command in pipeline stage 2",
            ),
            (
                "{{break}}",
                "template parsing error: template: :1: {{break}} outside {{range}}",
            ),
            (
                "{{.Name.}}",
                "template parsing error: template: :1: unexpected <.> in operand",
            ),
            (
                "{{-.Name}}",
                "template parsing error: template: :1: bad number syntax: \"-.N\"",
            ),
            (
                "{{/* x",
                "template parsing error: template: :1: unclosed comment",
            ),
            (
                "a\n{{\"x\"\n\"y\"\n",
                "template parsing error: template: :4: unclosed action started at :2",
            ),
            (
                "{{if .A}}{{else}}{{else}}{{end}}",
                "template parsing error: template: :1: expected end; found {{else}}",
            ),
        ];
        for (text, want) in cases {
            match Template::parse(text) {
                Ok(_) => panic!("{text:?} parsed"),
                Err(e) => assert_eq!(e.to_string(), *want, "{text:?}"),
            }
        }
    }

    #[test]
    fn exec_errors_match_go() {
        let cases: &[(&str, &str)] = &[
            ("{{.Nope}}", "template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.clientContextContext"),
            ("{{.Name}} {{.Nope}}", "template parsing error: template: :1:12: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.clientContextContext"),
            ("{{.Name.Foo}}", "template parsing error: template: :1:7: executing \"\" at <.Name.Foo>: can't evaluate field Foo in type string"),
            ("{{\"a\" | .Name}}", "template parsing error: template: :1:8: executing \"\" at <.Name>: wrong number of args for Name: want 0 got 1"),
            ("{{range .Name}}{{end}}", "template parsing error: template: :1:8: executing \"\" at <.Name>: range can't iterate over c1"),
            ("{{json}}", "template parsing error: template: :1:2: executing \"\" at <json>: wrong number of args for json: want 1 got 0"),
            ("{{json .Name \"x\"}}", "template parsing error: template: :1:2: executing \"\" at <json>: wrong number of args for json: want 1 got 2"),
            ("{{upper 3}}", "template parsing error: template: :1:8: executing \"\" at <3>: expected string; found 3"),
            ("{{upper .Nope}}", "template parsing error: template: :1:8: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.clientContextContext"),
            ("{{join .Name \",\"}}", "template parsing error: template: :1:7: executing \"\" at <.Name>: wrong type for value; expected []string; got string"),
            ("{{truncate .Name -1}}", "template parsing error: template: :1:2: executing \"\" at <truncate .Name -1>: error calling truncate: runtime error: slice bounds out of range [:-1]"),
            ("{{len 3}}", "template parsing error: template: :1:2: executing \"\" at <len 3>: error calling len: len of type int"),
            ("{{eq .Name 3}}", "template parsing error: template: :1:2: executing \"\" at <eq .Name 3>: error calling eq: incompatible types for comparison"),
            ("{{1.5}} {{nil}}", "template parsing error: template: :1:10: executing \"\" at <nil>: nil is not a command"),
            ("{{template \"x\"}}", "template parsing error: template: :1:11: executing \"\" at <{{template \"x\"}}>: template \"x\" not defined"),
            ("{{index (split \"a,b,c\" \",\") 7}}", "template parsing error: template: :1:2: executing \"\" at <index (split \"a,b,c\" \",\") 7>: error calling index: index out of range: 7"),
            ("{{index (split \"a,b,c\" \",\") 3}}", "template parsing error: template: :1:2: executing \"\" at <index (split \"a,b,c\" \",\") 3>: error calling index: reflect: slice index out of range"),
            ("{{index \"abc\" 3}}", "template parsing error: template: :1:2: executing \"\" at <index \"abc\" 3>: error calling index: reflect: string index out of range"),
            ("{{lt .Current 1}}", "template parsing error: template: :1:2: executing \"\" at <lt .Current 1>: error calling lt: incompatible types for comparison"),
            ("{{lt .Current true}}", "template parsing error: template: :1:2: executing \"\" at <lt .Current true>: error calling lt: invalid type for comparison"),
            ("{{if .Nope}}{{end}}", "template parsing error: template: :1:5: executing \"\" at <.Nope>: can't evaluate field Nope in type *formatter.clientContextContext"),
        ];
        let row = &contexts()[1];
        for (text, want) in cases {
            let t = Template::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                t.execute_value(row).map_err(|e| e.to_string()),
                Err((*want).to_owned()),
                "{text}"
            );
        }
    }

    /// Outputs of `docker context inspect c1 --format …` (a Go struct with maps inside),
    /// modelled as maps and structs.
    #[test]
    fn go_printing_and_functions() {
        let endpoint = Value::Struct {
            type_name: "context.EndpointMetaBase".into(),
            fields: vec![
                ("Host".into(), Value::String("unix:///x".into())),
                ("SkipTLSVerify".into(), Value::Bool(false)),
            ],
        };
        let data = Value::Struct {
            type_name: "context.contextWithTLSListing".into(),
            fields: vec![
                ("Name".into(), Value::String("c1".into())),
                (
                    "Endpoints".into(),
                    Value::map([("docker".to_owned(), endpoint)]),
                ),
                ("TLSMaterial".into(), Value::NilMap),
                (
                    "Cmd".into(),
                    Value::List(vec![
                        Value::String("nginx".into()),
                        Value::String("-g".into()),
                        Value::String("daemon off;".into()),
                    ]),
                ),
                (
                    "Ports".into(),
                    Value::map([(
                        "80/tcp".to_owned(),
                        Value::Struct {
                            type_name: "struct {}".into(),
                            fields: vec![],
                        },
                    )]),
                ),
                ("Size".into(), Value::Int(192_525_589)),
                ("Entrypoint".into(), Value::NilSlice),
                ("Health".into(), Value::NilPointer),
            ],
        };
        let cases: &[(&str, &str)] = &[
            ("{{.Endpoints}}", "map[docker:{unix:///x false}]"),
            ("{{.Endpoints.docker}}", "{unix:///x false}"),
            ("{{.Endpoints.docker.Host}}", "unix:///x"),
            ("{{.Endpoints.nope}}", "<no value>"),
            ("{{.Endpoints.nope.Host}}", "<no value>"),
            ("{{index .Endpoints \"nope\"}}", "<no value>"),
            ("{{.TLSMaterial}}", "map[]"),
            ("{{.Cmd}}", "[nginx -g daemon off;]"),
            ("{{.Ports}}", "map[80/tcp:{}]"),
            ("{{.Entrypoint}}|{{json .Entrypoint}}|{{.Health}}", "[]|null|<nil>"),
            ("{{json .Endpoints}}", "{\"docker\":{\"Host\":\"unix:///x\",\"SkipTLSVerify\":false}}"),
            ("{{json (index .Endpoints \"docker\")}}", "{\"Host\":\"unix:///x\",\"SkipTLSVerify\":false}"),
            ("{{range $k, $v := .Endpoints}}{{$k}}={{$v}};{{end}}", "docker={unix:///x false};"),
            ("{{range .Endpoints}}{{.Host}}{{else}}none{{end}}", "unix:///x"),
            ("{{with .TLSMaterial}}x{{else}}empty{{end}}", "empty"),
            ("{{range $i, $e := split \"a,b\" \",\"}}{{$i}}{{$e}}{{end}}", "0a1b"),
            ("{{split .Name \"\"}} {{split \"a,b\" \",\"}}", "[c 1] [a b]"),
            ("{{join .Cmd \",\"}}", "nginx,-g,daemon off;"),
            ("{{index .Name 1}}", "49"),
            ("{{title \"hello-wORLD foo_bar\"}}", "Hello-WORLD Foo_bar"),
            ("{{print 1 2 \"a\" \"b\" 3}}", "1 2ab3"),
            ("{{println 1 \"a\"}}", "1 a\n"),
            ("{{.Name | printf \"%s-%d\" \"x\"}}", "x-%!d(string=c1)"),
            ("{{printf \"%5s|%-4s|%q|%v|%d|%x|%t|%.2f\" \"a\" \"b\" \"c\" .Endpoints 42 255 true 3.14159}}", "    a|b   |\"c\"|map[docker:{unix:///x false}]|42|ff|true|3.14"),
            ("{{printf \"%s\" .Endpoints}}", "map[docker:{unix:///x %!s(bool=false)}]"),
            ("{{printf \"%v %s\" .Endpoints.nope 1}}", "<nil> %!s(int=1)"),
            ("{{and 1 0}} {{or 0 \"\" \"x\"}} {{not 1}}", "0 x false"),
            ("{{1.5}} {{1e6}} {{0x10}} {{-3}} {{true}} {{1e21}} {{0.000001}}", "1.5 1e+06 16 -3 true 1e+21 1e-06"),
            ("{{range 3}}{{.}}{{end}}", "012"),
            ("{{range .Cmd}}{{if eq . \"-g\"}}{{break}}{{end}}{{.}}{{end}}", "nginx"),
            ("{{range .Cmd}}{{if eq . \"-g\"}}{{continue}}{{end}}{{.}};{{end}}", "nginx;daemon off;;"),
            ("{{with $x := .Name}}{{$x}}{{end}}", "c1"),
            ("{{if eq .Name \"c1\"}}yes{{else}}no{{end}}", "yes"),
            ("{{if eq .Name \"zz\"}}a{{else if eq .Name \"c1\"}}b{{else}}c{{end}}", "b"),
            ("{{if lt .Size 1000}}small{{else}}big{{end}} {{len .Cmd}}", "big 3"),
            ("{{html \"<a>\"}}{{js \"a'b\"}}{{urlquery \"a b\"}}", "&lt;a&gt;a\\'ba+b"),
            ("{{ .Name }}|{{- .Name -}}|", "c1|c1|"),
            ("{{lower \"ÀÉÎ\"}} {{upper \"straße\"}} {{title \"ǆemal ǳ\"}}", "àéî STRAßE ǅemal ǲ"),
            ("{{'a'}} {{0b101}} {{0o17}} {{017}} {{1_000}} {{-0x1F}} {{3.0}} {{2.50}}", "97 5 15 15 1000 -31 3 2.5"),
            ("{{.Size}} {{json .Size}}", "192525589 192525589"),
            ("{{$}}", "{c1 map[docker:{unix:///x false}] map[] [nginx -g daemon off;] map[80/tcp:{}] 192525589 [] <nil>}"),
        ];
        for (text, want) in cases {
            let t = Template::parse_go(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(t.execute_value(&data).as_deref(), Ok(*want), "{text}");
        }
    }

    #[test]
    fn json_encoding() {
        let v = Value::from_json(
            &json!({"b": [1, 2.5, null, true], "a": "<&>\u{2028}\n\t\u{1}", "c": {"z": 1e-7, "y": 1e21, "x": 100.0}}),
        );
        assert_eq!(
            json_encode(&v, false).as_deref(),
            Ok("{\"a\":\"<&>\\u2028\\n\\t\\u0001\",\"b\":[1,2.5,null,true],\"c\":{\"x\":100,\"y\":1e+21,\"z\":1e-7}}")
        );
        let t = Template::parse("json").expect("valid");
        let row = Value::context(
            "*formatter.imageContext",
            &json!({"Tag": "<none>", "ID": "abc"}),
        );
        assert_eq!(
            t.execute_value(&row).as_deref(),
            Ok("{\"ID\":\"abc\",\"Tag\":\"\\u003cnone\\u003e\"}")
        );
        assert_eq!(
            json_encode(&Value::Float(f64::NAN), false),
            Err("json: unsupported value: NaN".into())
        );
    }

    #[test]
    fn formats_and_flags() {
        assert!(Template::parse("table {{.ID}}").expect("valid").is_table());
        assert!(!Template::parse("{{.ID}}").expect("valid").is_table());
        let t = Template::parse("{{.A}}\\t{{.B}}\\n").expect("valid");
        assert_eq!(
            t.execute(&json!({"A": 1, "B": "x"})).as_deref(),
            Ok("1\tx\n")
        );
        // Raw Go templates keep the backslashes.
        let t = Template::parse_go("{{.A}}\\t").expect("valid");
        assert_eq!(t.execute(&json!({"A": 1})).as_deref(), Ok("1\\t"));
        // Non-table formats are not aligned.
        let t = Template::parse("{{.A}}\t{{.B}}").expect("valid");
        let out = render_table(&t, &json!({}), &[json!({"A": "x", "B": "y"})]).expect("renders");
        assert_eq!(out, "x\ty\n");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let parens = format!("{{{{{}.A{}}}}}", "(".repeat(5000), ")".repeat(5000));
        let ifs = format!("{}x{}", "{{if 1}}".repeat(5000), "{{end}}".repeat(5000));
        for text in [parens, ifs] {
            match Template::parse(&text) {
                Err(e) => assert_eq!(
                    e.to_string(),
                    "template parsing error: template: :1: max expression depth exceeded"
                ),
                Ok(_) => panic!("parsed"),
            }
        }
        let ok = format!("{}x{}", "{{if 1}}".repeat(50), "{{end}}".repeat(50));
        assert_eq!(
            Template::parse(&ok)
                .and_then(|t| t.execute(&serde_json::Value::Null))
                .as_deref(),
            Ok("x")
        );
    }

    #[test]
    fn hostile_formats_end_with_errors_in_bounded_time() {
        let data = Value::from_json(&json!({"S": "x"}));
        let run = |text: &str| {
            Template::parse(text)
                .and_then(|t| t.execute_value(&data))
                .map_err(|e| e.go_error())
        };
        let cases: &[(&str, &str)] = &[
            (
                "{{printf \"%.999999999f\" 1.0}}",
                "ok:%!(NOVERB)%!(EXTRA float64=1)",
            ),
            (
                "{{printf \"%999999999d\" 1}}",
                "ok:%!(NOVERB)%!(EXTRA int=1)",
            ),
            (
                "{{range 3000000000}}{{end}}",
                "template: :1:8: executing \"\" at <3000000000>: range runs more than \
                 docklab's limit of 1000000 iterations",
            ),
            (
                "{{pad .S 999999999 0}}",
                "template: :1:2: executing \"\" at <pad .S 999999999 0>: error calling pad: \
                 result of 1000000000 bytes exceeds docklab's limit of 16777216 bytes",
            ),
            (
                "{{range 100}}{{printf \"%9999999d\" 1}}{{end}}",
                "template: :1:15: executing \"\" at <{{printf \"%9999999d\" 1}}>: output \
                 exceeds docklab's limit of 16777216 bytes",
            ),
            (
                "{{$x := printf \"%9999999d\" 1}}{{range 1000}}{{$y := $x}}{{end}}",
                "template: :1:52: executing \"\" at <$x>: template copies more than \
                 docklab's limit of 268435456 bytes of values",
            ),
            (
                "{{$x := printf \"%9999999d\" 1}}{{join (split $x \"\") $x}}",
                "template: :1:38: executing \"\" at <split $x \"\">: error calling split: \
                 template copies more than docklab's limit of 268435456 bytes of values",
            ),
            (
                "{{$x := printf \"%99999d\" 1}}{{join (split $x \" \") $x}}",
                "template: :1:30: executing \"\" at <join (split $x \" \") $x>: error calling \
                 join: result of 9999700003 bytes exceeds docklab's limit of 16777216 bytes",
            ),
        ];
        for (text, want) in cases {
            let got = match run(text) {
                Ok(out) => format!("ok:{out}"),
                Err(e) => e,
            };
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let data = Value::from_json(&json!({"A": [1, {"B": null}], "S": "é", "N": -1}));
        let texts = [
            "{{",
            "}}",
            "{{{{",
            "{{-",
            "{{- -}}",
            "{{ -}}",
            "{{/*",
            "{{/**/",
            "{{'",
            "{{'a'}}",
            "{{'\\''}}",
            "{{`",
            "{{.A.B.C}}",
            "{{index .A 1 \"B\"}}",
            "{{index .A 9}}",
            "{{index .A -1}}",
            "{{truncate .S 1}}",
            "{{pad .S -1 0}}",
            "{{printf \"%\"}}",
            "{{printf \"%d %d\" 1}}",
            "{{printf \"%d\" 1 2}}",
            "{{range .N}}{{end}}",
            "{{range $a, $b := 3}}{{end}}",
            "{{(.A).B}}",
            "{{(1).B}}",
            "{{$.A}}",
            "{{$x := 1}}{{$x = 2}}{{$x}}",
            "{{0x}}",
            "{{1e}}",
            "{{9999999999999999999999}}",
            "{{é}}",
            "{{\u{7f}}}",
            "{{.A | index 0}}",
            "{{slice .S}}",
            "{{call .A}}",
            "{{template \"x\"}}",
            "{{define \"x\"}}{{end}}",
            "{{nil | upper}}",
            "{{with $x, $y := 1}}{{end}}",
            "{{range $x, $y, $z := .A}}{{end}}",
            "{{lt .A 1}}",
            "{{eq .A .A}}",
            "{{len .Missing}}",
        ];
        for text in texts {
            if let Ok(t) = Template::parse(text) {
                let _ = t.execute_value(&data);
                let _ = render(&t, &data, std::slice::from_ref(&data));
            }
        }
    }
}
