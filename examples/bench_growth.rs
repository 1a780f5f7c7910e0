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

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;

#[path = "../tests/hostile/mod.rs"]
mod hostile;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grow(n: usize) {
    let live = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call forwards to the system allocator unchanged; the
// counters are only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as if the old and new blocks coexisted for a moment.
        grow(new_size);
        let p = System.realloc(ptr, layout, new_size);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// CPU seconds used by this thread so far.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

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
                let base = LIVE.load(Ordering::Relaxed);
                PEAK.store(base, Ordering::Relaxed);
                let start = thread_cpu_seconds();
                let out = extract_page(&input, &sites, &opts);
                best = best.min(thread_cpu_seconds() - start);
                drop(out);
                peak = PEAK.load(Ordering::Relaxed) - base;
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
