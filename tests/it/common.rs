//! Helpers shared by the integration tests: run the real binary, find fixtures.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

/// The `triage` binary cargo built for these tests, with an environment that does not depend
/// on the machine: no user catalogue, English, no colour unless asked.
pub fn triage() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_triage"));
    cmd.env("XDG_CONFIG_HOME", fixture("no-user-config"))
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// The `triage` binary run as `nobody` with no groups: no docker group, no journal access.
pub fn triage_as_nobody() -> Command {
    let mut cmd = Command::new("setpriv");
    cmd.args([
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        env!("CARGO_BIN_EXE_triage"),
    ])
    .env("XDG_CONFIG_HOME", fixture("no-user-config"));
    cmd
}

/// The failures the Athena Eye postmortem describes, with the section each comes from.
pub const POSTMORTEM: [(&str, &str); 13] = [
    ("apt-nopubkey", "2.1"),
    ("apt-lock", "2.1"),
    ("dpkg-interrupted", "2.1"),
    ("docker-sock-denied", "2.2"),
    ("compose-unhealthy", "2.3"),
    ("oom-kill", "2.3"),
    ("mysql-unknown-variable", "2.3"),
    ("mysql-option-without-group", "2.3"),
    ("app-missing-log-dir", "2.4"),
    ("gunicorn-boot-fail", "2.4"),
    ("nginx-upstream-refused", "2.4"),
    ("nginx-502", "2.4"),
    ("tls-on-http-port", "2.5"),
];

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Run with `stdin` fed in, capturing everything.
pub fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn triage");
    let mut pipe = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let output = child.wait_with_output().expect("wait for triage");
    writer.join().expect("stdin writer");
    output
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Parse `--format jsonl` output.
pub fn jsonl(output: &Output) -> Vec<serde_json::Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect()
}

use std::sync::Arc;

use triage::{
    app::{App, Command as AppCommand, Event, Options, PaneId, filter},
    catalogue::{Catalogue, Lang},
    loader::{LogData, LogFile, load_pane},
    matcher::Matcher,
};

/// An app with `logs` loaded the way the viewer loads them (each pane's loader run inline),
/// drawn at `width` x `height`.
pub fn app_with(logs: Vec<LogFile>, options: Options, width: u16, height: u16) -> App {
    let (catalogue, errors) = Catalogue::builtin();
    assert!(errors.is_empty());
    let catalogue = Arc::new(catalogue);
    let matcher = Matcher::new(&catalogue);
    let mut files: [Vec<LogFile>; 2] = [Vec::new(), Vec::new()];
    for log in logs {
        let pane = log.pane();
        files[pane.index()].push(log);
    }
    let sources = [
        files[0].iter().map(LogFile::source).collect(),
        files[1].iter().map(LogFile::source).collect(),
    ];
    let mut app = App::new(catalogue.clone(), sources, &options);
    app.update(Event::Resize(width, height));
    for pane in PaneId::BOTH {
        let mut events = Vec::new();
        load_pane(
            &catalogue,
            &matcher,
            pane,
            &files[pane.index()],
            &mut |event| {
                events.push(event);
                true
            },
        );
        for event in events {
            run_commands(&mut app, event);
        }
    }
    app
}

/// The bundled incident, as `triage demo` shows it.
pub fn demo_app(lang: Lang, width: u16, height: u16) -> App {
    let logs = triage::embedded::INCIDENT_FILES
        .iter()
        .map(|(name, bytes)| LogFile::open(name, LogData::Static(bytes), None).unwrap())
        .collect();
    app_with(logs, options(lang), width, height)
}

pub fn options(lang: Lang) -> Options {
    Options {
        lang,
        color: true,
        replay: None,
        scrollback: None,
        live: false,
    }
}

/// Feed an event and carry out what the runtime would (filters run inline); returns the
/// commands that are left (quit, copy).
pub fn run_commands(app: &mut App, event: Event) -> Vec<AppCommand> {
    let mut left = Vec::new();
    let mut queue = vec![event];
    while let Some(event) = queue.pop() {
        for command in app.update(event) {
            match command {
                AppCommand::Filter(job) => {
                    let mut results = Vec::new();
                    filter::run(job, |e| {
                        results.push(e);
                        true
                    });
                    queue.extend(results.into_iter().rev());
                }
                other => left.push(other),
            }
        }
    }
    left
}

/// Press keys, as a user types them.
pub fn press(app: &mut App, keys: &str) -> Vec<AppCommand> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut commands = Vec::new();
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            '\u{1b}' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        commands.extend(run_commands(
            app,
            Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        ));
    }
    commands
}

pub fn key(app: &mut App, code: crossterm::event::KeyCode) -> Vec<AppCommand> {
    use crossterm::event::{KeyEvent, KeyModifiers};
    run_commands(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The app drawn on a test terminal.
pub fn render(app: &App) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        app.size.width,
        app.size.height,
    ))
    .unwrap();
    terminal.draw(|frame| triage::ui::draw(frame, app)).unwrap();
    terminal
}

/// The screen as text, one line per row.
pub fn screen_text(app: &App) -> String {
    let terminal = render(app);
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut row = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            row.push_str(symbol);
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}
