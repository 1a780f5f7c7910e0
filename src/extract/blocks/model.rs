//! The block model: gradient-boosted regression trees over
//! [`super::features::NAMES`], trained by `training/train_blocks.py` and
//! built into the binary.

use std::sync::LazyLock;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::features::{BlockFeatures, NAMES};

/// The shipped model file.
pub const MODEL_JSON: &str = include_str!("../../../models/blocks.json");

/// One tree, as parallel arrays of nodes (node 0 the root; a leaf has
/// `left == -1`). Leaf values are already scaled by the learning rate.
#[derive(Debug, Clone, Deserialize)]
struct Tree {
    feature: Vec<i32>,
    threshold: Vec<f64>,
    left: Vec<i32>,
    right: Vec<i32>,
    value: Vec<f64>,
}

#[derive(Debug, Deserialize)]
struct ModelFile {
    kind: String,
    features: Vec<String>,
    init: f64,
    trees: Vec<Tree>,
}

/// A loaded block model.
#[derive(Debug, Clone)]
pub struct Model {
    init: f64,
    trees: Vec<Tree>,
}

impl Tree {
    /// Checks that every node's children and feature are in range (so
    /// scoring cannot index out of bounds or loop).
    fn check(&self, n_features: usize) -> Result<()> {
        let n = self.feature.len();
        if [
            self.threshold.len(),
            self.left.len(),
            self.right.len(),
            self.value.len(),
        ]
        .iter()
        .any(|&l| l != n)
            || n == 0
        {
            bail!("a tree's arrays differ in length");
        }
        for i in 0..n {
            if self.left[i] == -1 {
                continue;
            }
            let child_ok = |c: i32| c > i as i32 && (c as usize) < n;
            if !child_ok(self.left[i]) || !child_ok(self.right[i]) {
                bail!("node {i}: children out of order");
            }
            if self.feature[i] < 0 || self.feature[i] as usize >= n_features {
                bail!("node {i}: feature {} out of range", self.feature[i]);
            }
        }
        Ok(())
    }

    fn leaf_value(&self, x: &[f32]) -> f64 {
        let mut i = 0usize;
        while self.left[i] != -1 {
            i = if f64::from(x[self.feature[i] as usize]) <= self.threshold[i] {
                self.left[i] as usize
            } else {
                self.right[i] as usize
            };
        }
        self.value[i]
    }
}

impl Model {
    /// Reads a model file; its feature names must be [`NAMES`], in order.
    pub fn from_json(json: &str) -> Result<Model> {
        let f: ModelFile = serde_json::from_str(json).context("block model: invalid JSON")?;
        if f.kind != "gradient_boosting" {
            bail!("block model: unknown kind `{}`", f.kind);
        }
        if f.features != NAMES {
            bail!(
                "block model: its features are not this build's (retrain it: training/README.md)"
            );
        }
        for (k, t) in f.trees.iter().enumerate() {
            t.check(NAMES.len())
                .with_context(|| format!("block model: tree {k}"))?;
        }
        Ok(Model {
            init: f.init,
            trees: f.trees,
        })
    }

    /// The probability that a block is main content.
    pub fn score(&self, features: &BlockFeatures) -> f32 {
        let x = features.values();
        let raw: f64 = self.init + self.trees.iter().map(|t| t.leaf_value(x)).sum::<f64>();
        (1.0 / (1.0 + (-raw).exp())) as f32
    }
}

/// The built-in model, loaded on first use; None (with a warning) if it
/// does not fit this build, which the test suite rules out.
pub static BUILTIN: LazyLock<Option<Model>> =
    LazyLock::new(|| match Model::from_json(MODEL_JSON) {
        Ok(m) => Some(m),
        Err(e) => {
            tracing::warn!("{e:#}; no block scores");
            None
        }
    });

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract_page, ExtractOptions, PageInput, PageType};
    use crate::selectors::SiteRegistry;

    /// The scores of the typed-service fixture's blocks, forced to the
    /// service type.
    fn fixture_scores() -> Vec<(String, f32)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("fixtures/typed-service/page.html")).unwrap();
        let opts = ExtractOptions {
            use_selectors: false,
            page_type: Some(PageType::Service),
            keep_blocks: true,
            ..Default::default()
        };
        let page = extract_page(&PageInput::new(&bytes), &SiteRegistry::empty(), &opts).unwrap();
        let model = Model::from_json(MODEL_JSON).expect("the shipped model loads");
        page.blocks
            .iter()
            .map(|b| {
                assert_eq!(
                    b.score,
                    model.score(&b.features),
                    "the pipeline's score is the model's"
                );
                (b.block.text.chars().take(24).collect(), b.score)
            })
            .collect()
    }

    #[test]
    fn shipped_model_scores_a_fixture_as_recorded() {
        let scores = fixture_scores();
        for (text, s) in &scores {
            eprintln!("({text:?}, {s:.4}),");
        }
        let recorded: &[(&str, f32)] = &RECORDED;
        assert_eq!(scores.len(), recorded.len(), "number of blocks");
        for ((text, got), (want_text, want)) in scores.iter().zip(recorded) {
            assert_eq!(text, want_text);
            assert!(
                (got - want).abs() < 2e-4,
                "{text:?}: score {got:.4}, recorded {want:.4}"
            );
        }
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let bad = MODEL_JSON.replacen("\"log_chars\"", "\"chars\"", 1);
        let err = Model::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains("features"), "{err}");
        let bad = MODEL_JSON.replacen("\"left\":[1,", "\"left\":[0,", 1);
        assert!(Model::from_json(&bad).is_err(), "a loop is refused");
        assert!(Model::from_json("{").is_err());
    }

    /// Block texts (first 24 characters) and scores, recorded when the
    /// model was trained (update after retraining: training/README.md).
    const RECORDED: [(&str, f32); 32] = [
        ("We use cookies to improv", 0.0502),
        ("Ledgerly", 0.0251),
        ("Features", 0.0008),
        ("Pricing", 0.0007),
        ("Blog", 0.0013),
        ("Log in", 0.0010),
        ("Invoicing that gets you ", 0.6050),
        ("Send invoices, chase pay", 0.7343),
        ("Start free trial", 0.6387),
        ("Everything a small team ", 0.7472),
        ("Recurring invoices", 0.9047),
        ("Set them up once and Led", 0.9219),
        ("Payment reminders", 0.9110),
        ("Polite emails go out whe", 0.9227),
        ("Cash flow at a glance", 0.8422),
        ("See what is owed, what i", 0.8627),
        ("Simple pricing", 0.4995),
        ("Starter", 0.3799),
        ("€9 per month", 0.3704),
        ("Up to 20 invoices a mont", 0.3516),
        ("One user", 0.2381),
        ("Team", 0.3279),
        ("€29 per month", 0.3432),
        ("Unlimited invoices", 0.2757),
        ("Up to ten users", 0.2628),
        ("Frequently asked questio", 0.5426),
        ("Can I cancel at any time", 0.5299),
        ("Yes. Your plan ends at t", 0.5348),
        ("Do you support several c", 0.4539),
        ("Yes, invoices can be sen", 0.4327),
        ("About Careers Privacy", 0.0074),
        ("© 2024 Ledgerly Ltd.", 0.0058),
    ];
}
