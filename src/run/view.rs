//! The viewer: saved logs, the bundled incident, or the machine live.

use std::{process::ExitCode, sync::Arc};

use anyhow::{Result, bail};

use super::complain;
use tokio::sync::mpsc;

use crate::{
    app::{self, App, Event, PaneId},
    catalogue::{Catalogue, Lang},
    cli::ViewArgs,
    embedded,
    fill_context::{Contexts, FillContext},
    loader::{self, LogData, LogFile},
    matcher::Matcher,
    parse::LogFormat,
    plan::{LiveInput, ViewPlan, Viewed},
    sanitize, source, tui,
};

pub(super) fn run(plan: ViewPlan) -> Result<ExitCode> {
    let (catalogue, _) = super::catalogue(&plan.common.catalogue);
    // Names need not be UTF-8: the path is opened as given, and shown with any invalid
    // bytes as `\xNN`. A directory is every file under it.
    let mut logs = Vec::new();
    for (path, pane) in &plan.files {
        logs.extend(
            super::expand_dirs(std::slice::from_ref(path))
                .into_iter()
                .map(|path| ViewLog {
                    name: sanitize::path_name(&path),
                    data: LogData::Path(path),
                    pane: *pane,
                }),
        );
    }
    if logs.is_empty() && !plan.files.is_empty() {
        // Only directories were named, and they held nothing to read (said above).
        bail!("nothing to read in the directories given");
    }
    let input = match plan.what {
        Viewed::Files => ViewInput::Files(logs),
        Viewed::Demo => ViewInput::Files(
            embedded::INCIDENT_FILES
                .iter()
                .map(|(name, bytes)| ViewLog {
                    name: name.to_string(),
                    data: LogData::Static(bytes),
                    pane: None,
                })
                .collect(),
        ),
        Viewed::Live(live) => ViewInput::Live(live),
    };
    view(catalogue, input, plan.format, &plan.view, plan.common.lang)
}

/// A log to open in the viewer.
struct ViewLog {
    name: String,
    data: LogData,
    /// Forced pane (`--containers`, `--host`), else by format.
    pane: Option<PaneId>,
}

/// What the viewer shows: saved logs, or the machine live.
enum ViewInput {
    Files(Vec<ViewLog>),
    Live(Box<LiveInput>),
}

fn view(
    catalogue: Catalogue,
    input: ViewInput,
    format: Option<LogFormat>,
    view: &ViewArgs,
    lang: Lang,
) -> Result<ExitCode> {
    let mut files: [Vec<LogFile>; 2] = [Vec::new(), Vec::new()];
    let mut sources: [Vec<app::Source>; 2] = [Vec::new(), Vec::new()];
    let mut failed = false;
    // The files' context: a compose file in the current directory or beside a log (not for
    // logs compiled in: the bundled incident is nobody's machine).
    let mut paths = Vec::new();
    let mut own_machine = true;
    if let ViewInput::Files(logs) = &input {
        for log in logs {
            match &log.data {
                LogData::Path(path) => paths.push(path.clone()),
                LogData::Static(_) => own_machine = false,
            }
        }
    }
    let contexts = Arc::new(Contexts::with_files(if own_machine {
        FillContext::from_files(std::env::current_dir().ok().as_deref(), &paths)
    } else {
        FillContext::default()
    }));
    let (docker, journal, flood, scrollback) = match input {
        ViewInput::Files(logs) => {
            for log in logs {
                match LogFile::open(&log.name, log.data, format) {
                    Ok(file) => {
                        let pane = log.pane.unwrap_or_else(|| file.pane());
                        sources[pane.index()].push(file.source());
                        files[pane.index()].push(file);
                    }
                    Err(err) => {
                        complain(&err);
                        failed = true;
                    }
                }
            }
            if files.iter().all(Vec::is_empty) {
                return Ok(ExitCode::from(2));
            }
            (None, None, None, None)
        }
        ViewInput::Live(live) => {
            let LiveInput {
                docker,
                journal,
                flood,
                scrollback,
            } = *live;
            let live_source = |name: String, format: LogFormat| app::Source {
                name,
                format,
                year: jiff::Timestamp::now()
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .year(),
                state: app::SourceState::Loading {
                    done: 0,
                    total: None,
                },
            };
            if let Some(options) = &docker {
                let name = match &options.compose_project {
                    Some(project) => format!("docker ({project})"),
                    None => "docker".to_string(),
                };
                sources[0].push(live_source(name, LogFormat::Compose));
            }
            if journal.is_some() {
                sources[1].push(live_source("journal".to_string(), LogFormat::ShortIso));
            }
            if flood.is_some() {
                sources[0].push(live_source("flood".to_string(), LogFormat::Compose));
            }
            if sources.iter().all(Vec::is_empty) {
                bail!("nothing to watch: both Docker and the journal are left out");
            }
            (docker, journal, flood, Some(scrollback.max(1)))
        }
    };
    let catalogue = Arc::new(catalogue);
    let options = app::Options {
        lang,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        replay: view.replay,
        scrollback,
        live: docker.is_some() || journal.is_some() || flood.is_some(),
    };
    let mut app = App::new(catalogue.clone(), sources, &options);
    // The live sources record each container's and unit's context as they read it.
    app.contexts = contexts.clone();
    let docker = docker.map(|options| source::docker::DockerOptions {
        contexts: Some(contexts.clone()),
        ..options
    });
    let journal = journal.map(|options| source::journal::JournalOptions {
        contexts: Some(contexts.clone()),
        ..options
    });
    let matcher = Arc::new(Matcher::new(&catalogue));
    let start: tui::Sources = Box::new(move |tx: &mpsc::Sender<Event>| {
        for (pane, files) in PaneId::BOTH.into_iter().zip(files) {
            if files.is_empty() {
                continue;
            }
            let (tx, matcher) = (tx.clone(), matcher.clone());
            std::thread::Builder::new()
                .name(format!("load-{pane:?}"))
                .spawn(move || {
                    loader::load_pane_following(&matcher, pane, &files, &mut |ingested| {
                        tx.blocking_send(Event::from(ingested)).is_ok()
                    });
                })?;
        }
        if let Some(options) = docker {
            spawn_live(PaneId::Containers, tx, &matcher, move |source_tx| {
                source::docker::run(options, source_tx)
            });
        }
        if let Some(options) = journal {
            spawn_live(PaneId::Host, tx, &matcher, move |source_tx| {
                source::journal::run(options, source_tx)
            });
        }
        if let Some((path, lines)) = flood {
            spawn_live(PaneId::Containers, tx, &matcher, move |source_tx| {
                source::flood::run(path, lines, source_tx)
            });
        }
        Ok(())
    });
    let timings = tui::run(tui::Run {
        app,
        mouse: view.mouse,
        exit_when_loaded: view.exit_when_loaded,
        start,
    })?;
    if view.exit_when_loaded {
        let ms = |d: Option<std::time::Duration>| d.map_or(-1.0, |d| d.as_secs_f64() * 1000.0);
        eprintln!(
            "first_frame_ms={:.1} first_lines_ms={:.1} loaded_ms={:.1} marked_ms={:.1}",
            ms(timings.first_frame),
            ms(timings.first_lines),
            ms(timings.loaded),
            ms(timings.marked)
        );
    }
    // What failed was shown in its pane; the terminal is back now, and a script sees it too.
    for failure in &timings.failed {
        complain(failure);
        failed = true;
    }
    Ok(if let Some(signal) = timings.signal {
        // As a shell reports a job a signal ended.
        ExitCode::from((128 + signal) as u8)
    } else if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Start a live source feeding `pane`, with a forwarder matching its lines for the app.
fn spawn_live<F, Fut>(pane: PaneId, tx: &mpsc::Sender<Event>, matcher: &Arc<Matcher>, source: F)
where
    F: FnOnce(source::Tx) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (source_tx, source_rx) = mpsc::channel(64);
    tokio::spawn(source(source_tx));
    tokio::spawn(source::forward::to_app(
        pane,
        0,
        source_rx,
        tx.clone(),
        matcher.clone(),
    ));
}
