//! Breaking text into lines for the hit panel: shell commands at word boundaries, never inside
//! a quoted argument or a `$( … )`, with a shell continuation mark; prose by display width.

use unicode_width::UnicodeWidthStr;

/// The mark that ends a command line continued on the next: a shell line continuation, so
/// the lines still work as one command when pasted.
pub const CONTINUED: &str = " \\";

/// Byte ranges of `command`'s words: runs between whitespace that is outside quotes,
/// backslash escapes and `$( … )`.
fn shell_words(command: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let (mut single, mut double, mut escaped) = (false, false, false);
    let mut depth = 0usize;
    let mut chars = command.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let quiet = !single && !double && depth == 0;
        if c.is_whitespace() && quiet && !escaped {
            if let Some(s) = start.take() {
                words.push((s, at));
            }
            continue;
        }
        start.get_or_insert(at);
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '$' if !single && chars.peek().is_some_and(|(_, next)| *next == '(') => {
                chars.next();
                depth += 1;
            }
            '(' if !single && !double && depth > 0 => depth += 1,
            ')' if !single && !double && depth > 0 => depth -= 1,
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, command.len()));
    }
    words
}

/// `command` in lines of at most `width` columns: the first after `prefix`, the others after
/// `indent`, each but the last ending in [`CONTINUED`]. Lines break only between words; a
/// word longer than a line gets a line of its own (and is broken there by whoever draws it).
pub fn command_lines(command: &str, width: usize, prefix: &str, indent: &str) -> Vec<String> {
    let words = shell_words(command);
    let mut lines = Vec::new();
    let mut line = prefix.to_string();
    let mut empty = true;
    for (i, &(start, end)) in words.iter().enumerate() {
        let word = &command[start..end];
        let last = i + 1 == words.len();
        let reserve = if last { 0 } else { CONTINUED.width() };
        if !empty && line.width() + 1 + word.width() + reserve > width {
            line.push_str(CONTINUED);
            lines.push(std::mem::replace(&mut line, indent.to_string()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// Prose in lines of at most `width` display columns, broken where the Unicode line-breaking
/// rules allow (through textwrap): at spaces, and between any two CJK characters, so Chinese
/// fills its lines; a Latin word is never split unless it is wider than a line.
pub fn prose_lines(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, textwrap::Options::new(width.max(1)))
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quotes_escapes_and_substitutions_whole() {
        let command = r#"docker inspect --format '{{.Name}} OOMKilled={{.State.OOMKilled}}' $(docker ps -aq) a\ b "c d""#;
        let words: Vec<&str> = shell_words(command)
            .into_iter()
            .map(|(s, e)| &command[s..e])
            .collect();
        assert_eq!(
            words,
            [
                "docker",
                "inspect",
                "--format",
                "'{{.Name}} OOMKilled={{.State.OOMKilled}}'",
                "$(docker ps -aq)",
                r"a\ b",
                r#""c d""#
            ]
        );
    }

    #[test]
    fn commands_wrap_between_words_with_a_continuation_mark() {
        let command =
            "sudo journalctl -k -b | grep -iE 'out of memory|oom-kill|invoked oom-killer'";
        let lines = command_lines(command, 60, "   $ ", "       ");
        assert_eq!(
            lines,
            [
                "   $ sudo journalctl -k -b | grep -iE \\",
                "       'out of memory|oom-kill|invoked oom-killer'",
            ]
        );
        assert!(lines.iter().all(|l| l.width() <= 60));
        // Joined as a shell joins continued lines, it is the command again.
        let joined = lines.join("\n").replace(" \\\n", " ");
        let joined: Vec<&str> = joined.split_whitespace().skip(1).collect();
        assert_eq!(joined.join(" "), command);
        // Room for all of it: one line, no mark.
        assert_eq!(command_lines("free -h", 60, "$ ", "  "), ["$ free -h"]);
    }

    #[test]
    fn chinese_fills_its_lines_and_latin_words_stay_whole() {
        let text = "整机内存（或容器 / systemd 单元的内存上限）耗尽，内核挑选得分最高的进程，用 SIGKILL 直接杀死";
        let lines = prose_lines(text, 30);
        assert!(lines.iter().all(|l| l.width() <= 30), "{lines:?}");
        // Every line but the last is (nearly) full: CJK breaks anywhere.
        for line in &lines[..lines.len() - 1] {
            assert!(line.width() >= 27, "{lines:?}");
        }
        for word in ["systemd", "SIGKILL"] {
            assert!(
                lines.iter().any(|l| l.contains(word)),
                "{word} split: {lines:?}"
            );
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }
}
