//! Lines read on demand (see [`crate::store`]): after each event, `update` makes resident the
//! lines the next frame shows, so drawing only reads state. What a frame needs: each pane's
//! rows on screen and its cursor, its first and last lines (the time strip and the date
//! column read their times), and the selected hit's line.

use super::{App, PaneId};
use crate::app::pane::Pane;

impl Pane {
    /// The lines the next frame may read the text of.
    pub fn shown_lines(&self) -> Vec<u64> {
        let mut lines: Vec<u64> = (self.top..self.top + self.height.max(1))
            .map_while(|row| self.line_at_row(row))
            .collect();
        lines.push(self.cursor);
        let range = self.store.range();
        if !range.is_empty() {
            lines.push(range.start);
            lines.push(self.visible_end().max(range.start + 1) - 1);
        }
        lines
    }
}

impl Pane {
    /// Make the cursor's line resident, with the lines its time may come from.
    pub fn make_cursor_resident(&mut self) {
        let cursor = self.cursor;
        self.store.make_resident([
            cursor,
            cursor.saturating_sub(64).max(self.store.range().start),
        ]);
    }
}

impl App {
    /// Make resident what the next frame shows, in both panes.
    pub(super) fn make_shown_resident(&mut self) {
        let selected = self
            .selected
            .and_then(|r| self.hit(r).map(|h| (r.pane, h.line)));
        for id in PaneId::BOTH {
            let pane = self.pane_mut(id);
            let mut lines = pane.shown_lines();
            if let Some((_, line)) = selected.filter(|(p, _)| *p == id) {
                lines.push(line);
            }
            pane.store.make_resident(lines);
        }
    }
}
