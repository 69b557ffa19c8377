//! Table-driven parser tests.
//!
//! Verified against the real engine on this machine (Docker 28.2.2 CLI, daemon 20.10.24 with
//! its embedded BuildKit, `DOCKER_BUILDKIT=1 docker build --progress=plain` and the legacy
//! builder, FROM scratch and a local busybox image built from /bin/busybox):
//! - history strings: `ENV A=1`, `ENV C=x y D=1`, `LABEL maintainer=NGINX Docker Maintainers
//!   <docker-maint@nginx.com>`, `COPY index.html /var/www/html/ # buildkit`,
//!   `EXPOSE map[443/udp:{} 80/tcp:{} 8080/tcp:{}]`, `CMD ["nginx" "-g" "daemon off;"]`,
//!   `WORKDIR /app`, `ENTRYPOINT ["/bin/x"]`, `USER nobody`, `STOPSIGNAL SIGQUIT`,
//!   `VOLUME [/data]`, `VOLUME [/a /b]`, `ARG X=1`,
//!   `RUN |2 A=1 B=2 /bin/sh -c echo hi     && echo there   && echo x # buildkit` (continuation
//!   text kept, comment line inside dropped), `RUN |2 A=1 B=2 echo exec # buildkit`, and the
//!   legacy forms (`/bin/sh -c #(nop)  ENV A=1`, `/bin/sh -c #(nop) WORKDIR /app`,
//!   `/bin/sh -c #(nop)  EXPOSE 443/udp 80 8080`, `|2 A=1 B=2 /bin/sh -c …`);
//! - error messages (the daemon's older BuildKit words a few differently: it says
//!   `dockerfile parse error line N:` and `Unknown flag: foo`; expectations here use current
//!   BuildKit's wording from its source): unknown instruction, empty file, comments only,
//!   instruction before FROM, `ENV names can not be blank`, `ENV must have two arguments`
//!   (no line prefix), EXPOSE/COPY argument counts, invalid escape token, FROM argument count,
//!   invalid stage name, SHELL not JSON, ONBUILD ONBUILD, HEALTHCHECK NONE/unknown type,
//!   JSON with non-strings (no line prefix), VOLUME empty, interval below 1ms, line numbers of
//!   multi-line instructions (first line).
//!
//! The excerpt format is from BuildKit's `solver/errdefs/source.go` (the old daemon's CLI path
//! prints none).

use super::history::{buildkit_created_by, legacy_created_by};
use super::*;

const NGINX: &str = r#"FROM debian:trixie-slim
LABEL maintainer="NGINX Docker Maintainers <docker-maint@nginx.com>"

ENV NGINX_VERSION=1.29.2
ENV NJS_VERSION=0.9.3
ENV PKG_RELEASE=1~trixie

RUN apt-get update \
&& apt-get install -y nginx \
&& apt-get clean

RUN ln -sf /dev/stdout /var/log/nginx/access.log \
&& ln -sf /dev/stderr /var/log/nginx/error.log

COPY index.html /var/www/html/
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
"#;

/// One line per instruction: `start-end:col NAME original`.
fn dump(df: &Dockerfile) -> Vec<String> {
    df.nodes
        .iter()
        .map(|n| {
            format!(
                "{}-{}:{} {} {}",
                n.span.start_line,
                n.span.end_line,
                n.span.column,
                n.instruction.name(),
                n.original
            )
        })
        .collect()
}

macro_rules! test {
    ($($name:ident, $text:expr, [$($line:expr),* $(,)?];)*) => {$(
        #[test]
        fn $name() {
            let df = parse("Dockerfile", $text).unwrap_or_else(|e| panic!("{e}"));
            let want: Vec<&str> = vec![$($line),*];
            pretty_assertions::assert_eq!(dump(&df), want);
        }
    )*};
}

macro_rules! error {
    ($($name:ident, $text:expr, $line:expr, $column:expr, $message:expr;)*) => {$(
        #[test]
        fn $name() {
            let e = parse("Dockerfile", $text).expect_err("must fail");
            pretty_assertions::assert_eq!((e.line, e.column, e.to_string().as_str()), ($line, $column, $message));
        }
    )*};
}

test! {
    nginx_seed, NGINX, [
        "1-1:1 FROM FROM debian:trixie-slim",
        "2-2:1 LABEL LABEL maintainer=\"NGINX Docker Maintainers <docker-maint@nginx.com>\"",
        "4-4:1 ENV ENV NGINX_VERSION=1.29.2",
        "5-5:1 ENV ENV NJS_VERSION=0.9.3",
        "6-6:1 ENV ENV PKG_RELEASE=1~trixie",
        "8-10:1 RUN RUN apt-get update && apt-get install -y nginx && apt-get clean",
        "12-13:1 RUN RUN ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log",
        "15-15:1 COPY COPY index.html /var/www/html/",
        "16-16:1 EXPOSE EXPOSE 80",
        "17-17:1 CMD CMD [\"nginx\", \"-g\", \"daemon off;\"]",
    ];
    lowercase_and_indent, "from scratch\n  copy a b\n", [
        "1-1:1 FROM from scratch",
        "2-2:3 COPY copy a b",
    ];
    continuation_keeps_indentation, "FROM x\nRUN set -eux; \\\n    apt-get update; \\\n# comment inside\n\n    rm -rf /var/lib/apt/lists/*\n", [
        "1-1:1 FROM FROM x",
        "2-6:1 RUN RUN set -eux;     apt-get update;     rm -rf /var/lib/apt/lists/*",
    ];
    continuation_at_eof, "FROM x\nENV A=1 \\\n", [
        "1-1:1 FROM FROM x",
        "2-2:1 ENV ENV A=1",
    ];
    escape_directive_backtick, "# escape=`\nFROM x\nRUN dir c:\\ `\n  /b\n", [
        "2-2:1 FROM FROM x",
        "3-4:1 RUN RUN dir c:\\   /b",
    ];
    arg_before_from_multistage, "ARG VERSION=1.2\nFROM golang:${VERSION} AS builder\nRUN go build\nFROM scratch\nCOPY --from=builder /out /app\n", [
        "1-1:1 ARG ARG VERSION=1.2",
        "2-2:1 FROM FROM golang:${VERSION} AS builder",
        "3-3:1 RUN RUN go build",
        "4-4:1 FROM FROM scratch",
        "5-5:1 COPY COPY --from=builder /out /app",
    ];
    heredocs, "FROM x\nRUN <<EOF\necho hi\nEOF\nCOPY <<-A <<\"B\" /dst/\n\tone\n\tA\ntwo $X\nB\nENV Z=1\n", [
        "1-1:1 FROM FROM x",
        "2-4:1 RUN RUN <<EOF",
        "5-9:1 COPY COPY <<-A <<\"B\" /dst/",
        "10-10:1 ENV ENV Z=1",
    ];
    onbuild_healthcheck, "FROM x\nONBUILD RUN echo hi\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\nHEALTHCHECK NONE\nSTOPSIGNAL SIGQUIT\nMAINTAINER me\n", [
        "1-1:1 FROM FROM x",
        "2-2:1 ONBUILD ONBUILD RUN echo hi",
        "3-3:1 HEALTHCHECK HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1",
        "4-4:1 HEALTHCHECK HEALTHCHECK NONE",
        "5-5:1 STOPSIGNAL STOPSIGNAL SIGQUIT",
        "6-6:1 MAINTAINER MAINTAINER me",
    ];
    bom_and_crlf, "\u{feff}FROM x\r\nUSER a\r\n", [
        "1-1:1 FROM FROM x",
        "2-2:1 USER USER a",
    ];
}

error! {
    empty, "", 0, 0, "the Dockerfile cannot be empty";
    only_comments, "# hello\n\n", 2, 1, "file with no instructions";
    unknown, "FROM scratch\nRUNN x\n", 2, 1, "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)";
    unknown_lower, "from scratch\nrunn x\n", 2, 1, "dockerfile parse error on line 2: unknown instruction: runn (did you mean run?)";
    unknown_far, "FROM scratch\nXYZZY x\n", 2, 1, "dockerfile parse error on line 2: unknown instruction: XYZZY";
    no_from, "RUN x\n", 1, 1, "no build stage in current context";
    env_blank, "FROM scratch\nENV =x\n", 2, 1, "dockerfile parse error on line 2: ENV names can not be blank";
    env_one, "FROM scratch\nENV A\n", 2, 1, "ENV must have two arguments";
    env_missing_eq, "FROM scratch\nENV A=1 B\n", 2, 1, "Syntax error - can't find = in \"B\". Must be of the form: name=value";
    expose_none, "FROM scratch\nEXPOSE\n", 2, 1, "dockerfile parse error on line 2: EXPOSE requires at least one argument";
    copy_one, "FROM scratch\nCOPY x\n", 2, 1, "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined";
    unknown_flag, "FROM scratch\nCOPY --foo=1 a b\n", 2, 1, "dockerfile parse error on line 2: unknown flag: --foo (did you mean from?)";
    unknown_flag_far, "FROM scratch\nCOPY --zzzzz=1 a b\n", 2, 1, "dockerfile parse error on line 2: unknown flag: --zzzzz";
    flag_suggestion, "FROM scratch\nCOPY --chmown=1 a b\n", 2, 1, "dockerfile parse error on line 2: unknown flag: --chmown (did you mean chown?)";
    dup_flag, "FROM scratch\nCOPY --from=a --from=b x y\n", 2, 1, "dockerfile parse error on line 2: duplicate flag specified: --from";
    missing_value, "FROM scratch\nCOPY --from x y\n", 2, 1, "dockerfile parse error on line 2: missing a value on flag: --from";
    bool_flag, "FROM scratch\nCOPY --link=maybe x y\n", 2, 1, "dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe";
    bad_escape, "# escape=x\nFROM scratch\n", 1, 1, "invalid escape token 'x' does not match ` or \\";
    dup_directive, "# escape=\\\n# escape=`\nFROM scratch\n", 2, 1, "only one escape parser directive can be used";
    from_two, "FROM scratch foo\n", 1, 1, "dockerfile parse error on line 1: FROM requires either one or three arguments";
    stage_name, "FROM scratch AS 1x\n", 1, 1, "dockerfile parse error on line 1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols";
    shell_not_json, "FROM scratch\nSHELL /bin/sh -c\n", 2, 1, "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form";
    onbuild_onbuild, "FROM scratch\nONBUILD ONBUILD RUN x\n", 2, 1, "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed";
    onbuild_from, "FROM scratch\nONBUILD from x\n", 2, 1, "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger";
    hc_none_args, "FROM scratch\nHEALTHCHECK NONE x\n", 2, 1, "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments";
    hc_type, "FROM scratch\nHEALTHCHECK FOO x\n", 2, 1, "dockerfile parse error on line 2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)";
    hc_interval, "FROM scratch\nHEALTHCHECK --interval=1ns CMD x\n", 2, 1, "dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms";
    hc_retries, "FROM scratch\nHEALTHCHECK --retries=-1 CMD x\n", 2, 1, "dockerfile parse error on line 2: --retries cannot be negative (-1)";
    json_not_strings, "FROM scratch\nCMD [\"a\", 1]\n", 2, 1, "when using JSON array syntax, arrays must be comprised of strings only";
    volume_empty, "FROM scratch\nVOLUME [\"\"]\n", 2, 1, "dockerfile parse error on line 2: VOLUME specified can not be an empty string";
    multiline_first_line, "FROM scratch\nENV A=1\nFOO a \\\n  b \\\n  c\nENV B=2\n", 3, 1, "dockerfile parse error on line 3: unknown instruction: FOO (did you mean FROM?)";
    unterminated_heredoc, "FROM scratch\nRUN <<EOF\necho\n", 2, 1, "unterminated heredoc";
    heredoc_dest, "FROM scratch\nCOPY a <<EOF\nx\nEOF\n", 2, 1, "dockerfile parse error on line 2: COPY cannot accept a heredoc as a destination";
    workdir_none, "FROM scratch\nWORKDIR\n", 2, 1, "dockerfile parse error on line 2: WORKDIR requires exactly one argument";
    arg_blank, "ARG =1\nFROM scratch\n", 1, 1, "dockerfile parse error on line 1: ARG names can not be blank";
}

#[test]
fn excerpt_for_multiline_instruction() {
    let src = "FROM scratch\nENV A=1\nFOO a \\\n  b \\\n  c\nENV B=2\n";
    let e = parse("Dockerfile", src).expect_err("must fail");
    pretty_assertions::assert_eq!(
        e.render_cli(src),
        "Dockerfile:3\n--------------------\n   2 |     ENV A=1\n   3 | >>> FOO a \\\n   4 | >>>   b \\\n   5 | >>>   c\n   6 |     ENV B=2\n--------------------\nERROR: failed to solve: dockerfile parse error on line 3: unknown instruction: FOO (did you mean FROM?)\n"
    );
}

#[test]
fn typed_fields() {
    let df = parse(
        "Dockerfile",
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN --mount=type=cache,target=/root/.cache --network=none [\"go\", \"build\"]\nCOPY --from=build --chown=1:1 --chmod=755 --link [\"/out\", \"/app\"]\nADD --checksum=sha256:abc https://x/y.tgz /\nLABEL a=b \"c d\"=\"e f\"\nENV K V W\nARG A B=2\nVOLUME /a /b\nCMD echo hi\nENTRYPOINT []\nSHELL [\"/bin/bash\", \"-c\"]\n",
    )
    .expect("valid");
    let ins: Vec<&Instruction> = df.nodes.iter().map(|n| &n.instruction).collect();
    assert_eq!(
        ins[0],
        &Instruction::From(From {
            image: "golang:1.22".into(),
            name: Some("build".into()),
            platform: Some("$BUILDPLATFORM".into()),
        })
    );
    let Instruction::Run(run) = ins[1] else {
        panic!("RUN")
    };
    assert_eq!(
        run.command,
        CommandLine::Exec(vec!["go".into(), "build".into()])
    );
    assert_eq!(run.mounts, ["type=cache,target=/root/.cache"]);
    assert_eq!(run.network.as_deref(), Some("none"));
    let Instruction::Copy(c) = ins[2] else {
        panic!("COPY")
    };
    assert_eq!(
        (
            c.from.as_deref(),
            c.chown.as_deref(),
            c.chmod.as_deref(),
            c.link,
            c.json
        ),
        (Some("build"), Some("1:1"), Some("755"), true, true)
    );
    assert_eq!(
        (c.sources.as_slice(), c.dest.as_str()),
        (&["/out".to_owned()][..], "/app")
    );
    let Instruction::Add(a) = ins[3] else {
        panic!("ADD")
    };
    assert_eq!(a.checksum.as_deref(), Some("sha256:abc"));
    // `old` without `=` after key=value pairs is an error in BuildKit; here LABEL's words
    // all have `=` except the last, so check that case separately.
    let _ = ins[4];
    let Instruction::Env(e) = ins[5] else {
        panic!("ENV")
    };
    assert_eq!(
        e.vars,
        [KeyValue {
            key: "K".into(),
            value: "V W".into(),
            legacy: true
        }]
    );
    let Instruction::Arg(arg) = ins[6] else {
        panic!("ARG")
    };
    assert_eq!(
        arg.args,
        [
            ArgDef {
                key: "A".into(),
                default: None
            },
            ArgDef {
                key: "B".into(),
                default: Some("2".into())
            }
        ]
    );
    assert_eq!(
        ins[8],
        &Instruction::Cmd(Cmd {
            command: Some(CommandLine::Shell("echo hi".into()))
        })
    );
    assert_eq!(
        ins[9],
        &Instruction::Entrypoint(Entrypoint { command: None })
    );
}

#[test]
fn label_word_without_equals_fails() {
    let e = parse("Dockerfile", "FROM x\nLABEL a=b old\n").expect_err("must fail");
    assert_eq!(
        e.to_string(),
        "Syntax error - can't find = in \"old\". Must be of the form: name=value"
    );
}

#[test]
fn bad_json_is_shell_form() {
    let df = parse("Dockerfile", "FROM x\nCMD [\"a\", \nRUN [not json]\n").expect("valid");
    assert_eq!(
        df.nodes[1].instruction,
        Instruction::Cmd(Cmd {
            command: Some(CommandLine::Shell("[\"a\",".into()))
        })
    );
    assert_eq!(df.nodes[2].instruction.name(), "RUN");
}

#[test]
fn heredoc_contents() {
    let df = parse("Dockerfile", "FROM x\nRUN <<EOF 3<<'X'\necho $A\nEOF\nraw $A\nX\nCOPY <<-A <<\"B\" /dst/\n\tone\n\tA\ntwo\nB\n").expect("valid");
    let Instruction::Run(run) = &df.nodes[1].instruction else {
        panic!("RUN")
    };
    assert_eq!(run.heredocs.len(), 2);
    assert_eq!(
        (
            run.heredocs[0].name.as_str(),
            run.heredocs[0].content.as_str(),
            run.heredocs[0].expand
        ),
        ("EOF", "echo $A\n", true)
    );
    assert_eq!(
        (
            run.heredocs[1].name.as_str(),
            run.heredocs[1].fd,
            run.heredocs[1].expand
        ),
        ("X", 3, false)
    );
    let Instruction::Copy(c) = &df.nodes[2].instruction else {
        panic!("COPY")
    };
    assert_eq!(
        c.inline,
        [
            InlineSource {
                name: "A".into(),
                content: "one\n".into(),
                expand: true
            },
            InlineSource {
                name: "B".into(),
                content: "two\n".into(),
                expand: false
            },
        ]
    );
    assert!(c.sources.is_empty());
}

#[test]
fn directives_are_kept() {
    fn directive<'a>(
        directives: &'a [crate::build::dockerfile::ast::Directive],
        name: &str,
    ) -> Option<&'a str> {
        directives
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.value.as_str())
    }
    let df = parse(
        "Dockerfile",
        "# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM x\n",
    )
    .expect("valid");
    assert_eq!(
        directive(&df.directives, "syntax"),
        Some("docker/dockerfile:1")
    );
    assert_eq!(directive(&df.directives, "check"), Some("skip=all"));
    assert_eq!(df.escape, '`');
    // A directive after a comment is a comment.
    let df = parse("Dockerfile", "# hello\n# escape=`\nFROM x\n").expect("valid");
    assert_eq!(df.escape, '\\');
}

/// Builds every stage in order and collects BuildKit's and the legacy builder's history.
fn histories(src: &str, build_args: &[(&str, &str)]) -> (Vec<String>, Vec<String>) {
    let df = parse("Dockerfile", src).expect("valid");
    let args: Vec<(String, String)> = build_args
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let global = Scope::global(&df, &args).expect("meta args");
    let (mut bk, mut legacy) = (Vec::new(), Vec::new());
    for stage in df.stages() {
        let mut scope = global.stage(&[], None);
        for node in stage.instructions {
            let before = scope.clone();
            let expanded = scope.apply(node).expect("expands");
            bk.extend(buildkit_created_by(&expanded, &before));
            legacy.extend(legacy_created_by(
                &expanded,
                &node.instruction,
                &before,
                Some("file:abc"),
            ));
        }
    }
    (bk, legacy)
}

#[test]
fn history_matches_the_real_builders() {
    let src = "FROM scratch\nARG X=1\nLABEL maintainer=\"NGINX Docker Maintainers <docker-maint@nginx.com>\"\nENV A=1\nENV B 2\nENV C=\"x y\" \\\n  D=$A\nCOPY index.html /var/www/html/\nEXPOSE 80 443/udp 8080\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nWORKDIR /app\nENTRYPOINT [\"/bin/x\"]\nUSER nobody\nSTOPSIGNAL SIGQUIT\nVOLUME /data\nVOLUME [\"/a\", \"/b\"]\n";
    let (bk, legacy) = histories(src, &[]);
    pretty_assertions::assert_eq!(
        bk,
        [
            "ARG X=1",
            "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>",
            "ENV A=1",
            "ENV B=2",
            "ENV C=x y D=1",
            "COPY index.html /var/www/html/ # buildkit",
            "EXPOSE map[443/udp:{} 80/tcp:{} 8080/tcp:{}]",
            "CMD [\"nginx\" \"-g\" \"daemon off;\"]",
            "WORKDIR /app",
            "ENTRYPOINT [\"/bin/x\"]",
            "USER nobody",
            "STOPSIGNAL SIGQUIT",
            "VOLUME [/data]",
            "VOLUME [/a /b]",
        ]
    );
    pretty_assertions::assert_eq!(
        legacy,
        [
            "/bin/sh -c #(nop)  ARG X=1",
            "/bin/sh -c #(nop)  LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>",
            "/bin/sh -c #(nop)  ENV A=1",
            "/bin/sh -c #(nop)  ENV B=2",
            "/bin/sh -c #(nop)  ENV C=x y D=1",
            "/bin/sh -c #(nop) COPY file:abc in /var/www/html/ ",
            "/bin/sh -c #(nop)  EXPOSE 443/udp 80 8080",
            "/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daemon off;\"]",
            "/bin/sh -c #(nop) WORKDIR /app",
            "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/x\"]",
            "/bin/sh -c #(nop)  USER nobody",
            "/bin/sh -c #(nop)  STOPSIGNAL SIGQUIT",
            "/bin/sh -c #(nop)  VOLUME [/data]",
            "/bin/sh -c #(nop)  VOLUME [/a /b]",
        ]
    );
}

#[test]
fn run_history_with_build_args() {
    let src = "FROM sh\nARG A=1\nARG B\nRUN echo hi \\\n    && echo there \\\n# a comment\n  && echo x\nRUN [\"echo\", \"exec\"]\n";
    let (bk, legacy) = histories(src, &[("B", "2")]);
    pretty_assertions::assert_eq!(
        bk,
        [
            "ARG A=1",
            "ARG B=2",
            "RUN |2 A=1 B=2 /bin/sh -c echo hi     && echo there   && echo x # buildkit",
            "RUN |2 A=1 B=2 echo exec # buildkit",
        ]
    );
    pretty_assertions::assert_eq!(
        legacy,
        [
            "/bin/sh -c #(nop)  ARG A=1",
            "/bin/sh -c #(nop)  ARG B",
            "|2 A=1 B=2 /bin/sh -c echo hi     && echo there   && echo x",
            "|2 A=1 B=2 echo exec",
        ]
    );
}

#[test]
fn nginx_history() {
    let (bk, _) = histories(NGINX, &[]);
    assert_eq!(
        bk[4],
        "RUN /bin/sh -c apt-get update && apt-get install -y nginx && apt-get clean # buildkit"
    );
    assert_eq!(bk[7], "EXPOSE map[80/tcp:{}]");
}

#[test]
fn arg_scoping() {
    let src = "ARG V=1\nARG G\nFROM img:$V AS a\nLABEL v=\"[$V]\"\nARG V\nLABEL v=$V\nENV V=env\nARG V=arg\nLABEL v=$V w=${NOPE:-d} x='$V' y=\\$V\nFROM a\nWORKDIR rel\nWORKDIR ../x/$G\n";
    let df = parse("Dockerfile", src).expect("valid");
    let global = Scope::global(&df, &[("G".into(), "g".into())]).expect("meta");
    assert_eq!(
        global.meta_values(),
        [
            ("V".to_owned(), "1".to_owned()),
            ("G".to_owned(), "g".to_owned())
        ]
    );
    let stages = df.stages();
    assert_eq!(stages.len(), 2);
    assert_eq!(
        global
            .expand_from(stages[0].node, stages[0].from)
            .expect("from")
            .image,
        "img:1"
    );
    let mut scope = global.stage(&[], None);
    let labels: Vec<String> = stages[0]
        .instructions
        .iter()
        .filter_map(|n| match scope.apply(n).expect("expands") {
            Instruction::Label(l) => Some(
                l.labels
                    .iter()
                    .map(|kv| format!("{}={}", kv.key, kv.value))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        })
        .collect();
    assert_eq!(labels, ["v=[]", "v=1", "v=env w=d x=$V y=$V"]);
    let mut scope = global.stage(&[], Some("/base"));
    let mut bk = Vec::new();
    for n in stages[1].instructions {
        let before = scope.clone();
        let ins = scope.apply(n).expect("expands");
        bk.extend(buildkit_created_by(&ins, &before));
    }
    // G is a meta arg not redeclared in the stage: invisible.
    assert_eq!(bk, ["WORKDIR /base/rel", "WORKDIR /base/x"]);
}

#[test]
fn targets() {
    let df = parse("Dockerfile", "FROM a AS build\nFROM b AS test\nFROM c\n").expect("valid");
    assert_eq!(df.target_stage("Dockerfile", None).expect("last").index, 2);
    assert_eq!(
        df.target_stage("Dockerfile", Some("test"))
            .expect("named")
            .index,
        1
    );
    let e = df
        .target_stage("Dockerfile", Some("tset"))
        .expect_err("missing");
    assert_eq!(
        e.to_string(),
        "target stage \"tset\" could not be found (did you mean test?)"
    );
    assert_eq!(df.stage_by_ref("build", 2).map(|s| s.index), Some(0));
    assert_eq!(df.stage_by_ref("0", 2).map(|s| s.index), Some(0));
    assert!(df.stage_by_ref("test", 1).is_none());
}

#[test]
fn expansion_errors_carry_the_line() {
    let df = parse("Dockerfile", "FROM x\nENV A=${B\n").expect("parses");
    let mut scope = Scope::global(&df, &[]).expect("meta").stage(&[], None);
    let e = scope.apply(&df.nodes[1]).expect_err("bad substitution");
    assert_eq!(
        (e.line, e.to_string().as_str()),
        (2, "failed to process \"${B\": syntax error: missing '}'")
    );
}

/// Arbitrary input never panics.
#[test]
fn fuzz_like_inputs() {
    let mut inputs: Vec<String> = vec![
        "\\".into(),
        "\\\n".into(),
        "FROM x\nRUN <<".into(),
        "FROM x\nRUN <<EOF".into(),
        "FROM x\nCOPY <<\"".into(),
        "FROM x\nONBUILD".into(),
        "FROM x\nHEALTHCHECK".into(),
        "FROM x\nHEALTHCHECK CMD".into(),
        "FROM x\nHEALTHCHECK --interval=99999999999999h CMD x".into(),
        "FROM x\nCOPY --\"".into(),
        "FROM x\nENV \"".into(),
        "FROM x\nRUN --mount=\\".into(),
        "# escape=`\n`".into(),
        "FROM x\nEXPOSE \u{a0}".into(),
        "\u{feff}".into(),
        "FROM x\nRUN [\"\\ud800\"]".into(),
        format!("FROM x\nRUN {}", "a".repeat(70_000)),
        format!("FROM x\n{}", "ONBUILD ".repeat(10_000)),
        format!("FROM x\nENV A={}", "${A:-".repeat(5_000)),
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet = b"FROM RUN COPY ENV ARG <<EOF-\"'`\\$ {}[]=:\n\t#!escape";
    for _ in 0..300 {
        let mut s = Vec::new();
        for _ in 0..(seed % 120) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        inputs.push(String::from_utf8_lossy(&s).into_owned());
    }
    for input in &inputs {
        match parse("Dockerfile", input) {
            Ok(df) => {
                let _ = df.target_stage("Dockerfile", Some("x"));
                if let Ok(global) = Scope::global(&df, &[]) {
                    for stage in df.stages() {
                        let _ = global.expand_from(stage.node, stage.from);
                        let mut scope = global.stage(&[], None);
                        for n in stage.instructions {
                            let before = scope.clone();
                            if let Ok(ins) = scope.apply(n) {
                                let _ = buildkit_created_by(&ins, &before);
                                let _ = legacy_created_by(&ins, &n.instruction, &before, None);
                            }
                        }
                    }
                }
            }
            Err(e) => {
                let _ = e.render_cli(input);
            }
        }
    }
    assert!(parse_bytes("Dockerfile", b"FROM \xff\xfe\nRUN \x80").is_ok());
}
