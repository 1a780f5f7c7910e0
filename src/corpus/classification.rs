//! Page-type classification scores: accuracy, macro-F1 and the confusion
//! matrix of predicted against gold page types.

use crate::extract::PageType;

const N: usize = PageType::ALL.len();

/// Counts of (gold, predicted) page types; a page whose extraction failed
/// before it was classified counts as predicted "none".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Confusion {
    /// `counts[gold][predicted]`; predicted index `N` is "none".
    counts: [[usize; N + 1]; N],
}

impl Confusion {
    /// Adds one page.
    pub fn add(&mut self, gold: PageType, predicted: Option<PageType>) {
        let p = predicted.map_or(N, PageType::index);
        self.counts[gold.index()][p] += 1;
    }

    /// Pages counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    /// Pages of gold type `gold` predicted as `predicted` (None: not classified).
    pub fn count(&self, gold: PageType, predicted: Option<PageType>) -> usize {
        self.counts[gold.index()][predicted.map_or(N, PageType::index)]
    }

    /// Share of pages whose predicted type is the gold one.
    pub fn accuracy(&self) -> f64 {
        let right: usize = (0..N).map(|i| self.counts[i][i]).sum();
        right as f64 / self.total().max(1) as f64
    }

    /// Precision, recall and F1 of one type (0 when undefined).
    pub fn prf(&self, t: PageType) -> (f64, f64, f64) {
        let i = t.index();
        let tp = self.counts[i][i] as f64;
        let predicted: usize = (0..N).map(|g| self.counts[g][i]).sum();
        let gold: usize = self.counts[i].iter().sum();
        let p = if predicted == 0 {
            0.0
        } else {
            tp / predicted as f64
        };
        let r = if gold == 0 { 0.0 } else { tp / gold as f64 };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }

    /// Mean F1 over the types that occur (as gold or predicted).
    pub fn macro_f1(&self) -> f64 {
        let present: Vec<PageType> = PageType::ALL
            .into_iter()
            .filter(|&t| {
                let i = t.index();
                self.counts[i].iter().sum::<usize>() > 0 || (0..N).any(|g| self.counts[g][i] > 0)
            })
            .collect();
        if present.is_empty() {
            return 0.0;
        }
        present.iter().map(|&t| self.prf(t).2).sum::<f64>() / present.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PageType::*;

    #[test]
    fn accuracy_macro_f1_and_confusion() {
        let mut c = Confusion::default();
        for _ in 0..3 {
            c.add(Article, Some(Article));
        }
        c.add(Article, Some(Listing));
        c.add(Listing, Some(Listing));
        c.add(Forum, None);
        assert_eq!(c.total(), 6);
        assert_eq!(c.count(Article, Some(Listing)), 1);
        assert_eq!(c.count(Forum, None), 1);
        assert!((c.accuracy() - 4.0 / 6.0).abs() < 1e-9);
        // article: p 1, r 0.75 -> 6/7; listing: p 0.5, r 1 -> 2/3; forum: 0.
        let want = (6.0 / 7.0 + 2.0 / 3.0 + 0.0) / 3.0;
        assert!((c.macro_f1() - want).abs() < 1e-9, "{}", c.macro_f1());
    }
}
