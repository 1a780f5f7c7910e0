//! Per-site selector configs: the model ([`SiteConfig`]), loading with
//! validation, `extends` inheritance and matching by host ([`SiteRegistry`]).
//!
//! Host matching, in order: the exact host (lower-cased, with a non-default
//! port); the host with a leading `www.` added or removed; then each parent
//! domain of the host (`news.example.com` falls back to a config listing
//! `example.com`), the longest match first.

mod config;
mod error;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use config::{
    split_attr, Discover, ExtractRules, FieldKind, FieldSelector, RawDiscover, RawExtract,
    RawSiteConfig, SiteConfig,
};
pub use error::ConfigError;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_selectors.rs"));
}

/// All site configs of a run, indexed by name and host.
#[derive(Debug, Clone, Default)]
pub struct SiteRegistry {
    sites: Vec<Arc<SiteConfig>>,
    by_host: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl SiteRegistry {
    /// A registry with no configs (generic extraction only).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The configs built into the binary from the repository's `selectors/`.
    pub fn builtin() -> Result<Self, ConfigError> {
        let sources = builtin::BUILTIN
            .iter()
            .map(|(file, text)| (format!("selectors/{file}"), text.to_string()));
        Self::from_sources(sources)
    }

    /// Loads every `*.toml` below `dir` (recursively).
    pub fn load_dir(dir: &Path) -> Result<Self, ConfigError> {
        let mut files = Vec::new();
        collect_toml(dir, &mut files).map_err(|source| ConfigError::Read {
            file: dir.display().to_string(),
            source,
        })?;
        files.sort();
        let mut sources = Vec::with_capacity(files.len());
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                file: path.display().to_string(),
                source,
            })?;
            sources.push((path.display().to_string(), text));
        }
        Self::from_sources(sources)
    }

    /// Builds a registry from `(file label, TOML text)` pairs.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut raws = Vec::new();
        let mut compiled: Vec<SiteConfig> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for (file, text) in sources {
            let raw: RawSiteConfig = toml::from_str(&text).map_err(|e| ConfigError::Syntax {
                file: file.clone(),
                message: format_toml_error(&e, &text),
            })?;
            let site = config::compile(&raw, &file, &text)?;
            if let Some(&other) = by_name.get(&site.name) {
                return Err(ConfigError::Duplicate {
                    file,
                    key: "name".into(),
                    value: site.name.clone(),
                    other: compiled[other].file.clone(),
                });
            }
            by_name.insert(site.name.clone(), compiled.len());
            compiled.push(site);
            raws.push(raw);
        }
        // Resolve `extends` in dependency order, detecting unknown bases and loops.
        let mut resolved: Vec<Option<SiteConfig>> = vec![None; compiled.len()];
        for i in 0..compiled.len() {
            resolve(
                i,
                &compiled,
                &raws,
                &by_name,
                &mut resolved,
                &mut Vec::new(),
            )?;
        }
        let sites: Vec<Arc<SiteConfig>> = resolved
            .into_iter()
            .map(|s| Arc::new(s.expect("every config resolved")))
            .collect();
        let mut by_host = HashMap::new();
        for (i, site) in sites.iter().enumerate() {
            for host in &site.hosts {
                if let Some(&other) = by_host.get(host) {
                    let other: &Arc<SiteConfig> = &sites[other];
                    return Err(ConfigError::Duplicate {
                        file: site.file.clone(),
                        key: "hosts".into(),
                        value: host.clone(),
                        other: other.file.clone(),
                    });
                }
                by_host.insert(host.clone(), i);
            }
        }
        Ok(Self {
            sites,
            by_host,
            by_name,
        })
    }

    /// Every config (bases included), in file order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<SiteConfig>> {
        self.sites.iter()
    }

    /// Number of configs.
    pub fn len(&self) -> usize {
        self.sites.len()
    }

    /// True when there are no configs.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    /// The config named `name`.
    pub fn by_name(&self, name: &str) -> Option<&Arc<SiteConfig>> {
        self.by_name.get(name).map(|&i| &self.sites[i])
    }

    /// The config for a host (see the module docs for the matching rules).
    pub fn for_host(&self, host: &str) -> Option<&Arc<SiteConfig>> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if let Some(&i) = self.by_host.get(&host) {
            return Some(&self.sites[i]);
        }
        let alternate = match host.strip_prefix("www.") {
            Some(bare) => bare.to_string(),
            None => format!("www.{host}"),
        };
        if let Some(&i) = self.by_host.get(&alternate) {
            return Some(&self.sites[i]);
        }
        let mut rest = host.as_str();
        while let Some((_, parent)) = rest.split_once('.') {
            if !parent.contains('.') {
                break;
            }
            if let Some(&i) = self.by_host.get(parent) {
                return Some(&self.sites[i]);
            }
            rest = parent;
        }
        None
    }

    /// The config for a URL's host (with its port when not the default).
    pub fn for_url(&self, url: &url::Url) -> Option<&Arc<SiteConfig>> {
        let host = url.host_str()?;
        match url.port() {
            Some(port) => self
                .for_host(&format!("{host}:{port}"))
                .or_else(|| self.for_host(host)),
            None => self.for_host(host),
        }
    }
}

fn resolve(
    i: usize,
    compiled: &[SiteConfig],
    raws: &[RawSiteConfig],
    by_name: &HashMap<String, usize>,
    resolved: &mut Vec<Option<SiteConfig>>,
    chain: &mut Vec<usize>,
) -> Result<(), ConfigError> {
    if resolved[i].is_some() {
        return Ok(());
    }
    let site = &compiled[i];
    let Some(base_name) = &site.extends else {
        resolved[i] = Some(site.clone());
        return Ok(());
    };
    let &base = by_name.get(base_name).ok_or_else(|| ConfigError::Extends {
        file: site.file.clone(),
        message: format!("no config is named `{base_name}`"),
    })?;
    if chain.contains(&base) || base == i {
        return Err(ConfigError::Extends {
            file: site.file.clone(),
            message: format!("`{base_name}` extends back to `{}` (a loop)", site.name),
        });
    }
    chain.push(i);
    resolve(base, compiled, raws, by_name, resolved, chain)?;
    chain.pop();
    let mut merged = site.clone();
    let base_cfg = resolved[base].as_ref().expect("base resolved first");
    config::merge_base(&mut merged, &raws[i].extract, base_cfg);
    resolved[i] = Some(merged);
    Ok(())
}

fn collect_toml(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The toml crate's message, made one line: "line L, column C: message".
fn format_toml_error(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let line = config::line_of(text, span.start);
            let col = span.start
                - text[..span.start.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |p| p + 1)
                + 1;
            format!("line {line}, column {col}: {message}")
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(files: &[(&str, &str)]) -> Result<SiteRegistry, ConfigError> {
        SiteRegistry::from_sources(files.iter().map(|(f, t)| (f.to_string(), t.to_string())))
    }

    const BASE: &str = r##"
name = "wp"
[extract]
body = [".entry-content"]
drop = ["#respond"]
drop_text = ['^READ\s']
"##;

    #[test]
    fn extends_merges_drop_rules_and_inherits_missing_keys() {
        let site = r#"
name = "site"
extends = "wp"
hosts = ["www.example.it"]
[extract]
drop = [".share"]
drop_text = ['^Leggi anche']
"#;
        let r = reg(&[("wp.toml", BASE), ("site.toml", site)]).unwrap();
        let s = r.by_name("site").unwrap();
        assert_eq!(s.extract.body.len(), 1, "body inherited from the base");
        assert_eq!(s.extract.drop.len(), 2);
        assert_eq!(s.extract.drop_text.len(), 2);
        assert!(r.by_name("wp").unwrap().is_base());
    }

    #[test]
    fn host_matching_rules() {
        let site = "name = \"ex\"\nhosts = [\"example.com\"]\n";
        let port = "name = \"local\"\nhosts = [\"127.0.0.1:8080\"]\n";
        let r = reg(&[("ex.toml", site), ("local.toml", port)]).unwrap();
        assert_eq!(r.for_host("example.com").unwrap().name, "ex");
        assert_eq!(r.for_host("WWW.Example.com").unwrap().name, "ex");
        assert_eq!(r.for_host("news.example.com").unwrap().name, "ex");
        assert!(r.for_host("notexample.com").is_none());
        assert!(r.for_host("com").is_none());
        let u: url::Url = "http://127.0.0.1:8080/a".parse().unwrap();
        assert_eq!(r.for_url(&u).unwrap().name, "local");
    }

    #[test]
    fn errors_name_file_and_key() {
        let bad_css = "name = \"x\"\nhosts = [\"x.com\"]\n[extract]\nbody = [\"div[\"]\n";
        let e = reg(&[("x.toml", bad_css)]).unwrap_err().to_string();
        assert!(
            e.starts_with("x.toml:4: extract.body[0]: invalid CSS selector"),
            "{e}"
        );

        let bad_re = "name = \"x\"\n[extract]\ndrop_text = ['(']\n";
        let e = reg(&[("x.toml", bad_re)]).unwrap_err().to_string();
        assert!(
            e.starts_with("x.toml:3: extract.drop_text[0]: invalid regex"),
            "{e}"
        );

        let unknown = "name = \"x\"\n[extract]\nbodies = [\"p\"]\n";
        let e = reg(&[("x.toml", unknown)]).unwrap_err().to_string();
        assert!(e.contains("x.toml: line 3") && e.contains("bodies"), "{e}");

        let syntax = "name = \"x\"\nhosts = [\n";
        let e = reg(&[("x.toml", syntax)]).unwrap_err().to_string();
        assert!(e.starts_with("x.toml: line"), "{e}");

        let a = "name = \"a\"\nhosts = [\"a.com\"]\n";
        let b = "name = \"b\"\nhosts = [\"a.com\"]\n";
        let e = reg(&[("a.toml", a), ("b.toml", b)])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "b.toml: hosts `a.com` is already used by a.toml");
        let e = reg(&[("a.toml", a), ("a2.toml", a)])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "a2.toml: name `a` is already used by a.toml");

        let orphan = "name = \"o\"\nextends = \"nobody\"\n";
        let e = reg(&[("o.toml", orphan)]).unwrap_err().to_string();
        assert_eq!(e, "o.toml: extends: no config is named `nobody`");
    }

    #[test]
    fn builtin_configs_load() {
        let r = SiteRegistry::builtin().expect("the shipped configs are valid");
        assert!(r.by_name("wordpress").is_some_and(|w| w.is_base()));
    }
}
