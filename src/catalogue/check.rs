//! `triage patterns check`: a catalogue proves itself on its own examples.

use std::fmt;

use super::{Catalogue, Entry, PatternError, coverage};
use crate::matcher::{Matcher, compile_regex};

/// What a check found. Problems fail the check; notes are advice.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub problems: Vec<PatternError>,
    pub notes: Vec<PatternError>,
    pub entries: usize,
    pub examples: usize,
    pub counter_examples: usize,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "error: {problem}")?;
        }
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        write!(
            f,
            "{} entries, {} examples, {} counter-examples: {}",
            self.entries,
            self.examples,
            self.counter_examples,
            if self.is_ok() {
                "ok".to_string()
            } else {
                format!("{} problem(s)", self.problems.len())
            }
        )
    }
}

/// Check a loaded catalogue (load errors are the caller's to add): every example matches its
/// own entry, no counter-example does, no example is claimed by an entry that did not declare
/// the overlap, every id an entry refers to exists, and every regex and every branch of a
/// top-level alternation is matched by an example (see [`uncovered`]).
pub fn check(catalogue: &Catalogue) -> CheckReport {
    check_only(catalogue, &|_| true)
}

/// As [`check`], for the entries `checked` picks (a user's directory over the built-ins):
/// they are checked against the whole catalogue, and only they are counted.
pub fn check_only(catalogue: &Catalogue, checked: &dyn Fn(&Entry) -> bool) -> CheckReport {
    let matcher = Matcher::new(catalogue);
    let entries = catalogue.entries();
    let mut report = CheckReport {
        entries: entries.iter().filter(|e| checked(e)).count(),
        ..CheckReport::default()
    };
    for (index, entry) in entries.iter().enumerate() {
        if !checked(entry) {
            continue;
        }
        let problem = |message: String| PatternError {
            file: entry.origin.file.clone(),
            line: entry.origin.line,
            entry: Some(entry.id.clone()),
            message,
        };
        if !entry.is_symptom_only() && entry.examples.is_empty() {
            report
                .problems
                .push(problem("has regexes but no examples".into()));
        }
        if entry.is_symptom_only() && !entry.examples.is_empty() {
            report.problems.push(problem(
                "symptom-only entry (no regex) cannot have log-line examples".into(),
            ));
        }
        if entry.remedy.is_empty() {
            report.problems.push(problem("has no remedy steps".into()));
        }
        for (pattern, &line) in entry.regex.iter().zip(&entry.regex_lines) {
            if let Err(err) = crate::matcher::compile_regex(pattern) {
                report.problems.push(PatternError {
                    line,
                    ..problem(format!("regex does not compile: {err}"))
                });
            }
        }
        for id in entry.leads_to.iter().chain(&entry.overlaps) {
            if catalogue.get(id).is_none() {
                report
                    .problems
                    .push(problem(format!("refers to unknown id `{id}`")));
            }
        }
        for example in &entry.examples {
            report.examples += 1;
            let hits = crate::ingest::match_line(&matcher, example.as_bytes());
            if !hits.iter().any(|h| h.entry == index) {
                report
                    .problems
                    .push(problem(format!("example does not match: {example:?}")));
            }
            for hit in hits.iter().filter(|h| h.entry != index) {
                let other = &entries[hit.entry];
                if !entry.declares_overlap_with(other) {
                    report.problems.push(problem(format!(
                        "example also matches `{}` ({}) without a declared overlap: {example:?}",
                        other.id, other.origin
                    )));
                }
            }
        }
        for message in uncovered(entry) {
            report.problems.push(PatternError {
                line: message.0,
                ..problem(message.1)
            });
        }
        for counter in &entry.counter_examples {
            report.counter_examples += 1;
            if crate::ingest::match_line(&matcher, counter.as_bytes())
                .iter()
                .any(|h| h.entry == index)
            {
                report
                    .problems
                    .push(problem(format!("counter-example matches: {counter:?}")));
            }
        }
    }
    for (entry, pattern, literals) in matcher.guards() {
        let entry = &entries[entry];
        if !checked(entry) {
            continue;
        }
        let shortest = literals.map_or(0, |l| l.iter().map(Vec::len).min().unwrap_or(0));
        if shortest < 4 {
            let line = entry
                .regex
                .iter()
                .position(|r| r == pattern)
                .map_or(entry.origin.line, |i| entry.regex_lines[i]);
            report.notes.push(PatternError {
                file: entry.origin.file.clone(),
                line,
                entry: Some(entry.id.clone()),
                message: format!(
                    "regex has no literal of 4+ bytes that every match contains, so it is tested on many lines (slow): {pattern}"
                ),
            });
        }
    }
    report
}

/// The regexes of `entry`, and the branches of their top-level alternations, that no example
/// matches, as (line in the file, what is wrong). An example matches a branch when the branch
/// alone, compiled as a regex of its own, matches the example's message as a scan sees it, so
/// `^` means what it means at scan time. Regexes that do not compile are reported elsewhere.
pub fn uncovered(entry: &Entry) -> Vec<(usize, String)> {
    let messages: Vec<Vec<u8>> = entry
        .examples
        .iter()
        .flat_map(|example| crate::ingest::line_messages(example.as_bytes()))
        .collect();
    let matched = |regex: &regex::bytes::Regex| messages.iter().any(|m| regex.is_match(m));
    let mut found = Vec::new();
    for (pattern, &line) in entry.regex.iter().zip(&entry.regex_lines) {
        let Ok(regex) = compile_regex(pattern) else {
            continue;
        };
        if !matched(&regex) {
            found.push((line, format!("no example matches regex {pattern:?}")));
            continue;
        }
        for branch in coverage::top_level_branches(pattern) {
            match compile_regex(&branch.pattern) {
                Ok(regex) if matched(&regex) => {}
                Ok(_) => found.push((
                    line,
                    format!(
                        "no example matches branch {:?} of regex {pattern:?}",
                        branch.text
                    ),
                )),
                Err(err) => found.push((
                    line,
                    format!(
                        "branch {:?} of regex {pattern:?} does not compile on its own: {err}",
                        branch.text
                    ),
                )),
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::parse_file;

    fn entry(regexes: &[&str], examples: &[&str]) -> Entry {
        let quote = |items: &[&str]| {
            items
                .iter()
                .map(|s| format!("'''{s}'''"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let text = format!(
            "[[entry]]\nid = \"tiny\"\nseverity = \"error\"\ntitle.en = \"t\"\ntitle.zh = \"t\"\n\
             cause.en = \"c\"\ncause.zh = \"c\"\nregex = [{}]\nexamples = [{}]\n\n\
             [[entry.remedy]]\nen = \"Look.\"\nzh = \"看。\"\nrun = [\"ls\"]\n",
            quote(regexes),
            quote(examples)
        );
        let (mut entries, errors) = parse_file("tiny.toml", &text);
        assert!(errors.is_empty(), "{errors:?}");
        entries.remove(0)
    }

    fn problems(regexes: &[&str], examples: &[&str]) -> Vec<String> {
        uncovered(&entry(regexes, examples))
            .into_iter()
            .map(|(_, message)| message)
            .collect()
    }

    #[test]
    fn every_regex_and_branch_matched_by_an_example_is_covered() {
        assert!(
            problems(
                &["disk full", "(?:boom|bang) now"],
                &["disk full", "bang now"]
            )
            .is_empty()
        );
        assert!(problems(&["^(boom|bang)$"], &["boom", "bang"]).is_empty());
        assert!(problems(&["(?i)(boom|bang)"], &["BOOM", "Bang"]).is_empty());
    }

    #[test]
    fn a_regex_no_example_matches_is_reported_with_its_line() {
        let entry = entry(&["disk full", "out of inodes"], &["disk full"]);
        let found = uncovered(&entry);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, entry.regex_lines[1]);
        assert!(found[0].1.contains("out of inodes"), "{found:?}");
    }

    #[test]
    fn a_branch_no_example_matches_is_reported_by_its_text() {
        assert_eq!(
            problems(&["boom|bang|crash"], &["boom", "crash"]),
            [r#"no example matches branch "bang" of regex "boom|bang|crash""#]
        );
        assert_eq!(
            problems(&["(?P<what>boom|(?i)bang|crash)"], &["boom", "CRASH"]),
            [r#"no example matches branch "(?i)bang" of regex "(?P<what>boom|(?i)bang|crash)""#]
        );
        // A nested alternation is not a branch of its own: `b(oo|a)m` is covered by "boom".
        assert!(problems(&["b(oo|a)m"], &["boom"]).is_empty());
    }

    #[test]
    fn branches_are_matched_on_the_message_as_a_scan_sees_it() {
        // `^` anchors at the start of the program's own text, after the syslog prefix: the
        // second branch is covered by a journal line, the first by no line at all.
        let regex = "^boom now|^bang now";
        assert_eq!(
            problems(
                &[regex],
                &["2026-11-28T14:03:05+0000 host app[12]: bang now"]
            ),
            [format!(
                "no example matches branch \"^boom now\" of regex {regex:?}"
            )]
        );
        // Without the message extraction, `^bang now` would not match this line at all.
        assert!(
            problems(
                &[regex],
                &[
                    "2026-11-28T14:03:05+0000 host app[12]: bang now",
                    "Nov 28 14:03:05 host app[12]: boom now"
                ]
            )
            .is_empty()
        );
    }

    #[test]
    fn the_check_fails_on_an_uncovered_branch() {
        let mut catalogue = Catalogue::default();
        catalogue.insert(entry(&["boom|bang"], &["boom"]));
        let report = check(&catalogue);
        assert!(!report.is_ok());
        let text = report.to_string();
        assert!(
            text.contains("tiny.toml:") && text.contains("`tiny`") && text.contains("\"bang\""),
            "{text}"
        );
    }
}
