//! `extract --out`: JSONL, text or Parquet written to a file that appears
//! whole at the end of the run; Parquet rows equal the JSONL records.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use newscrawl::output::parquet::read_rows;
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn fixture(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

/// Two archives and a page file: every kind of record source.
fn inputs() -> Vec<String> {
    vec![
        fixture("warc/pages.warc.gz"),
        fixture("it-wordpress-read/page.html"),
        fixture("warc/plain.warc"),
    ]
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn extract(extra: &[&str]) -> Output {
    let mut args = vec!["extract".to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(inputs());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&refs)
}

#[test]
fn out_writes_the_same_jsonl_as_stdout_and_replaces_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("sub/records.jsonl");
    let to_stdout = extract(&[]);
    assert!(to_stdout.status.success());
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, "an older run\n").unwrap();
    let to_file = extract(&["--out", out.to_str().unwrap()]);
    assert!(
        to_file.status.success(),
        "{}",
        String::from_utf8_lossy(&to_file.stderr)
    );
    assert!(to_file.stdout.is_empty());
    assert_eq!(std::fs::read(&out).unwrap(), to_stdout.stdout);
    let err = String::from_utf8_lossy(&to_file.stderr);
    assert!(err.contains("written"), "a summary says how many: {err}");
    // Nothing but the output is left in the folder.
    assert_eq!(std::fs::read_dir(out.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn parquet_rows_equal_the_jsonl_records() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = extract(&[]);
    let want = lines(&String::from_utf8(jsonl.stdout).unwrap());
    assert!(want.len() >= 7);
    for (args, path) in [
        (vec![], dir.path().join("by-name.parquet")),
        (vec!["--format", "parquet"], dir.path().join("by-flag.pq")),
    ] {
        let mut all = args.clone();
        all.extend(["--out", path.to_str().unwrap()]);
        let o = extract(&all);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let rows: Vec<Value> = read_rows(&path)
            .unwrap()
            .into_iter()
            .map(Value::Object)
            .collect();
        assert_eq!(rows, want, "{}", path.display());
    }
}

#[test]
fn format_flag_wins_over_the_file_name_and_parquet_needs_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("really-json.parquet");
    let o = extract(&["--format", "json", "--out", out.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(!lines(&std::fs::read_to_string(&out).unwrap()).is_empty());

    let o = extract(&["--format", "parquet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format parquet needs --out"));
}

#[test]
fn a_run_where_every_input_fails_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("records.jsonl");
    std::fs::write(&out, "kept\n").unwrap();
    let missing = dir.path().join("missing.warc.gz");
    let o = run(&[
        "extract",
        "--out",
        out.to_str().unwrap(),
        missing.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.warc.gz"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "kept\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `--out DIR` or `--out DIR/`: a usage error naming the folder, before any
/// input is read (it failed after the whole run, on the final rename).
#[test]
fn out_naming_a_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let page = fixture("it-wordpress-read/page.html");
    let existing = dir.path().to_str().unwrap().to_string();
    let missing = format!("{}/news/", dir.path().display());
    for out in [existing.as_str(), missing.as_str()] {
        let o = run(&["extract", "--out", out, &page]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("names a folder"), "{err}");
        assert!(err.contains(out.trim_end_matches('/')), "{err}");
    }
    assert!(!Path::new(&missing).exists());
}
