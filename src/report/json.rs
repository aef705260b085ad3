//! The JSON lines sinks: one object per hit ([`Json`]), or per entry with its count
//! ([`JsonSummary`]). Field names are a contract with scripts: keep them.

use std::{
    collections::BTreeMap,
    io::{self, Write},
};

use serde::Serialize;

use super::{MinedError, Sink, Tally};
use crate::{
    catalogue::{Catalogue, Entry, Lang, Severity},
    model::Hit,
    sanitize,
    scan::Found,
};

/// A JSON line for one hit.
#[derive(Serialize)]
struct JsonHit<'a> {
    /// `null` for an unrecognised error.
    pattern: Option<&'a str>,
    severity: Severity,
    title: Option<&'a str>,
    file: &'a str,
    line: u64,
    ts: Option<String>,
    source: Option<&'a str>,
    stream: Option<crate::parse::Stream>,
    text: String,
    spans: Vec<[usize; 2]>,
    captures: BTreeMap<&'a str, &'a str>,
    /// An unrecognised error's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
}

/// A JSON line for one template of unrecognised errors in `--summary`.
#[derive(Serialize)]
struct JsonTemplateCount<'a> {
    pattern: Option<&'a str>,
    severity: Severity,
    template: &'a str,
    count: u64,
    first: &'a str,
}

/// A JSON line for one entry in `--summary`.
#[derive(Serialize)]
struct JsonCount<'a> {
    pattern: &'a str,
    severity: Severity,
    title: &'a str,
    count: u64,
    first: &'a str,
}

/// One JSON object per hit, and per unrecognised error, as it comes.
pub(super) struct Json<W> {
    out: W,
    lang: Lang,
}

impl<W: Write> Json<W> {
    pub(super) fn new(out: W, lang: Lang) -> Self {
        Json { out, lang }
    }
}

impl<W: Write> Sink for Json<W> {
    fn hit(&mut self, found: &Found, hit: &Hit, entry: &Entry) -> io::Result<()> {
        let decoded = Lossy::decode(found.text);
        let spans = hit
            .spans
            .iter()
            .map(|s| {
                let start = decoded.offset(s.start, false);
                // An empty match stays empty, even inside an invalid sequence.
                let end = if s.is_empty() {
                    start
                } else {
                    decoded.offset(s.end, true)
                };
                [start, end]
            })
            .collect();
        let record = JsonHit {
            pattern: Some(&entry.id),
            severity: entry.severity,
            title: Some(entry.title.get(self.lang)),
            file: found.file,
            line: found.line,
            ts: found.ts.map(|t| t.to_string()),
            source: found.label,
            stream: found.stream,
            text: decoded.text,
            spans,
            captures: hit
                .captures
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            template: None,
        };
        write_json(&mut self.out, &record)
    }

    fn unrecognised(&mut self, found: &Found, error: &MinedError) -> io::Result<()> {
        let record = JsonHit {
            pattern: None,
            severity: error.severity,
            title: None,
            file: found.file,
            line: found.line,
            ts: found.ts.map(|t| t.to_string()),
            source: found.label,
            stream: found.stream,
            text: Lossy::decode(found.text).text,
            spans: Vec::new(),
            captures: BTreeMap::new(),
            template: Some(error.template),
        };
        write_json(&mut self.out, &record)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, _: &Tally, _footer: bool) -> io::Result<()> {
        self.out.flush()
    }
}

/// One JSON object per entry with its count, then per template of unrecognised errors.
pub(super) struct JsonSummary<'c, W> {
    out: W,
    catalogue: &'c Catalogue,
    lang: Lang,
}

impl<'c, W: Write> JsonSummary<'c, W> {
    pub(super) fn new(out: W, catalogue: &'c Catalogue, lang: Lang) -> Self {
        JsonSummary {
            out,
            catalogue,
            lang,
        }
    }
}

impl<W: Write> Sink for JsonSummary<'_, W> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self, tally: &Tally, _footer: bool) -> io::Result<()> {
        for index in tally.entry_order(self.catalogue) {
            let entry = &self.catalogue.entries()[index];
            let count = &tally.entries[&index];
            let record = JsonCount {
                pattern: &entry.id,
                severity: entry.severity,
                title: entry.title.get(self.lang),
                count: count.count,
                first: &count.first,
            };
            write_json(&mut self.out, &record)?;
        }
        for id in tally.template_order() {
            let count = &tally.templates[&id];
            let record = JsonTemplateCount {
                pattern: None,
                severity: count.severity.unwrap_or(Severity::Error),
                template: &count.template,
                count: count.count,
                first: &count.first,
            };
            write_json(&mut self.out, &record)?;
        }
        self.out.flush()
    }
}

/// A line as JSON carries it: decoded as `String::from_utf8_lossy` does (each invalid sequence
/// becomes U+FFFD, 3 bytes in UTF-8), with what maps byte offsets in the line to byte offsets
/// in the decoded text, so that spans point at the same characters in both.
struct Lossy {
    text: String,
    /// Each invalid sequence: (offset in the line, its length there, offset in `text`).
    invalid: Vec<(usize, usize, usize)>,
}

impl Lossy {
    fn decode(bytes: &[u8]) -> Lossy {
        let mut text = String::with_capacity(bytes.len());
        let mut invalid = Vec::new();
        let mut at = 0;
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            at += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                invalid.push((at, chunk.invalid().len(), text.len()));
                text.push(char::REPLACEMENT_CHARACTER);
                at += chunk.invalid().len();
            }
        }
        Lossy { text, invalid }
    }

    /// The offset in `text` of byte `at` of the line. An offset inside an invalid sequence
    /// moves to the start of its U+FFFD, or past it for the `end` of a range.
    fn offset(&self, at: usize, end: bool) -> usize {
        let before = self
            .invalid
            .partition_point(|&(start, len, _)| start + len <= at);
        if let Some(&(start, _, text_at)) = self.invalid.get(before) {
            if start < at {
                return text_at + if end { 3 } else { 0 };
            }
        }
        match before.checked_sub(1).map(|i| self.invalid[i]) {
            None => at,
            Some((start, len, text_at)) => text_at + 3 + (at - start - len),
        }
    }
}

/// One JSON record and a newline. Beyond what serde_json escapes (C0 controls, `"`, `\`), C1
/// controls, DEL, bidi controls and zero-width characters are written as `\uXXXX`: a script
/// that prints a field must not reorder or drive the terminal either.
pub fn write_json<W: Write + ?Sized, T: Serialize>(out: &mut W, record: &T) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeJson);
    record.serialize(&mut serializer).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut from = 0;
        for (at, c) in fragment.char_indices() {
            if c.is_control() || sanitize::is_invisible_format(c) {
                writer.write_all(&fragment.as_bytes()[from..at])?;
                // All of these are in the Basic Multilingual Plane: one escape each.
                write!(writer, "\\u{:04x}", c as u32)?;
                from = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[from..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_into_the_lossily_decoded_text() {
        let line = b"a\xffb\xe2\x82c\xf0";
        let lossy = Lossy::decode(line);
        assert_eq!(lossy.text, String::from_utf8_lossy(line));
        // a \xff b \xe2\x82 c \xf0 -> a U+FFFD b U+FFFD c U+FFFD
        assert_eq!(lossy.offset(0, false), 0);
        assert_eq!(lossy.offset(1, false), 1);
        assert_eq!(lossy.offset(2, false), 4);
        assert_eq!(
            &lossy.text[lossy.offset(2, false)..lossy.offset(3, true)],
            "b"
        );
        assert_eq!(
            &lossy.text[lossy.offset(3, false)..lossy.offset(5, true)],
            "\u{fffd}"
        );
        assert_eq!(lossy.offset(4, true), 8);
        assert_eq!(
            &lossy.text[lossy.offset(5, false)..lossy.offset(6, true)],
            "c"
        );
        assert_eq!(lossy.offset(7, true), lossy.text.len());
        let plain = Lossy::decode("数据 ok".as_bytes());
        assert_eq!(plain.offset(6, false), 6);
    }

    #[test]
    fn json_strings_escape_what_a_terminal_would_obey() {
        let mut out = Vec::new();
        write_json(&mut out, &"a\u{9b}b\u{7f}c\u{202e}d\u{200b}e\u{feff}\x1b").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\"a\\u009bb\\u007fc\\u202ed\\u200be\\ufeff\\u001b\"\n"
        );
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, "a\u{9b}b\u{7f}c\u{202e}d\u{200b}e\u{feff}\x1b");
    }
}
