//! What narrows the panes: `!` hides lines matching a regex (alongside `&`), `t` with a range
//! restricts both panes to a time span (or `t` on an incident to its span), and `z`/`Z` zoom
//! the timeline strip. In the app (exact rows) and on the real binary in tmux.

use triage::{
    app::{Overlay, PaneId},
    catalogue::Lang,
};

use crate::{
    common::{demo_app, press, screen_text},
    terminal::{TRIAGE, Tmux},
};

fn shown_lines(app: &triage::app::App, id: PaneId) -> Vec<String> {
    let pane = app.pane(id);
    (0..pane.row_count())
        .map(|r| {
            String::from_utf8_lossy(pane.store.line(pane.line_at_row(r).unwrap()).unwrap().0)
                .into_owned()
        })
        .collect()
}

fn status_line(app: &triage::app::App) -> String {
    screen_text(app).lines().last().unwrap_or("").to_string()
}

#[test]
fn bang_hides_lines_alongside_the_filter_in_and_empty_shows_them_again() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "\t"); // containers
    assert_eq!(app.focus, PaneId::Containers);
    let all = shown_lines(&app, PaneId::Containers);
    assert_eq!(all.len(), 963);
    let boot = all.iter().filter(|l| l.contains("Worker failed")).count();
    assert_eq!(boot, 10);
    // Smart case: lowercase ignores case.
    press(&mut app, "!worker failed\n");
    let shown = shown_lines(&app, PaneId::Containers);
    assert_eq!(shown.len(), 963 - boot);
    assert!(shown.iter().all(|l| !l.contains("Worker failed")));
    assert!(
        status_line(&app).contains("! worker failed"),
        "{}",
        status_line(&app)
    );
    // An uppercase letter makes it match case: nothing is `WORKER`.
    press(&mut app, "!WORKER\n");
    assert_eq!(shown_lines(&app, PaneId::Containers).len(), 963);
    press(&mut app, "!worker failed\n");

    // With a filter-in: the lines that match it and not the filter-out.
    press(&mut app, "&athena_eye_backend\n");
    let backend = all
        .iter()
        .filter(|l| l.contains("athena_eye_backend"))
        .count();
    let backend_not_boot = all
        .iter()
        .filter(|l| l.contains("athena_eye_backend") && !l.contains("Worker failed"))
        .count();
    assert!(backend_not_boot < backend);
    assert_eq!(
        shown_lines(&app, PaneId::Containers).len(),
        backend_not_boot
    );
    let status = status_line(&app);
    assert!(
        status.contains("& athena_eye_backend · ! worker failed"),
        "{status}"
    );
    // The host pane is not narrowed: `!` is the focused pane's.
    assert_eq!(
        app.pane(PaneId::Host)
            .hide
            .as_ref()
            .map(|h| h.text.as_str()),
        None
    );

    // `!` and Enter on an empty line: the hidden lines are back; the filter-in stays.
    press(&mut app, "!\n");
    assert_eq!(shown_lines(&app, PaneId::Containers).len(), backend);
    let status = status_line(&app);
    assert!(
        !status.contains('!') || !status.contains("! worker"),
        "{status}"
    );
    press(&mut app, "&\n");
    assert_eq!(shown_lines(&app, PaneId::Containers).len(), 963);
    assert!(app.pane(PaneId::Containers).filter.is_none());
}

#[test]
fn a_filter_out_regex_over_the_size_limit_says_why() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "!(\\w{100}){100}\n");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("Regex too big"), "{message}");
    assert!(app.pane(app.focus).hide.is_none());
    press(&mut app, "!(\n");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.starts_with("Not a valid regex"), "{message}");
}

/// Walk `n` from the first line of the host pane (the earlier) to the last hit.
fn walk_hits(app: &mut triage::app::App) -> Vec<String> {
    if app.focus != PaneId::Host {
        press(app, "\t");
    }
    press(app, "g");
    let mut seen = Vec::new();
    for _ in 0..200 {
        press(app, "n");
        if app
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("Last hit"))
        {
            return seen;
        }
        let r = app.selected.expect("a hit selected");
        let line = app.hit(r).unwrap().line;
        let text = app.pane(r.pane).store.line(line).unwrap().0;
        seen.push(format!(
            "{} {}",
            app.entry_of(r).unwrap().id,
            String::from_utf8_lossy(text)
        ));
    }
    panic!("n never reached the last hit");
}

#[test]
fn n_does_not_walk_hits_that_bang_hides() {
    let mut app = demo_app(Lang::En, 160, 48);
    let booting = |hits: &[String]| {
        hits.iter()
            .filter(|h| h.contains("Worker failed to boot"))
            .count()
    };
    let all = walk_hits(&mut app);
    assert_eq!(booting(&all), 10, "{all:?}");
    if app.focus != PaneId::Containers {
        press(&mut app, "\t");
    }
    press(&mut app, "!Worker failed to boot\n");
    assert!(app.pane(PaneId::Containers).hide.is_some());
    let walked = walk_hits(&mut app);
    assert_eq!(booting(&walked), 0, "{walked:?}");
    assert!(
        walked.iter().any(|h| h.starts_with("app-missing-log-dir ")),
        "{walked:?}"
    );
    assert_eq!(walked.len(), all.len() - 10);
}

#[test]
fn a_range_restricts_both_panes_and_t_enter_clears_it() {
    let mut app = demo_app(Lang::En, 160, 48);
    let before = [
        app.pane(PaneId::Containers).row_count(),
        app.pane(PaneId::Host).row_count(),
    ];
    press(&mut app, "t10:26-10:27\n");
    let from: jiff::Timestamp = "2026-11-27T10:26:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-11-27T10:27:59Z".parse().unwrap();
    assert_eq!(app.time_range(), Some((from, to)));
    for id in PaneId::BOTH {
        let pane = app.pane(id);
        let rows = pane.row_count();
        assert!(rows < before[id.index()], "{id:?}");
        for row in 0..rows {
            let line = pane.line_at_row(row).unwrap();
            let ts = pane.ts_near(line).expect("a time");
            assert!(ts >= from && ts <= to, "{id:?} shows {ts}");
        }
    }
    assert!(app.pane(PaneId::Containers).row_count() > 0);
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("Showing 10:26:00–10:27:59 only (both panes)"),
        "{message}"
    );
    press(&mut app, "j"); // the message goes; the status line keeps the range
    let status = status_line(&app);
    assert!(
        status.contains("only 10:26:00–10:27:59 (t⏎ all)"),
        "{status}"
    );
    // n walks only the hits in the range.
    let walked = walk_hits(&mut app);
    assert!(!walked.is_empty());
    assert!(
        !walked.iter().any(|h| h.starts_with("oom-kill ")),
        "{walked:?}"
    );
    // `..` is the same range.
    press(&mut app, "t10:26..10:27\n");
    assert_eq!(app.time_range(), Some((from, to)));
    // t and Enter on an empty line: every line again, in both panes.
    press(&mut app, "t\n");
    assert_eq!(app.time_range(), None);
    assert_eq!(
        [
            app.pane(PaneId::Containers).row_count(),
            app.pane(PaneId::Host).row_count()
        ],
        before
    );
    assert!(!status_line(&app).contains("only 10:26"));
}

#[test]
fn t_on_an_incident_restricts_both_panes_to_its_span() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "Ijjjj");
    assert_eq!(app.overlay, Some(Overlay::Incidents { selected: 4 }));
    let incident = app.incidents.report.incidents[4].clone();
    press(&mut app, "t");
    assert_eq!(app.overlay, None);
    assert_eq!(
        app.time_range(),
        Some((incident.first.unwrap(), incident.last.unwrap()))
    );
    let pane = app.pane(PaneId::Containers);
    assert!(pane.row_count() > 0);
    for row in 0..pane.row_count() {
        let ts = pane.ts_near(pane.line_at_row(row).unwrap()).unwrap();
        assert!(ts >= incident.first.unwrap() && ts <= incident.last.unwrap());
    }
}

#[test]
fn z_and_shift_z_zoom_the_timeline_strip() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "z");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("T shows it first")),
        "{:?}",
        app.message
    );
    press(&mut app, "T");
    let per = |app: &triage::app::App| app.timeline_strip(148).unwrap().per_column.as_secs();
    assert_eq!(per(&app), 120);
    press(&mut app, "z");
    assert_eq!(per(&app), 60);
    press(&mut app, "z");
    assert_eq!(per(&app), 30);
    let strip = app.timeline_strip(148).unwrap();
    // 148 columns of 30 s around the cursor: 74 minutes, inside the log's span.
    assert_eq!(
        strip.end.duration_since(strip.start).as_secs(),
        148 * 30 - 1
    );
    assert!(strip.cursor.is_some());
    let screen = screen_text(&app);
    let axis = screen.lines().nth(3).unwrap();
    assert!(axis.contains("30 s/col"), "{screen}");
    press(&mut app, "ZZ");
    assert_eq!(per(&app), 120);
    press(&mut app, "Z");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("whole log already")),
        "{:?}",
        app.message
    );
    // Restricted to a range, the strip shows the range.
    press(&mut app, "t10:26-10:27\n");
    let strip = app.timeline_strip(148).unwrap();
    assert_eq!(strip.start, "2026-11-27T10:26:00Z".parse().unwrap());
    assert_eq!(strip.per_column.as_secs(), 60);
}

#[test]
fn bang_zoom_and_range_on_the_real_binary_in_tmux() {
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!("cd {}", tmux.dir().display()));
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo, loaded", |s| {
        s.contains("oom-kill") && s.contains("ok]") && s.contains("/79")
    });
    // The containers pane, its boot failures hidden.
    tmux.keys(&["Tab"]);
    tmux.keys(&["!"]);
    tmux.wait_for("the hide prompt", |s| s.contains("hide !"));
    tmux.keys(&["-l", "Worker failed"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("lines hidden", |s| s.contains("953 lines"));
    assert!(screen.contains("! Worker failed"), "{screen}");
    // And a filter-in beside it: both in the status line.
    tmux.keys(&["&"]);
    tmux.keys(&["-l", "gunicorn"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("both filters", |s| {
        s.contains("& gunicorn · ! Worker failed")
    });
    assert!(!screen.contains("Worker failed to boot"), "{screen}");
    tmux.keys(&["&"]);
    tmux.keys(&["Enter"]);
    tmux.keys(&["!"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("every line again", |s| s.contains("963 lines"));
    // The strip, zoomed in twice.
    tmux.keys(&["T"]);
    tmux.wait_for("the strip", |s| s.contains("2 min/col"));
    tmux.keys(&["z"]);
    tmux.wait_for("zoomed in", |s| s.contains("1 min/col"));
    tmux.keys(&["z"]);
    tmux.wait_for("zoomed in again", |s| s.contains("30 s/col"));
    tmux.keys(&["Z"]);
    tmux.keys(&["Z"]);
    tmux.wait_for("zoomed out", |s| s.contains("2 min/col"));
    // Both panes restricted to two minutes.
    tmux.keys(&["t"]);
    tmux.keys(&["-l", "10:26-10:27"]);
    tmux.keys(&["Enter"]);
    tmux.keys(&["j"]);
    let screen = tmux.wait_for("the range", |s| {
        s.contains("only 10:26:00–10:27:59 (t⏎ all)")
    });
    // Every time shown in the panes is in the range.
    // A pane's row: the border, the gutter's two columns, the time.
    let is_time = |w: &str| w.len() == 8 && w.as_bytes()[2] == b':' && w.as_bytes()[5] == b':';
    let times: Vec<String> = screen
        .lines()
        .skip(5)
        .flat_map(|l| l.split('│'))
        .map(|segment| segment.chars().skip(2).take(8).collect::<String>())
        .filter(|w| is_time(w))
        .collect();
    assert!(!times.is_empty(), "{screen}");
    assert!(
        times
            .iter()
            .all(|t| t.starts_with("10:26") || t.starts_with("10:27")),
        "{times:?}\n{screen}"
    );
    tmux.keys(&["t"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the whole log", |s| !s.contains("only 10:26"));
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        !s.contains("oom-kill") && s.contains("PROMPT$")
    });
}
