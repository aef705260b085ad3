//! The template miner and `triage templates`, on any bytes: templates stay within
//! `max_templates` (eviction bounds memory), every line is counted once (kept plus evicted),
//! a template's tokens are at most `max_tokens` and never empty or holding whitespace, a
//! message joins a template of its own token count, an example is capped, a header's end is
//! inside its line on a character boundary, and what `triage templates` prints holds no
//! control character of the log's.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use triage::{
    input,
    mine::{self, TemplatesLayout, TemplatesOptions},
    templates::{self, EXAMPLE_CHARS, MinerOptions, TemplateMiner, WILDCARD},
};

fn check_tokens<'a>(tokens: impl Iterator<Item = &'a str>, max_tokens: usize) -> usize {
    let mut n = 0;
    for token in tokens {
        n += 1;
        assert!(!token.is_empty(), "an empty token");
        assert!(
            !token.contains(|c: char| c.is_ascii_whitespace()),
            "a token with a space: {token:?}"
        );
    }
    assert!(n <= max_tokens, "{n} tokens, at most {max_tokens}");
    n
}

fn no_controls(out: &[u8], layout: TemplatesLayout) {
    let text = String::from_utf8_lossy(out);
    for c in text.chars() {
        assert!(
            c == '\n' || !(c.is_control()),
            "{layout:?}: the output holds {c:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, log @ ..] = data else {
        return;
    };
    let options = MinerOptions {
        similarity: f32::from(*a) / 255.0,
        max_templates: 1 + usize::from(b % 16),
        max_tokens: 1 + usize::from(c % 12),
        keep_evicted: true,
    };
    let mut miner = TemplateMiner::new(options);
    let mut added = 0u64;
    let mut evicted = 0u64;
    for line in log.split(|&b| b == b'\n') {
        let body = templates::message_body(line);
        assert!(body <= line.len());
        if let Ok(s) = std::str::from_utf8(line) {
            assert!(s.is_char_boundary(body), "a header ends inside a character");
        }
        let text = String::from_utf8_lossy(line);
        let masked = templates::mask(&text, options.max_tokens);
        let n = check_tokens(masked.iter().map(String::as_str), options.max_tokens);

        let id = miner.add(line, None);
        added += 1;
        let last = miner.last().expect("the template a line joined");
        assert_eq!(last.id, id);
        assert!(last.count >= 1);
        assert_eq!(
            check_tokens(last.tokens(), options.max_tokens),
            n,
            "joined a template of another length"
        );
        for (have, new) in last.tokens().zip(&masked) {
            assert!(
                have == new || have == WILDCARD,
                "template token {have:?} for {new:?}"
            );
        }
        assert!(last.example.chars().count() <= EXAMPLE_CHARS);
        assert!(
            miner.len() <= options.max_templates,
            "{} templates kept",
            miner.len()
        );
        assert!(miner.capacity() <= options.max_templates + 1);
        evicted += miner.take_evicted().iter().map(|t| t.count).sum::<u64>();
    }
    let kept: u64 = miner.templates().map(|t| t.count).sum();
    assert_eq!(kept + evicted, added, "lines counted");
    assert_eq!(miner.templates().count(), miner.len());

    // `triage templates` on the same bytes as a file, in each layout.
    for layout in [
        TemplatesLayout::Text,
        TemplatesLayout::Summary,
        TemplatesLayout::PerLine,
    ] {
        let Ok(log_input) =
            input::from_reader("fuzz.log", Box::new(Cursor::new(log.to_vec())), Some(2026))
        else {
            return;
        };
        let mut out = Vec::new();
        let options = TemplatesOptions {
            layout,
            rare: false,
            format: None,
        };
        if mine::run(vec![log_input], options, &mut out).is_ok() {
            no_controls(&out, layout);
        }
    }
});
