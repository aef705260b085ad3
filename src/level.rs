//! Every line's own level, read from its format: the one place it is computed (the gutter's
//! lowercase `e`/`w`, `scan --unknown` and the template miner all ask here).
//!
//! A level is what the line says of itself: the journal's priority, syslog's `<PRI>`, nginx's
//! `[error]`, MySQL's `[Warning]`, a Python logger's `ERROR:`, logfmt's `level=error`, a JSON
//! line's `"level":"error"`, apt's `E:`, a Go `panic:`, a Java `Exception in thread`, a Node
//! `UnhandledPromiseRejection`, an access log's 5xx, a Docker event's non-zero exit code. The
//! stream a line came on is not a level: many programs write everything to stderr.
//!
//! [`of_line`] reads one line alone. [`LevelTracker`] reads lines in order and adds what needs
//! the lines before: a traceback's frames, `Caused by:` and `\tat …` lines take the level of
//! the line that started them, and an access log's 4xx are a warning only when they flood.

use std::sync::LazyLock;

use memchr::memmem::Finder;

use crate::{model::Level, parse::LogLine};

// Searchers built once: every line of a scan with `--unknown` passes through here.
static UNHANDLED: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"nhandled"));
static CONTAINER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"container"));
static HTTP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b" HTTP/"));

/// How far into a message its header (time, pid, level, component) is looked for.
const HEADER_BYTES: usize = 200;
/// How far into a message logfmt's `level=` is looked for.
const LOGFMT_BYTES: usize = 300;
/// How far into an access-log line its status is looked for.
const ACCESS_BYTES: usize = 2048;
/// How many leading words of a message may be its header.
const HEADER_WORDS: usize = 10;

/// The level of one line, read alone: the more severe of what its format's fields say (the
/// journal's priority, syslog's `<PRI>`, nginx's `[level]`) and what its message says.
pub fn of_line(view: &LogLine) -> Option<Level> {
    let from_fields = view.priority.map(Level::from_priority);
    let from_message = of_message(view.message);
    from_fields.max(from_message)
}

/// The level a message gives itself, by the conventions of the programs that write it.
pub fn of_message(message: &[u8]) -> Option<Level> {
    let message = message.trim_ascii_start();
    if message.is_empty() {
        return None;
    }
    if message[0] == b'{' {
        if let Some(level) = json_level(message) {
            return Some(level);
        }
    }
    if let Some(level) = prefix_level(message) {
        return Some(level);
    }
    // The header first: most lines say their level there, and it costs least.
    if let Some(level) = header_level(message) {
        return Some(level);
    }
    if let Some(level) = logfmt_level(message) {
        return Some(level);
    }
    if let Some(level) = docker_event_level(message) {
        return Some(level);
    }
    if let Some(level) = access_status_level(message) {
        return Some(level);
    }
    let head = &message[..message.len().min(HEADER_BYTES)];
    let unhandled = UNHANDLED.find_iter(head).any(|at| {
        let rest = &head[at.saturating_sub(1)..];
        rest.starts_with(b"UnhandledPromiseRejection")
            || rest.starts_with(b"Unhandled promise rejection")
    });
    unhandled.then_some(Level::Err)
}

/// A line that continues the one before it rather than saying something of its own: a
/// traceback's frame (indented), Java's `\tat …`, `Caused by: …` and `... 12 more`.
pub fn is_continuation(message: &[u8]) -> bool {
    match message.first() {
        Some(b' ' | b'\t') => !message.trim_ascii().is_empty(),
        Some(_) => {
            message.starts_with(b"Caused by: ")
                || message.starts_with(b"... ")
                || message.starts_with(b"Traceback (most recent call last):")
                || message.starts_with(b"During handling of the above exception")
                || message.starts_with(b"The above exception was the direct cause")
                || (message.starts_with(b"goroutine ") && message.ends_with(b"]:"))
        }
        None => false,
    }
}

/// Reads lines in order and gives each its level, with what one line alone cannot say:
/// continuation lines take the level of the line that started them when it is a warning or
/// worse (else they are read on their own), and 4xx statuses of an access log are a warning
/// only when they flood (half or more of the last [`FLOOD_WINDOW`] lines), a notice otherwise.
#[derive(Debug, Clone, Default)]
pub struct LevelTracker {
    /// The level of the last line that was not a continuation.
    started: Option<Level>,
    /// Whether each of the last lines was a 4xx access line, as bits (newest lowest).
    recent_4xx: u128,
    /// How many lines are in `recent_4xx` (up to [`FLOOD_WINDOW`]).
    lines_seen: u32,
    /// Whether the last line continued the one that started it.
    continued: bool,
}

/// How many lines a flood of 4xx is judged over.
pub const FLOOD_WINDOW: u32 = 100;

impl LevelTracker {
    pub fn new() -> LevelTracker {
        LevelTracker::default()
    }

    /// A line known to be below warning and no 4xx (a prefilter ruled it out): the same as
    /// [`LevelTracker::next`] on it, without reading it.
    pub fn skip(&mut self) {
        self.started = None;
        self.continued = false;
        self.window(false);
    }

    /// Whether the last line given to [`LevelTracker::next`] continued an earlier one (its
    /// level is that line's; a report names the line that started it, not each frame).
    pub fn continued(&self) -> bool {
        self.continued
    }

    /// Count a line into the flood window; whether 4xx lines flood it now.
    fn window(&mut self, is_4xx: bool) -> bool {
        self.recent_4xx = (self.recent_4xx << 1) | u128::from(is_4xx);
        self.recent_4xx &= (1u128 << FLOOD_WINDOW) - 1;
        self.lines_seen = (self.lines_seen + 1).min(FLOOD_WINDOW);
        self.lines_seen >= FLOOD_WINDOW / 2 && self.recent_4xx.count_ones() * 2 >= self.lines_seen
    }

    /// The level of the next line.
    pub fn next(&mut self, view: &LogLine) -> Option<Level> {
        self.continued = false;
        if is_continuation(view.message) && view.ts.is_none() {
            // Frames after a warning or worse are part of it; after anything quieter they are
            // read on their own (a traceback after an INFO line is an error of its own).
            if self.started.is_some_and(|l| l >= Level::Warning) {
                self.continued = true;
                self.window(false);
                return self.started;
            }
            // A traceback with no line before it is an error on its own.
            if view
                .message
                .starts_with(b"Traceback (most recent call last):")
            {
                self.started = Some(Level::Err);
                self.window(false);
                return self.started;
            }
        }
        let mut level = of_line(view);
        let is_4xx = access_status(view.message).is_some_and(|s| (400..500).contains(&s));
        if self.window(is_4xx) && is_4xx {
            level = level.max(Some(Level::Warning));
        }
        self.started = level;
        level
    }
}

/// What a line at warning or worse (or a 4xx) holds somewhere, whatever its format, each
/// looked for in lowercase, Capitalised and UPPERCASE: a level word (`err`or, `warn`ing,
/// `crit`, `fatal`, `severe`, `alert`, `emerg`, `panic`), an exception or traceback, a Docker
/// event's OOM or health.
pub const WARNING_WORDS: [&str; 13] = [
    "err",
    "warn",
    "crit",
    "fatal",
    "severe",
    "alert",
    "emerg",
    "panic",
    "exception",
    "traceback",
    "unhandled",
    "oom",
    "unhealthy",
];

/// Besides [`WARNING_WORDS`], as written: a Docker exit code, a JSON level, an access line's
/// status after its request (`" 4`, `" 5`), apt's `E: `/`W: ` and Android's one-letter levels
/// (`E/Tag` after a space or a tab; at a line's start [`is_candidate_start`] takes it). None is
/// shorter than 3 bytes: the packed search compares 3 bytes at once, and with a 2-byte marker
/// it compared 2 and stopped at every other `/` of a path.
pub const WARNING_MARKERS: [&str; 19] = [
    "exitCode",
    "ExitCode",
    "\"level\":",
    "\" 4",
    "\" 5",
    "E: ",
    "W: ",
    " E/",
    " W/",
    " F/",
    " A/",
    "\tE/",
    "\tW/",
    "\tF/",
    "\tA/",
    " E ",
    " W ",
    " F ",
    " A ",
];

/// Every marker a line at warning or worse holds one of: [`WARNING_WORDS`] in their three
/// cases, and [`WARNING_MARKERS`] (case-sensitive, so a fast packed search takes them all),
/// apart.
pub fn warning_markers() -> (Vec<String>, Vec<String>) {
    let mut words = Vec::new();
    for word in WARNING_WORDS {
        let mut capitalised = word.to_string();
        capitalised[..1].make_ascii_uppercase();
        words.extend([word.to_string(), capitalised, word.to_ascii_uppercase()]);
    }
    let markers = WARNING_MARKERS.iter().map(|m| m.to_string()).collect();
    (words, markers)
}

/// Whether a line may be at warning or worse besides what the markers find in it: it starts
/// with what only a continuation or a syslog `<PRI>` starts with, or with Android's `E/`.
pub fn is_candidate_start(line: &[u8]) -> bool {
    matches!(line.first(), Some(b' ' | b'\t' | b'<'))
        || matches!(line, [b'E' | b'W' | b'F' | b'A', b'/', ..])
        || line.starts_with(b"... ")
        || line.starts_with(b"goroutine ")
}

fn find(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// A level word, in any of the spellings programs use: `ERROR`, `error`, `Err`, `WARN`,
/// `Warning`, `SEVERE`, `CRITICAL`, `crit`, `FATAL`, `System` (MySQL), `Note` (MySQL 5) …
fn word_level(word: &[u8]) -> Option<Level> {
    if word.len() > 9 || word.is_empty() {
        return None;
    }
    // Programs write a level word in one of three spellings (`error`, `Error`, `ERROR`), the
    // ones `scan --unknown`'s prefilter searches for; `ERrOR` is no level (found by fuzzing:
    // the full reader took it, the prefilter skipped it).
    let (head, rest) = word.split_at(1);
    let spelled = word.iter().all(u8::is_ascii_lowercase)
        || word.iter().all(u8::is_ascii_uppercase)
        || (head[0].is_ascii_uppercase() && rest.iter().all(u8::is_ascii_lowercase));
    if !spelled {
        return None;
    }
    let mut lower = [0u8; 9];
    for (l, &b) in lower.iter_mut().zip(word) {
        *l = b.to_ascii_lowercase();
    }
    Some(match &lower[..word.len()] {
        b"emerg" | b"emergency" | b"panic" => Level::Emerg,
        b"alert" => Level::Alert,
        b"crit" | b"critical" | b"fatal" => Level::Crit,
        b"err" | b"error" | b"severe" | b"eror" => Level::Err,
        b"warn" | b"warning" => Level::Warning,
        b"notice" | b"note" | b"system" => Level::Notice,
        b"info" | b"information" => Level::Info,
        b"debug" | b"trace" | b"verbose" | b"fine" | b"finer" | b"finest" => Level::Debug,
        _ => return None,
    })
}

/// pino's and bunyan's numeric levels (10 trace … 60 fatal).
fn numeric_level(value: &[u8]) -> Option<Level> {
    let n: u32 = std::str::from_utf8(value).ok()?.parse().ok()?;
    Some(match n {
        0..=29 => Level::Debug,
        30..=39 => Level::Info,
        40..=49 => Level::Warning,
        50..=59 => Level::Err,
        _ => Level::Crit,
    })
}

/// `"level":"error"` (or `"severity"`, `"levelname"`, `"lvl"`, and pino's `"level":50`).
fn json_level(message: &[u8]) -> Option<Level> {
    for key in [
        &b"\"level\""[..],
        b"\"severity\"",
        b"\"levelname\"",
        b"\"lvl\"",
        b"\"log.level\"",
    ] {
        let Some(at) = memchr::memmem::find(message, key) else {
            continue;
        };
        let rest = message[at + key.len()..].trim_ascii_start();
        let rest = rest.strip_prefix(b":")?.trim_ascii_start();
        let value = match rest.strip_prefix(b"\"") {
            Some(quoted) => &quoted[..memchr::memchr(b'"', quoted)?],
            None => {
                let end = rest
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .unwrap_or(rest.len());
                return numeric_level(&rest[..end]);
            }
        };
        return word_level(value);
    }
    None
}

/// `level=error`, `lvl=warn`, `severity=ERROR`, quoted or not, as a whole key.
fn logfmt_level(message: &[u8]) -> Option<Level> {
    // Loggers write the level among the first keys (`time=… level=…`).
    let message = &message[..message.len().min(LOGFMT_BYTES)];
    for at in memchr::memchr_iter(b'=', message) {
        let key_start = message[..at]
            .iter()
            .rposition(|&b| matches!(b, b' ' | b'\t'))
            .map_or(0, |i| i + 1);
        if !matches!(&message[key_start..at], b"level" | b"lvl" | b"severity") {
            continue;
        }
        let rest = &message[at + 1..];
        let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
        let end = rest
            .iter()
            .position(|&b| matches!(b, b' ' | b'"' | b'\t'))
            .unwrap_or(rest.len());
        if let Some(level) = word_level(&rest[..end]) {
            return Some(level);
        }
    }
    None
}

/// Conventions that open a message: apt's `E:`/`W:`/`Err:1`, Go's `panic:` and `fatal
/// error:`, Java's `Exception in thread`, Python's `Traceback`, PHP's `PHP Fatal error:`.
fn prefix_level(message: &[u8]) -> Option<Level> {
    const PREFIXES: &[(&[u8], Level)] = &[
        (b"E: ", Level::Err),
        (b"W: ", Level::Warning),
        (b"N: ", Level::Notice),
        (b"panic: ", Level::Crit),
        (b"fatal error: ", Level::Crit),
        (b"Exception in thread \"", Level::Err),
        (b"Traceback (most recent call last):", Level::Err),
        (b"PHP Fatal error:", Level::Err),
        (b"PHP Parse error:", Level::Err),
        (b"PHP Warning:", Level::Warning),
        (b"PHP Notice:", Level::Notice),
        (b"PHP Deprecated:", Level::Notice),
    ];
    for (prefix, level) in PREFIXES {
        if message.starts_with(prefix) {
            return Some(*level);
        }
    }
    // apt: `Err:3 http://deb.debian.org/debian bookworm/main amd64 Packages`
    if let Some(rest) = message.strip_prefix(b"Err:") {
        if rest.first().is_some_and(u8::is_ascii_digit) {
            return Some(Level::Err);
        }
    }
    None
}

fn is_month_or_day(word: &[u8]) -> bool {
    const NAMES: [&[u8]; 19] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec", b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun",
    ];
    NAMES.contains(&word)
}

/// An exception's name ending a first word: `TypeError:`, `java.io.IOException:`,
/// `requests.exceptions.ConnectionError:`, `Error:`.
fn is_exception_name(word: &[u8]) -> bool {
    let Some(name) = word.strip_suffix(b":") else {
        return false;
    };
    let last = name.rsplit(|&b| b == b'.').next().unwrap_or(name);
    (last.ends_with(b"Error") || last.ends_with(b"Exception"))
        && last.first().is_some_and(u8::is_ascii_uppercase)
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$'))
}

/// A level among the words that open a message (its header: time, pid, thread, host): the
/// bracketed `[error]`, `[Warning]`, `[CRITICAL]`; the bare `ERROR`, `WARN`, `FATAL`; the
/// `ERROR:root:` of Python's logging; Android's `E/Tag:`; a first word `error:`/`Error:`
/// or an exception's name. The header ends at the first word that is none of a time, a
/// number, a bracket, a month, a separator or a capitalised tag, so a level word deep in the
/// message's prose is not taken.
fn header_level(message: &[u8]) -> Option<Level> {
    let head = &message[..message.len().min(HEADER_BYTES)];
    let words = head
        .split(|&b| b == b' ' || b == b'\t')
        .filter(|w| !w.is_empty())
        .take(HEADER_WORDS);
    for (n, word) in words.enumerate() {
        // `[error]`, `[Warning]`, `<error>`, `ERROR,` and `ERROR:`
        let inner = word.trim_ascii();
        let bracketed = inner.starts_with(b"[") && inner.ends_with(b"]")
            || inner.starts_with(b"<") && inner.ends_with(b">");
        let bare = trim_bytes(inner, b"[<(", b"]>),:|");
        if let Some(level) = word_level(bare) {
            let is_upper = bare.iter().all(|b| !b.is_ascii_lowercase());
            let capitalised = bare[0].is_ascii_uppercase();
            let with_colon = inner.ends_with(b":");
            // Lowercase or Capitalised words count in brackets or as `word:`; capitals count
            // bare (`ERROR`, `WARN`); `Info,` after a time counts too (Windows CBS).
            if bracketed
                || is_upper
                || with_colon
                || (capitalised && n > 0 && inner.ends_with(b","))
                || (capitalised && n > 0 && level != Level::Notice)
            {
                return Some(level);
            }
        }
        // Python logging's default format: `ERROR:root:message`.
        if let Some(colon) = memchr::memchr(b':', inner) {
            let before = &inner[..colon];
            if before.iter().all(u8::is_ascii_uppercase) {
                if let Some(level) = word_level(before) {
                    return Some(level);
                }
            }
        }
        // Android: `E/AndroidRuntime:`; logcat threadtime: `1702  2395 E Tag: msg`.
        if let [letter, b'/', ..] = inner {
            if let Some(level) = android_level(*letter) {
                return Some(level);
            }
        }
        // A lone letter only between spaces, with the message after it (`2395 E Tag: msg`),
        // as `scan --unknown`'s prefilter finds it (` E `): a line ending in ` W` or a
        // tab-separated `W` is not logcat's.
        if let [letter] = inner {
            let at = inner.as_ptr() as usize - message.as_ptr() as usize;
            let between_spaces =
                at > 0 && message[at - 1] == b' ' && message.get(at + 1) == Some(&b' ');
            if n > 0 && between_spaces {
                if let Some(level) = android_level(*letter) {
                    return Some(level);
                }
            }
        }
        if n == 0 && is_exception_name(inner) {
            return Some(Level::Err);
        }
        let header_like = inner.iter().any(u8::is_ascii_digit)
            || bracketed
            || inner.starts_with(b"[")
            || inner.ends_with(b"]")
            || matches!(inner, b"-" | b"|" | b"--" | b"::")
            || is_month_or_day(trim_bytes(inner, b"", b","))
            || (inner.len() <= 8 && inner.iter().all(u8::is_ascii_uppercase))
            || (n == 0 && inner.ends_with(b":"));
        if !header_like {
            return None;
        }
    }
    None
}

/// `word` without any of `start` before it and any of `end` after it.
fn trim_bytes<'a>(word: &'a [u8], start: &[u8], end: &[u8]) -> &'a [u8] {
    let from = word
        .iter()
        .position(|b| !start.contains(b))
        .unwrap_or(word.len());
    let to = word
        .iter()
        .rposition(|b| !end.contains(b))
        .map_or(from, |i| (i + 1).max(from));
    &word[from..to]
}

fn android_level(letter: u8) -> Option<Level> {
    Some(match letter {
        b'F' | b'A' => Level::Crit,
        b'E' => Level::Err,
        b'W' => Level::Warning,
        b'I' => Level::Info,
        b'D' | b'V' => Level::Debug,
        _ => return None,
    })
}

/// Docker's events and container states, as triage and `docker events` print them:
/// `die exitCode=137`, `oom`, `OOMKilled=true`, `health_status: unhealthy`.
fn docker_event_level(message: &[u8]) -> Option<Level> {
    CONTAINER.find(&message[..message.len().min(HEADER_BYTES)])?;
    if find(message, b"OOMKilled=true") || find(message, b"event: oom") || find(message, b" oom ") {
        return Some(Level::Crit);
    }
    for key in [&b"exitCode="[..], b"ExitCode="] {
        if let Some(at) = memchr::memmem::find(message, key) {
            let digits: Vec<u8> = message[at + key.len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            if !digits.is_empty() {
                return Some(if digits == b"0" {
                    Level::Info
                } else {
                    Level::Err
                });
            }
        }
    }
    if find(message, b"health_status: unhealthy") || find(message, b"Health=unhealthy") {
        return Some(Level::Warning);
    }
    None
}

/// The status of an access-log line (`"GET / HTTP/1.1" 502 157 …`).
pub fn access_status(message: &[u8]) -> Option<u16> {
    let head = &message[..message.len().min(ACCESS_BYTES)];
    let http = HTTP.find(head)?;
    let quote = http + memchr::memchr(b'"', &message[http..])?;
    let rest = message.get(quote + 1..)?.strip_prefix(b" ")?;
    let digits = rest.get(..3)?;
    if !digits.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|&b| b != b' ') {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// 5xx is an error, 4xx a notice (a warning when they flood: [`LevelTracker`]).
fn access_status_level(message: &[u8]) -> Option<Level> {
    match access_status(message)? {
        500..=599 => Some(Level::Err),
        400..=499 => Some(Level::Notice),
        _ => Some(Level::Info),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{self, LogFormat};

    /// The level of `line` read in the format it looks like.
    fn level(line: &str) -> Option<Level> {
        let format = parse::sniff(line.as_bytes());
        of_line(&parse::parse_line(format, line.as_bytes(), 2026))
    }

    /// Levels of consecutive lines of one file.
    fn levels(format: LogFormat, lines: &[&str]) -> Vec<Option<Level>> {
        let mut tracker = LevelTracker::new();
        lines
            .iter()
            .map(|l| tracker.next(&parse::parse_line(format, l.as_bytes(), 2026)))
            .collect()
    }

    /// Found by fuzz/fuzz_targets/level.rs (a loghub Zookeeper line cut after its ` - `): a
    /// lone level letter at the end of a line was read as a warning, which the prefilter's
    /// ` W ` marker does not find, so `scan --unknown` and the viewer disagreed on it.
    #[test]
    fn a_level_word_in_no_spelling_programs_use_is_no_level() {
        // From fuzz/level: a MariaDB line with its level word mangled.
        assert_eq!(of_message(b"2022-08-14  6:06:07 0 [ERrOR] Aborting"), None);
        assert_eq!(
            of_message(b"2022-08-14  6:06:07 0 [ERROR] Aborting"),
            Some(Level::Err)
        );
        assert_eq!(
            of_message(b"[Warning] disk nearly full"),
            Some(Level::Warning)
        );
    }

    #[test]
    fn a_lone_level_letter_counts_only_between_spaces_as_the_prefilter_finds_it() {
        use crate::{
            ingest,
            model::{Block, Bytes},
        };
        let cut = b"2015-07-29 19:13:27,721 - W";
        assert_eq!(of_message(cut), None);
        assert_eq!(of_message(b"1702\t2395\tW\tTag: msg"), None);
        assert_eq!(
            of_message(b"03-17 16:13:38.811  1702  2395 W WindowManager: msg"),
            Some(Level::Warning)
        );
        let block = Block::new(Bytes::Owned(cut.to_vec()));
        let mut tracker = LevelTracker::new();
        let every_line = tracker
            .next(&parse::parse_line(LogFormat::Plain, cut, 2026))
            .filter(|&l| l >= Level::Warning)
            .map(|l| vec![(0, l)])
            .unwrap_or_default();
        assert_eq!(
            ingest::unrecognised(&block, &[], Level::Warning),
            every_line
        );
    }

    #[test]
    fn journal_and_syslog_priorities() {
        use crate::model::{Block, LineFields};
        // A journal entry's PRIORITY (journal fields as the live source and -o json give them).
        let fields = LineFields {
            priority: Some(2),
            ..Default::default()
        };
        let block = Block::from_fields([(&b"Out of memory: Killed process 812"[..], fields)]);
        assert_eq!(of_line(&block.view(0)), Some(Level::Crit));
        // RFC 3164 with <PRI>: the example of RFC 3164 section 5.4
        // (https://www.rfc-editor.org/rfc/rfc3164#section-5.4), 34 = auth.crit.
        assert_eq!(
            level("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8"),
            Some(Level::Crit)
        );
        // A syslog line without <PRI> says nothing by itself (loghub Linux_2k.log).
        assert_eq!(
            level("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown"),
            None
        );
    }

    #[test]
    fn nginx_error_log_levels() {
        // patterns/nginx.toml (nginx-no-space, from the nginx error log format in its docs).
        assert_eq!(
            level(
                r#"2026/11/28 14:03:05 [crit] 29#29: *4711 pwrite() "/var/cache/nginx/client_temp/0000000012" failed (28: No space left on device), client: 172.18.0.1"#
            ),
            Some(Level::Crit)
        );
        // https://github.com/nginx/nginx/blob/master/src/core/ngx_log.c levels; line from
        // patterns/nginx.toml (upstream refused).
        assert_eq!(
            level(
                "2026/11/28 14:03:05 [error] 29#29: *4711 connect() failed (111: Connection refused) while connecting to upstream"
            ),
            Some(Level::Err)
        );
        // Apache 2.0 error log (loghub Apache_2k.log).
        assert_eq!(
            level("[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6"),
            Some(Level::Err)
        );
        assert_eq!(
            level(
                "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"
            ),
            Some(Level::Notice)
        );
    }

    #[test]
    fn mysql_levels() {
        // patterns/mysql.toml examples (MySQL 8 error log, docs.oracle.com error-log-format).
        assert_eq!(
            level(
                "2026-11-28T14:03:05.118734Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed."
            ),
            Some(Level::Warning)
        );
        assert_eq!(
            level(
                "2026-11-28T14:03:05.118734Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.36) starting as process 1"
            ),
            Some(Level::Notice)
        );
        assert_eq!(
            level(
                "2026-11-28T14:03:05.123456789Z 2026-11-28T14:03:05.118734Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /var/run/mysqld/mysqld.sock.lock."
            ),
            Some(Level::Err)
        );
        // patterns/mysql.toml: the mysql client's own warning.
        assert_eq!(
            level(
                "mysql: [Warning] Using a password on the command line interface can be insecure."
            ),
            Some(Level::Warning)
        );
    }

    #[test]
    fn python_gunicorn_and_loguru() {
        // patterns/app.toml (gunicorn-worker-timeout, from gunicorn's arbiter.py wording).
        assert_eq!(
            level(
                "athena_eye_web  | [2026-11-28 14:03:05 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)"
            ),
            Some(Level::Crit)
        );
        // Python logging's default format (https://docs.python.org/3/howto/logging.html).
        assert_eq!(
            level("ERROR:root:This message should go to the log file"),
            Some(Level::Err)
        );
        assert_eq!(level("WARNING:root:Watch out!"), Some(Level::Warning));
        // loguru, https://github.com/MycroftAI/mycroft-core/issues/2214
        assert_eq!(
            level(
                "2020-11-02 16:00:07.966 | ERROR    |    27 | mycroft.messagebus.client.client:on_error:135 | Exception closing websocket: ConnectionRefusedError(111, 'Connection refused')"
            ),
            Some(Level::Err)
        );
        assert_eq!(
            level(
                "2020-11-02 16:00:07.968 | WARNING  |    27 | mycroft.messagebus.client.client:on_error:138 | Message Bus Client will reconnect in 20 seconds."
            ),
            Some(Level::Warning)
        );
    }

    #[test]
    fn logfmt_and_json_lines() {
        // patterns/docker.toml (traefik's docker provider, logfmt).
        assert_eq!(
            level(
                r#"time="2026-11-28T14:03:05Z" level=error msg="Provider connection error Cannot connect to the Docker API: dial unix /var/run/docker.sock: connect: permission denied, retrying in 1.49s" providerName=docker"#
            ),
            Some(Level::Err)
        );
        // patterns/certbot.toml (Caddy's JSON log).
        assert_eq!(
            level(
                r#"{"level":"error","ts":1764338585.123,"logger":"tls.obtain","msg":"could not get certificate from issuer","identifier":"athena.example.com"}"#
            ),
            Some(Level::Err)
        );
        // pino's numeric levels (https://getpino.io/#/docs/api?id=levels): 40 is warn.
        assert_eq!(
            level(
                r#"{"level":40,"time":1531171074631,"msg":"hello world","pid":657,"hostname":"Davids-MBP-3.fritz.box"}"#
            ),
            Some(Level::Warning)
        );
        assert_eq!(level(r#"{"level":"info","msg":"ok"}"#), Some(Level::Info));
    }

    #[test]
    fn apt_go_java_node() {
        // patterns/apt.toml (dpkg-interrupted, apt's debsystem.cc wording).
        assert_eq!(
            level(
                "E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' to correct the problem."
            ),
            Some(Level::Err)
        );
        assert_eq!(
            level(
                "W: Some index files failed to download. They have been ignored, or old ones used instead."
            ),
            Some(Level::Warning)
        );
        // https://github.com/bcicen/grmon/issues/8
        assert_eq!(
            level("panic: runtime error: invalid memory address or nil pointer dereference"),
            Some(Level::Crit)
        );
        // Hadoop (loghub Hadoop_2k.log).
        assert_eq!(
            level(
                "2015-10-18 18:04:11,034 ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Container complete event for unknown container id container_1445144423722_0020_01_000012"
            ),
            Some(Level::Err)
        );
        // https://github.com/Automattic/mongoose/issues/7861
        assert_eq!(
            level(
                "(node:47700) UnhandledPromiseRejectionWarning: Error: connect ECONNREFUSED 127.0.0.1:8080"
            ),
            Some(Level::Err)
        );
        // https://github.com/mysqljs/mysql/issues/458
        assert_eq!(level("Error: connect ECONNREFUSED"), Some(Level::Err));
        // https://github.com/glidernet/python-ogn-client/issues/74
        assert_eq!(
            level("ConnectionRefusedError: [Errno 61] Connection refused"),
            Some(Level::Err)
        );
        // BGL (loghub BGL_2k.log): the level among the header's words.
        assert_eq!(
            level(
                "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"
            ),
            Some(Level::Info)
        );
    }

    #[test]
    fn a_level_word_in_prose_is_no_level() {
        // loghub Linux_2k.log and OpenSSH_2k.log messages.
        assert_eq!(
            level(
                "Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!"
            ),
            None
        );
        assert_eq!(level("connection error: the server said no"), None);
        assert_eq!(level("Retrying after error 3 times"), None);
    }

    #[test]
    fn tracebacks_belong_to_the_line_that_started_them() {
        // https://github.com/MycroftAI/mycroft-core/issues/2214 (without the compose prefix).
        let lines = [
            "2020-11-02 16:00:07.261 | ERROR    |    33 | mycroft.messagebus.client.client:on_error:128 | === ConnectionRefusedError(111, 'Connection refused') ===",
            "Traceback (most recent call last):",
            "  File \"/opt/mycroft/mycroft/messagebus/client/client.py\", line 131, in on_error",
            "    self.emitter.emit('error', error)",
            "2020-11-02 16:00:07.968 | INFO     |    27 | x | next",
        ];
        assert_eq!(
            levels(LogFormat::Plain, &lines),
            [
                Some(Level::Err),
                Some(Level::Err),
                Some(Level::Err),
                Some(Level::Err),
                Some(Level::Info)
            ]
        );
        // https://github.com/status-im/status-keycard-java/pull/26 (Android, Caused by).
        let java = [
            "2022-09-09 16:17:33.682 21343-28181/im.status.ethereum.debug E/AndroidRuntime: FATAL EXCEPTION: Thread-39",
            "    java.lang.RuntimeException: Is Bouncycastle correctly initialized?",
            "        at im.status.keycard.applet.Mnemonic.toBinarySeed(Mnemonic.java:127)",
            "     Caused by: java.lang.IllegalArgumentException: password empty",
            "\tat javax.crypto.SecretKeyFactory.generateSecret(SecretKeyFactory.java:518)",
        ];
        assert_eq!(levels(LogFormat::Plain, &java), vec![Some(Level::Err); 5]);
        // Reported once: the frames say they continue.
        let mut tracker = LevelTracker::new();
        let continued: Vec<bool> = java
            .iter()
            .map(|l| {
                tracker.next(&parse::parse_line(LogFormat::Plain, l.as_bytes(), 2026));
                tracker.continued()
            })
            .collect();
        assert_eq!(continued, [false, true, true, true, true]);
        // Go: the goroutine dump follows the panic (https://github.com/bcicen/grmon/issues/8).
        let go = [
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "goroutine 1 [running]:",
            "\t/Users/me/go/src/github.com/bcicen/grmon/parse.go:76 +0x19c",
        ];
        assert_eq!(levels(LogFormat::Plain, &go), vec![Some(Level::Crit); 3]);
    }

    #[test]
    fn access_logs_5xx_error_4xx_only_when_flooding() {
        // patterns/nginx.toml (nginx combined format, from its docs).
        let ok = r#"172.18.0.1 - - [28/Nov/2026:14:03:05 +0000] "GET / HTTP/1.1" 200 157 "-" "curl/8.5.0""#;
        let bad = r#"172.18.0.1 - - [28/Nov/2026:14:03:05 +0000] "GET / HTTP/1.1" 502 157 "-" "curl/8.5.0""#;
        let missing = r#"172.18.0.1 - - [28/Nov/2026:14:03:05 +0000] "GET /wp-login.php HTTP/1.1" 404 153 "-" "curl/8.5.0""#;
        assert_eq!(level(bad), Some(Level::Err));
        assert_eq!(level(ok), Some(Level::Info));
        assert_eq!(level(missing), Some(Level::Notice));
        // A few 404s among normal traffic: notices. A scanner's flood: warnings.
        let mut mixed = vec![ok; 60];
        mixed.push(missing);
        assert_eq!(
            levels(LogFormat::NginxAccess, &mixed).last(),
            Some(&Some(Level::Notice))
        );
        let flood = vec![missing; 60];
        let got = levels(LogFormat::NginxAccess, &flood);
        assert_eq!(got[0], Some(Level::Notice));
        assert_eq!(got[59], Some(Level::Warning));
    }

    #[test]
    fn docker_events_exit_codes() {
        // The lines triage's Docker source writes (src/source/docker.rs) and `docker events`
        // prints (https://docs.docker.com/reference/cli/docker/system/events/).
        assert_eq!(
            of_message(b"container db (0123456789ab) event: die exitCode=137"),
            Some(Level::Err)
        );
        assert_eq!(
            of_message(b"container db (0123456789ab) event: die exitCode=0"),
            Some(Level::Info)
        );
        assert_eq!(
            of_message(b"container db (0123456789ab) event: oom"),
            Some(Level::Crit)
        );
        assert_eq!(
            of_message(
                b"2017-01-05T00:35:58.859401177+08:00 container die 0fdb48addc82871eb34eb23a847cfd033dedd1a0a37bef2e6d9eb3870fc7ff37 (exitCode=1, image=alpine, name=test)"
            ),
            Some(Level::Err)
        );
    }

    #[test]
    fn stderr_alone_is_no_level() {
        use crate::model::{Block, LineFields};
        let fields = LineFields {
            stream: Some(crate::parse::Stream::Stderr),
            ..Default::default()
        };
        // gunicorn writes its INFO lines to stderr (patterns/app.toml's gunicorn lines).
        let block = Block::from_fields([(
            &b"[2026-11-28 14:03:05 +0000] [1] [INFO] Booting worker with pid: 8"[..],
            fields,
        )]);
        assert_eq!(of_line(&block.view(0)), Some(Level::Info));
    }
}
