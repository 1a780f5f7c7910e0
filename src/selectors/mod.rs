//! Per-site selector configs: the model ([`SiteConfig`]), loading with
//! validation, `extends` inheritance and matching by host ([`SiteRegistry`]).
//!
//! Host matching, on hosts in one form (lower-case, punycode for
//! internationalised names, no trailing dot, with a non-default port; see
//! [`hosts::normalize_host`]), in order: the exact host; the host with a
//! leading `www.` added or removed; then each parent domain of the host
//! (`news.example.com` falls back to a config listing `example.com`), the
//! longest match first.

mod config;
pub mod drift;
mod error;
pub mod hosts;
pub mod redesign;
pub mod registry;

pub use config::{
    split_attr, Discover, ExtractRules, FieldKind, FieldSelector, LiveTest, RawDiscover,
    RawExtract, RawSiteConfig, SiteConfig,
};
pub use error::ConfigError;
pub use registry::SiteRegistry;

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
    fn builtin_configs_are_valid() {
        let r = SiteRegistry::builtin().expect("the shipped index is consistent");
        r.validate().expect("every shipped config compiles");
        assert!(r.by_name("wordpress").is_some_and(|w| w.is_base()));
        assert!(
            r.iter()
                .all(|s| s.hosts.iter().all(|h| !h.ends_with(".example"))),
            "configs for invented hosts belong in fixtures/, not in the built-in set"
        );
    }

    #[test]
    fn builtin_configs_compile_only_when_their_host_is_met() {
        let r = SiteRegistry::builtin().unwrap();
        assert_eq!(r.compiled_count(), 0);
        assert!(r.for_host("unknown.example.org").is_none());
        assert_eq!(r.compiled_count(), 0);
        let site = r
            .by_name("ilpost")
            .or_else(|| r.iter().find(|s| s.extends.is_some()));
        let (host, base) = {
            let s = site.expect("a config that extends a base");
            (s.hosts[0].clone(), s.extends.clone())
        };
        let r = SiteRegistry::builtin().unwrap();
        let site = r.for_host(&host).expect("its own host");
        assert_eq!(site.hosts[0], host);
        // The config and its base, nothing else.
        assert_eq!(r.compiled_count(), 1 + usize::from(base.is_some()));
    }

    #[test]
    fn internationalised_and_trailing_dot_hosts() {
        let unicode = "name = \"buch\"\nhosts = [\"bücher.example\"]\n";
        let puny = "name = \"mag\"\nhosts = [\"xn--zeitschrift-v8a.example.\"]\n";
        let r = reg(&[("buch.toml", unicode), ("mag.toml", puny)]).unwrap();
        let u: url::Url = "https://bücher.example/a".parse().unwrap();
        assert_eq!(u.host_str(), Some("xn--bcher-kva.example"));
        assert_eq!(r.for_url(&u).unwrap().name, "buch");
        assert_eq!(r.for_host("BÜCHER.example.").unwrap().name, "buch");
        let u: url::Url = "https://www.zeitschrift\u{e4}.example./x".parse().unwrap();
        assert_eq!(r.for_url(&u).unwrap().name, "mag");
        let u: url::Url = "https://xn--bcher-kva.example.:8443/x".parse().unwrap();
        assert_eq!(r.for_url(&u).unwrap().name, "buch");
    }

    #[test]
    fn live_tests_are_validated_with_file_line_and_key() {
        let ok = "name = \"x\"\nhosts = [\"x.com\"]\n[[test]]\nurl = \"https://www.x.com/a\"\ncontains = [\"one  two\"]\nnot_contains = [\"Read more\"]\n";
        let r = reg(&[("x.toml", ok)]).unwrap();
        let t = &r.by_name("x").unwrap().tests;
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].contains, ["one two"]);
        for (toml, want) in [
            (
                "name = \"x\"\nhosts = [\"x.com\"]\n[[test]]\nurl = \"ftp://x.com/a\"\n",
                "x.toml:4: test[0].url: `ftp://x.com/a` is not an http(s) URL",
            ),
            (
                "name = \"x\"\nhosts = [\"x.com\"]\n[[test]]\nurl = \"https://y.com/a\"\n",
                "x.toml:4: test[0].url: `https://y.com/a` is not on one of the config's hosts",
            ),
            (
                "name = \"x\"\nhosts = [\"x.com\"]\n\n[[test]]\nurl = \"https://x.com/a\"\ncontains = [\"a\", \"  \"]\n",
                "x.toml:6: test[0].contains[1]: a snippet must not be blank",
            ),
        ] {
            let e = reg(&[("x.toml", toml)]).unwrap_err().to_string();
            assert_eq!(e, want);
        }
        let unknown = "name = \"x\"\nhosts = [\"x.com\"]\n[[test]]\nurl = \"https://x.com/a\"\nexpect = [\"a\"]\n";
        let e = reg(&[("x.toml", unknown)]).unwrap_err().to_string();
        assert!(
            e.starts_with("x.toml: line 5") && e.contains("expect"),
            "{e}"
        );
    }
}
