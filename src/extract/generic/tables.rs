//! Data tables in the text (a list of films, a results table): runs of
//! table cells judged together, as a table, rather than cell by cell. A
//! cell that only links a title or only holds a year is a column of the
//! table, not a link line or a dateline.

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
}
