//! A user's own catalogue files: added, overriding built-ins by id, and when broken, reported
//! precisely without losing anything else.

use crate::common::{COMMAND, Deadline, fixture, jsonl, stderr, stdout, triage};

fn scan_with(patterns: &str) -> std::process::Output {
    triage()
        .arg("--patterns")
        .arg(fixture(patterns))
        .args(["scan", "--format", "jsonl"])
        .arg(fixture("bad-patterns/input.log"))
        .output_within(COMMAND)
}

fn patterns_found(output: &std::process::Output) -> Vec<String> {
    jsonl(output)
        .iter()
        .map(|h| h["pattern"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_syntax_error_costs_only_its_own_entry() {
    let out = scan_with("bad-patterns/syntax");
    let err = stderr(&out);
    assert!(
        err.contains("bad-patterns/syntax/demo.toml:19: entry `demo-broken`: invalid basic string"),
        "{err}"
    );
    assert!(err.contains("the rest of the catalogue is loaded"), "{err}");
    // Both good entries of the same file, and the built-in catalogue, still work.
    assert_eq!(
        patterns_found(&out),
        ["demo-good-one", "demo-good-two", "oom-kill"]
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "a broken pattern file is an error"
    );
}

#[test]
fn a_bad_regex_names_its_line() {
    let out = scan_with("bad-patterns/regex");
    let err = stderr(&out);
    assert!(
        err.contains(
            "bad-patterns/regex/demo.toml:10: entry `demo-bad-regex`: invalid regex: unclosed group"
        ),
        "{err}"
    );
    assert_eq!(patterns_found(&out), ["demo-good-one", "oom-kill"]);
}

#[test]
fn a_duplicate_id_keeps_the_first() {
    let out = scan_with("bad-patterns/duplicate");
    let err = stderr(&out);
    assert!(
        err.contains("duplicate/b.toml:2: entry `demo-good-one`: duplicate id: already defined at")
            && err.contains("duplicate/a.toml:1"),
        "{err}"
    );
    let hits = jsonl(&out);
    assert_eq!(hits[0]["title"], "first definition");
}

#[test]
fn unknown_and_missing_fields_are_named() {
    let out = scan_with("bad-patterns/fields");
    let err = stderr(&out);
    assert!(
        err.contains("fields/demo.toml:8: entry `demo-typo`: unknown field `regexes`"),
        "{err}"
    );
    assert!(
        err.contains("fields/demo.toml:10: entry `demo-no-severity`: severity missing"),
        "{err}"
    );
    assert_eq!(patterns_found(&out), ["demo-good-one", "oom-kill"]);
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let out = scan_with("bad-patterns/utf8");
    assert!(
        stderr(&out).contains("utf8/demo.toml:4: not valid UTF-8"),
        "{}",
        stderr(&out)
    );
    assert_eq!(patterns_found(&out), ["oom-kill"]);
}

#[test]
fn a_missing_patterns_dir_is_an_error_not_silence() {
    let out = triage()
        .args([
            "--patterns",
            "/nonexistent/dir",
            "scan",
            "--format",
            "jsonl",
        ])
        .arg(fixture("bad-patterns/input.log"))
        .output_within(COMMAND);
    assert!(
        stderr(&out).contains("/nonexistent/dir"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(patterns_found(&out).contains(&"oom-kill".to_string()));
}

#[test]
fn user_entries_override_built_ins_by_id_and_add_new_ones() {
    let out = scan_with("override");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let hits = jsonl(&out);
    let oom = hits.iter().find(|h| h["pattern"] == "oom-kill").unwrap();
    assert_eq!(oom["title"], "OOM (our own wording)");
    assert_eq!(oom["severity"], "warning");
    let local = hits
        .iter()
        .find(|h| h["pattern"] == "local-payment-timeout")
        .unwrap();
    assert_eq!(local["captures"]["ms"], "3000");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_config_dir_is_read_too() {
    // $XDG_CONFIG_HOME/triage/patterns/*.toml
    let dir = tempfile::tempdir().unwrap();
    let patterns = dir.path().join("triage/patterns");
    std::fs::create_dir_all(&patterns).unwrap();
    std::fs::copy(fixture("override/oom.toml"), patterns.join("oom.toml")).unwrap();
    let out = triage()
        .env("XDG_CONFIG_HOME", dir.path())
        .args(["scan", "--format", "jsonl"])
        .arg(fixture("bad-patterns/input.log"))
        .output_within(COMMAND);
    assert!(
        patterns_found(&out).contains(&"local-payment-timeout".to_string()),
        "{}",
        stderr(&out)
    );
}

#[test]
fn patterns_check_reports_every_problem() {
    let out = triage()
        .args(["patterns", "check"])
        .arg(fixture("bad-patterns/check"))
        .output_within(COMMAND);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "entry `demo-checked`: refers to unknown id `no-such-entry`",
        "entry `demo-checked`: example does not match: \"disk quota exceeded\"",
        "entry `demo-checked`: counter-example matches: \"the disk full-scan finished\"",
        "1 entries, 2 examples, 1 counter-examples: 3 problem(s)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn patterns_check_reports_load_errors_too() {
    let out = triage()
        .args(["patterns", "check"])
        .arg(fixture("bad-patterns/syntax"))
        .output_within(COMMAND);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("entry `demo-broken`: invalid basic string"),
        "{}",
        stdout(&out)
    );
}
