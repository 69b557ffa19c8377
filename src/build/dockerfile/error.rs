//! Dockerfile errors as data, rendered with BuildKit's exact English (Docker 28) and the source
//! excerpt buildx prints under `Dockerfile:N`.

use std::fmt;

use super::shell::ExpandError;

/// A Dockerfile that BuildKit would refuse, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The Dockerfile's name as the build names it (`Dockerfile`, `app.Dockerfile`).
    pub file: String,
    /// First line (1-based) of the instruction at fault; 0 when BuildKit gives no line.
    pub line: usize,
    /// Last line of the instruction (continuations and heredocs included).
    pub end_line: usize,
    /// Column (1-based) of the instruction's first character on `line`.
    pub column: usize,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// Everything the parser, the instruction checks and the stage model can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Zero bytes: `the Dockerfile cannot be empty`.
    EmptyDockerfile,
    /// Only comments and blank lines: `file with no instructions`.
    NoInstructions,
    /// `# escape=x`.
    InvalidEscapeToken(String),
    /// The same directive twice: `only one escape parser directive can be used`.
    DuplicateDirective(String),
    /// A heredoc whose delimiter never comes.
    UnterminatedHeredoc,
    /// A line longer than Go's scanner buffer.
    LineTooLong,
    /// `RUNN x`, with BuildKit's did-you-mean.
    UnknownInstruction {
        instruction: String,
        suggestion: Option<String>,
    },
    /// An instruction before the first FROM (ARG excepted).
    NoBuildStage,
    /// `EXPOSE requires at least one argument`.
    AtLeastOneArgument(&'static str),
    /// `USER requires exactly one argument`.
    ExactlyOneArgument(&'static str),
    /// `COPY x`.
    NoDestination(&'static str),
    /// `ENV =x`.
    BlankNames(&'static str),
    /// Legacy `ENV A` with no value: `ENV must have two arguments`.
    MustHaveTwoArguments(&'static str),
    /// `ENV A=1 B`: `Syntax error - can't find = in "B". Must be of the form: name=value`.
    MissingEquals(String),
    /// `CMD ["a", 1]`.
    NotStringArray,
    /// `SHELL /bin/sh -c`.
    NotJson(&'static str),
    /// `FROM a b`.
    FromArguments,
    /// `FROM x AS 1st`.
    InvalidStageName(String),
    /// `ONBUILD ONBUILD …`.
    OnbuildChaining,
    /// `ONBUILD FROM …`, `ONBUILD MAINTAINER …`.
    OnbuildTrigger(String),
    /// `HEALTHCHECK NONE x`.
    HealthcheckNoneArguments,
    /// `HEALTHCHECK CMD` with nothing after.
    HealthcheckMissingCommand,
    /// `HEALTHCHECK FOO x`.
    HealthcheckUnknownType(String),
    /// `--interval=1ns`.
    IntervalTooShort(String),
    /// `--interval=soon`: Go's `time: invalid duration "soon"`.
    InvalidDuration(String),
    /// `--retries=-1`.
    NegativeRetries(i64),
    /// `--retries=x`: Go's `strconv.ParseInt: parsing "x": invalid syntax`.
    InvalidRetries(String),
    /// `VOLUME [""]`.
    EmptyVolume,
    /// `COPY a <<EOF`.
    BadHeredoc {
        instruction: &'static str,
        role: &'static str,
    },
    /// `COPY --foo=1 a b`: `unknown flag: --foo`.
    UnknownFlag {
        flag: String,
        suggestion: Option<String>,
    },
    /// `duplicate flag specified: --from`.
    DuplicateFlag(String),
    /// `missing a value on flag: --from`.
    MissingFlagValue(String),
    /// `expecting boolean value for flag --link, not: maybe`.
    BadBoolFlag { flag: String, value: String },
    /// A variable could not be expanded.
    Expand(ExpandError),
    /// `--target` names no stage.
    TargetNotFound {
        target: String,
        suggestion: Option<String>,
    },
    /// More instructions than [`MAX_INSTRUCTIONS`]: docklab's limit (BuildKit has none).
    TooManyInstructions(usize),
    /// A stage's ENV, ARG and LABEL values and history past [`MAX_CONFIG_BYTES`]: docklab's
    /// limit on an image config, as a registry's on a manifest.
    ConfigTooLarge,
    /// The legacy builder's intermediate image configs past this many bytes in total.
    IntermediateImagesTooLarge(usize),
    /// COPY/ADD heredocs expanding to more than this many bytes in total.
    HeredocsTooLarge(usize),
}

/// Instructions one Dockerfile may have. Each instruction copies its stage's scope and, with
/// the legacy builder, commits an image config: the limit keeps a hostile Dockerfile's time
/// and disk bounded (`MAX_INSTRUCTIONS × MAX_CONFIG_BYTES`). Real Dockerfiles have tens.
pub const MAX_INSTRUCTIONS: usize = 1000;

/// The largest image config a build may produce, counted as the bytes of its ENV, ARG and
/// LABEL values and of its history. containerd refuses manifests over about 4 MB from a
/// registry (`MaxManifestSize`); an image config of a megabyte is already far past any real
/// one.
pub const MAX_CONFIG_BYTES: usize = 1 << 20;

impl ErrorKind {
    /// Whether BuildKit reports this from its instruction checks, which prefix
    /// `dockerfile parse error on line N: `. Line-level parser errors, stage errors and
    /// expansion errors are not prefixed.
    pub fn is_instruction_error(&self) -> bool {
        !matches!(
            self,
            Self::EmptyDockerfile
                | Self::NoInstructions
                | Self::InvalidEscapeToken(_)
                | Self::DuplicateDirective(_)
                | Self::UnterminatedHeredoc
                | Self::LineTooLong
                | Self::NoBuildStage
                | Self::MustHaveTwoArguments(_)
                | Self::MissingEquals(_)
                | Self::NotStringArray
                | Self::Expand(_)
                | Self::TargetNotFound { .. }
                | Self::TooManyInstructions(_)
                | Self::ConfigTooLarge
                | Self::IntermediateImagesTooLarge(_)
                | Self::HeredocsTooLarge(_)
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyDockerfile => f.write_str("the Dockerfile cannot be empty"),
            Self::NoInstructions => f.write_str("file with no instructions"),
            Self::InvalidEscapeToken(t) => {
                write!(f, "invalid escape token '{t}' does not match ` or \\")
            }
            Self::DuplicateDirective(d) => write!(f, "only one {d} parser directive can be used"),
            Self::UnterminatedHeredoc => f.write_str("unterminated heredoc"),
            Self::LineTooLong => f.write_str("dockerfile line greater than max allowed size of 65535"),
            Self::UnknownInstruction { instruction, suggestion } => {
                write!(f, "unknown instruction: {instruction}")?;
                suggest(f, suggestion.as_deref())
            }
            Self::NoBuildStage => f.write_str("no build stage in current context"),
            Self::AtLeastOneArgument(i) => write!(f, "{i} requires at least one argument"),
            Self::ExactlyOneArgument(i) => write!(f, "{i} requires exactly one argument"),
            Self::NoDestination(i) => write!(
                f,
                "{i} requires at least two arguments, but only one was provided. Destination could not be determined"
            ),
            Self::BlankNames(i) => write!(f, "{i} names can not be blank"),
            Self::MustHaveTwoArguments(i) => write!(f, "{i} must have two arguments"),
            Self::MissingEquals(w) => write!(
                f,
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(w)
            ),
            Self::NotStringArray => f.write_str(
                "when using JSON array syntax, arrays must be comprised of strings only",
            ),
            Self::NotJson(i) => write!(f, "{i} requires the arguments to be in JSON form"),
            Self::FromArguments => f.write_str("FROM requires either one or three arguments"),
            Self::InvalidStageName(n) => write!(
                f,
                "invalid name for build stage: {}, name can't start with a number or contain symbols",
                go_quote(n)
            ),
            Self::OnbuildChaining => {
                f.write_str("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
            }
            Self::OnbuildTrigger(i) => write!(f, "{i} isn't allowed as an ONBUILD trigger"),
            Self::HealthcheckNoneArguments => f.write_str("HEALTHCHECK NONE takes no arguments"),
            Self::HealthcheckMissingCommand => f.write_str("Missing command after HEALTHCHECK CMD"),
            Self::HealthcheckUnknownType(t) => {
                write!(f, "Unknown type {} in HEALTHCHECK (try CMD)", go_quote(t))
            }
            Self::IntervalTooShort(flag) => {
                write!(f, "Interval {} cannot be less than 1ms", go_quote(flag))
            }
            Self::InvalidDuration(v) => write!(f, "time: invalid duration {}", go_quote(v)),
            Self::NegativeRetries(n) => write!(f, "--retries cannot be negative ({n})"),
            Self::InvalidRetries(v) => {
                write!(f, "strconv.ParseInt: parsing {}: invalid syntax", go_quote(v))
            }
            Self::EmptyVolume => f.write_str("VOLUME specified can not be an empty string"),
            Self::BadHeredoc { instruction, role } => {
                write!(f, "{instruction} cannot accept a heredoc as {role}")
            }
            Self::UnknownFlag { flag, suggestion } => {
                write!(f, "unknown flag: {flag}")?;
                suggest(f, suggestion.as_deref())
            }
            Self::DuplicateFlag(flag) => write!(f, "duplicate flag specified: {flag}"),
            Self::MissingFlagValue(flag) => write!(f, "missing a value on flag: {flag}"),
            Self::BadBoolFlag { flag, value } => {
                write!(f, "expecting boolean value for flag {flag}, not: {value}")
            }
            Self::Expand(e) => e.fmt(f),
            Self::TargetNotFound { target, suggestion } => {
                write!(f, "target stage {} could not be found", go_quote(target))?;
                suggest(f, suggestion.as_deref())
            }
            Self::TooManyInstructions(n) => write!(
                f,
                "the Dockerfile has {n} instructions, more than docklab's limit of \
                 {MAX_INSTRUCTIONS}"
            ),
            Self::IntermediateImagesTooLarge(limit) => write!(
                f,
                "the intermediate images of this build would hold more than docklab's limit of \
                 {limit} bytes of image configs"
            ),
            Self::HeredocsTooLarge(limit) => write!(
                f,
                "the heredocs of this build would hold more than docklab's limit of {limit} bytes"
            ),
            Self::ConfigTooLarge => write!(
                f,
                "the image config (ENV, ARG and LABEL values, history) would exceed docklab's \
                 limit of {MAX_CONFIG_BYTES} bytes"
            ),
        }
    }
}

fn suggest(f: &mut fmt::Formatter<'_>, s: Option<&str>) -> fmt::Result {
    match s {
        Some(s) => write!(f, " (did you mean {s}?)"),
        None => Ok(()),
    }
}

impl fmt::Display for ParseError {
    /// BuildKit's error text, as after `ERROR: failed to solve: ` on the CLI.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind.is_instruction_error() {
            write!(f, "dockerfile parse error on line {}: ", self.line)?;
        }
        self.kind.fmt(f)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    pub(crate) fn new(kind: ErrorKind, line: usize, end_line: usize, column: usize) -> Self {
        Self {
            file: String::from("Dockerfile"),
            line,
            end_line: end_line.max(line),
            column,
            kind,
        }
    }

    /// The excerpt buildx prints above the error (BuildKit `solver/errdefs/source.go`,
    /// `Source.Print`), or an empty string when there is no line to show.
    pub fn excerpt(&self, source: &str) -> String {
        source_excerpt(&self.file, source, self.line, self.end_line)
    }

    /// What `docker build` (buildx 0.24, Docker 28.2) prints on standard error at the end of a
    /// failed build: the excerpt, then `ERROR: failed to solve: …`.
    ///
    /// buildx 0.25 and later wrap once more: `ERROR: failed to build: failed to solve: …`.
    /// A Dockerfile's control characters (escape sequences) are shown escaped, never sent to
    /// the terminal; BuildKit prints them raw.
    pub fn render_cli(&self, source: &str) -> String {
        let text = format!("{}ERROR: failed to solve: {self}\n", self.excerpt(source));
        crate::docker::reference::escape_controls_in_lines(&text).into_owned()
    }
}

/// BuildKit's `Source.Print` for a range of lines `start..=end` (1-based).
pub fn source_excerpt(file: &str, source: &str, start: usize, end: usize) -> String {
    use fmt::Write as _;
    let lines: Vec<&str> = source.split('\n').collect();
    let n = lines.len();
    if start < 1 || start > n {
        return String::new();
    }
    let (mut s, mut e) = (start, end.max(start).min(n));
    // Same loop as Go: `p` always advances, so it ends even when no context can be added.
    let pad = if e == s { 4 } else { 2 };
    let mut p = 0;
    while p < pad {
        if s > 1 {
            s -= 1;
            p += 1;
        }
        if e != n {
            e += 1;
            p += 1;
        }
        p += 1;
    }
    let mut out = format!("{file}:{start}\n--------------------\n");
    for i in s..=e {
        let marker = if (start..=end.max(start)).contains(&i) {
            ">>>"
        } else {
            "   "
        };
        let _ = writeln!(out, " {i:3} | {marker} {}", lines[i - 1]);
    }
    out.push_str("--------------------\n");
    out
}

pub use crate::docker::text::go_quote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_of_unknown_instruction_matches_buildx() {
        let e = ParseError::new(
            ErrorKind::UnknownInstruction {
                instruction: "RUNN".into(),
                suggestion: Some("RUN".into()),
            },
            2,
            2,
            1,
        );
        assert_eq!(
            e.render_cli("FROM scratch\nRUNN x\n"),
            "Dockerfile:2\n--------------------\n   1 |     FROM scratch\n   2 | >>> RUNN x\n   3 |     \n--------------------\nERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)\n"
        );
    }

    #[test]
    fn excerpt_pads_four_lines_around_one_line() {
        let src = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11";
        let x = source_excerpt("Dockerfile", src, 7, 7);
        assert_eq!(
            x,
            "Dockerfile:7\n--------------------\n   5 |     5\n   6 |     6\n   7 | >>> 7\n   8 |     8\n   9 |     9\n--------------------\n"
        );
        // A range gets one line of context on each side.
        let x = source_excerpt("Dockerfile", src, 3, 5);
        assert_eq!(
            x,
            "Dockerfile:3\n--------------------\n   2 |     2\n   3 | >>> 3\n   4 | >>> 4\n   5 | >>> 5\n   6 |     6\n--------------------\n"
        );
        assert_eq!(source_excerpt("Dockerfile", src, 0, 0), "");
        assert_eq!(source_excerpt("Dockerfile", src, 99, 99), "");
    }

    #[test]
    fn go_quoting() {
        assert_eq!(go_quote("a\"b\\\n\u{1}é"), "\"a\\\"b\\\\\\n\\x01é\"");
    }
}
