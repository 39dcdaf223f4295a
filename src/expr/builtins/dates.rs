//! The Dates functions. Dates and DateTimes are UTC (a Date is its midnight UTC where an instant is
//! needed); the functions with a time zone read IANA zones from the database bundled with jiff,
//! so results do not depend on the machine. Differences count elapsed time truncated toward
//! zero, except months and years, which count calendar months between the UTC dates.

use super::call::{Call, date_range};
use crate::expr::functions::DateFn;
use crate::expr::span::ExprError;
use crate::model::{Type, Value, midnight, parse_date, parse_datetime, time};
use jiff::civil::{Date, DateTime as Civil, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use std::borrow::Cow;

/// The unit of a date shift.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
    Months,
    Years,
}

impl Unit {
    /// The seconds in one unit (`None` for months and years, which are calendar units).
    fn seconds(self) -> Option<i64> {
        match self {
            Unit::Seconds => Some(1),
            Unit::Minutes => Some(60),
            Unit::Hours => Some(3_600),
            Unit::Days => Some(86_400),
            Unit::Months | Unit::Years => None,
        }
    }
}

/// `d` moved by `n` calendar months (the day kept, or the month's last day when it has fewer).
fn add_months_d(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_months(n).ok()?).ok()
}

/// `dt` moved by `n` calendar months of its UTC date, the time of day kept.
fn add_months_dt(dt: Timestamp, n: i64) -> Option<Timestamp> {
    let civil = time::utc(dt)
        .checked_add(Span::new().try_months(n).ok()?)
        .ok()?;
    time::from_utc(civil)
}

/// `d` moved by `n` days.
fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

/// Whole calendar months from `start` to `end`, as `java.time.Period` and FEEL's `years and
/// months duration` count them.
fn months_between(start: Date, end: Date) -> i64 {
    let total = (i64::from(end.year()) * 12 + i64::from(end.month()))
        - (i64::from(start.year()) * 12 + i64::from(start.month()));
    let days = i64::from(end.day()) - i64::from(start.day());
    if total > 0 && days < 0 {
        total - 1
    } else if total < 0 && days > 0 {
        total + 1
    } else {
        total
    }
}

/// `fmt` with `%4Y`, `%2M`, `%2D`, `%2H`, `%2N` and `%2S` replaced by the parts of `dt`,
/// zero-padded as `{:04}` and `{:02}` write them (written by hand: this runs once per field of
/// every simulated run).
pub(super) fn date_format(dt: Civil, fmt: &str) -> String {
    let mut out = String::with_capacity(fmt.len() + 8);
    let mut rest = fmt;
    while let Some(i) = rest.bytes().position(|b| b == b'%') {
        out.push_str(&rest[..i]);
        let (n, width) = match rest.get(i + 1..i + 3) {
            Some("4Y") => (i32::from(dt.year()), 4),
            Some("2M") => (i32::from(dt.month()), 2),
            Some("2D") => (i32::from(dt.day()), 2),
            Some("2H") => (i32::from(dt.hour()), 2),
            Some("2N") => (i32::from(dt.minute()), 2),
            Some("2S") => (i32::from(dt.second()), 2),
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
                continue;
            }
        };
        push_padded(&mut out, n, width);
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

/// Appends `n` as `format!("{n:0width$}")` writes it: a minus sign counts in the width, zeros
/// go between the sign and the digits, and a longer number is never cut. `width` is at most 5.
fn push_padded(out: &mut String, n: i32, width: usize) {
    // Filled from the end: at most 10 digits (u32::MAX), zeros up to `width`, a sign.
    let mut buf = [b'0'; 16];
    let mut at = buf.len();
    let mut m = n.unsigned_abs();
    while let Some(slot) = at.checked_sub(1).and_then(|i| buf.get_mut(i)) {
        *slot = b'0' + (m % 10) as u8;
        at -= 1;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    let sign = usize::from(n < 0);
    let zeros = width.saturating_sub(buf.len() - at + sign).min(5);
    at -= zeros;
    if n < 0 {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'-';
        }
    }
    // ASCII digits and a sign: each byte is its own character.
    out.extend(
        buf.get(at..)
            .unwrap_or_default()
            .iter()
            .map(|&b| char::from(b)),
    );
}

/// A local date-time written without an offset, or `None`.
fn parse_local(t: &str) -> Option<Civil> {
    const FORMATS: [&str; 6] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|f| Civil::strptime(f, t).ok())
        .or_else(|| parse_date(t).map(|d| d.to_datetime(Time::midnight())))
}

/// The moment at which the clock of `tz` reads `local` (a gap moves forward, a fold takes the
/// earlier moment).
fn local_to_instant(local: Civil, tz: &TimeZone) -> Option<Timestamp> {
    let zoned = tz.to_ambiguous_zoned(local).compatible().ok()?;
    Some(zoned.timestamp())
}

/// Seconds since 1970-01-01 00:00 of a clock reading, floored to a multiple of `step`.
fn floor_reading(n: Civil, step: i64) -> Option<Civil> {
    let secs = time::from_utc(n)?.as_second();
    let floored = secs.div_euclid(step).checked_mul(step)?;
    time::from_seconds(floored).map(time::utc)
}

/// The nanoseconds from `b` to `a` (negative when `a` is earlier).
fn nanos_between(a: Timestamp, b: Timestamp) -> i128 {
    a.as_nanosecond() - b.as_nanosecond()
}

/// `nanos` in whole units of `unit_seconds`, truncated toward zero.
fn whole(nanos: i128, unit_seconds: i128) -> Value {
    let n = nanos / (unit_seconds * 1_000_000_000);
    Value::Integer(i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX }))
}

impl Call<'_, '_> {
    fn zone(&self, v: &Value, i: usize) -> Result<TimeZone, ExprError> {
        let name = self.str(v, i)?;
        TimeZone::get(name).map_err(|_| {
            self.err_at(
                i,
                format!(
                    "unknown time zone '{}': expected an IANA name such as 'Europe/Paris', 'America/New_York' or 'UTC'",
                    name.chars().take(60).collect::<String>()
                ),
            )
        })
    }

    fn step(&self, v: &Value, i: usize) -> Result<i64, ExprError> {
        let n = self.int(v, i)?;
        if n < 1 {
            return Err(self.err_at(
                i,
                format!(
                    "`{}` expects a number of seconds of 1 or more, got {n}",
                    self.f.name()
                ),
            ));
        }
        Ok(n)
    }

    fn shift(&self, a: &Value, b: &Value, unit: Unit, back: bool) -> Result<Value, ExprError> {
        let range = || date_range(self.span);
        let mut n = self.int(b, 1)?;
        if back {
            n = n.checked_neg().ok_or_else(range)?;
        }
        let months = match unit {
            Unit::Years => n.checked_mul(12),
            _ => Some(n),
        };
        Ok(match (unit, a) {
            (Unit::Days, Value::Date(d)) => Value::Date(add_days(*d, n).ok_or_else(range)?),
            (Unit::Months | Unit::Years, Value::Date(d)) => {
                Value::Date(add_months_d(*d, months.ok_or_else(range)?).ok_or_else(range)?)
            }
            (Unit::Months | Unit::Years, Value::DateTime(dt)) => {
                Value::DateTime(add_months_dt(*dt, months.ok_or_else(range)?).ok_or_else(range)?)
            }
            (_, v) => {
                let dt = self.instant(v, 0)?;
                let seconds = unit.seconds().and_then(|s| n.checked_mul(s));
                let delta = SignedDuration::from_secs(seconds.ok_or_else(range)?);
                Value::DateTime(dt.checked_add(delta).map_err(|_| range())?)
            }
        })
    }

    /// The date of `v` moved to `to`, keeping its type (a DateTime at midnight UTC).
    fn same_type(&self, v: &Value, to: Option<Date>) -> Result<Value, ExprError> {
        let range = || date_range(self.span);
        let d = to.ok_or_else(range)?;
        Ok(match v {
            Value::Date(_) => Value::Date(d),
            _ => Value::DateTime(midnight(d).ok_or_else(range)?),
        })
    }

    /// The nanoseconds from argument 1 to argument 0.
    fn diff(&self, a: &Value, b: &Value) -> Result<i128, ExprError> {
        Ok(nanos_between(self.instant(a, 0)?, self.instant(b, 1)?))
    }

    fn today(&self) -> Date {
        time::date_of(self.ctx.now)
    }

    fn with_timezone(&self, a: &Value, b: &Value) -> Result<Value, ExprError> {
        let t = self.str(a, 0)?.trim();
        let local = parse_local(t);
        let dt = match (local, self.args.len() > 1) {
            (Some(l), true) => local_to_instant(l, &self.zone(b, 1)?),
            (Some(l), false) => time::from_utc(l),
            (None, _) => parse_datetime(t),
        };
        dt.map(Value::DateTime)
            .ok_or_else(|| self.not_convertible(a, Type::DateTime))
    }
}

fn int(n: impl Into<i64>) -> Value {
    Value::Integer(n.into())
}

/// `YYYYMMDD` of a date, as an integer.
fn day_number(day: Date) -> Value {
    int(i64::from(day.year()) * 10_000 + i64::from(day.month()) * 100 + i64::from(day.day()))
}

/// The Dates functions.
pub(super) fn run(c: &Call, f: DateFn, vals: [Cow<'_, Value>; 4]) -> Result<Value, ExprError> {
    use DateFn as D;
    use Value as V;
    let range = || date_range(c.span);
    let [a, b, d, _] = vals;
    let (a, b, d) = (&*a, &*b, &*d);
    Ok(match f {
        D::AddSeconds => return c.shift(a, b, Unit::Seconds, false),
        D::AddMinutes => return c.shift(a, b, Unit::Minutes, false),
        D::AddHours => return c.shift(a, b, Unit::Hours, false),
        D::AddDays => return c.shift(a, b, Unit::Days, false),
        D::AddMonths => return c.shift(a, b, Unit::Months, false),
        D::AddYears => return c.shift(a, b, Unit::Years, false),
        D::SubSeconds => return c.shift(a, b, Unit::Seconds, true),
        D::SubMinutes => return c.shift(a, b, Unit::Minutes, true),
        D::SubHours => return c.shift(a, b, Unit::Hours, true),
        D::SubDays => return c.shift(a, b, Unit::Days, true),
        D::SubMonths => return c.shift(a, b, Unit::Months, true),
        D::SubYears => return c.shift(a, b, Unit::Years, true),
        D::GetDate => V::DateTime(c.ctx.now),
        D::DateOnly => V::Date(c.date_of(a, 0)?),
        D::Year => int(c.date_of(a, 0)?.year()),
        D::Month => int(c.date_of(a, 0)?.month()),
        D::Day => int(c.date_of(a, 0)?.day()),
        D::DayOfYear => int(c.date_of(a, 0)?.day_of_year()),
        D::WeekDay => int(c.date_of(a, 0)?.weekday().to_monday_one_offset()),
        D::YearAndMonth => {
            let d = c.date_of(a, 0)?;
            int(i64::from(d.year()) * 100 + i64::from(d.month()))
        }
        D::Hour => int(c.naive(a, 0)?.hour()),
        D::Minute => int(c.naive(a, 0)?.minute()),
        D::Second => int(c.naive(a, 0)?.second()),
        D::DaysAgo => V::Date(days_ago(c, a)?),
        D::DaysAgoInt => day_number(days_ago(c, a)?),
        D::MonthsAgo => {
            let n = c.int(a, 0)?.checked_neg().ok_or_else(range)?;
            V::Date(add_months_d(c.today(), n).ok_or_else(range)?)
        }
        D::DaysDiff => whole(c.diff(a, b)?, 86_400),
        D::HoursDiff => whole(c.diff(a, b)?, 3_600),
        D::MinutesDiff => whole(c.diff(a, b)?, 60),
        D::SecondsDiff => whole(c.diff(a, b)?, 1),
        D::MonthsDiff => int(months_between(c.date_of(b, 1)?, c.date_of(a, 0)?)),
        D::YearsDiff => int(months_between(c.date_of(b, 1)?, c.date_of(a, 0)?) / 12),
        D::DaysOld => whole(nanos_between(c.ctx.now, c.instant(a, 0)?), 86_400),
        D::MonthsOld => int(months_between(c.date_of(a, 0)?, c.today())),
        D::YearsOld => int(months_between(c.date_of(a, 0)?, c.today()) / 12),
        D::Oldest => {
            let later = c.instant(a, 0)? > c.instant(b, 1)?;
            if later { b.clone() } else { a.clone() }
        }
        D::ToDate => return to_date(c, a),
        D::ToDateTime => return to_datetime(c, a),
        D::ToDateTimeWithTimezone => return c.with_timezone(a, b),
        D::LocalToUtc => {
            let local = c.naive(a, 0)?;
            V::DateTime(local_to_instant(local, &c.zone(b, 1)?).ok_or_else(range)?)
        }
        D::TruncDate => return trunc_date(c, a, b),
        D::TruncDateTz => return trunc_date_tz(c, a, b, d),
        D::TruncTime => return trunc_time(c, a, b),
        D::TruncWeek => return trunc_week(c, a),
        D::TruncQuarter => return trunc_quarter(c, a),
        D::TruncYear => return trunc_year(c, a),
    })
}

/// `TruncWeek(value)`: the Monday of its week, of the value's type.
fn trunc_week(c: &Call, a: &Value) -> Result<Value, ExprError> {
    let day = c.date_of(a, 0)?;
    let back = i64::from(day.weekday().to_monday_zero_offset());
    c.same_type(a, add_days(day, -back))
}

/// `TruncQuarter(value)`: the first day of its quarter, of the value's type.
fn trunc_quarter(c: &Call, a: &Value) -> Result<Value, ExprError> {
    let day = c.date_of(a, 0)?;
    let first = (day.month() - 1) / 3 * 3 + 1;
    c.same_type(a, Date::new(day.year(), first, 1).ok())
}

/// `TruncYear(value)`: the first day of its year, of the value's type.
fn trunc_year(c: &Call, a: &Value) -> Result<Value, ExprError> {
    let day = c.date_of(a, 0)?;
    c.same_type(a, Date::new(day.year(), 1, 1).ok())
}

/// `DaysAgo(n)`: the date `n` days before today.
fn days_ago(c: &Call, a: &Value) -> Result<Date, ExprError> {
    let range = || date_range(c.span);
    let n = c.int(a, 0)?.checked_neg().ok_or_else(range)?;
    add_days(c.today(), n).ok_or_else(range)
}

/// `ToDate(value)`: a Date, the UTC date of a DateTime, or a String read as either.
fn to_date(c: &Call, a: &Value) -> Result<Value, ExprError> {
    Ok(match a {
        Value::Date(x) => Value::Date(*x),
        Value::DateTime(dt) => Value::Date(time::date_of(*dt)),
        Value::String(t) => {
            let t = t.trim();
            match parse_date(t).or_else(|| parse_datetime(t).map(time::date_of)) {
                Some(x) => Value::Date(x),
                None => return Err(c.not_convertible(a, Type::Date)),
            }
        }
        other => return Err(c.not_convertible(other, Type::Date)),
    })
}

/// `ToDateTime(value)`: a DateTime, a Date at its midnight UTC, or a String read as one.
fn to_datetime(c: &Call, a: &Value) -> Result<Value, ExprError> {
    Ok(match a {
        Value::Date(x) => Value::DateTime(midnight(*x).ok_or_else(|| date_range(c.span))?),
        Value::DateTime(dt) => Value::DateTime(*dt),
        Value::String(t) => match parse_datetime(t.trim()) {
            Some(dt) => Value::DateTime(dt),
            None => return Err(c.not_convertible(a, Type::DateTime)),
        },
        other => return Err(c.not_convertible(other, Type::DateTime)),
    })
}

/// `TruncDate(value, seconds)`: the UTC reading floored to a multiple of `seconds`.
fn trunc_date(c: &Call, a: &Value, b: &Value) -> Result<Value, ExprError> {
    let step = c.step(b, 1)?;
    let range = || date_range(c.span);
    let n = floor_reading(c.naive(a, 0)?, step).ok_or_else(range)?;
    Ok(Value::DateTime(time::from_utc(n).ok_or_else(range)?))
}

/// `TruncDateTz(value, seconds, zone)`: the reading in `zone` floored to a multiple of
/// `seconds`, back to UTC.
fn trunc_date_tz(c: &Call, a: &Value, b: &Value, d: &Value) -> Result<Value, ExprError> {
    let range = || date_range(c.span);
    let step = c.step(b, 1)?;
    let tz = c.zone(d, 2)?;
    let local = tz.to_datetime(c.instant(a, 0)?);
    let floored = floor_reading(local, step).ok_or_else(range)?;
    Ok(Value::DateTime(
        local_to_instant(floored, &tz).ok_or_else(range)?,
    ))
}

/// `TruncTime(value, seconds)`: the time of day floored to a multiple of `seconds`.
fn trunc_time(c: &Call, a: &Value, b: &Value) -> Result<Value, ExprError> {
    let step = c.step(b, 1)?;
    let n = c.naive(a, 0)?;
    let range = || date_range(c.span);
    let secs = i64::from(n.hour()) * 3_600 + i64::from(n.minute()) * 60 + i64::from(n.second());
    let start = midnight(n.date()).ok_or_else(range)?;
    Ok(Value::DateTime(
        time::add_seconds(start, secs - secs % step).ok_or_else(range)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{err, r};
    use super::{date_format, months_between, push_padded};
    use jiff::civil::Date;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap_or_default()
    }

    fn padded(n: i32, width: usize) -> String {
        let mut out = String::new();
        push_padded(&mut out, n, width);
        out
    }

    #[test]
    fn hand_padding_writes_what_format_writes() {
        let edges = [i32::MIN, i32::MIN + 1, -100_000, 100_000, i32::MAX];
        for n in (-12_000..=12_000).chain(edges) {
            assert_eq!(padded(n, 4), format!("{n:04}"), "{n}");
            assert_eq!(padded(n, 2), format!("{n:02}"), "{n}");
        }
        assert_eq!(padded(-1, 4), "-001");
        assert_eq!(padded(-1, 2), "-1");
        assert_eq!(padded(12_345, 4), "12345");
    }

    #[test]
    fn date_format_pads_every_year_as_format_does() {
        for year in [-9999, -999, -10, -1, 0, 7, 99, 999, 2024, 9999] {
            let dt = Date::new(year, 3, 5).unwrap_or_default().at(7, 8, 9, 0);
            let got = date_format(dt, "%4Y-%2M-%2D %2H:%2N:%2S %% %x %");
            let want = format!("{year:04}-03-05 07:08:09 %% %x %");
            assert_eq!(got, want);
        }
    }

    #[test]
    fn months_between_counts_like_java_period() {
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 2, 29)), 0);
        assert_eq!(months_between(d(2024, 1, 31), d(2024, 3, 1)), 1);
        assert_eq!(months_between(d(2024, 3, 1), d(2024, 1, 31)), -1);
        assert_eq!(months_between(d(2024, 1, 15), d(2024, 1, 15)), 0);
        assert_eq!(months_between(d(2000, 2, 29), d(2024, 2, 28)), 287);
        assert_eq!(months_between(d(2000, 2, 29), d(2024, 2, 29)), 288);
    }

    #[test]
    fn shifts_keep_or_change_the_type() {
        assert_eq!(
            r("AddSeconds(ToDate('2024-03-31'), 61)"),
            "DateTime 2024-03-31 00:01:01.000Z"
        );
        assert_eq!(
            r("SubDays(ToDateTime('2024-03-01 10:00:00Z'), 1)"),
            "DateTime 2024-02-29 10:00:00.000Z"
        );
        assert_eq!(r("SubDays(ToDate('2024-03-01'), -1)"), "Date 2024-03-02");
        assert_eq!(
            r("SubMonths(ToDateTime('2024-03-31 10:00:00Z'), 1)"),
            "DateTime 2024-02-29 10:00:00.000Z"
        );
        assert_eq!(r("SubYears(ToDate('2024-02-29'), 1)"), "Date 2023-02-28");
        assert_eq!(
            r("SubHours(ToDateTime('2024-03-31 00:30:00Z'), 1)"),
            "DateTime 2024-03-30 23:30:00.000Z"
        );
        assert_eq!(
            r("SubSeconds(ToDate('2024-01-01'), 1)"),
            "DateTime 2023-12-31 23:59:59.000Z"
        );
        assert_eq!(r("SubDays($datetime(vars/@missing), 1)"), "null");
        assert!(
            err("SubDays(ToDate('2024-01-01'), -9223372036854775808)")
                .message
                .starts_with("date out of range")
        );
        assert!(
            err("AddSeconds(ToDate('2024-01-01'), 9223372036854775807)")
                .message
                .starts_with("date out of range")
        );
        assert!(
            err("SubYears('2024', 1)")
                .message
                .contains("expects a Date or DateTime")
        );
    }

    #[test]
    fn parts() {
        assert_eq!(r("DayOfYear(ToDate('2023-12-31'))"), "365");
        assert_eq!(r("DayOfYear(ToDate('2024-12-31'))"), "366");
        assert_eq!(r("WeekDay(ToDate('2025-01-06'))"), "1");
        assert_eq!(r("WeekDay(ToDateTime('2025-01-11 23:59:59Z'))"), "6");
        assert_eq!(r("Hour(ToDate('2024-03-31'))"), "0");
        assert_eq!(r("Minute(ToDateTime('2024-03-31 08:05:00Z'))"), "5");
        assert_eq!(r("Second(ToDate('2024-03-31'))"), "0");
        assert_eq!(
            r("YearAndMonth(ToDateTime('2024-11-30 23:00:00Z'))"),
            "202411"
        );
        assert_eq!(r("Hour($datetime(vars/@missing))"), "null");
    }

    #[test]
    fn relative_to_the_run_clock() {
        // The clock is 2025-01-06 09:00:00Z.
        assert_eq!(r("DaysAgoInt(0)"), "20250106");
        assert_eq!(r("DaysAgoInt(-26)"), "20250201");
        assert_eq!(r("MonthsAgo(0)"), "Date 2025-01-06");
        assert_eq!(r("MonthsAgo(-1)"), "Date 2025-02-06");
        assert_eq!(r("DaysOld(ToDateTime('2025-01-05 09:00:01Z'))"), "0");
        assert_eq!(r("DaysOld(ToDateTime('2025-01-05 09:00:00Z'))"), "1");
        assert_eq!(r("DaysOld(ToDate('2025-01-10'))"), "-3");
        assert_eq!(r("MonthsOld(ToDate('2024-12-07'))"), "0");
        assert_eq!(r("YearsOld(ToDate('2000-01-06'))"), "25");
        assert_eq!(r("YearsOld(ToDate('2000-01-07'))"), "24");
        assert_eq!(r("YearsOld(ToDate('2030-01-07'))"), "-5");
    }

    #[test]
    fn differences_truncate_toward_zero() {
        assert_eq!(
            r("DaysDiff(ToDate('2024-02-01'), ToDate('2024-03-01'))"),
            "-29"
        );
        assert_eq!(
            r("DaysDiff(ToDateTime('2024-03-02 08:00:00Z'), ToDateTime('2024-03-01 09:00:00Z'))"),
            "0"
        );
        assert_eq!(
            r("DaysDiff(ToDateTime('2024-03-01 09:00:00Z'), ToDateTime('2024-03-02 08:00:00Z'))"),
            "0"
        );
        assert_eq!(
            r("HoursDiff(ToDateTime('2024-03-30 10:00:00Z'), ToDateTime('2024-03-31 08:17:19Z'))"),
            "-22"
        );
        assert_eq!(
            r("MinutesDiff(ToDate('2024-03-31'), ToDateTime('2024-03-30 23:59:01Z'))"),
            "0"
        );
        assert_eq!(
            r("SecondsDiff(ToDate('2024-03-31'), ToDateTime('2024-03-30 23:59:01Z'))"),
            "59"
        );
        assert_eq!(
            r("MonthsDiff(ToDateTime('2024-02-29 23:00:00Z'), ToDate('2024-01-31'))"),
            "0"
        );
        assert_eq!(
            r("YearsDiff(ToDate('2000-02-29'), ToDate('2024-02-28'))"),
            "-23"
        );
        assert_eq!(r("DaysDiff($datetime(vars/@missing), GetDate())"), "null");
        assert!(
            err("DaysDiff(1, GetDate())")
                .message
                .contains("(end) expects a Date or DateTime")
        );
    }

    #[test]
    fn truncations() {
        assert_eq!(
            r("TruncDate(ToDateTime('2024-03-31 08:17:19.500Z'), 1)"),
            "DateTime 2024-03-31 08:17:19.000Z"
        );
        assert_eq!(
            r("TruncDate(ToDateTime('2024-03-31 08:17:19Z'), 86400)"),
            "DateTime 2024-03-31 00:00:00.000Z"
        );
        assert_eq!(
            r("TruncDate(ToDate('2024-03-31'), 60)"),
            "DateTime 2024-03-31 00:00:00.000Z"
        );
        assert_eq!(
            r("TruncDate(ToDateTime('1969-12-31 23:59:59Z'), 3600)"),
            "DateTime 1969-12-31 23:00:00.000Z"
        );
        let e = err("TruncDate(GetDate(), 0)");
        assert!(e.message.contains("1 or more"));
        assert_eq!(e.span, crate::expr::Span::new(21, 22));
        assert_eq!(
            r("TruncTime(ToDateTime('2024-03-31 08:17:19Z'), 3600)"),
            "DateTime 2024-03-31 08:00:00.000Z"
        );
        assert_eq!(
            r("TruncTime(ToDateTime('2024-03-31 08:17:19Z'), 100000)"),
            "DateTime 2024-03-31 00:00:00.000Z"
        );
        assert_eq!(
            r("TruncTime(ToDateTime('2024-03-31 08:17:19Z'), 7)"),
            "DateTime 2024-03-31 08:17:14.000Z"
        );
        assert_eq!(r("TruncWeek(ToDate('2025-01-06'))"), "Date 2025-01-06");
        assert_eq!(
            r("TruncWeek(ToDateTime('2025-01-01 12:00:00Z'))"),
            "DateTime 2024-12-30 00:00:00.000Z"
        );
        assert_eq!(r("TruncQuarter(ToDate('2024-12-31'))"), "Date 2024-10-01");
        assert_eq!(
            r("TruncQuarter(ToDateTime('2024-03-31 23:59:59Z'))"),
            "DateTime 2024-01-01 00:00:00.000Z"
        );
        assert_eq!(r("TruncYear(ToDate('2024-12-31'))"), "Date 2024-01-01");
        assert_eq!(r("TruncWeek($datetime(vars/@missing))"), "null");
    }

    #[test]
    fn time_zones_use_the_iana_database() {
        // Summer (UTC+2) and winter (UTC+1) in Paris.
        assert_eq!(
            r("LocalToUTC(ToDateTime('2024-01-15 12:00:00Z'), 'Europe/Paris')"),
            "DateTime 2024-01-15 11:00:00.000Z"
        );
        // 02:30 on 2024-03-31 does not exist in Paris: it moves forward by the gap.
        assert_eq!(
            r("LocalToUTC(ToDateTime('2024-03-31 02:30:00Z'), 'Europe/Paris')"),
            "DateTime 2024-03-31 01:30:00.000Z"
        );
        // 02:30 on 2024-10-27 happens twice: the earlier moment (UTC+2).
        assert_eq!(
            r("LocalToUTC(ToDateTime('2024-10-27 02:30:00Z'), 'Europe/Paris')"),
            "DateTime 2024-10-27 00:30:00.000Z"
        );
        assert_eq!(
            r("LocalToUTC(ToDate('2024-07-01'), 'America/New_York')"),
            "DateTime 2024-07-01 04:00:00.000Z"
        );
        assert_eq!(
            r("LocalToUTC(ToDate('2024-07-01'), 'UTC')"),
            "DateTime 2024-07-01 00:00:00.000Z"
        );
        let e = err("LocalToUTC(GetDate(), 'Mars/Olympus')");
        assert!(
            e.message.contains("unknown time zone 'Mars/Olympus'"),
            "{}",
            e.message
        );
        assert_eq!(e.span, crate::expr::Span::new(22, 36));
        assert_eq!(
            r("ToDateTimeWithTimezone('2024-07-01T12:00', 'Asia/Tokyo')"),
            "DateTime 2024-07-01 03:00:00.000Z"
        );
        assert_eq!(
            r("ToDateTimeWithTimezone('2024-07-01', 'Asia/Kolkata')"),
            "DateTime 2024-06-30 18:30:00.000Z"
        );
        assert_eq!(
            r("ToDateTimeWithTimezone('2024-07-01 12:00:00.250')"),
            "DateTime 2024-07-01 12:00:00.250Z"
        );
        assert_eq!(
            r("ToDateTimeWithTimezone('2024-07-01T12:00:00+05:00', 'Asia/Tokyo')"),
            "DateTime 2024-07-01 07:00:00.000Z"
        );
        assert!(
            err("ToDateTimeWithTimezone('July 1st', 'Asia/Tokyo')")
                .message
                .contains("cannot convert")
        );
        assert_eq!(
            r("TruncDateTZ(ToDateTime('2024-07-01 21:30:00Z'), 86400, 'America/New_York')"),
            "DateTime 2024-07-01 04:00:00.000Z"
        );
        assert_eq!(
            r("TruncDateTZ(ToDateTime('2024-07-01 21:47:00Z'), 1800, 'Asia/Kolkata')"),
            "DateTime 2024-07-01 21:30:00.000Z"
        );
        assert_eq!(
            r("TruncDateTZ(ToDateTime('2024-07-01 21:47:00Z'), 3600, 'Asia/Kolkata')"),
            "DateTime 2024-07-01 21:30:00.000Z"
        );
        assert_eq!(r("LocalToUTC($datetime(vars/@missing), 'UTC')"), "null");
    }

    #[test]
    fn oldest_and_formats() {
        assert_eq!(
            r("Oldest(ToDateTime('2024-03-31 00:00:01Z'), ToDate('2024-03-31'))"),
            "Date 2024-03-31"
        );
        assert_eq!(
            r("Oldest(ToDate('2024-03-31'), ToDate('2024-03-31'))"),
            "Date 2024-03-31"
        );
        assert_eq!(
            r("Oldest(ToDate('2024-03-31'), $datetime(vars/@missing))"),
            "null"
        );
        assert_eq!(
            r("DateFormat(ToDate('2024-03-05'), '%4Y-%2M-%2D %2H:%2N %x %')"),
            "'2024-03-05 00:00 %x %'"
        );
        assert_eq!(r("DateFormat(ToDate('0099-03-05'), '%4Y')"), "'0099'");
    }
}
