//! Fault injection: whatever happens to a build while it writes, the
//! output folder holds one whole site, the old one or the new one, and the
//! next build succeeds. A build killed with SIGKILL at chosen moments of
//! the write (`KB_FAULT`, see `src/output/fault.rs`) and at random times; a
//! disk that fills up (an injected "no space left" error, and a real small
//! tmpfs where this machine lets the test mount one); two and three builds
//! at once; a build while `kb serve` watches the same site.

#![cfg(unix)]

mod common;
mod server;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

type Tree = BTreeMap<PathBuf, Vec<u8>>;

/// A knowledge base (a copy of the `basic` fixture) and the two sites it
/// builds to: before and after an edit.
struct Scene {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    old: Tree,
    new: Tree,
    /// How long a whole build of the new site took.
    took: Duration,
}

impl Scene {
    /// Builds the old site into `out` (under `parent`, or the temporary
    /// folder), works out the new one in a folder of its own, and leaves
    /// the knowledge base edited and `out` holding the old site.
    fn new(parent: Option<&Path>) -> Scene {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("kb");
        common::copy_aged(&common::fixture("basic"), &root);
        let out = parent.unwrap_or(tmp.path()).join("public");
        assert!(build(&root, &out, None).status.success());
        let old = common::tree(&out);
        edit(&root);
        let fresh = tmp.path().join("fresh");
        let started = std::time::Instant::now();
        assert!(build(&root, &fresh, None).status.success());
        let took = started.elapsed();
        let new = common::tree(&fresh);
        assert_ne!(old, new);
        assert!(new.contains_key(Path::new("index.html")));
        Scene {
            _tmp: tmp,
            root,
            out,
            old,
            new,
            took,
        }
    }

    /// Whether `out` holds the old site or the new one, whole.
    fn whole(&self) -> &'static str {
        let now = common::tree(&self.out);
        if now == self.old {
            "old"
        } else if now == self.new {
            "new"
        } else {
            let missing = self.new.keys().filter(|k| !now.contains_key(*k)).count();
            panic!(
                "{} holds neither site: {} files, {missing} of the new site missing",
                self.out.display(),
                now.len()
            );
        }
    }

    /// After a fault: the output is whole, and a plain build then succeeds
    /// and writes the new site.
    fn recovers(&self, what: &str) -> &'static str {
        let state = self.whole();
        let again = build(&self.root, &self.out, None);
        assert!(again.status.success(), "{what}: {}", text(&again.stderr));
        assert_eq!(self.whole(), "new", "{what}: the next build");
        state
    }
}

/// Changes a title and adds a postmortem, so every kind of page changes.
fn edit(root: &Path) {
    let file = root.join("content/2025/a-payments-toml.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "title = \"Payments provider timeouts\"",
        "title = \"Payments provider timeouts at the card gateway\"",
    );
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();
    std::fs::write(
        root.join("content/g-search-reindex.md"),
        "+++\ntitle = \"Search reindex stalled the catalogue\"\nseverity = \"SEV3\"\nservices = [\"search\"]\ncauses = [\"lock-contention\"]\nstarted = 2025-06-10T01:00:00Z\nresolved = 2025-06-10T02:05:00Z\n+++\n\nThe nightly reindex held a table lock for an hour.\n",
    )
    .unwrap();
}

fn kb(root: &Path, out: &Path, fault: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kb"));
    command
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("-o")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1795521600")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match fault {
        Some(fault) => command.env("KB_FAULT", fault),
        None => command.env_remove("KB_FAULT"),
    };
    command
}

fn build(root: &Path, out: &Path, fault: Option<&str>) -> Output {
    kb(root, out, fault).output().expect("run kb build")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_build_killed_at_any_moment_of_the_write_leaves_a_whole_site() {
    // (fault, what the output holds after it): killed before the swap,
    // the old site; after it, the new one.
    // The new site's files are all written (the hidden sibling is empty):
    // kill after none, one, a quarter, half, all but one of them.
    let files = Scene::new(None).new.len();
    let mut cases: Vec<(String, &str)> = [0, 1, files / 4, files / 2, files - 1]
        .iter()
        .map(|n| (format!("kill-after={n}"), "old"))
        .collect();
    cases.push(("kill-before-swap".into(), "old"));
    cases.push(("kill-after-swap".into(), "new"));
    for (fault, expected) in &cases {
        let fault = fault.as_str();
        let scene = Scene::new(None);
        let killed = build(&scene.root, &scene.out, Some(fault));
        assert_eq!(killed.status.signal(), Some(9), "{fault}: killed");
        assert_eq!(scene.recovers(fault), *expected, "{fault}");
    }
}

#[test]
fn a_build_killed_at_random_times_leaves_a_whole_site() {
    let scene = Scene::new(None);
    // Kill points spread over the time a whole build takes, from a fixed
    // seed (a build that finishes first is whole too).
    let span = scene.took.as_micros() as u64;
    let mut seed: u64 = 0x5eed;
    let mut states = Vec::new();
    for _ in 0..6 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let after = Duration::from_micros((seed >> 33) % span.max(1));
        let mut child = kb(&scene.root, &scene.out, None).spawn().unwrap();
        std::thread::sleep(after);
        let _ = child.kill();
        let _ = child.wait();
        states.push(scene.whole());
    }
    eprintln!("random kills: the output held {states:?}");
    scene.recovers("random kills");
}

#[test]
fn a_full_disk_keeps_the_old_site_and_the_next_build_succeeds() {
    for fault in ["enospc-after=0", "enospc-after=10", "enospc-after=40"] {
        let scene = Scene::new(None);
        let failed = build(&scene.root, &scene.out, Some(fault));
        assert_eq!(failed.status.code(), Some(1), "{fault}");
        let message = text(&failed.stderr);
        assert!(message.contains("No space left on device"), "{message}");
        assert_eq!(scene.whole(), "old", "{fault}");
        scene.recovers(fault);
    }
}

/// A tmpfs mounted on a temporary folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (`"4m"`), or `None` when this machine does
    /// not let the test mount one (not root, no mount permission).
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        mounted.success().then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_real_full_disk_keeps_the_old_site_and_the_next_build_succeeds() {
    let Some(disk) = Tmpfs::mount("8m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let scene = Scene::new(Some(disk.path()));
    // Fill the disk but for a few kilobytes.
    let filler = disk.path().join("filler");
    let chunk = vec![b'x'; 16 * 1024];
    let mut file = std::fs::File::create(&filler).unwrap();
    while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
    drop(file);
    let failed = build(&scene.root, &scene.out, None);
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed.stderr));
    assert!(
        text(&failed.stderr).contains("No space left on device"),
        "{}",
        text(&failed.stderr)
    );
    assert_eq!(scene.whole(), "old");
    std::fs::remove_file(&filler).unwrap();
    scene.recovers("a full tmpfs");
}

/// Starts `n` builds of the edited knowledge base into one output folder
/// that does not exist yet, all at once; waits for them.
fn concurrent_builds(n: usize) {
    let scene = Scene::new(None);
    std::fs::remove_dir_all(&scene.out).unwrap();
    let children: Vec<Child> = (0..n)
        .map(|_| kb(&scene.root, &scene.out, None).spawn().unwrap())
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    for o in &outputs {
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    assert_eq!(scene.whole(), "new", "{n} builds at once");
    scene.recovers("after concurrent builds");
}

#[test]
fn two_builds_at_once_make_one_whole_site() {
    concurrent_builds(2);
}

#[test]
fn three_builds_at_once_make_one_whole_site() {
    concurrent_builds(3);
}

#[test]
fn a_second_build_says_it_waits_for_the_first() {
    let scene = Scene::new(None);
    // Hold the lock as a running build would.
    let lock = scene.out.with_file_name(".public.kb-lock");
    let held = std::fs::File::open(&lock).unwrap();
    held.lock().unwrap();
    let mut second = kb(&scene.root, &scene.out, None).spawn().unwrap();
    let stderr = second.stderr.take().unwrap();
    let mut said = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stderr), &mut said).unwrap();
    assert!(said.contains("waiting for it to finish"), "{said}");
    assert!(second.try_wait().unwrap().is_none(), "it waits");
    drop(held);
    let status = second.wait().unwrap();
    assert!(status.success());
    assert_eq!(scene.whole(), "new");
}

#[test]
fn a_build_while_kb_serve_watches_the_site() {
    let server = server::Server::start("serve-small");
    let mut events = server.events();
    let hello = events.wait_for("status");
    assert!(hello.data.contains(r#""generation":1"#), "{}", hello.data);
    let out = server.root.join("public");
    let built = build(&server.root, &out, None);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let site = common::tree(&out);
    assert!(site.contains_key(Path::new("index.html")));
    assert!(site.contains_key(Path::new("incidents/alpha/index.html")));
    // An edit after the build: exactly one rebuild, so the build's writes
    // under public/ made none.
    let alpha = server.read("content/alpha.md");
    server.write(
        "content/alpha.md",
        &alpha.replace(
            "title = \"Alpha outage\"",
            "title = \"Alpha outage, edited\"",
        ),
    );
    let reload = events.wait_for("reload");
    assert!(reload.data.contains(r#""generation":2"#), "{}", reload.data);
    assert_eq!(server.get("/incidents/alpha/").status, 200);
}
