//! Diagrams drawn at build time as inline SVG: an incident's timeline (the
//! axis or the flow layout) and the diagrams across incidents (a service's
//! incidents over time, a calendar heatmap of downtime). Pure functions
//! from plain data to a string of SVG; every text is XML-escaped, every
//! colour is a CSS class of the theme, so dark mode and print restyle them.

pub mod ascii;
mod axis;
mod badge;
mod clock;
mod flow;
pub mod history;
mod legend;
mod placement;
mod scale;
mod timeline;

use jiff::tz::TimeZone;

use crate::model::{Incident, TimelineStyle};

pub use axis::{Layout, layout as axis_layout};
pub use placement::{Rect, place_in_rows};
pub use timeline::{Event, Milestone, MilestoneKind, Phase, Timeline};

/// The timeline diagram of `incident` in `style`, times shown in `zone`,
/// or `None` when nothing of it can be placed in time. One SVG: the axis
/// style draws numbered badges, each a link to its event in the page's
/// list with the event's text as its tooltip.
pub fn incident_svg(incident: &Incident, zone: &TimeZone, style: TimelineStyle) -> Option<String> {
    let timeline = Timeline::of(incident, zone)?;
    Some(match style {
        TimelineStyle::Axis => axis_svg(&timeline),
        TimelineStyle::Flow => flow_svg(&timeline),
    })
}

/// The axis diagram of `timeline`.
pub fn axis_svg(timeline: &Timeline) -> String {
    axis::render(timeline, &axis::layout(timeline))
}

/// The flow diagram of `timeline`.
pub fn flow_svg(timeline: &Timeline) -> String {
    flow::render(timeline)
}
