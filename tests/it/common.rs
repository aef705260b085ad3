//! Helpers shared by the integration tests: run the real binary, find fixtures.

use std::{
    io::{Read, Write},
    path::{Path, PathBuf},
    process::{Child, Command, ExitStatus, Output, Stdio},
    sync::{Arc, Mutex, mpsc},
    time::{Duration, Instant},
};

/// How long a command (the binary on a file, a docker or tmux client call) may take before it
/// is killed and the test fails: far beyond what any takes on a loaded 2-core machine, far
/// below CI's own limit.
pub const COMMAND: Duration = Duration::from_secs(60);

/// How long a test waits for something to happen (a line to show, a daemon to answer).
pub const WAIT: Duration = Duration::from_secs(30);

/// Is `component` here? With `CI` set a missing component fails the test: CI must never
/// report `ok` for a test that did not run. Elsewhere the test says it skipped, on stderr.
pub fn component_present(component: &str, present: bool, how_to_get_it: &str) -> bool {
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "{component} is missing ({how_to_get_it}); with CI set, a test that needs it fails"
        );
        eprintln!("SKIPPED: {component} is missing ({how_to_get_it}); with CI set this fails");
    }
    present
}

/// Poll `probe` until it yields a value; fail with `what` if `limit` passes first.
pub fn wait_for<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Poll `ready` until it holds; fail with `what` if `limit` passes first.
pub fn wait_until(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    wait_for(what, limit, || ready().then_some(()))
}

/// A process the test started, killed (SIGKILL) if the test ends without waiting for it, so
/// a failing test leaves nothing running. Its stdout and stderr are collected as they come,
/// so a test can wait for a line while the process runs.
pub struct Running {
    child: Option<Child>,
    what: String,
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    /// One message per pipe read to its end.
    closed: mpsc::Receiver<()>,
    pipes: usize,
}

impl Running {
    /// Spawn `cmd` with stdout and stderr piped (stdin as the caller set it).
    pub fn start(cmd: &mut Command) -> Running {
        let what = format!("{cmd:?}");
        let child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        Running::adopt(child, what)
    }

    /// Take charge of a child spawned elsewhere: whatever of its stdout and stderr is still
    /// piped is collected from now on.
    pub fn adopt(mut child: Child, what: String) -> Running {
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (tx, closed) = mpsc::channel();
        let mut pipes = 0;
        if let Some(pipe) = child.stdout.take() {
            collect(pipe, stdout.clone(), tx.clone());
            pipes += 1;
        }
        if let Some(pipe) = child.stderr.take() {
            collect(pipe, stderr.clone(), tx);
            pipes += 1;
        }
        Running {
            child: Some(child),
            what,
            stdout,
            stderr,
            closed,
            pipes,
        }
    }

    /// Its stdin, if it was started with `Stdio::piped()` there.
    pub fn take_stdin(&mut self) -> std::process::ChildStdin {
        self.child
            .as_mut()
            .and_then(|c| c.stdin.take())
            .expect("stdin piped")
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// What it has written to stdout so far.
    pub fn stdout_so_far(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().unwrap()).into_owned()
    }

    pub fn stderr_so_far(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Wait until its stdout so far satisfies `ready`; fail (showing both streams) if it
    /// does not within `limit` or the process exits first.
    pub fn wait_for_stdout(&mut self, what: &str, limit: Duration, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + limit;
        loop {
            if ready(&self.stdout_so_far()) {
                return;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            assert!(
                exited.is_none() && Instant::now() < deadline,
                "{} waiting for {what} ({}):\nstdout:\n{}\nstderr:\n{}",
                if exited.is_some() {
                    "exited"
                } else {
                    "timed out"
                },
                self.what,
                self.stdout_so_far(),
                self.stderr_so_far()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid, which is not reaped before `finish_within`.
        unsafe {
            libc::kill(self.pid() as i32, signal);
        }
    }

    /// Wait for it to exit; past `limit` kill it and fail, showing what it wrote.
    pub fn finish_within(mut self, limit: Duration) -> Output {
        let mut child = self.child.take().expect("running");
        let deadline = Instant::now() + limit;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "{} did not finish within {limit:?}: killed\nstdout:\n{}\nstderr:\n{}",
                        self.what,
                        self.stdout_so_far(),
                        self.stderr_so_far()
                    );
                }
                Err(e) => panic!("wait for {}: {e}", self.what),
            }
        };
        // The pipes close at exit unless a process it started holds them: wait a bounded
        // time for what is left in them.
        let pipes_deadline = Instant::now() + Duration::from_secs(5);
        for _ in 0..self.pipes {
            let left = pipes_deadline.saturating_duration_since(Instant::now());
            if self.closed.recv_timeout(left).is_err() {
                break;
            }
        }
        Output {
            status,
            stdout: std::mem::take(&mut *self.stdout.lock().unwrap()),
            stderr: std::mem::take(&mut *self.stderr.lock().unwrap()),
        }
    }

    /// Send `signal`, then wait for the exit as `finish_within` does.
    pub fn stop(self, signal: i32, limit: Duration) -> Output {
        self.signal(signal);
        self.finish_within(limit)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn collect(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Vec<u8>>>,
    closed: mpsc::Sender<()>,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => into.lock().unwrap().extend_from_slice(&buf[..n]),
            }
        }
        let _ = closed.send(());
    });
}

/// `Command::output` and `Command::status` with a deadline: past it the command is killed
/// and the test fails, in seconds rather than at CI's limit. Stdin is null unless set.
pub trait Deadline {
    fn output_within(&mut self, limit: Duration) -> Output;
    fn status_within(&mut self, limit: Duration) -> ExitStatus;
}

impl Deadline for Command {
    fn output_within(&mut self, limit: Duration) -> Output {
        Running::start(self.stdin(Stdio::null())).finish_within(limit)
    }

    fn status_within(&mut self, limit: Duration) -> ExitStatus {
        self.output_within(limit).status
    }
}

/// Has process `pid` ended? A zombie (`Z`, or `X`, in /proc/PID/stat) has: it runs no more,
/// only its parent has not collected its status yet.
pub fn process_gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // "PID (COMM) STATE ...": COMM may hold spaces and parentheses, the state follows the
        // last ')'.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
    }
}

/// Is `program` there to run? (Spawning it is the test: `PATH` lookups differ.)
pub fn can_run(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .is_ok_and(|mut child| {
            let _ = child.kill();
            let _ = child.wait();
            true
        })
}

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

/// Run with `stdin` fed in, capturing everything, within `COMMAND`.
pub fn run_with_stdin(mut cmd: Command, stdin: &[u8]) -> Output {
    let mut running = Running::start(cmd.stdin(Stdio::piped()));
    let mut pipe = running.take_stdin();
    let data = stdin.to_vec();
    // Not joined: if the process stops reading, the kill at the deadline ends the write.
    std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    running.finish_within(COMMAND)
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
        load_pane(&matcher, pane, &files[pane.index()], &mut |ingested| {
            events.push(Event::from(ingested));
            true
        });
        for event in events {
            run_commands(&mut app, event);
        }
    }
    app
}

/// The bundled incident's logs, opened as `triage demo` opens them.
pub fn incident_logs() -> Vec<LogFile> {
    triage::embedded::INCIDENT_FILES
        .iter()
        .map(|(name, bytes)| LogFile::open(name, LogData::Static(bytes), None).unwrap())
        .collect()
}

/// The bundled incident, as `triage demo` shows it.
pub fn demo_app(lang: Lang, width: u16, height: u16) -> App {
    app_with(incident_logs(), options(lang), width, height)
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

/// The screen's styles, one character per cell, with a legend: what a text snapshot does not
/// hold (the cursor row's highlight, the gutter markers' badges, the severity colours). `.`
/// is the terminal's default style; other styles get letters in order of first appearance.
pub fn style_map(app: &App) -> String {
    use ratatui::style::{Color, Modifier};
    let terminal = render(app);
    let buffer = terminal.backend().buffer();
    let default = (Color::Reset, Color::Reset, Modifier::empty());
    let letters: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut legend: Vec<(Color, Color, Modifier)> = Vec::new();
    let mut map = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let style = (cell.fg, cell.bg, cell.modifier);
            if style == default {
                map.push('.');
                continue;
            }
            let index = legend.iter().position(|s| *s == style).unwrap_or_else(|| {
                legend.push(style);
                legend.len() - 1
            });
            map.push(*letters.get(index).expect("more styles than letters"));
        }
        map.push('\n');
    }
    map.push('\n');
    for (letter, (fg, bg, modifier)) in letters.iter().zip(&legend) {
        map.push_str(&format!("{letter}: fg {fg:?}, bg {bg:?}, {modifier:?}\n"));
    }
    map
}
