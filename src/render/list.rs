//! The pages that list incidents or terms without numbers of their own:
//! `/incidents/` (every incident, sortable and filterable), one tag's,
//! severity's or year's incidents, and the indexes of tags and years.

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use super::page::{Page, PageCtx};
use super::route::Route;
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

/// `/incidents/`: every incident, newest first, with the filters' values.
pub fn incidents(cx: &PageCtx<'_>) -> Result<Page, Diagnostic> {
    let input = cx.input;
    let all: Vec<usize> = (0..input.incidents.len()).collect();
    let years = term_views(
        TermKind::Year,
        input.analysis.terms(TermKind::Year).iter().rev(),
    );
    Ok(Page {
        template: "incidents.html",
        title: "All incidents".to_owned(),
        description: None,
        view: context! {
            rows => cx.rows_of(&all)?,
            severities => Serde(&input.config.severities),
            years => Serde(years),
        },
    })
}

/// The incidents of term number `index` of `kind`, newest first.
pub fn term(cx: &PageCtx<'_>, kind: TermKind, index: usize) -> Result<Page, Diagnostic> {
    let term = &cx.input.analysis.terms(kind)[index];
    let heading = match kind {
        TermKind::Service => format!("Incidents of {}", term.name),
        TermKind::Cause => format!("Incidents caused by {}", term.name),
        TermKind::Tag => format!("Incidents tagged {}", term.name),
        TermKind::Severity => format!("{} incidents", term.name),
        TermKind::Year => format!("Incidents in {}", term.name),
    };
    let intro: Option<String> = None;
    let view = context! { heading => &heading, intro, rows => cx.rows_of(&term.incidents)? };
    Ok(Page {
        template: "list.html",
        title: heading,
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
