//! What flows into the app (events) and what the app asks the runtime to do (commands).

use std::{sync::Arc, time::Duration};

use crossterm::event::KeyEvent;

use super::pane::{BlockHit, PaneId, SourceState};
use crate::store::Block;

/// Everything that can change the app's state arrives as one of these, through one loop.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    /// The mouse wheel (only with `--mouse`): rows to move, negative is up.
    Scroll(i64),
    Resize(u16, u16),
    /// Time passed (drives replay); carries how much, so tests control the clock.
    Tick(Duration),
    /// A loader read a block of lines for a pane, with the catalogue hits in it.
    Block {
        pane: PaneId,
        block: Arc<Block>,
        hits: Vec<BlockHit>,
    },
    /// Lines from a live source, `(tag, text)`, with the catalogue hits among them (line
    /// indices relative to `lines`).
    Lines {
        pane: PaneId,
        lines: Vec<(u16, Vec<u8>)>,
        hits: Vec<BlockHit>,
    },
    /// A source's state changed (loading progress, done, failed, reconnecting).
    Source {
        pane: PaneId,
        source: u16,
        state: SourceState,
    },
    /// Results of a filter job.
    FilterRows {
        pane: PaneId,
        generation: u64,
        rows: Vec<u64>,
        done: bool,
    },
    /// SIGHUP, SIGTERM, SIGINT: the session is over.
    Signal(&'static str),
}

/// What only the runtime can do, asked for by `update`.
#[derive(Debug, Clone)]
pub enum Command {
    Quit,
    /// Put text on the user's clipboard (OSC 52).
    Copy(String),
    /// Compute a filter's rows in the background.
    Filter(super::filter::FilterJob),
}
