//! Layers a build writes: the files COPY and ADD take from the context (planned, then streamed
//! as a deterministic tar), and the small stand-in layers of RUN.
//!
//! A layer is written as BuildKit's differ would produce it for a fresh copy: entries sorted by
//! path, parent directories of the destination included (mode 0755, mtime 0), files with their
//! mode and modification time from the context, owner `0:0`. The size Docker shows for such a
//! layer (classic image store) is the sum of its regular files' sizes plus its symlinks' target
//! lengths — directories count for nothing (verified: `COPY index.html /var/www/html/` of a
//! 27-byte file shows `27B` in `docker history`; `RUN ln -sf /dev/stdout …` twice shows `22B`
//! under the legacy builder).

// "BuildKit" is a product name, not code.
#![allow(clippy::doc_markdown)]

use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use super::context::{self, ContextError};
use super::dockerfile::clean_path;
use super::ignore::Matcher;

/// Where an entry's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A regular file of the context, streamed when the tar is written.
    File(PathBuf),
    /// Bytes known at plan time (heredocs, RUN stand-ins).
    Bytes(Vec<u8>),
    Dir,
    Symlink(String),
    /// A FIFO or a device of the context: archived as a tar entry of its type (with the
    /// device numbers), never opened, as BuildKit's and the legacy builder's archivers do
    /// (fsutil `tarwriter.go` reads only `TypeReg` entries; `moby/go-archive` likewise).
    Special(Special),
}

/// The kinds of special file a layer can hold. Sockets are not among them: moby's and
/// containerd's archivers skip them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    Fifo,
    Char { major: u32, minor: u32 },
    Block { major: u32, minor: u32 },
}

impl Special {
    /// The special file `meta` describes, if it is one a layer holds.
    fn of(meta: &fs::Metadata) -> Option<Special> {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        let rdev = meta.rdev();
        // glibc's `major`/`minor` for a 64-bit dev_t.
        let major = u32::try_from(((rdev >> 32) & 0xffff_f000) | ((rdev >> 8) & 0xfff)).ok()?;
        let minor = u32::try_from(((rdev >> 12) & 0xffff_ff00) | (rdev & 0xff)).ok()?;
        if t.is_fifo() {
            Some(Special::Fifo)
        } else if t.is_char_device() {
            Some(Special::Char { major, minor })
        } else if t.is_block_device() {
            Some(Special::Block { major, minor })
        } else {
            None
        }
    }
}

/// One entry of a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path in the image, relative (no leading `/`), without trailing `/`.
    pub path: String,
    pub source: Source,
    pub mode: u32,
    pub mtime: u64,
    /// The nanoseconds of the modification time, written as a PAX `mtime` record when not 0:
    /// what the classic builder's committed directories carry, so that a step run twice in one
    /// second still makes two layers, as on Docker.
    pub mtime_nsec: u32,
    /// Bytes of content (files), target length (symlinks), 0 (directories).
    pub size: u64,
}

/// A planned layer: its entries, what Docker will show as its size, and a key that changes
/// whenever a source file may have changed (path, size, mode, mtime, inode — the stat data
/// BuildKit's file sync compares before it re-reads a file).
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub entries: Vec<Entry>,
    pub shown_size: u64,
    pub sources_key: String,
    /// Bytes the context transfer would send for these files (BuildKit's `transferring context`).
    pub transfer_size: u64,
}

/// Why a COPY/ADD cannot be planned.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> CopyError + '_ {
    move |source| CopyError::Io {
        path: path.to_owned(),
        source,
    }
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Plans `COPY sources… dest` from the context at `root`. `workdir` resolves a relative `dest`;
/// `ignore` is the context's `.dockerignore` (ignored files are not in the context at all).
pub fn plan_copy(
    root: &Path,
    sources: &[String],
    dest: &str,
    workdir: &str,
    ignore: &Matcher,
    chmod: Option<u32>,
) -> Result<Plan, CopyError> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for source in sources {
        if has_glob(source) {
            let matched = glob(root, source, ignore)?;
            if matched.is_empty() {
                return Err(ContextError::NotFound {
                    key: context::source_key(source),
                }
                .into());
            }
            found.extend(matched);
        } else {
            let key = context::source_key(source);
            if key != "/" && ignore.is_ignored(&key) {
                return Err(ContextError::NotFound { key }.into());
            }
            let path = context::resolve(root, source)?;
            found.push((key, path));
        }
    }
    let dest_abs = if dest.starts_with('/') {
        dest.to_owned()
    } else {
        format!("{}/{dest}", workdir.trim_end_matches('/'))
    };
    let dest_is_dir = dest.ends_with('/')
        || dest.ends_with("/.")
        || dest == "."
        || found.len() > 1
        || found.iter().any(|(_, p)| p.is_dir());
    let dest_clean = clean_path(&dest_abs);
    let dest_rel = dest_clean.trim_start_matches('/').to_owned();

    let mut plan = Plan::default();
    let mut keyer = sha2_hasher();
    // Parent directories of the destination (and the destination itself when a directory).
    let mut dirs: Vec<String> = Vec::new();
    let mut acc = String::new();
    let comps: Vec<&str> = dest_rel.split('/').filter(|c| !c.is_empty()).collect();
    let upto = if dest_is_dir {
        comps.len()
    } else {
        comps.len().saturating_sub(1)
    };
    for c in &comps[..upto] {
        if !acc.is_empty() {
            acc.push('/');
        }
        acc.push_str(c);
        dirs.push(acc.clone());
    }
    for d in dirs {
        plan.entries.push(dir_entry(d));
    }
    for (key, path) in found {
        let meta = fs::metadata(&path).map_err(io_err(&path))?;
        if meta.is_dir() {
            walk(
                root, &path, &key, &dest_rel, ignore, chmod, &mut plan, &mut keyer,
            )?;
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let target = if dest_is_dir {
                join(&dest_rel, &name)
            } else {
                dest_rel.clone()
            };
            if meta.is_file() {
                push_file(&path, &meta, target, chmod, &mut plan, &mut keyer, &key);
            } else {
                // A FIFO or a device: archived as what it is, never opened.
                push_special(&meta, target, chmod, &mut plan, &mut keyer, &key);
            }
        }
    }
    plan.entries.sort_by(|a, b| a.path.cmp(&b.path));
    plan.entries.dedup_by(|later, earlier| {
        if later.path == earlier.path {
            *earlier = later.clone();
            true
        } else {
            false
        }
    });
    plan.shown_size = plan
        .entries
        .iter()
        .filter(|e| !matches!(e.source, Source::Dir))
        .map(|e| e.size)
        .sum();
    sha2::Digest::update(
        &mut keyer,
        format!("dest={dest_clean};dir={dest_is_dir};chmod={chmod:?}").as_bytes(),
    );
    plan.sources_key = finish(keyer);
    Ok(plan)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

fn dir_entry(path: String) -> Entry {
    Entry {
        path,
        source: Source::Dir,
        mode: 0o755,
        mtime: 0,
        mtime_nsec: 0,
        size: 0,
    }
}

fn mtime(meta: &fs::Metadata) -> u64 {
    u64::try_from(meta.mtime()).unwrap_or(0)
}

fn push_file(
    path: &Path,
    meta: &fs::Metadata,
    target: String,
    chmod: Option<u32>,
    plan: &mut Plan,
    keyer: &mut sha2::Sha256,
    key: &str,
) {
    use sha2::Digest as _;
    keyer.update(
        format!(
            "{key}\0{target}\0{}\0{}\0{}\0{}\0{}\n",
            meta.len(),
            meta.mode(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ino()
        )
        .as_bytes(),
    );
    // fsutil's stat packet: the path and a few fixed fields, then the content.
    plan.transfer_size += meta.len() + key.len() as u64 + 26;
    plan.entries.push(Entry {
        path: target,
        source: Source::File(path.to_owned()),
        mode: chmod.unwrap_or(meta.permissions().mode() & 0o7777),
        mtime: mtime(meta),
        mtime_nsec: 0,
        size: meta.len(),
    });
}

/// Adds a context directory's contents under `dest` (the directory itself is not copied, its
/// contents are), skipping what `.dockerignore` leaves out; symlinks are copied as links.
#[allow(clippy::too_many_arguments)]
fn walk(
    root: &Path,
    dir: &Path,
    key: &str,
    dest: &str,
    ignore: &Matcher,
    chmod: Option<u32>,
    plan: &mut Plan,
    keyer: &mut sha2::Sha256,
) -> Result<(), CopyError> {
    use sha2::Digest as _;
    let mut names: Vec<_> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .map_err(io_err(dir))?;
    names.sort();
    for os_name in names {
        // The file is read by its real name; a name that is not UTF-8 goes into the image with
        // U+FFFD for its odd bytes (layer paths are text here).
        let path = dir.join(&os_name);
        let name = os_name.to_string_lossy().into_owned();
        let child_key = if key == "/" {
            format!("/{name}")
        } else {
            format!("{key}/{name}")
        };
        let target = join(dest, &name);
        let meta = fs::symlink_metadata(&path).map_err(io_err(&path))?;
        if ignore.is_ignored(&child_key) {
            if meta.is_dir() && ignore.can_skip_dir(&child_key) {
                continue;
            }
            if !meta.is_dir() {
                continue;
            }
        }
        let _ = root;
        if meta.file_type().is_symlink() {
            let link = fs::read_link(&path).map_err(io_err(&path))?;
            let link = link.to_string_lossy().into_owned();
            keyer.update(format!("{child_key}\0->{link}\n").as_bytes());
            plan.transfer_size += child_key.len() as u64 + link.len() as u64 + 26;
            plan.entries.push(Entry {
                path: target,
                size: link.len() as u64,
                source: Source::Symlink(link),
                mode: 0o777,
                mtime: mtime(&meta),
                mtime_nsec: 0,
            });
        } else if meta.is_dir() {
            keyer.update(format!("{child_key}/\0{}\n", meta.mode()).as_bytes());
            plan.entries.push(Entry {
                path: target.clone(),
                source: Source::Dir,
                mode: chmod.unwrap_or(meta.permissions().mode() & 0o7777),
                mtime: mtime(&meta),
                mtime_nsec: 0,
                size: 0,
            });
            walk(root, &path, &child_key, &target, ignore, chmod, plan, keyer)?;
        } else if meta.is_file() {
            push_file(&path, &meta, target, chmod, plan, keyer, &child_key);
        } else {
            push_special(&meta, target, chmod, plan, keyer, &child_key);
        }
    }
    Ok(())
}

/// Adds a FIFO or device as an entry of its own type (sockets are skipped), never reading it.
fn push_special(
    meta: &fs::Metadata,
    target: String,
    chmod: Option<u32>,
    plan: &mut Plan,
    keyer: &mut sha2::Sha256,
    key: &str,
) {
    use sha2::Digest as _;
    let Some(special) = Special::of(meta) else {
        return;
    };
    keyer.update(format!("{key}\0{target}\0{special:?}\0{}\n", meta.mode()).as_bytes());
    plan.transfer_size += key.len() as u64 + 26;
    plan.entries.push(Entry {
        path: target,
        source: Source::Special(special),
        mode: chmod.unwrap_or(meta.permissions().mode() & 0o7777),
        mtime: mtime(meta),
        mtime_nsec: 0,
        size: 0,
    });
}

/// Context paths matching a COPY wildcard (`*.html`, `src/*.rs`), sorted, ignored ones left out.
fn glob(root: &Path, pattern: &str, ignore: &Matcher) -> Result<Vec<(String, PathBuf)>, CopyError> {
    let key = context::source_key(pattern);
    let Ok(matcher) = Matcher::new(&[key.trim_start_matches('/')]) else {
        return Ok(Vec::new());
    };
    let depth = key.trim_start_matches('/').split('/').count();
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new(), 0usize)];
    while let Some((dir, rel, d)) = stack.pop() {
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        for e in read.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let child = join(&rel, &name);
            if d + 1 == depth {
                if matcher.patterns().iter().any(|p| p.matches(&child))
                    && !ignore.is_ignored(&child)
                {
                    out.push((format!("/{child}"), e.path()));
                }
            } else if e.path().is_dir() {
                stack.push((e.path(), child, d + 1));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Plans a layer holding one small file (a RUN stand-in, a heredoc).
pub fn plan_bytes(path: &str, content: Vec<u8>, mode: u32) -> Plan {
    let path = path.trim_start_matches('/').to_owned();
    let mut entries = Vec::new();
    let comps: Vec<&str> = path.split('/').collect();
    for i in 1..comps.len() {
        entries.push(dir_entry(comps[..i].join("/")));
    }
    let size = content.len() as u64;
    entries.push(Entry {
        path,
        source: Source::Bytes(content),
        mode,
        mtime: 0,
        mtime_nsec: 0,
        size,
    });
    Plan {
        entries,
        shown_size: size,
        sources_key: String::new(),
        transfer_size: 0,
    }
}

/// A PAX extended header (`x`) giving the next entry's modification time with its nanoseconds,
/// as Go's `archive/tar` writes one (`NN mtime=SECONDS.NANOSECONDS\n`).
fn append_pax_mtime<W: Write>(builder: &mut tar::Builder<W>, e: &Entry) -> io::Result<()> {
    let value = format!("mtime={}.{:09}\n", e.mtime, e.mtime_nsec);
    // The record's length counts its own digits.
    let mut len = value.len() + 2;
    while format!("{len} {value}").len() != len {
        len = format!("{len} {value}").len();
    }
    let record = format!("{len} {value}");
    let mut header = tar::Header::new_ustar();
    header.set_entry_type(tar::EntryType::XHeader);
    header.set_mode(0o644);
    header.set_size(record.len() as u64);
    let name = format!("PaxHeaders.0/{}", e.path);
    let short: String = name.chars().take(99).collect();
    header.set_path(&short)?;
    header.set_cksum();
    builder.append(&header, record.as_bytes())
}

/// Writes the plan's entries as a tar stream (GNU headers for long names), reading each file
/// as it goes: never more than one buffer of a file in memory.
pub fn write_tar(entries: &[Entry], out: impl Write) -> io::Result<()> {
    let mut builder = tar::Builder::new(out);
    builder.follow_symlinks(false);
    for e in entries {
        if e.mtime_nsec != 0 {
            append_pax_mtime(&mut builder, e)?;
        }
        let mut header = tar::Header::new_gnu();
        header.set_mode(e.mode);
        header.set_mtime(e.mtime);
        header.set_uid(0);
        header.set_gid(0);
        match &e.source {
            Source::Dir => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                builder.append_data(&mut header, format!("{}/", e.path), io::empty())?;
            }
            Source::Symlink(target) => {
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                builder.append_link(&mut header, &e.path, target)?;
            }
            Source::Bytes(b) => {
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(b.len() as u64);
                builder.append_data(&mut header, &e.path, b.as_slice())?;
            }
            Source::Special(special) => {
                let (kind, device) = match *special {
                    Special::Fifo => (tar::EntryType::Fifo, None),
                    Special::Char { major, minor } => (tar::EntryType::Char, Some((major, minor))),
                    Special::Block { major, minor } => {
                        (tar::EntryType::Block, Some((major, minor)))
                    }
                };
                header.set_entry_type(kind);
                header.set_size(0);
                if let Some((major, minor)) = device {
                    header.set_device_major(major)?;
                    header.set_device_minor(minor)?;
                }
                builder.append_data(&mut header, &e.path, io::empty())?;
            }
            Source::File(p) => {
                // Opened only if it is still a regular file: one swapped for a FIFO since it
                // was planned must not block the build (and the store lock) forever.
                let f = crate::regular_file::open(p).map_err(|e| match e {
                    crate::regular_file::ReadError::Io(e) => e,
                    other => io::Error::other(format!("{}: {other}", p.display())),
                })?;
                // The size planned is the size written: a file that grew or shrank since is
                // cut or padded rather than producing a corrupt archive.
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(e.size);
                let reader = f.take(e.size).chain(io::repeat(0).take(e.size));
                builder.append_data(&mut header, &e.path, reader.take(e.size))?;
            }
        }
    }
    builder.into_inner()?.flush()
}

/// The size of the tar the legacy builder sends as its context (`Sending build context to
/// Docker daemon  3.072kB`): 512-byte headers, content padded to 512, two zero blocks.
pub fn legacy_context_size(root: &Path, ignore: &Matcher) -> u64 {
    fn walk(dir: &Path, rel: &str, ignore: &Matcher, total: &mut u64) {
        let Ok(read) = fs::read_dir(dir) else { return };
        for e in read.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let child = join(rel, &name);
            let Ok(meta) = e.path().symlink_metadata() else {
                continue;
            };
            if ignore.is_ignored(&child) && !(child == "Dockerfile" || child == ".dockerignore") {
                if meta.is_dir() && !ignore.can_skip_dir(&child) {
                    walk(&e.path(), &child, ignore, total);
                }
                continue;
            }
            // Long names take a PAX header block and a data block.
            let long = if child.len() > 100 { 1024 } else { 0 };
            *total += 512 + long;
            if meta.is_file() {
                *total += meta.len().div_ceil(512) * 512;
            } else if meta.is_dir() {
                walk(&e.path(), &child, ignore, total);
            }
        }
    }
    let mut total = 1024;
    walk(root, "", ignore, &mut total);
    total
}

fn sha2_hasher() -> sha2::Sha256 {
    use sha2::Digest as _;
    sha2::Sha256::new()
}

fn finish(h: sha2::Sha256) -> String {
    use sha2::Digest as _;
    crate::store::hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(
            dir.path().join("index.html"),
            "<h1>Mon serveur Nginx</h1>\n",
        )
        .expect("write");
        fs::create_dir_all(dir.path().join("site/css")).expect("mkdir");
        fs::write(dir.path().join("site/a.html"), "a").expect("write");
        fs::write(dir.path().join("site/css/b.css"), "bb").expect("write");
        fs::write(dir.path().join("site/secret.key"), "k").expect("write");
        dir
    }

    fn paths(plan: &Plan) -> Vec<&str> {
        plan.entries.iter().map(|e| e.path.as_str()).collect()
    }

    #[test]
    fn fifos_and_devices_become_entries_of_their_type_and_are_never_opened() {
        let dir = ctx();
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join("site/pipe"))
            .arg(dir.path().join("pipe"))
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            return; // no mkfifo here
        }
        let _socket =
            std::os::unix::net::UnixListener::bind(dir.path().join("site/sock")).expect("bind");
        let none = Matcher::default();
        let whole =
            plan_copy(dir.path(), &["site".into()], "/s/", "/", &none, None).expect("plans");
        assert_eq!(
            paths(&whole),
            [
                "s",
                "s/a.html",
                "s/css",
                "s/css/b.css",
                "s/pipe",
                "s/secret.key"
            ]
        );
        let one = plan_copy(dir.path(), &["pipe".into()], "/p", "/", &none, None).expect("plans");
        assert_eq!(paths(&one), ["p"]);
        assert_eq!(one.entries[0].source, Source::Special(Special::Fifo));
        assert_eq!(one.shown_size, 0);
        // Writing the tar must not block on the FIFOs.
        let (tx, rx) = std::sync::mpsc::channel();
        let entries = [whole.entries, one.entries].concat();
        std::thread::spawn(move || {
            let mut tar = Vec::new();
            let r = write_tar(&entries, &mut tar).map(|()| tar);
            let _ = tx.send(r);
        });
        let tar = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the tar is written without blocking")
            .expect("writes");
        let mut archive = tar::Archive::new(tar.as_slice());
        let kinds: Vec<(String, tar::EntryType)> = archive
            .entries()
            .expect("entries")
            .map(|e| {
                let e = e.expect("entry");
                (
                    e.path().expect("path").display().to_string(),
                    e.header().entry_type(),
                )
            })
            .filter(|(p, _)| p.ends_with("pipe") || p == "p")
            .collect();
        assert_eq!(
            kinds,
            [
                ("s/pipe".to_owned(), tar::EntryType::Fifo),
                ("p".to_owned(), tar::EntryType::Fifo)
            ]
        );
        // A device is described, not read: /dev/null is character device 1:3 on Linux.
        if cfg!(target_os = "linux") {
            let meta = fs::metadata("/dev/null").expect("/dev/null");
            assert_eq!(
                Special::of(&meta),
                Some(Special::Char { major: 1, minor: 3 })
            );
        }
    }

    #[test]
    fn a_file_into_a_directory_brings_its_parents() {
        let dir = ctx();
        let plan = plan_copy(
            dir.path(),
            &["index.html".into()],
            "/var/www/html/",
            "/",
            &Matcher::default(),
            None,
        )
        .expect("plans");
        assert_eq!(
            paths(&plan),
            ["var", "var/www", "var/www/html", "var/www/html/index.html"]
        );
        assert_eq!(plan.shown_size, 27);
    }

    #[test]
    fn a_directory_copies_its_contents_minus_ignored_files() {
        let dir = ctx();
        let ignore = Matcher::new(&["**/*.key"]).expect("patterns");
        let plan =
            plan_copy(dir.path(), &["site".into()], "app", "/srv", &ignore, None).expect("plans");
        assert_eq!(
            paths(&plan),
            [
                "srv",
                "srv/app",
                "srv/app/a.html",
                "srv/app/css",
                "srv/app/css/b.css"
            ]
        );
        assert_eq!(plan.shown_size, 3);
        let err = plan_copy(
            dir.path(),
            &["site/secret.key".into()],
            "/x",
            "/",
            &ignore,
            None,
        )
        .expect_err("ignored");
        assert!(
            err.to_string().contains("\"/site/secret.key\": not found"),
            "{err}"
        );
    }

    #[test]
    fn a_file_to_a_plain_name_is_renamed_and_globs_expand() {
        let dir = ctx();
        let plan = plan_copy(
            dir.path(),
            &["index.html".into()],
            "/page.html",
            "/",
            &Matcher::default(),
            None,
        )
        .expect("plans");
        assert_eq!(paths(&plan), ["page.html"]);
        let plan = plan_copy(
            dir.path(),
            &["site/*.html".into()],
            "/w/",
            "/",
            &Matcher::default(),
            None,
        )
        .expect("plans");
        assert_eq!(paths(&plan), ["w", "w/a.html"]);
    }

    #[test]
    fn the_tar_is_deterministic_and_the_key_follows_changes() {
        let dir = ctx();
        let plan = |d: &Path| {
            plan_copy(d, &[".".into()], "/app/", "/", &Matcher::default(), None).expect("plans")
        };
        let p1 = plan(dir.path());
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_tar(&p1.entries, &mut a).expect("tar");
        write_tar(&p1.entries, &mut b).expect("tar");
        assert_eq!(a, b);
        let names: Vec<String> = tar::Archive::new(a.as_slice())
            .entries()
            .expect("entries")
            .map(|e| {
                e.expect("entry")
                    .path()
                    .expect("path")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names[0], "app/");
        assert!(names.contains(&"app/site/css/b.css".to_owned()));
        let p2 = plan(dir.path());
        assert_eq!(p1.sources_key, p2.sources_key);
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(dir.path().join("index.html"), "changed").expect("write");
        assert_ne!(plan(dir.path()).sources_key, p1.sources_key);
    }

    #[test]
    fn legacy_context_size_counts_tar_blocks() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("Dockerfile"), vec![b'x'; 420]).expect("write");
        fs::write(dir.path().join("index.html"), vec![b'x'; 27]).expect("write");
        // The real legacy builder sent 3.072kB for this context.
        assert_eq!(legacy_context_size(dir.path(), &Matcher::default()), 3072);
    }
}
