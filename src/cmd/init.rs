//! `kb init`: scaffolds a knowledge base that builds at once: a commented
//! `site.toml`, `content/` with one example postmortem, a `.gitignore` for
//! the output folders, and what editors need to validate front matter
//! (`postmortem.schema.json` and a `.taplo.toml` pointing at it). It writes
//! nothing when any of these exists.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::schema;

/// The files of a new knowledge base: path under its folder, contents.
const FILES: [(&str, &str); 3] = [
    ("site.toml", include_str!("init/site.toml")),
    (
        "content/2025-09-16-checkout-502s-after-deploy.md",
        include_str!("init/example.md"),
    ),
    (".gitignore", include_str!("init/gitignore")),
];

/// Scaffolds the knowledge base in `dir`; returns the process exit code.
pub fn run(dir: &Path) -> i32 {
    match scaffold(dir) {
        Ok(written) => {
            for path in written {
                println!("kb: wrote {}", path.display());
            }
            println!(
                "kb: now run `kb serve` in {} to see the site",
                dir.display()
            );
            0
        }
        Err(message) => {
            eprintln!("kb: {message}");
            1
        }
    }
}

/// Every file of a new knowledge base: the fixed ones, then the schema of
/// its site.toml and the taplo configuration.
fn files() -> Result<Vec<(&'static str, String)>, String> {
    let config = Config::parse(FILES[0].1, Path::new(FILES[0].0)).map_err(|d| d.to_string())?;
    let mut files: Vec<(&str, String)> = FILES.iter().map(|(r, t)| (*r, (*t).to_owned())).collect();
    files.push((schema::FILE_NAME, schema::text(&config)));
    files.push((
        super::schema::TAPLO_FILE,
        super::schema::TAPLO_CONFIG.to_owned(),
    ));
    Ok(files)
}

/// Writes the files into `dir` (created if needed); returns their paths.
pub fn scaffold(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let files = files()?;
    let existing: Vec<String> = files
        .iter()
        .filter(|(rel, _)| dir.join(rel).exists())
        .map(|(rel, _)| (*rel).to_owned())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "{} already holds {}: kb init never overwrites, pick an empty folder",
            dir.display(),
            existing.join(", ")
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{self, BuildOptions};

    #[test]
    fn the_scaffold_builds_without_a_warning() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("kb");
        scaffold(&dir).unwrap();
        let options = BuildOptions {
            drafts: false,
            base_url: None,
            build_time: jiff::Timestamp::UNIX_EPOCH,
            git: crate::git::log::GitHistory::Off,
        };
        let build = site::build(&dir, &options);
        assert!(build.diagnostics.is_empty(), "{:?}", build.diagnostics);
        assert_eq!(build.incidents, 1);
        let gitignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
        assert!(gitignore.lines().any(|l| l == "public/"));
    }

    #[test]
    fn never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.toml"), "title = \"mine\"\n").unwrap();
        let err = scaffold(tmp.path()).unwrap_err();
        assert!(err.contains("site.toml"), "{err}");
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("site.toml")).unwrap(),
            "title = \"mine\"\n"
        );
        assert!(!tmp.path().join("content").exists());
    }
}
