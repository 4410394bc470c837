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
    let page = server.get("/incidents/alpha/");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Alpha outage after the 10:00 deploy"),
        "the last good site"
    );

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
    assert_eq!(server.get("/").status, 200, "still serving");
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
    assert_eq!(missing.status, 404);
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
