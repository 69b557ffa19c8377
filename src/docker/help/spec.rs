//! The types of Docker's command-line surface: a flag ([`FlagSpec`], its [`ValueKind`],
//! [`Check`] and [`DaemonOnly`]), a runnable command ([`CommandSpec`], its [`Arity`] and
//! [`Owner`], the [`CommandId`] the engine dispatches on) and a management command
//! ([`GroupSpec`]), with the `const` builders the tables in [`super::flags`] and
//! [`super::commands`] are written with. The parser in [`super::super::cli`] depends on these
//! types, never the reverse.

/// The value a flag takes, named as pflag names its type in help (`string`, `list`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// No value (`--all`, or `--all=false`).
    Bool,
    Str,
    /// Go `int`/`int64`: `strconv.ParseInt` rules.
    Int,
    Uint16,
    /// Go `uint64`.
    Uint,
    /// Docker's `ListOpts`: repeatable, one value per occurrence.
    List,
    /// pflag `stringSlice`: repeatable, each occurrence split on commas.
    Strings,
    /// pflag `stringArray`: repeatable, one value per occurrence (buildx).
    StringArray,
    Filter,
    Map,
    /// A size such as `512m` (go-units `RAMInBytes`).
    Bytes,
    /// A rational number (`--cpus 1.5`).
    Decimal,
    /// A Go duration (`30s`, `1m30s`).
    Duration,
    Ulimit,
    GpuRequest,
    Mount,
    Network,
}

impl ValueKind {
    /// The type word shown after the flag name in help (empty for booleans).
    pub fn type_word(self) -> &'static str {
        match self {
            ValueKind::Bool => "",
            ValueKind::Str => "string",
            ValueKind::Int => "int",
            ValueKind::Uint16 => "uint16",
            ValueKind::Uint => "uint",
            ValueKind::List => "list",
            ValueKind::Strings => "strings",
            ValueKind::StringArray => "stringArray",
            ValueKind::Filter => "filter",
            ValueKind::Map => "map",
            ValueKind::Bytes => "bytes",
            ValueKind::Decimal => "decimal",
            ValueKind::Duration => "duration",
            ValueKind::Ulimit => "ulimit",
            ValueKind::GpuRequest => "gpu-request",
            ValueKind::Mount => "mount",
            ValueKind::Network => "network",
        }
    }

    /// Whether the flag collects several values (`-e A -e B`).
    pub fn is_repeatable(self) -> bool {
        matches!(
            self,
            ValueKind::List
                | ValueKind::Strings
                | ValueKind::StringArray
                | ValueKind::Filter
                | ValueKind::Map
                | ValueKind::Ulimit
                | ValueKind::Mount
                | ValueKind::Network
        )
    }
}

/// A value check Docker's client makes while parsing the flag (its error is a flag error, 125).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// `-e`: the variable name must not be empty.
    Env,
    /// `--label`: the label name must not be empty.
    Label,
    /// `--add-host`: `host:ip` or `host=ip`.
    ExtraHost,
    /// `-a/--attach`: STDIN, STDOUT or STDERR.
    Attach,
    /// `--dns`: an IP address.
    IpAddr,
    /// `--ulimit`: `name=soft[:hard]`.
    Ulimit,
}

/// One flag of one command.
#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub short: Option<char>,
    pub long: &'static str,
    pub kind: ValueKind,
    /// Docker's default, as Go prints it (`"true"`, `"missing"`, `"-1"`); empty for the zero value.
    pub default: &'static str,
    /// Whether help shows `(default …)`.
    pub show_default: bool,
    pub help: &'static str,
    pub hidden: bool,
    /// For a deprecated flag, the advice printed when it is used (`use --timeout instead`).
    pub deprecated: Option<&'static str>,
    /// The value a flag takes when given without one (`--check` means `--check=true`).
    pub no_opt_default: Option<&'static str>,
    pub check: Check,
    /// Docker hides the flag unless the daemon has this property, and refuses it when used.
    pub daemon: Option<DaemonOnly>,
    /// The API version the flag needs (docker/cli's `version` annotation): hidden from help and
    /// refused when the client speaks an older one (`DOCKER_API_VERSION`).
    pub since: Option<&'static str>,
}

/// One command docklab's simulated engine implements, by its canonical path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandId {
    Pull,
    /// `docker images`, `docker image ls`, `docker image list`.
    ImageLs,
    Tag,
    History,
    /// `docker rmi`, `docker image rm`, `docker image remove`.
    Rmi,
    ImagePrune,
    SystemPrune,
    SystemDf,
    Run,
    Create,
    /// `docker ps`, `docker container ls|list|ps`.
    Ps,
    Stop,
    Start,
    /// `docker rm`, `docker container rm|remove`.
    Rm,
    /// `docker container prune`.
    ContainerPrune,
    Inspect,
    ImageInspect,
    ContainerInspect,
    Version,
    /// `docker info`, `docker system info`.
    Info,
    /// `BuildKit`'s build: `docker build`, `docker image build`, `docker builder build`,
    /// `docker buildx build`, `docker buildx b`.
    Build,
    Save,
    Load,
    /// `docker builder prune`, `docker buildx prune`.
    BuilderPrune,
    /// `docker search`, over the offline catalog.
    Search,
    /// Parsed so the engine can answer it; docklab has no registry to push to.
    Push,
    /// A Docker command docklab lists but does not simulate (`exec`, `network ls`, `image
    /// import`): the engine says so.
    NotSimulated,
}

impl CommandId {
    /// Whether the command only reads the engine's state (images, containers, build cache):
    /// a listing, an inspection, `save` (which writes a file on the client's side). The match
    /// is exhaustive so that a new command must say. `push` may record a repository digest;
    /// `NotSimulated` is decided by its path ([`super::unsimulated::reads_only`]).
    pub fn reads_only(self) -> bool {
        match self {
            CommandId::ImageLs
            | CommandId::History
            | CommandId::SystemDf
            | CommandId::Ps
            | CommandId::Inspect
            | CommandId::ImageInspect
            | CommandId::ContainerInspect
            | CommandId::Version
            | CommandId::Info
            | CommandId::Save
            | CommandId::Search => true,
            CommandId::Pull
            | CommandId::Tag
            | CommandId::Rmi
            | CommandId::ImagePrune
            | CommandId::SystemPrune
            | CommandId::Run
            | CommandId::Create
            | CommandId::Stop
            | CommandId::Start
            | CommandId::Rm
            | CommandId::ContainerPrune
            | CommandId::Build
            | CommandId::Load
            | CommandId::BuilderPrune
            | CommandId::Push
            | CommandId::NotSimulated => false,
        }
    }
}

/// A daemon property some flags require (docker/cli's `ostype` and `experimental` annotations).
/// docklab's engine is a Linux daemon without experimental features, like a default Docker 28.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaemonOnly {
    Windows,
    Experimental,
}

impl DaemonOnly {
    /// What the client says when the flag is used with docklab's (Linux) daemon.
    pub fn refusal(self, long: &str) -> String {
        match self {
            DaemonOnly::Windows => format!(
                "\"--{long}\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux"
            ),
            DaemonOnly::Experimental => format!(
                "\"--{long}\" is only supported on a Docker daemon with experimental features enabled"
            ),
        }
    }
}

pub(super) const fn flag(
    short: Option<char>,
    long: &'static str,
    kind: ValueKind,
    help: &'static str,
) -> FlagSpec {
    FlagSpec {
        short,
        long,
        kind,
        default: "",
        show_default: false,
        help,
        hidden: false,
        deprecated: None,
        no_opt_default: None,
        check: Check::None,
        daemon: None,
        since: None,
    }
}

impl FlagSpec {
    pub(super) const fn default_shown(mut self, value: &'static str) -> Self {
        self.default = value;
        self.show_default = true;
        self
    }
    pub(super) const fn default_hidden(mut self, value: &'static str) -> Self {
        self.default = value;
        self
    }
    pub(super) const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }
    pub(super) const fn deprecated(mut self, advice: &'static str) -> Self {
        self.deprecated = Some(advice);
        self.hidden = true;
        self
    }
    pub(super) const fn daemon(mut self, needs: DaemonOnly) -> Self {
        self.daemon = Some(needs);
        self.hidden = true;
        self
    }
    pub(super) const fn check(mut self, check: Check) -> Self {
        self.check = check;
        self
    }
    pub(super) const fn since(mut self, api: &'static str) -> Self {
        self.since = Some(api);
        self
    }

    /// Whether the flag takes no separate value (`--all`, `-a`).
    pub fn is_bool(&self) -> bool {
        self.kind == ValueKind::Bool || self.no_opt_default.is_some()
    }

    /// The value used when the flag is given without `=value` and takes none.
    pub fn implicit_value(&self) -> Option<&'static str> {
        match (self.no_opt_default, self.kind) {
            (Some(v), _) => Some(v),
            (None, ValueKind::Bool) => Some("true"),
            _ => None,
        }
    }

    /// The name pflag uses in "invalid argument" errors: `-n, --last` or `--rm`.
    pub fn error_name(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }
}

/// How many positional arguments a command accepts (docker/cli `cli/required.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// `cli.NoArgs`.
    None,
    /// `cli.ExactArgs(n)`.
    Exact(usize),
    /// `cli.RequiresMinArgs(n)`.
    Min(usize),
    /// `cli.RequiresMaxArgs(n)`.
    Max(usize),
}

/// Which program owns a command: Docker's client, or the buildx plugin (`BuildKit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Docker,
    Buildx,
}

/// One runnable command, by the path Docker shows for it (`image ls`, `images`).
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    pub id: CommandId,
    /// The canonical path after `docker`, as in error messages: `image ls`.
    pub path: &'static str,
    /// Other names under the same parent: `list` for `image ls`.
    pub aliases: &'static [&'static str],
    /// What follows the path on the usage line: `[OPTIONS] [REPOSITORY[:TAG]]`.
    pub usage: &'static str,
    pub short: &'static str,
    /// The "Aliases:" line of help, when Docker shows one.
    pub aliases_line: Option<&'static str>,
    pub flags: &'static [FlagSpec],
    pub arity: Arity,
    /// Whether flags may follow positionals (false for `run`/`create`: the rest is the command).
    pub interspersed: bool,
    /// `run`/`create` define `--help` themselves (shown in help) and use `-h` for `--hostname`.
    pub own_help_flag: bool,
    pub owner: Owner,
}

impl CommandSpec {
    /// `docker image ls [OPTIONS] [REPOSITORY[:TAG]]`
    pub fn use_line(&self) -> String {
        if self.usage.is_empty() {
            format!("docker {}", self.path)
        } else {
            format!("docker {} {}", self.path, self.usage)
        }
    }

    /// The last word of the path: `ls` for `image ls`.
    pub fn name(&self) -> &'static str {
        self.path.rsplit(' ').next().unwrap_or(self.path)
    }

    /// The parent path: `image` for `image ls`, empty for `images`.
    pub fn parent(&self) -> &'static str {
        match self.path.rfind(' ') {
            Some(i) => &self.path[..i],
            None => "",
        }
    }
}

/// A command that only groups others (`docker image`); bare, it prints its help on stderr.
#[derive(Debug, Clone, Copy)]
pub struct GroupSpec {
    pub name: &'static str,
    pub short: &'static str,
    /// The longer text shown at the top of the group's own help (cobra's `Long`), if any.
    pub long: Option<&'static str>,
    pub owner: Owner,
    /// Flags of the group itself (buildx has `--builder` and `--debug`).
    pub flags: &'static [FlagSpec],
}

pub(super) const fn cmd(
    id: CommandId,
    path: &'static str,
    usage: &'static str,
    short: &'static str,
    flags: &'static [FlagSpec],
    arity: Arity,
) -> CommandSpec {
    CommandSpec {
        id,
        path,
        aliases: &[],
        usage,
        short,
        aliases_line: None,
        flags,
        arity,
        interspersed: true,
        own_help_flag: false,
        owner: Owner::Docker,
    }
}

impl CommandSpec {
    pub(super) const fn aka(
        mut self,
        aliases: &'static [&'static str],
        line: &'static str,
    ) -> Self {
        self.aliases = aliases;
        self.aliases_line = Some(line);
        self
    }
    /// Flags only before the first argument (pflag's `SetInterspersed(false)`): after it, every
    /// word is an argument, `--` and `-x` included (`docker tag alpine -x`).
    pub(super) const fn flags_first(mut self) -> Self {
        self.interspersed = false;
        self
    }
    pub(super) const fn container_command(mut self) -> Self {
        self.interspersed = false;
        self.own_help_flag = true;
        self
    }
    pub(super) const fn buildx(mut self) -> Self {
        self.owner = Owner::Buildx;
        self
    }
}
