//! `rmi` and `image prune`, following the daemon's `ImageDelete`: untag versus delete, conflicts
//! with containers and other references, layers freed only when no other image uses them.

use super::filters::PruneFilter;
use super::{truncate_id, usage_error, Ctx, Lookup, Outcome};
use crate::docker::cli::Invocation;
use crate::docker::errors::{self, DockerError};
use crate::docker::reference::Reference;
use crate::docker::units::human_size4;
use crate::engine::Interaction;
use crate::store::{ContainerStatus, Digest, State, StoreError};

use std::collections::{HashMap, HashSet};

/// Who uses what: gathered once per command that deletes images and kept in step with the
/// deletions of this module, the only code that changes the state while it lives. Without it,
/// each deletion re-scanned every image and reference (and rebuilt the set of layers in use):
/// `image prune -a` of 10,000 images took 21 s. A command that deletes a few images (`rmi`)
/// asks the state as it then is (which holds the deletions made before) about each image and
/// layer, reading only the records that name it; one that walks every image (`image prune`)
/// gathers all at once.
pub(super) struct Usage {
    /// Each image's references, in lexical order.
    refs: HashMap<Digest, Vec<String>>,
    /// How many images have the key as their parent.
    children: HashMap<Digest, usize>,
    /// How many images use each layer (chain ID).
    layer_users: HashMap<Digest, usize>,
    /// Layers under containers' read-write layers and held by build cache records (neither
    /// changes while deleting).
    container_layers: HashSet<Digest>,
    /// Gathered from every image and reference: a key that is not in the maps has none.
    /// Otherwise, only the references are kept (gathered the first time, kept in step by
    /// [`Usage::remove_ref`]); children and layer users are asked of the state each time.
    whole: bool,
}

impl Usage {
    /// Everything, at once: for a command that walks every image.
    pub(super) fn new(state: &State) -> Usage {
        let mut refs: HashMap<Digest, Vec<String>> = HashMap::new();
        for (name, id) in &state.refs {
            refs.entry(id.clone()).or_default().push(name.clone());
        }
        let mut children: HashMap<Digest, usize> = HashMap::new();
        let mut layer_users: HashMap<Digest, usize> = HashMap::new();
        for image in state.images.values() {
            if let Some(p) = &image.parent {
                *children.entry(p.clone()).or_default() += 1;
            }
            for l in &image.layers {
                *layer_users.entry(l.clone()).or_default() += 1;
            }
        }
        Usage {
            refs,
            children,
            layer_users,
            container_layers: Usage::container_layers(state),
            whole: true,
        }
    }

    /// Each image's and layer's users gathered when first asked for: for a command about a few
    /// images, which then reads only their records.
    pub(super) fn on_demand(state: &State) -> Usage {
        Usage {
            refs: HashMap::new(),
            children: HashMap::new(),
            layer_users: HashMap::new(),
            container_layers: Usage::container_layers(state),
            whole: false,
        }
    }

    fn container_layers(state: &State) -> HashSet<Digest> {
        let mut container_layers = HashSet::new();
        // BuildKit's cache records hold their layers too: `rmi` and `image prune` of a built
        // image leave them (and reclaim nothing of them) until `builder prune`.
        let tops = state
            .containers
            .iter()
            .map(|c| c.top_layer.as_ref())
            .chain(state.build_cache.iter().map(|r| r.layer.as_ref()));
        for top in tops {
            let mut next = top;
            while let Some(chain) = next {
                if !container_layers.insert(chain.clone()) {
                    break;
                }
                next = state.layers.get(chain).and_then(|l| l.parent.as_ref());
            }
        }
        container_layers
    }

    /// An image's references, gathered if they were not.
    fn refs_of(&mut self, state: &State, id: &Digest) -> &[String] {
        if !self.whole && !self.refs.contains_key(id) {
            self.refs.insert(id.clone(), state.refs_of(id));
        }
        self.refs.get(id).map_or(&[], Vec::as_slice)
    }

    fn has_refs(&mut self, state: &State, id: &Digest) -> bool {
        !self.refs_of(state, id).is_empty()
    }

    fn has_children(&self, state: &State, id: &Digest) -> bool {
        if self.whole {
            self.children.get(id).is_some_and(|&n| n > 0)
        } else {
            state.has_children(id)
        }
    }

    fn layer_in_use(&self, state: &State, chain: &Digest) -> bool {
        self.container_layers.contains(chain)
            || if self.whole {
                self.layer_users.get(chain).is_some_and(|&n| n > 0)
            } else {
                state.layer_has_users(chain)
            }
    }

    /// Removes a reference from the state and from the index.
    fn remove_ref(&mut self, state: &mut State, full: &str) -> Option<Digest> {
        let id = state.refs.remove(full)?;
        if let Some(refs) = self.refs.get_mut(&id) {
            refs.retain(|r| r != full);
        }
        Some(id)
    }
}

/// One line of a delete response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Record {
    Untagged(String),
    Deleted(String),
}

/// Why a delete failed.
#[derive(Debug)]
pub(super) enum DeleteError {
    NotFound(String),
    Other(String),
}

impl DeleteError {
    fn message(&self) -> &str {
        match self {
            DeleteError::NotFound(m) | DeleteError::Other(m) => m,
        }
    }
}

/// The kinds of conflict the daemon checks, as a bit mask.
const CHILD: u8 = 1;
const RUNNING: u8 = 2;
const ACTIVE_REF: u8 = 4;
const STOPPED: u8 = 8;
const HARD: u8 = CHILD | RUNNING;
const SOFT: u8 = ACTIVE_REF | STOPPED;

struct Conflict {
    id: Digest,
    reason: errors::Conflict,
}

impl Conflict {
    /// Whether a container uses the image (rather than other references or child images).
    fn used(&self) -> bool {
        matches!(
            self.reason,
            errors::Conflict::Running(_) | errors::Conflict::Stopped(_)
        )
    }

    fn text(&self) -> String {
        DockerError::DeleteConflict {
            image: self.id.short().to_owned(),
            reason: self.reason.clone(),
        }
        .message()
    }
}

/// `docker rmi [OPTIONS] IMAGE [IMAGE...]`
pub(super) fn rmi(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if inv.args.is_empty() {
        return Ok(usage_error(inv, "requires at least 1 argument"));
    }
    let force = inv.flags.bool("force");
    let prune = !inv.flags.bool("no-prune");
    let mut out = Outcome::default();
    let mut errors = Vec::new();
    let mut fatal = false;
    let mut usage = Usage::on_demand(&ctx.state);
    for name in &inv.args {
        match image_delete(ctx, &mut usage, name, force, prune)? {
            Ok(records) => {
                for r in records {
                    match r {
                        Record::Untagged(s) => out.stdout.push_str(&format!("Untagged: {s}\n")),
                        Record::Deleted(s) => out.stdout.push_str(&format!("Deleted: {s}\n")),
                    }
                }
            }
            Err(e) => {
                fatal |= !matches!(e, DeleteError::NotFound(_));
                errors.push(format!("Error response from daemon: {}", e.message()));
            }
        }
    }
    if !errors.is_empty() {
        out.stderr = errors.join("\n") + "\n";
        if !force || fatal {
            out.exit_code = 1;
        }
    }
    Ok(out)
}

/// The daemon's `ImageDelete`.
pub(super) fn image_delete(
    ctx: &mut Ctx<'_>,
    usage: &mut Usage,
    name: &str,
    force: bool,
    prune: bool,
) -> Result<Result<Vec<Record>, DeleteError>, StoreError> {
    let id = match ctx.find_image(name) {
        Ok(id) => id,
        Err(e @ Lookup::NotFound(_)) => return Ok(Err(DeleteError::NotFound(e.message()))),
        Err(e) => return Ok(Err(DeleteError::Other(e.message()))),
    };
    let mut records = Vec::new();
    let mut repo_refs = refs(usage, &ctx.state, &id);
    let is_id_prefix = id
        .hex()
        .starts_with(name.strip_prefix("sha256:").unwrap_or(name))
        || id.as_str().starts_with(name);
    let mut removed_repository_ref = false;
    if is_id_prefix {
        if is_single_reference(&repo_refs) {
            let mut mask = HARD;
            if !force {
                mask |= SOFT & !ACTIVE_REF;
            }
            if let Some(c) = check_conflict(ctx, usage, &id, mask) {
                return Ok(Err(DeleteError::Other(c.text())));
            }
            for r in &repo_refs {
                usage.remove_ref(&mut ctx.state, &r.full_string());
                records.push(Record::Untagged(r.familiar_string()));
            }
            ctx.touch();
        }
    } else {
        if !force && is_single_reference(&repo_refs) {
            if let Some(c) = ctx.state.containers.iter().find(|c| c.image == id) {
                return Ok(Err(DeleteError::Other(
                    DockerError::ReferenceInUse {
                        reference: name.to_owned(),
                        container: truncate_id(&c.id).to_owned(),
                        image: id.short().to_owned(),
                    }
                    .message(),
                )));
            }
        }
        let parsed = match Reference::parse(name) {
            Ok(r) => r.with_default_tag(),
            Err(e) => return Ok(Err(DeleteError::Other(e.to_string()))),
        };
        if usage
            .remove_ref(&mut ctx.state, &parsed.full_string())
            .is_none()
        {
            return Ok(Err(DeleteError::NotFound(
                DockerError::NoSuchImage {
                    reference: parsed.familiar_string(),
                }
                .message(),
            )));
        }
        ctx.touch();
        records.push(Record::Untagged(parsed.familiar_string()));
        repo_refs = refs(usage, &ctx.state, &id);
        if parsed.digest().is_none() {
            let same_repo_tag = repo_refs
                .iter()
                .any(|r| r.digest().is_none() && r.name() == parsed.name());
            if !same_repo_tag {
                let mut remaining = Vec::new();
                for r in repo_refs {
                    if r.digest().is_some() && r.name() == parsed.name() {
                        usage.remove_ref(&mut ctx.state, &r.full_string());
                        records.push(Record::Untagged(r.familiar_string()));
                    } else {
                        remaining.push(r);
                    }
                }
                repo_refs = remaining;
            }
        }
        if !repo_refs.is_empty() {
            return Ok(Ok(records));
        }
        removed_repository_ref = true;
    }
    match delete_helper(
        ctx,
        usage,
        &id,
        &mut records,
        force,
        prune,
        removed_repository_ref,
    ) {
        Ok(()) => Ok(Ok(records)),
        Err(c) => Ok(Err(DeleteError::Other(c.text()))),
    }
}

/// The references of an image, parsed, in lexical order.
fn refs(usage: &mut Usage, state: &State, id: &Digest) -> Vec<Reference> {
    usage
        .refs_of(state, id)
        .iter()
        .filter_map(|r| Reference::parse(r).ok())
        .collect()
}

/// True when the references are one tag (and digests of that same repository) or one digest.
fn is_single_reference(refs: &[Reference]) -> bool {
    if refs.len() <= 1 {
        return refs.len() == 1;
    }
    let mut single: Option<&Reference> = None;
    let mut canonical = std::collections::BTreeSet::new();
    for r in refs {
        if r.digest().is_some() {
            canonical.insert(r.name());
        } else if single.is_none() {
            single = Some(r);
        } else {
            return false;
        }
    }
    let single = single.unwrap_or(&refs[0]);
    canonical.len() == 1 && canonical.contains(&single.name())
}

fn check_conflict(ctx: &Ctx<'_>, usage: &mut Usage, id: &Digest, mask: u8) -> Option<Conflict> {
    let conflict = |reason| {
        Some(Conflict {
            id: id.clone(),
            reason,
        })
    };
    if mask & CHILD != 0 && usage.has_children(&ctx.state, id) {
        return conflict(errors::Conflict::Children);
    }
    if mask & RUNNING != 0 {
        if let Some(c) = ctx
            .state
            .containers
            .iter()
            .find(|c| &c.image == id && c.status == ContainerStatus::Running)
        {
            return conflict(errors::Conflict::Running(truncate_id(&c.id).to_owned()));
        }
    }
    if mask & ACTIVE_REF != 0 && usage.has_refs(&ctx.state, id) {
        return conflict(errors::Conflict::ManyRepositories);
    }
    if mask & STOPPED != 0 {
        if let Some(c) = ctx
            .state
            .containers
            .iter()
            .find(|c| &c.image == id && c.status != ContainerStatus::Running)
        {
            return conflict(errors::Conflict::Stopped(truncate_id(&c.id).to_owned()));
        }
    }
    None
}

/// The daemon's `imageDeleteHelper`: untag everything, delete the image and the layers nothing
/// else uses, then (with `prune`) its untagged legacy-builder parents.
fn delete_helper(
    ctx: &mut Ctx<'_>,
    usage: &mut Usage,
    id: &Digest,
    records: &mut Vec<Record>,
    force: bool,
    prune: bool,
    quiet: bool,
) -> Result<(), Conflict> {
    let mut mask = HARD;
    if !force {
        mask |= SOFT;
    }
    if let Some(c) = check_conflict(ctx, usage, id, mask) {
        let dangling = !usage.has_refs(&ctx.state, id) && !usage.has_children(&ctx.state, id);
        if quiet && (!dangling || c.used()) {
            return Ok(());
        }
        return Err(c);
    }
    let Some(record) = ctx.state.images.get(id).cloned() else {
        return Ok(());
    };
    for r in refs(usage, &ctx.state, id) {
        usage.remove_ref(&mut ctx.state, &r.full_string());
        records.push(Record::Untagged(r.familiar_string()));
    }
    ctx.state.images.remove(id);
    if let Some(p) = &record.parent {
        if let Some(n) = usage.children.get_mut(p) {
            *n = n.saturating_sub(1);
        }
    }
    for l in &record.layers {
        if let Some(n) = usage.layer_users.get_mut(l) {
            *n = n.saturating_sub(1);
        }
    }
    ctx.freed.push(id.clone());
    if let Some(m) = &record.manifest {
        ctx.freed.push(m.clone());
    }
    ctx.touch();
    records.push(Record::Deleted(id.to_string()));
    // The layers of this image that nothing else uses any more, from the top down.
    let unused: Vec<Digest> = record
        .layers
        .iter()
        .rev()
        .take_while(|c| !usage.layer_in_use(&ctx.state, c))
        .cloned()
        .collect();
    for chain in unused {
        if let Some(layer) = ctx.state.layers.remove(&chain) {
            ctx.freed.push(layer.diff_id);
            records.push(Record::Deleted(chain.to_string()));
        }
    }
    match record.parent {
        Some(parent) if prune => delete_helper(ctx, usage, &parent, records, false, true, true),
        _ => Ok(()),
    }
}

/// `docker image prune [OPTIONS]`
pub(super) fn image_prune(
    ctx: &mut Ctx<'_>,
    inv: &Invocation,
    io: &mut dyn Interaction,
) -> Result<Outcome, StoreError> {
    // There to free space: what it frees is unlinked now.
    ctx.reclaim = true;
    if !inv.args.is_empty() {
        return Ok(usage_error(inv, "accepts no arguments"));
    }
    let all = inv.flags.bool("all");
    let filter = match PruneFilter::parse(
        inv.flags.values("filter"),
        &["dangling", "label", "label!", "until"],
        ctx.now,
    ) {
        Ok(f) => f,
        Err(e) => return Ok(Outcome::daemon_error(e)),
    };
    let mut out = Outcome::default();
    if !inv.flags.bool("force") {
        let warning = if all {
            "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] "
        } else {
            "WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] "
        };
        if !confirm(io, warning) {
            return Ok(out);
        }
    }
    let (reclaimed, text) = prune_images(ctx, all, &filter)?;
    if !text.is_empty() {
        out.stdout.push_str(&text);
        out.stdout.push('\n');
    }
    out.stdout.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size4(reclaimed as f64)
    ));
    Ok(out)
}

/// Docker's confirmation: the prompt, then one line; only `y`/`Y` says yes.
pub(super) fn confirm(io: &mut dyn Interaction, prompt: &str) -> bool {
    io.read_line(prompt)
        .is_some_and(|a| a.trim().eq_ignore_ascii_case("y"))
}

/// The daemon's `ImagesPrune` and the CLI's rendering of it: (space reclaimed, `Deleted Images:` text).
pub(super) fn prune_images(
    ctx: &mut Ctx<'_>,
    all: bool,
    filter: &PruneFilter,
) -> Result<(u64, String), StoreError> {
    let layer_sizes: std::collections::BTreeMap<String, u64> = ctx
        .state
        .layers
        .iter()
        .map(|(k, v)| (k.to_string(), v.size))
        .collect();
    let mut usage = Usage::new(&ctx.state);
    let mut candidates: Vec<Digest> = Vec::new();
    for id in ctx.images_newest_first() {
        let children = usage.has_children(&ctx.state, id);
        // Images with children only with `-a`, and then only tagged ones.
        if (!children || (all && usage.has_refs(&ctx.state, id)))
            && filter.allows(super::parse_time(&ctx.state.images[id].created), || {
                ctx.image_labels(id).unwrap_or_default()
            })
        {
            candidates.push(id.clone());
        }
    }
    let mut deleted = Vec::new();
    for id in candidates {
        if !ctx.state.images.contains_key(&id) {
            continue;
        }
        let image_refs = refs(&mut usage, &ctx.state, &id);
        if image_refs.is_empty() {
            if let Ok(records) = image_delete(ctx, &mut usage, id.hex(), false, true)? {
                deleted.extend(records);
            }
            continue;
        }
        let has_tag = image_refs.iter().any(|r| r.digest().is_none());
        if all || !has_tag {
            for r in image_refs {
                if let Ok(records) = image_delete(ctx, &mut usage, &r.full_string(), false, true)? {
                    deleted.extend(records);
                }
            }
        }
    }
    let reclaimed = deleted
        .iter()
        .filter_map(|r| match r {
            Record::Deleted(d) => layer_sizes.get(d),
            Record::Untagged(_) => None,
        })
        .sum();
    let mut text = String::new();
    if !deleted.is_empty() {
        text.push_str("Deleted Images:\n");
        for r in &deleted {
            match r {
                Record::Untagged(s) => text.push_str(&format!("untagged: {s}\n")),
                Record::Deleted(s) => text.push_str(&format!("deleted: {s}\n")),
            }
        }
    }
    Ok((reclaimed, text))
}
