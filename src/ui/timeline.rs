//! The timeline strip at the top of the screen (`T`): each pane's hits per time slot, the
//! height of a bar its count and its colour the worst severity; the incidents as spans; the
//! time axis with the cursor's moment marked.

use ratatui::{
    Frame,
    layout::Rect,
    style::Modifier,
    text::{Line, Span},
    widgets::Paragraph,
};

use super::{Theme, t};
use crate::{
    app::{App, PaneId, layout::Areas, timeline::TIMELINE_ROWS},
    catalogue::Severity,
};

/// Width of the row labels on the left.
const LABEL: usize = 11;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

pub(super) fn draw(frame: &mut Frame, app: &App, areas: Areas, theme: Theme) {
    // The strip is the rows above the panes (none when the screen is too small for it).
    let top = areas.panes.iter().flatten().map(|a| a.y).min().unwrap_or(0);
    if top < TIMELINE_ROWS {
        return;
    }
    let area = Rect::new(0, top - TIMELINE_ROWS, frame.area().width, TIMELINE_ROWS);
    let columns = (area.width as usize).saturating_sub(LABEL + 1);
    let label = |text: &str| Span::styled(format!("{text:<LABEL$.LABEL$}│"), theme.dim());
    let Some(strip) = app.timeline_strip(columns) else {
        frame.render_widget(
            Paragraph::new(t(
                app.lang,
                "timeline: no times yet",
                "时间轴：还没有带时间的日志",
            )),
            area,
        );
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    for id in PaneId::BOTH {
        let slots = &strip.panes[id.index()];
        let most = slots.iter().map(|s| s.hits).max().unwrap_or(0).max(1);
        let mut spans = vec![label(match id {
            PaneId::Containers => t(app.lang, "containers", "容器"),
            PaneId::Host => t(app.lang, "host", "主机"),
        })];
        for (column, slot) in slots.iter().enumerate() {
            let glyph = if slot.hits == 0 {
                ' '
            } else {
                // At least the lowest bar for one hit; the tallest for the busiest slot.
                let level = (slot.hits as usize * BARS.len()).div_ceil(most as usize);
                BARS[level.clamp(1, BARS.len()) - 1]
            };
            let mut style = slot
                .worst
                .map_or_else(|| theme.dim(), |s| theme.severity(s));
            if strip.cursor == Some(column) {
                style = style.add_modifier(Modifier::REVERSED);
            }
            spans.push(Span::styled(glyph.to_string(), style));
        }
        lines.push(Line::from(spans));
    }
    // Incidents: each span drawn with its number (1-9, then +), the worst on top.
    let mut row: Vec<(char, Option<Severity>)> = vec![(' ', None); columns];
    for (n, &(first, last, severity)) in strip.incidents.iter().enumerate() {
        let mark = char::from_digit((n + 1) as u32, 10).unwrap_or('+');
        for (column, cell) in row.iter_mut().enumerate().take(last + 1).skip(first) {
            if cell.1.is_none_or(|s| s <= severity) {
                *cell = (if column == first { mark } else { '━' }, Some(severity));
            }
        }
    }
    let mut spans = vec![label(t(app.lang, "incidents I", "故障 I"))];
    spans.extend(row.into_iter().map(|(c, severity)| {
        Span::styled(
            c.to_string(),
            severity.map_or_else(|| theme.dim(), |s| theme.severity(s)),
        )
    }));
    lines.push(Line::from(spans));
    // The axis: the first time, the time per column, the last time; the cursor's moment.

    let secs = strip.per_column.as_secs();
    let per = if secs % 60 == 0 {
        format!("{} {}", secs / 60, t(app.lang, "min/col", "分钟/列"))
    } else {
        format!("{secs} {}", t(app.lang, "s/col", "秒/列"))
    };
    let hm = |ts: jiff::Timestamp| {
        let pattern = if secs < 60 { "%H:%M:%S" } else { "%H:%M" };
        ts.strftime(pattern).to_string()
    };
    let mut axis: Vec<char> = vec![' '; columns];
    let mut put = |at: usize, text: &str| {
        for (i, c) in text.chars().enumerate() {
            if let Some(cell) = axis.get_mut(at + i) {
                *cell = c;
            }
        }
    };
    // The cursor's moment first: the labels are drawn over it where they meet (the panes
    // show the cursor anyway).
    if let Some(cursor) = strip.cursor {
        put(cursor, "▲");
    }
    // The time per column in the middle, then the first and last times where they fall.
    put((columns / 2).saturating_sub(per.chars().count() / 2), &per);
    put(0, &hm(strip.start));
    let end_column = strip.column(strip.end, columns);
    // The last time only where it does not cover the first.
    if end_column >= 10 {
        put(
            end_column.saturating_sub(4).min(columns.saturating_sub(5)),
            &hm(strip.end),
        );
    }
    lines.push(Line::from(vec![
        label(&strip.start.strftime("%Y-%m-%d").to_string()),
        Span::styled(axis.into_iter().collect::<String>(), theme.dim()),
    ]));
    frame.render_widget(Paragraph::new(lines), area);
}
