//! The errors and warnings of a block of lines, read once where the block is made (a
//! loader's worker, a live source's thread), never on the thread that draws: lines with
//! catalogue hits by their worst hit, the others by their own level. The viewer walks them
//! (`e`/`E`, `w`/`W`) and mines the unrecognised errors into templates.

use jiff::Timestamp;

use crate::{
    catalogue::Severity,
    ingest,
    model::{Block, Hit, Level},
    templates,
};

/// How far (in lines) the time of a line without one is looked for, each way: its
/// neighbours' time stands in for it (a traceback's lines, a message cut over lines).
pub const TS_LOOKBACK: usize = 64;

/// How the gutter reads one line of a block: the worst known hit, else its own level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Error,
    Warning,
}

/// One line of a block a walk stops at.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    /// The line's index in its block.
    pub index: usize,
    pub kind: Kind,
    /// Its time: its hit's, else its own or the nearest line's in the block, as
    /// the viewer's pane (`Pane::ts_near`) reads it.
    pub ts: Option<Timestamp>,
    /// No line near it in the block has a time, and the search for one reached the block's
    /// edge: the pane, which holds the lines around the block, looks further.
    pub ts_from_pane: bool,
    /// No hit: the line's own level and its message masked for the template miner.
    pub unrecognised: Option<(Level, Vec<String>)>,
}

/// The errors and warnings of a block, by line index: lines with hits by their worst hit,
/// the others (unrecognised) by their own level, as (index, kind, time, level if unknown).
pub fn classify(block: &Block, hits: &[Hit]) -> Vec<Classified> {
    let mut out = classify_known(block, hits);
    out.extend(classify_unrecognised(block, hits.iter().map(|h| h.index)));
    out.sort_by_key(|c| c.index);
    out
}

/// The part of [`classify`] that reads only the hits: the lines with a known error or
/// warning. Cheap: no line's own level is read.
pub fn classify_known(block: &Block, hits: &[Hit]) -> Vec<Classified> {
    let mut times = BlockTimes::new(block);
    let mut out = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let index = hits[i].index;
        let mut worst = hits[i].severity;
        let ts = hits[i].ts;
        while i < hits.len() && hits[i].index == index {
            worst = worst.max(hits[i].severity);
            i += 1;
        }
        let kind = match worst {
            Severity::Critical | Severity::Error => Some(Kind::Error),
            Severity::Warning => Some(Kind::Warning),
            Severity::Info => None,
        };
        if let Some(kind) = kind {
            let (ts, ts_from_pane) = match ts {
                Some(ts) => (Some(ts), false),
                None => times.near(index),
            };
            out.push(Classified {
                index,
                kind,
                ts,
                ts_from_pane,
                unrecognised: None,
            });
        }
    }
    out
}

/// The rest of [`classify`]: the lines with no hit (`hit_lines`, ascending, are the lines
/// with one) that their own level makes an error or a warning, errors masked for mining.
/// Most of the cost: every line that may be a warning is read.
pub fn classify_unrecognised(
    block: &Block,
    hit_lines: impl IntoIterator<Item = usize>,
) -> Vec<Classified> {
    let mut times = BlockTimes::new(block);
    let mut out = Vec::new();
    for (index, level) in ingest::unrecognised_except(block, hit_lines, Level::Warning) {
        let kind = if level >= Level::Err {
            Kind::Error
        } else {
            Kind::Warning
        };
        // Only errors are mined into templates, as `scan --unknown` mines them by default:
        // warnings are walked (`w`), but many logs hold one every few lines, and masking is
        // most of what mining costs (a live flood of them halved the viewer's intake).
        // Masked here, where the block is read.
        // The line is parsed once, for its time and the message mined.
        let view = block.view(index);
        times.know(index, view.ts);
        let unrecognised =
            (level >= Level::Err).then(|| (level, templates::mask_mined(view.message)));
        let (ts, ts_from_pane) = times.near(index);
        out.push(Classified {
            index,
            kind,
            ts,
            ts_from_pane,
            unrecognised,
        });
    }
    out
}

/// The times of a block's lines, each read at most once: where a log's lines carry no time
/// (several programs' logs one after another), every error line looks over the same
/// neighbours.
struct BlockTimes<'b> {
    block: &'b Block,
    /// Each line's own time, once read.
    own: Vec<Option<Option<Timestamp>>>,
}

impl<'b> BlockTimes<'b> {
    fn new(block: &'b Block) -> Self {
        BlockTimes {
            block,
            own: vec![None; block.len()],
        }
    }

    /// Line `index`'s own time, read elsewhere.
    fn know(&mut self, index: usize, ts: Option<Timestamp>) {
        self.own[index] = Some(ts);
    }

    fn own(&mut self, index: usize) -> Option<Timestamp> {
        let block = self.block;
        *self.own[index].get_or_insert_with(|| block.view(index).ts)
    }

    /// Line `index`'s time as the viewer's pane (`Pane::ts_near`) finds it: its own, else
    /// the nearest before it, else after it, [`TS_LOOKBACK`] lines each way. The flag says
    /// the block's edge cut the search short with nothing found.
    fn near(&mut self, index: usize) -> (Option<Timestamp>, bool) {
        let back = index.saturating_sub(TS_LOOKBACK)..=index;
        if let Some(ts) = back.rev().find_map(|i| self.own(i)) {
            return (Some(ts), false);
        }
        if index < TS_LOOKBACK {
            // The pane looks on before the block, and only then after the line.
            return (None, true);
        }
        let mut forward = index + 1..(index + TS_LOOKBACK).min(self.block.len());
        match forward.find_map(|i| self.own(i)) {
            Some(ts) => (Some(ts), false),
            None => (None, index + TS_LOOKBACK > self.block.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_classified_line_has_the_time_the_pane_would_give_it() {
        use crate::model::{Block, Bytes};
        use crate::parse::LogFormat;
        // Errors without a time of their own, near timed lines, far from them, and near the
        // block's edges.
        let mut text = String::new();
        for n in 0..400 {
            match n {
                10 | 150 | 300 => text += &format!("Nov 30 10:00:{:02} host app[1]: ok\n", n % 60),
                _ => text += &format!("  [error] failed step {n}\n"),
            }
        }
        let block = Block::new(Bytes::Owned(text.into_bytes())).in_format(LogFormat::Short, 2026);
        let mut times = BlockTimes::new(&block);
        let own = |i: usize| block.view(i).ts;
        for index in 0..block.len() {
            let (ts, ask) = times.near(index);
            // The pane's search over this block alone (as if no lines were around it).
            let back = (index.saturating_sub(TS_LOOKBACK)..=index).rev();
            let forward = index + 1..(index + TS_LOOKBACK).min(block.len());
            let pane = back.chain(forward).find_map(own);
            if ask {
                assert_eq!(ts, None, "line {index}");
                assert!(index < TS_LOOKBACK || index + TS_LOOKBACK > block.len());
            } else {
                assert_eq!(ts, pane, "line {index}");
            }
        }
        assert!(own(150).is_some() && own(151).is_none());
        assert_eq!(times.near(200).0, own(150), "back first");
        assert_eq!(times.near(100), (own(150), false), "then forward");
    }

    #[test]
    fn blocks_are_classified_as_the_gutter_marks_them() {
        use crate::model::{Block, Bytes};
        let text = b"all good\n\
            2026-11-27 10:00:01 [ERROR] something nobody catalogued\n\
            level=warn msg=\"disk getting full\"\n\
            plain line\n";
        let block = Block::new(Bytes::Owned(text.to_vec()));
        // A known info hit on line 0 is neither an error nor a warning.
        let hits = vec![Hit {
            index: 0,
            entry: 0,
            severity: Severity::Info,
            spans: vec![],
            captures: vec![],
            ts: None,
        }];
        let kinds: Vec<(usize, Kind, bool)> = classify(&block, &hits)
            .into_iter()
            .map(|c| (c.index, c.kind, c.unrecognised.is_some()))
            .collect();
        // Only the error is mined into a template: warnings are walked, not mined.
        assert_eq!(kinds, [(1, Kind::Error, true), (2, Kind::Warning, false)]);
    }
}
