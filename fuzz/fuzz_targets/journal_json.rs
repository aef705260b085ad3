//! `journalctl -o json` lines: any bytes parse or fail, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use triage::parse::{LogFormat, journal, record};

fuzz_target!(|data: &[u8]| {
    if let Ok(entry) = journal::parse_json(data) {
        let _ = entry.lines();
        let _ = entry.label();
    }
    let mut reader = std::io::Cursor::new(data);
    let _ = record::for_each_record(LogFormat::JournalJson, &mut reader, None, |_, rec| {
        let _ = rec.lines();
        Ok(())
    });
});
