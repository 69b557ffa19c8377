//! The loop around the session: rustyline in a terminal (history, completion, hints, coloured
//! prompt, Ctrl-C/Ctrl-D), plain lines when standard input is not a terminal. rustyline's types
//! stay in this module.

pub mod complete;

use std::collections::VecDeque;
use std::io::BufRead;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::{Context, Editor};

use crate::engine::Interaction;
use crate::feedback::Feedback;
use crate::i18n::Msg;
use crate::session::{CompletionData, Session};
use crate::ui::Ui;

/// What the terminal gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Line(String),
    /// A line that is not UTF-8 text: refused, and the shell goes on.
    NotText,
    Interrupted,
    Eof,
}

/// Completion and inline hints from the session's data (refreshed before each line).
#[derive(rustyline::Helper, rustyline::Validator)]
struct Helper {
    data: CompletionData,
    /// Set while a line is read that is not a shell command (Docker's `[y/N]` question, a
    /// here-document's lines): no completion and no hint there, or `o` would be hinted into
    /// `objectif` and Tab would offer tutor commands as Docker's answer.
    quiet: bool,
}

impl Completer for Helper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        if self.quiet {
            return Ok((pos, Vec::new()));
        }
        Ok(complete::complete(line, pos, &self.data))
    }
}

impl Hinter for Helper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if self.quiet || pos < line.len() || line.trim().is_empty() {
            return None;
        }
        let (start, cands) = complete::complete(line, pos, &self.data);
        match cands.as_slice() {
            [only] => only
                .get(pos - start..)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            _ => None,
        }
    }
}

impl Highlighter for Helper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> std::borrow::Cow<'h, str> {
        if crate::ui::colour_enabled() {
            std::borrow::Cow::Owned(crate::colour::paint(true, crate::colour::style::DIM, hint))
        } else {
            std::borrow::Cow::Borrowed(hint)
        }
    }
}

/// Docker's confirmation prompts answered at the terminal.
struct EditorIo<'a> {
    editor: &'a mut Editor<Helper, FileHistory>,
}

impl Interaction for EditorIo<'_> {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        // Docker prints the warning lines, then asks on the last one.
        let (before, last) = prompt.rsplit_once('\n').unwrap_or(("", prompt));
        if !before.is_empty() {
            Ui::new(false).line(before);
        }
        read_quietly(self.editor, last).ok()
    }

    fn show_progress(&mut self, outcome: &crate::engine::Outcome) -> bool {
        use std::io::IsTerminal as _;
        let (out_tty, err_tty) = (
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
        );
        if !(out_tty || err_tty) {
            return false;
        }
        crate::ui::print_outcome(outcome, out_tty, err_tty);
        true
    }
}

/// Reads a line that is not a shell command: without completion or hints, and kept out of the
/// shell's history (as in bash, an answer to Docker's `[y/N]` is not a command to recall).
fn read_quietly(
    editor: &mut Editor<Helper, FileHistory>,
    prompt: &str,
) -> rustyline::Result<String> {
    use rustyline::config::Configurer as _;
    let set = |editor: &mut Editor<Helper, FileHistory>, quiet: bool| {
        if let Some(h) = editor.helper_mut() {
            h.quiet = quiet;
        }
        editor.set_auto_add_history(!quiet);
    };
    set(editor, true);
    let line = editor.readline(prompt);
    set(editor, false);
    line
}

/// A scripted line: its text, or its bytes when it is not UTF-8.
type ScriptLine = Result<String, Vec<u8>>;

/// Docker's confirmation prompts answered by the next scripted line.
struct ScriptIo<'a> {
    lines: &'a mut VecDeque<ScriptLine>,
    ui: Ui,
}

impl Interaction for ScriptIo<'_> {
    fn read_line(&mut self, prompt: &str) -> Option<String> {
        // An answer that is not text is no answer Docker accepts: shown, then read as "no".
        let answer = self
            .lines
            .pop_front()
            .map(|l| l.unwrap_or_else(|b| String::from_utf8_lossy(&b).into_owned()));
        self.ui.echo(prompt, answer.as_deref().unwrap_or(""));
        answer
    }
}

/// The continuation prompt of a here-document (the shell's `PS2`).
const CONTINUATION: &str = "> ";

/// Whether `line` ends the here-document whose terminator is `delimiter` (`<<-` also strips
/// leading tabs, which any line may then have).
fn ends_heredoc(line: &str, delimiter: &str) -> bool {
    line == delimiter || line.trim_start_matches('\t') == delimiter
}

/// A line that opens a here-document (`cat > Dockerfile <<EOF`), completed with the lines that
/// follow up to its terminator, read by `next` (which shows the continuation prompt). `None` when
/// the reading was interrupted (Ctrl-C drops the whole command, as in bash). At end of input
/// the text so far is kept, and `sh` warns as it does.
fn read_heredoc(first: String, mut next: impl FnMut() -> Input) -> Option<String> {
    let Some(delimiter) = crate::command::line::heredoc_delimiter(&first) else {
        return Some(first);
    };
    let mut text = first;
    loop {
        match next() {
            Input::Line(l) => {
                text.push('\n');
                text.push_str(&l);
                if ends_heredoc(&l, &delimiter) {
                    return Some(text);
                }
            }
            Input::NotText => {}
            Input::Interrupted => return None,
            Input::Eof => return Some(text),
        }
    }
}

/// The tutor's answer to a line that is not UTF-8 text.
fn not_text() -> Feedback {
    Feedback::Tutor {
        tone: crate::feedback::Tone::Hint,
        msg: Msg::LineNotText,
    }
}

/// The interactive shell. Returns whether the current lab (if any) is completed.
pub fn interactive(session: &mut Session, ui: Ui, history: Option<&std::path::Path>) -> bool {
    let config = rustyline::Config::builder()
        .auto_add_history(true)
        .completion_type(rustyline::CompletionType::List)
        .build();
    let Ok(mut editor) = Editor::<Helper, FileHistory>::with_config(config) else {
        return script(session, ui, std::io::stdin().lock());
    };
    editor.set_helper(Some(Helper {
        data: session.completion_data(),
        quiet: false,
    }));
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    // Ctrl-C while a command runs stops that command, not docklab.
    let _ = crate::interrupt::install();
    loop {
        if let Some(h) = editor.helper_mut() {
            h.data = session.completion_data();
        }
        let prompt = ui.prompt(&session.prompt());
        let input = read_input(&mut editor, &prompt);
        match input {
            Input::Line(line) => {
                let Some(line) =
                    read_heredoc(line, || input_of(read_quietly(&mut editor, CONTINUATION)))
                else {
                    continue;
                };
                let fb = session.handle(
                    &line,
                    &mut EditorIo {
                        editor: &mut editor,
                    },
                );
                ui.print(session.lang(), &fb);
                if fb.iter().any(Feedback::is_quit) {
                    break;
                }
            }
            Input::NotText => ui.print(session.lang(), &[not_text()]),
            Input::Interrupted => {
                ui.print(
                    session.lang(),
                    &[Feedback::Tutor {
                        tone: crate::feedback::Tone::Hint,
                        msg: Msg::InterruptHint,
                    }],
                );
            }
            Input::Eof => {
                ui.print(
                    session.lang(),
                    &[Feedback::Tutor {
                        tone: crate::feedback::Tone::Info,
                        msg: Msg::Bye,
                    }],
                );
                break;
            }
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(h);
    }
    session.lab_completed()
}

fn read_input(editor: &mut Editor<Helper, FileHistory>, prompt: &str) -> Input {
    input_of(editor.readline(prompt))
}

fn input_of(line: rustyline::Result<String>) -> Input {
    match line {
        Ok(l) => Input::Line(l),
        Err(ReadlineError::Interrupted) => Input::Interrupted,
        Err(ReadlineError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => Input::NotText,
        Err(_) => Input::Eof,
    }
}

/// Scripted use: every line of `input` in turn, echoed after its prompt. Returns whether the
/// current lab (if any) is completed.
pub fn script<R: BufRead>(session: &mut Session, ui: Ui, input: R) -> bool {
    let mut lines: VecDeque<ScriptLine> = input
        .split(b'\n')
        .map_while(Result::ok)
        .map(|mut bytes| {
            if bytes.last() == Some(&b'\r') {
                bytes.pop();
            }
            String::from_utf8(bytes).map_err(std::string::FromUtf8Error::into_bytes)
        })
        .collect();
    while let Some(line) = lines.pop_front() {
        let line = match line {
            Ok(line) => line,
            Err(bytes) => {
                ui.echo(
                    &ui.prompt(&session.prompt()),
                    &String::from_utf8_lossy(&bytes),
                );
                ui.print(session.lang(), &[not_text()]);
                continue;
            }
        };
        ui.echo(&ui.prompt(&session.prompt()), &line);
        let Some(line) = read_heredoc(line, || match lines.pop_front() {
            Some(Ok(l)) => {
                ui.echo(CONTINUATION, &l);
                Input::Line(l)
            }
            Some(Err(_)) => Input::NotText,
            None => Input::Eof,
        }) else {
            continue;
        };
        let fb = session.handle(
            &line,
            &mut ScriptIo {
                lines: &mut lines,
                ui,
            },
        );
        ui.print(session.lang(), &fb);
        if fb.iter().any(Feedback::is_quit) {
            break;
        }
    }
    session.lab_completed()
}

#[cfg(test)]
mod quiet_tests {
    use super::*;

    /// Docker's `[y/N]` question and a here-document's lines are read without the shell's
    /// completion and hints: `o` (a French "oui") is not hinted into the tutor's `objectif`.
    #[test]
    fn a_quiet_helper_neither_hints_nor_completes() {
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let mut h = Helper {
            data: CompletionData::default(),
            quiet: false,
        };
        assert_eq!(h.hint("ob", 2, &ctx).as_deref(), Some("jectif"));
        h.quiet = true;
        assert_eq!(h.hint("ob", 2, &ctx), None);
        assert!(h.complete("ob", 2, &ctx).expect("completes").1.is_empty());
    }
}
