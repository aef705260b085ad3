//! `triage scan --unknown` on any input, its format detected as it would be: read to the end,
//! never a panic; a line is reported for its hits or as unrecognised, its spans inside it.
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
        // The unrecognised lines' path too (`scan --unknown`).
        unknown: Some(triage::model::Level::Warning),
    };
    let _ = scan::scan_input(matcher(), log, options, &mut |found| {
        // A line is reported for its hits, or (with --unknown) as unrecognised, never both.
        assert_ne!(found.hits.is_empty(), found.unknown.is_none());
        if let Some(unknown) = found.unknown {
            assert!(unknown.message_start <= found.text.len());
        }
        for hit in found.hits {
            for span in &hit.spans {
                assert!(span.start <= span.end && span.end <= found.text.len());
            }
        }
        Ok(())
    });
});
