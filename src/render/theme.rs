//! Themes: the default theme compiled into the binary, overridden file by
//! file by the site's `themes/NAME/templates/` and `themes/NAME/static/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A theme's files, ready to render with.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name (`incident.html`) -> source.
    pub templates: BTreeMap<String, String>,
    /// Where each template came from, for error messages.
    pub template_paths: BTreeMap<String, PathBuf>,
    /// Static file path under `static/` -> bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme, then the files of `root/themes/name/` over it.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut theme = Theme::default();
        for (path, bytes) in DEFAULT_THEME {
            theme.add(
                path,
                bytes.to_vec(),
                PathBuf::from("themes/default").join(path),
            );
        }
        // The bundled templates, written for it, lose their indentation
        // (see [`super::indent`]); a theme's own are used as written, since
        // whitespace may show in them where kb cannot tell (a block filled
        // into another template's `<pre>`, a script's template string).
        for (name, source) in &mut theme.templates {
            if super::is_markup(name) {
                *source = super::indent::strip_indentation(source);
            }
        }
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(Diagnostic::error(
                Code::UnknownTheme,
                Path::new(crate::config::FILE_NAME),
                format!("theme `{name}` is not a folder name under themes/"),
            ));
        }
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name == "default" {
                return Ok(theme);
            }
            return Err(Diagnostic::error(
                Code::UnknownTheme,
                Path::new(crate::config::FILE_NAME),
                format!("theme `{name}` not found: there is no themes/{name}/ folder"),
            ));
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry =
                entry.map_err(|e| Diagnostic::error(Code::UnreadableFile, &dir, e.to_string()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel_path = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = rel_path.to_string_lossy().replace('\\', "/");
            let site_rel = entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf();
            let bytes = std::fs::read(entry.path()).map_err(|e| {
                Diagnostic::error(
                    Code::UnreadableFile,
                    &site_rel,
                    format!("cannot read the file: {e}"),
                )
            })?;
            theme.add(&rel, bytes, site_rel);
        }
        Ok(theme)
    }

    fn add(&mut self, rel: &str, bytes: Vec<u8>, origin: PathBuf) {
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.templates.insert(name.to_owned(), text);
            self.template_paths.insert(name.to_owned(), origin);
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.statics.insert(name.to_owned(), bytes);
        }
    }

    /// A short hash of every static file, to bust caches when they change.
    pub fn asset_version(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (name, bytes) in &self.statics {
            for b in name.as_bytes().iter().chain(bytes) {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{:08x}", hash >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_templates_lose_their_indentation_a_themes_own_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join("themes/mine/templates/partials");
        std::fs::create_dir_all(&own).unwrap();
        let written = "<script>\nconst t = `a\n    b`;\n</script>\n<div>\n  <p>kept</p>\n</div>\n";
        std::fs::write(own.join("x.html"), written).unwrap();
        let theme = Theme::load(dir.path(), "mine").unwrap();
        assert_eq!(theme.templates["partials/x.html"], written);
        let bundled = &theme.templates["base.html"];
        assert!(bundled.contains("\n<"), "{bundled}");
        assert!(!bundled.contains("\n  <"), "{bundled}");
        // Not markup: kept as written.
        let new = DEFAULT_THEME
            .iter()
            .find(|(path, _)| *path == "templates/new.md")
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned());
        assert_eq!(new.as_ref(), theme.templates.get("new.md"));
    }
}
