//! The runtime: the terminal, the one event loop, and the things only it can do (threads,
//! the clipboard, quitting). On every way out — `q`, an error, a panic, SIGTERM, SIGHUP when
//! the SSH connection drops, SIGQUIT — the terminal is given back as it was found; and while
//! the viewer is stopped (Ctrl-Z, SIGTSTP) too, taken again with a full redraw when it
//! continues.

use std::{
    io::{self, Stdout, Write},
    sync::{
        Once,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use crossterm::{
    cursor,
    event::{self as ct, EventStream},
    execute,
    terminal::{self, BeginSynchronizedUpdate, EndSynchronizedUpdate},
};
use futures_util::StreamExt;
use ratatui::{Terminal, backend::CrosstermBackend};
use tokio::sync::mpsc;

use crate::{
    app::{App, Command, Event, SourceState, filter},
    children, clipboard, ui,
};

/// At most this many frames a second: a flood of lines over a slow link stays cheap.
const FRAME_INTERVAL: Duration = Duration::from_millis(33);
/// How often replay time advances.
const TICK: Duration = Duration::from_millis(100);

/// The app, and how to run it.
pub struct Run {
    pub app: App,
    pub mouse: bool,
    /// Quit once every source is loaded and report timings (for benchmarks).
    pub exit_when_loaded: bool,
    /// Starts the sources (the runner wires its own: files, Docker, the journal), each
    /// sending its events to the loop on the channel given; called inside the runtime.
    pub start: Sources,
}

/// What starts a run's sources.
pub type Sources = Box<dyn FnOnce(&mpsc::Sender<Event>) -> io::Result<()> + Send>;

/// Real time as the replay counts it: only while it runs. A pause (or a finished replay that
/// new lines restart) is not handed to the next tick as time that passed.
#[derive(Debug, Clone, Copy)]
pub struct RunningTime {
    since: Instant,
    running: bool,
}

impl RunningTime {
    pub fn new(now: Instant, running: bool) -> RunningTime {
        RunningTime {
            since: now,
            running,
        }
    }

    /// Called after every event with whether the app wants time to pass.
    pub fn set_running(&mut self, running: bool, now: Instant) {
        if running && !self.running {
            self.since = now;
        }
        self.running = running;
    }

    /// The time run since the last take (zero while stopped).
    pub fn take(&mut self, now: Instant) -> Duration {
        if !self.running {
            self.since = now;
            return Duration::ZERO;
        }
        let elapsed = now.saturating_duration_since(self.since);
        self.since = now;
        elapsed
    }
}

/// Timings of a run, for `--exit-when-loaded`.
#[derive(Debug, Default)]
pub struct Timings {
    pub first_frame: Option<Duration>,
    /// The first frame that showed log lines.
    pub first_lines: Option<Duration>,
    /// Every line read and every hit listed.
    pub loaded: Option<Duration>,
    /// Every line's own error or warning read too ([`SourceState::Marking`] over).
    pub marked: Option<Duration>,
    /// The signal that ended the run (SIGTERM, SIGHUP, SIGINT, SIGQUIT), if one did: the exit
    /// code is then 128 + its number.
    pub signal: Option<i32>,
    /// Sources that failed, as `name: why`: said again on stderr once the terminal is back.
    pub failed: Vec<String>,
}

/// Take over the terminal and run until the user quits.
pub fn run(run: Run) -> anyhow::Result<Timings> {
    crate::ondemand::return_big_buffers_to_the_system();
    // The loop runs on this thread; live sources (and their matching) on two workers.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("triage-source")
        .enable_all()
        .build()?;
    let guard = TerminalGuard::enter(run.mouse)?;
    let result = runtime.block_on(event_loop(run, guard.terminal()?));
    drop(guard);
    // Loader and filter threads stop at their next send, now that the channel is closed;
    // dropping the runtime's tasks kills journalctl (kill_on_drop); this makes sure.
    runtime.shutdown_timeout(Duration::from_millis(50));
    children::kill_all();
    result
}

/// The terminal in raw mode on the alternate screen, restored when dropped.
struct TerminalGuard;

static PANIC_HOOK: Once = Once::new();
/// The terminal is in the viewer's modes (raw, alternate screen) and needs restoring.
static TAKEN_OVER: AtomicBool = AtomicBool::new(false);

impl TerminalGuard {
    fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                children::kill_all();
                restore_terminal();
                previous(info);
            }));
        });
        take_over(mouse)?;
        Ok(TerminalGuard)
    }

    fn terminal(&self) -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
        Terminal::new(CrosstermBackend::new(io::stdout()))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Raw mode on, the alternate screen, the cursor hidden (and the mouse captured if asked).
fn take_over(mouse: bool) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    TAKEN_OVER.store(true, Ordering::SeqCst);
    execute!(io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(io::stdout(), ct::EnableMouseCapture)?;
    }
    Ok(())
}

/// Ctrl-Z (a key in raw mode, not a signal) or SIGTSTP: give the terminal back and stop, as
/// the shell expects of a job; on `fg`, take the terminal again. SIGSTOP, which cannot be
/// caught, does the stopping: SIGTSTP has a handler here, so raising it would not stop.
fn suspend(mouse: bool) -> io::Result<()> {
    restore_terminal();
    // SAFETY: raise(3) sends a signal to this process; SIGSTOP only stops it until SIGCONT.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    take_over(mouse)
}

/// Raw mode off, mouse off, alternate screen left, cursor shown. Errors are ignored: after
/// SIGHUP there is no terminal left to restore, and nothing to tell. The screen is cleared
/// first: a terminal without an alternate screen (GNU screen's default) would otherwise keep
/// the viewer's last frame around the shell prompt.
pub fn restore_terminal() {
    // Once only: after a panic the hook restores, then unwinding would again, clearing the
    // panic's message off the screen.
    if !TAKEN_OVER.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = terminal::disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        ct::DisableMouseCapture,
        terminal::Clear(terminal::ClearType::All),
        cursor::MoveTo(0, 0),
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
}

async fn event_loop(
    run: Run,
    mut terminal: Terminal<CrosstermBackend<Stdout>>,
) -> anyhow::Result<Timings> {
    let Run {
        mut app,
        exit_when_loaded,
        start,
        mouse,
    } = run;
    let started = Instant::now();
    let mut timings = Timings::default();
    // Small: a live flood waits here rather than piling up in memory.
    let (tx, mut rx) = mpsc::channel::<Event>(16);

    start(&tx)?;
    let (signal_tx, mut signals) = mpsc::channel::<SignalMsg>(4);
    spawn_signal_listener(signal_tx)?;

    let mut input = EventStream::new();
    // Start from a blank screen: without an alternate screen the shell's text is still there,
    // and frames only draw what changed.
    terminal.clear()?;
    let size = terminal.size()?;
    app.update(Event::Resize(size.width, size.height));
    let nesting = clipboard::Nesting::from_env();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut replay_time = RunningTime::new(Instant::now(), app.wants_ticks());
    let mut dirty = true;
    let mut last_frame: Option<Instant> = None;

    loop {
        let now = Instant::now();
        let frame_due = last_frame.map_or(now, |at| at + FRAME_INTERVAL);
        if dirty && now >= frame_due {
            draw(&mut terminal, &app)?;
            dirty = false;
            last_frame = Some(now);
            timings.first_frame.get_or_insert_with(|| started.elapsed());
            // Lets the tests check that a panic restores the terminal.
            if std::env::var_os("TRIAGE_TEST_PANIC").is_some() {
                panic!("TRIAGE_TEST_PANIC is set: panicking after the first frame");
            }
            if app.panes.iter().any(|p| p.row_count() > 0) {
                timings.first_lines.get_or_insert_with(|| started.elapsed());
            }
        }
        if timings.loaded.is_none() && all_loaded(&app, true) {
            timings.loaded = Some(started.elapsed());
        }
        if timings.marked.is_none() && all_loaded(&app, false) {
            timings.marked = Some(started.elapsed());
            if exit_when_loaded {
                // One last frame, so the measurement includes showing every hit.
                draw(&mut terminal, &app)?;
                break;
            }
        }

        let mut commands = Vec::new();
        tokio::select! {
            biased;
            Some(signal) = signals.recv() => match signal {
                SignalMsg::End(number, name) => {
                    timings.signal = Some(number);
                    commands.extend(app.update(Event::Signal(name)));
                }
                SignalMsg::Stop => {
                    suspend(mouse)?;
                    redraw_all(&mut terminal, &mut app)?;
                    dirty = true;
                }
                // Continued after a stop that was not ours (SIGSTOP from elsewhere): the
                // shell may have reset the terminal meanwhile.
                SignalMsg::Continue => {
                    take_over(mouse)?;
                    redraw_all(&mut terminal, &mut app)?;
                    dirty = true;
                }
            },
            maybe = input.next() => match maybe {
                Some(Ok(event)) if is_suspend_key(&event) => {
                    suspend(mouse)?;
                    redraw_all(&mut terminal, &mut app)?;
                    dirty = true;
                }
                Some(Ok(event)) => {
                    if let Some(event) = translate(event) {
                        commands.extend(app.update(event));
                        dirty = true;
                    }
                }
                // The terminal is gone (SIGHUP without a signal, a closed tty).
                Some(Err(_)) | None => break,
            },
            Some(event) = rx.recv() => {
                commands.extend(app.update(event));
                // Take whatever else is waiting, one frame for the whole batch, but for no
                // longer than a frame: keys and signals are looked at between batches.
                let batch_started = Instant::now();
                while batch_started.elapsed() < FRAME_INTERVAL && signals.is_empty() {
                    match rx.try_recv() {
                        Ok(event) => commands.extend(app.update(event)),
                        Err(_) => break,
                    }
                }
                dirty = true;
            },
            _ = tokio::time::sleep_until(frame_due.into()), if dirty => {},
            _ = ticker.tick(), if app.wants_ticks() => {
                let elapsed = replay_time.take(Instant::now());
                commands.extend(app.update(Event::Tick(elapsed)));
                dirty = true;
            },
        }
        replay_time.set_running(app.wants_ticks(), Instant::now());
        for command in commands {
            match command {
                Command::Quit => app.quit = true,
                Command::Copy(text) => {
                    let backend = terminal.backend_mut();
                    backend.write_all(&clipboard::osc52(&text, nesting))?;
                    backend.flush()?;
                    // A terminal in between may have been left unsure of what it shows (a
                    // passthrough it half understood): the next frame is drawn whole.
                    terminal.clear()?;
                    dirty = true;
                    // Inside tmux, the copy may go nowhere: say so, with the fix.
                    if let Some(setting) = clipboard::tmux_drops_copy(nesting) {
                        app.update(Event::CopyDroppedByTmux(setting));
                    }
                }
                Command::Filter(job) => {
                    let tx = tx.clone();
                    std::thread::spawn(move || {
                        filter::run(job, |event| tx.blocking_send(event).is_ok());
                    });
                }
            }
        }
        if app.quit {
            break;
        }
    }
    timings.failed = app
        .panes
        .iter()
        .flat_map(|pane| &pane.sources)
        .filter_map(|source| match &source.state {
            SourceState::Failed(why) => Some(format!("{}: {why}", source.name)),
            _ => None,
        })
        .collect();
    Ok(timings)
}

/// Whether every source is read to its end (or failed), its lines' own levels read too
/// unless `hits_only`.
fn all_loaded(app: &App, hits_only: bool) -> bool {
    app.panes.iter().all(|pane| {
        pane.sources.iter().all(|s| match s.state {
            SourceState::Loaded | SourceState::Failed(_) => true,
            SourceState::Marking { .. } => hits_only,
            _ => false,
        })
    })
}

fn draw(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &App) -> io::Result<()> {
    // Synchronized output: the terminal shows the frame whole, never half drawn.
    execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| ui::draw(frame, app))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

/// Ctrl-Z: in raw mode the terminal sends it as a key, not as SIGTSTP.
fn is_suspend_key(event: &ct::Event) -> bool {
    matches!(event, ct::Event::Key(key)
        if key.code == ct::KeyCode::Char('z')
            && key.modifiers.contains(ct::KeyModifiers::CONTROL)
            && key.kind != ct::KeyEventKind::Release)
}

/// Forget what the terminal shows and draw the next frame whole, at the terminal's size now
/// (it may have changed while the viewer was stopped).
fn redraw_all(terminal: &mut Terminal<CrosstermBackend<Stdout>>, app: &mut App) -> io::Result<()> {
    // Not `Terminal::clear`: it asks the terminal where the cursor is, and the answer would
    // go to the key reader instead. Both buffers blank: the next frame is drawn whole.
    execute!(
        terminal.backend_mut(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    terminal.swap_buffers();
    let size = terminal.size()?;
    app.update(Event::Resize(size.width, size.height));
    Ok(())
}

fn translate(event: ct::Event) -> Option<Event> {
    match event {
        ct::Event::Key(key) => Some(Event::Key(key)),
        ct::Event::Resize(width, height) => Some(Event::Resize(width, height)),
        ct::Event::Mouse(mouse) => match mouse.kind {
            ct::MouseEventKind::ScrollDown => Some(Event::Scroll(3)),
            ct::MouseEventKind::ScrollUp => Some(Event::Scroll(-3)),
            _ => None,
        },
        _ => None,
    }
}

/// What a signal asks of the loop.
#[derive(Debug, Clone, Copy)]
enum SignalMsg {
    /// SIGHUP (the SSH session dropped), SIGTERM, SIGINT, SIGQUIT: end, restoring the
    /// terminal; its number and name.
    End(i32, &'static str),
    /// SIGTSTP: give the terminal back and stop.
    Stop,
    /// SIGCONT: take the terminal again and redraw it all.
    Continue,
}

/// Signals come on a channel of their own, which the loop looks at before anything else: a
/// flood of lines queued for the app must not keep a SIGTERM waiting.
fn spawn_signal_listener(tx: mpsc::Sender<SignalMsg>) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangup = signal(SignalKind::hangup())?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut quit = signal(SignalKind::quit())?;
    let mut stop = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut resume = signal(SignalKind::from_raw(libc::SIGCONT))?;
    tokio::spawn(async move {
        loop {
            let msg = tokio::select! {
                _ = hangup.recv() => SignalMsg::End(libc::SIGHUP, "SIGHUP"),
                _ = terminate.recv() => SignalMsg::End(libc::SIGTERM, "SIGTERM"),
                _ = interrupt.recv() => SignalMsg::End(libc::SIGINT, "SIGINT"),
                _ = quit.recv() => SignalMsg::End(libc::SIGQUIT, "SIGQUIT"),
                _ = stop.recv() => SignalMsg::Stop,
                _ = resume.recv() => SignalMsg::Continue,
            };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
    });
    Ok(())
}
