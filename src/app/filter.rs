//! Filters that need to look at every line run as jobs off the UI thread, on a snapshot of
//! the pane's blocks, and send their rows back in batches.

use std::sync::Arc;

use fuzzy_matcher::{FuzzyMatcher, skim::SkimMatcherV2};
use regex::bytes::Regex;

use super::{event::Event, pane::PaneId};
use crate::store::Block;

#[derive(Debug, Clone)]
pub enum FilterTest {
    Regex(Regex),
    /// Fuzzy words, matched against the line as text.
    Fuzzy(String),
}

impl FilterTest {
    pub fn matches(&self, line: &[u8]) -> bool {
        match self {
            FilterTest::Regex(regex) => regex.is_match(line),
            FilterTest::Fuzzy(words) => SkimMatcherV2::default()
                .ignore_case()
                .fuzzy_match(&String::from_utf8_lossy(line), words)
                .is_some(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FilterJob {
    pub pane: PaneId,
    pub generation: u64,
    pub test: FilterTest,
    pub blocks: Vec<(u64, Arc<Block>)>,
}

/// Rows are sent in batches of about this many lines examined.
const BATCH_LINES: usize = 100_000;

/// Run a filter job, sending `FilterRows` events; stops early if `send` returns false (the
/// app has gone).
pub fn run(job: FilterJob, mut send: impl FnMut(Event) -> bool) {
    let fuzzy = SkimMatcherV2::default().ignore_case();
    let mut rows = Vec::new();
    let mut examined = 0;
    for (first, block) in &job.blocks {
        // A block read from a file whose bytes were dropped is read again here, one block at
        // a time; one whose file no longer holds it has no rows.
        let _ = block.with_loaded(|block| match &job.test {
            FilterTest::Regex(regex) => {
                for index in 0..block.len() {
                    if regex.is_match(block.line(index)) {
                        rows.push(first + index as u64);
                    }
                }
            }
            FilterTest::Fuzzy(words) => {
                for index in 0..block.len() {
                    let text = String::from_utf8_lossy(block.line(index));
                    if fuzzy.fuzzy_match(&text, words).is_some() {
                        rows.push(first + index as u64);
                    }
                }
            }
        });
        examined += block.len();
        if examined >= BATCH_LINES {
            examined = 0;
            let batch = std::mem::take(&mut rows);
            if !send(Event::FilterRows {
                pane: job.pane,
                generation: job.generation,
                rows: batch,
                done: false,
            }) {
                return;
            }
        }
    }
    send(Event::FilterRows {
        pane: job.pane,
        generation: job.generation,
        rows,
        done: true,
    });
}
