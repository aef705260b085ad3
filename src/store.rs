//! Where a pane's lines live: the raw bytes (owned buffers) and a compact index of where each
//! line starts. Lines are parsed only when shown.
//!
//! A block read from a plain file keeps, once stored, only its index (line starts as `u32`
//! offsets in the block, 4 bytes a line: a 1 GiB log of 100-byte lines costs 40 MiB) and where
//! it is in the file. Its bytes are held in a bounded cache of resident blocks
//! ([`CACHE_BYTES`], least recently shown dropped first) and read again on demand. Drawing
//! reads state only: the app's `update` calls [`LineStore::make_resident`] for the lines it is
//! about to show, and a line not made resident reads as [`LINE_UNAVAILABLE`] (never another
//! line's text). A block whose file no longer holds its bytes stays unavailable.
//!
//! Lines are kept in blocks. A block is immutable once sealed and shared (`Arc`), so a
//! background job (a filter, a search) can read a snapshot while new lines arrive. The
//! newest lines gather in an open tail block. Lines are numbered from the first line ever
//! stored; evicting the oldest blocks (bounded scrollback) does not renumber the rest.

use std::{
    collections::{HashMap, HashSet, VecDeque},
    ops::Range,
    sync::Arc,
};

use crate::model::BlockParts;
pub use crate::model::{Block, Bytes, LINE_UNAVAILABLE, LineFields, TextFormat};

/// Bytes of file-backed blocks a pane keeps resident. Two panes on a 1 GiB VM: 64 MiB in
/// all, a few percent of the machine. A screen of lines needs one or two 1 MiB blocks (more
/// with a filter whose rows are far apart: those are held however many, for the frame), so
/// this keeps the last several places looked at (a jump back to a hit reads nothing) while a
/// 1 GiB log costs its index, not its bytes.
pub const CACHE_BYTES: usize = 32 << 20;

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
    /// Blocks of `blocks` held without their bytes, by first line: their bytes when resident,
    /// with when they were last needed.
    resident: HashMap<u64, Resident>,
    /// Bytes in `resident`, and the most it may hold (beyond what one frame needs).
    resident_bytes: usize,
    cache_bytes: usize,
    /// Counts the calls that need lines, for least-recently-needed order.
    clock: u64,
    /// Blocks (by first line) whose file no longer holds their bytes.
    gone: HashSet<u64>,
}

#[derive(Debug, Clone)]
struct Resident {
    block: Arc<Block>,
    needed_at: u64,
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
    /// False when its bytes are not held: `text` is then [`LINE_UNAVAILABLE`] (not made
    /// resident, or its file no longer holds it).
    pub available: bool,
}

impl LineStore {
    pub fn new(limit: Option<u64>) -> LineStore {
        LineStore {
            limit,
            cache_bytes: CACHE_BYTES,
            ..LineStore::default()
        }
    }

    /// As [`LineStore::new`], keeping at most `cache_bytes` of file-backed blocks resident.
    pub fn with_cache(limit: Option<u64>, cache_bytes: usize) -> LineStore {
        LineStore {
            limit,
            cache_bytes,
            ..LineStore::default()
        }
    }

    /// Bytes of file-backed blocks held resident now.
    pub fn resident_bytes(&self) -> usize {
        self.resident_bytes
    }

    /// Whether line `n`'s block was found no longer in its file.
    pub fn is_gone(&self, n: u64) -> bool {
        self.block_index(n)
            .is_some_and(|b| self.gone.contains(&self.firsts[b]))
    }

    /// The index in `blocks` of the block holding line `n` (not in the tail).
    fn block_index(&self, n: u64) -> Option<usize> {
        if n < self.first || n >= self.end - self.tail.len() as u64 {
            return None;
        }
        Some(match self.firsts.binary_search(&n) {
            Ok(b) => b,
            Err(b) => b - 1,
        })
    }

    /// Make the blocks of `lines` resident (read again from their files where dropped), then
    /// drop the least recently needed others down to the cache's size. Blocks whose file no
    /// longer holds them are remembered as gone; their lines read as [`LINE_UNAVAILABLE`].
    /// Returns whether anything was read.
    pub fn make_resident(&mut self, lines: impl IntoIterator<Item = u64>) -> bool {
        self.clock += 1;
        let mut needed: Vec<usize> = lines
            .into_iter()
            .filter_map(|n| self.block_index(n))
            .collect();
        needed.sort_unstable();
        needed.dedup();
        let mut read = false;
        for b in needed {
            let first = self.firsts[b];
            if self.blocks[b].is_loaded() || self.gone.contains(&first) {
                continue;
            }
            if let Some(resident) = self.resident.get_mut(&first) {
                resident.needed_at = self.clock;
                continue;
            }
            read = true;
            match self.blocks[b].reload() {
                Ok(block) => {
                    self.resident_bytes += block.byte_len();
                    self.resident.insert(
                        first,
                        Resident {
                            block: Arc::new(block),
                            needed_at: self.clock,
                        },
                    );
                }
                Err(_) => {
                    self.gone.insert(first);
                }
            }
        }
        self.trim_cache();
        read
    }

    /// Drop resident blocks, least recently needed first, down to the cache's size; blocks
    /// needed by the latest call stay whatever they cost.
    fn trim_cache(&mut self) {
        while self.resident_bytes > self.cache_bytes {
            let Some((&first, oldest)) = self.resident.iter().min_by_key(|(_, r)| r.needed_at)
            else {
                break;
            };
            if oldest.needed_at >= self.clock {
                break;
            }
            let gone = self.resident.remove(&first).expect("just found");
            self.resident_bytes -= gone.block.byte_len();
        }
    }

    /// Find the first line of `lines` (from its end backwards when `!forward`) that `wanted`
    /// accepts, given its number and text. Blocks whose bytes are dropped are read again one
    /// at a time and not kept: a search through a big file holds one block beyond the cache.
    /// Lines whose file no longer holds them are passed over.
    pub fn find_line(
        &self,
        lines: Range<u64>,
        forward: bool,
        mut wanted: impl FnMut(u64, &[u8]) -> bool,
    ) -> Option<u64> {
        let lines = lines.start.max(self.first)..lines.end.min(self.end);
        if lines.is_empty() {
            return None;
        }
        // Spans of lines per block: the sealed blocks, then the tail.
        let tail_first = self.end - self.tail.len() as u64;
        let mut spans: Vec<(u64, Option<usize>)> = self
            .firsts
            .iter()
            .enumerate()
            .map(|(b, &first)| (first, Some(b)))
            .collect();
        if !self.tail.starts.is_empty() {
            spans.push((tail_first, None));
        }
        let order: Box<dyn Iterator<Item = usize>> = if forward {
            Box::new(0..spans.len())
        } else {
            Box::new((0..spans.len()).rev())
        };
        for s in order {
            let (first, which) = spans[s];
            let end = spans.get(s + 1).map_or(self.end, |&(next, _)| next);
            let from = lines.start.max(first);
            let to = lines.end.min(end);
            if from >= to {
                continue;
            }
            let span = from..to;
            let found = match which {
                None => find_in(span, forward, first, |i| self.tail.line(i), &mut wanted),
                Some(b) => {
                    let block = self
                        .resident
                        .get(&first)
                        .map_or(&self.blocks[b], |r| &r.block);
                    if self.gone.contains(&first) {
                        None
                    } else if block.is_loaded() {
                        find_in(span, forward, first, |i| block.line(i), &mut wanted)
                    } else {
                        block.reload().ok().and_then(|loaded| {
                            find_in(span, forward, first, |i| loaded.line(i), &mut wanted)
                        })
                    }
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
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
            self.firsts.push_back(first);
            match block.unloaded() {
                // Read from a file: only the index is kept; the bytes join the cache, as the
                // most recently needed (the newest lines are what a followed log shows).
                Some(index) if block.is_loaded() => {
                    self.clock += 1;
                    self.resident_bytes += block.byte_len();
                    self.resident.insert(
                        first,
                        Resident {
                            block,
                            needed_at: self.clock,
                        },
                    );
                    self.blocks.push_back(Arc::new(index));
                    self.trim_cache();
                }
                _ => {
                    self.bytes += block.byte_len();
                    self.blocks.push_back(block);
                }
            }
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
            self.gone.remove(&first);
            // Handed on with its bytes if they are held (hits keep their lines' text).
            let block = match self.resident.remove(&first) {
                Some(resident) => {
                    self.resident_bytes -= resident.block.byte_len();
                    resident.block
                }
                None => block,
            };
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
                available: true,
            });
        }
        let b = match self.firsts.binary_search(&n) {
            Ok(b) => b,
            Err(b) => b - 1,
        };
        let first = self.firsts[b];
        let block = self
            .resident
            .get(&first)
            .map_or(&self.blocks[b], |r| &r.block);
        let i = (n - first) as usize;
        Some(StoredLine {
            text: block.line(i),
            tag: block.tag(i),
            fields: block.fields(i),
            text_format: block.text_format(),
            available: block.is_loaded(),
        })
    }

    /// The lines as shared blocks with their first line numbers, for a background job.
    /// The open tail is included as a sealed copy. A block read from a file is there with its
    /// bytes if they are resident, else without them: read it with [`Block::with_loaded`].
    pub fn snapshot(&self) -> Vec<(u64, Arc<Block>)> {
        let mut blocks: Vec<(u64, Arc<Block>)> = self
            .firsts
            .iter()
            .copied()
            .zip(self.blocks.iter())
            .map(|(first, block)| {
                let block = self.resident.get(&first).map_or(block, |r| &r.block);
                (first, block.clone())
            })
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

/// The first (or last, `!forward`) line of `span` that `wanted` accepts; `line_of` gives
/// the text of a line by its index from `first`.
fn find_in<'a>(
    span: Range<u64>,
    forward: bool,
    first: u64,
    line_of: impl Fn(usize) -> &'a [u8],
    wanted: &mut impl FnMut(u64, &[u8]) -> bool,
) -> Option<u64> {
    let mut test = |n: u64| wanted(n, line_of((n - first) as usize));
    if forward {
        span.into_iter().find(|&n| test(n))
    } else {
        span.rev().find(|&n| test(n))
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

    /// A file of `blocks` blocks of `lines` lines each, stored block by block as the loader
    /// does (each block knowing its span of the open file).
    fn file_store(
        blocks: usize,
        lines: usize,
        cache: usize,
    ) -> (tempfile::NamedTempFile, LineStore, usize) {
        use std::io::Write;
        let mut tmp = tempfile::NamedTempFile::new().unwrap();
        let mut chunks = Vec::new();
        for b in 0..blocks {
            let mut chunk = Vec::new();
            for i in 0..lines {
                writeln!(chunk, "block {b} line {i} {}", "x".repeat(40)).unwrap();
            }
            tmp.write_all(&chunk).unwrap();
            chunks.push(chunk);
        }
        tmp.flush().unwrap();
        let file = std::fs::File::open(tmp.path()).unwrap();
        let log = crate::ondemand::OpenLog::new(file).unwrap();
        let mut store = LineStore::with_cache(None, cache);
        let mut offset = 0u64;
        let block_bytes = chunks[0].len();
        for chunk in chunks {
            let origin = crate::ondemand::FileOrigin::new(log.clone(), offset, &chunk);
            offset += chunk.len() as u64;
            let block = Block::new(Bytes::Owned(chunk)).with_origin(origin);
            store.push_block(Arc::new(block), &mut Vec::new());
        }
        (tmp, store, block_bytes)
    }

    #[test]
    fn file_blocks_keep_their_index_and_a_bounded_cache_of_bytes() {
        let (_tmp, mut store, block_bytes) = file_store(10, TAIL_LINES, 0);
        let cache = 3 * block_bytes;
        store.cache_bytes = cache;
        store.make_resident([]);
        assert_eq!(store.len(), 10 * TAIL_LINES as u64);
        assert!(
            store.resident_bytes() <= cache,
            "{}",
            store.resident_bytes()
        );
        assert_eq!(
            store.byte_len(),
            0,
            "no block holds its bytes outside the cache"
        );
        // The first block was dropped: its lines say so until made resident again.
        let dropped = store.get(5).unwrap();
        assert!(!dropped.available);
        assert_eq!(dropped.text, LINE_UNAVAILABLE);
        assert!(store.make_resident([5]));
        let line = store.get(5).unwrap();
        assert!(line.available);
        assert_eq!(
            line.text,
            format!("block 0 line 5 {}", "x".repeat(40)).as_bytes()
        );
        assert!(store.resident_bytes() <= cache);
        // Every block in turn: each read again, right, the cache never past its bound.
        for b in 0..10u64 {
            let n = b * TAIL_LINES as u64 + 7;
            store.make_resident([n]);
            let want = format!("block {b} line 7 {}", "x".repeat(40));
            assert_eq!(store.line(n).unwrap().0, want.as_bytes());
            assert!(store.resident_bytes() <= cache);
        }
        // Blocks needed by one frame are all held, whatever they cost.
        let all: Vec<u64> = (0..10).map(|b| b * TAIL_LINES as u64).collect();
        store.make_resident(all.clone());
        assert!(all.iter().all(|&n| store.get(n).unwrap().available));
        store.make_resident([]);
        assert!(store.resident_bytes() <= cache);
    }

    #[test]
    fn a_search_reads_dropped_blocks_through_without_holding_them() {
        let (_tmp, mut store, block_bytes) = file_store(8, TAIL_LINES, 0);
        store.cache_bytes = block_bytes;
        store.make_resident([]);
        let held = store.resident_bytes();
        let wanted = |text: &str| {
            let text = text.to_string();
            move |_: u64, line: &[u8]| line.starts_with(text.as_bytes())
        };
        let all = store.range();
        assert_eq!(
            store.find_line(all.clone(), true, wanted("block 0 line 3 ")),
            Some(3)
        );
        let last = 7 * TAIL_LINES as u64 + 1000;
        assert_eq!(
            store.find_line(all.clone(), true, wanted("block 7 line 1000 ")),
            Some(last)
        );
        assert_eq!(
            store.find_line(0..last, false, wanted("block 2 line 9 ")),
            Some(2 * TAIL_LINES as u64 + 9)
        );
        assert_eq!(store.find_line(all, true, wanted("nowhere")), None);
        assert_eq!(store.resident_bytes(), held, "the search kept nothing");
    }

    #[test]
    fn a_file_cut_short_leaves_its_dropped_lines_unavailable_and_the_cached_ones_shown() {
        let (tmp, mut store, block_bytes) = file_store(6, TAIL_LINES, 0);
        store.cache_bytes = 2 * block_bytes;
        let last = store.range().end - 1;
        store.make_resident([last]);
        std::fs::OpenOptions::new()
            .write(true)
            .open(tmp.path())
            .unwrap()
            .set_len(0)
            .unwrap();
        // The newest block is still held: shown as it was read.
        assert!(store.get(last).unwrap().available);
        // An older one is gone: its lines say so, and go on saying so.
        assert!(store.make_resident([10]), "tried to read it again");
        assert_eq!(store.line(10).unwrap().0, LINE_UNAVAILABLE);
        assert!(store.is_gone(10));
        assert!(!store.make_resident([10]), "a gone block is not read again");
        assert_eq!(
            store.find_line(0..TAIL_LINES as u64, true, |_, _| true),
            None
        );
    }
}
