//! The catalogue's data: entries as the rest of the program sees them, validated.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a hit is. Ordered: `Info < Warning < Error < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::Error,
        Severity::Warning,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Critical => "critical",
        }
    }

    /// Its name in `lang`, as cards, `scan` and the viewer show it.
    pub fn word(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, severity) => severity.as_str(),
            (Lang::Zh, Severity::Critical) => "严重",
            (Lang::Zh, Severity::Error) => "错误",
            (Lang::Zh, Severity::Warning) => "警告",
            (Lang::Zh, Severity::Info) => "信息",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Where an error is expected to show up. Informational: matching never depends on it,
/// because a pasted support bundle loses where each line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Docker,
    Journal,
    Kernel,
    Nginx,
    Apt,
    Browser,
    Any,
}

/// The language texts are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language a user's locale asks for: Chinese when `LC_ALL`, `LC_MESSAGES` or `LANG`
    /// (the first one set, as the C library reads them) starts with `zh`.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|value| !value.is_empty())
            .map_or(Lang::En, |value| {
                if value.starts_with("zh") {
                    Lang::Zh
                } else {
                    Lang::En
                }
            })
    }
}

/// A text in the languages the catalogue is written in. English is required; Chinese is
/// optional in a user's entry (the built-in catalogue has both, which its tests hold it to)
/// and shown in English where missing.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        in_lang(&self.en, &self.zh, lang)
    }
}

/// `zh` in Chinese when there is one, else English.
fn in_lang<'a>(en: &'a str, zh: &'a str, lang: Lang) -> &'a str {
    match lang {
        Lang::Zh if !zh.is_empty() => zh,
        _ => en,
    }
}

/// One step of a remedy: what to do, and the exact commands to run (each one copyable).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RemedyStep {
    pub en: String,
    /// Optional, as in [`Text`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub zh: String,
    #[serde(default)]
    pub run: Vec<String>,
    /// The step deletes, overwrites, kills or opens something to the world: pasted at 2 a.m.
    /// without reading, it can lose data or lock the user out. Such a step carries a `warning`,
    /// is drawn apart, and the viewer asks once more before copying it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub destructive: bool,
    /// What the step can destroy, and what to check first. Required when `destructive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<Text>,
    /// The step is one option of a choice (`option.en = "AWS"`): consecutive steps with an
    /// option exclude each other, and the user takes one of them (a cloud's firewall, nginx
    /// in a container or on the host). A remedy has at most one choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<Text>,
}

impl RemedyStep {
    pub fn text(&self, lang: Lang) -> &str {
        in_lang(&self.en, &self.zh, lang)
    }

    /// The warning of a destructive step, in `lang`.
    pub fn warning(&self, lang: Lang) -> Option<&str> {
        self.warning.as_ref().map(|w| w.get(lang))
    }

    /// The option's label (`AWS`), when the step is one option of a choice.
    pub fn option(&self, lang: Lang) -> Option<&str> {
        self.option.as_ref().map(|o| o.get(lang))
    }
}

/// A remedy as it is done: steps in sequence, and at most one choice among options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    /// A step done in its turn.
    Step(&'a RemedyStep),
    /// Steps of which the user does one.
    Choice(&'a [RemedyStep]),
}

/// `remedy` as parts: each run of consecutive option steps is one choice.
pub fn remedy_parts(remedy: &[RemedyStep]) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut at = 0;
    while at < remedy.len() {
        if remedy[at].option.is_some() {
            let end = remedy[at..]
                .iter()
                .position(|s| s.option.is_none())
                .map_or(remedy.len(), |n| at + n);
            parts.push(Part::Choice(&remedy[at..end]));
            at = end;
        } else {
            parts.push(Part::Step(&remedy[at]));
            at += 1;
        }
    }
    parts
}

/// How many options the remedy's choice has (0: none).
pub fn option_count(remedy: &[RemedyStep]) -> usize {
    remedy_parts(remedy)
        .iter()
        .find_map(|p| match p {
            Part::Choice(options) => Some(options.len()),
            Part::Step(_) => None,
        })
        .unwrap_or(0)
}

/// The steps run in sequence when option `chosen` (counted from 0, wrapping) is taken: every
/// step outside the choice, and the one chosen option in its place. Never two options.
pub fn steps_with_option(remedy: &[RemedyStep], chosen: usize) -> Vec<&RemedyStep> {
    remedy_parts(remedy)
        .into_iter()
        .map(|part| match part {
            Part::Step(step) => step,
            Part::Choice(options) => &options[chosen % options.len()],
        })
        .collect()
}

/// The chosen option's step, when the remedy has a choice.
pub fn chosen_option(remedy: &[RemedyStep], chosen: usize) -> Option<&RemedyStep> {
    remedy_parts(remedy)
        .into_iter()
        .find_map(|part| match part {
            Part::Choice(options) => Some(&options[chosen % options.len()]),
            Part::Step(_) => None,
        })
}

/// Whether the step's text reads as one alternative among others (`Alternative (AWS): …`,
/// `备选：…`): such a step must be an option, or `Y` would copy it with its siblings as one
/// script.
pub fn reads_as_alternative(step: &RemedyStep) -> bool {
    let en = step.en.trim_start();
    let zh = step.zh.trim_start();
    en.starts_with("Alternative")
        || ["备选", "另一种", "方案一", "方案二", "或者："]
            .iter()
            .any(|w| zh.starts_with(w))
}

/// Where an entry was defined: shown in errors and by `triage patterns list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One known error: how to recognise it and what to do about it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub severity: Severity,
    pub sources: Vec<SourceKind>,
    pub title: Text,
    pub cause: Text,
    pub remedy: Vec<RemedyStep>,
    /// Section of the Athena Eye postmortem this entry comes from, e.g. `2.3`.
    pub postmortem: Option<String>,
    /// The postmortem's lesson number.
    pub lesson: Option<u32>,
    pub leads_to: Vec<String>,
    pub overlaps: Vec<String>,
    /// Regexes in Rust `regex` syntax, matched unanchored against one raw line.
    pub regex: Vec<String>,
    pub examples: Vec<String>,
    pub counter_examples: Vec<String>,
    /// What a person would type or paste for `triage explain`.
    pub symptoms: Vec<String>,
    pub refs: Vec<String>,
    pub origin: Origin,
    /// Line of each regex in its file, for error messages.
    pub regex_lines: Vec<usize>,
}

impl Entry {
    /// A symptom-only entry describes something no server log shows (a browser error).
    pub fn is_symptom_only(&self) -> bool {
        self.regex.is_empty()
    }

    /// Both entries say the same line may legitimately be claimed by the two of them.
    pub fn declares_overlap_with(&self, other: &Entry) -> bool {
        self.overlaps.contains(&other.id) || other.overlaps.contains(&self.id)
    }
}
