//! Whole-file replacement that never leaves a half-written file: the new content goes to a temp
//! file in the target's directory, is fsynced, renamed over the target, and the directory is
//! fsynced. A failure (full disk, file size limit, a kill) leaves the old file whole; the temp
//! file is removed unless the process was killed (its name then starts with the store's temp
//! prefix, so it is recognisable). docker/cli's `CopyToFile` does the same for `docker save -o`.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::i18n::IoReason;

/// The name prefix of every temp file docklab writes (the store's and these): a file left by a
/// kill is recognisable, and `store fsck` removes it.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Whether a write failed because the disk (or the process's file size limit, or a quota) has no
/// room left: the student is told to free space rather than shown the OS error.
pub fn is_disk_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::FileTooLarge | io::ErrorKind::QuotaExceeded
    )
}

/// Why a write failed, for a message argument.
pub(crate) fn io_reason(e: &io::Error) -> IoReason {
    if is_disk_full(e) {
        IoReason::DiskFull
    } else {
        IoReason::Os(e.to_string())
    }
}

/// A file being written; it replaces its target only on [`AtomicFile::commit`].
pub(crate) struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    /// Starts writing a replacement for `target` (which need not exist).
    pub(crate) fn create(target: &Path) -> io::Result<AtomicFile> {
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir_of(target))?;
        Ok(AtomicFile {
            tmp,
            target: target.to_owned(),
        })
    }

    pub(crate) fn file(&mut self) -> &mut File {
        self.tmp.as_file_mut()
    }

    /// Sets the permission bits the file will have (a temp file starts as 0600).
    pub(crate) fn set_mode(&self, mode: u32) -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt as _;
        self.tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
    }

    /// fsync, rename over the target, fsync the directory.
    pub(crate) fn commit(self) -> io::Result<()> {
        self.tmp.as_file().sync_all()?;
        let dir = dir_of(&self.target).to_owned();
        self.tmp.persist(&self.target).map_err(|e| e.error)?;
        File::open(dir)?.sync_all()
    }
}

/// The directory a file is in (`.` for a bare name).
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Replaces `target` with `bytes`, atomically.
pub(crate) fn write(target: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    use std::io::Write as _;
    let mut f = AtomicFile::create(target)?;
    f.file().write_all(bytes)?;
    if let Some(mode) = mode {
        f.set_mode(mode)?;
    }
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("out.tar");
        std::fs::write(&target, b"old content").expect("write");
        {
            let mut f = AtomicFile::create(&target).expect("create");
            f.file().write_all(b"half of the new").expect("write");
            // Dropped without commit: what an error midway does.
        }
        assert_eq!(std::fs::read(&target).expect("read"), b"old content");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
        write(&target, b"new", Some(0o644)).expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&target)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    #[test]
    fn a_bare_name_is_written_in_the_current_directory_s_terms() {
        assert_eq!(dir_of(Path::new("x.tar")), Path::new("."));
        assert_eq!(dir_of(Path::new("/a/x.tar")), Path::new("/a"));
    }
}
