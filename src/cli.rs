//! The command line: raw arguments → a validated command → exit code.

use std::{
    io::{self, IsTerminal, Write},
    path::PathBuf,
    process::ExitCode,
    str::FromStr,
    sync::Arc,
};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
    app::{self, App, PaneId},
    catalogue::{self, Catalogue, CatalogueSources, Lang, PatternError, Severity},
    embedded, explain,
    input::{self, LogInput},
    loader::{LogData, LogFile},
    matcher::Matcher,
    parse::LogFormat,
    report::{Layout, Printer},
    sanitize,
    scan::{self, ScanError},
    source::{self, docker::DockerOptions, journal::JournalOptions},
    tui,
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
    /// Log files to read (each in the pane its format belongs to; gzip too)
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
    fn grouped(files: Vec<PathBuf>, color: ColorWhen) -> ScanArgs {
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
    fn docker(&self, follow: bool, default_tail: Option<u64>) -> DockerOptions {
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

    fn journal(&self, follow: bool, default_lines: Option<u64>) -> JournalOptions {
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

/// Backlog the viewer shows by default when watching live.
const VIEWER_TAIL: u64 = 1000;

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
    fn enabled(self, stdout: &io::Stdout) -> bool {
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

/// An error or warning on stderr. Messages carry file names and text from the input, which
/// may hold terminal escapes: they are written as visible escapes like log text.
fn complain(message: impl std::fmt::Display) {
    let _ = writeln!(
        io::stderr(),
        "triage: {}",
        sanitize::visible(message.to_string().as_bytes())
    );
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
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let sources = CatalogueSources {
        builtin: !cli.no_builtin,
        ..CatalogueSources::standard(cli.patterns.clone())
    };
    let Some(command) = cli.command else {
        let (catalogue, errors) = load_catalogue(&sources);
        report_pattern_errors(&errors);
        let mut logs = Vec::new();
        for (names, pane) in [
            (&cli.files, None),
            (&cli.containers, Some(PaneId::Containers)),
            (&cli.host, Some(PaneId::Host)),
        ] {
            // Names need not be UTF-8: the path is opened as given, and shown with any
            // invalid bytes as `\xNN`. A directory is every file under it.
            logs.extend(expand_dirs(names).into_iter().map(|path| ViewLog {
                name: sanitize::path_name(&path),
                data: LogData::Path(path),
                pane,
            }));
        }
        let named_any = !(cli.files.is_empty() && cli.containers.is_empty() && cli.host.is_empty());
        if logs.is_empty() && named_any {
            // Only directories were named, and they held nothing to read (said above).
            bail!("nothing to read in the directories given");
        }
        if let Some(path) = cli.view.flood.clone() {
            let input = ViewInput::Live(Box::new(LiveInput {
                docker: None,
                journal: None,
                flood: Some((path, cli.view.flood_lines)),
                scrollback: cli.viewer_live.scrollback,
            }));
            return run_view(catalogue, input, None, &cli.view, lang);
        }
        if logs.is_empty() {
            let live = &cli.live;
            let only = &cli.viewer_live;
            if !io::stdout().is_terminal() {
                eprintln!(
                    "triage: not a terminal: printing the hits in Docker's and the journal's logs instead (see `triage scan --help`)"
                );
                let scan = ScanArgs {
                    docker: !only.no_docker,
                    journal: !only.no_journal,
                    live: live.clone(),
                    ..ScanArgs::grouped(Vec::new(), ColorWhen::Auto)
                };
                return run_scan(&catalogue, scan, lang);
            }
            let docker = (!only.no_docker).then(|| live.docker(true, Some(VIEWER_TAIL)));
            let journal = (!only.no_journal).then(|| live.journal(true, Some(VIEWER_TAIL)));
            let input = ViewInput::Live(Box::new(LiveInput {
                docker,
                journal,
                flood: None,
                scrollback: only.scrollback,
            }));
            return run_view(catalogue, input, None, &cli.view, lang);
        }
        if !io::stdout().is_terminal() {
            eprintln!(
                "triage: not a terminal: printing the hits instead (see `triage scan --help`)"
            );
            let scan = ScanArgs {
                format: cli.log_format.map(FormatArg::Log).into_iter().collect(),
                ..ScanArgs::grouped(
                    logs.into_iter()
                        .filter_map(|l| match l.data {
                            LogData::Path(path) => Some(path),
                            LogData::Static(_) => None,
                        })
                        .collect(),
                    ColorWhen::Auto,
                )
            };
            return run_scan(&catalogue, scan, lang);
        }
        return run_view(
            catalogue,
            ViewInput::Files(logs),
            cli.log_format,
            &cli.view,
            lang,
        );
    };
    match command {
        Command::Patterns(command) => run_patterns(command, &sources, lang),
        Command::Scan(args) => {
            let args = *args;
            let (catalogue, errors) = load_catalogue(&sources);
            report_pattern_errors(&errors);
            let code = run_scan(&catalogue, args, lang)?;
            Ok(if errors.is_empty() {
                code
            } else {
                ExitCode::from(2)
            })
        }
        Command::Demo(args) => {
            let (catalogue, errors) = load_catalogue(&sources);
            report_pattern_errors(&errors);
            if io::stdout().is_terminal() {
                let logs: Vec<ViewLog> = embedded::INCIDENT_FILES
                    .iter()
                    .map(|(name, bytes)| ViewLog {
                        name: name.to_string(),
                        data: LogData::Static(bytes),
                        pane: None,
                    })
                    .collect();
                return run_view(catalogue, ViewInput::Files(logs), None, &args.view, lang);
            }
            eprintln!("triage: not a terminal: printing the incident's hits instead");
            let scan = ScanArgs {
                demo: true,
                ..ScanArgs::grouped(Vec::new(), args.color)
            };
            run_scan(&catalogue, scan, lang)
        }
        Command::Explain(args) => {
            let (catalogue, errors) = load_catalogue(&sources);
            report_pattern_errors(&errors);
            run_explain(&catalogue, &args, lang)
        }
        Command::Templates(args) => run_templates(args),
        Command::Report(args) => {
            let (catalogue, errors) = load_catalogue(&sources);
            report_pattern_errors(&errors);
            run_report(&catalogue, &args, lang)
        }
    }
}

fn run_templates(args: TemplatesArgs) -> Result<ExitCode> {
    use crate::mine::{TemplatesLayout, TemplatesOptions};
    let mut jsonl = false;
    let mut format = None;
    for arg in &args.format {
        match arg {
            FormatArg::Text => jsonl = false,
            FormatArg::Jsonl => jsonl = true,
            FormatArg::Log(log) => format = Some(*log),
        }
    }
    let layout = match (args.summary, jsonl) {
        (true, _) => TemplatesLayout::Summary,
        (false, true) => TemplatesLayout::PerLine,
        (false, false) => TemplatesLayout::Text,
    };
    let names: Vec<PathBuf> = if args.files.is_empty() {
        if io::stdin().is_terminal() {
            bail!("no input: give log files or `-` for stdin (see `triage templates --help`)");
        }
        vec![PathBuf::from("-")]
    } else {
        args.files
    };
    let mut inputs = Vec::new();
    let mut failed = false;
    for name in &names {
        let opened = if name.as_os_str() == "-" {
            input::open("-")
        } else {
            input::open_path(name)
        };
        match opened {
            Ok(input) => inputs.push(input),
            Err(err) => {
                complain(&err);
                failed = true;
            }
        }
    }
    let options = TemplatesOptions {
        layout,
        rare: args.rare,
        format,
    };
    let mut out = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    match crate::mine::run(inputs, options, &mut out) {
        Ok(_) => {}
        Err(crate::mine::MineError::Output(err)) if err.kind() == io::ErrorKind::BrokenPipe => {}
        Err(err) => {
            complain(&err);
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `triage report`: read everything, group the hits into incidents, write the draft.
fn run_report(catalogue: &Catalogue, args: &ReportArgs, lang: Lang) -> Result<ExitCode> {
    let matcher = Matcher::new(catalogue);
    let mut failed = false;
    let report = if args.docker || args.journal {
        if !args.files.is_empty() || args.demo {
            bail!("give files, --demo, or --docker/--journal, not both");
        }
        report_live(catalogue, &matcher, args)?
    } else {
        let logs: Vec<(String, LogData)> = if args.demo {
            embedded::INCIDENT_FILES
                .iter()
                .map(|(name, bytes)| (name.to_string(), LogData::Static(bytes)))
                .collect()
        } else if args.files.is_empty() {
            bail!(
                "no input: give log files, --demo, --docker or --journal (see `triage report --help`)"
            );
        } else {
            args.files
                .iter()
                .map(|path| (sanitize::path_name(path), LogData::Path(path.clone())))
                .collect()
        };
        let mut panes: [Vec<LogFile>; 2] = [Vec::new(), Vec::new()];
        for (name, data) in logs {
            match LogFile::open(&name, data, None) {
                Ok(file) => panes[file.pane().index()].push(file),
                Err(err) => {
                    complain(&err);
                    failed = true;
                }
            }
        }
        // A compose file in the current directory or beside the logs names the user's
        // project and services (not for the bundled incident: it is nobody's machine).
        let files = if args.demo {
            crate::fill_context::FillContext::default()
        } else {
            let cwd = std::env::current_dir().ok();
            crate::fill_context::FillContext::from_files(cwd.as_deref(), &args.files)
        };
        crate::postmortem::Report::from_files(catalogue, &matcher, panes)
            .with_contexts(Arc::new(crate::fill_context::Contexts::with_files(files)))
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        ReportFormat::Markdown => {
            out.write_all(crate::postmortem::markdown(catalogue, &report, lang).as_bytes())?
        }
        ReportFormat::Json => crate::postmortem::write_json(&mut out, catalogue, &report)?,
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Docker's and the journal's lines read once, each hit line kept with its fields.
fn report_live(
    catalogue: &Catalogue,
    matcher: &Matcher,
    args: &ReportArgs,
) -> Result<crate::postmortem::Report> {
    use crate::model::{Block, LineFields};
    // The sources record each container's and unit's context as they read it; the compose
    // file in the current directory fills what they cannot.
    let cwd = std::env::current_dir().ok();
    let contexts = Arc::new(crate::fill_context::Contexts::with_files(
        crate::fill_context::FillContext::from_files(cwd.as_deref(), &[]),
    ));
    let docker = args.docker.then(|| DockerOptions {
        contexts: Some(contexts.clone()),
        ..args.live.docker(false, None)
    });
    let journal = args.journal.then(|| JournalOptions {
        contexts: Some(contexts.clone()),
        ..args.live.journal(false, None)
    });
    let mut lines = Vec::new();
    let mut sink = |found: &scan::Found| {
        let pane = if found.file == "journal" {
            PaneId::Host
        } else {
            PaneId::Containers
        };
        let fields = LineFields {
            ts: found.ts,
            label: found.label.map(Arc::from),
            stream: found.stream,
            priority: None,
            message_start: 0,
        };
        let block = Block::from_fields([(found.text, fields)]);
        let hits = found
            .hits
            .iter()
            .map(|h| crate::model::Hit {
                index: 0,
                ..h.clone()
            })
            .collect();
        lines.push((pane, Arc::new(block), hits, found.file.to_string()));
        Ok(())
    };
    scan::scan_live(
        matcher,
        docker,
        journal,
        false,
        &mut sink,
        &mut |source, why| complain(format_args!("{source}: {why}")),
        &mut |source, why| complain(format_args!("{source}: {why}")),
    )?;
    Ok(crate::postmortem::Report::from_lines(catalogue, lines).with_contexts(contexts))
}

/// A log to open in the viewer.
struct ViewLog {
    name: String,
    data: LogData,
    /// Forced pane (`--containers`, `--host`), else by format.
    pane: Option<PaneId>,
}

/// What the viewer shows: saved logs, or the machine live.
enum ViewInput {
    Files(Vec<ViewLog>),
    Live(Box<LiveInput>),
}

struct LiveInput {
    docker: Option<DockerOptions>,
    journal: Option<JournalOptions>,
    /// Benchmark: a file replayed as a flooding container.
    flood: Option<(PathBuf, u64)>,
    scrollback: u64,
}

fn run_view(
    catalogue: Catalogue,
    input: ViewInput,
    format: Option<LogFormat>,
    view: &ViewArgs,
    lang: Lang,
) -> Result<ExitCode> {
    let mut files: [Vec<LogFile>; 2] = [Vec::new(), Vec::new()];
    let mut sources: [Vec<app::Source>; 2] = [Vec::new(), Vec::new()];
    let mut failed = false;
    // The files' context: a compose file in the current directory or beside a log (not for
    // logs compiled in: the bundled incident is nobody's machine).
    let mut paths = Vec::new();
    let mut own_machine = true;
    if let ViewInput::Files(logs) = &input {
        for log in logs {
            match &log.data {
                LogData::Path(path) => paths.push(path.clone()),
                LogData::Static(_) => own_machine = false,
            }
        }
    }
    let contexts = Arc::new(crate::fill_context::Contexts::with_files(if own_machine {
        crate::fill_context::FillContext::from_files(
            std::env::current_dir().ok().as_deref(),
            &paths,
        )
    } else {
        crate::fill_context::FillContext::default()
    }));
    let (docker, journal, flood, scrollback) = match input {
        ViewInput::Files(logs) => {
            for log in logs {
                match LogFile::open(&log.name, log.data, format) {
                    Ok(file) => {
                        let pane = log.pane.unwrap_or_else(|| file.pane());
                        sources[pane.index()].push(file.source());
                        files[pane.index()].push(file);
                    }
                    Err(err) => {
                        complain(&err);
                        failed = true;
                    }
                }
            }
            if files.iter().all(Vec::is_empty) {
                return Ok(ExitCode::from(2));
            }
            (None, None, None, None)
        }
        ViewInput::Live(live) => {
            let LiveInput {
                docker,
                journal,
                flood,
                scrollback,
            } = *live;
            let live_source = |name: String, format: LogFormat| app::Source {
                name,
                format,
                year: jiff::Timestamp::now()
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .year(),
                state: app::SourceState::Loading {
                    done: 0,
                    total: None,
                },
            };
            if let Some(options) = &docker {
                let name = match &options.compose_project {
                    Some(project) => format!("docker ({project})"),
                    None => "docker".to_string(),
                };
                sources[0].push(live_source(name, LogFormat::Compose));
            }
            if journal.is_some() {
                sources[1].push(live_source("journal".to_string(), LogFormat::ShortIso));
            }
            if flood.is_some() {
                sources[0].push(live_source("flood".to_string(), LogFormat::Compose));
            }
            if sources.iter().all(Vec::is_empty) {
                bail!("nothing to watch: both Docker and the journal are left out");
            }
            (docker, journal, flood, Some(scrollback.max(1)))
        }
    };
    let catalogue = Arc::new(catalogue);
    let options = app::Options {
        lang,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        replay: view.replay,
        scrollback,
        live: docker.is_some() || journal.is_some() || flood.is_some(),
    };
    let mut app = App::new(catalogue.clone(), sources, &options);
    // The live sources record each container's and unit's context as they read it.
    app.contexts = contexts.clone();
    let docker = docker.map(|options| DockerOptions {
        contexts: Some(contexts.clone()),
        ..options
    });
    let journal = journal.map(|options| JournalOptions {
        contexts: Some(contexts.clone()),
        ..options
    });
    let timings = tui::run(tui::Run {
        app,
        matcher: Arc::new(Matcher::new(&catalogue)),
        files,
        mouse: view.mouse,
        exit_when_loaded: view.exit_when_loaded,
        docker,
        journal,
        flood,
    })?;
    if view.exit_when_loaded {
        let ms = |d: Option<std::time::Duration>| d.map_or(-1.0, |d| d.as_secs_f64() * 1000.0);
        eprintln!(
            "first_frame_ms={:.1} first_lines_ms={:.1} loaded_ms={:.1}",
            ms(timings.first_frame),
            ms(timings.first_lines),
            ms(timings.loaded)
        );
    }
    // What failed was shown in its pane; the terminal is back now, and a script sees it too.
    for failure in &timings.failed {
        complain(failure);
        failed = true;
    }
    Ok(if let Some(signal) = timings.signal {
        // As a shell reports a job a signal ended.
        ExitCode::from((128 + signal) as u8)
    } else if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn load_catalogue(sources: &CatalogueSources) -> (Catalogue, Vec<PatternError>) {
    Catalogue::load(sources)
}

fn report_pattern_errors(errors: &[PatternError]) {
    let mut stderr = io::stderr().lock();
    for err in errors {
        let _ = writeln!(
            stderr,
            "triage: pattern error: {}",
            sanitize::visible(err.to_string().as_bytes())
        );
    }
    if !errors.is_empty() {
        let _ = writeln!(
            stderr,
            "triage: the rest of the catalogue is loaded and in use"
        );
    }
}

fn run_scan(catalogue: &Catalogue, args: ScanArgs, lang: Lang) -> Result<ExitCode> {
    let inputs: Vec<Result<LogInput, String>> = if args.demo {
        embedded::INCIDENT_FILES
            .iter()
            .map(|(name, bytes)| {
                input::from_reader(name, Box::new(io::Cursor::new(*bytes)), None)
                    .map_err(|e| e.to_string())
            })
            .collect()
    } else if args.files.is_empty() && (args.docker || args.journal) {
        Vec::new()
    } else if args.files.is_empty() {
        if io::stdin().is_terminal() {
            bail!("no input: give log files, `-` for stdin, or --demo (see `triage scan --help`)");
        }
        vec![input::open("-").map_err(|e| e.to_string())]
    } else {
        // Files are opened one at a time as they are scanned (a directory may hold
        // thousands), each with a read buffer of its own.
        let files = expand_dirs(&args.files);
        return scan_inputs(
            catalogue,
            &args,
            lang,
            files.into_iter().map(|path| {
                Box::new(move || input::open_path(&path).map_err(|e| e.to_string()))
                    as Box<dyn FnOnce() -> Result<LogInput, String>>
            }),
        );
    };
    scan_inputs(
        catalogue,
        &args,
        lang,
        inputs
            .into_iter()
            .map(|input| Box::new(move || input) as Box<dyn FnOnce() -> Result<LogInput, String>>),
    )
}

/// Every path, with each directory replaced by the files under it (recursively, in name
/// order); what a directory held that is not read is said on stderr, with its count.
fn expand_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() != "-" && path.is_dir() {
            let walked = crate::walk::walk(path);
            complain(&walked);
            files.extend(walked.files);
        } else {
            files.push(path.clone());
        }
    }
    files
}

fn scan_inputs(
    catalogue: &Catalogue,
    args: &ScanArgs,
    lang: Lang,
    inputs: impl Iterator<Item = Box<dyn FnOnce() -> Result<LogInput, String>>>,
) -> Result<ExitCode> {
    let mut jsonl = false;
    let mut forced = None;
    for format in &args.format {
        match format {
            FormatArg::Text => jsonl = false,
            FormatArg::Jsonl => jsonl = true,
            FormatArg::Log(format) => forced = Some(*format),
        }
    }
    let layout = match (jsonl, args.summary, args.group) {
        (true, true, _) => Layout::JsonlSummary,
        (true, false, _) => Layout::Jsonl,
        (false, true, _) => Layout::Summary,
        (false, false, true) => Layout::Grouped,
        (false, false, false) => Layout::InOrder,
    };
    let stdout = io::stdout();
    let is_terminal = stdout.is_terminal();
    let color = args.color.enabled(&stdout);
    let min_severity = Severity::from(args.min_severity);
    let options = scan::ScanOptions {
        format: forced,
        threads: args.threads.unwrap_or_else(scan::default_threads).max(1),
        unknown: args.unknown.map(|level| match level {
            UnknownLevel::Error => crate::model::Level::Err,
            UnknownLevel::Warning => crate::model::Level::Warning,
        }),
    };
    let matcher = Matcher::new(catalogue);
    let out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    // Remedies are filled from the live sources' context (recorded as they read) and from a
    // compose file here or beside the logs (not for the bundled incident: nobody's machine).
    let files = if args.demo {
        crate::fill_context::FillContext::default()
    } else {
        let cwd = std::env::current_dir().ok();
        crate::fill_context::FillContext::from_files(cwd.as_deref(), &args.files)
    };
    let contexts = Arc::new(crate::fill_context::Contexts::with_files(files));
    let mut printer =
        Printer::new(out, layout, catalogue, lang, color).with_contexts(contexts.clone());

    // A pipe (`tail -f … | triage scan -`) is read as it comes; its hits go out as they come.
    let streaming = std::cell::Cell::new(false);
    // Every hit at least `min_severity` severe goes to the printer.
    let mut sink = |found: &scan::Found| {
        if let Some(unknown) = found.unknown {
            if unknown.level.severity() >= min_severity {
                printer.found(found)?;
                if args.follow || streaming.get() {
                    printer.flush()?;
                }
            }
            return Ok(());
        }
        let kept: Vec<_> = found
            .hits
            .iter()
            .filter(|h| catalogue.entries()[h.entry].severity >= min_severity)
            .cloned()
            .collect();
        if kept.is_empty() {
            return Ok(());
        }
        printer.found(&scan::Found {
            hits: &kept,
            ..*found
        })?;
        // Following, a hit is news: out now, not when 64 KiB have gathered or at the end.
        if args.follow || streaming.get() {
            printer.flush()?;
        }
        Ok(())
    };
    let mut failed = false;
    // The signal that ended `--follow`, if one did.
    let mut signal = None;
    for open in inputs {
        let input = match open() {
            Ok(input) => {
                streaming.set(input.streaming);
                input
            }
            Err(message) => {
                complain(&message);
                failed = true;
                continue;
            }
        };
        match scan::scan_input(&matcher, input, options, &mut sink) {
            Ok(_) => {}
            Err(ScanError::Output(err)) => return Err(err).context("writing output"),
            Err(err) => {
                complain(&err);
                failed = true;
            }
        }
    }
    if args.docker || args.journal {
        let docker = args.docker.then(|| DockerOptions {
            contexts: Some(contexts.clone()),
            ..args.live.docker(args.follow, None)
        });
        let journal = args.journal.then(|| JournalOptions {
            contexts: Some(contexts.clone()),
            ..args.live.journal(args.follow, None)
        });
        let mut report = |source: &str, why: &str| {
            complain(format_args!("{source}: {why}"));
            failed = true;
        };
        let mut note = |source: &str, why: &str| complain(format_args!("{source}: {why}"));
        match scan::scan_live(
            &matcher,
            docker,
            journal,
            args.follow,
            &mut sink,
            &mut report,
            &mut note,
        ) {
            Ok(ended_by) => signal = ended_by,
            Err(ScanError::Output(err)) => return Err(err).context("writing output"),
            Err(err) => {
                complain(&err);
                failed = true;
            }
        }
    }
    let found_any = printer.hits() > 0 || printer.unrecognised() > 0;
    printer.finish(is_terminal).context("writing output")?;
    Ok(if let Some(signal) = signal {
        // As a shell reports a command a signal ended.
        ExitCode::from((128 + signal) as u8)
    } else if failed {
        ExitCode::from(2)
    } else if found_any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_explain(catalogue: &Catalogue, args: &ExplainArgs, lang: Lang) -> Result<ExitCode> {
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
            let (catalogue, errors) = load_catalogue(sources);
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
    let (catalogue, _) = load_catalogue(sources);
    let draft = catalogue::new::draft(&line, id.as_deref(), &catalogue);
    let dir = sources
        .dirs
        .first()
        .cloned()
        .or_else(catalogue::user_config_dir)
        .context("no patterns directory: give --patterns DIR (or set HOME)")?;
    let path = dir.join(format!("{}.toml", draft.id));
    let name = path.display().to_string();
    // Proven where it will live: loaded as the user's files are (regexes compiled), over
    // everything else, and checked on its own example.
    let (entries, errors) = catalogue::parse_file(&name, &draft.toml);
    if let Some(err) = errors.first() {
        bail!(
            "the drafted entry does not load: {err}
{}",
            draft.toml
        );
    }
    let mut joined = catalogue.clone();
    for entry in entries {
        joined.insert_entry(entry);
    }
    let report = catalogue::check_only(&joined, &|e| e.id == draft.id);
    if !report.is_ok() {
        bail!(
            "the drafted entry fails its check:\n{report}\n{}",
            sanitize::visible(draft.toml.as_bytes())
        );
    }
    if print {
        print!("{}", draft.toml);
        return Ok(ExitCode::SUCCESS);
    }
    if path.exists() {
        bail!("{name} exists: give another --id, or edit it");
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    std::fs::write(&path, &draft.toml).with_context(|| format!("writing {name}"))?;
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

fn run_patterns(
    command: PatternsCommand,
    sources: &CatalogueSources,
    lang: Lang,
) -> Result<ExitCode> {
    if let PatternsCommand::Check { dir } = command {
        return patterns_check(dir, sources);
    }
    if let PatternsCommand::New { line, id, print } = command {
        return patterns_new(line, id, print, sources);
    }
    let (catalogue, errors) = load_catalogue(sources);
    report_pattern_errors(&errors);
    let catalogue = &catalogue;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match command {
        PatternsCommand::List => {
            for entry in catalogue.entries() {
                writeln!(
                    out,
                    "{:<8}  {:<30} {}",
                    entry.severity,
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
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    #[test]
    fn named_groups_become_plain_groups() {
        assert_eq!(
            unname_groups(r"a (?P<pid>[0-9]+) (?<x>y)"),
            r"a ([0-9]+) (y)"
        );
        assert_eq!(unname_groups(r"\(?P<not>) [(?P<]"), r"\(?P<not>) [(?P<]");
    }
}
