//! From a live source to the viewer: lines are matched here, off the UI thread, and handed
//! to the app in batches, one event per burst.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{LiveLine, SourceMsg};
use crate::{
    app::{BlockHit, Event, PaneId, pane::STDERR_TAG},
    catalogue::Catalogue,
    matcher::Matcher,
    parse::{self, LogFormat, Stream},
};

/// Lines per event at most: a flood is cut into frames' worth.
const BATCH: usize = 4096;

/// Forward one source's messages to the app as events for `pane` (its source `tag`), until
/// either side goes away.
pub async fn to_app(
    pane: PaneId,
    tag: u16,
    format: LogFormat,
    mut from_source: mpsc::Receiver<SourceMsg>,
    to_app: mpsc::Sender<Event>,
    catalogue: Arc<Catalogue>,
    matcher: Arc<Matcher>,
) {
    let year = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .year();
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
        let mut lines: Vec<(u16, Vec<u8>)> = Vec::new();
        let mut hits = Vec::new();
        for msg in pending {
            match msg {
                SourceMsg::Lines(batch) => {
                    for line in batch {
                        let (line_tag, text) = stored(tag, line);
                        for hit in matcher.match_line(&text) {
                            hits.push(BlockHit {
                                index: lines.len(),
                                entry: hit.entry,
                                severity: catalogue.entries()[hit.entry].severity,
                                spans: hit.spans,
                                captures: hit.captures,
                                ts: parse::parse_line(format, &text, year).ts,
                            });
                        }
                        lines.push((line_tag, text));
                    }
                }
                SourceMsg::State(state) => {
                    // Lines before a state change are shown before it.
                    if !lines.is_empty() {
                        let event = Event::Lines {
                            pane,
                            lines: std::mem::take(&mut lines),
                            hits: std::mem::take(&mut hits),
                        };
                        if to_app.send(event).await.is_err() {
                            return;
                        }
                    }
                    if to_app
                        .send(Event::Source {
                            pane,
                            source: tag,
                            state,
                        })
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
        if !lines.is_empty()
            && to_app
                .send(Event::Lines { pane, lines, hits })
                .await
                .is_err()
        {
            return;
        }
    }
}

/// How a live line is stored: journal lines carry their priority as a syslog `<PRI>` prefix
/// (the parser reads it back), stderr lines a tag bit.
fn stored(tag: u16, line: LiveLine) -> (u16, Vec<u8>) {
    let tag = match line.stream {
        Some(Stream::Stderr) => tag | STDERR_TAG,
        _ => tag,
    };
    match line.priority {
        Some(priority) => {
            let mut text = format!("<{priority}>").into_bytes();
            text.extend_from_slice(&line.text);
            (tag, text)
        }
        None => (tag, line.text),
    }
}
