//! `triage patterns new`: a catalogue entry drafted from one log line. The regex is the
//! line's message generalised: literal words kept, the parts that vary between two
//! occurrences of the same failure (numbers, hex ids, paths, addresses, quoted values) turned
//! into classes, with named captures a remedy can use (`{host}`, `{port}`, `{path}`,
//! `{container}`). The line is the entry's first example; cause and remedy are placeholders
//! for the user to write.

use std::{
    path::{Path, PathBuf},
    sync::LazyLock,
};

use regex::Regex;

use super::{Catalogue, Severity};
use crate::parse::{self, LogFormat, record};

/// A drafted entry: its id and its TOML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    pub severity: Severity,
    pub regex: String,
    pub toml: String,
}

/// The variable parts of a message, in the order they are tried at each position: what each
/// becomes in the regex, and the capture name its first occurrence gets.
struct Variable {
    find: Regex,
    class: &'static str,
    capture: Option<&'static str>,
}

static VARIABLES: LazyLock<Vec<Variable>> = LazyLock::new(|| {
    let v = |find: &str, class: &'static str, capture: Option<&'static str>| Variable {
        find: Regex::new(find).expect("a valid variable pattern"),
        class,
        capture,
    };
    vec![
        // A container named after the word: `container athena_eye_db`, `container "/db"`.
        // (A name with a quote, a slash, or a `_`, `.`, `-` or digit: `container name` is words.)
        v(
            r#"^(?:container|Container) (?:"/?[\w.-]+"|/[\w.-]+|[A-Za-z0-9]*[_.0-9-][\w.-]*)"#,
            r#"container "?/?(?P<container>[\w.-]+)"?"#,
            None,
        ),
        v(r#"^"[^"\n]*""#, r#""[^"]*""#, None),
        v(r"^'[^'\n]*'", r"'[^']*'", None),
        // IPv4 (with its port), bracketed IPv6.
        v(
            r"^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}\b",
            r"(?P<host>\d{1,3}(?:\.\d{1,3}){3}):(?P<port>\d+)",
            None,
        ),
        v(
            r"^\d{1,3}(?:\.\d{1,3}){3}\b",
            r"\d{1,3}(?:\.\d{1,3}){3}",
            Some("host"),
        ),
        v(
            r"^\[[0-9a-fA-F:]*:[0-9a-fA-F:]*\]",
            r"\[[0-9a-fA-F:]+\]",
            Some("host"),
        ),
        // `:8080` after a name: a port.
        v(r"^:\d{2,5}\b", r":\d+", Some("port")),
        v(
            r"^/[\w.@+-]+(?:/[\w.@+-]*)*",
            r"/[^\s:,;'\x22)]*",
            Some("path"),
        ),
        v(r"^0x[0-9a-fA-F]+\b", r"0x[0-9a-fA-F]+", None),
        // A hex id (a container's, a commit's) has digits and letters; a plain word has none.
        v(
            r"^[0-9a-f]*[0-9][0-9a-f]*[a-f][0-9a-f]*\b",
            r"[0-9a-f]+",
            None,
        ),
        v(
            r"^[0-9a-f]*[a-f][0-9a-f]*[0-9][0-9a-f]*\b",
            r"[0-9a-f]+",
            None,
        ),
        v(r"^\d+(?:\.\d+)*\b", r"[0-9][0-9.]*", None),
    ]
});

/// The message of a line, as a regex sees it, and the line's syslog priority if it says.
fn message_of(line: &str) -> (String, Option<u8>) {
    let bytes = line.as_bytes();
    let format = parse::sniff(bytes);
    if format.is_structured() && format != LogFormat::JournalExport {
        let record = record::decode_line(format, bytes, None);
        return (
            String::from_utf8_lossy(&record.message).into_owned(),
            record.priority,
        );
    }
    let view = parse::parse_line(format, bytes, 2000);
    let mut message = String::from_utf8_lossy(view.message).into_owned();
    // A program's own line that starts with its time (MySQL, Apache): the time is not part
    // of what recurs.
    if let Some(rest) = strip_leading_time(&message) {
        message = rest.to_string();
    }
    (message, view.priority.or_else(|| level_word(line)))
}

/// The message without a time it starts with (`2024-03-25T14:56:30.073888Z 0 `, `[Thu Apr
/// 24 01:47:26.733927 2025] `).
fn strip_leading_time(message: &str) -> Option<&str> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\[?(?:\d{4}-\d{2}-\d{2}[T ] ?\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\]?(?: \d+)? ",
        )
        .expect("a valid time pattern")
    });
    TIME.find(message).map(|m| &message[m.end()..])
}

/// A level word in the line (`[ERROR]`, `level=warn`, `[crit]`): its priority.
fn level_word(line: &str) -> Option<u8> {
    static LEVEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?:\[|level=|:)(emerg|alert|crit|critical|fatal|error|err|warn|warning)\]?\b",
        )
        .expect("a valid level pattern")
    });
    let word = LEVEL.captures(line)?.get(1)?.as_str().to_ascii_lowercase();
    Some(match word.as_str() {
        "emerg" | "alert" | "crit" | "critical" | "fatal" => 2,
        "error" | "err" => 3,
        _ => 4,
    })
}

/// The regex for a message: literal text escaped, variable parts as classes.
pub fn generalise(message: &str) -> String {
    let mut regex = String::new();
    let mut captured: Vec<&str> = Vec::new();
    let mut at = 0;
    // A variable starts at a word boundary only: `abc123` inside a word stays literal.
    let mut literal_start = 0;
    while at < message.len() {
        let rest = &message[at..];
        let at_boundary = message[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let found = at_boundary
            .then(|| {
                VARIABLES
                    .iter()
                    .find_map(|v| v.find.find(rest).map(|m| (v, m.end())))
            })
            .flatten();
        match found {
            Some((variable, len)) => {
                regex.push_str(&regex::escape(&message[literal_start..at]));
                let mut class = variable.class.to_string();
                // Each name once per regex: later occurrences are plain classes.
                for name in ["container", "host", "port"] {
                    let group = format!("(?P<{name}>");
                    if class.contains(&group) {
                        if captured.contains(&name) {
                            class = class.replace(&group, "(");
                        } else {
                            captured.push(name);
                        }
                    }
                }
                match variable.capture {
                    Some(name) if !captured.contains(&name) => {
                        captured.push(name);
                        regex.push_str(&format!("(?P<{name}>{class})"));
                    }
                    _ => regex.push_str(&class),
                }
                at += len;
                literal_start = at;
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    regex.push_str(&regex::escape(&message[literal_start..]));
    regex
}

/// An id from the message's first words (`user-could-not-create-unix-socket`), not one the
/// catalogue already has.
fn id_for(message: &str, catalogue: &Catalogue) -> String {
    let words: Vec<String> = message
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() > 1)
        .take(6)
        .map(str::to_ascii_lowercase)
        .collect();
    let mut base = String::from("user");
    for word in words {
        if base.len() + word.len() > 40 {
            break;
        }
        base.push('-');
        base.push_str(&word);
    }
    let mut id = base.clone();
    let mut n = 2;
    while catalogue.get(&id).is_some() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn severity_of(priority: Option<u8>) -> Severity {
    match priority {
        Some(0..=2) => Severity::Critical,
        Some(3) | None => Severity::Error,
        Some(4) => Severity::Warning,
        Some(_) => Severity::Info,
    }
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Draft an entry for `line` (one log line, in any format triage reads).
pub fn draft(line: &str, id: Option<&str>, catalogue: &Catalogue) -> Draft {
    let line = line.trim_end_matches(['\n', '\r']);
    let (message, priority) = message_of(line);
    let regex = generalise(message.trim());
    let id = id.map_or_else(|| id_for(&message, catalogue), str::to_string);
    let severity = severity_of(priority);
    let level_note = match priority {
        Some(_) => "from the line's own level",
        None => "the line says no level: error unless you know better",
    };
    let title: String = message.trim().chars().take(80).collect();
    let toml = format!(
        r#"# Drafted by `triage patterns new` from one log line. Write the cause and the remedy,
# add more examples (other wordings, other versions) and counter-examples (look-alikes that
# are not this failure), then run `triage patterns check DIR`.
[[entry]]
id = {id}
severity = {severity} # {level_note}
sources = ["any"]
title.en = {title}
cause.en = "TODO: what makes this happen (in your words)."
regex = [
  {regex},
]
examples = [
  {example},
]
counter_examples = []

[[entry.remedy]]
en = "TODO: the first thing to check; a command that only reads (logs, status, df, -t checks)."
run = []
"#,
        id = quoted(&id),
        severity = quoted(severity.as_str()),
        title = quoted(&title),
        regex = quoted(&regex),
        example = quoted(line),
    );
    Draft {
        id,
        severity,
        regex,
        toml,
    }
}

/// A drafted entry proven where it will live: loaded as the user's files are (regexes
/// compiled), over the catalogue it joins, and checked on its own example.
#[derive(Debug, Clone)]
pub struct Proven {
    pub draft: Draft,
    /// Where it is to be written: `DIR/ID.toml`.
    pub path: PathBuf,
    /// The catalogue with the entry in it.
    pub joined: Catalogue,
    /// What `patterns check` said of it (`1 entries, 1 examples, …: ok`).
    pub check: String,
}

/// Why a drafted entry is not saved.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("the drafted entry does not load: {0}")]
    DoesNotLoad(String),
    #[error("the drafted entry fails its check:\n{0}")]
    FailsCheck(String),
    #[error("{0} exists: give another --id, or edit it")]
    Exists(String),
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Draft an entry for `line` and prove it, to be saved in `dir` (nothing is written): what
/// `triage patterns new` and the viewer's `a` both do.
pub fn prove(
    line: &str,
    id: Option<&str>,
    catalogue: &Catalogue,
    dir: &Path,
) -> Result<Proven, NewError> {
    let draft = draft(line, id, catalogue);
    let path = dir.join(format!("{}.toml", draft.id));
    let name = path.display().to_string();
    let (entries, errors) = super::parse_file(&name, &draft.toml);
    if let Some(err) = errors.first() {
        return Err(NewError::DoesNotLoad(err.to_string()));
    }
    let mut joined = catalogue.clone();
    for entry in entries {
        joined.insert_entry(entry);
    }
    let report = super::check_only(&joined, &|e| e.id == draft.id);
    if !report.is_ok() {
        return Err(NewError::FailsCheck(report.to_string()));
    }
    Ok(Proven {
        draft,
        path,
        joined,
        check: report.to_string(),
    })
}

/// Write a proven entry to its file (its directory made if need be), never over an existing
/// file.
pub fn save(proven: &Proven) -> Result<(), NewError> {
    let name = proven.path.display().to_string();
    let write_error = |source| NewError::Write {
        path: name.clone(),
        source,
    };
    if let Some(dir) = proven.path.parent() {
        std::fs::create_dir_all(dir).map_err(write_error)?;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&proven.path);
    let mut file = match file {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(NewError::Exists(name));
        }
        Err(err) => return Err(write_error(err)),
    };
    std::io::Write::write_all(&mut file, proven.draft.toml.as_bytes()).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(regex: &str, text: &str) -> bool {
        Regex::new(regex).unwrap().is_match(text)
    }

    #[test]
    fn variable_parts_become_classes_and_captures() {
        // https://github.com/TablePlus/DBngin/issues/141
        let line = "2024-03-25T14:56:30.073888Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /tmp.mysql.sock.lock.";
        let (catalogue, _) = Catalogue::builtin();
        let d = draft(line, None, &catalogue);
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.id, "user-error-my-server-could-not-create");
        assert_eq!(
            d.regex,
            r"\[ERROR\] \[MY\-[0-9][0-9.]*\] \[Server\] Could not create unix socket lock file (?P<path>/[^\s:,;'\x22)]*)"
        );
        assert!(matches(&d.regex, line));
        // The same failure on another path matches too.
        assert!(matches(
            &d.regex,
            "2024-03-26T01:00:00.1Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /var/run/mysqld/mysqld.sock.lock."
        ));
        // nginx's connect() failure, worded as patterns/nginx.toml's examples: the client's
        // address captured once, the quoted upstream a quoted value.
        let message = "connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://172.18.0.3:8000/\", host: \"localhost\"";
        let regex = generalise(message);
        assert!(regex.starts_with(r"connect\(\) failed \([0-9][0-9.]*: Connection refused\)"));
        assert!(regex.contains(r"client: (?P<host>\d{1,3}(?:\.\d{1,3}){3}), "));
        assert!(matches(&regex, message));
        assert_eq!(regex.matches("(?P<host>").count(), 1);
        // Containers and hex ids.
        let regex = generalise(
            "Error response from daemon: Conflict. The container name \"/db\" is already in use by container \"3f2a9c1b0d4e\".",
        );
        assert!(
            regex.contains(r#"container "?/?(?P<container>[\w.-]+)"?"#),
            "{regex}"
        );
        assert!(Regex::new(&regex).is_ok());
    }

    #[test]
    fn the_draft_loads_and_levels_give_the_severity() {
        let (catalogue, _) = Catalogue::builtin();
        // https://github.com/prometheus/alertmanager/pull/3683
        let line = r#"ts=2024-01-26T11:18:04.116Z caller=parse.go:222 level=warn msg="Alertmanager is moving to a new parser" input="foo=" origin=config"#;
        let d = draft(line, Some("my-alertmanager-parser"), &catalogue);
        assert_eq!(d.severity, Severity::Warning);
        let (entries, errors) = super::super::parse_file("new.toml", &d.toml);
        assert!(errors.is_empty(), "{errors:?}\n{}", d.toml);
        assert_eq!(entries[0].id, "my-alertmanager-parser");
        assert_eq!(entries[0].examples, [line]);
        // English alone: zh falls back to it.
        assert_eq!(
            entries[0].title.get(super::super::Lang::Zh),
            entries[0].title.en
        );
    }
}
