//! Containers: `run`, `create`, `ps`, `stop`, `start`, `rm` and the container part of `inspect`.
//! Nothing executes: a container is a record whose state follows what its image's program would
//! do (`hello-world` greets and exits, a server stays up, a shell stays up only when interactive).

use serde_json::{json, Value};

use super::images::render;
use super::pull::pull_reference;
use super::{names, parse_time, truncate_id, usage_error, Ctx, Lookup, Outcome};
use crate::docker::cli::Invocation;
use crate::docker::reference::Reference;
use crate::docker::text::ellipsis;
use crate::docker::units::{go_time_string, human_duration, human_size, local_time_zone};
use crate::store::{ContainerRecord, ContainerStatus, StoreError};

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

fn behaviour(c: &ContainerRecord) -> Behaviour {
    let argv: Vec<&str> = c
        .entrypoint
        .iter()
        .chain(&c.cmd)
        .map(String::as_str)
        .collect();
    let Some(program) = argv.first() else {
        return Behaviour::Exits(String::new(), 0);
    };
    let base = program.rsplit('/').next().unwrap_or(program);
    match base {
        "hello" => Behaviour::Exits(HELLO.to_owned(), 0),
        "echo" => Behaviour::Exits(format!("{}\n", argv[1..].join(" ")), 0),
        "true" => Behaviour::Exits(String::new(), 0),
        "false" => Behaviour::Exits(String::new(), 1),
        b if SHELLS.contains(&b) && argv.len() == 1 => {
            if c.interactive {
                Behaviour::Runs
            } else {
                Behaviour::Exits(String::new(), 0)
            }
        }
        _ => Behaviour::Runs,
    }
}

/// The exit code a running container gets from `docker stop`: servers stop cleanly on their stop
/// signal; a shell as PID 1 ignores SIGTERM and is killed after the timeout.
fn stop_code(c: &ContainerRecord) -> i32 {
    let program = c
        .entrypoint
        .iter()
        .chain(&c.cmd)
        .next()
        .map_or("", String::as_str);
    let base = program.rsplit('/').next().unwrap_or(program);
    if SHELLS.contains(&base) {
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
    let behaviour = behaviour(&record);
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
fn ports_text(ctx: &Ctx<'_>, c: &ContainerRecord) -> String {
    if c.status != ContainerStatus::Running {
        return String::new();
    }
    let mut parts = Vec::new();
    for p in &c.ports {
        let fields: Vec<&str> = p.split(':').collect();
        let (host, container) = match fields.as_slice() {
            [h, c] | [_, h, c] => (*h, *c),
            [c] => ("", *c),
            _ => continue,
        };
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

/// `docker ps [OPTIONS]`
pub(super) fn ps(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if !inv.args.is_empty() {
        return Ok(usage_error(inv, "accepts no arguments"));
    }
    let all = inv.flags.bool("all");
    let trunc = !inv.flags.bool("no-trunc");
    let tz = local_time_zone();
    let rows: Vec<Value> = ctx
        .state
        .containers
        .iter()
        .rev()
        .filter(|c| all || c.status == ContainerStatus::Running)
        .map(|c| {
            let command = command_line(c);
            let command = if trunc { ellipsis(&command, 20) } else { command };
            let created = parse_time(&c.created).unwrap_or(ctx.now);
            json!({
                "Command": crate::docker::reference::go_quote(&command),
                "CreatedAt": go_time_string(&created.to_zoned(tz.clone())),
                "ID": if trunc { truncate_id(&c.id).to_owned() } else { c.id.clone() },
                "Image": image_column(ctx, c),
                "Labels": "",
                "LocalVolumes": "0",
                "Mounts": "",
                "Names": c.name,
                "Networks": c.network.clone().unwrap_or_else(|| "bridge".to_owned()),
                "Ports": ports_text(ctx, c),
                "RunningFor": format!("{} ago", human_duration(std::time::Duration::try_from(ctx.now.duration_since(created)).unwrap_or_default())),
                "Size": human_size(0),
                "State": match c.status { ContainerStatus::Running => "running", ContainerStatus::Exited => "exited", ContainerStatus::Created => "created" },
                "Status": status_text(ctx, c),
            })
        })
        .collect();
    let format = match inv.flags.value("format").unwrap_or("") {
        "" | "table" if inv.flags.bool("quiet") => "{{.ID}}",
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
    Ok(render(format, &headers, &rows))
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
            errors.push(format!(
                "Error response from daemon: No such container: {name}"
            ));
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
    Ok(each_container(ctx, inv, |ctx, i| {
        let now = ctx.now_rfc3339();
        let c = &mut ctx.state.containers[i];
        if c.status != ContainerStatus::Running {
            c.started_at = Some(now.clone());
            match behaviour(c) {
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
    }))
}

/// `docker rm [OPTIONS] CONTAINER...`
pub(super) fn rm(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    let force = inv.flags.bool("force");
    Ok(each_container(ctx, inv, |ctx, i| {
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
    }))
}

/// The `docker container inspect` document of one container (the fields a learner reads).
pub(super) fn inspect_json(ctx: &Ctx<'_>, i: usize) -> Result<Value, StoreError> {
    let c = &ctx.state.containers[i];
    // The image may have been deleted by force; the container keeps its own copy of what it needs.
    let config = ctx.config(&c.image).map(|c| c.config).unwrap_or_default();
    let zero = "0001-01-01T00:00:00Z".to_owned();
    let mut env = config.env.clone().unwrap_or_default();
    env.extend(c.env.iter().cloned());
    let argv: Vec<&String> = c.entrypoint.iter().chain(&c.cmd).collect();
    Ok(json!({
        "Id": c.id,
        "Created": c.created,
        "Path": argv.first().map_or("", |s| s.as_str()),
        "Args": argv.iter().skip(1).collect::<Vec<_>>(),
        "State": {
            "Status": match c.status { ContainerStatus::Running => "running", ContainerStatus::Exited => "exited", ContainerStatus::Created => "created" },
            "Running": c.status == ContainerStatus::Running,
            "Paused": false,
            "Restarting": false,
            "OOMKilled": false,
            "Dead": false,
            "Pid": 0,
            "ExitCode": c.exit_code,
            "Error": "",
            "StartedAt": c.started_at.clone().unwrap_or_else(|| zero.clone()),
            "FinishedAt": c.finished_at.clone().unwrap_or(zero),
        },
        "Image": c.image.to_string(),
        "Name": format!("/{}", c.name),
        "RestartCount": 0,
        "Driver": "overlay2",
        "Platform": "linux",
        "Config": {
            "Hostname": truncate_id(&c.id),
            "Tty": c.tty,
            "OpenStdin": c.interactive,
            "Env": env,
            "Cmd": c.cmd,
            "Image": c.image_name,
            "WorkingDir": config.working_dir.unwrap_or_default(),
            "Entrypoint": if c.entrypoint.is_empty() { Value::Null } else { json!(c.entrypoint) },
            "Labels": config.labels.unwrap_or_default(),
        },
        "HostConfig": {
            "AutoRemove": c.auto_remove,
            "NetworkMode": c.network.clone().unwrap_or_else(|| "bridge".to_owned()),
        },
    }))
}
