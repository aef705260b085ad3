//! From a live source to the viewer: each burst of lines becomes one block, matched here (off
//! the UI thread) by the same function that matches files, and handed to the app as one event.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{LiveLine, SourceMsg};
use crate::{
    ingest,
    matcher::{Matcher, Searcher},
    model::{Ingested, PaneId},
};

/// Lines per event at most: a flood is cut into frames' worth.
const BATCH: usize = 4096;

/// Forward one source's messages to the app as events for `pane` (its source `tag`), until
/// either side goes away. The app's event type is the caller's: anything made from
/// [`Ingested`].
pub async fn to_app<E: From<Ingested> + Send>(
    pane: PaneId,
    tag: u16,
    mut from_source: mpsc::Receiver<SourceMsg>,
    to_app: mpsc::Sender<E>,
    matcher: Arc<Matcher>,
) {
    let searcher = Searcher::new(&matcher);
    while let Some(first) = from_source.recv().await {
        let mut pending = vec![first];
        let mut count = 0;
        while count < BATCH {
            match from_source.try_recv() {
                Ok(msg) => {
                    if let SourceMsg::Lines(lines) = &msg {
                        count += lines.len();
                    }
                    pending.push(msg);
                }
                Err(_) => break,
            }
        }
        let mut lines: Vec<LiveLine> = Vec::new();
        for msg in pending {
            match msg {
                SourceMsg::Lines(batch) => lines.extend(batch),
                SourceMsg::State(state) => {
                    // Lines before a state change are shown before it.
                    let lines = std::mem::take(&mut lines);
                    if !send_lines(pane, tag, lines, &searcher, &to_app).await
                        || to_app
                            .send(E::from(Ingested::State {
                                pane,
                                source: tag,
                                state,
                            }))
                            .await
                            .is_err()
                    {
                        return;
                    }
                }
            }
        }
        if !send_lines(pane, tag, lines, &searcher, &to_app).await {
            return;
        }
    }
}

/// Match `lines` as one block and send it; `false` if the app has gone.
async fn send_lines<E: From<Ingested>>(
    pane: PaneId,
    tag: u16,
    lines: Vec<LiveLine>,
    searcher: &Searcher<'_>,
    to_app: &mpsc::Sender<E>,
) -> bool {
    if lines.is_empty() {
        return true;
    }
    let block = super::into_block(lines, tag);
    let hits = ingest::match_block(&block, searcher);
    to_app
        .send(E::from(Ingested::Block {
            pane,
            block: Arc::new(block),
            hits,
        }))
        .await
        .is_ok()
}
