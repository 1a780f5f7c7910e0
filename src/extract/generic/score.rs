//! Candidate scoring (readability-style) and the choice of the content
//! roots: the best container, promoted to a common ancestor when the best
//! candidates share one, plus sibling containers that continue the article.

use super::dom::{Elem, Page, NONE};

/// Minimum own text for a block to count as a paragraph.
const MIN_PARAGRAPH_CHARS: u32 = 25;

/// Minimum own text for a table cell to count as a paragraph (layout
/// tables of old pages hold whole articles in cells).
const MIN_CELL_PARAGRAPH_CHARS: u32 = 80;

/// Scores every element by the paragraphs it holds: each paragraph-like
/// block adds to its parent fully, its grandparent by half and its
/// great-grandparent by a third.
pub fn score(page: &mut Page<'_>) {
    for i in 0..page.elems.len() {
        let e = &page.elems[i];
        if e.pruned || e.block != i as u32 || e.own_chars < MIN_PARAGRAPH_CHARS {
            continue;
        }
        if matches!(
            e.name(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "dt" | "dd" | "th"
        ) {
            continue;
        }
        // A short table cell is data (a name, an address, a figure), not a
        // paragraph: a long table must not outscore the article around it.
        if e.name() == "td" && e.own_chars < MIN_CELL_PARAGRAPH_CHARS {
            continue;
        }
        let own_ld = e.own_link as f32 / e.own_chars as f32;
        if own_ld > 0.5 {
            continue;
        }
        let s = (1.0 + e.own_punct.min(30) as f32 + (e.own_chars as f32 / 100.0).min(3.0))
            * (1.0 - own_ld);
        let mut p = if is_text_container(e.name()) {
            i as u32
        } else {
            e.parent
        };
        for level in 0..3 {
            if p == NONE {
                break;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                _ => 3.0,
            };
            page.elems[p as usize].score += s / div;
            p = page.elems[p as usize].parent;
        }
    }
}

/// Blocks that hold paragraphs as direct text (old-style pages with `<br>`).
fn is_text_container(name: &str) -> bool {
    matches!(name, "div" | "td" | "section" | "article" | "main" | "body")
}

/// The final score of a candidate: paragraphs, tag and class hints, link
/// density.
fn final_score(page: &Page<'_>, i: usize) -> f32 {
    let e = &page.elems[i];
    let tag_bonus = match e.name() {
        "article" | "main" => 10.0,
        "div" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "ol" | "ul" | "dl" | "li" | "form" | "address" => -3.0,
        "body" | "html" => -5.0,
        _ => 0.0,
    };
    let list = if matches!(e.name(), "ol" | "ul" | "dl" | "li") {
        0.3
    } else {
        1.0
    };
    (e.score + tag_bonus + e.weight as f32 * 0.5) * (1.0 - e.link_density()) * list
}

/// The content roots, in document order.
pub fn choose_roots(page: &Page<'_>) -> Vec<u32> {
    let mut ranked: Vec<(u32, f32)> = page
        .elems
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.pruned && e.score > 0.0)
        .map(|(i, _)| (i as u32, final_score(page, i)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let Some(&(mut top, top_score)) = ranked.first() else {
        return Vec::new();
    };
    // Promote to an ancestor that holds three or more strong candidates
    // (an article split into several blocks).
    let strong: Vec<u32> = ranked
        .iter()
        .skip(1)
        .take(5)
        .filter(|(_, s)| *s >= 0.75 * top_score)
        .map(|(i, _)| *i)
        .collect();
    if strong.len() >= 2 {
        let mut a = page.elems[top as usize].parent;
        while a != NONE && page.elems[a as usize].name() != "body" {
            let e = &page.elems[a as usize];
            let inside = strong.iter().filter(|&&s| s > a && s < e.end).count();
            if inside >= 2 && e.link_density() < 0.4 {
                top = a;
                break;
            }
            a = e.parent;
        }
    }
    // Climb to an ancestor that holds clearly more of the page's prose
    // (an article split into blocks by ads or embeds), as long as the
    // ancestor is mostly prose and few links.
    let mut a = page.elems[top as usize].parent;
    let mut steps = 0;
    while a != NONE && steps < 6 {
        let e = &page.elems[a as usize];
        if matches!(e.name(), "body" | "html") {
            break;
        }
        let t = &page.elems[top as usize];
        let more = e.para_chars as f32 >= t.para_chars as f32 * 1.25 && e.paras > t.paras;
        let prose = e.para_chars as f32 >= e.chars as f32 * 0.6 && e.link_density() < 0.25;
        if more && prose {
            top = a;
        }
        a = e.parent;
        steps += 1;
    }
    let mut roots = siblings(page, top, top_score);
    roots.extend(repeated_sections(page, top));
    roots.sort_unstable();
    if let Some(&first) = roots.first() {
        let mut lead = leads_before(page, first);
        lead.append(&mut roots);
        roots = lead;
    }
    roots
}

/// Lead paragraphs (standfirst, abstract) of the article that holds
/// `first`, placed before it but outside it (in the article header): the
/// article is the nearest ancestor holding the headline (`h1`) or an
/// `article`/`main` element; its lead-hinted blocks, and paragraphs of
/// prose after the headline, are kept.
fn leads_before(page: &Page<'_>, first: u32) -> Vec<u32> {
    let mut a = page.elems[first as usize].parent;
    let mut unit = NONE;
    let mut h1 = NONE;
    for _ in 0..10 {
        if a == NONE || matches!(page.elems[a as usize].name(), "body" | "html") {
            break;
        }
        h1 = (a + 1..first)
            .find(|&i| page.elems[i as usize].name() == "h1" && in_header(page, i))
            .unwrap_or(NONE);
        if h1 != NONE || matches!(page.elems[a as usize].name(), "article" | "main") {
            unit = a;
            break;
        }
        a = page.elems[a as usize].parent;
    }
    if unit == NONE {
        return Vec::new();
    }
    let mut out: Vec<u32> = Vec::new();
    let mut i = unit + 1;
    while i < first {
        let e = &page.elems[i as usize];
        if e.pruned && !(e.chrome && e.name() == "header") && !in_header(page, i) {
            i = e.end;
            continue;
        }
        if e.end > first || e.name() == "header" {
            // An ancestor of `first`: look inside it.
            i += 1;
            continue;
        }
        let is_lead = e
            .element()
            .is_some_and(|el| crate::vocabulary::is_lead_element(el.attr("class"), el.attr("id")));
        let prose_after_headline = h1 != NONE
            && i > h1
            && (e.name() == "p" || (e.block == i && matches!(e.name(), "h2" | "div")))
            && e.own_chars >= 80
            && e.own_link * 5 < e.own_chars;
        if (is_lead && e.chars >= 30 && e.link_density() < 0.3 && e.name() != "h1")
            || prose_after_headline
        {
            out.push(i);
            i = e.end;
            continue;
        }
        i += 1;
    }
    out
}
/// Visible, or pruned only as a page `header` (the article's headline and
/// standfirst often sit in one outside the article element).
fn in_header(page: &Page<'_>, i: u32) -> bool {
    let mut a = i;
    for _ in 0..8 {
        let e = &page.elems[a as usize];
        if !e.pruned {
            return true;
        }
        if e.chrome {
            return e.name() == "header";
        }
        a = e.parent;
        if a == NONE {
            return false;
        }
    }
    false
}

/// The top candidate with the siblings that continue it.
fn siblings(page: &Page<'_>, top: u32, top_score: f32) -> Vec<u32> {
    let parent = page.elems[top as usize].parent;
    if parent == NONE {
        return vec![top];
    }
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = page.elems[top as usize]
        .element()
        .and_then(|e| e.attr("class"));
    let mut roots = Vec::new();
    let mut i = parent + 1;
    let end = page.elems[parent as usize].end;
    while i < end {
        let e = &page.elems[i as usize];
        let next = e.end;
        if i == top {
            roots.push(i);
        } else if !e.pruned && e.chars > 0 {
            let mut s = final_score(page, i as usize);
            if top_class.is_some() && e.element().and_then(|x| x.attr("class")) == top_class {
                s += top_score * 0.2;
            }
            let ld = e.link_density();
            let paragraph = e.block == i && e.name() == "p";
            let keep = s >= threshold && ld < 0.3
                || paragraph && e.own_chars > 80 && ld < 0.25
                || paragraph && e.own_chars > 0 && ld == 0.0 && e.own_punct > 0 && e.own_chars > 40
                || is_prose_block(e)
                || is_data_table(e);
            if keep {
                roots.push(i);
            }
        }
        i = next;
    }
    roots
}

/// Wrapper levels [`repeated_sections`] climbs from the top candidate
/// (utility-class layouts nest the prose seven or eight levels under the
/// section that repeats).
const MAX_SECTION_CLIMB: usize = 8;

/// Wrapper levels above which [`repeated_sections`] wants two like-made
/// sections or more.
const NEAR_SECTION_CLIMB: usize = 4;

/// The other sections of an article laid out as a run of like-made
/// wrappers (`<div class="section">` after `<div class="section">`, each
/// nesting the prose a few levels down): climbing from `top` through
/// wrappers that hold little else, the siblings of each wrapper that are
/// made like it (same tag and class, ignoring tokens with digits) and hold
/// prose.
fn repeated_sections(page: &Page<'_>, top: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut a = top;
    for level in 0..MAX_SECTION_CLIMB {
        let e = &page.elems[a as usize];
        let parent = e.parent;
        if parent == NONE
            || matches!(page.elems[parent as usize].name(), "body" | "html") && a == top
        {
            break;
        }
        let sig = class_signature(e);
        let mut i = parent + 1;
        let end = page.elems[parent as usize].end;
        while i < end {
            let s = &page.elems[i as usize];
            if i != a
                && !s.pruned
                && (i > top || s.end <= top)
                && s.name() == e.name()
                && class_signature(s) == sig
                && is_prose_block(s)
            {
                out.push(i);
            }
            i = s.end;
        }
        // Far above the prose, one like-made box (a donation or
        // subscription box in the next grid column) is no run of sections.
        if level >= NEAR_SECTION_CLIMB && out.len() < 2 {
            out.clear();
        }
        if !out.is_empty() {
            break;
        }
        // Go up only through a wrapper whose prose is all `a`'s.
        let p = &page.elems[parent as usize];
        if matches!(p.name(), "body" | "html") || (e.para_chars as f32) < p.para_chars as f32 * 0.9
        {
            break;
        }
        a = parent;
    }
    out
}

/// An element's tag-independent make: its class tokens without those
/// holding digits (per-instance ids like `elementor-element-2e31483b`),
/// sorted.
fn class_signature<'a>(e: &'a Elem<'_>) -> Vec<&'a str> {
    let mut tokens: Vec<&str> = e
        .element()
        .and_then(|x| x.attr("class"))
        .unwrap_or("")
        .split_ascii_whitespace()
        .filter(|t| !t.contains(|c: char| c.is_ascii_digit()))
        .collect();
    tokens.sort_unstable();
    tokens
}

/// A container of the article's prose (the first half of an article split
/// across two sibling containers): two paragraphs or more that make most
/// of its text, with few links.
fn is_prose_block(e: &Elem<'_>) -> bool {
    e.paras >= 2
        && e.para_chars >= 200
        && e.para_chars as f32 >= e.chars as f32 * 0.7
        && e.link_density() < 0.15
}

/// A table of data beside the prose (a list of films, a price list):
/// several rows of text, not mostly links.
fn is_data_table(e: &Elem<'_>) -> bool {
    e.name() == "table" && e.chars >= 200 && e.link_density() < 0.5
}

#[cfg(test)]
mod tests {
    use super::super::extract_paragraphs;
    use crate::parse::parse_document;

    #[test]
    fn a_long_data_table_does_not_outscore_the_article() {
        let para = "<p>The campaign asks every member to write to the minister, and the letter has been signed by many.</p>";
        let rows: String = (0..300)
            .map(|i| format!("<tr><td>Town {i}</td><td>Member Name {i}</td><td>member.{i}.mp@parliament.example</td></tr>"))
            .collect();
        let html = format!(
            "<body><div class=article>{}<table><tbody>{rows}</tbody></table>{}</div></body>",
            para.repeat(4),
            para.repeat(2)
        );
        let doc = parse_document(&html);
        let texts: Vec<String> = extract_paragraphs(&doc)
            .into_iter()
            .map(|p| p.text)
            .collect();
        let prose = texts
            .iter()
            .filter(|t| t.starts_with("The campaign"))
            .count();
        assert_eq!(prose, 6, "{texts:?}");
    }

    fn texts(html: &str) -> Vec<String> {
        extract_paragraphs(&parse_document(html))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    const PARA: &str = "<p>The harbour master said the new quay would open in spring, once the last inspections are done, and ferries would move there.</p>";

    #[test]
    fn an_article_split_across_sibling_containers_is_kept_whole() {
        let html = format!(
            "<body><div class=wrap><h1>Quay</h1>\
             <div><p>First part: the quay took six years to build, and it cost twice the estimate.</p>{}</div>\
             <div class='entry-content story-body'>{}</div>\
             <ul class=links><li><a href=/a>Other news</a></li><li><a href=/b>More news</a></li></ul></div></body>",
            PARA.repeat(2),
            PARA.repeat(20)
        );
        let got = texts(&html);
        assert!(got[0].starts_with("First part"), "{got:?}");
        assert_eq!(got.len(), 23, "{got:?}");
    }

    #[test]
    fn an_article_in_a_run_of_like_made_sections_is_kept_whole() {
        let section = |n: usize| {
            format!(
                "<div class='band text-section'><div class=container><div class=row><div class='col-8 offset-1'>\
                 <h2>Part {n}</h2>{}</div></div></div></div>",
                PARA.repeat(2 + n)
            )
        };
        let html = format!(
            "<body><nav><a href=/>Home</a></nav>{}{}{}\
             <div class=teasers><div class=card><a href=/x>Another story with a long teaser title here</a></div></div></body>",
            section(1),
            section(6),
            section(2)
        );
        let got = texts(&html);
        assert_eq!(
            got.iter().filter(|t| t.starts_with("Part")).count(),
            3,
            "{got:?}"
        );
        assert_eq!(got.len(), 3 + 3 + 8 + 4, "{got:?}");
    }

    /// A section of `n` + 2 paragraphs under a heading, nested seven
    /// wrappers deep in a `<section class=...>`.
    fn deep_section(class: &str, heading: &str, n: usize) -> String {
        format!(
            "<section class='{class}'><div class=a><div class=b><div class=c><div class=d>\
             <div class=e><div class=f><h2>{heading}</h2>{}</div></div></div></div></div></div></section>",
            PARA.repeat(2 + n)
        )
    }

    #[test]
    fn like_made_sections_far_above_the_prose_are_kept() {
        let html = format!(
            "<body><nav><a href=/>Home</a></nav><main>{}{}{}</main></body>",
            deep_section("band", "Part 1", 1),
            deep_section("band", "Part 6", 6),
            deep_section("band", "Part 2", 2),
        );
        let got = texts(&html);
        assert_eq!(
            got.iter().filter(|t| t.starts_with("Part")).count(),
            3,
            "{got:?}"
        );
        assert_eq!(got.len(), 3 + 3 + 8 + 4, "{got:?}");
    }

    #[test]
    fn one_like_made_box_far_above_the_prose_is_no_section_of_it() {
        // A lone box made like the article's wrapper (a donation or
        // subscription box in the next grid column) is no run of sections.
        let html = format!(
            "<body><main>{}{}</main></body>",
            deep_section("band", "Part 8", 8),
            deep_section("band", "Tomorrow on the coast", 2),
        );
        let got = texts(&html);
        assert!(!got.iter().any(|t| t.starts_with("Tomorrow")), "{got:?}");
        assert_eq!(got.len(), 11, "{got:?}");
    }

    #[test]
    fn a_table_beside_the_prose_is_kept() {
        let rows: String = (1..=20)
            .map(|i| format!("<tr><td>{i}</td><td>Film number {i}</td><td>19{i:02}</td></tr>"))
            .collect();
        let html = format!(
            "<body><div class=page><div class=entry>{}</div><table>{rows}</table></div>\
             <nav><a href=/>Home</a></nav></body>",
            PARA.repeat(3)
        );
        let got = texts(&html);
        assert!(got.iter().any(|t| t == "Film number 12"), "{got:?}");
    }

    #[test]
    fn a_page_wrapper_with_a_chrome_word_around_main_is_not_chrome() {
        // `gate-ad` holds the chrome word "ad", but the wrapper holds the
        // page's `<main>` (and, beside it, link lists that make it mostly
        // links): its article is kept, its aside still goes.
        let topics: String = (0..12)
            .map(|i| {
                format!(
                    "<li><a href=/t/{i}>Topic page number {i} with a long linked title</a></li>"
                )
            })
            .collect();
        let html = format!(
            "<body><header><a href=/>Home</a></header><div class='l-wrapper gate-ad'>\
             <div class=l-main><main><h1>Quay</h1><div class=body>{}</div></main><ul class=topics>{topics}</ul></div>\
             <aside><p>Most read: the harbour festival, a long list of other stories this week.</p></aside></div></body>",
            PARA.repeat(3)
        );
        let got = texts(&html);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(
            got.iter().all(|t| t.starts_with("The harbour master")),
            "{got:?}"
        );
    }

    #[test]
    fn a_live_news_box_inside_the_article_goes() {
        let html = format!(
            "<body><article>{}<div class=live-news-box><h3>Live</h3><p>Storm warning for the coast: ferries cancelled this afternoon, the agency said in a statement.</p></div>{}</article></body>",
            PARA.repeat(2),
            PARA
        );
        let got = texts(&html);
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn a_factbox_of_other_text_inside_the_article_goes() {
        // A fact box holds a document beside the story (a transcript, a
        // list of measures), prose though it is.
        let factbox = "<p>The full text of the speech follows here, read out in the chamber before both houses and all the guests.</p>";
        let html = format!(
            "<body><article>{}<div class=metro-factbox><h2>Full transcript</h2><div class=metro-factbox-content>{}</div></div>{}</article></body>",
            PARA.repeat(3),
            factbox.repeat(4),
            PARA
        );
        let got = texts(&html);
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(!got.iter().any(|t| t.contains("speech")), "{got:?}");
    }
}
