//! The Numerical and Geomarketing functions. Rounding and truncation work on the shortest decimal
//! form of a Decimal (what `ToString` writes), so `Round(2.675, 2)` is 2.68 and `Trunc(0.29, 2)`
//! is 0.29, as the digits read, not as binary floating point would have it.

use super::call::{Call, finite, overflow};
use crate::expr::functions::{GeoFn, Kind, NumFn};
use crate::expr::span::ExprError;
use crate::model::{Type, Value};
use std::borrow::Cow;

/// Rounding on decimal digits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Half away from zero.
    HalfAway,
    /// Toward zero.
    Truncate,
}

/// `d` rounded or truncated to `digits` decimals (negative: to tens, hundreds...), computed on
/// the shortest decimal representation of `d`.
fn decimal_digits(d: f64, digits: i32, mode: Mode) -> f64 {
    if !d.is_finite() {
        return d;
    }
    let text = format!("{}", d.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let mut ds: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b.wrapping_sub(b'0'))
        .collect();
    let mut point = int_part.len() as i64;
    let mut keep = point + i64::from(digits);
    if keep >= ds.len() as i64 {
        return d;
    }
    if keep < 1 {
        let pad = usize::try_from(1 - keep).unwrap_or(0);
        ds.splice(0..0, std::iter::repeat_n(0u8, pad));
        point += pad as i64;
        keep = 1;
    }
    let keep = usize::try_from(keep).unwrap_or(0);
    let next = ds.get(keep).copied().unwrap_or(0);
    ds.truncate(keep);
    if mode == Mode::HalfAway && next >= 5 {
        let mut i = ds.len();
        loop {
            if i == 0 {
                ds.insert(0, 1);
                point += 1;
                break;
            }
            i -= 1;
            if ds[i] == 9 {
                ds[i] = 0;
            } else {
                ds[i] += 1;
                break;
            }
        }
    }
    let point = usize::try_from(point).unwrap_or(0);
    while ds.len() < point {
        ds.push(0);
    }
    let digit = |x: &u8| char::from(b'0' + x);
    let int: String = ds[..point].iter().map(digit).collect();
    let frac: String = ds[point..].iter().map(digit).collect();
    let magnitude = format!(
        "{}.{}",
        if int.is_empty() { "0" } else { &int },
        if frac.is_empty() { "0" } else { &frac }
    )
    .parse::<f64>()
    .unwrap_or(d.abs());
    if magnitude == 0.0 {
        0.0
    } else if d < 0.0 {
        -magnitude
    } else {
        magnitude
    }
}

/// An Integer rounded or truncated at a negative number of `digits` (tens, hundreds...).
fn integer_digits(x: i64, digits: i64, mode: Mode, c: &Call) -> Result<i64, ExprError> {
    if digits >= 0 {
        return Ok(x);
    }
    let p = 10i64
        .checked_pow(u32::try_from(-digits).unwrap_or(u32::MAX))
        .ok_or_else(|| overflow(c.span))?;
    let r = x % p;
    let q = x - r;
    if mode == Mode::HalfAway && r.unsigned_abs().saturating_mul(2) >= p.unsigned_abs() {
        if x >= 0 {
            q.checked_add(p)
        } else {
            q.checked_sub(p)
        }
        .ok_or_else(|| overflow(c.span))
    } else {
        Ok(q)
    }
}

/// The Integer part of `d`, truncated toward zero; an error outside the Integer range.
pub(crate) fn trunc_to_int(d: f64, c: &Call) -> Result<i64, ExprError> {
    let t = d.trunc();
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        Ok(t as i64)
    } else {
        Err(overflow(c.span))
    }
}

impl Call<'_, '_> {
    fn digits(&self, b: &Value) -> Result<i64, ExprError> {
        let digits = if self.args.len() > 1 {
            self.int(b, 1)?
        } else {
            0
        };
        if !(-15..=15).contains(&digits) {
            return Err(self.err_at(
                1,
                format!(
                    "`{}` expects digits between -15 and 15, got {digits}",
                    self.f.name()
                ),
            ));
        }
        Ok(digits)
    }

    fn round(&self, a: &Value, b: &Value, mode: Mode) -> Result<Value, ExprError> {
        let digits = self.digits(b)?;
        Ok(match a {
            Value::Integer(i) => Value::Integer(integer_digits(*i, digits, mode, self)?),
            Value::Decimal(d) => {
                Value::Decimal(decimal_digits(*d, i32::try_from(digits).unwrap_or(0), mode))
            }
            other => return Err(self.bad(0, Kind::Num, other)),
        })
    }

    fn pick(&self, a: &Value, b: &Value, greatest: bool) -> Result<Value, ExprError> {
        if let (Value::Integer(x), Value::Integer(y)) = (a, b) {
            return Ok(Value::Integer(if greatest { *x.max(y) } else { *x.min(y) }));
        }
        let (x, y) = (self.num(a, 0)?, self.num(b, 1)?);
        Ok(Value::Decimal(if greatest { x.max(y) } else { x.min(y) }))
    }

    fn modulo(&self, a: &Value, b: &Value) -> Result<Value, ExprError> {
        if let (Value::Integer(x), Value::Integer(y)) = (a, b) {
            if *y == 0 {
                return Err(self.err_at(1, "`Mod` by zero: expected a divisor other than 0".into()));
            }
            // i64::MIN % -1 overflows in Rust although the remainder is 0.
            return Ok(Value::Integer(x.checked_rem(*y).unwrap_or(0)));
        }
        let (x, y) = (self.num(a, 0)?, self.num(b, 1)?);
        if y == 0.0 {
            return Err(self.err_at(1, "`Mod` by zero: expected a divisor other than 0".into()));
        }
        finite(x % y, self.span)
    }

    fn distance(&self, vals: &[Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
        let mut n = [0f64; 4];
        for (i, v) in vals.iter().enumerate() {
            n[i] = self.num(v, i)?;
            let limit = if i % 2 == 0 { 180.0 } else { 90.0 };
            if !(-limit..=limit).contains(&n[i]) {
                return Err(self.err_at(
                    i,
                    format!(
                        "`Distance` expects a {} between -{limit} and {limit} degrees, got {}",
                        if i % 2 == 0 { "longitude" } else { "latitude" },
                        n[i]
                    ),
                ));
            }
        }
        let [lon_a, lat_a, lon_b, lat_b] = n.map(f64::to_radians);
        let h = ((lat_b - lat_a) / 2.0).sin().powi(2)
            + lat_a.cos() * lat_b.cos() * ((lon_b - lon_a) / 2.0).sin().powi(2);
        let c = 2.0 * h.sqrt().min(1.0).asin();
        finite(6371.0 * c, self.span)
    }

    fn to_integer(&self, a: &Value) -> Result<Value, ExprError> {
        use Value as V;
        Ok(match a {
            V::Integer(i) => V::Integer(*i),
            V::Decimal(d) => V::Integer(trunc_to_int(*d, self)?),
            V::Boolean(b) => V::Integer(i64::from(*b)),
            V::String(t) => match Value::parse_as(t, Type::Integer) {
                Ok(v) => v,
                Err(_) => match Value::parse_as(t, Type::Decimal) {
                    Ok(V::Decimal(d)) => V::Integer(trunc_to_int(d, self)?),
                    _ => return Err(self.not_convertible(a, Type::Integer)),
                },
            },
            other => return Err(self.not_convertible(other, Type::Integer)),
        })
    }

    fn random(&self) -> Result<Value, ExprError> {
        let Some(draw) = self.ctx.random else {
            return Err(self.err(
                "`Random` has no seeded generator here: it draws from the simulator's generator (run the design, or `flowcall eval`, which seeds it with 0)".into(),
            ));
        };
        Ok(Value::Integer(i64::try_from(draw() >> 33).unwrap_or(0)))
    }
}

/// The Geomarketing function.
pub(super) fn geo(c: &Call, f: GeoFn, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    match f {
        GeoFn::Distance => c.distance(&vals),
    }
}

/// The Numerical functions.
pub(super) fn run(c: &Call, f: NumFn, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    use NumFn as N;
    use Value as V;
    let [a, b, _, _] = vals;
    let (a, b) = (&*a, &*b);
    Ok(match f {
        N::Abs => match a {
            V::Integer(i) => V::Integer(i.checked_abs().ok_or_else(|| overflow(c.span))?),
            V::Decimal(d) => V::Decimal(d.abs()),
            other => return Err(c.bad(0, Kind::Num, other)),
        },
        N::Ceil | N::Floor => match a {
            V::Integer(i) => V::Integer(*i),
            V::Decimal(d) => V::Decimal(if f == N::Ceil { d.ceil() } else { d.floor() }),
            other => return Err(c.bad(0, Kind::Num, other)),
        },
        N::Round => return c.round(a, b, Mode::HalfAway),
        N::Trunc => return c.round(a, b, Mode::Truncate),
        N::Greatest => return c.pick(a, b, true),
        N::Least => return c.pick(a, b, false),
        N::Mod => return c.modulo(a, b),
        N::Percent => {
            let (part, whole) = (c.num(a, 0)?, c.num(b, 1)?);
            if whole == 0.0 {
                V::Decimal(0.0)
            } else {
                return finite(part / whole * 100.0, c.span);
            }
        }
        N::Sign => V::Integer(match a {
            V::Integer(i) => i.signum(),
            V::Decimal(d) if *d > 0.0 => 1,
            V::Decimal(d) if *d < 0.0 => -1,
            V::Decimal(_) => 0,
            other => return Err(c.bad(0, Kind::Num, other)),
        }),
        N::Random => return c.random(),
        N::ToInteger | N::ToInt64 => {
            return c.to_integer(a);
        }
        N::ToDouble => match a {
            V::Integer(i) => V::Decimal(*i as f64),
            V::Decimal(d) => V::Decimal(*d),
            V::Boolean(b) => V::Decimal(if *b { 1.0 } else { 0.0 }),
            V::String(t) => Value::parse_as(t, Type::Decimal)
                .map_err(|_| c.not_convertible(a, Type::Decimal))?,
            other => return Err(c.not_convertible(other, Type::Decimal)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{err, r, r_seeded};
    use super::{Mode, decimal_digits};

    #[test]
    fn rounding_on_written_digits() {
        assert_eq!(decimal_digits(2.675, 2, Mode::HalfAway), 2.68);
        assert_eq!(decimal_digits(0.29, 2, Mode::Truncate), 0.29);
        assert_eq!(decimal_digits(-2.5, 0, Mode::HalfAway), -3.0);
        assert_eq!(decimal_digits(9.99, 1, Mode::HalfAway), 10.0);
        assert_eq!(decimal_digits(999.5, 0, Mode::HalfAway), 1000.0);
        assert_eq!(decimal_digits(1234.5, -2, Mode::HalfAway), 1200.0);
        assert_eq!(decimal_digits(1250.0, -2, Mode::HalfAway), 1300.0);
        assert_eq!(decimal_digits(49.0, -2, Mode::HalfAway), 0.0);
        assert_eq!(decimal_digits(50.0, -2, Mode::HalfAway), 100.0);
        assert_eq!(decimal_digits(0.0004, 3, Mode::HalfAway), 0.0);
        assert_eq!(decimal_digits(0.0005, 3, Mode::HalfAway), 0.001);
        assert_eq!(decimal_digits(-0.4, 0, Mode::HalfAway), 0.0);
        assert_eq!(decimal_digits(1e300, 2, Mode::HalfAway), 1e300);
        assert_eq!(decimal_digits(-7.77, 1, Mode::Truncate), -7.7);
    }

    #[test]
    fn round_and_trunc() {
        assert_eq!(r("Round(2.5)"), "3.0");
        assert_eq!(r("Round(-2.5)"), "-3.0");
        assert_eq!(r("Round(2.675, 2)"), "2.68");
        assert_eq!(r("Round(1234, -2)"), "1200");
        assert_eq!(r("Round(1250, -2)"), "1300");
        assert_eq!(r("Round(-1250, -2)"), "-1300");
        assert_eq!(r("Round(7, 2)"), "7");
        assert!(err("Round(1.5, 16)").message.contains("between -15 and 15"));
        assert_eq!(r("Round($float(vars/@missing), 1)"), "null");
        assert_eq!(r("Trunc(2.7, 0)"), "2.0");
        assert_eq!(r("Trunc(2.7)"), "2.0");
        assert_eq!(r("Trunc(-2.789, 2)"), "-2.78");
        assert_eq!(r("Trunc(0.29, 2)"), "0.29");
        assert_eq!(r("Trunc(1299, -2)"), "1200");
        assert_eq!(r("Trunc(-1299, -2)"), "-1200");
        assert!(err("Trunc('1', 2)").message.contains("expects a number"));
    }

    #[test]
    fn comparisons_mod_percent_sign() {
        assert_eq!(r("Greatest(1, 2)"), "2");
        assert_eq!(r("Greatest(1, 2.5)"), "2.5");
        assert_eq!(r("Least(1, 2.5)"), "1.0");
        assert_eq!(r("Least(-1, $long(vars/@missing))"), "null");
        assert!(err("Greatest('a', 1)").message.contains("expects a number"));
        assert_eq!(r("Mod(7, 2)"), "1");
        assert_eq!(r("Mod(-7, 2)"), "-1");
        assert_eq!(r("Mod(7, -2)"), "1");
        assert_eq!(r("Mod(7.5, 2)"), "1.5");
        assert_eq!(r("Mod(-9223372036854775808, -1)"), "0");
        let e = err("Mod(7, 0)");
        assert!(e.message.contains("by zero"));
        assert_eq!(e.span, crate::expr::Span::new(7, 8));
        assert_eq!(r("Percent(1, 4)"), "25.0");
        assert_eq!(r("Percent(5, 0)"), "0.0");
        assert_eq!(r("Percent(0, 5)"), "0.0");
        assert_eq!(r("Percent(-1, 8)"), "-12.5");
        assert_eq!(r("Sign(-3)"), "-1");
        assert_eq!(r("Sign(0)"), "0");
        assert_eq!(r("Sign(0.5)"), "1");
        assert_eq!(r("Sign(-0.0)"), "0");
        assert_eq!(r("Sign($long(vars/@missing))"), "null");
    }

    #[test]
    fn conversions() {
        assert_eq!(r("ToInt64('42')"), "42");
        assert_eq!(r("ToInt64(-3.9)"), "-3");
        assert_eq!(r("ToInt64(true)"), "1");
        assert!(err("ToInt64('x')").message.contains("cannot convert"));
        assert!(
            err("ToInt64(ToDouble('1e300'))")
                .message
                .starts_with("integer overflow")
        );
        assert_eq!(r("ToDouble(3)"), "3.0");
    }

    #[test]
    fn distance_is_the_haversine_great_circle() {
        assert_eq!(
            r("Round(Distance(2.3522, 48.8566, -0.1278, 51.5074), 1)"),
            "343.6"
        );
        assert_eq!(r("Distance(10, 20, 10, 20)"), "0.0");
        assert_eq!(r("Round(Distance(0, 0, 180, 0))"), "20015.0");
        assert_eq!(r("Round(Distance(0, 90, 0, -90))"), "20015.0");
        let e = err("Distance(0, 91, 0, 0)");
        assert!(
            e.message.contains("latitude between -90 and 90"),
            "{}",
            e.message
        );
        assert_eq!(e.span, crate::expr::Span::new(12, 14));
        assert!(err("Distance(181, 0, 0, 0)").message.contains("longitude"));
        assert_eq!(r("Distance($float(vars/@missing), 0, 0, 0)"), "null");
    }

    #[test]
    fn random_is_seeded_and_in_range() {
        let a = r_seeded("Random()", 7);
        assert_eq!(a, r_seeded("Random()", 7));
        assert_ne!(a, r_seeded("Random()", 8));
        assert_eq!(r_seeded("Random() = Random()", 7), "false");
        for seed in 0..200 {
            let v: i64 = r_seeded("Random()", seed).parse().unwrap_or(-1);
            assert!((0..=2_147_483_647).contains(&v), "{v}");
        }
        let e = err("Random()");
        assert!(e.message.contains("seeded generator"), "{}", e.message);
    }
}
