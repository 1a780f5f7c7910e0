//! The hand-written page-type rules: the baseline the learned model is
//! compared against, and the fallback for inputs outside its features.

use super::features::PageFeatures;
use crate::extract::page_type::PageType;

/// Classifies a page by rules over its features; returns the type and a
/// rough confidence (how decisive the rule that fired is).
pub fn classify_by_rules(f: &PageFeatures) -> (PageType, f32) {
    let g = |n: &str| f.get(n).unwrap_or(0.0);
    let declared_article = g("og_article") > 0.0 || g("ld_article") > 0.0;
    let prose = g("body_prose_paras");
    let article_like = prose >= 3.0
        || (prose >= 1.0
            && (declared_article || g("hint_single_post") > 0.0 || g("wp_post_link") > 0.0));
    if g("ld_forum") > 0.0 || (g("url_forum") > 0.0 && g("hint_forum") >= 2.0) {
        return (PageType::Forum, 0.9);
    }
    if g("ld_product") > 0.0 || g("og_product") > 0.0 || g("cart_forms") > 0.0 {
        return (PageType::Product, 0.85);
    }
    if g("ld_tech") > 0.0
        || (g("url_docs") > 0.0 && (g("code_blocks") >= 1.0 || g("hint_docs") >= 2.0))
    {
        return (PageType::Documentation, 0.8);
    }
    if declared_article && article_like {
        return (PageType::Article, 0.9);
    }
    if g("ld_itemlist") > 0.0 || g("ld_collection") > 0.0 || g("url_collection") > 0.0 {
        return (PageType::Collection, 0.6);
    }
    if g("url_listing") > 0.0 || (g("repeat_groups") >= 3.0 && g("link_density") > 0.4) {
        return (PageType::Listing, 0.6);
    }
    if article_like && (g("url_date") > 0.0 || g("meta_published") > 0.0 || g("url_article") > 0.0)
    {
        return (PageType::Article, 0.7);
    }
    if g("ld_faq") > 0.0 || g("ld_service") > 0.0 || g("url_service") > 0.0 || g("url_root") > 0.0 {
        return (PageType::Service, 0.5);
    }
    if article_like {
        return (PageType::Article, 0.6);
    }
    (PageType::Service, 0.3)
}
