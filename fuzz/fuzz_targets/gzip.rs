//! gzip framing as triage reads it (recognised by content, several members, UTF-16 marks
//! inside): any bytes decode or fail, never panic; what was compressed comes back whole.
#![no_main]

use std::io::{Cursor, Read, Write};

use libfuzzer_sys::fuzz_target;
use triage::input;

fn read_all(bytes: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let mut log = input::from_reader("fuzz.gz", Box::new(Cursor::new(bytes)), None)?;
    let mut out = Vec::new();
    log.reader.read_to_end(&mut out)?;
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    // As it is: often not gzip at all, sometimes a damaged stream.
    let _ = read_all(data.to_vec());
    // As gzip: it must come back as it went in (unless it starts with a UTF-16 mark, which
    // is decoded).
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    let gz = encoder.finish().unwrap();
    if !data.starts_with(&[0xff, 0xfe]) && !data.starts_with(&[0xfe, 0xff]) {
        assert_eq!(read_all(gz.clone()).unwrap(), data);
    }
    // Damaged after a good header.
    let mut damaged = gz[..10.min(gz.len())].to_vec();
    damaged.extend_from_slice(data);
    let _ = read_all(damaged);
});
