//! The domain: what a line is once it has arrived, and what a hit on it is. Sources produce
//! [`Block`]s (batches of lines), [`crate::ingest`] matches them, and both `triage scan` and
//! the viewer consume the result. Nothing here knows about the terminal.
//!
//! A line is kept the way it arrived. A line of a text log is kept as its raw bytes and its
//! fields (time, who wrote it, level) are read off it when needed, in the format of its file.
//! A line that arrived as fields (a journal entry, a Docker log frame) keeps them as
//! [`LineFields`], never written out as text and parsed again.

use std::{
    ops::Range,
    sync::{Arc, Mutex},
};

pub use crate::ondemand::{FileOrigin, LINE_UNAVAILABLE, LineUnavailable, OpenLog};

use jiff::Timestamp;

use crate::{
    catalogue::Severity,
    marks::Classified,
    parse::{self, LogFormat, LogLine, Stream},
};

/// Which side of the screen a source belongs to: Docker containers, or the host (journal,
/// kernel, apt, syslog). Sources know it; the viewer lays panes out by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaneId {
    Containers = 0,
    Host = 1,
}

impl PaneId {
    pub const BOTH: [PaneId; 2] = [PaneId::Containers, PaneId::Host];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn other(self) -> PaneId {
        match self {
            PaneId::Containers => PaneId::Host,
            PaneId::Host => PaneId::Containers,
        }
    }
}

/// Where a source is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceState {
    /// Being read: bytes so far, of how many (if known).
    Loading { done: u64, total: Option<u64> },
    /// Read to the end and every hit listed; the lines' own errors and warnings are being
    /// read (a big file's: [`Ingested::Marks`]), `done` of `total` blocks.
    Marking { done: u64, total: u64 },
    /// Read to the end.
    Loaded,
    /// Followed live.
    Live,
    /// Waiting to reconnect, or otherwise not delivering; the text says why.
    Waiting(String),
    /// Gave up; the text says why.
    Failed(String),
}

/// A source of lines in a pane: a file, a container, the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub format: LogFormat,
    /// Year for timestamps printed without one.
    pub year: i16,
    pub state: SourceState,
}

/// What ingesting a source produces for whoever shows or prints it: blocks of lines with
/// their hits, and changes of a source's state, in order.
#[derive(Debug, Clone)]
pub enum Ingested {
    /// A block of lines for a pane, from any source (a file being loaded, a live burst),
    /// with the catalogue hits in it.
    Block {
        pane: PaneId,
        block: Arc<Block>,
        hits: Vec<Hit>,
        /// Its errors and warnings, where whoever made it read them ([`crate::marks`]).
        classified: Option<Vec<Classified>>,
    },
    /// The errors and warnings of a block sent before without them ([`crate::marks`]): a big
    /// file's hits are listed first, its lines' own levels read after. `block` is the block's
    /// lines read again, `first` the pane's number of its first line.
    Marks {
        pane: PaneId,
        first: u64,
        block: Arc<Block>,
        classified: Vec<Classified>,
    },
    /// Source `source` of a pane changed state (loading progress, done, failed, reconnecting).
    State {
        pane: PaneId,
        source: u16,
        state: SourceState,
    },
}

/// What a source said about a line besides its text, for lines that arrived as fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineFields {
    pub ts: Option<Timestamp>,
    /// The container, unit or identifier that wrote it.
    pub label: Option<Arc<str>>,
    pub stream: Option<Stream>,
    /// syslog priority (0 emerg … 7 debug), where the source carries one.
    pub priority: Option<u8>,
    /// Where the message starts in the stored line (0 for live lines, which store only it).
    pub message_start: u32,
}

/// A line's own level, as its format says it (syslog's eight, which every other convention
/// maps onto). Ordered by severity: `Debug < … < Emerg`. Computed by [`crate::level`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Debug,
    Info,
    Notice,
    Warning,
    Err,
    Crit,
    Alert,
    Emerg,
}

impl Level {
    /// From a syslog priority (0 emerg … 7 debug); larger numbers are debug.
    pub fn from_priority(priority: u8) -> Level {
        match priority {
            0 => Level::Emerg,
            1 => Level::Alert,
            2 => Level::Crit,
            3 => Level::Err,
            4 => Level::Warning,
            5 => Level::Notice,
            6 => Level::Info,
            _ => Level::Debug,
        }
    }

    /// The syslog priority of this level (the inverse of [`Level::from_priority`]).
    pub fn priority(self) -> u8 {
        match self {
            Level::Emerg => 0,
            Level::Alert => 1,
            Level::Crit => 2,
            Level::Err => 3,
            Level::Warning => 4,
            Level::Notice => 5,
            Level::Info => 6,
            Level::Debug => 7,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Notice => "notice",
            Level::Warning => "warning",
            Level::Err => "err",
            Level::Crit => "crit",
            Level::Alert => "alert",
            Level::Emerg => "emerg",
        }
    }

    /// The catalogue's severity this level reads as (`scan --unknown` reports it).
    pub fn severity(self) -> Severity {
        match self {
            Level::Debug | Level::Info | Level::Notice => Severity::Info,
            Level::Warning => Severity::Warning,
            Level::Err => Severity::Error,
            Level::Crit | Level::Alert | Level::Emerg => Severity::Critical,
        }
    }
}

/// One catalogue entry matching one line of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The line's index in its block.
    pub index: usize,
    /// Index of the entry in the catalogue.
    pub entry: usize,
    pub severity: Severity,
    /// Byte ranges in the stored line (the message's own offsets plus where it starts).
    pub spans: Vec<Range<usize>>,
    /// Named groups of the first regex that matched, as `(name, value)`.
    pub captures: Vec<(String, String)>,
    /// The line's time, or that of the line it continues.
    pub ts: Option<Timestamp>,
}

/// Buffers of big blocks gone, for a reader to fill again ([`spare_buffer`]). The viewer
/// reads a 1 GiB log as a thousand 1 MiB blocks, and its store drops their bytes as soon as
/// it keeps their index: each buffer taken fresh from the allocator then costs its pages'
/// faults and zeroing, a tenth of opening the file. A few buffers are kept, never more.
static SPARE_BUFFERS: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
const SPARE_BUFFERS_KEPT: usize = 4;
/// Smaller buffers are cheap to allocate: not worth keeping.
const SPARE_BUFFER_MIN: usize = 256 << 10;

/// A buffer a block no longer needs (its contents are garbage), else a new empty one.
pub fn spare_buffer() -> Vec<u8> {
    let spare = SPARE_BUFFERS
        .lock()
        .ok()
        .and_then(|mut spares| spares.pop());
    spare.unwrap_or_default()
}

fn keep_spare(buffer: Vec<u8>) {
    if buffer.capacity() < SPARE_BUFFER_MIN {
        return;
    }
    if let Ok(mut spares) = SPARE_BUFFERS.lock() {
        if spares.len() < SPARE_BUFFERS_KEPT {
            spares.push(buffer);
        }
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        if let Bytes::Owned(bytes) = &mut self.bytes {
            keep_spare(std::mem::take(bytes));
        }
    }
}

/// The bytes behind a block.
#[derive(Debug, Clone)]
pub enum Bytes {
    Owned(Vec<u8>),
    /// Bytes compiled into the binary (the bundled incident).
    Static(&'static [u8]),
}

impl Bytes {
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Owned(bytes) => bytes,
            Bytes::Static(bytes) => bytes,
        }
    }
}

/// How to read the fields of a block's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFormat {
    pub format: LogFormat,
    /// The year for dates printed without one.
    pub year: i16,
}

impl Default for TextFormat {
    fn default() -> Self {
        TextFormat {
            format: LogFormat::Plain,
            year: 2000,
        }
    }
}

/// Lines `start..end` of a block have no time of their own (see
/// [`Block::view_in_context_after`]).
#[derive(Debug, Clone, Default)]
pub struct NoTimeRun {
    start: usize,
    end: usize,
}

/// A batch of whole lines in one buffer: the unit every source produces, the matcher searches
/// and the store keeps.
#[derive(Debug, Clone)]
pub struct Block {
    bytes: Bytes,
    /// Start of each line in `bytes`; a line ends where the next starts (minus its `\n`).
    starts: Vec<u32>,
    /// Per line: which of the pane's sources it came from (`None`: all from source 0).
    tags: Option<Vec<u16>>,
    /// Per line, for lines that arrived as fields; `None`: read them off the text.
    fields: Option<Vec<LineFields>>,
    text_format: TextFormat,
    /// Where the bytes are in a file still open, for a block whose bytes may be dropped and
    /// read again ([`Block::unloaded`], [`Block::reload`]).
    origin: Option<FileOrigin>,
    /// The bytes are here (false: dropped; only the index is kept).
    loaded: bool,
}

impl Block {
    /// Index the lines of `bytes` (a trailing line without `\n` counts). Offsets are `u32`:
    /// callers keep blocks under 4 GiB. The lines are plain text until [`Block::in_format`].
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
            fields: None,
            text_format: TextFormat::default(),
            origin: None,
            loaded: true,
        }
    }

    /// Lines that arrived as fields: each text is stored as it is (a `\n` inside one is shown
    /// as a space, never split) beside its fields.
    pub fn from_fields<'a>(lines: impl IntoIterator<Item = (&'a [u8], LineFields)>) -> Block {
        let lines = lines.into_iter();
        let (count, _) = lines.size_hint();
        let mut bytes = Vec::new();
        let mut starts = Vec::with_capacity(count);
        let mut fields = Vec::with_capacity(count);
        for (text, line_fields) in lines {
            let start = bytes.len();
            starts.push(start as u32);
            // Copied whole, then the rare `\n` inside replaced (memchr finds it), rather than
            // byte by byte.
            bytes.extend_from_slice(text);
            for i in memchr::memchr_iter(b'\n', text) {
                bytes[start + i] = b' ';
            }
            bytes.push(b'\n');
            fields.push(line_fields);
        }
        Block {
            bytes: Bytes::Owned(bytes),
            starts,
            tags: None,
            fields: Some(fields),
            text_format: TextFormat::default(),
            origin: None,
            loaded: true,
        }
    }

    /// Read the lines' fields off their text in `format`.
    pub fn in_format(mut self, format: LogFormat, year: i16) -> Block {
        self.text_format = TextFormat { format, year };
        self
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

    pub fn text_format(&self) -> TextFormat {
        self.text_format
    }

    /// Line `i` of the block, without its terminator. A block whose bytes were dropped
    /// says [`LINE_UNAVAILABLE`] for every line (see [`Block::with_loaded`]).
    pub fn line(&self, i: usize) -> &[u8] {
        if !self.loaded {
            return LINE_UNAVAILABLE;
        }
        &self.bytes.as_slice()[self.line_range(i)]
    }

    /// Where line `i` is in [`Block::bytes`], without its terminator (`\n` or `\r\n`).
    pub fn line_range(&self, i: usize) -> Range<usize> {
        if !self.loaded {
            return 0..0;
        }
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

    /// The fields line `i` arrived with, if it arrived as fields.
    pub fn fields(&self, i: usize) -> Option<&LineFields> {
        self.fields.as_ref().map(|f| &f[i])
    }

    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// The line an offset of [`Block::bytes`] falls in.
    pub fn line_of_offset(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Line `i` as parsed: its time, who wrote it, its stream and level, and its message,
    /// the text a catalogue regex sees. A text line without a time of its own (a traceback's
    /// frame) is not given one here: see [`Block::view_in_context`].
    pub fn view(&self, i: usize) -> LogLine<'_> {
        let line = self.line(i);
        match self.fields(i) {
            Some(fields) => fields_view(fields, line),
            None => parse::parse_line(self.text_format.format, line, self.text_format.year),
        }
    }

    /// As [`Block::view`], with the time (and writer) of the line it continues when it has
    /// none of its own.
    pub fn view_in_context(&self, i: usize) -> LogLine<'_> {
        match self.fields(i) {
            Some(fields) => fields_view(fields, self.line(i)),
            None if !self.loaded => parse::parse_line(
                self.text_format.format,
                LINE_UNAVAILABLE,
                self.text_format.year,
            ),
            None => parse::parse_in_context(
                self.text_format.format,
                self.bytes(),
                self.line_range(i),
                self.text_format.year,
            ),
        }
    }

    /// [`Block::view_in_context`] for lines taken in ascending order, remembering in `run`
    /// the lines found to have no time of their own: in a stretch of lines without time,
    /// each is read once, not once for every line after it that looks back over it.
    pub fn view_in_context_after(&self, i: usize, run: &mut NoTimeRun) -> LogLine<'_> {
        if self.fields(i).is_some() || !self.loaded {
            return self.view_in_context(i);
        }
        let (format, year) = (self.text_format.format, self.text_format.year);
        let mut view = parse::parse_line(format, self.line(i), year);
        if view.ts.is_some() {
            return view;
        }
        let floor = i.saturating_sub(parse::CONTEXT_LINES);
        let mut k = i;
        while k > floor {
            let prev = k - 1;
            if (run.start..run.end).contains(&prev) {
                k = run.start;
                continue;
            }
            let before = parse::parse_line(format, self.line(prev), year);
            if before.ts.is_some() {
                view.ts = before.ts;
                if view.label.is_none() {
                    view.label = before.label;
                }
                *run = NoTimeRun {
                    start: prev + 1,
                    end: i + 1,
                };
                return view;
            }
            k = prev;
        }
        *run = NoTimeRun {
            start: k,
            end: i + 1,
        };
        view
    }

    /// A block from its parts (the store seals its open tail into one).
    pub(crate) fn from_parts(parts: BlockParts) -> Block {
        Block {
            bytes: parts.bytes,
            starts: parts.starts,
            tags: parts.tags,
            fields: parts.fields,
            text_format: parts.text_format,
            origin: None,
            loaded: true,
        }
    }

    /// A block whose bytes are `origin`'s span of an open file, exactly: they may be dropped
    /// ([`Block::unloaded`]) and read again ([`Block::reload`]). A block whose bytes are not
    /// that span (its length differs) stays an ordinary one.
    pub fn with_origin(mut self, origin: FileOrigin) -> Block {
        if self.loaded && origin.matches(self.bytes.as_slice()) {
            self.origin = Some(origin);
        }
        self
    }

    /// Where the block's bytes are in a file, if they can be read again.
    pub fn origin(&self) -> Option<&FileOrigin> {
        self.origin.as_ref()
    }

    /// Whether the bytes are held (false for a block of [`Block::unloaded`]).
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// The block without its bytes: its index, tags, fields and origin only. `None` for a
    /// block that cannot be read again (no file behind it).
    pub fn unloaded(&self) -> Option<Block> {
        let origin = self.origin.clone()?;
        Some(Block {
            bytes: Bytes::Owned(Vec::new()),
            starts: self.starts.clone(),
            tags: self.tags.clone(),
            fields: self.fields.clone(),
            text_format: self.text_format,
            origin: Some(origin),
            loaded: false,
        })
    }

    /// The block with its bytes read again from its file (a clone if they are held). Fails,
    /// as a value, when the file no longer holds them: cut shorter, or other bytes there now.
    pub fn reload(&self) -> Result<Block, LineUnavailable> {
        if self.loaded {
            return Ok(self.clone());
        }
        let origin = self.origin.as_ref().ok_or(LineUnavailable::NoFile)?;
        let bytes = origin.read(&self.starts)?;
        let mut block = self.clone();
        block.bytes = Bytes::Owned(bytes);
        block.loaded = true;
        Ok(block)
    }

    /// Call `f` with this block's lines readable: the block itself when loaded, else a copy
    /// read again from its file (one block per thread is kept for the next call, so walking
    /// a block line by line reads it once).
    pub fn with_loaded<R>(&self, f: impl FnOnce(&Block) -> R) -> Result<R, LineUnavailable> {
        if self.loaded {
            return Ok(f(self));
        }
        crate::ondemand::with_reloaded(self, f)
    }
}

pub(crate) struct BlockParts {
    pub bytes: Bytes,
    pub starts: Vec<u32>,
    pub tags: Option<Vec<u16>>,
    pub fields: Option<Vec<LineFields>>,
    pub text_format: TextFormat,
}

/// A line that arrived as fields, as parsed.
pub(crate) fn fields_view<'a>(fields: &'a LineFields, line: &'a [u8]) -> LogLine<'a> {
    let start = (fields.message_start as usize).min(line.len());
    LogLine {
        ts: fields.ts,
        label: fields.label.as_deref().map(std::borrow::Cow::Borrowed),
        stream: fields.stream,
        priority: fields.priority,
        message: &line[start..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_blocks_buffer_is_kept_for_the_next_reader_a_few_at_most() {
        let big = |fill: u8| Block::new(Bytes::Owned(vec![fill; SPARE_BUFFER_MIN])).len();
        assert_eq!(big(b'x'), 1);
        let spare = spare_buffer();
        assert!(
            spare.capacity() >= SPARE_BUFFER_MIN,
            "the block's buffer came back"
        );
        drop(spare);
        // Many blocks gone: only a few buffers are held.
        let blocks: Vec<Block> = (0..3 * SPARE_BUFFERS_KEPT)
            .map(|_| Block::new(Bytes::Owned(vec![b'y'; SPARE_BUFFER_MIN])))
            .collect();
        drop(blocks);
        let kept = std::iter::from_fn(|| Some(spare_buffer()))
            .take_while(|b| b.capacity() > 0)
            .count();
        assert_eq!(kept, SPARE_BUFFERS_KEPT);
        // A small buffer is not worth keeping.
        drop(Block::new(Bytes::Owned(b"small\n".to_vec())));
        assert_eq!(spare_buffer().capacity(), 0);
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
    fn looking_back_in_order_finds_what_each_line_alone_finds() {
        // Timed lines, then runs without time longer and shorter than the look-back.
        let mut text = String::new();
        for (n, untimed) in [0, 3, 70, 1, 130, 64, 63, 2].into_iter().enumerate() {
            text += &format!("Nov 30 10:00:{n:02} host app[1]: line {n}\n");
            for k in 0..untimed {
                text += &format!("  continued {n}.{k}\n");
            }
        }
        let block = Block::new(Bytes::Owned(text.into_bytes())).in_format(LogFormat::Short, 2026);
        let mut timed = [0, 0];
        for every in [1, 2, 5, 13] {
            let mut run = NoTimeRun::default();
            for i in (0..block.len()).step_by(every) {
                let (alone, after) = (
                    block.view_in_context(i),
                    block.view_in_context_after(i, &mut run),
                );
                assert_eq!(
                    (alone.ts, &alone.label),
                    (after.ts, &after.label),
                    "line {i}"
                );
                assert_eq!(alone.message, after.message);
                timed[usize::from(alone.ts.is_some())] += 1;
            }
        }
        // Both kinds were seen: lines given a time from above, and lines too far below one.
        assert!(timed[0] > 50 && timed[1] > 50, "{timed:?}");
    }

    #[test]
    fn lines_that_arrived_as_fields_keep_them() {
        let fields = LineFields {
            ts: Some("2026-11-28T14:03:05Z".parse().unwrap()),
            label: Some(Arc::from("db")),
            stream: Some(Stream::Stderr),
            priority: Some(3),
            message_start: 0,
        };
        let block = Block::from_fields([(&b"two\nparts"[..], fields.clone())]);
        assert_eq!(block.len(), 1);
        let view = block.view(0);
        assert_eq!(view.message, b"two parts");
        assert_eq!(
            (view.ts, view.label.as_deref(), view.stream, view.priority),
            (fields.ts, Some("db"), Some(Stream::Stderr), Some(3))
        );
    }
}
