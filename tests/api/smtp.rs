//! A real SMTP server on 127.0.0.1 for the mail tests (mailin-embedded): it speaks
//! SMTP over TCP to the service's lettre transport, records what it receives, and
//! rejects chosen recipients for good (550).

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::response::{NO_MAILBOX, OK};
use mailin_embedded::{Handler, Response, Server};

use crate::helpers::eventually;

/// One received message.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub message_id: String,
    pub raw: String,
}

#[derive(Clone)]
struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
    reject: Arc<Vec<String>>,
    /// How long the server takes before it takes a message's data (a slow mail server).
    delay: Duration,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Recorder {
    fn rcpt(&mut self, to: &str) -> Response {
        if self.reject.iter().any(|r| to.eq_ignore_ascii_case(r)) {
            NO_MAILBOX
        } else {
            OK
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        std::thread::sleep(self.delay);
        self.to = to.to_vec();
        self.data.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let raw = String::from_utf8_lossy(&self.data).into_owned();
        let message_id = raw
            .lines()
            .find_map(|l| l.strip_prefix("Message-ID:").or_else(|| l.strip_prefix("Message-Id:")))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default();
        self.received.lock().unwrap().push(Received {
            to: self.to.clone(),
            message_id,
            raw,
        });
        OK
    }
}

pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

/// A free local port: bound and released, for a server that starts later.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpServer {
    pub fn start(reject: &[&str]) -> SmtpServer {
        SmtpServer::start_on(free_port(), reject)
    }

    /// Serves on `port` until the test process ends (the server cannot be stopped).
    pub fn start_on(port: u16, reject: &[&str]) -> SmtpServer {
        SmtpServer::serve(port, reject, Duration::ZERO)
    }

    /// A server that needs `delay` for every message, so mails queue up behind it.
    pub fn start_slow(delay: Duration) -> SmtpServer {
        SmtpServer::serve(free_port(), &[], delay)
    }

    fn serve(port: u16, reject: &[&str], delay: Duration) -> SmtpServer {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("the SMTP port is free");
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler = Recorder {
            received: received.clone(),
            reject: Arc::new(reject.iter().map(|s| s.to_string()).collect()),
            delay,
            to: Vec::new(),
            data: Vec::new(),
        };
        let mut server = Server::new(handler);
        server
            .with_name("smtp.test")
            .with_num_threads(2)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        SmtpServer { port, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `n` messages have arrived, failing when `within` passes first;
    /// returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Received> {
        let what = format!("{n} messages arrive at the SMTP server");
        eventually(within, &what, async || self.received.lock().unwrap().len() >= n).await;
        self.received()
    }
}
