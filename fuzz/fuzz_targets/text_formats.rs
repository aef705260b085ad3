//! The text formats that are a program's own log (Apache's and MySQL's/MariaDB's error logs)
//! and `systemctl status`, the time parsers under every format, and a line read in the
//! context of those before it: no panic, a message is a part of its line (on a character
//! boundary where the line is UTF-8), a priority is a syslog one, a parsed time's length is
//! inside what it was read from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use triage::{
    ingest,
    model::{Block, Bytes},
    parse::{self, LogFormat, LogLine, text, time},
};

/// `part` lies inside `whole`, starting on a character boundary when `whole` is UTF-8.
fn inside(whole: &[u8], part: &[u8]) -> usize {
    let start = part.as_ptr() as usize;
    let base = whole.as_ptr() as usize;
    assert!(
        start >= base && start + part.len() <= base + whole.len(),
        "message is not a part of its line"
    );
    let offset = start - base;
    if let Ok(s) = std::str::from_utf8(whole) {
        assert!(s.is_char_boundary(offset) && s.is_char_boundary(offset + part.len()));
    }
    offset
}

fn check(line: &[u8], view: Option<LogLine>) {
    if let Some(view) = view {
        inside(line, view.message);
        assert!(view.priority.is_none_or(|p| p <= 7));
    }
}

fuzz_target!(|data: &[u8]| {
    for line in data.split(|&b| b == b'\n') {
        check(line, text::apache_error(line));
        check(line, text::mysql_error(line));
        check(line, text::systemctl_status(line));
        if text::is_systemctl_unit_header(line) {
            assert!(text::systemctl_status(line).is_some());
        }
        for format in [
            LogFormat::ApacheError,
            LogFormat::MySqlError,
            LogFormat::SystemctlStatus,
        ] {
            let view = parse::parse_line(format, line, 2026);
            let offset = ingest::message_offset(line, &view);
            assert_eq!(&line[offset..offset + view.message.len()], view.message);
            assert!(view.priority.is_none_or(|p| p <= 7));
        }
        if let Some((ts, used, _)) = time::iso(line) {
            assert!(used <= line.len());
            let _ = time::repeated_len(line, ts);
        }
        for (_, used) in [
            time::bsd(line, 2026),
            time::slashed(line),
            time::clf(line),
            time::apache(line),
            time::mariadb(line),
        ]
        .into_iter()
        .flatten()
        {
            assert!(used <= line.len());
        }
        if let Some(ts) = time::leading(line, 2026) {
            assert!(time::repeated_len(line, ts) <= line.len());
        }
    }
    // Continuations take their time and source from the lines before them.
    for format in [
        LogFormat::SystemctlStatus,
        LogFormat::ApacheError,
        LogFormat::MySqlError,
    ] {
        let block = Block::new(Bytes::Owned(data.to_vec())).in_format(format, 2026);
        for i in 0..block.len() {
            let view = block.view_in_context(i);
            inside(block.line(i), view.message);
        }
    }
});
