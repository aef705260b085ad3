use super::*;

fn catalogue() -> Catalogue {
    let (catalogue, errors) = Catalogue::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    catalogue
}

/// 2026-11-27 10:00:00 UTC plus `secs`.
fn at(secs: i64) -> Timestamp {
    "2026-11-27T10:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs)
}

struct Hits<'c> {
    catalogue: &'c Catalogue,
    hits: Vec<HitInput>,
}

impl<'c> Hits<'c> {
    fn new(catalogue: &'c Catalogue) -> Self {
        Hits {
            catalogue,
            hits: Vec::new(),
        }
    }

    fn add(&mut self, pane: PaneId, writer: &str, id: &str, secs: i64) -> &mut Self {
        let entry = self
            .catalogue
            .index_of(id)
            .unwrap_or_else(|| panic!("no entry {id}"));
        let line = self.hits.len() as u64;
        self.hits.push(HitInput {
            pane,
            line,
            entry,
            severity: self.catalogue.entries()[entry].severity,
            ts: Some(at(secs)),
            source: format!("{pane:?}.log"),
            writer: Some(writer.to_string()),
            captures: Vec::new(),
        });
        self
    }

    fn incidents(&self, lines: &dyn Lines) -> Vec<Incident> {
        incidents(self.catalogue, &self.hits, lines)
    }

    fn ids(&self, entries: &[usize]) -> Vec<&'c str> {
        entries
            .iter()
            .map(|&e| self.catalogue.entries()[e].id.as_str())
            .collect()
    }
}

use PaneId::{Containers, Host};

#[test]
fn a_crash_loop_is_one_incident_with_a_count_and_its_first_and_last_time() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    for n in 0..40 {
        hits.add(Containers, "backend", "gunicorn-boot-fail", n * 5);
    }
    let found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 1);
    let incident = &found[0];
    assert_eq!(incident.groups.len(), 1);
    assert_eq!(incident.count(), 40);
    assert_eq!(
        (incident.first, incident.last),
        (Some(at(0)), Some(at(195)))
    );
    assert_eq!(incident.writers, ["backend"]);
}

#[test]
fn the_root_cause_comes_first_whatever_order_the_hits_came_in() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    // nginx notices first (the browser was already polling), the app's own error later.
    hits.add(Containers, "web", "nginx-502", 0)
        .add(Containers, "web", "nginx-upstream-refused", 0)
        .add(Containers, "api", "gunicorn-boot-fail", 3)
        .add(Containers, "api", "app-missing-log-dir", 2)
        .add(Containers, "api", "gunicorn-boot-fail", 30)
        .add(Containers, "web", "nginx-502", 40);
    let found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(hits.ids(&[found[0].root]), ["app-missing-log-dir"]);
    assert_eq!(
        hits.ids(&found[0].chain()),
        [
            "app-missing-log-dir",
            "gunicorn-boot-fail",
            "nginx-upstream-refused",
            "nginx-502"
        ]
    );
    assert_eq!(found[0].writers, ["api", "web"]);
    assert_eq!(found[0].first, Some(at(0)));
}

#[test]
fn an_oom_kill_in_the_journal_is_the_root_of_an_unhealthy_dependency_logged_before_it() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "deploy.sh", "compose-unhealthy", 0)
        .add(Host, "deploy.sh", "container-unhealthy", 0)
        .add(Host, "kernel", "oom-kill", 5)
        .add(Host, "kernel", "oom-kill", 5);
    let found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        hits.ids(&found[0].chain()),
        ["oom-kill", "container-unhealthy", "compose-unhealthy"]
    );
    assert_eq!(found[0].groups[0].count(), 2);
}

#[test]
fn unrelated_errors_far_apart_are_separate_incidents_in_time_order() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "sh", "docker-sock-denied", 3600)
        .add(Host, "sh", "apt-nopubkey", 0)
        // The same writer, errors a few seconds apart: one failing command.
        .add(Host, "sh", "apt-lock", 7)
        // Caused by the lock, ten minutes later (apt waited for it).
        .add(Host, "sh", "dpkg-interrupted", 626)
        .add(Host, "sh", "docker-sock-denied", 3780);
    let found = hits.incidents(&NoLines);
    let roots: Vec<_> = found.iter().map(|i| i.root).collect();
    assert_eq!(hits.ids(&roots), ["apt-nopubkey", "docker-sock-denied"]);
    assert_eq!(
        hits.ids(&found[0].chain()),
        ["apt-nopubkey", "apt-lock", "dpkg-interrupted"]
    );
    // Both causes are named: nothing in the incident leads to the key error or the lock.
    assert_eq!(
        hits.ids(&found[0].causes(&catalogue)),
        ["apt-nopubkey", "apt-lock"]
    );
    assert_eq!(found[1].count(), 2);
}

#[test]
fn repetitions_after_a_long_gap_are_a_new_occurrence() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "sh", "docker-sock-denied", 0).add(
        Host,
        "sh",
        "docker-sock-denied",
        REPEAT_GAP.as_secs() + 1,
    );
    let found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 2);
}

#[test]
fn a_warning_beside_an_outage_joins_it_only_through_the_catalogue() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Containers, "web", "tls-on-http-port", 0)
        .add(Containers, "web", "nginx-upstream-refused", 6)
        .add(Containers, "web", "nginx-502", 6);
    let found = hits.incidents(&NoLines);
    let roots: Vec<_> = found.iter().map(|i| i.root).collect();
    assert_eq!(
        hits.ids(&roots),
        ["tls-on-http-port", "nginx-upstream-refused"]
    );
}

#[test]
fn errors_of_different_writers_join_only_through_the_catalogue() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "sh", "apt-nopubkey", 0)
        .add(Containers, "db", "mysql-option-without-group", 1);
    assert_eq!(hits.incidents(&NoLines).len(), 2);
}

/// Lines seen in the containers pane, as a test writes them.
struct SeenLines(Vec<(&'static str, i64)>);

impl Lines for SeenLines {
    fn seen_around(&self, pane: PaneId, kill: Timestamp, window: SignedDuration) -> Vec<Seen> {
        assert_eq!(pane, Containers);
        let (from, to) = (earlier(kill, window), later(kill, window));
        self.0
            .iter()
            .enumerate()
            .map(|(line, &(writer, secs))| Seen {
                writer: writer.to_string(),
                ts: at(secs),
                line: line as u64,
            })
            .filter(|s| (from..=to).contains(&s.ts))
            .collect()
    }
}

#[test]
fn a_container_whose_log_stops_without_an_error_when_the_kernel_kills_is_linked_to_the_oom_kill() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "kernel", "oom-kill", 100)
        .add(Host, "kernel", "oom-kill", 100)
        // `api` said why it stopped: not silent.
        .add(Containers, "api", "gunicorn-boot-fail", 98);
    let lines = SeenLines(vec![
        // Mid-start, then nothing: the silent death.
        ("db", 40),
        ("db", 99),
        // Keeps logging after the kill: alive.
        ("web", 90),
        ("web", 130),
        ("api", 97),
        ("api", 98),
        // Last logged long before the kill: not this one.
        ("old", 10),
    ]);
    let found = hits.incidents(&lines);
    let oom = found
        .iter()
        .find(|i| hits.ids(&[i.root]) == ["oom-kill"])
        .expect("an oom-kill incident");
    assert_eq!(
        oom.silent,
        [SilentStop {
            writer: "db".to_string(),
            pane: Containers,
            last_line: at(99),
            line: 1,
            killed_at: at(100),
        }]
    );
    assert_eq!(oom.writers, ["db", "kernel"]);
    assert_eq!(oom.count(), 2);
}

#[test]
fn docker_reporting_oomkilled_is_enough_for_a_silent_death() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    // Docker's state line (`OOMKilled=true`) is the container's own line, but it is the kill,
    // not an error of its own: the container still died silently.
    hits.add(Containers, "db", "oom-kill", 100);
    let lines = SeenLines(vec![("db", 95), ("db", 100)]);
    let found = hits.incidents(&lines);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].silent.len(), 1);
    assert_eq!(found[0].silent[0].last_line, at(100));
}

#[test]
fn times_at_the_ends_of_time_do_not_overflow() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "kernel", "oom-kill", 0);
    hits.add(Containers, "db", "gunicorn-boot-fail", 0);
    hits.hits[0].ts = Some(Timestamp::MAX);
    hits.hits[1].ts = Some(Timestamp::MIN);
    let lines = SeenLines(vec![("db", 0)]);
    assert_eq!(hits.incidents(&lines).len(), 2);
    assert_eq!(earlier(Timestamp::MIN, SILENT_WINDOW), Timestamp::MIN);
    assert_eq!(later(Timestamp::MAX, SILENT_WINDOW), Timestamp::MAX);
}

#[test]
fn hits_without_a_time_are_grouped_by_the_catalogue_and_come_last() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "sh", "docker-sock-denied", 0);
    for id in ["nginx-502", "nginx-upstream-refused"] {
        let entry = catalogue.index_of(id).unwrap();
        hits.hits.push(HitInput {
            pane: Containers,
            line: 9,
            entry,
            severity: catalogue.entries()[entry].severity,
            ts: None,
            source: "x".into(),
            writer: None,
            captures: Vec::new(),
        });
    }
    let found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 2);
    assert_eq!(
        hits.ids(&found[1].chain()),
        ["nginx-upstream-refused", "nginx-502"]
    );
    assert_eq!(found[1].first, None);
}

/// An unrecognised error line at `secs`, written by `writer`, of template `template`.
fn unknown_line(pane: PaneId, writer: Option<&str>, template: usize, secs: i64) -> UnknownLine {
    UnknownLine {
        pane,
        line: secs as u64,
        ts: Some(at(secs)),
        source: format!("{pane:?}.log"),
        writer: writer.map(str::to_string),
        template,
    }
}

#[test]
fn an_unrecognised_template_inside_an_incidents_span_joins_it_one_outside_does_not() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    for n in 0..10 {
        hits.add(Containers, "backend", "gunicorn-boot-fail", 100 + n * 5);
    }
    let mut found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 1);
    let texts = vec![
        "Traceback (most recent call last):".to_string(),
        "Shutting down: Master".to_string(),
        "worker <*> timed out".to_string(),
        "cron job <*> failed".to_string(),
    ];
    let lines = vec![
        // Inside the span, same writer: joins.
        unknown_line(Containers, Some("backend"), 0, 101),
        unknown_line(Containers, Some("backend"), 0, 131),
        // Just after the last hit (145), within the slack: joins.
        unknown_line(Containers, Some("backend"), 1, 145 + 30),
        // Inside the span but another container's: does not.
        unknown_line(Containers, Some("frontend"), 2, 120),
        // Same writer, an hour later: does not.
        unknown_line(Containers, Some("backend"), 3, 3700),
    ];
    let floods = unknown::join(&mut found, &lines, &texts);
    let rows: Vec<(&str, usize, Option<Timestamp>, Option<Timestamp>)> = found[0]
        .unrecognised
        .iter()
        .map(|r| (r.template.as_str(), r.count, r.first, r.last))
        .collect();
    assert_eq!(
        rows,
        [
            (texts[0].as_str(), 2, Some(at(101)), Some(at(131))),
            (texts[1].as_str(), 1, Some(at(175)), Some(at(175))),
        ]
    );
    assert_eq!(found[0].unrecognised[0].writers, ["backend"]);
    assert_eq!(found[0].unrecognised[0].sources, ["Containers.log"]);
    // Two lines outside are no flood.
    assert!(floods.is_empty(), "{floods:?}");
}

#[test]
fn a_line_without_a_writer_joins_by_its_source_and_the_nearer_incident_by_writer_wins() {
    let catalogue = catalogue();
    let mut hits = Hits::new(&catalogue);
    hits.add(Host, "dockerd", "docker-sock-denied", 0);
    hits.add(Containers, "db", "mysql-unknown-variable", 10);
    let mut found = hits.incidents(&NoLines);
    assert_eq!(found.len(), 2, "{found:?}");
    let texts = vec!["a <*>".to_string(), "b <*>".to_string()];
    let lines = vec![
        // No writer: joins the incident with its source (the host's).
        unknown_line(Host, None, 0, 5),
        // The db's line: its writer is the second incident's, though both spans hold it.
        unknown_line(Containers, Some("db"), 1, 5),
    ];
    let floods = unknown::join(&mut found, &lines, &texts);
    assert!(floods.is_empty());
    let of = |i: &Incident| -> Vec<String> {
        i.unrecognised.iter().map(|r| r.template.clone()).collect()
    };
    let by_root = |id: &str| {
        found
            .iter()
            .find(|i| catalogue.entries()[i.root].id == id)
            .unwrap()
    };
    assert_eq!(of(by_root("docker-sock-denied")), ["a <*>"]);
    assert_eq!(of(by_root("mysql-unknown-variable")), ["b <*>"]);
}

#[test]
fn unrecognised_errors_outside_every_incident_are_listed_only_when_they_flood() {
    let texts = vec!["queue <*> full".to_string(), "disk <*> slow".to_string()];
    // 60 lines of one template a second apart: a flood. 49 of another: not one. The same 60
    // spread an hour apart each: not one either.
    let mut lines: Vec<UnknownLine> = (0..60)
        .map(|n| unknown_line(Host, Some("app"), 0, n))
        .collect();
    lines.extend((0..49).map(|n| unknown_line(Host, Some("app"), 1, n)));
    let floods = unknown::join(&mut [], &lines, &texts);
    assert_eq!(floods.len(), 1, "{floods:?}");
    assert_eq!(
        (floods[0].template.as_str(), floods[0].count),
        ("queue <*> full", 60)
    );
    assert_eq!(
        (floods[0].first, floods[0].last),
        (Some(at(0)), Some(at(59)))
    );
    let sparse: Vec<UnknownLine> = (0..60)
        .map(|n| unknown_line(Host, Some("app"), 0, n * 3600))
        .collect();
    assert!(unknown::join(&mut [], &sparse, &texts).is_empty());
}
