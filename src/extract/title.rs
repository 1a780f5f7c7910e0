//! Headline choice: JSON-LD headline, og:title, `<h1>` or `<title>`, with
//! the site name and section segments removed.

/// Picks the headline: JSON-LD headline, og:title, `<h1>` or `<title>`,
/// with a " - Site name" / " | Site name" suffix removed.
pub(crate) fn choose_title(
    ld: Option<&str>,
    og: Option<&str>,
    h1: Option<&str>,
    html_title: Option<&str>,
    site_name: Option<&str>,
) -> Option<String> {
    let clean = |t: &str| {
        strip_site_suffix(
            &t.split_whitespace().collect::<Vec<_>>().join(" "),
            site_name,
        )
    };
    let candidates = [ld, og, html_title];
    // An h1 that the metadata titles start with (or equal) is the cleanest form.
    if let Some(h1) = h1.map(|h| h.split_whitespace().collect::<Vec<_>>().join(" ")) {
        if !h1.is_empty()
            && candidates.iter().flatten().any(|c| {
                let c = c.split_whitespace().collect::<Vec<_>>().join(" ");
                c == h1 || c.starts_with(&h1)
            })
        {
            return Some(h1);
        }
    }
    candidates
        .iter()
        .flatten()
        .map(|t| clean(t))
        .find(|t| !t.is_empty())
        .or_else(|| h1.map(clean))
        .filter(|t| !t.is_empty())
}

/// Removes a trailing " - Site", " | Site", " :: Site" from a title.
pub fn strip_site_suffix(title: &str, site_name: Option<&str>) -> String {
    let title = title.trim();
    // "Site - Section - Headline" (or the reverse): with three or more
    // segments, one long segment among short ones is the headline.
    for sep in [
        " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " > ", " » ",
    ] {
        let parts: Vec<&str> = title.split(sep).map(str::trim).collect();
        if parts.len() >= 3 {
            let words = |p: &str| p.split_whitespace().count();
            let (longest, rest): (Vec<&str>, Vec<&str>) = {
                let max = parts.iter().map(|p| words(p)).max().unwrap_or(0);
                parts.iter().partition(|p| words(p) == max)
            };
            if longest.len() == 1 && words(longest[0]) >= 4 && rest.iter().all(|p| words(p) <= 3) {
                return longest[0].to_string();
            }
        }
    }
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " • "] {
        if let Some(pos) = title.rfind(sep) {
            let (head, tail) = (&title[..pos], &title[pos + sep.len()..]);
            let tail_is_site = match site_name {
                Some(site) => {
                    let (t, s) = (tail.to_lowercase(), site.to_lowercase());
                    t.contains(&s) || s.contains(&t)
                }
                None => {
                    tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3
                }
            };
            if tail_is_site && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_among_site_and_section_segments() {
        assert_eq!(
            strip_site_suffix(
                "Comune - Notizie - Lavori in piazza: chiusa la strada",
                None
            ),
            "Lavori in piazza: chiusa la strada"
        );
        assert_eq!(
            strip_site_suffix("Blinken - Lavrov talks fail in Geneva", None),
            "Blinken - Lavrov talks fail in Geneva"
        );
    }

    #[test]
    fn title_suffix_is_removed() {
        assert_eq!(
            strip_site_suffix("Big news today - Il Post", Some("Il Post")),
            "Big news today"
        );
        assert_eq!(strip_site_suffix("A - B", None), "A - B");
    }
}
