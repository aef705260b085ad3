//! Lines read on demand: a plain log file's blocks keep, once matched, only what finds their
//! lines again (the file, the block's offset, its line starts), and their bytes are read again
//! with positioned reads when a line is shown or searched.
//!
//! The file may change under us at any time (logrotate's `copytruncate`, a rotation, an
//! overwrite). The file stays open, so a rotated file's inode and bytes stay readable through
//! it; a file cut shorter, or other bytes where the block was, is noticed on reading (the
//! length before the read, a short read, the line ends where the index says, and a fingerprint
//! of bytes sampled across the block) and the block is then unavailable: its lines say
//! [`LINE_UNAVAILABLE`], never another line's text.

use std::{
    cell::RefCell,
    fs::File,
    hash::{Hash, Hasher},
    io,
    os::unix::fs::{FileExt, MetadataExt},
    sync::Arc,
};

use crate::model::Block;

/// What a line whose bytes are gone says instead (plain ASCII: safe in a terminal as it is).
pub const LINE_UNAVAILABLE: &[u8] = b"[file shrank: line no longer available]";

/// Why a block's lines cannot be read again.
#[derive(Debug, thiserror::Error)]
pub enum LineUnavailable {
    #[error("the file is shorter than where the lines were")]
    Shrank,
    #[error("other bytes are where the lines were")]
    Changed,
    #[error("the block has no file behind it")]
    NoFile,
    #[error("reading the file failed: {0}")]
    Io(#[from] io::Error),
}

/// A log file kept open while its lines are shown: its inode stays readable through it
/// whatever happens at its path.
#[derive(Debug)]
pub struct OpenLog {
    file: File,
    /// Device and inode when opened.
    identity: (u64, u64),
}

impl OpenLog {
    pub fn new(file: File) -> io::Result<Arc<OpenLog>> {
        let meta = file.metadata()?;
        Ok(Arc::new(OpenLog {
            file,
            identity: (meta.dev(), meta.ino()),
        }))
    }

    /// The file's length now, after checking it is still the file that was opened.
    fn len_now(&self) -> Result<u64, LineUnavailable> {
        let meta = self.file.metadata()?;
        if (meta.dev(), meta.ino()) != self.identity {
            return Err(LineUnavailable::Changed);
        }
        Ok(meta.len())
    }
}

/// Where a block's bytes are in an open file, and a fingerprint to know them again.
#[derive(Debug, Clone)]
pub struct FileOrigin {
    file: Arc<OpenLog>,
    offset: u64,
    len: u64,
    fingerprint: u64,
}

/// Bytes fingerprinted at each of this many places across a block, and how many at each.
const SAMPLES: usize = 32;
const SAMPLE_BYTES: usize = 64;

fn fingerprint(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.len().hash(&mut hasher);
    let step = bytes.len() / SAMPLES;
    for k in 0..SAMPLES {
        let at = (k * step).min(bytes.len());
        bytes[at..(at + SAMPLE_BYTES).min(bytes.len())].hash(&mut hasher);
    }
    bytes[bytes.len().saturating_sub(SAMPLE_BYTES)..].hash(&mut hasher);
    hasher.finish()
}

impl FileOrigin {
    /// The span of `file` at `offset` holding `bytes` (as just read from it).
    pub fn new(file: Arc<OpenLog>, offset: u64, bytes: &[u8]) -> FileOrigin {
        FileOrigin {
            file,
            offset,
            len: bytes.len() as u64,
            fingerprint: fingerprint(bytes),
        }
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether `bytes` are what this origin was made from.
    pub(crate) fn matches(&self, bytes: &[u8]) -> bool {
        bytes.len() as u64 == self.len && fingerprint(bytes) == self.fingerprint
    }

    /// Read the span again; `starts` are the block's line starts, checked against it.
    pub(crate) fn read(&self, starts: &[u32]) -> Result<Vec<u8>, LineUnavailable> {
        if self.file.len_now()? < self.offset + self.len {
            return Err(LineUnavailable::Shrank);
        }
        let len = usize::try_from(self.len).map_err(|_| LineUnavailable::Changed)?;
        // A buffer of a block gone, if one is spare: its pages are mapped already.
        let mut bytes = crate::model::spare_buffer();
        bytes.clear();
        bytes.resize(len, 0);
        self.file
            .file
            .read_exact_at(&mut bytes, self.offset)
            .map_err(|err| match err.kind() {
                io::ErrorKind::UnexpectedEof => LineUnavailable::Shrank,
                _ => LineUnavailable::Io(err),
            })?;
        // Every line but the first starts after a line end, as when the index was made.
        let ends_agree = starts
            .iter()
            .skip(1)
            .all(|&s| s as usize >= 1 && bytes.get(s as usize - 1) == Some(&b'\n'));
        if !ends_agree || !self.matches(&bytes) {
            return Err(LineUnavailable::Changed);
        }
        Ok(bytes)
    }

    /// Whether both are the same span of the same open file.
    fn same_span(&self, other: &FileOrigin) -> bool {
        Arc::ptr_eq(&self.file, &other.file) && self.offset == other.offset && self.len == other.len
    }
}

/// Have the allocator map every buffer of 1 MiB and more on its own and unmap it when freed.
/// Blocks are 1 MiB buffers freed as the cache drops them: glibc's sliding threshold (raised to
/// the size of each such buffer freed) would otherwise serve them from its heaps, where freed
/// ones stay in the resident set, and the viewer's memory would grow back towards the file's
/// size. Called once, before the viewer's threads start.
pub fn return_big_buffers_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; called before other threads run.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

thread_local! {
    /// The block last read again on this thread: a walk over a block's lines (a report's
    /// excerpt, a filter) reads it once. One block: bounded.
    static LAST_RELOADED: RefCell<Option<Arc<Block>>> = const { RefCell::new(None) };
}

/// [`Block::with_loaded`] for a block whose bytes were dropped.
pub(crate) fn with_reloaded<R>(
    block: &Block,
    f: impl FnOnce(&Block) -> R,
) -> Result<R, LineUnavailable> {
    let origin = block.origin().ok_or(LineUnavailable::NoFile)?;
    let cached = LAST_RELOADED.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|b| b.origin().is_some_and(|o| o.same_span(origin)))
            .cloned()
    });
    let loaded = match cached {
        Some(loaded) => loaded,
        None => {
            // Dropped first: two blocks are never held here at once.
            LAST_RELOADED.with(|last| last.borrow_mut().take());
            let loaded = Arc::new(block.reload()?);
            LAST_RELOADED.with(|last| *last.borrow_mut() = Some(loaded.clone()));
            loaded
        }
    };
    Ok(f(&loaded))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::model::Bytes;

    fn file_block(text: &[u8]) -> (tempfile::NamedTempFile, Block) {
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        tmp.write_all(b"before\n").unwrap();
        tmp.write_all(text).unwrap();
        tmp.flush().unwrap();
        let log = OpenLog::new(File::open(tmp.path()).unwrap()).unwrap();
        let origin = FileOrigin::new(log, 7, text);
        let block = Block::new(Bytes::Owned(text.to_vec())).with_origin(origin);
        (tmp, block)
    }

    #[test]
    fn a_dropped_block_is_read_again_from_its_file() {
        let (_tmp, block) = file_block(b"one\ntwo\nthree\n");
        let unloaded = block.unloaded().unwrap();
        assert!(!unloaded.is_loaded());
        assert_eq!(unloaded.byte_len(), 0);
        assert_eq!(unloaded.line(1), LINE_UNAVAILABLE);
        let again = unloaded.reload().unwrap();
        assert_eq!(again.line(2), b"three");
        assert_eq!(
            unloaded.with_loaded(|b| b.line(1).to_vec()).unwrap(),
            b"two"
        );
    }

    #[test]
    fn a_file_cut_or_overwritten_makes_the_block_unavailable_not_wrong() {
        let (tmp, block) = file_block(b"one\ntwo\nthree\n");
        let unloaded = block.unloaded().unwrap();
        // Same length, other lines: the line ends do not agree.
        std::fs::write(tmp.path(), b"before\nonetwo\nthree\n\n").unwrap();
        assert!(matches!(unloaded.reload(), Err(LineUnavailable::Changed)));
        // Same line ends, other bytes: the fingerprint does not agree.
        std::fs::write(tmp.path(), b"before\nONE\ntwo\nthree\n").unwrap();
        assert!(matches!(unloaded.reload(), Err(LineUnavailable::Changed)));
        std::fs::write(tmp.path(), b"before\none").unwrap();
        assert!(matches!(unloaded.reload(), Err(LineUnavailable::Shrank)));
        assert!(unloaded.with_loaded(|_| ()).is_err());
        // Put back as it was: readable again.
        std::fs::write(tmp.path(), b"before\none\ntwo\nthree\n").unwrap();
        assert_eq!(unloaded.reload().unwrap().line(0), b"one");
    }

    #[test]
    fn a_block_that_is_not_its_span_keeps_its_bytes() {
        let (tmp, _) = file_block(b"a\nb\n");
        let log = OpenLog::new(File::open(tmp.path()).unwrap()).unwrap();
        let origin = FileOrigin::new(log, 7, b"a\nb\n");
        let other = Block::new(Bytes::Owned(b"a\nb\nc\n".to_vec())).with_origin(origin);
        assert!(other.origin().is_none());
        assert!(other.unloaded().is_none());
    }
}
