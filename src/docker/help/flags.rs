//! The flag tables: every option of every command docklab simulates, of `docker` itself
//! ([`GLOBAL_FLAGS`]) and of the classic builder (`DOCKER_BUILDKIT=0`), with Docker's names,
//! shorthands, value types and defaults.

use super::spec::{flag, Check, DaemonOnly, FlagSpec, ValueKind};

pub(super) const PULL_FLAGS: &[FlagSpec] = &[
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

pub(super) const IMAGES_FLAGS: &[FlagSpec] = &[
    flag(Some('a'), "all", ValueKind::Bool, "Show all images (default hides intermediate images)"),
    flag(None, "digests", ValueKind::Bool, "Show digests"),
    flag(Some('f'), "filter", ValueKind::Filter, "Only show what matches the given conditions"),
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Only show image IDs"),
    flag(None, "tree", ValueKind::Bool, "Show multi-platform images as a tree (EXPERIMENTAL)").since("1.47"),
];

pub(super) const HISTORY_FLAGS: &[FlagSpec] = &[
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('H'), "human", ValueKind::Bool, "Show sizes and dates in a human-readable form").default_shown("true"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
    flag(None, "platform", ValueKind::Str, "Show the history of this platform, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.48"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Only show image IDs"),
];

pub(super) const RMI_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "force", ValueKind::Bool, "Force removal of the image"),
    flag(None, "no-prune", ValueKind::Bool, "Do not delete untagged parents"),
    flag(None, "platform", ValueKind::Strings, "Remove only this platform variant, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.50"),
];

pub(super) const IMAGE_PRUNE_FLAGS: &[FlagSpec] = &[
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

pub(super) const SYSTEM_PRUNE_FLAGS: &[FlagSpec] = &[
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

pub(super) const SYSTEM_DF_FLAGS: &[FlagSpec] = &[
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

pub(super) const RUN_FLAGS: &[FlagSpec] = container_flags![
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

pub(super) const CREATE_FLAGS: &[FlagSpec] = container_flags![flag(
    None,
    "pull",
    ValueKind::Str,
    "Pull the image before creating (\"always\", \"missing\", \"never\")"
)
.default_shown("missing"),];

pub(super) const PS_FLAGS: &[FlagSpec] = &[
    flag(Some('a'), "all", ValueKind::Bool, "Show all containers (default shows just running)"),
    flag(Some('f'), "filter", ValueKind::Filter, "Only show what matches the given conditions"),
    flag(None, "format", ValueKind::Str, "Format the output with a template:\n'table':            Table with column headers (default)\n'table TEMPLATE':   Table whose rows follow the given Go template\n'json':             One JSON object per item\n'TEMPLATE':         Each item through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('n'), "last", ValueKind::Int, "Show the n most recently created containers (any state)").default_shown("-1"),
    flag(Some('l'), "latest", ValueKind::Bool, "Show the most recently created container (any state)"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Only display container IDs"),
    flag(Some('s'), "size", ValueKind::Bool, "Display total file sizes"),
];

pub(super) const CONTAINER_PRUNE_FLAGS: &[FlagSpec] = &[
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

pub(super) const STOP_FLAGS: &[FlagSpec] = &[
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

pub(super) const START_FLAGS: &[FlagSpec] = &[
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

pub(super) const RM_FLAGS: &[FlagSpec] = &[
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

pub(super) const INSPECT_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('s'), "size", ValueKind::Bool, "Display total file sizes for containers"),
    flag(None, "type", ValueKind::Str, "Only inspect objects of this type"),
];

pub(super) const IMAGE_INSPECT_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(None, "platform", ValueKind::Str, "Inspect one platform of a multi-platform image.\nIf the image or the server is not multi-platform, the command fails when the platform does not match.\n'os[/arch[/variant]]': the platform (eg. linux/amd64)").since("1.49"),
];

pub(super) const CONTAINER_INSPECT_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
    flag(Some('s'), "size", ValueKind::Bool, "Display total file sizes"),
];

pub(super) const VERSION_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
];

pub(super) const INFO_FLAGS: &[FlagSpec] = &[
    flag(Some('f'), "format", ValueKind::Str, "Format the output with a template:\n'json':             JSON output\n'TEMPLATE':         Output through the given Go template.\nSee https://docs.docker.com/go/formatting/ for how templates work"),
];

pub(super) const SAVE_FLAGS: &[FlagSpec] = &[
    flag(Some('o'), "output", ValueKind::Str, "Write to this file instead of STDOUT"),
    flag(None, "platform", ValueKind::Str, "Save only this platform variant, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.48"),
];

pub(super) const LOAD_FLAGS: &[FlagSpec] = &[
    flag(Some('i'), "input", ValueKind::Str, "Read from this tar archive instead of STDIN"),
    flag(None, "platform", ValueKind::Str, "Load only this platform variant, written as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")").since("1.48"),
    flag(Some('q'), "quiet", ValueKind::Bool, "Suppress the load output"),
];

/// `docker search` (Docker 28 dropped the deprecated `--automated` and `--stars`).
pub(super) const SEARCH_FLAGS: &[FlagSpec] = &[
    flag(
        Some('f'),
        "filter",
        ValueKind::Filter,
        "Keep only the results that meet the given conditions",
    ),
    flag(
        None,
        "format",
        ValueKind::Str,
        "Print each result through a Go template",
    ),
    flag(None, "limit", ValueKind::Int, "Most results to show"),
    flag(None, "no-trunc", ValueKind::Bool, "Don't truncate output"),
];

pub(super) const PUSH_FLAGS: &[FlagSpec] = &[
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
pub(super) const LEGACY_BUILD_FLAGS: &[FlagSpec] = &[
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

pub(super) const BUILD_FLAGS: &[FlagSpec] = &[
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

pub(super) const BUILDER_PRUNE_FLAGS: &[FlagSpec] = &[
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

pub(super) const BUILDX_FLAGS: &[FlagSpec] = &[
    flag(
        None,
        "builder",
        ValueKind::Str,
        "Use this builder instance instead of the configured one",
    ),
    flag(Some('D'), "debug", ValueKind::Bool, "Enable debug logging"),
];

pub(super) const NO_FLAGS: &[FlagSpec] = &[];

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
