//! The FEEL translations checked against a real FEEL interpreter: every function example of the
//! reference, every documented choice and the cases below are evaluated by flowcall and, once
//! translated, by feelin (from the npm registry, installed by `tools/feel-check.sh`); the values
//! must agree. Cases that depend on the real clock or on random draws are not compared, nor
//! those where flowcall stops with an error (FEEL gives null there).
//!
//! Run with `tools/feel-check.sh` (CI does), or
//! `cargo test --no-default-features --lib export::feel -- --ignored` once
//! `tools/feel-check/node_modules` is installed.

use super::{Untranslatable, translate};
use crate::expr::CHOICES;
use crate::expr::functions::{DateFn, Func, NumFn, OtherFn, TABLE};
use crate::expr::{
    Callee, EvalContext, Expr, ExprKind, SeededRandom, SequentialUuids, describe_value, eval, parse,
};
use crate::model::{Type, Value, default_clock_start, format_datetime_rfc3339};
use std::collections::BTreeMap;
use std::process::Command;

/// Variables of the hand-written cases, by name: (type, value).
fn variables() -> BTreeMap<String, Value> {
    let mut v = BTreeMap::new();
    let date = |t: &str| Value::parse_as(t, Type::Date).unwrap_or(Value::Null);
    let dt = |t: &str| Value::parse_as(t, Type::DateTime).unwrap_or(Value::Null);
    v.insert(
        "s".into(),
        Value::String("Jane.Doe@Mail.example.com".into()),
    );
    v.insert("name".into(), Value::String("Martin".into()));
    v.insert(
        "path".into(),
        Value::String("C:\\in\\2024\\members.v2.csv".into()),
    );
    v.insert("empty".into(), Value::String(String::new()));
    v.insert(
        "lines".into(),
        Value::String("first\r\nsecond\nthird".into()),
    );
    v.insert("n".into(), Value::Integer(-7));
    v.insert("k".into(), Value::Integer(3));
    v.insert("zero".into(), Value::Integer(0));
    v.insert("x".into(), Value::Decimal(2.675));
    v.insert("yes".into(), Value::Boolean(true));
    v.insert("d".into(), date("2024-02-29"));
    v.insert("t".into(), dt("2024-03-31T08:17:19Z"));
    v.insert("t2".into(), dt("2023-11-05T23:59:59Z"));
    v.insert("none".into(), Value::Null);
    v
}

/// Declared types: a null variable is declared String.
fn types(vars: &BTreeMap<String, Value>) -> BTreeMap<String, Type> {
    vars.iter()
        .map(|(k, v)| (k.clone(), v.ty().unwrap_or(Type::String)))
        .collect()
}

/// The JSON a process would carry for a variable: dates as ISO strings.
fn json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Integer(i) => serde_json::json!(i),
        Value::Decimal(d) => serde_json::json!(d),
        Value::Boolean(b) => serde_json::Value::Bool(*b),
        Value::Date(_) => serde_json::Value::String(v.to_string()),
        Value::DateTime(dt) => serde_json::Value::String(format_datetime_rfc3339(dt)),
    }
}

const CASES: &[&str] = &[
    // operators
    "$(vars/@s) IN 'Mail'",
    "$(vars/@s) IN 'mail'",
    "$(vars/@none) IN 'a'",
    "$(vars/@name) LIKE 'Mart%n'",
    "$(vars/@name) LIKE 'M_rtin'",
    "$(vars/@name) LIKE 'mart%'",
    "$(vars/@name) NOT LIKE 'Smi%h'",
    "$(vars/@name) NOT 'Mar%'",
    "'a.b(c)' LIKE 'a.b(%)'",
    "'100%' LIKE '100\\%'",
    "$(vars/@none) IS NULL",
    "$(vars/@name) IS NULL",
    "$(vars/@none) IS NOT NULL",
    "$(vars/@none) = $(vars/@none)",
    "$(vars/@none) != 'x'",
    "$long(vars/@n) / 2",
    "$long(vars/@n) / 2.0",
    "$datetime(vars/@d) < $datetime(vars/@t)",
    "$datetime(vars/@t) >= $datetime(vars/@d)",
    "NOT $(vars/@name) LIKE 'x%' AND $long(vars/@k) > 2",
    // strings
    "Upper($(vars/@name)) + Lower($(vars/@name))",
    "Left($(vars/@name), 3) + Right($(vars/@name), 2)",
    "Right($(vars/@name), 10)",
    "Substring($(vars/@name), 2, 3)",
    "Length($(vars/@s))",
    "Ltrim('  a b  ') + '|' + Rtrim('  a b  ') + '|' + Trim('  a b  ')",
    "Charindex($(vars/@s), '@')",
    "Charindex($(vars/@s), 'zz')",
    "Charindex($(vars/@none), 'a')",
    "LPad(ToString($long(vars/@k)), 4, '0')",
    "RPad($(vars/@name), 8, '.')",
    "LPad($(vars/@name), 2, '0')",
    "GetLine($(vars/@lines), 1) + '|' + GetLine($(vars/@lines), 3)",
    "GetLine($(vars/@lines), 9)",
    "JuxtWords($(vars/@name), $(vars/@none))",
    "JuxtWords3($(vars/@empty), $(vars/@name), 'Jr')",
    "AllNonNull2($(vars/@name), $(vars/@empty))",
    "AllNonNull3($(vars/@name), 'a', 'b')",
    "IsMemoNull($(vars/@none))",
    "MemoContains($(vars/@s), 'Doe')",
    "GetEmailDomain($(vars/@s))",
    "GetEmailDomain($(vars/@name))",
    "Replace($(vars/@s), '.', '-')",
    "Replace('a+b+c', '+', ' plus ')",
    "Extract($(vars/@s), '@')",
    "ExtractRight($(vars/@s), '.')",
    "ExtractRight($(vars/@name), ';')",
    "FileName($(vars/@path)) + '|' + FileExt($(vars/@path))",
    "FileName('/in/.profile') + '|' + FileExt('/in/.profile')",
    "FileName('/in/README') + '|' + FileExt('/in/README')",
    "EndWith($(vars/@path), '.csv') AND startWith($(vars/@path), 'C:')",
    "NoNull($(vars/@none)) + NoNull($(vars/@name))",
    "ToString($(vars/@none)) + ToString($long(vars/@k))",
    "IfEquals($(vars/@name), 'Martin', 'same', 'other')",
    "IfEquals($(vars/@none), $(vars/@none), 'same', 'other')",
    "VirtualLinkStr($(vars/@name), $long(vars/@k), 3)",
    "IsEmptyString($(vars/@empty), 'none', 'some')",
    "IsEmptyString($(vars/@name))",
    // numbers
    "Round($float(vars/@x), 2)",
    "Round(-2.5) + Round(2.5)",
    "Round(1250, -2)",
    "Trunc($float(vars/@x), 2) + Trunc(-2.7)",
    "Trunc(1299, -2)",
    "Mod($long(vars/@n), 2) + Mod(7, -2)",
    "Mod(7.5, 2)",
    "Percent($long(vars/@k), 4) + Percent(1, $long(vars/@zero))",
    "Sign($long(vars/@n)) + Sign($long(vars/@zero)) * 10",
    "Sign($long(vars/@none))",
    "Greatest($long(vars/@n), $long(vars/@k)) + Least(1.5, $long(vars/@k))",
    "Least($long(vars/@none), 3)",
    "Abs($long(vars/@n)) + Ceil(2.1) + Floor(-2.1)",
    "ToInteger(-3.9) + ToInt64('42') + ToInteger(true)",
    "ToDouble($long(vars/@k)) / 2",
    "ToBoolean($long(vars/@zero)) OR ToBoolean(' True ')",
    "ToBoolean($long(vars/@none))",
    "ToIntlString($float(vars/@x))",
    "Coalesce($long(vars/@zero), $long(vars/@k))",
    "Coalesce($long(vars/@none), $long(vars/@zero), 9)",
    "Coalesce($(vars/@empty), 'x')",
    "Decode($long(vars/@k), 3, 'three', 'other')",
    "Case(When($long(vars/@n) > 0, 'pos'), When($long(vars/@n) < 0, 'neg'), Else('zero'))",
    "Case($long(vars/@n) > 0, 'pos', 'other')",
    "Case(When(false, 1))",
    // dates
    "AddDays($datetime(vars/@d), $long(vars/@n))",
    "SubDays(ToDate('2024-03-01'), $long(vars/@n))",
    "AddMonths(ToDate('2024-01-31'), 1)",
    "SubMonths(ToDate('2024-03-31'), 1)",
    "AddYears(ToDate('2024-02-29'), 1)",
    "SubYears(ToDate('2024-02-29'), $long(vars/@n))",
    "AddHours($datetime(vars/@t), $long(vars/@n))",
    "AddMinutes(ToDate('2024-03-31'), 90)",
    "SubSeconds($datetime(vars/@t), 19)",
    "DayOfYear($datetime(vars/@t)) + WeekDay($datetime(vars/@t))",
    "YearAndMonth($datetime(vars/@t2))",
    "Hour($datetime(vars/@t2)) + Minute($datetime(vars/@t2)) + Second($datetime(vars/@t2))",
    "Hour(ToDate('2024-01-01'))",
    "DaysDiff($datetime(vars/@t), $datetime(vars/@t2))",
    "DaysDiff($datetime(vars/@t2), $datetime(vars/@t))",
    "DaysDiff(ToDate('2024-03-01'), ToDate('2024-02-01'))",
    "HoursDiff($datetime(vars/@t), $datetime(vars/@t2))",
    "MinutesDiff($datetime(vars/@t2), $datetime(vars/@t))",
    "SecondsDiff($datetime(vars/@t), ToDate('2024-03-31'))",
    "MonthsDiff($datetime(vars/@t), $datetime(vars/@t2))",
    "MonthsDiff(ToDate('2024-01-31'), ToDate('2024-03-01'))",
    "YearsDiff(ToDate('2024-02-28'), ToDate('2000-02-29'))",
    "Oldest($datetime(vars/@t), $datetime(vars/@t2))",
    "Oldest(ToDate('2024-03-31'), ToDate('2023-12-25'))",
    "TruncDate($datetime(vars/@t), 3600)",
    "TruncDate($datetime(vars/@t), 86400)",
    "TruncTime($datetime(vars/@t), 900)",
    "TruncWeek($datetime(vars/@t))",
    "TruncWeek(ToDate('2025-01-12'))",
    "TruncQuarter($datetime(vars/@t2))",
    "TruncYear(ToDate('2024-05-17'))",
    "LocalToUTC($datetime(vars/@t), 'Asia/Tokyo')",
    "LocalToUTC(ToDate('2024-07-01'), 'America/New_York')",
    "ToDateTimeWithTimezone('2024-07-01 12:00:00', 'Europe/Paris')",
    "ToDate($datetime(vars/@t))",
    "ToDateTime($datetime(vars/@d))",
    "DateFormat($datetime(vars/@t), '%4Y/%2M/%2D %2H:%2N:%2S')",
    "DateFormat($datetime(vars/@d), '%2D.%2M.%4Y %2H %x')",
    "DateOnly($datetime(vars/@t)) = ToDate('2024-03-31')",
    "Year($datetime(vars/@d)) * 100 + Month($datetime(vars/@d)) + Day($datetime(vars/@d))",
];

/// Functions whose value depends on the real clock or a random draw.
const UNCOMPARABLE: &[Func] = &[
    Func::Dates(DateFn::GetDate),
    Func::Dates(DateFn::DaysAgo),
    Func::Dates(DateFn::DaysAgoInt),
    Func::Dates(DateFn::DaysOld),
    Func::Dates(DateFn::MonthsAgo),
    Func::Dates(DateFn::MonthsOld),
    Func::Dates(DateFn::YearsOld),
    Func::Numerical(NumFn::Random),
    Func::Others(OtherFn::NewUuid),
];

fn uses_clock_or_random(e: &Expr) -> bool {
    let mut found = false;
    e.walk(&mut |n| {
        if let ExprKind::Call {
            callee: Callee::Known(f),
            ..
        } = &n.kind
            && UNCOMPARABLE.contains(f)
        {
            found = true;
        }
    });
    found
}

/// Whether feelin's value (as `evaluate.mjs` writes it) is flowcall's `v`.
fn same(v: &Value, got: &serde_json::Value) -> bool {
    use serde_json::Value as J;
    match (v, got) {
        (Value::Null, J::Null) => true,
        (Value::String(a), J::String(b)) => a == b,
        (Value::Boolean(a), J::Bool(b)) => a == b,
        (Value::Integer(_) | Value::Decimal(_), J::Number(n)) => {
            let a = match v {
                Value::Integer(i) => *i as f64,
                Value::Decimal(d) => *d,
                _ => f64::NAN,
            };
            let b = n.as_f64().unwrap_or(f64::NAN);
            (a - b).abs() <= 1e-9 * a.abs().max(1.0)
        }
        (Value::Date(_), J::Object(o)) => o.get("date").and_then(J::as_str) == Some(&v.to_string()),
        (Value::DateTime(dt), J::Object(o)) => {
            o.get("dateTime").and_then(J::as_i64) == Some(dt.as_millisecond())
        }
        _ => false,
    }
}

#[test]
#[ignore = "needs node and tools/feel-check/node_modules: run tools/feel-check.sh"]
fn translations_agree_with_a_feel_interpreter() {
    let vars = variables();
    let declared = types(&vars);
    let context: serde_json::Map<String, serde_json::Value> =
        vars.iter().map(|(k, v)| (k.clone(), json(v))).collect();
    let options = BTreeMap::new();
    let uuids = SequentialUuids::new();
    let next_uuid = || uuids.generate();
    let random = SeededRandom::new(0);
    let draw = || random.draw();
    let ctx =
        EvalContext::new(&vars, default_clock_start(), &options, &next_uuid).with_random(&draw);

    let mut sources: Vec<String> = CASES.iter().map(|s| (*s).to_owned()).collect();
    sources.extend(TABLE.iter().map(|s| s.example.to_owned()));
    sources.extend(CHOICES.iter().map(|c| c.2.to_owned()));

    let mut expected = Vec::new();
    let mut requests = Vec::new();
    let (mut untranslatable, mut uncomparable, mut flowcall_errors) = (Vec::new(), 0, 0);
    for src in &sources {
        let Ok(e) = parse(src) else {
            panic!("{src} does not parse");
        };
        if uses_clock_or_random(&e) {
            uncomparable += 1;
            continue;
        }
        let Ok(value) = eval(&e, &ctx) else {
            flowcall_errors += 1;
            continue;
        };
        match translate(&e, &declared) {
            Ok(feel) => {
                requests.push(serde_json::json!({
                    "id": expected.len(),
                    "feel": feel,
                    "context": context,
                }));
                expected.push((src.clone(), feel, value));
            }
            Err(Untranslatable(why)) => untranslatable.push(format!("{src}: {why}")),
        }
    }

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
    let input = dir.path().join("cases.json");
    std::fs::write(&input, serde_json::Value::Array(requests).to_string())
        .unwrap_or_else(|e| panic!("cannot write the cases: {e}"));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/feel-check/evaluate.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(&input)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("node printed no JSON: {e}"));
    assert_eq!(answers.len(), expected.len());

    let mut mismatches = Vec::new();
    for (answer, (src, feel, value)) in answers.iter().zip(&expected) {
        let agrees = match answer.get("value") {
            Some(got) => same(value, got),
            None => false,
        };
        if !agrees {
            mismatches.push(format!(
                "{src}\n  flowcall: {}\n  FEEL:     {feel}\n  feelin:   {}",
                describe_value(value),
                answer
            ));
        }
    }
    println!(
        "FEEL check: {} expressions compared with feelin, {} agree; {} untranslatable, {} on the clock or random draws, {} flowcall errors not compared",
        expected.len(),
        expected.len() - mismatches.len(),
        untranslatable.len(),
        uncomparable,
        flowcall_errors
    );
    for u in &untranslatable {
        println!("  untranslatable: {u}");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} translations disagree with feelin:\n{}",
        mismatches.len(),
        expected.len(),
        mismatches.join("\n")
    );
    assert!(
        expected.len() >= 200,
        "only {} expressions compared",
        expected.len()
    );
}
