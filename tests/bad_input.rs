//! Hostile and broken pages: no panic, no stack overflow, time linear in
//! the page, and either a best-effort record or a failed input, never
//! garbage presented as an article. (Peak memory: `tests/peak_memory.rs`.)

use newscrawl::extract::{extract_page, ExtractError, ExtractOptions, ExtractedPage, PageInput};
use newscrawl::selectors::SiteRegistry;

mod hostile;

fn run(bytes: &[u8]) -> Result<ExtractedPage, ExtractError> {
    let sites = SiteRegistry::empty();
    let input =
        PageInput::new(bytes).with_url("https://example.com/2024/01/01/story".parse().unwrap());
    extract_page(&input, &sites, &ExtractOptions::default())
}

const PARA: &str = "<p>The council voted on Tuesday to extend the tram line, a decision that follows years of debate, two consultations and a long campaign by residents.</p>";

#[test]
fn ten_mib_page_gives_its_whole_body() {
    let mut html = String::from("<html><head><title>Big</title></head><body><article>");
    while html.len() < 10 * 1024 * 1024 - 200 {
        html.push_str(PARA);
        html.push_str("<div class=ad><a href=/x>Advert</a></div>");
    }
    html.push_str("</article></body></html>");
    let out = run(html.as_bytes());
    let page = out.expect("a record");
    assert!(page.record.body.len() > 5_000_000);
    assert!(!page.record.body.contains("Advert"));
}

/// The least CPU time of three extractions of `html`.
fn best_of_three(html: &str) -> f64 {
    (0..3)
        .map(|_| {
            let start = hostile::thread_cpu_seconds();
            let _ = run(html.as_bytes());
            hostile::thread_cpu_seconds() - start
        })
        .fold(f64::MAX, f64::min)
}

/// Four times the input must cost about four times the time, never the
/// sixteen times of a quadratic step: every hostile family is extracted at
/// 64 KB and 256 KB (best of three, after a warm-up run; thread CPU time)
/// and the ratio must stay under 8. Two threads share the families.
#[test]
fn extraction_time_grows_linearly_with_the_page() {
    const SMALL: usize = 64 * 1024;
    let ratio_of = |family: &hostile::Family| {
        let small = (family.build)(SMALL);
        let large = (family.build)(4 * SMALL);
        let _ = run(small.as_bytes());
        best_of_three(&large) / best_of_three(&small).max(1e-6)
    };
    let (even, odd): (Vec<_>, Vec<_>) = hostile::FAMILIES
        .iter()
        .enumerate()
        .partition(|(i, _)| i % 2 == 0);
    let ratios: Vec<(&str, f64)> = std::thread::scope(|s| {
        let workers: Vec<_> = [even, odd]
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    part.into_iter()
                        .map(|(_, f)| (f.name, ratio_of(f)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("worker"))
            .collect()
    });
    eprintln!("time ratios for 4x input: {ratios:.1?}");
    assert_eq!(ratios.len(), hostile::FAMILIES.len());
    for (name, ratio) in ratios {
        assert!(
            ratio < 8.0,
            "{name}: 4x the input took {ratio:.1}x the time"
        );
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let n = 100_000;
    let html = format!(
        "<html><body>{}{PARA}{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    // (Its time: the growth test's "deep nesting" shape.)
    let out = run(html.as_bytes());
    let page = out.expect("a record");
    assert!(page.record.body.contains("tram line"));
    // Nested inline elements and unclosed tags too.
    let html = format!(
        "<body>{}deep text{}",
        "<span><b>".repeat(n / 2),
        "<p><table><tr><td>".repeat(1000)
    );
    let _ = run(html.as_bytes());
}

#[test]
fn no_body_element() {
    let html = format!("<html><head><title>T</title></head>{PARA}{PARA}</html>");
    let out = run(html.as_bytes());
    assert!(out.expect("a record").record.body.contains("tram line"));
    // No text at all: never a record (the page may still be followed for links).
    let out = run(b"<title>only a title</title>");
    let page = out.expect("a page without text still gives its metadata");
    assert!(!page.has_text());
    assert_eq!(page.record.title.as_deref(), Some("only a title"));
}

#[test]
fn frameset_gives_no_article() {
    let html = b"<html><head><title>Frames</title></head><frameset cols='50%,50%'><frame src=a.html><frame src=b.html></frameset></html>";
    let out = run(html);
    let page = out.expect("a frameset is HTML");
    assert!(!page.is_article(), "{:?}", page.record.body);
    assert!(!page.has_text(), "{:?}", page.record.body);
}

#[test]
fn plain_text_disguised_as_html() {
    let text = "Dear all,\n\nthis is a plain text file served as text/html. It has no markup at all, only words.\n".repeat(50);
    let out = run(text.as_bytes());
    assert_eq!(out.err(), Some(ExtractError::NotHtml));
    let out = run(&[0u8, 1, 2, 3, 0, 0, 0xff, 0xfe, 7, 8].repeat(100));
    assert_eq!(out.err(), Some(ExtractError::Binary));
}

#[test]
fn all_links_page_is_not_an_article() {
    let mut html = String::from("<html><head><title>Index</title></head><body><ul>");
    for i in 0..500 {
        html.push_str(&format!("<li><a href=/story/{i}>Story number {i} about something that happened today in the city</a></li>"));
    }
    html.push_str("</ul></body></html>");
    let out = run(html.as_bytes());
    let page = out.expect("a list of links is HTML");
    assert!(!page.is_article());
}

#[test]
fn utf16_without_bom_declared_by_the_header_is_html_not_binary() {
    let html = format!("<html><head><title>Köln</title></head><body>{PARA}{PARA}</body></html>");
    let le: Vec<u8> = html.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let sites = SiteRegistry::empty();
    let mut input = PageInput::new(&le);
    input.content_type = Some("text/html; charset=utf-16le");
    let page = extract_page(&input, &sites, &ExtractOptions::default()).expect("a UTF-16 page");
    assert_eq!(page.record.title.as_deref(), Some("Köln"));
    assert!(page.record.body.contains("tram line"));
    // Without the declaration the same bytes are binary.
    let out = run(&le);
    assert_eq!(out.err(), Some(ExtractError::Binary));
}

#[test]
fn binary_means_more_than_one_control_byte_in_a_hundred_of_the_head() {
    // The head is the first 4096 bytes: 40 control bytes there are text
    // (40 * 100 <= 4096), 41 are binary; \n, \r, \t and \x0c are no
    // control bytes, and those after the head do not count.
    let page = |controls: usize| {
        let mut bytes = b"<html><body><p>".to_vec();
        let marks = [0u8, 0x01, 0x0b, 0x1f, b'\n', b'\r', b'\t', 0x0c];
        let mut placed = 0;
        let mut i = 0;
        while bytes.len() < 4096 {
            if i % 97 == 0 && placed < controls {
                bytes.push(marks[placed % 4]);
                placed += 1;
            } else if i % 13 == 0 {
                bytes.push(marks[4 + i % 4]);
            } else {
                bytes.push(b'a' + (i % 26) as u8);
            }
            i += 1;
        }
        assert_eq!(placed, controls);
        bytes.extend(std::iter::repeat_n(0u8, 500));
        bytes
    };
    assert_ne!(run(&page(40)).err(), Some(ExtractError::Binary));
    assert_eq!(run(&page(41)).err(), Some(ExtractError::Binary));
}
