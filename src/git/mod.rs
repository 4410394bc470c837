//! Git: where the site sits in its repository, what the repository's
//! history says about each postmortem ([`log`] reads it, [`history`]
//! makes sense of it), and the links to a
//! postmortem on its forge ([`forge`]). Everything here
//! degrades to "nothing known" when there is no repository or no `git`.

pub mod forge;
pub mod history;
pub mod log;
pub mod view;

use std::path::{Path, PathBuf};

/// What a build knows from git and site.toml about where its postmortems
/// live: their history and their forge.
#[derive(Debug, Default)]
pub struct SiteGit {
    /// Each postmortem's history; empty without git.
    pub history: history::History,
    /// The repository pages link to, when site.toml names one.
    pub repo: Option<forge::Repo>,
    /// The site's folder within the checkout.
    pub prefix: PathBuf,
}

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
