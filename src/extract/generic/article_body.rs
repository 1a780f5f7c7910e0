//! The text of a JSON-LD `articleBody`: some sites fill it with HTML (tags,
//! entities, even entities escaped twice), so it is read as a fragment; the
//! cleaner compares paragraphs with it and falls back to its paragraphs when
//! the chosen container misses most of it.

use crate::extract::text::{Assembler, BlockKind, Paragraph};
use crate::vocabulary::is_boilerplate_paragraph;

/// The text of a JSON-LD article body, which some sites fill with HTML
/// (tags, entities, even entities escaped twice).
pub fn article_body_text(raw: &str) -> String {
    if !raw.contains(['<', '&']) {
        return raw.to_string();
    }
    let text = fragment_text(raw);
    if !text.contains('&') {
        return text;
    }
    text.split('\n')
        .map(|line| {
            if line.contains('&') {
                fragment_text(line)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paragraphs of an HTML fragment, one per line.
fn fragment_text(html: &str) -> String {
    let frag = scraper::Html::parse_fragment(html);
    let mut a = Assembler::new();
    a.add_subtree(frag.tree.root(), |_, _| false);
    a.finish()
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits a JSON-LD article body into paragraphs.
pub fn article_body_paragraphs(raw: &str) -> Vec<Paragraph> {
    article_body_text(raw)
        .split('\n')
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty() && !is_boilerplate_paragraph(l))
        .map(|text| Paragraph {
            text,
            kind: BlockKind::Text,
            link_chars: 0,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_body_html_is_read_as_text() {
        assert_eq!(
            article_body_text("<p>Tom &amp;amp; Jerry</p><p>&Ccedil;orum</p>"),
            "Tom & Jerry\nÇorum"
        );
    }
}
