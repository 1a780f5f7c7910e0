//! Host names as configs list them and as URLs carry them, in one form:
//! lower-case ASCII (internationalised names in punycode, as URLs carry
//! them), no trailing dot, the port kept when there is one.

/// The one form of a host (with an optional `:port`): `Bücher.Example.`
/// and `xn--bcher-kva.example` both become `xn--bcher-kva.example`.
/// None when it is not a host name.
pub fn normalize_host(host: &str) -> Option<String> {
    let host = host.trim();
    let (name, port) = split_port(host);
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.contains(['/', '?', '#', '@']) || name.contains(char::is_whitespace)
    {
        return None;
    }
    let ascii = if name.is_ascii() && !name.starts_with('[') {
        name.to_ascii_lowercase()
    } else {
        url::Host::parse(name).ok()?.to_string()
    };
    Some(match port {
        Some(p) => format!("{ascii}:{p}"),
        None => ascii,
    })
}

/// Splits `host:port` (a port of digits only; `[v6]:port` too).
fn split_port(host: &str) -> (&str, Option<&str>) {
    if let Some((name, port)) = host.rsplit_once(':') {
        let bracketed_v6 = name.starts_with('[') && name.ends_with(']');
        let plain = !name.contains(':');
        if (bracketed_v6 || plain) && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            return (name, Some(port));
        }
    }
    (host, None)
}

/// The keys to look a (normalised) host up by, in order: the host itself,
/// the host with `www.` added or removed, then each parent domain with at
/// least two labels, the longest first.
pub fn lookup_keys(host: &str) -> Vec<String> {
    let mut keys = vec![host.to_string()];
    keys.push(match host.strip_prefix("www.") {
        Some(bare) => bare.to_string(),
        None => format!("www.{host}"),
    });
    let mut rest = host;
    while let Some((_, parent)) = rest.split_once('.') {
        if !parent.contains('.') {
            break;
        }
        if !keys.iter().any(|k| k == parent) {
            keys.push(parent.to_string());
        }
        rest = parent;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_form_for_every_spelling() {
        for (given, want) in [
            ("Example.COM", Some("example.com")),
            ("example.com.", Some("example.com")),
            ("bücher.example", Some("xn--bcher-kva.example")),
            ("XN--BCHER-KVA.example", Some("xn--bcher-kva.example")),
            ("Bücher.Example.", Some("xn--bcher-kva.example")),
            ("127.0.0.1:8080", Some("127.0.0.1:8080")),
            ("example.com.:8080", Some("example.com:8080")),
            ("[::1]:8080", Some("[::1]:8080")),
            ("", None),
            ("example.com/path", None),
            ("exa mple.com", None),
        ] {
            assert_eq!(normalize_host(given).as_deref(), want, "{given}");
        }
    }

    #[test]
    fn lookup_order() {
        assert_eq!(
            lookup_keys("news.example.co.uk"),
            [
                "news.example.co.uk",
                "www.news.example.co.uk",
                "example.co.uk",
                "co.uk"
            ]
        );
        assert_eq!(
            lookup_keys("www.example.com"),
            ["www.example.com", "example.com"]
        );
        assert_eq!(lookup_keys("localhost"), ["localhost", "www.localhost"]);
    }
}
