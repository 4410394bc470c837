//! `kb schema`: prints the JSON Schema of this site's front matter (see
//! [`crate::content::schema`]); and the files that point editors at it:
//! `postmortem.schema.json` itself, which `kb init` and `kb new` write and
//! `kb build` keeps current, `.taplo.toml` for TOML front matter, and the
//! `# yaml-language-server` line for YAML front matter.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::schema;

/// taplo's configuration file, read by editors' TOML language servers.
pub const TAPLO_FILE: &str = ".taplo.toml";

/// What `kb init` and `kb new` put in `.taplo.toml`.
pub const TAPLO_CONFIG: &str = "\
# Editors with taplo (Even Better TOML, Zed, Helix, ...) validate and complete
# the TOML front matter of postmortems against this site's schema, which
# `kb build` keeps current (`kb schema` prints it).
[[rule]]
include = [\"content/**/*.md\", \"content/**/*.markdown\", \"content/**/*.txt\"]

[rule.schema]
path = \"postmortem.schema.json\"
";

/// Prints the schema; returns the process exit code.
pub fn run(root: &Path) -> i32 {
    match Config::load(root) {
        Ok(config) => {
            print!("{}", schema::text(&config));
            0
        }
        Err(d) => {
            eprintln!("{d}");
            1
        }
    }
}

/// Writes `postmortem.schema.json` at `root` when it is missing or holds
/// another schema; returns its path when it wrote it.
pub fn write(root: &Path, config: &Config) -> std::io::Result<Option<PathBuf>> {
    let path = root.join(schema::FILE_NAME);
    let text = schema::text(config);
    if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(None);
    }
    std::fs::write(&path, text)?;
    Ok(Some(path))
}

/// Rewrites `postmortem.schema.json` when the site has one (`kb init` or
/// `kb new` made it) and site.toml changed what it says; a site without
/// one is left alone. Returns its path when it wrote it.
pub fn keep_current(root: &Path, config: &Config) -> std::io::Result<Option<PathBuf>> {
    if root.join(schema::FILE_NAME).is_file() {
        write(root, config)
    } else {
        Ok(None)
    }
}

/// Writes `.taplo.toml` when the site has none; returns its path when it
/// wrote it. A site's own `.taplo.toml` is never touched.
pub fn write_taplo(root: &Path) -> std::io::Result<Option<PathBuf>> {
    let path = root.join(TAPLO_FILE);
    if path.exists() {
        return Ok(None);
    }
    std::fs::write(&path, TAPLO_CONFIG)?;
    Ok(Some(path))
}

/// Puts `# yaml-language-server: $schema=...` (the schema's path from
/// `rel`, a file relative to the site root) on the first line of YAML
/// front matter, unless the front matter names a schema already. Other
/// text is returned as it is.
pub fn with_yaml_modeline(text: &str, rel: &Path) -> String {
    let Some(front) = text.strip_prefix("---\n") else {
        return text.to_owned();
    };
    let head = front.split("\n---").next().unwrap_or_default();
    if head.contains("yaml-language-server:") {
        return text.to_owned();
    }
    let up = "../".repeat(rel.components().count().saturating_sub(1));
    format!(
        "---\n# yaml-language-server: $schema={up}{}\n{front}",
        schema::FILE_NAME
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_modeline_goes_first_and_points_up_to_the_root() {
        let text = "---\ntitle: x\n---\nbody\n";
        let out = with_yaml_modeline(text, Path::new("content/2024/x.md"));
        assert_eq!(
            out,
            "---\n# yaml-language-server: $schema=../../postmortem.schema.json\ntitle: x\n---\nbody\n"
        );
        assert_eq!(
            with_yaml_modeline(&out, Path::new("content/2024/x.md")),
            out
        );
        let toml = "+++\ntitle = \"x\"\n+++\n";
        assert_eq!(with_yaml_modeline(toml, Path::new("content/x.md")), toml);
    }

    #[test]
    fn keep_current_leaves_a_site_without_the_file_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let config = Config::default();
        assert!(keep_current(tmp.path(), &config).unwrap().is_none());
        assert!(!tmp.path().join(schema::FILE_NAME).exists());
        std::fs::write(tmp.path().join(schema::FILE_NAME), "{}").unwrap();
        assert!(keep_current(tmp.path(), &config).unwrap().is_some());
        assert!(keep_current(tmp.path(), &config).unwrap().is_none());
        let text = std::fs::read_to_string(tmp.path().join(schema::FILE_NAME)).unwrap();
        assert_eq!(text, schema::text(&config));
    }
}
