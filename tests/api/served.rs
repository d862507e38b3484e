//! `woonservice serve` as a process of its own, the way it runs in production: a test
//! can stop its database under it, or kill it with SIGKILL and start it again.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const SECRET: &str = "restart-test-secret-that-is-long-enough-for-hs256";

/// The binary with a clean environment pointed at `database_url`.
pub fn woonservice(database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_woonservice"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("JWT_SECRET", SECRET)
        .env("RUST_LOG", "error")
        .stdin(Stdio::null());
    command
}

/// A running `serve`; killed when dropped.
pub struct Served {
    child: Child,
    pub address: String,
}

impl Served {
    /// Starts `serve` on a free port with these extra settings; returns once it listens.
    pub fn start(database_url: &str, settings: &[(&str, String)]) -> Served {
        let mut command = woonservice(database_url);
        command
            .arg("serve")
            .env("BIND", "127.0.0.1:0")
            .stdout(Stdio::piped())
            // Its log of the outage is noise in a passing run; TEST_LOG shows it.
            .stderr(if std::env::var("TEST_LOG").is_ok() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        for (key, value) in settings {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("serve starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("serve prints its address").unwrap();
        let address = first
            .split("http://")
            .nth(1)
            .expect("the banner names the URL")
            .trim()
            .to_owned();
        // Keep draining the banner so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served {
            child,
            address: format!("http://{address}"),
        }
    }

    /// SIGKILL: no shutdown, no flush, no finished requests.
    pub fn kill_9(mut self) {
        self.child.kill().expect("serve is killed");
        self.child.wait().expect("serve is reaped");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `woonservice vouchers verify`: whether it passed, and what it said.
pub fn vouchers_verify(database_url: &str) -> (bool, String) {
    let out = woonservice(database_url)
        .args(["vouchers", "verify"])
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
