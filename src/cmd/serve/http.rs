//! Answering one request from the in-memory site: the request's path in, a
//! status, headers and body out. Nothing here touches the disk, so no path,
//! however encoded, can reach a file outside the site.

use std::hash::{DefaultHasher, Hasher};

use super::Served;

/// Where the injected script, the event stream and the status live.
pub const PREFIX: &str = "/__kb/";

/// The script every served HTML page gets before `</body>`.
const LIVE_JS: &str = include_str!("live.js");

/// An answer, ready to send.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// Headers besides `Content-Length`.
    pub headers: Vec<(&'static str, String)>,
    /// The body (left out on the wire for `HEAD` and 304).
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        let headers = vec![
            ("Content-Type", content_type.to_owned()),
            ("Cache-Control", "no-cache".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
        ];
        Reply {
            status,
            headers,
            body,
        }
    }

    fn text(status: u16, text: &str) -> Reply {
        Reply::new(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    /// 405, for methods other than `GET` and `HEAD`.
    pub fn method_not_allowed() -> Reply {
        let mut reply = Reply::text(405, "method not allowed: kb serve answers GET and HEAD\n");
        reply.headers.push(("Allow", "GET, HEAD".to_owned()));
        reply
    }

    /// 503, when no more event streams can be held.
    pub fn busy() -> Reply {
        Reply::text(503, "too many open pages: close some and reload\n")
    }

    /// A bare error status for a request that could not be read: 400
    /// (malformed), 408 (too slow), 431 (head too large).
    pub fn error(status: u16) -> Reply {
        let text = match status {
            408 => "request timeout: the request head did not arrive in time\n",
            431 => "request header fields too large\n",
            _ => "bad request\n",
        };
        let mut reply = Reply::text(status, text);
        reply.headers.push(("Connection", "close".to_owned()));
        reply
    }
}

/// Answers a `GET` (or `HEAD`) of `target`, the request's raw target.
/// `if_none_match` is the request's `If-None-Match` header.
pub fn respond(served: &Served, target: &str, if_none_match: Option<&str>) -> Reply {
    let (raw_path, query) = split_target(target);
    let Some(path) = decode_path(raw_path) else {
        return Reply::text(400, "bad request: the path is not a clean site path\n");
    };
    let reply = match path.strip_prefix(PREFIX) {
        Some("live.js") => Reply::new(
            200,
            "text/javascript; charset=utf-8",
            LIVE_JS.as_bytes().to_vec(),
        ),
        Some("status") => Reply::new(200, "application/json", served.status_json().into_bytes()),
        Some(_) => Reply::text(404, "not found\n"),
        None => site_file(served, &path, raw_path, query),
    };
    with_etag(reply, if_none_match)
}

fn site_file(served: &Served, path: &str, raw_path: &str, query: &str) -> Reply {
    let rest = path.trim_start_matches('/');
    let key = if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_owned()
    };
    match served.files.file(&key) {
        Some(Ok(bytes)) => return page(served, &key, &bytes, 200),
        Some(Err(message)) => return failed_page(served, &message),
        None => {}
    }
    if !rest.is_empty() && !rest.ends_with('/') && served.files.has(&format!("{rest}/index.html")) {
        let mut reply = Reply::text(301, "moved\n");
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        // One leading slash: `//host/` would send the browser to another host.
        let raw_path = raw_path.trim_start_matches('/');
        reply
            .headers
            .push(("Location", format!("/{raw_path}/{query}")));
        return reply;
    }
    match served.files.file("404.html") {
        Some(Ok(bytes)) => page(served, "404.html", &bytes, 404),
        _ => page(served, "404.html", FALLBACK_PAGE.as_bytes(), 404),
    }
}

/// A page that could not be rendered: the error, as the console shows it.
fn failed_page(served: &Served, message: &str) -> Reply {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kb serve: page error</title></head>\n<body><main><h1>This page failed to render</h1><pre>{}</pre></main></body></html>\n",
        crate::render::xml_escape(message)
    );
    page(served, "500.html", html.as_bytes(), 500)
}

/// What an HTML request gets while the latest build failed: status 500
/// and the errors with their excerpts, readable without JavaScript (`curl`,
/// a reader with scripts off). The script still comes along: open pages
/// show the errors over the last good page, and this one reloads once the
/// build is fixed.
fn broken_build(served: &Served, errors: &str) -> Reply {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>kb serve: the build failed</title>\n<style>:root{{color-scheme:light dark;}}body{{font:16px/1.5 system-ui,sans-serif;margin:1rem;max-width:60rem;}}pre{{white-space:pre-wrap;overflow-wrap:anywhere;background:#111;color:#eee;padding:1rem;border-left:4px solid #d32f2f;}}</style></head>\n<body><main><h1>The build failed</h1><p>kb serve keeps the last good site, but shows no page of it until the errors below are fixed; this page reloads by itself then.</p><pre>{}</pre></main></body></html>\n",
        crate::render::xml_escape(errors)
    );
    let body = inject(html.as_bytes(), served.generation);
    Reply::new(500, "text/html; charset=utf-8", body)
}

/// The page shown while there is no site yet (the first build failed): the
/// error overlay covers it.
const FALLBACK_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>kb serve</title></head>\n<body><main><h1>No site yet</h1><p>The build failed: fix the error and the page reloads.</p></main></body></html>\n";

fn page(served: &Served, key: &str, bytes: &[u8], status: u16) -> Reply {
    let content_type = content_type(key);
    if let Some(errors) = &served.errors
        && content_type.starts_with("text/html")
    {
        return broken_build(served, errors);
    }
    let body = if content_type.starts_with("text/html") {
        inject(bytes, served.generation)
    } else {
        bytes.to_vec()
    };
    Reply::new(status, content_type, body)
}

/// Adds the live-reload script before the last `</body>` (or at the end).
fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{PREFIX}live.js\" data-generation=\"{generation}\" defer></script>\n"
    );
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// An `ETag` from the body; 304 with no body when the browser has it.
fn with_etag(mut reply: Reply, if_none_match: Option<&str>) -> Reply {
    if !matches!(reply.status, 200 | 404) {
        return reply;
    }
    let mut hasher = DefaultHasher::new();
    hasher.write(&reply.body);
    hasher.write_u16(reply.status);
    let etag = format!("\"{:016x}\"", hasher.finish());
    let fresh = reply.status == 200
        && if_none_match.is_some_and(|h| h.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if fresh {
        reply.status = 304;
        reply.body.clear();
    }
    reply.headers.push(("ETag", etag));
    reply
}

/// The path and the query of a request target (`/a/b?x#y`); an absolute
/// target (`http://host/a`) loses its scheme and host.
fn split_target(target: &str) -> (&str, &str) {
    let target = match target.split_once("://") {
        Some((_, rest)) if !target.starts_with('/') => rest.find('/').map_or("/", |i| &rest[i..]),
        _ => target,
    };
    let target = target.split('#').next().unwrap_or_default();
    target.split_once('?').unwrap_or((target, ""))
}

/// The percent-decoded path, or `None` when it is not a clean absolute path:
/// not UTF-8, or with a `..` or `.` segment, a backslash or a NUL, before or
/// after decoding.
fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let clean = !path.contains(['\\', '\0']) && path.split('/').all(|s| s != ".." && s != ".");
    clean.then_some(path)
}

/// The `Content-Type` for an output file.
fn content_type(path: &str) -> &'static str {
    if path == "feed.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::render::Files;

    fn served() -> Served {
        Served {
            files: Arc::new(site()),
            errors: None,
            generation: 3,
        }
    }

    fn site() -> Files {
        let mut files = Files::new();
        files.insert(
            "index.html".into(),
            b"<html><body>home</body></html>".to_vec(),
        );
        files.insert(
            "incidents/a b/index.html".into(),
            b"<html><body>a</body></html>".to_vec(),
        );
        files.insert(
            "404.html".into(),
            b"<html><body>missing</body></html>".to_vec(),
        );
        files.insert("static/style.css".into(), b"body{}".to_vec());
        files
    }

    fn body(r: &Reply) -> String {
        String::from_utf8_lossy(&r.body).into_owned()
    }

    #[test]
    fn folders_serve_their_index_and_get_the_script() {
        let r = respond(&served(), "/", None);
        assert_eq!(r.status, 200);
        assert!(body(&r).contains(
            "home<script src=\"/__kb/live.js\" data-generation=\"3\" defer></script>\n</body>"
        ));
        assert_eq!(respond(&served(), "/incidents/a%20b/", None).status, 200);
    }

    #[test]
    fn a_folder_without_slash_redirects() {
        let r = respond(&served(), "/incidents/a%20b?x=1", None);
        assert_eq!(r.status, 301);
        assert!(
            r.headers
                .contains(&("Location", "/incidents/a%20b/?x=1".to_owned()))
        );
    }

    #[test]
    fn missing_pages_get_the_site_404() {
        let r = respond(&served(), "/nope/", None);
        assert_eq!(r.status, 404);
        assert!(body(&r).contains("missing"));
        assert!(body(&r).contains("/__kb/live.js"));
    }

    #[test]
    fn before_a_first_good_build_every_page_is_the_error() {
        let none = Served {
            errors: Some("site.toml:1:1: bad".into()),
            ..Served::default()
        };
        let r = respond(&none, "/incidents/", None);
        assert_eq!(r.status, 500);
        assert!(body(&r).contains("site.toml:1:1: bad"));
        assert!(body(&r).contains("/__kb/live.js"));
        let no_error = Served::default();
        let r = respond(&no_error, "/incidents/", None);
        assert_eq!(r.status, 404);
        assert!(body(&r).contains("No site yet"));
    }

    #[test]
    fn while_the_build_is_broken_pages_are_the_error_and_assets_still_serve() {
        let mut s = served();
        s.errors = Some("content/a.md:2:1: error[invalid-toml]: <bad>\n2 | x = \"".into());
        for target in ["/", "/incidents/a%20b/", "/nope/"] {
            let r = respond(&s, target, None);
            assert_eq!(r.status, 500, "{target}");
            assert!(body(&r).contains("content/a.md:2:1: error[invalid-toml]: &lt;bad&gt;"));
            assert!(
                body(&r).contains("data-generation=\"3\""),
                "reloads once fixed"
            );
        }
        let css = respond(&s, "/static/style.css", None);
        assert_eq!((css.status, body(&css).as_str()), (200, "body{}"));
    }

    #[test]
    fn traversal_never_leaves_the_site() {
        for target in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "/static/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc%5cpasswd",
            "/%252e%252e/etc/passwd",
            "//etc/passwd",
            "http://evil/../etc/passwd",
            "/%00",
            "/%zz",
        ] {
            let r = respond(&served(), target, None);
            assert!(matches!(r.status, 400 | 404), "{target}: {}", r.status);
            assert!(!body(&r).contains("root:"), "{target}");
        }
    }

    #[test]
    fn content_types_and_etags() {
        let r = respond(&served(), "/static/style.css", None);
        assert!(
            r.headers
                .contains(&("Content-Type", "text/css; charset=utf-8".to_owned()))
        );
        let etag = r
            .headers
            .iter()
            .find(|(k, _)| *k == "ETag")
            .map(|(_, v)| v.clone())
            .unwrap();
        let again = respond(&served(), "/static/style.css", Some(&etag));
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
        let mut changed = served();
        let mut files = site();
        files.insert("static/style.css".into(), b"body{color:red}".to_vec());
        changed.files = Arc::new(files);
        assert_eq!(
            respond(&changed, "/static/style.css", Some(&etag)).status,
            200
        );
    }

    #[test]
    fn the_status_shows_errors() {
        let mut s = served();
        s.errors = Some("content/a.md:2:1: bad".into());
        let r = respond(&s, "/__kb/status", None);
        assert!(body(&r).contains("content/a.md:2:1: bad"));
        assert_eq!(respond(&s, "/__kb/nothing", None).status, 404);
    }
}
