//! Where a pane's lines live: the raw bytes (a memory map of the file, or owned buffers) and
//! a compact index of where each line starts. Lines are parsed only when shown.
//!
//! Lines are kept in blocks. A block is immutable once sealed and shared (`Arc`), so a
//! background job (a filter, a search) can read a snapshot while new lines arrive. The
//! newest lines gather in an open tail block. Lines are numbered from the first line ever
//! stored; evicting the oldest blocks (bounded scrollback) does not renumber the rest.

use std::{collections::VecDeque, ops::Range, sync::Arc};

use crate::model::BlockParts;
pub use crate::model::{Block, Bytes, LineFields, TextFormat};

/// Lines appended to the open tail before it is sealed into a block.
const TAIL_LINES: usize = 1024;
/// Bytes in the open tail before it is sealed.
const TAIL_BYTES: usize = 1 << 20;

/// The open tail: small blocks (a live source's bursts) are copied into it, so a trickle of
/// lines does not cost a block each.
#[derive(Debug, Clone, Default)]
struct Tail {
    bytes: Vec<u8>,
    starts: Vec<u32>,
    tags: Vec<u16>,
    /// Parallel to `starts` when the tail's lines arrived as fields, else empty.
    fields: Vec<LineFields>,
    text_format: TextFormat,
}

impl Tail {
    fn len(&self) -> usize {
        self.starts.len()
    }

    /// Can `block`'s lines join the tail's (lines read the same way)?
    fn accepts(&self, block: &Block) -> bool {
        self.starts.is_empty()
            || (block.text_format() == self.text_format
                && block.fields(0).is_some() != self.fields.is_empty())
    }

    fn append(&mut self, block: &Block) {
        if self.starts.is_empty() {
            self.text_format = block.text_format();
        }
        for i in 0..block.len() {
            self.starts.push(self.bytes.len() as u32);
            self.bytes.extend_from_slice(block.line(i));
            self.bytes.push(b'\n');
            self.tags.push(block.tag(i));
            if let Some(fields) = block.fields(i) {
                self.fields.push(fields.clone());
            }
        }
    }

    fn line(&self, i: usize) -> &[u8] {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.bytes.len(), |&s| s as usize);
        let line = &self.bytes[start..end];
        line.strip_suffix(b"\n").unwrap_or(line)
    }

    fn to_block(&self) -> Block {
        self.clone().into_block()
    }

    fn into_block(self) -> Block {
        let tags = self.tags.iter().any(|&t| t != 0).then_some(self.tags);
        let fields = (!self.fields.is_empty()).then_some(self.fields);
        Block::from_parts(BlockParts {
            bytes: Bytes::Owned(self.bytes),
            starts: self.starts,
            tags,
            fields,
            text_format: self.text_format,
        })
    }
}

/// A pane's lines: sealed blocks plus an open tail, with an optional bound on how many are
/// kept.
#[derive(Debug, Clone, Default)]
pub struct LineStore {
    blocks: VecDeque<Arc<Block>>,
    /// Number of the first line of each block (parallel to `blocks`).
    firsts: VecDeque<u64>,
    tail: Tail,
    /// Number of the first line still stored.
    first: u64,
    /// Number of lines ever stored (the next line's number).
    end: u64,
    /// Keep at most this many lines (whole blocks are evicted); `None`: keep all.
    limit: Option<u64>,
    bytes: usize,
}

/// One stored line: its text and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredLine<'a> {
    pub text: &'a [u8],
    /// Which of the pane's sources it came from.
    pub tag: u16,
    /// Its fields, if it arrived as fields.
    pub fields: Option<&'a LineFields>,
    /// How to read its fields off its text otherwise.
    pub text_format: TextFormat,
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

    /// Bytes of log text held.
    pub fn byte_len(&self) -> usize {
        self.bytes + self.tail.bytes.len()
    }

    /// Append a block. Returns the number of its first line. A small block joins the open
    /// tail; a big one is kept as it is. Blocks evicted to make room go to `evicted` with
    /// their first line numbers.
    pub fn push_block(&mut self, block: Arc<Block>, evicted: &mut Vec<(u64, Arc<Block>)>) -> u64 {
        let first = self.end;
        if block.is_empty() {
            return first;
        }
        let small = block.len() < TAIL_LINES / 4 && block.byte_len() < TAIL_BYTES / 4;
        if small {
            if !self.tail.accepts(&block) {
                self.seal_tail();
            }
            self.tail.append(&block);
            self.end += block.len() as u64;
            if self.tail.len() >= TAIL_LINES || self.tail.bytes.len() >= TAIL_BYTES {
                self.seal_tail();
            }
        } else {
            self.seal_tail();
            self.end += block.len() as u64;
            self.bytes += block.byte_len();
            self.firsts.push_back(first);
            self.blocks.push_back(block);
        }
        self.evict(evicted);
        first
    }

    fn seal_tail(&mut self) {
        if self.tail.len() == 0 {
            return;
        }
        let count = self.tail.len() as u64;
        let block = std::mem::take(&mut self.tail).into_block();
        self.bytes += block.byte_len();
        self.firsts.push_back(self.end - count);
        self.blocks.push_back(Arc::new(block));
    }

    fn evict(&mut self, evicted: &mut Vec<(u64, Arc<Block>)>) {
        let Some(limit) = self.limit else { return };
        // Whole blocks go, oldest first, as long as at least `limit` lines stay.
        while self.blocks.len() > 1 && self.len() - self.blocks[0].len() as u64 >= limit {
            let block = self.blocks.pop_front().expect("more than one block");
            let first = self.firsts.pop_front().expect("parallel to blocks");
            self.bytes -= block.byte_len();
            self.first = self
                .firsts
                .front()
                .copied()
                .unwrap_or(self.end - self.tail.len() as u64);
            evicted.push((first, block));
        }
    }

    /// Line `n` (without terminator) and its source tag, if still stored.
    pub fn line(&self, n: u64) -> Option<(&[u8], u16)> {
        self.get(n).map(|l| (l.text, l.tag))
    }

    /// Line `n` with what is known about it, if still stored.
    pub fn get(&self, n: u64) -> Option<StoredLine<'_>> {
        if n < self.first || n >= self.end {
            return None;
        }
        let tail_first = self.end - self.tail.len() as u64;
        if n >= tail_first {
            let i = (n - tail_first) as usize;
            return Some(StoredLine {
                text: self.tail.line(i),
                tag: self.tail.tags[i],
                fields: self.tail.fields.get(i),
                text_format: self.tail.text_format,
            });
        }
        let b = match self.firsts.binary_search(&n) {
            Ok(b) => b,
            Err(b) => b - 1,
        };
        let block = &self.blocks[b];
        let i = (n - self.firsts[b]) as usize;
        Some(StoredLine {
            text: block.line(i),
            tag: block.tag(i),
            fields: block.fields(i),
            text_format: block.text_format(),
        })
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
        if self.tail.len() > 0 {
            blocks.push((
                self.end - self.tail.len() as u64,
                Arc::new(self.tail.to_block()),
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

    /// One line from a live source, as a block of one line of fields.
    fn live(
        store: &mut LineStore,
        text: &[u8],
        tag: u16,
        gone: &mut Vec<(u64, Arc<Block>)>,
    ) -> u64 {
        let block = Block::from_fields([(text, LineFields::default())]).with_tag(tag);
        store.push_block(Arc::new(block), gone)
    }

    #[test]
    fn lines_across_blocks_and_the_tail() {
        let mut store = LineStore::new(None);
        let mut gone = Vec::new();
        assert_eq!(store.push_block(owned("l0\nl1\n"), &mut gone), 0);
        assert_eq!(live(&mut store, b"l2", 3, &mut gone), 2);
        assert_eq!(store.push_block(owned("l3\n"), &mut gone), 3);
        assert_eq!(live(&mut store, b"l4\nstill l4", 1, &mut gone), 4);
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
            live(&mut store, format!("line {n}").as_bytes(), 0, &mut gone);
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
