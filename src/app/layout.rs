//! Where everything goes on screen. Pure geometry, shared by the model (which needs to know
//! how many rows a pane shows, to scroll) and the view (which draws there).

use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// Below this width the two log panes are stacked instead of side by side.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    /// The containers pane and the host pane (`None`: not shown).
    pub panes: [Option<Rect>; 2],
    /// The hit panel: the selected hit's cause and remedy.
    pub panel: Rect,
    /// The status line (and the prompt, while one is open).
    pub status: Rect,
}

/// The hit panel's height in its compact form: the title and two rows of the first command,
/// in a border.
const COMPACT_PANEL_HEIGHT: u16 = 5;

/// On a terminal this low (80x24 and the like) the hit panel shows the hit's title and first
/// command only (`e` shows the rest): the log panes get the rows.
pub fn compact_panel(size: Rect) -> bool {
    size.height < 30
}

/// The source column's widest on a log pane `inner_width` columns wide: a quarter of it, 8 to
/// 32 columns. Narrower when the names shown are shorter.
pub fn source_column_cap(inner_width: u16) -> usize {
    (usize::from(inner_width) / 4).clamp(8, 32)
}

/// The fewest columns a log pane `inner_width` wide leaves for the message: after the gutter
/// (2), the time (9) and the widest source column with its space.
pub fn message_columns(inner_width: u16) -> usize {
    usize::from(inner_width)
        .saturating_sub(2 + 9 + source_column_cap(inner_width) + 1)
        .max(1)
}

/// What the layout depends on besides the terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Which panes have anything to show (an empty pane without sources gives up its room).
    pub shown: [bool; 2],
}

pub fn compute(size: Rect, shape: Shape) -> Areas {
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(size);
    // The panel gets about a third of the height: enough for a title, the cause's first
    // lines and the first remedy steps with their commands.
    let panel_height = match body.height {
        _ if compact_panel(size) => (body.height / 2).min(COMPACT_PANEL_HEIGHT),
        0..=11 => body.height / 2,
        12..=29 => 8,
        h => (h / 3).clamp(10, 18),
    };
    let [logs, panel] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(panel_height)]).areas(body);
    let panes = match shape.shown {
        [true, true] => {
            let direction = if size.width >= SIDE_BY_SIDE_MIN_WIDTH {
                Direction::Horizontal
            } else {
                Direction::Vertical
            };
            let halves = Layout::default()
                .direction(direction)
                .constraints([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)])
                .split(logs);
            [Some(halves[0]), Some(halves[1])]
        }
        [true, false] => [Some(logs), None],
        [false, true] => [None, Some(logs)],
        [false, false] => [Some(logs), None],
    };
    Areas {
        panes,
        panel,
        status,
    }
}

/// Rows of log lines a pane area holds inside its border.
pub fn inner_rows(area: Option<Rect>) -> u64 {
    area.map_or(0, |a| u64::from(a.height.saturating_sub(2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_terminals_put_panes_side_by_side() {
        let a = compute(
            Rect::new(0, 0, 160, 48),
            Shape {
                shown: [true, true],
            },
        );
        let (c, h) = (a.panes[0].unwrap(), a.panes[1].unwrap());
        assert_eq!((c.y, h.y), (0, 0));
        assert!(c.width + h.width == 160 && c.height == h.height);
        assert_eq!(a.status, Rect::new(0, 47, 160, 1));
    }

    #[test]
    fn narrow_terminals_stack_them_and_80x24_still_fits() {
        let a = compute(
            Rect::new(0, 0, 80, 24),
            Shape {
                shown: [true, true],
            },
        );
        let (c, h) = (a.panes[0].unwrap(), a.panes[1].unwrap());
        assert_eq!(c.x, h.x);
        assert!(h.y > c.y);
        // The compact panel (title and first command) leaves the panes 7 rows each.
        assert!(
            inner_rows(Some(c)) >= 7 && inner_rows(Some(h)) >= 7,
            "{c:?} {h:?}"
        );
        assert_eq!(a.panel.height, COMPACT_PANEL_HEIGHT);
    }

    #[test]
    fn an_empty_pane_gives_up_its_room() {
        let a = compute(
            Rect::new(0, 0, 160, 48),
            Shape {
                shown: [false, true],
            },
        );
        assert_eq!(a.panes[0], None);
        assert_eq!(a.panes[1].unwrap().width, 160);
    }
}
