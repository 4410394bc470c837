//! The pages that list incidents or terms without numbers of their own:
//! `/incidents/` (every incident, sortable and filterable), one tag's,
//! severity's or year's incidents, and the indexes of tags and years.

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use super::page::{Page, PageCtx};
use super::pager;
use super::route::{Paginated, Route};
use super::rows::ItemTerms;
use crate::analysis::TermKind;
use crate::analysis::taxonomy::Term;
use crate::diagnostic::Diagnostic;

/// A term in an index of terms.
#[derive(Debug, Clone, Serialize)]
struct TermView {
    name: String,
    path: String,
    count: usize,
}

/// Page `n` of `/incidents/`: every incident, newest first, with the
/// filters' values; the years only on the first page.
pub fn incidents(cx: &PageCtx<'_>, n: usize) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let total = input.incidents.len();
    // Newest first: page 1 has the last incidents.
    let members: Vec<usize> = pager::newest(total, pager::INCIDENT_ROWS, n).collect();
    let years = if n == 1 {
        term_views(
            TermKind::Year,
            input.analysis.terms(TermKind::Year).iter().rev(),
        )
    } else {
        Vec::new()
    };
    let pager = pager::pager(Paginated::Incidents, total, pager::INCIDENT_ROWS, n);
    Ok(Page {
        template: "incidents.html",
        title: paged_title("All incidents", pager.as_ref(), n),
        description: None,
        view: context! {
            rows => cx.rows_of(&members)?,
            total,
            severities => Serde(&input.config.severities),
            years => Serde(years),
            pager => pager.map(Serde),
        },
    })
}

/// `title` with the page's number on a page after the first.
pub fn paged_title(title: &str, pager: Option<&pager::Pager>, n: usize) -> String {
    match pager {
        Some(p) if n > 1 => format!("{title}, page {n} of {}", p.count()),
        _ => title.to_owned(),
    }
}

/// Page `n` of the incidents of term number `index` of `kind`, newest
/// first.
pub fn term(cx: &PageCtx<'_>, kind: TermKind, index: usize, n: usize) -> Result<Page, Diagnostic> {
    let term = &cx.input.analysis.terms(kind)[index];
    let heading = match kind {
        TermKind::Service => format!("Incidents of {}", term.name),
        TermKind::Cause => format!("Incidents caused by {}", term.name),
        TermKind::Tag => format!("Incidents tagged {}", term.name),
        TermKind::Severity => format!("{} incidents", term.name),
        TermKind::Year => format!("Incidents in {}", term.name),
    };
    let intro: Option<String> = None;
    let total = term.incidents.len();
    let members = pager::term_items(&term.incidents, n);
    let pager = pager::pager(
        Paginated::Term(kind, &term.slug),
        total,
        pager::TERM_ITEMS,
        n,
    );
    let view = context! {
        heading => &heading,
        intro,
        rows => cx.items_of(members, ItemTerms::of_list(kind))?,
        total,
        pager => pager.as_ref().map(Serde),
    };
    Ok(Page {
        template: "list.html",
        title: paged_title(&heading, pager.as_ref(), n),
        description: None,
        view,
    })
}

/// The index of the terms of `kind`: tags in order of name, years newest
/// first.
pub fn terms(cx: &PageCtx<'_>, kind: TermKind) -> Page {
    let all = cx.input.analysis.terms(kind);
    let (heading, terms) = match kind {
        TermKind::Service => ("Services", term_views(kind, all.iter())),
        TermKind::Cause => ("Causes", term_views(kind, all.iter())),
        TermKind::Tag => ("Tags", term_views(kind, all.iter())),
        TermKind::Severity => ("Incidents by severity", term_views(kind, all.iter())),
        TermKind::Year => ("Incidents by year", term_views(kind, all.iter().rev())),
    };
    Page {
        template: "terms.html",
        title: heading.to_owned(),
        description: None,
        view: context! { heading, terms => Serde(terms) },
    }
}

fn term_views<'a>(kind: TermKind, terms: impl Iterator<Item = &'a Term>) -> Vec<TermView> {
    terms
        .map(|t| TermView {
            name: t.name.clone(),
            path: Route::Term(kind, &t.slug).path(),
            count: t.incidents.len(),
        })
        .collect()
}
