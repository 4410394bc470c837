//! The incidents as list rows and items (lists of incidents are most of a
//! site's HTML), and as anchored spans for the history diagrams. An
//! incident's values are made once and shared by every list it is in; its
//! table row for `/incidents/` is rendered once by the theme's partial; a
//! list of one term's incidents renders its items for its own page, each
//! showing less than a row (see [`ItemTerms`]). An item shown on several
//! pages (in the list of its severity, of its year, of each of its
//! services) is rendered once and kept until its last planned use.

use std::sync::{Mutex, OnceLock, PoisonError};

use minijinja::value::Serde;
use minijinja::{Environment, Value, context};

use super::diagram::history::IncidentSpan;
use super::{RenderInput, bounds, views};
use crate::analysis::TermKind;
use crate::diagnostic::Diagnostic;

/// The theme's template that renders one incident as a list item (for
/// pages two levels down).
const LIST_ITEM: &str = "partials/incident-item.html";

/// The theme's template that renders one incident as a table row (for
/// `/incidents/`).
const TABLE_ROW: &str = "partials/incident-row.html";

/// Which of an incident's terms its list item links, besides its title,
/// date, severity and duration: a list of one term's incidents does not
/// repeat that term in every item. The theme's item partial reads it as
/// `show.services` and `show.causes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemTerms {
    /// Its causes, not its services: on a service's page.
    Causes,
    /// Its services, not its causes: on a cause's page.
    Services,
    /// Neither: the plain lists of a tag's, severity's or year's incidents.
    Neither,
}

impl ItemTerms {
    /// The variant's number, for [`Rows::slot`].
    fn number(self) -> usize {
        match self {
            ItemTerms::Causes => 0,
            ItemTerms::Services => 1,
            ItemTerms::Neither => 2,
        }
    }

    /// What the items of a list of one term's incidents link, by the
    /// term's kind.
    pub fn of_list(kind: TermKind) -> ItemTerms {
        match kind {
            TermKind::Service => ItemTerms::Causes,
            TermKind::Cause => ItemTerms::Services,
            TermKind::Tag | TermKind::Severity | TermKind::Year => ItemTerms::Neither,
        }
    }
}

/// Where an incident's page is and its severity's class: what the
/// history diagrams link and colour each incident with.
struct Anchor {
    path: String,
    severity_class: String,
}

/// One incident's list item of one variant at one depth (see
/// [`Rows::item`]): how many more times the pages will ask for it, and the
/// item while some will.
#[derive(Default)]
struct ItemSlot {
    left: u32,
    item: Option<Value>,
}

/// How many item slots an incident has: one per variant of [`ItemTerms`]
/// and depth.
const ITEM_SLOTS: usize = 6;

/// Every incident's row, made the first time a page needs it.
pub struct Rows {
    rows: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Each incident's values without HTML, which its row and items share.
    plain: Vec<OnceLock<Value>>,
    /// The rows of the pages after a list's first (`incidents/page/2/`,
    /// `services/x/page/2/`): two folders further down, so their links
    /// climb two more (see [`Rows::get_deep`]).
    deep: Vec<OnceLock<Result<Value, Diagnostic>>>,
    /// Each incident's list items, [`ITEM_SLOTS`] per incident (see
    /// [`Rows::slot`]), kept between the pages that show the same one.
    items: Vec<Mutex<ItemSlot>>,
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
            items: (0..input.incidents.len() * ITEM_SLOTS)
                .map(|_| Mutex::default())
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
            .get_or_init(|| self.row(input, i, "../"))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Incident `i`'s row for a page after a list's first, two folders
    /// further down (`incidents/page/2/`), made on first use.
    pub fn get_deep(&self, input: &RenderInput<'_>, i: usize) -> Result<&Value, Diagnostic> {
        self.deep[i]
            .get_or_init(|| self.row(input, i, "../../../"))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Counts one use of incident `i`'s list item linking `terms`, on a
    /// page `deep` or not, that a page of the site will make: the item is
    /// kept after it is made until its uses are spent.
    pub fn plan_item(&mut self, i: usize, terms: ItemTerms, deep: bool) {
        let slot = self.items[Self::slot(i, terms, deep)]
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        slot.left = slot.left.saturating_add(1);
    }

    /// Where incident `i`'s item linking `terms`, `deep` or not, is in
    /// `items`.
    fn slot(i: usize, terms: ItemTerms, deep: bool) -> usize {
        i * ITEM_SLOTS + terms.number() * 2 + usize::from(deep)
    }

    /// Incident `i` as a list item that links only `terms` of its own
    /// (`item_html`, with the row's values), for a page `deep` or not
    /// (see [`Rows::get_deep`]): made on its first use and kept while
    /// planned uses (see [`Rows::plan_item`]) remain, so that memory holds
    /// only the items still to be shown again.
    pub fn item(
        &self,
        input: &RenderInput<'_>,
        i: usize,
        terms: ItemTerms,
        deep: bool,
    ) -> Result<Value, Diagnostic> {
        let mut slot = self.items[Self::slot(i, terms, deep)]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.left = slot.left.saturating_sub(1);
        let item = match &slot.item {
            Some(item) => item.clone(),
            None => self.make_item(input, i, terms, deep)?,
        };
        slot.item = (slot.left > 0).then(|| item.clone());
        Ok(item)
    }

    /// Incident `i` as a list item (see [`Rows::item`]), rendered anew.
    pub(super) fn make_item(
        &self,
        input: &RenderInput<'_>,
        i: usize,
        terms: ItemTerms,
        deep: bool,
    ) -> Result<Value, Diagnostic> {
        let plain = self.plain(input, i);
        let root = if deep { "../../../../" } else { "../../" };
        let show = context! {
            services => terms == ItemTerms::Services,
            causes => terms == ItemTerms::Causes,
        };
        let ctx = context! { row => plain, root, show };
        let item_html = self.render_partial(input, LIST_ITEM, ctx)?;
        Ok(context! {
            item_html => Value::from_safe_string(item_html),
            ..plain.clone()
        })
    }

    /// How many planned uses of items remain.
    #[cfg(test)]
    pub(super) fn items_left(&self) -> usize {
        let slots = self.items.iter().map(|s| s.lock().unwrap());
        slots.map(|s| s.left as usize).sum()
    }

    /// How many items are held for later uses.
    #[cfg(test)]
    pub(super) fn items_held(&self) -> usize {
        let slots = self.items.iter().map(|s| s.lock().unwrap());
        slots.filter(|s| s.item.is_some()).count()
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
    pub fn plain(&self, input: &RenderInput<'_>, i: usize) -> &Value {
        self.plain[i].get_or_init(|| {
            Value::from(Serde(views::row(
                &input.incidents[i],
                input.analysis,
                &input.config.severities,
                input.config.time_zone(),
            )))
        })
    }

    /// Incident `i` as a table row with its HTML rendered once
    /// (`row_html`, for `/incidents/`, one folder down); lists of one term's
    /// incidents have their own items (see [`Rows::item`]). `root` climbs
    /// from the page to the site root: one folder from a list's first
    /// page, three from the pages after it.
    fn row(&self, input: &RenderInput<'_>, i: usize, root: &str) -> Result<Value, Diagnostic> {
        let plain = self.plain(input, i);
        let ctx = context! { row => plain, root };
        let row_html = self.render_partial(input, TABLE_ROW, ctx)?;
        Ok(context! {
            row_html => Value::from_safe_string(row_html),
            ..plain.clone()
        })
    }
}
