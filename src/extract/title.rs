//! Headlines: choosing one (JSON-LD headline, og:title, `<h1>` or
//! `<title>`) and cleaning it, the same way whether a site config's title
//! rule or the page's metadata gave it ([`clean_title`]).
//!
//! The rule: whitespace collapsed; a login heading ("Sign in", "Log in to
//! ...") is no title; a trailing " | Site" / " - Site" segment is dropped
//! when it names the site (og:site_name, the JSON-LD publisher or the
//! host's name), or, when no site name is known, when it is short and
//! follows a longer headline; of three or more segments a single long one
//! among short ones is the headline; a leading "Topic | Headline" segment
//! is dropped when Topic is the page's section or the text of its kicker
//! markup, "Topic: Headline" only when Topic is its section (a kicker with
//! a colon is how many newspapers write the headline itself).

use super::generic::clean::normalize;
pub use crate::vocabulary::is_login_heading;

/// What a page says about the words around its headline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleContext {
    /// Names the site goes by: og:site_name, the JSON-LD publisher, the
    /// host's name (`spiegel` for `www.spiegel.de`).
    pub site_names: Vec<String>,
    /// The page's section (`article:section`, JSON-LD `articleSection`).
    pub sections: Vec<String>,
    /// The texts of the page's kicker elements.
    pub kickers: Vec<String>,
}

impl TitleContext {
    /// Adds the name in a host: the label before the top-level domain
    /// (`www.spiegel.de` gives `spiegel`), or before a generic second
    /// level under a country (`www.bbc.co.uk` gives `bbc`).
    pub fn with_host(mut self, host: &str) -> Self {
        let host = host.split(':').next().unwrap_or("");
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return self;
        }
        let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
        let n = labels.len();
        let under_country =
            |i: usize| labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[i]) && i + 2 == n;
        let name = match n {
            0 | 1 => None,
            _ if n >= 3 && under_country(n - 2) => Some(labels[n - 3]),
            _ => Some(labels[n - 2]),
        };
        if let Some(name) = name.filter(|l| !matches!(*l, "www" | "m" | "amp")) {
            self.site_names.push(name.to_string());
        }
        self
    }
}

/// Generic second-level labels under country domains (`co.uk`, `com.au`).
const SECOND_LEVEL: &[&str] = &[
    "co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go", "gob",
];

/// Separators between a headline and a site name or section.
const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " • "];

/// Cleans a headline (see the module docs for the rule); None when
/// nothing of it is a headline.
pub fn clean_title(raw: &str, ctx: &TitleContext) -> Option<String> {
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || is_login_heading(&title) {
        return None;
    }
    let title = strip_site_suffix(&title, &ctx.site_names);
    let title = strip_kicker(&title, ctx);
    Some(title)
}

/// True when a segment names the site: it contains one of its names, or
/// one of them contains it (letters and digits compared, case folded).
fn names_site(segment: &str, site_names: &[String]) -> bool {
    let seg = normalize(segment);
    !seg.is_empty()
        && site_names.iter().any(|name| {
            let name = normalize(name);
            name.len() >= 3 && (seg.contains(&name) || name.contains(&seg))
        })
}

/// Removes a trailing " - Site" / " | Site" from a title (see the module docs).
fn strip_site_suffix(title: &str, site_names: &[String]) -> String {
    let words = |p: &str| p.split_whitespace().count();
    // "Site - Section - Headline" (or the reverse): with three or more
    // segments, one long segment among short ones is the headline.
    for sep in SEPARATORS.iter().chain(&[" > ", " » "]) {
        let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
        if parts.len() >= 3 {
            let max = parts.iter().map(|p| words(p)).max().unwrap_or(0);
            let (longest, rest): (Vec<&str>, Vec<&str>) =
                parts.iter().partition(|p| words(p) == max);
            if longest.len() == 1 && max >= 4 && rest.iter().all(|p| words(p) <= 3) {
                return longest[0].to_string();
            }
        }
    }
    for sep in SEPARATORS {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (title[..pos].trim(), &title[pos + sep.len()..]);
            let tail_is_site = if site_names.is_empty() {
                words(tail) <= 4 && words(head) >= 3
            } else {
                names_site(tail, site_names)
            };
            if tail_is_site && !head.is_empty() {
                return head.to_string();
            }
        }
    }
    title.to_string()
}

/// Removes a leading "Topic | " when Topic is the page's section or one
/// of its kickers, or "Topic: " when Topic is its section, and a headline
/// of two words or more follows. ("Kicker: Headline" stays: a kicker with
/// a colon is how many newspapers write the headline itself.)
fn strip_kicker(title: &str, ctx: &TitleContext) -> String {
    let normalised = |list: &[String]| -> Vec<String> {
        list.iter()
            .map(|k| normalize(k))
            .filter(|k| !k.is_empty())
            .collect()
    };
    let sections = normalised(&ctx.sections);
    let kickers = normalised(&ctx.kickers);
    if sections.is_empty() && kickers.is_empty() {
        return title.to_string();
    }
    for sep in SEPARATORS.iter().chain(&[": "]) {
        if let Some((head, rest)) = title.split_once(sep) {
            let head = normalize(head);
            let known = sections.contains(&head) || (*sep != ": " && kickers.contains(&head));
            let rest = rest.trim();
            if known && rest.split_whitespace().count() >= 2 {
                return rest.to_string();
            }
        }
    }
    title.to_string()
}

/// Picks the headline: an `<h1>` that the JSON-LD headline, og:title or
/// `<title>` starts with (the cleanest form), else the first of those
/// that is left after cleaning, else the `<h1>`.
pub(crate) fn choose_title(
    ld: Option<&str>,
    og: Option<&str>,
    h1: Option<&str>,
    html_title: Option<&str>,
    ctx: &TitleContext,
) -> Option<String> {
    let candidates = [ld, og, html_title];
    if let Some(h1) = h1.map(|h| h.split_whitespace().collect::<Vec<_>>().join(" ")) {
        if !h1.is_empty()
            && !is_login_heading(&h1)
            && candidates.iter().flatten().any(|c| {
                let c = c.split_whitespace().collect::<Vec<_>>().join(" ");
                c == h1 || c.starts_with(&h1)
            })
        {
            return Some(strip_kicker(&h1, ctx));
        }
    }
    candidates
        .iter()
        .flatten()
        .find_map(|t| clean_title(t, ctx))
        .or_else(|| h1.and_then(|h| clean_title(h, ctx)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(sites: &[&str], sections: &[&str], kickers: &[&str]) -> TitleContext {
        let own = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        TitleContext {
            site_names: own(sites),
            sections: own(sections),
            kickers: own(kickers),
        }
    }

    #[test]
    fn the_rule_as_a_table() {
        let none = ctx(&[], &[], &[]);
        let post = ctx(&["Il Post"], &[], &[]);
        let host = TitleContext::default().with_host("www.tagesanzeiger.ch");
        let uk = TitleContext::default().with_host("www.independent.co.uk");
        let kicker = ctx(
            &["Der Spiegel"],
            &["Politik"],
            &["Migration", "Neue Leipziger Schule"],
        );
        for (raw, c, want) in [
            // site suffixes: by name, by host, by shape when no name is known
            ("Big news today - Il Post", &post, Some("Big news today")),
            ("Big news today | IL POST", &post, Some("Big news today")),
            (
                "Chiesa ruft zum Widerstand auf | Tages-Anzeiger",
                &host,
                Some("Chiesa ruft zum Widerstand auf"),
            ),
            (
                "Labour wins the vote - The Independent",
                &uk,
                Some("Labour wins the vote"),
            ),
            (
                "Blinken - Lavrov talks fail in Geneva",
                &post,
                Some("Blinken - Lavrov talks fail in Geneva"),
            ),
            ("A - B", &none, Some("A - B")),
            (
                "Comune - Notizie - Lavori in piazza: chiusa la strada",
                &none,
                Some("Lavori in piazza: chiusa la strada"),
            ),
            // kickers: only the page's own; with a colon, only its section
            (
                "Migration | Chiesa ruft zum Widerstand auf",
                &kicker,
                Some("Chiesa ruft zum Widerstand auf"),
            ),
            (
                "Neue Leipziger Schule - Judy Lybke, ganz und gar nicht eigenartig | Der Spiegel",
                &kicker,
                Some("Judy Lybke, ganz und gar nicht eigenartig"),
            ),
            (
                "Politik: Chiesa ruft zum Widerstand auf",
                &kicker,
                Some("Chiesa ruft zum Widerstand auf"),
            ),
            (
                "Migration: Chiesa ruft zum Widerstand auf",
                &kicker,
                Some("Migration: Chiesa ruft zum Widerstand auf"),
            ),
            (
                "Asylpolitik | Chiesa ruft zum Widerstand auf",
                &kicker,
                Some("Asylpolitik | Chiesa ruft zum Widerstand auf"),
            ),
            ("Migration | Nein", &kicker, Some("Migration | Nein")),
            // login modals
            ("Sign in", &none, None),
            ("Log in to your account", &none, None),
            ("Anmelden", &none, None),
            (
                "Login problems at the bank leave customers stranded for days, again and again",
                &none,
                Some(
                    "Login problems at the bank leave customers stranded for days, again and again",
                ),
            ),
            ("  ", &none, None),
        ] {
            assert_eq!(clean_title(raw, c).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn host_names() {
        let names = |h: &str| TitleContext::default().with_host(h).site_names;
        assert_eq!(names("www.spiegel.de"), ["spiegel"]);
        assert_eq!(names("www.bbc.co.uk"), ["bbc"]);
        assert_eq!(names("edition.cnn.com"), ["cnn"]);
        assert_eq!(names("www.lto.de"), ["lto"]);
        assert_eq!(names("127.0.0.1:8080"), Vec::<String>::new());
        assert_eq!(names("localhost"), Vec::<String>::new());
    }

    #[test]
    fn h1_with_a_kicker_before_it_and_a_login_modal() {
        let c = ctx(&["Site"], &["Politik"], &[]);
        assert_eq!(
            choose_title(
                None,
                Some("Politik: Der Headline-Text hier | Site"),
                Some("Sign in"),
                None,
                &c
            )
            .as_deref(),
            Some("Der Headline-Text hier")
        );
        assert_eq!(
            choose_title(
                None,
                Some("Der Headline-Text hier | Site"),
                Some("Der Headline-Text hier"),
                None,
                &c
            )
            .as_deref(),
            Some("Der Headline-Text hier")
        );
    }
}
