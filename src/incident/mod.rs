//! Incidents: a screen of hits turned into "this is what happened, in this order".
//!
//! Hits are grouped by time and by the catalogue's `leads_to` graph, across both panes and
//! every source:
//! - repetitions of one entry fold into one [`Group`] with a count and a first and last time
//!   (a crash loop is one group, not 40 lines), as long as no gap between two of them is
//!   longer than [`REPEAT_GAP`];
//! - two groups belong to one incident when one entry leads to the other (either way round:
//!   a healthcheck can give up a few seconds before the kernel kills the process it waited
//!   for) and they are within [`CAUSAL_WINDOW`] of each other; or when the same writer (a
//!   container, a unit) logged both as errors within [`BURST`] (one failing command that
//!   printed two kinds of error). A warning joins only through the graph: warnings happen all
//!   the time beside an outage without being part of it.
//!
//! In an incident, the root cause is the entry nothing else in the incident leads to (the
//! earliest such one); the chain is the incident's entries root first, each after what leads
//! to it. A container whose own log stops without an error while an OOM kill (or an exit 137)
//! is logged in the same window is linked to that incident: its death was silent.
//!
//! Unrecognised errors (no entry knows them, the log marks them as errors) mined into
//! templates join the incident they fall inside ([`unknown`]).
//!
//! Pure: the caller supplies the hits ([`HitInput`]) and, for silent deaths, which writers
//! logged around a time ([`Lines`]). `triage report` builds incidents from the whole input,
//! the viewer from what it holds (recomputed when asked; the hits it holds are bounded).

mod lines;
pub mod unknown;

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};

pub use lines::Snapshot;
pub use unknown::{UnknownLine, UnknownLines, Unrecognised};

use crate::{
    catalogue::{Catalogue, Severity},
    model::PaneId,
};

/// Repetitions of one entry further apart than this are two occurrences.
pub const REPEAT_GAP: SignedDuration = SignedDuration::from_mins(15);
/// A cause and its effect are at most this far apart. apt waits up to 10 minutes for the dpkg
/// lock (`DPkg::Lock::Timeout=600`) before what follows is logged.
pub const CAUSAL_WINDOW: SignedDuration = SignedDuration::from_mins(15);
/// Errors from the same writer this close together come from one failing command.
pub const BURST: SignedDuration = SignedDuration::from_secs(60);
/// A container whose last line is at most this long before an OOM kill, and which logs
/// nothing for this long after it, died with it.
pub const SILENT_WINDOW: SignedDuration = SignedDuration::from_secs(60);
/// Lines looked at on each side of a kill for silent deaths: in the demo a minute is a few
/// lines, in a flood it is hundreds of thousands; 10,000 lines bound the work per kill.
pub const SEEN_LINES: usize = 10_000;
/// Lines a container may still log after the kill was logged (clocks and buffers differ).
const SILENT_SLACK: SignedDuration = SignedDuration::from_secs(2);

/// `ts + d`, held at the end of time instead of overflowing (a log can say year 9999).
pub fn later(ts: Timestamp, d: SignedDuration) -> Timestamp {
    ts.checked_add(d).unwrap_or(if d.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// `ts - d`, held at the start of time instead of overflowing.
pub fn earlier(ts: Timestamp, d: SignedDuration) -> Timestamp {
    later(ts, -d)
}

/// Entries whose hit means a process was killed for memory (or with SIGKILL), whatever wrote
/// it: the kernel, systemd, Docker's state or events.
const KILL_ENTRIES: [&str; 2] = ["oom-kill", "container-exit-137"];

/// One hit, as incidents need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitInput {
    pub pane: PaneId,
    /// The line's number in its pane (the viewer's store numbering, or the report's).
    pub line: u64,
    /// Index of the entry in the catalogue.
    pub entry: usize,
    pub severity: Severity,
    pub ts: Option<Timestamp>,
    /// The input it came from: a file's name, `docker`, `journal`.
    pub source: String,
    /// Who wrote the line: container, compose service, unit or syslog identifier.
    pub writer: Option<String>,
    pub captures: Vec<(String, String)>,
}

/// A line seen in a pane, for finding silent deaths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub writer: String,
    pub ts: Timestamp,
    /// The line's number in its pane.
    pub line: u64,
}

/// What incidents need of the lines besides the hits.
pub trait Lines {
    /// The writers and times of `pane`'s lines whose time is within `window` of `at`. An
    /// implementation may look at no more than [`SEEN_LINES`] lines on each side of `at`: a
    /// busy log's minute is hundreds of thousands of lines.
    fn seen_around(&self, pane: PaneId, at: Timestamp, window: SignedDuration) -> Vec<Seen>;
}

/// No lines at all: incidents from hits alone (no silent deaths found).
pub struct NoLines;

impl Lines for NoLines {
    fn seen_around(&self, _: PaneId, _: Timestamp, _: SignedDuration) -> Vec<Seen> {
        Vec::new()
    }
}

/// Repetitions of one entry: one link of an incident's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub entry: usize,
    pub severity: Severity,
    /// Indices of its hits in the input, in time order.
    pub hits: Vec<usize>,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

impl Group {
    pub fn count(&self) -> usize {
        self.hits.len()
    }
}

/// A container whose own log stopped without an error when a process was killed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SilentStop {
    pub writer: String,
    pub pane: PaneId,
    /// The time of its last line before the kill.
    pub last_line: Timestamp,
    /// That line's number in its pane.
    pub line: u64,
    /// When the kill was logged.
    pub killed_at: Timestamp,
}

/// Hits that belong together, root cause first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// The root cause's entry.
    pub root: usize,
    /// Groups root first, each after what leads to it (then by time). An entry may have
    /// several groups (a crash loop that stopped and started again).
    pub groups: Vec<Group>,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
    pub severity: Severity,
    /// Inputs the hits came from, sorted.
    pub sources: Vec<String>,
    /// Containers, units and identifiers that wrote the hits or died silently, sorted.
    pub writers: Vec<String>,
    pub silent: Vec<SilentStop>,
    /// Unrecognised errors that fell inside it, one row a template, in order of their first
    /// time (filled by [`unknown::join`]).
    pub unrecognised: Vec<Unrecognised>,
}

impl Incident {
    /// The chain of entries, root first, each once.
    pub fn chain(&self) -> Vec<usize> {
        let mut seen = BTreeSet::new();
        self.groups
            .iter()
            .map(|g| g.entry)
            .filter(|e| seen.insert(*e))
            .collect()
    }

    pub fn count(&self) -> usize {
        self.groups.iter().map(Group::count).sum()
    }

    /// Entries of the incident that nothing in it leads to (the root first): each is a cause
    /// to fix.
    pub fn causes(&self, catalogue: &Catalogue) -> Vec<usize> {
        let chain = self.chain();
        let mut causes = vec![self.root];
        causes.extend(
            chain
                .iter()
                .copied()
                .filter(|&e| e != self.root && !led_to(catalogue, &chain, e)),
        );
        causes
    }
}

/// Whether some other entry of `entries` leads to `entry`.
fn led_to(catalogue: &Catalogue, entries: &[usize], entry: usize) -> bool {
    entries
        .iter()
        .any(|&other| other != entry && leads_to(catalogue, other, entry))
}

fn leads_to(catalogue: &Catalogue, from: usize, to: usize) -> bool {
    let entries = catalogue.entries();
    match (entries.get(from), entries.get(to)) {
        (Some(from), Some(to)) => from.leads_to.contains(&to.id),
        _ => false,
    }
}

/// Disjoint sets over group indices (a handful of lines; no crate needed for it).
struct Sets(Vec<usize>);

impl Sets {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// How far apart two spans are (0 if they overlap); `None` if either has no time.
fn distance(a: &Group, b: &Group) -> Option<SignedDuration> {
    let (a0, a1, b0, b1) = (a.first?, a.last?, b.first?, b.last?);
    Some(if a1 < b0 {
        b0.duration_since(a1)
    } else if b1 < a0 {
        a0.duration_since(b1)
    } else {
        SignedDuration::ZERO
    })
}

/// Group `hits` into incidents, in order of their first hit.
pub fn incidents(catalogue: &Catalogue, hits: &[HitInput], lines: &dyn Lines) -> Vec<Incident> {
    let groups = fold_repetitions(hits);
    let mut sets = Sets((0..groups.len()).collect());
    link(catalogue, hits, &groups, &mut sets);
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for g in 0..groups.len() {
        let root = sets.find(g);
        members.entry(root).or_default().push(g);
    }
    let mut out: Vec<Incident> = members
        .into_values()
        .map(|ids| {
            let groups = ids.into_iter().map(|g| groups[g].clone()).collect();
            incident(catalogue, hits, groups, lines)
        })
        .collect();
    // Incidents without any time go last, in the order their hits came.
    out.sort_by_key(|i| (i.first.is_none(), i.first, i.groups[0].hits[0]));
    out
}

/// Fold each entry's hits into groups: a new group after a gap longer than [`REPEAT_GAP`].
/// Hits without a time fold into one group per entry.
fn fold_repetitions(hits: &[HitInput]) -> Vec<Group> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| (hits[i].entry, hits[i].ts.is_none(), hits[i].ts, i));
    let mut groups: Vec<Group> = Vec::new();
    for i in order {
        let hit = &hits[i];
        if let Some(group) = groups.last_mut().filter(|g| {
            g.entry == hit.entry
                && match (g.last, hit.ts) {
                    (Some(last), Some(ts)) => ts.duration_since(last) <= REPEAT_GAP,
                    (None, None) => true,
                    _ => false,
                }
        }) {
            group.hits.push(i);
            group.last = hit.ts.or(group.last);
            group.severity = group.severity.max(hit.severity);
            continue;
        }
        groups.push(Group {
            entry: hit.entry,
            severity: hit.severity,
            hits: vec![i],
            first: hit.ts,
            last: hit.ts,
        });
    }
    groups
}

/// The writers of a group's hits.
fn writers_of<'h>(hits: &'h [HitInput], group: &Group) -> BTreeSet<(PaneId, &'h str)> {
    group
        .hits
        .iter()
        .filter_map(|&i| Some((hits[i].pane, hits[i].writer.as_deref()?)))
        .collect()
}

/// Join groups that belong to one incident.
fn link(catalogue: &Catalogue, hits: &[HitInput], groups: &[Group], sets: &mut Sets) {
    // Sweep in order of first time: a pair further apart than the widest window is never
    // linked, so each group is compared only with those that start before it ends plus that.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| (groups[g].first.is_none(), groups[g].first));
    let widest = CAUSAL_WINDOW.max(BURST);
    let writers: Vec<_> = groups.iter().map(|g| writers_of(hits, g)).collect();
    for (n, &a) in order.iter().enumerate() {
        for &b in &order[n + 1..] {
            let (ga, gb) = (&groups[a], &groups[b]);
            // `order` is by first time: once one starts past `a`'s end plus the widest
            // window, every later one does.
            if let (Some(end), Some(start)) = (ga.last, gb.first)
                && start.duration_since(end) > widest
            {
                break;
            }
            let timeless = ga.first.is_none() && gb.first.is_none();
            let near = |window| timeless || distance(ga, gb).is_some_and(|d| d <= window);
            let causal =
                leads_to(catalogue, ga.entry, gb.entry) || leads_to(catalogue, gb.entry, ga.entry);
            let burst = ga.severity >= Severity::Error
                && gb.severity >= Severity::Error
                && !writers[a].is_disjoint(&writers[b]);
            if (causal && near(CAUSAL_WINDOW)) || (burst && near(BURST)) {
                sets.join(a, b);
            }
        }
    }
}

/// One incident from its groups: root, chain order, sources, writers, silent deaths.
fn incident(
    catalogue: &Catalogue,
    hits: &[HitInput],
    groups: Vec<Group>,
    lines: &dyn Lines,
) -> Incident {
    let groups = chain_order(catalogue, groups);
    let root = groups[0].entry;
    let first = groups.iter().filter_map(|g| g.first).min();
    let last = groups.iter().filter_map(|g| g.last).max();
    let severity = groups
        .iter()
        .map(|g| g.severity)
        .max()
        .unwrap_or(Severity::Info);
    let all_hits = || groups.iter().flat_map(|g| g.hits.iter().map(|&i| &hits[i]));
    let sources: BTreeSet<String> = all_hits().map(|h| h.source.clone()).collect();
    let mut writers: BTreeSet<String> = all_hits().filter_map(|h| h.writer.clone()).collect();
    let silent = silent_stops(catalogue, hits, &groups, lines);
    writers.extend(silent.iter().map(|s| s.writer.clone()));
    Incident {
        root,
        groups,
        first,
        last,
        severity,
        sources: sources.into_iter().collect(),
        writers: writers.into_iter().collect(),
        silent,
        unrecognised: Vec::new(),
    }
}

/// Order groups root first, each after the groups whose entries lead to it, otherwise by
/// time (Kahn's order, taking the earliest group that is ready; a cycle in the catalogue is
/// broken at its earliest group).
fn chain_order(catalogue: &Catalogue, mut groups: Vec<Group>) -> Vec<Group> {
    groups.sort_by_key(|g| (g.first.is_none(), g.first, g.hits[0]));
    let entries: Vec<usize> = groups.iter().map(|g| g.entry).collect();
    let mut placed = vec![false; groups.len()];
    let mut order = Vec::with_capacity(groups.len());
    let mut placed_entries: BTreeSet<usize> = BTreeSet::new();
    while order.len() < groups.len() {
        // Ready: every other entry of the incident that leads to this one is placed.
        let ready = (0..groups.len()).find(|&g| {
            !placed[g]
                && entries.iter().enumerate().all(|(o, &other)| {
                    placed[o]
                        || other == entries[g]
                        || placed_entries.contains(&other)
                        || !leads_to(catalogue, other, entries[g])
                })
        });
        let next = ready.unwrap_or_else(|| (0..groups.len()).find(|&g| !placed[g]).unwrap_or(0));
        placed[next] = true;
        placed_entries.insert(entries[next]);
        order.push(next);
    }
    let mut slots: Vec<Option<Group>> = groups.into_iter().map(Some).collect();
    order.into_iter().filter_map(|g| slots[g].take()).collect()
}

/// Containers whose own log stopped, without an error, when the incident's kill was logged.
fn silent_stops(
    catalogue: &Catalogue,
    hits: &[HitInput],
    groups: &[Group],
    lines: &dyn Lines,
) -> Vec<SilentStop> {
    let entries = catalogue.entries();
    let kills: BTreeSet<Timestamp> = groups
        .iter()
        .filter(|g| KILL_ENTRIES.contains(&entries[g.entry].id.as_str()))
        .flat_map(|g| g.hits.iter().filter_map(|&i| hits[i].ts))
        .collect();
    let mut found: BTreeMap<String, SilentStop> = BTreeMap::new();
    // One look per burst of kill lines (an OOM kill is logged as a dozen lines at once).
    let mut last_looked: Option<Timestamp> = None;
    for &killed_at in &kills {
        if last_looked.is_some_and(|t| killed_at.duration_since(t) <= SILENT_SLACK) {
            continue;
        }
        last_looked = Some(killed_at);
        let pane = PaneId::Containers;
        let seen = lines.seen_around(pane, killed_at, SILENT_WINDOW);
        let mut last_before: BTreeMap<&str, (Timestamp, u64)> = BTreeMap::new();
        let mut after: BTreeSet<&str> = BTreeSet::new();
        for s in &seen {
            if s.ts <= later(killed_at, SILENT_SLACK) {
                let last = last_before.entry(&s.writer).or_insert((s.ts, s.line));
                *last = (*last).max((s.ts, s.line));
            } else {
                after.insert(&s.writer);
            }
        }
        for (writer, (last_line, line)) in last_before {
            // Its own error (or a kill Docker reported for it) explains it: not silent.
            let said_why = hits.iter().any(|h| {
                h.pane == pane
                    && h.writer.as_deref() == Some(writer)
                    && h.severity >= Severity::Error
                    && !KILL_ENTRIES.contains(&entries[h.entry].id.as_str())
                    && h.ts.is_some_and(|t| {
                        t <= later(killed_at, SILENT_SLACK)
                            && t >= earlier(last_line, SILENT_WINDOW)
                    })
            });
            if after.contains(writer) || said_why || found.contains_key(writer) {
                continue;
            }
            found.insert(
                writer.to_string(),
                SilentStop {
                    writer: writer.to_string(),
                    pane,
                    last_line,
                    line,
                    killed_at,
                },
            );
        }
    }
    found.into_values().collect()
}

#[cfg(test)]
mod tests;
