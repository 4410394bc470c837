//! Plain postmortems written for kb in the styles teams really use
//! (`tests/fixtures/plain-corpus/`), scored against the facts a careful
//! reader takes from each (`tests/corpora/plain.tsv`) the way the DFDS
//! corpus is: run with `--nocapture` to see the score and every miss.

mod common;
mod scoring;

use std::path::Path;

use kb::config::Config;

/// The facts kb must get right, as last measured: a change that reads
/// worse fails here. No value may be invented.
const AT_LEAST_RIGHT: usize = 226;

#[test]
fn kb_reads_what_a_human_reads() {
    let root = common::fixture("plain-corpus");
    let config = Config::load(&root).expect("site.toml");
    let loaded = kb::content::load(&root, &config, false);
    let human =
        scoring::read_tsv(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpora/plain.tsv"));
    assert!(human.len() >= 15, "a corpus of 15 or more");
    assert_eq!(loaded.incidents.len(), human.len(), "one incident per file");
    let got: Vec<scoring::Facts> = human
        .iter()
        .map(|h| {
            let i = loaded
                .incidents
                .iter()
                .find(|i| i.slug == h.file)
                .unwrap_or_else(|| panic!("no incident {}", h.file));
            scoring::of_incident(&h.file, i)
        })
        .collect();
    let score = scoring::Score::of(&human, &got);
    println!("plain corpus: {score}");
    assert!(
        score.right >= AT_LEAST_RIGHT && score.invented == 0,
        "plain corpus: {score}"
    );
}

#[test]
fn the_corpus_builds() {
    common::Built::new("plain-corpus");
}
