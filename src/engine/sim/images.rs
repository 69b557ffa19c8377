//! `image ls`, `tag`, `history`, and the image documents `inspect` prints.

use std::borrow::Cow;

use jiff::Timestamp;
use serde_json::{json, Map, Value};

use super::filters::Filters;
use super::glob::{path_match, BadPattern};

use super::render::{plain_cell, render_as, render_filled_as, write_table};
use super::{parse_time, truncate_id, usage_error, Ctx, DigestHash, Listed, Outcome, RefIndex};
use crate::docker::cli::Invocation;
use crate::docker::reference::{self, Reference};
use crate::docker::template::Value as GoValue;
use crate::docker::text::ellipsis;
use crate::docker::units::{
    created_since, human_size, local_time_zone, rfc3339_nano, write_created_since, write_go_time,
    write_human_size,
};
use crate::store::{Digest, StoreError};

const DEFAULT_TABLE: &str = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";
const DEFAULT_TABLE_DIGEST: &str = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}";

/// distribution's `reference.FamiliarMatch`: the pattern against the familiar string
/// (`nginx:latest`, `app@sha256:…`), then against the familiar name. A malformed pattern is
/// Go's `path.ErrBadPattern`, which moby returns as the daemon's error.
#[cfg(test)]
fn familiar_match(pattern: &str, full_ref: &str) -> Result<bool, BadPattern> {
    if let Some((name, tag, digest)) = split_stored(full_ref) {
        return familiar_match_parts(pattern, &name, tag.as_deref(), digest.as_deref());
    }
    let Ok(r) = Reference::parse(full_ref) else {
        return Ok(false);
    };
    familiar_match_parts(pattern, &r.familiar_name(), r.tag(), r.digest())
}

/// [`familiar_match`] given the reference's familiar name, tag and digest.
fn familiar_match_parts(
    pattern: &str,
    name: &str,
    tag: Option<&str>,
    digest: Option<&str>,
) -> Result<bool, BadPattern> {
    let mut familiar = String::with_capacity(name.len() + 80);
    familiar.push_str(name);
    if let Some(tag) = tag {
        familiar.push(':');
        familiar.push_str(tag);
    }
    if let Some(digest) = digest {
        familiar.push('@');
        familiar.push_str(digest);
    }
    // Go keeps the first match's error and ignores the second's.
    Ok(path_match(pattern, &familiar)? || path_match(pattern, name).unwrap_or(false))
}

/// What each byte may be in a stored reference, for [`split_stored`]: one lookup per byte rather
/// than a chain of comparisons.
const PATH_CHAR: u8 = 1; // a path component's bytes: a-z 0-9 . _ -
const PATH_END: u8 = 2; // its first and last: a-z 0-9
const TAG_CHAR: u8 = 4; // a tag's: A-Z a-z 0-9 _ . -
const TAG_FIRST: u8 = 8; // its first: A-Z a-z 0-9 _
const DOMAIN_MARK: u8 = 16; // what makes the first component a domain: . :
const NOT_DOMAIN: u8 = 32; // what a stored domain never has: A-Z @
const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        let mut bits = 0;
        if lower_or_digit || matches!(c, b'.' | b'_' | b'-') {
            bits |= PATH_CHAR;
        }
        if lower_or_digit {
            bits |= PATH_END;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-') {
            bits |= TAG_CHAR;
        }
        if c.is_ascii_alphanumeric() || c == b'_' {
            bits |= TAG_FIRST;
        }
        if matches!(c, b'.' | b':') {
            bits |= DOMAIN_MARK;
        }
        if c.is_ascii_uppercase() || c == b'@' {
            bits |= NOT_DOMAIN;
        }
        class[b] = bits;
        b += 1;
    }
    class
};

/// Whether every byte of `bytes` has the class bit `bit`.
fn all_of(bytes: &[u8], bit: u8) -> bool {
    bytes.iter().all(|&b| CLASS[usize::from(b)] & bit != 0)
}

/// A stored reference in the canonical form `Reference::full_string` writes
/// (`docker.io/library/nginx:latest`, `localhost:5000/app@sha256:…`) as (familiar name, tag,
/// digest), without the whole grammar of `Reference::parse`, which was a fifth of `image ls` at
/// 10,000 images. `None` for anything else (the caller then parses).
#[allow(
    clippy::type_complexity,
    reason = "the three parts of a reference, borrowed when they can be"
)]
pub(super) fn split_stored(
    full: &str,
) -> Option<(Cow<'_, str>, Option<Cow<'_, str>>, Option<Cow<'_, str>>)> {
    // A digest is the last 71 bytes, after the first `@`: any other `@` (which no path, tag or
    // stored domain has, as checked below) leaves something that is not a digest.
    const DIGEST_LEN: usize = "sha256:".len() + 64;
    let bytes = full.as_bytes();
    let (rest, digest) = match bytes.len().checked_sub(DIGEST_LEN + 1) {
        Some(at) if bytes[at] == b'@' => (&full[..at], Some(&full[at + 1..])),
        _ => (full, None),
    };
    // Docker Hub's domain (most references) is known good.
    let (domain, path_tag) = if let Some(path_tag) = rest.strip_prefix("docker.io/") {
        (reference::DEFAULT_DOMAIN, path_tag)
    } else {
        let slash = rest.bytes().position(|b| b == b'/')?;
        let (domain, path_tag) = (&rest[..slash], &rest[slash + 1..]);
        let domain_class = domain
            .bytes()
            .fold(0, |class, b| class | CLASS[usize::from(b)]);
        let is_domain = domain == "localhost" || domain_class & DOMAIN_MARK != 0;
        if !is_domain || domain == "index.docker.io" || domain_class & NOT_DOMAIN != 0 {
            return None;
        }
        (domain, path_tag)
    };
    // The path's components and the tag after the first `:`, in one pass (the grammar's `:` is
    // the last one, but a reference with two has a `:` in its path or its tag: refused either
    // way).
    let bytes = path_tag.as_bytes();
    let end_ok = |b: Option<&u8>| b.is_some_and(|&b| CLASS[usize::from(b)] & PATH_END != 0);
    let component_ok = |c: &[u8]| end_ok(c.first()) && end_ok(c.last());
    let (mut start, mut path_end, mut path_ok) = (0, bytes.len(), true);
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'/' => {
                path_ok &= component_ok(&bytes[start..i]);
                start = i + 1;
            }
            b':' => {
                path_end = i;
                break;
            }
            _ => path_ok &= CLASS[usize::from(b)] & PATH_CHAR != 0,
        }
    }
    path_ok &= component_ok(&bytes[start..path_end]);
    let path = &path_tag[..path_end];
    let tag = path_tag.get(path_end + 1..);
    let tag_ok = tag.is_none_or(|t| {
        (1..=128).contains(&t.len())
            && t.bytes()
                .next()
                .is_some_and(|b| CLASS[usize::from(b)] & TAG_FIRST != 0)
            && all_of(t.as_bytes(), TAG_CHAR)
    });
    if !path_ok || !tag_ok || digest.is_some_and(|d| d.parse::<Digest>().is_err()) {
        return None;
    }
    let name = if domain == reference::DEFAULT_DOMAIN {
        match path.strip_prefix("library/") {
            Some(official) if !official.bytes().any(|b| b == b'/') => official,
            _ => path,
        }
    } else {
        // `domain/path`: the start of the reference.
        &rest[..domain.len() + 1 + path.len()]
    };
    Some((
        Cow::Borrowed(name),
        tag.map(Cow::Borrowed),
        digest.map(Cow::Borrowed),
    ))
}

/// `docker image ls [OPTIONS] [REPOSITORY[:TAG]]`
#[allow(
    clippy::too_many_lines,
    reason = "image ls: filters, sort and formats in docker/cli's order"
)]
pub(super) fn list(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if inv.args.len() > 1 {
        return Ok(usage_error(inv, "requires at most 1 argument"));
    }
    let mut dangling: Option<bool> = None;
    let mut patterns: Vec<String> = inv.args.clone();
    for f in inv.flags.values("filter") {
        let Some((key, value)) = f.split_once('=') else {
            return Ok(Outcome::error(
                "bad format of filter (expected name=value)\n".to_owned(),
                1,
            ));
        };
        match key {
            "dangling" => match value.to_ascii_lowercase().as_str() {
                "true" | "1" => dangling = Some(true),
                "false" | "0" => dangling = Some(dangling.unwrap_or(false)),
                _ => {
                    return Ok(Outcome::daemon_error(format!(
                        "Invalid filter 'dangling={value}'"
                    )))
                }
            },
            "reference" => patterns.push(value.to_owned()),
            "before" | "since" | "label" | "until" => {}
            _ => return Ok(Outcome::daemon_error(format!("invalid filter '{key}'"))),
        }
    }
    let filters = match Filters::parse(inv.flags.values("filter")) {
        Ok(f) => f,
        Err(e) => return Ok(Outcome::error(format!("{e}\n"), 1)),
    };
    // `before`/`since`: the oldest and the newest image named; `until`: an instant.
    let mut before: Option<Timestamp> = None;
    let mut since: Option<Timestamp> = None;
    for (key, bound) in [("before", &mut before), ("since", &mut since)] {
        for name in filters.values(key) {
            let id = match ctx.find_image(name) {
                Ok(id) => id,
                Err(e) => return Ok(Outcome::daemon_error(e.message())),
            };
            let Some(created) = parse_time(&ctx.state.images[&id].created) else {
                continue;
            };
            *bound = Some(match (*bound, key) {
                (Some(b), "before") => b.min(created),
                (Some(b), _) => b.max(created),
                (None, _) => created,
            });
        }
    }
    let until = match filters.until(ctx.now) {
        Ok(u) => u,
        Err(e) => return Ok(Outcome::daemon_error(e)),
    };
    let all = inv.flags.bool("all");
    let digests_flag = inv.flags.bool("digests");
    let trunc = !inv.flags.bool("no-trunc");
    let format_flag = inv.flags.value("format").unwrap_or("");
    let format = match format_flag {
        "" | "table" if inv.flags.bool("quiet") => "{{.ID}}".to_owned(),
        "" | "table" if digests_flag => DEFAULT_TABLE_DIGEST.to_owned(),
        "" | "table" => DEFAULT_TABLE.to_owned(),
        "json" => "{{json .}}".to_owned(),
        f => {
            let mut f = f.to_owned();
            if f.starts_with("table") && digests_flag && !f.contains("{{.Digest}}") {
                f.push_str("\t{{.Digest}}");
            }
            f
        }
    };
    let need_digest = digests_flag || format.contains("{{.Digest}}");

    let ctx: &Ctx<'_> = ctx;
    // The store's listing serves unless a filter reads configs or compares times.
    let listing =
        if before.is_none() && since.is_none() && until.is_none() && !filters.contains("label") {
            ctx.store.listing()
        } else {
            None
        };
    let mut all_refs: Vec<Cow<'_, str>> = Vec::new();
    let listed = listing
        .as_ref()
        .and_then(|(bytes, generation)| crate::store::listing::parse(bytes, *generation).ok())
        .and_then(|rows| entries_from_listing(ctx, rows, &mut all_refs));
    let entries = if let Some(entries) = listed {
        entries
    } else {
        all_refs.clear();
        entries_from_state(ctx, &mut all_refs)
    };
    // The images that have children (legacy builds): an untagged one is an intermediate image.
    let parents: std::collections::HashSet<&str> =
        entries.iter().filter_map(|e| e.parent).collect();
    // Per image, what its rows share; per row, the image's index and its own three cells, all
    // borrowed from the state.
    let mut images: Vec<ImageCols<'_>> = Vec::with_capacity(entries.len());
    let mut rows: Vec<Row<'_>> = Vec::with_capacity(all_refs.len() + 16);
    let mut tags: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    let mut digests: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    let (mut places, mut runs): (Vec<usize>, Vec<std::ops::Range<usize>>) =
        (Vec::new(), Vec::new());
    for Entry {
        id,
        created,
        size,
        refs,
        ..
    } in &entries
    {
        let (id, created, size) = (*id, *created, *size);
        if before.is_some() || since.is_some() || until.is_some() {
            let Some(created) = created else {
                continue;
            };
            if before.is_some_and(|b| created >= b)
                || since.is_some_and(|s| created <= s)
                || until.is_some_and(|u| created >= u)
            {
                continue;
            }
        }
        if filters.contains("label") {
            let Ok(digest) = id.parse::<Digest>() else {
                continue;
            };
            let labels = ctx.image_labels(&digest)?;
            if !filters.match_labels("label", &labels) {
                continue;
            }
        }
        tags.clear();
        digests.clear();
        for full in &all_refs[refs.clone()] {
            let full: &str = full;
            // A reference that does not parse matches no pattern and shows no row.
            let Some((name, tag, digest)) = split_stored(full).or_else(|| {
                Reference::parse(full).ok().map(|r| {
                    let own = |s: Option<&str>| s.map(|s| Cow::Owned(s.to_owned()));
                    let (t, d) = (own(r.tag()), own(r.digest()));
                    (Cow::Owned(r.familiar_name()), t, d)
                })
            }) else {
                continue;
            };
            if !patterns.is_empty() {
                let mut found = false;
                for pattern in &patterns {
                    match familiar_match_parts(pattern, &name, tag.as_deref(), digest.as_deref()) {
                        Ok(true) => {
                            found = true;
                            break;
                        }
                        Ok(false) => {}
                        Err(e) => return Ok(Outcome::daemon_error(e)),
                    }
                }
                if !found {
                    continue;
                }
            }
            match (tag, digest) {
                (_, Some(d)) => digests.push((name, d)),
                (Some(t), None) => tags.push((name, t)),
                (None, None) => {}
            }
        }
        let untagged = tags.is_empty() && digests.is_empty();
        if untagged {
            let has_children = parents.contains(id);
            if (has_children && !all) || !patterns.is_empty() || dangling == Some(false) {
                continue;
            }
        } else if dangling == Some(true) && !tags.is_empty() {
            continue;
        }
        if dangling == Some(false) && tags.is_empty() {
            continue;
        }
        let image = images.len();
        images.push(ImageCols {
            id: if trunc { truncate_id(id) } else { id },
            size,
            created,
        });
        let none = Cow::Borrowed("<none>");
        if untagged {
            rows.push(Row::new(image, &none, &none, &none));
            continue;
        }
        // Repositories in order of first appearance (Docker iterates a Go map: any order):
        // the references' places sorted by repository (then place), in runs of one repository,
        // the runs by their first place: a sort rather than comparing each reference with
        // every other, as an image may have hundreds of tags.
        let n_tags = tags.len();
        let repo_of = |at: usize| {
            if at < n_tags {
                &tags[at].0
            } else {
                &digests[at - n_tags].0
            }
        };
        places.clear();
        places.extend(0..n_tags + digests.len());
        if places.len() > 1 {
            places.sort_unstable_by(|&a, &b| repo_of(a).cmp(repo_of(b)).then(a.cmp(&b)));
        }
        runs.clear();
        runs.extend(
            places
                .chunk_by(|&a, &b| repo_of(a) == repo_of(b))
                .scan(0, |start, run| {
                    let range = *start..*start + run.len();
                    *start += run.len();
                    Some(range)
                }),
        );
        runs.sort_unstable_by_key(|run| places[run.start]);
        for run in &runs {
            let run = &places[run.clone()];
            let repo = repo_of(run[0]);
            let repo_tags = run.iter().filter(|&&at| at < n_tags).map(|&at| &tags[at].1);
            let repo_digests = run
                .iter()
                .filter(|&&at| at >= n_tags)
                .map(|&at| &digests[at - n_tags].1);
            let mut any_tag = false;
            for tag in repo_tags {
                any_tag = true;
                if !need_digest || repo_digests.clone().next().is_none() {
                    rows.push(Row::new(image, repo, tag, &none));
                } else {
                    for d in repo_digests.clone() {
                        rows.push(Row::new(image, repo, tag, d));
                    }
                }
            }
            if !any_tag {
                if digests_flag {
                    for d in repo_digests {
                        rows.push(Row::new(image, repo, &none, d));
                    }
                } else {
                    rows.push(Row::new(image, repo, &none, &Cow::Borrowed("")));
                }
            }
        }
    }
    let headers = json!({
        "Containers": "CONTAINERS", "CreatedAt": "CREATED AT", "CreatedSince": "CREATED",
        "Digest": "DIGEST", "ID": "IMAGE ID", "Repository": "REPOSITORY", "SharedSize": "SHARED SIZE",
        "Size": "SIZE", "Tag": "TAG", "UniqueSize": "UNIQUE SIZE", "VirtualSize": "VIRTUAL SIZE",
    });
    let mut out = match format.as_str() {
        DEFAULT_TABLE | DEFAULT_TABLE_DIGEST | "{{.ID}}" => {
            Outcome::ok(render_default(&format, &images, &rows, ctx.now))
        }
        _ => {
            // Any other format gets every field, through the template engine: one formatter
            // context whose strings are rewritten in place for each row (an image's own cells
            // only when the image changes).
            const FIELDS: [&str; 11] = [
                "Containers",
                "CreatedAt",
                "CreatedSince",
                "Digest",
                "ID",
                "Repository",
                "SharedSize",
                "Size",
                "Tag",
                "UniqueSize",
                "VirtualSize",
            ];
            let tz = local_time_zone();
            let mut context = GoValue::Context {
                type_name: "*formatter.imageContext".to_owned(),
                fields: FIELDS
                    .iter()
                    .map(|&k| {
                        let na = matches!(k, "Containers" | "SharedSize" | "UniqueSize");
                        let v = if na { "N/A" } else { "" };
                        (k.to_owned(), GoValue::String(v.to_owned()))
                    })
                    .collect(),
                marshal: None,
            };
            let read = fields_read(&format, &FIELDS);
            let mut next = rows.iter();
            let mut shown: Option<usize> = None;
            let fill = |value: &mut GoValue| -> bool {
                let Some(row) = next.next() else {
                    return false;
                };
                let GoValue::Context { fields, .. } = value else {
                    return false;
                };
                let mut set = |i: usize, write: &dyn Fn(&mut String)| {
                    if !read[i] {
                        return;
                    }
                    if let Some((_, GoValue::String(s))) = fields.get_mut(i) {
                        s.clear();
                        write(s);
                    }
                };
                set(3, &|s| s.push_str(&row.digest));
                set(5, &|s| s.push_str(&row.repo));
                set(8, &|s| s.push_str(&row.tag));
                if shown != Some(row.image) {
                    shown = Some(row.image);
                    let image = &images[row.image];
                    let size = image.size as f64;
                    set(1, &|s| {
                        if let Some(t) = image.created {
                            write_go_time(s, t, &tz);
                        }
                    });
                    set(2, &|s| {
                        if let Some(t) = image.created {
                            write_created_since(s, t, ctx.now);
                        }
                    });
                    set(4, &|s| s.push_str(image.id));
                    set(7, &|s| write_human_size(s, size, 3));
                    set(10, &|s| write_human_size(s, size, 4));
                }
                true
            };
            render_filled_as(
                &format,
                &headers,
                &mut context,
                fill,
                "template parsing error: ",
            )
        }
    };
    const HINTS: &[&str] = &[
        "build", "history", "import", "inspect", "list", "load", "ls", "prune", "pull", "push",
        "rm", "save", "tag",
    ];
    if rows.is_empty() && inv.display == "images" {
        if let Some(name) = inv.args.first().filter(|a| HINTS.contains(&a.as_str())) {
            out.stderr.push_str(&format!(
                "\nNo images found matching \"{name}\": did you mean \"docker image {name}\"?\n"
            ));
        }
    }
    Ok(out)
}

/// Which of `fields` a template can read: those it names, or all of them when it also uses the
/// context another way (`{{json .}}`, `{{.}}`, a `$` variable, `index .`), which only a `.` or
/// a `$` left once the names are taken out can do. The others need not be computed per row
/// (the times and sizes were most of `image ls --format` at 10,000 images).
fn fields_read<const N: usize>(format: &str, fields: &[&str; N]) -> [bool; N] {
    let mut rest = format.to_owned();
    let mut read = [false; N];
    for (r, name) in read.iter_mut().zip(fields) {
        let field = format!(".{name}");
        if rest.contains(&field) {
            *r = true;
            rest = rest.replace(&field, "");
        }
    }
    if rest.contains(['.', '$']) {
        return [true; N];
    }
    read
}

/// What the rows of one image in `image ls` share.
struct ImageCols<'s> {
    /// As shown: truncated unless `--no-trunc`.
    id: &'s str,
    size: u64,
    created: Option<jiff::Timestamp>,
}

/// An image as `image ls` reads it, from the state or from the store's listing.
#[derive(Clone)]
struct Entry<'s> {
    /// `sha256:` and its hex digits.
    id: &'s str,
    created: Option<Timestamp>,
    /// Its place among images created in the same second.
    seq: u64,
    size: u64,
    parent: Option<&'s str>,
    /// Where its references (full strings, in lexical order) are in the list of all.
    refs: std::ops::Range<usize>,
}

/// A reference's length and last eight bytes (a tag's end, a digest's last hex digits): what
/// tells most references apart, read without hashing the whole string.
fn quick_key(r: &str) -> u64 {
    let bytes = r.as_bytes();
    let tail = &bytes[bytes.len().saturating_sub(8)..];
    let mut word = [0u8; 8];
    word[..tail.len()].copy_from_slice(tail);
    u64::from_le_bytes(word) ^ (bytes.len() as u64).rotate_left(56)
}

/// A place among 16,384 bits for a [`quick_key`].
fn quick_bit(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 50) as usize
}

/// Every image in `image ls` order, read from the state, its references pushed onto `refs`.
fn entries_from_state<'s>(ctx: &'s Ctx<'_>, refs: &mut Vec<Cow<'s, str>>) -> Vec<Entry<'s>> {
    let index = RefIndex::new(&ctx.state);
    ctx.images_listed()
        .into_iter()
        .map(
            |Listed {
                 id,
                 record,
                 created,
             }| {
                let start = refs.len();
                refs.extend(index.of(id).map(Cow::Borrowed));
                Entry {
                    id: id.as_str(),
                    created,
                    seq: record.seq,
                    size: ctx.state.image_size(record),
                    parent: record.parent.as_ref().map(Digest::as_str),
                    refs: start..refs.len(),
                }
            },
        )
        .collect()
}

/// [`entries_from_state`] from the store's listing (`rows`, written with the state file) and the
/// records changed since (the journal's), without reading the images' and references' sections
/// whole; `None` when the state was read whole, so that the listing's generation no longer
/// tells what changed.
fn entries_from_listing<'s>(
    ctx: &'s Ctx<'_>,
    rows: crate::store::listing::Rows<'s>,
    refs: &mut Vec<Cow<'s, str>>,
) -> Option<Vec<Entry<'s>>> {
    use crate::store::listing::{lists_before, order_key};
    use std::collections::{BTreeMap, HashMap, HashSet};
    let images = ctx.state.images.changes()?;
    let named = ctx.state.refs.changes()?;
    // The references made, moved or removed since (hashed: each of the listing's references is
    // looked up), and those made or moved by image, in lexical order.
    let named_set: HashSet<&str, DigestHash> = named.keys().map(String::as_str).collect();
    // A bit per quick key (a Bloom filter of one hash): most of the listing's references are
    // told apart from the changed ones by one multiply and one bit, without hashing them.
    let mut named_bits = vec![0u64; 256];
    for name in named.keys() {
        let bit = quick_bit(quick_key(name));
        named_bits[bit / 64] |= 1 << (bit % 64);
    }
    let maybe_named = |r: &str| {
        let bit = quick_bit(quick_key(r));
        named_bits[bit / 64] & (1 << (bit % 64)) != 0
    };
    let mut added: HashMap<&str, Vec<&str>, DigestHash> = HashMap::default();
    for (name, target) in named {
        if let Some(id) = target {
            added.entry(id.as_str()).or_default().push(name);
        }
    }
    let push_refs =
        |refs: &mut Vec<Cow<'s, str>>, row: Option<&crate::store::listing::Row<'s>>, id: &str| {
            let start = refs.len();
            if let Some(row) = row {
                if named_set.is_empty() {
                    refs.extend(row.refs());
                } else {
                    refs.extend(
                        row.refs()
                            .filter(|r| !(maybe_named(r) && named_set.contains(r.as_ref()))),
                    );
                }
            }
            if let Some(more) = added.get(id) {
                refs.extend(more.iter().map(|&r| Cow::Borrowed(r)));
                refs[start..].sort_unstable();
            }
            start..refs.len()
        };
    let mut entries = Vec::with_capacity(rows.estimate() + images.len());
    // About two references an image (a tag and a digest): room that is not copied as it grows.
    refs.reserve(rows.estimate() * 2);
    let mut changed_rows: BTreeMap<&str, crate::store::listing::Row<'s>> = BTreeMap::new();
    let changed_ids: HashSet<&str, DigestHash> = images.keys().map(Digest::as_str).collect();
    for row in rows {
        // A damaged listing is not used: the caller reads the state.
        let row = row.ok()?;
        if !changed_ids.is_empty() && changed_ids.contains(row.id) {
            changed_rows.insert(row.id, row);
            continue;
        }
        entries.push(Entry {
            id: row.id,
            created: row.created,
            seq: row.seq,
            size: row.size,
            parent: row.parent,
            refs: push_refs(refs, Some(&row), row.id),
        });
    }
    if images.is_empty() {
        return Some(entries);
    }
    // The images changed since that are still there, each put in its place.
    let mut changed: Vec<Entry<'s>> = images
        .iter()
        .filter_map(|(id, record)| {
            let record = record.as_ref()?;
            let id = id.as_str();
            Some(Entry {
                id,
                created: parse_time(&record.created),
                seq: record.seq,
                size: ctx.state.image_size(record),
                parent: record.parent.as_ref().map(Digest::as_str),
                refs: push_refs(refs, changed_rows.get(id), id),
            })
        })
        .collect();
    let before = |a: &Entry<'_>, b: &Entry<'_>| {
        lists_before(
            order_key(a.created, a.seq),
            a.id,
            order_key(b.created, b.seq),
            b.id,
        )
    };
    changed.sort_by(|a, b| {
        if before(a, b) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
    // Merged in place from the back, in the room reserved above, rather than into a second
    // vector of 10,000 entries (a megabyte to fault in): the last place left goes to whichever
    // of the two lists' last entries lists after the other; where neither does, the listing's
    // entry comes first.
    let mut unmerged = entries.len();
    let mut place = unmerged + changed.len();
    entries.extend(changed.iter().cloned());
    while let Some(c) = changed.last() {
        place -= 1;
        if unmerged > 0 && before(c, &entries[unmerged - 1]) {
            unmerged -= 1;
            entries.swap(unmerged, place);
        } else if let Some(c) = changed.pop() {
            entries[place] = c;
        }
    }
    Some(entries)
}

/// One row of `image ls`: its image (an index into the [`ImageCols`]) and its own cells.
struct Row<'s> {
    image: usize,
    repo: Cow<'s, str>,
    tag: Cow<'s, str>,
    digest: Cow<'s, str>,
}

impl<'s> Row<'s> {
    fn new(image: usize, repo: &Cow<'s, str>, tag: &Cow<'s, str>, digest: &Cow<'s, str>) -> Self {
        Row {
            image,
            repo: repo.clone(),
            tag: tag.clone(),
            digest: digest.clone(),
        }
    }
}

/// `image ls` with its default formats (`table …`, with `--digests`, `-q`) written directly:
/// the same text as the template engine gives for them (a test compares the two), without
/// building a template context per row, which at 10,000 images was most of the command's time.
/// Each image's `CREATED` and `SIZE` are written once into one buffer, the columns measured,
/// then every line written padded into the output; text that is not plain ASCII goes through
/// the tab writer instead.
fn render_default(
    format: &str,
    images: &[ImageCols<'_>],
    rows: &[Row<'_>],
    now: jiff::Timestamp,
) -> String {
    if format == "{{.ID}}" {
        let mut text = String::with_capacity(rows.len() * 13);
        for row in rows {
            text.push_str(images[row.image].id);
            text.push('\n');
        }
        return text;
    }
    let digests = format == DEFAULT_TABLE_DIGEST;
    // Per image, the end of its `CREATED` and of its `SIZE` in `cells`.
    let mut cells = String::with_capacity(images.len() * 24);
    let mut ends: Vec<(usize, usize)> = Vec::with_capacity(images.len());
    for image in images {
        let start = cells.len();
        if let Some(t) = image.created {
            write_created_since(&mut cells, t, now);
        }
        if cells.len() == start {
            cells.push_str("N/A");
        }
        let since_end = cells.len();
        write_human_size(&mut cells, image.size as f64, 3);
        ends.push((since_end, cells.len()));
    }
    let cell = |image: usize| {
        let start = if image == 0 { 0 } else { ends[image - 1].1 };
        let (since_end, size_end) = ends[image];
        (&cells[start..since_end], &cells[since_end..size_end])
    };
    let header: &[&str] = if digests {
        &["REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE"]
    } else {
        &["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
    };
    // A row's cells, looked up again for each pass rather than kept: 10,000 rows of them were
    // a megabyte to fault in.
    let line = |at: usize| -> [&str; 6] {
        let row = &rows[at];
        let (since, size) = cell(row.image);
        let id = images[row.image].id;
        if digests {
            [&row.repo, &row.tag, &row.digest, id, since, size]
        } else {
            [&row.repo, &row.tag, id, since, size, ""]
        }
    };
    // Only a reference's parts can be other than plain ASCII: IDs, times and sizes are ours.
    let plain = |at: usize| {
        let row = &rows[at];
        plain_cell(&row.repo) && plain_cell(&row.tag) && plain_cell(&row.digest)
    };
    write_table(header, rows.len(), line, plain)
}

/// `docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]`
pub(super) fn tag(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if inv.args.len() != 2 {
        return Ok(usage_error(inv, "requires 2 arguments"));
    }
    let (source, target) = (&inv.args[0], &inv.args[1]);
    // The client checks both references before asking the daemon (docker/cli's ImageTag):
    // the source as any reference (a name or an ID), the target as a name without digest.
    if let Err(e) = Reference::parse_any(source) {
        return Ok(Outcome::error(
            format!("{}\n", reference::tag_parse_error(source, &e)),
            1,
        ));
    }
    let target_ref = match Reference::parse(target) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Outcome::error(
                format!("{}\n", reference::tag_parse_error(target, &e)),
                1,
            ))
        }
    };
    if target_ref.digest().is_some() {
        return Ok(Outcome::error(
            format!("{}\n", reference::TAG_WITH_DIGEST_ERROR),
            1,
        ));
    }
    let id = match ctx.find_image(source) {
        Ok(id) => id,
        Err(e) => return Ok(Outcome::daemon_error(e.message())),
    };
    // The daemon's reference store refuses a repository named after the digest algorithm:
    // `sha256:<hex>` would read as an image ID.
    if target_ref.familiar_name() == "sha256" {
        return Ok(Outcome::daemon_error(
            "refusing to create an ambiguous tag using digest algorithm as name",
        ));
    }
    let target_ref = target_ref.with_default_tag();
    ctx.state.refs.insert(target_ref.full_string(), id.clone());
    if let Some(image) = ctx.state.images.get_mut(&id) {
        image.last_tag_time = Some(rfc3339_nano(ctx.now));
    }
    ctx.touch();
    Ok(Outcome::default())
}

/// `docker history [OPTIONS] IMAGE`
pub(super) fn history(ctx: &mut Ctx<'_>, inv: &Invocation) -> Result<Outcome, StoreError> {
    if inv.args.len() != 1 {
        return Ok(usage_error(inv, "requires 1 argument"));
    }
    let id = match ctx.find_image(&inv.args[0]) {
        Ok(id) => id,
        Err(e) => return Ok(Outcome::daemon_error(e.message())),
    };
    let human = inv.flags.value("human").is_none_or(|v| v != "false");
    let trunc = !inv.flags.bool("no-trunc");
    let config = ctx.config(&id)?;
    let record = &ctx.state.images[&id];
    let mut entries = Vec::new();
    let mut layer = 0;
    for h in &config.history {
        let size = if h.empty_layer {
            0
        } else {
            let s = record
                .layers
                .get(layer)
                .and_then(|c| ctx.state.layers.get(c))
                .map_or(0, |l| l.size);
            layer += 1;
            s
        };
        entries.push((h, size));
    }
    entries.reverse();
    // The image's own ID on the top row, then its legacy-builder parents', then `<missing>`.
    let mut ids: Vec<String> = vec![id.to_string()];
    let mut parent = record.parent.clone();
    while let Some(p) = parent {
        ids.push(p.to_string());
        parent = ctx.state.images.get(&p).and_then(|r| r.parent.clone());
    }
    let tz = local_time_zone();
    let rows: Vec<Value> = entries
        .iter()
        .enumerate()
        .map(|(i, (h, size))| {
            let hid = ids
                .get(i)
                .cloned()
                .unwrap_or_else(|| "<missing>".to_owned());
            let created = h.created.as_deref().and_then(parse_time);
            let created_at = created
                .map(|t| {
                    t.to_zoned(tz.clone())
                        .strftime("%Y-%m-%dT%H:%M:%S%:z")
                        .to_string()
                        .replace("+00:00", "Z")
                })
                .unwrap_or_default();
            let since = if human {
                created.map_or_else(|| "N/A".to_owned(), |t| created_since(t, ctx.now))
            } else {
                created_at.clone()
            };
            let by = h.created_by.as_deref().unwrap_or("").replace('\t', " ");
            json!({
                "Comment": h.comment.as_deref().unwrap_or(""),
                "CreatedAt": created_at,
                "CreatedBy": if trunc { ellipsis(&by, 45) } else { by },
                "CreatedSince": since,
                "ID": if trunc { truncate_id(&hid).to_owned() } else { hid },
                "Size": if human { human_size(*size as i64) } else { size.to_string() },
            })
        })
        .collect();
    let format = match inv.flags.value("format").unwrap_or("") {
        "" | "table" if inv.flags.bool("quiet") => "{{.ID}}",
        "" | "table" if !human => {
            "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}"
        }
        "" | "table" => "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}",
        "json" => "{{json .}}",
        f => f,
    };
    let headers = json!({
        "Comment": "COMMENT", "CreatedAt": "CREATED AT", "CreatedBy": "CREATED BY",
        "CreatedSince": "CREATED", "ID": "IMAGE", "Size": "SIZE",
    });
    Ok(render_as(
        format,
        &headers,
        &rows,
        "*image.historyContext",
        "template parsing error: ",
    ))
}

/// The `docker image inspect` document of one image (Docker 28's field order).
pub(super) fn image_json(ctx: &Ctx<'_>, id: &Digest) -> Result<Value, StoreError> {
    let record = &ctx.state.images[id];
    let config = ctx.config(id)?;
    let (tags, digests) = ctx.familiar_refs(id);
    let comment = config
        .history
        .last()
        .and_then(|h| h.comment.clone())
        .unwrap_or_default();
    let mut cfg = serde_json::to_value(&config.config).expect("config serialises");
    if let Value::Object(m) = &mut cfg {
        if m.is_empty() {
            cfg = Value::Null;
        }
    }
    let layers: Vec<Value> = config
        .rootfs
        .diff_ids
        .iter()
        .map(|d| Value::String(d.to_string()))
        .collect();
    let top = record
        .layers
        .last()
        .map(|c| c.hex().to_owned())
        .unwrap_or_default();
    let mut graph = Map::new();
    let mut data = Map::new();
    // overlay2 names the layers below the top one; a single-layer image has none, and Docker
    // then leaves `LowerDir` out (seen on the test bed).
    let lower: Vec<String> = record
        .layers
        .iter()
        .rev()
        .skip(1)
        .map(|c| format!("/var/lib/docker/overlay2/{}/diff", c.hex()))
        .collect();
    if !lower.is_empty() {
        data.insert("LowerDir".to_owned(), json!(lower.join(":")));
    }
    for (key, dir) in [
        ("MergedDir", "merged"),
        ("UpperDir", "diff"),
        ("WorkDir", "work"),
    ] {
        data.insert(
            key.to_owned(),
            json!(format!("/var/lib/docker/overlay2/{top}/{dir}")),
        );
    }
    graph.insert("Data".to_owned(), Value::Object(data));
    graph.insert("Name".to_owned(), json!("overlay2"));
    Ok(json!({
        "Id": id.to_string(),
        "RepoTags": tags,
        "RepoDigests": digests,
        "Parent": record.parent.as_ref().map(ToString::to_string).unwrap_or_default(),
        "Comment": comment,
        "Created": config.created,
        "DockerVersion": "",
        "Author": "",
        "Config": cfg,
        "Architecture": config.architecture,
        "Os": config.os,
        "Size": ctx.state.image_size(record),
        "GraphDriver": Value::Object(graph),
        "RootFS": {"Type": "layers", "Layers": layers},
        "Metadata": {"LastTagTime": record.last_tag_time.clone().unwrap_or_else(|| "0001-01-01T00:00:00Z".to_owned())},
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_template_reads_the_fields_it_names_or_all() {
        let fields = ["CreatedAt", "ID", "Size", "SharedSize", "Tag"];
        let read = |f: &str| super::fields_read(f, &fields);
        assert_eq!(read("{{.ID}}:{{.Tag}}"), [false, true, false, false, true]);
        assert_eq!(read("{{.SharedSize}}"), [false, false, false, true, false]);
        assert_eq!(
            read("table {{.Size}}\t{{.Size}}"),
            [false, false, true, false, false]
        );
        for all in [
            "{{json .}}",
            "{{.}}",
            "{{.ID}} {{printf \"%v\" .}}",
            "{{with $x := .}}{{$x}}{{end}}",
            "{{.Size.Foo}}",
            "{{index . \"Size\"}}",
        ] {
            assert_eq!(read(all), [true; 5], "{all}");
        }
        assert_eq!(read("plain"), [false; 5]);
    }

    use super::super::render::render;
    use super::*;

    #[test]
    fn reference_filter_matches_like_docker() {
        let m = |p: &str, r: &str| familiar_match(p, r);
        assert_eq!(m("ngi*", "docker.io/library/nginx:latest"), Ok(true));
        assert_eq!(m("nginx:lat*", "docker.io/library/nginx:latest"), Ok(true));
        assert_eq!(m("ngi", "docker.io/library/nginx:latest"), Ok(false));
        assert_eq!(m("nginx", "docker.io/library/nginx:monblog_prod"), Ok(true));
        assert_eq!(m("*", "docker.io/user/app:1"), Ok(false));
        assert_eq!(m("*/*", "docker.io/user/app:1"), Ok(true));
        assert_eq!(m("[mn]ginx", "docker.io/library/nginx:1"), Ok(true));
        assert_eq!(m("nginx[", "docker.io/library/nginx:1"), Err(BadPattern));
        assert_eq!(m("[", "docker.io/library/nginx:1"), Err(BadPattern));
        assert_eq!(
            m(
                "app@sha256:*",
                &format!("docker.io/library/app@sha256:{}", "a".repeat(64))
            ),
            Ok(true)
        );
    }

    #[test]
    fn the_default_formats_written_directly_match_the_template_engine() {
        let record = |created: &'static str, size: u64| (created, size);
        let records = [
            record("2025-09-20T10:00:00Z", 187_654_321),
            record("", 0),
            record("0001-01-01T00:00:00Z", 999_999),
            record("2025-10-07T21:06:45.5+02:00", 1_005),
        ];
        let long_id = "sha256:".to_owned() + &"f".repeat(64);
        let ids = ["0123456789ab", &long_id, "abcdefabcdef", "0000000000aa"];
        let images: Vec<ImageCols<'_>> = records
            .iter()
            .zip(ids)
            .map(|(&(created, size), id)| ImageCols {
                id,
                size,
                created: parse_time(created),
            })
            .collect();
        let now: Timestamp = "2025-10-07T19:06:46Z".parse().expect("valid");
        let row = |image, repo: &'static str, tag: &'static str, digest: &'static str| Row {
            image,
            repo: repo.into(),
            tag: tag.into(),
            digest: digest.into(),
        };
        let rows = [
            row(0, "nginx", "latest", "<none>"),
            row(
                0,
                "a-very-long-registry.example:5000/some/repository",
                "1.27-alpine",
                "sha256:abc",
            ),
            row(1, "<none>", "<none>", "<none>"),
            row(2, "x", "<none>", ""),
            row(3, "y", "1", "<none>"),
        ];
        let headers = json!({"Digest": "DIGEST", "ID": "IMAGE ID", "Repository": "REPOSITORY",
                             "Size": "SIZE", "Tag": "TAG", "CreatedSince": "CREATED"});
        let json_rows = |rows: &[Row<'_>]| -> Vec<Value> {
            rows.iter()
                .map(|r| {
                    let image = &images[r.image];
                    let since = image
                        .created
                        .map(|t| created_since(t, now))
                        .unwrap_or_default();
                    let size = human_size(image.size as i64);
                    json!({"Repository": r.repo, "Tag": r.tag, "Digest": r.digest,
                           "ID": image.id, "CreatedSince": since, "Size": size})
                })
                .collect()
        };
        // The last row set is not plain ASCII: the tab writer aligns it.
        let mut accented = vec![row(0, "dépôt.example/é", "t", "<none>")];
        accented.extend(vec![row(1, "<none>", "<none>", "<none>")]);
        for rows in [&rows[..], &[], &accented[..]] {
            for format in [DEFAULT_TABLE, DEFAULT_TABLE_DIGEST, "{{.ID}}"] {
                assert_eq!(
                    render_default(format, &images, rows, now),
                    render(format, &headers, &json_rows(rows)).stdout,
                    "{format}"
                );
            }
        }
    }

    #[test]
    fn stored_references_split_as_the_parser_reads_them() {
        let h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        for full in [
            "docker.io/library/nginx:latest".to_owned(),
            "docker.io/library/nginx:1.27-alpine".to_owned(),
            "docker.io/user/app:v1".to_owned(),
            "docker.io/library/foo/bar:x".to_owned(),
            "docker.io/nginx:1".to_owned(),
            format!("docker.io/library/nginx@sha256:{h}"),
            format!("docker.io/library/nginx:1@sha256:{h}"),
            "localhost:5000/a/b:c".to_owned(),
            "localhost/x:y".to_owned(),
            "127.0.0.1:5000/library/alpine:3".to_owned(),
            "ghcr.io/o/r.e_p-o:T_ag.1".to_owned(),
            "registry.example.com/x__y/z:_t".to_owned(),
        ] {
            let r = Reference::parse(&full).expect("valid");
            let expected = (
                r.familiar_name(),
                r.tag().map(str::to_owned),
                r.digest().map(str::to_owned),
            );
            let split = split_stored(&full).map(|(n, t, d)| {
                let own = |c: Option<Cow<'_, str>>| c.map(Cow::into_owned);
                (n.into_owned(), own(t), own(d))
            });
            assert_eq!(split, Some(expected), "{full}");
            for pattern in [
                "*", "*/*", "nginx", "ngi*", "*:*", "*/*/*", "*@*", "[", "app*",
            ] {
                let parsed = path_match(pattern, &r.familiar_string())
                    .map(|m| m || path_match(pattern, &r.familiar_name()).unwrap_or(false));
                assert_eq!(familiar_match(pattern, &full), parsed, "{pattern} {full}");
            }
        }
        // Not in the stored form: left to the parser.
        for other in [
            "nginx:latest",
            "user/app:1",
            "library/nginx",
            "index.docker.io/x:y",
            "Docker.io/x:y",
        ] {
            assert_eq!(split_stored(other), None, "{other}");
        }
        // Malformed, wherever the odd byte is: refused, as the grammar refuses them.
        for bad in [
            "docker.io/library/nginx:1:2".to_owned(),
            "docker.io/library//nginx:1".to_owned(),
            "docker.io/library/nginx/:1".to_owned(),
            "docker.io/library/nginx:".to_owned(),
            "docker.io/:x".to_owned(),
            "docker.io/library/Nginx:1".to_owned(),
            "docker.io/library/-nginx:1".to_owned(),
            "local@host/x:y".to_owned(),
            "docker.io/library/nginx@sha256:zz".to_owned(),
            format!("docker.io/lib@rary/nginx@sha256:{h}"),
            format!("docker.io/library/nginx:a@b@sha256:{h}"),
            format!("docker.io/library/nginx@sha256:{}@", &h[1..]),
            format!("docker.io/library/nginx:{}", "t".repeat(129)),
        ] {
            assert!(Reference::parse(&bad).is_err(), "{bad}");
            assert_eq!(split_stored(&bad), None, "{bad}");
        }
    }
}
