//! The command tables: every runnable command under every path Docker accepts for it
//! ([`COMMANDS`], and [`LEGACY_BUILDS`] for the classic builder), the management commands
//! ([`GROUPS`]) and the "Common Commands:" of `docker --help`.

use super::flags::{
    BUILDER_PRUNE_FLAGS, BUILDX_FLAGS, BUILD_FLAGS, CONTAINER_INSPECT_FLAGS, CONTAINER_PRUNE_FLAGS,
    CREATE_FLAGS, HISTORY_FLAGS, IMAGES_FLAGS, IMAGE_INSPECT_FLAGS, IMAGE_PRUNE_FLAGS, INFO_FLAGS,
    INSPECT_FLAGS, LEGACY_BUILD_FLAGS, LOAD_FLAGS, NO_FLAGS, PS_FLAGS, PULL_FLAGS, PUSH_FLAGS,
    RMI_FLAGS, RM_FLAGS, RUN_FLAGS, SAVE_FLAGS, SEARCH_FLAGS, START_FLAGS, STOP_FLAGS,
    SYSTEM_DF_FLAGS, SYSTEM_PRUNE_FLAGS, VERSION_FLAGS,
};
use super::spec::CommandId;
use super::spec::{cmd, Arity, CommandSpec, GroupSpec, Owner};

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
        CommandId::Search,
        "search",
        "[OPTIONS] TERM",
        "Look for images on Docker Hub",
        SEARCH_FLAGS,
        Arity::Exact(1),
    ),
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
/// `bake` is the buildx plugin's `docker buildx bake`, which the Docker 28 client lists (and
/// runs) as `docker bake` when the plugin is installed.
pub(super) const COMMON_COMMANDS: &[&str] = &[
    "run", "exec", "ps", "build", "bake", "pull", "push", "images", "login", "logout", "search",
    "version", "info",
];

/// What `docker build` and `docker image build` show in the root and image help lists.
pub(super) const BUILD_SHORT: &str = "Build an image from a Dockerfile";

#[cfg(test)]
mod tests {
    use super::*;

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
}
