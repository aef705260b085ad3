//! What flows into the app (events) and what the app asks the runtime to do (commands).

use std::{sync::Arc, time::Duration};

use crossterm::event::KeyEvent;

use crate::model::{Block, Hit, Ingested, PaneId, SourceState};

/// Everything that can change the app's state arrives as one of these, through one loop.
#[derive(Debug, Clone)]
pub enum Event {
    Key(KeyEvent),
    /// The mouse wheel (only with `--mouse`): rows to move, negative is up.
    Scroll(i64),
    Resize(u16, u16),
    /// Time passed (drives replay); carries how much, so tests control the clock.
    Tick(Duration),
    /// A block of lines for a pane, from any source (a file being loaded, a live burst),
    /// with the catalogue hits in it.
    Block {
        pane: PaneId,
        block: Arc<Block>,
        hits: Vec<Hit>,
        /// Its errors and warnings ([`crate::marks::classify`]), read where the event is
        /// made (a loader's thread, not the one drawing); `None`: the app reads them.
        classified: Option<Vec<crate::marks::Classified>>,
    },
    /// A block's errors and warnings, read after its hits were listed ([`Ingested::Marks`]).
    Marks {
        pane: PaneId,
        first: u64,
        block: Arc<Block>,
        classified: Vec<crate::marks::Classified>,
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
    /// The copy just written will be dropped by tmux, whose `set-clipboard` is this value.
    CopyDroppedByTmux(String),
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

impl From<Ingested> for Event {
    fn from(ingested: Ingested) -> Event {
        match ingested {
            Ingested::Block {
                pane,
                block,
                hits,
                classified,
            } => {
                // Read on the sending thread when its maker did not.
                let classified =
                    Some(classified.unwrap_or_else(|| crate::marks::classify(&block, &hits)));
                Event::Block {
                    pane,
                    block,
                    hits,
                    classified,
                }
            }
            Ingested::Marks {
                pane,
                first,
                block,
                classified,
            } => Event::Marks {
                pane,
                first,
                block,
                classified,
            },
            Ingested::State {
                pane,
                source,
                state,
            } => Event::Source {
                pane,
                source,
                state,
            },
        }
    }
}
