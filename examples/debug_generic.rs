//! Why the generic extractor chose what it chose on one page (a .html or
//! .html.gz file): its best-scored candidates, the largest blocks it judged
//! chrome, and the content roots it kept.
use std::io::Read;

use anyhow::Context;

use newscrawl::extract::generic::{body_element, dom, score};

/// The path of an element: its ancestors' tags with their first class.
fn path(page: &dom::Page<'_>, mut i: u32) -> String {
    let mut parts = Vec::new();
    while i != dom::NONE {
        let e = &page.elems[i as usize];
        let cls = e.element().and_then(|x| x.attr("class")).unwrap_or("");
        parts.push(format!(
            "{}.{}",
            e.name(),
            cls.split_whitespace().next().unwrap_or("")
        ));
        i = e.parent;
    }
    parts.reverse();
    parts.join(">")
}

fn main() -> anyhow::Result<()> {
    let file = std::env::args()
        .nth(1)
        .context("usage: debug_generic PAGE.html[.gz]")?;
    let raw = std::fs::read(&file).with_context(|| format!("cannot read {file}"))?;
    let mut html = String::new();
    if file.ends_with(".gz") {
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_string(&mut html)
            .with_context(|| format!("{file}: not gzip-compressed UTF-8 text"))?;
    } else {
        html = String::from_utf8_lossy(&raw).into_owned();
    }
    let doc = newscrawl::parse::parse_document(&html);
    let body = body_element(&doc);
    let mut page = dom::walk(*body);
    score::score(&mut page);
    let mut ranked: Vec<(usize, f32)> = page
        .elems
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.pruned && e.score > 0.0)
        .map(|(i, e)| (i, e.score))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (i, s) in ranked.iter().take(12) {
        let e = &page.elems[*i];
        println!(
            "{i} score {s:.1} chars {} ld {:.2} paras {} para_chars {} {}",
            e.chars,
            e.link_density(),
            e.paras,
            e.para_chars,
            path(&page, *i as u32)
        );
    }
    let mut chrome: Vec<usize> = (0..page.elems.len())
        .filter(|&i| page.elems[i].chrome && page.elems[i].chars > 100)
        .collect();
    chrome.sort_by_key(|&i| std::cmp::Reverse(page.elems[i].chars));
    for i in chrome.into_iter().take(8) {
        let e = &page.elems[i];
        println!(
            "CHROME {i} chars {} ld {:.2} paras {} para_chars {} root_prose {} {}",
            e.chars,
            e.link_density(),
            e.paras,
            e.para_chars,
            page.elems[0].para_chars,
            path(&page, i as u32)
        );
    }
    for r in score::choose_roots(&page) {
        let e = &page.elems[r as usize];
        println!("ROOT {r} chars {} {}", e.chars, path(&page, r));
    }
    Ok(())
}
