//! The real binary in a real terminal: tmux, and GNU screen inside tmux (TERM=screen). These
//! need tmux and screen (`scripts/install-deps` installs them); without them they fail, they
//! never pass silently.

use crate::common::{self, COMMAND, Deadline, WAIT, can_run};

use std::{
    path::Path,
    process::Command,
    thread::sleep,
    time::{Duration, Instant},
};

pub(crate) const TRIAGE: &str = env!("CARGO_BIN_EXE_triage");

/// Fail (whether or not `CI` is set: these tests exist to run the binary in a real terminal)
/// if `tool` is not installed.
fn require(tool: &str) {
    assert!(
        can_run(tool, &["-V"]),
        "{tool} is needed for this test (scripts/install-deps installs it)"
    );
}

/// A private tmux server running one window with an interactive shell (used by `hostile` too).
pub(crate) struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// A `width` x `height` terminal with a plain `sh` whose prompt is `PROMPT$ `.
    pub(crate) fn new(width: u16, height: u16) -> Tmux {
        require("tmux");
        let dir = tempfile::tempdir().unwrap();
        let socket = format!(
            "triage-test-{}-{}",
            std::process::id(),
            dir.path().file_name().unwrap().to_string_lossy()
        );
        let conf = dir.path().join("tmux.conf");
        std::fs::write(&conf, "set -g default-terminal xterm-256color\nset -g set-clipboard on\nset -g allow-passthrough on\nset -g status off\n").unwrap();
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f"])
            .arg(&conf)
            .args([
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .args(["env", "-i"])
            .arg(format!(
                "PATH={}",
                std::env::var("PATH").unwrap_or_default()
            ))
            .arg(format!("HOME={}", dir.path().display()))
            .arg(format!(
                "XDG_CONFIG_HOME={}",
                common::fixture("no-user-config").display()
            ))
            .args(["TERM=xterm-256color", "LANG=C.UTF-8", "PS1=PROMPT$ ", "sh"])
            .status_within(COMMAND);
        assert!(status.success());
        let tmux = Tmux { socket, dir };
        tmux.wait_for("PROMPT$", |s| s.contains("PROMPT$"));
        tmux
    }

    pub(crate) fn tmux(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket]);
        cmd
    }

    /// Type text and press Enter.
    pub(crate) fn run(&self, line: &str) {
        self.keys(&["-l", line]);
        self.keys(&["Enter"]);
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let status = self
            .tmux()
            .args(["send-keys", "-t", "t"])
            .args(keys)
            .status_within(COMMAND);
        assert!(status.success());
    }

    pub(crate) fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "t"])
            .output_within(COMMAND);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with SGR colour escapes.
    pub(crate) fn screen_with_colours(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-e", "-t", "t"])
            .output_within(COMMAND);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until the screen satisfies `ready`; fail with the screen if it never does.
    pub(crate) fn wait_for(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn paste_buffer(&self) -> String {
        let out = self.tmux().args(["show-buffer"]).output_within(COMMAND);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The command in the foreground of the pane (`sh`, `screen`, `triage`).
    pub(crate) fn foreground(&self) -> String {
        let out = self
            .tmux()
            .args([
                "display-message",
                "-p",
                "-t",
                "t",
                "#{pane_current_command}",
            ])
            .output_within(COMMAND);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Processes the shell in the pane started (the viewer, while it runs).
    pub(crate) fn children(&self) -> Vec<String> {
        let out = self
            .tmux()
            .args(["list-panes", "-t", "t", "-F", "#{pane_pid}"])
            .output_within(COMMAND);
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
        // The pane runs `env`, which execs `sh`: same pid.
        let out = Command::new("pgrep")
            .args(["-P", &shell])
            .output_within(COMMAND);
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    }

    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Give the pane's shell the `TMUX` variable tmux gives a pane (`env -i` dropped it): the
    /// viewer, and `tmux` commands run inside, then know they are inside this tmux.
    fn export_tmux_variable(&self) {
        let out = self
            .tmux()
            .args([
                "display-message",
                "-p",
                "-t",
                "t",
                "#{socket_path},#{pid},#{session_id}",
            ])
            .output_within(COMMAND);
        let value = String::from_utf8_lossy(&out.stdout).trim().replace('$', "");
        assert!(value.contains(','), "tmux socket: {value:?}");
        self.run(&format!("export TMUX='{value}'"));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status_within(COMMAND);
    }
}

/// Run `triage demo`, check it shows the panes and a hit's cause and remedy, that `n` moves,
/// and that `q` leaves the shell exactly as it was.
fn demo_session(tmux: &Tmux, start: &str) {
    tmux.run("stty -g > before.stty");
    tmux.run(start);
    // Loaded: both panes read (`ok]`) and every hit counted (the first frame may come sooner).
    let screen = tmux.wait_for("the demo, loaded", |s| {
        s.contains("oom-kill") && s.contains("ok]") && s.contains("/79")
    });
    assert!(
        screen.contains("containers") && screen.contains("host"),
        "{screen}"
    );
    assert!(
        screen.contains("Remedy:") && screen.contains("$ sudo journalctl -k"),
        "{screen}"
    );
    assert!(screen.contains("10/79"), "{screen}");
    tmux.keys(&["n"]);
    tmux.wait_for("the next hit", |s| s.contains("11/79"));
    tmux.keys(&["n"]);
    tmux.wait_for("the one after", |s| s.contains("12/79"));
    tmux.keys(&["q"]);
    // The shell's prompt, and nothing of the viewer.
    let screen = tmux.wait_for("the prompt", |s| {
        !s.contains("oom-kill") && s.contains("PROMPT$")
    });
    assert!(
        !screen.contains('┌') && !screen.contains('│'),
        "the viewer left something behind:\n{screen}"
    );
    // The terminal's modes are as they were (no raw mode left on).
    tmux.run("stty -g > after.stty; cmp before.stty after.stty && echo SAME-MODES");
    tmux.wait_for("stty comparison", |s| s.contains("SAME-MODES"));
}

#[test]
fn demo_in_tmux() {
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!("cd {}", tmux.dir().display()));
    demo_session(&tmux, &format!("{TRIAGE} demo"));
    // Colours reach the terminal as 16-colour SGR, never 24-bit.
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo", |s| s.contains("oom-kill"));
    let coloured = tmux.screen_with_colours();
    assert!(
        coloured.contains("\x1b[") && !coloured.contains("38;2;") && !coloured.contains("48;2;")
    );
    tmux.keys(&["q"]);
}

#[test]
fn demo_in_gnu_screen_inside_tmux() {
    require("screen");
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!("cd {}", tmux.dir().display()));
    std::fs::write(
        tmux.dir().join("screenrc"),
        "autodetach off\nstartup_message off\n",
    )
    .unwrap();
    // TERM=screen inside: 8 colours, no true colour.
    tmux.run("screen -c screenrc -T screen");
    // Started, as a condition: screen is in the foreground and has cleared the terminal for
    // its own shell's prompt.
    tmux.wait_for("screen's first prompt", |s| {
        s.contains("PROMPT$") && !s.contains("screenrc")
    });
    assert_eq!(tmux.foreground(), "screen");
    tmux.run("export PS1='PROMPT$ '; clear; echo TERM=$TERM");
    tmux.wait_for("screen's shell", |s| s.contains("TERM=screen"));
    demo_session(&tmux, &format!("{TRIAGE} demo"));
    // Copy the remedy's command: OSC 52 passes through screen into tmux's clipboard.
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo", |s| s.contains("oom-kill"));
    tmux.keys(&["y"]);
    tmux.wait_for("the copy message", |s| s.contains("Copied to clipboard"));
    let buffer = tmux.paste_buffer();
    assert!(buffer.contains("journalctl -k"), "tmux buffer: {buffer:?}");
    tmux.keys(&["q"]);
    tmux.run("exit");
}

#[test]
fn copy_reaches_tmux_clipboard() {
    let tmux = Tmux::new(120, 40);
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo", |s| s.contains("oom-kill"));
    tmux.keys(&["y"]);
    tmux.wait_for("the copy message", |s| s.contains("Copied to clipboard"));
    assert!(
        tmux.paste_buffer().contains("journalctl -k"),
        "{:?}",
        tmux.paste_buffer()
    );
    tmux.keys(&["q"]);
}

#[test]
fn small_terminal_and_resizes() {
    let tmux = Tmux::new(80, 24);
    tmux.run(&format!("{TRIAGE} demo"));
    // The viewer fills the terminal: its frame from the first row, the status line on the
    // last (capture-pane prints every row, drawn or not: the count alone proves nothing).
    let screen = tmux.wait_for("the demo at 80x24, status line last", |s| {
        s.contains("oom-kill")
            && s.lines()
                .nth(23)
                .is_some_and(|l| l.trim_end().ends_with("? help"))
    });
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[0].starts_with('┌'), "{screen}");
    assert!(rows[22].starts_with('└'), "{screen}");
    let status = tmux
        .tmux()
        .args(["resize-window", "-t", "t", "-x", "140", "-y", "40"])
        .status_within(COMMAND);
    assert!(status.success());
    // Side by side at 140 columns, and the status line moved to the new last row.
    tmux.wait_for("the redraw at 140x40", |s| {
        let rows: Vec<&str> = s.lines().collect();
        rows.first().is_some_and(|l| l.contains("┐┌"))
            && s.contains("oom-kill")
            && rows
                .get(39)
                .is_some_and(|l| l.trim_end().ends_with("? help"))
            && rows.get(23).is_some_and(|l| !l.contains("? help"))
    });
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        s.lines().filter(|l| l.starts_with("PROMPT$")).count() >= 2
    });
}

#[test]
fn a_hostile_log_leaves_the_screen_intact() {
    let tmux = Tmux::new(120, 30);
    let path = tmux.dir().join("hostile.log");
    let mut log = Vec::new();
    log.extend_from_slice(b"2026-11-28T14:03:05.1Z \x1b]0;pwned-title\x07\x1b[2J\x1b[H\x1b[?1049l E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a'\n");
    log.extend_from_slice("2026-11-28T14:03:06.1Z bidi \u{202e}desrever\u{202c} C1 \u{9b}31m \x1bP+q544e\x1b\\ bell\x07\n".as_bytes());
    log.extend_from_slice(b"2026-11-28T14:03:07.1Z ");
    log.extend(std::iter::repeat_n(b'x', 10 << 20));
    log.extend_from_slice(
        b" No space left on device\n2026-11-28T14:03:08.1Z invalid \xff\xfe\xc3\x28 utf-8\n",
    );
    std::fs::write(&path, &log).unwrap();
    tmux.run(&format!("{TRIAGE} {}", path.display()));
    // Every line, the one after the 10 MB line too: the file is read block by block.
    let screen = tmux.wait_for("the hostile log, read whole", |s| {
        (s.contains("dpkg-interrupted") || s.contains("no-space-left")) && s.contains("\\xff")
    });
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].starts_with('┌') && lines[0].ends_with('┐'),
        "top border broken:\n{screen}"
    );
    assert!(
        screen.contains("\\x1b]0;pwned-title"),
        "escapes not shown as text:\n{screen}"
    );
    assert!(
        screen.contains("<U+202E>") && screen.contains("\\xff"),
        "{screen}"
    );
    let title = tmux
        .tmux()
        .args(["display-message", "-p", "-t", "t", "#{pane_title}"])
        .output_within(COMMAND);
    assert!(
        !String::from_utf8_lossy(&title.stdout).contains("pwned"),
        "the log retitled the window"
    );
    tmux.keys(&["G"]);
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        s.lines().filter(|l| l.starts_with("PROMPT$")).count() >= 2
    });
}

#[test]
fn sighup_and_sigterm_restore_the_terminal_and_end_the_process() {
    for signal in ["HUP", "TERM"] {
        let tmux = Tmux::new(100, 30);
        tmux.run(&format!("cd {}", tmux.dir().display()));
        tmux.run("stty -g > before.stty");
        tmux.run(&format!("{TRIAGE} demo"));
        tmux.wait_for("the demo", |s| s.contains("oom-kill"));
        let pids = tmux.children();
        assert!(!pids.is_empty());
        for pid in &pids {
            Command::new("kill")
                .args([&format!("-{signal}"), pid])
                .status_within(COMMAND);
        }
        tmux.wait_for("the prompt after the signal", |s| {
            !s.contains("oom-kill") && s.contains("PROMPT$")
        });
        tmux.run("stty -g > after.stty; cmp before.stty after.stty && echo SAME-MODES");
        tmux.wait_for("stty comparison", |s| s.contains("SAME-MODES"));
        common::wait_until(&format!("triage to end after SIG{signal}"), WAIT, || {
            pids.iter().all(|p| common::process_gone(p))
        });
    }
}

#[test]
fn a_panic_restores_the_terminal_and_says_why() {
    let tmux = Tmux::new(100, 30);
    tmux.run(&format!("cd {}", tmux.dir().display()));
    tmux.run("stty -g > before.stty");
    tmux.run(&format!("TRIAGE_TEST_PANIC=1 {TRIAGE} demo; echo EXIT=$?"));
    let screen = tmux.wait_for("the exit", |s| s.lines().any(|l| l.starts_with("EXIT=")));
    assert!(screen.contains("EXIT=101"), "{screen}");
    assert!(
        screen.contains("panicking after the first frame"),
        "the panic message is lost:\n{screen}"
    );
    assert!(
        !screen.contains('┌'),
        "the viewer's frame was left on screen:\n{screen}"
    );
    tmux.run("stty -g > after.stty; cmp before.stty after.stty && echo SAME-MODES");
    tmux.wait_for("stty comparison", |s| s.contains("SAME-MODES"));
}

#[test]
fn a_live_containers_hit_appears_while_it_runs() {
    if !crate::docker::docker_ready() {
        return;
    }
    let name = format!("triage-test-live-{}", std::process::id());
    let _ = Command::new("docker")
        .args(["rm", "-f", &name])
        .output_within(COMMAND);
    let tmux = Tmux::new(160, 40);
    tmux.run(&format!("{TRIAGE} --no-journal --container {name}"));
    tmux.wait_for("the viewer", |s| {
        s.contains("docker") && s.contains("[live]")
    });
    // The container starts after the viewer: it is picked up, and its error shows as it runs.
    let run = Command::new("docker")
        .args(["run", "-d", "--network", "none", "--name", &name, "local/busybox", "sh", "-c"])
        .arg("echo booting; sleep 2; echo \"[2026-11-28 14:03:05 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)\"; sleep 60")
        .output_within(COMMAND);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let screen = tmux.wait_for("the hit", |s| {
        s.contains("WORKER TIMEOUT") && s.contains("gunicorn-worker-timeout")
    });
    assert!(screen.contains("booting"), "{screen}");
    let state = Command::new("docker")
        .args(["inspect", "-f", "{{.State.Running}}", &name])
        .output_within(COMMAND);
    assert_eq!(
        String::from_utf8_lossy(&state.stdout).trim(),
        "true",
        "the hit must show while the container runs"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        !s.contains("WORKER TIMEOUT") && s.contains("PROMPT$")
    });
    let _ = Command::new("docker")
        .args(["rm", "-f", &name])
        .output_within(COMMAND);
}

#[test]
fn the_session_dropping_ends_the_viewer() {
    // Killing tmux closes the pty: the viewer gets SIGHUP (or EOF) and must not linger.
    let tmux = Tmux::new(100, 30);
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo", |s| s.contains("oom-kill"));
    let pids = tmux.children();
    assert!(!pids.is_empty());
    drop(tmux);
    // Gone or a zombie (nobody left to reap it once tmux is gone): it runs no more.
    common::wait_until("triage to end with its terminal", WAIT, || {
        pids.iter().all(|p| common::process_gone(p))
    });
}

/// The replay clock in the status line: `replay 60× 09:03:12 playing`.
fn replay_clock(screen: &str) -> Option<(jiff::civil::Time, String)> {
    let status = regex::Regex::new(r"replay \S+× (\d\d:\d\d:\d\d) (\w+)").unwrap();
    let found = status.captures(screen)?;
    Some((found[1].parse().ok()?, found[2].to_string()))
}

/// Space pauses a replay; while paused no replay time passes, so resuming does not reveal
/// the minutes of log a whole pause would be worth.
#[test]
fn a_paused_replay_resumes_where_it_stopped() {
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!("{TRIAGE} demo --replay 60"));
    tmux.wait_for("the replay playing", |s| {
        replay_clock(s).is_some_and(|(_, state)| state == "playing")
    });
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for("the replay paused", |s| {
        replay_clock(s).is_some_and(|(_, state)| state == "paused")
    });
    let (paused_at, _) = replay_clock(&screen).unwrap();
    // Four seconds paused: 4 minutes of log at 60x, were they counted.
    sleep(Duration::from_secs(4));
    assert_eq!(replay_clock(&tmux.screen()).unwrap().0, paused_at);
    tmux.keys(&["Space"]);
    tmux.wait_for("the replay playing again", |s| {
        replay_clock(s).is_some_and(|(_, state)| state == "playing")
    });
    // One second played at 60x is a minute of log; the four paused would add four more.
    sleep(Duration::from_secs(1));
    let screen = tmux.screen();
    let (resumed_at, _) = replay_clock(&screen).unwrap();
    let moved = paused_at.duration_until(resumed_at).as_secs();
    assert!(
        (30..150).contains(&moved),
        "paused at {paused_at}, a second after resuming at {resumed_at}:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        s.contains("PROMPT$") && !s.contains("playing")
    });
}

/// GNU screen inside tmux: `n` then `y` writes OSC 52 through screen's DCS passthrough. The
/// terminal must come out of it in the state the next frame expects: the "Copied" status is
/// shown, and what tmux shows equals what screen redraws from its own copy of the window
/// (`C-a l`), so no cell is stale. Before the fix tmux's passthrough lost its terminator inside
/// screen's string and swallowed the frames that followed.
#[test]
fn copy_in_gnu_screen_inside_tmux_leaves_the_frame_whole() {
    require("screen");
    let tmux = Tmux::new(160, 48);
    tmux.run(&format!("cd {}", tmux.dir().display()));
    std::fs::write(
        tmux.dir().join("screenrc"),
        "autodetach off\nstartup_message off\n",
    )
    .unwrap();
    // As in a real tmux pane: screen inherits TMUX, so the viewer knows it is in screen in tmux.
    tmux.export_tmux_variable();
    tmux.run("screen -c screenrc -T screen");
    tmux.wait_for("screen's first prompt", |s| {
        s.contains("PROMPT$") && !s.contains("screenrc")
    });
    assert_eq!(tmux.foreground(), "screen");
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo, loaded", |s| {
        s.contains("oom-kill") && s.contains("ok]") && s.contains("10/79")
    });
    tmux.keys(&["n"]);
    tmux.wait_for("the next hit", |s| s.contains("11/79"));
    tmux.keys(&["y"]);
    tmux.wait_for("the copy message", |s| s.contains("Copied to clipboard"));
    // Keys still reach the viewer and their frames arrive whole.
    tmux.keys(&["n"]);
    let after_copy = tmux.wait_for("the hit after the copy", |s| s.contains("12/79"));
    // Let the frame settle, then have screen repaint the window from its own copy.
    sleep(Duration::from_millis(500));
    let settled = tmux.screen();
    assert_eq!(settled, after_copy, "the frame kept changing");
    tmux.keys(&["C-a", "l"]);
    sleep(Duration::from_millis(500));
    let redrawn = tmux.wait_for("screen's redraw", |s| s.contains("12/79"));
    assert_eq!(
        settled, redrawn,
        "tmux showed stale cells after the copy:\n{settled}\n--- full redraw ---\n{redrawn}"
    );
    let buffer = tmux.paste_buffer();
    assert!(buffer.contains("journalctl -k"), "tmux buffer: {buffer:?}");
    tmux.keys(&["q"]);
    tmux.run("exit");
}

/// The viewer on a journal with nothing in it says why in the host pane (real journalctl on
/// an empty directory), instead of a silent "no lines".
#[test]
fn an_empty_journal_is_explained_in_the_pane() {
    let tmux = Tmux::new(160, 40);
    let empty = tmux.dir().join("empty-journal");
    std::fs::create_dir(&empty).unwrap();
    tmux.run(&format!("{TRIAGE} --no-docker -D {}", empty.display()));
    let screen = tmux.wait_for("the reason in the host pane", |s| {
        s.contains("no journal entries: no journal files in")
    });
    assert!(screen.contains("triage"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        s.lines().filter(|l| l.starts_with("PROMPT$")).count() >= 2
    });
}

/// tmux's default `set-clipboard external` (and no `allow-passthrough`) drops an
/// application's OSC 52: `y` says so in the status line, with the command that fixes it, and
/// once it is fixed `y` copies.
#[test]
fn copy_inside_tmux_that_drops_it_says_how_to_fix_it() {
    let tmux = Tmux::new(160, 40);
    for (option, value) in [("set-clipboard", "external"), ("allow-passthrough", "off")] {
        let status = tmux
            .tmux()
            .args(["set-option", "-g", option, value])
            .status_within(COMMAND);
        assert!(status.success());
    }
    tmux.export_tmux_variable();
    tmux.run(&format!("{TRIAGE} demo"));
    tmux.wait_for("the demo", |s| s.contains("oom-kill") && s.contains("ok]"));
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("the warning", |s| s.contains("Not copied: tmux drops it"));
    assert!(
        screen.contains("set-clipboard is external")
            && screen.contains("tmux set -g set-clipboard on"),
        "{screen}"
    );
    let status = tmux
        .tmux()
        .args(["set-option", "-g", "set-clipboard", "on"])
        .status_within(COMMAND);
    assert!(status.success());
    tmux.keys(&["y"]);
    tmux.wait_for("the copy message", |s| s.contains("Copied to clipboard"));
    assert!(
        tmux.paste_buffer().contains("journalctl -k"),
        "{:?}",
        tmux.paste_buffer()
    );
    tmux.keys(&["q"]);
}
