//! Reading files that may be hostile: a lab file, a Dockerfile, a `.dockerignore`. Only a
//! regular file is read (a FIFO would block forever, a device could be endless), it is opened
//! with `O_NONBLOCK` so that even a FIFO swapped in after the check cannot block the open, and
//! at most a limit of bytes is read (`Read::take`), whatever its size claims.

use std::fs::{File, FileType, OpenOptions};
use std::io::{self, Read as _};
use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file (after following symlinks): `kind` is [`kind_name`]'s word.
    #[error("not a regular file but a {kind}")]
    NotRegular { kind: &'static str },
    /// Larger than the limit; `size` is at least `limit + 1` (a file that grew while read is
    /// read no further than that).
    #[error("{size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    /// Missing or unreadable.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What a file type is called in messages: `directory`, `FIFO`, `socket`, `character
/// device`, `block device`, `symbolic link`, `regular file`.
pub fn kind_name(t: FileType) -> &'static str {
    if t.is_dir() {
        "directory"
    } else if t.is_fifo() {
        "FIFO"
    } else if t.is_socket() {
        "socket"
    } else if t.is_char_device() {
        "character device"
    } else if t.is_block_device() {
        "block device"
    } else if t.is_symlink() {
        "symbolic link"
    } else {
        "regular file"
    }
}

/// Opens `path` for reading if it is a regular file (symlinks followed), without ever
/// blocking on a FIFO.
pub fn open(path: &Path) -> Result<File, ReadError> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_name(before.file_type()),
        });
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)?;
    // The path may have been replaced between the check and the open.
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_name(meta.file_type()),
        });
    }
    Ok(file)
}

/// The bytes of the regular file `path`, refusing one larger than `limit` without reading
/// more than `limit + 1` bytes of it.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = open(path)?;
    let len = file.metadata()?.len();
    if len > limit {
        return Err(ReadError::TooLarge { size: len, limit });
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("f");
        std::fs::write(&file, b"hello").expect("write");
        assert_eq!(read(&file, 5).expect("reads"), b"hello");
        assert!(matches!(
            read(&file, 4),
            Err(ReadError::TooLarge { size: 5, limit: 4 })
        ));
        assert!(matches!(
            read(dir.path(), 10),
            Err(ReadError::NotRegular { kind: "directory" })
        ));
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).expect("symlink");
        assert_eq!(read(&link, 10).expect("follows the link"), b"hello");
        assert!(matches!(
            read(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular {
                kind: "character device"
            })
        ));
        assert!(matches!(
            read(&dir.path().join("missing"), 10),
            Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::NotFound
        ));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let start = Instant::now();
            assert!(matches!(
                read(&fifo, 10),
                Err(ReadError::NotRegular { kind: "FIFO" })
            ));
            assert!(start.elapsed() < Duration::from_secs(5));
        }
    }
}
