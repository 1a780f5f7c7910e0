//! Labelled enumerations inside the text: a line that lists linked names
//! after a label ("Miyazaki: Takanabe, Shintomi, Miyazaki City", "宮崎県：
//! 高鍋町、新富町"). Such a line is as link-dense as a menu, but it is the
//! article's data (places, sources, line-ups), so the link-density rule
//! must not drop it. Menus and teaser lists differ: their links are not
//! short names after one label, and their items are list items or
//! headlines, not comma-separated names.

use crate::extract::text::{BlockKind, Paragraph};

/// Longest label (characters before the colon).
const MAX_LABEL_CHARS: usize = 30;

/// Longest enumerated name.
const MAX_ITEM_CHARS: usize = 30;

/// Longest enumeration line.
const MAX_LINE_CHARS: usize = 600;

/// Names that make a lone enumeration line one of the text (a shorter one
/// counts only in a run of such lines).
const MIN_ITEMS_ALONE: usize = 3;

/// Characters that separate the names of an enumeration.
const SEPARATORS: &[char] = &[',', '、', '，', ';', '；', '・'];

/// Characters that end or join sentences: a label or a name holding one
/// is prose, not an enumeration.
const SENTENCE_MARKS: &[char] = &['.', '。', '!', '?', '！', '？', '"', '“', '”', '«', '»'];

/// The number of names a "Label: name, name, …" line enumerates, or `None`
/// when the paragraph is not such a line.
pub fn enumerated_items(p: &Paragraph) -> Option<usize> {
    if p.kind != BlockKind::Text || p.text.chars().count() > MAX_LINE_CHARS {
        return None;
    }
    let (label, rest) = p.text.split_once([':', '：'])?;
    let label = label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS || label.contains(SENTENCE_MARKS)
    {
        return None;
    }
    let mut items = 0;
    for item in rest.split(SEPARATORS) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        if item.chars().count() > MAX_ITEM_CHARS || item.contains(SENTENCE_MARKS) {
            return None;
        }
        items += 1;
    }
    (items > 0).then_some(items)
}

/// For each paragraph, whether it is a labelled enumeration of the text:
/// one of [`MIN_ITEMS_ALONE`] names or more, or one beside another
/// enumeration line (a run of them: one line per region, per category).
pub fn enumeration_lines(paragraphs: &[Paragraph]) -> Vec<bool> {
    let items: Vec<Option<usize>> = paragraphs.iter().map(enumerated_items).collect();
    (0..items.len())
        .map(|i| {
            let Some(n) = items[i] else { return false };
            let prev = i > 0 && items[i - 1].is_some();
            let next = items.get(i + 1).is_some_and(Option::is_some);
            n >= MIN_ITEMS_ALONE || prev || next
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Paragraph {
        Paragraph {
            text: text.to_string(),
            kind: BlockKind::Text,
            link_chars: text.chars().count() * 3 / 4,
        }
    }

    #[test]
    fn labelled_lists_of_names_are_enumerations() {
        assert_eq!(
            enumerated_items(&line("宮崎県：高鍋町、新富町、宮崎市")),
            Some(3)
        );
        assert_eq!(
            enumerated_items(&line("Sources: Reuters, AP; AFP")),
            Some(3)
        );
        assert_eq!(enumerated_items(&line("福岡県：久留米市")), Some(1));
        // Prose, a headline after a label, or no label at all are not.
        for t in [
            "Read more: The council votes on the tram. It was close.",
            "Also: The mayor said the tram line would open in spring, if the budget holds",
            "Home, News, Sport, Weather",
            "It was close, he said: maybe next year.",
        ] {
            assert_eq!(enumerated_items(&line(t)), None, "{t}");
        }
    }

    #[test]
    fn a_short_enumeration_counts_only_in_a_run() {
        let ps = [
            line("Tags: tram"),
            line("The council voted on Tuesday, after a long debate."),
            line("Fukuoka: Kurume"),
            line("Saga: Kanzaki, Shiroishi"),
        ];
        assert_eq!(enumeration_lines(&ps), [false, false, true, true]);
    }

    #[test]
    fn linked_place_lists_inside_the_article_stay_and_a_menu_goes() {
        let prose = "<p>The earthquake struck at nine in the evening, and the agency issued a tsunami warning for two prefectures soon after.</p>";
        let place = |n: &str| format!("<a href=/topics/{n}>{n}</a>");
        let html = format!(
            "<body><div class=story>{prose}{prose}<p>Intensity by town:</p>\
             <p>{}: {}, {}, {}</p><p>{}: {}</p>{prose}\
             <p><a href=/>Home</a> <a href=/news>News</a> <a href=/sport>Sport</a></p>{prose}</div></body>",
            place("Miyazaki"),
            place("Takanabe"),
            place("Shintomi"),
            place("Kushima"),
            place("Fukuoka"),
            place("Kurume"),
        );
        let got: Vec<String> =
            crate::extract::generic::extract_paragraphs(&crate::parse::parse_document(&html))
                .into_iter()
                .map(|p| p.text)
                .collect();
        assert!(
            got.contains(&"Miyazaki: Takanabe, Shintomi, Kushima".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"Fukuoka: Kurume".to_string()), "{got:?}");
        assert!(!got.iter().any(|t| t.contains("Home")), "{got:?}");
    }
}
