//! The state file's line format (version 2): one record per line, fields separated by one space,
//! digests as their 64 hex digits. Loading 10,000 images takes a few milliseconds where the JSON
//! of version 1 took ~45: no JSON parsing, no allocation per digest, maps built from sorted lines.
//!
//! ```text
//! docklab-state 2
//! seq <n>
//! i <id> <seq> <created> <manifest|-> <manifest size> <parent|-> <last tag time: -|+text> <chain>…
//! r <id> <reference>
//! l <chain> <diff id> <parent|-> <size>
//! c <container as JSON>
//! b <id> <kind> <size> <created> <last used> <usage count> <layer|-> <shared 0|1> <in use 0|1> <key> <description>
//! end
//! ```
//!
//! The `end` line is last: a file cut short at a line boundary is refused, not half read.
//!
//! Images, references and layers are written in their maps' order, so reading builds each map
//! from already sorted entries. Free text (times, references) escapes `%`, space, CR and LF as
//! `%25`, `%20`, `%0D`, `%0A`; a record's last field (a reference, a cache description) keeps
//! its spaces, as it runs to the end of the line.

use std::collections::BTreeMap;
use std::io::Write as _;

use std::fs::File;
use std::os::unix::fs::FileExt as _;

use super::lazy::{Lazy, Records as SmallRecords};
use super::table::{Record, Section, Table};
use super::{CacheRecord, ContainerRecord, Digest, ImageRecord, InvalidDigest, LayerRecord, State};

/// The first line of a version 2 state file.
pub(super) const HEADER: &str = "docklab-state 2";

/// The state as the lines above (version 2: what an older docklab wrote; tests write it to
/// check that it is still read).
#[cfg(test)]
pub(super) fn encode(state: &State) -> Vec<u8> {
    // Writing to a Vec cannot fail.
    let mut out = Vec::with_capacity(64 + state.images.len() * 400 + state.layers.len() * 220);
    let _ = write!(out, "{HEADER}\nseq {}\n", state.seq);
    images_into(&mut out, &state.images, None);
    refs_into(&mut out, &state.refs);
    layers_into(&mut out, &state.layers);
    containers_into(&mut out, &state.containers);
    cache_into(&mut out, &state.build_cache);
    out.extend_from_slice(b"end\n");
    out
}

/// Image records; with `size` (version 3), each image's size after its ID.
fn images_into(
    out: &mut Vec<u8>,
    images: &BTreeMap<Digest, ImageRecord>,
    size: Option<&dyn Fn(&ImageRecord) -> u64>,
) {
    for (id, image) in images {
        image_line(out, id, image, size.map(|size| size(image)));
    }
}

/// One image's line; with `size` (version 3), the image's size after its ID.
pub(super) fn image_line(out: &mut Vec<u8>, id: &Digest, image: &ImageRecord, size: Option<u64>) {
    out.extend_from_slice(b"i ");
    out.extend_from_slice(id.hex_bytes());
    if let Some(size) = size {
        out.push(b' ');
        push_number(out, size);
    }
    out.push(b' ');
    push_number(out, image.seq);
    out.push(b' ');
    escape_into(out, &image.created);
    out.push(b' ');
    push_digest(out, image.manifest.as_ref());
    out.push(b' ');
    push_number(out, image.manifest_size);
    out.push(b' ');
    push_digest(out, image.parent.as_ref());
    out.push(b' ');
    match &image.last_tag_time {
        None => out.push(b'-'),
        Some(t) => {
            out.push(b'+');
            escape_into(out, t);
        }
    }
    for chain in &image.layers {
        out.push(b' ');
        out.extend_from_slice(chain.hex_bytes());
    }
    out.push(b'\n');
}

fn refs_into(out: &mut Vec<u8>, refs: &BTreeMap<String, Digest>) {
    for (name, id) in refs {
        ref_line(out, name, id);
    }
}

/// One reference's line.
pub(super) fn ref_line(out: &mut Vec<u8>, name: &str, id: &Digest) {
    out.extend_from_slice(b"r ");
    out.extend_from_slice(id.hex_bytes());
    out.push(b' ');
    escape_last_into(out, name);
    out.push(b'\n');
}

fn layers_into(out: &mut Vec<u8>, layers: &BTreeMap<Digest, LayerRecord>) {
    for (chain, layer) in layers {
        layer_line(out, chain, layer);
    }
}

/// One layer's line.
pub(super) fn layer_line(out: &mut Vec<u8>, chain: &Digest, layer: &LayerRecord) {
    out.extend_from_slice(b"l ");
    out.extend_from_slice(chain.hex_bytes());
    out.push(b' ');
    out.extend_from_slice(layer.diff_id.hex_bytes());
    out.push(b' ');
    push_digest(out, layer.parent.as_ref());
    out.push(b' ');
    push_number(out, layer.size);
    out.push(b'\n');
}

pub(super) fn containers_into(out: &mut Vec<u8>, containers: &[ContainerRecord]) {
    for c in containers {
        out.extend_from_slice(b"c ");
        serde_json::to_writer(&mut *out, c).expect("a container always serialises");
        out.push(b'\n');
    }
}

pub(super) fn cache_into(out: &mut Vec<u8>, cache: &[CacheRecord]) {
    // One per build step ever cached: as lines, not JSON (which was 70% of loading a store
    // built by 1,000 `docker build`s).
    for b in cache {
        out.extend_from_slice(b"b ");
        for text in [&b.id, &b.kind] {
            escape_into(out, text);
            out.push(b' ');
        }
        let _ = write!(out, "{} ", b.size);
        for text in [&b.created, &b.last_used] {
            escape_into(out, text);
            out.push(b' ');
        }
        let _ = write!(out, "{} ", b.usage_count);
        push_digest(out, b.layer.as_ref());
        let _ = write!(out, " {} {} ", u8::from(b.shared), u8::from(b.in_use));
        escape_into(out, &b.key);
        out.push(b' ');
        escape_last_into(out, &b.description);
        out.push(b'\n');
    }
}

/// The first line of a version 3 state file.
pub(super) const HEADER_V3: &str = "docklab-state 3";

/// The first line of a version 4 state file.
pub(super) const HEADER_V4: &str = "docklab-state 4";

/// The sections of a version 3 or 4 file, in their order.
const SECTIONS: usize = 5;

/// The `sections` line: where each section starts (byte offset and line number) and where the
/// `end` line is, in fixed-width fields so that its length is known before the offsets.
const SECTION_FIELD: usize = 12 + 1 + 10;
const SECTIONS_LINE_LEN: usize = "sections".len() + (SECTIONS + 1) * (1 + SECTION_FIELD) + 1;

/// The state in version 4: version 2's lines, in sections (images, references, layers,
/// containers, build cache) whose places a header line gives, so that a command can read one
/// record without reading the file whole ([`super::table`]). A section that was never read
/// since it was loaded is copied as it is. Version 3 is the same without the `generation` line,
/// which ties the file to the journal of the changes made since it was written
/// ([`super::journal`]).
///
/// ```text
/// docklab-state 4
/// seq <n>
/// index <the sha256 of the OCI index's manifest list this state makes, 64 hex digits>
/// generation <n>
/// sections <offset>:<line> ×5 <offset of end>:<line>
/// i <id> <size> … (the rest as in version 2; sorted by ID)
/// r … (sorted by reference)
/// l … (sorted by chain ID)
/// c …
/// b …
/// end
/// ```
pub(super) fn encode_v4(state: &State, index: &Digest, generation: u64) -> Result<Vec<u8>, String> {
    encode_sections(state, index, Some(generation))
}

/// The state in version 3 (what an earlier docklab wrote; tests write it to check that it is
/// still read and migrated).
#[cfg(test)]
pub(super) fn encode_v3(state: &State, index: &Digest) -> Result<Vec<u8>, String> {
    encode_sections(state, index, None)
}

/// Version 4 with a generation, version 3 without.
fn encode_sections(
    state: &State,
    index: &Digest,
    generation: Option<u64>,
) -> Result<Vec<u8>, String> {
    // A section not read since the file was loaded is copied as it is; the others are written
    // from their records, with room for typical ones so that the buffer does not grow (and copy)
    // as it fills.
    let section = |unread: Option<&Section>, write: &dyn Fn(&mut Vec<u8>)| {
        if let Some(s) = unread {
            return s.bytes();
        }
        let mut out = Vec::new();
        write(&mut out);
        Ok(out)
    };
    let sections: [Vec<u8>; SECTIONS] = [
        section(state.images.unread_section(), &|out| {
            out.reserve(state.images.len() * 330);
            images_into(
                out,
                &state.images,
                Some(&|image: &ImageRecord| state.image_size(image)),
            );
        })?,
        section(state.refs.unread_section(), &|out| {
            out.reserve(state.refs.len() * 110);
            refs_into(out, &state.refs);
        })?,
        section(state.layers.unread_section(), &|out| {
            out.reserve(state.layers.len() * 210);
            layers_into(out, &state.layers);
        })?,
        section(state.containers.unread_section(), &|out| {
            containers_into(out, &state.containers);
        })?,
        section(state.build_cache.unread_section(), &|out| {
            cache_into(out, &state.build_cache);
        })?,
    ];
    let head = match generation {
        Some(generation) => format!(
            "{HEADER_V4}\nseq {}\nindex {}\ngeneration {generation}\n",
            state.seq,
            index.hex()
        ),
        None => format!("{HEADER_V3}\nseq {}\nindex {}\n", state.seq, index.hex()),
    };
    let header_len = head.len() + SECTIONS_LINE_LEN;
    let total: usize = sections.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(header_len + total + 4);
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(b"sections");
    let (mut offset, mut line) = (header_len, if generation.is_some() { 6 } else { 5 });
    for section in &sections {
        let _ = write!(out, " {offset:012}:{line:010}");
        offset += section.len();
        line += newlines(section);
    }
    let _ = writeln!(out, " {offset:012}:{line:010}");
    debug_assert_eq!(out.len(), header_len);
    for section in &sections {
        out.extend_from_slice(section);
    }
    out.extend_from_slice(b"end\n");
    Ok(out)
}

/// How many lines end in `bytes`.
#[allow(
    clippy::naive_bytecount,
    reason = "counted once per save and on errors: not worth the bytecount crate"
)]
pub(super) fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// What the header of a version 3 or 4 file says besides the sections.
pub(super) struct Head {
    /// The digest of the index's manifest list that the state makes.
    pub index: Digest,
    /// The file's generation (version 4; 0 for version 3), which its journal names.
    pub generation: u64,
    /// The file's length in bytes.
    pub len: u64,
}

/// Reads a version 3 or 4 file's header and its small sections (containers, build cache); the
/// images, references and layers stay on disk, read on demand ([`Table`]).
pub(super) fn decode_v3(file: File) -> Result<(State, Head), String> {
    let len = file
        .metadata()
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    let mut head = vec![0; usize::try_from(len.min(512)).unwrap_or(512)];
    file.read_exact_at(&mut head, 0)
        .map_err(|e| format!("cannot read it: {e}"))?;
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.split_inclusive('\n');
    let v4 = match lines.next() {
        Some("docklab-state 3\n") => false,
        Some("docklab-state 4\n") => true,
        _ => return Err(format!("the first line is not {HEADER_V4:?}")),
    };
    let seq_line = lines.next().unwrap_or_default();
    let seq = seq_line
        .strip_prefix("seq ")
        .and_then(|s| s.strip_suffix('\n'))
        .ok_or("line 2: not the `seq` line")?;
    let seq = number(seq).map_err(|e| format!("line 2: {e}"))?;
    let index_line = lines.next().unwrap_or_default();
    let index = index_line
        .strip_prefix("index ")
        .and_then(|s| s.strip_suffix('\n'))
        .ok_or("line 3: not the `index` line")?;
    let index = digest(index).map_err(|e| format!("line 3: {e}"))?;
    let mut head_len = HEADER_V4.len() + 1 + seq_line.len() + index_line.len();
    let generation = if v4 {
        let line = lines.next().unwrap_or_default();
        head_len += line.len();
        let generation = line
            .strip_prefix("generation ")
            .and_then(|s| s.strip_suffix('\n'))
            .ok_or("line 4: not the `generation` line")?;
        number(generation).map_err(|e| format!("line 4: {e}"))?
    } else {
        0
    };
    let sections_at = if v4 { 5 } else { 4 };
    let sections_line = lines.next().unwrap_or_default();
    let bad = || format!("line {sections_at}: a damaged `sections` line");
    if sections_line.len() != SECTIONS_LINE_LEN || !sections_line.ends_with('\n') {
        return Err(bad());
    }
    let mut places = Vec::with_capacity(SECTIONS + 1);
    for field in sections_line
        .trim_end()
        .strip_prefix("sections ")
        .ok_or_else(bad)?
        .split(' ')
    {
        let (offset, line) = field.split_once(':').ok_or_else(bad)?;
        let offset: u64 = offset.parse().map_err(|_| bad())?;
        let line: usize = line.parse().map_err(|_| bad())?;
        places.push((offset, line));
    }
    let header_len = (head_len + SECTIONS_LINE_LEN) as u64;
    let (end, _) = places.last().copied().ok_or_else(bad)?;
    if places.len() != SECTIONS + 1
        || places[0] != (header_len, sections_at + 1)
        || places
            .windows(2)
            .any(|w| w[0].0 > w[1].0 || w[0].1 > w[1].1)
        || end + 4 != len
    {
        return Err(format!(
            "line {sections_at}: the sections it lists do not fit the file ({len} bytes): cut short or edited"
        ));
    }
    let mut tail = [0; 4];
    file.read_exact_at(&mut tail, end)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if &tail != b"end\n" {
        return Err("the file does not end with its `end` line (cut short)".to_owned());
    }
    let file = std::rc::Rc::new(file);
    let error = std::rc::Rc::default();
    let section = |n: usize| Section {
        file: std::rc::Rc::clone(&file),
        start: places[n].0,
        end: places[n + 1].0,
        first_line: places[n].1,
        error: std::rc::Rc::clone(&error),
    };
    let mut state = State::new();
    state.seq = seq;
    state.containers = Lazy::on_disk(section(3));
    state.build_cache = Lazy::on_disk(section(4));
    state.images = Table::on_disk(section(0));
    state.refs = Table::on_disk(section(1));
    state.layers = Table::on_disk(section(2));
    Ok((
        state,
        Head {
            index,
            generation,
            len,
        },
    ))
}

/// The start of a line: its kind and the space after it.
fn strip_kind<'a>(line: &'a str, kind: &str) -> Result<&'a str, String> {
    line.strip_prefix(kind)
        .and_then(|l| l.strip_prefix(' '))
        .ok_or_else(|| format!("a record other than {kind:?} in its section"))
}

/// The 64 hex digits after the kind as a digest.
fn key_digest(line: &str, kind: &str) -> Result<Digest, String> {
    let rest = strip_kind(line, kind)?;
    match rest.as_bytes().get(64) {
        Some(b' ' | b'\n') => digest(&rest[..64]),
        _ => Err(format!("a damaged {kind:?} record")),
    }
}

/// The records of `kind` in `text` (whole lines, the first one line `first_line`), read by one
/// cursor over them all, as version 2's reader does.
fn parse_run<'a, K, V>(
    text: &'a str,
    first_line: usize,
    out: &mut Vec<(K, V)>,
    kind: &str,
    one: impl Fn(&mut Fields<'a>) -> Result<(K, V), String>,
) -> Result<usize, String> {
    let mut fields = Fields { rest: text };
    let mut n = 0;
    while !fields.rest.is_empty() {
        let line = first_line + n;
        match fields
            .rest
            .strip_prefix(kind)
            .and_then(|r| r.strip_prefix(' '))
        {
            Some(rest) => fields.rest = rest,
            None => {
                return Err(format!(
                    "line {line}: a record other than {kind:?} in its section"
                ))
            }
        }
        out.push(one(&mut fields).map_err(|e| format!("line {line}: {e}"))?);
        n += 1;
    }
    Ok(n)
}

impl Record for ImageRecord {
    type Key = Digest;
    fn key(line: &str) -> Result<Digest, String> {
        key_digest(line, "i")
    }
    fn parse(line: &str) -> Result<(Digest, ImageRecord), String> {
        Fields {
            rest: strip_kind(line, "i")?,
        }
        .image_v3()
    }
    fn parse_all(
        text: &str,
        first_line: usize,
        out: &mut Vec<(Digest, ImageRecord)>,
    ) -> Result<usize, String> {
        parse_run(text, first_line, out, "i", Fields::image_v3)
    }
}

impl Record for LayerRecord {
    type Key = Digest;
    fn key(line: &str) -> Result<Digest, String> {
        key_digest(line, "l")
    }
    fn parse(line: &str) -> Result<(Digest, LayerRecord), String> {
        Fields {
            rest: strip_kind(line, "l")?,
        }
        .layer()
    }
    fn parse_all(
        text: &str,
        first_line: usize,
        out: &mut Vec<(Digest, LayerRecord)>,
    ) -> Result<usize, String> {
        parse_run(text, first_line, out, "l", Fields::layer)
    }
}

/// A reference's record: the image ID it names, keyed by the reference.
impl Record for Digest {
    type Key = String;
    fn key(line: &str) -> Result<String, String> {
        let rest = strip_kind(line, "r")?;
        let name = rest
            .get(65..)
            .ok_or_else(|| "a damaged \"r\" record".to_owned())?;
        unescape(name.strip_suffix('\n').unwrap_or(name))
    }
    fn parse(line: &str) -> Result<(String, Digest), String> {
        Fields {
            rest: strip_kind(line, "r")?,
        }
        .reference()
    }
    fn parse_all(
        text: &str,
        first_line: usize,
        out: &mut Vec<(String, Digest)>,
    ) -> Result<usize, String> {
        parse_run(text, first_line, out, "r", Fields::reference)
    }
}

/// Reads the lines back; the error says which line is wrong and why.
#[cfg(test)]
pub(super) fn decode(bytes: &[u8]) -> Result<State, String> {
    decode_from(bytes)
}

/// [`decode`] from a reader, a block of whole lines at a time: the file is never in memory whole
/// (6 MB at 10,000 images, and as many page faults to fill).
pub(super) fn decode_from(mut reader: impl std::io::BufRead) -> Result<State, String> {
    let mut records = Records {
        state: State::new(),
        images: Vec::new(),
        refs: Vec::new(),
        layers: Vec::new(),
        line: 0,
        ended: false,
    };
    // The start of a line that continues in the next block.
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let data = reader
            .fill_buf()
            .map_err(|e| format!("cannot read it: {e}"))?;
        if data.is_empty() {
            break;
        }
        let len = data.len();
        let Some(last) = data.iter().rposition(|&b| b == b'\n') else {
            pending.extend_from_slice(data);
            reader.consume(len);
            continue;
        };
        let mut whole = &data[..=last];
        if !pending.is_empty() {
            let first = whole
                .iter()
                .position(|&b| b == b'\n')
                .expect("the block has a newline");
            pending.extend_from_slice(&whole[..=first]);
            records.block(&pending)?;
            pending.clear();
            whole = &whole[first + 1..];
        }
        records.block(whole)?;
        pending.extend_from_slice(&data[last + 1..]);
        reader.consume(len);
    }
    if !pending.is_empty() {
        // Every record ends with a newline: a file cut short is refused, not half read (the
        // atomic rename makes that impossible, but the check costs nothing).
        return Err(format!(
            "line {}: the last line is cut short",
            records.line + 1
        ));
    }
    if records.line == 0 {
        return Err(format!("the first line is not {HEADER:?}"));
    }
    if !records.ended {
        return Err(format!(
            "line {}: the file ends before its `end` line (cut short)",
            records.line + 1
        ));
    }
    let Records {
        mut state,
        images,
        refs,
        layers,
        ..
    } = records;
    state.images = sorted_map(images)
        .map_err(|d| format!("image {d} appears twice"))?
        .into();
    state.refs = sorted_map(refs)
        .map_err(|r| format!("reference {r} appears twice"))?
        .into();
    state.layers = sorted_map(layers)
        .map_err(|d| format!("layer {d} appears twice"))?
        .into();
    Ok(state)
}

/// The containers and cache records of `text` (whole `c` and `b` lines, the first of them line
/// `first_line` of its file), in their order.
pub(super) fn small_records(
    text: &str,
    first_line: usize,
) -> Result<(Vec<ContainerRecord>, Vec<CacheRecord>), String> {
    let mut records = Records {
        state: State::new(),
        images: Vec::new(),
        refs: Vec::new(),
        layers: Vec::new(),
        line: first_line - 1,
        ended: false,
    };
    records.block(text.as_bytes())?;
    if !records.images.is_empty() || !records.refs.is_empty() || !records.layers.is_empty() {
        return Err(format!(
            "line {first_line}: an image, reference or layer among the containers and cache records"
        ));
    }
    if records.ended {
        return Err(format!(
            "line {first_line}: an `end` line among the containers"
        ));
    }
    Ok((
        std::mem::take(&mut *records.state.containers),
        std::mem::take(&mut *records.state.build_cache),
    ))
}

impl SmallRecords for ContainerRecord {
    fn parse_section(text: &str, first_line: usize) -> Result<Vec<ContainerRecord>, String> {
        match small_records(text, first_line)? {
            (containers, cache) if cache.is_empty() => Ok(containers),
            _ => Err(format!(
                "line {first_line}: a cache record among the containers"
            )),
        }
    }
}

impl SmallRecords for CacheRecord {
    fn parse_section(text: &str, first_line: usize) -> Result<Vec<CacheRecord>, String> {
        match small_records(text, first_line)? {
            (containers, cache) if containers.is_empty() => Ok(cache),
            _ => Err(format!(
                "line {first_line}: a container among the cache records"
            )),
        }
    }
}

/// What the records read so far make, and how many lines that was.
struct Records {
    state: State,
    images: Vec<(Digest, ImageRecord)>,
    refs: Vec<(String, Digest)>,
    layers: Vec<(Digest, LayerRecord)>,
    line: usize,
    /// Whether the `end` line was read.
    ended: bool,
}

impl Records {
    /// Whole lines, each ending with a newline.
    fn block(&mut self, bytes: &[u8]) -> Result<(), String> {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
        let mut line = Fields { rest: text };
        if self.line == 0 {
            match line.rest_of_line() {
                HEADER => self.line = 1,
                _ => return Err(format!("the first line is not {HEADER:?}")),
            }
        }
        while !line.rest.is_empty() {
            self.line += 1;
            let n = self.line;
            let at = |message: String| format!("line {n}: {message}");
            if self.ended {
                return Err(at("a record after the `end` line".to_owned()));
            }
            let state = &mut self.state;
            match line.word() {
                ("end", b'\n' | 0) => self.ended = true,
                ("seq", b' ') => state.seq = number(line.word_at_end().map_err(at)?).map_err(at)?,
                ("i", b' ') => self.images.push(line.image().map_err(at)?),
                ("r", b' ') => {
                    let id = line.digest().map_err(at)?;
                    self.refs
                        .push((unescape(line.rest_of_line()).map_err(at)?, id));
                }
                ("l", b' ') => self.layers.push(line.layer().map_err(at)?),
                ("c", b' ') => state.containers.push(
                    serde_json::from_str(line.rest_of_line()).map_err(|e| at(e.to_string()))?,
                ),
                // Early builds of version 2 wrote cache records as JSON: still read.
                ("b", b' ') if line.rest.starts_with('{') => state.build_cache.push(
                    serde_json::from_str(line.rest_of_line()).map_err(|e| at(e.to_string()))?,
                ),
                ("b", b' ') => state.build_cache.push(line.cache().map_err(at)?),
                (kind, _) => return Err(at(format!("unknown record {kind:?}"))),
            }
        }
        Ok(())
    }
}

/// A cursor over the records: fields end with a space, records with a newline. Scans bytes by
/// hand and takes digests by their fixed length, which is several times faster than splitting.
struct Fields<'a> {
    rest: &'a str,
}

#[allow(
    clippy::inline_always,
    reason = "each record goes through these a dozen times: inlined, no result is copied between them (with them inlined `image ls` at 10,000 images ran 6% fewer instructions)"
)]
impl<'a> Fields<'a> {
    /// The next field and the byte that ended it (`b' '`, `b'\n'`; 0 at the end of the text).
    #[inline(always)]
    fn word(&mut self) -> (&'a str, u8) {
        let bytes = self.rest.as_bytes();
        let end = find2(bytes, b' ', b'\n').unwrap_or(bytes.len());
        let word = &self.rest[..end];
        let sep = bytes.get(end).copied().unwrap_or(0);
        self.rest = &self.rest[(end + 1).min(bytes.len())..];
        (word, sep)
    }

    /// A field that must be a record's last one.
    fn word_at_end(&mut self) -> Result<&'a str, String> {
        match self.word() {
            (w, b'\n') => Ok(w),
            (w, _) => Err(format!("unexpected field after {w:?}")),
        }
    }

    /// A field that must not be a record's last one.
    #[inline(always)]
    fn word_inside(&mut self, what: &str) -> Result<&'a str, String> {
        match self.word() {
            (w, b' ') => Ok(w),
            _ => Err(format!("the record ends before its {what}")),
        }
    }

    /// A digest's 64 hex digits; the separator after it is consumed and returned.
    #[inline(always)]
    fn digest_then(&mut self) -> Result<(Digest, u8), String> {
        let bytes = self.rest.as_bytes();
        if let Some(&sep @ (b' ' | b'\n')) = bytes.get(64) {
            let d = digest(&self.rest[..64])?;
            self.rest = &self.rest[65..];
            return Ok((d, sep));
        }
        let (word, _) = self.word();
        Err(InvalidDigest(format!("sha256:{word}")).to_string())
    }

    /// A digest followed by more fields.
    #[inline(always)]
    fn digest(&mut self) -> Result<Digest, String> {
        match self.digest_then()? {
            (d, b' ') => Ok(d),
            _ => Err("the record ends too early".to_owned()),
        }
    }

    #[inline(always)]
    fn optional_digest(&mut self) -> Result<Option<Digest>, String> {
        if let Some(rest) = self.rest.strip_prefix("- ") {
            self.rest = rest;
            return Ok(None);
        }
        self.digest().map(Some)
    }

    /// The rest of the record, newline consumed.
    fn rest_of_line(&mut self) -> &'a str {
        match find2(self.rest.as_bytes(), b'\n', b'\n') {
            Some(end) => {
                let line = &self.rest[..end];
                self.rest = &self.rest[end + 1..];
                line
            }
            None => std::mem::take(&mut self.rest),
        }
    }

    /// A version 2 image record.
    fn image(&mut self) -> Result<(Digest, ImageRecord), String> {
        let id = self.digest()?;
        self.image_fields(id, None)
    }

    /// A version 3 image record: version 2's with the image's size after its ID.
    fn image_v3(&mut self) -> Result<(Digest, ImageRecord), String> {
        let id = self.digest()?;
        let size = number(self.word_inside("size")?)?;
        self.image_fields(id, Some(size))
    }

    fn image_fields(
        &mut self,
        id: Digest,
        size: Option<u64>,
    ) -> Result<(Digest, ImageRecord), String> {
        let seq = number(self.word_inside("seq")?)?;
        let created = unescape(self.word_inside("created time")?)?;
        let manifest = self.optional_digest()?;
        let manifest_size = number(self.word_inside("manifest size")?)?;
        let parent = self.optional_digest()?;
        let (last_tag, mut sep) = self.word();
        let last_tag_time = match last_tag {
            "-" => None,
            t => Some(unescape(
                t.strip_prefix('+')
                    .ok_or_else(|| format!("bad last tag time {t:?}"))?,
            )?),
        };
        // As many as there are (each a space and 64 hex digits): 10,000 images' vectors of
        // room for 4 were 700 kB more to fault in than vectors of 3.
        let bytes = self.rest.as_bytes();
        let count = if sep == b' ' {
            (0..=bytes.len() / 65)
                .find(|i| bytes.get(65 * i + 64) != Some(&b' '))
                .map_or(0, |i| i + 1)
        } else {
            0
        };
        let mut layers = Vec::with_capacity(count);
        while sep == b' ' {
            let (chain, next) = self.digest_then()?;
            layers.push(chain);
            sep = next;
        }
        if sep != b'\n' {
            return Err("the record ends too early".to_owned());
        }
        Ok((
            id,
            ImageRecord {
                created,
                layers,
                manifest,
                manifest_size,
                parent,
                last_tag_time,
                seq,
                size,
            },
        ))
    }

    fn cache(&mut self) -> Result<CacheRecord, String> {
        let id = unescape(self.word_inside("ID")?)?;
        let kind = unescape(self.word_inside("type")?)?;
        let size = number(self.word_inside("size")?)?;
        let created = unescape(self.word_inside("created time")?)?;
        let last_used = unescape(self.word_inside("last use")?)?;
        let usage_count = number(self.word_inside("usage count")?)?;
        let layer = self.optional_digest()?;
        let mut flag = |what: &str| match self.word_inside(what)? {
            "0" => Ok(false),
            "1" => Ok(true),
            other => Err(format!("bad {what} {other:?}")),
        };
        let shared = flag("shared flag")?;
        let in_use = flag("in-use flag")?;
        let key = unescape(self.word_inside("key")?)?;
        let description = unescape(self.rest_of_line())?;
        Ok(CacheRecord {
            id,
            key,
            kind,
            description,
            size,
            created,
            last_used,
            usage_count,
            layer,
            shared,
            in_use,
        })
    }

    fn reference(&mut self) -> Result<(String, Digest), String> {
        let id = self.digest()?;
        // One scan finds the end of the line and whether it has escapes (references rarely do).
        let bytes = self.rest.as_bytes();
        if let Some(end) = find2(bytes, b'\n', b'%').filter(|&end| bytes[end] == b'\n') {
            let name = self.rest[..end].to_owned();
            self.rest = &self.rest[end + 1..];
            return Ok((name, id));
        }
        Ok((unescape(self.rest_of_line())?, id))
    }

    fn layer(&mut self) -> Result<(Digest, LayerRecord), String> {
        let chain = self.digest()?;
        let diff_id = self.digest()?;
        let parent = self.optional_digest()?;
        let size = number(self.word_at_end()?)?;
        Ok((
            chain,
            LayerRecord {
                diff_id,
                parent,
                size,
            },
        ))
    }
}

/// A map from entries that should already be in order (checked: the map's own order is what
/// the file promises); a repeated key is an error, not silently dropped.
pub(super) fn sorted_map<K: Ord + Clone, V>(entries: Vec<(K, V)>) -> Result<BTreeMap<K, V>, K> {
    if let Some(w) = entries.windows(2).find(|w| w[0].0 >= w[1].0) {
        if w[0].0 == w[1].0 {
            return Err(w[0].0.clone());
        }
        // Out of order (a hand-edited file): sort, then look for repeats again.
        let mut entries = entries;
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(w[0].0.clone());
        }
        return Ok(entries.into_iter().collect());
    }
    Ok(entries.into_iter().collect())
}

#[allow(clippy::inline_always, reason = "as for `Fields`' methods")]
#[inline(always)]
pub(super) fn digest(hex: &str) -> Result<Digest, String> {
    Digest::from_hex(hex).map_err(|e| e.to_string())
}

#[allow(clippy::inline_always, reason = "as for `Fields`' methods")]
#[inline(always)]
pub(super) fn number(field: &str) -> Result<u64, String> {
    field.parse().map_err(|_| format!("bad number {field:?}"))
}

/// A number in decimal, as `write!` would put it, without the formatting machinery (a state
/// of 10,000 images has 60,000 of them).
pub(super) fn push_number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(crate::decimal::digits(n, &mut [0; 20]).as_bytes());
}

fn push_digest(out: &mut Vec<u8>, d: Option<&Digest>) {
    match d {
        None => out.push(b'-'),
        Some(d) => out.extend_from_slice(d.hex_bytes()),
    }
}

pub(super) fn escape_into(out: &mut Vec<u8>, s: &str) {
    escape_bytes(out, s, |b| matches!(b, b'%' | b' ' | b'\n' | b'\r'));
}

/// A record's last field runs to the end of the line: spaces stay as they are (descriptions
/// have many), so that reading it rarely needs to unescape anything.
pub(super) fn escape_last_into(out: &mut Vec<u8>, s: &str) {
    escape_bytes(out, s, |b| matches!(b, b'%' | b'\n' | b'\r'));
}

/// Copies `s`, writing the bytes `special` picks as `%XX`; runs between them go in one copy.
fn escape_bytes(out: &mut Vec<u8>, s: &str, special: impl Fn(u8) -> bool) {
    let mut rest = s.as_bytes();
    while let Some(i) = rest.iter().position(|&b| special(b)) {
        out.extend_from_slice(&rest[..i]);
        let _ = write!(out, "%{:02X}", rest[i]);
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
}

/// Eight copies of a byte.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// Where the first byte equal to `a` or to `b` is, looking at eight bytes at a time: the fields,
/// times and references read are 1 to 100 bytes long, and a loop over single bytes was a third
/// of reading them.
#[inline]
pub(super) fn find2(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    const LOW: u64 = splat(1);
    const HIGH: u64 = splat(0x80);
    let (a8, b8) = (splat(a), splat(b));
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let (xa, xb) = (word ^ a8, word ^ b8);
        // A byte that is zero in `xa` or `xb` gets its high bit set; the borrow may set bits
        // above the first such byte too, so only the lowest counts.
        let found = ((xa.wrapping_sub(LOW) & !xa) | (xb.wrapping_sub(LOW) & !xb)) & HIGH;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&c| c == a || c == b)
        .map(|p| at + p)
}

/// Undoes the escapes above (any `%XX` of those four bytes).
pub(super) fn unescape(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let Some(first) = find2(bytes, b'%', b'%') else {
        return Ok(s.to_owned());
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        out.push(match bytes.get(i + 1..i + 3) {
            Some(b"25") => b'%',
            Some(b"20") => b' ',
            Some(b"0A") => b'\n',
            Some(b"0D") => b'\r',
            _ => return Err(format!("bad escape in {s:?}")),
        });
        i += 3;
    }
    String::from_utf8(out).map_err(|_| format!("bad escape in {s:?}"))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::{ContainerRecord, ContainerStatus};

    fn d(s: &str) -> Digest {
        Digest::of(s.as_bytes())
    }

    pub(in crate::store) fn sample() -> State {
        let mut state = State::new();
        state.seq = 42;
        for (i, name) in ["a", "b", "c"].iter().enumerate() {
            state.images.insert(
                d(name),
                ImageRecord {
                    created: format!("2025-01-0{}T00:00:00Z", i + 1),
                    layers: vec![d("l0"), d(&format!("l{name}"))],
                    manifest: (i == 0).then(|| d("m")),
                    manifest_size: if i == 0 { 123 } else { 0 },
                    parent: (i == 2).then(|| d("a")),
                    // Free text that needs every escape.
                    last_tag_time: (i == 1).then(|| "odd % time\nwith\r spaces - ".to_owned()),
                    seq: i as u64 + 1,
                    size: None,
                },
            );
        }
        // An image without layers and with an empty created time.
        state.images.insert(
            d("empty"),
            ImageRecord {
                created: String::new(),
                layers: vec![],
                manifest: None,
                manifest_size: 0,
                parent: None,
                last_tag_time: Some(String::new()),
                seq: 0,
                size: None,
            },
        );
        state
            .refs
            .insert("docker.io/library/nginx:latest".into(), d("a"));
        state.refs.insert("localhost:5000/x y:%z".into(), d("b"));
        state.layers.insert(
            d("l0"),
            LayerRecord {
                diff_id: d("diff0"),
                parent: None,
                size: 5,
            },
        );
        state.layers.insert(
            d("la"),
            LayerRecord {
                diff_id: d("diffa"),
                parent: Some(d("l0")),
                size: u64::MAX,
            },
        );
        state.containers.push(ContainerRecord {
            id: "f".repeat(64),
            name: "web\nname".into(),
            image: d("a"),
            top_layer: Some(d("la")),
            image_name: "nginx".into(),
            entrypoint: vec!["/docker-entrypoint.sh".into()],
            cmd: vec!["nginx".into(), "-g".into(), "daemon off;".into()],
            created: "2025-01-01T00:00:00Z".into(),
            status: ContainerStatus::Running,
            started_at: None,
            finished_at: None,
            exit_code: 0,
            ports: vec!["8080:80".into()],
            env: vec![],
            tty: false,
            interactive: false,
            auto_remove: false,
            network: None,
        });
        state.build_cache.push(CacheRecord {
            id: "abc".into(),
            key: "k".into(),
            kind: "regular".into(),
            description: "COPY . /".into(),
            size: 7,
            created: "t".into(),
            last_used: "t".into(),
            usage_count: 1,
            layer: None,
            shared: false,
            in_use: false,
        });
        state.build_cache.push(CacheRecord {
            id: String::new(),
            key: "parent sha256:x\nRUN echo 100% done".into(),
            kind: "source.local".into(),
            description: "[internal] load build context".into(),
            size: u64::MAX,
            created: "2025-01-01T00:00:00Z".into(),
            last_used: "-".into(),
            usage_count: 0,
            layer: Some(d("la")),
            shared: true,
            in_use: true,
        });
        state
    }

    #[test]
    fn the_state_round_trips() {
        let state = sample();
        let bytes = encode(&state);
        assert_eq!(decode(&bytes).expect("decodes"), state);
        // Lines cut across the reader's blocks, whatever the block size.
        for capacity in [1, 7, 64, 300] {
            let reader = std::io::BufReader::with_capacity(capacity, &bytes[..]);
            assert_eq!(decode_from(reader).expect("decodes"), state, "{capacity}");
        }
        assert_eq!(decode(&encode(&State::new())).expect("empty"), State::new());
    }

    #[test]
    fn damaged_files_are_refused_with_the_line() {
        let good = String::from_utf8(encode(&sample())).expect("utf-8");
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "first line"),
            ("docklab-state 3\n".into(), "first line"),
            (good.trim_end().to_owned(), "cut short"),
            (good.replace("\nl ", "\nl zz"), "invalid digest"),
            (good.replacen("\ni ", "\nx ", 1), "unknown record"),
            (good.replacen("%0A", "%0B", 1), "bad escape"),
            (good.replace("end\n", "seq x\nend\n"), "bad number"),
            (
                {
                    let line = good.lines().find(|l| l.starts_with("r ")).expect("a ref");
                    good.replace("end\n", &format!("{line}\nend\n"))
                },
                "appears twice",
            ),
            // Cut at a line boundary: the end line is missing.
            (good.replace("end\n", ""), "before its `end` line"),
            (format!("{good}seq 1\n"), "after the `end` line"),
        ];
        for (text, wanted) in cases {
            let err = decode(text.as_bytes()).expect_err(wanted);
            assert!(err.contains(wanted), "{err:?} lacks {wanted:?}");
        }
    }

    #[test]
    fn find2_finds_the_first_of_either_byte() {
        // Every length around the eight-byte steps, the bytes at every place, and bytes just
        // above and below them (which a borrow between bytes could mistake for them).
        for len in 0usize..40 {
            for at in 0..len {
                for other in [None, Some(at + 1), Some(len.saturating_sub(1))] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = b'%';
                    if let Some(o) = other.filter(|&o| o < len) {
                        bytes[o] = b'\n';
                    }
                    for (i, b) in bytes.iter_mut().enumerate() {
                        if *b == b'x' {
                            *b = [b'$', b'&', b'\t', b'\x0b', 0, 0xff, b'a'][i % 7];
                        }
                    }
                    let naive = bytes.iter().position(|&c| c == b'%' || c == b'\n');
                    assert_eq!(find2(&bytes, b'%', b'\n'), naive, "{bytes:?}");
                    assert_eq!(find2(&bytes, b'\n', b'%'), naive, "{bytes:?}");
                }
            }
            assert_eq!(find2(&vec![b'a'; len], b'%', b'\n'), None);
        }
    }

    #[test]
    fn lines_out_of_order_are_sorted() {
        let good = String::from_utf8(encode(&sample())).expect("utf-8");
        let mut lines: Vec<&str> = good.lines().collect();
        let records = lines.len() - 1;
        lines[2..records].reverse();
        let text = lines.join("\n") + "\n";
        // Maps come back in order; lists (build cache) in the file's order.
        let mut expected = sample();
        expected.build_cache.reverse();
        assert_eq!(decode(text.as_bytes()).expect("decodes"), expected);
    }
}
