//! The block model's second stage reads a block's neighbours' first-stage
//! scores: menus, footers and card grids come in runs, so a lone block
//! scored 0.5 among chrome (a "(c) 2024" line, a menu item) or a card
//! scored low inside a run of kept cards is judged with its run.
//! `training/train_blocks.py` (`neighbour_features`) computes the same.

/// The features' names, in the order of [`neighbour_features`]'s rows.
pub const NAMES: &[&str] = &[
    "s1_score",
    "s1_prev",
    "s1_next",
    "s1_prev3_mean",
    "s1_next3_mean",
    "s1_window3_max",
    "s1_window3_min",
    "s1_window10_mean",
    "s1_run_log",
    "s1_rank",
    "s1_page_mean",
    "s1_page_kept",
    "s1_kept_gap_log",
];

/// First-stage score from which a block counts as kept in the runs.
const KEPT: f32 = 0.5;

/// Value of a feature whose neighbours are missing (page start or end).
const MISSING: f32 = -1.0;

/// Mean of a slice, or [`MISSING`] when it is empty.
fn mean(xs: &[f32]) -> f32 {
    if xs.is_empty() {
        MISSING
    } else {
        xs.iter().sum::<f32>() / xs.len() as f32
    }
}

/// Each block's [`NAMES`] from its page's first-stage `scores`, in
/// document order. Linear in the page but for one sort.
pub fn neighbour_features(scores: &[f32]) -> Vec<[f32; 13]> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let kept: Vec<bool> = scores.iter().map(|&s| s >= KEPT).collect();
    let mut sorted = scores.to_vec();
    sorted.sort_by(f32::total_cmp);
    let page_mean = mean(scores);
    let page_kept = kept.iter().filter(|&&k| k).count() as f32 / n as f32;
    // Length of the run of blocks on the block's side of KEPT.
    let mut run = vec![0usize; n];
    let mut start = 0;
    for i in 1..=n {
        if i == n || kept[i] != kept[start] {
            run[start..i].fill(i - start);
            start = i;
        }
    }
    // Distance to the nearest other kept block, from each side.
    let mut gap = vec![usize::MAX; n];
    let mut last = None;
    for i in 0..n {
        if let Some(l) = last {
            gap[i] = i - l;
        }
        if kept[i] {
            last = Some(i);
        }
    }
    last = None;
    for i in (0..n).rev() {
        if let Some(l) = last {
            gap[i] = gap[i].min(l - i);
        }
        if kept[i] {
            last = Some(i);
        }
    }
    (0..n)
        .map(|i| {
            let prev3 = &scores[i.saturating_sub(3)..i];
            let next3 = &scores[i + 1..(i + 4).min(n)];
            let window3 = prev3.iter().chain(next3);
            let max3 = window3.clone().copied().fold(f32::NEG_INFINITY, f32::max);
            let min3 = window3.copied().fold(f32::INFINITY, f32::min);
            let (before, after) = (
                &scores[i.saturating_sub(10)..i],
                &scores[i + 1..(i + 11).min(n)],
            );
            let count10 = before.len() + after.len();
            let mean10 = if count10 == 0 {
                MISSING
            } else {
                (before.iter().sum::<f32>() + after.iter().sum::<f32>()) / count10 as f32
            };
            let higher = n - sorted.partition_point(|&s| s <= scores[i]);
            [
                scores[i],
                if i > 0 { scores[i - 1] } else { MISSING },
                scores.get(i + 1).copied().unwrap_or(MISSING),
                mean(prev3),
                mean(next3),
                if n > 1 { max3 } else { MISSING },
                if n > 1 { min3 } else { MISSING },
                mean10,
                (run[i] as f32).ln_1p(),
                higher as f32 / n as f32,
                page_mean,
                page_kept,
                if gap[i] == usize::MAX {
                    MISSING
                } else {
                    (gap[i] as f32).ln_1p()
                },
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_high_score_among_chrome_has_low_neighbours_and_a_short_run() {
        let f = neighbour_features(&[0.1, 0.05, 0.6, 0.02, 0.1]);
        let lone = f[2];
        assert_eq!(lone[0], 0.6);
        assert_eq!(lone[1], 0.05);
        assert_eq!(lone[2], 0.02);
        assert!((lone[5] - 0.1).abs() < 1e-6, "max of the +-3 window");
        assert_eq!(lone[8], 2f32.ln(), "a run of one");
        assert_eq!(lone[9], 0.0, "no block scores higher");
        assert_eq!(lone[12], MISSING, "no other kept block");
        assert!(
            (f[0][12] - 3f32.ln()).abs() < 1e-6,
            "two blocks to the kept one"
        );
        assert_eq!(f[0][1], MISSING, "no block before the first");
        assert_eq!(f[4][2], MISSING, "no block after the last");
        assert_eq!(f[0][8], 3f32.ln(), "the first two blocks are one run");
    }

    #[test]
    fn an_empty_page_has_no_rows_and_one_block_has_missing_neighbours() {
        assert!(neighbour_features(&[]).is_empty());
        let f = neighbour_features(&[0.7]);
        assert_eq!(f.len(), 1);
        assert_eq!(&f[0][1..8], &[MISSING; 7]);
        assert_eq!(f[0][11], 1.0);
    }
}
