//! Tests of the evaluator: every function (normal values, null, errors), operators, null
//! logic, caps, and a property test that arbitrary input never panics.

use super::*;
use crate::expr::functions::{OtherFn, StringFn};
use crate::model::{Column, Type, Value};
use proptest::prelude::*;
use std::borrow::Cow;

use super::builtins::test_support::{err, r, run};

fn run_with(src: &str, row: Option<&dyn Lookup>) -> Result<Value, ExprError> {
    super::builtins::test_support::run_full(src, row, None)
}

#[test]
fn arithmetic_and_precedence() {
    assert_eq!(r("1 + 2 * 3"), "7");
    assert_eq!(r("(1 + 2) * 3"), "9");
    assert_eq!(r("10 - 4 - 3"), "3");
    assert_eq!(r("7 / 2"), "3");
    assert_eq!(r("-7 / 2"), "-3");
    assert_eq!(r("7 / 2.0"), "3.5");
    assert_eq!(r("1 + 0.5"), "1.5");
    assert_eq!(r("-2 * -3"), "6");
    assert_eq!(r("'a' + 'b'"), "'ab'");
    assert_eq!(r("1 + 2 = 3 AND NOT 2 > 3"), "true");
}

#[test]
fn arithmetic_errors() {
    assert_eq!(err("1 / 0").message, "division by zero");
    assert_eq!(err("1 / 0").span, Span::new(2, 3));
    assert_eq!(err("1.5 / 0").message, "division by zero");
    assert!(
        err("9223372036854775807 + 1")
            .message
            .starts_with("integer overflow")
    );
    assert!(
        err("-9223372036854775808 - 1")
            .message
            .starts_with("integer overflow")
    );
    assert!(
        err("-9223372036854775808 / -1")
            .message
            .starts_with("integer overflow")
    );
    assert!(
        err("-(-9223372036854775808)")
            .message
            .starts_with("integer overflow")
    );
    assert!(
        err("4611686018427387904 * 2")
            .message
            .starts_with("integer overflow")
    );
    assert!(err("1.0e0").message.contains("malformed number"));
    assert!(err("ToDouble('1e308') * 10").message.contains("finite"));
    assert!(
        err("'a' + 1")
            .message
            .contains("cannot combine String and Integer")
    );
    assert!(err("'a' * 1").message.contains("expects numbers"));
    assert!(err("-'a'").message.contains("expects a number"));
}

#[test]
fn comparisons() {
    assert_eq!(r("1 < 2"), "true");
    assert_eq!(r("2 <= 2.0"), "true");
    assert_eq!(r("'b' > 'a'"), "true");
    assert_eq!(r("1 <> 1"), "false");
    assert_eq!(r("1 != 2"), "true");
    assert_eq!(r("3 >= 4"), "false");
    assert_eq!(
        r("ToDate('2024-01-01') < ToDateTime('2024-01-01 00:00:01Z')"),
        "true"
    );
    assert_eq!(r("true = TRUE"), "true");
    let e = err("'1' = 1");
    assert_eq!(
        e.message,
        "cannot compare String with Integer: expected two numbers, two dates or two values of the same type"
    );
    assert_eq!(e.span, Span::new(4, 5));
}

#[test]
fn null_logic() {
    assert_eq!(r("$(vars/@missing)"), "null");
    assert_eq!(r("$long(vars/@missing) + 1"), "null");
    assert_eq!(r("$long(vars/@missing) = 1"), "null");
    assert_eq!(r("-$long(vars/@missing)"), "null");
    assert_eq!(r("NOT $boolean(vars/@missing)"), "null");
    assert_eq!(r("false AND $boolean(vars/@missing)"), "false");
    assert_eq!(r("$boolean(vars/@missing) AND false"), "false");
    assert_eq!(r("true AND $boolean(vars/@missing)"), "null");
    assert_eq!(r("true OR $boolean(vars/@missing)"), "true");
    assert_eq!(r("$boolean(vars/@missing) OR true"), "true");
    assert_eq!(r("false OR $boolean(vars/@missing)"), "null");
    assert_eq!(r("true AND true"), "true");
    assert_eq!(r("false OR false"), "false");
    // Short-circuit: the right side is not evaluated.
    assert_eq!(r("false AND 1 / 0 = 1"), "false");
    assert_eq!(r("true OR 1 / 0 = 1"), "true");
    assert!(
        err("1 AND true")
            .message
            .contains("expects Boolean operands")
    );
    assert!(err("true AND 'x'").message.contains("on the right"));
    assert!(err("NOT 1").message.contains("expects a Boolean"));
    assert_eq!(r("$(vars/@nothing)"), "null");
}

#[test]
fn variable_readers() {
    assert_eq!(r("$(vars/@audience)"), "'gold members'");
    assert_eq!(r("$(vars/@recCount)"), "'12'");
    assert_eq!(r("$(vars/@day)"), "'2024-02-29'");
    assert_eq!(r("$long(vars/@recCount)"), "12");
    assert_eq!(r("$long(vars/@n) + 1"), "8");
    assert_eq!(r("$float(vars/@recCount)"), "12.0");
    assert_eq!(r("$float(vars/@price)"), "2.5");
    assert_eq!(r("$boolean(vars/@flag)"), "true");
    assert_eq!(
        r("$datetime(vars/@day)"),
        "DateTime 2024-02-29 00:00:00.000Z"
    );
    let e = err("1 + $long(vars/@word)");
    assert_eq!(e.span, Span::new(4, 21));
    assert_eq!(
        e.message,
        "cannot read variable 'word' with `$long(...)`: \"abc\" is not a valid Integer (expected something like 42)"
    );
    assert!(err("$long(vars/@price)").message.contains("'price'"));
    assert!(err("$datetime(vars/@word)").message.contains("DateTime"));
}

#[test]
fn fields() {
    let columns = vec![
        Column {
            name: "email".to_owned(),
            ty: Type::String,
        },
        Column {
            name: "age".to_owned(),
            ty: Type::Integer,
        },
    ];
    let cells = vec![Value::String("a@x.org".to_owned()), Value::Null];
    let row = ColumnsRow {
        columns: &columns,
        cells: &cells,
    };
    let got = run_with("@email = 'a@x.org' AND IsNull(@age)", Some(&row));
    assert_eq!(got, Ok(Value::Boolean(true)));
    let e = run_with("@nope", Some(&row)).err();
    assert_eq!(
        e.map(|e| e.message),
        Some("unknown field '@nope': the row has no such column".to_owned())
    );
    assert_eq!(
        err("@email").message,
        "`@field` is only allowed in Query filters"
    );
}

#[test]
fn string_functions() {
    assert_eq!(r("upper('gold é')"), "'GOLD É'");
    assert_eq!(r("Lower('GOLD')"), "'gold'");
    assert_eq!(r("Left('héllo', 2)"), "'hé'");
    assert_eq!(r("Left('abc', 10)"), "'abc'");
    assert_eq!(r("Left('abc', 0)"), "''");
    assert!(err("Left('abc', -1)").message.contains("0 or more"));
    assert_eq!(r("Right('héllo', 4)"), "'éllo'");
    assert_eq!(r("Right('abc', 10)"), "'abc'");
    assert!(err("Right('abc', -1)").message.contains("0 or more"));
    assert_eq!(r("Substring('abcdef', 1, 2)"), "'ab'");
    assert_eq!(r("Substring('abcdef', 5, 10)"), "'ef'");
    assert_eq!(r("Substring('abcdef', 9, 2)"), "''");
    assert_eq!(r("Substring('héllo', 2, 3)"), "'éll'");
    assert!(err("Substring('abc', 0, 1)").message.contains("from 1"));
    assert!(err("Substring('abc', 1, -1)").message.contains("0 or more"));
    assert_eq!(r("Length('')"), "0");
    assert_eq!(r("Length('日本')"), "2");
    assert_eq!(r("Replace('aaa', 'a', 'bb')"), "'bbbbbb'");
    assert_eq!(r("Replace('abc', '', 'x')"), "'abc'");
    assert_eq!(r("Replace('abc', 'z', 'x')"), "'abc'");
    assert_eq!(r("Trim(' \t x y \n')"), "'x y'");
    assert_eq!(r("Trim('xy')"), "'xy'");
    assert_eq!(r("LPad('7', 3, '0')"), "'007'");
    assert_eq!(r("LPad('1234', 3, '0')"), "'1234'");
    assert_eq!(r("LPad('é', 3, 'ab')"), "'aaé'");
    assert!(err("LPad('1', 3, '')").message.contains("non-empty"));
    assert!(err("LPad('1', -3, '0')").message.contains("0 or more"));
    assert_eq!(r("Char(233)"), "'é'");
    assert!(err("Char(55296)").message.contains("code point"));
    assert!(err("Char(-1)").message.contains("code point"));
    assert_eq!(r("ToString(2.5)"), "'2.5'");
    assert_eq!(r("ToString(true)"), "'true'");
    assert_eq!(r("ToString('x')"), "'x'");
    assert_eq!(r("ToString(ToDate('2024-01-02'))"), "'2024-01-02'");
    assert_eq!(r("ToString($(vars/@missing))"), "''");
    assert_eq!(r("EndWith('abc', 'bc')"), "true");
    assert_eq!(r("EndWith('abc', 'BC')"), "false");
    assert_eq!(r("STARTWITH('abc', 'ab')"), "true");
    assert_eq!(r("startWith('abc', 'b')"), "false");
    assert_eq!(r("Extract('a;b;c', ';')"), "'a'");
    assert_eq!(r("Extract('abc', ';')"), "'abc'");
    assert_eq!(r("Extract('abc', '')"), "'abc'");
    assert_eq!(r("Extract('a::b::c', '::')"), "'a'");
    assert_eq!(r("ExtractRight('a::b::c', '::')"), "'c'");
    assert_eq!(r("ExtractRight('abc', ';')"), "'abc'");
    assert_eq!(r("FileName('C:\\in\\data.tar.gz')"), "'data.tar'");
    assert_eq!(r("FileName('README')"), "'README'");
    assert_eq!(r("FileName('/x/.profile')"), "'.profile'");
    assert_eq!(r("FileExt('data.tar.gz')"), "'gz'");
    assert_eq!(r("FileExt('/a.b/README')"), "''");
    assert_eq!(
        r("UrlUtf8Encode('a-b_c.d~e f&g=h')"),
        "'a-b_c.d~e%20f%26g%3Dh'"
    );
    assert_eq!(r("IsEmptyString('')"), "true");
    assert_eq!(r("IsEmptyString(' ')"), "false");
    assert_eq!(r("IsEmptyString($(vars/@missing))"), "true");
    assert_eq!(r("IsEmptyString(0)"), "false");
    for f in [
        "Upper(#)",
        "Lower(#)",
        "Left(#, 1)",
        "Right(#, 1)",
        "Substring(#, 1, 1)",
        "Length(#)",
        "Replace(#, 'a', 'b')",
        "Trim(#)",
        "LPad(#, 2, '0')",
        "EndWith(#, 'a')",
        "startWith(#, 'a')",
        "Extract(#, ';')",
        "ExtractRight(#, ';')",
        "FileName(#)",
        "FileExt(#)",
        "UrlUtf8Encode(#)",
        "Left('a', $long(vars/@missing))",
    ] {
        let src = f.replace('#', "$(vars/@missing)");
        assert_eq!(r(&src), "null", "{src}");
    }
    assert_eq!(r("Char($long(vars/@missing))"), "null");
    let e = err("Upper(1)");
    assert_eq!(
        e.message,
        "argument 1 of `Upper` (string) expects a String, found an Integer"
    );
    assert_eq!(e.span, Span::new(6, 7));
    assert!(
        err("Left('a', 'b')")
            .message
            .contains("(count) expects an Integer")
    );
}

#[test]
fn number_functions() {
    assert_eq!(r("Abs(-3)"), "3");
    assert_eq!(r("Abs(2.5)"), "2.5");
    assert!(
        err("Abs(-9223372036854775808)")
            .message
            .starts_with("integer overflow")
    );
    assert_eq!(r("Ceil(-4.5)"), "-4.0");
    assert_eq!(r("Ceil(4)"), "4");
    assert_eq!(r("Floor(4.9)"), "4.0");
    assert_eq!(r("Floor(4)"), "4");
    assert_eq!(r("Round(2.5)"), "3.0");
    assert_eq!(r("Round(-2.5)"), "-3.0");
    assert_eq!(r("Round(1234.5678, -2)"), "1200.0");
    assert_eq!(r("Round(1250, -2)"), "1300");
    assert_eq!(r("Round(-1250, -2)"), "-1300");
    assert_eq!(r("Round(1249, -2)"), "1200");
    assert_eq!(r("Round(7, 2)"), "7");
    assert!(err("Round(1.5, 16)").message.contains("between -15 and 15"));
    assert!(
        err("Round(9223372036854775807, -1)")
            .message
            .starts_with("integer overflow")
    );
    assert_eq!(r("ToInteger('-12')"), "-12");
    assert_eq!(r("ToInteger('2.9')"), "2");
    assert_eq!(r("ToInteger(-2.9)"), "-2");
    assert_eq!(r("ToInteger(true)"), "1");
    assert_eq!(r("ToInteger(5)"), "5");
    assert!(
        err("ToInteger('abc')")
            .message
            .contains("not a valid Integer")
    );
    assert!(
        err("ToInteger(ToDouble('1e19'))")
            .message
            .starts_with("integer overflow")
    );
    assert!(
        err("ToInteger(GetDate())")
            .message
            .contains("cannot convert a DateTime")
    );
    assert_eq!(r("ToDouble(3)"), "3.0");
    assert_eq!(r("ToDouble(false)"), "0.0");
    assert_eq!(r("ToDouble(1.5)"), "1.5");
    assert!(err("ToDouble('x')").message.contains("not a valid Decimal"));
    assert!(
        err("ToDouble('NaN')")
            .message
            .contains("not a valid Decimal")
    );
    for f in ["Abs", "Ceil", "Floor", "Round", "ToInteger", "ToDouble"] {
        assert_eq!(r(&format!("{f}($long(vars/@missing))")), "null", "{f}");
    }
    assert_eq!(r("Round(1.5, $long(vars/@missing))"), "null");
    assert!(err("Abs('x')").message.contains("expects a number"));
}

#[test]
fn date_functions() {
    assert_eq!(r("GetDate()"), "DateTime 2025-01-06 09:00:00.000Z");
    assert_eq!(r("ToDate('2024-03-31 23:59:59Z')"), "Date 2024-03-31");
    assert_eq!(r("ToDate(GetDate())"), "Date 2025-01-06");
    assert_eq!(r("ToDate(ToDate('2024-01-01'))"), "Date 2024-01-01");
    assert!(
        err("ToDate('2024-02-30')")
            .message
            .contains("not a valid Date")
    );
    assert!(
        err("ToDate(1)")
            .message
            .contains("cannot convert an Integer to Date")
    );
    assert_eq!(
        r("ToDateTime('2024-03-31')"),
        "DateTime 2024-03-31 00:00:00.000Z"
    );
    assert_eq!(
        r("ToDateTime(ToDate('2024-03-31'))"),
        "DateTime 2024-03-31 00:00:00.000Z"
    );
    assert_eq!(
        r("ToDateTime('2024-03-31T10:00:00+02:00')"),
        "DateTime 2024-03-31 08:00:00.000Z"
    );
    assert!(
        err("ToDateTime('soon')")
            .message
            .contains("not a valid DateTime")
    );
    assert_eq!(r("AddDays(ToDate('2024-12-31'), 1)"), "Date 2025-01-01");
    assert_eq!(
        r("AddDays(GetDate(), -6)"),
        "DateTime 2024-12-31 09:00:00.000Z"
    );
    assert!(
        err("AddDays(GetDate(), 9223372036854775807)")
            .message
            .starts_with("date out of range")
    );
    assert_eq!(
        r("AddHours(GetDate(), -10)"),
        "DateTime 2025-01-05 23:00:00.000Z"
    );
    assert_eq!(
        r("AddMinutes(GetDate(), 61)"),
        "DateTime 2025-01-06 10:01:00.000Z"
    );
    assert_eq!(r("AddMonths(ToDate('2023-01-31'), 1)"), "Date 2023-02-28");
    assert_eq!(r("AddMonths(ToDate('2024-03-31'), -1)"), "Date 2024-02-29");
    assert_eq!(
        r("AddMonths(ToDateTime('2024-01-31 10:30:00Z'), 1)"),
        "DateTime 2024-02-29 10:30:00.000Z"
    );
    assert!(
        err("AddMonths(GetDate(), 99999999999)")
            .message
            .starts_with("date out of range")
    );
    assert_eq!(r("AddYears(ToDate('2024-02-29'), 4)"), "Date 2028-02-29");
    assert_eq!(r("AddYears(ToDate('2024-02-29'), -1)"), "Date 2023-02-28");
    assert!(
        err("AddYears(GetDate(), 9223372036854775807)")
            .message
            .starts_with("date out of range")
    );
    assert_eq!(r("DaysAgo(0)"), "Date 2025-01-06");
    assert_eq!(r("DaysAgo(-1)"), "Date 2025-01-07");
    assert!(
        err("DaysAgo(9223372036854775807)")
            .message
            .starts_with("date out of range")
    );
    assert_eq!(r("DateOnly(ToDate('2024-01-01'))"), "Date 2024-01-01");
    assert_eq!(r("DateOnly(GetDate())"), "Date 2025-01-06");
    assert_eq!(
        r("DateFormat(GetDate(), '%4Y-%2M-%2D %2H:%2N:%2S')"),
        "'2025-01-06 09:00:00'"
    );
    assert_eq!(
        r("DateFormat(ToDate('2024-03-05'), '%2D/%2M/%4Y %x %')"),
        "'05/03/2024 %x %'"
    );
    assert_eq!(r("DateFormat(ToDate('2024-03-05'), 'é%4Y')"), "'é2024'");
    assert_eq!(r("Year(GetDate()) * 100 + Month(GetDate())"), "202501");
    assert_eq!(r("Day(ToDate('2024-02-29'))"), "29");
    assert!(
        err("Year('2024')")
            .message
            .contains("expects a Date or DateTime")
    );
    for f in [
        "ToDate(#)",
        "ToDateTime(#)",
        "AddDays(#, 1)",
        "AddHours(#, 1)",
        "AddMinutes(#, 1)",
        "AddMonths(#, 1)",
        "AddYears(#, 1)",
        "DateOnly(#)",
        "DateFormat(#, '%4Y')",
        "Year(#)",
        "Month(#)",
        "Day(#)",
    ] {
        let src = f.replace('#', "$datetime(vars/@missing)");
        assert_eq!(r(&src), "null", "{src}");
    }
    assert_eq!(r("DaysAgo($long(vars/@missing))"), "null");
    assert_eq!(r("AddDays(GetDate(), $long(vars/@missing))"), "null");
}

#[test]
fn other_functions() {
    assert_eq!(r("Iif(false, 1, 2)"), "2");
    assert_eq!(r("Iif($boolean(vars/@missing), 1, 2)"), "2");
    assert_eq!(r("Iif(true, 1, 1 / 0)"), "1");
    assert!(err("Iif(1, 1, 2)").message.contains("expects a Boolean"));
    assert_eq!(r("Case(false, 1, true, 2)"), "2");
    assert_eq!(r("Case(false, 1)"), "null");
    assert_eq!(r("Case(false, 1, 3)"), "3");
    assert_eq!(r("Case($boolean(vars/@missing), 1, 3)"), "3");
    assert_eq!(r("Case(true, 1, 1 / 0 = 1, 2)"), "1");
    assert!(err("Case('x', 1)").message.contains("expects a Boolean"));
    assert_eq!(r("Coalesce($(vars/@missing), $(vars/@nothing))"), "null");
    assert_eq!(r("Coalesce(1, 1 / 0)"), "1");
    assert_eq!(r("IsNull(1)"), "false");
    assert_eq!(r("IsNull($datetime(vars/@missing))"), "true");
    assert_eq!(r("ToBoolean(0)"), "false");
    assert_eq!(r("ToBoolean(0.5)"), "true");
    assert_eq!(r("ToBoolean('False')"), "false");
    assert_eq!(r("ToBoolean(true)"), "true");
    assert!(
        err("ToBoolean('yes')")
            .message
            .contains("not a valid Boolean")
    );
    assert!(
        err("ToBoolean(GetDate())")
            .message
            .contains("cannot convert")
    );
    assert_eq!(r("ToBoolean($(vars/@missing))"), "null");
    assert_eq!(r("GetOption('brand')"), "'Acme'");
    assert_eq!(r("GetOption('nope')"), "null");
    assert_eq!(r("GetOption($(vars/@missing))"), "null");
    assert_eq!(
        r("newUUID() + ' ' + newUUID()"),
        "'00000000-0000-4000-8000-000000000001 00000000-0000-4000-8000-000000000002'"
    );
    assert!(err("Frob(1)").message.contains("unknown function `Frob`"));
    let e = err("Left('abc')");
    assert_eq!(
        e.message,
        "`Left` takes 2 arguments (string, count); got 1 (signature: `Left(string, count)`)"
    );
    assert_eq!(e.span, Span::new(0, 11));
    assert!(err("Iif(true, 1)").message.contains("takes 3 arguments"));
}

#[test]
fn string_caps() {
    // 600 KiB + 600 KiB exceeds the 1 MiB cap.
    let big = "LPad('', 614400, 'x')";
    assert_eq!(run(&format!("Length({big})")), Ok(Value::Integer(614_400)));
    assert!(
        err(&format!("{big} + {big}"))
            .message
            .starts_with("string result too long")
    );
    assert!(
        err("LPad('', 9223372036854775807, 'x')")
            .message
            .starts_with("string result too long")
    );
    assert!(
        err("LPad('', 600000, 'é') + LPad('', 1, 'x')")
            .message
            .starts_with("string result too long")
    );
    assert!(
        err(&format!("Replace({big}, 'x', 'yy')"))
            .message
            .starts_with("string result too long")
    );
    assert!(
        err("UrlUtf8Encode(LPad('', 400000, ' '))")
            .message
            .starts_with("string result too long")
    );
}

#[test]
fn render_error_shows_caret() {
    let src = "Iif($long(vars/@word) > 0, 'a', 'b')";
    let e = err(src);
    let out = render_error(src, &e);
    assert!(out.starts_with("error: cannot read variable 'word'"));
    assert!(out.ends_with("|     ^^^^^^^^^^^^^^^^^"));
}

#[test]
fn the_benchmark_expression() {
    assert_eq!(
        r("Iif($long(vars/@recCount) > 0, Upper($(vars/@audience)), 'none')"),
        "'GOLD MEMBERS'"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_text_never_panics(src in "\\PC{0,80}") {
        let _ = check_source(&src, &TypeEnv::default());
        let _ = run(&src);
    }

    #[test]
    fn random_token_soup_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("("), Just(")"), Just(","), Just("+"), Just("-"), Just("*"), Just("/"),
        Just("="), Just("<>"), Just("<="), Just(">"), Just(" AND "), Just(" OR "), Just("NOT "),
        Just("1"), Just("0"), Just("2.5"), Just("9223372036854775807"), Just("'x'"), Just("''"),
        Just("true"), Just("$(vars/@audience)"), Just("$long(vars/@recCount)"),
        Just("$long(vars/@word)"), Just("$(vars/@missing)"), Just("$datetime(vars/@day)"),
        Just("@email"), Just("Upper("), Just("Left("), Just("Iif("), Just("Case("),
        Just("Coalesce("), Just("LPad("), Just("Replace("), Just("AddMonths("), Just("GetDate()"),
        Just("DateFormat("), Just("Substring("), Just("ToInteger("), Just("Round("),
        Just("Char("), Just("Zork("),
    ], 0..40)) {
        let src: String = parts.concat();
        let mut env = TypeEnv::default();
        env.variables.insert("audience".to_owned(), VarInfo { ty: Type::String, origin: "test".to_owned() });
        let _ = check_source(&src, &env);
        let _ = run(&src);
    }
}

/// The reference's own documented examples (advanced expression editing, list of functions,
/// event variables), over a sample row, with the results the reference describes.
#[test]
fn the_reference_documented_examples() {
    let columns = [
        ("created", Type::DateTime),
        ("domain", Type::String),
        ("lastName", Type::String),
        ("mobilePhone", Type::String),
        ("age", Type::Integer),
        ("language", Type::String),
    ]
    .map(|(name, ty)| Column {
        name: name.to_owned(),
        ty,
    });
    let row = |created: &str, domain: &str, last: &str, mobile: Option<&str>, age: i64| {
        vec![
            Value::parse_as(created, Type::DateTime).unwrap_or(Value::Null),
            Value::String(domain.to_owned()),
            Value::String(last.to_owned()),
            mobile.map_or(Value::Null, |m| Value::String(m.to_owned())),
            Value::Integer(age),
            Value::String("French".to_owned()),
        ]
    };
    // The clock is 2025-01-06 09:00:00Z.
    let this_month = row("2025-01-02T10:00:00Z", "gmail.com", "Martin", None, 51);
    let last_year = row(
        "2024-01-15T10:00:00Z",
        "example.org",
        "Smith",
        Some("+33 6"),
        30,
    );
    let check = |cells: &[Value], src: &str| -> String {
        let r = ColumnsRow {
            columns: &columns,
            cells,
        };
        match run_with(src, Some(&r)) {
            Ok(v) => describe_value(&v),
            Err(e) => format!("ERR {}", e.message),
        }
    };
    let current = "Year(@created) = Year(GetDate()) AND Month(@created) = Month(GetDate())";
    assert_eq!(check(&this_month, current), "true");
    assert_eq!(check(&last_year, current), "false");
    // "@domain IN mail": the 'gmail.com' domain is part of the result.
    assert_eq!(check(&this_month, "@domain IN 'mail'"), "true");
    assert_eq!(check(&last_year, "@domain IN 'mail'"), "false");
    // "@lastName LIKE Mart%n" finds Martin; "@lastName NOT Smi%h" leaves Smith out.
    assert_eq!(check(&this_month, "@lastName LIKE 'Mart%n'"), "true");
    assert_eq!(check(&last_year, "@lastName LIKE 'Mart%n'"), "false");
    assert_eq!(check(&last_year, "@lastName NOT 'Smi%h'"), "false");
    assert_eq!(check(&this_month, "@lastName NOT 'Smi%h'"), "true");
    assert_eq!(check(&this_month, "@lastName NOT LIKE 'Smi%h'"), "true");
    // "@mobilePhone IS NULL" keeps the profiles without a mobile number.
    assert_eq!(check(&this_month, "@mobilePhone IS NULL"), "true");
    assert_eq!(check(&last_year, "@mobilePhone IS NULL"), "false");
    // "@created < DaysAgo(100)": created more than 100 days ago.
    assert_eq!(check(&last_year, "@created < DaysAgo(100)"), "true");
    assert_eq!(check(&this_month, "@created < DaysAgo(100)"), "false");
    // "@age > 50", "@age >= 30", "@age <= 60", "@lastName = Martin", "@language != English".
    assert_eq!(check(&this_month, "@age > 50 AND @age <= 60"), "true");
    assert_eq!(check(&last_year, "@age >= 30 AND NOT @age > 50"), "true");
    assert_eq!(check(&this_month, "@lastName = 'Martin'"), "true");
    assert_eq!(check(&this_month, "@language != 'English'"), "true");
    // The event-variable functions' documented forms.
    assert_eq!(
        r("DateFormat(ToDate('2024-03-31'), '%4Y%2M%2D')"),
        "'20240331'"
    );
    assert_eq!(
        r("ToDateTimeWithTimezone(\"2019-02-19 08:09:00\", \"Asia/Tehran\")"),
        "DateTime 2019-02-19 04:39:00.000Z"
    );
    assert_eq!(r("Trunc(3.14159, 3)"), "3.141");
    assert_eq!(r("Coalesce(0, 'value 2' = 'value 2')"), "true");
    assert_eq!(r("IsEmptyString('', 'value 2', 'value 3')"), "'value 2'");
    assert_eq!(r("Decode(1, 1, 'value 3', 'value 4')"), "'value 3'");
    assert_eq!(
        r("Case(When(1 = 2, 'value 1'), Else('value 2'))"),
        "'value 2'"
    );
    assert_eq!(r("newUUID"), "'00000000-0000-4000-8000-000000000001'");
}

#[test]
fn operators_and_their_precedence() {
    assert_eq!(r("'gmail.com' IN 'mail'"), "true");
    assert_eq!(r("'gmail.com' IN 'Mail'"), "false");
    assert_eq!(r("'abc' IN ''"), "true");
    assert_eq!(r("$(vars/@missing) IN 'a'"), "null");
    assert_eq!(r("'abc' LIKE 'a%'"), "true");
    assert_eq!(r("'abc' LIKE 'a_c'"), "true");
    assert_eq!(r("'abc' LIKE 'a_'"), "false");
    assert_eq!(r("'abc' LIKE '%'"), "true");
    assert_eq!(r("'' LIKE '%'"), "true");
    assert_eq!(r("'' LIKE '_'"), "false");
    assert_eq!(r("'a%c' LIKE 'a\\%c'"), "true");
    assert_eq!(r("'abc' LIKE 'a\\%c'"), "false");
    assert_eq!(r("'Smith' NOT 'Smi%h'"), "false");
    assert_eq!(r("'aXbXc' LIKE '%X%X%'"), "true");
    assert_eq!(r("'héllo' LIKE 'h_llo'"), "true");
    assert_eq!(r("$(vars/@missing) LIKE 'a%'"), "null");
    assert_eq!(r("$(vars/@missing) IS NULL"), "true");
    assert_eq!(r("$(vars/@missing) IS NOT NULL"), "false");
    assert_eq!(r("'a' IS NULL"), "false");
    // Precedence: IN/LIKE/IS bind tighter than NOT, AND, OR and looser than +.
    assert_eq!(r("NOT 'abc' LIKE 'x%'"), "true");
    assert_eq!(r("'ab' + 'c' LIKE 'abc'"), "true");
    assert_eq!(r("1 + $long(vars/@missing) IS NULL"), "true");
    assert_eq!(r("'a' IN 'b' OR 'a' LIKE 'a' AND 'b' IS NOT NULL"), "true");
    assert_eq!(r("('a' IN 'b' OR 'a' LIKE 'a') AND 'b' IS NULL"), "false");
    let e = err("1 IN 'a'");
    assert!(
        e.message.starts_with("`IN` expects two Strings"),
        "{}",
        e.message
    );
    assert_eq!(e.span, Span::new(2, 4));
}

#[test]
fn null_arguments_give_null_for_every_propagating_function() {
    use super::functions::{Availability, Kind, Nulls, TABLE};
    let null_of = |k: Kind| match k {
        Kind::Int => "$long(vars/@missing)",
        Kind::Num => "$float(vars/@missing)",
        Kind::Bool => "$boolean(vars/@missing)",
        Kind::DateLike => "$datetime(vars/@missing)",
        Kind::Str | Kind::Any => "$(vars/@missing)",
    };
    let sample = |k: Kind| match k {
        Kind::Int => "3",
        Kind::Num => "2.5",
        Kind::Bool => "true",
        Kind::DateLike => "ToDateTime('2024-03-31 08:17:19Z')",
        Kind::Str | Kind::Any => "'Europe/Paris'",
    };
    let mut checked = 0;
    for s in TABLE.iter() {
        if s.nulls != Nulls::Propagate || s.availability != Availability::Everywhere {
            continue;
        }
        let n = s.params.len();
        for i in 0..n {
            let args: Vec<&str> = (0..n)
                .map(|j| {
                    let k = s.kind_at(j, n);
                    if j == i { null_of(k) } else { sample(k) }
                })
                .collect();
            let src = format!("{}({})", s.name, args.join(", "));
            assert_eq!(r(&src), "null", "{src}");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn wrong_argument_kinds_are_errors_for_every_function() {
    use super::functions::{Availability, Kind, TABLE};
    let wrong = |k: Kind| match k {
        Kind::Int | Kind::Num | Kind::DateLike => Some("'text'"),
        Kind::Str | Kind::Bool => Some("42"),
        Kind::Any => None,
    };
    let good = |k: Kind| match k {
        Kind::Int => "3",
        Kind::Num => "2.5",
        Kind::Bool => "true",
        Kind::DateLike => "ToDateTime('2024-03-31 08:17:19Z')",
        Kind::Str | Kind::Any => "'Europe/Paris'",
    };
    let mut checked = 0;
    for s in TABLE.iter() {
        if s.availability != Availability::Everywhere
            || s.func == super::Func::Others(OtherFn::Case)
        {
            continue;
        }
        let n = s.params.len();
        for i in 0..n {
            let Some(bad) = wrong(s.kind_at(i, n)) else {
                continue;
            };
            let args: Vec<&str> = (0..n)
                .map(|j| if j == i { bad } else { good(s.kind_at(j, n)) })
                .collect();
            let src = format!("{}({})", s.name, args.join(", "));
            let checked_src = check_source(&src, &TypeEnv::default());
            assert!(checked_src.has_errors(), "the checker accepts {src}");
            if !matches!(
                s.func,
                super::Func::Others(OtherFn::Iif)
                    | super::Func::Others(OtherFn::Decode)
                    | super::Func::String(StringFn::IfEquals)
            ) {
                assert!(run(&src).is_err(), "the evaluator accepts {src}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// `src` evaluated by [`eval_cow`] in the tests' context: the value as [`describe_value`]
/// writes it, and whether it was lent.
fn cow(src: &str) -> (String, bool) {
    super::builtins::test_support::with_context(|ctx| match parse(src) {
        Err(e) => (format!("ERR {}", e.message), false),
        Ok(e) => match eval_cow(&e, ctx) {
            Ok(v) => (describe_value(&v), matches!(v, Cow::Borrowed(_))),
            Err(e) => (format!("ERR {}", e.message), false),
        },
    })
}

#[test]
fn literals_and_variables_read_as_stored_are_lent() {
    let lent = [
        ("'discount_offer'", "'discount_offer'"),
        ("42", "42"),
        ("$(vars/@audience)", "'gold members'"),
        ("$long(vars/@recCount)", "12"),
        ("$float(vars/@price)", "2.5"),
        ("Coalesce($(vars/@missing), 'NONE')", "'NONE'"),
        ("Coalesce($(vars/@audience), 'NONE')", "'gold members'"),
        (
            "Iif($long(vars/@recCount) > 0, $(vars/@word), 'none')",
            "'abc'",
        ),
        ("Case(When(1 = 2, 'a'), Else($(vars/@word)))", "'abc'"),
        ("Decode(1, 1, $(vars/@audience), 'b')", "'gold members'"),
        ("IfEquals('a', 'b', 'x', $(vars/@word))", "'abc'"),
        (
            "IsEmptyString($(vars/@word), 'none', $(vars/@word))",
            "'abc'",
        ),
    ];
    for (src, want) in lent {
        assert_eq!(cow(src), (want.to_owned(), true), "{src}");
    }
    let owned = [
        // Converted on reading, computed, or null.
        ("$(vars/@recCount)", "'12'"),
        ("$float(vars/@recCount)", "12.0"),
        ("$long(vars/@n)", "7"),
        ("$(vars/@missing)", "null"),
        ("$(vars/@nothing)", "null"),
        ("Coalesce($(vars/@missing), $(vars/@nothing))", "null"),
        ("'/incoming/' + $(vars/@word)", "'/incoming/abc'"),
        ("Upper($(vars/@word))", "'ABC'"),
        ("ToString($(vars/@word))", "'abc'"),
        ("$long(vars/@recCount) > 0", "true"),
    ];
    for (src, want) in owned {
        assert_eq!(cow(src), (want.to_owned(), false), "{src}");
    }
}

#[test]
fn row_fields_are_lent() {
    let columns = vec![Column {
        name: "email".to_owned(),
        ty: Type::String,
    }];
    let cells = vec![Value::String("a@b.org".to_owned())];
    let row = ColumnsRow {
        columns: &columns,
        cells: &cells,
    };
    super::builtins::test_support::with_context(|ctx| {
        let ctx = EvalContext {
            row: Some(&row),
            ..*ctx
        };
        let e = parse("@email");
        let v = e.as_ref().map(|e| eval_cow(e, &ctx));
        assert!(
            matches!(&v, Ok(Ok(Cow::Borrowed(Value::String(s)))) if s == "a@b.org"),
            "{v:?}"
        );
    });
}

/// The typical fields of the example designs, through the lending evaluator: the values the
/// owned evaluator gave (asserted by the tests above for each function).
#[test]
fn design_fields_give_the_same_values_lent_or_owned() {
    let table = [
        ("'/incoming/' + $(vars/@word)", "'/incoming/abc'"),
        ("$long(vars/@recCount) > 0", "true"),
        (
            "'Imported ' + FileName('/in/customers.csv')",
            "'Imported customers'",
        ),
        ("$(vars/@audience)", "'gold members'"),
        (
            "'IMPORT-' + DateFormat(GetDate(), '%4Y%2M%2D')",
            "'IMPORT-20250106'",
        ),
        ("Coalesce($(vars/@missing), 'NONE')", "'NONE'"),
        ("'a' + 'b' + $(vars/@word) + 'c'", "'ababcc'"),
        (
            "DateFormat(GetDate(), '%4Y') + '-' + $(vars/@word)",
            "'2025-abc'",
        ),
        ("$(vars/@word) + $(vars/@word)", "'abcabc'"),
        ("Upper('ab') + $(vars/@word)", "'ABabc'"),
        (
            "Trim($(vars/@n)) + Left($(vars/@word), 2) + Right('xyz', 1)",
            "'7abz'",
        ),
        (
            "Extract($(vars/@audience), ' ') + ExtractRight($(vars/@audience), ' ')",
            "'goldmembers'",
        ),
        (
            "Ltrim(' a ') + '|' + Rtrim(' a ') + '|' + Trim(Upper(' a '))",
            "'a | a|A'",
        ),
        (
            "Left(Upper($(vars/@audience)), 4) + Extract(Lower('A.B'), '.')",
            "'GOLDa'",
        ),
        (
            "ToString($(vars/@recCount)) + NoNull($(vars/@missing))",
            "'12'",
        ),
        ("'x' + $(vars/@missing)", "null"),
        (
            "'x' + 1",
            "ERR `+` cannot combine String and Integer: expected two numbers or two Strings",
        ),
    ];
    for (src, want) in table {
        assert_eq!(cow(src).0, want, "{src}");
        assert_eq!(r(src), want, "{src}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Concatenation of lent and owned Strings gives the two texts joined, whichever side lends.
    #[test]
    fn concatenation_joins_lent_and_owned_texts(a in "[a-z é']{0,12}", b in "[a-z é]{0,12}") {
        let lit = a.replace('\'', "''");
        let want = format!("{a}{b}");
        let mut vars = super::builtins::test_support::vars();
        vars.insert("b".to_owned(), Value::String(b.clone()));
        let options = std::collections::BTreeMap::new();
        let uuid = || String::new();
        let ctx = EvalContext::new(&vars, crate::model::default_clock_start(), &options, &uuid);
        let cases = [
            (format!("'{lit}' + $(vars/@b)"), want.clone()),
            (format!("Lower('{lit}') + $(vars/@b)"), format!("{}{b}", a.to_lowercase())),
            (format!("$(vars/@b) + '{lit}'"), format!("{b}{a}")),
            (format!("'{lit}' + $(vars/@b) + '{lit}'"), format!("{a}{b}{a}")),
            ("$(vars/@b) + $(vars/@b)".to_owned(), format!("{b}{b}")),
        ];
        for (src, want) in cases {
            let e = parse(&src);
            prop_assert!(e.is_ok(), "{src}");
            if let Ok(e) = e {
                let got = eval_cow(&e, &ctx).map(Cow::into_owned);
                prop_assert_eq!(got, Ok(Value::String(want)));
            }
        }
    }
}

/// Variables in a table of slots: read by slot when the read was resolved, by name otherwise.
struct Slotted {
    names: Vec<&'static str>,
    values: Vec<Value>,
    by_slot: std::cell::Cell<usize>,
}

impl crate::expr::Lookup for Slotted {
    fn lookup(&self, name: &str) -> Option<&Value> {
        let i = self.names.iter().position(|n| *n == name)?;
        self.values.get(i)
    }

    fn lookup_slot(&self, slot: u32, _name: &str) -> Option<&Value> {
        self.by_slot.set(self.by_slot.get() + 1);
        self.values.get(usize::try_from(slot).ok()?)
    }
}

#[test]
fn a_resolved_variable_read_is_read_by_slot_and_gives_what_a_read_by_name_gives() {
    let vars = Slotted {
        names: vec!["a", "b"],
        values: vec![Value::Integer(2), Value::String("x".into())],
        by_slot: std::cell::Cell::new(0),
    };
    let options = std::collections::BTreeMap::new();
    let uuid = || String::new();
    let ctx = EvalContext::new(&vars, crate::model::default_clock_start(), &options, &uuid);
    let src = "$long(vars/@a) + 1 = 3 AND $(vars/@b) = 'x' AND IsNull($(vars/@c))";
    let parsed = parse(src);
    assert!(parsed.is_ok(), "{parsed:?}");
    let Ok(by_name) = parsed else { return };
    let mut resolved = by_name.clone();
    resolved.resolve_vars(&|n| {
        let i = vars.names.iter().position(|m| *m == n)?;
        u32::try_from(i).ok()
    });
    assert_eq!(eval(&by_name, &ctx), Ok(Value::Boolean(true)));
    assert_eq!(vars.by_slot.get(), 0, "an unresolved read goes by name");
    assert_eq!(eval(&resolved, &ctx), Ok(Value::Boolean(true)));
    assert_eq!(
        vars.by_slot.get(),
        2,
        "`a` and `b` by slot; `c`, not in the table, by name"
    );
}
