//! The only code that prints. Docker's output is printed as the engine returned it (on a
//! terminal, a pull's layer lines are animated the way Docker redraws them, ending on the same
//! final screen); tutor text is wrapped to the terminal's width, between words, and coloured by
//! tone when colour is on (a terminal, `NO_COLOR` unset).

use std::io::{self, IsTerminal as _, Write};
use std::thread::sleep;
use std::time::Duration;

use crate::colour::{paint, style};
use crate::docker::units::human_size4;
use crate::engine::{EngineState, ImageState, Outcome, PullEvent};
use crate::feedback::{CommandRole, Feedback, Tone};
use crate::i18n::{tr, Lang, Msg};
use crate::lab::check::Why;
use crate::session::PromptInfo;

/// Prints an outcome: stdout then stderr (the other way round when Docker prints them so),
/// animating pulls when that stream is a terminal.
pub(crate) fn print_outcome(outcome: &Outcome, stdout_tty: bool, stderr_tty: bool) {
    // The real engine attached to the terminal: docker printed it all itself.
    if outcome.shown {
        return;
    }
    if let (Some(trace), true) = (&outcome.build, stderr_tty) {
        let width = width();
        let mut err = io::stderr().lock();
        let _ = animate_build(&mut err, trace, width);
        if !crate::interrupt::pending() {
            let _ = io::stdout().lock().write_all(outcome.stdout.as_bytes());
        }
        return;
    }
    // `run` pulls on stderr, `pull` on stdout.
    let pulls_on_stderr = outcome
        .pulls
        .iter()
        .any(|p| outcome.stderr.contains(&p.header));
    let print_stdout = || {
        let mut stdout = io::stdout().lock();
        if stdout_tty && !pulls_on_stderr && !outcome.pulls.is_empty() {
            let _ = animate(&mut stdout, &outcome.stdout, &outcome.pulls, width());
        } else {
            let _ = stdout.write_all(outcome.stdout.as_bytes());
        }
        let _ = stdout.flush();
    };
    let print_stderr = || {
        let mut stderr = io::stderr().lock();
        if stderr_tty && pulls_on_stderr {
            let _ = animate(&mut stderr, &outcome.stderr, &outcome.pulls, width());
        } else {
            let _ = stderr.write_all(outcome.stderr.as_bytes());
        }
        let _ = stderr.flush();
    };
    // Docker's order: `run` pulls (on stderr) before the container prints.
    if outcome.stderr_first {
        print_stderr();
        print_stdout();
    } else {
        print_stdout();
        print_stderr();
    }
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80)
}

/// Whether a line is one of a pull's per-layer progress lines (`d107e437f729: Waiting`).
fn is_layer_line(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(id, _)| {
        id.len() == 12
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Writes `text`, replacing each pull's layer lines by an animation that ends as Docker's
/// terminal output ends: one line per layer, `Already exists` or `Pull complete`.
pub(crate) fn animate(
    out: &mut dyn Write,
    text: &str,
    pulls: &[PullEvent],
    width: usize,
) -> io::Result<()> {
    let mut pulls = pulls.iter();
    let mut current: Option<&PullEvent> = None;
    for line in text.split_inclusive('\n') {
        if current.is_some() && is_layer_line(line.trim_end()) {
            continue;
        }
        out.write_all(line.as_bytes())?;
        if let Some(p) = pulls.clone().next().filter(|p| line.trim_end() == p.header) {
            pulls.next();
            current = Some(p);
            draw_layers(out, p, width)?;
            if crate::interrupt::pending() {
                // Stopped by Ctrl-C: Docker prints nothing after the progress.
                return Ok(());
            }
        } else if !is_layer_line(line.trim_end()) {
            current = None;
        }
    }
    Ok(())
}

/// The per-layer animation: downloads three at a time, then extraction in order.
fn draw_layers(out: &mut dyn Write, pull: &PullEvent, width: usize) -> io::Result<()> {
    const FRAMES: usize = 12;
    let n = pull.layers.len();
    let status = |i: usize, frame: usize| -> String {
        let (id, size, exists) = &pull.layers[i];
        if *exists {
            return format!("{id}: Already exists");
        }
        // Layer i downloads during frames [start, start + FRAMES/2), three at a time.
        let rank = pull.layers[..i].iter().filter(|l| !l.2).count();
        let start = (rank / 3) * (FRAMES / 4);
        let new_layers = pull.layers.iter().filter(|l| !l.2).count();
        let extract_at = FRAMES + rank * 2;
        if frame < start {
            return if rank < 3 {
                format!("{id}: Pulling fs layer")
            } else {
                format!("{id}: Waiting")
            };
        }
        if frame < start + FRAMES / 2 {
            let done = (frame - start + 1) as f64 / (FRAMES / 2) as f64;
            let current = (*size as f64 * done) as u64;
            return format!("{id}: Downloading {}", progress(current, *size, width));
        }
        if frame < extract_at {
            return format!("{id}: Download complete");
        }
        if frame < extract_at + 2 && frame < FRAMES + new_layers * 2 {
            return format!("{id}: Extracting {}", progress(*size, *size, width));
        }
        format!("{id}: Pull complete")
    };
    let total_frames = FRAMES + pull.layers.iter().filter(|l| !l.2).count() * 2 + 1;
    for frame in 0..total_frames {
        if frame > 0 {
            write!(out, "\x1b[{n}A")?;
        }
        for i in 0..n {
            writeln!(out, "\x1b[2K{}", status(i, frame))?;
        }
        out.flush()?;
        // Ctrl-C stops the pull where it is, as Docker's does.
        if crate::interrupt::pending() {
            return Ok(());
        }
        sleep(Duration::from_millis(25));
    }
    Ok(())
}

/// `BuildKit`'s compact terminal view, redrawn as the steps complete one after the other and ending
/// on buildx's final screen (`[+] Building 9.7s (10/10) FINISHED`).
pub(crate) fn animate_build(
    out: &mut dyn Write,
    trace: &crate::build::progress::Trace,
    width: usize,
) -> io::Result<()> {
    use crate::build::progress::{render_tty, Trace};
    let mut shown = 0;
    for k in 1..=trace.vertices.len() {
        let partial = Trace {
            vertices: trace.vertices[..k].to_vec(),
        };
        let text = if k == trace.vertices.len() {
            render_tty(trace, width)
        } else {
            render_tty(&partial, width)
        };
        if shown > 0 {
            write!(out, "\x1b[{shown}A")?;
        }
        for line in text.lines() {
            writeln!(out, "\x1b[2K{line}")?;
        }
        shown = text.lines().count();
        out.flush()?;
        if crate::interrupt::pending() {
            return Ok(());
        }
        sleep(Duration::from_millis(40));
    }
    Ok(())
}

/// Docker's progress text: a 50-character bar on wide terminals, then `current/total`.
fn progress(current: u64, total: u64, width: usize) -> String {
    let pct = ((current as f64 / total.max(1) as f64 * 100.0) as usize / 2).min(50);
    let bar = if width > 110 {
        format!("[{}>{}] ", "=".repeat(pct), " ".repeat(50 - pct))
    } else {
        String::new()
    };
    format!(
        "{bar}{:>8}/{}",
        human_size4(current as f64),
        human_size4(total as f64)
    )
}

/// Prints feedback and builds prompts.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Colour on standard output.
    pub colour: bool,
    /// Colour on standard error (decided apart: one may be redirected, not the other).
    pub err_colour: bool,
}

/// Whether standard output gets colour ([`crate::colour::decide`]).
pub(crate) fn colour_enabled() -> bool {
    crate::colour::enabled(crate::colour::Stream::Stdout)
}

impl Ui {
    /// The same choice for both streams.
    pub fn new(colour: bool) -> Ui {
        Ui {
            colour,
            err_colour: colour,
        }
    }

    /// Each stream's colour from the environment and whether it is a terminal.
    pub fn detect() -> Ui {
        use crate::colour::{enabled, Stream};
        Ui {
            colour: enabled(Stream::Stdout),
            err_colour: enabled(Stream::Stderr),
        }
    }

    /// The prompt: `[images 3/16] ~/Test $ `.
    pub fn prompt(&self, p: &PromptInfo) -> String {
        let mut s = String::new();
        if let Some((id, n, total)) = &p.lab {
            s.push_str(&paint(
                self.colour,
                style::PROMPT_LAB,
                &format!("[{id} {n}/{total}]"),
            ));
            s.push(' ');
        }
        s.push_str(&paint(self.colour, style::PROMPT_CWD, &p.cwd));
        s.push_str(" $ ");
        s
    }

    /// A tutor text as it will be printed.
    pub fn render(&self, tone: Tone, text: &str) -> String {
        let style = match tone {
            Tone::Plain => style::PLAIN,
            Tone::Info => style::INFO,
            Tone::Success => style::SUCCESS,
            Tone::Warning => style::WARNING,
            Tone::Error => style::ERROR,
            Tone::Hint => style::HINT,
            Tone::Step => style::STEP,
        };
        paint(self.colour, style, text)
    }

    /// Prints the session's answer, translated into `lang`.
    pub fn print(&self, lang: Lang, feedback: &[Feedback]) {
        let mut out = std::io::stdout().lock();
        for f in feedback {
            match f {
                Feedback::Docker(outcome) => {
                    drop(out);
                    print_outcome(
                        outcome,
                        io::stdout().is_terminal(),
                        io::stderr().is_terminal(),
                    );
                    out = std::io::stdout().lock();
                }
                Feedback::Layers(p) => {
                    let focus = p
                        .focus
                        .as_ref()
                        .and_then(|id| p.state.images.iter().find(|i| &i.id == id));
                    let (plain, rich) = picture(lang, &p.state, focus);
                    let _ = out.write_all(if self.colour { rich } else { plain }.as_bytes());
                }
                Feedback::Goal(g) => {
                    let (plain, rich) = goal_picture(lang, g);
                    let _ = out.write_all(if self.colour { rich } else { plain }.as_bytes());
                }
                Feedback::Command { .. } => {
                    // A command is copied as typed: never wrapped.
                    for (tone, text) in lines(lang, f) {
                        let _ = writeln!(out, "{}", self.render(tone, &text));
                    }
                }
                other => {
                    let width = wrap_width();
                    for (tone, text) in lines(lang, other) {
                        let text = match width {
                            Some(w) => wrap(&text, w),
                            None => text,
                        };
                        for line in text.split('\n') {
                            let _ = writeln!(out, "{}", self.render(tone, line));
                        }
                    }
                }
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
        let _ = writeln!(err, "{}", paint(self.err_colour, style::ERROR, text));
    }
}

/// The lines one feedback prints, translated into `lang`, each with its tone. Docker's output
/// and the layer picture are not tutor lines: they give none.
pub fn lines(lang: Lang, feedback: &Feedback) -> Vec<(Tone, String)> {
    match feedback {
        Feedback::Tutor {
            tone,
            msg: Msg::Help,
        } => help_lines(lang).into_iter().map(|l| (*tone, l)).collect(),
        Feedback::Tutor { tone, msg } => vec![(*tone, tr(lang, msg))],
        Feedback::Lab { tone, text } => vec![(*tone, text.clone())],
        Feedback::Command { role, line } => vec![match role {
            CommandRole::Solution => (Tone::Plain, format!("    {line}")),
            CommandRole::Skipped => (Tone::Hint, format!("$ {line}")),
            CommandRole::Cleanup => (Tone::Plain, format!("  {line}")),
        }],
        Feedback::Missing(why) => why_lines(lang, why)
            .into_iter()
            .map(|l| (Tone::Warning, format!("  - {l}")))
            .collect(),
        Feedback::Engine(e) => vec![(Tone::Error, tr(lang, &e.msg()))],
        Feedback::Interrupted => vec![(Tone::Plain, String::new())],
        Feedback::Docker(_) | Feedback::Layers(_) | Feedback::Goal(_) | Feedback::Quit => {
            Vec::new()
        }
    }
}

/// `help`: every tutor command of [`crate::command::TUTOR_COMMANDS`] with its words in `lang`
/// and what it does, in two aligned columns between a header and a footer.
pub(crate) fn help_lines(lang: Lang) -> Vec<String> {
    use crate::command::TUTOR_COMMANDS;
    use unicode_width::UnicodeWidthStr as _;
    let usages: Vec<String> = TUTOR_COMMANDS.iter().map(|c| c.usage(lang)).collect();
    let column = usages.iter().map(|u| u.width()).max().unwrap_or(0) + 2;
    let mut out = vec![tr(lang, &Msg::Help)];
    for (c, usage) in TUTOR_COMMANDS.iter().zip(&usages) {
        let what = tr(
            lang,
            &Msg::HelpCommand {
                command: c.key().to_owned(),
            },
        );
        let pad = " ".repeat(column - usage.width());
        out.push(format!("  {usage}{pad}{what}"));
    }
    out.push(tr(lang, &Msg::HelpFooter));
    out
}

/// The width tutor text is wrapped to: `COLUMNS` when it is set, else the terminal's width when
/// standard output is a terminal; `None` (no wrapping) when it is a pipe or a file.
pub(crate) fn wrap_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0);
    if columns.is_some() {
        return columns;
    }
    let out = io::stdout();
    if !out.is_terminal() {
        return None;
    }
    rustix::termios::tcgetwinsize(&out)
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|&c| c > 0)
}

/// `text` wrapped to `width` columns, line by line, breaking only at ordinary spaces (never at
/// a no-break space, so « Étape 1 : » stays whole, nor inside a word). A continuation line is
/// indented like its line's text: under the first word after the line's indent and list marker
/// (`  - `, `  · `), or under the second column of an aligned table row (`  indice   l'indice…`).
/// A word longer than the line is the only thing that overflows, and a line indented by four
/// spaces or a tab is code (a Dockerfile, a command in a lab's text): it is copied, not wrapped.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    text.split('\n')
        .map(|line| wrap_line(line, width))
        .collect::<Vec<_>>()
        .join("\n")
}

fn wrap_line(line: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr as _;
    if line.width() <= width || line.starts_with("    ") || line.starts_with('\t') {
        return line.to_owned();
    }
    let hang = hanging_indent(line, width);
    let body_start = line.len() - line.trim_start_matches(' ').len();
    let mut out = String::with_capacity(line.len() + 8);
    out.push_str(&line[..body_start]);
    let mut current = body_start;
    let mut pending = ""; // the spaces before the next word, kept when it fits
    let mut at_line_start = true;
    let mut rest = &line[body_start..];
    while !rest.is_empty() {
        let word_end = rest.find(' ').unwrap_or(rest.len());
        let word = &rest[..word_end];
        let after = &rest[word_end..];
        let spaces_end = after.len() - after.trim_start_matches(' ').len();
        let w = word.width();
        if !at_line_start && current + pending.len() + w > width {
            out.push('\n');
            out.push_str(&" ".repeat(hang));
            current = hang;
        } else {
            out.push_str(pending);
            current += pending.len();
        }
        out.push_str(word);
        current += w;
        at_line_start = false;
        pending = &after[..spaces_end];
        rest = &after[spaces_end..];
    }
    out
}

/// Where the continuation lines of `line` start: after the first run of two spaces or more of
/// an indented line (an aligned table) if that leaves 20 columns, else after its indent and list
/// marker if that leaves half the line, else at the margin.
fn hanging_indent(line: &str, width: usize) -> usize {
    use unicode_width::UnicodeWidthStr as _;
    let body = line.trim_start_matches(' ');
    let indent = line.len() - body.len();
    if indent > 0 {
        // A table's gap comes early in the row; two spaces later on are not a column.
        let column = line[indent..]
            .find("  ")
            .filter(|&gap| gap <= 40)
            .and_then(|gap| {
                let from = indent + gap;
                line[from..]
                    .find(|c| c != ' ')
                    .map(|n| line[..from + n].width())
            });
        if let Some(c) = column.filter(|&c| c + 20 <= width) {
            return c;
        }
    }
    let marker = ["- ", "· ", "* ", "• "]
        .iter()
        .find(|m| body.starts_with(**m))
        .map_or(0, |m| m.width());
    Some(indent + marker)
        .filter(|&h| h <= width / 2)
        .unwrap_or(0)
}

/// What unmet checks say, one line each, in `lang`: every failing check of an `all`, the
/// alternatives of an `any` indented under its header.
pub(crate) fn why_lines(lang: Lang, why: &Why) -> Vec<String> {
    let mut out = Vec::new();
    push_why(lang, why, &mut out);
    // Two checks can fail for one reason (the image missing for its count and for its
    // config): each line is said once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|l| seen.insert(l.clone()));
    out
}

fn push_why(lang: Lang, why: &Why, out: &mut Vec<String>) {
    match why {
        Why::Msg(m) => out.push(tr(lang, m)),
        Why::All(ws) => {
            for w in ws {
                push_why(lang, w, out);
            }
        }
        Why::Any(ws) => {
            out.push(tr(lang, &Msg::AnyFail));
            for w in ws {
                out.extend(why_lines(lang, w).into_iter().map(|l| format!("  · {l}")));
            }
        }
        Why::Not(w) => {
            let inner = why_lines(lang, w);
            out.push(tr(
                lang,
                &Msg::NotFail {
                    inner: inner.join(" "),
                },
            ));
        }
    }
}

/// The layer picture in `lang`, plain and rich; 80 columns unless `COLUMNS` says otherwise.
pub fn picture(lang: Lang, state: &EngineState, focus: Option<&ImageState>) -> (String, String) {
    use crate::layers::picture::{render, summary, Labels, Style};
    let s = summary(state, focus);
    let running = |n: usize| tr(lang, &Msg::LayersRunning { n: n as i64 });
    let stopped = |n: usize| tr(lang, &Msg::LayersStopped { n: n as i64 });
    let labels = Labels {
        heading: vec![
            tr(
                lang,
                &Msg::LayersSummary {
                    images: s.images as i64,
                    layers: s.layers as i64,
                    shared: s.shared as i64,
                },
            ),
            tr(
                lang,
                &Msg::LayersDisk {
                    size: human_size4(s.disk as f64),
                    naive: human_size4(s.naive as f64),
                },
            ),
        ],
        dangling: tr(lang, &Msg::LayersDangling),
        intermediate: tr(lang, &Msg::LayersIntermediate),
        running: &running,
        stopped: &stopped,
        empty: tr(lang, &Msg::LayersEmpty),
    };
    let width = width();
    (
        render(state, focus, &labels, Style::PLAIN, width),
        render(state, focus, &labels, Style::RICH, width),
    )
}

/// The goal picture in `lang`, plain and rich; 80 columns unless `COLUMNS` says otherwise.
pub fn goal_picture(lang: Lang, g: &crate::feedback::GoalPicture) -> (String, String) {
    use crate::layers::goal::{container_now, count_holds, count_now, render, GoalLabels, Want};
    use crate::layers::picture::Style;
    let mut footer = Vec::new();
    for c in &g.goal.counts {
        let now = count_now(&g.state, c);
        let ok = count_holds(c, now);
        let bounds = [
            ("equals", c.equals),
            ("at-least", c.at_least),
            ("at-most", c.at_most),
        ];
        for (bound, n) in bounds {
            if let Some(n) = n {
                let msg = Msg::GoalCount {
                    dangling: if c.dangling { "yes" } else { "no" }.to_owned(),
                    now: now as i64,
                    bound: bound.to_owned(),
                    n: n as i64,
                };
                footer.push((ok, tr(lang, &msg)));
            }
        }
    }
    for c in &g.goal.containers {
        let (ok, names) = container_now(&g.state, c);
        let want = match c.want {
            Want::Running => "running",
            Want::Exists => "exists",
            Want::NoneRunning => "none-running",
            Want::None => "none",
        };
        let msg = Msg::GoalContainer {
            image: c.image.clone(),
            want: want.to_owned(),
            count: names.len() as i64,
            names: names
                .iter()
                .map(|(name, running)| {
                    let state = Msg::GoalContainerState {
                        running: if *running { "yes" } else { "no" }.to_owned(),
                    };
                    format!("{name} ({})", tr(lang, &state))
                })
                .collect::<Vec<_>>()
                .join(", "),
        };
        footer.push((ok, tr(lang, &msg)));
    }
    let other = (g.goal.other > 0).then(|| {
        tr(
            lang,
            &Msg::GoalOther {
                n: g.goal.other as i64,
            },
        )
    });
    let labels = |style: Style| {
        let (yes, no) = if style.unicode {
            ("✔", "✘")
        } else {
            ("ok", "--")
        };
        let mut legend = tr(
            lang,
            &Msg::GoalLegend {
                yes: yes.to_owned(),
                no: no.to_owned(),
            },
        );
        if let Some(o) = &other {
            legend = format!("{o}\n{legend}");
        }
        GoalLabels {
            heading: tr(
                lang,
                &Msg::GoalHeading {
                    n: g.n as i64,
                    total: g.total as i64,
                    title: g.title.clone(),
                },
            ),
            now: tr(lang, &Msg::GoalNow),
            goal: tr(lang, &Msg::GoalTarget),
            dangling: tr(lang, &Msg::LayersDangling),
            absent: tr(lang, &Msg::GoalAbsent),
            footer: footer.clone(),
            legend,
        }
    };
    let width = width();
    (
        render(
            &g.goal,
            &g.state,
            &labels(Style::PLAIN),
            Style::PLAIN,
            width,
        ),
        render(&g.goal, &g.state, &labels(Style::RICH), Style::RICH, width),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn animation_ends_on_dockers_final_screen() {
        let text = "Using default tag: latest\nlatest: Pulling from library/nginx\n\
            aaaaaaaaaaaa: Already exists\nbbbbbbbbbbbb: Pulling fs layer\nbbbbbbbbbbbb: Pull complete\n\
            Digest: sha256:x\n";
        let pull = PullEvent {
            header: "latest: Pulling from library/nginx".into(),
            layers: vec![
                ("aaaaaaaaaaaa".into(), 10, true),
                ("bbbbbbbbbbbb".into(), 20_000_000, false),
            ],
        };
        let mut out = Vec::new();
        animate(&mut out, text, &[pull], 120).expect("in memory");
        let screen = String::from_utf8(out).expect("utf-8");
        let last_frame = screen.rsplit("\x1b[2A").next().expect("frames");
        assert_eq!(
            last_frame,
            "\x1b[2Kaaaaaaaaaaaa: Already exists\n\x1b[2Kbbbbbbbbbbbb: Pull complete\nDigest: sha256:x\n"
        );
        assert!(screen.contains("Downloading [="));
        assert!(
            screen.starts_with("Using default tag: latest\nlatest: Pulling from library/nginx\n")
        );
    }

    #[test]
    fn build_animation_ends_on_buildx_final_screen() {
        use crate::build::progress::{render_tty, Trace, Vertex};
        let mut trace = Trace::default();
        trace.push(Vertex::new(
            "[internal] load build definition from Dockerfile",
            0,
        ));
        trace.push(Vertex::new(
            "[1/2] FROM docker.io/library/debian:trixie-slim",
            10,
        ));
        trace.push(Vertex::new("exporting to image", 100));
        let mut out = Vec::new();
        animate_build(&mut out, &trace, 80).expect("in memory");
        let screen = String::from_utf8(out).expect("utf-8");
        let last = screen.rsplit("\x1b[3A").next().expect("frames");
        let mut want = String::new();
        for l in render_tty(&trace, 80).lines() {
            want.push_str("\x1b[2K");
            want.push_str(l);
            want.push('\n');
        }
        assert_eq!(last, want);
        assert!(
            screen.contains("(1/1)"),
            "starts with the first step: {screen}"
        );
    }

    /// The layout the session's feedback used to carry pre-formatted, now laid out here: unmet
    /// checks as `  - ` lines (alternatives indented under their header), command lines by role,
    /// engine errors in the error tone.
    #[test]
    fn feedback_lines_are_laid_out_by_kind() {
        let absent = |r: &str| {
            Why::Msg(Msg::ImagePresentFail {
                reference: r.to_owned(),
            })
        };
        let why = Why::All(vec![
            absent("nginx:latest"),
            Why::Any(vec![absent("a:1"), absent("b:1")]),
        ]);
        let text = |f: &Feedback| -> Vec<(Tone, String)> { lines(Lang::En, f) };
        assert_eq!(
            text(&Feedback::Missing(why)),
            [
                (
                    Tone::Warning,
                    "  - The image nginx:latest is not there.".to_owned()
                ),
                (Tone::Warning, "  - None of these holds:".to_owned()),
                (
                    Tone::Warning,
                    "  -   · The image a:1 is not there.".to_owned()
                ),
                (
                    Tone::Warning,
                    "  -   · The image b:1 is not there.".to_owned()
                ),
            ]
        );
        let command = |role| Feedback::Command {
            role,
            line: "docker rmi x".to_owned(),
        };
        assert_eq!(
            text(&command(CommandRole::Solution)),
            [(Tone::Plain, "    docker rmi x".to_owned())]
        );
        assert_eq!(
            text(&command(CommandRole::Skipped)),
            [(Tone::Hint, "$ docker rmi x".to_owned())]
        );
        assert_eq!(
            text(&command(CommandRole::Cleanup)),
            [(Tone::Plain, "  docker rmi x".to_owned())]
        );
        let engine = text(&Feedback::Engine(
            crate::engine::EngineError::NotSimulated {
                command: "exec".to_owned(),
            },
        ));
        assert_eq!(engine.len(), 1);
        assert_eq!(engine[0].0, Tone::Error);
        assert_eq!(
            engine[0].1,
            tr(
                Lang::En,
                &Msg::NotSimulated {
                    command: "exec".to_owned()
                }
            )
        );
        assert!(text(&Feedback::Quit).is_empty());
        assert!(text(&Feedback::Docker(Outcome::ok("x\n"))).is_empty());
    }

    #[test]
    fn wrapping_breaks_between_words_only() {
        use unicode_width::UnicodeWidthStr as _;
        let cases: &[(&str, usize, &str)] = &[
            ("short", 20, "short"),
            ("one two three four", 9, "one two\nthree\nfour"),
            // A word longer than the line overflows alone, uncut.
            (
                "a sha256:0123456789abcdef b",
                10,
                "a\nsha256:0123456789abcdef\nb",
            ),
            // No break at a no-break space: « Étape\u{202f}: » stays together.
            ("Étape 1\u{202f}: tag", 8, "Étape\n1\u{202f}: tag"),
            // Wide characters count for what they take.
            ("🎉 🎉 🎉 🎉", 5, "🎉 🎉\n🎉 🎉"),
            // List items hang under their text, table rows under their second column.
            (
                "  - the image is gone",
                12,
                "  - the\n    image is\n    gone",
            ),
            (
                "  indice     the next hint in line",
                33,
                "  indice     the next hint in\n             line",
            ),
            // Too narrow for the table's column: under the indent.
            (
                "  indice     the next hint",
                22,
                "  indice     the next\n  hint",
            ),
            // Line breaks in the text are kept, each line wrapped on its own.
            ("ab cd\nef gh", 3, "ab\ncd\nef\ngh"),
            // Code lines are copied whole.
            (
                "Run:\n    docker tag a b\nthen go",
                6,
                "Run:\n    docker tag a b\nthen\ngo",
            ),
        ];
        for (text, width, want) in cases {
            let got = wrap(text, *width);
            assert_eq!(&got, want, "{text:?} at {width}");
            for line in got.lines().filter(|l| !l.starts_with("    ")) {
                assert!(
                    line.width() <= *width || !line.trim().contains(' '),
                    "{line:?} is wider than {width} and could have been broken"
                );
            }
            let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
            assert_eq!(words(&got), words(text), "same words, in order");
        }
    }

    /// `help` lists every tutor command of the table, in each language with that language's
    /// words and a description of its own (not the empty fallback).
    #[test]
    fn help_lists_every_tutor_command_in_each_language() {
        use crate::command::TUTOR_COMMANDS;
        for lang in Lang::ALL {
            let help = help_lines(lang);
            assert_eq!(help.len(), TUTOR_COMMANDS.len() + 2, "{help:?}");
            let fallback = tr(
                lang,
                &Msg::HelpCommand {
                    command: "no-such-command".to_owned(),
                },
            );
            for (c, line) in TUTOR_COMMANDS.iter().zip(&help[1..]) {
                let usage = c.usage(lang);
                assert!(line.starts_with(&format!("  {usage}  ")), "{line:?}");
                let what = tr(
                    lang,
                    &Msg::HelpCommand {
                        command: c.key().to_owned(),
                    },
                );
                assert!(!what.is_empty() && what != fallback, "{}: {lang}", c.key());
                assert!(line.ends_with(&what), "{line:?}");
            }
        }
        let fr = help_lines(Lang::Fr).join("\n");
        for word in [
            "aide",
            "couches",
            "expliquer oui|non",
            "langue",
            "progression",
            "étape",
        ] {
            assert!(fr.contains(word), "{word} in {fr}");
        }
        let en = help_lines(Lang::En).join("\n");
        for word in [
            "help",
            "layers",
            "explain on|off",
            "lang",
            "progress",
            "step",
        ] {
            assert!(en.contains(word), "{word} in {en}");
        }
    }

    #[test]
    fn progress_matches_docker_layout() {
        assert_eq!(progress(0, 29_780_000, 80), "      0B/29.78MB");
        assert!(progress(14_890_000, 29_780_000, 120).starts_with("[=========================>"));
    }
}
