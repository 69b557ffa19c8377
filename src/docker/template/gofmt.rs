//! Go's value printing (`fmt.Print`, `%v` and friends on template values) and the escapers
//! behind the `html`, `js` and `urlquery` functions.

use super::printf::go_exp;
use super::Value;
use crate::docker::text::go_quote;
use std::fmt::Write as _;

/// What an action prints: `<no value>` for an invalid value, else `fmt.Print`.
pub(super) fn print_top(v: &Value) -> String {
    match v {
        Value::NoValue | Value::Nil => "<no value>".into(),
        other => fmt_value(other, 'v'),
    }
}

/// `fmt`'s `%v` (and `%s`, `%d`… on composites, applied to each element).
pub(super) fn fmt_value(v: &Value, verb: char) -> String {
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
        (Value::Float(f), 'v' | 'g') => crate::docker::units::go_format_g(*f, None),
        (Value::Float(f), 'f' | 'F') => format!("{f:.6}"),
        (Value::Float(f), 'e') => go_exp(*f, 6),
        _ => bad(),
    }
}

/// `fmt.Sprint`: a space between operands when neither is a string.
pub(super) fn go_sprint(a: &[Value]) -> String {
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
pub(super) fn go_sprintln(a: &[Value]) -> String {
    let parts: Vec<String> = a.iter().map(|v| fmt_value(v, 'v')).collect();
    format!("{}\n", parts.join(" "))
}

/// `text/template`'s `evalArgs` for html/js/urlquery: one string as is, else `fmt.Sprint`.
pub(super) fn go_eval_args(a: &[Value]) -> String {
    match a {
        [Value::String(s)] => s.clone(),
        _ => go_sprint(a),
    }
}

pub(super) fn html_escape(s: &str) -> String {
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

pub(super) fn js_escape(s: &str) -> String {
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

pub(super) fn url_query_escape(s: &str) -> String {
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
