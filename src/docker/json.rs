//! JSON as Go's `encoding/json` writes it, which is what Docker prints: `<`, `>` and `&` escaped
//! as `\u003c`, `\u003e`, `\u0026`; compact for `{{json .}}`, four-space indented for `inspect`.

use serde_json::Value;

#[cfg(test)]
/// Compact, as `json.Marshal`.
pub fn compact(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, None, 0, true);
    out
}

#[cfg(test)]
/// Indented with four spaces, as `docker inspect` prints (`json.Indent(…, "", "    ")`).
pub fn indented(value: &Value) -> String {
    indented_with(value, true)
}

/// [`indented`], with `<`, `>`, `&` escaped or not: `json.Indent` keeps the daemon's bytes, and
/// the daemon escapes them only where a `MarshalJSON` of its own went through `json.Marshal`
/// (`image inspect`), not in what its encoder writes with `SetEscapeHTML(false)` (`container
/// inspect`).
pub fn indented_with(value: &Value, escape_html: bool) -> String {
    let mut out = String::new();
    write(&mut out, value, Some("    "), 0, escape_html);
    out
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(unit) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(unit);
        }
    }
}

fn write(out: &mut String, value: &Value, indent: Option<&str>, depth: usize, escape_html: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string_with(out, s, escape_html),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                write(out, item, indent, depth + 1, escape_html);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                string_with(out, k, escape_html);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write(out, v, indent, depth + 1, escape_html);
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

/// A JSON string as Go's encoder writes it; `escape_html` off is `SetEscapeHTML(false)`, as
/// docker/cli's `json` template function does.
pub fn string_with(out: &mut String, s: &str, escape_html: bool) {
    use std::fmt::Write as _;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' if escape_html => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_go() {
        let v =
            json!({"maintainer": "NGINX <docker-maint@nginx.com> & co", "n": 1, "e": [], "o": {}});
        assert_eq!(
            compact(&v),
            r#"{"maintainer":"NGINX \u003cdocker-maint@nginx.com\u003e \u0026 co","n":1,"e":[],"o":{}}"#
        );
    }

    #[test]
    fn indents_like_docker_inspect() {
        let v = json!([{"Id": "x", "RepoTags": ["a"], "Empty": []}]);
        assert_eq!(
            indented(&v),
            "[\n    {\n        \"Id\": \"x\",\n        \"RepoTags\": [\n            \"a\"\n        ],\n        \"Empty\": []\n    }\n]"
        );
    }
}
