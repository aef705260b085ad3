//! The lines behind the hits, as both front ends hold them: each pane's blocks with the number
//! of their first line (the viewer's store snapshot, or every block `triage report` read).

use std::sync::Arc;

use jiff::Timestamp;

use super::{HitInput, Lines, Seen};
use crate::{
    model::{Block, Hit, PaneId},
    parse::LogLine,
    sanitize,
};

/// Each pane's lines: blocks in line order with their first line numbers, and the names of
/// the pane's sources (a block line's tag indexes them).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub panes: [Vec<(u64, Arc<Block>)>; 2],
    pub sources: [Vec<String>; 2],
}

impl Snapshot {
    /// The block holding line `line` of `pane`, and the line's index in it.
    fn locate(&self, pane: PaneId, line: u64) -> Option<(&Block, usize)> {
        let blocks = &self.panes[pane.index()];
        let b = blocks
            .partition_point(|(first, _)| *first <= line)
            .checked_sub(1)?;
        let (first, block) = &blocks[b];
        let i = usize::try_from(line - first).ok()?;
        (i < block.len()).then_some((block.as_ref(), i))
    }

    /// Line `line` of `pane` parsed, with the time of the line it continues if it has none.
    pub fn view(&self, pane: PaneId, line: u64) -> Option<LogLine<'_>> {
        let (block, i) = self.locate(pane, line)?;
        Some(block.view_in_context(i))
    }

    /// The source a line came from.
    pub fn source(&self, pane: PaneId, line: u64) -> String {
        let names = &self.sources[pane.index()];
        let tag = self
            .locate(pane, line)
            .map_or(0, |(block, i)| usize::from(block.tag(i)));
        names.get(tag).cloned().unwrap_or_default()
    }

    /// Who wrote a line: the container, unit or identifier its format names, else (for a
    /// pane with several inputs) the input's name.
    pub fn writer(&self, pane: PaneId, line: u64) -> Option<String> {
        let view = self.view(pane, line)?;
        match view.label {
            Some(label) if !label.is_empty() => Some(label.into_owned()),
            _ => (self.sources[pane.index()].len() > 1).then(|| self.source(pane, line)),
        }
    }

    /// A hit as incidents need it.
    pub fn hit_input(
        &self,
        pane: PaneId,
        line: u64,
        entry: usize,
        hit_severity: crate::catalogue::Severity,
        ts: Option<Timestamp>,
        captures: &[(String, String)],
    ) -> HitInput {
        HitInput {
            pane,
            line,
            entry,
            severity: hit_severity,
            ts,
            source: self.source(pane, line),
            writer: self.writer(pane, line),
            captures: captures.to_vec(),
        }
    }

    /// The hits of a block whose first line is `first`, as incidents need them.
    pub fn hit_inputs(&self, pane: PaneId, first: u64, hits: &[Hit]) -> Vec<HitInput> {
        hits.iter()
            .map(|h| {
                self.hit_input(
                    pane,
                    first + h.index as u64,
                    h.entry,
                    h.severity,
                    h.ts,
                    &h.captures,
                )
            })
            .collect()
    }

    /// A line's 1-based number in its own source (a pane merges several inputs; its lines
    /// are numbered across them).
    pub fn line_in_source(&self, pane: PaneId, line: u64) -> u64 {
        if self.sources[pane.index()].len() <= 1 {
            return line + 1;
        }
        let Some((block, i)) = self.locate(pane, line) else {
            return line + 1;
        };
        let tag = block.tag(i);
        let mut number = 0;
        for (first, b) in &self.panes[pane.index()] {
            if *first > line {
                break;
            }
            if b.is_empty() {
                continue;
            }
            let end = usize::try_from(line - first).map_or(b.len() - 1, |n| n.min(b.len() - 1));
            number += (0..=end).filter(|&j| b.tag(j) == tag).count() as u64;
        }
        number
    }

    /// Lines `line - before ..= line + after` of `pane` that are held, as visible text (every
    /// escape and control shown as such: safe in a terminal and in Markdown code blocks).
    pub fn excerpt(&self, pane: PaneId, line: u64, before: u64, after: u64) -> Vec<(u64, String)> {
        (line.saturating_sub(before)..=line.saturating_add(after))
            .filter_map(|n| {
                let (block, i) = self.locate(pane, n)?;
                Some((n, sanitize::visible(block.line(i))))
            })
            .collect()
    }
}

impl Lines for Snapshot {
    fn seen_between(&self, pane: PaneId, from: Timestamp, to: Timestamp) -> Vec<Seen> {
        let mut seen = Vec::new();
        for (first, block) in &self.panes[pane.index()] {
            if block.is_empty() {
                continue;
            }
            // Logs are in time order, near enough: a block that ends before the window or
            // starts after it is skipped whole.
            let ts = |i: usize| block.view_in_context(i).ts;
            if ts(block.len() - 1).is_some_and(|t| t < from) || ts(0).is_some_and(|t| t > to) {
                continue;
            }
            for i in 0..block.len() {
                let view = block.view_in_context(i);
                if let (Some(t), Some(label)) = (view.ts, view.label)
                    && (from..=to).contains(&t)
                {
                    seen.push(Seen {
                        writer: label.into_owned(),
                        ts: t,
                        line: first + i as u64,
                    });
                }
            }
        }
        seen
    }
}
