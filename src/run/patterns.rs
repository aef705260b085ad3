//! `triage patterns`: check, draft, list the catalogue; its regexes and their literals.

use std::{
    io::{self, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::{Context, Result, bail};

use crate::{
    catalogue::{self, Catalogue, CatalogueSources},
    cli::PatternsCommand,
    matcher::Matcher,
    plan::{Common, PatternsPlan},
    sanitize,
};

/// A regex with its named groups made plain groups: `rg -f` and `grep -f` join all patterns
/// into one, where two groups of the same name would be an error. Matching is unchanged.
fn unname_groups(regex: &str) -> String {
    let mut out = String::with_capacity(regex.len());
    let mut chars = regex.char_indices().peekable();
    let mut in_class = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            '(' if !in_class
                && (regex[at..].starts_with("(?P<") || regex[at..].starts_with("(?<")) =>
            {
                out.push('(');
                for (_, skipped) in chars.by_ref() {
                    if skipped == '>' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Occurrences of each guard literal in `data`, keyed by (rule, literal index).
fn literal_counts(
    matcher: &Matcher,
    data: &[u8],
) -> std::collections::HashMap<(usize, usize), u64> {
    let mut counts = std::collections::HashMap::new();
    for (rule, (_, _, literals)) in matcher.guards().enumerate() {
        for (n, lit) in literals.unwrap_or(&[]).iter().enumerate() {
            let finder = memchr::memmem::Finder::new(lit);
            counts.insert((rule, n), finder.find_iter(data).count() as u64);
        }
    }
    counts
}

fn patterns_check(dir: Option<PathBuf>, sources: &CatalogueSources) -> Result<ExitCode> {
    let (catalogue, errors, layer) = match &dir {
        Some(dir) => {
            if !dir.is_dir() {
                bail!("{}: not a directory", dir.display());
            }
            // DIR over the built-ins, as it will be used: its entries may name built-in ids
            // (leads_to, overlaps) and must not claim built-in examples unannounced. Only
            // DIR's entries are checked and counted.
            let (catalogue, errors) = Catalogue::load(&CatalogueSources {
                builtin: sources.builtin,
                dirs: vec![dir.clone()],
                ..CatalogueSources::default()
            });
            let prefix = dir.display().to_string();
            let layer: std::collections::HashSet<String> = catalogue
                .entries()
                .iter()
                .filter(|e| e.origin.file.starts_with(&prefix))
                .map(|e| e.id.clone())
                .collect();
            (catalogue, errors, Some(layer))
        }
        None => {
            let (catalogue, errors) = super::load_catalogue(sources);
            (catalogue, errors, None)
        }
    };
    let mut report = match &layer {
        Some(ids) => catalogue::check_only(&catalogue, &|e| ids.contains(&e.id)),
        None => catalogue::check(&catalogue),
    };
    let mut problems = errors;
    problems.append(&mut report.problems);
    report.problems = problems;
    // File names and entry ids in the report come from the user's files.
    for line in report.to_string().lines() {
        println!("{}", sanitize::visible(line.as_bytes()));
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `triage patterns new`: draft an entry from a line, prove it with the checks of
/// `patterns check` over the catalogue it joins, and save it (or print it).
fn patterns_new(
    line: Option<String>,
    id: Option<String>,
    print: bool,
    sources: &CatalogueSources,
) -> Result<ExitCode> {
    let line = match line {
        Some(line) => line,
        None => {
            let mut text = String::new();
            io::stdin()
                .read_line(&mut text)
                .context("reading the line from stdin")?;
            text
        }
    };
    if line.trim().is_empty() {
        bail!("no line: give a log line as an argument or on stdin");
    }
    let (catalogue, _) = super::load_catalogue(sources);
    let dir = sources
        .dirs
        .first()
        .cloned()
        .or_else(catalogue::user_config_dir)
        .context("no patterns directory: give --patterns DIR (or set HOME)")?;
    let proven = match catalogue::new::prove(&line, id.as_deref(), &catalogue, &dir) {
        Ok(proven) => proven,
        Err(err) => {
            let draft = catalogue::new::draft(&line, id.as_deref(), &catalogue);
            bail!("{err}\n{}", sanitize::visible(draft.toml.as_bytes()))
        }
    };
    let draft = &proven.draft;
    let name = proven.path.display().to_string();
    if print {
        print!("{}", draft.toml);
        return Ok(ExitCode::SUCCESS);
    }
    catalogue::new::save(&proven)?;
    println!(
        "{}: entry `{}` ({}), regex {}",
        sanitize::visible(name.as_bytes()),
        draft.id,
        draft.severity,
        sanitize::visible(draft.regex.as_bytes())
    );
    println!(
        "Write its cause and remedy there, then: triage patterns check {}",
        sanitize::visible(dir.display().to_string().as_bytes())
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn run(plan: PatternsPlan) -> Result<ExitCode> {
    let PatternsPlan {
        common: Common {
            catalogue: sources,
            lang,
        },
        command,
    } = plan;
    let sources = &sources;
    if let PatternsCommand::Check { dir } = command {
        return patterns_check(dir, sources);
    }
    if let PatternsCommand::New { line, id, print } = command {
        return patterns_new(line, id, print, sources);
    }
    let (catalogue, _) = super::catalogue(sources);
    let catalogue = &catalogue;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match command {
        PatternsCommand::List => {
            for entry in catalogue.entries() {
                writeln!(
                    out,
                    "{}  {:<30} {}",
                    crate::report::severity_cell(entry.severity, lang),
                    entry.id,
                    entry.title.get(lang)
                )?;
            }
        }
        PatternsCommand::Regexes => {
            for entry in catalogue.entries() {
                for regex in &entry.regex {
                    writeln!(out, "{}", unname_groups(regex))?;
                }
            }
        }
        PatternsCommand::Literals { corpus } => {
            let matcher = Matcher::new(catalogue);
            let counts = match corpus {
                Some(path) => {
                    let data =
                        std::fs::read(&path).with_context(|| format!("{}", path.display()))?;
                    Some(literal_counts(&matcher, &data))
                }
                None => None,
            };
            let mut rows: Vec<(u64, &str, String, &str)> = Vec::new();
            for (rule, (entry, regex, literals)) in matcher.guards().enumerate() {
                let id = catalogue.entries()[entry].id.as_str();
                match literals {
                    Some(lits) => {
                        for (n, lit) in lits.iter().enumerate() {
                            let count = counts.as_ref().map_or(0, |c| c[&(rule, n)]);
                            rows.push((
                                count,
                                id,
                                format!("{:?}", String::from_utf8_lossy(lit)),
                                regex,
                            ));
                        }
                    }
                    None => rows.push((u64::MAX, id, "(none: runs on every line)".into(), regex)),
                }
            }
            if counts.is_some() {
                rows.sort_by_key(|r| std::cmp::Reverse(r.0));
            }
            for (count, id, literal, regex) in rows {
                match counts {
                    Some(_) => writeln!(out, "{count:>9}  {id:<32} {literal}")?,
                    None => writeln!(out, "{id:<32} {literal}\n{:<32} {regex}", "")?,
                }
            }
        }
        PatternsCommand::Check { .. } | PatternsCommand::New { .. } => {}
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::unname_groups;

    #[test]
    fn named_groups_become_plain_groups() {
        assert_eq!(
            unname_groups(r"a (?P<pid>[0-9]+) (?<x>y)"),
            r"a ([0-9]+) (y)"
        );
        assert_eq!(unname_groups(r"\(?P<not>) [(?P<]"), r"\(?P<not>) [(?P<]");
    }
}
