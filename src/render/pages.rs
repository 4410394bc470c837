//! Which HTML pages a site has ([`Pages`]): one [`Job`] per page, its
//! route, and the page module that makes its view. Any page renders alone,
//! in any order, on any thread.

use std::sync::OnceLock;

use minijinja::Environment;

use super::fingerprint::SiteHashes;
use super::page::{Frame, Page, PageCtx};
use super::route::{Paginated, Route};
use super::rows::{ItemTerms, Rows};
use super::{RenderInput, actions, home, incident, list, pager, search, term, trends};
use crate::analysis::TermKind;
use crate::diagnostic::Diagnostic;

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Home,
    /// A page of `/incidents/`, by number from 1.
    Incidents(usize),
    /// An incident's page, by incident number.
    Incident(usize),
    /// The index of a kind's terms.
    Terms(TermKind),
    /// A term's page, by kind and number, and page number from 1.
    Term(TermKind, usize, usize),
    Trends,
    /// A page of `/actions/`, by number from 1.
    Actions(usize),
    Search,
    NotFound,
}

/// How many incidents a list shows in [`Pages::render_sample`].
const SAMPLE_ROWS: usize = 3;

/// The site's HTML pages: which there are, and the values they share.
pub struct Pages {
    frame: Frame,
    rows: Rows,
    jobs: Vec<Job>,
    /// Each page's output file (`incidents/x/index.html`).
    paths: Vec<String>,
    /// Every action item in review order, made for the first page of
    /// `/actions/` rendered and shared by the others.
    tracker: OnceLock<actions::Tracker>,
}

impl Pages {
    /// The pages of the site `input` describes; `fragments` renders the
    /// partials of rows (with their own, smaller budget).
    pub fn new(input: &RenderInput<'_>, fragments: Environment<'static>) -> Pages {
        let jobs = jobs(input);
        let paths = jobs.iter().map(|job| route(input, *job).file()).collect();
        let mut rows = Rows::new(input, fragments);
        // Every list item the pages of terms will ask for (see
        // `term::page` and `list::term`), so that an item shown on several
        // is made once.
        for job in &jobs {
            if let Job::Term(kind, t, n) = *job {
                let term = &input.analysis.terms(kind)[t];
                for &i in pager::term_items(&term.incidents, n) {
                    rows.plan_item(i, ItemTerms::of_list(kind), n > 1);
                }
            }
        }
        Pages {
            frame: Frame::new(input),
            rows,
            jobs,
            paths,
            tracker: OnceLock::new(),
        }
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether page `page` is an incident's own page (small; there are
    /// thousands), not a list, index or summary (few, some megabytes).
    pub fn is_incident_page(&self, page: usize) -> bool {
        matches!(self.jobs[page], Job::Incident(_))
    }

    /// One page of each shape (see [`shape`]), by number, but the two whole-site tables
    /// (`/incidents/`, `/actions/`): what renders these (see
    /// [`Pages::render_sample`]) shows most template errors at once.
    pub fn samples(&self) -> Vec<usize> {
        let mut seen = Vec::new();
        let mut pages = Vec::new();
        for (page, job) in self.jobs.iter().enumerate() {
            let shape = shape(*job);
            if !matches!(job, Job::Incidents(_) | Job::Actions(_)) && !seen.contains(&shape) {
                seen.push(shape);
                pages.push(page);
            }
        }
        pages
    }

    /// The output file of every page, by page number.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Renders page number `page`.
    pub fn render(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        page: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_at_most(input, env, page, usize::MAX)
    }

    /// Renders page number `page` with at most [`SAMPLE_ROWS`] incidents
    /// in each of its lists and diagrams, only for its errors: a list's
    /// template fails on its first rows as on all of them, in a fraction
    /// of the time.
    pub fn render_sample(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        page: usize,
    ) -> Result<(), Diagnostic> {
        self.render_at_most(input, env, page, SAMPLE_ROWS).map(drop)
    }

    fn render_at_most(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        page: usize,
        most: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let cx = PageCtx {
            input,
            env,
            rows: &self.rows,
            frame: &self.frame,
            most,
            dated: dated(self.jobs[page]),
            deep: number(self.jobs[page]) > 1,
        };
        let job = self.jobs[page];
        cx.render(route(input, job), view(&cx, &self.tracker, job)?)
    }
}

impl Pages {
    /// The fingerprint of page number `page`: the site's settings and
    /// templates, its path, and what its job reads (see [`dated`] for the
    /// build's date). An incident's page reads the incident, its
    /// neighbours, the incidents it links to and the earlier ones whose
    /// fixes did not hold, its history and which of its actions are
    /// overdue; a tag's, severity's or year's list, a
    /// service's or cause's page, its incidents; every other page, every
    /// incident (and the analysis of them all). Only an incident's own
    /// page reads its body (see [`SiteHashes`]).
    pub fn fingerprint(&self, input: &RenderInput<'_>, hashes: &SiteHashes, page: usize) -> u64 {
        let job = self.jobs[page];
        let mut h = hashes.start(&self.paths[page]);
        if dated(job) {
            h.bytes(hashes.today.as_bytes());
        }
        match job {
            Job::Incident(i) => {
                h.number(hashes.whole[i]);
                let n = input.incidents.len();
                let neighbours: Vec<usize> = (i.saturating_sub(1)..(i + 2).min(n)).collect();
                hashes.members(&mut h, &neighbours);
                let links = &input.analysis.links[i];
                // Every other incident the page names: a section that
                // shows more of them must add them here.
                let recurrence = &input.analysis.insights.remediation.recurrence_of[i];
                for linked in [
                    &links.similar,
                    &links.explicit,
                    &links.referenced_by,
                    recurrence,
                ] {
                    hashes.members(&mut h, linked);
                }
                let incident = &input.incidents[i];
                let zone = input.config.time_zone();
                let git = input.git;
                h.json(&crate::git::view::page_history(
                    &incident.source,
                    &git.history,
                    git.repo.as_ref(),
                    &git.prefix,
                    zone,
                ));
                let today = input.today();
                for action in &incident.actions {
                    h.number(u64::from(action.is_overdue(today)));
                }
            }
            Job::Term(kind, t, 1) => {
                let term = &input.analysis.terms(kind)[t];
                h.bytes(term.name.as_bytes()).bytes(term.slug.as_bytes());
                hashes.members(&mut h, &term.incidents);
            }
            // A page after the first shows its own rows, and of the rest
            // of the list only how many there are.
            Job::Term(kind, t, n) => {
                let term = &input.analysis.terms(kind)[t];
                h.bytes(term.name.as_bytes()).bytes(term.slug.as_bytes());
                let all = term.incidents.len();
                let shown = pager::newest(all, pager::TERM_ITEMS, n);
                let members: Vec<usize> = term.incidents[shown].iter().rev().copied().collect();
                h.number(all as u64);
                hashes.members(&mut h, &members);
            }
            Job::Incidents(n) if n > 1 => {
                let all = input.incidents.len();
                let members: Vec<usize> =
                    pager::newest(all, pager::INCIDENT_ROWS, n).rev().collect();
                h.number(all as u64);
                hashes.members(&mut h, &members);
            }
            // The first page of /incidents/ names every year with its count;
            // the order of /actions/ and its counts read every item.
            Job::Home
            | Job::Incidents(_)
            | Job::Terms(_)
            | Job::Trends
            | Job::Actions(_)
            | Job::Search
            | Job::NotFound => {
                h.number(hashes.all);
            }
        }
        h.finish()
    }
}

/// Whether the page of `job` depends on the build's date, and gets it
/// as `site.generated`: the home page (this quarter, overdue actions),
/// trends and a service's or cause's page and index (series up to this
/// month), the action tracker (overdue). An incident's page marks its
/// overdue actions without the date, and its fingerprint holds which are.
fn dated(job: Job) -> bool {
    match job {
        Job::Home | Job::Trends | Job::Actions(_) => true,
        Job::Terms(kind) => kind.is_measured(),
        Job::Term(kind, _, n) => kind.is_measured() && n == 1,
        Job::Incidents(_) | Job::Incident(_) | Job::Search | Job::NotFound => false,
    }
}

/// The page number of `job` in its list: 1 for the first page and for a
/// page that is no list's.
fn number(job: Job) -> usize {
    match job {
        Job::Incidents(n) | Job::Term(_, _, n) | Job::Actions(n) => n,
        Job::Home
        | Job::Incident(_)
        | Job::Terms(_)
        | Job::Trends
        | Job::Search
        | Job::NotFound => 1,
    }
}

/// Every page of the site, in a fixed order.
fn jobs(input: &RenderInput<'_>) -> Vec<Job> {
    let a = input.analysis;
    let n = input.incidents.len();
    let mut jobs = vec![Job::Home];
    jobs.extend((1..=pager::count(n, pager::INCIDENT_ROWS)).map(Job::Incidents));
    jobs.extend([Job::NotFound, Job::Terms(TermKind::Year), Job::Search]);
    jobs.extend((0..n).map(Job::Incident));
    let terms = |kind: TermKind| {
        a.terms(kind).iter().enumerate().flat_map(move |(i, term)| {
            let pages = pager::count(term.incidents.len(), pager::TERM_ITEMS);
            (1..=pages).map(move |page| Job::Term(kind, i, page))
        })
    };
    jobs.extend(terms(TermKind::Year));
    jobs.push(Job::Trends);
    let actions: usize = input.incidents.iter().map(|i| i.actions.len()).sum();
    jobs.extend((1..=pager::count(actions, pager::ACTION_ROWS)).map(Job::Actions));
    for kind in [TermKind::Service, TermKind::Cause] {
        jobs.push(Job::Terms(kind));
        jobs.extend(terms(kind));
    }
    jobs.push(Job::Terms(TermKind::Tag));
    jobs.extend(terms(TermKind::Tag));
    jobs.extend(terms(TermKind::Severity));
    jobs
}

/// Where the page of `job` is.
fn route<'a>(input: &RenderInput<'a>, job: Job) -> Route<'a> {
    match job {
        Job::Home => Route::Home,
        Job::Incidents(n) => Paginated::Incidents.nth(n),
        Job::Incident(i) => Route::Incident(&input.incidents[i].slug),
        Job::Terms(kind) => Route::Terms(kind),
        Job::Term(kind, i, n) => Paginated::Term(kind, &input.analysis.terms(kind)[i].slug).nth(n),
        Job::Trends => Route::Trends,
        Job::Actions(n) => Paginated::Actions.nth(n),
        Job::Search => Route::Search,
        Job::NotFound => Route::NotFound,
    }
}

/// The page module's view of `job`; `tracker` keeps the action items of
/// `/actions/` for all its pages.
fn view(
    cx: &PageCtx<'_>,
    tracker: &OnceLock<actions::Tracker>,
    job: Job,
) -> Result<Page, Diagnostic> {
    Ok(match job {
        Job::Home => home::page(cx)?,
        Job::Incidents(n) => list::incidents(cx, n)?,
        Job::Incident(i) => incident::page(cx, i)?,
        Job::Terms(kind) if kind.is_measured() => term::index(cx, kind),
        Job::Terms(kind) => list::terms(cx, kind),
        Job::Term(kind, i, 1) if kind.is_measured() => term::page(cx, kind, i)?,
        Job::Term(kind, i, n) => list::term(cx, kind, i, n)?,
        Job::Trends => trends::page(cx),
        Job::Actions(n) => actions::page(cx, tracker.get_or_init(|| actions::tracker(cx)), n)?,
        Job::Search => search::page(),
        Job::NotFound => Page::plain("404.html", "Page not found"),
    })
}

/// Pages of one shape share a template: the same variant of [`Job`],
/// and for terms, with numbers or without (a term's page after the first
/// has none).
fn shape(job: Job) -> (std::mem::Discriminant<Job>, bool) {
    let measured = match job {
        Job::Terms(kind) => kind.is_measured(),
        Job::Term(kind, _, n) => kind.is_measured() && n == 1,
        _ => false,
    };
    (std::mem::discriminant(&job), measured)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use minijinja::Value;

    use super::super::Renderer;
    use super::super::rows::ItemTerms;
    use crate::site::{self, BuildOptions};

    /// How many incidents [`paged_site`] writes: more than a page of a
    /// list (100), so that each list has items on a page one level down
    /// and on pages two levels further.
    const INCIDENTS: usize = 130;

    /// A site of [`INCIDENTS`] incidents, each of service Checkout and one
    /// of two others, one of two causes and one of two severities, in one
    /// year: every incident is in five or six lists.
    fn paged_site(root: &Path) -> Renderer {
        std::fs::write(
            root.join("site.toml"),
            "title = \"Items\"\ntimezone = \"UTC\"\n",
        )
        .unwrap();
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        for k in 0..INCIDENTS {
            let text = format!(
                "+++\ntitle = \"Queue backlog behind the ledger ({k:03})\"\n\
                 severity = \"SEV{sev}\"\nservices = [\"Checkout\", \"{service}\"]\n\
                 causes = [\"{cause}\"]\nstarted = 2024-{month:02}-{day:02}T08:00:00Z\n\
                 resolved = 2024-{month:02}-{day:02}T09:{k2:02}:00Z\n+++\n\n\
                 ## Summary\n\nThe ledger fell behind and the queue grew.\n",
                sev = k % 2 + 1,
                service = ["Ledger", "Payouts"][k % 2],
                cause = ["capacity", "bad-deploy"][k / 2 % 2],
                month = k / 28 + 1,
                day = k % 28 + 1,
                k2 = k % 60,
            );
            std::fs::write(content.join(format!("pm-{k:03}.md")), text).unwrap();
        }
        let options = BuildOptions {
            drafts: false,
            base_url: None,
            build_time: jiff::Timestamp::UNIX_EPOCH,
            git: crate::git::log::GitHistory::Off,
        };
        site::build(root, &options).site.expect("the site builds")
    }

    fn html(item: &Value) -> String {
        item.get_attr("item_html")
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    const VARIANTS: [ItemTerms; 3] = [ItemTerms::Causes, ItemTerms::Services, ItemTerms::Neither];

    /// An item kept for its later uses is the item that incident, variant
    /// and depth make anew: none is handed out for another's.
    #[test]
    fn a_kept_item_is_the_one_made_anew() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = paged_site(dir.path());
        let rows = &mut site.pages.rows;
        for i in 0..INCIDENTS {
            for terms in VARIANTS {
                for deep in [false, true] {
                    rows.plan_item(i, terms, deep);
                    rows.plan_item(i, terms, deep);
                }
            }
        }
        let input = site.data.input();
        let rows = &site.pages.rows;
        let mut first = Vec::new();
        for i in 0..INCIDENTS {
            for terms in VARIANTS {
                for deep in [false, true] {
                    first.push(html(&rows.item(&input, i, terms, deep).unwrap()));
                }
            }
        }
        let mut k = 0;
        let mut distinct = std::collections::BTreeSet::new();
        for i in 0..INCIDENTS {
            for terms in VARIANTS {
                for deep in [false, true] {
                    let fresh = html(&rows.make_item(&input, i, terms, deep).unwrap());
                    let kept = html(&rows.item(&input, i, terms, deep).unwrap());
                    assert_eq!(kept, fresh, "incident {i}, {terms:?}, deep {deep}");
                    assert_eq!(first[k], fresh, "incident {i}, {terms:?}, deep {deep}");
                    distinct.insert(fresh);
                    k += 1;
                }
            }
        }
        // Every incident's six items differ (its services, its causes, or
        // neither; links one or three folders up): a mix-up would show.
        assert_eq!(distinct.len(), INCIDENTS * 6);
    }

    /// The plan counts exactly the items the pages ask for: after a whole
    /// build every planned use is spent and no item is held.
    #[test]
    fn a_build_spends_every_planned_item() {
        let dir = tempfile::tempdir().unwrap();
        let site = paged_site(dir.path());
        let planned = site.pages.rows.items_left();
        // Per incident: Checkout's and its other service's lists (causes
        // shown), its cause's (services shown), its severity's and its
        // year's (neither).
        assert_eq!(planned, INCIDENTS * 5);
        assert!(site.pages.rows.items_held() == 0);
        let files = site.files().expect("every page renders");
        assert!(files.contains_key("services/checkout/page/2/index.html"));
        assert_eq!(site.pages.rows.items_left(), 0);
        assert_eq!(site.pages.rows.items_held(), 0);
    }
}
