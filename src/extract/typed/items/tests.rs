use super::*;
use crate::extract::text::BlockKind;

#[test]
fn the_posts_template_lines_are_left_out() {
    let post = |user: &str, text: &str| {
        format!(
            "<div class=post><div class=user><p>{user}</p><p>Joined</p><p>Messages</p></div>\
             <div class=body><p>{text}</p></div></div>"
        )
    };
    let html = format!(
        "<body><div class=thread>{}{}{}{}</div></body>",
        post("ann", "Has anyone tried the new lathe from the show?"),
        post("bob", "Yes, mine arrived last week and it runs quietly."),
        post("ann", "Good to hear, I will order one then."),
        post("cy", "Mind the belt tension on the first runs.")
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert!(
        !texts.iter().any(|t| t == "Joined" || t == "Messages"),
        "{texts:?}"
    );
    assert_eq!(texts.iter().filter(|t| *t == "ann").count(), 2, "{texts:?}");
    assert!(texts.contains(&"Mind the belt tension on the first runs.".to_string()));
}

#[test]
fn a_rank_line_in_half_the_posts_is_template() {
    let post = |user: &str, rank: &str, text: &str| {
        format!(
            "<div class=post><div class=user><p>{user}</p><p>{rank}</p></div>\
             <div class=body><p>{text}</p></div></div>"
        )
    };
    let html = format!(
        "<body><div class=thread>{}{}{}{}{}{}</div></body>",
        post("ann", "Veteran", "Which lathe should a beginner buy?"),
        post("bob", "Veteran", "A small benchtop one, used if you can."),
        post("cy", "Newcomer", "Mine came with a chuck and two rests."),
        post("dee", "Moderator", "Check the bed for wear before buying."),
        post("eve", "Veteran", "And budget for sharpening the gouges."),
        post("fay", "Apprentice", "Thanks, all of this helps a lot.")
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert_eq!(
        texts,
        [
            "ann",
            "Which lathe should a beginner buy?",
            "bob",
            "A small benchtop one, used if you can.",
            "cy",
            "Newcomer",
            "Mine came with a chuck and two rests.",
            "dee",
            "Moderator",
            "Check the bed for wear before buying.",
            "eve",
            "And budget for sharpening the gouges.",
            "fay",
            "Apprentice",
            "Thanks, all of this helps a lot.",
        ]
    );
}

/// A phpBB-like thread: poster details as "label: value" lines, a
/// reply counter, signatures, and a list of related threads.
fn thread() -> String {
    let post = |n: usize, user: &str, posts: usize, text: &str| {
        format!(
            "<div class=post><dl class=postprofile><dt>{user}</dt><dd>Posts: {posts}</dd>\
             <dd>Founded: Oct 0{n}, 2011</dd></dl><p>Reply {n}</p><div class=content><p>{text}</p></div>\
             <div class=signature><p>{user}'s garden, proudly growing tomatoes since 1998.</p></div></div>"
        )
    };
    format!(
        "<body><div class=page><h1>Tomato varieties for a cold spring</h1>{}{}{}{}\
         <div class=related><h3>Related discussions</h3><ul>\
         <li><a href=/t/1>Peppers in pots on a balcony</a></li>\
         <li><a href=/t/2>Greenhouse heating on a budget</a></li></ul></div></div></body>",
        post(
            1,
            "ann",
            4032,
            "Which tomatoes ripen first when the spring is cold?"
        ),
        post(
            2,
            "bob",
            65703,
            "Early Girl has never failed me, even in a wet May."
        ),
        post(3, "ann", 4033, "Thanks, I will sow some next week then."),
        post(
            4,
            "cy",
            17,
            "Sub Arctic Plenty is quicker still, if smaller."
        )
    )
}

#[test]
fn posts_lose_their_signatures_template_values_and_related_links() {
    let texts = item_texts(&thread(), ItemKind::Posts);
    for gone in [
        "Posts: 4032",
        "Founded: Oct 01, 2011",
        "Reply 2",
        "Peppers in pots on a balcony",
    ] {
        assert!(!texts.iter().any(|t| t == gone), "{gone} kept: {texts:?}");
    }
    assert!(
        !texts.iter().any(|t| t.contains("proudly growing")),
        "{texts:?}"
    );
    // The title is the record's, not the body's.
    assert_eq!(texts.first().map(String::as_str), Some("ann"), "{texts:?}");
    assert!(texts.contains(&"Sub Arctic Plenty is quicker still, if smaller.".to_string()));
    assert_eq!(texts.iter().filter(|t| *t == "ann").count(), 2, "{texts:?}");
}

#[test]
fn a_quoted_post_is_said_once() {
    let post = |user: &str, quote: &str, text: &str| {
        format!(
            "<div class=post><p>{user}</p><blockquote><p>{quote}</p></blockquote>\
             <div class=body><p>{text}</p></div></div>"
        )
    };
    let question = "Which saw blade cuts oak without burning it?";
    let html = format!(
        "<body><div class=thread>{}{}{}</div></body>",
        post("ann", "", question),
        post(
            "bob",
            question,
            "A sharp rip blade with fewer teeth, fed steadily."
        ),
        post("ann", "", "Thanks, that worked.")
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert_eq!(
        texts.iter().filter(|t| *t == question).count(),
        1,
        "{texts:?}"
    );
    assert_eq!(texts.iter().filter(|t| *t == "ann").count(), 2, "{texts:?}");
    assert!(
        texts.contains(&"Thanks, that worked.".to_string()),
        "{texts:?}"
    );
}

#[test]
fn comment_sections_holding_most_of_the_thread_are_its_replies() {
    let reply = |text: &str| format!("<li class=comment><p>{text}</p></li>");
    let long = "I moved from banking to a strategy firm two years ago and the hours \
                are shorter, the culture flatter and the exits just as broad as before.";
    let html = format!(
        "<body><div id=main><div class=posts>\
         <div class=post><p>Is consulting worth it for the hours?</p></div>\
         <div class=post><p>Asking for a friend who starts next year.</p></div></div>\
         <div class=comments><ul>{}{}</ul></div></div></body>",
        reply(long),
        reply(&long.replace("banking", "auditing"))
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert!(
        texts.iter().any(|t| t.starts_with("I moved from banking")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("I moved from auditing")),
        "{texts:?}"
    );
}

#[test]
fn remarks_beside_a_questions_answers_are_left_out() {
    let remarks = |text: &str| {
        format!("<div class=comments><ul><li class=comment>{text} Commented May 2</li></ul></div>")
    };
    let answer = |text: &str, remark: &str| {
        format!(
            "<div class=answer><div class=answer-body><p>{text}</p></div>{}</div>",
            remarks(remark)
        )
    };
    let html = format!(
        "<body><div id=main><div class=question><h1>Why does my bread not rise?</h1>\
         <p>The dough stays flat after two hours in a warm kitchen.</p>{}</div>\
         <div class=answers>{}{}</div></div></body>",
        remarks("Which flour do you use?"),
        answer(
            "Your yeast is probably dead; test it in warm sugared water first.",
            "This fixed it for me."
        ),
        answer(
            "Salt touching the yeast directly slows it down a great deal.",
            "Only in large amounts."
        )
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert_eq!(
        texts,
        [
            "The dough stays flat after two hours in a warm kitchen.",
            "Your yeast is probably dead; test it in warm sugared water first.",
            "Salt touching the yeast directly slows it down a great deal.",
        ]
    );
}

#[test]
fn replies_nested_in_comment_posts_are_kept() {
    let reply = |user: &str, text: &str, nested: &str| {
        format!(
            "<div class=comment><p>{user}</p><p>{text}</p><div class=children>{nested}</div></div>"
        )
    };
    let html = format!(
        "<body><div class=thread>{}{}</div></body>",
        reply(
            "ann",
            "Hair cells regrowing would change hearing aids forever.",
            &reply("bob", "Only if it works in adults as well.", "")
        ),
        reply("cy", "The mouse results look promising so far.", "")
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert!(
        texts.contains(&"Only if it works in adults as well.".to_string()),
        "{texts:?}"
    );
}

#[test]
fn posts_whose_text_is_named_as_comments_are_kept() {
    let post = |user: &str, text: &str| {
        format!("<div class=post><p>{user}</p><div class=comment-content><p>{text}</p></div></div>")
    };
    let html = format!(
        "<body><div class=thread>{}{}{}</div></body>",
        post("ann", "Is a consulting career worth the long hours?"),
        post(
            "bob",
            "It was for me: I learned more in two years than in five."
        ),
        post("cy", "Only if you plan to leave for industry later.")
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert!(
        texts.contains(&"Only if you plan to leave for industry later.".to_string()),
        "{texts:?}"
    );
}

#[test]
fn signatures_the_generic_body_kept_do_not_reject_the_posts() {
    let signature = "Community leader, designer and developer of shop themes, \
        ask me about breadcrumbs, wishlists, currencies and popups for your store";
    let post = |user: &str, text: &str| {
        format!(
            "<div class=post><p>{user}</p><div class=body><p>{text}</p></div>\
             <div class=signature><p>{signature}</p></div></div>"
        )
    };
    let texts = [
        "Is there a roadmap for new features?",
        "Not a public one, sorry.",
        "Thanks, that settles it.",
    ];
    let html = format!(
        "<body><div class=thread>{}{}{}</div></body>",
        post("ann", texts[0]),
        post("bob", texts[1]),
        post("ann", texts[2])
    );
    let doc = parse_document(&html);
    // The generic body: each post's text and its poster's signature.
    let generic: Vec<Paragraph> = texts
        .iter()
        .flat_map(|t| [*t, signature])
        .map(|t| Paragraph {
            text: t.to_string(),
            kind: BlockKind::Text,
            link_chars: 0,
        })
        .collect();
    let got: Vec<String> = items_body(&doc, &generic, ItemKind::Posts)
        .unwrap()
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert_eq!(
        got,
        ["ann", texts[0], "bob", texts[1], "ann", texts[2]],
        "{got:?}"
    );
}

/// The three posts of the glue thread of the next two tests.
fn glue_posts() -> String {
    let post = |user: &str, text: &str| {
        format!("<div class=post><p>{user}</p><div class=body><p>{text}</p></div></div>")
    };
    format!(
        "<div class=posts>{}{}{}</div>",
        post("ann", "A two-part epoxy, with the steel sanded first."),
        post(
            "bob",
            "Construction adhesive works too, if the shelf is light."
        ),
        post("cy", "Epoxy here as well; clamp it overnight.")
    )
}

/// What the Posts path must make of the glue thread: its question, each
/// post's author and text, nothing else (its title is the record's).
const GLUE_THREAD: [&str; 7] = [
    "I need to fix an oak shelf to a steel frame without screws.",
    "ann",
    "A two-part epoxy, with the steel sanded first.",
    "bob",
    "Construction adhesive works too, if the shelf is light.",
    "cy",
    "Epoxy here as well; clamp it overnight.",
];

#[test]
fn what_follows_the_last_post_is_left_out() {
    let html = format!(
        "<body><div class=page><h1>Which glue holds oak to steel?</h1>\
         <p>I need to fix an oak shelf to a steel frame without screws.</p>\
         {}\
         <p>You must sign in to answer this question.</p>\
         <div class=help><p>Allow notifications in your browser to hear of new replies.</p></div>\
         </div></body>",
        glue_posts()
    );
    assert_eq!(item_texts(&html, ItemKind::Posts), GLUE_THREAD);
}

#[test]
fn link_lists_before_the_first_post_are_left_out() {
    let html = format!(
        "<body><div class=page><div class=title><h1><a href=/t/9>Which glue holds oak to steel?</a></h1></div>\
         <div class=rules><p>Posting rules</p><ul><li><a href=/r/1>Be kind to other woodworkers</a></li>\
         <li><a href=/r/2>Search the forum before you ask</a></li>\
         <li><a href=/r/3>No sales posts outside the market</a></li></ul></div>\
         <p>I need to fix an oak shelf to a steel frame without screws.</p>\
         {}</div></body>",
        glue_posts()
    );
    assert_eq!(item_texts(&html, ItemKind::Posts), GLUE_THREAD);
}

#[test]
fn what_stands_before_the_threads_title_is_left_out() {
    let html = format!(
        "<body><div class=page><div class=notice><p>You are not logged in. \
         Log in to take part in the discussions of our woodworking forum.</p></div>\
         <p>Woodworking forum, since 2004</p>\
         <h1>Which glue holds oak to steel?</h1>\
         <p>I need to fix an oak shelf to a steel frame without screws.</p>\
         {}</div></body>",
        glue_posts()
    );
    assert_eq!(item_texts(&html, ItemKind::Posts), GLUE_THREAD);
}

#[test]
fn what_stands_before_a_listings_heading_is_left_out() {
    let card = |name: &str| format!("<div class=card><h3>{name}</h3><p>In stock</p></div>");
    let html = format!(
        "<body><div class=page><p>Free delivery on orders over fifty euros</p>\
         <h1>Kettles</h1><div class=grid>{}{}{}</div></div></body>",
        card("Blue kettle"),
        card("Red kettle"),
        card("Green kettle")
    );
    let texts = item_texts(&html, ItemKind::Cards);
    assert_eq!(texts[0], "Kettles", "{texts:?}");
    assert!(
        !texts.iter().any(|t| t.contains("Free delivery")),
        "{texts:?}"
    );
}

#[test]
fn cards_keep_their_varying_values() {
    let card = |name: &str, price: &str| {
        format!("<div class=card><h3>{name}</h3><p>Price: {price}</p><p>Added 2024</p></div>")
    };
    let html = format!(
        "<body><div class=grid>{}{}{}</div></body>",
        card("Blue kettle", "12 euros"),
        card("Red kettle", "14 euros"),
        card("Green kettle", "19 euros")
    );
    let texts = item_texts(&html, ItemKind::Cards);
    assert!(texts.contains(&"Price: 14 euros".to_string()), "{texts:?}");
    assert!(!texts.contains(&"Added 2024".to_string()), "{texts:?}");
}

#[test]
fn a_posters_profile_fields_are_template_whoever_fills_them() {
    // A phpBB-like thread: some posters fill in their location and
    // system, in fewer than half of the posts; a label said in two posts
    // is theirs.
    let post = |user: &str, fields: &str, said: &str| {
        format!(
            "<div class=post><dl class=profile><dt>{user}</dt>{fields}</dl>\
             <div class=body><p>{said}</p></div></div>"
        )
    };
    let fields =
        |place: &str, os: &str| format!("<dd>Location: {place}</dd><dd>Primary OS: {os}</dd>");
    let html = format!(
        "<body><div class=thread>{}{}{}{}{}{}{}</div></body>",
        post("ann", "", "Output: error 12"),
        post("bob", &fields("Leeds", "Fedora"), "Which guest additions?"),
        post("ann", "", "Output: version 6"),
        post("cy", &fields("Oslo", "Windows"), "Update them first."),
        post("dee", "", "Same here, the update solved it."),
        post("eve", &fields("Lima", "macOS"), "The release notes say so."),
        post("fay", "", "Thanks, that did it here too.")
    );
    let texts = item_texts(&html, ItemKind::Posts);
    assert!(
        !texts
            .iter()
            .any(|t| t.starts_with("Location:") || t.starts_with("Primary OS:")),
        "{texts:?}"
    );
    for said in [
        "Output: error 12",
        "Output: version 6",
        "Update them first.",
    ] {
        assert!(texts.contains(&said.to_string()), "{said}: {texts:?}");
    }
}
