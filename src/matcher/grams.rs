//! The prefilter for big inputs: one pass that reads only every `step`-th 4-byte window of the
//! input, whatever the number of literals.
//!
//! Why not one automaton or Teddy: an Aho-Corasick automaton over hundreds of literals reads
//! every byte through tables that no longer fit the cache, and Teddy holds ~50 patterns a pass
//! (the catalogue needed five passes, and the catalogue keeps growing). Here the cost of a pass
//! does not grow with the literals: only the size of a bitmap does.
//!
//! How it never loses a line: every guard literal is at least `step + 3` bytes long, so an
//! occurrence of it covers `step` consecutive window starts, one of each remainder modulo
//! `step`. For each remainder, one 4-byte piece of the literal at an offset with that remainder
//! is in the filter, so whichever windows the pass reads, one of them is such a piece. Among the
//! pieces of a remainder the one rarest in a sample of the input is chosen, so the pass stops
//! rarely where no literal is. A stop is confirmed by comparing the whole literal.

/// Windows are this long: one unaligned `u32` load.
const GRAM: usize = 4;
/// The longest step: beyond it the windows read are few already, and short literals decide.
const MAX_STEP: usize = 8;

/// One pass over a buffer for the lines holding any of a set of literals.
#[derive(Debug)]
pub struct GramFilter {
    /// Windows read: every `step`-th.
    pub step: usize,
    literals: Vec<Vec<u8>>,
    /// One bit per hash of a chosen piece: most windows stop at one load here.
    bitmap: Vec<u64>,
    /// `32 - log2(bits in the bitmap)`: the hash's top bits index it.
    shift: u32,
    /// Each chosen piece with the literal it was chosen for and where it sits in it, sorted
    /// by piece: looked up only where the bitmap says a piece may be.
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Piece {
    gram: u32,
    literal: u32,
    offset: u32,
}

impl GramFilter {
    /// The filter for `literals`, with pieces chosen rare in `sample`. `None` if a literal is
    /// shorter than a window (it cannot be found this way; the caller keeps its automaton).
    pub fn new(literals: &[Vec<u8>], sample: &[u8]) -> Option<GramFilter> {
        let shortest = literals.iter().map(Vec::len).min()?;
        if shortest < GRAM {
            return None;
        }
        let step = (shortest - GRAM + 1).min(MAX_STEP);
        // About 1 bit in 64 set at most: a window that is no piece stops 1 time in 64 at most.
        let bits = (literals.len() * step * 64)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 22);
        let shift = 32 - bits.trailing_zeros();
        // What each bit would cost: how many windows of the sample set it off. A piece is
        // chosen by its bit's load, not by its own count, so a frequent window of the input
        // that shares a bit with a piece counts against that piece too.
        let load = bit_load(sample, shift);
        let cost = |piece: &[u8]| load[hash(gram(piece), shift)];
        let mut pieces = Vec::new();
        for (index, literal) in literals.iter().enumerate() {
            for remainder in 0..step {
                let cheapest = (remainder..=literal.len() - GRAM)
                    .step_by(step)
                    .min_by_key(|&at| cost(&literal[at..]))
                    .expect("a literal of step + 3 bytes has a window of every remainder");
                pieces.push(Piece {
                    gram: gram(&literal[cheapest..]),
                    literal: index as u32,
                    offset: cheapest as u32,
                });
            }
        }
        pieces.sort_unstable();
        pieces.dedup();
        let mut bitmap = vec![0u64; bits / 64];
        for piece in &pieces {
            let bit = hash(piece.gram, shift);
            bitmap[bit >> 6] |= 1 << (bit & 63);
        }
        Some(GramFilter {
            step,
            literals: literals.to_vec(),
            bitmap,
            shift,
            pieces,
        })
    }

    /// Call `on_line(start)` with the start of every line of `buf` that holds a literal, in
    /// order, each once, until it returns `false`. Returns `false` if stopped early.
    pub fn candidate_lines(&self, buf: &[u8], mut on_line: impl FnMut(usize) -> bool) -> bool {
        // Lines before this one are done: a stop inside them is not looked at again.
        let mut next_line = 0;
        let mut from = 0;
        while let Some(at) = self.next_stop(buf, from) {
            let Some(start) = self.literal_at(buf, at).filter(|&s| s >= next_line) else {
                from = at + self.step;
                continue;
            };
            let line = memchr::memrchr(b'\n', &buf[next_line..start])
                .map_or(next_line, |i| next_line + i + 1);
            if !on_line(line) {
                return false;
            }
            // One is enough per line: go on from the next one.
            next_line = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i + 1);
            from = next_line;
        }
        true
    }

    /// The first window read from `from` on whose piece may be in the filter.
    fn next_stop(&self, buf: &[u8], from: usize) -> Option<usize> {
        // One copy of the loop per step, so the windows' places in a round are constants.
        match self.step {
            1 => self.next_stop_by::<1>(buf, from),
            2 => self.next_stop_by::<2>(buf, from),
            3 => self.next_stop_by::<3>(buf, from),
            4 => self.next_stop_by::<4>(buf, from),
            5 => self.next_stop_by::<5>(buf, from),
            6 => self.next_stop_by::<6>(buf, from),
            7 => self.next_stop_by::<7>(buf, from),
            _ => self.next_stop_by::<MAX_STEP>(buf, from),
        }
    }

    fn next_stop_by<const STEP: usize>(&self, buf: &[u8], mut from: usize) -> Option<usize> {
        // Eight windows a round, read from one 64-byte span (no bounds checked in between):
        // their lookups do not depend on each other, so the CPU overlaps them.
        const SPAN: usize = 64;
        const { assert!(7 * MAX_STEP + GRAM <= SPAN) };
        let window = |span: &[u8; SPAN], k: usize| gram(&span[k * STEP..]);
        while let Some(span) = buf.get(from..from + SPAN) {
            let span: &[u8; SPAN] = span.try_into().expect("SPAN bytes");
            let hit = self.may_hold(window(span, 0))
                | self.may_hold(window(span, 1))
                | self.may_hold(window(span, 2))
                | self.may_hold(window(span, 3))
                | self.may_hold(window(span, 4))
                | self.may_hold(window(span, 5))
                | self.may_hold(window(span, 6))
                | self.may_hold(window(span, 7));
            if hit {
                break;
            }
            from += 8 * STEP;
        }
        while from + GRAM <= buf.len() {
            if self.may_hold(gram(&buf[from..])) {
                return Some(from);
            }
            from += STEP;
        }
        None
    }

    #[inline(always)]
    fn may_hold(&self, window: u32) -> bool {
        let bit = hash(window, self.shift);
        self.bitmap[bit >> 6] & (1 << (bit & 63)) != 0
    }

    /// Where a literal holding the piece at `at` starts, if one does.
    fn literal_at(&self, buf: &[u8], at: usize) -> Option<usize> {
        let window = gram(&buf[at..]);
        let first = self.pieces.partition_point(|p| p.gram < window);
        self.pieces[first..]
            .iter()
            .take_while(|p| p.gram == window)
            .find_map(|p| {
                let start = at.checked_sub(p.offset as usize)?;
                buf[start..]
                    .starts_with(&self.literals[p.literal as usize])
                    .then_some(start)
            })
    }
}

/// Every literal a line holds, found by reading each of its 4-byte windows: a window that
/// starts a literal is looked up in a bitmap of the literals' first four bytes (most windows
/// stop there), then the literals starting with it are compared. For the few lines the window
/// pass lets through this reads a line about as fast as it is long; an Aho-Corasick automaton
/// over hundreds of literals reads each byte through tables that do not fit the cache.
#[derive(Debug)]
pub struct LiteralIndex {
    bitmap: Vec<u64>,
    shift: u32,
    /// `(first four bytes, literal)`, sorted.
    starts: Vec<(u32, u32)>,
}

impl LiteralIndex {
    /// `None` if a literal is shorter than a window.
    pub fn new(literals: &[Vec<u8>]) -> Option<LiteralIndex> {
        if literals.is_empty() || literals.iter().any(|l| l.len() < GRAM) {
            return None;
        }
        let mut starts: Vec<(u32, u32)> = literals
            .iter()
            .enumerate()
            .map(|(index, literal)| (gram(literal), index as u32))
            .collect();
        starts.sort_unstable();
        let bits = (starts.len() * 64)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 22);
        let shift = 32 - bits.trailing_zeros();
        let mut bitmap = vec![0u64; bits / 64];
        for &(start, _) in &starts {
            let bit = hash(start, shift);
            bitmap[bit >> 6] |= 1 << (bit & 63);
        }
        Some(LiteralIndex {
            bitmap,
            shift,
            starts,
        })
    }

    /// Call `found(literal)` for every occurrence in `line` of one of `literals` (the ones the
    /// index was built from).
    pub fn each_in(&self, literals: &[Vec<u8>], line: &[u8], mut found: impl FnMut(usize)) {
        for at in 0..line.len().saturating_sub(GRAM - 1) {
            let window = gram(&line[at..]);
            let bit = hash(window, self.shift);
            if self.bitmap[bit >> 6] & (1 << (bit & 63)) == 0 {
                continue;
            }
            let first = self.starts.partition_point(|&(start, _)| start < window);
            for &(_, literal) in self.starts[first..].iter().take_while(|s| s.0 == window) {
                if line[at..].starts_with(&literals[literal as usize]) {
                    found(literal as usize);
                }
            }
        }
    }
}

fn gram(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes[..GRAM].try_into().expect("a window is 4 bytes"))
}

fn hash(piece: u32, shift: u32) -> usize {
    (piece.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

/// For each bit of a bitmap indexed by `hash(_, shift)`, how many windows of `sample` hash
/// to it (saturating).
fn bit_load(sample: &[u8], shift: u32) -> Vec<u16> {
    let mut load = vec![0u16; 1 << (32 - shift)];
    for window in sample.windows(GRAM) {
        let bit = hash(gram(window), shift);
        load[bit] = load[bit].saturating_add(1);
    }
    load
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(list: &[&str]) -> Vec<Vec<u8>> {
        list.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    /// Every line holding a literal, found by looking at every line.
    fn expected(literals: &[Vec<u8>], buf: &[u8]) -> Vec<usize> {
        let mut starts = Vec::new();
        let mut start = 0;
        for line in buf.split(|&b| b == b'\n') {
            if literals
                .iter()
                .any(|l| memchr::memmem::find(line, l).is_some())
            {
                starts.push(start);
            }
            start += line.len() + 1;
        }
        starts
    }

    fn found(filter: &GramFilter, buf: &[u8]) -> Vec<usize> {
        let mut starts = Vec::new();
        filter.candidate_lines(buf, |s| {
            starts.push(s);
            true
        });
        starts
    }

    #[test]
    fn finds_every_line_holding_a_literal_at_every_offset() {
        let lits = literals(&[
            "Out of memory: Killed process",
            "\" 502 ",
            "NO_PUBKEY ",
            "dpkg was interrupted",
        ]);
        let filter = GramFilter::new(&lits, b"normal traffic GET / HTTP/1.1 200\n").unwrap();
        // The shortest literal (6 bytes) allows a step of 3.
        assert_eq!(filter.step, 3);
        // Each literal at every offset of a line, with lines of every length around it, so
        // every phase of the step lands on it.
        let mut buf = Vec::new();
        for lit in &lits {
            for pad in 0..9 {
                buf.extend(std::iter::repeat_n(b'x', pad));
                buf.extend_from_slice(lit);
                buf.extend_from_slice(b" tail\nplain line ");
                buf.extend(std::iter::repeat_n(b'y', pad));
                buf.push(b'\n');
            }
        }
        // A literal as the very last bytes, with no newline after it.
        buf.extend_from_slice(b"dpkg was interrupted");
        let want = expected(&lits, &buf);
        assert_eq!(want.len(), 4 * 9 + 1);
        assert_eq!(found(&filter, &buf), want);
    }

    #[test]
    fn pieces_common_in_the_sample_are_avoided() {
        let lits = literals(&["Connection refused by upstream"]);
        let sample = b"Connection accepted\nConnection closed\n".repeat(100);
        let filter = GramFilter::new(&lits, &sample).unwrap();
        assert!(
            filter
                .pieces
                .iter()
                .all(|p| !sample.windows(4).any(|w| gram(w) == p.gram)),
            "a piece of 'Connection' was chosen although the sample is full of it"
        );
    }

    #[test]
    fn a_literal_shorter_than_a_window_has_no_filter() {
        assert!(GramFilter::new(&literals(&["abc", "longer one"]), b"").is_none());
        assert!(GramFilter::new(&[], b"").is_none());
    }

    #[test]
    fn the_index_finds_every_occurrence_of_every_literal() {
        let lits = literals(&[
            "NO_PUBKEY ",
            "PUBKEY",
            "\" 502 ",
            "Fail",
            "Failed to start ",
        ]);
        let index = LiteralIndex::new(&lits).unwrap();
        let line = b"W: NO_PUBKEY 1 Failed to start x \" 502 1 PUBKEY Fail";
        let mut found = Vec::new();
        index.each_in(&lits, line, |l| found.push(l));
        found.sort();
        // Overlapping occurrences too: `PUBKEY` inside `NO_PUBKEY `, `Fail` in `Failed`.
        assert_eq!(found, vec![0, 1, 1, 2, 3, 3, 4]);
        index.each_in(&lits, b"Fai", |_| panic!("shorter than a window"));
        assert!(LiteralIndex::new(&literals(&["abc", "longer"])).is_none());
    }

    #[test]
    fn stops_when_told() {
        let lits = literals(&["NO_PUBKEY "]);
        let filter = GramFilter::new(&lits, b"").unwrap();
        let buf = b"W: NO_PUBKEY 1\nW: NO_PUBKEY 2\n";
        let mut seen = 0;
        assert!(!filter.candidate_lines(buf, |_| {
            seen += 1;
            false
        }));
        assert_eq!(seen, 1);
    }
}
