//! Resolving COPY/ADD sources inside the build context, never outside it.
//!
//! BuildKit treats the context as a root directory: `../x` and `/x` both mean `<context>/x`,
//! and symlinks are followed as if the context were `/` (a link to `/etc/passwd` means
//! `<context>/etc/passwd`). A source that does not exist there fails with
//! `failed to compute cache key: failed to calculate checksum of ref <ref>: "/x": not found`.
//!
//! The legacy client finds the context directory and the Dockerfile itself, with Go's
//! `filepath.Abs` and `filepath.EvalSymlinks` ([`absolute`], [`eval_symlinks`]), whose errors
//! it prints.

use std::io;
use std::path::{Path, PathBuf};

/// Linux's limit on symlinks followed in one lookup.
const MAX_SYMLINKS: usize = 40;

/// A source that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    /// Nothing at that path inside the context. `key` is the cleaned path BuildKit quotes
    /// (`/x`).
    #[error("{}: not found", super::dockerfile::error::go_quote(.key))]
    NotFound { key: String },
    /// A symlink loop.
    #[error("{}: too many levels of symbolic links", super::dockerfile::error::go_quote(.key))]
    SymlinkLoop { key: String },
}

impl ContextError {
    /// The line `docker build` ends with, given BuildKit's reference of the context snapshot
    /// (its ID, `<random>::<random>` on Docker 28).
    pub fn render_cli(&self, reference: &str) -> String {
        match self {
            ContextError::NotFound { key } => crate::docker::errors::BuildError::KitCopyMissing {
                reference: Some(reference.to_owned()),
                key: key.clone(),
            }
            .line(true),
            ContextError::SymlinkLoop { .. } => format!(
                "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref {reference}: {self}\n"
            ),
        }
    }
}

/// The key BuildKit looks a source up by: the path made absolute and cleaned, `..` stopping
/// at the root (`../x` → `/x`, `./a/../b` → `/b`).
pub fn source_key(source: &str) -> String {
    super::dockerfile::clean_path(&format!("/{source}"))
}

/// Finds `source` in the context directory `root`, following symlinks without leaving it.
/// Returns the real path on disk.
pub fn resolve(root: &Path, source: &str) -> Result<PathBuf, ContextError> {
    let key = source_key(source);
    let mut pending: Vec<String> = key
        .split('/')
        .filter(|c| !c.is_empty())
        .rev()
        .map(str::to_owned)
        .collect();
    let mut current: Vec<String> = Vec::new();
    let mut links = 0;
    while let Some(comp) = pending.pop() {
        match comp.as_str() {
            "." | "" => continue,
            ".." => {
                current.pop();
                continue;
            }
            _ => {}
        }
        current.push(comp);
        let path = current.iter().fold(root.to_path_buf(), |p, c| p.join(c));
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|_| ContextError::NotFound { key: key.clone() })?;
        if meta.file_type().is_symlink() {
            links += 1;
            if links > MAX_SYMLINKS {
                return Err(ContextError::SymlinkLoop { key });
            }
            let target = std::fs::read_link(&path)
                .map_err(|_| ContextError::NotFound { key: key.clone() })?;
            current.pop();
            let target = target.to_string_lossy().into_owned();
            if target.starts_with('/') {
                current.clear();
            }
            pending.extend(
                target
                    .split('/')
                    .filter(|c| !c.is_empty())
                    .rev()
                    .map(str::to_owned),
            );
        }
    }
    let path = current.iter().fold(root.to_path_buf(), |p, c| p.join(c));
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(ContextError::NotFound { key });
    }
    Ok(path)
}

/// Go's `filepath.EvalSymlinks` stops at 255 links.
const GO_MAX_LINKS: usize = 255;

/// Why Go's `filepath.EvalSymlinks` failed; displayed as Go prints the error.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// `lstat` of a prefix of the path failed (`path` is that prefix, symlinks before it
    /// resolved).
    #[error("lstat {}: {}", .path.display(), go_errno(.source))]
    Lstat { path: PathBuf, source: io::Error },
    /// A component other than the last is a file: Go returns the bare `ENOTDIR`.
    #[error("not a directory")]
    NotADirectory,
    #[error("EvalSymlinks: too many links")]
    TooManyLinks,
}

/// An OS error as Go's `syscall.Errno` words it (lowercase, no `(os error N)`).
fn go_errno(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::NotADirectory => "not a directory".to_owned(),
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_lowercase().collect::<String>() + chars.as_str()
            })
        }
    }
}

/// Go's `filepath.Abs`: `path` joined to `cwd` when relative, then cleaned (`/a/./b/../c` →
/// `/a/c`), without touching the disk.
pub fn absolute(cwd: &Path, path: &str) -> PathBuf {
    let joined = cwd.join(path);
    PathBuf::from(super::dockerfile::clean_path(&joined.to_string_lossy()))
}

/// Go's `filepath.EvalSymlinks` for an absolute, clean path: each prefix is `lstat`ed and
/// symlinks are replaced by their targets; the result is clean.
pub fn eval_symlinks(path: &Path) -> Result<PathBuf, EvalError> {
    let text = path.to_string_lossy();
    let mut pending: Vec<String> = text
        .split('/')
        .filter(|c| !c.is_empty())
        .rev()
        .map(str::to_owned)
        .collect();
    let mut dest = PathBuf::from("/");
    let mut links = 0;
    while let Some(comp) = pending.pop() {
        match comp.as_str() {
            "." => continue,
            ".." => {
                dest.pop();
                continue;
            }
            _ => {}
        }
        dest.push(&comp);
        let meta = std::fs::symlink_metadata(&dest).map_err(|source| EvalError::Lstat {
            path: dest.clone(),
            source,
        })?;
        if !meta.file_type().is_symlink() {
            if !meta.is_dir() && !pending.is_empty() {
                return Err(EvalError::NotADirectory);
            }
            continue;
        }
        links += 1;
        if links > GO_MAX_LINKS {
            return Err(EvalError::TooManyLinks);
        }
        let target = std::fs::read_link(&dest).map_err(|source| EvalError::Lstat {
            path: dest.clone(),
            source,
        })?;
        dest.pop();
        let target = target.to_string_lossy().into_owned();
        if target.starts_with('/') {
            dest = PathBuf::from("/");
        }
        pending.extend(
            target
                .split('/')
                .filter(|c| !c.is_empty())
                .rev()
                .map(str::to_owned),
        );
    }
    Ok(dest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(source_key("../x"), "/x");
        assert_eq!(source_key("/etc/../a//b/."), "/a/b");
        assert_eq!(source_key("."), "/");
    }

    #[test]
    fn resolution_stays_inside() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("x"), "x").expect("write");
        std::fs::create_dir(root.join("d")).expect("mkdir");
        std::os::unix::fs::symlink("/x", root.join("d/abs")).expect("symlink");
        std::os::unix::fs::symlink("../../../../x", root.join("d/rel")).expect("symlink");
        std::os::unix::fs::symlink("/etc/passwd", root.join("out")).expect("symlink");
        std::os::unix::fs::symlink("loop", root.join("loop")).expect("symlink");
        assert_eq!(resolve(root, "../x").expect("found"), root.join("x"));
        assert_eq!(resolve(root, "/x").expect("found"), root.join("x"));
        assert_eq!(resolve(root, "d/abs").expect("found"), root.join("x"));
        assert_eq!(resolve(root, "d/rel").expect("found"), root.join("x"));
        assert_eq!(
            resolve(root, "out").unwrap_err(),
            ContextError::NotFound { key: "/out".into() }
        );
        assert_eq!(
            resolve(root, "../nothere").unwrap_err().render_cli("abc::def"),
            "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref abc::def: \"/nothere\": not found\n"
        );
        assert!(matches!(
            resolve(root, "loop"),
            Err(ContextError::SymlinkLoop { .. })
        ));
    }

    #[test]
    fn go_absolute_paths_are_clean() {
        let cwd = Path::new("/tmp/work");
        assert_eq!(absolute(cwd, "."), PathBuf::from("/tmp/work"));
        assert_eq!(
            absolute(cwd, "./Dockerfile"),
            PathBuf::from("/tmp/work/Dockerfile")
        );
        assert_eq!(absolute(cwd, "a/../b//c/"), PathBuf::from("/tmp/work/b/c"));
        assert_eq!(absolute(cwd, "/etc/./x"), PathBuf::from("/etc/x"));
    }

    #[test]
    fn symlinks_are_evaluated_as_go_does() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir(root.join("real")).expect("mkdir");
        std::fs::write(root.join("real/Dockerfile"), "FROM scratch\n").expect("write");
        std::os::unix::fs::symlink("real", root.join("link")).expect("symlink");
        assert_eq!(
            eval_symlinks(&root.join("link/Dockerfile")).expect("found"),
            root.join("real/Dockerfile")
        );
        // The error names the prefix that is missing, symlinks before it resolved.
        assert_eq!(
            eval_symlinks(&root.join("link/nosuch/Dockerfile"))
                .expect_err("missing")
                .to_string(),
            format!(
                "lstat {}: no such file or directory",
                root.join("real/nosuch").display()
            )
        );
        assert_eq!(
            eval_symlinks(&root.join("real/Dockerfile/x"))
                .expect_err("a file is not a directory")
                .to_string(),
            "not a directory"
        );
    }
}
