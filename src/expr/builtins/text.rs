//! The String functions: case, slicing, padding, search, joining, digests.
//! Positions and lengths count characters (Unicode scalar values), never bytes, except
//! `DataLength`.

use super::call::{Call, check_len, no_body, overflow};
use crate::expr::functions::{Kind, StringFn};
use crate::expr::span::ExprError;
use crate::model::Value;
use md5::Md5;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::borrow::Cow;
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
fn juxt(vals: &[Cow<'_, Value>]) -> String {
    let words: Vec<&str> = vals
        .iter()
        .filter_map(|v| match &**v {
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
    fn pad(&self, a: Cow<'_, Value>, b: &Value, c: &Value, left: bool) -> Result<Value, ExprError> {
        let t = self.str(&a, 0)?;
        let len = self.count(b, 1, "length")?;
        let Some(pad) = self.str(c, 2)?.chars().next() else {
            return Err(self.err_at(
                2,
                format!("`{}` expects a non-empty pad string", self.f.name()),
            ));
        };
        let cur = t.chars().count();
        if cur >= len {
            return Ok(Value::String(self.string(a, 0)?));
        }
        let needed = len - cur;
        let bytes = needed
            .saturating_mul(pad.len_utf8())
            .saturating_add(t.len());
        check_len(bytes, self.span)?;
        let mut out = String::with_capacity(bytes);
        if !left {
            out.push_str(t);
        }
        out.extend(std::iter::repeat_n(pad, needed));
        if left {
            out.push_str(t);
        }
        Ok(Value::String(out))
    }

    fn check_strings(&self, vals: &[Cow<'_, Value>]) -> Result<(), ExprError> {
        for (i, v) in vals.iter().enumerate() {
            if !v.is_null() {
                self.str(v, i)?;
            }
        }
        Ok(())
    }
}

/// The String functions. `IfEquals` chooses what to evaluate and the `encryption_aescbc*`
/// functions are refused, so the evaluator never asks for their bodies.
pub(super) fn run(c: &Call, f: StringFn, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    use StringFn as S;
    use Value as V;
    let [a, b, d, _] = vals;
    Ok(match f {
        S::Upper => return c.text(c.str(&a, 0)?.to_uppercase()),
        S::Lower => return c.text(c.str(&a, 0)?.to_lowercase()),
        S::Smart => return c.text(smart(c.str(&a, 0)?)),
        S::Left => {
            let t = c.str(&a, 0)?;
            let end = char_index(t, c.count(&b, 1, "count")?);
            V::String(c.string_part(a, 0, 0..end)?)
        }
        S::Right => {
            let t = c.str(&a, 0)?;
            let n = c.count(&b, 1, "count")?;
            let total = t.chars().count();
            let (start, end) = (char_index(t, total.saturating_sub(n)), t.len());
            V::String(c.string_part(a, 0, start..end)?)
        }
        S::Substring => return substring(c, &a, &b, &d),
        S::Length => c.length(c.str(&a, 0)?.chars().count())?,
        S::DataLength => c.length(c.str(&a, 0)?.len())?,
        S::Ascii => V::Integer(
            c.str(&a, 0)?
                .chars()
                .next()
                .map_or(0, |ch| i64::from(u32::from(ch))),
        ),
        S::Charindex => return charindex(c, &a, &b),
        S::Replace => return replace(c, a, &b, &d),
        S::Trim | S::Ltrim | S::Rtrim => return trim(c, f, a),
        S::LPad => return c.pad(a, &b, &d, true),
        S::RPad => return c.pad(a, &b, &d, false),
        S::Char => return char_of(c, &a),
        S::GetLine => return get_line(c, &a, &b),
        S::Md5Digest => V::String(hex::<Md5>(c.str(&a, 0)?)),
        S::Sha256Digest => V::String(hex::<Sha256>(c.str(&a, 0)?)),
        S::Sha384Digest => V::String(hex::<Sha384>(c.str(&a, 0)?)),
        S::Sha512Digest => V::String(hex::<Sha512>(c.str(&a, 0)?)),
        S::MemoContains => V::Boolean(c.str(&a, 0)?.contains(c.str(&b, 1)?)),
        S::IsMemoNull => {
            c.check_strings(std::slice::from_ref(&a))?;
            V::Boolean(!non_empty(&a))
        }
        S::AllNonNull2 | S::AllNonNull3 | S::JuxtWords | S::JuxtWords3 => {
            return words(c, f, [a, b, d]);
        }
        S::ToString if matches!(*a, V::String(_)) => V::String(c.string(a, 0)?),
        S::ToString => V::String(a.to_string()),
        S::ToIntlString => match &*a {
            V::Integer(_) | V::Decimal(_) => V::String(a.to_string()),
            other => return Err(c.bad(0, Kind::Num, other)),
        },
        S::VirtualLink | S::VirtualLinkStr => return virtual_link(c, f, a, &b, &d),
        S::IfEquals | S::AesDecrypt | S::AesEncrypt => return Err(no_body(c)),
    })
}

impl Call<'_, '_> {
    /// A count of characters or bytes as an Integer.
    fn length(&self, n: usize) -> Result<Value, ExprError> {
        Ok(Value::Integer(
            i64::try_from(n).map_err(|_| overflow(self.span))?,
        ))
    }
}

/// `Substring(string, start, length)`, counting characters from 1.
fn substring(c: &Call, a: &Value, b: &Value, d: &Value) -> Result<Value, ExprError> {
    let t = c.str(a, 0)?;
    let start = c.int(b, 1)?;
    let len = c.count(d, 2, "length")?;
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
    Ok(Value::String(rest[..char_index(rest, len)].to_owned()))
}

/// `Charindex(string, search)`: the 1-based character position of the first match, 0 for none.
fn charindex(c: &Call, a: &Value, b: &Value) -> Result<Value, ExprError> {
    let t = c.str(a, 0)?;
    let find = c.str(b, 1)?;
    match t.find(find) {
        Some(i) => c.length(t[..i].chars().count() + 1),
        None => Ok(Value::Integer(0)),
    }
}

/// `Replace(string, search, replacement)`, its result's length checked before it is built.
fn replace(c: &Call, a: Cow<'_, Value>, b: &Value, d: &Value) -> Result<Value, ExprError> {
    let t = c.str(&a, 0)?;
    let find = c.str(b, 1)?;
    let rep = c.str(d, 2)?;
    if find.is_empty() {
        return Ok(Value::String(c.string(a, 0)?));
    }
    let count = t.matches(find).count();
    let len = (t.len() - count * find.len()).saturating_add(count.saturating_mul(rep.len()));
    check_len(len, c.span)?;
    Ok(Value::String(t.replace(find, rep)))
}

/// `Trim`, `Ltrim` and `Rtrim`.
fn trim(c: &Call, f: StringFn, a: Cow<'_, Value>) -> Result<Value, ExprError> {
    let t = c.str(&a, 0)?;
    let start = if f == StringFn::Rtrim {
        0
    } else {
        t.len() - t.trim_start().len()
    };
    let end = if f == StringFn::Ltrim {
        t.len()
    } else {
        t.trim_end().len()
    };
    Ok(Value::String(c.string_part(a, 0, start..end.max(start))?))
}

/// `Char(code)`: the character of a Unicode code point.
fn char_of(c: &Call, a: &Value) -> Result<Value, ExprError> {
    let code = c.int(a, 0)?;
    let ch = u32::try_from(code)
        .ok()
        .and_then(char::from_u32)
        .ok_or_else(|| {
            c.err_at(
            0,
            format!(
                "`Char` expects a Unicode code point (0 to 1114111, not a surrogate), got {code}"
            ),
        )
        })?;
    Ok(Value::String(ch.to_string()))
}

/// `GetLine(string, n)`: the `n`-th line, counted from 1, without its line ending.
fn get_line(c: &Call, a: &Value, b: &Value) -> Result<Value, ExprError> {
    let t = c.str(a, 0)?;
    let n = c.int(b, 1)?;
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
    Ok(Value::String(
        line.strip_suffix('\r').unwrap_or(line).to_owned(),
    ))
}

/// `AllNonNull2`, `AllNonNull3`, `JuxtWords` and `JuxtWords3`: over the first two or three.
fn words(c: &Call, f: StringFn, vals: [Cow<'_, Value>; 3]) -> Result<Value, ExprError> {
    let three = matches!(f, StringFn::AllNonNull3 | StringFn::JuxtWords3);
    let vals = &vals[..if three { 3 } else { 2 }];
    c.check_strings(vals)?;
    if matches!(f, StringFn::JuxtWords | StringFn::JuxtWords3) {
        c.text(juxt(vals))
    } else {
        Ok(Value::Boolean(vals.iter().all(|v| non_empty(v))))
    }
}

/// `VirtualLink` (an Integer key) and `VirtualLinkStr` (a String key): the key when the two
/// values are equal, null otherwise.
fn virtual_link(
    c: &Call,
    f: StringFn,
    a: Cow<'_, Value>,
    b: &Value,
    d: &Value,
) -> Result<Value, ExprError> {
    if f == StringFn::VirtualLink {
        c.int(&a, 0)?;
    } else {
        c.str(&a, 0)?;
    }
    Ok(if c.int(b, 1)? == c.int(d, 2)? {
        a.into_owned()
    } else {
        Value::Null
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
