//! The body of a page: the generic extractor's, or, on a page with a site
//! config, the config's arbitrated against it. The generic body is read
//! before the config's `drop` rules touch the tree, so both candidates
//! come from one parse.

use scraper::Html;

use super::arbitrate::{self, Winner};
use super::generic;
use super::metadata::Metadata;
use super::site::{self, SiteBodyProblem};
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
    /// The record's `extractor` for a page of site `name`.
    pub fn extractor(&self, name: &str) -> String {
        match self {
            Self::Won => format!("site:{name}"),
            Self::Merged => format!("site:{name}+generic"),
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
}

/// Extracts the body: generic, then (with a config) the config's, after
/// its `drop` rules (which change `doc`), and the arbitration between them.
pub fn choose_body(doc: &mut Html, meta: &Metadata, site: Option<&SiteConfig>) -> ChosenBody {
    let generic = generic::generic_body(doc, meta);
    let Some(site) = site else {
        return ChosenBody {
            paragraphs: generic.paragraphs,
            outcome: None,
        };
    };
    site::apply_drops(doc, site);
    let body = match site::site_body(doc, site) {
        Ok(body) => body,
        Err(problem) => {
            return ChosenBody {
                paragraphs: generic.paragraphs,
                outcome: Some(ConfigOutcome::FellBack(problem)),
            }
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
        },
        Winner::Generic => ChosenBody {
            paragraphs: generic.paragraphs,
            outcome: Some(ConfigOutcome::Lost(verdict.reason)),
        },
        Winner::Merged => ChosenBody {
            paragraphs: arbitrate::merge(body.paragraphs, &marks),
            outcome: Some(ConfigOutcome::Merged),
        },
    }
}
