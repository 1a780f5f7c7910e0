//! `newscrawl selectors check --live [--site NAME]`: fetches each config's
//! `[[test]]` pages politely and checks their snippets, like FiveFilters'
//! site config tests.

use std::sync::Arc;

use anyhow::{bail, Result};
use url::Url;

use crate::cli::CheckArgs;
use crate::extract::{extract_page, ConfigOutcome, ExtractOptions, PageInput};
use crate::fetch::host::DEFAULT_RATE;
use crate::fetch::{FetchOptions, Fetcher, Page, PoliteClient, Scope};
use crate::selectors::{LiveTest, SiteConfig, SiteRegistry};

use super::super::flags::{check_run_flags, RunFlags};
use super::super::ExitError;
use super::load_sites;

/// Checks every chosen config's live tests; returns the exit status (1
/// when a test failed).
pub fn check_live(args: &CheckArgs) -> Result<i32> {
    let sites = Arc::new(load_sites(args.selectors.as_deref(), false)?);
    for name in &args.site {
        if sites.by_name(name).is_none() {
            bail!("--site {name}: no site config has this name");
        }
    }
    let chosen: Vec<Arc<SiteConfig>> = sites
        .iter()
        .filter(|s| args.site.is_empty() || args.site.contains(&s.name))
        .filter(|s| !s.tests.is_empty())
        .cloned()
        .collect();
    if chosen.is_empty() {
        bail!("no chosen config has [[test]] entries to check");
    }
    let mut pages = PoliteFetcher::new(args, sites.clone())?;
    let (mut passed, mut failed) = (0, 0);
    for site in &chosen {
        for test in &site.tests {
            let verdict = run_test(&mut pages, &sites, site, test);
            let ok = verdict.passed();
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
            verdict.print(&site.name, &test.url, ok);
        }
    }
    println!(
        "summary: {} tests of {} configs: {passed} passed, {failed} failed",
        passed + failed,
        chosen.len()
    );
    Ok(if failed > 0 { 1 } else { 0 })
}

/// The outcome of one live test.
enum Verdict {
    /// The page could not be fetched or extracted.
    Error(String),
    /// The page was extracted.
    Extracted {
        /// The record's `extractor`.
        extractor: String,
        /// Why the config was not used, when it was not.
        not_used: Option<String>,
        /// Each snippet, whether it must be present, and whether the check passed.
        snippets: Vec<(String, bool, bool)>,
    },
}

impl Verdict {
    fn passed(&self) -> bool {
        match self {
            Self::Error(_) => false,
            Self::Extracted {
                not_used, snippets, ..
            } => not_used.is_none() && snippets.iter().all(|(_, _, ok)| *ok),
        }
    }

    fn print(&self, site: &str, url: &Url, ok: bool) {
        let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
        match self {
            Self::Error(e) => println!("{} {site} {url}: {e}", mark(false)),
            Self::Extracted {
                extractor,
                not_used,
                snippets,
            } => {
                println!("{} {site} {url} ({extractor})", mark(ok));
                if let Some(reason) = not_used {
                    println!("  FAIL the config was not used: {reason}");
                }
                for (snippet, wanted, ok) in snippets {
                    let rule = if *wanted { "contains" } else { "not_contains" };
                    println!("  {} {rule} {snippet:?}", mark(*ok));
                }
            }
        }
    }
}

/// Fetches and extracts one test page and checks its snippets.
fn run_test(
    pages: &mut PoliteFetcher,
    sites: &SiteRegistry,
    site: &SiteConfig,
    test: &LiveTest,
) -> Verdict {
    let fetched = match pages.fetch(&test.url) {
        Ok(f) => f,
        Err(e) => return Verdict::Error(format!("{e:#}")),
    };
    let input = PageInput {
        bytes: &fetched.body,
        content_type: fetched.content_type.as_deref(),
        url: Some(fetched.url.clone()),
        fetched_at: Some(fetched.fetched_at),
        local_label: None,
        buffer: None,
    };
    let page = match extract_page(&input, sites, &ExtractOptions::default()) {
        Ok(p) => p,
        Err(e) => return Verdict::Error(e.to_string()),
    };
    let not_used = match (&page.site, &page.outcome) {
        (Some(s), _) if s.name != site.name => {
            Some(format!("the page matched config `{}`", s.name))
        }
        (None, _) => Some("no config matched the page's URL".to_string()),
        // Lost or fell back, whether its rules cleaned the generic body or not.
        (_, Some(outcome @ (ConfigOutcome::Lost(_) | ConfigOutcome::FellBack(_)))) => {
            Some(outcome.to_string())
        }
        _ => None,
    };
    let body = page
        .record
        .body
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let snippets = test
        .contains
        .iter()
        .map(|s| (s.clone(), true, body.contains(s.as_str())))
        .chain(
            test.not_contains
                .iter()
                .map(|s| (s.clone(), false, !body.contains(s.as_str()))),
        )
        .collect();
    Verdict::Extracted {
        extractor: page.record.extractor,
        not_used,
        snippets,
    }
}

/// Fetches test pages with the shared polite client: robots.txt read once
/// per host and obeyed (redirect hops included), requests to a host spaced
/// by one second, its `Crawl-delay` or the site's `rate`, whichever is
/// slowest, the site's extra headers sent.
struct PoliteFetcher {
    runtime: tokio::runtime::Runtime,
    client: PoliteClient,
}

impl PoliteFetcher {
    fn new(args: &CheckArgs, sites: Arc<SiteRegistry>) -> Result<Self> {
        let flags = check_run_flags(&RunFlags {
            timeout: args.timeout,
            user_agent: args.user_agent.as_deref(),
            ..RunFlags::default()
        })
        .map_err(|message| ExitError { code: 2, message })?;
        let fetcher = Fetcher::new(FetchOptions {
            user_agent: flags.user_agent,
            timeout: flags.timeout,
            ..FetchOptions::default()
        })?;
        Ok(Self {
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
            client: PoliteClient::new(fetcher, Scope::any(), DEFAULT_RATE, sites),
        })
    }

    /// GETs `url`, following redirects hop by hop; a non-2xx answer is an error.
    fn fetch(&mut self, url: &Url) -> Result<Page> {
        Ok(self.runtime.block_on(self.client.get_page(url))?)
    }
}
