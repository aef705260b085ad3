//! Unrecognised errors and warnings on screen: the panel of such a line (its template, how
//! often and when it was seen, the nearest catalogue entries, how to add one) and its row in
//! the `H` list.

use ratatui::{
    Frame,
    layout::{Alignment, Rect},
    text::{Line, Span},
    widgets::{Block, Borders, Paragraph, Wrap},
};

use unicode_width::UnicodeWidthStr;

use super::{Theme, pad, pane_name, t};
use crate::{
    app::{App, PaneId},
    catalogue::{Lang, Severity},
    explain, sanitize,
    templates::WILDCARD,
};

/// Columns of the `H` list's id column (a hit's entry id, a template's count and source).
const COUNT_COLUMN: usize = 28;

/// Most nearest entries named.
const NEAREST: usize = 3;

fn time(ts: Option<jiff::Timestamp>) -> String {
    ts.map_or_else(
        || "-".to_string(),
        |ts| ts.strftime("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// The severity the line's own level reads as (error unless it says warning).
fn severity_of_line(app: &App, pane: PaneId, line: u64) -> Severity {
    app.pane(pane)
        .view(line)
        .and_then(|(view, _)| crate::level::of_line(&view))
        .map_or(Severity::Error, |level| level.severity())
}

pub(super) fn draw_panel(frame: &mut Frame, app: &App, area: Rect, pane: PaneId, line: u64) {
    let theme = Theme { color: app.color };
    let Some((template, seen)) = app.unknown.of_line(pane, line) else {
        return;
    };
    let lang = app.lang;
    let severity = severity_of_line(app, pane, line);
    let word = match (lang, severity >= Severity::Error) {
        (Lang::En, true) => " UNRECOGNISED ERROR ",
        (Lang::En, false) => " UNRECOGNISED WARNING ",
        (Lang::Zh, true) => " 未识别的错误 ",
        (Lang::Zh, false) => " 未识别的警告 ",
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.severity(severity))
        .title(Line::from(vec![
            Span::styled(word, theme.severity(severity)),
            Span::styled(
                t(lang, " no catalogue entry ", " 目录中无此条目 "),
                theme.heading(),
            ),
        ]))
        .title_bottom(
            Line::from(Span::styled(
                t(
                    lang,
                    " a add an entry · e/E next/prev error · w/W warning · H all ",
                    " a 添加条目 · e/E 下一个/上一个错误 · w/W 警告 · H 全部 ",
                ),
                theme.dim(),
            ))
            .alignment(Alignment::Right),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let text = template.text();
    let mut lines = vec![Line::from(vec![
        Span::styled(t(lang, "template: ", "模板："), theme.heading()),
        Span::raw(sanitize::visible(text.as_bytes())),
    ])];
    let mut meta = vec![
        match lang {
            Lang::En => format!("seen {}×", template.count),
            Lang::Zh => format!("出现 {} 次", template.count),
        },
        format!("{} {}", t(lang, "first", "首次"), time(template.first_seen)),
        format!("{} {}", t(lang, "last", "最近"), time(template.last_seen)),
    ];
    if let Some(source) = &seen.source {
        meta.push(sanitize::visible(source.as_bytes()));
    } else {
        meta.push(pane_name(lang, pane).to_string());
    }
    lines.push(Line::from(Span::styled(meta.join(" · "), theme.dim())));
    // The template's words, as `explain` scores words, with its threshold: entries below it
    // are not named at all.
    let words = text.replace(WILDCARD, " ");
    let nearest = explain::nearest(&app.catalogue, &words, NEAREST);
    if nearest.is_empty() {
        lines.push(Line::from(t(
            lang,
            "Nothing in the catalogue matches it closely.",
            "目录中没有与之接近的条目。",
        )));
    } else {
        let mut spans = vec![Span::styled(
            t(lang, "nearest entries: ", "最接近的条目："),
            theme.heading(),
        )];
        let named: Vec<String> = nearest
            .iter()
            .filter_map(|f| app.catalogue.entries().get(f.entry))
            .map(|e| format!("{} ({})", e.id, e.title.get(lang)))
            .collect();
        spans.push(Span::raw(sanitize::visible(named.join(", ").as_bytes())));
        lines.push(Line::from(spans));
    }
    let raw = app
        .pane(pane)
        .store
        .line(line)
        .map(|(text, _)| String::from_utf8_lossy(text).into_owned())
        .unwrap_or_default();
    let command = format!("triage patterns new {}", explain::quote_word(&raw));
    lines.push(Line::from(t(
        lang,
        "a: add an entry for this line to your patterns (drafted, checked, saved), or run:",
        "a：为该行添加条目到你的目录（起草、检查、保存），或运行：",
    )));
    lines.push(Line::from(Span::styled(
        format!("  $ {}", sanitize::visible(command.as_bytes())),
        theme.command(),
    )));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// A template's row in the `H` list, in the columns of a hit's row.
pub(super) fn list_row<'a>(app: &App, id: u64, selected: bool, theme: Theme) -> Line<'a> {
    let Some((template, seen)) = app.unknown.get(id) else {
        return Line::default();
    };
    let time = template
        .first_seen
        .map_or_else(|| " ".repeat(8), |ts| ts.strftime("%H:%M:%S").to_string());
    let last = template
        .last_seen
        .filter(|_| template.count > 1)
        .map(|ts| format!(" → {}", ts.strftime("%H:%M:%S")))
        .unwrap_or_default();
    // The count and the last time first; the source gets what is left of the column.
    let mut count = format!("×{}{last}", template.count);
    if let Some(source) = &seen.source {
        count.push(' ');
        count.push_str(&sanitize::visible(source.as_bytes()));
    }
    while count.width() > COUNT_COLUMN {
        count.pop();
    }
    let line = Line::from(vec![
        Span::styled(format!("{time} "), theme.dim()),
        Span::raw(format!("{:<10} ", pane_name(app.lang, seen.first.pane))),
        Span::styled(pad(t(app.lang, "unknown", "未识别"), 8), theme.dim()),
        Span::styled(pad(&count, COUNT_COLUMN), theme.heading()),
        Span::raw(sanitize::visible(template.text().as_bytes())),
    ]);
    if selected {
        line.patch_style(theme.cursor_row())
    } else {
        line
    }
}
