//! A typed line → what it is: a tutor command (in English or French spelling), a Docker command,
//! `cd`/`pwd` (handled by docklab), or a shell command for the workspace. Also `$(docker …)`
//! command substitution.

pub mod line;

/// The tutor's own commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tutor {
    Help,
    Labs,
    Start(Option<String>),
    Step,
    Check,
    Hint,
    Next,
    Skip,
    Reset,
    Progress,
    Lang(Option<String>),
    /// `layers [IMAGE]`: the picture of the store's layers.
    Layers(Option<String>),
    /// `goal`: the end state of the current step beside the store now.
    Goal,
    /// `explain on|off`: explanations after each Docker command.
    Explain(Option<String>),
    /// `practice [SEED]`: a generated practice lab (seed from the clock without one).
    Practice(Option<String>),
    Quit,
}

/// What a line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Empty,
    Tutor(Tutor),
    /// `docker …` (the whole line; words are split after substitution).
    Docker,
    Cd(Option<String>),
    Pwd,
    Shell,
}

/// Tutor command words in both languages, for parsing and completion.
pub const TUTOR_WORDS: &[&str] = &[
    "help",
    "aide",
    "labs",
    "ateliers",
    "start",
    "commencer",
    "step",
    "etape",
    "étape",
    "check",
    "verifier",
    "vérifier",
    "hint",
    "indice",
    "next",
    "suivant",
    "skip",
    "passer",
    "reset",
    "recommencer",
    "progress",
    "progression",
    "lang",
    "langue",
    "layers",
    "couches",
    "goal",
    "objectif",
    "explain",
    "expliquer",
    "practice",
    "entrainement",
    "entraînement",
    "quit",
    "exit",
    "quitter",
    "sortir",
];

fn tutor_word(word: &str) -> Option<fn(Option<String>) -> Tutor> {
    Some(match word {
        "help" | "aide" | "?" => |_| Tutor::Help,
        "labs" | "ateliers" => |_| Tutor::Labs,
        "start" | "commencer" => Tutor::Start,
        "step" | "etape" | "étape" => |_| Tutor::Step,
        "check" | "verifier" | "vérifier" => |_| Tutor::Check,
        "hint" | "indice" => |_| Tutor::Hint,
        "next" | "suivant" => |_| Tutor::Next,
        "skip" | "passer" => |_| Tutor::Skip,
        "reset" | "recommencer" => |_| Tutor::Reset,
        "progress" | "progression" => |_| Tutor::Progress,
        "lang" | "langue" => Tutor::Lang,
        "layers" | "couches" => Tutor::Layers,
        "goal" | "objectif" => |_| Tutor::Goal,
        "explain" | "expliquer" => Tutor::Explain,
        "practice" | "entrainement" | "entraînement" => Tutor::Practice,
        "quit" | "exit" | "quitter" | "sortir" => |_| Tutor::Quit,
        _ => return None,
    })
}

/// `NAME=value`, as a shell reads a variable assignment before a command.
pub fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Classifies a line.
pub fn parse(line: &str) -> Command {
    let line = line.trim();
    let mut words = line.split_whitespace();
    let Some(first) = words.next() else {
        return Command::Empty;
    };
    if first.starts_with('#') {
        return Command::Empty;
    }
    let arg = words.next().map(str::to_owned);
    let extra = words.next().is_some();
    if let Some(make) = tutor_word(first) {
        if !extra {
            return Command::Tutor(make(arg));
        }
    }
    // `DOCKER_BUILDKIT=0 docker build .`: assignments before `docker` are for that command.
    let after_assignments = line.split_whitespace().find(|w| !is_assignment(w));
    if first != "docker" && is_assignment(first) && after_assignments == Some("docker") {
        return Command::Docker;
    }
    match first {
        "docker" => Command::Docker,
        // `cd "My dir"`, `cd $HOME/Test`: one directory after expansion (the session expands).
        "cd" if !line.contains([';', '&', '|', '<', '>'])
            && line::words(line, &|_| Some("x".to_owned())).is_ok_and(|w| w.words.len() <= 2) =>
        {
            Command::Cd(arg)
        }
        "pwd" if arg.is_none() => Command::Pwd,
        _ => Command::Shell,
    }
}

/// Finds `$(…)` spans (outermost, balanced) in `line`: (start, end exclusive, inner text).
pub fn substitutions(line: &str) -> Vec<(usize, usize, String)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_single = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_single = !in_single,
            b'$' if !in_single && bytes.get(i + 1) == Some(&b'(') => {
                let mut depth = 0usize;
                let mut j = i + 1;
                while j < bytes.len() {
                    match bytes[j] {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                if j >= bytes.len() {
                    return out;
                }
                // `$((1 + 2))` is arithmetic, the shell's own, not a command to run.
                if bytes.get(i + 2) != Some(&b'(') {
                    out.push((i, j + 1, line[i + 2..j].to_owned()));
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_lines() {
        assert_eq!(parse("  "), Command::Empty);
        assert_eq!(parse("indice"), Command::Tutor(Tutor::Hint));
        assert_eq!(
            parse("start images"),
            Command::Tutor(Tutor::Start(Some("images".into())))
        );
        assert_eq!(
            parse("langue en"),
            Command::Tutor(Tutor::Lang(Some("en".into())))
        );
        assert_eq!(parse("objectif"), Command::Tutor(Tutor::Goal));
        assert_eq!(parse("goal"), Command::Tutor(Tutor::Goal));
        assert_eq!(parse("docker images"), Command::Docker);
        assert_eq!(parse("cd ~/Test"), Command::Cd(Some("~/Test".into())));
        assert_eq!(parse("cd"), Command::Cd(None));
        assert_eq!(parse("cd \"My dir\""), Command::Cd(Some("\"My".into())));
        assert_eq!(parse("cd a b"), Command::Shell);
        assert_eq!(parse("mkdir ~/Test"), Command::Shell);
        assert_eq!(parse("echo hi > f"), Command::Shell);
        assert_eq!(parse("# comment"), Command::Empty);
        assert_eq!(parse("entraînement"), Command::Tutor(Tutor::Practice(None)));
        assert_eq!(
            parse("practice 42"),
            Command::Tutor(Tutor::Practice(Some("42".into())))
        );
    }

    #[test]
    fn finds_substitutions() {
        let s = substitutions("docker rmi $(docker images -q)");
        assert_eq!(s, vec![(11, 30, "docker images -q".to_owned())]);
        assert!(substitutions("echo '$(x)'").is_empty());
        assert!(substitutions("echo $(unclosed").is_empty());
        assert!(substitutions("echo $((1 + 2))").is_empty());
    }
}
