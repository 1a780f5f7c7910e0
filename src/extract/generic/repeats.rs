//! Repeated copies of the text: page builders that render one block per
//! screen size (a desktop, a tablet and a phone variant, all but one
//! hidden by a stylesheet's media queries) put the whole article in the
//! page two or three times, with nothing in the markup telling which copy
//! shows. The text is read once: a run of paragraphs that repeats, word
//! for word and in order, a run already read is dropped.
//!
//! Only runs count, not single lines: a heading or a short line that
//! recurs ("Pros", "Energy-efficient upgrades") belongs where it is.

use rustc_hash::FxHashMap;

use crate::extract::text::Paragraph;

/// Paragraphs, at least, of a repeated run that is dropped.
pub const MIN_RUN_PARAGRAPHS: usize = 3;

/// Words, at least, of a repeated run that is dropped (a few short lines
/// of code or a pair of labels recur in real text).
pub const MIN_RUN_WORDS: usize = 40;

/// Earlier copies of a paragraph that a run is looked for from (bounds the
/// work on a page of thousands of identical lines).
const MAX_CANDIDATES: usize = 8;

/// The paragraphs without the later copies of repeated runs (at least
/// [`MIN_RUN_PARAGRAPHS`] consecutive paragraphs, the first of them all
/// different, and [`MIN_RUN_WORDS`] words that occur earlier in the same
/// order). The first copy stays.
pub fn drop_repeated_runs(paragraphs: Vec<Paragraph>) -> Vec<Paragraph> {
    let n = paragraphs.len();
    if n < 2 * MIN_RUN_PARAGRAPHS {
        return paragraphs;
    }
    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();
    // The earlier kept positions of each text. (A fast hash: a page's
    // texts are hashed once or twice each, and SipHash over every
    // paragraph cost more than the rest of the pass.)
    let mut seen: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut keep = vec![true; n];
    let mut i = 0;
    while i < n {
        let run = match seen.get(texts[i]) {
            Some(earlier) if opens_with_distinct(&texts[i..]) => longest_copy(&texts, earlier, i),
            _ => 0,
        };
        // (Words are counted only in a run long enough: counting those of
        // every paragraph cost two thirds of the pass.)
        if run >= MIN_RUN_PARAGRAPHS && words_in(&texts[i..i + run]) >= MIN_RUN_WORDS {
            keep[i..i + run].iter_mut().for_each(|k| *k = false);
            i += run;
            continue;
        }
        let positions = seen.entry(texts[i]).or_default();
        if positions.len() < MAX_CANDIDATES {
            positions.push(i);
        }
        i += 1;
    }
    paragraphs
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

/// The number of words of `texts`.
fn words_in(texts: &[&str]) -> usize {
    texts.iter().map(|t| t.split_whitespace().count()).sum()
}

/// Whether the first [`MIN_RUN_PARAGRAPHS`] texts differ from each other:
/// a copy of a text opens with different paragraphs, while one line
/// repeated many times over (a filler, a separator) is no copy of anything.
fn opens_with_distinct(texts: &[&str]) -> bool {
    let head = &texts[..texts.len().min(MIN_RUN_PARAGRAPHS)];
    head.len() == MIN_RUN_PARAGRAPHS && head.iter().enumerate().all(|(k, t)| !head[..k].contains(t))
}

/// The length of the longest run starting at `i` that repeats, in order,
/// the run starting at one of the `earlier` positions (kept paragraphs
/// only; a copy never overlaps its original).
fn longest_copy(texts: &[&str], earlier: &[usize], i: usize) -> usize {
    earlier
        .iter()
        .map(|&j| {
            (0..)
                .take_while(|&l| j + l < i && i + l < texts.len() && texts[j + l] == texts[i + l])
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::BlockKind;

    fn paragraphs(texts: &[&str]) -> Vec<Paragraph> {
        texts
            .iter()
            .map(|t| Paragraph {
                text: t.to_string(),
                kind: BlockKind::Text,
                link_chars: 0,
            })
            .collect()
    }

    fn texts(ps: Vec<Paragraph>) -> Vec<String> {
        ps.into_iter().map(|p| p.text).collect()
    }

    const A: &str =
        "The council voted on Tuesday to extend the tram line from the station to the harbour and the new housing estate.";
    const B: &str =
        "The debate lasted most of the evening and ended in a narrow vote, with two members of the majority abstaining.";
    const C: &str =
        "Work on the new stops starts in spring, the transport authority said, and the first trams should run next year.";

    #[test]
    fn a_second_copy_of_the_text_is_dropped() {
        let got = texts(drop_repeated_runs(paragraphs(&[
            "Where the tram will stop",
            A,
            B,
            C,
            "Where the tram will stop",
            A,
            B,
            C,
            "Comments are closed.",
        ])));
        assert_eq!(
            got,
            ["Where the tram will stop", A, B, C, "Comments are closed."]
        );
    }

    #[test]
    fn a_third_copy_goes_too_and_only_the_repeated_part_of_a_run() {
        let got = texts(drop_repeated_runs(paragraphs(&[
            A,
            B,
            C,
            "Photo: the depot",
            A,
            B,
            C,
            A,
            B,
            C,
        ])));
        assert_eq!(got, [A, B, C, "Photo: the depot"]);
    }

    #[test]
    fn recurring_short_lines_and_short_runs_stay() {
        let input = [
            "Pros", "Cheap", "Fast", A, "Pros", "Cheap", "Fast", B, A, B, C,
        ];
        // "Pros, Cheap, Fast" is three paragraphs but three words; "A, B"
        // is two paragraphs.
        assert_eq!(texts(drop_repeated_runs(paragraphs(&input))), input);
    }

    #[test]
    fn one_line_repeated_is_no_copy_of_the_text() {
        let input = vec![A; 5000];
        assert_eq!(texts(drop_repeated_runs(paragraphs(&input))).len(), 5000);
        let input = [A, A, A, B, A, A, A, B, C];
        assert_eq!(texts(drop_repeated_runs(paragraphs(&input))), input);
    }
}
