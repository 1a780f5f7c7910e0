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
    #[serde(default)]
    utility: Option<Vec<Vec<f32>>>,
}

/// Pages whose article probability reaches this keep the extraction of
/// their classified type (grouped cross-validation on the tuning parts:
/// training/README.md, "Extraction type").
pub const UTILITY_BELOW_ARTICLE: f32 = 0.5;

/// The least gain in expected word F1 for which another type's extractor
/// replaces the classified type's (the matrix's non-article columns differ
/// by less than this on most rows: noise).
pub const UTILITY_MARGIN: f32 = 0.01;

/// A loaded logistic-regression page-type model.
#[derive(Debug, Clone)]
pub struct Model {
    mean: Vec<f32>,
    scale: Vec<f32>,
    classes: Vec<PageType>,
    coef: Vec<Vec<f32>>,
    intercept: Vec<f32>,
    /// `utility[g][t]`: the mean word F1 of tuning pages of gold type `g`
    /// extracted as type `t` (classes in the model's order), if the file
    /// has one.
    utility: Option<Vec<Vec<f32>>>,
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
        if let Some(u) = &f.utility {
            if u.len() != k || u.iter().any(|row| row.len() != k) {
                bail!("page-type model: the utility matrix is not {k} x {k}");
            }
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
            utility: f.utility,
        })
    }

    /// The most probable page type and its probability.
    pub fn predict(&self, features: &PageFeatures) -> (PageType, f32) {
        let p = self.probabilities(features);
        let best = argmax(&p);
        (self.classes[best], p[best])
    }

    /// The page type to extract the page as instead of `current` (the
    /// type its classification would extract it as), for a page that is
    /// probably not an article (article probability below
    /// [`UTILITY_BELOW_ARTICLE`]): the type whose extractor promises the
    /// highest expected word F1 over the classes' probabilities
    /// (`sum_g p(g) * utility[g][t]`), when it beats `current`'s by more
    /// than [`UTILITY_MARGIN`]. None otherwise and when the model has no
    /// utility matrix. (The matrix's other types lose little on wcxb-dev's
    /// articles but much on news pages: likely articles keep the generic
    /// extractor's body; training/README.md, "Extraction type".)
    pub fn extraction_type(&self, features: &PageFeatures, current: PageType) -> Option<PageType> {
        let utility = self.utility.as_ref()?;
        let p = self.probabilities(features);
        let article = self.classes.iter().position(|c| *c == PageType::Article);
        if article.is_some_and(|a| p[a] >= UTILITY_BELOW_ARTICLE) {
            return None;
        }
        let expected: Vec<f32> = (0..self.classes.len())
            .map(|t| p.iter().zip(utility).map(|(pg, row)| pg * row[t]).sum())
            .collect();
        let best = argmax(&expected);
        let now = self.classes.iter().position(|c| *c == current)?;
        (expected[best] - expected[now] > UTILITY_MARGIN).then_some(self.classes[best])
    }

    /// The classes' probabilities, with their types.
    pub fn probabilities_by_type(&self, features: &PageFeatures) -> Vec<(PageType, f32)> {
        self.classes
            .iter()
            .copied()
            .zip(self.probabilities(features))
            .collect()
    }

    /// Each type's expected word F1 as an extraction type under the
    /// classes' probabilities (`sum_g p(g) * utility[g][t]`), with the
    /// types; None without a utility matrix.
    pub fn expected_f1(&self, features: &PageFeatures) -> Option<Vec<(PageType, f32)>> {
        let utility = self.utility.as_ref()?;
        let p = self.probabilities(features);
        Some(
            self.classes
                .iter()
                .enumerate()
                .map(|(t, c)| (*c, p.iter().zip(utility).map(|(pg, row)| pg * row[t]).sum()))
                .collect(),
        )
    }

    /// The classes' probabilities, in the model's class order.
    fn probabilities(&self, features: &PageFeatures) -> Vec<f32> {
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
        let exp: Vec<f32> = scores.iter().map(|s| (s - max).exp()).collect();
        let total: f32 = exp.iter().sum();
        exp.iter().map(|e| e / total).collect()
    }
}

/// The index of the largest value (the first of equals; 0 when empty).
fn argmax(values: &[f32]) -> usize {
    values
        .iter()
        .enumerate()
        .fold(None, |best: Option<(usize, f32)>, (i, &v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((i, v)),
        })
        .map_or(0, |(i, _)| i)
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

    /// A model that ignores the features: article, listing and collection
    /// with the probabilities `p`, and the given utility matrix.
    fn constant_model(p: [f32; 3], utility: Option<[[f32; 3]; 3]>) -> Model {
        let n = NAMES.len();
        let json = serde_json::json!({
            "kind": "logistic_regression",
            "features": NAMES,
            "mean": vec![0.0; n],
            "scale": vec![1.0; n],
            "classes": ["article", "listing", "collection"],
            "coef": vec![vec![0.0; n]; 3],
            "intercept": p.map(f32::ln),
            "utility": utility,
        });
        Model::from_json(&json.to_string()).unwrap()
    }

    fn some_features() -> PageFeatures {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("fixtures/jsonld-newsarticle/page.html")).unwrap();
        let opts = ExtractOptions {
            use_selectors: false,
            ..Default::default()
        };
        extract_page(&PageInput::new(&bytes), &SiteRegistry::empty(), &opts)
            .unwrap()
            .features
    }

    #[test]
    fn extraction_type_takes_the_best_expected_extractor_of_a_likely_non_article() {
        let f = some_features();
        // Rows: gold article, listing, collection; columns: extracted as.
        let utility = [[0.9, 0.8, 0.85], [0.4, 0.7, 0.75], [0.5, 0.6, 0.7]];
        let m = constant_model([0.2, 0.5, 0.3], Some(utility));
        assert_eq!(m.predict(&f).0, PageType::Listing);
        // Expected: listing 0.2*0.8+0.5*0.7+0.3*0.6 = 0.69, collection 0.755.
        assert_eq!(
            m.extraction_type(&f, PageType::Listing),
            Some(PageType::Collection)
        );
        assert_eq!(m.extraction_type(&f, PageType::Collection), None);
        // A likely article keeps its classified extraction.
        let m = constant_model([0.5, 0.3, 0.2], Some(utility));
        assert_eq!(m.extraction_type(&f, PageType::Article), None);
        // A gain within the margin changes nothing.
        let close = [[0.9, 0.8, 0.8], [0.4, 0.7, 0.705], [0.5, 0.6, 0.6]];
        let m = constant_model([0.2, 0.5, 0.3], Some(close));
        assert_eq!(m.extraction_type(&f, PageType::Listing), None);
        // Without a matrix, extraction follows the classification.
        let m = constant_model([0.2, 0.5, 0.3], None);
        assert_eq!(m.extraction_type(&f, PageType::Listing), None);
    }

    #[test]
    fn a_utility_matrix_of_the_wrong_size_is_refused() {
        let bad = MODEL_JSON.replacen("\"utility\": [", "\"utility\": [[1.0], ", 1);
        assert_ne!(bad, MODEL_JSON);
        let err = Model::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains("utility"), "{err}");
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let bad = MODEL_JSON.replacen("\"url_depth\"", "\"url_length\"", 1);
        let err = Model::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains("features"), "{err}");
        assert!(Model::from_json("{").is_err());
    }
}
