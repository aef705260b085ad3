//! What narrows a pane to some of its lines, together: the filter-in (`&`, `F`, `s`), the
//! filter-out (`!`, lnav's: lines matching a regex are hidden) and the time range (`t` with
//! `10:20-10:40`, or `t` on an incident), which holds for both panes. All three are views:
//! no line is dropped, clearing one shows its lines again.
//!
//! A pane's [`Filter`] rows are the lines that pass all three; a job computes them off the
//! UI thread whenever one changes (the severity filter's rows come from the hits, at once).

use jiff::Timestamp;
use regex::bytes::Regex;

use super::{
    App, Command, Filter, FilterKind, PaneId, filter,
    pane::{Hide, Pane},
};
use crate::catalogue::Lang;

/// The filter-in of a pane as it is now: its kind and how it tests a line.
fn include_of(pane: &Pane) -> Option<(FilterKind, Option<filter::FilterTest>)> {
    let filter = pane.filter.as_ref()?;
    (filter.kind != FilterKind::All).then(|| (filter.kind.clone(), filter.test.clone()))
}

impl App {
    /// Set a pane's filter-in (`None`: none) and compute its rows with `!` and the time
    /// range; returns the job to run, if one is needed.
    pub(super) fn narrow(
        &mut self,
        pane_id: PaneId,
        include: Option<(FilterKind, Option<filter::FilterTest>)>,
    ) -> Vec<Command> {
        self.filter_generation += 1;
        let generation = self.filter_generation;
        let pane = self.pane_mut(pane_id);
        let narrowed = pane.hide.is_some() || pane.range.is_some();
        let commands = match include {
            None if !narrowed => {
                pane.filter = None;
                Vec::new()
            }
            Some((FilterKind::Severity(min), _)) => {
                // From the hits, at once: they are few.
                let mut rows: Vec<u64> = pane
                    .hits
                    .iter()
                    .filter(|h| h.severity >= min)
                    .map(|h| h.line)
                    .filter(|&line| !pane.narrowed_out(line))
                    .collect();
                rows.dedup();
                pane.filter = Some(Filter {
                    kind: FilterKind::Severity(min),
                    test: None,
                    generation,
                    rows,
                    pending: false,
                });
                Vec::new()
            }
            include => {
                let (kind, test) = match include {
                    Some((kind, Some(test))) => (kind, test),
                    _ => (FilterKind::All, filter::FilterTest::Any),
                };
                pane.filter = Some(Filter {
                    kind,
                    test: Some(test.clone()),
                    generation,
                    rows: Vec::new(),
                    pending: true,
                });
                vec![Command::Filter(filter::FilterJob {
                    pane: pane_id,
                    generation,
                    test,
                    hide: pane.hide.as_ref().map(|h| h.regex.clone()),
                    range: pane.range,
                    blocks: pane.store.snapshot(),
                })]
            }
        };
        let cursor = pane.cursor;
        pane.set_cursor(cursor);
        commands
    }

    /// Compute a pane's rows again, its filter-in kept (after `!` or the range changed).
    fn renarrow(&mut self, pane_id: PaneId) -> Vec<Command> {
        let include = include_of(self.pane(pane_id));
        self.narrow(pane_id, include)
    }

    /// `!` then a regex: hide the focused pane's lines that match it; empty shows them again.
    pub(super) fn set_hide(&mut self, hide: Option<(String, Regex)>) -> Vec<Command> {
        let pane_id = self.focus;
        self.pane_mut(pane_id).hide = hide.map(|(text, regex)| Hide { text, regex });
        let commands = self.renarrow(pane_id);
        self.align_other_pane();
        commands
    }

    /// Restrict both panes to a time span (`None`: the whole log again).
    pub(super) fn set_range(&mut self, range: Option<(Timestamp, Timestamp)>) -> Vec<Command> {
        let mut commands = Vec::new();
        for id in PaneId::BOTH {
            self.pane_mut(id).range = range;
            commands.extend(self.renarrow(id));
        }
        if range.is_some() {
            // Start at the range's beginning: what is restricted to is seen from its start.
            for id in PaneId::BOTH {
                let pane = self.pane_mut(id);
                pane.follow = false;
                let first = pane.store.range().start;
                pane.set_cursor(first);
                pane.top = 0;
            }
            self.user_moved = true;
        }
        commands
    }

    /// The time range both panes are restricted to.
    pub fn time_range(&self) -> Option<(Timestamp, Timestamp)> {
        self.panes[0].range
    }

    /// In the incident list or an incident, `t`: restrict both panes to its span.
    pub(super) fn restrict_to_incident(&mut self, index: usize) -> Vec<Command> {
        let Some((Some(first), Some(last))) = self
            .incidents
            .report
            .incidents
            .get(index)
            .map(|i| (i.first, i.last))
        else {
            return Vec::new();
        };
        self.overlay = None;
        let commands = self.set_range(Some((first, last)));
        self.message = Some(self.range_message());
        commands
    }

    /// What the status line says of the range just set.
    pub(super) fn range_message(&self) -> String {
        match (self.time_range(), self.lang) {
            (Some((from, to)), Lang::En) => format!(
                "Showing {} only (both panes); t then Enter on an empty line shows all again",
                range_text(from, to)
            ),
            (Some((from, to)), Lang::Zh) => format!(
                "只显示 {}（两个窗格）；按 t 后直接回车恢复全部",
                range_text(from, to)
            ),
            (None, Lang::En) => "The whole log is shown again.".to_string(),
            (None, Lang::Zh) => "已恢复显示全部日志。".to_string(),
        }
    }
}

/// A range as the status line shows it: `10:20:00–10:40:00`, with the date when it spans
/// days.
pub fn range_text(from: Timestamp, to: Timestamp) -> String {
    let utc = jiff::tz::TimeZone::UTC;
    if from.to_zoned_datetime(utc.clone()).date() == to.to_zoned_datetime(utc).date() {
        format!("{}–{}", from.strftime("%H:%M:%S"), to.strftime("%H:%M:%S"))
    } else {
        format!(
            "{}–{}",
            from.strftime("%m-%d %H:%M:%S"),
            to.strftime("%m-%d %H:%M:%S")
        )
    }
}
