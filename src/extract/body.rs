//! The body of a page: the generic extractor's, or, on a page with a site
//! config, the config's arbitrated against it. The generic body is read
//! before the config's `drop` rules touch the tree, so both candidates
//! come from one parse.

use scraper::Html;

use super::arbitrate::{self, Winner};
use super::generic;
use super::metadata::Metadata;
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

impl ConfigOutcome {
    /// The record's `extractor` for a page of site `name`; `site_rules`:
    /// the config's `drop` or `drop_text` rules changed the generic body
    /// (see [`ChosenBody::site_rules`]).
    pub fn extractor(&self, name: &str, site_rules: bool) -> String {
        match self {
            Self::Won => format!("site:{name}"),
            Self::Merged => format!("site:{name}+generic"),
            Self::Lost(_) | Self::FellBack(_) if site_rules => format!("generic+site:{name}"),
            Self::Lost(_) | Self::FellBack(_) => "generic".to_string(),
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
    /// The generic body won (or the config fell back) and the config's
    /// `drop` or `drop_text` rules removed some of its paragraphs.
    pub site_rules: bool,
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
    let (paragraphs, site_rules) = match apply_site_rules(doc, dropped, &generic, site) {
        Some(ruled) => (ruled, true),
        None => (generic, false),
    };
    ChosenBody {
        paragraphs,
        outcome: Some(outcome),
        site_rules,
    }
}

/// Extracts the body: generic, then (with a config) the config's, after
/// its `drop` rules (which change `doc`), and the arbitration between them.
/// When the generic body wins, the config's rules are applied to it.
pub fn choose_body(doc: &mut Html, meta: &Metadata, site: Option<&SiteConfig>) -> ChosenBody {
    let generic = generic::generic_body(doc, meta);
    let Some(site) = site else {
        return ChosenBody {
            paragraphs: generic.paragraphs,
            outcome: None,
            site_rules: false,
        };
    };
    let dropped = site::apply_drops(doc, site);
    let body = match site::site_body(doc, site) {
        Ok(body) => body,
        Err(problem) => {
            return generic_with_rules(
                doc,
                &dropped,
                generic.paragraphs,
                site,
                ConfigOutcome::FellBack(problem),
            )
        }
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
            site_rules: false,
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
            site_rules: false,
        },
    }
}
