//! `triage patterns new`: an entry drafted from a real line is saved in the user's patterns
//! directory, passes `patterns check DIR` (checked over the built-ins), and finds the line.

use crate::common::{COMMAND, Deadline, triage};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// https://github.com/TablePlus/DBngin/issues/141
const LINE: &str = "2024-03-25T14:56:30.073888Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /tmp.mysql.sock.lock.";

#[test]
fn a_line_becomes_an_entry_that_finds_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = triage()
        .arg("--patterns")
        .arg(dir.path())
        .args(["patterns", "new", "--id", "my-socket-lock", LINE])
        .output_within(COMMAND);
    assert!(out.status.success(), "{}", stderr(&out));
    let saved = dir.path().join("my-socket-lock.toml");
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.contains("severity = \"error\""), "{text}");
    assert!(
        text.contains("title.en = ") && !text.contains("zh"),
        "{text}"
    );
    assert!(stdout(&out).contains("entry `my-socket-lock` (error)"));

    // It passes the check of its directory, over the built-ins.
    let check = triage()
        .args(["patterns", "check"])
        .arg(dir.path())
        .output_within(COMMAND);
    assert!(check.status.success(), "{}", stdout(&check));
    assert!(stdout(&check).contains("1 entries, 1 examples, 0 counter-examples: ok"));

    // And finds the same failure on another path, with the path captured.
    let log = dir.path().join("other.log");
    std::fs::write(
        &log,
        "2024-03-26T01:00:00.100000Z 0 [ERROR] [MY-010273] [Server] Could not create unix socket lock file /var/run/mysqld/mysqld.sock.lock.\n",
    )
    .unwrap();
    let scan = triage()
        .arg("--patterns")
        .arg(dir.path())
        .args(["scan", "--format", "jsonl"])
        .arg(&log)
        .output_within(COMMAND);
    let hit: serde_json::Value = stdout(&scan)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|h| h["pattern"] == "my-socket-lock")
        .expect("the new entry finds the line");
    assert_eq!(hit["captures"]["path"], "/var/run/mysqld/mysqld.sock.lock.");
    // Shown in Chinese, an English-only entry speaks English.
    let explain = triage()
        .arg("--patterns")
        .arg(dir.path())
        .args(["--lang", "zh", "explain", "my-socket-lock"])
        .output_within(COMMAND);
    assert!(
        stdout(&explain).contains("TODO: what makes this happen"),
        "{}",
        stdout(&explain)
    );

    // A second draft with the same id does not overwrite the first.
    let again = triage()
        .arg("--patterns")
        .arg(dir.path())
        .args(["patterns", "new", "--id", "my-socket-lock", LINE])
        .output_within(COMMAND);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));
}

/// A user's directory is checked over the built-ins: its entries may lead to built-in ids.
#[test]
fn a_users_directory_is_checked_over_the_built_ins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        r#"[[entry]]
id = "my-app-down"
severity = "error"
title.en = "My app is down"
cause.en = "It stopped."
leads_to = ["nginx-upstream-refused"]
regex = ['''myapp: service unavailable''']
examples = ["myapp: service unavailable"]

[[entry.remedy]]
en = "Look at its log."
run = ["journalctl -u myapp -n 50"]
"#,
    )
    .unwrap();
    let check = triage()
        .args(["patterns", "check"])
        .arg(dir.path())
        .output_within(COMMAND);
    assert!(check.status.success(), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("1 entries, 1 examples"),
        "{}",
        stdout(&check)
    );
}
