//! Italian and English blog/news templates with in-text widgets (inline
//! READ links, share bars, sidebars, cookie banners, comment forms): the
//! generic extractor returns the exact article body and none of the widgets.

use newscrawl::extract::{extract_page, ExtractOptions, PageInput};
use newscrawl::selectors::SiteRegistry;

fn body(html: &str) -> String {
    let input = PageInput::new(html.as_bytes()).with_url(
        "https://blog.example.it/2024/05/02/articolo/"
            .parse()
            .unwrap(),
    );
    let opts = ExtractOptions {
        use_selectors: false,
        ..Default::default()
    };
    extract_page(&input, &SiteRegistry::empty(), &opts)
        .expect("a record")
        .record
        .body
}

const P1: &str = "Dopo l’incontro di Lavrov, Blinken ha avvertito che le conseguenze sarebbero state gravi per tutti, e la riunione si è chiusa senza un accordo.";
const P2: &str = "Il ministro ha poi spiegato ai giornalisti che la trattativa continuerà nelle prossime settimane, con un nuovo incontro previsto a Ginevra.";
const P3: &str = "Secondo fonti diplomatiche, le due delegazioni hanno discusso anche della crisi energetica e delle sanzioni, senza però trovare un’intesa.";

#[test]
fn wordpress_template_with_read_link_share_bar_and_comment_form() {
    let html = format!(
        r##"<html lang="it"><head><title>Lavrov e Blinken - Il Blog</title></head><body>
<div class="cookie-banner">Questo sito usa i cookie. <button>Accetta</button> Accetta tutti i cookie</div>
<header id="masthead"><a href="/">Il Blog</a><nav><a href="/politica">Politica</a> <a href="/esteri">Esteri</a></nav></header>
<div id="content"><main id="main"><article class="post">
<header class="entry-header"><h1 class="entry-title">Lavrov e Blinken</h1><div class="entry-meta">2 maggio 2024 di Mario Rossi</div></header>
<div class="entry-content"><p>{P1}</p>
<p><strong>READ</strong>&nbsp; <a href="/altro">Will Smith risponde al divieto</a></p>
<p>{P2}</p><p>{P3}</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Condividi:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">Twitter</a></li></ul></div>
</div></article>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title">Lascia un commento</h3>
<form><p class="comment-notes">Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *</p><textarea></textarea></form></div></div>
</main><aside id="secondary" class="widget-area"><section class="widget"><h2>Articoli recenti</h2><ul><li><a href="/a">Uno</a></li><li><a href="/b">Due</a></li></ul></section></aside></div>
<footer id="colophon">© 2024 Il Blog</footer></body></html>"##
    );
    assert_eq!(body(&html), format!("{P1}\n\n{P2}\n\n{P3}"));
}

#[test]
fn news_template_with_leggi_anche_caption_and_newsletter() {
    let html = format!(
        r##"<html><head><title>Notizia | Giornale</title></head><body>
<div id="cookie-consent"><p>Utilizziamo i cookie per migliorare la tua esperienza di navigazione, continuando accetti.</p></div>
<div class="page"><div class="main-col"><div class="article-body">
<figure><img src="x.jpg"><figcaption>Lavrov a Mosca (foto Ansa)</figcaption></figure>
<p>{P1}</p><p class="leggi-anche"><a href="/z">Leggi anche: la crisi in Medio Oriente</a></p><p>{P2}</p>
<div class="newsletter-box"><p>Iscriviti alla nostra newsletter per ricevere ogni giorno le notizie più importanti nella tua casella.</p></div>
<p>{P3}</p></div></div>
<div class="sidebar"><div class="most-read"><h3>I più letti</h3><p><a href="/1">Un articolo molto letto oggi sul sito</a></p></div></div></div>
</body></html>"##
    );
    assert_eq!(body(&html), format!("{P1}\n\n{P2}\n\n{P3}"));
}

#[test]
fn english_template_with_leave_a_reply() {
    let e1 = "The council voted on Tuesday to extend the tram line, a decision that follows years of debate and two public consultations.";
    let e2 = "Work is expected to start next spring, and the new stops should open to passengers by the end of the following year.";
    let html = format!(
        r##"<html><body><div class="wrap"><div class="post-content"><p class="byline">By Jane Doe</p><p>{e1}</p>
<p><a href="/more">Read more: Trams across Europe</a></p><p>{e2}</p><p>Share this article</p></div>
<div class="comments"><h3>Leave a Reply</h3><p>Your email address will not be published. Required fields are marked *</p></div></div></body></html>"##
    );
    assert_eq!(body(&html), format!("{e1}\n\n{e2}"));
}
