//! What an element's attributes say about it: the few attributes the
//! extractor reads (class, id, role) and whether the element is hidden
//! (by tag, by the `hidden`/`aria-hidden` attributes, by a hiding utility
//! class or an inline style).

use scraper::node::Element;

/// Elements whose text never counts (and is never assembled).
pub fn is_invisible(el: &Element) -> bool {
    is_invisible_tag(el.name()) || Attrs::of(el).hidden
}

/// Tags whose text never counts (see [`is_invisible`]).
pub(super) fn is_invisible_tag(name: &str) -> bool {
    // The assembler's non-content elements, except the containers that
    // some sites wrap whole pages in (ASP.NET forms, framesets).
    matches!(name, "option" | "label")
        || (crate::extract::text::is_skipped_element(name)
            && !matches!(name, "form" | "frameset" | "frame"))
}

/// The attributes the extractor reads, found in one pass over the
/// element's attributes (`Element::attr` interns its argument each call).
#[derive(Debug, Default, Clone, Copy)]
pub struct Attrs<'a> {
    /// `class`.
    pub class: Option<&'a str>,
    /// `id`.
    pub id: Option<&'a str>,
    /// `role`.
    pub role: &'a str,
    /// Hidden by `hidden`, `aria-hidden=true` or an inline style.
    pub hidden: bool,
}

impl<'a> Attrs<'a> {
    /// Reads an element's attributes.
    pub fn of(el: &'a Element) -> Self {
        let mut a = Attrs::default();
        for (name, value) in el.attrs() {
            match name {
                "class" => {
                    a.class = Some(value);
                    a.hidden |= value.split_ascii_whitespace().any(is_hiding_class);
                }
                "id" => a.id = Some(value),
                "role" => a.role = value,
                "hidden" => a.hidden = true,
                "aria-hidden" => a.hidden |= value == "true",
                "style" => a.hidden |= style_hides(value),
                _ => {}
            }
        }
        a
    }
}

/// Utility classes that hide an element at every screen size (Bootstrap
/// 3 `hidden`, Bootstrap 4 `d-none`, common `is-hidden`/`hide`). A class
/// list that shows the element again at a breakpoint (`hidden lg:block`,
/// `d-none d-md-block`) still counts as hidden, on purpose: such elements
/// are mostly the desktop twin of a block kept in its mobile form, or
/// desktop-only navigation (reading them as visible lowered wcxb-dev
/// tuning 0.8208 -> 0.8194 and publishers 0.9559 -> 0.9551).
fn is_hiding_class(token: &str) -> bool {
    matches!(
        token,
        "hidden" | "d-none" | "is-hidden" | "hide" | "u-hidden" | "display-none" | "js-hidden"
    )
}

/// True when an inline style hides the element.
fn style_hides(style: &str) -> bool {
    if !style.contains("none") && !style.contains("hidden") {
        return false;
    }
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}
