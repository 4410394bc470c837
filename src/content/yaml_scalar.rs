//! What an untagged plain YAML scalar becomes when serde_saphyr (2.1, its
//! default options) reads it into a `serde_json::Value`: null, a YAML 1.1
//! boolean, a 64-bit integer, a finite float, or its own text. The rules
//! and their order are the library's (`deserialize_any` and
//! `parse_scalars`), written again here so that [`super::yaml_direct`] can
//! type a scalar without the library's deserializer.

use std::borrow::Cow;

use serde_json::Value;

/// The value of plain scalar `text`; `None` for an infinity or a NaN
/// (`.inf`, `-.NaN`, `1e999`), which the library refuses with an error of
/// its own.
pub(super) fn plain(text: Cow<'_, str>) -> Option<Value> {
    if matches!(&*text, "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let t = text.trim_matches([' ', '\t', '\r', '\n']);
    if let Some(b) = yaml11_bool(t) {
        return Some(Value::Bool(b));
    }
    // A number starts with a digit or a dot, after one sign at most: any
    // other text (the common case) stays a string without trying.
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if !matches!(unsigned.as_bytes().first(), Some(b'0'..=b'9' | b'.')) {
        return Some(Value::String(text.into_owned()));
    }
    if t.starts_with('-') {
        if !leading_zero_decimal(t)
            && let Some(i) = signed(t)
        {
            return Some(Value::from(i));
        }
    } else if let Some(u) = unsigned_int(t) {
        return Some(Value::from(u));
    }
    match float(t) {
        Float::Finite(x) => Some(Value::from(x)),
        Float::NonFinite => None,
        Float::Text => Some(Value::String(text.into_owned())),
    }
}

/// `.inf` or `.nan` in the spellings YAML 1.2 knows.
fn is_dot_special(unsigned: &str) -> bool {
    matches!(
        unsigned,
        ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN"
    )
}

/// The YAML 1.1 booleans, any case: `y`, `yes`, `true`, `on` and `n`,
/// `no`, `false`, `off`.
fn yaml11_bool(t: &str) -> Option<bool> {
    if t.len() > 5 {
        return None;
    }
    let is = |word: &str| t.eq_ignore_ascii_case(word);
    if is("true") || is("yes") || is("y") || is("on") {
        Some(true)
    } else if is("false") || is("no") || is("n") || is("off") {
        Some(false)
    } else {
        None
    }
}

/// A decimal integer with a redundant leading zero (`0127`, `-012`): not an
/// integer for the library, which then reads it as a float.
fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The radix a `0x`, `0o` or `0b` prefix names, and the digits after it.
fn radix_and_digits(rest: &str) -> (u32, &str) {
    let prefixed = |lower: &str, upper: &str| {
        rest.strip_prefix(lower)
            .or_else(|| rest.strip_prefix(upper))
    };
    if let Some(digits) = prefixed("0x", "0X") {
        (16, digits)
    } else if let Some(digits) = prefixed("0o", "0O") {
        (8, digits)
    } else if let Some(digits) = prefixed("0b", "0B") {
        (2, digits)
    } else {
        (10, rest)
    }
}

/// The magnitude written by `rest` (after any sign): at least one digit of
/// the radix, single `_` only between digits, no redundant leading zero in
/// decimal; `None` past `u128`.
fn magnitude(rest: &str) -> Option<u128> {
    let (radix, digits) = radix_and_digits(rest);
    if radix == 10 && digits.starts_with('0') && digits != "0" {
        return None;
    }
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut saw_digit = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let between =
                i > 0 && bytes[i - 1] != b'_' && bytes.get(i + 1).is_some_and(|&n| n != b'_');
            if !between {
                return None;
            }
            continue;
        }
        let digit = char::from(b).to_digit(radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(digit))?;
        saw_digit = true;
    }
    saw_digit.then_some(value)
}

/// A signed integer (`t` starts with `-`) when it fits `i64`.
fn signed(t: &str) -> Option<i64> {
    let (negative, rest) = match t.strip_prefix('+') {
        Some(rest) => (false, rest),
        None => t.strip_prefix('-').map_or((false, t), |rest| (true, rest)),
    };
    let magnitude = i128::try_from(magnitude(rest)?).ok()?;
    i64::try_from(if negative { -magnitude } else { magnitude }).ok()
}

/// An unsigned integer, an optional `+` first, when it fits `u64`.
fn unsigned_int(t: &str) -> Option<u64> {
    let rest = t.strip_prefix('+').unwrap_or(t);
    u64::try_from(magnitude(rest)?).ok()
}

/// What the library's float reading makes of a scalar.
enum Float {
    Finite(f64),
    /// An infinity or NaN, refused with an error.
    NonFinite,
    /// Not a float: the scalar stays text.
    Text,
}

/// The library reads YAML 1.2's `.inf` and `.nan` spellings, then whatever
/// Rust's `f64` parser reads, keeping an overflow to infinity (`1e999`) as
/// a non-finite float but Rust's own `inf` and `nan` words as text.
fn float(t: &str) -> Float {
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if is_dot_special(unsigned) {
        return Float::NonFinite;
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Float::Finite(x),
        Ok(_) if unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) => Float::NonFinite,
        _ => Float::Text,
    }
}
