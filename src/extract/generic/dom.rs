//! A flat, pre-order view of the page's elements with text statistics,
//! built in one walk of the DOM.
//!
//! Every element gets its subtree range (`index..end`), its parent, and
//! counts of visible text, linked text and punctuation, both for its whole
//! (kept) subtree and for the text whose nearest block is the element itself
//! ("own" text: a paragraph's words). Chrome (navigation, share bars,
//! comments, ...) is flagged on the way down; its text does not count for
//! its ancestors, unless it turns out to hold most of the page's prose (a
//! page wrapped in `<form>` or in a `class="page-banner"` div).

use ego_tree::NodeRef;
use markup5ever::local_name;
use rustc_hash::FxHashMap;
use scraper::node::{Element, Node};

pub use super::attrs::{is_invisible, Attrs};
use super::attrs::{is_invisible_tag, names_call_to_action};
use crate::extract::node_facts::NodeFacts;
use crate::extract::text::is_block_element;
use crate::vocabulary::{ChromeHint, HintCounts};

/// No parent (the walk's root).
pub const NONE: u32 = u32::MAX;

/// One element of the page.
#[derive(Debug, Clone)]
pub struct Elem<'a> {
    /// The DOM node.
    pub node: NodeRef<'a, Node>,
    /// Parent index, or [`NONE`].
    pub parent: u32,
    /// One past the last descendant (pre-order).
    pub end: u32,
    /// Nearest block element, itself included.
    pub block: u32,
    /// Flagged as chrome by tag or class/id.
    pub chrome: bool,
    /// Flagged by a weak class/id hint: chrome unless it holds prose.
    pub weak: bool,
    /// Left out of the text (chrome not overridden, or inside such).
    pub pruned: bool,
    /// Class/id weight (see [`crate::vocabulary::class_hints`]).
    pub weight: i32,
    /// Text characters in the kept subtree (whitespace excluded).
    pub chars: u32,
    /// Of which inside links.
    pub link_chars: u32,
    /// Punctuation marks in the kept subtree.
    pub punct: u32,
    /// Paragraph-like blocks (own text of 60+ characters) in the subtree.
    pub paras: u32,
    /// Characters of those paragraph-like blocks.
    pub para_chars: u32,
    /// Characters whose nearest block is this element.
    pub own_chars: u32,
    /// Of which inside links.
    pub own_link: u32,
    /// Punctuation among them.
    pub own_punct: u32,
    /// The slide numbers of the slide counters ("3/50", "3 of 50") in the
    /// kept subtree, one bit per number below 64.
    pub counters: u64,
    /// Readability-style content score.
    pub score: f32,
}

impl Elem<'_> {
    /// The element's tag name.
    pub fn name(&self) -> &str {
        self.element().map(Element::name).unwrap_or("")
    }

    /// The element data.
    pub fn element(&self) -> Option<&Element> {
        self.node.value().as_element()
    }

    /// A slide gallery: slide counters for [`MIN_GALLERY_SLIDES`] slides or
    /// more, slide 1 among them.
    pub fn is_gallery(&self) -> bool {
        self.counters & 2 != 0 && self.counters.count_ones() >= MIN_GALLERY_SLIDES
    }

    /// Linked share of the subtree's text.
    pub fn link_density(&self) -> f32 {
        if self.chars == 0 {
            1.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

/// Prose (characters in paragraphs) outside chrome above which a page has
/// an article of its own.
const MIN_OWN_PROSE: u32 = 300;

/// Distinct slide numbers, slide 1 among them, that make an element a
/// slide gallery.
const MIN_GALLERY_SLIDES: u32 = 3;

/// Tags that are page chrome unless they hold the page's prose.
fn is_chrome_tag(name: &str, in_article: bool) -> bool {
    match name {
        "nav" | "aside" | "menu" | "figure" | "figcaption" | "fieldset" => true,
        "header" | "footer" => !in_article,
        _ => false,
    }
}

/// Whether the element holds code (a block or an inline span), whose
/// descendants' classes are a syntax highlighter's.
fn is_code_element(name: &str) -> bool {
    matches!(name, "pre" | "code")
}

/// The walked page.
#[derive(Debug)]
pub struct Page<'a> {
    /// Elements in pre-order.
    pub elems: Vec<Elem<'a>>,
    /// All visible characters, chrome included.
    pub total_chars: u32,
}

/// Text node `node`'s characters (whitespace excluded) and punctuation
/// marks: as the page-type walk counted them, else counted here.
fn count_text(node: NodeRef<'_, Node>, text: &str, facts: &NodeFacts) -> (u32, u32) {
    let n = facts
        .text(node.id())
        .unwrap_or_else(|| super::text_count::count(text));
    (n.chars as u32, n.punct as u32)
}

/// Walks `root`'s subtree once and returns its elements with statistics.
pub fn walk(root: NodeRef<'_, Node>) -> Page<'_> {
    walk_showing(root, |_| false)
}

/// [`walk`], with the hidden or non-content elements (buttons) that
/// `shown` accepts walked as if visible (the block model's collapsed FAQ answers and tab panels).
pub fn walk_showing(root: NodeRef<'_, Node>, shown: impl Fn(&Element) -> bool) -> Page<'_> {
    walk_inner(root, shown, &NodeFacts::default(), false)
}

/// [`walk_showing`], with a weak-hinted element inside a weak-hinted one
/// judged with it (by the outer one's prose), not alone: the typed region
/// of service pages and documentation (a feature box's short title and
/// lines kept with its prose).
pub fn walk_showing_weak_whole(
    root: NodeRef<'_, Node>,
    shown: impl Fn(&Element) -> bool,
) -> Page<'_> {
    walk_inner(root, shown, &NodeFacts::default(), true)
}

/// [`walk_showing`], reading the text counts and class slots that the
/// page-type walk recorded in `facts` (see [`NodeFacts`]) instead of
/// counting and looking them up again. The statistics are the same.
pub(crate) fn walk_with_facts<'a>(
    root: NodeRef<'a, Node>,
    shown: impl Fn(&Element) -> bool,
    facts: &NodeFacts,
) -> Page<'a> {
    walk_inner(root, shown, facts, false)
}

/// The walk of [`walk_showing`], [`walk_showing_weak_whole`] and
/// [`walk_with_facts`].
fn walk_inner<'a>(
    root: NodeRef<'a, Node>,
    shown: impl Fn(&Element) -> bool,
    facts: &NodeFacts,
    weak_whole: bool,
) -> Page<'a> {
    let unfit = NodeFacts::default();
    let facts = if facts.fits(root.tree()) {
        facts
    } else {
        &unfit
    };
    // Allocated once: a large page's table would otherwise double past
    // its size (the count is an upper bound: hidden subtrees are skipped).
    // (Growing it instead, without the count, cost more: 14 M more
    // instructions in reallocation over the 181 publishers pages.) The
    // elements of the whole tree are counted, in its node array: a bound
    // still, and a scan of contiguous memory instead of a walk of the
    // subtree's links (25 M instructions less over those pages).
    let capacity = root.tree().values().filter(|n| n.is_element()).count();
    let mut elems: Vec<Elem<'_>> = Vec::with_capacity(capacity);
    let mut stack: Vec<u32> = Vec::with_capacity(64);
    // Innermost chrome element on the stack, and article/main depth.
    let mut chrome_stack: Vec<u32> = Vec::new();
    let mut article_depth = 0usize;
    // Open `article` elements (not `main`): the article itself.
    let mut article_tag_depth = 0usize;
    let mut link_depth = 0usize;
    // Open `pre` and `code` elements: a syntax highlighter's classes
    // inside them ("hljs-comment", Prism's "token comment") name parts of
    // the code, not page chrome, and are no hints.
    let mut code_depth = 0usize;
    let mut total_chars = 0u32;
    // Pages repeat their class lists: read each distinct one once (whether
    // it hides the element, its vocabulary hints, and whether it names a
    // call to action), found by the slot the page-type walk gave it (an
    // array load) or else by its text.
    type ClassRead = (bool, HintCounts, bool);
    let mut slot_reads: Vec<Option<ClassRead>> = vec![None; facts.slots()];
    let mut class_cache: FxHashMap<&str, ClassRead> = FxHashMap::default();
    let mut read_class = |class: &'a str, slot: Option<u32>| {
        let read = || {
            (
                super::attrs::class_hides(class),
                HintCounts::of(class),
                names_call_to_action(class),
            )
        };
        match slot.and_then(|s| slot_reads.get_mut(s as usize)) {
            Some(known) => *known.get_or_insert_with(read),
            None => *class_cache.entry(class).or_insert_with(read),
        }
    };
    // Beside `stack`: whether each open element is an article or main.
    let mut landmark_stack: Vec<bool> = Vec::with_capacity(64);
    // Beside `stack` when `weak_whole`: whether each open element is weak
    // by its hint; and how many open ones are.
    let mut hinted_weak_stack: Vec<bool> = Vec::new();
    let mut hinted_weak_open = 0usize;
    let mut attrs;
    // The cache's entry for the element's class value, set while its
    // attributes are read (when it has one).
    let mut class_read = (false, HintCounts::default(), false);

    let mut node = root;
    'walk: loop {
        let mut descend = false;
        match node.value() {
            Node::Element(el)
                if (!is_invisible_tag(el.name()) && {
                    attrs = Attrs::of_with(el, |c| {
                        class_read = read_class(c, facts.class_slot(node.id()));
                        class_read.0
                    });
                    !attrs.hidden
                }) || (shown(el) && {
                    attrs = Attrs::of_with(el, |c| {
                        class_read = read_class(c, facts.class_slot(node.id()));
                        class_read.0
                    });
                    true
                }) =>
            {
                let idx = elems.len() as u32;
                let parent = stack.last().copied().unwrap_or(NONE);
                let name = el.name();
                let block = if is_block_element(name) || parent == NONE {
                    idx
                } else {
                    elems[parent as usize].block
                };
                let (class, id, role) = (attrs.class, attrs.id, attrs.role);
                let candidate =
                    parent != NONE && !matches!(name, "body" | "html" | "main" | "article");
                // Read with the attributes above (the class value's one
                // look-up in the page's cache serves both).
                let class_counts = class.map(|_| class_read.1).unwrap_or_default();
                let hints = class_counts.hints(id.map(HintCounts::of).unwrap_or_default());
                let in_code = code_depth > 0;
                let hint = if candidate && !in_code {
                    hints.chrome
                } else {
                    ChromeHint::None
                };
                let chrome = candidate
                    && ((is_chrome_tag(name, article_depth > 0)
                        && !(name == "figure" && super::tables::wraps_table(node)))
                        || attrs.modal
                        || attrs.author_item
                        || matches!(
                            role,
                            "navigation"
                                | "banner"
                                | "contentinfo"
                                | "complementary"
                                | "dialog"
                                | "alertdialog"
                                | "alert"
                        )
                        || hint == ChromeHint::Strong);
                // A form is chrome (comment and search forms) unless it wraps
                // the page's prose (ASP.NET pages wrap everything in one).
                // A call-to-action box inside the article ("Book a demo",
                // "Sign up today") is the site's, not the story's. (Weak
                // chrome anywhere, not only in an `article`, lost: wcxb-dev
                // validation 0.8756 -> 0.8749, a service or product page's
                // hero and buy box are its content.)
                let cta = class.is_some() && class_read.2 && article_tag_depth > 0 && !in_code;
                // A weak-hinted element inside an open weak-hinted one is
                // judged with it, as a whole, when `weak_whole` (a service
                // page's `promo-title` with its `promo`'s prose).
                // Measured, not kept (product21): this in every walk (wcxb-dev
                // 0.8858 / 0.8769 tuning / validation, but publishers
                // validation 0.9724 -> 0.9710, generic 0.9371 -> 0.9347); for
                // overlay hints alone (modal, popup, overlay, flyout) and parts
                // named after the whole (`details-modal__label`) on typed
                // products: an IKEA-like details modal kept (tuning product
                // 0.7553 -> 0.7578) and validation products lost (0.6891 ->
                // 0.6684): other shops' references leave modal details out.
                let hinted_weak = candidate && !chrome && hint == ChromeHint::Weak;
                let weak = candidate
                    && !chrome
                    && ((hinted_weak && !(weak_whole && hinted_weak_open > 0))
                        || name == "form"
                        || cta);
                let weight = if name == "a" || in_code {
                    0
                } else {
                    hints.weight
                };
                elems.push(Elem {
                    node,
                    parent,
                    end: idx + 1,
                    block,
                    chrome,
                    weak,
                    pruned: false,
                    weight,
                    chars: 0,
                    link_chars: 0,
                    punct: 0,
                    paras: 0,
                    para_chars: 0,
                    own_chars: 0,
                    own_link: 0,
                    own_punct: 0,
                    counters: 0,
                    score: 0.0,
                });
                stack.push(idx);
                if chrome {
                    chrome_stack.push(idx);
                }
                let landmark = matches!(name, "article" | "main") || role == "main";
                landmark_stack.push(landmark);
                if weak_whole {
                    hinted_weak_stack.push(hinted_weak);
                    hinted_weak_open += usize::from(hinted_weak);
                }
                if landmark {
                    article_depth += 1;
                }
                if name == "article" {
                    article_tag_depth += 1;
                }
                if name == "a" {
                    link_depth += 1;
                }
                if is_code_element(name) {
                    code_depth += 1;
                }
                descend = true;
            }
            Node::Text(t) => {
                if let Some(&parent) = stack.last() {
                    let (chars, punct) = count_text(node, t, facts);
                    if chars > 0 {
                        total_chars += chars;
                        let block = elems[parent as usize].block;
                        let inner_chrome = chrome_stack.last().copied();
                        if inner_chrome.is_none_or(|c| block >= c) {
                            let b = &mut elems[block as usize];
                            b.own_chars += chars;
                            b.own_punct += punct;
                            if link_depth > 0 {
                                b.own_link += chars;
                            }
                        }
                        let p = &mut elems[parent as usize];
                        if let Some(n) = super::slides::slide_number(t) {
                            p.counters |= 1 << n;
                        }
                        p.chars += chars;
                        p.punct += punct;
                        if link_depth > 0 {
                            p.link_chars += chars;
                        }
                    }
                }
            }
            Node::Document => descend = true,
            _ => {}
        }
        if descend {
            if let Some(child) = node.first_child() {
                node = child;
                continue;
            }
        }
        // Close `node` and its ancestors until a next sibling exists.
        loop {
            if let Node::Element(el) = node.value() {
                if stack
                    .last()
                    .is_some_and(|&i| elems[i as usize].node.id() == node.id())
                {
                    let idx = stack.pop().expect("open element");
                    close(&mut elems, idx);
                    if chrome_stack.last() == Some(&idx) {
                        chrome_stack.pop();
                    }
                    if landmark_stack.pop() == Some(true) {
                        article_depth = article_depth.saturating_sub(1);
                    }
                    if weak_whole && hinted_weak_stack.pop() == Some(true) {
                        hinted_weak_open = hinted_weak_open.saturating_sub(1);
                    }
                    // Interned names: one integer comparison each.
                    match el.name.local {
                        local_name!("article") => {
                            article_tag_depth = article_tag_depth.saturating_sub(1)
                        }
                        local_name!("a") => link_depth = link_depth.saturating_sub(1),
                        local_name!("pre") | local_name!("code") => {
                            code_depth = code_depth.saturating_sub(1)
                        }
                        _ => {}
                    }
                }
            }
            if node.id() == root.id() {
                break 'walk;
            }
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(p) => node = p,
                None => break 'walk,
            }
        }
    }
    let mut page = Page { elems, total_chars };
    page.override_chrome();
    page.mark_pruned();
    page
}

/// Finishes element `idx`: subtree end, paragraph count, and its stats
/// added to the parent unless it is chrome.
fn close(elems: &mut [Elem<'_>], idx: u32) {
    let end = elems.len() as u32;
    let e = &mut elems[idx as usize];
    e.end = end;
    if e.own_chars >= 60 && e.own_link * 2 < e.own_chars {
        e.paras += 1;
        e.para_chars += e.own_chars - e.own_link;
    }
    // Weak chrome holding at most one short paragraph (a teaser, a promo
    // box) is chrome; with real prose (an Elementor text widget) it is not.
    if e.weak
        && (e.paras == 0 || (e.paras == 1 && e.para_chars < 200))
        && !super::tables::holds_table(elems, idx)
    {
        elems[idx as usize].chrome = true;
    }
    let e = &mut elems[idx as usize];
    // A slide gallery ("1/50", "2/50", ...): its captions tell other
    // stories, however much prose they hold. (Ratings, "4/5", repeat
    // numbers and rarely count from 1.)
    if e.is_gallery() && e.parent != NONE {
        e.chrome = true;
    }
    if e.chrome || e.parent == NONE {
        return;
    }
    let (chars, link, punct, paras, parent) = (e.chars, e.link_chars, e.punct, e.paras, e.parent);
    let (para_chars, counters) = (e.para_chars, e.counters);
    let p = &mut elems[parent as usize];
    p.counters |= counters;
    p.chars += chars;
    p.link_chars += link;
    p.punct += punct;
    p.paras += paras;
    p.para_chars += para_chars;
}

impl Page<'_> {
    /// Un-flags chrome that holds most of the page's prose, innermost
    /// first, and adds its text to its ancestors.
    fn override_chrome(&mut self) {
        let Some(root_prose) = self.elems.first().map(|e| e.para_chars) else {
            return;
        };
        let wraps_main = self.main_wrappers();
        for i in (0..self.elems.len()).rev() {
            let e = &self.elems[i];
            if !e.chrome || e.name() == "nav" {
                continue;
            }
            // Most of the page's prose: more than all the kept prose beside it.
            let holds_prose = e.para_chars > root_prose && e.paras >= 2 && e.link_density() < 0.35;
            let holds_prose = holds_prose || wraps_main[i];
            // Reader comments outweigh a short article; they stay chrome
            // while the page has prose of its own.
            let comments = || {
                root_prose >= MIN_OWN_PROSE
                    && e.element().is_some_and(|el| {
                        crate::vocabulary::is_comment_element(el.attr("class"), el.attr("id"))
                    })
            };
            // So does a slide gallery's captions.
            let gallery = || root_prose >= MIN_OWN_PROSE && e.is_gallery();
            if !holds_prose || comments() || gallery() {
                continue;
            }
            let (chars, link, punct, paras) = (e.chars, e.link_chars, e.punct, e.paras);
            let para_chars = e.para_chars;
            self.elems[i].chrome = false;
            let mut p = self.elems[i].parent;
            while p != NONE {
                let a = &mut self.elems[p as usize];
                a.chars += chars;
                a.link_chars += link;
                a.punct += punct;
                a.paras += paras;
                a.para_chars += para_chars;
                if a.chrome {
                    break;
                }
                p = a.parent;
            }
        }
    }

    /// The elements flagged chrome by a class/id hint alone that wrap the
    /// page's main landmark (`<main>`, `role=main`): layout wrappers whose
    /// class happens to hold a chrome word (`l-wrapper gate-ad`), not chrome.
    /// (Chrome by tag or role, and a `<main>` inside a dialog, stay.)
    fn main_wrappers(&self) -> Vec<bool> {
        let mut wraps = vec![false; self.elems.len()];
        for e in &self.elems {
            // The role alone, not all of `Attrs::of` (hidden classes and
            // styles): this runs on every element, so names are compared
            // as interned atoms.
            let is_main = e.element().is_some_and(|el| {
                el.name.local == local_name!("main")
                    || el
                        .attrs
                        .iter()
                        .filter(|(n, _)| n.local == local_name!("role"))
                        .last()
                        .is_some_and(|(_, v)| &**v == "main")
            });
            if !is_main {
                continue;
            }
            let mut a = e.parent;
            while a != NONE && !wraps[a as usize] {
                let w = &self.elems[a as usize];
                let Some(el) = w.element() else { break };
                let role = Attrs::of(el).role;
                if is_chrome_tag(el.name(), false) || (!role.is_empty() && role != "main") {
                    break;
                }
                wraps[a as usize] = w.chrome;
                a = w.parent;
            }
        }
        wraps
    }

    /// Marks chrome subtrees as pruned (pre-order: parents first).
    fn mark_pruned(&mut self) {
        for i in 0..self.elems.len() {
            let parent = self.elems[i].parent;
            let inherited = parent != NONE && self.elems[parent as usize].pruned;
            self.elems[i].pruned = inherited || self.elems[i].chrome;
        }
    }
}

#[cfg(test)]
#[path = "dom_tests.rs"]
mod tests;
