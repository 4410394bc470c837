//! Fingerprints of what each output file is made from, so that a build can
//! leave alone a file whose fingerprint the last build into the same
//! folder recorded (see `site::build_to`). A fingerprint hashes the site's
//! settings and every template (what any page may read), then what the
//! page itself reads: its incidents (with the names of their terms), the
//! analysis it shows of them, and the build's date when the page depends
//! on it. Only an incident's own page and the search index show a
//! postmortem's body: every other page reads an incident's facts (all but
//! its body's HTML and headings), so that an edit of the prose re-renders
//! no list. A new page that shows a body must read incidents whole. The hash is stable within one build of kb; the
//! record of the last build is kept only for the same build (see
//! `cmd::cache_file`).

use std::hash::Hasher as _;
use std::io;

use rayon::prelude::*;
use serde::Serialize;

use super::RenderInput;
use super::views::term_links;
use crate::analysis::TermKind;
use crate::model::Incident;

/// A hash being made: everything written to it counts, in order.
pub struct Hasher(std::hash::DefaultHasher);

impl Hasher {
    /// A hash of nothing yet.
    pub fn new() -> Hasher {
        Hasher(std::hash::DefaultHasher::new())
    }

    /// Adds `bytes`, then their length (so that two pieces never read as
    /// one).
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.0.write(bytes);
        self.0.write_usize(bytes.len());
        self
    }

    /// Adds a number.
    pub fn number(&mut self, n: u64) -> &mut Hasher {
        self.0.write_u64(n);
        self
    }

    /// Adds `value` as JSON.
    pub fn json(&mut self, value: &impl Serialize) -> &mut Hasher {
        // Writing into a hash cannot fail; a value that does not serialize
        // is hashed as what was written of it, then its error.
        if let Err(e) = serde_json::to_writer(&mut *self, value) {
            self.bytes(e.to_string().as_bytes());
        }
        self
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

impl io::Write for Hasher {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The hashes a page's fingerprint is made of.
pub struct SiteHashes {
    /// Site settings, base URL and every template and static file.
    pub global: u64,
    /// Each incident's facts (all but its body), with its terms' names
    /// and pages, by number.
    pub facts: Vec<u64>,
    /// Each incident whole: its facts and its body.
    pub whole: Vec<u64>,
    /// Every incident's facts, in order.
    pub all: u64,
    /// Every incident whole, in order.
    pub all_whole: u64,
    /// The build's date in the site's zone.
    pub today: String,
}

impl SiteHashes {
    /// The hashes of `input`'s site.
    pub fn new(input: &RenderInput<'_>) -> SiteHashes {
        let mut global = Hasher::new();
        global
            .bytes(format!("{:?}", input.config).as_bytes())
            .bytes(input.base_url.as_bytes());
        for (name, source) in &input.theme.templates {
            global.bytes(name.as_bytes()).bytes(source.as_bytes());
        }
        for (name, bytes) in &input.theme.statics {
            global.bytes(name.as_bytes()).bytes(bytes);
        }
        let (facts, whole): (Vec<u64>, Vec<u64>) = (0..input.incidents.len())
            .into_par_iter()
            .map(|i| incident_hashes(input, i))
            .unzip();
        let of_all = |hashes: &[u64]| {
            let mut all = Hasher::new();
            for h in hashes {
                all.number(*h);
            }
            all.finish()
        };
        SiteHashes {
            global: global.finish(),
            all: of_all(&facts),
            all_whole: of_all(&whole),
            facts,
            whole,
            today: input.today().to_string(),
        }
    }

    /// A hash started with the site's settings and `path`.
    pub fn start(&self, path: &str) -> Hasher {
        let mut h = Hasher::new();
        h.number(self.global).bytes(path.as_bytes());
        h
    }

    /// Adds the facts of the incidents `members`, in order, to `h`.
    pub fn members(&self, h: &mut Hasher, members: &[usize]) {
        h.number(members.len() as u64);
        for &i in members {
            h.number(self.facts[i]);
        }
    }
}

/// The hashes of incident `i`'s facts (the incident without its body's
/// HTML and headings, with its terms as the pages name and link them: a
/// term's name comes from the whole site) and of it whole.
fn incident_hashes(input: &RenderInput<'_>, i: usize) -> (u64, u64) {
    let incident = &input.incidents[i];
    let facts = Incident {
        body_html: String::new(),
        toc: Vec::new(),
        ..Incident::clone(incident)
    };
    let mut h = Hasher::new();
    if postcard::to_io(&facts, &mut h).is_err() {
        h.json(&facts);
    }
    let a = input.analysis;
    for (kind, names) in [
        (TermKind::Service, &incident.services),
        (TermKind::Cause, &incident.causes),
        (TermKind::Tag, &incident.tags),
    ] {
        h.json(&term_links(names, a, kind));
    }
    let facts_hash = h.finish();
    let mut whole = Hasher::new();
    whole
        .number(facts_hash)
        .bytes(incident.body_html.as_bytes())
        .json(&incident.toc);
    (facts_hash, whole.finish())
}
