//! Log text made safe for a terminal.
//!
//! A log line can hold anything: escape sequences that recolour, move the cursor or retitle
//! the window; C1 controls some terminals obey; bidi overrides that reorder what is shown;
//! bytes that are not UTF-8. None of it may reach the terminal as such. Each is shown as a
//! visible escape instead (`\x1b`, `\u{9b}`, `<U+202E>`, `\xff`), so nothing is hidden and
//! nothing is interpreted.

/// Append `bytes` to `out`, every byte that a terminal could interpret replaced by a visible
/// escape. Tabs are kept when `keep_tabs` (a scan's output), else shown as a space (a
/// viewer lays out columns itself).
pub fn push_visible(out: &mut String, bytes: &[u8], keep_tabs: bool) {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(out, c, keep_tabs);
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
}

/// `bytes` as a safe string (see [`push_visible`]).
pub fn visible(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_visible(&mut out, bytes, true);
    out
}

/// A path as a name to show and report: its UTF-8 text as it is (printers make that safe like
/// log text), any byte that is not UTF-8 as `\xNN`, so two names never look the same.
pub fn path_name(path: &std::path::Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

fn push_char(out: &mut String, c: char, keep_tabs: bool) {
    match c {
        '\t' if keep_tabs => out.push('\t'),
        '\t' => out.push(' '),
        '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
        '\u{80}'..='\u{9f}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c if is_invisible_format(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
        c => out.push(c),
    }
}

/// Characters that change how the text around them is shown without being seen themselves:
/// bidi embeddings, overrides and isolates (the "Trojan Source" characters), and marks.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(visible(b"a\x1b[31mred\x1b[0m"), "a\\x1b[31mred\\x1b[0m");
        assert_eq!(
            visible(b"bell\x07 cr\r del\x7f"),
            "bell\\x07 cr\\x0d del\\x7f"
        );
        assert_eq!(visible("csi\u{9b}2J".as_bytes()), "csi\\u{9b}2J");
        assert_eq!(visible("abc\u{202e}fed".as_bytes()), "abc<U+202E>fed");
        assert_eq!(visible(b"caf\xe9 \xff"), "caf\\xe9 \\xff");
        assert_eq!(visible("数据库 ok\tx".as_bytes()), "数据库 ok\tx");
    }

    #[test]
    fn tabs_for_a_viewer() {
        let mut out = String::new();
        push_visible(&mut out, b"a\tb", false);
        assert_eq!(out, "a b");
    }
}
