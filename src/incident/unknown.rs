//! Unrecognised errors (lines the log itself marks as errors that no catalogue entry knows,
//! what `scan --unknown` lists) in incidents: mined into templates, each line joins the
//! incident it falls inside.
//!
//! A line falls inside an incident when its time is within the incident's span widened by
//! [`JOIN_SLACK`] on each side, and it was written by one of the incident's writers (a
//! container, a unit) — or, when either side names no writer, it came from one of the
//! incident's sources. A line inside two incidents joins the one whose writer it shares,
//! else the earlier. The lines of one template inside one incident are listed as one row
//! with their count and first and last time, after the chain.
//!
//! A template's lines that fall inside no incident are no incident by themselves (a log
//! holds many errors nobody needs to act on) unless they flood: at least [`FLOOD_LINES`]
//! lines with no gap longer than [`FLOOD_GAP`] between two of them. Those are listed after
//! the incidents, as floods.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};

use super::{BURST, Incident, Snapshot, earlier, later};
use crate::{
    ingest,
    model::{Block, Level, PaneId},
    templates::{self, MinerOptions, TemplateMiner},
};

/// How far outside an incident's first and last hit one of its unrecognised errors may be:
/// what a failing command prints around its known error comes within a burst of it.
pub const JOIN_SLACK: SignedDuration = BURST;
/// Lines of one template, outside every incident, that make a flood.
pub const FLOOD_LINES: usize = 50;
/// A flood's lines are at most this far apart (a longer pause starts another run).
pub const FLOOD_GAP: SignedDuration = SignedDuration::from_mins(5);

/// One unrecognised error line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLine {
    pub pane: PaneId,
    /// The line's number in its pane.
    pub line: u64,
    pub ts: Option<Timestamp>,
    /// The input it came from.
    pub source: String,
    /// Who wrote it, when the format says.
    pub writer: Option<String>,
    /// Index of its template in [`UnknownLines::templates`].
    pub template: usize,
}

/// The unrecognised errors of some blocks, mined into templates as they are added.
#[derive(Debug, Default)]
pub struct UnknownLines {
    miner: TemplateMiner,
    /// Template index by the miner's id.
    index: HashMap<u64, usize>,
    ids: Vec<u64>,
    pub lines: Vec<UnknownLine>,
}

impl UnknownLines {
    pub fn new() -> UnknownLines {
        UnknownLines {
            miner: TemplateMiner::new(MinerOptions {
                keep_evicted: true,
                ..MinerOptions::default()
            }),
            ..UnknownLines::default()
        }
    }

    /// Add the unrecognised errors of `block`, whose first line is `first` in `pane` of
    /// `snapshot`, with hits on the lines `hit_lines` (indices in the block, ascending).
    /// Lines from `end` on are left out (a replay has not shown them yet).
    pub fn add_block(
        &mut self,
        snapshot: &Snapshot,
        pane: PaneId,
        first: u64,
        block: &Block,
        hit_lines: impl IntoIterator<Item = usize>,
        end: u64,
    ) {
        for (index, _level) in ingest::unrecognised_except(block, hit_lines, Level::Err) {
            let line = first + index as u64;
            if line >= end {
                break;
            }
            let text = block.line(index);
            let view = block.view(index);
            let message = &text[ingest::message_offset(text, &view).min(text.len())..];
            let body = &message[templates::message_body(message)..];
            let body = if body.is_empty() { message } else { body };
            let ts = block.view_in_context(index).ts;
            let id = self.miner.add(body, ts);
            let template = *self.index.entry(id).or_insert_with(|| {
                self.ids.push(id);
                self.ids.len() - 1
            });
            self.lines.push(UnknownLine {
                pane,
                line,
                ts,
                source: snapshot.source(pane, line),
                writer: snapshot.writer(pane, line),
                template,
            });
        }
    }

    /// The templates' texts as mined from every line added (by template index).
    pub fn templates(&mut self) -> Vec<String> {
        let mut texts: HashMap<u64, String> = self
            .miner
            .take_evicted()
            .iter()
            .map(|t| (t.id, t.text()))
            .collect();
        texts.extend(self.miner.templates().map(|t| (t.id, t.text())));
        self.ids
            .iter()
            .map(|id| texts.remove(id).unwrap_or_default())
            .collect()
    }
}

/// The lines of one template in one incident (or in one flood).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecognised {
    pub template: String,
    pub count: usize,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    /// Inputs its lines came from, sorted.
    pub sources: Vec<String>,
    /// Who wrote its lines, sorted.
    pub writers: Vec<String>,
    /// Its first line, for an excerpt.
    pub pane: PaneId,
    pub line: u64,
}

/// How well a line fits an incident: `None` outside it, else higher for a shared writer.
fn fit(incident: &Incident, line: &UnknownLine) -> Option<u8> {
    let (ts, first, last) = (line.ts?, incident.first?, incident.last?);
    if ts < earlier(first, JOIN_SLACK) || ts > later(last, JOIN_SLACK) {
        return None;
    }
    match &line.writer {
        Some(writer) if !incident.writers.is_empty() => {
            incident.writers.contains(writer).then_some(2)
        }
        _ => incident.sources.contains(&line.source).then_some(1),
    }
}

/// Rows of lines, one per template, in order of their first time.
fn rows(lines: &[&UnknownLine], texts: &[String]) -> Vec<Unrecognised> {
    let mut by_template: BTreeMap<usize, Vec<&UnknownLine>> = BTreeMap::new();
    for &line in lines {
        by_template.entry(line.template).or_default().push(line);
    }
    let mut rows: Vec<Unrecognised> = by_template
        .into_iter()
        .map(|(template, lines)| row(&lines, texts.get(template).cloned().unwrap_or_default()))
        .collect();
    rows.sort_by(|a, b| {
        (a.first.is_none(), a.first, &a.template).cmp(&(b.first.is_none(), b.first, &b.template))
    });
    rows
}

fn row(lines: &[&UnknownLine], template: String) -> Unrecognised {
    let sources: BTreeSet<&str> = lines.iter().map(|l| l.source.as_str()).collect();
    let writers: BTreeSet<&str> = lines.iter().filter_map(|l| l.writer.as_deref()).collect();
    Unrecognised {
        template,
        count: lines.len(),
        first: lines.iter().filter_map(|l| l.ts).min(),
        last: lines.iter().filter_map(|l| l.ts).max(),
        sources: sources.into_iter().map(str::to_string).collect(),
        writers: writers.into_iter().map(str::to_string).collect(),
        pane: lines[0].pane,
        line: lines[0].line,
    }
}

/// Join each unrecognised error line to the incident it falls inside (filling
/// [`Incident::unrecognised`]); return the floods among the lines left outside, in order of
/// their first time.
pub fn join(
    incidents: &mut [Incident],
    lines: &[UnknownLine],
    texts: &[String],
) -> Vec<Unrecognised> {
    let mut inside: Vec<Vec<&UnknownLine>> = vec![Vec::new(); incidents.len()];
    let mut outside: BTreeMap<usize, Vec<&UnknownLine>> = BTreeMap::new();
    for line in lines {
        // The best fit; among equals the earlier incident (they are in time order).
        let best = incidents
            .iter()
            .enumerate()
            .filter_map(|(i, incident)| Some((fit(incident, line)?, std::cmp::Reverse(i))))
            .max()
            .map(|(_, std::cmp::Reverse(i))| i);
        match best {
            Some(i) => inside[i].push(line),
            None => outside.entry(line.template).or_default().push(line),
        }
    }
    for (incident, lines) in incidents.iter_mut().zip(inside) {
        incident.unrecognised = rows(&lines, texts);
    }
    let mut floods = Vec::new();
    for (template, mut lines) in outside {
        lines.sort_by_key(|l| (l.ts.is_none(), l.ts, l.pane, l.line));
        // Runs of lines with no pause longer than FLOOD_GAP; lines without a time are no run.
        let mut run: Vec<&UnknownLine> = Vec::new();
        let text = texts.get(template).cloned().unwrap_or_default();
        let mut close = |run: &mut Vec<&UnknownLine>| {
            if run.len() >= FLOOD_LINES {
                floods.push(row(run, text.clone()));
            }
            run.clear();
        };
        for line in lines {
            let Some(ts) = line.ts else { break };
            if run
                .last()
                .and_then(|l| l.ts)
                .is_some_and(|prev| ts.duration_since(prev) > FLOOD_GAP)
            {
                close(&mut run);
            }
            run.push(line);
        }
        close(&mut run);
    }
    floods.sort_by(|a, b| (a.first, &a.template).cmp(&(b.first, &b.template)));
    floods
}
