//! Loading saved logs into the viewer: each pane's files are read in blocks of whole lines,
//! matched against the catalogue as they go, and sent to the app as events. The first block
//! arrives within milliseconds, so the first frame does not wait for a big file.
//!
//! Files are read, never memory-mapped: a log is cut short under the reader at any time
//! (logrotate's `copytruncate`), and a mapped page past the new end faults with SIGBUS on the
//! next touch. Read into the program's own buffers, what was read stays whatever happens to
//! the file. A plain file's blocks then keep only their index once matched, and their bytes are
//! read again from the open file when shown ([`crate::ondemand`], [`crate::store`]): a big log
//! costs its index, not its size. Compressed files and pipes cannot be read again at an
//! offset: their lines stay in memory, within the pane's budget. A pane's one plain file is
//! then followed: lines appended are read as they come,
//! a file cut shorter or replaced (rotation) is noticed and said in the pane.

use std::{
    fs::File,
    io::{self, BufRead, Read},
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use crate::{
    ingest,
    input::{self, ChunkReader},
    marks::{self, Classified},
    matcher::{Matcher, Searcher},
    model::{self, Block, Bytes, Hit, Ingested, LineFields, PaneId, Source, SourceState},
    ondemand::{FileOrigin, OpenLog},
    parse::{
        self, LogFormat,
        record::{self, Record},
    },
};

/// Bytes per block for plain files: large enough that per-block work vanishes, small enough
/// that the first one is on screen at once. Also the unit read again on demand: a screen of
/// lines costs a read of a block or two, and blocks on their way from the reader to the
/// store (a dozen) stay a few MiB.
const FILE_BLOCK: usize = 1 << 20;
/// How often a followed file is looked at for new lines, a cut or a rotation.
const FOLLOW_POLL: Duration = Duration::from_millis(250);
/// Bytes per block when reading (gzip, the bundled incident).
const READ_BLOCK: usize = 1 << 20;
/// Lines per block of merged files (each line carries its fields, so blocks count lines).
const MERGED_BLOCK_LINES: usize = 8192;

/// Where a log's bytes are.
#[derive(Debug, Clone)]
pub enum LogData {
    Path(PathBuf),
    /// Compiled into the binary.
    Static(&'static [u8]),
}

/// A saved log to show, with what was learnt about it by peeking at its start.
#[derive(Debug, Clone)]
pub struct LogFile {
    pub name: String,
    pub data: LogData,
    /// The format of the file itself.
    pub format: LogFormat,
    pub year: i16,
    pub size: Option<u64>,
}

impl LogFile {
    /// Peek at a log: its format (unless forced), size, and the year its dates lack.
    pub fn open(
        name: &str,
        data: LogData,
        forced: Option<LogFormat>,
    ) -> Result<LogFile, input::InputError> {
        let mut input = open_input(name, &data)?;
        let size = match &data {
            LogData::Path(path) => std::fs::metadata(path).ok().map(|m| m.len()),
            LogData::Static(bytes) => Some(bytes.len() as u64),
        };
        let head = input
            .reader
            .fill_buf()
            .map_err(|source| input::InputError::Io {
                name: name.to_string(),
                source,
            })?;
        let format = forced.unwrap_or_else(|| parse::detect(head.split(|&b| b == b'\n')));
        let year = input.year.unwrap_or_else(current_year);
        Ok(LogFile {
            name: name.to_string(),
            data,
            format,
            year,
            size,
        })
    }

    /// The pane a log belongs in, by its format: container logs left, the host right.
    pub fn pane(&self) -> PaneId {
        if self.format.is_container_log() {
            PaneId::Containers
        } else {
            PaneId::Host
        }
    }

    pub fn source(&self) -> Source {
        Source {
            name: self.name.clone(),
            format: self.format,
            year: self.year,
            state: SourceState::Loading {
                done: 0,
                total: self.size,
            },
        }
    }
}

/// A block's hits, and its errors and warnings when `classify`.
fn match_and_classify(
    block: &Block,
    searcher: &Searcher,
    classify: bool,
) -> (Vec<Hit>, Option<Vec<Classified>>) {
    let hits = ingest::match_block(block, searcher);
    let classified = classify.then(|| marks::classify(block, &hits));
    (hits, classified)
}

fn current_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year()
}

fn open_input(name: &str, data: &LogData) -> Result<input::LogInput, input::InputError> {
    match data {
        LogData::Path(path) => input::open_path(path),
        LogData::Static(bytes) => input::from_reader(name, Box::new(io::Cursor::new(*bytes)), None)
            .map_err(|source| input::InputError::Io {
                name: name.to_string(),
                source,
            }),
    }
}

/// Load one pane's logs, sending `Block` and `Source` events in order, and return when they
/// are read. Runs on its own thread (or inline, in tests).
pub fn load_pane(
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    send: &mut dyn FnMut(Ingested) -> bool,
) {
    load(matcher, pane, files, false, memory_budget(), u64::MAX, send);
}

/// As [`load_pane`], holding at most `budget` bytes of lines (with their index): past it the
/// file being read stops there, failed with why, and what was read is kept.
pub fn load_pane_within(
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    budget: u64,
    send: &mut dyn FnMut(Ingested) -> bool,
) {
    load(matcher, pane, files, false, budget, u64::MAX, send);
}

/// What one pane may hold of the files it shows: a quarter of the machine's memory (two
/// panes, and room for the rest). Files are read into memory, not mapped: a decompression
/// bomb of line ends, or a log bigger than the machine, stops here rather than in an
/// allocation failure that kills the viewer with the terminal raw.
pub fn memory_budget() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        });
    (total.unwrap_or(4 << 30) / 4).max(64 << 20)
}

/// As [`load_pane`], then follow a pane's one plain file (not compressed, not a journal
/// export): lines appended to it are sent as they come, and a file cut shorter or replaced
/// at its path is said in its state. Returns only when `send` says the app has gone.
pub fn load_pane_following(
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    send: &mut dyn FnMut(Ingested) -> bool,
) {
    load(
        matcher,
        pane,
        files,
        true,
        memory_budget(),
        MARK_LATER_OVER,
        send,
    );
}

/// As [`load_pane_following`], reading a plain file's lines' own levels only after listing
/// its hits when it is bigger than `mark_later_over` bytes.
pub fn load_pane_following_marking_over(
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    mark_later_over: u64,
    send: &mut dyn FnMut(Ingested) -> bool,
) {
    load(
        matcher,
        pane,
        files,
        true,
        memory_budget(),
        mark_later_over,
        send,
    );
}

fn load(
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    follow: bool,
    budget: u64,
    mark_later_over: u64,
    send: &mut dyn FnMut(Ingested) -> bool,
) {
    let mut loader = Loader {
        matcher,
        pane,
        send,
        held: 0,
        budget,
        // The viewer (which follows) keeps a plain file's index and reads its lines again on
        // demand; whoever else loads a pane (`triage report`) keeps the blocks it is sent,
        // bytes and all, so they count in full.
        on_demand: follow,
        // The viewer walks every error and warning: they are read beside the matching, on
        // the workers, not on the thread that sends (which would then be the slowest step).
        classify: follow,
        mark_later_over: follow.then_some(mark_later_over),
    };
    if let [file] = files {
        let result = match (&file.data, file.format.is_structured()) {
            (LogData::Path(path), false) if !needs_decoding(path) => {
                loader.plain(file, path, follow)
            }
            (_, false) => loader.read(file),
            (_, true) => loader.structured(file),
        };
        loader.finish(0, result);
    } else if !files.is_empty() {
        // Each file keeps its own state: one that fails does not fail the others.
        let results = loader.merged(files);
        for (tag, result) in results.into_iter().enumerate() {
            loader.finish(tag as u16, result);
        }
    }
}

/// Whether the file's bytes are not its lines as they are: compressed (gzip, xz, bzip2,
/// zstd), or UTF-16 with a byte order mark. Such a file is read through the decoding reader.
fn needs_decoding(path: &std::path::Path) -> bool {
    let mut magic = Vec::with_capacity(8);
    let read = File::open(path).and_then(|f| f.take(8).read_to_end(&mut magic));
    read.is_ok()
        && (input::Compression::of(&magic).is_some()
            || magic.starts_with(&[0xff, 0xfe])
            || magic.starts_with(&[0xfe, 0xff]))
}

struct Loader<'a> {
    matcher: &'a Matcher,
    pane: PaneId,
    send: &'a mut dyn FnMut(Ingested) -> bool,
    /// Bytes of lines sent so far, with their index, and how many the pane may hold.
    held: u64,
    budget: u64,
    /// Plain files' blocks carry their origin, so the store may drop their bytes.
    on_demand: bool,
    /// Blocks are sent with their errors and warnings ([`marks::classify`]).
    classify: bool,
    /// A plain file bigger than this has its hits listed first, its lines' own levels read
    /// after ([`Ingested::Marks`]); `None`: read together.
    mark_later_over: Option<u64>,
}

/// Bytes of a file over which the viewer lists its hits before reading its lines' own
/// levels: reading those is most of what opening a file costs (every line that may be a
/// warning is parsed, every error masked for mining), and at 2 a.m. the catalogue's
/// answers come first. Below it, both take a blink.
pub const MARK_LATER_OVER: u64 = 32 << 20;

/// A block sent with its known errors only, to be read again for the rest.
struct MarkLater {
    origin: FileOrigin,
    /// The pane's number of its first line.
    first: u64,
    lines: usize,
    hit_lines: Vec<u32>,
}

/// Bytes a block costs the store: its text and 4 bytes of index per line.
fn cost(bytes: usize, lines: usize) -> u64 {
    bytes as u64 + 4 * lines as u64
}

/// What a block costs the store over time: a block read from a file keeps only its index
/// (its bytes are in the bounded cache, or read again), any other its text too.
fn held_cost(block: &Block) -> u64 {
    match block.origin() {
        Some(_) => cost(0, block.len()),
        None => cost(block.byte_len(), block.len()),
    }
}

/// The error that stops a file at the pane's memory budget.
fn over_budget(held: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::OutOfMemory,
        format!(
            "stopped after {} MiB of lines, all this machine's memory allows a pane; \
             `triage scan` reads the whole file",
            held >> 20
        ),
    )
}

impl Loader<'_> {
    fn finish(&mut self, source: u16, result: io::Result<()>) {
        let state = match result {
            Ok(()) => SourceState::Loaded,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => return,
            Err(err) => SourceState::Failed(err.to_string()),
        };
        (self.send)(Ingested::State {
            pane: self.pane,
            source,
            state,
        });
    }

    /// Match a block and send it. `Err(Interrupted)` if the app has gone.
    fn emit(
        &mut self,
        block: Block,
        searcher: &Searcher,
        done: u64,
        total: Option<u64>,
    ) -> io::Result<()> {
        let (hits, classified) = match_and_classify(&block, searcher, self.classify);
        self.send_block(block, hits, classified, done, total, 0)
    }

    /// Count a block against the budget; past it, an error that stops the file.
    fn hold(&mut self, block: &Block) -> io::Result<()> {
        if self.held > self.budget {
            return Err(over_budget(self.held));
        }
        self.held += held_cost(block);
        Ok(())
    }

    fn send_block(
        &mut self,
        block: Block,
        hits: Vec<Hit>,
        classified: Option<Vec<Classified>>,
        done: u64,
        total: Option<u64>,
        tag: u16,
    ) -> io::Result<()> {
        self.hold(&block)?;
        let ok = (self.send)(Ingested::Block {
            pane: self.pane,
            block: Arc::new(block),
            hits,
            classified,
        }) && (self.send)(Ingested::State {
            pane: self.pane,
            source: tag,
            state: SourceState::Loading { done, total },
        });
        if ok {
            Ok(())
        } else {
            Err(io::Error::from(io::ErrorKind::Interrupted))
        }
    }

    /// A plain file on disk: read in blocks, matched on all cores; then, when following,
    /// looked at every [`FOLLOW_POLL`] for lines appended, a cut or a new file at its path.
    fn plain(&mut self, file: &LogFile, path: &Path, follow: bool) -> io::Result<()> {
        let mut tail = FileTail::open(path)?;
        let total = tail.size()?;
        // A big file's prefilter is chosen from pieces of all of it, not its first megabyte.
        let searcher = match input::spread_sample(&tail.chunks.get_ref().file, total) {
            Some(sample) => Searcher::for_big_input(self.matcher, &sample),
            None => Searcher::new(self.matcher),
        };
        let mut later = self
            .mark_later_over
            .is_some_and(|over| total > over)
            .then(Vec::new);
        self.read_tail(&mut tail, file, &searcher, Some(total), later.as_mut())?;
        if let Some(later) = later {
            self.mark_later(file, later)?;
        }
        if !follow {
            return Ok(());
        }
        // Read to its end: the state says so while it is followed.
        self.finish(0, Ok(()));
        loop {
            std::thread::sleep(FOLLOW_POLL);
            let note = match tail.change(path)? {
                Change::None => continue,
                Change::Grew => None,
                Change::Shrank { read, size } => Some(format!(
                    "file shrank ({read} -> {size} bytes), lines read kept"
                )),
                Change::Replaced => Some("rotated: a new file at this path, followed".into()),
            };
            if let Some(note) = note {
                let state = SourceState::Waiting(note);
                if !(self.send)(Ingested::State {
                    pane: self.pane,
                    source: 0,
                    state,
                }) {
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
            }
            self.read_tail(&mut tail, file, &searcher, None, None)?;
        }
    }

    /// Read `tail` to its end in blocks, matched on all cores and sent in order; progress of
    /// `total` bytes in the source's state while loading (`None`: following, no progress).
    /// With `later`, blocks that can be read again are sent with their known errors only,
    /// and noted there for [`Loader::mark_later`].
    fn read_tail(
        &mut self,
        tail: &mut FileTail,
        file: &LogFile,
        searcher: &Searcher,
        total: Option<u64>,
        mut later: Option<&mut Vec<MarkLater>>,
    ) -> io::Result<()> {
        let (format, year) = (file.format, file.year);
        let mut read_error = None;
        let chunks = &mut tail.chunks;
        let offset = &mut tail.offset;
        let cuts = &mut tail.cuts;
        let log = self.on_demand.then(|| tail.log.clone());
        // The reader goes on in the buffers of blocks dropped: a chunk is never copied.
        let blocks = std::iter::from_fn(|| match chunks.next_chunk_owned(model::spare_buffer()) {
            Ok(Some(bytes)) => {
                // A chunk is the file's bytes at its offset unless a line in it was cut (its
                // end dropped): from there on where the bytes are is not known, and the
                // blocks keep their bytes.
                if chunks.cut_lines() != *cuts {
                    *cuts = chunks.cut_lines();
                    *offset = None;
                }
                let at = *offset;
                *offset = offset.map(|o| o + bytes.len() as u64);
                Some((bytes, chunks.get_ref().read, at))
            }
            Ok(None) => None,
            Err(err) => {
                read_error = Some(err);
                None
            }
        });
        let mut result = Ok(());
        let classify = self.classify;
        let marking_later = later.is_some();
        // The pane's number of the next block's first line (a plain file is a pane's only one).
        let mut first = 0u64;
        crate::parallel::ordered_map(
            blocks,
            crate::scan::default_threads(),
            |(bytes, done, at)| {
                let origin = at
                    .zip(log.as_ref())
                    .map(|(at, log)| FileOrigin::new(log.clone(), at, &bytes));
                let mut block = Block::new(Bytes::Owned(bytes)).in_format(format, year);
                if let Some(origin) = origin {
                    block = block.with_origin(origin);
                }
                let (hits, classified) = if marking_later && block.origin().is_some() {
                    let hits = ingest::match_block(&block, searcher);
                    let known = marks::classify_known(&block, &hits);
                    (hits, Some(known))
                } else {
                    match_and_classify(&block, searcher, classify)
                };
                (block, hits, classified, done)
            },
            |(block, hits, classified, done)| {
                if let (Some(later), Some(origin)) = (later.as_mut(), block.origin()) {
                    let mut hit_lines: Vec<u32> = hits.iter().map(|h| h.index as u32).collect();
                    hit_lines.dedup();
                    later.push(MarkLater {
                        origin: origin.clone(),
                        first,
                        lines: block.len(),
                        hit_lines,
                    });
                }
                first += block.len() as u64;
                result = match total {
                    Some(total) => self.send_block(block, hits, classified, done, Some(total), 0),
                    None => self.send_lines(block, hits, classified),
                };
                result.is_ok()
            },
        );
        tail.chunks.resume();
        result?;
        match read_error {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// The second pass over a big file whose hits are listed: each block is read again from
    /// the file, its lines' own errors and warnings read on all cores and sent in order. A
    /// block the file no longer holds as it was (cut, replaced) is passed over: its lines
    /// are gone from view too.
    fn mark_later(&mut self, file: &LogFile, later: Vec<MarkLater>) -> io::Result<()> {
        let total = later.len() as u64;
        let (format, year) = (file.format, file.year);
        let state = |done| SourceState::Marking { done, total };
        if !(self.send)(Ingested::State {
            pane: self.pane,
            source: 0,
            state: state(0),
        }) {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        let mut done = 0u64;
        let mut gone = false;
        crate::parallel::ordered_map(
            later.into_iter(),
            crate::scan::default_threads(),
            |block| {
                let bytes = block.origin.read(&[]).ok()?;
                let lines = Block::new(Bytes::Owned(bytes)).in_format(format, year);
                if lines.len() != block.lines {
                    return None;
                }
                let hit_lines = block.hit_lines.iter().map(|&i| i as usize);
                let classified = marks::classify_unrecognised(&lines, hit_lines);
                Some((block.first, lines, classified))
            },
            |marked| {
                done += 1;
                let marks_sent = match marked {
                    Some((first, block, classified)) => (self.send)(Ingested::Marks {
                        pane: self.pane,
                        first,
                        block: Arc::new(block),
                        classified,
                    }),
                    None => true,
                };
                gone = !(marks_sent
                    && (self.send)(Ingested::State {
                        pane: self.pane,
                        source: 0,
                        state: state(done),
                    }));
                !gone
            },
        );
        if gone {
            return Err(io::Error::from(io::ErrorKind::Interrupted));
        }
        Ok(())
    }

    /// Send lines read while following (no progress to report).
    fn send_lines(
        &mut self,
        block: Block,
        hits: Vec<Hit>,
        classified: Option<Vec<Classified>>,
    ) -> io::Result<()> {
        self.hold(&block)?;
        if (self.send)(Ingested::Block {
            pane: self.pane,
            block: Arc::new(block),
            hits,
            classified,
        }) {
            Ok(())
        } else {
            Err(io::Error::from(io::ErrorKind::Interrupted))
        }
    }

    /// Gzip, the bundled incident: decode and read in blocks.
    fn read(&mut self, file: &LogFile) -> io::Result<()> {
        let searcher = Searcher::new(self.matcher);
        if let (LogData::Static(bytes), false) = (&file.data, file.data_is_gzip()) {
            // Compiled in: no copy needed.
            let mut start = 0;
            while start < bytes.len() {
                let mut end = (start + READ_BLOCK).min(bytes.len());
                if end < bytes.len() {
                    end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i + 1);
                }
                let block =
                    Block::new(Bytes::Static(&bytes[start..end])).in_format(file.format, file.year);
                self.emit(block, &searcher, end as u64, file.size)?;
                start = end;
            }
            return Ok(());
        }
        let input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
        let mut chunks = ChunkReader::new(input.reader, READ_BLOCK);
        let mut done = 0u64;
        // Lines read before an error (a gzip file cut short) are sent before it is reported.
        while let Some(chunk) = chunks.next_chunk()? {
            done += chunk.len() as u64;
            let block = Block::new(Bytes::Owned(chunk.to_vec())).in_format(file.format, file.year);
            self.emit(block, &searcher, done, None)?;
        }
        Ok(())
    }

    /// Records (`journalctl -o json` / `-o export`, Docker json-file, JSON lines, logfmt):
    /// each record's message with its fields.
    fn structured(&mut self, file: &LogFile) -> io::Result<()> {
        let searcher = Searcher::new(self.matcher);
        let mut input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
        let mut lines = FieldLines::default();
        let mut done = 0u64;
        let label = file.record_label();
        record::for_each_record(
            file.format,
            &mut input.reader,
            label.as_ref(),
            |_, entry| {
                lines.push_entry(&entry);
                if lines.bytes >= READ_BLOCK {
                    done += lines.bytes as u64;
                    let block = std::mem::take(&mut lines).into_block();
                    self.emit(block, &searcher, done, None)?;
                }
                Ok(())
            },
        )?;
        if !lines.text.is_empty() {
            done += lines.bytes as u64;
            self.emit(lines.into_block(), &searcher, done, None)?;
        }
        Ok(())
    }

    /// Several logs in one pane: read them all and merge their lines by time, each tagged
    /// with its source. Each line keeps the fields its own format gives it. Each file has its
    /// own result: one that fails keeps the lines read before its error, and the others are
    /// not touched by it.
    fn merged(&mut self, files: &[LogFile]) -> Vec<io::Result<()>> {
        let mut all: Vec<MergedLine> = Vec::new();
        let budget = self.budget;
        let mut held = 0u64;
        let mut results: Vec<io::Result<()>> = files
            .iter()
            .enumerate()
            .map(|(tag, file)| read_for_merge(file, tag as u16, &mut all, &mut held, budget))
            .collect();
        // A stable sort by time: lines keep their order within a file.
        all.sort_by_key(|l| (l.fields.ts, l.tag));
        let searcher = Searcher::new(self.matcher);
        for chunk in all.chunks(MERGED_BLOCK_LINES) {
            let block =
                Block::from_fields(chunk.iter().map(|l| (l.text.as_slice(), l.fields.clone())))
                    .with_tags(chunk.iter().map(|l| l.tag).collect());
            let (hits, classified) = match_and_classify(&block, &searcher, self.classify);
            if !(self.send)(Ingested::Block {
                pane: self.pane,
                block: Arc::new(block),
                hits,
                classified,
            }) {
                for result in &mut results {
                    *result = Err(io::Error::from(io::ErrorKind::Interrupted));
                }
                break;
            }
        }
        results
    }
}

/// A line of one of several files in a pane, before they are merged by time.
struct MergedLine {
    tag: u16,
    text: Vec<u8>,
    fields: LineFields,
}

/// Read one of a pane's files into `all`, each line with its fields. On an error the lines
/// read before it stay in `all`.
fn read_for_merge(
    file: &LogFile,
    tag: u16,
    all: &mut Vec<MergedLine>,
    held: &mut u64,
    budget: u64,
) -> io::Result<()> {
    /// What a merged line costs beyond its text: its fields and its place in the list.
    const LINE_COST: usize = std::mem::size_of::<MergedLine>();
    if *held > budget {
        return Err(over_budget(*held));
    }
    let mut input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
    if file.format.is_structured() {
        let label = file.record_label();
        return record::for_each_record(
            file.format,
            &mut input.reader,
            label.as_ref(),
            |_, entry| {
                if *held > budget {
                    return Err(over_budget(*held));
                }
                for (text, fields) in entry.lines() {
                    *held += cost(text.len() + LINE_COST, 1);
                    all.push(MergedLine {
                        tag,
                        text: text.to_vec(),
                        fields,
                    });
                }
                Ok(())
            },
        )
        .map(|_| ());
    }
    let mut chunks = ChunkReader::new(input.reader, READ_BLOCK);
    // The fields of the last line with a time: a continuation line takes them.
    let mut last = LineFields::default();
    while let Some(chunk) = chunks.next_chunk()? {
        if *held > budget {
            return Err(over_budget(*held));
        }
        let block = Block::new(Bytes::Owned(chunk.to_vec())).in_format(file.format, file.year);
        *held += cost(block.byte_len() + block.len() * LINE_COST, block.len());
        for i in 0..block.len() {
            let line = block.line(i);
            let view = block.view(i);
            let fields = LineFields {
                // A continuation line takes the time and writer of the line it continues.
                ts: view.ts.or(last.ts),
                label: match (&view.label, view.ts) {
                    (Some(label), _) => Some(label.as_ref().into()),
                    (None, None) => last.label.clone(),
                    (None, Some(_)) => None,
                },
                stream: view.stream,
                priority: view.priority,
                message_start: ingest::message_offset(line, &view) as u32,
            };
            if view.ts.is_some() {
                last = fields.clone();
            }
            all.push(MergedLine {
                tag,
                text: line.to_vec(),
                fields,
            });
        }
    }
    Ok(())
}

/// What a followed file did since it was last looked at.
enum Change {
    None,
    /// Longer than what was read.
    Grew,
    /// Shorter than what was read (`copytruncate`): read again from its start.
    Shrank {
        read: u64,
        size: u64,
    },
    /// Another file is at its path now (renamed away and created anew): the old one was read
    /// to its end, the new one is read from its start.
    Replaced,
}

/// A file's bytes counted as they are read, from where the last read stopped.
struct Counted {
    file: File,
    read: u64,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A plain file read in blocks of whole lines, and looked at again for what changed.
struct FileTail {
    chunks: ChunkReader<Counted>,
    /// Device and inode: another file at the same path has others.
    identity: (u64, u64),
    /// The file kept open for reading blocks again, whatever happens at its path.
    log: Arc<OpenLog>,
    /// Where the next chunk starts in the file (`None` once a cut line made it unknown).
    offset: Option<u64>,
    /// Lines cut so far, to notice a new cut.
    cuts: u64,
}

impl FileTail {
    fn open(path: &Path) -> io::Result<FileTail> {
        use std::os::unix::fs::MetadataExt;
        let file = File::open(path)?;
        let meta = file.metadata()?;
        let log = OpenLog::new(file.try_clone()?)?;
        Ok(FileTail {
            chunks: ChunkReader::new(Counted { file, read: 0 }, FILE_BLOCK),
            identity: (meta.dev(), meta.ino()),
            log,
            offset: Some(0),
            cuts: 0,
        })
    }

    fn size(&self) -> io::Result<u64> {
        Ok(self.chunks.get_ref().file.metadata()?.len())
    }

    /// Look at the file (once it has been read to its end) and at its path.
    fn change(&mut self, path: &Path) -> io::Result<Change> {
        use std::os::unix::fs::MetadataExt;
        let read = self.chunks.get_ref().read;
        let size = self.size()?;
        if size < read {
            // Reading on from the old position would only find the end: start again.
            let mut file = self.chunks.get_ref().file.try_clone()?;
            io::Seek::seek(&mut file, io::SeekFrom::Start(0))?;
            self.chunks = ChunkReader::new(Counted { file, read: 0 }, FILE_BLOCK);
            (self.offset, self.cuts) = (Some(0), 0);
            return Ok(Change::Shrank { read, size });
        }
        if size > read {
            return Ok(Change::Grew);
        }
        // Read to its end: if the path names another file now, that one is next.
        match std::fs::metadata(path) {
            Ok(meta) if (meta.dev(), meta.ino()) != self.identity => {
                *self = FileTail::open(path)?;
                Ok(Change::Replaced)
            }
            _ => Ok(Change::None),
        }
    }
}

/// Journal entries gathered into a block: each line's message beside its fields.
#[derive(Default)]
struct FieldLines {
    text: Vec<(Vec<u8>, LineFields)>,
    bytes: usize,
}

impl FieldLines {
    fn push_entry(&mut self, entry: &Record) {
        for (text, fields) in entry.lines() {
            self.bytes += text.len() + 1;
            self.text.push((text.to_vec(), fields));
        }
    }

    fn into_block(self) -> Block {
        Block::from_fields(self.text.iter().map(|(t, f)| (t.as_slice(), f.clone())))
    }
}

impl LogFile {
    /// The writer of all the file's records, where its path says (a Docker json-file log).
    fn record_label(&self) -> Option<Arc<str>> {
        match &self.data {
            LogData::Path(path) => record::label_for_path(self.format, path),
            LogData::Static(_) => None,
        }
    }

    fn data_is_gzip(&self) -> bool {
        match &self.data {
            LogData::Path(path) => needs_decoding(path),
            LogData::Static(bytes) => input::Compression::of(bytes).is_some(),
        }
    }
}
