//! `triage explain`: the entries a query names or matches, as cards.

use std::{
    io::{self, Write},
    process::ExitCode,
};

use anyhow::Result;

use crate::{catalogue::Lang, explain, matcher::Matcher, plan::ExplainPlan};

pub(super) fn run(plan: ExplainPlan) -> Result<ExitCode> {
    let (catalogue, _) = super::catalogue(&plan.common.catalogue);
    let (catalogue, args, lang) = (&catalogue, &plan.args, plan.common.lang);
    let matcher = Matcher::new(catalogue);
    let query = args.query.join(" ");
    let found = explain::explain(catalogue, &matcher, &query, args.limit.max(1));
    let stdout = io::stdout();
    let color = args.color.enabled(&stdout);
    let mut out = stdout.lock();
    if found.is_empty() {
        let line = explain::looks_like_a_log_line(&query);
        writeln!(
            out,
            "{}",
            match (lang, line) {
                (Lang::En, true) =>
                    "No catalogue entry matches this line. To add one: see patterns/README.md.",
                (Lang::Zh, true) =>
                    "目录中没有条目匹配这一行。如需添加条目，请参阅 patterns/README.md。",
                (Lang::En, false) =>
                    "Nothing in the catalogue matches that. Try fewer words, or `triage patterns list`.",
                (Lang::Zh, false) =>
                    "目录中没有匹配的条目。请尝试更少的关键词，或运行 `triage patterns list`。",
            }
        )?;
        return Ok(ExitCode::from(1));
    }
    // A compose file in the current directory names the user's project and services.
    let files =
        crate::fill_context::FillContext::from_files(std::env::current_dir().ok().as_deref(), &[]);
    for (n, f) in found.iter().enumerate() {
        if n > 0 {
            writeln!(out, "\n{}\n", "─".repeat(60))?;
        }
        let entry = &catalogue.entries()[f.entry];
        let card = explain::render_card(catalogue, entry, lang, files.values());
        if color {
            write!(out, "{}", crate::report::paint_card(&card, entry.severity))?;
        } else {
            write!(out, "{card}")?;
        }
        // How well it matched, so a weak answer is read as one.
        let how = match (f.reason, lang) {
            (explain::Reason::Id, Lang::En) => "its id".to_string(),
            (explain::Reason::Id, Lang::Zh) => "条目 id".to_string(),
            (explain::Reason::LineMatches, Lang::En) => "the line matches its regex".to_string(),
            (explain::Reason::LineMatches, Lang::Zh) => "该行匹配其正则表达式".to_string(),
            (explain::Reason::Fuzzy, Lang::En) => format!(
                "close to its title, symptoms or examples (fuzzy score {} for {} characters)",
                f.score,
                query.chars().count()
            ),
            (explain::Reason::Fuzzy, Lang::Zh) => format!(
                "与其标题、症状或示例相近（模糊匹配得分 {}，查询 {} 个字符）",
                f.score,
                query.chars().count()
            ),
            (explain::Reason::Words, Lang::En) => {
                "shares words with its examples (a weak match)".to_string()
            }
            (explain::Reason::Words, Lang::Zh) => "与其示例有共同的词（弱匹配）".to_string(),
        };
        let label = match lang {
            Lang::En => "Matched by",
            Lang::Zh => "匹配方式",
        };
        writeln!(out, "\n{label}: {how}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
