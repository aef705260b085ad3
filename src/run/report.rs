//! `triage report`: read everything, group the hits into incidents, write the draft.

use std::{
    io::{self, Write},
    process::ExitCode,
    sync::Arc,
};

use anyhow::{Context, Result};

use super::complain;
use crate::{
    app::PaneId,
    catalogue::Catalogue,
    cli::ReportFormat,
    embedded,
    fill_context::{Contexts, FillContext},
    loader::{LogData, LogFile},
    matcher::Matcher,
    plan::{ReportInput, ReportPlan},
    sanitize, scan,
    source::{docker::DockerOptions, journal::JournalOptions},
};

pub(super) fn run(plan: ReportPlan) -> Result<ExitCode> {
    let (catalogue, _) = super::catalogue(&plan.common.catalogue);
    let catalogue = &catalogue;
    let matcher = Matcher::new(catalogue);
    let mut failed = false;
    let report = match plan.input {
        ReportInput::Live { docker, journal } => {
            report_live(catalogue, &matcher, docker.map(|d| *d), journal.map(|j| *j))?
        }
        input => {
            // A compose file in the current directory or beside the logs names the user's
            // project and services (not for the bundled incident: it is nobody's machine).
            let files_context = match &input {
                ReportInput::Files(files) => {
                    let cwd = std::env::current_dir().ok();
                    FillContext::from_files(cwd.as_deref(), files)
                }
                _ => FillContext::default(),
            };
            let logs: Vec<(String, LogData)> = match input {
                ReportInput::Files(files) => {
                    let mut logs = Vec::with_capacity(files.len());
                    for path in &files {
                        if path.as_os_str() == "-" {
                            let stdin = crate::postmortem::stdin_log().context("reading stdin")?;
                            logs.push(("stdin".to_string(), stdin));
                        } else {
                            logs.push((sanitize::path_name(path), LogData::Path(path.clone())));
                        }
                    }
                    logs
                }
                _ => embedded::INCIDENT_FILES
                    .iter()
                    .map(|(name, bytes)| (name.to_string(), LogData::Static(bytes)))
                    .collect(),
            };
            let mut panes: [Vec<LogFile>; 2] = [Vec::new(), Vec::new()];
            for (name, data) in logs {
                match LogFile::open(&name, data, None) {
                    Ok(file) => panes[file.pane().index()].push(file),
                    Err(err) => {
                        complain(&err);
                        failed = true;
                    }
                }
            }
            crate::postmortem::Report::from_files(catalogue, &matcher, panes)
                .with_contexts(Arc::new(Contexts::with_files(files_context)))
        }
    };
    let lang = plan.common.lang;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match plan.format {
        ReportFormat::Markdown => {
            out.write_all(crate::postmortem::markdown(catalogue, &report, lang).as_bytes())?
        }
        ReportFormat::Json => crate::postmortem::write_json(&mut out, catalogue, &report)?,
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Docker's and the journal's lines read once, each hit line kept with its fields.
fn report_live(
    catalogue: &Catalogue,
    matcher: &Matcher,
    docker: Option<DockerOptions>,
    journal: Option<JournalOptions>,
) -> Result<crate::postmortem::Report> {
    use crate::model::{Block, Level, LineFields};
    // The sources record each container's and unit's context as they read it; the compose
    // file in the current directory fills what they cannot.
    let cwd = std::env::current_dir().ok();
    let contexts = Arc::new(Contexts::with_files(FillContext::from_files(
        cwd.as_deref(),
        &[],
    )));
    let docker = docker.map(|options| DockerOptions {
        contexts: Some(contexts.clone()),
        ..options
    });
    let journal = journal.map(|options| JournalOptions {
        contexts: Some(contexts.clone()),
        ..options
    });
    let mut lines = Vec::new();
    let mut sink = |found: &scan::Found| {
        let pane = if found.file == "journal" {
            PaneId::Host
        } else {
            PaneId::Containers
        };
        // An unrecognised error keeps its level (as the priority it maps to), so the report
        // finds it again among the lines and joins it to the incident it falls inside.
        let fields = LineFields {
            ts: found.ts,
            label: found.label.map(Arc::from),
            stream: found.stream,
            priority: found.unknown.map(|u| u.level.priority()),
            message_start: found.unknown.map_or(0, |u| u.message_start as u32),
        };
        let block = Block::from_fields([(found.text, fields)]);
        let hits = found
            .hits
            .iter()
            .map(|h| crate::model::Hit {
                index: 0,
                ..h.clone()
            })
            .collect();
        lines.push((pane, Arc::new(block), hits, found.file.to_string()));
        Ok(())
    };
    scan::scan_live(
        matcher,
        docker,
        journal,
        false,
        Some(Level::Err),
        &mut sink,
        &mut |source, why| complain(format_args!("{source}: {why}")),
        &mut |source, why| complain(format_args!("{source}: {why}")),
    )?;
    Ok(crate::postmortem::Report::from_lines(catalogue, lines).with_contexts(contexts))
}
