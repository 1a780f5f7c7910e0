//! The block model: gradient-boosted regression trees over
//! [`super::features::NAMES`], trained by `training/train_blocks.py` and
//! built into the binary; optionally a second stage of trees over the
//! block's and its neighbours' first-stage scores
//! ([`super::sequence::NAMES`]).

use std::sync::LazyLock;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use super::features::{BlockFeatures, NAMES};
use super::sequence;

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
    /// The second stage, when the model has one.
    stage2: Option<StageFile>,
}

#[derive(Debug, Deserialize)]
struct StageFile {
    features: Vec<String>,
    init: f64,
    trees: Vec<Tree>,
}

/// One stage: a sum of trees, made a probability by the logistic function.
#[derive(Debug, Clone)]
struct Stage {
    init: f64,
    trees: Vec<Tree>,
}

impl Stage {
    /// Checks the trees against the stage's `n_features` inputs.
    fn new(init: f64, trees: Vec<Tree>, n_features: usize, what: &str) -> Result<Stage> {
        for (k, t) in trees.iter().enumerate() {
            t.check(n_features)
                .with_context(|| format!("block model: {what} tree {k}"))?;
        }
        Ok(Stage { init, trees })
    }

    fn probability(&self, x: &[f32]) -> f32 {
        let raw: f64 = self.init + self.trees.iter().map(|t| t.leaf_value(x)).sum::<f64>();
        (1.0 / (1.0 + (-raw).exp())) as f32
    }
}

/// A loaded block model.
#[derive(Debug, Clone)]
pub struct Model {
    stage1: Stage,
    stage2: Option<Stage>,
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
        let stage1 = Stage::new(f.init, f.trees, NAMES.len(), "first-stage")?;
        let stage2 = match f.stage2 {
            None => None,
            Some(s2) => {
                if s2.features != sequence::NAMES {
                    bail!("block model: its second stage's features are not this build's (retrain it: training/README.md)");
                }
                Some(Stage::new(
                    s2.init,
                    s2.trees,
                    s2.features.len(),
                    "second-stage",
                )?)
            }
        };
        Ok(Model { stage1, stage2 })
    }

    /// The first stage's probability that a block is main content, from the
    /// block's own features.
    pub fn first_stage(&self, features: &BlockFeatures) -> f32 {
        self.stage1.probability(features.values())
    }

    /// The probabilities that a page's blocks (in document order) are main
    /// content: the first stage's, then, if the model has one, the second
    /// stage's, which reads the block's and its neighbours' first-stage
    /// scores.
    pub fn score_page(&self, blocks: &[BlockFeatures]) -> Vec<f32> {
        let first: Vec<f32> = blocks.iter().map(|f| self.first_stage(f)).collect();
        let Some(stage2) = &self.stage2 else {
            return first;
        };
        sequence::neighbour_features(&first)
            .iter()
            .map(|around| stage2.probability(around))
            .collect()
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

    /// The typed-service fixture extracted as a service page, with its blocks.
    fn fixture_page() -> crate::extract::ExtractedPage {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(root.join("fixtures/typed-service/page.html")).unwrap();
        let opts = ExtractOptions {
            use_selectors: false,
            page_type: Some(PageType::Service),
            keep_blocks: true,
            ..Default::default()
        };
        extract_page(&PageInput::new(&bytes), &SiteRegistry::empty(), &opts).unwrap()
    }

    /// The scores of the typed-service fixture's blocks, forced to the
    /// service type.
    fn fixture_scores() -> Vec<(String, f32)> {
        let page = fixture_page();
        let model = Model::from_json(MODEL_JSON).expect("the shipped model loads");
        let features: Vec<BlockFeatures> = page.blocks.iter().map(|b| b.features.clone()).collect();
        let scores = model.score_page(&features);
        page.blocks
            .iter()
            .zip(scores)
            .map(|(b, score)| {
                assert_eq!(b.score, score, "the pipeline's score is the model's");
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

    #[test]
    fn a_second_stage_rescores_each_block_from_its_first_stage_score() {
        // A one-split second stage: kept (first stage >= 0.5) -> 0.95, else 0.05.
        let stage2 = format!(
            r#","stage2":{{"features":{},"init":0.0,"trees":[{{"feature":[0,0,0],"threshold":[0.5,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"value":[0,-2.944439,2.944439]}}]}}}}"#,
            serde_json::to_string(sequence::NAMES).unwrap()
        );
        let json = format!(
            "{}{stage2}",
            MODEL_JSON.trim_end().strip_suffix('}').unwrap()
        );
        let model = Model::from_json(&json).expect("a model with a second stage loads");
        let page = fixture_page();
        let features: Vec<BlockFeatures> = page.blocks.iter().map(|b| b.features.clone()).collect();
        let scores = model.score_page(&features);
        assert_eq!(scores.len(), features.len());
        for (f, s) in features.iter().zip(scores) {
            let want = if model.first_stage(f) > 0.5 {
                0.95
            } else {
                0.05
            };
            assert!(
                (s - want).abs() < 1e-4,
                "second-stage score {s}, want {want}"
            );
        }
        let bad = json.replace("\"s1_rank\"", "\"rank\"");
        let err = Model::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains("second stage"), "{err}");
    }

    /// Block texts (first 24 characters) and scores, recorded when the
    /// model was trained (update after retraining: training/README.md).
    const RECORDED: [(&str, f32); 32] = [
        ("We use cookies to improv", 0.0502),
        ("Ledgerly", 0.0251),
        ("Features", 0.0008),
        ("Pricing", 0.0006),
        ("Blog", 0.0015),
        ("Log in", 0.0010),
        ("Invoicing that gets you ", 0.6050),
        ("Send invoices, chase pay", 0.7343),
        ("Start free trial", 0.6387),
        ("Everything a small team ", 0.7472),
        ("Recurring invoices", 0.9047),
        ("Set them up once and Led", 0.9219),
        ("Payment reminders", 0.9110),
        ("Polite emails go out whe", 0.9373),
        ("Cash flow at a glance", 0.9212),
        ("See what is owed, what i", 0.9323),
        ("Simple pricing", 0.7204),
        ("Starter", 0.7173),
        ("€9 per month", 0.7239),
        ("Up to 20 invoices a mont", 0.6690),
        ("One user", 0.5380),
        ("Team", 0.6849),
        ("€29 per month", 0.7083),
        ("Unlimited invoices", 0.6087),
        ("Up to ten users", 0.5930),
        ("Frequently asked questio", 0.8390),
        ("Can I cancel at any time", 0.8148),
        ("Yes. Your plan ends at t", 0.7005),
        ("Do you support several c", 0.4928),
        ("Yes, invoices can be sen", 0.5905),
        ("About Careers Privacy", 0.0080),
        ("© 2024 Ledgerly Ltd.", 0.0058),
    ];
}
