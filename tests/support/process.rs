//! The real `chatwoot-integration` binary as a child process: its own
//! working folder, a clean environment, stdout and stderr captured, killed
//! when the test lets go of it, and every wait bounded.

use std::io::{BufRead, BufReader, Read};
use std::ops::Deref;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use super::client::TestClient;

pub const BIN: &str = env!("CARGO_BIN_EXE_chatwoot-integration");

/// How long a start, a CLI command or an exit may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);

type Captured = Arc<Mutex<String>>;

fn capture(stream: impl Read + Send + 'static, into: Captured) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut text = into.lock().unwrap_or_else(|e| e.into_inner());
            text.push_str(&line);
            text.push('\n');
        }
    })
}

fn read(captured: &Captured) -> String {
    captured.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// A command on the binary with nothing inherited from the test's own
/// environment (a developer's DATABASE_URL must not leak in), only `env`.
fn command(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// A running (or finished) child with its output so far.
pub struct Process {
    child: Child,
    stdout: Captured,
    stderr: Captured,
    readers: Vec<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

impl Process {
    pub fn spawn(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Self {
        let mut child = command(dir, env, args)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {BIN}: {e}"));
        let stdout = Captured::default();
        let stderr = Captured::default();
        let readers = vec![
            capture(child.stdout.take().expect("piped stdout"), stdout.clone()),
            capture(child.stderr.take().expect("piped stderr"), stderr.clone()),
        ];
        Self {
            child,
            stdout,
            stderr,
            readers,
            status: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stdout(&self) -> String {
        read(&self.stdout)
    }

    pub fn stderr(&self) -> String {
        read(&self.stderr)
    }

    /// Both streams, for failure messages.
    pub fn output(&self) -> String {
        format!(
            "--- stdout ---\n{}--- stderr ---\n{}",
            self.stdout(),
            self.stderr()
        )
    }

    /// Sends a signal by name (`TERM`, `INT`, `KILL`) with kill(1), which
    /// spares the tests a dependency on libc.
    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args(["-s", name, &self.pid().to_string()])
            .status()
            .expect("kill(1) runs");
        assert!(sent.success(), "kill -s {name} {}", self.pid());
    }

    pub fn try_status(&mut self) -> Option<ExitStatus> {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("try_wait");
        }
        self.status
    }

    /// Waits for the exit, then for the output to be fully read; fails the
    /// test past `within`.
    pub async fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        let status = loop {
            if let Some(status) = self.try_status() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "still running after {within:?}\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        status
    }

    /// Waits until stderr contains `needle`; fails the test if the process
    /// exits first or `within` passes.
    pub async fn wait_for_stderr(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let text = self.stderr();
            if text.contains(needle) {
                return text;
            }
            if let Some(status) = self.try_status() {
                panic!(
                    "exited ({status}) before logging {needle:?}\n{}",
                    self.output()
                );
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} after {within:?}\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.try_status().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A finished command.
#[derive(Debug)]
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// stdout as JSON, failing the test with both streams if it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self:?}"))
    }
}

/// Runs a command of the binary to its end (bounded by [`PATIENCE`]).
pub async fn run(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Finished {
    let mut process = Process::spawn(dir, env, args);
    let status = process.wait_exit(PATIENCE).await;
    Finished {
        status,
        stdout: process.stdout(),
        stderr: process.stderr(),
    }
}

/// The HTTP service, started with `LISTEN_ADDR=127.0.0.1:0` unless the
/// caller says otherwise, reached on the port it reports in its log.
pub struct Service {
    pub process: Process,
    pub port: u16,
    http: TestClient,
}

/// The service is called through its client: `service.get(...)`.
impl Deref for Service {
    type Target = TestClient;

    fn deref(&self) -> &TestClient {
        &self.http
    }
}

/// What every started service gets unless the test overrides it: a port
/// of its own, two workers (the machine is small), the log line that
/// reports the port.
pub const SERVICE_DEFAULTS: [(&str, &str); 3] = [
    ("LISTEN_ADDR", "127.0.0.1:0"),
    ("APP_HTTP__WORKERS", "2"),
    ("RUST_LOG", "info"),
];

impl Service {
    pub async fn start(dir: &Path, env: &[(&str, &str)]) -> Self {
        Self::start_with_args(dir, env, &["serve"]).await
    }

    pub async fn start_with_args(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Self {
        let mut all: Vec<(&str, &str)> = SERVICE_DEFAULTS
            .iter()
            .copied()
            .filter(|(k, _)| !env.iter().any(|(name, _)| name == k))
            .collect();
        all.extend_from_slice(env);
        let mut process = Process::spawn(dir, &all, args);
        let log = process.wait_for_stderr("listening on ", PATIENCE).await;
        let port = listening_port(&log)
            .unwrap_or_else(|| panic!("no port in the log\n{}", process.output()));
        let service = Self {
            process,
            port,
            http: TestClient::new(port),
        };
        service.wait_ready().await;
        service
    }

    /// Polls `/health/ready` until 200: the log line comes just before the
    /// server runs.
    pub async fn wait_ready(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let ready = self.request(Method::GET, "/health/ready", None).send();
            if let Ok(res) = ready.await {
                if res.status() == 200 {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "never ready\n{}",
                self.process.output()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// SIGTERM, then the exit status (bounded by [`PATIENCE`]).
    pub async fn stop(mut self) -> (ExitStatus, Process) {
        self.process.signal("TERM");
        let status = self.process.wait_exit(PATIENCE).await;
        (status, self.process)
    }
}

/// The port in `listening on 127.0.0.1:PORT (...)`.
pub fn listening_port(log: &str) -> Option<u16> {
    let rest = &log[log.find("listening on ")? + "listening on ".len()..];
    let addr = rest.split_whitespace().next()?;
    addr.rsplit(':').next()?.parse().ok()
}

/// A fresh folder to run the binary in, like a user's empty directory.
pub fn workdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}
