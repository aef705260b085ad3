//! Walking the panes: `n`/`N` from known error to known error, `e`/`E` from error to error
//! (known or not) and `w`/`W` from warning to warning, across both panes by time.
//!
//! Errors and warnings are indexed as their lines arrive ([`WalkIndex`]): a key press is a
//! binary search, never a scan of the lines. A line is an error when the gutter marks it so:
//! its worst known hit is critical or error, or, with no hit, its own level is err or worse
//! (`e`); a warning likewise (`W`, `w`).

use jiff::Timestamp;

use super::{App, HitRef, PaneId};
use crate::{
    marks::{Classified, Kind},
    model::Block,
    templates,
};

/// How many marks past the cursor a walk looks through for one a replay has shown (the
/// other pane's, at a moment already shown, may sort after one not shown yet).
const REPLAY_LOOKAHEAD: usize = 64;

/// What a walk visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Walk {
    /// Known errors (catalogue hits), `n` / `N`.
    Hits,
    /// Every error, known or not, `e` / `E`.
    Errors,
    /// Every warning, known or not, `w` / `W`.
    Warnings,
}

/// A line a walk stops at, ordered as hits are: by time, then pane, then line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mark {
    pub ts: Option<Timestamp>,
    pub pane: PaneId,
    pub line: u64,
}

/// The errors and warnings of both panes, each in time order.
#[derive(Debug, Clone, Default)]
pub struct WalkIndex {
    errors: Vec<Mark>,
    warnings: Vec<Mark>,
    /// Marks added since the last [`WalkIndex::settle`], in any order. A block of lines from
    /// another time (logs of several programs or days one after another, sources merged)
    /// would cost a merge of the whole index each; merged in when a walk needs them, it costs
    /// one merge for all the blocks since.
    pending_errors: Vec<Mark>,
    pending_warnings: Vec<Mark>,
    /// Per pane, the line before which marks were last forgotten: new marks come after it,
    /// so the same `first` again has nothing to forget (a file's panes start at line 0).
    forgotten_before: [u64; 2],
}

impl WalkIndex {
    /// The marks of `walk` in time order (empty for [`Walk::Hits`], which has its own order),
    /// as of the last [`WalkIndex::settle`].
    pub fn marks(&self, walk: Walk) -> &[Mark] {
        match walk {
            Walk::Hits => &[],
            Walk::Errors => &self.errors,
            Walk::Warnings => &self.warnings,
        }
    }

    /// Add lines of one pane (in any order): walked once [`WalkIndex::settle`] has put them
    /// in order.
    pub fn add(&mut self, errors: Vec<Mark>, warnings: Vec<Mark>) {
        self.pending_errors.extend(errors);
        self.pending_warnings.extend(warnings);
    }

    /// Put the marks added since the last call in order among the others.
    pub fn settle(&mut self) {
        merge_in_order(
            &mut self.errors,
            std::mem::take(&mut self.pending_errors),
            |m| *m,
        );
        merge_in_order(
            &mut self.warnings,
            std::mem::take(&mut self.pending_warnings),
            |m| *m,
        );
    }

    /// Forget the lines of `pane` before `first` (they left a bounded scrollback).
    pub fn forget_before(&mut self, pane: PaneId, first: u64) {
        let forgotten = &mut self.forgotten_before[pane.index()];
        if first <= *forgotten {
            return;
        }
        *forgotten = first;
        for marks in [
            &mut self.errors,
            &mut self.warnings,
            &mut self.pending_errors,
            &mut self.pending_warnings,
        ] {
            if marks.iter().any(|m| m.pane == pane && m.line < first) {
                marks.retain(|m| m.pane != pane || m.line >= first);
            }
        }
    }

    /// Where a walk goes from `cursor` (the focused pane's line and its time): the mark after
    /// it (`forward`) or before it, as a position in [`WalkIndex::marks`].
    pub fn from_cursor(&self, walk: Walk, cursor: Mark, forward: bool) -> Option<usize> {
        let marks = self.marks(walk);
        let mut found = marks.binary_search(&cursor);
        if let Err(at) = found {
            // The cursor's line is marked under another time (one read from a line near it
            // that arrived later): it is still the one under the cursor.
            let same = |i: usize| {
                marks
                    .get(i)
                    .is_some_and(|m| m.pane == cursor.pane && m.line == cursor.line)
            };
            if let Some(i) = [at.wrapping_sub(1), at].into_iter().find(|&i| same(i)) {
                found = Ok(i);
            }
        }
        step(found, marks.len(), forward)
    }
}

/// The next (`forward`) or previous position in a list of `len` items, from the result of
/// looking the cursor up in it: `Ok` on an item (the one under the cursor), `Err` where the
/// cursor's moment falls between items. `n`/`N`, `e`/`E` and `w`/`W` all step by it.
pub fn step(found: Result<usize, usize>, len: usize, forward: bool) -> Option<usize> {
    match found {
        Ok(at) if forward => Some(at + 1).filter(|&next| next < len),
        Err(at) if forward => Some(at).filter(|&next| next < len),
        Ok(at) | Err(at) => at.checked_sub(1),
    }
}

/// Put `new` into `order`, both ordered by `key`. New items are nearly always the latest, so
/// this is an append; late ones (sources merged, a clock stepping back) are merged in, in one
/// pass, never inserted one by one.
pub fn merge_in_order<T, K: Ord>(order: &mut Vec<T>, mut new: Vec<T>, key: impl Fn(&T) -> K) {
    if new.is_empty() {
        return;
    }
    new.sort_by_key(&key);
    let in_order = order.last().is_none_or(|last| key(last) <= key(&new[0]));
    if in_order {
        order.extend(new);
        return;
    }
    let old = std::mem::take(order);
    let mut merged = Vec::with_capacity(old.len() + new.len());
    let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        if key(x) <= key(y) {
            merged.push(a.next().expect("peeked"));
        } else {
            merged.push(b.next().expect("peeked"));
        }
    }
    merged.extend(a);
    merged.extend(b);
    *order = merged;
}

impl App {
    /// Index a block's errors and warnings (and mine its unrecognised ones) once it is in the
    /// pane, its first line being `first`.
    pub(super) fn index_block(
        &mut self,
        pane_id: PaneId,
        first: u64,
        block: &Block,
        classified: Vec<Classified>,
    ) {
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        for Classified {
            index,
            kind,
            ts,
            ts_from_pane,
            unrecognised,
        } in classified
        {
            let line = first + index as u64;
            let pane = &self.panes[pane_id.index()];
            // Read as the cursor's is; from the pane only where the block could not tell.
            let ts = if ts_from_pane { pane.ts_near(line) } else { ts };
            let mark = Mark {
                ts,
                pane: pane_id,
                line,
            };
            if let Some((_, tokens)) = unrecognised {
                // The line is parsed again only for a template it starts.
                let example =
                    || templates::example_text(templates::mined_part(block.view(index).message));
                let label = || {
                    let view = block.view(index);
                    view.label.as_deref().map(str::to_string).or_else(|| {
                        pane.source_of(block.tag(index))
                            .map(|s| s.name.rsplit('/').next().unwrap_or(&s.name).to_string())
                    })
                };
                self.unknown.add_masked(mark, &tokens, example, label);
            }
            match kind {
                Kind::Error => errors.push(mark),
                Kind::Warning => warnings.push(mark),
            }
        }
        self.walks.add(errors, warnings);
        let start = self.pane(pane_id).store.range().start;
        self.walks.forget_before(pane_id, start);
        self.unknown.forget_before(pane_id, start);
    }

    /// The focused pane's cursor as a walk sees it.
    fn cursor_mark(&self) -> Mark {
        let pane = self.pane(self.focus);
        Mark {
            ts: pane.ts_near(pane.cursor),
            pane: self.focus,
            line: pane.cursor,
        }
    }

    /// Where a walk goes from the cursor: a position in its list (for [`Walk::Hits`],
    /// [`App::hit_order`]).
    pub fn walk_from_cursor(&self, walk: Walk, forward: bool) -> Option<usize> {
        match walk {
            Walk::Hits => self.hit_from_cursor(forward),
            Walk::Errors | Walk::Warnings => {
                let at = self.walks.from_cursor(walk, self.cursor_mark(), forward)?;
                // A replay has not shown every line yet: the walk stops at those it has
                // (hits are listed only once shown; marks are indexed as lines arrive).
                let marks = self.walks.marks(walk);
                let shown = |m: &Mark| m.line < self.pane(m.pane).visible_end();
                if forward {
                    (at..marks.len())
                        .take(REPLAY_LOOKAHEAD)
                        .find(|&i| shown(&marks[i]))
                } else {
                    (0..=at).rev().find(|&i| shown(&marks[i]))
                }
            }
        }
    }

    fn walk_len(&self, walk: Walk) -> usize {
        match walk {
            Walk::Hits => self.hit_order.len(),
            Walk::Errors | Walk::Warnings => self.walks.marks(walk).len(),
        }
    }

    /// The pane and line of the walk's item at `at`.
    fn walk_line(&self, walk: Walk, at: usize) -> Option<(PaneId, u64)> {
        match walk {
            Walk::Hits => {
                let r = *self.hit_order.get(at)?;
                Some((r.pane, self.hit(r)?.line))
            }
            Walk::Errors | Walk::Warnings => {
                let mark = self.walks.marks(walk).get(at)?;
                Some((mark.pane, mark.line))
            }
        }
    }

    /// From `at` on (in the walk's direction), the first item whose line `!` or a time range
    /// does not hide: a walk never lands on a line the panes do not show.
    fn shown_from(&self, walk: Walk, mut at: Option<usize>, forward: bool) -> Option<usize> {
        while let Some(position) = at {
            let (pane_id, line) = self.walk_line(walk, position)?;
            let pane = self.pane(pane_id);
            let hidden = (pane.hide.is_some() || pane.range.is_some()) && pane.narrowed_out(line);
            if !hidden {
                return Some(position);
            }
            at = if forward {
                Some(position + 1)
            } else {
                position.checked_sub(1)
            };
        }
        None
    }

    fn walk_jump(&mut self, walk: Walk, at: usize) -> bool {
        match walk {
            Walk::Hits => match self.hit_order.get(at).copied() {
                Some(r) => {
                    self.jump_to_hit(r);
                    true
                }
                None => false,
            },
            Walk::Errors | Walk::Warnings => match self.walks.marks(walk).get(at).copied() {
                Some(mark) => {
                    self.jump_to_line(mark.pane, mark.line);
                    true
                }
                None => false,
            },
        }
    }

    /// `n`/`N`, `e`/`E`, `w`/`W`: the next item of the walk in time after the cursor, in
    /// either pane.
    pub(super) fn step_walk(&mut self, walk: Walk, forward: bool) {
        self.user_moved = true;
        self.walks.settle();
        if self.walk_len(walk) == 0 {
            self.message = Some(match walk {
                Walk::Hits => self.text("No hits.", "没有命中。"),
                Walk::Errors => self.text("No errors.", "没有错误。"),
                Walk::Warnings => self.text("No warnings.", "没有警告。"),
            });
            return;
        }
        let target = match self.shown_from(walk, self.walk_from_cursor(walk, forward), forward) {
            Some(at) => Some(at),
            // Following, nothing is newer than the cursor yet: the newest is the next one to
            // look at (what the panel's "n: next known error" promises).
            None if forward && self.following() => {
                self.shown_from(walk, self.walk_from_cursor(walk, false), false)
            }
            None => None,
        };
        if target.is_some_and(|at| self.walk_jump(walk, at)) {
            return;
        }
        self.message = Some(match (walk, forward) {
            (Walk::Hits, true) => {
                self.text("Last hit: no more after this one.", "已是最后一个命中。")
            }
            (Walk::Hits, false) => {
                self.text("First hit: none before this one.", "已是第一个命中。")
            }
            (Walk::Errors, true) => {
                self.text("Last error: no more after this one.", "已是最后一个错误。")
            }
            (Walk::Errors, false) => {
                self.text("First error: none before this one.", "已是第一个错误。")
            }
            (Walk::Warnings, true) => self.text(
                "Last warning: no more after this one.",
                "已是最后一个警告。",
            ),
            (Walk::Warnings, false) => {
                self.text("First warning: none before this one.", "已是第一个警告。")
            }
        });
    }

    /// Put the cursor on a line: focus its pane, move there, explain its hit if it has one,
    /// align the other pane.
    pub fn jump_to_line(&mut self, pane_id: PaneId, line: u64) {
        self.focus = pane_id;
        let pane = self.pane_mut(pane_id);
        pane.follow = false;
        if pane.store.line(line).is_some() {
            pane.set_cursor(line);
            pane.center_cursor();
        }
        let pane = self.pane(pane_id);
        let first = pane.hits.partition_point(|h| h.line < pane.cursor);
        if pane.hits.get(first).is_some_and(|h| h.line == pane.cursor) {
            self.selected = Some(HitRef {
                pane: pane_id,
                index: first,
            });
        }
        self.align_other_pane();
    }
}

#[cfg(test)]
impl Mark {
    /// A mark at `secs` seconds past the epoch, for tests.
    pub(super) fn at_second(secs: i64, pane: PaneId, line: u64) -> Mark {
        Mark {
            ts: Some(Timestamp::from_second(secs).unwrap()),
            pane,
            line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(secs: i64, pane: PaneId, line: u64) -> Mark {
        Mark::at_second(secs, pane, line)
    }

    #[test]
    fn walks_step_across_panes_by_time() {
        let mut index = WalkIndex::default();
        // Host lines arrive first, containers' later but earlier in time: merged in order.
        index.add(
            vec![mark(10, PaneId::Host, 0), mark(30, PaneId::Host, 5)],
            vec![],
        );
        index.add(
            vec![
                mark(20, PaneId::Containers, 3),
                mark(40, PaneId::Containers, 9),
            ],
            vec![mark(25, PaneId::Containers, 4)],
        );
        assert!(index.marks(Walk::Errors).is_empty(), "walked once settled");
        index.settle();
        let errors = index.marks(Walk::Errors);
        assert_eq!(
            errors.iter().map(|m| m.line).collect::<Vec<_>>(),
            [0, 3, 5, 9]
        );
        assert_eq!(index.marks(Walk::Warnings).len(), 1);
        // On a mark: the next and the previous.
        let on = mark(20, PaneId::Containers, 3);
        assert_eq!(index.from_cursor(Walk::Errors, on, true), Some(2));
        assert_eq!(index.from_cursor(Walk::Errors, on, false), Some(0));
        // Between marks (a line at 25 s): the ones around that moment.
        let between = mark(25, PaneId::Containers, 4);
        assert_eq!(index.from_cursor(Walk::Errors, between, true), Some(2));
        assert_eq!(index.from_cursor(Walk::Errors, between, false), Some(1));
        // The ends.
        assert_eq!(
            index.from_cursor(Walk::Errors, mark(40, PaneId::Containers, 9), true),
            None
        );
        assert_eq!(
            index.from_cursor(Walk::Errors, mark(10, PaneId::Host, 0), false),
            None
        );
        // A marked line whose time was read differently is still the one under the cursor.
        let shifted = Mark {
            ts: Some(Timestamp::from_second(31).unwrap()),
            ..mark(30, PaneId::Host, 5)
        };
        assert_eq!(index.from_cursor(Walk::Errors, shifted, true), Some(3));
        // Lines that left the scrollback are forgotten.
        index.forget_before(PaneId::Host, 1);
        assert_eq!(index.marks(Walk::Errors).len(), 3);
    }
}
