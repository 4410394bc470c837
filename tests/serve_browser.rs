//! `kb serve` in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver HTTP API, opens a page, and the page reloads by
//! itself after an edit, shows the error overlay while the file is broken and
//! drops it when the file is fixed. Skips with a note when Chromium is not
//! installed, unless `KB_REQUIRE_BROWSER` is set (CI).

#![cfg(unix)]

mod browser;
mod server;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use server::{Server, TIMEOUT, request};

/// A chromedriver process with one headless Chromium session.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
}

impl Browser {
    fn start(binaries: &browser::Binaries) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Its own process group, so that Chromium goes with it even when a
        // failed test never ends the session.
        let driver = Command::new(&binaries.chromedriver)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + TIMEOUT;
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": binaries.chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
            }
        }}});
        let answer = browser.call("POST", "/session", &caps);
        browser.session = answer["sessionId"].as_str().expect("a session").to_owned();
        browser
    }

    fn call(&self, method: &str, path: &str, body: &Value) -> Value {
        let body = body.to_string();
        let r = request(&self.addr, method, path, Some(&body));
        let value: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        assert_eq!(r.status, 200, "{method} {path}: {}", r.body);
        value["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.call(
            "POST",
            &format!("/session/{}/url", self.session),
            &json!({ "url": url }),
        );
    }

    fn run(&self, script: &str) -> Value {
        self.call(
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            &json!({ "script": script, "args": [] }),
        )
    }

    /// Runs `script` until it returns true.
    fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while self.run(script) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "the page never showed: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(
                &self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        if let Ok(group) = i32::try_from(self.driver.id()) {
            // SAFETY: signals only the process group this test started.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.driver.wait();
    }
}

#[test]
fn the_page_reloads_itself_and_shows_errors() {
    let Some(binaries) = browser::with_driver("serve browser test") else {
        return;
    };
    let server = Server::start("serve-small");
    let browser = Browser::start(&binaries);
    browser.goto(&format!("http://{}/incidents/alpha/", server.addr));
    browser.wait_until(
        "the page",
        "return document.querySelector('h1').textContent.includes('Alpha outage')",
    );
    // A mark that only survives if the page does not reload.
    browser.run("window.kbMark = 1; return true");

    let original = server.read("content/alpha.md");
    server.write(
        "content/alpha.md",
        &original.replace("Alpha outage", "Alpha outage, edited"),
    );
    browser.wait_until(
        "the edit, after a reload",
        "return window.kbMark === undefined && document.querySelector('h1').textContent.includes('edited')",
    );

    browser.run("window.kbMark = 2; return true");
    server.write(
        "content/alpha.md",
        &original.replace("+++\n\n## Summary", "\n## Summary"),
    );
    browser.wait_until(
        "the error overlay",
        "const o = document.getElementById('kb-error-overlay'); return !!o && o.shadowRoot.textContent.includes('content/alpha.md')",
    );
    assert_eq!(
        browser.run("return window.kbMark"),
        json!(2),
        "an error does not reload the page"
    );

    server.write("content/alpha.md", &original);
    browser.wait_until(
        "the fixed page, without the overlay",
        "return window.kbMark === undefined && !document.getElementById('kb-error-overlay') \
         && document.querySelector('h1').textContent.trim() === 'Alpha outage'",
    );
}
