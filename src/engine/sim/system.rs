//! `system df`, `system prune`, `builder prune`, `version` and `info`.

use serde_json::json;

use super::filters::PruneFilter;
use super::remove::{confirm, prune_images};
use super::render::{plain_cell, render, render_as, write_table};
use super::{usage_error, Ctx, DigestHash, DigestSet, Outcome};
use crate::docker::api::ApiVersion;
use crate::docker::cli::Invocation;
use crate::docker::units::{human_size, human_size4};
use crate::engine::Interaction;
use crate::store::{ContainerStatus, Digest, Scanned, StoreError};

/// "12MB (50%)", or "0B" when there is nothing.
fn reclaimable(reclaimable: u64, total: u64) -> String {
    match (reclaimable * 100).checked_div(total) {
        Some(percent) => format!("{} ({percent}%)", human_size4(reclaimable as f64)),
        None => human_size4(reclaimable as f64),
    }
}

/// The build cache records whose layer an image uses: `BuildKit` reports them `Shared`, and
/// docker/cli's disk usage leaves their size to the images.
fn shared_records(state: &crate::store::State) -> Vec<bool> {
    if state.build_cache.is_empty() {
        return Vec::new();
    }
    let layers = image_layers(state);
    shared_records_with(state, &|l| layers.contains(l))
}

/// Every layer some image uses.
fn image_layers(state: &crate::store::State) -> DigestSet<'_> {
    let mut set = DigestSet::with_capacity_and_hasher(state.layers.len(), DigestHash::default());
    set.extend(state.images.values().flat_map(|i| i.layers.iter()));
    set
}

/// [`shared_records`] given whether a layer is an image's ([`image_layers`]).
fn shared_records_with(
    state: &crate::store::State,
    image_layer: &dyn Fn(&Digest) -> bool,
) -> Vec<bool> {
    state
        .build_cache
        .iter()
        .map(|r| r.layer.as_ref().is_some_and(image_layer))
        .collect()
}

/// A layer's chain ID as its 64 hex digits, hashed by its first 16 (as [`DigestHash`]): copied
/// out of a line, with no decoding.
#[derive(PartialEq, Eq)]
struct ChainHex([u8; 64]);

impl std::hash::Hash for ChainHex {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(&self.0[..16]);
    }
}

/// Which bytes are lowercase hex digits, as the store writes digests.
const HEX: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'0'..=b'9' | b'a'..=b'f');
        b += 1;
    }
    table
};

fn all_hex(bytes: &[u8]) -> bool {
    bytes.iter().all(|&b| HEX[usize::from(b)])
}

/// `hex` as a [`ChainHex`], when it is 64 hex digits.
fn chain_key(hex: &str) -> Option<ChainHex> {
    let bytes: [u8; 64] = hex.as_bytes().try_into().ok()?;
    all_hex(&bytes).then_some(ChainHex(bytes))
}

type ChainSet = std::collections::HashSet<ChainHex, DigestHash>;

/// The parent and the layers of an image's line (`i <id> <size> <seq> <created> <manifest>
/// <manifest size> <parent> <last tag> <chain>…`), read from its end: the chains are its last
/// fields (a space and 64 hex digits each), the last tag time (`-` or `+…`) and the parent (`-`
/// or 64 hex digits) come before them.
fn image_tail(line: &str) -> Option<(bool, impl Iterator<Item = ChainHex> + '_)> {
    let bytes = line.strip_suffix('\n').unwrap_or(line).as_bytes();
    let mut start = bytes.len();
    while start >= 65 && bytes[start - 65] == b' ' && all_hex(&bytes[start - 64..start]) {
        start -= 65;
    }
    let rest = &bytes[..start];
    let last_tag_at = rest.iter().rposition(|&b| b == b' ')?;
    if !matches!(rest.get(last_tag_at + 1), Some(b'-' | b'+')) {
        return None;
    }
    let before = &rest[..last_tag_at];
    let has_parent = if before.ends_with(b" -") {
        false
    } else {
        all_hex(before.get(before.len().checked_sub(64)?..)?).then_some(true)?
    };
    let chains = bytes[start..].chunks_exact(65).filter_map(|c| {
        let key: [u8; 64] = c[1..].try_into().ok()?;
        Some(ChainHex(key))
    });
    Some((has_parent, chains))
}

/// `system df`'s image figures (how many images, the size of the layers they use, and those
/// layers) from a scan of the images' and layers' lines that keeps no record
/// ([`crate::store::Table::scan`]): reading both sections whole into maps was 45 of its 50 M
/// instructions at 10,000 images. `None` where that is not enough (an image with a parent, which
/// is listed or not by its references) or a line does not read as expected: the caller then
/// reads the records.
fn scanned_image_figures(state: &crate::store::State) -> Option<(usize, u64, ChainSet)> {
    let mut chains = ChainSet::default();
    let mut images = 0usize;
    // `i <id> <size> <seq> <created> <manifest> <manifest size> <parent> <last tag> <chain>…`
    let image_line = |line: &str, chains: &mut ChainSet| -> Option<()> {
        let (has_parent, layers) = image_tail(line.strip_prefix("i ")?)?;
        if has_parent {
            return None;
        }
        chains.extend(layers);
        Some(())
    };
    let read = state.images.scan(|scanned| {
        images += 1;
        match scanned {
            Scanned::Line(line) => image_line(line, &mut chains).is_some(),
            Scanned::Record(_, record) => {
                record.parent.is_none()
                    && record.layers.iter().all(|l| {
                        chain_key(l.hex()).is_some_and(|k| {
                            chains.insert(k);
                            true
                        })
                    })
            }
        }
    });
    if !read {
        return None;
    }
    let mut size = 0u64;
    // `l <chain> <diff ID> <parent> <size>`
    let read = state.layers.scan(|scanned| {
        let (chain, layer) = match scanned {
            Scanned::Line(line) => {
                // `l <chain> <diff ID> <parent> <size>`: the chain at a fixed place, the size last.
                let line = line.strip_suffix('\n').unwrap_or(line);
                let size_at = line.bytes().rposition(|b| b == b' ').map_or(0, |p| p + 1);
                let (Some(chain), Ok(layer)) = (
                    line.strip_prefix("l ")
                        .and_then(|l| l.get(..64))
                        .and_then(chain_key),
                    line[size_at..].parse::<u64>(),
                ) else {
                    return false;
                };
                (chain, layer)
            }
            Scanned::Record(chain, layer) => match chain_key(chain.hex()) {
                Some(chain) => (chain, layer.size),
                None => return false,
            },
        };
        if chains.contains(&chain) {
            size += layer;
        }
        true
    });
    read.then_some((images, size, chains))
}

/// `docker system df [OPTIONS]`
pub(super) fn df(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if !inv.args.is_empty() {
        return Ok(usage_error(inv, "accepts no arguments"));
    }
    let in_use: std::collections::BTreeSet<_> =
        ctx.state.containers.iter().map(|c| &c.image).collect();
    // Without images in use (whose shared sizes need every layer's users), the image figures
    // come from a scan that keeps no record.
    if in_use.is_empty() && !inv.flags.bool("verbose") {
        if let Some((images, layers_size, chains)) = scanned_image_figures(&ctx.state) {
            let image_layer = |l: &Digest| chain_key(l.hex()).is_some_and(|k| chains.contains(&k));
            return Ok(df_table(
                ctx,
                inv,
                images,
                (0, 0),
                layers_size,
                &image_layer,
            ));
        }
    }
    let parents = ctx.state.parents();
    // Only a parent can be left out (when untagged): only parents need their references.
    let referenced: std::collections::BTreeSet<&Digest> = if parents.is_empty() {
        std::collections::BTreeSet::new()
    } else {
        ctx.state
            .refs
            .values()
            .filter(|id| parents.contains(id))
            .collect()
    };
    // Only images in use need the layer users (for their shared size).
    let users = if in_use.is_empty() {
        std::collections::BTreeMap::new()
    } else {
        ctx.state.layer_users()
    };
    // Images as `image ls` lists them without -a: intermediate images are left out.
    let listed: Vec<_> = ctx
        .state
        .images
        .iter()
        .filter(|(id, _)| referenced.contains(id) || !parents.contains(id))
        .collect();
    // The layers of images (not those only BuildKit's cache holds).
    let image_layers = image_layers(&ctx.state);
    // One pass over the layer store asking the set, rather than a search of the layer store
    // for each layer of the set.
    let layers_size: u64 = ctx
        .state
        .layers
        .iter()
        .filter(|(chain, _)| image_layers.contains(chain))
        .map(|(_, l)| l.size)
        .sum();
    let mut active = 0;
    let mut used = 0u64;
    for (id, record) in &listed {
        if in_use.contains(id) {
            active += 1;
            let size = ctx.state.image_size(record);
            let shared = ctx.state.shared_size(record, &users);
            used += size - shared;
        }
    }
    if inv.flags.bool("verbose") {
        return Ok(match inv.flags.value("format").unwrap_or("") {
            "" | "table" => df_verbose(ctx),
            "json" => df_verbose_template(ctx, "{{json .}}"),
            f => df_verbose_template(ctx, f),
        });
    }
    let image_layer = |l: &Digest| image_layers.contains(l);
    Ok(df_table(
        ctx,
        inv,
        listed.len(),
        (active, used),
        layers_size,
        &image_layer,
    ))
}

/// `system df`'s table of the four kinds, given the images' figures: how many are listed, how
/// many of those containers use and their size not shared, the size of the layers images use,
/// and whether a layer is one of those (build cache records holding one count with the images).
fn df_table(
    ctx: &Ctx<'_>,
    inv: &Invocation,
    images: usize,
    (active, used): (usize, u64),
    layers_size: u64,
    image_layer: &dyn Fn(&Digest) -> bool,
) -> Outcome {
    let containers = &ctx.state.containers;
    let running = containers
        .iter()
        .filter(|c| c.status == ContainerStatus::Running)
        .count();
    // Records shared with image layers are counted with the images (docker/cli's disk usage
    // formatter skips `Shared` records).
    let shared = shared_records_with(&ctx.state, image_layer);
    let cache_size: u64 = ctx
        .state
        .build_cache
        .iter()
        .zip(&shared)
        .filter(|(_, s)| !**s)
        .map(|(c, _)| c.size)
        .sum();
    let cache_in_use: u64 = ctx
        .state
        .build_cache
        .iter()
        .zip(&shared)
        .filter(|(c, s)| c.in_use && !**s)
        .map(|(c, _)| c.size)
        .sum();
    let rows = vec![
        json!({"Type": "Images", "TotalCount": images.to_string(), "Active": active.to_string(),
               "Size": human_size4(layers_size as f64), "Reclaimable": reclaimable(layers_size.saturating_sub(used), layers_size)}),
        json!({"Type": "Containers", "TotalCount": containers.len().to_string(), "Active": running.to_string(),
               "Size": human_size4(0.0), "Reclaimable": reclaimable(0, 0)}),
        json!({"Type": "Local Volumes", "TotalCount": "0", "Active": "0", "Size": human_size4(0.0), "Reclaimable": reclaimable(0, 0)}),
        json!({"Type": "Build Cache", "TotalCount": ctx.state.build_cache.len().to_string(),
               "Active": ctx.state.build_cache.iter().filter(|c| c.in_use).count().to_string(),
               "Size": human_size4(cache_size as f64), "Reclaimable": human_size4((cache_size - cache_in_use) as f64)}),
    ];
    let format = match inv.flags.value("format").unwrap_or("") {
        "" | "table" => {
            "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}"
        }
        "json" => "{{json .}}",
        f => f,
    };
    let headers = json!({"Type": "TYPE", "TotalCount": "TOTAL", "Active": "ACTIVE", "Size": "SIZE", "Reclaimable": "RECLAIMABLE"});
    render_as(
        format,
        &headers,
        &rows,
        "*formatter.diskUsageImagesContext",
        "template parsing error: ",
    )
}

/// An image as `system df -v` lists it, with what its rows share.
struct UsageImage<'s> {
    id: &'s Digest,
    record: &'s crate::store::ImageRecord,
    /// Its tags, familiar (`nginx:latest`).
    tags: Vec<String>,
    size: u64,
    /// The part of `size` in layers other images use too.
    shared: u64,
    /// How many containers use it.
    containers: usize,
}

impl UsageImage<'_> {
    /// Its rows' repository and tag: one per tag, `<none>` for an untagged image.
    fn names(&self) -> Vec<(&str, &str)> {
        if self.tags.is_empty() {
            return vec![("<none>", "<none>")];
        }
        self.tags
            .iter()
            .map(|t| t.rsplit_once(':').unwrap_or((t, "")))
            .collect()
    }
}

/// The images of `system df -v`, newest first: as `image ls` without -a lists them, the legacy
/// builder's intermediate images (untagged parents) left out.
fn usage_images<'s>(ctx: &'s Ctx<'_>) -> Vec<UsageImage<'s>> {
    let refs = ctx.state.refs_by_image();
    let users = ctx.state.layer_users();
    let parents = ctx.state.parents();
    ctx.images_newest_first()
        .into_iter()
        .filter(|id| refs.contains_key(*id) || !parents.contains(*id))
        .map(|id| {
            let record = &ctx.state.images[id];
            let size = ctx.state.image_size(record);
            UsageImage {
                id,
                record,
                tags: super::split_refs(refs.get(id).map_or(&[][..], Vec::as_slice)).0,
                size,
                shared: ctx.state.shared_size(record, &users),
                containers: ctx
                    .state
                    .containers
                    .iter()
                    .filter(|c| &c.image == id)
                    .count(),
            }
        })
        .collect()
}

/// One row per image name (`<none>` for an untagged image) of `system df -v`, with every field
/// of its `--format json` object (the table, [`image_usage_table`], has the same rows).
fn image_usage(ctx: &Ctx<'_>) -> Vec<serde_json::Value> {
    let tz = crate::docker::units::local_time_zone();
    let mut rows = Vec::new();
    for image in usage_images(ctx) {
        let created = super::parse_time(&image.record.created);
        let (size, shared) = (image.size, image.shared);
        for (repo, tag) in image.names() {
            rows.push(json!({
                "Containers": image.containers.to_string(),
                "CreatedAt": created.map(|t| {
                    let mut s = String::with_capacity(40);
                    crate::docker::units::write_go_time(&mut s, t, &tz);
                    s
                }).unwrap_or_default(),
                "CreatedSince": created.map(|t| crate::docker::units::created_since(t, ctx.now)).unwrap_or_default(),
                "Digest": "",
                "ID": image.id.as_str(),
                "Repository": repo,
                "SharedSize": human_size4(shared as f64),
                "Size": human_size(size as i64),
                "Tag": tag,
                "UniqueSize": human_size4((size - shared) as f64),
                "VirtualSize": human_size4(size as f64),
            }));
        }
    }
    rows
}

/// `system df -v`'s images table, `table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t
/// {{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}` over the rows of
/// [`image_usage`], written directly: a JSON object and a template run per row were most of the
/// command at 10,000 images. Every cell goes into one buffer; a row's eight end at
/// `ends[8 * row..]`.
fn image_usage_table(ctx: &Ctx<'_>) -> String {
    use crate::docker::units::{write_created_since, write_human_size};
    const HEADER: [&str; 8] = [
        "REPOSITORY",
        "TAG",
        "IMAGE ID",
        "CREATED",
        "SIZE",
        "SHARED SIZE",
        "UNIQUE SIZE",
        "CONTAINERS",
    ];
    let mut text = String::new();
    let mut ends: Vec<usize> = Vec::new();
    // An image's own six cells, and where each ends, written once for all its rows.
    let mut own = String::new();
    let mut own_ends = [0usize; 6];
    for image in usage_images(ctx) {
        let (size, shared) = (image.size, image.shared);
        own.clear();
        own.push_str(super::truncate_id(image.id.as_str()));
        own_ends[0] = own.len();
        if let Some(t) = super::parse_time(&image.record.created) {
            write_created_since(&mut own, t, ctx.now);
        }
        own_ends[1] = own.len();
        // As `human_size` (an i64) and `human_size4` write them.
        write_human_size(&mut own, size.cast_signed() as f64, 3);
        own_ends[2] = own.len();
        write_human_size(&mut own, shared as f64, 4);
        own_ends[3] = own.len();
        write_human_size(&mut own, (size - shared) as f64, 4);
        own_ends[4] = own.len();
        own.push_str(crate::decimal::digits(
            image.containers as u64,
            &mut [0; 20],
        ));
        own_ends[5] = own.len();
        for (repo, tag) in image.names() {
            for cell in [repo, tag] {
                text.push_str(cell);
                ends.push(text.len());
            }
            let start = text.len();
            text.push_str(&own);
            ends.extend(own_ends.iter().map(|e| start + e));
        }
    }
    let line = |at: usize| -> [&str; 8] {
        std::array::from_fn(|i| {
            let n = 8 * at + i;
            let start = if n == 0 { 0 } else { ends[n - 1] };
            &text[start..ends[n]]
        })
    };
    let plain = |at: usize| line(at).iter().all(|c| plain_cell(c));
    write_table(&HEADER, ends.len() / 8, line, plain)
}

/// `docker system df -v --format TEMPLATE`: the template runs once over the whole usage (docker/cli
/// `verboseWrite`), each image and container as its `--format json` object; no newline follows.
fn df_verbose_template(ctx: &Ctx<'_>, format: &str) -> Outcome {
    use crate::docker::template::{Template, Value as Go};
    let tz = crate::docker::units::local_time_zone();
    let images = image_usage(ctx);
    // docker/cli shows them untruncated here.
    let containers: Vec<_> = ctx
        .state
        .containers
        .iter()
        .rev()
        .map(|c| super::containers::row(ctx, c, false, &tz))
        .collect();
    let usage = json!({
        "Images": images,
        "Containers": containers,
        "Volumes": [],
        "BuildCache": [],
    });
    let value = Go::structure("*formatter.diskUsageContext", &usage);
    match Template::parse(format).and_then(|t| t.execute_value(&value)) {
        Ok(text) => Outcome::ok(text),
        Err(e) => Outcome::error(format!("{}\n", e.go_error()), 1),
    }
}

/// `docker system df -v`: one table per kind of object.
fn df_verbose(ctx: &Ctx<'_>) -> Outcome {
    let layers_size: u64 = ctx.state.layers.values().map(|l| l.size).sum();
    let images = image_usage_table(ctx);
    let mut out = Outcome::ok(format!("Images space usage:\n\n{images}"));
    let crows: Vec<_> = ctx
        .state
        .containers
        .iter()
        .rev()
        .map(|c| {
            json!({"ID": super::truncate_id(&c.id), "Image": c.image_name,
                   "Command": crate::docker::text::go_quote(&crate::docker::text::ellipsis(&super::containers::command_line(c), 20)),
                   "LocalVolumes": "0", "Size": "0B",
                   "RunningFor": crate::docker::units::created_since(super::parse_time(&c.created).unwrap_or(ctx.now), ctx.now),
                   "Status": super::containers::status_text(ctx, c),
                   "Names": c.name})
        })
        .collect();
    let containers = render(
        "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
        &json!({"ID": "CONTAINER ID", "Image": "IMAGE", "Command": "COMMAND", "LocalVolumes": "LOCAL VOLUMES",
                "Size": "SIZE", "RunningFor": "CREATED", "Status": "STATUS", "Names": "NAMES"}),
        &crows,
    );
    out.stdout.push_str(&format!(
        "\nContainers space usage:\n\n{}",
        containers.stdout
    ));
    out.stdout
        .push_str("\nLocal Volumes space usage:\n\nVOLUME NAME   LINKS     SIZE\n");
    let shared = shared_records(&ctx.state);
    out.stdout.push_str("\nBuild cache usage: ");
    out.stdout.push_str(&human_size(
        ctx.state
            .build_cache
            .iter()
            .zip(&shared)
            .filter(|(_, s)| !**s)
            .map(|(c, _)| c.size)
            .sum::<u64>() as i64,
    ));
    out.stdout.push_str("\n\n");
    let _ = layers_size;
    let since = |t: &str| {
        super::parse_time(t).map_or_else(String::new, |t| {
            format!(
                "{} ago",
                crate::docker::units::human_duration(
                    std::time::Duration::try_from(ctx.now.duration_since(t)).unwrap_or_default()
                )
            )
        })
    };
    let brows: Vec<_> = ctx
        .state
        .build_cache
        .iter()
        .zip(&shared)
        .map(|(c, shared)| json!({"ID": c.id.get(..12).unwrap_or(&c.id), "CacheType": c.kind, "Size": human_size(c.size as i64),
                        "CreatedSince": since(&c.created), "LastUsedSince": since(&c.last_used),
                        "UsageCount": c.usage_count.to_string(), "Shared": shared.to_string()}))
        .collect();
    let cache = render(
        "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
        &json!({"ID": "CACHE ID", "CacheType": "CACHE TYPE", "Size": "SIZE", "CreatedSince": "CREATED",
                "LastUsedSince": "LAST USED", "UsageCount": "USAGE", "Shared": "SHARED"}),
        &brows,
    );
    out.stdout.push_str(&cache.stdout);
    out
}

/// Removes stopped containers: (IDs removed).
pub(super) fn prune_containers(ctx: &mut Ctx<'_>, filter: &PruneFilter) -> Vec<String> {
    let prunable: Vec<bool> = ctx
        .state
        .containers
        .iter()
        .map(|c| {
            c.status != ContainerStatus::Running
                && filter.allows(super::parse_time(&c.created), || {
                    ctx.image_labels(&c.image).unwrap_or_default()
                })
        })
        .collect();
    let (gone, keep): (Vec<_>, Vec<_>) = ctx
        .state
        .containers
        .drain(..)
        .zip(prunable)
        .partition(|(_, prunable)| *prunable);
    let (keep, gone): (Vec<_>, Vec<_>) = (
        keep.into_iter().map(|(c, _)| c).collect(),
        gone.into_iter().map(|(c, _)| c).collect(),
    );
    *ctx.state.containers = keep;
    if !gone.is_empty() {
        ctx.release_layers();
        ctx.touch();
    }
    gone.into_iter().map(|c| c.id).collect()
}

/// Removes build cache records: all of them, or (`BuildKit`'s default) those no image shares
/// and no build uses; then the layers nothing holds any more. The records removed, each with
/// whether an image shared it.
fn prune_cache(ctx: &mut Ctx<'_>, all: bool) -> Vec<(crate::store::CacheRecord, bool)> {
    let shared = shared_records(&ctx.state);
    let (gone, keep): (Vec<_>, Vec<_>) = std::mem::take(&mut *ctx.state.build_cache)
        .into_iter()
        .zip(shared)
        .partition(|(r, shared)| all || (!shared && !r.in_use));
    *ctx.state.build_cache = keep.into_iter().map(|(r, _)| r).collect();
    if !gone.is_empty() {
        ctx.release_layers();
        ctx.touch();
    }
    gone
}

/// `docker system prune [OPTIONS]`
pub(super) fn system_prune(
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
    // The client prunes containers first: their accepted filters are checked first.
    let filter = match PruneFilter::parse(
        inv.flags.values("filter"),
        &["label", "label!", "until"],
        ctx.now,
    ) {
        Ok(f) => f,
        Err(e) => return Ok(Outcome::daemon_error(e)),
    };
    let mut out = Outcome::default();
    if !inv.flags.bool("force") {
        let mut warning = String::from(
            "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n",
        );
        if inv.flags.bool("volumes") {
            warning.push_str("  - all anonymous volumes not used by at least one container\n");
        }
        warning.push_str(if all {
            "  - all images without at least one container associated to them\n  - all build cache\n"
        } else {
            "  - all dangling images\n  - unused build cache\n"
        });
        warning.push_str("\nAre you sure you want to continue? [y/N] ");
        if !confirm(io, &warning) {
            return Ok(out);
        }
    }
    let containers = prune_containers(ctx, &filter);
    if !containers.is_empty() {
        out.stdout.push_str("Deleted Containers:\n");
        for id in containers {
            out.stdout.push_str(&id);
            out.stdout.push('\n');
        }
        out.stdout.push('\n');
    }
    let (image_space, text) = prune_images(ctx, all, &filter)?;
    if !text.is_empty() {
        out.stdout.push_str(&text);
        out.stdout.push('\n');
    }
    let records = prune_cache(ctx, all);
    let cache_space: u64 = records.iter().map(|(r, _)| r.size).sum();
    if !records.is_empty() {
        out.stdout.push_str("Deleted build cache objects:\n");
        for (r, _) in records {
            out.stdout.push_str(&r.id);
            out.stdout.push('\n');
        }
        out.stdout.push('\n');
    }
    out.stdout.push_str(&format!(
        "Total reclaimed space: {}\n",
        human_size4((image_space + cache_space) as f64)
    ));
    Ok(out)
}

/// `docker builder prune [OPTIONS]`
pub(super) fn builder_prune(
    ctx: &mut Ctx<'_>,
    inv: &Invocation,
    io: &mut dyn Interaction,
) -> Result<Outcome, StoreError> {
    // There to free space: what it frees is unlinked now.
    ctx.reclaim = true;
    let mut out = Outcome::default();
    if !inv.flags.bool("force") {
        let warning = if inv.flags.bool("all") {
            "WARNING! This will remove all build cache.\nAre you sure you want to continue? [y/N] "
        } else {
            "WARNING! This will remove all dangling build cache.\nAre you sure you want to continue? [y/N] "
        };
        if !confirm(io, warning) {
            return Ok(out);
        }
    }
    let records = prune_cache(ctx, inv.flags.bool("all"));
    let space: u64 = records.iter().map(|(r, _)| r.size).sum();
    if super::build::Builder::from_var(ctx.var("DOCKER_BUILDKIT").as_deref())
        == super::build::Builder::Legacy
    {
        // DOCKER_BUILDKIT=0: docker/cli does not forward `builder` to buildx; its own prune
        // answers, after the legacy builder's deprecation notice.
        super::build::LEGACY_NOTICE.clone_into(&mut out.stderr);
        if !records.is_empty() {
            out.stdout.push_str("Deleted build cache objects:\n");
            for (r, _) in &records {
                out.stdout.push_str(&r.id);
                out.stdout.push('\n');
            }
            out.stdout.push('\n');
        }
        out.stdout.push_str(&format!(
            "Total reclaimed space: {}\n",
            human_size4(space as f64)
        ));
        return Ok(out);
    }
    // buildx (`commands/prune.go`) prints through a Go tabwriter padding with tabs (minwidth 1,
    // tabwidth 8, padding 1) and flushes it after each row as the daemon streams them: the
    // header and the first row are aligned together, each later row on its own. A mutable
    // record (a `source.local` snapshot) has `*` after its ID, a shared one after its size. The
    // Total line comes from a tabwriter of its own.
    let mut blocks: Vec<Vec<Vec<String>>> = Vec::new();
    for (i, (r, shared)) in records.iter().enumerate() {
        let mut id = r.id.clone();
        if r.kind == "source.local" {
            id.push('*');
        }
        let mut size = human_size(r.size as i64);
        if *shared {
            size.push('*');
        }
        let last = super::parse_time(&r.last_used).map_or_else(String::new, |t| {
            let d = ctx.now.duration_since(t);
            format!(
                "{} ago",
                crate::docker::units::human_duration(std::time::Duration::from_secs(
                    d.as_secs().max(0) as u64
                ))
            )
        });
        let row = vec![
            format!("{id:<40}"),
            format!("{:<5}", !r.in_use),
            format!("{size:<10}"),
            last,
        ];
        if i == 0 {
            blocks.push(vec![
                vec![
                    "ID".into(),
                    "RECLAIMABLE".into(),
                    "SIZE".into(),
                    "LAST ACCESSED".into(),
                ],
                row,
            ]);
        } else {
            blocks.push(vec![row]);
        }
    }
    blocks.push(vec![vec!["Total:".into(), human_size4(space as f64)]]);
    for block in &blocks {
        out.stdout.push_str(&go_tab_table(block));
    }
    Ok(out)
}

/// `docker version`: the client as Docker 28's, the server as docklab's simulation.
pub(super) fn version(api: &ApiVersion) -> Outcome {
    // The client shows the version it speaks, and what it was lowered from.
    let current = ApiVersion::current();
    let client_api = if *api == current {
        current.to_string()
    } else {
        format!("{api} (downgraded from {current})")
    };
    let client = format!(
        "Client:
 Version:           28.2.2
 API version:       {client_api}
 Go version:        go1.24.3
 Git commit:        e6534b4
 Built:             Fri May 30 12:07:14 2025
 OS/Arch:           linux/amd64
 Context:           default
"
    );
    if let Some(refusal) = api.daemon_refusal() {
        return Outcome {
            stdout: client,
            stderr: format!("Error response from daemon: {refusal}\n"),
            exit_code: 1,
            ..Outcome::default()
        };
    }
    Outcome::ok(format!(
        "{client}
Server: docklab simulated engine
 Engine:
  Version:          docklab {}
  API version:      {current} (minimum version {}, simulated)
  OS/Arch:          linux/amd64
  Experimental:     false
  Notes:            no daemon, no network; images come from docklab's offline catalog
",
        env!("CARGO_PKG_VERSION"),
        ApiVersion::minimum(),
    ))
}

/// `docker info`: a short summary saying it is a simulation.
pub(super) fn info(ctx: &mut Ctx<'_>) -> Result<Outcome, StoreError> {
    let containers = &ctx.state.containers;
    let running = containers
        .iter()
        .filter(|c| c.status == ContainerStatus::Running)
        .count();
    let stopped = containers
        .iter()
        .filter(|c| c.status == ContainerStatus::Exited)
        .count();
    Ok(Outcome::ok(format!(
        "Client:
 Version:    28.2.2
 Context:    default
 Debug Mode: false

Server:
 Containers: {}
  Running: {running}
  Paused: 0
  Stopped: {stopped}
 Images: {}
 Server Version: docklab {} (simulated engine)
 Storage Driver: docklab content-addressed store
  Root Dir: {}
 Operating System: docklab simulation (no daemon, no network)
 OSType: linux
 Architecture: x86_64
",
        containers.len(),
        ctx.state.images.len(),
        env!("CARGO_PKG_VERSION"),
        ctx.store.root().display(),
    )))
}

/// Go's `text/tabwriter` with `'\t'` as padding character (minwidth 1, tabwidth 8, padding 1):
/// every cell but a line's last is followed by tabs up to its column's width. Consecutive
/// lines that have a column form one block.
fn go_tab_table(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let cells = |r: &Vec<String>| r.len().saturating_sub(1);
    let mut widths: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, row) in rows.iter().enumerate() {
        for col in 0..cells(row) {
            if i > 0 && cells(&rows[i - 1]) > col {
                continue;
            }
            let mut end = i;
            while end < rows.len() && cells(&rows[end]) > col {
                end += 1;
            }
            let width = rows[i..end]
                .iter()
                .map(|r| r[col].chars().count() + 1)
                .max()
                .unwrap_or(1)
                .div_ceil(8)
                * 8;
            for w in &mut widths[i..end] {
                w.push(width);
            }
        }
    }
    for (row, widths) in rows.iter().zip(&widths) {
        for (j, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if let Some(w) = widths.get(j) {
                let n = w - cell.chars().count();
                out.push_str(&"\t".repeat(n.div_ceil(8)));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sim::SimEngine;
    use crate::engine::{Clock, Engine, ExecContext, NoInput};
    use crate::store::Store;

    /// `system df`'s image figures from a scan of the state's lines (with the journal's changes
    /// beside them) are the ones the records read whole give, after each kind of change; an
    /// image with a parent (a legacy build's) makes the scan step aside.
    #[test]
    fn the_scanned_image_figures_are_the_records_figures() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = dir.path().join("store");
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM alpine\nRUN echo one > /one\nCMD [\"sh\"]\n",
        )
        .expect("Dockerfile");
        let mut engine = SimEngine::new(
            store.clone(),
            Clock::frozen("2025-10-29T12:00:00Z".parse().expect("a time")),
        );
        let legacy = [("DOCKER_BUILDKIT".to_owned(), "0".to_owned())];
        let mut run = |args: &[&str], env: &[(String, String)]| {
            let args: Vec<String> = args.iter().map(|&a| a.to_owned()).collect();
            let out = engine
                .exec(
                    &ExecContext::new(&args).in_dir(dir.path()).with_env(env),
                    &mut NoInput,
                )
                .expect("the store works");
            assert_eq!(out.exit_code, 0, "{args:?}: {}", out.stderr);
        };
        let figures = || {
            let opened = Store::open(&store, std::time::Duration::from_secs(5)).expect("opens");
            let whole = opened.load_state().expect("loads");
            let layers = image_layers(&whole);
            let size: u64 = whole
                .layers
                .iter()
                .filter(|(chain, _)| layers.contains(chain))
                .map(|(_, l)| l.size)
                .sum();
            let lazy = opened.load_state_to_read().expect("loads");
            let scanned = scanned_image_figures(&lazy).map(|(images, size, chains)| {
                let picked: Vec<bool> = whole
                    .layers
                    .keys()
                    .map(|c| chain_key(c.hex()).is_some_and(|k| chains.contains(&k)))
                    .collect();
                (images, size, picked)
            });
            let picked = whole.layers.keys().map(|c| layers.contains(c)).collect();
            (scanned, (whole.images.len(), size, picked))
        };
        let steps: &[&[&str]] = &[
            &["pull", "alpine"],
            &["pull", "busybox"],
            &["tag", "alpine", "a:1"],
            &["build", "-t", "kit", "."],
            &["rmi", "busybox"],
            &["rmi", "a:1"],
            &["image", "prune", "-af"],
            &["pull", "hello-world"],
        ];
        for step in steps {
            run(step, &[]);
            let (scanned, whole) = figures();
            assert_eq!(scanned, Some(whole), "after {step:?}");
        }
        run(&["build", "-t", "old", "."], &legacy);
        assert_eq!(
            figures().0,
            None,
            "an image with a parent: the records are read"
        );
    }
}
