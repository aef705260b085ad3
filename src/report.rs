//! Printers for `triage scan`: every hit in order, grouped by entry, JSON lines, or counts.
//!
//! Log text is always passed through [`crate::sanitize`] before it is written; colour is added
//! only around text that is already safe.

use std::{
    collections::BTreeMap,
    io::{self, Write},
    ops::Range,
};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use crate::{
    catalogue::{Catalogue, Entry, Lang, Severity},
    sanitize,
    scan::{Found, Unrecognised},
    templates::{self, MinerOptions, TemplateMiner},
};

/// Lines kept per template of unrecognised errors in the grouped layout; the rest counted.
const UNKNOWN_LINES_SHOWN: usize = 20;

/// How hits are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Every hit in input order, with its entry's title and first remedy step.
    InOrder,
    /// Hits grouped under their entry, with its cause and whole remedy.
    Grouped,
    /// One line per entry: how many hits, where the first was.
    Summary,
    /// One JSON object per hit.
    Jsonl,
    /// One JSON object per entry with its count.
    JsonlSummary,
}

/// Longest stretch of a log line shown in text output; the rest is elided around the match.
const EXCERPT: usize = 240;

pub struct Printer<'c, W: Write> {
    out: W,
    layout: Layout,
    catalogue: &'c Catalogue,
    lang: Lang,
    color: bool,
    /// Per entry index: hits counted, first place seen, and (grouped only) the lines.
    tally: BTreeMap<usize, Tally>,
    hits: u64,
    /// Unrecognised errors (`scan --unknown`) mined into templates, and tallied by template.
    miner: TemplateMiner,
    unknown_tally: BTreeMap<u64, UnknownTally>,
    unrecognised: u64,
    /// What fills a hit's placeholders after its captures: its source's context, the files'.
    contexts: std::sync::Arc<crate::fill_context::Contexts>,
    /// The last writer's context, and the generation of `contexts` it was looked up at.
    last_context: Option<(Option<String>, u64, crate::fill_context::FillContext)>,
}

#[derive(Default)]
struct UnknownTally {
    template: String,
    severity: Option<Severity>,
    count: u64,
    first: String,
    lines: Vec<String>,
}

/// Lines a group shows from its start, and from its end: a group's memory is bounded
/// whatever the input (an outage with every line a hit), and what is left out is counted.
const GROUP_HEAD: usize = 100;
const GROUP_TAIL: usize = 10;

#[derive(Default)]
struct Tally {
    count: u64,
    first: String,
    /// The group's first lines (up to [`GROUP_HEAD`]).
    lines: Vec<String>,
    /// Its newest lines past those (up to [`GROUP_TAIL`]).
    last: std::collections::VecDeque<String>,
    /// Lines between the two, counted.
    left_out: u64,
}

impl Tally {
    fn keep(&mut self, line: String) {
        if self.lines.len() < GROUP_HEAD {
            self.lines.push(line);
            return;
        }
        if self.last.len() == GROUP_TAIL {
            self.last.pop_front();
            self.left_out += 1;
        }
        self.last.push_back(line);
    }
}

/// A JSON line for one hit. Field names are a contract with scripts: keep them.
#[derive(Serialize)]
struct JsonHit<'a> {
    /// `null` for an unrecognised error.
    pattern: Option<&'a str>,
    severity: Severity,
    title: Option<&'a str>,
    file: &'a str,
    line: u64,
    ts: Option<String>,
    source: Option<&'a str>,
    stream: Option<crate::parse::Stream>,
    text: String,
    spans: Vec<[usize; 2]>,
    captures: BTreeMap<&'a str, &'a str>,
    /// An unrecognised error's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
}

/// A JSON line for one template of unrecognised errors in `--summary`.
#[derive(Serialize)]
struct JsonTemplateCount<'a> {
    pattern: Option<&'a str>,
    severity: Severity,
    template: &'a str,
    count: u64,
    first: &'a str,
}

#[derive(Serialize)]
struct JsonCount<'a> {
    pattern: &'a str,
    severity: Severity,
    title: &'a str,
    count: u64,
    first: &'a str,
}

impl<'c, W: Write> Printer<'c, W> {
    pub fn new(out: W, layout: Layout, catalogue: &'c Catalogue, lang: Lang, color: bool) -> Self {
        Printer {
            out,
            layout,
            catalogue,
            lang,
            color,
            tally: BTreeMap::new(),
            hits: 0,
            miner: TemplateMiner::new(MinerOptions::default()),
            unknown_tally: BTreeMap::new(),
            unrecognised: 0,
            contexts: Default::default(),
            last_context: None,
        }
    }

    /// The context of a line by `writer`, looked up again only when the writer or the
    /// contexts changed (a log's hits mostly come from the same writer).
    fn context_of(&mut self, writer: Option<&str>) -> &crate::fill_context::FillContext {
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

    /// Fill remedies from `contexts` too (live sources record into it as they read).
    pub fn with_contexts(
        mut self,
        contexts: std::sync::Arc<crate::fill_context::Contexts>,
    ) -> Self {
        self.contexts = contexts;
        self
    }

    /// Unrecognised errors printed (or counted) so far.
    pub fn unrecognised(&self) -> u64 {
        self.unrecognised
    }

    /// An unrecognised error: its message mined into a template, printed as the layout says.
    fn found_unknown(&mut self, found: &Found, unknown: Unrecognised) -> io::Result<()> {
        let message = &found.text[unknown.message_start.min(found.text.len())..];
        let body = &message[templates::message_body(message)..];
        let body = if body.is_empty() { message } else { body };
        self.miner.add(body, found.ts);
        let Some(mined) = self.miner.last() else {
            return Ok(());
        };
        let (id, template) = (mined.id, mined.text());
        let severity = unknown.level.severity();
        self.unrecognised += 1;
        let tally = self.unknown_tally.entry(id).or_default();
        tally.count += 1;
        tally.severity = tally.severity.max(Some(severity));
        tally.template.clone_from(&template);
        if tally.count == 1 {
            tally.first = format!("{}:{}", found.file, found.line);
        }
        match self.layout {
            Layout::InOrder => {
                let header = format!(
                    "{} {} {}  {}",
                    self.paint(style_location(), &location(found)),
                    self.paint(style_severity(severity), &format!("{severity:<8}")),
                    self.paint(Style::new().bold(), labels_unknown(self.lang)),
                    sanitize::visible(template.as_bytes()),
                );
                writeln!(self.out, "{header}")?;
                if let Some(when) = when(found) {
                    writeln!(self.out, "    {}", self.paint(Style::new().dimmed(), &when))?;
                }
                writeln!(self.out, "    {}", self.excerpt(found.text, &[], severity))?;
            }
            Layout::Grouped => {
                if tally.lines.len() < UNKNOWN_LINES_SHOWN {
                    let line = format!(
                        "  {}  {}",
                        self.paint(style_location(), &location(found)),
                        self.excerpt(found.text, &[], severity)
                    );
                    self.unknown_tally
                        .get_mut(&id)
                        .expect("just added")
                        .lines
                        .push(line);
                }
            }
            Layout::Jsonl => {
                let record = JsonHit {
                    pattern: None,
                    severity,
                    title: None,
                    file: found.file,
                    line: found.line,
                    ts: found.ts.map(|t| t.to_string()),
                    source: found.label,
                    stream: found.stream,
                    text: Lossy::decode(found.text).text,
                    spans: Vec::new(),
                    captures: BTreeMap::new(),
                    template: Some(&template),
                };
                write_json(&mut self.out, &record)?;
            }
            Layout::Summary | Layout::JsonlSummary => {}
        }
        Ok(())
    }

    /// The templates of unrecognised errors, most severe then most frequent first.
    fn unknown_order(&self) -> Vec<u64> {
        let mut order: Vec<u64> = self.unknown_tally.keys().copied().collect();
        order.sort_by_key(|id| {
            let t = &self.unknown_tally[id];
            (
                std::cmp::Reverse(t.severity),
                std::cmp::Reverse(t.count),
                *id,
            )
        });
        order
    }

    /// After the known errors: the templates of unrecognised errors, as the layout says.
    fn finish_unknown(&mut self) -> io::Result<()> {
        let order = self.unknown_order();
        let lang = self.lang;
        match self.layout {
            Layout::Summary => {
                for id in order {
                    let t = &self.unknown_tally[&id];
                    let severity = t.severity.unwrap_or(Severity::Error);
                    writeln!(
                        self.out,
                        "{:>6}  {}  {:<28} {}  {}",
                        t.count,
                        self.paint(style_severity(severity), &format!("{severity:<8}")),
                        labels_unknown(lang),
                        sanitize::visible(t.template.as_bytes()),
                        self.paint(
                            style_location(),
                            &format!("(first: {})", sanitize::visible(t.first.as_bytes()))
                        ),
                    )?;
                }
            }
            Layout::JsonlSummary => {
                for id in order {
                    let t = &self.unknown_tally[&id];
                    let record = JsonTemplateCount {
                        pattern: None,
                        severity: t.severity.unwrap_or(Severity::Error),
                        template: &t.template,
                        count: t.count,
                        first: &t.first,
                    };
                    write_json(&mut self.out, &record)?;
                }
            }
            Layout::Grouped => {
                for id in order {
                    let t = self.unknown_tally.remove(&id).unwrap_or_default();
                    let severity = t.severity.unwrap_or(Severity::Error);
                    writeln!(
                        self.out,
                        "{} {}  {}  ({})",
                        self.paint(
                            style_severity(severity),
                            &severity.to_string().to_uppercase()
                        ),
                        self.paint(Style::new().bold(), labels_unknown(lang)),
                        sanitize::visible(t.template.as_bytes()),
                        t.count
                    )?;
                    for line in &t.lines {
                        writeln!(self.out, "{line}")?;
                    }
                    let more = t.count.saturating_sub(t.lines.len() as u64);
                    if more > 0 {
                        writeln!(self.out, "  … {more} more")?;
                    }
                    writeln!(self.out)?;
                }
            }
            Layout::InOrder | Layout::Jsonl => {}
        }
        Ok(())
    }

    /// Hits printed (or counted) so far.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// Push what is written so far to the output: a follower's hits must show as they
    /// happen, not when a buffer fills or the scan ends.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn found(&mut self, found: &Found) -> io::Result<()> {
        if let Some(unknown) = found.unknown {
            return self.found_unknown(found, unknown);
        }
        for hit in found.hits {
            let entry = &self.catalogue.entries()[hit.entry];
            self.hits += 1;
            let tally = self.tally.entry(hit.entry).or_default();
            tally.count += 1;
            if tally.count == 1 {
                // Kept as it is for JSON (serde escapes it); made safe where printed as text.
                tally.first = format!("{}:{}", found.file, found.line);
            }
            match self.layout {
                Layout::InOrder => self.write_in_order(found, entry, &hit.spans, &hit.captures)?,
                Layout::Grouped => {
                    let line = format!(
                        "  {}  {}",
                        self.paint(style_location(), &location(found)),
                        self.excerpt(found.text, &hit.spans, entry.severity)
                    );
                    self.tally
                        .get_mut(&hit.entry)
                        .expect("just added")
                        .keep(line);
                }
                Layout::Jsonl => {
                    let decoded = Lossy::decode(found.text);
                    let record = JsonHit {
                        pattern: Some(&entry.id),
                        severity: entry.severity,
                        title: Some(entry.title.get(self.lang)),
                        file: found.file,
                        line: found.line,
                        ts: found.ts.map(|t| t.to_string()),
                        source: found.label,
                        stream: found.stream,
                        text: decoded.text.clone(),
                        spans: hit
                            .spans
                            .iter()
                            .map(|s| {
                                let start = decoded.offset(s.start, false);
                                // An empty match stays empty, even inside an invalid sequence.
                                let end = if s.is_empty() {
                                    start
                                } else {
                                    decoded.offset(s.end, true)
                                };
                                [start, end]
                            })
                            .collect(),
                        captures: hit
                            .captures
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str()))
                            .collect(),
                        template: None,
                    };
                    write_json(&mut self.out, &record)?;
                }
                Layout::Summary | Layout::JsonlSummary => {}
            }
        }
        Ok(())
    }

    fn write_in_order(
        &mut self,
        found: &Found,
        entry: &Entry,
        spans: &[Range<usize>],
        captures: &[(String, String)],
    ) -> io::Result<()> {
        let location = location(found);
        let mut header = format!(
            "{} {} {}",
            self.paint(style_location(), &location),
            self.paint(
                style_severity(entry.severity),
                &format!("{:<8}", entry.severity)
            ),
            self.paint(Style::new().bold(), &entry.id),
        );
        header.push_str("  ");
        header.push_str(entry.title.get(self.lang));
        writeln!(self.out, "{header}")?;
        if let Some(when) = when(found) {
            writeln!(self.out, "    {}", self.paint(Style::new().dimmed(), &when))?;
        }
        writeln!(
            self.out,
            "    {}",
            self.excerpt(found.text, spans, entry.severity)
        )?;
        if let Some(step) = entry.remedy.first() {
            let mut line = format!("    → {}", step.text(self.lang));
            if let Some(cmd) = step.run.first() {
                // Placeholders the hit and its context cannot fill show as `<name>`, as in
                // the viewer.
                let context = self.context_of(found.label);
                let cmd = crate::explain::fill_command_in(cmd, captures, context);
                line.push_str("  ");
                line.push_str(&self.paint(style_command(), &format!("$ {cmd}")));
            }
            writeln!(self.out, "{line}")?;
        }
        Ok(())
    }

    /// One remedy step of a group: its text after `head`, its warning and commands `indent`
    /// in.
    fn write_step(
        &mut self,
        step: &crate::catalogue::RemedyStep,
        head: &str,
        indent: &str,
    ) -> io::Result<()> {
        let lang = self.lang;
        let labels = crate::explain::labels(lang);
        if step.destructive {
            writeln!(
                self.out,
                "{head}{} {}",
                self.paint(style_severity(Severity::Critical), labels.destructive),
                step.text(lang)
            )?;
            if let Some(warning) = step.warning(lang) {
                writeln!(self.out, "{indent}! {}", warning.trim())?;
            }
        } else {
            writeln!(self.out, "{head}{}", step.text(lang))?;
        }
        // A group has no single hit to fill placeholders from: the files' context fills what
        // it can, the rest shows as `<name>`.
        let context = self.contexts.for_writer(None);
        for cmd in &step.run {
            let cmd = crate::explain::fill_command_in(cmd, &[], &context);
            writeln!(
                self.out,
                "{indent}{}",
                self.paint(style_command(), &format!("$ {cmd}"))
            )?;
        }
        Ok(())
    }

    /// Finish: print what only the end can show (groups, counts, a footer).
    pub fn finish(mut self, footer: bool) -> io::Result<()> {
        let mut order: Vec<usize> = self.tally.keys().copied().collect();
        let entries = self.catalogue.entries();
        order.sort_by_key(|&i| {
            (
                std::cmp::Reverse(entries[i].severity),
                std::cmp::Reverse(self.tally[&i].count),
                i,
            )
        });
        match self.layout {
            Layout::Grouped => {
                for &index in &order {
                    let tally = self.tally.remove(&index).unwrap_or_default();
                    self.write_group(&entries[index], &tally)?;
                }
            }
            Layout::Summary => {
                for &index in &order {
                    let entry = &entries[index];
                    let tally = &self.tally[&index];
                    writeln!(
                        self.out,
                        "{:>6}  {}  {:<28} {}  {}",
                        tally.count,
                        self.paint(
                            style_severity(entry.severity),
                            &format!("{:<8}", entry.severity)
                        ),
                        entry.id,
                        entry.title.get(self.lang),
                        self.paint(
                            style_location(),
                            &format!("(first: {})", sanitize::visible(tally.first.as_bytes()))
                        ),
                    )?;
                }
            }
            Layout::JsonlSummary => {
                for &index in &order {
                    let entry = &entries[index];
                    let tally = &self.tally[&index];
                    let record = JsonCount {
                        pattern: &entry.id,
                        severity: entry.severity,
                        title: entry.title.get(self.lang),
                        count: tally.count,
                        first: &tally.first,
                    };
                    write_json(&mut self.out, &record)?;
                }
            }
            Layout::InOrder | Layout::Jsonl => {}
        }
        let unknown_templates = self.unknown_tally.len();
        self.finish_unknown()?;
        if footer && !matches!(self.layout, Layout::Jsonl | Layout::JsonlSummary) {
            let message = match (self.lang, self.hits) {
                (Lang::En, 0) => "No known errors found.".to_string(),
                (Lang::Zh, 0) => "未发现已知错误。".to_string(),
                (Lang::En, n) => format!(
                    "{n} hit(s) of {} known error(s). Cause and full remedy: triage explain <id>",
                    self.tally.len()
                ),
                (Lang::Zh, n) => format!(
                    "共 {n} 处命中，涉及 {} 种已知错误。查看原因与完整解决步骤：triage explain <id>",
                    self.tally.len()
                ),
            };
            writeln!(self.out, "\n{}", self.paint(Style::new().bold(), &message))?;
            if self.unrecognised > 0 {
                let message = match self.lang {
                    Lang::En => format!(
                        "{} unrecognised error line(s) in {} template(s): no catalogue entry knows them.",
                        self.unrecognised, unknown_templates
                    ),
                    Lang::Zh => format!(
                        "另有 {} 行未识别的错误（{} 种模板）：目录中没有对应条目。",
                        self.unrecognised, unknown_templates
                    ),
                };
                writeln!(self.out, "{}", self.paint(Style::new().bold(), &message))?;
            }
        }
        self.out.flush()
    }

    fn write_group(&mut self, entry: &Entry, tally: &Tally) -> io::Result<()> {
        let lang = self.lang;
        writeln!(
            self.out,
            "{} {}  {}  ({})",
            self.paint(
                style_severity(entry.severity),
                &entry.severity.to_string().to_uppercase()
            ),
            self.paint(Style::new().bold(), &entry.id),
            entry.title.get(lang),
            tally.count
        )?;
        writeln!(
            self.out,
            "  {}",
            entry.cause.get(lang).trim().replace('\n', "\n  ")
        )?;
        let labels = crate::explain::labels(lang);
        for (n, part) in crate::catalogue::remedy_parts(&entry.remedy)
            .into_iter()
            .enumerate()
        {
            match part {
                crate::catalogue::Part::Step(step) => {
                    self.write_step(step, &format!("  {}. ", n + 1), "       ")?
                }
                crate::catalogue::Part::Choice(options) => {
                    writeln!(self.out, "  {}. {}", n + 1, labels.one_of)?;
                    for (k, step) in options.iter().enumerate() {
                        let head = format!(
                            "     {}) {}: ",
                            crate::explain::option_mark(k),
                            step.option(lang).unwrap_or_default()
                        );
                        self.write_step(step, &head, "          ")?;
                    }
                }
            }
        }
        for line in &tally.lines {
            writeln!(self.out, "{line}")?;
        }
        if tally.left_out > 0 {
            let more = match self.lang {
                Lang::Zh => format!("  … 另有 {} 行", tally.left_out),
                _ => format!("  … {} more lines", tally.left_out),
            };
            writeln!(self.out, "{}", self.paint(style_location(), &more))?;
        }
        for line in &tally.last {
            writeln!(self.out, "{line}")?;
        }
        writeln!(self.out)
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
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
}

/// A line as JSON carries it: decoded as `String::from_utf8_lossy` does (each invalid sequence
/// becomes U+FFFD, 3 bytes in UTF-8), with what maps byte offsets in the line to byte offsets
/// in the decoded text, so that spans point at the same characters in both.
struct Lossy {
    text: String,
    /// Each invalid sequence: (offset in the line, its length there, offset in `text`).
    invalid: Vec<(usize, usize, usize)>,
}

impl Lossy {
    fn decode(bytes: &[u8]) -> Lossy {
        let mut text = String::with_capacity(bytes.len());
        let mut invalid = Vec::new();
        let mut at = 0;
        for chunk in bytes.utf8_chunks() {
            text.push_str(chunk.valid());
            at += chunk.valid().len();
            if !chunk.invalid().is_empty() {
                invalid.push((at, chunk.invalid().len(), text.len()));
                text.push(char::REPLACEMENT_CHARACTER);
                at += chunk.invalid().len();
            }
        }
        Lossy { text, invalid }
    }

    /// The offset in `text` of byte `at` of the line. An offset inside an invalid sequence
    /// moves to the start of its U+FFFD, or past it for the `end` of a range.
    fn offset(&self, at: usize, end: bool) -> usize {
        let before = self
            .invalid
            .partition_point(|&(start, len, _)| start + len <= at);
        if let Some(&(start, _, text_at)) = self.invalid.get(before) {
            if start < at {
                return text_at + if end { 3 } else { 0 };
            }
        }
        match before.checked_sub(1).map(|i| self.invalid[i]) {
            None => at,
            Some((start, len, text_at)) => text_at + 3 + (at - start - len),
        }
    }
}

/// One JSON record and a newline. Beyond what serde_json escapes (C0 controls, `"`, `\`), C1
/// controls, DEL, bidi controls and zero-width characters are written as `\uXXXX`: a script
/// that prints a field must not reorder or drive the terminal either.
pub fn write_json<W: Write + ?Sized, T: Serialize>(out: &mut W, record: &T) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *out, SafeJson);
    record.serialize(&mut serializer).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut from = 0;
        for (at, c) in fragment.char_indices() {
            if c.is_control() || sanitize::is_invisible_format(c) {
                writer.write_all(&fragment.as_bytes()[from..at])?;
                // All of these are in the Basic Multilingual Plane: one escape each.
                write!(writer, "\\u{:04x}", c as u32)?;
                from = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[from..])
    }
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
        let mut tally = Tally::default();
        for n in 0..10_000 {
            tally.keep(format!("line {n}"));
        }
        assert_eq!(tally.lines.len(), GROUP_HEAD);
        assert_eq!(tally.last.len(), GROUP_TAIL);
        assert_eq!(tally.left_out, 10_000 - (GROUP_HEAD + GROUP_TAIL) as u64);
        assert_eq!(tally.lines[0], "line 0");
        assert_eq!(tally.last.back().unwrap(), "line 9999");
        let mut few = Tally::default();
        for n in 0..GROUP_HEAD + GROUP_TAIL {
            few.keep(format!("line {n}"));
        }
        assert_eq!(few.left_out, 0);
    }

    #[test]
    fn offsets_map_into_the_lossily_decoded_text() {
        let line = b"a\xffb\xe2\x82c\xf0";
        let lossy = Lossy::decode(line);
        assert_eq!(lossy.text, String::from_utf8_lossy(line));
        // a \xff b \xe2\x82 c \xf0 -> a U+FFFD b U+FFFD c U+FFFD
        assert_eq!(lossy.offset(0, false), 0);
        assert_eq!(lossy.offset(1, false), 1);
        assert_eq!(lossy.offset(2, false), 4);
        assert_eq!(
            &lossy.text[lossy.offset(2, false)..lossy.offset(3, true)],
            "b"
        );
        assert_eq!(
            &lossy.text[lossy.offset(3, false)..lossy.offset(5, true)],
            "\u{fffd}"
        );
        assert_eq!(lossy.offset(4, true), 8);
        assert_eq!(
            &lossy.text[lossy.offset(5, false)..lossy.offset(6, true)],
            "c"
        );
        assert_eq!(lossy.offset(7, true), lossy.text.len());
        let plain = Lossy::decode("数据 ok".as_bytes());
        assert_eq!(plain.offset(6, false), 6);
    }

    #[test]
    fn json_strings_escape_what_a_terminal_would_obey() {
        let mut out = Vec::new();
        write_json(&mut out, &"a\u{9b}b\u{7f}c\u{202e}d\u{200b}e\u{feff}\x1b").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\"a\\u009bb\\u007fc\\u202ed\\u200be\\ufeff\\u001b\"\n"
        );
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, "a\u{9b}b\u{7f}c\u{202e}d\u{200b}e\u{feff}\x1b");
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
