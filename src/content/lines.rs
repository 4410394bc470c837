//! The lines of a text, cut where `str::lines` and `str::split_inclusive`
//! cut them, found with `memchr`: the standard library looks for each line
//! end with a call that costs more than a short line (a Markdown body's
//! lines are short, and every body is cut into lines).

/// The lines of `text` with their `\n` (the last one may have none), as
/// `text.split_inclusive('\n')` gives them.
pub fn inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        let end = match ends.next() {
            Some(newline) => newline + 1,
            None if start < text.len() => text.len(),
            None => return None,
        };
        let line = &text[start..end];
        start = end;
        Some(line)
    })
}

/// The lines of `text` without their `\n` or `\r\n`, as `text.lines()`
/// gives them.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    inclusive(text).map(|line| {
        let Some(line) = line.strip_suffix('\n') else {
            return line;
        };
        line.strip_suffix('\r').unwrap_or(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way a text can end or break its lines is cut as the standard
    /// library cuts it.
    #[test]
    fn cuts_as_the_standard_library_does() {
        let texts = [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\nb",
            "a\n\nb\n",
            "a\r\nb\r\n",
            "a\rb\r",
            "\r\n\r",
            "é\n💥 x\n\t\n",
        ];
        for text in texts {
            let ours: Vec<&str> = lines(text).collect();
            let std: Vec<&str> = text.lines().collect();
            assert_eq!(ours, std, "{text:?}");
            let ours: Vec<&str> = inclusive(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }
}
