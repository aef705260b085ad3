//! Headless scanning: inputs → format detection → matcher → a printer.
//!
//! [`scan_input`] is the engine (also used by tests and other front ends); the printers in
//! [`crate::report`] turn what it finds into text, JSON lines or a summary.

use std::io::{self, BufRead};

use jiff::Timestamp;

use crate::{
    input::{ChunkReader, LogInput},
    matcher::{Hit, Matcher},
    parse::{self, LogFormat, Stream, journal},
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
    /// The text matched: the whole line for text formats, the message for structured ones.
    pub text: &'a [u8],
    pub hits: &'a [Hit],
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

/// Scan one input and hand every matching line to `sink`, in input order.
pub fn scan_input(
    matcher: &Matcher,
    input: LogInput,
    forced: Option<LogFormat>,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let LogInput {
        name,
        mut reader,
        year,
    } = input;
    let year = year.unwrap_or_else(current_year);
    let read_err = |line, source| ScanError::Read {
        name: name.clone(),
        line,
        source,
    };
    let format = match forced {
        Some(format) => format,
        None => {
            let head = reader.fill_buf().map_err(|e| read_err(0, e))?;
            parse::detect(head.split(|&b| b == b'\n'))
        }
    };
    match format {
        LogFormat::JournalJson => scan_json(matcher, &name, reader, sink),
        LogFormat::JournalExport => scan_export(matcher, &name, reader, sink),
        _ => scan_text(matcher, &name, reader, format, year, sink),
    }
}

fn current_year() -> i16 {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year()
}

fn scan_text(
    matcher: &Matcher,
    name: &str,
    reader: Box<dyn BufRead + Send>,
    format: LogFormat,
    year: i16,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let mut chunks = ChunkReader::new(reader, CHUNK);
    let mut lines_before_chunk = 0u64;
    let mut bytes = 0u64;
    let mut output_error = None;
    loop {
        let chunk = match chunks.next_chunk() {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(source) => {
                return Err(ScanError::Read {
                    name: name.to_string(),
                    line: lines_before_chunk,
                    source,
                });
            }
        };
        bytes += chunk.len() as u64;
        // Line numbers are counted lazily, only up to each hit.
        let mut counted_to = 0;
        let mut line = lines_before_chunk;
        matcher.scan_buffer(chunk, |range, hits| {
            line += count_lines(&chunk[counted_to..range.start]);
            counted_to = range.start;
            let text = strip_cr(&chunk[range]);
            let view = parse::parse_line(format, text, year);
            let found = Found {
                file: name,
                line: line + 1,
                ts: view.ts,
                label: view.label.as_deref(),
                stream: view.stream,
                text,
                hits: &hits,
            };
            match sink(&found) {
                Ok(()) => true,
                Err(err) => {
                    output_error = Some(err);
                    false
                }
            }
        });
        if let Some(err) = output_error {
            return Err(ScanError::Output(err));
        }
        lines_before_chunk = line + count_lines(&chunk[counted_to..]);
        if !chunk.ends_with(b"\n") {
            lines_before_chunk += 1;
        }
    }
    Ok(InputStats {
        format,
        lines: lines_before_chunk,
        bytes,
    })
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn scan_json(
    matcher: &Matcher,
    name: &str,
    mut reader: Box<dyn BufRead + Send>,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let read = reader.read_until(b'\n', &mut buf).map_err(|source| ScanError::Read {
            name: name.to_string(),
            line,
            source,
        })?;
        if read == 0 {
            break;
        }
        line += 1;
        bytes += read as u64;
        let raw = strip_cr(buf.strip_suffix(b"\n").unwrap_or(&buf));
        // A line that is not an entry (journalctl's own notes) is still searched as text.
        let entry = journal::parse_json(raw).unwrap_or_else(|_| journal::JournalEntry {
            message: raw.to_vec(),
            ..Default::default()
        });
        emit_entry(matcher, name, line, entry, sink).map_err(ScanError::Output)?;
    }
    Ok(InputStats {
        format: LogFormat::JournalJson,
        lines: line,
        bytes,
    })
}

fn scan_export(
    matcher: &Matcher,
    name: &str,
    reader: Box<dyn BufRead + Send>,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> Result<InputStats, ScanError> {
    let mut entries = journal::ExportReader::new(reader);
    loop {
        let next = entries.next_entry().map_err(|source| ScanError::Read {
            name: name.to_string(),
            line: entries.lines_read(),
            source,
        })?;
        let Some((line, entry)) = next else { break };
        emit_entry(matcher, name, line, entry, sink).map_err(ScanError::Output)?;
    }
    Ok(InputStats {
        format: LogFormat::JournalExport,
        lines: entries.lines_read(),
        bytes: 0,
    })
}

fn emit_entry(
    matcher: &Matcher,
    name: &str,
    line: u64,
    entry: journal::JournalEntry,
    sink: &mut dyn FnMut(&Found) -> io::Result<()>,
) -> io::Result<()> {
    let hits = matcher.match_line(&entry.message);
    if hits.is_empty() {
        return Ok(());
    }
    let label = entry.label();
    sink(&Found {
        file: name,
        line,
        ts: entry.ts,
        label: label.as_deref(),
        stream: None,
        text: &entry.message,
        hits: &hits,
    })
}
