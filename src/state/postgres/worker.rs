//! Who a crawler is on a shared state: its worker id (`--worker NAME`, by
//! default this machine's host name and a stable machine id), and the
//! registration that keeps two processes from working under one id at once
//! (what the SQLite lock file does for a state file).
//!
//! A registration lasts as long as a host lease and is renewed with the
//! leases. A process that dies keeps its id until the registration expires,
//! unless it ran on this same machine and its pid is gone: then the id is
//! taken over at once (a crawler restarted after a kill starts right away).

use anyhow::{bail, Result};
use sha2::{Digest, Sha256};
use tokio_postgres::Client;

/// A worker's id on a shared state: its claims, leases, checkpoints and
/// run counters are kept under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerId(String);

impl WorkerId {
    /// Reads `--worker NAME`: 1 to 100 characters among letters, digits and
    /// `.`, `_`, `-`, `@`, `:`.
    pub fn parse(name: &str) -> Result<Self> {
        let ok = (1..=100).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | ':'));
        if !ok {
            bail!("--worker {name:?}: use 1 to 100 letters, digits, '.', '_', '-', '@' or ':'");
        }
        Ok(Self(name.to_string()))
    }

    /// This machine's default id: its host name and the first 8 hex digits
    /// of a hash of its machine id (`/etc/machine-id`), so that two
    /// machines with one host name differ. The same on every run; two
    /// crawlers on one machine need `--worker` names of their own.
    pub fn default_for_machine() -> Self {
        Self(machine())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for WorkerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `HOSTNAME-XXXXXXXX`: the host name and a hash of the machine id (the
/// host name alone where there is no machine id).
fn machine() -> String {
    let host = whoami::hostname()
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    let host: String = host
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let id = ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    match id {
        Some(id) => {
            let digest = Sha256::digest(id.as_bytes());
            format!(
                "{host}-{:02x}{:02x}{:02x}{:02x}",
                digest[0], digest[1], digest[2], digest[3]
            )
        }
        None => host,
    }
}

/// True when a process with this pid exists on this machine.
fn pid_alive(pid: i64) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 only checks that the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// A new random token identifying this process's registration.
fn token() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// Registers `worker` for this process for `ttl_ms`; returns its token.
/// Fails naming the process that holds it.
pub(super) async fn register(client: &Client, worker: &WorkerId, ttl_ms: i64) -> Result<String> {
    let token = token();
    let here = machine();
    let pid = i64::from(std::process::id());
    let inserted = client
        .execute(
            "INSERT INTO workers(worker, token, machine, pid, alive_until)
             VALUES ($1, $2, $3, $4, newscrawl_now_ms() + $5)
             ON CONFLICT (worker) DO NOTHING",
            &[&worker.as_str(), &token, &here, &pid, &ttl_ms],
        )
        .await?;
    if inserted == 1 {
        return Ok(token);
    }
    let row = client
        .query_one(
            "SELECT token, machine, pid, alive_until - newscrawl_now_ms() FROM workers WHERE worker = $1",
            &[&worker.as_str()],
        )
        .await?;
    let (old_token, machine, old_pid, left): (
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
    ) = (row.get(0), row.get(1), row.get(2), row.get(3));
    let expired = left.is_none_or(|l| l <= 0);
    let dead_here = machine.as_deref() == Some(here.as_str())
        && old_pid.is_some_and(|p| p != pid && !pid_alive(p));
    if !(expired || dead_here) {
        bail!(
            "worker {worker} is in use by pid {} on {} (its registration ends in {} s unless renewed); give each crawler its own --worker NAME",
            old_pid.unwrap_or_default(),
            machine.as_deref().unwrap_or("?"),
            (left.unwrap_or_default() + 999) / 1000
        );
    }
    let taken = client
        .execute(
            "UPDATE workers SET token = $2, machine = $3, pid = $4, alive_until = newscrawl_now_ms() + $5
             WHERE worker = $1 AND token IS NOT DISTINCT FROM $6",
            &[&worker.as_str(), &token, &here, &pid, &ttl_ms, &old_token],
        )
        .await?;
    if taken != 1 {
        bail!("worker {worker} was taken by another process at the same moment");
    }
    Ok(token)
}

/// Extends the registration; fails when another process took the id over
/// (this one stalled past its registration).
pub(super) async fn renew(
    client: &Client,
    worker: &WorkerId,
    token: &str,
    ttl_ms: i64,
) -> Result<()> {
    let n = client
        .execute(
            "UPDATE workers SET alive_until = newscrawl_now_ms() + $3 WHERE worker = $1 AND token = $2",
            &[&worker.as_str(), &token, &ttl_ms],
        )
        .await?;
    if n != 1 {
        bail!("worker {worker} was taken over by another process (this one stalled longer than its lease)");
    }
    Ok(())
}

/// Ends the registration (the id is free at once).
pub(super) async fn unregister(client: &Client, worker: &WorkerId, token: &str) -> Result<()> {
    client
        .execute(
            "UPDATE workers SET token = NULL, alive_until = NULL WHERE worker = $1 AND token = $2",
            &[&worker.as_str(), &token],
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_names() {
        assert!(WorkerId::parse("crawler-1.example.org").is_ok());
        assert!(WorkerId::parse("").is_err());
        assert!(WorkerId::parse("two words").is_err());
        let d = WorkerId::default_for_machine();
        assert_eq!(d, WorkerId::default_for_machine(), "stable");
        assert!(WorkerId::parse(d.as_str()).is_ok(), "{d}");
        assert!(pid_alive(i64::from(std::process::id())));
        assert!(!pid_alive(0));
    }
}
