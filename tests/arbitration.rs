//! A site config is a hint that must beat the generic extractor on the
//! page in front of it: after a redesign its selector may match the wrong
//! block, or the old container may hold new widgets.

use newscrawl::extract::site::SiteBodyProblem;
use newscrawl::extract::{extract_page, ConfigOutcome, ExtractOptions, ExtractedPage, PageInput};
use newscrawl::selectors::drift::PageFate;
use newscrawl::selectors::SiteRegistry;

const STORY: [&str; 4] = [
    "The council voted on Tuesday to extend the tram line to the harbour, a decision that follows years of debate and two public consultations.",
    "Work is expected to start next spring, and the new stops should open to passengers by the end of the following year, the mayor said.",
    "Opponents had argued that the money would be better spent on buses, which serve the outer districts where most commuters live.",
    "The transport authority will publish the timetable for the works in the autumn, after talks with the shop owners along the route.",
];

fn extract(config_body: &str, html: &str) -> ExtractedPage {
    extract_with_rules(config_body, "", html)
}

/// `rules`: more lines of the config's `[extract]` table.
fn extract_with_rules(config_body: &str, rules: &str, html: &str) -> ExtractedPage {
    let config = format!(
        "name = \"harbour\"\nhosts = [\"news.harbour.example\"]\n[extract]\nbody = [\"{config_body}\"]\n{rules}\n"
    );
    let sites = SiteRegistry::from_sources([("harbour.toml".to_string(), config)]).unwrap();
    let input = PageInput::new(html.as_bytes())
        .with_url("https://news.harbour.example/2024/tram".parse().unwrap());
    extract_page(&input, &sites, &ExtractOptions::default()).unwrap()
}

fn story() -> String {
    STORY.iter().map(|p| format!("<p>{p}</p>")).collect()
}

fn page(inside_story: &str, after: &str) -> String {
    format!(
        "<html><head><title>Tram line to the harbour</title></head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a></nav>\
         <main><h1>Tram line to the harbour</h1><div class=story-body>{}{inside_story}</div></main>{after}\
         <footer><p>© Harbour News</p></footer></body></html>",
        story()
    )
}

#[test]
fn a_selector_that_now_matches_the_comments_loses_to_the_generic_body() {
    let comments: String = (0..6)
        .map(|i| format!("<div class=reply><p>Reader {i}: I have taken the tram for years and I think the council should have asked the people who live along the harbour first, not the shop owners.</p></div>"))
        .collect();
    // The comments are long, prose-like and not link-dense: length-based
    // health checks accept them.
    let html = page("", &format!("<section class=talk>{comments}</section>"));
    let page = extract(".talk", &html);
    assert_eq!(page.record.extractor, "generic");
    assert!(
        matches!(page.outcome, Some(ConfigOutcome::Lost(_))),
        "{:?}",
        page.outcome
    );
    assert_eq!(
        page.fallback, None,
        "not a fallback: the config's body was usable"
    );
    assert_eq!(page.record.body, STORY.join("\n\n"));
    let sample = page.drift_sample().unwrap();
    assert_eq!(
        (sample.site.as_str(), sample.fate),
        ("harbour", PageFate::Lost)
    );
}

#[test]
fn widgets_added_inside_the_old_container_are_left_out() {
    let related = "<div class=related-stories><h3>More on this</h3>\
        <p><a href=/a>Bus fares to rise in spring</a></p>\
        <p><a href=/b>Harbour bridge closed for repairs</a></p>\
        <p><a href=/c>New cycle lanes along the quay</a></p></div>";
    let page = extract(".story-body", &page(related, ""));
    assert_eq!(page.record.extractor, "site:harbour+generic");
    assert_eq!(page.outcome, Some(ConfigOutcome::Merged));
    assert!(page.record.body.starts_with(STORY[0]));
    assert!(
        !page.record.body.contains("Bus fares"),
        "{}",
        page.record.body
    );
    assert_eq!(page.drift_sample().unwrap().fate, PageFate::Used);
}

#[test]
fn where_config_and_generic_agree_the_config_body_is_kept_as_it_is() {
    let page = extract(".story-body", &page("<p>Harbour News, 14 June</p>", ""));
    assert_eq!(page.record.extractor, "site:harbour");
    assert_eq!(page.outcome, Some(ConfigOutcome::Won));
    // The config's own text, its dateline included: a config decides
    // what it selects when the generic extractor agrees on the article.
    assert_eq!(
        page.record.body,
        format!("{}\n\nHarbour News, 14 June", STORY.join("\n\n"))
    );
}

#[test]
fn a_selector_that_now_matches_a_box_inside_the_article_loses_to_the_generic_body() {
    // After a redesign the config's selector matches a box of figures that
    // the article carries below its opening: prose, inside the article,
    // held by the generic body too (its class names no widget: a `factbox`
    // class would make it chrome); only its position tells it is not the
    // story.
    let more = "<p>The harbour district has grown by a third in ten years, and the council expects the tram to carry twelve thousand passengers a day once it opens.</p>";
    let numbers_box = "<aside-box class=tram-numbers><p>The tram in numbers: four new stops, six kilometres of track, and a budget that the council has raised twice since the first plans were drawn.</p><p>The first tram line opened in 1898 and closed in 1956, when the city chose buses; its depot is now a market hall near the old fish quay.</p></aside-box>";
    let html = page(&format!("{more}{numbers_box}"), "");
    let page = extract(".tram-numbers", &html);
    assert_eq!(page.record.extractor, "generic", "{:?}", page.outcome);
    assert_eq!(
        page.outcome,
        Some(ConfigOutcome::Lost(
            "the config's text starts after the article's opening"
        ))
    );
    assert!(
        page.record.body.starts_with(STORY[0]),
        "{}",
        page.record.body
    );
}

/// A page after a redesign: the story in a new container (`class`), with
/// `inside` after its second paragraph, and reader comments below.
fn redesigned_page(class: &str, inside: &str) -> String {
    let comments: String = (0..6)
        .map(|i| format!("<div class=reply><p>Reader {i}: I have taken the tram for years and I think the council should have asked the people who live along the harbour first, not the shop owners.</p></div>"))
        .collect();
    format!(
        "<html><head><title>Tram line to the harbour</title></head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a></nav>\
         <main><h1>Tram line to the harbour</h1><div class={class}><p>{}</p><p>{}</p>{inside}<p>{}</p><p>{}</p></div></main>\
         <section class=talk>{comments}</section>\
         <footer><p>© Harbour News</p></footer></body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    )
}

#[test]
fn after_a_redesign_the_configs_drop_rules_still_remove_its_widgets() {
    // A widget of the site's own, in words no vocabulary knows.
    let promo = "<div class=hn-xq><p>The harbour festival returns on the first weekend of July, with music on the quay and boat trips for children every afternoon.</p></div>";
    let html = redesigned_page("article-text", promo);
    // Without the drop rule the generic body keeps the widget: the test
    // below measures the rule, not the generic extractor.
    let plain = extract(".talk", &html);
    assert!(
        plain.record.body.contains("harbour festival"),
        "{}",
        plain.record.body
    );
    assert_eq!(plain.record.extractor, "generic");

    // The old body selector now matches the comments: the generic body
    // wins, and the config's `drop` rule still knows the widget.
    let page = extract_with_rules(".talk", "drop = [\".hn-xq\"]", &html);
    assert!(
        matches!(page.outcome, Some(ConfigOutcome::Lost(_))),
        "{:?}",
        page.outcome
    );
    assert_eq!(page.record.body, STORY.join("\n\n"));
    assert_eq!(page.record.extractor, "generic+site:harbour");
    // The config's body lost all the same: drift counts the page as lost.
    assert_eq!(page.drift_sample().unwrap().fate, PageFate::Lost);

    // Its body selector matches nothing any more: the same, as a fallback.
    let page = extract_with_rules(".story-body", "drop = [\".hn-xq\"]", &html);
    assert!(
        matches!(page.outcome, Some(ConfigOutcome::FellBack(_))),
        "{:?}",
        page.outcome
    );
    assert_eq!(page.record.body, STORY.join("\n\n"));
    assert_eq!(page.record.extractor, "generic+site:harbour");
    assert_eq!(page.drift_sample().unwrap().fate, PageFate::FellBack);
}

#[test]
fn after_a_redesign_the_configs_drop_text_rules_apply_to_the_generic_body() {
    let archive = "<p>From the archive: the first tram line opened in 1898 and closed in 1956, when the city chose buses over rails.</p>";
    let html = redesigned_page("article-text", archive);
    let plain = extract(".story-body", &html);
    assert!(
        plain.record.body.contains("From the archive"),
        "{}",
        plain.record.body
    );
    let page = extract_with_rules(".story-body", "drop_text = ['^From the archive:']", &html);
    assert_eq!(page.record.body, STORY.join("\n\n"));
    assert_eq!(page.record.extractor, "generic+site:harbour");
}

#[test]
fn a_stale_drop_rule_matching_the_new_article_container_is_ignored() {
    // The redesign gave the article container a class the old template
    // used for a widget the config drops.
    let html = redesigned_page("col-main", "");
    let page = extract_with_rules(".story-body", "drop = [\".col-main\"]", &html);
    assert!(
        matches!(page.outcome, Some(ConfigOutcome::FellBack(_))),
        "{:?}",
        page.outcome
    );
    assert_eq!(page.record.body, STORY.join("\n\n"));
    assert_eq!(page.record.extractor, "generic", "the rule removed nothing");
    // ... and so is one matching a block that holds much of the article.
    let half = format!(
        "<html><body><main><h1>Tram line</h1><div class=story><p>{}</p><p>{}</p><div class=col-b><p>{}</p><p>{}</p></div></div></main></body></html>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let page = extract_with_rules(".story-body", "drop = [\".col-b\"]", &half);
    assert_eq!(page.record.body, STORY.join("\n\n"));
    assert_eq!(page.record.extractor, "generic");
}

/// Related stories: all links, short teaser titles.
fn teaser_grid() -> String {
    let teasers: String = [
        "Bus fares to rise in spring",
        "Harbour bridge closed for repairs",
        "New cycle lanes along the quay",
        "Ferry timetable changes from May",
        "Market hall reopens after works",
        "Council elections: the candidates",
        "Old depot to become a museum",
        "Parking fees in the centre doubled",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| format!("<li><a href=/story/{i}>{t}</a></li>"))
    .collect();
    format!("<div class=more-news><ul>{teasers}</ul></div>")
}

#[test]
fn a_selector_that_now_matches_a_link_list_is_refused() {
    // The teaser grid is long enough for the length checks, and the
    // generic extractor holds none of it.
    let html = page("", &teaser_grid());
    let page = extract(".more-news", &html);
    assert!(
        matches!(
            page.outcome,
            Some(ConfigOutcome::FellBack(SiteBodyProblem::LinkList(_, _)))
        ),
        "{:?}",
        page.outcome
    );
    assert!(page.fallback.as_deref().unwrap().contains("link lines"));
    assert_eq!(page.record.body, STORY.join("\n\n"));
    assert_eq!(page.record.extractor, "generic");
    assert_eq!(page.drift_sample().unwrap().fate, PageFate::FellBack);
}
