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
    let mut shown = Shown::new(ShowOptions {
        patterns,
        all,
        dangling,
        trunc,
        digests: match (digests_flag, need_digest) {
            (true, _) => DigestRows::Listed,
            (false, true) => DigestRows::Shown,
            (false, false) => DigestRows::No,
        },
    });
    // The store's listing serves unless a filter reads configs or compares times.
    let by_listing =
        before.is_none() && since.is_none() && until.is_none() && !filters.contains("label");
    let listed = if by_listing {
        match shown.add_from_listing(ctx) {
            Ok(listed) => listed,
            Err(e) => return Ok(Outcome::daemon_error(e)),
        }
    } else {
        false
    };
    if !listed {
        shown.clear();
        let index = RefIndex::new(&ctx.state);
        let images = ctx.images_listed();
        // The images that have children (legacy builds): an untagged one is an intermediate
        // image.
        shown.parents.extend(
            images
                .iter()
                .filter_map(|l| l.record.parent.as_ref().map(|p| p.as_str().to_owned())),
        );
        for Listed {
            id,
            record,
            created,
        } in images
        {
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
                let labels = ctx.image_labels(id)?;
                if !filters.match_labels("label", &labels) {
                    continue;
                }
            }
            let size = ctx.state.image_size(record);
            let refs = index.of(id).map(Cow::Borrowed);
            if let Err(e) = shown.add(id.as_str(), created, size, refs) {
                return Ok(Outcome::daemon_error(e));
            }
        }
    }
    let order = shown.row_order();
    let headers = json!({
        "Containers": "CONTAINERS", "CreatedAt": "CREATED AT", "CreatedSince": "CREATED",
        "Digest": "DIGEST", "ID": "IMAGE ID", "Repository": "REPOSITORY", "SharedSize": "SHARED SIZE",
        "Size": "SIZE", "Tag": "TAG", "UniqueSize": "UNIQUE SIZE", "VirtualSize": "VIRTUAL SIZE",
    });
    let mut out = match format.as_str() {
        DEFAULT_TABLE | DEFAULT_TABLE_DIGEST | "{{.ID}}" => {
            Outcome::ok(render_default(&format, &shown, &order, ctx.now))
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
            let mut next = order.iter();
            let mut current: Option<u32> = None;
            let fill = |value: &mut GoValue| -> bool {
                let Some(row) = next.next().map(|&at| &shown.rows[at as usize]) else {
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
                set(3, &|s| s.push_str(shown.text(row.digest)));
                set(5, &|s| s.push_str(shown.text(row.repo)));
                set(8, &|s| s.push_str(shown.text(row.tag)));
                if current != Some(row.image) {
                    current = Some(row.image);
                    let image = &shown.images[row.image as usize];
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
                    set(4, &|s| s.push_str(shown.text(image.id)));
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
    if order.is_empty() && inv.display == "images" {
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

/// A cell's text: where it is in a [`Shown`]'s text.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    /// Its text in `text` (past 4 GiB of text a span is cut: empty rather than a panic).
    fn of(self, text: &str) -> &str {
        let start = self.start as usize;
        text.get(start..start.saturating_add(self.len as usize))
            .unwrap_or_default()
    }
}

/// `<none>`, which every [`Shown`]'s text starts with.
const NONE: Span = Span { start: 0, len: 6 };
/// An empty cell.
const EMPTY: Span = Span { start: 0, len: 0 };

/// The options of `image ls` that decide which images and rows are shown.
struct ShowOptions {
    /// `REPOSITORY[:TAG]` and `--filter reference=…`: a row's reference must match one.
    patterns: Vec<String>,
    /// `--all`: intermediate images too.
    all: bool,
    /// `--filter dangling=…`.
    dangling: Option<bool>,
    /// Image IDs cut to 12 digits (no `--no-trunc`).
    trunc: bool,
    digests: DigestRows,
}

/// Which rows an image's digests give.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DigestRows {
    /// None: a tag's row shows no digest.
    No,
    /// A format that shows `{{.Digest}}`: a row per tag and digest.
    Shown,
    /// `--digests`: that, and a repository with digests only shows them.
    Listed,
}

/// What `image ls` shows, kept small: every cell's text in one string, and the images and rows
/// as places in it. At 10,000 images, keeping the listing's 2.2 MB whole with vectors of every
/// image and reference borrowed from it was 6 MB of memory, whose page faults (~2 µs each on
/// the test machine) were a third of the command.
struct Shown {
    options: ShowOptions,
    text: String,
    /// In the order they were added (not always the order shown: see [`Shown::add_from_listing`]).
    images: Vec<ShownImage>,
    /// Each image's rows together, in the images' order.
    rows: Vec<ShownRow>,
    /// The parents of every image listed, shown or not: an untagged image that has children
    /// is an intermediate image (legacy builds), shown with `--all` only.
    parents: std::collections::HashSet<String>,
    /// Where the images of the journal's changes go among the listing's (see `add_from_listing`):
    /// (place among the others, image).
    placed: Vec<(usize, u32)>,
    // Per image, reused: its tags' and digests' (repository, tag or digest), its references'
    // places sorted by repository, and those places' runs of one repository.
    tags: Vec<(Span, Span)>,
    digests: Vec<(Span, Span)>,
    places: Vec<usize>,
    runs: Vec<std::ops::Range<usize>>,
}

struct ShownImage {
    /// As shown: 12 digits unless `--no-trunc`.
    id: Span,
    created: Option<Timestamp>,
    size: u64,
    /// Its first row in [`Shown::rows`] (its rows run to the next image's first).
    first_row: u32,
    /// An untagged image's whole ID, to check once every image's parent is known.
    untagged: Option<Span>,
}

struct ShownRow {
    /// Its image in [`Shown::images`].
    image: u32,
    repo: Span,
    tag: Span,
    digest: Span,
}

impl Shown {
    fn new(options: ShowOptions) -> Shown {
        Shown {
            options,
            text: "<none>".to_owned(),
            images: Vec::new(),
            rows: Vec::new(),
            parents: std::collections::HashSet::new(),
            placed: Vec::new(),
            tags: Vec::new(),
            digests: Vec::new(),
            places: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Forgets every image added.
    fn clear(&mut self) {
        self.text.truncate(NONE.len as usize);
        self.images.clear();
        self.rows.clear();
        self.parents.clear();
        self.placed.clear();
    }

    fn text(&self, span: Span) -> &str {
        span.of(&self.text)
    }

    fn push(&mut self, s: &str) -> Span {
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(s);
        Span {
            start,
            len: u32::try_from(s.len()).unwrap_or(u32::MAX),
        }
    }

    /// Adds an image and the rows its references `refs` (full strings, in lexical order) give,
    /// if the options show any; `Err`: a pattern that is not one.
    fn add<'r>(
        &mut self,
        id: &str,
        created: Option<Timestamp>,
        size: u64,
        refs: impl Iterator<Item = Cow<'r, str>>,
    ) -> Result<(), BadPattern> {
        let mark = self.text.len();
        self.tags.clear();
        self.digests.clear();
        // The repository last written, which the next reference usually shares
        // (`app:v1`, `app@sha256:…`).
        let mut last_repo: Option<Span> = None;
        for full in refs {
            let full: &str = &full;
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
            if !self.options.patterns.is_empty() {
                let mut found = false;
                for pattern in &self.options.patterns {
                    if familiar_match_parts(pattern, &name, tag.as_deref(), digest.as_deref())? {
                        found = true;
                        break;
                    }
                }
                if !found {
                    continue;
                }
            }
            if tag.is_none() && digest.is_none() {
                continue;
            }
            let repo = match last_repo {
                Some(span) if self.text(span) == name => span,
                _ => self.push(&name),
            };
            last_repo = Some(repo);
            match (tag, digest) {
                (_, Some(d)) => {
                    let d = if self.options.digests == DigestRows::No {
                        EMPTY
                    } else {
                        self.push(&d)
                    };
                    self.digests.push((repo, d));
                }
                (Some(t), None) => {
                    let t = self.push(&t);
                    self.tags.push((repo, t));
                }
                (None, None) => {}
            }
        }
        let ShowOptions {
            ref patterns,
            dangling,
            trunc,
            ..
        } = self.options;
        let untagged = self.tags.is_empty() && self.digests.is_empty();
        // (An untagged image with children is left out once they are known: `row_order`.)
        let hidden = if untagged {
            !patterns.is_empty() || dangling == Some(false)
        } else {
            // `dangling=true` keeps the images without a tag (digests only), `false` the others.
            dangling.is_some_and(|keep_untagged| keep_untagged != self.tags.is_empty())
        };
        if hidden {
            self.text.truncate(mark);
            return Ok(());
        }
        let image = u32::try_from(self.images.len()).unwrap_or(u32::MAX);
        let shown_id = self.push(if trunc { truncate_id(id) } else { id });
        let whole_id = match (untagged, trunc) {
            (false, _) => None,
            (true, true) => Some(self.push(id)),
            (true, false) => Some(shown_id),
        };
        self.images.push(ShownImage {
            id: shown_id,
            created,
            size,
            first_row: u32::try_from(self.rows.len()).unwrap_or(u32::MAX),
            untagged: whole_id,
        });
        if untagged {
            self.rows.push(ShownRow {
                image,
                repo: NONE,
                tag: NONE,
                digest: NONE,
            });
        } else {
            self.push_rows(image);
        }
        Ok(())
    }

    /// The rows of `image`, the last added, from its tags and digests.
    fn push_rows(&mut self, image: u32) {
        let row = |repo, tag, digest| ShownRow {
            image,
            repo,
            tag,
            digest,
        };
        let digest_rows = self.options.digests;
        let Shown {
            text,
            tags,
            digests,
            places,
            runs,
            rows,
            ..
        } = self;
        // Repositories in order of first appearance (Docker iterates a Go map: any order):
        // the references' places sorted by repository (then place), in runs of one repository,
        // the runs by their first place: a sort rather than comparing each reference with
        // every other, as an image may have hundreds of tags.
        let n_tags = tags.len();
        let repo_of = |at: usize| {
            if at < n_tags {
                tags[at].0
            } else {
                digests[at - n_tags].0
            }
        };
        let cell = |span: Span| span.of(text);
        places.clear();
        places.extend(0..n_tags + digests.len());
        if places.len() > 1 {
            places
                .sort_unstable_by(|&a, &b| cell(repo_of(a)).cmp(cell(repo_of(b))).then(a.cmp(&b)));
        }
        runs.clear();
        runs.extend(
            places
                .chunk_by(|&a, &b| cell(repo_of(a)) == cell(repo_of(b)))
                .scan(0, |start, run| {
                    let range = *start..*start + run.len();
                    *start += run.len();
                    Some(range)
                }),
        );
        runs.sort_unstable_by_key(|run| places[run.start]);
        for run in runs.iter() {
            let run = &places[run.clone()];
            let repo = repo_of(run[0]);
            let repo_tags = run.iter().filter(|&&at| at < n_tags).map(|&at| tags[at].1);
            let repo_digests = run
                .iter()
                .filter(|&&at| at >= n_tags)
                .map(|&at| digests[at - n_tags].1);
            let mut any_tag = false;
            for tag in repo_tags {
                any_tag = true;
                if digest_rows == DigestRows::No || repo_digests.clone().next().is_none() {
                    rows.push(row(repo, tag, NONE));
                } else {
                    rows.extend(repo_digests.clone().map(|d| row(repo, tag, d)));
                }
            }
            if !any_tag {
                if digest_rows == DigestRows::Listed {
                    rows.extend(repo_digests.map(|d| row(repo, NONE, d)));
                } else {
                    rows.push(row(repo, NONE, EMPTY));
                }
            }
        }
    }

    /// Adds every image from the store's listing (written with the state file) and the records
    /// changed since (the journal's), without reading the images' and references' sections
    /// whole. `Ok(false)` when it cannot serve (none, damaged, or the state was read whole, so
    /// that the listing's generation no longer tells what changed): nothing is kept, the
    /// caller reads the state.
    fn add_from_listing(&mut self, ctx: &Ctx<'_>) -> Result<bool, BadPattern> {
        use crate::store::listing::{self, lists_before, order_key};
        use std::collections::{HashMap, HashSet};
        let (Some((file, len, generation)), Some(images), Some(named)) = (
            ctx.store.listing(),
            ctx.state.images.changes(),
            ctx.state.refs.changes(),
        ) else {
            return Ok(false);
        };
        // The references made, moved or removed since (hashed: each of the listing's
        // references is looked up), and those made or moved by image.
        let named_set: HashSet<&str, DigestHash> = named.keys().map(String::as_str).collect();
        // A bit per quick key (a Bloom filter of one hash): most of the listing's references
        // are told apart from the changed ones by one multiply and one bit, without hashing.
        let mut named_bits = vec![0u64; 256];
        for name in named.keys() {
            let bit = quick_bit(quick_key(name));
            named_bits[bit / 64] |= 1 << (bit % 64);
        }
        let unchanged = |r: &Cow<'_, str>| {
            let bit = quick_bit(quick_key(r));
            named_bits[bit / 64] & (1 << (bit % 64)) == 0 || !named_set.contains(r.as_ref())
        };
        let mut added: HashMap<&str, Vec<&str>, DigestHash> = HashMap::default();
        for (name, target) in named {
            if let Some(id) = target {
                added.entry(id.as_str()).or_default().push(name);
            }
        }
        // An image's references: the listing's still there and those added, in lexical order.
        let refs_of = |listed: &mut dyn Iterator<Item = Cow<'_, str>>, id: &str| {
            let mut refs: Vec<String> = listed.filter(&unchanged).map(Cow::into_owned).collect();
            if let Some(more) = added.get(id) {
                refs.extend(more.iter().map(|&r| r.to_owned()));
                refs.sort_unstable();
            }
            refs
        };
        // The images changed since that are still there, in `image ls` order: each goes before
        // the first of the listing's that lists after it.
        let mut changed: Vec<_> = images
            .iter()
            .filter_map(|(id, record)| {
                let record = record.as_ref()?;
                let created = parse_time(&record.created);
                Some((id.as_str(), record, created, order_key(created, record.seq)))
            })
            .collect();
        changed.sort_by(|a, b| {
            if lists_before(a.3, a.0, b.3, b.0) {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Greater
            }
        });
        let changed_ids: HashSet<&str, DigestHash> = images.keys().map(Digest::as_str).collect();
        // The listing's references of the changed images, kept until those are added.
        let mut changed_refs: HashMap<String, Vec<String>> = HashMap::new();
        let mut places = Vec::with_capacity(changed.len());
        let mut error = None;
        let read = listing::read(file, len, generation, |row| {
            if error.is_some() {
                return;
            }
            if !changed_ids.is_empty() && changed_ids.contains(row.id) {
                changed_refs.insert(row.id.to_owned(), row.refs().map(Cow::into_owned).collect());
                return;
            }
            let key = order_key(row.created, row.seq);
            while changed
                .get(places.len())
                .is_some_and(|c| lists_before(c.3, c.0, key, row.id))
            {
                places.push(self.images.len());
            }
            if let Some(parent) = row.parent {
                self.parents.insert(parent.to_owned());
            }
            let added_here = added.contains_key(row.id);
            let result = if named_set.is_empty() {
                self.add(row.id, row.created, row.size, row.refs())
            } else if !added_here {
                self.add(row.id, row.created, row.size, row.refs().filter(&unchanged))
            } else {
                let refs = refs_of(&mut row.refs(), row.id);
                self.add(
                    row.id,
                    row.created,
                    row.size,
                    refs.into_iter().map(Cow::Owned),
                )
            };
            error = result.err();
        });
        if let Some(e) = error {
            return Err(e);
        }
        if read.is_err() {
            self.clear();
            return Ok(false);
        }
        places.resize(changed.len(), self.images.len());
        for ((id, record, created, _), place) in changed.into_iter().zip(places) {
            if let Some(parent) = &record.parent {
                self.parents.insert(parent.as_str().to_owned());
            }
            let listed = changed_refs.remove(id).unwrap_or_default();
            let refs = refs_of(&mut listed.into_iter().map(Cow::Owned), id);
            let image = self.images.len();
            self.add(
                id,
                created,
                ctx.state.image_size(record),
                refs.into_iter().map(Cow::Owned),
            )?;
            if self.images.len() > image {
                self.placed
                    .push((place, u32::try_from(image).unwrap_or(u32::MAX)));
            }
        }
        Ok(true)
    }

    /// The rows shown, in order: each image's, the images in `image ls` order (those of
    /// `placed` at their places), untagged images with children left out without `--all`.
    fn row_order(&self) -> Vec<u32> {
        let first_placed = self
            .placed
            .first()
            .map_or(self.images.len(), |&(_, image)| image as usize);
        let mut order = Vec::with_capacity(self.rows.len());
        let mut push_image = |image: usize| {
            let shown = &self.images[image];
            if let Some(whole) = shown.untagged {
                if !self.options.all && self.parents.contains(self.text(whole)) {
                    return;
                }
            }
            let end = self
                .images
                .get(image + 1)
                .map_or(self.rows.len(), |next| next.first_row as usize);
            order.extend(shown.first_row..u32::try_from(end).unwrap_or(u32::MAX));
        };
        let mut placed = self.placed.iter().peekable();
        for image in 0..first_placed {
            while let Some(&(_, p)) = placed.next_if(|&&(place, _)| place <= image) {
                push_image(p as usize);
            }
            push_image(image);
        }
        for &(_, p) in placed {
            push_image(p as usize);
        }
        order
    }
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

/// `image ls` with its default formats (`table …`, with `--digests`, `-q`) written directly:
/// the same text as the template engine gives for them (a test compares the two), without
/// building a template context per row, which at 10,000 images was most of the command's time.
/// Each image's `CREATED` and `SIZE` are written once into one buffer, the columns measured,
/// then every line written padded into the output; text that is not plain ASCII goes through
/// the tab writer instead.
fn render_default(format: &str, shown: &Shown, order: &[u32], now: jiff::Timestamp) -> String {
    let row = |at: usize| &shown.rows[order[at] as usize];
    if format == "{{.ID}}" {
        let mut text = String::with_capacity(order.len() * 13);
        for at in 0..order.len() {
            text.push_str(shown.text(shown.images[row(at).image as usize].id));
            text.push('\n');
        }
        return text;
    }
    let digests = format == DEFAULT_TABLE_DIGEST;
    // Per image, the end of its `CREATED` and of its `SIZE` in `cells`.
    let mut cells = String::with_capacity(shown.images.len() * 24);
    let mut ends: Vec<(u32, u32)> = Vec::with_capacity(shown.images.len());
    let at = |cells: &String| u32::try_from(cells.len()).unwrap_or(u32::MAX);
    for image in &shown.images {
        let start = cells.len();
        if let Some(t) = image.created {
            write_created_since(&mut cells, t, now);
        }
        if cells.len() == start {
            cells.push_str("N/A");
        }
        let since_end = at(&cells);
        write_human_size(&mut cells, image.size as f64, 3);
        ends.push((since_end, at(&cells)));
    }
    let cell = |image: u32| {
        let image = image as usize;
        let start = if image == 0 {
            0
        } else {
            ends[image - 1].1 as usize
        };
        let (since_end, size_end) = (ends[image].0 as usize, ends[image].1 as usize);
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
        let row = row(at);
        let (since, size) = cell(row.image);
        let id = shown.text(shown.images[row.image as usize].id);
        let (repo, tag) = (shown.text(row.repo), shown.text(row.tag));
        if digests {
            [repo, tag, shown.text(row.digest), id, since, size]
        } else {
            [repo, tag, id, since, size, ""]
        }
    };
    // Only a reference's parts can be other than plain ASCII: IDs, times and sizes are ours.
    let plain = |at: usize| {
        let row = row(at);
        [row.repo, row.tag, row.digest]
            .iter()
            .all(|&span| plain_cell(shown.text(span)))
    };
    write_table(header, order.len(), line, plain)
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
        let now: Timestamp = "2025-10-07T19:06:46Z".parse().expect("valid");
        // The images above and `rows` (image, repository, tag, digest) as `image ls` keeps them.
        let shown_of = |rows: &[(u32, &str, &str, &str)]| {
            let mut shown = Shown::new(ShowOptions {
                patterns: Vec::new(),
                all: false,
                dangling: None,
                trunc: true,
                digests: DigestRows::Listed,
            });
            for (image, (&(created, size), id)) in records.iter().zip(ids).enumerate() {
                let id = shown.push(id);
                let first_row = rows.iter().take_while(|r| (r.0 as usize) < image).count();
                shown.images.push(ShownImage {
                    id,
                    created: parse_time(created),
                    size,
                    first_row: u32::try_from(first_row).expect("few"),
                    untagged: None,
                });
            }
            for &(image, repo, tag, digest) in rows {
                let (repo, tag, digest) = (shown.push(repo), shown.push(tag), shown.push(digest));
                shown.rows.push(ShownRow {
                    image,
                    repo,
                    tag,
                    digest,
                });
            }
            shown
        };
        let rows = [
            (0, "nginx", "latest", "<none>"),
            (
                0,
                "a-very-long-registry.example:5000/some/repository",
                "1.27-alpine",
                "sha256:abc",
            ),
            (1, "<none>", "<none>", "<none>"),
            (2, "x", "<none>", ""),
            (3, "y", "1", "<none>"),
        ];
        let headers = json!({"Digest": "DIGEST", "ID": "IMAGE ID", "Repository": "REPOSITORY",
                             "Size": "SIZE", "Tag": "TAG", "CreatedSince": "CREATED"});
        let json_rows = |rows: &[(u32, &str, &str, &str)]| -> Vec<Value> {
            rows.iter()
                .map(|&(image, repo, tag, digest)| {
                    let (created, size) = records[image as usize];
                    let since = parse_time(created)
                        .map(|t| created_since(t, now))
                        .unwrap_or_default();
                    let size = human_size(size as i64);
                    let id = ids[image as usize];
                    json!({"Repository": repo, "Tag": tag, "Digest": digest,
                           "ID": id, "CreatedSince": since, "Size": size})
                })
                .collect()
        };
        // The last row set is not plain ASCII: the tab writer aligns it.
        let accented = [
            (0, "dépôt.example/é", "t", "<none>"),
            (1, "<none>", "<none>", "<none>"),
        ];
        for rows in [&rows[..], &[], &accented[..]] {
            let shown = shown_of(rows);
            let order: Vec<u32> = (0..u32::try_from(rows.len()).expect("few")).collect();
            for format in [DEFAULT_TABLE, DEFAULT_TABLE_DIGEST, "{{.ID}}"] {
                assert_eq!(
                    render_default(format, &shown, &order, now),
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
