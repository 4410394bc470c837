//! Front matter splitting and parsing: any text splits into pieces of
//! itself, and parsing gives a map or an error with a position in the file.
#![no_main]

use kb::content::{FrontMatter, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(s) = split(text) else { return };
    assert!(text.ends_with(s.body));
    if let Ok(fm) = FrontMatter::parse(&s) {
        for key in fm.map.keys() {
            let (line, _) = fm.locate(key);
            assert!(line >= 1 && line <= text.lines().count().max(1));
        }
    }
});
