//! The lines behind the hits, as both front ends hold them: each pane's blocks with the number
//! of their first line (the viewer's store snapshot, or every block `triage report` read).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use super::{HitInput, Lines, SEEN_LINES, Seen};
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
        let (block, i) = self.locate(pane, line)?;
        // A block read on demand is read again (consecutive hits in it: once).
        let label = block
            .with_loaded(|block| {
                block
                    .view_in_context(i)
                    .label
                    .map(std::borrow::Cow::into_owned)
            })
            .ok()
            .flatten();
        match label {
            Some(label) if !label.is_empty() => Some(label),
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
                let text = block
                    .with_loaded(|block| sanitize::visible(block.line(i)))
                    .unwrap_or_else(|_| sanitize::visible(crate::model::LINE_UNAVAILABLE));
                Some((n, text))
            })
            .collect()
    }
}

impl Snapshot {
    /// The time of line `i` of a block (that of the line it continues if it has none).
    fn ts_of(block: &Block, i: usize) -> Option<Timestamp> {
        block
            .with_loaded(|block| block.view_in_context(i).ts)
            .ok()
            .flatten()
    }

    /// Where `at` falls in a pane: the (block, line) of the first line after it, found by
    /// halving (logs are in time order, near enough; lines without a time count as before).
    fn position_of(&self, pane: PaneId, at: Timestamp) -> (usize, usize) {
        let blocks = &self.panes[pane.index()];
        let after = |block: &Block| Snapshot::ts_of(block, 0).is_some_and(|t| t > at);
        let b = blocks
            .partition_point(|(_, block)| block.is_empty() || !after(block))
            .saturating_sub(1);
        let Some((_, block)) = blocks.get(b) else {
            return (0, 0);
        };
        let Ok(block) = loaded(block) else {
            return (b, 0);
        };
        let block = block.as_ref();
        let lines: Vec<usize> = (0..block.len()).collect();
        let i = lines.partition_point(|&i| Snapshot::ts_of(block, i).is_none_or(|t| t <= at));
        (b, i)
    }
}

impl Lines for Snapshot {
    fn seen_around(&self, pane: PaneId, at: Timestamp, window: SignedDuration) -> Vec<Seen> {
        let blocks = &self.panes[pane.index()];
        let (from, to) = (super::earlier(at, window), super::later(at, window));
        let (b, i) = self.position_of(pane, at);
        let mut seen = Vec::new();
        let mut look = |first: u64, block: &Block, i: usize| -> Option<Timestamp> {
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
            view.ts
        };
        // Forward from `at`, then back from it, each until the window or the bound ends.
        let mut looked = 0;
        'forward: for (first, block) in blocks.iter().skip(b) {
            let same = std::ptr::eq(block, &blocks[b].1);
            let Ok(block) = loaded(block) else { continue };
            let block = block.as_ref();
            let start = if same { i } else { 0 };
            for j in start..block.len() {
                looked += 1;
                if looked > SEEN_LINES || look(*first, block, j).is_some_and(|t| t > to) {
                    break 'forward;
                }
            }
        }
        let mut looked = 0;
        'back: for (first, block) in blocks.iter().take(b + 1).rev() {
            let same = std::ptr::eq(block, &blocks[b].1);
            let Ok(block) = loaded(block) else { continue };
            let block = block.as_ref();
            let end = if same { i } else { block.len() };
            for j in (0..end).rev() {
                looked += 1;
                if looked > SEEN_LINES || look(*first, block, j).is_some_and(|t| t < from) {
                    break 'back;
                }
            }
        }
        seen
    }
}

/// A block with its bytes: itself, or read again from its file (a block read on demand).
fn loaded(block: &Block) -> Result<std::borrow::Cow<'_, Block>, crate::model::LineUnavailable> {
    if block.is_loaded() {
        Ok(std::borrow::Cow::Borrowed(block))
    } else {
        block.reload().map(std::borrow::Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{model::Bytes, parse::LogFormat};

    /// A `docker compose logs -t` block: `(writer, seconds after 10:00:00)` per line.
    fn block(lines: &[(&str, i64)]) -> Arc<Block> {
        let base: Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        let text: String = lines
            .iter()
            .map(|(writer, secs)| {
                let ts = base + SignedDuration::from_secs(*secs);
                format!("{writer:<8}| {ts} something\n")
            })
            .collect();
        Arc::new(Block::new(Bytes::Owned(text.into_bytes())).in_format(LogFormat::Compose, 2026))
    }

    fn at(secs: i64) -> Timestamp {
        "2026-11-27T10:00:00Z".parse::<Timestamp>().unwrap() + SignedDuration::from_secs(secs)
    }

    #[test]
    fn lines_around_a_time_across_blocks_within_the_window() {
        let first = block(&[("old", 0), ("db", 50), ("web", 95)]);
        let second = block(&[("db", 99), ("web", 101), ("late", 200)]);
        let snapshot = Snapshot {
            panes: [vec![(0, first), (3, second)], Vec::new()],
            sources: [vec!["compose.log".into()], Vec::new()],
        };
        let mut seen: Vec<(String, Timestamp, u64)> = snapshot
            .seen_around(PaneId::Containers, at(100), SignedDuration::from_secs(60))
            .into_iter()
            .map(|s| (s.writer, s.ts, s.line))
            .collect();
        seen.sort_by_key(|s| s.2);
        assert_eq!(
            seen,
            [
                ("db".to_string(), at(50), 1),
                ("web".to_string(), at(95), 2),
                ("db".to_string(), at(99), 3),
                ("web".to_string(), at(101), 4),
            ]
        );
        assert_eq!(
            snapshot.writer(PaneId::Containers, 5).as_deref(),
            Some("late")
        );
        assert!(
            snapshot
                .seen_around(PaneId::Host, at(100), SignedDuration::from_secs(60))
                .is_empty()
        );
        // A time at the end of what a timestamp holds: no overflow.
        for end in [Timestamp::MAX, Timestamp::MIN] {
            let seen = snapshot.seen_around(PaneId::Containers, end, SignedDuration::from_secs(60));
            assert!(seen.is_empty());
        }
    }

    #[test]
    fn a_flood_is_looked_at_only_so_far_from_the_time() {
        // One line a millisecond: the minute before holds 60,000 lines.
        let base: Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        let text: String = (0..60_000)
            .map(|n| {
                let ts = base + SignedDuration::from_millis(n);
                format!("busy    | {ts} x\n")
            })
            .collect();
        let flood = Arc::new(
            Block::new(Bytes::Owned(text.into_bytes())).in_format(LogFormat::Compose, 2026),
        );
        let snapshot = Snapshot {
            panes: [vec![(0, flood)], Vec::new()],
            sources: [vec!["flood.log".into()], Vec::new()],
        };
        let seen = snapshot.seen_around(PaneId::Containers, at(30), SignedDuration::from_secs(60));
        assert_eq!(seen.len(), 2 * SEEN_LINES);
    }
}
