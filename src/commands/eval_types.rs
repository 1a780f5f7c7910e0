//! `eval`'s page-type report: how the classifier's page types compare with
//! a corpus's gold ones, per part (accuracy, macro-F1, confusion matrix).

use crate::corpus::classification::Confusion;
use crate::corpus::Part;
use crate::extract::PageType;

/// Prints accuracy and macro-F1 per part, then each part's confusion
/// matrix (rows gold, columns predicted). `pages` holds each classified
/// page's part, gold type and predicted type; nothing is printed without
/// gold types.
pub fn print_classification(pages: &[(Part, PageType, Option<PageType>)], parts: &[Option<Part>]) {
    if pages.is_empty() {
        return;
    }
    let confusion = |part: Option<Part>| {
        let mut c = Confusion::default();
        for &(p, gold, predicted) in pages {
            if part.is_none_or(|want| want == p) {
                c.add(gold, predicted);
            }
        }
        c
    };
    println!(
        "{:12} {:>6} {:>10} {:>10}",
        "page type", "pages", "accuracy", "macro-F1"
    );
    for &part in parts {
        let c = confusion(part);
        println!(
            "{:12} {:>6} {:>10.4} {:>10.4}",
            part.map_or("all", Part::name),
            c.total(),
            c.accuracy(),
            c.macro_f1()
        );
    }
    for &part in parts {
        let c = confusion(part);
        println!(
            "confusion ({}; rows gold, columns predicted):",
            part.map_or("all", Part::name)
        );
        let mut head = format!("  {:14}", "");
        for t in PageType::ALL {
            head.push_str(&format!(" {:>5}", &t.name()[..5]));
        }
        head.push_str(&format!(" {:>5} {:>6}", "none", "F1"));
        println!("{head}");
        for gold in PageType::ALL {
            let mut line = format!("  {:14}", gold.name());
            for predicted in PageType::ALL {
                line.push_str(&format!(" {:>5}", c.count(gold, Some(predicted))));
            }
            line.push_str(&format!(
                " {:>5} {:>6.3}",
                c.count(gold, None),
                c.prf(gold).2
            ));
            println!("{line}");
        }
    }
}
