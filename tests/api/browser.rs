//! Headless Chromium for the tests that need a real browser. Without Chromium such a
//! test is skipped on a developer's machine but fails in CI (`CI=true`), where
//! `.ci/run` installs it.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// The browser's command, or `None` (with a note) when a test may skip.
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| Command::new("which").arg(b).output().is_ok_and(|o| o.status.success()));
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true and no chromium on PATH: the browser tests must run in CI"
        );
        eprintln!("skipped: no chromium on PATH");
    }
    found
}

/// Chromium headless, with nothing that reaches out to the internet, and a profile of
/// its own under `dir`.
pub fn headless(chromium: &str, dir: &Path) -> Command {
    let mut command = Command::new(chromium);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    command
}

/// What the browser made of a page.
pub struct Visit {
    /// The document after its scripts ran.
    pub dom: String,
    /// The browser's log, console messages included: CSP violations show up here.
    pub log: String,
}

impl Visit {
    /// The console lines about the Content-Security-Policy ("Refused to load …",
    /// "Applying inline style violates …").
    pub fn csp_violations(&self) -> Vec<&str> {
        self.log
            .lines()
            .filter(|l| l.contains("Content Security Policy"))
            .collect()
    }
}

/// Loads `url` and lets its scripts run to rest. The budget is Chromium's virtual
/// time: it ends as soon as the page is idle, not after a real wait.
pub fn visit(chromium: &str, url: &str) -> Visit {
    let dir = tempfile::tempdir().unwrap();
    let output = headless(chromium, dir.path())
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ])
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .expect("chromium runs");
    assert!(output.status.success(), "chromium failed on {url}");
    Visit {
        dom: String::from_utf8_lossy(&output.stdout).into_owned(),
        log: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Forwards a browser's requests to the test server with a bearer token added:
/// Chromium has no flag for a request header, and some pages need one. Only the
/// first request on each connection gets the token; a page with subresources from
/// the server would need more.
pub struct BearerProxy {
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BearerProxy {
    pub fn start(upstream: SocketAddr, token: &str) -> BearerProxy {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let address = listener.local_addr().unwrap();
        let header = format!("\r\nAuthorization: Bearer {token}");
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).unwrap();
                let serve = async {
                    loop {
                        let Ok((inbound, _)) = listener.accept().await else {
                            continue;
                        };
                        tokio::spawn(forward(inbound, upstream, header.clone()));
                    }
                };
                tokio::select! {
                    _ = serve => {}
                    _ = stopped => {}
                }
            });
        });
        BearerProxy {
            address,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

/// Adds `header` after the request line of the first request, then passes bytes both ways.
async fn forward(mut inbound: TcpStream, upstream: SocketAddr, header: String) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match inbound.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let Some(line_end) = head.windows(2).position(|w| w == b"\r\n") else {
        return;
    };
    head.splice(line_end..line_end, header.into_bytes());
    let Ok(mut outbound) = TcpStream::connect(upstream).await else {
        return;
    };
    if outbound.write_all(&head).await.is_err() {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
}

impl Drop for BearerProxy {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
