//! robots.txt cost per URL: the crate's matcher, which re-parses the whole
//! file for every URL (what the crawler did before), against newscrawl's
//! rule set, parsed once per host. The file is synthetic, about 530 KB like
//! the one that cost 6 ms per URL: 20,000 rules in groups for other agents
//! and for `*`, some with wildcards.
//!
//! ```sh
//! cargo run --release --example robots_bench
//! ```

use std::hint::black_box;
use std::time::Instant;

use newscrawl::fetch::robots_rules::RuleSet;
use newscrawl::fetch::ROBOTS_TOKEN;

fn robots_file() -> String {
    let mut f = String::new();
    for agent in ["googlebot", "bingbot", "*"] {
        f.push_str(&format!("User-agent: {agent}\n"));
        for i in 0..4_900 {
            match i % 10 {
                0 => f.push_str(&format!("Disallow: /*/print/{i}/*.pdf$\n")),
                1 => f.push_str(&format!("Allow: /section-{i}/public/\n")),
                _ => f.push_str(&format!("Disallow: /section-{i}/private-area/\n")),
            }
        }
        f.push('\n');
    }
    f.push_str("Sitemap: https://www.example.com/sitemap.xml\n");
    f
}

fn main() {
    let file = robots_file();
    let urls: Vec<String> = (0..2_000)
        .map(|i| {
            format!(
                "https://www.example.com/section-{}/{}/2024/05/01/story-{i}?page=2",
                i * 7 % 5_000,
                if i % 3 == 0 { "private-area" } else { "news" }
            )
        })
        .collect();

    let t = Instant::now();
    let set = RuleSet::parse(&file, ROBOTS_TOKEN);
    let parse = t.elapsed();

    let t = Instant::now();
    let mut allowed_new = 0;
    for u in &urls {
        allowed_new += usize::from(black_box(&set).is_allowed(u));
    }
    let new = t.elapsed() / urls.len() as u32;

    // The old way is slow: time it on a tenth of the URLs.
    let sample = &urls[..urls.len() / 10];
    let t = Instant::now();
    let mut allowed_old = 0;
    for u in sample {
        let mut m = robotstxt::DefaultMatcher::default();
        allowed_old += usize::from(m.one_agent_allowed_by_robots(&file, ROBOTS_TOKEN, u));
    }
    let old = t.elapsed() / sample.len() as u32;
    let same = sample.iter().all(|u| {
        let mut m = robotstxt::DefaultMatcher::default();
        m.one_agent_allowed_by_robots(&file, ROBOTS_TOKEN, u) == set.is_allowed(u)
    });

    println!(
        "robots.txt of {} KB, {} rules binding newscrawl",
        file.len() / 1000,
        set.len()
    );
    println!("parse once per host: {:.2} ms", parse.as_secs_f64() * 1e3);
    println!(
        "per URL, re-parsing (before): {:.1} us ({allowed_old}/{} allowed)",
        old.as_secs_f64() * 1e6,
        sample.len()
    );
    println!(
        "per URL, parsed once (now):   {:.1} us ({allowed_new}/{} allowed)",
        new.as_secs_f64() * 1e6,
        urls.len()
    );
    println!(
        "ratio: {:.0}x fewer time per URL; same answers on the sample: {same}",
        old.as_secs_f64() / new.as_secs_f64().max(1e-9)
    );
}
