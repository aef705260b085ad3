//! Live sources: Docker containers (through the Engine API) and the journal (through
//! journalctl). Each runs as a task that sends [`SourceMsg`]s: batches of lines, and changes of
//! its state. The viewer and `triage scan` consume the same messages.

pub mod docker;
pub mod flood;
pub mod forward;
pub mod journal;

use std::{sync::Arc, time::Duration};

use jiff::Timestamp;
use tokio::sync::mpsc;

pub use crate::model::SourceState;
use crate::model::{Block, LineFields};

/// One line from a live source, as it arrived: its message and its fields (time, container or
/// unit, stream, priority), never written out as text to be parsed again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveLine {
    /// Where it came from, as `triage scan` names it: `docker:NAME`, `journal`.
    pub origin: Arc<str>,
    pub fields: LineFields,
    /// The message.
    pub text: Vec<u8>,
}

/// A burst of live lines as a block, tagged as source `tag` of its pane.
pub fn block_of(lines: &[LiveLine], tag: u16) -> Block {
    Block::from_fields(lines.iter().map(|l| (l.text.as_slice(), l.fields.clone()))).with_tag(tag)
}

/// [`block_of`] of several bursts in a row, taking the lines' fields rather than copying them
/// (the viewer's path: the lines are not needed after).
pub fn into_block(mut bursts: Vec<Vec<LiveLine>>, tag: u16) -> Block {
    Block::from_fields(
        bursts
            .iter_mut()
            .flatten()
            .map(|LiveLine { text, fields, .. }| (text.as_slice(), std::mem::take(fields))),
    )
    .with_tag(tag)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceMsg {
    Lines(Vec<LiveLine>),
    State(SourceState),
}

pub type Tx = mpsc::Sender<SourceMsg>;

/// Backoff between reconnection attempts: doubles from one second up to thirty.
#[derive(Debug)]
pub struct Backoff(Duration);

impl Default for Backoff {
    fn default() -> Self {
        Backoff(Duration::from_secs(1))
    }
}

impl Backoff {
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.0;
        self.0 = (self.0 * 2).min(Duration::from_secs(30));
        wait
    }

    pub fn reset(&mut self) {
        self.0 = Duration::from_secs(1);
    }
}

/// `--since`: an RFC 3339 time, `YYYY-MM-DD[ HH:MM[:SS]]` (UTC), or an age such as `30s`,
/// `10m`, `2h`, `3d` (ago).
pub fn parse_since(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let units = [('s', 1i64), ('m', 60), ('h', 3600), ('d', 86_400)];
    if let Some((unit, seconds)) = units.iter().find(|(u, _)| text.ends_with(*u)) {
        let number = text.trim_end_matches(*unit).trim_start_matches('-');
        if let Ok(n) = number.parse::<i64>() {
            return Timestamp::now()
                .checked_sub(jiff::SignedDuration::from_secs(n.saturating_mul(*seconds)))
                .map_err(|e| e.to_string());
        }
    }
    let civil = text.parse::<jiff::civil::DateTime>().or_else(|_| {
        text.parse::<jiff::civil::Date>()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    });
    civil
        .ok()
        .and_then(|dt| jiff::tz::Offset::UTC.to_timestamp(dt).ok())
        .ok_or_else(|| {
            format!("cannot read `{text}` as a time: give e.g. 2026-11-28T14:00:00Z, \"2026-11-28 14:00\", 30m, 2h, 1d")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_forms() {
        assert_eq!(
            parse_since("2026-11-28T14:00:00Z").unwrap().to_string(),
            "2026-11-28T14:00:00Z"
        );
        assert_eq!(
            parse_since("2026-11-28 14:00").unwrap().to_string(),
            "2026-11-28T14:00:00Z"
        );
        assert_eq!(
            parse_since("2026-11-28").unwrap().to_string(),
            "2026-11-28T00:00:00Z"
        );
        let ago = Timestamp::now().as_second() - parse_since("2h").unwrap().as_second();
        assert!((7199..=7201).contains(&ago));
        assert!(parse_since("yesterday-ish").is_err());
    }

    #[test]
    fn backoff_doubles_to_a_ceiling() {
        let mut b = Backoff::default();
        let waits: Vec<u64> = (0..7).map(|_| b.next_wait().as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
        b.reset();
        assert_eq!(b.next_wait().as_secs(), 1);
    }
}
