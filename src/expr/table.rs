//! The rows of the function table, one per function, grouped by the reference's families. Each
//! row's example is evaluated by the tests (clock `2025-01-06 09:00:00Z`, a Monday; option
//! `brand` = `Acme`; no variable `missing`) and must give its documented result.

use super::functions::{Arity, Availability, Family, Func, FuncSpec, Kind, Nulls, Param, Ret};
use crate::model::Type;

const fn p(name: &'static str, kind: Kind) -> Param {
    Param { name, kind }
}

/// A row with every parameter required, nulls propagated, usable everywhere.
#[allow(clippy::too_many_arguments)]
const fn f(
    func: Func,
    name: &'static str,
    family: Family,
    params: &'static [Param],
    ret: Ret,
    meaning: &'static str,
    example: &'static str,
    result: &'static str,
) -> FuncSpec {
    FuncSpec {
        func,
        name,
        family,
        params,
        arity: Arity::Range(params.len()),
        ret,
        nulls: Nulls::Propagate,
        availability: Availability::Everywhere,
        extra: false,
        meaning,
        example,
        result,
    }
}

/// The parameters from `min` on are optional.
const fn min(mut s: FuncSpec, min: usize) -> FuncSpec {
    s.arity = Arity::Range(min);
    s
}

/// The last parameter repeats; at least `min` arguments.
const fn variadic(mut s: FuncSpec, min: usize) -> FuncSpec {
    s.arity = Arity::AtLeast(min);
    s
}

/// The function handles null arguments itself.
const fn handles(mut s: FuncSpec) -> FuncSpec {
    s.nulls = Nulls::Handles;
    s
}

/// The checker refuses the function, for this reason.
const fn refused(mut s: FuncSpec, why: &'static str) -> FuncSpec {
    s.availability = Availability::Refused(why);
    s
}

/// One or three arguments (`IsEmptyString`).
const fn one_or_three(mut s: FuncSpec) -> FuncSpec {
    s.arity = Arity::OneOf(&[1, 3]);
    s
}

/// Only valid as an argument of `Case`.
const fn inside_case(mut s: FuncSpec) -> FuncSpec {
    s.availability = Availability::InsideCase;
    s
}

/// A flowcall addition, not in the reference's list.
const fn extra(mut s: FuncSpec) -> FuncSpec {
    s.extra = true;
    s
}

use Family as F;
use Kind::*;
use Ret::*;

const S: Ret = Fixed(Type::String);
const I: Ret = Fixed(Type::Integer);
const B: Ret = Fixed(Type::Boolean);
const D: Ret = Fixed(Type::Date);
const DT: Ret = Fixed(Type::DateTime);
const DEC: Ret = Fixed(Type::Decimal);

const DATE: Param = p("date", DateLike);
const END: Param = p("end", DateLike);
const START: Param = p("start", DateLike);
const STRING: Param = p("string", Str);

const NO_MIRROR: &str = "the mirror page server belongs to the reference's delivery infrastructure, which a design does not describe; write the URL in an option of the sample data and read it with GetOption";
const NO_ROW_ID: &str = "RowId numbers the rows of a query result on the reference's server, and a flowcall Query filter sees each sample row on its own, with no line number; use a column of the sample data instead";
const NO_AES: &str = "the result depends on the reference database's AES-CBC implementation, key handling and padding, which flowcall does not reproduce; rather than give a value that could differ from the server's, it is refused: simulate the surrounding logic with a plain value";

/// Every function, in the order of [`Func`].
#[rustfmt::skip]
pub static TABLE: [FuncSpec; 122] = [
    // ---- Dates
    f(Func::AddDays, "AddDays", F::Dates, &[DATE, p("days", Int)], SameAs(0),
      "The date moved by `days` days (negative goes back). A Date stays a Date.",
      "AddDays(ToDate('2024-02-28'), 2)", "Date 2024-03-01"),
    f(Func::AddHours, "AddHours", F::Dates, &[DATE, p("hours", Int)], DT,
      "The instant moved by `hours` hours. A Date counts from its midnight UTC.",
      "AddHours(ToDateTime('2024-03-31 23:00:00Z'), 2)", "DateTime 2024-04-01 01:00:00.000Z"),
    f(Func::AddMinutes, "AddMinutes", F::Dates, &[DATE, p("minutes", Int)], DT,
      "The instant moved by `minutes` minutes. A Date counts from its midnight UTC.",
      "AddMinutes(ToDate('2024-03-31'), 90)", "DateTime 2024-03-31 01:30:00.000Z"),
    f(Func::AddMonths, "AddMonths", F::Dates, &[DATE, p("months", Int)], SameAs(0),
      "The date moved by `months` calendar months, clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28 or 29). The time of day is kept.",
      "AddMonths(ToDate('2024-01-31'), 1)", "Date 2024-02-29"),
    f(Func::AddSeconds, "AddSeconds", F::Dates, &[DATE, p("seconds", Int)], DT,
      "The instant moved by `seconds` seconds. A Date counts from its midnight UTC.",
      "AddSeconds(ToDateTime('2024-03-31 23:59:30Z'), 45)", "DateTime 2024-04-01 00:00:15.000Z"),
    f(Func::AddYears, "AddYears", F::Dates, &[DATE, p("years", Int)], SameAs(0),
      "The date moved by `years` years. Feb 29 becomes Feb 28 in a year that is not a leap year.",
      "AddYears(ToDate('2024-02-29'), 1)", "Date 2025-02-28"),
    f(Func::DateOnly, "DateOnly", F::Dates, &[DATE], D,
      "The Date of a DateTime (its UTC date, the time dropped). A Date is unchanged.",
      "DateOnly(ToDateTime('2024-03-31 08:17:19Z'))", "Date 2024-03-31"),
    f(Func::Day, "Day", F::Dates, &[DATE], I,
      "The day of the month, 1 to 31 (UTC).", "Day(ToDate('2024-03-31'))", "31"),
    f(Func::DayOfYear, "DayOfYear", F::Dates, &[DATE], I,
      "The day of the year, 1 to 366 (UTC).", "DayOfYear(ToDate('2024-03-01'))", "61"),
    f(Func::DaysAgo, "DaysAgo", F::Dates, &[p("days", Int)], D,
      "The Date `days` days before the run's current date (UTC).", "DaysAgo(5)", "Date 2025-01-01"),
    f(Func::DaysAgoInt, "DaysAgoInt", F::Dates, &[p("days", Int)], I,
      "The Date `days` days before the run's current date (UTC), as the Integer `yyyymmdd`.",
      "DaysAgoInt(5)", "20250101"),
    f(Func::DaysDiff, "DaysDiff", F::Dates, &[END, START], I,
      "The whole days from `start` to `end`: the elapsed time divided by 24 hours, truncated toward zero (negative when `end` is earlier). A Date counts from its midnight UTC.",
      "DaysDiff(ToDate('2024-03-01'), ToDate('2024-02-01'))", "29"),
    f(Func::DaysOld, "DaysOld", F::Dates, &[DATE], I,
      "The age of the date in whole days at the run's current time (`DaysDiff(GetDate(), date)`).",
      "DaysOld(ToDate('2025-01-01'))", "5"),
    f(Func::GetDate, "GetDate", F::Dates, &[], DT,
      "The current date and time of the run: the simulator's virtual clock, not the machine's.",
      "GetDate()", "DateTime 2025-01-06 09:00:00.000Z"),
    f(Func::Hour, "Hour", F::Dates, &[DATE], I,
      "The hour, 0 to 23 (UTC); 0 for a Date.", "Hour(ToDateTime('2024-03-31 08:17:19Z'))", "8"),
    f(Func::HoursDiff, "HoursDiff", F::Dates, &[END, START], I,
      "The whole hours from `start` to `end`, truncated toward zero (negative when `end` is earlier).",
      "HoursDiff(ToDateTime('2024-03-31 08:17:19Z'), ToDateTime('2024-03-30 10:00:00Z'))", "22"),
    f(Func::LocalToUtc, "LocalToUTC", F::Dates, &[DATE, p("timezone", Str)], DT,
      "Reads the clock reading of the date (its UTC fields) as local time in the IANA time zone `timezone` and gives that moment. A local time skipped by a daylight-saving change moves forward by the gap; a repeated one takes the earlier moment. An unknown zone is an error.",
      "LocalToUTC(ToDateTime('2024-07-01 12:00:00Z'), 'Europe/Paris')", "DateTime 2024-07-01 10:00:00.000Z"),
    f(Func::Minute, "Minute", F::Dates, &[DATE], I,
      "The minute, 0 to 59 (UTC); 0 for a Date.", "Minute(ToDateTime('2024-03-31 08:17:19Z'))", "17"),
    f(Func::MinutesDiff, "MinutesDiff", F::Dates, &[END, START], I,
      "The whole minutes from `start` to `end`, truncated toward zero (negative when `end` is earlier).",
      "MinutesDiff(ToDateTime('2024-03-31 08:17:19Z'), ToDateTime('2024-03-31 08:00:00Z'))", "17"),
    f(Func::Month, "Month", F::Dates, &[DATE], I,
      "The month, 1 to 12 (UTC).", "Month(ToDate('2024-03-31'))", "3"),
    f(Func::MonthsAgo, "MonthsAgo", F::Dates, &[p("months", Int)], D,
      "The Date `months` calendar months before the run's current date (UTC), clamped to the end of a shorter month.",
      "MonthsAgo(2)", "Date 2024-11-06"),
    f(Func::MonthsDiff, "MonthsDiff", F::Dates, &[END, START], I,
      "The whole calendar months from the date of `start` to the date of `end` (UTC dates, the time of day ignored). A month counts once the same day of the month is reached, so Jan 31 to Feb 29 is 0 and to Mar 1 is 1. Negative when `end` is earlier.",
      "MonthsDiff(ToDate('2024-03-01'), ToDate('2024-01-31'))", "1"),
    f(Func::MonthsOld, "MonthsOld", F::Dates, &[DATE], I,
      "The age of the date in whole calendar months at the run's current date (`MonthsDiff(GetDate(), date)`).",
      "MonthsOld(ToDate('2024-01-06'))", "12"),
    f(Func::Oldest, "Oldest", F::Dates, &[p("date1", DateLike), p("date2", DateLike)], Common(&[]),
      "The earlier of the two dates, as given (a Date compares at its midnight UTC).",
      "Oldest(ToDate('2024-03-31'), ToDate('2023-12-25'))", "Date 2023-12-25"),
    f(Func::Second, "Second", F::Dates, &[DATE], I,
      "The second, 0 to 59 (UTC); 0 for a Date.", "Second(ToDateTime('2024-03-31 08:17:19Z'))", "19"),
    f(Func::SecondsDiff, "SecondsDiff", F::Dates, &[END, START], I,
      "The whole seconds from `start` to `end`, truncated toward zero (negative when `end` is earlier).",
      "SecondsDiff(ToDateTime('2024-03-31 08:17:19Z'), ToDateTime('2024-03-31 08:00:00Z'))", "1039"),
    f(Func::SubDays, "SubDays", F::Dates, &[DATE, p("days", Int)], SameAs(0),
      "The date moved back by `days` days (`AddDays(date, -days)`). A Date stays a Date.",
      "SubDays(ToDate('2024-03-01'), 1)", "Date 2024-02-29"),
    f(Func::SubHours, "SubHours", F::Dates, &[DATE, p("hours", Int)], DT,
      "The instant moved back by `hours` hours. A Date counts from its midnight UTC.",
      "SubHours(ToDate('2024-03-01'), 1)", "DateTime 2024-02-29 23:00:00.000Z"),
    f(Func::SubMinutes, "SubMinutes", F::Dates, &[DATE, p("minutes", Int)], DT,
      "The instant moved back by `minutes` minutes. A Date counts from its midnight UTC.",
      "SubMinutes(ToDateTime('2024-03-31 08:17:19Z'), 20)", "DateTime 2024-03-31 07:57:19.000Z"),
    f(Func::SubMonths, "SubMonths", F::Dates, &[DATE, p("months", Int)], SameAs(0),
      "The date moved back by `months` calendar months, clamped to the end of a shorter month.",
      "SubMonths(ToDate('2024-03-31'), 1)", "Date 2024-02-29"),
    f(Func::SubSeconds, "SubSeconds", F::Dates, &[DATE, p("seconds", Int)], DT,
      "The instant moved back by `seconds` seconds. A Date counts from its midnight UTC.",
      "SubSeconds(ToDateTime('2024-03-31 08:17:19Z'), 19)", "DateTime 2024-03-31 08:17:00.000Z"),
    f(Func::SubYears, "SubYears", F::Dates, &[DATE, p("years", Int)], SameAs(0),
      "The date moved back by `years` years. Feb 29 becomes Feb 28 in a year that is not a leap year.",
      "SubYears(ToDate('2024-02-29'), 4)", "Date 2020-02-29"),
    f(Func::ToDate, "ToDate", F::Dates, &[p("value", Any)], D,
      "The value as a Date: a DateTime's UTC date, or a String in `YYYY-MM-DD` or a date-time form. Other values or text are an error.",
      "ToDate('2024-03-31')", "Date 2024-03-31"),
    f(Func::ToDateTime, "ToDateTime", F::Dates, &[p("value", Any)], DT,
      "The value as a DateTime: a Date at midnight UTC, or a String in RFC 3339, `YYYY-MM-DD HH:MM:SS[.fff][Z]` or `YYYY-MM-DD`. Other values or text are an error.",
      "ToDateTime('2024-03-31 08:17:19Z')", "DateTime 2024-03-31 08:17:19.000Z"),
    min(f(Func::ToDateTimeWithTimezone, "ToDateTimeWithTimezone", F::Dates, &[STRING, p("timezone", Str)], DT,
      "Reads the text (`YYYY-MM-DD HH:MM:SS[.fff]`, with `T` or a space, or `YYYY-MM-DD`) as local time in the IANA time zone and gives that moment; without a zone it is UTC. Text that carries its own offset or `Z` keeps it. Daylight-saving gaps and repeats as in `LocalToUTC`; an unknown zone or unreadable text is an error.",
      "ToDateTimeWithTimezone('2019-02-19 08:09:00', 'Asia/Tehran')", "DateTime 2019-02-19 04:39:00.000Z"), 1),
    f(Func::TruncDate, "TruncDate", F::Dates, &[DATE, p("seconds", Int)], DT,
      "The instant truncated down to a multiple of `seconds` seconds counted from 1970-01-01 00:00:00 UTC: 60 gives the minute, 3600 the hour, 86400 the UTC day. `seconds` below 1 is an error.",
      "TruncDate(ToDateTime('2024-03-31 08:17:19Z'), 3600)", "DateTime 2024-03-31 08:00:00.000Z"),
    f(Func::TruncDateTz, "TruncDateTZ", F::Dates, &[DATE, p("seconds", Int), p("timezone", Str)], DT,
      "Like `TruncDate`, counted on the local clock of the IANA time zone: 86400 gives the local midnight (here before the spring change to summer time, so UTC+1). `seconds` below 1 or an unknown zone is an error.",
      "TruncDateTZ(ToDateTime('2024-03-31 08:17:19Z'), 86400, 'Europe/Paris')", "DateTime 2024-03-30 23:00:00.000Z"),
    f(Func::TruncQuarter, "TruncQuarter", F::Dates, &[DATE], SameAs(0),
      "The first day of the date's quarter (Jan 1, Apr 1, Jul 1 or Oct 1) at 00:00 UTC. A Date stays a Date.",
      "TruncQuarter(ToDate('2024-05-17'))", "Date 2024-04-01"),
    f(Func::TruncTime, "TruncTime", F::Dates, &[DATE, p("seconds", Int)], DT,
      "The time of day truncated down to a multiple of `seconds` seconds counted from the date's midnight UTC, on the same day: 900 gives the quarter hour. `seconds` below 1 is an error.",
      "TruncTime(ToDateTime('2024-03-31 08:17:19Z'), 900)", "DateTime 2024-03-31 08:15:00.000Z"),
    f(Func::TruncWeek, "TruncWeek", F::Dates, &[DATE], SameAs(0),
      "The Monday of the date's week at 00:00 UTC (weeks start on Monday, as in ISO 8601). A Date stays a Date.",
      "TruncWeek(ToDate('2025-01-12'))", "Date 2025-01-06"),
    f(Func::TruncYear, "TruncYear", F::Dates, &[DATE], SameAs(0),
      "January 1st of the date's year at 00:00 UTC. A Date stays a Date.",
      "TruncYear(ToDateTime('2024-03-31 08:17:19Z'))", "DateTime 2024-01-01 00:00:00.000Z"),
    f(Func::WeekDay, "WeekDay", F::Dates, &[DATE], I,
      "The day of the week, 1 (Monday) to 7 (Sunday), as in ISO 8601 (UTC).",
      "WeekDay(ToDate('2025-01-12'))", "7"),
    f(Func::Year, "Year", F::Dates, &[DATE], I,
      "The year (UTC).", "Year(ToDate('2024-03-31'))", "2024"),
    f(Func::YearAndMonth, "YearAndMonth", F::Dates, &[DATE], I,
      "The year and the month as the Integer `yyyymm` (UTC).", "YearAndMonth(ToDate('2024-03-31'))", "202403"),
    f(Func::YearsDiff, "YearsDiff", F::Dates, &[END, START], I,
      "The whole years from `start` to `end`: `MonthsDiff` divided by 12, truncated toward zero.",
      "YearsDiff(ToDate('2024-02-28'), ToDate('2000-02-29'))", "23"),
    f(Func::YearsOld, "YearsOld", F::Dates, &[DATE], I,
      "The age of the date in whole years at the run's current date, as for a birth date.",
      "YearsOld(ToDate('2000-01-07'))", "24"),
    // ---- Geomarketing
    f(Func::Distance, "Distance", F::Geomarketing,
      &[p("longitude_a", Num), p("latitude_a", Num), p("longitude_b", Num), p("latitude_b", Num)], DEC,
      "The great-circle distance in kilometres between two points given by longitude and latitude in degrees (haversine formula, Earth radius 6371 km). A longitude outside -180..180 or a latitude outside -90..90 is an error.",
      "Round(Distance(2.3522, 48.8566, -0.1278, 51.5074), 1)", "343.6"),
    // ---- Numerical
    f(Func::Abs, "Abs", F::Numerical, &[p("number", Num)], SameAs(0),
      "The absolute value, of the same type. `Abs` of the smallest Integer overflows (error).", "Abs(-3.5)", "3.5"),
    f(Func::Ceil, "Ceil", F::Numerical, &[p("number", Num)], SameAs(0),
      "The smallest whole number not below the number, of the same type (an Integer is unchanged).", "Ceil(4.2)", "5.0"),
    f(Func::Floor, "Floor", F::Numerical, &[p("number", Num)], SameAs(0),
      "The largest whole number not above the number, of the same type (an Integer is unchanged).", "Floor(-4.2)", "-5.0"),
    f(Func::Greatest, "Greatest", F::Numerical, &[p("number1", Num), p("number2", Num)], Numeric,
      "The larger of two numbers: an Integer when both are Integers, else a Decimal.", "Greatest(1, 2.5)", "2.5"),
    f(Func::Least, "Least", F::Numerical, &[p("number1", Num), p("number2", Num)], Numeric,
      "The smaller of two numbers: an Integer when both are Integers, else a Decimal.", "Least(3, 2)", "2"),
    f(Func::Mod, "Mod", F::Numerical, &[p("dividend", Num), p("divisor", Num)], Numeric,
      "The remainder of `dividend` divided by `divisor`, with the sign of the dividend (truncated division, as in SQL): `Mod(-7, 2)` is -1. An Integer when both are Integers, else a Decimal. A zero divisor is an error.",
      "Mod(7, 2)", "1"),
    f(Func::Percent, "Percent", F::Numerical, &[p("part", Num), p("whole", Num)], DEC,
      "`part` as a percentage of `whole` (part / whole × 100), a Decimal. A zero `whole` gives 0.0, as a report shows 0 % of nothing.",
      "Percent(1, 4)", "25.0"),
    f(Func::Random, "Random", F::Numerical, &[], I,
      "A pseudo-random Integer from 0 to 2147483647 drawn from the simulator's seeded generator: the same design, scenario and run give the same numbers every time.",
      "Random() >= 0 AND Random() <= 2147483647", "true"),
    min(f(Func::Round, "Round", F::Numerical, &[p("number", Num), p("digits", Int)], SameAs(0),
      "The number rounded half away from zero to `digits` decimals (default 0; -15 to 15; negative rounds to tens, hundreds...), on its decimal digits as written: `Round(2.675, 2)` is 2.68. The type is kept.",
      "Round(2.567, 2)", "2.57"), 1),
    f(Func::Sign, "Sign", F::Numerical, &[p("number", Num)], I,
      "-1, 0 or 1 as an Integer, after the sign of the number.", "Sign(-3)", "-1"),
    f(Func::ToDouble, "ToDouble", F::Numerical, &[p("value", Any)], DEC,
      "The value as a Decimal: an Integer converted, a Boolean as 1 or 0, a String parsed. Text that is not a number is an error.",
      "ToDouble('2.5') * 2", "5.0"),
    f(Func::ToInt64, "ToInt64", F::Numerical, &[p("value", Any)], I,
      "The value as a 64-bit Integer, exactly as `ToInteger` (flowcall's Integers are 64-bit).",
      "ToInt64(-3.9)", "-3"),
    f(Func::ToInteger, "ToInteger", F::Numerical, &[p("value", Any)], I,
      "The value as an Integer: a Decimal truncated toward zero, a Boolean as 1 or 0, a String parsed as an integer or a decimal (then truncated). Text that is not a number, or a number out of range, is an error.",
      "ToInteger('42') + ToInteger(3.9)", "45"),
    min(f(Func::Trunc, "Trunc", F::Numerical, &[p("number", Num), p("digits", Int)], SameAs(0),
      "The number truncated toward zero to `digits` decimals (default 0; -15 to 15; negative truncates to tens, hundreds...), on its decimal digits as written: `Trunc(0.29, 2)` is 0.29. The type is kept.",
      "Trunc(2.789, 1)", "2.7"), 1),
    // ---- Others
    handles(variadic(f(Func::Case, "Case", F::Others, &[p("branch", Any)], Common(&[]),
      "The value of the first `When(condition, value)` whose condition is true (a null condition counts as false), else the value of the final `Else(value)`, else null. The legacy form `Case(condition, value, ..., default)` is still accepted and gives the same results. Only what is needed is evaluated.",
      "Case(When(1 > 2, 'a'), When(2 > 1, 'b'), Else('c'))", "'b'"), 1)),
    f(Func::ClearBit, "ClearBit", F::Others, &[p("value", Int), p("flag", Int)], I,
      "`value` with the bits of `flag` cleared. A flag is a mask (1, 2, 4, 8...), not a bit position; a flag below 1 is an error.",
      "ClearBit(7, 2)", "5"),
    handles(variadic(f(Func::Coalesce, "Coalesce", F::Others, &[p("value", Any), p("fallback", Any)], Common(&[]),
      "The first argument that is neither null nor a numeric zero, else the last argument: value 2 when value 1 is zero or null. Strings, dates and Booleans are only skipped when null. Later arguments are not evaluated.",
      "Coalesce(0, 5)", "5"), 1)),
    handles(f(Func::Decode, "Decode", F::Others, &[p("value", Any), p("compare", Any), p("then", Any), p("else", Any)], Common(&[2, 3]),
      "`then` when `value` = `compare`, else `else`. They compare as with `=` (numbers by value, a Date with a DateTime at midnight UTC); a null on either side is not equal, so it gives `else`. Only the chosen value is evaluated.",
      "Decode(2, 2, 'two', 'other')", "'two'")),
    inside_case(handles(f(Func::Else, "Else", F::Others, &[p("value", Any)], SameAs(0),
      "The default value of a `Case`; only allowed as its last argument.",
      "Case(When(false, 1), Else(2))", "2"))),
    f(Func::GetEmailDomain, "GetEmailDomain", F::Others, &[p("email", Str)], S,
      "The domain of an email address: the text after the last `@`, in lower case. Null when there is no `@`.",
      "GetEmailDomain('Jane.Doe@Example.COM')", "'example.com'"),
    refused(f(Func::GetMirrorUrl, "GetMirrorURL", F::Others, &[p("value", Any)], S,
      "Refused by the checker: the mirror page server belongs to the reference's delivery infrastructure, which a design does not describe. Write the URL in an option and read it with `GetOption`.",
      "GetMirrorURL('newsletter')", "error: `GetMirrorURL` cannot be simulated"), NO_MIRROR),
    handles(f(Func::Iif, "Iif", F::Others, &[p("condition", Bool), p("then", Any), p("else", Any)], Common(&[1, 2]),
      "`then` when the condition is true, else `else` (a null condition counts as false). Only the chosen branch is evaluated.",
      "Iif(3 > 2, 'yes', 'no')", "'yes'")),
    f(Func::IsBitSet, "IsBitSet", F::Others, &[p("value", Int), p("flag", Int)], B,
      "Whether every bit of `flag` is set in `value`. A flag is a mask (1, 2, 4, 8...); a flag below 1 is an error.",
      "IsBitSet(5, 4)", "true"),
    handles(one_or_three(f(Func::IsEmptyString, "IsEmptyString", F::Others, &[p("value", Any), p("if_empty", Any), p("otherwise", Any)], Common(&[1, 2]),
      "With three arguments (the reference's form): `if_empty` when the value is null or the empty string, else `otherwise`; only the chosen one is evaluated. The legacy one-argument form gives the Boolean test itself.",
      "IsEmptyString('', 'none', 'some')", "'none'"))),
    handles(f(Func::NoNull, "NoNull", F::Others, &[STRING], S,
      "The string, or the empty string when it is null.", "NoNull($(vars/@missing))", "''")),
    refused(f(Func::RowId, "RowId", F::Others, &[], I,
      "Refused by the checker: the reference numbers the rows of a query result on its server, while a Query filter sees each sample row on its own. Use a column of the sample data.",
      "RowId()", "error: `RowId` cannot be simulated"), NO_ROW_ID),
    f(Func::SetBit, "SetBit", F::Others, &[p("value", Int), p("flag", Int)], I,
      "`value` with the bits of `flag` set. A flag is a mask (1, 2, 4, 8...); a flag below 1 is an error.",
      "SetBit(5, 2)", "7"),
    f(Func::ToBoolean, "ToBoolean", F::Others, &[p("value", Any)], B,
      "The value as a Boolean: a number is true unless zero, a String is read as `true`/`false`/`1`/`0` (any case). Other text is an error.",
      "ToBoolean('1')", "true"),
    inside_case(handles(f(Func::When, "When", F::Others, &[p("condition", Bool), p("value", Any)], SameAs(1),
      "One branch of a `Case`: its value when the condition is true. Only allowed as an argument of `Case`.",
      "Case(When(true, 'yes'))", "'yes'"))),
    f(Func::NewUuid, "newUUID", F::Others, &[], S,
      "A new UUID as a String, from the simulator's generator (deterministic in tests and scenarios).",
      "newUUID()", "'00000000-0000-4000-8000-000000000001'"),
    // ---- String
    handles(f(Func::AllNonNull2, "AllNonNull2", F::String, &[p("string1", Str), p("string2", Str)], B,
      "True when both strings are neither null nor empty.", "AllNonNull2('a', '')", "false")),
    handles(f(Func::AllNonNull3, "AllNonNull3", F::String, &[p("string1", Str), p("string2", Str), p("string3", Str)], B,
      "True when all three strings are neither null nor empty.", "AllNonNull3('a', 'b', 'c')", "true")),
    f(Func::Ascii, "Ascii", F::String, &[STRING], I,
      "The code of the first character: its ASCII code for ASCII text, its Unicode code point otherwise; 0 for the empty string.",
      "Ascii('A')", "65"),
    f(Func::Char, "Char", F::String, &[p("code", Int)], S,
      "The character with this Unicode code point (the ASCII character for 0 to 127). A code that is not a character is an error.",
      "Char(65)", "'A'"),
    f(Func::Charindex, "Charindex", F::String, &[STRING, p("find", Str)], I,
      "The position (from 1, in characters) of the first occurrence of `find` in the string; 0 when it does not occur, 1 when `find` is empty.",
      "Charindex('newsletter', 'letter')", "5"),
    f(Func::DataLength, "DataLength", F::String, &[STRING], I,
      "The size of the string in bytes (UTF-8): the number of characters for ASCII text, more for accented letters.",
      "DataLength('héllo')", "6"),
    refused(f(Func::AesDecrypt, "encryption_aescbcDecrypt", F::String, &[p("encrypted", Str), p("key", Str), p("iv", Str)], S,
      "Refused by the checker: decrypts with the reference database's AES-CBC, whose key handling and padding flowcall does not reproduce.",
      "encryption_aescbcDecrypt('\\x00', '\\x00', '\\x00')", "error: `encryption_aescbcDecrypt` cannot be simulated"), NO_AES),
    refused(f(Func::AesEncrypt, "encryption_aescbcEncrypt", F::String, &[STRING, p("key", Str), p("iv", Str)], S,
      "Refused by the checker: encrypts with the reference database's AES-CBC, whose key handling and padding flowcall does not reproduce.",
      "encryption_aescbcEncrypt('secret', '\\x00', '\\x00')", "error: `encryption_aescbcEncrypt` cannot be simulated"), NO_AES),
    f(Func::GetLine, "GetLine", F::String, &[STRING, p("line", Int)], S,
      "The `line`-th line (from 1) of the string. Lines end with a line feed (a carriage return before it is dropped); past the last line the result is empty; a line below 1 is an error.",
      "GetLine('first' + Char(10) + 'second', 2)", "'second'"),
    handles(f(Func::IfEquals, "IfEquals", F::String, &[p("string1", Str), p("string2", Str), p("then", Any), p("else", Any)], Common(&[2, 3]),
      "`then` when the two strings are equal (case-sensitive), else `else`; a null string is not equal to anything. Only the chosen value is evaluated.",
      "IfEquals('gold', 'gold', 'vip', 'standard')", "'vip'")),
    handles(f(Func::IsMemoNull, "IsMemoNull", F::String, &[p("memo", Str)], B,
      "Whether a memo (a long text of the sample data) is null or empty.", "IsMemoNull('')", "true")),
    handles(f(Func::JuxtWords, "JuxtWords", F::String, &[p("string1", Str), p("string2", Str)], S,
      "The strings joined by one space; a null or empty string is left out with its space.",
      "JuxtWords('Jane', 'Doe')", "'Jane Doe'")),
    handles(f(Func::JuxtWords3, "JuxtWords3", F::String, &[p("string1", Str), p("string2", Str), p("string3", Str)], S,
      "The three strings joined by single spaces; null or empty strings are left out with their space.",
      "JuxtWords3('Jane', '', 'Doe')", "'Jane Doe'")),
    f(Func::LPad, "LPad", F::String, &[STRING, p("length", Int), p("pad", Str)], S,
      "The string padded on the left with the first character of `pad` up to `length` characters. A string already that long is returned unchanged; an empty `pad` or a negative `length` is an error.",
      "LPad('42', 5, '0')", "'00042'"),
    f(Func::Left, "Left", F::String, &[STRING, p("count", Int)], S,
      "The first `count` characters (the whole string when it is shorter). A negative count is an error.",
      "Left('newsletter', 4)", "'news'"),
    f(Func::Length, "Length", F::String, &[STRING], I,
      "The number of characters (not bytes).", "Length('héllo')", "5"),
    f(Func::Lower, "Lower", F::String, &[STRING], S,
      "The string in lower case (Unicode rules).", "Lower('GoldMembers')", "'goldmembers'"),
    f(Func::Ltrim, "Ltrim", F::String, &[STRING], S,
      "The string without leading white space.", "Ltrim('  gold  ')", "'gold  '"),
    f(Func::Md5Digest, "Md5Digest", F::String, &[STRING], S,
      "The MD5 digest of the string's UTF-8 bytes, as 32 lower-case hexadecimal digits.",
      "Md5Digest('hello')", "'5d41402abc4b2a76b9719d911017c592'"),
    f(Func::MemoContains, "MemoContains", F::String, &[p("memo", Str), p("find", Str)], B,
      "Whether the memo (a long text of the sample data) contains `find` (case-sensitive).",
      "MemoContains('please call me back', 'call')", "true"),
    f(Func::RPad, "RPad", F::String, &[STRING, p("length", Int), p("pad", Str)], S,
      "The string padded on the right with the first character of `pad` up to `length` characters. A string already that long is returned unchanged; an empty `pad` or a negative `length` is an error.",
      "RPad('42', 5, '*')", "'42***'"),
    f(Func::Replace, "Replace", F::String, &[STRING, p("find", Str), p("replacement", Str)], S,
      "Every occurrence of `find` replaced by `replacement`, left to right without overlaps. An empty `find` leaves the string unchanged.",
      "Replace('a-b-c', '-', '/')", "'a/b/c'"),
    f(Func::Right, "Right", F::String, &[STRING, p("count", Int)], S,
      "The last `count` characters (the whole string when it is shorter). A negative count is an error.",
      "Right('report.csv', 3)", "'csv'"),
    f(Func::Rtrim, "Rtrim", F::String, &[STRING], S,
      "The string without trailing white space.", "Rtrim('  gold  ')", "'  gold'"),
    f(Func::Sha256Digest, "Sha256Digest", F::String, &[STRING], S,
      "The SHA-256 digest of the string's UTF-8 bytes, as 64 lower-case hexadecimal digits.",
      "Sha256Digest('hello')", "'2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'"),
    f(Func::Sha384Digest, "Sha384Digest", F::String, &[STRING], S,
      "The SHA-384 digest of the string's UTF-8 bytes, as 96 lower-case hexadecimal digits.",
      "Left(Sha384Digest('hello'), 16)", "'59e1748777448c69'"),
    f(Func::Sha512Digest, "Sha512Digest", F::String, &[STRING], S,
      "The SHA-512 digest of the string's UTF-8 bytes, as 128 lower-case hexadecimal digits.",
      "Left(Sha512Digest('hello'), 16)", "'9b71d224bd62f378'"),
    f(Func::Smart, "Smart", F::String, &[STRING], S,
      "Each word with its first letter in upper case and the others in lower case. Words are runs of letters and digits, so `jean-paul o'neil` gives `Jean-Paul O'Neil`.",
      "Smart('hello WORLD')", "'Hello World'"),
    f(Func::Substring, "Substring", F::String, &[STRING, p("start", Int), p("length", Int)], S,
      "`length` characters starting at character `start`, counted from 1 (as in SQL). Past the end gives a shorter or empty string; a `start` below 1 or a negative `length` is an error.",
      "Substring('newsletter', 5, 6)", "'letter'"),
    f(Func::ToIntlString, "ToIntlString", F::String, &[p("number", Num)], S,
      "The number as text in the international form: `.` as the decimal separator, no grouping, no exponent (as `ToString` writes numbers).",
      "ToIntlString(1234.5)", "'1234.5'"),
    handles(f(Func::ToString, "ToString", F::String, &[p("value", Any)], S,
      "The value as text, the way `$(vars/@x)` reads a variable (dates `YYYY-MM-DD`, date-times `YYYY-MM-DD HH:MM:SS.fffZ`). Null gives the empty string.",
      "ToString(42) + '!'", "'42!'")),
    extra(f(Func::Trim, "Trim", F::String, &[STRING], S,
      "The string without leading and trailing white space (a flowcall addition: the reference's `Ltrim` and `Rtrim` together).",
      "Trim('  gold  ')", "'gold'")),
    f(Func::Upper, "Upper", F::String, &[STRING], S,
      "The string in upper case (Unicode rules).", "Upper('gold members')", "'GOLD MEMBERS'"),
    f(Func::VirtualLink, "VirtualLink", F::String, &[p("key", Int), p("a", Int), p("b", Int)], I,
      "The link key `key` when `a` and `b` are equal, else null (the reference's server turns such a key into a link; flowcall gives the key).",
      "VirtualLink(42, 1, 1)", "42"),
    f(Func::VirtualLinkStr, "VirtualLinkStr", F::String, &[p("key", Str), p("a", Int), p("b", Int)], S,
      "The text link key `key` when `a` and `b` are equal, else null.",
      "VirtualLinkStr('FR', 1, 2)", "null"),
    // ---- Event variables
    f(Func::DateFormat, "DateFormat", F::EventVariables, &[DATE, p("format", Str)], S,
      "The date written with `format`: `%4Y` year (4 digits), `%2M` month, `%2D` day, `%2H` hour, `%2N` minute, `%2S` second (2 digits each, UTC); any other text is copied. A Date has time 00:00:00.",
      "DateFormat(ToDateTime('2024-03-31 08:17:19Z'), '%4Y%2M%2D-%2H%2N%2S')", "'20240331-081719'"),
    f(Func::EndWith, "EndWith", F::EventVariables, &[STRING, p("suffix", Str)], B,
      "Whether the string ends with `suffix` (case-sensitive).", "EndWith('report.csv', '.csv')", "true"),
    f(Func::Extract, "Extract", F::EventVariables, &[STRING, p("separator", Str)], S,
      "The part before the first `separator`. The whole string when the separator does not occur or is empty.",
      "Extract('gold;silver;bronze', ';')", "'gold'"),
    f(Func::ExtractRight, "ExtractRight", F::EventVariables, &[STRING, p("separator", Str)], S,
      "The part after the last `separator`. The whole string when the separator does not occur or is empty.",
      "ExtractRight('gold;silver;bronze', ';')", "'bronze'"),
    f(Func::FileExt, "FileExt", F::EventVariables, &[p("path", Str)], S,
      "The extension of a path's file name, without the dot; empty when there is none.",
      "FileExt('/in/2024/members.csv')", "'csv'"),
    f(Func::FileName, "FileName", F::EventVariables, &[p("path", Str)], S,
      "The file name of a path (after the last `/` or `\\`) without its extension (the part from the last `.`, unless the name starts with it).",
      "FileName('/in/2024/members.csv')", "'members'"),
    f(Func::GetOption, "GetOption", F::EventVariables, &[p("name", Str)], S,
      "The value of the named option of the sample data, as a String; null when no such option is defined.",
      "GetOption('brand')", "'Acme'"),
    handles(f(Func::IsNull, "IsNull", F::EventVariables, &[p("value", Any)], B,
      "Whether the value is null (an absent variable, a null cell, a null result).", "IsNull($(vars/@missing))", "true")),
    f(Func::StartWith, "startWith", F::EventVariables, &[STRING, p("prefix", Str)], B,
      "Whether the string starts with `prefix` (case-sensitive).", "startWith('https://example.com', 'https:')", "true"),
    f(Func::UrlUtf8Encode, "UrlUtf8Encode", F::EventVariables, &[STRING], S,
      "The string percent-encoded as UTF-8 for a URL: letters, digits and `- _ . ~` are kept, every other byte becomes `%XX`.",
      "UrlUtf8Encode('gold members/é')", "'gold%20members%2F%C3%A9'"),
];
