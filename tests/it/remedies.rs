//! Rules every remedy of the catalogue keeps. A remedy command is pasted into a root shell on
//! somebody else's server at 2 a.m., usually without reading it twice: it must diagnose before
//! it changes anything, announce whatever can destroy, never put a secret on a command line,
//! fit the user's own system rather than the postmortem's, and parse as shell.
//!
//! Each rule is a function that returns what is wrong; a test runs it over the whole catalogue
//! and another proves on bad commands that the rule does find them.

use crate::common;

use std::{
    collections::BTreeSet,
    io::Write,
    process::{Command, Stdio},
    sync::LazyLock,
};

use regex::Regex;
use triage::catalogue::{Catalogue, Entry, RemedyStep};

fn catalogue() -> Catalogue {
    let (catalogue, errors) = Catalogue::from_dir(&common::repo("patterns"));
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(catalogue.len() > 100, "catalogue not found");
    catalogue
}

/// Where a command is: entry id, step (1-based), the command.
fn place(entry: &Entry, step: usize, cmd: &str) -> String {
    format!("{} step {}: {cmd}", entry.id, step + 1)
}

/// Fail with every problem found, one per line, so a single run lists them all.
fn assert_none(rule: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{rule}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---- reading a command ------------------------------------------------------------------------

/// The command with quoted text blanked out (quotes kept, byte offsets unchanged), so that a
/// `>` or `|` inside a grep pattern is not read as a redirection or a pipe.
fn unquoted(cmd: &str) -> String {
    let mut out = String::with_capacity(cmd.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let blank = |out: &mut String, c: char| out.extend(std::iter::repeat_n(' ', c.len_utf8()));
    for c in cmd.chars() {
        match quote {
            _ if escaped => {
                escaped = false;
                if quote.is_some() {
                    blank(&mut out, c);
                } else {
                    out.push(c);
                }
            }
            None if c == '\\' => {
                escaped = true;
                out.push(c);
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None => out.push(c),
            Some(q) if c == q => {
                quote = None;
                out.push(c);
            }
            Some('"') if c == '\\' => {
                escaped = true;
                out.push(' ');
            }
            Some(_) => blank(&mut out, c),
        }
    }
    out
}

static PREFIXES: LazyLock<Regex> = LazyLock::new(|| {
    // What may stand before the program a simple command runs: sudo and its options, env
    // assignments, exec, and the wrappers that run another command.
    Regex::new(
        r"^(?:(?:sudo(?:\s+-[A-Za-z]*[ug](?:\s+[A-Za-z_][\w-]*)|\s+-[A-Za-z]+)*|exec|env|nohup|xargs(?:\s+-\S+)*|timeout\s+\S+|[A-Za-z_]\w*=\S*)\s+)+",
    )
    .unwrap()
});

/// Every simple command of `cmd`, split at pipes, lists, groups and command substitutions
/// outside quotes, plus those of the scripts that `sh -c '…'` / `bash -c "…"` run; with
/// `sudo`, env assignments and the like taken off, so that each one starts with the program
/// it runs. Quoted text otherwise stays whole: a grep pattern is not a command.
fn simple_commands(cmd: &str) -> Vec<String> {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        // `{ …; }` groups split at their braces, never at a `{placeholder}`.
        Regex::new(r"\|\||&&|[|;`()]|\$\(|\{\s|\s\}|\bthen\b|\bdo\b|\belse\b").unwrap()
    });
    static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\b(?:sh|bash)\s+-c\s+(?:'([^']*)'|"((?:[^"\\]|\\.)*)")"#).unwrap()
    });
    let blanked = unquoted(cmd);
    let mut parts = Vec::new();
    let mut start = 0;
    for separator in SPLIT.find_iter(&blanked) {
        parts.push(&cmd[start..separator.start()]);
        start = separator.end();
    }
    parts.push(&cmd[start..]);
    let mut out: Vec<String> = parts
        .into_iter()
        .map(|part| PREFIXES.replace(part.trim(), "").trim().to_string())
        .filter(|part| !part.is_empty())
        .collect();
    for script in SCRIPT.captures_iter(cmd) {
        let body = script.get(1).or(script.get(2)).map_or("", |m| m.as_str());
        out.extend(simple_commands(body));
    }
    out
}

/// What a rule's regex is matched against.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    /// Each simple command, anchored at the program it runs.
    Part,
    /// The whole command with quoted text blanked out (`WHOLE:`): redirections.
    Whole,
    /// The whole command as written (`RAW:`): SQL and addresses inside quotes.
    Raw,
}

/// A rule about what a command does.
struct Verb {
    what: &'static str,
    regex: Regex,
    scope: Scope,
}

fn verbs(list: &[(&'static str, &str)]) -> Vec<Verb> {
    list.iter()
        .map(|(what, pattern)| {
            let (scope, pattern) = if let Some(rest) = pattern.strip_prefix("WHOLE:") {
                (Scope::Whole, rest.to_string())
            } else if let Some(rest) = pattern.strip_prefix("RAW:") {
                (Scope::Raw, rest.to_string())
            } else {
                (Scope::Part, format!("^(?:{pattern})"))
            };
            Verb {
                what,
                regex: Regex::new(&pattern).unwrap(),
                scope,
            }
        })
        .collect()
}

/// What a command does that `verbs` names.
fn does(cmd: &str, verbs: &[Verb]) -> Vec<&'static str> {
    // A dump or capture written to a fresh, dated name overwrites nothing.
    static DATED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#">\s*"?[^\s"]*\$\(date\b[^)]*\)[^\s"]*"?"#).unwrap());
    let parts = simple_commands(cmd);
    let whole = unquoted(&DATED.replace_all(cmd, ""));
    verbs
        .iter()
        .filter(|verb| match verb.scope {
            Scope::Part => parts.iter().any(|part| verb.regex.is_match(part)),
            Scope::Whole => verb.regex.is_match(&whole),
            Scope::Raw => verb.regex.is_match(cmd),
        })
        .map(|verb| verb.what)
        .collect()
}

/// Anything that deletes, overwrites, kills, takes a machine down or opens to the world.
static DESTRUCTIVE: LazyLock<Vec<Verb>> = LazyLock::new(|| {
    verbs(&[
        ("deletes files", r"rm\s"),
        ("deletes files", r"(?:shred|wipefs|truncate)\b"),
        (
            "deletes containers, images or volumes",
            r"docker\s+(?:container\s+|image\s+|volume\s+|network\s+)?(?:rm|rmi|prune)\b",
        ),
        (
            "deletes containers, images or volumes",
            r"docker\s+(?:system|builder|image|container|volume|network)\s+prune\b",
        ),
        (
            "deletes the project's containers (and with -v its volumes)",
            r"docker[\s-]compose\b.*\s(?:down|rm)\b",
        ),
        ("kills processes", r"(?:kill|pkill|killall)\b"),
        (
            "kills containers",
            r"docker\s+(?:container\s+)?kill\b|docker[\s-]compose\b.*\skill\b",
        ),
        ("overwrites a file", r"tee\s+(?:[^-]|--?[^a\s])"),
        (
            "edits a file in place",
            r"sed\s+(?:-\w*\s+)*-i|perl\s+-\w*i",
        ),
        (
            "overwrites a device or file system",
            r"(?:dd|mkfs(?:\.\w+)?|mkswap|e2fsck|fsck(?:\.\w+)?|xfs_repair|growpart)\b",
        ),
        (
            "discards local changes",
            r"git\s+(?:checkout\s+--|reset\s+--hard|clean\b)",
        ),
        (
            "removes packages",
            r"(?:apt-get|apt)\s+(?:-\S+\s+)*(?:remove|purge|autoremove)\b|dpkg\s+(?:-r|-P|--remove|--purge)\b",
        ),
        (
            "deletes keys",
            r"gpg\b.*--delete-(?:secret-)?keys|ssh-keygen\s+-R\b",
        ),
        ("deletes logs", r"journalctl\b.*--vacuum"),
        (
            "takes the machine down",
            r"(?:reboot|shutdown|poweroff|halt)\b",
        ),
        (
            "stops or resizes the VM",
            r"gcloud\s+compute\s+instances\s+(?:stop|reset|delete|set-machine-type)\b|aws\s+ec2\s+(?:stop-instances|terminate-instances|modify-instance-attribute)\b|az\s+vm\s+(?:stop|deallocate|delete|resize)\b",
        ),
        (
            "opens a port",
            r"ufw\s+allow\b|gcloud\s+compute\s+firewall-rules\s+(?:create|update)\b|aws\s+ec2\s+authorize-security-group-ingress\b|az\s+(?:network\s+nsg\s+rule\s+create|vm\s+open-port)\b|nft\s+(?:add|insert)\s+rule\b|iptables\s+-[AI]\b",
        ),
        ("opens to the world", r"RAW:0\.0\.0\.0/0|::/0"),
        (
            "makes a file writable by everyone",
            r"chmod\s+(?:-\w+\s+)*(?:[0-7]?[0-7][0-7][2367]|\S*o\+\S*w|a\+\S*w)\b",
        ),
        (
            "deletes data in the database",
            r"RAW:(?i:\b(?:drop\s+(?:database|table|user)|truncate\s+table|purge\s+binary\s+logs|delete\s+from)\b)",
        ),
        // A `>` redirection replaces what was there; a fresh, dated name, /dev/null and a
        // scratch file in /tmp are safe.
        (
            "overwrites a file (> redirection)",
            r"WHOLE:(?:^|[^>&0-9])[0-9]?>\s*(?:[^&\s>/]|/[^dt]|/d[^e]|/t[^m])",
        ),
    ])
});

/// Anything that changes the system at all. The first step of a remedy does none of it:
/// diagnose before change.
static CHANGES_STATE: LazyLock<Vec<Verb>> = LazyLock::new(|| {
    verbs(&[
        (
            "changes files",
            r"(?:mv|cp|ln|install|mkdir|touch|rmdir|chmod|chown|chgrp|tee|fallocate|swapon|swapoff|mount|umount|resize2fs)\b",
        ),
        ("appends to a file", r"WHOLE:>>"),
        (
            "changes services",
            r"systemctl\s+(?:-\S+\s+)*(?:start|stop|restart|reload|try-restart|enable|disable|mask|unmask|daemon-reload|kill|edit|set-property)\b|service\s+\S+\s+(?:start|stop|restart|reload)\b",
        ),
        (
            "changes containers",
            r"docker\s+(?:container\s+)?(?:start|stop|restart|update|rename|create|pull|build|login|logout|tag|push|commit|load)\b|docker\s+(?:buildx\s+build|network\s+(?:create|connect|disconnect)|volume\s+create|context\s+use)\b",
        ),
        (
            "changes the compose project",
            r"docker[\s-]compose\b.*\s(?:up|stop|restart|start|build|pull|create|pause|unpause)\b",
        ),
        (
            "installs or upgrades packages",
            r"(?:apt-get|apt|aptitude)\s+(?:-\S+\s+)*(?:install|upgrade|dist-upgrade|full-upgrade|clean|autoclean|--fix-broken)\b|dpkg\s+(?:-i|--install|--configure)\b|(?:pip3?|npm)\s+install\b",
        ),
        (
            "accepts a changed or unsigned repository",
            r"(?:apt-get|apt)\b.*--allow-(?:releaseinfo-change|insecure-repositories|unauthenticated|downgrades)",
        ),
        ("runs an installer", r"sh\s+\S+\.sh\b|bash\s+\S+\.sh\b"),
        (
            "changes users and groups",
            r"(?:usermod|useradd|userdel|groupadd|groupdel|gpasswd|passwd|newgrp)\b",
        ),
        (
            "changes kernel settings",
            r"sysctl\s+(?:-\S+\s+)*-w\b|sysctl\s+(?:-p|--system)\b",
        ),
        ("changes the clock", r"timedatectl\s+set-|hwclock\s+-s\b"),
        (
            "changes the firewall",
            r"ufw\s+(?:allow|deny|reject|delete|enable|disable|reset|limit)\b|nft\s+(?:add|insert|delete|flush)\b|iptables\s+-[AIDF]\b",
        ),
        (
            "changes the cloud",
            r"gcloud\b.*\s(?:create|delete|update|add-tags|remove-tags|add-metadata|set-machine-type|stop|start|reset|resize|snapshot|ssh)\b|aws\b.*\s(?:authorize-\S+|revoke-\S+|create-\S+|delete-\S+|modify-\S+|stop-instances|start-instances|reboot-instances)\b|az\b.*\s(?:create|delete|update|stop|start|restart|resize|deallocate|open-port)\b",
        ),
        (
            "changes certificates",
            r"certbot\s+(?:certonly|renew|run|delete|revoke|--nginx|--apache|install)\b",
        ),
        (
            "reloads nginx",
            r"RAW:nginx\s+-s\s+(?:reload|stop|quit|reopen)\b",
        ),
        (
            "changes the database",
            r"RAW:(?i:\b(?:alter\s+user|create\s+user|grant|flush\s+privileges|set\s+(?:global|persist))\b)",
        ),
        (
            "changes keys",
            r"ssh-keygen\s+(?:-\S+\s+)*(?:-t|-f)\b|gpg\b.*--(?:import|dearmor|recv-keys)",
        ),
        ("downloads to a file", r"curl\b.*\s-(?:\w*o|O)\b|wget\b"),
        (
            "changes git",
            r"git\s+(?:checkout|reset|clean|pull|clone|commit|push|merge|rebase|stash)\b",
        ),
        ("ends sessions", r"screen\s+-X\b|tmux\s+kill-"),
    ])
});

/// A secret typed on the command line lands in the shell's history and in `ps` for every user.
static SECRETS: LazyLock<Vec<Verb>> = LazyLock::new(|| {
    verbs(&[
        (
            "IDENTIFIED BY on the command line",
            r"RAW:(?i:identified\s+(?:by|with))",
        ),
        (
            "a password after -p",
            r"(?:mysql|mariadb|mysqldump|mariadb-dump|mysqladmin|mariadb-admin)\b(?:\s+\S+)*\s-p\S",
        ),
        ("--password=", r"RAW:--password[= ]\S"),
        // `VAR="$OTHER"` passes a secret the environment already holds: nothing is typed.
        (
            "a password in an environment assignment",
            r#"RAW:\b[A-Z_]*(?:PASSWORD|PASSWD|PWD|SECRET|TOKEN)=(?:[^\s$"']|["'][^$"'])"#,
        ),
    ])
});

/// The Athena Eye postmortem's own names: its project, compose file, services, containers,
/// volume and domain. They belong in the story the prose tells, never in a command a user runs
/// on their own system.
static POSTMORTEM_NAMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)athena|docker-compose\.prod\.yml|\b(?:frontend|backend)\b|(?:^|[^,\s]\s+|/)db(?:\s|$)|\bexample\.com\b",
    )
    .unwrap()
});

/// Dockerfile instructions: a line of a Dockerfile is prose for a step, not a shell command.
static DOCKERFILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:RUN|COPY|ADD|FROM|USER|WORKDIR|ENV|CMD|ENTRYPOINT|EXPOSE|VOLUME|ARG)\s")
        .unwrap()
});

/// Tools a minimal Debian 12 / Ubuntu 22.04 server does not have, with the package that
/// brings them (the same name on both). `curl`, `ss`, `ps`, `free`, `vmstat`, `openssl` and
/// `gpgv` are there; `ufw` is Ubuntu's own and a step only uses it where it is active.
const NOT_INSTALLED: &[(&str, &str)] = &[
    ("iostat", "sysstat"),
    ("mpstat", "sysstat"),
    ("dig", "bind9-dnsutils"),
    ("nslookup", "bind9-dnsutils"),
    ("conntrack", "conntrack"),
    ("coredumpctl", "systemd-coredump"),
    ("jq", "jq"),
    ("growpart", "cloud-guest-utils"),
    ("fuser", "psmisc"),
    ("lsof", "lsof"),
    ("nc", "netcat-openbsd"),
    ("tcpdump", "tcpdump"),
    ("strace", "strace"),
    ("iotop", "iotop"),
    ("netstat", "net-tools"),
    ("smartctl", "smartmontools"),
    ("sqlite3", "sqlite3"),
    ("gpg", "gnupg"),
];

/// Cloud CLIs are run where they are set up (Cloud Shell, the user's laptop), not installed on
/// the VM by a remedy.
const WORKSTATION_TOOLS: &[&str] = &["gcloud", "aws", "az"];

/// Placeholders every entry may use besides its own named captures: the viewer fills them from
/// the live context (compose labels, the journal's unit) or shows them as `<name>` for the user
/// to fill. The list is the one documented in patterns/README.md, read from there so that the
/// two cannot drift apart.
fn context_placeholders() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(common::repo("patterns/README.md")).unwrap();
    let section = readme
        .split("<!-- context placeholders -->")
        .nth(1)
        .expect("patterns/README.md documents the context placeholders between markers");
    let section = section.split("<!-- end -->").next().unwrap();
    let names: BTreeSet<String> = Regex::new(r"`\{(\w+)\}`")
        .unwrap()
        .captures_iter(section)
        .map(|c| c[1].to_string())
        .collect();
    assert!(names.len() > 10, "{names:?}");
    names
}

/// `{name}` placeholders, found exactly as the viewer finds them.
fn placeholders(cmd: &str) -> Vec<String> {
    triage::explain::placeholder_names(cmd)
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn named_captures(entry: &Entry) -> BTreeSet<String> {
    entry
        .regex
        .iter()
        .filter_map(|r| Regex::new(r).ok())
        .flat_map(|r| {
            r.capture_names()
                .flatten()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every command of every step, with its place.
fn commands(catalogue: &Catalogue) -> Vec<(&Entry, usize, &RemedyStep, &String)> {
    catalogue
        .entries()
        .iter()
        .flat_map(|entry| {
            entry
                .remedy
                .iter()
                .enumerate()
                .flat_map(move |(n, step)| step.run.iter().map(move |cmd| (entry, n, step, cmd)))
        })
        .collect()
}

// ---- the rules -------------------------------------------------------------------------------

fn first_steps_that_change(catalogue: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in catalogue.entries() {
        let Some(first) = entry.remedy.first() else {
            continue;
        };
        for cmd in &first.run {
            let what = does(cmd, &CHANGES_STATE)
                .into_iter()
                .chain(does(cmd, &DESTRUCTIVE))
                .collect::<Vec<_>>();
            if !what.is_empty() {
                problems.push(format!("{} ({})", place(entry, 0, cmd), what.join(", ")));
            }
        }
    }
    problems
}

fn unmarked_destruction(catalogue: &Catalogue) -> Vec<String> {
    commands(catalogue)
        .into_iter()
        .filter(|(_, _, step, _)| !step.destructive)
        .filter_map(|(entry, n, _, cmd)| {
            let what = does(cmd, &DESTRUCTIVE);
            (!what.is_empty()).then(|| format!("{} ({})", place(entry, n, cmd), what.join(", ")))
        })
        .collect()
}

fn secrets_on_the_command_line(catalogue: &Catalogue) -> Vec<String> {
    commands(catalogue)
        .into_iter()
        .filter_map(|(entry, n, _, cmd)| {
            let what = does(cmd, &SECRETS);
            (!what.is_empty()).then(|| format!("{} ({})", place(entry, n, cmd), what.join(", ")))
        })
        .collect()
}

fn postmortem_names_in_commands(catalogue: &Catalogue) -> Vec<String> {
    commands(catalogue)
        .into_iter()
        .filter_map(|(entry, n, _, cmd)| {
            let found = POSTMORTEM_NAMES.find(cmd)?;
            Some(format!(
                "{} (`{}`)",
                place(entry, n, cmd),
                found.as_str().trim()
            ))
        })
        .collect()
}

fn unknown_placeholders(catalogue: &Catalogue) -> Vec<String> {
    let context = context_placeholders();
    let hand_written = Regex::new(r"<[A-Za-z][\w .-]*>").unwrap();
    let mut problems = Vec::new();
    for (entry, n, _, cmd) in commands(catalogue) {
        let captures = named_captures(entry);
        for name in placeholders(cmd) {
            if !captures.contains(&name) && !context.contains(&name) {
                problems.push(format!(
                    "{} (`{{{name}}}` is neither a named capture of the entry nor a documented context placeholder)",
                    place(entry, n, cmd)
                ));
            }
        }
        if let Some(found) = hand_written.find(cmd) {
            problems.push(format!(
                "{} (`{}`: write placeholders as {{name}}; the viewer shows <name> when it cannot fill one)",
                place(entry, n, cmd),
                found.as_str()
            ));
        }
    }
    problems
}

fn dockerfile_lines_in_run(catalogue: &Catalogue) -> Vec<String> {
    commands(catalogue)
        .into_iter()
        .filter(|(_, _, _, cmd)| DOCKERFILE.is_match(cmd))
        .map(|(entry, n, _, cmd)| place(entry, n, cmd))
        .collect()
}

/// Quoting must balance (shlex) and bash must parse each command (`bash -n`), with its
/// placeholders filled as the viewer would fill them.
fn commands_that_do_not_parse(catalogue: &Catalogue) -> Vec<String> {
    let mut problems = Vec::new();
    for (entry, n, _, cmd) in commands(catalogue) {
        let filled = placeholders(cmd).iter().fold(cmd.clone(), |c, name| {
            c.replace(&format!("{{{name}}}"), name)
        });
        if shlex::split(&filled).is_none() {
            problems.push(format!("{} (unbalanced quotes)", place(entry, n, cmd)));
            continue;
        }
        let mut bash = Command::new("bash")
            .arg("-n")
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bash runs (every system this targets has it)");
        bash.stdin
            .take()
            .unwrap()
            .write_all(filled.as_bytes())
            .unwrap();
        let output = bash.wait_with_output().unwrap();
        if !output.status.success() {
            problems.push(format!(
                "{} (bash -n: {})",
                place(entry, n, cmd),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
    }
    problems
}

fn tools_without_install_line(catalogue: &Catalogue) -> Vec<String> {
    let install = Regex::new(r"^apt(?:-get)?\s+(?:-\S+\s+)*install\s+(.*)").unwrap();
    let mut problems = Vec::new();
    for entry in catalogue.entries() {
        let mut installed: BTreeSet<&str> = BTreeSet::new();
        for (n, step) in entry.remedy.iter().enumerate() {
            // An install line in this step counts for every command of the step.
            for cmd in &step.run {
                for part in simple_commands(cmd) {
                    if let Some(rest) = install.captures(&part) {
                        for (_, package) in NOT_INSTALLED {
                            if rest[1].split_whitespace().any(|w| w == *package) {
                                installed.insert(package);
                            }
                        }
                    }
                }
            }
            for cmd in &step.run {
                for part in simple_commands(cmd) {
                    let program = part.split_whitespace().next().unwrap_or("");
                    if WORKSTATION_TOOLS.contains(&program) {
                        continue;
                    }
                    let missing = NOT_INSTALLED
                        .iter()
                        .find(|(tool, package)| *tool == program && !installed.contains(package));
                    if let Some((tool, package)) = missing {
                        problems.push(format!(
                            "{} (`{tool}` needs `sudo apt-get install -y {package}` in this or an earlier step)",
                            place(entry, n, cmd)
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Appending to /etc/fstab twice (a second paste) makes the next boot mount the swap twice or
/// fail: an append to a system file must be guarded so that pasting it again does nothing.
fn unguarded_appends(catalogue: &Catalogue) -> Vec<String> {
    let append = Regex::new(r"(?:tee\s+-a\s+|>>\s*)/etc/").unwrap();
    let guard = Regex::new(r"grep\s+-q\S*\s.*\|\|").unwrap();
    commands(catalogue)
        .into_iter()
        .filter(|(_, _, _, cmd)| append.is_match(cmd) && !guard.is_match(cmd))
        .map(|(entry, n, _, cmd)| place(entry, n, cmd))
        .collect()
}

/// A service restarted on a configuration nobody tested does not come back: sshd then locks
/// everyone out, nginx takes the site down, Docker stops every container. The test must run
/// first: for sshd and nginx chained with `&&` in the same command (a failing test stops the
/// paste there), for Docker's daemon.json earlier in the remedy.
fn restarts_without_a_config_test(catalogue: &Catalogue) -> Vec<String> {
    let chained = [
        (
            Regex::new(r"systemctl\s+(?:restart|reload)\s+(?:ssh|sshd)\b").unwrap(),
            Regex::new(r"sshd\s+-t\s*&&").unwrap(),
        ),
        (
            Regex::new(r"systemctl\s+(?:restart|reload)\s+nginx\b").unwrap(),
            Regex::new(r"nginx\s+-t\s*&&").unwrap(),
        ),
    ];
    let docker_restart = Regex::new(r"systemctl\s+restart\s+docker\b").unwrap();
    let docker_validate = Regex::new(r"dockerd\s+--validate").unwrap();
    let mut problems = Vec::new();
    for entry in catalogue.entries() {
        let edits_daemon_json = entry.remedy.iter().any(|s| {
            s.en.contains("daemon.json") || s.run.iter().any(|c| c.contains("daemon.json"))
        });
        let mut validated = false;
        for (n, step) in entry.remedy.iter().enumerate() {
            for cmd in &step.run {
                for (restart, test) in &chained {
                    if restart.is_match(cmd) && !test.is_match(cmd) {
                        problems.push(format!(
                            "{} (no `&&` after the config test)",
                            place(entry, n, cmd)
                        ));
                    }
                }
                validated |= docker_validate.is_match(cmd);
                if edits_daemon_json && docker_restart.is_match(cmd) && !validated {
                    problems.push(format!(
                        "{} (daemon.json not validated with `dockerd --validate` first)",
                        place(entry, n, cmd)
                    ));
                }
            }
        }
    }
    problems
}

/// A database client that prompts for the password must own the terminal: piped or
/// redirected, `docker compose exec` gets no TTY and the typed password is echoed (or the
/// prompt lands in the output file).
fn password_prompts_without_a_terminal(catalogue: &Catalogue) -> Vec<String> {
    let prompts = Regex::new(r"(?:^|\s)-p(?:\s|$)").unwrap();
    let client = Regex::new(r"\b(?:mysql|mariadb|mysqldump|mariadb-dump|mysqladmin|mariadb-admin|mysqlcheck|mariadb-check)\b").unwrap();
    let piped = Regex::new(r"[^|]\|[^|]|(?:^|[^>&0-9])[0-9]?>\s*[^&]").unwrap();
    commands(catalogue)
        .into_iter()
        .filter(|(_, _, _, cmd)| {
            let blanked = unquoted(cmd);
            client.is_match(cmd) && prompts.is_match(&blanked) && piped.is_match(&blanked)
        })
        .map(|(entry, n, _, cmd)| place(entry, n, cmd))
        .collect()
}

// ---- the catalogue keeps them ----------------------------------------------------------------

#[test]
fn the_first_step_of_every_remedy_only_reads() {
    assert_none(
        "first steps that change the system",
        first_steps_that_change(&catalogue()),
    );
}

#[test]
fn whatever_deletes_overwrites_kills_or_opens_is_in_a_step_marked_destructive() {
    assert_none(
        "destructive commands in unmarked steps",
        unmarked_destruction(&catalogue()),
    );
}

#[test]
fn no_secret_is_typed_on_a_command_line() {
    assert_none(
        "secrets on a command line",
        secrets_on_the_command_line(&catalogue()),
    );
}

#[test]
fn no_command_names_the_postmortems_project() {
    assert_none(
        "the postmortem's names in commands",
        postmortem_names_in_commands(&catalogue()),
    );
}

#[test]
fn every_placeholder_is_a_capture_or_a_documented_context_placeholder() {
    assert_none("unknown placeholders", unknown_placeholders(&catalogue()));
}

#[test]
fn every_command_parses_as_shell_and_none_is_a_dockerfile_line() {
    let catalogue = catalogue();
    assert_none(
        "Dockerfile lines in run",
        dockerfile_lines_in_run(&catalogue),
    );
    assert_none(
        "commands that do not parse",
        commands_that_do_not_parse(&catalogue),
    );
}

#[test]
fn a_tool_missing_from_a_minimal_debian_or_ubuntu_comes_with_its_install_line() {
    assert_none(
        "tools used without their install line",
        tools_without_install_line(&catalogue()),
    );
}

#[test]
fn services_restart_only_after_their_configuration_tested_good() {
    assert_none(
        "restarts without a config test",
        restarts_without_a_config_test(&catalogue()),
    );
}

#[test]
fn a_password_prompt_keeps_its_terminal() {
    assert_none(
        "password prompts piped or redirected",
        password_prompts_without_a_terminal(&catalogue()),
    );
}

#[test]
fn appends_to_system_files_are_guarded_against_a_second_paste() {
    assert_none("unguarded appends", unguarded_appends(&catalogue()));
}

// ---- the rules find what they are for --------------------------------------------------------

/// A catalogue of one entry with the given steps (`(destructive, commands)`).
fn catalogue_of(steps: &[(bool, &[&str])]) -> Catalogue {
    let mut text = String::from(
        "[[entry]]\nid = \"bad\"\nseverity = \"error\"\ntitle.en = \"t\"\ntitle.zh = \"t\"\ncause.en = \"c\"\ncause.zh = \"c\"\nregex = ['boom (?P<container>\\w+)']\nexamples = [\"boom x\"]\n",
    );
    for (destructive, run) in steps {
        text += "[[entry.remedy]]\nen = \"s\"\nzh = \"s\"\n";
        let run: Vec<String> = run.iter().map(|c| format!("'''{c}'''")).collect();
        text += &format!("run = [{}]\n", run.join(", "));
        if *destructive {
            text += "destructive = true\nwarning.en = \"w\"\nwarning.zh = \"w\"\n";
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    let (catalogue, errors) = Catalogue::from_dir(dir.path());
    assert!(errors.is_empty(), "{errors:?}");
    catalogue
}

#[test]
fn the_rules_catch_the_commands_the_expert_review_found() {
    // Each of these was in the catalogue once; each must be caught by its rule.
    let destructive_unmarked: &[&str] = &[
        "sudo docker compose down -v",
        "docker rm -f {container}",
        "echo '{\"dns\": [\"8.8.8.8\"]}' | sudo tee /etc/docker/daemon.json",
        "sudo kill 1234",
        "sudo rm -rf /var/lib/apt/lists/*",
        "gcloud compute firewall-rules create allow-http --allow=tcp:80 --source-ranges=0.0.0.0/0",
        "sudo ufw allow 80/tcp",
        "sudo sed -i 's/a/b/' /etc/ssh/sshd_config",
        "docker exec x sh -c 'exec mysqldump --all-databases' > all.sql",
        "sudo mkswap /swapfile",
        "docker image prune -a",
        "sudo journalctl --vacuum-size=200M",
        "gcloud compute instances stop vm --zone=z",
        "sudo e2fsck -f /dev/sdb1",
    ];
    for cmd in destructive_unmarked {
        let catalogue = catalogue_of(&[(false, &["true"]), (false, &[cmd])]);
        assert_eq!(
            unmarked_destruction(&catalogue).len(),
            1,
            "not caught: {cmd}"
        );
        let marked = catalogue_of(&[(false, &["true"]), (true, &[cmd])]);
        assert!(unmarked_destruction(&marked).is_empty(), "{cmd}");
    }
    // Reading is not destroying.
    for cmd in [
        "docker compose -f {compose_file} ps -a",
        "sudo docker compose run --rm --no-deps {service} nginx -t",
        "grep -E 'a > b|rm -rf' /dev/null",
        "curl -sS http://127.0.0.1/ > /dev/null 2>&1",
        "sudo apt-get update 2>&1 | grep -E 'NO_PUBKEY'",
    ] {
        let catalogue = catalogue_of(&[(false, &[cmd])]);
        assert!(unmarked_destruction(&catalogue).is_empty(), "{cmd}");
        assert!(first_steps_that_change(&catalogue).is_empty(), "{cmd}");
    }
    for cmd in [
        "sudo dpkg --configure -a",
        "sudo systemctl restart docker",
        "sudo apt-get install -y jq",
        "sudo usermod -aG docker $USER",
        "sudo docker compose -f {compose_file} up -d",
        "sudo fallocate -l 2G /swapfile",
        "echo x >> requirements.txt",
        "gcloud compute instances add-tags vm --tags http-server",
        "sudo chown -R 1000:1000 ./logs",
    ] {
        let catalogue = catalogue_of(&[(false, &[cmd])]);
        assert_eq!(
            first_steps_that_change(&catalogue).len(),
            1,
            "not caught: {cmd}"
        );
        assert!(
            first_steps_that_change(&catalogue_of(&[(false, &["true"]), (false, &[cmd])]))
                .is_empty()
        );
    }
    for cmd in [
        "docker compose exec -T {service} mysql -uroot -e \"ALTER USER 'root'@'%' IDENTIFIED BY 'x'\"",
        "mysql -uroot -psecret",
        "mysqladmin --password=secret status",
        "MYSQL_ROOT_PASSWORD=secret docker compose up -d",
    ] {
        let catalogue = catalogue_of(&[(false, &["true"]), (true, &[cmd])]);
        assert_eq!(
            secrets_on_the_command_line(&catalogue).len(),
            1,
            "not caught: {cmd}"
        );
    }
    let prompted = catalogue_of(&[(false, &["docker compose exec {service} mysql -uroot -p"])]);
    assert!(secrets_on_the_command_line(&prompted).is_empty());
    for cmd in [
        "docker compose -f docker-compose.prod.yml ps",
        "docker compose logs backend",
        "docker compose up -d frontend",
        "docker compose exec db mysql -uroot -p",
        "docker volume inspect athena_eye_db_data",
        "sudo certbot --nginx -d athena.example.com",
    ] {
        let catalogue = catalogue_of(&[(false, &[cmd])]);
        assert_eq!(
            postmortem_names_in_commands(&catalogue).len(),
            1,
            "not caught: {cmd}"
        );
    }
    let placeholders = catalogue_of(&[(
        false,
        &[
            "docker logs {container}",
            "docker logs {containr}",
            "docker logs <container>",
            "docker compose -f {compose_file} ps {service}",
        ],
    )]);
    assert_eq!(unknown_placeholders(&placeholders).len(), 2);
    let shell = catalogue_of(&[(
        false,
        &[
            "echo 'unbalanced",
            "docker logs <container>",
            "for x in a b; do echo $x",
            "docker inspect --format '{{.State.Health}}' {container}",
        ],
    )]);
    assert_eq!(commands_that_do_not_parse(&shell).len(), 3);
    let dockerfile = catalogue_of(&[(false, &["RUN mkdir -p logs"])]);
    assert_eq!(dockerfile_lines_in_run(&dockerfile).len(), 1);
    let tools = catalogue_of(&[(false, &["iostat -x 1 3", "dig +short A {domain}"])]);
    assert_eq!(tools_without_install_line(&tools).len(), 2);
    let tools = catalogue_of(&[
        (false, &["free -m"]),
        (
            false,
            &[
                "sudo apt-get install -y sysstat bind9-dnsutils",
                "iostat -x 1 3",
            ],
        ),
        (false, &["dig +short A {domain}"]),
    ]);
    assert!(tools_without_install_line(&tools).is_empty());
    let fstab = catalogue_of(&[
        (false, &["true"]),
        (
            false,
            &["echo '/swapfile none swap sw 0 0' | sudo tee -a /etc/fstab"],
        ),
        (
            false,
            &[
                "grep -q '^/swapfile ' /etc/fstab || echo '/swapfile none swap sw 0 0' | sudo tee -a /etc/fstab",
            ],
        ),
    ]);
    assert_eq!(unguarded_appends(&fstab).len(), 1);
    let restarts = catalogue_of(&[
        (false, &["sudo sshd -t"]),
        (
            false,
            &[
                "sudo systemctl restart ssh",
                "sudo sshd -t && sudo systemctl restart ssh",
            ],
        ),
        (
            false,
            &[
                "sudo nginx -t && sudo systemctl reload nginx",
                "sudo systemctl reload nginx",
            ],
        ),
        (
            false,
            &[
                "echo see /etc/docker/daemon.json",
                "sudo systemctl restart docker",
            ],
        ),
        (
            false,
            &[
                "sudo dockerd --validate --config-file=/tmp/daemon.json",
                "sudo systemctl restart docker",
            ],
        ),
    ]);
    assert_eq!(restarts_without_a_config_test(&restarts).len(), 3);
    let prompts = catalogue_of(&[(
        false,
        &[
            "docker compose exec {service} mysql -uroot -p -e \"SHOW ENGINE INNODB STATUS\\G\" | sed -n '/DEADLOCK/,/TRANS/p'",
            "docker exec {container} mysqldump --all-databases -uroot -p > all.sql",
            "docker compose exec {service} mysql -uroot -p -e \"SHOW ENGINE INNODB STATUS\\G\"",
            "docker compose logs {service} | grep -E 'a|b' -p",
        ],
    )]);
    assert_eq!(password_prompts_without_a_terminal(&prompts).len(), 2);
    let accepted = catalogue_of(&[(false, &["sudo apt-get update --allow-releaseinfo-change"])]);
    assert_eq!(first_steps_that_change(&accepted).len(), 1);
}
