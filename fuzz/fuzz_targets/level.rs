//! Every line's own level (src/level.rs), on any bytes: no panic, an access status is three
//! digits, and the prefilter `scan --unknown` reads lines through is sound: a line it skips
//! (no warning marker, no candidate start, no warning priority) is one the full reader gives
//! below warning, so `ingest::unrecognised` reports exactly what reading every line reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use triage::{
    ingest, level,
    level::LevelTracker,
    model::{Block, Bytes, Level},
    parse::{LogFormat, LogLine},
};

fuzz_target!(|data: &[u8]| {
    let (words, others) = level::warning_markers();
    let markers: Vec<String> = words.into_iter().chain(others).collect();
    for line in data.split(|&b| b == b'\n') {
        let found = level::of_message(line);
        if found.is_some_and(|l| l >= Level::Warning) {
            assert!(
                level::is_candidate_start(line)
                    || markers
                        .iter()
                        .any(|m| memchr::memmem::find(line, m.as_bytes()).is_some()),
                "{found:?} for a line with no warning marker: {:?}",
                String::from_utf8_lossy(line)
            );
        }
        if let Some(status) = level::access_status(line) {
            assert!((0..1000).contains(&status));
        }
        let _ = level::is_continuation(line);
    }
    // Every line read, in order, as a plain log: the reference `unrecognised` must agree with.
    for format in [
        LogFormat::Plain,
        LogFormat::NginxAccess,
        LogFormat::Short,
        LogFormat::Logfmt,
    ] {
        let block = Block::new(Bytes::Owned(data.to_vec())).in_format(format, 2026);
        let mut tracker = LevelTracker::new();
        let mut expected = Vec::new();
        for i in 0..block.len() {
            let view = if format == LogFormat::Plain {
                LogLine {
                    ts: None,
                    label: None,
                    stream: None,
                    priority: None,
                    message: block.line(i),
                }
            } else {
                block.view(i)
            };
            let level = tracker.next(&view);
            if let Some(level) = level.filter(|&l| l >= Level::Warning && !tracker.continued()) {
                expected.push((i, level));
            }
        }
        assert_eq!(
            ingest::unrecognised(&block, &[], Level::Warning),
            expected,
            "{format}"
        );
    }
});
