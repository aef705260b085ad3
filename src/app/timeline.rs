//! The timeline strip (`T`: hits per time slot by severity for each pane, incidents as spans)
//! and `t`, jump to a time. The strip's numbers are computed here from the state; the view
//! only draws them.

use jiff::{
    SignedDuration, Timestamp, civil,
    tz::{Offset, TimeZone},
};

use super::{App, PaneId};
use crate::catalogue::{Lang, Severity};

/// Rows the strip takes at the top of the screen: one per pane, the incidents, the time axis.
pub const TIMELINE_ROWS: u16 = 4;

/// One column of a pane's row: how many hits, and the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slot {
    pub hits: u32,
    pub worst: Option<Severity>,
}

/// What the strip shows, for `columns` columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strip {
    pub start: Timestamp,
    /// The last time shown.
    pub end: Timestamp,
    /// Time per column: whole minutes.
    pub per_column: SignedDuration,
    pub panes: [Vec<Slot>; 2],
    /// Per incident (in their order): its first and last column and its severity.
    pub incidents: Vec<(usize, usize, Severity)>,
    /// The column of the focused pane's cursor.
    pub cursor: Option<usize>,
}

impl Strip {
    /// The column a time falls in.
    pub fn column(&self, ts: Timestamp, columns: usize) -> usize {
        let offset = ts.duration_since(self.start).as_secs().max(0);
        let per = self.per_column.as_secs().max(1);
        ((offset / per) as usize).min(columns.saturating_sub(1))
    }
}

impl App {
    /// The time span of what is shown: the first and last line with a time in either pane.
    fn shown_span(&self) -> Option<(Timestamp, Timestamp)> {
        let mut span: Option<(Timestamp, Timestamp)> = None;
        for pane in &self.panes {
            let range = pane.store.range();
            let end = pane.visible_end();
            if range.start >= end {
                continue;
            }
            for ts in [pane.ts_near(range.start), pane.ts_near(end - 1)]
                .into_iter()
                .flatten()
            {
                span = Some(match span {
                    None => (ts, ts),
                    Some((a, b)) => (a.min(ts), b.max(ts)),
                });
            }
        }
        span
    }

    /// The strip for `columns` columns, or `None` with nothing timed to show.
    pub fn timeline_strip(&self, columns: usize) -> Option<Strip> {
        if columns == 0 {
            return None;
        }
        let (start, end) = self.shown_span()?;
        // Whole minutes per column, as few as make the span fit.
        let span_secs = end.duration_since(start).as_secs().max(1);
        let minutes = (span_secs / 60 / columns as i64 + 1).max(1);
        let per_column = SignedDuration::from_mins(minutes);
        let mut strip = Strip {
            start,
            end,
            per_column,
            panes: [
                vec![Slot::default(); columns],
                vec![Slot::default(); columns],
            ],
            incidents: Vec::new(),
            cursor: None,
        };
        for id in PaneId::BOTH {
            for hit in self.pane(id).visible_hits() {
                let Some(ts) = hit.ts else { continue };
                let column = strip.column(ts, columns);
                let slot = &mut strip.panes[id.index()][column];
                slot.hits += 1;
                slot.worst = slot.worst.max(Some(hit.severity));
            }
        }
        strip.incidents = self
            .incidents
            .report
            .incidents
            .iter()
            .filter_map(|i| {
                Some((
                    strip.column(i.first?, columns),
                    strip.column(i.last?, columns),
                    i.severity,
                ))
            })
            .collect();
        let focus = self.pane(self.focus);
        strip.cursor = focus
            .ts_near(focus.cursor)
            .map(|ts| strip.column(ts, columns));
        Some(strip)
    }

    /// `T`: the strip on or off; turning it on builds the incidents it shows.
    pub(super) fn toggle_timeline(&mut self) {
        self.timeline = !self.timeline;
        if self.timeline {
            self.refresh_incidents();
        }
        self.relayout();
    }

    /// `t` then a time: both panes go to that moment. `HH:MM[:SS]` is on the day of the
    /// cursor's line; a date and time, or RFC 3339, is taken as it is (UTC).
    pub(super) fn jump_to_time(&mut self, text: &str) {
        let pane = self.pane(self.focus);
        let day = pane
            .ts_near(pane.cursor)
            .or_else(|| self.shown_span().map(|(a, _)| a));
        let Some(ts) = parse_time(text, day) else {
            self.message = Some(match self.lang {
                Lang::En => format!(
                    "Not a time: {} (give 10:26, 10:26:30, \"2026-11-27 10:26\")",
                    crate::sanitize::visible(text.as_bytes())
                ),
                Lang::Zh => format!(
                    "不是时间：{}（例如 10:26、10:26:30、\"2026-11-27 10:26\"）",
                    crate::sanitize::visible(text.as_bytes())
                ),
            });
            return;
        };
        self.user_moved = true;
        let focus = self.focus;
        let Some(line) = self.pane_mut(focus).line_near_time_reading(ts) else {
            return;
        };
        let pane = self.pane_mut(focus);
        pane.follow = false;
        pane.set_cursor(line);
        pane.center_cursor();
        self.select_hit_at_cursor();
        self.align_other_pane();
    }
}

/// A time typed after `t`.
fn parse_time(text: &str, day: Option<Timestamp>) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    // A date and time first: jiff reads the time of day out of one too.
    if let Ok(civil) = text.parse::<civil::DateTime>() {
        return Offset::UTC.to_timestamp(civil).ok();
    }
    let time = text.parse::<civil::Time>().ok()?;
    let date = day?.to_zoned_datetime(TimeZone::UTC).date();
    Offset::UTC.to_timestamp(date.to_datetime(time)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_on_the_cursors_day_or_as_written() {
        let day: Timestamp = "2026-11-27T09:01:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(
            parse_time("10:26", Some(day)),
            Some(at("2026-11-27T10:26:00Z"))
        );
        assert_eq!(
            parse_time("10:26:30", Some(day)),
            Some(at("2026-11-27T10:26:30Z"))
        );
        assert_eq!(
            parse_time("2026-11-28 01:02", Some(day)),
            Some(at("2026-11-28T01:02:00Z"))
        );
        assert_eq!(
            parse_time("2026-11-28T01:02:03Z", None),
            Some(at("2026-11-28T01:02:03Z"))
        );
        assert_eq!(parse_time("10:26", None), None);
        assert_eq!(parse_time("soon", Some(day)), None);
    }
}
