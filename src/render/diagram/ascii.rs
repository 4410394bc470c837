//! The timeline as plain text for the terminal (`kb show`): an axis row with
//! the impact band drawn in characters by phase, a row of milestone letters
//! and a row of event dots on the same scale, then every milestone and
//! event in time order with the lag since the one before.

use std::fmt::Write;

use jiff::Timestamp;

use super::scale::Scale;
use super::timeline::{MilestoneKind, Phase, Timeline, lag_text};

fn band_char(phase: Phase) -> char {
    match phase {
        Phase::Undetected => '!',
        Phase::Recovering => '-',
        Phase::Impact | Phase::Responding => '=',
        Phase::Before | Phase::After | Phase::Unknown => ' ',
    }
}

fn letter(kind: MilestoneKind) -> char {
    match kind {
        MilestoneKind::Started => 'S',
        MilestoneKind::Detected => 'D',
        MilestoneKind::Acknowledged => 'A',
        MilestoneKind::Mitigated => 'M',
        MilestoneKind::Resolved => 'R',
    }
}

/// The text picture of `t`, with a plot `width` characters wide.
pub fn render(t: &Timeline, width: usize) -> String {
    let width = width.max(20);
    let instants = t.instants();
    let mut out = String::new();
    let (Some(&first), Some(&last)) = (instants.first(), instants.last()) else {
        return out;
    };
    let scale = Scale::new(&instants, 0.0, (width - 1) as f64, 1.0);
    let days = t.spans_days();
    let zone = t.zone_name();
    let _ = writeln!(
        out,
        "{:>10} {} .. {} {zone}",
        "",
        t.clock(first, days),
        t.clock(last, days)
    );
    for (name, row) in ["impact", "milestones", "events"]
        .into_iter()
        .zip(rows(t, &scale, width))
    {
        let _ = writeln!(out, "{name:>10} |{}|", row.iter().collect::<String>());
    }
    let _ = writeln!(
        out,
        "{:>10}  ! impact undetected  = responding  - mitigated  ~ quiet gap (compressed)",
        ""
    );
    out.push('\n');
    list(&mut out, t, days);
    out
}

/// The impact band, the milestone letters and the event dots of `t`, each
/// `width` characters on `scale`.
fn rows(t: &Timeline, scale: &Scale, width: usize) -> [Vec<char>; 3] {
    let col = |at: Timestamp| (scale.x(at).round().max(0.0) as usize).min(width - 1);
    let mut band = vec![' '; width];
    for (a, b, phase) in t.band() {
        for c in band.iter_mut().take(col(b) + 1).skip(col(a)) {
            *c = band_char(phase);
        }
    }
    for x in scale.breaks() {
        let c = (x.round().max(0.0) as usize).min(width - 1);
        band[c] = '~';
    }
    let mut letters = vec![' '; width];
    for m in &t.milestones {
        let mut c = col(m.at);
        while c < width - 1 && letters[c] != ' ' {
            c += 1;
        }
        letters[c] = letter(m.kind);
    }
    let mut dots = vec![' '; width];
    for e in &t.events {
        dots[col(e.at)] = '*';
    }
    [band, letters, dots]
}

/// Every milestone and event of `t` in time order, one a line, with the
/// lag since the one before; dates shown when the timeline spans `days`.
fn list(out: &mut String, t: &Timeline, days: bool) {
    let mut entries: Vec<(Timestamp, u8, String, String)> = Vec::new();
    for m in &t.milestones {
        entries.push((m.at, 0, letter(m.kind).to_string(), m.label()));
    }
    for e in &t.events {
        entries.push((e.at, 1, e.number.to_string(), e.text.clone()));
    }
    entries.sort_by_key(|e| (e.0, e.1));
    let mut previous: Option<Timestamp> = None;
    let mut last_day = None;
    for (at, _, mark, text) in entries {
        let day = at.to_zoned_datetime(t.zone.clone()).date();
        let clock = t.clock(at, days && last_day != Some(day));
        last_day = Some(day);
        let lag = previous
            .map(|p| at.duration_since(p))
            .filter(|d| d.as_secs() > 0)
            .map(|d| format!("+{}", lag_text(d)))
            .unwrap_or_default();
        previous = Some(at);
        let _ = writeln!(out, "{mark:>3}  {clock:>16}  {lag:>12}  {text}");
    }
}
