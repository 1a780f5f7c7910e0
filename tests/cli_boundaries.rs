//! Values at the boundary: out-of-range flags are usage errors (exit 2)
//! naming the flag, out-of-range config values are config errors naming
//! file:line:key, never a panic; messages name their cause once, quote long
//! values shortly, and carry no terminal colours into a log file.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(args)
        .env_remove("NEWSCRAWL_LOG")
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a clean failure with `code` whose message contains `needle`.
fn fails_with(o: &Output, code: i32, needle: &str) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(code), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert!(e.contains(needle), "{needle:?} not in {e}");
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/windows-1252/page.html")
        .display()
        .to_string()
}

/// A selectors folder holding one config `x.toml` with `text`.
fn config(text: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("xx")).unwrap();
    std::fs::write(d.path().join("xx/x.toml"), text).unwrap();
    d
}

#[test]
fn out_of_range_crawl_flags_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    let state = d.path().join("s.db");
    let state = state.to_str().unwrap();
    // Port 9 on loopback: nothing is ever contacted, the flags fail first.
    let crawl = |extra: &[&str]| {
        let mut a = vec!["crawl", "--seed", "http://127.0.0.1:9/", "--state", state];
        a.extend_from_slice(extra);
        run(&a)
    };
    fails_with(
        &crawl(&["--max-duration", "18446744073709551615"]),
        2,
        "--max-duration 18446744073709551615: must be at most",
    );
    fails_with(
        &crawl(&["--rate", "1e-320"]),
        2,
        "--rate 1e-320: must be between",
    );
    fails_with(&crawl(&["--rate", "0"]), 2, "--rate 0.0: must be between");
    fails_with(
        &crawl(&["--timeout", "18446744073709551615"]),
        2,
        "--timeout 18446744073709551615: must be between",
    );
    fails_with(
        &crawl(&["--timeout", "0"]),
        2,
        "--timeout 0: must be between",
    );
    assert!(!Path::new(state).exists(), "a refused run opened the state");
}

#[test]
fn a_site_rate_out_of_range_names_file_line_and_key() {
    let conf = config(
        "name = \"x\"\nhosts = [\"127.0.0.1:9\"]\nrate = 1e-320\n[discover]\nstart = [\"http://127.0.0.1:9/\"]\n",
    );
    let d = tempfile::tempdir().unwrap();
    let o = run(&[
        "crawl",
        "--site",
        "x",
        "--selectors",
        conf.path().to_str().unwrap(),
        "--state",
        d.path().join("s.db").to_str().unwrap(),
    ]);
    fails_with(&o, 1, "xx/x.toml:3: rate: 1e-320: must be between");
}

#[test]
fn bad_user_agents_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    let state = d.path().join("s.db");
    for ua in [
        "bad\nua",
        "tab\tua",
        "zero\u{200b}width",
        "del\u{7f}",
        "   ",
    ] {
        let o = run(&[
            "crawl",
            "--seed",
            "http://127.0.0.1:9/",
            "--state",
            state.to_str().unwrap(),
            "--user-agent",
            ua,
        ]);
        fails_with(&o, 2, "--user-agent");
        let o = run(&["extract", "--user-agent", ua, "http://127.0.0.1:9/a"]);
        fails_with(&o, 2, "--user-agent");
    }
}

#[test]
fn url_flag_takes_http_urls_only() {
    for bad in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "mailto:a@b",
    ] {
        let o = run(&["extract", "--url", bad, &fixture()]);
        fails_with(&o, 2, &format!("--url {bad}: not an http(s) URL"));
        assert!(o.stdout.is_empty());
    }
    let o = run(&["extract", "--url", "https://news.example/a", &fixture()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_missing_path_names_its_os_error_once() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("missing");
    let m = missing.to_str().unwrap();
    let state = format!("{m}/s.db");
    let cases: Vec<Vec<&str>> = vec![
        vec!["selectors", "list", "--selectors", m],
        vec!["extract", "--selectors", m, "x.html"],
        vec!["extract", m],
        vec!["crawl", "--seed", "http://127.0.0.1:9/", "--state", &state],
        vec!["eval", "--corpus", m],
    ];
    for args in cases {
        let o = run(&args);
        let e = stderr(&o);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert_eq!(e.matches("(os error 2)").count(), 1, "{args:?}: {e}");
        assert!(
            e.contains(m),
            "{args:?}: the message must name the path: {e}"
        );
    }
}

#[test]
fn a_huge_invalid_selector_is_quoted_shortly() {
    let selector = format!("div > > {}", "p.x".repeat(100_000));
    let conf = config(&format!(
        "name = \"x\"\nhosts = [\"x.example\"]\n[extract]\nbody = [\"{selector}\"]\n"
    ));
    let o = run(&[
        "selectors",
        "list",
        "--selectors",
        conf.path().to_str().unwrap(),
    ]);
    fails_with(&o, 1, "xx/x.toml:4: extract.body[0]: invalid CSS selector");
    let e = stderr(&o);
    assert!(e.len() < 2_000, "{} bytes of message", e.len());
    assert!(e.contains(&format!("… ({} bytes)", selector.len())), "{e}");
}

#[test]
fn logs_to_a_file_carry_no_colours() {
    let d = tempfile::tempdir().unwrap();
    let log = std::fs::File::create(d.path().join("log")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args([
            "-v",
            "crawl",
            "--seed",
            "http://127.0.0.1:9/",
            "--state",
            d.path().join("s.db").to_str().unwrap(),
        ])
        .env_remove("NO_COLOR")
        .stderr(log)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = std::fs::read_to_string(d.path().join("log")).unwrap();
    assert!(text.contains("robots.txt unavailable"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "ANSI escapes in a log file: {text:?}"
    );
}
