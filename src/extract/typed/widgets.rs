//! Disclosure widgets and dialogs: the hidden elements a click shows (tab
//! panels, accordion sections, the buttons that open them) and the modal
//! boxes that are never a page's content. The region, the cards, the
//! generic extractor and the block model read hidden panels as shown and
//! leave dialogs out.

use scraper::node::Element;

use crate::extract::generic::dom::Attrs;

/// A hidden element that a click shows: a tab panel or a collapsed
/// accordion section (`role="tabpanel"`, or a class naming one).
pub fn is_hidden_panel(el: &Element) -> bool {
    if matches!(el.name(), "div" | "section" | "article" | "details" | "dd")
        && Attrs::of(el).role == "tabpanel"
    {
        return true;
    }
    el.attr("class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|token| {
            let t = token.to_ascii_lowercase();
            t.starts_with("tab-pane")
                || t.starts_with("tab-panel")
                || t.starts_with("tabs-panel")
                || t.starts_with("tab-content")
                || t.starts_with("tabcontent")
                || t.starts_with("accordion-content")
                || t.starts_with("accordion-body")
                || t.starts_with("accordion-panel")
                || t == "collapse"
                || t.starts_with("panel-collapse")
                || names_panel(token)
        })
    })
}

/// Words of a class token naming a disclosure widget.
const DISCLOSURE_WORDS: &[&str] = &[
    "accordion",
    "collapse",
    "collapsible",
    "expandable",
    "expander",
    "faq",
    "tab",
    "tabs",
    "toggle",
];

/// Words of a class token naming the part of the widget that opens.
const PANEL_WORDS: &[&str] = &[
    "answer", "body", "content", "contents", "inner", "pane", "panel",
];

/// A class token whose words (split at `-`, `_` and lower-to-upper case
/// changes: BEM and CSS-module names) name a disclosure widget's panel:
/// `c-accordion__panel`, `accordionBody`, `faq__answer`, `tab__content`.
fn names_panel(token: &str) -> bool {
    let (mut widget, mut panel) = (false, false);
    for word in class_words(token) {
        widget |= DISCLOSURE_WORDS
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w));
        panel |= PANEL_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w));
    }
    widget && panel
}

/// The words of a class token: runs of ASCII letters, cut where a
/// lower-case letter is followed by an upper-case one.
pub(super) fn class_words(token: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut prev_lower = false;
    for (i, c) in token.char_indices() {
        if c.is_ascii_alphabetic() {
            match start {
                Some(s) if prev_lower && c.is_ascii_uppercase() => {
                    words.push(&token[s..i]);
                    start = Some(i);
                }
                Some(_) => {}
                None => start = Some(i),
            }
            prev_lower = c.is_ascii_lowercase();
        } else {
            if let Some(s) = start.take() {
                words.push(&token[s..i]);
            }
            prev_lower = false;
        }
    }
    if let Some(s) = start {
        words.push(&token[s..]);
    }
    words
}

/// A dialog: a modal's policy text, a cookie centre, a newsletter pop-up
/// (`role="dialog"` or `"alertdialog"`, `aria-modal="true"`; `<dialog>`
/// elements are invisible to the walk already). Pages ship them closed or
/// over their content; they are not the content.
pub fn is_dialog(el: &Element) -> bool {
    matches!(el.attr("role"), Some("dialog" | "alertdialog"))
        || el.attr("aria-modal") == Some("true")
}

/// A button that shows a tab panel or an accordion section: its label
/// is the section's heading (a FAQ's question, "Specifications").
pub fn is_disclosure_button(el: &Element) -> bool {
    el.name() == "button"
        && el.attrs().any(|(name, value)| {
            matches!(name, "aria-expanded" | "aria-controls") || (name == "role" && value == "tab")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_words_split_bem_and_camel_case() {
        assert_eq!(
            class_words("enrollment-accordion__itemContent2x-é-tabPanel"),
            [
                "enrollment",
                "accordion",
                "item",
                "Content",
                "x",
                "tab",
                "Panel"
            ]
        );
        for panel in [
            "c-accordion__panel",
            "accordionBody",
            "faq__answer",
            "tab__content",
        ] {
            assert!(names_panel(panel), "{panel}");
        }
        for other in [
            "tabular",
            "accordion",
            "content",
            "table-body",
            "toggle-button",
        ] {
            assert!(!names_panel(other), "{other}");
        }
    }
}
