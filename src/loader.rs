//! Loading saved logs into the viewer: each pane's files are read in blocks of whole lines,
//! matched against the catalogue as they go, and sent to the app as events. The first block
//! arrives within milliseconds, so the first frame does not wait for a big file.

use std::{
    fs::File,
    io::{self, BufRead, Read},
    path::PathBuf,
    sync::Arc,
};

use memmap2::Mmap;

use crate::{
    app::{BlockHit, Event, PaneId, Source, SourceState},
    catalogue::Catalogue,
    input::{self, ChunkReader},
    matcher::Matcher,
    parse::{self, LogFormat, journal},
    store::{Block, Bytes},
};

/// Bytes per block for memory-mapped files: large enough that per-block work vanishes,
/// small enough that the first one is on screen at once.
const MAPPED_BLOCK: usize = 4 << 20;
/// Bytes per block when reading (gzip, the bundled incident, merged files).
const READ_BLOCK: usize = 1 << 20;

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

    /// The format its lines are shown in: structured journal output becomes `short-iso` text.
    pub fn shown_format(&self) -> LogFormat {
        if self.format.is_structured() {
            LogFormat::ShortIso
        } else {
            self.format
        }
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
            format: self.shown_format(),
            year: self.year,
            state: SourceState::Loading {
                done: 0,
                total: self.size,
            },
        }
    }
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

/// Load one pane's logs, sending `Block` and `Source` events in order. Runs on its own
/// thread (or inline, in tests).
pub fn load_pane(
    catalogue: &Catalogue,
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    send: &mut dyn FnMut(Event) -> bool,
) {
    let mut loader = Loader {
        catalogue,
        matcher,
        pane,
        send,
    };
    if let [file] = files {
        let result = match (&file.data, file.format.is_structured()) {
            (LogData::Path(path), false) if !needs_decoding(path) => loader.mapped(file, path),
            (_, false) => loader.read(file),
            (_, true) => loader.structured(file),
        };
        loader.finish(0, result);
    } else if !files.is_empty() {
        let result = loader.merged(files);
        for tag in 0..files.len() {
            loader.finish(tag as u16, result.as_ref().map(|_| ()).map_err(clone_io));
        }
    }
}

fn clone_io(err: &io::Error) -> io::Error {
    io::Error::new(err.kind(), err.to_string())
}

/// Whether the file's bytes are not its lines as they are: gzip, or UTF-16 with a byte order
/// mark. Such a file is read through the decoding reader, not mapped.
fn needs_decoding(path: &std::path::Path) -> bool {
    let mut magic = [0u8; 2];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| matches!(magic, [0x1f, 0x8b] | [0xff, 0xfe] | [0xfe, 0xff]))
}

struct Loader<'a> {
    catalogue: &'a Catalogue,
    matcher: &'a Matcher,
    pane: PaneId,
    send: &'a mut dyn FnMut(Event) -> bool,
}

impl Loader<'_> {
    fn finish(&mut self, source: u16, result: io::Result<()>) {
        let state = match result {
            Ok(()) => SourceState::Loaded,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => return,
            Err(err) => SourceState::Failed(err.to_string()),
        };
        (self.send)(Event::Source {
            pane: self.pane,
            source,
            state,
        });
    }

    /// Match a block and send it. `Err(Interrupted)` if the app has gone.
    fn emit(
        &mut self,
        block: Block,
        format: LogFormat,
        year: i16,
        done: u64,
        total: Option<u64>,
        tag: u16,
    ) -> io::Result<()> {
        let hits = block_hits(self.catalogue, self.matcher, &block, format, year);
        self.send_block(block, hits, done, total, tag)
    }

    fn send_block(
        &mut self,
        block: Block,
        hits: Vec<BlockHit>,
        done: u64,
        total: Option<u64>,
        tag: u16,
    ) -> io::Result<()> {
        block.release_pages();
        let ok = (self.send)(Event::Block {
            pane: self.pane,
            block: Arc::new(block),
            hits,
        }) && (self.send)(Event::Source {
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

    /// A plain file on disk: map it, and index and match its blocks on all cores.
    fn mapped(&mut self, file: &LogFile, path: &std::path::Path) -> io::Result<()> {
        let handle = File::open(path)?;
        if handle.metadata()?.len() == 0 {
            return Ok(());
        }
        // SAFETY: the map is read-only. A file truncated by someone else while mapped could
        // raise SIGBUS on access; logs being replayed are not normally being truncated.
        let map = Arc::new(unsafe { Mmap::map(&handle)? });
        let total = map.len();
        let mut start = 0;
        let ranges = std::iter::from_fn(|| {
            if start >= total {
                return None;
            }
            let mut end = (start + MAPPED_BLOCK).min(total);
            if end < total {
                end = memchr::memchr(b'\n', &map[end..]).map_or(total, |i| end + i + 1);
            }
            let range = start..end;
            start = end;
            Some(range)
        });
        let (catalogue, matcher) = (self.catalogue, self.matcher);
        let (format, year) = (file.shown_format(), file.year);
        let mut result = Ok(());
        crate::parallel::ordered_map(
            ranges,
            crate::scan::default_threads(),
            |range| {
                let end = range.end;
                let block = Block::new(Bytes::Mapped(map.clone(), range));
                let hits = block_hits(catalogue, matcher, &block, format, year);
                (block, hits, end)
            },
            |(block, hits, end)| {
                result = self.send_block(block, hits, end as u64, Some(total as u64), 0);
                result.is_ok()
            },
        );
        result
    }

    /// Gzip, the bundled incident: decode and read in blocks.
    fn read(&mut self, file: &LogFile) -> io::Result<()> {
        if let (LogData::Static(bytes), false) = (&file.data, file.data_is_gzip()) {
            // Compiled in: no copy needed.
            let mut start = 0;
            while start < bytes.len() {
                let mut end = (start + READ_BLOCK).min(bytes.len());
                if end < bytes.len() {
                    end = memchr::memchr(b'\n', &bytes[end..]).map_or(bytes.len(), |i| end + i + 1);
                }
                let block = Block::new(Bytes::Static(&bytes[start..end]));
                self.emit(block, file.format, file.year, end as u64, file.size, 0)?;
                start = end;
            }
            return Ok(());
        }
        let input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
        let mut chunks = ChunkReader::new(input.reader, READ_BLOCK);
        let mut done = 0u64;
        while let Some(chunk) = chunks.next_chunk()? {
            done += chunk.len() as u64;
            let block = Block::new(Bytes::Owned(chunk.to_vec()));
            self.emit(block, file.format, file.year, done, None, 0)?;
        }
        Ok(())
    }

    /// `journalctl -o json` / `-o export`: shown as `short-iso` text.
    fn structured(&mut self, file: &LogFile) -> io::Result<()> {
        let mut input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
        let mut text = Vec::with_capacity(READ_BLOCK + 4096);
        let mut done = 0u64;
        journal::for_each_entry(file.format, &mut input.reader, |entry| {
            text.extend_from_slice(&entry.to_short_iso(true));
            if text.len() >= READ_BLOCK {
                done += text.len() as u64;
                let block = Block::new(Bytes::Owned(std::mem::take(&mut text)));
                self.emit(block, LogFormat::ShortIso, file.year, done, None, 0)?;
            }
            Ok(())
        })?;
        if !text.is_empty() {
            done += text.len() as u64;
            self.emit(
                Block::new(Bytes::Owned(text)),
                LogFormat::ShortIso,
                file.year,
                done,
                None,
                0,
            )?;
        }
        Ok(())
    }

    /// Several logs in one pane: read them all and merge their lines by time, each tagged
    /// with its source.
    fn merged(&mut self, files: &[LogFile]) -> io::Result<()> {
        struct Line {
            ts: Option<jiff::Timestamp>,
            tag: u16,
            text: Vec<u8>,
        }
        let mut all: Vec<Line> = Vec::new();
        for (tag, file) in files.iter().enumerate() {
            let mut bytes = Vec::new();
            let mut input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
            if file.format.is_structured() {
                journal::for_each_entry(file.format, &mut input.reader, |entry| {
                    bytes.extend_from_slice(&entry.to_short_iso(true));
                    Ok(())
                })?;
            } else {
                input.reader.read_to_end(&mut bytes)?;
            }
            let format = file.shown_format();
            let mut last_ts = None;
            for text in bytes.split(|&b| b == b'\n') {
                let ts = parse::parse_line(format, text, file.year).ts.or(last_ts);
                last_ts = ts;
                all.push(Line {
                    ts,
                    tag: tag as u16,
                    text: text.to_vec(),
                });
            }
            if bytes.ends_with(b"\n") {
                all.pop();
            }
        }
        // A stable sort by time: lines keep their order within a file.
        all.sort_by_key(|l| (l.ts, l.tag));
        let total = all.len();
        let (mut text, mut tags, mut times) = (Vec::new(), Vec::new(), Vec::new());
        for (n, line) in all.into_iter().enumerate() {
            text.extend_from_slice(&line.text);
            text.push(b'\n');
            tags.push(line.tag);
            times.push(line.ts);
            if text.len() >= READ_BLOCK || n + 1 == total {
                let block = Block::new(Bytes::Owned(std::mem::take(&mut text)))
                    .with_tags(std::mem::take(&mut tags));
                let hits = self.merged_hits(&block, &std::mem::take(&mut times));
                if !(self.send)(Event::Block {
                    pane: self.pane,
                    block: Arc::new(block),
                    hits,
                }) {
                    return Err(io::Error::from(io::ErrorKind::Interrupted));
                }
            }
        }
        Ok(())
    }

    fn merged_hits(&self, block: &Block, times: &[Option<jiff::Timestamp>]) -> Vec<BlockHit> {
        let mut found = Vec::new();
        for (index, &ts) in times.iter().enumerate().take(block.len()) {
            for hit in self.matcher.match_line(block.line(index)) {
                found.push(BlockHit {
                    index,
                    entry: hit.entry,
                    severity: self.catalogue.entries()[hit.entry].severity,
                    spans: hit.spans,
                    captures: hit.captures,
                    ts,
                });
            }
        }
        found
    }
}

/// The catalogue's hits in a block of lines, with the time of each hit's line.
fn block_hits(
    catalogue: &Catalogue,
    matcher: &Matcher,
    block: &Block,
    format: LogFormat,
    year: i16,
) -> Vec<BlockHit> {
    let bytes = block.bytes();
    let mut found = Vec::new();
    matcher.scan_buffer(bytes, |range, hits| {
        let index = block.line_of_offset(range.start);
        let line = block.line_range(index);
        let ts = parse::parse_in_context(format, bytes, line, year).ts;
        for hit in hits {
            found.push(BlockHit {
                index,
                entry: hit.entry,
                severity: catalogue.entries()[hit.entry].severity,
                spans: hit.spans,
                captures: hit.captures,
                ts,
            });
        }
        true
    });
    found
}

impl LogFile {
    fn data_is_gzip(&self) -> bool {
        match &self.data {
            LogData::Path(path) => needs_decoding(path),
            LogData::Static(bytes) => bytes.starts_with(&[0x1f, 0x8b]),
        }
    }
}
