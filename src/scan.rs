//! Headless scanning: inputs → format detection → matcher → a printer.
//!
//! [`scan_input`] is the engine (also used by tests and other front ends); the printers in
//! [`crate::report`] turn what it finds into text, JSON lines or a summary.

use std::io::{self, BufRead};

use jiff::Timestamp;

use crate::{
    ingest,
    input::{ChunkReader, LogInput},
    matcher::{Matcher, Searcher},
    model::{Block, Bytes, Hit, Level, LineFields, NoTimeRun, TextFormat},
    parallel,
    parse::{self, LogFormat, Stream, record},
};

/// Chunk size for reading text logs: big enough that per-chunk overhead vanishes, small
/// enough to stay in cache and keep memory flat.
const CHUNK: usize = 1 << 20;

/// A line with at least one hit.
#[derive(Debug)]
pub struct Found<'a> {
    pub file: &'a str,
    /// 1-based line number in the input (for `-o export`, the line the entry starts on).
    pub line: u64,
    pub ts: Option<Timestamp>,
    /// Container, compose service, unit or identifier, when the format says.
    pub label: Option<&'a str>,
    pub stream: Option<Stream>,
    /// The line as stored: the whole line for text formats, the message for structured ones
    /// and live sources. Hit spans are offsets in it.
    pub text: &'a [u8],
    pub hits: &'a [Hit],
    /// With `--unknown`, a line with no hit whose own level is high enough: an unrecognised
    /// error (`hits` is empty then).
    pub unknown: Option<Unrecognised>,
    /// The unrecognised error's message masked for the template miner
    /// ([`crate::templates::mask_mined`]) where it was read, on a matching thread; `None`:
    /// whoever mines it masks it.
    pub masked: Option<&'a [String]>,
}

/// A line the log itself marks as an error (or warning) that no catalogue entry knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unrecognised {
    pub level: Level,
    /// Where the message starts in [`Found::text`] (what is mined into a template).
    pub message_start: usize,
}

/// What reading one input took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputStats {
    pub format: LogFormat,
    pub lines: u64,
    pub bytes: u64,
}

/// Why a scan stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{name}: read error after line {line}: {source}")]
    Read {
        name: String,
        line: u64,
        source: io::Error,
    },
    /// Writing the results failed (a closed pipe, a full disk).
    #[error("writing output: {0}")]
    Output(io::Error),
}

/// How to scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// The log format, instead of detecting it from the first lines.
    pub format: Option<LogFormat>,
    /// Threads searching text logs (1: search on the calling thread).
    pub threads: usize,
    /// Also report lines with no hit whose own level is at least this (`--unknown`).
    pub unknown: Option<Level>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            format: None,
            threads: default_threads(),
            unknown: None,
        }
    }
}

/// As many threads as cores, up to 4: beyond that, reading is the bottleneck.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// Scan one input and hand every matching line to `sink`, in input order.
pub fn scan_input(
    matcher: &Matcher,
    input: LogInput,
    options: ScanOptions,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let LogInput {
        name,
        mut reader,
        year,
        streaming,
        sample,
    } = input;
    let year = year.unwrap_or_else(current_year);
    let read_err = |line, source| ScanError::Read {
        name: name.clone(),
        line,
        source,
    };
    let format = match options.format {
        Some(format) => format,
        None => {
            let head = reader.fill_buf().map_err(|e| read_err(0, e))?;
            parse::detect(head.split(|&b| b == b'\n'))
        }
    };
    match format {
        format if format.is_structured() => scan_records(
            matcher,
            &name,
            reader,
            format,
            streaming,
            options.unknown,
            sink,
        ),
        _ => {
            let reading = if streaming {
                // Each line as it comes, matched and reported before the next read.
                Reading::Streaming
            } else {
                Reading::Chunks(options.threads)
            };
            // A big file's prefilter is chosen from pieces of all of it, not its first
            // megabyte only.
            let searcher = match &sample {
                Some(sample) => Searcher::for_big_input(matcher, sample),
                None => Searcher::new(matcher),
            };
            scan_text(
                searcher,
                &name,
                reader,
                TextFormat { format, year },
                reading,
                options.unknown,
                sink,
            )
        }
    }
}

fn current_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year()
}

/// Hand the hits of `block` to `sink`, one `Found` per line with hits, and the unrecognised
/// errors `unknown` lists (line index and level, in line order) among them in line order;
/// `line_number(i)` numbers line `i` of the block in the input, `file(i)` names where it came
/// from.
fn emit_block<'n>(
    block: &Block,
    hits: &[Hit],
    unknown: &[(usize, Level)],
    masked: &[Vec<String>],
    file: &dyn Fn(usize) -> &'n str,
    line_number: &dyn Fn(usize) -> u64,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> io::Result<()> {
    let mut unknown = unknown.iter().enumerate().peekable();
    // Lines are emitted in order: a stretch without time is looked back over once.
    let mut run = NoTimeRun::default();
    let mut emit_unknown_before = |limit: usize,
                                   run: &mut NoTimeRun,
                                   sink: &mut dyn FnMut(&Found) -> io::Result<()>|
     -> io::Result<()> {
        while let Some(&(nth, &(index, level))) = unknown.peek() {
            if index >= limit {
                break;
            }
            unknown.next();
            // The line's own view, with the time of the line it continues if it has
            // none: its message is the line's own either way.
            let view = block.view_in_context_after(index, run);
            let line = block.line(index);
            sink(&Found {
                file: file(index),
                line: line_number(index),
                ts: view.ts,
                label: view.label.as_deref(),
                stream: view.stream,
                text: line,
                hits: &[],
                unknown: Some(Unrecognised {
                    level,
                    message_start: ingest::message_offset(line, &view),
                }),
                masked: masked.get(nth).map(Vec::as_slice),
            })?;
        }
        Ok(())
    };
    for line_hits in hits.chunk_by(|a, b| a.index == b.index) {
        let index = line_hits[0].index;
        emit_unknown_before(index, &mut run, sink)?;
        let view = block.view_in_context_after(index, &mut run);
        sink(&Found {
            file: file(index),
            line: line_number(index),
            ts: line_hits[0].ts,
            label: view.label.as_deref(),
            stream: view.stream,
            text: block.line(index),
            hits: line_hits,
            unknown: None,
            masked: None,
        })?;
    }
    emit_unknown_before(usize::MAX, &mut run, sink)
}

/// How a text input is read.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// In big chunks, searched on this many threads (a file).
    Chunks(usize),
    /// Whole lines as each read brings them, on this thread (a pipe or terminal).
    Streaming,
}

fn scan_text(
    searcher: Searcher<'_>,
    name: &str,
    reader: Box<dyn BufRead + Send>,
    TextFormat { format, year }: TextFormat,
    reading: Reading,
    unknown: Option<Level>,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let (mut chunks, threads) = match reading {
        Reading::Chunks(threads) => (ChunkReader::new(reader, CHUNK), threads),
        Reading::Streaming => (ChunkReader::streaming(reader, CHUNK), 1),
    };
    let mut lines_before_chunk = 0u64;
    let mut bytes = 0u64;

    // Chunks are read here, searched on `threads` threads, and reported here in order.
    let mut read_error = None;
    // The reader goes on in the buffers of blocks reported: a chunk is never copied.
    let items =
        std::iter::from_fn(
            || match chunks.next_chunk_owned(crate::model::spare_buffer()) {
                Ok(Some(chunk)) => {
                    bytes += chunk.len() as u64;
                    Some(chunk)
                }
                Ok(None) => None,
                Err(err) => {
                    read_error = Some(err);
                    None
                }
            },
        );
    let mut output_error = None;
    parallel::ordered_map(
        items,
        threads,
        |chunk| {
            let block = Block::new(Bytes::Owned(chunk)).in_format(format, year);
            let hits = ingest::match_block(&block, &searcher);
            let unrecognised = unknown
                .map(|min| ingest::unrecognised(&block, &hits, min))
                .unwrap_or_default();
            // Masked here, on the matching threads: mining is then all the reporting
            // thread does for them.
            let masked = unrecognised
                .iter()
                .map(|&(index, _)| crate::templates::mask_mined(block.view(index).message))
                .collect::<Vec<_>>();
            (block, hits, unrecognised, masked)
        },
        |(block, hits, unrecognised, masked)| {
            let before = lines_before_chunk;
            let emitted = emit_block(
                &block,
                &hits,
                &unrecognised,
                &masked,
                &|_| name,
                &|i| before + i as u64 + 1,
                sink,
            );
            if let Err(err) = emitted {
                output_error = Some(ScanError::Output(err));
                return false;
            }
            lines_before_chunk += block.len() as u64;
            true
        },
    );
    if let Some(err) = output_error {
        return Err(err);
    }
    if let Some(err) = read_error {
        return Err(ScanError::Read {
            name: name.to_string(),
            line: lines_before_chunk,
            source: err,
        });
    }
    Ok(InputStats {
        format,
        lines: lines_before_chunk,
        bytes,
    })
}

/// Records gathered for matching: each line's message, its fields, and the input line its
/// record starts on; matched and reported a chunk's worth at a time (or, from a pipe, record
/// by record).
struct RecordBatch<'m> {
    searcher: Searcher<'m>,
    name: &'m str,
    /// Report every record as it comes rather than a chunk's worth at a time.
    streaming: bool,
    lines: Vec<(Vec<u8>, LineFields, u64)>,
    bytes: usize,
    /// Report lines with no hit at this level or worse too (`--unknown`).
    unknown: Option<Level>,
}

impl<'m> RecordBatch<'m> {
    fn new(matcher: &'m Matcher, name: &'m str, streaming: bool, unknown: Option<Level>) -> Self {
        RecordBatch {
            searcher: Searcher::new(matcher),
            name,
            streaming,
            lines: Vec::new(),
            bytes: 0,
            unknown,
        }
    }

    /// Add a record; report what has gathered when it is a chunk's worth (or streaming).
    fn add(
        &mut self,
        record: &record::Record,
        input_line: u64,
        sink: &mut dyn FnMut(&Found) -> io::Result<()>,
    ) -> io::Result<()> {
        for (text, fields) in record.lines() {
            self.bytes += text.len() + 1;
            self.lines.push((text.to_vec(), fields, input_line));
        }
        if self.streaming || self.bytes >= CHUNK {
            self.flush(sink)?;
        }
        Ok(())
    }

    /// Match the gathered lines and hand their hits to `sink`.
    fn flush(&mut self, sink: &mut dyn FnMut(&Found) -> io::Result<()>) -> io::Result<()> {
        let lines = std::mem::take(&mut self.lines);
        self.bytes = 0;
        if lines.is_empty() {
            return Ok(());
        }
        let block = Block::from_fields(lines.iter().map(|(t, f, _)| (t.as_slice(), f.clone())));
        let hits = ingest::match_block(&block, &self.searcher);
        let unrecognised = self
            .unknown
            .map(|min| ingest::unrecognised(&block, &hits, min))
            .unwrap_or_default();
        emit_block(
            &block,
            &hits,
            &unrecognised,
            &[],
            &|_| self.name,
            &|i| lines[i].2,
            sink,
        )
    }
}

/// A structured input (journal JSON or export, Docker json-file, JSON lines, logfmt): each
/// record decoded and matched on its message. From a pipe (`journalctl -f -o json | triage
/// scan -`), each record is matched and reported before waiting for the next.
fn scan_records(
    matcher: &Matcher,
    name: &str,
    mut reader: Box<dyn BufRead + Send>,
    format: LogFormat,
    streaming: bool,
    unknown: Option<Level>,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let mut batch = RecordBatch::new(
        matcher,
        name,
        streaming && format != LogFormat::JournalExport,
        unknown,
    );
    let label = record::label_for_path(format, std::path::Path::new(name));
    // The sink's errors are the output's; anything else is the input's.
    let mut output_error = None;
    let mut last_line = 0;
    let read = record::for_each_record(format, &mut reader, label.as_ref(), |line, record| {
        last_line = line;
        batch.add(&record, line, sink).map_err(|err| {
            output_error = Some(err);
            io::Error::other("output failed")
        })
    });
    let flushed = match (&read, output_error.is_none()) {
        (Ok(_), true) => batch.flush(sink),
        _ => Ok(()),
    };
    if let Some(err) = output_error {
        return Err(ScanError::Output(err));
    }
    flushed.map_err(ScanError::Output)?;
    let stats = read.map_err(|source| ScanError::Read {
        name: name.to_string(),
        line: last_line,
        source,
    })?;
    Ok(InputStats {
        format,
        lines: stats.lines,
        bytes: stats.bytes,
    })
}

/// Scan live sources: read what Docker and the journal hold (and with `follow`, keep
/// reading until SIGINT, SIGTERM or SIGHUP), handing every matching line to `sink`. Lines are
/// named by their origin (`docker:NAME`, `journal`) and numbered in the order read. Sources
/// that fail are reported to `failed(source, why)`; the others go on. With `unknown`, lines
/// with no hit whose own level is at least that are handed on too, as from files. Returns the
/// signal that ended a follow, if one did (the exit code is then 128 + its number).
#[allow(clippy::too_many_arguments)]
pub fn scan_live(
    matcher: &Matcher,
    docker: Option<crate::source::docker::DockerOptions>,
    journal: Option<crate::source::journal::JournalOptions>,
    follow: bool,
    unknown: Option<Level>,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
    failed: &mut dyn FnMut(&str, &str),
    note: &mut dyn FnMut(&str, &str),
) -> Result<Option<i32>, ScanError> {
    use crate::source::{self, SourceMsg};
    use tokio::sync::mpsc;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ScanError::Output)?;
    let result = runtime.block_on(async {
        let mut channels: Vec<(&str, mpsc::Receiver<SourceMsg>)> = Vec::new();
        if let Some(options) = docker {
            let (tx, rx) = mpsc::channel(64);
            tokio::spawn(source::docker::run(options, tx));
            channels.push(("docker", rx));
        }
        if let Some(options) = journal {
            let (tx, rx) = mpsc::channel(64);
            tokio::spawn(source::journal::run(options, tx));
            channels.push(("journal", rx));
        }
        let mut searchers: Vec<Searcher> =
            channels.iter().map(|_| Searcher::new(matcher)).collect();
        let mut noted: std::collections::HashSet<String> = Default::default();
        let mut numbers: std::collections::HashMap<std::sync::Arc<str>, u64> = Default::default();
        let (stop_tx, mut stop_rx) = mpsc::channel::<i32>(1);
        if follow {
            use tokio::signal::unix::{SignalKind, signal};
            let kinds = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];
            for number in kinds {
                if let Ok(mut sig) = signal(SignalKind::from_raw(number)) {
                    let stop = stop_tx.clone();
                    tokio::spawn(async move {
                        sig.recv().await;
                        let _ = stop.send(number).await;
                    });
                }
            }
        }
        let mut ended_by = None;
        drop(stop_tx);
        while !channels.is_empty() {
            // Whichever source has something; a closed one is done.
            let next = {
                let receivers = channels
                    .iter_mut()
                    .enumerate()
                    .map(|(i, (_, rx))| Box::pin(async move { (i, rx.recv().await) }));
                tokio::select! {
                    (ready, _, _) = futures_util::future::select_all(receivers) => Some(ready),
                    Some(number) = stop_rx.recv() => {
                        ended_by = Some(number);
                        None
                    }
                }
            };
            let Some((index, message)) = next else { break };
            let name = channels[index].0;
            match message {
                None => {
                    channels.remove(index);
                    searchers.remove(index);
                }
                Some(SourceMsg::State(crate::model::SourceState::Failed(why))) => {
                    failed(name, &why)
                }
                // Nothing to read yet (no container running): said once, not an error.
                Some(SourceMsg::State(crate::model::SourceState::Waiting(why))) => {
                    if noted.insert(why.clone()) {
                        note(name, &why);
                    }
                }
                Some(SourceMsg::State(_)) => {}
                Some(SourceMsg::Lines(lines)) => {
                    // Lines are numbered per origin, in the order read.
                    let line_numbers: Vec<u64> = lines
                        .iter()
                        .map(|line| {
                            let number = numbers.entry(line.origin.clone()).or_default();
                            *number += 1;
                            *number
                        })
                        .collect();
                    let block = source::block_of(&lines, 0);
                    let hits = ingest::match_block(&block, &searchers[index]);
                    let unrecognised = unknown
                        .map(|min| ingest::unrecognised(&block, &hits, min))
                        .unwrap_or_default();
                    emit_block(
                        &block,
                        &hits,
                        &unrecognised,
                        &[],
                        &|i| &lines[i].origin,
                        &|i| line_numbers[i],
                        sink,
                    )
                    .map_err(ScanError::Output)?;
                }
            }
        }
        Ok(ended_by)
    });
    // Sources still running (following) are dropped with the runtime; journalctl with them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    crate::children::kill_all();
    result
}
