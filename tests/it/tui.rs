//! The viewer's model driven by events (keys, resizes, lines arriving, time passing) without
//! a terminal, and its screens drawn on a test backend.

use crate::common;

use std::time::Duration;

use crate::common::{
    app_with, demo_app, key, options, press, render, run_commands, screen_text, style_map,
};
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use triage::{
    app::{Command, Event, HitRef, Overlay, PaneId, unknown::ListRow},
    catalogue::{Lang, Severity},
    loader::{LogData, LogFile},
};

fn entry_id(app: &triage::app::App, r: HitRef) -> String {
    app.entry_of(r).unwrap().id.clone()
}

fn cursor_text(app: &triage::app::App, pane: PaneId) -> String {
    let pane = app.pane(pane);
    String::from_utf8_lossy(pane.store.line(pane.cursor).unwrap().0).into_owned()
}

#[test]
fn the_demo_opens_at_its_first_critical_hit_with_the_other_pane_at_that_moment() {
    let app = demo_app(Lang::En, 160, 48);
    let selected = app.selected.expect("a hit is selected");
    assert_eq!(entry_id(&app, selected), "oom-kill");
    assert_eq!(app.focus, PaneId::Host);
    assert!(cursor_text(&app, PaneId::Host).contains("mysqld invoked oom-killer"));
    // The containers pane shows the db's last words, one second before the kill.
    let db = cursor_text(&app, PaneId::Containers);
    assert!(
        db.contains("athena_eye_db") && db.contains("09:45:06"),
        "{db}"
    );
    // Every hit of both panes is in the list, in time order.
    assert_eq!(app.hit_order.len(), 79);
    let times: Vec<_> = app
        .hit_order
        .iter()
        .map(|r| app.hit(*r).unwrap().ts)
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn n_and_shift_n_walk_the_hits_across_panes_in_time() {
    let mut app = demo_app(Lang::En, 160, 48);
    let start = app
        .hit_order
        .iter()
        .position(|r| Some(*r) == app.selected)
        .unwrap();
    press(&mut app, "n");
    assert_eq!(app.selected, Some(app.hit_order[start + 1]));
    // Walk forward until the hit list crosses into the containers pane.
    let mut steps = 0;
    while app.focus == PaneId::Host {
        press(&mut app, "n");
        steps += 1;
        assert!(steps < 20, "never reached the containers pane");
    }
    let r = app.selected.unwrap();
    assert_eq!(r.pane, PaneId::Containers);
    assert_eq!(
        app.pane(PaneId::Containers).cursor,
        app.hit(r).unwrap().line
    );
    // And back.
    press(&mut app, "N");
    assert_eq!(app.focus, PaneId::Host);
    // Past the last hit: a message, nothing moves.
    key(&mut app, KeyCode::End);
    let last = *app.hit_order.last().unwrap();
    app.jump_to_hit(last);
    press(&mut app, "n");
    assert_eq!(app.selected, Some(last));
    assert!(app.message.as_deref().unwrap_or("").contains("Last hit"));
}

#[test]
fn moving_in_one_pane_brings_the_other_to_the_same_moment() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "\t"); // to the containers pane
    assert_eq!(app.focus, PaneId::Containers);
    press(&mut app, "g");
    let host_first = cursor_text(&app, PaneId::Host);
    // The first container line is at 09:44:12; the host line shown is the nearest in time.
    assert!(host_first.starts_with("2026-11-27T09:44:1"), "{host_first}");
    press(&mut app, "G");
    let last_container = cursor_text(&app, PaneId::Containers);
    let host_last = cursor_text(&app, PaneId::Host);
    assert!(
        last_container.contains("2026-11-27T12:0"),
        "{last_container}"
    );
    assert!(
        host_last.starts_with("2026-11-27T12:0") || host_last.starts_with("2026-11-27T11:5"),
        "{host_last}"
    );
}

#[test]
fn moving_the_cursor_scrolls_and_page_keys_page() {
    let mut app = demo_app(Lang::En, 80, 24);
    press(&mut app, "g");
    let pane = app.pane(app.focus);
    assert_eq!((pane.cursor, pane.top), (0, 0));
    let height = pane.height;
    key(&mut app, KeyCode::PageDown);
    let pane = app.pane(app.focus);
    assert_eq!(pane.cursor, height - 1);
    assert!(pane.cursor >= pane.top && pane.cursor < pane.top + height);
    press(&mut app, "jjjk");
    assert_eq!(app.pane(app.focus).cursor, height + 1);
}

#[test]
fn filters_filter() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "\t"); // containers
    press(&mut app, "&Worker failed\n");
    let pane = app.pane(PaneId::Containers);
    let rows: Vec<String> = (0..pane.row_count())
        .map(|r| {
            String::from_utf8_lossy(pane.store.line(pane.line_at_row(r).unwrap()).unwrap().0)
                .into_owned()
        })
        .collect();
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r.contains("Worker failed")));
    // The cursor moves only among the rows that pass.
    press(&mut app, "G");
    assert!(cursor_text(&app, PaneId::Containers).contains("Worker failed"));
    // An empty filter removes it.
    press(&mut app, "&\n");
    assert_eq!(app.pane(PaneId::Containers).row_count(), 963);

    // Fuzzy: the letters in order anywhere in the line, case ignored.
    press(&mut app, "FQCACHETYPE\n");
    let pane = app.pane(PaneId::Containers);
    let rows: Vec<String> = (0..pane.row_count())
        .map(|r| {
            String::from_utf8_lossy(pane.store.line(pane.line_at_row(r).unwrap()).unwrap().0)
                .to_lowercase()
        })
        .collect();
    assert!(!rows.is_empty() && rows.len() < 100, "{}", rows.len());
    assert_eq!(
        rows.iter()
            .filter(|r| r.contains("query_cache_type"))
            .count(),
        1
    );
    let in_order = |line: &str| {
        let mut rest = line;
        "qcachetype".chars().all(|c| match rest.find(c) {
            Some(at) => {
                rest = &rest[at + c.len_utf8()..];
                true
            }
            None => false,
        })
    };
    assert!(rows.iter().all(|r| in_order(r)));
}

#[test]
fn the_severity_filter_shows_only_hits_of_that_level_and_up_in_both_panes() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "ss"); // info+, then warning+
    press(&mut app, "ss"); // error+, then critical
    assert_eq!(app.severity_filter, Some(Severity::Critical));
    // As many rows as the incident has lines with a critical hit (examples/athena-eye/
    // expected.tsv: file, line, entry), each of them showing one.
    let critical_lines = |file: &str| {
        std::fs::read_to_string(common::repo("examples/athena-eye/expected.tsv"))
            .unwrap()
            .lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|f| f[0] == file)
            .filter(|f| {
                app.catalogue
                    .entries()
                    .iter()
                    .find(|e| e.id == f[2])
                    .is_some_and(|e| e.severity == Severity::Critical)
            })
            .map(|f| f[1].to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    for (id, file) in [
        (PaneId::Containers, "docker-compose.log"),
        (PaneId::Host, "host.log"),
    ] {
        let pane = app.pane(id);
        assert!(critical_lines(file) > 0);
        assert_eq!(pane.row_count(), critical_lines(file) as u64, "{id:?}");
        for row in 0..pane.row_count() {
            let line = pane.line_at_row(row).unwrap();
            assert!(
                pane.hits_on(line)
                    .iter()
                    .any(|h| h.severity == Severity::Critical)
            );
        }
    }
    press(&mut app, "s");
    assert_eq!(app.severity_filter, None);
    assert_eq!(app.pane(PaneId::Host).row_count(), 1329);
}

#[test]
fn search_jumps_between_matches_and_a_bad_regex_says_so() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "g/query_cache\n");
    // The host pane has no such line: stays, says so.
    assert!(
        app.message
            .as_deref()
            .unwrap_or("")
            .contains("No more matches")
    );
    press(&mut app, "\t");
    press(&mut app, "g/query_cache\n");
    assert!(cursor_text(&app, PaneId::Containers).contains("query_cache_type"));
    let first = app.pane(PaneId::Containers).cursor;
    press(&mut app, ">");
    assert!(app.pane(PaneId::Containers).cursor > first);
    press(&mut app, "<");
    assert_eq!(app.pane(PaneId::Containers).cursor, first);
    press(&mut app, "/(unclosed\n");
    assert!(
        app.message
            .as_deref()
            .unwrap_or("")
            .contains("Not a valid regex"),
        "{:?}",
        app.message
    );
}

#[test]
fn y_copies_the_remedy_command_with_the_hits_details_filled_in() {
    let mut app = demo_app(Lang::En, 160, 48);
    let commands = press(&mut app, "y");
    let [Command::Copy(text)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    let entry = app.entry_of(app.selected.unwrap()).unwrap();
    assert_eq!(
        text,
        entry.remedy.iter().flat_map(|s| &s.run).next().unwrap()
    );
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("Copied to clipboard")
    );
    // The whole remedy includes destructive steps: `Y` asks once more, `Y` again copies.
    assert!(entry.remedy.iter().any(|s| s.destructive));
    assert!(press(&mut app, "Y").is_empty());
    let asked = app.message.clone().unwrap();
    assert!(
        asked.starts_with("DESTRUCTIVE:") && asked.ends_with("Press Y again to copy."),
        "{asked}"
    );
    let commands = press(&mut app, "Y");
    let [Command::Copy(all)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert!(all.lines().count() > 1 && all.starts_with(text.as_str()));

    // A command with a placeholder: apt-lock's "sudo kill {pid}", the pid captured from the
    // incident's host.log line 199 "...It is held by process 2187 (unattended-upgr)...".
    let apt_lock = *app
        .hit_order
        .iter()
        .find(|r| entry_id(&app, **r) == "apt-lock")
        .expect("the incident has an apt-lock hit");
    app.jump_to_hit(apt_lock);
    let template = app
        .entry_of(apt_lock)
        .unwrap()
        .remedy
        .iter()
        .flat_map(|s| &s.run)
        .find(|c| c.contains("{pid}"))
        .expect("apt-lock's remedy kills {pid}")
        .clone();
    // Killing a process is a destructive step: the first `Y` asks, the second copies.
    assert!(press(&mut app, "Y").is_empty(), "{:?}", app.message);
    let commands = press(&mut app, "Y");
    let [Command::Copy(all)] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert!(
        all.lines().any(|l| l == template.replace("{pid}", "2187")),
        "{all}"
    );
    assert!(!all.contains("{pid}") && !all.contains("<pid>"), "{all}");
}

/// Where `needle` is drawn: (column, row) of its first character.
fn find_on_screen(
    terminal: &ratatui::Terminal<ratatui::backend::TestBackend>,
    needle: &str,
) -> Option<(u16, u16)> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height).find_map(|y| {
        let cells: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        let row: String = cells.concat();
        let at = row.find(needle)?;
        // Columns, not bytes: every cell before the match holds one symbol.
        let mut bytes = 0;
        let column = cells.iter().position(|c| {
            let here = bytes;
            bytes += c.len();
            here >= at
        })?;
        Some((column as u16, y))
    })
}

/// A log with one apt lock line: its remedy reads first, then kills the lock holder (a
/// destructive step), close enough to the top to be seen in the hit panel.
fn apt_lock_app(lang: Lang, color: bool) -> triage::app::App {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apt.log");
    // The wording of the catalogue's own apt-lock example (apt's message), with a timestamp.
    std::fs::write(
        &path,
        "2026-11-28T14:03:05.1Z E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 2187 (unattended-upgr)\n",
    )
    .unwrap();
    let file = LogFile::open("apt.log", LogData::Path(path), None).unwrap();
    let mut options = options(lang);
    options.color = color;
    let mut app = app_with(vec![file], options, 240, 60);
    if app.selected.is_none() {
        press(&mut app, "n");
    }
    app
}

#[test]
fn a_destructive_step_is_drawn_apart_with_its_warning_and_copied_only_after_a_second_press() {
    let mut app = apt_lock_app(Lang::En, true);
    let r = app.selected.expect("the lock line is a hit");
    let entry = app.entry_of(r).unwrap().clone();
    assert_eq!(entry.id, "apt-lock");
    let destructive = entry.remedy.iter().position(|s| s.destructive).unwrap();
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let label = format!("{}. [DESTRUCTIVE]", destructive + 1);
    let (x, y) = find_on_screen(&terminal, &label).expect("the destructive step is shown");
    assert_eq!(buffer[(x + 3, y)].fg, Color::LightRed);
    assert!(buffer[(x + 3, y)].modifier.contains(Modifier::BOLD));
    let warning = entry.remedy[destructive].warning.as_ref().unwrap();
    let (wx, wy) = find_on_screen(&terminal, &format!("! {}", &warning.en[..20]))
        .expect("its warning is shown");
    assert!(wy > y);
    assert_eq!(buffer[(wx, wy)].fg, Color::LightRed);
    // Its command, filled from the hit, is drawn in the same style; a reading step's command
    // in the usual one.
    let (cx, cy) = find_on_screen(&terminal, "$ sudo kill 2187").expect("the filled command");
    assert_eq!(buffer[(cx, cy)].fg, Color::LightRed);
    let (rx, ry) = find_on_screen(&terminal, &entry.remedy[0].run[0][..20]).unwrap();
    assert_eq!(buffer[(rx, ry)].fg, Color::Green);
    insta::assert_snapshot!("destructive_step_240x60", screen_text(&app));

    // `y` copies only the first command, which reads: no question.
    let copied = press(&mut app, "y");
    assert!(matches!(copied.as_slice(), [Command::Copy(c)] if c == &entry.remedy[0].run[0]));
    // `Y` asks once more, with the warning; any other key in between forgets the request.
    assert!(press(&mut app, "Y").is_empty());
    let asked = app.message.clone().unwrap();
    assert!(
        asked.starts_with("DESTRUCTIVE: Ends a package installation half-way"),
        "{asked}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(press(&mut app, "Y").is_empty());
    let copied = press(&mut app, "Y");
    let [Command::Copy(script)] = copied.as_slice() else {
        panic!("the second Y copies: {copied:?}")
    };
    assert!(script.contains("sudo kill 2187"));
    // What the hit could not fill is named, so it is typed in before Enter.
    let message = app.message.as_deref().unwrap();
    assert!(
        message.starts_with("Copied; fill in <package> before running"),
        "{message}"
    );
    // The full entry (`Enter`) shows the step and its warning too, and copies the same way.
    key(&mut app, KeyCode::Enter);
    assert!(screen_text(&app).contains(&format!("! {}", &warning.en[..20])));
    assert!(press(&mut app, "Y").is_empty());
    assert_eq!(press(&mut app, "Y").len(), 1);

    // Without colour the step is still set apart (bold and underlined).
    let app = apt_lock_app(Lang::En, false);
    let terminal = render(&app);
    let (x, y) = find_on_screen(&terminal, &label).unwrap();
    let cell = &terminal.backend().buffer()[(x + 3, y)];
    assert!(
        cell.modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );

    // In Chinese the step, its warning and the question are in Chinese.
    let mut app = apt_lock_app(Lang::Zh, true);
    let screen = screen_text(&app);
    assert!(screen.contains("[危险操作]"), "{screen}");
    assert!(press(&mut app, "Y").is_empty());
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("危险操作：会让软件包安装中途结束")
    );
}

#[test]
fn overlays_open_close_and_the_hit_list_jumps() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "?");
    assert_eq!(app.overlay, Some(Overlay::Help));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, None);
    // Enter: the selected hit's entry in full; Enter again closes it.
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Entry { .. })));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, None);
    press(&mut app, "H");
    let Some(Overlay::HitList { selected }) = app.overlay else {
        panic!()
    };
    // The list holds the hits and the unrecognised templates, in time order: the third hit
    // is a few rows down.
    let rows = app.hit_list_rows();
    let third = rows
        .iter()
        .position(|r| *r == ListRow::Hit(app.hit_order[2]))
        .unwrap();
    press(&mut app, &format!("g{}\n", "j".repeat(third)));
    assert_eq!(app.overlay, None);
    assert_eq!(app.selected, Some(app.hit_order[2]));
    assert_ne!(selected, third);
    // q in an overlay closes it, not the app; q then quits.
    press(&mut app, "?");
    assert!(press(&mut app, "q").is_empty());
    assert!(matches!(press(&mut app, "q").as_slice(), [Command::Quit]));
}

#[test]
fn replay_reveals_lines_as_their_time_comes() {
    let logs = common::incident_logs();
    let mut opts = options(Lang::En);
    opts.replay = Some(60.0);
    let mut app = app_with(logs, opts, 160, 48);
    // At the start only the first moment is shown: the host's boot.
    let host = app.pane(PaneId::Host);
    assert!(host.row_count() < 1329 / 2, "{}", host.row_count());
    assert!(
        cursor_text(&app, PaneId::Host).starts_with("2026-11-27T09:01:"),
        "{}",
        cursor_text(&app, PaneId::Host)
    );
    assert_eq!(app.pane(PaneId::Containers).row_count(), 0);
    assert!(app.hit_order.is_empty());
    // 40 seconds at 60x is 40 minutes of logs: 09:01 → 09:41, apt's errors are in.
    for _ in 0..40 {
        run_commands(&mut app, Event::Tick(Duration::from_secs(1)));
    }
    let ids: Vec<String> = app.hit_order.iter().map(|r| entry_id(&app, *r)).collect();
    assert!(
        ids.contains(&"apt-nopubkey".to_string()) && !ids.contains(&"oom-kill".to_string()),
        "{ids:?}"
    );
    assert_eq!(
        app.pane(PaneId::Containers).row_count(),
        0,
        "the containers start at 09:44"
    );
    // Paused, time does not move; + doubles the speed.
    press(&mut app, " ");
    let shown = app.pane(PaneId::Host).row_count();
    run_commands(&mut app, Event::Tick(Duration::from_secs(60)));
    assert_eq!(app.pane(PaneId::Host).row_count(), shown);
    press(&mut app, " +");
    assert_eq!(app.replay.as_ref().unwrap().speed, 120.0);
    for _ in 0..200 {
        run_commands(&mut app, Event::Tick(Duration::from_secs(1)));
    }
    assert_eq!(app.hit_order.len(), 79);
    assert!(app.replay.as_ref().unwrap().finished);
}

#[test]
fn resizing_relayouts_and_keeps_the_cursor_in_view() {
    let mut app = demo_app(Lang::En, 160, 48);
    run_commands(&mut app, Event::Resize(80, 24));
    let areas = app.areas();
    assert_eq!(
        areas.panes[0].unwrap().x,
        areas.panes[1].unwrap().x,
        "stacked below 120 columns"
    );
    for id in PaneId::BOTH {
        let pane = app.pane(id);
        let row = pane.cursor_row();
        assert!(
            row >= pane.top && row < pane.top + pane.height,
            "{id:?}: cursor row {row} outside {}+{}",
            pane.top,
            pane.height
        );
    }
}

#[test]
fn a_single_log_gets_the_whole_width() {
    let log = LogFile::open(
        "nginx-error.log",
        LogData::Path(common::fixture("formats/nginx-error.log")),
        None,
    )
    .unwrap();
    let app = app_with(vec![log], options(Lang::En), 100, 30);
    let areas = app.areas();
    assert_eq!(areas.panes[0].unwrap().width, 100);
    assert!(areas.panes[1].is_none());
    assert_eq!(app.hit_order.len(), 2);
}

// ---- screens -----------------------------------------------------------------------------------

#[test]
fn screens_in_english_and_chinese_at_two_sizes() {
    for (lang, name) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (w, h) in [(80, 24), (160, 48)] {
            let app = demo_app(lang, w, h);
            insta::assert_snapshot!(format!("demo_{name}_{w}x{h}"), screen_text(&app));
            // Beside the characters, their styles: cursor row, gutter badges, severities.
            insta::assert_snapshot!(format!("demo_{name}_{w}x{h}_styles"), style_map(&app));
        }
    }
}

#[test]
fn overlay_screens() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "H");
    insta::assert_snapshot!("hit_list_160x48", screen_text(&app));
    insta::assert_snapshot!("hit_list_160x48_styles", style_map(&app));
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("entry_160x48", screen_text(&app));
    key(&mut app, KeyCode::Esc);
    press(&mut app, "?");
    insta::assert_snapshot!("help_80x24", {
        run_commands(&mut app, Event::Resize(80, 24));
        screen_text(&app)
    });
}

#[test]
fn severity_is_coloured_and_still_marked_without_colour() {
    let app = demo_app(Lang::En, 160, 48);
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    let host = app.areas().panes[1].unwrap();
    // The cursor row is the oom-kill line: its gutter marker is a critical badge.
    let row =
        host.y + 1 + (app.pane(PaneId::Host).cursor_row() - app.pane(PaneId::Host).top) as u16;
    let marker = &buffer[(host.x + 1, row)];
    assert_eq!(marker.symbol(), "!");
    assert_eq!(marker.bg, Color::LightRed);
    // The matched words are drawn in the critical colour, bold.
    let text: String = (host.x + 1..host.x + host.width - 1)
        .map(|x| buffer[(x, row)].symbol().to_string())
        .collect();
    let at = text.find("invoked oom-killer").unwrap() as u16;
    let cell = &buffer[(host.x + 1 + at + 2, row)];
    assert_eq!(cell.fg, Color::LightRed);
    assert!(cell.modifier.contains(Modifier::BOLD));
    // No colour in use anywhere beyond the 16 every terminal has.
    for cell in buffer.content() {
        for color in [cell.fg, cell.bg] {
            assert!(
                !matches!(color, Color::Rgb(..) | Color::Indexed(_)),
                "{color:?}"
            );
        }
    }

    // NO_COLOR: no colour at all, and the meaning is still there.
    let mut plain = options(Lang::En);
    plain.color = false;
    let logs = common::incident_logs();
    let app = app_with(logs, plain, 160, 48);
    let terminal = render(&app);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "colour used with NO_COLOR: {cell:?}"
        );
    }
    let marker = &buffer[(host.x + 1, row)];
    assert_eq!(marker.symbol(), "!");
    assert!(marker.modifier.contains(Modifier::REVERSED));
}

#[test]
fn hostile_lines_are_drawn_as_visible_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.log");
    let mut log = b"2026-11-28T14:03:05.1Z \x1b[2J\x1b]0;pwned\x07 E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' \x1b[31mred\n".to_vec();
    log.extend_from_slice(
        "2026-11-28T14:03:06.1Z bidi \u{202e}desrever\u{202c} and C1 \u{9b}2J\n".as_bytes(),
    );
    // A 10 MB line: cut at the longest line kept (1 MiB), its start still matched.
    log.extend_from_slice(b"2026-11-28T14:03:07.1Z no space left on device ");
    log.extend(std::iter::repeat_n(b'x', 10 << 20));
    log.extend_from_slice(b" unseen\n2026-11-28T14:03:08.1Z caf\xe9 \xff\xfe\n");
    std::fs::write(&path, &log).unwrap();
    let file = LogFile::open("hostile.log", LogData::Path(path), None).unwrap();
    let app = app_with(vec![file], options(Lang::En), 120, 30);
    assert_eq!(app.pane(PaneId::Containers).row_count(), 4);
    let ids: Vec<String> = app.hit_order.iter().map(|r| entry_id(&app, *r)).collect();
    assert_eq!(ids, ["dpkg-interrupted", "no-space-left"]);
    let screen = screen_text(&app);
    assert!(
        screen.contains("\\x1b[2J")
            && screen.contains("<U+202E>")
            && screen.contains("\\u{9b}")
            && screen.contains("\\xe9"),
        "{screen}"
    );
    let terminal = render(&app);
    for cell in terminal.backend().buffer().content() {
        assert!(
            cell.symbol()
                .chars()
                .all(|c| !c.is_control() && !('\u{202a}'..='\u{202e}').contains(&c)),
            "{:?}",
            cell.symbol()
        );
    }
}

#[test]
fn journal_json_is_shown_as_text_lines() {
    let file = LogFile::open(
        "journal.json",
        LogData::Path(common::fixture("formats/journal.json")),
        None,
    )
    .unwrap();
    let app = app_with(vec![file], options(Lang::En), 120, 30);
    let pane = app.pane(PaneId::Host);
    // Five entries; the three-line traceback becomes three lines.
    assert_eq!(pane.row_count(), 7);
    let ids: Vec<String> = app.hit_order.iter().map(|r| entry_id(&app, *r)).collect();
    assert_eq!(ids, ["oom-kill", "systemd-killed-9", "app-missing-log-dir"]);
    let (view, _) = pane.view(1).unwrap();
    assert_eq!(view.label.as_deref(), Some("kernel"));
    // The journal's priority survives: err (3) entries without a known error are marked `e`.
    assert_eq!(
        (view.priority, pane.view(0).unwrap().0.priority),
        (Some(3), Some(6))
    );
    let screen = screen_text(&app);
    let sshd = screen
        .lines()
        .find(|l| l.contains("Accepted publickey"))
        .unwrap();
    assert!(sshd.starts_with("│  "), "info is unmarked: {sshd}");
}

#[test]
fn several_logs_in_one_pane_are_merged_by_time() {
    let a = LogFile::open(
        "compose-t.log",
        LogData::Path(common::fixture("formats/compose-t.log")),
        None,
    )
    .unwrap();
    let b = LogFile::open(
        "docker-t.log",
        LogData::Path(common::fixture("formats/docker-t.log")),
        None,
    )
    .unwrap();
    let app = app_with(vec![a, b], options(Lang::En), 120, 30);
    let pane = app.pane(PaneId::Containers);
    assert_eq!(pane.row_count(), 8);
    let times: Vec<_> = (0..8).map(|n| pane.ts_near(n).unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    // Lines of the file without its own labels carry the file's name.
    let labels: Vec<String> = (0..8)
        .filter_map(|n| pane.view(n).unwrap().0.label.map(|l| l.into_owned()))
        .collect();
    assert!(labels.contains(&"docker-t.log".to_string()), "{labels:?}");
}

#[test]
fn a_filter_leaves_the_search_alone() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "\t&502\n");
    assert!(app.pane(PaneId::Containers).filter.is_some());
    assert!(
        app.search.is_none(),
        "{:?}",
        app.search.as_ref().map(|s| &s.0)
    );
    assert!(!screen_text(&app).contains("/502"), "{}", screen_text(&app));
    press(&mut app, "&\n");
    assert!(app.search.is_none());
    // A search made before a filter stays what it was.
    press(&mut app, "/Worker\n&upstream\n");
    assert_eq!(app.search.as_ref().map(|s| s.0.as_str()), Some("Worker"));
    press(&mut app, "&\n");
    assert_eq!(app.search.as_ref().map(|s| s.0.as_str()), Some("Worker"));
}

/// The position in the hit order of the first hit at or after the focused cursor's moment.
fn first_hit_from_cursor(app: &triage::app::App) -> usize {
    let pane = app.pane(app.focus);
    let at = (pane.ts_near(pane.cursor), app.focus, pane.cursor);
    app.hit_order.partition_point(|r| {
        let h = app.hit(*r).unwrap();
        (h.ts, r.pane, h.line) < at
    })
}

#[test]
fn n_and_shift_n_go_from_the_cursor_not_from_the_last_hit_visited() {
    let mut app = demo_app(Lang::En, 160, 48);
    // Tab g: the containers pane at its first line, long before the hit the demo opened on.
    press(&mut app, "\tg");
    assert_eq!(app.focus, PaneId::Containers);
    let expected = app.hit_order[first_hit_from_cursor(&app)];
    let cursor_ts = app.pane(PaneId::Containers).ts_near(0).unwrap();
    press(&mut app, "n");
    assert_eq!(app.selected, Some(expected));
    assert!(app.hit(expected).unwrap().ts >= Some(cursor_ts));

    // G: the cursor at the end; n finds nothing later, N the last hit before it.
    press(&mut app, "G");
    let from = first_hit_from_cursor(&app);
    let cursor_line = app.pane(app.focus).cursor;
    press(&mut app, "n");
    match app.hit_order.get(from) {
        Some(r) => assert_eq!(app.selected, Some(*r)),
        None => {
            assert_eq!(app.pane(app.focus).cursor, cursor_line, "n moved back");
            assert!(app.message.as_deref().unwrap_or("").contains("Last hit"));
        }
    }
    press(&mut app, "G");
    let pane = app.pane(app.focus);
    if pane.hits_on(pane.cursor).is_empty() {
        let before = app.hit_order[first_hit_from_cursor(&app) - 1];
        press(&mut app, "N");
        assert_eq!(app.selected, Some(before));
    }
}

#[test]
fn n_while_following_a_replay_goes_to_the_newest_hit() {
    let logs = common::incident_logs();
    let mut opts = options(Lang::En);
    opts.replay = Some(60.0);
    let mut app = app_with(logs, opts, 160, 48);
    // Until the newest line shown is later than every hit: nothing comes after the cursor.
    let mut ticks = 0;
    while app.hit_from_cursor(true).is_some() || app.hit_order.is_empty() {
        run_commands(&mut app, Event::Tick(Duration::from_secs(1)));
        ticks += 1;
        assert!(ticks < 400, "the replay never got past its hits");
    }
    assert!(app.pane(app.focus).follow);
    let screen = screen_text(&app);
    assert!(screen.contains("n: next known error"), "{screen}");
    press(&mut app, "n");
    let message = app.message.clone().unwrap_or_default();
    assert!(!message.contains("no more after this one"), "{message}");
    let newest_before_cursor = app.selected.expect("n went to a hit");
    let pane = app.pane(newest_before_cursor.pane);
    assert_eq!(pane.cursor, app.hit(newest_before_cursor).unwrap().line);
}

#[test]
fn f_brings_the_other_pane_to_the_same_moment() {
    let mut app = demo_app(Lang::En, 160, 48);
    assert_eq!(app.focus, PaneId::Host);
    press(&mut app, "g");
    press(&mut app, "f");
    let host = app.pane(PaneId::Host);
    assert!(host.follow);
    let host_ts = host.ts_near(host.cursor).unwrap();
    let containers = app.pane(PaneId::Containers);
    assert_eq!(
        Some(containers.cursor),
        containers.line_near_time(host_ts),
        "containers at {}, host at {host_ts}",
        cursor_text(&app, PaneId::Containers)
    );
}

#[test]
fn the_hit_list_header_counts_the_kinds_it_cannot_show() {
    let more_pattern = regex::Regex::new(r"\+(\d+) more").unwrap();
    for (width, height) in [(80, 24), (160, 48), (60, 20)] {
        let mut app = demo_app(Lang::En, width, height);
        let mut kinds: Vec<String> = app.hit_order.iter().map(|r| entry_id(&app, *r)).collect();
        kinds.sort();
        kinds.dedup();
        press(&mut app, "H");
        let screen = screen_text(&app);
        // The header: the two rows under the window's top border.
        let header: String = screen
            .lines()
            .skip(2)
            .take(2)
            .collect::<Vec<_>>()
            .join("\n");
        let shown = kinds
            .iter()
            .filter(|id| header.contains(&format!("{id} ×")))
            .count();
        let more = more_pattern
            .captures(&header)
            .map_or(0, |c| c[1].parse::<usize>().unwrap());
        assert_eq!(shown + more, kinds.len(), "{width}x{height}:\n{header}");
        if width == 80 {
            assert!(more > 0, "{header}");
        }
    }
}

#[test]
fn replay_time_does_not_count_while_paused() {
    use std::time::Instant;
    use triage::tui::RunningTime;
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    let mut time = RunningTime::new(t0, true);
    assert_eq!(time.take(at(100)), Duration::from_millis(100));
    // Paused at 150 ms, the next tick comes 10 s after the space that resumes.
    time.set_running(false, at(150));
    time.set_running(false, at(5_000));
    time.set_running(true, at(10_150));
    assert_eq!(time.take(at(10_250)), Duration::from_millis(100));
    // A tick arriving while stopped hands over nothing.
    time.set_running(false, at(10_300));
    assert_eq!(time.take(at(20_000)), Duration::ZERO);
}

#[test]
fn help_and_the_readme_explain_the_gutter_marks() {
    for (lang, words) in [
        (Lang::En, ["known error", "the log's own level"]),
        (Lang::Zh, ["已知错误", "日志自身的级别"]),
    ] {
        let mut app = demo_app(lang, 80, 24);
        press(&mut app, "?");
        let screen = screen_text(&app);
        let row = |marks: &str| {
            screen
                .lines()
                .find(|l| l.contains(marks))
                .map(str::to_owned)
        };
        let known = row("! E W i").unwrap_or_default();
        let level = row("e w ").unwrap_or_default();
        assert!(known.contains(words[0]), "{screen}");
        assert!(level.contains(words[1]), "{screen}");
    }
    let readme = std::fs::read_to_string(common::repo("README.md")).unwrap();
    assert!(
        readme.contains("a lowercase\n`e` or `w` marks"),
        "README does not explain the lowercase gutter marks"
    );
}

/// The two panes are at the same moment after the focused pane moved.
fn assert_aligned(app: &triage::app::App, after: &str) {
    let focus = app.pane(app.focus);
    let ts = focus.ts_near(focus.cursor).unwrap();
    let other = app.pane(app.focus.other());
    assert_eq!(
        Some(other.cursor),
        other.line_near_time(ts),
        "after {after}: focused at {ts}, other at {:?}",
        other.ts_near(other.cursor)
    );
}

#[test]
fn filters_that_move_the_cursor_keep_the_panes_aligned() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "\tg&Worker failed\n");
    assert!(cursor_text(&app, PaneId::Containers).contains("Worker failed"));
    assert_aligned(&app, "& in the containers pane");
    press(&mut app, "&\n\tssss");
    assert_aligned(&app, "s to critical in the host pane");
}

/// Row of the screen whose text contains `needle`.
fn row_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{screen}"))
}

/// The message gets the room: a container's own timestamp that repeats the time column is
/// left out, source names are shown whole, and a search match past the right edge is
/// scrolled into view.
#[test]
fn container_lines_give_the_message_the_room() {
    let mut app = demo_app(Lang::En, 160, 48);
    press(&mut app, "\t");
    assert_eq!(app.focus, PaneId::Containers);
    // mysqld's 10:06:22 line under Docker's 10:06:22: the time once.
    press(&mut app, "/Entrypoint.: mysqld failed\n");
    let screen = screen_text(&app);
    let row = row_with(&screen, "mysqld failed");
    assert!(row.contains("10:06:22 athena_eye_db"), "{row}");
    assert!(
        !row.contains("2026-11-27 10:06:22+00:00"),
        "the repeated timestamp is still there: {row}"
    );
    // The backend's name, uncut (it was `athena_eye_backe`).
    press(&mut app, "/athena_eye_backend\n");
    let screen = screen_text(&app);
    assert!(
        screen.contains("athena_eye_backend "),
        "the source column cuts the name:\n{screen}"
    );
    // A match far right on its line: the pane scrolls sideways to it.
    press(&mut app, "g/--log-bin-index\n");
    assert!(app.pane(PaneId::Containers).hscroll > 0);
    let screen = screen_text(&app);
    assert!(
        screen.contains("--log-bin-index"),
        "the match is off screen:\n{screen}"
    );
}

/// At 80x24 the panel is compact (title, the first command, `e` for the rest) and the log
/// panes get the rows; commands wrap between words with a continuation mark, never inside a
/// quoted argument.
#[test]
fn a_low_terminal_gets_a_compact_panel_and_commands_wrap_between_words() {
    let app = demo_app(Lang::En, 80, 24);
    let heights: Vec<u64> = app.panes.iter().map(|p| p.height).collect();
    assert!(
        heights.iter().all(|&h| h >= 7),
        "log panes of {heights:?} rows"
    );
    let screen = screen_text(&app);
    let rows: Vec<&str> = screen.lines().collect();
    let title = rows
        .iter()
        .position(|r| r.contains("Out of memory: the OOM killer killed a process"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        rows[title + 1].contains(
            "$ sudo journalctl -k -b | grep -iE 'out of memory|oom-kill|invoked oom-killer'"
        ),
        "{screen}"
    );
    assert!(
        rows[title + 2].contains("Enter: the cause and all"),
        "{screen}"
    );
    // Stacked at 100 columns: the docker inspect command is longer than the panel.
    let app = demo_app(Lang::En, 100, 48);
    let screen = screen_text(&app);
    let quoted = "'{{.Name}} OOMKilled={{.State.OOMKilled}} ExitCode={{.State.ExitCode}}'";
    let rows: Vec<&str> = screen.lines().collect();
    let at = rows
        .iter()
        .position(|r| r.contains(quoted))
        .unwrap_or_else(|| panic!("the quoted argument is split:\n{screen}"));
    assert!(
        rows[at - 1]
            .trim_end_matches('│')
            .trim_end()
            .ends_with("$ docker inspect --format \\"),
        "{screen}"
    );
    assert!(
        rows[at].contains("$(docker ps -aq)") || rows[at + 1].contains("$(docker ps -aq)"),
        "{screen}"
    );
}

/// Chinese: the viewer's own words are Chinese (severity, status), and Chinese text fills
/// its lines (broken at any character by display width), not only at spaces.
#[test]
fn chinese_is_translated_and_wraps_by_width() {
    let app = demo_app(Lang::Zh, 160, 48);
    let screen = screen_text(&app);
    assert!(
        screen.contains("┌ 严重  oom-kill") && !screen.contains("CRITICAL"),
        "{screen}"
    );
    assert!(
        screen.contains("[已载入]") && !screen.contains("[ok]"),
        "{screen}"
    );
    // The cause's first row runs on past `systemd` (it used to break there, half empty).
    let first = row_with(&screen, "整机内存");
    assert!(first.contains("单元的内存上限"), "{first}");
    let mut app = demo_app(Lang::Zh, 160, 48);
    press(&mut app, "e");
    let entry = screen_text(&app);
    assert!(
        entry.contains("严重  oom-kill") && !entry.contains("CRITICAL"),
        "{entry}"
    );
    press(&mut app, "\u{1b}H");
    let list = screen_text(&app);
    assert!(
        list.contains("严重") && !list.contains(" critical "),
        "{list}"
    );
}

// ---- every error and warning, known or not (issue 12) ---------------------------------------

/// Two logs, one a pane, a second apart: known hits (gunicorn's boot failure, a critical
/// error; a hung task, a warning) and lines no entry knows that say they are errors or
/// warnings. In time order, the errors: gunicorn (containers, :02), volume 9 (host, :03),
/// frobnicator (containers, :04), volume 12 (host, :06); the warnings: hung task (host, :01),
/// retrying (host, :07), queue (containers, :08).
fn walk_fixture(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let containers = dir.join("containers.log");
    std::fs::write(
        &containers,
        "athena_eye_backend   | 2026-11-28T14:03:00.000000000Z [2026-11-28 14:03:00 +0000] [1] [INFO] Starting gunicorn 21.2.0\n\
         athena_eye_backend   | 2026-11-28T14:03:02.000000000Z [2026-11-28 14:03:02 +0000] [1] [ERROR] Reason: Worker failed to boot.\n\
         athena_eye_cache     | 2026-11-28T14:03:04.000000000Z [2026-11-28 14:03:04 +0000] [7] [ERROR] frobnicator shard 3 jammed at slot 17\n\
         athena_eye_cache     | 2026-11-28T14:03:05.000000000Z [2026-11-28 14:03:05 +0000] [7] [INFO] frobnicator idle\n\
         athena_eye_cache     | 2026-11-28T14:03:08.000000000Z [2026-11-28 14:03:08 +0000] [7] [WARNING] frobnicator queue nearly full\n",
    )
    .unwrap();
    let host = dir.join("host.log");
    std::fs::write(
        &host,
        "2026-11-28T14:03:01+0000 athena-prod kernel: INFO: task jbd2/sda1-8:213 blocked for more than 120 seconds.\n\
         2026-11-28T14:03:03+0000 athena-prod backupd[311]: ERROR: snapshot of volume 9 stalled at 41 percent\n\
         2026-11-28T14:03:05+0000 athena-prod systemd[1]: Started Daily apt download activities.\n\
         2026-11-28T14:03:06+0000 athena-prod backupd[311]: ERROR: snapshot of volume 12 stalled at 87 percent\n\
         2026-11-28T14:03:07+0000 athena-prod backupd[311]: WARNING: retrying upload part 3 of 9\n",
    )
    .unwrap();
    (containers, host)
}

/// What the panel says the selected line is: for an unrecognised line, its `triage patterns
/// new '…'` command (the line itself); for a known hit, the panel's title (severity and id).
fn panel_subject(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    if let Some(command) = lines.iter().find(|l| l.contains("$ triage patterns new")) {
        return command.to_string();
    }
    lines
        .iter()
        .find(|l| {
            l.starts_with("┌ ")
                && ["CRITICAL", "ERROR", "WARNING", "INFO"]
                    .iter()
                    .any(|s| l.starts_with(&format!("┌ {s} ")))
        })
        .map_or_else(String::new, |l| l.to_string())
}

/// Start the viewer on the fixture in `tmux` and wait until both logs are read.
fn start_walk_viewer(tmux: &crate::terminal::Tmux) {
    let (containers, host) = walk_fixture(tmux.dir());
    tmux.run(&format!(
        "{} --no-docker --containers {} --host {}",
        crate::terminal::TRIAGE,
        containers.display(),
        host.display()
    ));
    tmux.wait_for("both logs read", |s| {
        s.contains("containers.log [ok]") && s.contains("host.log [ok]")
    });
}

/// Press `key` and wait until the panel's subject contains `expected`.
fn press_until_panel(tmux: &crate::terminal::Tmux, key: &str, expected: &str) -> String {
    tmux.keys(&[key]);
    tmux.wait_for(&format!("{key}: the panel on {expected}"), |s| {
        panel_subject(s).contains(expected)
    })
}

#[test]
fn e_and_w_walk_every_error_and_warning_across_panes_by_time_in_tmux() {
    let tmux = crate::terminal::Tmux::new(160, 40);
    start_walk_viewer(&tmux);
    // Back to the first error, whichever line the viewer opened at.
    for _ in 0..6 {
        tmux.keys(&["E"]);
    }
    tmux.wait_for("the first error", |s| {
        s.contains("First error: none before this one.")
    });
    assert!(panel_subject(&tmux.screen()).contains("gunicorn-boot-fail"));
    // Forward: the unrecognised errors between the known one, across panes, by time.
    let screen = press_until_panel(&tmux, "e", "volume 9 stalled at 41 percent");
    // The panel of an unrecognised error: its template, how often and when.
    assert!(
        screen.contains("template: snapshot of volume <*> stalled at <*> percent"),
        "{screen}"
    );
    assert!(
        screen.contains("seen 2× · first 2026-11-28 14:03:03 · last 2026-11-28 14:03:06"),
        "{screen}"
    );
    assert!(screen.contains("UNRECOGNISED ERROR"), "{screen}");
    press_until_panel(&tmux, "e", "frobnicator shard 3 jammed at slot 17");
    press_until_panel(&tmux, "e", "volume 12 stalled at 87 percent");
    tmux.keys(&["e"]);
    tmux.wait_for("the last error", |s| {
        s.contains("Last error: no more after this one.")
    });
    // And back.
    press_until_panel(&tmux, "E", "frobnicator shard 3 jammed at slot 17");
    press_until_panel(&tmux, "E", "volume 9 stalled at 41 percent");
    press_until_panel(&tmux, "E", "gunicorn-boot-fail");

    // Warnings: the known one, then the log's own, across panes.
    for _ in 0..6 {
        tmux.keys(&["W"]);
    }
    tmux.wait_for("the first warning", |s| {
        s.contains("First warning: none before this one.")
    });
    assert!(panel_subject(&tmux.screen()).contains("hung-task"));
    // The log's own warnings are walked too (they are not mined into templates: only errors
    // are, as `scan --unknown` mines them), so the focused pane says where `w` went: the host's
    // retry (14:03:07), then the containers' queue (14:03:08), then no more; `W` goes back.
    let focused = |s: &str, pane: &str| s.contains(&format!("┌ ▸ {pane} "));
    tmux.keys(&["w"]);
    tmux.wait_for("w: the host's warning", |s| focused(s, "host"));
    tmux.keys(&["w"]);
    tmux.wait_for("w: the containers' warning", |s| focused(s, "containers"));
    tmux.keys(&["w"]);
    tmux.wait_for("the last warning", |s| {
        s.contains("Last warning: no more after this one.") && focused(s, "containers")
    });
    tmux.keys(&["W"]);
    tmux.wait_for("W: back to the host's warning", |s| focused(s, "host"));

    // H: the templates among the known errors, in time order, with their counts.
    tmux.keys(&["H"]);
    let screen = tmux.wait_for("the hit list", |s| s.contains("all hits by time"));
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("14:03:0"))
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect();
    let order: Vec<&str> = rows
        .iter()
        .filter(|r| r.contains("unknown") || r.contains("hung-task") || r.contains("gunicorn"))
        .copied()
        .collect();
    assert!(
        screen.contains("all hits by time (2 + 2 unrecognised)"),
        "{screen}"
    );
    let volume = order
        .iter()
        .position(|r| r.contains("snapshot of volume <*> stalled at <*> percent"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        order[volume].contains("unknown  ×2 → 14:03:06 backupd"),
        "{screen}"
    );
    // After the gunicorn hit (:02), before the frobnicator template (:04).
    let gunicorn = order.iter().position(|r| r.contains("gunicorn")).unwrap();
    let shard = order
        .iter()
        .position(|r| r.contains("frobnicator shard <*> jammed at slot <*>"))
        .unwrap();
    assert!(gunicorn < volume && volume < shard, "{screen}");
    // Enter on a template goes to its first line.
    tmux.keys(&["g"]);
    for _ in 0..volume {
        tmux.keys(&["j"]);
    }
    tmux.keys(&["Enter"]);
    tmux.wait_for("the template's first line", |s| {
        !s.contains("all hits by time")
            && panel_subject(s).contains("volume 9 stalled at 41 percent")
    });
    tmux.keys(&["q"]);
}

#[test]
fn a_adds_an_entry_for_an_unrecognised_line_that_patterns_check_accepts_in_tmux() {
    use crate::common::{COMMAND, Deadline};
    let tmux = crate::terminal::Tmux::new(160, 40);
    let config = tmux.dir().join("config");
    tmux.run(&format!("export XDG_CONFIG_HOME={}", config.display()));
    start_walk_viewer(&tmux);
    for _ in 0..6 {
        tmux.keys(&["E"]);
    }
    tmux.wait_for("the first error", |s| {
        s.contains("First error: none before this one.")
    });
    press_until_panel(&tmux, "e", "volume 9 stalled at 41 percent");
    tmux.keys(&["a"]);
    let screen = tmux.wait_for("the entry added", |s| s.contains("Added "));
    let patterns = config.join("triage/patterns");
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&patterns)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = &files[0];
    // The status line names the file and the check's result.
    let status = screen.lines().last().unwrap_or_default().to_string();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(status.contains(&name), "{status}");
    assert!(
        status.contains("check: 1 entries, 1 examples, 0 counter-examples: ok"),
        "{status}"
    );
    // The entry is as `patterns new` writes it, and `patterns check` accepts it.
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains("snapshot of volume"), "{text}");
    let check = crate::common::triage()
        .args(["patterns", "check"])
        .arg(&patterns)
        .output_within(COMMAND);
    assert!(check.status.success(), "{}", crate::common::stdout(&check));
    assert!(crate::common::stdout(&check).contains("1 entries, 1 examples"));
    // Nothing written anywhere else in the test's directory.
    let config_files: Vec<_> = walkdir::WalkDir::new(&config)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    assert_eq!(config_files.len(), 1);
    // Both lines of the template are known errors now: the gutter's `E`, the entry's panel.
    let screen = tmux.wait_for("the lines as known hits", |s| {
        s.contains("│E 14:03:03 backupd") && s.contains("│E 14:03:06 backupd")
    });
    let id = name.trim_end_matches(".toml");
    assert!(panel_subject(&screen).contains(id), "{screen}");
    // The same line again: its draft overlaps the entry just added, and the check says so;
    // nothing is written.
    tmux.keys(&["a"]);
    let screen = tmux.wait_for("the refusal", |s| s.contains("Not added: "));
    assert_eq!(std::fs::read_dir(&patterns).unwrap().count(), 1, "{screen}");
    tmux.keys(&["q"]);
}

#[test]
fn unrecognised_marks_stay_apart_from_known_hits_in_colour_and_without() {
    let dir = tempfile::tempdir().unwrap();
    let (containers, host) = walk_fixture(dir.path());
    for color in [true, false] {
        let logs = vec![
            LogFile::open(
                &containers.display().to_string(),
                LogData::Path(containers.clone()),
                None,
            )
            .unwrap(),
            LogFile::open(
                &host.display().to_string(),
                LogData::Path(host.clone()),
                None,
            )
            .unwrap(),
        ];
        let mut options = options(Lang::En);
        options.color = color;
        let app = app_with(logs, options, 160, 40);
        let terminal = render(&app);
        let buffer = terminal.backend().buffer();
        let area = app.areas().panes[1].unwrap();
        let gutter = |row: u16| buffer[(area.x + 1, area.y + 1 + row)].clone();
        // Host rows: 0 hung task (W, known), 1 volume 9 (e, unknown), 4 retrying (w).
        let (known, unknown, warning) = (gutter(0), gutter(1), gutter(4));
        assert_eq!(
            [known.symbol(), unknown.symbol(), warning.symbol()],
            ["W", "e", "w"]
        );
        if color {
            // Known: a badge (a background); unrecognised: the letter alone, coloured.
            assert_ne!(known.bg, Color::Reset);
            assert_eq!(unknown.bg, Color::Reset);
            assert_eq!(unknown.fg, Color::Red);
        } else {
            // Without colour: the known mark reversed, the unrecognised one not.
            assert!(known.modifier.contains(Modifier::REVERSED));
            assert!(!unknown.modifier.contains(Modifier::REVERSED));
        }
    }
}

#[test]
fn e_walks_only_the_lines_a_replay_has_shown() {
    let logs = common::incident_logs();
    let mut opts = options(Lang::En);
    opts.replay = Some(60.0);
    let mut app = app_with(logs, opts, 160, 48);
    // 40 minutes of logs shown (09:01 → 09:41): apt's errors, not the containers' yet.
    for _ in 0..40 {
        run_commands(&mut app, Event::Tick(Duration::from_secs(1)));
    }
    press(&mut app, " ");
    let mut visited = 0;
    for _ in 0..200 {
        press(&mut app, "e");
        if app.message.as_deref() == Some("Last error: no more after this one.") {
            break;
        }
        visited += 1;
        let pane = app.pane(app.focus);
        assert!(pane.cursor < pane.visible_end(), "e went past the replay");
        assert_eq!(app.focus, PaneId::Host, "the containers have not started");
    }
    assert!(visited > 0, "apt's errors are shown");
    assert!(
        app.walks.marks(triage::app::walk::Walk::Errors).len() > visited,
        "errors not shown yet are indexed but not visited"
    );
}

#[test]
fn the_panel_of_an_unrecognised_line_names_the_nearest_entries_only_when_they_score_well() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.log");
    std::fs::write(
        &path,
        "2026-11-28T14:03:03+0000 athena-prod app[311]: ERROR: dpkg lock busy\n\
         2026-11-28T14:03:04+0000 athena-prod app[311]: ERROR: frobnicator shard 3 jammed at slot 17\n",
    )
    .unwrap();
    let logs = vec![
        LogFile::open(
            &path.display().to_string(),
            LogData::Path(path.clone()),
            None,
        )
        .unwrap(),
    ];
    let mut app = app_with(logs, options(Lang::En), 160, 40);
    press(&mut app, "g");
    let screen = screen_text(&app);
    assert!(screen.contains("template: dpkg lock busy"), "{screen}");
    assert!(screen.contains("nearest entries: apt-lock ("), "{screen}");
    press(&mut app, "e");
    let screen = screen_text(&app);
    assert!(
        screen.contains("template: frobnicator shard <*> jammed at slot <*>"),
        "{screen}"
    );
    assert!(
        screen.contains("Nothing in the catalogue matches it closely."),
        "{screen}"
    );
    assert!(!screen.contains("nearest entries:"), "{screen}");
    // y has no hit to copy from here: it says so rather than copying another line's remedy.
    press(&mut app, "y");
    assert_eq!(
        app.message.as_deref(),
        Some("No hit selected: n jumps to the next one.")
    );
}
