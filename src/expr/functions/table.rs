//! The function table: one row per function, in one array per family (the reference's
//! families, in its order, each in the order of its enum in `names.rs`), and [`TABLE`], the
//! families one after another. Each row's example is evaluated by the tests (clock `2025-01-06
//! 09:00:00Z`, a Monday; option `brand` = `Acme`; no variable `missing`) and must give its
//! documented result. A row's arity is not written here: it is the shape of the function's
//! arguments (`names.rs`).

use super::names::{DateFn, EventFn, Func, GeoFn, NumFn, OtherFn, StringFn};
use super::spec::{Availability, FuncSpec, Kind, Nulls, Param, Ret};
use crate::model::Type;

const fn p(name: &'static str, kind: Kind) -> Param {
    Param { name, kind }
}

/// A row: the arity and family are the function's, nulls propagated, usable everywhere.
const fn row(
    func: Func,
    name: &'static str,
    params: &'static [Param],
    ret: Ret,
    texts: [&'static str; 3],
) -> FuncSpec {
    let [meaning, example, result] = texts;
    FuncSpec {
        func,
        name,
        family: func.family(),
        params,
        arity: func.arity(),
        ret,
        nulls: Nulls::Propagate,
        availability: Availability::Everywhere,
        extra: false,
        meaning,
        example,
        result,
    }
}

/// The row builder of each family: `dates(DateFn::AddDays, "AddDays", params, ret, meaning,
/// example, result)`.
macro_rules! builders {
    ($($builder:ident: $Fn:ident => $variant:ident),+ $(,)?) => {$(
        #[allow(clippy::too_many_arguments)]
        const fn $builder(
            f: $Fn,
            name: &'static str,
            params: &'static [Param],
            ret: Ret,
            meaning: &'static str,
            example: &'static str,
            result: &'static str,
        ) -> FuncSpec {
            row(Func::$variant(f), name, params, ret, [meaning, example, result])
        }
    )+};
}

builders! {
    dates: DateFn => Dates,
    geo: GeoFn => Geomarketing,
    num: NumFn => Numerical,
    others: OtherFn => Others,
    string: StringFn => String,
    event: EventFn => EventVariables,
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

/// The Dates functions, in the order of [`DateFn`].
#[rustfmt::skip]
const DATES: [FuncSpec; DateFn::ALL.len()] = [
    dates(DateFn::AddDays, "AddDays", &[DATE, p("days", Int)], SameAs(0),
      "The date moved by `days` days (negative goes back). A Date stays a Date.",
      "AddDays(ToDate('2024-02-28'), 2)", "Date 2024-03-01"),
    dates(DateFn::AddHours, "AddHours", &[DATE, p("hours", Int)], DT,
      "The instant moved by `hours` hours. A Date counts from its midnight UTC.",
      "AddHours(ToDateTime('2024-03-31 23:00:00Z'), 2)", "DateTime 2024-04-01 01:00:00.000Z"),
    dates(DateFn::AddMinutes, "AddMinutes", &[DATE, p("minutes", Int)], DT,
      "The instant moved by `minutes` minutes. A Date counts from its midnight UTC.",
      "AddMinutes(ToDate('2024-03-31'), 90)", "DateTime 2024-03-31 01:30:00.000Z"),
    dates(DateFn::AddMonths, "AddMonths", &[DATE, p("months", Int)], SameAs(0),
      "The date moved by `months` calendar months, clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28 or 29). The time of day is kept.",
      "AddMonths(ToDate('2024-01-31'), 1)", "Date 2024-02-29"),
    dates(DateFn::AddSeconds, "AddSeconds", &[DATE, p("seconds", Int)], DT,
      "The instant moved by `seconds` seconds. A Date counts from its midnight UTC.",
      "AddSeconds(ToDateTime('2024-03-31 23:59:30Z'), 45)", "DateTime 2024-04-01 00:00:15.000Z"),
    dates(DateFn::AddYears, "AddYears", &[DATE, p("years", Int)], SameAs(0),
      "The date moved by `years` years. Feb 29 becomes Feb 28 in a year that is not a leap year.",
      "AddYears(ToDate('2024-02-29'), 1)", "Date 2025-02-28"),
    dates(DateFn::DateOnly, "DateOnly", &[DATE], D,
      "The Date of a DateTime (its UTC date, the time dropped). A Date is unchanged.",
      "DateOnly(ToDateTime('2024-03-31 08:17:19Z'))", "Date 2024-03-31"),
    dates(DateFn::Day, "Day", &[DATE], I,
      "The day of the month, 1 to 31 (UTC).", "Day(ToDate('2024-03-31'))", "31"),
    dates(DateFn::DayOfYear, "DayOfYear", &[DATE], I,
      "The day of the year, 1 to 366 (UTC).", "DayOfYear(ToDate('2024-03-01'))", "61"),
    dates(DateFn::DaysAgo, "DaysAgo", &[p("days", Int)], D,
      "The Date `days` days before the run's current date (UTC).", "DaysAgo(5)", "Date 2025-01-01"),
    dates(DateFn::DaysAgoInt, "DaysAgoInt", &[p("days", Int)], I,
      "The Date `days` days before the run's current date (UTC), as the Integer `yyyymmdd`.",
      "DaysAgoInt(5)", "20250101"),
    dates(DateFn::DaysDiff, "DaysDiff", &[END, START], I,
      "The whole days from `start` to `end`: the elapsed time divided by 24 hours, truncated toward zero (negative when `end` is earlier). A Date counts from its midnight UTC.",
      "DaysDiff(ToDate('2024-03-01'), ToDate('2024-02-01'))", "29"),
    dates(DateFn::DaysOld, "DaysOld", &[DATE], I,
      "The age of the date in whole days at the run's current time (`DaysDiff(GetDate(), date)`).",
      "DaysOld(ToDate('2025-01-01'))", "5"),
    dates(DateFn::GetDate, "GetDate", &[], DT,
      "The current date and time of the run: the simulator's virtual clock, not the machine's.",
      "GetDate()", "DateTime 2025-01-06 09:00:00.000Z"),
    dates(DateFn::Hour, "Hour", &[DATE], I,
      "The hour, 0 to 23 (UTC); 0 for a Date.", "Hour(ToDateTime('2024-03-31 08:17:19Z'))", "8"),
    dates(DateFn::HoursDiff, "HoursDiff", &[END, START], I,
      "The whole hours from `start` to `end`, truncated toward zero (negative when `end` is earlier).",
      "HoursDiff(ToDateTime('2024-03-31 08:17:19Z'), ToDateTime('2024-03-30 10:00:00Z'))", "22"),
    dates(DateFn::LocalToUtc, "LocalToUTC", &[DATE, p("timezone", Str)], DT,
      "Reads the clock reading of the date (its UTC fields) as local time in the IANA time zone `timezone` and gives that moment. A local time skipped by a daylight-saving change moves forward by the gap; a repeated one takes the earlier moment. An unknown zone is an error.",
      "LocalToUTC(ToDateTime('2024-07-01 12:00:00Z'), 'Europe/Paris')", "DateTime 2024-07-01 10:00:00.000Z"),
    dates(DateFn::Minute, "Minute", &[DATE], I,
      "The minute, 0 to 59 (UTC); 0 for a Date.", "Minute(ToDateTime('2024-03-31 08:17:19Z'))", "17"),
    dates(DateFn::MinutesDiff, "MinutesDiff", &[END, START], I,
      "The whole minutes from `start` to `end`, truncated toward zero (negative when `end` is earlier).",
      "MinutesDiff(ToDateTime('2024-03-31 08:17:19Z'), ToDateTime('2024-03-31 08:00:00Z'))", "17"),
    dates(DateFn::Month, "Month", &[DATE], I,
      "The month, 1 to 12 (UTC).", "Month(ToDate('2024-03-31'))", "3"),
    dates(DateFn::MonthsAgo, "MonthsAgo", &[p("months", Int)], D,
      "The Date `months` calendar months before the run's current date (UTC), clamped to the end of a shorter month.",
      "MonthsAgo(2)", "Date 2024-11-06"),
    dates(DateFn::MonthsDiff, "MonthsDiff", &[END, START], I,
      "The whole calendar months from the date of `start` to the date of `end` (UTC dates, the time of day ignored). A month counts once the same day of the month is reached, so Jan 31 to Feb 29 is 0 and to Mar 1 is 1. Negative when `end` is earlier.",
      "MonthsDiff(ToDate('2024-03-01'), ToDate('2024-01-31'))", "1"),
    dates(DateFn::MonthsOld, "MonthsOld", &[DATE], I,
      "The age of the date in whole calendar months at the run's current date (`MonthsDiff(GetDate(), date)`).",
      "MonthsOld(ToDate('2024-01-06'))", "12"),
    dates(DateFn::Oldest, "Oldest", &[p("date1", DateLike), p("date2", DateLike)], Common(&[]),
      "The earlier of the two dates, as given (a Date compares at its midnight UTC).",
      "Oldest(ToDate('2024-03-31'), ToDate('2023-12-25'))", "Date 2023-12-25"),
    dates(DateFn::Second, "Second", &[DATE], I,
      "The second, 0 to 59 (UTC); 0 for a Date.", "Second(ToDateTime('2024-03-31 08:17:19Z'))", "19"),
    dates(DateFn::SecondsDiff, "SecondsDiff", &[END, START], I,
      "The whole seconds from `start` to `end`, truncated toward zero (negative when `end` is earlier).",
      "SecondsDiff(ToDateTime('2024-03-31 08:17:19Z'), ToDateTime('2024-03-31 08:00:00Z'))", "1039"),
    dates(DateFn::SubDays, "SubDays", &[DATE, p("days", Int)], SameAs(0),
      "The date moved back by `days` days (`AddDays(date, -days)`). A Date stays a Date.",
      "SubDays(ToDate('2024-03-01'), 1)", "Date 2024-02-29"),
    dates(DateFn::SubHours, "SubHours", &[DATE, p("hours", Int)], DT,
      "The instant moved back by `hours` hours. A Date counts from its midnight UTC.",
      "SubHours(ToDate('2024-03-01'), 1)", "DateTime 2024-02-29 23:00:00.000Z"),
    dates(DateFn::SubMinutes, "SubMinutes", &[DATE, p("minutes", Int)], DT,
      "The instant moved back by `minutes` minutes. A Date counts from its midnight UTC.",
      "SubMinutes(ToDateTime('2024-03-31 08:17:19Z'), 20)", "DateTime 2024-03-31 07:57:19.000Z"),
    dates(DateFn::SubMonths, "SubMonths", &[DATE, p("months", Int)], SameAs(0),
      "The date moved back by `months` calendar months, clamped to the end of a shorter month.",
      "SubMonths(ToDate('2024-03-31'), 1)", "Date 2024-02-29"),
    dates(DateFn::SubSeconds, "SubSeconds", &[DATE, p("seconds", Int)], DT,
      "The instant moved back by `seconds` seconds. A Date counts from its midnight UTC.",
      "SubSeconds(ToDateTime('2024-03-31 08:17:19Z'), 19)", "DateTime 2024-03-31 08:17:00.000Z"),
    dates(DateFn::SubYears, "SubYears", &[DATE, p("years", Int)], SameAs(0),
      "The date moved back by `years` years. Feb 29 becomes Feb 28 in a year that is not a leap year.",
      "SubYears(ToDate('2024-02-29'), 4)", "Date 2020-02-29"),
    dates(DateFn::ToDate, "ToDate", &[p("value", Any)], D,
      "The value as a Date: a DateTime's UTC date, or a String in `YYYY-MM-DD` or a date-time form. Other values or text are an error.",
      "ToDate('2024-03-31')", "Date 2024-03-31"),
    dates(DateFn::ToDateTime, "ToDateTime", &[p("value", Any)], DT,
      "The value as a DateTime: a Date at midnight UTC, or a String in RFC 3339, `YYYY-MM-DD HH:MM:SS[.fff][Z]` or `YYYY-MM-DD`. Other values or text are an error.",
      "ToDateTime('2024-03-31 08:17:19Z')", "DateTime 2024-03-31 08:17:19.000Z"),
    dates(DateFn::ToDateTimeWithTimezone, "ToDateTimeWithTimezone", &[STRING, p("timezone", Str)], DT,
      "Reads the text (`YYYY-MM-DD HH:MM:SS[.fff]`, with `T` or a space, or `YYYY-MM-DD`) as local time in the IANA time zone and gives that moment; without a zone it is UTC. Text that carries its own offset or `Z` keeps it. Daylight-saving gaps and repeats as in `LocalToUTC`; an unknown zone or unreadable text is an error.",
      "ToDateTimeWithTimezone('2019-02-19 08:09:00', 'Asia/Tehran')", "DateTime 2019-02-19 04:39:00.000Z"),
    dates(DateFn::TruncDate, "TruncDate", &[DATE, p("seconds", Int)], DT,
      "The instant truncated down to a multiple of `seconds` seconds counted from 1970-01-01 00:00:00 UTC: 60 gives the minute, 3600 the hour, 86400 the UTC day. `seconds` below 1 is an error.",
      "TruncDate(ToDateTime('2024-03-31 08:17:19Z'), 3600)", "DateTime 2024-03-31 08:00:00.000Z"),
    dates(DateFn::TruncDateTz, "TruncDateTZ", &[DATE, p("seconds", Int), p("timezone", Str)], DT,
      "Like `TruncDate`, counted on the local clock of the IANA time zone: 86400 gives the local midnight (here before the spring change to summer time, so UTC+1). `seconds` below 1 or an unknown zone is an error.",
      "TruncDateTZ(ToDateTime('2024-03-31 08:17:19Z'), 86400, 'Europe/Paris')", "DateTime 2024-03-30 23:00:00.000Z"),
    dates(DateFn::TruncQuarter, "TruncQuarter", &[DATE], SameAs(0),
      "The first day of the date's quarter (Jan 1, Apr 1, Jul 1 or Oct 1) at 00:00 UTC. A Date stays a Date.",
      "TruncQuarter(ToDate('2024-05-17'))", "Date 2024-04-01"),
    dates(DateFn::TruncTime, "TruncTime", &[DATE, p("seconds", Int)], DT,
      "The time of day truncated down to a multiple of `seconds` seconds counted from the date's midnight UTC, on the same day: 900 gives the quarter hour. `seconds` below 1 is an error.",
      "TruncTime(ToDateTime('2024-03-31 08:17:19Z'), 900)", "DateTime 2024-03-31 08:15:00.000Z"),
    dates(DateFn::TruncWeek, "TruncWeek", &[DATE], SameAs(0),
      "The Monday of the date's week at 00:00 UTC (weeks start on Monday, as in ISO 8601). A Date stays a Date.",
      "TruncWeek(ToDate('2025-01-12'))", "Date 2025-01-06"),
    dates(DateFn::TruncYear, "TruncYear", &[DATE], SameAs(0),
      "January 1st of the date's year at 00:00 UTC. A Date stays a Date.",
      "TruncYear(ToDateTime('2024-03-31 08:17:19Z'))", "DateTime 2024-01-01 00:00:00.000Z"),
    dates(DateFn::WeekDay, "WeekDay", &[DATE], I,
      "The day of the week, 1 (Monday) to 7 (Sunday), as in ISO 8601 (UTC).",
      "WeekDay(ToDate('2025-01-12'))", "7"),
    dates(DateFn::Year, "Year", &[DATE], I,
      "The year (UTC).", "Year(ToDate('2024-03-31'))", "2024"),
    dates(DateFn::YearAndMonth, "YearAndMonth", &[DATE], I,
      "The year and the month as the Integer `yyyymm` (UTC).", "YearAndMonth(ToDate('2024-03-31'))", "202403"),
    dates(DateFn::YearsDiff, "YearsDiff", &[END, START], I,
      "The whole years from `start` to `end`: `MonthsDiff` divided by 12, truncated toward zero.",
      "YearsDiff(ToDate('2024-02-28'), ToDate('2000-02-29'))", "23"),
    dates(DateFn::YearsOld, "YearsOld", &[DATE], I,
      "The age of the date in whole years at the run's current date, as for a birth date.",
      "YearsOld(ToDate('2000-01-07'))", "24"),
];

/// The Geomarketing function, in the order of [`GeoFn`].
#[rustfmt::skip]
const GEOMARKETING: [FuncSpec; GeoFn::ALL.len()] = [
    geo(GeoFn::Distance, "Distance",
      &[p("longitude_a", Num), p("latitude_a", Num), p("longitude_b", Num), p("latitude_b", Num)], DEC,
      "The great-circle distance in kilometres between two points given by longitude and latitude in degrees (haversine formula, Earth radius 6371 km). A longitude outside -180..180 or a latitude outside -90..90 is an error.",
      "Round(Distance(2.3522, 48.8566, -0.1278, 51.5074), 1)", "343.6"),
];

/// The Numerical functions, in the order of [`NumFn`].
#[rustfmt::skip]
const NUMERICAL: [FuncSpec; NumFn::ALL.len()] = [
    num(NumFn::Abs, "Abs", &[p("number", Num)], SameAs(0),
      "The absolute value, of the same type. `Abs` of the smallest Integer overflows (error).", "Abs(-3.5)", "3.5"),
    num(NumFn::Ceil, "Ceil", &[p("number", Num)], SameAs(0),
      "The smallest whole number not below the number, of the same type (an Integer is unchanged).", "Ceil(4.2)", "5.0"),
    num(NumFn::Floor, "Floor", &[p("number", Num)], SameAs(0),
      "The largest whole number not above the number, of the same type (an Integer is unchanged).", "Floor(-4.2)", "-5.0"),
    num(NumFn::Greatest, "Greatest", &[p("number1", Num), p("number2", Num)], Numeric,
      "The larger of two numbers: an Integer when both are Integers, else a Decimal.", "Greatest(1, 2.5)", "2.5"),
    num(NumFn::Least, "Least", &[p("number1", Num), p("number2", Num)], Numeric,
      "The smaller of two numbers: an Integer when both are Integers, else a Decimal.", "Least(3, 2)", "2"),
    num(NumFn::Mod, "Mod", &[p("dividend", Num), p("divisor", Num)], Numeric,
      "The remainder of `dividend` divided by `divisor`, with the sign of the dividend (truncated division, as in SQL): `Mod(-7, 2)` is -1. An Integer when both are Integers, else a Decimal. A zero divisor is an error.",
      "Mod(7, 2)", "1"),
    num(NumFn::Percent, "Percent", &[p("part", Num), p("whole", Num)], DEC,
      "`part` as a percentage of `whole` (part / whole × 100), a Decimal. A zero `whole` gives 0.0, as a report shows 0 % of nothing.",
      "Percent(1, 4)", "25.0"),
    num(NumFn::Random, "Random", &[], I,
      "A pseudo-random Integer from 0 to 2147483647 drawn from the simulator's seeded generator: the same design, scenario and run give the same numbers every time.",
      "Random() >= 0 AND Random() <= 2147483647", "true"),
    num(NumFn::Round, "Round", &[p("number", Num), p("digits", Int)], SameAs(0),
      "The number rounded half away from zero to `digits` decimals (default 0; -15 to 15; negative rounds to tens, hundreds...), on its decimal digits as written: `Round(2.675, 2)` is 2.68. The type is kept.",
      "Round(2.567, 2)", "2.57"),
    num(NumFn::Sign, "Sign", &[p("number", Num)], I,
      "-1, 0 or 1 as an Integer, after the sign of the number.", "Sign(-3)", "-1"),
    num(NumFn::ToDouble, "ToDouble", &[p("value", Any)], DEC,
      "The value as a Decimal: an Integer converted, a Boolean as 1 or 0, a String parsed. Text that is not a number is an error.",
      "ToDouble('2.5') * 2", "5.0"),
    num(NumFn::ToInt64, "ToInt64", &[p("value", Any)], I,
      "The value as a 64-bit Integer, exactly as `ToInteger` (flowcall's Integers are 64-bit).",
      "ToInt64(-3.9)", "-3"),
    num(NumFn::ToInteger, "ToInteger", &[p("value", Any)], I,
      "The value as an Integer: a Decimal truncated toward zero, a Boolean as 1 or 0, a String parsed as an integer or a decimal (then truncated). Text that is not a number, or a number out of range, is an error.",
      "ToInteger('42') + ToInteger(3.9)", "45"),
    num(NumFn::Trunc, "Trunc", &[p("number", Num), p("digits", Int)], SameAs(0),
      "The number truncated toward zero to `digits` decimals (default 0; -15 to 15; negative truncates to tens, hundreds...), on its decimal digits as written: `Trunc(0.29, 2)` is 0.29. The type is kept.",
      "Trunc(2.789, 1)", "2.7"),
];

/// The Others functions, in the order of [`OtherFn`].
#[rustfmt::skip]
const OTHERS: [FuncSpec; OtherFn::ALL.len()] = [
    handles(others(OtherFn::Case, "Case", &[p("branch", Any)], Common(&[]),
      "The value of the first `When(condition, value)` whose condition is true (a null condition counts as false), else the value of the final `Else(value)`, else null. The legacy form `Case(condition, value, ..., default)` is still accepted and gives the same results. Only what is needed is evaluated.",
      "Case(When(1 > 2, 'a'), When(2 > 1, 'b'), Else('c'))", "'b'")),
    others(OtherFn::ClearBit, "ClearBit", &[p("value", Int), p("flag", Int)], I,
      "`value` with the bits of `flag` cleared. A flag is a mask (1, 2, 4, 8...), not a bit position; a flag below 1 is an error.",
      "ClearBit(7, 2)", "5"),
    handles(others(OtherFn::Coalesce, "Coalesce", &[p("value", Any), p("fallback", Any)], Common(&[]),
      "The first argument that is neither null nor a numeric zero, else the last argument: value 2 when value 1 is zero or null. Strings, dates and Booleans are only skipped when null. Later arguments are not evaluated.",
      "Coalesce(0, 5)", "5")),
    handles(others(OtherFn::Decode, "Decode", &[p("value", Any), p("compare", Any), p("then", Any), p("else", Any)], Common(&[2, 3]),
      "`then` when `value` = `compare`, else `else`. They compare as with `=` (numbers by value, a Date with a DateTime at midnight UTC); a null on either side is not equal, so it gives `else`. Only the chosen value is evaluated.",
      "Decode(2, 2, 'two', 'other')", "'two'")),
    inside_case(handles(others(OtherFn::Else, "Else", &[p("value", Any)], SameAs(0),
      "The default value of a `Case`; only allowed as its last argument.",
      "Case(When(false, 1), Else(2))", "2"))),
    others(OtherFn::GetEmailDomain, "GetEmailDomain", &[p("email", Str)], S,
      "The domain of an email address: the text after the last `@`, in lower case. Null when there is no `@`.",
      "GetEmailDomain('Jane.Doe@Example.COM')", "'example.com'"),
    refused(others(OtherFn::GetMirrorUrl, "GetMirrorURL", &[p("value", Any)], S,
      "Refused by the checker: the mirror page server belongs to the reference's delivery infrastructure, which a design does not describe. Write the URL in an option and read it with `GetOption`.",
      "GetMirrorURL('newsletter')", "error: `GetMirrorURL` cannot be simulated"), NO_MIRROR),
    handles(others(OtherFn::Iif, "Iif", &[p("condition", Bool), p("then", Any), p("else", Any)], Common(&[1, 2]),
      "`then` when the condition is true, else `else` (a null condition counts as false). Only the chosen branch is evaluated.",
      "Iif(3 > 2, 'yes', 'no')", "'yes'")),
    others(OtherFn::IsBitSet, "IsBitSet", &[p("value", Int), p("flag", Int)], B,
      "Whether every bit of `flag` is set in `value`. A flag is a mask (1, 2, 4, 8...); a flag below 1 is an error.",
      "IsBitSet(5, 4)", "true"),
    handles(others(OtherFn::IsEmptyString, "IsEmptyString", &[p("value", Any), p("if_empty", Any), p("otherwise", Any)], Common(&[1, 2]),
      "With three arguments (the reference's form): `if_empty` when the value is null or the empty string, else `otherwise`; only the chosen one is evaluated. The legacy one-argument form gives the Boolean test itself.",
      "IsEmptyString('', 'none', 'some')", "'none'")),
    handles(others(OtherFn::NoNull, "NoNull", &[STRING], S,
      "The string, or the empty string when it is null.", "NoNull($(vars/@missing))", "''")),
    refused(others(OtherFn::RowId, "RowId", &[], I,
      "Refused by the checker: the reference numbers the rows of a query result on its server, while a Query filter sees each sample row on its own. Use a column of the sample data.",
      "RowId()", "error: `RowId` cannot be simulated"), NO_ROW_ID),
    others(OtherFn::SetBit, "SetBit", &[p("value", Int), p("flag", Int)], I,
      "`value` with the bits of `flag` set. A flag is a mask (1, 2, 4, 8...); a flag below 1 is an error.",
      "SetBit(5, 2)", "7"),
    others(OtherFn::ToBoolean, "ToBoolean", &[p("value", Any)], B,
      "The value as a Boolean: a number is true unless zero, a String is read as `true`/`false`/`1`/`0` (any case). Other text is an error.",
      "ToBoolean('1')", "true"),
    inside_case(handles(others(OtherFn::When, "When", &[p("condition", Bool), p("value", Any)], SameAs(1),
      "One branch of a `Case`: its value when the condition is true. Only allowed as an argument of `Case`.",
      "Case(When(true, 'yes'))", "'yes'"))),
    others(OtherFn::NewUuid, "newUUID", &[], S,
      "A new UUID as a String, from the simulator's generator (deterministic in tests and scenarios).",
      "newUUID()", "'00000000-0000-4000-8000-000000000001'"),
];

/// The String functions, in the order of [`StringFn`].
#[rustfmt::skip]
const STRING_FUNCTIONS: [FuncSpec; StringFn::ALL.len()] = [
    handles(string(StringFn::AllNonNull2, "AllNonNull2", &[p("string1", Str), p("string2", Str)], B,
      "True when both strings are neither null nor empty.", "AllNonNull2('a', '')", "false")),
    handles(string(StringFn::AllNonNull3, "AllNonNull3", &[p("string1", Str), p("string2", Str), p("string3", Str)], B,
      "True when all three strings are neither null nor empty.", "AllNonNull3('a', 'b', 'c')", "true")),
    string(StringFn::Ascii, "Ascii", &[STRING], I,
      "The code of the first character: its ASCII code for ASCII text, its Unicode code point otherwise; 0 for the empty string.",
      "Ascii('A')", "65"),
    string(StringFn::Char, "Char", &[p("code", Int)], S,
      "The character with this Unicode code point (the ASCII character for 0 to 127). A code that is not a character is an error.",
      "Char(65)", "'A'"),
    string(StringFn::Charindex, "Charindex", &[STRING, p("find", Str)], I,
      "The position (from 1, in characters) of the first occurrence of `find` in the string; 0 when it does not occur, 1 when `find` is empty.",
      "Charindex('newsletter', 'letter')", "5"),
    string(StringFn::DataLength, "DataLength", &[STRING], I,
      "The size of the string in bytes (UTF-8): the number of characters for ASCII text, more for accented letters.",
      "DataLength('héllo')", "6"),
    refused(string(StringFn::AesDecrypt, "encryption_aescbcDecrypt", &[p("encrypted", Str), p("key", Str), p("iv", Str)], S,
      "Refused by the checker: decrypts with the reference database's AES-CBC, whose key handling and padding flowcall does not reproduce.",
      "encryption_aescbcDecrypt('\\x00', '\\x00', '\\x00')", "error: `encryption_aescbcDecrypt` cannot be simulated"), NO_AES),
    refused(string(StringFn::AesEncrypt, "encryption_aescbcEncrypt", &[STRING, p("key", Str), p("iv", Str)], S,
      "Refused by the checker: encrypts with the reference database's AES-CBC, whose key handling and padding flowcall does not reproduce.",
      "encryption_aescbcEncrypt('secret', '\\x00', '\\x00')", "error: `encryption_aescbcEncrypt` cannot be simulated"), NO_AES),
    string(StringFn::GetLine, "GetLine", &[STRING, p("line", Int)], S,
      "The `line`-th line (from 1) of the string. Lines end with a line feed (a carriage return before it is dropped); past the last line the result is empty; a line below 1 is an error.",
      "GetLine('first' + Char(10) + 'second', 2)", "'second'"),
    handles(string(StringFn::IfEquals, "IfEquals", &[p("string1", Str), p("string2", Str), p("then", Any), p("else", Any)], Common(&[2, 3]),
      "`then` when the two strings are equal (case-sensitive), else `else`; a null string is not equal to anything. Only the chosen value is evaluated.",
      "IfEquals('gold', 'gold', 'vip', 'standard')", "'vip'")),
    handles(string(StringFn::IsMemoNull, "IsMemoNull", &[p("memo", Str)], B,
      "Whether a memo (a long text of the sample data) is null or empty.", "IsMemoNull('')", "true")),
    handles(string(StringFn::JuxtWords, "JuxtWords", &[p("string1", Str), p("string2", Str)], S,
      "The strings joined by one space; a null or empty string is left out with its space.",
      "JuxtWords('Jane', 'Doe')", "'Jane Doe'")),
    handles(string(StringFn::JuxtWords3, "JuxtWords3", &[p("string1", Str), p("string2", Str), p("string3", Str)], S,
      "The three strings joined by single spaces; null or empty strings are left out with their space.",
      "JuxtWords3('Jane', '', 'Doe')", "'Jane Doe'")),
    string(StringFn::LPad, "LPad", &[STRING, p("length", Int), p("pad", Str)], S,
      "The string padded on the left with the first character of `pad` up to `length` characters. A string already that long is returned unchanged; an empty `pad` or a negative `length` is an error.",
      "LPad('42', 5, '0')", "'00042'"),
    string(StringFn::Left, "Left", &[STRING, p("count", Int)], S,
      "The first `count` characters (the whole string when it is shorter). A negative count is an error.",
      "Left('newsletter', 4)", "'news'"),
    string(StringFn::Length, "Length", &[STRING], I,
      "The number of characters (not bytes).", "Length('héllo')", "5"),
    string(StringFn::Lower, "Lower", &[STRING], S,
      "The string in lower case (Unicode rules).", "Lower('GoldMembers')", "'goldmembers'"),
    string(StringFn::Ltrim, "Ltrim", &[STRING], S,
      "The string without leading white space.", "Ltrim('  gold  ')", "'gold  '"),
    string(StringFn::Md5Digest, "Md5Digest", &[STRING], S,
      "The MD5 digest of the string's UTF-8 bytes, as 32 lower-case hexadecimal digits.",
      "Md5Digest('hello')", "'5d41402abc4b2a76b9719d911017c592'"),
    string(StringFn::MemoContains, "MemoContains", &[p("memo", Str), p("find", Str)], B,
      "Whether the memo (a long text of the sample data) contains `find` (case-sensitive).",
      "MemoContains('please call me back', 'call')", "true"),
    string(StringFn::RPad, "RPad", &[STRING, p("length", Int), p("pad", Str)], S,
      "The string padded on the right with the first character of `pad` up to `length` characters. A string already that long is returned unchanged; an empty `pad` or a negative `length` is an error.",
      "RPad('42', 5, '*')", "'42***'"),
    string(StringFn::Replace, "Replace", &[STRING, p("find", Str), p("replacement", Str)], S,
      "Every occurrence of `find` replaced by `replacement`, left to right without overlaps. An empty `find` leaves the string unchanged.",
      "Replace('a-b-c', '-', '/')", "'a/b/c'"),
    string(StringFn::Right, "Right", &[STRING, p("count", Int)], S,
      "The last `count` characters (the whole string when it is shorter). A negative count is an error.",
      "Right('report.csv', 3)", "'csv'"),
    string(StringFn::Rtrim, "Rtrim", &[STRING], S,
      "The string without trailing white space.", "Rtrim('  gold  ')", "'  gold'"),
    string(StringFn::Sha256Digest, "Sha256Digest", &[STRING], S,
      "The SHA-256 digest of the string's UTF-8 bytes, as 64 lower-case hexadecimal digits.",
      "Sha256Digest('hello')", "'2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'"),
    string(StringFn::Sha384Digest, "Sha384Digest", &[STRING], S,
      "The SHA-384 digest of the string's UTF-8 bytes, as 96 lower-case hexadecimal digits.",
      "Left(Sha384Digest('hello'), 16)", "'59e1748777448c69'"),
    string(StringFn::Sha512Digest, "Sha512Digest", &[STRING], S,
      "The SHA-512 digest of the string's UTF-8 bytes, as 128 lower-case hexadecimal digits.",
      "Left(Sha512Digest('hello'), 16)", "'9b71d224bd62f378'"),
    string(StringFn::Smart, "Smart", &[STRING], S,
      "Each word with its first letter in upper case and the others in lower case. Words are runs of letters and digits, so `jean-paul o'neil` gives `Jean-Paul O'Neil`.",
      "Smart('hello WORLD')", "'Hello World'"),
    string(StringFn::Substring, "Substring", &[STRING, p("start", Int), p("length", Int)], S,
      "`length` characters starting at character `start`, counted from 1 (as in SQL). Past the end gives a shorter or empty string; a `start` below 1 or a negative `length` is an error.",
      "Substring('newsletter', 5, 6)", "'letter'"),
    string(StringFn::ToIntlString, "ToIntlString", &[p("number", Num)], S,
      "The number as text in the international form: `.` as the decimal separator, no grouping, no exponent (as `ToString` writes numbers).",
      "ToIntlString(1234.5)", "'1234.5'"),
    handles(string(StringFn::ToString, "ToString", &[p("value", Any)], S,
      "The value as text, the way `$(vars/@x)` reads a variable (dates `YYYY-MM-DD`, date-times `YYYY-MM-DD HH:MM:SS.fffZ`). Null gives the empty string.",
      "ToString(42) + '!'", "'42!'")),
    extra(string(StringFn::Trim, "Trim", &[STRING], S,
      "The string without leading and trailing white space (a flowcall addition: the reference's `Ltrim` and `Rtrim` together).",
      "Trim('  gold  ')", "'gold'")),
    string(StringFn::Upper, "Upper", &[STRING], S,
      "The string in upper case (Unicode rules).", "Upper('gold members')", "'GOLD MEMBERS'"),
    string(StringFn::VirtualLink, "VirtualLink", &[p("key", Int), p("a", Int), p("b", Int)], I,
      "The link key `key` when `a` and `b` are equal, else null (the reference's server turns such a key into a link; flowcall gives the key).",
      "VirtualLink(42, 1, 1)", "42"),
    string(StringFn::VirtualLinkStr, "VirtualLinkStr", &[p("key", Str), p("a", Int), p("b", Int)], S,
      "The text link key `key` when `a` and `b` are equal, else null.",
      "VirtualLinkStr('FR', 1, 2)", "null"),
];

/// The functions for event variables, in the order of [`EventFn`].
#[rustfmt::skip]
const EVENT_VARIABLES: [FuncSpec; EventFn::ALL.len()] = [
    event(EventFn::DateFormat, "DateFormat", &[DATE, p("format", Str)], S,
      "The date written with `format`: `%4Y` year (4 digits), `%2M` month, `%2D` day, `%2H` hour, `%2N` minute, `%2S` second (2 digits each, UTC); any other text is copied. A Date has time 00:00:00.",
      "DateFormat(ToDateTime('2024-03-31 08:17:19Z'), '%4Y%2M%2D-%2H%2N%2S')", "'20240331-081719'"),
    event(EventFn::EndWith, "EndWith", &[STRING, p("suffix", Str)], B,
      "Whether the string ends with `suffix` (case-sensitive).", "EndWith('report.csv', '.csv')", "true"),
    event(EventFn::Extract, "Extract", &[STRING, p("separator", Str)], S,
      "The part before the first `separator`. The whole string when the separator does not occur or is empty.",
      "Extract('gold;silver;bronze', ';')", "'gold'"),
    event(EventFn::ExtractRight, "ExtractRight", &[STRING, p("separator", Str)], S,
      "The part after the last `separator`. The whole string when the separator does not occur or is empty.",
      "ExtractRight('gold;silver;bronze', ';')", "'bronze'"),
    event(EventFn::FileExt, "FileExt", &[p("path", Str)], S,
      "The extension of a path's file name, without the dot; empty when there is none.",
      "FileExt('/in/2024/members.csv')", "'csv'"),
    event(EventFn::FileName, "FileName", &[p("path", Str)], S,
      "The file name of a path (after the last `/` or `\\`) without its extension (the part from the last `.`, unless the name starts with it).",
      "FileName('/in/2024/members.csv')", "'members'"),
    event(EventFn::GetOption, "GetOption", &[p("name", Str)], S,
      "The value of the named option of the sample data, as a String; null when no such option is defined.",
      "GetOption('brand')", "'Acme'"),
    handles(event(EventFn::IsNull, "IsNull", &[p("value", Any)], B,
      "Whether the value is null (an absent variable, a null cell, a null result).", "IsNull($(vars/@missing))", "true")),
    event(EventFn::StartWith, "startWith", &[STRING, p("prefix", Str)], B,
      "Whether the string starts with `prefix` (case-sensitive).", "startWith('https://example.com', 'https:')", "true"),
    event(EventFn::UrlUtf8Encode, "UrlUtf8Encode", &[STRING], S,
      "The string percent-encoded as UTF-8 for a URL: letters, digits and `- _ . ~` are kept, every other byte becomes `%XX`.",
      "UrlUtf8Encode('gold members/é')", "'gold%20members%2F%C3%A9'"),
];

/// Every function: the families in order, each in its own order ([`Func::index`]).
pub static TABLE: [FuncSpec; Func::COUNT] = concat();

/// The family arrays one after another.
const fn concat() -> [FuncSpec; Func::COUNT] {
    let families: [&[FuncSpec]; 6] = [
        &DATES,
        &GEOMARKETING,
        &NUMERICAL,
        &OTHERS,
        &STRING_FUNCTIONS,
        &EVENT_VARIABLES,
    ];
    let mut out = [DATES[0]; Func::COUNT];
    let (mut k, mut f) = (0, 0);
    while f < families.len() {
        let mut i = 0;
        while i < families[f].len() {
            out[k] = families[f][i];
            i += 1;
            k += 1;
        }
        f += 1;
    }
    out
}

impl Func {
    /// The table row of this function.
    pub fn spec(self) -> &'static FuncSpec {
        &TABLE[self.index()]
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Looks a function up by name, ignoring case.
    pub fn lookup(name: &str) -> Option<Func> {
        TABLE
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
            .map(|s| s.func)
    }

    /// The closest known function name, for "did you mean".
    pub fn suggest(name: &str) -> Option<&'static str> {
        let lower = name.to_ascii_lowercase();
        TABLE
            .iter()
            .map(|s| {
                (
                    strsim::levenshtein(&lower, &s.name.to_ascii_lowercase()),
                    s.name,
                )
            })
            .filter(|(d, n)| *d <= (n.len() / 3).max(2))
            .min_by_key(|(d, _)| *d)
            .map(|(_, n)| n)
    }
}
