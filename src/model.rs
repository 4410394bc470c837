//! The incident model: plain data, no I/O. Everything the analysis and the
//! templates know about a postmortem is here, with the computed numbers of
//! DESIGN.md as methods. Unknown stays unknown (`None`).

use std::path::PathBuf;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

mod stored;

/// Where a postmortem is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written: left out of the site unless `--drafts`.
    Draft,
    /// Written, under review.
    Review,
    /// Done.
    Final,
}

impl Status {
    /// Every spelling [`Status::parse`] takes, in lower case.
    pub const SPELLINGS: [(&str, Status); 7] = [
        ("draft", Status::Draft),
        ("review", Status::Review),
        ("in-review", Status::Review),
        ("in review", Status::Review),
        ("final", Status::Final),
        ("published", Status::Final),
        ("done", Status::Final),
    ];

    /// Parses `draft`, `review` or `final`, ignoring case.
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim().to_ascii_lowercase();
        Status::SPELLINGS
            .iter()
            .find(|(name, _)| *name == s)
            .map(|&(_, status)| status)
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Final => "final",
        }
    }
}

/// The state of a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    /// Still to do.
    Open,
    /// Done.
    Done,
    /// Decided against.
    Wontfix,
}

impl ActionStatus {
    /// Every spelling [`ActionStatus::parse`] takes, in lower case with
    /// dashes (it reads `_` and spaces as dashes).
    pub const SPELLINGS: [(&str, ActionStatus); 16] = [
        ("open", ActionStatus::Open),
        ("todo", ActionStatus::Open),
        ("to-do", ActionStatus::Open),
        ("in-progress", ActionStatus::Open),
        ("pending", ActionStatus::Open),
        ("done", ActionStatus::Done),
        ("closed", ActionStatus::Done),
        ("complete", ActionStatus::Done),
        ("completed", ActionStatus::Done),
        ("fixed", ActionStatus::Done),
        ("wontfix", ActionStatus::Wontfix),
        ("won't-fix", ActionStatus::Wontfix),
        ("wont-fix", ActionStatus::Wontfix),
        ("won-t-fix", ActionStatus::Wontfix),
        ("rejected", ActionStatus::Wontfix),
        ("cancelled", ActionStatus::Wontfix),
    ];

    /// Parses a status, accepting the usual synonyms.
    pub fn parse(s: &str) -> Option<ActionStatus> {
        let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        ActionStatus::SPELLINGS
            .iter()
            .find(|(name, _)| *name == s)
            .map(|&(_, status)| status)
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Done => "done",
            ActionStatus::Wontfix => "wontfix",
        }
    }
}

/// How an incident page draws its timeline: `axis` (a time axis) or `flow`
/// (boxes and arrows down the page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimelineStyle {
    /// A horizontal time axis with the impact band and numbered events.
    #[default]
    Axis,
    /// One box per event down the page, with the lags between them.
    Flow,
}

impl TimelineStyle {
    /// Parses `axis` or `flow`, ignoring case.
    pub fn parse(s: &str) -> Option<TimelineStyle> {
        match s.trim().to_ascii_lowercase().as_str() {
            "axis" => Some(TimelineStyle::Axis),
            "flow" => Some(TimelineStyle::Flow),
            _ => None,
        }
    }
}

/// A follow-up action from a postmortem.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActionItem {
    /// What is to be done.
    pub title: String,
    /// Who owns it.
    pub owner: Option<String>,
    /// Open, done or won't fix.
    pub status: ActionStatus,
    /// When it is due.
    pub due: Option<Date>,
    /// Free-form priority (P1, high, ...).
    pub priority: Option<String>,
    /// A tracker link.
    pub url: Option<String>,
    /// When it was closed.
    pub closed: Option<Date>,
    /// The team that owns it, when the postmortem says (else the owner's
    /// team in site.toml `[owners]`).
    #[serde(default)]
    pub team: Option<String>,
}

impl ActionItem {
    /// Open and due before `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status == ActionStatus::Open && self.due.is_some_and(|due| due < today)
    }
}

/// One event of an incident's timeline.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimelineEvent {
    /// The instant, when the date is known.
    #[serde(with = "stored::optional_timestamp")]
    pub at: Option<Timestamp>,
    /// The time of day as written; midnight when `untimed`.
    pub time: Time,
    /// The event's text, Markdown.
    pub text: String,
    /// A lifecycle kind (detected, mitigated, ...), when given.
    pub kind: Option<String>,
    /// The 1-based source line, 0 when it came from front matter.
    pub line: usize,
    /// Written with a placeholder for its time (`--:--`, `HH:mm`, `14:??`)
    /// or with a date only: an entry whose time is unknown.
    #[serde(default)]
    pub untimed: bool,
}

/// Who and how much an incident hurt.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Impact {
    /// Share of users affected, 0 to 100.
    pub users_pct: Option<f64>,
    /// Impact in words.
    pub summary: Option<String>,
}

/// A heading of the body, for the table of contents.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    /// 2 to 6, after the body's headings are shifted under the page title.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The plain text.
    pub text: String,
}

/// A postmortem, parsed.
/// Serde gives the parse cache a copy on disk ([`stored`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Incident {
    /// URL-safe name from the file stem.
    pub slug: String,
    /// The source file, relative to the site root.
    pub source: PathBuf,
    /// Title.
    pub title: String,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Draft, review or final.
    pub status: Status,
    /// One of the site's severity levels, in the site's spelling.
    pub severity: Option<String>,
    /// Affected services, as written.
    pub services: Vec<String>,
    /// Root-cause categories, as written.
    pub causes: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// What set it off.
    pub trigger: Option<String>,
    /// How it was noticed.
    pub detection: Option<String>,
    /// Impact began.
    #[serde(with = "stored::optional_timestamp")]
    pub started: Option<Timestamp>,
    /// It was noticed.
    #[serde(with = "stored::optional_timestamp")]
    pub detected: Option<Timestamp>,
    /// Someone took it.
    #[serde(with = "stored::optional_timestamp")]
    pub acknowledged: Option<Timestamp>,
    /// Impact was reduced.
    #[serde(with = "stored::optional_timestamp")]
    pub mitigated: Option<Timestamp>,
    /// Impact ended.
    #[serde(with = "stored::optional_timestamp")]
    pub resolved: Option<Timestamp>,
    /// Duration known without the instants (times of day without a date).
    pub known_duration: Option<SignedDuration>,
    /// The clock the postmortem was written on: the file's `timezone`, else
    /// the offset written with `started`, else the site's zone. Timelines
    /// are read and shown in it.
    #[serde(with = "stored::zone")]
    pub timezone: TimeZone,
    /// Impact.
    pub impact: Impact,
    /// Follow-ups.
    pub actions: Vec<ActionItem>,
    /// Slugs of incidents named as related.
    pub related: Vec<String>,
    /// Timeline events, in the order written.
    pub timeline: Vec<TimelineEvent>,
    /// The body as HTML.
    pub body_html: String,
    /// The body's headings.
    pub toc: Vec<Heading>,
    /// The diagram style asked for in front matter (`timeline_style`).
    pub timeline_style: Option<TimelineStyle>,
    /// Any front matter key kb does not know, kept for templates.
    #[serde(with = "stored::extra")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn between(from: Option<Timestamp>, to: Option<Timestamp>) -> Option<SignedDuration> {
    Some(to?.duration_since(from?))
}

impl Incident {
    /// resolved - started; or the duration known from times of day alone.
    pub fn duration(&self) -> Option<SignedDuration> {
        between(self.started, self.resolved).or(self.known_duration)
    }

    /// detected - started.
    pub fn time_to_detect(&self) -> Option<SignedDuration> {
        between(self.started, self.detected)
    }

    /// acknowledged - detected.
    pub fn time_to_acknowledge(&self) -> Option<SignedDuration> {
        between(self.detected, self.acknowledged)
    }

    /// mitigated - started.
    pub fn time_to_mitigate(&self) -> Option<SignedDuration> {
        between(self.started, self.mitigated)
    }

    /// resolved - started.
    pub fn time_to_resolve(&self) -> Option<SignedDuration> {
        self.duration()
    }

    /// The [started, resolved) interval, when both are known.
    pub fn interval(&self) -> Option<(Timestamp, Timestamp)> {
        Some((self.started?, self.resolved?))
    }
}
