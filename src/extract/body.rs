//! The body of a page: the generic extractor's, or, on a page with a site
//! config, the config's arbitrated against it. The generic body is read
//! before the config's `drop` rules touch the tree, so both candidates
//! come from one parse.

use scraper::Html;

use super::anchor;
use super::arbitrate::{self, Winner};
use super::generic::{self, GenericBody};
use super::metadata::Metadata;
use super::node_facts::NodeFacts;
use super::site::{self, SiteBodyProblem};
use super::site_rules::apply_site_rules;
use super::text::Paragraph;
use crate::selectors::SiteConfig;

/// What became of a site config's body on one page.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigOutcome {
    /// The config's body was used.
    Won,
    /// The config's body was used without the paragraphs it alone held
    /// that are link lists or marked as chrome.
    Merged,
    /// The config's body was usable, but the generic body was judged the
    /// article (the arbitration rule that decided).
    Lost(&'static str),
    /// The config's body was unusable; the generic body was used.
    FellBack(SiteBodyProblem),
}

impl std::fmt::Display for ConfigOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Won => write!(f, "the config's body won"),
            Self::Merged => write!(f, "the config's body won, without its widgets"),
            Self::Lost(reason) => write!(f, "the generic body won: {reason}"),
            Self::FellBack(problem) => write!(f, "fell back to generic extraction: {problem}"),
        }
    }
}

/// What else of a config shaped the body when its body selectors lost or
/// fell back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfigHelp {
    /// Nothing: the generic body as the generic extractor gave it.
    #[default]
    Nothing,
    /// The config's `drop` or `drop_text` rules removed paragraphs of the
    /// generic body (see [`super::site_rules`]).
    Rules,
    /// The generic extractor found no article; the body is the text below
    /// the element the config's field selectors locate (see
    /// [`super::anchor`]).
    Anchor,
}

impl ConfigOutcome {
    /// The record's `extractor` for a page of site `name`; `help`: what
    /// else of the config shaped a lost or fallen-back body.
    pub fn extractor(&self, name: &str, help: ConfigHelp) -> String {
        match (self, help) {
            (Self::Won, _) => format!("site:{name}"),
            (Self::Merged, _) => format!("site:{name}+generic"),
            (_, ConfigHelp::Rules) => format!("generic+site:{name}"),
            (_, ConfigHelp::Anchor) => format!("anchor+site:{name}"),
            (_, ConfigHelp::Nothing) => "generic".to_string(),
        }
    }
}

/// The chosen body and, with a site config, how the config fared.
#[derive(Debug, Clone)]
pub struct ChosenBody {
    /// The paragraphs of the body.
    pub paragraphs: Vec<Paragraph>,
    /// None without a site config.
    pub outcome: Option<ConfigOutcome>,
    /// When the config's body lost or fell back: what else of the config
    /// shaped the body.
    pub help: ConfigHelp,
}

/// The generic body for a page whose config's body lost or fell back: with
/// the config's rules applied where they hold (see [`super::site_rules`]).
fn generic_with_rules(
    doc: &Html,
    dropped: &[ego_tree::NodeId],
    generic: Vec<Paragraph>,
    site: &SiteConfig,
    outcome: ConfigOutcome,
) -> ChosenBody {
    let (paragraphs, help) = match apply_site_rules(doc, dropped, &generic, site) {
        Some(ruled) => (ruled, ConfigHelp::Rules),
        None => (generic, ConfigHelp::Nothing),
    };
    ChosenBody {
        paragraphs,
        outcome: Some(outcome),
        help,
    }
}

/// The body of a page whose config's body is unusable (`problem`): the
/// generic body with the config's rules, or, when the generic extractor
/// found no article, the text below the element the config's field
/// selectors locate (see [`super::anchor`]) when there is some.
fn fell_back(
    doc: &Html,
    dropped: &[ego_tree::NodeId],
    generic: GenericBody,
    site: &SiteConfig,
    problem: SiteBodyProblem,
) -> ChosenBody {
    let generic_chars: usize = generic.paragraphs.iter().map(arbitrate::chars).sum();
    let anchored = (generic_chars < arbitrate::MIN_GENERIC_CHARS)
        .then(|| anchor::anchor_element(doc, site))
        .flatten()
        .and_then(|a| anchor::anchored_body(doc, a, &generic.chrome, site));
    match anchored {
        Some(paragraphs) => ChosenBody {
            paragraphs,
            outcome: Some(ConfigOutcome::FellBack(problem)),
            help: ConfigHelp::Anchor,
        },
        None => generic_with_rules(
            doc,
            dropped,
            generic.paragraphs,
            site,
            ConfigOutcome::FellBack(problem),
        ),
    }
}

/// Extracts the body: generic, then (with a config) the config's, after
/// its `drop` rules (which change `doc`), and the arbitration between them.
/// When the generic body wins, the config's rules are applied to it; when
/// the config's body is unusable and the generic extractor found no
/// article, the text below the config's headline is the body.
///
/// `facts`: what the page-type walk recorded of the page's nodes, read by
/// the generic extractor (see [`NodeFacts`]; an empty table will do).
pub fn choose_body(
    doc: &mut Html,
    meta: &Metadata,
    site: Option<&SiteConfig>,
    facts: &NodeFacts,
) -> ChosenBody {
    let generic = generic::generic_body_with(doc, meta, facts);
    let Some(site) = site else {
        return ChosenBody {
            paragraphs: generic.paragraphs,
            outcome: None,
            help: ConfigHelp::Nothing,
        };
    };
    let dropped = site::apply_drops(doc, site);
    let body = match site::site_body(doc, site) {
        Ok(body) => body,
        Err(problem) => return fell_back(doc, &dropped, generic, site, problem),
    };
    let marks = arbitrate::mark_paragraphs(
        doc,
        &body.roots,
        &body.paragraphs,
        &generic.paragraphs,
        &generic.chrome,
    );
    let comparison = arbitrate::compare(&body.paragraphs, &marks, &generic.paragraphs);
    let verdict = arbitrate::arbitrate(&comparison);
    match verdict.winner {
        Winner::Site => ChosenBody {
            paragraphs: body.paragraphs,
            outcome: Some(ConfigOutcome::Won),
            help: ConfigHelp::Nothing,
        },
        Winner::Generic => generic_with_rules(
            doc,
            &dropped,
            generic.paragraphs,
            site,
            ConfigOutcome::Lost(verdict.reason),
        ),
        Winner::Merged => ChosenBody {
            paragraphs: arbitrate::merge(body.paragraphs, &marks),
            outcome: Some(ConfigOutcome::Merged),
            help: ConfigHelp::Nothing,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;
    use crate::selectors::SiteRegistry;

    const PAGE: &str = "<html><body><p class=banner>Storm warning for the coast tonight.</p>\
        <main><h1>Where the tram will stop</h1><div class=text>\
        <p>The council published the stops of the new tram line on Tuesday, after two years of planning.</p>\
        <p>North: <a href=/a>Harbour</a>, <a href=/b>Fish Quay</a>, <a href=/c>Market Hall</a>, Old Depot, Castle Hill</p>\
        <p>The first trams are expected to run in the spring of next year, the transport authority said.</p>\
        </div></main><div class=more><a href=/m1>Bus fares to rise</a> <a href=/m2>Bridge closed</a></div></body></html>";

    fn site(title: &str) -> std::sync::Arc<SiteConfig> {
        let toml = format!(
            "name = \"harbour\"\nhosts = [\"news.harbour.example\"]\n[extract]\nbody = [\".more\"]\n{title}\n"
        );
        let sites = SiteRegistry::from_sources([("harbour.toml".to_string(), toml)]).unwrap();
        sites.by_name("harbour").unwrap().clone()
    }

    fn generic(texts: &[&str]) -> GenericBody {
        let mut assembler = super::super::text::Assembler::new();
        let html = texts
            .iter()
            .map(|t| format!("<p>{t}</p>"))
            .collect::<String>();
        let doc = parse_document(&html);
        assembler.add_subtree(*doc.root_element(), |_, _| false);
        GenericBody {
            paragraphs: assembler.finish(),
            chrome: Default::default(),
        }
    }

    #[test]
    fn with_no_generic_article_the_text_below_the_configs_headline_is_the_body() {
        let doc = parse_document(PAGE);
        let site = site("title = [\"main h1\"]");
        let problem = SiteBodyProblem::LinkList(30, 30);
        let chosen = fell_back(
            &doc,
            &[],
            generic(&["Storm warning for the coast tonight."]),
            &site,
            problem.clone(),
        );
        assert_eq!(chosen.help, ConfigHelp::Anchor);
        assert_eq!(chosen.paragraphs.len(), 3, "{:?}", chosen.paragraphs);
        assert!(chosen.paragraphs[0]
            .text
            .starts_with("The council published"));
        let outcome = chosen.outcome.unwrap();
        assert_eq!(outcome, ConfigOutcome::FellBack(problem.clone()));
        assert_eq!(
            outcome.extractor("harbour", chosen.help),
            "anchor+site:harbour"
        );
        // Without a headline selector the config locates nothing.
        let chosen = fell_back(&doc, &[], generic(&[]), &self::site(""), problem);
        assert_eq!(chosen.help, ConfigHelp::Nothing);
        assert!(chosen.paragraphs.is_empty());
    }

    #[test]
    fn a_generic_article_is_kept_whatever_the_headline_selector_finds() {
        let doc = parse_document(PAGE);
        let article = "A long article the generic extractor found elsewhere on the page, with sentences enough to pass two hundred characters: the council, the tram, the harbour, the stops, the timetable, and the budget for the works.";
        let chosen = fell_back(
            &doc,
            &[],
            generic(&[article]),
            &site("title = [\"main h1\"]"),
            SiteBodyProblem::NoMatch,
        );
        assert_eq!(chosen.help, ConfigHelp::Nothing);
        assert_eq!(chosen.paragraphs.len(), 1);
        assert_eq!(chosen.paragraphs[0].text, article);
    }
}
