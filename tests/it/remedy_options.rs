//! A remedy's alternatives are options of one choice: the viewer shows the chosen one, `o`
//! takes the next, `y` copies the chosen option's commands and `Y` never copies two options;
//! `triage explain` lists them under "One of:"; a compose file in the current directory fills
//! the user's names.

use crate::common::{self, Deadline, app_with, options, press, screen_text, stdout, triage};
use triage::{
    app::Command,
    catalogue::{Lang, chosen_option, option_count},
    loader::{LogData, LogFile},
};

/// A log with one apt NO_PUBKEY line (the catalogue's own example): its remedy reads first,
/// then offers Docker's convenience script or Docker's key installed by hand.
fn nopubkey_app() -> triage::app::App {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("apt.log");
    std::fs::write(
        &path,
        "W: GPG error: https://download.docker.com/linux/debian bookworm InRelease: The following signatures couldn't be verified because the public key is not available: NO_PUBKEY 7EA0A9C3F273FCD8\n",
    )
    .unwrap();
    let file = LogFile::open("apt.log", LogData::Path(path), None).unwrap();
    let mut app = app_with(vec![file], options(Lang::En), 200, 60);
    if app.selected.is_none() {
        press(&mut app, "n");
    }
    app
}

#[test]
fn o_chooses_an_option_y_copies_it_and_y_never_copies_two() {
    let mut app = nopubkey_app();
    let entry = app.entry_of(app.selected.unwrap()).unwrap().clone();
    assert_eq!(entry.id, "apt-nopubkey");
    assert_eq!(option_count(&entry.remedy), 2);
    let script = chosen_option(&entry.remedy, 0).unwrap();
    let by_hand = chosen_option(&entry.remedy, 1).unwrap();
    // The panel shows the choice: the chosen option in full, the other by its label.
    let screen = screen_text(&app);
    assert!(screen.contains("One of: (o: next)"), "{screen}");
    assert!(
        screen.contains("▸ a) Docker's convenience script"),
        "{screen}"
    );
    assert!(screen.contains("  b) Docker's key by hand"), "{screen}");
    assert!(screen.contains(&script.run[0]), "{screen}");
    assert!(!screen.contains(&by_hand.run[0]), "{screen}");

    // `y`: the chosen option's commands.
    let copied = press(&mut app, "y");
    let [Command::Copy(text)] = copied.as_slice() else {
        panic!("{copied:?}")
    };
    assert_eq!(*text, script.run.join("\n"));
    // `Y`: the remedy in sequence with that option only.
    let copied = press(&mut app, "Y");
    let [Command::Copy(all)] = copied.as_slice() else {
        panic!("{copied:?}: {:?}", app.message)
    };
    assert!(all.starts_with(&entry.remedy[0].run[0]), "{all}");
    assert!(all.contains(&script.run[1]), "{all}");
    assert!(
        !all.contains(&by_hand.run[1]),
        "both options in one script:\n{all}"
    );

    // `o` takes the other: shown in full, copied by `y` (after the question its destructive
    // step asks), and `Y`'s script has it instead.
    press(&mut app, "o");
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("Option b) Docker's key by hand"),
        "{:?}",
        app.message
    );
    let screen = screen_text(&app);
    assert!(screen.contains("▸ b) Docker's key by hand"), "{screen}");
    assert!(
        screen.contains("  a) Docker's convenience script"),
        "{screen}"
    );
    assert!(by_hand.destructive);
    assert!(
        press(&mut app, "y").is_empty(),
        "a destructive option asks first"
    );
    let copied = press(&mut app, "y");
    let [Command::Copy(text)] = copied.as_slice() else {
        panic!("{copied:?}")
    };
    assert_eq!(*text, by_hand.run.join("\n"));
    assert!(press(&mut app, "Y").is_empty());
    let copied = press(&mut app, "Y");
    let [Command::Copy(all)] = copied.as_slice() else {
        panic!("{copied:?}")
    };
    assert!(
        all.contains(&by_hand.run[1]) && !all.contains(&script.run[0]),
        "{all}"
    );
    // And round again.
    press(&mut app, "o");
    assert!(screen_text(&app).contains("▸ a) Docker's convenience script"));
}

#[test]
fn y_says_which_placeholders_are_left_to_fill_in() {
    // apt-nopubkey's first command is complete; a remedy with a placeholder no source fills
    // is copied with `<name>` and the message says so.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mysql.log");
    std::fs::write(
        &path,
        "pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')\n",
    )
    .unwrap();
    let file = LogFile::open("mysql.log", LogData::Path(path), None).unwrap();
    let mut app = app_with(vec![file], options(Lang::En), 200, 60);
    if app.selected.is_none() {
        press(&mut app, "n");
    }
    let copied = press(&mut app, "y");
    let [Command::Copy(text)] = copied.as_slice() else {
        panic!("{copied:?}")
    };
    assert!(
        text.contains("<compose_file>") && text.contains("<db_service>"),
        "{text}"
    );
    let message = app.message.as_deref().unwrap();
    assert!(
        message.starts_with("Copied; fill in <compose_file>, <db_service> before running"),
        "{message}"
    );
}

#[test]
fn explain_lists_options_and_fills_names_from_the_compose_file_here() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "name: shop\nservices:\n  web:\n    image: nginx:1.25\n  api:\n    image: shop/api\n    command: gunicorn app:app\n  db:\n    image: mariadb:11\n",
    )
    .unwrap();
    let out = triage()
        .args(["explain", "mysql-lost-connection"])
        .current_dir(dir.path())
        .output_within(common::COMMAND);
    let card = stdout(&out);
    let file = std::path::absolute(dir.path().join("compose.yaml")).unwrap();
    assert!(
        card.contains(&format!(
            "$ sudo docker compose -f {} ps db",
            file.display()
        )),
        "{card}"
    );
    let out = triage()
        .args(["explain", "apt-nopubkey"])
        .current_dir(dir.path())
        .output_within(common::COMMAND);
    let card = stdout(&out);
    assert!(
        card.contains("  2. One of:\n     a) Docker's convenience script: "),
        "{card}"
    );
    assert!(
        card.contains("\n     b) Docker's key by hand: [DESTRUCTIVE] "),
        "{card}"
    );
    assert!(!card.contains("Alternative"), "{card}");
}

#[test]
fn patterns_check_rejects_an_alternative_that_is_not_an_option() {
    let dir = tempfile::tempdir().unwrap();
    let entry = |second: &str, third: &str| {
        format!(
            "[[entry]]\nid = \"x-alt\"\nseverity = \"error\"\ntitle.en = \"t\"\ncause.en = \"c\"\n\
             regex = ['zzzqq boom']\nexamples = [\"zzzqq boom\"]\n\
             [[entry.remedy]]\nen = \"Look.\"\nrun = [\"ls\"]\n\
             [[entry.remedy]]\n{second}\nrun = [\"true\"]\n\
             [[entry.remedy]]\n{third}\nrun = [\"true\"]\n"
        )
    };
    // `patterns check` on the entry with these two steps after its first.
    let check = |second: &str, third: &str| {
        std::fs::write(dir.path().join("x.toml"), entry(second, third)).unwrap();
        triage()
            .args(["patterns", "check"])
            .arg(dir.path())
            .output_within(common::COMMAND)
    };
    let out = check(
        "en = \"Alternative (AWS): open it.\"",
        "en = \"Alternative (ufw): open it.\"",
    );
    assert!(
        !out.status.success(),
        "{}{}",
        stdout(&out),
        common::stderr(&out)
    );
    assert!(
        stdout(&out).contains("remedy step 2 reads as an alternative"),
        "{}",
        stdout(&out)
    );
    // As options of one choice it passes.
    let out = check(
        "en = \"Open it in the security group.\"\noption.en = \"AWS\"",
        "en = \"Open it in ufw.\"\noption.en = \"ufw\"",
    );
    assert!(
        out.status.success(),
        "{}{}",
        stdout(&out),
        common::stderr(&out)
    );
}
