//! The Docker 28 commands docklab lists where Docker lists them but does not simulate
//! ([`UNSIMULATED`]), the group paths that name them under another word, and their lookup.

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
    unsim("bake", "Build from a file", Section::Command),
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
pub(super) const GROUPED: &[(&str, &[&str])] = &[
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

/// The commands docklab does not simulate that only read the engine's state, by their path in
/// [`UNSIMULATED`] (a group's spelling, `container logs`, is the same command).
const READ_ONLY: &[&str] = &["diff", "events", "export", "logs", "port", "stats", "top"];

/// Whether the unsimulated command at `path` (as typed: `logs`, `container logs`) only reads
/// the engine's state; a path the table does not know may do anything.
pub fn reads_only(path: &str) -> bool {
    find_unsimulated(path).is_some_and(|u| READ_ONLY.contains(&u.path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_paths_are_table_paths() {
        for path in READ_ONLY {
            assert!(
                UNSIMULATED.iter().any(|u| u.path == *path),
                "{path} is not in UNSIMULATED"
            );
        }
    }

    #[test]
    fn a_group_spelling_reads_as_its_command() {
        assert!(reads_only("logs") && reads_only("container logs"));
        assert!(reads_only("system events") && reads_only("container top"));
        assert!(!reads_only("exec") && !reads_only("container exec"));
        assert!(!reads_only("network") && !reads_only("nonsense"));
    }
}
