//! A PostgreSQL server for the tests that need one: the URL in
//! `NEWSCRAWL_TEST_POSTGRES` (`.ci/run` starts a throwaway cluster with
//! `scripts/pg-test-cluster.sh` and sets it). Each state gets a schema of
//! its own, so tests never see each other's rows.

use tokio_postgres::NoTls;

/// The server's URL, or `None` after saying loudly that `test` is skipped.
pub fn url_or_skip(test: &str) -> Option<String> {
    match std::env::var("NEWSCRAWL_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            // Straight to the process's stderr: the test harness captures
            // `eprintln!` of passing tests, and a skip must be seen.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\n*** SKIPPED {test}: NEWSCRAWL_TEST_POSTGRES is not set; start a server with \
                 `scripts/pg-test-cluster.sh start` and export the URL it prints ***"
            );
            None
        }
    }
}

/// Runs `sql` (one or more statements) on the server at `url`; returns the
/// first column of the rows, as text.
fn simple(url: &str, sql: &str) -> Vec<String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(url, NoTls).await.unwrap();
        let task = tokio::spawn(conn);
        let messages = client.simple_query(sql).await.unwrap();
        drop(client);
        let _ = task.await;
        messages
            .iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .collect()
    })
}

/// Runs SQL on the server at `url` (admin work: schemas).
pub fn execute(url: &str, sql: &str) {
    simple(url, sql);
}

/// The first column of the rows `sql` returns, as text (for checks on a
/// crawl state: connect with its URL).
pub fn strings(url: &str, sql: &str) -> Vec<String> {
    simple(url, sql)
}

/// A new, empty schema on the server at `url`; returns its name and the
/// URL of a crawl state in it.
pub fn fresh_state(url: &str) -> (String, String) {
    let name = format!("nc_test_{:016x}", fastrand::u64(..));
    execute(url, &format!("CREATE SCHEMA {name}"));
    let sep = if url.contains('?') { '&' } else { '?' };
    (
        name.clone(),
        format!("{url}{sep}options=-csearch_path%3D{name}"),
    )
}

/// Drops a schema made by [`fresh_state`].
pub fn drop_schema(url: &str, name: &str) {
    execute(url, &format!("DROP SCHEMA IF EXISTS {name} CASCADE"));
}

/// A fresh state on the test server, its schema dropped at the end; `None`
/// (after a loud skip) when no server is given.
pub struct FreshState {
    server: String,
    schema: String,
    /// The state's connection URL (`--state`).
    pub url: String,
}

impl FreshState {
    /// A fresh state for `test`, or `None` after a loud skip.
    pub fn new(test: &str) -> Option<Self> {
        let server = url_or_skip(test)?;
        let (schema, url) = fresh_state(&server);
        Some(Self {
            server,
            schema,
            url,
        })
    }
}

impl Drop for FreshState {
    fn drop(&mut self) {
        drop_schema(&self.server, &self.schema);
    }
}
