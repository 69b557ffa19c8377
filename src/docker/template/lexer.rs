//! The lexer: a port of Go 1.24's `text/template/parse/lex.go`, turning a `--format` text
//! into [`Token`]s up front.

use crate::docker::text::go_quote;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) pos: usize,
    pub(super) val: String,
    pub(super) line: usize,
}

impl Token {
    /// Go's `item.String()`, used in "unexpected X in Y".
    pub(super) fn describe(&self) -> String {
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
pub(super) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: usize,
    tokens: Vec<Token>,
}

impl<'a> Lexer<'a> {
    pub(super) fn lex(input: &'a str) -> Vec<Token> {
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
