//! `triage scan` (and `demo` or the viewer when stdout is not a terminal): every hit printed
//! by the sink the plan chose, from files, stdin, the bundled incident, Docker and the journal.

use std::{
    io::{self, IsTerminal},
    process::ExitCode,
    sync::Arc,
};

use anyhow::{Context, Result, bail};

use super::complain;
use crate::{
    catalogue::Catalogue,
    embedded,
    fill_context::{Contexts, FillContext},
    input::{self, LogInput},
    matcher::Matcher,
    plan::{ScanInputs, ScanPlan},
    report::Printer,
    scan::{self, ScanError},
    source::{docker::DockerOptions, journal::JournalOptions},
};

/// An input to open when its turn comes (a directory may hold thousands of files: each is
/// opened as it is scanned, with a read buffer of its own).
type Opener = Box<dyn FnOnce() -> Result<LogInput, String>>;

pub(super) fn run(plan: ScanPlan) -> Result<ExitCode> {
    let (catalogue, errors) = super::catalogue(&plan.common.catalogue);
    let inputs: Vec<Opener> = match &plan.inputs {
        ScanInputs::None => Vec::new(),
        ScanInputs::Demo => embedded::INCIDENT_FILES
            .iter()
            .map(|(name, bytes)| {
                let opened = input::from_reader(name, Box::new(io::Cursor::new(*bytes)), None)
                    .map_err(|e| e.to_string());
                Box::new(move || opened) as Opener
            })
            .collect(),
        ScanInputs::Stdin => {
            let opened = input::open("-").map_err(|e| e.to_string());
            vec![Box::new(move || opened) as Opener]
        }
        ScanInputs::Files { paths, required } => {
            let files = super::expand_dirs(paths);
            if files.is_empty() && *required {
                // Only directories were named, and they held nothing to read (said above).
                bail!("nothing to read in the directories given");
            }
            files
                .into_iter()
                .map(|path| {
                    Box::new(move || input::open_path_to_search(&path).map_err(|e| e.to_string()))
                        as Opener
                })
                .collect()
        }
    };
    if let Some(notice) = plan.notice {
        eprintln!("triage: {notice}");
    }
    let code = scan_inputs(&catalogue, &plan, inputs.into_iter())?;
    Ok(if plan.strict_catalogue && !errors.is_empty() {
        ExitCode::from(2)
    } else {
        code
    })
}

fn scan_inputs(
    catalogue: &Catalogue,
    plan: &ScanPlan,
    inputs: impl Iterator<Item = Opener>,
) -> Result<ExitCode> {
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let color = plan.color.enabled(&stdout);
    let (min_severity, options) = (plan.min_severity, plan.options);
    let matcher = Matcher::new(catalogue);
    let out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    // Remedies are filled from the live sources' context (recorded as they read) and from a
    // compose file here or beside the logs (not for the bundled incident: nobody's machine).
    let files_context = match &plan.inputs {
        ScanInputs::Demo => FillContext::default(),
        ScanInputs::Files { paths, .. } => {
            FillContext::from_files(std::env::current_dir().ok().as_deref(), paths)
        }
        _ => FillContext::from_files(std::env::current_dir().ok().as_deref(), &[]),
    };
    let contexts = Arc::new(Contexts::with_files(files_context));
    let mut printer = Printer::new(out, plan.layout, catalogue, plan.common.lang, color)
        .with_contexts(contexts.clone());

    // A pipe (`tail -f … | triage scan -`) is read as it comes; its hits go out as they come.
    let streaming = std::cell::Cell::new(false);
    // Every hit at least `min_severity` severe goes to the printer.
    let mut sink = |found: &scan::Found| {
        if let Some(unknown) = found.unknown {
            if unknown.level.severity() >= min_severity {
                printer.found(found)?;
                if plan.follow || streaming.get() {
                    printer.flush()?;
                }
            }
            return Ok(());
        }
        let kept: Vec<_> = found
            .hits
            .iter()
            .filter(|h| catalogue.entries()[h.entry].severity >= min_severity)
            .cloned()
            .collect();
        if kept.is_empty() {
            return Ok(());
        }
        printer.found(&scan::Found {
            hits: &kept,
            ..*found
        })?;
        // Following, a hit is news: out now, not when 64 KiB have gathered or at the end.
        if plan.follow || streaming.get() {
            printer.flush()?;
        }
        Ok(())
    };
    let mut failed = false;
    // The signal that ended `--follow`, if one did.
    let mut signal = None;
    for open in inputs {
        let input = match open() {
            Ok(input) => {
                streaming.set(input.streaming);
                input
            }
            Err(message) => {
                complain(&message);
                failed = true;
                continue;
            }
        };
        match scan::scan_input(&matcher, input, options, &mut sink) {
            Ok(_) => {}
            Err(ScanError::Output(err)) => return Err(err).context("writing output"),
            Err(err) => {
                complain(&err);
                failed = true;
            }
        }
    }
    if plan.docker.is_some() || plan.journal.is_some() {
        let docker = plan.docker.clone().map(|options| DockerOptions {
            contexts: Some(contexts.clone()),
            ..options
        });
        let journal = plan.journal.clone().map(|options| JournalOptions {
            contexts: Some(contexts.clone()),
            ..options
        });
        let mut report = |source: &str, why: &str| {
            complain(format_args!("{source}: {why}"));
            failed = true;
        };
        let mut note = |source: &str, why: &str| complain(format_args!("{source}: {why}"));
        match scan::scan_live(
            &matcher,
            docker,
            journal,
            plan.follow,
            options.unknown,
            &mut sink,
            &mut report,
            &mut note,
        ) {
            Ok(ended_by) => signal = ended_by,
            Err(ScanError::Output(err)) => return Err(err).context("writing output"),
            Err(err) => {
                complain(&err);
                failed = true;
            }
        }
    }
    let found_any = printer.hits() > 0 || printer.unrecognised() > 0;
    printer.finish(is_terminal).context("writing output")?;
    Ok(if let Some(signal) = signal {
        // As a shell reports a command a signal ended.
        ExitCode::from((128 + signal) as u8)
    } else if failed {
        ExitCode::from(2)
    } else if found_any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
