//! `journalctl -o export`: text and binary-safe fields (a length the input chooses), read to
//! the end or to an error, in bounded memory, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use triage::parse::journal::ExportReader;

fuzz_target!(|data: &[u8]| {
    let mut entries = ExportReader::new(std::io::Cursor::new(data));
    while let Ok(Some((_, entry))) = entries.next_entry() {
        let _ = entry.lines();
    }
});
