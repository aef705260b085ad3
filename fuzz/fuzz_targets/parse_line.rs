//! Every log format's line parser on any bytes: no panic, and a text format's message is a
//! part of its line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use triage::{ingest, parse};

fuzz_target!(|line: &[u8]| {
    for format in parse::LogFormat::ALL {
        let view = parse::parse_line(format, line, 2026);
        if !format.is_structured() {
            let offset = ingest::message_offset(line, &view);
            assert_eq!(&line[offset..offset + view.message.len()], view.message);
        }
    }
    let _ = parse::detect(line.split(|&b| b == b'\n'));
    let _ = parse::sniff(line);
});
