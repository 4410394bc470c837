//! The facets: their values for the manifest, and per document its value
//! ids as the compact columns of `facets.json` (encodings in [`encode`]):
//! one column per multi-valued facet (service, cause), one column `single`
//! for the single-valued ones (severity, year) packed together.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{FacetValue, SearchDoc, encode};

/// One facet in the manifest.
#[derive(Debug, Serialize)]
pub struct Facet {
    key: &'static str,
    label: &'static str,
    multi: bool,
    /// `(slug, name)` in display order; a value's id is its position.
    values: Vec<(String, String)>,
}

/// The facets of `docs` and their columns; `severities` orders severity.
pub fn build(
    docs: &[SearchDoc],
    severities: &[String],
) -> (Vec<Facet>, BTreeMap<&'static str, String>) {
    let mut columns = BTreeMap::new();
    let (services, column) = multi(docs, |d| &d.services);
    columns.insert("service", column);
    let (causes, column) = multi(docs, |d| &d.causes);
    columns.insert("cause", column);
    let (severity, severity_ids) = severity(docs, severities);
    let (year, year_ids) = year(docs);
    columns.insert(
        "single",
        packed(&[(severity.len(), severity_ids), (year.len(), year_ids)]),
    );
    let facets = vec![
        facet("service", "Service", true, services),
        facet("cause", "Cause", true, causes),
        facet("severity", "Severity", false, severity),
        facet("year", "Year", false, year),
    ];
    (facets, columns)
}

fn facet(key: &'static str, label: &'static str, multi: bool, values: Vec<FacetValue>) -> Facet {
    Facet {
        key,
        label,
        multi,
        values: values.into_iter().map(|v| (v.slug, v.name)).collect(),
    }
}

/// A multi-valued facet: its values in order, and its column.
fn multi(
    docs: &[SearchDoc],
    values_of: for<'d> fn(&'d SearchDoc<'_>) -> &'d Vec<FacetValue>,
) -> (Vec<FacetValue>, String) {
    let mut values: Vec<&FacetValue> = docs.iter().flat_map(values_of).collect();
    values.sort_unstable();
    values.dedup();
    let ids: Vec<Vec<usize>> = docs
        .iter()
        .map(|d| {
            values_of(d)
                .iter()
                .filter_map(|v| values.binary_search(&v).ok())
                .collect()
        })
        .collect();
    let column = encode::column_many(&ids, values.len());
    (values.into_iter().cloned().collect(), column)
}

/// The severity levels in use, in the site's order, and each doc's id.
fn severity(docs: &[SearchDoc], severities: &[String]) -> (Vec<FacetValue>, Vec<Option<usize>>) {
    let mut levels: Vec<Option<&FacetValue>> = vec![None; severities.len()];
    let position = |value: &FacetValue| severities.iter().position(|l| *l == value.name);
    for value in docs.iter().filter_map(|d| d.severity.as_ref()) {
        if let Some(at) = position(value) {
            levels[at].get_or_insert(value);
        }
    }
    // A level's id is its position among the levels in use.
    let mut ids = vec![None; severities.len()];
    let mut used = Vec::new();
    for (at, level) in levels.into_iter().enumerate() {
        if let Some(value) = level {
            ids[at] = Some(used.len());
            used.push(value.clone());
        }
    }
    let per_doc = docs
        .iter()
        .map(|d| {
            d.severity
                .as_ref()
                .and_then(position)
                .and_then(|at| ids[at])
        })
        .collect();
    (used, per_doc)
}

/// The years, newest first, and each doc's id.
fn year(docs: &[SearchDoc]) -> (Vec<FacetValue>, Vec<Option<usize>>) {
    let mut years: Vec<i16> = docs.iter().filter_map(|d| d.year).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let per_doc = docs
        .iter()
        .map(|d| d.year.and_then(|y| years.iter().position(|&x| x == y)))
        .collect();
    let values = years
        .iter()
        .map(|y| FacetValue {
            slug: y.to_string(),
            name: y.to_string(),
        })
        .collect();
    (values, per_doc)
}

/// Single-valued facets, `(number of values, id per doc)` each, packed into
/// one number per doc.
fn packed(facets: &[(usize, Vec<Option<usize>>)]) -> String {
    let docs = facets.first().map_or(0, |(_, ids)| ids.len());
    let mut numbers = vec![0usize; docs];
    let mut radix = 1usize;
    for (count, ids) in facets {
        for (number, id) in numbers.iter_mut().zip(ids) {
            *number += id.map_or(0, |id| id + 1) * radix;
        }
        radix = radix.saturating_mul(count + 1);
    }
    encode::column_fixed(&numbers, encode::digits(radix, 6))
}
