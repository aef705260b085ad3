//! The catalogue of known errors: built-in entries (compiled into the binary) plus the user's
//! own, layered so that a later layer replaces an entry of an earlier one by id.

mod check;
mod coverage;
mod load;
mod model;
pub mod new;

use std::{
    collections::HashMap,
    fs,
    path::{Path, PathBuf},
};

pub use check::{CheckReport, check, check_only, uncovered};
pub use load::{PatternError, parse_file};
pub use model::{
    Entry, Lang, Origin, Part, RemedyStep, Severity, SourceKind, Text, chosen_option, option_count,
    reads_as_alternative, remedy_parts, steps_with_option,
};

use crate::embedded::BUILTIN_PATTERNS;

/// A loaded catalogue. Entry order is stable (file name, then position in the file), and an
/// entry's index is how the matcher and the rest of the program refer to it.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: Vec<Entry>,
    by_id: HashMap<String, usize>,
}

/// Where catalogue files come from, in increasing precedence.
#[derive(Debug, Clone, Default)]
pub struct CatalogueSources {
    /// Include the built-in entries.
    pub builtin: bool,
    /// Directories read if they exist (the user's config dir).
    pub optional_dirs: Vec<PathBuf>,
    /// Directories that must exist (`--patterns DIR`).
    pub dirs: Vec<PathBuf>,
}

impl CatalogueSources {
    /// Built-in entries, then `$XDG_CONFIG_HOME/triage/patterns` (or `~/.config/…`), then `dirs`.
    pub fn standard(dirs: Vec<PathBuf>) -> CatalogueSources {
        CatalogueSources {
            builtin: true,
            optional_dirs: user_config_dir().into_iter().collect(),
            dirs,
        }
    }
}

/// `$XDG_CONFIG_HOME/triage/patterns`, falling back to `$HOME/.config/triage/patterns`.
pub fn user_config_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    Some(base.join("triage").join("patterns"))
}

impl Catalogue {
    /// Load every layer. Broken files and entries are reported and skipped; everything else loads.
    pub fn load(sources: &CatalogueSources) -> (Catalogue, Vec<PatternError>) {
        let mut catalogue = Catalogue::default();
        let mut errors = Vec::new();
        if sources.builtin {
            let files = BUILTIN_PATTERNS
                .iter()
                .map(|(name, text)| (name.to_string(), Ok(text.to_string())));
            catalogue.add_layer(files, &mut errors, false);
        }
        for dir in &sources.optional_dirs {
            if dir.is_dir() {
                catalogue.add_layer(read_dir_files(dir, &mut errors), &mut errors, true);
            }
        }
        for dir in &sources.dirs {
            catalogue.add_layer(read_dir_files(dir, &mut errors), &mut errors, true);
        }
        (catalogue, errors)
    }

    /// The built-in catalogue alone.
    pub fn builtin() -> (Catalogue, Vec<PatternError>) {
        Catalogue::load(&CatalogueSources {
            builtin: true,
            ..CatalogueSources::default()
        })
    }

    /// One directory alone, as `triage patterns check DIR` sees it.
    pub fn from_dir(dir: &Path) -> (Catalogue, Vec<PatternError>) {
        Catalogue::load(&CatalogueSources {
            dirs: vec![dir.to_path_buf()],
            ..CatalogueSources::default()
        })
    }

    /// Add one layer: within it an id may appear once; across layers the later one wins.
    /// With `compile`, each regex is compiled as the matcher will run it, and an entry with
    /// one that does not compile (over the size limit: `a{1000}{1000}` parses fine) is
    /// reported and skipped; else it would load and silently never match. The user's files
    /// get this; the built-in ones are checked by the tests, and compiling them all would cost
    /// most of the start-up time.
    fn add_layer(
        &mut self,
        files: impl IntoIterator<Item = (String, Result<String, PatternError>)>,
        errors: &mut Vec<PatternError>,
        compile: bool,
    ) {
        let mut seen_in_layer: HashMap<String, Origin> = HashMap::new();
        for (name, text) in files {
            let text = match text {
                Ok(text) => text,
                Err(err) => {
                    errors.push(err);
                    continue;
                }
            };
            let (entries, file_errors) = parse_file(&name, &text);
            errors.extend(file_errors);
            for entry in entries {
                if compile {
                    if let Err(err) = compile_regexes(&entry) {
                        errors.push(err);
                        continue;
                    }
                }
                if let Some(first) = seen_in_layer.get(&entry.id) {
                    errors.push(PatternError {
                        file: entry.origin.file.clone(),
                        line: entry.origin.line,
                        entry: Some(entry.id.clone()),
                        message: format!(
                            "duplicate id: already defined at {first}; this one is ignored"
                        ),
                    });
                    continue;
                }
                seen_in_layer.insert(entry.id.clone(), entry.origin.clone());
                self.insert(entry);
            }
        }
    }

    /// Add an entry, replacing one with its id (a drafted entry joining the catalogue).
    pub fn insert_entry(&mut self, entry: Entry) {
        self.insert(entry);
    }

    fn insert(&mut self, entry: Entry) {
        match self.by_id.get(&entry.id) {
            Some(&index) => self.entries[index] = entry,
            None => {
                self.by_id.insert(entry.id.clone(), self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries that name `id` in their `leads_to`: what typically comes before it.
    pub fn comes_from(&self, id: &str) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(move |e| e.leads_to.iter().any(|next| next == id))
    }
}

/// Compile each regex of `entry` as the matcher will; the first that fails, located.
fn compile_regexes(entry: &Entry) -> Result<(), PatternError> {
    for (pattern, &line) in entry.regex.iter().zip(&entry.regex_lines) {
        if let Err(why) = crate::matcher::check_regex(pattern) {
            return Err(PatternError {
                file: entry.origin.file.clone(),
                line,
                entry: Some(entry.id.clone()),
                message: format!(
                    "regex does not compile: {}",
                    why.lines().next().unwrap_or(&why).trim()
                ),
            });
        }
    }
    Ok(())
}

/// The bytes of `path` if it is a regular file. A FIFO, socket or device named `*.toml` is
/// refused, not read: reading a FIFO would wait forever for a writer and hang start-up. It is
/// opened without blocking and checked on the handle, so it cannot be swapped in between.
fn read_regular_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::{io::Read, os::unix::fs::OpenOptionsExt};
    let mut file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(std::io::Error::other(format!(
            "not a regular file ({}); skipped",
            describe_file_type(kind)
        )));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn describe_file_type(kind: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a file"
    }
}

/// `*.toml` files of a directory, sorted by name; unreadable ones become errors.
fn read_dir_files(
    dir: &Path,
    errors: &mut Vec<PatternError>,
) -> Vec<(String, Result<String, PatternError>)> {
    let io_error = |path: &Path, err: std::io::Error| PatternError {
        file: path.display().to_string(),
        line: 0,
        entry: None,
        message: format!("cannot read: {err}"),
    };
    let mut paths: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(read_dir) => read_dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
            .collect(),
        Err(err) => {
            errors.push(io_error(dir, err));
            return Vec::new();
        }
    };
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path.display().to_string();
            let text = read_regular_file(&path)
                .map_err(|err| io_error(&path, err))
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|err| PatternError {
                        file: name.clone(),
                        line: load::line_of(
                            &String::from_utf8_lossy(err.as_bytes()),
                            err.utf8_error().valid_up_to(),
                        ),
                        entry: None,
                        message: "not valid UTF-8".to_string(),
                    })
                });
            (name, text)
        })
        .collect()
}
