//! Scores what kb reads from postmortems against the facts a careful human
//! read from them, kept in a TSV under `tests/corpora/`: start, end,
//! duration, users affected, timeline entries, action items. A fact is
//! right when it equals the human's; unknown is right only when the human
//! found nothing either; a value where the human found none is invented.

#![allow(dead_code)]

use std::fmt;
use std::path::Path;

use kb::model::Incident;

/// The facts scored, in TSV column order.
pub const FACTS: [&str; 6] = [
    "started",
    "resolved",
    "duration",
    "users_pct",
    "timeline",
    "actions",
];

/// One document's facts as text, `None` when unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// The file name's start the row is for.
    pub file: String,
    pub values: [Option<String>; 6],
}

/// Reads a facts TSV: `#` lines are comments, the first other line names
/// the columns, `-` is unknown.
pub fn read_tsv(path: &Path) -> Vec<Facts> {
    let text = std::fs::read_to_string(path).expect("the facts TSV");
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty());
    let header: Vec<&str> = lines.next().expect("a header").split('\t').collect();
    assert_eq!(&header[1..7], FACTS, "columns of {}", path.display());
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert!(cells.len() >= 7, "short row in {}: {l}", path.display());
            let value = |i: usize| (cells[i] != "-").then(|| cells[i].to_owned());
            Facts {
                file: cells[0].to_owned(),
                values: std::array::from_fn(|i| value(i + 1)),
            }
        })
        .collect()
}

/// What kb read from `i`, in the TSV's terms.
pub fn of_incident(file: &str, i: &Incident) -> Facts {
    let count = |n: usize| (n > 0).then(|| n.to_string());
    Facts {
        file: file.to_owned(),
        values: [
            i.started.map(|t| t.to_string()),
            i.resolved.map(|t| t.to_string()),
            i.duration().map(|d| (d.as_secs() / 60).to_string()),
            i.impact.users_pct.map(|p| p.to_string()),
            count(i.timeline.len()),
            count(i.actions.len()),
        ],
    }
}

/// A corpus's score.
#[derive(Debug, Default)]
pub struct Score {
    /// Facts scored (documents x 6).
    pub facts: usize,
    /// Facts equal to the human's, unknowns included.
    pub right: usize,
    /// Facts the human found.
    pub found: usize,
    /// Of those, the ones kb got right.
    pub found_right: usize,
    /// Values kb gave where the human found none.
    pub invented: usize,
    /// Every wrong fact: file, fact, human's, kb's.
    pub misses: Vec<(String, &'static str, String, String)>,
}

impl Score {
    /// Scores `got` against `human`, matched by file.
    pub fn of(human: &[Facts], got: &[Facts]) -> Score {
        let mut score = Score::default();
        for h in human {
            let k = got
                .iter()
                .find(|g| g.file == h.file)
                .unwrap_or_else(|| panic!("kb gave no incident for {}", h.file));
            for (n, (want, have)) in h.values.iter().zip(&k.values).enumerate() {
                score.facts += 1;
                score.found += usize::from(want.is_some());
                if want == have {
                    score.right += 1;
                    score.found_right += usize::from(want.is_some());
                    continue;
                }
                score.invented += usize::from(want.is_none());
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                score
                    .misses
                    .push((h.file.clone(), FACTS[n], show(want), show(have)));
            }
        }
        score
    }

    /// Right facts as a share of all facts.
    pub fn ratio(&self) -> f64 {
        self.right as f64 / self.facts as f64
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} of {} facts right ({:.1} %); of the {} facts a human found, {} right ({:.1} %); {} invented",
            self.right,
            self.facts,
            100.0 * self.ratio(),
            self.found,
            self.found_right,
            100.0 * self.found_right as f64 / self.found.max(1) as f64,
            self.invented
        )?;
        for (file, fact, want, have) in &self.misses {
            writeln!(f, "  {file} {fact}: human {want}, kb {have}")?;
        }
        Ok(())
    }
}
