//! Peak memory of one extraction is bounded by the page: at most 20 times
//! its size for a multi-megabyte page of any shape. A counting global
//! allocator (this test binary's own) measures the peak of live heap bytes
//! while a 5 MB page of the most node-dense hostile families is extracted
//! (`examples/bench_growth` prints every family's figure); the page itself
//! is allocated before and not counted.

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;

mod hostile;

use hostile::counting::{peak_during, Counting};

#[global_allocator]
static ALLOC: Counting = Counting;

/// The only test of this binary, so no other test allocates meanwhile.
#[test]
fn peak_memory_is_at_most_twenty_times_the_page() {
    const PAGE: usize = 5 * 1024 * 1024;
    // The densest shapes: most DOM nodes per byte, or nodes the tree
    // builder makes without a tag.
    let dense = ["x<br>", "short <p>", "table rows", "formatting re-opened"];
    let sites = SiteRegistry::empty();
    let opts = ExtractOptions::default();
    let url: url::Url = "https://example.com/2024/01/01/story".parse().unwrap();
    let mut report = Vec::new();
    for family in hostile::FAMILIES.iter().filter(|f| dense.contains(&f.name)) {
        let html = (family.build)(PAGE);
        let input = PageInput::new(html.as_bytes()).with_url(url.clone());
        let (out, peak) = peak_during(|| extract_page(&input, &sites, &opts));
        drop(out);
        let ratio = peak as f64 / html.len() as f64;
        report.push(format!("{}: {ratio:.1}", family.name));
        assert!(
            ratio <= 20.0,
            "{}: peak {peak} bytes for a page of {} bytes ({ratio:.1}x)",
            family.name,
            html.len()
        );
    }
    assert_eq!(report.len(), dense.len(), "a family was renamed");
    eprintln!("peak memory / page size: {}", report.join(", "));
}
