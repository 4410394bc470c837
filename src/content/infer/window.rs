//! When impact began and ended. In order of trust: a range or start/end the
//! summary or a metadata line states ("Duration of Outage: June 8, 2024,
//! 03:00 AM to 06:00 AM UTC", "from 10:45 AM to 1:30 PM (UTC)"); a duration
//! the summary states ("lasted 3 hours") counted from the start; a Stats
//! "Time to recovery" where it lands on a timeline event; markers in
//! timeline events ("**Recovery:**", "(resolved)"); the timeline event from
//! which the stated times to detect and recover land on other events; and
//! last the first and last timeline events. Nothing is guessed: what no line
//! states stays unknown, and a stated duration whose end no event confirms
//! is kept as a duration only.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::Found;
use super::dates::{self, FoundTime};
use super::text::MetaKey;
use crate::config::DateOrder;
use crate::model::TimelineEvent;

/// A moment as stated: a time of day, with its date and zone when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    /// The date, when the document gives one.
    pub date: Option<Date>,
    /// The time of day.
    pub time: Time,
    /// The zone written with it.
    pub zone: Option<TimeZone>,
}

impl Moment {
    fn from_time(t: &FoundTime, date: Option<Date>) -> Moment {
        Moment {
            date: t.stamp.date.or(date),
            time: t.stamp.time,
            zone: t.stamp.zone.clone(),
        }
    }

    /// The instant, when the date is known.
    pub fn instant(&self, zone: &TimeZone) -> Option<Timestamp> {
        let zone = self.zone.as_ref().unwrap_or(zone);
        self.date?
            .to_datetime(self.time)
            .to_zoned_datetime(zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }
}

/// What the summary and metadata state about the window.
#[derive(Debug, Default)]
pub struct Stated {
    /// Impact began.
    pub start: Option<Found<Moment>>,
    /// Impact ended.
    pub end: Option<Found<Moment>>,
    /// How long it lasted.
    pub duration: Option<Found<SignedDuration>>,
    /// The first date the summary names.
    pub date: Option<Found<Date>>,
}

/// A duration a Stats list states: a value, not applicable, or not given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StatDuration {
    /// "31 minutes".
    Value(SignedDuration),
    /// "N/A": there was no such time.
    NotApplicable,
}

/// Reads a Stats value ("31 minutes", "N/A", "?").
pub fn stat_duration(value: &str) -> Option<StatDuration> {
    let v = value.trim().trim_end_matches('.').to_ascii_lowercase();
    if v.starts_with("n/a") || v == "na" || v == "none" {
        return Some(StatDuration::NotApplicable);
    }
    dates::find_duration(value).map(|(d, _)| StatDuration::Value(d))
}

const RANGE_WORDS: [&str; 8] = ["to", "until", "till", "through", "-", "–", "—", "and"];
const START_WORDS: [&str; 6] = [
    "began",
    "begun",
    "started",
    "starting",
    "beginning",
    "since",
];
const END_WORDS: [&str; 8] = [
    "resolved",
    "restored",
    "recovered",
    "ended",
    "fixed",
    "mitigated",
    "back up",
    "back online",
];
const DURATION_WORDS: [&str; 17] = [
    "lasted",
    "downtime",
    "lasting",
    "duration",
    "outage of",
    "downtime of",
    "down for",
    "unavailable for",
    "offline for",
    "degraded for",
    "total of",
    "for about",
    "for approximately",
    "for roughly",
    "for around",
    "for nearly",
    "for over",
];

/// A line that may state the window: its file line, what to call it in
/// messages, its text, and the metadata key it was written under.
#[derive(Debug, Clone)]
pub struct Statement {
    /// 1-based file line.
    pub line: usize,
    /// "the Duration of Outage line", "the summary".
    pub source: String,
    /// The text to read.
    pub text: String,
    /// The metadata key, for a `Key: value` line.
    pub key: Option<MetaKey>,
}

/// Reads what `statements` say about the window, first statement first.
pub fn stated(statements: &[Statement], order: Option<DateOrder>, year: Option<i16>) -> Stated {
    let mut out = Stated::default();
    // Whether the window so far comes only from prose: a range written
    // under a key ("Impact window: 14:20 to 15:41") states it better.
    let mut from_prose = true;
    for s in statements {
        let times = dates::find_times(&s.text);
        let found_dates = dates::find_dates(&s.text, order);
        let date_before = |pos: usize| {
            found_dates
                .iter()
                .rev()
                .find(|(_, r)| r.end <= pos)
                .and_then(|(d, _)| d.resolve(year))
        };
        if out.date.is_none()
            && let Some(date) = found_dates.iter().find_map(|(d, _)| d.resolve(year))
        {
            out.date = Some(Found::new(date, s.line, &s.source));
        }
        let open = out.start.is_none() && out.end.is_none();
        if (open || (s.key.is_some() && from_prose))
            && let Some((a, b)) = range(&s.text, &times, &found_dates)
        {
            from_prose &= s.key.is_none();
            let mut pair = [a.clone(), b.clone()];
            dates::share_zone(&mut pair);
            let start = Moment::from_time(&pair[0], date_before(a.span.start));
            let end_date = date_before(b.span.start)
                .filter(|_| found_dates.iter().any(|(_, r)| r.start > a.span.end));
            let mut end = Moment::from_time(&pair[1], end_date.or(start.date));
            if end_date.is_none() && end.time < start.time {
                end.date = start.date.and_then(|d| d.tomorrow().ok());
            }
            out.start = Some(Found::new(start, s.line, &s.source));
            out.end = Some(Found::new(end, s.line, &s.source));
        }
        let lower = s.text.to_ascii_lowercase();
        if let Some(t) = times.first() {
            let before = &lower[..t.span.start];
            let moment = Moment::from_time(t, date_before(t.span.start));
            // "The nightly job started at 01:00 as usual" is routine, not impact.
            let routine =
                s.key.is_none() && super::phrases::context(sentence_at(&s.text, t.span.start));
            if out.start.is_none()
                && (s.key == Some(MetaKey::Start) || (near_word(before, &START_WORDS) && !routine))
            {
                out.start = Some(Found::new(moment, s.line, &s.source));
                from_prose &= s.key.is_none();
            } else if out.end.is_none()
                && (s.key == Some(MetaKey::End) || near_word(before, &END_WORDS))
            {
                out.end = Some(Found::new(moment, s.line, &s.source));
                from_prose &= s.key.is_none();
            }
        }
        // A line that starts with a time is a timeline entry, not prose.
        if s.key.is_none() && crate::content::timeline::parse_line(&s.text).is_none() {
            in_prose(s, &times, &found_dates, year, &mut out);
        }
        if out.duration.is_none()
            && let Some((d, span)) = dates::find_duration(&s.text)
            && (s.key == Some(MetaKey::Duration)
                || near_word(&lower[..span.start], &DURATION_WORDS)
                || lower[..span.start].ends_with('('))
        {
            out.duration = Some(Found::new(d, s.line, &s.source));
        }
    }
    out
}

/// A summary sentence that says what happened at a time: "On 12 March
/// 2024 at 14:05 UTC the API started failing", "the queue stalled at 09:10
/// on 2024-05-02 and processing began again at 09:55". A clause that shows
/// impact gives the start, one that says service came back the end; the
/// date may stand before or after the time in its clause.
fn in_prose(
    s: &Statement,
    times: &[FoundTime],
    found_dates: &[(dates::WrittenDate, std::ops::Range<usize>)],
    year: Option<i16>,
    out: &mut Stated,
) {
    let breaks: Vec<usize> = s
        .text
        .match_indices(['.', ';'])
        .map(|(i, _)| i)
        .chain(s.text.match_indices(" and ").map(|(i, _)| i))
        .chain(s.text.match_indices(", then").map(|(i, _)| i))
        .filter(|&i| !s.text[i + 1..].starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    for (k, t) in times.iter().enumerate() {
        let from = breaks
            .iter()
            .filter(|&&b| b < t.span.start)
            .max()
            .map_or(0, |b| b + 1);
        let to = breaks
            .iter()
            .filter(|&&b| b >= t.span.end)
            .min()
            .copied()
            .unwrap_or(s.text.len());
        let clause = &s.text[from..to];
        let date = found_dates
            .iter()
            .filter(|(_, r)| r.start >= from && r.end <= to)
            .find_map(|(d, _)| d.resolve(year));
        let moment = Found::new(Moment::from_time(t, date), s.line, &s.source);
        // "failed from 09:55 until the rollback finished at 10:23".
        let until = k > 0
            && s.text
                .get(times[k - 1].span.end..t.span.start)
                .map(str::to_lowercase)
                .is_some_and(|between| {
                    [" until", " till "].iter().any(|w| between.contains(w))
                        && !between.contains(['.', ';'])
                });
        if until && out.start.is_some() && out.end.is_none() {
            out.end = Some(moment);
        } else if super::phrases::restored(clause) {
            if out.end.is_none() && out.start.is_some() {
                out.end = Some(moment);
            }
        } else if out.start.is_none()
            && out.end.is_none()
            && !super::phrases::context(clause)
            && (super::phrases::impact(clause) || START_WORDS.iter().any(|w| clause.contains(w)))
        {
            out.start = Some(moment);
        }
    }
}

/// The sentence of `text` that holds byte `at`.
fn sentence_at(text: &str, at: usize) -> &str {
    let from = text[..at].rfind(". ").map_or(0, |i| i + 2);
    let to = text[at..].find(". ").map_or(text.len(), |i| at + i + 1);
    &text[from..to]
}

/// True when one of `words` ends the text before a find (within its clause).
fn near_word(before: &str, words: &[&str]) -> bool {
    let clause = before.rsplit(['.', ';', ',']).next().unwrap_or(before);
    let tail: String = clause
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = tail
        .trim_end()
        .trim_end_matches(':')
        .trim_end_matches(" at")
        .trim_end_matches(" on")
        .trim_end_matches(" around")
        .trim_end();
    words.iter().any(|w| {
        tail.ends_with(w) || tail.ends_with(&format!("{w} at")) || tail.contains(&format!("{w} "))
    })
}

/// Two times joined by "to", "until", "-", or "between ... and".
fn range<'t>(
    text: &str,
    times: &'t [FoundTime],
    found_dates: &[(dates::WrittenDate, std::ops::Range<usize>)],
) -> Option<(&'t FoundTime, &'t FoundTime)> {
    times.windows(2).find_map(|w| {
        let [a, b] = w else { return None };
        let mut gap = text.get(a.span.end..b.span.start)?.to_owned();
        for (_, r) in found_dates
            .iter()
            .filter(|(_, r)| r.start >= a.span.end && r.end <= b.span.start)
        {
            gap = gap.replace(text.get(r.clone())?, " ");
        }
        let gap = gap
            .trim_matches([' ', ',', '(', ')'])
            .trim_end_matches(" on")
            .to_lowercase();
        let gap = gap.trim();
        let between = text[..a.span.start]
            .to_lowercase()
            .trim_end()
            .ends_with("between");
        (RANGE_WORDS.contains(&gap) && (gap != "and" || between)).then_some((a, b))
    })
}

/// Lifecycle markers written in timeline events.
#[derive(Debug, Default)]
pub struct Markers {
    /// An event marked as the start ("(problem started)").
    pub start: Option<usize>,
    /// An event marked as detection ("**Detection:**").
    pub detected: Option<usize>,
    /// An event marked as recovery ("**Recovery:**", "(resolved)").
    pub resolved: Option<usize>,
}

/// Finds the markers in `events` (indices into it).
pub fn markers(events: &[TimelineEvent]) -> Markers {
    let mut m = Markers::default();
    for (i, e) in events.iter().enumerate() {
        let t = super::text::plain(&e.text).to_lowercase();
        let starts = |ws: &[&str]| ws.iter().any(|w| t.starts_with(w));
        if m.start.is_none()
            && (t.contains("(problem started)")
                || t.contains("(impact started)")
                || t.contains("(outage started)")
                || starts(&[
                    "impact started",
                    "impact began",
                    "outage began",
                    "outage started",
                ]))
        {
            m.start = Some(i);
        }
        if m.detected.is_none() && starts(&["detection:", "detected:", "discovery:"]) {
            m.detected = Some(i);
        }
        if m.resolved.is_none()
            && (starts(&["recovery:", "resolved:", "resolution:"]) || t.contains("(resolved)"))
        {
            m.resolved = Some(i);
        }
    }
    m
}

/// The events from which `d` after them lands exactly on another event.
fn anchors(events: &[TimelineEvent], d: SignedDuration) -> Vec<usize> {
    let instants: Vec<Timestamp> = events.iter().filter_map(|e| e.at).collect();
    events
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.at.and_then(|at| at.checked_add(d).ok())
                .is_some_and(|end| instants.contains(&end))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The event the stated times to detect and recover are counted from: the
/// only one from which both land on events, else the only one from which
/// the time to detect lands on an event and the time to recover, counted
/// from that detection, on another; else the only one from which the time
/// to recover does, else the time to detect. `None` when no event or
/// several fit.
pub fn stats_anchor(
    events: &[TimelineEvent],
    ttd: Option<SignedDuration>,
    ttr: Option<SignedDuration>,
) -> Option<usize> {
    let by_ttr = ttr.map(|d| anchors(events, d));
    let by_ttd = ttd.filter(|d| !d.is_zero()).map(|d| anchors(events, d));
    let only = |v: Vec<usize>| (v.len() == 1).then(|| v.first().copied()).flatten();
    if let (Some(r), Some(d), Some(ttd), Some(ttr)) = (&by_ttr, &by_ttd, ttd, ttr) {
        let both: Vec<usize> = r.iter().copied().filter(|i| d.contains(i)).collect();
        if !both.is_empty() {
            return only(both);
        }
        let chained = anchors(events, ttd + ttr);
        let chained: Vec<usize> = d.iter().copied().filter(|i| chained.contains(i)).collect();
        if !chained.is_empty() {
            return only(chained);
        }
    }
    by_ttr.and_then(only).or_else(|| by_ttd.and_then(only))
}

/// The clock time between the first and the last event, walking the
/// events in order so that each step back in time is a new day.
pub fn span_of_times(events: &[TimelineEvent]) -> SignedDuration {
    events
        .windows(2)
        .fold(SignedDuration::ZERO, |acc, w| match w {
            [a, b] => acc + dates::clock_distance(a.time, b.time),
            _ => acc,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(text: &str, key: Option<MetaKey>) -> Statement {
        Statement {
            line: 4,
            source: "the summary".into(),
            text: text.into(),
            key,
        }
    }

    fn window(text: &str) -> (Option<Moment>, Option<Moment>, Option<SignedDuration>) {
        let s = stated(&[statement(text, None)], None, None);
        (
            s.start.map(|f| f.value),
            s.end.map(|f| f.value),
            s.duration.map(|f| f.value),
        )
    }

    #[test]
    fn a_range_with_a_date_and_a_zone() {
        let (start, end, d) = window("June 8, 2024, 03:00 AM to 06:00 AM UTC (3 hours)");
        let (start, end) = (start.unwrap(), end.unwrap());
        assert_eq!(
            start.instant(&TimeZone::UTC).unwrap().to_string(),
            "2024-06-08T03:00:00Z"
        );
        assert_eq!(
            end.instant(&TimeZone::UTC).unwrap().to_string(),
            "2024-06-08T06:00:00Z"
        );
        assert_eq!(
            start.zone,
            Some(TimeZone::UTC),
            "the zone at the end applies to the start too"
        );
        assert_eq!(d, Some(SignedDuration::from_hours(3)));
    }

    #[test]
    fn a_downtime_after_a_colon() {
        let (start, _, d) =
            window("Began around 22:47 UTC on 9 January 2025. Total downtime: 1h 12m.");
        assert_eq!(start.unwrap().time, Time::constant(22, 47, 0, 0));
        assert_eq!(d, Some(SignedDuration::from_mins(72)));
    }

    #[test]
    fn until_a_time_is_the_end() {
        let (start, end, _) = window(
            "Pods were OOMKilled and about 40% of uploads failed from 09:55 until the rollback finished at 10:23.",
        );
        assert_eq!(start.unwrap().time, Time::constant(9, 55, 0, 0));
        assert_eq!(end.unwrap().time, Time::constant(10, 23, 0, 0));
    }

    #[test]
    fn a_routine_start_is_not_the_impact() {
        let (start, _, _) = window(
            "The nightly reindex job started at 01:00 CET as usual. At 01:35 CET the indexer stopped accepting writes.",
        );
        assert_eq!(start.unwrap().time, Time::constant(1, 35, 0, 0));
    }

    #[test]
    fn a_range_under_a_key_outranks_prose() {
        let prose = statement("The certificate expired at 14:20 UTC.", None);
        let mut keyed = statement("14:20 to 15:41 UTC", Some(MetaKey::Duration));
        keyed.line = 9;
        let s = stated(&[prose, keyed], None, None);
        assert_eq!(s.end.unwrap().value.time, Time::constant(15, 41, 0, 0));
        // A start stated under its own key stands.
        let mut own = statement("14:10 UTC", Some(MetaKey::Start));
        own.line = 2;
        let mut keyed = statement("14:20 to 15:41 UTC", Some(MetaKey::Duration));
        keyed.line = 9;
        let s = stated(&[own, keyed], None, None);
        assert_eq!(s.start.unwrap().value.time, Time::constant(14, 10, 0, 0));
        assert!(s.end.is_none());
    }

    #[test]
    fn a_range_of_times_only_crossing_midnight() {
        let (start, end, _) = window("The site was down from 11:30 PM to 1:15 AM (UTC).");
        assert_eq!(
            (start.as_ref().unwrap().date, end.as_ref().unwrap().date),
            (None, None)
        );
        assert_eq!(end.unwrap().time, Time::constant(1, 15, 0, 0));
    }

    #[test]
    fn single_statements_and_durations() {
        let (start, end, d) = window("Errors began at 14:02 and the outage lasted 45 minutes.");
        assert_eq!(start.unwrap().time, Time::constant(14, 2, 0, 0));
        assert!(end.is_none());
        assert_eq!(d, Some(SignedDuration::from_mins(45)));
        let (s, e, _) = window("Service was restored at 3 PM.");
        assert!(s.is_none());
        assert_eq!(e.unwrap().time, Time::constant(15, 0, 0, 0));
        assert_eq!(
            window("We have 3 hours of runway and 2 servers."),
            (None, None, None)
        );
    }

    #[test]
    fn between_and() {
        let (s, e, _) = window("between 22:10 and 23:05 CET");
        assert_eq!((s.unwrap().time.hour(), e.unwrap().time.hour()), (22, 23));
        assert_eq!(window("at 10:00 and 11:00 we met").0, None);
    }

    #[test]
    fn stats_values() {
        assert_eq!(
            stat_duration("31 minutes"),
            Some(StatDuration::Value(SignedDuration::from_mins(31)))
        );
        assert_eq!(stat_duration("N/A"), Some(StatDuration::NotApplicable));
        assert_eq!(stat_duration("?"), None);
    }
}
