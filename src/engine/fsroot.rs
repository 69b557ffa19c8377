//! Where a path typed in a Docker command lands on disk: the one place the simulated engine turns
//! `docker save -o F`, `docker load -i F`, a build context or `-f Dockerfile` into a file to open.
//!
//! For a student the mapping is the identity (their own files, relative paths from the shell's
//! directory, `~` and `$HOME` meaning their workspace, as a shell would expand them). For
//! `docklab verify` it is a jail: the replay of an untrusted report sees a fresh temporary
//! directory as its whole file system. Absolute paths land under that root, `..` stops at it,
//! and symlinks are followed one component at a time *inside* it (an absolute target starts again
//! from the root), so no replayed command reads or writes a file of the grader's. What cannot be
//! mapped faithfully is refused: device and kernel trees (`/dev`, `/proc`, `/sys`), special files
//! (FIFOs, sockets, devices), symlink loops.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Linux's limit on symlinks followed in one lookup.
const MAX_SYMLINKS: usize = 40;

/// Directories of the host that are devices or kernel views, never plain files to replay.
const KERNEL_TREES: &[&str] = &["dev", "proc", "sys"];

/// Why a path cannot be used in a replay.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refusal {
    /// Under `/dev`, `/proc` or `/sys`: devices and kernel files have no place in a sandbox.
    Device,
    /// A FIFO, socket or device node.
    SpecialFile,
    /// More symlinks than a lookup may follow.
    SymlinkLoop,
    /// A directory outside the sandbox (the engine's working directory was not mapped).
    Outside,
}

impl Refusal {
    /// The refusal's name, as messages select their wording by it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Refusal::Device => "device",
            Refusal::SpecialFile => "special-file",
            Refusal::SymlinkLoop => "symlink-loop",
            Refusal::Outside => "outside",
        }
    }
}

/// A path refused, as the command named it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{path}: {}", .reason.as_str())]
pub struct PathRefused {
    pub path: String,
    pub reason: Refusal,
}

/// How a command's paths map to the disk.
#[derive(Debug, Clone, Default)]
pub struct FsRoot {
    /// The sandbox root for a jail; `None` for the identity.
    jail: Option<PathBuf>,
    /// What `~` and `$HOME` mean (on disk): the workspace.
    home: Option<PathBuf>,
    /// In a jail: whether the command being replayed succeeded for the student. The sandbox has
    /// none of the student's directories; a write that worked for them had its directory, so
    /// the replay makes it (and only then: a write that failed must fail again).
    succeeded: Arc<AtomicBool>,
}

impl FsRoot {
    /// The identity: the student's own files.
    pub fn host() -> FsRoot {
        FsRoot::default()
    }

    /// A jail whose root is the directory `root` on disk.
    pub fn jail(root: PathBuf) -> FsRoot {
        FsRoot {
            jail: Some(root),
            home: None,
            succeeded: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same mapping with `~` meaning `home` (a directory on disk, inside the jail if any).
    #[must_use]
    pub fn with_home(&self, home: &Path) -> FsRoot {
        FsRoot {
            jail: self.jail.clone(),
            home: Some(home.to_path_buf()),
            succeeded: Arc::clone(&self.succeeded),
        }
    }

    /// The jail's root on disk, if this is a jail.
    pub fn jail_root(&self) -> Option<&Path> {
        self.jail.as_deref()
    }

    /// Says whether the command about to be replayed succeeded when the student ran it (shared
    /// by every copy of this mapping).
    pub fn set_replayed_success(&self, succeeded: bool) {
        self.succeeded.store(succeeded, Ordering::Relaxed);
    }

    /// [`FsRoot::resolve`] for a file the command creates. In a jail, when the replayed command
    /// succeeded for the student, the missing directories above it are made inside the sandbox.
    pub fn resolve_for_write(&self, cwd: &Path, name: &str) -> Result<PathBuf, PathRefused> {
        let path = self.resolve(cwd, name)?;
        if self.jail.is_some() && self.succeeded.load(Ordering::Relaxed) {
            if let Some(parent) = path.parent() {
                // The resolved path has no symlink in its existing part: what is made is plain
                // directories inside the sandbox.
                let _ = std::fs::create_dir_all(parent);
            }
        }
        Ok(path)
    }

    /// `~`, `~/…`, `$HOME`, `${HOME}/…` made absolute with the workspace, as a shell expands them
    /// before `docker` sees the word.
    fn expand_home(&self, name: &str) -> Option<PathBuf> {
        let home = self.home.as_ref()?;
        for prefix in ["~", "$HOME", "${HOME}"] {
            if let Some(rest) = name.strip_prefix(prefix) {
                if rest.is_empty() {
                    return Some(home.clone());
                }
                if let Some(rest) = rest.strip_prefix('/') {
                    return Some(home.join(rest));
                }
            }
        }
        None
    }

    /// The file on disk that `name`, typed in a command whose working directory is `cwd` (on
    /// disk), stands for.
    pub fn resolve(&self, cwd: &Path, name: &str) -> Result<PathBuf, PathRefused> {
        let expanded = self.expand_home(name);
        let Some(root) = &self.jail else {
            return Ok(expanded.unwrap_or_else(|| cwd.join(name)));
        };
        let refused = |reason| PathRefused {
            path: name.to_owned(),
            reason,
        };
        // The path as the replayed command sees it, from the sandbox's `/`.
        let virtual_path = match expanded {
            Some(on_disk) => inside(root, &on_disk).ok_or_else(|| refused(Refusal::Outside))?,
            None if name.starts_with('/') => PathBuf::from(name),
            None => inside(root, cwd)
                .ok_or_else(|| refused(Refusal::Outside))?
                .join(name),
        };
        let mut pending: Vec<String> = components(&virtual_path);
        pending.reverse();
        let mut current: Vec<String> = Vec::new();
        let mut links = 0;
        while let Some(comp) = pending.pop() {
            match comp.as_str() {
                "." => continue,
                ".." => {
                    current.pop();
                    continue;
                }
                _ => {}
            }
            current.push(comp);
            if current.len() == 1 && KERNEL_TREES.contains(&current[0].as_str()) {
                return Err(refused(Refusal::Device));
            }
            // Every component is looked at, even after a missing one: `missing/../link` comes
            // back to an existing directory whose links must still be followed inside.
            let on_disk = join(root, &current);
            let Ok(meta) = std::fs::symlink_metadata(&on_disk) else {
                continue;
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(refused(Refusal::SymlinkLoop));
                }
                let target = std::fs::read_link(&on_disk).map_err(|_| refused(Refusal::Outside))?;
                current.pop();
                if target.has_root() {
                    current.clear();
                }
                let mut more = components(&target);
                more.reverse();
                pending.extend(more);
            } else if !kind.is_file() && !kind.is_dir() {
                return Err(refused(Refusal::SpecialFile));
            }
        }
        Ok(join(root, &current))
    }
}

/// The normal, `.` and `..` components of a path, as text.
fn components(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_owned()),
            Component::CurDir => Some(".".to_owned()),
            Component::RootDir | Component::Prefix(_) => None,
        })
        .collect()
}

fn join(root: &Path, parts: &[String]) -> PathBuf {
    parts.iter().fold(root.to_path_buf(), |p, c| p.join(c))
}

/// `on_disk` as seen from the jail's `/`, when it lies inside the jail.
fn inside(root: &Path, on_disk: &Path) -> Option<PathBuf> {
    on_disk
        .strip_prefix(root)
        .ok()
        .map(|rel| Path::new("/").join(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jail() -> (tempfile::TempDir, PathBuf, FsRoot) {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("home/ws/sub")).expect("mkdir");
        assert!(!root.join("srv").exists());
        let fs = FsRoot::jail(root.clone()).with_home(&root.join("home/ws"));
        (dir, root, fs)
    }

    #[test]
    fn the_host_mapping_is_the_identity_with_the_workspace_for_home() {
        let fs = FsRoot::host().with_home(Path::new("/w"));
        let cwd = Path::new("/w/site");
        assert_eq!(fs.resolve(cwd, "x.tar"), Ok(PathBuf::from("/w/site/x.tar")));
        assert_eq!(fs.resolve(cwd, "/tmp/x"), Ok(PathBuf::from("/tmp/x")));
        assert_eq!(fs.resolve(cwd, "~/a"), Ok(PathBuf::from("/w/a")));
        assert_eq!(fs.resolve(cwd, "$HOME/a"), Ok(PathBuf::from("/w/a")));
        assert_eq!(fs.resolve(cwd, "${HOME}"), Ok(PathBuf::from("/w")));
        assert_eq!(fs.resolve(cwd, "~x"), Ok(PathBuf::from("/w/site/~x")));
        assert_eq!(fs.resolve(cwd, "/dev/zero"), Ok(PathBuf::from("/dev/zero")));
    }

    #[test]
    fn a_jail_maps_every_path_under_its_root() {
        let (_d, root, fs) = jail();
        let cwd = root.join("home/ws/sub");
        let cases = [
            ("x.tar", "home/ws/sub/x.tar"),
            ("/tmp/x.tar", "tmp/x.tar"),
            ("../../../../../../etc/passwd", "etc/passwd"),
            ("/../../etc/passwd", "etc/passwd"),
            ("~/a", "home/ws/a"),
            ("$HOME/a/../b", "home/ws/b"),
            ("./.", "home/ws/sub"),
            ("/", ""),
        ];
        for (name, want) in cases {
            let got = fs.resolve(&cwd, name).expect(name);
            assert_eq!(got, root.join(want), "{name}");
        }
    }

    #[test]
    fn a_write_that_succeeded_for_the_student_gets_its_directories() {
        let (_d, root, fs) = jail();
        let cwd = root.join("home/ws");
        let path = fs.resolve_for_write(&cwd, "/srv/a/x.tar").expect("mapped");
        assert_eq!(path, root.join("srv/a/x.tar"));
        assert!(!root.join("srv/a").exists(), "the student's write failed");
        fs.with_home(&cwd).set_replayed_success(true);
        fs.resolve_for_write(&cwd, "/srv/a/x.tar").expect("mapped");
        assert!(root.join("srv/a").is_dir());
    }

    #[test]
    fn symlinks_are_followed_inside_the_jail() {
        let (_d, root, fs) = jail();
        std::fs::create_dir_all(root.join("etc")).expect("mkdir");
        std::os::unix::fs::symlink("/etc", root.join("home/ws/abs")).expect("symlink");
        std::os::unix::fs::symlink("../../../../..", root.join("home/ws/up")).expect("symlink");
        std::os::unix::fs::symlink("/etc/passwd", root.join("home/ws/pw")).expect("symlink");
        std::os::unix::fs::symlink("loop", root.join("home/ws/loop")).expect("symlink");
        let cwd = root.join("home/ws");
        assert_eq!(fs.resolve(&cwd, "abs/passwd"), Ok(root.join("etc/passwd")));
        assert_eq!(
            fs.resolve(&cwd, "up/etc/shadow"),
            Ok(root.join("etc/shadow"))
        );
        assert_eq!(fs.resolve(&cwd, "nosuch/../abs/x"), Ok(root.join("etc/x")));
        // A dangling link is created where it points, inside.
        assert_eq!(fs.resolve(&cwd, "pw"), Ok(root.join("etc/passwd")));
        assert_eq!(
            fs.resolve(&cwd, "loop").map_err(|e| e.reason),
            Err(Refusal::SymlinkLoop)
        );
    }

    #[test]
    fn devices_special_files_and_unmapped_directories_are_refused() {
        let (_d, root, fs) = jail();
        let cwd = root.join("home/ws");
        for name in [
            "/dev/zero",
            "/proc/self/environ",
            "/sys",
            "../../../dev/null",
        ] {
            assert_eq!(
                fs.resolve(&cwd, name).map_err(|e| e.reason),
                Err(Refusal::Device),
                "{name}"
            );
        }
        let fifo = root.join("home/ws/fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(
                fs.resolve(&cwd, "fifo").map_err(|e| e.reason),
                Err(Refusal::SpecialFile)
            );
        }
        assert_eq!(
            fs.resolve(Path::new("/elsewhere"), "x")
                .map_err(|e| e.reason),
            Err(Refusal::Outside)
        );
        // An absolute path needs no working directory.
        assert_eq!(
            fs.resolve(Path::new("/elsewhere"), "/x"),
            Ok(root.join("x"))
        );
    }
}
