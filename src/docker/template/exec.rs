//! Execution of a parsed template: the walk over the tree, pipelines, arguments, variables
//! and field lookups, as Go's `text/template/exec.go` does it, within the [`super::budget`].

use std::borrow::Cow;

use super::budget::{self, weight, Budget, MAX_OUTPUT};
use super::funcs::Param;
use super::gofmt::{fmt_value, print_top};
use super::parser::{parse_number, Arg, Command, Node, Pipe};
use super::{TemplateError, Value};
use crate::docker::text::go_quote;

pub(super) enum Flow {
    Normal,
    Break,
    Continue,
}

pub(super) struct State<'t> {
    pub(super) text: &'t str,
    /// Variables, innermost last; `$` (the data) first, borrowed.
    pub(super) vars: Vec<(String, Cow<'t, Value>)>,
    pub(super) out: String,
    /// The node Go's `s.at(node)` last pointed at: position and what to write for it, which is
    /// only written out when an error names it (writing it at every step was a third of a
    /// template's run).
    pub(super) node: (usize, At<'t>),
    pub(super) header: bool,
    /// `Option("missingkey=error")`: a missing map key is an error, not `<no value>`.
    pub(super) strict: bool,
    /// What this execution has used of docklab's limits (see [`budget`]).
    pub(super) budget: Budget,
}

pub(super) type ExecResult<T> = Result<T, TemplateError>;

/// A node of the template as an error message quotes it.
#[derive(Clone)]
pub(super) enum At<'t> {
    Text(String),
    /// An action: `{{pipe}}`.
    Action(&'t Pipe),
    Pipe(&'t Pipe),
    Arg(&'t Arg),
    /// A command's arguments, as the command prints.
    Args(&'t [Arg]),
}

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Text(t) => f.write_str(t),
            At::Action(pipe) => write!(f, "{{{{{pipe}}}}}"),
            At::Pipe(pipe) => write!(f, "{pipe}"),
            At::Arg(arg) => write!(f, "{arg}"),
            At::Args(args) => {
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "{arg}")?;
                }
                Ok(())
            }
        }
    }
}

impl<'t> From<&'t Arg> for At<'t> {
    fn from(arg: &'t Arg) -> Self {
        At::Arg(arg)
    }
}

impl<'t> From<&'t Pipe> for At<'t> {
    fn from(pipe: &'t Pipe) -> Self {
        At::Pipe(pipe)
    }
}

impl From<String> for At<'_> {
    fn from(text: String) -> Self {
        At::Text(text)
    }
}

impl<'t> State<'t> {
    pub(super) fn at(&mut self, pos: usize, what: impl Into<At<'t>>) {
        self.node = (pos, what.into());
    }

    pub(super) fn fail<T>(&self, message: impl Into<String>) -> ExecResult<T> {
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
            context: context.to_string(),
            message: message.into(),
        })
    }

    /// Counts `bytes` of values produced or copied against the execution's budget.
    pub(super) fn spend(&mut self, bytes: usize) -> ExecResult<()> {
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

    pub(super) fn walk_list(&mut self, dot: &Value, nodes: &'t [Node]) -> ExecResult<Flow> {
        for node in nodes {
            match self.walk(dot, node)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &'t Node) -> ExecResult<Flow> {
        match node {
            Node::Text(t) => self.emit(t)?,
            Node::Action { pos, pipe } => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at(*pos, At::Action(pipe));
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
                slot.1 = Cow::Owned(v);
                return;
            }
        }
        self.vars.push((name.to_owned(), Cow::Owned(v)));
    }

    fn eval_pipeline(&mut self, dot: &Value, pipe: &'t Pipe) -> ExecResult<Value> {
        let v = self.eval_pipeline_no_decl(dot, pipe)?;
        for name in &pipe.decl {
            self.set_or_push(name, v.clone(), pipe.is_assign);
        }
        Ok(v)
    }

    /// `evalPipeline` without binding the declared variables (range binds per element).
    fn eval_pipeline_no_decl(&mut self, dot: &Value, pipe: &'t Pipe) -> ExecResult<Value> {
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
        cmd: &'t Command,
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
                self.call(dot, name, cmd.pos, &cmd.args, last)
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

    fn not_a_function(&self, args: &'t [Arg], last: Option<&Value>) -> ExecResult<()> {
        if args.len() > 1 || last.is_some() {
            return self.fail(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn literal(dot: &Value, arg: &'t Arg) -> Value {
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
            .map_or(Value::NoValue, |(_, v)| v.as_ref().clone());
        self.spend(weight(&v))?;
        Ok(v)
    }

    /// An argument's value, whatever its kind (`evalEmptyInterface`).
    fn eval_arg_value(&mut self, dot: &Value, arg: &'t Arg) -> ExecResult<Value> {
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
                self.call(dot, name, arg.pos(), std::slice::from_ref(arg), None)
            }
            Arg::Nil(_) => Ok(Value::Nil),
            _ => Ok(Self::literal(dot, arg)),
        }
    }

    /// `evalArg`: an argument checked against the function's parameter type.
    pub(super) fn eval_typed_arg(
        &mut self,
        dot: &Value,
        arg: &'t Arg,
        param: Param,
    ) -> ExecResult<Value> {
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
    pub(super) fn validate(&self, v: Value, param: Param) -> ExecResult<Value> {
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
        args: &'t [Arg],
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
            Value::Context {
                type_name, fields, ..
            } => match lookup(fields) {
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
}
