//! `kb serve` end to end: the real binary on a loopback port serving a copy
//! of `tests/fixtures/serve-small`. Edits reach open pages as events; a
//! broken file, site.toml or template shows as an error and goes when fixed.

mod server;

use server::{Server, request};

/// `alpha.md` with another title.
fn alpha(title: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/serve-small/content/alpha.md"
    ))
    .unwrap();
    text.replace("title = \"Alpha outage\"", &format!("title = \"{title}\""))
}

#[test]
fn edits_reload_and_errors_show_until_fixed() {
    let server = Server::start("serve-small");
    let page = server.get("/incidents/alpha/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Alpha outage"));
    assert!(
        page.body
            .contains("<script src=\"/__kb/live.js\" data-generation=\"1\" defer></script>")
    );
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let mut events = server.events();
    let hello = events.wait_for("status");
    assert_eq!(hello.data, r#"{"errors":null,"generation":1}"#);

    // An edit: a reload event, then the new content.
    server.write(
        "content/alpha.md",
        &alpha("Alpha outage after the 10:00 deploy"),
    );
    let reload = events.wait_for("reload");
    assert!(reload.data.contains(r#""generation":2"#), "{}", reload.data);
    let page = server.get("/incidents/alpha/");
    assert!(page.body.contains("Alpha outage after the 10:00 deploy"));
    assert!(page.body.contains("data-generation=\"2\""));

    // A broken file: an error event naming file, line and column, with an
    // excerpt; the last good page is still served.
    server.write(
        "content/alpha.md",
        &alpha("Alpha outage").replace("severity = \"SEV2\"", "severity = \"SEV2"),
    );
    let error = events.wait_for("error");
    assert!(error.data.contains("content/alpha.md:3:"), "{}", error.data);
    assert!(
        error.data.contains("severity = \\\"SEV2"),
        "the excerpt: {}",
        error.data
    );
    let status = server.get("/__kb/status");
    assert!(
        status.body.contains("content/alpha.md:3:"),
        "{}",
        status.body
    );
    // Without JavaScript too: a page asked for now is the error itself,
    // status 500, with the file, line and excerpt; it still carries the
    // script that reloads it once the file is fixed. Styles and scripts
    // still come from the last good site.
    let page = server.get("/incidents/alpha/");
    assert_eq!(page.status, 500);
    let html = scraper::Html::parse_document(&page.body);
    let pre = html
        .select(&scraper::Selector::parse("pre").unwrap())
        .next()
        .map(|p| p.text().collect::<String>())
        .unwrap_or_default();
    assert!(pre.contains("content/alpha.md:3:"), "{pre}");
    assert!(pre.contains("severity = \"SEV2"), "the excerpt: {pre}");
    assert!(page.body.contains("data-generation=\"2\""), "{}", page.body);
    assert_eq!(server.get("/static/style.css").status, 200);

    // Fixed: a reload, and the error is gone.
    server.write("content/alpha.md", &alpha("Alpha outage, fixed"));
    let reload = events.wait_for("reload");
    assert!(reload.data.contains(r#""errors":null"#), "{}", reload.data);
    assert!(
        server
            .get("/incidents/alpha/")
            .body
            .contains("Alpha outage, fixed")
    );
    assert!(server.get("/__kb/status").body.contains(r#""errors":null"#));
}

#[test]
fn deleted_files_config_and_template_errors_never_stop_the_server() {
    let server = Server::start("serve-small");
    let mut events = server.events();
    events.wait_for("status");

    std::fs::remove_file(server.root.join("content/beta.md")).unwrap();
    events.wait_for("reload");
    let gone = server.get("/incidents/beta/");
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("Page not found"), "the site's 404 page");
    assert!(
        gone.body.contains("/__kb/live.js"),
        "the 404 page gets the script too"
    );

    let config = server.read("site.toml");
    server.write("site.toml", &format!("{config}\nseverities = 3\n"));
    let error = events.wait_for("error");
    assert!(error.data.contains("site.toml:"), "{}", error.data);
    let home = server.get("/");
    assert_eq!(home.status, 500, "the error, not a stale page");
    assert!(home.body.contains("site.toml:"), "{}", home.body);
    server.write("site.toml", &config);
    events.wait_for("reload");

    server.write(
        "themes/default/templates/incident.html",
        "{% extends \"base.html\" %}{% block content %}{% if %}{% endblock %}",
    );
    let error = events.wait_for("error");
    assert!(
        error
            .data
            .contains("themes/default/templates/incident.html"),
        "{}",
        error.data
    );
    let missing = server.get("/nothing-here/");
    assert_eq!(missing.status, 500);
    assert!(missing.body.contains("incident.html"), "{}", missing.body);
    // An error only rendering finds, on a page no one has asked for yet.
    server.write(
        "themes/default/templates/incident.html",
        "{% extends \"base.html\" %}{% block content %}{{ incident.title|no_such_filter }}{% endblock %}",
    );
    let error = events.wait_for("error");
    assert!(error.data.contains("no_such_filter"), "{}", error.data);
    std::fs::remove_file(server.root.join("themes/default/templates/incident.html")).unwrap();
    let reload = events.wait_for("reload");
    assert!(reload.data.contains(r#""errors":null"#));
    assert_eq!(server.get("/incidents/alpha/").status, 200);
}

#[test]
fn answers_only_from_the_site() {
    let server = Server::start("serve-small");
    for target in [
        "/../../etc/passwd",
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/content/alpha.md",
        "/site.toml",
        "/static/",
        "/incidents/alpha/../../../etc/passwd",
    ] {
        let r = request(&server.addr, "GET", target, None);
        assert!(matches!(r.status, 400 | 404), "{target}: {}", r.status);
        assert!(!r.body.contains("root:"), "{target}");
        assert!(!r.body.contains("Index of"), "{target}: no listing");
    }
    let head = request(&server.addr, "HEAD", "/", None);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let css = server.get("/static/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let redirect = server.get("/incidents");
    assert_eq!(
        (redirect.status, redirect.header("location")),
        (301, Some("/incidents/"))
    );
    assert_eq!(request(&server.addr, "POST", "/", Some("{}")).status, 405);
}

/// Idle connections hold no thread for long and add none; a request head
/// past 16 KiB is refused with 431; a real request is answered at once
/// while hundreds of idle connections are open.
#[test]
fn idle_and_oversized_requests_are_bounded() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    let server = Server::start("serve-small");
    assert_eq!(server.get("/").status, 200);
    let threads_before = server.threads().expect("threads of kb serve");
    let idle: Vec<TcpStream> = (0..300)
        .map(|_| TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    let started = Instant::now();
    let page = server.get("/incidents/alpha/");
    assert_eq!(page.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a request waited {:?} behind idle connections",
        started.elapsed()
    );
    let threads_during = server.threads().expect("threads of kb serve");
    assert!(
        threads_during <= threads_before,
        "{threads_before} threads before, {threads_during} with 300 idle connections"
    );
    // Each idle connection is closed by the server: reading gives the end.
    let mut first = idle.into_iter().next().unwrap();
    first
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut rest = Vec::new();
    assert!(matches!(first.read_to_end(&mut rest), Ok(0)), "closed");

    let mut big = TcpStream::connect(&server.addr).unwrap();
    big.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    let _ = big.write_all(head.as_bytes());
    let mut answer = String::new();
    let _ = big.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
}

/// Bound beyond loopback, kb serve says that other machines can reach it.
#[test]
fn binding_beyond_loopback_warns() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_kb"))
        .args(["serve", "--bind", "0.0.0.0", "--port", "0", "--root"])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/serve-small"
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kb serve");
    let stderr = child.stderr.take().unwrap();
    let line = BufReader::new(stderr).lines().map_while(Result::ok).next();
    let _ = child.kill();
    let _ = child.wait();
    let line = line.unwrap_or_default();
    assert!(
        line.contains("warning") && line.contains("other machines can reach"),
        "{line}"
    );
}
