//! The learned page-type model: multinomial logistic regression over the
//! standardised [`features`](super::features), trained by
//! `training/train_page_type.py` on the corpora's tuning parts and built
//! into the binary (`models/page_type.json`).

use std::sync::LazyLock;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::features::{PageFeatures, NAMES};
use crate::extract::page_type::PageType;

/// The shipped model file.
pub const MODEL_JSON: &str = include_str!("../../../models/page_type.json");

#[derive(Deserialize)]
struct ModelFile {
    kind: String,
    features: Vec<String>,
    mean: Vec<f32>,
    scale: Vec<f32>,
    classes: Vec<String>,
    coef: Vec<Vec<f32>>,
    intercept: Vec<f32>,
}

/// A loaded logistic-regression page-type model.
#[derive(Debug, Clone)]
pub struct Model {
    mean: Vec<f32>,
    scale: Vec<f32>,
    classes: Vec<PageType>,
    coef: Vec<Vec<f32>>,
    intercept: Vec<f32>,
}

impl Model {
    /// Reads a model file; its feature names must be [`NAMES`], in order.
    pub fn from_json(json: &str) -> Result<Model> {
        let f: ModelFile = serde_json::from_str(json).context("page-type model: invalid JSON")?;
        if f.kind != "logistic_regression" {
            bail!("page-type model: unknown kind `{}`", f.kind);
        }
        if f.features != NAMES {
            bail!("page-type model: its features are not this build's (retrain it: training/README.md)");
        }
        let n = NAMES.len();
        let k = f.classes.len();
        if f.mean.len() != n
            || f.scale.len() != n
            || f.coef.len() != k
            || f.intercept.len() != k
            || f.coef.iter().any(|row| row.len() != n)
        {
            bail!("page-type model: array sizes do not match {n} features and {k} classes");
        }
        let classes = f
            .classes
            .iter()
            .map(|c| c.parse::<PageType>())
            .collect::<Result<Vec<_>, _>>()
            .context("page-type model")?;
        Ok(Model {
            mean: f.mean,
            scale: f.scale,
            classes,
            coef: f.coef,
            intercept: f.intercept,
        })
    }

    /// The most probable page type and its probability.
    pub fn predict(&self, features: &PageFeatures) -> (PageType, f32) {
        let z: Vec<f32> = features
            .values()
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .map(|(x, (m, s))| (x - m) / s)
            .collect();
        let scores: Vec<f32> = self
            .coef
            .iter()
            .zip(&self.intercept)
            .map(|(row, b)| b + row.iter().zip(&z).map(|(w, x)| w * x).sum::<f32>())
            .collect();
        let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let total: f32 = scores.iter().map(|s| (s - max).exp()).sum();
        let best = scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i);
        (self.classes[best], 1.0 / total)
    }
}

/// The built-in model, loaded on first use; None (with a warning) if it
/// does not fit this build, which the test suite rules out.
pub static BUILTIN: LazyLock<Option<Model>> =
    LazyLock::new(|| match Model::from_json(MODEL_JSON) {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::warn!("{e:#}; page types come from the rules");
            None
        }
    });

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract_page, ExtractOptions, PageInput};
    use crate::selectors::SiteRegistry;

    fn fixture(path: &str, url: &str) -> (PageType, f32) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("fixtures").join(path)).unwrap();
        let input = PageInput::new(&bytes).with_url(url.parse().unwrap());
        let opts = ExtractOptions {
            use_selectors: false,
            ..Default::default()
        };
        let page = extract_page(&input, &SiteRegistry::empty(), &opts).unwrap();
        let model = Model::from_json(MODEL_JSON).expect("the shipped model loads");
        let (t, p) = model.predict(&page.features);
        assert_eq!(page.record.page_type, t, "the record's type is the model's");
        (t, p)
    }

    #[test]
    fn shipped_model_scores_fixtures_as_recorded() {
        let cases = [
            (
                "jsonld-newsarticle/page.html",
                "https://news.harbourtown.example/local/2023/06/14/harbour-bridge-reopens",
                PageType::Article,
                0.9972,
            ),
            (
                "wordpress-block-theme/short-post/page.html",
                // (0.9985 before the post-author block gave this page its byline)
                "http://127.0.0.2:8080/2024/03/05/river-rises-two-metres-as-rain-hits-leeds/",
                PageType::Article,
                0.9982,
            ),
        ];
        // Every fixture is scored before failing, so one run shows all the
        // figures to record after retraining.
        let wrong: Vec<String> = cases
            .into_iter()
            .filter_map(|(path, url, want, p)| {
                let (t, got) = fixture(path, url);
                (t != want || (got - p).abs() >= 2e-4)
                    .then(|| format!("{path}: {t} {got:.4}, recorded {want} {p:.4}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let bad = MODEL_JSON.replacen("\"url_depth\"", "\"url_length\"", 1);
        let err = Model::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains("features"), "{err}");
        assert!(Model::from_json("{").is_err());
    }
}
