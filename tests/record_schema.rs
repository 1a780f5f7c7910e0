//! The JSON Schema in `schema/record.schema.json` describes what the binary
//! really writes.

use std::path::Path;
use std::process::Command;

/// Fixture folders whose page has no main content, so no record (see
/// `tests/cli_extract.rs`, which asserts that).
const NO_RECORD: &[&str] = &["app-shell"];

/// Every `page.html` under `dir`, sub-folders included (a fixture folder
/// may group several pages of one site, as `wordpress-block-theme/` does),
/// but those of [`NO_RECORD`].
fn fixture_pages(dir: &Path, pages: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| NO_RECORD.iter().any(|skip| n == *skip))
            {
                continue;
            }
            fixture_pages(&path, pages);
        } else if path.file_name().is_some_and(|n| n == "page.html") {
            pages.push(path.display().to_string());
        }
    }
}

#[test]
fn real_output_validates_against_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("schema/record.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema is valid");
    let mut args = vec![
        "extract".to_string(),
        "--selectors".to_string(),
        root.join("fixtures/selectors").display().to_string(),
    ];
    let inputs = args.len();
    fixture_pages(&root.join("fixtures"), &mut args);
    assert!(args.len() - inputs >= 8, "fixture pages missing: {args:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), args.len() - inputs);
    assert!(
        text.contains(r#""extractor":"site:"#),
        "the fixture sites' configs were used"
    );
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?} in {line}");
    }
    // Every documented `extractor` value is valid, an undocumented one not.
    let mut record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for (extractor, valid) in [
        ("generic", true),
        ("site:ilpost", true),
        ("site:ilpost+generic", true),
        ("site:", false),
        ("generic+site:ilpost", false),
        ("site:ilpost+", false),
    ] {
        record["extractor"] = extractor.into();
        assert_eq!(validator.is_valid(&record), valid, "{extractor}");
    }
    // And the schema is not vacuous: a record missing its body fails.
    let mut bad: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    bad.as_object_mut().unwrap().remove("body");
    assert!(!validator.is_valid(&bad));
}
