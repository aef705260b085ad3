//! Text formats that are a program's own log (Apache's error log, MySQL's and MariaDB's error
//! log) and what `systemctl status` prints. A program's own line is its own message, as for
//! nginx: the regexes see the whole line, the same text they see when the line arrives
//! through `docker logs`. What these parsers add is the line's time and level.

use super::{LogLine, time};

/// syslog priority (0 emerg … 7 debug) of a level word as Apache, nginx and others print it.
fn priority_of(level: &[u8]) -> Option<u8> {
    Some(match level {
        b"emerg" => 0,
        b"alert" => 1,
        b"crit" => 2,
        b"error" => 3,
        b"warn" => 4,
        b"notice" => 5,
        b"info" => 6,
        b"debug" => 7,
        // mod_rewrite and friends log at trace1 … trace8.
        t if t.starts_with(b"trace") => 7,
        _ => return None,
    })
}

/// `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] … msg` (2.4)
/// or `[Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] msg` (2.2).
pub fn apache_error(line: &[u8]) -> Option<LogLine<'_>> {
    let rest = line.strip_prefix(b"[")?;
    let (ts, used) = time::apache(rest)?;
    let rest = rest.get(used..)?.strip_prefix(b"] [")?;
    let close = memchr::memchr(b']', rest)?;
    // `module:level` in 2.4, `level` in 2.2.
    let tag = &rest[..close];
    let level = match memchr::memchr(b':', tag) {
        Some(colon) => &tag[colon + 1..],
        None => tag,
    };
    let priority = priority_of(level)?;
    Some(LogLine {
        ts: Some(ts),
        label: None,
        stream: None,
        priority: Some(priority),
        message: line,
    })
}

/// MySQL 5.7 and 8 (`2024-03-25T14:56:30.073888Z 0 [ERROR] [MY-010273] [Server] …`), MariaDB
/// (`2022-08-14  6:06:07 0 [ERROR] …`, `2016-10-11 19:28:44 139966758561728 [Note] …`): a
/// time, a thread id, a level in brackets.
pub fn mysql_error(line: &[u8]) -> Option<LogLine<'_>> {
    let (ts, used) = match time::iso(line) {
        Some((ts, used, _)) => (ts, used),
        None => time::mariadb(line)?,
    };
    let rest = line.get(used..)?.strip_prefix(b" ")?;
    let thread_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if thread_len == 0 {
        return None;
    }
    let rest = rest[thread_len..].strip_prefix(b" [")?;
    let close = memchr::memchr(b']', rest)?;
    let priority = match &rest[..close] {
        b"ERROR" => 3,
        b"Warning" => 4,
        b"System" => 5,
        b"Note" => 6,
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

/// The state marks `systemctl status` puts before a unit's name: active, inactive, failed,
/// reloading; `*` where the terminal cannot show them.
const UNIT_MARKS: [&str; 5] = ["●", "○", "×", "↻", "*"];

/// The unit a `systemctl status` header line names: `● nginx.service - A high performance …`.
fn unit_header(line: &[u8]) -> Option<(&[u8], &[u8])> {
    // Every mark starts with one of these bytes: most lines are turned away here.
    if !matches!(line.first(), Some(0xe2 | 0xc3 | b'*')) {
        return None;
    }
    let head = &line[..line.len().min(512)];
    let text = std::str::from_utf8(head)
        .or_else(|err| std::str::from_utf8(&head[..err.valid_up_to()]))
        .ok();
    let text = text?;
    let rest = UNIT_MARKS
        .iter()
        .find_map(|mark| text.strip_prefix(mark)?.strip_prefix(' '))?;
    let after_mark = text.len() - rest.len();
    let name_len = rest
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || b"@:._-\\".contains(&b))
        .count();
    let name = &rest.as_bytes()[..name_len];
    let suffix = name.iter().rposition(|&b| b == b'.')?;
    let known = [
        &b"service"[..],
        b"socket",
        b"timer",
        b"mount",
        b"target",
        b"path",
        b"scope",
        b"slice",
        b"device",
        b"swap",
        b"automount",
    ];
    if !known.contains(&&name[suffix + 1..]) {
        return None;
    }
    let after = &rest.as_bytes()[name_len..];
    if !(after.is_empty() || after.starts_with(b" - ")) {
        return None;
    }
    Some((name, &line[after_mark..]))
}

/// Whether `line` is the first line `systemctl status` prints for a unit.
pub fn is_systemctl_unit_header(line: &[u8]) -> bool {
    unit_header(line).is_some()
}

/// A line of `systemctl status`'s header block: the unit's line (labelled with the unit),
/// an indented `Key: value` line, a line of the CGroup's process tree. The message is the
/// text without the mark or the indentation, so `^Active: failed` means what it says. The
/// `Active:` line carries the time of the state change when it is printed in UTC. The
/// journal lines under the block are syslog lines, read as such by the caller.
pub fn systemctl_status(line: &[u8]) -> Option<LogLine<'_>> {
    if let Some((unit, message)) = unit_header(line) {
        return Some(LogLine {
            ts: None,
            label: Some(String::from_utf8_lossy(unit)),
            stream: None,
            priority: None,
            message,
        });
    }
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    if indent == 0 {
        return None;
    }
    let body = &line[indent..];
    let is_tree = ["├─", "└─", "│"]
        .iter()
        .any(|mark| body.starts_with(mark.as_bytes()));
    let key_len = body
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
        .count();
    let is_key = key_len > 0
        && body[0].is_ascii_uppercase()
        && body.get(key_len..key_len + 2) == Some(b": ");
    if !(is_tree || is_key) {
        return None;
    }
    let ts = body
        .strip_prefix(b"Active: ")
        .and_then(|active| memchr::memmem::find(active, b" since ").map(|i| &active[i + 7..]))
        .and_then(since_utc);
    Some(LogLine {
        ts,
        label: None,
        stream: None,
        priority: None,
        message: body,
    })
}

/// `Mon 2023-04-03 22:40:14 UTC; 33s ago` → the instant, when the zone is UTC (an
/// abbreviation such as `CET` names no offset that can be trusted, so it gives no time).
fn since_utc(text: &[u8]) -> Option<jiff::Timestamp> {
    let date = text.get(4..)?;
    let (ts, used, _) = time::iso(date)?;
    matches!(date.get(used..used + 4), Some(b" UTC" | b" GMT")).then_some(ts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{LogFormat, parse_line, sniff};

    /// (time, priority, label, message) of a line read in `format`.
    fn read(format: LogFormat, line: &str) -> (Option<String>, Option<u8>, Option<String>, String) {
        let v = parse_line(format, line.as_bytes(), 2026);
        (
            v.ts.map(|t| t.to_string()),
            v.priority,
            v.label.map(|l| l.into_owned()),
            String::from_utf8_lossy(v.message).into_owned(),
        )
    }

    #[test]
    fn apache_error_log_2_4_and_2_2() {
        // https://score915.com/error_001 (a site's own error log, 2.4)
        let line = "[Thu Apr 24 01:47:26.733927 2025] [core:error] [pid 83507] [client 192.71.3.222:0] AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace., referer: http://example.com/robots.txt";
        assert_eq!(sniff(line.as_bytes()), LogFormat::ApacheError);
        assert_eq!(
            read(LogFormat::ApacheError, line),
            (
                Some("2025-04-24T01:47:26.733927Z".into()),
                Some(3),
                None,
                line.into()
            )
        );
        // https://github.com/bitnami/vms/issues/1094 (threaded MPM: pid and tid)
        let line = "[Sun Aug 13 03:33:55.333434 2023] [autoindex:error] [pid 29124:tid 140661328086784] [client 10.0.0.1:1986] AH01276: Cannot serve directory /opt/bitnami/wordpress/wp-admin/css/: No matching DirectoryIndex (index.html,index.html,index.htm,index.php) found, and server-generated directory index forbidden by Options directive, referer: binance.com";
        assert_eq!(
            read(LogFormat::ApacheError, line).0.as_deref(),
            Some("2023-08-13T03:33:55.333434Z")
        );
        // Apache 2.2: no module, no microseconds (the layout of httpd 2.2's docs,
        // https://httpd.apache.org/docs/2.2/logs.html#errorlog).
        let line = "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration: /export/home/live/ap/htdocs/test";
        assert_eq!(
            read(LogFormat::ApacheError, line),
            (
                Some("2000-10-11T14:32:52Z".into()),
                Some(3),
                None,
                line.into()
            )
        );
        assert_eq!(sniff(line.as_bytes()), LogFormat::ApacheError);
        // A bracketed line that is not Apache's.
        assert!(apache_error(b"[Wed Oct 11 14:32:52 2000] [nonsense] x").is_none());
    }

    #[test]
    fn mysql_and_mariadb_error_logs() {
        // https://github.com/TablePlus/DBngin/issues/141 (MySQL 8.0.33)
        let line = "2024-03-25T14:56:30.073888Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /tmp.mysql.sock.lock.";
        assert_eq!(sniff(line.as_bytes()), LogFormat::MySqlError);
        assert_eq!(
            read(LogFormat::MySqlError, line),
            (
                Some("2024-03-25T14:56:30.073888Z".into()),
                Some(3),
                None,
                line.into()
            )
        );
        // https://github.com/docker-library/mysql/issues/488 (MySQL 5.7)
        let line = "2018-09-07T11:25:29.698654Z 0 [ERROR] Unix socket lock file is empty /var/run/mysqld/mysqld.sock.lock.";
        assert_eq!(read(LogFormat::MySqlError, line).1, Some(3));
        // https://github.com/docker-library/mysql/issues/162 (MySQL 5.7, a warning)
        let line = "2016-04-16T08:29:13.993649Z 0 [Warning] Setting lower_case_table_names=2 because file system for /var/lib/mysql/ is case insensitive";
        assert_eq!(read(LogFormat::MySqlError, line).1, Some(4));
        // https://github.com/bitnami/vms/issues/241 (MariaDB: the hour padded with a space)
        let line = "2022-08-14  6:06:07 0 [ERROR] Plugin 'InnoDB' init function returned error.";
        assert_eq!(sniff(line.as_bytes()), LogFormat::MySqlError);
        assert_eq!(
            read(LogFormat::MySqlError, line),
            (
                Some("2022-08-14T06:06:07Z".into()),
                Some(3),
                None,
                line.into()
            )
        );
        // https://github.com/laradock/laradock/issues/93 (MariaDB 10.1: a long thread id)
        let line = "2016-10-11 19:28:44 139966758561728 [Note] InnoDB: Using Linux native AIO";
        assert_eq!(
            read(LogFormat::MySqlError, line).0.as_deref(),
            Some("2016-10-11T19:28:44Z")
        );
        // Docker's own line around a MySQL line is still Docker's.
        let docker = "2026-11-28T14:03:05.5Z 2024-03-25T14:56:30.073888Z 0 [ERROR] [MY-010119] [Server] Aborting";
        assert_eq!(sniff(docker.as_bytes()), LogFormat::Docker);
        // The entrypoint's lines are not the server's.
        assert!(
            mysql_error(b"2021-04-06 09:54:04+00:00 [Note] [Entrypoint]: Initializing").is_none()
        );
    }

    #[test]
    fn systemctl_status_block() {
        // https://github.com/WWBN/AVideo/issues/9819 and
        // https://github.com/binary-person/womginx/issues/141
        let text = "× nginx.service - A high performance web server and a reverse proxy server
     Loaded: loaded (/lib/systemd/system/nginx.service; enabled; vendor preset: enabled)
     Active: failed (Result: exit-code) since Thu 2023-01-19 14:29:15 UTC; 10s ago
       Docs: man:nginx(8)
    Process: 12164 ExecStartPre=/usr/sbin/nginx -t -q -g daemon on; master_process on; (code=exited, status=1/FAILURE)
        CPU: 11ms

Jan 19 14:29:15 womginx systemd[1]: Starting A high performance web server and a reverse proxy server...
Jan 19 14:29:15 womginx nginx[12164]: nginx: [emerg] getpwnam(\"nginx\") failed in /etc/nginx/nginx.conf:1";
        let lines: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
        assert_eq!(
            crate::parse::detect(lines.iter().copied()),
            LogFormat::SystemctlStatus
        );
        let read_all: Vec<_> = text
            .lines()
            .map(|l| read(LogFormat::SystemctlStatus, l))
            .collect();
        assert_eq!(read_all[0].2.as_deref(), Some("nginx.service"));
        assert_eq!(
            read_all[0].3,
            "nginx.service - A high performance web server and a reverse proxy server"
        );
        assert!(read_all[1].3.starts_with("Loaded: loaded ("));
        assert_eq!(
            (read_all[2].0.as_deref(), read_all[2].3.as_str()),
            (
                Some("2023-01-19T14:29:15Z"),
                "Active: failed (Result: exit-code) since Thu 2023-01-19 14:29:15 UTC; 10s ago"
            )
        );
        assert!(read_all[4].3.starts_with("Process: 12164 ExecStartPre="));
        // The journal excerpt: syslog lines, matched on their message.
        assert_eq!(
            (
                read_all[8].0.as_deref(),
                read_all[8].2.as_deref(),
                read_all[8].3.as_str()
            ),
            (
                Some("2026-01-19T14:29:15Z"),
                Some("nginx"),
                "nginx: [emerg] getpwnam(\"nginx\") failed in /etc/nginx/nginx.conf:1"
            )
        );
        // Older systemd (no mark left after a copy) and a CGroup tree line.
        // https://github.com/phusion/passenger/issues/2289
        let v = read(
            LogFormat::SystemctlStatus,
            "   Active: failed (Result: exit-code) since Sat 2020-06-27 22:40:37 UTC; 8s ago",
        );
        assert_eq!(v.0.as_deref(), Some("2020-06-27T22:40:37Z"));
        // https://github.com/iic2173/2019-02/issues/22
        let v = read(
            LogFormat::SystemctlStatus,
            "           ├─15144 nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
        );
        assert!(v.3.starts_with("├─15144 nginx: master"));
        // A zone named by an abbreviation gives no time rather than a wrong one.
        // https://github.com/JsBergbau/BaikalAnleitung/issues/6
        let v = read(
            LogFormat::SystemctlStatus,
            "   Active: failed (Result: exit-code) since Fri 2021-01-08 13:46:17 CET; 1min 13s ago",
        );
        assert_eq!(v.0, None);
        assert!(!is_systemctl_unit_header(b"* not a unit"));
        assert!(!is_systemctl_unit_header(b"\xe2\x97\x8f"));
        // A long header line is read whole, its message from after the mark.
        let long = format!("● x.service - {}", "d".repeat(600));
        let v = read(LogFormat::SystemctlStatus, &long);
        assert_eq!(v.3.len(), long.len() - "● ".len());
    }
}
