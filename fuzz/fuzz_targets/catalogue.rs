//! The catalogue loader on any text: good entries load, the rest are errors, nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = triage::catalogue::parse_file("fuzz.toml", text);
});
