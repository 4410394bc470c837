//! Timeline entries whose time is not known: a placeholder where the time
//! goes (`--:--`, `HH:mm`, `??:??`, `14:??`), a date alone, or a date
//! written wrong (`20202-01-16`). They are entries all the same: people
//! count them, and kb lists them, but places them nowhere in time.

use jiff::civil::Date;

/// An untimed entry of a timeline line or table row: the date when it is
/// a valid one, and the entry's text.
pub fn entry(line: &str) -> Option<(Option<Date>, String)> {
    let t = line.trim();
    if let Some(row) = t.strip_prefix('|') {
        return table_entry(row);
    }
    let t = super::text::list_item(t).map_or(t, |(_, rest)| rest);
    let t = t.trim_start_matches(['*', '_', '~', ' ']);
    let (date, used) = stamp(t)?;
    let rest = &t[used..];
    if !rest.starts_with([' ', ':', '*', '_', '-', '—', '–', '|']) {
        return None;
    }
    let text = rest.trim_start_matches([' ', ':', '*', '_', '-', '—', '–', '|']);
    described(text).map(|text| (date, text))
}

fn table_entry(row: &str) -> Option<(Option<Date>, String)> {
    let cells: Vec<&str> = row
        .trim_end()
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().trim_matches(['*', '_', '~']).trim())
        .collect();
    let (first, rest) = cells.split_first()?;
    let (date, used) = stamp(first)?;
    if used != first.len() {
        return None;
    }
    let text: Vec<&str> = rest.iter().copied().filter(|c| !c.is_empty()).collect();
    described(&text.join(" — ")).map(|text| (date, text))
}

/// Text that describes something: not empty, not a template's own words.
fn described(text: &str) -> Option<String> {
    let text = text.trim();
    let bare = text.trim_end_matches('.').to_lowercase();
    const TEMPLATE: [&str; 5] = [
        "short event description",
        "event description",
        "description of the event",
        "what happened",
        "...",
    ];
    (text.chars().any(char::is_alphanumeric) && !TEMPLATE.contains(&bare.as_str()))
        .then(|| text.to_owned())
}

/// An untimed stamp at the start of `s`: a date-like word, a time-like word
/// or both, where the time is a placeholder or missing or the date is not
/// a date. Returns the valid date, if any, and the bytes used.
fn stamp(s: &str) -> Option<(Option<Date>, usize)> {
    let word = |from: usize| {
        let rest = &s[from..];
        let len = rest.find([' ', '\t']).unwrap_or(rest.len());
        (&rest[..len], from + len)
    };
    let (first, end) = word(0);
    if date_like(first) {
        let after = s[end..].trim_start_matches([' ', '\t', 'T']);
        let at = s.len() - after.len();
        let (second, end2) = word(at);
        let date = valid_date(first);
        if !second.is_empty() && time_like(second) {
            let placeholder = date.is_none() || placeholder_time(second);
            return placeholder.then_some((date, end2));
        }
        return Some((date, end));
    }
    (time_like(first) && placeholder_time(first)).then_some((None, end))
}

fn date_like(w: &str) -> bool {
    (6..=14).contains(&w.len())
        && w.chars().filter(|c| matches!(c, '-' | '/')).count() >= 2
        && w.chars().any(|c| c.is_ascii_digit())
        && w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '?' | 'x' | 'X' | '-' | '/'))
}

fn time_like(w: &str) -> bool {
    let w = w.trim_end_matches([':', ',']);
    (4..=8).contains(&w.len())
        && w.contains([':', '.'])
        && w.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(c, '?' | 'x' | 'X' | 'h' | 'H' | 'm' | 'M' | ':' | '.' | '-')
        })
        && (w.chars().any(|c| c.is_ascii_alphanumeric() || c == '?') || w.starts_with("--"))
}

/// A time word with no real digits in some place: `HH:mm`, `14:??`, `--:--`.
fn placeholder_time(w: &str) -> bool {
    let w = w.trim_end_matches([':', ',']);
    w.split([':', '.'])
        .any(|part| part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()))
}

fn valid_date(w: &str) -> Option<Date> {
    let parts: Vec<&str> = w.split(['-', '/']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(line: &str) -> Option<(String, String)> {
        entry(line).map(|(d, t)| (d.map_or("-".into(), |d| d.to_string()), t))
    }

    #[test]
    fn placeholders_and_dates_alone_are_entries() {
        let row = |d: &str, t: &str| Some((d.to_owned(), t.to_owned()));
        assert_eq!(
            got("| 2019-12-03 --:--     | Surge of pods |"),
            row("2019-12-03", "Surge of pods")
        );
        assert_eq!(
            got("| 2022-05-?? HH:mm | Detected in May |"),
            row("-", "Detected in May")
        );
        assert_eq!(
            got("| 2021/22-??-?? HH:mm | Script run |"),
            row("-", "Script run")
        );
        assert_eq!(
            got("| 2024-03-13 14:?? | Scaled down |"),
            row("2024-03-13", "Scaled down")
        );
        assert_eq!(
            got("| 2021-12-17         | log4j 2.17 published |"),
            row("2021-12-17", "log4j 2.17 published")
        );
        assert_eq!(
            got("| 20202-01-16 12:00 | Cake was not copying |"),
            row("-", "Cake was not copying")
        );
        assert_eq!(
            got("| 2022-02-?? ??:?? | TBA: remains |"),
            row("-", "TBA: remains")
        );
        assert_eq!(got("- ??:?? - pager went off"), row("-", "pager went off"));
        assert_eq!(got("HH:MM: customer tweets"), row("-", "customer tweets"));
    }

    #[test]
    fn real_times_headers_and_templates_are_not() {
        assert_eq!(got("| 2024-03-13 HH:mm | Short event description. |"), None);
        assert_eq!(got("| 2024-03-13 10:01 | Node NotReady |"), None);
        assert_eq!(got("| Time | Event |"), None);
        assert_eq!(got("| :--- | --- |"), None);
        assert_eq!(got("10:45 deploy"), None);
        assert_eq!(got("| 2024-03-13 HH:mm |  |"), None);
    }
}
