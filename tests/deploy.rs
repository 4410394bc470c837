//! The deploy recipes of docs/deploy.md: each YAML file parses, has the
//! shape its CI needs, and the kb commands in it run against the example
//! site and make what the next step uploads; the sync script uploads only
//! what an edit changed; deploy.md shows the files as they are.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap()
}

fn yaml(rel: &str) -> Value {
    serde_saphyr::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The example knowledge base (site.toml and content/) copied to a temp
/// folder, as a repository of postmortems would hold it.
fn example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_aged(&repo().join("content"), &site.join("content"));
    std::fs::copy(repo().join("site.toml"), site.join("site.toml")).unwrap();
    (tmp, site)
}

/// PATH with the kb under test first.
fn path_with_kb() -> String {
    let kb = assert_cmd::cargo::cargo_bin("kb");
    format!(
        "{}:{}",
        kb.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs `command` with sh in `dir`, kb on PATH and `env`; returns the exit
/// code and stdout.
fn sh(dir: &Path, command: &str, env: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new("sh")
        .args(["-c", command])
        .current_dir(dir)
        .env("PATH", path_with_kb())
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("not found"), "{command}: {stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// The lines of `script` that run kb (not the one that installs it).
fn kb_lines(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("kb "))
        .map(str::to_owned)
        .collect()
}

/// GitHub expressions replaced by what the runner would give.
fn expand_github(line: &str) -> String {
    let line = line.replace(
        "${{ steps.pages.outputs.base_url }}",
        "https://larkspur.github.io/incidents",
    );
    assert!(
        !line.contains("${{"),
        "an expression the test does not know: {line}"
    );
    line
}

fn step_with<'a>(steps: &'a [Value], uses: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(uses)))
        .unwrap_or_else(|| panic!("no step uses {uses}"))
}

#[test]
fn github_pages_workflow() {
    let wf = yaml("docs/deploy/github-pages.yml");
    assert!(wf["on"]["pull_request"].is_null() && wf["on"].get("pull_request").is_some());
    assert_eq!(wf["on"]["push"]["branches"][0], "main");
    let jobs = &wf["jobs"];
    // The check job annotates pull requests.
    let check = jobs["check"]["steps"].as_array().unwrap();
    let runs: Vec<String> = check
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(kb_lines)
        .collect();
    assert_eq!(runs, ["kb check --format github"]);
    let (tmp, site) = example_site();
    let (code, out) = sh(&site, &expand_github(&runs[0]), &[]);
    assert_eq!((code, out.as_str()), (0, ""), "the example is clean");
    // The build job: full history, then kb build into what is uploaded.
    let build = jobs["build"]["steps"].as_array().unwrap();
    assert_eq!(
        step_with(build, "actions/checkout")["with"]["fetch-depth"],
        0
    );
    let upload = step_with(build, "actions/upload-pages-artifact")["with"]["path"]
        .as_str()
        .unwrap();
    let lines: Vec<String> = build
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(kb_lines)
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let (code, _) = sh(&site, &expand_github(&lines[0]), &[]);
    assert_eq!(code, 0);
    let feed = std::fs::read_to_string(site.join(upload).join("feed.xml")).unwrap();
    assert!(
        feed.contains("https://larkspur.github.io/incidents/incidents/"),
        "base URL"
    );
    // The deploy job may write Pages and get an OIDC token, after build.
    let deploy = &jobs["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    step_with(deploy["steps"].as_array().unwrap(), "actions/deploy-pages");
    drop(tmp);
}

#[test]
fn gitlab_pages_job() {
    let ci = yaml("docs/deploy/gitlab-ci.yml");
    assert_eq!(ci["variables"]["GIT_DEPTH"], "0");
    let (_tmp, site) = example_site();
    let script = |job: &str| -> Vec<String> {
        ci[job]["script"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap().to_owned())
            .collect()
    };
    // The check writes the Code Quality report the job uploads.
    let check = script("check");
    assert_eq!(check.len(), 1);
    let report = ci["check"]["artifacts"]["reports"]["codequality"]
        .as_str()
        .unwrap();
    assert_eq!(ci["check"]["artifacts"]["when"], "always");
    let (code, _) = sh(&site, &check[0], &[]);
    assert_eq!(code, 0);
    let issues: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(site.join(report)).unwrap()).unwrap();
    assert!(issues.is_empty(), "the example is clean: {issues:?}");
    // The pages job builds into the folder GitLab publishes.
    let pages = script("pages");
    assert_eq!(pages.len(), 1);
    assert_eq!(ci["pages"]["artifacts"]["paths"][0], "public");
    assert_eq!(ci["pages"]["pages"], true);
    let env = [("CI_PAGES_URL", "https://sre.gitlab.io/incidents")];
    let (code, _) = sh(&site, &pages[0], &env);
    assert_eq!(code, 0);
    let feed = std::fs::read_to_string(site.join("public/feed.xml")).unwrap();
    assert!(
        feed.contains("https://sre.gitlab.io/incidents/incidents/"),
        "base URL"
    );
}

#[test]
fn pre_commit_hook() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "kb-check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let (_tmp, site) = example_site();
    let (code, _) = sh(&site, hook["entry"].as_str().unwrap(), &[]);
    assert_eq!(code, 0);
    // A broken postmortem stops the commit.
    std::fs::write(site.join("content/broken.md"), "+++\ntitle = \n+++\n").unwrap();
    let (code, _) = sh(&site, hook["entry"].as_str().unwrap(), &[]);
    assert_eq!(code, 1);
}

/// deploy.md shows each file whole, as it is.
#[test]
fn the_docs_show_the_files() {
    let doc = read("docs/deploy.md");
    for file in [
        "docs/deploy/github-pages.yml",
        "docs/deploy/gitlab-ci.yml",
        "docs/deploy/sync.sh",
        ".pre-commit-hooks.yaml",
    ] {
        assert!(doc.contains(&read(file)), "{file} differs from deploy.md");
    }
}

/// The rsync recipe: a first run sends the whole site; runs without a
/// change send nothing (though kb's two output trees give every file
/// another modification time each build); after one postmortem's summary
/// changes, a run sends only the files whose bytes changed. Needs rsync
/// (CI installs it).
#[test]
fn sync_sends_only_what_changed() {
    if Command::new("rsync").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs rsync");
        eprintln!("rsync missing: skipped");
        return;
    }
    let (tmp, site) = example_site();
    let dest = tmp.path().join("www");
    std::fs::create_dir(&dest).unwrap();
    let script = repo().join("docs/deploy/sync.sh");
    let env = [
        ("SITE", site.to_str().unwrap()),
        ("DEST", dest.to_str().unwrap()),
    ];
    let sent = |site: &Path| -> Vec<String> {
        let (code, out) = sh(site, &format!("'{}' rsync", script.display()), &env);
        assert_eq!(code, 0, "{out}");
        // rsync --itemize-changes: `>f...` is a file sent.
        out.lines()
            .filter(|l| l.starts_with(">f"))
            .map(|l| l.split_whitespace().nth(1).unwrap().to_owned())
            .collect()
    };
    let first = sent(&site);
    assert!(first.len() > 100, "{}", first.len());
    assert!(dest.join("index.html").is_file());
    assert!(sent(&site).is_empty(), "nothing changed, nothing sent");
    assert!(sent(&site).is_empty(), "nor from the other output tree");
    let file = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().to_string_lossy().contains("inventory-sync"))
        .map_or_else(|| panic!("no inventory-sync postmortem"), |e| e.into_path());
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("## Summary\n", "## Summary\n\nRevised. ", 1),
    )
    .unwrap();
    let second = sent(&site);
    assert!(
        second
            .iter()
            .any(|p| p.starts_with("incidents/") && p.contains("inventory-sync")),
        "{second:?}"
    );
    assert!(
        !second.iter().any(|p| p.starts_with("static/")),
        "{second:?}"
    );
    assert!(
        second.len() * 10 < first.len(),
        "{} of {}",
        second.len(),
        first.len()
    );
}
