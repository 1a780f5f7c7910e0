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
///
/// (Matched by `match` rather than as a slice of characters: a slice
/// pattern compares each character of the line with every entry.)
fn is_separator(c: char) -> bool {
    matches!(c, ',' | '、' | '，' | ';' | '；' | '・')
}

/// Characters that end or join sentences: a label or a name holding one
/// is prose, not an enumeration.
fn is_sentence_mark(c: char) -> bool {
    matches!(
        c,
        '.' | '。' | '!' | '?' | '！' | '？' | '"' | '“' | '”' | '«' | '»'
    )
}

/// True when `s` has more than `max` characters (counted only when its
/// bytes are more).
fn longer_than(s: &str, max: usize) -> bool {
    s.len() > max && s.chars().count() > max
}

/// `text` split at its first colon (ASCII or full-width), without it.
fn split_label(text: &str) -> Option<(&str, &str)> {
    // One byte search for the ASCII colon, then the full-width one only
    // before it.
    let ascii = text.find(':');
    let head = &text[..ascii.unwrap_or(text.len())];
    match head.find('：') {
        Some(at) => Some((&text[..at], &text[at + '：'.len_utf8()..])),
        None => ascii.map(|at| (&text[..at], &text[at + 1..])),
    }
}

/// The number of names `rest` lists between [`is_separator`]s (blank ones
/// not counted), or `None` when one, trimmed, is longer than
/// [`MAX_ITEM_CHARS`] or holds a sentence mark. One pass that stops at the
/// first such name: a sentence after a label is given up within
/// [`MAX_ITEM_CHARS`] characters.
fn count_items(rest: &str) -> Option<usize> {
    let mut items = 0;
    // Within the current name: the index of its character `c`, and that
    // of its first character other than white space (where `trim` would
    // cut it).
    let mut at = 0usize;
    let mut first: Option<usize> = None;
    for c in rest.chars() {
        // (Letters and digits, most characters, need none of the tests.)
        if !c.is_ascii_alphanumeric() {
            if is_separator(c) {
                items += usize::from(first.is_some());
                (at, first) = (0, None);
                continue;
            }
            if is_sentence_mark(c) {
                return None;
            }
            if c.is_whitespace() {
                at += 1;
                continue;
            }
        }
        if at - *first.get_or_insert(at) >= MAX_ITEM_CHARS {
            return None;
        }
        at += 1;
    }
    Some(items + usize::from(first.is_some()))
}

/// The number of names a "Label: name, name, …" line enumerates, or `None`
/// when the paragraph is not such a line.
pub fn enumerated_items(p: &Paragraph) -> Option<usize> {
    if p.kind != BlockKind::Text || longer_than(&p.text, MAX_LINE_CHARS) {
        return None;
    }
    let (label, rest) = split_label(&p.text)?;
    let label = label.trim();
    if label.is_empty() || longer_than(label, MAX_LABEL_CHARS) || label.contains(is_sentence_mark) {
        return None;
    }
    count_items(rest).filter(|&n| n > 0)
}

/// For each paragraph, whether it is a labelled enumeration of the text:
/// one of [`MIN_ITEMS_ALONE`] names or more, or one beside another
/// enumeration line (a run of them: one line per region, per category).
pub fn enumeration_lines(paragraphs: &[Paragraph]) -> Vec<bool> {
    enumeration_lines_where(paragraphs, |_| true)
}

/// [`enumeration_lines`] for the paragraphs `asked` selects only (false
/// for the others): a paragraph is read as a line of names only when it
/// or a neighbour is asked about. The caller needs the mark of link-dense
/// lines only, and most paragraphs are prose with a colon (reading one as
/// a line of names cost a seventh of cleaning a page's paragraphs).
pub fn enumeration_lines_where(
    paragraphs: &[Paragraph],
    asked: impl Fn(&Paragraph) -> bool,
) -> Vec<bool> {
    // Each paragraph's names, read at most once, when first needed.
    let mut items: Vec<Option<Option<usize>>> = vec![None; paragraphs.len()];
    let mut items_of = |i: usize| *items[i].get_or_insert_with(|| enumerated_items(&paragraphs[i]));
    (0..paragraphs.len())
        .map(|i| {
            if !asked(&paragraphs[i]) {
                return false;
            }
            let Some(n) = items_of(i) else { return false };
            n >= MIN_ITEMS_ALONE
                || (i > 0 && items_of(i - 1).is_some())
                || (i + 1 < paragraphs.len() && items_of(i + 1).is_some())
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
    fn names_are_counted_as_split_and_trimmed_names_would_be() {
        // The slow form this pass replaces.
        let slow = |rest: &str| -> Option<usize> {
            let mut items = 0;
            for item in rest.split(is_separator) {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                if item.chars().count() > MAX_ITEM_CHARS || item.contains(is_sentence_mark) {
                    return None;
                }
                items += 1;
            }
            Some(items)
        };
        let thirty = "x".repeat(30);
        for rest in [
            "",
            " , ;、 ",
            " Reuters, AP; AFP",
            "高鍋町、新富町、宮崎市",
            &format!("  {thirty}  , b"),
            &format!("a, {thirty}x"),
            &format!("a, {}", "é ".repeat(15)),
            &format!("a, {}", "é ".repeat(16)),
            "\u{a0}Saga\u{3000}, Kanzaki\u{2003}",
            "one. two",
            " the council met on Tuesday to discuss the budget, and more",
        ] {
            assert_eq!(count_items(rest), slow(rest), "{rest:?}");
        }
        assert_eq!(count_items(&format!("{thirty} ")), Some(1));
        assert_eq!(count_items(&format!("{thirty}x")), None);
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
        // Asked about some lines only: those are judged with their
        // neighbours, the others are not read.
        let asked = |p: &Paragraph| p.text.starts_with('F') || p.text.starts_with('T');
        assert_eq!(
            enumeration_lines_where(&ps, asked),
            [false, false, true, false]
        );
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
        let got = crate::extract::generic::paragraph_texts(&html);
        assert!(
            got.contains(&"Miyazaki: Takanabe, Shintomi, Kushima".to_string()),
            "{got:?}"
        );
        assert!(got.contains(&"Fukuoka: Kurume".to_string()), "{got:?}");
        assert!(!got.iter().any(|t| t.contains("Home")), "{got:?}");
    }
}
