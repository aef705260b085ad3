//! One runner per [`Plan`]: each loads the catalogue if it needs it and wires its own
//! sources (files, stdin, Docker, the journal); the viewer's loop in [`crate::tui`] only
//! runs.

mod explain;
mod patterns;
mod report;
mod scan;
mod templates;
mod view;

use std::{
    io::{self, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::Result;

use crate::{
    catalogue::{Catalogue, CatalogueSources, PatternError},
    plan::Plan,
    sanitize,
};

/// Do what `plan` says; the exit code.
pub fn run(plan: Plan) -> Result<ExitCode> {
    match plan {
        Plan::View(plan) => view::run(plan),
        Plan::Scan(plan) => scan::run(*plan),
        Plan::Explain(plan) => explain::run(plan),
        Plan::Patterns(plan) => patterns::run(plan),
        Plan::Report(plan) => report::run(plan),
        Plan::Templates(plan) => templates::run(plan),
    }
}

/// An error or warning on stderr. Messages carry file names and text from the input, which
/// may hold terminal escapes: they are written as visible escapes like log text.
pub fn complain(message: impl std::fmt::Display) {
    let _ = writeln!(
        io::stderr(),
        "triage: {}",
        sanitize::visible(message.to_string().as_bytes())
    );
}

fn load_catalogue(sources: &CatalogueSources) -> (Catalogue, Vec<PatternError>) {
    Catalogue::load(sources)
}

fn report_pattern_errors(errors: &[PatternError]) {
    let mut stderr = io::stderr().lock();
    for err in errors {
        let _ = writeln!(
            stderr,
            "triage: pattern error: {}",
            sanitize::visible(err.to_string().as_bytes())
        );
    }
    if !errors.is_empty() {
        let _ = writeln!(
            stderr,
            "triage: the rest of the catalogue is loaded and in use"
        );
    }
}

/// The catalogue, its files' errors said on stderr (the rest is used).
fn catalogue(sources: &CatalogueSources) -> (Catalogue, Vec<PatternError>) {
    let (catalogue, errors) = load_catalogue(sources);
    report_pattern_errors(&errors);
    (catalogue, errors)
}

/// Every path, with each directory replaced by the files under it (recursively, in name
/// order); what a directory held that is not read is said on stderr, with its count.
fn expand_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() != "-" && path.is_dir() {
            let walked = crate::walk::walk(path);
            complain(&walked);
            files.extend(walked.files);
        } else {
            files.push(path.clone());
        }
    }
    files
}
