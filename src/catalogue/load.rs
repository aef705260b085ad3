//! Reading catalogue files: TOML → validated [`Entry`]s, one clear error per broken entry.
//!
//! A file that does not parse as a whole is re-read entry by entry (split at its `[[entry]]`
//! headers), so one broken entry costs only itself and its file's other entries still load.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::model::{Entry, Origin, RemedyStep, Severity, SourceKind, Text};

/// Something wrong in a catalogue file, located as precisely as the file allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {}{message}", entry.as_ref().map(|id| format!("entry `{id}`: ")).unwrap_or_default())]
pub struct PatternError {
    pub file: String,
    /// 1-based line in `file`.
    pub line: usize,
    /// The entry's id, when it could be read.
    pub entry: Option<String>,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    entry: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: String,
    severity: Severity,
    #[serde(default)]
    sources: Vec<SourceKind>,
    title: Text,
    cause: Text,
    #[serde(default)]
    remedy: Vec<RemedyStep>,
    postmortem: Option<String>,
    lesson: Option<u32>,
    #[serde(default)]
    leads_to: Vec<String>,
    #[serde(default)]
    overlaps: Vec<String>,
    #[serde(default)]
    regex: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    counter_examples: Vec<String>,
    #[serde(default)]
    symptoms: Vec<String>,
    #[serde(default)]
    refs: Vec<String>,
}

/// What is wrong with a remedy's options, if anything: a step that reads as an alternative
/// but is not an option, a choice of one, or more than one choice.
fn options_problem(remedy: &[RemedyStep]) -> Option<String> {
    for (n, step) in remedy.iter().enumerate() {
        if step.option.is_none() && super::model::reads_as_alternative(step) {
            return Some(format!(
                "remedy step {} reads as an alternative: make it an option (`option.en = \"…\"`) \
                 beside the steps it excludes, so that `Y` never copies them together",
                n + 1
            ));
        }
        if step.option.as_ref().is_some_and(|o| o.en.trim().is_empty()) {
            return Some(format!("remedy step {}: option.en is empty", n + 1));
        }
    }
    let choices: Vec<usize> = super::model::remedy_parts(remedy)
        .iter()
        .filter_map(|p| match p {
            super::model::Part::Choice(options) => Some(options.len()),
            super::model::Part::Step(_) => None,
        })
        .collect();
    if choices.len() > 1 {
        return Some(
            "a remedy has at most one choice: its options must be consecutive steps".to_string(),
        );
    }
    if choices.first().is_some_and(|&n| n < 2) {
        return Some("a choice needs at least two options: one option alone is a step".to_string());
    }
    None
}

/// Parse one catalogue file. Returns the entries that are sound and an error for each that
/// is not; an entry is never half-loaded.
pub fn parse_file(file: &str, text: &str) -> (Vec<Entry>, Vec<PatternError>) {
    match toml::from_str::<RawFile>(text) {
        Ok(raw) => convert_all(file, text, 0, raw),
        Err(_) => parse_by_entry(file, text),
    }
}

/// The whole file failed: parse each `[[entry]]` block on its own to save the good ones.
fn parse_by_entry(file: &str, text: &str) -> (Vec<Entry>, Vec<PatternError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let lines = LineIndex::new(text);
    for chunk in split_entries(text) {
        let chunk_text = &text[chunk.clone()];
        let line_offset = lines.line_of(chunk.start) - 1;
        match toml::from_str::<RawFile>(chunk_text) {
            Ok(raw) => {
                let (good, bad) = convert_all(file, chunk_text, line_offset, raw);
                entries.extend(good);
                errors.extend(bad);
            }
            Err(err) => {
                let at = err.span().map_or(0, |span| span.start);
                errors.push(PatternError {
                    file: file.to_string(),
                    line: line_offset + line_of(chunk_text, at),
                    entry: guess_id(chunk_text),
                    message: field_path_error(chunk_text)
                        .unwrap_or_else(|| first_line(err.message())),
                });
            }
        }
    }
    (entries, errors)
}

/// The error of an entry that does not deserialize, named by the field it is in:
/// `cause.en missing`, `remedy[2].run: invalid type: string "ls", expected a sequence`.
/// Positions count from 1, as a person counts remedy steps.
fn field_path_error(chunk: &str) -> Option<String> {
    let deserializer = toml::Deserializer::parse(chunk).ok()?;
    let err = serde_path_to_error::deserialize::<_, RawFile>(deserializer).err()?;
    let mut path = Vec::new();
    for segment in err.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => match path.last_mut() {
                // `entry[0]` is the entry itself, which the error already names.
                Some(last) if last != "entry" => *last = format!("{last}[{}]", index + 1),
                _ => {
                    path.pop();
                }
            },
            serde_path_to_error::Segment::Map { key }
            | serde_path_to_error::Segment::Enum { variant: key } => {
                // Spanned's own wrapping is no field of the file.
                if !key.starts_with("$__") {
                    path.push(key.clone());
                }
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    let message = first_line(err.inner().message());
    // An unknown field's path ends with the field, which the message names already.
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
    {
        if path.last().is_some_and(|last| last == unknown) {
            path.pop();
        }
    }
    let path = path.join(".");
    Some(
        match message
            .strip_prefix("missing field `")
            .and_then(|m| m.strip_suffix('`'))
        {
            Some(field) if path.is_empty() => format!("{field} missing"),
            Some(field) => format!("{path}.{field} missing"),
            None if path.is_empty() => message,
            None => format!("{path}: {message}"),
        },
    )
}

/// Byte ranges of the file's preamble and of each `[[entry]]` block.
fn split_entries(text: &str) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "[[entry]]" && offset > 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| w[0]..w[1])
        .filter(|r| !text[r.clone()].trim().is_empty())
        .collect()
}

fn guess_id(chunk: &str) -> Option<String> {
    chunk.lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix("id")?
            .trim_start()
            .strip_prefix('=')?;
        let id = rest.trim().trim_matches(|c| c == '"' || c == '\'');
        (!id.is_empty()).then(|| id.to_string())
    })
}

fn convert_all(
    file: &str,
    text: &str,
    line_offset: usize,
    raw: RawFile,
) -> (Vec<Entry>, Vec<PatternError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let lines = LineIndex::new(text);
    for spanned in raw.entry {
        let line = line_offset + lines.line_of(spanned.span().start);
        let raw = spanned.into_inner();
        let regex_lines = raw
            .regex
            .iter()
            .map(|r| line_offset + lines.line_of(r.span().start))
            .collect();
        let entry = Entry {
            id: raw.id,
            severity: raw.severity,
            sources: raw.sources,
            title: raw.title,
            cause: raw.cause,
            remedy: raw.remedy,
            postmortem: raw.postmortem,
            lesson: raw.lesson,
            leads_to: raw.leads_to,
            overlaps: raw.overlaps,
            regex: raw.regex.into_iter().map(Spanned::into_inner).collect(),
            examples: raw.examples,
            counter_examples: raw.counter_examples,
            symptoms: raw.symptoms,
            refs: raw.refs,
            origin: Origin {
                file: file.to_string(),
                line,
            },
            regex_lines,
        };
        match validate(&entry) {
            Ok(()) => entries.push(entry),
            Err(err) => errors.push(err),
        }
    }
    (entries, errors)
}

/// Checks that need only the entry itself. (Cross-entry checks live in `check`.)
fn validate(entry: &Entry) -> Result<(), PatternError> {
    let fail = |line: usize, message: String| PatternError {
        file: entry.origin.file.clone(),
        line,
        entry: Some(entry.id.clone()),
        message,
    };
    let valid_id = !entry.id.is_empty()
        && entry
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !valid_id {
        return Err(fail(
            entry.origin.line,
            "id must be kebab-case (a-z, 0-9, -)".to_string(),
        ));
    }
    if entry.regex.is_empty() && entry.symptoms.is_empty() {
        return Err(fail(
            entry.origin.line,
            "needs at least one `regex`, or `symptoms` for a symptom-only entry".to_string(),
        ));
    }
    for (n, step) in entry.remedy.iter().enumerate() {
        // A destructive step warns in every language the step is written in: English always,
        // Chinese when the step has Chinese (a user's entry may be English alone).
        let warning = step.warning.as_ref();
        let missing = if warning.is_none_or(|w| w.en.trim().is_empty()) {
            Some("en")
        } else if !step.zh.trim().is_empty() && warning.is_some_and(|w| w.zh.trim().is_empty()) {
            Some("zh")
        } else {
            None
        };
        if let (true, Some(lang)) = (step.destructive, missing) {
            return Err(fail(
                entry.origin.line,
                format!(
                    "remedy[{}].warning.{lang} missing: a destructive step says what it can destroy",
                    n + 1
                ),
            ));
        }
        if !step.destructive && step.warning.is_some() {
            return Err(fail(
                entry.origin.line,
                format!(
                    "remedy step {} has a warning but is not marked `destructive = true`",
                    n + 1
                ),
            ));
        }
        if step.destructive && step.run.is_empty() {
            return Err(fail(
                entry.origin.line,
                format!(
                    "remedy step {} is destructive but has no command to run",
                    n + 1
                ),
            ));
        }
    }
    if let Some(problem) = options_problem(&entry.remedy) {
        return Err(fail(entry.origin.line, problem));
    }
    // Parsing finds every syntax error in a fraction of the time compiling takes; the
    // matcher compiles each regex when it first needs it.
    for (pattern, &line) in entry.regex.iter().zip(&entry.regex_lines) {
        if let Err(err) = regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
        {
            return Err(fail(line, format!("invalid regex: {}", syntax_error(&err))));
        }
    }
    Ok(())
}

/// 1-based line number of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    LineIndex::new(text).line_of(at)
}

/// Where a text's lines start, to number the line of many offsets in it: counting from the
/// start for each one made a file of thousands of entries take seconds (quadratic).
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', text.as_bytes()).collect(),
            len: text.len(),
        }
    }

    /// The 1-based line of byte `at`.
    pub(crate) fn line_of(&self, at: usize) -> usize {
        let at = at.min(self.len);
        self.newlines.partition_point(|&newline| newline < at) + 1
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// Syntax errors draw the pattern over several lines; keep just what is wrong.
fn syntax_error(err: &regex_syntax::Error) -> String {
    match err {
        regex_syntax::Error::Parse(e) => e.kind().to_string(),
        regex_syntax::Error::Translate(e) => e.kind().to_string(),
        other => first_line(&other.to_string()),
    }
}

#[cfg(test)]
mod line_index_tests {
    use super::LineIndex;

    #[test]
    fn lines_are_numbered_from_one_at_every_offset() {
        let text = "a\nbc\n\nd";
        let index = LineIndex::new(text);
        let naive = |at: usize| {
            text.as_bytes()[..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        };
        for at in 0..=text.len() + 2 {
            assert_eq!(index.line_of(at), naive(at.min(text.len())), "at {at}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_with_step(step: &str) -> String {
        format!(
            r#"
[[entry]]
id = "x"
severity = "error"
title.en = "t"
title.zh = "t"
cause.en = "c"
cause.zh = "c"
regex = ['boom']
examples = ["boom"]

[[entry.remedy]]
{step}
"#
        )
    }

    #[test]
    fn a_destructive_step_loads_with_its_warning_in_both_languages() {
        let text = entry_with_step(
            "en = \"Remove it.\"\nzh = \"删除。\"\nrun = [\"rm x\"]\ndestructive = true\nwarning.en = \"Deletes x.\"\nwarning.zh = \"会删除 x。\"",
        );
        let (entries, errors) = parse_file("t.toml", &text);
        assert!(errors.is_empty(), "{errors:?}");
        let step = &entries[0].remedy[0];
        assert!(step.destructive);
        assert_eq!(step.warning(crate::catalogue::Lang::Zh), Some("会删除 x。"));
    }

    #[test]
    fn alternatives_are_options_of_one_choice() {
        let step = |en: &str, option: Option<&str>| {
            let option = option
                .map(|o| format!("option.en = \"{o}\"\n"))
                .unwrap_or_default();
            format!("[[entry.remedy]]\nen = \"{en}\"\n{option}run = [\"ls\"]\n")
        };
        let load = |steps: &[String]| {
            let text = entry_with_step("en = \"Look.\"\nrun = [\"ls\"]") + &steps.concat();
            parse_file("t.toml", &text)
        };
        // Two options between ordinary steps: one choice; `Y`'s script takes one of them.
        let (entries, errors) = load(&[
            step("Open it in the security group.", Some("AWS")),
            step("Allow it in ufw.", Some("ufw")),
            step("Then test.", None),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let remedy = &entries[0].remedy;
        assert_eq!(crate::catalogue::option_count(remedy), 2);
        let script: Vec<&str> = crate::catalogue::steps_with_option(remedy, 1)
            .iter()
            .map(|s| s.en.as_str())
            .collect();
        assert_eq!(script, ["Look.", "Allow it in ufw.", "Then test."]);
        assert_eq!(
            crate::catalogue::chosen_option(remedy, 2).map(|s| s.en.as_str()),
            Some("Open it in the security group.")
        );
        // A step that reads as an alternative must be an option.
        let errors = load(&[
            step("Alternative (AWS): open it.", None),
            step("Alternative (ufw): allow it.", None),
        ])
        .1;
        assert!(
            errors[0].message.contains("reads as an alternative"),
            "{errors:?}"
        );
        let text = entry_with_step("en = \"Look.\"\nrun = [\"ls\"]")
            + "[[entry.remedy]]\nen = \"Open it.\"\nzh = \"备选（AWS）：开放。\"\n";
        assert!(
            parse_file("t.toml", &text).1[0]
                .message
                .contains("reads as an alternative")
        );
        // One option alone is no choice; two choices in one remedy are one too many.
        let errors = load(&[step("Open it.", Some("AWS"))]).1;
        assert!(
            errors[0].message.contains("at least two options"),
            "{errors:?}"
        );
        let errors = load(&[
            step("a", Some("A")),
            step("b", Some("B")),
            step("between", None),
            step("c", Some("C")),
            step("d", Some("D")),
        ])
        .1;
        assert!(
            errors[0].message.contains("at most one choice"),
            "{errors:?}"
        );
        // The built-in catalogue holds to it: no step reads as an alternative unmarked.
        let (catalogue, errors) = crate::catalogue::Catalogue::builtin();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            catalogue
                .entries()
                .iter()
                .flat_map(|e| &e.remedy)
                .all(|s| s.option.is_some() || !crate::catalogue::reads_as_alternative(s))
        );
    }

    #[test]
    fn a_destructive_step_without_a_warning_is_rejected() {
        let text = entry_with_step(
            "en = \"Remove it.\"\nzh = \"删除。\"\nrun = [\"rm x\"]\ndestructive = true",
        );
        let (entries, errors) = parse_file("t.toml", &text);
        assert!(entries.is_empty());
        assert!(
            errors[0]
                .message
                .starts_with("remedy[1].warning.en missing"),
            "{errors:?}"
        );
        // Half a warning is no warning: the Chinese reader must be told too.
        let text = entry_with_step(
            "en = \"Remove it.\"\nzh = \"删除。\"\nrun = [\"rm x\"]\ndestructive = true\nwarning.en = \"Deletes x.\"\nwarning.zh = \"\"",
        );
        let errors = parse_file("t.toml", &text).1;
        assert!(
            errors[0]
                .message
                .starts_with("remedy[1].warning.zh missing"),
            "{errors:?}"
        );
        // A step in English alone warns in English alone.
        let text = entry_with_step(
            "en = \"Remove it.\"\nrun = [\"rm x\"]\ndestructive = true\nwarning.en = \"Deletes x.\"",
        );
        assert!(parse_file("t.toml", &text).1.is_empty());
    }

    #[test]
    fn errors_name_the_field_path_and_english_alone_loads() {
        let base = "[[entry]]\nid = \"x\"\nseverity = \"error\"\ntitle.en = \"t\"\nregex = ['''abcd''']\nexamples = [\"abcd\"]\n";
        // English alone is a whole entry.
        let text =
            format!("{base}cause.en = \"c\"\n[[entry.remedy]]\nen = \"Look.\"\nrun = [\"ls\"]\n");
        let (entries, errors) = parse_file("t.toml", &text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries[0].cause.get(crate::catalogue::Lang::Zh), "c");
        assert_eq!(
            entries[0].remedy[0].text(crate::catalogue::Lang::Zh),
            "Look."
        );
        // Chinese alone is not.
        let text = format!("{base}cause.zh = \"c\"\n[[entry.remedy]]\nen = \"Look.\"\n");
        let errors = parse_file("t.toml", &text).1;
        assert_eq!(errors[0].message, "cause.en missing");
        assert_eq!(
            errors[0].to_string(),
            "t.toml:7: entry `x`: cause.en missing"
        );
        let text = format!(
            "{base}cause.en = \"c\"\n[[entry.remedy]]\nen = \"Look.\"\n[[entry.remedy]]\nzh = \"看\"\n"
        );
        assert_eq!(
            parse_file("t.toml", &text).1[0].message,
            "remedy[2].en missing"
        );
    }

    #[test]
    fn a_warning_on_a_step_not_marked_destructive_is_rejected() {
        let text = entry_with_step(
            "en = \"Look.\"\nzh = \"看。\"\nrun = [\"ls\"]\nwarning.en = \"w\"\nwarning.zh = \"w\"",
        );
        let (entries, errors) = parse_file("t.toml", &text);
        assert!(entries.is_empty());
        assert!(errors[0].message.contains("not marked"), "{errors:?}");
    }
}
