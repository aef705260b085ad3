//! What the command line asks for, as data. [`Plan::new`] turns parsed arguments into a
//! plan without running anything (which is why it is tested on argument vectors alone);
//! [`crate::run`] has one runner per plan, each wiring its own sources.

use std::path::PathBuf;

use crate::{
    app::PaneId,
    catalogue::{CatalogueSources, Lang, Severity},
    cli::{
        Cli, ColorWhen, Command, ExplainArgs, FormatArg, PatternsCommand, ReportFormat, ScanArgs,
        UnknownLevel, ViewArgs,
    },
    mine::{TemplatesLayout, TemplatesOptions},
    model::Level,
    parse::LogFormat,
    report::Layout,
    scan::{self, ScanOptions},
    source::{docker::DockerOptions, journal::JournalOptions},
};

/// Backlog the viewer shows by default when watching live.
const VIEWER_TAIL: u64 = 1000;

/// Whether stdin and stdout are terminals: some plans depend on it (the viewer prints when
/// stdout is not one; with no file named, stdin is read unless it is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Terminals {
    pub stdin: bool,
    pub stdout: bool,
}

impl Terminals {
    /// This process's.
    pub fn now() -> Terminals {
        use std::io::IsTerminal;
        Terminals {
            stdin: std::io::stdin().is_terminal(),
            stdout: std::io::stdout().is_terminal(),
        }
    }
}

/// The command line makes no sense: said as it is, exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlanError(&'static str);

/// One thing to do.
#[derive(Debug)]
pub enum Plan {
    /// The viewer, on saved logs, the bundled incident or the machine live.
    View(ViewPlan),
    /// Print the hits (`scan`, and `demo` or the viewer when stdout is not a terminal).
    Scan(Box<ScanPlan>),
    Explain(ExplainPlan),
    Patterns(PatternsPlan),
    Report(ReportPlan),
    Templates(TemplatesPlan),
}

/// The catalogue and the language, which most plans need.
#[derive(Debug, Clone)]
pub struct Common {
    pub catalogue: CatalogueSources,
    pub lang: Lang,
}

#[derive(Debug)]
pub struct ViewPlan {
    pub common: Common,
    /// Saved logs named, each with the pane it is forced into; a directory is every file
    /// under it (expanded when run: that they hold nothing is an error then).
    pub files: Vec<(PathBuf, Option<PaneId>)>,
    pub what: Viewed,
    /// The log format of the files, instead of detecting it.
    pub format: Option<LogFormat>,
    pub view: ViewArgs,
}

/// What the viewer shows.
#[derive(Debug)]
pub enum Viewed {
    /// The files named.
    Files,
    /// The bundled incident.
    Demo,
    /// Docker and the journal as they go (or the flood benchmark).
    Live(Box<LiveInput>),
}

#[derive(Debug)]
pub struct LiveInput {
    pub docker: Option<DockerOptions>,
    pub journal: Option<JournalOptions>,
    /// Benchmark: a file replayed as a flooding container.
    pub flood: Option<(PathBuf, u64)>,
    pub scrollback: u64,
}

#[derive(Debug)]
pub struct ScanPlan {
    pub common: Common,
    pub inputs: ScanInputs,
    pub layout: Layout,
    pub options: ScanOptions,
    pub min_severity: Severity,
    pub color: ColorWhen,
    /// With Docker or the journal: keep following until a signal.
    pub follow: bool,
    pub docker: Option<DockerOptions>,
    pub journal: Option<JournalOptions>,
    /// Said on stderr first (why this prints instead of showing the viewer).
    pub notice: Option<&'static str>,
    /// Errors in the catalogue's files make the exit code 2 (`scan` itself; not the
    /// viewer's or `demo`'s printed fallback).
    pub strict_catalogue: bool,
}

/// Where a scan reads from, besides Docker and the journal.
#[derive(Debug, PartialEq, Eq)]
pub enum ScanInputs {
    /// Nothing (Docker or the journal only).
    None,
    /// The bundled incident.
    Demo,
    Stdin,
    /// Files and directories (each read recursively when run). With `required`, that the
    /// directories named hold nothing is an error.
    Files {
        paths: Vec<PathBuf>,
        required: bool,
    },
}

#[derive(Debug)]
pub struct ExplainPlan {
    pub common: Common,
    pub args: ExplainArgs,
}

#[derive(Debug)]
pub struct PatternsPlan {
    pub common: Common,
    pub command: PatternsCommand,
}

#[derive(Debug)]
pub struct ReportPlan {
    pub common: Common,
    pub input: ReportInput,
    pub format: ReportFormat,
}

#[derive(Debug)]
pub enum ReportInput {
    /// Docker's and the journal's logs as they are now.
    Live {
        docker: Option<Box<DockerOptions>>,
        journal: Option<Box<JournalOptions>>,
    },
    Demo,
    Files(Vec<PathBuf>),
}

#[derive(Debug)]
pub struct TemplatesPlan {
    /// Log files, `-` for stdin.
    pub files: Vec<PathBuf>,
    pub options: TemplatesOptions,
}

impl Plan {
    /// The plan for parsed arguments, on terminals as `terminals` says.
    pub fn new(cli: Cli, terminals: Terminals) -> Result<Plan, PlanError> {
        let common = Common {
            lang: cli.lang.unwrap_or_else(Lang::from_env),
            catalogue: CatalogueSources {
                builtin: !cli.no_builtin,
                ..CatalogueSources::standard(cli.patterns.clone())
            },
        };
        let Some(command) = cli.command else {
            return view_or_print(cli, common, terminals);
        };
        Ok(match command {
            Command::Patterns(command) => Plan::Patterns(PatternsPlan { common, command }),
            Command::Scan(args) => {
                let mut plan = scan_plan(*args, common, terminals)?;
                plan.strict_catalogue = true;
                Plan::Scan(Box::new(plan))
            }
            Command::Demo(args) => {
                if terminals.stdout {
                    Plan::View(ViewPlan {
                        common,
                        files: Vec::new(),
                        what: Viewed::Demo,
                        format: None,
                        view: args.view,
                    })
                } else {
                    let scan = ScanArgs {
                        demo: true,
                        ..ScanArgs::grouped(Vec::new(), args.color)
                    };
                    let mut plan = scan_plan(scan, common, terminals)?;
                    plan.notice = Some("not a terminal: printing the incident's hits instead");
                    Plan::Scan(Box::new(plan))
                }
            }
            Command::Explain(args) => Plan::Explain(ExplainPlan { common, args }),
            Command::Templates(args) => {
                let (jsonl, format) = formats(&args.format);
                let layout = match (args.summary, jsonl) {
                    (true, _) => TemplatesLayout::Summary,
                    (false, true) => TemplatesLayout::PerLine,
                    (false, false) => TemplatesLayout::Text,
                };
                let files = if args.files.is_empty() {
                    if terminals.stdin {
                        return Err(PlanError(
                            "no input: give log files or `-` for stdin (see `triage templates --help`)",
                        ));
                    }
                    vec![PathBuf::from("-")]
                } else {
                    args.files
                };
                Plan::Templates(TemplatesPlan {
                    files,
                    options: TemplatesOptions {
                        layout,
                        rare: args.rare,
                        format,
                    },
                })
            }
            Command::Report(args) => {
                let input = if args.docker || args.journal {
                    if !args.files.is_empty() || args.demo {
                        return Err(PlanError(
                            "give files, --demo, or --docker/--journal, not both",
                        ));
                    }
                    ReportInput::Live {
                        docker: args.docker.then(|| Box::new(args.live.docker(false, None))),
                        journal: args
                            .journal
                            .then(|| Box::new(args.live.journal(false, None))),
                    }
                } else if args.demo {
                    ReportInput::Demo
                } else if args.files.is_empty() {
                    return Err(PlanError(
                        "no input: give log files, --demo, --docker or --journal (see `triage report --help`)",
                    ));
                } else {
                    ReportInput::Files(args.files)
                };
                Plan::Report(ReportPlan {
                    common,
                    input,
                    format: args.format,
                })
            }
        })
    }
}

/// No command: the viewer on the files named, or on the machine live; when stdout is not a
/// terminal, their hits printed instead.
fn view_or_print(cli: Cli, common: Common, terminals: Terminals) -> Result<Plan, PlanError> {
    let mut files = Vec::new();
    for (names, pane) in [
        (&cli.files, None),
        (&cli.containers, Some(PaneId::Containers)),
        (&cli.host, Some(PaneId::Host)),
    ] {
        files.extend(names.iter().map(|path| (path.clone(), pane)));
    }
    let view = |files, what| {
        Plan::View(ViewPlan {
            common: common.clone(),
            files,
            what,
            format: cli.log_format,
            view: cli.view.clone(),
        })
    };
    if let Some(path) = cli.view.flood.clone() {
        let live = LiveInput {
            docker: None,
            journal: None,
            flood: Some((path, cli.view.flood_lines)),
            scrollback: cli.viewer_live.scrollback,
        };
        return Ok(view(files, Viewed::Live(Box::new(live))));
    }
    let live = &cli.live;
    let only = &cli.viewer_live;
    if files.is_empty() {
        if !terminals.stdout {
            let scan = ScanArgs {
                docker: !only.no_docker,
                journal: !only.no_journal,
                live: live.clone(),
                ..ScanArgs::grouped(Vec::new(), ColorWhen::Auto)
            };
            let mut plan = scan_plan(scan, common.clone(), terminals)?;
            plan.notice = Some(
                "not a terminal: printing the hits in Docker's and the journal's logs instead (see `triage scan --help`)",
            );
            return Ok(Plan::Scan(Box::new(plan)));
        }
        let live = LiveInput {
            docker: (!only.no_docker).then(|| live.docker(true, Some(VIEWER_TAIL))),
            journal: (!only.no_journal).then(|| live.journal(true, Some(VIEWER_TAIL))),
            flood: None,
            scrollback: only.scrollback,
        };
        return Ok(view(files, Viewed::Live(Box::new(live))));
    }
    if !terminals.stdout {
        let scan = ScanArgs {
            format: cli.log_format.map(FormatArg::Log).into_iter().collect(),
            ..ScanArgs::grouped(
                files.into_iter().map(|(path, _)| path).collect(),
                ColorWhen::Auto,
            )
        };
        let mut plan = scan_plan(scan, common.clone(), terminals)?;
        if let ScanInputs::Files { required, .. } = &mut plan.inputs {
            *required = true;
        }
        plan.notice = Some("not a terminal: printing the hits instead (see `triage scan --help`)");
        return Ok(Plan::Scan(Box::new(plan)));
    }
    Ok(view(files, Viewed::Files))
}

/// What `--format` arguments say: JSON lines out or not, and the log format forced if one
/// is. The last of each kind wins.
fn formats(args: &[FormatArg]) -> (bool, Option<LogFormat>) {
    let mut jsonl = false;
    let mut log = None;
    for arg in args {
        match arg {
            FormatArg::Text => jsonl = false,
            FormatArg::Jsonl => jsonl = true,
            FormatArg::Log(format) => log = Some(*format),
        }
    }
    (jsonl, log)
}

/// `scan`'s arguments as a plan.
fn scan_plan(args: ScanArgs, common: Common, terminals: Terminals) -> Result<ScanPlan, PlanError> {
    let inputs = if args.demo {
        ScanInputs::Demo
    } else if args.files.is_empty() && (args.docker || args.journal) {
        ScanInputs::None
    } else if args.files.is_empty() {
        if terminals.stdin {
            return Err(PlanError(
                "no input: give log files, `-` for stdin, or --demo (see `triage scan --help`)",
            ));
        }
        ScanInputs::Stdin
    } else {
        ScanInputs::Files {
            paths: args.files,
            required: false,
        }
    };
    let (jsonl, forced) = formats(&args.format);
    let layout = match (jsonl, args.summary, args.group) {
        (true, true, _) => Layout::JsonlSummary,
        (true, false, _) => Layout::Jsonl,
        (false, true, _) => Layout::Summary,
        (false, false, true) => Layout::Grouped,
        (false, false, false) => Layout::InOrder,
    };
    let options = ScanOptions {
        format: forced,
        threads: args.threads.unwrap_or_else(scan::default_threads).max(1),
        unknown: args.unknown.map(|level| match level {
            UnknownLevel::Error => Level::Err,
            UnknownLevel::Warning => Level::Warning,
        }),
    };
    Ok(ScanPlan {
        common,
        inputs,
        layout,
        options,
        min_severity: Severity::from(args.min_severity),
        color: args.color,
        follow: args.follow,
        docker: args.docker.then(|| args.live.docker(args.follow, None)),
        journal: args.journal.then(|| args.live.journal(args.follow, None)),
        notice: None,
        strict_catalogue: false,
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    const TERMINAL: Terminals = Terminals {
        stdin: true,
        stdout: true,
    };
    const PIPES: Terminals = Terminals {
        stdin: false,
        stdout: false,
    };

    fn plan(args: &[&str], terminals: Terminals) -> Result<Plan, PlanError> {
        let mut argv = vec!["triage"];
        argv.extend_from_slice(args);
        Plan::new(
            Cli::try_parse_from(argv).expect("arguments parse"),
            terminals,
        )
    }

    fn scan(args: &[&str], terminals: Terminals) -> ScanPlan {
        match plan(args, terminals) {
            Ok(Plan::Scan(plan)) => *plan,
            other => panic!("{args:?}: not a scan: {other:?}"),
        }
    }

    fn view(args: &[&str], terminals: Terminals) -> ViewPlan {
        match plan(args, terminals) {
            Ok(Plan::View(plan)) => plan,
            other => panic!("{args:?}: not the viewer: {other:?}"),
        }
    }

    fn error(args: &[&str], terminals: Terminals) -> String {
        match plan(args, terminals) {
            Err(err) => err.to_string(),
            Ok(other) => panic!("{args:?}: planned {other:?}"),
        }
    }

    #[test]
    fn scan_options_become_the_plans_data() {
        let plan = scan(
            &[
                "scan",
                "a.log",
                "logs/",
                "--summary",
                "--format",
                "jsonl",
                "--format",
                "nginx-error",
                "-j",
                "2",
                "--unknown=warning",
                "--min-severity",
                "error",
                "--lang",
                "zh",
            ],
            TERMINAL,
        );
        assert_eq!(
            plan.inputs,
            ScanInputs::Files {
                paths: vec!["a.log".into(), "logs/".into()],
                required: false
            }
        );
        assert_eq!(plan.layout, Layout::JsonlSummary);
        assert_eq!(
            plan.options,
            ScanOptions {
                format: Some(LogFormat::NginxError),
                threads: 2,
                unknown: Some(Level::Warning)
            }
        );
        assert_eq!(plan.min_severity, Severity::Error);
        assert_eq!(plan.common.lang, Lang::Zh);
        assert!(plan.strict_catalogue && plan.notice.is_none());
        assert!(plan.docker.is_none() && plan.journal.is_none());
        // The last output format given wins; --group groups, --summary counts.
        let layout = |args: &[&str]| scan(args, TERMINAL).layout;
        assert_eq!(layout(&["scan", "a"]), Layout::InOrder);
        assert_eq!(layout(&["scan", "a", "--group"]), Layout::Grouped);
        assert_eq!(layout(&["scan", "a", "--summary"]), Layout::Summary);
        assert_eq!(
            layout(&["scan", "a", "--format", "jsonl", "--format", "text"]),
            Layout::InOrder
        );
        assert_eq!(layout(&["scan", "a", "--format", "jsonl"]), Layout::Jsonl);
        assert_eq!(
            scan(&["scan", "a", "--unknown"], TERMINAL).options.unknown,
            Some(Level::Err)
        );
    }

    #[test]
    fn scan_reads_stdin_unless_it_is_a_terminal() {
        assert_eq!(scan(&["scan"], PIPES).inputs, ScanInputs::Stdin);
        assert_eq!(
            scan(&["scan", "-"], TERMINAL).inputs,
            ScanInputs::Files {
                paths: vec!["-".into()],
                required: false
            }
        );
        assert_eq!(
            error(&["scan"], TERMINAL),
            "no input: give log files, `-` for stdin, or --demo (see `triage scan --help`)"
        );
        assert_eq!(scan(&["scan", "--demo"], TERMINAL).inputs, ScanInputs::Demo);
    }

    #[test]
    fn scan_of_docker_and_the_journal_carries_their_options() {
        let plan = scan(
            &[
                "scan",
                "--journal",
                "-u",
                "mysql.service",
                "-k",
                "--follow",
                "--tail",
                "5",
            ],
            TERMINAL,
        );
        assert_eq!(plan.inputs, ScanInputs::None);
        assert!(plan.docker.is_none() && plan.follow);
        let journal = plan.journal.expect("the journal");
        assert_eq!(journal.units, ["mysql.service"]);
        assert!(journal.kernel && journal.follow);
        assert_eq!(journal.lines, Some(5));
        let plan = scan(
            &["scan", "--docker", "--container", "web", "a.log"],
            TERMINAL,
        );
        assert!(matches!(plan.inputs, ScanInputs::Files { .. }));
        let docker = plan.docker.expect("docker");
        assert_eq!(docker.containers, ["web"]);
        assert!(!docker.follow && docker.tail.is_none());
    }

    #[test]
    fn files_are_viewed_on_a_terminal_and_printed_grouped_elsewhere() {
        let plan = view(
            &[
                "a.log",
                "--containers",
                "c.log",
                "--host",
                "h.log",
                "--format",
                "syslog",
            ],
            TERMINAL,
        );
        assert!(matches!(plan.what, Viewed::Files));
        assert_eq!(
            plan.files,
            [
                (PathBuf::from("a.log"), None),
                (PathBuf::from("c.log"), Some(PaneId::Containers)),
                (PathBuf::from("h.log"), Some(PaneId::Host)),
            ]
        );
        assert_eq!(plan.format, Some(LogFormat::Short));
        let plan = scan(&["a.log", "--format", "syslog"], PIPES);
        assert_eq!(plan.layout, Layout::Grouped);
        assert_eq!(
            plan.inputs,
            ScanInputs::Files {
                paths: vec!["a.log".into()],
                required: true
            }
        );
        assert_eq!(plan.options.format, Some(LogFormat::Short));
        assert_eq!(
            plan.notice,
            Some("not a terminal: printing the hits instead (see `triage scan --help`)")
        );
        assert!(!plan.strict_catalogue);
    }

    #[test]
    fn nothing_named_watches_the_machine_or_prints_its_hits() {
        let plan = view(&["--since", "1h", "--scrollback", "50"], TERMINAL);
        let Viewed::Live(live) = plan.what else {
            panic!("not live: {plan:?}");
        };
        let (docker, journal) = (live.docker.unwrap(), live.journal.unwrap());
        assert!(docker.follow && journal.follow);
        assert_eq!((docker.tail, journal.lines), (Some(1000), Some(1000)));
        assert!(docker.since.is_some());
        assert_eq!(live.scrollback, 50);
        let plan = view(&["--no-docker"], TERMINAL);
        let Viewed::Live(live) = plan.what else {
            panic!("not live: {plan:?}");
        };
        assert!(live.docker.is_none() && live.journal.is_some());
        // Not a terminal: the hits printed, grouped, read once (not followed).
        let plan = scan(&["--no-journal"], PIPES);
        assert_eq!(plan.layout, Layout::Grouped);
        assert_eq!(plan.inputs, ScanInputs::None);
        assert!(plan.journal.is_none() && !plan.docker.unwrap().follow);
        assert!(plan.notice.unwrap().contains("Docker's and the journal's"));
        // Both left out, stdin a terminal: nothing at all to read.
        assert_eq!(
            error(
                &["--no-docker", "--no-journal"],
                Terminals {
                    stdin: true,
                    stdout: false
                }
            ),
            "no input: give log files, `-` for stdin, or --demo (see `triage scan --help`)"
        );
        // The flood benchmark is the viewer's whatever stdout is.
        let plan = view(&["--flood", "f.log", "--flood-lines", "9"], PIPES);
        let Viewed::Live(live) = plan.what else {
            panic!("not live: {plan:?}");
        };
        assert_eq!(live.flood, Some((PathBuf::from("f.log"), 9)));
    }

    #[test]
    fn demo_views_or_prints() {
        assert!(matches!(
            view(&["demo", "--replay"], TERMINAL).what,
            Viewed::Demo
        ));
        assert_eq!(
            view(&["demo", "--replay", "60"], TERMINAL).view.replay,
            Some(60.0)
        );
        let plan = scan(&["demo", "--color", "always"], PIPES);
        assert_eq!(
            (plan.inputs, plan.layout, plan.color),
            (ScanInputs::Demo, Layout::Grouped, ColorWhen::Always)
        );
        assert!(!plan.strict_catalogue && plan.notice.is_some());
    }

    #[test]
    fn report_templates_explain_and_patterns() {
        match plan(
            &["report", "--docker", "--journal", "--format", "json"],
            TERMINAL,
        ) {
            Ok(Plan::Report(ReportPlan {
                input: ReportInput::Live { docker, journal },
                format: ReportFormat::Json,
                ..
            })) => assert!(docker.is_some_and(|d| !d.follow) && journal.is_some()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            plan(&["report", "--demo"], TERMINAL),
            Ok(Plan::Report(ReportPlan {
                input: ReportInput::Demo,
                format: ReportFormat::Markdown,
                ..
            }))
        ));
        assert_eq!(
            error(&["report", "--docker", "a.log"], TERMINAL),
            "give files, --demo, or --docker/--journal, not both"
        );
        assert!(error(&["report"], PIPES).starts_with("no input: give log files, --demo"));
        // Clap's own checks come first.
        assert!(Cli::try_parse_from(["triage", "report", "--demo", "a.log"]).is_err());

        match plan(&["templates", "--summary"], PIPES) {
            Ok(Plan::Templates(plan)) => {
                assert_eq!(plan.files, [PathBuf::from("-")]);
                assert_eq!(plan.options.layout, TemplatesLayout::Summary);
            }
            other => panic!("{other:?}"),
        }
        match plan(&["templates", "a", "--format", "jsonl", "--rare"], TERMINAL) {
            Ok(Plan::Templates(plan)) => {
                assert_eq!(plan.options.layout, TemplatesLayout::PerLine);
                assert!(plan.options.rare);
            }
            other => panic!("{other:?}"),
        }
        assert!(error(&["templates"], TERMINAL).starts_with("no input"));

        match plan(
            &["explain", "no", "space", "-n", "2", "--lang", "en"],
            TERMINAL,
        ) {
            Ok(Plan::Explain(plan)) => {
                assert_eq!(plan.args.query, ["no", "space"]);
                assert_eq!(plan.args.limit, 2);
                assert_eq!(plan.common.lang, Lang::En);
            }
            other => panic!("{other:?}"),
        }
        match plan(
            &["patterns", "list", "--no-builtin", "--patterns", "mine"],
            TERMINAL,
        ) {
            Ok(Plan::Patterns(plan)) => {
                assert!(matches!(plan.command, PatternsCommand::List));
                assert!(!plan.common.catalogue.builtin);
                assert!(plan.common.catalogue.dirs.contains(&PathBuf::from("mine")));
            }
            other => panic!("{other:?}"),
        }
    }
}
