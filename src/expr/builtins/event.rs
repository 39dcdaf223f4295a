//! The functions the reference adds for event variables: prefixes and suffixes, the text
//! before or after a separator, file names and extensions of paths, URL encoding, a date
//! formatted by a pattern, null tests and the workflow's options.

use super::call::{Call, check_len};
use super::dates::date_format;
use crate::expr::functions::EventFn;
use crate::expr::limits::MAX_STRING_LEN;
use crate::expr::span::ExprError;
use crate::model::Value;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The event-variable functions.
pub(super) fn run(c: &Call, f: EventFn, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    use EventFn as E;
    use Value as V;
    let [a, b, _, _] = vals;
    Ok(match f {
        E::DateFormat => {
            let dt = c.naive(&a, 0)?;
            return c.text(date_format(dt, c.str(&b, 1)?));
        }
        E::EndWith => V::Boolean(c.str(&a, 0)?.ends_with(c.str(&b, 1)?)),
        E::StartWith => V::Boolean(c.str(&a, 0)?.starts_with(c.str(&b, 1)?)),
        E::Extract => {
            let t = c.str(&a, 0)?;
            let sep = c.str(&b, 1)?;
            let end = match t.find(sep) {
                Some(i) if !sep.is_empty() => i,
                _ => t.len(),
            };
            V::String(c.string_part(a, 0, 0..end)?)
        }
        E::ExtractRight => {
            let t = c.str(&a, 0)?;
            let sep = c.str(&b, 1)?;
            let start = match t.rfind(sep) {
                Some(i) if !sep.is_empty() => i + sep.len(),
                _ => 0,
            };
            let len = t.len();
            V::String(c.string_part(a, 0, start..len)?)
        }
        E::FileName => V::String(split_file(c.str(&a, 0)?).0.to_owned()),
        E::FileExt => V::String(split_file(c.str(&a, 0)?).1.to_owned()),
        E::UrlUtf8Encode => {
            let (len, out) = url_encode(c.str(&a, 0)?);
            check_len(len, c.span)?;
            V::String(out)
        }
        E::GetOption => {
            let name = c.str(&a, 0)?;
            c.ctx
                .options
                .get(name)
                .map_or(V::Null, |o| V::String(o.clone()))
        }
        E::IsNull => V::Boolean(a.is_null()),
    })
}

fn url_encode(s: &str) -> (usize, String) {
    let keep = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    let len: usize = s.bytes().map(|b| if keep(b) { 1 } else { 3 }).sum();
    let mut out = String::new();
    if len > MAX_STRING_LEN {
        return (len, out);
    }
    out.reserve(len);
    for b in s.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    (len, out)
}

fn split_file(path: &str) -> (&str, &str) {
    // The text after the last separator, then the text around its last dot: both are ASCII, so
    // a byte search finds them on character boundaries.
    let name = memchr::memrchr2(b'/', b'\\', path.as_bytes())
        .and_then(|i| path.get(i + 1..))
        .unwrap_or(path);
    match memchr::memrchr(b'.', name.as_bytes()) {
        Some(i) if i > 0 => (
            name.get(..i).unwrap_or(name),
            name.get(i + 1..).unwrap_or(""),
        ),
        _ => (name, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::split_file;

    #[test]
    fn a_path_splits_after_its_last_separator_and_before_its_last_dot() {
        for (path, name, ext) in [
            (
                "/incoming/customers_2025-01.csv",
                "customers_2025-01",
                "csv",
            ),
            ("C:\\in\\a.b.txt", "a.b", "txt"),
            ("mixed/dir\\é.tar.gz", "é.tar", "gz"),
            ("no_separator", "no_separator", ""),
            ("/trailing/", "", ""),
            ("/in/.hidden", ".hidden", ""),
            ("", "", ""),
        ] {
            assert_eq!(split_file(path), (name, ext), "{path}");
        }
    }
}
