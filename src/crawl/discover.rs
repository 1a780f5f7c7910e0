//! Discovery from XML: sitemap indexes, urlsets (Google News included),
//! RSS 2.0 / RSS 1.0 and Atom feeds, read with quick-xml's streaming reader
//! (gzip bodies are inflated by the fetch policy, [`crate::fetch::content`]);
//! `{yyyy}`/`{mm}`/`{dd}` URL templates expanded.

use chrono::{DateTime, Datelike, Duration as ChronoDuration, NaiveDate, Utc};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::extract::dates::parse_date;
use crate::limits::{MAX_FEED_ENTRIES, MAX_TEMPLATE_PERIODS, MAX_XML_DEPTH, MAX_XML_TEXT_BYTES};

/// What an XML document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlKind {
    /// `<sitemapindex>`: its entries are sitemaps.
    SitemapIndex,
    /// `<urlset>`: its entries are pages.
    UrlSet,
    /// RSS (2.0 or 1.0/RDF): entries are pages.
    Rss,
    /// Atom `<feed>`: entries are pages.
    Atom,
}

/// One entry of a sitemap or feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The URL as written.
    pub url: String,
    /// Publication or modification date, when given.
    pub date: Option<DateTime<Utc>>,
}

/// A parsed sitemap or feed.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlDoc {
    /// The kind of document.
    pub kind: XmlKind,
    /// Its entries, in document order (at most [`MAX_FEED_ENTRIES`]).
    pub entries: Vec<Entry>,
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or("").to_ascii_lowercase()
}

fn attr(e: &BytesStart<'_>, want: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == want).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

#[derive(Default)]
struct Pending {
    url: Option<String>,
    link_alt: Option<String>,
    guid: Option<String>,
    date: Option<DateTime<Utc>>,
    news_date: Option<DateTime<Utc>>,
}

/// Parses a sitemap or feed; None when the root element is none of them
/// (or the body is not well-formed enough to find a root).
pub fn parse_xml(body: &[u8]) -> Option<XmlDoc> {
    let text = String::from_utf8_lossy(body);
    let mut reader = Reader::from_str(text.trim_start_matches('\u{feff}'));
    reader.config_mut().check_end_names = false;
    let mut kind: Option<XmlKind> = None;
    let mut stack: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    let mut cur: Option<Pending> = None;
    let mut buf = String::new();
    let record_tag = |k: XmlKind| match k {
        XmlKind::SitemapIndex => "sitemap",
        XmlKind::UrlSet => "url",
        XmlKind::Rss => "item",
        XmlKind::Atom => "entry",
    };
    // An error ends the loop but keeps what was read: a truncated sitemap
    // still lists URLs.
    while let Ok(ev) = reader.read_event() {
        let opens = matches!(ev, Event::Start(_));
        match ev {
            Event::Start(_) if stack.len() >= MAX_XML_DEPTH => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = local(e.name().as_ref());
                if kind.is_none() {
                    kind = match name.as_str() {
                        "sitemapindex" => Some(XmlKind::SitemapIndex),
                        "urlset" => Some(XmlKind::UrlSet),
                        "rss" | "rdf" => Some(XmlKind::Rss),
                        "feed" => Some(XmlKind::Atom),
                        _ => return None,
                    };
                }
                let k = kind?;
                if name == record_tag(k) {
                    cur = Some(Pending::default());
                } else if k == XmlKind::Atom && name == "link" {
                    if let Some(p) = cur.as_mut() {
                        let rel = attr(&e, "rel").unwrap_or_else(|| "alternate".into());
                        if rel.eq_ignore_ascii_case("alternate") && p.link_alt.is_none() {
                            p.link_alt = attr(&e, "href");
                        }
                    }
                }
                buf.clear();
                if opens {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else { continue };
                let Some(k) = kind else { continue };
                if name == record_tag(k) {
                    if let Some(p) = cur.take() {
                        let url = p.url.or(p.link_alt).or(p.guid);
                        if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
                            entries.push(Entry {
                                url: url.trim().to_string(),
                                date: p.news_date.or(p.date),
                            });
                            if entries.len() >= MAX_FEED_ENTRIES {
                                break;
                            }
                        }
                    }
                    continue;
                }
                let Some(p) = cur.as_mut() else { continue };
                let value = buf.trim().to_string();
                buf.clear();
                match (k, name.as_str()) {
                    (XmlKind::SitemapIndex | XmlKind::UrlSet, "loc") if stack.len() == 2 => {
                        p.url = Some(value)
                    }
                    (XmlKind::Rss, "link") => p.url = Some(value),
                    (XmlKind::Rss, "guid") if value.starts_with("http") => p.guid = Some(value),
                    (_, "publication_date") => {
                        p.news_date = parse_date(&value).map(|d| d.with_timezone(&Utc))
                    }
                    (_, "lastmod" | "pubdate" | "published" | "updated" | "date") => {
                        let d = parse_date(&value).map(|d| d.with_timezone(&Utc));
                        // `published` wins over `updated` in Atom.
                        if p.date.is_none() || name == "published" {
                            p.date = d.or(p.date);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => push_limited(&mut buf, &t),
            Event::CData(t) => push_limited(&mut buf, &t),
            Event::GeneralRef(r) => {
                let s: &str = &r;
                let c = match s {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    buf.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    kind.map(|kind| XmlDoc { kind, entries })
}

fn push_limited(buf: &mut String, s: &str) {
    if buf.len() < MAX_XML_TEXT_BYTES {
        buf.push_str(s);
    }
}

/// Expands `{yyyy}`, `{mm}` and `{dd}` in a feed or sitemap URL template:
/// the current and previous day (with `{dd}`) or month, or every period
/// from `since` to `now` (at most [`MAX_TEMPLATE_PERIODS`]). Templates without placeholders are
/// returned as they are.
pub fn expand_template(
    template: &str,
    now: DateTime<Utc>,
    since: Option<DateTime<Utc>>,
) -> Vec<String> {
    let has_day = template.contains("{dd}");
    if !has_day && !template.contains("{mm}") && !template.contains("{yyyy}") {
        return vec![template.to_string()];
    }
    let has_month = template.contains("{mm}");
    let today = now.date_naive();
    let fill = |d: NaiveDate| {
        template
            .replace("{yyyy}", &format!("{:04}", d.year()))
            .replace("{mm}", &format!("{:02}", d.month()))
            .replace("{dd}", &format!("{:02}", d.day()))
    };
    let start = match since {
        Some(s) if s < now => s.date_naive(),
        _ if has_day => today - ChronoDuration::days(1),
        _ if has_month => first_of_month(today) - ChronoDuration::days(1),
        _ => NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today),
    };
    let mut out: Vec<String> = Vec::new();
    let mut d = today;
    // Newest first, so the current period is fetched before older ones.
    while d >= start && out.len() < MAX_TEMPLATE_PERIODS {
        let s = fill(d);
        if out.last() != Some(&s) {
            out.push(s);
        }
        d = if has_day {
            d - ChronoDuration::days(1)
        } else if has_month {
            first_of_month(d) - ChronoDuration::days(1)
        } else {
            NaiveDate::from_ymd_opt(d.year() - 1, 12, 31).unwrap_or(NaiveDate::MIN)
        };
        if d == NaiveDate::MIN {
            break;
        }
    }
    if !has_day && !has_month {
        out.truncate(2);
    }
    out.dedup();
    out
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_index_and_news() {
        let idx = br#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>https://e.com/s1.xml.gz</loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>"#;
        let d = parse_xml(idx).unwrap();
        assert_eq!(d.kind, XmlKind::SitemapIndex);
        assert_eq!(d.entries[0].url, "https://e.com/s1.xml.gz");
        let news = br#"<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://e.com/a?x=1&amp;y=2</loc>
          <news:news><news:publication_date>2024-05-02T10:00:00Z</news:publication_date><news:title>T</news:title></news:news></url></urlset>"#;
        let d = parse_xml(news).unwrap();
        assert_eq!(d.kind, XmlKind::UrlSet);
        assert_eq!(d.entries[0].url, "https://e.com/a?x=1&y=2");
        assert_eq!(
            d.entries[0].date.unwrap().to_rfc3339(),
            "2024-05-02T10:00:00+00:00"
        );
    }

    #[test]
    fn rss_and_atom() {
        let rss = br#"<rss version="2.0"><channel><link>https://e.com/</link><item><title>A</title><link><![CDATA[https://e.com/a]]></link>
          <pubDate>Wed, 01 May 2024 10:00:00 +0000</pubDate></item></channel></rss>"#;
        let d = parse_xml(rss).unwrap();
        assert_eq!(d.kind, XmlKind::Rss);
        assert_eq!(d.entries.len(), 1);
        assert_eq!(d.entries[0].url, "https://e.com/a");
        assert!(d.entries[0].date.is_some());
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://e.com/"/><entry><link rel="self" href="https://e.com/x.atom"/>
          <link rel="alternate" href="https://e.com/b"/><updated>2024-05-03T00:00:00Z</updated></entry></feed>"#;
        let d = parse_xml(atom).unwrap();
        assert_eq!(d.kind, XmlKind::Atom);
        assert_eq!(d.entries[0].url, "https://e.com/b");
        assert!(parse_xml(b"<html><body>x</body></html>").is_none());
        assert!(parse_xml(b"\x00\xff garbage <<<").is_none());
    }

    #[test]
    fn templates() {
        let now = DateTime::parse_from_rfc3339("2024-03-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            expand_template("https://e.com/s-{yyyy}-{mm}-{dd}.xml", now, None),
            [
                "https://e.com/s-2024-03-01.xml",
                "https://e.com/s-2024-02-29.xml"
            ]
        );
        assert_eq!(
            expand_template("https://e.com/s-{yyyy}-{mm}.xml", now, None),
            ["https://e.com/s-2024-03.xml", "https://e.com/s-2024-02.xml"]
        );
        let since = now - ChronoDuration::days(70);
        assert_eq!(
            expand_template("https://e.com/{yyyy}/{mm}", now, Some(since)).len(),
            4
        );
        assert_eq!(
            expand_template("https://e.com/feed", now, None),
            ["https://e.com/feed"]
        );
    }
}
