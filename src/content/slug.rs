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

/// The slug of the postmortem at `path`: its file name's, without the
/// extension.
pub fn of_file(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|stem| slugify(&stem.to_string_lossy()))
        .unwrap_or_default()
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
}
