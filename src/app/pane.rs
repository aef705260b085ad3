//! One log pane: its sources, its lines, its hits, and where the user is in it.

use std::{ops::Range, sync::Arc};

use jiff::Timestamp;

pub use crate::model::{PaneId, Source, SourceState};
use crate::{
    catalogue::Severity,
    marks::TS_LOOKBACK,
    model::{Block, Hit},
    parse::{self, LogLine, Stream},
    store::{LineStore, StoredLine},
};

/// A catalogue hit on one of the pane's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneHit {
    pub line: u64,
    pub entry: usize,
    pub severity: Severity,
    /// Byte ranges in the raw line.
    pub spans: Vec<Range<usize>>,
    pub captures: Vec<(String, String)>,
    pub ts: Option<Timestamp>,
    /// The line itself once it has been evicted from the store (hits are kept forever), or
    /// its start when its bytes may be dropped (a file read on demand).
    pub kept_text: Option<Arc<[u8]>>,
}

/// A filter narrowing the pane to some lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterKind {
    /// Lines matching a regex (`&`).
    Regex(String),
    /// Lines fuzzily matching words (`F`).
    Fuzzy(String),
    /// Lines with a hit at least this severe (`s`).
    Severity(Severity),
    /// No filter-in: every line, less those hidden by `!` or outside the time range.
    All,
}

/// `!`: lines matching this regex are hidden.
#[derive(Debug, Clone)]
pub struct Hide {
    pub text: String,
    pub regex: regex::bytes::Regex,
}

#[derive(Debug, Clone)]
pub struct Filter {
    pub kind: FilterKind,
    /// How to test new lines as they arrive (`None` for the severity filter, which follows
    /// the hits).
    pub test: Option<super::filter::FilterTest>,
    /// Matches the job computing `rows`, so late results of an older filter are dropped.
    pub generation: u64,
    /// Line numbers that pass, ascending.
    pub rows: Vec<u64>,
    /// Still computing.
    pub pending: bool,
}

/// Hits of each entry kept, at each end, once their lines have left a bounded scrollback.
pub const KEPT_HITS_PER_ENTRY: usize = 64;

/// Bytes of a hit's line kept with it when the line's bytes may be dropped (a read-on-demand
/// file): more than the hit list shows.
pub(crate) const HIT_TEXT_KEPT: usize = 2048;

#[derive(Debug, Clone)]
pub struct Pane {
    pub id: PaneId,
    pub sources: Vec<Source>,
    pub store: LineStore,
    /// Sorted by line. Bounded while following: see [`KEPT_HITS_PER_ENTRY`].
    pub hits: Vec<PaneHit>,
    /// Per entry, hits no longer in `hits` (their lines left the scrollback): counts are kept
    /// for good even where the hits are not.
    pub dropped_hits: std::collections::BTreeMap<usize, u64>,
    /// The line under the cursor.
    pub cursor: u64,
    /// First row shown.
    pub top: u64,
    /// Keep the cursor on the newest line as lines arrive.
    pub follow: bool,
    /// Replay: lines from this one on are not shown yet.
    pub revealed: Option<u64>,
    pub filter: Option<Filter>,
    /// `!`: lines hidden whatever the filter-in says.
    pub hide: Option<Hide>,
    /// Only lines of this time span (both ends included) are shown; set on both panes.
    pub range: Option<(Timestamp, Timestamp)>,
    /// Columns of each line scrolled off to the left.
    pub hscroll: usize,
    /// Rows the pane shows (from the layout).
    pub height: u64,
}

impl Pane {
    pub fn new(id: PaneId, sources: Vec<Source>, scrollback: Option<u64>) -> Pane {
        Pane {
            id,
            sources,
            store: LineStore::new(scrollback),
            hits: Vec::new(),
            dropped_hits: std::collections::BTreeMap::new(),
            cursor: 0,
            top: 0,
            follow: false,
            revealed: None,
            filter: None,
            hide: None,
            range: None,
            hscroll: 0,
            height: 1,
        }
    }

    pub fn has_content(&self) -> bool {
        !self.sources.is_empty() || !self.store.is_empty()
    }

    /// One past the last line that may be shown (replay hides the future).
    pub fn visible_end(&self) -> u64 {
        let end = self.store.range().end;
        self.revealed.map_or(end, |r| r.min(end))
    }

    /// Rows shown (lines, or the lines that pass the filter).
    pub fn row_count(&self) -> u64 {
        let range = self.store.range();
        match &self.filter {
            Some(filter) => {
                let end = self.visible_end();
                let lo = filter.rows.partition_point(|&l| l < range.start);
                let hi = filter.rows.partition_point(|&l| l < end);
                (hi - lo) as u64
            }
            None => self.visible_end().saturating_sub(range.start),
        }
    }

    /// The line shown at `row`.
    pub fn line_at_row(&self, row: u64) -> Option<u64> {
        if row >= self.row_count() {
            return None;
        }
        let first = self.store.range().start;
        match &self.filter {
            Some(filter) => {
                let lo = filter.rows.partition_point(|&l| l < first);
                filter.rows.get(lo + row as usize).copied()
            }
            None => Some(first + row),
        }
    }

    /// The row showing `line`, or the row of the nearest line shown at or after it (else the
    /// last row).
    pub fn row_of_line(&self, line: u64) -> u64 {
        let first = self.store.range().start;
        let rows = self.row_count();
        let row = match &self.filter {
            Some(filter) => {
                let lo = filter.rows.partition_point(|&l| l < first);
                (filter.rows.partition_point(|&l| l < line) - lo) as u64
            }
            None => line.saturating_sub(first),
        };
        row.min(rows.saturating_sub(1))
    }

    pub fn cursor_row(&self) -> u64 {
        self.row_of_line(self.cursor)
    }

    /// Move the cursor to `line` (snapped to a shown row) and scroll it into view.
    pub fn set_cursor(&mut self, line: u64) {
        let row = self.row_of_line(line);
        self.cursor = self.line_at_row(row).unwrap_or(line);
        self.scroll_to_cursor();
    }

    /// Move the cursor by `delta` rows.
    pub fn move_rows(&mut self, delta: i64) {
        let rows = self.row_count();
        if rows == 0 {
            return;
        }
        let row = self.cursor_row().saturating_add_signed(delta).min(rows - 1);
        if let Some(line) = self.line_at_row(row) {
            self.cursor = line;
        }
        self.scroll_to_cursor();
    }

    /// Keep the cursor row inside the window of `height` rows starting at `top`.
    pub fn scroll_to_cursor(&mut self) {
        let row = self.cursor_row();
        let height = self.height.max(1);
        if row < self.top {
            self.top = row;
        } else if row >= self.top + height {
            self.top = row + 1 - height;
        }
        let rows = self.row_count();
        self.top = self.top.min(rows.saturating_sub(height.min(rows)));
    }

    /// Scroll so the cursor is in the middle (used when another pane moved us).
    pub fn center_cursor(&mut self) {
        let row = self.cursor_row();
        self.top = row.saturating_sub(self.height / 2);
        self.scroll_to_cursor();
    }

    /// Follow mode: put the cursor on the newest shown line.
    pub fn follow_end(&mut self) {
        let rows = self.row_count();
        if rows > 0 {
            if let Some(line) = self.line_at_row(rows - 1) {
                self.cursor = line;
            }
            self.scroll_to_cursor();
        }
    }

    pub fn source_of(&self, tag: u16) -> Option<&Source> {
        self.sources.get(usize::from(tag))
    }

    /// Line `n` parsed (its fields as they arrived, or read off its text in its format),
    /// with the time of the entry it continues when it has none of its own.
    pub fn view(&self, n: u64) -> Option<(LogLine<'_>, Option<Stream>)> {
        let stored = self.store.get(n)?;
        let mut view = line_view(&stored);
        if view.ts.is_none() {
            view.ts = self.ts_near(n);
        }
        if view.label.is_none() && self.sources.len() > 1 {
            // The file's own name: its directories, cut to the column's width, said nothing.
            view.label = self
                .source_of(stored.tag)
                .map(|s| s.name.rsplit('/').next().unwrap_or(&s.name).into());
        }
        let stream = view.stream;
        Some((view, stream))
    }

    /// Whether the pane's lines span more than one day (UTC), so that times need their date.
    pub fn spans_days(&self) -> bool {
        let range = self.store.range();
        if range.is_empty() {
            return false;
        }
        let day = |n: u64| {
            self.ts_near(n)
                .map(|ts| ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        };
        matches!((day(range.start), day(range.end - 1)), (Some(a), Some(b)) if a != b)
    }

    /// The time of line `n`: its own, else that of the nearest line before it that has one,
    /// else of the nearest after it.
    pub fn ts_near(&self, n: u64) -> Option<Timestamp> {
        let range = self.store.range();
        let own = |line: u64| -> Option<Timestamp> { line_view(&self.store.get(line)?).ts };
        let lookback = TS_LOOKBACK as u64;
        let back = (n.saturating_sub(lookback).max(range.start)..=n).rev();
        let forward = n + 1..(n + lookback).min(range.end);
        back.chain(forward).find_map(own)
    }

    /// The shown line nearest in time to `ts` (for aligning this pane with the other).
    /// Lines whose bytes are not resident have no time here: see
    /// [`Pane::line_near_time_reading`].
    pub fn line_near_time(&self, ts: Timestamp) -> Option<u64> {
        let row = nearest_row(self.row_count(), ts, |row| {
            self.line_at_row(row).and_then(|line| self.ts_near(line))
        })?;
        self.line_at_row(row)
    }

    /// As [`Pane::line_near_time`], reading again the blocks of the lines it looks at (a file
    /// read on demand): a search by halving reads a block per step at most.
    pub fn line_near_time_reading(&mut self, ts: Timestamp) -> Option<u64> {
        let row = nearest_row(self.row_count(), ts, |row| {
            let line = self.line_at_row(row)?;
            let range = self.store.range();
            let near = [
                line,
                line.saturating_sub(TS_LOOKBACK as u64).max(range.start),
                (line + TS_LOOKBACK as u64).min(range.end.saturating_sub(1)),
            ];
            self.store.make_resident(near);
            self.ts_near(line)
        })?;
        self.line_at_row(row)
    }

    /// Whether line `n` is hidden by `!` or lies outside the time range (a line without any
    /// time near it is not known to be inside: hidden too).
    pub fn narrowed_out(&self, n: u64) -> bool {
        let hidden = self.hide.as_ref().is_some_and(|hide| {
            let text = self.store.line(n).map(|(t, _)| t).or_else(|| {
                // A hit's line kept after the scrollback dropped it.
                let at = self.hits.partition_point(|h| h.line < n);
                self.hits
                    .get(at)
                    .filter(|h| h.line == n)
                    .and_then(|h| h.kept_text.as_deref())
            });
            text.is_some_and(|t| hide.regex.is_match(t))
        });
        hidden
            || self
                .range
                .is_some_and(|(from, to)| self.ts_near(n).is_none_or(|ts| ts < from || ts > to))
    }

    /// Hits on line `n` (usually none or one).
    pub fn hits_on(&self, n: u64) -> &[PaneHit] {
        let lo = self.hits.partition_point(|h| h.line < n);
        let hi = self.hits.partition_point(|h| h.line <= n);
        &self.hits[lo..hi]
    }

    /// Hits that are shown (replay hides the future).
    pub fn visible_hits(&self) -> &[PaneHit] {
        let end = self.visible_end();
        &self.hits[..self.hits.partition_point(|h| h.line < end)]
    }

    /// Append a block of lines with their hits (line indices relative to the block).
    /// Returns the positions in `hits` (as they were before, ascending) of the hits dropped
    /// with old lines: the hits after each moved back by as many as were dropped before it.
    pub fn push_block(&mut self, block: Arc<Block>, hits: Vec<Hit>) -> Vec<usize> {
        let anchor = self.view_anchor();
        let mut evicted = Vec::new();
        // A block read from a file keeps only its index once stored: its hits keep their
        // lines' text (up to [`HIT_TEXT_KEPT`] bytes) for the hit list, whatever happens to
        // the file.
        let texts: Vec<Option<Arc<[u8]>>> = hits
            .iter()
            .map(|h| {
                block.origin().map(|_| {
                    let line = block.line(h.index);
                    Arc::from(&line[..line.len().min(HIT_TEXT_KEPT)])
                })
            })
            .collect();
        let first = self.store.push_block(block, &mut evicted);
        let from = self.hits.len();
        self.add_hits(first, hits);
        for (hit, text) in self.hits[from..].iter_mut().zip(texts) {
            hit.kept_text = text;
        }
        let dropped = if evicted.is_empty() {
            Vec::new()
        } else {
            self.drop_old_hits()
        };
        self.after_growth(first, evicted, anchor);
        dropped
    }

    /// Of the hits whose lines have left the scrollback, keep the first and the newest
    /// [`KEPT_HITS_PER_ENTRY`] of each entry and count the rest: a week of following a crash
    /// loop keeps its story (how it began, how it goes now) in bounded memory.
    fn drop_old_hits(&mut self) -> Vec<usize> {
        let first_line = self.store.range().start;
        let old = self.hits.partition_point(|h| h.line < first_line);
        if old == 0 {
            return Vec::new();
        }
        // Counted in vectors by entry (entries are catalogue positions, a few hundred), not
        // hashed: this runs at every block of a flood, over every hit kept.
        let entries = self.hits.iter().map(|h| h.entry).max().map_or(0, |e| e + 1);
        let mut per_entry = vec![0usize; entries];
        for hit in &self.hits {
            per_entry[hit.entry] += 1;
        }
        let mut rank = vec![0usize; entries];
        let mut removed = Vec::new();
        for (index, hit) in self.hits[..old].iter().enumerate() {
            let r = rank[hit.entry];
            rank[hit.entry] += 1;
            let keep = r < KEPT_HITS_PER_ENTRY || r + KEPT_HITS_PER_ENTRY >= per_entry[hit.entry];
            if !keep {
                *self.dropped_hits.entry(hit.entry).or_default() += 1;
                removed.push(index);
            }
        }
        if !removed.is_empty() {
            let mut gone = removed.iter().copied().peekable();
            let mut index = 0;
            self.hits.retain(|_| {
                index += 1;
                gone.next_if_eq(&(index - 1)).is_none()
            });
        }
        removed
    }

    fn add_hits(&mut self, first: u64, hits: Vec<Hit>) {
        self.hits.extend(hits.into_iter().map(|h| PaneHit {
            line: first + h.index as u64,
            entry: h.entry,
            severity: h.severity,
            spans: h.spans,
            captures: h.captures,
            ts: h.ts,
            kept_text: None,
        }));
    }

    /// The line at the top of the view, to keep it there while old lines are evicted.
    fn view_anchor(&self) -> Option<u64> {
        self.line_at_row(self.top)
    }

    /// After new lines: keep the lines of evicted hits, extend a running filter, keep the view
    /// where it was (or at the end, when following).
    fn after_growth(
        &mut self,
        first_new: u64,
        evicted: Vec<(u64, Arc<Block>)>,
        anchor: Option<u64>,
    ) {
        for (block_first, block) in &evicted {
            let lo = self.hits.partition_point(|h| h.line < *block_first);
            let hi = self
                .hits
                .partition_point(|h| h.line < block_first + block.len() as u64);
            for hit in &mut self.hits[lo..hi] {
                if hit.kept_text.is_none() {
                    hit.kept_text = Some(Arc::from(block.line((hit.line - block_first) as usize)));
                }
            }
        }
        if let Some(filter) = &mut self.filter {
            // Rows of lines no longer stored go with them.
            let first = self.store.range().start;
            let gone = filter.rows.partition_point(|&l| l < first);
            if gone > 0 {
                filter.rows.drain(..gone);
            }
            let end = self.store.range().end;
            match &filter.test {
                Some(test) => {
                    for line in first_new..end {
                        if let Some((text, _)) = self.store.line(line) {
                            if test.matches(text) {
                                filter.rows.push(line);
                            }
                        }
                    }
                }
                None => {
                    // A severity filter: the new hits' lines.
                    if let FilterKind::Severity(min) = filter.kind {
                        let start = self.hits.partition_point(|h| h.line < first_new);
                        for hit in &self.hits[start..] {
                            if hit.severity >= min && filter.rows.last() != Some(&hit.line) {
                                filter.rows.push(hit.line);
                            }
                        }
                    }
                }
            }
            // `!` and the time range hold for new lines too.
            if self.hide.is_some() || self.range.is_some() {
                let mut rows = std::mem::take(&mut self.filter.as_mut().expect("matched").rows);
                let keep_from = rows.partition_point(|&l| l < first_new);
                let mut at = keep_from;
                for i in keep_from..rows.len() {
                    if !self.narrowed_out(rows[i]) {
                        rows[at] = rows[i];
                        at += 1;
                    }
                }
                rows.truncate(at);
                self.filter.as_mut().expect("matched").rows = rows;
            }
        }
        let first = self.store.range().start;
        if self.cursor < first {
            self.cursor = first;
        }
        if self.follow {
            self.follow_end();
        } else if let Some(anchor) = anchor {
            self.top = self.row_of_line(anchor.max(first));
            self.scroll_to_cursor();
        }
    }
}

/// Of `rows` rows in time order (near enough), the one nearest in time to `ts`, by halving;
/// `ts_at` gives a row's time.
fn nearest_row(
    rows: u64,
    ts: Timestamp,
    mut ts_at: impl FnMut(u64) -> Option<Timestamp>,
) -> Option<u64> {
    if rows == 0 {
        return None;
    }
    let (mut lo, mut hi) = (0u64, rows);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        match ts_at(mid) {
            Some(t) if t < ts => lo = mid + 1,
            _ => hi = mid,
        }
    }
    // `lo` is the first row at or after `ts`; the row before may be nearer.
    let after = lo.min(rows - 1);
    if lo == 0 {
        return Some(after);
    }
    let before = lo - 1;
    let mut distance = |row: u64| {
        ts_at(row)
            .map(|t| (t.as_nanosecond() - ts.as_nanosecond()).abs())
            .unwrap_or(i128::MAX)
    };
    Some(if distance(before) <= distance(after) {
        before
    } else {
        after
    })
}

/// A stored line parsed: its own fields, or those its text gives in its format.
fn line_view<'a>(stored: &StoredLine<'a>) -> LogLine<'a> {
    match stored.fields {
        Some(fields) => crate::model::fields_view(fields, stored.text),
        None => parse::parse_line(
            stored.text_format.format,
            stored.text,
            stored.text_format.year,
        ),
    }
}
