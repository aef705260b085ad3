//! What narrows a pane, as the pane's border and the status line say it: the filter-in
//! (`& regex`, `F words`, `s ≥ level`), the filter-out (`! regex`) and the time range.

use super::t;
use crate::{
    app::{App, FilterKind, Pane, narrow_range_text},
    sanitize,
};

/// The filter-in and the filter-out of a pane, as typed (made visible).
pub(super) fn filters(pane: &Pane) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(filter) = &pane.filter {
        let shown = |text: &str| sanitize::visible(text.as_bytes());
        match &filter.kind {
            FilterKind::Regex(r) => parts.push(format!("& {}", shown(r))),
            FilterKind::Fuzzy(f) => parts.push(format!("F {}", shown(f))),
            FilterKind::Severity(s) => parts.push(format!("s ≥ {s}")),
            FilterKind::All => {}
        }
    }
    if let Some(hide) = &pane.hide {
        parts.push(format!("! {}", sanitize::visible(hide.text.as_bytes())));
    }
    parts
}

/// The time range both panes show, with how to clear it.
pub(super) fn range(app: &App) -> Option<String> {
    let (from, to) = app.time_range()?;
    Some(format!(
        "{} {} ({})",
        t(app.lang, "only", "仅"),
        narrow_range_text(from, to),
        t(app.lang, "t⏎ all", "t⏎ 全部")
    ))
}
