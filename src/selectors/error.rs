//! Errors of loading selector configs; each names the file (and key).

use thiserror::Error;

/// A config file that could not be loaded.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error.
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
