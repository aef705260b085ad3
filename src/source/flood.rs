//! A stand-in container for the live-path benchmark (`bench/live.sh`): replays a log file's
//! lines, as fast as the viewer takes them, through the same path a Docker container's lines
//! take. Hidden from the help; not a source anyone watches.

use std::{path::PathBuf, sync::Arc};

use super::{LiveLine, SourceMsg, Tx};
use crate::{
    model::{LineFields, SourceState},
    parse::Stream,
};

/// Send `total` lines, cycling through the lines of `path`, in batches; then report Loaded.
pub async fn run(path: PathBuf, total: u64, tx: Tx) {
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(err) => {
            let _ = tx
                .send(SourceMsg::State(SourceState::Failed(format!(
                    "{}: {err}",
                    path.display()
                ))))
                .await;
            return;
        }
    };
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return;
    }
    let origin: Arc<str> = Arc::from("docker:flood");
    let label: Arc<str> = Arc::from("flood");
    let _ = tx.send(SourceMsg::State(SourceState::Live)).await;
    let mut sent = 0u64;
    let mut next = lines.iter().cycle();
    while sent < total {
        let batch: Vec<LiveLine> = (0..1024.min(total - sent))
            .filter_map(|_| next.next())
            .map(|line| {
                let (ts, message) = super::docker::split_frame(line);
                LiveLine {
                    origin: origin.clone(),
                    fields: LineFields {
                        ts,
                        label: Some(label.clone()),
                        stream: Some(Stream::Stdout),
                        ..LineFields::default()
                    },
                    text: message.to_vec(),
                }
            })
            .collect();
        sent += batch.len() as u64;
        if tx.send(SourceMsg::Lines(batch)).await.is_err() {
            return;
        }
    }
    let _ = tx.send(SourceMsg::State(SourceState::Loaded)).await;
}
