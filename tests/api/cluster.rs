//! A throw-away PostgreSQL cluster of a test's own (initdb + pg_ctl on a temporary data
//! directory and a free port), so a test can stop and start its database server without
//! touching the shared one. Stopped and removed when dropped.
//!
//! PostgreSQL refuses to run as root, and CI runs tests as root: then every server
//! command runs as the `postgres` OS user through `runuser`.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::smtp::free_port;

pub struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    pub port: u16,
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

/// How a restart test gets its cluster: `None` (skipped) outside the PostgreSQL pass or
/// on a machine without the server binaries; in CI missing binaries are a failure.
pub fn for_restart_test() -> Option<Cluster> {
    if crate::helpers::server_url().is_none() {
        eprintln!("skipped: a restart test runs in the PostgreSQL pass (TEST_DATABASE_URL)");
        return None;
    }
    match server_binaries() {
        Some(bin) => Some(Cluster::start(bin)),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI must have the PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin")
        }
        None => {
            eprintln!("skipped: no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin");
            None
        }
    }
}

/// The newest installed server's `bin` directory that holds both tools.
fn server_binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn id_of(flag: &str) -> u32 {
    let out = Command::new("id").args([flag, "postgres"]).output().expect("id runs");
    assert!(out.status.success(), "running as root needs a 'postgres' OS user");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

impl Cluster {
    fn start(bin: PathBuf) -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        let as_postgres = is_root();
        if as_postgres {
            std::os::unix::fs::chown(dir.path(), Some(id_of("-u")), Some(id_of("-g"))).expect("chown the temp dir");
        }
        let cluster = Cluster {
            bin,
            data: dir.path().join("data"),
            port: free_port(),
            as_postgres,
            _dir: dir,
        };
        let data = cluster.data.to_str().unwrap().to_owned();
        // No fsync while the empty cluster is created; the server itself keeps fsync on,
        // as the tests count on every committed write surviving a stop.
        cluster.run(
            "initdb",
            &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        );
        cluster.start_server();
        cluster
    }

    fn run(&self, tool: &str, args: &[&str]) -> Output {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let out = command
            .args(args)
            .current_dir(self.data.parent().unwrap())
            .output()
            .unwrap_or_else(|e| panic!("{tool} runs: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn data(&self) -> &str {
        self.data.to_str().unwrap()
    }

    fn log(&self) -> String {
        self.data
            .parent()
            .unwrap()
            .join("server.log")
            .to_string_lossy()
            .into_owned()
    }

    /// Starts the server and waits (at most 60 s) until it accepts connections.
    pub fn start_server(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c max_connections=60",
            self.port,
            self.data()
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data(),
                "-l",
                &self.log(),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        );
    }

    /// Stops the server the way an operator's restart does: sessions are cut, committed
    /// work stays. Waits (at most 60 s) until it is down.
    pub fn stop_server(&self) {
        self.run("pg_ctl", &["-D", self.data(), "-w", "-t", "60", "-m", "fast", "stop"]);
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    pub fn create_database(&self, name: &str) -> String {
        use diesel::{Connection, PgConnection, RunQueryDsl};
        let mut admin = PgConnection::establish(&self.url("postgres")).expect("the private cluster answers");
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create database");
        self.url(name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let program = self.bin.join("pg_ctl");
        let args = ["-D", self.data(), "-w", "-t", "30", "-m", "immediate", "stop"];
        let _ = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            Command::new(&program).args(args).output()
        };
    }
}
