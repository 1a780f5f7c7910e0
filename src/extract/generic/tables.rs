//! Data tables in the text (a list of films, a results table): runs of
//! table cells judged together, as a table, rather than cell by cell. A
//! cell that only links a title or only holds a year is a column of the
//! table, not a link line or a dateline.

use super::dom::Elem;
use crate::extract::text::{BlockKind, Paragraph};

/// Cells, at least, of a data table.
const MIN_TABLE_CELLS: usize = 8;

/// Longest cell that counts as a short one (a value, a name, a title).
const MAX_SHORT_CELL_CHARS: usize = 100;

/// True when these cells (a run of consecutive cells) make a data table:
/// [`MIN_TABLE_CELLS`] or more, most of them short, and at least a quarter
/// of them plain (not mostly a link). A layout table holds a few long
/// cells; a navigation table links every cell.
pub fn is_data_table(cells: &[&Paragraph]) -> bool {
    let n = cells.len();
    if n < MIN_TABLE_CELLS {
        return false;
    }
    let short = cells
        .iter()
        .filter(|p| p.text.chars().count() <= MAX_SHORT_CELL_CHARS)
        .count();
    let plain = cells.iter().filter(|p| p.link_density() <= 0.5).count();
    short * 4 >= n * 3 && plain * 4 >= n
}

/// Per paragraph: whether it is a cell of a data table (see
/// [`is_data_table`]). (Keeping only tables that hold a third of the text
/// or more left generic validation at 0.9335 instead of 0.9352.)
pub fn data_table_cells(paragraphs: &[Paragraph]) -> Vec<bool> {
    let mut marks = vec![false; paragraphs.len()];
    let mut start = 0;
    while start < paragraphs.len() {
        if paragraphs[start].kind != BlockKind::Cell {
            start += 1;
            continue;
        }
        let end = paragraphs[start..]
            .iter()
            .position(|p| p.kind != BlockKind::Cell)
            .map_or(paragraphs.len(), |k| start + k);
        let cells: Vec<&Paragraph> = paragraphs[start..end].iter().collect();
        if is_data_table(&cells) {
            marks[start..end].iter_mut().for_each(|m| *m = true);
        }
        start = end;
    }
    marks
}

/// Elements, at most, of a weak-chrome element read for table cells (the
/// bound keeps the walk linear on nested wrappers).
const MAX_TABLE_SCAN: usize = 64;

/// True when element `idx` (closed) holds a table of [`MIN_TABLE_CELLS`]
/// cells or more among its first [`MAX_TABLE_SCAN`] elements: a table
/// that a scrolling or embedding wrapper (`w-embed`, `table-scroll`)
/// holds is text, though none of its cells is a paragraph.
pub(super) fn holds_table(elems: &[Elem<'_>], idx: u32) -> bool {
    let e = &elems[idx as usize];
    let inner = &elems[(idx + 1) as usize..(e.end as usize).min(elems.len())];
    let mut table = false;
    let mut cells = 0;
    for d in inner.iter().take(MAX_TABLE_SCAN) {
        match d.name() {
            "table" => table = true,
            "td" | "th" => cells += 1,
            _ => {}
        }
    }
    table && cells >= MIN_TABLE_CELLS
}

/// True when a node's child, or a child of a child, is a table: a
/// figure that holds a table (a WordPress table block) is the text's
/// table, not an image with its caption.
pub(super) fn wraps_table(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    let is_table = |n: &ego_tree::NodeRef<'_, scraper::Node>| {
        n.value().as_element().is_some_and(|e| e.name() == "table")
    };
    node.children()
        .any(|c| is_table(&c) || c.children().any(|g| is_table(&g)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, linked: bool) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            kind: BlockKind::Cell,
            link_chars: if linked { text.chars().count() } else { 0 },
        }
    }

    #[test]
    fn a_table_of_linked_titles_beside_plain_values_is_a_data_table() {
        let mut ps = vec![Paragraph {
            text: "The films shot in the valley.".to_string(),
            kind: BlockKind::Text,
            link_chars: 0,
        }];
        for (year, title) in [
            ("1990", "Low Water"),
            ("1994", "The Ferry"),
            ("2001", "Fog"),
        ] {
            ps.push(cell(year, false));
            ps.push(cell(title, true));
            ps.push(cell("Director", true));
        }
        let marks = data_table_cells(&ps);
        assert_eq!(
            marks,
            [false, true, true, true, true, true, true, true, true, true]
        );
    }

    #[test]
    fn a_table_of_links_only_or_of_few_cells_is_not() {
        let links: Vec<Paragraph> = (0..10).map(|_| cell("Home", true)).collect();
        assert_eq!(data_table_cells(&links), vec![false; 10]);
        let few: Vec<Paragraph> = (0..4).map(|_| cell("1990", false)).collect();
        assert_eq!(data_table_cells(&few), vec![false; 4]);
    }
    #[test]
    fn a_table_in_an_embedding_wrapper_is_no_chrome() {
        let rows: String = (1..=8)
            .map(|i| format!("<tr><td><a href=/f{i}>Firm {i}</a></td><td>${i}0M</td></tr>"))
            .collect();
        let html = format!(
            "<body><div class=story><p>First words, of the story.</p>\
             <div class=w-embed><div class=table-scroll><table>{rows}</table></div></div>\
             <div class=w-embed><div>Sign up</div></div></div></body>"
        );
        let doc = crate::parse::parse_document(&html);
        let page = super::super::dom::walk(*doc.root_element());
        let wrappers: Vec<&Elem<'_>> = page
            .elems
            .iter()
            .filter(|e| e.element().and_then(|el| el.attr("class")) == Some("w-embed"))
            .collect();
        assert_eq!(wrappers.len(), 2);
        assert!(wrappers[0].weak && !wrappers[0].chrome);
        // A wrapper of a short line is still chrome.
        assert!(wrappers[1].chrome);
    }
    #[test]
    fn a_table_in_a_figure_is_text() {
        let prose = "<p>The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening and ended in a narrow vote.</p>";
        let rows: String = ["Waterfall", "Agile", "Lean", "Spiral"]
            .iter()
            .map(|m| format!("<tr><td>{m} suits a project of fixed scope</td><td>{m} changes slowly</td></tr>"))
            .collect();
        let html = format!(
            "<body><article>{prose}{prose}<figure class=wp-block-table><table><tbody>{rows}</tbody></table></figure>\
             <figure><img src=/a.jpg><figcaption>The depot at night, seen from the bridge.</figcaption></figure>{prose}</article></body>"
        );
        let got = crate::extract::generic::paragraph_texts(&html);
        assert!(
            got.contains(&"Agile suits a project of fixed scope".to_string()),
            "{got:?}"
        );
        assert!(!got.iter().any(|t| t.starts_with("The depot")), "{got:?}");
        assert_eq!(got.len(), 11, "{got:?}");
    }
}
