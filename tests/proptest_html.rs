//! Random and mutated HTML through the whole pipeline: no panic, bounded
//! time.

use std::time::{Duration, Instant};

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;
use proptest::prelude::*;

const SEED: &str = r#"<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Titolo - Sito</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Titolo","author":{"name":"Mario Rossi"},"articleBody":"Primo paragrafo."}</script>
</head><body><header class="site-header"><nav><a href="/">Home</a></nav></header>
<article><h1>Titolo</h1><p class="byline">Di Mario Rossi</p><p>Primo paragrafo dell'articolo, con alcune parole.</p>
<p><strong>READ</strong> <a href="/x">Un altro articolo</a></p><p>Secondo paragrafo, ancora testo.</p>
<div class="sharedaddy">Condividi: Facebook</div></article><div id="respond"><h3>Lascia un commento</h3><form><textarea></textarea></form></div>
<footer>© Sito</footer></body></html>"#;

const PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<a href=x>",
    "</a>",
    "<table>",
    "<tr><td>",
    "</td>",
    "<br>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<svg>",
    "<math>",
    "<frameset>",
    "<body>",
    "<html>",
    "&amp;",
    "&#x1F600;",
    "\u{0}",
    "<article>",
    "<nav>",
    "<form>",
    "</form>",
    "<li>",
    "<ul>",
    "<h2>",
    "</h2>",
    "<template>",
    "<select><option>",
    "<p class=share>",
    "<div class=comments>",
    "text, words. ",
    "<![CDATA[",
    "<pre>",
    "<style>",
    "<title>",
];

fn check(html: &[u8]) {
    let sites = SiteRegistry::empty();
    let input = PageInput::new(html);
    let start = Instant::now();
    let _ = extract_page(&input, &sites, &ExtractOptions::default());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

proptest! {
    // PROPTEST_CASES=20000 runs it for longer.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        check(&bytes);
    }

    #[test]
    fn random_tag_soup(pieces in proptest::collection::vec(0..PIECES.len(), 0..400)) {
        let html: String = pieces.iter().map(|&i| PIECES[i]).collect();
        check(html.as_bytes());
    }

    #[test]
    fn mutated_article(cuts in proptest::collection::vec((0..SEED.len(), 0..PIECES.len(), 0..3u8), 1..30)) {
        let mut html = SEED.as_bytes().to_vec();
        for (pos, piece, op) in cuts {
            let pos = pos.min(html.len());
            match op {
                0 => { html.splice(pos..pos, PIECES[piece].bytes()); }
                1 => { let end = (pos + 7).min(html.len()); html.drain(pos..end); }
                _ => { let end = (pos + 40).min(html.len()); let copy = html[pos..end].to_vec(); html.splice(pos..pos, copy); }
            }
        }
        check(&html);
    }
}
