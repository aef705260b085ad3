//! The journal's structured outputs: `journalctl -o json` and `-o export`.
//!
//! Both carry the message in a `MESSAGE` field, which may be text, raw bytes (not UTF-8), or
//! missing (too large); every entry also has a cursor, which a follower resumes from.

use std::{
    io::{self, BufRead, Read},
    sync::Arc,
};

use jiff::Timestamp;
use serde::Deserialize;

use crate::model::LineFields;

/// One journal entry, with what triage needs of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalEntry {
    pub cursor: Option<String>,
    pub ts: Option<Timestamp>,
    pub priority: Option<u8>,
    pub identifier: Option<String>,
    pub unit: Option<String>,
    pub container: Option<String>,
    pub kernel: bool,
    pub hostname: Option<String>,
    pub pid: Option<String>,
    pub message: Vec<u8>,
}

impl JournalEntry {
    /// Who wrote it, as `journalctl -o short` shows it: the kernel, the container (Docker's
    /// journald log driver), else the syslog identifier, else the unit.
    pub fn label(&self) -> Option<String> {
        if self.kernel {
            return Some("kernel".to_string());
        }
        self.container
            .clone()
            .or_else(|| self.identifier.clone())
            .or_else(|| self.unit.clone())
    }

    /// The entry as lines with their fields, as the viewer shows and the matcher reads it: a
    /// multi-line message is one line per part, the first carrying the entry's priority, the
    /// others its time and writer only (as `journalctl` prints them, indented, without a
    /// level of their own).
    pub fn lines(&self) -> Vec<(&[u8], LineFields)> {
        let label: Option<Arc<str>> = self.label().map(Arc::from);
        let message = self.message.strip_suffix(b"\n").unwrap_or(&self.message);
        message
            .split(|&b| b == b'\n')
            .enumerate()
            .map(|(n, part)| {
                let fields = LineFields {
                    ts: self.ts,
                    label: label.clone(),
                    stream: None,
                    priority: self.priority.filter(|_| n == 0),
                    message_start: 0,
                };
                (part.strip_suffix(b"\r").unwrap_or(part), fields)
            })
            .collect()
    }

    fn set(&mut self, name: &str, value: Vec<u8>) {
        let text = || String::from_utf8_lossy(&value).into_owned();
        match name {
            "__CURSOR" => self.cursor = Some(text()),
            "__REALTIME_TIMESTAMP" => {
                self.ts = text()
                    .parse::<i64>()
                    .ok()
                    .and_then(|us| Timestamp::from_microsecond(us).ok());
            }
            "PRIORITY" => self.priority = text().parse().ok().filter(|&p: &u8| p <= 7),
            "SYSLOG_IDENTIFIER" => self.identifier = Some(text()),
            "_SYSTEMD_UNIT" => self.unit = Some(text()),
            "CONTAINER_NAME" => self.container = Some(text()),
            "_TRANSPORT" => self.kernel = value == b"kernel",
            "_HOSTNAME" => self.hostname = Some(text()),
            "_PID" => self.pid = Some(text()),
            "MESSAGE" => self.message = value,
            _ => {}
        }
    }
}

/// A JSON field: a string, an array of bytes (not UTF-8), or several values.
#[derive(Deserialize)]
#[serde(untagged)]
enum JsonField {
    Text(String),
    Bytes(Vec<u8>),
    Many(Vec<JsonField>),
    Other(serde::de::IgnoredAny),
}

impl JsonField {
    fn into_bytes(self) -> Option<Vec<u8>> {
        match self {
            JsonField::Text(s) => Some(s.into_bytes()),
            JsonField::Bytes(b) => Some(b),
            JsonField::Many(values) => values.into_iter().next().and_then(JsonField::into_bytes),
            JsonField::Other(_) => None,
        }
    }
}

/// Parse one line of `journalctl -o json`.
pub fn parse_json(line: &[u8]) -> Result<JournalEntry, serde_json::Error> {
    let fields: std::collections::HashMap<String, JsonField> = serde_json::from_slice(line)?;
    let mut entry = JournalEntry::default();
    for (name, value) in fields {
        if let Some(bytes) = value.into_bytes() {
            entry.set(&name, bytes);
        }
    }
    Ok(entry)
}

/// Reads `journalctl -o export` entry by entry. Yields each entry with the 1-based line it
/// starts on.
pub struct ExportReader<R> {
    reader: R,
    line: u64,
}

impl<R: BufRead> ExportReader<R> {
    pub fn new(reader: R) -> Self {
        ExportReader { reader, line: 0 }
    }

    /// Lines read so far.
    pub fn lines_read(&self) -> u64 {
        self.line
    }

    /// The next entry, or `None` at the end.
    pub fn next_entry(&mut self) -> io::Result<Option<(u64, JournalEntry)>> {
        let mut entry = JournalEntry::default();
        let mut start = None;
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if crate::input::read_line_bounded(&mut self.reader, &mut buf)? == 0 {
                return Ok(start.map(|line| (line, entry)));
            }
            self.line += 1;
            let field = buf.strip_suffix(b"\n").unwrap_or(&buf);
            if field.is_empty() {
                match start {
                    Some(line) => return Ok(Some((line, entry))),
                    None => continue,
                }
            }
            start.get_or_insert(self.line);
            match memchr::memchr(b'=', field) {
                Some(eq) => {
                    let name = String::from_utf8_lossy(&field[..eq]).into_owned();
                    entry.set(&name, field[eq + 1..].to_vec());
                }
                None => {
                    // Binary-safe field: NAME\n, little-endian u64 length, data, \n.
                    let name = String::from_utf8_lossy(field).into_owned();
                    let mut len = [0u8; 8];
                    self.reader.read_exact(&mut len)?;
                    let len = u64::from_le_bytes(len);
                    // Kept up to the longest line; the rest is read past, not held.
                    let mut data = Vec::new();
                    let kept = len.min(crate::input::MAX_LINE as u64);
                    (&mut self.reader).take(kept).read_to_end(&mut data)?;
                    let skipped =
                        io::copy(&mut (&mut self.reader).take(len - kept), &mut io::sink())?;
                    if (data.len() as u64) + skipped < len {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            format!("export entry cut short in binary field {name}"),
                        ));
                    }
                    let mut newline = [0u8; 1];
                    self.reader.read_exact(&mut newline)?;
                    self.line += data.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                    entry.set(&name, data);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzz/fuzz_targets/records.rs: `PRIORITY=8` was kept as a priority, which
    /// syslog's eight (0 emerg … 7 debug) do not hold.
    #[test]
    fn a_priority_past_debug_is_no_priority() {
        let e = parse_json(br#"{"MESSAGE":"m","PRIORITY":"8"}"#).unwrap();
        assert_eq!(e.priority, None);
        let e = parse_json(br#"{"MESSAGE":"m","PRIORITY":"7"}"#).unwrap();
        assert_eq!(e.priority, Some(7));
    }

    #[test]
    fn json_text_and_binary_messages() {
        let e = parse_json(br#"{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1795874585123456","PRIORITY":"3","_TRANSPORT":"kernel","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Out of memory"}"#).unwrap();
        assert_eq!(e.label().as_deref(), Some("kernel"));
        assert_eq!(e.message, b"Out of memory");
        assert_eq!(e.ts.unwrap().to_string(), "2026-11-28T14:03:05.123456Z");
        let e =
            parse_json(br#"{"MESSAGE":[104,105,255],"SYSLOG_IDENTIFIER":"app","PRIORITY":"6"}"#)
                .unwrap();
        assert_eq!(
            (e.message.as_slice(), e.priority),
            (&[104u8, 105, 255][..], Some(6))
        );
        let e = parse_json(br#"{"MESSAGE":null,"_SYSTEMD_UNIT":"x.service"}"#).unwrap();
        assert_eq!(
            (e.message.len(), e.label().as_deref()),
            (0, Some("x.service"))
        );
        assert!(parse_json(b"{not json").is_err());
    }

    #[test]
    fn export_with_a_binary_field() {
        let mut data = b"__CURSOR=a\n__REALTIME_TIMESTAMP=1795874585000000\nMESSAGE\n".to_vec();
        data.extend_from_slice(&7u64.to_le_bytes());
        data.extend_from_slice(b"two\nlin\n");
        data.extend_from_slice(b"SYSLOG_IDENTIFIER=app\n\n__CURSOR=b\nMESSAGE=second\n");
        let mut reader = ExportReader::new(&data[..]);
        let (line, first) = reader.next_entry().unwrap().unwrap();
        assert_eq!(
            (line, first.message.as_slice(), first.identifier.as_deref()),
            (1, &b"two\nlin"[..], Some("app"))
        );
        let (line, second) = reader.next_entry().unwrap().unwrap();
        assert_eq!((line, second.message.as_slice()), (8, &b"second"[..]));
        assert!(reader.next_entry().unwrap().is_none());
    }
}
