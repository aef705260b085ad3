//! Copying to the user's own clipboard with OSC 52, which travels over SSH to the terminal
//! the user sits at. Terminal multiplexers in between need it wrapped: tmux passes a
//! `DCS tmux; … ST` through (with `allow-passthrough`) and also takes a plain OSC 52 into its
//! own clipboard (with `set-clipboard on`), so both are sent; GNU screen passes a `DCS … ST`
//! through, in chunks short enough for its buffer, and never with an `ESC \` inside one.

use std::time::Duration;

use base64::Engine as _;

/// The terminals between triage and the user, innermost first, as the environment tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nesting {
    Plain,
    Tmux,
    Screen,
    /// GNU screen running inside tmux (screen is the terminal triage talks to).
    ScreenInTmux,
    /// tmux running inside GNU screen.
    TmuxInScreen,
}

impl Nesting {
    pub fn from_env() -> Nesting {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").unwrap_or_default();
        match (set("TMUX"), set("STY")) {
            (false, false) => Nesting::Plain,
            (true, false) => Nesting::Tmux,
            (false, true) => Nesting::Screen,
            // Both are inherited: TERM says which one is innermost.
            (true, true) if term.starts_with("tmux") => Nesting::TmuxInScreen,
            (true, true) => Nesting::ScreenInTmux,
        }
    }
}

/// The bytes to write to the terminal to put `text` on the clipboard.
pub fn osc52(text: &str, nesting: Nesting) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let osc = format!("\x1b]52;c;{encoded}\x07");
    let for_tmux = |osc: &str| format!("{osc}{}", tmux_passthrough(osc));
    let out = match nesting {
        Nesting::Plain => osc,
        Nesting::Tmux => for_tmux(&osc),
        Nesting::Screen => screen_passthrough(&osc),
        Nesting::ScreenInTmux => screen_passthrough(&for_tmux(&osc)),
        Nesting::TmuxInScreen => for_tmux(&screen_passthrough(&osc)),
    };
    out.into_bytes()
}

/// `ESC P tmux; <data with every ESC doubled> ESC \`
fn tmux_passthrough(data: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", data.replace('\x1b', "\x1b\x1b"))
}

/// screen forwards the body of `ESC P … ESC \` to its terminal; its buffer holds 768 bytes,
/// so longer data goes in several such strings.
///
/// An `ESC \` inside the data (the end of tmux's own passthrough, when screen runs inside
/// tmux) would end screen's string early and be dropped: tmux would then wait for its
/// terminator and swallow the frames that follow. So a string never holds `ESC \`: it is cut
/// between the two. A string ending in ESC is closed by `ESC ESC \`, which screen forwards as
/// that ESC, and the next string starts with the `\`.
fn screen_passthrough(data: &str) -> String {
    const CHUNK: usize = 76;
    let mut out = String::new();
    let bytes = data.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let mut end = (start + CHUNK).min(bytes.len());
        while !data.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(esc) = memchr::memmem::find(&bytes[start..end], b"\x1b\\") {
            end = start + esc + 1;
        }
        out.push_str("\x1bP");
        out.push_str(&data[start..end]);
        out.push_str("\x1b\\");
        start = end;
    }
    out
}

impl Nesting {
    /// Whether tmux is among the terminals in between.
    pub fn has_tmux(self) -> bool {
        matches!(
            self,
            Nesting::Tmux | Nesting::ScreenInTmux | Nesting::TmuxInScreen
        )
    }
}

/// How long tmux is given to answer about its options.
const TMUX_ANSWER: Duration = Duration::from_millis(500);

/// When the viewer runs inside tmux and tmux will drop the copy, tmux's `set-clipboard`
/// value (`external`, `off`): tmux takes an application's OSC 52 only with `set-clipboard
/// on`, and passes the wrapped one to the terminal outside only with `allow-passthrough`.
/// None when the copy gets through, or tmux cannot be asked.
pub fn tmux_drops_copy(nesting: Nesting) -> Option<String> {
    if !nesting.has_tmux() {
        return None;
    }
    let set_clipboard = tmux_option("set-clipboard")?;
    if set_clipboard == "on" {
        return None;
    }
    match tmux_option("allow-passthrough").as_deref() {
        Some("on" | "all") => None,
        _ => Some(set_clipboard),
    }
}

/// A global option's value, as `tmux show -gv NAME` prints it (within `TMUX_ANSWER`).
fn tmux_option(name: &str) -> Option<String> {
    let mut child = std::process::Command::new("tmux")
        .args(["show-options", "-gv", name])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + TMUX_ANSWER;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    Some(out.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_osc52() {
        assert_eq!(osc52("hi", Nesting::Plain), b"\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn tmux_gets_both_forms() {
        let out = String::from_utf8(osc52("hi", Nesting::Tmux)).unwrap();
        assert_eq!(
            out,
            "\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
    }

    #[test]
    fn screen_chunks_and_wraps() {
        let out = String::from_utf8(osc52(&"x".repeat(200), Nesting::Screen)).unwrap();
        assert!(out.starts_with("\x1bP\x1b]52;c;"));
        assert!(out.matches("\x1bP").count() >= 4);
        let unwrapped: String = out
            .split("\x1b\\")
            .map(|c| c.trim_start_matches("\x1bP"))
            .collect();
        assert_eq!(
            unwrapped,
            String::from_utf8(osc52(&"x".repeat(200), Nesting::Plain)).unwrap()
        );
    }

    /// What GNU screen forwards to its own terminal from the bytes a program writes: the
    /// bodies of its DCS strings, as its parser (ansi.c, states ASTR/STRESC) reads them: in a
    /// string, `ESC \` ends it, `ESC ESC` is kept as one ESC with the next still escaped,
    /// `ESC x` is kept whole. Anything outside a string is left out.
    fn forwarded_by_screen(written: &str) -> String {
        let (mut forwarded, mut body) = (String::new(), String::new());
        let (mut in_string, mut escaped, mut after_esc) = (false, false, false);
        for c in written.chars() {
            if !in_string {
                in_string = after_esc && c == 'P';
                after_esc = c == '\x1b';
                continue;
            }
            match (escaped, c) {
                (false, '\x1b') => escaped = true,
                (false, c) => body.push(c),
                (true, '\\') => {
                    forwarded.push_str(&body);
                    body.clear();
                    (in_string, escaped, after_esc) = (false, false, false);
                }
                (true, '\x1b') => body.push('\x1b'),
                (true, c) => {
                    body.push('\x1b');
                    body.push(c);
                    escaped = false;
                }
            }
        }
        forwarded
    }

    #[test]
    fn screen_forwards_tmux_passthrough_whole() {
        for text in ["hi", &"sudo journalctl -k -b | grep -iE 'oom'".repeat(5)] {
            let for_tmux = String::from_utf8(osc52(text, Nesting::Tmux)).unwrap();
            let written = String::from_utf8(osc52(text, Nesting::ScreenInTmux)).unwrap();
            assert_eq!(forwarded_by_screen(&written), for_tmux, "{text}");
        }
    }
}
