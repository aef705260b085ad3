//! The layering rule, checked on the source itself: sources, parsers, the matcher, the
//! loader, scanning, the store, incidents, reports and the catalogue never import the view
//! model (`app`), drawing (`ui`), or what wires them together (`tui`, `cli`, `plan`, `run`).
//! Data flows one way; only the runtime and the command line know every layer.

use std::path::{Path, PathBuf};

/// Modules (a file `src/NAME.rs` and everything under `src/NAME/`) below the view.
const LOWER: &[&str] = &[
    "source",
    "parse",
    "matcher",
    "loader",
    "scan",
    "ingest",
    "model",
    "input",
    "store",
    "level",
    "templates",
    "incident",
    "postmortem",
    "report",
    "catalogue",
    "explain",
    "mine",
    "walk",
    "sanitize",
    "parallel",
];

/// What they must not name.
const UPPER: &[&str] = &["app", "ui", "tui", "cli", "plan", "run"];

/// The files of module `name`.
fn files_of(src: &Path, name: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src.join(format!("{name}.rs"));
    if file.is_file() {
        files.push(file);
    }
    let dir = src.join(name);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.expect("readable source tree");
            if entry.path().extension().is_some_and(|e| e == "rs") {
                files.push(entry.into_path());
            }
        }
    }
    files
}

/// The upper modules `text` (Rust source) refers to, as written: `crate::app…`,
/// `super::…::ui…`, or an item of a `use crate::{…}` group.
fn upper_references(text: &str) -> Vec<String> {
    // Comments say what they like.
    let code: String = text
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let upper = UPPER.join("|");
    let path = regex::Regex::new(&format!(r"\b(?:crate|(?:super::)+super)::({upper})\b"))
        .expect("valid regex");
    let mut found: Vec<String> = path
        .captures_iter(&code)
        .map(|c| c[0].to_string())
        .collect();
    // `use crate::{a, app::X, b::{c}}`: the group's top-level items.
    let group = regex::Regex::new(r"\b(?:crate|super)::\{").expect("valid regex");
    for start in group.find_iter(&code) {
        let mut depth = 1;
        let mut item = String::new();
        let mut items = Vec::new();
        for c in code[start.end()..].chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 1 => items.push(std::mem::take(&mut item)),
                _ => {}
            }
            if depth == 0 {
                items.push(std::mem::take(&mut item));
                break;
            }
            if depth == 1 && c != ',' {
                item.push(c);
            }
        }
        for item in items {
            let head = item
                .trim()
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            if UPPER.contains(&head) {
                found.push(format!("{}{}", start.as_str(), item.trim()));
            }
        }
    }
    found
}

#[test]
fn lower_modules_do_not_import_the_view_or_the_wiring() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    let mut checked = 0;
    for name in LOWER {
        let files = files_of(&src, name);
        assert!(
            !files.is_empty(),
            "module {name} has no files: the list is stale"
        );
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable source file");
            checked += 1;
            for reference in upper_references(&text) {
                offences.push(format!("{}: {reference}", file.display()));
            }
        }
    }
    assert!(checked > LOWER.len(), "only {checked} files read");
    assert!(
        offences.is_empty(),
        "lower layers name the view or the wiring:\n{}",
        offences.join("\n")
    );
}

#[test]
fn every_way_of_naming_an_upper_module_is_caught() {
    let caught = |text: &str| upper_references(text);
    assert_eq!(caught("use crate::app::PaneId;").len(), 1);
    assert_eq!(caught("let x = crate::ui::draw(f);").len(), 1);
    assert_eq!(caught("use super::super::app::Event;").len(), 1);
    assert_eq!(
        caught("use crate::{\n    model::Block,\n    app::{self, PaneId},\n    ui,\n};").len(),
        2
    );
    assert_eq!(caught("use crate::{a::{b, c}, cli::Cli};").len(), 1);
    // Not references: comments, other names that start the same, nested items.
    assert!(caught("// crate::app is the view model").is_empty());
    assert!(caught("use crate::apple::Tree;").is_empty());
    assert!(caught("use crate::{model::{app, ui}, uix};").is_empty());
    assert!(caught("use super::{Sink, Tally};").is_empty());
}
