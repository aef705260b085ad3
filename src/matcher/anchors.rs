//! A faster prefilter for big inputs: a few short "anchors" shared by many guard literals,
//! searched with Teddy (SIMD) in a handful of passes, instead of one automaton over hundreds
//! of long literals (whose tables no longer fit the cache).
//!
//! Every guard literal contains at least one anchor (each anchor is a substring of the literals
//! it covers), so a line holding a guard literal holds an anchor: the filter never loses a
//! line. Anchors are chosen to be rare in the input itself, measured on a sample of it, so few
//! lines pass that do not need to.

use std::collections::HashMap;

use aho_corasick::{
    Span,
    packed::{Config, MatchKind, Searcher},
};

/// Anchors are this long at least (shorter ones are too common)...
const MIN_ANCHOR: usize = 4;
/// ...and at most (longer ones are rarely shared).
const MAX_ANCHOR: usize = 8;
/// Anchors per Teddy searcher: beyond ~50 its buckets fill and it slows down.
const PER_SEARCHER: usize = 48;

/// Teddy searchers over anchors covering every literal.
#[derive(Debug)]
pub struct AnchorPlan {
    searchers: Vec<Searcher>,
    pub anchors: usize,
}

impl AnchorPlan {
    /// Choose anchors for `literals`, rare in `sample`. `None` if Teddy is not available on
    /// this CPU (the caller keeps its automaton).
    pub fn new(literals: &[Vec<u8>], sample: &[u8]) -> Option<AnchorPlan> {
        let anchors = choose(literals, sample);
        let mut searchers = Vec::new();
        for group in anchors.chunks(PER_SEARCHER) {
            let mut builder = Config::new().match_kind(MatchKind::LeftmostFirst).builder();
            for anchor in group {
                builder.add(anchor);
            }
            searchers.push(builder.build()?);
        }
        Some(AnchorPlan {
            anchors: anchors.len(),
            searchers,
        })
    }

    /// Starts of the lines of `buf` that hold an anchor, ascending.
    pub fn candidate_lines(&self, buf: &[u8]) -> Vec<usize> {
        let mut starts = Vec::new();
        for searcher in &self.searchers {
            let mut pos = 0;
            while pos < buf.len() {
                let Some(m) = searcher.find_in(buf, Span::from(pos..buf.len())) else {
                    break;
                };
                let start =
                    memchr::memrchr(b'\n', &buf[pos..m.start()]).map_or(pos, |i| pos + i + 1);
                starts.push(start);
                // One is enough per line: go on from the next line.
                pos = memchr::memchr(b'\n', &buf[m.end()..]).map_or(buf.len(), |i| m.end() + i + 1);
            }
        }
        starts.sort_unstable();
        starts.dedup();
        starts
    }
}

/// Greedy set cover: repeatedly take the candidate anchor that covers the most literals not
/// yet covered, among those rare enough in the sample; a literal no rare anchor covers is its
/// own anchor.
fn choose(literals: &[Vec<u8>], sample: &[u8]) -> Vec<Vec<u8>> {
    // Every substring of MIN..=MAX bytes of every literal, with the literals it covers.
    let mut covers: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (index, literal) in literals.iter().enumerate() {
        for len in MIN_ANCHOR..=MAX_ANCHOR.min(literal.len()) {
            for start in 0..=literal.len() - len {
                let list = covers.entry(&literal[start..start + len]).or_default();
                if list.last() != Some(&index) {
                    list.push(index);
                }
            }
        }
    }
    let counts = gram_counts(covers.keys().copied(), sample);
    // An anchor's frequency is at most that of its rarest 4-byte piece.
    let frequency = |anchor: &[u8]| {
        anchor
            .windows(MIN_ANCHOR)
            .map(|w| counts.get(&gram(w)).copied().unwrap_or(0))
            .min()
            .unwrap_or(u32::MAX)
    };
    // About one occurrence per MiB of sample is rare enough.
    let rare = (sample.len() >> 20).max(1) as u32;
    let mut candidates: Vec<(&[u8], Vec<usize>)> = covers
        .into_iter()
        .filter(|(anchor, _)| frequency(anchor) <= rare)
        .collect();
    // A stable order, so the same input gives the same plan.
    candidates.sort_by(|a, b| a.0.cmp(b.0));
    let mut covered = vec![false; literals.len()];
    let mut chosen: Vec<Vec<u8>> = Vec::new();
    loop {
        let best = candidates
            .iter()
            .map(|(anchor, list)| {
                (
                    list.iter().filter(|&&i| !covered[i]).count(),
                    anchor.len(),
                    *anchor,
                    list,
                )
            })
            .filter(|(gain, ..)| *gain > 0)
            .max_by_key(|(gain, len, ..)| (*gain, *len));
        let Some((_, _, anchor, list)) = best else {
            break;
        };
        for &i in list {
            covered[i] = true;
        }
        chosen.push(anchor.to_vec());
    }
    for (literal, done) in literals.iter().zip(&covered) {
        if !done {
            chosen.push(literal.clone());
        }
    }
    chosen
}

fn gram(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// How often each 4-byte piece of the candidates occurs in the sample.
fn gram_counts<'a>(candidates: impl Iterator<Item = &'a [u8]>, sample: &[u8]) -> HashMap<u32, u32> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    for candidate in candidates {
        for window in candidate.windows(MIN_ANCHOR) {
            counts.insert(gram(window), 0);
        }
    }
    // A bitmap in front of the map: nearly every window of the sample is in no candidate.
    let mut seen = vec![0u64; 1 << 10];
    let bit = |g: u32| (g.wrapping_mul(0x9E37_79B1) >> 16) as usize;
    for &g in counts.keys() {
        seen[bit(g) >> 6] |= 1 << (bit(g) & 63);
    }
    for window in sample.windows(MIN_ANCHOR) {
        let g = gram(window);
        let b = bit(g);
        if seen[b >> 6] & (1 << (b & 63)) != 0 {
            if let Some(count) = counts.get_mut(&g) {
                *count = count.saturating_add(1);
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_literal_is_covered_by_an_anchor_it_contains() {
        let literals: Vec<Vec<u8>> = [
            "Out of memory: Killed process",
            "Memory cgroup out of memory: Killed process",
            "NO_PUBKEY ",
            "dpkg was interrupted",
            "abc",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let sample =
            b"normal traffic: GET / HTTP/1.1 200\nKilled process list refreshed\n".repeat(1000);
        let anchors = choose(&literals, &sample);
        for literal in &literals {
            assert!(
                anchors
                    .iter()
                    .any(|a| memchr::memmem::find(literal, a).is_some()),
                "{:?} not covered by {anchors:?}",
                String::from_utf8_lossy(literal)
            );
        }
        // Shared: the two OOM literals need one anchor between them, and it is not the
        // common "Killed process".
        assert!(anchors.len() < literals.len());
        assert!(
            !anchors
                .iter()
                .any(|a| memchr::memmem::find(b"Killed process", a).is_some()
                    && a.len() >= 4
                    && sample.windows(a.len()).any(|w| w == a.as_slice()))
        );
    }

    #[test]
    fn candidate_lines_are_the_lines_holding_an_anchor() {
        let literals = vec![b"NO_PUBKEY ".to_vec(), b"dpkg was interrupted".to_vec()];
        let Some(plan) = AnchorPlan::new(&literals, b"") else {
            // No Teddy on this CPU: the matcher keeps its automaton, and this test cannot run.
            // CI must not report it passed.
            assert!(
                std::env::var_os("CI").is_none(),
                "Teddy is not available on this CPU: the anchor prefilter is untested"
            );
            eprintln!("SKIPPED: no Teddy on this CPU (with CI set this fails)");
            return;
        };
        let buf =
            b"a line\nW: NO_PUBKEY 7EA0\nmore\nE: dpkg was interrupted, you must\nlast".repeat(20);
        let starts = plan.candidate_lines(&buf);
        assert_eq!(starts.len(), 40);
        assert!(starts.iter().all(|&s| buf[s..].starts_with(b"W: NO_PUBKEY") || buf[s..].starts_with(b"E: dpkg")));
    }
}
