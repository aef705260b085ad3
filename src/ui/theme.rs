//! Styles, in the 16 colours every terminal has (GNU screen mangles anything else), and
//! without colour at all (`NO_COLOR`): then bold, reverse and underline carry the meaning.

use ratatui::style::{Color, Modifier, Style};

use crate::catalogue::Severity;

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Critical => Color::LightRed,
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    /// A matched span of a hit.
    pub fn span(&self, severity: Severity) -> Style {
        let plain = match severity {
            Severity::Critical | Severity::Error => {
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            }
            Severity::Warning | Severity::Info => {
                Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
            }
        };
        self.pick(self.severity(severity).add_modifier(Modifier::BOLD), plain)
    }

    /// The severity's own colour (titles, gutter markers, labels).
    pub fn severity(&self, severity: Severity) -> Style {
        let color = severity_color(severity);
        self.pick(
            Style::new().fg(color),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// A severity shown as a badge (the panel's title).
    pub fn badge(&self, severity: Severity) -> Style {
        let color = severity_color(severity);
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(color)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// The gutter mark of a line with a hit: a letter, so it reads without colour too.
    pub fn marker(severity: Severity) -> &'static str {
        match severity {
            Severity::Critical => "!",
            Severity::Error => "E",
            Severity::Warning => "W",
            Severity::Info => "i",
        }
    }

    pub fn cursor_row(&self) -> Style {
        self.pick(
            Style::new().bg(Color::DarkGray),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    pub fn search_match(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::ITALIC),
        )
    }

    pub fn dim(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    pub fn command(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Green),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// A remedy step that can destroy something (data, access): it must not look like the
    /// others, with or without colour.
    pub fn destructive(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        match (self.color, focused) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().fg(Color::DarkGray),
            (false, true) => Style::new().add_modifier(Modifier::BOLD),
            (false, false) => Style::new(),
        }
    }

    pub fn message(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// A container (or other source) name, in a colour that stays the same for that name.
    pub fn label(&self, name: &str) -> Style {
        const PALETTE: [Color; 6] = [
            Color::Cyan,
            Color::Green,
            Color::Magenta,
            Color::Blue,
            Color::LightGreen,
            Color::LightMagenta,
        ];
        // FNV-1a: the same name gets the same colour on every run and every build.
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        let color = PALETTE[(hash % PALETTE.len() as u64) as usize];
        self.pick(
            Style::new().fg(color),
            Style::new().add_modifier(Modifier::ITALIC),
        )
    }
}
