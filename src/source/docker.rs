//! Docker containers through the Engine API (bollard): their logs followed as streams, the
//! daemon's events, and each container's state, all as lines the catalogue can match.
//!
//! - Connects as the docker CLI would (`DOCKER_HOST`: unix, tcp, TLS), negotiating the API
//!   version rather than pinning one.
//! - `docker logs -f` ends when a container stops, even under a restart policy: a `start`
//!   event re-attaches it, from the last timestamp seen. `since` has whole-second resolution,
//!   so lines at or before that moment are compared with what was already seen: none is lost,
//!   none doubled.
//! - Events (`die` with its exit code, `oom`, `health_status`, `kill`, `restart`) and the state
//!   from inspect (exit code, `OOMKilled`, health, restart count) become lines of their own: a
//!   container OOM-killed in silence still shows the `oom-kill` entry.
//! - When the daemon goes away the source says so, in a line the catalogue explains
//!   (`docker-daemon-down`, `docker-sock-denied`), and reconnects with backoff.
//! - Read-only: nothing here changes a container.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use bollard::{
    Docker,
    container::LogOutput,
    query_parameters::{
        EventsOptions, InspectContainerOptions, ListContainersOptions, LogsOptions,
    },
};
use futures_util::StreamExt;
use jiff::Timestamp;

use super::{Backoff, LiveLine, SourceMsg, Tx};
use crate::{
    model::{LineFields, SourceState},
    parse::Stream,
};

/// Which containers, and how much of their past.
#[derive(Debug, Clone, Default)]
pub struct DockerOptions {
    /// Only these (name or ID prefix); empty: all that match the rest.
    pub containers: Vec<String>,
    /// Stopped containers too.
    pub all: bool,
    /// Only this compose project (`com.docker.compose.project` label).
    pub compose_project: Option<String>,
    pub since: Option<Timestamp>,
    /// Lines of backlog per container on first attach (`None`: all).
    pub tail: Option<u64>,
    /// Keep following (else read what is there and stop).
    pub follow: bool,
    /// Where each container's context (compose labels, image, volumes, networks) is recorded
    /// for filling remedies, when someone wants it.
    pub contexts: Option<Arc<crate::fill_context::Contexts>>,
}

impl DockerOptions {
    fn selects(&self, id: &str, name: &str, labels: &HashMap<String, String>) -> bool {
        if !self.containers.is_empty() {
            return self.containers.iter().any(|want| {
                want.trim_start_matches('/') == name
                    || (want.len() >= 4 && id.starts_with(want.as_str()))
            });
        }
        match &self.compose_project {
            Some(project) => labels.get("com.docker.compose.project") == Some(project),
            None => true,
        }
    }
}

/// The compose project of a compose file in `dir`, named as compose names it: from
/// `COMPOSE_PROJECT_NAME`, else the file's top-level `name:`, else the directory's name.
pub fn compose_project_in(dir: &std::path::Path) -> Option<String> {
    let file = [
        "compose.yaml",
        "compose.yml",
        "docker-compose.yaml",
        "docker-compose.yml",
    ]
    .iter()
    .map(|f| dir.join(f))
    .find(|p| p.is_file())?;
    if let Ok(name) = std::env::var("COMPOSE_PROJECT_NAME") {
        if !name.is_empty() {
            return Some(name);
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let from_file = text.lines().find_map(|line| {
        let value = line
            .strip_prefix("name:")?
            .trim()
            .trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_string())
    });
    let raw = from_file.or_else(|| {
        dir.canonicalize()
            .ok()?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    })?;
    // Compose keeps lowercase letters, digits, `-` and `_`.
    let name: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// What was seen of one container's log, to resume it exactly. stdout and stderr are each in
/// time order, but not with each other, so each has its own mark.
#[derive(Debug, Clone, Default)]
struct Resume {
    streams: [StreamMark; 2],
    attached_before: bool,
}

#[derive(Debug, Clone, Default)]
struct StreamMark {
    last: Option<Timestamp>,
    /// Lines stamped exactly `last`: the only ones a resumed stream can repeat.
    at_last: HashSet<Vec<u8>>,
}

impl Resume {
    /// Is this line new on its stream? Remembers it if so.
    fn admit(&mut self, stream: Stream, ts: Option<Timestamp>, line: &[u8]) -> bool {
        let mark = &mut self.streams[usize::from(stream == Stream::Stderr)];
        match (ts, mark.last) {
            (Some(ts), Some(last)) if ts < last => false,
            (Some(ts), Some(last)) if ts == last => mark.at_last.insert(line.to_vec()),
            (Some(ts), _) => {
                mark.last = Some(ts);
                mark.at_last.clear();
                mark.at_last.insert(line.to_vec());
                true
            }
            (None, _) => true,
        }
    }

    /// Where a re-attach must start: the earlier of the two streams' last lines.
    fn resume_from(&self) -> Option<Timestamp> {
        match (self.streams[0].last, self.streams[1].last) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

type Resumes = Arc<Mutex<HashMap<String, Resume>>>;

fn docker_host() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unix:///var/run/docker.sock".to_string())
}

/// Is this error the socket refusing us (as opposed to no daemon)?
fn is_permission_denied(err: &bollard::errors::Error) -> bool {
    let text = format!("{err:?} {err}");
    text.contains("Permission denied") || text.contains("PermissionDenied")
}

/// Why no container was selected, in words that say what to do.
fn nothing_selected(options: &DockerOptions, listed_all: bool) -> String {
    if !options.containers.is_empty() {
        return format!(
            "no container named {} (`docker ps -a` lists them all)",
            options.containers.join(", ")
        );
    }
    let which = match &options.compose_project {
        Some(project) => format!("of compose project `{project}` "),
        None => String::new(),
    };
    if listed_all {
        format!("no container {which}exists (`docker ps -a` lists them all)")
    } else {
        format!(
            "no container {which}is running: `--all` includes stopped ones (`docker ps -a` lists them)"
        )
    }
}

/// A log line as the daemon sends it with `timestamps`: its RFC 3339 time, a space, the
/// message.
pub(crate) fn split_frame(raw: &[u8]) -> (Option<Timestamp>, &[u8]) {
    match crate::parse::time::iso(raw) {
        Some((ts, used, _)) if raw.get(used).is_none_or(|&b| b == b' ') => {
            (Some(ts), raw.get(used + 1..).unwrap_or_default())
        }
        _ => (None, raw),
    }
}

/// A line about container `name`, from the daemon (an event, its state) or from triage.
fn container_line(name: &str, ts: Timestamp, text: String) -> LiveLine {
    LiveLine {
        origin: Arc::from(format!("docker:{name}")),
        fields: LineFields {
            ts: Some(ts),
            label: Some(Arc::from(name)),
            ..LineFields::default()
        },
        text: text.into_bytes(),
    }
}

/// A line of triage's own, in the pane, beside the container's.
fn own_line(name: &str, text: &str) -> LiveLine {
    container_line(name, Timestamp::now(), text.to_string())
}

async fn send_lines(tx: &Tx, lines: Vec<LiveLine>) -> bool {
    lines.is_empty() || tx.send(SourceMsg::Lines(lines)).await.is_ok()
}

async fn send_state(tx: &Tx, state: SourceState) -> bool {
    tx.send(SourceMsg::State(state)).await.is_ok()
}

/// Follow (or read once) the selected containers until the receiver goes away.
pub async fn run(options: DockerOptions, tx: Tx) {
    let resumes: Resumes = Arc::default();
    let mut backoff = Backoff::default();
    let mut reported: Option<&'static str> = None;
    loop {
        let connected = async { Docker::connect_with_defaults()?.negotiate_version().await };
        let failure = match connected.await {
            Ok(docker) => {
                backoff.reset();
                reported = None;
                if !send_state(
                    &tx,
                    if options.follow {
                        SourceState::Live
                    } else {
                        SourceState::Loading {
                            done: 0,
                            total: None,
                        }
                    },
                )
                .await
                {
                    return;
                }
                match session(&docker, &options, &tx, &resumes).await {
                    Ok(()) => {
                        send_state(&tx, SourceState::Loaded).await;
                        return;
                    }
                    Err(err) => err,
                }
            }
            Err(err) => err,
        };
        if tx.is_closed() {
            return;
        }
        // Say what is wrong once per outage, in words the catalogue explains.
        let (kind, line, state) = if is_permission_denied(&failure) {
            (
                "denied",
                format!(
                    "permission denied while trying to connect to the Docker daemon socket at {}: {failure}",
                    docker_host()
                ),
                format!("permission denied on {}", docker_host()),
            )
        } else {
            (
                "down",
                format!(
                    "Cannot connect to the Docker daemon at {}. Is the docker daemon running? ({failure})",
                    docker_host()
                ),
                "daemon unreachable".to_string(),
            )
        };
        if reported != Some(kind) {
            reported = Some(kind);
            if !send_lines(&tx, vec![own_line("docker", &line)]).await {
                return;
            }
        }
        if !options.follow {
            send_state(&tx, SourceState::Failed(state)).await;
            return;
        }
        let wait = backoff.next_wait();
        if !send_state(
            &tx,
            SourceState::Waiting(format!("{state}; retrying in {}s", wait.as_secs())),
        )
        .await
        {
            return;
        }
        tokio::time::sleep(wait).await;
    }
}

/// One connection's worth: attach to the selected containers, then follow events until the
/// daemon goes away (an error) or, when not following, until every log has been read.
async fn session(
    docker: &Docker,
    options: &DockerOptions,
    tx: &Tx,
    resumes: &Resumes,
) -> Result<(), bollard::errors::Error> {
    // Subscribe to events before listing, so a container starting in between is not missed.
    let mut events = options.follow.then(|| {
        let filters = HashMap::from([("type".to_string(), vec!["container".to_string()])]);
        docker.events(Some(EventsOptions {
            filters: Some(filters),
            ..Default::default()
        }))
    });
    let list_all = options.all || !options.containers.is_empty();
    let mut containers = docker
        .list_containers(Some(ListContainersOptions {
            all: list_all,
            ..Default::default()
        }))
        .await?;
    containers.sort_by_key(|c| c.names.as_ref().and_then(|n| n.first().cloned()));
    let mut followers: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
    for summary in containers {
        let id = summary.id.clone().unwrap_or_default();
        let name = summary.names.as_ref().and_then(|n| n.first()).map_or_else(
            || short(&id).to_string(),
            |n| n.trim_start_matches('/').to_string(),
        );
        if !options.selects(&id, &name, &summary.labels.clone().unwrap_or_default()) {
            continue;
        }
        if !send_lines(
            tx,
            state_lines(docker, &id, &name, options.contexts.as_deref()).await,
        )
        .await
        {
            return Ok(());
        }
        let follower = spawn_follower(docker, &id, &name, options, tx, resumes);
        followers.insert(id, follower);
    }
    if followers.is_empty() {
        // Nothing to show is not nothing to say: why, and what to do.
        let why = nothing_selected(options, list_all);
        let line = container_line("triage", Timestamp::now(), format!("triage: {why}"));
        if !send_lines(tx, vec![line]).await
            || tx
                .send(SourceMsg::State(SourceState::Waiting(why)))
                .await
                .is_err()
        {
            return Ok(());
        }
        // Following, the pane is live all the same: a container that starts is picked up.
        if options.follow && tx.send(SourceMsg::State(SourceState::Live)).await.is_err() {
            return Ok(());
        }
    }
    let Some(events) = events.as_mut() else {
        for (_, follower) in followers {
            let _ = follower.await;
        }
        return Ok(());
    };
    while let Some(event) = events.next().await {
        let event = event?;
        let Some(actor) = event.actor else { continue };
        let id = actor.id.unwrap_or_default();
        let attributes = actor.attributes.unwrap_or_default();
        let name = attributes
            .get("name")
            .cloned()
            .unwrap_or_else(|| short(&id).to_string());
        if !options.selects(&id, &name, &attributes) {
            continue;
        }
        let action = event.action.unwrap_or_default();
        let ts = event
            .time_nano
            .and_then(|ns| Timestamp::from_nanosecond(i128::from(ns)).ok())
            .or_else(|| event.time.and_then(|s| Timestamp::from_second(s).ok()))
            .unwrap_or_else(Timestamp::now);
        let Some(line) = event_line(&name, &id, &action, &attributes, ts) else {
            continue;
        };
        let mut lines = vec![line];
        if action == "die" {
            lines.extend(state_lines(docker, &id, &name, options.contexts.as_deref()).await);
        }
        if !send_lines(tx, lines).await {
            return Ok(());
        }
        if action == "start" {
            // A container started while following: its context, before its first line.
            if let Some(contexts) = options.contexts.as_deref()
                && let Ok(info) = docker
                    .inspect_container(&id, None::<InspectContainerOptions>)
                    .await
            {
                contexts.record_container(container_facts(&name, &info));
            }
            let running = followers.get(&id).is_some_and(|f| !f.is_finished());
            if !running {
                let follower = spawn_follower(docker, &id, &name, options, tx, resumes);
                followers.insert(id, follower);
            }
        }
    }
    for (_, follower) in followers {
        follower.abort();
    }
    // The event stream ended: the daemon went away.
    Err(bollard::errors::Error::IOError {
        err: std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "the Docker daemon closed the event stream",
        ),
    })
}

fn spawn_follower(
    docker: &Docker,
    id: &str,
    name: &str,
    options: &DockerOptions,
    tx: &Tx,
    resumes: &Resumes,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(follow_logs(
        docker.clone(),
        id.to_string(),
        name.to_string(),
        options.clone(),
        tx.clone(),
        resumes.clone(),
    ))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}

/// A daemon event as a line, for the events worth a line (not exec_*, attach, resize…).
fn event_line(
    name: &str,
    id: &str,
    action: &str,
    attributes: &HashMap<String, String>,
    ts: Timestamp,
) -> Option<LiveLine> {
    let interesting = matches!(
        action,
        "start" | "die" | "oom" | "kill" | "restart" | "stop" | "pause" | "unpause"
    ) || action.starts_with("health_status");
    if !interesting {
        return None;
    }
    let mut text = format!("container {name} ({}) event: {action}", short(id));
    if let Some(code) = attributes.get("exitCode") {
        text += &format!(" exitCode={code}");
    }
    if let Some(signal) = attributes.get("signal") {
        text += &format!(" signal={signal}");
    }
    Some(container_line(name, ts, text))
}

/// The container's state from inspect, as a line: exit code, OOMKilled, health, restarts.
async fn state_lines(
    docker: &Docker,
    id: &str,
    name: &str,
    contexts: Option<&crate::fill_context::Contexts>,
) -> Vec<LiveLine> {
    let Ok(info) = docker
        .inspect_container(id, None::<InspectContainerOptions>)
        .await
    else {
        return Vec::new();
    };
    if let Some(contexts) = contexts {
        contexts.record_container(container_facts(name, &info));
    }
    let state = info.state.unwrap_or_default();
    let status = state
        .status
        .map_or_else(|| "unknown".to_string(), |s| s.to_string());
    let health = state
        .health
        .and_then(|h| h.status)
        .map_or_else(|| "none".to_string(), |s| s.to_string());
    let text = format!(
        "container {name} ({}) state: {status} ExitCode={} OOMKilled={} Health={health} RestartCount={}",
        short(id),
        state.exit_code.unwrap_or(0),
        state.oom_killed.unwrap_or(false),
        info.restart_count.unwrap_or(0),
    );
    vec![container_line(name, Timestamp::now(), text)]
}

/// What a remedy can use of a container's inspect data.
fn container_facts(
    name: &str,
    info: &bollard::models::ContainerInspectResponse,
) -> crate::fill_context::ContainerFacts {
    let config = info.config.clone().unwrap_or_default();
    let volumes = info
        .mounts
        .iter()
        .flatten()
        .filter(|m| m.typ.as_deref() == Some("volume"))
        .filter_map(|m| m.name.clone())
        .collect();
    let mut networks: Vec<String> = info
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.as_ref())
        .map(|n| n.keys().cloned().collect())
        .unwrap_or_default();
    networks.sort();
    crate::fill_context::ContainerFacts {
        name: name.to_string(),
        image: config.image.unwrap_or_default(),
        labels: config.labels.unwrap_or_default(),
        volumes,
        networks,
    }
}

/// Stream one container's log until it ends (the container stopped) or the receiver goes.
async fn follow_logs(
    docker: Docker,
    id: String,
    name: String,
    options: DockerOptions,
    tx: Tx,
    resumes: Resumes,
) {
    let resume = resumes
        .lock()
        .map(|r| r.get(&id).cloned().unwrap_or_default())
        .unwrap_or_default();
    let (since, tail) = match (resume.attached_before, resume.resume_from()) {
        // Re-attach: from the second of the last line seen (repeats are dropped below).
        (true, Some(last)) => (last.as_second(), "all".to_string()),
        (true, None) => (0, "all".to_string()),
        (false, _) => (
            options.since.map_or(0, |t| t.as_second()),
            options
                .tail
                .map_or_else(|| "all".to_string(), |n| n.to_string()),
        ),
    };
    if let Ok(mut all) = resumes.lock() {
        all.entry(id.clone()).or_default().attached_before = true;
    }
    let logs = docker.logs(
        &id,
        Some(LogsOptions {
            follow: options.follow,
            stdout: true,
            stderr: true,
            timestamps: true,
            since: i32::try_from(since).unwrap_or(0),
            tail,
            ..Default::default()
        }),
    );
    let origin: Arc<str> = Arc::from(format!("docker:{name}"));
    let label: Arc<str> = Arc::from(name.as_str());
    let mut chunks = logs.ready_chunks(512);
    while let Some(chunk) = chunks.next().await {
        let mut lines = Vec::with_capacity(chunk.len());
        {
            let Ok(mut all) = resumes.lock() else { return };
            let seen = all.entry(id.clone()).or_default();
            for item in chunk {
                let (stream, message) = match item {
                    Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                        (Stream::Stdout, message)
                    }
                    Ok(LogOutput::StdErr { message }) => (Stream::Stderr, message),
                    Ok(LogOutput::StdIn { .. }) => continue,
                    Err(err) => {
                        lines.push(own_line(
                            &name,
                            &format!("triage: cannot read this container's log: {err}"),
                        ));
                        break;
                    }
                };
                for raw in message.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                    let (ts, message) = split_frame(raw);
                    if !seen.admit(stream, ts, raw) {
                        continue;
                    }
                    lines.push(LiveLine {
                        origin: origin.clone(),
                        fields: LineFields {
                            ts,
                            label: Some(label.clone()),
                            stream: Some(stream),
                            ..LineFields::default()
                        },
                        text: message.to_vec(),
                    });
                }
            }
        }
        if !send_lines(&tx, lines).await {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Option<Timestamp> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn resuming_drops_exactly_the_lines_already_seen() {
        let out = Stream::Stdout;
        let mut r = Resume::default();
        assert!(r.admit(out, ts("2026-11-28T14:03:05.1Z"), b"a"));
        assert!(r.admit(out, ts("2026-11-28T14:03:05.5Z"), b"b"));
        assert!(
            r.admit(out, ts("2026-11-28T14:03:05.5Z"), b"c"),
            "same time, different line"
        );
        // stderr has its own order: an earlier stderr line is still new.
        assert!(r.admit(Stream::Stderr, ts("2026-11-28T14:03:05.3Z"), b"e"));
        assert_eq!(r.resume_from(), ts("2026-11-28T14:03:05.3Z"));
        // A re-attach from 14:03:05 replays the whole second.
        assert!(!r.admit(out, ts("2026-11-28T14:03:05.1Z"), b"a"));
        assert!(!r.admit(Stream::Stderr, ts("2026-11-28T14:03:05.3Z"), b"e"));
        assert!(!r.admit(out, ts("2026-11-28T14:03:05.5Z"), b"b"));
        assert!(!r.admit(out, ts("2026-11-28T14:03:05.5Z"), b"c"));
        assert!(r.admit(out, ts("2026-11-28T14:03:06Z"), b"d"));
    }

    #[test]
    fn selection() {
        let labels = HashMap::from([(
            "com.docker.compose.project".to_string(),
            "athena".to_string(),
        )]);
        let all = DockerOptions::default();
        assert!(all.selects("abcdef123456", "db", &HashMap::new()));
        let named = DockerOptions {
            containers: vec!["db".into(), "fedc".into()],
            ..Default::default()
        };
        assert!(named.selects("0123", "db", &HashMap::new()));
        assert!(named.selects("fedcba", "web", &HashMap::new()));
        assert!(!named.selects("0123", "web", &HashMap::new()));
        let project = DockerOptions {
            compose_project: Some("athena".into()),
            ..Default::default()
        };
        assert!(project.selects("1", "athena-db-1", &labels));
        assert!(!project.selects("1", "other", &HashMap::new()));
    }

    #[test]
    fn event_lines_are_worded_for_the_catalogue() {
        let attrs = HashMap::from([("exitCode".to_string(), "137".to_string())]);
        let t: Timestamp = "2026-11-28T14:03:05Z".parse().unwrap();
        let line = event_line("db", "0123456789abcdef", "die", &attrs, t).unwrap();
        assert_eq!(
            String::from_utf8(line.text).unwrap(),
            "container db (0123456789ab) event: die exitCode=137"
        );
        assert_eq!(
            (line.fields.ts, line.fields.label.as_deref()),
            (Some(t), Some("db"))
        );
        assert!(event_line("db", "01", "exec_start: sh -c true", &HashMap::new(), t).is_none());
        assert!(event_line("db", "01", "health_status: unhealthy", &HashMap::new(), t).is_some());
    }

    #[test]
    fn compose_project_names() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(compose_project_in(dir.path()), None);
        std::fs::write(
            dir.path().join("compose.yaml"),
            "name: Athena_Eye\nservices: {}\n",
        )
        .unwrap();
        assert_eq!(
            compose_project_in(dir.path()).as_deref(),
            Some("athena_eye")
        );
    }
}
