//! `triage scan` end to end: the real binary over the bundled incident, every log format,
//! hostile input, and the contract scripts rely on (JSON lines, exit codes, pipes).

use crate::common;

use std::{
    collections::BTreeSet,
    io::{BufRead, BufReader, Write},
    process::Stdio,
};

use crate::common::{
    COMMAND, Deadline, Running, fixture, jsonl, repo, run_with_stdin, stderr, stdout, triage,
};

type Hit = (String, u64, String);

fn hits_of(output: &std::process::Output) -> BTreeSet<Hit> {
    jsonl(output)
        .iter()
        .map(|h| {
            let file = h["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (
                file,
                h["line"].as_u64().unwrap(),
                h["pattern"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected_incident() -> BTreeSet<Hit> {
    std::fs::read_to_string(repo("examples/athena-eye/expected.tsv"))
        .unwrap()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            (f[0].to_string(), f[1].parse().unwrap(), f[2].to_string())
        })
        .collect()
}

#[test]
fn the_bundled_incident_yields_exactly_its_known_failures() {
    let expected = expected_incident();
    // Every failure of the postmortem is in it.
    for (id, _) in common::POSTMORTEM {
        assert!(
            expected.iter().any(|(_, _, p)| p == id),
            "the incident lacks {id}"
        );
    }
    // The embedded copy and the files on disk give the same hits, at the expected lines,
    // and nothing else: the ordinary traffic around them raises nothing.
    let embedded = triage()
        .args(["scan", "--demo", "--format", "jsonl"])
        .output_within(COMMAND);
    assert_eq!(embedded.status.code(), Some(0), "{}", stderr(&embedded));
    assert_eq!(hits_of(&embedded), expected);
    let files = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(repo("examples/athena-eye/docker-compose.log"))
        .arg(repo("examples/athena-eye/host.log"))
        .output_within(COMMAND);
    assert_eq!(hits_of(&files), expected);
}

#[test]
fn demo_tells_the_story_grouped_with_causes_and_remedies() {
    let out = triage()
        .args(["demo", "--color", "never"])
        .output_within(COMMAND);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    // Most severe first; each group has its cause and numbered remedy with commands.
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("CRITICAL "), "{first}");
    for needle in [
        "oom-kill",
        "sudo dpkg --configure -a",
        "usermod -aG docker",
        "  1. ",
        "       $ ",
    ] {
        assert!(text.contains(needle), "demo output lacks {needle:?}");
    }
}

#[test]
fn jsonl_carries_the_documented_fields() {
    let out = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(fixture("formats/compose-t.log"))
        .output_within(COMMAND);
    let hits = jsonl(&out);
    assert_eq!(hits.len(), 2);
    let hit = &hits[0];
    for field in [
        "pattern", "severity", "title", "file", "line", "ts", "source", "stream", "text", "spans",
        "captures",
    ] {
        assert!(hit.get(field).is_some(), "no {field} in {hit}");
    }
    assert_eq!(hit["pattern"], "gunicorn-boot-fail");
    assert_eq!(hit["severity"], "critical");
    assert_eq!(hit["line"], 3);
    assert_eq!(hit["ts"], "2026-11-28T14:03:08.25Z");
    assert_eq!(hit["source"], "athena_eye_backend");
    // spans are byte ranges of `text`.
    let text = hit["text"].as_str().unwrap();
    let span = hit["spans"][0].as_array().unwrap();
    let (start, end) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert!(
        text[start..end].contains("Worker failed to boot"),
        "{}",
        &text[start..end]
    );
}

/// (file, line, pattern, ts, source) for every hit.
fn detail(file: &str) -> Vec<(u64, String, String, String)> {
    let out = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(fixture(file))
        .output_within(COMMAND);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    jsonl(&out)
        .iter()
        .map(|h| {
            (
                h["line"].as_u64().unwrap(),
                h["pattern"].as_str().unwrap().to_string(),
                h["ts"].as_str().unwrap_or("-").to_string(),
                h["source"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect()
}

fn row(line: u64, pattern: &str, ts: &str, source: &str) -> (u64, String, String, String) {
    (line, pattern.into(), ts.into(), source.into())
}

#[test]
fn docker_and_compose_formats() {
    assert_eq!(
        detail("formats/docker-t.log"),
        [
            row(3, "mysql-unknown-variable", "2026-11-28T14:03:06.5Z", "-"),
            row(4, "mysql-server-aborting", "2026-11-28T14:03:06.7Z", "-")
        ]
    );
    assert_eq!(
        detail("formats/compose-t.log"),
        [
            row(
                3,
                "gunicorn-boot-fail",
                "2026-11-28T14:03:08.25Z",
                "athena_eye_backend"
            ),
            row(
                4,
                "nginx-502",
                "2026-11-28T14:03:09.1Z",
                "athena_eye_frontend"
            )
        ]
    );
    // Without -t, the time comes from the message, and a traceback line takes the time of
    // the line it continues.
    assert_eq!(
        detail("formats/compose.log"),
        [
            row(
                4,
                "app-missing-log-dir",
                "2026-11-28T14:03:07Z",
                "backend-1"
            ),
            row(5, "gunicorn-boot-fail", "2026-11-28T14:03:08Z", "backend-1"),
            row(
                6,
                "nginx-upstream-refused",
                "2026-11-28T14:03:09Z",
                "frontend-1"
            ),
        ]
    );
}

#[test]
fn journal_formats_from_real_journalctl() {
    // Made by journalctl 252 from one journal file (see tests/fixtures/formats/README.md).
    let expected = |lines: [u64; 3]| {
        vec![
            row(lines[0], "oom-kill", "2026-11-28T14:03:06Z", "kernel"),
            row(
                lines[1],
                "systemd-killed-9",
                "2026-11-28T14:03:07Z",
                "systemd",
            ),
            row(
                lines[2],
                "app-missing-log-dir",
                "2026-11-28T14:03:08Z",
                "athena_eye_backend",
            ),
        ]
    };
    assert_eq!(detail("formats/journal.short-iso"), expected([2, 3, 6]));
    assert_eq!(detail("formats/journal.json"), expected([2, 3, 4]));
    assert_eq!(detail("formats/journal.export"), expected([12, 22, 33]));
    // `short` prints no year: it comes from the file's date, so compare the rest.
    for file in ["formats/journal.short", "formats/journal.short-precise"] {
        let got: Vec<_> = detail(file)
            .into_iter()
            .map(|(l, p, ts, s)| (l, p, ts[4..].to_string(), s))
            .collect();
        let want: Vec<_> = expected([2, 3, 6])
            .into_iter()
            .map(|(l, p, ts, s)| (l, p, ts[4..].to_string(), s))
            .collect();
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn nginx_syslog_and_plain_formats() {
    assert_eq!(
        detail("formats/nginx-access.log"),
        [
            row(2, "nginx-502", "2026-11-28T14:03:06Z", "-"),
            row(3, "tls-on-http-port", "2026-11-28T14:03:07Z", "-")
        ]
    );
    assert_eq!(
        detail("formats/nginx-error.log"),
        [
            row(2, "nginx-upstream-refused", "2026-11-28T14:03:06Z", "-"),
            row(3, "nginx-upstream-timeout", "2026-11-28T14:03:07Z", "-")
        ]
    );
    assert_eq!(
        detail("formats/syslog-rfc3339.log"),
        [
            row(2, "oom-kill", "2026-11-28T14:03:06.223456Z", "kernel"),
            row(3, "no-space-left", "2026-11-28T14:03:07.323456Z", "dockerd")
        ]
    );
    assert_eq!(
        detail("formats/plain.log"),
        [
            row(2, "apt-nopubkey", "-", "-"),
            row(3, "apt-nopubkey", "-", "-")
        ]
    );
}

#[test]
fn a_forced_format_overrides_detection() {
    // Forced to `plain`, a compose log keeps its hits but loses the service names.
    let out = triage()
        .args(["scan", "--format", "jsonl", "--format", "plain"])
        .arg(fixture("formats/compose-t.log"))
        .output_within(COMMAND);
    let hits = jsonl(&out);
    assert_eq!(hits.len(), 2);
    assert!(hits.iter().all(|h| h["source"].is_null()));
    let out = triage()
        .args(["scan", "--format", "nonsense"])
        .arg(fixture("formats/plain.log"))
        .output_within(COMMAND);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown log format `nonsense`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn gzip_is_read_by_content_not_name() {
    use flate2::{Compression, write::GzEncoder};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rotated.1");
    let mut gz = GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        Compression::default(),
    );
    gz.write_all(&std::fs::read(fixture("formats/nginx-error.log")).unwrap())
        .unwrap();
    gz.finish().unwrap();
    let out = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(&path)
        .output_within(COMMAND);
    let got: Vec<_> = hits_of(&out).into_iter().map(|(_, l, p)| (l, p)).collect();
    assert_eq!(
        got,
        [
            (2, "nginx-upstream-refused".to_string()),
            (3, "nginx-upstream-timeout".to_string())
        ]
    );
}

#[test]
fn stdin_is_dash() {
    let log = std::fs::read(fixture("formats/plain.log")).unwrap();
    let mut cmd = triage();
    cmd.args(["scan", "--format", "jsonl", "-"]);
    let out = run_with_stdin(cmd, &log);
    let hits = jsonl(&out);
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["file"], "-");
    assert_eq!(hits[0]["line"], 2);
}

#[test]
fn exit_codes_follow_ripgrep() {
    let found = triage()
        .args(["scan"])
        .arg(fixture("formats/plain.log"))
        .output_within(COMMAND);
    assert_eq!(found.status.code(), Some(0));
    let nothing = triage()
        .args(["scan"])
        .arg(fixture("loghub/Apache_2k.log"))
        .output_within(COMMAND);
    assert_eq!(nothing.status.code(), Some(1));
    assert!(stdout(&nothing).is_empty(), "{}", stdout(&nothing));
    // A missing file is an error, but the other files are still scanned.
    let mixed = triage()
        .args(["scan", "--format", "jsonl", "/no/such/file.log"])
        .arg(fixture("formats/plain.log"))
        .output_within(COMMAND);
    assert_eq!(mixed.status.code(), Some(2));
    assert!(
        stderr(&mixed).contains("/no/such/file.log: No such file or directory"),
        "{}",
        stderr(&mixed)
    );
    assert_eq!(jsonl(&mixed).len(), 2);
    let dir = triage()
        .args(["scan"])
        .arg(fixture("formats"))
        .output_within(COMMAND);
    // A directory is read, every file under it (issue 12); what it held is counted.
    assert_eq!(dir.status.code(), Some(0), "{}", stderr(&dir));
    assert!(
        stderr(&dir).contains(" files read, 0 skipped"),
        "{}",
        stderr(&dir)
    );
}

#[test]
fn a_binary_journal_file_gets_directions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("system.journal");
    std::fs::write(&path, b"LPKSHHRH\0\0\0\0rest of a journal file").unwrap();
    let out = triage().args(["scan"]).arg(&path).output_within(COMMAND);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("binary journal file") && stderr(&out).contains("journalctl --file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Many hits, and the reader goes away after the first line (like `| head -1`).
    let log: Vec<u8> = std::iter::repeat_n(&b"E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' to correct the problem.\n"[..], 200_000)
        .flatten()
        .copied()
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.log");
    std::fs::write(&path, log).unwrap();
    let mut child = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = child.stdout.take().unwrap();
    let child = Running::adopt(child, "triage scan many.log".into());
    // The first line, read on a thread of its own so a silent triage fails the test in time;
    // the pipe closes when the thread ends.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = BufReader::new(pipe).read_line(&mut first);
        let _ = tx.send(first);
    });
    let first = rx
        .recv_timeout(COMMAND)
        .unwrap_or_else(|_| panic!("no first line: {}", child.stderr_so_far()));
    assert!(first.contains("dpkg-interrupted"), "{first}");
    let out = child.finish_within(COMMAND);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn summary_counts_per_entry() {
    let out = triage()
        .args(["scan", "--summary", "--demo", "--color", "never"])
        .output_within(COMMAND);
    let text = stdout(&out);
    let line = text.lines().find(|l| l.contains(" nginx-502 ")).unwrap();
    let expected = expected_incident()
        .iter()
        .filter(|h| h.2 == "nginx-502")
        .count();
    assert_eq!(
        line.split_whitespace().next().unwrap(),
        expected.to_string(),
        "{line}"
    );
    let out = triage()
        .args(["scan", "--summary", "--demo", "--format", "jsonl"])
        .output_within(COMMAND);
    let counts = jsonl(&out);
    let total: u64 = counts.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, expected_incident().len());
}

#[test]
fn min_severity_filters() {
    let out = triage()
        .args([
            "scan",
            "--demo",
            "--format",
            "jsonl",
            "--min-severity",
            "critical",
        ])
        .output_within(COMMAND);
    // Exactly the incident's hits whose entry is critical: every one of them, nothing else.
    let (catalogue, errors) = triage::catalogue::Catalogue::builtin();
    assert!(errors.is_empty(), "{errors:#?}");
    let critical: BTreeSet<Hit> = expected_incident()
        .into_iter()
        .filter(|(_, _, id)| {
            catalogue
                .entries()
                .iter()
                .find(|e| &e.id == id)
                .unwrap_or_else(|| panic!("expected.tsv names {id}, not in the catalogue"))
                .severity
                == triage::catalogue::Severity::Critical
        })
        .collect();
    assert!(
        !critical.is_empty() && critical.len() < expected_incident().len(),
        "the incident must have critical hits and others for this test to mean anything"
    );
    assert_eq!(hits_of(&out), critical);
    assert!(jsonl(&out).iter().all(|h| h["severity"] == "critical"));
}

#[test]
fn colour_only_when_wanted() {
    let plain = fixture("formats/plain.log");
    let always = triage()
        .args(["scan", "--color", "always"])
        .arg(&plain)
        .output_within(COMMAND);
    assert!(stdout(&always).contains("\x1b["));
    let never = triage()
        .args(["scan", "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .arg(&plain)
        .output_within(COMMAND);
    assert!(!stdout(&never).contains('\x1b'));
    // Piped (not a terminal): plain by default; NO_COLOR beats CLICOLOR_FORCE.
    let piped = triage().args(["scan"]).arg(&plain).output_within(COMMAND);
    assert!(!stdout(&piped).contains('\x1b'));
    let no_color = triage()
        .args(["scan"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .arg(&plain)
        .output_within(COMMAND);
    assert!(!stdout(&no_color).contains('\x1b'));
    let forced = triage()
        .args(["scan"])
        .env("CLICOLOR_FORCE", "1")
        .arg(&plain)
        .output_within(COMMAND);
    assert!(stdout(&forced).contains("\x1b["));
}

#[test]
fn text_output_reads_well() {
    let out = triage()
        .args(["scan", "--color", "never"])
        .arg(fixture("formats/compose.log"))
        .output_within(COMMAND);
    let text = stdout(&out).replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    insta::assert_snapshot!("scan_in_order", text);
    let out = triage()
        .args(["scan", "--group", "--color", "never"])
        .arg(fixture("formats/compose.log"))
        .output_within(COMMAND);
    let text = stdout(&out).replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    insta::assert_snapshot!("scan_grouped", text);
}

/// Escape sequences, bidi overrides, a 10 MB line, invalid UTF-8 and binary junk: nothing
/// crashes, every error line is still found, and nothing a terminal would interpret is
/// written out.
#[test]
fn hostile_input_is_matched_and_never_reaches_the_terminal_raw() {
    let mut log = Vec::new();
    log.extend_from_slice(b"\x1b[2J\x1b]0;pwned\x07E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' \x1b[31mto correct\x1b[0m the problem.\n");
    log.extend_from_slice("No space left on device \u{202e}evil\u{202c} \u{9b}2J\n".as_bytes());
    // A 10 MB line: cut at the longest line kept (1 MiB), its start still matched.
    let mut long = b"Out of memory: Killed process 4242 (mysqld) total-vm:1kB ".to_vec();
    long.extend(std::iter::repeat_n(b'x', 10 << 20));
    long.extend_from_slice(b" unseen\n");
    log.extend_from_slice(&long);
    log.extend_from_slice(b"caf\xe9 \xff\xfe connect() failed (111: Connection refused) while connecting to upstream, client: 1.2.3.4\n");
    log.extend_from_slice(&[0u8, 1, 2, 0xff, 0x80, b'\n', 0x1b, b'c', b'\n']);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.log");
    std::fs::write(&path, &log).unwrap();

    let json = triage()
        .args(["scan", "--format", "jsonl"])
        .arg(&path)
        .output_within(COMMAND);
    let got: Vec<_> = hits_of(&json).into_iter().map(|(_, l, p)| (l, p)).collect();
    assert_eq!(
        got,
        [
            (1, "dpkg-interrupted".into()),
            (2, "no-space-left".into()),
            (3, "oom-kill".into()),
            (4, "nginx-upstream-refused".into())
        ]
    );
    let long_hit = &jsonl(&json)[2];
    let kept = long_hit["text"].as_str().unwrap();
    assert!(
        kept.len() == (1 << 20) + triage::input::CUT_MARK.len()
            && kept.ends_with(std::str::from_utf8(triage::input::CUT_MARK).unwrap()),
        "the long line is kept up to 1 MiB in JSON, marked as cut ({} bytes)",
        kept.len()
    );

    for color in ["never", "always"] {
        let text = triage()
            .args(["scan", "--color", color])
            .arg(&path)
            .output_within(COMMAND);
        let raw = text.stdout.clone();
        let without_our_colours = strip_sgr(&raw);
        assert!(
            !without_our_colours.contains(&0x1b),
            "raw ESC in output with --color {color}"
        );
        let shown = String::from_utf8(raw).expect("output is valid UTF-8");
        assert!(
            !shown.contains('\u{202e}') && !shown.contains('\u{9b}') && !shown.contains('\u{7}')
        );
        assert!(
            shown.contains("\\x1b[2J") && shown.contains("<U+202E>") && shown.contains("\\xe9"),
            "{shown}"
        );
        assert!(
            shown.len() < 20_000,
            "the 10 MB line is shown as an excerpt, not whole"
        );
    }
}

/// Remove the SGR sequences triage writes itself (`ESC [ digits ; … m`).
fn strip_sgr(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
                j += 1;
            }
            if bytes.get(j) == Some(&b'm') {
                i = j + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[test]
fn lines_split_across_chunks_and_threads_are_numbered_right() {
    // 3 MB of filler with errors at known lines, scanned with 1 and 3 threads.
    let mut log = String::new();
    let mut expected = Vec::new();
    for n in 1..=40_000u64 {
        if n % 9_999 == 0 {
            log.push_str("W: GPG error: x InRelease: NO_PUBKEY 7EA0A9C3F273FCD8\n");
            expected.push(n);
        } else {
            log.push_str("2026-11-28T14:03:05Z healthy line with some padding to make it longer than usual\n");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.log");
    std::fs::write(&path, &log).unwrap();
    for threads in ["1", "3"] {
        let out = triage()
            .args(["scan", "--format", "jsonl", "-j", threads])
            .arg(&path)
            .output_within(COMMAND);
        let lines: Vec<u64> = jsonl(&out)
            .iter()
            .map(|h| h["line"].as_u64().unwrap())
            .collect();
        assert_eq!(lines, expected, "threads {threads}");
    }
}

/// `tail -f … | triage scan -`: from a pipe, each hit is printed as soon as its line has come,
/// not when the producer closes the pipe (here it never does until the test is done).
#[test]
fn hits_from_a_slow_pipe_are_printed_as_they_come() {
    use std::io::Write as _;
    for format in [
        "2026-11-28T14:03:05.123456789Z E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2187 (unattended-upgr)\n",
        "{\"__REALTIME_TIMESTAMP\":\"1795874585123456\",\"PRIORITY\":\"3\",\"SYSLOG_IDENTIFIER\":\"apt-get\",\"MESSAGE\":\"E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2187 (unattended-upgr)\"}\n",
    ] {
        let mut running = crate::common::Running::start(
            crate::common::triage()
                .args(["scan", "--format", "jsonl", "-"])
                .stdin(std::process::Stdio::piped()),
        );
        let mut pipe = running.take_stdin();
        pipe.write_all(format.as_bytes()).unwrap();
        pipe.flush().unwrap();
        // The pipe stays open: the hit must come out before end of input.
        running.wait_for_stdout(
            "the apt-lock hit",
            std::time::Duration::from_secs(20),
            |out| out.contains("\"apt-lock\""),
        );
        pipe.write_all(b"a quiet line\n").unwrap();
        drop(pipe);
        let out = running.stdout_so_far();
        assert_eq!(out.matches("\"apt-lock\"").count(), 1, "{out}");
    }
}

/// `explain` says how well it matched, and below a threshold that nothing matches: a word
/// that is no error, or a real log line no entry covers, must not be answered with an entry.
#[test]
fn explain_is_honest_about_how_well_it_matched() {
    use crate::common::Deadline as _;
    let explain = |query: &str| {
        let out = crate::common::triage()
            .args(["explain", query])
            .output_within(crate::common::COMMAND);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    for nonsense in ["xyzzy", "lorem ipsum", "foo"] {
        let (code, out) = explain(nonsense);
        assert_eq!(code, Some(1), "{nonsense}: {out}");
        assert!(
            out.starts_with("Nothing in the catalogue matches"),
            "{nonsense}: {out}"
        );
    }
    // MySQL 8's real wording (mysqld's error log; MY-010273), which shares "unix socket" and
    // "lock file" with other entries but is not the docker socket's problem.
    let (code, out) = explain(
        "2026-11-28T14:03:05.123456Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /var/run/mysqld/mysqld.sock.lock.",
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("No catalogue entry matches this line"),
        "{out}"
    );
    let (code, out) = explain("kex_exchange_identification: Connection closed by remote host");
    assert_eq!(code, Some(0));
    assert!(
        out.contains("ssh-kex-closed") && out.contains("Matched by: the line matches its regex"),
        "{out}"
    );
    let (code, out) = explain("dpkg lock");
    assert_eq!(code, Some(0));
    assert!(
        out.contains("apt-lock") && out.contains("Matched by: close to"),
        "{out}"
    );
}

/// Each command's help lists the options it takes, and only those.
#[test]
fn help_lists_only_the_options_a_command_applies() {
    let help = |args: &[&str]| {
        let output = triage().args(args).arg("--help").output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        stdout(&output)
    };
    let viewer_only = ["--scrollback", "--no-docker", "--no-journal"];
    let scan = help(&["scan"]);
    for option in viewer_only {
        assert!(
            !scan.contains(option),
            "scan --help lists {option}:\n{scan}"
        );
    }
    assert!(scan.contains("--color"), "{scan}");
    let viewer = help(&[]);
    for option in viewer_only {
        assert!(
            viewer.contains(option),
            "triage --help lacks {option}:\n{viewer}"
        );
    }
    for command in [&["explain"][..], &["demo"]] {
        assert!(help(command).contains("--color"), "{command:?}");
    }
    // And they are refused where they do not apply.
    let output = triage()
        .args(["scan", "--demo", "--scrollback", "10"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn explain_takes_color_like_scan_and_demo() {
    let never = triage()
        .args(["explain", "--color", "never", "oom-kill"])
        .output()
        .unwrap();
    assert!(never.status.success(), "{}", stderr(&never));
    assert!(stdout(&never).contains("oom-kill"));
    assert!(!stdout(&never).contains('\x1b'));
    let always = triage()
        .args(["explain", "--color=always", "oom-kill"])
        .output()
        .unwrap();
    assert!(always.status.success(), "{}", stderr(&always));
    let text = stdout(&always);
    assert!(text.contains("\x1b["), "{text}");
    // Colour only wraps the card: without the escapes it is the plain one.
    let plain = regex::Regex::new("\x1b\\[[0-9;]*m")
        .unwrap()
        .replace_all(&text, "");
    assert_eq!(plain, stdout(&never));
}

/// In Chinese, the severity words of `scan` (every layout) and of `explain`'s card are
/// Chinese too; JSON keeps its English values (a contract with scripts).
#[test]
fn severity_words_follow_the_language() {
    const ZH: [&str; 4] = ["严重", "错误", "警告", "信息"];
    let run = |args: &[&str], lang_env: &str| {
        let out = triage()
            .args(args)
            .args(["--color", "never"])
            .env("LANG", lang_env)
            .output_within(COMMAND);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    // The severity word of each header line: which column it is in depends on the layout.
    // (`--summary` right-aligns its counts: every line is a header there.)
    let words = |text: &str, column: usize| -> Vec<String> {
        let summary = column == 1 && text.starts_with(' ');
        text.lines()
            .filter(|l| !l.is_empty() && (summary || !l.starts_with(' ')))
            .map(|l| l.split_whitespace().nth(column).unwrap_or("").to_string())
            .collect()
    };
    for (layout, column) in [("--group", 0), ("--summary", 1), ("--min-severity=info", 1)] {
        let text = run(&["scan", "--demo", "--lang", "zh", layout], "C.UTF-8");
        let found = words(&text, column);
        assert!(found.len() > 3, "{layout}: {text}");
        assert!(
            found.iter().all(|w| ZH.contains(&w.as_str())),
            "{layout}: {found:?}"
        );
        assert!(found.iter().any(|w| w == "严重"), "{layout}: {found:?}");
        let english = run(&["scan", "--demo", "--lang", "en", layout], "C.UTF-8");
        assert!(
            words(&english, column).iter().all(|w| [
                "CRITICAL", "ERROR", "WARNING", "INFO", "critical", "error", "warning", "info"
            ]
            .contains(&w.as_str())),
            "{layout}: {english}"
        );
    }
    // The language from the environment, as `Lang::from_env` reads it.
    let grouped = run(&["scan", "--demo", "--group"], "zh_CN.UTF-8");
    assert!(grouped.starts_with("严重 "), "{grouped}");
    let card = run(&["explain", "oom-kill"], "zh_CN.UTF-8");
    assert!(card.starts_with("严重  oom-kill"), "{card}");
    let card = run(&["explain", "oom-kill"], "C.UTF-8");
    assert!(card.starts_with("CRITICAL  oom-kill"), "{card}");
    // Columns stay aligned: a Chinese word is padded to its width, not its length.
    let in_order = run(&["scan", "--demo", "--lang", "zh"], "C.UTF-8");
    let header = in_order
        .lines()
        .find(|l| l.contains(" oom-kill"))
        .expect(&in_order);
    assert!(header.contains(" 严重     oom-kill"), "{header}");
    let json = triage()
        .args(["scan", "--demo", "--lang", "zh", "--format", "jsonl"])
        .output_within(COMMAND);
    assert!(
        jsonl(&json)
            .iter()
            .all(|h| ["critical", "error", "warning", "info"]
                .contains(&h["severity"].as_str().unwrap())),
        "{}",
        stdout(&json)
    );
}
