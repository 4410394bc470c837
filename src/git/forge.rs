//! Forges: the "Edit this postmortem" and "History" links of an incident
//! page, in the URL shapes of GitHub, GitLab and Gitea (also Forgejo and
//! Codeberg), from site.toml's `repo_url`, `edit_branch` and, for a host
//! whose name does not tell, `repo_kind`.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::Deserialize;

/// A kind of forge: each has its own URL shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Forge {
    /// `REPO/edit/BRANCH/PATH`, `REPO/commits/BRANCH/PATH`.
    Github,
    /// `REPO/-/edit/BRANCH/PATH`, `REPO/-/commits/BRANCH/PATH`.
    Gitlab,
    /// `REPO/_edit/BRANCH/PATH`, `REPO/commits/branch/BRANCH/PATH`.
    Gitea,
}

impl Forge {
    /// The forge a repository URL's host names: github.com, gitlab.com or
    /// a host with "gitlab" in its name, codeberg.org, gitea.com or a host
    /// with "gitea" or "forgejo" in its name. `None` for any other host.
    pub fn of_url(url: &str) -> Option<Forge> {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let host = rest.split(['/', ':']).next()?.to_ascii_lowercase();
        let host = host.rsplit('@').next().unwrap_or(&host);
        if host == "github.com" || host.ends_with(".github.com") {
            Some(Forge::Github)
        } else if host.contains("gitlab") {
            Some(Forge::Gitlab)
        } else if ["codeberg.org", "gitea", "forgejo"]
            .iter()
            .any(|name| host.contains(name))
        {
            Some(Forge::Gitea)
        } else {
            None
        }
    }
}

/// A repository on a forge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// Its web URL, without a trailing `/` or `.git`.
    pub url: String,
    /// The branch edit and history links point at.
    pub branch: String,
    /// Its URL shapes.
    pub forge: Forge,
}

/// What must stay as it is in a path segment: everything but controls,
/// space and the characters URLs give a meaning to.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'|')
    .add(b'\\');

impl Repo {
    /// The repository at `url` (a web URL; a trailing `/` or `.git` is
    /// dropped) on `forge`.
    pub fn new(url: &str, branch: &str, forge: Forge) -> Repo {
        let url = url.trim().trim_end_matches('/');
        Repo {
            url: url.strip_suffix(".git").unwrap_or(url).to_owned(),
            branch: branch.trim().to_owned(),
            forge,
        }
    }

    /// The page that edits `path` (from the top of the checkout).
    pub fn edit_url(&self, path: &str) -> String {
        let shape = match self.forge {
            Forge::Github => "edit",
            Forge::Gitlab => "-/edit",
            Forge::Gitea => "_edit",
        };
        self.link(shape, path)
    }

    /// The page that lists the commits that changed `path`.
    pub fn history_url(&self, path: &str) -> String {
        let shape = match self.forge {
            Forge::Github => "commits",
            Forge::Gitlab => "-/commits",
            Forge::Gitea => "commits/branch",
        };
        self.link(shape, path)
    }

    fn link(&self, shape: &str, path: &str) -> String {
        let encode = |s: &str| {
            s.split('/')
                .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
                .collect::<Vec<_>>()
                .join("/")
        };
        format!(
            "{}/{shape}/{}/{}",
            self.url,
            encode(&self.branch),
            encode(path)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_tells_the_forge() {
        assert_eq!(
            Forge::of_url("https://github.com/acme/pm"),
            Some(Forge::Github)
        );
        assert_eq!(
            Forge::of_url("https://gitlab.com/acme/pm"),
            Some(Forge::Gitlab)
        );
        assert_eq!(
            Forge::of_url("https://gitlab.acme.example/sre/pm"),
            Some(Forge::Gitlab)
        );
        assert_eq!(
            Forge::of_url("https://codeberg.org/acme/pm"),
            Some(Forge::Gitea)
        );
        assert_eq!(
            Forge::of_url("https://gitea.acme.example/pm"),
            Some(Forge::Gitea)
        );
        assert_eq!(Forge::of_url("https://git.acme.example/pm"), None);
    }

    #[test]
    fn url_shapes() {
        let path = "docs/kb/content/2024/PM 7 #2.md";
        let gh = Repo::new("https://github.com/acme/pm.git", "main", Forge::Github);
        assert_eq!(
            gh.edit_url(path),
            "https://github.com/acme/pm/edit/main/docs/kb/content/2024/PM%207%20%232.md"
        );
        assert_eq!(
            gh.history_url("content/a.md"),
            "https://github.com/acme/pm/commits/main/content/a.md"
        );
        let gl = Repo::new(
            "https://gitlab.com/acme/sre/pm/",
            "release/2025",
            Forge::Gitlab,
        );
        assert_eq!(
            gl.edit_url("content/a.md"),
            "https://gitlab.com/acme/sre/pm/-/edit/release/2025/content/a.md"
        );
        assert_eq!(
            gl.history_url("content/a.md"),
            "https://gitlab.com/acme/sre/pm/-/commits/release/2025/content/a.md"
        );
        let gt = Repo::new("https://codeberg.org/acme/pm", "main", Forge::Gitea);
        assert_eq!(
            gt.edit_url("content/a.md"),
            "https://codeberg.org/acme/pm/_edit/main/content/a.md"
        );
        assert_eq!(
            gt.history_url("content/a.md"),
            "https://codeberg.org/acme/pm/commits/branch/main/content/a.md"
        );
    }
}
