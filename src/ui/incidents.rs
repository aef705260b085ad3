//! The incident windows: the list (`I`) and one incident opened from it.

use ratatui::{
    Frame,
    text::{Line, Span, Text},
    widgets::{Block, Borders, Clear, Paragraph, Wrap},
};

use super::{Theme, popup, t};
use crate::{
    app::App,
    catalogue::{Lang, Part, RemedyStep},
    explain::{self, fill_command_in},
    incident::Incident,
    model::PaneId,
    sanitize,
};

fn hms(ts: Option<jiff::Timestamp>) -> String {
    ts.map_or_else(
        || "--:--:--".to_string(),
        |t| t.strftime("%H:%M:%S").to_string(),
    )
}

/// `09:14:05–09:24:31`, or one time when the span is a moment.
fn span_of(first: Option<jiff::Timestamp>, last: Option<jiff::Timestamp>) -> String {
    if first == last {
        hms(first)
    } else {
        format!("{}–{}", hms(first), hms(last))
    }
}

/// Names from the logs, safe to draw.
fn names(list: &[String]) -> String {
    list.iter()
        .map(|n| sanitize::visible(n.as_bytes()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The chain as `oom-kill ×5 → container-unhealthy ×1 → …`.
fn chain_text(app: &App, incident: &Incident) -> String {
    incident
        .chain()
        .into_iter()
        .map(|e| {
            let count: usize = incident
                .groups
                .iter()
                .filter(|g| g.entry == e)
                .map(|g| g.count())
                .sum();
            format!("{} ×{count}", app.catalogue.entries()[e].id)
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Containers and units an incident touched, by pane.
fn affected(app: &App, incident: &Incident) -> (Vec<String>, Vec<String>) {
    let report = &app.incidents.report;
    let mut by_pane: [std::collections::BTreeSet<String>; 2] = Default::default();
    for group in &incident.groups {
        for &h in &group.hits {
            let hit = &report.hits[h];
            if let Some(writer) = &hit.writer {
                by_pane[hit.pane.index()].insert(writer.clone());
            }
        }
    }
    for stop in &incident.silent {
        by_pane[stop.pane.index()].insert(stop.writer.clone());
    }
    let [containers, units] = by_pane;
    (
        containers.into_iter().collect(),
        units.into_iter().collect(),
    )
}

pub(super) fn draw_list(frame: &mut Frame, app: &App, selected: usize, theme: Theme) {
    let incidents = &app.incidents.report.incidents;
    let area = popup(
        frame.area(),
        frame.area().width.saturating_sub(4),
        frame.area().height.saturating_sub(2),
    );
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(
            " {} ({}) — Enter {} · R {} · Esc {} ",
            t(app.lang, "incidents, root cause first", "故障（根因在前）"),
            incidents.len(),
            t(app.lang, "opens", "打开"),
            t(app.lang, "writes the report", "写出报告"),
            t(app.lang, "closes", "关闭")
        ),
        theme.heading(),
    ));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    if incidents.is_empty() {
        frame.render_widget(
            Paragraph::new(t(
                app.lang,
                "No incidents: no hits yet.",
                "没有故障：还没有命中。",
            )),
            inner,
        );
        return;
    }
    // Three rows an incident: what and when, the chain, who it touched.
    let per = 3usize;
    let fit = (inner.height as usize / per).max(1);
    let first = selected
        .saturating_sub(fit / 2)
        .min(incidents.len().saturating_sub(fit));
    let mut lines: Vec<Line> = Vec::new();
    for (i, incident) in incidents.iter().enumerate().skip(first).take(fit) {
        let root = &app.catalogue.entries()[incident.root];
        let pick = if i == selected { "▶ " } else { "  " };
        let row_style = if i == selected {
            theme.cursor_row()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(pick, row_style),
            Span::styled(
                format!("{} ", Theme::marker(incident.severity)),
                theme.severity(incident.severity),
            ),
            Span::styled(
                format!(
                    "{:>2}. {}  ×{}  ",
                    i + 1,
                    span_of(incident.first, incident.last),
                    incident.count()
                ),
                row_style,
            ),
            Span::styled(root.title.get(app.lang).to_string(), row_style),
        ]));
        let mut chain = chain_text(app, incident);
        if !incident.unrecognised.is_empty() {
            let lines: usize = incident.unrecognised.iter().map(|u| u.count).sum();
            chain += &match app.lang {
                Lang::En => format!("  + {lines} unrecognised"),
                Lang::Zh => format!("  + {lines} 条未识别"),
            };
        }
        lines.push(Line::from(vec![
            Span::raw("      "),
            Span::styled(chain, theme.dim()),
        ]));
        let (containers, units) = affected(app, incident);
        let mut who = Vec::new();
        if !containers.is_empty() {
            who.push(format!(
                "{}: {}",
                t(app.lang, "containers", "容器"),
                names(&containers)
            ));
        }
        if !units.is_empty() {
            who.push(format!(
                "{}: {}",
                t(app.lang, "host", "主机"),
                names(&units)
            ));
        }
        lines.push(Line::from(vec![
            Span::raw("      "),
            Span::raw(who.join("  ")),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_incident(frame: &mut Frame, app: &App, index: usize, scroll: u16, theme: Theme) {
    let report = &app.incidents.report;
    let Some(incident) = report.incidents.get(index) else {
        return;
    };
    let entries = app.catalogue.entries();
    let root = &entries[incident.root];
    let area = popup(frame.area(), 110, frame.area().height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.severity(incident.severity))
        .title(Span::styled(
            t(
                app.lang,
                " incident (j/k scroll · Enter jumps to it · t only its span · R report · Esc back) ",
                " 故障（j/k 滚动 · 回车跳转 · t 只看该时段 · R 报告 · Esc 返回） ",
            ),
            theme.heading(),
        ));
    let labels = explain::labels(app.lang);
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::from(vec![
        Span::styled(t(app.lang, "Root cause: ", "根因："), theme.heading()),
        Span::styled(
            format!("{} ({})", root.title.get(app.lang), root.id),
            theme.severity(root.severity),
        ),
    ]));
    lines.push(Line::from(format!(
        "{} {}  ×{}",
        t(app.lang, "When:", "时间："),
        span_of(incident.first, incident.last),
        incident.count()
    )));
    let (containers, units) = affected(app, incident);
    for (label, list) in [
        (t(app.lang, "Containers:", "容器："), &containers),
        (t(app.lang, "Host:", "主机："), &units),
    ] {
        if !list.is_empty() {
            lines.push(Line::from(format!("{label} {}", names(list))));
        }
    }
    for stop in &incident.silent {
        lines.push(Line::from(Span::styled(
            match app.lang {
                Lang::En => format!(
                    "{}: its own log stopped at {} without an error; the kill was logged at {} (a silent death)",
                    sanitize::visible(stop.writer.as_bytes()),
                    hms(Some(stop.last_line)),
                    hms(Some(stop.killed_at))
                ),
                Lang::Zh => format!(
                    "{}：其自身日志在 {} 无错误地中断；内核在 {} 杀死了进程（无声的死亡）",
                    sanitize::visible(stop.writer.as_bytes()),
                    hms(Some(stop.last_line)),
                    hms(Some(stop.killed_at))
                ),
            },
            theme.severity(crate::catalogue::Severity::Critical),
        )));
    }
    lines.push(Line::from(""));
    // The chain first, one line a link, so it is seen whole; then each link's cause and
    // remedy, in the same order.
    lines.push(Line::from(Span::styled(
        t(app.lang, "Chain of events:", "事件经过："),
        theme.heading(),
    )));
    for (n, group) in incident.groups.iter().enumerate() {
        let entry = &entries[group.entry];
        let first = &report.hits[group.hits[0]];
        let pane = match first.pane {
            PaneId::Containers => t(app.lang, "containers", "容器"),
            PaneId::Host => t(app.lang, "host", "主机"),
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "{:>2}. {}  ×{}  ",
                n + 1,
                span_of(group.first, group.last),
                group.count()
            )),
            Span::styled(
                format!("{} {}", Theme::marker(entry.severity), entry.id),
                theme.severity(entry.severity),
            ),
            Span::styled(
                format!(
                    "  [{pane}: {}]",
                    sanitize::visible(first.writer.as_deref().unwrap_or("").as_bytes())
                ),
                theme.dim(),
            ),
        ]));
    }
    // Unrecognised errors in the same window: after the chain, one line a template.
    if !incident.unrecognised.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            t(
                app.lang,
                "Unrecognised errors in the same window (no entry knows them):",
                "同一时段内未识别的错误（目录中没有条目认识）：",
            ),
            theme.heading(),
        )));
        for row in &incident.unrecognised {
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "    {}  ×{}  ",
                    span_of(row.first, row.last),
                    row.count
                )),
                Span::styled(
                    format!("? {}", sanitize::visible(row.template.as_bytes())),
                    theme.severity(crate::catalogue::Severity::Error),
                ),
                Span::styled(
                    format!(
                        "  [{}]",
                        names(if row.writers.is_empty() {
                            &row.sources
                        } else {
                            &row.writers
                        })
                    ),
                    theme.dim(),
                ),
            ]));
        }
    }
    for (n, group) in incident.groups.iter().enumerate() {
        let entry = &entries[group.entry];
        let first = &report.hits[group.hits[0]];
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled(format!("{}. ", n + 1), theme.heading()),
            Span::styled(
                format!("{} {}", entry.id, entry.title.get(app.lang)),
                theme.severity(entry.severity),
            ),
        ]));
        for paragraph in explain::reflow(entry.cause.get(app.lang)) {
            lines.push(Line::from(vec![
                Span::styled(format!("   {}: ", labels.cause), theme.dim()),
                Span::raw(paragraph),
            ]));
        }
        lines.push(Line::from(Span::styled(
            format!("   {}:", labels.remedy),
            theme.dim(),
        )));
        // The filled commands: the hit's captures, then its writer's live context and the
        // files' (as the panel fills them).
        let context = app.contexts.for_writer(first.writer.as_deref());
        let step_lines = |lines: &mut Vec<Line<'static>>, step: &RemedyStep, head: String| {
            let style = if step.destructive {
                theme.destructive()
            } else {
                ratatui::style::Style::default()
            };
            let mark = if step.destructive {
                format!("{} ", labels.destructive)
            } else {
                String::new()
            };
            lines.push(Line::from(Span::styled(
                format!("{head}{mark}{}", step.text(app.lang).trim()),
                style,
            )));
            let indent = " ".repeat(head.chars().count());
            for command in &step.run {
                let filled = fill_command_in(command, &first.captures, &context);
                lines.push(Line::from(Span::styled(
                    format!("{indent}$ {}", sanitize::visible(filled.text.as_bytes())),
                    if step.destructive {
                        theme.destructive()
                    } else {
                        theme.command()
                    },
                )));
            }
        };
        for (s, part) in crate::catalogue::remedy_parts(&entry.remedy)
            .into_iter()
            .enumerate()
        {
            match part {
                Part::Step(step) => step_lines(&mut lines, step, format!("   {}. ", s + 1)),
                Part::Choice(options) => {
                    lines.push(Line::from(format!("   {}. {}", s + 1, labels.one_of)));
                    for (k, step) in options.iter().enumerate() {
                        let label = step.option(app.lang).unwrap_or_default();
                        let head = format!("      {}) {label}: ", explain::option_mark(k));
                        step_lines(&mut lines, step, head);
                    }
                }
            }
        }
    }
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(Text::from(lines))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
