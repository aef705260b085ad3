//! A big plain log is read on demand: the viewer keeps its line index and a bounded cache of
//! its bytes, not the file. Through the real binary in tmux: the whole file opens, its last
//! line and text near both ends are found, the viewer's peak memory stays far below the
//! file's size, and lines whose bytes the file no longer holds say so while their hits stay.

use std::{
    io::Write,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use crate::terminal::{TRIAGE, Tmux};

/// What a line whose bytes are gone says (src/ondemand.rs).
const UNAVAILABLE: &str = "[file shrank: line no longer available]";

/// Write about `bytes` bytes of log: `head` lines, filler, `middle` lines at the middle, filler,
/// then `tail` lines.
fn write_log(path: &Path, bytes: usize, head: &[&str], middle: &[&str], tail: &[&str]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for line in head {
        writeln!(out, "{line}").unwrap();
    }
    let mut chunk = Vec::with_capacity(1 << 20);
    let mut n = 0u64;
    while chunk.len() < (1 << 20) - 200 {
        n += 1;
        writeln!(
            chunk,
            "2026-11-30T10:00:00Z filler line {n:08} of a log far bigger than the viewer's cache of its bytes"
        )
        .unwrap();
    }
    let chunks = bytes / chunk.len();
    for c in 0..chunks {
        if c == chunks / 2 {
            for line in middle {
                writeln!(out, "{line}").unwrap();
            }
        }
        out.write_all(&chunk).unwrap();
    }
    for line in tail {
        writeln!(out, "{line}").unwrap();
    }
    out.flush().unwrap();
}

/// Start the viewer on `log` in `tmux`, its process id written to `viewer.pid`.
fn start_viewer(tmux: &Tmux, log: &str) -> u32 {
    tmux.run(&format!("cd {}", tmux.dir().display()));
    tmux.run(&format!(
        "sh -c 'echo $$ > viewer.pid; exec {TRIAGE} {log}'; echo EXIT=$?"
    ));
    let pid_file = tmux.dir().join("viewer.pid");
    crate::common::wait_for("the viewer's pid", Duration::from_secs(30), || {
        std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
    })
}

/// Press `G` until the file's last line is on screen: the whole file has been read.
fn go_to_the_last_line(tmux: &Tmux, last: &str) -> String {
    // A 256 MiB file takes a while in a debug build on a shared machine.
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        tmux.keys(&["G"]);
        std::thread::sleep(Duration::from_millis(500));
        let screen = tmux.screen();
        if screen.contains(last) && !screen.contains("%]") {
            return screen;
        }
        assert!(
            Instant::now() < deadline,
            "the last line never came; screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_secs(2));
    }
}

/// The viewer's peak resident set (`VmHWM`), in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM in /proc/PID/status");
    kib * 1024
}

fn search(tmux: &Tmux, text: &str) {
    tmux.keys(&["/"]);
    tmux.keys(&["-l", text]);
    tmux.keys(&["Enter"]);
}

/// Before: read into memory, a pane stopped at a quarter of RAM and a 256 MiB log cost 256
/// MiB and more. Now it opens whole, and costs its index and the cache.
#[test]
fn a_file_far_bigger_than_the_cache_opens_whole_is_searched_at_both_ends_in_bounded_memory() {
    const FILE: usize = 256 << 20;
    const BOUND: u64 = 100 << 20;
    let tmux = Tmux::new(160, 40);
    write_log(
        &tmux.dir().join("big.log"),
        FILE,
        &[
            "2026-11-30T10:00:00Z FIRST-LINE of the big log",
            "2026-11-30T10:00:00Z NEAR-START-MARKER close to the start",
        ],
        &[],
        &[
            "2026-11-30T10:00:01Z NEAR-END-MARKER close to the end",
            "2026-11-30T10:00:01Z LAST-LINE of the big log",
        ],
    );
    let pid = start_viewer(&tmux, "big.log");
    tmux.wait_for("the first line", |s| s.contains("FIRST-LINE"));
    let screen = go_to_the_last_line(&tmux, "LAST-LINE");
    assert!(!screen.contains(UNAVAILABLE), "{screen}");
    assert!(
        !screen.contains("stopped after"),
        "the pane stopped at its budget:\n{screen}"
    );

    // From the end, forward: nothing; backward: the line near the start, 256 MiB away.
    search(&tmux, "NEAR-START-MARKER");
    tmux.wait_for("no match after the end", |s| s.contains("No more matches"));
    tmux.keys(&["<"]);
    let screen = tmux.wait_for("the line near the start", |s| {
        s.contains("NEAR-START-MARKER") && s.contains("FIRST-LINE")
    });
    assert!(!screen.contains(UNAVAILABLE), "{screen}");
    // And forward again, through the whole file, to the line near the end.
    search(&tmux, "NEAR-END-MARKER");
    let screen = tmux.wait_for("the line near the end", |s| {
        s.contains("NEAR-END-MARKER") && s.contains("LAST-LINE")
    });
    assert!(!screen.contains(UNAVAILABLE), "{screen}");

    let peak = peak_rss(pid);
    eprintln!(
        "viewer peak RSS {} MiB for a {} MiB file",
        peak >> 20,
        FILE >> 20
    );
    assert!(
        peak < BOUND,
        "peak RSS {} MiB, bound {} MiB",
        peak >> 20,
        BOUND >> 20
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the exit", |s| s.contains("EXIT=0"));
}

/// The file cut to nothing while it is shown: lines whose bytes were dropped from the cache
/// say so (never another line's text, never a crash), the lines still held are shown, and the
/// hits stay with their text.
#[test]
fn a_file_cut_while_shown_marks_dropped_lines_unavailable_and_keeps_the_hits() {
    let tmux = Tmux::new(160, 40);
    let log = tmux.dir().join("cut.log");
    write_log(
        &log,
        96 << 20,
        &["2026-11-30T10:00:00Z FIRST-LINE of the log"],
        &["2026-11-30T10:00:00Z MIDDLE-HIT write /var/lib/app/db: No space left on device"],
        &["2026-11-30T10:00:01Z LAST-LINE of the log"],
    );
    start_viewer(&tmux, "cut.log");
    tmux.wait_for("the first line", |s| s.contains("FIRST-LINE"));
    go_to_the_last_line(&tmux, "LAST-LINE");
    tmux.keys(&["g"]);
    tmux.wait_for("the first line again", |s| s.contains("FIRST-LINE"));
    let status = Command::new("truncate")
        .args(["-s", "0"])
        .arg(&log)
        .status()
        .unwrap();
    assert!(status.success());
    tmux.wait_for("the pane saying the file shrank", |s| {
        s.contains("lines read kept")
    });
    // The hit in the middle: its block was dropped from the cache and cannot be read again.
    tmux.keys(&["n"]);
    let screen = tmux.wait_for("the marker on the hit's line", |s| s.contains(UNAVAILABLE));
    assert!(!screen.contains("EXIT="), "the viewer ended:\n{screen}");
    // The lines still held are shown as they were read.
    tmux.keys(&["g"]);
    tmux.wait_for("the first line, held", |s| s.contains("FIRST-LINE"));
    // The hit is kept, with its text.
    tmux.keys(&["H"]);
    tmux.wait_for("the hit list with the hit's text", |s| {
        s.contains("MIDDLE-HIT") && s.contains("No space left")
    });
    tmux.keys(&["Escape"]);
    tmux.keys(&["q"]);
    tmux.wait_for("the exit", |s| s.contains("EXIT=0"));
}
