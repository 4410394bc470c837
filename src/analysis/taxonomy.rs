//! Taxonomies: services, causes, tags, severities. Names are normalised
//! (case, spaces, underscores, dashes) to one slug; a registry in site.toml
//! may give display names and aliases (old names for the same thing).

use std::sync::Arc;

use rustc_hash::FxHashMap;

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
    index: FxHashMap<String, usize>,
    aliases: FxHashMap<String, String>,
    /// Every name as written in the incidents, to its term: names repeat,
    /// so most look-ups need no slugify.
    written: FxHashMap<String, usize>,
}

/// One way a name was written, while a taxonomy is built.
struct Spelling<'a> {
    name: &'a str,
    /// How many times it was written.
    count: usize,
    /// The group of its slug; `None` when the slug is empty.
    group: Option<usize>,
}

impl Taxonomy {
    /// Groups `incidents` by the names `names` gives for each.
    pub fn build<F>(incidents: &[Arc<Incident>], names: F, registry: &[Entry]) -> Taxonomy
    where
        F: Fn(&Incident) -> &[String],
    {
        let (aliases, display) = registry_names(registry);
        let (spellings, mut groups) = group(incidents, names, &aliases);
        let names = most_used(&spellings, groups.len());
        // Terms in order of slug; `position[g]` is where group `g` went.
        let mut order: Vec<usize> = (0..groups.len()).collect();
        order.sort_unstable_by(|&a, &b| groups[a].0.cmp(&groups[b].0));
        let mut position = vec![0; groups.len()];
        for (p, &g) in order.iter().enumerate() {
            position[g] = p;
        }
        let terms: Vec<Term> = order
            .iter()
            .map(|&g| {
                let (slug, incidents) = std::mem::take(&mut groups[g]);
                let name = display
                    .get(&slug)
                    .cloned()
                    .unwrap_or_else(|| display_name(names[g]));
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
        let written = spellings
            .iter()
            .filter_map(|s| Some((s.name.to_owned(), position[s.group?])))
            .collect();
        Taxonomy {
            terms,
            index,
            aliases,
            written,
        }
    }

    /// The slug a written name files under.
    pub fn slug_of(&self, written: &str) -> String {
        match self.written.get(written) {
            Some(&i) => self.terms[i].slug.clone(),
            None => resolve(&self.aliases, written),
        }
    }

    /// The position in `terms` of the term a written name files under.
    pub fn index_of(&self, written: &str) -> Option<usize> {
        match self.written.get(written) {
            Some(&i) => Some(i),
            None => self.index.get(&resolve(&self.aliases, written)).copied(),
        }
    }

    /// The term a written name files under.
    pub fn term_of(&self, written: &str) -> Option<&Term> {
        self.index_of(written).map(|i| &self.terms[i])
    }
}

/// Words shown in capitals when a name is written as a slug.
const ACRONYMS: [&str; 24] = [
    "api", "apns", "aws", "cdn", "cpu", "db", "ddl", "dns", "gcp", "http", "https", "id", "jvm",
    "oom", "psp", "saml", "sms", "sql", "ssl", "sso", "tls", "ttl", "url", "wal",
];

/// The name to show for a name written as `written`: as written, unless it
/// is written as a slug (lower case, words joined by `-` or `_`), which
/// reads as words: `bad-deploy` is "Bad deploy", `orders-db` "Orders DB".
pub fn display_name(written: &str) -> String {
    let slug_like = written
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !slug_like || !written.starts_with(|c: char| c.is_ascii_lowercase()) {
        return written.to_owned();
    }
    let words: Vec<String> = written
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, w)| {
            if ACRONYMS.contains(&w) {
                w.to_ascii_uppercase()
            } else if i == 0 {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            } else {
                w.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

/// The registry's aliases (slug to its term's slug) and display names
/// (slug to name).
fn registry_names(registry: &[Entry]) -> (FxHashMap<String, String>, FxHashMap<String, String>) {
    let mut aliases = FxHashMap::default();
    let mut display = FxHashMap::default();
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
    (aliases, display)
}

/// Every spelling `names` gives for `incidents`, counted, and the groups
/// of incidents by slug, in order of first use.
fn group<'a, F>(
    incidents: &'a [Arc<Incident>],
    names: F,
    aliases: &FxHashMap<String, String>,
) -> (Vec<Spelling<'a>>, Vec<(String, Vec<usize>)>)
where
    F: Fn(&'a Incident) -> &'a [String],
{
    // Each spelling is slugified once, each slug grouped once.
    let mut spelling_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut spellings: Vec<Spelling<'_>> = Vec::new();
    let mut group_of: FxHashMap<String, usize> = FxHashMap::default();
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, incident) in incidents.iter().enumerate() {
        for written in names(incident) {
            let at = *spelling_of.entry(written).or_insert_with(|| {
                let slug = resolve(aliases, written);
                let group = (!slug.is_empty()).then(|| {
                    *group_of.entry(slug).or_insert_with_key(|slug| {
                        groups.push((slug.clone(), Vec::new()));
                        groups.len() - 1
                    })
                });
                spellings.push(Spelling {
                    name: written,
                    count: 0,
                    group,
                });
                spellings.len() - 1
            });
            let spelling = &mut spellings[at];
            spelling.count += 1;
            if let Some(g) = spelling.group {
                let list = &mut groups[g].1;
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    (spellings, groups)
}

/// The slug `written` files under: its own, or the term it is an alias of.
fn resolve(aliases: &FxHashMap<String, String>, written: &str) -> String {
    let slug = slugify(written);
    aliases.get(&slug).cloned().unwrap_or(slug)
}

/// For each of `groups` groups, the spelling written most often; the first
/// in alphabetical order on a tie.
fn most_used<'a>(spellings: &[Spelling<'a>], groups: usize) -> Vec<&'a str> {
    let mut best: Vec<Option<(&str, usize)>> = vec![None; groups];
    for s in spellings {
        let Some(g) = s.group else { continue };
        let better = best[g].is_none_or(|(name, n)| s.count > n || (s.count == n && s.name < name));
        if better {
            best[g] = Some((s.name, s.count));
        }
    }
    best.into_iter()
        .map(|b| b.map_or("", |(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(names: &[&str]) -> Incident {
        let mut incident = crate::analysis::related::tests::incident("x", None, &[], &[]);
        incident.services = names.iter().map(|s| (*s).to_owned()).collect();
        incident
    }

    #[test]
    fn slugs_read_as_words_and_other_spellings_stay_as_written() {
        assert_eq!(display_name("bad-deploy"), "Bad deploy");
        assert_eq!(display_name("orders-db"), "Orders DB");
        assert_eq!(display_name("api_gateway"), "API gateway");
        assert_eq!(display_name("checkout"), "Checkout");
        assert_eq!(display_name("Memory Leak"), "Memory Leak");
        assert_eq!(display_name("iOS app"), "iOS app");
        assert_eq!(display_name("k8s"), "K8s");
        assert_eq!(display_name("---"), "---");
    }

    #[test]
    fn spellings_of_one_name_are_one_term() {
        let incidents = [
            incident(&["Memory Leak", "memory_leak"]),
            incident(&["memory-leak", "---"]),
            incident(&["memory_leak", "DNS"]),
            incident(&["dns"]),
        ]
        .map(Arc::new);
        let t = Taxonomy::build(&incidents, |i| &i.services, &[]);
        let summary: Vec<(&str, &str, &[usize])> = t
            .terms
            .iter()
            .map(|t| (t.slug.as_str(), t.name.as_str(), t.incidents.as_slice()))
            .collect();
        // memory_leak is written twice, a slug, shown as words; DNS and
        // dns once each, and "DNS" comes first in order.
        assert_eq!(
            summary,
            [
                ("dns", "DNS", &[2, 3][..]),
                ("memory-leak", "Memory leak", &[0, 1, 2][..])
            ]
        );
        assert_eq!(t.index_of("MEMORY  LEAK"), Some(1));
        assert_eq!(t.slug_of("Memory Leak"), "memory-leak");
        assert_eq!(t.term_of("---"), None);
        assert_eq!(t.term_of("disk"), None);
    }

    #[test]
    fn aliases_file_under_the_registry_key() {
        let registry = [Entry {
            key: "bad-deploy".into(),
            name: Some("Bad deploy".into()),
            aliases: vec!["Faulty Release".into()],
        }];
        let incidents = [incident(&["faulty_release"]), incident(&["bad-deploy"])].map(Arc::new);
        let t = Taxonomy::build(&incidents, |i| &i.services, &registry);
        assert_eq!(t.terms.len(), 1);
        assert_eq!(t.terms[0].name, "Bad deploy");
        assert_eq!(t.terms[0].incidents, [0, 1]);
        assert_eq!(t.slug_of("faulty release"), "bad-deploy");
        assert_eq!(t.index_of("FAULTY-RELEASE"), Some(0));
    }
}
