//! (temporary minimal version; replaced by the full module)
use serde_json::Value;
#[derive(Debug, Clone)]
pub struct Template {
    table: bool,
    body: String,
}
#[derive(Debug, Clone, thiserror::Error)]
#[error("template: {0}")]
pub struct TemplateError(String);
impl Template {
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let (table, body) = match text.strip_prefix("table") {
            Some(rest) => (true, rest.trim_start().to_owned()),
            None => (false, text.to_owned()),
        };
        Ok(Template {
            table,
            body: body.replace("\\t", "\t").replace("\\n", "\n"),
        })
    }
    pub fn is_table(&self) -> bool {
        self.table
    }
    pub fn execute(&self, data: &Value) -> Result<String, TemplateError> {
        let mut out = String::new();
        let mut rest = self.body.as_str();
        while let Some(i) = rest.find("{{") {
            out.push_str(&rest[..i]);
            let j = rest[i..]
                .find("}}")
                .ok_or_else(|| TemplateError("unclosed action".into()))?
                + i;
            let action = rest[i + 2..j].trim();
            if action == "json ." {
                out.push_str(&data.to_string());
            } else if let Some(f) = action.strip_prefix('.') {
                match data.get(f) {
                    Some(Value::String(s)) => out.push_str(s),
                    Some(v) => out.push_str(&v.to_string()),
                    None => return Err(TemplateError(format!("can't evaluate field {f}"))),
                }
            }
            rest = &rest[j + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }
}
pub fn render_table(
    template: &Template,
    headers: &Value,
    rows: &[Value],
) -> Result<String, TemplateError> {
    use std::io::Write;
    let mut tw = tabwriter::TabWriter::new(Vec::new()).minwidth(7).padding(3);
    if template.is_table() {
        let _ = writeln!(tw, "{}", template.execute(headers)?);
    }
    for r in rows {
        let _ = writeln!(tw, "{}", template.execute(r)?);
    }
    let _ = tw.flush();
    Ok(String::from_utf8_lossy(&tw.into_inner().unwrap_or_default()).into_owned())
}
