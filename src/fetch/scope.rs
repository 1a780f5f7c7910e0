//! Which hosts may be contacted: for a crawl, the seeds' hosts and the
//! configured sites' hosts; for `extract URL`, any http(s) host. Every
//! request, each redirect hop included, is checked against it.

use std::collections::HashSet;
use std::sync::Arc;

use url::Url;

use super::host::host_key;
use crate::selectors::SiteRegistry;

/// The hosts a run may contact.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Any http(s) host is in scope.
    any: bool,
    hosts: HashSet<String>,
    sites: HashSet<String>,
    registry: Arc<SiteRegistry>,
}

impl Scope {
    /// A scope of explicit host keys plus configured sites (by name).
    pub fn new(
        hosts: HashSet<String>,
        sites: HashSet<String>,
        registry: Arc<SiteRegistry>,
    ) -> Self {
        Self {
            any: false,
            hosts,
            sites,
            registry,
        }
    }

    /// Every http(s) host (`extract URL` follows a page wherever it moved).
    pub fn any() -> Self {
        Self {
            any: true,
            ..Self::default()
        }
    }

    /// True when a host key is in scope.
    pub fn contains_host(&self, host: &str) -> bool {
        self.any
            || self.hosts.contains(host)
            || self
                .registry
                .for_host(host)
                .is_some_and(|s| self.sites.contains(&s.name))
    }

    /// True when a URL is http(s) and its host is in scope.
    pub fn contains(&self, url: &Url) -> bool {
        matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| !h.is_empty())
            && (self.any
                || self.hosts.contains(&host_key(url))
                || self
                    .registry
                    .for_url(url)
                    .is_some_and(|s| self.sites.contains(&s.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_schemes() {
        let s = Scope::new(
            ["example.com".to_string(), "127.0.0.1:8080".to_string()].into(),
            HashSet::new(),
            Arc::default(),
        );
        assert!(s.contains(&"https://example.com/a".parse().unwrap()));
        assert!(s.contains(&"http://127.0.0.1:8080/a".parse().unwrap()));
        assert!(!s.contains(&"http://127.0.0.1/a".parse().unwrap()));
        assert!(!s.contains(&"ftp://example.com/a".parse().unwrap()));
        let any = Scope::any();
        assert!(any.contains(&"http://elsewhere.example/a".parse().unwrap()));
        assert!(!any.contains(&"javascript:alert(1)".parse().unwrap()));
        assert!(!any.contains(&"file:///etc/passwd".parse().unwrap()));
    }
}
