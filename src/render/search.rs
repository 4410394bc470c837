//! `/search/`: the page, which the browser fills, and the index files
//! under `search/`: the incidents as the index builder's documents (card
//! values formatted here, like every other view), newest first.

use std::sync::Arc;

use jiff::tz::TimeZone;
use rayon::prelude::*;

use super::page::Page;
use super::{RenderInput, format, views};
use crate::analysis::search::{self, FacetValue, IndexCache, IndexFiles, SearchDoc};
use crate::analysis::taxonomy::Taxonomy;
use crate::content::slug::slugify;
use crate::model::Incident;

/// The search page: a form and the script, no view of its own.
pub fn page() -> Page {
    Page::plain("search.html", "Search")
}

/// Every file under `search/`, reusing what `previous` kept of the
/// incidents that did not change; and what to keep for the next build.
pub fn index(input: &RenderInput<'_>, previous: IndexCache) -> (IndexFiles, IndexCache) {
    let zone = input.config.time_zone();
    // Incidents come sorted by start, unknown last: newest first keeps the unknown last.
    let (dated, undated): (Vec<&Incident>, Vec<&Incident>) = input
        .incidents
        .iter()
        .map(Arc::as_ref)
        .partition(|i| i.started.is_some());
    let newest_first: Vec<&Incident> = dated.into_iter().rev().chain(undated).collect();
    let docs: Vec<SearchDoc<'_>> = newest_first
        .par_iter()
        .map(|i| doc(i, input, zone))
        .collect();
    search::build_reusing(&docs, &input.config.severities, previous)
}

fn doc<'a>(i: &'a Incident, input: &RenderInput<'_>, zone: &TimeZone) -> SearchDoc<'a> {
    let a = input.analysis;
    let started = i.started.map(|s| s.to_zoned_datetime(zone.clone()));
    let severity = i
        .severity
        .as_ref()
        .filter(|s| input.config.severities.contains(s))
        .map(|s| FacetValue {
            slug: slugify(s),
            name: s.clone(),
        });
    let summary = [i.summary.as_deref(), i.impact.summary.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    SearchDoc {
        title: i.title.clone(),
        path: views::incident_path(i),
        date: started.as_ref().map(|z| format::day(z.date())),
        year: started.as_ref().map(|z| z.year()),
        severity,
        duration: i.duration().map(format::duration),
        services: values(&i.services, &a.services),
        causes: values(&i.causes, &a.causes),
        labels: i
            .tags
            .iter()
            .chain(&i.trigger)
            .chain(&i.detection)
            .cloned()
            .collect(),
        summary,
        body_html: i.body_html.as_str().into(),
    }
}

fn values(names: &[String], taxonomy: &Taxonomy) -> Vec<FacetValue> {
    let mut out: Vec<FacetValue> = Vec::with_capacity(names.len());
    for written in names {
        if let Some(term) = taxonomy.term_of(written)
            && !out.iter().any(|v| v.slug == term.slug)
        {
            out.push(FacetValue {
                slug: term.slug.clone(),
                name: term.name.clone(),
            });
        }
    }
    out
}
