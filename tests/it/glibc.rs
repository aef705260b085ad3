//! The binary runs on Ubuntu 22.04: no glibc symbol newer than 2.35 (what 22.04 ships). Read
//! off the binary's dynamic symbol table with `objdump -T` (binutils); without objdump the
//! test fails, it never passes silently. `TRIAGE_BINARY=target/release/triage` checks
//! another build (the release one you mean to copy to a server).

use crate::common::{COMMAND, Deadline, can_run};

use std::process::Command;

/// Ubuntu 22.04's glibc.
const NEWEST_ALLOWED: (u32, u32) = (2, 35);

/// The newest `GLIBC_x.y[.z]` version among the symbols in `objdump -T` output.
fn newest_glibc(dynamic_symbols: &str) -> Option<(u32, u32)> {
    let version = regex::Regex::new(r"GLIBC_(\d+)\.(\d+)").unwrap();
    version
        .captures_iter(dynamic_symbols)
        .filter_map(|c| Some((c[1].parse().ok()?, c[2].parse().ok()?)))
        .max()
}

#[test]
fn newest_glibc_reads_versions_as_numbers() {
    let symbols = "0 DF *UND* 0 (GLIBC_2.9) memcpy\n0 DF *UND* 0 (GLIBC_2.34) dlsym\n0 DF *UND* 0 (GLIBC_2.3.4) __x\n";
    assert_eq!(newest_glibc(symbols), Some((2, 34)));
    assert_eq!(newest_glibc("no versions"), None);
}

#[test]
fn the_binary_needs_no_glibc_newer_than_ubuntu_22_04s() {
    assert!(
        can_run("objdump", &["--version"]),
        "objdump (binutils) is needed for this test"
    );
    let binary =
        std::env::var("TRIAGE_BINARY").unwrap_or_else(|_| env!("CARGO_BIN_EXE_triage").to_string());
    let out = Command::new("objdump")
        .args(["-T", &binary])
        .output_within(COMMAND);
    assert!(
        out.status.success(),
        "objdump -T {binary}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let symbols = String::from_utf8_lossy(&out.stdout);
    let newest = newest_glibc(&symbols).expect("a glibc-linked binary names glibc versions");
    assert!(
        newest <= NEWEST_ALLOWED,
        "{binary} needs GLIBC_{}.{}, newer than Ubuntu 22.04's 2.35: {}",
        newest.0,
        newest.1,
        symbols
            .lines()
            .filter(|l| l.contains(&format!("GLIBC_{}.{}", newest.0, newest.1)))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
