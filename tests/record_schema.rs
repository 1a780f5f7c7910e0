//! The JSON Schema in `schema/record.schema.json` describes what the binary
//! really writes.

use std::path::Path;
use std::process::Command;

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
    let mut args = vec!["extract".to_string()];
    for entry in std::fs::read_dir(root.join("fixtures")).unwrap() {
        let page = entry.unwrap().path().join("page.html");
        // fixtures/warc/ holds archives, not a page.
        if page.exists() {
            args.push(page.display().to_string());
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_newscrawl"))
        .args(&args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), args.len() - 1);
    for line in text.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?} in {line}");
    }
    // And the schema is not vacuous: a record missing its body fails.
    let mut bad: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    bad.as_object_mut().unwrap().remove("body");
    assert!(!validator.is_valid(&bad));
}
