//! The image a build makes: config changes per instruction, layers written to the store and
//! the exported config, manifest and image record.

use std::collections::BTreeMap;

use super::Base;
use crate::build::dockerfile::{self, Instruction, Scope};
use crate::build::layer::{self, Plan};
use crate::engine::sim::Ctx;
use crate::store::{
    ContainerConfig, Descriptor, Digest, EmptyObject, ImageConfig, ImageRecord, LayerRecord,
    Manifest, RootFs, StoreError, MEDIA_CONFIG, MEDIA_LAYER_TAR, MEDIA_MANIFEST,
};

/// Writes the image's config and manifest and records it; returns its ID.
pub(super) fn export(ctx: &mut Ctx<'_>, image: &Base, legacy: bool) -> Result<Digest, StoreError> {
    if legacy {
        if let Some(id) = &image.id {
            return Ok(id.clone());
        }
    }
    let (id, _) = write_image(ctx, &image.config, &image.chains, None)?;
    Ok(id)
}

/// Stores an image config (+ manifest) and its record; returns (ID, created).
pub(super) fn write_image(
    ctx: &mut Ctx<'_>,
    config: &ImageConfig,
    chains: &[Digest],
    parent: Option<Digest>,
) -> Result<(Digest, String), StoreError> {
    let bytes = serde_json::to_vec(config).expect("configs always serialise");
    let id = ctx.store.put_blob(&bytes)?;
    let manifest = Manifest {
        schema_version: 2,
        media_type: MEDIA_MANIFEST.to_owned(),
        config: Descriptor {
            media_type: MEDIA_CONFIG.to_owned(),
            digest: id.clone(),
            size: bytes.len() as u64,
            annotations: BTreeMap::default(),
        },
        layers: config
            .rootfs
            .diff_ids
            .iter()
            .map(|d| Descriptor {
                media_type: MEDIA_LAYER_TAR.to_owned(),
                digest: d.clone(),
                size: ctx
                    .store
                    .blob_file(d)
                    .ok()
                    .and_then(|f| f.metadata().ok())
                    .map_or(0, |m| m.len()),
                annotations: BTreeMap::default(),
            })
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec(&manifest).expect("manifests always serialise");
    let manifest_digest = ctx.store.put_blob(&manifest_bytes)?;
    ctx.state
        .images
        .entry(id.clone())
        .or_insert_with(|| ImageRecord {
            created: config.created.clone(),
            layers: chains.to_vec(),
            manifest: Some(manifest_digest),
            manifest_size: manifest_bytes.len() as u64,
            parent,
            last_tag_time: None,
            seq: 0,
            size: None,
        });
    ctx.touch();
    Ok((id, config.created.clone()))
}

pub(super) fn empty_config() -> ImageConfig {
    ImageConfig {
        architecture: "amd64".to_owned(),
        config: ContainerConfig {
            env: Some(vec![
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_owned(),
            ]),
            ..ContainerConfig::default()
        },
        created: String::new(),
        history: Vec::new(),
        os: "linux".to_owned(),
        rootfs: RootFs {
            kind: "layers".to_owned(),
            diff_ids: Vec::new(),
        },
        parent: None,
    }
}

/// What an image config holds that a Dockerfile can grow: ENV and ARG values, labels and
/// history lines (a RUN's history line repeats the stage's ARGs).
pub(super) fn config_bytes(config: &ImageConfig, scope: &dockerfile::Scope) -> usize {
    let labels: usize = config
        .config
        .labels
        .iter()
        .flatten()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    let history: usize = config
        .history
        .iter()
        .map(|h| h.created_by.as_ref().map_or(0, String::len))
        .sum();
    scope.bytes() + labels + history
}

/// What an instruction changes in the image config.
pub(super) fn apply_config(
    c: &mut ContainerConfig,
    ins: &Instruction,
    scope: &Scope,
    cmd_set: &mut bool,
) {
    match ins {
        Instruction::Env(_) => {
            c.env = Some(
                scope
                    .env()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect(),
            );
        }
        Instruction::Label(l) => {
            let labels = c.labels.get_or_insert_with(BTreeMap::new);
            for kv in &l.labels {
                labels.insert(unquote(&kv.key), unquote(&kv.value));
            }
        }
        Instruction::Expose(e) => {
            let ports = c.exposed_ports.get_or_insert_with(BTreeMap::new);
            for p in dockerfile::history::port_specs(&e.ports) {
                ports.insert(p, EmptyObject {});
            }
        }
        Instruction::Cmd(cmd) => {
            c.cmd = cmd.command.as_ref().map(|l| l.with_shell(scope.shell()));
            c.args_escaped = Some(true);
            *cmd_set = true;
        }
        Instruction::Entrypoint(e) => {
            c.entrypoint = e.command.as_ref().map(|l| l.with_shell(scope.shell()));
            c.args_escaped = Some(true);
            if !*cmd_set {
                c.cmd = None;
            }
        }
        Instruction::Workdir(_) => c.working_dir = Some(scope.workdir().to_owned()),
        Instruction::User(u) => c.user = Some(u.user.clone()),
        Instruction::Volume(v) => {
            let vols = c.volumes.get_or_insert_with(BTreeMap::new);
            for p in &v.paths {
                vols.insert(p.clone(), EmptyObject {});
            }
        }
        Instruction::StopSignal(s) => c.stop_signal = Some(s.signal.clone()),
        Instruction::Shell(s) => c.shell = Some(s.shell.clone()),
        Instruction::Onbuild(o) => c
            .on_build
            .get_or_insert_with(Vec::new)
            .push(o.expression.clone()),
        Instruction::Healthcheck(h) => {
            c.healthcheck = Some(match h {
                dockerfile::Healthcheck::None => serde_json::json!({"Test": ["NONE"]}),
                dockerfile::Healthcheck::Cmd {
                    command,
                    interval,
                    timeout,
                    start_period,
                    start_interval,
                    retries,
                } => {
                    let test = match command {
                        dockerfile::CommandLine::Shell(s) => {
                            vec!["CMD-SHELL".to_owned(), s.clone()]
                        }
                        dockerfile::CommandLine::Exec(v) => std::iter::once("CMD".to_owned())
                            .chain(v.iter().cloned())
                            .collect(),
                    };
                    let mut h = serde_json::json!({"Test": test});
                    let nanos = |d: &std::time::Duration| d.as_nanos() as u64;
                    for (k, d) in [
                        ("Interval", interval),
                        ("Timeout", timeout),
                        ("StartPeriod", start_period),
                        ("StartInterval", start_interval),
                    ] {
                        if !d.is_zero() {
                            h[k] = serde_json::json!(nanos(d));
                        }
                    }
                    if *retries != 0 {
                        h["Retries"] = serde_json::json!(retries);
                    }
                    h
                }
            });
        }
        _ => {}
    }
}

/// LABEL keys and values as stored: outer quotes removed.
fn unquote(s: &str) -> String {
    let t = s.trim();
    if t.len() >= 2
        && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\'')))
    {
        t[1..t.len() - 1].replace("\\\"", "\"")
    } else {
        t.to_owned()
    }
}

/// Writes a planned layer into the store, streaming: a thread writes the tar into a pipe that
/// the store hashes and writes to its temp file. Returns (diff ID, chain ID).
pub(super) fn put_layer(
    ctx: &mut Ctx<'_>,
    plan: &Plan,
    parent: Option<&Digest>,
    shown_size: u64,
) -> Result<(Digest, Digest), StoreError> {
    let (mut reader, writer) =
        std::io::pipe().map_err(|e| StoreError::io_at(ctx.store.root().to_owned(), e))?;
    let entries = &plan.entries;
    let (stored, written) = std::thread::scope(|s| {
        let handle = s.spawn(move || layer::write_tar(entries, writer));
        let stored = ctx.store.put_blob_from(&mut reader);
        drop(reader);
        let written = handle.join().expect("the tar writer does not panic");
        (stored, written)
    });
    let (diff, _) = stored?;
    written.map_err(|e| StoreError::io_at(ctx.store.root().to_owned(), e))?;
    let chain = match parent {
        None => diff.clone(),
        Some(p) => Digest::of(format!("{p} {diff}").as_bytes()),
    };
    ctx.state
        .layers
        .entry(chain.clone())
        .or_insert_with(|| LayerRecord {
            diff_id: diff.clone(),
            parent: parent.cloned(),
            size: shown_size,
        });
    ctx.touch();
    Ok((diff, chain))
}

pub(super) fn before_workdir(before: &Scope, ins: &Instruction) -> String {
    match ins {
        Instruction::Workdir(w) => dockerfile::resolve_workdir(before.workdir(), &w.path),
        _ => before.workdir().to_owned(),
    }
}
