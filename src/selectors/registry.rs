//! [`SiteRegistry`]: the configs of a run, indexed by name and host, each
//! compiled on first use. The built-in configs come with an index made at
//! build time, so a run that meets one host compiles one config (and its
//! base); a folder given with `--selectors` is compiled whole when loaded,
//! so that its errors are reported at start.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::config::{self, RawSiteConfig, SiteConfig};
use super::error::ConfigError;
use super::hosts::{lookup_keys, normalize_host};

/// A built-in config as `build.rs` embeds it.
#[derive(Debug)]
pub struct BuiltinConfig {
    /// Path below `selectors/`.
    pub file: &'static str,
    /// The TOML text.
    pub text: &'static str,
    /// Its `name`.
    pub name: &'static str,
    /// Its `extends`.
    pub extends: Option<&'static str>,
    /// Its `hosts`, as written.
    pub hosts: &'static [&'static str],
}

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_selectors.rs"));
}

/// One config: where it comes from, what the index needs, and the
/// compiled form once asked for (None when it does not compile).
#[derive(Debug, Clone)]
struct Entry {
    file: String,
    text: Cow<'static, str>,
    name: String,
    extends: Option<String>,
    hosts: Vec<String>,
    compiled: OnceLock<Option<Arc<SiteConfig>>>,
}

/// All site configs of a run, indexed by name and host.
#[derive(Debug, Clone, Default)]
pub struct SiteRegistry {
    entries: Vec<Entry>,
    by_host: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl SiteRegistry {
    /// A registry with no configs (generic extraction only).
    pub fn empty() -> Self {
        Self::default()
    }

    /// The configs built into the binary from the repository's
    /// `selectors/`, compiled when first used.
    pub fn builtin() -> Result<Self, ConfigError> {
        let entries = builtin::BUILTIN
            .iter()
            .map(|b| Entry {
                file: format!("selectors/{}", b.file),
                text: Cow::Borrowed(b.text),
                name: b.name.to_string(),
                extends: b.extends.map(str::to_string),
                hosts: b.hosts.iter().filter_map(|h| normalize_host(h)).collect(),
                compiled: OnceLock::new(),
            })
            .collect();
        Self::index(entries)
    }

    /// Loads and compiles every `*.toml` below `dir` (recursively).
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

    /// Builds a registry from `(file label, TOML text)` pairs, compiling
    /// every config (the first error is returned).
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut entries = Vec::new();
        for (file, text) in sources {
            let raw = parse(&file, &text)?;
            // Compiled alone first: a bad name or host is reported here.
            let site = config::compile(&raw, &file, &text)?;
            entries.push(Entry {
                file,
                text: Cow::Owned(text),
                name: site.name,
                extends: site.extends,
                hosts: site.hosts,
                compiled: OnceLock::new(),
            });
        }
        let registry = Self::index(entries)?;
        registry.validate()?;
        Ok(registry)
    }

    /// A registry of one compiled config (for simulations and tests).
    pub fn single(site: SiteConfig) -> Self {
        let entry = Entry {
            file: site.file.clone(),
            text: Cow::Borrowed(""),
            name: site.name.clone(),
            extends: None,
            hosts: site.hosts.clone(),
            compiled: OnceLock::from(Some(Arc::new(site))),
        };
        Self::index(vec![entry]).expect("one config cannot clash with itself")
    }

    /// Indexes entries by name and host; rejects duplicates and unknown or
    /// looping `extends`.
    fn index(entries: Vec<Entry>) -> Result<Self, ConfigError> {
        let mut by_name = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(other) = by_name.insert(e.name.clone(), i) {
                return Err(ConfigError::Duplicate {
                    file: e.file.clone(),
                    key: "name".into(),
                    value: e.name.clone(),
                    other: entries[other].file.clone(),
                });
            }
        }
        let mut by_host = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for host in &e.hosts {
                if let Some(other) = by_host.insert(host.clone(), i) {
                    return Err(ConfigError::Duplicate {
                        file: e.file.clone(),
                        key: "hosts".into(),
                        value: host.clone(),
                        other: entries[other].file.clone(),
                    });
                }
            }
        }
        for e in &entries {
            let mut chain = vec![e.name.as_str()];
            let mut current = e;
            while let Some(base) = &current.extends {
                let &b = by_name.get(base).ok_or_else(|| ConfigError::Extends {
                    file: e.file.clone(),
                    message: format!("no config is named `{base}`"),
                })?;
                if chain.contains(&base.as_str()) {
                    return Err(ConfigError::Extends {
                        file: e.file.clone(),
                        message: format!("`{base}` extends back to `{}` (a loop)", current.name),
                    });
                }
                chain.push(base);
                current = &entries[b];
            }
        }
        Ok(Self {
            entries,
            by_host,
            by_name,
        })
    }

    /// Compiles every config not compiled yet; the first error is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        for i in 0..self.entries.len() {
            self.try_compiled(i)?;
        }
        Ok(())
    }

    /// Config `i`, compiled (and merged with its base) now if not before.
    fn try_compiled(&self, i: usize) -> Result<Arc<SiteConfig>, ConfigError> {
        if let Some(Some(site)) = self.entries[i].compiled.get() {
            return Ok(site.clone());
        }
        let site = self.build(i)?;
        let _ = self.entries[i].compiled.set(Some(site.clone()));
        Ok(site)
    }

    /// Compiles config `i` and merges its base into it (without caching
    /// `i` itself: [`Self::compiled`] caches from inside its cell).
    fn build(&self, i: usize) -> Result<Arc<SiteConfig>, ConfigError> {
        let entry = &self.entries[i];
        let raw = parse(&entry.file, &entry.text)?;
        let mut site = config::compile(&raw, &entry.file, &entry.text)?;
        if let Some(base) = &entry.extends {
            let base = self.try_compiled(self.by_name[base])?;
            config::merge_base(&mut site, &raw.extract, &base);
        }
        Ok(Arc::new(site))
    }

    /// Config `i`, compiled on first use; an invalid one is logged once and
    /// treated as absent (the built-in configs are validated by the tests,
    /// a `--selectors` folder when it is loaded).
    fn compiled(&self, i: usize) -> Option<&Arc<SiteConfig>> {
        self.entries[i]
            .compiled
            .get_or_init(|| match self.build(i) {
                Ok(site) => Some(site),
                Err(e) => {
                    tracing::error!("{e}");
                    None
                }
            })
            .as_ref()
    }

    /// Every config (bases included), in file order, compiled.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<SiteConfig>> {
        (0..self.entries.len()).filter_map(|i| self.compiled(i))
    }

    /// Number of configs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no configs.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many configs have been compiled so far.
    pub fn compiled_count(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.compiled.get().is_some())
            .count()
    }

    /// The config named `name`.
    pub fn by_name(&self, name: &str) -> Option<&Arc<SiteConfig>> {
        self.by_name.get(name).and_then(|&i| self.compiled(i))
    }

    /// The config for a host (see the module docs of
    /// [`crate::selectors`] for the matching rules).
    pub fn for_host(&self, host: &str) -> Option<&Arc<SiteConfig>> {
        let host = normalize_host(host)?;
        lookup_keys(&host)
            .iter()
            .find_map(|k| self.by_host.get(k))
            .and_then(|&i| self.compiled(i))
    }

    /// The config for a URL's host (with its port when not the default).
    pub fn for_url(&self, url: &url::Url) -> Option<&Arc<SiteConfig>> {
        let host = url.host_str()?;
        match url.port() {
            Some(port) => self
                .for_host(&format!("{}:{port}", host.trim_end_matches('.')))
                .or_else(|| self.for_host(host)),
            None => self.for_host(host),
        }
    }
}

/// Parses a config's TOML (with unknown keys rejected).
fn parse(file: &str, text: &str) -> Result<RawSiteConfig, ConfigError> {
    toml::from_str(text).map_err(|e| ConfigError::Syntax {
        file: file.to_string(),
        message: format_toml_error(&e, text),
    })
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
