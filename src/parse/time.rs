//! Timestamps as logs print them, parsed without allocation.
//!
//! Each parser reads a fixed layout at the start of a byte slice and returns the instant and
//! how many bytes it used. Times without a zone are taken as UTC (Docker, nginx and MySQL in
//! containers log in UTC unless told otherwise); times without a year (classic syslog) take
//! the year the caller supplies.

use jiff::{Timestamp, civil::DateTime, tz::Offset};

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let part = b.get(at..at + n)?;
    part.iter().try_fold(0i64, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
    })
}

fn byte_is(b: &[u8], at: usize, want: u8) -> bool {
    b.get(at) == Some(&want)
}

fn month(b: &[u8], at: usize) -> Option<i8> {
    let name = b.get(at..at + 3)?;
    MONTHS
        .iter()
        .position(|m| m.as_slice() == name)
        .map(|i| i as i8 + 1)
}

/// `.123456789` after the seconds: nanoseconds and bytes used (0 if there is no fraction).
fn fraction(b: &[u8], at: usize) -> (i32, usize) {
    if !matches!(b.get(at), Some(b'.' | b',')) {
        return (0, 0);
    }
    let mut nanos = 0i32;
    let mut count = 0;
    while let Some(&d) = b.get(at + 1 + count) {
        if !d.is_ascii_digit() {
            break;
        }
        if count < 9 {
            nanos = nanos * 10 + i32::from(d - b'0');
        }
        count += 1;
    }
    if count == 0 {
        return (0, 0);
    }
    for _ in count..9 {
        nanos *= 10;
    }
    (nanos, 1 + count)
}

/// `Z`, `+0000`, `+00:00`, `-0530` (optionally after one space): offset seconds, bytes used.
fn zone(b: &[u8], at: usize) -> Option<(i32, usize)> {
    let (at, space) = if byte_is(b, at, b' ') && matches!(b.get(at + 1), Some(b'+' | b'-')) {
        (at + 1, 1)
    } else {
        (at, 0)
    };
    match b.get(at)? {
        b'Z' => Some((0, 1)),
        sign @ (b'+' | b'-') => {
            let hours = digits(b, at + 1, 2)?;
            let (minutes, used) = if byte_is(b, at + 3, b':') {
                (digits(b, at + 4, 2)?, 6)
            } else {
                (digits(b, at + 3, 2)?, 5)
            };
            let seconds = (hours * 3600 + minutes * 60) as i32;
            Some((if *sign == b'-' { -seconds } else { seconds }, used + space))
        }
        _ => None,
    }
}

fn instant(
    (year, month, day): (i64, i8, i64),
    (hour, minute, second, nanos): (i64, i64, i64, i32),
    offset_seconds: i32,
) -> Option<Timestamp> {
    let datetime = DateTime::new(
        i16::try_from(year).ok()?,
        month,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        nanos,
    )
    .ok()?;
    Offset::from_seconds(offset_seconds)
        .ok()?
        .to_timestamp(datetime)
        .ok()
}

/// `2026-11-28T14:03:05.123456789Z`, `2026-11-28 14:03:05,123`, `2026-11-28T14:03:05+0000`,
/// `2026-11-28 14:03:05 +0000`. Returns the instant, the bytes used, and whether a zone was given.
pub fn iso(b: &[u8]) -> Option<(Timestamp, usize, bool)> {
    let year = digits(b, 0, 4)?;
    if !(byte_is(b, 4, b'-') && byte_is(b, 7, b'-') && matches!(b.get(10), Some(b'T' | b' '))) {
        return None;
    }
    let month = digits(b, 5, 2)? as i8;
    let day = digits(b, 8, 2)?;
    let (hour, minute, second) = clock(b, 11)?;
    let (nanos, frac_len) = fraction(b, 19);
    let (offset, zone_len) = zone(b, 19 + frac_len).unwrap_or((0, 0));
    let ts = instant((year, month, day), (hour, minute, second, nanos), offset)?;
    Some((ts, 19 + frac_len + zone_len, zone_len > 0))
}

/// `HH:MM:SS` at `at`.
fn clock(b: &[u8], at: usize) -> Option<(i64, i64, i64)> {
    if !(byte_is(b, at + 2, b':') && byte_is(b, at + 5, b':')) {
        return None;
    }
    Some((
        digits(b, at, 2)?,
        digits(b, at + 3, 2)?,
        digits(b, at + 6, 2)?,
    ))
}

/// Classic syslog and `journalctl -o short[-precise]`: `Nov 28 14:03:05[.123456]`, day
/// space-padded (`Nov  8`). The year is not printed; `year` supplies it.
pub fn bsd(b: &[u8], year: i16) -> Option<(Timestamp, usize)> {
    let month = month(b, 0)?;
    if !byte_is(b, 3, b' ') {
        return None;
    }
    let day = match (b.get(4)?, b.get(5)?) {
        (b' ', d) if d.is_ascii_digit() => i64::from(d - b'0'),
        _ => digits(b, 4, 2)?,
    };
    if !byte_is(b, 6, b' ') {
        return None;
    }
    let (hour, minute, second) = clock(b, 7)?;
    let (nanos, frac_len) = fraction(b, 15);
    let ts = instant(
        (i64::from(year), month, day),
        (hour, minute, second, nanos),
        0,
    )?;
    Some((ts, 15 + frac_len))
}

/// nginx error log: `2026/11/28 14:03:05`.
pub fn slashed(b: &[u8]) -> Option<(Timestamp, usize)> {
    if !(byte_is(b, 4, b'/') && byte_is(b, 7, b'/') && byte_is(b, 10, b' ')) {
        return None;
    }
    let (hour, minute, second) = clock(b, 11)?;
    let ts = instant(
        (digits(b, 0, 4)?, digits(b, 5, 2)? as i8, digits(b, 8, 2)?),
        (hour, minute, second, 0),
        0,
    )?;
    Some((ts, 19))
}

/// Common Log Format, as in nginx/Apache access logs: `28/Nov/2026:14:03:05 +0000`.
pub fn clf(b: &[u8]) -> Option<(Timestamp, usize)> {
    if !(byte_is(b, 2, b'/') && byte_is(b, 6, b'/') && byte_is(b, 11, b':')) {
        return None;
    }
    let (hour, minute, second) = clock(b, 12)?;
    let (offset, zone_len) = zone(b, 20)?;
    let ts = instant(
        (digits(b, 7, 4)?, month(b, 3)?, digits(b, 0, 2)?),
        (hour, minute, second, 0),
        offset,
    )?;
    Some((ts, 20 + zone_len))
}

/// Apache httpd's error log: `Wed Oct 11 14:32:52.123456 2000` (2.4, microseconds optional)
/// or `Wed Oct 11 14:32:52 2000` (2.2). Local time without a zone: taken as UTC, like the rest.
pub fn apache(b: &[u8]) -> Option<(Timestamp, usize)> {
    let weekday = b.get(..3)?;
    if !weekday.iter().all(u8::is_ascii_alphabetic) || !byte_is(b, 3, b' ') {
        return None;
    }
    let rest = &b[4..];
    // The year follows the clock: read the clock first with any year, then the year.
    let (_, used) = bsd(rest, 2000)?;
    if !byte_is(rest, used, b' ') {
        return None;
    }
    let year = digits(rest, used + 1, 4)?;
    let (ts, _) = bsd(rest, i16::try_from(year).ok()?)?;
    Some((ts, 4 + used + 5))
}

/// MariaDB's error log: `2022-08-14  6:06:07` (the hour padded with a space) or
/// `2022-08-14 16:06:07`. Local time without a zone: taken as UTC.
pub fn mariadb(b: &[u8]) -> Option<(Timestamp, usize)> {
    if !(byte_is(b, 4, b'-') && byte_is(b, 7, b'-') && byte_is(b, 10, b' ')) {
        return None;
    }
    let date = (digits(b, 0, 4)?, digits(b, 5, 2)? as i8, digits(b, 8, 2)?);
    let hour = match (b.get(11)?, b.get(12)?) {
        (b' ', d) if d.is_ascii_digit() => i64::from(d - b'0'),
        _ => digits(b, 11, 2)?,
    };
    if !(byte_is(b, 13, b':') && byte_is(b, 16, b':')) {
        return None;
    }
    let ts = instant(date, (hour, digits(b, 14, 2)?, digits(b, 17, 2)?, 0), 0)?;
    Some((ts, 19))
}

/// A timestamp at the start of a message, in any layout above, optionally in `[brackets]`
/// (gunicorn, Python logging, MySQL, nginx error logs all start lines with one).
pub fn leading(b: &[u8], year: i16) -> Option<Timestamp> {
    let b = b.strip_prefix(b"[").unwrap_or(b);
    iso(b)
        .map(|(ts, _, _)| ts)
        .or_else(|| slashed(b).map(|(ts, _)| ts))
        .or_else(|| clf(b).map(|(ts, _)| ts))
        .or_else(|| bsd(b, year).map(|(ts, _)| ts))
        .or_else(|| mariadb(b).map(|(ts, _)| ts))
        .or_else(|| apache(b).map(|(ts, _)| ts))
}

/// How many bytes at the start of `message` only repeat `ts`: the program's own timestamp
/// under the time the line already has (a container's `2026-11-27 10:06:22+00:00 [ERROR] …`
/// under Docker's 10:06:22), with the spaces after it. Equal to the second, in any layout
/// `leading` reads; 0 when the message starts otherwise or at another time.
pub fn repeated_len(message: &[u8], ts: Timestamp) -> usize {
    let lead = message
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let rest = &message[lead..];
    let (bracket, body) = match rest.strip_prefix(b"[") {
        Some(body) => (1, body),
        None => (0, rest),
    };
    let year = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).year();
    let Some((found, used)) = iso(body)
        .map(|(found, used, _)| (found, used))
        .or_else(|| slashed(body))
        .or_else(|| clf(body))
        .or_else(|| bsd(body, year))
    else {
        return 0;
    };
    if found.as_second() != ts.as_second() {
        return 0;
    }
    let mut end = lead + bracket + used;
    if bracket == 1 {
        if message.get(end) != Some(&b']') {
            return 0;
        }
        end += 1;
    }
    let spaces = message[end..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    // A timestamp glued to what follows is part of a word, not a prefix.
    if spaces == 0 && end < message.len() {
        return 0;
    }
    end + spaces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ts: Timestamp) -> String {
        ts.to_string()
    }

    #[test]
    fn iso_variants() {
        let (ts, used, zoned) = iso(b"2026-11-28T14:03:05.123456789Z rest").unwrap();
        assert_eq!(
            (s(ts).as_str(), used, zoned),
            ("2026-11-28T14:03:05.123456789Z", 30, true)
        );
        let (ts, used, _) = iso(b"2026-11-28T15:03:05+0100 host").unwrap();
        assert_eq!((s(ts).as_str(), used), ("2026-11-28T14:03:05Z", 24));
        let (ts, used, _) = iso(b"2026-11-28T15:03:05.5+01:00 host").unwrap();
        assert_eq!((s(ts).as_str(), used), ("2026-11-28T14:03:05.5Z", 27));
        let (ts, used, zoned) = iso(b"2026-11-28 14:03:05,123 INFO").unwrap();
        assert_eq!(
            (s(ts).as_str(), used, zoned),
            ("2026-11-28T14:03:05.123Z", 23, false)
        );
        let (ts, used, _) = iso(b"2026-11-28 14:03:05 +0000] [1]").unwrap();
        assert_eq!((s(ts).as_str(), used), ("2026-11-28T14:03:05Z", 25));
        assert!(iso(b"2026-13-28T14:03:05Z").is_none());
        assert!(iso(b"2026-11-28").is_none());
    }

    #[test]
    fn other_layouts() {
        assert_eq!(
            s(bsd(b"Nov  8 14:03:05 host", 2026).unwrap().0),
            "2026-11-08T14:03:05Z"
        );
        assert_eq!(bsd(b"Nov 28 14:03:05.250000 h", 2026).unwrap().1, 22);
        assert_eq!(
            s(slashed(b"2026/11/28 14:03:05 [error]").unwrap().0),
            "2026-11-28T14:03:05Z"
        );
        assert_eq!(
            s(clf(b"28/Nov/2026:15:03:05 +0100] \"GET").unwrap().0),
            "2026-11-28T14:03:05Z"
        );
        assert_eq!(
            s(leading(b"[2026-11-28 14:03:05 +0000] [1] [INFO]", 2026).unwrap()),
            "2026-11-28T14:03:05Z"
        );
        assert!(leading(b"hello", 2026).is_none());
        // Apache 2.4 and 2.2, MariaDB with its space-padded hour.
        let (ts, used) = apache(b"Thu Apr 24 01:47:26.733927 2025] [core:error]").unwrap();
        assert_eq!((s(ts).as_str(), used), ("2025-04-24T01:47:26.733927Z", 31));
        let (ts, used) = apache(b"Sat Jun 27 22:40:37 2020] [error]").unwrap();
        assert_eq!((s(ts).as_str(), used), ("2020-06-27T22:40:37Z", 24));
        assert!(apache(b"Thu Apr 24 01:47:26 20").is_none());
        let (ts, used) = mariadb(b"2022-08-14  6:06:07 0 [ERROR]").unwrap();
        assert_eq!((s(ts).as_str(), used), ("2022-08-14T06:06:07Z", 19));
        assert!(mariadb(b"2022-08-14 x6:06:07").is_none());
        assert!(leading(b"", 2026).is_none());
    }

    #[test]
    fn a_repeated_timestamp_is_measured_to_the_second() {
        let ts: Timestamp = "2026-11-27T10:06:22.5Z".parse().unwrap();
        let db = b"2026-11-27 10:06:22+00:00 [ERROR] [Entrypoint]: mysqld failed";
        assert_eq!(
            &db[repeated_len(db, ts)..],
            b"[ERROR] [Entrypoint]: mysqld failed"
        );
        let inner = b"\t2026-11-27T10:06:22.877205Z 0 [ERROR] [MY-000067]";
        assert_eq!(&inner[repeated_len(inner, ts)..], b"0 [ERROR] [MY-000067]");
        let gunicorn = b"[2026-11-27 10:06:22 +0000] [1] [CRITICAL] WORKER TIMEOUT";
        assert_eq!(
            &gunicorn[repeated_len(gunicorn, ts)..],
            b"[1] [CRITICAL] WORKER TIMEOUT"
        );
        // Another second, another layout's failure, no timestamp: kept whole.
        assert_eq!(repeated_len(b"2026-11-27 10:06:23+00:00 [ERROR] x", ts), 0);
        assert_eq!(repeated_len(b"command was: mysqld --verbose", ts), 0);
        assert_eq!(repeated_len(b"", ts), 0);
        assert_eq!(repeated_len(b"[2026-11-27 10:06:22 oops", ts), 0);
    }
}
