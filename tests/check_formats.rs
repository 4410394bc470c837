//! `kb check --format github|gitlab`: the exact annotations for a fixture
//! with errors and warnings, one of them about a whole file, with the site
//! in a subfolder of its checkout (paths are named from the checkout's top).

mod common;

use std::path::Path;

use common::{copy_aged, fixture};

/// `ci-annotations` copied to `CHECKOUT/kb/`, beside a `.git` folder.
fn site_in_a_checkout() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(".git")).unwrap();
    let site = tmp.path().join("kb");
    copy_aged(&fixture("ci-annotations"), &site);
    (tmp, site)
}

fn check(site: &Path, format: &str) -> (i32, String) {
    let out = assert_cmd::Command::cargo_bin("kb")
        .unwrap()
        .arg("--root")
        .arg(site)
        .args(["check", "--format", format])
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Two warnings in the card-declines file (an unregistered service at
/// line 4, an action without owner at its `[[actions]]`, line 11), two
/// errors in the reindex file (lines 7 and 9), the empty file (at 1:1,
/// as every report of an empty file), and the unknown severity at line 3
/// of the last.
#[test]
fn github_workflow_commands() {
    let (_tmp, site) = site_in_a_checkout();
    let (code, out) = check(&site, "github");
    assert_eq!(code, 1);
    assert_eq!(
        out,
        r#"::warning file=kb/content/2025-02-11-card-declines.md,line=4,col=1,title=unknown-service::"fraud-scoring" is not in site.toml's [services] registry: fix the spelling, or add [services.fraud-scoring] (or an alias)
::warning file=kb/content/2025-02-11-card-declines.md,line=11,col=3,title=action-without-owner::open action "Shadow-test fraud rules against last week's traffic before they go live" has no `owner`: nobody will do it
::error file=kb/content/2025-03-02-search-reindex.md,line=7,col=1,title=resolved-before-started::`resolved` (2025-03-02 13:55 UTC, line 7) is before `started` (2025-03-02 14:10 UTC, line 6): the duration would be negative
::error file=kb/content/2025-03-02-search-reindex.md,line=9,col=3,title=out-of-range::`users_pct` is a share of users from 0 to 100, found 140
::error file=kb/content/2025-03-09-draft-placeholder.md,line=1,col=1,title=empty-file::the file is empty: a postmortem needs at least a title
::error file=kb/content/2025-04-01-cdn-purge.md,line=3,col=1,title=unknown-severity::unknown severity "SEV5": this site's levels are SEV1, SEV2, SEV3, SEV4
"#
    );
}

/// The same six as Code Quality issues: errors `major`, warnings `minor`,
/// the whole-file error at line 1. The fingerprint of the empty file's
/// issue was checked by hand:
/// `printf 'kb/content/2025-03-09-draft-placeholder.md\0empty-file\0the
/// file is empty: a postmortem needs at least a title\0000\0' | sha256sum`,
/// and that of the reindex file's `resolved-before-started` the same way
/// (its message names both values and lines).
#[test]
fn gitlab_code_quality_report() {
    let (_tmp, site) = site_in_a_checkout();
    let (code, out) = check(&site, "gitlab");
    assert_eq!(code, 1);
    assert_eq!(
        out,
        r#"[
  {
    "description": "\"fraud-scoring\" is not in site.toml's [services] registry: fix the spelling, or add [services.fraud-scoring] (or an alias)",
    "check_name": "unknown-service",
    "fingerprint": "025875204643494d0f0a314a4ea69e70bc0ba93f1f9d2107a6c658751df62afe",
    "severity": "minor",
    "location": {
      "path": "kb/content/2025-02-11-card-declines.md",
      "lines": {
        "begin": 4
      }
    }
  },
  {
    "description": "open action \"Shadow-test fraud rules against last week's traffic before they go live\" has no `owner`: nobody will do it",
    "check_name": "action-without-owner",
    "fingerprint": "e31cfebde46939ba7362f9dc7bc7e6a1ad3e4d3d994bd1ad1af08d8528caf5ab",
    "severity": "minor",
    "location": {
      "path": "kb/content/2025-02-11-card-declines.md",
      "lines": {
        "begin": 11
      }
    }
  },
  {
    "description": "`resolved` (2025-03-02 13:55 UTC, line 7) is before `started` (2025-03-02 14:10 UTC, line 6): the duration would be negative",
    "check_name": "resolved-before-started",
    "fingerprint": "5059b2552a9f49db1ef34ddd0aec30e2b2b88d1c13f88cbd2f6f0e67f2ccf021",
    "severity": "major",
    "location": {
      "path": "kb/content/2025-03-02-search-reindex.md",
      "lines": {
        "begin": 7
      }
    }
  },
  {
    "description": "`users_pct` is a share of users from 0 to 100, found 140",
    "check_name": "out-of-range",
    "fingerprint": "46743fdf3e0c6897f9d14e9b6e2727cedbe2f30ef3ee6e0d32037ad40e6441db",
    "severity": "major",
    "location": {
      "path": "kb/content/2025-03-02-search-reindex.md",
      "lines": {
        "begin": 9
      }
    }
  },
  {
    "description": "the file is empty: a postmortem needs at least a title",
    "check_name": "empty-file",
    "fingerprint": "b289b18bcf7e3698fe3487ec009a26bf2f47e053544bca4bf49a0258e29e42a1",
    "severity": "major",
    "location": {
      "path": "kb/content/2025-03-09-draft-placeholder.md",
      "lines": {
        "begin": 1
      }
    }
  },
  {
    "description": "unknown severity \"SEV5\": this site's levels are SEV1, SEV2, SEV3, SEV4",
    "check_name": "unknown-severity",
    "fingerprint": "beddbac26953f0bc61fc83dfa43e2a8322735f726094dd12798706e99165e202",
    "severity": "major",
    "location": {
      "path": "kb/content/2025-04-01-cdn-purge.md",
      "lines": {
        "begin": 3
      }
    }
  }
]
"#
    );
    let issues: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 6, "each issue has its own fingerprint");
}

/// Outside a checkout the paths are the site's own.
#[test]
fn without_a_checkout_paths_start_at_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    copy_aged(&fixture("ci-annotations"), tmp.path());
    let (_, out) = check(tmp.path(), "github");
    assert!(
        out.starts_with("::warning file=content/2025-02-11-card-declines.md,line=4,col=1,"),
        "{out}"
    );
}
