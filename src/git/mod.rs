//! Git: where the site sits in its repository, and what the repository's
//! history says about each postmortem. Everything here
//! degrades to "nothing known" when there is no repository or no `git`.

use std::path::{Path, PathBuf};

/// The folder of the site within its git checkout: `""` when the site is
/// the checkout's top, `docs/kb` when it lives there. `None` when no
/// folder at or above `root` holds a `.git` (a folder or, in worktrees and
/// submodules, a file). Found on disk, without running `git`.
pub fn site_prefix(root: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    let top = root.ancestors().find(|dir| dir.join(".git").exists())?;
    root.strip_prefix(top).ok().map(Path::to_path_buf)
}

/// `rel` (a path relative to the site root) as a path from the top of the
/// checkout, with `/` separators, as forges and CI annotations want it.
pub fn repo_path(prefix: &Path, rel: &Path) -> String {
    prefix.join(rel).to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_the_site_folder_under_the_checkout() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join(".git")).unwrap();
        std::fs::create_dir_all(tmp.path().join("docs/kb")).unwrap();
        assert_eq!(site_prefix(tmp.path()), Some(PathBuf::new()));
        let prefix = site_prefix(&tmp.path().join("docs/kb")).unwrap();
        assert_eq!(prefix, Path::new("docs/kb"));
        assert_eq!(
            repo_path(&prefix, Path::new("content/a b.md")),
            "docs/kb/content/a b.md"
        );
    }
}
