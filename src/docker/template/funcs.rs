//! The template functions: Go's builtins (`and`, `index`, `eq`, `len`, `printf`…) and
//! docker/cli's function map (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`,
//! `truncate`), with the argument checks and comparisons Go applies.

use super::budget::{too_long, weight, MAX_STRING};
use super::exec::{ExecResult, State};
use super::gofmt::{
    fmt_value, go_eval_args, go_sprint, go_sprintln, html_escape, js_escape, url_query_escape,
};
use super::json::json_encode;
use super::parser::Arg;
use super::printf::go_sprintf;
use super::Value;

/// Parameter types of template functions, for Go's argument checks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Param {
    Any,
    Str,
    Int,
    StrList,
}

impl Param {
    pub(super) fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Str => "string",
            Param::Int => "int",
            Param::StrList => "[]string",
        }
    }
}

impl<'t> State<'t> {
    /// Calls a template function: `all[0]` is its name, the command's first argument at `pos`;
    /// `last` is the previous pipeline stage's value, passed as the final argument.
    pub(super) fn call(
        &mut self,
        dot: &Value,
        name: &str,
        pos: usize,
        all: &'t [Arg],
        last: Option<Value>,
    ) -> ExecResult<Value> {
        let id_pos = all[0].pos();
        let args = &all[1..];
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
            self.at(id_pos, &all[0]);
            let v = self.validate(l, param_at(values.len()))?;
            values.push(v);
        }
        self.at(pos, super::exec::At::Args(all));
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
