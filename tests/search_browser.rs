//! The search page in headless Chromium: the example knowledge base (the
//! repository root) is built in memory and served by a small file server on
//! 127.0.0.1; ChromeDriver drives Chromium through fantoccini.
//!
//! Needs the Debian packages `chromium` and `chromium-driver` (or
//! `KB_CHROMIUM` and `KB_CHROMEDRIVER` naming the binaries); without them the
//! browser tests print a note and pass.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use kb::analysis::search::text::{Analyzer, fold, words};
use kb::site::{BuildOptions, build};
use serde_json::{Value, json};

mod browser;

use browser::{Log, serve};

type Files = BTreeMap<String, Vec<u8>>;

fn build_site(root: &Path) -> Files {
    let options = BuildOptions {
        drafts: false,
        base_url: None,
        build_time: "2026-11-24T00:00:00Z".parse().expect("instant"),
        git: kb::git::log::GitHistory::Off,
    };
    let built = build(root, &options);
    let errors: Vec<String> = built.errors().map(|d| format!("{d:?}")).collect();
    built
        .site
        .unwrap_or_else(|| panic!("the site builds: {errors:?}"))
        .files()
        .expect("the site renders")
}

async fn start(chromium: &Path, chromedriver: &Path) -> (browser::Driver, Client) {
    browser::start(
        chromium,
        chromedriver,
        &["--window-size=1200,900"],
        json!({}),
    )
    .await
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

/// Waits until the search page has finished more than `after` searches.
async fn searched(c: &Client, after: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let state = js(c, "const b = document.getElementById('search'); return b ? [b.dataset.state || '', Number(b.dataset.runs || 0)] : ['', 0];").await;
        let runs = state[1].as_u64().unwrap_or(0);
        assert_ne!(state[0], "error", "the search page reported an error");
        if state[0] == "done" && runs > after {
            return runs;
        }
        assert!(
            Instant::now() < deadline,
            "no search finished (state {state})"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn titles(c: &Client) -> Vec<String> {
    let v = js(
        c,
        "return [...document.querySelectorAll('.search-result-title a')].map(a => a.textContent);",
    )
    .await;
    serde_json::from_value(v).expect("titles")
}

async fn status(c: &Client) -> String {
    js(
        c,
        "return document.querySelector('.search-status').textContent;",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Facet counts as shown: "service:storefront" -> 3.
async fn counts(c: &Client) -> BTreeMap<String, u64> {
    let v = js(
        c,
        "return [...document.querySelectorAll('.search-facets input')].map(i => \
         [i.name + ':' + i.value, Number(i.parentElement.querySelector('.count').textContent.replace(/\\D/g, ''))]);",
    )
    .await;
    serde_json::from_value::<Vec<(String, u64)>>(v)
        .expect("counts")
        .into_iter()
        .collect()
}

/// Clicks the element `css` finds, scrolled (without the theme's smooth
/// scrolling) to the middle of the window first.
async fn click(c: &Client, css: &str) {
    let element = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center', behavior: 'instant' });",
        vec![serde_json::to_value(&element).expect("element")],
    )
    .await
    .expect("scroll");
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

fn leading_number(text: &str) -> usize {
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count in {text:?}"))
}

/// Every resource the page loaded came from `base`.
async fn assert_same_origin(c: &Client, base: &str) {
    let v = js(c, "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).map(e => e.name);").await;
    let urls: Vec<String> = serde_json::from_value(v).expect("urls");
    assert!(!urls.is_empty());
    for url in urls {
        assert!(url.starts_with(base), "a request left the site: {url}");
    }
}

/// The browser's console messages of level SEVERE (errors), from ChromeDriver's log.
fn console_errors(port: u16, session: &str) -> Vec<String> {
    let body = r#"{"type":"browser"}"#;
    let request = format!(
        "POST /session/{session}/se/log HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver");
    stream.write_all(request.as_bytes()).expect("send");
    // ChromeDriver may keep the connection open: read the head, then Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
        line.clear();
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("log body");
    let value: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| panic!("log response: {}", String::from_utf8_lossy(&body)));
    let entries = value["value"]
        .as_array()
        .unwrap_or_else(|| panic!("log entries: {value}"));
    entries
        .iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].to_string())
        .collect()
}

/// The WebDriver session id of `c`.
async fn session_of(c: &Client) -> String {
    c.session_id()
        .await
        .expect("session")
        .expect("a session id")
}

/// The page logged no console error and asked for no file the site lacks.
fn assert_no_errors(log: &Log, port: u16, session: &str) {
    let errors = console_errors(port, session);
    assert!(errors.is_empty(), "console errors: {errors:?}");
    let missing: Vec<String> = log
        .lock()
        .expect("log")
        .iter()
        .filter(|(_, n)| *n == 0)
        .map(|(p, _)| p.clone())
        .collect();
    assert!(
        missing.is_empty(),
        "requests the site could not answer: {missing:?}"
    );
}

/// The words of the example postmortems, for the stemmer comparison.
fn corpus_words(root: &Path) -> Vec<String> {
    let mut all = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
    {
        if let Ok(text) = std::fs::read_to_string(entry.path()) {
            all.extend(words(&fold(&text)).map(str::to_owned));
        }
    }
    all.into_iter().collect()
}

#[test]
fn search_page_without_javascript_links_to_the_incident_list() {
    let files = build_site(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = String::from_utf8(files["search/index.html"].clone()).expect("UTF-8");
    let html = scraper::Html::parse_document(&page);
    let noscript = scraper::Selector::parse("noscript").expect("selector");
    // Parsed with scripting on, <noscript> holds raw text: parse that again.
    let text: String = html.select(&noscript).flat_map(|n| n.text()).collect();
    assert!(text.contains("needs JavaScript"), "{text}");
    let inner = scraper::Html::parse_fragment(&text);
    let links = scraper::Selector::parse("a[href]").expect("selector");
    let hrefs: Vec<&str> = inner
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"../incidents/"), "{hrefs:?}");
    let nav = scraper::Selector::parse("nav.site-nav a[aria-current=page]").expect("selector");
    assert_eq!(
        html.select(&nav)
            .map(|a| a.text().collect::<String>())
            .collect::<Vec<_>>(),
        ["Search"]
    );
    for path in [
        "search/manifest.json",
        "search/facets.json",
        "search/terms/0.json",
        "search/cards/0.json",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
    assert!(
        !files.keys().any(|p| p.starts_with("search/doc/")),
        "cards come many to a file, not one file per incident"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_page_in_headless_chromium() {
    let Some(browser::Binaries {
        chromium,
        chromedriver,
    }) = browser::with_driver("search browser test")
    else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (base, log) = serve(build_site(root));
    let (driver, c) = start(&chromium, &chromedriver).await;
    let session = session_of(&c).await;

    // "memory leak" finds the seed incident first, with the words highlighted.
    c.goto(&format!("{base}search/?q=memory+leak"))
        .await
        .expect("search page");
    let mut runs = searched(&c, 0).await;
    let found = titles(&c).await;
    assert_eq!(
        found.first().map(String::as_str),
        Some("Outage on June 8, 2024"),
        "{found:?}"
    );
    let marks = js(&c, "return [...document.querySelectorAll('.search-result mark')].map(m => m.textContent.toLowerCase());").await;
    let marks: Vec<String> = serde_json::from_value(marks).expect("marks");
    assert!(
        marks.iter().any(|m| m == "memory") && marks.iter().any(|m| m == "leak"),
        "{marks:?}"
    );
    // The card: date, severity badge, duration and services (these two from
    // the facet columns), and the start of the summary.
    let card = js(
        &c,
        "const r = document.querySelector('.search-result'); return [\
         r.querySelector('time').dateTime, r.querySelector('.badge').className,\
         r.querySelector('.search-result-meta').textContent,\
         r.querySelector('.search-result-snippet').textContent];",
    )
    .await;
    assert_eq!(card[0], "2024-06-08", "{card}");
    assert_eq!(card[1], "badge badge-sev1", "{card}");
    // "Storefront": the name site.toml's registry gives it.
    assert_eq!(card[2], "2024-06-08 · SEV1 · lasted 3 h · Storefront");
    let snippet = card[3].as_str().unwrap_or_default();
    assert!(
        snippet.starts_with("An unexpected spike in traffic triggered a memory leak"),
        "{snippet}"
    );
    let first_query: Vec<String> = log
        .lock()
        .expect("log")
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| p.contains("/search/"))
        .collect();
    assert!(
        first_query
            .iter()
            .any(|p| p.starts_with("/search/manifest.json")),
        "{first_query:?}"
    );
    assert!(
        first_query.iter().any(|p| p.starts_with("/search/cards/")),
        "{first_query:?}"
    );
    assert!(
        !first_query.iter().any(|p| p.starts_with("/search/pairs/")),
        "phrases only when quoted: {first_query:?}"
    );

    // The browser's stemmer agrees with the index builder's.
    let words = corpus_words(root);
    let stems = c
        .execute(
            "return arguments[0].map(w => window.kbStem(w));",
            vec![json!(words)],
        )
        .await
        .expect("kbStem");
    let stems: Vec<String> = serde_json::from_value(stems).expect("stems");
    let analyzer = Analyzer::default();
    let differ: Vec<String> = words
        .iter()
        .zip(&stems)
        .filter(|(w, s)| analyzer.stem(w) != s.as_str())
        .map(|(w, s)| format!("{w}: rust {} js {s}", analyzer.stem(w)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {} words stem differently: {differ:?}",
        differ.len(),
        words.len()
    );

    // A quoted phrase keeps only documents with the words side by side.
    let input = c.find(Locator::Id("search-q")).await.expect("search box");
    input.clear().await.expect("clear");
    input.send_keys("\"leak memory\"").await.expect("type");
    runs = searched(&c, runs).await;
    assert!(
        titles(&c).await.is_empty(),
        "no document says \"leak memory\""
    );
    input.clear().await.expect("clear");
    input.send_keys("\"memory leak\"").await.expect("type");
    runs = searched(&c, runs).await;
    assert_eq!(
        titles(&c).await.first().map(String::as_str),
        Some("Outage on June 8, 2024")
    );

    // The last word matches as a prefix while typing.
    input.clear().await.expect("clear");
    input.send_keys("certific").await.expect("type");
    searched(&c, runs).await;
    let prefix = titles(&c).await;
    assert!(
        !prefix.is_empty()
            && c.current_url()
                .await
                .expect("url")
                .as_str()
                .ends_with("?q=certific"),
        "{prefix:?}"
    );

    // Facets work without words; choosing one narrows the results and the counts follow.
    c.goto(&format!("{base}search/"))
        .await
        .expect("search page");
    runs = searched(&c, 0).await;
    let all = leading_number(&status(&c).await);
    let before = counts(&c).await;
    assert_eq!(
        before
            .iter()
            .filter(|(k, _)| k.starts_with("year:"))
            .map(|(_, n)| *n)
            .sum::<u64>() as usize,
        all
    );
    click(&c, "input[name=severity][value=sev1]").await;
    runs = searched(&c, runs).await;
    let narrowed = leading_number(&status(&c).await);
    let after = counts(&c).await;
    assert!(
        narrowed < all && narrowed == before["severity:sev1"] as usize,
        "{narrowed} of {all}"
    );
    assert_ne!(
        before.get("service:storefront"),
        after.get("service:storefront"),
        "service counts follow the facet"
    );
    assert!(
        c.current_url()
            .await
            .expect("url")
            .as_str()
            .ends_with("/search/?severity=sev1")
    );
    click(&c, "input[name=year][value='2024']").await;
    let runs = searched(&c, runs).await;
    let both = leading_number(&status(&c).await);
    assert!(both <= narrowed && both > 0, "SEV1 in 2024: {both}");
    // Back undoes the last facet.
    c.back().await.expect("back");
    searched(&c, runs).await;
    assert_eq!(leading_number(&status(&c).await), narrowed);
    assert_same_origin(&c, &base).await;

    // Keyboard: `/` focuses the header box on any page; arrows move; Enter opens.
    c.goto(&format!("{base}incidents/"))
        .await
        .expect("incidents page");
    c.active_element()
        .await
        .expect("body")
        .send_keys("/")
        .await
        .expect("slash");
    let focused = js(&c, "return document.activeElement.id;").await;
    assert_eq!(focused, "site-search-q");
    c.active_element()
        .await
        .expect("box")
        .send_keys(&format!("memory leak{}", char::from(Key::Enter)))
        .await
        .expect("type");
    searched(&c, 0).await;
    let input = c.find(Locator::Id("search-q")).await.expect("search box");
    input
        .send_keys(&char::from(Key::Down).to_string())
        .await
        .expect("down");
    let first = js(&c, "return document.activeElement.closest('.search-result') === document.querySelector('.search-result');").await;
    assert_eq!(first, true, "ArrowDown moves to the first result");
    c.active_element()
        .await
        .expect("link")
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("enter");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !c
        .current_url()
        .await
        .expect("url")
        .as_str()
        .ends_with("/incidents/2024-06-08-web-platform-outage/")
    {
        assert!(
            Instant::now() < deadline,
            "Enter did not open the first result"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_same_origin(&c, &base).await;

    snippets_show_the_passage_that_matched(&c, &base).await;

    assert_no_errors(&log, driver.port, &session);
    c.close().await.expect("close the browser");
}

/// What the last search took in the page, in milliseconds.
async fn query_ms(c: &Client) -> f64 {
    let ms = js(
        c,
        "return Number(document.getElementById('search').dataset.lastQueryMs);",
    )
    .await;
    ms.as_f64().expect("a number of milliseconds")
}

/// Facet ids wider than one character (41 services, 40 years) decode in the
/// browser as the index builder wrote them, and so do documents without a cause.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wide_facet_columns_decode_in_the_browser() {
    let Some(browser::Binaries {
        chromium,
        chromedriver,
    }) = browser::with_driver("search browser test")
    else {
        return;
    };
    let site = tempfile::tempdir().expect("temp dir");
    let content = site.path().join("content");
    std::fs::create_dir(&content).expect("content folder");
    for i in 0..40 {
        let year = 1990 + i;
        let severity = ["SEV1", "SEV2", "SEV3", "SEV4"][i % 4];
        let cause = if i % 3 == 0 { "\"bad-deploy\"" } else { "" };
        let text = format!(
            "+++\ntitle = \"Incident {i}\"\nseverity = \"{severity}\"\n\
             services = [\"service-{i:02}\", \"shared\"]\ncauses = [{cause}]\n\
             started = {year}-03-01T10:00:00Z\nresolved = {year}-03-01T11:00:00Z\n+++\n\n\
             ## Summary\n\nSomething broke.\n"
        );
        std::fs::write(content.join(format!("incident-{i}.md")), text).expect("write");
    }
    let (base, _log) = serve(build_site(site.path()));
    let (_driver, c) = start(&chromium, &chromedriver).await;
    c.goto(&format!("{base}search/"))
        .await
        .expect("search page");
    let runs = searched(&c, 0).await;
    let before = counts(&c).await;
    assert_eq!(before["service:shared"], 40);
    assert_eq!(before["service:service-07"], 1);
    assert_eq!(before["year:1995"], 1);
    assert_eq!(before["severity:sev2"], 10, "i = 1, 5, ..., 37");
    assert_eq!(before["cause:bad-deploy"], 14, "i = 0, 3, ..., 39");
    assert_eq!(before.keys().filter(|k| k.starts_with("year:")).count(), 40);
    click(&c, "input[name=service][value=service-07]").await;
    searched(&c, runs).await;
    assert_eq!(leading_number(&status(&c).await), 1);
    let meta = js(
        &c,
        "return document.querySelector('.search-result-meta').textContent;",
    )
    .await;
    // Incident 7: 1997, 7 % 4 = 3 is SEV4, one hour, its two services
    // (written service-07 and shared: slugs, shown as words).
    assert_eq!(meta, "1997-03-01 · SEV4 · lasted 1 h · Service 07, Shared");
    c.close().await.expect("close");
}

/// A knowledge base without incidents has an index without shards: a search
/// finds nothing and asks for no file that is not there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_without_incidents_finds_nothing() {
    let Some(browser::Binaries {
        chromium,
        chromedriver,
    }) = browser::with_driver("search browser test")
    else {
        return;
    };
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(site.path().join("content")).expect("content folder");
    let (base, log) = serve(build_site(site.path()));
    let (driver, c) = start(&chromium, &chromedriver).await;
    let session = session_of(&c).await;
    c.goto(&format!("{base}search/?q=outage"))
        .await
        .expect("search page");
    searched(&c, 0).await;
    assert_eq!(status(&c).await, "0 incidents for “outage”");
    assert_no_errors(&log, driver.port, &session);
    c.close().await.expect("close");
}

/// Searches for `q`; gives the snippet of the result titled `title` and
/// its marked words.
async fn snippet_of(c: &Client, base: &str, q: &str, title: &str) -> (String, Vec<String>) {
    c.goto(&format!("{base}search/?q={q}"))
        .await
        .expect("search page");
    searched(c, 0).await;
    let v = c
        .execute(
            "const li = [...document.querySelectorAll('.search-result')]\
               .find(r => r.querySelector('.search-result-title a').textContent === arguments[0]);\
             const p = li.querySelector('.search-result-snippet');\
             return [p.textContent, [...p.querySelectorAll('mark')].map(m => m.textContent)];",
            vec![json!(title)],
        )
        .await
        .expect("snippet");
    serde_json::from_value(v).expect("snippet and marks")
}

/// Snippets show the passage that matched: checked within
/// [`search_page_in_headless_chromium`], on the same site and browser.
async fn snippets_show_the_passage_that_matched(c: &Client, base: &str) {
    // "PgBouncer" is not in the hot-row-lock incident's title or summary,
    // only in its body: the card shows the body's sentence that holds it.
    let lock = "Black Friday checkout stalled on a hot row lock in orders-db";
    let (text, marks) = snippet_of(c, base, "pgbouncer", lock).await;
    assert!(
        text.starts_with("PgBouncer's pool for the checkout role (400 server connections)"),
        "{text}"
    );
    assert_eq!(marks, ["PgBouncer"], "{text}");
    // 200 characters at most, cut after a word, plus " …".
    assert!(text.chars().count() <= 202, "{text}");

    // "Debezium" is in the WAL incident's summary, 170 characters in: the
    // snippet starts a few words before it, marked as cut.
    let wal =
        "orders-db stopped accepting writes when a stale replication slot filled the WAL volume";
    let (text, marks) = snippet_of(c, base, "debezium", wal).await;
    assert!(text.starts_with("… "), "{text}");
    assert!(text.contains("a Debezium replication slot"), "{text}");
    assert!(!text.contains("At 23:40 UTC"), "{text}");
    assert_eq!(marks, ["Debezium"], "{text}");

    // A match in the summary's first words: the summary from its start.
    let sale = "Checkout 503s during the Valentine's Day flash sale";
    let (text, marks) = snippet_of(c, base, "valentine", sale).await;
    assert!(
        text.starts_with("At 19:00 on Valentine's Day the marketing team"),
        "{text}"
    );
    assert_eq!(marks, ["Valentine"], "{text}");
}

/// A site already built into `dir`.
fn read_site(dir: &Path) -> Files {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("readable"))
        })
        .collect()
}

/// Measures a first search on the site at `KB_BENCH_SITE` (for example a
/// generated 10,000-incident knowledge base, or a site already built there):
/// bytes fetched and the time the page spent on the query. Run with `--ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: needs KB_BENCH_SITE and a browser"]
async fn first_search_cost() {
    let Some(site) = std::env::var_os("KB_BENCH_SITE") else {
        eprintln!("note: set KB_BENCH_SITE to a knowledge base folder to measure it");
        return;
    };
    let Some(browser::Binaries {
        chromium,
        chromedriver,
    }) = browser::with_driver("search browser test")
    else {
        return;
    };
    let query = std::env::var("KB_BENCH_QUERY").unwrap_or_else(|_| "memory leak".to_owned());
    let site = Path::new(&site);
    let started = Instant::now();
    let files = if site.join("index.html").is_file() {
        read_site(site)
    } else {
        build_site(site)
    };
    let build_time = started.elapsed();
    let index_files: Vec<usize> = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/") && !p.ends_with(".html"))
        .map(|(_, b)| b.len())
        .collect();
    let (index, index_files) = (index_files.iter().sum::<usize>(), index_files.len());
    let (base, log) = serve(files);
    let (_driver, c) = start(&chromium, &chromedriver).await;
    c.goto(&format!("{base}search/?q={}", query.replace(' ', "+")))
        .await
        .expect("search page");
    let runs = searched(&c, 0).await;
    // Bytes per kind of index file: manifest, facets, terms, pairs, cards.
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (path, n) in log.lock().expect("log").iter() {
        if let Some(rest) = path.strip_prefix("/search/")
            && !rest.starts_with('?')
        {
            let kind = rest.split(['/', '.']).next().unwrap_or(rest).to_owned();
            let entry = kinds.entry(kind).or_default();
            entry.0 += 1;
            entry.1 += n;
        }
    }
    let first: usize = kinds.values().map(|(_, n)| n).sum();
    let breakdown: Vec<String> = kinds
        .iter()
        .map(|(kind, (files, n))| format!("{kind} {files} files {:.1} kB", *n as f64 / 1e3))
        .collect();
    let first_ms = query_ms(&c).await;
    let first_found = leading_number(&status(&c).await);
    // Each query once as typed (it may fetch shards), then submitted again
    // REPEATS times: the median of those is the page's own time.
    const REPEATS: usize = 5;
    let input = c.find(Locator::Id("search-q")).await.expect("search box");
    let mut latencies = Vec::new();
    let mut runs = runs;
    for q in [
        "database",
        "timeout error",
        "certificate expired",
        "disk full",
        "memory leak",
        "\"memory leak\"",
        "cert",
    ] {
        input.clear().await.expect("clear");
        input.send_keys(q).await.expect("type");
        runs = searched(&c, runs).await;
        let typed = query_ms(&c).await;
        let found = leading_number(&status(&c).await);
        let mut again = Vec::new();
        for _ in 0..REPEATS {
            js(
                &c,
                "document.getElementById('search-q').form.requestSubmit();",
            )
            .await;
            runs = searched(&c, runs).await;
            again.push(query_ms(&c).await);
        }
        again.sort_by(f64::total_cmp);
        latencies.push(format!(
            "{q}: {typed} ms, again {} ms ({found})",
            again[REPEATS / 2]
        ));
    }
    println!(
        "site build or read {build_time:.2?}, index {:.1} MB in {index_files} files, first search for {query:?} ({first_found} found): {:.1} kB fetched ({}), {first_ms} ms in the page; then typed (found): {}",
        index as f64 / 1e6,
        first as f64 / 1e3,
        breakdown.join(", "),
        latencies.join(", ")
    );
    c.close().await.expect("close");
}
