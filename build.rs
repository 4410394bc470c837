//! Embeds the default theme: writes a list of `(path, bytes)` for every file
//! under `themes/default/`, so `kb build` works in a folder with only
//! `content/`.

use std::fmt::Write;
use std::path::Path;

fn visit(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            visit(&path, base, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn main() {
    // Read at run time: `env!` would fix the checkout the build script was
    // compiled in, so a target folder copied to another checkout would
    // embed the first checkout's theme.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let base = Path::new(&manifest).join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    visit(&base, &base, &mut files);
    let mut code = String::from(
        "/// Every file of the default theme, by path under `themes/default/`.\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        println!("cargo:rerun-if-changed=themes/default/{rel}");
        let full = base.join(rel);
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            full.to_string_lossy()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    std::fs::write(out, code).unwrap();
}
