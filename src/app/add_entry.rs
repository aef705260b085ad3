//! `a`: a catalogue entry drafted from the line under the cursor, proven and saved in the
//! user's patterns directory by the code of `triage patterns new`, and then matched: the
//! line (and every line like it) gets its hit.

use std::sync::Arc;

use super::{App, PaneHit, PaneId, pane};
use crate::{
    catalogue::{self, Catalogue, Lang},
    ingest,
    matcher::{Matcher, Searcher},
    sanitize,
};

impl App {
    pub(super) fn add_entry(&mut self) {
        // Only ever the user's own patterns directory: the catalogue's other layers are the
        // program's, or directories named on the command line for reading.
        let Some(dir) = catalogue::user_config_dir() else {
            self.message = Some(self.text(
                "Not added: no patterns directory (set XDG_CONFIG_HOME or HOME).",
                "未添加：没有条目目录（请设置 XDG_CONFIG_HOME 或 HOME）。",
            ));
            return;
        };
        let pane = self.pane(self.focus);
        let text = pane
            .store
            .line(pane.cursor)
            .map(|(text, _)| String::from_utf8_lossy(text).into_owned())
            .unwrap_or_default();
        if text.trim().is_empty() {
            self.message = Some(self.text("Not added: the line is empty.", "未添加：该行为空。"));
            return;
        }
        let saved = catalogue::new::prove(&text, None, &self.catalogue, &dir)
            .and_then(|proven| catalogue::new::save(&proven).map(|()| proven));
        let proven = match saved {
            Ok(proven) => proven,
            Err(err) => {
                // The check's report has a line per problem: the first says why.
                let why = err.to_string();
                let why: Vec<&str> = why.lines().take(2).collect();
                let why = sanitize::visible(why.join(" ").as_bytes());
                self.message = Some(match self.lang {
                    Lang::En => format!("Not added: {why}"),
                    Lang::Zh => format!("未添加：{why}"),
                });
                return;
            }
        };
        let Some(index) = proven.joined.index_of(&proven.draft.id) else {
            return;
        };
        let path = sanitize::path_name(&proven.path);
        let check = sanitize::visible(proven.check.lines().last().unwrap_or("").as_bytes());
        self.catalogue = Arc::new(proven.joined);
        let lines = self.match_new_entry(index);
        self.message = Some(match self.lang {
            Lang::En => format!(
                "Added {path} (check: {check}); {lines} line(s) match it. Write its cause and remedy there."
            ),
            Lang::Zh => format!(
                "已添加 {path}（检查：{check}）；{lines} 行匹配。请在其中写下原因和解决方法。"
            ),
        });
    }

    /// Give the lines of both panes the hits of the catalogue's entry `index` (just added):
    /// matched by [`ingest::match_block`] as every hit is. Returns the lines it matched.
    fn match_new_entry(&mut self, index: usize) -> usize {
        let Some(entry) = self.catalogue.entries().get(index).cloned() else {
            return 0;
        };
        let mut alone = Catalogue::default();
        alone.insert_entry(entry);
        let matcher = Matcher::new(&alone);
        let searcher = Searcher::new(&matcher);
        let mut matched = 0;
        for pane_id in PaneId::BOTH {
            let mut new: Vec<PaneHit> = Vec::new();
            for (first, block) in self.pane(pane_id).store.snapshot() {
                // A block of a big file whose bytes were dropped is read again for this, one at
                // a time; its hits keep their lines' text, as when they were first stored.
                let keep = block.origin().is_some();
                let _ = block.with_loaded(|block| {
                    for hit in ingest::match_block(block, &searcher) {
                        let kept_text = keep.then(|| {
                            let line = block.line(hit.index);
                            Arc::from(&line[..line.len().min(pane::HIT_TEXT_KEPT)])
                        });
                        new.push(PaneHit {
                            line: first + hit.index as u64,
                            entry: index,
                            severity: hit.severity,
                            spans: hit.spans,
                            captures: hit.captures,
                            ts: hit.ts,
                            kept_text,
                        });
                    }
                });
            }
            if new.is_empty() {
                continue;
            }
            for hit in &new {
                self.unknown.recognise(pane_id, hit.line);
            }
            matched += new.len();
            let pane = self.pane_mut(pane_id);
            pane.hits.extend(new);
            // Stable: a line's older hits stay before the new one.
            pane.hits.sort_by_key(|h| h.line);
        }
        // Positions in the hit lists moved: order them anew, and explain the cursor's hit.
        self.rebuild_hit_order();
        if self.severity_filter.is_some() {
            self.apply_severity_filter();
        }
        self.selected = None;
        self.select_hit_at_cursor();
        matched
    }
}
