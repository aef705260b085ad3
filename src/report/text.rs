//! The text sinks: every hit in order ([`Standard`]), grouped under its entry ([`Grouped`]),
//! or counted ([`Summary`]). What they share (colour, excerpts, the footer) is [`TextOut`].

use std::{
    collections::{BTreeMap, VecDeque},
    io::{self, Write},
    ops::Range,
    sync::Arc,
};

use anstyle::{AnsiColor, Style};

use super::{MinedError, Sink, Tally};
use crate::{
    catalogue::{Catalogue, Entry, Lang, Part, RemedyStep, Severity},
    fill_context::{Contexts, FillContext},
    model::Hit,
    sanitize,
    scan::Found,
};

/// Longest stretch of a log line shown in text output; the rest is elided around the match.
const EXCERPT: usize = 240;

/// Lines kept per template of unrecognised errors in the grouped layout; the rest counted.
const UNKNOWN_LINES_SHOWN: usize = 20;

/// Lines a group shows from its start, and from its end: a group's memory is bounded
/// whatever the input (an outage with every line a hit), and what is left out is counted.
const GROUP_HEAD: usize = 100;
const GROUP_TAIL: usize = 10;

/// A text output: where it goes, in which language, with colour or not.
pub(super) struct TextOut<'c, W> {
    out: W,
    catalogue: &'c Catalogue,
    lang: Lang,
    color: bool,
    /// What fills a hit's placeholders after its captures: its source's context, the files'.
    contexts: Arc<Contexts>,
    /// The last writer's context, and the generation of `contexts` it was looked up at.
    last_context: Option<(Option<String>, u64, FillContext)>,
}

impl<'c, W: Write> TextOut<'c, W> {
    pub(super) fn new(out: W, catalogue: &'c Catalogue, lang: Lang, color: bool) -> Self {
        TextOut {
            out,
            catalogue,
            lang,
            color,
            contexts: Arc::default(),
            last_context: None,
        }
    }

    /// The context of a line by `writer`, looked up again only when the writer or the
    /// contexts changed (a log's hits mostly come from the same writer).
    fn context_of(&mut self, writer: Option<&str>) -> &FillContext {
        let generation = self.contexts.generation();
        let fresh = self
            .last_context
            .as_ref()
            .is_some_and(|(w, g, _)| w.as_deref() == writer && *g == generation);
        if !fresh {
            let context = self.contexts.for_writer(writer);
            self.last_context = Some((writer.map(str::to_string), generation, context));
        }
        &self.last_context.as_ref().expect("set above").2
    }

    /// One remedy step of a group: its text after `head`, its warning and commands `indent`
    /// in. A group has no single hit to fill placeholders from: the files' context fills
    /// what it can, the rest shows as `<name>`.
    fn write_step(&mut self, step: &RemedyStep, head: &str, indent: &str) -> io::Result<()> {
        let lang = self.lang;
        if step.destructive {
            let labels = crate::explain::labels(lang);
            let mark = self.paint(style_severity(Severity::Critical), labels.destructive);
            writeln!(self.out, "{head}{mark} {}", step.text(lang))?;
            if let Some(warning) = step.warning(lang) {
                writeln!(self.out, "{indent}! {}", warning.trim())?;
            }
        } else {
            writeln!(self.out, "{head}{}", step.text(lang))?;
        }
        let context = self.contexts.for_writer(None);
        for cmd in &step.run {
            let cmd = crate::explain::fill_command_in(cmd, &[], &context);
            let cmd = self.paint(style_command(), &format!("$ {cmd}"));
            writeln!(self.out, "{indent}{cmd}")?;
        }
        Ok(())
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// `file:line`, made safe and coloured.
    fn location(&self, found: &Found) -> String {
        self.paint(style_location(), &location(found))
    }

    /// The line, made safe, cut to a window around the first match, matches highlighted.
    fn excerpt(&self, text: &[u8], spans: &[Range<usize>], severity: Severity) -> String {
        let window = excerpt_window(text, spans.first().cloned().unwrap_or(0..0), EXCERPT);
        let mut out = String::new();
        if window.start > 0 {
            out.push_str(&cut_marker(window.start));
        }
        let mut at = window.start;
        for span in spans {
            let span = span.start.max(window.start)..span.end.min(window.end);
            if span.start >= span.end || span.start < at {
                continue;
            }
            sanitize::push_visible(&mut out, &text[at..span.start], true);
            let matched = sanitize::visible(&text[span.clone()]);
            out.push_str(&self.paint(style_severity(severity).bold(), &matched));
            at = span.end;
        }
        sanitize::push_visible(&mut out, &text[at..window.end], true);
        if window.end < text.len() {
            out.push_str(&cut_marker(text.len() - window.end));
        }
        out
    }

    /// A line as a group lists it: where, and the excerpt.
    fn group_line(&self, found: &Found, spans: &[Range<usize>], severity: Severity) -> String {
        format!(
            "  {}  {}",
            self.location(found),
            self.excerpt(found.text, spans, severity)
        )
    }

    /// The last words on a terminal: how much was found, and where to read more.
    fn footer(&mut self, tally: &Tally) -> io::Result<()> {
        let message = match (self.lang, tally.hits) {
            (Lang::En, 0) => "No known errors found.".to_string(),
            (Lang::Zh, 0) => "未发现已知错误。".to_string(),
            (Lang::En, n) => format!(
                "{n} hit(s) of {} known error(s). Cause and full remedy: triage explain <id>",
                tally.entries.len()
            ),
            (Lang::Zh, n) => format!(
                "共 {n} 处命中，涉及 {} 种已知错误。查看原因与完整解决步骤：triage explain <id>",
                tally.entries.len()
            ),
        };
        writeln!(self.out, "\n{}", self.paint(Style::new().bold(), &message))?;
        if tally.unrecognised > 0 {
            let message = match self.lang {
                Lang::En => format!(
                    "{} unrecognised error line(s) in {} template(s): no catalogue entry knows them.",
                    tally.unrecognised,
                    tally.templates.len()
                ),
                Lang::Zh => format!(
                    "另有 {} 行未识别的错误（{} 种模板）：目录中没有对应条目。",
                    tally.unrecognised,
                    tally.templates.len()
                ),
            };
            writeln!(self.out, "{}", self.paint(Style::new().bold(), &message))?;
        }
        Ok(())
    }

    /// The footer if wanted, then everything out.
    fn end(&mut self, tally: &Tally, footer: bool) -> io::Result<()> {
        if footer {
            self.footer(tally)?;
        }
        self.out.flush()
    }
}

/// Every hit in input order, with its entry's title and first remedy step.
pub(super) struct Standard<'c, W>(TextOut<'c, W>);

impl<'c, W: Write> Standard<'c, W> {
    pub(super) fn new(text: TextOut<'c, W>) -> Self {
        Standard(text)
    }
}

impl<W: Write> Sink for Standard<'_, W> {
    fn set_contexts(&mut self, contexts: Arc<Contexts>) {
        self.0.contexts = contexts;
    }

    fn hit(&mut self, found: &Found, hit: &Hit, entry: &Entry) -> io::Result<()> {
        let t = &mut self.0;
        let mut header = format!(
            "{} {} {}",
            t.location(found),
            t.paint(
                style_severity(entry.severity),
                &severity_cell(entry.severity, t.lang)
            ),
            t.paint(Style::new().bold(), &entry.id),
        );
        header.push_str("  ");
        header.push_str(entry.title.get(t.lang));
        writeln!(t.out, "{header}")?;
        if let Some(when) = when(found) {
            let when = t.paint(Style::new().dimmed(), &when);
            writeln!(t.out, "    {when}")?;
        }
        let excerpt = t.excerpt(found.text, &hit.spans, entry.severity);
        writeln!(t.out, "    {excerpt}")?;
        if let Some(step) = entry.remedy.first() {
            let mut line = format!("    → {}", step.text(t.lang));
            if let Some(cmd) = step.run.first() {
                // Placeholders the hit and its context cannot fill show as `<name>`, as in
                // the viewer.
                let context = t.context_of(found.label);
                let cmd = crate::explain::fill_command_in(cmd, &hit.captures, context);
                line.push_str("  ");
                line.push_str(&t.paint(style_command(), &format!("$ {cmd}")));
            }
            writeln!(t.out, "{line}")?;
        }
        Ok(())
    }

    fn unrecognised(&mut self, found: &Found, error: &MinedError) -> io::Result<()> {
        let t = &mut self.0;
        let header = format!(
            "{} {} {}  {}",
            t.location(found),
            t.paint(
                style_severity(error.severity),
                &severity_cell(error.severity, t.lang)
            ),
            t.paint(Style::new().bold(), labels_unknown(t.lang)),
            sanitize::visible(error.template.as_bytes()),
        );
        writeln!(t.out, "{header}")?;
        if let Some(when) = when(found) {
            let when = t.paint(Style::new().dimmed(), &when);
            writeln!(t.out, "    {when}")?;
        }
        let excerpt = t.excerpt(found.text, &[], error.severity);
        writeln!(t.out, "    {excerpt}")
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.out.flush()
    }

    fn finish(&mut self, tally: &Tally, footer: bool) -> io::Result<()> {
        self.0.end(tally, footer)
    }
}

/// Hits grouped under their entry, with its cause and whole remedy; then the templates of
/// unrecognised errors with their lines.
pub(super) struct Grouped<'c, W> {
    text: TextOut<'c, W>,
    /// Per entry index, the lines shown under it.
    groups: BTreeMap<usize, GroupLines>,
    /// Per template id, its first lines.
    unknown: BTreeMap<u64, Vec<String>>,
}

impl<'c, W: Write> Grouped<'c, W> {
    pub(super) fn new(text: TextOut<'c, W>) -> Self {
        Grouped {
            text,
            groups: BTreeMap::new(),
            unknown: BTreeMap::new(),
        }
    }

    fn write_group(&mut self, entry: &Entry, count: u64, lines: &GroupLines) -> io::Result<()> {
        let t = &mut self.text;
        let lang = t.lang;
        let heading = format!(
            "{} {}  {}  ({})",
            t.paint(
                style_severity(entry.severity),
                &entry.severity.word(lang).to_uppercase()
            ),
            t.paint(Style::new().bold(), &entry.id),
            entry.title.get(lang),
            count
        );
        writeln!(t.out, "{heading}")?;
        writeln!(
            t.out,
            "  {}",
            entry.cause.get(lang).trim().replace('\n', "\n  ")
        )?;
        let labels = crate::explain::labels(lang);
        for (n, part) in crate::catalogue::remedy_parts(&entry.remedy)
            .into_iter()
            .enumerate()
        {
            match part {
                Part::Step(step) => t.write_step(step, &format!("  {}. ", n + 1), "       ")?,
                Part::Choice(options) => {
                    writeln!(t.out, "  {}. {}", n + 1, labels.one_of)?;
                    for (k, step) in options.iter().enumerate() {
                        let head = format!(
                            "     {}) {}: ",
                            crate::explain::option_mark(k),
                            step.option(lang).unwrap_or_default()
                        );
                        t.write_step(step, &head, "          ")?;
                    }
                }
            }
        }
        for line in &lines.head {
            writeln!(t.out, "{line}")?;
        }
        if lines.left_out > 0 {
            let more = match lang {
                Lang::Zh => format!("  … 另有 {} 行", lines.left_out),
                _ => format!("  … {} more lines", lines.left_out),
            };
            let more = t.paint(style_location(), &more);
            writeln!(t.out, "{more}")?;
        }
        for line in &lines.tail {
            writeln!(t.out, "{line}")?;
        }
        writeln!(t.out)
    }
}

impl<W: Write> Sink for Grouped<'_, W> {
    fn set_contexts(&mut self, contexts: Arc<Contexts>) {
        self.text.contexts = contexts;
    }

    fn hit(&mut self, found: &Found, hit: &Hit, entry: &Entry) -> io::Result<()> {
        let line = self.text.group_line(found, &hit.spans, entry.severity);
        self.groups.entry(hit.entry).or_default().keep(line);
        Ok(())
    }

    fn unrecognised(&mut self, found: &Found, error: &MinedError) -> io::Result<()> {
        let lines = self.unknown.entry(error.id).or_default();
        if lines.len() < UNKNOWN_LINES_SHOWN {
            lines.push(self.text.group_line(found, &[], error.severity));
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.text.out.flush()
    }

    fn finish(&mut self, tally: &Tally, footer: bool) -> io::Result<()> {
        let catalogue = self.text.catalogue;
        for index in tally.entry_order(catalogue) {
            let lines = self.groups.remove(&index).unwrap_or_default();
            let count = tally.entries[&index].count;
            self.write_group(&catalogue.entries()[index], count, &lines)?;
        }
        let t = &mut self.text;
        for id in tally.template_order() {
            let count = &tally.templates[&id];
            let lines = self.unknown.remove(&id).unwrap_or_default();
            let severity = count.severity.unwrap_or(Severity::Error);
            let heading = format!(
                "{} {}  {}  ({})",
                t.paint(
                    style_severity(severity),
                    &severity.word(t.lang).to_uppercase()
                ),
                t.paint(Style::new().bold(), labels_unknown(t.lang)),
                sanitize::visible(count.template.as_bytes()),
                count.count
            );
            writeln!(t.out, "{heading}")?;
            for line in &lines {
                writeln!(t.out, "{line}")?;
            }
            let more = count.count.saturating_sub(lines.len() as u64);
            if more > 0 {
                writeln!(t.out, "  … {more} more")?;
            }
            writeln!(t.out)?;
        }
        t.end(tally, footer)
    }
}

/// The lines a group shows: its first ones, its newest ones, the count of those between.
#[derive(Default)]
struct GroupLines {
    /// The group's first lines (up to [`GROUP_HEAD`]).
    head: Vec<String>,
    /// Its newest lines past those (up to [`GROUP_TAIL`]).
    tail: VecDeque<String>,
    /// Lines between the two, counted.
    left_out: u64,
}

impl GroupLines {
    fn keep(&mut self, line: String) {
        if self.head.len() < GROUP_HEAD {
            self.head.push(line);
            return;
        }
        if self.tail.len() == GROUP_TAIL {
            self.tail.pop_front();
            self.left_out += 1;
        }
        self.tail.push_back(line);
    }
}

/// One line per entry: how many hits, where the first was; then the same per template.
pub(super) struct Summary<'c, W>(TextOut<'c, W>);

impl<'c, W: Write> Summary<'c, W> {
    pub(super) fn new(text: TextOut<'c, W>) -> Self {
        Summary(text)
    }
}

impl<W: Write> Sink for Summary<'_, W> {
    fn flush(&mut self) -> io::Result<()> {
        self.0.out.flush()
    }

    fn finish(&mut self, tally: &Tally, footer: bool) -> io::Result<()> {
        let t = &mut self.0;
        let first = |t: &TextOut<W>, first: &str| {
            t.paint(
                style_location(),
                &format!("(first: {})", sanitize::visible(first.as_bytes())),
            )
        };
        for index in tally.entry_order(t.catalogue) {
            let entry = &t.catalogue.entries()[index];
            let count = &tally.entries[&index];
            let line = format!(
                "{:>6}  {}  {:<28} {}  {}",
                count.count,
                t.paint(
                    style_severity(entry.severity),
                    &severity_cell(entry.severity, t.lang)
                ),
                entry.id,
                entry.title.get(t.lang),
                first(t, &count.first),
            );
            writeln!(t.out, "{line}")?;
        }
        for id in tally.template_order() {
            let count = &tally.templates[&id];
            let severity = count.severity.unwrap_or(Severity::Error);
            let line = format!(
                "{:>6}  {}  {:<28} {}  {}",
                count.count,
                t.paint(style_severity(severity), &severity_cell(severity, t.lang)),
                labels_unknown(t.lang),
                sanitize::visible(count.template.as_bytes()),
                first(t, &count.first),
            );
            writeln!(t.out, "{line}")?;
        }
        t.end(tally, footer)
    }
}

/// A severity's name in `lang`, padded to 8 columns (a Chinese character takes two).
pub fn severity_cell(severity: Severity, lang: Lang) -> String {
    let word = severity.word(lang);
    let width = unicode_width::UnicodeWidthStr::width(word);
    format!("{word}{}", " ".repeat(8usize.saturating_sub(width)))
}

/// What an unrecognised error is called where a catalogue id would stand.
fn labels_unknown(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "unrecognised",
        Lang::Zh => "未识别",
    }
}

/// When and who, for the line under a hit's header (made safe).
fn when(found: &Found) -> Option<String> {
    match (found.ts, found.label) {
        (Some(ts), Some(label)) => Some(format!("{ts} {}", sanitize::visible(label.as_bytes()))),
        (Some(ts), None) => Some(ts.to_string()),
        (None, Some(label)) => Some(sanitize::visible(label.as_bytes())),
        (None, None) => None,
    }
}

/// Where a hit was, `file:line`, the file name made safe like log text: a name can hold
/// anything but `/` and NUL, escapes included.
fn location(found: &Found) -> String {
    format!(
        "{}:{}",
        sanitize::visible(found.file.as_bytes()),
        found.line
    )
}

/// A window of at most `max` bytes of `text` that shows `focus` (or its start), cut at
/// UTF-8 character boundaries.
/// The part of a long line shown around `focus`, at most about `max` bytes. A cut ends at a
/// space when one is near (so no word or number is shown in part), else at a character
/// boundary; bytes are cut only where the marker saying so takes less room than they do.
fn excerpt_window(text: &[u8], focus: Range<usize>, max: usize) -> Range<usize> {
    if text.len() <= max {
        return 0..text.len();
    }
    let before = max / 4;
    let mut start = focus.start.saturating_sub(before);
    let mut end = (start + max).min(text.len());
    start = end.saturating_sub(max).min(start);
    // Near the cut, the nearest space inward (not past the match).
    let keep_from = focus.start.min(text.len());
    let keep_to = focus.end.clamp(keep_from, text.len());
    if start > 0 {
        if let Some(space) = text[start..(start + SNAP).min(keep_from)]
            .iter()
            .position(|&b| b == b' ')
        {
            start += space;
        }
    }
    if end < text.len() {
        let from = end.saturating_sub(SNAP).max(keep_to).min(end);
        if let Some(space) = text[from..end].iter().rposition(|&b| b == b' ') {
            end = from + space + 1;
        }
    }
    while start > 0 && is_continuation(text[start]) {
        start -= 1;
    }
    while end < text.len() && is_continuation(text[end]) {
        end += 1;
    }
    if cut_marker(start).len() >= start {
        start = 0;
    }
    if cut_marker(text.len() - end).len() >= text.len() - end {
        end = text.len();
    }
    start..end
}

/// How far a cut may move to end at a space.
const SNAP: usize = 24;

/// What stands for `bytes` cut from a line.
fn cut_marker(bytes: usize) -> String {
    format!("…[{bytes} bytes]")
}

fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

/// A card from [`crate::explain::render_card`] (plain, already safe) with colour: the
/// heading in its severity's colour, commands as `scan` shows them.
pub fn paint_card(card: &str, severity: Severity) -> String {
    let paint = |style: Style, text: &str| format!("{style}{text}{style:#}");
    let mut out = String::with_capacity(card.len() + 256);
    for (n, line) in card.split_inclusive('\n').enumerate() {
        let (text, newline) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        if n == 0 {
            out += &paint(style_severity(severity).bold(), text);
        } else if text.trim_start().starts_with("$ ") {
            out += &paint(style_command(), text);
        } else {
            out += text;
        }
        out += newline;
    }
    out
}

fn style_severity(severity: Severity) -> Style {
    let color = match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    let style = Style::new().fg_color(Some(color.into()));
    if severity == Severity::Critical {
        style.bold()
    } else {
        style
    }
}

fn style_location() -> Style {
    Style::new().fg_color(Some(AnsiColor::Magenta.into()))
}

fn style_command() -> Style {
    Style::new().fg_color(Some(AnsiColor::Green.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_keeps_its_first_and_newest_lines_and_counts_the_rest() {
        let mut lines = GroupLines::default();
        for n in 0..10_000 {
            lines.keep(format!("line {n}"));
        }
        assert_eq!(lines.head.len(), GROUP_HEAD);
        assert_eq!(lines.tail.len(), GROUP_TAIL);
        assert_eq!(lines.left_out, 10_000 - (GROUP_HEAD + GROUP_TAIL) as u64);
        assert_eq!(lines.head[0], "line 0");
        assert_eq!(lines.tail.back().unwrap(), "line 9999");
        let mut few = GroupLines::default();
        for n in 0..GROUP_HEAD + GROUP_TAIL {
            few.keep(format!("line {n}"));
        }
        assert_eq!(few.left_out, 0);
    }

    #[test]
    fn excerpt_windows_keep_the_match_and_whole_characters() {
        assert_eq!(excerpt_window(b"short", 1..2, 240), 0..5);
        let long = vec![b'a'; 1000];
        let w = excerpt_window(&long, 500..510, 100);
        assert!(w.contains(&500) && w.len() == 100);
        let w = excerpt_window(&long, 990..1000, 100);
        assert_eq!(w, 900..1000);
        let cjk = "数".repeat(100);
        let w = excerpt_window(cjk.as_bytes(), 151..154, 50);
        assert!(std::str::from_utf8(&cjk.as_bytes()[w]).is_ok());
    }

    #[test]
    fn a_cut_saves_more_than_its_marker_takes_and_ends_at_a_space() {
        // Three bytes over: cutting them would cost `…[3 bytes]`, more than it saves.
        let line = format!("- 1123914312 {}", "x".repeat(240));
        let focus = line.len() - 10..line.len();
        assert_eq!(excerpt_window(line.as_bytes(), focus, 250), 0..line.len());
        // The same at the end: 11 bytes are shown rather than `…[11 bytes]`.
        let line = format!("{}12345678901", "a".repeat(240));
        assert_eq!(excerpt_window(line.as_bytes(), 0..5, 240), 0..line.len());
        // A real cut stops at a space, not inside a word or number.
        let line = format!(
            "{}2026-11-29T08:02:40 {}",
            "1123914312 ".repeat(10),
            "z".repeat(300)
        );
        let at = line.find("2026").unwrap();
        for cut in 0..11 {
            let w = excerpt_window(line.as_bytes(), at + cut..at + 19, 240);
            assert!(
                w.start > 0 && line.as_bytes()[w.start] == b' ',
                "{cut}: {w:?}"
            );
        }
    }
}
