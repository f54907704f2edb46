//! A throwaway MariaDB server in a temporary folder on a free loopback
//! port, created with the installed `mariadb-install-db` (or
//! `mysql_install_db`) and shared by a test binary's MariaDB tests. As
//! root, it runs as the `mysql` user: mariadbd refuses to run as root.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::server_folder::{free_port, search_path, ServerFolder};

/// Where the tools are when they are not on PATH: Debian keeps the server
/// in sbin, which is not on a user's PATH; then Homebrew's folders.
const TOOL_FOLDERS: [&str; 6] = [
    "/usr/sbin",
    "/usr/local/sbin",
    "/opt/homebrew/opt/mariadb/bin",
    "/opt/homebrew/opt/mariadb@*/bin",
    "/usr/local/opt/mariadb/bin",
    "/usr/local/opt/mariadb@*/bin",
];

/// The installer and the server, by the names MariaDB has gone by.
const TOOL_NAMES: [(&str, &str); 2] = [
    ("mariadb-install-db", "mariadbd"),
    ("mysql_install_db", "mysqld"),
];

/// How long the server may take to accept connections.
const START_WITHIN: Duration = Duration::from_secs(60);

/// Stops the server whose pid file is `$1` and waits (boundedly) until it
/// is gone: the folder is removed next.
const STOP: &str = r#"pid=$(cat "$1") || exit 0
kill -KILL "$pid"
for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" || exit 0; sleep 0.5; done"#;

pub struct MariadbServer {
    folder: ServerFolder,
    port: u16,
}

/// Server settings for a disposable database: utf8mb4 as Debian's
/// packaged configuration sets it, no flush at each commit, a small redo log.
const SETTINGS: [&str; 4] = [
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-log-file-size=16M",
];

impl MariadbServer {
    /// The installer and the server, if MariaDB (or MySQL's older tools) is
    /// installed.
    pub fn tools() -> Option<(PathBuf, PathBuf)> {
        let dirs = search_path(&TOOL_FOLDERS);
        let find = |name: &str| dirs.iter().map(|d| d.join(name)).find(|p| p.is_file());
        TOOL_NAMES
            .iter()
            .find_map(|(install, server)| Some((find(install)?, find(server)?)))
    }

    /// Creates the data folder and starts the server; returns once it
    /// accepts connections.
    pub fn start((install_db, server): &(PathBuf, PathBuf)) -> Self {
        let folder = ServerFolder::new("mariadb-test-", "mysql", |dir| {
            let pid_file = dir.join("server.pid").display().to_string();
            ["sh", "-c", STOP, "stop", &pid_file]
                .map(str::to_owned)
                .to_vec()
        });
        let data = format!("--datadir={}", folder.join("data"));
        // --no-defaults first: nothing from the machine's my.cnf. Root
        // gets a password login (empty), not the Unix socket login.
        folder.run(
            install_db,
            &[
                "--no-defaults",
                &data,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--innodb-log-file-size=16M",
            ],
        );

        let port = free_port();
        let log = std::fs::File::create(folder.path().join("server.log")).expect("server log");
        let mut args = vec![
            "--no-defaults".to_owned(),
            data,
            format!("--port={port}"),
            "--bind-address=127.0.0.1".to_owned(),
            format!("--socket={}", folder.join("server.sock")),
            format!("--pid-file={}", folder.join("server.pid")),
        ];
        args.extend(SETTINGS.map(str::to_owned));
        // Started through sh so that the server is not a child of the test
        // process, which never waits for it: the watchdog stops it.
        folder
            .command("sh")
            .args(["-c", r#""$@" &"#, "start"])
            .arg(server)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("server log"))
            .stderr(log)
            .status()
            .expect("sh starts the server");
        let started = Self { folder, port };
        started.wait_until_ready();
        started
    }

    /// Waits until the log says the server is ready; fails with the log if
    /// it aborts or takes longer than [`START_WITHIN`].
    fn wait_until_ready(&self) {
        let deadline = Instant::now() + START_WITHIN;
        loop {
            let log =
                std::fs::read_to_string(self.folder.path().join("server.log")).unwrap_or_default();
            if log.contains("ready for connections") {
                return;
            }
            assert!(
                !log.contains("Aborting") && Instant::now() < deadline,
                "MariaDB did not start:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's URL without a database name, like `TEST_MARIADB_URL`.
    pub fn server_url(&self) -> String {
        format!("mysql://root@127.0.0.1:{}", self.port)
    }
}
