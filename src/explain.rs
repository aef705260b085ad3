//! `triage explain QUERY`: find the entries a person means, from an id, a few words, a
//! browser's error code, or a whole pasted log line; and render an entry in full.

use std::collections::{HashMap, HashSet};

use fuzzy_matcher::{FuzzyMatcher, skim::SkimMatcherV2};

use crate::{
    catalogue::{Catalogue, Entry, Lang},
    matcher::Matcher,
};

/// Why an entry was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// The query is the entry's id.
    Id,
    /// The query, read as a log line, matches the entry's regexes.
    LineMatches,
    /// The query fuzzily matches the entry's id, title, symptoms or examples.
    Fuzzy,
    /// The query shares distinctive words with the entry's examples and symptoms.
    Words,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub entry: usize,
    pub reason: Reason,
    pub score: i64,
}

/// The best entries for `query`, best first, at most `limit`.
pub fn explain(catalogue: &Catalogue, matcher: &Matcher, query: &str, limit: usize) -> Vec<Found> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<Found> = Vec::new();
    if let Some(index) = catalogue.index_of(query) {
        found.push(Found {
            entry: index,
            reason: Reason::Id,
            score: i64::MAX,
        });
    }
    for hit in crate::ingest::match_line(matcher, query.as_bytes()) {
        found.push(Found {
            entry: hit.entry,
            reason: Reason::LineMatches,
            score: i64::MAX - 1,
        });
    }
    let mut ranked = fuzzy(catalogue, query);
    if ranked.is_empty() {
        ranked = shared_words(catalogue, query);
    }
    found.extend(ranked);
    let mut seen = HashSet::new();
    found.sort_by(|a, b| a.reason.cmp(&b.reason).then(b.score.cmp(&a.score)));
    found.retain(|f| seen.insert(f.entry));
    found.truncate(limit);
    found
}

/// What a person would search an entry by.
fn haystacks(entry: &Entry) -> impl Iterator<Item = &str> {
    [
        entry.id.as_str(),
        entry.title.en.as_str(),
        entry.title.zh.as_str(),
    ]
    .into_iter()
    .chain(entry.symptoms.iter().map(String::as_str))
    .chain(entry.examples.iter().map(String::as_str))
}

fn fuzzy(catalogue: &Catalogue, query: &str) -> Vec<Found> {
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<Found> = catalogue
        .entries()
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| {
            let score = haystacks(entry)
                .filter_map(|hay| matcher.fuzzy_match(hay, query))
                .max()?;
            Some(Found {
                entry: index,
                reason: Reason::Fuzzy,
                score,
            })
        })
        .collect();
    // Fuzzy matching finds something for nearly any short query; keep only the entries that
    // match nearly as well as the best one.
    let best = scored.iter().map(|f| f.score).max().unwrap_or(0);
    scored.retain(|f| f.score * 10 >= best * 6);
    scored
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| w.chars().count() >= 3 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
}

/// Score entries by the distinctive words they share with the query (each word weighted by
/// how few entries use it), for pasted lines that differ from every example in detail.
fn shared_words(catalogue: &Catalogue, query: &str) -> Vec<Found> {
    let vocab: Vec<HashSet<String>> = catalogue
        .entries()
        .iter()
        .map(|entry| haystacks(entry).flat_map(words).collect())
        .collect();
    let mut document_frequency: HashMap<&str, usize> = HashMap::new();
    for set in &vocab {
        for word in set {
            *document_frequency.entry(word.as_str()).or_default() += 1;
        }
    }
    let query_words: HashSet<String> = words(query).collect();
    let total = vocab.len().max(1) as f64;
    let mut scored: Vec<Found> = vocab
        .iter()
        .enumerate()
        .filter_map(|(index, set)| {
            let score: f64 = query_words
                .iter()
                .filter(|w| set.contains(*w))
                .map(|w| (total / document_frequency[w.as_str()] as f64).ln())
                .sum();
            (score > 0.0).then_some(Found {
                entry: index,
                reason: Reason::Words,
                score: (score * 1000.0) as i64,
            })
        })
        .collect();
    let best = scored.iter().map(|f| f.score).max().unwrap_or(0);
    scored.retain(|f| f.score * 2 >= best);
    scored
}

/// Fill `{name}` placeholders in a remedy command from a hit's captures; unknown ones are
/// shown as `<name>` for the user to fill in.
pub fn fill_command(command: &str, captures: &[(String, String)]) -> String {
    let mut out = String::with_capacity(command.len());
    let mut rest = command;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        let is_name =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        out.push_str(&rest[..open]);
        if is_name {
            match captures.iter().find(|(k, _)| k == name) {
                Some((_, value)) => out.push_str(&crate::sanitize::visible(value.as_bytes())),
                None => out.push_str(&format!("<{name}>")),
            }
        } else {
            out.push_str(&rest[open..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a remedy command, in order, as `fill_command` finds them.
pub fn placeholder_names(command: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = command;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let name = &rest[open + 1..close];
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            names.push(name);
        }
        rest = &rest[close + 1..];
    }
    names
}

/// Text written in the catalogue with hard line breaks, as paragraphs for the screen to wrap.
pub fn reflow(text: &str) -> Vec<String> {
    text.trim()
        .split("\n\n")
        .map(|paragraph| {
            let mut joined = String::new();
            for line in paragraph.lines().map(str::trim).filter(|l| !l.is_empty()) {
                // Chinese needs no space where a line was broken; other text does.
                let cjk = |c: Option<char>| c.is_some_and(|c| c > '\u{2e80}');
                let cjk_join = cjk(joined.chars().last()) && cjk(line.chars().next());
                if !joined.is_empty() && !cjk_join {
                    joined.push(' ');
                }
                joined.push_str(line);
            }
            joined
        })
        .collect()
}

/// The headings of an entry card in each language.
pub struct Labels {
    pub cause: &'static str,
    pub remedy: &'static str,
    pub leads_to: &'static str,
    pub comes_from: &'static str,
    pub postmortem: &'static str,
    pub lesson: &'static str,
    pub seen_as: &'static str,
    pub sources: &'static str,
    /// Marks a remedy step that can destroy data or access.
    pub destructive: &'static str,
}

pub fn labels(lang: Lang) -> Labels {
    match lang {
        Lang::En => Labels {
            cause: "Cause",
            remedy: "Remedy",
            leads_to: "Leads to",
            comes_from: "Often follows",
            postmortem: "Postmortem §",
            lesson: "lesson",
            seen_as: "Seen as",
            sources: "Where",
            destructive: "[DESTRUCTIVE]",
        },
        Lang::Zh => Labels {
            cause: "原因",
            remedy: "解决方法",
            leads_to: "可能导致",
            comes_from: "常见前因",
            postmortem: "复盘报告 §",
            lesson: "教训",
            seen_as: "日志示例",
            sources: "出现位置",
            destructive: "[危险操作]",
        },
    }
}

/// An entry in full, as plain text (no colour, no terminal escapes: safe anywhere).
pub fn render_card(
    catalogue: &Catalogue,
    entry: &Entry,
    lang: Lang,
    captures: &[(String, String)],
) -> String {
    let l = labels(lang);
    let mut out = String::new();
    out += &format!(
        "{}  {}  {}\n",
        entry.severity.as_str().to_uppercase(),
        entry.id,
        entry.title.get(lang)
    );
    let sources: Vec<&str> = entry
        .sources
        .iter()
        .map(|s| match s {
            crate::catalogue::SourceKind::Docker => "docker",
            crate::catalogue::SourceKind::Journal => "journal",
            crate::catalogue::SourceKind::Kernel => "kernel",
            crate::catalogue::SourceKind::Nginx => "nginx",
            crate::catalogue::SourceKind::Apt => "apt",
            crate::catalogue::SourceKind::Browser => "browser",
            crate::catalogue::SourceKind::Any => "any",
        })
        .collect();
    let mut meta = Vec::new();
    if !sources.is_empty() {
        meta.push(format!("{}: {}", l.sources, sources.join(", ")));
    }
    if let Some(section) = &entry.postmortem {
        let mut reference = format!("{}{section}", l.postmortem);
        if let Some(lesson) = entry.lesson {
            reference += &format!(", {} {lesson}", l.lesson);
        }
        meta.push(reference);
    }
    if !meta.is_empty() {
        out += &format!("{}\n", meta.join("   "));
    }
    out += &format!("\n{}:\n", l.cause);
    for paragraph in reflow(entry.cause.get(lang)) {
        out += &format!("  {paragraph}\n");
    }
    out += &format!("\n{}:\n", l.remedy);
    for (n, step) in entry.remedy.iter().enumerate() {
        if step.destructive {
            out += &format!(
                "  {}. {} {}\n",
                n + 1,
                l.destructive,
                step.text(lang).trim()
            );
            if let Some(warning) = step.warning(lang) {
                out += &format!("     ! {}\n", fill_command(warning.trim(), captures));
            }
        } else {
            out += &format!("  {}. {}\n", n + 1, step.text(lang).trim());
        }
        for cmd in &step.run {
            out += &format!("     $ {}\n", fill_command(cmd, captures));
        }
    }
    let related = |ids: Vec<&str>| -> Vec<String> {
        ids.into_iter()
            .map(|id| match catalogue.get(id) {
                Some(e) => format!("{id} ({})", e.title.get(lang)),
                None => id.to_string(),
            })
            .collect()
    };
    let leads_to = related(entry.leads_to.iter().map(String::as_str).collect());
    if !leads_to.is_empty() {
        out += &format!("\n{}: {}\n", l.leads_to, leads_to.join("; "));
    }
    let comes_from = related(
        catalogue
            .comes_from(&entry.id)
            .map(|e| e.id.as_str())
            .collect(),
    );
    if !comes_from.is_empty() {
        out += &format!("{}: {}\n", l.comes_from, comes_from.join("; "));
    }
    let seen: Vec<&String> = if entry.is_symptom_only() {
        entry.symptoms.iter().collect()
    } else {
        entry.examples.iter().take(3).collect()
    };
    if !seen.is_empty() {
        out += &format!("\n{}:\n", l.seen_as);
        for example in seen {
            out += &format!("  {}\n", crate::sanitize::visible(example.as_bytes()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_filled_from_captures() {
        let caps = vec![("container".to_string(), "athena_eye_db".to_string())];
        assert_eq!(
            fill_command("docker logs {container}", &caps),
            "docker logs athena_eye_db"
        );
        assert_eq!(
            fill_command("docker logs {name}", &caps),
            "docker logs <name>"
        );
        assert_eq!(fill_command("awk '{print $1}'", &caps), "awk '{print $1}'");
        assert_eq!(fill_command("x {", &caps), "x {");
        assert_eq!(
            placeholder_names("docker inspect -f '{{.Name}}' {container} | awk '{print $1}' {x"),
            ["container"]
        );
    }

    #[test]
    fn a_card_marks_a_destructive_step_and_fills_its_warning_and_command() {
        let (catalogue, errors) = Catalogue::builtin();
        assert!(errors.is_empty());
        let entry = catalogue.get("apt-lock").unwrap();
        let caps = vec![("pid".to_string(), "2187".to_string())];
        let card = render_card(&catalogue, entry, Lang::En, &caps);
        let marked = card
            .lines()
            .position(|l| l.contains("[DESTRUCTIVE]"))
            .expect("the kill step is marked");
        let lines: Vec<&str> = card.lines().collect();
        assert!(
            lines[marked + 1]
                .trim_start()
                .starts_with("! Ends a package installation")
        );
        assert_eq!(lines[marked + 2].trim(), "$ sudo kill 2187");
        let card = render_card(&catalogue, entry, Lang::Zh, &caps);
        assert!(card.contains("[危险操作]") && card.contains("! 会让软件包安装中途结束"));
    }
}
