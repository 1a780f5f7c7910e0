//! The per-site config model: the TOML as written ([`RawSiteConfig`]) and the
//! validated, compiled form ([`SiteConfig`]) the extractor and crawler use.

use std::collections::BTreeMap;

use regex::Regex;
use scraper::Selector;
use serde::Deserialize;
use toml::Spanned;

use super::error::{quoted, ConfigError};
use super::hosts::{lookup_keys, normalize_host};

/// A list of strings in the TOML, each with its position for error messages.
pub type SpannedList = Vec<Spanned<String>>;

/// A site config exactly as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSiteConfig {
    /// Unique lower-case name.
    pub name: Spanned<String>,
    /// Name of a base config whose rules this one inherits.
    pub extends: Option<Spanned<String>>,
    /// Host names this config applies to; a config without hosts is a base.
    #[serde(default)]
    pub hosts: SpannedList,
    /// ISO 639-1 language of the site.
    pub language: Option<String>,
    /// Most requests per second to this site (overrides `--rate` when slower).
    pub rate: Option<Spanned<f64>>,
    /// Extra request headers (e.g. a consent cookie).
    pub headers: Option<BTreeMap<String, String>>,
    /// Where the crawler finds articles.
    #[serde(default)]
    pub discover: RawDiscover,
    /// How articles are extracted.
    #[serde(default)]
    pub extract: RawExtract,
    /// Live pages to check the config against (`[[test]]`).
    #[serde(default, rename = "test")]
    pub tests: Vec<RawLiveTest>,
}

/// A `[[test]]` entry as written: a page of the site and snippets its
/// body must (`contains`) and must not (`not_contains`) hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLiveTest {
    /// The page's URL.
    pub url: Spanned<String>,
    /// Snippets the extracted body must hold.
    #[serde(default)]
    pub contains: SpannedList,
    /// Snippets the extracted body must not hold.
    #[serde(default)]
    pub not_contains: SpannedList,
}

/// The `[discover]` table as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiscover {
    /// RSS / Atom feed URLs (may hold `{yyyy}`, `{mm}`, `{dd}`).
    pub feeds: Option<SpannedList>,
    /// Sitemap URLs (may hold `{yyyy}`, `{mm}`, `{dd}`).
    pub sitemaps: Option<SpannedList>,
    /// Start pages (home, section fronts).
    pub start: Option<SpannedList>,
    /// Regexes matching article URLs.
    pub article: Option<SpannedList>,
}

/// The `[extract]` table as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtract {
    /// Headline selectors (first match wins).
    pub title: Option<SpannedList>,
    /// Body selectors (all elements of the first selector that matches).
    pub body: Option<SpannedList>,
    /// Author selectors (all elements of the first selector that matches).
    pub authors: Option<SpannedList>,
    /// Publication time selectors (first match wins).
    pub published: Option<SpannedList>,
    /// Modification time selectors (first match wins).
    pub modified: Option<SpannedList>,
    /// Summary / standfirst selectors prepended to the body when they match
    /// outside the body.
    pub summary: Option<SpannedList>,
    /// Elements removed before the text is assembled (added to the base's).
    pub drop: Option<SpannedList>,
    /// Paragraph regexes: a paragraph containing a match is dropped (added to
    /// the base's).
    pub drop_text: Option<SpannedList>,
    /// Fewest characters a body from this site normally has; less counts as a
    /// broken selection and falls back to generic extraction.
    pub min_body_chars: Option<usize>,
}

/// Where a field value is read from.
#[derive(Debug, Clone)]
pub enum FieldKind {
    /// A CSS selector: the element's text, or one attribute (`sel@attr`).
    Css {
        /// The compiled selector.
        selector: Selector,
        /// The attribute to read instead of the text.
        attr: Option<String>,
    },
    /// `jsonld:KEY`: a key of the page's JSON-LD article object (e.g.
    /// `jsonld:headline`, `jsonld:datePublished`, `jsonld:author`).
    JsonLd(String),
}

/// A field selector as written in a config, compiled.
#[derive(Debug, Clone)]
pub struct FieldSelector {
    /// The selector as written (`sel@attr` or `jsonld:KEY`).
    pub source: String,
    /// What it reads.
    pub kind: FieldKind,
}

/// A `[[test]]` entry, validated: a page of the site whose extracted body
/// must hold every `contains` snippet and none of the `not_contains` ones
/// (whitespace runs compared as one space).
#[derive(Debug, Clone, PartialEq)]
pub struct LiveTest {
    /// The page.
    pub url: url::Url,
    /// Snippets the body must hold.
    pub contains: Vec<String>,
    /// Snippets the body must not hold.
    pub not_contains: Vec<String>,
}

/// The `[discover]` rules, validated.
#[derive(Debug, Clone, Default)]
pub struct Discover {
    /// Feed URL templates.
    pub feeds: Vec<String>,
    /// Sitemap URL templates.
    pub sitemaps: Vec<String>,
    /// Start page URLs.
    pub start: Vec<String>,
    /// Article URL patterns.
    pub article: Vec<Regex>,
}

/// The `[extract]` rules, compiled.
#[derive(Debug, Clone, Default)]
pub struct ExtractRules {
    /// Headline selectors.
    pub title: Vec<FieldSelector>,
    /// Body selectors.
    pub body: Vec<Selector>,
    /// Author selectors.
    pub authors: Vec<FieldSelector>,
    /// Publication time selectors.
    pub published: Vec<FieldSelector>,
    /// Modification time selectors.
    pub modified: Vec<FieldSelector>,
    /// Summary selectors.
    pub summary: Vec<Selector>,
    /// Drop selectors, the base's first.
    pub drop: Vec<Selector>,
    /// Paragraph-dropping regexes, the base's first.
    pub drop_text: Vec<Regex>,
    /// Fewest characters a healthy body has.
    pub min_body_chars: Option<usize>,
}

/// A validated site config, with its base's rules merged in.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Unique name (`site:<name>` in records).
    pub name: String,
    /// The file it was loaded from (relative to the selectors folder).
    pub file: String,
    /// The base it extends, if any.
    pub extends: Option<String>,
    /// Lower-cased hosts; empty for a base config.
    pub hosts: Vec<String>,
    /// ISO 639-1 language.
    pub language: Option<String>,
    /// Per-site request rate (requests per second).
    pub rate: Option<f64>,
    /// Extra request headers.
    pub headers: Vec<(String, String)>,
    /// Discovery rules.
    pub discover: Discover,
    /// Extraction rules.
    pub extract: ExtractRules,
    /// Live test pages (`[[test]]`; not inherited from a base).
    pub tests: Vec<LiveTest>,
}

impl SiteConfig {
    /// True for a base config (no hosts): it only lends rules to others.
    pub fn is_base(&self) -> bool {
        self.hosts.is_empty()
    }

    /// True when `url` matches one of the site's article URL patterns.
    pub fn is_article_url(&self, url: &str) -> bool {
        self.discover.article.iter().any(|re| re.is_match(url))
    }
}

/// Compiles one raw config (without merging its base).
pub(super) fn compile(
    raw: &RawSiteConfig,
    file: &str,
    text: &str,
) -> Result<SiteConfig, ConfigError> {
    let err = |span: std::ops::Range<usize>, key: &str, message: String| ConfigError::Invalid {
        file: file.to_string(),
        line: line_of(text, span.start),
        key: key.to_string(),
        message,
    };
    let name = raw.name.get_ref().trim().to_string();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(err(
            raw.name.span(),
            "name",
            format!(
                "`{}` must be lower-case letters, digits, `_` or `-`",
                quoted(&name)
            ),
        ));
    }
    let mut hosts = Vec::new();
    for (i, host) in raw.hosts.iter().enumerate() {
        let h = normalize_host(host.get_ref()).ok_or_else(|| {
            err(
                host.span(),
                &format!("hosts[{i}]"),
                format!(
                    "`{}` is not a host name (no scheme, no path)",
                    quoted(host.get_ref())
                ),
            )
        })?;
        hosts.push(h);
    }
    if let Some(rate) = &raw.rate {
        crate::fetch::host::check_rate(*rate.get_ref())
            .map_err(|message| err(rate.span(), "rate", message))?;
    }
    let regexes = |list: &Option<SpannedList>, key: &str| -> Result<Vec<Regex>, ConfigError> {
        let mut out = Vec::new();
        for (i, s) in list.iter().flatten().enumerate() {
            let re = Regex::new(s.get_ref()).map_err(|e| {
                err(
                    s.span(),
                    &format!("{key}[{i}]"),
                    format!("invalid regex: {}", quoted(&e.to_string())),
                )
            })?;
            out.push(re);
        }
        Ok(out)
    };
    let selectors = |list: &Option<SpannedList>, key: &str| -> Result<Vec<Selector>, ConfigError> {
        let mut out = Vec::new();
        for (i, s) in list.iter().flatten().enumerate() {
            let sel = Selector::parse(s.get_ref()).map_err(|e| {
                err(
                    s.span(),
                    &format!("{key}[{i}]"),
                    format!(
                        "invalid CSS selector `{}`: {}",
                        quoted(s.get_ref()),
                        quoted(&e.to_string())
                    ),
                )
            })?;
            out.push(sel);
        }
        Ok(out)
    };
    let fields =
        |list: &Option<SpannedList>, key: &str| -> Result<Vec<FieldSelector>, ConfigError> {
            let mut out = Vec::new();
            for (i, s) in list.iter().flatten().enumerate() {
                if let Some(k) = s.get_ref().strip_prefix("jsonld:") {
                    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '@') {
                        return Err(err(
                            s.span(),
                            &format!("{key}[{i}]"),
                            format!(
                                "`{}` needs a JSON-LD key, e.g. jsonld:headline",
                                quoted(s.get_ref())
                            ),
                        ));
                    }
                    out.push(FieldSelector {
                        source: s.get_ref().clone(),
                        kind: FieldKind::JsonLd(k.to_string()),
                    });
                    continue;
                }
                let (css, attr) = split_attr(s.get_ref());
                let selector = Selector::parse(css).map_err(|e| {
                    err(
                        s.span(),
                        &format!("{key}[{i}]"),
                        format!(
                            "invalid CSS selector `{}`: {}",
                            quoted(css),
                            quoted(&e.to_string())
                        ),
                    )
                })?;
                out.push(FieldSelector {
                    source: s.get_ref().clone(),
                    kind: FieldKind::Css {
                        selector,
                        attr: attr.map(str::to_string),
                    },
                });
            }
            Ok(out)
        };
    let urls = |list: &Option<SpannedList>, key: &str| -> Result<Vec<String>, ConfigError> {
        let mut out = Vec::new();
        for (i, s) in list.iter().flatten().enumerate() {
            let probe = s
                .get_ref()
                .replace("{yyyy}", "2024")
                .replace("{mm}", "01")
                .replace("{dd}", "01");
            match url::Url::parse(&probe) {
                Ok(u) if u.scheme() == "http" || u.scheme() == "https" => {
                    out.push(s.get_ref().clone())
                }
                _ => {
                    return Err(err(
                        s.span(),
                        &format!("{key}[{i}]"),
                        format!("`{}` is not an http(s) URL", quoted(s.get_ref())),
                    ))
                }
            }
        }
        Ok(out)
    };
    let tests = live_tests(raw, &hosts, &err)?;
    let d = &raw.discover;
    let x = &raw.extract;
    Ok(SiteConfig {
        name,
        file: file.to_string(),
        extends: raw.extends.as_ref().map(|e| e.get_ref().clone()),
        hosts,
        language: raw.language.clone(),
        rate: raw.rate.as_ref().map(|r| *r.get_ref()),
        headers: raw
            .headers
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect(),
        discover: Discover {
            feeds: urls(&d.feeds, "discover.feeds")?,
            sitemaps: urls(&d.sitemaps, "discover.sitemaps")?,
            start: urls(&d.start, "discover.start")?,
            article: regexes(&d.article, "discover.article")?,
        },
        extract: ExtractRules {
            title: fields(&x.title, "extract.title")?,
            body: selectors(&x.body, "extract.body")?,
            authors: fields(&x.authors, "extract.authors")?,
            published: fields(&x.published, "extract.published")?,
            modified: fields(&x.modified, "extract.modified")?,
            summary: selectors(&x.summary, "extract.summary")?,
            drop: selectors(&x.drop, "extract.drop")?,
            drop_text: regexes(&x.drop_text, "extract.drop_text")?,
            min_body_chars: x.min_body_chars,
        },
        tests,
    })
}

/// Validates the `[[test]]` entries: an http(s) URL on one of the
/// config's hosts, and snippets that are not blank.
fn live_tests(
    raw: &RawSiteConfig,
    hosts: &[String],
    err: &dyn Fn(std::ops::Range<usize>, &str, String) -> ConfigError,
) -> Result<Vec<LiveTest>, ConfigError> {
    let mut out = Vec::new();
    for (i, t) in raw.tests.iter().enumerate() {
        let key = format!("test[{i}].url");
        let url = url::Url::parse(t.url.get_ref().trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                err(
                    t.url.span(),
                    &key,
                    format!("`{}` is not an http(s) URL", t.url.get_ref()),
                )
            })?;
        // The registry's matching rules, with the port and without.
        let on_site = url.host_str().and_then(normalize_host).is_some_and(|h| {
            let with_port = url.port().map(|p| format!("{h}:{p}"));
            with_port
                .into_iter()
                .chain([h])
                .any(|key| lookup_keys(&key).iter().any(|k| hosts.contains(k)))
        });
        if !on_site {
            return Err(err(
                t.url.span(),
                &key,
                format!("`{url}` is not on one of the config's hosts"),
            ));
        }
        let snippets = |list: &SpannedList, name: &str| -> Result<Vec<String>, ConfigError> {
            list.iter()
                .enumerate()
                .map(|(j, s)| {
                    let text = s.get_ref().split_whitespace().collect::<Vec<_>>().join(" ");
                    if text.is_empty() {
                        Err(err(
                            s.span(),
                            &format!("test[{i}].{name}[{j}]"),
                            "a snippet must not be blank".into(),
                        ))
                    } else {
                        Ok(text)
                    }
                })
                .collect()
        };
        out.push(LiveTest {
            url,
            contains: snippets(&t.contains, "contains")?,
            not_contains: snippets(&t.not_contains, "not_contains")?,
        });
    }
    Ok(out)
}

/// Splits `sel@attr` into the selector and the attribute name.
pub fn split_attr(source: &str) -> (&str, Option<&str>) {
    if let Some((css, attr)) = source.rsplit_once('@') {
        let valid_attr = !attr.is_empty()
            && attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if valid_attr && !css.trim().is_empty() {
            return (css.trim(), Some(attr));
        }
    }
    (source.trim(), None)
}

/// 1-based line number of a byte offset.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Merges a base config into a site config: the site's lists replace the
/// base's, except `drop` and `drop_text`, which are added to them.
pub(super) fn merge_base(site: &mut SiteConfig, raw: &RawExtract, base: &SiteConfig) {
    let x = &mut site.extract;
    let b = &base.extract;
    if raw.title.is_none() {
        x.title = b.title.clone();
    }
    if raw.body.is_none() {
        x.body = b.body.clone();
    }
    if raw.authors.is_none() {
        x.authors = b.authors.clone();
    }
    if raw.published.is_none() {
        x.published = b.published.clone();
    }
    if raw.modified.is_none() {
        x.modified = b.modified.clone();
    }
    if raw.summary.is_none() {
        x.summary = b.summary.clone();
    }
    if x.min_body_chars.is_none() {
        x.min_body_chars = b.min_body_chars;
    }
    let mut drop = b.drop.clone();
    drop.append(&mut x.drop);
    x.drop = drop;
    let mut drop_text = b.drop_text.clone();
    drop_text.append(&mut x.drop_text);
    x.drop_text = drop_text;
    if site.language.is_none() {
        site.language = base.language.clone();
    }
    if site.rate.is_none() {
        site.rate = base.rate;
    }
    if site.headers.is_empty() {
        site.headers = base.headers.clone();
    }
    let d = &mut site.discover;
    if d.article.is_empty() {
        d.article = base.discover.article.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_suffix() {
        assert_eq!(split_attr("time@datetime"), ("time", Some("datetime")));
        assert_eq!(
            split_attr("meta[property='article:published_time']@content"),
            ("meta[property='article:published_time']", Some("content"))
        );
        assert_eq!(split_attr("h1.title"), ("h1.title", None));
        assert_eq!(
            split_attr("a[href='mailto:x@y']"),
            ("a[href='mailto:x@y']", None)
        );
    }
}
