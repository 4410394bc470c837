//! Diagrams drawn at build time as inline SVG: an incident's timeline (the
//! axis or the flow layout) and the diagrams across incidents (a service's
//! incidents over time, a calendar heatmap of downtime). Pure functions
//! from plain data to a string of SVG; every text is XML-escaped, every
//! colour is a CSS class of the theme, so dark mode and print restyle them.

pub mod ascii;
mod axis;
mod flow;
pub mod history;
mod scale;
mod svg;
mod timeline;

use jiff::tz::TimeZone;

use crate::model::{Incident, TimelineStyle};

pub use axis::{Layout, Rect, layout as axis_layout, place_in_rows};
pub use timeline::{Event, Milestone, MilestoneKind, Phase, Timeline};

/// The timeline diagram of `incident`, times shown in `zone`, or `None`
/// when nothing of it can be placed in time.
///
/// The axis style comes with the flow drawn too, for narrow screens: the
/// theme's CSS shows one of the two.
pub fn incident_svg(incident: &Incident, zone: &TimeZone, style: TimelineStyle) -> Option<String> {
    let timeline = Timeline::of(incident, zone)?;
    Some(match style {
        TimelineStyle::Axis => {
            let wide = axis::render(
                &timeline,
                &axis::layout(&timeline),
                "kb-tl-axis",
                "kb-tl-wide",
            );
            let narrow = flow::render(&timeline, "kb-tl-flow", "kb-tl-narrow");
            format!("{wide}{narrow}")
        }
        TimelineStyle::Flow => flow::render(&timeline, "kb-tl-flow", ""),
    })
}

/// The axis diagram of `timeline` alone.
pub fn axis_svg(timeline: &Timeline) -> String {
    axis::render(timeline, &axis::layout(timeline), "kb-tl-axis", "")
}

/// The flow diagram of `timeline` alone.
pub fn flow_svg(timeline: &Timeline) -> String {
    flow::render(timeline, "kb-tl-flow", "")
}
