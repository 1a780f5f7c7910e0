//! Embeds every `selectors/**/*.toml` into the binary, with an index of
//! their names, bases and hosts read here, at build time, so that a run
//! finds the config of a host without parsing every file (configs are
//! compiled lazily, when a page of their host is met). A config whose
//! TOML does not parse, or whose `name`, `extends` or `hosts` have the
//! wrong type, fails the build; the full validation of every config is a
//! unit test (`builtin_configs_are_valid`) and `newscrawl selectors list`.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// `name`, `extends` and `hosts` of one config file.
fn head(path: &Path, text: &str) -> (String, Option<String>, Vec<String>) {
    let fail = |message: String| -> ! { panic!("{}: {message}", path.display()) };
    let table: toml::Table = toml::from_str(text).unwrap_or_else(|e| fail(e.to_string()));
    let string = |key: &str| match table.get(key) {
        None => None,
        Some(toml::Value::String(s)) => Some(s.clone()),
        Some(_) => fail(format!("`{key}` must be a string")),
    };
    let name = string("name").unwrap_or_else(|| fail("`name` is missing".into()));
    let hosts = match table.get("hosts") {
        None => Vec::new(),
        Some(toml::Value::Array(list)) => list
            .iter()
            .map(|h| match h {
                toml::Value::String(s) => s.clone(),
                _ => fail("`hosts` must be a list of strings".into()),
            })
            .collect(),
        Some(_) => fail("`hosts` must be a list of strings".into()),
    };
    (name, string("extends"), hosts)
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let dir = root.join("selectors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    let mut code = String::from(
        "/// Every built-in config: its file below selectors/, its TOML text and\n\
         /// the name, base and hosts read from it at build time.\n\
         pub static BUILTIN: &[crate::selectors::registry::BuiltinConfig] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
        let (name, extends, hosts) = head(path, &text);
        let rel = path.strip_prefix(&dir).expect("below selectors/");
        code.push_str(&format!(
            "    crate::selectors::registry::BuiltinConfig {{ file: {:?}, text: include_str!({:?}), name: {:?}, extends: {:?}, hosts: &{:?} }},\n",
            rel.to_string_lossy().replace('\\', "/"),
            path.display().to_string(),
            name,
            extends,
            hosts,
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    std::fs::write(out.join("builtin_selectors.rs"), code).expect("OUT_DIR is writable");
}
