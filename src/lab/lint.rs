//! `docklab lab lint`: every mistake in a lab file at once, each at its `file:line:col`.
//!
//! TOML syntax errors come from toml (they stop that file). The schema is then walked by hand
//! over toml's spanned document (`DeTable`) rather than through serde, because serde stops at
//! the first error and cannot say "did you mean". The walk mirrors the serde structs of
//! [`super`] and [`super::check`]; unit tests compare its key lists with serde's, and a file the
//! walk finds clean is also loaded with [`Lab::parse`] so the two cannot drift apart silently.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{closest, Lab, FORMAT_VERSION};
use crate::command::{self, Command};
use crate::docker::cli;
use crate::docker::reference::Reference;
use crate::i18n::{tr, Lang, Msg};

type Value<'i> = Spanned<DeValue<'i>>;

/// How bad a diagnostic is: an error refuses the lab; a warning (French typography) is said,
/// and the lab still loads and is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One mistake in a lab file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub file: String,
    /// Byte range in the file.
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub severity: Severity,
    /// A stable identifier of the kind of mistake (`unknown-key`, `invalid-reference`…).
    pub code: &'static str,
    /// The message, as sentences joined by a space.
    pub parts: Vec<Msg>,
}

impl Diagnostic {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        self.parts
            .iter()
            .map(|m| tr(lang, m))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `file:line:col: error: message`.
    pub fn render(&self, lang: Lang) -> String {
        format!(
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.column,
            tr(
                lang,
                &Msg::LintSeverity {
                    severity: self.severity.as_str().to_owned()
                }
            ),
            self.message(lang)
        )
    }

    /// One JSON object, for editors.
    pub fn json(&self, lang: Lang) -> serde_json::Value {
        serde_json::json!({
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message(lang),
        })
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

// The key names, and which are required, come from the serde types themselves (see `keys`):
// one schema, no copy here.
use super::check::{
    BaseImage, Bounds, CommandRan, FileContains, ImageConfig, ImageCount, LayerCount, Scope,
    SharedLayers, Status,
};
use super::{Check, Forbid, Mistake, Start, StartFile, Step, Text};
use keys::{names, required};

mod keys;
pub(crate) mod typography;

/// Every check kind, as a lab spells it (serde: [`super::Check`]).
pub fn check_kinds() -> &'static [&'static str] {
    names::<Check>()
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn quoted(list: &[&str]) -> String {
    list.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "string",
        DeValue::Integer(_) => "integer",
        DeValue::Float(_) => "float",
        DeValue::Boolean(_) => "boolean",
        DeValue::Datetime(_) => "datetime",
        DeValue::Array(_) => "array",
        DeValue::Table(_) => "table",
    }
}

/// For a TOML basic string written `raw` (between its quotes) whose value is `value`: where
/// each character of the value starts in `raw`, as (offset in `value`, offset in `raw`). `None`
/// when the escapes are not the simple ones (a line-ending backslash, say).
fn unescape_places(raw: &str, value: &str) -> Option<Vec<(usize, usize)>> {
    let mut places = Vec::new();
    let mut decoded = String::with_capacity(value.len());
    let mut chars = raw.char_indices();
    while let Some((r, c)) = chars.next() {
        places.push((decoded.len(), r));
        if c != '\\' {
            decoded.push(c);
            continue;
        }
        let (_, e) = chars.next()?;
        let simple = match e {
            '"' => '"',
            '\\' => '\\',
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'e' => '\u{1b}',
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let mut hex = String::new();
                for _ in 0..n {
                    hex.push(chars.next()?.1);
                }
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            _ => return None,
        };
        decoded.push(simple);
    }
    (decoded == value).then_some(places)
}

/// A Docker command pattern (`forbid.command`, `command_ran.command`) parses like
/// [`super::check::command_matches`] parses it: as is, or with the arguments it leaves out.
fn pattern_error(pattern: &str) -> Option<String> {
    let mut words = match shell_words::split(pattern) {
        Ok(w) => w,
        Err(e) => return Some(e.to_string()),
    };
    if words.first().is_some_and(|w| w == "docker") {
        words.remove(0);
    }
    let Err(first) = cli::parse(&words) else {
        return None;
    };
    // A pattern may leave out the arguments (`docker rmi -f`, `docker tag`): any will do.
    for _ in 0..2 {
        words.push("x".to_owned());
        if cli::parse(&words).is_ok() {
            return None;
        }
    }
    Some(first_line(&first.stderr))
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_owned()
}

struct Linter<'t> {
    file: &'t str,
    text: &'t str,
    diags: Vec<Diagnostic>,
    /// Where each French text is in the file, when it is written there as is (no escapes).
    french: Vec<Range<usize>>,
}

impl Linter<'_> {
    fn error(&mut self, span: Range<usize>, code: &'static str, parts: Vec<Msg>) {
        self.diagnostic(span, Severity::Error, code, parts);
    }

    fn diagnostic(
        &mut self,
        span: Range<usize>,
        severity: Severity,
        code: &'static str,
        parts: Vec<Msg>,
    ) {
        let (line, column) = line_col(self.text, span.start);
        let (end_line, end_column) = line_col(self.text, span.end.max(span.start));
        self.diags.push(Diagnostic {
            file: self.file.to_owned(),
            span,
            line,
            column,
            end_line,
            end_column,
            severity,
            code,
            parts,
        });
    }

    /// French typography in a lab's French text `s`, the string value `v`: a warning for each
    /// fault, at the fault's own position (through simple escapes too), else at the string.
    fn french(&mut self, v: &Value<'_>, s: &str, path: &str) {
        let span = v.span();
        let raw = self.text.get(span.clone()).unwrap_or_default();
        let quote = ["\"\"\"", "'''", "\"", "'"]
            .into_iter()
            .find(|q| raw.starts_with(q) && raw.len() >= 2 * q.len());
        // Where each character of the value is in the file: (offset in `s`, offset in the file).
        let places = quote.and_then(|q| {
            let inner = &raw[q.len()..raw.len() - q.len()];
            // A newline right after an opening triple quote is not part of the value.
            let skipped = if q.len() == 3 {
                ["\r\n", "\n"]
                    .into_iter()
                    .find(|nl| inner.starts_with(nl))
                    .map_or(0, str::len)
            } else {
                0
            };
            let from = span.start + q.len() + skipped;
            let inner = &inner[skipped..];
            if inner == s {
                // Written as is: the text can also be fixed in place.
                self.french.push(from..from + s.len());
                return Some(s.char_indices().map(|(i, _)| (i, from + i)).collect());
            }
            if q.starts_with('\'') {
                return None;
            }
            unescape_places(inner, s).map(|p| {
                p.into_iter()
                    .map(|(i, r)| (i, from + r))
                    .collect::<Vec<_>>()
            })
        });
        for (at, fault) in typography::check(s) {
            let place = places.as_ref().and_then(|p: &Vec<(usize, usize)>| {
                p.binary_search_by_key(&at, |x| x.0).ok().map(|k| p[k].1)
            });
            let span = match place {
                Some(from) => from..from + fault.char().len_utf8(),
                None => span.clone(),
            };
            self.diagnostic(
                span,
                Severity::Warning,
                "french-typography",
                vec![Msg::LintFrenchTypography {
                    path: path.to_owned(),
                    fault: fault.name().to_owned(),
                    char: fault.char().to_string(),
                }],
            );
        }
    }

    fn wrong_type(&mut self, v: &Value<'_>, path: &str, expected: &str) {
        self.error(
            v.span(),
            "wrong-type",
            vec![Msg::LintWrongType {
                path: path.to_owned(),
                expected: expected.to_owned(),
                found: type_name(v.get_ref()).to_owned(),
            }],
        );
    }

    /// Unknown `word` among `expected`, with a did-you-mean and the list.
    fn unknown(
        &mut self,
        span: Range<usize>,
        code: &'static str,
        first: Msg,
        word: &str,
        expected: &[&str],
    ) {
        let mut parts = vec![first];
        if let Some(s) = closest(word, expected.iter().copied()) {
            parts.push(Msg::LintDidYouMean {
                suggestion: s.to_owned(),
            });
        }
        parts.push(Msg::LintExpected {
            list: quoted(expected),
        });
        self.error(span, code, parts);
    }

    /// The table at `v` with its known keys; unknown keys and missing required keys reported.
    fn table<'v, 'i>(
        &mut self,
        v: &'v Value<'i>,
        path: &str,
        allowed: &[&'static str],
        required: &[&'static str],
    ) -> Option<BTreeMap<&'static str, &'v Value<'i>>> {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(v, path, "table");
            return None;
        };
        Some(self.keys(t, v.span(), path, allowed, required))
    }

    fn keys<'v, 'i>(
        &mut self,
        t: &'v DeTable<'i>,
        span: Range<usize>,
        path: &str,
        allowed: &[&'static str],
        required: &[&'static str],
    ) -> BTreeMap<&'static str, &'v Value<'i>> {
        let mut found = BTreeMap::new();
        for (k, val) in t {
            let key: &str = k.get_ref();
            match allowed.iter().find(|a| **a == key) {
                Some(a) => {
                    found.insert(*a, val);
                }
                None => self.unknown(
                    k.span(),
                    "unknown-key",
                    Msg::LintUnknownKey {
                        key: key.to_owned(),
                        table: if path.is_empty() {
                            "top".to_owned()
                        } else {
                            path.to_owned()
                        },
                    },
                    key,
                    allowed,
                ),
            }
        }
        for r in required {
            if !found.contains_key(r) {
                self.error(
                    span.start..span.start,
                    "missing-key",
                    vec![Msg::LintMissingKey {
                        key: (*r).to_owned(),
                        table: if path.is_empty() {
                            "top".to_owned()
                        } else {
                            path.to_owned()
                        },
                    }],
                );
            }
        }
        found
    }

    fn string<'v>(&mut self, v: &'v Value<'_>, path: &str) -> Option<&'v str> {
        if let DeValue::String(s) = v.get_ref() {
            Some(s)
        } else {
            self.wrong_type(v, path, "string");
            None
        }
    }

    fn array<'v, 'i>(&mut self, v: &'v Value<'i>, path: &str) -> Option<&'v [Value<'i>]> {
        if let DeValue::Array(a) = v.get_ref() {
            Some(a.as_ref())
        } else {
            self.wrong_type(v, path, "array");
            None
        }
    }

    fn count(&mut self, v: &Value<'_>, path: &str) {
        match v.get_ref() {
            DeValue::Integer(i) => {
                if i64::from_str_radix(i.as_str(), i.radix()).map_or(true, |n| n < 0) {
                    self.error(
                        v.span(),
                        "negative-count",
                        vec![Msg::LintNegative {
                            path: path.to_owned(),
                        }],
                    );
                }
            }
            _ => self.wrong_type(v, path, "integer"),
        }
    }

    fn boolean(&mut self, v: &Value<'_>, path: &str) {
        if !matches!(v.get_ref(), DeValue::Boolean(_)) {
            self.wrong_type(v, path, "boolean");
        }
    }

    /// A text in both languages.
    fn text(&mut self, v: &Value<'_>, path: &str) {
        let Some(keys) = self.table_for_text(v, path) else {
            return;
        };
        for lang in names::<Text>() {
            let p = join(path, lang);
            match keys.get(lang) {
                None => self.error(
                    v.span().start..v.span().start,
                    "missing-translation",
                    vec![Msg::LintMissingText {
                        path: p,
                        lang: (*lang).to_owned(),
                    }],
                ),
                Some(t) => {
                    if let Some(s) = self.string(t, &p) {
                        if *lang == "fr" {
                            self.french(t, s, &p);
                        }
                        if s.trim().is_empty() {
                            self.error(
                                t.span(),
                                "missing-translation",
                                vec![Msg::LintEmptyText {
                                    path: p,
                                    lang: (*lang).to_owned(),
                                }],
                            );
                        }
                    }
                }
            }
        }
    }

    fn table_for_text<'v, 'i>(
        &mut self,
        v: &'v Value<'i>,
        path: &str,
    ) -> Option<BTreeMap<&'static str, &'v Value<'i>>> {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(v, path, "text");
            return None;
        };
        // A missing language is said by `text` (missing-translation), not as a missing key.
        Some(self.keys(t, v.span(), path, names::<Text>(), &[]))
    }

    fn texts(&mut self, v: &Value<'_>, path: &str) {
        if let Some(items) = self.array(v, path) {
            for (i, t) in items.iter().enumerate() {
                self.text(t, &format!("{path}[{i}]"));
            }
        }
    }

    /// An image reference, valid per Docker's grammar; the parsed reference.
    fn reference(&mut self, v: &Value<'_>, path: &str) -> Option<Reference> {
        let s = self.string(v, path)?;
        match Reference::parse(s) {
            Ok(r) => Some(r),
            Err(e) => {
                self.error(
                    v.span(),
                    "invalid-reference",
                    vec![Msg::LintBadReference {
                        reference: s.to_owned(),
                        error: e.to_string(),
                    }],
                );
                None
            }
        }
    }

    fn pattern(&mut self, v: &Value<'_>, path: &str) {
        let Some(p) = self.string(v, path) else {
            return;
        };
        if let Some(error) = pattern_error(p) {
            self.error(
                v.span(),
                "invalid-pattern",
                vec![Msg::LintBadPattern {
                    pattern: p.to_owned(),
                    error,
                }],
            );
        }
    }

    fn one_of(&mut self, v: &Value<'_>, path: &str, values: &[&str]) {
        let Some(s) = self.string(v, path) else {
            return;
        };
        if !values.contains(&s) {
            self.unknown(
                v.span(),
                "unknown-value",
                Msg::LintUnknownValue {
                    value: s.to_owned(),
                    path: path.to_owned(),
                },
                s,
                values,
            );
        }
    }

    fn bounds(&mut self, v: &Value<'_>, keys: &BTreeMap<&'static str, &Value<'_>>, path: &str) {
        let mut any = false;
        for b in names::<Bounds>() {
            if let Some(n) = keys.get(b) {
                any = true;
                self.count(n, &join(path, b));
            }
        }
        if !any {
            self.error(
                v.span(),
                "missing-bound",
                vec![Msg::LintNoBound {
                    path: path.to_owned(),
                }],
            );
        }
    }

    fn checks(&mut self, v: &Value<'_>, path: &str) -> usize {
        let Some(items) = self.array(v, path) else {
            return 1;
        };
        for (i, c) in items.iter().enumerate() {
            self.check(c, &format!("{path}[{i}]"));
        }
        items.len()
    }

    #[allow(
        clippy::too_many_lines,
        reason = "one arm per lab-file table, its keys checked against the schema"
    )]
    fn check(&mut self, v: &Value<'_>, path: &str) {
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong_type(v, path, "check");
            return;
        };
        if t.len() != 1 {
            self.error(
                v.span(),
                "check-shape",
                vec![
                    Msg::LintCheckShape {
                        path: path.to_owned(),
                        keys: t.len() as i64,
                    },
                    Msg::LintExpected {
                        list: quoted(check_kinds()),
                    },
                ],
            );
            if t.is_empty() {
                return;
            }
        }
        for (k, arg) in t {
            let kind: &str = k.get_ref();
            let p = join(path, kind);
            match kind {
                "image_present" | "image_absent" | "container_running" | "container_exists" => {
                    self.reference(arg, &p);
                }
                "same_image" => {
                    if let Some(items) = self.array(arg, &p) {
                        if items.len() == 2 {
                            for (i, r) in items.iter().enumerate() {
                                self.reference(r, &format!("{p}[{i}]"));
                            }
                        } else {
                            self.error(
                                arg.span(),
                                "wrong-arity",
                                vec![Msg::LintSameImageArity {
                                    found: items.len() as i64,
                                }],
                            );
                        }
                    }
                }
                "image_count" => {
                    if let Some(keys) =
                        self.table(arg, &p, names::<ImageCount>(), &required::<ImageCount>())
                    {
                        if let Some(d) = keys.get("dangling") {
                            self.boolean(d, &join(&p, "dangling"));
                        }
                        self.bounds(arg, &keys, &p);
                    }
                }
                "layer_count" => {
                    if let Some(keys) =
                        self.table(arg, &p, names::<LayerCount>(), &required::<LayerCount>())
                    {
                        if let Some(i) = keys.get("image") {
                            self.reference(i, &join(&p, "image"));
                        }
                        self.bounds(arg, &keys, &p);
                    }
                }
                "shared_layers" => {
                    if let Some(keys) = self.table(
                        arg,
                        &p,
                        names::<SharedLayers>(),
                        &required::<SharedLayers>(),
                    ) {
                        if let Some(images) = keys.get("images") {
                            let ip = join(&p, "images");
                            if let Some(items) = self.array(images, &ip) {
                                if items.len() == 2 {
                                    for (i, r) in items.iter().enumerate() {
                                        self.reference(r, &format!("{ip}[{i}]"));
                                    }
                                } else {
                                    self.error(
                                        images.span(),
                                        "wrong-arity",
                                        vec![Msg::LintSameImageArity {
                                            found: items.len() as i64,
                                        }],
                                    );
                                }
                            }
                        }
                        self.bounds(arg, &keys, &p);
                    }
                }
                "image_config" => {
                    if let Some(keys) =
                        self.table(arg, &p, names::<ImageConfig>(), &required::<ImageConfig>())
                    {
                        for (key, val) in &keys {
                            let kp = join(&p, key);
                            match *key {
                                "image" => {
                                    self.reference(val, &kp);
                                }
                                "cmd" => {
                                    if let Some(items) = self.array(val, &kp) {
                                        for (i, s) in items.iter().enumerate() {
                                            self.string(s, &format!("{kp}[{i}]"));
                                        }
                                    }
                                }
                                _ => {
                                    self.string(val, &kp);
                                }
                            }
                        }
                    }
                }
                "base_image" => {
                    if let Some(keys) =
                        self.table(arg, &p, names::<BaseImage>(), &required::<BaseImage>())
                    {
                        for (key, val) in keys {
                            self.reference(val, &join(&p, key));
                        }
                    }
                }
                "file_exists" => {
                    self.workspace_path(arg, &p);
                }
                "file_contains" => {
                    if let Some(keys) = self.table(
                        arg,
                        &p,
                        names::<FileContains>(),
                        &required::<FileContains>(),
                    ) {
                        if let Some(path_v) = keys.get("path") {
                            self.workspace_path(path_v, &join(&p, "path"));
                        }
                        if let Some(t) = keys.get("text") {
                            self.string(t, &join(&p, "text"));
                        }
                    }
                }
                "command_ran" => {
                    if let Some(keys) =
                        self.table(arg, &p, names::<CommandRan>(), &required::<CommandRan>())
                    {
                        if let Some(c) = keys.get("command") {
                            self.pattern(c, &join(&p, "command"));
                        }
                        if let Some(s) = keys.get("status") {
                            self.one_of(s, &join(&p, "status"), names::<Status>());
                        }
                        if let Some(s) = keys.get("scope") {
                            self.one_of(s, &join(&p, "scope"), names::<Scope>());
                        }
                    }
                }
                "build_cache_empty" => self.boolean(arg, &p),
                "images_size_mb" => {
                    if let Some(keys) =
                        self.table(arg, &p, names::<Bounds>(), &required::<Bounds>())
                    {
                        self.bounds(arg, &keys, &p);
                    }
                }
                "tags_exactly" => {
                    if let Some(items) = self.array(arg, &p) {
                        for (i, r) in items.iter().enumerate() {
                            self.reference(r, &format!("{p}[{i}]"));
                        }
                    }
                }
                "all" | "any" => {
                    if self.checks(arg, &p) == 0 {
                        self.error(
                            arg.span(),
                            "empty-list",
                            vec![Msg::LintEmptyList { path: p.clone() }],
                        );
                    }
                }
                "not" => self.check(arg, &p),
                other => self.unknown(
                    k.span(),
                    "unknown-check",
                    Msg::LintUnknownCheck {
                        kind: other.to_owned(),
                    },
                    other,
                    check_kinds(),
                ),
            }
        }
    }

    fn workspace_path(&mut self, v: &Value<'_>, path: &str) {
        let Some(s) = self.string(v, path) else {
            return;
        };
        if super::check::workspace_path(std::path::Path::new("/"), s).is_none() || s.is_empty() {
            self.error(
                v.span(),
                "invalid-path",
                vec![Msg::LintBadPath { path: s.to_owned() }],
            );
        }
    }

    fn solution(&mut self, v: &Value<'_>, path: &str) {
        let Some(line) = self.string(v, path) else {
            return;
        };
        let error = match command::parse(line) {
            Command::Tutor(_) => {
                self.error(
                    v.span(),
                    "tutor-command",
                    vec![Msg::LintTutorInSolution {
                        line: line.to_owned(),
                    }],
                );
                return;
            }
            // `$(…)` is expanded when the line runs; its words are not known before.
            Command::Docker if !line.contains("$(") => match shell_words::split(line) {
                Err(e) => Some(e.to_string()),
                // Skip `DOCKER_BUILDKIT=0`-style assignments, then the word `docker` itself.
                Ok(words) => {
                    let args = words
                        .iter()
                        .skip_while(|w| command::is_assignment(w))
                        .skip(1);
                    let args: Vec<String> = args.cloned().collect();
                    cli::parse(&args).err().map(|e| first_line(&e.stderr))
                }
            },
            _ => None,
        };
        if let Some(error) = error {
            self.error(
                v.span(),
                "invalid-command",
                vec![Msg::LintBadCommand {
                    line: line.to_owned(),
                    error,
                }],
            );
        }
    }

    fn start(&mut self, v: &Value<'_>) {
        let Some(keys) = self.table(v, "start", names::<Start>(), &required::<Start>()) else {
            return;
        };
        if let Some(files) = keys.get("file") {
            self.start_files(files);
        }
        if let Some(commands) = keys.get("commands") {
            self.start_commands(commands);
        }
        let Some(images) = keys.get("images") else {
            return;
        };
        let Some(items) = self.array(images, "start.images") else {
            return;
        };
        let catalog = crate::catalog::catalog();
        for (i, item) in items.iter().enumerate() {
            let Some(r) = self.reference(item, &format!("start.images[{i}]")) else {
                continue;
            };
            let tag = r.tag().unwrap_or(crate::docker::reference::DEFAULT_TAG);
            if r.domain() == crate::docker::reference::DEFAULT_DOMAIN
                && catalog.find(r.path(), tag).is_some()
            {
                continue;
            }
            let reference = r.clone().with_default_tag().familiar_string();
            let mut parts = vec![Msg::LintNotInCatalog { reference }];
            let name = r.path().strip_prefix("library/").unwrap_or(r.path());
            if r.domain() == crate::docker::reference::DEFAULT_DOMAIN
                && catalog.has_repository(r.path())
            {
                let tags: Vec<&str> = catalog
                    .images
                    .iter()
                    .filter(|i| i.name == name)
                    .flat_map(|i| i.tags.iter().map(String::as_str))
                    .collect();
                parts.push(Msg::LintCatalogTags {
                    name: name.to_owned(),
                    tags: tags.join(", "),
                });
            } else if let Some(s) = closest(name, catalog.repositories()) {
                parts.push(Msg::LintDidYouMean {
                    suggestion: s.to_owned(),
                });
            }
            self.error(item.span(), "not-in-catalog", parts);
        }
    }

    /// `[[start.file]]`: a workspace path and a text.
    fn start_files(&mut self, v: &Value<'_>) {
        let Some(items) = self.array(v, "start.file") else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("start.file[{i}]");
            let Some(keys) = self.table(item, &p, names::<StartFile>(), &required::<StartFile>())
            else {
                continue;
            };
            if let Some(path) = keys.get("path") {
                self.workspace_path(path, &join(&p, "path"));
            }
            if let Some(text) = keys.get("text") {
                self.string(text, &join(&p, "text"));
            }
        }
    }

    /// `start.commands`: Docker commands only (no shell, no tutor command), as Docker parses
    /// them.
    fn start_commands(&mut self, v: &Value<'_>) {
        let Some(items) = self.array(v, "start.commands") else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("start.commands[{i}]");
            let Some(line) = self.string(item, &p) else {
                continue;
            };
            if command::parse(line) == Command::Docker && !line.contains("$(") {
                let error = match shell_words::split(line) {
                    Err(e) => Some(e.to_string()),
                    Ok(words) => {
                        let args: Vec<String> = words.into_iter().skip(1).collect();
                        cli::parse(&args).err().map(|e| first_line(&e.stderr))
                    }
                };
                if let Some(error) = error {
                    self.error(
                        item.span(),
                        "invalid-command",
                        vec![Msg::LintStartBadCommand {
                            line: line.to_owned(),
                            error,
                        }],
                    );
                }
            } else {
                self.error(
                    item.span(),
                    "start-not-docker",
                    vec![Msg::LintStartNotDocker {
                        line: line.to_owned(),
                    }],
                );
            }
        }
    }

    fn step(&mut self, v: &Value<'_>, i: usize, ids: &mut BTreeMap<String, usize>) {
        let path = format!("step[{i}]");
        let Some(keys) = self.table(v, &path, names::<Step>(), &required::<Step>()) else {
            return;
        };
        if let Some(id) = keys.get("id") {
            if let Some(s) = self.string(id, &join(&path, "id")) {
                let (line, _) = line_col(self.text, id.span().start);
                if s.trim().is_empty() {
                    self.error(
                        id.span(),
                        "invalid-id",
                        vec![Msg::LintEmptyStepId { path: path.clone() }],
                    );
                } else if let Some(first) = ids.get(s) {
                    let first = *first as i64;
                    self.error(
                        id.span(),
                        "duplicate-step-id",
                        vec![Msg::LintDuplicateStep {
                            id: s.to_owned(),
                            first,
                        }],
                    );
                } else {
                    ids.insert(s.to_owned(), line);
                }
            }
        }
        for key in ["title", "text"] {
            if let Some(t) = keys.get(key) {
                self.text(t, &join(&path, key));
            }
        }
        if let Some(h) = keys.get("hints") {
            self.texts(h, &join(&path, "hints"));
        }
        if let Some(s) = keys.get("solution") {
            let p = join(&path, "solution");
            if let Some(lines) = self.array(s, &p) {
                if lines.is_empty() {
                    self.error(
                        s.span(),
                        "empty-list",
                        vec![Msg::LintEmptyList { path: p.clone() }],
                    );
                }
                for (j, l) in lines.iter().enumerate() {
                    self.solution(l, &format!("{p}[{j}]"));
                }
            }
        }
        if let Some(c) = keys.get("check") {
            let p = join(&path, "check");
            if self.checks(c, &p) == 0 {
                self.error(c.span(), "empty-list", vec![Msg::LintEmptyList { path: p }]);
            }
        }
        if let Some(m) = keys.get("mistake") {
            let p = join(&path, "mistake");
            if let Some(items) = self.array(m, &p) {
                for (j, item) in items.iter().enumerate() {
                    let mp = format!("{p}[{j}]");
                    if let Some(mk) =
                        self.table(item, &mp, names::<Mistake>(), &required::<Mistake>())
                    {
                        if let Some(id) = mk.get("id") {
                            self.string(id, &join(&mp, "id"));
                        }
                        if let Some(w) = mk.get("when") {
                            self.check(w, &join(&mp, "when"));
                        }
                        if let Some(e) = mk.get("explain") {
                            self.text(e, &join(&mp, "explain"));
                        }
                    }
                }
            }
        }
        if let Some(f) = keys.get("forbid") {
            let p = join(&path, "forbid");
            if let Some(items) = self.array(f, &p) {
                for (j, item) in items.iter().enumerate() {
                    let fp = format!("{p}[{j}]");
                    if let Some(fk) =
                        self.table(item, &fp, names::<Forbid>(), &required::<Forbid>())
                    {
                        if let Some(c) = fk.get("command") {
                            self.pattern(c, &join(&fp, "command"));
                        }
                        if let Some(e) = fk.get("explain") {
                            self.text(e, &join(&fp, "explain"));
                        }
                    }
                }
            }
        }
    }

    fn lab(&mut self, root: &Spanned<DeTable<'_>>) {
        let keys = self.keys(root.get_ref(), 0..0, "", names::<Lab>(), &required::<Lab>());
        if let Some(v) = keys.get("format_version") {
            match v.get_ref() {
                DeValue::Integer(i)
                    if i.as_str() == FORMAT_VERSION.to_string() && i.radix() == 10 => {}
                DeValue::Integer(i) => self.error(
                    v.span(),
                    "format-version",
                    vec![Msg::LintFormatVersion {
                        found: i.as_str().to_owned(),
                        supported: i64::from(FORMAT_VERSION),
                    }],
                ),
                _ => self.wrong_type(v, "format_version", "integer"),
            }
        }
        if let Some(v) = keys.get("id") {
            if let Some(id) = self.string(v, "id") {
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    self.error(
                        v.span(),
                        "invalid-id",
                        vec![Msg::LintBadLabId { id: id.to_owned() }],
                    );
                }
            }
        }
        for key in ["title", "intro"] {
            if let Some(v) = keys.get(key) {
                self.text(v, key);
            }
        }
        if let Some(v) = keys.get("start") {
            self.start(v);
        }
        if let Some(v) = keys.get("step") {
            if let Some(steps) = self.array(v, "step") {
                if steps.is_empty() {
                    self.error(
                        v.span(),
                        "empty-list",
                        vec![Msg::LintEmptyList {
                            path: "step".to_owned(),
                        }],
                    );
                }
                let mut ids = BTreeMap::new();
                for (i, s) in steps.iter().enumerate() {
                    self.step(s, i, &mut ids);
                }
            }
        }
    }
}

/// Every mistake in one lab file's text, in the order they appear; empty when the lab is clean.
pub(crate) fn lint(file: &str, text: &str) -> Vec<Diagnostic> {
    linter(file, text).diags
}

/// The lab `text` with the French typography of its French texts put right
/// ([`typography::fix`]), and how many texts changed. Texts written with escapes are left alone.
pub(crate) fn fix_french(text: &str) -> (String, usize) {
    let l = linter("", text);
    let mut out = text.to_owned();
    let mut changed = 0;
    // From the end, so that the earlier ranges stay right.
    for range in l.french.iter().rev() {
        let old = &text[range.clone()];
        let new = typography::fix(old);
        if new != old {
            out.replace_range(range.clone(), &new);
            changed += 1;
        }
    }
    (out, changed)
}

fn linter<'t>(file: &'t str, text: &'t str) -> Linter<'t> {
    let mut l = Linter {
        file,
        text,
        diags: Vec::new(),
        french: Vec::new(),
    };
    // The document after a syntax error is a guess (toml's recovery cascades): the first
    // syntax error stops the file.
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => {
            l.error(
                e.span().unwrap_or(0..0),
                "toml-syntax",
                vec![Msg::LintSyntax {
                    error: e.message().trim().to_owned(),
                }],
            );
            return l;
        }
    };
    l.lab(&root);
    if l.diags.iter().all(|d| d.severity == Severity::Warning) {
        // The walk found nothing: the serde structs must agree.
        if let Err(e) = Lab::parse(file, text) {
            let (line, column) = (e.line, e.column);
            let offset = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(str::len)
                .sum::<usize>()
                + column.saturating_sub(1);
            l.error(
                offset..offset,
                "schema",
                vec![Msg::LintSchema { error: e.message }],
            );
        }
    }
    l.diags.sort_by_key(|d| (d.span.start, d.span.end));
    l
}

/// A diagnostic about a whole file (unreadable, not a lab directory): at 1:1.
fn file_error(file: &str, code: &'static str, msg: Msg) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        span: 0..0,
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
        severity: Severity::Error,
        code,
        parts: vec![msg],
    }
}

/// The lab files named by `paths`: files as given, directories' `*.toml` (sorted, not
/// recursive); paths that cannot be read or hold no lab are diagnostics.
pub(crate) fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        if p.is_dir() {
            let found: Result<Vec<PathBuf>, _> = std::fs::read_dir(p).map(|entries| {
                let mut v: Vec<PathBuf> = entries
                    .filter_map(|e| Some(e.ok()?.path()))
                    .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "toml"))
                    .collect();
                v.sort();
                v
            });
            match found {
                Ok(v) if v.is_empty() => {
                    diags.push(file_error(
                        &shown,
                        "no-lab-files",
                        Msg::LintNoFiles {
                            path: shown.clone(),
                        },
                    ));
                }
                Ok(v) => files.extend(v),
                Err(e) => diags.push(file_error(
                    &shown,
                    "unreadable",
                    Msg::LintUnreadable {
                        path: shown.clone(),
                        error: e.to_string(),
                    },
                )),
            }
        } else {
            files.push(p.clone());
        }
    }
    (files, diags)
}

/// What `lab lint` found over several paths.
#[derive(Debug, Clone, Default)]
pub(crate) struct LintRun {
    /// How many lab files were read.
    pub files: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl LintRun {
    /// How many diagnostics are errors (the rest are warnings).
    pub(crate) fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Lints every lab file named by `paths`; two files with the same lab id are an error too.
pub(crate) fn lint_paths(paths: &[PathBuf]) -> LintRun {
    let (files, mut diagnostics) = collect(paths);
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let mut run_files = 0;
    for f in files {
        let shown = f.display().to_string();
        let text = match super::read_file(&f) {
            Ok(t) => t,
            Err(e) => {
                let code = match e {
                    super::ReadError::TooLarge { .. } => "too-large",
                    super::ReadError::NotRegular { .. } => "not-regular",
                    super::ReadError::Unreadable { .. } => "unreadable",
                };
                diagnostics.push(file_error(&shown, code, e.msg(&shown)));
                continue;
            }
        };
        run_files += 1;
        let found = lint(&shown, &text);
        if found.iter().all(|d| d.severity == Severity::Warning) {
            if let Ok(lab) = Lab::parse(&shown, &text) {
                if let Some(other) = ids.get(&lab.id) {
                    let offset = DeTable::parse(&text)
                        .ok()
                        .and_then(|root| root.get_ref().get("id").map(|v| v.span().start))
                        .unwrap_or(0);
                    let mut d = file_error(
                        &shown,
                        "duplicate-lab-id",
                        Msg::LintDuplicateLab {
                            id: lab.id.clone(),
                            other: other.clone(),
                        },
                    );
                    (d.line, d.column) = line_col(&text, offset);
                    (d.end_line, d.end_column) = (d.line, d.column);
                    d.span = offset..offset;
                    diagnostics.push(d);
                } else {
                    ids.insert(lab.id, shown.clone());
                }
            }
        }
        diagnostics.extend(found);
    }
    LintRun {
        files: run_files,
        diagnostics,
    }
}

#[cfg(test)]
mod tests;
