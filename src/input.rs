//! Opening saved logs: files, stdin, gzip, xz, bzip2 and zstd (recognised by content, not
//! by name, and decompressed as they stream), and reading them in large chunks of whole lines.

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
    /// Compressed in a way triage does not decompress: never scanned as text.
    #[error("{name}: compressed with {method}, which triage does not read; decompress it first")]
    Compressed { name: String, method: &'static str },
}

/// How a stream's first bytes say it is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Xz,
    Bzip2,
    Zstd,
    /// Recognised, not read: the name of the method for the error.
    Unsupported(&'static str),
}

impl Compression {
    /// The compression `head` (a stream's first bytes) starts with, by its magic number.
    pub fn of(head: &[u8]) -> Option<Compression> {
        Some(match head {
            [0x1f, 0x8b, ..] => Compression::Gzip,
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Xz,
            [b'B', b'Z', b'h', b'1'..=b'9', ..] => Compression::Bzip2,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
            [0x04, 0x22, 0x4d, 0x18, ..] => Compression::Unsupported("lz4"),
            [b'P', b'K', 0x03, 0x04, ..] => Compression::Unsupported("zip"),
            [b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c, ..] => Compression::Unsupported("7-Zip"),
            [0x1f, 0x9d, ..] => Compression::Unsupported("compress (.Z)"),
            [0x5d, 0x00, 0x00, ..] => Compression::Unsupported("lzma (legacy .lzma)"),
            _ => return None,
        })
    }
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
    /// Pieces from all over a big plain file, to choose its prefilter from (see
    /// [`spread_sample`]); `None` for other inputs, whose first megabyte is the sample.
    pub sample: Option<Vec<u8>>,
}

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
    open_path_with(path, false)
}

/// [`open_path`] for a search of the whole input: a big plain file comes with a
/// [`spread_sample`] of it to choose the prefilter from.
pub fn open_path_to_search(path: &Path) -> Result<LogInput, InputError> {
    open_path_with(path, true)
}

fn open_path_with(path: &Path, sampled: bool) -> Result<LogInput, InputError> {
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
    let sample = sampled
        .then(|| spread_sample(&file, metadata.len()))
        .flatten();
    let mut input = from_reader(name, Box::new(file), year).map_err(io_err)?;
    input.sample = sample;
    Ok(input)
}

/// Is standard input a regular file (`triage scan - < file`), as opposed to a pipe or terminal?
pub fn stdin_is_a_file() -> bool {
    use std::os::fd::AsFd;
    io::stdin()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.is_file())
}

/// Wrap any reader, sniffing its first bytes for compression and binary journal files.
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
    // Each decoder streams: memory stays bounded by its window and these buffers, whatever
    // the size of the file. Several members (`cat a.gz b.gz`, pbzip2, pixz) are read whole.
    let decoded = |decoder: Box<dyn Read + Send>| -> Box<dyn BufRead + Send> {
        Box::new(BufReader::with_capacity(256 * 1024, decoder))
    };
    let mut reader: Box<dyn BufRead + Send> = match Compression::of(head) {
        None => Box::new(buffered),
        Some(Compression::Gzip) => decoded(Box::new(MultiGzDecoder::new(buffered))),
        Some(Compression::Xz) => decoded(Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(
            buffered,
        ))),
        Some(Compression::Bzip2) => {
            decoded(Box::new(bzip2::bufread::MultiBzDecoder::new(buffered)))
        }
        Some(Compression::Zstd) => decoded(Box::new(zstd::stream::read::Decoder::with_buffer(
            buffered,
        )?)),
        Some(Compression::Unsupported(method)) => {
            return Err(io::Error::other(InputError::Compressed {
                name: name.to_string(),
                method,
            }));
        }
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
        sample: None,
    })
}

/// Files smaller than this are sampled by their first megabyte, as it is read.
const SPREAD_SAMPLE_FROM: u64 = 8 << 20;
const SAMPLE_PIECES: u64 = 64;
const SAMPLE_PIECE: usize = 16 << 10;

/// A sample of a big plain file: [`SAMPLE_PIECES`] pieces read from evenly spread offsets.
/// The prefilter is tuned to what is common in its sample, and a file's first megabyte can
/// be unlike the rest (logs of several programs or days, one after another). Read with
/// positioned reads, so the file's offset is left alone. `None` for a small or compressed
/// file, or if a read fails: the sample only makes the search faster, never more correct.
pub fn spread_sample(file: &File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    if len < SPREAD_SAMPLE_FROM {
        return None;
    }
    let mut sample = vec![0u8; SAMPLE_PIECE * SAMPLE_PIECES as usize];
    for (i, piece) in sample.chunks_mut(SAMPLE_PIECE).enumerate() {
        file.read_exact_at(piece, len / SAMPLE_PIECES * i as u64)
            .ok()?;
    }
    Compression::of(&sample).is_none().then_some(sample)
}

/// The longest line kept: past it a line is cut, marked with [`CUT_MARK`], and the rest of it
/// is skipped as it is read, never held. A gzip bomb of zeros (one endless line) or a binary
/// file then costs a bounded buffer, not memory the size of its longest line.
pub const MAX_LINE: usize = 1 << 20;

/// Ends a line that was cut at [`MAX_LINE`] bytes.
pub const CUT_MARK: &[u8] = "\u{2026}[cut: line longer than 1 MiB, the rest skipped]".as_bytes();

/// Reads whole lines in large chunks: every chunk ends at a line end (or at the end of the
/// input), so a matcher can search it as one buffer. The buffer never grows: a line longer
/// than [`MAX_LINE`] is cut and marked. A read error is reported after the whole lines read
/// before it have been handed out.
pub struct ChunkReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// Bytes in `buf` that hold data.
    len: usize,
    /// Bytes at the start of `buf` already handed out.
    consumed: usize,
    target: usize,
    eof: bool,
    /// The read error that ended the input, reported once the lines before it are out.
    error: Option<io::Error>,
    /// Hand on whole lines as soon as a read brings them, rather than waiting for `target`.
    streaming: bool,
    /// Inside a line that was cut: its bytes are dropped up to its end.
    skipping: bool,
    cut_lines: u64,
}

impl<R: Read> ChunkReader<R> {
    pub fn new(reader: R, target: usize) -> Self {
        let target = target.max(1);
        ChunkReader {
            reader,
            // Room for a chunk and a line that would be cut, with its mark.
            buf: vec![0; 2 * target.max(MAX_LINE) + CUT_MARK.len() + 1],
            len: 0,
            consumed: 0,
            target,
            eof: false,
            error: None,
            streaming: false,
            skipping: false,
            cut_lines: 0,
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

    /// The reader it reads from.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// Read on after the end was reached (a file that is followed may have grown). Only
    /// called once `next_chunk` has returned `None`: nothing is left in the buffer then.
    pub fn resume(&mut self) {
        self.eof = false;
    }

    /// Lines cut at [`MAX_LINE`] so far.
    pub fn cut_lines(&self) -> u64 {
        self.cut_lines
    }

    /// [`ChunkReader::next_chunk`], handed out as a buffer of its own: the reader goes on in
    /// `spare` (a buffer handed out before and done with, or an empty one), so a chunk is
    /// never copied, only the part line after it.
    pub fn next_chunk_owned(&mut self, spare: Vec<u8>) -> io::Result<Option<Vec<u8>>> {
        if self.next_chunk()?.is_none() {
            return Ok(None);
        }
        let (chunk, rest) = (self.consumed, self.len - self.consumed);
        let mut next = spare;
        // Only what a chunk handed out fell short of the buffer is filled with zeros.
        next.resize(self.buf.len(), 0);
        next[..rest].copy_from_slice(&self.buf[chunk..self.len]);
        let mut out = std::mem::replace(&mut self.buf, next);
        out.truncate(chunk);
        (self.len, self.consumed) = (rest, 0);
        Ok(Some(out))
    }

    /// The next run of whole lines, ending with its `\n` (the input's last line may lack it).
    pub fn next_chunk(&mut self) -> io::Result<Option<&[u8]>> {
        self.buf.copy_within(self.consumed..self.len, 0);
        self.len -= self.consumed;
        self.consumed = 0;
        loop {
            if self.skipping && self.len > 0 {
                match memchr::memchr(b'\n', &self.buf[..self.len]) {
                    Some(end) => {
                        self.buf.copy_within(end + 1..self.len, 0);
                        self.len -= end + 1;
                        self.skipping = false;
                    }
                    None => self.len = 0,
                }
            }
            if self.eof {
                if self.len == 0 {
                    return match self.error.take() {
                        Some(err) => Err(err),
                        None => Ok(None),
                    };
                }
                return Ok(Some(self.hand_out(self.len)));
            }
            if self.streaming || self.len >= self.target {
                if let Some(last) = memchr::memrchr(b'\n', &self.buf[..self.len]) {
                    return Ok(Some(self.hand_out(last + 1)));
                }
            }
            let line_start = memchr::memrchr(b'\n', &self.buf[..self.len]).map_or(0, |i| i + 1);
            if self.len - line_start >= MAX_LINE {
                if line_start > 0 {
                    return Ok(Some(self.hand_out(line_start)));
                }
                // The line so far is all the buffer holds: cut it, mark it, skip the rest.
                let end = MAX_LINE + CUT_MARK.len();
                self.buf[MAX_LINE..end].copy_from_slice(CUT_MARK);
                self.buf[end] = b'\n';
                self.len = end + 1;
                self.consumed = end + 1;
                self.skipping = true;
                self.cut_lines += 1;
                return Ok(Some(&self.buf[..=end]));
            }
            // Here `len` is under `max(target, MAX_LINE)`: the buffer has room.
            match self.reader.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.len += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    self.eof = true;
                    self.error = Some(err);
                }
            }
        }
    }
}

impl<R> ChunkReader<R> {
    /// Hand out `buf[..end]`, its lines cut to [`MAX_LINE`] (a long line that came whole
    /// within one read is cut here; the bytes after `end` move up behind the cut ones).
    fn hand_out(&mut self, end: usize) -> &[u8] {
        let mut kept = end;
        let long_line = has_line_over(&self.buf[..end], MAX_LINE);
        if long_line {
            // Built apart, not in place: a line only a few bytes past `MAX_LINE` grows when
            // cut (the mark is longer than what it replaces), and written in place it would
            // overrun the lines after it (found by fuzz/line_reader). Lines this long are rare;
            // the copy is of what this call hands out.
            let mut out = Vec::with_capacity(end + CUT_MARK.len() + 1);
            let mut start = 0;
            while start < end {
                let line_end =
                    memchr::memchr(b'\n', &self.buf[start..end]).map_or(end, |i| start + i + 1);
                let text_end = line_end - usize::from(self.buf[line_end - 1] == b'\n');
                if text_end - start > MAX_LINE {
                    out.extend_from_slice(&self.buf[start..start + MAX_LINE]);
                    out.extend_from_slice(CUT_MARK);
                    if line_end > text_end {
                        out.push(b'\n');
                    }
                    self.cut_lines += 1;
                } else {
                    out.extend_from_slice(&self.buf[start..line_end]);
                }
                start = line_end;
            }
            kept = out.len();
            out.extend_from_slice(&self.buf[end..self.len]);
            if out.len() > self.buf.len() {
                self.buf.resize(out.len(), 0);
            }
            self.buf[..out.len()].copy_from_slice(&out);
            self.len = out.len();
        }
        self.consumed = kept;
        &self.buf[..kept]
    }
}

/// Whether a line of `buf` (its text, without the `\n`) is longer than `max` bytes. Looked
/// for a window of `max + 1` bytes at a time, from the last `\n` in it: a few bytes read per
/// window where lines are short, not every byte (it ran on every chunk a file is read in).
fn has_line_over(buf: &[u8], max: usize) -> bool {
    let mut line_start = 0;
    while buf.len() - line_start > max {
        let window = &buf[line_start..line_start + max + 1];
        match memchr::memrchr(b'\n', window) {
            Some(i) => line_start += i + 1,
            None => return true,
        }
    }
    false
}

/// Read one line, through its `\n`, into `line` (cleared first), keeping at most
/// [`MAX_LINE`] bytes of it: a longer line is cut and marked with [`CUT_MARK`] and the rest
/// of it is read past, not held. Returns the bytes consumed, 0 at the end of the input.
pub fn read_line_bounded(reader: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    line.clear();
    let mut consumed = 0;
    let mut cut = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(consumed);
        }
        let (taken, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if !cut {
            // The line's own bytes, without its `\n`, are what the maximum counts.
            let text = &available[..taken - usize::from(done)];
            let room = MAX_LINE - line.len();
            if text.len() <= room {
                line.extend_from_slice(&available[..taken]);
            } else {
                line.extend_from_slice(&text[..room]);
                line.extend_from_slice(CUT_MARK);
                cut = true;
            }
        }
        reader.consume(taken);
        consumed += taken;
        if done {
            if cut {
                line.push(b'\n');
            }
            return Ok(consumed);
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
    fn a_big_file_is_sampled_from_end_to_end_and_a_small_or_compressed_one_not() {
        use std::io::Write;
        let mut big = tempfile::tempfile().unwrap();
        // Each megabyte filled with its own letter: the sample must hold the last one too.
        for letter in b'a'..b'a' + 9 {
            big.write_all(&vec![letter; 1 << 20]).unwrap();
        }
        let sample = spread_sample(&big, big.metadata().unwrap().len()).unwrap();
        assert_eq!(sample.len(), SAMPLE_PIECE * SAMPLE_PIECES as usize);
        assert_eq!(sample.first(), Some(&b'a'));
        assert_eq!(sample.last(), Some(&(b'a' + 8)));

        let small = tempfile::tempfile().unwrap();
        (&small).write_all(b"one line\n").unwrap();
        assert_eq!(spread_sample(&small, 9), None);

        let gzipped = tempfile::tempfile().unwrap();
        let mut encoder = flate2::write::GzEncoder::new(&gzipped, flate2::Compression::fast());
        for _ in 0..(10 << 20) / 64 {
            encoder.write_all(&rand_line()).unwrap();
        }
        encoder.finish().unwrap();
        let len = gzipped.metadata().unwrap().len();
        assert!(len >= SPREAD_SAMPLE_FROM, "{len}");
        assert_eq!(spread_sample(&gzipped, len), None);
    }

    /// 64 bytes that gzip cannot shrink much, different each call.
    fn rand_line() -> Vec<u8> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static STATE: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        (0..8)
            .flat_map(|_| {
                let x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
                (x ^ (x >> 29))
                    .wrapping_mul(0xBF58_476D_1CE4_E5B9)
                    .to_le_bytes()
            })
            .collect()
    }

    #[test]
    fn a_line_over_the_maximum_is_found_wherever_it_is() {
        let slow = |buf: &[u8], max: usize| buf.split(|&b| b == b'\n').any(|l| l.len() > max);
        for len in 0..40 {
            for newlines in [
                vec![],
                vec![0],
                vec![3],
                vec![5, 6],
                vec![4, 9, 20],
                vec![10, 21, 32],
            ] {
                let mut buf = vec![b'x'; len];
                for &at in newlines.iter().filter(|&&at| at < len) {
                    buf[at] = b'\n';
                }
                for max in [1, 4, 5, 10] {
                    assert_eq!(has_line_over(&buf, max), slow(&buf, max), "{buf:?} {max}");
                }
            }
        }
    }

    #[test]
    fn owned_chunks_are_the_same_chunks_whatever_buffers_come_back() {
        let mut data = Vec::new();
        for n in 0..5000 {
            data.extend_from_slice(format!("line {n} {}\n", "x".repeat(n % 300)).as_bytes());
        }
        // A cut line and a last line without its newline.
        data.extend(std::iter::repeat_n(b'y', MAX_LINE + 10));
        data.extend_from_slice(b"\nend");
        let want = {
            let mut reader = ChunkReader::new(&data[..], 4096);
            std::iter::from_fn(|| reader.next_chunk().unwrap().map(<[u8]>::to_vec))
                .collect::<Vec<_>>()
        };
        let mut reader = ChunkReader::new(&data[..], 4096);
        let mut got: Vec<Vec<u8>> = Vec::new();
        let mut spares = vec![Vec::new(), vec![7u8; 10], vec![9u8; 3 * MAX_LINE]];
        while let Some(chunk) = reader
            .next_chunk_owned(spares.pop().unwrap_or_default())
            .unwrap()
        {
            got.push(chunk.clone());
            // Buffers come back dirty and of any length.
            spares.insert(0, chunk);
        }
        assert_eq!(got, want);
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

    fn read_all(data: Vec<u8>) -> io::Result<String> {
        let mut input = from_reader("x.log", Box::new(io::Cursor::new(data)), None)?;
        let mut text = String::new();
        input.reader.read_to_string(&mut text)?;
        Ok(text)
    }

    #[test]
    fn xz_bzip2_and_zstd_are_recognised_by_content() {
        use std::io::Write;
        let text = "Nov 28 14:03:05 vm kernel: Out of memory: Killed process 1234 (mysqld)\n";
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 1);
        xz.write_all(text.as_bytes()).unwrap();
        let xz = xz.finish().unwrap();
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(text.as_bytes()).unwrap();
        let bz = bz.finish().unwrap();
        let zst = zstd::encode_all(text.as_bytes(), 1).unwrap();
        for (name, data) in [("xz", xz), ("bzip2", bz), ("zstd", zst)] {
            assert!(Compression::of(&data).is_some(), "{name}");
            // Two members back to back (`cat a.xz b.xz`) read as one stream.
            let twice = [data.clone(), data].concat();
            assert_eq!(read_all(twice).unwrap(), text.repeat(2), "{name}");
        }
    }

    #[test]
    fn compressed_bytes_are_never_read_as_text() {
        // A truncated xz stream is an error, not text.
        let mut xz = liblzma::write::XzEncoder::new(Vec::new(), 1);
        std::io::Write::write_all(&mut xz, &[b'a'; 10_000]).unwrap();
        let xz = xz.finish().unwrap();
        assert!(read_all(xz[..xz.len() / 2].to_vec()).is_err());
        // A method triage does not read is named.
        let err = read_all(b"\x04\x22\x4d\x18rest".to_vec()).err().unwrap();
        assert_eq!(
            err.to_string(),
            "x.log: compressed with lz4, which triage does not read; decompress it first"
        );
    }

    #[test]
    fn a_line_just_over_the_maximum_cut_within_one_read_leaves_the_next_lines_whole() {
        // From fuzz/line_reader: the cut line (MAX_LINE bytes and the mark) is longer than the
        // line was, and cut in place it overran the lines after it.
        let mut data = vec![b'x'; MAX_LINE + 3];
        data.extend_from_slice(b"\nnext line\nlast\n");
        let mut want = vec![b'x'; MAX_LINE];
        want.extend_from_slice(CUT_MARK);
        want.extend_from_slice(b"\nnext line\nlast\n");
        let mut reader = ChunkReader::new(&data[..], 4 << 20);
        let mut out = Vec::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            out.extend_from_slice(chunk);
        }
        assert!(out == want, "{} bytes, want {}", out.len(), want.len());
        assert_eq!(reader.cut_lines(), 1);
    }

    #[test]
    fn a_line_over_the_maximum_is_cut_marked_and_the_rest_skipped() {
        let mut data = b"before\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', 3 * MAX_LINE + 5));
        data.extend_from_slice(b"\nafter\nlast");
        for target in [16, 1 << 20, 4 << 20] {
            let mut reader = ChunkReader::new(&data[..], target);
            let mut out = Vec::new();
            while let Some(chunk) = reader.next_chunk().unwrap() {
                out.extend_from_slice(chunk);
            }
            let mut want = b"before\n".to_vec();
            want.extend(std::iter::repeat_n(b'x', MAX_LINE));
            want.extend_from_slice(CUT_MARK);
            want.extend_from_slice(b"\nafter\nlast");
            assert!(out == want, "target {target}: {} bytes", out.len());
            assert_eq!(reader.cut_lines(), 1);
            assert!(reader.buf.len() <= 2 * target.max(MAX_LINE) + CUT_MARK.len() + 1);
        }
        let mut line = Vec::new();
        let mut reader = io::BufReader::with_capacity(1000, &data[7..]);
        let n = read_line_bounded(&mut reader, &mut line).unwrap();
        assert_eq!(n, 3 * MAX_LINE + 6);
        assert_eq!(line.len(), MAX_LINE + CUT_MARK.len() + 1);
        read_line_bounded(&mut reader, &mut line).unwrap();
        assert_eq!(line, b"after\n");
    }

    #[test]
    fn lines_read_before_an_error_come_out_first() {
        struct Failing(Vec<u8>);
        impl Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("broken"));
                }
                let n = self.0.len().min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0.drain(..n);
                Ok(n)
            }
        }
        let mut reader = ChunkReader::new(Failing(b"one\ntwo\n".to_vec()), 1 << 20);
        assert_eq!(reader.next_chunk().unwrap(), Some(&b"one\ntwo\n"[..]));
        assert_eq!(reader.next_chunk().unwrap_err().to_string(), "broken");
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
