//! `triage templates FILE…`: what kinds of lines a log holds. Every line's header is found
//! by triage's own parsers (the format's time, host and writer, then
//! [`templates::message_body`] for a header inside the message: time, pid, level,
//! component), and the message is mined into templates ([`templates::TemplateMiner`]).

use std::{
    collections::HashMap,
    io::{self, BufRead, Write},
};

use jiff::Timestamp;
use serde::Serialize;

use crate::{
    input::LogInput,
    parse::{self, LogFormat, journal},
    report::write_json,
    sanitize,
    templates::{MinerOptions, Template, TemplateMiner},
};

/// What `triage templates` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatesLayout {
    /// Templates with their counts, one a line.
    Text,
    /// One JSON object per input line: `{"line": N, "template": "…"}`.
    PerLine,
    /// One JSON object per template: count, first and last time, an example.
    Summary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplatesOptions {
    pub layout: TemplatesLayout,
    /// Rarest first (else most frequent first).
    pub rare: bool,
    /// Force a log format instead of detecting it.
    pub format: Option<LogFormat>,
}

/// Why mining stopped.
#[derive(Debug, thiserror::Error)]
pub enum MineError {
    #[error("{name}: read error after line {line}: {source}")]
    Read {
        name: String,
        line: u64,
        source: io::Error,
    },
    #[error("writing output: {0}")]
    Output(io::Error),
}

/// Where each input line went (for the per-line output, written once templates are final).
struct Placed {
    file: u32,
    line: u64,
    template: u64,
}

/// The miner over every line of `inputs`, printed to `out` as `options` says. Inputs that
/// cannot be read are reported to `failed` and skipped; returns how many lines were mined.
pub fn run(
    inputs: Vec<LogInput>,
    options: TemplatesOptions,
    out: &mut dyn Write,
) -> Result<u64, MineError> {
    let per_line = options.layout == TemplatesLayout::PerLine;
    let mut miner = TemplateMiner::new(MinerOptions {
        keep_evicted: per_line,
        ..MinerOptions::default()
    });
    let mut placed: Vec<Placed> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    // Templates evicted while mining, kept for the per-line output only.
    let mut retired: HashMap<u64, String> = HashMap::new();
    let mut total = 0u64;
    for (file, input) in inputs.into_iter().enumerate() {
        names.push(input.name.clone());
        let mut add = |line: u64, message: &[u8], ts: Option<Timestamp>| {
            let body = &message[crate::templates::message_body(message)..];
            let body = if body.is_empty() { message } else { body };
            let template = miner.add(body, ts);
            if per_line {
                placed.push(Placed {
                    file: file as u32,
                    line,
                    template,
                });
                for gone in miner.take_evicted() {
                    retired.insert(gone.id, gone.text());
                }
            }
        };
        total += for_each_message(input, options.format, &mut add)?;
    }
    let mut templates: Vec<&Template> = miner.templates().collect();
    // Most frequent first (ties: first made first); --rare turns it round.
    templates.sort_by_key(|t| (std::cmp::Reverse(t.count), t.id));
    if options.rare {
        templates.sort_by_key(|t| (t.count, t.id));
    }
    let write = |out: &mut dyn Write, text: &str| out.write_all(text.as_bytes());
    match options.layout {
        TemplatesLayout::Text => {
            for t in &templates {
                let line = format!(
                    "{:>8}  {}\n",
                    t.count,
                    sanitize::visible(t.text().as_bytes())
                );
                write(out, &line).map_err(MineError::Output)?;
            }
        }
        TemplatesLayout::Summary => {
            #[derive(Serialize)]
            struct Record<'a> {
                template: String,
                count: u64,
                first: Option<String>,
                last: Option<String>,
                example: &'a str,
            }
            for t in &templates {
                let record = Record {
                    template: t.text(),
                    count: t.count,
                    first: t.first_seen.map(|ts| ts.to_string()),
                    last: t.last_seen.map(|ts| ts.to_string()),
                    example: &t.example,
                };
                write_json(out, &record).map_err(MineError::Output)?;
            }
        }
        TemplatesLayout::PerLine => {
            let texts: HashMap<u64, String> = templates.iter().map(|t| (t.id, t.text())).collect();
            #[derive(Serialize)]
            struct Record<'a> {
                #[serde(skip_serializing_if = "Option::is_none")]
                file: Option<&'a str>,
                line: u64,
                template: &'a str,
                id: u64,
            }
            let many = names.len() > 1;
            for p in &placed {
                let template = texts
                    .get(&p.template)
                    .or_else(|| retired.get(&p.template))
                    .map_or("", String::as_str);
                let record = Record {
                    file: many.then(|| names[p.file as usize].as_str()),
                    line: p.line,
                    template,
                    id: p.template,
                };
                write_json(out, &record).map_err(MineError::Output)?;
            }
        }
    }
    out.flush().map_err(MineError::Output)?;
    Ok(total)
}

/// What [`for_each_message`] hands each line to: its number, message and time.
pub type MessageSink<'a> = dyn FnMut(u64, &[u8], Option<Timestamp>) + 'a;

/// Hand every line's message of `input` to `add(line number, message, time)`; returns the
/// number of lines read.
pub fn for_each_message(
    input: LogInput,
    format: Option<LogFormat>,
    add: &mut MessageSink,
) -> Result<u64, MineError> {
    let LogInput {
        name,
        mut reader,
        year,
        ..
    } = input;
    let year = year.unwrap_or(2000);
    let read_err = |line, source| MineError::Read {
        name: name.clone(),
        line,
        source,
    };
    let format = match format {
        Some(format) => format,
        None => {
            let head = reader.fill_buf().map_err(|e| read_err(0, e))?;
            parse::detect(head.split(|&b| b == b'\n'))
        }
    };
    if format == LogFormat::JournalExport {
        let mut entries = journal::ExportReader::new(reader);
        while let Some((line, entry)) = entries
            .next_entry()
            .map_err(|e| read_err(entries.lines_read(), e))?
        {
            for (text, fields) in entry.lines() {
                add(line, text, fields.ts);
            }
        }
        return Ok(entries.lines_read());
    }
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        // Bounded: one endless line (a gzip bomb of zeros) costs a megabyte, not its length.
        let read = crate::input::read_line_bounded(&mut reader, &mut buf)
            .map_err(|e| read_err(line, e))?;
        if read == 0 {
            break;
        }
        line += 1;
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if format == LogFormat::JournalJson {
            if let Ok(entry) = journal::parse_json(raw) {
                for (text, fields) in entry.lines() {
                    add(line, text, fields.ts);
                }
                continue;
            }
        }
        let view = parse::parse_line(format, raw, year);
        add(line, view.message, view.ts);
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mine(text: &str, layout: TemplatesLayout, rare: bool) -> String {
        let input = crate::input::from_reader(
            "t.log",
            Box::new(io::Cursor::new(text.as_bytes().to_vec())),
            Some(2026),
        )
        .unwrap();
        let mut out = Vec::new();
        run(
            vec![input],
            TemplatesOptions {
                layout,
                rare,
                format: None,
            },
            &mut out,
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    // loghub OpenSSH_2k.log, syslog format: the header is triage's syslog parser's.
    const SSH: &str = "\
Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186
Dec 10 06:55:46 LabSZ sshd[24200]: input_userauth_request: invalid user webmaster [preauth]
Dec 10 07:02:47 LabSZ sshd[24203]: Invalid user test9 from 52.80.34.196
Dec 10 07:07:38 LabSZ sshd[24206]: Invalid user test from 52.80.34.196
";

    #[test]
    fn templates_most_frequent_first_or_rarest() {
        assert_eq!(
            mine(SSH, TemplatesLayout::Text, false),
            "       3  Invalid user <*> from <*>\n       1  input_userauth_request: invalid user webmaster [preauth]\n"
        );
        assert!(
            mine(SSH, TemplatesLayout::Text, true).starts_with("       1  input_userauth_request")
        );
    }

    #[test]
    fn one_object_per_line_and_per_template() {
        let per_line = mine(SSH, TemplatesLayout::PerLine, false);
        let lines: Vec<serde_json::Value> = per_line
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[2]["line"], 3);
        assert_eq!(lines[2]["template"], "Invalid user <*> from <*>");
        // The first line gets the template as it ended, not as it was when it came.
        assert_eq!(lines[0]["template"], "Invalid user <*> from <*>");
        let summary = mine(SSH, TemplatesLayout::Summary, false);
        let first: serde_json::Value =
            serde_json::from_str(summary.lines().next().unwrap()).unwrap();
        assert_eq!(first["count"], 3);
        assert_eq!(first["first"], "2026-12-10T06:55:46Z");
        assert_eq!(first["last"], "2026-12-10T07:07:38Z");
        assert_eq!(
            first["example"],
            "Invalid user webmaster from 173.234.31.186"
        );
    }

    #[test]
    fn a_line_longer_than_max_line_is_cut_not_held() {
        use crate::input::{CUT_MARK, MAX_LINE};
        let mut log = vec![b'x'; 3 * MAX_LINE];
        log.extend_from_slice(b"\nshort line\n");
        let input =
            crate::input::from_reader("t.log", Box::new(io::Cursor::new(log)), Some(2026)).unwrap();
        let mut messages = Vec::new();
        let read = for_each_message(input, Some(LogFormat::Plain), &mut |line, message, _| {
            messages.push((line, message.len(), message.ends_with(CUT_MARK)));
        })
        .unwrap();
        assert_eq!(read, 2);
        assert_eq!(
            messages,
            [(1, MAX_LINE + CUT_MARK.len(), true), (2, 10, false)]
        );
    }

    #[test]
    fn output_is_sanitised() {
        let out = mine(
            "evil \x1b[2J line 1\nevil \x1b[2J line 2\n",
            TemplatesLayout::Text,
            false,
        );
        assert!(!out.contains('\x1b'), "{out:?}");
        assert!(out.contains("\\x1b"), "{out:?}");
        let json = mine("evil \u{202e} 1\n", TemplatesLayout::Summary, false);
        assert!(!json.contains('\u{202e}'), "{json:?}");
    }
}
