//! Log formats: what a line says besides its message — when, from where, on which stream.
//!
//! Text formats are parsed lazily from the raw line ([`parse_line`] borrows it), so a viewer
//! can keep raw bytes and parse only what it shows. The journal's structured outputs
//! (`-o json`, `-o export`) carry the message in a field and are decoded into owned
//! [`LogLine`]s by [`journal`].

pub mod journal;
pub mod record;
pub mod text;
pub mod time;

use std::{borrow::Cow, fmt, str::FromStr};

use jiff::Timestamp;

/// A log format triage recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogFormat {
    /// Anything else: the line is the message; a leading timestamp is still picked up.
    Plain,
    /// `docker logs -t`: an RFC 3339 nano UTC timestamp, a space, the message.
    Docker,
    /// `docker compose logs [-t]`: `service  | [timestamp ]message`.
    Compose,
    /// `journalctl -o short` and classic syslog files: `Nov 28 14:03:05 host ident[pid]: msg`.
    Short,
    /// `journalctl -o short-precise`: as `short`, with microseconds.
    ShortPrecise,
    /// `journalctl -o short-iso[-precise]`, and rsyslog's RFC 3339 files:
    /// `2026-11-28T14:03:05+0000 host ident[pid]: msg`.
    ShortIso,
    /// `journalctl -o json`: one JSON object per line.
    JournalJson,
    /// `journalctl -o export`: `FIELD=value` lines, a blank line between entries.
    JournalExport,
    /// nginx `combined`/`common` access log.
    NginxAccess,
    /// nginx error log: `2026/11/28 14:03:05 [error] 29#29: *1 msg`.
    NginxError,
    /// Docker's json-file log driver on disk (`/var/lib/docker/containers/ID/ID-json.log`):
    /// `{"log":"msg\n","stream":"stderr","time":"…"}` per line.
    DockerJson,
    /// An application's JSON lines: `{"time":…,"level":"error","msg":"…",…}` (pino, zap,
    /// bunyan, structlog, logrus's JSON formatter …).
    JsonLines,
    /// logfmt: `ts=… level=error msg="…" key=value …` (go-kit, logrus's text formatter,
    /// Prometheus, dockerd …): time and level read off the line, which is its own message.
    Logfmt,
    /// Apache httpd's error log: `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1] …`.
    ApacheError,
    /// MySQL's and MariaDB's own error log file: `2024-01-01T10:00:00.123456Z 0 [ERROR] …`,
    /// `2024-01-01 10:00:00 0 [ERROR] …`.
    MySqlError,
    /// What `systemctl status` prints: the unit's header block, then journal lines.
    SystemctlStatus,
}

impl LogFormat {
    pub const ALL: [LogFormat; 16] = [
        LogFormat::Plain,
        LogFormat::Docker,
        LogFormat::Compose,
        LogFormat::Short,
        LogFormat::ShortPrecise,
        LogFormat::ShortIso,
        LogFormat::JournalJson,
        LogFormat::JournalExport,
        LogFormat::NginxAccess,
        LogFormat::NginxError,
        LogFormat::DockerJson,
        LogFormat::JsonLines,
        LogFormat::Logfmt,
        LogFormat::ApacheError,
        LogFormat::MySqlError,
        LogFormat::SystemctlStatus,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Plain => "plain",
            LogFormat::Docker => "docker",
            LogFormat::Compose => "compose",
            LogFormat::Short => "short",
            LogFormat::ShortPrecise => "short-precise",
            LogFormat::ShortIso => "short-iso",
            LogFormat::JournalJson => "json",
            LogFormat::JournalExport => "export",
            LogFormat::NginxAccess => "nginx-access",
            LogFormat::NginxError => "nginx-error",
            LogFormat::DockerJson => "docker-json",
            LogFormat::JsonLines => "json-lines",
            LogFormat::Logfmt => "logfmt",
            LogFormat::ApacheError => "apache-error",
            LogFormat::MySqlError => "mysql",
            LogFormat::SystemctlStatus => "systemctl-status",
        }
    }

    /// Entries are records whose message is a field (decoded, unescaped), rather than text
    /// lines read as they are: see [`record`].
    pub fn is_structured(self) -> bool {
        matches!(
            self,
            LogFormat::JournalJson
                | LogFormat::JournalExport
                | LogFormat::DockerJson
                | LogFormat::JsonLines
        )
    }

    /// Logs a container (or the program it runs) writes, as opposed to the host's journal,
    /// syslog or systemd.
    pub fn is_container_log(self) -> bool {
        matches!(
            self,
            LogFormat::Docker
                | LogFormat::Compose
                | LogFormat::NginxAccess
                | LogFormat::NginxError
                | LogFormat::DockerJson
                | LogFormat::JsonLines
                | LogFormat::Logfmt
                | LogFormat::ApacheError
                | LogFormat::MySqlError
        )
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for LogFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let alias = match s {
            "syslog" => "short",
            "journal" | "journal-json" => "json",
            "short-iso-precise" | "rfc3339" => "short-iso",
            "journal-export" => "export",
            "docker-compose" => "compose",
            // Apache's `combined`/`common` access log is nginx's.
            "apache-access" | "access" | "combined" => "nginx-access",
            "json-file" | "docker-json-file" => "docker-json",
            "ndjson" | "app-json" => "json-lines",
            "mariadb" | "mysql-error" => "mysql",
            "systemctl" => "systemctl-status",
            other => other,
        };
        LogFormat::ALL
            .into_iter()
            .find(|f| f.name() == alias)
            .ok_or_else(|| {
                let names: Vec<_> = LogFormat::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown log format `{s}` (known: {}, syslog, apache-access)",
                    names.join(", ")
                )
            })
    }
}

/// Which output stream of a container a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A log line, parsed: when, from where (container, compose service, unit, identifier), on
/// which stream, and its message; borrowed from the raw line, which stays the unit of storage
/// and matching. (Where the line came from, a file or a live source, the caller knows.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub ts: Option<Timestamp>,
    /// The container, compose service, unit or syslog identifier that wrote it.
    pub label: Option<Cow<'a, str>>,
    pub stream: Option<Stream>,
    /// syslog priority (0 emerg … 7 debug), where the format carries one.
    pub priority: Option<u8>,
    /// The message without the format's prefix.
    pub message: &'a [u8],
}

/// Parse one text line (without its line terminator) in `format`. A line that does not fit
/// the format (a mixed file) is parsed as whatever it looks like. `year` completes dates
/// printed without one.
pub fn parse_line(format: LogFormat, line: &[u8], year: i16) -> LogLine<'_> {
    parse_as(format, line, year)
        .or_else(|| {
            let sniffed = sniff(line);
            (sniffed != format)
                .then(|| parse_as(sniffed, line, year))
                .flatten()
        })
        .unwrap_or_else(|| plain(line, year))
}

fn parse_as(format: LogFormat, line: &[u8], year: i16) -> Option<LogLine<'_>> {
    match format {
        // Structured formats are decoded into fields before they get here; a raw line of
        // one (a pasted example, a line that is not a record) is its own message.
        LogFormat::Plain
        | LogFormat::JournalJson
        | LogFormat::JournalExport
        | LogFormat::DockerJson
        | LogFormat::JsonLines => Some(plain(line, year)),
        LogFormat::Logfmt => record::logfmt_view(line),
        LogFormat::Docker => docker(line, year),
        LogFormat::Compose => compose(line, year),
        LogFormat::Short | LogFormat::ShortPrecise | LogFormat::ShortIso => syslog(line, year),
        LogFormat::NginxAccess => nginx_access(line),
        LogFormat::NginxError => nginx_error(line),
        LogFormat::ApacheError => text::apache_error(line),
        LogFormat::MySqlError => text::mysql_error(line),
        LogFormat::SystemctlStatus => text::systemctl_status(line).or_else(|| syslog(line, year)),
    }
}

fn plain(line: &[u8], year: i16) -> LogLine<'_> {
    LogLine {
        ts: time::leading(line, year),
        label: None,
        stream: None,
        priority: None,
        message: line,
    }
}

fn docker(line: &[u8], year: i16) -> Option<LogLine<'_>> {
    // Docker always prints UTC as `Z`; the journal's ISO forms print `+0000`/`+00:00`.
    let (ts, used, _) = time::iso(line)?;
    if line.get(10) != Some(&b'T') || line.get(used - 1) != Some(&b'Z') {
        return None;
    }
    let message = match line.get(used) {
        Some(b' ') => &line[used + 1..],
        None => &line[line.len()..],
        Some(_) => return None,
    };
    Some(LogLine {
        ts: Some(ts),
        message,
        ..plain(message, year)
    })
}

/// `name  | rest`: the name is a compose service or container name.
fn compose(line: &[u8], year: i16) -> Option<LogLine<'_>> {
    let name_len = line
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    if name_len == 0 {
        return None;
    }
    let after_name = &line[name_len..];
    let spaces = after_name.iter().take_while(|&&b| b == b' ').count();
    let rest = after_name[spaces..].strip_prefix(b"|")?;
    if spaces == 0 {
        return None;
    }
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let label = Some(String::from_utf8_lossy(&line[..name_len]));
    let view = docker(rest, year).unwrap_or_else(|| plain(rest, year));
    Some(LogLine { label, ..view })
}

/// How far back [`parse_in_context`] looks for the line a continuation belongs to.
pub(crate) const CONTEXT_LINES: usize = 64;

/// Parse the line at `line` (a range of `buf`, without its terminator). A continuation line
/// (a traceback frame, the indented second line of a journal entry) carries no time or source
/// of its own: it takes them from the nearest line before it in `buf` that has them.
pub fn parse_in_context<'a>(
    format: LogFormat,
    buf: &'a [u8],
    line: std::ops::Range<usize>,
    year: i16,
) -> LogLine<'a> {
    let mut view = parse_line(format, &buf[line.clone()], year);
    if view.ts.is_some() {
        return view;
    }
    let mut end = line.start;
    for _ in 0..CONTEXT_LINES {
        if end == 0 {
            break;
        }
        let prev_end = end - 1;
        let start = memchr::memrchr(b'\n', &buf[..prev_end]).map_or(0, |i| i + 1);
        let prev = &buf[start..prev_end];
        let prev = prev.strip_suffix(b"\r").unwrap_or(prev);
        let before = parse_line(format, prev, year);
        if before.ts.is_some() {
            view.ts = before.ts;
            if view.label.is_none() {
                view.label = before.label;
            }
            break;
        }
        end = start;
    }
    view
}

/// `[<PRI>]TIMESTAMP HOST IDENT[PID]: MESSAGE` with a classic or an ISO timestamp.
fn syslog(line: &[u8], year: i16) -> Option<LogLine<'_>> {
    let (priority, body) = match line.strip_prefix(b"<") {
        Some(rest) => {
            let end = rest.iter().position(|&b| b == b'>')?;
            let pri: u16 = std::str::from_utf8(&rest[..end]).ok()?.parse().ok()?;
            (Some((pri % 8) as u8), &rest[end + 1..])
        }
        None => (None, line),
    };
    // RFC 3339 as journalctl and rsyslog print it has a `T`; `2026-11-28 14:03:05+00:00 [ERROR]`
    // is a program's own line (MySQL's entrypoint), not syslog.
    let (ts, used) = match time::iso(body) {
        Some((ts, used, true)) if body.get(10) == Some(&b'T') => (ts, used),
        _ => time::bsd(body, year)?,
    };
    let rest = body.get(used..)?.strip_prefix(b" ")?;
    let host_len = rest.iter().position(|&b| b == b' ')?;
    if host_len == 0 || rest[0] == b'[' {
        return None;
    }
    let rest = &rest[host_len + 1..];
    // The identifier runs to `[pid]: ` or `: `; it has no spaces in practice.
    let colon = memchr::memmem::find(rest, b": ")
        .or_else(|| rest.ends_with(b":").then(|| rest.len() - 1))?;
    let tag = &rest[..colon];
    if tag.is_empty() || tag.contains(&b' ') || tag[0] == b'[' {
        return None;
    }
    let ident = match tag.iter().position(|&b| b == b'[') {
        Some(open) if tag.ends_with(b"]") => &tag[..open],
        _ => tag,
    };
    // An empty message sits at the line's end (a static `&[]` would be no part of the line,
    // and its offset in it would be read as 0: the whole line).
    let message = rest.get(colon + 2..).unwrap_or(&rest[rest.len()..]);
    Some(LogLine {
        ts: Some(ts),
        label: Some(String::from_utf8_lossy(ident)),
        stream: None,
        priority,
        message,
    })
}

/// `addr ident user [28/Nov/2026:14:03:05 +0000] "request" status bytes …`
fn nginx_access(line: &[u8]) -> Option<LogLine<'_>> {
    let open = memchr::memchr(b'[', line.get(..80.min(line.len()))?)?;
    if open == 0 || line[open - 1] != b' ' {
        return None;
    }
    let (ts, used) = time::clf(&line[open + 1..])?;
    if line.get(open + 1 + used) != Some(&b']') {
        return None;
    }
    if line.get(open + 2 + used..open + 4 + used) != Some(b" \"") {
        return None;
    }
    Some(LogLine {
        ts: Some(ts),
        label: None,
        stream: None,
        priority: None,
        message: line,
    })
}

/// `2026/11/28 14:03:05 [error] 29#29: *4711 message`
fn nginx_error(line: &[u8]) -> Option<LogLine<'_>> {
    let (ts, used) = time::slashed(line)?;
    let rest = line.get(used..)?.strip_prefix(b" [")?;
    let close = memchr::memchr(b']', rest)?;
    let priority = match &rest[..close] {
        b"emerg" => 0,
        b"alert" => 1,
        b"crit" => 2,
        b"error" => 3,
        b"warn" => 4,
        b"notice" => 5,
        b"info" => 6,
        b"debug" => 7,
        _ => return None,
    };
    Some(LogLine {
        ts: Some(ts),
        label: None,
        stream: None,
        priority: Some(priority),
        message: line,
    })
}

/// The format a single line looks like, most specific first.
pub fn sniff(line: &[u8]) -> LogFormat {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.starts_with(b"{") {
        if memchr::memmem::find(line, b"\"__REALTIME_TIMESTAMP\"").is_some() {
            return LogFormat::JournalJson;
        }
        if record::looks_like_docker_json(line) {
            return LogFormat::DockerJson;
        }
        if record::looks_like_json_lines(line) {
            return LogFormat::JsonLines;
        }
    }
    if line.starts_with(b"__CURSOR=") || line.starts_with(b"__REALTIME_TIMESTAMP=") {
        return LogFormat::JournalExport;
    }
    // Before docker: MySQL 8 starts its lines with a time Docker would print the same way.
    if text::mysql_error(line).is_some() {
        return LogFormat::MySqlError;
    }
    if text::apache_error(line).is_some() {
        return LogFormat::ApacheError;
    }
    if text::is_systemctl_unit_header(line) {
        return LogFormat::SystemctlStatus;
    }
    if docker(line, 2000).is_some() {
        return LogFormat::Docker;
    }
    if nginx_error(line).is_some() {
        return LogFormat::NginxError;
    }
    if syslog(line, 2000).is_some() {
        let body = line.strip_prefix(b"<").map_or(line, |r| {
            r.iter().position(|&b| b == b'>').map_or(r, |i| &r[i + 1..])
        });
        return match time::iso(body) {
            Some(_) => LogFormat::ShortIso,
            None if body.get(15) == Some(&b'.') => LogFormat::ShortPrecise,
            None => LogFormat::Short,
        };
    }
    if nginx_access(line).is_some() {
        return LogFormat::NginxAccess;
    }
    if compose(line, 2000).is_some() {
        return LogFormat::Compose;
    }
    if record::looks_like_logfmt(line) {
        return LogFormat::Logfmt;
    }
    LogFormat::Plain
}

/// The format of a file, from its first lines: the one most of them fit. Plain if none fits.
pub fn detect<'a>(first_lines: impl IntoIterator<Item = &'a [u8]>) -> LogFormat {
    let mut counts = [0usize; LogFormat::ALL.len()];
    for line in first_lines
        .into_iter()
        .filter(|l| !l.trim_ascii().is_empty())
        .take(64)
    {
        let format = sniff(line);
        counts[LogFormat::ALL
            .iter()
            .position(|&f| f == format)
            .unwrap_or(0)] += 1;
        if matches!(
            format,
            LogFormat::JournalJson | LogFormat::JournalExport | LogFormat::SystemctlStatus
        ) {
            // One record is proof enough: other lines of an export are its fields, and the
            // lines under `systemctl status`'s header are journal lines.
            return format;
        }
    }
    let (best, &count) = counts
        .iter()
        .enumerate()
        .skip(1)
        .max_by_key(|&(i, &count)| (count, std::cmp::Reverse(i)))
        .expect("more than one format");
    if count == 0 {
        LogFormat::Plain
    } else {
        LogFormat::ALL[best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzz/fuzz_targets/text_formats.rs (a loghub Linux line cut after its `]:`): an
    /// empty message was a static `&[]`, no part of its line, so its offset read as 0 and
    /// the whole line stood for the message.
    #[test]
    fn an_empty_message_is_at_the_end_of_its_line() {
        for (format, line) in [
            (
                LogFormat::Short,
                &b"Jun 15 12:12:34 combo sshd(pam_unix)[23404]:"[..],
            ),
            (
                LogFormat::SystemctlStatus,
                b"Jun 15 12:12:34 combo sshd(pam_unix)[23404]:",
            ),
            (LogFormat::Docker, b"2026-11-28T14:03:05.123456789Z"),
        ] {
            let view = parse_line(format, line, 2026);
            assert_eq!(view.message, b"", "{format}");
            assert_eq!(
                crate::ingest::message_offset(line, &view),
                line.len(),
                "{format}"
            );
        }
    }

    fn view(format: LogFormat, line: &str) -> (Option<String>, Option<String>, String) {
        let v = parse_line(format, line.as_bytes(), 2026);
        (
            v.ts.map(|t| t.to_string()),
            v.label.map(|l| l.into_owned()),
            String::from_utf8_lossy(v.message).into_owned(),
        )
    }

    #[test]
    fn docker_timestamps() {
        assert_eq!(
            view(
                LogFormat::Docker,
                "2026-11-28T14:03:05.123456789Z hello world"
            ),
            (
                Some("2026-11-28T14:03:05.123456789Z".into()),
                None,
                "hello world".into()
            )
        );
    }

    #[test]
    fn compose_with_and_without_timestamps() {
        assert_eq!(
            view(
                LogFormat::Compose,
                "athena_eye_db  | 2026-11-28T14:03:05.5Z 2026-11-28T14:03:05.499Z 0 [System] x"
            ),
            (
                Some("2026-11-28T14:03:05.5Z".into()),
                Some("athena_eye_db".into()),
                "2026-11-28T14:03:05.499Z 0 [System] x".into()
            )
        );
        // Without -t the time comes from the message itself (a gunicorn line here).
        assert_eq!(
            view(
                LogFormat::Compose,
                "backend-1  | [2026-11-28 14:03:05 +0000] [1] [INFO] Booting"
            ),
            (
                Some("2026-11-28T14:03:05Z".into()),
                Some("backend-1".into()),
                "[2026-11-28 14:03:05 +0000] [1] [INFO] Booting".into()
            )
        );
    }

    #[test]
    fn journal_short_forms() {
        assert_eq!(
            view(
                LogFormat::ShortIso,
                "2026-11-28T14:03:05+0000 vm kernel: Out of memory"
            ),
            (
                Some("2026-11-28T14:03:05Z".into()),
                Some("kernel".into()),
                "Out of memory".into()
            )
        );
        assert_eq!(
            view(
                LogFormat::Short,
                "Nov 28 14:03:05 vm sshd[812]: Accepted publickey"
            ),
            (
                Some("2026-11-28T14:03:05Z".into()),
                Some("sshd".into()),
                "Accepted publickey".into()
            )
        );
        assert_eq!(
            view(
                LogFormat::ShortPrecise,
                "Nov 28 14:03:05.250001 vm systemd[1]: Started x."
            ),
            (
                Some("2026-11-28T14:03:05.250001Z".into()),
                Some("systemd".into()),
                "Started x.".into()
            )
        );
        assert_eq!(
            view(LogFormat::Short, "<30>Nov 28 14:03:05 vm app: hi"),
            (
                Some("2026-11-28T14:03:05Z".into()),
                Some("app".into()),
                "hi".into()
            )
        );
    }

    #[test]
    fn nginx_logs() {
        let access =
            r#"172.18.0.1 - - [28/Nov/2026:14:03:05 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8""#;
        assert_eq!(
            view(LogFormat::NginxAccess, access).0,
            Some("2026-11-28T14:03:05Z".into())
        );
        let error = "2026/11/28 14:03:05 [error] 29#29: *4711 connect() failed";
        let v = parse_line(LogFormat::NginxError, error.as_bytes(), 2026);
        assert_eq!(
            (v.ts.unwrap().to_string().as_str(), v.priority),
            ("2026-11-28T14:03:05Z", Some(3))
        );
    }

    #[test]
    fn a_line_that_does_not_fit_is_parsed_as_what_it_is() {
        let v = parse_line(LogFormat::Docker, b"Nov 28 14:03:05 vm kernel: x", 2026);
        assert_eq!(v.label.as_deref(), Some("kernel"));
        let v = parse_line(LogFormat::Docker, b"no time at all", 2026);
        assert_eq!((v.ts, v.message), (None, &b"no time at all"[..]));
    }

    #[test]
    fn detection_by_majority() {
        let lines: Vec<&[u8]> = vec![
            b"2026-11-28T14:03:05.1Z a",
            b"2026-11-28T14:03:06.1Z b",
            b"not a docker line",
        ];
        assert_eq!(detect(lines), LogFormat::Docker);
        assert_eq!(
            detect(vec![&b"db  | x"[..], b"web  | y"]),
            LogFormat::Compose
        );
        assert_eq!(detect(vec![&b"hello"[..]]), LogFormat::Plain);
        assert_eq!(detect(Vec::<&[u8]>::new()), LogFormat::Plain);
        assert_eq!(
            detect(vec![&b"__CURSOR=s=1"[..], b"MESSAGE=x"]),
            LogFormat::JournalExport
        );
    }
}
