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
        let (mut start, mut end) = self.shown_span()?;
        // Restricted to a range: the strip shows the range.
        if let Some((from, to)) = self.time_range() {
            (start, end) = (from, to);
        }
        // Whole minutes per column, as few as make the span fit; each zoom step halves it,
        // down to a second, and shows the window of that many columns around the cursor.
        let span_secs = end.duration_since(start).as_secs().max(1);
        let fit_secs = (span_secs / 60 / columns as i64 + 1).max(1) * 60;
        let per_secs = (fit_secs >> self.timeline_zoom.min(62)).max(1);
        let per_column = SignedDuration::from_secs(per_secs);
        if per_secs < fit_secs {
            let window = per_secs.saturating_mul(columns as i64);
            let focus = self.pane(self.focus);
            let center = focus.ts_near(focus.cursor).unwrap_or(start);
            let latest =
                super::super::incident::earlier(end, SignedDuration::from_secs(window)).max(start);
            start = super::super::incident::earlier(center, SignedDuration::from_secs(window / 2))
                .clamp(start, latest);
            end = super::super::incident::later(start, SignedDuration::from_secs(window - 1))
                .min(end);
        }
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
                let Some(ts) = hit.ts.filter(|&ts| ts >= start && ts <= end) else {
                    continue;
                };
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
                let (first, last) = (i.first?, i.last?);
                // Only what overlaps the window, cut to it.
                if last < start || first > end {
                    return None;
                }
                Some((
                    strip.column(first.max(start), columns),
                    strip.column(last.min(end), columns),
                    i.severity,
                ))
            })
            .collect();
        let focus = self.pane(self.focus);
        strip.cursor = focus
            .ts_near(focus.cursor)
            .filter(|&ts| ts >= start && ts <= end)
            .map(|ts| strip.column(ts, columns));
        Some(strip)
    }

    /// `T`: the strip on or off; turning it on builds the incidents it shows.
    pub(super) fn toggle_timeline(&mut self) {
        self.timeline = !self.timeline;
        if self.timeline {
            self.refresh_incident_spans();
        }
        self.relayout();
    }

    /// `z` (`zoom_in`) / `Z`: the strip shows half / twice the time per column (never more
    /// than the whole log fits).
    pub(super) fn zoom_timeline(&mut self, zoom_in: bool) {
        if !self.timeline {
            self.message = Some(match self.lang {
                Lang::En => "z / Z zoom the timeline: T shows it first.".to_string(),
                Lang::Zh => "z / Z 缩放时间轴：请先按 T 打开时间轴。".to_string(),
            });
            return;
        }
        let columns = usize::from(self.size.width.saturating_sub(12)).max(1);
        let per = |app: &App| app.timeline_strip(columns).map(|s| s.per_column);
        let before = per(self);
        if zoom_in {
            self.timeline_zoom = self.timeline_zoom.saturating_add(1).min(24);
            if per(self) == before {
                self.timeline_zoom -= 1;
                self.message = Some(self.text(
                    "The timeline is at one second a column.",
                    "时间轴已是每列一秒。",
                ));
            }
        } else if self.timeline_zoom == 0 {
            self.message = Some(self.text(
                "The timeline shows the whole log already.",
                "时间轴已显示全部日志。",
            ));
        } else {
            self.timeline_zoom -= 1;
        }
    }

    /// `t` then Enter: a time goes there, a range (`10:20-10:40`, `10:20..10:40`) restricts
    /// both panes to it, nothing clears the range.
    pub(super) fn time_prompt(&mut self, text: &str) -> Vec<super::Command> {
        if text.is_empty() {
            if self.time_range().is_none() {
                return Vec::new();
            }
            let commands = self.set_range(None);
            self.message = Some(self.range_message());
            return commands;
        }
        let pane = self.pane(self.focus);
        let day = pane
            .ts_near(pane.cursor)
            .or_else(|| self.shown_span().map(|(a, _)| a));
        if let Some((from, to)) = parse_range(text, day) {
            let commands = self.set_range(Some((from.min(to), from.max(to))));
            self.message = Some(self.range_message());
            return commands;
        }
        self.jump_to_time(text);
        Vec::new()
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

/// A range typed after `t`: two times joined by `..` or `-` (`10:20-10:40`, `10:20..10:40`,
/// `2026-11-27 10:20 - 2026-11-27 10:40`). A `HH:MM` end is a whole minute: up to its last
/// second.
fn parse_range(text: &str, day: Option<Timestamp>) -> Option<(Timestamp, Timestamp)> {
    let text = text.trim();
    let end_of = |s: &str| -> Option<Timestamp> {
        let ts = parse_time(s, day)?;
        // `10:40` means the minute 10:40 as a whole.
        let whole_minute = s.trim().parse::<civil::Time>().is_ok() && s.trim().len() <= 5;
        Some(if whole_minute {
            ts.checked_add(SignedDuration::from_secs(59)).unwrap_or(ts)
        } else {
            ts
        })
    };
    if let Some((a, b)) = text.split_once("..") {
        return Some((parse_time(a, day)?, end_of(b)?));
    }
    // A date holds dashes too: the one that splits it into two times.
    text.match_indices('-').find_map(|(at, _)| {
        let (a, b) = (&text[..at], &text[at + 1..]);
        Some((parse_time(a, day)?, end_of(b)?))
    })
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

    #[test]
    fn ranges_are_two_times_joined_by_dots_or_a_dash() {
        let day: Timestamp = "2026-11-27T09:01:00Z".parse().unwrap();
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        let want = Some((at("2026-11-27T10:20:00Z"), at("2026-11-27T10:40:59Z")));
        assert_eq!(parse_range("10:20-10:40", Some(day)), want);
        assert_eq!(parse_range("10:20..10:40", Some(day)), want);
        assert_eq!(parse_range(" 10:20 - 10:40 ", Some(day)), want);
        assert_eq!(
            parse_range("10:20:05-10:40:30", Some(day)),
            Some((at("2026-11-27T10:20:05Z"), at("2026-11-27T10:40:30Z")))
        );
        assert_eq!(
            parse_range("2026-11-27 10:20-2026-11-28 01:00:00", None),
            Some((at("2026-11-27T10:20:00Z"), at("2026-11-28T01:00:00Z")))
        );
        // One time, with or without a date, is no range.
        assert_eq!(parse_range("2026-11-27 10:20", Some(day)), None);
        assert_eq!(parse_range("10:20", Some(day)), None);
        assert_eq!(parse_range("10:20-soon", Some(day)), None);
    }
}
