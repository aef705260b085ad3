//! Against a real dockerd (`scripts/services up` starts one, with the `local/busybox` image).
//! With `CI` set these fail when dockerd is not there; they never pass silently.

use crate::common;

use std::{
    collections::HashMap,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::common::{jsonl, stderr, triage};
use triage::source::{
    SourceMsg,
    docker::{self, DockerOptions},
};

/// Is dockerd there? With `CI` set, a missing daemon fails the test.
fn docker_ready() -> bool {
    let up = Command::new("docker")
        .arg("info")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        && Command::new("docker")
            .args(["image", "inspect", "local/busybox"])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !up {
        assert!(
            std::env::var_os("CI").is_none(),
            "dockerd or the local/busybox image is missing: scripts/services up starts them"
        );
        eprintln!(
            "SKIPPED: dockerd is not running here (scripts/test starts it; with CI set this fails)"
        );
    }
    up
}

/// A container removed when dropped.
struct Container(String);

impl Container {
    fn name(test: &str) -> Container {
        let name = format!("triage-test-{test}-{}", std::process::id());
        let _ = Command::new("docker").args(["rm", "-f", &name]).output();
        Container(name)
    }

    fn run(&self, args: &[&str], script: &str) -> &Self {
        // No network: the tests need none, and the bridge is one thing less to go wrong.
        let out = Command::new("docker")
            .args(["run", "-d", "--network", "none", "--name", &self.0])
            .args(args)
            .args(["local/busybox", "sh", "-c", script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "docker run: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self
    }

    fn inspect(&self, format: &str) -> String {
        let out = Command::new("docker")
            .args(["inspect", "-f", format, &self.0])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn wait_for(&self, format: &str, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.inspect(format) != want {
            assert!(
                Instant::now() < deadline,
                "{}: {format} never became {want} (is {})",
                self.0,
                self.inspect(format)
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

/// Follow `options` with the library's Docker source, collecting its lines, until `done`
/// holds for them or the time runs out.
fn follow_until(
    options: DockerOptions,
    timeout: Duration,
    done: impl Fn(&[String]) -> bool,
) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::channel(64);
        let source = tokio::spawn(docker::run(options, tx));
        let mut lines = Vec::new();
        let deadline = tokio::time::Instant::now() + timeout;
        while !done(&lines) {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(SourceMsg::Lines(batch))) => {
                    lines.extend(
                        batch
                            .into_iter()
                            .map(|l| String::from_utf8_lossy(&l.text).into_owned()),
                    );
                }
                Ok(Some(SourceMsg::State(_))) => {}
                Ok(None) | Err(_) => break,
            }
        }
        source.abort();
        lines
    })
}

fn following(container: &str) -> DockerOptions {
    DockerOptions {
        containers: vec![container.to_string()],
        follow: true,
        ..DockerOptions::default()
    }
}

#[test]
fn known_errors_on_stdout_and_stderr_are_found_with_their_stream() {
    if !docker_ready() {
        return;
    }
    let c = Container::name("streams");
    c.run(&[], r#"echo "starting up"; echo "FileNotFoundError: [Errno 2] No such file or directory: '/app/logs/athena_eye.log'" >&2; echo "[2026-11-28 14:03:05 +0000] [1] [ERROR] Reason: Worker failed to boot."; sleep 30"#);
    std::thread::sleep(Duration::from_millis(800));
    let out = triage()
        .args(["scan", "--docker", "--container", &c.0, "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let hits: HashMap<String, serde_json::Value> = jsonl(&out)
        .into_iter()
        .map(|h| (h["pattern"].as_str().unwrap().to_string(), h))
        .collect();
    let log_dir = &hits["app-missing-log-dir"];
    assert_eq!(log_dir["stream"], "stderr");
    assert_eq!(log_dir["source"], c.0.as_str());
    assert_eq!(log_dir["file"], format!("docker:{}", c.0));
    let boot = &hits["gunicorn-boot-fail"];
    assert_eq!(boot["stream"], "stdout");
    assert!(boot["ts"].as_str().unwrap().starts_with("20"), "{boot}");
}

#[test]
fn a_restarting_container_delivers_every_line_once() {
    if !docker_ready() {
        return;
    }
    let c = Container::name("restarts");
    // Three runs (on-failure:2), each printing five numbered lines and failing.
    c.run(&["--restart", "on-failure:2"], r#"for i in 1 2 3 4 5; do echo "run $(cat /proc/sys/kernel/random/uuid | cut -c1-8) line $i"; done; sleep 0.3; exit 1"#);
    let lines = follow_until(following(&c.0), Duration::from_secs(40), |lines| {
        lines.iter().filter(|l| l.contains(" line ")).count() >= 15
    });
    c.wait_for("{{.State.Status}} {{.RestartCount}}", "exited 2");
    let printed: Vec<&String> = lines.iter().filter(|l| l.contains(" line ")).collect();
    // Exactly what docker has, in its order, each once.
    let out = Command::new("docker")
        .args(["logs", "-t", &c.0])
        .output()
        .unwrap();
    let expected: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| format!("{} | {l}", c.0))
        .collect();
    assert_eq!(expected.len(), 15);
    let got: Vec<String> = printed.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, expected);
    // The restarts are lines of their own too.
    assert!(
        lines.iter().filter(|l| l.contains("event: start")).count() >= 2,
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("event: die exitCode=1")),
        "{lines:#?}"
    );
}

#[test]
fn an_oom_killed_container_shows_oom_kill_even_when_its_log_says_nothing() {
    if !docker_ready() {
        return;
    }
    let c = Container::name("oom");
    let follower = {
        let name = c.0.clone();
        std::thread::spawn(move || {
            // Follow all containers (the OOM kill may be over before the name is known).
            follow_until(
                DockerOptions {
                    follow: true,
                    ..DockerOptions::default()
                },
                Duration::from_secs(30),
                |lines| {
                    lines
                        .iter()
                        .any(|l| l.contains(&name) && l.contains("event: oom"))
                        && lines
                            .iter()
                            .any(|l| l.contains(&name) && l.contains("OOMKilled=true"))
                },
            )
        })
    };
    std::thread::sleep(Duration::from_millis(800));
    // The hog is PID 1 (exec): the container dies with it, its log holding one quiet line.
    c.run(
        &["--memory", "20m"],
        "echo 'initializing'; exec dd if=/dev/zero of=/dev/null bs=200M count=1",
    );
    c.wait_for("{{.State.OOMKilled}}", "true");
    let live = follower.join().unwrap();
    assert!(live.iter().any(|l| l.contains("event: oom")), "{live:#?}");
    // The one-shot scan finds it from inspect alone.
    let out = triage()
        .args([
            "scan",
            "--docker",
            "--all",
            "--container",
            &c.0,
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let patterns: Vec<String> = jsonl(&out)
        .iter()
        .map(|h| h["pattern"].as_str().unwrap().to_string())
        .collect();
    assert!(
        patterns.contains(&"oom-kill".to_string()),
        "{patterns:?}\n{}",
        stderr(&out)
    );
    // And so does the catalogue on the live event line.
    let out = common::run_with_stdin(
        {
            let mut cmd = triage();
            cmd.args(["scan", "--format", "jsonl", "-"]);
            cmd
        },
        live.iter()
            .filter(|l| l.contains("event: oom"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .as_bytes(),
    );
    assert!(jsonl(&out).iter().any(|h| h["pattern"] == "oom-kill"));
}

#[test]
fn an_unhealthy_container_shows_and_compose_reports_the_dependency() {
    if !docker_ready() {
        return;
    }
    let c = Container::name("sick");
    let name = c.0.clone();
    let follower = std::thread::spawn(move || {
        follow_until(following(&name), Duration::from_secs(30), |lines| {
            lines.iter().any(|l| l.contains("health_status: unhealthy"))
        })
    });
    std::thread::sleep(Duration::from_millis(500));
    c.run(
        &[
            "--health-cmd",
            "exit 1",
            "--health-interval",
            "1s",
            "--health-retries",
            "2",
            "--health-timeout",
            "1s",
        ],
        "echo db starting; sleep 60",
    );
    let lines = follower.join().unwrap();
    let event = lines
        .iter()
        .find(|l| l.contains("health_status: unhealthy"))
        .unwrap_or_else(|| panic!("{lines:#?}"));
    let mut cmd = triage();
    cmd.args(["scan", "--format", "jsonl", "-"]);
    let out = common::run_with_stdin(cmd, format!("{event}\n").as_bytes());
    assert_eq!(jsonl(&out)[0]["pattern"], "container-unhealthy");

    // docker compose up with a service_healthy dependency on it: compose's own words.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  db:\n    image: local/busybox\n    command: [\"sh\", \"-c\", \"echo db starting; sleep 3600\"]\n    healthcheck: {test: [\"CMD\", \"sh\", \"-c\", \"exit 1\"], interval: 1s, timeout: 1s, retries: 2}\n  app:\n    image: local/busybox\n    command: [\"echo\", \"app up\"]\n    depends_on: {db: {condition: service_healthy}}\n",
    )
    .unwrap();
    let project = format!("triagetest{}", std::process::id());
    let up = Command::new("docker")
        .args(["compose", "-p", &project, "up"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    // Only this project's containers: named, or found from the compose file in the current
    // directory (COMPOSE_PROJECT_NAME names it, as for compose itself).
    let named = triage()
        .args([
            "scan",
            "--docker",
            "--all",
            "--compose-project",
            &project,
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    let detected = triage()
        .args(["scan", "--docker", "--all", "--format", "jsonl"])
        .env("COMPOSE_PROJECT_NAME", &project)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let _ = Command::new("docker")
        .args(["compose", "-p", &project, "down", "-t", "0"])
        .current_dir(dir.path())
        .output();
    for out in [&named, &detected] {
        let hits = jsonl(out);
        assert!(
            hits.iter().any(|h| h["pattern"] == "container-unhealthy"),
            "{hits:#?}\n{}",
            stderr(out)
        );
        let ours = format!("docker:{project}-");
        assert!(
            hits.iter()
                .all(|h| h["file"].as_str().unwrap().starts_with(&ours)),
            "{hits:#?}"
        );
    }
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&up.stdout),
        String::from_utf8_lossy(&up.stderr)
    );
    let mut cmd = triage();
    cmd.args(["scan", "--format", "jsonl", "-"]);
    let out = common::run_with_stdin(cmd, said.as_bytes());
    let patterns: Vec<String> = jsonl(&out)
        .iter()
        .map(|h| h["pattern"].as_str().unwrap().to_string())
        .collect();
    assert!(
        patterns.contains(&"compose-unhealthy".to_string()),
        "{patterns:?}\ncompose said:\n{said}"
    );
}

#[test]
fn a_socket_the_user_may_not_open_gets_the_docker_group_remedy() {
    if !docker_ready() {
        return;
    }
    // As `nobody`, without the docker group, the socket refuses us.
    let out = common::triage_as_nobody()
        .args(["scan", "--docker", "--format", "jsonl"])
        .output()
        .unwrap();
    let hits = jsonl(&out);
    assert_eq!(hits.len(), 1, "{}", stderr(&out));
    assert_eq!(hits[0]["pattern"], "docker-sock-denied");
    assert!(
        stderr(&out).contains("permission denied"),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(2));
    // And the text output carries the remedy.
    let out = common::triage_as_nobody()
        .args(["scan", "--docker", "--group", "--color", "never"])
        .output()
        .unwrap();
    let text = common::stdout(&out);
    assert!(
        text.contains("usermod -aG docker") && text.contains("screen"),
        "{text}"
    );
}

/// A dockerd of the test's own (own socket, data and exec roots; no bridge, no iptables), so
/// stopping it disturbs nothing else.
struct OwnDaemon {
    dir: tempfile::TempDir,
    process: Option<std::process::Child>,
}

impl OwnDaemon {
    fn socket(&self) -> String {
        format!("unix://{}/docker.sock", self.dir.path().display())
    }

    fn start(dir: tempfile::TempDir) -> OwnDaemon {
        let mut daemon = OwnDaemon { dir, process: None };
        daemon.restart();
        daemon
    }

    fn restart(&mut self) {
        let d = self.dir.path();
        // In a network namespace of its own: it must not touch the main daemon's bridge.
        let child = Command::new("unshare")
            .args(["--net", "dockerd"])
            .arg(format!("--host={}", self.socket()))
            .arg(format!("--data-root={}/data", d.display()))
            .arg(format!("--exec-root={}/exec", d.display()))
            .arg(format!("--pidfile={}/dockerd.pid", d.display()))
            .args([
                "--bridge=none",
                "--iptables=false",
                "--ip6tables=false",
                "--ip-masq=false",
            ])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("dockerd.log")).unwrap())
            .spawn()
            .unwrap();
        self.process = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.docker(&["info"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "own dockerd did not start: {}",
                std::fs::read_to_string(d.join("dockerd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            unsafe {
                libc::kill(child.id() as i32, libc::SIGTERM);
            }
            let _ = child.wait();
        }
    }

    fn docker(&self, args: &[&str]) -> std::process::Output {
        Command::new("docker")
            .arg("-H")
            .arg(self.socket())
            .args(args)
            .output()
            .unwrap()
    }
}

impl Drop for OwnDaemon {
    fn drop(&mut self) {
        let _ = self.docker(&["rm", "-f", "ticker"]);
        self.stop();
    }
}

#[test]
fn dockerd_stopping_and_starting_mid_follow_is_reported_and_loses_nothing() {
    if !docker_ready() {
        return;
    }
    let mut daemon = OwnDaemon::start(tempfile::tempdir().unwrap());
    // The busybox image, moved over from the main daemon.
    let mut save = Command::new("docker")
        .args(["save", "local/busybox"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let load = Command::new("docker")
        .arg("-H")
        .arg(daemon.socket())
        .arg("load")
        .stdin(save.stdout.take().unwrap())
        .output()
        .unwrap();
    assert!(
        load.status.success(),
        "{}",
        String::from_utf8_lossy(&load.stderr)
    );
    save.wait().unwrap();
    // Every line is a known error, so every line is a hit in the output.
    let run = daemon.docker(&["run", "-d", "--name", "ticker", "--network", "none", "--restart", "always", "local/busybox", "sh", "-c",
        "i=0; while :; do i=$((i+1)); echo \"E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem. tick $i\"; sleep 0.1; done"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let scan = Command::new(env!("CARGO_BIN_EXE_triage"))
        .args(["scan", "--docker", "--follow", "--format", "jsonl"])
        .env("DOCKER_HOST", daemon.socket())
        .env("XDG_CONFIG_HOME", common::fixture("no-user-config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    daemon.stop();
    std::thread::sleep(Duration::from_secs(3));
    daemon.restart();
    // The container comes back with the daemon (restart: always) and prints on.
    std::thread::sleep(Duration::from_secs(4));
    unsafe {
        libc::kill(scan.id() as i32, libc::SIGINT);
    }
    let out = scan.wait_with_output().unwrap();
    let hits = jsonl(&out);
    let seen: Vec<String> = hits
        .iter()
        .filter(|h| h["pattern"] == "dpkg-interrupted")
        .map(|h| h["text"].as_str().unwrap().to_string())
        .collect();
    // The outage was reported, in words the catalogue explains.
    assert!(
        hits.iter().any(|h| h["pattern"] == "docker-daemon-down"),
        "{:#?}",
        hits.iter().map(|h| &h["pattern"]).collect::<Vec<_>>()
    );
    // Nothing lost, nothing doubled: exactly the lines the daemon logged (until we stopped).
    let logs = daemon.docker(&["logs", "-t", "ticker"]);
    let logged: Vec<String> = String::from_utf8_lossy(&logs.stdout)
        .lines()
        .map(|l| format!("ticker | {l}"))
        .collect();
    let unique: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "doubled lines");
    assert!(
        logged.len() >= seen.len() && logged[..seen.len()] == seen[..],
        "lost or reordered lines: saw {}, daemon has {}",
        seen.len(),
        logged.len()
    );
    // Lines from both before and after the restart.
    let before_after = seen.iter().filter(|l| l.ends_with("tick 1")).count();
    assert!(
        before_after >= 2,
        "no lines from after the restart:\n{}",
        seen.join("\n")
    );
}
