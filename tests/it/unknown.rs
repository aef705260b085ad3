//! Unrecognised errors (`scan --unknown`) and templates (`triage templates`), end to end: the
//! real binary on real lines and on the loghub samples.

use std::path::PathBuf;

use crate::common::{self, jsonl, run_with_stdin, stdout, triage};

// Real lines: loghub Hadoop_2k.log lines 1, 923, 931 and 668, Zookeeper_2k.log line 3
// (https://github.com/logpai/loghub), and patterns/nginx.toml's nginx-upstream-refused
// example (nginx's error log wording, ngx_event_connect.c).
const INFO: &str = "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001";
const RM_1: &str = "2015-10-18 18:06:01,840 ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM. ";
const RM_2: &str = "2015-10-18 18:06:03,856 ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM. ";
const CONTAINER: &str = "2015-10-18 18:04:11,034 ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Container complete event for unknown container id container_1445144423722_0020_01_000012";
const WARN: &str = "2015-07-29 19:04:29,071 - WARN  [SendWorker:188978561024:QuorumCnxManager$SendWorker@688] - Send worker leaving thread";
const KNOWN: &str = "2026/11/28 14:03:05 [error] 29#29: *4711 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: athena.example.com, request: \"GET /api/v1/events HTTP/1.1\", upstream: \"http://172.18.0.4:8000/api/v1/events\", host: \"athena.example.com\"";

fn input(lines: &[&str]) -> Vec<u8> {
    let mut text = lines.join("\n");
    text.push('\n');
    text.into_bytes()
}

fn scan(args: &[&str], lines: &[&str]) -> std::process::Output {
    let mut cmd = triage();
    cmd.arg("scan").args(args).arg("-");
    run_with_stdin(cmd, &input(lines))
}

#[test]
fn unknown_adds_unrecognised_errors_with_their_template_and_level() {
    let lines = [INFO, RM_1, WARN, KNOWN, RM_2, CONTAINER];
    let plain = scan(&["--format", "jsonl"], &lines);
    let known: Vec<_> = jsonl(&plain);
    assert_eq!(known.len(), 1, "{}", stdout(&plain));
    assert_eq!(known[0]["pattern"], "nginx-upstream-refused");

    let output = scan(&["--unknown", "--format", "jsonl"], &lines);
    assert_eq!(output.status.code(), Some(0));
    let found = jsonl(&output);
    let summary: Vec<(u64, Option<&str>, &str, Option<&str>)> = found
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["pattern"].as_str(),
                f["severity"].as_str().unwrap(),
                f["template"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (2, None, "error", Some("ERROR IN CONTACTING RM.")),
            (4, Some("nginx-upstream-refused"), "error", None),
            (5, None, "error", Some("ERROR IN CONTACTING RM.")),
            (
                6,
                None,
                "error",
                Some("Container complete event for unknown container id <*>")
            ),
        ]
    );
    // The unrecognised object says so: `"pattern": null`, never a made-up id.
    assert!(found[0]["pattern"].is_null());
    assert_eq!(found[0]["text"], RM_1);
}

#[test]
fn warnings_by_option() {
    let output = scan(&["--unknown=warning", "--format", "jsonl"], &[INFO, WARN]);
    let found = jsonl(&output);
    assert_eq!(found.len(), 1, "{}", stdout(&output));
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["template"], "Send worker leaving thread");
    assert!(jsonl(&scan(&["--unknown", "--format", "jsonl"], &[INFO, WARN])).is_empty());
}

#[test]
fn only_unrecognised_errors_exit_zero_with_unknown() {
    let lines = [INFO, RM_1, RM_2];
    assert_eq!(scan(&[], &lines).status.code(), Some(1));
    assert_eq!(scan(&["--unknown"], &lines).status.code(), Some(0));
    assert_eq!(scan(&["--unknown"], &[INFO]).status.code(), Some(1));
}

#[test]
fn the_summary_lists_templates_after_the_known_errors() {
    let lines = [RM_1, KNOWN, RM_2, CONTAINER, RM_1];
    let output = scan(&["--unknown", "--summary", "--format", "jsonl"], &lines);
    let found = jsonl(&output);
    let rows: Vec<(Option<&str>, Option<&str>, u64)> = found
        .iter()
        .map(|f| {
            (
                f["pattern"].as_str(),
                f["template"].as_str(),
                f["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (Some("nginx-upstream-refused"), None, 1),
            (None, Some("ERROR IN CONTACTING RM."), 3),
            (
                None,
                Some("Container complete event for unknown container id <*>"),
                1
            ),
        ]
    );
    let text = stdout(&scan(&["--unknown", "--summary"], &lines));
    let known_at = text.find("nginx-upstream-refused").unwrap();
    let template_at = text.find("ERROR IN CONTACTING RM.").unwrap();
    assert!(known_at < template_at, "{text}");
    assert!(text.contains("unrecognised"), "{text}");
}

/// The loghub samples the repository keeps (the same as ../shared/corpus/loghub).
fn loghub() -> PathBuf {
    common::fixture("loghub")
}

#[test]
fn loghub_failures_are_unrecognised_templates_not_a_docker_entry() {
    let dir = loghub();
    let mut cmd = triage();
    cmd.args(["scan", "--unknown", "--summary", "--format", "jsonl"])
        .arg(dir.join("BGL_2k.log"));
    let output = common::Running::start(&mut cmd).finish_within(common::COMMAND);
    let found = jsonl(&output);
    // BlueGene/L's job loader failing on a binary is not a container built for another CPU.
    assert!(
        !found.iter().any(|f| f["pattern"] == "exec-format-error"),
        "{}",
        stdout(&output)
    );
    let templates: Vec<&str> = found
        .iter()
        .filter(|f| f["pattern"].is_null())
        .map(|f| f["template"].as_str().unwrap())
        .collect();
    for wanted in [
        "Error loading <*>: invalid or missing program image, Exec format error",
        "Error loading <*>: invalid or missing program image, No such file or directory",
        "data TLB error interrupt",
    ] {
        assert!(
            templates.contains(&wanted),
            "{wanted} not in {templates:#?}"
        );
    }
}

#[test]
fn templates_command_one_object_per_line_and_counts() {
    let dir = loghub();
    let path = dir.join("HDFS_2k.log");
    let mut cmd = triage();
    cmd.args(["templates", "--format", "jsonl"]).arg(&path);
    let output = common::Running::start(&mut cmd).finish_within(common::COMMAND);
    let lines = jsonl(&output);
    assert_eq!(lines.len(), 2000);
    assert_eq!(lines[1999]["line"], 2000);
    let mut cmd = triage();
    cmd.arg("templates").arg(&path);
    let output = common::Running::start(&mut cmd).finish_within(common::COMMAND);
    let text = stdout(&output);
    let first = text.lines().next().unwrap();
    // HDFS's most frequent kind of line, counted, most frequent first.
    assert!(
        first.ends_with("Received block <*> of size <*> from <*>")
            || first.contains("PacketResponder <*> for block <*> terminating")
            || first.contains("BLOCK* NameSystem.addStoredBlock"),
        "{text}"
    );
    let counts: Vec<u64> = text
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(counts.iter().sum::<u64>(), 2000);
}
