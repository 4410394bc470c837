//! Sections of a postmortem body, recognised by their heading text
//! (Summary, Impact, Timeline, Root Cause, ...), at the level of source lines
//! so that parsers of a section can report the lines they read.

/// The sections kb knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// Summary, Issue Summary.
    Summary,
    /// Impact.
    Impact,
    /// Timeline.
    Timeline,
    /// Root Cause(s).
    RootCause,
    /// Resolution.
    Resolution,
    /// Action Items, Corrective and Preventative Measures.
    Actions,
    /// Lessons Learned.
    Lessons,
}

/// A heading and the lines under it, up to the next heading of the same or
/// a higher level.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// The kind, when the heading names one.
    pub kind: Option<SectionKind>,
    /// The heading text.
    pub title: &'a str,
    /// Heading level: 1 to 6 for `#` headings, 7 for a bold or `Name:` line.
    pub level: usize,
    /// 0-based index of the heading line in the body.
    pub heading_line: usize,
    /// The section's lines (0-based body line index, text).
    pub lines: Vec<(usize, &'a str)>,
}

/// The kind a heading's text names, if any.
pub fn kind_of(title: &str) -> Option<SectionKind> {
    // A numbered heading ("5. Action items", "2) Impact") names its kind
    // after the number; "02:43 Resolution ..." is no number of a heading.
    let title = title.trim_start();
    let digits = title.bytes().take_while(u8::is_ascii_digit).count();
    let title = match title[digits..].strip_prefix(['.', ')']) {
        Some(rest) if (1..=2).contains(&digits) && rest.starts_with(' ') => rest,
        _ => title,
    };
    let words: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let norm = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| norm.starts_with(p));
    if starts(&[
        "summary",
        "issue summary",
        "incident summary",
        "executive summary",
        "overview",
        "tl dr",
        "tldr",
        "description",
        "what happened",
    ]) {
        Some(SectionKind::Summary)
    } else if starts(&["impact", "customer impact", "user impact"]) {
        Some(SectionKind::Impact)
    } else if starts(&[
        "timeline",
        "incident timeline",
        "detailed timeline",
        "chronology",
        "sequence of events",
    ]) {
        Some(SectionKind::Timeline)
    } else if starts(&[
        "root cause",
        "root causes",
        "cause",
        "causes",
        "contributing factors",
    ]) {
        Some(SectionKind::RootCause)
    } else if starts(&[
        "resolution",
        "recovery",
        "mitigation",
        "how did we fix",
        "how we fixed",
    ]) {
        Some(SectionKind::Resolution)
    } else if starts(&[
        "action item",
        "corrective",
        "preventative",
        "preventive",
        "prevention",
        "remediation",
        "follow up",
        "followup",
        "action plan",
        "next steps",
        "actions",
        "todo",
        "to do",
        "tasks",
        "what will we do",
        "what we will do",
        "what we will change",
        "what we are changing",
        "what we re changing",
        "changes we will make",
        "what we ll do",
        "how will we prevent",
        "how we will prevent",
    ]) {
        Some(SectionKind::Actions)
    } else if starts(&["lessons learned", "lessons", "learnings", "what went well"]) {
        Some(SectionKind::Lessons)
    } else {
        None
    }
}

/// The level and text of a heading line: an ATX heading (`## Impact`, and
/// `#Impact` as pasted documents write it), or a line that is only a known
/// section name in bold or followed by a colon (level 7).
fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim();
    let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && line.len() - line.trim_start().len() < 4 {
        let text = trimmed[hashes..].trim().trim_end_matches('#').trim();
        if text.chars().next().is_some_and(char::is_alphabetic)
            || trimmed[hashes..].starts_with(' ')
        {
            return Some((hashes, text));
        }
        return None;
    }
    let bare = trimmed
        .trim_matches(['*', '_'])
        .trim_end_matches(':')
        .trim_matches(['*', '_'])
        .trim();
    let decorated =
        trimmed.starts_with("**") || trimmed.starts_with("__") || trimmed.ends_with(':');
    if decorated && !bare.is_empty() && bare.len() < 60 && kind_of(bare).is_some() {
        return Some((7, bare));
    }
    // A known section name alone on its line, as plain documents write
    // headings: `Timeline`, `TIMELINE (all times UTC)`, `🕐 Timeline`,
    // `What will we do to prevent it?`.
    let named = bare.trim_start_matches(|c: char| !c.is_ascii() || c == ' ');
    // Most lines are prose, far longer: they are passed over without
    // scanning them for words.
    if named.len() > 60 {
        return None;
    }
    let core = named.split(" (").next().unwrap_or(named);
    let words = core.split_whitespace().count();
    let question = core.ends_with('?') && words <= 10;
    let sentence = core.ends_with(['.', ',', ';']) || core.contains(": ");
    ((words <= 4 || question) && !sentence && kind_of(named).is_some()).then_some((7, named))
}

/// Cuts `body` into its sections. Lines in fenced code never start one.
pub fn sections(body: &str) -> Vec<Section<'_>> {
    let lines: Vec<&str> = super::lines::lines(body).collect();
    let mut headings = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let marker = if super::timeline::one_line_code(t) {
            None
        } else if t.starts_with("```") {
            Some("```")
        } else if t.starts_with("~~~") {
            Some("~~~")
        } else {
            None
        };
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m => fence = None,
            (None, None) => {
                if let Some((level, title)) = heading(line) {
                    headings.push((i, level, title));
                }
            }
            _ => {}
        }
    }
    headings
        .iter()
        .enumerate()
        .map(|(h, &(start, level, title))| {
            let end = headings[h + 1..]
                .iter()
                .find(|&&(_, l, _)| l <= level)
                .map_or(lines.len(), |&(i, _, _)| i);
            Section {
                kind: kind_of(title),
                title,
                level,
                heading_line: start,
                lines: (start + 1..end).map(|i| (i, lines[i])).collect(),
            }
        })
        .collect()
}

/// The first section of `kind`.
pub fn find<'s, 'a>(sections: &'s [Section<'a>], kind: SectionKind) -> Option<&'s Section<'a>> {
    sections.iter().find(|s| s.kind == Some(kind))
}

/// The first paragraph of a section as plain text (Markdown marks removed).
pub fn first_paragraph(section: &Section<'_>) -> Option<String> {
    let mut text = Vec::new();
    for (_, line) in &section.lines {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            if text.is_empty() {
                continue;
            }
            break;
        }
        if t.starts_with(['|', '`', '<', '>']) || t.starts_with("- ") || t.starts_with("* ") {
            if text.is_empty() {
                continue;
            }
            break;
        }
        // A trailing backslash is a Markdown line break, not text.
        text.push(t.trim_end_matches('\\').trim_end());
    }
    let joined = text.join(" ");
    let plain: String = joined.chars().filter(|c| !matches!(c, '*' | '`')).collect();
    (!plain.is_empty()).then_some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_section_names() {
        assert_eq!(kind_of("Issue Summary"), Some(SectionKind::Summary));
        assert_eq!(kind_of("Root Causes"), Some(SectionKind::RootCause));
        assert_eq!(
            kind_of("Corrective and Preventative Measures"),
            Some(SectionKind::Actions)
        );
        assert_eq!(
            kind_of("Timeline (all times UTC)"),
            Some(SectionKind::Timeline)
        );
        assert_eq!(kind_of("Lessons Learned"), Some(SectionKind::Lessons));
        assert_eq!(kind_of("Appendix"), None);
        assert_eq!(kind_of("5. Action items"), Some(SectionKind::Actions));
        assert_eq!(kind_of("2) Impact"), Some(SectionKind::Impact));
        assert_eq!(kind_of("2024 in review"), None);
        assert_eq!(kind_of("02:43 Resolution working again"), None);
    }

    #[test]
    fn cuts_a_body_into_sections() {
        let body = "# Summary\nIt broke.\n\n## Timeline\n- 10:00 a\n```\n# not a heading\n```\n### Day 2\n- 11:00 b\n## Root Cause\nx\n";
        let s = sections(body);
        let t = find(&s, SectionKind::Timeline).unwrap();
        assert_eq!(t.lines.len(), 6, "{:?}", t.lines);
        assert_eq!(
            find(&s, SectionKind::RootCause).unwrap().lines,
            vec![(11, "x")]
        );
        assert_eq!(
            first_paragraph(find(&s, SectionKind::Summary).unwrap()).unwrap(),
            "It broke."
        );
    }

    #[test]
    fn plain_headings_alone_on_their_line() {
        let s = sections(
            "TIMELINE (all times UTC)\n10:02 x\n🕐 Impact\nslow\nWhat will we do to prevent it?\n- a\nThe timeline was long.\n",
        );
        let kinds: Vec<_> = s.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                Some(SectionKind::Timeline),
                Some(SectionKind::Impact),
                Some(SectionKind::Actions)
            ]
        );
    }

    #[test]
    fn pasted_headings_without_a_space() {
        let s = sections("#Issue Summary\nDuration: 3h\n#Timeline\n03:00 AM: x\n");
        assert_eq!(s[1].kind, Some(SectionKind::Timeline));
        assert_eq!(s[1].lines, vec![(3, "03:00 AM: x")]);
    }
}
