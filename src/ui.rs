//! The only code that prints the tutor's answers: Docker's output unchanged, tutor text coloured
//! by tone when colour is on (a terminal, and `NO_COLOR` unset).

use std::io::{IsTerminal as _, Write};

use crate::feedback::{Feedback, Tone};
use crate::session::PromptInfo;

/// Prints feedback and builds prompts.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub colour: bool,
}

/// Colour only on a terminal and without `NO_COLOR` (any non-empty value).
pub fn colour_enabled() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && std::io::stdout().is_terminal()
}

fn paint(colour: bool, code: &str, text: &str) -> String {
    if colour && !code.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

impl Ui {
    pub fn new(colour: bool) -> Ui {
        Ui { colour }
    }

    /// The prompt: `[images 3/16] ~/Test $ `.
    pub fn prompt(&self, p: &PromptInfo) -> String {
        let mut s = String::new();
        if let Some((id, n, total)) = &p.lab {
            s.push_str(&paint(self.colour, "1;36", &format!("[{id} {n}/{total}]")));
            s.push(' ');
        }
        s.push_str(&paint(self.colour, "1;34", &p.cwd));
        s.push_str(" $ ");
        s
    }

    /// A tutor text as it will be printed.
    pub fn render(&self, tone: Tone, text: &str) -> String {
        let code = match tone {
            Tone::Plain => "",
            Tone::Info => "1",
            Tone::Success => "1;32",
            Tone::Warning => "33",
            Tone::Error => "1;31",
            Tone::Hint => "36",
            Tone::Step => "1;35",
        };
        paint(self.colour, code, text)
    }

    pub fn print(&self, feedback: &[Feedback]) {
        let mut out = std::io::stdout().lock();
        for f in feedback {
            match f {
                Feedback::Docker { stdout, stderr } => {
                    let _ = out.write_all(stdout.as_bytes());
                    let _ = out.flush();
                    let mut err = std::io::stderr().lock();
                    let _ = err.write_all(stderr.as_bytes());
                    let _ = err.flush();
                }
                Feedback::Tutor { tone, text } => {
                    let _ = writeln!(out, "{}", self.render(*tone, text));
                }
                Feedback::Quit => {}
            }
        }
        let _ = out.flush();
    }

    /// Echoes a scripted line after its prompt (piped sessions read like a terminal log).
    pub fn echo(&self, prompt: &str, line: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{prompt}{line}");
        let _ = out.flush();
    }

    /// Plain lines (docklab's own subcommands).
    pub fn line(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }

    pub fn error(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", paint(self.colour, "1;31", text));
    }
}
