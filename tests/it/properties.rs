//! Properties every parser keeps on any input (issue 8): no panic, and every line read is a
//! line kept. Run by the normal test suite with a bounded number of cases (256 each, more with
//! `PROPTEST_CASES`), so CI exercises them on stable without a fuzzer; `fuzz/` has the
//! cargo-fuzz targets for longer runs on nightly. A failing case is written to
//! `tests/it/properties.proptest-regressions` and replayed first from then on.

use std::{
    io::{self, Read, Write},
    sync::OnceLock,
};

use proptest::prelude::*;
use triage::{
    catalogue::{Catalogue, parse_file},
    ingest,
    input::{self, ChunkReader},
    matcher::{Matcher, Searcher},
    model::{Block, Bytes},
    parse::{self, LogFormat, journal},
    scan::{self, ScanOptions},
    templates::{MinerOptions, TemplateMiner},
};

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&Catalogue::builtin().0))
}

/// Pieces logs are made of, so that random input reaches past the first byte of a parser:
/// the prefixes of every format, catalogue lines, JSON and export syntax, line ends, escapes
/// and bytes that are not UTF-8.
const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    " ",
    "2026-11-28T14:03:05.123456789Z ",
    "2026-11-28T14:03:05+0000 ",
    "Nov 28 14:03:05 ",
    "Nov 28 14:03:05.123456 ",
    "2026/11/28 14:03:05 [error] 29#29: *1 ",
    "athena_eye_db  | ",
    "db-1  | 2026-11-28T14:03:05.1Z ",
    "vm kernel: ",
    "app[123]: ",
    "1.2.3.4 - - [28/Nov/2026:14:03:05 +0000] \"GET / HTTP/1.1\" 502 157 \"-\" \"curl\"",
    "Out of memory: Killed process 4242 (mysqld) total-vm:2381064kB",
    "connect() failed (111: Connection refused) while connecting to upstream",
    "E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a'",
    "No space left on device",
    "{\"MESSAGE\":\"",
    "\",\"__REALTIME_TIMESTAMP\":\"1764338585000000\",\"PRIORITY\":\"3\"}",
    "\"_SYSTEMD_UNIT\":\"mysql.service\",",
    "{\"MESSAGE\":[104,105]}",
    "MESSAGE=",
    "__REALTIME_TIMESTAMP=1764338585000000\n",
    "MESSAGE\n\x05\0\0\0\0\0\0\0hello\n",
    "\u{1b}[2J",
    "\u{202e}",
    "\t",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
];

/// Bytes that look like logs: catalogue lines, prefixes and junk, in any order.
fn log_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(|p| p.as_bytes().to_vec()),
        1 => proptest::collection::vec(any::<u8>(), 0..24),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// Lines as the store keeps them: split at `\n`, a trailing line without one counted.
fn expected_lines(data: &[u8]) -> Vec<&[u8]> {
    if data.is_empty() {
        return Vec::new();
    }
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    body.split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every format's line parser takes any bytes; a text format's message is a part of
    /// the line (the hit spans are offsets from where it starts).
    #[test]
    fn every_format_parses_any_line(line in log_bytes()) {
        for format in LogFormat::ALL {
            let view = parse::parse_line(format, &line, 2026);
            if !format.is_structured() {
                let offset = ingest::message_offset(&line, &view);
                prop_assert_eq!(&line[offset..offset + view.message.len()], view.message);
            }
        }
        let _ = parse::detect(line.split(|&b| b == b'\n'));
        let _ = ingest::match_line(matcher(), &line);
    }

    /// A block keeps every line of its bytes, in every format, and its hits point into
    /// the lines they are on.
    #[test]
    fn blocks_keep_every_line_and_hits_stay_on_their_line(data in log_bytes()) {
        let want = expected_lines(&data);
        let searcher = Searcher::new(matcher());
        for format in LogFormat::ALL {
            let block = Block::new(Bytes::Owned(data.clone())).in_format(format, 2026);
            let got: Vec<&[u8]> = (0..block.len()).map(|i| block.line(i)).collect();
            prop_assert_eq!(&got, &want);
            for i in 0..block.len() {
                let _ = block.view_in_context(i);
            }
            for hit in ingest::match_block(&block, &searcher) {
                prop_assert!(hit.index < block.len());
                for span in &hit.spans {
                    prop_assert!(span.start <= span.end && span.end <= block.line(hit.index).len());
                }
            }
        }
    }

    /// Chunks end at line ends and lose nothing, read in big chunks or as a pipe's.
    #[test]
    fn chunks_lose_nothing(data in log_bytes(), target in 1usize..256, streaming: bool) {
        let mut reader = if streaming {
            ChunkReader::streaming(&data[..], target)
        } else {
            ChunkReader::new(&data[..], target)
        };
        let mut chunks = Vec::new();
        while let Some(chunk) = reader.next_chunk().unwrap() {
            chunks.push(chunk.to_vec());
        }
        if let Some((_, whole)) = chunks.split_last() {
            prop_assert!(whole.iter().all(|c| c.ends_with(b"\n")));
        }
        prop_assert_eq!(chunks.concat(), data);
    }

    /// `scan` reads any input to its end in any text format, counting every line.
    #[test]
    fn scan_counts_every_line(data in log_bytes(), format in proptest::sample::select(LogFormat::ALL.to_vec())) {
        let input = input::from_reader("prop.log", Box::new(io::Cursor::new(data.clone())), Some(2026));
        // Bytes that start like gzip or UTF-16 are decoded first: their lines are not these.
        let Ok(input) = input else { return Ok(()) };
        let options = ScanOptions { format: Some(format), threads: 1, ..ScanOptions::default() };
        let stats = scan::scan_input(matcher(), input, options, &mut |_| Ok(()));
        let plain = !data.starts_with(&[0x1f, 0x8b]) && !data.starts_with(&[0xff, 0xfe]) && !data.starts_with(&[0xfe, 0xff]);
        if let (Ok(stats), true) = (&stats, plain && !format.is_structured()) {
            prop_assert_eq!(stats.lines, expected_lines(&data).len() as u64);
        }
    }

    /// gzip framing: what was compressed comes back whole, one member or several; a stream
    /// cut short or corrupted is an error, never a panic.
    #[test]
    fn gzip_round_trips_and_damage_is_an_error(data in log_bytes(), members in 1usize..4, cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>()) {
        use flate2::{Compression, write::GzEncoder};
        let mut gz = Vec::new();
        for _ in 0..members {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
            encoder.write_all(&data).unwrap();
            gz.extend(encoder.finish().unwrap());
        }
        let read_all = |bytes: Vec<u8>| -> io::Result<Vec<u8>> {
            let mut input = input::from_reader("prop.gz", Box::new(io::Cursor::new(bytes)), None)?;
            let mut out = Vec::new();
            input.reader.read_to_end(&mut out)?;
            Ok(out)
        };
        let whole = read_all(gz.clone()).unwrap();
        // A UTF-16 mark at the start is decoded: compare only what is not.
        if !data.starts_with(&[0xff, 0xfe]) && !data.starts_with(&[0xfe, 0xff]) {
            prop_assert_eq!(whole, data.repeat(members));
        }
        let _ = read_all(gz[..cut.index(gz.len())].to_vec());
        let mut flipped = gz.clone();
        let at = flip.index(flipped.len());
        flipped[at] ^= 0x5a;
        let _ = read_all(flipped);
    }

    /// The readers of structured records (`journalctl -o json` and `-o export`, Docker's
    /// json-file, JSON lines, logfmt) take any bytes.
    #[test]
    fn record_readers_take_any_input(data in log_bytes()) {
        for line in data.split(|&b| b == b'\n') {
            if let Ok(entry) = journal::parse_json(line) {
                let _ = entry.lines();
            }
        }
        for format in LogFormat::ALL.into_iter().filter(|f| f.is_structured()) {
            let mut reader = io::Cursor::new(&data[..]);
            let _ = triage::parse::record::for_each_record(format, &mut reader, None, |_, record| {
                let _ = record.lines();
                Ok(())
            });
        }
    }

    /// The catalogue loader takes any text: good entries load, the rest are errors.
    #[test]
    fn the_catalogue_loader_takes_any_text(text in proptest::collection::vec(proptest::sample::select(TOML_PIECES), 0..40)) {
        let text = text.concat();
        let _ = parse_file("prop.toml", &text);
    }

    /// The template miner takes any bytes: it never panics, never holds more templates than
    /// its bound, and every line it places is counted by a template (a live one, or one it
    /// evicted and handed back).
    #[test]
    fn the_template_miner_takes_any_input(data in log_bytes(), max in 1usize..6) {
        let mut miner = TemplateMiner::new(MinerOptions {
            max_templates: max,
            keep_evicted: true,
            ..MinerOptions::default()
        });
        let mut placed = 0u64;
        let mut evicted = 0u64;
        for line in data.split(|&b| b == b'\n') {
            miner.add(line, None);
            placed += 1;
            prop_assert!(miner.len() <= max);
            evicted += miner.take_evicted().iter().map(|t| t.count).sum::<u64>();
        }
        let live: u64 = miner.templates().map(|t| t.count).sum();
        prop_assert_eq!(live + evicted, placed);
    }
}

/// Pieces of catalogue files, so random text reaches past the TOML parser into the checks.
const TOML_PIECES: &[&str] = &[
    "[[entry]]\n",
    "id = \"x-1\"\n",
    "id = \"\"\n",
    "severity = \"critical\"\n",
    "severity = \"nope\"\n",
    "sources = [\"docker\", \"journal\"]\n",
    "title.en = \"T\"\n",
    "title.zh = \"标题\"\n",
    "cause.en = \"C\"\n",
    "regex = ['''(?P<path>/\\S+) failed''']\n",
    "regex = [\"(\"]\n",
    "regex = [\"a{1000}{1000}\"]\n",
    "examples = [\"/x failed\"]\n",
    "[[entry.remedy]]\n",
    "en = \"Look\"\n",
    "run = [\"grep -B2 'target: {path}' /var/log/x\"]\n",
    "run = [\"rm -rf {path}\"]\n",
    "destructive = true\n",
    "leads_to = [\"x-1\"]\n",
    "\n",
    "#",
    "\"",
    "=",
    "[",
    "]",
    "\u{202e}",
];
