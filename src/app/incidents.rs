//! The viewer's incidents: `I` lists them, `Enter` opens one, `R` writes the report.
//!
//! Incidents are built from what the viewer holds (each pane's stored lines and the hits
//! shown, so a replay does not give the future away), when the list is opened and again when
//! the hits have changed since (the hits held are bounded, and so is the work).

use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Command, Overlay};
use crate::{
    incident::{Snapshot, UnknownLines},
    model::PaneId,
    postmortem::{self, Report},
};

/// The incidents as last built, and where `R` writes.
#[derive(Debug, Clone)]
pub struct Incidents {
    pub report: Report,
    /// Hits shown when the report was built (a different number means build it again), and
    /// whether the unrecognised errors were joined to it.
    built_from: Option<(usize, bool)>,
    /// The directory reports are written to (the current one by default).
    pub report_dir: PathBuf,
}

impl Default for Incidents {
    fn default() -> Self {
        Incidents {
            report: Report::default(),
            built_from: None,
            report_dir: PathBuf::from("."),
        }
    }
}

impl App {
    /// Hits shown in both panes.
    fn shown_hits(&self) -> usize {
        PaneId::BOTH
            .iter()
            .map(|&p| self.pane(p).visible_hits().len())
            .sum()
    }

    /// The report of what is held now: each pane's lines and the hits shown, and (`unknown`)
    /// the unrecognised errors among the lines, joined to the incidents.
    fn build_report(&self, with_unknown: bool) -> Report {
        let mut snapshot = Snapshot::default();
        for id in PaneId::BOTH {
            let pane = self.pane(id);
            snapshot.panes[id.index()] = pane.store.snapshot();
            snapshot.sources[id.index()] = pane.sources.iter().map(|s| s.name.clone()).collect();
        }
        let mut hits = Vec::with_capacity(self.shown_hits());
        for id in PaneId::BOTH {
            for hit in self.pane(id).visible_hits() {
                hits.push(snapshot.hit_input(
                    id,
                    hit.line,
                    hit.entry,
                    hit.severity,
                    hit.ts,
                    &hit.captures,
                ));
            }
        }
        // The unrecognised errors of the lines shown, mined as `triage report` mines them.
        let mut unknown = UnknownLines::new();
        for id in PaneId::BOTH.into_iter().filter(|_| with_unknown) {
            let pane = self.pane(id);
            let end = pane.visible_end();
            for (first, block) in &snapshot.panes[id.index()] {
                if *first >= end {
                    break;
                }
                let last = first + block.len() as u64;
                let lo = pane.hits.partition_point(|h| h.line < *first);
                let hi = pane.hits.partition_point(|h| h.line < last);
                let mut hit_lines: Vec<usize> = pane.hits[lo..hi]
                    .iter()
                    .map(|h| (h.line - first) as usize)
                    .collect();
                hit_lines.dedup();
                // A block of a big file whose bytes were dropped is read again for this (one
                // at a time); one its file no longer holds adds nothing.
                let _ = block.with_loaded(|block| {
                    unknown.add_block(&snapshot, id, *first, block, hit_lines, end)
                });
            }
        }
        Report::with_unknown(&self.catalogue, snapshot, hits, unknown)
    }

    /// Build the incidents from what is held, with the unrecognised errors in them, unless
    /// nothing changed since the last time.
    pub(super) fn refresh_incidents(&mut self) {
        self.refresh_incidents_with(true);
    }

    /// The incidents for the timeline strip, refreshed at every key: their spans only, so
    /// the lines are not read again for unrecognised errors each time (a big log's store is
    /// gigabytes).
    pub(super) fn refresh_incident_spans(&mut self) {
        self.refresh_incidents_with(false);
    }

    fn refresh_incidents_with(&mut self, with_unknown: bool) {
        let shown = self.shown_hits();
        if let Some((built, joined)) = self.incidents.built_from
            && built == shown
            && (joined || !with_unknown)
        {
            return;
        }
        let mut report = self.build_report(with_unknown);
        // The lines are only needed while building (and for excerpts, which `R` builds
        // afresh): holding them would keep lines the scrollback has dropped.
        report.snapshot.panes = Default::default();
        self.incidents.report = report;
        self.incidents.built_from = Some((shown, with_unknown));
    }

    /// `I`: the list of incidents.
    pub(super) fn open_incidents(&mut self) {
        self.refresh_incidents();
        self.overlay = Some(Overlay::Incidents { selected: 0 });
    }

    /// Keys in the incident list and in an open incident.
    pub(super) fn on_incidents_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Command> {
        self.refresh_incidents();
        let count = self.incidents.report.incidents.len();
        let last = count.saturating_sub(1);
        match overlay {
            Overlay::Incidents { selected } => {
                let selected = selected.min(last);
                let next = match key.code {
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('I') => {
                        self.overlay = None;
                        return Vec::new();
                    }
                    KeyCode::Char('R') => {
                        self.write_report();
                        selected
                    }
                    // Both panes restricted to the incident's span.
                    KeyCode::Char('t') if count > 0 => return self.restrict_to_incident(selected),
                    KeyCode::Enter if count > 0 => {
                        self.overlay = Some(Overlay::Incident {
                            index: selected,
                            scroll: 0,
                        });
                        return Vec::new();
                    }
                    KeyCode::Char('j') | KeyCode::Down => (selected + 1).min(last),
                    KeyCode::Char('k') | KeyCode::Up => selected.saturating_sub(1),
                    KeyCode::Char('g') | KeyCode::Home => 0,
                    KeyCode::Char('G') | KeyCode::End => last,
                    _ => selected,
                };
                self.overlay = Some(Overlay::Incidents { selected: next });
            }
            Overlay::Incident { index, scroll } => {
                let scroll = match key.code {
                    // Back to the list, on the same incident.
                    KeyCode::Esc | KeyCode::Char('q') | KeyCode::Backspace => {
                        self.overlay = Some(Overlay::Incidents {
                            selected: index.min(last),
                        });
                        return Vec::new();
                    }
                    KeyCode::Char('I') => {
                        self.overlay = None;
                        return Vec::new();
                    }
                    KeyCode::Char('R') => {
                        self.write_report();
                        scroll
                    }
                    KeyCode::Char('t') => return self.restrict_to_incident(index),
                    // Jump to the incident's first hit of its root cause.
                    KeyCode::Enter => {
                        self.jump_to_incident(index);
                        return Vec::new();
                    }
                    KeyCode::Char('j') | KeyCode::Down => scroll.saturating_add(1),
                    KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => scroll.saturating_add(10),
                    KeyCode::PageUp => scroll.saturating_sub(10),
                    KeyCode::Char('g') | KeyCode::Home => 0,
                    _ => scroll,
                };
                self.overlay = Some(Overlay::Incident {
                    index: index.min(last),
                    scroll,
                });
            }
            _ => {}
        }
        Vec::new()
    }

    /// Close the windows and put the cursor on the first hit of an incident's root cause.
    fn jump_to_incident(&mut self, index: usize) {
        let report = &self.incidents.report;
        let Some(first) = report
            .incidents
            .get(index)
            .and_then(|i| i.groups.first())
            .and_then(|g| g.hits.first())
            .map(|&h| &report.hits[h])
        else {
            return;
        };
        let (pane, line, entry) = (first.pane, first.line, first.entry);
        let target = self
            .pane(pane)
            .hits
            .iter()
            .position(|h| h.line == line && h.entry == entry)
            .map(|index| super::HitRef { pane, index });
        self.overlay = None;
        if let Some(target) = target {
            self.user_moved = true;
            self.jump_to_hit(target);
        }
    }

    /// `R`: write the report as Markdown to a new file and name it in the status line.
    pub(super) fn write_report(&mut self) {
        // Built afresh, with the lines the excerpts come from; then kept without them, as
        // the incidents shown.
        let mut report = self.build_report(true);
        let markdown = postmortem::markdown(&self.catalogue, &report, self.lang);
        report.snapshot.panes = Default::default();
        self.incidents.report = report;
        self.incidents.built_from = Some((self.shown_hits(), true));
        let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
        let dir = self.incidents.report_dir.clone();
        self.message = Some(match write_new_file(&dir, &stamp, markdown.as_bytes()) {
            Ok(path) => {
                let shown = crate::sanitize::path_name(&path);
                let n = self.incidents.report.incidents.len();
                match self.lang {
                    crate::catalogue::Lang::En => {
                        format!("Report written to {shown} ({n} incidents)")
                    }
                    crate::catalogue::Lang::Zh => format!("报告已写入 {shown}（{n} 个故障）"),
                }
            }
            Err(err) => match self.lang {
                crate::catalogue::Lang::En => format!("Could not write the report: {err}"),
                crate::catalogue::Lang::Zh => format!("无法写入报告：{err}"),
            },
        });
    }
}

/// Write `bytes` to `triage-report-STAMP.md` in `dir` (`-2`, `-3`… if taken): never over an
/// existing file.
fn write_new_file(dir: &Path, stamp: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    for n in 1..100 {
        let name = if n == 1 {
            format!("triage-report-{stamp}.md")
        } else {
            format!("triage-report-{stamp}-{n}.md")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(bytes)?;
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
}
