//! A block of any bytes in every format, matched against the whole catalogue: every line kept,
//! every hit's spans on its line.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use triage::{
    catalogue::Catalogue,
    ingest,
    matcher::{Matcher, Searcher},
    model::{Block, Bytes},
    parse::LogFormat,
};

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(&Catalogue::builtin().0))
}

fuzz_target!(|data: &[u8]| {
    let lines = if data.is_empty() {
        0
    } else {
        data.strip_suffix(b"\n")
            .unwrap_or(data)
            .split(|&b| b == b'\n')
            .count()
    };
    let searcher = Searcher::new(matcher());
    for format in LogFormat::ALL {
        let block = Block::new(Bytes::Owned(data.to_vec())).in_format(format, 2026);
        assert_eq!(block.len(), lines);
        for i in 0..block.len() {
            let _ = block.view_in_context(i);
        }
        for hit in ingest::match_block(&block, &searcher) {
            for span in &hit.spans {
                assert!(span.start <= span.end && span.end <= block.line(hit.index).len());
            }
        }
    }
    let _ = ingest::match_line(matcher(), data);
});
