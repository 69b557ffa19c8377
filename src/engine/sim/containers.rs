//! Containers: `run`, `create`, `ps`, `stop`, `start`, `rm` and the container part of `inspect`.
//! Nothing executes: a container is a record whose state follows what its image's program would
//! do (`hello-world` greets and exits, a server stays up, a shell stays up only when interactive).

use serde_json::{json, Value};

use std::collections::BTreeMap;

use super::filters::Filters;
use super::pull::pull_reference;
use super::render::render_as;
use super::{names, parse_time, truncate_id, usage_error, Ctx, Lookup, Outcome};
use crate::docker::cli::Invocation;
use crate::docker::errors::DockerError;
use crate::docker::reference::Reference;
use crate::docker::text::ellipsis;
use crate::docker::units::{go_time_string, human_duration, human_size, local_time_zone};
use crate::store::{ContainerRecord, ContainerStatus, Digest, StoreError};

/// The greeting `hello-world` prints.
const HELLO: &str = "
Hello from Docker!
This message shows that your installation appears to be working correctly.

To generate this message, Docker took the following steps:
 1. The Docker client contacted the Docker daemon.
 2. The Docker daemon pulled the \"hello-world\" image from the Docker Hub.
    (amd64)
 3. The Docker daemon created a new container from that image which runs the
    executable that produces the output you are currently reading.
 4. The Docker daemon streamed that output to the Docker client, which sent it
    to your terminal.

To try something more ambitious, you can run an Ubuntu container with:
 $ docker run -it ubuntu bash

Share images, automate workflows, and more with a free Docker ID:
 https://hub.docker.com/

For more examples and ideas, visit:
 https://docs.docker.com/get-started/

";

/// What the container's program does when it starts, as far as the simulation can tell.
enum Behaviour {
    /// Prints this and exits with this code.
    Exits(String, i32),
    /// Keeps running (a server, or an interactive shell).
    Runs,
}

const SHELLS: &[&str] = &[
    "sh", "bash", "ash", "dash", "zsh", "python", "python3", "node", "irb",
];

fn behaviour(ctx: &Ctx<'_>, c: &ContainerRecord) -> Behaviour {
    let argv: Vec<&str> = c
        .entrypoint
        .iter()
        .chain(&c.cmd)
        .map(String::as_str)
        .collect();
    program_behaviour(ctx, c, &argv, 0)
}

/// Servers and wrappers that keep running as a container's program: the catalog images' own
/// commands, and `sleep`/`tail -f` as students use them to keep a container up.
const LONG_RUNNING: &[&str] = &[
    "nginx",
    "nginx-debug",
    "httpd-foreground",
    "httpd",
    "redis-server",
    "memcached",
    "postgres",
    "sleep",
    "tail",
];

/// Entrypoint scripts that end in `exec "$@"`: what they run is their arguments.
const ENTRYPOINTS: &[&str] = &["docker-entrypoint.sh", "docker-entrypoint.bash"];

/// What `argv` does, `depth` shells deep (`sh -c 'sh -c …'` is not followed forever).
fn program_behaviour(ctx: &Ctx<'_>, c: &ContainerRecord, argv: &[&str], depth: usize) -> Behaviour {
    let Some(program) = argv.first() else {
        return Behaviour::Exits(String::new(), 0);
    };
    let base = program.rsplit('/').next().unwrap_or(program);
    match base {
        "hello" => Behaviour::Exits(HELLO.to_owned(), 0),
        "echo" => match argv.get(1) {
            Some(&"-n") => Behaviour::Exits(argv[2..].join(" "), 0),
            _ => Behaviour::Exits(format!("{}\n", argv[1..].join(" ")), 0),
        },
        "true" => Behaviour::Exits(String::new(), 0),
        "false" => Behaviour::Exits(String::new(), 1),
        "cat" if argv.len() > 1 => cat(ctx, c, &argv[1..]),
        b if ENTRYPOINTS.contains(&b) && argv.len() > 1 && depth < 4 => {
            program_behaviour(ctx, c, &argv[1..], depth + 1)
        }
        b if SHELLS.contains(&b) && argv.len() == 1 => {
            if c.interactive {
                Behaviour::Runs
            } else {
                Behaviour::Exits(String::new(), 0)
            }
        }
        // `sh -c 'SCRIPT'`: simple commands joined by `;`, `&&` and `||`, `exit` included.
        b if SHELLS.contains(&b) && argv.get(1) == Some(&"-c") && depth < 4 => {
            let script = argv.get(2).copied().unwrap_or("");
            match script_commands(script) {
                Some(commands) => script_behaviour(ctx, c, &commands, depth),
                None => Behaviour::Runs,
            }
        }
        _ => Behaviour::Runs,
    }
}

/// A `sh -c` script's simple commands, each with the operator before it (`;`, `&&`, `||`);
/// `None` when it uses more of the shell (variables, pipes, redirections, background jobs,
/// globs, command substitution) or does not parse (an unclosed quote).
fn script_commands(script: &str) -> Option<Vec<(&'static str, Vec<String>)>> {
    let mut commands: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut op: &'static str = ";";
    let mut current: Vec<String> = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = script.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => w.push(c),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' => return None,
                        '\\' => w.push(chars.next()?),
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
            c if c.is_whitespace() => current.extend(word.take()),
            ';' | '&' | '|' => {
                current.extend(word.take());
                let next = match (ch, chars.peek()) {
                    (';', _) => ";",
                    ('&', Some('&')) => "&&",
                    ('|', Some('|')) => "||",
                    _ => return None,
                };
                if next != ";" {
                    chars.next();
                }
                if current.is_empty() {
                    // `a ;; b`, `&& b`: not a simple script.
                    return None;
                }
                commands.push((op, std::mem::take(&mut current)));
                op = next;
            }
            '$' | '`' | '>' | '<' | '*' | '?' | '(' | ')' | '{' | '}' | '#' | '~' => return None,
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    current.extend(word.take());
    if !current.is_empty() {
        commands.push((op, current));
    } else if op != ";" {
        return None;
    }
    Some(commands)
}

/// What a script of simple commands does: their output in order, the status of the last one
/// run, or the code `exit` gives (modulo 256, as the shell reports it).
fn script_behaviour(
    ctx: &Ctx<'_>,
    c: &ContainerRecord,
    commands: &[(&'static str, Vec<String>)],
    depth: usize,
) -> Behaviour {
    let mut out = String::new();
    let mut status = 0;
    for (op, argv) in commands {
        match *op {
            "&&" if status != 0 => continue,
            "||" if status == 0 => continue,
            _ => {}
        }
        if argv[0] == "exit" {
            let code = match argv.get(1) {
                None => status,
                Some(n) => match n.parse::<i64>() {
                    Ok(n) => i32::try_from(n.rem_euclid(256)).unwrap_or(0),
                    Err(_) => return Behaviour::Runs,
                },
            };
            return Behaviour::Exits(out, code);
        }
        let words: Vec<&str> = argv.iter().map(String::as_str).collect();
        match program_behaviour(ctx, c, &words, depth + 1) {
            Behaviour::Exits(text, code) => {
                out.push_str(&text);
                status = code;
            }
            Behaviour::Runs => return Behaviour::Runs,
        }
    }
    Behaviour::Exits(out, status)
}

/// Whether docklab can tell what `argv`, a command given to `docker run IMAGE COMMAND…`, does:
/// the programs [`program_behaviour`] knows, long-running servers and `sleep`, shells and their
/// simple `-c` scripts. Anything else would have to be executed, which the simulator cannot do.
pub(super) fn emulates(argv: &[String]) -> bool {
    let Some(program) = argv.first() else {
        return true;
    };
    let base = program.rsplit('/').next().unwrap_or(program);
    match base {
        "hello" | "echo" | "true" | "false" | "cat" => true,
        b if LONG_RUNNING.contains(&b) => true,
        b if ENTRYPOINTS.contains(&b) => emulates(&argv[1..]),
        b if SHELLS.contains(&b) => match argv.get(1).map(String::as_str) {
            None => true,
            Some("-c") => argv
                .get(2)
                .and_then(|s| script_commands(s))
                .is_some_and(|cmds| {
                    cmds.iter().all(|(_, words)| {
                        words[0] == "exit" && words.get(1).is_none_or(|n| n.parse::<i64>().is_ok())
                            || emulates(words)
                    })
                }),
            Some(_) => false,
        },
        _ => false,
    }
}

/// `cat FILE…` inside the container: the files as the image's layers hold them (the top-most
/// layer that has the path wins; a whiteout hides it). Only what docklab's layers really
/// contain can be read — files `COPY` put there; the catalog's base layers are small stand-ins,
/// so a path only they would hold keeps the old answer (no output).
fn cat(ctx: &Ctx<'_>, c: &ContainerRecord, files: &[&str]) -> Behaviour {
    let mut out = String::new();
    for file in files {
        match read_image_file(ctx, &c.image, file) {
            ImageFile::Found(bytes) => out.push_str(&String::from_utf8_lossy(&bytes)),
            // Removed by a later layer: the file is not there.
            ImageFile::Deleted => {
                return Behaviour::Exits(
                    format!("{out}cat: can't open '{file}': No such file or directory\n"),
                    1,
                )
            }
            ImageFile::Unknown => return Behaviour::Exits(out, 0),
        }
    }
    Behaviour::Exits(out, 0)
}

/// What an image's layers say of one path.
enum ImageFile {
    /// A regular file, with (up to 1 MiB of) its content.
    Found(Vec<u8>),
    /// A layer deletes it (a whiteout).
    Deleted,
    /// No layer has it, or the layers could not be read.
    Unknown,
}

/// The regular file of image `image` at absolute `path`.
fn read_image_file(ctx: &Ctx<'_>, image: &Digest, path: &str) -> ImageFile {
    read_layers(ctx, image, path).unwrap_or(ImageFile::Unknown)
}

fn read_layers(ctx: &Ctx<'_>, image: &Digest, path: &str) -> Option<ImageFile> {
    use std::io::Read as _;
    const LIMIT: u64 = 1 << 20;
    let wanted = path.trim_start_matches('/').trim_end_matches('/');
    let (dir, name) = wanted.rsplit_once('/').unwrap_or(("", wanted));
    let whiteout = if dir.is_empty() {
        format!(".wh.{name}")
    } else {
        format!("{dir}/.wh.{name}")
    };
    let record = ctx.state.images.get(image)?;
    for chain in record.layers.iter().rev() {
        let diff = &ctx.state.layers.get(chain)?.diff_id;
        let file = ctx.store.blob_file(diff).ok()?;
        let mut archive = tar::Archive::new(file);
        for entry in archive.entries().ok()?.flatten() {
            let Ok(entry_path) = entry.path() else {
                continue;
            };
            let entry_path = entry_path.to_string_lossy();
            let entry_path = entry_path.trim_start_matches("./").trim_end_matches('/');
            if entry_path == whiteout {
                return Some(ImageFile::Deleted);
            }
            if entry_path == wanted && entry.header().entry_type().is_file() {
                let mut bytes = Vec::new();
                entry.take(LIMIT).read_to_end(&mut bytes).ok()?;
                return Some(ImageFile::Found(bytes));
            }
        }
    }
    Some(ImageFile::Unknown)
}

/// The exit code a running container gets from `docker stop`: servers stop cleanly on their stop
/// signal; a shell, `sleep` or `tail` as PID 1 ignores SIGTERM and is killed after the timeout.
fn stop_code(c: &ContainerRecord) -> i32 {
    let program = c
        .entrypoint
        .iter()
        .chain(&c.cmd)
        .next()
        .map_or("", String::as_str);
    let base = program.rsplit('/').next().unwrap_or(program);
    // As PID 1 these install no SIGTERM handler: the kernel ignores the signal for them.
    if SHELLS.contains(&base) || matches!(base, "sleep" | "tail") {
        137
    } else {
        0
    }
}

/// The index of the container a name, full ID or ID prefix names.
pub(super) fn find(ctx: &Ctx<'_>, name: &str) -> Option<usize> {
    let name = name.strip_prefix('/').unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    if let Some(i) = ctx
        .state
        .containers
        .iter()
        .position(|c| c.id == name || c.name == name)
    {
        return Some(i);
    }
    let mut matches = ctx
        .state
        .containers
        .iter()
        .enumerate()
        .filter(|(_, c)| c.id.starts_with(name));
    let first = matches.next()?;
    matches.next().is_none().then_some(first.0)
}

/// An error as `docker run` prints it (`docker: …`, the help hint, exit 125); `docker create`
/// prints the bare message and exits 1.
fn run_error(inv: &Invocation, message: &str) -> Outcome {
    if inv.command == crate::docker::cli::CommandId::Create {
        return Outcome::error(format!("{message}\n"), 1);
    }
    Outcome::error(
        format!(
            "docker: {message}\n\nRun 'docker {} --help' for more information\n",
            inv.display
        ),
        125,
    )
}

/// Docker's rule for container names: `[a-zA-Z0-9][a-zA-Z0-9_.-]+` (at least two characters).
fn valid_container_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// `docker run` (`start` true) and `docker create`.
pub(super) fn run(ctx: &mut Ctx<'_>, inv: &Invocation, start: bool) -> Result<Outcome, StoreError> {
    let Some(image_name) = inv.args.first() else {
        return Ok(usage_error(inv, "requires at least 1 argument"));
    };
    let mut out = Outcome::default();
    let id = match ctx.find_image(image_name) {
        Ok(id) => id,
        Err(Lookup::Invalid(m)) => return Ok(run_error(inv, &format!("{m}."))),
        Err(Lookup::NotFound(_)) => {
            let reference = match Reference::parse(image_name) {
                Ok(r) => r.with_default_tag(),
                Err(e) => return Ok(run_error(inv, &format!("{e}."))),
            };
            out.stderr.push_str(&format!(
                "Unable to find image '{}' locally\n",
                reference.familiar_string()
            ));
            match pull_reference(ctx, &reference)? {
                Ok(pulled) => {
                    out.stderr.push_str(&pulled.text);
                    out.pulls.push(pulled.event);
                    out.stderr_first = true;
                    pulled.id
                }
                Err(message) => {
                    out.append(run_error(
                        inv,
                        &format!("Error response from daemon: {message}"),
                    ));
                    return Ok(out);
                }
            }
        }
    };
    let name = match inv.flags.value("name") {
        Some(n) => {
            let n = n.strip_prefix('/').unwrap_or(n);
            if !valid_container_name(n) {
                out.append(run_error(
                    inv,
                    &format!(
                        "Error response from daemon: Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
                    ),
                ));
                return Ok(out);
            }
            if let Some(other) = ctx.state.containers.iter().find(|c| c.name == n) {
                out.append(run_error(
                    inv,
                    &format!(
                        "Error response from daemon: Conflict. The container name \"/{n}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
                        other.id
                    ),
                ));
                return Ok(out);
            }
            n.to_owned()
        }
        None => String::new(),
    };
    let config = ctx.config(&id)?;
    let container_id = ctx.new_id("container");
    let name = if name.is_empty() {
        names::generate(&container_id)
    } else {
        name
    };
    let cmd: Vec<String> = if inv.args.len() > 1 {
        inv.args[1..].to_vec()
    } else {
        config.config.cmd.clone().unwrap_or_default()
    };
    let now = ctx.now_rfc3339();
    let top_layer = ctx
        .state
        .images
        .get(&id)
        .and_then(|r| r.layers.last().cloned());
    let mut record = ContainerRecord {
        id: container_id.clone(),
        top_layer,
        name,
        image: id,
        image_name: image_name.clone(),
        entrypoint: config.config.entrypoint.clone().unwrap_or_default(),
        cmd,
        created: now.clone(),
        status: ContainerStatus::Created,
        started_at: None,
        finished_at: None,
        exit_code: 0,
        ports: inv.flags.values("publish").to_vec(),
        env: inv.flags.values("env").to_vec(),
        tty: inv.flags.bool("tty"),
        interactive: inv.flags.bool("interactive"),
        auto_remove: inv.flags.bool("rm"),
        network: inv.flags.value("network").map(str::to_owned),
    };
    if !start {
        ctx.state.containers.push(record);
        ctx.touch();
        out.stdout.push_str(&container_id);
        out.stdout.push('\n');
        return Ok(out);
    }
    let detach = inv.flags.bool("detach");
    record.started_at = Some(now.clone());
    let behaviour = behaviour(ctx, &record);
    match &behaviour {
        Behaviour::Exits(text, code) => {
            record.status = ContainerStatus::Exited;
            record.finished_at = Some(now);
            record.exit_code = *code;
            if !detach {
                out.stdout.push_str(&if record.tty {
                    text.replace('\n', "\r\n")
                } else {
                    text.clone()
                });
                out.exit_code = *code;
            }
        }
        Behaviour::Runs => record.status = ContainerStatus::Running,
    }
    if detach {
        out.stdout.push_str(&container_id);
        out.stdout.push('\n');
    }
    let remove = record.auto_remove && record.status == ContainerStatus::Exited;
    if !remove {
        ctx.state.containers.push(record);
    }
    ctx.touch();
    Ok(out)
}

/// The container's command as the daemon lists it: the program, then its arguments, those with a
/// space in single quotes (`nginx -g 'daemon off;'`).
pub(super) fn command_line(c: &ContainerRecord) -> String {
    let mut argv = c.entrypoint.iter().chain(&c.cmd);
    let Some(program) = argv.next() else {
        return String::new();
    };
    let mut line = program.clone();
    for arg in argv {
        line.push(' ');
        if arg.contains(' ') {
            line.push_str(&format!("'{arg}'"));
        } else {
            line.push_str(arg);
        }
    }
    line
}

/// The status column: `Up 5 minutes`, `Exited (0) 2 seconds ago`, `Created`.
pub(super) fn status_text(ctx: &Ctx<'_>, c: &ContainerRecord) -> String {
    let since = |t: &Option<String>| {
        let t = t.as_deref().and_then(parse_time).unwrap_or(ctx.now);
        human_duration(std::time::Duration::try_from(ctx.now.duration_since(t)).unwrap_or_default())
    };
    match c.status {
        ContainerStatus::Running => format!("Up {}", since(&c.started_at)),
        ContainerStatus::Exited => {
            format!("Exited ({}) {} ago", c.exit_code, since(&c.finished_at))
        }
        ContainerStatus::Created => "Created".to_owned(),
    }
}

/// The ports column: published ports while running, else exposed ones.
/// A `-p` value as (host port, container port): `8080:80`, `127.0.0.1:8080:80`, `80` (no host).
fn port_mapping(p: &str) -> Option<(&str, &str)> {
    let fields: Vec<&str> = p.split(':').collect();
    match fields.as_slice() {
        [h, c] | [_, h, c] => Some((*h, *c)),
        [c] => Some(("", *c)),
        _ => None,
    }
}

fn ports_text(ctx: &Ctx<'_>, c: &ContainerRecord) -> String {
    // `--network none` has no endpoint, `--network host` the host's own: neither lists published
    // or exposed ports.
    if c.status != ContainerStatus::Running || matches!(c.network.as_deref(), Some("none" | "host"))
    {
        return String::new();
    }
    let mut parts = Vec::new();
    for (host, container) in c.ports.iter().filter_map(|p| port_mapping(p)) {
        let container = if container.contains('/') {
            container.to_owned()
        } else {
            format!("{container}/tcp")
        };
        if host.is_empty() {
            parts.push(container);
        } else {
            parts.push(format!("0.0.0.0:{host}->{container}"));
            parts.push(format!("[::]:{host}->{container}"));
        }
    }
    if parts.is_empty() {
        if let Ok(config) = ctx.config(&c.image) {
            parts.extend(config.config.exposed_ports.unwrap_or_default().into_keys());
        }
    }
    parts.join(", ")
}

/// The image column of `ps`: the name given at `run` while it still names the container's image,
/// else the image's short ID (after the tag moved or the image was deleted by force).
fn image_column(ctx: &Ctx<'_>, c: &ContainerRecord) -> String {
    match ctx.find_image(&c.image_name) {
        Ok(id) if id == c.image => c.image_name.clone(),
        _ => truncate_id(c.image.as_str()).to_owned(),
    }
}

/// One container as docker/cli's `ContainerContext` shows it (`ps`, `system df -v`); `trunc`
/// shortens the ID and the command.
pub(super) fn row(
    ctx: &Ctx<'_>,
    c: &ContainerRecord,
    trunc: bool,
    tz: &jiff::tz::TimeZone,
) -> Value {
    let command = command_line(c);
    let command = if trunc {
        ellipsis(&command, 20)
    } else {
        command
    };
    let created = parse_time(&c.created).unwrap_or(ctx.now);
    let labels: Vec<String> = labels(ctx, c)
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    json!({
        "Command": crate::docker::reference::go_quote(&command),
        "CreatedAt": go_time_string(&created.to_zoned(tz.clone())),
        "ID": if trunc { truncate_id(&c.id).to_owned() } else { c.id.clone() },
        "Image": image_column(ctx, c),
        "Labels": labels.join(","),
        "LocalVolumes": "0",
        "Mounts": "",
        "Names": c.name,
        "Networks": c.network.clone().unwrap_or_else(|| "bridge".to_owned()),
        "Platform": null,
        "Ports": ports_text(ctx, c),
        "RunningFor": format!("{} ago", human_duration(std::time::Duration::try_from(ctx.now.duration_since(created)).unwrap_or_default())),
        "Size": human_size(0),
        "State": state_name(c),
        "Status": status_text(ctx, c),
    })
}

/// The filters `docker ps` accepts (moby `acceptedPsFilterTags`).
const PS_FILTERS: &[&str] = &[
    "ancestor",
    "before",
    "exited",
    "id",
    "isolation",
    "label",
    "name",
    "status",
    "health",
    "since",
    "volume",
    "network",
    "is-task",
    "publish",
    "expose",
];

/// Container states the daemon knows (`status=` values), in its order.
const STATES: &[&str] = &[
    "created",
    "running",
    "paused",
    "restarting",
    "removing",
    "exited",
    "dead",
];

pub(super) fn state_name(c: &ContainerRecord) -> &'static str {
    match c.status {
        ContainerStatus::Running => "running",
        ContainerStatus::Exited => "exited",
        ContainerStatus::Created => "created",
    }
}

/// A container's labels: its image's (docklab's `run` adds none of its own).
fn labels(ctx: &Ctx<'_>, c: &ContainerRecord) -> BTreeMap<String, String> {
    ctx.image_labels(&c.image).unwrap_or_default()
}

/// The containers `docker ps` lists, newest first: the daemon's `foldFilter` and
/// `includeContainerInList` (moby daemon/list.go), or its error.
#[allow(
    clippy::too_many_lines,
    reason = "one block per `ps --filter` key, validated in moby's order"
)]
fn listed(ctx: &Ctx<'_>, inv: &Invocation) -> Result<Vec<usize>, String> {
    let filters = Filters::parse(inv.flags.values("filter"))?;
    filters.validate(PS_FILTERS)?;
    let mut exited = Vec::new();
    for v in filters.values("exited") {
        let code: i32 = v.parse().map_err(|_| {
            format!("invalid filter 'exited={v}': strconv.Atoi: parsing {v:?}: invalid syntax")
        })?;
        exited.push(code);
    }
    let mut all = inv.flags.bool("all");
    for v in filters.values("status") {
        if !STATES.contains(&v.as_str()) {
            return Err(format!(
                "invalid filter 'status={v}': invalid value for state ({v}): must be one of {}",
                STATES.join(", ")
            ));
        }
        all = true;
    }
    let is_task = filters.bool_or("is-task", false)?;
    for v in filters.values("health") {
        if !["none", "starting", "healthy", "unhealthy"].contains(&v.as_str()) {
            return Err(format!(
                "invalid filter 'health={v}': invalid value for health ({v}): must be one of none, starting, healthy, unhealthy"
            ));
        }
    }
    let by_id_or_name = |value: &str| -> Result<usize, String> {
        find(ctx, value).ok_or_else(|| {
            DockerError::NoSuchContainer {
                name: value.to_owned(),
            }
            .message()
        })
    };
    let mut before = None;
    for v in filters.values("before") {
        before = Some(by_id_or_name(v)?);
    }
    let mut since = None;
    for v in filters.values("since") {
        since = Some(by_id_or_name(v)?);
    }
    // `ancestor`: the images named and every image built on them.
    let ancestors: Vec<Digest> = filters
        .values("ancestor")
        .iter()
        .filter_map(|name| ctx.find_image(name).ok())
        .collect();
    let descends = |image: &Digest| {
        let mut at = Some(image.clone());
        while let Some(id) = at {
            if ancestors.contains(&id) {
                return true;
            }
            at = ctx.state.images.get(&id).and_then(|r| r.parent.clone());
        }
        false
    };
    let port_set = |key: &str| -> Result<Vec<String>, String> {
        let mut ports = Vec::new();
        for v in filters.values(key) {
            if v.contains(':') {
                return Err(format!("filter for '{key}' should not contain ':': {v}"));
            }
            let (range, proto) = v.split_once('/').unwrap_or((v, "tcp"));
            let (start, end) = range.split_once('-').unwrap_or((range, range));
            // go-connections `nat.ParsePortRange`: Go's `strconv.ParseUint(p, 10, 16)`.
            let parse = |p: &str| {
                p.parse::<u16>().map_err(|_| {
                    let why = if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                        "value out of range"
                    } else {
                        "invalid syntax"
                    };
                    format!("error while looking up for {key} {v}: strconv.ParseUint: parsing {p:?}: {why}")
                })
            };
            for port in parse(start)?..=parse(end)? {
                ports.push(format!("{port}/{proto}"));
            }
        }
        Ok(ports)
    };
    let (publish, expose) = (port_set("publish")?, port_set("expose")?);
    let mut limit: i64 = inv
        .flags
        .value("last")
        .and_then(|n| n.parse().ok())
        .unwrap_or(-1);
    if inv.flags.bool("latest") && limit == -1 {
        limit = 1;
    }

    let mut out = Vec::new();
    let mut skipping_until_before = before.is_some();
    for (i, c) in ctx.state.containers.iter().enumerate().rev() {
        if skipping_until_before {
            if Some(i) == before {
                skipping_until_before = false;
            }
            continue;
        }
        if Some(i) == since {
            break;
        }
        let running = c.status == ContainerStatus::Running;
        if !running && !all && limit <= 0 {
            continue;
        }
        let slash_name = format!("/{}", c.name);
        if !filters.matches("name", &slash_name) && !filters.matches("name", &c.name) {
            continue;
        }
        if !filters.matches("id", &c.id) {
            continue;
        }
        if filters.contains("is-task") && is_task {
            continue;
        }
        if filters.contains("label") && !filters.match_labels("label", &labels(ctx, c)) {
            continue;
        }
        if !filters.matches("isolation", "default") {
            continue;
        }
        if limit > 0 && i64::try_from(out.len()).unwrap_or(i64::MAX) == limit {
            break;
        }
        let started = c.started_at.is_some();
        if !(exited.is_empty() || started && !running && exited.contains(&c.exit_code)) {
            continue;
        }
        if !filters.matches("status", state_name(c)) {
            continue;
        }
        if !filters.exact_match("health", "none") {
            continue;
        }
        // docklab's containers mount no volume.
        if filters.contains("volume") {
            continue;
        }
        if filters.contains("ancestor") && !descends(&c.image) {
            continue;
        }
        let network = c.network.clone().unwrap_or_else(|| "bridge".to_owned());
        if filters.contains("network") && !filters.values("network").contains(&network) {
            continue;
        }
        if !publish.is_empty() || !expose.is_empty() {
            let (published, exposed) = port_pairs(ctx, c);
            if !published.iter().any(|p| publish.contains(p))
                && !exposed.iter().any(|p| expose.contains(p))
            {
                continue;
            }
        }
        out.push(i);
    }
    Ok(out)
}

/// The ports a running container lists (`ps`' Ports): (host side `8080/tcp`, container side
/// `80/tcp`), for the `publish` and `expose` filters.
fn port_pairs(ctx: &Ctx<'_>, c: &ContainerRecord) -> (Vec<String>, Vec<String>) {
    let (mut published, mut exposed) = (Vec::new(), Vec::new());
    if c.status != ContainerStatus::Running {
        return (published, exposed);
    }
    for (host, inside) in c.ports.iter().filter_map(|p| port_mapping(p)) {
        let (port, proto) = inside.split_once('/').unwrap_or((inside, "tcp"));
        exposed.push(format!("{port}/{proto}"));
        if !host.is_empty() {
            published.push(format!("{host}/{proto}"));
        }
    }
    if let Ok(config) = ctx.config(&c.image) {
        exposed.extend(config.config.exposed_ports.unwrap_or_default().into_keys());
    }
    (published, exposed)
}

/// `docker ps [OPTIONS]`
pub(super) fn ps(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if !inv.args.is_empty() {
        return Ok(usage_error(inv, "accepts no arguments"));
    }
    let listed = match listed(ctx, inv) {
        Ok(listed) => listed,
        Err(e) if e.starts_with("bad format") => return Ok(Outcome::error(format!("{e}\n"), 1)),
        Err(e) => return Ok(Outcome::daemon_error(e)),
    };
    let trunc = !inv.flags.bool("no-trunc");
    let tz = local_time_zone();
    let rows: Vec<Value> = listed
        .into_iter()
        .map(|i| row(ctx, &ctx.state.containers[i], trunc, &tz))
        .collect();
    // docker/cli's `ps`: `--quiet` wins over a `--format`, with a warning.
    let quiet = inv.flags.bool("quiet");
    let custom = inv.flags.value("format").is_some_and(|f| !f.is_empty());
    let format = match inv.flags.value("format").unwrap_or("") {
        _ if quiet => "{{.ID}}",
        "" | "table" => "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}",
        "json" => "{{json .}}",
        f => f,
    };
    let headers = json!({
        "Command": "COMMAND", "CreatedAt": "CREATED AT", "ID": "CONTAINER ID", "Image": "IMAGE",
        "Labels": "LABELS", "LocalVolumes": "LOCAL VOLUMES", "Mounts": "MOUNTS", "Names": "NAMES",
        "Networks": "NETWORKS", "Ports": "PORTS", "RunningFor": "CREATED", "Size": "SIZE",
        "State": "STATE", "Status": "STATUS",
    });
    // docker/cli's `ps` words a failed template its own way.
    let mut out = render_as(
        format,
        &headers,
        &rows,
        "*formatter.ContainerContext",
        "failed to execute template: ",
    );
    if quiet && custom {
        out.stderr.insert_str(
            0,
            "WARNING: Ignoring custom format, because both --format and --quiet are set.\n",
        );
    }
    Ok(out)
}

/// Applies `f` to each named container; prints each name on success, as `stop`/`start`/`rm` do.
fn each_container(
    ctx: &mut Ctx<'_>,
    inv: &Invocation,
    mut f: impl FnMut(&mut Ctx<'_>, usize) -> Result<(), String>,
) -> Outcome {
    if inv.args.is_empty() {
        return usage_error(inv, "requires at least 1 argument");
    }
    let mut out = Outcome::default();
    let mut errors = Vec::new();
    for name in &inv.args {
        let Some(i) = find(ctx, name) else {
            errors.push(
                DockerError::NoSuchContainer { name: name.clone() }
                    .stderr()
                    .trim_end()
                    .to_owned(),
            );
            continue;
        };
        match f(ctx, i) {
            Ok(()) => {
                out.stdout.push_str(name);
                out.stdout.push('\n');
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        out.stderr = errors.join("\n") + "\n";
        out.exit_code = 1;
    }
    out
}

/// `docker stop CONTAINER...`
pub(super) fn stop(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    Ok(each_container(ctx, inv, |ctx, i| {
        let now = ctx.now_rfc3339();
        let c = &mut ctx.state.containers[i];
        if c.status == ContainerStatus::Running {
            c.status = ContainerStatus::Exited;
            c.exit_code = stop_code(c);
            c.finished_at = Some(now);
            if c.auto_remove {
                ctx.state.containers.remove(i);
                ctx.release_layers();
            }
            ctx.touch();
        }
        Ok(())
    }))
}

/// `docker start CONTAINER...`
pub(super) fn start(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    let mut out = each_container(ctx, inv, |ctx, i| {
        let now = ctx.now_rfc3339();
        let started = behaviour(ctx, &ctx.state.containers[i]);
        let c = &mut ctx.state.containers[i];
        if c.status != ContainerStatus::Running {
            c.started_at = Some(now.clone());
            match started {
                Behaviour::Runs => c.status = ContainerStatus::Running,
                Behaviour::Exits(_, code) => {
                    c.status = ContainerStatus::Exited;
                    c.exit_code = code;
                    c.finished_at = Some(now);
                }
            }
            ctx.touch();
        }
        Ok(())
    });
    // docker/cli's `start` names every container it could not start at the end.
    if out.exit_code != 0 && !inv.args.is_empty() {
        let failed: Vec<&str> = inv
            .args
            .iter()
            .filter(|name| find(ctx, name).is_none())
            .map(String::as_str)
            .collect();
        if !failed.is_empty() {
            out.stderr.push_str(&format!(
                "Error: failed to start containers: {}\n",
                failed.join(", ")
            ));
        }
    }
    Ok(out)
}

/// `docker rm [OPTIONS] CONTAINER...`
pub(super) fn rm(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    let force = inv.flags.bool("force");
    let mut out = each_container(ctx, inv, |ctx, i| {
        let c = &ctx.state.containers[i];
        if c.status == ContainerStatus::Running && !force {
            return Err(format!(
                "Error response from daemon: cannot remove container \"/{}\": container is running: stop the container before removing or force remove",
                c.name
            ));
        }
        ctx.state.containers.remove(i);
        ctx.release_layers();
        ctx.touch();
        Ok(())
    });
    // docker/cli's `rm --force` prints a missing container's error but does not fail for it
    // (other errors still do).
    if force && out.exit_code != 0 {
        let errors = DockerError::recognise(&out.stderr);
        let only_missing = errors.len() == out.stderr.lines().count()
            && errors
                .iter()
                .all(|e| matches!(e, DockerError::NoSuchContainer { .. }));
        if only_missing {
            out.exit_code = 0;
        }
    }
    Ok(out)
}

/// `docker container prune [OPTIONS]`: removes every container that is not running, after a
/// confirmation unless `--force`; a container's writable layer is empty, so 0B are reclaimed.
pub(super) fn prune(
    ctx: &mut Ctx<'_>,
    inv: &Invocation,
    io: &mut dyn crate::engine::Interaction,
) -> Result<Outcome, StoreError> {
    // There to free space: what it frees is unlinked now.
    ctx.reclaim = true;
    if !inv.args.is_empty() {
        return Ok(usage_error(inv, "accepts no arguments"));
    }
    let filter = match super::filters::PruneFilter::parse(
        inv.flags.values("filter"),
        &["label", "label!", "until"],
        ctx.now,
    ) {
        Ok(f) => f,
        Err(e) => return Ok(Outcome::daemon_error(e)),
    };
    if !inv.flags.bool("force")
        && !super::remove::confirm(
            io,
            "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ",
        )
    {
        return Ok(Outcome::default());
    }
    let gone = super::system::prune_containers(ctx, &filter);
    let mut out = Outcome::default();
    if !gone.is_empty() {
        out.stdout.push_str("Deleted Containers:\n");
        for id in gone {
            out.stdout.push_str(&id);
            out.stdout.push('\n');
        }
        out.stdout.push('\n');
    }
    out.stdout.push_str("Total reclaimed space: 0B\n");
    Ok(out)
}

/// The `docker container inspect` document of one container (the fields a learner reads).
#[allow(
    clippy::too_many_lines,
    reason = "the container document, field by field in Docker's order"
)]
pub(super) fn inspect_json(ctx: &Ctx<'_>, i: usize) -> Result<Value, StoreError> {
    let c = &ctx.state.containers[i];
    // The image may have been deleted by force; the container keeps its own copy of what it needs.
    let config = ctx.config(&c.image).map(|c| c.config).unwrap_or_default();
    let zero = "0001-01-01T00:00:00Z".to_owned();
    let mut env = config.env.clone().unwrap_or_default();
    env.extend(c.env.iter().cloned());
    let argv: Vec<&String> = c.entrypoint.iter().chain(&c.cmd).collect();
    let running = c.status == ContainerStatus::Running;
    let started = c.started_at.is_some();
    // docklab does not record `-d`: a container still running was (almost always) started
    // detached; `create` and a `run` that returned are attached.
    let attached = !running;
    let dir = format!("/var/lib/docker/containers/{}", c.id);
    let file = |name: &str| {
        if started {
            format!("{dir}/{name}")
        } else {
            String::new()
        }
    };
    let network = c.network.clone().unwrap_or_else(|| "bridge".to_owned());
    let net = simulated_network(ctx, i);
    // Published ports (`-p`), and every exposed port (null when not published), as Docker's
    // `NetworkSettings.Ports` of a running container.
    let mut bindings = serde_json::Map::new();
    for (host, inside) in c.ports.iter().filter_map(|p| port_mapping(p)) {
        let (port, proto) = inside.split_once('/').unwrap_or((inside, "tcp"));
        if !host.is_empty() {
            bindings.insert(
                format!("{port}/{proto}"),
                json!([{"HostIp": "", "HostPort": host}]),
            );
        }
    }
    let mut ports = serde_json::Map::new();
    if running {
        for p in config.exposed_ports.clone().unwrap_or_default().into_keys() {
            ports.insert(p, Value::Null);
        }
        for (key, b) in &bindings {
            let host = b[0]["HostPort"].clone();
            ports.insert(
                key.clone(),
                json!([{"HostIp": "0.0.0.0", "HostPort": host}, {"HostIp": "::", "HostPort": host}]),
            );
        }
    }
    let layers: Vec<String> = ctx
        .state
        .images
        .get(&c.image)
        .map(|r| r.layers.iter().rev().map(|l| l.hex().to_owned()).collect())
        .unwrap_or_default();
    let rw = &net.endpoint[..];
    let mut lower = vec![format!("/var/lib/docker/overlay2/{rw}-init/diff")];
    lower.extend(
        layers
            .iter()
            .map(|l| format!("/var/lib/docker/overlay2/{l}/diff")),
    );
    let host_config = json!({
        "Binds": null,
        "ContainerIDFile": "",
        "LogConfig": {"Type": "json-file", "Config": {}},
        "NetworkMode": network,
        "PortBindings": bindings,
        "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
        "AutoRemove": c.auto_remove,
        "VolumeDriver": "",
        "VolumesFrom": null,
        "ConsoleSize": [0, 0],
        "CapAdd": null,
        "CapDrop": null,
        "CgroupnsMode": "private",
        "Dns": [],
        "DnsOptions": [],
        "DnsSearch": [],
        "ExtraHosts": null,
        "GroupAdd": null,
        "IpcMode": "private",
        "Cgroup": "",
        "Links": null,
        "OomScoreAdj": 0,
        "PidMode": "",
        "Privileged": false,
        "PublishAllPorts": false,
        "ReadonlyRootfs": false,
        "SecurityOpt": null,
        "UTSMode": "",
        "UsernsMode": "",
        "ShmSize": 67_108_864,
        "Runtime": "runc",
        "Isolation": "",
        "CpuShares": 0,
        "Memory": 0,
        "NanoCpus": 0,
        "CgroupParent": "",
        "BlkioWeight": 0,
        "BlkioWeightDevice": [],
        "BlkioDeviceReadBps": [],
        "BlkioDeviceWriteBps": [],
        "BlkioDeviceReadIOps": [],
        "BlkioDeviceWriteIOps": [],
        "CpuPeriod": 0,
        "CpuQuota": 0,
        "CpuRealtimePeriod": 0,
        "CpuRealtimeRuntime": 0,
        "CpusetCpus": "",
        "CpusetMems": "",
        "Devices": [],
        "DeviceCgroupRules": null,
        "DeviceRequests": null,
        "MemoryReservation": 0,
        "MemorySwap": 0,
        "MemorySwappiness": null,
        "OomKillDisable": false,
        "PidsLimit": null,
        "Ulimits": [],
        "CpuCount": 0,
        "CpuPercent": 0,
        "IOMaximumIOps": 0,
        "IOMaximumBandwidth": 0,
        "MaskedPaths": [
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
        ],
        "ReadonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    });
    let network_settings = json!({
        "Bridge": "",
        "SandboxID": if running { net.sandbox.clone() } else { String::new() },
        "SandboxKey": if running { format!("/var/run/docker/netns/{}", &net.sandbox[..12]) } else { String::new() },
        "Ports": ports,
        "HairpinMode": false,
        "LinkLocalIPv6Address": "",
        "LinkLocalIPv6PrefixLen": 0,
        "SecondaryIPAddresses": null,
        "SecondaryIPv6Addresses": null,
        "EndpointID": if running && network == "bridge" { net.endpoint.clone() } else { String::new() },
        "Gateway": if running && network == "bridge" { "172.17.0.1" } else { "" },
        "GlobalIPv6Address": "",
        "GlobalIPv6PrefixLen": 0,
        "IPAddress": if running && network == "bridge" { net.ip.clone() } else { String::new() },
        "IPPrefixLen": if running && network == "bridge" { 16 } else { 0 },
        "IPv6Gateway": "",
        "MacAddress": if running && network == "bridge" { net.mac.clone() } else { String::new() },
        "Networks": {
            network.clone(): {
                "IPAMConfig": null,
                "Links": null,
                "Aliases": null,
                "MacAddress": if running { net.mac.clone() } else { String::new() },
                "DriverOpts": null,
                "GwPriority": 0,
                "NetworkID": if running { net.network.clone() } else { String::new() },
                "EndpointID": if running { net.endpoint.clone() } else { String::new() },
                "Gateway": if running { "172.17.0.1" } else { "" },
                "IPAddress": if running { net.ip.clone() } else { String::new() },
                "IPPrefixLen": if running { 16 } else { 0 },
                "IPv6Gateway": "",
                "GlobalIPv6Address": "",
                "GlobalIPv6PrefixLen": 0,
                "DNSNames": null,
            },
        },
    });
    Ok(json!({
        "Id": c.id,
        "Created": c.created,
        "Path": argv.first().map_or("", |s| s.as_str()),
        "Args": argv.iter().skip(1).collect::<Vec<_>>(),
        "State": {
            "Status": state_name(c),
            "Running": running,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": if running { net.pid } else { 0 },
            "ExitCode": c.exit_code,
            "Error": "",
            "StartedAt": c.started_at.clone().unwrap_or_else(|| zero.clone()),
            "FinishedAt": c.finished_at.clone().unwrap_or(zero),
        },
        "Image": c.image.to_string(),
        "ResolvConfPath": file("resolv.conf"),
        "HostnamePath": file("hostname"),
        "HostsPath": file("hosts"),
        "LogPath": file(&format!("{}-json.log", c.id)),
        "Name": format!("/{}", c.name),
        "RestartCount": 0,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "ExecIDs": null,
        "HostConfig": host_config,
        "GraphDriver": {
            "Data": {
                "LowerDir": lower.join(":"),
                "MergedDir": format!("/var/lib/docker/overlay2/{rw}/merged"),
                "UpperDir": format!("/var/lib/docker/overlay2/{rw}/diff"),
                "WorkDir": format!("/var/lib/docker/overlay2/{rw}/work"),
            },
            "Name": "overlay2",
        },
        "Mounts": [],
        "Config": {
            "Hostname": truncate_id(&c.id),
            "Domainname": "",
            "User": config.user.clone().unwrap_or_default(),
            "AttachStdin": c.interactive && attached,
            "AttachStdout": attached,
            "AttachStderr": attached,
            "ExposedPorts": config.exposed_ports.clone().map(|p| json!(p)),
            "Tty": c.tty,
            "OpenStdin": c.interactive,
            "StdinOnce": c.interactive && attached,
            "Env": env,
            "Cmd": if c.cmd.is_empty() { Value::Null } else { json!(c.cmd) },
            "Image": c.image_name,
            "Volumes": config.volumes.clone().map(|v| json!(v)),
            "WorkingDir": config.working_dir.unwrap_or_default(),
            "Entrypoint": if c.entrypoint.is_empty() { Value::Null } else { json!(c.entrypoint) },
            "OnBuild": null,
            "Labels": config.labels.unwrap_or_default(),
            "StopSignal": config.stop_signal,
        },
        "NetworkSettings": network_settings,
    }))
}

/// The network identity docklab gives a container on the default bridge: an address in
/// 172.17.0.0/16 (the running containers numbered from .2 in the order they were created), its
/// MAC address, and stable IDs derived from the container's.
struct SimulatedNetwork {
    ip: String,
    mac: String,
    endpoint: String,
    sandbox: String,
    network: String,
    pid: u32,
}

fn simulated_network(ctx: &Ctx<'_>, i: usize) -> SimulatedNetwork {
    let c = &ctx.state.containers[i];
    let host = 2 + ctx.state.containers[..i]
        .iter()
        .filter(|o| o.status == ContainerStatus::Running)
        .count();
    let derive = |what: &str| {
        Digest::of(format!("{what}:{}", c.id).as_bytes())
            .hex()
            .to_owned()
    };
    let (hi, lo) = (host / 256, host % 256);
    SimulatedNetwork {
        ip: format!("172.17.{hi}.{lo}"),
        mac: format!("02:42:ac:11:{hi:02x}:{lo:02x}"),
        endpoint: derive("endpoint"),
        sandbox: derive("sandbox"),
        // One bridge network for every container.
        network: Digest::of(b"docklab bridge network").hex().to_owned(),
        pid: 1000 + u32::try_from(host).unwrap_or(0) * 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn scripts_split_into_simple_commands_with_their_operators() {
        let commands = script_commands("echo 'a b'; false && echo yes || exit 3").expect("simple");
        let shown: Vec<(&str, Vec<&str>)> = commands
            .iter()
            .map(|(op, w)| (*op, w.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            shown,
            [
                (";", vec!["echo", "a b"]),
                (";", vec!["false"]),
                ("&&", vec!["echo", "yes"]),
                ("||", vec!["exit", "3"]),
            ]
        );
        for script in [
            "echo $HOME",
            "ls | wc -l",
            "echo a > f",
            "sleep 1 &",
            "echo `id`",
        ] {
            assert!(script_commands(script).is_none(), "{script}");
        }
    }

    #[test]
    fn only_commands_docklab_can_tell_the_effect_of_are_emulated() {
        for ok in [
            "echo hi",
            "sh",
            "sh -c exit",
            "sh -c true;exit",
            "sleep 600",
            "nginx -g daemon",
            "/docker-entrypoint.sh echo hi",
            "cat /etc/os-release",
        ] {
            assert!(emulates(&words(ok)), "{ok}");
        }
        for refused in [
            "ls /",
            "apt-get update",
            "sh script.sh",
            "/docker-entrypoint.sh ls",
        ] {
            assert!(!emulates(&words(refused)), "{refused}");
        }
        let script = vec![
            "sh".to_owned(),
            "-c".to_owned(),
            "uname -a; exit 1".to_owned(),
        ];
        assert!(!emulates(&script));
        let script = vec!["sh".to_owned(), "-c".to_owned(), "exit nope".to_owned()];
        assert!(!emulates(&script));
    }
}
