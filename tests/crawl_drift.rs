//! Drift across runs, end to end on loopback: a site whose pages match its
//! config in one run and are redesigned before the next (the config's body
//! selector now matches the readers' comments, so the generic body wins on
//! every page). The second run's summary names the site; `selectors health`
//! shows its history from the state.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::*;

const STORIES: u32 = 6;

/// Story `n`'s paragraphs: distinct text per story.
fn story(n: u32) -> String {
    [
        "The council voted on Tuesday to extend tram line {n} to the harbour, a decision that follows years of debate and two public consultations in the districts along the route.",
        "Work on line {n} is expected to start next spring, and the new stops should open to passengers by the end of the following year, the mayor told reporters.",
        "Opponents had argued that the money for line {n} would be better spent on buses, which serve the outer districts where most commuters live and work.",
        "The transport authority will publish the timetable for the works on line {n} in the autumn, after talks with the shop owners along the planned route.",
    ]
    .iter()
    .map(|p| format!("<p>{}</p>", p.replace("{n}", &n.to_string())))
    .collect()
}

/// Readers' comments: long prose, not link-dense, that a length check
/// would accept as a body.
fn comments(n: u32) -> String {
    (0..6)
        .map(|i| {
            format!(
                "<div class=reply><p>Reader {i} on story {n}: I have taken the tram for years and I think the council should have asked the people who live along the harbour first, not the shop owners.</p></div>"
            )
        })
        .collect()
}

/// Story `n` in the old layout (the config's `.story-body` holds the
/// article) or the redesigned one (the article moved to `.article-text`,
/// and `.story-body` now holds the comments).
fn page(n: u32, redesigned: bool) -> String {
    let main = if redesigned {
        format!(
            "<main><h1>Tram line {n}</h1><div class=article-text>{}</div></main>\
             <section class=\"story-body talk\"><h3>Comments</h3>{}</section>",
            story(n),
            comments(n)
        )
    } else {
        format!(
            "<main><h1>Tram line {n}</h1><div class=story-body>{}</div></main>\
             <section class=talk><h3>Comments</h3>{}</section>",
            story(n),
            comments(n)
        )
    };
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Tram line {n}</title>\
         <meta property=\"og:type\" content=\"article\"></head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a></nav>{main}\
         <footer><p>© Harbour News</p></footer></body></html>"
    )
}

/// The first run's stories, or (after the redesign) the next ones.
fn stories(redesigned: bool) -> Vec<String> {
    let first = if redesigned { STORIES + 1 } else { 1 };
    (first..first + STORIES)
        .map(|n| format!("/story/{n}"))
        .collect()
}

fn config_dir(host: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("xx")).unwrap();
    std::fs::write(
        d.path().join("xx/harbour.toml"),
        format!(
            "name = \"harbour\"\nhosts = [\"{host}\"]\nlanguage = \"en\"\nrate = 500.0\n\
             [extract]\nbody = [\".story-body\"]\n"
        ),
    )
    .unwrap();
    d
}

fn health(args: &[&str]) -> std::process::Output {
    let mut c = bin();
    c.args(["selectors", "health"]).args(args);
    output_within_limit(c)
}

/// The site: stories in the old layout until `redesigned` is set, then
/// new stories in the new one.
fn site(redesigned: Arc<AtomicBool>) -> Server {
    Server::start("127.0.0.1", move |hit| {
        let now = redesigned.load(Ordering::SeqCst);
        match hit.path.as_str() {
            "/" => {
                let links = stories(now);
                let links: Vec<&str> = links.iter().map(String::as_str).collect();
                html(listing(&links))
            }
            p => match p.strip_prefix("/story/").and_then(|n| n.parse().ok()) {
                Some(n) => html(page(n, now)),
                None => reply(404, "text/plain", ""),
            },
        }
    })
}

/// Crawls the site before and after its redesign with `--state state`
/// (and `extra` arguments); checks the records; returns the second run's
/// stderr.
fn two_runs(dir: &Path, state: &str, extra: &[&str]) -> String {
    let redesigned = Arc::new(AtomicBool::new(false));
    let s = site(redesigned.clone());
    let conf = config_dir(&s.host());
    let out = dir.join("out.jsonl");
    let seed = s.url("/");
    let mut args = vec![
        "--seed",
        &seed,
        "--out",
        out.to_str().unwrap(),
        "--state",
        state,
        "--selectors",
        conf.path().to_str().unwrap(),
        "--rate",
        "200",
    ];
    args.extend_from_slice(extra);

    let o = crawl(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = records(&out);
    assert_eq!(recs.len(), STORIES as usize, "{}", stderr(&o));
    assert!(
        recs.iter().all(|r| r["extractor"] == "site:harbour"),
        "the config gives every body of the first run: {recs:?}"
    );
    assert!(!stderr(&o).contains("drifting"), "{}", stderr(&o));

    redesigned.store(true, Ordering::SeqCst);
    let o = crawl(dir, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = records(&out);
    assert_eq!(recs.len(), 2 * STORIES as usize, "{}", stderr(&o));
    for r in &recs[STORIES as usize..] {
        assert_eq!(r["extractor"], "generic", "{r}");
        let body = r["body"].as_str().unwrap();
        assert!(
            body.contains("tram line") && !body.contains("Reader 0"),
            "the article, not the comments: {body}"
        );
    }
    stderr(&o)
}

/// What the second run's summary says of the site.
const DRIFTING: &str =
    "  configs drifting from their own history: harbour (lost 6 of 6 pages this run, 0 of 6 before)\n";

/// Checks the `selectors health` table of the state; returns it.
fn check_health_table(state: &str) -> String {
    let h = health(&["--state", state]);
    assert_eq!(h.status.code(), Some(0), "{}", stderr(&h));
    let table = String::from_utf8_lossy(&h.stdout).into_owned();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(lines[0].starts_with("SITE "), "{table}");
    let cells: Vec<&str> = lines[1].split_whitespace().collect();
    // site, runs, pages, lost, fell back
    assert_eq!(&cells[..5], ["harbour", "2", "12", "50%", "0%"], "{table}");
    assert!(lines[1].contains("6/6, median "), "{table}");
    assert!(lines[1].ends_with("losing"), "{table}");
    table
}

#[test]
fn a_redesign_between_runs_is_named_by_the_summary_and_shown_by_health() {
    let (d, _, st) = workdir();
    let st_arg = st.to_str().unwrap();
    let err = two_runs(d.path(), st_arg, &[]);
    assert!(err.contains(DRIFTING), "{err}");
    assert!(err.contains("look broken"), "{err}");

    check_health_table(st_arg);
    let h = health(&["--state", st_arg, "--site", "harbour", "--format", "json"]);
    assert_eq!(h.status.code(), Some(0), "{}", stderr(&h));
    let json: serde_json::Value = serde_json::from_slice(&h.stdout).unwrap();
    let runs: Vec<(u64, u64)> = json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["pages"].as_u64().unwrap(), r["lost"].as_u64().unwrap()))
        .collect();
    assert_eq!(runs, [(6, 0), (6, 6)]);
    assert_eq!(json["drift"], "losing");

    let h = health(&["--state", st_arg, "--site", "elsewhere"]);
    assert_eq!(h.status.code(), Some(0));
    assert!(h.stdout.is_empty());
    assert!(
        stderr(&h).contains("no drift counts for elsewhere"),
        "{}",
        stderr(&h)
    );
}

use common::pg::FreshState as Pg;

#[test]
fn a_redesign_is_named_on_postgres_too() {
    let Some(pg) = Pg::new("crawl_drift::a_redesign_is_named_on_postgres_too") else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let err = two_runs(d.path(), &pg.url, &["--worker", "w1"]);
    assert!(err.contains(DRIFTING), "{err}");
    check_health_table(&pg.url);
}

#[test]
fn drift_counts_move_to_postgres_with_the_state() {
    let Some(pg) = Pg::new("crawl_drift::drift_counts_move_to_postgres_with_the_state") else {
        return;
    };
    let (d, _, st) = workdir();
    two_runs(d.path(), st.to_str().unwrap(), &[]);
    let o = bin()
        .args([
            "state",
            "migrate",
            "--from",
            st.to_str().unwrap(),
            "--to",
            &pg.url,
        ])
        .current_dir(d.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        check_health_table(&pg.url),
        check_health_table(st.to_str().unwrap())
    );
}

#[test]
fn health_names_a_missing_state_file() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("nowhere.db");
    let h = health(&["--state", missing.to_str().unwrap()]);
    assert_eq!(h.status.code(), Some(1));
    assert!(
        stderr(&h).contains(&format!("{}: no such state file", missing.display())),
        "{}",
        stderr(&h)
    );
    assert!(!missing.exists(), "inspecting creates nothing");
}

#[test]
fn health_is_listed_in_the_selectors_help() {
    let mut c = bin();
    c.args(["selectors", "--help"]);
    let o = output_within_limit(c);
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(
        help.lines().any(|l| l.trim_start().starts_with("health ")),
        "{help}"
    );
}
