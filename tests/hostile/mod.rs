//! Generated hostile pages of a chosen size, one family per shape that could
//! make extraction super-linear in time or memory: many paragraphs, many
//! line breaks, many links, deep nesting, huge tables, one long text node,
//! many authors, a huge JSON-LD article body, ruby readings, comments.
//! Shared by `tests/bad_input.rs` (growth of time), `tests/peak_memory.rs`
//! (peak allocation) and `examples/bench_growth.rs` (the figures).
#![allow(dead_code)]

pub mod counting;

/// CPU seconds this thread has used: unlike wall time, hardly moved by
/// other processes on a busy machine.
pub fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// One page shape: a name and a builder of a page of about `bytes` bytes.
pub struct Family {
    /// Short name, for messages.
    pub name: &'static str,
    /// Builds a page of at least `bytes` bytes (a little more at most).
    pub build: fn(usize) -> String,
}

const HEAD: &str = "<html><head><title>A page</title></head><body>";
const TAIL: &str = "</body></html>";

/// A paragraph of article prose.
pub const PROSE: &str = "The council voted on Tuesday to extend the tram line, a decision that follows years of debate, two consultations and a long campaign by residents.";

/// A page: the head, `open`, `unit(i)` repeated until `bytes`, `close`.
fn repeat(bytes: usize, open: &str, close: &str, mut unit: impl FnMut(usize) -> String) -> String {
    let mut html = String::with_capacity(bytes + 1024);
    html.push_str(HEAD);
    html.push_str(open);
    let mut i = 0;
    while html.len() + close.len() + TAIL.len() < bytes {
        html.push_str(&unit(i));
        i += 1;
    }
    html.push_str(close);
    html.push_str(TAIL);
    html
}

/// Every family.
pub const FAMILIES: &[Family] = &[
    Family {
        name: "short <p>",
        build: |n| repeat(n, "<div>", "</div>", |_| "<p>x</p>".into()),
    },
    Family {
        name: "prose <p> and ads",
        build: |n| {
            repeat(n, "<article>", "</article>", |_| {
                format!("<p>{PROSE}</p><div class=ad><a href=/x>Advert</a></div>")
            })
        },
    },
    Family {
        name: "headed link lists",
        build: |n| {
            repeat(n, "<article>", "</article>", |i| {
                format!("<h2>Part {i}</h2><ul><li><a href=/a/{i}>one {i}</a></li><li><a href=/b/{i}>two {i}</a></li></ul>")
            })
        },
    },
    Family {
        name: "x<br>",
        build: |n| repeat(n, "<div>", "</div>", |_| "x<br>".into()),
    },
    Family {
        name: "links",
        build: |n| {
            repeat(n, "<div>", "</div>", |i| {
                format!("<a href=/s/{i}>story {i}</a> ")
            })
        },
    },
    Family {
        name: "deep nesting",
        build: |n| {
            let depth = n / 11;
            format!(
                "{HEAD}{}<p>{PROSE}</p>{}{TAIL}",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
        },
    },
    Family {
        name: "deep nesting in an image",
        build: |n| {
            let depth = n / 8;
            format!(
                "{HEAD}<p>{PROSE}</p><svg>{}{}</svg><p>{PROSE}</p>{TAIL}",
                "<g>".repeat(depth),
                "</g>".repeat(depth)
            )
        },
    },
    Family {
        name: "unclosed nesting in an image",
        build: |n| format!("{HEAD}<p>{PROSE}</p><svg>{}{TAIL}", "<g><a>".repeat(n / 6)),
    },
    Family {
        name: "table rows",
        build: |n| {
            repeat(n, "<table>", "</table>", |i| {
                format!("<tr><td>Town {i}</td><td>Name {i}</td></tr>")
            })
        },
    },
    Family {
        name: "one long text",
        build: |n| repeat(n, "<p>", "</p>", |_| "word and ".into()),
    },
    Family {
        name: "weak then prose",
        build: |n| {
            let mut html = repeat(n / 2, "<div>", "", |_| "<p>tiny</p>".into());
            html.truncate(html.len() - TAIL.len());
            while html.len() < n {
                html.push_str("<p>");
                html.push_str(PROSE);
                html.push_str("</p>");
            }
            html.push_str("</div>");
            html.push_str(TAIL);
            html
        },
    },
    Family {
        name: "related markers in prose",
        build: |n| {
            repeat(n, "<article>", "</article>", |_| {
                format!("<p>{PROSE}</p><p>Related articles</p>")
            })
        },
    },
    Family {
        name: "meta authors",
        build: |n| {
            let mut html = String::from("<html><head>");
            let mut i = 0;
            while html.len() < n / 2 {
                html.push_str(&format!("<meta name=author content='Author Number{i}'>"));
                i += 1;
            }
            html.push_str("</head><body><div>");
            while html.len() < n {
                html.push_str("<p>Author Number7 writes</p><p>");
                html.push_str(PROSE);
                html.push_str("</p>");
            }
            html.push_str("</div></body></html>");
            html
        },
    },
    Family {
        name: "JSON-LD article body",
        build: |n| {
            let half = n / 2;
            let mut body = String::new();
            let mut paras = String::new();
            let mut i = 0;
            while body.len() + paras.len() < half * 2 - 200 {
                let p = format!("Paragraph {i} tells part of the story, with more words. ");
                body.push_str(&p);
                paras.push_str(&format!("<p>{p}</p>"));
                i += 1;
            }
            format!(
                r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle","headline":"H","articleBody":"{body}"}}</script></head><body><div>{paras}</div></body></html>"#
            )
        },
    },
    Family {
        name: "ruby readings",
        build: |n| repeat(n, "<p><ruby>", "</ruby></p>", |_| "漢<rt>かん</rt>".into()),
    },
    Family {
        name: "comments",
        build: |n| repeat(n, "<div>", "</div>", |_| "<!--c-->x".into()),
    },
    Family {
        name: "formatting re-opened",
        build: |n| {
            // Open formatting elements are re-created in every block
            // that follows their end: 300 elements per `<div>x</div>`.
            let open: String = (0..300).map(|i| format!("<b class=c{i}>")).collect();
            repeat(n, &open, "", |_| "<div>x</div>".into())
        },
    },
    Family {
        name: "formatting list growing",
        build: |n| repeat(n, "", "", |i| format!("<div><b class=c{i}>x</div>")),
    },
    Family {
        name: "stray end tags",
        build: |n| repeat(n, "<p>", "</p>", |_| "</x>".into()),
    },
    Family {
        name: "list items",
        build: |n| repeat(n, "<ul>", "</ul>", |i| format!("<li>item {i}</li>")),
    },
    Family {
        name: "headings",
        build: |n| repeat(n, "<div>", "</div>", |i| format!("<h2>Heading {i}</h2>")),
    },
    Family {
        name: "long title",
        build: |n| {
            let mut html = String::from("<html><head><title>");
            while html.len() < n / 2 {
                html.push_str("Title words ");
            }
            html.push_str("</title></head><body><div>");
            while html.len() < n {
                html.push_str("<p><a href=/more>Another story from the archive</a></p>");
            }
            html.push_str("</div></body></html>");
            html
        },
    },
];
