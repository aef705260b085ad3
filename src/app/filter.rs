//! Filters that need to look at every line run as jobs off the UI thread, on a snapshot of
//! the pane's blocks, and send their rows back in batches.

use std::sync::Arc;

use fuzzy_matcher::{FuzzyMatcher, skim::SkimMatcherV2};
use jiff::Timestamp;
use regex::bytes::Regex;

use super::{event::Event, pane::PaneId};
use crate::store::Block;

#[derive(Debug, Clone)]
pub enum FilterTest {
    Regex(Regex),
    /// Fuzzy words, matched against the line as text.
    Fuzzy(String),
    /// Every line (`!` or a time range narrow the pane, no filter-in).
    Any,
}

impl FilterTest {
    pub fn matches(&self, line: &[u8]) -> bool {
        match self {
            FilterTest::Regex(regex) => regex.is_match(line),
            FilterTest::Fuzzy(words) => SkimMatcherV2::default()
                .ignore_case()
                .fuzzy_match(&String::from_utf8_lossy(line), words)
                .is_some(),
            FilterTest::Any => true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FilterJob {
    pub pane: PaneId,
    pub generation: u64,
    pub test: FilterTest,
    /// `!`: lines matching it are left out, whatever `test` says.
    pub hide: Option<Regex>,
    /// Only lines whose time is in this span (ends included); lines with no time are kept.
    pub range: Option<(Timestamp, Timestamp)>,
    pub blocks: Vec<(u64, Arc<Block>)>,
}

impl FilterJob {
    /// Line `index` of `block` passes `!` and the time range.
    fn narrowed_out(&self, block: &Block, index: usize) -> bool {
        self.hide
            .as_ref()
            .is_some_and(|hide| hide.is_match(block.line(index)))
            || self.range.is_some_and(|(from, to)| {
                // A line with no time (nor one before it) is not known to be in the range.
                block
                    .view_in_context(index)
                    .ts
                    .is_none_or(|ts| ts < from || ts > to)
            })
    }
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
        let narrowed = job.hide.is_some() || job.range.is_some();
        // A block read from a file whose bytes were dropped is read again here, one block at
        // a time; one whose file no longer holds it has no rows.
        let _ = block.with_loaded(|block| {
            let passes = |index: usize| !narrowed || !job.narrowed_out(block, index);
            match &job.test {
                FilterTest::Regex(regex) => {
                    for index in 0..block.len() {
                        if regex.is_match(block.line(index)) && passes(index) {
                            rows.push(first + index as u64);
                        }
                    }
                }
                FilterTest::Fuzzy(words) => {
                    for index in 0..block.len() {
                        let text = String::from_utf8_lossy(block.line(index));
                        if fuzzy.fuzzy_match(&text, words).is_some() && passes(index) {
                            rows.push(first + index as u64);
                        }
                    }
                }
                FilterTest::Any => {
                    rows.extend(
                        (0..block.len())
                            .filter(|&index| passes(index))
                            .map(|index| first + index as u64),
                    );
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
