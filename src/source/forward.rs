//! From a live source to the viewer: each burst of lines becomes one block, matched here (off
//! the UI thread) by the same function that matches files, and handed to the app as one event.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{LiveLine, SourceMsg};
use crate::{
    ingest,
    matcher::{Matcher, Searcher},
    model::{Block, Hit, Ingested, PaneId},
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
        // The sources' batches as they came: one block is built from them all, without first
        // moving every line into one list.
        let mut lines: Vec<Vec<LiveLine>> = Vec::new();
        for msg in pending {
            match msg {
                SourceMsg::Lines(batch) => lines.push(batch),
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
    lines: Vec<Vec<LiveLine>>,
    searcher: &Searcher<'_>,
    to_app: &mpsc::Sender<E>,
) -> bool {
    if lines.iter().all(Vec::is_empty) {
        return true;
    }
    let block = super::into_block(lines, tag);
    let hits = match_on_two_threads(&block, searcher);
    to_app
        .send(E::from(Ingested::Block {
            pane,
            block: Arc::new(block),
            hits,
            // Read by `E::from`, on this task.
            classified: None,
        }))
        .await
        .is_ok()
}

/// Lines in a block from which its halves are matched at once, on two threads.
const SPLIT_LINES: usize = 2048;

/// [`ingest::match_block`], a big block's halves matched at once: under a flood this task is
/// the live path's slowest step (most of it matching), and the machine may have a core free.
fn match_on_two_threads(block: &Block, searcher: &Searcher<'_>) -> Vec<Hit> {
    if block.len() < SPLIT_LINES {
        return ingest::match_block(block, searcher);
    }
    let half = block.len() / 2;
    std::thread::scope(|scope| {
        let later = scope.spawn(|| ingest::match_lines(block, half..block.len(), searcher));
        let mut hits = ingest::match_lines(block, 0..half, searcher);
        match later.join() {
            Ok(later) => hits.extend(later),
            // Matching does not panic; if it ever did, it would have here on one thread too.
            Err(panic) => std::panic::resume_unwind(panic),
        }
        hits
    })
}
