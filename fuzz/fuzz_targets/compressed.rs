//! gzip, xz, bzip2 and zstd framing read as `scan` reads a file: `input::from_reader` (which
//! recognises the compression by its magic number) and the `ChunkReader` of whole, bounded
//! lines. Any bytes behind each magic number decode or fail, never panic, and what comes out
//! is whole lines of at most `MAX_LINE` bytes and a cut mark; what was compressed (in one or
//! two members) comes back as it went in.
#![no_main]

use std::io::{Cursor, Read, Write};

use libfuzzer_sys::fuzz_target;
use triage::input::{self, CUT_MARK, ChunkReader, MAX_LINE};

/// Stop reading a stream that inflates past this: a bomb is bounded by the reader's buffers,
/// not by how much it decompresses to, and the fuzzer's time is better spent elsewhere.
const READ_AT_MOST: usize = 8 << 20;

/// What `scan` would read, chunk by chunk, checking each chunk's lines.
fn read_as_scan(bytes: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let log = input::from_reader("fuzz", Box::new(Cursor::new(bytes)), None)?;
    let mut chunks = ChunkReader::new(log.reader, 64 * 1024);
    let mut out = Vec::new();
    let mut ended_without_newline = false;
    while let Some(chunk) = chunks.next_chunk()? {
        assert!(!chunk.is_empty());
        assert!(
            !ended_without_newline,
            "a chunk after one that did not end a line"
        );
        ended_without_newline = !chunk.ends_with(b"\n");
        for line in chunk.split(|&b| b == b'\n') {
            assert!(line.len() <= MAX_LINE + CUT_MARK.len());
        }
        out.extend_from_slice(chunk);
        if out.len() > READ_AT_MOST {
            break;
        }
    }
    Ok(out)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    liblzma::read::XzEncoder::new(data, 0)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    bzip2::read::BzEncoder::new(data, bzip2::Compression::fast())
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 1).unwrap()
}

const MAGIC: [&[u8]; 4] = [
    &[0x1f, 0x8b],
    &[0xfd, b'7', b'z', b'X', b'Z', 0x00],
    b"BZh9",
    &[0x28, 0xb5, 0x2f, 0xfd],
];

fuzz_target!(|data: &[u8]| {
    // As it is, and behind each magic number: a damaged or hostile stream.
    let _ = read_as_scan(data.to_vec());
    for magic in MAGIC {
        let _ = read_as_scan([magic, data].concat());
    }
    // The first byte picks the method; the rest is the log. A UTF-16 mark is decoded (so it
    // does not come back as it went in), and every fuzz input is far under `MAX_LINE`.
    let Some((&method, log)) = data.split_first() else {
        return;
    };
    let compress: fn(&[u8]) -> Vec<u8> = match method % 4 {
        0 => gzip,
        1 => xz,
        2 => bzip2,
        _ => zstd,
    };
    if log.starts_with(&[0xff, 0xfe]) || log.starts_with(&[0xfe, 0xff]) {
        return;
    }
    let whole = compress(log);
    assert_eq!(read_as_scan(whole.clone()).unwrap(), log, "one member");
    // Two members (`cat a.gz b.gz`, pbzip2, pixz, zstd frames) read as one stream.
    let split = usize::from(method / 4) % (log.len() + 1);
    let (a, b) = log.split_at(split);
    if !a.is_empty() {
        let members = [compress(a), compress(b)].concat();
        assert_eq!(read_as_scan(members).unwrap(), log, "two members");
    }
    // Cut short: what decodes before the cut is a prefix of the log.
    let cut = whole.len() / 2;
    if let Ok(prefix) = read_as_scan(whole[..cut].to_vec()) {
        assert!(
            log.starts_with(&prefix),
            "a cut stream gave what was not in it"
        );
    }
});
