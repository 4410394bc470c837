//! Taxonomies: services, causes, tags, severities. Names are normalised
//! (case, spaces, underscores, dashes) to one slug; a registry in site.toml
//! may give display names and aliases (old names for the same thing).

use std::collections::{BTreeMap, HashMap};

use crate::content::slug::slugify;
use crate::model::Incident;

/// One term of a taxonomy and the incidents that carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The normalised name, used in URLs.
    pub slug: String,
    /// The name to show.
    pub name: String,
    /// Indices of the incidents (into the slice the taxonomy was built from).
    pub incidents: Vec<usize>,
}

/// A registry entry: the canonical key, a display name, aliases.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// The canonical name (the registry key).
    pub key: String,
    /// The display name, when the registry gives one.
    pub name: Option<String>,
    /// Other names that mean this term.
    pub aliases: Vec<String>,
}

/// Every term of one kind, sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// The terms.
    pub terms: Vec<Term>,
    index: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

impl Taxonomy {
    /// Groups `incidents` by the names `names` gives for each.
    pub fn build<F>(incidents: &[Incident], names: F, registry: &[Entry]) -> Taxonomy
    where
        F: Fn(&Incident) -> &[String],
    {
        let mut aliases = HashMap::new();
        let mut display = HashMap::new();
        for entry in registry {
            let slug = slugify(&entry.key);
            for alias in &entry.aliases {
                aliases.insert(slugify(alias), slug.clone());
            }
            display.insert(
                slug.clone(),
                entry.name.clone().unwrap_or_else(|| entry.key.clone()),
            );
        }
        let resolve = |written: &str| {
            let slug = slugify(written);
            aliases.get(&slug).cloned().unwrap_or(slug)
        };
        let mut grouped: BTreeMap<String, (Vec<usize>, BTreeMap<&str, usize>)> = BTreeMap::new();
        for (i, incident) in incidents.iter().enumerate() {
            for written in names(incident) {
                let slug = resolve(written);
                if slug.is_empty() {
                    continue;
                }
                let (list, spellings) = grouped.entry(slug).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
                *spellings.entry(written.as_str()).or_default() += 1;
            }
        }
        let terms: Vec<Term> = grouped
            .into_iter()
            .map(|(slug, (incidents, spellings))| {
                let name = display
                    .get(&slug)
                    .cloned()
                    .unwrap_or_else(|| most_used(&spellings));
                Term {
                    slug,
                    name,
                    incidents,
                }
            })
            .collect();
        let index = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        Taxonomy {
            terms,
            index,
            aliases,
        }
    }

    /// The slug a written name files under.
    pub fn slug_of(&self, written: &str) -> String {
        let slug = slugify(written);
        self.aliases.get(&slug).cloned().unwrap_or(slug)
    }

    /// The position in `terms` of the term a written name files under.
    pub fn index_of(&self, written: &str) -> Option<usize> {
        self.index.get(&self.slug_of(written)).copied()
    }

    /// The term a written name files under.
    pub fn term_of(&self, written: &str) -> Option<&Term> {
        self.index
            .get(&self.slug_of(written))
            .map(|&i| &self.terms[i])
    }
}

/// The spelling written most often; the first in order on a tie.
fn most_used(spellings: &BTreeMap<&str, usize>) -> String {
    let mut best: Option<(&str, usize)> = None;
    for (&name, &n) in spellings {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((name, n));
        }
    }
    best.map(|(n, _)| n.to_owned()).unwrap_or_default()
}
