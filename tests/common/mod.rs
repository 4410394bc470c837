//! Test harness: builds a fixture knowledge base in memory or with the `kb`
//! binary into a temp folder, and gives its pages as parsed HTML.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use kb::diagnostic::Diagnostic;
use kb::render::Files;
use kb::site::{self, BuildOptions};
use scraper::{Html, Selector};

/// The path of fixture `name`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Build options for the tests: no base URL override, the fixed build time.
pub fn options(drafts: bool) -> BuildOptions {
    BuildOptions {
        drafts,
        base_url: None,
        build_time: build_time(),
        git: kb::git::log::GitHistory::Off,
    }
}

/// The fixed build time of tests: 2026-11-24 12:00 UTC.
pub fn build_time() -> Timestamp {
    "2026-11-24T12:00:00Z".parse().unwrap()
}

/// A fixture built in memory.
pub struct Built {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
}

impl Built {
    /// Builds fixture `name`; panics (in the test) when the build fails.
    pub fn new(name: &str) -> Built {
        Built::with(name, false)
    }

    /// Builds fixture `name`, with drafts when `drafts`.
    pub fn with(name: &str, drafts: bool) -> Built {
        Built::at(&fixture(name), drafts)
    }

    /// Builds the knowledge base at `root`, with drafts when `drafts`.
    pub fn at(root: &Path, drafts: bool) -> Built {
        let build = site::build(root, &options(drafts));
        let errors: Vec<String> = build.errors().map(|d| d.to_string()).collect();
        assert!(
            errors.is_empty(),
            "build of {} failed: {errors:#?}",
            root.display()
        );
        let files = match build.site.as_ref().map(|site| site.files()) {
            Some(Ok(files)) => files,
            Some(Err(errors)) => panic!("render of {} failed: {errors:#?}", root.display()),
            None => panic!("no site for {}", root.display()),
        };
        Built {
            files,
            diagnostics: build.diagnostics,
        }
    }

    /// The text of output file `path`.
    pub fn text(&self, path: &str) -> String {
        let bytes = self
            .files
            .get(path)
            .unwrap_or_else(|| panic!("no {path} in {:?}", self.files.keys().collect::<Vec<_>>()));
        String::from_utf8(bytes.clone()).unwrap()
    }

    /// Output file `path` parsed as HTML.
    pub fn page(&self, path: &str) -> Page {
        Page(Html::parse_document(&self.text(path)))
    }
}

/// A parsed HTML page.
pub struct Page(pub Html);

impl Page {
    /// Texts of every element matching `selector`, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The text of the first element matching `selector`.
    pub fn text(&self, selector: &str) -> String {
        self.texts(selector)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    /// Values of attribute `attr` on elements matching `selector`.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        let sel = Selector::parse(selector).unwrap();
        self.0
            .select(&sel)
            .filter_map(|e| e.value().attr(attr).map(str::to_owned))
            .collect()
    }

    /// The facts panel as (term, definition) pairs.
    pub fn facts(&self) -> Vec<(String, String)> {
        let dt = self.texts(".facts dt");
        let dd = self.texts(".facts dd");
        dt.into_iter().zip(dd).collect()
    }

    /// The definition of fact `term`.
    pub fn fact(&self, term: &str) -> String {
        self.facts()
            .into_iter()
            .find(|(t, _)| t == term)
            .map(|(_, d)| d)
            .unwrap_or_else(|| panic!("no fact {term}: {:?}", self.facts()))
    }
}

/// Copies the knowledge base at `from` to `to`, every file dated an hour
/// ago, as a checkout edited long before a build.
pub fn copy_aged(from: &Path, to: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let file = std::fs::File::options().write(true).open(&target).unwrap();
            file.set_modified(hour_ago).unwrap();
        }
    }
}

/// Every file under `dir`, by its path relative to it.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Runs the `kb` binary on the knowledge base at `root` with `args`, at
/// the tests' build time, for at most a minute.
pub fn kb(root: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .timeout(std::time::Duration::from_secs(60))
        .assert()
}

/// What went wrong in the generated incidents of [`paged_kb`], in turn.
const PAGED_SCENARIOS: [&str; 5] = [
    "card authorisations slowed",
    "basket totals went stale",
    "order confirmations queued for minutes",
    "login pages timed out",
    "search results came back empty",
];

/// Writes to `root` a knowledge base of `n` generated incidents, enough for
/// lists of several pages: incident `k` (from 1) is `pm-KKKK`, starts at
/// 09:00 UTC `2 × (k − 1)` days after 2023-01-02 and lasts `k` minutes,
/// hits Checkout and the `k % 4`th of Payments, Search, Accounts,
/// Notifications, has severity SEV(`k % 4` + 1), the `k % 3`th cause of
/// bad-deploy, capacity, dependency, and two action items: one open, due
/// 30 days after it (overdue at the tests' build time), one done. Its
/// title ends with its number in brackets, `(0042)`.
pub fn paged_kb(root: &Path, n: usize) {
    let services = ["Payments", "Search", "Accounts", "Notifications"];
    let causes = ["bad-deploy", "capacity", "dependency"];
    let owners = ["Ana Souza", "Bo Lindqvist", "Chidi Okeke"];
    std::fs::write(
        root.join("site.toml"),
        "title = \"Generated incidents\"\nbase_url = \"https://kb.example/\"\ntimezone = \"UTC\"\n",
    )
    .unwrap();
    let content = root.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let first: jiff::civil::Date = "2023-01-02".parse().unwrap();
    for k in 1..=n {
        let day = first
            .checked_add(jiff::Span::new().days(2 * (k as i64 - 1)))
            .unwrap();
        let due = day.checked_add(jiff::Span::new().days(30)).unwrap();
        let closed = day.checked_add(jiff::Span::new().days(3)).unwrap();
        let service = services[k % 4];
        let scenario = PAGED_SCENARIOS[k % PAGED_SCENARIOS.len()];
        let text = format!(
            "+++\ntitle = \"Checkout {scenario} behind {service} ({k:04})\"\n\
             severity = \"SEV{sev}\"\nservices = [\"Checkout\", \"{service}\"]\n\
             causes = [\"{cause}\"]\nstarted = {day}T09:00:00Z\n\
             resolved = {day}T{h:02}:{m:02}:00Z\n\n\
             [[actions]]\ntitle = \"Alert on {service} latency ({k:04})\"\n\
             owner = \"{owner}\"\nstatus = \"open\"\ndue = {due}\n\n\
             [[actions]]\ntitle = \"Roll back {service} faster ({k:04})\"\n\
             owner = \"{owner}\"\nstatus = \"done\"\ndue = {due}\nclosed = {closed}\n+++\n\n\
             ## Summary\n\nCheckout {scenario} while {service} was degraded.\n",
            sev = k % 4 + 1,
            cause = causes[k % 3],
            h = 9 + k / 60,
            m = k % 60,
            owner = owners[k % 3],
        );
        std::fs::write(content.join(format!("pm-{k:04}.md")), text).unwrap();
    }
}
