//! An author's biography at the end of an article ("Anna has covered the
//! council since 2015 ..."): a paragraph that opens with the first name of
//! an author who is a person. The cleaner drops such paragraphs from the
//! end of the text (see [`super::clean::clean`]).

use crate::extract::text::{BlockKind, Paragraph};

/// The lower-cased first names (3 characters or more) of the authors who
/// are persons (see [`is_a_persons_name`]).
pub(super) fn first_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    names
        .into_iter()
        .filter(|n| is_a_persons_name(n))
        .filter_map(|n| n.split_whitespace().next())
        .map(str::to_lowercase)
        .filter(|f| f.chars().count() >= 3)
        .collect()
}

/// Whether a paragraph of sentences (four words or more) opens with one
/// of `first_names` ("Anna has covered ...", "Anna Smith is ...").
pub(super) fn opens_with_first_name(p: &Paragraph, first_names: &[String]) -> bool {
    !first_names.is_empty()
        && p.kind == BlockKind::Text
        && p.text.split_whitespace().nth(3).is_some()
        && p.text.split_whitespace().next().is_some_and(|w| {
            let w = w.trim_end_matches([',', ':']).to_lowercase();
            first_names.contains(&w)
        })
}

/// One to three capitalised words (`Anna`, `Jean-Luc Martin`), not
/// opening with an article: a person's name rather than a team's, a
/// brand's or a paper's ("The Planetary Press", "ACME Official", "Great
/// Day Editorial Team").
fn is_a_persons_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    let capitalised = |w: &&str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase)
            && cs.clone().any(char::is_lowercase)
            && !cs.any(|c| c.is_ascii_digit())
    };
    (1..=3).contains(&words.len())
        && words.iter().all(capitalised)
        && !matches!(
            words[0].to_lowercase().as_str(),
            "the"
                | "der"
                | "die"
                | "das"
                | "la"
                | "le"
                | "les"
                | "el"
                | "los"
                | "il"
                | "lo"
                | "de"
                | "het"
        )
}

#[cfg(test)]
mod tests {
    use super::super::clean::{clean, normalize, Evidence};
    use crate::extract::text::{BlockKind, Paragraph};

    fn prose(n: usize) -> Vec<Paragraph> {
        (0..n)
            .map(|_| Paragraph::new(PROSE, BlockKind::Text, 0))
            .collect()
    }

    const PROSE: &str = "The council voted on Tuesday to extend the tram line, after a debate that lasted most of the evening and ended in a narrow vote.";

    #[test]
    fn an_authors_biography_at_the_end_goes() {
        let ev = Evidence::new(String::new(), vec!["annasmith".into()], None)
            .with_author_names(["Anna Smith"]);
        let mut ps = prose(3);
        ps.push(Paragraph::new("By", BlockKind::Text, 0));
        ps.push(Paragraph::new("Anna Smith", BlockKind::Text, 10));
        ps.push(Paragraph::new(
            "Anna has covered the city council since 2015; before that she taught history at the high school.",
            BlockKind::Text,
            0,
        ));
        let got: Vec<String> = clean(ps, &ev).into_iter().map(|p| p.text).collect();
        assert_eq!(got, vec![PROSE.to_string(); 3]);
        // Inside the text, a sentence that opens with her name stays.
        let mut ps = prose(2);
        ps.push(Paragraph::new(
            "Anna asked the mayor twice about the budget, and twice she got no answer at all.",
            BlockKind::Text,
            0,
        ));
        ps.extend(prose(1));
        assert_eq!(clean(ps, &ev).len(), 4);
        // A team's or a brand's name is no person's: its closing line stays.
        for name in [
            "The Planetary Press",
            "ACME Official",
            "Great Day Editorial Team",
        ] {
            let first = name.split_whitespace().next().unwrap_or_default();
            let ev =
                Evidence::new(String::new(), vec![normalize(name)], None).with_author_names([name]);
            let mut ps = prose(3);
            ps.push(Paragraph::new(
                &format!(
                    "{first} builds the homes of the region, and has done so for forty years."
                ),
                BlockKind::Text,
                0,
            ));
            assert_eq!(clean(ps, &ev).len(), 4, "{name}");
        }
    }
}
