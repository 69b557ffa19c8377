//! French typography, as the tutor's French must follow it and a lab's French should: a
//! no-break space (narrow U+202F, or U+00A0) before `: ; ! ?`, « guillemets » with no-break
//! spaces inside rather than straight or English quotes, and « tag » rather than « étiquette »
//! (which is a LABEL). Code between backticks and URLs are not prose and are left alone; so is
//! a `:` inside a word (`nginx:latest`, `12:00`).

/// What is wrong at one place of a French text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Fault {
    /// An ordinary space before `: ; ! ?` (a line break could separate them).
    OrdinarySpace(char),
    /// No space at all before `: ; ! ?`.
    NoSpace(char),
    /// `"…"` or `“…”` where French writes « … ».
    Quote(char),
    /// `«` not followed, or `»` not preceded, by a no-break space.
    Guillemet(char),
    /// « étiquette » (or « Étiquette ») for a tag: the word names a LABEL.
    Etiquette(char),
}

impl Fault {
    /// A stable name, the selector of `lint-french-typography`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Fault::OrdinarySpace(_) => "ordinary-space",
            Fault::NoSpace(_) => "no-space",
            Fault::Quote(_) => "quote",
            Fault::Guillemet(_) => "guillemet",
            Fault::Etiquette(_) => "etiquette",
        }
    }

    /// The character (or first letter of the word) at fault.
    pub(crate) fn char(self) -> char {
        match self {
            Fault::OrdinarySpace(c)
            | Fault::NoSpace(c)
            | Fault::Quote(c)
            | Fault::Guillemet(c)
            | Fault::Etiquette(c) => c,
        }
    }
}

fn no_break(c: char) -> bool {
    c == '\u{202F}' || c == '\u{A0}'
}

/// Byte ranges of `text` that are not prose: `code` spans, lines indented by four spaces or a
/// tab (a Dockerfile or a command shown on its own line, as in Markdown), and URLs.
fn not_prose(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("    ") || line.starts_with('\t') {
            out.push(line_start..line_start + line.len());
        }
        line_start += line.len();
    }
    let mut code_start = None;
    for (i, c) in text.char_indices() {
        if c == '`' {
            match code_start.take() {
                Some(s) => out.push(s..i + 1),
                None => code_start = Some(i),
            }
        }
    }
    if let Some(s) = code_start {
        out.push(s..text.len());
    }
    for scheme in ["https://", "http://"] {
        let mut from = 0;
        while let Some(at) = text[from..].find(scheme) {
            let start = from + at;
            let end = text[start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |n| start + n);
            out.push(start..end);
            from = end;
        }
    }
    out
}

/// Whether a straight quote between `prev` and `next` (then `after`) quotes prose: it opens a
/// word after a space, or closes one before a space, the end or punctuation.
fn quotes_prose(prev: Option<char>, next: Option<char>, after: Option<char>) -> bool {
    let opens = matches!(prev, None | Some(' ' | '\n' | '(' | '\u{A0}' | '\u{202F}'))
        && next.is_some_and(char::is_alphanumeric);
    let closes = prev.is_some_and(|p| p.is_alphanumeric() || ".!?…".contains(p))
        && match next {
            None => true,
            Some(':') => after.is_none_or(char::is_whitespace),
            Some(n) => n.is_whitespace() || ".,;!?)".contains(n),
        };
    opens || closes
}

/// Every typography fault in a French text, by byte offset, in order.
pub(crate) fn check(text: &str) -> Vec<(usize, Fault)> {
    let skip = not_prose(text);
    let prose = |i: usize| !skip.iter().any(|r| r.contains(&i));
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !prose(i) {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|n| n.1);
        match c {
            ':' | ';' | '!' | '?' => {
                // Inside a word (`nginx:latest`, `12:00`, `sha256:…`, `a;b`, `!=`): not
                // punctuation.
                if next.is_some_and(|n| !n.is_whitespace() && !")]».,'\"’".contains(n)) {
                    continue;
                }
                match prev {
                    None | Some('\n' | '?' | '!' | '(' | '[') => {}
                    Some(p) if no_break(p) => {}
                    Some(' ' | '\t') => found.push((i, Fault::OrdinarySpace(c))),
                    Some(_) => found.push((i, Fault::NoSpace(c))),
                }
            }
            '“' | '”' => found.push((i, Fault::Quote(c))),
            // A straight quote opening or closing a word of prose (`le "tag"`), not one of
            // code (`{"80/tcp":{}}`, `LABEL a="b"`).
            '"' if quotes_prose(prev, next, chars.get(k + 2).map(|n| n.1)) => {
                found.push((i, Fault::Quote(c)));
            }
            '«' if !next.is_some_and(no_break) => found.push((i, Fault::Guillemet(c))),
            '»' if !prev.is_some_and(no_break) => found.push((i, Fault::Guillemet(c))),
            'é' | 'É' => {
                let word_start = !prev.is_some_and(char::is_alphanumeric);
                let rest = &text[i + c.len_utf8()..];
                if word_start && rest.to_lowercase().starts_with("tiquet") {
                    found.push((i, Fault::Etiquette(c)));
                }
            }
            _ => {}
        }
    }
    found
}

/// The text with what a rule can put right put right: what `lab lint --fix` applies. An
/// ordinary space before `: ; ! ?` becomes a U+202F, guillemets get theirs, straight and English
/// quotes around prose become « ». Left for a person: « étiquette », and a `: ; ! ?` right after
/// a word (`Loaded image: busybox`), most often Docker's English output quoted in the text, which
/// must stay as Docker prints it (between backticks).
pub(crate) fn fix(text: &str) -> String {
    let faults = check(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut open_quote = true;
    let mut last = 0;
    for (i, fault) in faults {
        match fault {
            Fault::OrdinarySpace(c) => {
                // Not before `last`: a space after « may already be replaced.
                let space = text[..i].trim_end_matches([' ', '\t']).len().max(last);
                out.push_str(&text[last..space]);
                out.push('\u{202F}');
                out.push(c);
            }
            Fault::NoSpace(c) | Fault::Etiquette(c) => {
                out.push_str(&text[last..i]);
                out.push(c);
            }
            Fault::Guillemet('«') => {
                out.push_str(&text[last..i]);
                out.push_str("«\u{202F}");
                // An ordinary space after « is replaced, not kept.
                if text[i + '«'.len_utf8()..].starts_with(' ') {
                    last = i + '«'.len_utf8() + 1;
                    continue;
                }
            }
            Fault::Guillemet(c) => {
                let kept = text[last..i].trim_end_matches(' ');
                out.push_str(kept);
                out.push('\u{202F}');
                out.push(c);
            }
            Fault::Quote(c) => {
                out.push_str(&text[last..i]);
                let opening = match c {
                    '“' => true,
                    '”' => false,
                    _ => open_quote,
                };
                out.push_str(if opening { "«\u{202F}" } else { "\u{202F}»" });
                open_quote = !opening;
            }
        }
        last = i + text[i..].chars().next().map_or(0, char::len_utf8);
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast::{
        Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey,
    };

    const NNBSP: char = '\u{202F}';

    /// Where a placeable (`{ $id }`) stood in a message: a character that counts as part of a
    /// word.
    const PLACEHOLDER: char = '\u{FFFC}';

    #[test]
    fn faults_are_found_where_they_are() {
        let cases: &[(&str, &[(usize, Fault)])] = &[
            ("Étape 1\u{202F}: tag", &[]),
            ("Étape 1\u{A0}: tag\u{202F}!", &[]),
            ("Étape 1 : tag", &[(8, Fault::OrdinarySpace(':'))]),
            ("Étape 1: tag", &[(7, Fault::NoSpace(':'))]),
            ("Vraiment ?", &[(9, Fault::OrdinarySpace('?'))]),
            ("fini ; puis", &[(5, Fault::OrdinarySpace(';'))]),
            ("nginx:latest et 12:00:00Z", &[]),
            (
                "Tapez `docker tag a b:c ; ls` !",
                &[(30, Fault::OrdinarySpace('!'))],
            ),
            ("Voir https://docs.docker.com/a?b puis", &[]),
            (
                "le \"tag\"",
                &[(3, Fault::Quote('"')), (7, Fault::Quote('"'))],
            ),
            (
                "« tag »",
                &[(0, Fault::Guillemet('«')), (6, Fault::Guillemet('»'))],
            ),
            ("«\u{202F}tag\u{202F}»", &[]),
            (
                "une Étiquette, des étiquettes",
                &[(4, Fault::Etiquette('É')), (19, Fault::Etiquette('é'))],
            ),
            ("(vraiment ?)", &[(10, Fault::OrdinarySpace('?'))]),
            ("Quoi\u{202F}?!", &[]),
            ("\u{FFFC}: x", &[(1, Fault::NoSpace(':'))]),
            ("nginx@sha256:… ici", &[]),
            (
                "ce Dockerfile\u{A0}:\n    CMD [\"sh\", \"-c\"]\n    LABEL a=\"b c\"\nfin",
                &[],
            ),
            ("affiche {\"80/tcp\":{}}.", &[]),
            (
                "un \"tag\": oui",
                &[
                    (3, Fault::Quote('"')),
                    (7, Fault::Quote('"')),
                    (8, Fault::NoSpace(':')),
                ],
            ),
            ("un étiquetage", &[(3, Fault::Etiquette('é'))]),
            ("détiquet", &[]),
        ];
        for (text, want) in cases {
            // Positions in characters, easier to count than bytes.
            let got: Vec<(usize, Fault)> = check(text)
                .into_iter()
                .map(|(at, f)| (text[..at].chars().count(), f))
                .collect();
            assert_eq!(got, *want, "{text:?}");
        }
    }

    #[test]
    fn fix_applies_the_rules_and_check_then_passes() {
        let cases = [
            ("Étape 1 : tag", format!("Étape 1{NNBSP}: tag")),
            (
                "Étape 1 : tag ; fin !",
                format!("Étape 1{NNBSP}: tag{NNBSP}; fin{NNBSP}!"),
            ),
            ("le « tag » ici", format!("le «{NNBSP}tag{NNBSP}» ici")),
            ("le \"tag\" ici", format!("le «{NNBSP}tag{NNBSP}» ici")),
            ("`a : b` : c", format!("`a : b`{NNBSP}: c")),
            ("nginx:latest", "nginx:latest".to_owned()),
        ];
        // Left for a person: Docker's own words, and a word to change.
        for text in ["Docker répond Loaded image: busybox", "une étiquette"] {
            assert_eq!(fix(text), text);
            assert!(!check(text).is_empty());
        }
        for (text, want) in cases {
            let fixed = fix(text);
            assert_eq!(fixed, want, "{text:?}");
            assert!(check(&fixed).is_empty(), "{fixed:?}");
            assert_eq!(fix(&fixed), fixed, "fix is idempotent");
        }
    }

    /// Every short text over the characters the rules look at: `fix` does not panic, and no
    /// ordinary space is left before `: ; ! ?`.
    #[test]
    fn fix_never_panics_and_settles() {
        let alphabet = [
            "«", "»", " ", ":", "a", "\u{202f}", "\"", "`", "é", "\n", "?", "“",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        for text in &texts {
            let fixed = fix(text);
            let _ = fix(&fixed);
            for (_, fault) in check(&fixed) {
                assert!(
                    !matches!(fault, Fault::OrdinarySpace(_)),
                    "{text:?} → {fixed:?}: {fault:?}"
                );
            }
        }
    }

    /// Every text a pattern can give, each select expression taken branch by branch, with
    /// [`PLACEHOLDER`] where an argument or another message goes.
    fn renderings(pattern: &Pattern<&str>) -> Vec<String> {
        let mut out = vec![String::new()];
        for element in &pattern.elements {
            let parts: Vec<String> = match element {
                PatternElement::TextElement { value } => vec![(*value).to_owned()],
                PatternElement::Placeable { expression } => match expression {
                    Expression::Select { variants, .. } => {
                        variants.iter().flat_map(|v| renderings(&v.value)).collect()
                    }
                    Expression::Inline(
                        InlineExpression::StringLiteral { value }
                        | InlineExpression::NumberLiteral { value },
                    ) => vec![(*value).to_owned()],
                    Expression::Inline(_) => vec![PLACEHOLDER.to_string()],
                },
            };
            out = out
                .iter()
                .flat_map(|prefix| parts.iter().map(move |p| format!("{prefix}{p}")))
                .collect();
            out.truncate(256);
        }
        out
    }

    /// The French locale follows French typography, in every branch of every message.
    #[test]
    fn french_messages_follow_french_typography() {
        let mut faults = Vec::new();
        for (lang, file, text) in crate::i18n::FILES {
            if *lang != crate::i18n::Lang::Fr {
                continue;
            }
            let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(r, _)| r);
            for entry in &resource.body {
                let Entry::Message(m) = entry else { continue };
                let patterns = m.value.iter().chain(m.attributes.iter().map(|a| &a.value));
                let mut seen = std::collections::BTreeSet::new();
                for pattern in patterns {
                    for rendering in renderings(pattern) {
                        for (at, fault) in check(&rendering) {
                            let from = rendering[..at]
                                .char_indices()
                                .rev()
                                .nth(20)
                                .map_or(0, |c| c.0);
                            let context: String = rendering[from..].chars().take(32).collect();
                            if seen.insert((fault, context.clone())) {
                                faults.push(format!(
                                    "{file} {}: {} {:?} in {context:?}",
                                    m.id.name,
                                    fault.name(),
                                    fault.char()
                                ));
                            }
                        }
                    }
                }
            }
        }
        assert!(
            faults.is_empty(),
            "{} faults:\n{}",
            faults.len(),
            faults.join("\n")
        );
    }

    /// `[one]` variants that write the number out (« 1 tag »): French `one` covers 0 too
    /// (CLDR: i = 0,1), so without a `[0]` variant the text would say « 1 » for 0.
    fn one_says_one(pattern: &Pattern<&str>, out: &mut Vec<String>) {
        for element in &pattern.elements {
            let PatternElement::Placeable {
                expression: Expression::Select { variants, .. },
            } = element
            else {
                continue;
            };
            let has_zero = variants
                .iter()
                .any(|v| matches!(v.key, VariantKey::NumberLiteral { value } if value == "0"));
            for v in variants {
                if matches!(v.key, VariantKey::Identifier { name } if name == "one") && !has_zero {
                    for text in renderings(&v.value) {
                        if text.split(|c: char| !c.is_ascii_digit()).any(|w| w == "1") {
                            out.push(text);
                        }
                    }
                }
                one_says_one(&v.value, out);
            }
        }
    }

    /// French plurals: 0 and 1 take the singular (`[one]`), and a `[one]` that writes « 1 »
    /// needs a `[0]` beside it.
    #[test]
    fn french_singular_covers_zero_and_one() {
        use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
        let mut bundle = FluentBundle::new(vec!["fr".parse().expect("a language tag")]);
        bundle.set_use_isolating(false);
        let res = FluentResource::try_new(
            "n = { $n ->\n    [one] singulier\n   *[other] pluriel\n}\n".to_owned(),
        )
        .expect("valid");
        bundle.add_resource(res).expect("one resource");
        let pattern = bundle.get_message("n").and_then(|m| m.value()).expect("n");
        for (n, want) in [(0, "singulier"), (1, "singulier"), (2, "pluriel")] {
            let mut args = FluentArgs::new();
            args.set("n", n);
            let mut errors = Vec::new();
            assert_eq!(
                bundle.format_pattern(pattern, Some(&args), &mut errors),
                want,
                "{n}"
            );
        }
        let mut wrong = Vec::new();
        for (lang, file, text) in crate::i18n::FILES {
            if *lang != crate::i18n::Lang::Fr {
                continue;
            }
            let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(r, _)| r);
            for entry in &resource.body {
                let Entry::Message(m) = entry else { continue };
                let mut found = Vec::new();
                for pattern in m.value.iter().chain(m.attributes.iter().map(|a| &a.value)) {
                    one_says_one(pattern, &mut found);
                }
                wrong.extend(
                    found
                        .into_iter()
                        .map(|t| format!("{file} {}: {t:?}", m.id.name)),
                );
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// A French message that names a tutor command names the French one (« tapez indice », not
    /// « tapez hint »): no English-only command word outside code and flags, but for `start` in
    /// `systemctl start docker`.
    #[test]
    fn french_messages_name_the_french_commands() {
        use crate::command::TUTOR_COMMANDS;
        let english: Vec<&str> = TUTOR_COMMANDS
            .iter()
            .flat_map(|c| c.en.iter().copied())
            .filter(|w| {
                !TUTOR_COMMANDS
                    .iter()
                    .any(|c| c.fr.contains(w) || c.also.contains(w))
            })
            // `exit` is also the shell's and a container's command.
            .filter(|w| *w != "exit")
            .collect();
        let mut wrong = Vec::new();
        for (lang, file, text) in crate::i18n::FILES {
            if *lang != crate::i18n::Lang::Fr || *file == "lint.ftl" {
                // lint.ftl speaks to teachers about lab files, whose keys are English.
                continue;
            }
            let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(r, _)| r);
            for entry in &resource.body {
                let Entry::Message(m) = entry else { continue };
                for pattern in m.value.iter().chain(m.attributes.iter().map(|a| &a.value)) {
                    for rendering in renderings(pattern) {
                        let prose: String = rendering
                            .split('`')
                            .step_by(2)
                            .collect::<Vec<_>>()
                            .join(" ")
                            .replace("systemctl start", "systemctl");
                        // Command-line flags (`--lang`) are docklab's own, in English.
                        let words = prose.split(' ').filter(|w| !w.starts_with("--"));
                        let words = words.flat_map(|w| w.split(|c: char| !c.is_alphanumeric()));
                        for word in words {
                            if english.contains(&word) {
                                wrong
                                    .push(format!("{file} {}: {word} in {rendering:?}", m.id.name));
                            }
                        }
                    }
                }
            }
        }
        wrong.dedup();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
