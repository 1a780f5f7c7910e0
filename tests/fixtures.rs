//! Every folder of `fixtures/` holds a page we wrote (modelled on a real
//! template) and the record newscrawl must make of it. Whole bodies are
//! compared, not substrings.

use std::path::{Path, PathBuf};

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;
use serde_json::Value;

/// Every `fixtures/<case>/expected*.json`: one page, one or more expected
/// records (with its site config, and with generic extraction only).
fn expectation_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("fixtures/ exists") {
        let dir = dir.unwrap().path();
        if dir.ends_with("selectors") {
            continue;
        }
        collect_expectations(&dir, &mut files);
        // A case may hold several pages, one folder each
        // (fixtures/wordpress-block-theme/post/).
        for sub in std::fs::read_dir(&dir).into_iter().flatten() {
            let sub = sub.unwrap().path();
            if sub.is_dir() {
                collect_expectations(&sub, &mut files);
            }
        }
    }
    files.sort();
    files
}

fn collect_expectations(dir: &Path, files: &mut Vec<PathBuf>) {
    for f in std::fs::read_dir(dir).into_iter().flatten() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("expected") && name.ends_with(".json") {
            files.push(f);
        }
    }
}

fn check(expected: &Path) -> Result<(), String> {
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(expected).unwrap()).unwrap();
    let bytes = std::fs::read(expected.with_file_name("page.html")).unwrap();
    let no_selectors = spec["no_selectors"].as_bool().unwrap_or(false);
    // The fixture sites' configs (invented hosts, not built in).
    let sites = if no_selectors {
        SiteRegistry::empty()
    } else {
        SiteRegistry::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/selectors"))
            .unwrap()
    };
    let mut input = PageInput::new(&bytes);
    input.url = spec["input_url"].as_str().map(|u| u.parse().unwrap());
    let opts = ExtractOptions {
        use_selectors: !no_selectors,
        ..Default::default()
    };
    let page =
        extract_page(&input, &sites, &opts).map_err(|e| format!("extraction failed: {e}"))?;
    let got = serde_json::to_value(&page.record).unwrap();
    let mut problems = Vec::new();
    for (key, want) in spec["record"].as_object().unwrap() {
        if &got[key] != want {
            problems.push(format!("  {key}:\n    want {want}\n    got  {}", got[key]));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn every_fixture_gives_its_expected_record() {
    let mut failures = Vec::new();
    let files = expectation_files();
    assert!(files.len() >= 8, "fixtures missing");
    for file in &files {
        if let Err(e) = check(file) {
            let case = file
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy();
            let name = file.file_name().unwrap().to_string_lossy();
            failures.push(format!("{case}/{name}:\n{e}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn windows_1252_fixture_really_is_windows_1252() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/windows-1252");
    let bytes = std::fs::read(dir.join("page.html")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    assert!(
        bytes.contains(&0x80),
        "the euro sign is byte 0x80 in windows-1252"
    );
}

/// A redesigned site: the config's body selector now matches only a teaser
/// box, so the selection holds a small share of the page's prose. The
/// pipeline must fall back to generic extraction rather than emit the teaser.
#[test]
fn a_config_that_matches_little_of_a_redesigned_page_falls_back() {
    let sites = SiteRegistry::from_sources([(
        "old.toml".to_string(),
        "name = \"old\"\nhosts = [\"www.redesign.example\"]\n[extract]\nbody = [\".teaser\"]\n"
            .to_string(),
    )])
    .unwrap();
    let para = "A long paragraph of the real article text, with enough words, commas, and sentences to count as prose on the page.";
    let html = format!(
        "<html><body><div class=teaser><p>Short teaser.</p></div><div class=new-layout-body>{}</div></body></html>",
        format!("<p>{para}</p>").repeat(15)
    );
    let mut input = PageInput::new(html.as_bytes());
    input.url = Some("https://www.redesign.example/a/story".parse().unwrap());
    let page = extract_page(&input, &sites, &ExtractOptions::default()).unwrap();
    assert_eq!(page.record.extractor, "generic");
    assert!(
        page.fallback.as_deref().unwrap().contains("of the page's"),
        "{:?}",
        page.fallback
    );
    assert!(page.record.body.contains("real article text"));

    // A config that matches nothing at all falls back too.
    let html = format!(
        "<html><body><article>{}</article></body></html>",
        format!("<p>{para}</p>").repeat(3)
    );
    let mut input = PageInput::new(html.as_bytes());
    input.url = Some("https://www.redesign.example/b".parse().unwrap());
    let page = extract_page(&input, &sites, &ExtractOptions::default()).unwrap();
    assert_eq!(page.record.extractor, "generic");
    assert_eq!(
        page.fallback.as_deref(),
        Some("body selectors matched nothing")
    );
}
