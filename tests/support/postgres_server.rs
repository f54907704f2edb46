//! A throwaway PostgreSQL server in a temporary folder on a free loopback
//! port, created with the installed `initdb` and run with `pg_ctl`: shared
//! by a test binary's PostgreSQL tests, or stopped and started at will by
//! a test of its own. As root, the tools run as the `postgres` user:
//! PostgreSQL refuses to run as root.

use std::path::{Path, PathBuf};

use super::server_folder::{folder_with, free_port, search_path, ServerFolder};

/// Where the server tools are when they are not on PATH: Debian's
/// versioned folders, then Homebrew's (Apple silicon, then Intel).
const TOOL_FOLDERS: [&str; 6] = [
    "/usr/lib/postgresql/*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/opt/homebrew/opt/postgresql/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql/bin",
    "/usr/local/pgsql/bin",
];

pub struct Cluster {
    folder: ServerFolder,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    /// The folder holding `initdb` and `pg_ctl`, if PostgreSQL is installed.
    pub fn tools() -> Option<PathBuf> {
        folder_with(&search_path(&TOOL_FOLDERS), &["initdb", "pg_ctl"])
    }

    /// A new cluster, not started yet, made with the tools in `bin`.
    pub fn init(bin: &Path) -> Self {
        // However the test process ends, an immediate shutdown ends the
        // server before its folder goes.
        let folder = ServerFolder::new("pg-test-", "postgres", |dir| {
            let data = dir.join("data").display().to_string();
            let pg_ctl = bin.join("pg_ctl").display().to_string();
            [&pg_ctl, "-D", &data, "-m", "immediate", "-w", "stop"]
                .map(str::to_owned)
                .to_vec()
        });
        let cluster = Self {
            folder,
            bin: bin.to_owned(),
            port: free_port(),
        };
        cluster.tool(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        cluster
    }

    fn data(&self) -> String {
        self.folder.join("data")
    }

    fn tool(&self, name: &str, args: &[&str]) {
        self.folder.run(&self.bin.join(name), args);
    }

    /// Starts the server and waits until it accepts connections. Only TCP:
    /// no Unix socket, whose path could be too long in a deep temp folder.
    pub fn start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off",
            self.port
        );
        self.tool(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &self.folder.join("server.log"),
                "-o",
                &options,
                "-w",
                "-t",
                "30",
                "start",
            ],
        );
    }

    /// A fast shutdown: sessions are ended, as in a database restart.
    pub fn stop(&self) {
        self.tool(
            "pg_ctl",
            &["-D", &self.data(), "-m", "fast", "-w", "-t", "30", "stop"],
        );
    }

    /// Stops every process of the running server with SIGSTOP: its
    /// connections stay open and nothing answers on them, as with a hung
    /// host or a network cut without a reset. The postmaster first, so it
    /// forks no backend meanwhile, then each of its children (each leads a
    /// session of its own, so no group signal reaches them all). The
    /// server resumes when the guard is dropped.
    pub fn freeze(&self) -> Frozen {
        let pid_file = std::fs::read_to_string(self.folder.join("data/postmaster.pid"))
            .expect("postmaster.pid of a running server");
        let postmaster: u32 = pid_file
            .lines()
            .next()
            .and_then(|line| line.trim().parse().ok())
            .expect("the postmaster's pid");
        let mut frozen = Frozen { pids: Vec::new() };
        frozen.stop(postmaster);
        for child in children(postmaster) {
            frozen.stop(child);
        }
        frozen
    }

    /// The server's URL without a database name, like `TEST_POSTGRES_URL`.
    pub fn server_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }
}

/// A stopped server, resumed (SIGCONT) when dropped, however the test ends.
pub struct Frozen {
    pids: Vec<u32>,
}

impl Frozen {
    fn stop(&mut self, pid: u32) {
        assert!(signal("STOP", pid), "kill -s STOP {pid}");
        self.pids.push(pid);
    }
}

impl Drop for Frozen {
    fn drop(&mut self) {
        // No panic here: it may run while a failed test unwinds.
        for pid in &self.pids {
            signal("CONT", *pid);
        }
    }
}

fn signal(name: &str, pid: u32) -> bool {
    std::process::Command::new("kill")
        .args(["-s", name, &pid.to_string()])
        .status()
        .is_ok_and(|status| status.success())
}

/// The processes whose parent is `parent`, from `/proc`.
fn children(parent: u32) -> Vec<u32> {
    let entries = std::fs::read_dir("/proc").expect("/proc");
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // The fields after the command's closing parenthesis: state, ppid.
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rsplit(')')
                    .next()
                    .and_then(|rest| rest.split_whitespace().nth(1))
                    .and_then(|ppid| ppid.parse::<u32>().ok())
                    == Some(parent)
            })
        })
        .collect()
}
