//! The tutor's words: a typed message facade ([`Msg`]) over Fluent bundles embedded from
//! `locales/{en,fr}/*.ftl`, and the choice of language. Docker's own output never goes through
//! here: it stays in English, as Docker prints it.

mod messages;

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub use messages::Msg;

/// A language the tutor speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// `fr`, `fr_FR.UTF-8`, `fr-CA`, `en_GB`… by primary subtag; `None` for other languages.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary: String = tag
            .trim()
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" | "francais" | "français" => Some(Lang::Fr),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language from the environment ([`Lang::from_vars`]), else the operating system's
    /// (macOS, Windows: `sys-locale`); English otherwise.
    pub fn from_env() -> Lang {
        Lang::from_vars_or(|k| std::env::var(k).ok(), sys_locale::get_locale)
    }

    /// The language as gettext chooses a catalog: `LANGUAGE` first, a colon-separated list of
    /// preferences whose first language docklab speaks wins (`LANGUAGE=de:fr` gives French);
    /// else the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set decides (`C` and `POSIX`
    /// mean English, and so does a language docklab does not speak); English when none is set.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Lang {
        Lang::from_vars_or(get, || None)
    }

    /// [`Lang::from_vars`], with `os` asked when no variable is set.
    fn from_vars_or(
        get: impl Fn(&str) -> Option<String>,
        os: impl FnOnce() -> Option<String>,
    ) -> Lang {
        let set = |name: &str| get(name).filter(|v| !v.is_empty());
        if let Some(list) = set("LANGUAGE") {
            if let Some(lang) = list.split(':').find_map(Lang::from_tag) {
                return lang;
            }
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(v) = set(var) {
                // The first variable set decides, as in POSIX.
                return Lang::from_tag(&v).unwrap_or(Lang::En);
            }
        }
        os().and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or(Lang::En)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The embedded `.ftl` files: (language, file name, text).
pub(crate) const FILES: &[(Lang, &str, &str)] = &[
    (
        Lang::En,
        "tutor.ftl",
        include_str!("../../locales/en/tutor.ftl"),
    ),
    (
        Lang::En,
        "checks.ftl",
        include_str!("../../locales/en/checks.ftl"),
    ),
    (
        Lang::En,
        "layers.ftl",
        include_str!("../../locales/en/layers.ftl"),
    ),
    (
        Lang::Fr,
        "layers.ftl",
        include_str!("../../locales/fr/layers.ftl"),
    ),
    (
        Lang::Fr,
        "tutor.ftl",
        include_str!("../../locales/fr/tutor.ftl"),
    ),
    (
        Lang::Fr,
        "checks.ftl",
        include_str!("../../locales/fr/checks.ftl"),
    ),
    (
        Lang::En,
        "lint.ftl",
        include_str!("../../locales/en/lint.ftl"),
    ),
    (
        Lang::Fr,
        "lint.ftl",
        include_str!("../../locales/fr/lint.ftl"),
    ),
];

struct Bundles {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang
        .code()
        .parse()
        .expect("fr and en are valid language identifiers");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Terminal text: no Unicode isolation marks around placeables.
    bundle.set_use_isolating(false);
    for (l, _, text) in FILES {
        if *l == lang {
            // A syntax error keeps the rest of the file; the locale tests fail on it.
            let res = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(res, _)| res);
            let _ = bundle.add_resource(res);
        }
    }
    bundle
}

fn bundles() -> &'static Bundles {
    static B: OnceLock<Bundles> = OnceLock::new();
    B.get_or_init(|| Bundles {
        fr: build(Lang::Fr),
        en: build(Lang::En),
    })
}

/// Formats `msg` in `lang`; the error list says what went wrong (missing message, bad argument).
pub fn try_tr(lang: Lang, msg: &Msg) -> (String, Vec<String>) {
    let bundle = match lang {
        Lang::Fr => &bundles().fr,
        Lang::En => &bundles().en,
    };
    let Some(pattern) = bundle.get_message(msg.id()).and_then(|m| m.value()) else {
        return (
            msg.id().to_owned(),
            vec![format!("no message {}", msg.id())],
        );
    };
    let mut args = FluentArgs::new();
    for (k, v) in msg.args() {
        args.set(k, v);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    (
        text.into_owned(),
        errors.iter().map(ToString::to_string).collect(),
    )
}

/// Formats `msg` in `lang`. Never fails: a broken message shows its id (and the tests catch it).
pub fn tr(lang: Lang, msg: &Msg) -> String {
    try_tr(lang, msg).0
}

/// Why a file could not be written, as a message argument: the messages that take it say "the
/// disk is full" in the student's language for [`IoReason::DiskFull`] (a Fluent selector on
/// `disk-full`), else the system's own words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum IoReason {
    /// No room left: the disk, the process's file size limit or a quota.
    #[default]
    DiskFull,
    /// The operating system's description of the error.
    Os(String),
}

/// A value a message argument can take.
pub trait IntoArg {
    fn into_arg(self) -> FluentValue<'static>;
}

impl IntoArg for String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

impl IntoArg for IoReason {
    fn into_arg(self) -> FluentValue<'static> {
        match self {
            IoReason::DiskFull => FluentValue::from("disk-full"),
            IoReason::Os(text) => FluentValue::from(text),
        }
    }
}

impl IntoArg for i64 {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids_in(lang: Lang) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for (l, name, text) in FILES {
            if *l != lang {
                continue;
            }
            let res = match FluentResource::try_new((*text).to_owned()) {
                Ok(r) => r,
                Err((_, errs)) => panic!("{}/{name}: syntax errors {errs:?}", lang.code()),
            };
            for entry in res.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    assert!(
                        ids.insert(m.id.name.to_owned()),
                        "{}: duplicate id {}",
                        lang.code(),
                        m.id.name
                    );
                }
            }
        }
        ids
    }

    #[test]
    fn every_message_exists_in_both_locales() {
        let fr = ids_in(Lang::Fr);
        let en = ids_in(Lang::En);
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(only_fr.is_empty(), "ids only in fr: {only_fr:?}");
        assert!(only_en.is_empty(), "ids only in en: {only_en:?}");
        let code: BTreeSet<String> = Msg::samples().iter().map(|m| m.id().to_owned()).collect();
        let unused: Vec<_> = en.difference(&code).collect();
        let missing: Vec<_> = code.difference(&en).collect();
        assert!(
            missing.is_empty(),
            "ids used in code but in no .ftl: {missing:?}"
        );
        assert!(unused.is_empty(), "ids in .ftl but not in Msg: {unused:?}");
    }

    #[test]
    fn every_ftl_file_is_embedded() {
        for lang in Lang::ALL {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(lang.code());
            let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
                .expect("locales dir")
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| {
                    std::path::Path::new(n)
                        .extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("ftl"))
                })
                .collect();
            on_disk.sort();
            let mut embedded: Vec<String> = FILES
                .iter()
                .filter(|(l, _, _)| *l == lang)
                .map(|(_, n, _)| (*n).to_owned())
                .collect();
            embedded.sort();
            assert_eq!(on_disk, embedded, "{}", lang.code());
        }
    }

    #[test]
    fn every_message_formats_without_errors_in_both_locales() {
        for lang in Lang::ALL {
            for msg in Msg::samples() {
                for n in [0, 1, 2, 5] {
                    let msg = msg.clone().with_numbers(n);
                    let (text, errors) = try_tr(lang, &msg);
                    assert!(errors.is_empty(), "{lang} {}: {errors:?}", msg.id());
                    assert!(
                        !text.contains('\u{2068}'),
                        "isolation marks in {}",
                        msg.id()
                    );
                }
            }
        }
    }

    #[test]
    fn language_negotiation() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(a, _)| *a == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert_eq!(Lang::from_vars(env(&[("LANG", "fr_FR.UTF-8")])), Lang::Fr);
        assert_eq!(Lang::from_vars(env(&[("LANG", "fr-CA")])), Lang::Fr);
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", "C"), ("LANG", "fr_FR")])),
            Lang::En
        );
        assert_eq!(
            Lang::from_vars(env(&[("LC_MESSAGES", "fr_BE"), ("LANG", "en_US")])),
            Lang::Fr
        );
        assert_eq!(Lang::from_vars(env(&[("LANG", "de_DE")])), Lang::En);
        // LANGUAGE, a list of preferences, comes first (as gettext reads it).
        assert_eq!(
            Lang::from_vars(env(&[("LANGUAGE", "fr"), ("LANG", "en_US.UTF-8")])),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANGUAGE", "de:fr_CA:en"), ("LANG", "en_US")])),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANGUAGE", "de"), ("LC_ALL", "fr_FR.UTF-8")])),
            Lang::Fr,
            "no language docklab speaks in LANGUAGE: the locale decides"
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANGUAGE", ""), ("LANG", "fr_FR")])),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_vars(env(&[("LANGUAGE", "en"), ("LC_ALL", "fr_FR")])),
            Lang::En
        );
        // C means English, unless LANGUAGE says otherwise.
        assert_eq!(Lang::from_vars(env(&[("LC_ALL", "C")])), Lang::En);
        assert_eq!(Lang::from_vars(env(&[("LC_ALL", "POSIX")])), Lang::En);
        assert_eq!(
            Lang::from_vars(env(&[("LC_ALL", "C"), ("LANGUAGE", "fr")])),
            Lang::Fr
        );
        // No variable: the operating system's locale, else English.
        assert_eq!(
            Lang::from_vars_or(env(&[]), || Some("fr-FR".to_owned())),
            Lang::Fr
        );
        assert_eq!(
            Lang::from_vars_or(env(&[("LANG", "C")]), || Some("fr-FR".to_owned())),
            Lang::En,
            "a variable set is not overridden by the OS"
        );
        assert_eq!(Lang::from_vars_or(env(&[]), || None), Lang::En);
        assert_eq!(Lang::from_vars(env(&[])), Lang::En);
    }

    #[test]
    fn french_plurals() {
        let m = Msg::Score {
            done: 1,
            total: 2,
            skipped: 1,
        };
        let fr = tr(Lang::Fr, &m);
        assert!(fr.contains("1 étape"), "{fr}");
    }
}
