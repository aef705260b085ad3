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
    ingest,
    input::{self, ChunkReader},
    matcher::{Matcher, Searcher},
    model::{Block, Bytes, Hit, Ingested, LineFields, PaneId, Source, SourceState},
    parse::{
        self, LogFormat,
        record::{self, Record},
    },
};

/// Bytes per block for memory-mapped files: large enough that per-block work vanishes,
/// small enough that the first one is on screen at once.
const MAPPED_BLOCK: usize = 4 << 20;
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
    matcher: &Matcher,
    pane: PaneId,
    files: &[LogFile],
    send: &mut dyn FnMut(Ingested) -> bool,
) {
    let mut loader = Loader {
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

/// Whether the file's bytes are not its lines as they are: compressed (gzip, xz, bzip2,
/// zstd), or UTF-16 with a byte order mark. Such a file is read through the decoding reader,
/// not mapped.
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
        let hits = ingest::match_block(&block, searcher);
        self.send_block(block, hits, done, total, 0)
    }

    fn send_block(
        &mut self,
        block: Block,
        hits: Vec<Hit>,
        done: u64,
        total: Option<u64>,
        tag: u16,
    ) -> io::Result<()> {
        block.release_pages();
        let ok = (self.send)(Ingested::Block {
            pane: self.pane,
            block: Arc::new(block),
            hits,
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
        let searcher = Searcher::new(self.matcher);
        let (format, year) = (file.format, file.year);
        let mut result = Ok(());
        crate::parallel::ordered_map(
            ranges,
            crate::scan::default_threads(),
            |range| {
                let end = range.end;
                let block = Block::new(Bytes::Mapped(map.clone(), range)).in_format(format, year);
                let hits = ingest::match_block(&block, &searcher);
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
    /// with its source. Each line keeps the fields its own format gives it.
    fn merged(&mut self, files: &[LogFile]) -> io::Result<()> {
        struct Line {
            tag: u16,
            text: Vec<u8>,
            fields: LineFields,
        }
        let mut all: Vec<Line> = Vec::new();
        for (tag, file) in files.iter().enumerate() {
            let tag = tag as u16;
            let mut input = open_input(&file.name, &file.data).map_err(io::Error::other)?;
            if file.format.is_structured() {
                let label = file.record_label();
                record::for_each_record(
                    file.format,
                    &mut input.reader,
                    label.as_ref(),
                    |_, entry| {
                        for (text, fields) in entry.lines() {
                            all.push(Line {
                                tag,
                                text: text.to_vec(),
                                fields,
                            });
                        }
                        Ok(())
                    },
                )?;
                continue;
            }
            let mut bytes = Vec::new();
            input.reader.read_to_end(&mut bytes)?;
            let block = Block::new(Bytes::Owned(bytes)).in_format(file.format, file.year);
            let mut last = LineFields::default();
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
                all.push(Line {
                    tag,
                    text: line.to_vec(),
                    fields,
                });
            }
        }
        // A stable sort by time: lines keep their order within a file.
        all.sort_by_key(|l| (l.fields.ts, l.tag));
        let searcher = Searcher::new(self.matcher);
        for chunk in all.chunks(MERGED_BLOCK_LINES) {
            let block =
                Block::from_fields(chunk.iter().map(|l| (l.text.as_slice(), l.fields.clone())))
                    .with_tags(chunk.iter().map(|l| l.tag).collect());
            let hits = ingest::match_block(&block, &searcher);
            if !(self.send)(Ingested::Block {
                pane: self.pane,
                block: Arc::new(block),
                hits,
            }) {
                return Err(io::Error::from(io::ErrorKind::Interrupted));
            }
        }
        Ok(())
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
