//! Colour, in one place: whether each output stream gets ANSI styles, decided for standard output
//! and standard error separately (one may be a terminal while the other goes to a file), and the
//! styles docklab paints with. `anstyle` (already built for clap) describes the styles; the
//! decision follows the conventions that anstream applies (docs/architecture.md says why not
//! `colored`, whose one global switch follows standard output alone).

use std::io::IsTerminal as _;

use anstyle::{AnsiColor, Effects, Style};

/// An output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Whether `stream` gets colour, from docklab's environment and whether it is a terminal.
pub fn enabled(stream: Stream) -> bool {
    let terminal = match stream {
        Stream::Stdout => std::io::stdout().is_terminal(),
        Stream::Stderr => std::io::stderr().is_terminal(),
    };
    decide(&|name| std::env::var(name).ok(), terminal)
}

/// The decision for one stream: `NO_COLOR` (non-empty) turns colour off whatever else is set;
/// `CLICOLOR_FORCE` (non-empty, not `0`) turns it on even off a terminal; `CLICOLOR=0` turns it
/// off; otherwise a terminal gets colour unless `TERM` is `dumb`. The order anstream uses.
pub fn decide(var: &dyn Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if set("CLICOLOR").is_some_and(|v| v == "0") {
        return false;
    }
    terminal && var("TERM").is_none_or(|t| t != "dumb")
}

/// `text` in `style` when `on`, as is otherwise.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on && style != Style::new() {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

const fn fg(colour: AnsiColor) -> Style {
    Style::new().fg_color(Some(anstyle::Color::Ansi(colour)))
}

const BOLD: Effects = Effects::BOLD;

/// The styles docklab uses, by what they mark.
pub mod style {
    use super::{fg, AnsiColor, Style, BOLD};

    /// The lab and step in the prompt.
    pub const PROMPT_LAB: Style = fg(AnsiColor::Cyan).effects(BOLD);
    /// The working directory in the prompt.
    pub const PROMPT_CWD: Style = fg(AnsiColor::Blue).effects(BOLD);
    pub const PLAIN: Style = Style::new();
    pub const INFO: Style = Style::new().effects(BOLD);
    pub const SUCCESS: Style = fg(AnsiColor::Green).effects(BOLD);
    pub const WARNING: Style = fg(AnsiColor::Yellow);
    pub const ERROR: Style = fg(AnsiColor::Red).effects(BOLD);
    pub const HINT: Style = fg(AnsiColor::Cyan);
    pub const STEP: Style = fg(AnsiColor::Magenta).effects(BOLD);
    /// The completion hint shown after the cursor.
    pub const DIM: Style = Style::new().effects(anstyle::Effects::DIMMED);
    /// Layer and image IDs in the layer picture.
    pub const ID: Style = fg(AnsiColor::Yellow);
    pub const IMAGE_ID: Style = fg(AnsiColor::Yellow).effects(BOLD);
    /// Image names in the layer picture.
    pub const TAGS: Style = fg(AnsiColor::Cyan).effects(BOLD);
    /// A dangling image in the layer picture.
    pub const DANGLING: Style = fg(AnsiColor::Red);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide_with(vars: &[(&str, &str)], terminal: bool) -> bool {
        decide(
            &|name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            },
            terminal,
        )
    }

    #[test]
    fn each_stream_is_decided_from_the_environment_and_the_terminal() {
        let term = [("TERM", "xterm-256color")];
        assert!(decide_with(&term, true));
        assert!(!decide_with(&term, false), "a file or a pipe: no colour");
        assert!(
            decide_with(&[], true),
            "no TERM at all is not a dumb terminal"
        );
        assert!(!decide_with(&[("TERM", "dumb")], true));
        assert!(!decide_with(&[("TERM", "xterm"), ("NO_COLOR", "1")], true));
        assert!(
            decide_with(&[("TERM", "xterm"), ("NO_COLOR", "")], true),
            "an empty NO_COLOR does not count"
        );
        assert!(decide_with(&[("CLICOLOR_FORCE", "1")], false));
        assert!(!decide_with(&[("CLICOLOR_FORCE", "0")], false));
        assert!(
            !decide_with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], true),
            "NO_COLOR wins"
        );
        assert!(!decide_with(&[("CLICOLOR", "0"), ("TERM", "xterm")], true));
        assert!(decide_with(&[("CLICOLOR", "1"), ("TERM", "xterm")], true));
    }

    #[test]
    fn paints_only_when_on() {
        assert_eq!(paint(false, style::ERROR, "x"), "x");
        assert_eq!(paint(true, style::PLAIN, "x"), "x");
        assert_eq!(paint(true, style::ERROR, "x"), "\x1b[1m\x1b[31mx\x1b[0m");
        assert_eq!(paint(true, style::HINT, "x"), "\x1b[36mx\x1b[0m");
    }
}
