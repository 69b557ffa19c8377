//! `docker pull` from the offline registry (the embedded catalog).

use super::{Ctx, Outcome};
use crate::catalog::{catalog, CatalogImage};
use crate::docker::cli::Invocation;
use crate::docker::errors::DockerError;
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
    /// Each layer's registry blob digest (`sha256:…` of the compressed blob the real image's
    /// manifest names), bottom first: `BuildKit`'s download lines name layers by it.
    pub blobs: Vec<String>,
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
    if all_tags {
        if let Some(outcome) = pull_all_tags(ctx, &reference, quiet)? {
            return Ok(outcome);
        }
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

/// `docker pull --all-tags NAME`: every tag the registry lists for the repository, in its
/// (lexical) order, each with its progress and digest, then one status for the repository.
/// `None` when the registry has no such repository (the single-tag path words the error).
fn pull_all_tags(
    ctx: &mut Ctx<'_>,
    reference: &Reference,
    quiet: bool,
) -> Result<Option<Outcome>, StoreError> {
    if !LOCAL_REGISTRIES.contains(&reference.domain()) {
        return Ok(None);
    }
    let Some(name) = reference.path().strip_prefix("library/") else {
        return Ok(None);
    };
    let mut tags: Vec<&str> = catalog()
        .images
        .iter()
        .filter(|image| image.name == name)
        .flat_map(|image| image.tags.iter().map(String::as_str))
        .collect();
    if tags.is_empty() {
        return Ok(None);
    }
    tags.sort_unstable();
    let mut out = Outcome::default();
    let mut updated = false;
    for tag in tags {
        let tagged = reference
            .with_tag(tag)
            .expect("catalog tags are valid tags");
        match pull_reference(ctx, &tagged)? {
            Ok(pulled) => {
                updated |= pulled
                    .text
                    .contains("\nStatus: Downloaded newer image for ");
                if !quiet {
                    for line in pulled.text.lines().filter(|l| !l.starts_with("Status: ")) {
                        out.stdout.push_str(line);
                        out.stdout.push('\n');
                    }
                }
                out.pulls.push(pulled.event);
            }
            Err(message) => {
                out.append(Outcome::daemon_error(message));
                return Ok(Some(out));
            }
        }
    }
    if !quiet {
        let status = if updated {
            "Downloaded newer image for"
        } else {
            "Image is up to date for"
        };
        out.stdout
            .push_str(&format!("Status: {status} {}\n", reference.familiar_name()));
    }
    out.stdout.push_str(&reference.name());
    out.stdout.push('\n');
    Ok(Some(out))
}

/// A catalog image as docklab serves it: its layer tars, config and manifest, all
/// deterministic, so the same catalog image always has the same image ID and repo digest.
struct Served {
    tars: Vec<Vec<u8>>,
    diff_ids: Vec<Digest>,
    config_bytes: Vec<u8>,
    manifest_bytes: Vec<u8>,
}

impl Served {
    fn of(image: &CatalogImage) -> Served {
        let tars: Vec<Vec<u8>> = image
            .layers
            .iter()
            .map(crate::catalog::CatalogLayer::tar)
            .collect();
        let diff_ids: Vec<Digest> = tars.iter().map(|t| Digest::of(t)).collect();
        let config = image.image_config(diff_ids.clone());
        let config_bytes = serde_json::to_vec(&config).expect("configs always serialise");
        let manifest = Manifest {
            schema_version: 2,
            media_type: MEDIA_MANIFEST.to_owned(),
            config: Descriptor {
                media_type: MEDIA_CONFIG.to_owned(),
                digest: Digest::of(&config_bytes),
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
        Served {
            tars,
            diff_ids,
            config_bytes,
            manifest_bytes,
        }
    }
}

/// The repo digest (manifest digest) of every catalog image, in catalog order: what
/// `docker pull NAME@sha256:…` looks up.
fn repo_digests() -> &'static [Digest] {
    static DIGESTS: std::sync::OnceLock<Vec<Digest>> = std::sync::OnceLock::new();
    DIGESTS.get_or_init(|| {
        catalog()
            .images
            .iter()
            .map(|image| Digest::of(&Served::of(image).manifest_bytes))
            .collect()
    })
}

/// Pulls `reference` (tagged or digested) into the store. The inner error is the daemon's message.
pub(super) fn pull_reference(
    ctx: &mut Ctx<'_>,
    reference: &Reference,
) -> Result<Result<Pulled, String>, StoreError> {
    let Some(image) = find(reference) else {
        return Ok(Err(not_found_message(reference)));
    };
    // The daemon pulls `name:tag@digest` by its digest alone (the tag is not applied): its
    // progress names `docker.io/library/nginx@sha256:…`, its status `nginx@sha256:…`.
    let requested = match reference.digest() {
        Some(_) => reference.trim_tag(),
        None => reference.clone(),
    };
    let tag_or_digest = match requested.digest() {
        Some(_) => requested.full_string(),
        None => requested.tag().unwrap_or("latest").to_owned(),
    };
    let mut text = format!("{tag_or_digest}: Pulling from {}\n", reference.path());

    let served = Served::of(image);
    let chains = chain_ids(&served.diff_ids);
    let id = Digest::of(&served.config_bytes);
    let mut event = PullEvent {
        header: text.trim_end().to_owned(),
        layers: Vec::new(),
    };
    // An image whose config the daemon already has is not pulled again: no layer lines at all,
    // whatever name it was pulled under before (moby's pullSchema2 returns early).
    let image_known = ctx.state.images.contains_key(&id);
    let mut new_layers = Vec::new();
    for (i, ((tar, chain), layer)) in served
        .tars
        .iter()
        .zip(&chains)
        .zip(&image.layers)
        .enumerate()
    {
        let exists = ctx.state.layers.contains_key(chain);
        if !image_known {
            event
                .layers
                .push((layer.pull_id().to_owned(), layer.compressed_size, exists));
        }
        if !exists {
            ctx.store.put_blob(tar)?;
            ctx.state.layers.insert(
                chain.clone(),
                LayerRecord {
                    diff_id: served.diff_ids[i].clone(),
                    parent: i.checked_sub(1).map(|p| chains[p].clone()),
                    size: layer.size,
                },
            );
            new_layers.push(layer.pull_id().to_owned());
        }
    }
    text.push_str(&progress_lines(&event, &new_layers));

    ctx.store.put_blob(&served.config_bytes)?;
    let manifest_digest = ctx.store.put_blob(&served.manifest_bytes)?;
    let digest_ref = format!("{}@{manifest_digest}", reference.name());
    // A tag is up to date when it already named this image; a digest when it was already known.
    let key = match requested.digest() {
        Some(_) => digest_ref.clone(),
        None => requested.full_string(),
    };
    let up_to_date = ctx.state.refs.get(&key) == Some(&id);
    if !image_known {
        ctx.state.images.insert(
            id.clone(),
            ImageRecord {
                created: image.created.clone(),
                layers: chains,
                manifest: Some(manifest_digest.clone()),
                manifest_size: served.manifest_bytes.len() as u64,
                parent: None,
                last_tag_time: None,
                seq: 0,
                size: None,
            },
        );
    }
    if requested.digest().is_none() {
        ctx.state.refs.insert(requested.full_string(), id.clone());
    }
    ctx.state.refs.insert(digest_ref, id.clone());
    ctx.touch();

    text.push_str(&format!("Digest: {manifest_digest}\n"));
    let status = if up_to_date {
        "Image is up to date for"
    } else {
        "Downloaded newer image for"
    };
    text.push_str(&format!(
        "Status: {status} {}\n",
        requested.familiar_string()
    ));
    let blobs = image.layers.iter().map(|l| l.source.clone()).collect();
    Ok(Ok(Pulled {
        text,
        event,
        id,
        blobs,
    }))
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

/// The catalog image a reference names, by digest or else by tag, on a registry the simulator
/// serves.
fn find(reference: &Reference) -> Option<&'static CatalogImage> {
    if !LOCAL_REGISTRIES.contains(&reference.domain()) {
        return None;
    }
    if let Some(digest) = reference.digest() {
        let name = reference.path().strip_prefix("library/")?;
        return catalog()
            .images
            .iter()
            .zip(repo_digests())
            .find(|(image, d)| image.name == name && d.as_str() == digest)
            .map(|(image, _)| image);
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
        DockerError::PullDenied {
            repository: reference.familiar_name(),
        }
        .message()
    } else if LOCAL_REGISTRIES.contains(&reference.domain()) {
        DockerError::ManifestUnknown {
            reference: reference.familiar_string(),
        }
        .message()
    } else {
        format!(
            "Get \"https://{}/v2/\": dial tcp: lookup {}: no such host",
            reference.domain(),
            reference.domain().split(':').next().unwrap_or_default()
        )
    }
}
