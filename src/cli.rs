//! The command line: raw arguments parsed → a [`Plan`] (data) → its runner ([`crate::run`]) →
//! the exit code.

use std::{io, path::PathBuf, process::ExitCode, str::FromStr};

use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
    catalogue::{Lang, Severity},
    parse::LogFormat,
    plan::{Plan, Terminals},
    run::complain,
    scan::ScanError,
    source::{self, docker::DockerOptions, journal::JournalOptions},
};

#[derive(Debug, Parser)]
#[command(
    name = "triage",
    version,
    about = "Find known errors in server logs and say what to do about them.",
    long_about = "Find known errors in server logs (docker logs, docker compose logs, journalctl, \
nginx, syslog; gzip too) and say what caused them and what to do next.\n\n\
Start with `triage demo` to see it on a bundled incident.",
    after_help = "Exit status of `scan`: 0 if something was found, 1 if nothing was, 2 on error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Saved logs to open in the viewer (format detected per file; compressed too; a
    /// directory is every file under it)
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Open this log in the containers pane, whatever its format
    #[arg(long, value_name = "FILE")]
    pub containers: Vec<PathBuf>,

    /// Open this log in the host pane, whatever its format
    #[arg(long, value_name = "FILE")]
    pub host: Vec<PathBuf>,

    /// The log format of the files, instead of detecting it
    #[arg(long = "format", value_name = "FORMAT", value_parser = LogFormat::from_str)]
    pub log_format: Option<LogFormat>,

    #[command(flatten)]
    pub view: ViewArgs,

    #[command(flatten)]
    pub live: LiveArgs,

    #[command(flatten)]
    pub viewer_live: ViewerLiveArgs,

    /// Language of titles, causes and remedies [default: from LANG]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    /// Add catalogue entries from this directory (*.toml); replaces built-in ones by id
    #[arg(long = "patterns", global = true, value_name = "DIR")]
    pub patterns: Vec<PathBuf>,

    /// Leave out the built-in catalogue (use only your own entries)
    #[arg(long, global = true)]
    pub no_builtin: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan logs for known errors and print every hit
    Scan(Box<ScanArgs>),
    /// Explain an error: give an id, words, a browser error or a whole log line
    Explain(ExplainArgs),
    /// Show the bundled incident (the Athena Eye postmortem's logs)
    Demo(DemoArgs),
    /// Work with the catalogue of known errors
    #[command(subcommand)]
    Patterns(PatternsCommand),
    /// What kinds of lines logs hold: every line's message mined into templates, with counts
    Templates(TemplatesArgs),
    /// Write a postmortem draft: the incidents, root cause first, with excerpts and fixes
    Report(Box<ReportArgs>),
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Log files to read (gzip is recognised by content); `-` or nothing reads stdin
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format (text: templates with counts; jsonl: one object per input line) and/or
    /// log format (as `scan --format`); repeatable
    #[arg(long, value_name = "FORMAT", value_parser = FormatArg::from_str)]
    pub format: Vec<FormatArg>,

    /// One JSON object per template: count, first and last time, an example
    #[arg(long)]
    pub summary: bool,

    /// Rarest templates first
    #[arg(long)]
    pub rare: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Log files to read (each in the pane its format belongs to; gzip too); `-` reads stdin
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Markdown (the postmortem draft) or json (the incidents as data)
    #[arg(long, value_enum, default_value = "markdown", value_name = "FORMAT")]
    pub format: ReportFormat,

    /// Report on the bundled incident instead of files
    #[arg(long, conflicts_with = "files")]
    pub demo: bool,

    /// Read Docker containers' logs, events and state (through the Engine API)
    #[arg(long)]
    pub docker: bool,

    /// Read the journal (through journalctl)
    #[arg(long)]
    pub journal: bool,

    #[command(flatten)]
    pub live: LiveArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Log files or directories to read (gzip, xz, bzip2, zstd are recognised by content; a
    /// directory is read recursively); `-` or nothing reads stdin
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Output format (text, jsonl) and/or log format (plain, docker, compose, short,
    /// short-iso, short-precise, json, export, nginx-access, nginx-error, syslog,
    /// docker-json, json-lines, logfmt, apache-error, mysql, systemctl-status); repeatable
    #[arg(long, value_name = "FORMAT", value_parser = FormatArg::from_str)]
    pub format: Vec<FormatArg>,

    /// Print counts per known error instead of every hit
    #[arg(long)]
    pub summary: bool,

    /// Group hits under their error, with its cause and whole remedy
    #[arg(long, conflicts_with = "summary")]
    pub group: bool,

    /// Only report errors at least this severe
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "info")]
    pub min_severity: SeverityArg,

    /// Also report unrecognised errors: lines no entry knows that the log itself marks as
    /// errors (or, with =warning, warnings), grouped into templates
    #[arg(long, value_enum, value_name = "LEVEL", num_args = 0..=1, require_equals = true,
          default_missing_value = "error")]
    pub unknown: Option<UnknownLevel>,

    /// When to colour the output
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorWhen,

    /// Scan the bundled incident instead of files
    #[arg(long, conflicts_with = "files")]
    pub demo: bool,

    /// Threads to search with, 1 to 64 [default: cores, at most 4]
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,

    /// Scan Docker containers' logs, events and state (through the Engine API)
    #[arg(long)]
    pub docker: bool,

    /// Scan the journal (through journalctl)
    #[arg(long)]
    pub journal: bool,

    /// With --docker / --journal: keep following until interrupted
    #[arg(long)]
    pub follow: bool,

    #[command(flatten)]
    pub live: LiveArgs,
}

impl ScanArgs {
    /// The grouped scan the viewer falls back to when stdout is not a terminal.
    pub(crate) fn grouped(files: Vec<PathBuf>, color: ColorWhen) -> ScanArgs {
        ScanArgs {
            files,
            format: Vec::new(),
            summary: false,
            group: true,
            min_severity: SeverityArg::Info,
            unknown: None,
            color,
            demo: false,
            threads: None,
            docker: false,
            journal: false,
            follow: false,
            live: LiveArgs::default(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// What to look up (quote a pasted log line)
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,

    /// How many entries to show at most
    #[arg(short = 'n', long, default_value_t = 3)]
    pub limit: usize,

    /// When to colour the output
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorWhen,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// When to colour the output (when printing instead of viewing)
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(flatten)]
    pub view: ViewArgs,
}

/// Which containers and which part of the journal, when watching the machine live.
#[derive(Debug, Args, Clone, Default)]
pub struct LiveArgs {
    /// Docker: this container (name or ID); repeatable [default: all running ones]
    #[arg(long = "container", value_name = "NAME|ID")]
    pub container_names: Vec<String>,

    /// Docker: stopped containers too
    #[arg(long)]
    pub all: bool,

    /// Docker: this compose project only [default: the one whose compose file is in the
    /// current directory, if any]
    #[arg(long, value_name = "NAME")]
    pub compose_project: Option<String>,

    /// Backlog from this time on: RFC 3339, "2026-11-28 14:00" (UTC), or an age: 30m, 2h, 1d
    #[arg(long, value_name = "WHEN", value_parser = source::parse_since)]
    pub since: Option<jiff::Timestamp>,

    /// Lines of backlog per container and from the journal [viewer default: 1000]
    #[arg(long, value_name = "N")]
    pub tail: Option<u64>,

    /// Journal: this unit only; repeatable
    #[arg(short = 'u', long = "unit", value_name = "UNIT")]
    pub units: Vec<String>,

    /// Journal: kernel messages only
    #[arg(short = 'k', long)]
    pub kernel: bool,

    /// Journal: this priority and more severe (emerg, alert, crit, err, warning, notice, info)
    #[arg(short = 'p', long, value_name = "PRIORITY")]
    pub priority: Option<String>,

    /// Journal: the journal files in this directory
    #[arg(short = 'D', long = "directory", value_name = "DIR")]
    pub journal_dir: Option<PathBuf>,

    /// Journal: this journal file; repeatable
    #[arg(long = "journal-file", value_name = "FILE")]
    pub journal_files: Vec<PathBuf>,
}

/// Options of the viewer watching the machine live (not of `scan`, which names its sources).
#[derive(Debug, Args, Clone)]
pub struct ViewerLiveArgs {
    /// Lines kept per pane while following; older ones are dropped, hits are kept
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub scrollback: u64,

    /// Leave Docker out
    #[arg(long)]
    pub no_docker: bool,

    /// Leave the journal out
    #[arg(long)]
    pub no_journal: bool,
}

impl LiveArgs {
    pub(crate) fn docker(&self, follow: bool, default_tail: Option<u64>) -> DockerOptions {
        let compose_project = self.compose_project.clone().or_else(|| {
            // Inside a compose project's directory, its containers are what matters.
            (self.container_names.is_empty())
                .then(|| {
                    std::env::current_dir()
                        .ok()
                        .and_then(|d| source::docker::compose_project_in(&d))
                })
                .flatten()
        });
        DockerOptions {
            containers: self.container_names.clone(),
            all: self.all,
            compose_project,
            since: self.since,
            tail: self.tail.or(default_tail),
            follow,
            contexts: None,
        }
    }

    pub(crate) fn journal(&self, follow: bool, default_lines: Option<u64>) -> JournalOptions {
        JournalOptions {
            units: self.units.clone(),
            kernel: self.kernel,
            since: self.since,
            priority: self.priority.clone(),
            directory: self.journal_dir.clone(),
            files: self.journal_files.clone(),
            lines: self.tail.or(default_lines),
            follow,
            program: None,
            contexts: None,
        }
    }
}

/// Replay speeds the viewer's `+`/`-` keys move between; `--replay` takes the same.
const REPLAY_SPEEDS: std::ops::RangeInclusive<f64> = 0.125..=1e6;

fn parse_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if REPLAY_SPEEDS.contains(&speed) {
        Ok(speed)
    } else {
        Err(format!(
            "a speed from {} to {} times real time, e.g. 60",
            REPLAY_SPEEDS.start(),
            REPLAY_SPEEDS.end()
        ))
    }
}

/// More threads than this only adds contention: reading is the bottleneck beyond a few.
const MAX_THREADS: usize = 64;

fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!("a number of threads from 1 to {MAX_THREADS}")),
    }
}

/// How the viewer runs.
#[derive(Debug, Args, Clone)]
pub struct ViewArgs {
    /// Re-enact the logs in time at SPEED (0.125 to 1e6) times real time (+/- change it, space pauses)
    #[arg(long, value_name = "SPEED", num_args = 0..=1, default_missing_value = "1", value_parser = parse_speed)]
    pub replay: Option<f64>,

    /// Let the mouse scroll (off by default: it stops copying text in GNU screen)
    #[arg(long)]
    pub mouse: bool,

    /// Quit as soon as everything is loaded and print timings (for benchmarks)
    #[arg(long, hide = true)]
    pub exit_when_loaded: bool,

    /// Benchmark: feed FILE's lines, cycled up to --flood-lines, through the live path
    #[arg(long, hide = true, value_name = "FILE")]
    pub flood: Option<PathBuf>,

    #[arg(long, hide = true, default_value_t = 10_000_000)]
    pub flood_lines: u64,
}

#[derive(Debug, Subcommand)]
pub enum PatternsCommand {
    /// Validate a catalogue: examples match, counter-examples don't, no unexplained overlaps
    Check {
        /// Catalogue directory [default: the built-in catalogue and your own]
        dir: Option<PathBuf>,
    },
    /// Draft an entry from a log line and save it in your patterns directory (the first
    /// --patterns DIR, else $XDG_CONFIG_HOME/triage/patterns), once it passes the same checks
    /// as `patterns check`
    New {
        /// The log line (quote it); read from stdin when absent
        line: Option<String>,
        /// The entry's id [default: from the line's words]
        #[arg(long)]
        id: Option<String>,
        /// Print the entry instead of saving it
        #[arg(long)]
        print: bool,
    },
    /// List the entries
    List,
    /// Print every regex, one per line (for `rg -f` / `grep -f`)
    Regexes,
    /// Show the literals that guard each regex in the matcher's prefilter
    Literals {
        /// Count how often each literal occurs in this (benign) log, commonest first: a
        /// literal that is common in normal traffic makes the matcher slow
        #[arg(long, value_name = "FILE")]
        corpus: Option<PathBuf>,
    },
}

/// `--format` takes either an output format or a log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Jsonl,
    Log(LogFormat),
}

impl FromStr for FormatArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(FormatArg::Text),
            "jsonl" | "json-lines" => Ok(FormatArg::Jsonl),
            other => LogFormat::from_str(other)
                .map(FormatArg::Log)
                .map_err(|e| format!("{e}; output formats: text, jsonl")),
        }
    }
}

/// The least level `scan --unknown` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnknownLevel {
    Error,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Colour for this stream: `auto` follows the terminal, `NO_COLOR` and `CLICOLOR_FORCE`.
    pub(crate) fn enabled(self, stdout: &io::Stdout) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => anstream::AutoStream::choice(stdout) != anstream::ColorChoice::Never,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

/// Run the program; everything `main` does.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            complain(format_args!("{err:#}"));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<ScanError>().is_some_and(
                |e| matches!(e, ScanError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe),
            )
    })
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let plan = Plan::new(cli, Terminals::now())?;
    crate::run::run(plan)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
