//! `site.toml`: the site's settings. Every key is optional, so a folder with
//! only `content/` builds.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::git::forge::{Forge, Repo};
use crate::model::TimelineStyle;

/// The configuration file's name at the site root.
pub const FILE_NAME: &str = "site.toml";

/// The site's settings, as written in `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site title, in the header and the feed.
    pub title: String,
    /// One line about the site, for `<meta name="description">`.
    pub description: String,
    /// Absolute URL the site is published at, ending with `/`.
    pub base_url: String,
    /// Language of the pages (`lang` attribute).
    pub language: String,
    /// IANA zone for datetimes without offset and for local display.
    pub timezone: String,
    /// Severity levels, worst first.
    pub severities: Vec<String>,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// How many incidents the Atom feed holds.
    pub feed_limit: usize,
    /// Keep raw HTML in Markdown as written (else it is sanitised).
    pub unsafe_html: bool,
    /// Read postmortems through symbolic links that lead outside the site
    /// folder (refused by default, so a link cannot pull in any file of
    /// the machine).
    pub follow_symlinks_outside: bool,
    /// Canonical front matter key -> the name a corpus uses instead.
    pub fields: BTreeMap<String, String>,
    /// How to read a numeric date like `08/06/2024` in plain postmortems:
    /// day first or month first. Unset, only dates with one reading count.
    pub date_order: Option<DateOrder>,
    /// Registry of services.
    pub services: BTreeMap<String, ServiceEntry>,
    /// Registry of causes.
    pub causes: BTreeMap<String, CauseEntry>,
    /// Registry of action owners: their team.
    pub owners: BTreeMap<String, OwnerEntry>,
    /// What applies to every service without its own (`[defaults] slo`).
    pub defaults: Defaults,
    /// How many days after an incident another of the same cause (and
    /// service) counts as a fix that did not hold.
    pub remediation_window_days: u32,
    /// How incident pages draw their timeline: "axis" or "flow".
    pub timeline_style: TimelineStyle,
    /// The repository's web page (`https://github.com/acme/postmortems`):
    /// incident pages then link to "Edit this postmortem" and "History".
    pub repo_url: Option<String>,
    /// The branch those links point at.
    pub edit_branch: String,
    /// The forge's URL shapes, for a host whose name does not tell.
    pub repo_kind: Option<Forge>,
    /// Free values for templates.
    pub extra: toml::Table,
    /// `timezone`, parsed: a config with a name jiff does not know is
    /// refused by [`Config::parse`], so no caller meets an unknown zone.
    #[serde(skip)]
    zone: TimeZone,
}

/// The order of day and month in numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// `08/06/2024` is the 8th of June.
    Dmy,
    /// `08/06/2024` is August 6th.
    Mdy,
}

/// A service in the registry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceEntry {
    /// Display name.
    pub name: Option<String>,
    /// Owning team.
    pub team: Option<String>,
    /// Tier (1 = most critical).
    pub tier: Option<toml::Value>,
    /// What it does.
    pub description: Option<String>,
    /// Other names that mean this service.
    pub aliases: Vec<String>,
    /// Availability target, percent (`99.9`), strictly between 0 and 100.
    pub slo: Option<toml::Spanned<f64>>,
    /// The window the target holds over.
    pub slo_window: Option<SloWindow>,
    /// Whether the error budget counts plain or user-weighted downtime.
    pub slo_basis: Option<SloBasis>,
}

/// An action owner in the registry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OwnerEntry {
    /// The team the owner belongs to.
    pub team: Option<String>,
}

/// `[defaults]`: SLO settings for every service without its own.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Defaults {
    /// Availability target, percent.
    pub slo: Option<toml::Spanned<f64>>,
    /// The window the target holds over.
    pub slo_window: Option<SloWindow>,
    /// Plain or user-weighted downtime.
    pub slo_basis: Option<SloBasis>,
}

/// The window an availability target holds over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum SloWindow {
    /// Calendar quarters in the site's zone.
    #[default]
    #[serde(rename = "quarter")]
    Quarter,
    /// Calendar months in the site's zone.
    #[serde(rename = "month")]
    Month,
    /// 30-day windows back from the build time.
    #[serde(rename = "30d")]
    Rolling30d,
}

/// What an error budget counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SloBasis {
    /// Downtime: the union of the incidents' spans.
    #[default]
    Time,
    /// User-weighted downtime: each instant at the largest share hit.
    Users,
}

/// A service's SLO, with the defaults applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slo {
    /// Availability target, percent.
    pub target: f64,
    /// The window it holds over.
    pub window: SloWindow,
    /// Plain or user-weighted downtime.
    pub basis: SloBasis,
}

/// A root-cause category in the registry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CauseEntry {
    /// Display name.
    pub name: Option<String>,
    /// Group: software, infrastructure, process, third-party, ...
    pub group: Option<String>,
    /// What it means.
    pub description: Option<String>,
    /// Other names that mean this cause.
    pub aliases: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Incident knowledge base".into(),
            description: "Postmortems of our incidents: what happened, why, and what we changed."
                .into(),
            base_url: "/".into(),
            language: "en".into(),
            timezone: "UTC".into(),
            severities: ["SEV1", "SEV2", "SEV3", "SEV4"].map(String::from).to_vec(),
            theme: "default".into(),
            feed_limit: 50,
            unsafe_html: false,
            follow_symlinks_outside: false,
            fields: BTreeMap::new(),
            date_order: None,
            services: BTreeMap::new(),
            causes: BTreeMap::new(),
            owners: BTreeMap::new(),
            defaults: Defaults::default(),
            remediation_window_days: 180,
            timeline_style: TimelineStyle::Axis,
            repo_url: None,
            edit_branch: "main".into(),
            repo_kind: None,
            extra: toml::Table::new(),
            zone: TimeZone::UTC,
        }
    }
}

impl Config {
    /// Reads `site.toml` from `root`; the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, Path::new(FILE_NAME)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Diagnostic::error(
                Code::UnreadableFile,
                Path::new(FILE_NAME),
                format!("cannot read the file: {e}"),
            )),
        }
    }

    /// Parses the text of a `site.toml`; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostic> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let d = Diagnostic::error(Code::InvalidConfig, path, e.message().trim().to_owned());
            match e.span() {
                Some(span) => d.at_offset(text, span.start),
                None => d,
            }
        })?;
        if let Err(e) = check_base_url(&config.base_url) {
            let d = Diagnostic::error(Code::InvalidBaseUrl, path, e);
            return Err(match text.find("base_url") {
                Some(at) => d.at_offset(text, at),
                None => d,
            });
        }
        config.zone = TimeZone::get(&config.timezone).map_err(|_| {
            let message = format!(
                "unknown time zone `{}` (use an IANA name such as Europe/Berlin)",
                config.timezone
            );
            let d = Diagnostic::error(Code::UnknownTimezone, path, message);
            match text.find("timezone") {
                Some(at) => d.at_offset(text, at),
                None => d,
            }
        })?;
        check_slos(&config, text, path)?;
        if let Some(url) = &config.repo_url
            && config.repo().is_none()
        {
            let d = Diagnostic::error(
                Code::InvalidConfig,
                path,
                format!(
                    "cannot tell which forge {url} is: set repo_kind to \"github\", \"gitlab\" or \"gitea\""
                ),
            );
            return Err(match text.find("repo_url") {
                Some(at) => d.at_offset(text, at),
                None => d,
            });
        }
        Ok(config)
    }

    /// The repository incident pages link to, when `repo_url` is set and
    /// its forge is known.
    pub fn repo(&self) -> Option<Repo> {
        let url = self.repo_url.as_deref()?;
        let forge = self.repo_kind.or_else(|| Forge::of_url(url))?;
        Some(Repo::new(url, &self.edit_branch, forge))
    }

    /// The SLO of the service registered under `key`, with `[defaults]`
    /// filling what it does not say; `None` without a target. A service
    /// not in the registry gets the defaults.
    pub fn slo(&self, key: Option<&str>) -> Option<Slo> {
        let own = key.and_then(|k| self.services.get(k));
        let d = &self.defaults;
        let target = own
            .and_then(|s| s.slo.as_ref())
            .or(d.slo.as_ref())
            .map(|t| *t.get_ref())?;
        Some(Slo {
            target,
            window: own
                .and_then(|s| s.slo_window)
                .or(d.slo_window)
                .unwrap_or_default(),
            basis: own
                .and_then(|s| s.slo_basis)
                .or(d.slo_basis)
                .unwrap_or_default(),
        })
    }

    /// The site's zone (`timezone`, parsed when the file was read).
    pub fn time_zone(&self) -> &TimeZone {
        &self.zone
    }

    /// The name a corpus uses for canonical front matter `key`.
    pub fn field_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.fields.get(key).map_or(key, String::as_str)
    }

    /// `base_url` with a trailing slash.
    pub fn base_url(&self) -> String {
        with_trailing_slash(&self.base_url)
    }
}

/// Refuses an `slo` outside (0, 100), at its place in `site.toml`.
fn check_slos(config: &Config, text: &str, path: &Path) -> Result<(), Diagnostic> {
    let targets = config
        .services
        .values()
        .filter_map(|s| s.slo.as_ref())
        .chain(config.defaults.slo.as_ref());
    for slo in targets {
        let value = *slo.get_ref();
        if !(value > 0.0 && value < 100.0) {
            let d = Diagnostic::error(
                Code::InvalidConfig,
                path,
                format!(
                    "`slo` must be a percentage strictly between 0 and 100, such as 99.9; {value} is not"
                ),
            );
            return Err(d.at_offset(text, slo.span().start));
        }
    }
    Ok(())
}

/// Whether `url` can be the site's `base_url`: an `http` or `https` URL
/// with a host, or a path (`/`, `/kb/`). Anything else (`javascript:...`,
/// `data:`, `//host`, quotes or spaces) would be written into every
/// canonical link, the feed, the sitemap and robots.txt.
pub fn check_base_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    let refuse = |why: &str| {
        Err(format!(
            "`base_url` must be an http(s) URL such as https://incidents.example.com/ or a path such as /kb/; \"{}\" {why}",
            url.escape_debug()
        ))
    };
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`".contains(c))
    {
        return refuse("has a space, a quote, a backslash or a control character");
    }
    if let Some((scheme, rest)) = url.split_once("://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" if !host.is_empty() => Ok(()),
            "http" | "https" => refuse("has no host"),
            _ => refuse("is not http or https"),
        };
    }
    let first = url.split(['/', '?', '#']).next().unwrap_or_default();
    if first.contains(':') {
        return refuse("is a URL of another scheme");
    }
    if url.starts_with("//") {
        return refuse("names a host without a scheme");
    }
    Ok(())
}

/// `url` trimmed, ending with `/`.
pub fn with_trailing_slash(url: &str) -> String {
    let mut url = url.trim().to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

/// The path part of an absolute URL or a path ("/" or "/kb/"), ending with
/// `/`: what pages served at any depth (the 404 page) link from.
pub fn url_path(url: &str) -> String {
    let mut path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]).to_owned(),
        None if url.starts_with('/') => url.to_owned(),
        None => "/".to_owned(),
    };
    if !path.ends_with('/') {
        path.push('/');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_a_project_page() {
        let c = Config {
            base_url: "https://acme.example/kb".into(),
            ..Config::default()
        };
        assert_eq!(c.base_url(), "https://acme.example/kb/");
        assert_eq!(url_path(&c.base_url()), "/kb/");
        let root = Config {
            base_url: "https://acme.example".into(),
            ..Config::default()
        };
        assert_eq!(url_path(&root.base_url()), "/");
    }

    #[test]
    fn base_url_is_http_or_a_path() {
        for good in [
            "/",
            "/kb/",
            "",
            "kb/",
            "https://incidents.example.com/",
            "HTTP://127.0.0.1:1111/",
            "https://acme.example/kb?x#y",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        for bad in [
            "javascript:alert(1)//",
            "JavaScript:alert(1)",
            "data:text/html,x",
            "ftp://files.example/",
            "https:///nohost",
            "//evil.example/",
            "https://a.example/\"><script>",
            "https://a.example/ x",
            "https://a.example/\u{0}",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
        let err = Config::parse(
            "title = \"x\"\nbase_url = \"javascript:alert(1)//\"\n",
            Path::new("site.toml"),
        )
        .unwrap_err();
        assert_eq!(err.code, "invalid-base-url");
        assert_eq!(err.position.unwrap().line, 2);
    }

    #[test]
    fn config_error_has_a_position() {
        let err =
            Config::parse("title = \"x\"\nseverities = 3\n", Path::new("site.toml")).unwrap_err();
        assert_eq!(err.position.unwrap().line, 2);
    }

    #[test]
    fn date_order_is_dmy_or_mdy() {
        let c = Config::parse("date_order = \"dmy\"\n", Path::new("site.toml")).unwrap();
        assert_eq!(c.date_order, Some(DateOrder::Dmy));
        assert!(Config::parse("date_order = \"ymd\"\n", Path::new("site.toml")).is_err());
    }

    #[test]
    fn an_unknown_forge_needs_repo_kind() {
        let err = Config::parse(
            "repo_url = \"https://git.acme.example/pm\"\n",
            Path::new("site.toml"),
        )
        .unwrap_err();
        assert!(err.message.contains("repo_kind"), "{err}");
        let c = Config::parse(
            "repo_url = \"https://git.acme.example/pm\"\nrepo_kind = \"gitea\"\nedit_branch = \"trunk\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        let repo = c.repo().unwrap();
        assert_eq!((repo.forge, repo.branch.as_str()), (Forge::Gitea, "trunk"));
    }

    #[test]
    fn slo_settings_and_their_errors() {
        let text = "[defaults]\nslo = 99.0\n\n[services.api]\nslo = 99.9\nslo_window = \"30d\"\nslo_basis = \"users\"\n\n[services.web]\n";
        let c = Config::parse(text, Path::new("site.toml")).unwrap();
        let api = c.slo(Some("api")).unwrap();
        assert_eq!(
            (api.target, api.window, api.basis),
            (99.9, SloWindow::Rolling30d, SloBasis::Users)
        );
        let web = c.slo(Some("web")).unwrap();
        assert_eq!(
            (web.target, web.window, web.basis),
            (99.0, SloWindow::Quarter, SloBasis::Time)
        );
        assert_eq!(c.slo(None).map(|s| s.target), Some(99.0));
        let whole = Config::parse("[defaults]\nslo = 99\n", Path::new("site.toml")).unwrap();
        assert_eq!(whole.slo(None).map(|s| s.target), Some(99.0));
        assert_eq!(Config::default().slo(Some("api")), None);
        for (bad, line, col) in [
            ("[services.api]\nslo = 100\n", 2, 7),
            ("[services.api]\nname = \"API\"\nslo = -1.5\n", 3, 7),
            ("[defaults]\nslo = 0\n", 2, 7),
            ("[services.api]\nslo_window = \"week\"\n", 2, 14),
            ("[services.api]\nslo_basis = \"requests\"\n", 2, 13),
        ] {
            let err = Config::parse(bad, Path::new("site.toml")).unwrap_err();
            let at = err.position.clone().unwrap();
            assert_eq!(
                (err.code, at.line, at.column),
                (Code::InvalidConfig, line, col),
                "{bad}: {err}"
            );
            let why = if bad.contains("slo =") {
                "strictly between 0 and 100"
            } else {
                "unknown variant"
            };
            assert!(err.message.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn unknown_zone_is_an_error() {
        let err =
            Config::parse("timezone = \"Mars/Olympus\"\n", Path::new("site.toml")).unwrap_err();
        assert_eq!(err.code, Code::UnknownTimezone);
    }
}
