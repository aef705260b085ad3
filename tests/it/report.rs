//! `triage report`: the bundled incident's incidents in the postmortem's order (from the
//! JSON), the Markdown draft (insta), the same report from the files themselves, and log
//! text that cannot break out of the draft's code blocks.

use std::process::Output;

use crate::common::{COMMAND, Running, repo, run_with_stdin, stderr, stdout, triage};

fn run(args: &[&str]) -> Output {
    let output = Running::start(triage().args(args)).finish_within(COMMAND);
    assert!(
        output.status.success(),
        "triage {args:?} failed: {}",
        stderr(&output)
    );
    output
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = run(args);
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&output)))
}

fn strings(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn the_demo_incidents_are_the_postmortems_in_its_order_root_cause_first() {
    let report = json(&["report", "--demo", "--format", "json"]);
    let incidents = report["incidents"].as_array().unwrap();
    let got: Vec<(&str, Vec<&str>)> = incidents
        .iter()
        .map(|i| (i["root"].as_str().unwrap(), strings(&i["chain"])))
        .collect();
    let expected: Vec<(&str, Vec<&str>)> = vec![
        // 2.1: the Docker repository's key, the dpkg lock, then dpkg interrupted.
        (
            "apt-nopubkey",
            vec!["apt-nopubkey", "apt-lock", "dpkg-interrupted"],
        ),
        // 2.2
        ("docker-sock-denied", vec!["docker-sock-denied"]),
        // 2.3: the OOM-killed database behind `unhealthy`.
        (
            "oom-kill",
            vec!["oom-kill", "container-unhealthy", "compose-unhealthy"],
        ),
        // 2.3: my.cnf's options rejected.
        (
            "mysql-unknown-variable",
            vec![
                "mysql-unknown-variable",
                "mysql-server-aborting",
                "mysql-option-without-group",
                "mysql-config-check-failed",
            ],
        ),
        // 2.4: the missing log directory behind the boot failures, 111 and 502.
        (
            "app-missing-log-dir",
            vec![
                "app-missing-log-dir",
                "gunicorn-boot-fail",
                "nginx-upstream-refused",
                "nginx-502",
            ],
        ),
        // 2.5: TLS on port 80.
        ("tls-on-http-port", vec!["tls-on-http-port"]),
    ];
    assert_eq!(got, expected);

    // Every one of the incident's 79 hits is in exactly one incident.
    let counts: Vec<u64> = incidents
        .iter()
        .map(|i| i["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [5, 2, 7, 9, 54, 2]);
    // The crash loop is one group with a count, not 30 lines.
    let boot = &incidents[4]["groups"][1];
    assert_eq!(
        (boot["id"].as_str(), boot["count"].as_u64()),
        (Some("gunicorn-boot-fail"), Some(30))
    );
    assert_eq!(
        incidents[4]["first"].as_str(),
        Some("2026-11-27T10:26:29.854705362Z")
    );
    assert_eq!(
        strings(&incidents[4]["containers"]),
        ["athena_eye_backend", "athena_eye_frontend"]
    );

    // The silent death: the database's own log stops a second before the kernel's OOM kill,
    // and nothing in it says why.
    let oom = &incidents[2];
    assert_eq!(strings(&oom["containers"]), ["athena_eye_db"]);
    assert_eq!(
        strings(&oom["units"]),
        ["athena-deploy.sh", "kernel", "systemd"]
    );
    assert_eq!(oom["silent"][0]["container"], "athena_eye_db");
    assert_eq!(
        oom["silent"][0]["last_line"],
        "2026-11-27T09:45:06.310546145Z"
    );
    assert_eq!(oom["silent"][0]["killed_at"], "2026-11-27T09:45:07Z");
    for (i, incident) in incidents.iter().enumerate() {
        if i != 2 {
            assert_eq!(incident["silent"], serde_json::json!([]), "{incident}");
        }
    }
}

#[test]
fn the_report_on_the_files_is_the_demos() {
    let demo = json(&["report", "--demo", "--format", "json"]);
    let compose = repo("examples/athena-eye/docker-compose.log");
    let host = repo("examples/athena-eye/host.log");
    let files = json(&[
        "report",
        "--format",
        "json",
        host.to_str().unwrap(),
        compose.to_str().unwrap(),
    ]);
    let strip = |mut v: serde_json::Value| {
        for incident in v["incidents"].as_array_mut().unwrap() {
            incident["sources"] = serde_json::Value::Null;
            for row in incident["unrecognised"].as_array_mut().unwrap() {
                row["sources"] = serde_json::Value::Null;
            }
        }
        v
    };
    assert_eq!(strip(files), strip(demo));
}

#[test]
fn the_demo_report_in_markdown() {
    let en = stdout(&run(&["report", "--demo"]));
    insta::assert_snapshot!("demo_report_en", en);
}

#[test]
fn the_demo_report_in_chinese() {
    let zh = stdout(&run(&["report", "--demo", "--lang", "zh"]));
    assert!(zh.starts_with("# 故障复盘报告"), "{zh}");
    for heading in [
        "错误表现",
        "原因分析",
        "事件经过",
        "日志摘录",
        "解决方法",
        "总结",
    ] {
        assert_eq!(
            zh.matches(&format!("#### {heading}\n")).count(),
            6,
            "{heading}"
        );
    }
    insta::assert_snapshot!("demo_report_zh", zh);
}

#[test]
fn log_text_cannot_escape_the_drafts_code_blocks_or_drive_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    // A docker logs -t line holding a fence, an escape sequence and a bidi override around a
    // known error.
    std::fs::write(
        &log,
        "2026-11-27T10:26:29.854705362Z ```\n\
         2026-11-27T10:26:29.954952891Z \u{1b}[2J\u{202e}[2026-11-27 10:26:29 +0000] [1] [ERROR] Reason: Worker failed to boot. ````\n",
    )
    .unwrap();
    let md = stdout(&run(&["report", log.to_str().unwrap()]));
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'), "{md}");
    assert!(md.contains("\\x1b[2J"), "{md}");
    // The excerpt's fence is longer than any backtick run inside it.
    let excerpt = md
        .split("#### Log excerpts")
        .nth(1)
        .expect("an excerpt section");
    let fence_line = excerpt
        .lines()
        .find(|l| l.starts_with("```"))
        .expect("a fenced excerpt");
    assert_eq!(fence_line, "`````text", "{md}");
    let closing = excerpt
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .find(|l| l.starts_with("```"))
        .unwrap();
    assert_eq!(closing, "`````");
}

#[test]
fn a_pipe_in_a_writers_name_stays_in_its_table_cell() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("host.log");
    std::fs::write(
        &log,
        "2026-11-27T09:33:12+0000 vm de|ploy.sh[3488]: permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json\": dial unix /var/run/docker.sock: connect: permission denied\n",
    )
    .unwrap();
    let md = stdout(&run(&["report", log.to_str().unwrap()]));
    let row = md
        .lines()
        .find(|l| l.starts_with("| 09:33:12 |"))
        .unwrap_or_else(|| panic!("no chain row:\n{md}"));
    assert!(row.ends_with("| `de\\|ploy.sh` |"), "{row}");
    // Four cells: the escaped pipe does not make a fifth.
    assert_eq!(row.replace("\\|", "").matches('|').count(), 5, "{row}");
}

#[test]
fn nothing_found_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("quiet.log");
    std::fs::write(&log, "all is well\n").unwrap();
    let md = stdout(&run(&["report", log.to_str().unwrap()]));
    assert!(md.contains("No known error was found"), "{md}");
    let data = json(&["report", "--format", "json", log.to_str().unwrap()]);
    assert_eq!(data["incidents"], serde_json::json!([]));
}

#[test]
fn the_readme_excerpt_is_the_real_report_of_the_demo() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let excerpt = readme
        .split("<!-- report-demo:start -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- report-demo:end -->").next())
        .expect("README has the report-demo markers");
    let lines: Vec<&str> = excerpt
        .lines()
        .filter(|l| !l.starts_with("````") && !l.is_empty() && *l != "…")
        .collect();
    assert!(lines.len() > 20, "{excerpt}");
    let report = stdout(&run(&["report", "--demo"]));
    let report_lines: Vec<&str> = report.lines().collect();
    // Every line is in the report, in this order (the ellipses leave lines out).
    let mut at = 0;
    for line in lines {
        match report_lines[at..].iter().position(|l| *l == line) {
            Some(found) => at += found + 1,
            None => panic!("not in `triage report --demo` (after line {at}): {line}"),
        }
    }
}

#[test]
fn report_dash_reads_stdin_as_scan_dash_does() {
    let host = std::fs::read(repo("examples/athena-eye/host.log")).unwrap();
    let mut cmd = triage();
    cmd.args(["report", "--format", "json", "-"]);
    let output = run_with_stdin(cmd, &host);
    assert!(output.status.success(), "{}", stderr(&output));
    let piped: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&output)));
    let file = json(&[
        "report",
        "--format",
        "json",
        repo("examples/athena-eye/host.log").to_str().unwrap(),
    ]);
    let roots = |v: &serde_json::Value| -> Vec<String> {
        v["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["root"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        roots(&piped).contains(&"apt-nopubkey".to_string()),
        "{piped}"
    );
    assert_eq!(roots(&piped), roots(&file));
    assert_eq!(
        strings(&piped["incidents"][0]["sources"]),
        ["stdin"],
        "{piped}"
    );
    // And the Markdown draft names stdin as its source.
    let mut cmd = triage();
    cmd.args(["report", "-"]);
    let md = stdout(&run_with_stdin(cmd, &host));
    assert!(md.starts_with("# Incident report: `stdin`"), "{md}");
}

#[test]
fn unrecognised_errors_inside_an_incident_are_listed_in_it_with_count_and_times() {
    let report = json(&["report", "--demo", "--format", "json"]);
    let incidents = report["incidents"].as_array().unwrap();
    let boot = incidents
        .iter()
        .find(|i| i["root"] == "app-missing-log-dir")
        .expect("the boot failures' incident");
    let rows = boot["unrecognised"].as_array().unwrap();
    let traceback = rows
        .iter()
        .find(|r| r["template"] == "Traceback (most recent call last):")
        .unwrap_or_else(|| panic!("no traceback template: {boot}"));
    // Each of the ten boot attempts printed its traceback; no catalogue entry knows the line.
    assert_eq!(traceback["count"], 10, "{traceback}");
    assert_eq!(traceback["first"], "2026-11-27T10:26:29.854732069Z");
    assert_eq!(traceback["last"], "2026-11-27T10:27:34.952143289Z");
    assert_eq!(strings(&traceback["writers"]), ["athena_eye_backend"]);
    assert_eq!(
        strings(&traceback["sources"]),
        ["examples/athena-eye/docker-compose.log"]
    );
    // The database's OOM incident holds none: its container died without a line.
    let oom = incidents.iter().find(|i| i["root"] == "oom-kill").unwrap();
    assert_eq!(oom["unrecognised"], serde_json::json!([]));
    assert_eq!(report["floods"], serde_json::json!([]));

    let md = stdout(&run(&["report", "--demo"]));
    let section = md
        .split("### 2.5.")
        .nth(1)
        .and_then(|s| s.split("### 2.6.").next())
        .expect("incident 2.5");
    let table = section
        .split("#### Unrecognised errors in the same window")
        .nth(1)
        .unwrap_or_else(|| panic!("no unrecognised errors in 2.5:\n{section}"));
    assert!(
        table.contains(
            "| 10:26:29 – 10:27:34 | 10 | `Traceback (most recent call last):` | `athena_eye_backend` |"
        ),
        "{table}"
    );
    // After the chain, before the excerpts.
    let chain = section.find("#### Chain of events").unwrap();
    let unknown = section.find("#### Unrecognised errors").unwrap();
    let excerpts = section.find("#### Log excerpts").unwrap();
    assert!(chain < unknown && unknown < excerpts, "{section}");
}

#[test]
fn an_unrecognised_flood_outside_every_incident_is_listed_after_them_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("worker.log");
    let mut text = String::new();
    // 60 errors a second apart that no entry knows, with an escape sequence in them.
    for n in 0..60 {
        text += &format!(
            "2026-11-27T10:{:02}:{:02}Z ERROR queue \u{1b}[31mjobs-{n} is full\n",
            n / 60,
            n % 60
        );
    }
    std::fs::write(&log, text).unwrap();
    let data = json(&["report", "--format", "json", log.to_str().unwrap()]);
    assert_eq!(data["incidents"], serde_json::json!([]));
    let floods = data["floods"].as_array().unwrap();
    assert_eq!(floods.len(), 1, "{data}");
    assert_eq!(floods[0]["count"], 60);
    let md = stdout(&run(&["report", log.to_str().unwrap()]));
    assert!(md.contains("No known error was found"), "{md}");
    assert!(md.contains("## 2. Floods of unrecognised errors"), "{md}");
    assert!(!md.contains('\u{1b}'), "{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| 10:00:00 – 10:00:59 | 60 |"))
        .unwrap_or_else(|| panic!("no flood row:\n{md}"));
    assert!(row.contains("`queue \\x1b[<*> is full`"), "{row}");
}
