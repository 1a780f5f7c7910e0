//! Collapsed sections that a disclosure button opens, found by the page's
//! structure rather than by class names: the hidden element a button
//! with `aria-expanded` names in its `aria-controls`, or the hidden
//! element that directly follows such a button (a FAQ's answer after its
//! question, a product's "Description" or "Shipping & Returns" panel
//! under its header). A click shows them, so they are read like tab
//! panels ([`super::region::is_hidden_panel`]).
//!
//! Menus are not content even when a button opens them: elements inside
//! the page's header, navigation or footer, menus, list boxes, dialogs and
//! tooltips, and elements that are not block containers (a `ul` of links,
//! a `span`) are never disclosed panels.

use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use rustc_hash::FxHashSet;
use scraper::node::{Element, Node};

use super::region::is_disclosure_button;
use crate::extract::generic::dom::Attrs;

/// The hidden panels of a page that disclosure buttons open.
#[derive(Debug, Default)]
pub struct Disclosed {
    /// Addresses of the panels' elements in the parsed tree (compared
    /// with `std::ptr::eq`, never dereferenced).
    panels: FxHashSet<usize>,
}

impl Disclosed {
    /// The disclosed panels under `root` (two passes over its subtree; the
    /// second only when the page has a disclosure button).
    pub fn find(root: NodeRef<'_, Node>) -> Self {
        let mut controlled: FxHashSet<&str> = FxHashSet::default();
        let mut any_button = false;
        for node in root.descendants() {
            let Some(el) = node.value().as_element() else {
                continue;
            };
            if is_disclosure_control(el) {
                any_button = true;
                if let Some(ids) = el.attr("aria-controls") {
                    controlled.extend(ids.split_ascii_whitespace());
                }
            }
        }
        let mut panels = FxHashSet::default();
        if !any_button {
            return Self { panels };
        }
        // Depth inside the page's header, navigation and footer.
        let mut chrome = 0usize;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    let Some(el) = node.value().as_element() else {
                        continue;
                    };
                    if is_chrome_landmark(el) {
                        chrome += 1;
                        continue;
                    }
                    if chrome > 0 || !may_be_panel(el) {
                        continue;
                    }
                    let named = el.id().is_some_and(|id| controlled.contains(id));
                    let after_button = node
                        .prev_siblings()
                        .find_map(|n| n.value().as_element())
                        .is_some_and(|prev| prev.name() == "button" && is_disclosure_button(prev));
                    if named || after_button {
                        panels.insert(el as *const Element as usize);
                    }
                }
                Edge::Close(node) => {
                    if node.value().as_element().is_some_and(is_chrome_landmark) {
                        chrome -= 1;
                    }
                }
            }
        }
        Self { panels }
    }

    /// Whether `el` is one of the panels.
    pub fn contains(&self, el: &Element) -> bool {
        !self.panels.is_empty() && self.panels.contains(&(el as *const Element as usize))
    }
}

/// A button (or an element with the button or tab role) that shows or
/// hides a section: it says whether the section is expanded, or is a tab.
fn is_disclosure_control(el: &Element) -> bool {
    let role = el.attr("role");
    (el.name() == "button" || matches!(role, Some("button" | "tab")))
        && (el.attr("aria-expanded").is_some() || role == Some("tab"))
}

/// The page's header, navigation or footer: the menus their buttons open
/// are not content.
fn is_chrome_landmark(el: &Element) -> bool {
    matches!(el.name(), "header" | "nav" | "footer")
        || matches!(
            el.attr("role"),
            Some("banner" | "navigation" | "contentinfo")
        )
}

/// A hidden block container that is not a menu, a list box, a dialog or
/// a tooltip.
fn may_be_panel(el: &Element) -> bool {
    matches!(el.name(), "div" | "section" | "article" | "dd" | "dl")
        && !matches!(
            el.attr("role"),
            Some("menu" | "listbox" | "dialog" | "alertdialog" | "tooltip" | "navigation")
        )
        && Attrs::of(el).hidden
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_document;

    /// The text of the panels found in `html`'s body, in document order.
    fn panels(html: &str) -> Vec<String> {
        let doc = parse_document(html);
        let body = *crate::extract::generic::body_element(&doc);
        let found = Disclosed::find(body);
        body.descendants()
            .filter_map(scraper::ElementRef::wrap)
            .filter(|e| found.contains(e.value()))
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    #[test]
    fn a_hidden_section_after_its_button_or_named_by_it_is_a_panel() {
        let html = "<body><main>\
            <button aria-expanded=false>Description</button>\
            <div class=collapse-x style='display:none'><p>Oak and linen.</p></div>\
            <button aria-expanded=false aria-controls=ship>Shipping</button><p>Between</p>\
            <div id=ship hidden><p>Ships in two days.</p></div>\
            <div style='display:none'><p>Cart drawer</p></div>\
            </main></body>";
        assert_eq!(panels(html), ["Oak and linen.", "Ships in two days."]);
    }

    #[test]
    fn menus_and_shown_blocks_are_not_panels() {
        let html = "<body><header><button aria-expanded=false aria-controls=m>Menu</button>\
            <div id=m hidden><p>Shop</p></div></header>\
            <main><button aria-expanded=false aria-controls=list>Sizes</button>\
            <ul id=list hidden><li>Small</li></ul>\
            <button aria-expanded=true>Open</button><div><p>Shown already.</p></div>\
            <button aria-expanded=false>Choose</button><div role=menu hidden><p>One</p></div>\
            <a aria-expanded=false>Link toggle</a><div hidden><p>Not a button's.</p></div>\
            </main></body>";
        assert_eq!(panels(html), Vec::<String>::new());
    }
}
