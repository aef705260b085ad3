//! The journal source against real journal files read by real journalctl (written with
//! systemd-journal-remote), and a real systemd-journald (`scripts/services up`). With `CI`
//! set these fail when the tools are missing; they never pass silently.

use crate::common;

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::common::{COMMAND, Deadline, Running, WAIT, can_run, jsonl, stderr, triage};

const JOURNAL_REMOTE: &str = "/lib/systemd/systemd-journal-remote";

fn tools_ready() -> bool {
    common::component_present(
        "journalctl or systemd-journal-remote",
        Path::new(JOURNAL_REMOTE).exists() && can_run("journalctl", &["--version"]),
        "scripts/install-deps installs them",
    )
}

fn journald_ready() -> bool {
    common::component_present(
        "systemd-journald",
        Path::new("/run/systemd/journal/socket").exists(),
        "scripts/services up starts it",
    )
}

/// Journal files of the test's own: entries are appended with systemd-journal-remote, as a
/// machine's journald would write them.
struct Journal {
    dir: tempfile::TempDir,
    boot: String,
    clock: u64,
}

impl Journal {
    fn new() -> Journal {
        let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .unwrap()
            .trim()
            .replace('-', "");
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_micros() as u64
            - 60_000_000;
        Journal {
            dir: tempfile::tempdir().unwrap(),
            boot,
            clock,
        }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("system.journal")
    }

    /// Append entries, each a list of fields.
    fn append(&mut self, entries: &[Vec<(&str, String)>]) {
        let mut export = Vec::new();
        for fields in entries {
            self.clock += 1000;
            writeln!(export, "__REALTIME_TIMESTAMP={}", self.clock).unwrap();
            writeln!(export, "__MONOTONIC_TIMESTAMP={}", self.clock).unwrap();
            writeln!(export, "_BOOT_ID={}", self.boot).unwrap();
            writeln!(export, "_HOSTNAME=testhost").unwrap();
            for (name, value) in fields {
                writeln!(export, "{name}={value}").unwrap();
            }
            writeln!(export).unwrap();
        }
        let mut remote = Running::start(
            Command::new(JOURNAL_REMOTE)
                .arg("-o")
                .arg(self.file())
                .arg("-")
                .stdin(Stdio::piped()),
        );
        // Dropped after the write: journal-remote sees the end of its input.
        remote.take_stdin().write_all(&export).unwrap();
        let out = remote.finish_within(COMMAND);
        assert!(
            out.status.success(),
            "journal-remote: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn unit_entry(unit: &str, ident: &str, message: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_SYSTEMD_UNIT", unit.to_string()),
        ("SYSLOG_IDENTIFIER", ident.to_string()),
        ("PRIORITY", "3".to_string()),
        ("MESSAGE", message.to_string()),
    ]
}

fn kernel_entry(message: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_TRANSPORT", "kernel".to_string()),
        ("SYSLOG_IDENTIFIER", "kernel".to_string()),
        ("PRIORITY", "3".to_string()),
        ("MESSAGE", message.to_string()),
    ]
}

const OOM: &str = "Out of memory: Killed process 4242 (mysqld) total-vm:1735420kB, anon-rss:603148kB, file-rss:0kB, shmem-rss:0kB, UID:999 pgtables:1584kB oom_score_adj:0";
const UNKNOWN_VAR: &str = "2026-11-28T14:03:06.499870Z 0 [ERROR] [MY-000067] [Server] unknown variable 'query_cache_type=0'.";
const DPKG: &str = "E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' to correct the problem.";

fn patterns(out: &std::process::Output) -> Vec<String> {
    jsonl(out)
        .iter()
        .map(|h| h["pattern"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn units_and_the_kernel_filter_as_journalctl_does() {
    if !tools_ready() {
        return;
    }
    let mut journal = Journal::new();
    journal.append(&[
        unit_entry("mysql.service", "mysqld", UNKNOWN_VAR),
        kernel_entry(OOM),
        unit_entry("apt-daily.service", "apt-get", DPKG),
    ]);
    let file = journal.file();
    let scan = |extra: &[&str]| {
        triage()
            .args(["scan", "--journal", "--format", "jsonl", "--journal-file"])
            .arg(&file)
            .args(extra)
            .output_within(COMMAND)
    };
    let all = scan(&[]);
    assert_eq!(
        patterns(&all),
        ["mysql-unknown-variable", "oom-kill", "dpkg-interrupted"],
        "{}",
        stderr(&all)
    );
    let hit = &jsonl(&all)[1];
    assert_eq!(
        (hit["file"].as_str(), hit["source"].as_str()),
        (Some("journal"), Some("kernel"))
    );
    assert_eq!(
        patterns(&scan(&["-u", "mysql.service"])),
        ["mysql-unknown-variable"]
    );
    assert_eq!(
        patterns(&scan(&["-u", "mysql.service", "-u", "apt-daily.service"])),
        ["mysql-unknown-variable", "dpkg-interrupted"]
    );
    assert_eq!(patterns(&scan(&["-k"])), ["oom-kill"]);
}

/// `triage scan --journal --follow` on a journal file, running until stopped.
fn follow(file: &Path) -> Running {
    Running::start(
        Command::new(env!("CARGO_BIN_EXE_triage"))
            .args([
                "scan",
                "--journal",
                "--follow",
                "--format",
                "jsonl",
                "--journal-file",
            ])
            .arg(file)
            .env("XDG_CONFIG_HOME", common::fixture("no-user-config"))
            .stdin(Stdio::null()),
    )
}

/// The journalctl that triage (pid `parent`) runs, other than `not`, once there is one.
fn journalctl_of(parent: u32, not: Option<&str>) -> String {
    common::wait_for("triage's journalctl", WAIT, || {
        let out = Command::new("pgrep")
            .args(["-P", &parent.to_string(), "journalctl"])
            .output_within(COMMAND);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find(|pid| Some(*pid) != not && !common::process_gone(pid))
            .map(str::to_string)
    })
}

#[test]
fn following_picks_up_new_entries_and_a_killed_journalctl_resumes_from_its_cursor() {
    if !tools_ready() {
        return;
    }
    let mut journal = Journal::new();
    let numbered = |n: u32| unit_entry("apt-daily.service", "apt-get", &format!("{DPKG} #{n}"));
    journal.append(&(1..=3).map(numbered).collect::<Vec<_>>());
    let mut child = follow(&journal.file());
    let first = journalctl_of(child.pid(), None);
    // Each step waits for what it needs, not for a time: the entries reached the output.
    let shown = |n: u32| move |out: &str| out.contains(&format!("#{n}\""));
    child.wait_for_stdout("#3", WAIT, shown(3));
    journal.append(&(4..=6).map(numbered).collect::<Vec<_>>());
    child.wait_for_stdout("#6", WAIT, shown(6));
    // journalctl dies; triage starts another after the last cursor it saw.
    Command::new("kill")
        .args(["-9", &first])
        .status_within(COMMAND);
    journal.append(&(7..=9).map(numbered).collect::<Vec<_>>());
    let second = journalctl_of(child.pid(), Some(&first));
    assert_ne!(second, first, "journalctl was not restarted");
    child.wait_for_stdout("#9 from the new journalctl", WAIT, shown(9));
    journal.append(&(10..=12).map(numbered).collect::<Vec<_>>());
    child.wait_for_stdout("#12", WAIT, shown(12));
    let out = child.stop(libc::SIGINT, COMMAND);
    let seen: Vec<String> = jsonl(&out)
        .iter()
        .map(|h| {
            let text = h["text"].as_str().unwrap();
            text[text.rfind('#').unwrap()..].to_string()
        })
        .collect();
    let expected: Vec<String> = (1..=12).map(|n| format!("#{n}")).collect();
    assert_eq!(seen, expected, "lost or doubled entries\n{}", stderr(&out));
}

#[test]
fn a_live_journald_is_followed() {
    if !tools_ready() || !journald_ready() {
        return;
    }
    let marker = format!("triage-test-{}-entry", std::process::id());
    let mut child = Running::start(
        Command::new(env!("CARGO_BIN_EXE_triage"))
            .args([
                "scan",
                "--journal",
                "--follow",
                "--since",
                "1m",
                "--format",
                "jsonl",
            ])
            .env("XDG_CONFIG_HOME", common::fixture("no-user-config"))
            .stdin(Stdio::null()),
    );
    // systemd-cat must outlive the message a little for journald to read its cgroup.
    let log = |text: &str| {
        let status = Command::new("systemd-cat")
            .args(["-t", "mysqld", "-p", "err", "sh", "-c"])
            .arg(format!("echo \"{UNKNOWN_VAR} {text}\"; sleep 0.3"))
            .status_within(COMMAND);
        assert!(status.success());
    };
    // Head start, as a condition: a first entry (inside --since) shows, so triage follows.
    let warm_up = format!("triage-test-{}-warm-up", std::process::id());
    log(&warm_up);
    child.wait_for_stdout("the warm-up entry", WAIT, |out| out.contains(&warm_up));
    log(&marker);
    child.wait_for_stdout("the entry", WAIT, |out| out.contains(&marker));
    let out = child.stop(libc::SIGINT, COMMAND);
    let hits = jsonl(&out);
    let ours: Vec<_> = hits
        .iter()
        .filter(|h| h["text"].as_str().unwrap().contains(&marker))
        .collect();
    assert_eq!(ours.len(), 1, "{}", stderr(&out));
    assert_eq!(ours[0]["pattern"], "mysql-unknown-variable");
    assert_eq!(ours[0]["source"], "mysqld");
}

#[test]
fn no_permission_to_read_the_journal_is_explained() {
    if !tools_ready() || !journald_ready() {
        return;
    }
    let out = common::triage_as_nobody()
        .args(["scan", "--journal", "--format", "jsonl"])
        .output_within(COMMAND);
    assert!(
        patterns(&out).contains(&"journal-permission".to_string()),
        "{:?}\n{}",
        patterns(&out),
        stderr(&out)
    );
}

#[test]
fn a_missing_journalctl_is_explained() {
    let out = triage()
        .args(["scan", "--journal", "--format", "jsonl"])
        .env("PATH", "/nonexistent")
        .output_within(COMMAND);
    assert_eq!(patterns(&out), ["journalctl-missing"]);
    assert!(
        stderr(&out).contains("journalctl: command not found"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn journalctl_does_not_outlive_triage() {
    if !tools_ready() {
        return;
    }
    let mut journal = Journal::new();
    journal.append(&[kernel_entry(OOM)]);
    for signal in [libc::SIGTERM, libc::SIGKILL] {
        let child = follow(&journal.file());
        let pid = journalctl_of(child.pid(), None);
        let _ = child.stop(signal, COMMAND);
        common::wait_until(
            &format!("journalctl {pid} to end with triage (signal {signal})"),
            WAIT,
            || common::process_gone(&pid),
        );
    }
}

/// A journal that is readable but shows nothing says why and what to do, on stderr of
/// `scan --journal` (read once and followed): real journalctl on an empty directory, and on
/// journal files none of whose entries the filter lets through.
#[test]
fn an_empty_journal_says_why() {
    if !tools_ready() {
        return;
    }
    let empty = tempfile::tempdir().unwrap();
    let out = triage()
        .args(["scan", "--journal", "--format", "jsonl", "-D"])
        .arg(empty.path())
        .output_within(COMMAND);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "journal: no journal entries: no journal files in {}",
            empty.path().display()
        )) && said.contains("/var/log/journal/<machine-id>/"),
        "{said}"
    );
    // Followed: said while it waits, not only at the end.
    let child = Running::start(
        Command::new(env!("CARGO_BIN_EXE_triage"))
            .args(["scan", "--journal", "--follow", "--format", "jsonl", "-D"])
            .arg(empty.path())
            .env("XDG_CONFIG_HOME", common::fixture("no-user-config"))
            .stdin(Stdio::null()),
    );
    common::wait_until("the note while following", WAIT, || {
        child.stderr_so_far().contains("no journal files in")
    });
    let _ = child.stop(libc::SIGINT, COMMAND);

    let mut journal = Journal::new();
    journal.append(&[unit_entry("apt-daily.service", "apt-get", DPKG)]);
    let out = triage()
        .args([
            "scan",
            "--journal",
            "-u",
            "nothing.service",
            "--journal-file",
        ])
        .arg(journal.file())
        .output_within(COMMAND);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("no journal entries matching -u nothing.service in the journal files given"),
        "{said}"
    );
}

/// A real Hadoop line (loghub) no catalogue entry knows, logged at priority err.
const UNRECOGNISED: &str = "RMContainerAllocator: Container complete event for unknown container id container_1445144423722_0020_01_000012";

#[test]
fn unknown_reports_the_journals_unrecognised_errors_as_files_do() {
    if !tools_ready() {
        return;
    }
    let mut journal = Journal::new();
    let mut info = unit_entry("app.service", "app", "worker started");
    info[2].1 = "6".to_string();
    journal.append(&[
        unit_entry("app.service", "app", UNRECOGNISED),
        info,
        unit_entry("mysql.service", "mysqld", UNKNOWN_VAR),
    ]);
    let file = journal.file();
    let scan = |extra: &[&str]| {
        triage()
            .args(["scan", "--journal", "--journal-file"])
            .arg(&file)
            .args(extra)
            .output_within(COMMAND)
    };
    let out = scan(&["--unknown", "--format", "jsonl"]);
    let found = jsonl(&out);
    let summary: Vec<(Option<&str>, Option<&str>, Option<&str>)> = found
        .iter()
        .map(|h| {
            (
                h["pattern"].as_str(),
                h["severity"].as_str(),
                h["source"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (None, Some("error"), Some("app")),
            (
                Some("mysql-unknown-variable"),
                Some("critical"),
                Some("mysqld")
            ),
        ],
        "{}",
        stderr(&out)
    );
    assert_eq!(
        found[0]["template"].as_str(),
        Some("RMContainerAllocator: Container complete event for unknown container id <*>"),
    );
    // Without --unknown, only the known error.
    assert_eq!(
        patterns(&scan(&["--format", "jsonl"])),
        ["mysql-unknown-variable"]
    );
    // Grouped text lists the template after the known errors, as for a file.
    let text = String::from_utf8_lossy(&scan(&["--unknown", "--group"]).stdout).into_owned();
    let known = text.find("mysql-unknown-variable").expect(&text);
    let unknown = text.find("unrecognised").expect(&text);
    assert!(known < unknown, "{text}");
    // Only unrecognised errors, with --unknown: found something, exit 0.
    let only = scan(&["--unknown", "-u", "app.service"]);
    assert_eq!(only.status.code(), Some(0), "{}", stderr(&only));
}

#[test]
fn report_on_the_journal_joins_its_unrecognised_errors_to_the_incident() {
    if !tools_ready() {
        return;
    }
    let mut journal = Journal::new();
    // The same writer, the same moment: a known error and one no entry knows.
    journal.append(&[
        unit_entry("mysql.service", "mysqld", UNKNOWN_VAR),
        unit_entry("mysql.service", "mysqld", UNRECOGNISED),
    ]);
    let out = triage()
        .args(["report", "--journal", "--journal-file"])
        .arg(journal.file())
        .args(["--format", "json"])
        .output_within(COMMAND);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    let incident = json["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .find(|i| i["root"] == "mysql-unknown-variable")
        .unwrap_or_else(|| panic!("no mysql-unknown-variable incident: {json:#}"));
    let templates: Vec<&str> = incident["unrecognised"]
        .as_array()
        .unwrap_or_else(|| panic!("no unrecognised errors in the incident: {incident:#}"))
        .iter()
        .filter_map(|u| u["template"].as_str())
        .collect();
    assert_eq!(
        templates,
        ["RMContainerAllocator: Container complete event for unknown container id <*>"],
        "{incident:#}"
    );
}
