use super::*;

#[test]
fn shipped_labs_and_the_scaffold_lint_clean() {
    for (name, text) in crate::lab::EMBEDDED {
        let d = lint(name, text);
        assert!(
            d.is_empty(),
            "{name}: {:?}",
            d.iter().map(|d| d.render(Lang::En)).collect::<Vec<_>>()
        );
    }
    let text = crate::lab::scaffold::scaffold("x-1");
    let d: Vec<String> = lint("x-1.toml", &text)
        .iter()
        .map(|d| d.render(Lang::En))
        .collect();
    assert!(d.is_empty(), "{d:?}");
}

const MINIMAL: &str = r#"format_version = 1
id = "x"
title = { fr = "a", en = "b" }
intro = { fr = "a", en = "b" }

[[step]]
id = "s"
title = { fr = "a", en = "b" }
text = { fr = "a", en = "b" }
solution = ["docker pull nginx"]
check = [{ image_present = "nginx" }]
"#;

/// (code, line, column) of every diagnostic when `from` is replaced by `to` in [`MINIMAL`].
fn found(from: &str, to: &str) -> Vec<(&'static str, usize, usize, String)> {
    assert!(MINIMAL.contains(from), "{from}");
    lint("x.toml", &MINIMAL.replacen(from, to, 1))
        .into_iter()
        .map(|d| (d.code, d.line, d.column, d.message(Lang::En)))
        .collect()
}

#[test]
fn every_mistake_is_reported_at_once() {
    let d = found(
        "check = [{ image_present = \"nginx\" }]",
        "check = [{ image_presnt = \"nginx\" }, { image_absent = \"Nginx\" }]\nhint = []",
    );
    let codes: Vec<_> = d.iter().map(|(c, l, col, _)| (*c, *l, *col)).collect();
    assert_eq!(
        codes,
        [
            ("unknown-check", 11, 12),
            ("invalid-reference", 11, 55),
            ("unknown-key", 12, 1),
        ],
        "{d:?}"
    );
    assert!(d[2].3.contains("Did you mean `hints`?"), "{}", d[2].3);
}

#[test]
fn checks_are_validated_in_depth() {
    let cases = [
        ("{ image_count = { } }", "missing-bound"),
        ("{ image_count = { equals = -1 } }", "negative-count"),
        ("{ same_image = [\"a\"] }", "wrong-arity"),
        ("{ file_exists = \"../etc/passwd\" }", "invalid-path"),
        (
            "{ command_ran = { command = \"docker pul\" } }",
            "invalid-pattern",
        ),
        (
            "{ command_ran = { command = \"docker images\", scope = \"steps\" } }",
            "unknown-value",
        ),
        ("{ not = \"x\" }", "wrong-type"),
        (
            "{ image_present = \"a\", image_absent = \"b\" }",
            "check-shape",
        ),
        ("{ any = [] }", "empty-list"),
        ("{ layer_count = { equals = 1 } }", "missing-key"),
    ];
    for (check, code) in cases {
        let d = found("{ image_present = \"nginx\" }", check);
        assert_eq!(
            d.iter().map(|x| x.0).collect::<Vec<_>>(),
            [code],
            "{check}: {d:?}"
        );
    }
}

#[test]
fn a_clean_lint_means_the_lab_loads() {
    assert!(found("x", "x").is_empty());
    assert!(Lab::parse("x.toml", MINIMAL).is_ok());
}

#[test]
fn solution_lines_may_set_variables_before_docker() {
    let ok = found(
        "solution = [\"docker pull nginx\"]",
        "solution = [\"DOCKER_BUILDKIT=0 docker build -t x .\"]",
    );
    assert!(ok.is_empty(), "{ok:?}");
    let bad = found(
        "solution = [\"docker pull nginx\"]",
        "solution = [\"DOCKER_BUILDKIT=0 docker build --bogus .\"]",
    );
    assert_eq!(
        bad.iter().map(|x| x.0).collect::<Vec<_>>(),
        ["invalid-command"],
        "{bad:?}"
    );
}
