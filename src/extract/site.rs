//! Extraction with a site config: field selectors, `drop`, body selectors,
//! `drop_text`, and a health verdict on the selection.

use ego_tree::NodeId;
use scraper::{ElementRef, Html};

use super::arbitrate::is_link_line;
use super::authors::normalize_authors;
use super::dates::best_date;
use super::metadata::{jsonld_values, Metadata};
use super::text::{inline_text, Assembler, Paragraph};
use super::title::is_login_heading;
use crate::selectors::{FieldKind, FieldSelector, SiteConfig};
use crate::vocabulary::is_boilerplate_paragraph;

/// Metadata read with a site's field selectors (None where none matched).
#[derive(Debug, Clone, Default)]
pub struct SiteFields {
    /// Headline, as the page writes it (not cleaned yet).
    pub title: Option<String>,
    /// Authors (empty when no selector matched).
    pub authors: Vec<String>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// Modification time, RFC 3339.
    pub modified: Option<String>,
}

/// Why a site config's body was not used.
#[derive(Debug, Clone, PartialEq)]
pub enum SiteBodyProblem {
    /// No body selector matched any element.
    NoMatch,
    /// The selection holds too little text (characters, the site's minimum).
    TooThin(usize, usize),
    /// The selection holds a small share of the page's prose (characters
    /// selected, characters of prose on the page): the template changed.
    SmallShare(usize, usize),
    /// The selection is mostly link lines (characters in link lines,
    /// characters selected): a menu, a teaser grid, not an article.
    LinkList(usize, usize),
}

impl std::fmt::Display for SiteBodyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoMatch => write!(f, "body selectors matched nothing"),
            Self::TooThin(got, min) => {
                write!(
                    f,
                    "body selectors matched {got} characters, expected at least {min}"
                )
            }
            Self::SmallShare(got, prose) => write!(
                f,
                "body selectors matched {got} characters of the page's {prose} characters of prose"
            ),
            Self::LinkList(links, got) => write!(
                f,
                "body selectors matched {got} characters, {links} of them in link lines"
            ),
        }
    }
}

fn read_field(doc: &Html, meta: &Metadata, sel: &FieldSelector) -> Vec<String> {
    match &sel.kind {
        FieldKind::Css { selector, attr } => doc
            .select(selector)
            .filter_map(|el| match attr {
                Some(attr) => el.value().attr(attr).map(|v| v.trim().to_string()),
                None => Some(inline_text(*el)),
            })
            .filter(|v| !v.is_empty())
            .collect(),
        FieldKind::JsonLd(key) => jsonld_values(meta, key)
            .into_iter()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    }
}

/// The date of the first selector that gives one; within that selector's
/// matches a full timestamp beats a bare date.
fn first_date(doc: &Html, meta: &Metadata, list: &[FieldSelector]) -> Option<String> {
    list.iter()
        .find_map(|s| best_date(read_field(doc, meta, s)))
}

/// Reads title, authors and dates with the site's selectors.
pub fn read_fields(doc: &Html, meta: &Metadata, site: &SiteConfig) -> SiteFields {
    let rules = &site.extract;
    let authors = rules
        .authors
        .iter()
        .map(|s| read_field(doc, meta, s))
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    SiteFields {
        // Cleaned (site name, kicker) with the page's context by the caller.
        title: rules.title.iter().find_map(|s| {
            read_field(doc, meta, s)
                .into_iter()
                .find(|t| !is_login_heading(t))
        }),
        authors: normalize_authors(&authors),
        published: first_date(doc, meta, &rules.published),
        modified: first_date(doc, meta, &rules.modified),
    }
}

/// Removes the elements matched by the site's `drop` selectors; returns
/// the outermost of them (detached from the page, still readable by id).
pub fn apply_drops(doc: &mut Html, site: &SiteConfig) -> Vec<NodeId> {
    let mut ids: Vec<NodeId> = Vec::new();
    for sel in &site.extract.drop {
        ids.extend(doc.select(sel).map(|e| e.id()));
    }
    let matched: std::collections::HashSet<NodeId> = ids.iter().copied().collect();
    let mut seen = std::collections::HashSet::new();
    let outermost: Vec<NodeId> = ids
        .iter()
        .copied()
        .filter(|&id| seen.insert(id))
        .filter(|&id| {
            doc.tree
                .get(id)
                .is_some_and(|n| !n.ancestors().any(|a| matched.contains(&a.id())))
        })
        .collect();
    for id in ids {
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.detach();
        }
    }
    outermost
}

/// Elements matched by the first selector of `list` that matches anything,
/// in document order, without those nested in another match.
fn outermost_matches<'a>(doc: &'a Html, list: &[scraper::Selector]) -> Vec<ElementRef<'a>> {
    for sel in list {
        let matched: Vec<ElementRef<'a>> = doc.select(sel).collect();
        if matched.is_empty() {
            continue;
        }
        let ids: std::collections::HashSet<NodeId> = matched.iter().map(|e| e.id()).collect();
        return matched
            .into_iter()
            .filter(|e| !e.ancestors().any(|a| ids.contains(&a.id())))
            .filter(|e| !has_hidden_ancestor(e))
            .collect();
    }
    Vec::new()
}

/// True when an ancestor is hidden by the `hidden` attribute or an inline
/// `display:none` (not `aria-hidden`, which only hides from screen readers).
fn has_hidden_ancestor(el: &ElementRef<'_>) -> bool {
    el.ancestors().any(|a| {
        a.value().as_element().is_some_and(|e| {
            e.attr("hidden").is_some()
                || e.attr("style").is_some_and(|s| {
                    s.chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .contains("display:none")
                })
        })
    })
}

/// A site config's body on one page.
#[derive(Debug, Clone)]
pub struct SiteBody {
    /// Its paragraphs, in reading order.
    pub paragraphs: Vec<Paragraph>,
    /// The elements the body selectors matched (the outermost ones).
    pub roots: Vec<NodeId>,
}

/// Assembles the body from the site's selectors (after [`apply_drops`]),
/// without the paragraphs its `drop_text` or the boilerplate vocabulary
/// matches.
pub fn site_body(doc: &Html, site: &SiteConfig) -> Result<SiteBody, SiteBodyProblem> {
    let bodies = outermost_matches(doc, &site.extract.body);
    if bodies.is_empty() {
        return Err(SiteBodyProblem::NoMatch);
    }
    let mut assembler = Assembler::new();
    let summaries = outermost_matches(doc, &site.extract.summary);
    for s in summaries {
        let inside_body = s
            .ancestors()
            .any(|a| bodies.iter().any(|b| b.id() == a.id()))
            || bodies.iter().any(|b| b.id() == s.id());
        if !inside_body {
            assembler.add_subtree(*s, |_, _| false);
        }
    }
    for b in &bodies {
        assembler.add_subtree(**b, |_, _| false);
    }
    let paragraphs: Vec<Paragraph> = assembler
        .finish()
        .into_iter()
        .filter(|p| !site.extract.drop_text.iter().any(|re| re.is_match(&p.text)))
        .filter(|p| !is_boilerplate_paragraph(&p.text))
        .collect();
    let chars: usize = paragraphs.iter().map(|p| p.text.chars().count()).sum();
    let min = site.extract.min_body_chars.unwrap_or(1);
    if chars < min {
        return Err(if chars == 0 {
            SiteBodyProblem::NoMatch
        } else {
            SiteBodyProblem::TooThin(chars, min)
        });
    }
    let link_line_chars: usize = paragraphs
        .iter()
        .filter(|p| is_link_line(p))
        .map(|p| p.text.chars().count())
        .sum();
    if link_line_chars as f64 > MAX_LINK_LINE_SHARE * chars as f64 {
        return Err(SiteBodyProblem::LinkList(link_line_chars, chars));
    }
    if chars < THIN_BODY_CHARS {
        let prose = page_prose_chars(doc);
        if prose >= MIN_PROSE_FOR_SHARE && chars * 5 < prose {
            return Err(SiteBodyProblem::SmallShare(chars, prose));
        }
    }
    Ok(SiteBody {
        paragraphs,
        roots: bodies.iter().map(|b| b.id()).collect(),
    })
}

/// Largest share of a site body's characters that may be in link lines
/// (see [`is_link_line`]).
const MAX_LINK_LINE_SHARE: f64 = 0.5;
/// Below this many characters a site body is checked against the page's prose.
const THIN_BODY_CHARS: usize = 600;
/// Pages with less prose than this are not judged by share.
const MIN_PROSE_FOR_SHARE: usize = 1200;

static PARAGRAPH: std::sync::LazyLock<scraper::Selector> =
    std::sync::LazyLock::new(|| scraper::Selector::parse("p").expect("static selector"));

/// Characters of prose on the page: the text of `<p>` elements of at least
/// 80 characters (a cheap stand-in for "the article text is somewhere here").
fn page_prose_chars(doc: &Html) -> usize {
    doc.select(&PARAGRAPH)
        .map(|p| p.text().map(|t| t.trim().chars().count()).sum::<usize>())
        .filter(|&n| n >= 80)
        .sum()
}
