//! The parse tree ([`Node`], [`Pipe`], [`Command`], [`Arg`]) and the recursive-descent parser
//! ported from Go's `text/template/parse/parse.go`, with literal unquoting and numbers.

use super::lexer::{Kind, Token};
use super::Value;
use crate::docker::text::go_quote;

#[derive(Debug, Clone)]
pub(super) enum Node {
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
pub(super) struct Pipe {
    pub(super) pos: usize,
    pub(super) decl: Vec<String>,
    pub(super) is_assign: bool,
    pub(super) cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
pub(super) struct Command {
    pub(super) pos: usize,
    pub(super) args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub(super) enum Arg {
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
    pub(super) fn pos(&self) -> usize {
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

pub(super) struct ParseError {
    pub(super) line: usize,
    pub(super) message: String,
}

type ParseResult<T> = Result<T, ParseError>;

/// A port of `text/template/parse/parse.go`'s recursive descent.
pub(super) struct Parser {
    pub(super) tokens: Vec<Token>,
    pub(super) i: usize,
    pub(super) last_line: usize,
    pub(super) vars: Vec<String>,
    pub(super) range_depth: usize,
    pub(super) action_line: usize,
    /// Nesting of parenthesized pipelines and control blocks.
    pub(super) depth: usize,
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

    pub(super) fn parse(&mut self) -> ParseResult<Vec<Node>> {
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
pub(super) fn parse_number(text: &str) -> Option<Value> {
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
