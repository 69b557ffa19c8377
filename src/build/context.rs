//! Resolving COPY/ADD sources inside the build context, never outside it.
//!
//! BuildKit treats the context as a root directory: `../x` and `/x` both mean `<context>/x`,
//! and symlinks are followed as if the context were `/` (a link to `/etc/passwd` means
//! `<context>/etc/passwd`). A source that does not exist there fails with
//! `failed to compute cache key: failed to calculate checksum of ref <ref>: "/x": not found`.

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
        format!(
            "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref {reference}: {self}\n"
        )
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
}
