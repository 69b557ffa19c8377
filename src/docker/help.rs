//! Docker 28's command-line surface as data: every command docklab knows, its aliases, usage
//! line, arity, flags (with shorthand, value type and default) and one-line descriptions, plus
//! the renderer that lays them out exactly as Docker's cobra templates do.
//!
//! The parser in [`super::cli`] reads the same tables, so help and parsing cannot drift. Command
//! and flag names, usage lines, value types and defaults are Docker's; most descriptions are our
//! own words (the short ones that have no other natural wording are kept as Docker has them).

use std::fmt::Write as _;

use super::api::ClientEnv;
use super::cli::CommandId;

/// Terminal width Docker assumes when standard input is not a terminal.
pub const DEFAULT_WIDTH: usize = 80;

/// What `docker --version` prints.
pub const VERSION_LINE: &str = "Docker version 28.2.2, build e6534b4\n";

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

const fn flag(
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
    const fn default_shown(mut self, value: &'static str) -> Self {
        self.default = value;
        self.show_default = true;
        self
    }
    const fn default_hidden(mut self, value: &'static str) -> Self {
        self.default = value;
        self
    }
    const fn hidden(mut self) -> Self {
        self.hidden = true;
        self
    }
    const fn deprecated(mut self, advice: &'static str) -> Self {
        self.deprecated = Some(advice);
        self.hidden = true;
        self
    }
    const fn daemon(mut self, needs: DaemonOnly) -> Self {
        self.daemon = Some(needs);
        self.hidden = true;
        self
    }
    const fn check(mut self, check: Check) -> Self {
        self.check = check;
        self
    }
    const fn since(mut self, api: &'static str) -> Self {
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

const PULL_FLAGS: &[FlagSpec] = &[
    flag(
        Some('a'),
        "all-tags",
        ValueKind::Bool,
        "Download every tagged image of the repository",
    ),
    flag(
        None,
        "disable-content-trust",
        ValueKind::Bool,
        "Skip image verification",
    )
    .default_shown("true"),
    flag(
        None,
        "platform",
        ValueKind::Str,
        "Set the platform if the server is multi-platform capable",
    )
    .since("1.32"),
    flag(
        Some('q'),
        "quiet",
        ValueKind::Bool,
        "Suppress verbose output",
    ),
];

const IMAGES_FLAGS: &[FlagSpec] = &[
    flag(Some('a'), "all", ValueKind::Bool, "Show all images (default hides intermediate images)"),
    flag(None, "digests", ValueKind::Bool, "Show digests"),
    flag(Some('f'), "filter", ValueKind::Filter, "Only show what matches the given conditions"),
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Only show image IDs"),
    flag(None, "tree", ValueKind::Bool, "Show multi-platform images as a tree (EXPERIMENTAL)").since("1.47"),
];

const HISTORY_FLAGS: &[FlagSpec] = &[
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('H'), "human", ValueKind::Bool, "Show sizes and dates in a human-readable form").default_shown("true"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
    flag(None, "platform", ValueKind::Str, "Show the history of this platform, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.48"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Only show image IDs"),
];

const RMI_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "force", ValueKind::Bool, "Force removal of the image"),
    flag(None, "no-prune", ValueKind::Bool, "Do not delete untagged parents"),
    flag(None, "platform", ValueKind::Strings, "Remove only this platform variant, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.50"),
];

const IMAGE_PRUNE_FLAGS: &[FlagSpec] = &[
    flag(
        Some('a'),
        "all",
        ValueKind::Bool,
        "Remove all unused images, not just dangling ones",
    ),
    flag(
        None,
        "filter",
        ValueKind::Filter,
        "Filter values (e.g. \"until=<timestamp>\")",
    ),
    flag(
        Some('f'),
        "force",
        ValueKind::Bool,
        "Do not prompt for confirmation",
    ),
];

const SYSTEM_PRUNE_FLAGS: &[FlagSpec] = &[
    flag(
        Some('a'),
        "all",
        ValueKind::Bool,
        "Remove all unused images, not just dangling ones",
    ),
    flag(
        None,
        "filter",
        ValueKind::Filter,
        "Filter values (e.g. \"label=<key>=<value>\")",
    )
    .since("1.28"),
    flag(
        Some('f'),
        "force",
        ValueKind::Bool,
        "Do not prompt for confirmation",
    ),
    flag(None, "volumes", ValueKind::Bool, "Prune anonymous volumes"),
];

const SYSTEM_DF_FLAGS: &[FlagSpec] = &[
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('v'), "verbose", ValueKind::Bool, "Show space usage in detail"),
];

/// The flags `run` and `create` share (the container's configuration), plus each one's own:
/// one list, so the two cannot drift. Help sorts flags by name, so their order here is free.
macro_rules! container_flags {
    ($($own:expr),* $(,)?) => {
        &[
        flag(None, "add-host", ValueKind::List, "Add a custom host-to-IP mapping (host:ip)").check(Check::ExtraHost),
        flag(None, "annotation", ValueKind::Map, "Annotate the container (handed to the OCI runtime)").default_shown("map[]").since("1.43"),
        flag(Some('a'), "attach", ValueKind::List, "Attach to STDIN, STDOUT or STDERR").check(Check::Attach),
        flag(None, "blkio-weight", ValueKind::Uint16, "Block IO relative weight, 10 to 1000 (0 disables)").default_shown("0"),
        flag(None, "blkio-weight-device", ValueKind::List, "Block IO weight per device (relative)").default_shown("[]"),
        flag(None, "cap-add", ValueKind::List, "Add Linux capabilities"),
        flag(None, "cap-drop", ValueKind::List, "Drop Linux capabilities"),
        flag(None, "cgroup-parent", ValueKind::Str, "Parent cgroup for the container (optional)"),
        flag(None, "cgroupns", ValueKind::Str, "Cgroup namespace to use: 'host' shares the host's, 'private' gives the container its own, '' follows the daemon's default-cgroupns-mode (default)").since("1.41"),
        flag(None, "cidfile", ValueKind::Str, "Write the container ID to this file"),
        flag(None, "cpu-count", ValueKind::Int, "CPU count (Windows only)").daemon(DaemonOnly::Windows),
        flag(None, "cpu-percent", ValueKind::Int, "CPU percent (Windows only)").daemon(DaemonOnly::Windows),
        flag(None, "cpu-period", ValueKind::Int, "Limit the CPU CFS (Completely Fair Scheduler) period"),
        flag(None, "cpu-quota", ValueKind::Int, "Limit the CPU CFS (Completely Fair Scheduler) quota"),
        flag(None, "cpu-rt-period", ValueKind::Int, "Limit the CPU real-time period, in microseconds").since("1.25"),
        flag(None, "cpu-rt-runtime", ValueKind::Int, "Limit the CPU real-time runtime, in microseconds").since("1.25"),
        flag(Some('c'), "cpu-shares", ValueKind::Int, "CPU shares (relative weight)"),
        flag(None, "cpus", ValueKind::Decimal, "Number of CPUs").since("1.25"),
        flag(None, "cpuset-cpus", ValueKind::Str, "CPUs the container may run on (0-3, 0,1)"),
        flag(None, "cpuset-mems", ValueKind::Str, "Memory nodes the container may use (0-3, 0,1)"),
        flag(None, "device", ValueKind::List, "Give the container a device of the host"),
        flag(None, "device-cgroup-rule", ValueKind::List, "Add a rule to the cgroup's allowed devices"),
        flag(None, "device-read-bps", ValueKind::List, "Limit the read rate from a device (bytes per second)").default_shown("[]"),
        flag(None, "device-read-iops", ValueKind::List, "Limit the read rate from a device (IO per second)").default_shown("[]"),
        flag(None, "device-write-bps", ValueKind::List, "Limit the write rate to a device (bytes per second)").default_shown("[]"),
        flag(None, "device-write-iops", ValueKind::List, "Limit the write rate to a device (IO per second)").default_shown("[]"),
        flag(None, "disable-content-trust", ValueKind::Bool, "Skip image verification").default_shown("true"),
        flag(None, "dns", ValueKind::List, "Set custom DNS servers").check(Check::IpAddr),
        flag(None, "dns-opt", ValueKind::List, "Set DNS options").hidden(),
        flag(None, "dns-option", ValueKind::List, "Set DNS options"),
        flag(None, "dns-search", ValueKind::List, "Set custom DNS search domains"),
        flag(None, "domainname", ValueKind::Str, "NIS domain name of the container"),
        flag(None, "entrypoint", ValueKind::Str, "Replace the image's default ENTRYPOINT"),
        flag(Some('e'), "env", ValueKind::List, "Set environment variables").check(Check::Env),
        flag(None, "env-file", ValueKind::List, "Read environment variables from a file"),
        flag(None, "expose", ValueKind::List, "Expose a port or a range of ports"),
        flag(None, "gpus", ValueKind::GpuRequest, "GPU devices for the container ('all' for every GPU)").since("1.40"),
        flag(None, "group-add", ValueKind::List, "Additional groups to join"),
        flag(None, "health-cmd", ValueKind::Str, "Command that checks health"),
        flag(None, "health-interval", ValueKind::Duration, "Time between two checks (ms|s|m|h)").default_shown("0s"),
        flag(None, "health-retries", ValueKind::Int, "Failures in a row before reporting unhealthy"),
        flag(None, "health-start-interval", ValueKind::Duration, "Time between two checks during the start period (ms|s|m|h)").default_shown("0s").since("1.44"),
        flag(None, "health-start-period", ValueKind::Duration, "Time the container has to start before failures count (ms|s|m|h)").default_shown("0s").since("1.29"),
        flag(None, "health-timeout", ValueKind::Duration, "Longest time one check may run (ms|s|m|h)").default_shown("0s"),
        flag(None, "help", ValueKind::Bool, "Print usage"),
        flag(Some('h'), "hostname", ValueKind::Str, "Container host name"),
        flag(None, "init", ValueKind::Bool, "Run an init process inside the container to forward signals and reap processes").since("1.25"),
        flag(Some('i'), "interactive", ValueKind::Bool, "Keep STDIN open even if not attached"),
        flag(None, "io-maxbandwidth", ValueKind::Bytes, "IO bandwidth limit for the system drive (Windows only)").daemon(DaemonOnly::Windows),
        flag(None, "io-maxiops", ValueKind::Uint, "IOps limit for the system drive (Windows only)").daemon(DaemonOnly::Windows),
        flag(None, "ip", ValueKind::Str, "IPv4 address (e.g., 172.30.100.104)"),
        flag(None, "ip6", ValueKind::Str, "IPv6 address (e.g., 2001:db8::33)"),
        flag(None, "ipc", ValueKind::Str, "IPC mode to use"),
        flag(None, "isolation", ValueKind::Str, "Container isolation technology"),
        flag(None, "kernel-memory", ValueKind::Bytes, "Kernel memory limit"),
        flag(Some('l'), "label", ValueKind::List, "Set metadata on a container").check(Check::Label),
        flag(None, "label-file", ValueKind::List, "Read labels from a file, one per line"),
        flag(None, "link", ValueKind::List, "Add a link to another container"),
        flag(None, "link-local-ip", ValueKind::List, "IPv4/IPv6 link-local addresses of the container"),
        flag(None, "log-driver", ValueKind::Str, "Logging driver for the container"),
        flag(None, "log-opt", ValueKind::List, "Logging driver options"),
        flag(None, "mac-address", ValueKind::Str, "MAC address of the container (e.g., 92:d0:c6:0a:29:33)"),
        flag(Some('m'), "memory", ValueKind::Bytes, "Memory limit"),
        flag(None, "memory-reservation", ValueKind::Bytes, "Memory soft limit"),
        flag(None, "memory-swap", ValueKind::Bytes, "Memory plus swap limit: '-1' for unlimited swap"),
        flag(None, "memory-swappiness", ValueKind::Int, "Memory swappiness of the container (0 to 100)").default_shown("-1"),
        flag(None, "mount", ValueKind::Mount, "Attach a filesystem mount to the container"),
        flag(None, "name", ValueKind::Str, "Assign a name to the container"),
        flag(None, "net", ValueKind::Network, "Connect the container to a network").hidden(),
        flag(None, "net-alias", ValueKind::List, "Network-scoped alias for the container").hidden(),
        flag(None, "network", ValueKind::Network, "Connect the container to a network"),
        flag(None, "network-alias", ValueKind::List, "Network-scoped alias for the container"),
        flag(None, "no-healthcheck", ValueKind::Bool, "Disable any HEALTHCHECK the image defines"),
        flag(None, "oom-kill-disable", ValueKind::Bool, "Disable the OOM killer"),
        flag(None, "oom-score-adj", ValueKind::Int, "Adjust the host's OOM preference (-1000 to 1000)"),
        flag(None, "pid", ValueKind::Str, "PID namespace to use"),
        flag(None, "pids-limit", ValueKind::Int, "Container pids limit (-1 for unlimited)"),
        flag(None, "platform", ValueKind::Str, "Set the platform if the server is multi-platform capable").since("1.32"),
        flag(None, "privileged", ValueKind::Bool, "Give this container extended privileges"),
        flag(Some('p'), "publish", ValueKind::List, "Publish a container's port(s) to the host"),
        flag(Some('P'), "publish-all", ValueKind::Bool, "Publish every exposed port to a random port"),
        flag(Some('q'), "quiet", ValueKind::Bool, "Suppress the pull output"),
        flag(None, "read-only", ValueKind::Bool, "Mount the container's root filesystem read-only"),
        flag(None, "restart", ValueKind::Str, "Restart policy for when the container exits").default_shown("no"),
        flag(None, "rm", ValueKind::Bool, "Remove the container and its anonymous volumes when it exits"),
        flag(None, "runtime", ValueKind::Str, "Runtime to use for this container"),
        flag(None, "security-opt", ValueKind::List, "Security options"),
        flag(None, "shm-size", ValueKind::Bytes, "Size of /dev/shm"),
        flag(None, "stop-signal", ValueKind::Str, "Signal that stops the container"),
        flag(None, "stop-timeout", ValueKind::Int, "Seconds to wait when stopping the container").since("1.25"),
        flag(None, "storage-opt", ValueKind::List, "Storage driver options for the container"),
        flag(None, "sysctl", ValueKind::Map, "Sysctl options").default_shown("map[]"),
        flag(None, "tmpfs", ValueKind::List, "Mount a tmpfs directory"),
        flag(Some('t'), "tty", ValueKind::Bool, "Allocate a pseudo-TTY"),
        flag(None, "ulimit", ValueKind::Ulimit, "Ulimit options").default_shown("[]").check(Check::Ulimit),
        flag(None, "use-api-socket", ValueKind::Bool, "Bind mount the Docker API socket and the credentials it needs"),
        flag(Some('u'), "user", ValueKind::Str, "Username or UID (format: <name|uid>[:<group|gid>])"),
        flag(None, "userns", ValueKind::Str, "User namespace to use"),
        flag(None, "uts", ValueKind::Str, "UTS namespace to use"),
        flag(Some('v'), "volume", ValueKind::List, "Bind mount a volume"),
        flag(None, "volume-driver", ValueKind::Str, "Volume driver for the container (optional)"),
        flag(None, "volumes-from", ValueKind::List, "Mount volumes from the given container(s)"),
        flag(Some('w'), "workdir", ValueKind::Str, "Working directory inside the container"),
            $($own,)*
        ]
    };
}

const RUN_FLAGS: &[FlagSpec] = container_flags![
    flag(
        Some('d'),
        "detach",
        ValueKind::Bool,
        "Run the container in the background and print its ID"
    ),
    flag(
        None,
        "detach-keys",
        ValueKind::Str,
        "Key sequence that detaches from the container"
    ),
    flag(
        None,
        "pull",
        ValueKind::Str,
        "Pull the image before running (\"always\", \"missing\", \"never\")"
    )
    .default_shown("missing"),
    flag(
        None,
        "sig-proxy",
        ValueKind::Bool,
        "Forward received signals to the process"
    )
    .default_shown("true"),
];

const CREATE_FLAGS: &[FlagSpec] = container_flags![flag(
    None,
    "pull",
    ValueKind::Str,
    "Pull the image before creating (\"always\", \"missing\", \"never\")"
)
.default_shown("missing"),];

const PS_FLAGS: &[FlagSpec] = &[
    flag(Some('a'), "all", ValueKind::Bool, "Show all containers (default shows just running)"),
    flag(Some('f'), "filter", ValueKind::Filter, "Only show what matches the given conditions"),
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('n'), "last", ValueKind::Int, "Show the n most recently created containers (any state)").default_shown("-1"),
    flag(Some('l'), "latest", ValueKind::Bool, "Show the most recently created container (any state)"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Only display container IDs"),
    flag(Some('s'), "size", ValueKind::Bool, "Display total file sizes"),
];

const CONTAINER_PRUNE_FLAGS: &[FlagSpec] = &[
    flag(
        None,
        "filter",
        ValueKind::Filter,
        "Provide filter values (e.g. \"until=<timestamp>\")",
    ),
    flag(
        Some('f'),
        "force",
        ValueKind::Bool,
        "Do not prompt for confirmation",
    ),
];

const STOP_FLAGS: &[FlagSpec] = &[
    flag(
        Some('s'),
        "signal",
        ValueKind::Str,
        "Signal to send to the container",
    ),
    flag(
        None,
        "time",
        ValueKind::Int,
        "Seconds to wait before killing the container (deprecated: use --timeout)",
    )
    .hidden()
    .deprecated("use --timeout instead"),
    flag(
        Some('t'),
        "timeout",
        ValueKind::Int,
        "Seconds to wait before killing the container",
    ),
];

const START_FLAGS: &[FlagSpec] = &[
    flag(
        Some('a'),
        "attach",
        ValueKind::Bool,
        "Attach STDOUT/STDERR and forward signals",
    )
    .check(Check::Attach),
    flag(
        None,
        "checkpoint",
        ValueKind::Str,
        "Restore from this checkpoint",
    )
    .daemon(DaemonOnly::Experimental),
    flag(
        None,
        "checkpoint-dir",
        ValueKind::Str,
        "Directory where checkpoints are stored",
    )
    .daemon(DaemonOnly::Experimental),
    flag(
        None,
        "detach-keys",
        ValueKind::Str,
        "Key sequence that detaches from the container",
    ),
    flag(
        Some('i'),
        "interactive",
        ValueKind::Bool,
        "Attach the container's STDIN",
    ),
];

const RM_FLAGS: &[FlagSpec] = &[
    flag(
        Some('f'),
        "force",
        ValueKind::Bool,
        "Remove a running container too (uses SIGKILL)",
    ),
    flag(Some('l'), "link", ValueKind::Bool, "Remove the given link"),
    flag(
        Some('v'),
        "volumes",
        ValueKind::Bool,
        "Remove the container's anonymous volumes",
    ),
];

const INSPECT_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('s'), "size", ValueKind::Bool, "Display total file sizes for containers"),
    flag(None, "type", ValueKind::Str, "Only inspect objects of this type"),
];

const IMAGE_INSPECT_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(None, "platform", ValueKind::Str, "Inspect one platform of a multi-platform image.\nIf the image or the server is not multi-platform, the command fails when the platform does not match.\n'os[/arch[/variant]]': the platform (eg. linux/amd64)").since("1.49"),
];

const CONTAINER_INSPECT_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('s'), "size", ValueKind::Bool, "Display total file sizes"),
];

const VERSION_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
];

const INFO_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
];

const SAVE_FLAGS: &[FlagSpec] = &[
    flag(Some('o'), "output", ValueKind::Str, "Write to this file instead of STDOUT"),
    flag(None, "platform", ValueKind::Str, "Save only this platform variant, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.48"),
];

const LOAD_FLAGS: &[FlagSpec] = &[
    flag(Some('i'), "input", ValueKind::Str, "Read from this tar archive instead of STDIN"),
    flag(None, "platform", ValueKind::Str, "Load only this platform variant, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.48"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Suppress the load output"),
];

const PUSH_FLAGS: &[FlagSpec] = &[
    flag(Some('a'), "all-tags", ValueKind::Bool, "Push every tag of an image to the repository"),
    flag(None, "disable-content-trust", ValueKind::Bool, "Skip image signing").default_shown("true"),
    flag(None, "platform", ValueKind::Str, "Push one platform's manifest as a single-platform image; the image index, other manifests and attestations are not pushed.\n'os[/arch[/variant]]': the platform (eg. linux/amd64)").since("1.46"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Suppress verbose output"),
];

/// What Docker 28's client prints on stderr whenever `DOCKER_BUILDKIT=0` selects the classic
/// builder (even for `docker build --help`).
pub const LEGACY_BUILDER_NOTICE: &str =
    "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
            environment-variable.

";

/// `docker build` of docker/cli itself, the classic builder's client (`DOCKER_BUILDKIT=0`).
const LEGACY_BUILD_FLAGS: &[FlagSpec] = &[
    flag(
        None,
        "add-host",
        ValueKind::List,
        "Add a custom host-to-IP mapping (\"host:ip\")",
    ),
    flag(
        None,
        "build-arg",
        ValueKind::List,
        "Set a build-time variable",
    ),
    flag(
        None,
        "cache-from",
        ValueKind::Strings,
        "Images whose layers may serve as cache",
    ),
    flag(
        None,
        "cgroup-parent",
        ValueKind::Str,
        "Parent cgroup for the \"RUN\" instructions of the build",
    ),
    flag(
        None,
        "compress",
        ValueKind::Bool,
        "Send the build context gzip-compressed",
    ),
    flag(
        None,
        "cpu-period",
        ValueKind::Int,
        "Limit the CPU CFS (Completely Fair Scheduler) period",
    ),
    flag(
        None,
        "cpu-quota",
        ValueKind::Int,
        "Limit the CPU CFS (Completely Fair Scheduler) quota",
    ),
    flag(
        Some('c'),
        "cpu-shares",
        ValueKind::Int,
        "CPU shares (relative weight)",
    ),
    flag(
        None,
        "cpuset-cpus",
        ValueKind::Str,
        "CPUs the build may run on (0-3, 0,1)",
    ),
    flag(
        None,
        "cpuset-mems",
        ValueKind::Str,
        "Memory nodes the build may use (0-3, 0,1)",
    ),
    flag(
        None,
        "disable-content-trust",
        ValueKind::Bool,
        "Skip image verification",
    )
    .default_shown("true"),
    flag(
        Some('f'),
        "file",
        ValueKind::Str,
        "Name of the Dockerfile (Default is \"PATH/Dockerfile\")",
    ),
    flag(
        None,
        "force-rm",
        ValueKind::Bool,
        "Always remove intermediate containers",
    ),
    flag(
        None,
        "iidfile",
        ValueKind::Str,
        "Write the image ID to this file",
    ),
    flag(
        None,
        "isolation",
        ValueKind::Str,
        "Container isolation technology",
    ),
    flag(None, "label", ValueKind::List, "Set metadata on the image"),
    flag(Some('m'), "memory", ValueKind::Bytes, "Memory limit"),
    flag(
        None,
        "memory-swap",
        ValueKind::Bytes,
        "Swap limit equal to memory plus swap: -1 for unlimited swap",
    ),
    flag(
        None,
        "network",
        ValueKind::Str,
        "Networking mode of the RUN instructions during the build",
    )
    .default_shown("default")
    .since("1.25"),
    flag(
        None,
        "no-cache",
        ValueKind::Bool,
        "Build without using the cache",
    ),
    flag(
        None,
        "platform",
        ValueKind::Str,
        "Set the platform if the server is multi-platform capable",
    )
    .since("1.38"),
    flag(
        None,
        "pull",
        ValueKind::Bool,
        "Always try to pull a newer version of the image",
    ),
    flag(
        Some('q'),
        "quiet",
        ValueKind::Bool,
        "Print only the image ID, once built",
    ),
    flag(
        None,
        "rm",
        ValueKind::Bool,
        "Remove intermediate containers after a successful build",
    )
    .default_shown("true"),
    flag(None, "security-opt", ValueKind::Strings, "Security options"),
    flag(None, "shm-size", ValueKind::Bytes, "Size of \"/dev/shm\""),
    flag(
        None,
        "squash",
        ValueKind::Bool,
        "Squash newly built layers into a single new layer",
    )
    .daemon(DaemonOnly::Experimental)
    .since("1.25"),
    flag(
        Some('t'),
        "tag",
        ValueKind::List,
        "Name and optionally a tag in the \"name:tag\" format",
    ),
    flag(
        None,
        "target",
        ValueKind::Str,
        "Set the target build stage to build.",
    ),
    flag(None, "ulimit", ValueKind::Ulimit, "Ulimit options").default_shown("[]"),
];

const LEGACY_BUILD_ALIASES: &str = "docker image build, docker build, docker builder build";

/// `docker build`, `docker image build` and `docker builder build` when `DOCKER_BUILDKIT=0`
/// makes docker/cli use the classic builder: its own commands, not buildx's.
pub const LEGACY_BUILDS: [CommandSpec; 3] = [
    legacy_build("build"),
    legacy_build("image build"),
    legacy_build("builder build"),
];

const fn legacy_build(path: &'static str) -> CommandSpec {
    cmd(
        CommandId::Build,
        path,
        BUILD_USAGE,
        BUILD_SHORT,
        LEGACY_BUILD_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], LEGACY_BUILD_ALIASES)
}

const BUILD_FLAGS: &[FlagSpec] = &[
    flag(None, "add-host", ValueKind::Strings, "Add a custom host-to-IP mapping (format: \"host:ip\")"),
    flag(None, "allow", ValueKind::StringArray, "Allow an extra privileged entitlement (e.g., \"network.host\", \"security.insecure\")"),
    flag(None, "annotation", ValueKind::StringArray, "Add an annotation to the image"),
    flag(None, "attest", ValueKind::StringArray, "Attestation parameters (format: \"type=sbom,generator=image\")"),
    flag(None, "build-arg", ValueKind::StringArray, "Set build-time variables"),
    flag(None, "build-context", ValueKind::StringArray, "Additional build contexts (e.g., name=path)"),
    flag(None, "builder", ValueKind::Str, "Use this builder instance instead of the configured one"),
    flag(None, "cache-from", ValueKind::StringArray, "External cache sources (e.g., \"user/app:cache\", \"type=local,src=path/to/dir\")"),
    flag(None, "cache-to", ValueKind::StringArray, "Cache export destinations (e.g., \"user/app:cache\", \"type=local,dest=path/to/dir\")"),
    flag(None, "call", ValueKind::Str, "How to evaluate the build (\"check\", \"outline\", \"targets\")").default_shown("build"),
    flag(None, "cgroup-parent", ValueKind::Str, "Parent cgroup for the \"RUN\" instructions of the build"),
    flag(None, "check", ValueKind::Bool, "Same as \"--call=check\""),
    flag(Some('c'), "cpu-shares", ValueKind::Int, "CPU shares (relative weight)").hidden(),
    flag(None, "compress", ValueKind::Bool, "Compress the build context using gzip").hidden(),
    flag(None, "cpu-period", ValueKind::Int, "Limit the CPU CFS (Completely Fair Scheduler) period").hidden(),
    flag(None, "cpu-quota", ValueKind::Int, "Limit the CPU CFS (Completely Fair Scheduler) quota").hidden(),
    flag(None, "cpuset-cpus", ValueKind::Str, "CPUs the build may run on").hidden(),
    flag(None, "cpuset-mems", ValueKind::Str, "Memory nodes the build may use").hidden(),
    flag(Some('D'), "debug", ValueKind::Bool, "Enable debug logging"),
    flag(Some('f'), "file", ValueKind::Str, "Name of the Dockerfile (default: \"PATH/Dockerfile\")"),
    flag(None, "force-rm", ValueKind::Bool, "Always remove intermediate containers").hidden(),
    flag(None, "iidfile", ValueKind::Str, "Write the image ID to a file"),
    flag(None, "isolation", ValueKind::Str, "Container isolation technology").hidden(),
    flag(None, "label", ValueKind::StringArray, "Set metadata for an image"),
    flag(None, "load", ValueKind::Bool, "Same as \"--output=type=docker\""),
    flag(Some('m'), "memory", ValueKind::Str, "Memory limit").hidden(),
    flag(None, "memory-swap", ValueKind::Str, "Memory plus swap limit").hidden(),
    flag(None, "metadata-file", ValueKind::Str, "Write the build result's metadata to a file"),
    flag(None, "network", ValueKind::Str, "Networking mode for the \"RUN\" instructions of the build").default_shown("default"),
    flag(None, "no-cache", ValueKind::Bool, "Do not use cache when building the image"),
    flag(None, "no-cache-filter", ValueKind::StringArray, "Do not cache the given stages"),
    flag(Some('o'), "output", ValueKind::StringArray, "Output destination (format: \"type=local,dest=path\")"),
    flag(None, "platform", ValueKind::StringArray, "Set target platform for build"),
    flag(None, "print", ValueKind::Str, "Print the result of an information request").hidden(),
    flag(None, "progress", ValueKind::Str, "Progress output type (\"auto\", \"quiet\", \"plain\", \"tty\", \"rawjson\"); plain shows the containers' output").default_shown("auto"),
    flag(None, "provenance", ValueKind::Str, "Same as \"--attest=type=provenance\""),
    flag(None, "pull", ValueKind::Bool, "Always try to pull every referenced image"),
    flag(None, "push", ValueKind::Bool, "Same as \"--output=type=registry\""),
    flag(Some('q'), "quiet", ValueKind::Bool, "Suppress the build output and print image ID on success"),
    flag(None, "rm", ValueKind::Bool, "Remove intermediate containers after a successful build").default_hidden("true").hidden(),
    flag(None, "sbom", ValueKind::Str, "Same as \"--attest=type=sbom\""),
    flag(None, "secret", ValueKind::StringArray, "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")"),
    flag(None, "security-opt", ValueKind::Strings, "Security options").hidden(),
    flag(None, "shm-size", ValueKind::Bytes, "Shared memory size for build containers").default_hidden("0"),
    flag(None, "squash", ValueKind::Bool, "Squash newly built layers into a single new layer").hidden(),
    flag(None, "ssh", ValueKind::StringArray, "SSH agent socket or keys to expose to the build (format: \"default|<id>[=<socket>|<key>[,<key>]]\")"),
    flag(Some('t'), "tag", ValueKind::StringArray, "Name and optionally a tag (format: \"name:tag\")"),
    flag(None, "target", ValueKind::Str, "Set the target build stage to build"),
    flag(None, "ulimit", ValueKind::Ulimit, "Ulimit options").default_shown("[]").check(Check::Ulimit),
];

const BUILDER_PRUNE_FLAGS: &[FlagSpec] = &[
    flag(
        Some('a'),
        "all",
        ValueKind::Bool,
        "Include internal/frontend images",
    ),
    flag(
        None,
        "builder",
        ValueKind::Str,
        "Use this builder instance instead of the configured one",
    ),
    flag(Some('D'), "debug", ValueKind::Bool, "Enable debug logging"),
    flag(
        None,
        "filter",
        ValueKind::Filter,
        "Filter values (e.g., \"until=24h\")",
    ),
    flag(
        Some('f'),
        "force",
        ValueKind::Bool,
        "Do not prompt for confirmation",
    ),
    flag(
        None,
        "keep-storage",
        ValueKind::Bytes,
        "Disk space to keep for cache",
    )
    .default_hidden("0")
    .deprecated("keep-storage flag has been changed to max-storage"),
    flag(
        None,
        "max-used-space",
        ValueKind::Bytes,
        "Most disk space the cache may keep",
    )
    .default_hidden("0"),
    flag(
        None,
        "min-free-space",
        ValueKind::Bytes,
        "Free disk space to reach after pruning",
    )
    .default_hidden("0"),
    flag(
        None,
        "reserved-space",
        ValueKind::Bytes,
        "Disk space the cache may always keep",
    )
    .default_hidden("0"),
    flag(None, "verbose", ValueKind::Bool, "Print more details"),
];

const BUILDX_FLAGS: &[FlagSpec] = &[
    flag(
        None,
        "builder",
        ValueKind::Str,
        "Use this builder instance instead of the configured one",
    ),
    flag(Some('D'), "debug", ValueKind::Bool, "Enable debug logging"),
];

const NO_FLAGS: &[FlagSpec] = &[];

/// The options of `docker` itself, accepted before the command word.
pub const GLOBAL_FLAGS: &[FlagSpec] = &[
    flag(None, "config", ValueKind::Str, "Where the client's configuration files are").default_shown("~/.docker"),
    flag(
        Some('c'),
        "context",
        ValueKind::Str,
        "Context to connect to the daemon with (takes precedence over DOCKER_HOST and over the default context chosen with \"docker context use\")",
    ),
    flag(Some('D'), "debug", ValueKind::Bool, "Enable debug mode"),
    flag(Some('H'), "host", ValueKind::List, "Daemon socket to connect to"),
    flag(
        Some('l'),
        "log-level",
        ValueKind::Str,
        "Logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")",
    )
    .default_shown("info"),
    flag(None, "tls", ValueKind::Bool, "Use TLS; implied by --tlsverify"),
    flag(None, "tlscacert", ValueKind::Str, "Only trust certificates signed by this CA")
        .default_shown("~/.docker/ca.pem"),
    flag(None, "tlscert", ValueKind::Str, "Path to the TLS certificate file")
        .default_shown("~/.docker/cert.pem"),
    flag(None, "tlskey", ValueKind::Str, "Path to the TLS key file").default_shown("~/.docker/key.pem"),
    flag(None, "tlsverify", ValueKind::Bool, "Use TLS and verify the remote"),
    flag(Some('v'), "version", ValueKind::Bool, "Print the version and quit"),
];

const fn cmd(
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
    const fn aka(mut self, aliases: &'static [&'static str], line: &'static str) -> Self {
        self.aliases = aliases;
        self.aliases_line = Some(line);
        self
    }
    /// Flags only before the first argument (pflag's `SetInterspersed(false)`): after it, every
    /// word is an argument, `--` and `-x` included (`docker tag alpine -x`).
    const fn flags_first(mut self) -> Self {
        self.interspersed = false;
        self
    }
    const fn container_command(mut self) -> Self {
        self.interspersed = false;
        self.own_help_flag = true;
        self
    }
    const fn buildx(mut self) -> Self {
        self.owner = Owner::Buildx;
        self
    }
}

const IMAGES_ALIASES: &str = "docker image ls, docker image list, docker images";
const PS_ALIASES: &str =
    "docker container ls, docker container list, docker container ps, docker ps";
const RMI_ALIASES: &str = "docker image rm, docker image remove, docker rmi";
const RM_ALIASES: &str = "docker container rm, docker container remove, docker rm";
const BUILD_ALIASES: &str =
    "docker build, docker builder build, docker image build, docker buildx b";
const IMAGES_USAGE: &str = "[OPTIONS] [REPOSITORY[:TAG]]";
const RUN_USAGE: &str = "[OPTIONS] IMAGE [COMMAND] [ARG...]";
const BUILD_USAGE: &str = "[OPTIONS] PATH | URL | -";
const RUN_SHORT: &str = "Create a container from an image and run it";
const SAVE_SHORT: &str = "Save one or more images to a tar archive (written to STDOUT by default)";
const INSPECT_IMAGE_SHORT: &str = "Display detailed information on one or more images";
const INSPECT_CONTAINER_SHORT: &str = "Display detailed information on one or more containers";

/// Every runnable command, under every path Docker accepts for it. Entries that share a cobra
/// command in Docker (`image ls`, `image list`) are one entry with aliases; separate cobra
/// commands (`images` and `image ls`) are separate entries, as their error messages differ.
pub const COMMANDS: &[CommandSpec] = &[
    // Top-level commands.
    cmd(
        CommandId::Build,
        "buildx build",
        BUILD_USAGE,
        "Start a build",
        BUILD_FLAGS,
        Arity::Exact(1),
    )
    .aka(&["b"], BUILD_ALIASES)
    .buildx(),
    cmd(
        CommandId::Create,
        "create",
        RUN_USAGE,
        "Create a new container",
        CREATE_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container create, docker create")
    .container_command(),
    cmd(
        CommandId::History,
        "history",
        "[OPTIONS] IMAGE",
        "Show the history of an image",
        HISTORY_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], "docker image history, docker history"),
    cmd(
        CommandId::ImageLs,
        "images",
        IMAGES_USAGE,
        "List images",
        IMAGES_FLAGS,
        Arity::Max(1),
    )
    .aka(&[], IMAGES_ALIASES),
    cmd(
        CommandId::Inspect,
        "inspect",
        "[OPTIONS] NAME|ID [NAME|ID...]",
        "Show low-level information on Docker objects",
        INSPECT_FLAGS,
        Arity::Min(1),
    ),
    cmd(
        CommandId::Info,
        "info",
        "[OPTIONS]",
        "Display system-wide information",
        INFO_FLAGS,
        Arity::None,
    )
    .aka(&[], "docker system info, docker info"),
    cmd(
        CommandId::Load,
        "load",
        "[OPTIONS]",
        "Load an image from a tar archive or STDIN",
        LOAD_FLAGS,
        Arity::None,
    )
    .aka(&[], "docker image load, docker load"),
    cmd(
        CommandId::Ps,
        "ps",
        "[OPTIONS]",
        "List containers",
        PS_FLAGS,
        Arity::None,
    )
    .aka(&[], PS_ALIASES),
    cmd(
        CommandId::Pull,
        "pull",
        "[OPTIONS] NAME[:TAG|@DIGEST]",
        "Download an image from a registry",
        PULL_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], "docker image pull, docker pull"),
    cmd(
        CommandId::Push,
        "push",
        "[OPTIONS] NAME[:TAG]",
        "Upload an image to a registry",
        PUSH_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], "docker image push, docker push"),
    cmd(
        CommandId::Rm,
        "rm",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Remove one or more containers",
        RM_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], RM_ALIASES),
    cmd(
        CommandId::Rmi,
        "rmi",
        "[OPTIONS] IMAGE [IMAGE...]",
        "Remove one or more images",
        RMI_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], RMI_ALIASES),
    cmd(
        CommandId::Run,
        "run",
        RUN_USAGE,
        RUN_SHORT,
        RUN_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container run, docker run")
    .container_command(),
    cmd(
        CommandId::Save,
        "save",
        "[OPTIONS] IMAGE [IMAGE...]",
        SAVE_SHORT,
        SAVE_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker image save, docker save"),
    cmd(
        CommandId::Start,
        "start",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Start one or more stopped containers",
        START_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container start, docker start"),
    cmd(
        CommandId::Stop,
        "stop",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Stop one or more running containers",
        STOP_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container stop, docker stop"),
    cmd(
        CommandId::Tag,
        "tag",
        "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        NO_FLAGS,
        Arity::Exact(2),
    )
    .aka(&[], "docker image tag, docker tag")
    .flags_first(),
    cmd(
        CommandId::Version,
        "version",
        "[OPTIONS]",
        "Show the Docker version information",
        VERSION_FLAGS,
        Arity::None,
    ),
    // docker image …
    cmd(
        CommandId::History,
        "image history",
        "[OPTIONS] IMAGE",
        "Show the history of an image",
        HISTORY_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], "docker image history, docker history"),
    cmd(
        CommandId::ImageInspect,
        "image inspect",
        "[OPTIONS] IMAGE [IMAGE...]",
        INSPECT_IMAGE_SHORT,
        IMAGE_INSPECT_FLAGS,
        Arity::Min(1),
    ),
    cmd(
        CommandId::Load,
        "image load",
        "[OPTIONS]",
        "Load an image from a tar archive or STDIN",
        LOAD_FLAGS,
        Arity::None,
    )
    .aka(&[], "docker image load, docker load"),
    cmd(
        CommandId::ImageLs,
        "image ls",
        IMAGES_USAGE,
        "List images",
        IMAGES_FLAGS,
        Arity::Max(1),
    )
    .aka(&["list"], IMAGES_ALIASES),
    cmd(
        CommandId::ImagePrune,
        "image prune",
        "[OPTIONS]",
        "Remove unused images",
        IMAGE_PRUNE_FLAGS,
        Arity::None,
    ),
    cmd(
        CommandId::Pull,
        "image pull",
        "[OPTIONS] NAME[:TAG|@DIGEST]",
        "Download an image from a registry",
        PULL_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], "docker image pull, docker pull"),
    cmd(
        CommandId::Push,
        "image push",
        "[OPTIONS] NAME[:TAG]",
        "Upload an image to a registry",
        PUSH_FLAGS,
        Arity::Exact(1),
    )
    .aka(&[], "docker image push, docker push"),
    cmd(
        CommandId::Rmi,
        "image rm",
        "[OPTIONS] IMAGE [IMAGE...]",
        "Remove one or more images",
        RMI_FLAGS,
        Arity::Min(1),
    )
    .aka(&["remove"], RMI_ALIASES),
    cmd(
        CommandId::Save,
        "image save",
        "[OPTIONS] IMAGE [IMAGE...]",
        SAVE_SHORT,
        SAVE_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker image save, docker save"),
    cmd(
        CommandId::Tag,
        "image tag",
        "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        NO_FLAGS,
        Arity::Exact(2),
    )
    .aka(&[], "docker image tag, docker tag")
    .flags_first(),
    // docker container …
    cmd(
        CommandId::Create,
        "container create",
        RUN_USAGE,
        "Create a new container",
        CREATE_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container create, docker create")
    .container_command(),
    cmd(
        CommandId::ContainerInspect,
        "container inspect",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        INSPECT_CONTAINER_SHORT,
        CONTAINER_INSPECT_FLAGS,
        Arity::Min(1),
    ),
    cmd(
        CommandId::Ps,
        "container ls",
        "[OPTIONS]",
        "List containers",
        PS_FLAGS,
        Arity::None,
    )
    .aka(&["ps", "list"], PS_ALIASES),
    cmd(
        CommandId::ContainerPrune,
        "container prune",
        "[OPTIONS]",
        "Remove all stopped containers",
        CONTAINER_PRUNE_FLAGS,
        Arity::None,
    ),
    cmd(
        CommandId::Rm,
        "container rm",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Remove one or more containers",
        RM_FLAGS,
        Arity::Min(1),
    )
    .aka(&["remove"], RM_ALIASES),
    cmd(
        CommandId::Run,
        "container run",
        RUN_USAGE,
        RUN_SHORT,
        RUN_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container run, docker run")
    .container_command(),
    cmd(
        CommandId::Start,
        "container start",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Start one or more stopped containers",
        START_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container start, docker start"),
    cmd(
        CommandId::Stop,
        "container stop",
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Stop one or more running containers",
        STOP_FLAGS,
        Arity::Min(1),
    )
    .aka(&[], "docker container stop, docker stop"),
    // docker system …
    cmd(
        CommandId::SystemDf,
        "system df",
        "[OPTIONS]",
        "Show docker disk usage",
        SYSTEM_DF_FLAGS,
        Arity::None,
    ),
    cmd(
        CommandId::Info,
        "system info",
        "[OPTIONS]",
        "Display system-wide information",
        INFO_FLAGS,
        Arity::None,
    )
    .aka(&[], "docker system info, docker info"),
    cmd(
        CommandId::SystemPrune,
        "system prune",
        "[OPTIONS]",
        "Remove unused data",
        SYSTEM_PRUNE_FLAGS,
        Arity::None,
    ),
    // docker buildx … (also reached as `docker builder …`, `docker build`, `docker image build`)
    cmd(
        CommandId::BuilderPrune,
        "buildx prune",
        "",
        "Remove build cache",
        BUILDER_PRUNE_FLAGS,
        Arity::None,
    )
    .buildx(),
];

/// The management commands (`docker image`), in the order Docker lists them.
pub const GROUPS: &[GroupSpec] = &[
    GroupSpec {
        name: "builder",
        short: "Manage builds",
        long: None,
        owner: Owner::Buildx,
        flags: BUILDX_FLAGS,
    },
    GroupSpec {
        name: "buildx",
        short: "Docker Buildx",
        long: Some("Extended build capabilities with BuildKit"),
        owner: Owner::Buildx,
        flags: BUILDX_FLAGS,
    },
    GroupSpec {
        name: "container",
        short: "Manage containers",
        long: None,
        owner: Owner::Docker,
        flags: NO_FLAGS,
    },
    GroupSpec {
        name: "image",
        short: "Manage images",
        long: None,
        owner: Owner::Docker,
        flags: NO_FLAGS,
    },
    GroupSpec {
        name: "system",
        short: "Manage Docker",
        long: None,
        owner: Owner::Docker,
        flags: NO_FLAGS,
    },
];

/// "Common Commands:" of `docker --help`, in Docker's order.
const COMMON_COMMANDS: &[&str] = &[
    "run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version",
    "info",
];

/// Where `docker --help` lists a command docklab does not simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// "Common Commands:" or "Commands:" (a plain command).
    Command,
    /// "Management Commands:" (a group).
    Management,
    /// "Swarm Commands:" (a group).
    Swarm,
}

/// A Docker 28 command that docklab lists where Docker lists it, but does not simulate: typed,
/// it is parsed far enough to say so (and to point to the real engine).
#[derive(Debug, Clone, Copy)]
pub struct Unsimulated {
    /// Its path after `docker`: `exec`, `network`, `image import`.
    pub path: &'static str,
    pub short: &'static str,
    pub section: Section,
}

const fn unsim(path: &'static str, short: &'static str, section: Section) -> Unsimulated {
    Unsimulated {
        path,
        short,
        section,
    }
}

/// Every command of Docker 28's client (without plugins other than buildx) that docklab does
/// not simulate.
pub const UNSIMULATED: &[Unsimulated] = &[
    unsim(
        "attach",
        "Attach the terminal to a running container",
        Section::Command,
    ),
    unsim(
        "commit",
        "Make a new image of a container's changes",
        Section::Command,
    ),
    unsim(
        "cp",
        "Copy files between a container and the host",
        Section::Command,
    ),
    unsim(
        "diff",
        "List the files changed in a container's filesystem",
        Section::Command,
    ),
    unsim(
        "events",
        "Stream the daemon's events as they happen",
        Section::Command,
    ),
    unsim(
        "exec",
        "Run a command inside a running container",
        Section::Command,
    ),
    unsim(
        "export",
        "Write a container's filesystem to a tar archive",
        Section::Command,
    ),
    unsim(
        "import",
        "Make a filesystem image from a tarball",
        Section::Command,
    ),
    unsim(
        "kill",
        "Send a signal to one or more running containers",
        Section::Command,
    ),
    unsim("login", "Sign in to a registry", Section::Command),
    unsim("logout", "Sign out of a registry", Section::Command),
    unsim("logs", "Show what a container printed", Section::Command),
    unsim(
        "pause",
        "Freeze every process of one or more containers",
        Section::Command,
    ),
    unsim("port", "Show a container's port mappings", Section::Command),
    unsim("rename", "Give a container a new name", Section::Command),
    unsim(
        "restart",
        "Stop, then start, one or more containers",
        Section::Command,
    ),
    unsim("search", "Look for images on Docker Hub", Section::Command),
    unsim(
        "stats",
        "Show containers' resource usage, live",
        Section::Command,
    ),
    unsim(
        "top",
        "List the processes running in a container",
        Section::Command,
    ),
    unsim(
        "unpause",
        "Thaw every process of one or more containers",
        Section::Command,
    ),
    unsim(
        "update",
        "Change the resource limits of one or more containers",
        Section::Command,
    ),
    unsim(
        "wait",
        "Wait for containers to stop and print their exit codes",
        Section::Command,
    ),
    unsim("context", "Manage contexts", Section::Management),
    unsim(
        "manifest",
        "Manage image manifests and manifest lists",
        Section::Management,
    ),
    unsim("network", "Manage networks", Section::Management),
    unsim("plugin", "Manage plugins", Section::Management),
    unsim("trust", "Manage trust on images", Section::Management),
    unsim("volume", "Manage volumes", Section::Management),
    unsim("config", "Manage Swarm configs", Section::Swarm),
    unsim("node", "Manage Swarm nodes", Section::Swarm),
    unsim("secret", "Manage Swarm secrets", Section::Swarm),
    unsim("service", "Manage Swarm services", Section::Swarm),
    unsim("stack", "Manage Swarm stacks", Section::Swarm),
    unsim("swarm", "Manage Swarm", Section::Swarm),
];

/// Docker's subcommands of a group that are its top-level commands under another name
/// (`docker container logs` is `docker logs`).
const GROUPED: &[(&str, &[&str])] = &[
    (
        "container",
        &[
            "attach", "commit", "cp", "diff", "exec", "export", "kill", "logs", "pause", "port",
            "rename", "restart", "stats", "top", "unpause", "update", "wait",
        ],
    ),
    ("image", &["import"]),
    ("system", &["events"]),
];

/// The command docklab does not simulate at `path` (`"exec"`, `"image import"`); for a
/// group's subcommand, the top-level command it is.
pub fn find_unsimulated(path: &str) -> Option<&'static Unsimulated> {
    if let Some(u) = UNSIMULATED.iter().find(|u| u.path == path) {
        return Some(u);
    }
    let (group, name) = path.split_once(' ')?;
    GROUPED
        .iter()
        .any(|(g, names)| *g == group && names.contains(&name))
        .then(|| UNSIMULATED.iter().find(|u| u.path == name))
        .flatten()
}

/// What `docker build` and `docker image build` show in the root and image help lists.
const BUILD_SHORT: &str = "Build an image from a Dockerfile";

/// Finds the command at `path` (`"image ls"`), or under one of its aliases (`"image list"`).
pub fn find_command(path: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.path == path).or_else(|| {
        let (parent, name) = match path.rfind(' ') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => ("", path),
        };
        COMMANDS
            .iter()
            .find(|c| c.parent() == parent && c.aliases.contains(&name))
    })
}

/// Finds a management command by name.
pub fn find_group(name: &str) -> Option<&'static GroupSpec> {
    GROUPS.iter().find(|g| g.name == name)
}

/// The subcommands of a group, sorted by name as cobra lists them, with the text shown for each.
pub fn group_commands(group: &str) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = COMMANDS
        .iter()
        .filter(|c| c.parent() == group)
        .map(|c| (c.name(), c.short))
        .collect();
    if group == "image" {
        out.push(("build", BUILD_SHORT));
    }
    let prefix = format!("{group} ");
    out.extend(
        UNSIMULATED
            .iter()
            .filter_map(|u| Some((u.path.strip_prefix(&prefix)?, u.short))),
    );
    for (_, names) in GROUPED.iter().filter(|(g, _)| *g == group) {
        out.extend(
            names
                .iter()
                .filter_map(|n| find_unsimulated(n).map(|u| (*n, u.short))),
        );
    }
    out.sort_by_key(|(name, _)| *name);
    out
}

/// The words after `docker` that name a command or group docklab runs, from the tables above:
/// what completion offers and did-you-mean picks from. `buildx` is left out: it is the plugin's
/// own name, and the labs teach `docker build` and `docker builder`.
pub(crate) fn simulated_words() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = COMMANDS
        .iter()
        .filter(|c| c.parent().is_empty())
        .map(CommandSpec::name)
        .chain(std::iter::once("build"))
        .chain(GROUPS.iter().map(|g| g.name).filter(|g| *g != "buildx"))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The subcommands docklab runs in a group (`image` → `build`, `history`, `inspect`, …),
/// sorted; empty for a word that is no group among [`simulated_words`].
pub(crate) fn simulated_group_words(group: &str) -> Vec<&'static str> {
    // `docker builder …` is buildx's commands under another name.
    let parent = if group == "builder" { "buildx" } else { group };
    if group == "buildx" || find_group(group).is_none() {
        return Vec::new();
    }
    let mut out: Vec<&'static str> = COMMANDS
        .iter()
        .filter(|c| c.parent() == parent)
        .map(CommandSpec::name)
        .collect();
    if group == "image" {
        out.push("build");
    }
    out.sort_unstable();
    out
}

/// The buildx plugin appends this paragraph to every help it prints.
const BUILDX_HELP_FOOTER: &str =
    "\nExperimental commands and flags are hidden. Set BUILDX_EXPERIMENTAL=1 to show them.\n";

/// Cobra pads command names in lists to at least this width.
const NAME_PADDING: usize = 11;

pub use crate::docker::text::{go_quote, go_quote_byte};

/// pflag's `wrapN`: the first line of `s` at most `i` bytes long (or `i + slop` if that ends it).
fn wrap_n(i: usize, slop: usize, s: &str) -> (&str, &str) {
    if i + slop > s.len() || !s.is_char_boundary(i) {
        return (s, "");
    }
    let head = &s[..i];
    let Some(w) = head.rfind([' ', '\t', '\n']).filter(|&w| w > 0) else {
        return (s, "");
    };
    if let Some(nl) = head.rfind('\n') {
        if nl > 0 && nl < w {
            return (&s[..nl], &s[nl + 1..]);
        }
    }
    (&s[..w], &s[w + 1..])
}

/// pflag's `wrap`: wraps `s` to `width` columns, later lines indented by `indent`.
fn wrap(indent: usize, width: usize, s: &str) -> String {
    let mut indent = indent;
    let mut r = String::new();
    if width == 0 {
        return s.replace('\n', &format!("\n{}", " ".repeat(indent)));
    }
    let mut room = width.saturating_sub(indent);
    if room < 24 {
        indent = 16;
        room = width.saturating_sub(indent);
        r.push('\n');
        r.push_str(&" ".repeat(indent));
    }
    if room < 24 {
        return s.replace('\n', &r);
    }
    let slop = 5;
    room -= slop;
    let pad = format!("\n{}", " ".repeat(indent));
    let (line, mut rest) = wrap_n(room, slop, s);
    r.push_str(&line.replace('\n', &pad));
    while !rest.is_empty() {
        let (line, next) = wrap_n(room, slop, rest);
        r.push_str(&pad);
        r.push_str(&line.replace('\n', &pad));
        rest = next;
    }
    r
}

/// The "Options:" block: pflag's `FlagUsagesWrapped(cols)`, hidden flags left out.
/// Flags newer than the client's API version are left out too, and `~/.docker` in a default is
/// the client's configuration directory.
pub fn flag_usages(flags: &[FlagSpec], cols: usize, env: &ClientEnv) -> String {
    let mut sorted: Vec<&FlagSpec> = flags
        .iter()
        .filter(|f| !f.hidden && env.supports(f.since))
        .collect();
    sorted.sort_by_key(|f| f.long);
    let mut lines = Vec::with_capacity(sorted.len());
    let mut maxlen = 0;
    for f in sorted {
        let mut head = match f.short {
            Some(c) => format!("  -{c}, --{}", f.long),
            None => format!("      --{}", f.long),
        };
        let word = f.kind.type_word();
        if !word.is_empty() {
            head.push(' ');
            head.push_str(word);
        }
        // pflag counts the separator it inserts at this point.
        maxlen = maxlen.max(head.len() + 1);
        let mut usage = f.help.to_string();
        if f.show_default {
            if f.kind == ValueKind::Str {
                let default = match f.default.strip_prefix("~/.docker") {
                    Some(rest) => format!("{}{rest}", env.config_dir),
                    None => f.default.to_string(),
                };
                let _ = write!(usage, " (default {})", go_quote(&default));
            } else {
                let _ = write!(usage, " (default {})", f.default);
            }
        }
        lines.push((head, usage));
    }
    let mut out = String::new();
    for (head, usage) in lines {
        // Go's Fprintln puts a space between operands: head, padding, text.
        out.push_str(&head);
        out.push(' ');
        out.push_str(&" ".repeat(maxlen - head.len()));
        out.push(' ');
        out.push_str(&wrap(maxlen + 2, cols, &usage));
        out.push('\n');
    }
    out
}

fn options_block(out: &mut String, title: &str, flags: &[FlagSpec], env: &ClientEnv) {
    let usages = flag_usages(flags, env.width.saturating_sub(1), env);
    let usages = usages.trim_end();
    if !usages.is_empty() {
        out.push_str("\n\n");
        out.push_str(title);
        out.push_str(":\n");
        out.push_str(usages);
    }
}

fn list_block(out: &mut String, title: &str, rows: &[(String, &str)]) {
    if rows.is_empty() {
        return;
    }
    out.push_str("\n\n");
    out.push_str(title);
    out.push(':');
    for (name, short) in rows {
        out.push_str("\n  ");
        out.push_str(name);
        out.push_str(&" ".repeat((NAME_PADDING + 1).saturating_sub(name.len()).max(1)));
        out.push_str(short);
    }
}

/// `docker images --help`, laid out by Docker's usage template.
pub fn command_help(spec: &CommandSpec, env: &ClientEnv) -> String {
    let mut out = format!("Usage:  {}\n\n{}", spec.use_line(), spec.short);
    if let Some(line) = spec.aliases_line {
        out.push_str("\n\nAliases:\n  ");
        out.push_str(line);
    }
    options_block(&mut out, "Options", spec.flags, env);
    out.push('\n');
    if spec.owner == Owner::Buildx {
        out.push_str(BUILDX_HELP_FOOTER);
    }
    out
}

/// `docker image --help`: the group's usage, its subcommands and the footer.
pub fn group_help(group: &GroupSpec, env: &ClientEnv) -> String {
    // `docker builder …` is handed to buildx when it is installed.
    let (name, group) = if group.owner == Owner::Buildx {
        ("buildx", find_group("buildx").unwrap_or(group))
    } else {
        (group.name, group)
    };
    let options = if group.flags.iter().any(|f| !f.hidden) {
        " [OPTIONS]"
    } else {
        ""
    };
    let mut out = format!(
        "Usage:  docker {name}{options} COMMAND\n\n{}",
        group.long.unwrap_or(group.short)
    );
    options_block(&mut out, "Options", group.flags, env);
    let rows: Vec<(String, &str)> = group_commands(name)
        .into_iter()
        .map(|(n, s)| (n.to_string(), s))
        .collect();
    list_block(&mut out, "Commands", &rows);
    let _ = write!(
        out,
        "\n\nRun 'docker {name} COMMAND --help' for more information on a command.\n"
    );
    if group.owner == Owner::Buildx {
        out.push_str(BUILDX_HELP_FOOTER);
    }
    out
}

/// `docker --help`: Docker's layout and Docker's commands, simulated or not.
pub fn root_help(env: &ClientEnv) -> String {
    let short_of = |name: &str| -> &'static str {
        if name == "build" {
            return BUILD_SHORT;
        }
        find_command(name).map_or("", |c| c.short)
    };
    let mut out = String::from(
        "Usage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers",
    );
    let top_level = |section: Section| {
        UNSIMULATED
            .iter()
            .filter(move |u| u.section == section && !u.path.contains(' '))
    };
    let common: Vec<(String, &str)> = COMMON_COMMANDS
        .iter()
        .map(|n| {
            let short = find_unsimulated(n).map_or_else(|| short_of(n), |u| u.short);
            ((*n).to_string(), short)
        })
        .collect();
    list_block(&mut out, "Common Commands", &common);
    let mut management: Vec<(String, &str)> = GROUPS
        .iter()
        .map(|g| {
            // Plugins are marked with a star.
            let decorated = if g.name == "buildx" {
                "buildx*".to_string()
            } else {
                g.name.to_string()
            };
            (decorated, g.short)
        })
        .chain(top_level(Section::Management).map(|u| (u.path.to_string(), u.short)))
        .collect();
    management.sort();
    list_block(&mut out, "Management Commands", &management);
    let mut swarm: Vec<(String, &str)> = top_level(Section::Swarm)
        .map(|u| (u.path.to_string(), u.short))
        .collect();
    swarm.sort();
    list_block(&mut out, "Swarm Commands", &swarm);
    let mut others: Vec<(String, &str)> = COMMANDS
        .iter()
        .filter(|c| !c.path.contains(' '))
        .map(|c| (c.path, c.short))
        .chain(top_level(Section::Command).map(|u| (u.path, u.short)))
        .filter(|(path, _)| !COMMON_COMMANDS.contains(path))
        .map(|(path, short)| (path.to_string(), short))
        .collect();
    others.sort();
    list_block(&mut out, "Commands", &others);
    options_block(&mut out, "Global Options", GLOBAL_FLAGS, env);
    out.push_str("\n\nRun 'docker COMMAND --help' for more information on a command.\n\n");
    out.push_str(
        "For more help on how to use Docker, head to https://docs.docker.com/go/guides/\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    const FORMAT: &str = "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates";

    /// The renderer fed Docker's own texts gives the real client's `docker ps --help` byte for
    /// byte: padding, wrapping at 79 columns, embedded newlines, `(default -1)`.
    #[test]
    fn layout_matches_docker_given_dockers_texts() {
        const PS: &[FlagSpec] = &[
            flag(
                Some('a'),
                "all",
                ValueKind::Bool,
                "Show all containers (default shows just running)",
            ),
            flag(
                Some('f'),
                "filter",
                ValueKind::Filter,
                "Filter output based on conditions provided",
            ),
            flag(None, "format", ValueKind::Str, FORMAT),
            flag(
                Some('n'),
                "last",
                ValueKind::Int,
                "Show n last created containers (includes all states)",
            )
            .default_shown("-1"),
            flag(
                Some('l'),
                "latest",
                ValueKind::Bool,
                "Show the latest created container (includes all states)",
            ),
            flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
            flag(
                Some('q'),
                "quiet",
                ValueKind::Bool,
                "Only display container IDs",
            ),
            flag(
                Some('s'),
                "size",
                ValueKind::Bool,
                "Display total file sizes",
            ),
        ];
        let spec = CommandSpec {
            flags: PS,
            short: "List containers",
            ..*find_command("ps").expect("ps")
        };
        assert_eq!(
            command_help(&spec, &ClientEnv::default()),
            "Usage:  docker ps [OPTIONS]\n\nList containers\n\nAliases:\n  docker container ls, docker container list, docker container ps, docker ps\n\nOptions:\n  -a, --all             Show all containers (default shows just running)\n  -f, --filter filter   Filter output based on conditions provided\n      --format string   Format output using a custom template:\n                        'table':            Print output in table format\n                        with column headers (default)\n                        'table TEMPLATE':   Print output in table format\n                        using the given Go template\n                        'json':             Print in JSON format\n                        'TEMPLATE':         Print output using the given\n                        Go template.\n                        Refer to https://docs.docker.com/go/formatting/\n                        for more information about formatting output with\n                        templates\n  -n, --last int        Show n last created containers (includes all\n                        states) (default -1)\n  -l, --latest          Show the latest created container (includes all\n                        states)\n      --no-trunc        Don't truncate output\n  -q, --quiet           Only display container IDs\n  -s, --size            Display total file sizes\n"
        );
    }

    /// `docker history --help`'s flag block from the real client (bool default shown, wider
    /// column, URL longer than the room left).
    #[test]
    fn history_flags_layout() {
        const HISTORY: &[FlagSpec] = &[
            flag(None, "format", ValueKind::Str, FORMAT),
            flag(Some('H'), "human", ValueKind::Bool, "Print sizes and dates in human readable format")
                .default_shown("true"),
            flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
            flag(None, "platform", ValueKind::Str, "Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")"),
            flag(Some('q'), "quiet", ValueKind::Bool, "Only show image IDs"),
        ];
        assert_eq!(
            flag_usages(HISTORY, DEFAULT_WIDTH - 1, &ClientEnv::default()),
            "      --format string     Format output using a custom template:\n                          'table':            Print output in table\n                          format with column headers (default)\n                          'table TEMPLATE':   Print output in table\n                          format using the given Go template\n                          'json':             Print in JSON format\n                          'TEMPLATE':         Print output using the\n                          given Go template.\n                          Refer to https://docs.docker.com/go/formatting/\n                          for more information about formatting output\n                          with templates\n  -H, --human             Print sizes and dates in human readable format\n                          (default true)\n      --no-trunc          Don't truncate output\n      --platform string   Show history for the given platform. Formatted\n                          as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")\n  -q, --quiet             Only show image IDs\n"
        );
    }

    #[test]
    fn every_flag_name_is_unique_per_command() {
        for c in COMMANDS {
            for (i, f) in c.flags.iter().enumerate() {
                assert!(
                    !c.flags[i + 1..]
                        .iter()
                        .any(|g| g.long == f.long || (f.short.is_some() && g.short == f.short)),
                    "{}: --{} twice",
                    c.path,
                    f.long
                );
            }
        }
    }

    #[test]
    fn go_quoting() {
        assert_eq!(
            go_quote("a\"b\\c\n\u{1}\u{e9}"),
            "\"a\\\"b\\\\c\\n\\x01\u{e9}\""
        );
        assert_eq!(go_quote_byte(b'z'), "'z'");
        assert_eq!(go_quote_byte(0x85), "'\\u0085'");
        assert_eq!(go_quote_byte(b'\''), "'\\''");
    }
}
