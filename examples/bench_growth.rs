//! How extraction time and peak memory grow with the page: every hostile
//! page family of `tests/hostile` at doubling sizes.
//!
//! ```text
//! cargo run --release --example bench_growth [-- MAX_MB [FAMILY-SUBSTRING]]
//! ```
//!
//! For each family and size (1/8, 1/4, 1/2 and 1 times MAX_MB, default 8):
//! the best of three extraction times (CPU time of the thread, which a
//! busy machine disturbs far less than wall time), the time ratio to the
//! previous size (2 means linear, 4 quadratic), and the peak of heap bytes
//! allocated during extraction as a multiple of the page size (counted by
//! a global allocator; the page itself is not included).

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use hostile::counting::{peak_during, Counting};

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let max_mb: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(8.0);
    let only = args.get(1).cloned().unwrap_or_default();
    let sites = SiteRegistry::empty();
    let opts = ExtractOptions::default();
    let url: url::Url = "https://example.com/2024/01/01/story".parse().expect("url");
    println!(
        "{:26} {:>8} {:>9} {:>6} {:>8}",
        "family", "MB", "cpu ms", "x prev", "peak/MB"
    );
    for family in hostile::FAMILIES.iter().filter(|f| f.name.contains(&only)) {
        let mut prev: Option<f64> = None;
        for div in [8.0, 4.0, 2.0, 1.0] {
            let size = (max_mb * 1024.0 * 1024.0 / div) as usize;
            let html = (family.build)(size);
            let input = PageInput::new(html.as_bytes()).with_url(url.clone());
            let mut best = f64::MAX;
            let mut peak = 0;
            for _ in 0..3 {
                let start = hostile::thread_cpu_seconds();
                let (out, used) = peak_during(|| extract_page(&input, &sites, &opts));
                best = best.min(hostile::thread_cpu_seconds() - start);
                drop(out);
                peak = used;
            }
            println!(
                "{:26} {:>8.2} {:>9.1} {:>6} {:>8.1}",
                family.name,
                html.len() as f64 / 1048576.0,
                best * 1000.0,
                prev.map_or("-".to_string(), |p| format!("{:.2}", best / p)),
                peak as f64 / html.len() as f64
            );
            prev = Some(best);
        }
    }
}
