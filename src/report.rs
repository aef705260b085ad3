//! Printers for `triage scan`: every hit in order, grouped by entry, a summary, or JSON lines.
//!
//! Each output is a [`Sink`] of its own (as ripgrep's printers are), chosen once from the
//! [`Layout`]; the [`Printer`] in front of it counts what goes through (per entry, per
//! template of unrecognised errors) so no sink keeps tallies of its own, and mines
//! unrecognised errors into templates once for all of them.
//!
//! Log text is always passed through [`crate::sanitize`] before it is written; colour is added
//! only around text that is already safe.

mod json;
mod text;

use std::{collections::BTreeMap, io};

use crate::{
    catalogue::{Catalogue, Entry, Lang, Severity},
    model::Hit,
    scan::{Found, Unrecognised},
    templates::{self, MinerOptions, TemplateMiner},
};

pub use json::write_json;
pub use text::{paint_card, severity_cell};

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

/// Where the hits of a scan go: one implementation per output. Hits come in input order;
/// what only the end can show is written by [`Sink::finish`], from the [`Tally`] of all.
/// A sink that shows only counts leaves out `hit` and `unrecognised`: the tally has them.
pub trait Sink {
    /// A hit of `entry` on `found`'s line (a line's hits come one after the other).
    fn hit(&mut self, _found: &Found, _hit: &Hit, _entry: &Entry) -> io::Result<()> {
        Ok(())
    }
    /// An unrecognised error (`scan --unknown`) on `found`'s line, as mined.
    fn unrecognised(&mut self, _found: &Found, _error: &MinedError) -> io::Result<()> {
        Ok(())
    }
    /// What fills remedies' placeholders besides a hit's captures (a sink that prints no
    /// command leaves this out).
    fn set_contexts(&mut self, _contexts: std::sync::Arc<crate::fill_context::Contexts>) {}
    /// Push what is written so far to the output.
    fn flush(&mut self) -> io::Result<()>;
    /// The end: groups, counts, a footer (text on a terminal only), then flush.
    fn finish(&mut self, tally: &Tally, footer: bool) -> io::Result<()>;
}

/// An unrecognised error's template, as the miner has it after this line.
#[derive(Debug, Clone, Copy)]
pub struct MinedError<'t> {
    /// The template's id (stable while it is refined).
    pub id: u64,
    pub template: &'t str,
    /// From the line's own level.
    pub severity: Severity,
}

/// What went through a printer, counted: the same for every sink.
#[derive(Debug, Default)]
pub struct Tally {
    /// Per entry index.
    pub entries: BTreeMap<usize, Count>,
    /// Per template id of unrecognised errors.
    pub templates: BTreeMap<u64, TemplateCount>,
    pub hits: u64,
    pub unrecognised: u64,
}

/// Hits of one entry.
#[derive(Debug, Default)]
pub struct Count {
    pub count: u64,
    /// `file:line` of the first, as it is (made safe where printed as text).
    pub first: String,
}

/// Unrecognised errors of one template.
#[derive(Debug, Default)]
pub struct TemplateCount {
    pub template: String,
    /// The worst of its lines' levels.
    pub severity: Option<Severity>,
    pub count: u64,
    pub first: String,
}

impl Tally {
    /// Entries hit, most severe then most frequent first.
    pub fn entry_order(&self, catalogue: &Catalogue) -> Vec<usize> {
        let entries = catalogue.entries();
        let mut order: Vec<usize> = self.entries.keys().copied().collect();
        order.sort_by_key(|&i| {
            (
                std::cmp::Reverse(entries[i].severity),
                std::cmp::Reverse(self.entries[&i].count),
                i,
            )
        });
        order
    }

    /// Templates of unrecognised errors, most severe then most frequent first.
    pub fn template_order(&self) -> Vec<u64> {
        let mut order: Vec<u64> = self.templates.keys().copied().collect();
        order.sort_by_key(|id| {
            let t = &self.templates[id];
            (
                std::cmp::Reverse(t.severity),
                std::cmp::Reverse(t.count),
                *id,
            )
        });
        order
    }
}

/// Counts what goes through and hands it to the sink the layout chose.
pub struct Printer<'c> {
    sink: Box<dyn Sink + 'c>,
    catalogue: &'c Catalogue,
    tally: Tally,
    /// Unrecognised errors (`scan --unknown`) mined into templates.
    miner: TemplateMiner,
}

impl<'c> Printer<'c> {
    pub fn new<W: io::Write + 'c>(
        out: W,
        layout: Layout,
        catalogue: &'c Catalogue,
        lang: Lang,
        color: bool,
    ) -> Self {
        Printer::with_sink(sink(out, layout, catalogue, lang, color), catalogue)
    }

    pub fn with_sink(sink: Box<dyn Sink + 'c>, catalogue: &'c Catalogue) -> Self {
        Printer {
            sink,
            catalogue,
            tally: Tally::default(),
            miner: TemplateMiner::new(MinerOptions::default()),
        }
    }

    /// Fill remedies from `contexts` too (live sources record into it as they read).
    pub fn with_contexts(
        mut self,
        contexts: std::sync::Arc<crate::fill_context::Contexts>,
    ) -> Self {
        self.sink.set_contexts(contexts);
        self
    }

    /// Hits printed (or counted) so far.
    pub fn hits(&self) -> u64 {
        self.tally.hits
    }

    /// Unrecognised errors printed (or counted) so far.
    pub fn unrecognised(&self) -> u64 {
        self.tally.unrecognised
    }

    /// Push what is written so far to the output: a follower's hits must show as they
    /// happen, not when a buffer fills or the scan ends.
    pub fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }

    pub fn found(&mut self, found: &Found) -> io::Result<()> {
        if let Some(unknown) = found.unknown {
            return self.found_unknown(found, unknown);
        }
        for hit in found.hits {
            let entry = &self.catalogue.entries()[hit.entry];
            self.tally.hits += 1;
            let count = self.tally.entries.entry(hit.entry).or_default();
            count.count += 1;
            if count.count == 1 {
                count.first = format!("{}:{}", found.file, found.line);
            }
            self.sink.hit(found, hit, entry)?;
        }
        Ok(())
    }

    /// An unrecognised error: its message mined into a template, counted, then printed.
    fn found_unknown(&mut self, found: &Found, unknown: Unrecognised) -> io::Result<()> {
        let message = &found.text[unknown.message_start.min(found.text.len())..];
        let example = || templates::example_text(templates::mined_part(message));
        match found.masked {
            Some(tokens) => self.miner.add_masked(tokens, example, found.ts),
            None => self
                .miner
                .add_masked(&templates::mask_mined(message), example, found.ts),
        };
        let Some(mined) = self.miner.last() else {
            return Ok(());
        };
        let id = mined.id;
        let severity = unknown.level.severity();
        self.tally.unrecognised += 1;
        let count = self.tally.templates.entry(id).or_default();
        count.count += 1;
        count.severity = count.severity.max(Some(severity));
        // Joined as it was (most lines of a template): the text kept is still the template's.
        if self.miner.last_changed() || count.count == 1 {
            count.template = mined.text();
        }
        if count.count == 1 {
            count.first = format!("{}:{}", found.file, found.line);
        }
        let error = MinedError {
            id,
            template: &count.template,
            severity,
        };
        self.sink.unrecognised(found, &error)
    }

    /// Finish: print what only the end can show (groups, counts, a footer).
    pub fn finish(mut self, footer: bool) -> io::Result<()> {
        self.sink.finish(&self.tally, footer)
    }
}

/// The sink for `layout`, writing to `out`.
pub fn sink<'c, W: io::Write + 'c>(
    out: W,
    layout: Layout,
    catalogue: &'c Catalogue,
    lang: Lang,
    color: bool,
) -> Box<dyn Sink + 'c> {
    match layout {
        Layout::InOrder => Box::new(text::Standard::new(text::TextOut::new(
            out, catalogue, lang, color,
        ))),
        Layout::Grouped => Box::new(text::Grouped::new(text::TextOut::new(
            out, catalogue, lang, color,
        ))),
        Layout::Summary => Box::new(text::Summary::new(text::TextOut::new(
            out, catalogue, lang, color,
        ))),
        Layout::Jsonl => Box::new(json::Json::new(out, lang)),
        Layout::JsonlSummary => Box::new(json::JsonSummary::new(out, catalogue, lang)),
    }
}

#[cfg(test)]
mod tests {
    use std::{cell::RefCell, rc::Rc};

    use super::*;
    use crate::model::Level;

    /// An output whose bytes the test can read while the sink still holds it.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.borrow().clone()).unwrap()
        }
    }

    const OOM: &str = "Out of memory: Killed process 4242 (mysqld) total-vm:1735420kB";
    const DPKG: &str = "E: dpkg was interrupted, you must manually run 'sudo dpkg --configure -a' to correct the problem.";

    fn hit(catalogue: &Catalogue, id: &str, text: &str) -> Hit {
        let entry = catalogue.index_of(id).unwrap();
        Hit {
            index: 0,
            entry,
            severity: catalogue.entries()[entry].severity,
            spans: std::iter::once(0..text.len().min(13)).collect(),
            captures: Vec::new(),
            ts: None,
        }
    }

    fn found<'a>(text: &'a str, line: u64, hits: &'a [Hit]) -> Found<'a> {
        Found {
            file: "host.log",
            line,
            ts: None,
            label: None,
            stream: None,
            text: text.as_bytes(),
            hits,
            unknown: None,
            masked: None,
        }
    }

    /// dpkg twice, the OOM kill once, and one unrecognised error, through `printer`.
    fn feed(printer: &mut Printer, catalogue: &Catalogue) {
        let dpkg = [hit(catalogue, "dpkg-interrupted", DPKG)];
        let oom = [hit(catalogue, "oom-kill", OOM)];
        printer.found(&found(DPKG, 3, &dpkg)).unwrap();
        printer.found(&found(OOM, 7, &oom)).unwrap();
        printer.found(&found(DPKG, 9, &dpkg)).unwrap();
        let unknown = Found {
            unknown: Some(Unrecognised {
                level: Level::Err,
                message_start: 0,
            }),
            ..found("worker 3 lost its lease on shard 17", 11, &[])
        };
        printer.found(&unknown).unwrap();
    }

    /// What a sink's `finish` was handed: (entry, count, first) per entry, (template, count)
    /// per template, hits, unrecognised errors.
    type Finished = (Vec<(usize, u64, String)>, Vec<(String, u64)>, u64, u64);

    #[derive(Default)]
    struct Recorded {
        calls: Vec<String>,
        finished: Option<Finished>,
    }

    /// A sink that records what it is handed.
    struct Recorder<'r>(&'r RefCell<Recorded>);

    impl Sink for Recorder<'_> {
        fn hit(&mut self, found: &Found, _: &Hit, entry: &Entry) -> io::Result<()> {
            let call = format!("hit {} {}", found.line, entry.id);
            self.0.borrow_mut().calls.push(call);
            Ok(())
        }
        fn unrecognised(&mut self, found: &Found, error: &MinedError) -> io::Result<()> {
            let call = format!("unrecognised {} {}", found.line, error.template);
            self.0.borrow_mut().calls.push(call);
            Ok(())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.0.borrow_mut().calls.push("flush".into());
            Ok(())
        }
        fn finish(&mut self, tally: &Tally, _: bool) -> io::Result<()> {
            let entries = tally
                .entries
                .iter()
                .map(|(&i, c)| (i, c.count, c.first.clone()))
                .collect();
            let templates = tally
                .templates
                .values()
                .map(|t| (t.template.clone(), t.count))
                .collect();
            let finished = (entries, templates, tally.hits, tally.unrecognised);
            self.0.borrow_mut().finished = Some(finished);
            Ok(())
        }
    }

    #[test]
    fn the_printer_hands_every_hit_in_order_and_the_tally_at_the_end() {
        let (catalogue, _) = Catalogue::builtin();
        let recorded = RefCell::new(Recorded::default());
        let mut printer = Printer::with_sink(Box::new(Recorder(&recorded)), &catalogue);
        feed(&mut printer, &catalogue);
        assert_eq!((printer.hits(), printer.unrecognised()), (3, 1));
        printer.finish(false).unwrap();
        let recorded = recorded.into_inner();
        assert_eq!(
            recorded.calls,
            [
                "hit 3 dpkg-interrupted",
                "hit 7 oom-kill",
                "hit 9 dpkg-interrupted",
                "unrecognised 11 worker <*> lost its lease on shard <*>",
            ]
        );
        let dpkg = catalogue.index_of("dpkg-interrupted").unwrap();
        let oom = catalogue.index_of("oom-kill").unwrap();
        let (entries, templates, hits, unrecognised) = recorded.finished.unwrap();
        let mut expected = vec![
            (dpkg, 2, "host.log:3".to_string()),
            (oom, 1, "host.log:7".to_string()),
        ];
        expected.sort();
        assert_eq!(entries, expected);
        assert_eq!(templates.len(), 1);
        assert_eq!((hits, unrecognised), (3, 1));
    }

    #[test]
    fn entries_are_ordered_most_severe_then_most_frequent() {
        let (catalogue, _) = Catalogue::builtin();
        let mut tally = Tally::default();
        let dpkg = catalogue.index_of("dpkg-interrupted").unwrap();
        let oom = catalogue.index_of("oom-kill").unwrap();
        assert!(catalogue.entries()[oom].severity > catalogue.entries()[dpkg].severity);
        tally.entries.insert(
            dpkg,
            Count {
                count: 9,
                first: String::new(),
            },
        );
        tally.entries.insert(
            oom,
            Count {
                count: 1,
                first: String::new(),
            },
        );
        assert_eq!(tally.entry_order(&catalogue), [oom, dpkg]);
    }

    /// In order and JSON lines write each hit as it comes (a follower or a pipe sees it at
    /// once); grouped and summary layouts hold everything for the end.
    #[test]
    fn each_layout_writes_when_it_can() {
        let (catalogue, _) = Catalogue::builtin();
        for layout in [
            Layout::InOrder,
            Layout::Jsonl,
            Layout::Grouped,
            Layout::Summary,
            Layout::JsonlSummary,
        ] {
            let out = Shared::default();
            let mut printer = Printer::new(out.clone(), layout, &catalogue, Lang::En, false);
            feed(&mut printer, &catalogue);
            printer.flush().unwrap();
            let streamed = out.text();
            printer.finish(false).unwrap();
            let all = out.text();
            match layout {
                Layout::InOrder => {
                    assert_eq!(streamed, all, "{layout:?}");
                    let headers: Vec<&str> = all.lines().filter(|l| !l.starts_with(' ')).collect();
                    assert_eq!(headers.len(), 4, "{all}");
                    assert!(headers[0].starts_with("host.log:3 error    dpkg-interrupted  "));
                    assert!(headers[1].starts_with("host.log:7 critical oom-kill  "));
                    assert!(headers[3].starts_with("host.log:11 error    unrecognised  "));
                }
                Layout::Jsonl => {
                    assert_eq!(streamed, all, "{layout:?}");
                    let records: Vec<serde_json::Value> = all
                        .lines()
                        .map(|l| serde_json::from_str(l).unwrap())
                        .collect();
                    let patterns: Vec<_> = records.iter().map(|r| r["pattern"].clone()).collect();
                    assert_eq!(
                        patterns,
                        [
                            serde_json::json!("dpkg-interrupted"),
                            serde_json::json!("oom-kill"),
                            serde_json::json!("dpkg-interrupted"),
                            serde_json::Value::Null,
                        ]
                    );
                    assert_eq!(records[1]["spans"], serde_json::json!([[0, 13]]));
                }
                Layout::Grouped => {
                    assert_eq!(streamed, "", "{layout:?}");
                    let headers: Vec<&str> = all
                        .lines()
                        .filter(|l| !l.is_empty() && !l.starts_with(' '))
                        .collect();
                    assert_eq!(headers.len(), 3, "{all}");
                    assert!(headers[0].starts_with("CRITICAL oom-kill  "), "{all}");
                    assert!(headers[1].starts_with("ERROR dpkg-interrupted  "), "{all}");
                    assert!(headers[1].ends_with("(2)"), "{all}");
                    assert!(headers[2].starts_with("ERROR unrecognised  "), "{all}");
                    assert!(all.contains("  host.log:9  "), "{all}");
                }
                Layout::Summary => {
                    assert_eq!(streamed, "", "{layout:?}");
                    let lines: Vec<&str> = all.lines().collect();
                    assert_eq!(lines.len(), 3, "{all}");
                    assert!(lines[0].starts_with("     1  critical  oom-kill "), "{all}");
                    assert!(lines[1].contains("(first: host.log:3)"), "{all}");
                    assert!(lines[2].contains("  unrecognised "), "{all}");
                }
                Layout::JsonlSummary => {
                    assert_eq!(streamed, "", "{layout:?}");
                    let counts: Vec<(serde_json::Value, u64)> = all
                        .lines()
                        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
                        .map(|r| (r["pattern"].clone(), r["count"].as_u64().unwrap()))
                        .collect();
                    assert_eq!(
                        counts,
                        [
                            (serde_json::json!("oom-kill"), 1),
                            (serde_json::json!("dpkg-interrupted"), 2),
                            (serde_json::Value::Null, 1)
                        ]
                    );
                }
            }
        }
    }

    #[test]
    fn the_footer_is_for_text_on_a_terminal() {
        let (catalogue, _) = Catalogue::builtin();
        for (layout, footer, shown) in [
            (Layout::InOrder, true, true),
            (Layout::Grouped, true, true),
            (Layout::Summary, true, true),
            (Layout::Summary, false, false),
            (Layout::Jsonl, true, false),
            (Layout::JsonlSummary, true, false),
        ] {
            let out = Shared::default();
            let mut printer = Printer::new(out.clone(), layout, &catalogue, Lang::En, false);
            feed(&mut printer, &catalogue);
            printer.finish(footer).unwrap();
            let text = out.text();
            assert_eq!(
                text.contains("3 hit(s) of 2 known error(s).")
                    && text.contains("1 unrecognised error line(s) in 1 template(s)"),
                shown,
                "{layout:?} {footer}: {text}"
            );
        }
    }
}
