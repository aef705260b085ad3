//! The journal through journalctl: `journalctl --output=json` (followed, or read once),
//! parsed entry by entry. If journalctl exits while following, it is started again after the
//! last entry's cursor, so nothing is lost or doubled. journalctl's own complaints (no
//! permission, no journal files) become lines the catalogue explains.

use std::{path::PathBuf, process::Stdio, sync::Arc};

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
    LiveLine {
        origin: Arc::from("journal"),
        fields: LineFields {
            ts: Some(Timestamp::now()),
            label: Some(Arc::from("triage")),
            priority: Some(3),
            ..LineFields::default()
        },
        text: text.as_bytes().to_vec(),
    }
}

/// Read (and follow) the journal until the receiver goes away.
pub async fn run(options: JournalOptions, tx: Tx) {
    let mut cursor: Option<String> = None;
    let mut backoff = Backoff::default();
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
        let gone = read_entries(stdout, &tx, &mut cursor).await;
        let status = child.wait().await;
        let _ = complaints.await;
        if let Some(pid) = pid {
            children::unregister(pid);
        }
        if gone {
            return;
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

/// Read journalctl's JSON until it ends, sending entries in batches. Returns true if the
/// receiver has gone.
async fn read_entries(
    stdout: tokio::process::ChildStdout,
    tx: &Tx,
    cursor: &mut Option<String>,
) -> bool {
    let mut reader = BufReader::with_capacity(256 * 1024, stdout);
    let mut raw = Vec::new();
    let mut batch = Vec::new();
    let origin: Arc<str> = Arc::from("journal");
    loop {
        raw.clear();
        let n = reader.read_until(b'\n', &mut raw).await.unwrap_or_default();
        if n > 0 {
            let line = raw.strip_suffix(b"\n").unwrap_or(&raw);
            if let Ok(entry) = journal::parse_json(line) {
                if entry.cursor.is_some() {
                    cursor.clone_from(&entry.cursor);
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
                return true;
            }
        }
        if n == 0 {
            return false;
        }
    }
}
