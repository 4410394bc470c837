//! The diagnostic codes: every kind of problem kb reports, each with its
//! stable name (`invalid-toml`, what `kb check` prints and tools match on),
//! whether it is an error or a warning, and its documentation, which is
//! the README's table word for word (a test holds them together).

use std::fmt;

use super::Severity;

/// Defines [`Code`] from one list: variant, name, severity, documentation.
macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $doc:literal;)*) => {
        /// A kind of problem, with a stable kebab-case name.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, errors first, in the README's order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The stable name: `invalid-toml`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            /// Whether a problem of this kind fails the build.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// What the code means, as the README's table says it.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Code::$variant => $doc,)*
                }
            }
        }
    };
}

codes! {
    EmptyFile = "empty-file", Error,
        "the file is empty or only whitespace (reported at 1:1)";
    NotUtf8 = "not-utf8", Error,
        "the file is not UTF-8 (points at the first bad byte)";
    FileTooLarge = "file-too-large", Error,
        "the file is over 10 MB; refused before it is read";
    UnreadableFile = "unreadable-file", Error,
        "the file or a folder cannot be read (permissions, a link to itself)";
    SymlinkLoop = "symlink-loop", Error,
        "a symbolic link in `content/` loops back to a folder above it";
    SymlinkOutsideSite = "symlink-outside-site", Error,
        "a symbolic link in `content/` leads outside the site folder; allow with `follow_symlinks_outside = true` in site.toml";
    UnterminatedFrontMatter = "unterminated-front-matter", Error,
        "`+++` or `---` on line 1 is never closed";
    InvalidToml = "invalid-toml", Error,
        "the TOML front matter does not parse (also: duplicate keys, nesting too deep, impossible dates such as 2024-02-30)";
    InvalidYaml = "invalid-yaml", Error,
        "the YAML front matter does not parse (also: tabs for indentation, duplicate keys, alias bombs, nesting too deep, not a mapping)";
    MissingTitle = "missing-title", Error,
        "an action item has no `title` (a front matter without `title` gets one inferred, with an `inferred` warning)";
    MissingField = "missing-field", Error,
        "a front matter `[[timeline]]` event has no `at`";
    WrongType = "wrong-type", Error,
        "a value has the wrong type (a string where a list belongs, ...)";
    InvalidDatetime = "invalid-datetime", Error,
        "a datetime that is not one (`2024-02-30 10:00`, year 99999, a date without a time)";
    InvalidDate = "invalid-date", Error,
        "an action's `due` or `closed` is not a date";
    ResolvedBeforeStarted = "resolved-before-started", Error,
        "`resolved` is before `started`: a negative duration; the message names both lines";
    NegativeInterval = "negative-interval", Error,
        "`detected` before `started`, `acknowledged` before `detected`, `mitigated` before `started`, or `resolved` before `detected`: a \"time to\" would be negative; the message names both lines";
    TooManyNames = "too-many-names", Error,
        "`services`, `causes` or `tags` names more than 200 (see [Limits](#limits))";
    TooManyEvents = "too-many-events", Error,
        "the timeline has more than 10,000 events; points at the first one past the limit";
    ContentNotAFolder = "content-not-a-folder", Error,
        "`content` is a file, not a folder";
    InvalidStatus = "invalid-status", Error,
        "`status` of the incident or of an action is not a known one";
    UnknownSeverity = "unknown-severity", Error,
        "`severity` is not one of site.toml's `severities`";
    UnknownTimezone = "unknown-timezone", Error,
        "`timezone` (front matter or site.toml) is not an IANA zone name";
    OutOfRange = "out-of-range", Error,
        "`impact.users_pct` is outside 0..100";
    InvalidTimelineStyle = "invalid-timeline-style", Error,
        "`timeline_style` is not `axis` or `flow`";
    DuplicateSlug = "duplicate-slug", Error,
        "two files make the same slug (`A B.md` and `a-b.md`)";
    InvalidConfig = "invalid-config", Error,
        "site.toml does not parse or has an unknown key";
    InvalidBaseUrl = "invalid-base-url", Error,
        "`base_url` (site.toml or `--base-url`) is not an http(s) URL or a path: `javascript:`, `data:`, `//host`, quotes or spaces would reach every canonical link, the feed, the sitemap and robots.txt";
    UnknownTheme = "unknown-theme", Error,
        "site.toml names a theme that has no `themes/NAME/` folder, or a name that is not a plain folder name";
    TemplateError = "template-error", Error,
        "a theme template does not parse or fails to render";
    TemplateOutOfFuel = "template-out-of-fuel", Error,
        "a theme template did more work than a page may (a loop inside a loop over everything): names the template; see [Limits](#limits)";
    OutputTooLarge = "output-too-large", Error,
        "a theme template made more than 256 MB for one file (1 MB for a row partial): names the template";
    NoContent = "no-content", Warning,
        "there is no `content/` folder";
    UnreadDocument = "unread-document", Warning,
        "a file in `content/` looks like a postmortem in another format (`.html`, `.htm`, `.docx`, `.doc`, `.odt`, `.rtf`, `.rst`, `.adoc`, `.asciidoc`, `.org`, `.textile`) and is not read: `kb import` it (HTML) or convert it to Markdown first";
    EmptyDate = "empty-date", Warning,
        "a front matter datetime (`started`, `resolved`, ...) is an empty string: it is unknown, and kb infers it from the body when the body states it";
    Contradiction = "contradiction", Warning,
        "two statements of a postmortem disagree (a stated duration and the start and end it is stated beside); the message names both lines, and which value kb kept";
    NoFrontMatter = "no-front-matter", Warning,
        "the file has no front matter; what kb knows was inferred from the text";
    Inferred = "inferred", Warning,
        "one fact kb inferred from the body (start, end, impact, cause, ...), at the line it came from: for a file without front matter, or what a file's front matter lacks (a title, the window, causes); `kb import` writes them out";
    MissingRecommendedField = "missing-recommended-field", Warning,
        "no `severity`, `services`, `causes`, `started`, `detected`, `resolved` or `summary` (check only)";
    UnknownService = "unknown-service", Warning,
        "a service is not in site.toml's `[services]` registry (keys and aliases count; only when the registry is not empty)";
    UnknownCause = "unknown-cause", Warning,
        "the same for `[causes]`";
    EventOutsideIncident = "event-outside-incident", Warning,
        "a timeline event is before `started` or after `resolved`";
    EventsOutOfOrder = "events-out-of-order", Warning,
        "a timeline event is earlier than the one written above it";
    ActionWithoutOwner = "action-without-owner", Warning,
        "an open action item has no `owner`";
    ActionWithoutDueDate = "action-without-due-date", Warning,
        "an open action item has no `due` date";
    ScriptUrl = "script-url", Warning,
        "an action item's `url` is a script URL (`javascript:` ...); pages show the action without the link";
    UnknownRelated = "unknown-related", Warning,
        "`related` names a slug no postmortem has (drafts count)";
    StartedInFuture = "started-in-future", Warning,
        "`started` is after the build time: usually a typo in the year";
    LongIncident = "long-incident", Warning,
        "`resolved` is more than 90 days after `started`: usually a typo in a year or month, which would count whole in downtime and availability";
}

impl Code {
    /// The code named `name`, when there is one.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shows the stable name, as users see it.
impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Codes sort by name, as a report lists them.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, name: &&str) -> bool {
        self.as_str() == *name
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kebab_case_and_distinct() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert!(names.iter().all(|n| {
            n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
        assert_eq!(Code::from_name("invalid-toml"), Some(Code::InvalidToml));
        assert_eq!(Code::from_name("no-such-code"), None);
        assert_eq!(Code::InvalidToml.severity(), Severity::Error);
        assert_eq!(Code::Inferred.severity(), Severity::Warning);
    }
}
