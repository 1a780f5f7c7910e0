//! The filters of `extract`: `--site` (by the page's address, before
//! extraction where the address is known) and `--since` / `--until` (by the
//! record's publication time, after extraction).

use anyhow::{bail, Result};
use chrono::{DateTime, Utc};
use url::Url;

use super::SkipReason;
use crate::record::Record;
use crate::selectors::SiteRegistry;

/// `--site NAME` (repeatable): a site config's name, or a host name. No
/// names: every page passes.
#[derive(Debug)]
pub struct SiteFilter<'a> {
    configs: Vec<String>,
    hosts: Vec<String>,
    registry: &'a SiteRegistry,
}

impl<'a> SiteFilter<'a> {
    /// Builds the filter; a name that is neither a config of `registry` nor
    /// a host name (it has a dot, or is `localhost`) is an error.
    pub fn new(names: &[String], registry: &'a SiteRegistry) -> Result<Self> {
        let mut configs = Vec::new();
        let mut hosts = Vec::new();
        for name in names {
            let lower = name.trim().to_ascii_lowercase();
            if registry.by_name(&lower).is_some() {
                configs.push(lower);
            } else if lower.contains('.') || lower == "localhost" {
                hosts.push(lower.trim_start_matches("www.").to_string());
            } else {
                bail!("--site {name}: no site config of that name, and not a host name");
            }
        }
        Ok(Self {
            configs,
            hosts,
            registry,
        })
    }

    /// True when no `--site` was given.
    pub fn is_open(&self) -> bool {
        self.configs.is_empty() && self.hosts.is_empty()
    }

    /// Whether a page at `url` belongs to one of the sites: its host is one
    /// of the hosts (with or without `www.`, or a subdomain of it), or the
    /// config its host maps to is one of the configs.
    pub fn allows_url(&self, url: &Url) -> bool {
        if self.is_open() {
            return true;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        let bare = host.trim_start_matches("www.");
        if self
            .hosts
            .iter()
            .any(|h| bare == h || bare.ends_with(&format!(".{h}")))
        {
            return true;
        }
        !self.configs.is_empty()
            && self
                .registry
                .for_url(url)
                .is_some_and(|c| self.configs.contains(&c.name))
    }

    /// Whether an extracted record belongs to one of the sites: for pages
    /// whose address was unknown before extraction (files without `--url`).
    pub fn allows_record(&self, record: &Record) -> bool {
        if self.is_open() || self.configs.contains(&record.site) {
            return true;
        }
        Url::parse(&record.url).is_ok_and(|u| u.scheme() != "file" && self.allows_url(&u))
    }
}

/// `--since` / `--until`: the window a record's `published` time must fall
/// in. A record without a (readable) publication time is kept, as a crawl
/// keeps it: nothing says it is outside the window.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateWindow {
    /// Records published before this are skipped.
    pub since: Option<DateTime<Utc>>,
    /// Records published after this are skipped.
    pub until: Option<DateTime<Utc>>,
}

impl DateWindow {
    /// Parses `--since` / `--until` values (RFC 3339, a date, or a
    /// duration back from `now` such as `2d`).
    pub fn parse(since: Option<&str>, until: Option<&str>, now: DateTime<Utc>) -> Result<Self> {
        let when = |flag: &str, value: Option<&str>| -> Result<Option<DateTime<Utc>>> {
            value
                .map(|v| {
                    crate::crawl::parse_since(v, now).map_err(|_| {
                        anyhow::anyhow!(
                            "{flag} {v:?}: expected an RFC 3339 date or a duration like 2d"
                        )
                    })
                })
                .transpose()
        };
        let window = Self {
            since: when("--since", since)?,
            until: when("--until", until)?,
        };
        if let (Some(s), Some(u)) = (window.since, window.until) {
            if s > u {
                bail!("--since {s} is after --until {u}: no record can match");
            }
        }
        Ok(window)
    }

    /// Why a record falls outside the window, if it does.
    pub fn judge(&self, record: &Record) -> Option<SkipReason> {
        let published = record
            .published
            .as_deref()
            .and_then(|p| DateTime::parse_from_rfc3339(p).ok())?
            .with_timezone(&Utc);
        if self.since.is_some_and(|s| published < s) {
            return Some(SkipReason::Since);
        }
        if self.until.is_some_and(|u| published > u) {
            return Some(SkipReason::Until);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, site: &str, published: Option<&str>) -> Record {
        Record {
            id: String::new(),
            url: url.into(),
            site: site.into(),
            title: None,
            authors: vec![],
            published: published.map(str::to_string),
            modified: None,
            language: None,
            description: None,
            body: "text".into(),
            extractor: "generic".into(),
            fetched_at: None,
            page_type: Default::default(),
            paywalled: false,
        }
    }

    #[test]
    fn site_names_are_configs_or_hosts() {
        let registry = SiteRegistry::from_sources([(
            "ilpost.toml".to_string(),
            "name = \"ilpost\"\nhosts = [\"www.ilpost.it\"]\n[extract]\nbody = [\"article\"]\n"
                .to_string(),
        )])
        .unwrap();
        let f = SiteFilter::new(&["ilpost".into(), "Example.COM".into()], &registry).unwrap();
        let ok = |u: &str| f.allows_url(&Url::parse(u).unwrap());
        assert!(ok("https://www.ilpost.it/2024/05/01/x/"));
        assert!(ok("https://example.com/a"));
        assert!(ok("https://www.example.com/a"));
        assert!(ok("https://news.example.com/a"));
        assert!(!ok("https://notexample.com/a"));
        assert!(!ok("https://www.other.org/a"));
        assert!(f.allows_record(&record("https://x.org/a", "ilpost", None)));
        assert!(!f.allows_record(&record("file:///tmp/a.html", "local", None)));
        let e = SiteFilter::new(&["nosuchsite".into()], &registry).unwrap_err();
        assert!(e.to_string().contains("--site nosuchsite"), "{e}");
        assert!(SiteFilter::new(&[], &registry)
            .unwrap()
            .allows_url(&Url::parse("https://a.b/").unwrap()));
    }

    #[test]
    fn date_window_judges_published_and_keeps_undated() {
        let now = "2024-06-01T00:00:00Z".parse().unwrap();
        let w = DateWindow::parse(Some("2024-05-01"), Some("2024-05-31T23:59:59Z"), now).unwrap();
        let judge = |p: Option<&str>| w.judge(&record("https://a.b/", "a.b", p));
        assert_eq!(judge(Some("2024-04-30T23:00:00-02:00")), None);
        assert_eq!(
            judge(Some("2024-04-30T23:00:00+00:00")),
            Some(SkipReason::Since)
        );
        assert_eq!(judge(Some("2024-06-01T00:00:00Z")), Some(SkipReason::Until));
        assert_eq!(judge(None), None);
        let w = DateWindow::parse(Some("2d"), None, now).unwrap();
        assert_eq!(w.since, Some("2024-05-30T00:00:00Z".parse().unwrap()));
        let e = DateWindow::parse(None, Some("soon"), now).unwrap_err();
        assert!(e.to_string().starts_with("--until \"soon\""), "{e}");
        assert!(DateWindow::parse(Some("2024-06-01"), Some("2024-05-01"), now).is_err());
    }
}
