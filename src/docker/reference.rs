//! (temporary minimal version; replaced by the full module)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("invalid reference format")]
    InvalidFormat,
    #[error("invalid reference format: repository name ({0}) must be lowercase")]
    Uppercase(String),
}
impl Reference {
    pub fn parse(s: &str) -> Result<Reference, ReferenceError> {
        let (rest, digest) = match s.split_once('@') {
            Some((a, b)) => (a, Some(b.to_owned())),
            None => (s, None),
        };
        let (name, tag) = match rest.rfind(':') {
            Some(i) if !rest[i..].contains('/') => (&rest[..i], Some(rest[i + 1..].to_owned())),
            _ => (rest, None),
        };
        if name.is_empty() || tag.as_deref() == Some("") {
            return Err(ReferenceError::InvalidFormat);
        }
        let (domain, path) = match name.split_once('/') {
            Some((d, p)) if d.contains('.') || d.contains(':') || d == "localhost" => {
                (d.to_owned(), p.to_owned())
            }
            _ => (
                "docker.io".to_owned(),
                if name.contains('/') {
                    name.to_owned()
                } else {
                    format!("library/{name}")
                },
            ),
        };
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase(path));
        }
        Ok(Reference {
            domain,
            path,
            tag,
            digest,
        })
    }
    pub fn domain(&self) -> &str {
        &self.domain
    }
    pub fn path(&self) -> &str {
        &self.path
    }
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }
    pub fn with_default_tag(mut self) -> Reference {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".into());
        }
        self
    }
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }
    pub fn familiar_name(&self) -> String {
        if self.domain == "docker.io" {
            self.path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_owned()
        } else {
            self.name()
        }
    }
    fn suffix(&self) -> String {
        let mut s = String::new();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
    pub fn familiar_string(&self) -> String {
        format!("{}{}", self.familiar_name(), self.suffix())
    }
    pub fn full_string(&self) -> String {
        format!("{}{}", self.name(), self.suffix())
    }
}
impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.full_string())
    }
}
