//! The journal through journalctl: `journalctl --output=json` (followed, or read once),
//! parsed entry by entry. If journalctl exits while following, it is started again after the
//! last entry's cursor, so nothing is lost or doubled. journalctl's own complaints (no
//! permission, no journal files) become lines the catalogue explains.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::Arc,
    time::Duration,
};

use jiff::Timestamp;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

use super::{Backoff, LiveLine, SourceMsg, Tx};
use crate::{
    children,
    model::{LineFields, SourceState},
    parse::journal,
};

#[derive(Debug, Clone, Default)]
pub struct JournalOptions {
    /// `-u UNIT`, repeatable.
    pub units: Vec<String>,
    /// `-k`: kernel messages only.
    pub kernel: bool,
    pub since: Option<Timestamp>,
    /// `--priority`, as journalctl takes it (`err`, `warning..emerg`, `3`).
    pub priority: Option<String>,
    /// `-D DIR`: journal files in a directory.
    pub directory: Option<PathBuf>,
    /// `--file FILE`, repeatable.
    pub files: Vec<PathBuf>,
    /// Entries of backlog (`-n`) when there is no `since`; `None`: all.
    pub lines: Option<u64>,
    pub follow: bool,
    /// Where each writer's unit is recorded for filling remedies, when someone wants it.
    pub contexts: Option<Arc<crate::fill_context::Contexts>>,
    /// The program to run (tests point it elsewhere); default `journalctl`.
    pub program: Option<PathBuf>,
}

impl JournalOptions {
    fn command(&self, cursor: Option<&str>) -> Command {
        let mut cmd = Command::new(
            self.program
                .clone()
                .unwrap_or_else(|| PathBuf::from("journalctl")),
        );
        cmd.args(["--output=json", "--no-pager"]);
        if self.follow {
            cmd.arg("--follow");
        }
        for unit in &self.units {
            cmd.args(["--unit", unit]);
        }
        if self.kernel {
            cmd.arg("--dmesg");
        }
        if let Some(priority) = &self.priority {
            cmd.args(["--priority", priority]);
        }
        if let Some(dir) = &self.directory {
            cmd.arg("--directory").arg(dir);
        }
        for file in &self.files {
            cmd.arg("--file").arg(file);
        }
        match cursor {
            Some(cursor) => {
                cmd.args(["--after-cursor", cursor]);
            }
            None => {
                if let Some(since) = self.since {
                    cmd.arg(format!("--since=@{}", since.as_second()));
                } else if let Some(n) = self.lines {
                    cmd.arg(format!("--lines={n}"));
                } else if self.follow {
                    cmd.arg("--lines=all");
                }
            }
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .env("SYSTEMD_COLORS", "0")
            .env("LC_ALL", "C.UTF-8");
        children::die_with_parent(&mut cmd);
        cmd
    }
}

/// A line of triage's own about the journal (journalctl failed, no permission), at error
/// level, written by `triage`.
fn own_line(text: &str) -> LiveLine {
    own_line_at(text, 3)
}

/// A line of triage's own at a syslog priority (3 error, 5 notice).
fn own_line_at(text: &str, priority: u8) -> LiveLine {
    LiveLine {
        origin: Arc::from("journal"),
        fields: LineFields {
            ts: Some(Timestamp::now()),
            label: Some(Arc::from("triage")),
            priority: Some(priority),
            ..LineFields::default()
        },
        text: text.as_bytes().to_vec(),
    }
}

/// How long a followed journal may stay silent at the start before triage says why.
const QUIET_BEFORE_NOTE: Duration = Duration::from_secs(2);

/// Where journald keeps its files: persistent, then volatile (see `Storage=` in
/// journald.conf(5)).
const SYSTEM_JOURNAL_DIRS: [&str; 2] = ["/var/log/journal", "/run/log/journal"];

/// What the journal's directories hold, as far as this user can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JournalFiles {
    /// `*.journal` files found.
    pub found: usize,
    /// Of those, how many this user can open.
    pub readable: usize,
}

impl JournalFiles {
    /// Look for `*.journal` files in `dirs` and their subdirectories (journald writes them
    /// under `<dir>/<machine-id>/`).
    pub fn probe<P: AsRef<Path>>(dirs: &[P]) -> JournalFiles {
        let mut files = JournalFiles::default();
        let look = |dir: &Path, files: &mut JournalFiles| -> Vec<PathBuf> {
            let mut subdirs = Vec::new();
            let Ok(entries) = std::fs::read_dir(dir) else {
                return subdirs;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    subdirs.push(path);
                } else if path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(".journal") || n.ends_with(".journal~"))
                {
                    files.found += 1;
                    if std::fs::File::open(&path).is_ok() {
                        files.readable += 1;
                    }
                }
            }
            subdirs
        };
        for dir in dirs {
            for sub in look(dir.as_ref(), &mut files) {
                look(&sub, &mut files);
            }
        }
        files
    }
}

/// Why the journal showed no entry, and what to do, from what was asked (`options`), what
/// the journal's directories hold (`files`, of the directory asked for or the system's) and
/// whether this user is root.
pub fn nothing_read(options: &JournalOptions, files: JournalFiles, root: bool) -> String {
    let mut filters = Vec::new();
    for unit in &options.units {
        filters.push(format!("-u {unit}"));
    }
    if options.kernel {
        filters.push("-k".to_string());
    }
    if let Some(priority) = &options.priority {
        filters.push(format!("priority {priority}"));
    }
    if let Some(since) = options.since {
        filters.push(format!("since {}", since.strftime("%Y-%m-%d %H:%M:%S UTC")));
    }
    let filtered = if filters.is_empty() {
        String::new()
    } else {
        format!(" matching {}", filters.join(", "))
    };
    if let Some(dir) = &options.directory {
        let dir = dir.display();
        return if files.found == 0 {
            format!(
                "no journal entries: no journal files in {dir} (journald writes *.journal files \
                 under /var/log/journal/<machine-id>/ or /run/log/journal/<machine-id>/)"
            )
        } else if files.readable == 0 {
            format!(
                "no journal entries: the journal files in {dir} are not readable by you \
                 (read them with sudo, or join group systemd-journal)"
            )
        } else {
            format!("no journal entries{filtered} in {dir}")
        };
    }
    if !options.files.is_empty() {
        return format!("no journal entries{filtered} in the journal files given");
    }
    if files.found == 0 {
        return "no journal entries: no journal files in /var/log/journal or /run/log/journal. \
                journald keeps them in /var/log/journal (across reboots) or /run/log/journal \
                (until reboot), as `Storage=` in /etc/systemd/journald.conf says: `persistent` \
                keeps them, `none` keeps nothing, `auto` keeps them only if /var/log/journal \
                exists (`sudo mkdir -p /var/log/journal; sudo systemctl restart \
                systemd-journald`). Is journald running: `systemctl status systemd-journald`"
            .to_string();
    }
    if files.readable == 0 && !root {
        return "no journal entries you may read: the system journal is readable by root and \
                the groups systemd-journal and adm only. Join one (`sudo usermod -aG \
                systemd-journal $USER`, then log in again) or run triage with sudo"
            .to_string();
    }
    if filtered.is_empty() {
        "no journal entries (the journal files hold none yet)".to_string()
    } else {
        format!("no journal entries{filtered}")
    }
}

/// Read (and follow) the journal until the receiver goes away.
pub async fn run(options: JournalOptions, tx: Tx) {
    let mut cursor: Option<String> = None;
    let mut backoff = Backoff::default();
    // Whether an entry was read, or the empty journal explained: said once.
    let mut told = false;
    loop {
        let state = if options.follow {
            SourceState::Live
        } else {
            SourceState::Loading {
                done: 0,
                total: None,
            }
        };
        if tx.send(SourceMsg::State(state)).await.is_err() {
            return;
        }
        let mut child = match options.command(cursor.as_deref()).spawn() {
            Ok(child) => child,
            Err(err) => {
                let why = if err.kind() == std::io::ErrorKind::NotFound {
                    "journalctl: command not found (No such file or directory)".to_string()
                } else {
                    format!("journalctl: cannot start: {err}")
                };
                let _ = tx.send(SourceMsg::Lines(vec![own_line(&why)])).await;
                let _ = tx.send(SourceMsg::State(SourceState::Failed(why))).await;
                return;
            }
        };
        let pid = child.id();
        if let Some(pid) = pid {
            children::register(pid);
        }
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        // journalctl's complaints, as lines of their own.
        let complaints = {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    if !line.trim().is_empty()
                        && tx
                            .send(SourceMsg::Lines(vec![own_line(&format!(
                                "journalctl: {line}"
                            ))]))
                            .await
                            .is_err()
                    {
                        return;
                    }
                }
            })
        };
        // Following, a journal silent from the start is explained after a moment (it may
        // only be slow); read once, when journalctl has ended.
        let quiet = (options.follow && !told).then_some(QUIET_BEFORE_NOTE);
        let read = read_entries(stdout, &tx, &mut cursor, quiet, &options).await;
        let status = child.wait().await;
        let _ = complaints.await;
        if let Some(pid) = pid {
            children::unregister(pid);
        }
        let read = match read {
            Read::Gone => return,
            Read::Ended { entries, told: t } => {
                told |= t || entries > 0;
                entries
            }
        };
        if read == 0 && !told {
            told = true;
            if !tell_nothing_read(&tx, &options).await {
                return;
            }
        }
        if !options.follow {
            let state = match status {
                Ok(s) if s.success() => SourceState::Loaded,
                Ok(s) => SourceState::Failed(format!("journalctl exited with {s}")),
                Err(err) => SourceState::Failed(err.to_string()),
            };
            let _ = tx.send(SourceMsg::State(state)).await;
            return;
        }
        let wait = backoff.next_wait();
        let why = match status {
            Ok(s) => format!("journalctl exited ({s}); restarting in {}s", wait.as_secs()),
            Err(err) => format!("journalctl: {err}; restarting in {}s", wait.as_secs()),
        };
        if tx
            .send(SourceMsg::State(SourceState::Waiting(why)))
            .await
            .is_err()
        {
            return;
        }
        tokio::time::sleep(wait).await;
    }
}

/// Say in the pane, and to `scan` as a note, why the journal showed nothing. False if the
/// receiver has gone.
async fn tell_nothing_read(tx: &Tx, options: &JournalOptions) -> bool {
    let files = match &options.directory {
        Some(dir) => JournalFiles::probe(&[dir]),
        None => JournalFiles::probe(&SYSTEM_JOURNAL_DIRS),
    };
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let why = nothing_read(options, files, root);
    // The line's source column already says `triage`.
    tx.send(SourceMsg::Lines(vec![own_line_at(&why, 5)]))
    .await
    .is_ok()
        && tx
            .send(SourceMsg::State(SourceState::Waiting(why)))
            .await
            .is_ok()
        // Following, the pane stays live: entries that come later are shown.
        && (!options.follow
            || tx
                .send(SourceMsg::State(SourceState::Live))
                .await
                .is_ok())
}

/// How a journalctl run's output ended.
enum Read {
    /// The receiver has gone.
    Gone,
    /// journalctl's output ended after `entries` entries; `told`: the silence was explained
    /// while it ran.
    Ended { entries: u64, told: bool },
}

/// Read journalctl's JSON until it ends, sending entries in batches. With `quiet`, a run
/// that sends nothing for that long at the start has its silence explained.
async fn read_entries(
    stdout: tokio::process::ChildStdout,
    tx: &Tx,
    cursor: &mut Option<String>,
    quiet: Option<Duration>,
    options: &JournalOptions,
) -> Read {
    let mut reader = BufReader::with_capacity(256 * 1024, stdout);
    let mut told = false;
    if let Some(quiet) = quiet
        && tokio::time::timeout(quiet, reader.fill_buf())
            .await
            .is_err()
    {
        told = true;
        if !tell_nothing_read(tx, options).await {
            return Read::Gone;
        }
    }
    let mut raw = Vec::new();
    let mut batch = Vec::new();
    let mut entries = 0;
    let origin: Arc<str> = Arc::from("journal");
    loop {
        raw.clear();
        let n = reader.read_until(b'\n', &mut raw).await.unwrap_or_default();
        if n > 0 {
            let line = raw.strip_suffix(b"\n").unwrap_or(&raw);
            if let Ok(entry) = journal::parse_json(line) {
                entries += 1;
                if entry.cursor.is_some() {
                    cursor.clone_from(&entry.cursor);
                }
                if let (Some(contexts), Some(writer), Some(unit)) =
                    (&options.contexts, entry.label(), &entry.unit)
                {
                    contexts.record_unit(&writer, unit);
                }
                for (text, fields) in entry.lines() {
                    batch.push(LiveLine {
                        origin: origin.clone(),
                        fields,
                        text: text.to_vec(),
                    });
                }
            }
        }
        // Send when nothing more is waiting (or the batch is big): one message per burst.
        let burst_over = n == 0 || reader.buffer().is_empty() || batch.len() >= 1024;
        if !batch.is_empty() && burst_over {
            let lines = std::mem::take(&mut batch);
            if tx.send(SourceMsg::Lines(lines)).await.is_err() {
                return Read::Gone;
            }
        }
        if n == 0 {
            return Read::Ended { entries, told };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_finds_journal_files_under_machine_id_directories() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(JournalFiles::probe(&[dir.path()]), JournalFiles::default());
        let machine = dir.path().join("0123456789abcdef");
        std::fs::create_dir(&machine).unwrap();
        std::fs::write(machine.join("system.journal"), b"").unwrap();
        std::fs::write(machine.join("notes.txt"), b"").unwrap();
        assert_eq!(
            JournalFiles::probe(&[dir.path()]),
            JournalFiles {
                found: 1,
                readable: 1
            }
        );
    }

    #[test]
    fn the_system_journal_says_where_files_go_and_who_may_read_them() {
        let system = JournalOptions::default();
        let none = nothing_read(&system, JournalFiles::default(), false);
        for needed in [
            "/var/log/journal",
            "/run/log/journal",
            "Storage=",
            "journald.conf",
        ] {
            assert!(none.contains(needed), "{needed}: {none}");
        }
        let unreadable = JournalFiles {
            found: 3,
            readable: 0,
        };
        let not_allowed = nothing_read(&system, unreadable, false);
        assert!(
            not_allowed.contains("systemd-journal") && not_allowed.contains("adm"),
            "{not_allowed}"
        );
        // root reads every file: the groups are not the reason.
        assert!(!nothing_read(&system, unreadable, true).contains("usermod"));
        let filtered = JournalOptions {
            units: vec!["mysql.service".into()],
            kernel: true,
            ..JournalOptions::default()
        };
        let readable = JournalFiles {
            found: 3,
            readable: 3,
        };
        assert_eq!(
            nothing_read(&filtered, readable, false),
            "no journal entries matching -u mysql.service, -k"
        );
    }
}
