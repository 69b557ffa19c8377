//! Docker Hub's side of the offline catalog (`catalog/hub.toml`): each repository's description
//! and star count, which `docker search` lists, and what the tutor knows about the official
//! images the catalog lacks (`node`, `mysql`) and the names students try for others (`apache`).

use std::sync::OnceLock;

use serde::Deserialize;

const HUB_TOML: &str = include_str!("../../catalog/hub.toml");

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hub {
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "data checked by the tests below")
    )]
    pub format_version: u32,
    /// The catalog's repositories as the Hub's search lists them.
    #[serde(rename = "repository")]
    pub repositories: Vec<HubRepository>,
    /// Official images of Docker Hub that the offline catalog does not carry.
    pub absent: Vec<String>,
    /// Names students type for an official image that has another name.
    #[serde(rename = "alias")]
    pub aliases: Vec<HubAlias>,
}

/// One repository, as a search result.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubRepository {
    /// Its name under `docker.io/library/`.
    pub name: String,
    /// The Hub's short description.
    pub description: String,
    pub stars: u32,
    /// Where `description` and `stars` come from: `plausible` (written, not read from the Hub).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "data checked by the tests below")
    )]
    pub source: String,
}

/// A name that is not an official image, and the official image meant by it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubAlias {
    pub typed: String,
    pub official: String,
}

/// The embedded file.
pub fn hub() -> &'static Hub {
    static HUB: OnceLock<Hub> = OnceLock::new();
    HUB.get_or_init(|| {
        toml::from_str(HUB_TOML).expect("catalog/hub.toml is checked by a unit test")
    })
}

/// What the tutor can say about a repository the offline registry does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// A real official image of Docker Hub that the offline catalog lacks.
    NotInCatalog,
    /// Not an official image: the official image for it has this name.
    OfficialIs(String),
}

impl Hub {
    /// The search data of a catalog repository.
    pub fn repository(&self, name: &str) -> Option<&HubRepository> {
        self.repositories.iter().find(|r| r.name == name)
    }

    /// What is known about `docker.io/<path>` when the offline registry lacks it; `None` for
    /// a repository the catalog has, one outside `library/`, or a name nobody knows.
    pub fn missing(&self, path: &str) -> Option<Missing> {
        let name = path.strip_prefix("library/")?;
        if self.repository(name).is_some() {
            return None;
        }
        if self.absent.iter().any(|a| a == name) {
            return Some(Missing::NotInCatalog);
        }
        self.aliases
            .iter()
            .find(|a| a.typed == name)
            .map(|a| Missing::OfficialIs(a.official.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;

    #[test]
    fn every_catalog_repository_has_hub_data_and_nothing_else_does() {
        let hub = hub();
        assert_eq!(hub.format_version, 1);
        let cat = catalog();
        for name in cat.repositories() {
            let repo = hub
                .repository(name)
                .unwrap_or_else(|| panic!("{name}: no hub data"));
            assert!(!repo.description.is_empty(), "{name}");
            assert_eq!(repo.source, "plausible", "{name}");
        }
        for repo in &hub.repositories {
            assert!(
                cat.has_repository(&format!("library/{}", repo.name)),
                "{}: not in the catalog",
                repo.name
            );
        }
        for name in &hub.absent {
            assert!(!cat.has_repository(&format!("library/{name}")), "{name}");
        }
        for alias in &hub.aliases {
            let official = &alias.official;
            assert!(
                cat.has_repository(&format!("library/{official}")) || hub.absent.contains(official),
                "{official}: an alias must name a known official image"
            );
            assert!(!cat.has_repository(&format!("library/{}", alias.typed)));
        }
    }

    #[test]
    fn missing_repositories_are_told_apart() {
        let hub = hub();
        assert_eq!(hub.missing("library/node"), Some(Missing::NotInCatalog));
        assert_eq!(hub.missing("library/mysql"), Some(Missing::NotInCatalog));
        assert_eq!(
            hub.missing("library/apache"),
            Some(Missing::OfficialIs("httpd".to_owned()))
        );
        assert_eq!(hub.missing("library/nginx"), None);
        assert_eq!(hub.missing("library/ngnix"), None);
        assert_eq!(hub.missing("bitnami/node"), None);
    }
}
