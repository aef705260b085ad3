//! The viewer's model: everything the screen shows, and `update`, the only place it changes.
//!
//! The runtime (`crate::tui`) feeds [`Event`]s in and carries out the [`Command`]s `update`
//! returns; the view (`crate::ui`) draws from `&App` alone. Tests drive the same `App` with
//! events and draw it on a test backend.

mod add_entry;
pub mod event;
pub mod filter;
pub mod incidents;
pub mod keymap;
pub mod layout;
mod narrow;
pub mod pane;
mod resident;
pub mod timeline;
pub mod unknown;
pub mod walk;

use std::{sync::Arc, time::Duration};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use jiff::Timestamp;
use ratatui::layout::Rect;
use regex::bytes::{Regex, RegexBuilder};

pub use event::{Command, Event};
pub use keymap::Action;
pub use narrow::range_text as narrow_range_text;
pub use pane::{Filter, FilterKind, Pane, PaneHit, PaneId, Source, SourceState};

use crate::{
    catalogue::{Catalogue, Entry, Lang, RemedyStep, Severity},
    explain::{FilledCommand, fill_command_in},
};

/// A hit, by pane and position in that pane's hit list (positions never change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HitRef {
    pub pane: PaneId,
    pub index: usize,
}

/// A window over the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// All hits in time order; `selected` indexes [`App::hit_order`].
    HitList {
        selected: usize,
    },
    /// The selected hit's entry in full, scrolled down by `scroll` lines.
    Entry {
        scroll: u16,
    },
    /// The incidents (`I`); `selected` indexes them.
    Incidents {
        selected: usize,
    },
    /// One incident: its chain, each link's cause and remedy.
    Incident {
        index: usize,
        scroll: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Search,
    FilterRegex,
    FilterFuzzy,
    /// `!`: lines to hide.
    FilterOut,
    /// `t`: a time to go to, or a range to restrict both panes to.
    Time,
}

/// A line of input being typed at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
}

/// Re-enacting the logs in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// The moment shown: lines up to it are revealed.
    pub clock: Timestamp,
    /// Log seconds per real second.
    pub speed: f64,
    pub paused: bool,
    pub finished: bool,
    /// Time has moved: the start is fixed (until then, it is the earliest line loaded).
    pub started: bool,
}

/// Options the app starts with.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    /// Colours allowed (off for `NO_COLOR`): meaning is then carried by markers and styles.
    pub color: bool,
    /// `Some(speed)`: replay the logs in time.
    pub replay: Option<f64>,
    /// Keep at most this many lines per pane (live sources); `None`: keep all.
    pub scrollback: Option<u64>,
    /// Following live sources: the panes follow new lines from the start.
    pub live: bool,
}

pub struct App {
    pub panes: [Pane; 2],
    pub focus: PaneId,
    pub catalogue: Arc<Catalogue>,
    pub lang: Lang,
    pub color: bool,
    pub size: Rect,
    pub overlay: Option<Overlay>,
    pub prompt: Option<Prompt>,
    /// The last search, highlighted in the panes.
    pub search: Option<(String, Regex)>,
    pub replay: Option<Replay>,
    /// The hit the panel explains.
    pub selected: Option<HitRef>,
    /// Every shown hit of both panes in time order.
    pub hit_order: Vec<HitRef>,
    /// A one-line message for the status line (cleared by the next key).
    pub message: Option<String>,
    /// Minimum severity of the `s` filter.
    pub severity_filter: Option<Severity>,
    /// The user has moved: stop jumping to the first critical hit as loading finds it.
    pub user_moved: bool,
    /// Following live sources.
    pub live: bool,
    pub quit: bool,
    /// Incidents as last built (`I`, `R`).
    pub incidents: incidents::Incidents,
    /// The timeline strip is shown (`T`).
    pub timeline: bool,
    /// How many times the strip is zoomed in (`z`, `Z`): each halves the time a column holds.
    pub timeline_zoom: u8,
    /// Every error and warning of both panes, known or not, in time order (`e`, `w`).
    pub walks: walk::WalkIndex,
    /// The unrecognised errors and warnings, as templates.
    pub unknown: unknown::UnknownTemplates,
    filter_generation: u64,
    /// A copy of a destructive remedy step waits for its confirmation: the same key again,
    /// pressed next. Any other key forgets it.
    armed_copy: Option<CopyRequest>,
    /// The request the previous key armed, while the current key is handled.
    confirmed_copy: Option<CopyRequest>,
    /// The option taken in a remedy's choice (`o` cycles; counted from 0, wrapping).
    pub option: usize,
    /// What fills remedies' placeholders besides a hit's captures: the live sources' context
    /// (recorded by them as they read) and the files'.
    pub contexts: Arc<crate::fill_context::Contexts>,
}

/// Take from `order` the hits of `pane` at the positions `dropped` (ascending, as they were
/// before the drop) and move the pane's later hits back to where they are now; the order of
/// what stays is unchanged.
fn drop_from_order(order: &mut Vec<HitRef>, pane: PaneId, dropped: &[usize]) {
    let Some(&last) = dropped.last() else { return };
    // Per position up to the last dropped: how many before it were dropped (`None`: itself).
    let mut shift: Vec<Option<usize>> = Vec::with_capacity(last + 1);
    let mut gone = dropped.iter().peekable();
    for index in 0..=last {
        if gone.next_if_eq(&&index).is_some() {
            shift.push(None);
        } else {
            shift.push(Some(dropped.len() - gone.len()));
        }
    }
    order.retain_mut(|r| {
        if r.pane != pane {
            return true;
        }
        match shift.get(r.index) {
            Some(None) => false,
            Some(Some(before)) => {
                r.index -= before;
                true
            }
            None => {
                r.index -= dropped.len();
                true
            }
        }
    });
}

/// What `y` (the first command) or `Y` (the whole remedy) asked to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CopyRequest {
    hit: HitRef,
    all: bool,
}

impl App {
    pub fn new(catalogue: Arc<Catalogue>, sources: [Vec<Source>; 2], options: &Options) -> App {
        let [containers, host] = sources;
        let mut app = App {
            panes: [
                Pane::new(PaneId::Containers, containers, options.scrollback),
                Pane::new(PaneId::Host, host, options.scrollback),
            ],
            focus: PaneId::Containers,
            catalogue,
            lang: options.lang,
            color: options.color,
            size: Rect::new(0, 0, 80, 24),
            overlay: None,
            prompt: None,
            search: None,
            replay: options.replay.map(|speed| Replay {
                clock: Timestamp::MIN,
                speed,
                paused: false,
                finished: false,
                started: false,
            }),
            selected: None,
            hit_order: Vec::new(),
            message: None,
            severity_filter: None,
            user_moved: false,
            live: options.live,
            quit: false,
            incidents: incidents::Incidents::default(),
            timeline: false,
            timeline_zoom: 0,
            walks: walk::WalkIndex::default(),
            unknown: unknown::UnknownTemplates::default(),
            filter_generation: 0,
            armed_copy: None,
            confirmed_copy: None,
            option: 0,
            contexts: Arc::default(),
        };
        if app.replay.is_some() {
            for pane in &mut app.panes {
                pane.revealed = Some(0);
                pane.follow = true;
            }
        }
        if options.live {
            for pane in &mut app.panes {
                pane.follow = true;
            }
        }
        if !app.panes[0].has_content() {
            app.focus = PaneId::Host;
        }
        app.relayout();
        app
    }

    pub fn pane(&self, id: PaneId) -> &Pane {
        &self.panes[id.index()]
    }

    fn pane_mut(&mut self, id: PaneId) -> &mut Pane {
        &mut self.panes[id.index()]
    }

    pub fn areas(&self) -> layout::Areas {
        // The timeline strip, when shown, takes the top rows (if the screen can spare them).
        let strip = if self.timeline && self.size.height > timeline::TIMELINE_ROWS + 8 {
            timeline::TIMELINE_ROWS
        } else {
            0
        };
        let size = Rect {
            y: self.size.y + strip,
            height: self.size.height - strip,
            ..self.size
        };
        layout::compute(
            size,
            layout::Shape {
                shown: [self.panes[0].has_content(), self.panes[1].has_content()],
            },
        )
    }

    fn relayout(&mut self) {
        let areas = self.areas();
        for (pane, area) in self.panes.iter_mut().zip(areas.panes) {
            pane.height = layout::inner_rows(area).max(1);
            pane.scroll_to_cursor();
        }
    }

    pub fn hit(&self, r: HitRef) -> Option<&PaneHit> {
        self.pane(r.pane).hits.get(r.index)
    }

    /// The context a hit's placeholders are filled from after its captures: that of the
    /// source that wrote its line (a container, a unit), then the files'.
    pub fn fill_context_of(&self, r: HitRef) -> crate::fill_context::FillContext {
        let writer = self
            .hit(r)
            .and_then(|h| self.pane(r.pane).store.get(h.line))
            .and_then(|line| line.fields?.label.clone());
        self.contexts.for_writer(writer.as_deref())
    }

    pub fn entry_of(&self, r: HitRef) -> Option<&Entry> {
        self.hit(r)
            .and_then(|h| self.catalogue.entries().get(h.entry))
    }

    /// The hit the panel explains: the one under the cursor, else the last one selected, else
    /// (following live logs) the newest.
    pub fn panel_hit(&self) -> Option<HitRef> {
        let pane = self.pane(self.focus);
        // An unrecognised line has a panel of its own: no hit elsewhere is explained for it.
        if self
            .unknown
            .template_of_line(self.focus, pane.cursor)
            .is_some()
        {
            return None;
        }
        let on_cursor = pane.hits.partition_point(|h| h.line < pane.cursor);
        if pane
            .hits
            .get(on_cursor)
            .is_some_and(|h| h.line == pane.cursor)
        {
            return Some(HitRef {
                pane: self.focus,
                index: on_cursor,
            });
        }
        self.selected
    }

    /// Does anything still need time to pass (replay running, sources loading)?
    pub fn wants_ticks(&self) -> bool {
        self.replay
            .as_ref()
            .is_some_and(|r| !r.paused && !r.finished)
    }

    /// The one place the state changes. Afterwards the lines the next frame shows are
    /// resident (read again from their files where their bytes were dropped).
    pub fn update(&mut self, event: Event) -> Vec<Command> {
        let commands = self.apply(event);
        self.make_shown_resident();
        commands
    }

    fn apply(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Key(key) => self.on_key(key),
            Event::Scroll(rows) => {
                if self.overlay.is_none() && self.prompt.is_none() {
                    self.move_cursor(rows);
                }
                Vec::new()
            }
            Event::Resize(width, height) => {
                self.size = Rect::new(0, 0, width, height);
                self.relayout();
                Vec::new()
            }
            Event::Tick(elapsed) => {
                self.advance_replay(elapsed);
                Vec::new()
            }
            Event::Block {
                pane,
                block,
                hits,
                classified,
            } => {
                self.on_block(pane, block, hits, classified);
                Vec::new()
            }
            Event::Marks {
                pane,
                first,
                block,
                classified,
            } => {
                self.index_block(pane, first, &block, classified);
                Vec::new()
            }
            Event::Source {
                pane,
                source,
                state,
            } => {
                if let Some(s) = self.pane_mut(pane).sources.get_mut(source as usize) {
                    s.state = state;
                }
                Vec::new()
            }
            Event::FilterRows {
                pane: pane_id,
                generation,
                rows,
                done,
            } => {
                let pane = self.pane_mut(pane_id);
                if let Some(filter) = pane.filter.as_mut().filter(|f| f.generation == generation) {
                    // The job's rows are older than any a live source added meanwhile.
                    let sorted = filter
                        .rows
                        .last()
                        .is_none_or(|last| rows.first().is_none_or(|first| first > last));
                    filter.rows.extend(rows);
                    if !sorted {
                        filter.rows.sort_unstable();
                        filter.rows.dedup();
                    }
                    filter.pending = !done;
                    let cursor = pane.cursor;
                    pane.set_cursor(cursor);
                    // The filter moved the focused cursor to a row that passes: the other
                    // pane comes along, as with any move.
                    if pane_id == self.focus {
                        self.align_other_pane();
                    }
                }
                Vec::new()
            }
            Event::CopyDroppedByTmux(setting) => {
                let setting = crate::sanitize::visible(setting.as_bytes());
                self.message = Some(match self.lang {
                    Lang::En => format!(
                        "Not copied: tmux drops it (set-clipboard is {setting}). Run: tmux set -g set-clipboard on  then y again"
                    ),
                    Lang::Zh => format!(
                        "未复制：tmux 丢弃了它（set-clipboard 为 {setting}）。请运行：tmux set -g set-clipboard on  然后再按 y"
                    ),
                });
                Vec::new()
            }
            Event::Signal(_) => {
                self.quit = true;
                vec![Command::Quit]
            }
        }
    }

    fn on_block(
        &mut self,
        pane_id: PaneId,
        block: Arc<Block>,
        hits: Vec<Hit>,
        classified: Option<Vec<crate::marks::Classified>>,
    ) {
        // The selected hit, by what it is, in case positions in this pane's list move.
        let selected = self
            .selected
            .filter(|r| r.pane == pane_id)
            .and_then(|r| self.hit(r))
            .map(|h| (h.line, h.entry));
        let first_new_hit = self.pane(pane_id).hits.len();
        let first_line = self.pane(pane_id).store.range().end;
        let classified = classified.unwrap_or_else(|| crate::marks::classify(&block, &hits));
        let dropped = self.pane_mut(pane_id).push_block(block.clone(), hits);
        self.index_block(pane_id, first_line, &block, classified);
        if dropped.is_empty() {
            self.after_new_lines(pane_id, first_new_hit);
            return;
        }
        // Old hits went with their lines: find the selection again and order all hits anew.
        if let Some((line, entry)) = selected {
            let pane = self.pane(pane_id);
            self.selected = pane
                .hits
                .iter()
                .position(|h| h.line == line && h.entry == entry)
                .map(|index| HitRef {
                    pane: pane_id,
                    index,
                });
        }
        let first_new_hit = if self.replay.is_some() {
            self.rebuild_hit_order();
            self.pane(pane_id).hits.len()
        } else {
            // Live: the order of the hits still kept does not change, only where they are in
            // the pane's list. One pass, not a sort of every hit at every block of a flood.
            drop_from_order(&mut self.hit_order, pane_id, &dropped);
            first_new_hit - dropped.len()
        };
        self.after_new_lines(pane_id, first_new_hit);
        // The hit list's rows (hits and templates) are counted only when it is open: a flood
        // drops old hits at every block.
        if matches!(self.overlay, Some(Overlay::HitList { .. })) {
            let rows = self.hit_list_rows().len();
            if let Some(Overlay::HitList { selected }) = &mut self.overlay {
                *selected = (*selected).min(rows.saturating_sub(1));
            }
        }
    }

    fn after_new_lines(&mut self, pane_id: PaneId, first_new_hit: usize) {
        if self.replay.is_none() {
            self.order_hits(pane_id, first_new_hit);
            if !self.user_moved && !self.live {
                self.open_at_first_critical();
            }
            return;
        }
        if let Some(replay) = &mut self.replay {
            if !replay.started {
                // The replay starts at the earliest line of either pane, whichever pane's
                // lines happen to arrive first.
                let start = self
                    .panes
                    .iter()
                    .filter_map(|p| p.ts_near(p.store.range().start))
                    .min();
                if let Some(start) = start {
                    replay.clock = start;
                }
                for pane in &mut self.panes {
                    pane.revealed = Some(pane.store.range().start);
                }
            }
            replay.finished = false;
            self.advance_replay(Duration::ZERO);
        }
    }

    /// Put a pane's new hits into the time order of all hits. New hits are nearly always the
    /// latest, so this is an append; late ones (sources merged, a clock stepping back) are
    /// merged in, in one pass, never inserted one by one.
    fn order_hits(&mut self, pane: PaneId, from: usize) {
        let new: Vec<HitRef> = (from..self.pane(pane).hits.len())
            .map(|index| HitRef { pane, index })
            .collect();
        let panes = &self.panes;
        let key = |r: &HitRef| {
            let h = &panes[r.pane.index()].hits[r.index];
            (h.ts, r.pane, h.line)
        };
        walk::merge_in_order(&mut self.hit_order, new, key);
    }

    /// Opening a log puts the cursor on its first critical hit (in time), else its first hit.
    fn open_at_first_critical(&mut self) {
        let order = &self.hit_order;
        let target = order
            .iter()
            .find(|r| {
                self.hit(**r)
                    .is_some_and(|h| h.severity == Severity::Critical)
            })
            .or_else(|| order.first())
            .copied();
        if let Some(target) = target {
            if self.selected != Some(target) {
                self.jump_to_hit(target);
            }
        }
    }

    /// Sort every shown hit of both panes by time (then pane, then line).
    fn rebuild_hit_order(&mut self) {
        let mut order: Vec<HitRef> = PaneId::BOTH
            .iter()
            .flat_map(|&pane| {
                (0..self.pane(pane).visible_hits().len()).map(move |index| HitRef { pane, index })
            })
            .collect();
        order.sort_by_key(|r| {
            let hit = &self.pane(r.pane).hits[r.index];
            (hit.ts, r.pane, hit.line)
        });
        self.hit_order = order;
    }

    fn advance_replay(&mut self, elapsed: Duration) {
        let Some(replay) = &mut self.replay else {
            return;
        };
        if replay.paused || replay.clock == Timestamp::MIN {
            return;
        }
        if !elapsed.is_zero() {
            replay.started = true;
        }
        let step = elapsed.as_secs_f64() * replay.speed;
        replay.clock = replay
            .clock
            .checked_add(jiff::SignedDuration::from_secs_f64(step))
            .unwrap_or(replay.clock);
        let clock = replay.clock;
        let mut revealed_any = false;
        let mut all_done = true;
        for pane in &mut self.panes {
            let end = pane.store.range().end;
            let mut revealed = pane.revealed.unwrap_or(end);
            while revealed < end {
                match pane.ts_near(revealed) {
                    Some(ts) if ts > clock => break,
                    _ => revealed += 1,
                }
            }
            if Some(revealed) != pane.revealed {
                revealed_any = true;
                pane.revealed = Some(revealed);
                if pane.follow {
                    pane.follow_end();
                }
            }
            let loading = pane
                .sources
                .iter()
                .any(|s| matches!(s.state, SourceState::Loading { .. } | SourceState::Live));
            all_done &= revealed >= end && !loading;
        }
        if revealed_any {
            self.rebuild_hit_order();
        }
        if all_done {
            if let Some(replay) = &mut self.replay {
                replay.finished = true;
            }
        }
    }

    // ---- keys ------------------------------------------------------------------------------

    fn on_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.confirmed_copy = self.armed_copy.take();
        let commands = self.handle_key(key);
        self.confirmed_copy = None;
        // The strip's incident spans catch up with new hits at each key (not at each block:
        // a flood would rebuild them thousands of times a second).
        if self.timeline {
            self.refresh_incident_spans();
        }
        commands
    }

    fn handle_key(&mut self, key: KeyEvent) -> Vec<Command> {
        self.message = None;
        // Over a slow link Esc and the next key arrive together and read as Alt+key: in a
        // prompt or window, take that as the Esc it was, then the key.
        if key.modifiers.contains(KeyModifiers::ALT)
            && (self.prompt.is_some() || self.overlay.is_some())
        {
            let mut commands = self.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            let plain = KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT);
            commands.extend(self.handle_key(plain));
            return commands;
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(key);
        }
        if let Some(overlay) = self.overlay.clone() {
            return self.on_overlay_key(overlay, key);
        }
        match keymap::action_for(key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    fn act(&mut self, action: Action) -> Vec<Command> {
        let page = self.pane(self.focus).height.max(2) as i64 - 1;
        match action {
            Action::Quit => {
                self.quit = true;
                return vec![Command::Quit];
            }
            Action::Escape => {
                // Esc clears what is on top: a message, else the search highlight.
                if self.message.take().is_none() {
                    self.search = None;
                }
            }
            Action::NextHit => self.step_walk(walk::Walk::Hits, true),
            Action::PrevHit => self.step_walk(walk::Walk::Hits, false),
            Action::NextError => self.step_walk(walk::Walk::Errors, true),
            Action::PrevError => self.step_walk(walk::Walk::Errors, false),
            Action::NextWarning => self.step_walk(walk::Walk::Warnings, true),
            Action::PrevWarning => self.step_walk(walk::Walk::Warnings, false),
            Action::AddEntry => self.add_entry(),
            Action::SwitchPane => {
                if self.pane(self.focus.other()).has_content() {
                    self.focus = self.focus.other();
                }
            }
            Action::Down => self.move_cursor(1),
            Action::Up => self.move_cursor(-1),
            Action::PageDown => self.move_cursor(page),
            Action::PageUp => self.move_cursor(-page),
            Action::Top => self.move_cursor(i64::MIN / 2),
            Action::Bottom => self.move_cursor(i64::MAX / 2),
            Action::Left => {
                let pane = self.pane_mut(self.focus);
                pane.hscroll = pane.hscroll.saturating_sub(16);
            }
            Action::Right => {
                let pane = self.pane_mut(self.focus);
                pane.hscroll = (pane.hscroll + 16).min(1 << 20);
            }
            Action::ToggleFollow => {
                let pane = self.pane_mut(self.focus);
                pane.follow = !pane.follow;
                if pane.follow {
                    pane.follow_end();
                    // A move like any other: the other pane comes to the same moment, and
                    // follows too when that moment is its end.
                    self.align_other_pane();
                    let other = self.pane_mut(self.focus.other());
                    if other.row_count() > 0 && other.cursor_row() + 1 >= other.row_count() {
                        other.follow = true;
                    }
                }
            }
            Action::Search => self.open_prompt(PromptKind::Search),
            Action::FilterRegex => self.open_prompt(PromptKind::FilterRegex),
            Action::FilterFuzzy => self.open_prompt(PromptKind::FilterFuzzy),
            Action::FilterOut => self.open_prompt(PromptKind::FilterOut),
            Action::ZoomIn | Action::ZoomOut => self.zoom_timeline(action == Action::ZoomIn),
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::CycleSeverity => {
                self.severity_filter = match self.severity_filter {
                    None => Some(Severity::Info),
                    Some(Severity::Info) => Some(Severity::Warning),
                    Some(Severity::Warning) => Some(Severity::Error),
                    Some(Severity::Error) => Some(Severity::Critical),
                    Some(Severity::Critical) => None,
                };
                let commands = self.apply_severity_filter();
                self.align_other_pane();
                return commands;
            }
            Action::Copy | Action::CopyAll => return self.copy(action == Action::CopyAll),
            Action::NextOption => self.next_option(),
            Action::OpenEntry => {
                if self.panel_hit().is_some() {
                    self.overlay = Some(Overlay::Entry { scroll: 0 });
                }
            }
            Action::ToggleHitList => {
                let rows = self.hit_list_rows();
                let on_template = self.panel_unknown().and_then(|(pane, line)| {
                    let id = self.unknown.template_of_line(pane, line)?;
                    rows.iter()
                        .position(|o| *o == unknown::ListRow::Template(id))
                });
                let selected = on_template
                    .or_else(|| {
                        let r = self.panel_hit()?;
                        rows.iter().position(|o| *o == unknown::ListRow::Hit(r))
                    })
                    .unwrap_or(0);
                self.overlay = Some(Overlay::HitList { selected });
            }
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Incidents => self.open_incidents(),
            Action::WriteReport => self.write_report(),
            Action::Timeline => self.toggle_timeline(),
            Action::JumpToTime => self.open_prompt(PromptKind::Time),
            Action::Faster | Action::Slower => {
                if let Some(replay) = &mut self.replay {
                    replay.speed = if action == Action::Faster {
                        (replay.speed * 2.0).min(1e6)
                    } else {
                        (replay.speed / 2.0).max(0.125)
                    };
                }
            }
            Action::TogglePause => {
                if let Some(replay) = &mut self.replay {
                    replay.paused = !replay.paused;
                }
            }
        }
        Vec::new()
    }

    /// The user moves the cursor in the focused pane; the other pane follows in time.
    fn move_cursor(&mut self, delta: i64) {
        self.user_moved = true;
        let pane = self.pane_mut(self.focus);
        pane.move_rows(delta);
        let at_end = pane.cursor_row() + 1 >= pane.row_count();
        pane.follow = pane.follow && at_end;
        self.select_hit_at_cursor();
        self.align_other_pane();
    }

    fn select_hit_at_cursor(&mut self) {
        if let Some(r) = self.panel_hit() {
            self.selected = Some(r);
        }
    }

    /// Bring the other pane to the moment of the focused pane's cursor.
    fn align_other_pane(&mut self) {
        let focus = self.pane_mut(self.focus);
        focus.make_cursor_resident();
        let Some(ts) = focus.ts_near(focus.cursor) else {
            return;
        };
        let other = self.focus.other();
        let Some(line) = self.pane_mut(other).line_near_time_reading(ts) else {
            return;
        };
        let pane = self.pane_mut(other);
        pane.follow = false;
        pane.set_cursor(line);
        pane.center_cursor();
    }

    /// Put the cursor on a hit: focus its pane, move there, align the other pane.
    pub fn jump_to_hit(&mut self, r: HitRef) {
        let Some(hit) = self.hit(r) else { return };
        let line = hit.line;
        self.selected = Some(r);
        self.focus = r.pane;
        let pane = self.pane_mut(r.pane);
        pane.follow = false;
        if pane.store.line(line).is_some() {
            pane.set_cursor(line);
            pane.center_cursor();
        }
        self.align_other_pane();
    }

    /// Where `n` (`forward`) or `N` goes from the cursor of the focused pane: a position in
    /// [`App::hit_order`]. From a hit under the cursor (the selected one, when the line has
    /// several), else from the cursor's moment; never from a hit visited earlier elsewhere.
    pub fn hit_from_cursor(&self, forward: bool) -> Option<usize> {
        let pane = self.pane(self.focus);
        let position_of = |r: HitRef| self.hit_order.iter().position(|o| *o == r);
        let on_cursor = self
            .selected
            .filter(|r| r.pane == self.focus && self.hit(*r).is_some_and(|h| h.line == pane.cursor))
            .and_then(position_of)
            .or_else(|| {
                let first = pane.hits.partition_point(|h| h.line < pane.cursor);
                pane.hits
                    .get(first)
                    .filter(|h| h.line == pane.cursor)
                    .and_then(|_| {
                        position_of(HitRef {
                            pane: self.focus,
                            index: first,
                        })
                    })
            });
        let found = on_cursor.ok_or_else(|| {
            let ts = pane.ts_near(pane.cursor);
            self.hit_order.partition_point(|r| {
                let h = self.hit(*r).expect("hit_order holds valid refs");
                (h.ts, r.pane, h.line) < (ts, self.focus, pane.cursor)
            })
        });
        walk::step(found, self.hit_order.len(), forward)
    }

    /// The focused pane follows new lines (replay or live).
    pub fn following(&self) -> bool {
        self.pane(self.focus).follow
    }

    fn apply_severity_filter(&mut self) -> Vec<Command> {
        let mut commands = Vec::new();
        for id in PaneId::BOTH {
            let include = match self.severity_filter {
                Some(min) => Some((FilterKind::Severity(min), None)),
                // Off: a severity filter goes; a filter-in of another kind stays.
                None => match &self.pane(id).filter {
                    Some(Filter {
                        kind: FilterKind::Severity(_) | FilterKind::All,
                        ..
                    })
                    | None => None,
                    Some(filter) => Some((filter.kind.clone(), filter.test.clone())),
                },
            };
            commands.extend(self.narrow(id, include));
        }
        commands
    }

    fn copy(&mut self, all: bool) -> Vec<Command> {
        let Some(r) = self.panel_hit() else {
            self.message = Some(self.text(
                "No hit selected: n jumps to the next one.",
                "未选中命中：按 n 跳到下一个。",
            ));
            return Vec::new();
        };
        let captures = self.hit(r).map(|h| h.captures.clone()).unwrap_or_default();
        let context = self.fill_context_of(r);
        let Some(entry) = self.entry_of(r) else {
            return Vec::new();
        };
        // `y` copies the chosen option's commands when the remedy offers a choice, else its
        // first command; `Y` the remedy as one script: every step in turn, of a choice only
        // the chosen option (never alternatives together).
        let chosen = crate::catalogue::chosen_option(&entry.remedy, self.option);
        let steps: Vec<&RemedyStep> = match (all, chosen) {
            (false, Some(option)) => vec![option],
            _ => crate::catalogue::steps_with_option(&entry.remedy, self.option),
        };
        let mut copied: Vec<(&RemedyStep, &String)> = steps
            .into_iter()
            .flat_map(|step| step.run.iter().map(move |cmd| (step, cmd)))
            .collect();
        if !all && chosen.is_none() {
            copied.truncate(1);
        }
        if copied.is_empty() {
            self.message = Some(self.text(
                "This remedy has no command to copy.",
                "该解决方法没有可复制的命令。",
            ));
            return Vec::new();
        }
        let request = CopyRequest { hit: r, all };
        let destructive = copied.iter().find(|(step, _)| step.destructive);
        if let Some((step, _)) = destructive.filter(|_| self.confirmed_copy != Some(request)) {
            let key = if all { 'Y' } else { 'y' };
            let warning = fill_command_in(
                step.warning(self.lang).unwrap_or("").trim(),
                &captures,
                &context,
            );
            self.message = Some(match self.lang {
                Lang::En => format!("DESTRUCTIVE: {warning} Press {key} again to copy."),
                Lang::Zh => format!("危险操作：{warning} 再按一次 {key} 复制。"),
            });
            self.armed_copy = Some(request);
            return Vec::new();
        }
        let commands: Vec<FilledCommand> = copied
            .iter()
            .map(|(_, cmd)| fill_command_in(cmd, &captures, &context))
            .collect();
        let text = commands
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        // Placeholders the hit could not fill (no capture, or a value unsafe to paste) were
        // copied as `<name>`: say which, so the user types them in before pressing Enter.
        let mut unfilled: Vec<String> = commands
            .iter()
            .flat_map(|c| &c.unfilled)
            .map(|u| format!("<{}>", u.name))
            .collect();
        unfilled.dedup();
        let first_line = text.lines().next().unwrap_or("");
        self.message = Some(match (self.lang, unfilled.is_empty()) {
            (Lang::En, true) => format!("Copied to clipboard: {first_line}"),
            (Lang::Zh, true) => format!("已复制到剪贴板：{first_line}"),
            (Lang::En, false) => format!(
                "Copied; fill in {} before running: {first_line}",
                unfilled.join(", ")
            ),
            (Lang::Zh, false) => format!(
                "已复制；运行前请先填写 {}：{first_line}",
                unfilled.join("、")
            ),
        });
        vec![Command::Copy(text)]
    }

    /// `o`: take the next option of the panel hit's remedy's choice, and say which.
    fn next_option(&mut self) {
        let Some(entry) = self.panel_hit().and_then(|r| self.entry_of(r)) else {
            return;
        };
        let count = crate::catalogue::option_count(&entry.remedy);
        if count == 0 {
            self.message = Some(self.text(
                "This remedy offers no options to choose from.",
                "该解决方法没有可选的方案。",
            ));
            return;
        }
        let chosen = (self.option % count + 1) % count;
        let label = crate::catalogue::chosen_option(&entry.remedy, chosen)
            .and_then(|step| step.option(self.lang))
            .unwrap_or_default()
            .to_string();
        self.option = chosen;
        let mark = crate::explain::option_mark(chosen);
        self.message = Some(match self.lang {
            Lang::En => format!("Option {mark}) {label}: y copies it, Y the remedy with it"),
            Lang::Zh => format!("方案 {mark}) {label}：y 复制它，Y 复制包含它的整个解决方法"),
        });
    }

    // ---- prompt: search and filters ---------------------------------------------------------

    fn open_prompt(&mut self, kind: PromptKind) {
        self.prompt = Some(Prompt {
            kind,
            text: String::new(),
        });
    }

    fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Command> {
        let Some(prompt) = &mut self.prompt else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => self.prompt = None,
            KeyCode::Backspace => {
                prompt.text.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.text.clear()
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                prompt.text.push(c)
            }
            KeyCode::Enter => {
                let prompt = self.prompt.take().expect("checked above");
                return self.submit_prompt(prompt);
            }
            _ => {}
        }
        Vec::new()
    }

    fn submit_prompt(&mut self, prompt: Prompt) -> Vec<Command> {
        let text = prompt.text.trim().to_string();
        let pane_id = self.focus;
        if prompt.kind == PromptKind::Time {
            return self.time_prompt(&text);
        }
        if text.is_empty() {
            // An empty search repeats the last one (as in vi); an empty filter removes the
            // filter.
            match prompt.kind {
                PromptKind::Search => self.step_match(true),
                PromptKind::Time => {}
                PromptKind::FilterRegex | PromptKind::FilterFuzzy => {
                    return self.narrow(pane_id, None);
                }
                PromptKind::FilterOut => return self.set_hide(None),
            }
            return Vec::new();
        }
        let test = match prompt.kind {
            PromptKind::Search | PromptKind::FilterRegex | PromptKind::FilterOut => {
                // Smart case: all lowercase searches ignore case.
                let regex = RegexBuilder::new(&text)
                    .case_insensitive(!text.chars().any(char::is_uppercase))
                    .size_limit(8 << 20)
                    .build();
                match regex {
                    Ok(regex) => {
                        // A filter is not a search: `&` leaves the search (and its
                        // highlight, `>`/`<`) as it was.
                        if prompt.kind == PromptKind::Search {
                            self.search = Some((text.clone(), regex.clone()));
                        }
                        filter::FilterTest::Regex(regex)
                    }
                    Err(regex::Error::CompiledTooBig(limit)) => {
                        // It parses: say why it is refused, or it reads as a bug.
                        let mib = limit >> 20;
                        self.message = Some(match self.lang {
                            Lang::En => format!(
                                "Regex too big: it compiles to more than {mib} MiB; use fewer or smaller repetitions"
                            ),
                            Lang::Zh => format!(
                                "正则表达式过大：编译后超过 {mib} MiB；请减少重复次数或范围"
                            ),
                        });
                        return Vec::new();
                    }
                    Err(err) => {
                        let detail = err.to_string();
                        let detail = detail
                            .lines()
                            .find(|l| l.starts_with("error:"))
                            .unwrap_or("")
                            .trim_start_matches("error:")
                            .trim()
                            .to_string();
                        self.message = Some(match self.lang {
                            Lang::En => format!("Not a valid regex: {detail}"),
                            Lang::Zh => format!("正则表达式无效：{detail}"),
                        });
                        return Vec::new();
                    }
                }
            }
            PromptKind::FilterFuzzy => filter::FilterTest::Fuzzy(text.clone()),
            // Handled above: a time is not a filter.
            PromptKind::Time => return Vec::new(),
        };
        if prompt.kind == PromptKind::Search {
            self.step_match(true);
            return Vec::new();
        }
        if let (PromptKind::FilterOut, filter::FilterTest::Regex(regex)) = (prompt.kind, &test) {
            return self.set_hide(Some((text, regex.clone())));
        }
        let kind = match prompt.kind {
            PromptKind::FilterFuzzy => FilterKind::Fuzzy(text),
            _ => FilterKind::Regex(text),
        };
        self.narrow(pane_id, Some((kind, Some(test))))
    }

    /// `>` / `<` (and a new search): the next line matching the search, in the focused pane.
    fn step_match(&mut self, forward: bool) {
        let Some((_, regex)) = &self.search else {
            self.message =
                Some(self.text("No search yet: / starts one.", "尚未搜索：按 / 开始搜索。"));
            return;
        };
        let regex = regex.clone();
        let pane = self.pane(self.focus);
        // Lines, not rows, are walked: a big file's blocks are read through one at a time.
        let range = pane.store.range();
        let lines = if forward {
            pane.cursor + 1..pane.visible_end()
        } else {
            range.start..pane.cursor.min(pane.visible_end())
        };
        let shown = |line: u64| match &pane.filter {
            Some(filter) => filter.rows.binary_search(&line).is_ok(),
            None => true,
        };
        let found = pane.store.find_line(lines, forward, |line, text| {
            shown(line) && regex.is_match(text)
        });
        match found {
            Some(line) => {
                self.user_moved = true;
                let pane = self.pane_mut(self.focus);
                pane.follow = false;
                pane.store.make_resident([line]);
                pane.set_cursor(line);
                pane.center_cursor();
                self.reveal_match(&regex);
                self.select_hit_at_cursor();
                self.align_other_pane();
            }
            None => {
                self.message = Some(self.text("No more matches.", "没有更多匹配。"));
            }
        }
    }

    /// Scroll the focused pane sideways so the search's first match on the cursor's line is
    /// on screen (a match past the pane's right edge was found but not seen).
    fn reveal_match(&mut self, regex: &Regex) {
        let Some(area) = self.areas().panes[self.focus.index()] else {
            return;
        };
        let columns = layout::message_columns(area.width.saturating_sub(2));
        let pane = self.pane(self.focus);
        let (Some((raw, _)), Some((view, _))) =
            (pane.store.line(pane.cursor), pane.view(pane.cursor))
        else {
            return;
        };
        // Offsets as the view counts them: from where the shown message starts.
        let message_at = (view.message.as_ptr() as usize)
            .saturating_sub(raw.as_ptr() as usize)
            .min(raw.len());
        let repeated = view
            .ts
            .map_or(0, |ts| crate::parse::time::repeated_len(view.message, ts));
        let shown_from = (message_at + repeated).min(raw.len());
        let hscroll = match regex.find(&raw[shown_from..]) {
            Some(found) if found.end() <= columns => 0,
            // Past the right edge: scrolled so the match has some of its line before it.
            Some(found) if found.start() < pane.hscroll || found.end() > pane.hscroll + columns => {
                found.start().saturating_sub(columns / 4)
            }
            Some(_) => pane.hscroll,
            None => 0,
        };
        self.pane_mut(self.focus).hscroll = hscroll;
    }

    // ---- overlays ---------------------------------------------------------------------------

    fn on_overlay_key(&mut self, overlay: Overlay, key: KeyEvent) -> Vec<Command> {
        if matches!(
            overlay,
            Overlay::Incidents { .. } | Overlay::Incident { .. }
        ) {
            return self.on_incidents_key(overlay, key);
        }
        let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'))
            || (overlay == Overlay::Help && key.code == KeyCode::Char('?'))
            || (matches!(overlay, Overlay::HitList { .. }) && key.code == KeyCode::Char('H'))
            || (matches!(overlay, Overlay::Entry { .. }) && key.code == KeyCode::Enter);
        if close {
            self.overlay = None;
            return Vec::new();
        }
        match overlay {
            Overlay::Help => {}
            Overlay::HitList { selected } => {
                let rows = self.hit_list_rows();
                let last = rows.len().saturating_sub(1);
                let selected = match key.code {
                    KeyCode::Char('j') | KeyCode::Down => (selected + 1).min(last),
                    KeyCode::Char('k') | KeyCode::Up => selected.saturating_sub(1),
                    KeyCode::PageDown => (selected + 10).min(last),
                    KeyCode::PageUp => selected.saturating_sub(10),
                    KeyCode::Char('g') | KeyCode::Home => 0,
                    KeyCode::Char('G') | KeyCode::End => last,
                    KeyCode::Enter => {
                        self.overlay = None;
                        self.user_moved = true;
                        match rows.get(selected).copied() {
                            Some(unknown::ListRow::Hit(r)) => self.jump_to_hit(r),
                            Some(unknown::ListRow::Template(id)) => self.jump_to_template(id),
                            None => {}
                        }
                        return Vec::new();
                    }
                    _ => selected,
                };
                self.overlay = Some(Overlay::HitList { selected });
            }
            Overlay::Entry { scroll } => {
                let scroll = match key.code {
                    KeyCode::Char('j') | KeyCode::Down => scroll.saturating_add(1),
                    KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
                    KeyCode::PageDown | KeyCode::Char(' ') => scroll.saturating_add(10),
                    KeyCode::PageUp => scroll.saturating_sub(10),
                    KeyCode::Char('g') => 0,
                    KeyCode::Char('y') | KeyCode::Char('Y') => {
                        return self.copy(key.code == KeyCode::Char('Y'));
                    }
                    _ => scroll,
                };
                self.overlay = Some(Overlay::Entry { scroll });
            }
            Overlay::Incidents { .. } | Overlay::Incident { .. } => {}
        }
        Vec::new()
    }

    fn text(&self, en: &str, zh: &str) -> String {
        match self.lang {
            Lang::En => en.to_string(),
            Lang::Zh => zh.to_string(),
        }
    }
}

use crate::model::{Block, Hit};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_hits_leave_the_order_and_later_ones_move_back() {
        let (c, h) = (PaneId::Containers, PaneId::Host);
        let r = |pane, index| HitRef { pane, index };
        // Time order across both panes, not the panes' line order.
        let mut order = vec![
            r(c, 5),
            r(h, 0),
            r(c, 1),
            r(c, 0),
            r(c, 3),
            r(h, 2),
            r(c, 6),
            r(c, 2),
            r(c, 4),
        ];
        drop_from_order(&mut order, c, &[0, 2, 3]);
        // Kept: 1, 4, 5, 6, now at 0, 1, 2, 3; the other pane's untouched.
        assert_eq!(
            order,
            [r(c, 2), r(h, 0), r(c, 0), r(h, 2), r(c, 3), r(c, 1)]
        );
        drop_from_order(&mut order, h, &[]);
        assert_eq!(order.len(), 6);
        drop_from_order(&mut order, h, &[0]);
        assert_eq!(order, [r(c, 2), r(c, 0), r(h, 1), r(c, 3), r(c, 1)]);
    }
}
