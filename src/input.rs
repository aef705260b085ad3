//! Opening saved logs: files, stdin, gzip (recognised by content, not by name), and reading
//! them in large chunks of whole lines.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::Path,
};

use flate2::bufread::MultiGzDecoder;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{name}: {source}")]
    Io { name: String, source: io::Error },
    #[error("{name}: is a directory")]
    Directory { name: String },
    #[error(
        "{name}: a binary journal file; read it through journalctl: `journalctl --file {name} -o export | triage scan -`"
    )]
    BinaryJournal { name: String },
}

/// A log to read: its display name (`-` for stdin) and its decoded bytes.
pub struct LogInput {
    pub name: String,
    pub reader: Box<dyn BufRead + Send>,
    /// The year of the file's last change, for timestamps printed without a year.
    pub year: Option<i16>,
    /// A pipe or terminal (`tail -f … | triage scan -`): lines are handed on as they come,
    /// not gathered into big chunks first.
    pub streaming: bool,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const JOURNAL_MAGIC: &[u8] = b"LPKSHHRH";
const UTF16LE_BOM: &[u8] = &[0xff, 0xfe];
const UTF16BE_BOM: &[u8] = &[0xfe, 0xff];

/// Open a file, or stdin for `-`; gzip is decompressed transparently.
pub fn open(name: &str) -> Result<LogInput, InputError> {
    open_path(Path::new(name))
}

/// Open a file by its path as the OS gives it (not necessarily UTF-8), or stdin for `-`. The
/// input's name shows any bytes of the path that are not UTF-8 as `\xNN`.
pub fn open_path(path: &Path) -> Result<LogInput, InputError> {
    let name = crate::sanitize::path_name(path);
    let name = name.as_str();
    let io_err = |source| InputError::Io {
        name: name.to_string(),
        source,
    };
    if path.as_os_str() == "-" {
        let mut input = from_reader(name, Box::new(io::stdin()), None).map_err(io_err)?;
        input.streaming = !stdin_is_a_file();
        return Ok(input);
    }
    let metadata = std::fs::metadata(path).map_err(io_err)?;
    if metadata.is_dir() {
        return Err(InputError::Directory {
            name: name.to_string(),
        });
    }
    let year = metadata
        .modified()
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).year());
    let file = File::open(path).map_err(io_err)?;
    let input = from_reader(name, Box::new(file), year).map_err(io_err)?;
    Ok(input)
}

/// Is standard input a regular file (`triage scan - < file`), as opposed to a pipe or terminal?
fn stdin_is_a_file() -> bool {
    use std::os::fd::AsFd;
    io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.is_file())
}

/// Wrap any reader, sniffing its first bytes for gzip and binary journal files.
pub fn from_reader(
    name: &str,
    reader: Box<dyn Read + Send>,
    year: Option<i16>,
) -> io::Result<LogInput> {
    let mut buffered = BufReader::with_capacity(256 * 1024, reader);
    // The first read of a file or pipe holds far more than the few magic bytes compared.
    let head = buffered.fill_buf()?;
    if head.starts_with(JOURNAL_MAGIC) {
        return Err(io::Error::other(InputError::BinaryJournal {
            name: name.to_string(),
        }));
    }
    let is_gzip = head.starts_with(GZIP_MAGIC);
    let mut reader: Box<dyn BufRead + Send> = if is_gzip {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    // Windows tools write UTF-16 with a byte order mark; read as bytes it matches nothing.
    // Decoded to UTF-8 as it streams (the mark is dropped), in bounded memory.
    let head = reader.fill_buf()?;
    if head.starts_with(UTF16LE_BOM) || head.starts_with(UTF16BE_BOM) {
        reader = Box::new(BufReader::with_capacity(
            256 * 1024,
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .bom_sniffing(true)
                .build(reader),
        ));
    }
    Ok(LogInput {
        name: name.to_string(),
        reader,
        year,
        streaming: false,
    })
}

/// Reads whole lines in large chunks: every chunk ends at a line end (or at the end of the
/// input), so a matcher can search it as one buffer. Memory stays bounded by the chunk size
/// and the longest line.
pub struct ChunkReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// Bytes in `buf` that hold data.
    len: usize,
    /// Bytes at the start of `buf` already handed out.
    consumed: usize,
    target: usize,
    eof: bool,
    /// Hand on whole lines as soon as a read brings them, rather than waiting for `target`.
    streaming: bool,
}

impl<R: Read> ChunkReader<R> {
    pub fn new(reader: R, target: usize) -> Self {
        ChunkReader {
            reader,
            buf: vec![0; target * 2],
            len: 0,
            consumed: 0,
            target,
            eof: false,
            streaming: false,
        }
    }

    /// A reader for a pipe: each read's whole lines are handed on at once (a slow producer's
    /// lines are not held back until `target` bytes have come).
    pub fn streaming(reader: R, target: usize) -> Self {
        ChunkReader {
            streaming: true,
            ..ChunkReader::new(reader, target)
        }
    }

    /// The next run of whole lines, ending with its `\n` (the input's last line may lack it).
    pub fn next_chunk(&mut self) -> io::Result<Option<&[u8]>> {
        self.buf.copy_within(self.consumed..self.len, 0);
        self.len -= self.consumed;
        self.consumed = 0;
        if self.buf.len() > self.target * 8 && self.len < self.target {
            // A huge line has passed: give the memory back.
            self.buf.truncate(self.target * 2);
            self.buf.shrink_to_fit();
        }
        loop {
            if self.eof {
                if self.len == 0 {
                    return Ok(None);
                }
                self.consumed = self.len;
                return Ok(Some(&self.buf[..self.len]));
            }
            if self.len >= self.target {
                if let Some(last) = memchr::memrchr(b'\n', &self.buf[..self.len]) {
                    self.consumed = last + 1;
                    return Ok(Some(&self.buf[..=last]));
                }
            }
            if self.len == self.buf.len() {
                // One line longer than the buffer: grow until it fits.
                self.buf.resize(self.buf.len() * 2, 0);
            }
            match self.reader.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.len += n;
                    if self.streaming {
                        if let Some(last) = memchr::memrchr(b'\n', &self.buf[..self.len]) {
                            self.consumed = last + 1;
                            return Ok(Some(&self.buf[..=last]));
                        }
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(data: &[u8], target: usize) -> Vec<Vec<u8>> {
        let mut reader = ChunkReader::new(data, target);
        let mut out = Vec::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            out.push(chunk.to_vec());
        }
        out
    }

    #[test]
    fn chunks_end_at_line_ends_and_lose_nothing() {
        let data = b"one\ntwo\nthree\nfour without newline";
        let got = chunks(data, 4);
        assert!(got.iter().take(got.len() - 1).all(|c| c.ends_with(b"\n")));
        assert_eq!(got.concat(), data.to_vec());
    }

    #[test]
    fn a_line_longer_than_the_buffer_arrives_whole() {
        let mut data = vec![b'x'; 100_000];
        data.extend_from_slice(b"\nshort\n");
        let got = chunks(&data, 16);
        assert!(got[0].len() >= 100_001 && got[0][..100_001].ends_with(b"x\n"));
        assert_eq!(got.concat(), data);
    }

    #[test]
    fn gzip_is_recognised_by_content() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(b"hello\n").unwrap();
        let gz = enc.finish().unwrap();
        let mut input = from_reader("x.log", Box::new(io::Cursor::new(gz)), None).unwrap();
        let mut text = String::new();
        input.reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "hello\n");
    }
}
