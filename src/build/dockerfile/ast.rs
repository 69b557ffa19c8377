//! The spanned Dockerfile AST: one struct per instruction, words as written (quotes and `$VAR`
//! kept; [`super::expand`] gives them their build-time value).

use std::ops::Range;
use std::time::Duration;

/// Where an instruction is in the Dockerfile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Span {
    /// First line (1-based).
    pub start_line: usize,
    /// Last line, continuation lines and heredoc bodies included.
    pub end_line: usize,
    /// Column (1-based, in characters) of the instruction word on `start_line`.
    pub column: usize,
    /// Byte range in the source (BOM excluded from nothing: offsets are into the text given).
    pub bytes: Range<usize>,
}

/// A parser directive at the top of the file (`# syntax=…`, `# escape=…`, `# check=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    /// 1-based line.
    pub line: usize,
}

/// A here-document attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, quotes removed (`EOF`); for COPY/ADD also the file name.
    pub name: String,
    /// `3<<EOF` → 3; 0 when not given.
    pub fd: u32,
    /// False when the delimiter was quoted (`<<"EOF"`, `<<'EOF'`): no expansion of the body.
    pub expand: bool,
    /// `<<-EOF`: leading tabs are stripped from the body lines and the delimiter line.
    pub chomp: bool,
    /// The body, each line with its line ending, leading tabs still there (see
    /// [`Heredoc::body`]).
    pub content: String,
}

impl Heredoc {}

/// Shell form (`RUN apt-get update`) or exec form (`RUN ["apt-get", "update"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandLine {
    /// The text after the instruction and its flags, continuation characters removed.
    Shell(String),
    /// The JSON array's strings.
    Exec(Vec<String>),
}

impl CommandLine {
    /// The argv as BuildKit records it, with the stage's SHELL prepended to the shell form.
    pub fn with_shell(&self, shell: &[String]) -> Vec<String> {
        match self {
            Self::Shell(s) => shell.iter().cloned().chain([s.clone()]).collect(),
            Self::Exec(v) => v.clone(),
        }
    }
}

/// A `key=value` of ENV or LABEL, both as written (quotes kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
    /// Written in the legacy `ENV key value` form (BuildKit's `LegacyKeyValueFormat` lint).
    pub legacy: bool,
}

/// One name of ARG, with its default as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgDef {
    pub key: String,
    pub default: Option<String>,
}

/// `FROM [--platform=…] image [AS name]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    /// The base image expression as written (may contain `$ARG`s declared before FROM).
    pub image: String,
    /// The stage name, lower-cased as BuildKit does.
    pub name: Option<String>,
    pub platform: Option<String>,
}

/// `RUN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub command: CommandLine,
    pub heredocs: Vec<Heredoc>,
    /// `--mount=…` specs as written.
    pub mounts: Vec<String>,
    pub network: Option<String>,
    pub security: Option<String>,
}

/// `CMD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    /// `None` for a bare `CMD` (BuildKit then records an empty shell command).
    pub command: Option<CommandLine>,
}

/// `ENTRYPOINT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entrypoint {
    /// `None` for a bare `ENTRYPOINT` or `ENTRYPOINT []`, which reset it.
    pub command: Option<CommandLine>,
}

/// `LABEL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub labels: Vec<KeyValue>,
}

/// `ENV`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    pub vars: Vec<KeyValue>,
}

/// `EXPOSE`: the port words as written, sorted as BuildKit sorts them before expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expose {
    pub ports: Vec<String>,
}

/// A source given inline by a heredoc (`COPY <<EOF /file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSource {
    /// The heredoc's name, used as the file name.
    pub name: String,
    /// The body, tabs already stripped for `<<-`.
    pub content: String,
    /// Whether `$VAR`s in the body are expanded.
    pub expand: bool,
}

/// `COPY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// Source paths as written (heredoc sources are in `inline`).
    pub sources: Vec<String>,
    pub inline: Vec<InlineSource>,
    pub dest: String,
    pub from: Option<String>,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub parents: bool,
    pub exclude: Vec<String>,
    /// Written as a JSON array.
    pub json: bool,
}

/// `ADD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Add {
    pub sources: Vec<String>,
    pub inline: Vec<InlineSource>,
    pub dest: String,
    pub chown: Option<String>,
    pub chmod: Option<String>,
    pub link: bool,
    pub exclude: Vec<String>,
    pub checksum: Option<String>,
    pub keep_git_dir: Option<bool>,
    pub unpack: Option<bool>,
    pub json: bool,
}

/// `VOLUME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volume {
    pub paths: Vec<String>,
    pub json: bool,
}

/// `USER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub user: String,
}

/// `WORKDIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workdir {
    pub path: String,
}

/// `ARG`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub args: Vec<ArgDef>,
}

/// `ONBUILD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onbuild {
    /// The trigger as stored in the image config (`RUN echo hi`), heredocs appended.
    pub expression: String,
    /// The trigger, parsed.
    pub trigger: Box<Node>,
}

/// `STOPSIGNAL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopSignal {
    pub signal: String,
}

/// `HEALTHCHECK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Healthcheck {
    /// `HEALTHCHECK NONE`.
    None,
    /// `HEALTHCHECK [options] CMD …`.
    Cmd {
        command: CommandLine,
        interval: Duration,
        timeout: Duration,
        start_period: Duration,
        start_interval: Duration,
        retries: i64,
    },
}

/// `SHELL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shell {
    pub shell: Vec<String>,
}

/// `MAINTAINER` (deprecated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintainer {
    pub name: String,
}

/// Every Dockerfile instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instruction {
    From(From),
    Run(Run),
    Cmd(Cmd),
    Label(Label),
    Expose(Expose),
    Env(Env),
    Add(Add),
    Copy(Copy),
    Entrypoint(Entrypoint),
    Volume(Volume),
    User(User),
    Workdir(Workdir),
    Arg(Arg),
    Onbuild(Onbuild),
    StopSignal(StopSignal),
    Healthcheck(Healthcheck),
    Shell(Shell),
    Maintainer(Maintainer),
}

impl Instruction {
    #[cfg(test)]
    /// The instruction's name in upper case (`RUN`, `STOPSIGNAL`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::From(_) => "FROM",
            Self::Run(_) => "RUN",
            Self::Cmd(_) => "CMD",
            Self::Label(_) => "LABEL",
            Self::Expose(_) => "EXPOSE",
            Self::Env(_) => "ENV",
            Self::Add(_) => "ADD",
            Self::Copy(_) => "COPY",
            Self::Entrypoint(_) => "ENTRYPOINT",
            Self::Volume(_) => "VOLUME",
            Self::User(_) => "USER",
            Self::Workdir(_) => "WORKDIR",
            Self::Arg(_) => "ARG",
            Self::Onbuild(_) => "ONBUILD",
            Self::StopSignal(_) => "STOPSIGNAL",
            Self::Healthcheck(_) => "HEALTHCHECK",
            Self::Shell(_) => "SHELL",
            Self::Maintainer(_) => "MAINTAINER",
        }
    }
}

/// An instruction with where it was written and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub instruction: Instruction,
    pub span: Span,
    /// The instruction word as written (`run`).
    pub keyword: String,
    /// The instruction on one line, continuation characters removed, comment lines dropped,
    /// trimmed: BuildKit's `String()` of a command, shown in progress (`[2/3] RUN …`).
    pub original: String,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Vec<Directive>,
    /// `\` or `` ` ``.
    pub escape: char,
    pub nodes: Vec<Node>,
}
