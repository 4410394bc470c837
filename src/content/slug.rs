//! Slugs: URL-safe names for files and taxonomy terms.

/// Lower case; runs of characters other than letters and digits become one
/// dash; no dash at either end. `PM2020-004 - CoreDNS upgrade` ->
/// `pm2020-004-coredns-upgrade`. Letters outside ASCII are kept.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
    }
    slug
}

/// The slug of the postmortem at `path` (relative to the site root): its
/// file name's, without the extension. A name with no letter or digit
/// (`!!!.md`) would give an empty slug, whose page would be the incident
/// list's: it gets `incident-` and a stable hash of the path instead.
pub fn of_file(path: &std::path::Path) -> String {
    let slug = path
        .file_stem()
        .map(|stem| slugify(&stem.to_string_lossy()))
        .unwrap_or_default();
    if slug.is_empty() {
        format!("incident-{:08x}", path_hash(path) >> 32)
    } else {
        slug
    }
}

/// FNV-1a of `path` with `/` separators: the same on every machine and in
/// every build.
fn path_hash(path: &std::path::Path) -> u64 {
    let text = path.to_string_lossy().replace('\\', "/");
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("PM2020-004 - CoreDNS upgrade"),
            "pm2020-004-coredns-upgrade"
        );
        assert_eq!(slugify("  Memory_Leak  "), "memory-leak");
        assert_eq!(slugify("Störung am Montag"), "störung-am-montag");
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn a_file_name_without_letters_or_digits_gets_a_hashed_slug() {
        use std::path::Path;
        let a = of_file(Path::new("content/!!!.md"));
        let b = of_file(Path::new("content/???.md"));
        // FNV-1a of "content/!!!.md" (worked out in Python), its upper 32
        // bits in hex.
        assert_eq!(a, "incident-f1733b3b");
        assert_ne!(a, b);
        assert_eq!(a, of_file(Path::new("content/!!!.md")), "stable");
        assert_eq!(of_file(Path::new("content/A B.md")), "a-b");
    }
}
