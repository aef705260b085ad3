//! The formats of issue 12 end to end through the `triage` binary: Docker's json-file logs
//! under their container's directory, compressed inputs by content, and what is never read
//! as text.

use crate::common::{COMMAND, Deadline, fixture, triage};

use std::io::Write;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The hits of `triage scan --format jsonl PATH…`, parsed.
fn jsonl_hits(paths: &[&std::path::Path]) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let out = triage()
        .args(["scan", "--format", "jsonl"])
        .args(paths)
        .output_within(COMMAND);
    let hits = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (out.status.code(), hits, stderr(&out))
}

/// A json-file log where Docker keeps it: the hit names the container from `config.v2.json`,
/// carries the record's stream and time, and its text is the unescaped message.
#[test]
fn a_docker_json_file_log_names_its_container() {
    let dir = tempfile::tempdir().unwrap();
    let id = "5fb8f23a0b0f941917d7b9a1386f38b200739b3d6e8e347441d07ae7d2f5e3c8";
    let container = dir.path().join(id);
    std::fs::create_dir(&container).unwrap();
    let log = container.join(format!("{id}-json.log"));
    std::fs::copy(fixture("formats/docker-json.log"), &log).unwrap();
    let (code, hits, err) = jsonl_hits(&[&log]);
    assert_eq!(code, Some(0), "{err}");
    let aborting = hits
        .iter()
        .find(|h| h["pattern"] == "mysql-server-aborting")
        .expect("the MySQL abort inside a json-file record is found");
    assert_eq!(aborting["source"], "5fb8f23a0b0f");
    assert_eq!(aborting["stream"], "stderr");
    assert_eq!(aborting["ts"], "2024-03-25T14:56:30.07397Z");
    assert_eq!(
        aborting["text"],
        "2024-03-25T14:56:30.073901Z 0 [ERROR] [MY-010119] [Server] Aborting"
    );
    std::fs::write(
        container.join("config.v2.json"),
        r#"{"ID":"5fb8f23a0b0f","Name":"/athena_eye_db"}"#,
    )
    .unwrap();
    let (_, hits, _) = jsonl_hits(&[&log]);
    assert!(
        hits.iter().all(|h| h["source"] == "athena_eye_db"),
        "{hits:?}"
    );
}

/// Each new fixture is read in its format: MySQL's and MariaDB's error logs keep their own
/// times, `systemctl status`'s journal lines are matched on their message.
#[test]
fn program_logs_keep_their_times() {
    let (code, hits, err) = jsonl_hits(&[
        &fixture("formats/mysql-error.log"),
        &fixture("formats/mariadb-error.log"),
        &fixture("formats/systemctl-status.txt"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let times: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| {
            (
                h["pattern"].as_str().unwrap(),
                h["ts"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert!(
        times.contains(&("mysql-server-aborting", "2018-09-07T11:25:29.698672Z")),
        "{times:?}"
    );
    assert!(
        times.contains(&("mysql-server-aborting", "2022-08-14T06:06:07Z")),
        "{times:?}"
    );
    let config = hits
        .iter()
        .find(|h| h["pattern"] == "nginx-config-error")
        .expect("nginx's [emerg] under systemctl status");
    assert_eq!(config["source"], "nginx");
    assert!(
        config["text"]
            .as_str()
            .unwrap()
            .contains("womginx nginx[12164]: nginx: ")
    );
}

/// xz, bzip2 and zstd are read by content whatever the name; a truncated stream and an
/// unsupported method are errors that name the file, and no byte of them is scanned as text.
#[test]
fn compressed_inputs_by_content_or_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(fixture("formats/mysql-error.log")).unwrap();
    let xz = dir.path().join("mysql.log.1");
    let mut encoder = liblzma::write::XzEncoder::new(Vec::new(), 6);
    encoder.write_all(&text).unwrap();
    let xz_bytes = encoder.finish().unwrap();
    std::fs::write(&xz, &xz_bytes).unwrap();
    let bz = dir.path().join("mysql.bz");
    let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    encoder.write_all(&text).unwrap();
    std::fs::write(&bz, encoder.finish().unwrap()).unwrap();
    let zst = dir.path().join("mysql.log.gz"); // a name that lies
    std::fs::write(&zst, zstd::encode_all(&text[..], 3).unwrap()).unwrap();
    let (plain_code, plain, _) = jsonl_hits(&[&fixture("formats/mysql-error.log")]);
    assert_eq!(plain_code, Some(0));
    for path in [&xz, &bz, &zst] {
        let (code, hits, err) = jsonl_hits(&[path]);
        assert_eq!(code, Some(0), "{}: {err}", path.display());
        let strip = |hits: &[serde_json::Value]| -> Vec<(String, u64)> {
            hits.iter()
                .map(|h| (h["pattern"].to_string(), h["line"].as_u64().unwrap()))
                .collect()
        };
        assert_eq!(strip(&hits), strip(&plain), "{}", path.display());
    }

    let cut = dir.path().join("cut.xz");
    std::fs::write(&cut, &xz_bytes[..xz_bytes.len() - 20]).unwrap();
    let lz4 = dir.path().join("app.log.lz4");
    std::fs::write(&lz4, b"\x04\x22\x4d\x18\x64\x40\xa7 Aborting Aborting").unwrap();
    for (path, says) in [
        (&cut, "cut.xz"),
        (&lz4, "compressed with lz4, which triage does not read"),
    ] {
        let (code, hits, err) = jsonl_hits(&[path]);
        assert_eq!(code, Some(2), "{}", path.display());
        assert!(err.contains(says), "{err}");
        // What was decoded before the cut is kept (issue 8: nothing lost): those hits are
        // the first hits of the whole file, line for line (all of them when only the
        // stream's footer is missing); nothing else is reported.
        let key = |h: &serde_json::Value| {
            (
                h["pattern"].to_string(),
                h["line"].as_u64(),
                h["text"].to_string(),
            )
        };
        let whole: Vec<_> = plain.iter().map(key).collect();
        let got: Vec<_> = hits.iter().map(key).collect();
        assert!(whole.starts_with(&got), "{}: {got:?}", path.display());
    }
}

/// A directory argument is read recursively (compressed files too), by `scan` and by the
/// viewer's command line (here with stdout not a terminal, so it prints the hits); binary,
/// journal and special files are skipped and counted on stderr.
#[test]
fn a_directory_is_read_recursively_with_a_count_of_what_was_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("mysql")).unwrap();
    std::fs::copy(
        fixture("formats/mysql-error.log"),
        root.join("mysql/error.log"),
    )
    .unwrap();
    let maria = std::fs::read(fixture("formats/mariadb-error.log")).unwrap();
    std::fs::write(
        root.join("mysql/mariadb.log.1.zst"),
        zstd::encode_all(&maria[..], 3).unwrap(),
    )
    .unwrap();
    std::fs::write(root.join("wtmp"), b"\x07\x00\x00\x00\x01\x02Aborting").unwrap();
    std::fs::write(root.join("system.journal"), b"LPKSHHRH\x00\x00Aborting").unwrap();
    let fifo = root.join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status_within(COMMAND)
            .success()
    );
    let (code, hits, err) = jsonl_hits(&[root]);
    assert_eq!(code, Some(0), "{err}");
    let files: std::collections::BTreeSet<String> = hits
        .iter()
        .map(|h| {
            std::path::Path::new(h["file"].as_str().unwrap())
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["mysql/error.log", "mysql/mariadb.log.1.zst"]
    );
    assert!(
        err.contains(
            ": 2 files read, 3 skipped (1 binary: wtmp; 1 binary journal: system.journal; 1 special: fifo)"
        ),
        "{err}"
    );
    // The viewer's command line takes directories too.
    let out = triage().arg(root).output_within(COMMAND);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("mysql-server-aborting"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains(": 2 files read, 3 skipped"));
}

/// The viewer's source column: two logs in one pane show their file names, not a path cut
/// at the column's width; a file with no times at all says "no time"; and when the pane's
/// lines span days, times carry their date.
#[test]
fn the_time_and_source_columns_say_what_they_know() {
    use triage::{
        catalogue::Lang,
        loader::{LogData, LogFile},
    };
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("var/log/some/deep/directory");
    std::fs::create_dir_all(&deep).unwrap();
    let mysql = deep.join("mysql-error.log");
    std::fs::copy(fixture("formats/mysql-error.log"), &mysql).unwrap();
    let plain = deep.join("notes.txt");
    std::fs::write(&plain, "no time on this line\nnor on this one\n").unwrap();
    let open = |path: &std::path::Path| {
        LogFile::open(
            &path.to_string_lossy(),
            LogData::Path(path.to_path_buf()),
            None,
        )
        .unwrap()
    };
    let mut mysql_file = open(&mysql);
    let mut plain_file = open(&plain);
    // Both in the host pane, as `--host a --host b` would put them.
    mysql_file.format = triage::parse::LogFormat::MySqlError;
    plain_file.format = triage::parse::LogFormat::Plain;
    let app = crate::common::app_with(
        vec![mysql_file, plain_file],
        crate::common::options(Lang::En),
        160,
        40,
    );
    let screen = crate::common::screen_text(&app);
    // The MySQL log spans 2016 to 2024: dates are shown.
    assert!(screen.contains("04-16 08:29:13"), "{screen}");
    // File names, not cut paths.
    assert!(screen.contains("mysql-error.log"), "{screen}");
    assert!(!screen.contains("/var/log/some/d"), "{screen}");
    // A file with no times: its lines take the nearest time in the merged pane, so they are
    // shown with one; alone, its lines say they have none.
    let alone = crate::common::app_with(
        vec![open(&plain)],
        crate::common::options(Lang::En),
        120,
        20,
    );
    let screen = crate::common::screen_text(&alone);
    assert!(screen.contains("no time  "), "{screen}");
    assert!(screen.contains("no time on this line"), "{screen}");
}
