//! Remedies filled from a real dockerd's context, and a silent OOM kill seen as an incident:
//! the user's own names (a compose project other than the postmortem's), never Athena Eye's.

use std::process::Command;

use super::{ComposeProject, Container, docker_ready};
use crate::common::{self, COMMAND, Deadline, WAIT, stderr, stdout, triage};

/// The commands of a Markdown report: the lines inside its ```sh fences.
fn report_commands(markdown: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut inside = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            inside = trimmed == "```sh";
            continue;
        }
        if inside {
            commands.push(trimmed.to_string());
        }
    }
    commands
}

/// An image tag removed when dropped.
struct Tag(String);

impl Drop for Tag {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rmi", &self.0])
            .output_within(COMMAND);
    }
}

#[test]
fn a_compose_projects_own_names_fill_the_remedies_of_its_lines() {
    if !docker_ready() {
        return;
    }
    // The database's image must say what it is (compose files are read for which service is
    // the database): the local busybox under a MariaDB-like name, no registry needed.
    let db_image = Tag(format!("triage-test-mariadb-{}:11", std::process::id()));
    let tagged = Command::new("docker")
        .args(["tag", "local/busybox", &db_image.0])
        .output_within(COMMAND);
    assert!(tagged.status.success(), "docker tag: {}", stderr(&tagged));
    let dir = tempfile::tempdir().unwrap();
    let project_dir = dir.path().join("deploy");
    std::fs::create_dir(&project_dir).unwrap();
    let compose_file = project_dir.join("compose.yaml");
    // The api writes two lines the catalogue knows, one about itself (its log directory) and
    // one about the database (a lost connection), then waits.
    // Gunicorn's worker then fails to boot because of it: an incident whose root cause is the
    // missing directory, the boot failure after it.
    let api = "echo 'FileNotFoundError: [Errno 2] No such file or directory: '\"'\"'/srv/api/logs/api.log'\"'\"''; \
               echo '[2026-11-27 10:26:29 +0000] [1] [ERROR] Reason: Worker failed to boot.'; \
               echo \"pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')\"; \
               exec sleep 3600";
    std::fs::write(
        &compose_file,
        format!(
            "name: shop\nservices:\n  web:\n    image: local/busybox\n    command: [\"sleep\", \"3600\"]\n    depends_on: [api]\n  api:\n    image: local/busybox\n    command: [\"sh\", \"-c\", {api:?}]\n  db:\n    image: {}\n    command: [\"sleep\", \"3600\"]\n",
            db_image.0
        ),
    )
    .unwrap();
    let _down = ComposeProject {
        name: "shop".to_string(),
        dir: project_dir.clone(),
    };
    let up = Command::new("docker")
        .args(["compose", "up", "-d"])
        .current_dir(&project_dir)
        .output_within(COMMAND);
    assert!(up.status.success(), "docker compose up: {}", stderr(&up));
    common::wait_until("the api's lines in its log", WAIT, || {
        let out = Command::new("docker")
            .args(["logs", "shop-api-1"])
            .output_within(COMMAND);
        stdout(&out).contains("Lost connection")
    });
    // Run from elsewhere: the names come from the containers' labels, not from a compose file
    // in the current directory.
    let out = triage()
        .args(["report", "--docker", "--compose-project", "shop"])
        .current_dir(dir.path())
        .output_within(COMMAND);
    let report = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    let commands = report_commands(&report);
    let file = compose_file.display().to_string();
    let has = |want: &str| commands.iter().any(|c| c == want);
    // app-missing-log-dir, about the api itself: its service and compose file.
    assert!(
        has(&format!(
            "sudo docker compose -f {file} run --rm --no-deps --entrypoint ls api -la /app"
        )),
        "{report}"
    );
    // mysql-lost-connection, written by the api about the database: the project's database
    // service (from its compose file) and that service's container (among the project's).
    assert!(
        has(&format!("sudo docker compose -f {file} ps db")),
        "{report}"
    );
    assert!(
        has(
            "sudo docker inspect --format '{{.RestartCount}} {{.State.OOMKilled}} {{.State.StartedAt}}' shop-db-1"
        ),
        "{report}"
    );
    // The incident, from the project's own containers: root cause first, then what followed.
    let out = triage()
        .args([
            "report",
            "--docker",
            "--compose-project",
            "shop",
            "--format",
            "json",
        ])
        .current_dir(dir.path())
        .output_within(COMMAND);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let incident = json["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .find(|i| i["root"] == "app-missing-log-dir")
        .unwrap_or_else(|| panic!("no incident rooted in app-missing-log-dir: {json:#}"));
    let chain: Vec<&str> = incident["chain"]
        .as_array()
        .expect("chain")
        .iter()
        .filter_map(|id| id.as_str())
        .collect();
    assert_eq!(
        chain[..2],
        ["app-missing-log-dir", "gunicorn-boot-fail"],
        "{incident:#}"
    );
    assert!(
        incident["containers"]
            .as_array()
            .expect("containers")
            .iter()
            .any(|c| c == "shop-api-1"),
        "{incident:#}"
    );
    // `scan` shows each hit's first command filled the same way.
    let out = triage()
        .args([
            "scan",
            "--docker",
            "--compose-project",
            "shop",
            "--color",
            "never",
        ])
        .current_dir(dir.path())
        .output_within(COMMAND);
    let scanned = stdout(&out);
    assert!(
        scanned.contains(&format!(
            "$ sudo docker compose -f {file} run --rm --no-deps --entrypoint ls api -la /app"
        )),
        "{scanned}\n{}",
        stderr(&out)
    );
    assert!(
        scanned.contains(&format!("$ sudo docker compose -f {file} ps db")),
        "{scanned}"
    );
    // Nothing of the postmortem's stack in a command, and nothing left to fill in them.
    for command in &commands {
        for theirs in ["athena", "frontend", "backend", "docker-compose.prod.yml"] {
            assert!(!command.contains(theirs), "{theirs} in `{command}`");
        }
        for placeholder in [
            "<service>",
            "<compose_file>",
            "<db_service>",
            "<db_container>",
        ] {
            assert!(
                !command.contains(placeholder),
                "{placeholder} in `{command}`"
            );
        }
    }
}

#[test]
fn a_container_killed_for_memory_without_a_word_in_its_log_is_an_oom_kill_incident() {
    if !docker_ready() {
        return;
    }
    // Memory limits need the kernel's memory cgroup controller; Docker says whether it has it.
    let info = Command::new("docker")
        .args(["info", "--format", "{{.MemoryLimit}}"])
        .output_within(COMMAND);
    assert_eq!(
        stdout(&info).trim(),
        "true",
        "this dockerd cannot limit a container's memory (no memory cgroup controller in the \
         kernel): a silent OOM kill cannot be made here, and this test cannot pass"
    );
    let c = Container::name("silent-oom");
    // It starts, says so (no error), and allocates far beyond its 8 MiB until the kernel kills
    // it: its own log ends without a word about why.
    c.run_until_oom_killed(
        &["--memory", "8m", "--memory-swap", "8m"],
        // The pause lets containerd watch the container's memory events before the kill: a
        // process killed in its first milliseconds can die before anyone listens.
        "echo 'worker starting'; sleep 2; exec dd if=/dev/zero of=/dev/null bs=64M count=1",
    );
    let log = Command::new("docker")
        .args(["logs", &c.0])
        .output_within(COMMAND);
    assert_eq!(
        format!("{}{}", stdout(&log), stderr(&log)),
        "worker starting\n",
        "the log must hold no error line"
    );
    let out = triage()
        .args([
            "report",
            "--docker",
            "--all",
            "--container",
            &c.0,
            "--format",
            "json",
        ])
        .output_within(COMMAND);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    let incidents = json["incidents"].as_array().expect("incidents");
    let oom = incidents
        .iter()
        .find(|i| i["root"] == "oom-kill")
        .unwrap_or_else(|| panic!("no incident rooted in oom-kill: {json:#}"));
    assert!(
        oom["containers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|name| name == c.0.as_str()),
        "the incident does not name {}: {oom:#}",
        c.0
    );
}
