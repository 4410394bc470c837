//! What an incident page shows of its file's life: when it was first
//! written and last changed, by whom, and the links to edit it and to its
//! history on the forge. Ready to show, as templates want it.

use std::path::Path;

use jiff::tz::TimeZone;
use serde::Serialize;

use super::forge::Repo;
use super::history::{Change, History};
use crate::render::format;

/// One commit on the page: its date in the site's zone, as an instant, and
/// its author.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// `2024-06-10`.
    pub date: String,
    /// RFC 3339 UTC, for `<time datetime>`.
    pub iso: String,
    /// Who made it.
    pub author: String,
}

/// The page's history block; every part optional.
#[derive(Debug, Clone, Serialize)]
pub struct PageHistory {
    /// The commit that added the file (unknown past a shallow clone's edge).
    pub first: Option<ChangeView>,
    /// The latest commit that changed it, when it is not the first.
    pub last: Option<ChangeView>,
    /// Everyone who committed to it, first writer first (none when the
    /// history is cut short).
    pub authors: Vec<String>,
    /// How many commits changed it (0 when the history is cut short).
    pub commits: usize,
    /// The forge's page that edits the file.
    pub edit_url: Option<String>,
    /// The forge's list of the commits that changed it.
    pub history_url: Option<String>,
}

/// The history block of the incident from `source` (relative to the site
/// root), or `None` when there is neither history nor a repository.
pub fn page_history(
    source: &Path,
    history: &History,
    repo: Option<&Repo>,
    prefix: &Path,
    zone: &TimeZone,
) -> Option<PageHistory> {
    let file = history.get(source);
    if file.is_none() && repo.is_none() {
        return None;
    }
    let view = |c: &Change| ChangeView {
        date: format::date(c.at.to_zoned_datetime(zone.clone()).date()),
        iso: format::iso(c.at),
        author: c.author.clone(),
    };
    let path = super::repo_path(prefix, source);
    Some(PageHistory {
        first: file.and_then(|f| f.first.as_ref()).map(view),
        last: file
            .filter(|f| f.commits > 1 || f.first.is_none())
            .map(|f| view(&f.last)),
        // Past a shallow clone's cut, who and how many are only partly known.
        authors: file
            .filter(|f| f.first.is_some())
            .map(|f| f.authors.clone())
            .unwrap_or_default(),
        commits: file.filter(|f| f.first.is_some()).map_or(0, |f| f.commits),
        edit_url: repo.map(|r| r.edit_url(&path)),
        history_url: repo.map(|r| r.history_url(&path)),
    })
}
