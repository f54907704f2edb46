//! What the private database servers of the tests share: a folder of
//! their own that a watchdog removes, with the server in it, when the test
//! process ends (however it ends); an unprivileged user to run them as
//! when the tests run as root; a free loopback port; finding the tools.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};

/// Cleans up after the test process once its standard input reaches its
/// end: ends whatever still runs in its process group (an installer the
/// test process was waiting for), runs the stop command given as arguments
/// after the folder (the server has a session of its own, or may have
/// ignored that signal), then removes the folder, trying again while an
/// exiting process still writes to it. The input is a pipe whose only
/// writer is the test process (Rust opens pipes close-on-exec, so no other
/// child holds it): it ends when the test process lets go of the folder or
/// exits, normally, after a failed test, on Ctrl-C or on `kill -9` alike.
/// libtest has no hook at the end of a run and never drops statics, which
/// rules out cleaning up from the test process itself. Every command of the
/// folder runs in the watchdog's process group, apart from the test's, so
/// Ctrl-C in a terminal leaves the watchdog to do its work.
const WATCHDOG: &str = r#"trap '' INT HUP TERM
cat >/dev/null
kill -TERM 0 2>/dev/null
dir=$1
shift
"$@" >/dev/null 2>&1
for _ in 1 2 3 4 5 6 7 8 9 10; do rm -rf "$dir" 2>/dev/null && exit 0; sleep 0.5; done"#;

/// A temporary folder for one server, owned by the user the server runs as.
pub struct ServerFolder {
    path: PathBuf,
    /// Set when the tests run as root: the servers refuse root.
    user: Option<(u32, u32)>,
    /// The watchdog's process group; every command joins it.
    group: i32,
    watchdog: Option<(Child, ChildStdin)>,
}

impl ServerFolder {
    /// `user` is the system user to run the server as under root (e.g.
    /// `postgres`); `stop` gives, for the folder's path, the command that
    /// stops a server running in it (program first), run before the folder
    /// is removed; it may fail when no server runs.
    pub fn new(prefix: &str, user: &str, stop: impl FnOnce(&Path) -> Vec<String>) -> Self {
        let path = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir()
            .expect("a temporary folder for the server")
            .keep();
        let as_root = path.metadata().expect("the folder's metadata").uid() == 0;
        let user = as_root.then(|| {
            let ids = system_user(user).or_else(|| system_user("nobody"));
            let (uid, gid) = ids.unwrap_or_else(|| panic!("no user {user} nor nobody to run as"));
            std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("chown the folder");
            (uid, gid)
        });
        let mut folder = Self {
            path,
            user,
            group: 0,
            watchdog: None,
        };
        // Group 0: the watchdog leads a new group, which later commands join.
        let mut watchdog = folder
            .command("sh")
            .args(["-c", WATCHDOG, "watchdog"])
            .arg(&folder.path)
            .args(stop(&folder.path))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sh starts the watchdog");
        let pipe = watchdog.stdin.take().expect("piped stdin");
        folder.group = i32::try_from(watchdog.id()).expect("a pid");
        folder.watchdog = Some((watchdog, pipe));
        folder
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: &str) -> String {
        self.path.join(name).display().to_string()
    }

    /// `program` run in the folder, as the server's user when the tests
    /// run as root, in the watchdog's process group (see [`WATCHDOG`]).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.path).process_group(self.group);
        if let Some((uid, gid)) = self.user {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    /// Runs a tool to its end; panics with its output when it fails.
    pub fn run(&self, program: &Path, args: &[&str]) {
        let out = self
            .command(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{} cannot start: {e}", program.display()));
        assert!(
            out.status.success(),
            "{} {args:?}: {}\n{}\n{}",
            program.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

impl Drop for ServerFolder {
    /// Lets the watchdog stop the server and remove the folder, and waits
    /// for it: a folder dropped in a test is gone when the test goes on.
    fn drop(&mut self) {
        if let Some((mut watchdog, pipe)) = self.watchdog.take() {
            drop(pipe);
            let _ = watchdog.wait();
        }
    }
}

/// The uid and gid of a system user, from id(1).
fn system_user(name: &str) -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let out = Command::new("id").args([flag, name]).output().ok()?;
        if !out.status.success() {
            return None;
        }
        String::from_utf8_lossy(&out.stdout).trim().parse().ok()
    };
    Some((id("-u")?, id("-g")?))
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The folders of PATH, then `extra` in its order; each entry of `extra`
/// may end in `*`, matching every folder that starts so, highest version
/// first (`/usr/lib/postgresql/*` finds 16 before 15).
pub fn search_path(extra: &[&str]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    for pattern in extra {
        dirs.extend(expand(pattern));
    }
    dirs
}

/// `/a/b*/c`: every `/a/b…/c`, highest version first; a plain path as is.
fn expand(pattern: &str) -> Vec<PathBuf> {
    let Some((head, tail)) = pattern.split_once('*') else {
        return vec![PathBuf::from(pattern)];
    };
    let head = Path::new(head);
    let (Some(parent), Some(prefix)) = (head.parent(), head.file_name()) else {
        return Vec::new();
    };
    let prefix = prefix.to_string_lossy();
    let mut found: Vec<(Vec<u32>, PathBuf)> = std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(prefix.as_ref())?;
            let version = rest
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect();
            Some((
                version,
                parent.join(&name).join(tail.trim_start_matches('/')),
            ))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, path)| path).collect()
}

/// The first folder of `dirs` holding every one of `tools` as a file.
pub fn folder_with(dirs: &[PathBuf], tools: &[&str]) -> Option<PathBuf> {
    dirs.iter()
        .find(|dir| tools.iter().all(|tool| dir.join(tool).is_file()))
        .cloned()
}
