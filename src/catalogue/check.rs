//! `triage patterns check`: a catalogue proves itself on its own examples.

use std::fmt;

use super::{Catalogue, Entry, PatternError};
use crate::matcher::Matcher;

/// What a check found. Problems fail the check; notes are advice.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub problems: Vec<PatternError>,
    pub notes: Vec<PatternError>,
    pub entries: usize,
    pub examples: usize,
    pub counter_examples: usize,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "error: {problem}")?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        write!(
            f,
            "{} entries, {} examples, {} counter-examples: {}",
            self.entries,
            self.examples,
            self.counter_examples,
            if self.is_ok() {
                "ok".to_string()
            } else {
                format!("{} problem(s)", self.problems.len())
            }
        )
    }
}

/// Check a loaded catalogue (load errors are the caller's to add): every example matches its
/// own entry, no counter-example does, no example is claimed by an entry that did not declare
/// the overlap, and every id an entry refers to exists.
pub fn check(catalogue: &Catalogue) -> CheckReport {
    check_only(catalogue, &|_| true)
}

/// As [`check`], for the entries `checked` picks (a user's directory over the built-ins):
/// they are checked against the whole catalogue, and only they are counted.
pub fn check_only(catalogue: &Catalogue, checked: &dyn Fn(&Entry) -> bool) -> CheckReport {
    let matcher = Matcher::new(catalogue);
    let entries = catalogue.entries();
    let mut report = CheckReport {
        entries: entries.iter().filter(|e| checked(e)).count(),
        ..CheckReport::default()
    };
    for (index, entry) in entries.iter().enumerate() {
        if !checked(entry) {
            continue;
        }
        let problem = |message: String| PatternError {
            file: entry.origin.file.clone(),
            line: entry.origin.line,
            entry: Some(entry.id.clone()),
            message,
        };
        if !entry.is_symptom_only() && entry.examples.is_empty() {
            report
                .problems
                .push(problem("has regexes but no examples".into()));
        }
        if entry.is_symptom_only() && !entry.examples.is_empty() {
            report.problems.push(problem(
                "symptom-only entry (no regex) cannot have log-line examples".into(),
            ));
        }
        if entry.remedy.is_empty() {
            report.problems.push(problem("has no remedy steps".into()));
        }
        for (pattern, &line) in entry.regex.iter().zip(&entry.regex_lines) {
            if let Err(err) = crate::matcher::compile_regex(pattern) {
                report.problems.push(PatternError {
                    line,
                    ..problem(format!("regex does not compile: {err}"))
                });
            }
        }
        for id in entry.leads_to.iter().chain(&entry.overlaps) {
            if catalogue.get(id).is_none() {
                report
                    .problems
                    .push(problem(format!("refers to unknown id `{id}`")));
            }
        }
        for example in &entry.examples {
            report.examples += 1;
            let hits = crate::ingest::match_line(&matcher, example.as_bytes());
            if !hits.iter().any(|h| h.entry == index) {
                report
                    .problems
                    .push(problem(format!("example does not match: {example:?}")));
            }
            for hit in hits.iter().filter(|h| h.entry != index) {
                let other = &entries[hit.entry];
                if !entry.declares_overlap_with(other) {
                    report.problems.push(problem(format!(
                        "example also matches `{}` ({}) without a declared overlap: {example:?}",
                        other.id, other.origin
                    )));
                }
            }
        }
        for counter in &entry.counter_examples {
            report.counter_examples += 1;
            if crate::ingest::match_line(&matcher, counter.as_bytes())
                .iter()
                .any(|h| h.entry == index)
            {
                report
                    .problems
                    .push(problem(format!("counter-example matches: {counter:?}")));
            }
        }
    }
    for (entry, pattern, literals) in matcher.guards() {
        let entry = &entries[entry];
        if !checked(entry) {
            continue;
        }
        let shortest = literals.map_or(0, |l| l.iter().map(Vec::len).min().unwrap_or(0));
        if shortest < 4 {
            let line = entry
                .regex
                .iter()
                .position(|r| r == pattern)
                .map_or(entry.origin.line, |i| entry.regex_lines[i]);
            report.notes.push(PatternError {
                file: entry.origin.file.clone(),
                line,
                entry: Some(entry.id.clone()),
                message: format!(
                    "regex has no literal of 4+ bytes that every match contains, so it is tested on many lines (slow): {pattern}"
                ),
            });
        }
    }
    report
}
