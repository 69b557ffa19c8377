//! Go's `encoding/json` for template values, as docker/cli's `json` function runs it.

use super::Value;
use crate::docker::json::string_with as json_string;

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
        Value::Context {
            fields, marshal, ..
        } => {
            let fields = marshal.as_ref().unwrap_or(fields);
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
            crate::docker::units::go_format_g(f, None)
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
