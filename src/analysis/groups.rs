//! The kinds of terms incidents are grouped by ([`TermKind`]), and the two
//! groupings that are not taxonomies of written names: by the year an
//! incident started in (in the site's zone) and by severity level.

use std::sync::Arc;

use jiff::tz::TimeZone;

use super::taxonomy::Term;
use crate::content::slug::slugify;
use crate::model::Incident;

/// What a term names: each kind has pages of its own (`/services/NAME/`,
/// `/years/2024/`, ...). Code that treats the kinds apart matches on this,
/// every kind spelled out, so a new kind cannot fall into another's branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// An affected service (`services` in front matter).
    Service,
    /// A root-cause category (`causes`).
    Cause,
    /// A free tag (`tags`).
    Tag,
    /// A severity level of site.toml's `severities`.
    Severity,
    /// The year an incident started in, in the site's zone.
    Year,
}

impl TermKind {
    /// The first segment of its pages' URLs: `services`, `causes`, `tags`,
    /// `severity`, `years`.
    pub fn section(self) -> &'static str {
        match self {
            TermKind::Service => "services",
            TermKind::Cause => "causes",
            TermKind::Tag => "tags",
            TermKind::Severity => "severity",
            TermKind::Year => "years",
        }
    }

    /// The names of this kind as written in `incident`'s front matter;
    /// none for severities and years, which are not written as names.
    pub fn names_in(self, incident: &Incident) -> &[String] {
        match self {
            TermKind::Service => &incident.services,
            TermKind::Cause => &incident.causes,
            TermKind::Tag => &incident.tags,
            TermKind::Severity | TermKind::Year => &[],
        }
    }

    /// Whether the kind's terms have numbers of their own (downtime,
    /// availability, recurrences): services and causes.
    pub fn is_measured(self) -> bool {
        match self {
            TermKind::Service | TermKind::Cause => true,
            TermKind::Tag | TermKind::Severity | TermKind::Year => false,
        }
    }

    /// What one term of the kind is called in a sentence: `service`, ...
    pub fn noun(self) -> &'static str {
        match self {
            TermKind::Service => "service",
            TermKind::Cause => "cause",
            TermKind::Tag => "tag",
            TermKind::Severity => "severity",
            TermKind::Year => "year",
        }
    }
}

/// The years incidents started in, oldest first, each with its incidents
/// in order of start; incidents without a start are in none.
pub fn by_year(incidents: &[Arc<Incident>], zone: &TimeZone) -> Vec<Term> {
    let mut years: Vec<(i16, Vec<usize>)> = Vec::new();
    for (i, incident) in incidents.iter().enumerate() {
        let Some(started) = incident.started else {
            continue;
        };
        let year = started.to_zoned_datetime(zone.clone()).year();
        match years.iter_mut().find(|(y, _)| *y == year) {
            Some((_, members)) => members.push(i),
            None => years.push((year, vec![i])),
        }
    }
    years
        .into_iter()
        .map(|(year, incidents)| Term {
            slug: year.to_string(),
            name: year.to_string(),
            incidents,
        })
        .collect()
}

/// The severity levels of `levels` (worst first) that some incident has,
/// each with its incidents; a level not in `levels` is in none.
pub fn by_severity(incidents: &[Arc<Incident>], levels: &[String]) -> Vec<Term> {
    levels
        .iter()
        .filter_map(|level| {
            let members: Vec<usize> = (0..incidents.len())
                .filter(|&i| incidents[i].severity.as_deref() == Some(level.as_str()))
                .collect();
            (!members.is_empty()).then(|| Term {
                slug: slugify(level),
                name: level.clone(),
                incidents: members,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::related::tests::incident;

    fn at(text: &str) -> Option<i64> {
        Some(text.parse::<jiff::Timestamp>().unwrap().as_second())
    }

    #[test]
    fn years_follow_the_site_zone() {
        let mut a = incident("a", at("2023-12-31T23:30:00Z"), &[], &[]);
        let mut b = incident("b", at("2024-06-01T10:00:00Z"), &[], &[]);
        let c = incident("c", None, &[], &[]);
        a.severity = Some("SEV2".into());
        b.severity = Some("SEV9".into());
        let incidents = [a, b, c].map(Arc::new);
        // 23:30 UTC on New Year's Eve is already 2024 in Berlin (UTC+1).
        let utc: Vec<_> = by_year(&incidents, &TimeZone::UTC);
        assert_eq!(
            utc.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(),
            ["2023", "2024"]
        );
        let berlin = by_year(&incidents, &TimeZone::get("Europe/Berlin").unwrap());
        assert_eq!(berlin.len(), 1);
        assert_eq!(berlin[0].incidents, [0, 1]);
        let levels = ["SEV1", "SEV2"].map(String::from);
        let severities = by_severity(&incidents, &levels);
        assert_eq!(
            severities.len(),
            1,
            "SEV1 has no incident, SEV9 is no level"
        );
        assert_eq!(
            (severities[0].slug.as_str(), &severities[0].incidents[..]),
            ("sev2", &[0][..])
        );
    }
}
