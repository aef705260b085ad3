//! Drawing: `draw` reads the app's state and nothing else, and changes none of it.

mod incidents;
mod narrow;
pub mod theme;
mod timeline;
mod unknown;
pub mod wrap;

use std::ops::Range;

use ratatui::{
    Frame,
    layout::{Alignment, Constraint, Layout, Rect},
    style::{Modifier, Style},
    text::{Line, Span, Text},
    widgets::{Block, Borders, Clear, Paragraph, Wrap},
};
use unicode_width::UnicodeWidthStr;

pub use theme::Theme;

use crate::{
    app::{App, HitRef, Overlay, Pane, PaneId, PromptKind, SourceState, keymap, unknown::ListRow},
    catalogue::{Lang, Severity},
    explain::{self, fill_command_in},
    sanitize,
};

/// Most bytes of one line looked at per frame: a 10 MB line costs no more than a short one.
const LINE_BYTES_SHOWN: usize = 4096;

pub fn draw(frame: &mut Frame, app: &App) {
    let theme = Theme { color: app.color };
    let areas = app.areas();
    for id in PaneId::BOTH {
        if let Some(area) = areas.panes[id.index()] {
            draw_pane(frame, app, id, area, theme);
        }
    }
    draw_panel(frame, app, areas.panel, theme);
    if app.timeline {
        timeline::draw(frame, app, areas, theme);
    }
    draw_status(frame, app, areas.status, theme);
    match &app.overlay {
        Some(Overlay::Help) => draw_help(frame, app, theme),
        Some(Overlay::HitList { selected }) => draw_hit_list(frame, app, *selected, theme),
        Some(Overlay::Entry { scroll }) => draw_entry(frame, app, *scroll, theme),
        Some(Overlay::Incidents { selected }) => incidents::draw_list(frame, app, *selected, theme),
        Some(Overlay::Incident { index, scroll }) => {
            incidents::draw_incident(frame, app, *index, *scroll, theme)
        }
        None => {}
    }
}

/// A severity's name in the viewer's language.
fn severity_word(lang: Lang, severity: Severity) -> &'static str {
    severity.word(lang)
}

fn t(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

// ---- log panes ------------------------------------------------------------------------------

fn draw_pane(frame: &mut Frame, app: &App, id: PaneId, area: Rect, theme: Theme) {
    let pane = app.pane(id);
    let focused = app.focus == id;
    let name = match id {
        PaneId::Containers => t(app.lang, "containers", "容器"),
        PaneId::Host => t(app.lang, "host", "主机"),
    };
    let sources: Vec<String> = pane.sources.iter().map(|s| short_name(&s.name)).collect();
    let mut title = vec![Span::styled(
        format!(" {}{name} ", if focused { "▸ " } else { "" }),
        theme.heading(),
    )];
    if !sources.is_empty() {
        title.push(Span::styled(
            format!("{} ", sources.join(", ")),
            theme.dim(),
        ));
    }
    let hits = pane.visible_hits().len();
    let counts = format!(
        " {} {} · {} {} ",
        pane.row_count(),
        t(app.lang, "lines", "行"),
        hits,
        t(app.lang, "hits", "命中")
    );
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Line::from(title))
        .title(Line::from(counts).alignment(Alignment::Right));
    if let Some(filter) = &pane.filter {
        let mut what = narrow::filters(pane);
        what.extend(narrow::range(app));
        let pending = if filter.pending { " …" } else { "" };
        block = block.title_bottom(
            Line::from(format!(" {}{pending} ", what.join(" · "))).alignment(Alignment::Right),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    if pane.row_count() == 0 {
        let note = if pane
            .sources
            .iter()
            .any(|s| matches!(s.state, SourceState::Loading { .. }))
        {
            t(app.lang, "loading…", "加载中…")
        } else if pane.filter.is_some() {
            t(
                app.lang,
                "no lines match the filter",
                "没有符合过滤条件的行",
            )
        } else {
            t(app.lang, "no lines", "没有日志")
        };
        frame.render_widget(Paragraph::new(Span::styled(note, theme.dim())), inner);
        return;
    }

    let height = u64::from(inner.height);
    let rows: Vec<u64> = (pane.top..pane.top + height)
        .filter_map(|row| pane.line_at_row(row))
        .collect();
    let views: Vec<_> = rows.iter().map(|&line| (line, pane.view(line))).collect();
    // The source column is as wide as the names around (a page either side, so it does not
    // jump at every step), up to a quarter of the pane.
    let label_width = (pane.top.saturating_sub(height)..pane.top + 2 * height)
        .filter_map(|row| pane.line_at_row(row))
        .filter_map(|line| {
            let label = pane.view(line)?.0.label?;
            Some(sanitize::visible(label.as_bytes()).width())
        })
        .max()
        .unwrap_or(0)
        .min(crate::app::layout::source_column_cap(inner.width));
    let time_format = if pane.spans_days() {
        TimeFormat::WithDate
    } else {
        TimeFormat::Clock
    };
    let lines: Vec<Line> = views
        .iter()
        .map(|(line, view)| {
            render_line(
                app,
                pane,
                *line,
                view.as_ref().map(|v| &v.0),
                time_format,
                label_width,
                focused,
                theme,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// How the time column shows a time: the clock, or with the date when the pane's lines
/// span days (a 09:00 that is yesterday's is not today's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeFormat {
    Clock,
    WithDate,
}

impl TimeFormat {
    /// The column for `ts`, padded to its width; a line with no time (a file that prints
    /// none, nothing near it that has one) says so.
    fn column(self, ts: Option<jiff::Timestamp>, lang: Lang) -> String {
        let (pattern, width) = match self {
            TimeFormat::Clock => ("%H:%M:%S", 8),
            TimeFormat::WithDate => ("%m-%d %H:%M:%S", 14),
        };
        match ts {
            Some(ts) => format!("{} ", ts.strftime(pattern)),
            None => {
                let none = t(lang, "no time", "无时间");
                format!("{none}{} ", " ".repeat(width - none.width().min(width)))
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn render_line<'a>(
    app: &App,
    pane: &Pane,
    line: u64,
    view: Option<&crate::parse::LogLine<'_>>,
    time_format: TimeFormat,
    label_width: usize,
    focused: bool,
    theme: Theme,
) -> Line<'a> {
    let hits = pane.hits_on(line);
    let worst = hits.iter().map(|h| h.severity).max();
    let mut spans: Vec<Span> = Vec::new();
    let Some(view) = view else {
        return Line::from(spans);
    };
    match worst {
        Some(severity) => spans.push(Span::styled(
            format!("{} ", Theme::marker(severity)),
            theme.badge(severity),
        )),
        // No known error, but the line's own level says something is wrong: a quiet
        // lowercase mark (err and worse, warning).
        None => match crate::level::of_line(view) {
            Some(level) if level >= crate::model::Level::Err => {
                spans.push(Span::styled("e ", theme.severity(Severity::Error)))
            }
            Some(crate::model::Level::Warning) => {
                spans.push(Span::styled("w ", theme.severity(Severity::Warning)))
            }
            _ => spans.push(Span::raw("  ")),
        },
    }
    spans.push(Span::styled(
        time_format.column(view.ts, app.lang),
        theme.dim(),
    ));
    if label_width > 0 {
        let label = view.label.as_deref().unwrap_or("");
        let mut shown = sanitize::visible(label.as_bytes());
        while shown.width() > label_width {
            shown.pop();
        }
        let pad = label_width - shown.width();
        spans.push(Span::styled(shown.clone(), theme.label(&shown)));
        spans.push(Span::raw(" ".repeat(pad + 1)));
    }
    if matches!(view.stream, Some(crate::parse::Stream::Stderr)) {
        spans.push(Span::styled("err ", theme.dim()));
    }

    // A line of a file read on demand whose bytes its file no longer holds: said so, styled
    // apart, never another line's text.
    let available = pane.store.get(line).is_none_or(|stored| stored.available);
    if !available {
        spans.push(Span::styled(
            sanitize::visible(crate::store::LINE_UNAVAILABLE),
            theme.dim().add_modifier(Modifier::ITALIC),
        ));
    }
    // The message, from where it starts in the raw line (hit spans are raw-line offsets).
    let (raw, _) = match available {
        true => pane.store.line(line).unwrap_or((&[][..], 0)),
        false => (&[][..], 0),
    };
    let offset = (view.message.as_ptr() as usize)
        .saturating_sub(raw.as_ptr() as usize)
        .min(raw.len());
    // The program's own timestamp, when it only repeats the time column, is left out: the
    // message gets the room.
    let repeated = view
        .ts
        .map_or(0, |ts| crate::parse::time::repeated_len(view.message, ts));
    let start = char_boundary(raw, (offset + repeated + pane.hscroll).min(raw.len()));
    let end = char_boundary(raw, (start + LINE_BYTES_SHOWN).min(raw.len()));
    let mut marks: Vec<(Range<usize>, Style)> = Vec::new();
    for hit in hits {
        for span in &hit.spans {
            marks.push((span.clone(), theme.span(hit.severity)));
        }
    }
    if let Some((_, regex)) = &app.search {
        for m in regex.find_iter(&raw[start..end]) {
            marks.push(((m.start() + start)..(m.end() + start), theme.search_match()));
        }
    }
    marks.sort_by_key(|(r, _)| r.start);
    let mut at = start;
    for (range, style) in marks {
        let range = range.start.max(at)..range.end.min(end);
        if range.start >= range.end {
            continue;
        }
        push_text(&mut spans, &raw[at..range.start], Style::new());
        push_text(&mut spans, &raw[range.clone()], style);
        at = range.end;
    }
    push_text(&mut spans, &raw[at..end], Style::new());
    let mut rendered = Line::from(spans);
    if line == pane.cursor && focused {
        rendered = rendered.patch_style(theme.cursor_row());
    } else if line == pane.cursor {
        rendered = rendered.patch_style(Style::new().add_modifier(Modifier::UNDERLINED));
    }
    rendered
}

fn push_text(spans: &mut Vec<Span>, bytes: &[u8], style: Style) {
    if bytes.is_empty() {
        return;
    }
    let mut text = String::with_capacity(bytes.len());
    sanitize::push_visible(&mut text, bytes, false);
    spans.push(Span::styled(text, style));
}

fn char_boundary(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && (bytes[at] & 0b1100_0000) == 0b1000_0000 {
        at += 1;
    }
    at
}

// ---- the hit panel ----------------------------------------------------------------------------

fn draw_panel(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    if let Some((pane, line)) = app.panel_unknown() {
        unknown::draw_panel(frame, app, area, pane, line);
        return;
    }
    let Some(r) = app.panel_hit() else {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border(false));
        let text = if app.hit_order.is_empty() {
            t(
                app.lang,
                "No known errors found (yet).  ? help",
                "（暂未）发现已知错误。  ? 帮助",
            )
        } else if app.hit_from_cursor(true).is_some() || app.following() {
            // What `n` does from here (following, it goes to the newest hit).
            t(
                app.lang,
                "n: next known error   H: all hits   ? help",
                "n：下一个已知错误   H：全部命中   ? 帮助",
            )
        } else {
            t(
                app.lang,
                "N: previous known error   H: all hits   ? help",
                "N：上一个已知错误   H：全部命中   ? 帮助",
            )
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim())).block(block),
            area,
        );
        return;
    };
    let (Some(hit), Some(entry)) = (app.hit(r), app.entry_of(r)) else {
        return;
    };
    let lang = app.lang;
    let position = app
        .hit_order
        .iter()
        .position(|o| *o == r)
        .map_or(String::new(), |i| {
            format!(" {}/{} ", i + 1, app.hit_order.len())
        });
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.severity(entry.severity))
        .title(Line::from(vec![
            Span::styled(
                format!(" {} ", severity_word(lang, entry.severity).to_uppercase()),
                theme.badge(entry.severity),
            ),
            Span::styled(format!(" {} ", entry.id), theme.heading()),
        ]))
        .title(Line::from(position).alignment(Alignment::Right))
        .title_bottom(
            Line::from(Span::styled(
                t(
                    lang,
                    " y copy command · Enter full entry · n/N next/prev hit · H all hits ",
                    " y 复制命令 · 回车 完整条目 · n/N 下一个/上一个 · H 全部命中 ",
                ),
                theme.dim(),
            ))
            .alignment(Alignment::Right),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let labels = explain::labels(lang);
    if crate::app::layout::compact_panel(frame.area()) {
        draw_compact_panel(frame, app, r, inner, theme);
        return;
    }
    let side_by_side = inner.width >= 110;
    let [left, right] = if side_by_side {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(inner);
        [left, right.inner(ratatui::layout::Margin::new(1, 0))]
    } else {
        [inner, inner]
    };

    let mut about: Vec<Line> = vec![Line::from(Span::styled(
        entry.title.get(lang).to_string(),
        theme.heading(),
    ))];
    let mut meta = Vec::new();
    if let Some(section) = &entry.postmortem {
        let mut s = format!("{}{section}", labels.postmortem);
        if let Some(lesson) = entry.lesson {
            s += &format!(", {} {lesson}", labels.lesson);
        }
        meta.push(s);
    }
    if let Some(ts) = hit.ts {
        meta.push(ts.strftime("%Y-%m-%d %H:%M:%S").to_string());
    }
    meta.push(hit_place(app, r));
    about.push(Line::from(Span::styled(meta.join(" · "), theme.dim())));
    about.push(Line::from(Span::styled(
        format!("{}:", labels.cause),
        theme.heading(),
    )));
    for paragraph in explain::reflow(entry.cause.get(lang)) {
        // Chinese has no spaces to wrap at: it is broken by display width at any character.
        match lang {
            Lang::Zh => about.extend(
                wrap::prose_lines(&paragraph, left.width.into())
                    .into_iter()
                    .map(Line::from),
            ),
            Lang::En => about.push(Line::from(paragraph)),
        }
    }
    let related = |ids: Vec<&str>| ids.join(", ");
    let leads = related(entry.leads_to.iter().map(String::as_str).collect());
    let comes = related(
        app.catalogue
            .comes_from(&entry.id)
            .map(|e| e.id.as_str())
            .collect(),
    );
    let mut chain = Vec::new();
    if !comes.is_empty() {
        chain.push(format!("{}: {comes}", labels.comes_from));
    }
    if !leads.is_empty() {
        chain.push(format!("{}: {leads}", labels.leads_to));
    }

    let mut remedy: Vec<Line> = vec![Line::from(Span::styled(
        format!("{}:", labels.remedy),
        theme.heading(),
    ))];
    let context = app.fill_context_of(r);
    let chosen = crate::catalogue::chosen_option(&entry.remedy, app.option);
    let draw_step = |remedy: &mut Vec<Line>, head: String, step: &crate::catalogue::RemedyStep| {
        if step.destructive {
            let style = theme.destructive();
            remedy.push(Line::from(vec![
                Span::styled(format!("{head}{} ", labels.destructive), style),
                Span::raw(step.text(lang).trim().to_string()),
            ]));
            if let Some(warning) = step.warning(lang) {
                remedy.push(Line::from(Span::styled(
                    format!(
                        "   ! {}",
                        fill_command_in(warning.trim(), &hit.captures, &context)
                    ),
                    style,
                )));
            }
        } else {
            let text = format!("{head}{}", step.text(lang).trim());
            match lang {
                Lang::Zh => remedy.extend(
                    wrap::prose_lines(&text, right.width.into())
                        .into_iter()
                        .map(Line::from),
                ),
                Lang::En => remedy.push(Line::from(text)),
            }
        }
        let command_style = if step.destructive {
            theme.destructive()
        } else {
            theme.command()
        };
        for cmd in &step.run {
            // Broken between words, never inside a quoted argument, continued with ` \`.
            let filled = fill_command_in(cmd, &hit.captures, &context);
            for line in wrap::command_lines(&filled.text, right.width.into(), "   $ ", "       ") {
                remedy.push(Line::from(Span::styled(line, command_style)));
            }
        }
    };
    for (n, part) in crate::catalogue::remedy_parts(&entry.remedy)
        .into_iter()
        .enumerate()
    {
        match part {
            crate::catalogue::Part::Step(step) => {
                draw_step(&mut remedy, format!("{}. ", n + 1), step)
            }
            // A choice: every option by its label, the chosen one (`o` cycles) in full.
            crate::catalogue::Part::Choice(options) => {
                remedy.push(Line::from(format!(
                    "{}. {} {}",
                    n + 1,
                    labels.one_of,
                    t(lang, "(o: next)", "（o 切换）")
                )));
                for (k, step) in options.iter().enumerate() {
                    let mark = explain::option_mark(k);
                    let label = step.option(lang).unwrap_or_default();
                    if chosen.is_some_and(|c| std::ptr::eq(c, step)) {
                        draw_step(&mut remedy, format!("▸ {mark}) {label}: "), step);
                    } else {
                        remedy.push(Line::from(Span::styled(
                            format!("  {mark}) {label}"),
                            theme.dim(),
                        )));
                    }
                }
            }
        }
    }
    for c in chain {
        remedy.push(Line::from(Span::styled(c, theme.dim())));
    }

    if side_by_side {
        // Side by side: what it is on the left, what to do on the right.
        frame.render_widget(Paragraph::new(about).wrap(Wrap { trim: false }), left);
        frame.render_widget(Paragraph::new(remedy).wrap(Wrap { trim: false }), right);
    } else {
        // Stacked, the remedy first: at 2 a.m. what to do matters most; `Enter` shows all.
        let mut lines = vec![about[0].clone()];
        lines.extend(remedy);
        lines.extend(about.into_iter().skip(1));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// The panel on a low terminal: the hit's title and the first command (what `y` copies),
/// as many of its lines as fit; `Enter` shows the whole entry.
fn draw_compact_panel(frame: &mut Frame, app: &App, r: HitRef, inner: Rect, theme: Theme) {
    let (Some(hit), Some(entry)) = (app.hit(r), app.entry_of(r)) else {
        return;
    };
    let lang = app.lang;
    let labels = explain::labels(lang);
    let mut lines = vec![Line::from(Span::styled(
        entry.title.get(lang).to_string(),
        theme.heading(),
    ))];
    // What `y` copies: the chosen option's command when the remedy offers a choice.
    let first = crate::catalogue::chosen_option(&entry.remedy, app.option)
        .and_then(|step| Some((step, step.run.first()?)))
        .or_else(|| {
            entry
                .remedy
                .iter()
                .find_map(|step| Some((step, step.run.first()?)))
        });
    let mut body: Vec<Line> = match first {
        Some((step, cmd)) => {
            let (prefix, style) = if step.destructive {
                (format!("{} $ ", labels.destructive), theme.destructive())
            } else {
                ("$ ".to_string(), theme.command())
            };
            let filled = fill_command_in(cmd, &hit.captures, &app.fill_context_of(r));
            wrap::command_lines(&filled.text, inner.width.into(), &prefix, "  ")
                .into_iter()
                .map(|line| Line::from(Span::styled(line, style)))
                .collect()
        }
        None => entry
            .remedy
            .first()
            .map(|step| Line::from(format!("1. {}", step.text(lang).trim())))
            .into_iter()
            .collect(),
    };
    let room = usize::from(inner.height).saturating_sub(1);
    if body.len() > room && room > 0 {
        // What does not fit is one key away, and says so.
        body.truncate(room);
        if let Some(last) = body.last_mut() {
            last.spans
                .push(Span::styled(t(lang, " … Enter", " … 回车"), theme.dim()));
        }
    }
    let room_left = room.saturating_sub(body.len());
    lines.extend(body);
    if room_left > 0 {
        let steps = entry.remedy.len();
        lines.push(Line::from(Span::styled(
            match lang {
                Lang::En => format!(
                    "Enter: the cause and all {steps} step{}",
                    if steps == 1 { "" } else { "s" }
                ),
                Lang::Zh => format!("回车：原因和全部 {steps} 个步骤"),
            },
            theme.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// Where a hit is: `file:line` (the file of the line's source).
fn hit_place(app: &App, r: HitRef) -> String {
    let pane = app.pane(r.pane);
    let Some(hit) = app.hit(r) else {
        return String::new();
    };
    let tag = pane.store.line(hit.line).map_or(0, |(_, tag)| tag);
    let name = pane.source_of(tag).map_or_else(
        || pane_name(app.lang, r.pane).to_string(),
        |s| short_name(&s.name),
    );
    // Lines are numbered from the pane's first; with one source that is the file's line.
    format!("{name}:{}", hit.line + 1)
}

fn pane_name(lang: Lang, id: PaneId) -> &'static str {
    match id {
        PaneId::Containers => t(lang, "containers", "容器"),
        PaneId::Host => t(lang, "host", "主机"),
    }
}

// ---- status line and prompt ----------------------------------------------------------------

fn draw_status(frame: &mut Frame, app: &App, area: Rect, theme: Theme) {
    if let Some(prompt) = &app.prompt {
        let label = match prompt.kind {
            PromptKind::Search => t(app.lang, "search /", "搜索 /"),
            PromptKind::FilterRegex => t(app.lang, "filter &", "过滤 &"),
            PromptKind::FilterFuzzy => t(app.lang, "fuzzy F", "模糊 F"),
            PromptKind::FilterOut => t(app.lang, "hide !", "隐藏 !"),
            PromptKind::Time => t(
                app.lang,
                "go to time (or 10:20-10:40) t",
                "跳到时刻（或 10:20-10:40）t",
            ),
        };
        let text = format!("{label} {}", sanitize::visible(prompt.text.as_bytes()));
        let hint = t(
            app.lang,
            "   Enter apply · Esc cancel · empty clears",
            "   回车确认 · Esc 取消 · 留空清除",
        );
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(text, theme.heading()),
                Span::styled("▏", theme.heading()),
                Span::styled(hint, theme.dim()),
            ])),
            area,
        );
        return;
    }
    if let Some(message) = &app.message {
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {message} "), theme.message())),
            area,
        );
        return;
    }
    let mut left: Vec<Span> = Vec::new();
    for id in PaneId::BOTH {
        let pane = app.pane(id);
        if !pane.has_content() {
            continue;
        }
        for source in &pane.sources {
            let state = match &source.state {
                SourceState::Loading {
                    done,
                    total: Some(total),
                } if *total > 0 => {
                    format!("{}%", done.saturating_mul(100) / total)
                }
                SourceState::Loading { .. } => t(app.lang, "loading", "加载中").to_string(),
                // Every hit is listed; `e`/`w` find more as the lines' own levels are read.
                SourceState::Marking { done, total } => format!(
                    "{} {}%",
                    t(app.lang, "reading levels", "读取级别"),
                    done.saturating_mul(100) / (*total).max(1)
                ),
                SourceState::Loaded => t(app.lang, "ok", "已载入").to_string(),
                SourceState::Live => t(app.lang, "live", "实时").to_string(),
                // Errors name files and carry what the OS or a daemon said: made safe too.
                SourceState::Waiting(why) => format!(
                    "{}: {}",
                    t(app.lang, "waiting", "等待"),
                    sanitize::visible(why.as_bytes())
                ),
                SourceState::Failed(why) => format!(
                    "{}: {}",
                    t(app.lang, "failed", "失败"),
                    sanitize::visible(why.as_bytes())
                ),
            };
            let style = match source.state {
                SourceState::Failed(_) => theme.severity(Severity::Error),
                SourceState::Waiting(_) => theme.severity(Severity::Warning),
                _ => theme.dim(),
            };
            left.push(Span::styled(
                format!(" {} ", short_name(&source.name)),
                Style::new(),
            ));
            left.push(Span::styled(format!("[{state}]"), style));
        }
    }
    let criticals = app
        .hit_order
        .iter()
        .filter(|r| {
            app.hit(**r)
                .is_some_and(|h| h.severity == Severity::Critical)
        })
        .count();
    let mut right = format!(
        "{} {} · {} {}",
        app.hit_order.len(),
        t(app.lang, "hits", "命中"),
        criticals,
        t(app.lang, "critical", "严重"),
    );
    let pane = app.pane(app.focus);
    if pane.follow {
        right += t(app.lang, " · FOLLOW", " · 跟随");
    }
    if let Some(replay) = &app.replay {
        let state = if replay.finished {
            t(app.lang, "done", "结束")
        } else if replay.paused {
            t(app.lang, "paused", "暂停")
        } else {
            t(app.lang, "playing", "播放中")
        };
        let clock = if replay.clock == jiff::Timestamp::MIN {
            String::new()
        } else {
            replay.clock.strftime(" %H:%M:%S").to_string()
        };
        right += &format!(
            " · {} {}×{clock} {state}",
            t(app.lang, "replay", "回放"),
            replay.speed
        );
    }
    if let Some((text, _)) = &app.search {
        right += &format!(" · /{}", sanitize::visible(text.as_bytes()));
    }
    for part in narrow::filters(pane) {
        right += &format!(" · {part}");
    }
    if let Some(range) = narrow::range(app) {
        right += &format!(" · {range}");
    }
    right += t(app.lang, " · ? help ", " · ? 帮助 ");
    let [l, r] = Layout::horizontal([Constraint::Min(0), Constraint::Length(right.width() as u16)])
        .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), l);
    frame.render_widget(Paragraph::new(Span::styled(right, theme.dim())), r);
}

/// `text` padded with spaces to `width` display columns, and one more.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{} ", " ".repeat(width.saturating_sub(text.width())))
}

/// A file name without its directories.
fn short_name(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    sanitize::visible(base.as_bytes())
}

// ---- overlays ---------------------------------------------------------------------------------

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2)).max(1);
    let height = height.min(area.height.saturating_sub(2)).max(1);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

fn draw_help(frame: &mut Frame, app: &App, theme: Theme) {
    let bindings = keymap::bindings();
    // The gutter's marks: what the keys walk between, and the quiet lowercase ones that are
    // the log's own level rather than a known error.
    let gutter = [
        (
            "! E W i",
            t(
                app.lang,
                "known error: critical, error, warning, info",
                "已知错误：严重、错误、警告、信息",
            ),
        ),
        (
            "e w",
            t(
                app.lang,
                "no known error; the log's own level: error, warning",
                "无已知错误；日志自身的级别：错误、警告",
            ),
        ),
    ];
    let area = popup(frame.area(), 78, (bindings.len() + gutter.len()) as u16 + 2);
    let lines: Vec<Line> = bindings
        .iter()
        .map(|b| (b.1, keymap::describe(b, app.lang)))
        .chain(gutter)
        .map(|(keys, meaning)| {
            Line::from(vec![
                Span::styled(format!("{keys:<12}"), theme.heading()),
                Span::raw(meaning),
            ])
        })
        .collect();
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        t(app.lang, " keys (Esc closes) ", " 按键（Esc 关闭） "),
        theme.heading(),
    ));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_hit_list(frame: &mut Frame, app: &App, selected: usize, theme: Theme) {
    let area = popup(
        frame.area(),
        frame.area().width.saturating_sub(4),
        frame.area().height.saturating_sub(2),
    );
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " {} ({}) — Enter {} · Esc {} ",
            t(app.lang, "all hits by time", "全部命中（按时间）"),
            match (app.lang, app.unknown.len()) {
                (_, 0) => app.hit_order.len().to_string(),
                (Lang::En, n) => format!("{} + {n} unrecognised", app.hit_order.len()),
                (Lang::Zh, n) => format!("{} + {n} 个未识别模板", app.hit_order.len()),
            },
            t(app.lang, "jumps", "跳转"),
            t(app.lang, "closes", "关闭")
        ),
        theme.heading(),
    ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);

    // Counts per entry, most severe first.
    let mut counts: Vec<(Severity, usize, String)> = Vec::new();
    for r in &app.hit_order {
        if let Some(entry) = app.entry_of(*r) {
            match counts.iter_mut().find(|c| c.2 == entry.id) {
                Some(c) => c.1 += 1,
                None => counts.push((entry.severity, 1, entry.id.clone())),
            }
        }
    }
    // Hits whose lines left the scrollback are counted still.
    for pane in &app.panes {
        for (&index, &n) in &pane.dropped_hits {
            let entry = &app.catalogue.entries()[index];
            match counts.iter_mut().find(|c| c.2 == entry.id) {
                Some(c) => c.1 += n as usize,
                None => counts.push((entry.severity, n as usize, entry.id.clone())),
            }
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let [top, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    let items: Vec<String> = counts
        .iter()
        .map(|(_, n, id)| format!("{} ×{n}", sanitize::visible(id.as_bytes())))
        .collect();
    let (rows, left_out) = fit_in_rows(&items, top.width as usize, top.height as usize);
    let mut summary: Vec<Line> = rows
        .iter()
        .map(|row| {
            let spans: Vec<Span> = row
                .iter()
                .flat_map(|&i| {
                    [
                        Span::styled(items[i].clone(), theme.severity(counts[i].0)),
                        Span::raw("  "),
                    ]
                })
                .collect();
            Line::from(spans)
        })
        .collect();
    if left_out > 0 {
        // Kinds that did not fit are counted, never dropped silently (`H` lists them all).
        let more = match app.lang {
            Lang::En => format!("+{left_out} more"),
            Lang::Zh => format!("另有 {left_out} 种"),
        };
        match summary.last_mut() {
            Some(line) => line.spans.push(Span::styled(more, theme.dim())),
            None => summary.push(Line::from(Span::styled(more, theme.dim()))),
        }
    }
    frame.render_widget(Paragraph::new(summary), top);

    let height = list.height as usize;
    let rows = app.hit_list_rows();
    let first = selected
        .saturating_sub(height / 2)
        .min(rows.len().saturating_sub(height));
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, row)| match row {
            ListRow::Hit(r) => hit_list_row(app, *r, i == selected, theme),
            ListRow::Template(id) => unknown::list_row(app, *id, i == selected, theme),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// Room kept on the last row of the hit list header for "+N more" (or its Chinese).
const MORE_WIDTH: usize = 12;

/// Items (each followed by two spaces) laid out in at most `rows` rows of `width` columns, in
/// order; what does not fit is counted, with room left on the last row for "+N more".
fn fit_in_rows(items: &[String], width: usize, rows: usize) -> (Vec<Vec<usize>>, usize) {
    let mut laid: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, item) in items.iter().enumerate() {
        let need = item.width() + 2;
        if laid.is_empty() || used + need > width {
            if laid.len() == rows || need > width {
                return make_room(laid, items, width, i);
            }
            laid.push(Vec::new());
            used = 0;
        }
        if let Some(row) = laid.last_mut() {
            row.push(i);
        }
        used += need;
    }
    (laid, 0)
}

/// Items from `shown` on did not fit: drop items from the end of the last row until
/// "+N more" fits beside them.
fn make_room(
    mut laid: Vec<Vec<usize>>,
    items: &[String],
    width: usize,
    shown: usize,
) -> (Vec<Vec<usize>>, usize) {
    let mut left_out = items.len() - shown;
    if let Some(last) = laid.last_mut() {
        let used = |row: &[usize]| row.iter().map(|&i| items[i].width() + 2).sum::<usize>();
        while !last.is_empty() && used(last) + MORE_WIDTH > width {
            last.pop();
            left_out += 1;
        }
    }
    (laid, left_out)
}

fn hit_list_row<'a>(app: &App, r: HitRef, selected: bool, theme: Theme) -> Line<'a> {
    let (Some(hit), Some(entry)) = (app.hit(r), app.entry_of(r)) else {
        return Line::default();
    };
    let pane = app.pane(r.pane);
    let time = hit
        .ts
        .map_or_else(|| " ".repeat(8), |ts| ts.strftime("%H:%M:%S").to_string());
    let available = pane.store.get(hit.line).is_some_and(|l| l.available);
    let text = match pane.view(hit.line) {
        Some((view, _)) if available => view.message,
        // Not held (gone from the scrollback, or a file read on demand): the text kept with
        // the hit.
        _ => hit.kept_text.as_deref().unwrap_or(b""),
    };
    let mut shown = String::new();
    sanitize::push_visible(
        &mut shown,
        &text[..char_boundary(text, text.len().min(LINE_BYTES_SHOWN))],
        false,
    );
    let line = Line::from(vec![
        Span::styled(format!("{time} "), theme.dim()),
        Span::raw(format!("{:<10} ", pane_name(app.lang, r.pane))),
        Span::styled(
            pad(severity_word(app.lang, entry.severity), 8),
            theme.severity(entry.severity),
        ),
        Span::styled(format!("{:<28} ", entry.id), theme.heading()),
        Span::raw(shown),
    ]);
    if selected {
        line.patch_style(theme.cursor_row())
    } else {
        line
    }
}

fn draw_entry(frame: &mut Frame, app: &App, scroll: u16, theme: Theme) {
    let Some(r) = app.panel_hit() else { return };
    let (Some(hit), Some(entry)) = (app.hit(r), app.entry_of(r)) else {
        return;
    };
    let area = popup(frame.area(), 100, frame.area().height.saturating_sub(2));
    // The card opens with the severity in capitals, in the viewer's language.
    let card = explain::render_card(&app.catalogue, entry, app.lang, &hit.captures);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.severity(entry.severity))
        .title(Span::styled(
            t(
                app.lang,
                " entry (j/k scroll · y copy · Esc closes) ",
                " 条目（j/k 滚动 · y 复制 · Esc 关闭） ",
            ),
            theme.heading(),
        ));
    // Commands wider than the card wrap between shell words (never inside quotes); Chinese
    // prose by display width. The rest wraps as drawn.
    let width = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = card
        .lines()
        .flat_map(|line| {
            let wrapped = match line.strip_prefix("     $ ") {
                _ if line.width() <= width => vec![line.to_string()],
                Some(command) => wrap::command_lines(command, width, "     $ ", "         "),
                None if app.lang == Lang::Zh => wrap::prose_lines(line, width),
                None => vec![line.to_string()],
            };
            wrapped.into_iter().map(Line::from)
        })
        .collect();
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
