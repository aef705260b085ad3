//! The bounded line readers every text input goes through (`ChunkReader` for `scan` and the
//! viewer, `read_line_bounded` for records), against a plain model of what they promise: every
//! line kept as it is up to `MAX_LINE` bytes, a longer one cut to `MAX_LINE` bytes and the
//! mark, nothing else lost or added, whatever sizes the underlying reads come in.
//!
//! The input is a small program so that lines around `MAX_LINE` (1 MiB) are reachable from a
//! few bytes: `0xff k c` is `c` repeated `MAX_LINE - 64 + k` times, `0xfe k c` is `c` repeated
//! `k * 4096` times, any other byte is itself. The first bytes choose the read sizes, the
//! chunk target, and the buffer of the line-at-a-time reader.
#![no_main]

use std::io::{self, BufReader, Read};

use libfuzzer_sys::fuzz_target;
use triage::input::{self, CUT_MARK, ChunkReader, MAX_LINE};

/// Longest stream built (a few lines of a megabyte and more).
const STREAM_AT_MOST: usize = 6 << 20;

fn expand(program: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < program.len() && out.len() < STREAM_AT_MOST {
        match program[i..] {
            [0xff, k, c, ..] => {
                out.resize(out.len() + MAX_LINE - 64 + usize::from(k), c);
                i += 3;
            }
            [0xfe, k, c, ..] => {
                out.resize(out.len() + usize::from(k) * 4096, c);
                i += 3;
            }
            _ => {
                out.push(program[i]);
                i += 1;
            }
        }
    }
    out
}

/// Reads in the sizes `sizes` cycles through, as pipes, files and decoders hand them out.
struct Uneven<'a> {
    data: &'a [u8],
    sizes: &'a [u8],
    n: usize,
}

impl Read for Uneven<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pick = self
            .sizes
            .get(self.n % self.sizes.len().max(1))
            .copied()
            .unwrap_or(0);
        self.n += 1;
        // Tiny reads only for the first reads: a stream of megabytes read a byte at a time is
        // millions of reads, minutes under the sanitizer (a timeout of the target, not of
        // the readers, which do constant work a read); the boundaries they test come early.
        let tiny = self.n <= 16 * 1024;
        let size = match pick % 8 {
            0 if tiny => 1,
            1 if tiny => 7,
            0 | 1 => 4096,
            2 => 4096,
            3 => 65536,
            4 => MAX_LINE / 8,
            5 => MAX_LINE,
            6 => MAX_LINE + 1,
            _ => usize::MAX,
        };
        let n = size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The stream's lines (each with its `\n`, the last maybe without), cut as promised; and how
/// many were cut.
fn model(stream: &[u8]) -> (Vec<Vec<u8>>, u64) {
    let mut lines = Vec::new();
    let mut cut = 0;
    for line in stream.split_inclusive(|&b| b == b'\n') {
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        if text.len() > MAX_LINE {
            cut += 1;
            let mut kept = [&text[..MAX_LINE], CUT_MARK].concat();
            if text.len() < line.len() {
                kept.push(b'\n');
            }
            lines.push(kept);
        } else {
            lines.push(line.to_vec());
        }
    }
    (lines, cut)
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, d, program @ ..] = data else {
        return;
    };
    let sizes = [*a, *b, *c];
    let stream = expand(program);
    let (lines, cut) = model(&stream);
    let expected = lines.concat();
    // A cut last line with no `\n` may get one: the reader cannot know, when it cuts, that
    // the input ends before the line does.
    let last_cut_open = lines
        .last()
        .is_some_and(|l| !l.ends_with(b"\n") && l.ends_with(CUT_MARK));

    let target = match d % 4 {
        0 => 1,
        1 => 4096,
        2 => 256 * 1024,
        _ => 4 << 20,
    };
    for streaming in [false, true] {
        let reader = Uneven {
            data: &stream,
            sizes: &sizes,
            n: 0,
        };
        let mut chunks = if streaming {
            ChunkReader::streaming(reader, target)
        } else {
            ChunkReader::new(reader, target)
        };
        let mut got = Vec::new();
        let mut open = false;
        while let Some(chunk) = chunks.next_chunk().unwrap() {
            assert!(!chunk.is_empty());
            assert!(!open, "a chunk after one that did not end a line");
            open = !chunk.ends_with(b"\n");
            got.extend_from_slice(chunk);
        }
        assert_eq!(
            chunks.cut_lines(),
            cut,
            "lines cut (streaming: {streaming})"
        );
        if !(last_cut_open && got.len() == expected.len() + 1 && got.ends_with(b"\n")) {
            assert!(
                got == expected,
                "ChunkReader (streaming: {streaming}, target {target}) changed the lines"
            );
        } else {
            assert_eq!(got[..expected.len()], expected[..]);
        }
    }

    let capacity = 1 + usize::from(d / 4) * 1024;
    let mut reader = BufReader::with_capacity(
        capacity,
        Uneven {
            data: &stream,
            sizes: &sizes,
            n: 0,
        },
    );
    let mut line = Vec::new();
    let mut consumed = 0;
    for want in &lines {
        let read = input::read_line_bounded(&mut reader, &mut line).unwrap();
        assert!(read > 0);
        consumed += read;
        assert!(
            line == *want,
            "read_line_bounded changed a line ({} bytes, want {})",
            line.len(),
            want.len()
        );
    }
    assert_eq!(input::read_line_bounded(&mut reader, &mut line).unwrap(), 0);
    assert_eq!(consumed, stream.len());
});
