//! `triage report`: a postmortem draft written from the incidents, in the Athena Eye
//! postmortem's own structure (per incident: symptom, root cause, chain of events, log
//! excerpts, fix, lessons), in English or Chinese, or the incidents as JSON.
//!
//! The viewer writes the same report (`R`): both build a [`Report`] from the lines they hold
//! ([`Snapshot`]) and the hits on them.

use std::{fmt::Write as _, io, sync::Arc};

use jiff::Timestamp;
use serde::Serialize;

use crate::{
    catalogue::{Catalogue, Entry, Lang, Part, RemedyStep},
    explain,
    fill_context::{Contexts, FillContext},
    incident::{self, HitInput, Incident, Snapshot, UnknownLines, Unrecognised},
    loader::{self, LogFile},
    matcher::Matcher,
    model::{Ingested, PaneId},
    sanitize,
};

/// Lines of context shown before and after a hit.
const CONTEXT: u64 = 2;

/// Everything a report is written from.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub snapshot: Snapshot,
    pub hits: Vec<HitInput>,
    pub incidents: Vec<Incident>,
    /// Unrecognised errors inside no incident that flood (see [`incident::unknown`]).
    pub floods: Vec<Unrecognised>,
    /// What fills remedies' placeholders besides a hit's captures: the sources' live context
    /// and the files'.
    pub contexts: Arc<Contexts>,
}

impl Report {
    /// Group `hits` on the lines of `snapshot` into incidents.
    pub fn new(catalogue: &Catalogue, snapshot: Snapshot, hits: Vec<HitInput>) -> Report {
        Report::with_unknown(catalogue, snapshot, hits, UnknownLines::new())
    }

    /// Group `hits` into incidents and join the unrecognised errors `unknown` to them.
    pub fn with_unknown(
        catalogue: &Catalogue,
        snapshot: Snapshot,
        hits: Vec<HitInput>,
        mut unknown: UnknownLines,
    ) -> Report {
        let mut incidents = incident::incidents(catalogue, &hits, &snapshot);
        let texts = unknown.templates();
        let floods = incident::unknown::join(&mut incidents, &unknown.lines, &texts);
        Report {
            snapshot,
            hits,
            incidents,
            floods,
            contexts: Arc::default(),
        }
    }

    /// The same report, its remedies filled from `contexts` too.
    pub fn with_contexts(mut self, contexts: Arc<Contexts>) -> Report {
        self.contexts = contexts;
        self
    }

    /// Read saved logs (each pane's files together, as the viewer would show them) and match
    /// them.
    pub fn from_files(
        catalogue: &Catalogue,
        matcher: &Matcher,
        panes: [Vec<LogFile>; 2],
    ) -> Report {
        let mut snapshot = Snapshot::default();
        let mut hits = Vec::new();
        let mut unknown = UnknownLines::new();
        for pane in PaneId::BOTH {
            let files = &panes[pane.index()];
            snapshot.sources[pane.index()] = files.iter().map(|f| f.name.clone()).collect();
            let mut next_line = 0u64;
            let mut blocks = Vec::new();
            loader::load_pane(matcher, pane, files, &mut |ingested| {
                if let Ingested::Block { block, hits, .. } = ingested {
                    blocks.push((next_line, block.clone(), hits));
                    next_line += block.len() as u64;
                }
                true
            });
            snapshot.panes[pane.index()] = blocks
                .iter()
                .map(|(first, block, _)| (*first, block.clone()))
                .collect();
            for (first, block, block_hits) in &blocks {
                hits.extend(snapshot.hit_inputs(pane, *first, block_hits));
                let hit_lines = block_hits.iter().map(|h| h.index);
                unknown.add_block(&snapshot, pane, *first, block, hit_lines, u64::MAX);
            }
        }
        Report::with_unknown(catalogue, snapshot, hits, unknown)
    }

    /// A report of lines that arrived one hit at a time (Docker and the journal read once):
    /// each hit line is its own block, so excerpts are the hit lines alone.
    pub fn from_lines(
        catalogue: &Catalogue,
        lines: Vec<(
            PaneId,
            Arc<crate::model::Block>,
            Vec<crate::model::Hit>,
            String,
        )>,
    ) -> Report {
        let mut snapshot = Snapshot::default();
        let mut hits = Vec::new();
        let mut next = [0u64; 2];
        let mut pending = Vec::new();
        for (pane, block, block_hits, source) in lines {
            let p = pane.index();
            let tag = match snapshot.sources[p].iter().position(|s| *s == source) {
                Some(tag) => tag,
                None => {
                    snapshot.sources[p].push(source);
                    snapshot.sources[p].len() - 1
                }
            };
            let block = Arc::new((*block).clone().with_tag(tag as u16));
            snapshot.panes[p].push((next[p], block.clone()));
            pending.push((pane, next[p], block.clone(), block_hits));
            next[p] += block.len() as u64;
        }
        // Lines with no hit are unrecognised errors (what live sources report with
        // `--unknown`): mined into templates and joined to the incidents, as files' are.
        let mut unknown = UnknownLines::new();
        for (pane, first, block, block_hits) in pending {
            if block_hits.is_empty() {
                unknown.add_block(&snapshot, pane, first, &block, [], u64::MAX);
            }
            hits.extend(snapshot.hit_inputs(pane, first, &block_hits));
        }
        Report::with_unknown(catalogue, snapshot, hits, unknown)
    }
}

/// `report -`: stdin read to its end, as a log to report on. The report holds every line it
/// read until it is written anyway, and a process that writes one report and exits can keep
/// them for its life: the bytes are leaked into the `'static` slice the loader reads bundled
/// logs from.
pub fn stdin_log() -> io::Result<loader::LogData> {
    let mut bytes = Vec::new();
    io::Read::read_to_end(&mut io::stdin().lock(), &mut bytes)?;
    Ok(loader::LogData::Static(Box::leak(bytes.into_boxed_slice())))
}

/// Headings and fixed sentences in each language.
struct Words {
    title: &'static str,
    draft: &'static str,
    lessons_heading: &'static str,
    incidents_heading: &'static str,
    none: &'static str,
    symptom: &'static str,
    root_cause: &'static str,
    chain: &'static str,
    excerpts: &'static str,
    fix: &'static str,
    lessons: &'static str,
    when: &'static str,
    affected: &'static str,
    time: &'static str,
    count: &'static str,
    what: &'static str,
    where_: &'static str,
    more: &'static str,
    hits: &'static str,
    last_line: &'static str,
    silent: &'static str,
    no_lesson: &'static str,
    destructive: &'static str,
    unfilled: &'static str,
    fix_of: &'static str,
    unrecognised: &'static str,
    unrecognised_note: &'static str,
    template: &'static str,
    floods_heading: &'static str,
    floods_note: &'static str,
    one_of: &'static str,
}

const EN: Words = Words {
    title: "Incident report",
    draft: "A draft written by triage from the logs: check it, then fill in what the logs cannot know (what was changed, by whom, and why).",
    lessons_heading: "Lessons",
    incidents_heading: "Incidents",
    none: "No known error was found in these logs.",
    symptom: "Symptom",
    root_cause: "Root cause",
    chain: "Chain of events",
    excerpts: "Log excerpts",
    fix: "Fix",
    lessons: "Lessons",
    when: "When",
    affected: "Affected",
    time: "time (UTC)",
    count: "count",
    what: "what",
    where_: "where",
    more: "more like it until",
    hits: "hits",
    last_line: "last line, no error after it",
    silent: "its own log stopped without an error at {last}, and the kill was logged at {kill}: a silent death",
    no_lesson: "Read the logs first: the answer was in them.",
    destructive: "DESTRUCTIVE",
    unfilled: "fill in the <name> placeholders first",
    fix_of: "For",
    unrecognised: "Unrecognised errors in the same window",
    unrecognised_note: "Lines the logs mark as errors that no catalogue entry knows, grouped by template (`<*>` stands for what varies): read them, they may be part of the story.",
    template: "template",
    floods_heading: "Floods of unrecognised errors",
    floods_note: "Errors no catalogue entry knows, outside every incident, repeated at least 50 times without a 5-minute pause.",
    one_of: "One of:",
};

const ZH: Words = Words {
    title: "故障复盘报告",
    draft: "由 triage 根据日志自动生成的草稿：请核对，并补充日志无法得知的内容（改了什么、谁改的、为什么）。",
    lessons_heading: "核心经验与教训",
    incidents_heading: "详细问题复盘",
    none: "这些日志中没有发现已知错误。",
    symptom: "错误表现",
    root_cause: "原因分析",
    chain: "事件经过",
    excerpts: "日志摘录",
    fix: "解决方法",
    lessons: "总结",
    when: "时间",
    affected: "受影响",
    time: "时间 (UTC)",
    count: "次数",
    what: "内容",
    where_: "来源",
    more: "同类记录持续到",
    hits: "条",
    last_line: "最后一行日志，其后无任何错误",
    silent: "其自身日志在 {last} 无任何错误地中断，内核在 {kill} 记录了杀死进程：无声的死亡",
    no_lesson: "先看日志：答案就在日志里。",
    destructive: "危险操作",
    unfilled: "请先填写 <name> 占位符",
    fix_of: "针对",
    unrecognised: "同一时段内未识别的错误",
    unrecognised_note: "日志标记为错误、但目录中没有条目认识的行，按模板归并（`<*>` 表示可变部分）：请阅读，它们可能也是事件的一部分。",
    template: "模板",
    floods_heading: "大量重复的未识别错误",
    floods_note: "目录中没有条目认识的错误，不属于任何故障，重复至少 50 次且中间没有超过 5 分钟的停顿。",
    one_of: "以下任选其一：",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// The Athena Eye postmortem's lessons, which catalogue entries cite by number.
fn lesson(lang: Lang, n: u32) -> Option<&'static str> {
    let text = match (lang, n) {
        (Lang::En, 1) => {
            "Never underestimate what production needs as a baseline: on a 1 GB VM low memory breaks the database and even apt and sshd; with a database in the stack, 2 GB is where stable starts."
        }
        (Lang::En, 2) => {
            "Fix permissions at their root and know when they take effect: grant, log in again, verify (`groups`); old `screen` sessions keep the old groups."
        }
        (Lang::En, 3) => {
            "The logs are the way to the truth: look at them first (`docker logs <container>`, `journalctl -u <unit>`)."
        }
        (Lang::En, 4) => {
            "Give each environment its own configuration: what `.gitignore` leaves out is missing in the production image, and config files must suit the server's version."
        }
        (Lang::Zh, 1) => {
            "永远不要低估生产环境对资源的基础需求：1GB 内存会拖垮数据库，甚至 apt 和 sshd；包含数据库的应用，2GB 内存才是稳定运行的起点。"
        }
        (Lang::Zh, 2) => {
            "权限问题必须在根源上解决，并理解其生效机制：授权 -> 重新登录 -> 验证（`groups`）；旧的 `screen` 会话保持旧权限。"
        }
        (Lang::Zh, 3) => {
            "日志是通往真相的唯一路径：遇到问题先看日志（`docker logs <container>`、`journalctl -u <unit>`）。"
        }
        (Lang::Zh, 4) => {
            "必须为不同环境提供差异化、隔离的配置：被 `.gitignore` 忽略的文件在生产镜像里并不存在，配置文件必须与服务版本兼容。"
        }
        _ => return None,
    };
    Some(text)
}

/// A time as the report shows it.
fn hms(ts: Option<Timestamp>) -> String {
    ts.map_or_else(|| "—".to_string(), |t| t.strftime("%H:%M:%S").to_string())
}

fn datetime(ts: Option<Timestamp>) -> String {
    ts.map_or_else(
        || "—".to_string(),
        |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// Text from a log (a name, a line) inside an inline code span: made visible like log text,
/// and fenced with more backticks than it holds.
fn code(text: &str) -> String {
    let text = sanitize::visible(text.as_bytes()).replace(['\n', '\r'], " ");
    let longest = longest_backtick_run(&text);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A fenced block that no line of `body` can close.
fn fenced(out: &mut String, info: &str, body: &[String]) {
    let longest = body
        .iter()
        .map(|l| longest_backtick_run(l))
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{fence}{info}");
    for line in body {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{fence}");
}

fn entry_of(catalogue: &Catalogue, e: usize) -> &Entry {
    &catalogue.entries()[e]
}

/// The report as Markdown.
pub fn markdown(catalogue: &Catalogue, report: &Report, lang: Lang) -> String {
    let w = words(lang);
    let mut out = String::new();
    let sources: std::collections::BTreeSet<&str> = report
        .snapshot
        .sources
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let sources: Vec<String> = sources.into_iter().map(code).collect();
    let _ = writeln!(out, "# {}: {}\n", w.title, sources.join(", "));
    let _ = writeln!(out, "*{}*\n", w.draft);
    if report.incidents.is_empty() {
        let _ = writeln!(out, "{}", w.none);
        write_floods(&mut out, report, w, 2);
        return out;
    }
    // 1. Lessons, as the postmortem starts with them: each cited once, in incident order.
    let _ = writeln!(out, "## 1. {}\n", w.lessons_heading);
    let mut cited = Vec::new();
    for incident in &report.incidents {
        for e in incident.chain() {
            if let Some(n) = entry_of(catalogue, e).lesson
                && !cited.contains(&n)
            {
                cited.push(n);
            }
        }
    }
    cited.sort_unstable();
    if cited.is_empty() {
        let _ = writeln!(out, "- {}", w.no_lesson);
    }
    for n in &cited {
        if let Some(text) = lesson(lang, *n) {
            let _ = writeln!(out, "- **{n}.** {text}");
        }
    }
    let _ = writeln!(out, "\n## 2. {}\n", w.incidents_heading);
    for (i, incident) in report.incidents.iter().enumerate() {
        write_incident(&mut out, catalogue, report, incident, i + 1, lang);
    }
    write_floods(&mut out, report, w, 3);
    out
}

/// The floods of unrecognised errors outside every incident, as section `number`.
fn write_floods(out: &mut String, report: &Report, w: &Words, number: usize) {
    if report.floods.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {number}. {}\n", w.floods_heading);
    let _ = writeln!(out, "{}\n", w.floods_note);
    write_unrecognised(out, &report.floods, w);
}

fn write_incident(
    out: &mut String,
    catalogue: &Catalogue,
    report: &Report,
    incident: &Incident,
    number: usize,
    lang: Lang,
) {
    let w = words(lang);
    let root = entry_of(catalogue, incident.root);
    let _ = writeln!(out, "### 2.{number}. {}\n", root.title.get(lang));
    let _ = writeln!(
        out,
        "- **{}**: {} – {} UTC, {} {} ({})",
        w.when,
        datetime(incident.first),
        hms(incident.last),
        incident.count(),
        w.hits,
        incident
            .sources
            .iter()
            .map(|s| code(s))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !incident.writers.is_empty() {
        let writers: Vec<String> = incident.writers.iter().map(|s| code(s)).collect();
        let _ = writeln!(out, "- **{}**: {}", w.affected, writers.join(", "));
    }

    // Symptom: what was seen, the effects (the root itself when it stands alone).
    let _ = writeln!(out, "\n#### {}\n", w.symptom);
    let causes = incident.causes(catalogue);
    let effects: Vec<_> = incident
        .groups
        .iter()
        .filter(|g| !causes.contains(&g.entry))
        .collect();
    let shown: Vec<_> = if effects.is_empty() {
        incident.groups.iter().collect()
    } else {
        effects
    };
    let mut listed = Vec::new();
    for group in shown {
        if listed.contains(&group.entry) {
            continue;
        }
        listed.push(group.entry);
        let entry = entry_of(catalogue, group.entry);
        let _ = writeln!(out, "- {} ({})", entry.title.get(lang), code(&entry.id));
    }
    for stop in &incident.silent {
        let text = w
            .silent
            .replace("{last}", &hms(Some(stop.last_line)))
            .replace("{kill}", &hms(Some(stop.killed_at)));
        let _ = writeln!(out, "- {}: {text}", code(&stop.writer));
    }

    let _ = writeln!(out, "\n#### {}\n", w.root_cause);
    for (n, &cause) in causes.iter().enumerate() {
        let entry = entry_of(catalogue, cause);
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "**{}** ({})", entry.title.get(lang), code(&entry.id));
        for paragraph in explain::reflow(entry.cause.get(lang)) {
            let _ = writeln!(out, "\n{paragraph}");
        }
    }

    let _ = writeln!(out, "\n#### {}\n", w.chain);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |",
        w.time, w.count, w.what, w.where_
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for group in &incident.groups {
        let entry = entry_of(catalogue, group.entry);
        let span = if group.first == group.last {
            hms(group.first)
        } else {
            format!("{} – {}", hms(group.first), hms(group.last))
        };
        let writers: std::collections::BTreeSet<&str> = group
            .hits
            .iter()
            .filter_map(|&i| report.hits[i].writer.as_deref())
            .collect();
        // A `|` splits a table cell even inside a code span unless escaped (GFM).
        let writers: Vec<String> = writers
            .into_iter()
            .map(|w| code(w).replace('|', "\\|"))
            .collect();
        let _ = writeln!(
            out,
            "| {span} | {} | {} {} | {} |",
            group.count(),
            code(&entry.id),
            entry.title.get(lang).replace('|', "\\|"),
            writers.join(", ")
        );
    }

    for stop in &incident.silent {
        let _ = writeln!(
            out,
            "| {} | — | {} | {} |",
            hms(Some(stop.last_line)),
            w.last_line,
            code(&stop.writer).replace('|', "\\|")
        );
    }

    if !incident.unrecognised.is_empty() {
        let _ = writeln!(out, "\n#### {}\n", w.unrecognised);
        let _ = writeln!(out, "{}\n", w.unrecognised_note);
        write_unrecognised(out, &incident.unrecognised, w);
    }

    let _ = writeln!(out, "\n#### {}\n", w.excerpts);
    for stop in &incident.silent {
        let source = report.snapshot.source(stop.pane, stop.line);
        let _ = writeln!(
            out,
            "{}: {}:{}\n",
            code(&stop.writer),
            code(&source),
            report.snapshot.line_in_source(stop.pane, stop.line)
        );
        let lines: Vec<String> = report
            .snapshot
            .excerpt(stop.pane, stop.line, CONTEXT, 0)
            .into_iter()
            .map(|(n, text)| format!("{} {text}", if n == stop.line { ">" } else { " " }))
            .collect();
        fenced(out, "text", &lines);
        out.push('\n');
    }
    for group in &incident.groups {
        let first = &report.hits[group.hits[0]];
        let entry = entry_of(catalogue, group.entry);
        let more = if group.count() > 1 {
            format!(" (+{} {} {})", group.count() - 1, w.more, hms(group.last))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{} {}:{}{more}\n",
            code(&entry.id),
            code(&first.source),
            report_line(report, first)
        );
        let lines: Vec<String> = report
            .snapshot
            .excerpt(first.pane, first.line, CONTEXT, CONTEXT)
            .into_iter()
            .map(|(n, text)| {
                let mark = if n == first.line { ">" } else { " " };
                format!("{mark} {text}")
            })
            .collect();
        fenced(out, "text", &lines);
        out.push('\n');
    }

    let _ = writeln!(out, "#### {}\n", w.fix);
    for &cause in &causes {
        let entry = entry_of(catalogue, cause);
        // The first hit of the cause fills the placeholders: its captures, then the live
        // context of the source that wrote it, then the files'.
        let first = incident
            .groups
            .iter()
            .find(|g| g.entry == cause)
            .map(|g| &report.hits[g.hits[0]]);
        let captures = first.map(|h| h.captures.clone()).unwrap_or_default();
        let context = report
            .contexts
            .for_writer(first.and_then(|h| h.writer.as_deref()));
        if causes.len() > 1 {
            let _ = writeln!(out, "{} {}:\n", w.fix_of, code(&entry.id));
        }
        for (n, part) in crate::catalogue::remedy_parts(&entry.remedy)
            .into_iter()
            .enumerate()
        {
            match part {
                Part::Step(step) => {
                    let text = step_text(step, lang, w);
                    let _ = writeln!(out, "{}. {text}", n + 1);
                    write_commands(out, step, &captures, &context, "   ", w);
                }
                Part::Choice(options) => {
                    let _ = writeln!(out, "{}. {}\n", n + 1, w.one_of);
                    for step in options {
                        let text = step_text(step, lang, w);
                        let label = step.option(lang).unwrap_or_default();
                        let _ = writeln!(out, "   - **{label}**: {text}");
                        write_commands(out, step, &captures, &context, "     ", w);
                    }
                }
            }
        }
        out.push('\n');
    }

    let _ = writeln!(out, "#### {}\n", w.lessons);
    let mut lessons = Vec::new();
    for e in incident.chain() {
        let entry = entry_of(catalogue, e);
        if let Some(n) = entry.lesson
            && !lessons.contains(&n)
        {
            lessons.push(n);
        }
    }
    if lessons.is_empty() {
        let _ = writeln!(out, "- {}", w.no_lesson);
    }
    for n in lessons {
        if let Some(text) = lesson(lang, n) {
            let _ = writeln!(out, "- **{n}.** {text}");
        }
    }
    out.push('\n');
}

/// Rows of unrecognised errors: time, count, template, where.
fn write_unrecognised(out: &mut String, rows: &[Unrecognised], w: &Words) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |",
        w.time, w.count, w.template, w.where_
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for row in rows {
        let span = if row.first == row.last {
            hms(row.first)
        } else {
            format!("{} – {}", hms(row.first), hms(row.last))
        };
        let place: Vec<String> = if row.writers.is_empty() {
            &row.sources
        } else {
            &row.writers
        }
        .iter()
        .map(|n| code(n).replace('|', "\\|"))
        .collect();
        let _ = writeln!(
            out,
            "| {span} | {} | {} | {} |",
            row.count,
            code(&row.template).replace('|', "\\|"),
            place.join(", ")
        );
    }
}

/// A step's text for a list item, its warning after it when it is destructive.
fn step_text(step: &RemedyStep, lang: Lang, w: &Words) -> String {
    let mut text = step.text(lang).trim().replace('\n', " ");
    if step.destructive {
        text = format!("**{}**: {text}", w.destructive);
        if let Some(warning) = step.warning(lang) {
            text += &format!(" *{}*", warning.trim().replace('\n', " "));
        }
    }
    text
}

/// A step's commands, filled, as a fenced block inside its list item (`indent` in).
fn write_commands(
    out: &mut String,
    step: &RemedyStep,
    captures: &[(String, String)],
    context: &FillContext,
    indent: &str,
    w: &Words,
) {
    if step.run.is_empty() {
        return;
    }
    let filled: Vec<_> = step
        .run
        .iter()
        .map(|c| explain::fill_command_in(c, captures, context))
        .collect();
    if filled.iter().any(|f| !f.is_complete()) {
        let _ = writeln!(out, "{indent}({})", w.unfilled);
    }
    let commands: Vec<String> = filled
        .iter()
        .map(|f| format!("{indent}{}", f.text))
        .collect();
    out.push('\n');
    let mut block = String::new();
    fenced(&mut block, "sh", &commands);
    for line in block.lines() {
        if line.starts_with(indent) {
            let _ = writeln!(out, "{line}");
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    out.push('\n');
}

/// The 1-based line number of a hit in its source, as `scan` prints it: its number in the
/// pane counted from the first line of its source.
fn report_line(report: &Report, hit: &HitInput) -> u64 {
    report.snapshot.line_in_source(hit.pane, hit.line)
}

/// The incidents as data.
#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub incidents: Vec<JsonIncident>,
    /// Unrecognised errors outside every incident that flood.
    pub floods: Vec<JsonUnrecognised>,
}

/// One template of unrecognised errors: how many lines, when, from where.
#[derive(Debug, Serialize)]
pub struct JsonUnrecognised {
    pub template: String,
    pub count: usize,
    pub first: Option<String>,
    pub last: Option<String>,
    pub sources: Vec<String>,
    pub writers: Vec<String>,
}

impl JsonUnrecognised {
    fn of(row: &Unrecognised) -> JsonUnrecognised {
        JsonUnrecognised {
            template: row.template.clone(),
            count: row.count,
            first: row.first.map(|t| t.to_string()),
            last: row.last.map(|t| t.to_string()),
            sources: row.sources.clone(),
            writers: row.writers.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonIncident {
    pub root: String,
    pub chain: Vec<String>,
    pub first: Option<String>,
    pub last: Option<String>,
    pub count: usize,
    pub severity: String,
    pub sources: Vec<String>,
    pub containers: Vec<String>,
    pub units: Vec<String>,
    pub groups: Vec<JsonGroup>,
    pub silent: Vec<JsonSilent>,
    /// Unrecognised errors inside it, one per template, after the chain.
    pub unrecognised: Vec<JsonUnrecognised>,
}

#[derive(Debug, Serialize)]
pub struct JsonGroup {
    pub id: String,
    pub count: usize,
    pub first: Option<String>,
    pub last: Option<String>,
    pub writers: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct JsonSilent {
    pub container: String,
    pub last_line: String,
    pub killed_at: String,
}

/// The incidents as data: root id, chain of ids, first and last time, counts, sources,
/// containers and units.
pub fn json(catalogue: &Catalogue, report: &Report) -> JsonReport {
    let id = |e: usize| entry_of(catalogue, e).id.clone();
    let time = |t: Option<Timestamp>| t.map(|t| t.to_string());
    JsonReport {
        incidents: report
            .incidents
            .iter()
            .map(|incident| {
                let writers_in = |pane: PaneId| -> Vec<String> {
                    let mut names: std::collections::BTreeSet<String> = incident
                        .groups
                        .iter()
                        .flat_map(|g| g.hits.iter())
                        .map(|&i| &report.hits[i])
                        .filter(|h| h.pane == pane)
                        .filter_map(|h| h.writer.clone())
                        .collect();
                    names.extend(
                        incident
                            .silent
                            .iter()
                            .filter(|s| s.pane == pane)
                            .map(|s| s.writer.clone()),
                    );
                    names.into_iter().collect()
                };
                JsonIncident {
                    root: id(incident.root),
                    chain: incident.chain().into_iter().map(id).collect(),
                    first: time(incident.first),
                    last: time(incident.last),
                    count: incident.count(),
                    severity: incident.severity.as_str().to_string(),
                    sources: incident.sources.clone(),
                    containers: writers_in(PaneId::Containers),
                    units: writers_in(PaneId::Host),
                    groups: incident
                        .groups
                        .iter()
                        .map(|g| JsonGroup {
                            id: id(g.entry),
                            count: g.count(),
                            first: time(g.first),
                            last: time(g.last),
                            writers: g
                                .hits
                                .iter()
                                .filter_map(|&i| report.hits[i].writer.clone())
                                .collect::<std::collections::BTreeSet<_>>()
                                .into_iter()
                                .collect(),
                        })
                        .collect(),
                    silent: incident
                        .silent
                        .iter()
                        .map(|s| JsonSilent {
                            container: s.writer.clone(),
                            last_line: s.last_line.to_string(),
                            killed_at: s.killed_at.to_string(),
                        })
                        .collect(),
                    unrecognised: incident
                        .unrecognised
                        .iter()
                        .map(JsonUnrecognised::of)
                        .collect(),
                }
            })
            .collect(),
        floods: report.floods.iter().map(JsonUnrecognised::of).collect(),
    }
}

/// Write the JSON report, pretty, escaped like `scan --format jsonl` (nothing a terminal
/// obeys).
pub fn write_json<W: io::Write>(
    out: &mut W,
    catalogue: &Catalogue,
    report: &Report,
) -> io::Result<()> {
    let data = json(catalogue, report);
    crate::report::write_json(out, &data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ingest,
        matcher::Searcher,
        model::{Block, LineFields},
    };

    /// Lines as `triage report --docker --journal` gets them: hit lines alone, with fields.
    #[test]
    fn hits_from_docker_and_the_journal_make_incidents_with_their_containers() {
        let (catalogue, errors) = Catalogue::builtin();
        assert!(errors.is_empty());
        let matcher = Matcher::new(&catalogue);
        let searcher = Searcher::new(&matcher);
        let line = |pane, source: &str, label: &str, ts: &str, text: &str| {
            let fields = LineFields {
                ts: Some(ts.parse().unwrap()),
                label: Some(Arc::from(label)),
                ..LineFields::default()
            };
            let block = Block::from_fields([(text.as_bytes(), fields)]);
            let hits = ingest::match_block(&block, &searcher);
            assert!(!hits.is_empty(), "no hit: {text}");
            (pane, Arc::new(block), hits, source.to_string())
        };
        let lines = vec![
            line(
                PaneId::Containers,
                "docker:web-db-1",
                "web-db-1",
                "2026-11-30T10:00:01Z",
                "container web-db-1 (3f2a9c1b0d4e) event: die exitCode=137",
            ),
            line(
                PaneId::Containers,
                "docker:web-db-1",
                "web-db-1",
                "2026-11-30T10:00:01Z",
                "container web-db-1 (3f2a9c1b0d4e) state: exited ExitCode=137 OOMKilled=true Health=none RestartCount=0",
            ),
            line(
                PaneId::Host,
                "journal",
                "kernel",
                "2026-11-30T10:00:00Z",
                "Out of memory: Killed process 4242 (mysqld) total-vm:1735420kB, anon-rss:603148kB, file-rss:0kB, shmem-rss:0kB, UID:999 pgtables:1584kB oom_score_adj:0",
            ),
        ];
        let report = Report::from_lines(&catalogue, lines);
        let data = json(&catalogue, &report);
        assert_eq!(data.incidents.len(), 1, "{data:#?}");
        let incident = &data.incidents[0];
        assert_eq!(incident.root, "oom-kill");
        assert_eq!(incident.chain, ["oom-kill", "container-exit-137"]);
        assert_eq!(incident.containers, ["web-db-1"]);
        assert_eq!(incident.units, ["kernel"]);
        assert_eq!(incident.sources, ["docker:web-db-1", "journal"]);
        // The excerpt is the hit line itself, and the commands name the user's container.
        let md = markdown(&catalogue, &report, Lang::En);
        assert!(
            md.contains("> container web-db-1 (3f2a9c1b0d4e) event: die"),
            "{md}"
        );
        assert!(!md.contains("athena_eye_db"), "{md}");
    }
}
