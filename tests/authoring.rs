//! `kb init` and `kb new` through the binary: the scaffold builds at once,
//! a new postmortem joins it (as a draft, so with `--drafts`), and neither
//! command overwrites anything.

use assert_cmd::Command;

fn kb(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kb"));
    cmd.current_dir(dir).env("SOURCE_DATE_EPOCH", "1767225600"); // 2026-01-01
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run kb");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn init_then_new_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    stdout(kb(tmp.path()).args(["init", "incidents"]));
    let site = tmp.path().join("incidents");
    let built = stdout(kb(&site).arg("build"));
    assert!(
        built.starts_with("kb: 1 incidents,") && built.contains(" 0 warnings"),
        "{built}"
    );
    kb(tmp.path())
        .args(["init", "incidents"])
        .assert()
        .failure();

    let wrote = stdout(kb(&site).args([
        "new",
        "Checkout 502s after deploy",
        "--severity",
        "SEV2",
        "--service",
        "checkout",
    ]));
    assert_eq!(
        wrote.trim(),
        "kb: wrote content/2026-01-01-checkout-502s-after-deploy.md"
    );
    let drafts = stdout(kb(&site).args(["build", "--drafts"]));
    assert!(
        drafts.starts_with("kb: 2 incidents,") && drafts.contains(" 0 warnings"),
        "{drafts}"
    );
    assert!(
        site.join("public/incidents/2026-01-01-checkout-502s-after-deploy/index.html")
            .is_file()
    );
    kb(&site)
        .args(["new", "Checkout 502s after deploy"])
        .assert()
        .failure();
}

#[test]
fn completions_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(kb(tmp.path()).args(["completions", shell]));
        assert!(script.contains("serve"), "{shell}");
    }
}
