//! The incidents as list rows, each rendered once by the theme's partials
//! and shared by every list it is in (lists of incidents are most of a
//! site's HTML), and as anchored spans for the history diagrams.

use std::sync::OnceLock;

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};

use super::diagram::history::IncidentSpan;
use super::{RenderInput, bounds, views};
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
    /// Each incident's row without its HTML, which both of its rows share.
    plain: Vec<OnceLock<Value>>,
    /// The rows of the pages after a list's first (`incidents/page/2/`,
    /// `services/x/page/2/`): two folders further down, so their links
    /// climb two more (see [`Rows::get_deep`]).
    deep: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Each incident's anchor, by incident number.
    anchors: Vec<Anchor>,
    /// The theme's templates with the budget of a partial (see
    /// [`bounds::fragments`]).
    fragments: Environment<'static>,
}

impl Rows {
    /// The rows of `input`'s incidents, none made yet; `fragments` renders
    /// them.
    pub fn new(input: &RenderInput<'_>, fragments: Environment<'static>) -> Rows {
        Rows {
            fragments,
            rows: (0..input.incidents.len())
                .map(|_| OnceLock::new())
                .collect(),
            deep: (0..input.incidents.len())
                .map(|_| OnceLock::new())
                .collect(),
            plain: (0..input.incidents.len())
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

    /// Incident `i`'s row, made on first use.
    pub fn get(&self, input: &RenderInput<'_>, i: usize) -> Result<&Value, Diagnostic> {
        self.rows[i]
            .get_or_init(|| self.row(input, i, ""))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Incident `i`'s row for a page after a list's first, two folders
    /// further down (`incidents/page/2/`), made on first use.
    pub fn get_deep(&self, input: &RenderInput<'_>, i: usize) -> Result<&Value, Diagnostic> {
        self.deep[i]
            .get_or_init(|| self.row(input, i, "../../"))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Renders the partial `template` (a row of a list, once per incident
    /// or action item) with `ctx`, within a partial's budget.
    pub fn render_partial(
        &self,
        input: &RenderInput<'_>,
        template: &str,
        ctx: Value,
    ) -> Result<String, Diagnostic> {
        let max = bounds::MAX_FRAGMENT_BYTES;
        bounds::render(&self.fragments, input.theme, template, ctx, max)
    }

    /// The time spans of `members` that have one, for the history diagrams,
    /// clipped to the years the other series cover (see
    /// [`crate::analysis::MAX_HISTORY_YEARS`]), up to the build time.
    pub fn spans<'a>(
        &'a self,
        input: &'a RenderInput<'_>,
        members: impl Iterator<Item = usize>,
    ) -> Vec<IncidentSpan<'a>> {
        let to = input.build_time;
        let years = jiff::Span::new().years(crate::analysis::MAX_HISTORY_YEARS);
        let from = to
            .to_zoned_datetime(input.config.time_zone().clone())
            .checked_sub(years)
            .map_or(to, |z| z.timestamp());
        members
            .filter_map(|i| {
                let anchor = &self.anchors[i];
                IncidentSpan::of(&input.incidents[i], &anchor.path, &anchor.severity_class)?
                    .within(from, to)
            })
            .collect()
    }

    /// Incident `i` as a list row (see [`views::row`]), made on first use.
    fn plain(&self, input: &RenderInput<'_>, i: usize) -> &Value {
        self.plain[i].get_or_init(|| {
            Value::from(Serde(views::row(
                &input.incidents[i],
                input.analysis,
                &input.config.severities,
                input.config.time_zone(),
            )))
        })
    }

    /// Incident `i` as a list row with its HTML rendered once, as a list
    /// item (`item_html`, for pages two folders down) and a table row
    /// (`row_html`, one folder down): lists of incidents are most of a
    /// site's rows, and each incident is in several. `down` climbs the
    /// folders a page is below its list's first.
    fn row(&self, input: &RenderInput<'_>, i: usize, down: &str) -> Result<Value, Diagnostic> {
        let [item, table_row] = ROW_TEMPLATES;
        let plain = self.plain(input, i);
        let ctx = context! { row => plain, root => format!("{down}../../") };
        let item_html = self.render_partial(input, item, ctx)?;
        let ctx = context! { row => plain, root => format!("{down}../") };
        let row_html = self.render_partial(input, table_row, ctx)?;
        Ok(context! {
            item_html => Value::from_safe_string(item_html),
            row_html => Value::from_safe_string(row_html),
            ..plain.clone()
        })
    }
}
