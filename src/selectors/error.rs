//! Errors of loading selector configs; each names the file (and key).

use thiserror::Error;

use crate::limits::MAX_QUOTED_CHARS;

/// `s` as a message quotes it: whole when short, else its first
/// [`MAX_QUOTED_CHARS`] characters, an ellipsis and its length (a config
/// value can be a 300 KB selector).
pub fn quoted(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED_CHARS) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}… ({} bytes)", &s[..cut], s.len()),
    }
}

/// A config file that could not be loaded.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{file}: cannot read")]
    Read {
        /// The file.
        file: String,
        /// The I/O error (the cause: shown once, after the message).
        source: std::io::Error,
    },
    /// The TOML does not parse or has unknown keys.
    #[error("{file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// A value is invalid.
    #[error("{file}:{line}: {key}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// 1-based line of the value (0 when unknown).
        line: usize,
        /// The key, e.g. `extract.body[1]`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// Two configs claim the same name or host.
    #[error("{file}: {key} `{value}` is already used by {other}")]
    Duplicate {
        /// The later file.
        file: String,
        /// `name` or `hosts`.
        key: String,
        /// The duplicated value.
        value: String,
        /// The earlier file.
        other: String,
    },
    /// `extends` names no known config, or the chain loops.
    #[error("{file}: extends: {message}")]
    Extends {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_in_messages() {
        assert_eq!(quoted("h1.title"), "h1.title");
        let long = "a".repeat(300_000);
        let q = quoted(&long);
        assert!(q.len() < 200, "{q}");
        assert!(q.ends_with("… (300000 bytes)"), "{q}");
    }

    #[test]
    fn a_read_error_names_its_cause_once() {
        let e = ConfigError::Read {
            file: "x.toml".into(),
            source: std::io::Error::from_raw_os_error(2),
        };
        let chain = format!("{:#}", anyhow::Error::from(e));
        assert_eq!(chain.matches("os error 2").count(), 1, "{chain}");
    }
}
