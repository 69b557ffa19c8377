//! A map of the state that a command may read without reading it whole: a [`Table`] loaded from
//! a version 3 state file keeps only where its records lie in the file, finds the few records a
//! command asks for by binary search on disk (the records are sorted by key), and reads the
//! whole section only when a command iterates or changes it.
//!
//! Reading is transparent: a `Table` dereferences to the `BTreeMap` it stands for, reading the
//! section whole on the first use that needs it; `get`, `contains_key` and indexing by key look
//! single records up without that. A section found damaged on the way leaves its error in the
//! state ([`super::State::load_error`]), which the caller checks before it trusts what the command
//! computed, and which keeps the state from being saved.

use std::borrow::Borrow;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::os::unix::fs::FileExt as _;
use std::rc::Rc;

/// How a section's records are read: the key of a line, and a whole line.
pub trait Record: Sized {
    type Key: Ord + Clone;
    /// The record's key from its line (with its newline).
    fn key(line: &str) -> Result<Self::Key, String>;
    /// The whole record from its line (with its newline).
    fn parse(line: &str) -> Result<(Self::Key, Self), String>;
    /// Every record of `text` (whole lines, the first of them line `first_line` of the file),
    /// appended to `out`; says how many lines that was.
    fn parse_all(
        text: &str,
        first_line: usize,
        out: &mut Vec<(Self::Key, Self)>,
    ) -> Result<usize, String> {
        let mut n = 0;
        for record in text.split_inclusive('\n') {
            out.push(Self::parse(record).map_err(|e| format!("line {}: {e}", first_line + n))?);
            n += 1;
        }
        Ok(n)
    }
}

/// Where one section of a state file lies, and where its errors go.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub file: Rc<File>,
    /// Byte range of the section's lines.
    pub start: u64,
    pub end: u64,
    /// The file's line number of the section's first line.
    pub first_line: usize,
    /// The first error met while reading any section of the state.
    pub error: Rc<RefCell<Option<String>>>,
}

impl Section {
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        let mut buf = vec![0; usize::try_from(end - start).map_err(|e| e.to_string())?];
        self.file
            .read_exact_at(&mut buf, start)
            .map_err(|e| format!("cannot read it: {e}"))?;
        Ok(buf)
    }

    /// The bytes of `start..end` into `buf`, whose room is kept from one read to the next (a
    /// fresh buffer per block is zeroed first: as much work again as reading it).
    fn read_into(&self, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<(), String> {
        buf.resize(usize::try_from(end - start).map_err(|e| e.to_string())?, 0);
        self.file
            .read_exact_at(buf, start)
            .map_err(|e| format!("cannot read it: {e}"))
    }

    /// The section's bytes.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        self.read(self.start, self.end)
    }

    /// The file's line number of the line that starts at byte `at` of the section.
    fn line_at(&self, at: u64) -> usize {
        self.read(self.start, at).map_or(self.first_line, |b| {
            self.first_line + super::format::newlines(&b)
        })
    }

    pub(crate) fn fail(&self, message: String) {
        let mut error = self.error.borrow_mut();
        if error.is_none() {
            *error = Some(message);
        }
    }

    /// Every record of the section, in order. Read a block of whole lines at a time, never
    /// whole: a section of megabytes costs as many page faults to fill.
    fn read_all<V: Record>(&self) -> Result<BTreeMap<V::Key, V>, String> {
        const BLOCK: u64 = 1 << 16;
        let mut entries = Vec::new();
        let mut line = self.first_line;
        let mut block = Vec::with_capacity(BLOCK as usize);
        let mut at = self.start;
        while at < self.end {
            let until = (at + BLOCK).min(self.end);
            self.read_into(at, until, &mut block)?;
            // Whole lines only; a line longer than a block is read with the next one.
            let whole = match block.iter().rposition(|&b| b == b'\n') {
                Some(last) => last + 1,
                None if until < self.end => {
                    let mut longer = self.read(at, self.end)?;
                    let last = longer
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |l| l + 1);
                    longer.truncate(last);
                    block = longer;
                    block.len()
                }
                None => 0,
            };
            if whole == 0 {
                return Err(format!("line {line}: the section is cut short"));
            }
            let text = std::str::from_utf8(&block[..whole])
                .map_err(|e| format!("line {line}: not UTF-8: {e}"))?;
            line += V::parse_all(text, line, &mut entries)?;
            at += whole as u64;
        }
        super::format::sorted_map(entries).map_err(|_| {
            format!(
                "line {}: a record appears twice in its section",
                self.first_line
            )
        })
    }

    /// The record with `key`, by binary search over the sorted lines.
    fn find<V: Record, Q: Ord + ?Sized>(&self, key: &Q) -> Result<Option<(V::Key, V)>, String>
    where
        V::Key: Borrow<Q>,
    {
        // Below this many bytes, the rest of the range is read and scanned.
        const SCAN: u64 = 8192;
        const WINDOW: u64 = 4096;
        // `lo` and `hi` are always at the start of a line (or the section's end).
        let (mut lo, mut hi) = (self.start, self.end);
        while hi - lo > SCAN {
            let mid = lo + (hi - lo) / 2;
            let mut window_end = (mid + WINDOW).min(hi);
            let (line_start, line) = loop {
                let window = self.read(mid, window_end)?;
                // The first line that starts after `mid` (the line around `mid` may start before).
                let first = window.iter().position(|&b| b == b'\n').map(|p| p + 1);
                let found = first.and_then(|f| {
                    let len = window[f..].iter().position(|&b| b == b'\n')?;
                    Some((f, len))
                });
                match found {
                    Some((f, len)) => {
                        let line = std::str::from_utf8(&window[f..=f + len])
                            .map_err(|e| format!("not UTF-8: {e}"))?
                            .to_owned();
                        break (Some(mid + f as u64), line);
                    }
                    None if window_end < hi => window_end = (window_end + WINDOW * 4).min(hi),
                    None => break (None, String::new()),
                }
            };
            let Some(line_start) = line_start else {
                // No whole line starts after `mid` (very long lines): read what is left.
                return self.scan(lo, hi, key);
            };
            let at = |e: String| format!("line {}: {e}", self.line_at(line_start));
            let found = V::key(&line).map_err(at)?;
            match found.borrow().cmp(key) {
                std::cmp::Ordering::Equal => return V::parse(&line).map(Some).map_err(at),
                std::cmp::Ordering::Less => lo = line_start + line.len() as u64,
                std::cmp::Ordering::Greater => hi = line_start,
            }
        }
        self.scan(lo, hi, key)
    }

    /// The first `n` records whose key is `key` or after it, in order, by binary search.
    fn find_from<V: Record>(&self, key: &V::Key, n: usize) -> Result<Vec<(V::Key, V)>, String> {
        const SCAN: u64 = 8192;
        const WINDOW: u64 = 4096;
        // Lines before `lo` have smaller keys; the line at `hi` (if any) a key at least `key`.
        let (mut lo, mut hi) = (self.start, self.end);
        while hi - lo > SCAN {
            let mid = lo + (hi - lo) / 2;
            let window = self.read(mid, (mid + WINDOW).min(hi))?;
            let Some(first) = window.iter().position(|&b| b == b'\n').map(|p| p + 1) else {
                break;
            };
            let Some(len) = window[first..].iter().position(|&b| b == b'\n') else {
                break;
            };
            let line = std::str::from_utf8(&window[first..=first + len])
                .map_err(|e| format!("not UTF-8: {e}"))?;
            let line_start = mid + first as u64;
            let found =
                V::key(line).map_err(|e| format!("line {}: {e}", self.line_at(line_start)))?;
            if found < *key {
                lo = line_start + line.len() as u64;
            } else {
                hi = line_start;
            }
        }
        // From `lo`, the first `n` lines at or after `key`: read on until there are enough.
        let mut out = Vec::with_capacity(n);
        let mut at = lo;
        let mut until = (hi + WINDOW).min(self.end);
        while out.len() < n && at < self.end {
            let bytes = self.read(at, until)?;
            let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            if whole == 0 {
                if until == self.end {
                    return Err(format!(
                        "line {}: the section is cut short",
                        self.line_at(at)
                    ));
                }
                until = (until + WINDOW * 4).min(self.end);
                continue;
            }
            let text =
                std::str::from_utf8(&bytes[..whole]).map_err(|e| format!("not UTF-8: {e}"))?;
            for line in text.split_inclusive('\n') {
                let line_start = at;
                let err = |e: String| format!("line {}: {e}", self.line_at(line_start));
                at += line.len() as u64;
                if V::key(line).map_err(err)? >= *key {
                    out.push(V::parse(line).map_err(err)?);
                    if out.len() == n {
                        break;
                    }
                }
            }
            until = (at + WINDOW).min(self.end);
        }
        Ok(out)
    }

    /// The section in blocks of whole lines, never whole, each given to `each` with its offset in
    /// the file until it returns false.
    fn blocks(
        &self,
        mut each: impl FnMut(u64, &[u8]) -> Result<bool, String>,
    ) -> Result<(), String> {
        const BLOCK: u64 = 1 << 16;
        let mut at = self.start;
        let mut bytes = Vec::with_capacity(BLOCK as usize);
        while at < self.end {
            let mut until = (at + BLOCK).min(self.end);
            let whole = loop {
                self.read_into(at, until, &mut bytes)?;
                match last_newline(&bytes) {
                    Some(p) => break p + 1,
                    None if until < self.end => until = (until + BLOCK).min(self.end),
                    None => {
                        return Err(format!(
                            "line {}: the section is cut short",
                            self.line_at(at)
                        ))
                    }
                }
            };
            if !each(at, &bytes[..whole])? {
                break;
            }
            at += whole as u64;
        }
        Ok(())
    }

    /// The lines of the section that contain `needle`, parsed and given to `each` in order
    /// until it returns false; searched without splitting the section into lines.
    fn containing<V: Record>(
        &self,
        needle: &[u8],
        mut each: impl FnMut(V::Key, V) -> bool,
    ) -> Result<(), String> {
        let small = self.end - self.start <= SMALL_SEARCH;
        let finder = (!small).then(|| memchr::memmem::Finder::new(needle));
        let find = |hay: &[u8]| match &finder {
            Some(finder) => finder.find(hay),
            None => hay.windows(needle.len().max(1)).position(|w| w == needle),
        };
        self.blocks(|at, block| {
            let mut from = 0;
            while let Some(hit) = find(&block[from..]) {
                let hit = from + hit;
                let start = last_newline(&block[..hit]).map_or(0, |p| p + 1);
                let end = block[hit..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(block.len(), |p| hit + p + 1);
                let line_start = at + start as u64;
                let err = |e: String| format!("line {}: {e}", self.line_at(line_start));
                let line = std::str::from_utf8(&block[start..end])
                    .map_err(|e| err(format!("not UTF-8: {e}")))?;
                let (k, v) = V::parse(line).map_err(err)?;
                if !each(k, v) {
                    return Ok(false);
                }
                from = end;
            }
            Ok(true)
        })
    }

    /// The record with `key` among the lines of `lo..hi`, read whole.
    fn scan<V: Record, Q: Ord + ?Sized>(
        &self,
        lo: u64,
        hi: u64,
        key: &Q,
    ) -> Result<Option<(V::Key, V)>, String>
    where
        V::Key: Borrow<Q>,
    {
        let bytes = self.read(lo, self.end.min(hi.max(lo)))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| format!("not UTF-8: {e}"))?;
        let mut at = lo;
        for line in text.split_inclusive('\n') {
            let err = |e: String| format!("line {}: {e}", self.line_at(at));
            if V::key(line).map_err(err)?.borrow() == key {
                return V::parse(line).map(Some).map_err(err);
            }
            at += line.len() as u64;
        }
        Ok(None)
    }
}

/// A section this small is searched byte by byte rather than with `memchr`, whose first call
/// detects the processor's features (`cpuid`, which a virtual machine traps): more than a
/// search of a few kilobytes costs (0.1 ms of `image inspect` at 100 images here).
const SMALL_SEARCH: u64 = 1 << 16;

/// Where the last newline of `bytes` is.
fn last_newline(bytes: &[u8]) -> Option<usize> {
    if bytes.len() as u64 > SMALL_SEARCH {
        memchr::memrchr(b'\n', bytes)
    } else {
        bytes.iter().rposition(|&b| b == b'\n')
    }
}

/// What [`Table::scan`] gives: a record's line as the state file has it, or a record changed
/// since (or any record of a table read whole).
pub enum Scanned<'a, K, V> {
    Line(&'a str),
    Record(&'a K, &'a V),
}

/// How many records a table looks up one by one before it reads its section whole: a command
/// about one image asks for a handful (its record, its parents', its layers); one that asks for
/// more usually goes on to ask for all, which reading the section whole answers sooner.
const LOOKUPS: usize = 8;

/// A section this small is read whole at the first lookup: cheaper than searching it.
const SMALL: u64 = 16 * 1024;

/// Records looked up one by one, kept so that `get` can lend them out.
struct Lookups<K, V> {
    slots: Box<[OnceCell<(K, V)>; LOOKUPS]>,
    used: Cell<usize>,
}

/// A map that reads its records from a state file on demand (see the module's documentation),
/// with the changes made since the file was written (its journal's, then this command's) kept
/// beside it, and the keys this command changed noted, so that a save can write just those.
pub struct Table<K, V> {
    full: OnceCell<BTreeMap<K, V>>,
    source: Option<Section>,
    lookups: OnceCell<Lookups<K, V>>,
    /// Records changed since the file was written, while the table is not read whole: the new
    /// record, or `None` where it was removed. Read whole, the map has them.
    overlay: BTreeMap<K, Option<V>>,
    /// The keys this command inserted, removed or changed through [`Table::get_mut`].
    touched: BTreeSet<K>,
    /// Changed through `DerefMut`: which records changed is not known, the save writes the
    /// table whole.
    rewritten: bool,
}

impl<K: Ord + Clone, V: Record<Key = K> + Clone> Table<K, V> {
    /// A table over `section`, read on demand.
    pub(crate) fn on_disk(section: Section) -> Table<K, V> {
        Table {
            full: OnceCell::new(),
            source: Some(section),
            lookups: OnceCell::new(),
            overlay: BTreeMap::new(),
            touched: BTreeSet::new(),
            rewritten: false,
        }
    }

    /// Applies a change the journal recorded (before the command runs).
    pub(crate) fn replay(&mut self, key: K, value: Option<V>) {
        match self.full.get_mut() {
            Some(map) => {
                match value {
                    Some(v) => map.insert(key, v),
                    None => map.remove(&key),
                };
            }
            None => {
                self.overlay.insert(key, value);
            }
        }
    }

    /// The whole map, read now if it was not.
    fn map(&self) -> &BTreeMap<K, V> {
        self.full.get_or_init(|| {
            let mut map = match &self.source {
                None => BTreeMap::new(),
                Some(section) => section.read_all().unwrap_or_else(|e| {
                    section.fail(e);
                    BTreeMap::new()
                }),
            };
            for (k, v) in &self.overlay {
                match v {
                    Some(v) => map.insert(k.clone(), v.clone()),
                    None => map.remove(k),
                };
            }
            map
        })
    }

    /// The first error met while reading the state this table belongs to.
    pub(crate) fn error(&self) -> Option<String> {
        self.source
            .as_ref()
            .and_then(|s| RefCell::borrow(&s.error).clone())
    }

    /// The record with `key`, looked up on disk when the table was not read whole.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        if let Some(map) = self.full.get() {
            return map.get(key);
        }
        if let Some(changed) = self.overlay.get(key) {
            return changed.as_ref();
        }
        let Some(section) = self.source.as_ref().filter(|s| s.end - s.start > SMALL) else {
            return self.map().get(key);
        };
        let lookups = self.lookups.get_or_init(|| Lookups {
            slots: Box::new(std::array::from_fn(|_| OnceCell::new())),
            used: Cell::new(0),
        });
        let used = lookups.used.get();
        if let Some((_, found)) = lookups.slots[..used]
            .iter()
            .filter_map(OnceCell::get)
            .find(|(k, _)| k.borrow() == key)
        {
            return Some(found);
        }
        if used == LOOKUPS {
            return self.map().get(key);
        }
        // A key that is not there is looked up again if asked again: rare, and cheap.
        let (k, v) = match section.find::<V, Q>(key) {
            Ok(found) => found?,
            Err(e) => {
                section.fail(e);
                return None;
            }
        };
        lookups.used.set(used + 1);
        Some(&lookups.slots[used].get_or_init(|| (k, v)).1)
    }

    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.get(key).is_some()
    }

    /// Inserts a record, as `BTreeMap::insert`, without reading the table whole.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.touched.insert(key.clone());
        // Looking up may read the table whole (a small section): then the map takes it.
        let old = self.get(&key).cloned();
        if let Some(map) = self.full.get_mut() {
            map.insert(key, value)
        } else {
            self.overlay.insert(key, Some(value));
            old
        }
    }

    /// Removes a record, as `BTreeMap::remove`, without reading the table whole.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let old = self.get(key).cloned()?;
        let key = if let Some(map) = self.full.get_mut() {
            map.remove_entry(key).map(|(k, _)| k)?
        } else {
            let key = self
                .overlay
                .get_key_value(key)
                .map(|(k, _)| k.clone())
                .or_else(|| self.lookup_key(key))?;
            self.overlay.insert(key.clone(), None);
            key
        };
        self.touched.insert(key);
        Some(old)
    }

    /// The owned key equal to `key` of a record found on disk.
    fn lookup_key<Q: Ord + ?Sized>(&self, key: &Q) -> Option<K>
    where
        K: Borrow<Q>,
    {
        let lookups = self.lookups.get()?;
        lookups.slots[..lookups.used.get()]
            .iter()
            .filter_map(OnceCell::get)
            .find(|(k, _)| k.borrow() == key)
            .map(|(k, _)| k.clone())
            .or_else(|| self.map().get_key_value(key).map(|(k, _)| k.clone()))
    }

    /// A record to change in place, as `BTreeMap::get_mut`, without reading the table whole.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        if self.full.get().is_none() && !self.overlay.contains_key(key) {
            // Looking up may read the table whole (a small section): then the map has it.
            let found = self.get(key).cloned()?;
            if self.full.get().is_none() {
                self.overlay.insert(key.clone(), Some(found));
            }
        }
        let found = match self.full.get_mut() {
            Some(map) => map.get_mut(key),
            None => self.overlay.get_mut(key).and_then(Option::as_mut),
        }?;
        self.touched.insert(key.clone());
        Some(found)
    }

    /// The records changed since the state file was written (the journal's, then this
    /// command's: the new record, or `None` where it was removed), when the table was not read
    /// whole: what a summary written with that file lacks.
    pub fn changes(&self) -> Option<&BTreeMap<K, Option<V>>> {
        match (self.full.get(), &self.source) {
            (None, Some(_)) => Some(&self.overlay),
            _ => None,
        }
    }

    /// The keys this command changed (inserted, removed or changed in place), in order.
    pub fn touched(&self) -> impl Iterator<Item = &K> {
        self.touched.iter()
    }

    /// Whether every change since the table was loaded from a state file is recorded key by key
    /// ([`Table::touched`]): not for a table changed through `DerefMut`, nor for one made
    /// otherwise than by loading.
    pub fn tracked(&self) -> bool {
        self.source.is_some() && !self.rewritten
    }

    /// Every record's line as the state file has it (those changed since it was written left
    /// out), then every changed record, given to `each` and none kept: for a command
    /// that sums over all the records and needs few of their fields (`system df`). A table read
    /// whole gives all its records as records. Stops at the first `false` either returns, and
    /// returns `false` then, or when a line cannot be read (the damage is kept, as on any read).
    pub fn scan(&self, mut each: impl FnMut(Scanned<'_, K, V>) -> bool) -> bool {
        let (None, Some(section)) = (self.full.get(), &self.source) else {
            return self.map().iter().all(|(k, v)| each(Scanned::Record(k, v)));
        };
        let mut stopped = false;
        let scanned = section.blocks(|at, block| {
            let text = std::str::from_utf8(block)
                .map_err(|e| format!("line {}: not UTF-8: {e}", section.line_at(at)))?;
            // Whole lines (`blocks` gives no other), found with `memchr` in a large section.
            let big = section.end - section.start > SMALL_SEARCH;
            let mut from = 0;
            while from < text.len() {
                let rest = &text.as_bytes()[from..];
                let found = if big {
                    memchr::memchr(b'\n', rest)
                } else {
                    rest.iter().position(|&b| b == b'\n')
                };
                let end = from + found.map_or(rest.len(), |p| p + 1);
                let (l, line_start) = (&text[from..end], at + from as u64);
                from = end;
                if !self.overlay.is_empty() {
                    let key = V::key(l)
                        .map_err(|e| format!("line {}: {e}", section.line_at(line_start)))?;
                    if self.overlay.contains_key(&key) {
                        continue;
                    }
                }
                if !each(Scanned::Line(l)) {
                    stopped = true;
                    return Ok(false);
                }
            }
            Ok(true)
        });
        if let Err(e) = scanned {
            section.fail(e);
            return false;
        }
        !stopped
            && self
                .overlay
                .iter()
                .filter_map(|(k, v)| Some((k, v.as_ref()?)))
                .all(|(k, v)| each(Scanned::Record(k, v)))
    }

    /// The first `n` records whose key is `key` or after it, in order; read on disk when the
    /// table was not read whole.
    pub fn first_from(&self, key: &K, n: usize) -> Vec<(K, V)> {
        if let (None, Some(section)) = (self.full.get(), &self.source) {
            // The records on disk that the changes replace or remove do not count.
            let changed = self.overlay.range(key.clone()..).count();
            let mut found: Vec<(K, V)> = section
                .find_from::<V>(key, n + changed)
                .unwrap_or_else(|e| {
                    section.fail(e);
                    Vec::new()
                })
                .into_iter()
                .filter(|(k, _)| !self.overlay.contains_key(k))
                .chain(
                    self.overlay
                        .range(key.clone()..)
                        .filter_map(|(k, v)| Some((k.clone(), v.clone()?))),
                )
                .collect();
            found.sort_by(|a, b| a.0.cmp(&b.0));
            found.truncate(n);
            return found;
        }
        self.map()
            .range(key.clone()..)
            .take(n)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The records whose line contains `needle` and that `wanted` picks, found without reading
    /// the table whole when it was not (a record that `wanted` picks must contain `needle` in
    /// its line: a digest's hex digits, say).
    pub fn containing(&self, needle: &str, wanted: impl Fn(&K, &V) -> bool) -> Vec<(K, V)> {
        if let (None, Some(section)) = (self.full.get(), &self.source) {
            let mut found: Vec<(K, V)> = Vec::new();
            let scanned = section.containing::<V>(needle.as_bytes(), |k, v| {
                if !self.overlay.contains_key(&k) && wanted(&k, &v) {
                    found.push((k, v));
                }
                true
            });
            if let Err(e) = scanned {
                section.fail(e);
                return Vec::new();
            }
            // The records changed since the file was written, in their place.
            if !self.overlay.is_empty() {
                found.extend(
                    self.overlay
                        .iter()
                        .filter_map(|(k, v)| Some((k, v.as_ref()?)))
                        .filter(|(k, v)| wanted(k, v))
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
                found.sort_by(|a, b| a.0.cmp(&b.0));
            }
            return found;
        }
        self.map()
            .iter()
            .filter(|(k, v)| wanted(k, v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// Whether a record whose line contains `needle` is one that `wanted` picks (as
    /// [`Table::containing`], stopping at the first).
    pub fn any_containing(&self, needle: &str, wanted: impl Fn(&K, &V) -> bool) -> bool {
        if let (None, Some(section)) = (self.full.get(), &self.source) {
            if self
                .overlay
                .iter()
                .any(|(k, v)| v.as_ref().is_some_and(|v| wanted(k, v)))
            {
                return true;
            }
            let mut found = false;
            let scanned = section.containing::<V>(needle.as_bytes(), |k, v| {
                found = !self.overlay.contains_key(&k) && wanted(&k, &v);
                !found
            });
            if let Err(e) = scanned {
                section.fail(e);
                return false;
            }
            return found;
        }
        self.map().iter().any(|(k, v)| wanted(k, v))
    }
}

impl<K, V> Table<K, V> {
    /// The section the table reads from, when it was loaded from a state file, not read whole
    /// and not changed since: what a save copies as it is.
    pub(crate) fn unread_section(&self) -> Option<&Section> {
        if self.full.get().is_some() || !self.overlay.is_empty() {
            None
        } else {
            self.source.as_ref()
        }
    }
}

impl<K, V> From<BTreeMap<K, V>> for Table<K, V> {
    fn from(map: BTreeMap<K, V>) -> Table<K, V> {
        Table {
            full: OnceCell::from(map),
            source: None,
            lookups: OnceCell::new(),
            overlay: BTreeMap::new(),
            touched: BTreeSet::new(),
            rewritten: false,
        }
    }
}

impl<K, V> Default for Table<K, V> {
    fn default() -> Table<K, V> {
        Table::from(BTreeMap::new())
    }
}

impl<K: Ord + Clone, V: Record<Key = K> + Clone> std::ops::Deref for Table<K, V> {
    type Target = BTreeMap<K, V>;
    fn deref(&self) -> &BTreeMap<K, V> {
        self.map()
    }
}

impl<K: Ord + Clone, V: Record<Key = K> + Clone> std::ops::DerefMut for Table<K, V> {
    fn deref_mut(&mut self) -> &mut BTreeMap<K, V> {
        self.map();
        // Changed records may be looked up again: from the map from now on.
        self.lookups = OnceCell::new();
        self.rewritten = true;
        self.full.get_mut().expect("read just above")
    }
}

impl<K: Ord + Clone + Borrow<Q>, V: Record<Key = K> + Clone, Q: Ord + ?Sized> std::ops::Index<&Q>
    for Table<K, V>
{
    type Output = V;
    /// As `BTreeMap`'s: panics when there is no such key.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<'a, K: Ord + Clone, V: Record<Key = K> + Clone> IntoIterator for &'a Table<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::collections::btree_map::Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.map().iter()
    }
}

impl<K: Ord + Clone, V: Record<Key = K> + Clone> Clone for Table<K, V> {
    fn clone(&self) -> Table<K, V> {
        Table::from(self.map().clone())
    }
}

impl<K: Ord + Clone, V: Record<Key = K> + Clone + PartialEq> PartialEq for Table<K, V> {
    fn eq(&self, other: &Table<K, V>) -> bool {
        self.map() == other.map()
    }
}

impl<K: Ord + Clone + std::fmt::Debug, V: Record<Key = K> + Clone + std::fmt::Debug> std::fmt::Debug
    for Table<K, V>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.map().fmt(f)
    }
}

impl<K: Ord + Clone + serde::Serialize, V: Record<Key = K> + Clone + serde::Serialize>
    serde::Serialize for Table<K, V>
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map().serialize(s)
    }
}

impl<'de, K, V> serde::Deserialize<'de> for Table<K, V>
where
    K: Ord + serde::Deserialize<'de>,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Table<K, V>, D::Error> {
        BTreeMap::deserialize(d).map(Table::from)
    }
}
