//! The incidents as list rows, each rendered once by the theme's partials
//! and shared by every list it is in (lists of incidents are most of a
//! site's HTML), and as anchored spans for the history diagrams.

use std::sync::OnceLock;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use rayon::prelude::*;

use super::diagram::history::IncidentSpan;
use super::{RenderInput, template_error, views};
use crate::diagnostic::Diagnostic;

/// The theme's templates that render one incident as a list item (for
/// pages two levels down) and as a table row (for `/incidents/`).
const ROW_TEMPLATES: [&str; 2] = ["partials/incident-item.html", "partials/incident-row.html"];

/// Where an incident's page is and its severity's class: what the
/// history diagrams link and colour each incident with.
struct Anchor {
    path: String,
    severity_class: String,
}

/// Every incident's row, made the first time a page needs it.
pub struct Rows {
    rows: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Each incident's anchor, by incident number.
    anchors: Vec<Anchor>,
}

impl Rows {
    /// The rows of `input`'s incidents, none made yet.
    pub fn new(input: &RenderInput<'_>) -> Rows {
        Rows {
            rows: (0..input.incidents.len())
                .map(|_| OnceLock::new())
                .collect(),
            anchors: input
                .incidents
                .iter()
                .map(|incident| Anchor {
                    path: views::incident_path(incident),
                    severity_class: views::severity_class(
                        incident.severity.as_deref(),
                        &input.config.severities,
                    )
                    .0,
                })
                .collect(),
        }
    }

    /// Makes every incident's row, in parallel: a whole build needs them all.
    pub fn prepare(&self, input: &RenderInput<'_>, env: &Environment<'static>) {
        (0..self.rows.len())
            .into_par_iter()
            .for_each(|i| drop(self.get(input, env, i)));
    }

    /// Incident `i`'s row, made on first use.
    pub fn get(
        &self,
        input: &RenderInput<'_>,
        env: &Environment<'static>,
        i: usize,
    ) -> Result<&Value, Diagnostic> {
        self.rows[i]
            .get_or_init(|| row(input, env, i))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The time spans of `members` that have one, for the history diagrams.
    pub fn spans<'a>(
        &'a self,
        input: &'a RenderInput<'_>,
        members: impl Iterator<Item = usize>,
    ) -> Vec<IncidentSpan<'a>> {
        members
            .filter_map(|i| {
                let anchor = &self.anchors[i];
                IncidentSpan::of(&input.incidents[i], &anchor.path, &anchor.severity_class)
            })
            .collect()
    }
}

/// Incident `i` as a list row, with its HTML rendered once: lists of
/// incidents are most of a site's rows, and each incident is in several.
fn row(input: &RenderInput<'_>, env: &Environment<'static>, i: usize) -> Result<Value, Diagnostic> {
    let fail = |e: minijinja::Error| template_error(input.theme, &e);
    let [item, table_row] = ROW_TEMPLATES;
    let mut row = views::row(
        &input.incidents[i],
        input.analysis,
        &input.config.severities,
        input.config.time_zone(),
    );
    let plain = Value::from(Serde(&row));
    row.item_html = env
        .get_template(item)
        .and_then(|t| t.render(context! { row => &plain, root => "../../" }))
        .map_err(fail)?;
    row.row_html = env
        .get_template(table_row)
        .and_then(|t| t.render(context! { row => plain, root => "../" }))
        .map_err(fail)?;
    Ok(Value::from(Serde(&row)))
}
