//! Where a pane's lines live: the raw bytes (a memory map of the file, or owned buffers) and
//! a compact index of where each line starts. Lines are parsed only when shown.
//!
//! Lines are kept in blocks. A block is immutable once sealed and shared (`Arc`), so a
//! background job (a filter, a search) can read a snapshot while new lines arrive. The
//! newest lines gather in an open tail block. Lines are numbered from the first line ever
//! stored; evicting the oldest blocks (bounded scrollback) does not renumber the rest.

use std::{collections::VecDeque, ops::Range, sync::Arc};

use memmap2::Mmap;

/// The bytes behind a block.
#[derive(Debug, Clone)]
pub enum Bytes {
    /// A range of a memory-mapped file.
    Mapped(Arc<Mmap>, Range<usize>),
    Owned(Vec<u8>),
    /// Bytes compiled into the binary (the bundled incident).
    Static(&'static [u8]),
}

impl Bytes {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map, range) => &map[range.clone()],
            Bytes::Owned(bytes) => bytes,
            Bytes::Static(bytes) => bytes,
        }
    }
}

/// A run of whole lines.
#[derive(Debug, Clone)]
pub struct Block {
    bytes: Bytes,
    /// Start of each line in `bytes`; a line ends where the next starts (minus its `\n`).
    starts: Vec<u32>,
    /// Per line: which of the pane's sources it came from (`None`: all from source 0).
    tags: Option<Vec<u16>>,
}

impl Block {
    /// Index the lines of `bytes` (a trailing line without `\n` counts). Offsets are `u32`:
    /// callers keep blocks under 4 GiB.
    pub fn new(bytes: Bytes) -> Block {
        let data = bytes.as_slice();
        let mut starts = Vec::with_capacity(data.len() / 64);
        if !data.is_empty() {
            starts.push(0);
            starts.extend(
                memchr::memchr_iter(b'\n', data)
                    .map(|i| (i + 1) as u32)
                    .filter(|&s| (s as usize) < data.len()),
            );
        }
        Block {
            bytes,
            starts,
            tags: None,
        }
    }

    /// A block whose lines came from the sources `tags` says (one per line).
    pub fn with_tags(mut self, tags: Vec<u16>) -> Block {
        debug_assert_eq!(tags.len(), self.starts.len());
        if tags.len() == self.starts.len() && tags.iter().any(|&t| t != 0) {
            self.tags = Some(tags);
        }
        self
    }

    /// A block whose lines all came from `tag`.
    pub fn with_tag(mut self, tag: u16) -> Block {
        if tag != 0 {
            self.tags = Some(vec![tag; self.starts.len()]);
        }
        self
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    pub fn byte_len(&self) -> usize {
        self.bytes.as_slice().len()
    }

    /// Line `i` of the block, without its terminator.
    pub fn line(&self, i: usize) -> &[u8] {
        &self.bytes.as_slice()[self.line_range(i)]
    }

    /// Where line `i` is in [`Block::bytes`], without its terminator.
    pub fn line_range(&self, i: usize) -> Range<usize> {
        let data = self.bytes.as_slice();
        let start = self.starts[i] as usize;
        let mut end = self
            .starts
            .get(i + 1)
            .map_or(data.len(), |&next| next as usize);
        if data[start..end].ends_with(b"\n") {
            end -= 1;
        }
        if data[start..end].ends_with(b"\r") {
            end -= 1;
        }
        start..end
    }

    pub fn tag(&self, i: usize) -> u16 {
        self.tags.as_ref().map_or(0, |tags| tags[i])
    }

    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// Offsets of line starts, for callers that search the whole block at once.
    pub fn line_of_offset(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Release the block's memory-mapped pages from this process: the kernel reads them back
    /// from the page cache when they are next shown. Keeps a scanned 1 GiB file from counting
    /// as 1 GiB of resident memory.
    pub fn release_pages(&self) {
        if let Bytes::Mapped(map, range) = &self.bytes {
            // SAFETY: the map is read-only and backed by a file; DONTNEED only drops this
            // process's page references, which later reads fault back in from the file.
            unsafe {
                let _ = map.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    range.len(),
                );
            }
        }
    }
}

/// Lines appended to the open tail before it is sealed into a block.
const TAIL_LINES: usize = 1024;

/// A pane's lines: sealed blocks plus an open tail, with an optional bound on how many are
/// kept.
#[derive(Debug, Clone, Default)]
pub struct LineStore {
    blocks: VecDeque<Arc<Block>>,
    /// Number of the first line of each block (parallel to `blocks`).
    firsts: VecDeque<u64>,
    tail: Vec<u8>,
    tail_starts: Vec<u32>,
    tail_tags: Vec<u16>,
    /// Number of the first line still stored.
    first: u64,
    /// Number of lines ever stored (the next line's number).
    end: u64,
    /// Keep at most this many lines (whole blocks are evicted); `None`: keep all.
    limit: Option<u64>,
    bytes: usize,
}

impl LineStore {
    pub fn new(limit: Option<u64>) -> LineStore {
        LineStore {
            limit,
            ..LineStore::default()
        }
    }

    /// Line numbers currently stored.
    pub fn range(&self) -> Range<u64> {
        self.first..self.end
    }

    pub fn len(&self) -> u64 {
        self.end - self.first
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.first
    }

    /// Bytes of log text held (mapped or owned).
    pub fn byte_len(&self) -> usize {
        self.bytes + self.tail.len()
    }

    /// Append a whole block (from a file being loaded). Returns the number of its first line.
    /// Blocks evicted to make room go to `evicted` with their first line numbers.
    pub fn push_block(&mut self, block: Arc<Block>, evicted: &mut Vec<(u64, Arc<Block>)>) -> u64 {
        self.seal_tail();
        let first = self.end;
        self.end += block.len() as u64;
        self.bytes += block.byte_len();
        self.firsts.push_back(first);
        self.blocks.push_back(block);
        self.evict(evicted);
        first
    }

    /// Append one line (from a live source). Returns its number. Blocks evicted to make room
    /// go to `evicted` with their first line numbers.
    pub fn push_line(
        &mut self,
        line: &[u8],
        tag: u16,
        evicted: &mut Vec<(u64, Arc<Block>)>,
    ) -> u64 {
        // A line holds no `\n` of its own: a stray one is shown as a space, not split.
        self.tail_starts.push(self.tail.len() as u32);
        self.tail
            .extend(line.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
        self.tail.push(b'\n');
        self.tail_tags.push(tag);
        let number = self.end;
        self.end += 1;
        if self.tail_starts.len() >= TAIL_LINES || self.tail.len() >= 1 << 20 {
            self.seal_tail();
            self.evict(evicted);
        }
        number
    }

    fn seal_tail(&mut self) {
        if self.tail_starts.is_empty() {
            return;
        }
        let count = self.tail_starts.len() as u64;
        let tags = std::mem::take(&mut self.tail_tags);
        let block = Block {
            bytes: Bytes::Owned(std::mem::take(&mut self.tail)),
            starts: std::mem::take(&mut self.tail_starts),
            tags: tags.iter().any(|&t| t != 0).then_some(tags),
        };
        self.bytes += block.byte_len();
        self.firsts.push_back(self.end - count);
        self.blocks.push_back(Arc::new(block));
    }

    fn evict(&mut self, evicted: &mut Vec<(u64, Arc<Block>)>) {
        let Some(limit) = self.limit else { return };
        while self.len() > limit && self.blocks.len() > 1 {
            let block = self.blocks.pop_front().expect("more than one block");
            let first = self.firsts.pop_front().expect("parallel to blocks");
            self.bytes -= block.byte_len();
            self.first = self.firsts.front().copied().unwrap_or(self.end);
            evicted.push((first, block));
        }
    }

    /// Line `n` (without terminator) and its source tag, if still stored.
    pub fn line(&self, n: u64) -> Option<(&[u8], u16)> {
        if n < self.first || n >= self.end {
            return None;
        }
        let tail_first = self.end - self.tail_starts.len() as u64;
        if n >= tail_first {
            let i = (n - tail_first) as usize;
            let start = self.tail_starts[i] as usize;
            let end = self
                .tail_starts
                .get(i + 1)
                .map_or(self.tail.len(), |&s| s as usize);
            let line = &self.tail[start..end];
            return Some((line.strip_suffix(b"\n").unwrap_or(line), self.tail_tags[i]));
        }
        let b = match self.firsts.binary_search(&n) {
            Ok(b) => b,
            Err(b) => b - 1,
        };
        let block = &self.blocks[b];
        let i = (n - self.firsts[b]) as usize;
        Some((block.line(i), block.tag(i)))
    }

    /// The lines as shared blocks with their first line numbers, for a background job.
    /// The open tail is included as a sealed copy.
    pub fn snapshot(&self) -> Vec<(u64, Arc<Block>)> {
        let mut blocks: Vec<(u64, Arc<Block>)> = self
            .firsts
            .iter()
            .copied()
            .zip(self.blocks.iter().cloned())
            .collect();
        if !self.tail_starts.is_empty() {
            let tags = self.tail_tags.clone();
            blocks.push((
                self.end - self.tail_starts.len() as u64,
                Arc::new(Block {
                    bytes: Bytes::Owned(self.tail.clone()),
                    starts: self.tail_starts.clone(),
                    tags: tags.iter().any(|&t| t != 0).then_some(tags),
                }),
            ));
        }
        blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(text: &str) -> Arc<Block> {
        Arc::new(Block::new(Bytes::Owned(text.as_bytes().to_vec())))
    }

    #[test]
    fn blocks_index_their_lines() {
        let block = Block::new(Bytes::Owned(b"a\nbb\r\n\nlast".to_vec()));
        assert_eq!(block.len(), 4);
        assert_eq!(
            [block.line(0), block.line(1), block.line(2), block.line(3)],
            [&b"a"[..], b"bb", b"", b"last"]
        );
        assert_eq!(Block::new(Bytes::Owned(b"one\n".to_vec())).len(), 1);
        assert_eq!(Block::new(Bytes::Owned(Vec::new())).len(), 0);
        assert_eq!(block.line_of_offset(3), 1);
    }

    #[test]
    fn lines_across_blocks_and_the_tail() {
        let mut store = LineStore::new(None);
        let mut gone = Vec::new();
        assert_eq!(store.push_block(owned("l0\nl1\n"), &mut gone), 0);
        assert_eq!(store.push_line(b"l2", 3, &mut gone), 2);
        assert_eq!(store.push_block(owned("l3\n"), &mut gone), 3);
        assert_eq!(store.push_line(b"l4\nstill l4", 1, &mut gone), 4);
        assert!(gone.is_empty());
        let got: Vec<_> = store.range().map(|n| store.line(n).unwrap()).collect();
        assert_eq!(
            got,
            [
                (&b"l0"[..], 0),
                (b"l1", 0),
                (b"l2", 3),
                (b"l3", 0),
                (&b"l4 still l4"[..], 1)
            ]
        );
        assert_eq!(store.line(5), None);
        let snapshot_lines: usize = store.snapshot().iter().map(|(_, b)| b.len()).sum();
        assert_eq!(snapshot_lines, 5);
    }

    #[test]
    fn a_bounded_store_evicts_whole_old_blocks_and_keeps_numbers() {
        let mut store = LineStore::new(Some(2500));
        let mut gone = Vec::new();
        for n in 0..10_000u64 {
            store.push_line(format!("line {n}").as_bytes(), 0, &mut gone);
        }
        let evicted: usize = gone.iter().map(|(_, b)| b.len()).sum();
        assert_eq!(evicted as u64, store.range().start);
        assert_eq!(gone[0].1.line(0), b"line 0");
        assert!(store.len() <= 2500 + TAIL_LINES as u64, "{}", store.len());
        assert!(store.len() >= 2500);
        let first = store.range().start;
        assert_eq!(
            store.line(first).unwrap().0,
            format!("line {first}").as_bytes()
        );
        assert_eq!(store.line(9_999).unwrap().0, b"line 9999");
        assert_eq!(store.line(0), None);
    }
}
