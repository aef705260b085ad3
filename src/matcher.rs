//! Matching lines against the whole catalogue at once.
//!
//! Most log lines match nothing, so testing each line against each regex wastes nearly all of
//! the work. Instead, every regex contributes a small set of literals such that any match must
//! contain one of them (found by walking the regex's syntax tree). One Aho-Corasick automaton
//! over all those literals scans the whole buffer; only lines where a literal occurs are split
//! out, and only the regexes that own the literals found there are run on them. This is the
//! ripgrep recipe, applied to a catalogue.

use std::{
    cell::RefCell,
    cmp::Reverse,
    collections::HashMap,
    ops::Range,
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{
    Hir, HirKind,
    literal::{ExtractKind, Extractor, Seq},
};

use crate::catalogue::{Catalogue, Severity};

mod grams;

/// One catalogue entry matching one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the entry in the catalogue the matcher was built from.
    pub entry: usize,
    /// Byte ranges of every match of the entry's regexes in the message, sorted, not
    /// overlapping.
    pub spans: Vec<Range<usize>>,
    /// Named groups of the first regex that matched, as `(name, value)`.
    pub captures: Vec<(String, String)>,
}

/// Compile a catalogue regex the way the matcher will run it.
pub fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(8 << 20)
        .build()
}

/// Whether `pattern` compiles as [`compile_regex`] would compile it, at a fraction of the
/// cost: it is parsed and its forward NFA built under the same size limit, which is where a
/// pattern that parses can still fail (`a{1000}{1000}`). Loading a user's catalogue checks
/// every regex this way; compiling them all in full cost most of the start-up.
pub fn check_regex(pattern: &str) -> Result<(), String> {
    use regex_automata::nfa::thompson;
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|err| err.to_string())?;
    let bound = size_bound(&hir).saturating_mul(BYTES_PER_UNIT);
    if bound.saturating_add(NFA_FIXED_BYTES) <= REGEX_SIZE_LIMIT {
        return Ok(());
    }
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
        )
        .build_from_hir(&hir)
        .map(drop)
        .map_err(|err| match err.size_limit() {
            // As `regex` words it.
            Some(limit) => format!("compiled regex exceeds size limit of {limit} bytes"),
            None => err.to_string(),
        })
}

/// The compiled size a catalogue regex may reach.
const REGEX_SIZE_LIMIT: usize = 16 << 20;

/// Bytes of compiled NFA one unit of [`size_bound`] may cost at most, five times the most
/// seen: over the catalogue's regexes and Unicode-class and repetition-heavy ones, an NFA
/// took at most 92 bytes a unit, and that only for the shortest (its fixed part, under 1 KiB).
const BYTES_PER_UNIT: usize = 512;
const NFA_FIXED_BYTES: usize = 4096;

/// An upper bound on the NFA states `hir` compiles to, in units: a byte or a state is one
/// unit, a range of a class 64 (its UTF-8 encodings take several states each), a repetition
/// its body times the copies it compiles to. Nearly every catalogue regex is so far under
/// the limit by this count that building its NFA to find out can be skipped.
fn size_bound(hir: &Hir) -> usize {
    use regex_syntax::hir::Class;
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(literal) => literal.0.len(),
        HirKind::Class(Class::Unicode(class)) => class.ranges().len().saturating_mul(64),
        HirKind::Class(Class::Bytes(class)) => class.ranges().len().saturating_mul(4),
        HirKind::Repetition(rep) => {
            let copies = rep.max.unwrap_or(rep.min).saturating_add(1) as usize;
            size_bound(&rep.sub)
                .saturating_add(1)
                .saturating_mul(copies)
        }
        HirKind::Capture(capture) => size_bound(&capture.sub).saturating_add(2),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().fold(parts.len(), |sum, part| {
                sum.saturating_add(size_bound(part))
            })
        }
    }
}

/// A regex of some entry, with the literals that guard it.
#[derive(Debug)]
struct Rule {
    entry: usize,
    pattern: String,
    /// Compiled on first use: most regexes never see a candidate line, and compiling all of
    /// them would cost most of the start-up time. `None` if it does not compile (the
    /// catalogue check reports that).
    regex: OnceLock<Option<Regex>>,
    /// `None`: no usable literal; the regex runs on every line.
    literals: Option<Vec<Vec<u8>>>,
}

impl Rule {
    fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| compile_regex(&self.pattern).ok())
            .as_ref()
    }
}

/// Bytes scanned before the prefilter for big inputs is built: small inputs are done sooner
/// with the NFA than the big one takes to build.
const BIG_AFTER_BYTES: usize = 1 << 20;

/// The prefilter for big inputs: one pass over sampled windows (see [`grams`]), else (a
/// literal shorter than a window, from a user's pattern) one DFA over all the literals.
#[derive(Debug)]
enum BigScan {
    Grams(grams::GramFilter),
    Dfa(AhoCorasick),
    /// Neither could be built: stay with the NFA.
    None,
}

/// The compiled catalogue: immutable, shared by every input and thread. Matching never
/// allocates for lines that match nothing. Each input is searched through a [`Searcher`] of
/// its own, which picks its prefilter from that input.
#[derive(Debug)]
pub struct Matcher {
    rules: Vec<Rule>,
    /// Each entry's severity, by entry index.
    severities: Vec<Severity>,
    /// Leftmost-first automaton over all literals, to find candidate lines in a buffer: an
    /// NFA that builds at once. `None` if there are no literals at all.
    scan_nfa: Option<AhoCorasick>,
    literals: Vec<Vec<u8>>,
    /// To list every literal a candidate line holds, and so every rule it needs: the index
    /// of the literals' first bytes, or where a literal is too short for it, the literals
    /// with overlapping semantics.
    per_line: PerLine,
    /// For each literal (automaton pattern id), the rules it guards.
    owners: Vec<Vec<u32>>,
    /// Rules without literals: run on every line (only user patterns can end up here).
    unguarded: Vec<u32>,
}

impl Matcher {
    pub fn new(catalogue: &Catalogue) -> Matcher {
        // The catalogue's counter-examples are look-alikes of errors from healthy systems:
        // a sample of normal traffic to keep common literals out of the prefilter.
        let benign: Vec<u8> = catalogue
            .entries()
            .iter()
            .flat_map(|e| &e.counter_examples)
            .flat_map(|line| line.bytes().chain(std::iter::once(b'\n')))
            .collect();
        let chooser = GuardChooser::new(&benign);
        let mut rules = Vec::new();
        for (entry, e) in catalogue.entries().iter().enumerate() {
            for pattern in &e.regex {
                rules.push(Rule {
                    entry,
                    pattern: pattern.clone(),
                    regex: OnceLock::new(),
                    literals: chooser.guard(pattern),
                });
            }
        }

        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut index_of: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut owners: Vec<Vec<u32>> = Vec::new();
        let mut unguarded = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let Some(lits) = &rule.literals else {
                unguarded.push(index as u32);
                continue;
            };
            for lit in lits {
                let at = *index_of.entry(lit.clone()).or_insert_with(|| {
                    literals.push(lit.clone());
                    owners.push(Vec::new());
                    literals.len() - 1
                });
                owners[at].push(index as u32);
            }
        }
        let scan_nfa = build_automaton(
            &literals,
            MatchKind::LeftmostFirst,
            AhoCorasickKind::ContiguousNFA,
        );
        let per_line = match grams::LiteralIndex::new(&literals) {
            Some(index) => PerLine::Index(index),
            None => build_automaton(
                &literals,
                MatchKind::Standard,
                AhoCorasickKind::ContiguousNFA,
            )
            .map_or(PerLine::None, PerLine::Automaton),
        };
        if scan_nfa.is_none() || matches!(per_line, PerLine::None) {
            // Too many literals for an automaton (never seen): every rule sees every line.
            unguarded = (0..rules.len() as u32).collect();
        }
        Matcher {
            rules,
            severities: catalogue.entries().iter().map(|e| e.severity).collect(),
            scan_nfa,
            literals,
            per_line,
            owners,
            unguarded,
        }
    }

    /// The literals guarding each regex, for `triage patterns literals`: `(entry, regex, literals)`.
    pub fn guards(&self) -> impl Iterator<Item = (usize, &str, Option<&[Vec<u8>]>)> {
        self.rules
            .iter()
            .map(|r| (r.entry, r.pattern.as_str(), r.literals.as_deref()))
    }

    /// Must every line be tried (some rule has no literal to guard it)?
    fn every_line(&self) -> bool {
        !self.unguarded.is_empty() || self.scan_nfa.is_none()
    }

    /// One DFA over every guard literal: the prefilter for big inputs with a literal shorter
    /// than a window (a user's pattern).
    fn literal_dfa(&self) -> Option<AhoCorasick> {
        build_automaton(
            &self.literals,
            MatchKind::LeftmostFirst,
            AhoCorasickKind::DFA,
        )
    }

    /// The severity of entry `entry`.
    pub fn severity(&self, entry: usize) -> Severity {
        self.severities[entry]
    }

    /// Every entry matching one message (the text a regex sees: see [`crate::ingest`]), in
    /// order of first match.
    pub fn match_message(&self, message: &[u8]) -> Vec<Match> {
        let message = strip_cr(message);
        let mut candidates: Vec<u32> = self.unguarded.clone();
        match &self.per_line {
            PerLine::Index(index) => index.each_in(&self.literals, message, |literal| {
                candidates.extend_from_slice(&self.owners[literal]);
            }),
            PerLine::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter(message) {
                    candidates.extend_from_slice(&self.owners[m.pattern().as_usize()]);
                }
            }
            PerLine::None => {}
        }
        if candidates.is_empty() {
            return Vec::new();
        }
        candidates.sort_unstable();
        candidates.dedup();
        self.verify(message, &candidates)
    }
    /// Run the candidate rules on a line and group their matches by entry.
    fn verify(&self, line: &[u8], candidates: &[u32]) -> Vec<Match> {
        let mut hits: Vec<Match> = Vec::new();
        for &index in candidates {
            let rule = &self.rules[index as usize];
            let Some(regex) = rule.regex() else { continue };
            let mut spans = regex.find_iter(line).map(|m| m.range()).peekable();
            if spans.peek().is_none() {
                continue;
            }
            match hits.iter_mut().find(|h| h.entry == rule.entry) {
                Some(hit) => hit.spans.extend(spans),
                None => {
                    let spans: Vec<_> = spans.collect();
                    hits.push(Match {
                        entry: rule.entry,
                        spans,
                        captures: captures(regex, line),
                    });
                }
            }
        }
        for hit in &mut hits {
            hit.spans = merge_spans(std::mem::take(&mut hit.spans));
        }
        hits.sort_by_key(|h| (h.spans[0].start, h.entry));
        hits
    }
}

/// How a candidate line's literals are listed.
#[derive(Debug)]
enum PerLine {
    Index(grams::LiteralIndex),
    Automaton(AhoCorasick),
    /// No literals, or too many for an automaton: every rule is unguarded.
    None,
}

/// Which prefilter a [`Searcher`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefilter {
    /// Aho-Corasick (NFA) over every guard literal: inputs under 1 MiB.
    Literals,
    /// Every `step`-th window of the input read, against pieces of every literal chosen rare
    /// in a sample of the input.
    Grams { step: usize },
    /// One DFA over every guard literal: big inputs with a literal too short for windows.
    Dfa,
    /// Every line is a candidate: a rule has no literal to guard it.
    EveryLine,
}

/// Searching one input (a file, a live source) for lines the catalogue may match. The
/// matcher is shared; the prefilter for big inputs is chosen here, from a sample of this
/// input, so one input's traffic never decides how another is searched.
#[derive(Debug)]
pub struct Searcher<'m> {
    matcher: &'m Matcher,
    /// Built once the input turns out to be big, from a sample of it.
    big: OnceLock<BigScan>,
    scanned: AtomicUsize,
}

impl<'m> Searcher<'m> {
    pub fn new(matcher: &'m Matcher) -> Searcher<'m> {
        Searcher {
            matcher,
            big: OnceLock::new(),
            scanned: AtomicUsize::new(0),
        }
    }

    /// A searcher prepared for a big input now, from `sample` of it: what searching does by
    /// itself once it has seen 1 MiB.
    pub fn for_big_input(matcher: &'m Matcher, sample: &[u8]) -> Searcher<'m> {
        let searcher = Searcher::new(matcher);
        searcher.big.get_or_init(|| searcher.build_big(sample));
        searcher
    }

    /// A searcher that uses the big-input DFA over every literal from the start: the
    /// fallback where a literal is too short for the window filter, for tests and benchmarks
    /// that compare the prefilters.
    pub fn with_literal_dfa(matcher: &'m Matcher) -> Searcher<'m> {
        let searcher = Searcher::new(matcher);
        if let Some(dfa) = matcher.literal_dfa() {
            let _ = searcher.big.set(BigScan::Dfa(dfa));
        }
        searcher
    }

    pub fn matcher(&self) -> &'m Matcher {
        self.matcher
    }

    /// The prefilter in use now.
    pub fn prefilter(&self) -> Prefilter {
        if self.matcher.every_line() {
            return Prefilter::EveryLine;
        }
        match self.big.get() {
            Some(BigScan::Grams(filter)) => Prefilter::Grams { step: filter.step },
            Some(BigScan::Dfa(_)) => Prefilter::Dfa,
            _ => Prefilter::Literals,
        }
    }

    fn build_big(&self, sample: &[u8]) -> BigScan {
        let literals = &self.matcher.literals;
        if literals.is_empty() {
            return BigScan::None;
        }
        if let Some(filter) = grams::GramFilter::new(literals, sample) {
            return BigScan::Grams(filter);
        }
        match self.matcher.literal_dfa() {
            Some(dfa) => BigScan::Dfa(dfa),
            None => BigScan::None,
        }
    }

    /// The prefilter for big inputs, once 1 MiB have been seen (`buf` is the sample that
    /// builds it).
    fn big_scan(&self, buf: &[u8]) -> Option<&BigScan> {
        if let Some(big) = self.big.get() {
            return Some(big);
        }
        let before = self.scanned.fetch_add(buf.len(), Ordering::Relaxed);
        (before + buf.len() >= BIG_AFTER_BYTES)
            .then(|| self.big.get_or_init(|| self.build_big(buf)))
    }

    /// Call `on_line(range)` for every line of `buf` that may hold a match (in order, each
    /// once; the range excludes the `\n`), until it returns `false`. Every line holding a
    /// guard literal is among them, so no match is lost; most lines are skipped unread.
    /// `buf` should end at a line end (its last line is taken as complete). Returns `false`
    /// if stopped early.
    pub fn candidate_lines(
        &self,
        buf: &[u8],
        mut on_line: impl FnMut(Range<usize>) -> bool,
    ) -> bool {
        let matcher = self.matcher;
        if matcher.every_line() {
            // Some rule must see every line: no shortcut.
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', buf).chain(std::iter::once(buf.len())) {
                if start > end || (end == buf.len() && start == end) {
                    break;
                }
                if !on_line(start..end) {
                    return false;
                }
                start = end + 1;
            }
            return true;
        }
        let scanner = match self.big_scan(buf) {
            Some(BigScan::Grams(filter)) => {
                return filter.candidate_lines(buf, |start| {
                    let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |i| start + i);
                    on_line(start..end)
                });
            }
            Some(BigScan::Dfa(dfa)) => dfa,
            _ => matcher.scan_nfa.as_ref().expect("checked above"),
        };
        let mut pos = 0;
        while pos < buf.len() {
            let Some(m) = scanner.find(Input::new(buf).range(pos..)) else {
                break;
            };
            // `pos` is always a line start, so the line's start is after it.
            let start = memchr::memrchr(b'\n', &buf[pos..m.start()]).map_or(pos, |i| pos + i + 1);
            let end = memchr::memchr(b'\n', &buf[m.end()..]).map_or(buf.len(), |i| m.end() + i);
            if !on_line(start..end) {
                return false;
            }
            pos = end + 1;
        }
        true
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn captures(regex: &Regex, line: &[u8]) -> Vec<(String, String)> {
    if regex.capture_names().flatten().next().is_none() {
        return Vec::new();
    }
    let Some(caps) = regex.captures(line) else {
        return Vec::new();
    };
    regex
        .capture_names()
        .flatten()
        .filter_map(|name| {
            let value = caps.name(name)?;
            Some((
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            ))
        })
        .collect()
}

fn merge_spans(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| (s.start, Reverse(s.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

// ---- choosing the literals that guard a regex ---------------------------------------------

/// A set of literals such that every match of `pattern` contains at least one of them, chosen
/// to be rare: absent from `benign` (sample lines of normal traffic, e.g. the catalogue's
/// counter-examples) where possible, then as long as possible. `None` if the regex has no
/// such set.
pub fn guard_literals(pattern: &str, benign: &[u8]) -> Option<Vec<Vec<u8>>> {
    GuardChooser::new(benign).guard(pattern)
}

struct GuardChooser<'a> {
    benign: &'a [u8],
    /// Whether a literal occurs in `benign`: the same candidates come up again and again.
    seen: RefCell<HashMap<Vec<u8>, bool>>,
    /// One bit per hash of every 4-byte window of `benign`: a literal with a window whose bit
    /// is clear is not in it, and most candidates are told so without a search of `benign`
    /// (which was most of the start-up with a big catalogue).
    windows: Vec<u64>,
}

/// `32 - log2(bits)` of [`GuardChooser::windows`].
const BENIGN_SHIFT: u32 = 32 - 20;

fn benign_window_bit(window: &[u8]) -> usize {
    let window = u32::from_le_bytes(window[..4].try_into().expect("a window is 4 bytes"));
    (window.wrapping_mul(0x9E37_79B1) >> BENIGN_SHIFT) as usize
}

impl<'a> GuardChooser<'a> {
    fn new(benign: &'a [u8]) -> Self {
        let mut windows = vec![0u64; (1 << (32 - BENIGN_SHIFT)) / 64];
        for window in benign.windows(4) {
            let bit = benign_window_bit(window);
            windows[bit >> 6] |= 1 << (bit & 63);
        }
        GuardChooser {
            benign,
            seen: RefCell::new(HashMap::new()),
            windows,
        }
    }

    /// Whether every 4-byte window of `literal` may be in `benign` (always, under 4 bytes).
    fn may_be_benign(&self, literal: &[u8]) -> bool {
        literal.windows(4).all(|window| {
            let bit = benign_window_bit(window);
            self.windows[bit >> 6] & (1 << (bit & 63)) != 0
        })
    }

    fn guard(&self, pattern: &str) -> Option<Vec<Vec<u8>>> {
        let hir = regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
            .ok()?;
        self.required(&hir)
    }

    fn is_benign(&self, literal: &[u8]) -> bool {
        if !self.may_be_benign(literal) {
            return false;
        }
        *self
            .seen
            .borrow_mut()
            .entry(literal.to_vec())
            .or_insert_with(|| memchr::memmem::find(self.benign, literal).is_some())
    }

    /// Literals each match of `hir` must contain.
    fn required(&self, hir: &Hir) -> Option<Vec<Vec<u8>>> {
        match hir.kind() {
            HirKind::Capture(capture) => self.required(&capture.sub),
            HirKind::Repetition(rep) if rep.min >= 1 => {
                self.best([self.required(&rep.sub), self.prefixes(hir)])
            }
            HirKind::Alternation(alternatives) => {
                let mut all = Vec::new();
                for alternative in alternatives {
                    all.extend(self.required(alternative)?);
                }
                Some(simplify(all))
            }
            HirKind::Concat(parts) => {
                // Any match of the concatenation contains a match of every suffix of it, and
                // of every part: take the best literal set among them.
                let mut choice = None;
                for i in 0..parts.len() {
                    let suffix = Hir::concat(parts[i..].to_vec());
                    choice = self.best([choice, self.prefixes(&suffix), self.required(&parts[i])]);
                }
                choice
            }
            _ => self.prefixes(hir),
        }
    }

    /// Prefix literals of `hir` (every match starts with one), if finite and non-empty.
    fn prefixes(&self, hir: &Hir) -> Option<Vec<Vec<u8>>> {
        let mut extractor = Extractor::new();
        extractor
            .kind(ExtractKind::Prefix)
            .limit_class(4)
            .limit_repeat(4)
            .limit_literal_len(64)
            .limit_total(64);
        let seq: Seq = extractor.extract(hir);
        let literals = seq.literals()?;
        if literals.is_empty() || literals.iter().any(|l| l.is_empty()) {
            return None;
        }
        let all: Vec<Vec<u8>> = literals.iter().map(|l| l.as_bytes().to_vec()).collect();
        // Every literal starts with the common prefix and ends with the common suffix, so
        // either one alone is also a valid guard: often as good, and one literal, not many.
        let mut options = vec![Some(simplify(all))];
        if let Some(prefix) = seq.longest_common_prefix().filter(|p| !p.is_empty()) {
            options.push(Some(vec![prefix.to_vec()]));
        }
        if let Some(suffix) = seq.longest_common_suffix().filter(|s| !s.is_empty()) {
            options.push(Some(vec![suffix.to_vec()]));
        }
        self.best(options)
    }

    /// The best of several candidate sets. In order: no literal shorter than 4 bytes; none
    /// seen in normal traffic; longest shortest literal (capped: beyond 16 bytes length stops
    /// buying rarity); fewest literals; the earliest offered (messages tend to start with
    /// what is specific to them and end with what many share).
    fn best(
        &self,
        options: impl IntoIterator<Item = Option<Vec<Vec<u8>>>>,
    ) -> Option<Vec<Vec<u8>>> {
        // (no literal under 4 bytes, none seen in normal traffic, shortest length, -count)
        type Rank = (bool, bool, usize, Reverse<usize>);
        let mut best: Option<(Rank, Vec<Vec<u8>>)> = None;
        for set in options.into_iter().flatten() {
            if set.is_empty() || set.len() > 64 {
                continue;
            }
            let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
            let unseen = !set.iter().any(|lit| self.is_benign(lit));
            let key = (shortest >= 4, unseen, shortest.min(16), Reverse(set.len()));
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((key, set));
            }
        }
        best.map(|(_, set)| set)
    }
}

fn build_automaton(
    literals: &[Vec<u8>],
    kind: MatchKind,
    engine: AhoCorasickKind,
) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .match_kind(kind)
        .kind(Some(engine))
        .build(literals)
        .ok()
}

/// Drop duplicates, and literals that contain another literal of the set (the shorter one
/// already guards everything the longer one does).
fn simplify(mut literals: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    literals.sort_by_key(|l| (l.len(), l.clone()));
    literals.dedup();
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(literals.len());
    for lit in literals {
        if !kept.iter().any(|k| memchr::memmem::find(&lit, k).is_some()) {
            kept.push(lit);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(pattern: &str) -> Vec<String> {
        guard_literals(pattern, b"")
            .unwrap_or_default()
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect()
    }

    #[test]
    fn picks_the_long_inner_literal_not_a_common_prefix() {
        assert_eq!(lits(r#"HTTP/[0-9.]+" 502 [0-9]+"#), vec![r#"" 502 "#]);
    }

    #[test]
    fn avoids_literals_seen_in_normal_traffic() {
        let pattern =
            r"Received disconnect from \S+ port [0-9]+:2: Too many authentication failures";
        let benign = b"Received disconnect from 1.2.3.4 port 22:11: Bye Bye [preauth]\n";
        let got = guard_literals(pattern, benign).unwrap();
        assert_eq!(got, vec![b":2: Too many authentication failures".to_vec()]);
    }

    #[test]
    fn alternation_needs_a_literal_from_each_branch() {
        let mut got = lits(r"(Out of memory: Killed process|invoked oom-killer)");
        got.sort();
        assert_eq!(
            got,
            vec!["Out of memory: Killed process", "invoked oom-killer"]
        );
    }

    #[test]
    fn a_literal_is_benign_exactly_where_it_occurs_in_the_sample() {
        let benign = b"Received disconnect from 1.2.3.4 port 22:11: Bye Bye [preauth]\nok\n";
        let chooser = GuardChooser::new(benign);
        for at in 0..benign.len() {
            for len in 1..=benign.len() - at {
                let literal = &benign[at..at + len];
                assert!(
                    chooser.is_benign(literal),
                    "{:?}",
                    String::from_utf8_lossy(literal)
                );
            }
        }
        for absent in [
            &b"Too many authentication failures"[..],
            b"Bye Bye [preauth]!",
            b"xyz",
            b"22:12",
        ] {
            assert!(
                !chooser.is_benign(absent),
                "{:?}",
                String::from_utf8_lossy(absent)
            );
        }
        assert!(!GuardChooser::new(b"").is_benign(b"abcd"));
    }

    #[test]
    fn a_regex_without_literals_has_no_guard() {
        assert_eq!(guard_literals(r"[a-z]+\d+", b""), None);
        assert_eq!(
            guard_literals(r"(foo)?bar*", b""),
            Some(vec![b"ba".to_vec()])
        );
    }

    #[test]
    fn optional_parts_are_not_required() {
        assert_eq!(
            lits(r"(sudo )?dpkg --configure -a"),
            vec!["dpkg --configure -a"]
        );
    }

    #[test]
    fn the_regex_check_agrees_with_compiling() {
        for pattern in [
            r"a{1000}{1000}",
            r"\w{100}\w{100}",
            r"(\w+\s){50}",
            r"[^x]{2000}",
            r"(?P<process>\S+)\[[0-9]+\]: segfault at [0-9a-f]+",
            r"Out of memory: Kill(ed)? process [0-9]+",
            r"a(",
            r"\p{Greek}{300}",
            r"x{70000}",
            r"\w{2000}",
        ] {
            assert_eq!(
                check_regex(pattern).is_ok(),
                compile_regex(pattern).is_ok(),
                "{pattern}"
            );
        }
    }

    #[test]
    fn merges_overlapping_spans() {
        assert_eq!(
            merge_spans(vec![5..9, 0..3, 2..4, 8..12]),
            vec![0..4, 5..12]
        );
    }
}
