//! The one place hits are made. Every source (a file, stdin, gzip, the journal, Docker, a
//! replay) arrives as [`Block`]s; [`match_block`] finds the catalogue's hits in one, and both
//! `triage scan` and the viewer take them from here, so the same line gets the same answer
//! however it arrived.
//!
//! What a regex sees is the line's **message**: the text after the prefix its format adds —
//! the timestamp of `docker logs -t`, the `service  | ` of `docker compose logs`, the
//! `TIME HOST IDENT[PID]: ` of syslog and `journalctl -o short*`, the `MESSAGE` field of
//! `journalctl -o json`/`export` and of the journal followed live, the log frame of the
//! Docker API. Formats that are a program's own log (nginx access and error logs, plain text)
//! have no such prefix: the message is the whole line. So `^` anchors at the start of what the
//! program wrote, everywhere (patterns/README.md says the same for authors of entries).

use std::ops::Range;

use crate::{
    level::{self, LevelTracker},
    matcher::{Match, Matcher, Searcher},
    model::{Block, Bytes, Hit, Level},
    parse::{self, LogFormat, LogLine, record},
};

/// The catalogue's hits in `block`, in line order (then by where they start on the line).
pub fn match_block(block: &Block, searcher: &Searcher) -> Vec<Hit> {
    match_lines(block, 0..block.len(), searcher)
}

/// The catalogue's hits on lines `lines` of `block` (indices are the block's, as in
/// [`match_block`]): a block matched in parts, on several threads, has the hits of the whole.
pub fn match_lines(block: &Block, lines: Range<usize>, searcher: &Searcher) -> Vec<Hit> {
    let mut hits = Vec::new();
    let lines = lines.start..lines.end.min(block.len());
    if lines.is_empty() {
        return hits;
    }
    let bytes = block.bytes();
    let start = block.line_range(lines.start).start;
    let end = if lines.end < block.len() {
        block.line_range(lines.end).start
    } else {
        bytes.len()
    };
    // Each candidate line comes once, in order (`Searcher::candidate_lines` says so).
    searcher.candidate_lines(&bytes[start..end], |range| {
        let index = block.line_of_offset(start + range.start);
        match_one(block, index, searcher.matcher(), &mut hits);
        true
    });
    hits
}

/// The unrecognised errors of `block`: lines with no hit in `hits` whose own level is at
/// least `min`, as (line index, level) in line order. A traceback's frames and `Caused by:`
/// lines belong to the line that started them: that line is reported, not each frame.
pub fn unrecognised(block: &Block, hits: &[Hit], min: Level) -> Vec<(usize, Level)> {
    unrecognised_except(block, hits.iter().map(|h| h.index), min)
}

/// [`unrecognised`] with the hit lines given as indices in the block, ascending (the viewer
/// holds its hits by line, not as the block's `Hit`s).
pub fn unrecognised_except(
    block: &Block,
    hit_lines: impl IntoIterator<Item = usize>,
    min: Level,
) -> Vec<(usize, Level)> {
    if block.is_empty() {
        return Vec::new();
    }
    let candidates = warning_candidates(block);
    let mut tracker = LevelTracker::new();
    let mut out = Vec::new();
    let mut hit_lines = hit_lines.into_iter().peekable();
    // A plain text line is its own message: its level needs no parsing of its time.
    let plain = block.fields(0).is_none() && block.text_format().format == LogFormat::Plain;
    for (index, &candidate) in candidates.iter().enumerate() {
        let maybe = candidate
            || block
                .fields(index)
                .is_some_and(|f| f.priority.is_some_and(|p| p <= 4))
            || level::is_candidate_start(block.line(index));
        let level = if !maybe && min >= Level::Warning {
            tracker.skip();
            None
        } else if plain {
            tracker.next(&LogLine {
                ts: None,
                label: None,
                stream: None,
                priority: None,
                message: block.line(index),
            })
        } else {
            tracker.next(&block.view(index))
        };
        let mut hit = false;
        while let Some(&h) = hit_lines.peek() {
            if h > index {
                break;
            }
            hit |= h == index;
            hit_lines.next();
        }
        if let Some(level) = level.filter(|&l| l >= min && !hit && !tracker.continued()) {
            out.push((index, level));
        }
    }
    out
}

/// Which lines of `block` hold one of [`level::warning_markers`]: one pass over the block's
/// bytes, a line's first marker enough. The others are below warning and no 4xx, left unread.
fn warning_candidates(block: &Block) -> Vec<bool> {
    use aho_corasick::{AhoCorasick, MatchKind};
    // Leftmost-first: which marker is found does not matter, and it lets the search run as
    // a packed SIMD (Teddy) search rather than an automaton. Two searches, the level words
    // and the other markers, each take less than half the time of one over both: markers
    // that start with a space or a quote share the words' buckets and stop it everywhere.
    fn searcher(markers: &[String]) -> AhoCorasick {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(markers)
            .expect("fixed patterns build")
    }
    static SEARCHERS: std::sync::LazyLock<[AhoCorasick; 2]> = std::sync::LazyLock::new(|| {
        let (words, others) = level::warning_markers();
        [searcher(&words), searcher(&others)]
    });
    let mut candidates = vec![false; block.len()];
    for markers in SEARCHERS.iter() {
        mark_lines(block, markers, &mut candidates);
    }
    candidates
}

/// Mark the lines of `block` where `searcher` finds something (skipping lines already marked).
fn mark_lines(block: &Block, searcher: &aho_corasick::AhoCorasick, marked: &mut [bool]) {
    use aho_corasick::Input;
    let bytes = block.bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some(found) = searcher.find(Input::new(bytes).span(at..bytes.len())) else {
            break;
        };
        let line = block.line_of_offset(found.start());
        marked[line] = true;
        // Past the lines an earlier search marked already.
        let line = line + marked[line + 1..].iter().take_while(|&&m| m).count();
        at = if line + 1 < block.len() {
            block.line_range(line + 1).start
        } else {
            bytes.len()
        };
    }
}

/// Match line `index` of `block`, appending its hits to `out`.
fn match_one(block: &Block, index: usize, matcher: &Matcher, out: &mut Vec<Hit>) {
    let line = block.line(index);
    let view = block.view(index);
    let matches = matcher.match_message(view.message);
    if matches.is_empty() {
        return;
    }
    let ts = view.ts.or_else(|| block.view_in_context(index).ts);
    let offset = message_offset(line, &view);
    out.extend(
        matches
            .into_iter()
            .map(|m| hit(matcher, index, offset, ts, m)),
    );
}

fn hit(
    matcher: &Matcher,
    index: usize,
    offset: usize,
    ts: Option<jiff::Timestamp>,
    m: Match,
) -> Hit {
    Hit {
        index,
        entry: m.entry,
        severity: matcher.severity(m.entry),
        spans: m
            .spans
            .into_iter()
            .map(|s| s.start + offset..s.end + offset)
            .collect(),
        captures: m.captures,
        ts,
    }
}

/// Where the message starts in the line it was read from.
pub fn message_offset(line: &[u8], view: &LogLine) -> usize {
    let (line_at, message_at) = (line.as_ptr() as usize, view.message.as_ptr() as usize);
    if message_at >= line_at && message_at + view.message.len() <= line_at + line.len() {
        message_at - line_at
    } else {
        0
    }
}

/// The hits on one line pasted or written on its own (a catalogue example, `triage explain`),
/// in whatever format it looks like: a line of `journalctl -o json` is matched on its
/// `MESSAGE`, a Docker json-file record on its `log`, a JSON or logfmt application line on
/// its `msg` (and the fields after it), a syslog line on what follows `IDENT[PID]: `. Spans
/// are offsets in `line` (for a record, in its decoded message).
pub fn match_line(matcher: &Matcher, line: &[u8]) -> Vec<Hit> {
    let block = pasted_line(line);
    let mut hits = Vec::new();
    for index in 0..block.len() {
        match_one(&block, index, matcher, &mut hits);
    }
    hits
}

/// One line pasted or written on its own, read in the format it looks like (a line of
/// `journalctl -o json` becomes the parts of its `MESSAGE`).
fn pasted_line(line: &[u8]) -> Block {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let format = parse::sniff(line);
    if format.is_structured() && format != LogFormat::JournalExport {
        Block::from_fields(record::decode_line(format, line, None).lines())
    } else {
        Block::new(Bytes::Owned(line.to_vec())).in_format(format, 2000)
    }
}

/// The messages of one pasted line, as [`match_line`] matches them: what a regex sees of it.
pub fn line_messages(line: &[u8]) -> Vec<Vec<u8>> {
    let block = pasted_line(line);
    (0..block.len())
        .map(|index| {
            let message = block.view(index).message;
            message.strip_suffix(b"\r").unwrap_or(message).to_vec()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line read, no prefilter: what `unrecognised` must equal.
    fn every_line(block: &Block, min: Level) -> Vec<(usize, Level)> {
        let mut tracker = LevelTracker::new();
        (0..block.len())
            .filter_map(|i| {
                let level = tracker.next(&block.view(i));
                level
                    .filter(|&l| l >= min && !tracker.continued())
                    .map(|l| (i, l))
            })
            .collect()
    }

    #[test]
    fn a_block_matched_in_parts_has_the_hits_of_the_whole() {
        let (catalogue, errors) = crate::catalogue::Catalogue::builtin();
        assert!(errors.is_empty());
        let matcher = Matcher::new(&catalogue);
        // Hits here and there among ordinary lines (the line bench/live.sh floods with).
        let text: String = (0..300)
            .map(|n| match n % 7 {
                3 | 5 => format!(
                    "2026/11/28 14:00:{:02} [error] 29#29: *{n} connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1\n",
                    n % 60
                ),
                _ => format!("2026/11/28 14:00:{:02} [notice] 29#29: request {n} done\n", n % 60),
            })
            .collect();
        let block = Block::new(Bytes::Owned(text.into_bytes()));
        let searcher = Searcher::new(&matcher);
        let whole = match_block(&block, &searcher);
        assert!(
            whole.len() > 3,
            "the sample has hits enough: {}",
            whole.len()
        );
        for cut in [
            0,
            1,
            whole[1].index,
            whole[1].index + 1,
            block.len() / 2,
            block.len(),
        ] {
            let mut parts = match_lines(&block, 0..cut, &searcher);
            parts.extend(match_lines(&block, cut..block.len(), &searcher));
            assert_eq!(parts, whole, "cut at line {cut}");
        }
        // Past the end: nothing, not a panic.
        assert!(match_lines(&block, block.len()..block.len() + 5, &searcher).is_empty());
    }

    #[test]
    fn the_prefilter_loses_no_warning_or_error() {
        let dirs = ["tests/fixtures/loghub", "tests/fixtures/formats"];
        let mut checked = 0;
        for dir in dirs {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let format = parse::detect(bytes.split(|&b| b == b'\n'));
                if format.is_structured() {
                    continue;
                }
                let block = Block::new(Bytes::Owned(bytes)).in_format(format, 2026);
                for min in [Level::Warning, Level::Err] {
                    let want = every_line(&block, min);
                    assert_eq!(unrecognised(&block, &[], min), want, "{}", path.display());
                    checked += want.len();
                }
            }
        }
        // The samples hold warnings and errors enough to mean something.
        assert!(checked > 1000, "{checked}");
    }
}
