//! A directory given as a log (`triage scan /var/log`, `triage /var/lib/docker/containers`):
//! every file under it, recursively, in name order, except what cannot be a log — binary
//! files, binary journal files, what cannot be read, and special files (a FIFO or a device
//! would block or never end). What was left out is counted and said, never silently dropped.

use std::{
    fmt,
    fs::File,
    io::Read,
    path::{Path, PathBuf},
};

use crate::{input::Compression, sanitize};

/// Why a file under a directory was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// NUL bytes in its first block, and no compression or text encoding that explains them.
    Binary,
    /// A systemd journal file: `journalctl --file` reads it.
    Journal,
    /// Could not be opened or listed; the reason.
    Unreadable(String),
    /// A FIFO, socket or device.
    Special,
}

impl Skipped {
    fn kind(&self) -> &'static str {
        match self {
            Skipped::Binary => "binary",
            Skipped::Journal => "binary journal",
            Skipped::Unreadable(_) => "unreadable",
            Skipped::Special => "special",
        }
    }
}

/// What walking one directory found.
#[derive(Debug, Default)]
pub struct Walk {
    pub root: PathBuf,
    /// Files to read, in name order.
    pub files: Vec<PathBuf>,
    pub skipped: Vec<(PathBuf, Skipped)>,
}

/// How many bytes at the start of a file decide whether it is text.
const SNIFF: u64 = 8192;

/// Walk `root` recursively (following symbolic links; a loop is reported, not followed).
pub fn walk(root: &Path) -> Walk {
    let mut found = Walk {
        root: root.to_path_buf(),
        ..Walk::default()
    };
    let entries = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let why = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                found.skipped.push((path, Skipped::Unreadable(why)));
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        let path = entry.into_path();
        if !kind.is_file() {
            found.skipped.push((path, Skipped::Special));
            continue;
        }
        match classify(&path) {
            None => found.files.push(path),
            Some(why) => found.skipped.push((path, why)),
        }
    }
    found
}

/// Whether a regular file is to be skipped, and why, from its first bytes.
fn classify(path: &Path) -> Option<Skipped> {
    let mut head = Vec::with_capacity(SNIFF as usize);
    let read = File::open(path).and_then(|f| f.take(SNIFF).read_to_end(&mut head));
    if let Err(err) = read {
        return Some(Skipped::Unreadable(err.to_string()));
    }
    if head.starts_with(b"LPKSHHRH") {
        return Some(Skipped::Journal);
    }
    // Compressed logs are read through their decoder; UTF-16 has NULs in every other byte;
    // `journalctl -o export` writes binary fields (with NULs) between its text fields.
    let explained = Compression::of(&head).is_some()
        || head.starts_with(&[0xff, 0xfe])
        || head.starts_with(&[0xfe, 0xff])
        || crate::parse::sniff(head.split(|&b| b == b'\n').next().unwrap_or(&[]))
            == crate::parse::LogFormat::JournalExport;
    (!explained && memchr::memchr(0, &head).is_some()).then_some(Skipped::Binary)
}

impl fmt::Display for Walk {
    /// `/var/log: 41 files read, 5 skipped (3 binary: wtmp, btmp, lastlog; 2 unreadable: …)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |path: &Path| {
            let shown = path.strip_prefix(&self.root).unwrap_or(path);
            sanitize::path_name(shown)
        };
        write!(
            f,
            "{}: {} file{} read, {} skipped",
            sanitize::path_name(&self.root),
            self.files.len(),
            if self.files.len() == 1 { "" } else { "s" },
            self.skipped.len()
        )?;
        if self.skipped.is_empty() {
            return Ok(());
        }
        let mut kinds: Vec<&'static str> = self.skipped.iter().map(|(_, s)| s.kind()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut parts = Vec::new();
        for kind in kinds {
            let of_kind: Vec<_> = self
                .skipped
                .iter()
                .filter(|(_, s)| s.kind() == kind)
                .collect();
            // A few names of each kind; the reason for the unreadable ones.
            let mut names: Vec<String> = of_kind
                .iter()
                .take(3)
                .map(|(path, why)| match why {
                    Skipped::Unreadable(reason) => format!("{} ({reason})", name(path)),
                    _ => name(path),
                })
                .collect();
            if of_kind.len() > 3 {
                names.push(format!("{} more", of_kind.len() - 3));
            }
            parts.push(format!("{} {kind}: {}", of_kind.len(), names.join(", ")));
        }
        write!(f, " ({})", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_is_read_recursively_and_what_is_skipped_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("nginx")).unwrap();
        std::fs::write(root.join("syslog"), "Nov 28 14:03:05 vm kernel: hi\n").unwrap();
        std::fs::write(root.join("nginx/error.log"), "x\n").unwrap();
        std::fs::write(root.join("wtmp"), b"\x07\x00\x00\x00\x01\x02").unwrap();
        std::fs::write(root.join("system.journal"), b"LPKSHHRH\x00\x00").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"old\n").unwrap();
        std::fs::write(root.join("syslog.2.gz"), gz.finish().unwrap()).unwrap();
        let fifo = root.join("pipe");
        let c_path = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        let walked = walk(root);
        let names: Vec<_> = walked
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["nginx/error.log", "syslog", "syslog.2.gz"]);
        let said = walked.to_string();
        assert!(
            said.ends_with(
                ": 3 files read, 3 skipped (1 binary: wtmp; 1 binary journal: system.journal; 1 special: pipe)"
            ),
            "{said}"
        );
    }
}
