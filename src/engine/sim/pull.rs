//! `docker pull` from the offline registry (the embedded catalog).

use super::{Ctx, Outcome};
use crate::catalog::{catalog, CatalogImage};
use crate::docker::cli::Invocation;
use crate::docker::reference::{self, Reference};
use crate::engine::PullEvent;
use crate::store::{
    chain_ids, Descriptor, Digest, ImageRecord, LayerRecord, Manifest, StoreError, MEDIA_CONFIG,
    MEDIA_LAYER_TAR, MEDIA_MANIFEST,
};

/// Registries the simulator answers for: Docker Hub, and the local registry of the offline test
/// bed (which mirrors the same images), so scenarios can name either.
const LOCAL_REGISTRIES: &[&str] = &["docker.io", "127.0.0.1:5000", "localhost:5000"];

/// What a pull did, for `pull` and for `run`/`build` pulling a missing image.
pub(super) struct Pulled {
    /// The daemon's progress lines, each ending in a newline.
    pub text: String,
    pub event: PullEvent,
    pub id: Digest,
}

/// `docker pull [OPTIONS] NAME[:TAG|@DIGEST]`
pub(super) fn pull(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if inv.args.len() != 1 {
        return Ok(super::usage_error(inv, "requires 1 argument"));
    }
    let quiet = inv.flags.bool("quiet");
    let reference = match Reference::parse(&inv.args[0]) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Outcome::error(
                format!("{}\n", reference::pull_parse_error(&e)),
                1,
            ))
        }
    };
    let all_tags = inv.flags.bool("all-tags");
    if all_tags && !reference.is_name_only() {
        return Ok(Outcome::error(
            format!("{}\n", reference::PULL_ALL_TAGS_WITH_TAG_ERROR),
            1,
        ));
    }
    let mut out = Outcome::default();
    if reference.is_name_only() && !all_tags && !quiet {
        out.stdout
            .push_str(&reference::pull_default_tag_line("latest"));
        out.stdout.push('\n');
    }
    let reference = reference.with_default_tag();
    match pull_reference(ctx, &reference)? {
        Ok(pulled) => {
            if !quiet {
                out.stdout.push_str(&pulled.text);
            }
            out.stdout.push_str(&reference.full_string());
            out.stdout.push('\n');
            out.pulls.push(pulled.event);
        }
        Err(message) => {
            out.append(Outcome::daemon_error(message));
        }
    }
    Ok(out)
}

/// Pulls `reference` (tagged or digested) into the store. The inner error is the daemon's message.
pub(super) fn pull_reference(
    ctx: &mut Ctx<'_>,
    reference: &Reference,
) -> Result<Result<Pulled, String>, StoreError> {
    let Some(image) = find(reference) else {
        return Ok(Err(not_found_message(reference)));
    };
    let tag_or_digest = reference.tag().or(reference.digest()).unwrap_or("latest");
    let mut text = format!("{tag_or_digest}: Pulling from {}\n", reference.path());

    let tars: Vec<Vec<u8>> = image
        .layers
        .iter()
        .map(crate::catalog::CatalogLayer::tar)
        .collect();
    let diff_ids: Vec<Digest> = tars.iter().map(|t| Digest::of(t)).collect();
    let chains = chain_ids(&diff_ids);
    let mut event = PullEvent {
        header: text.trim_end().to_owned(),
        layers: Vec::new(),
    };
    let mut new_layers = Vec::new();
    for (i, ((tar, chain), layer)) in tars.iter().zip(&chains).zip(&image.layers).enumerate() {
        let short = diff_ids[i].short().to_owned();
        let exists = ctx.state.layers.contains_key(chain);
        event
            .layers
            .push((short.clone(), layer.compressed_size, exists));
        if !exists {
            ctx.store.put_blob(tar)?;
            ctx.state.layers.insert(
                chain.clone(),
                LayerRecord {
                    diff_id: diff_ids[i].clone(),
                    parent: i.checked_sub(1).map(|p| chains[p].clone()),
                    size: layer.size,
                },
            );
            new_layers.push(short);
        }
    }
    let lines = progress_lines(&event, &new_layers);

    let config = image.image_config(diff_ids.clone());
    let config_bytes = serde_json::to_vec(&config).expect("configs always serialise");
    let id = ctx.store.put_blob(&config_bytes)?;
    let manifest = Manifest {
        schema_version: 2,
        media_type: MEDIA_MANIFEST.to_owned(),
        config: Descriptor {
            media_type: MEDIA_CONFIG.to_owned(),
            digest: id.clone(),
            size: config_bytes.len() as u64,
            annotations: std::collections::BTreeMap::default(),
        },
        layers: tars
            .iter()
            .zip(&diff_ids)
            .map(|(t, d)| Descriptor {
                media_type: MEDIA_LAYER_TAR.to_owned(),
                digest: d.clone(),
                size: t.len() as u64,
                annotations: std::collections::BTreeMap::default(),
            })
            .collect(),
    };
    let manifest_bytes = serde_json::to_vec(&manifest).expect("manifests always serialise");
    let manifest_digest = ctx.store.put_blob(&manifest_bytes)?;

    let tagged = reference.full_string();
    let up_to_date = ctx.state.refs.get(&tagged) == Some(&id);
    if up_to_date {
        text.clear();
        text.push_str(&event.header);
        text.push('\n');
        event.layers.clear();
    } else {
        text.push_str(&lines);
    }
    if !ctx.state.images.contains_key(&id) {
        ctx.state.images.insert(
            id.clone(),
            ImageRecord {
                created: image.created.clone(),
                layers: chains,
                manifest: Some(manifest_digest.clone()),
                manifest_size: manifest_bytes.len() as u64,
                parent: None,
                last_tag_time: None,
                seq: 0,
            },
        );
    }
    ctx.state.refs.insert(tagged, id.clone());
    ctx.state.refs.insert(
        format!("{}@{manifest_digest}", reference.name()),
        id.clone(),
    );
    ctx.touch();

    text.push_str(&format!("Digest: {manifest_digest}\n"));
    let status = if up_to_date {
        "Image is up to date for"
    } else {
        "Downloaded newer image for"
    };
    text.push_str(&format!(
        "Status: {status} {}\n",
        reference.familiar_string()
    ));
    Ok(Ok(Pulled { text, event, id }))
}

/// Docker's progress lines when its output is not a terminal: each layer is `Already exists` or
/// `Pulling fs layer`; beyond three concurrent downloads the others are `Waiting`; each download
/// is verified and completes; then the layers are extracted in order.
fn progress_lines(event: &PullEvent, new_layers: &[String]) -> String {
    const CONCURRENT_DOWNLOADS: usize = 3;
    let mut out = String::new();
    for (short, _, exists) in &event.layers {
        let status = if *exists {
            "Already exists"
        } else {
            "Pulling fs layer"
        };
        out.push_str(&format!("{short}: {status}\n"));
    }
    for short in new_layers.iter().skip(CONCURRENT_DOWNLOADS) {
        out.push_str(&format!("{short}: Waiting\n"));
    }
    for short in new_layers {
        out.push_str(&format!(
            "{short}: Verifying Checksum\n{short}: Download complete\n"
        ));
    }
    for short in new_layers {
        out.push_str(&format!("{short}: Pull complete\n"));
    }
    out
}

/// The catalog image a reference names, on a registry the simulator serves.
fn find(reference: &Reference) -> Option<&'static CatalogImage> {
    if !LOCAL_REGISTRIES.contains(&reference.domain()) {
        return None;
    }
    let tag = reference.tag()?;
    catalog().find(reference.path(), tag)
}

/// The daemon's message for an image the registry does not have.
fn not_found_message(reference: &Reference) -> String {
    let on_hub = reference.domain() == "docker.io";
    let known_repo = LOCAL_REGISTRIES.contains(&reference.domain())
        && catalog().has_repository(reference.path());
    if on_hub && !known_repo {
        format!(
            "pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
            reference.familiar_name()
        )
    } else if LOCAL_REGISTRIES.contains(&reference.domain()) {
        format!(
            "manifest for {} not found: manifest unknown: manifest unknown",
            reference.familiar_string()
        )
    } else {
        format!(
            "Get \"https://{}/v2/\": dial tcp: lookup {}: no such host",
            reference.domain(),
            reference.domain().split(':').next().unwrap_or_default()
        )
    }
}
