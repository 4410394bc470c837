//! Shared by the integration tests.

use std::path::Path;

/// Builds the knowledge base at `root` in memory; fails the test on any
/// error, listing them.
pub fn build_without_errors(root: &Path) -> kb::site::Build {
    let options = kb::site::BuildOptions {
        drafts: false,
        base_url: None,
        build_time: jiff::Timestamp::UNIX_EPOCH,
    };
    let build = kb::site::build(root, &options);
    let errors: Vec<_> = build.errors().collect();
    assert!(build.files.is_some() && errors.is_empty(), "{errors:?}");
    build
}
