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

/// One tutor command as the student types it and as `help` lists it.
#[derive(Debug, Clone, Copy)]
pub struct TutorCommand {
    /// The English words, the first one is the command's key (help's Fluent selector).
    pub en: &'static [&'static str],
    /// The French words.
    pub fr: &'static [&'static str],
    /// Other spellings that work but that help does not show (`etape` for `étape`, `?`).
    pub also: &'static [&'static str],
    /// What follows the word in help, in English and in French (`LAB`, `ATELIER`).
    pub arg: Option<(&'static str, &'static str)>,
    /// The command, given its argument.
    pub make: fn(Option<String>) -> Tutor,
}

impl TutorCommand {
    /// The key naming the command in `help-command` (its first English word).
    pub fn key(&self) -> &'static str {
        self.en[0]
    }

    /// The words help shows in `lang`, with the argument: `commencer ATELIER`.
    pub fn usage(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        let (words, arg) = match lang {
            Lang::En => (self.en, self.arg.map(|a| a.0)),
            Lang::Fr => (self.fr, self.arg.map(|a| a.1)),
        };
        let mut s = words.join(", ");
        if let Some(arg) = arg {
            s.push(' ');
            s.push_str(arg);
        }
        s
    }
}

/// Every tutor command, in the order `help` lists them: the one table that parsing, completion
/// and help read, so that a command cannot be missing from any of them.
pub const TUTOR_COMMANDS: &[TutorCommand] = &[
    TutorCommand {
        en: &["help"],
        fr: &["aide"],
        also: &["?"],
        arg: None,
        make: |_| Tutor::Help,
    },
    TutorCommand {
        en: &["labs"],
        fr: &["ateliers"],
        also: &[],
        arg: None,
        make: |_| Tutor::Labs,
    },
    TutorCommand {
        en: &["start"],
        fr: &["commencer"],
        also: &[],
        arg: Some(("LAB", "ATELIER")),
        make: Tutor::Start,
    },
    TutorCommand {
        en: &["step"],
        fr: &["étape"],
        also: &["etape"],
        arg: None,
        make: |_| Tutor::Step,
    },
    TutorCommand {
        en: &["check"],
        fr: &["vérifier"],
        also: &["verifier"],
        arg: None,
        make: |_| Tutor::Check,
    },
    TutorCommand {
        en: &["hint"],
        fr: &["indice"],
        also: &[],
        arg: None,
        make: |_| Tutor::Hint,
    },
    TutorCommand {
        en: &["next"],
        fr: &["suivant"],
        also: &[],
        arg: None,
        make: |_| Tutor::Next,
    },
    TutorCommand {
        en: &["skip"],
        fr: &["passer"],
        also: &[],
        arg: None,
        make: |_| Tutor::Skip,
    },
    TutorCommand {
        en: &["reset"],
        fr: &["recommencer"],
        also: &[],
        arg: None,
        make: |_| Tutor::Reset,
    },
    TutorCommand {
        en: &["progress"],
        fr: &["progression"],
        also: &[],
        arg: None,
        make: |_| Tutor::Progress,
    },
    TutorCommand {
        en: &["layers"],
        fr: &["couches"],
        also: &[],
        arg: Some(("[IMAGE]", "[IMAGE]")),
        make: Tutor::Layers,
    },
    TutorCommand {
        en: &["goal"],
        fr: &["objectif"],
        also: &[],
        arg: None,
        make: |_| Tutor::Goal,
    },
    TutorCommand {
        en: &["explain"],
        fr: &["expliquer"],
        also: &[],
        arg: Some(("on|off", "oui|non")),
        make: Tutor::Explain,
    },
    TutorCommand {
        en: &["lang"],
        fr: &["langue"],
        also: &[],
        arg: Some(("fr|en", "fr|en")),
        make: Tutor::Lang,
    },
    TutorCommand {
        en: &["practice"],
        fr: &["entraînement"],
        also: &["entrainement"],
        arg: Some(("[SEED]", "[GRAINE]")),
        make: Tutor::Practice,
    },
    TutorCommand {
        en: &["quit", "exit"],
        fr: &["quitter", "sortir"],
        also: &[],
        arg: None,
        make: |_| Tutor::Quit,
    },
];

/// Tutor command words in both languages, for completion (not `?`, which is not a word).
pub fn tutor_words() -> impl Iterator<Item = &'static str> {
    TUTOR_COMMANDS
        .iter()
        .flat_map(|c| c.en.iter().chain(c.fr).chain(c.also))
        .copied()
        .filter(|w| w.chars().all(char::is_alphabetic))
}

fn tutor_word(word: &str) -> Option<fn(Option<String>) -> Tutor> {
    TUTOR_COMMANDS
        .iter()
        .find(|c| c.en.iter().chain(c.fr).chain(c.also).any(|w| *w == word))
        .map(|c| c.make)
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
        assert_eq!(parse("?"), Command::Tutor(Tutor::Help));
        assert_eq!(parse("etape"), Command::Tutor(Tutor::Step));
        assert_eq!(parse("sortir"), Command::Tutor(Tutor::Quit));
        assert_eq!(
            parse("couches nginx"),
            Command::Tutor(Tutor::Layers(Some("nginx".into())))
        );
    }

    /// Each variant's place in [`TUTOR_COMMANDS`]; the match is exhaustive, so a new variant
    /// does not compile until it is named here, and the test below then wants it in the table.
    fn variant(t: &Tutor) -> usize {
        match t {
            Tutor::Help => 0,
            Tutor::Labs => 1,
            Tutor::Start(_) => 2,
            Tutor::Step => 3,
            Tutor::Check => 4,
            Tutor::Hint => 5,
            Tutor::Next => 6,
            Tutor::Skip => 7,
            Tutor::Reset => 8,
            Tutor::Progress => 9,
            Tutor::Layers(_) => 10,
            Tutor::Goal => 11,
            Tutor::Explain(_) => 12,
            Tutor::Lang(_) => 13,
            Tutor::Practice(_) => 14,
            Tutor::Quit => 15,
        }
    }

    #[test]
    fn every_tutor_command_is_in_the_table_once_and_parses_back() {
        let made: Vec<usize> = TUTOR_COMMANDS
            .iter()
            .map(|c| variant(&(c.make)(None)))
            .collect();
        assert_eq!(made, (0..=15).collect::<Vec<_>>());
        let mut seen = std::collections::BTreeSet::new();
        for c in TUTOR_COMMANDS {
            for w in c.en.iter().chain(c.fr).chain(c.also) {
                assert!(seen.insert(*w), "{w} names two commands");
                let Command::Tutor(t) = parse(w) else {
                    panic!("{w} is not a tutor command");
                };
                assert_eq!(variant(&t), variant(&(c.make)(None)), "{w}");
            }
        }
        assert!(tutor_words().any(|w| w == "couches"));
        assert!(!tutor_words().any(|w| w == "?"));
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
