//! The viewer's incidents: `I` lists them root cause first, `Enter` opens one (its chain, each
//! link's cause and remedy), `Enter` again jumps to it, `R` writes the same report as
//! `triage report` to a file it names.

use crossterm::event::KeyCode;
use triage::{
    app::{Overlay, PaneId},
    catalogue::Lang,
};

use crate::common::{COMMAND, Running, demo_app, key, press, run_commands, screen_text, triage};

fn roots_and_chains(app: &triage::app::App) -> Vec<(String, Vec<String>)> {
    let entries = app.catalogue.entries();
    app.incidents
        .report
        .incidents
        .iter()
        .map(|i| {
            (
                entries[i.root].id.clone(),
                i.chain().iter().map(|&e| entries[e].id.clone()).collect(),
            )
        })
        .collect()
}

#[test]
fn i_lists_the_incidents_root_cause_first_as_the_report_does() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "I");
    assert_eq!(app.overlay, Some(Overlay::Incidents { selected: 0 }));
    // What the viewer keeps of them holds no lines: the scrollback alone decides that.
    assert!(
        app.incidents
            .report
            .snapshot
            .panes
            .iter()
            .all(Vec::is_empty)
    );
    let roots: Vec<String> = roots_and_chains(&app).into_iter().map(|(r, _)| r).collect();
    assert_eq!(
        roots,
        [
            "apt-nopubkey",
            "docker-sock-denied",
            "oom-kill",
            "mysql-unknown-variable",
            "app-missing-log-dir",
            "tls-on-http-port"
        ]
    );
    let screen = screen_text(&app);
    assert!(
        screen.contains("app-missing-log-dir ×10 → gunicorn-boot-fail ×30 → nginx-upstream-refused ×7 → nginx-502 ×7"),
        "{screen}"
    );
    insta::assert_snapshot!("incidents_160x48", screen);
    // I again closes it.
    press(&mut app, "I");
    assert_eq!(app.overlay, None);
}

#[test]
fn enter_opens_an_incident_with_its_chain_in_order_and_enter_again_jumps_to_its_root() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "Ijj\n");
    assert_eq!(
        app.overlay,
        Some(Overlay::Incident {
            index: 2,
            scroll: 0
        })
    );
    let screen = screen_text(&app);
    assert!(screen.contains("Root cause: Out of memory"), "{screen}");
    assert!(
        screen.contains("athena_eye_db: its own log stopped at 09:45:06 without an error"),
        "{screen}"
    );
    let at = |needle: &str| {
        screen
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not on screen:\n{screen}"))
    };
    // The chain, root first, with times, counts and where each was logged.
    let chain = [
        " 1. 09:45:07  ×5  ! oom-kill  [host: kernel]",
        " 2. 09:45:02  ×1  E container-unhealthy  [host: athena-deploy.sh]",
        " 3. 09:45:02  ×1  E compose-unhealthy  [host: athena-deploy.sh]",
    ];
    assert!(at(chain[0]) < at(chain[1]) && at(chain[1]) < at(chain[2]));
    insta::assert_snapshot!("incident_oom_160x48", screen);

    // Esc goes back to the list, on the same incident.
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Some(Overlay::Incidents { selected: 2 }));
    press(&mut app, "\n\n");
    assert_eq!(app.overlay, None);
    let selected = app.selected.expect("a hit selected");
    assert_eq!(selected.pane, PaneId::Host);
    assert_eq!(
        app.entry_of(selected).map(|e| e.id.as_str()),
        Some("oom-kill")
    );
}

#[test]
fn r_writes_the_report_triage_report_writes_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app(Lang::En, 160, 48);
    app.incidents.report_dir = dir.path().to_path_buf();
    press(&mut app, "R");
    let message = app.message.clone().expect("a message");
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{message}");
    let path = &written[0];
    assert_eq!(
        message,
        format!("Report written to {} (6 incidents)", path.display())
    );
    // The status line shows it.
    assert!(screen_text(&app).contains("Report written to"));
    let from_viewer = std::fs::read_to_string(path).unwrap();
    let output = Running::start(triage().args(["report", "--demo"])).finish_within(COMMAND);
    assert!(output.status.success());
    assert_eq!(from_viewer, String::from_utf8(output.stdout).unwrap());

    // A second R never overwrites the first.
    press(&mut app, "IR");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_report_that_cannot_be_written_says_why() {
    let mut app = demo_app(Lang::En, 160, 48);
    app.incidents.report_dir = "/nonexistent/dir".into();
    press(&mut app, "R");
    let message = app.message.clone().unwrap();
    assert!(
        message.starts_with("Could not write the report: "),
        "{message}"
    );
}

#[test]
fn during_a_replay_incidents_are_only_what_has_happened_so_far() {
    let logs = triage::embedded::INCIDENT_FILES
        .iter()
        .map(|(name, bytes)| {
            triage::loader::LogFile::open(name, triage::loader::LogData::Static(bytes), None)
                .unwrap()
        })
        .collect();
    let options = triage::app::Options {
        replay: Some(1.0),
        ..crate::common::options(Lang::En)
    };
    let mut app = crate::common::app_with(logs, options, 160, 48);
    // 09:01 + 35 minutes: apt and the socket, nothing of the OOM kill yet.
    run_commands(
        &mut app,
        triage::app::Event::Tick(std::time::Duration::from_secs(35 * 60)),
    );
    press(&mut app, "I");
    let roots: Vec<String> = roots_and_chains(&app).into_iter().map(|(r, _)| r).collect();
    assert_eq!(roots, ["apt-nopubkey", "docker-sock-denied"]);
    // Time passes while the list is open: it follows.
    run_commands(
        &mut app,
        triage::app::Event::Tick(std::time::Duration::from_secs(3 * 3600)),
    );
    press(&mut app, "j");
    assert_eq!(app.incidents.report.incidents.len(), 6);
}

#[test]
fn the_incident_windows_fit_80x24_and_speak_chinese() {
    let mut app = demo_app(Lang::Zh, 80, 24);
    press(&mut app, "I");
    let list = screen_text(&app);
    assert!(list.contains("故障（根因在前）"), "{list}");
    press(&mut app, "\n");
    let one = screen_text(&app);
    assert!(one.contains("根因"), "{one}");
    insta::assert_snapshot!("incident_zh_80x24", one);
}

#[test]
fn t_goes_to_a_time_in_both_panes() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "t10:26:39\n");
    assert_eq!(app.prompt, None);
    for id in PaneId::BOTH {
        let pane = app.pane(id);
        let ts = pane.ts_near(pane.cursor).expect("a time");
        let target: jiff::Timestamp = "2026-11-27T10:26:39Z".parse().unwrap();
        // The host's nearest line may be a few minutes away; the containers' is at it.
        let slack = if id == PaneId::Containers { 1 } else { 600 };
        assert!(
            (ts.as_second() - target.as_second()).abs() <= slack,
            "{id:?} at {ts}"
        );
    }
    press(&mut app, "tsoon\n");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.starts_with("Not a time: soon")),
        "{:?}",
        app.message
    );
}

#[test]
fn the_timeline_strip_shows_hits_by_slot_and_severity_and_the_incidents_as_spans() {
    let mut app = demo_app(Lang::En, 160, 48);
    let before = app.areas();
    press(&mut app, "T");
    assert!(app.timeline);
    let after = app.areas();
    assert_eq!(after.panes[0].unwrap().y, 4);
    assert_eq!(after.status, before.status);
    let strip = app.timeline_strip(148).expect("a strip");
    let counted: u32 = strip.panes.iter().flatten().map(|s| s.hits).sum();
    assert_eq!(counted, 79);
    assert_eq!(strip.incidents.len(), 6);
    // 09:01 to 12:05 in 148 columns: two minutes a column.
    assert_eq!(strip.per_column.as_mins(), 2);
    let screen = screen_text(&app);
    let rows: Vec<&str> = screen.lines().take(4).collect();
    assert!(rows[0].starts_with("containers │"), "{screen}");
    assert!(rows[1].starts_with("host       │"), "{screen}");
    assert!(rows[2].starts_with("incidents I│"), "{screen}");
    // The TLS incident (6) shares its two minutes with the boot failures (5): the worse
    // one is drawn.
    for n in '1'..='5' {
        assert!(
            rows[2].contains(n),
            "incident {n} not on the strip:\n{screen}"
        );
    }
    assert!(
        rows[3].contains("09:01") && rows[3].contains("12:04"),
        "{screen}"
    );
    insta::assert_snapshot!("timeline_160x48", screen);
    // The README shows these rows as they are.
    let readme = std::fs::read_to_string(crate::common::repo("README.md")).unwrap();
    assert!(
        readme.contains(&format!("```text\n{}\n```", rows.join("\n"))),
        "README's timeline capture is not the strip as drawn:\n{}",
        rows.join("\n")
    );
    press(&mut app, "T");
    assert_eq!(app.areas(), before);
}

#[test]
fn an_incident_lists_the_unrecognised_errors_that_fell_inside_it_after_its_chain() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "I");
    let screen = screen_text(&app);
    assert!(
        screen.contains("nginx-502 ×7  + 20 unrecognised"),
        "{screen}"
    );
    press(&mut app, "jjjj\n");
    assert_eq!(
        app.overlay,
        Some(Overlay::Incident {
            index: 4,
            scroll: 0
        })
    );
    let screen = screen_text(&app);
    let at = |needle: &str| {
        screen
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not on screen:\n{screen}"))
    };
    let chain = at("Chain of events:");
    let unknown = at("Unrecognised errors in the same window");
    let row =
        at("10:26:29–10:27:34  ×10  ? Traceback (most recent call last):  [athena_eye_backend]");
    let causes = at("1. app-missing-log-dir");
    assert!(chain < unknown && unknown < row && row < causes, "{screen}");
}
