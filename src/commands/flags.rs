//! Range checks of the command-line values `extract` and `crawl` share,
//! made where they enter: a value out of range is a usage error naming the
//! flag (exit 2), never a panic or an overflow later.

use std::time::Duration;

use crate::fetch::host::check_rate;
use crate::fetch::{check_user_agent, default_user_agent};
use crate::limits::{MAX_RUN_DURATION, MAX_TIMEOUT};

/// The raw values.
#[derive(Debug, Clone, Default)]
pub struct RunFlags<'a> {
    /// `--rate` (crawl only).
    pub rate: Option<f64>,
    /// `--timeout`, seconds.
    pub timeout: u64,
    /// `--max-duration`, seconds (crawl only).
    pub max_duration: Option<u64>,
    /// `--user-agent`.
    pub user_agent: Option<&'a str>,
}

/// The values, checked and converted.
#[derive(Debug, Clone)]
pub struct CheckedFlags {
    /// The whole-request timeout.
    pub timeout: Duration,
    /// The run's time limit.
    pub max_duration: Option<Duration>,
    /// The user agent (the default when none was given).
    pub user_agent: String,
}

/// Checks the flags; the error names the flag and the accepted range.
pub fn check_run_flags(f: &RunFlags<'_>) -> Result<CheckedFlags, String> {
    if let Some(rate) = f.rate {
        check_rate(rate).map_err(|e| format!("--rate {e}"))?;
    }
    if !(1..=MAX_TIMEOUT.as_secs()).contains(&f.timeout) {
        return Err(format!(
            "--timeout {}: must be between 1 and {} seconds",
            f.timeout,
            MAX_TIMEOUT.as_secs()
        ));
    }
    if let Some(d) = f.max_duration {
        if d > MAX_RUN_DURATION.as_secs() {
            return Err(format!(
                "--max-duration {d}: must be at most {} seconds (10 years)",
                MAX_RUN_DURATION.as_secs()
            ));
        }
    }
    let user_agent = match f.user_agent {
        Some(ua) => {
            check_user_agent(ua).map_err(|e| format!("--user-agent {ua:?}: {e}"))?;
            ua.to_string()
        }
        None => default_user_agent(),
    };
    Ok(CheckedFlags {
        timeout: Duration::from_secs(f.timeout),
        max_duration: f.max_duration.map(Duration::from_secs),
        user_agent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> RunFlags<'static> {
        RunFlags {
            rate: Some(1.0),
            timeout: 30,
            max_duration: None,
            user_agent: None,
        }
    }

    #[test]
    fn out_of_range_values_are_refused() {
        assert!(check_run_flags(&flags()).is_ok());
        for rate in [0.0, -1.0, 1e-320, f64::NAN, f64::INFINITY, 1e9] {
            let e = check_run_flags(&RunFlags {
                rate: Some(rate),
                ..flags()
            })
            .unwrap_err();
            assert!(e.starts_with("--rate"), "{e}");
        }
        let e = check_run_flags(&RunFlags {
            max_duration: Some(u64::MAX),
            ..flags()
        })
        .unwrap_err();
        assert!(e.starts_with("--max-duration 18446744073709551615"), "{e}");
        for timeout in [0, u64::MAX] {
            let e = check_run_flags(&RunFlags { timeout, ..flags() }).unwrap_err();
            assert!(e.starts_with("--timeout"), "{e}");
        }
        let e = check_run_flags(&RunFlags {
            user_agent: Some("a\nb"),
            ..flags()
        })
        .unwrap_err();
        assert!(e.starts_with("--user-agent"), "{e}");
    }
}
