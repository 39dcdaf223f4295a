//! Dates and instants: the crate's one date-time library (jiff) seen through the few operations
//! flowcall needs, and the text forms that design files and exports keep. Instants are
//! `jiff::Timestamp` (UTC), calendar dates `jiff::civil::Date`; their range (years -9999 to
//! 9999) holds every date RFC 3339 and JSON Schema's `date-time` format can write.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// The calendar date and time of day of an instant, in UTC (defined for every instant).
pub fn utc(at: Timestamp) -> DateTime {
    TimeZone::UTC.to_datetime(at)
}

/// The instant of a date and time of day read in UTC; `None` past the range of instants.
pub fn from_utc(civil: DateTime) -> Option<Timestamp> {
    TimeZone::UTC.to_timestamp(civil).ok()
}

/// Midnight UTC of a date; `None` for the last day of year 9999, past the range of instants.
pub fn midnight(d: Date) -> Option<Timestamp> {
    from_utc(d.to_datetime(Time::midnight()))
}

/// The date of an instant, in UTC.
pub fn date_of(at: Timestamp) -> Date {
    utc(at).date()
}

/// An instant from whole seconds since 1970-01-01 UTC; `None` out of range.
pub fn from_seconds(seconds: i64) -> Option<Timestamp> {
    Timestamp::from_second(seconds).ok()
}

/// `at` plus (or minus) a number of seconds; `None` past the range of instants.
pub fn add_seconds(at: Timestamp, seconds: i64) -> Option<Timestamp> {
    at.checked_add(SignedDuration::from_secs(seconds)).ok()
}

/// The seconds from `from` to `to` (negative when `to` is earlier), the fraction dropped.
pub fn seconds_between(from: Timestamp, to: Timestamp) -> i64 {
    let nanos = to.as_nanosecond() - from.as_nanosecond();
    i64::try_from(nanos / 1_000_000_000).unwrap_or(if nanos < 0 { i64::MIN } else { i64::MAX })
}

/// The whole seconds from `from` until `to`, rounded up (0 when `to` is not later).
pub fn seconds_until(from: Timestamp, to: Timestamp) -> u64 {
    let nanos = (to.as_nanosecond() - from.as_nanosecond()).max(0);
    u64::try_from((nanos + 999_999_999) / 1_000_000_000).unwrap_or(u64::MAX)
}

/// 2025-01-06 09:00 UTC, a Monday morning: where a design's virtual clock starts by default.
pub fn default_clock_start() -> Timestamp {
    from_utc(jiff::civil::date(2025, 1, 6).at(9, 0, 0, 0)).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// RFC 3339 in UTC with the fraction of a second written as 0, 3, 6 or 9 digits, as few as
/// hold it (`2025-01-06T09:00:00Z`, `2019-04-03T08:17:19.100Z`): the form design files keep.
pub fn rfc3339_auto(at: Timestamp) -> String {
    let c = utc(at);
    let nanos = c.subsec_nanosecond();
    let fraction = if nanos == 0 {
        String::new()
    } else if nanos % 1_000_000 == 0 {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos % 1_000 == 0 {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    };
    format!(
        "{}{}{fraction}Z",
        year_text(c.year()),
        c.strftime("-%m-%dT%H:%M:%S")
    )
}

/// A year as RFC 3339 writes it (four digits), or ISO 8601's expanded form (a sign and six
/// digits) for years before 0, the form jiff reads back.
fn year_text(year: i16) -> String {
    if year >= 0 {
        format!("{year:04}")
    } else {
        format!("{year:+07}")
    }
}

/// A year written with a sign and four or five digits (as chrono wrote years before 0) widened
/// to the six digits ISO 8601's expanded form has.
fn expanded_year(text: &str) -> Option<String> {
    let sign = text.get(..1).filter(|s| *s == "-" || *s == "+")?;
    let rest = text.get(1..)?;
    let digits = rest.find('-')?;
    let (year, tail) = (rest.get(..digits)?, rest.get(digits..)?);
    (digits == 4 || digits == 5).then(|| format!("{sign}{year:0>6}{tail}"))
}

/// RFC 3339 in UTC with milliseconds (`2019-04-03T08:17:19.100Z`), for JSON exports.
pub fn rfc3339_millis(at: Timestamp) -> String {
    let c = utc(at);
    let millis = c.subsec_nanosecond() / 1_000_000;
    format!("{}.{millis:03}Z", c.strftime("%Y-%m-%dT%H:%M:%S"))
}

/// The way the reference product writes an instant: `2019-04-03 08:17:19.100Z`.
pub fn reference_form(at: Timestamp) -> String {
    let c = utc(at);
    let millis = c.subsec_nanosecond() / 1_000_000;
    format!("{}.{millis:03}Z", c.strftime("%Y-%m-%d %H:%M:%S"))
}

/// A date as `YYYY-MM-DD`.
pub fn date_text(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

/// Serde for instants in design files: written as [`rfc3339_auto`], read as RFC 3339 with any
/// offset (a `T` or a space between date and time).
pub mod instant_serde {
    use jiff::Timestamp;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `at` as [`crate::model::time::rfc3339_auto`].
    pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::model::time::rfc3339_auto(*at))
    }

    /// Reads an RFC 3339 instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        let read = text.parse::<Timestamp>().or_else(|e| {
            crate::model::time::expanded_year(&text)
                .and_then(|t| t.parse::<Timestamp>().ok())
                .ok_or(e)
        });
        read.map_err(|e| {
            serde::de::Error::custom(format!(
                "'{text}' is not an instant in RFC 3339 (like 2025-01-06T09:00:00Z): {e}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_are_the_files_forms() {
        let at: Timestamp = "2019-04-03T08:17:19.1Z".parse().unwrap_or(Timestamp::MIN);
        assert_eq!(rfc3339_auto(at), "2019-04-03T08:17:19.100Z");
        assert_eq!(rfc3339_millis(at), "2019-04-03T08:17:19.100Z");
        assert_eq!(reference_form(at), "2019-04-03 08:17:19.100Z");
        assert_eq!(rfc3339_auto(default_clock_start()), "2025-01-06T09:00:00Z");
        let micro: Timestamp = "2019-04-03T08:17:19.000001Z"
            .parse()
            .unwrap_or(Timestamp::MIN);
        assert_eq!(rfc3339_auto(micro), "2019-04-03T08:17:19.000001Z");
        assert_eq!(date_text(jiff::civil::date(7, 2, 3)), "0007-02-03");
        let before_0: Timestamp = "-000001-12-31T23:59:59Z".parse().unwrap_or(Timestamp::MAX);
        assert_eq!(rfc3339_auto(before_0), "-000001-12-31T23:59:59Z");
        assert_eq!(
            expanded_year("-0001-12-31T23:59:59Z").as_deref(),
            Some("-000001-12-31T23:59:59Z")
        );
        assert_eq!(expanded_year("2025-01-06T09:00:00Z"), None);
    }

    #[test]
    fn the_edges_of_the_range_are_none_not_panics() {
        assert_eq!(midnight(Date::MAX), None);
        assert!(midnight(jiff::civil::date(9999, 12, 30)).is_some());
        assert_eq!(add_seconds(Timestamp::MAX, 1), None);
        assert!(seconds_between(Timestamp::MIN, Timestamp::MAX) > 0);
        assert_eq!(date_of(Timestamp::MAX).year(), 9999);
    }
}
