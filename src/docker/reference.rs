//! Docker's image reference grammar (`github.com/distribution/reference` v0.6, as vendored by
//! the docker 28.2.2 client), normalized the way the CLI does it: `nginx` is
//! `docker.io/library/nginx`, and errors read word for word as Docker prints them.
//!
//! The grammar, from `regexp.go`:
//!
//! ```text
//! reference   := name [ ":" tag ] [ "@" digest ]
//! name        := [ domain "/" ] path-component ( "/" path-component )*
//! domain      := host [ ":" port ]          host: DNS labels (upper case allowed) or [IPv6]
//! path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag         := [\w][\w.-]{0,127}
//! digest      := algorithm ":" hex{32,}      then validated by go-digest
//! ```
//!
//! The wording of what the CLI wraps around these errors (`docker tag`, `docker pull`) is here
//! too, as functions, each checked against the real docker 28.2.2 client.

use std::fmt;

/// Docker Hub's canonical domain.
pub const DEFAULT_DOMAIN: &str = "docker.io";
/// The old Docker Hub domain, rewritten to [`DEFAULT_DOMAIN`].
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
/// Single-component Docker Hub names live under `library/`.
const OFFICIAL_REPO_PREFIX: &str = "library/";
/// The tag `TagNameOnly` adds.
pub const DEFAULT_TAG: &str = "latest";
/// `RepositoryNameTotalLengthMax`: the longest path (without domain) Docker accepts.
pub const NAME_TOTAL_LENGTH_MAX: usize = 255;

/// Why a string is not a reference. `Display` is Docker's exact wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    /// `ErrReferenceInvalidFormat`: the string does not match the grammar.
    #[error("invalid reference format")]
    InvalidFormat,
    /// `ErrTagInvalidFormat` (only from `WithTag`; never from [`Reference::parse`]).
    #[error("invalid tag format")]
    TagInvalidFormat,
    /// `ErrNameContainsUppercase`: upper case somewhere `ParseNormalizedNamed`'s own check
    /// does not look (it only looks before the first `:`).
    #[error("repository name must be lowercase")]
    NameContainsUppercase,
    /// `ErrNameEmpty`.
    #[error("repository name must have at least one component")]
    NameEmpty,
    /// `ErrNameTooLong`: the path (without domain) is longer than 255 bytes.
    #[error("repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")]
    NameTooLong,
    /// `ParseNormalizedNamed`: the remote name (after the domain, before the first `:`) has
    /// upper case. `remote` is what Docker shows, e.g. `library/NGINX`. Docker prints it raw;
    /// docklab shows its control characters as escapes (`\x1b`), so a name cannot drive the
    /// student's terminal.
    #[error("invalid reference format: repository name ({}) must be lowercase", escape_controls(.remote))]
    RemoteNameUppercase { remote: String },
    /// `ParseNormalizedNamed`: the whole string is 64 lower-case hex digits (an image ID).
    #[error("invalid repository name ({name}), cannot specify 64-byte hexadecimal strings")]
    HexIdentifier { name: String },
    /// go-digest `ErrDigestInvalidFormat`.
    #[error("invalid checksum digest format")]
    ChecksumFormat,
    /// go-digest `ErrDigestInvalidLength`.
    #[error("invalid checksum digest length")]
    ChecksumLength,
    /// go-digest `ErrDigestUnsupported`.
    #[error("unsupported digest algorithm")]
    DigestUnsupported,
}

/// A normalized, named image reference: always has a domain (`docker.io` by default) and a
/// path (`library/nginx`), maybe a tag, maybe a digest (maybe both).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

/// What `ParseAnyReference` yields: an image ID (as a digest) or a named reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyReference {
    /// A digest: either `sha256:<64 hex>` written out, or 64 bare hex digits taken as
    /// `sha256:<hex>` (an image ID).
    Digest(String),
    /// Anything else that parses as a normalized name.
    Named(Reference),
}

impl Reference {
    /// `ParseNormalizedNamed`: `nginx` → `docker.io/library/nginx`; `user/app:1` →
    /// `docker.io/user/app:1`; `localhost:5000/x` keeps its domain.
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        if is_identifier(s) {
            return Err(ReferenceError::HexIdentifier { name: s.to_owned() });
        }
        let (domain, remainder) = split_docker_domain(s);
        let remote = remainder
            .split_once(':')
            .map_or(remainder.as_str(), |(r, _)| r);
        if remote.to_lowercase() != remote {
            return Err(ReferenceError::RemoteNameUppercase {
                remote: remote.to_owned(),
            });
        }
        parse_canonical(&format!("{domain}/{remainder}"))
    }

    /// `ParseAnyReference`: what `docker tag` accepts as its source. 64 hex digits are an image
    /// ID; a full digest (`sha256:…`) is one too; anything else is parsed as a name.
    pub fn parse_any(s: &str) -> Result<AnyReference, ReferenceError> {
        if is_identifier(s) {
            return Ok(AnyReference::Digest(format!("sha256:{s}")));
        }
        if validate_digest(s).is_ok() {
            return Ok(AnyReference::Digest(s.to_owned()));
        }
        Reference::parse(s).map(AnyReference::Named)
    }

    /// The registry host, with its port if any: `docker.io`, `localhost:5000`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The repository path inside the registry: `library/nginx`, `user/app`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag written by the user (or added by [`Reference::with_default_tag`]).
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest written by the user, `sha256:…`.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// `IsNameOnly`: neither tag nor digest.
    pub fn is_name_only(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// `TagNameOnly`: adds `latest` when there is neither a tag nor a digest.
    #[must_use]
    pub fn with_default_tag(mut self) -> Reference {
        if self.is_name_only() {
            self.tag = Some(DEFAULT_TAG.to_owned());
        }
        self
    }

    /// The same repository with another tag (the digest, if any, is kept as `WithTag` does).
    pub fn with_tag(&self, tag: &str) -> Result<Reference, ReferenceError> {
        if !is_tag(tag) {
            return Err(ReferenceError::TagInvalidFormat);
        }
        Ok(Reference {
            tag: Some(tag.to_owned()),
            ..self.clone()
        })
    }

    /// The same reference without its tag (`name@digest` from `name:tag@digest`): what the daemon
    /// pulls when both are given.
    #[must_use]
    pub fn trim_tag(&self) -> Reference {
        Reference {
            tag: None,
            ..self.clone()
        }
    }

    /// `Name()`: `docker.io/library/nginx`.
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// `FamiliarName`: `nginx`, `user/app`, `127.0.0.1:5000/x/y`.
    pub fn familiar_name(&self) -> String {
        if self.domain == DEFAULT_DOMAIN {
            match self.path.strip_prefix(OFFICIAL_REPO_PREFIX) {
                Some(rest) if !rest.contains('/') => rest.to_owned(),
                _ => self.path.clone(),
            }
        } else {
            self.name()
        }
    }

    /// `FamiliarString`: `nginx:latest`, `nginx@sha256:…`, `nginx:1@sha256:…`, or `nginx` when
    /// neither tag nor digest was given.
    pub fn familiar_string(&self) -> String {
        self.with_suffixes(self.familiar_name())
    }

    /// `String()`: `docker.io/library/nginx:latest`.
    pub fn full_string(&self) -> String {
        self.with_suffixes(self.name())
    }

    fn with_suffixes(&self, mut s: String) -> String {
        if let Some(tag) = &self.tag {
            s.push(':');
            s.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            s.push('@');
            s.push_str(digest);
        }
        s
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.full_string())
    }
}

impl std::str::FromStr for Reference {
    type Err = ReferenceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Reference::parse(s)
    }
}

/// `text` with its control characters written as Go's `%q` writes them (`\n`, `\x1b`,
/// `\u0085`), everything else as it is.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if c.is_control() && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}

/// [`escape_controls`] for output of several lines: line breaks (`\n`, and the `\r` of
/// Docker's own progress lines) and tabs are kept, every other control character (an escape
/// sequence from a Dockerfile or an archive) is escaped.
pub fn escape_controls_in_lines(text: &str) -> std::borrow::Cow<'_, str> {
    let kept = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !text.chars().any(|c| c.is_control() && !kept(c)) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if kept(c) {
            out.push(c);
        } else {
            out.push_str(&escape_controls(c.encode_utf8(&mut buf)));
        }
    }
    out.into()
}

/// `docker tag SOURCE TARGET` (and `docker image tag`): the client wraps a parse error of
/// either argument as
/// `Error parsing reference: "Bad" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase`,
/// on standard error, exit status 1, before contacting the daemon. The argument is quoted with
/// Go's `%q`.
pub fn tag_parse_error(arg: &str, err: &ReferenceError) -> String {
    format!(
        "Error parsing reference: {} is not a valid repository/tag: {err}",
        go_quote(arg)
    )
}

/// `docker tag SOURCE nginx@sha256:…`: a target with a digest, on standard error, exit 1.
pub const TAG_WITH_DIGEST_ERROR: &str = "refusing to create a tag with a digest reference";

/// `docker pull NAME`: a reference error is printed as is (no prefix) on standard error, exit
/// status 1, e.g. `invalid reference format: repository name (library/NGINX) must be
/// lowercase`. Verified with the real client.
pub fn pull_parse_error(err: &ReferenceError) -> String {
    err.to_string()
}

/// `docker pull -a nginx:1`: a tag or digest together with `--all-tags`, standard error, exit 1.
pub const PULL_ALL_TAGS_WITH_TAG_ERROR: &str = "tag can't be used with --all-tags/-a";

/// `docker pull nginx` (no tag, no `-q`): printed on standard output before pulling.
pub fn pull_default_tag_line(tag: &str) -> String {
    format!("Using default tag: {tag}")
}

pub use crate::docker::text::go_quote;

/// `anchoredIdentifierRegexp`: exactly 64 lower-case hex digits.
fn is_identifier(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `splitDockerDomain`: which part is a registry host, and the `library/` rule.
fn split_docker_domain(name: &str) -> (String, String) {
    let Some((maybe_domain, maybe_remote)) = name.split_once('/') else {
        return (
            DEFAULT_DOMAIN.to_owned(),
            format!("{OFFICIAL_REPO_PREFIX}{name}"),
        );
    };
    let (domain, mut remote) = if maybe_domain == "localhost"
        || maybe_domain.contains(['.', ':'])
        || maybe_domain.to_lowercase() != maybe_domain
    {
        if maybe_domain == LEGACY_DEFAULT_DOMAIN {
            (DEFAULT_DOMAIN.to_owned(), maybe_remote.to_owned())
        } else {
            (maybe_domain.to_owned(), maybe_remote.to_owned())
        }
    } else {
        (DEFAULT_DOMAIN.to_owned(), name.to_owned())
    };
    if domain == DEFAULT_DOMAIN && !remote.contains('/') {
        remote = format!("{OFFICIAL_REPO_PREFIX}{remote}");
    }
    (domain, remote)
}

/// `reference.Parse` on an already normalized string (`domain/remainder`).
fn parse_canonical(s: &str) -> Result<Reference, ReferenceError> {
    if s.is_empty() {
        return Err(ReferenceError::NameEmpty);
    }
    let Some(parts) = match_reference(s) else {
        let lower = s.to_lowercase();
        if lower != s && match_reference(&lower).is_some() {
            return Err(ReferenceError::NameContainsUppercase);
        }
        return Err(ReferenceError::InvalidFormat);
    };
    let (domain, path) = split_name(parts.name);
    if path.len() > NAME_TOTAL_LENGTH_MAX {
        return Err(ReferenceError::NameTooLong);
    }
    if let Some(digest) = parts.digest {
        validate_digest(digest)?;
    }
    Ok(Reference {
        domain: domain.to_owned(),
        path: path.to_owned(),
        tag: parts.tag.map(str::to_owned),
        digest: parts.digest.map(str::to_owned),
    })
}

/// The three capture groups of `ReferenceRegexp`.
struct Parts<'a> {
    name: &'a str,
    tag: Option<&'a str>,
    digest: Option<&'a str>,
}

/// `ReferenceRegexp` as code. The split is unambiguous: a digest follows the only `@` (neither
/// names nor tags contain one); a tag follows the last `:` that has no `/` after it (a name's
/// only `:` is a port before its first `/`).
fn match_reference(s: &str) -> Option<Parts<'_>> {
    let (rest, digest) = match s.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (s, None),
    };
    if let Some(d) = digest {
        if !is_digest_syntax(d) {
            return None;
        }
    }
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest[i..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    if let Some(t) = tag {
        if !is_tag(t) {
            return None;
        }
    }
    split_name_checked(name)?;
    Some(Parts { name, tag, digest })
}

/// `anchoredNameRegexp` with its greedy optional domain: the part before the first `/` is the
/// domain when it is a valid host and the rest a valid path; otherwise the whole is the path.
fn split_name_checked(name: &str) -> Option<(&str, &str)> {
    if let Some((domain, path)) = name.split_once('/') {
        if is_domain_and_port(domain) && is_remote_name(path) {
            return Some((domain, path));
        }
    }
    is_remote_name(name).then_some(("", name))
}

fn split_name(name: &str) -> (&str, &str) {
    split_name_checked(name).unwrap_or(("", name))
}

/// `remoteName`: path components separated by `/`.
fn is_remote_name(s: &str) -> bool {
    s.split('/').all(is_path_component)
}

/// `[a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )*`
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

/// `domainAndPort`: DNS-ish labels (upper case allowed) or a bracketed IPv6, then `:digits`.
fn is_domain_and_port(s: &str) -> bool {
    let (host, port) = if s.starts_with('[') {
        match s.find(']') {
            Some(end) => (&s[..=end], &s[end + 1..]),
            None => return false,
        }
    } else {
        match s.find(':') {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, ""),
        }
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_hexdigit() || c == b':')
    } else {
        host.split('.').all(is_domain_component)
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

/// `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`
fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        _ => false,
    }
}

/// `[\w][\w.-]{0,127}`
fn is_tag(s: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = s.as_bytes();
    match b.split_first() {
        Some((first, rest)) => {
            word(*first) && rest.len() <= 127 && rest.iter().all(|c| word(*c) || b"-.".contains(c))
        }
        None => false,
    }
}

/// The reference grammar's digest: `[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[hex]{32,}`.
fn is_digest_syntax(s: &str) -> bool {
    let Some((algorithm, hex)) = s.split_once(':') else {
        return false;
    };
    let component_ok = |c: &str| {
        let b = c.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphabetic) && b.iter().all(u8::is_ascii_alphanumeric)
    };
    let alg_ok = algorithm.split(['-', '_', '+', '.']).all(component_ok);
    alg_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

/// go-digest `Digest.Validate`, with sha256, sha384 and sha512 available (the CLI links them).
pub fn validate_digest(s: &str) -> Result<(), ReferenceError> {
    let i = match s.find(':') {
        Some(i) if i > 0 && i + 1 < s.len() => i,
        _ => return Err(ReferenceError::ChecksumFormat),
    };
    let (algorithm, encoded) = (&s[..i], &s[i + 1..]);
    let hex_len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => {
            return Err(if is_go_digest_syntax(s) {
                ReferenceError::DigestUnsupported
            } else {
                ReferenceError::ChecksumFormat
            });
        }
    };
    if encoded.len() != hex_len {
        return Err(ReferenceError::ChecksumLength);
    }
    if encoded
        .bytes()
        .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    {
        Ok(())
    } else {
        Err(ReferenceError::ChecksumFormat)
    }
}

/// go-digest `DigestRegexpAnchored`: `[a-z0-9]+([.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+`.
fn is_go_digest_syntax(s: &str) -> bool {
    let Some((algorithm, encoded)) = s.split_once(':') else {
        return false;
    };
    let alg_ok = algorithm.split(['.', '+', '_', '-']).all(|c| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    let enc_ok = !encoded.is_empty()
        && encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"=_-".contains(&b));
    alg_ok && enc_ok
}

/// The name Docker refused for its capitals, read back from what [`ReferenceError::RemoteNameUppercase`]
/// writes (the tutor names the mistake): `invalid argument "Site" for "-t, --tag" flag:
/// invalid reference format: repository name (library/Site) must be lowercase`.
pub(crate) fn lowercase_refused(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|l| l.ends_with("must be lowercase"))?;
    // The name as typed, tag included: `invalid argument "Site:1"`, `invalid tag "Site:1"`.
    for quoted in ["invalid argument \"", "invalid tag \""] {
        if let Some((_, rest)) = line.split_once(quoted) {
            if let Some((name, _)) = rest.split_once('"') {
                return Some(name.to_owned());
            }
        }
    }
    let start = line.find("repository name (")? + "repository name (".len();
    let name = &line[start..line[start..].find(')')? + start];
    Some(name.strip_prefix("library/").unwrap_or(name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    type ValidCase<'a> = (
        String,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        String,
    );

    const H64: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// input, domain, path, tag, digest, familiar string
    #[test]
    #[allow(clippy::too_many_lines, reason = "a table of cases")]
    fn valid_references() {
        let d = format!("sha256:{H64}");
        let cases: Vec<ValidCase> = vec![
            (
                "nginx".into(),
                "docker.io",
                "library/nginx",
                None,
                None,
                "nginx".into(),
            ),
            (
                "nginx:latest".into(),
                "docker.io",
                "library/nginx",
                Some("latest"),
                None,
                "nginx:latest".into(),
            ),
            (
                "nginx:1.27-alpine".into(),
                "docker.io",
                "library/nginx",
                Some("1.27-alpine"),
                None,
                "nginx:1.27-alpine".into(),
            ),
            (
                "nginx:Latest".into(),
                "docker.io",
                "library/nginx",
                Some("Latest"),
                None,
                "nginx:Latest".into(),
            ),
            (
                "user/app".into(),
                "docker.io",
                "user/app",
                None,
                None,
                "user/app".into(),
            ),
            (
                "library/nginx".into(),
                "docker.io",
                "library/nginx",
                None,
                None,
                "nginx".into(),
            ),
            (
                "docker.io/nginx".into(),
                "docker.io",
                "library/nginx",
                None,
                None,
                "nginx".into(),
            ),
            (
                "docker.io/library/nginx:1".into(),
                "docker.io",
                "library/nginx",
                Some("1"),
                None,
                "nginx:1".into(),
            ),
            (
                "index.docker.io/user/app".into(),
                "docker.io",
                "user/app",
                None,
                None,
                "user/app".into(),
            ),
            (
                "docker.io/library/a/b".into(),
                "docker.io",
                "library/a/b",
                None,
                None,
                "library/a/b".into(),
            ),
            (
                "localhost/app".into(),
                "localhost",
                "app",
                None,
                None,
                "localhost/app".into(),
            ),
            (
                "localhost:5000/app:v1".into(),
                "localhost:5000",
                "app",
                Some("v1"),
                None,
                "localhost:5000/app:v1".into(),
            ),
            (
                "127.0.0.1:5000/x/y".into(),
                "127.0.0.1:5000",
                "x/y",
                None,
                None,
                "127.0.0.1:5000/x/y".into(),
            ),
            (
                "[::1]:5000/x".into(),
                "[::1]:5000",
                "x",
                None,
                None,
                "[::1]:5000/x".into(),
            ),
            (
                "[fe80::1]/x:t".into(),
                "[fe80::1]",
                "x",
                Some("t"),
                None,
                "[fe80::1]/x:t".into(),
            ),
            (
                "ghcr.io/org/team/app".into(),
                "ghcr.io",
                "org/team/app",
                None,
                None,
                "ghcr.io/org/team/app".into(),
            ),
            (
                "EXAMPLE.com/foo".into(),
                "EXAMPLE.com",
                "foo",
                None,
                None,
                "EXAMPLE.com/foo".into(),
            ),
            ("Foo/bar".into(), "Foo", "bar", None, None, "Foo/bar".into()),
            (
                "my-reg.example.com:443/a.b/c_d/e__f/g---h".into(),
                "my-reg.example.com:443",
                "a.b/c_d/e__f/g---h",
                None,
                None,
                "my-reg.example.com:443/a.b/c_d/e__f/g---h".into(),
            ),
            (
                "localhost:5000".into(),
                "docker.io",
                "library/localhost",
                Some("5000"),
                None,
                "localhost:5000".into(),
            ),
            (
                "a_b.c/x".into(),
                "",
                "a_b.c/x",
                None,
                None,
                "a_b.c/x".into(),
            ),
            (
                format!("nginx@{d}"),
                "docker.io",
                "library/nginx",
                None,
                Some(d.as_str()),
                format!("nginx@{d}"),
            ),
            (
                format!("nginx:1@{d}"),
                "docker.io",
                "library/nginx",
                Some("1"),
                Some(d.as_str()),
                format!("nginx:1@{d}"),
            ),
            (
                format!("{}/x", "a".repeat(200)),
                "docker.io",
                "",
                None,
                None,
                String::new(),
            ),
        ];
        for (input, domain, path, tag, digest, familiar) in cases {
            let r = Reference::parse(&input).unwrap_or_else(|e| panic!("{input}: {e}"));
            if path.is_empty() {
                continue; // only checks that it parses
            }
            assert_eq!(r.domain(), domain, "{input}");
            assert_eq!(r.path(), path, "{input}");
            assert_eq!(r.tag(), tag, "{input}");
            assert_eq!(r.digest(), digest, "{input}");
            assert_eq!(r.familiar_string(), familiar, "{input}");
        }
    }

    #[test]
    fn control_characters_in_names_are_shown_escaped() {
        assert_eq!(escape_controls("nginx"), "nginx");
        assert_eq!(
            escape_controls_in_lines("a\tb\nc\x1b[2J\r\x07"),
            "a\tb\nc\\x1b[2J\r\\a"
        );
        assert_eq!(
            escape_controls("a\x1b[2J\x07\n\t\u{85}é"),
            "a\\x1b[2J\\a\\n\\t\\u0085é"
        );
        let err = Reference::parse("zz\x1b[2Jzz").expect_err("upper case and an escape");
        assert_eq!(
            err.to_string(),
            "invalid reference format: repository name (library/zz\\x1b[2Jzz) must be lowercase"
        );
    }

    /// Each message checked with `docker pull ARG` on the real 28.2.2 client.
    #[test]
    fn invalid_references() {
        let long = format!("{}/bbbbbb", "a".repeat(250));
        let cases: Vec<(String, String)> = vec![
            ("NGINX".into(), "invalid reference format: repository name (library/NGINX) must be lowercase".into()),
            ("Nginx:Latest".into(), "invalid reference format: repository name (library/Nginx) must be lowercase".into()),
            ("a/B".into(), "invalid reference format: repository name (a/B) must be lowercase".into()),
            ("example.com/Foo".into(), "invalid reference format: repository name (Foo) must be lowercase".into()),
            ("É".into(), "invalid reference format: repository name (library/É) must be lowercase".into()),
            ("nginx@SHA256:0123456789abcdef0123456789abcdef".into(), "invalid reference format: repository name (library/nginx@SHA256) must be lowercase".into()),
            (String::new(), "invalid reference format".into()),
            (":tag".into(), "invalid reference format".into()),
            ("nginx:".into(), "invalid reference format".into()),
            ("nginx:-bad".into(), "invalid reference format".into()),
            ("a:b:c".into(), "invalid reference format".into()),
            ("b c".into(), "invalid reference format".into()),
            ("a/b:c/d".into(), "invalid reference format".into()),
            ("a___b".into(), "invalid reference format".into()),
            ("a.-b".into(), "invalid reference format".into()),
            ("-a".into(), "invalid reference format".into()),
            ("a/".into(), "invalid reference format".into()),
            ("a//b".into(), "invalid reference format".into()),
            (format!("nginx:{}", "t".repeat(129)), "invalid reference format".into()),
            ("nginx@sha256:abc".into(), "invalid reference format".into()),
            ("nginx@foo:012".into(), "invalid reference format".into()),
            ("nginx@sha256:0123456789abcdef0123456789abcdef".into(), "invalid checksum digest length".into()),
            ("nginx@sha512:0123456789abcdef0123456789abcdef".into(), "invalid checksum digest length".into()),
            (format!("nginx@sha256:{}F", &H64[..63]), "invalid checksum digest format".into()),
            ("nginx@foo:0123456789abcdef0123456789abcdef".into(), "unsupported digest algorithm".into()),
            (H64.into(), format!("invalid repository name ({H64}), cannot specify 64-byte hexadecimal strings")),
            (long, "repository name must not be more than 255 characters".into()),
        ];
        for (input, message) in cases {
            match Reference::parse(&input) {
                Ok(r) => panic!("{input:?} parsed as {r}"),
                Err(e) => assert_eq!(e.to_string(), message, "{input:?}"),
            }
        }
    }

    #[test]
    fn names_and_strings() {
        let r = Reference::parse("nginx").expect("valid");
        assert_eq!(r.name(), "docker.io/library/nginx");
        assert_eq!(r.full_string(), "docker.io/library/nginx");
        let r = r.with_default_tag();
        assert_eq!(r.to_string(), "docker.io/library/nginx:latest");
        assert_eq!(r.familiar_string(), "nginx:latest");
        let r = Reference::parse(&format!("x/y@sha256:{H64}")).expect("valid");
        assert_eq!(
            r.clone().with_default_tag(),
            r,
            "a digest means no default tag"
        );
    }

    /// Wrappings checked with the real client: `docker tag Bad good`, `docker tag a 'b c'`.
    #[test]
    fn cli_wrappings() {
        let e = Reference::parse("Bad").expect_err("upper case");
        assert_eq!(
            tag_parse_error("Bad", &e),
            "Error parsing reference: \"Bad\" is not a valid repository/tag: invalid reference format: repository name (library/Bad) must be lowercase"
        );
        let e = Reference::parse("b c").expect_err("space");
        assert_eq!(
            tag_parse_error("b c", &e),
            "Error parsing reference: \"b c\" is not a valid repository/tag: invalid reference format"
        );
        assert_eq!(go_quote("a\"b\\c\td\u{1}é"), "\"a\\\"b\\\\c\\td\\x01é\"");
        assert_eq!(pull_default_tag_line("latest"), "Using default tag: latest");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "@", ":", "/", "@@", "a@", "[", "[]/x", "[::1/x", "a:/b", "ü/ü", "\u{0}", "a@b:c@d",
            "x:5000/",
        ] {
            let _ = Reference::parse(s);
        }
    }

    /// The refusal the parser writes is read back with the name as typed.
    #[test]
    fn an_uppercase_refusal_is_read_back() {
        let e = Reference::parse("Site").expect_err("upper case");
        let line = format!("invalid argument \"Site\" for \"-t, --tag\" flag: {e}\n");
        assert_eq!(lowercase_refused(&line).as_deref(), Some("Site"));
        let bare = format!("Error parsing reference: {e}\n");
        assert_eq!(lowercase_refused(&bare).as_deref(), Some("Site"));
        assert_eq!(lowercase_refused("invalid reference format\n"), None);
    }
}
