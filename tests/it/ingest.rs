//! One path for every line: the prefilter never loses a match, whichever plan it takes, and a
//! line gets the same hits however it arrives (as raw text, in a docker or compose log, in the
//! journal's text or structured outputs; through `triage scan` or through the viewer).

use crate::common;

use std::{
    collections::{BTreeMap, BTreeSet},
    io::Write,
    sync::Arc,
};

use crate::common::{fixture, repo};
use triage::{
    catalogue::Catalogue,
    ingest,
    input::{self, ChunkReader},
    loader::{LogData, LogFile, load_pane},
    matcher::{Matcher, Prefilter, Searcher},
    model::{Block, Bytes, Ingested, PaneId},
    parse::LogFormat,
    scan::{self, ScanOptions},
};

fn source_catalogue() -> Catalogue {
    let (catalogue, errors) = Catalogue::from_dir(&repo("patterns"));
    assert!(errors.is_empty(), "patterns/ has load errors: {errors:#?}");
    catalogue
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Every example and counter-example of the catalogue.
fn catalogue_lines(catalogue: &Catalogue) -> Vec<String> {
    catalogue
        .entries()
        .iter()
        .flat_map(|e| e.examples.iter().chain(&e.counter_examples).cloned())
        .collect()
}

/// At least 16 MiB of real logs (loghub's 16 systems, whole newline-terminated lines, in a
/// fixed order, shuffled per round) plus generated traffic, with every catalogue line inserted
/// at random places and as the first and last line of every 1 MiB chunk.
fn corpus(catalogue: &Catalogue) -> Vec<Vec<u8>> {
    let mut background: Vec<Vec<u8>> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(fixture("loghub"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 16, "the 16 loghub samples");
    let mut real: Vec<Vec<u8>> = Vec::new();
    for path in names {
        let text = std::fs::read(&path).unwrap();
        real.extend(
            text.split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec()),
        );
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut size = 0;
    while size < 16 << 20 {
        let mut round = real.clone();
        for i in (1..round.len()).rev() {
            round.swap(i, rng.below(i + 1));
        }
        size += round.iter().map(|l| l.len() + 1).sum::<usize>();
        background.extend(round);
    }
    let generated = std::process::Command::new("python3")
        .arg(repo("bench/gen-corpus"))
        .args(["--bytes", "2M", "--seed", "7"])
        .output()
        .expect("python3 runs bench/gen-corpus");
    assert!(generated.status.success(), "gen-corpus failed");
    background.extend(
        generated
            .stdout
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec),
    );
    let inserted = catalogue_lines(catalogue);
    for line in &inserted {
        let at = rng.below(background.len());
        background.insert(at, line.as_bytes().to_vec());
    }
    // Chunk edges: the lines on both sides of every 1 MiB boundary are catalogue lines.
    let mut out = Vec::with_capacity(background.len() + 4096);
    let (mut bytes, mut next_edge, mut k) = (0usize, 1usize << 20, 0usize);
    for line in background {
        bytes += line.len() + 1;
        out.push(line);
        if bytes >= next_edge {
            out.push(inserted[k % inserted.len()].as_bytes().to_vec());
            out.push(inserted[(k + 1) % inserted.len()].as_bytes().to_vec());
            k += 2;
            next_edge += 1 << 20;
        }
    }
    out
}

fn memchr_last_newline(text: &[u8]) -> usize {
    text.iter().rposition(|&b| b == b'\n').expect("a newline")
}

fn joined(lines: &[Vec<u8>], crlf: bool) -> Vec<u8> {
    let mut text = Vec::new();
    for line in lines {
        text.extend_from_slice(line);
        text.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    text
}

/// `(line number from 1, entry)` for every line and every entry whose regex matches the
/// line's message, running every regex of the catalogue on every line.
fn every_regex_on_every_line(
    catalogue: &Catalogue,
    lines: &[Vec<u8>],
    format: LogFormat,
) -> BTreeSet<(u64, usize)> {
    let rules: Vec<(usize, &str)> = catalogue
        .entries()
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.regex.iter().map(move |r| (i, r.as_str())))
        .collect();
    let set = regex::bytes::RegexSetBuilder::new(rules.iter().map(|(_, r)| *r))
        .size_limit(1 << 30)
        .dfa_size_limit(1 << 30)
        .build()
        .unwrap();
    let mut found = BTreeSet::new();
    for (n, line) in lines.iter().enumerate() {
        let block = Block::new(Bytes::Owned(line.clone())).in_format(format, 2026);
        let message = block.view(0).message;
        for rule in set.matches(message).iter() {
            found.insert((n as u64 + 1, rules[rule].0));
        }
    }
    found
}

/// Hits of `searcher` over `text` cut in 1 MiB chunks the way `scan` and the loader cut it.
fn searched(searcher: &Searcher, text: &[u8], format: LogFormat) -> BTreeSet<(u64, usize)> {
    let mut chunks = ChunkReader::new(text, 1 << 20);
    let mut before = 0u64;
    let mut found = BTreeSet::new();
    while let Some(chunk) = chunks.next_chunk().unwrap() {
        let block = Block::new(Bytes::Owned(chunk.to_vec())).in_format(format, 2026);
        for hit in ingest::match_block(&block, searcher) {
            found.insert((before + hit.index as u64 + 1, hit.entry));
        }
        before += block.len() as u64;
    }
    found
}

fn scanned(
    matcher: &Matcher,
    text: &[u8],
    format: LogFormat,
    threads: usize,
) -> BTreeSet<(u64, usize)> {
    let input = input::from_reader(
        "corpus",
        Box::new(std::io::Cursor::new(text.to_vec())),
        Some(2026),
    )
    .unwrap();
    let mut found = BTreeSet::new();
    scan::scan_input(
        matcher,
        input,
        ScanOptions {
            format: Some(format),
            threads,
            unknown: None,
        },
        &mut |f| {
            found.extend(f.hits.iter().map(|h| (f.line, h.entry)));
            Ok(())
        },
    )
    .unwrap();
    found
}

/// Every prefilter plan finds exactly what running every regex on every line finds: the
/// literal NFA, the sampled-window filter with pieces chosen from a sample, the DFA fallback,
/// and `scan` itself on 1 and 4 threads (which switches to the window filter after 1 MiB); LF
/// and CRLF; the whole lines as plain text and as syslog lines.
#[test]
fn the_prefilter_never_loses_a_match() {
    let catalogue = source_catalogue();
    let matcher = Matcher::new(&catalogue);
    let lines = corpus(&catalogue);
    // The catalogue loaded whole (a handful of entries would make the comparison trivial).
    let entries_with_regexes = catalogue
        .entries()
        .iter()
        .filter(|e| !e.regex.is_empty())
        .count();
    assert!(entries_with_regexes > 100);
    for format in [LogFormat::Plain, LogFormat::ShortIso] {
        let naive = every_regex_on_every_line(&catalogue, &lines, format);
        assert!(
            naive.len() > 800,
            "the corpus should have plenty of hits ({})",
            naive.len()
        );
        // CRLF once, with the plain format: line ends are the same whatever the format.
        let line_ends: &[bool] = if format == LogFormat::Plain {
            &[false, true]
        } else {
            &[false]
        };
        for &crlf in line_ends {
            let text = joined(&lines, crlf);
            assert!(text.len() >= 16 << 20);
            let literals = Searcher::new(&matcher);
            // Whole lines under the big-input threshold (1 MiB): the NFA.
            let first = text[..=memchr_last_newline(&text[..1 << 19])].to_vec();
            let block = Block::new(Bytes::Owned(first)).in_format(format, 2026);
            ingest::match_block(&block, &literals);
            assert_eq!(literals.prefilter(), Prefilter::Literals);

            let grams = Searcher::for_big_input(&matcher, &text[..4 << 20]);
            assert!(
                matches!(grams.prefilter(), Prefilter::Grams { step } if step >= 3),
                "the built-in literals allow a step of 3 windows: {:?}",
                grams.prefilter()
            );
            let dfa = Searcher::with_literal_dfa(&matcher);
            assert_eq!(dfa.prefilter(), Prefilter::Dfa);
            for (name, searcher) in [("grams", &grams), ("dfa", &dfa)] {
                let fast = searched(searcher, &text, format);
                assert_eq!(fast, naive, "{name}, {format}, crlf {crlf}");
            }
            // The first MiB (whole lines), where a fresh searcher stays with the NFA.
            let head = &text[..=memchr_last_newline(&text[..(1 << 20) - 1])];
            let head_lines = head.iter().filter(|&&b| b == b'\n').count() as u64;
            let nfa_searcher = Searcher::new(&matcher);
            let nfa = searched(&nfa_searcher, head, format);
            assert_eq!(nfa_searcher.prefilter(), Prefilter::Literals);
            let in_first_mib: BTreeSet<_> = naive
                .iter()
                .filter(|(line, _)| *line <= head_lines)
                .copied()
                .collect();
            assert_eq!(nfa, in_first_mib, "literal NFA, {format}, crlf {crlf}");
            for threads in [1, 4] {
                assert_eq!(
                    scanned(&matcher, &text, format, threads),
                    naive,
                    "scan, {threads} threads, {format}, crlf {crlf}"
                );
            }
        }
    }
}

// ---- the same hits however a line arrives ------------------------------------------------

/// What a hit says, independent of the format around the line: the entry and the text of
/// each matched span.
type Said = BTreeSet<(usize, Vec<Vec<u8>>)>;

fn said(entry: usize, line: &[u8], spans: &[std::ops::Range<usize>]) -> (usize, Vec<Vec<u8>>) {
    (
        entry,
        spans.iter().map(|s| line[s.clone()].to_vec()).collect(),
    )
}

/// The formats a message can be written in, each as (name, forced format, file text); line
/// (or entry) `i` of each holds `messages[i]`.
fn written_in_every_format(messages: &[Vec<u8>]) -> Vec<(&'static str, Vec<u8>)> {
    let ts = "2026-11-28T14:03:05.123456789Z";
    let mut out: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut each = |name: &'static str, f: &dyn Fn(&[u8]) -> Vec<u8>| {
        let mut text = Vec::new();
        for m in messages {
            text.extend(f(m));
        }
        out.push((name, text));
    };
    let line = |prefix: String| move |m: &[u8]| [prefix.as_bytes(), m, b"\n"].concat();
    each("docker", &line(format!("{ts} ")));
    each("compose -t", &line(format!("web-1  | {ts} ")));
    each("short", &line("Nov 28 14:03:05 vm app[42]: ".into()));
    each(
        "short-precise",
        &line("Nov 28 14:03:05.123456 vm app[42]: ".into()),
    );
    each(
        "short-iso",
        &line("2026-11-28T14:03:05+0000 vm app[42]: ".into()),
    );
    each(
        "syslog <PRI>",
        &line("<27>Nov 28 14:03:05 vm app[42]: ".into()),
    );
    each("json", &|m: &[u8]| {
        let message = String::from_utf8_lossy(m);
        let mut object = serde_json::to_vec(&serde_json::json!({
            "__CURSOR": "s=1",
            "__REALTIME_TIMESTAMP": "1795874585123456",
            "PRIORITY": "3",
            "SYSLOG_IDENTIFIER": "app",
            "MESSAGE": message,
        }))
        .unwrap();
        object.push(b'\n');
        object
    });
    // Docker's json-file and an application's JSON lines: the message is a field.
    each("docker-json", &|m: &[u8]| {
        let log = format!("{}\n", String::from_utf8_lossy(m));
        let mut object =
            serde_json::to_vec(&serde_json::json!({"log": log, "stream": "stderr", "time": ts}))
                .unwrap();
        object.push(b'\n');
        object
    });
    each("json-lines", &|m: &[u8]| {
        let message = String::from_utf8_lossy(m);
        let mut object =
            serde_json::to_vec(&serde_json::json!({"time": ts, "level": "error", "msg": message}))
                .unwrap();
        object.push(b'\n');
        object
    });
    each("export", &|m: &[u8]| {
        [
            &b"__CURSOR=s=1\n__REALTIME_TIMESTAMP=1795874585123456\nPRIORITY=3\nSYSLOG_IDENTIFIER=app\nMESSAGE="[..],
            m,
            b"\n\n",
        ]
        .concat()
    });
    out
}

/// Hits per message (by its position), through `triage scan`'s engine.
fn through_scan(matcher: &Matcher, text: &[u8], format: &str) -> BTreeMap<usize, Said> {
    let input = input::from_reader(
        format,
        Box::new(std::io::Cursor::new(text.to_vec())),
        Some(2026),
    )
    .unwrap();
    let mut found: BTreeMap<usize, Said> = BTreeMap::new();
    scan::scan_input(matcher, input, ScanOptions::default(), &mut |f| {
        // Export entries take six lines each (five fields and a blank line); every other
        // format one line per message.
        let position = if format == "export" {
            (f.line as usize - 1) / 6
        } else {
            f.line as usize - 1
        };
        let hits = found.entry(position).or_default();
        hits.extend(f.hits.iter().map(|h| said(h.entry, f.text, &h.spans)));
        Ok(())
    })
    .unwrap();
    found
}

/// Hits per message (by its position), through the viewer's loader.
fn through_viewer(matcher: &Matcher, text: &[u8], name: &str) -> BTreeMap<usize, Said> {
    let bytes: &'static [u8] = Box::leak(text.to_vec().into_boxed_slice());
    let file = LogFile::open(name, LogData::Static(bytes), None).unwrap();
    let mut found: BTreeMap<usize, Said> = BTreeMap::new();
    let mut before = 0;
    load_pane(matcher, PaneId::Host, &[file], &mut |event| {
        if let Ingested::Block { block, hits, .. } = event {
            for hit in hits {
                let line = block.line(hit.index);
                found
                    .entry(before + hit.index)
                    .or_default()
                    .insert(said(hit.entry, line, &hit.spans));
            }
            before += block.len();
        }
        true
    });
    found
}

/// Every example line of the catalogue, as its message written in every format the viewer
/// and `scan` read, gets the same hits (entry and matched text) everywhere, and the same as
/// the example pasted on its own.
#[test]
fn a_line_gets_the_same_hits_however_it_arrives() {
    let catalogue = source_catalogue();
    let matcher = Matcher::new(&catalogue);
    let examples: Vec<&String> = catalogue
        .entries()
        .iter()
        .flat_map(|e| &e.examples)
        .collect();
    // The message each example holds (an example may be a whole syslog or docker line).
    let messages: Vec<Vec<u8>> = examples
        .iter()
        .map(|e| {
            let block = Block::new(Bytes::Owned(e.as_bytes().to_vec()))
                .in_format(triage::parse::sniff(e.as_bytes()), 2026);
            block.view(0).message.to_vec()
        })
        .filter(|m| !m.is_empty() && !m.starts_with(b"{"))
        .collect();
    let pasted: BTreeMap<usize, Said> = messages
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let hits = ingest::match_line(&matcher, m);
            (i, hits.iter().map(|h| said(h.entry, m, &h.spans)).collect())
        })
        .filter(|(_, s): &(usize, Said)| !s.is_empty())
        .collect();
    assert!(
        pasted.len() * 10 >= messages.len() * 9,
        "most examples match as messages"
    );
    let mut failures = Vec::new();
    for (name, text) in written_in_every_format(&messages) {
        for (path, got) in [
            ("scan", through_scan(&matcher, &text, name)),
            ("viewer", through_viewer(&matcher, &text, name)),
        ] {
            for (i, message) in messages.iter().enumerate() {
                let (want, have) = (pasted.get(&i), got.get(&i));
                if want != have {
                    failures.push(format!(
                        "{name} via {path}: {:?}: pasted {:?}, got {:?}",
                        String::from_utf8_lossy(message),
                        want.map(|s| s
                            .iter()
                            .map(|(e, _)| &catalogue.entries()[*e].id)
                            .collect::<Vec<_>>()),
                        have.map(|s| s
                            .iter()
                            .map(|(e, _)| &catalogue.entries()[*e].id)
                            .collect::<Vec<_>>()),
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The issue's own case: `kex_exchange_identification` read as `journalctl -o json` and as
/// `-o short-iso` is the same `ssh-kex-closed` hit.
#[test]
fn an_anchored_regex_means_the_same_in_every_format() {
    let catalogue = source_catalogue();
    let matcher = Matcher::new(&catalogue);
    let id = catalogue.index_of("ssh-kex-closed").unwrap();
    let message = b"kex_exchange_identification: Connection closed by remote host".to_vec();
    for (name, text) in written_in_every_format(std::slice::from_ref(&message)) {
        let hits = through_scan(&matcher, &text, name);
        assert!(
            hits.get(&0)
                .is_some_and(|s| s.iter().any(|(e, _)| *e == id)),
            "{name}: {hits:?}"
        );
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(b"2026-11-28T14:03:05+0000 vm ssh[9]: kex_exchange_identification: Connection closed by remote host\n")
        .unwrap();
    let out = common::triage()
        .args(["scan", "--format", "jsonl"])
        .arg(file.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"ssh-kex-closed\""), "{text}");
}

/// An outage is a flood of hits: every line a hit, time stepping back at each pass (sources
/// merged, a file holding several runs). Followed with a bounded scrollback, the hits stay
/// bounded too (the first and newest of each entry kept, the rest counted), the time order of
/// all hits stays whole, and the selection follows its hit when positions move.
#[test]
fn a_flood_of_hits_stays_bounded_while_following() {
    use triage::{
        app::{App, Event, Options, Source, SourceState},
        catalogue::Lang,
        model::LineFields,
        source::{self, LiveLine},
    };
    let (catalogue, errors) = Catalogue::builtin();
    assert!(errors.is_empty());
    let catalogue = Arc::new(catalogue);
    let matcher = Matcher::new(&catalogue);
    let searcher = Searcher::new(&matcher);
    let scrollback = 5_000;
    let source = Source {
        name: "flood".into(),
        format: LogFormat::Plain,
        year: 2026,
        state: SourceState::Live,
    };
    let mut app = App::new(
        catalogue.clone(),
        [vec![source], Vec::new()],
        &Options {
            lang: Lang::En,
            color: true,
            replay: None,
            scrollback: Some(scrollback),
            live: true,
        },
    );
    app.update(Event::Resize(160, 48));
    let start: jiff::Timestamp = "2026-11-28T14:00:00Z".parse().unwrap();
    let (passes, per_pass, burst) = (3u64, 20_000u64, 1_000u64);
    let mut sent_hits = 0usize;
    for pass in 0..passes {
        for first in (0..per_pass).step_by(burst as usize) {
            let lines: Vec<LiveLine> = (first..first + burst)
                .map(|n| LiveLine {
                    origin: Arc::from("docker:flood"),
                    fields: LineFields {
                        ts: Some(start + jiff::SignedDuration::from_millis(n as i64 * 10)),
                        label: Some(Arc::from("nginx")),
                        ..LineFields::default()
                    },
                    // The access log of a 502 storm (the postmortem's nginx, one per request).
                    text: format!(
                        r#"172.18.0.1 - - [28/Nov/2026:14:03:05 +0000] "GET /api/items/{n}?pass={pass} HTTP/1.1" 502 157 "-" "curl/8.5.0""#
                    )
                    .into_bytes(),
                })
                .collect();
            let block = source::block_of(&lines, 0);
            let hits = ingest::match_block(&block, &searcher);
            assert_eq!(hits.len(), burst as usize, "every line is a hit");
            sent_hits += hits.len();
            if pass == 1 && first == 0 {
                // Select the newest hit, then keep following: it must stay selected.
                common::press(&mut app, "G");
            }
            app.update(Event::Block {
                pane: PaneId::Containers,
                block: Arc::new(block),
                hits,
                classified: None,
            });
        }
    }
    let pane = &app.panes[0];
    let dropped: u64 = pane.dropped_hits.values().sum();
    assert_eq!(
        pane.hits.len() + dropped as usize,
        sent_hits,
        "every hit kept or counted"
    );
    assert!(dropped > 0, "old hits were dropped");
    let bound = (scrollback as usize + 1024) + 2 * triage::app::pane::KEPT_HITS_PER_ENTRY;
    assert!(
        pane.hits.len() <= bound,
        "{} hits kept, bound {bound}",
        pane.hits.len()
    );
    assert!(pane.store.len() <= scrollback + 1024);
    // The time order of all hits is whole and sorted.
    assert_eq!(app.hit_order.len(), pane.hits.len());
    let keys: Vec<_> = app
        .hit_order
        .iter()
        .map(|r| {
            let h = app.hit(*r).unwrap();
            (h.ts, h.line)
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "hit order sorted");
    let mut in_order: Vec<usize> = app.hit_order.iter().map(|r| r.index).collect();
    in_order.sort_unstable();
    assert!(
        in_order.iter().copied().eq(0..pane.hits.len()),
        "each kept hit once in the time order"
    );
    // How the outage began stays, with its text: the flood's first line was its first hit.
    assert_eq!(pane.hits[0].line, 0);
    assert!(pane.hits[0].kept_text.is_some());
    if let Some(r) = app.selected {
        assert!(app.hit(r).is_some(), "the selection points at a hit");
    }
}

/// The matched text of each span, and the hit's time.
fn said_at(line: &[u8], spans: &[std::ops::Range<usize>], ts: Option<jiff::Timestamp>) -> String {
    let texts: Vec<String> = spans
        .iter()
        .map(|s| String::from_utf8_lossy(&line[s.clone()]).into_owned())
        .collect();
    format!("{texts:?} at {ts:?}")
}

/// `(line from 1, entry, spans, time)` of every hit, as `triage scan` reports them.
fn scan_hits(matcher: &Matcher, path: &std::path::Path) -> BTreeSet<(u64, usize, String)> {
    let input = input::open_path(path).unwrap();
    let mut found = BTreeSet::new();
    scan::scan_input(matcher, input, ScanOptions::default(), &mut |f| {
        for h in f.hits {
            found.insert((f.line, h.entry, said_at(f.text, &h.spans, h.ts)));
        }
        Ok(())
    })
    .unwrap();
    found
}

/// The same, as the viewer's loader delivers them (a file on disk: mapped, or decoded).
fn viewer_hits(matcher: &Matcher, path: &std::path::Path) -> BTreeSet<(u64, usize, String)> {
    let file = LogFile::open(
        &path.to_string_lossy(),
        LogData::Path(path.to_path_buf()),
        None,
    )
    .unwrap();
    let mut found = BTreeSet::new();
    let mut before = 0u64;
    load_pane(matcher, file.pane(), &[file], &mut |event| {
        if let Ingested::Block { block, hits, .. } = event {
            for h in hits {
                let line = block.line(h.index);
                found.insert((
                    before + h.index as u64 + 1,
                    h.entry,
                    said_at(line, &h.spans, h.ts),
                ));
            }
            before += block.len() as u64;
        }
        true
    });
    found
}

/// `triage scan` and the viewer agree (same line, entry, matched text and time) on every
/// fixture of every format, the bundled incident, gzip, xz, bzip2 and zstd files, and a 9 MiB file whose
/// tracebacks cross the chunk edges of both (scan cuts 1 MiB chunks, the viewer maps 4 MiB
/// blocks, and past 8 MiB both switch to the anchor prefilter).
#[test]
fn scan_and_the_viewer_agree_on_every_fixture() {
    let catalogue = source_catalogue();
    let matcher = Matcher::new(&catalogue);
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(fixture("formats"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    paths.sort();
    paths.push(repo("examples/athena-eye/docker-compose.log"));
    paths.push(repo("examples/athena-eye/host.log"));
    let dir = tempfile::tempdir().unwrap();
    // gzip, by content.
    let gz = dir.path().join("host.log.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(&std::fs::read(repo("examples/athena-eye/host.log")).unwrap())
        .unwrap();
    encoder.finish().unwrap();
    paths.push(gz);
    // xz, bzip2 and zstd, by content too (names that say nothing).
    let host = std::fs::read(repo("examples/athena-eye/host.log")).unwrap();
    let xz = dir.path().join("host-xz");
    let mut encoder = liblzma::write::XzEncoder::new(std::fs::File::create(&xz).unwrap(), 1);
    encoder.write_all(&host).unwrap();
    encoder.finish().unwrap();
    let bz = dir.path().join("host-bz");
    let mut encoder = bzip2::write::BzEncoder::new(
        std::fs::File::create(&bz).unwrap(),
        bzip2::Compression::fast(),
    );
    encoder.write_all(&host).unwrap();
    encoder.finish().unwrap();
    let zst = dir.path().join("host-zst");
    std::fs::write(&zst, zstd::encode_all(&host[..], 1).unwrap()).unwrap();
    paths.extend([xz, bz, zst]);
    // 9 MiB of the incident's container log: gunicorn tracebacks (continuation lines without
    // a time of their own) land on chunk edges somewhere in 9 repetitions at odd offsets.
    let big = dir.path().join("big.log");
    let compose = std::fs::read(repo("examples/athena-eye/docker-compose.log")).unwrap();
    let mut text = Vec::new();
    let mut pad = 0;
    while text.len() < 9 << 20 {
        text.extend_from_slice(&compose);
        pad += 1;
        text.extend(std::iter::repeat_n(b'x', pad * 7));
        text.push(b'\n');
    }
    std::fs::write(&big, &text).unwrap();
    paths.push(big);
    let mut checked = 0;
    for path in &paths {
        let (mut scanned, mut viewed) = (scan_hits(&matcher, path), viewer_hits(&matcher, path));
        // A journal export or JSON file: scan numbers an entry by the input line it starts on,
        // the viewer by its place among the lines shown; compare the hits in order instead.
        let structured = ["journal.export", "journal.json"]
            .iter()
            .any(|name| path.ends_with(name));
        if structured {
            let renumber =
                |hits: BTreeSet<(u64, usize, String)>| -> BTreeSet<(u64, usize, String)> {
                    let mut lines: Vec<u64> = hits.iter().map(|h| h.0).collect();
                    lines.dedup();
                    hits.into_iter()
                        .map(|(line, entry, said)| {
                            (
                                lines.iter().position(|&l| l == line).unwrap() as u64,
                                entry,
                                said,
                            )
                        })
                        .collect()
                };
            scanned = renumber(scanned);
            viewed = renumber(viewed);
        }
        let only_scan: Vec<_> = scanned.difference(&viewed).take(5).collect();
        let only_viewer: Vec<_> = viewed.difference(&scanned).take(5).collect();
        assert!(
            only_scan.is_empty() && only_viewer.is_empty(),
            "{}: only in scan {only_scan:?}; only in the viewer {only_viewer:?}",
            path.display()
        );
        checked += scanned.len();
    }
    assert!(checked > 1000, "{checked} hits compared");
}

/// Several files in one pane: the viewer reads them all and merges their lines by time. Each
/// hit is still the one `triage scan` reports for that file: the same file, line text, entry,
/// matched text and time, as many times, whatever the files' formats (plain logs, a compose
/// log, a gzip file, the journal's JSON).
#[test]
fn merged_files_get_the_hits_scan_gives_each_file() {
    let catalogue = source_catalogue();
    let matcher = Matcher::new(&catalogue);
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("host.log.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(&std::fs::read(repo("examples/athena-eye/host.log")).unwrap())
        .unwrap();
    encoder.finish().unwrap();
    let paths = [
        repo("examples/athena-eye/docker-compose.log"),
        gz,
        fixture("formats/nginx-error.log"),
        fixture("formats/journal.json"),
        fixture("formats/syslog-rfc3339.log"),
    ];
    // (file, line text, entry, matched text and time) -> how many times.
    type Counted = BTreeMap<(usize, String, usize, String), usize>;
    let structured = |file: usize| paths[file].ends_with("journal.json");
    let key = |file: usize, line: &[u8], entry: usize, said: String| {
        // A journal entry is stored as its message and scanned as its JSON line: compare the
        // matched text, not the line around it.
        let line = if structured(file) {
            String::new()
        } else {
            String::from_utf8_lossy(line).into_owned()
        };
        (file, line, entry, said)
    };
    let mut scanned = Counted::new();
    for (file, path) in paths.iter().enumerate() {
        let input = input::open_path(path).unwrap();
        scan::scan_input(&matcher, input, ScanOptions::default(), &mut |f| {
            for h in f.hits {
                let said = said_at(f.text, &h.spans, h.ts);
                *scanned.entry(key(file, f.text, h.entry, said)).or_default() += 1;
            }
            Ok(())
        })
        .unwrap();
    }
    let files: Vec<LogFile> = paths
        .iter()
        .map(|p| LogFile::open(&p.to_string_lossy(), LogData::Path(p.clone()), None).unwrap())
        .collect();
    let mut viewed = Counted::new();
    let mut times = Vec::new();
    load_pane(&matcher, files[0].pane(), &files, &mut |event| {
        if let Ingested::Block { block, hits, .. } = event {
            for i in 0..block.len() {
                times.push(block.view_in_context(i).ts);
            }
            for h in hits {
                let line = block.line(h.index);
                let said = said_at(line, &h.spans, h.ts);
                let file = block.tag(h.index) as usize;
                *viewed.entry(key(file, line, h.entry, said)).or_default() += 1;
            }
        }
        true
    });
    // Merged: in time order across the files.
    let timed: Vec<_> = times.iter().flatten().collect();
    assert!(
        timed.len() > 100 && timed.is_sorted(),
        "lines not merged by time"
    );
    // Every file contributed hits, so the comparison covers each format.
    let per_file: BTreeSet<usize> = scanned.keys().map(|k| k.0).collect();
    assert_eq!(
        per_file.len(),
        paths.len(),
        "a file without hits: {per_file:?}"
    );
    let only_scan: Vec<_> = scanned
        .iter()
        .filter(|(k, n)| viewed.get(k) != Some(n))
        .take(5)
        .collect();
    let only_viewer: Vec<_> = viewed
        .iter()
        .filter(|(k, n)| scanned.get(k) != Some(n))
        .take(5)
        .collect();
    assert!(
        only_scan.is_empty() && only_viewer.is_empty(),
        "scan says {only_scan:?}; the merged pane says {only_viewer:?}"
    );
}

/// A big file's hits are listed first and its lines' own errors and warnings read after
/// (`Ingested::Marks`): together they are what reading both at once gives, line for line.
#[test]
fn a_big_files_marks_read_later_are_those_read_with_its_blocks() {
    use triage::{loader::load_pane_following_marking_over, marks, model::SourceState};
    let matcher = Matcher::new(&source_catalogue());
    let path = fixture("loghub/BGL_2k.log");
    let file = LogFile::open("big.log", LogData::Path(path), None).unwrap();
    let (mut with_blocks, mut later) = (BTreeSet::new(), BTreeSet::new());
    let (mut first, mut marking_seen) = (0u64, false);
    let key = |line: u64, c: &marks::Classified| {
        (
            line,
            format!("{:?} {:?}", c.kind, c.unrecognised.as_ref().map(|u| u.0)),
        )
    };
    // The loader follows the file once read: it runs on a thread of its own, left behind.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        load_pane_following_marking_over(&matcher, PaneId::Host, &[file], 0, &mut |event| {
            tx.send(event).is_ok()
        });
    });
    let deadline = std::time::Duration::from_secs(30);
    while let Ok(event) = rx.recv_timeout(deadline) {
        match event {
            Ingested::Block {
                block,
                hits,
                classified,
                ..
            } => {
                // Sent with its known errors only; all of them read at once, for comparison.
                let known = marks::classify_known(&block, &hits);
                assert_eq!(classified.as_ref(), Some(&known));
                for c in marks::classify(&block, &hits) {
                    with_blocks.insert(key(first + c.index as u64, &c));
                }
                for c in known {
                    later.insert(key(first + c.index as u64, &c));
                }
                first += block.len() as u64;
            }
            Ingested::Marks {
                first, classified, ..
            } => {
                for c in classified {
                    later.insert(key(first + c.index as u64, &c));
                }
            }
            Ingested::State { state, .. } => {
                marking_seen |= matches!(state, SourceState::Marking { .. });
                // Following begins once every mark is read.
                if state == SourceState::Loaded {
                    break;
                }
            }
        }
    }
    assert!(marking_seen, "the marks were read in a pass of their own");
    assert!(
        with_blocks.iter().any(|(_, k)| k.contains("Some")),
        "unrecognised errors in it"
    );
    assert_eq!(later, with_blocks);
}
