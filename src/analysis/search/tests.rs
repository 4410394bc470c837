use std::collections::BTreeMap;

use super::*;

fn value(slug: &str) -> FacetValue {
    FacetValue {
        slug: slug.to_owned(),
        name: slug.to_owned(),
    }
}

fn doc(
    title: &str,
    services: &[&str],
    causes: &[&str],
    severity: &str,
    year: i16,
    body: &str,
) -> SearchDoc<'static> {
    SearchDoc {
        title: title.to_owned(),
        path: format!("incidents/{}/", text::fold(title).replace(' ', "-")),
        date: Some(format!("{year}-01-01")),
        year: Some(year),
        severity: Some(FacetValue {
            slug: severity.to_lowercase(),
            name: severity.to_owned(),
        }),
        duration: Some("1 h".to_owned()),
        services: services.iter().map(|s| value(s)).collect(),
        causes: causes.iter().map(|s| value(s)).collect(),
        labels: vec![],
        summary: String::new(),
        body_html: body.to_owned().into(),
    }
}

fn files_of(docs: &[SearchDoc]) -> BTreeMap<String, serde_json::Value> {
    let levels: Vec<String> = ["SEV1", "SEV2", "SEV3"].map(String::from).to_vec();
    build(docs, &levels)
        .into_iter()
        .map(|(path, bytes)| (path, serde_json::from_slice(&bytes).expect("valid JSON")))
        .collect()
}

/// Decodes a posting string back to `(doc, impact)`, as search.js does.
fn decode(postings: &str) -> Vec<(u32, u8)> {
    let digit = |c: u8| {
        encode::ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("alphabet") as u32
    };
    let bytes = postings.as_bytes();
    let (mut out, mut i, mut next) = (Vec::new(), 0, 0);
    while i < bytes.len() {
        let (mut gap, mut shift) = (0, 0);
        loop {
            let d = digit(bytes[i]);
            i += 1;
            gap |= (d & 31) << shift;
            shift += 5;
            if d < 32 {
                break;
            }
        }
        let doc = next + gap;
        out.push((doc, digit(bytes[i]) as u8));
        i += 1;
        next = doc + 1;
    }
    out
}

/// Every term of every shard with its postings.
fn all_terms(files: &BTreeMap<String, serde_json::Value>) -> BTreeMap<String, Vec<(u32, u8)>> {
    let mut out = BTreeMap::new();
    for (path, value) in files {
        if path.starts_with("search/terms/") {
            for (term, postings) in value.as_object().expect("shard is an object") {
                out.insert(term.clone(), decode(postings.as_str().expect("string")));
            }
        }
    }
    out
}

#[test]
fn terms_are_folded_stemmed_stems_and_weighted_by_field() {
    let docs = [
        doc(
            "Memory leak in the web server",
            &["storefront"],
            &["memory-leak"],
            "SEV1",
            2024,
            "Servers crashed.",
        ),
        doc(
            "Certificate expired",
            &["cdn"],
            &["expired-cert"],
            "SEV2",
            2025,
            "A memory graph looked fine. Café.",
        ),
    ];
    let files = files_of(&docs);
    let terms = all_terms(&files);
    assert!(
        terms.contains_key("memori") && terms.contains_key("leak") && terms.contains_key("cafe")
    );
    assert!(!terms.contains_key("the"), "stop words are not indexed");
    assert_eq!(
        terms["server"].iter().map(|p| p.0).collect::<Vec<_>>(),
        [0],
        "server and servers share a stem"
    );
    let memory = &terms["memori"];
    assert_eq!(memory.len(), 2);
    // Title and cause outweigh one mention in the body.
    assert!(memory[0].1 > memory[1].1, "{memory:?}");
    assert!(
        memory
            .iter()
            .all(|p| (1..=encode::MAX_IMPACT).contains(&p.1))
    );
}

#[test]
fn pairs_index_adjacent_terms_within_a_field() {
    let docs = [doc(
        "Memory leak",
        &[],
        &[],
        "SEV1",
        2024,
        "the leak of memory",
    )];
    let files = files_of(&docs);
    let pairs: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.starts_with("search/pairs/"))
        .flat_map(|(_, v)| v.as_object().expect("object").keys().cloned())
        .collect();
    // "of" is a stop word, so "leak of memory" pairs leak with memori.
    assert_eq!(pairs, ["leak memori", "memori leak"]);
}

#[test]
fn manifest_facets_and_cards() {
    let docs = [
        doc(
            "A",
            &["checkout", "payments"],
            &["bad-deploy"],
            "SEV2",
            2025,
            "",
        ),
        doc("B", &["payments"], &[], "SEV1", 2024, "body text"),
    ];
    let files = files_of(&docs);
    let manifest = &files["search/manifest.json"];
    assert_eq!(manifest["docs"], 2);
    let facets = manifest["facets"].as_array().expect("facets");
    let keys: Vec<&str> = facets
        .iter()
        .map(|f| f["key"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(keys, ["service", "cause", "severity", "year"]);
    assert_eq!(
        facets[0]["values"],
        serde_json::json!([["checkout", "checkout"], ["payments", "payments"]])
    );
    assert_eq!(
        facets[2]["values"],
        serde_json::json!([["sev1", "SEV1"], ["sev2", "SEV2"]]),
        "in the site's order"
    );
    assert_eq!(
        facets[3]["values"],
        serde_json::json!([["2025", "2025"], ["2024", "2024"]]),
        "newest first"
    );
    let columns = &files["search/facets.json"];
    // Doc 0: services 0 and 1 ("0" + 32 = "W": another follows), cause 0;
    // doc 1: service 1, no cause (".").
    assert_eq!(columns["service"], "W11");
    assert_eq!(columns["cause"], "0.");
    // Severity ids + 1 (SEV1 1, SEV2 2) plus 3 times year ids + 1 (2025 1, 2024 2):
    // doc 0 is SEV2 in 2025, 2 + 3 * 1 = 5; doc 1 is SEV1 in 2024, 1 + 3 * 2 = 7.
    assert_eq!(columns["single"], "57");
    assert_eq!(manifest["cards"], cards::PER_FILE);
    assert_eq!(
        files["search/cards/0.json"],
        serde_json::json!([
            ["A", "incidents/a/", "2025-01-01", "1 h", "", []],
            ["B", "incidents/b/", "2024-01-01", "1 h", "body text", []]
        ])
    );
    let version = manifest["version"].as_str().expect("version");
    assert_eq!(version.len(), 12);
}

#[test]
fn shards_split_a_large_vocabulary_and_cover_it_in_order() {
    // 400 documents with distinct words: far more than one shard's budget.
    let docs: Vec<SearchDoc> = (0..400)
        .map(|i| {
            doc(
                &format!("Incident {i}"),
                &[],
                &[],
                "SEV3",
                2024,
                &format!("word{i} alpha{i} beta{i} gamma{i} common"),
            )
        })
        .collect();
    let files = files_of(&docs);
    let bounds: Vec<String> =
        serde_json::from_value(files["search/manifest.json"]["terms"].clone()).expect("bounds");
    assert!(bounds.len() > 1, "split into {} shards", bounds.len());
    assert_eq!(bounds[0], "");
    let mut sorted = bounds.clone();
    sorted.sort();
    assert_eq!(bounds, sorted, "shards are in term order");
    for (n, bound) in bounds.iter().enumerate() {
        let shard = files[&format!("search/terms/{n}.json")]
            .as_object()
            .expect("shard");
        let serialised = serde_json::to_vec(shard).expect("json").len();
        assert!(
            serialised <= TERM_SHARD_BYTES || shard.len() == 1,
            "shard {n} has {serialised} bytes"
        );
        assert!(
            shard.keys().all(|k| k >= bound),
            "no term of shard {n} is below its bound {bound:?}"
        );
        if let Some(next) = bounds.get(n + 1) {
            assert!(
                shard.keys().all(|k| k < next),
                "a term is in the last shard whose bound is not above it"
            );
        }
    }
    let terms = all_terms(&files);
    assert_eq!(terms["common"].len(), 400);
    assert_eq!(terms["word399"], [(399, terms["word399"][0].1)]);
    let deterministic = files_of(&docs);
    assert_eq!(files, deterministic);
}

#[test]
fn cards_come_many_to_a_file_not_one_file_per_incident() {
    let docs: Vec<SearchDoc> = (0..1000)
        .map(|i| {
            doc(
                &format!("Incident {i}"),
                &["api"],
                &[],
                "SEV2",
                2024,
                "text",
            )
        })
        .collect();
    let files = files_of(&docs);
    let card_files: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("search/cards/"))
        .collect();
    assert_eq!(card_files.len(), 1000_usize.div_ceil(cards::PER_FILE));
    // Creating files is what costs: the whole index stays far below one file per incident.
    assert!(
        files.len() * 10 < docs.len(),
        "{} index files for {} incidents",
        files.len(),
        docs.len()
    );
    let last = &files[&format!("search/cards/{}.json", 999 / cards::PER_FILE)];
    let card = &last[999 % cards::PER_FILE];
    assert_eq!(card[0], "Incident 999", "card N of a file is doc N");
}

#[test]
fn snippets_are_cut_after_a_word() {
    assert_eq!(cards::snippet("  short text "), "short text");
    let long = "word ".repeat(100);
    let cut = cards::snippet(&long);
    assert!(cut.ends_with("word …"), "{cut}");
    assert!(cut.chars().count() <= cards::SNIPPET_CHARS + 2, "{cut}");
    let sentence = format!("{}, and more", "a".repeat(cards::SNIPPET_CHARS - 1));
    assert_eq!(
        cards::snippet(&sentence),
        format!("{} …", "a".repeat(cards::SNIPPET_CHARS - 1)),
        "punctuation before the cut goes"
    );
    let one_word = "x".repeat(cards::SNIPPET_CHARS * 2);
    assert_eq!(
        cards::snippet(&one_word).chars().count(),
        cards::SNIPPET_CHARS + 2
    );
    // A summary wins over the body; without one, the body's start shows.
    let mut d = doc("T", &[], &[], "SEV1", 2024, "the body");
    let files = files_of(std::slice::from_ref(&d));
    assert_eq!(files["search/cards/0.json"][0][4], "the body");
    d.summary = "the summary".to_owned();
    let files = files_of(&[d]);
    assert_eq!(files["search/cards/0.json"][0][4], "the summary");
}

#[test]
fn passages_are_the_sentences_with_the_most_key_weight_in_body_order() {
    let body = "Root cause\nThe cache tier ran out of memory after the deploy. \
                Nobody was paged for an hour because alerts were muted. \
                The team had lunch at noon that day, as usual.";
    // Stems sorted, as the index numbers them: alert 0, memori 1, mute 2, page 3.
    let stems: Vec<String> = ["alert", "memori", "mute", "page"]
        .map(String::from)
        .to_vec();
    let keys: Vec<(u32, f32)> = vec![(1, 3.0), (3, 2.0), (0, 1.5), (2, 1.0)];
    let mut words = cards::Words::new(&stems);
    // Gains: "Root cause" is too short to be a passage; the cache sentence
    // 3.0 (memory); the paging one 2.0 + 1.5 + 1.0 = 4.5, taken first; the
    // lunch one 0, never taken. Shown in the body's order.
    assert_eq!(
        cards::passages(body, &keys, "Cache outage", &mut words),
        [
            "The cache tier ran out of memory after the deploy.",
            "Nobody was paged for an hour because alerts were muted."
        ]
    );
    // A key term the title or lead shows already adds nothing.
    assert_eq!(
        cards::passages(body, &keys, "Memory exhausted; paging muted", &mut words),
        ["Nobody was paged for an hour because alerts were muted."],
        "alerts (1.5) still counts"
    );
    // At most PASSAGE_CHARS in all: 20 sentences of 99 characters with one
    // key term each fit 4 times (396), in order of weight, then body order.
    let sentence = |i: usize| {
        format!(
            "Sentence {i:02} names term{i:02} and then goes on with words to fill it up to ninety-nine characters, also."
        )
    };
    assert_eq!(sentence(7).chars().count(), 99);
    let body: String = (0..20).map(|i| sentence(i) + " ").collect();
    // term00 .. term19 sort as numbered.
    let stems: Vec<String> = (0..20).map(|i| format!("term{i:02}")).collect();
    let keys: Vec<(u32, f32)> = (0..20).map(|i| (i, i as f32 + 1.0)).collect();
    let mut words = cards::Words::new(&stems);
    assert_eq!(
        cards::passages(&body, &keys, "", &mut words),
        (16..20).map(sentence).collect::<Vec<_>>()
    );
}

#[test]
fn an_empty_knowledge_base_has_an_empty_index() {
    let files = files_of(&[]);
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(paths, ["search/facets.json", "search/manifest.json"]);
    let manifest = &files["search/manifest.json"];
    assert_eq!(manifest["docs"], 0);
    assert_eq!(
        manifest["terms"],
        serde_json::json!([]),
        "no shard to fetch"
    );
    assert_eq!(
        files["search/facets.json"],
        serde_json::json!({"cause": "", "service": "", "single": ""})
    );
}

#[test]
fn an_index_reusing_the_last_builds_cache_is_the_index_built_anew() {
    fn body(i: usize) -> String {
        format!(
            "<h2>Timeline</h2><p>Replica {i} lagged behind the primary. The failover \
             drained connections for {i} minutes.</p><p>Disk latency on node{i} rose first.</p>"
        )
    }
    let docs: Vec<SearchDoc> = (0..40)
        .map(|i| {
            doc(
                &format!("Replica lag {i}"),
                &["db"],
                &["disk"],
                "SEV2",
                2024,
                &body(i),
            )
        })
        .collect();
    let levels: Vec<String> = ["SEV1", "SEV2"].map(String::from).to_vec();
    let program = "kb test";
    // Each step edits the documents, builds reusing the cache the step
    // before kept (through its bytes), and compares with a build anew.
    type Edit = fn(&mut Vec<SearchDoc<'static>>);
    let edits: [(&str, Edit); 4] = [
        ("a body gains a new word", |d| {
            d[7].body_html = format!("{}<p>Zookeeper quorum lost.</p>", d[7].body_html).into();
        }),
        ("a body loses its only rare word", |d| {
            d[7].body_html = body(7).into();
        }),
        ("a title changes", |d| {
            d[3].title = "Primary election storm".to_owned()
        }),
        ("a document goes, another comes", |d| {
            d.remove(0);
            d.push(doc(
                "Cache stampede",
                &["cdn"],
                &[],
                "SEV1",
                2025,
                "<p>Origin overload.</p>",
            ));
        }),
    ];
    let (first, cache) = build_reusing(&docs, &levels, IndexCache::default());
    assert_same(&first, &build(&docs, &levels), "a first build");
    let encode = |cache: &IndexCache| {
        let mut bytes = Vec::new();
        cache.encode(&mut bytes, program).expect("in memory");
        bytes
    };
    let mut bytes = encode(&cache);
    let mut docs = docs;
    for (what, edit) in edits {
        edit(&mut docs);
        let previous = IndexCache::decode(&bytes, program);
        let (files, cache) = build_reusing(&docs, &levels, previous);
        assert_same(&files, &build(&docs, &levels), what);
        // One or two of 40 documents new: worth keeping (1 in 100 is).
        assert!(cache.worth_keeping(), "{what}");
        bytes = encode(&cache);
    }
    // Nothing changed: the same files, and nothing worth keeping.
    let (files, cache) = build_reusing(&docs, &levels, IndexCache::decode(&bytes, program));
    assert_same(&files, &build(&docs, &levels), "nothing changed");
    assert!(!cache.worth_keeping());
}

/// Asserts that `files` are `expected`: the same paths, the same bytes.
fn assert_same(files: &IndexFiles, expected: &IndexFiles, what: &str) {
    let paths = |f: &IndexFiles| f.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        paths(files),
        paths(expected),
        "after {what}: the same files"
    );
    for ((path, bytes), (_, wanted)) in files.iter().zip(expected) {
        assert!(bytes == wanted, "after {what}: {path} differs");
    }
}
