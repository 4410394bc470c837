//! Long lists cut into pages: `/incidents/`, `/actions/` and a term's
//! incidents show a page's worth of rows each, the first page where the
//! whole list used to be (`/incidents/`), the next ones below it
//! (`/incidents/page/2/`), linked by a pager, so that every row is
//! reachable without JavaScript. A list that fits on one page has no pager
//! and looks as it did before lists had pages.

use std::ops::Range;

use serde::Serialize;

use super::route::Paginated;

/// Incidents on a page of `/incidents/`: a table row is about 450 bytes,
/// so a page of rows is about 45 KB, a tenth of what a browser shows in
/// one go without effort on a phone; 10,000 incidents make 100 pages.
pub const INCIDENT_ROWS: usize = 100;

/// Action items on a page of `/actions/`: rows are shorter than an
/// incident's and a weekly review reads many, so twice as many; 40,000
/// items (10,000 incidents) make 200 pages of about 80 KB.
pub const ACTION_ROWS: usize = 200;

/// Incidents on a page of a term's list (a service, cause, tag, severity
/// or year): as on `/incidents/`.
pub const TERM_ITEMS: usize = 100;

/// How many page numbers the pager shows on each side of the current one
/// (besides the first and the last).
const AROUND: usize = 2;

/// How many pages a list of `len` items has at `per` items a page: one at
/// least (an empty list is one empty page).
pub fn count(len: usize, per: usize) -> usize {
    len.div_ceil(per.max(1)).max(1)
}

/// The positions of the items of page `n` (from 1) of a list of `len`.
pub fn range(len: usize, per: usize, n: usize) -> Range<usize> {
    let start = n.saturating_sub(1).saturating_mul(per).min(len);
    start..start.saturating_add(per).min(len)
}

/// The positions, in a list kept oldest first, of the items page `n` of
/// its newest-first view shows.
pub fn newest(len: usize, per: usize, n: usize) -> Range<usize> {
    let shown = range(len, per, n);
    len - shown.end..len - shown.start
}

/// The incidents on page `n` of a term's list, of its `incidents` (kept
/// oldest first): what its list items show, newest first.
pub fn term_items(incidents: &[usize], n: usize) -> &[usize] {
    &incidents[newest(incidents.len(), TERM_ITEMS, n)]
}

/// One entry of a pager: a page's number and path, or a gap (`…`) for
/// pages left out.
#[derive(Debug, Clone, Serialize)]
struct PageLink {
    /// The page's number; none for a gap.
    number: Option<usize>,
    /// The page's path from the site root.
    path: String,
    /// Whether it is the page shown.
    current: bool,
}

/// The pager of one page of a list, as templates see it (`pager`).
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// The page shown, from 1.
    current: usize,
    /// How many pages the list has.
    count: usize,
    /// How many items the whole list has.
    total: usize,
    /// The positions (from 1) of the first and last item of this page.
    from: usize,
    to: usize,
    /// The path of the first page (where the list used to be whole).
    first: String,
    /// The previous and next page's path, when there is one.
    prev: Option<String>,
    next: Option<String>,
    /// The first and last page, the current one and [`AROUND`] on each
    /// side of it, with gaps between.
    links: Vec<PageLink>,
}

impl Pager {
    /// How many pages the list has.
    pub fn count(&self) -> usize {
        self.count
    }
}

/// The pager of page `n` of `list`, `total` items at `per` a page; none
/// when the list fits on one page.
pub fn pager(list: Paginated<'_>, total: usize, per: usize, n: usize) -> Option<Pager> {
    let pages = count(total, per);
    if pages <= 1 {
        return None;
    }
    let path = |k: usize| list.nth(k).path();
    let shown = |k: usize| k == 1 || k == pages || k.abs_diff(n) <= AROUND;
    let mut links = Vec::new();
    for k in 1..=pages {
        if shown(k) {
            links.push(PageLink {
                number: Some(k),
                path: path(k),
                current: k == n,
            });
        } else if links.last().is_some_and(|l| l.number.is_some()) {
            // One gap for a run of pages left out; a run of one page is
            // shown, a gap would take as much room.
            if shown(k + 1) {
                links.push(PageLink {
                    number: Some(k),
                    path: path(k),
                    current: false,
                });
            } else {
                links.push(PageLink {
                    number: None,
                    path: String::new(),
                    current: false,
                });
            }
        }
    }
    let items = range(total, per, n);
    Some(Pager {
        current: n,
        count: pages,
        total,
        from: items.start + 1,
        to: items.end,
        first: path(1),
        prev: (n > 1).then(|| path(n - 1)),
        next: (n < pages).then(|| path(n + 1)),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers of the pager's links, 0 for a gap.
    fn numbers(p: &Pager) -> Vec<usize> {
        p.links.iter().map(|l| l.number.unwrap_or(0)).collect()
    }

    #[test]
    fn pages_of_a_list() {
        assert_eq!((count(0, 100), count(100, 100), count(101, 100)), (1, 1, 2));
        // 250 items at 100 a page: 1-100, 101-200, 201-250.
        assert_eq!(range(250, 100, 3), 200..250);
        assert_eq!(range(250, 100, 4), 250..250);
        assert!(pager(Paginated::Incidents, 100, 100, 1).is_none());
    }

    #[test]
    fn pager_shows_the_ends_and_the_pages_around() {
        // 1,000 items at 100: 10 pages. On page 5: 1, (2 alone is shown,
        // not a gap), 3 4 [5] 6 7, gap for 8-9, 10.
        let p = pager(Paginated::Incidents, 1000, 100, 5).unwrap();
        assert_eq!(numbers(&p), [1, 2, 3, 4, 5, 6, 7, 0, 10]);
        assert_eq!(p.prev.as_deref(), Some("incidents/page/4/"));
        assert_eq!(p.next.as_deref(), Some("incidents/page/6/"));
        assert_eq!((p.from, p.to), (401, 500));
        let current: Vec<usize> = p
            .links
            .iter()
            .filter(|l| l.current)
            .filter_map(|l| l.number)
            .collect();
        assert_eq!(current, [5]);
        // On page 1 of 10: 1 2 3, gap, 10; no previous; page 2 below page 1's
        // URL.
        let p = pager(Paginated::Actions, 1000, 100, 1).unwrap();
        assert_eq!(numbers(&p), [1, 2, 3, 0, 10]);
        assert_eq!((p.prev, p.first.as_str()), (None, "actions/"));
        assert_eq!(p.next.as_deref(), Some("actions/page/2/"));
        // The last page: 1, gap, 8 9 10; 901-950 of 950 items.
        let p = pager(Paginated::Incidents, 950, 100, 10).unwrap();
        assert_eq!(numbers(&p), [1, 0, 8, 9, 10]);
        assert_eq!((p.from, p.to, p.next), (901, 950, None));
    }
}
