//! Formats whose lines are records with the message in a field: the journal's `-o json` and
//! `-o export`, Docker's json-file logs, applications' JSON lines (and logfmt's time and
//! level, read off a line that stays its own message). Each record is
//! decoded (unescaped) into a [`Record`], whose message is what a regex sees and the viewer
//! shows, with the record's time, level, writer and stream beside it as fields.

use std::{
    io::{self, BufRead},
    path::Path,
    sync::Arc,
};

use jiff::Timestamp;
use serde_json::Value;

use super::{LogFormat, Stream, journal, time};
use crate::model::LineFields;

/// One decoded record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub ts: Option<Timestamp>,
    /// syslog priority (0 emerg … 7 debug), from the record's level.
    pub priority: Option<u8>,
    /// Who wrote it: the container, unit, identifier or logger.
    pub label: Option<Arc<str>>,
    pub stream: Option<Stream>,
    pub message: Vec<u8>,
}

impl Record {
    /// The record as lines with their fields: a multi-line message is one line per part, the
    /// first carrying the record's level, the others its time and writer only (as
    /// `journalctl` prints them).
    pub fn lines(&self) -> Vec<(&[u8], LineFields)> {
        let message = self.message.strip_suffix(b"\n").unwrap_or(&self.message);
        message
            .split(|&b| b == b'\n')
            .enumerate()
            .map(|(n, part)| {
                let fields = LineFields {
                    ts: self.ts,
                    label: self.label.clone(),
                    stream: self.stream,
                    priority: self.priority.filter(|_| n == 0),
                    message_start: 0,
                };
                (part.strip_suffix(b"\r").unwrap_or(part), fields)
            })
            .collect()
    }

    /// A line that is not a record of its format (a note, a cut line) is searched as text.
    fn raw(line: &[u8]) -> Record {
        Record {
            message: line.to_vec(),
            ..Record::default()
        }
    }
}

impl From<journal::JournalEntry> for Record {
    fn from(entry: journal::JournalEntry) -> Record {
        Record {
            ts: entry.ts,
            priority: entry.priority,
            label: entry.label().map(Arc::from),
            stream: None,
            message: entry.message,
        }
    }
}

/// `{"log":…,"stream":…,"time":…}`: Docker writes the keys in this order.
pub fn looks_like_docker_json(line: &[u8]) -> bool {
    line.starts_with(b"{\"log\":") && memchr::memmem::find(line, b"\"time\":").is_some()
}

/// A JSON object with a message or a level key (what every JSON logger writes).
pub fn looks_like_json_lines(line: &[u8]) -> bool {
    line.starts_with(b"{")
        && line.trim_ascii_end().ends_with(b"}")
        && QUOTED_KEYS
            .iter()
            .any(|key| memchr::memmem::find(line, key).is_some())
}

/// `key=value key="quoted value" …` with a level and a message among the keys.
pub fn looks_like_logfmt(line: &[u8]) -> bool {
    let first_key = line
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    if first_key == 0 || line.get(first_key) != Some(&b'=') {
        return false;
    }
    let pairs = logfmt_pairs(line);
    let has = |keys: &[&str]| pairs.iter().any(|p| keys.contains(&p.key));
    has(&MESSAGE_KEYS) && (has(&LEVEL_KEYS) || has(&TIME_KEYS))
}

const MESSAGE_KEYS: [&str; 2] = ["msg", "message"];
/// The message and level keys as a JSON object writes them.
const QUOTED_KEYS: [&[u8]; 7] = [
    b"\"msg\":",
    b"\"message\":",
    b"\"level\":",
    b"\"lvl\":",
    b"\"severity\":",
    b"\"levelname\":",
    b"\"log.level\":",
];
const LEVEL_KEYS: [&str; 5] = ["level", "lvl", "severity", "levelname", "log.level"];
const TIME_KEYS: [&str; 6] = ["time", "ts", "t", "timestamp", "@timestamp", "date"];
const LABEL_KEYS: [&str; 5] = ["logger", "logger_name", "component", "service", "name"];

/// syslog priority of a level as loggers write it: a word in any case, or a number (pino and
/// bunyan: 10 trace … 60 fatal).
fn priority_of_level(level: &Value) -> Option<u8> {
    if let Some(n) = level.as_u64() {
        return Some(match n {
            0..=29 => 7,
            30..=39 => 6,
            40..=49 => 4,
            50..=59 => 3,
            _ => 2,
        });
    }
    priority_of_word(level.as_str()?)
}

fn priority_of_word(word: &str) -> Option<u8> {
    Some(match word.to_ascii_lowercase().as_str() {
        "emerg" | "emergency" => 0,
        "alert" => 1,
        "crit" | "critical" | "fatal" | "panic" | "dpanic" => 2,
        "error" | "err" | "eror" => 3,
        "warn" | "warning" => 4,
        "notice" => 5,
        "info" | "information" => 6,
        "debug" | "dbug" | "trace" => 7,
        _ => return None,
    })
}

/// A time as loggers write it: RFC 3339 text, or a Unix time in seconds (zap's `ts`),
/// milliseconds (pino's `time`), microseconds or nanoseconds, told apart by size.
fn time_of(value: &Value) -> Option<Timestamp> {
    if let Some(text) = value.as_str() {
        return time::iso(text.as_bytes()).map(|(ts, _, _)| ts);
    }
    // Whole numbers exactly (pino's milliseconds); fractions (zap's seconds) through f64.
    let nanos = match value.as_i64() {
        Some(n) => match n.unsigned_abs() {
            x if x < 100_000_000_000 => i128::from(n) * 1_000_000_000,
            x if x < 100_000_000_000_000 => i128::from(n) * 1_000_000,
            x if x < 100_000_000_000_000_000 => i128::from(n) * 1_000,
            _ => i128::from(n),
        },
        None => (value.as_f64()? * 1e9) as i128,
    };
    Timestamp::from_nanosecond(nanos).ok()
}

/// Docker's json-file record: the message is `log` without its line end.
fn docker_json(line: &[u8], label: Option<&Arc<str>>) -> Option<Record> {
    docker_json_part(line, label).map(|(record, _)| record)
}

/// A json-file record and whether it ends its line: Docker cuts a line longer than 16 KiB
/// into records of which only the last ends with `\n`.
fn docker_json_part(line: &[u8], label: Option<&Arc<str>>) -> Option<(Record, bool)> {
    #[derive(serde::Deserialize)]
    struct Entry {
        log: String,
        stream: Option<String>,
        time: Option<String>,
    }
    let entry: Entry = serde_json::from_slice(line).ok()?;
    let mut message = entry.log.into_bytes();
    let complete = message.ends_with(b"\n");
    if complete {
        message.pop();
    }
    if message.ends_with(b"\r") {
        message.pop();
    }
    let record = Record {
        ts: entry
            .time
            .and_then(|t| time::iso(t.as_bytes()).map(|(ts, _, _)| ts)),
        priority: None,
        label: label.cloned(),
        stream: match entry.stream.as_deref() {
            Some("stdout") => Some(Stream::Stdout),
            Some("stderr") => Some(Stream::Stderr),
            _ => None,
        },
        message,
    };
    Some((record, complete))
}

/// How long a line cut into json-file records may grow while it is put back together.
const MAX_JOINED: usize = 1 << 20;

/// The first of `keys` an object has.
fn first<'v>(
    object: &'v serde_json::Map<String, Value>,
    keys: &[&str],
) -> Option<(&'v str, &'v Value)> {
    keys.iter()
        .find_map(|&key| object.get_key_value(key).map(|(k, v)| (k.as_str(), v)))
}

/// An application's JSON line: the message is the `msg` (or `message`) field, followed by
/// the record's other fields as `key=value` (an `error` field often says more than the
/// message); its time and level become fields. An object with neither a message nor a
/// level is not a log record.
fn json_line(line: &[u8]) -> Option<Record> {
    let object: serde_json::Map<String, Value> = serde_json::from_slice(line).ok()?;
    let message = first(&object, &MESSAGE_KEYS);
    let time = first(&object, &TIME_KEYS);
    let level = first(&object, &LEVEL_KEYS);
    if message.is_none() && level.is_none() {
        return None;
    }
    let label = first(&object, &LABEL_KEYS).filter(|(_, v)| v.is_string());
    let mut text = match message {
        Some((_, Value::String(s))) => s.clone(),
        Some((_, other)) => other.to_string(),
        None => String::new(),
    };
    for (key, value) in &object {
        let used = [message, time, level, label].map(|field| field.map(|(k, _)| k));
        if used.contains(&Some(key.as_str())) {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(key);
        text.push('=');
        match value {
            Value::String(s) if !s.is_empty() && !s.contains([' ', '"', '=']) => text.push_str(s),
            other => text.push_str(&other.to_string()),
        }
    }
    Some(Record {
        ts: time.and_then(|(_, v)| time_of(v)),
        priority: level.and_then(|(_, v)| priority_of_level(v)),
        label: label.and_then(|(_, v)| v.as_str()).map(Arc::from),
        stream: None,
        message: text.into_bytes(),
    })
}

/// One `key=value` of a logfmt line: the key and the value (quotes and escapes undone).
struct Pair<'a> {
    key: &'a str,
    value: std::borrow::Cow<'a, [u8]>,
}

/// The pairs of a logfmt line. A quoted value runs to its closing quote (`\"` escapes one);
/// a bare word without `=` is a key with an empty value.
fn logfmt_pairs(line: &[u8]) -> Vec<Pair<'_>> {
    let mut pairs = Vec::new();
    let mut at = 0;
    while at < line.len() {
        while line.get(at) == Some(&b' ') {
            at += 1;
        }
        if at >= line.len() {
            break;
        }
        let start = at;
        while at < line.len() && !matches!(line[at], b'=' | b' ') {
            at += 1;
        }
        let key = std::str::from_utf8(&line[start..at]).unwrap_or("");
        let mut value: std::borrow::Cow<[u8]> = std::borrow::Cow::Borrowed(&[]);
        if line.get(at) == Some(&b'=') {
            at += 1;
            if line.get(at) == Some(&b'"') {
                let open = at;
                at += 1;
                while at < line.len() && line[at] != b'"' {
                    at += if line[at] == b'\\' { 2 } else { 1 };
                }
                at = (at + 1).min(line.len());
                value = unquote(&line[open..at]);
            } else {
                let value_start = at;
                while at < line.len() && line[at] != b' ' {
                    at += 1;
                }
                value = std::borrow::Cow::Borrowed(&line[value_start..at]);
            }
        }
        pairs.push(Pair { key, value });
    }
    pairs
}

/// A quoted logfmt value: JSON's escapes (which Go's `%q` shares for what logs hold), else
/// only `\"` and `\\` undone.
fn unquote(quoted: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if let Ok(text) = serde_json::from_slice::<String>(quoted) {
        return std::borrow::Cow::Owned(text.into_bytes());
    }
    let inner = quoted.strip_prefix(b"\"").unwrap_or(quoted);
    let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.iter();
    while let Some(&b) = bytes.next() {
        match (b, bytes.as_slice().first()) {
            (b'\\', Some(&next @ (b'"' | b'\\'))) => {
                out.push(next);
                bytes.next();
            }
            _ => out.push(b),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A logfmt line (`ts=… level=error msg="…" err="…"`) is read for its time and level; its
/// message is the whole line, as for any program's own log line. The same text arrives as
/// the journal's or Docker's message when dockerd, containerd or a Go service logs there,
/// and the catalogue's regexes are written against it (`msg="…"` with `\"` inside), so a
/// saved logfmt file gets the same hits as the journal line.
pub fn logfmt_view(line: &[u8]) -> Option<super::LogLine<'_>> {
    if !looks_like_logfmt(line) {
        return None;
    }
    let pairs = logfmt_pairs(line);
    let value = |keys: &[&str]| {
        pairs
            .iter()
            .find(|p| keys.contains(&p.key))
            .map(|p| &p.value)
    };
    Some(super::LogLine {
        ts: value(&TIME_KEYS).and_then(|v| time::iso(v).map(|(ts, _, _)| ts)),
        label: None,
        stream: None,
        priority: value(&LEVEL_KEYS)
            .and_then(|v| std::str::from_utf8(v).ok())
            .and_then(priority_of_word),
        message: line,
    })
}

/// Decode one line of a line-per-record format (not `-o export`, whose records span lines).
/// A line that is not a record of the format is its own message.
pub fn decode_line(format: LogFormat, line: &[u8], label: Option<&Arc<str>>) -> Record {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let decoded = match format {
        LogFormat::JournalJson => journal::parse_json(line).ok().map(Record::from),
        LogFormat::DockerJson => docker_json(line, label),
        LogFormat::JsonLines => json_line(line),
        _ => None,
    };
    decoded.unwrap_or_else(|| Record::raw(line))
}

/// The writer of every record of a file, where the file's place says it: a Docker json-file
/// log (`/var/lib/docker/containers/ID/ID-json.log`, rotated `ID-json.log.1`) is the
/// container's, named as its `config.v2.json` beside it names it, else by its short id.
pub fn label_for_path(format: LogFormat, path: &Path) -> Option<Arc<str>> {
    if format != LogFormat::DockerJson {
        return None;
    }
    let file = path.file_name()?.to_str()?;
    let id = &file[..file.find("-json.log")?];
    if id.len() < 12 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let config = path.parent().map(|dir| dir.join("config.v2.json"));
    let name = config
        .and_then(|config| std::fs::read(config).ok())
        .and_then(|bytes| {
            #[derive(serde::Deserialize)]
            struct Config {
                #[serde(rename = "Name")]
                name: Option<String>,
            }
            serde_json::from_slice::<Config>(&bytes).ok()?.name
        })
        .map(|name| name.trim_start_matches('/').to_string())
        .filter(|name| !name.is_empty());
    Some(Arc::from(
        name.unwrap_or_else(|| id.chars().take(12).collect()),
    ))
}

/// What reading records took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecordStats {
    pub lines: u64,
    pub bytes: u64,
}

/// Call `f` with each record of a structured input and the 1-based input line it starts on.
pub fn for_each_record(
    format: LogFormat,
    reader: &mut dyn BufRead,
    label: Option<&Arc<str>>,
    mut f: impl FnMut(u64, Record) -> io::Result<()>,
) -> io::Result<RecordStats> {
    if format == LogFormat::JournalExport {
        let mut entries = journal::ExportReader::new(reader);
        while let Some((line, entry)) = entries.next_entry()? {
            f(line, Record::from(entry))?;
        }
        return Ok(RecordStats {
            lines: entries.lines_read(),
            bytes: 0,
        });
    }
    let mut stats = RecordStats::default();
    let mut buf = Vec::new();
    // A json-file line cut into parts, being put back together: where it started, and it.
    let mut pending: Option<(u64, Record)> = None;
    loop {
        buf.clear();
        let read = crate::input::read_line_bounded(reader, &mut buf)?;
        if read == 0 {
            if let Some((line, record)) = pending.take() {
                f(line, record)?;
            }
            return Ok(stats);
        }
        stats.lines += 1;
        stats.bytes += read as u64;
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if format == LogFormat::DockerJson {
            if let Some((part, complete)) = docker_json_part(raw, label) {
                let (line, whole) = match pending.take() {
                    Some((line, mut first)) if first.stream == part.stream => {
                        first.message.extend_from_slice(&part.message);
                        (line, first)
                    }
                    Some(other) => {
                        f(other.0, other.1)?;
                        (stats.lines, part)
                    }
                    None => (stats.lines, part),
                };
                if complete || whole.message.len() >= MAX_JOINED {
                    // A line that never ends is handed on a megabyte at a time.
                    f(line, whole)?;
                } else {
                    pending = Some((line, whole));
                }
                continue;
            }
            if let Some((line, record)) = pending.take() {
                f(line, record)?;
            }
        }
        f(stats.lines, decode_line(format, raw, label))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(
        format: LogFormat,
        line: &str,
    ) -> (Option<String>, Option<u8>, Option<Stream>, String) {
        let r = decode_line(format, line.as_bytes(), None);
        (
            r.ts.map(|t| t.to_string()),
            r.priority,
            r.stream,
            String::from_utf8_lossy(&r.message).into_owned(),
        )
    }

    #[test]
    fn docker_json_file_records() {
        // https://github.com/moby/moby/issues/16386
        let line = r#"{"log":"Error\n","stream":"stderr","time":"2015-09-18T04:27:28.135894927Z"}"#;
        assert_eq!(crate::parse::sniff(line.as_bytes()), LogFormat::DockerJson);
        assert_eq!(
            decoded(LogFormat::DockerJson, line),
            (
                Some("2015-09-18T04:27:28.135894927Z".into()),
                None,
                Some(Stream::Stderr),
                "Error".into()
            )
        );
        // https://github.com/oracle/railcar/issues/32: escaped quotes, a TTY's \r\n.
        let line = r#"{"log":"172.17.0.1 - - [24/Jan/2018:05:57:12 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" \"curl/7.57.0\" \"-\"\r\n","stream":"stdout","time":"2018-01-24T05:57:12.583118365Z"}"#;
        let (_, _, stream, message) = decoded(LogFormat::DockerJson, line);
        assert_eq!(stream, Some(Stream::Stdout));
        assert_eq!(
            message,
            r#"172.17.0.1 - - [24/Jan/2018:05:57:12 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/7.57.0" "-""#
        );
        // https://github.com/docker-library/docker/issues/224: dockerd's logfmt inside.
        let line = r#"{"log":"time=\"2020-04-10T14:04:50.847156802Z\" level=info msg=\"Daemon shutdown complete\"\n","stream":"stderr","time":"2020-04-10T14:04:50.847928047Z"}"#;
        assert_eq!(
            decoded(LogFormat::DockerJson, line).3,
            r#"time="2020-04-10T14:04:50.847156802Z" level=info msg="Daemon shutdown complete""#
        );
        // Not a record: searched as it is.
        assert_eq!(decoded(LogFormat::DockerJson, "{\"log\":").3, "{\"log\":");
    }

    #[test]
    fn the_container_is_named_from_its_config() {
        let dir = tempfile::tempdir().unwrap();
        let id = "5fb8f23a0b0f941917d7b9a1386f38b200739b3d6e8e347441d07ae7d2f5e3c8";
        let container = dir.path().join(id);
        std::fs::create_dir(&container).unwrap();
        let log = container.join(format!("{id}-json.log"));
        assert_eq!(
            label_for_path(LogFormat::DockerJson, &log).as_deref(),
            Some("5fb8f23a0b0f")
        );
        std::fs::write(
            container.join("config.v2.json"),
            r#"{"ID":"5fb8","Name":"/keen_hugle","State":{}}"#,
        )
        .unwrap();
        assert_eq!(
            label_for_path(LogFormat::DockerJson, &log).as_deref(),
            Some("keen_hugle")
        );
        let rotated = container.join(format!("{id}-json.log.1"));
        assert_eq!(
            label_for_path(LogFormat::DockerJson, &rotated).as_deref(),
            Some("keen_hugle")
        );
        assert_eq!(label_for_path(LogFormat::JsonLines, &log), None);
        // Only Docker's own file names name a container.
        assert_eq!(
            label_for_path(LogFormat::DockerJson, Path::new("saved/docker-json.log")),
            None
        );
    }

    #[test]
    fn json_lines_of_applications() {
        // https://github.com/CGI-FR/PIMO/issues/339 (zerolog-style, `message`)
        let line = r#"{"timestamp":"2024-10-16T14:08:15.160+0200","level":"error","error":"open masking.yml: no such file or directory","config":"masking.yml","message":"Cannot load pipeline definition from file"}"#;
        assert_eq!(crate::parse::sniff(line.as_bytes()), LogFormat::JsonLines);
        assert_eq!(
            decoded(LogFormat::JsonLines, line),
            (
                Some("2024-10-16T12:08:15.16Z".into()),
                Some(3),
                None,
                r#"Cannot load pipeline definition from file config=masking.yml error="open masking.yml: no such file or directory""#.into()
            )
        );
        // https://github.com/linagora/twake-drive-legacy/issues/844 (pino: time in ms,
        // the level a word here; `name` is the logger)
        let line = r#"{"level":"ERROR","time":1741459627127,"pid":18,"hostname":"tdrive-backend","name":"TdriveApp","request_id":"req-bkk","msg":"Got 200 error on request req-bkk : "}"#;
        let record = decode_line(LogFormat::JsonLines, line.as_bytes(), None);
        assert_eq!(
            record.ts.map(|t| t.to_string()).as_deref(),
            Some("2025-03-08T18:47:07.127Z")
        );
        assert_eq!(
            (record.priority, record.label.as_deref()),
            (Some(3), Some("TdriveApp"))
        );
        assert!(
            record
                .message
                .starts_with(b"Got 200 error on request req-bkk : ")
        );
        // https://github.com/pinojs/pino/issues/1875 (pino's numeric level, no `msg`: the
        // message is the other fields)
        let line = r#"{"level":50,"time":1704439345847,"pid":72737,"hostname":"ip-192-168-1-34.ap-south-1.compute.internal","context":"OfflineVerticalService","type":"Error","log":{"message":"Error occurred while getting vertical","metadata":{"error":{}}}}"#;
        assert!(looks_like_json_lines(line.as_bytes()));
        assert_eq!(
            decoded(LogFormat::JsonLines, line),
            (
                Some("2024-01-05T07:22:25.847Z".into()),
                Some(3),
                None,
                r#"context=OfflineVerticalService hostname=ip-192-168-1-34.ap-south-1.compute.internal log={"message":"Error occurred while getting vertical","metadata":{"error":{}}} pid=72737 type=Error"#.into()
            )
        );
        // A JSON object that is no log record is searched as it is.
        assert_eq!(decoded(LogFormat::JsonLines, r#"{"a":1}"#).3, r#"{"a":1}"#);
        assert_eq!(priority_of_level(&serde_json::json!(50)), Some(3));
        assert_eq!(priority_of_level(&serde_json::json!(30)), Some(6));
        // zap's `ts` in seconds.
        assert_eq!(
            time_of(&serde_json::json!(1700000000.5)).map(|t| t.to_string()),
            Some("2023-11-14T22:13:20.5Z".into())
        );
    }

    fn logfmt(line: &str) -> (Option<String>, Option<u8>, bool) {
        let v = logfmt_view(line.as_bytes()).unwrap();
        (
            v.ts.map(|t| t.to_string()),
            v.priority,
            v.message == line.as_bytes(),
        )
    }

    #[test]
    fn logfmt_lines() {
        // https://github.com/grafana/prometheus-alertmanager/pull/107 (one line in the log)
        let line = r#"ts=2025-04-17T08:43:39.183Z caller=dispatch.go:393 level=error component=dispatcher pipeline_time=2025-04-17T10:43:23.181754542+02:00 msg="Notify for alerts failed" num_alerts=1 err="webhook-parent/webhook[0]: notify retry canceled after 8 attempts: Post \"<redacted>\": dial tcp [::1]:15000: connect: connection refused""#;
        assert_eq!(crate::parse::sniff(line.as_bytes()), LogFormat::Logfmt);
        assert_eq!(
            logfmt(line),
            (Some("2025-04-17T08:43:39.183Z".into()), Some(3), true)
        );
        // https://github.com/docker-library/docker/issues/224 (logrus, quoted time)
        let line = r#"time="2020-04-10T14:04:50.847895963Z" level=info msg="stopping event stream following graceful shutdown" error="context canceled" module=libcontainerd namespace=moby"#;
        assert_eq!(
            logfmt(line),
            (Some("2020-04-10T14:04:50.847895963Z".into()), Some(6), true)
        );
        // https://github.com/prometheus/alertmanager/pull/3683 (a warning, `\"` inside)
        let line = r#"ts=2024-01-26T11:18:04.116Z caller=parse.go:222 level=warn msg="Alertmanager is moving to a new parser for labels and matchers, and this input is incompatible." input="foo=" origin=config suggestion="foo=\"\"""#;
        assert_eq!(logfmt(line).1, Some(4));
        let pairs = logfmt_pairs(line.as_bytes());
        let suggestion = pairs.iter().find(|p| p.key == "suggestion").unwrap();
        assert_eq!(&suggestion.value[..], br#"foo="""#);
        // Lines that only look alike.
        assert!(!looks_like_logfmt(b"a=b plain words"));
        assert!(!looks_like_logfmt(b"msg: not logfmt"));
        assert!(!looks_like_logfmt(b""));
        assert!(!looks_like_logfmt(b"=x"));
    }

    #[test]
    fn a_long_line_cut_by_docker_is_put_back_together() {
        // Docker's json-file driver cuts lines at 16 KiB: the parts lack the trailing \n.
        let long = "x".repeat(16 * 1024);
        let text = format!(
            "{}\n{}\n{}\n",
            serde_json::json!({"log": long, "stream": "stderr", "time": "2026-11-28T14:03:05Z"}),
            serde_json::json!({"log": "tail: Out of memory\n", "stream": "stderr", "time": "2026-11-28T14:03:05.1Z"}),
            serde_json::json!({"log": "next\n", "stream": "stdout", "time": "2026-11-28T14:03:06Z"}),
        );
        let mut seen = Vec::new();
        for_each_record(
            LogFormat::DockerJson,
            &mut text.as_bytes(),
            None,
            |line, r| {
                seen.push((line, r.message.len(), r.ts.map(|t| t.to_string())));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (
                    1,
                    long.len() + "tail: Out of memory".len(),
                    Some("2026-11-28T14:03:05Z".into())
                ),
                (3, 4, Some("2026-11-28T14:03:06Z".into())),
            ]
        );
    }

    #[test]
    fn records_are_read_line_by_line() {
        let text = b"{\"log\":\"one\\n\",\"stream\":\"stdout\",\"time\":\"2026-11-28T14:03:05Z\"}\nnot json\n";
        let mut seen = Vec::new();
        let stats = for_each_record(
            LogFormat::DockerJson,
            &mut &text[..],
            Some(&Arc::from("web")),
            |line, record| {
                seen.push((line, record.label.clone(), record.message));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(stats.lines, 2);
        assert_eq!(
            seen,
            vec![
                (1, Some(Arc::from("web")), b"one".to_vec()),
                (2, None, b"not json".to_vec())
            ]
        );
    }
}
