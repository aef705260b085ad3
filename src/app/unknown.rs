//! Unrecognised errors and warnings (no catalogue hit, the log's own level says so) grouped
//! into templates as their lines arrive: `H` lists them beside the known errors, and the
//! panel of such a line shows its template. Mined in the app state, never at draw time, with
//! the miner's memory bound.

use std::collections::HashMap;

use super::{App, HitRef, PaneId, walk::Mark};
use crate::templates::{MinerOptions, Template, TemplateMiner};

/// Templates kept at most (the least recently seen go first past it).
pub const MAX_TEMPLATES: usize = 5_000;

/// What the viewer knows of one template beyond the miner's count and times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// Its first line (the list's order and where `Enter` goes).
    pub first: Mark,
    /// Its newest line.
    pub newest: Mark,
    /// Who wrote its first line: the container, unit or file.
    pub source: Option<String>,
}

#[derive(Debug)]
pub struct UnknownTemplates {
    miner: TemplateMiner,
    seen: HashMap<u64, Seen>,
    /// Template ids by their first line, in time order.
    order: Vec<(Mark, u64)>,
    /// Per pane, its unrecognised lines and their templates, by line.
    lines: [Vec<(u64, u64)>; 2],
}

impl Default for UnknownTemplates {
    fn default() -> Self {
        UnknownTemplates {
            miner: TemplateMiner::new(MinerOptions {
                max_templates: MAX_TEMPLATES,
                keep_evicted: true,
                ..MinerOptions::default()
            }),
            seen: HashMap::new(),
            order: Vec::new(),
            lines: [Vec::new(), Vec::new()],
        }
    }
}

impl UnknownTemplates {
    /// Mine one unrecognised line's message (lines of a pane arrive in order).
    pub fn add(&mut self, mark: Mark, message: &[u8], source: Option<String>) {
        let tokens = crate::templates::mask_mined(message);
        let example = || crate::templates::example_text(crate::templates::mined_part(message));
        self.add_masked(mark, &tokens, example, || source);
    }

    /// As [`UnknownTemplates::add`], the message masked already ([`crate::templates::mask_mined`]).
    /// `example` (the part mined) and `source` are asked for only when the line starts a
    /// template.
    pub fn add_masked(
        &mut self,
        mark: Mark,
        tokens: &[String],
        example: impl FnOnce() -> String,
        source: impl FnOnce() -> Option<String>,
    ) {
        let id = self.miner.add_masked(tokens, example, mark.ts);
        match self.seen.get_mut(&id) {
            Some(seen) => seen.newest = mark,
            None => {
                self.seen.insert(
                    id,
                    Seen {
                        first: mark,
                        newest: mark,
                        source: source(),
                    },
                );
                super::walk::merge_in_order(&mut self.order, vec![(mark, id)], |o| *o);
            }
        }
        let lines = &mut self.lines[mark.pane.index()];
        if lines.last().is_none_or(|&(last, _)| last < mark.line) {
            lines.push((mark.line, id));
        }
        let evicted = self.miner.take_evicted();
        if !evicted.is_empty() {
            for gone in &evicted {
                self.seen.remove(&gone.id);
            }
            self.order.retain(|(_, id)| self.seen.contains_key(id));
        }
    }

    /// Forget the lines of `pane` before `first` (they left a bounded scrollback); the
    /// templates keep their counts.
    pub fn forget_before(&mut self, pane: PaneId, first: u64) {
        let lines = &mut self.lines[pane.index()];
        let gone = lines.partition_point(|&(line, _)| line < first);
        if gone > 0 {
            lines.drain(..gone);
        }
    }

    /// Forget that a line is unrecognised (an entry for it was just added).
    pub fn recognise(&mut self, pane: PaneId, line: u64) {
        let lines = &mut self.lines[pane.index()];
        if let Ok(at) = lines.binary_search_by_key(&line, |&(l, _)| l) {
            lines.remove(at);
        }
    }

    /// The template of an unrecognised line, if it is one (and its template is still kept).
    pub fn of_line(&self, pane: PaneId, line: u64) -> Option<(&Template, &Seen)> {
        let lines = &self.lines[pane.index()];
        let at = lines.binary_search_by_key(&line, |&(l, _)| l).ok()?;
        self.get(lines[at].1)
    }

    /// The template id of an unrecognised line.
    pub fn template_of_line(&self, pane: PaneId, line: u64) -> Option<u64> {
        let lines = &self.lines[pane.index()];
        let at = lines.binary_search_by_key(&line, |&(l, _)| l).ok()?;
        Some(lines[at].1)
    }

    pub fn get(&self, id: u64) -> Option<(&Template, &Seen)> {
        let seen = self.seen.get(&id)?;
        let template = self.miner.templates().find(|t| t.id == id)?;
        Some((template, seen))
    }

    /// Template ids with their first line, in time order.
    pub fn order(&self) -> &[(Mark, u64)] {
        &self.order
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

/// A row of the `H` list: a known error's hit, or an unrecognised template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRow {
    Hit(HitRef),
    Template(u64),
}

impl App {
    /// The unrecognised line under the focused pane's cursor, if it is one: (pane, line).
    pub fn panel_unknown(&self) -> Option<(PaneId, u64)> {
        let pane = self.pane(self.focus);
        let on_hit = {
            let first = pane.hits.partition_point(|h| h.line < pane.cursor);
            pane.hits.get(first).is_some_and(|h| h.line == pane.cursor)
        };
        (!on_hit && self.unknown.of_line(self.focus, pane.cursor).is_some())
            .then_some((self.focus, pane.cursor))
    }

    /// The `H` list: every shown hit and every unrecognised template (by its first line),
    /// in time order.
    pub fn hit_list_rows(&self) -> Vec<ListRow> {
        let hits = self.hit_order.iter().map(|&r| {
            let h = &self.pane(r.pane).hits[r.index];
            (
                Mark {
                    ts: h.ts,
                    pane: r.pane,
                    line: h.line,
                },
                ListRow::Hit(r),
            )
        });
        let templates = self
            .unknown
            .order()
            .iter()
            .map(|&(mark, id)| (mark, ListRow::Template(id)));
        let mut rows = Vec::with_capacity(self.hit_order.len() + self.unknown.len());
        let (mut a, mut b) = (hits.peekable(), templates.peekable());
        loop {
            let take_hit = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.0 <= y.0,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_hit { a.next() } else { b.next() };
            rows.extend(next.map(|(_, row)| row));
        }
        rows
    }

    /// `Enter` on a template in the `H` list: its first line, else (gone from a bounded
    /// scrollback) its newest.
    pub(super) fn jump_to_template(&mut self, id: u64) {
        let Some((_, seen)) = self.unknown.get(id) else {
            return;
        };
        let (first, newest) = (seen.first, seen.newest);
        let target = if self.pane(first.pane).store.line(first.line).is_some() {
            first
        } else {
            newest
        };
        self.jump_to_line(target.pane, target.line);
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;

    fn mark(secs: i64, pane: PaneId, line: u64) -> Mark {
        Mark::at_second(secs, pane, line)
    }

    #[test]
    fn lines_that_differ_in_variables_share_a_template_in_time_order() {
        let mut unknown = UnknownTemplates::default();
        unknown.add(
            mark(20, PaneId::Host, 1),
            b"worker 17 failed to open /var/lib/x/1.db",
            Some("app".into()),
        );
        unknown.add(
            mark(10, PaneId::Containers, 4),
            b"cache shard unreachable",
            None,
        );
        unknown.add(
            mark(30, PaneId::Host, 8),
            b"worker 23 failed to open /var/lib/x/2.db",
            Some("app".into()),
        );
        assert_eq!(unknown.len(), 2);
        let ids: Vec<u64> = unknown.order().iter().map(|(_, id)| *id).collect();
        let (first, _) = unknown.get(ids[0]).unwrap();
        assert_eq!(first.text(), "cache shard unreachable");
        let (worker, seen) = unknown.of_line(PaneId::Host, 8).unwrap();
        assert_eq!(worker.count, 2);
        assert_eq!(worker.text(), "worker <*> failed to open <*>");
        assert_eq!(seen.first.line, 1);
        assert_eq!(seen.newest.line, 8);
        assert_eq!(seen.source.as_deref(), Some("app"));
        assert_eq!(worker.first_seen, Some(Timestamp::from_second(20).unwrap()));
        assert_eq!(worker.last_seen, Some(Timestamp::from_second(30).unwrap()));
        // A line recognised since, or gone from the scrollback, has no template any more.
        unknown.recognise(PaneId::Host, 8);
        assert!(unknown.of_line(PaneId::Host, 8).is_none());
        unknown.forget_before(PaneId::Host, 2);
        assert!(unknown.of_line(PaneId::Host, 1).is_none());
        assert_eq!(unknown.len(), 2);
    }

    #[test]
    fn templates_are_bounded() {
        let mut unknown = UnknownTemplates::default();
        for n in 0..(MAX_TEMPLATES as u64 + 600) {
            // Words with no digits: each line a template of its own.
            let word: String = n
                .to_string()
                .bytes()
                .map(|b| (b'a' + (b - b'0')) as char)
                .collect();
            unknown.add(
                mark(n as i64, PaneId::Host, n),
                format!("{word} exploded").as_bytes(),
                None,
            );
        }
        assert!(unknown.len() <= MAX_TEMPLATES, "{}", unknown.len());
        assert_eq!(unknown.seen.len(), unknown.order.len());
    }
}
