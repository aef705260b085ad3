//! Structured records (Docker's json-file, applications' JSON lines, the journal's `-o json`
//! and `-o export`) and logfmt, on any bytes: read line by line as `scan` reads them, every
//! record's lines hold no line end, a decoded message is never longer than its line (JSON
//! escapes only shrink), a joined json-file line stays bounded, and a logfmt line is its own
//! message.
#![no_main]

use std::{io::Cursor, sync::Arc};

use libfuzzer_sys::fuzz_target;
use triage::{
    input::{CUT_MARK, MAX_LINE},
    parse::{LogFormat, record},
};

const STRUCTURED: [LogFormat; 4] = [
    LogFormat::DockerJson,
    LogFormat::JsonLines,
    LogFormat::JournalJson,
    LogFormat::JournalExport,
];

fn check_lines(record: &record::Record) {
    let lines = record.lines();
    assert!(!lines.is_empty());
    for (n, (text, fields)) in lines.iter().enumerate() {
        assert!(!text.contains(&b'\n'));
        assert_eq!(fields.ts, record.ts);
        assert_eq!(fields.stream, record.stream);
        if n > 0 {
            assert_eq!(fields.priority, None);
        }
    }
    if let Some(p) = record.priority {
        assert!(p <= 7, "priority {p}");
    }
}

fuzz_target!(|data: &[u8]| {
    let label: Arc<str> = Arc::from("fuzz");
    for line in data.split(|&b| b == b'\n') {
        for format in [
            LogFormat::DockerJson,
            LogFormat::JsonLines,
            LogFormat::JournalJson,
        ] {
            let decoded = record::decode_line(format, line, Some(&label));
            assert!(
                decoded.message.len() <= line.len(),
                "{format}: message longer than its line"
            );
            check_lines(&decoded);
        }
        if let Some(view) = record::logfmt_view(line) {
            assert_eq!(view.message, line);
            assert!(view.priority.is_none_or(|p| p <= 7));
        }
    }
    for format in STRUCTURED {
        let mut reader = Cursor::new(data);
        let mut last_line = 0;
        let result = record::for_each_record(format, &mut reader, Some(&label), |line, rec| {
            assert!(
                line >= 1 && line >= last_line,
                "{format}: record at line {line} after {last_line}"
            );
            last_line = line;
            // A json-file line cut into parts is joined up to a megabyte, then handed on.
            assert!(rec.message.len() <= 2 * (MAX_LINE + CUT_MARK.len()));
            check_lines(&rec);
            Ok(())
        });
        if let Ok(stats) = result {
            assert!(
                last_line <= stats.lines.max(1),
                "{format}: line {last_line} of {}",
                stats.lines
            );
            if format != LogFormat::JournalExport {
                assert_eq!(stats.bytes, data.len() as u64);
            }
        }
    }
});
