//! `triage scan` on any input, its format detected as it would be: read to the end, every
//! line counted, never a panic.
#![no_main]

use std::{io::Cursor, sync::OnceLock};

use libfuzzer_sys::fuzz_target;
use triage::{catalogue::Catalogue, input, matcher::Matcher, scan};

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&Catalogue::builtin().0))
}

fuzz_target!(|data: &[u8]| {
    let Ok(log) = input::from_reader("fuzz.log", Box::new(Cursor::new(data.to_vec())), Some(2026))
    else {
        return;
    };
    let options = scan::ScanOptions {
        format: None,
        threads: 1,
    };
    let _ = scan::scan_input(matcher(), log, options, &mut |found| {
        assert!(!found.hits.is_empty());
        Ok(())
    });
});
