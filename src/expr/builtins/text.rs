//! String functions: case, slicing, padding, search, joining, digests, file paths, URL encoding.
//! Positions and lengths count characters (Unicode scalar values), never bytes, except
//! `DataLength`.

use super::{Call, check_len, no_body, overflow};
use super::{ExprError, Func, Value};
use crate::expr::functions::{EventFn, OtherFn, StringFn};
use md5::Md5;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::fmt::Write as _;

/// The byte index of the `n`-th character of `s` (its length when shorter).
fn char_index(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn hex<D: Digest>(s: &str) -> String {
    let digest = D::digest(s.as_bytes());
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest.iter() {
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn url_encode(s: &str) -> (usize, String) {
    let keep = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    let len: usize = s.bytes().map(|b| if keep(b) { 1 } else { 3 }).sum();
    let mut out = String::new();
    if len > crate::expr::MAX_STRING_LEN {
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
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

/// Each run of letters and digits with its first letter in upper case, the rest in lower case.
fn smart(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if c.is_alphanumeric() {
            if in_word {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
            }
            in_word = true;
        } else {
            out.push(c);
            in_word = false;
        }
    }
    out
}

/// The non-null, non-empty strings joined by single spaces.
fn juxt(vals: &[Value]) -> String {
    let words: Vec<&str> = vals
        .iter()
        .filter_map(|v| match v {
            Value::String(s) if !s.is_empty() => Some(s.as_str()),
            _ => None,
        })
        .collect();
    words.join(" ")
}

fn non_empty(v: &Value) -> bool {
    matches!(v, Value::String(s) if !s.is_empty())
}

impl Call<'_, '_> {
    fn pad(&self, a: Value, b: &Value, c: &Value, left: bool) -> Result<Value, ExprError> {
        let t = self.string(a, 0)?;
        let len = self.count(b, 1, "length")?;
        let Some(pad) = self.str(c, 2)?.chars().next() else {
            return Err(self.err_at(
                2,
                format!("`{}` expects a non-empty pad string", self.f.name()),
            ));
        };
        let cur = t.chars().count();
        if cur >= len {
            return Ok(Value::String(t));
        }
        let needed = len - cur;
        let bytes = needed
            .saturating_mul(pad.len_utf8())
            .saturating_add(t.len());
        check_len(bytes, self.span)?;
        let mut out = String::with_capacity(bytes);
        if !left {
            out.push_str(&t);
        }
        out.extend(std::iter::repeat_n(pad, needed));
        if left {
            out.push_str(&t);
        }
        Ok(Value::String(out))
    }

    fn check_strings(&self, vals: &[Value]) -> Result<(), ExprError> {
        for (i, v) in vals.iter().enumerate() {
            if !v.is_null() {
                self.str(v, i)?;
            }
        }
        Ok(())
    }
}

/// The String functions (and the event-variable string functions).
pub(super) fn run(c: &Call, vals: [Value; 4]) -> Result<Value, ExprError> {
    use Value as V;
    let span = c.span;
    let [a, b, d, _] = vals;
    Ok(match c.f {
        Func::String(StringFn::Upper) => return c.text(c.str(&a, 0)?.to_uppercase()),
        Func::String(StringFn::Lower) => return c.text(c.str(&a, 0)?.to_lowercase()),
        Func::String(StringFn::Smart) => return c.text(smart(c.str(&a, 0)?)),
        Func::String(StringFn::Left) => {
            let mut t = c.string(a, 0)?;
            let n = c.count(&b, 1, "count")?;
            t.truncate(char_index(&t, n));
            V::String(t)
        }
        Func::String(StringFn::Right) => {
            let t = c.str(&a, 0)?;
            let n = c.count(&b, 1, "count")?;
            let total = t.chars().count();
            V::String(t[char_index(t, total.saturating_sub(n))..].to_owned())
        }
        Func::String(StringFn::Substring) => {
            let t = c.str(&a, 0)?;
            let start = c.int(&b, 1)?;
            let len = c.count(&d, 2, "length")?;
            if start < 1 {
                return Err(c.err_at(
                    1,
                    format!(
                        "`Substring` counts characters from 1: expected a start of 1 or more, got {start}"
                    ),
                ));
            }
            let from = char_index(t, usize::try_from(start - 1).unwrap_or(usize::MAX));
            let rest = &t[from..];
            V::String(rest[..char_index(rest, len)].to_owned())
        }
        Func::String(StringFn::Length) => {
            V::Integer(i64::try_from(c.str(&a, 0)?.chars().count()).map_err(|_| overflow(span))?)
        }
        Func::String(StringFn::DataLength) => {
            V::Integer(i64::try_from(c.str(&a, 0)?.len()).map_err(|_| overflow(span))?)
        }
        Func::String(StringFn::Ascii) => V::Integer(
            c.str(&a, 0)?
                .chars()
                .next()
                .map_or(0, |ch| i64::from(u32::from(ch))),
        ),
        Func::String(StringFn::Charindex) => {
            let t = c.str(&a, 0)?;
            let find = c.str(&b, 1)?;
            match t.find(find) {
                Some(i) => V::Integer(
                    i64::try_from(t[..i].chars().count() + 1).map_err(|_| overflow(span))?,
                ),
                None => V::Integer(0),
            }
        }
        Func::String(StringFn::Replace) => {
            let t = c.string(a, 0)?;
            let find = c.str(&b, 1)?;
            let rep = c.str(&d, 2)?;
            if find.is_empty() {
                return Ok(V::String(t));
            }
            let count = t.matches(find).count();
            let len =
                (t.len() - count * find.len()).saturating_add(count.saturating_mul(rep.len()));
            check_len(len, span)?;
            V::String(t.replace(find, rep))
        }
        Func::String(StringFn::Trim)
        | Func::String(StringFn::Ltrim)
        | Func::String(StringFn::Rtrim) => {
            let t = c.string(a, 0)?;
            let trimmed = match c.f {
                Func::String(StringFn::Trim) => t.trim(),
                Func::String(StringFn::Ltrim) => t.trim_start(),
                _ => t.trim_end(),
            };
            if trimmed.len() == t.len() {
                V::String(t)
            } else {
                V::String(trimmed.to_owned())
            }
        }
        Func::String(StringFn::LPad) => return c.pad(a, &b, &d, true),
        Func::String(StringFn::RPad) => return c.pad(a, &b, &d, false),
        Func::String(StringFn::Char) => {
            let code = c.int(&a, 0)?;
            let ch = u32::try_from(code).ok().and_then(char::from_u32).ok_or_else(|| {
                c.err_at(
                    0,
                    format!(
                        "`Char` expects a Unicode code point (0 to 1114111, not a surrogate), got {code}"
                    ),
                )
            })?;
            V::String(ch.to_string())
        }
        Func::String(StringFn::GetLine) => {
            let t = c.str(&a, 0)?;
            let n = c.int(&b, 1)?;
            if n < 1 {
                return Err(c.err_at(
                    1,
                    format!("`GetLine` counts lines from 1: expected 1 or more, got {n}"),
                ));
            }
            let line = usize::try_from(n - 1)
                .ok()
                .and_then(|i| t.split('\n').nth(i))
                .unwrap_or("");
            V::String(line.strip_suffix('\r').unwrap_or(line).to_owned())
        }
        Func::String(StringFn::Md5Digest) => V::String(hex::<Md5>(c.str(&a, 0)?)),
        Func::String(StringFn::Sha256Digest) => V::String(hex::<Sha256>(c.str(&a, 0)?)),
        Func::String(StringFn::Sha384Digest) => V::String(hex::<Sha384>(c.str(&a, 0)?)),
        Func::String(StringFn::Sha512Digest) => V::String(hex::<Sha512>(c.str(&a, 0)?)),
        Func::String(StringFn::MemoContains) => V::Boolean(c.str(&a, 0)?.contains(c.str(&b, 1)?)),
        Func::String(StringFn::IsMemoNull) => {
            c.check_strings(std::slice::from_ref(&a))?;
            V::Boolean(!non_empty(&a))
        }
        Func::String(StringFn::AllNonNull2) | Func::String(StringFn::AllNonNull3) => {
            let n = if c.f == Func::String(StringFn::AllNonNull2) {
                2
            } else {
                3
            };
            let vals = [a, b, d];
            c.check_strings(&vals[..n])?;
            V::Boolean(vals[..n].iter().all(non_empty))
        }
        Func::String(StringFn::JuxtWords) | Func::String(StringFn::JuxtWords3) => {
            let n = if c.f == Func::String(StringFn::JuxtWords) {
                2
            } else {
                3
            };
            let vals = [a, b, d];
            c.check_strings(&vals[..n])?;
            return c.text(juxt(&vals[..n]));
        }
        Func::String(StringFn::ToString) => match a {
            V::String(s) => V::String(s),
            other => V::String(other.to_string()),
        },
        Func::String(StringFn::ToIntlString) => match a {
            V::Integer(_) | V::Decimal(_) => V::String(a.to_string()),
            other => return Err(c.bad(0, super::Kind::Num, &other)),
        },
        Func::String(StringFn::VirtualLink) | Func::String(StringFn::VirtualLinkStr) => {
            if c.f == Func::String(StringFn::VirtualLink) {
                c.int(&a, 0)?;
            } else {
                c.str(&a, 0)?;
            }
            if c.int(&b, 1)? == c.int(&d, 2)? {
                a
            } else {
                V::Null
            }
        }
        Func::Others(OtherFn::GetEmailDomain) => match c.str(&a, 0)?.rsplit_once('@') {
            Some((_, domain)) => V::String(domain.to_lowercase()),
            None => V::Null,
        },
        Func::EventVariables(EventFn::EndWith) => {
            V::Boolean(c.str(&a, 0)?.ends_with(c.str(&b, 1)?))
        }
        Func::EventVariables(EventFn::StartWith) => {
            V::Boolean(c.str(&a, 0)?.starts_with(c.str(&b, 1)?))
        }
        Func::EventVariables(EventFn::Extract) => {
            let t = c.string(a, 0)?;
            let sep = c.str(&b, 1)?;
            match t.find(sep) {
                Some(i) if !sep.is_empty() => V::String(t[..i].to_owned()),
                _ => V::String(t),
            }
        }
        Func::EventVariables(EventFn::ExtractRight) => {
            let t = c.string(a, 0)?;
            let sep = c.str(&b, 1)?;
            match t.rfind(sep) {
                Some(i) if !sep.is_empty() => V::String(t[i + sep.len()..].to_owned()),
                _ => V::String(t),
            }
        }
        Func::EventVariables(EventFn::FileName) => {
            V::String(split_file(c.str(&a, 0)?).0.to_owned())
        }
        Func::EventVariables(EventFn::FileExt) => V::String(split_file(c.str(&a, 0)?).1.to_owned()),
        Func::EventVariables(EventFn::UrlUtf8Encode) => {
            let (len, out) = url_encode(c.str(&a, 0)?);
            check_len(len, span)?;
            V::String(out)
        }
        _ => return Err(no_body(c)),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{err, r};

    #[test]
    fn case_and_words() {
        assert_eq!(r("Upper('straße')"), "'STRASSE'");
        assert_eq!(r("Lower('ÀB')"), "'àb'");
        assert_eq!(r("Smart('hello WORLD')"), "'Hello World'");
        assert_eq!(r("Smart('jean-paul o''neil')"), "'Jean-Paul O''Neil'");
        assert_eq!(r("Smart('  2nd ave  ')"), "'  2nd Ave  '");
        assert_eq!(r("Smart('')"), "''");
        assert_eq!(r("Smart($(vars/@missing))"), "null");
        assert_eq!(r("JuxtWords('Jane', 'Doe')"), "'Jane Doe'");
        assert_eq!(r("JuxtWords('', 'Doe')"), "'Doe'");
        assert_eq!(r("JuxtWords($(vars/@missing), 'Doe')"), "'Doe'");
        assert_eq!(r("JuxtWords($(vars/@missing), $(vars/@missing))"), "''");
        assert_eq!(r("JuxtWords3('a', $(vars/@missing), 'c')"), "'a c'");
        assert_eq!(r("JuxtWords3('a', 'b', 'c')"), "'a b c'");
        assert!(
            err("JuxtWords(1, 'a')")
                .message
                .contains("expects a String")
        );
    }

    #[test]
    fn positions_and_lengths() {
        assert_eq!(r("Left('héllo', 2)"), "'hé'");
        assert_eq!(r("Left('ab', 5)"), "'ab'");
        assert_eq!(r("Right('héllo', 3)"), "'llo'");
        assert_eq!(r("Right('ab', 0)"), "''");
        assert!(err("Left('ab', -1)").message.contains("0 or more"));
        assert_eq!(r("Substring('newsletter', 1, 4)"), "'news'");
        assert_eq!(r("Substring('abc', 3, 9)"), "'c'");
        assert_eq!(r("Substring('abc', 9, 1)"), "''");
        let e = err("Substring('abc', 0, 1)");
        assert!(
            e.message.contains("counts characters from 1"),
            "{}",
            e.message
        );
        assert_eq!(e.span, crate::expr::Span::new(17, 18));
        assert_eq!(r("Length('héllo')"), "5");
        assert_eq!(r("DataLength('héllo')"), "6");
        assert_eq!(r("DataLength('')"), "0");
        assert_eq!(r("Ascii('A')"), "65");
        assert_eq!(r("Ascii('é')"), "233");
        assert_eq!(r("Ascii('')"), "0");
        assert_eq!(r("Char(233)"), "'é'");
        assert!(err("Char(55296)").message.contains("not a surrogate"));
        assert_eq!(r("Charindex('newsletter', 'letter')"), "5");
        assert_eq!(r("Charindex('héllo', 'l')"), "3");
        assert_eq!(r("Charindex('abc', 'x')"), "0");
        assert_eq!(r("Charindex('abc', '')"), "1");
        assert_eq!(r("Charindex($(vars/@missing), 'a')"), "null");
    }

    #[test]
    fn trimming_and_padding() {
        assert_eq!(r("Ltrim('  gold  ')"), "'gold  '");
        assert_eq!(r("Rtrim('  gold  ')"), "'  gold'");
        assert_eq!(r("Trim(' \tgold\n ')"), "'gold'");
        assert_eq!(r("LPad('42', 5, '0')"), "'00042'");
        assert_eq!(r("RPad('42', 5, '*-')"), "'42***'");
        assert_eq!(r("RPad('toolong', 3, '*')"), "'toolong'");
        assert_eq!(r("LPad('é', 3, 'ü')"), "'üüé'");
        assert!(err("RPad('a', 3, '')").message.contains("non-empty pad"));
        assert!(err("RPad('a', -3, 'x')").message.contains("0 or more"));
        assert!(err("RPad('a', 2000000, 'x')").message.contains("too long"));
        assert_eq!(r("RPad($(vars/@missing), 3, 'x')"), "null");
    }

    #[test]
    fn search_replace_and_lines() {
        assert_eq!(r("Replace('a-b-c', '-', '')"), "'abc'");
        assert_eq!(r("Replace('aaa', 'aa', 'b')"), "'ba'");
        assert_eq!(r("Replace('abc', '', 'x')"), "'abc'");
        assert_eq!(r("GetLine('a' + Char(13) + Char(10) + 'b', 1)"), "'a'");
        assert_eq!(r("GetLine('a' + Char(10) + 'b', 2)"), "'b'");
        assert_eq!(r("GetLine('a', 5)"), "''");
        assert_eq!(r("GetLine('', 1)"), "''");
        assert!(err("GetLine('a', 0)").message.contains("from 1"));
        assert_eq!(r("MemoContains('please call me', 'call')"), "true");
        assert_eq!(r("MemoContains('please call me', 'Call')"), "false");
        assert_eq!(r("MemoContains($(vars/@missing), 'x')"), "null");
        assert_eq!(r("IsMemoNull('')"), "true");
        assert_eq!(r("IsMemoNull($(vars/@missing))"), "true");
        assert_eq!(r("IsMemoNull('x')"), "false");
        assert!(err("IsMemoNull(3)").message.contains("expects a String"));
        assert_eq!(r("AllNonNull2('a', 'b')"), "true");
        assert_eq!(r("AllNonNull2('a', $(vars/@missing))"), "false");
        assert_eq!(r("AllNonNull3('a', 'b', '')"), "false");
        assert_eq!(r("GetEmailDomain('Jane.Doe@Example.COM')"), "'example.com'");
        assert_eq!(r("GetEmailDomain('a@b@c.org')"), "'c.org'");
        assert_eq!(r("GetEmailDomain('nobody')"), "null");
        assert_eq!(r("GetEmailDomain('x@')"), "''");
    }

    #[test]
    fn digests_are_the_standard_ones() {
        assert_eq!(r("Md5Digest('')"), "'d41d8cd98f00b204e9800998ecf8427e'");
        assert_eq!(
            r("Sha256Digest('')"),
            "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'"
        );
        assert_eq!(
            r("Sha384Digest('hello')"),
            "'59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f'"
        );
        assert_eq!(
            r("Sha512Digest('hello')"),
            "'9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043'"
        );
        assert_eq!(r("Md5Digest('é')"), "'66ddcd97cfdeabb2f6fb8a999b4bc76f'");
        assert_eq!(r("Md5Digest($(vars/@missing))"), "null");
        assert!(err("Md5Digest(1)").message.contains("expects a String"));
    }

    #[test]
    fn conversions_and_links() {
        assert_eq!(r("ToIntlString(1234.5)"), "'1234.5'");
        assert_eq!(r("ToIntlString(-7)"), "'-7'");
        assert_eq!(r("ToIntlString(0.000001)"), "'0.000001'");
        assert!(
            err("ToIntlString('1')")
                .message
                .contains("expects a number")
        );
        assert_eq!(r("VirtualLink(42, 1, 1)"), "42");
        assert_eq!(r("VirtualLink(42, 1, 2)"), "null");
        assert_eq!(r("VirtualLinkStr('FR', 3, 3)"), "'FR'");
        assert_eq!(r("VirtualLink($long(vars/@missing), 1, 1)"), "null");
    }
}
