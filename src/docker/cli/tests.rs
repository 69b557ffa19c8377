//! Whole outputs compared with the docker 28.2.2 client's (captured with the client alone:
//! flag errors, unknown commands and help never reach the daemon).

use super::*;
use crate::docker::api::{ApiVersion, ClientEnv};
use pretty_assertions::assert_eq;

fn words(line: &str) -> Vec<String> {
    shell_words::split(line).expect("test lines are well quoted")
}

/// (stdout, stderr, exit code) the user would see before the engine runs anything.
fn outcome(line: &str) -> (String, String, i32) {
    match parse(&words(line)) {
        Ok(Parsed::Run(inv)) => (inv.notices, format!("RUN {:?}", inv.command), 0),
        Ok(Parsed::Help { stdout, stderr }) => (stdout, stderr, 0),
        Err(e) => (e.stdout, e.stderr, e.exit_code),
    }
}

fn invocation(line: &str) -> Invocation {
    match parse(&words(line)) {
        Ok(Parsed::Run(inv)) => inv,
        other => panic!("{line}: expected a command to run, got {other:?}"),
    }
}

/// (words after `docker`, stdout, stderr, exit code), captured from the docker 28.2.2 client.
const REAL_CLIENT: &[(&str, &str, &str, i32)] = &[
    ("images --foo", "", "unknown flag: --foo\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("images -z", "", "unknown shorthand flag: 'z' in -z\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("images -az", "", "unknown shorthand flag: 'z' in -z\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("rmi", "", "docker: 'docker rmi' requires at least 1 argument\n\nUsage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nSee 'docker rmi --help' for more information\n", 1),
    ("tag a", "", "docker: 'docker tag' requires 2 arguments\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nRun 'docker tag --help' for more information\n", 1),
    ("tag a b c", "", "docker: 'docker tag' requires 2 arguments\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nRun 'docker tag --help' for more information\n", 1),
    ("images a b", "", "docker: 'docker images' requires at most 1 argument\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker images --help' for more information\n", 1),
    ("version x", "", "docker: 'docker version' accepts no arguments\n\nUsage:  docker version [OPTIONS]\n\nRun 'docker version --help' for more information\n", 1),
    ("nosuchcmd", "", "docker: unknown command: docker nosuchcmd\n\nRun 'docker --help' for more information\n", 1),
    ("image nosuch", "", "docker: unknown command: docker image nosuch\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n", 1),
    ("pul", "", "docker: unknown command: docker pul\n\nRun 'docker --help' for more information\n", 1),
    ("ps -n x", "", "invalid argument \"x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("ps --last", "", "flag needs an argument: --last\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("stop -t abc x", "", "invalid argument \"abc\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker stop --help' for more information\n", 125),
    ("run", "", "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n", 1),
    ("run -d", "", "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n", 1),
    ("--debug images --foo", "", "unknown flag: --foo\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("-H", "", "flag needs an argument: 'H' in -H\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n", 125),
    ("--foo images", "", "unknown flag: --foo\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n", 125),
    ("images --all=maybe", "", "invalid argument \"maybe\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("rmi nginx -f --force=yes", "", "invalid argument \"yes\" for \"-f, --force\" flag: strconv.ParseBool: parsing \"yes\": invalid syntax\n\nUsage:  docker rmi [OPTIONS] IMAGE [IMAGE...]\n\nRun 'docker rmi --help' for more information\n", 125),
    ("images --filter", "", "flag needs an argument: --filter\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("images -f", "", "flag needs an argument: 'f' in -f\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("--version", "Docker version 28.2.2, build e6534b4\n", "", 0),
    ("-v", "Docker version 28.2.2, build e6534b4\n", "", 0),
    ("ps --last 3x", "", "invalid argument \"3x\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"3x\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("ps -an", "", "flag needs an argument: 'n' in -n\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("-l", "", "flag needs an argument: 'l' in -l\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n", 125),
    ("version --format", "", "flag needs an argument: --format\n\nUsage:  docker version [OPTIONS]\n\nRun 'docker version --help' for more information\n", 125),
    ("image --foo", "", "unknown flag: --foo\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n", 125),
    ("image ls --foo", "", "unknown flag: --foo\n\nUsage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker image ls --help' for more information\n", 125),
    ("image foo -a", "", "unknown shorthand flag: 'a' in -a\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n", 125),
    ("images -a=x", "", "invalid argument \"x\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"x\": invalid syntax\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("images --al", "", "unknown flag: --al\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("images ---a", "", "bad flag syntax: ---a\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("\"\"", "", "docker: unknown command: docker \n\nRun 'docker --help' for more information\n", 1),
    ("images --=x", "", "bad flag syntax: --=x\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("image list a b", "", "docker: 'docker image ls' requires at most 1 argument\n\nUsage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker image ls --help' for more information\n", 1),
    ("rm", "", "docker: 'docker rm' requires at least 1 argument\n\nUsage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker rm --help' for more information\n", 1),
    ("stop", "", "docker: 'docker stop' requires at least 1 argument\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker stop --help' for more information\n", 1),
    ("save", "", "docker: 'docker save' requires at least 1 argument\n\nUsage:  docker save [OPTIONS] IMAGE [IMAGE...]\n\nSee 'docker save --help' for more information\n", 1),
    ("load x", "", "docker: 'docker load' accepts no arguments\n\nUsage:  docker load [OPTIONS]\n\nRun 'docker load --help' for more information\n", 1),
    ("inspect", "", "docker: 'docker inspect' requires at least 1 argument\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nSee 'docker inspect --help' for more information\n", 1),
    ("history", "", "docker: 'docker history' requires 1 argument\n\nUsage:  docker history [OPTIONS] IMAGE\n\nRun 'docker history --help' for more information\n", 1),
    ("system df x", "", "docker: 'docker system df' accepts no arguments\n\nUsage:  docker system df [OPTIONS]\n\nRun 'docker system df --help' for more information\n", 1),
    ("system prune x", "", "docker: 'docker system prune' accepts no arguments\n\nUsage:  docker system prune [OPTIONS]\n\nRun 'docker system prune --help' for more information\n", 1),
    ("image prune x", "", "docker: 'docker image prune' accepts no arguments\n\nUsage:  docker image prune [OPTIONS]\n\nRun 'docker image prune --help' for more information\n", 1),
    ("info x", "", "docker: 'docker info' accepts no arguments\n\nUsage:  docker info [OPTIONS]\n\nRun 'docker info --help' for more information\n", 1),
    ("push", "", "docker: 'docker push' requires 1 argument\n\nUsage:  docker push [OPTIONS] NAME[:TAG]\n\nRun 'docker push --help' for more information\n", 1),
    ("pull", "", "docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'docker pull --help' for more information\n", 1),
    ("pull a b", "", "docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'docker pull --help' for more information\n", 1),
    ("create", "", "docker: 'docker create' requires at least 1 argument\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker create --help' for more information\n", 1),
    ("start", "", "docker: 'docker start' requires at least 1 argument\n\nUsage:  docker start [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker start --help' for more information\n", 1),
    ("images -D", "", "unknown shorthand flag: 'D' in -D\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("run -h", "", "flag needs an argument: 'h' in -h\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run -h x", "", "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n", 1),
    ("nosuch --foo", "", "unknown flag: --foo\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n", 125),
    ("image --foo ls", "", "unknown flag: --foo\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n", 125),
    ("image -a ls", "", "unknown shorthand flag: 'a' in -a\n\nUsage:  docker image\n\nRun 'docker image --help' for more information\n", 125),
    ("run -d --rm=maybe x", "", "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("create -h", "", "flag needs an argument: 'h' in -h\n\nUsage:  docker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker create --help' for more information\n", 125),
    ("images -q=", "", "unknown shorthand flag: '=' in -=\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n", 125),
    ("ps -n=", "", "invalid argument \"=\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"=\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("ps -n ''", "", "invalid argument \"\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("image ls -a -- x y", "", "docker: 'docker image ls' requires at most 1 argument\n\nUsage:  docker image ls [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker image ls --help' for more information\n", 1),
    ("-H x nosuch", "", "docker: unknown command: docker nosuch\n\nRun 'docker --help' for more information\n", 1),
    ("stop --time x", "", "invalid argument \"x\" for \"--time\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nRun 'docker stop --help' for more information\n", 125),
    ("stop --time 3", "Flag --time has been deprecated, use --timeout instead\n", "docker: 'docker stop' requires at least 1 argument\n\nUsage:  docker stop [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'docker stop --help' for more information\n", 1),
    ("run --net", "", "flag needs an argument: --net\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("image prune --filter", "", "flag needs an argument: --filter\n\nUsage:  docker image prune [OPTIONS]\n\nRun 'docker image prune --help' for more information\n", 125),
    ("ps -l=x", "", "invalid argument \"x\" for \"-l, --latest\" flag: strconv.ParseBool: parsing \"x\": invalid syntax\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 125),
    ("run --blkio-weight x", "", "invalid argument \"x\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"x\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --blkio-weight 99999", "", "invalid argument \"99999\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"99999\": value out of range\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run -m x", "", "invalid argument \"x\" for \"-m, --memory\" flag: invalid size: 'x'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --memory-swap x", "", "invalid argument \"x\" for \"--memory-swap\" flag: invalid size: 'x'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --health-interval x", "", "invalid argument \"x\" for \"--health-interval\" flag: time: invalid duration \"x\"\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --cpus x", "", "invalid argument \"x\" for \"--cpus\" flag: failed to parse x as a rational number\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --ulimit x", "", "invalid argument \"x\" for \"--ulimit\" flag: invalid ulimit argument: x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --stop-timeout x", "", "invalid argument \"x\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run -e =x", "", "invalid argument \"=x\" for \"-e, --env\" flag: invalid environment variable: =x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --add-host x", "", "invalid argument \"x\" for \"--add-host\" flag: bad format for add-host: \"x\"\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --dns x", "", "invalid argument \"x\" for \"--dns\" flag: IP address is not correctly formatted: x\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --label =x", "", "invalid argument \"=x\" for \"-l, --label\" flag: invalid label '=x': empty name\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --io-maxiops x", "", "invalid argument \"x\" for \"--io-maxiops\" flag: strconv.ParseUint: parsing \"x\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --shm-size -1", "", "invalid argument \"-1\" for \"--shm-size\" flag: invalid size: '-1'\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --cpu-shares 99999999999999999999", "", "invalid argument \"99999999999999999999\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --pids-limit 1.5", "", "invalid argument \"1.5\" for \"--pids-limit\" flag: strconv.ParseInt: parsing \"1.5\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --attach x", "", "invalid argument \"x\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --health-interval 1", "", "invalid argument \"1\" for \"--health-interval\" flag: time: missing unit in duration \"1\"\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --health-interval 1x", "", "invalid argument \"1x\" for \"--health-interval\" flag: time: unknown unit \"x\" in duration \"1x\"\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run --cpus 1/0", "", "invalid argument \"1/0\" for \"--cpus\" flag: failed to parse 1/0 as a rational number\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run -c 0x", "", "invalid argument \"0x\" for \"-c, --cpu-shares\" flag: strconv.ParseInt: parsing \"0x\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
    ("run -c 0x1_0 -m 1.5.5", "", "invalid argument \"1.5.5\" for \"-m, --memory\" flag: strconv.ParseFloat: parsing \"1.5.5\": invalid syntax\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n", 125),
];

#[test]
fn errors_match_the_real_client() {
    for (line, stdout, stderr, code) in REAL_CLIENT {
        let got = outcome(line);
        assert_eq!(
            got,
            ((*stdout).to_string(), (*stderr).to_string(), *code),
            "docker {line}"
        );
    }
}

/// Seen with the client against a Linux daemon without experimental features.
#[test]
fn flags_the_daemon_does_not_support_are_refused() {
    assert_eq!(
        outcome("start --checkpoint x c"),
        (
            String::new(),
            "\"--checkpoint\" is only supported on a Docker daemon with experimental features enabled\n".to_string(),
            1
        )
    );
    assert_eq!(
        outcome("create --cpu-count 2 --io-maxiops 3 img").1,
        "\"--cpu-count\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux\n\
         \"--io-maxiops\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux\n"
    );
}

#[test]
fn help_goes_where_docker_sends_it() {
    let root = help::root_help(&crate::docker::api::ClientEnv::default());
    // Bare `docker` and bare management commands print help on stderr, exit 0.
    assert_eq!(outcome(""), (String::new(), root.clone(), 0));
    assert_eq!(outcome("--debug"), (String::new(), root.clone(), 0));
    assert_eq!(outcome("--help"), (root.clone(), String::new(), 0));
    assert_eq!(outcome("--help nosuch"), (root.clone(), String::new(), 0));
    assert_eq!(
        outcome("-h"),
        (
            root,
            "Flag shorthand -h has been deprecated, use --help\n".to_string(),
            0
        )
    );
    let image = outcome("image");
    assert!(image.0.is_empty() && image.1.starts_with("Usage:  docker image COMMAND\n"));
    let images = outcome("images -h");
    assert!(images.0.starts_with(
        "Flag shorthand -h has been deprecated, use --help\nUsage:  docker images [OPTIONS]"
    ));
    assert_eq!(outcome("image list --help").0, outcome("image ls --help").0);
    assert!(outcome("image list --help")
        .0
        .starts_with("Usage:  docker image ls [OPTIONS]"));
    assert!(outcome("container ps --help")
        .0
        .starts_with("Usage:  docker container ls [OPTIONS]"));
    assert_eq!(
        outcome("--version").0,
        "Docker version 28.2.2, build e6534b4\n"
    );
}

#[test]
fn tag_help_is_dockers() {
    assert_eq!(
        outcome("tag --help").0,
        "Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nCreate a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n\nAliases:\n  docker image tag, docker tag\n"
    );
}

/// Layout as Docker's; the `--platform` description is ours.
#[test]
fn rmi_help() {
    assert_eq!(
        outcome("image remove --help").0,
        "Usage:  docker image rm [OPTIONS] IMAGE [IMAGE...]

Remove one or more images

Aliases:
  docker image rm, docker image remove, docker rmi

Options:
  -f, --force              Force removal of the image
      --no-prune           Do not delete untagged parents
      --platform strings   Remove only this platform variant, written as
                           \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")
"
    );
}

#[test]
fn image_group_help() {
    assert_eq!(
        outcome("image --help").0,
        "Usage:  docker image COMMAND

Manage images

Commands:
  build       Build an image from a Dockerfile
  history     Show the history of an image
  import      Make a filesystem image from a tarball
  inspect     Display detailed information on one or more images
  load        Load an image from a tar archive or STDIN
  ls          List images
  prune       Remove unused images
  pull        Download an image from a registry
  push        Upload an image to a registry
  rm          Remove one or more images
  save        Save one or more images to a tar archive (written to STDOUT by default)
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Run 'docker image COMMAND --help' for more information on a command.
"
    );
}

/// buildx is a plugin: errors start with `ERROR:`, help ends with its experimental note.
#[test]
fn build_goes_to_buildx() {
    for line in [
        "build",
        "image build",
        "builder build",
        "buildx build",
        "buildx b",
    ] {
        assert_eq!(
            outcome(line),
            (
                String::new(),
                "ERROR: docker: 'docker buildx build' requires 1 argument\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nRun 'docker buildx build --help' for more information\n".to_string(),
                1
            ),
            "docker {line}"
        );
    }
    let help = outcome("build --help").0;
    assert!(help.starts_with("Usage:  docker buildx build [OPTIONS] PATH | URL | -\n\nStart a build\n\nAliases:\n  docker build, docker builder build, docker image build, docker buildx b\n"));
    assert!(help.ends_with(
        "\n\nExperimental commands and flags are hidden. Set BUILDX_EXPERIMENTAL=1 to show them.\n"
    ));
    let inv = invocation(
        "build -t web:1 --build-arg A=1 --tag web:latest -f Dockerfile.dev --no-cache .",
    );
    assert_eq!(inv.command, CommandId::Build);
    assert_eq!(inv.display, "buildx build");
    assert_eq!(inv.flags.values("tag"), ["web:1", "web:latest"]);
    assert_eq!(inv.flags.values("build-arg"), ["A=1"]);
    assert_eq!(inv.flags.value("file"), Some("Dockerfile.dev"));
    assert_eq!(inv.flags.value("progress"), Some("auto"));
    assert!(inv.flags.bool("no-cache"));
    assert_eq!(inv.args, ["."]);
    assert_eq!(
        invocation("builder prune -af").command,
        CommandId::BuilderPrune
    );
    let unknown = outcome("builder nosuch");
    assert_eq!(unknown.1, "ERROR: unknown command: \"nosuch\"\n");
    assert_eq!(unknown.2, 1);
}

#[test]
fn every_path_reaches_its_command() {
    let cases = [
        ("pull nginx", CommandId::Pull),
        ("image pull nginx", CommandId::Pull),
        ("images", CommandId::ImageLs),
        ("image ls", CommandId::ImageLs),
        ("image list", CommandId::ImageLs),
        ("tag a b", CommandId::Tag),
        ("image tag a b", CommandId::Tag),
        ("history a", CommandId::History),
        ("image history a", CommandId::History),
        ("rmi a", CommandId::Rmi),
        ("image rm a", CommandId::Rmi),
        ("image remove a", CommandId::Rmi),
        ("image prune", CommandId::ImagePrune),
        ("system prune", CommandId::SystemPrune),
        ("system df", CommandId::SystemDf),
        ("run a", CommandId::Run),
        ("container run a", CommandId::Run),
        ("create a", CommandId::Create),
        ("container create a", CommandId::Create),
        ("ps", CommandId::Ps),
        ("container ls", CommandId::Ps),
        ("container list", CommandId::Ps),
        ("container ps", CommandId::Ps),
        ("stop c", CommandId::Stop),
        ("container stop c", CommandId::Stop),
        ("start c", CommandId::Start),
        ("rm c", CommandId::Rm),
        ("container rm c", CommandId::Rm),
        ("container remove c", CommandId::Rm),
        ("inspect x", CommandId::Inspect),
        ("image inspect x", CommandId::ImageInspect),
        ("container inspect x", CommandId::ContainerInspect),
        ("version", CommandId::Version),
        ("info", CommandId::Info),
        ("system info", CommandId::Info),
        ("save a", CommandId::Save),
        ("image save a", CommandId::Save),
        ("load", CommandId::Load),
        ("image load", CommandId::Load),
        ("push a", CommandId::Push),
        ("search a", CommandId::Search),
        (
            "search --limit 3 -f stars=2 --no-trunc a",
            CommandId::Search,
        ),
        ("image push a", CommandId::Push),
        ("buildx prune", CommandId::BuilderPrune),
        ("builder prune", CommandId::BuilderPrune),
    ];
    for (line, id) in cases {
        assert_eq!(invocation(line).command, id, "docker {line}");
    }
    assert_eq!(invocation("image list").display, "image ls");
    assert_eq!(invocation("images").display, "images");
}

#[test]
fn flag_grammar() {
    let inv = invocation("run -dit --name web -p 80:80 -p 443:443 -e A=1 --env=B=2 --rm=false nginx sh -c 'echo hi' -d");
    assert!(inv.flags.bool("detach") && inv.flags.bool("interactive") && inv.flags.bool("tty"));
    assert_eq!(inv.flags.value("name"), Some("web"));
    assert_eq!(inv.flags.values("publish"), ["80:80", "443:443"]);
    assert_eq!(inv.flags.values("env"), ["A=1", "B=2"]);
    assert!(!inv.flags.bool("rm") && inv.flags.is_set("rm"));
    // Flags stop at the image: the rest is the container's command.
    assert_eq!(inv.args, ["nginx", "sh", "-c", "echo hi", "-d"]);
    assert_eq!(inv.flags.value("pull"), Some("missing"));
    assert!(inv.flags.bool("sig-proxy"));

    let inv = invocation("rmi nginx -f alpine");
    assert!(inv.flags.bool("force"));
    assert_eq!(inv.args, ["nginx", "alpine"]);

    let inv = invocation("images -aq --filter dangling=true -freference=ng* -- -a");
    assert!(inv.flags.bool("all") && inv.flags.bool("quiet"));
    assert_eq!(
        inv.flags.values("filter"),
        ["dangling=true", "reference=ng*"]
    );
    assert_eq!(inv.args, ["-a"]);

    let inv = invocation("ps -n3 --last=5 -a=false");
    assert_eq!(inv.flags.value("last"), Some("5"));
    assert!(!inv.flags.bool("all"));
    assert_eq!(invocation("ps").flags.value("last"), Some("-1"));

    let inv = invocation("--debug -H unix:///x images");
    assert!(inv.globals.bool("debug"));
    assert_eq!(inv.globals.values("host"), ["unix:///x"]);

    let inv = invocation("stop --time 3 c");
    assert_eq!(
        inv.notices,
        "Flag --time has been deprecated, use --timeout instead\n"
    );
    assert_eq!(inv.flags.value("time"), Some("3"));
    assert!(!inv.flags.is_set("help"));
    assert!(invocation("history nginx").flags.bool("human"));
}

#[test]
fn strange_input_never_panics() {
    let nasty = [
        "",
        "-",
        "--",
        "---",
        "-=",
        "--=",
        "-\u{e9}",
        "-a\u{e9}",
        "--\u{e9}",
        "-\u{1}",
        "\u{0}",
        "-\u{7f}",
        "-\u{85}x",
        "=",
        "-f=",
        "--filter=",
        "-\u{1F600}",
        "--last=\u{e9}",
        "-n\u{e9}",
    ];
    let prefixes = [
        "",
        "images",
        "run",
        "image",
        "builder",
        "build",
        "ps",
        "stop",
        "run -m",
        "run --cpus",
        "run --health-interval",
        "run --ulimit",
        "-H",
    ];
    for prefix in prefixes {
        for a in nasty {
            for b in nasty {
                let mut args = words(prefix);
                args.push(a.to_string());
                args.push(b.to_string());
                let _ = parse(&args);
            }
        }
    }
    assert_eq!(
        outcome("images -\u{e9}").1,
        "unknown shorthand flag: '\u{c3}' in -\u{e9}\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nRun 'docker images --help' for more information\n"
    );
    assert_eq!(
        outcome("images -\u{1}").1.lines().next(),
        Some("unknown shorthand flag: '\\x01' in -\u{1}")
    );
}

#[test]
fn typed_values_use_gos_wording() {
    let first = |line: &str| {
        outcome(line)
            .1
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(first("run -c 0x10 -m 1.5.5 i"), "invalid argument \"1.5.5\" for \"-m, --memory\" flag: strconv.ParseFloat: parsing \"1.5.5\": invalid syntax");
    assert_eq!(first("run --health-interval 1 i"), "invalid argument \"1\" for \"--health-interval\" flag: time: missing unit in duration \"1\"");
    assert_eq!(first("run --health-interval 1x i"), "invalid argument \"1x\" for \"--health-interval\" flag: time: unknown unit \"x\" in duration \"1x\"");
    assert_eq!(outcome("run -c 0x10 -m 512m --memory-swap -1 --cpus 1.5 --health-interval 1m30s --ulimit nofile=1024:2048 i").2, 0);
}

#[test]
fn help_command_prints_the_help_of_its_topic() {
    assert_eq!(outcome("help pull"), outcome("pull --help"));
    assert_eq!(outcome("help image ls"), outcome("image ls --help"));
    assert_eq!(outcome("help").0, outcome("--help").0);
    let Err(e) = parse(&words("help image nosuch")) else {
        panic!("an unknown topic is an error")
    };
    assert_eq!(
        (e.stderr.as_str(), e.exit_code),
        ("unknown help topic: nosuch\n", 1)
    );
    let Err(e) = parse(&words("help nosuch")) else {
        panic!("an unknown topic is an error")
    };
    assert_eq!(e.stderr, "unknown help topic: nosuch\n");
}

#[test]
fn an_older_api_version_hides_and_refuses_newer_flags() {
    let old = ClientEnv {
        api: ApiVersion::new("1.41"),
        ..ClientEnv::default()
    };
    let help = |env: &ClientEnv, line: &str| match parse_in(&words(line), env) {
        Ok(Parsed::Help { stdout, .. }) => stdout,
        other => panic!("{line}: {other:?}"),
    };
    assert!(help(&ClientEnv::default(), "images --help").contains("--tree"));
    assert!(!help(&old, "images --help").contains("--tree"));
    assert!(help(&old, "pull --help").contains("--platform"));
    let Err(e) = parse_in(
        &words("run --annotation a=b --platform linux/amd64 --rm busybox"),
        &ClientEnv {
            api: ApiVersion::new("1.30"),
            ..ClientEnv::default()
        },
    ) else {
        panic!("flags newer than the API are refused")
    };
    assert_eq!(
        e.stderr,
        "\"--annotation\" requires API version 1.43, but the Docker daemon API version is 1.30\n\"--platform\" requires API version 1.32, but the Docker daemon API version is 1.30\n"
    );
    assert_eq!(e.exit_code, 1);
    assert!(parse_in(&words("images --tree"), &ClientEnv::default()).is_ok());
}

#[test]
fn commands_docklab_does_not_simulate_are_listed_and_recognised() {
    let root = outcome("--help").0;
    for name in ["exec", "network", "volume", "swarm", "logs"] {
        assert!(
            root.lines().any(|l| l.starts_with(&format!("  {name} "))),
            "{name} missing from docker --help"
        );
    }
    for (line, display) in [
        ("exec -it web sh", "exec"),
        ("network ls", "network"),
        ("image import x.tar", "image import"),
        ("container logs web", "container logs"),
    ] {
        match parse(&words(line)) {
            Ok(Parsed::Run(inv)) => {
                assert_eq!(inv.command, CommandId::NotSimulated, "{line}");
                assert_eq!(inv.display, display, "{line}");
            }
            other => panic!("{line}: {other:?}"),
        }
    }
}

#[test]
fn root_help_shows_the_clients_config_directory() {
    let env = ClientEnv {
        config_dir: "/home/ana/.docker".into(),
        ..ClientEnv::default()
    };
    let Ok(Parsed::Help { stdout, .. }) = parse_in(&words("--help"), &env) else {
        panic!("help")
    };
    assert!(
        stdout.contains("(default \"/home/ana/.docker\")"),
        "{stdout}"
    );
    assert!(stdout.contains("\"/home/ana/.docker/ca.pem\""), "{stdout}");
}

#[test]
fn docker_buildkit_0_makes_build_docker_clis_own_command() {
    let classic = ClientEnv {
        buildkit: false,
        ..ClientEnv::default()
    };
    let Err(e) = parse_in(&words("image build"), &classic) else {
        panic!("build needs a path")
    };
    assert!(
        e.stderr.starts_with(help::LEGACY_BUILDER_NOTICE),
        "{}",
        e.stderr
    );
    assert!(e
        .stderr
        .contains("Usage:  docker image build [OPTIONS] PATH | URL | -"));
    // buildx's flags are not the classic builder's.
    let Err(e) = parse_in(&words("build --progress=plain ."), &classic) else {
        panic!("--progress is buildx's")
    };
    assert_eq!(e.exit_code, 125);
    assert!(e.stderr.contains("unknown flag: --progress"));
    assert!(parse_in(&words("build --progress=plain ."), &ClientEnv::default()).is_ok());
    match parse_in(&words("build -t site ."), &classic) {
        Ok(Parsed::Run(inv)) => assert_eq!(inv.command, CommandId::Build),
        other => panic!("{other:?}"),
    }
}
