//! The desk in a real browser: Chromium (Debian's package) headless, driven through
//! chromedriver with fantoccini. Every page a journey opens is checked with axe-core
//! (WCAG 2.1 A and AA: no violation), for sideways scrolling at 360 px, and kept as a
//! screenshot under `target/desk-screenshots/`. Without Chromium, chromedriver or
//! axe-core a test is skipped on a developer's machine and fails in CI, where
//! `.ci/run` installs them.

mod admin;
mod advisor;
mod caseload;
mod http;
mod journey;
mod keyboard;
mod office;
mod register;
mod sign_in;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/browser/node_modules/axe-core/axe.min.js"
);

fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// What a browser test needs, or `None` (with a note) where it may skip.
fn tools() -> Option<(String, String, String)> {
    let chromium = crate::browser::chromium()?;
    let driver = ["chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|d| {
            Command::new(d)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let axe = std::fs::read_to_string(AXE).ok();
    match (driver, axe) {
        (Some(driver), Some(axe)) => {
            let binary = Command::new("which").arg(chromium).output().unwrap().stdout;
            Some((
                String::from_utf8(binary).unwrap().trim().to_owned(),
                driver.to_owned(),
                axe,
            ))
        }
        (driver, axe) => {
            assert!(
                !in_ci(),
                "CI=true and the browser tests lack chromedriver ({}) or axe-core ({}): .ci/run installs both",
                driver.is_some(),
                axe.is_some()
            );
            eprintln!("skipped: no chromedriver, or no axe-core under tests/browser (npm ci --prefix tests/browser)");
            None
        }
    }
}

/// A headless Chromium under chromedriver, for one test.
pub struct Browser {
    pub client: Client,
    driver: Child,
    axe: String,
    test: String,
    shots: usize,
}

impl Browser {
    pub async fn open(test: &str) -> Option<Browser> {
        let (chromium, driver, axe) = tools()?;
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--disable-background-networking", "--no-first-run",
                         "--disable-component-update", "--disable-sync", "--lang=nl-NL"]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            // chromedriver listens on plain HTTP at home: no TLS in between.
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Some(Browser {
                        client,
                        driver,
                        axe,
                        test: test.to_owned(),
                        shots: 0,
                    });
                }
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
        panic!("chromedriver did not answer: {last:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("the page loads");
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Types into the field with this label text's `for`, after emptying it.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Sets a field's value by script: for `datetime-local`, whose typing depends on the
    /// browser's locale.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.client
            .execute(
                "document.querySelector(arguments[0]).value = arguments[1];",
                vec![json!(css), json!(value)],
            )
            .await
            .unwrap();
    }

    pub async fn select(&self, css: &str, value: &str) {
        self.find(css).await.select_by_value(value).await.unwrap();
    }

    /// Clicks a link or button and waits for the next page: the old page is marked, so
    /// a document still "complete" from before the click is not taken for the new one.
    pub async fn click(&self, css: &str) {
        let target = self.find(css).await;
        self.client.execute("window.wsLeft = true;", vec![]).await.unwrap();
        target.click().await.unwrap();
        for _ in 0..200 {
            let still = self.client.execute("return window.wsLeft === true", vec![]).await;
            if !matches!(still, Ok(serde_json::Value::Bool(true))) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.settle().await;
    }

    /// Ticks a checkbox: the page stays.
    pub async fn tick(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// A phone's window (the size of a common one): the member's and client's pages are
    /// used there.
    pub async fn phone(&self) {
        self.client.set_window_size(390, 844).await.unwrap();
    }

    /// Presses Tab until the element `css` has the focus, as someone without a mouse
    /// would, and checks that the focus shows there.
    pub async fn tab_to(&self, css: &str) {
        for _ in 0..120 {
            let there = self
                .client
                .execute(
                    "return !!document.activeElement && document.activeElement.matches(arguments[0])",
                    vec![json!(css)],
                )
                .await
                .unwrap();
            if there == json!(true) {
                let outline = self
                    .client
                    .execute(
                        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert!(
                    outline[0] != json!("none") && outline[1] != json!("0px"),
                    "{css} has the focus but does not show it: {outline}"
                );
                return;
            }
            self.keys("\u{E004}").await;
        }
        panic!("Tab never reaches {css} on {}", self.path().await);
    }

    /// Types at the focus.
    pub async fn keys(&self, text: &str) {
        let focused = self.client.active_element().await.unwrap();
        focused.send_keys(text).await.unwrap();
    }

    /// Presses Enter at the focus and waits for the page whose path starts with `next`.
    pub async fn enter_to(&self, next: &str) {
        self.keys("\u{E007}").await;
        for _ in 0..200 {
            if self.path().await.starts_with(next) {
                self.settle().await;
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("Enter did not lead to {next}, but to {}", self.path().await);
    }

    /// Waits until the document is loaded.
    pub async fn settle(&self) {
        for _ in 0..100 {
            let state = self.client.execute("return document.readyState", vec![]).await.unwrap();
            if state == json!("complete") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The checks of every page: axe-core finds no WCAG 2.1 A/AA violation, nothing
    /// scrolls sideways at 360 px, and a screenshot of both widths is kept.
    pub async fn check_page(&mut self, name: &str) {
        self.settle().await;
        let violations = self.axe().await;
        assert!(
            violations.is_empty(),
            "axe-core on {name} ({}): {}",
            self.path().await,
            serde_json::to_string_pretty(&violations).unwrap()
        );
        self.shot(name).await;
        let (width, height) = self.client.get_window_size().await.unwrap();
        self.client.set_window_size(360, 800).await.unwrap();
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]",
                vec![],
            )
            .await
            .unwrap();
        let (scroll, client) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
        if scroll > client {
            self.shot(&format!("{name}-360-too-wide")).await;
            let wide = self
                .client
                .execute(
                    "const w = document.documentElement.clientWidth;
                     const over = e => e.getBoundingClientRect().right > w;
                     return [...document.querySelectorAll('body *')]
                       .filter(e => over(e) && ![...e.children].some(over))
                       .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 10)
                       .concat([...document.querySelectorAll('body *')]
                         .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
                         .map(e => 'content of ' + e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth).slice(0, 5))",
                    vec![],
                )
                .await
                .unwrap();
            panic!("{name} scrolls sideways at 360 px: {scroll} > {client}; too wide: {wide}");
        }
        let narrow = self.axe().await;
        assert!(narrow.is_empty(), "axe-core on {name} at 360 px: {narrow:#?}");
        self.shot(&format!("{name}-360")).await;
        self.client.set_window_size(width as u32, height as u32).await.unwrap();
    }

    async fn axe(&self) -> Vec<Value> {
        let loaded = self
            .client
            .execute("return typeof window.axe !== 'undefined'", vec![])
            .await
            .unwrap();
        if loaded != json!(true) {
            self.client.execute(&self.axe, vec![]).await.expect("axe-core loads");
        }
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(r.violations.map(v => ({id: v.id, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))
                   .catch(e => done([{id: 'axe-error', help: String(e)}]));",
                vec![],
            )
            .await
            .expect("axe-core runs");
        result.as_array().cloned().unwrap_or_default()
    }

    async fn shot(&mut self, name: &str) {
        self.shots += 1;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/desk-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let backend = if crate::helpers::server_url().is_some() {
            "pg"
        } else {
            "sqlite"
        };
        let png = self.client.screenshot().await.unwrap();
        let file = dir.join(format!("{}-{backend}-{:02}-{name}.png", self.test, self.shots));
        std::fs::write(file, png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Signs in through the form.
pub async fn sign_in(browser: &mut Browser, base: &str, email: &str, password: &str) {
    browser.goto(&format!("{base}/inloggen")).await;
    browser.fill("#veld-email", email).await;
    browser.fill("#veld-password", password).await;
    browser.click("button[type=submit]").await;
}

/// The requests of a client, as the database holds them.
pub fn requests_of(app: &crate::helpers::TestApp, client: i64) -> Vec<woonservice::domain::request::TaskRequest> {
    let filter = woonservice::domain::request::RequestFilter {
        status: None,
        municipality_id: None,
        tier: None,
        client_id: Some(client),
    };
    let page = woonservice::domain::page::PageRequest {
        limit: 200,
        position: None,
    };
    app.with_db(|c| woonservice::store::requests::list(c, None, &filter, &page))
        .items
}
