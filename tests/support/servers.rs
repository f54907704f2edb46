//! Where the PostgreSQL and MariaDB tests find their server: the one named
//! by `TEST_POSTGRES_URL` / `TEST_MARIADB_URL`, else a private server that
//! the test binary starts on first use from the installed server tools and
//! shares among its tests. Without either, that backend's tests return at
//! once and the binary says so on one line; with `REQUIRE_ALL_BACKENDS=1`
//! (as in CI) they fail instead.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use super::databases::Backend;
use super::mariadb_server::MariadbServer;
use super::postgres_server::Cluster;

const REQUIRE_ALL: &str = "REQUIRE_ALL_BACKENDS";

impl Backend {
    fn label(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
            Backend::Mariadb => "MariaDB",
        }
    }

    fn url_variable(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => "TEST_POSTGRES_URL",
            Backend::Mariadb => "TEST_MARIADB_URL",
        }
    }

    /// The Debian (and Homebrew, near enough) package with the server.
    fn package(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => "postgresql",
            Backend::Mariadb => "mariadb-server",
        }
    }

    /// What to do to run this backend's tests.
    fn enable_hint(self) -> String {
        format!(
            "{} tests skipped: set {} or install {}",
            self.label(),
            self.url_variable(),
            self.package()
        )
    }
}

/// The URL in the backend's variable; an empty one counts as unset.
fn url_from_env(backend: Backend) -> Option<String> {
    std::env::var(backend.url_variable())
        .ok()
        .filter(|url| !url.is_empty() && backend != Backend::Sqlite)
}

fn installed(backend: Backend) -> bool {
    match backend {
        Backend::Sqlite => true,
        Backend::Postgres => Cluster::tools().is_some(),
        Backend::Mariadb => MariadbServer::tools().is_some(),
    }
}

fn available(backend: Backend) -> bool {
    url_from_env(backend).is_some() || installed(backend)
}

fn all_required() -> bool {
    std::env::var(REQUIRE_ALL).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Writes past libtest's capture of `eprintln!`, which would show the
/// line only for a failing test.
fn tell(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// True when `backend` has no server here: its tests then return at once,
/// passing. The first call of a test binary prints the binary's one line
/// naming every backend it skips (of `crate::SERVER_BACKENDS`). Under
/// `REQUIRE_ALL_BACKENDS` a missing backend fails the test instead.
pub fn skipped(backend: Backend) -> bool {
    assert!(
        backend == Backend::Sqlite || crate::SERVER_BACKENDS.contains(&backend),
        "add {backend:?} to SERVER_BACKENDS in this test binary's main.rs"
    );
    if available(backend) {
        return false;
    }
    assert!(
        !all_required(),
        "{REQUIRE_ALL} is set and there is no {} server: set {} or install {}",
        backend.label(),
        backend.url_variable(),
        backend.package()
    );
    static TOLD: Once = Once::new();
    TOLD.call_once(|| {
        let hints: Vec<String> = crate::SERVER_BACKENDS
            .iter()
            .filter(|b| !available(**b))
            .map(|b| b.enable_hint())
            .collect();
        tell(&hints.join("; "));
    });
    true
}

/// The PostgreSQL server tools for a test that stops and starts a server
/// of its own; `None` when they are missing, which the test then skips
/// (a server at `TEST_POSTGRES_URL` cannot stand in).
pub fn postgres_tools_or_skip() -> Option<PathBuf> {
    if skipped(Backend::Postgres) {
        return None;
    }
    let tools = Cluster::tools();
    if tools.is_none() {
        let why = "PostgreSQL outage test skipped: it stops and starts a server \
                   of its own; install postgresql";
        assert!(!all_required(), "{REQUIRE_ALL} is set and {why}");
        tell(why);
    }
    tools
}

/// The URL of `backend`'s server, without a database name: the variable's,
/// or that of the test binary's private server, started on first use.
pub fn server_url(backend: Backend) -> String {
    if let Some(url) = url_from_env(backend) {
        return url;
    }
    let missing = || -> ! {
        panic!(
            "no {} server; a test on it must start with `if skipped(backend) {{ return; }}`",
            backend.label()
        )
    };
    match backend {
        Backend::Sqlite => missing(),
        Backend::Postgres => {
            static SHARED: OnceLock<Result<Cluster, String>> = OnceLock::new();
            let bin = Cluster::tools().unwrap_or_else(|| missing());
            shared(&SHARED, backend, || {
                let cluster = Cluster::init(&bin);
                cluster.start();
                cluster
            })
            .server_url()
        }
        Backend::Mariadb => {
            static SHARED: OnceLock<Result<MariadbServer, String>> = OnceLock::new();
            let tools = MariadbServer::tools().unwrap_or_else(|| missing());
            shared(&SHARED, backend, || MariadbServer::start(&tools)).server_url()
        }
    }
}

/// The server in `cell`, started by the first caller. A failed start is
/// kept, so that the other tests fail at once with its message instead of
/// each trying again. Statics are never dropped: the server's watchdog
/// stops and removes it when the test process exits.
fn shared<S: Send + Sync>(
    cell: &'static OnceLock<Result<S, String>>,
    backend: Backend,
    start: impl FnOnce() -> S,
) -> &'static S {
    cell.get_or_init(|| {
        std::panic::catch_unwind(AssertUnwindSafe(start)).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        })
    })
    .as_ref()
    .unwrap_or_else(|e| panic!("the private {} server did not start: {e}", backend.label()))
}
