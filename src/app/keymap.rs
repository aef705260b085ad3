//! Keys → actions. Actions have names (serde) so a config file can rebind them later.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

use crate::catalogue::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Quit,
    NextHit,
    PrevHit,
    NextError,
    PrevError,
    NextWarning,
    PrevWarning,
    AddEntry,
    SwitchPane,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    ToggleFollow,
    Search,
    NextMatch,
    PrevMatch,
    FilterRegex,
    FilterFuzzy,
    FilterOut,
    CycleSeverity,
    Copy,
    CopyAll,
    /// The next option of the remedy's choice.
    NextOption,
    OpenEntry,
    ToggleHitList,
    Incidents,
    WriteReport,
    Timeline,
    ZoomIn,
    ZoomOut,
    JumpToTime,
    Help,
    Faster,
    Slower,
    TogglePause,
    Left,
    Right,
    Escape,
}

/// The default bindings, in the order help shows them.
pub fn bindings() -> &'static [(Action, &'static str, &'static str, &'static str)] {
    use Action::*;
    &[
        // One row for the three walks: help must fit 80x24.
        (
            NextHit,
            "n N e E w W",
            "next / previous: hit; error, warning known or not (by time)",
            "下一个 / 上一个：命中；错误、警告，已知或未知（按时间）",
        ),
        (SwitchPane, "Tab", "switch pane", "切换窗格"),
        (Down, "j k ↓ ↑", "move", "移动"),
        (PageDown, "PgDn PgUp", "page down / up", "翻页"),
        (Top, "g / G", "first / last line", "第一行 / 最后一行"),
        (Left, "← →", "scroll long lines", "左右滚动长行"),
        (
            ToggleFollow,
            "f / End",
            "follow newest lines on / off",
            "跟随最新日志 开/关",
        ),
        (
            Search,
            "/",
            "search (regex); > < next / previous match",
            "搜索（正则）；> < 下一个 / 上一个",
        ),
        (
            FilterRegex,
            "& / !",
            "show only / hide lines matching a regex",
            "只显示 / 隐藏匹配正则的行",
        ),
        (FilterFuzzy, "F", "fuzzy filter", "模糊过滤"),
        (
            CycleSeverity,
            "s",
            "show only hits of a severity and up",
            "只显示某严重级别及以上的命中",
        ),
        (
            ToggleHitList,
            "H",
            "list of all hits, Enter jumps",
            "所有命中列表，回车跳转",
        ),
        // One row for these: help must fit 80x24.
        (
            Incidents,
            "I R T z Z t",
            "incidents; R report; T timeline, z Z zoom; t time or 10:20-10:40",
            "故障；R 写报告；T 时间轴，z Z 缩放；t 跳到时刻或 10:20-10:40",
        ),
        // One row for the two: help must fit 80x24.
        (
            OpenEntry,
            "Enter / a",
            "the hit's entry in full / add an entry for the line",
            "命中的完整条目 / 为该行添加目录条目",
        ),
        (
            Copy,
            "y / Y  o",
            "copy the first (chosen) / every command; o next option",
            "复制第一条（所选）/ 全部命令；o 换方案",
        ),
        (
            TogglePause,
            "space + -",
            "replay: pause, faster, slower",
            "回放：暂停、加速、减速",
        ),
        (Help, "?", "this help", "本帮助"),
        (Quit, "q", "quit", "退出"),
    ]
}

/// The action a key means in normal mode.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    use Action::*;
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Quit),
            KeyCode::Char('d') => Some(PageDown),
            KeyCode::Char('u') => Some(PageUp),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char('q') => Quit,
        KeyCode::Char('n') => NextHit,
        KeyCode::Char('N') => PrevHit,
        KeyCode::Tab | KeyCode::BackTab => SwitchPane,
        KeyCode::Char('j') | KeyCode::Down => Down,
        KeyCode::Char('k') | KeyCode::Up => Up,
        KeyCode::PageDown => PageDown,
        KeyCode::PageUp => PageUp,
        KeyCode::Char('g') | KeyCode::Home => Top,
        KeyCode::Char('G') => Bottom,
        KeyCode::Char('f') | KeyCode::End => ToggleFollow,
        KeyCode::Char('/') => Search,
        KeyCode::Char('>') => NextMatch,
        KeyCode::Char('<') => PrevMatch,
        KeyCode::Char('&') => FilterRegex,
        KeyCode::Char('!') => FilterOut,
        KeyCode::Char('F') => FilterFuzzy,
        KeyCode::Char('s') => CycleSeverity,
        KeyCode::Char('y') => Copy,
        KeyCode::Char('Y') => CopyAll,
        KeyCode::Enter => OpenEntry,
        KeyCode::Char('e') => NextError,
        KeyCode::Char('E') => PrevError,
        KeyCode::Char('w') => NextWarning,
        KeyCode::Char('W') => PrevWarning,
        KeyCode::Char('a') => AddEntry,
        KeyCode::Char('o') => NextOption,
        KeyCode::Char('H') => ToggleHitList,
        KeyCode::Char('I') => Incidents,
        KeyCode::Char('R') => WriteReport,
        KeyCode::Char('T') => Timeline,
        KeyCode::Char('t') => JumpToTime,
        KeyCode::Char('z') => ZoomIn,
        KeyCode::Char('Z') => ZoomOut,
        KeyCode::Char('?') => Help,
        KeyCode::Char('+') | KeyCode::Char('=') => Faster,
        KeyCode::Char('-') => Slower,
        KeyCode::Char(' ') => TogglePause,
        KeyCode::Left | KeyCode::Char('h') => Left,
        KeyCode::Right | KeyCode::Char('l') => Right,
        KeyCode::Esc => Escape,
        _ => return None,
    })
}

/// Help text for one binding.
pub fn describe(binding: &(Action, &str, &'static str, &'static str), lang: Lang) -> &'static str {
    match lang {
        Lang::En => binding.2,
        Lang::Zh => binding.3,
    }
}
