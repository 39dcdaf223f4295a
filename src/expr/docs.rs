//! The user reference of the expression language, generated from the function table into
//! `docs/EXPRESSIONS.md` (a test keeps the committed file current and runs every example).

use super::functions::{Availability, Family, Nulls, TABLE};
use super::{MAX_DEPTH, MAX_SOURCE_LEN, MAX_STRING_LEN};
use std::fmt::Write as _;

const INTRO: &str = r#"# flowcall expressions

<!-- Generated from src/expr/table.rs by `reference_markdown()`; do not edit by hand.
     Regenerate with: FLOWCALL_BLESS=1 cargo test --no-default-features expr::docs -->

Fields of activities that accept expressions (Test conditions, Query filters, email labels and
parameters, End triggers...) use this language. It follows the *standard syntax* of Adobe
Campaign Standard's event variables.

## Syntax

| form | meaning |
|---|---|
| `$(vars/@name)` | the event variable `name` read as a String (a non-string value is written the way `ToString` writes it; an absent variable is null) |
| `$long(vars/@name)` | the variable read as an Integer |
| `$float(vars/@name)` | the variable read as a Decimal (an Integer converts) |
| `$boolean(vars/@name)` | the variable read as a Boolean (`true`/`false`/`1`/`0`, any case) |
| `$datetime(vars/@name)` | the variable read as a DateTime (a Date is its midnight UTC) |
| `'text'` | a String; write `''` for a quote inside: `'it''s'`. `"text"` is accepted too (the reference's examples use it), with `""` for a quote inside |
| `42`, `2.5` | an Integer, a Decimal (digits, optionally `.` and digits) |
| `true`, `false` | Booleans, any case |
| `@field` | a column of the row being filtered (Query filters only) |
| `Name(arg, ...)` | a function call; names ignore case. A function without parameters may be written without parentheses, as the reference writes `newUUID` and `RowId` |
| `( ... )` | grouping |

A typed reader converts the variable's text form; when that fails (say `$long` of `"abc"`) the
evaluation stops with an error naming the variable. The checker warns when a typed reader is
applied to a variable declared with an incompatible type.

## Types

`String`, `Integer` (64-bit), `Decimal` (64-bit float, always finite), `Boolean`, `Date`
(calendar date), `DateTime` (instant, UTC), and null (no value). There is no null literal:
absent variables, empty cells and some functions produce null.

## Operators

From lowest to highest precedence (operators on one line bind equally; `AND` binds tighter
than `OR`, so `a OR b AND c` is `a OR (b AND c)`):

| precedence | operators | operands | result |
|---|---|---|---|
| 1 (lowest) | `OR` | Booleans | Boolean |
| 2 | `AND` | Booleans | Boolean |
| 3 | prefix `NOT` | Boolean | Boolean |
| 4 | `=` `!=` `<>` `<` `<=` `>` `>=` | two numbers, two dates (Date with DateTime compares at midnight UTC), or two values of the same type | Boolean |
| 4 | `a IN b` | two Strings: whether `a` contains `b` (case-sensitive; `'gmail.com' IN 'mail'` is true, and every String contains `''`) | Boolean |
| 4 | `a LIKE p`, `a NOT LIKE p`, `a NOT p` | a String and a pattern: `%` matches any run of characters (none included), `_` exactly one character, `\` makes the next character literal (`'100\%'`); the whole String must match, case-sensitively. `a NOT p` is the reference's way of writing `a NOT LIKE p` | Boolean |
| 4 | postfix `IS NULL`, `IS NOT NULL` | any value | Boolean, never null |
| 5 | `+` `-` | numbers; `+` also joins two Strings | Integer when both are Integers, else Decimal; String |
| 6 | `*` `/` | numbers | Integer when both are Integers, else Decimal |
| 7 (highest) | unary `-` | a number | the same type |

- Operators of level 4 do not chain: write `1 < x AND x < 5`. `NOT x LIKE 'a%'` is
  `NOT (x LIKE 'a%')`; `x + 1 IS NULL` is `(x + 1) IS NULL`.
- The reference writes values unquoted (`@domain IN mail`, `@lastName LIKE Mart%n`); flowcall
  needs them quoted, `@domain IN 'mail'`, `@lastName LIKE 'Mart%n'`, and says so when they are
  not.
- `/` of two Integers is integer division truncating toward zero (`7 / 2` is `3`,
  `-7 / 2` is `-3`); write `7 / 2.0` for `3.5`. Division by zero is an error.
- Integer arithmetic is checked: a result outside the 64-bit range is an error. A Decimal
  result that is not finite is an error.
- `+` does not convert: `'n=' + 1` is an error; write `'n=' + ToString(1)`.
- Strings compare by their UTF-8 bytes (case-sensitive).
- Errors point at the operator or operand: `@a IS 3` underlines the `3` (expected `NULL`).

## Null

- Operators and functions propagate null: if an operand or argument is null, the result is
  null (`1 + null` is null, `Upper(null)` is null, `null = null` is null, `null IN 'a'` is
  null). Each function's row below says `propagates` or `handles` (its meaning then says how).
- `AND`, `OR`, `NOT` use three-valued logic: `false AND null` is `false`, `true OR null` is
  `true`, any other combination with null is null; `NOT null` is null.
- `x IS NULL` and `x IS NOT NULL` are never null.
- `Iif`, `Case`/`When`, `Decode` and `IfEquals` count a null condition or comparison as false.
- `GetOption` of an undefined option is null.

## Compatibility with earlier flowcall designs

Designs written with the earlier forms keep loading and give the same values; nothing is
rewritten in the files:

- `Case(condition, value, ..., default)` is still accepted next to the reference's
  `Case(When(condition, value), ..., Else(value))`; one `Case` uses one form or the other.
- `IsEmptyString(value)` with one argument is still the Boolean test; with three arguments it
  is the reference's `IsEmptyString(value, if_empty, otherwise)`.
- One change of value: `Coalesce` now follows the reference and also skips a numeric zero
  (`Coalesce(0, 5)` was 0 and is now 5). The checker warns wherever the first argument of a
  `Coalesce` is a number; write `Iif(IsNull(x), fallback, x)` to keep a zero.

## Choices where the reference is vague

Each choice is tested with its example (clock `2025-01-06 09:00:00Z`, a Monday).

| question | flowcall's choice | example | result |
|---|---|---|---|
CHOICES_ROWS
## Functions the reference only has on its server

The checker refuses these with the reason below (the evaluator refuses them too), rather
than give a value the server would not:

REFUSED_ROWS
## Limits

Evaluation is bounded and has no access to files, network or the real clock:
"#;

/// A choice flowcall made where the reference is vague: question, choice, example, result.
pub const CHOICES: &[(&str, &str, &str, &str)] = &[
    (
        "How does `Round` round halves?",
        "Half away from zero, on the decimal digits as written (not the binary value)",
        "ToString(Round(2.675, 2)) + ' ' + ToString(Round(-2.5))",
        "'2.68 -3'",
    ),
    (
        "On which day does a week start (`WeekDay`, `TruncWeek`)?",
        "Monday, as in ISO 8601: `WeekDay` gives 1 (Monday) to 7 (Sunday)",
        "WeekDay(ToDate('2025-01-12')) * 10 + WeekDay(TruncWeek(ToDate('2025-01-12')))",
        "71",
    ),
    (
        "What is `Percent` of a zero whole?",
        "0.0, as a report shows 0 % of nothing",
        "Percent(5, 0)",
        "0.0",
    ),
    (
        "Does `Substring` count from 0 or 1?",
        "From 1, as in SQL; a start below 1 is an error",
        "Substring('abc', 1, 2)",
        "'ab'",
    ),
    (
        "Which sign has `Mod` of a negative number?",
        "The sign of the dividend (truncated division, as in SQL)",
        "Mod(-7, 2)",
        "-1",
    ),
    (
        "Do `TruncDate` and `TruncTime` round or truncate?",
        "Truncate down, as their names say (the reference writes \"rounds\")",
        "TruncDate(ToDateTime('2024-03-31 08:59:59Z'), 3600)",
        "DateTime 2024-03-31 08:00:00.000Z",
    ),
    (
        "How do `DaysDiff`, `HoursDiff`... count partial units?",
        "Elapsed time truncated toward zero: 23 hours are 0 days",
        "DaysDiff(ToDateTime('2024-03-02 08:00:00Z'), ToDateTime('2024-03-01 09:00:00Z'))",
        "0",
    ),
    (
        "How do `MonthsDiff` and `YearsDiff` count?",
        "Whole calendar months between the UTC dates: a month counts once the same day of the month is reached",
        "MonthsDiff(ToDate('2024-02-29'), ToDate('2024-01-31'))",
        "0",
    ),
    (
        "What of a local time that a daylight-saving change skips or repeats?",
        "Skipped: moved forward by the gap; repeated: the earlier moment",
        "LocalToUTC(ToDateTime('2024-03-31 02:30:00Z'), 'Europe/Paris')",
        "DateTime 2024-03-31 01:30:00.000Z",
    ),
    (
        "What does `Random()` return?",
        "An Integer from 0 to 2147483647 from the simulator's seeded generator (reproducible runs)",
        "Random() >= 0",
        "true",
    ),
    (
        "Is the flag of `IsBitSet`, `SetBit`, `ClearBit` a mask or a bit position?",
        "A mask (1, 2, 4, 8...); `IsBitSet` wants every bit of it set",
        "IsBitSet(6, 2) AND NOT IsBitSet(6, 3)",
        "true",
    ),
    (
        "What does `Charindex` give for an empty search?",
        "1 (every String contains the empty one, as `IN` says)",
        "Charindex('abc', '')",
        "1",
    ),
    (
        "Does `DataLength` count characters or bytes?",
        "UTF-8 bytes: the character count for ASCII text, more for accented letters",
        "DataLength('é')",
        "2",
    ),
    (
        "How does `JuxtWords` treat an empty or null word?",
        "It is left out with its space",
        "JuxtWords('', 'Doe')",
        "'Doe'",
    ),
    (
        "What does `GetEmailDomain` give?",
        "The text after the last `@`, in lower case; null without `@`",
        "GetEmailDomain('a@B.com')",
        "'b.com'",
    ),
    (
        "What is a word for `Smart`?",
        "A run of letters and digits; the other letters are put in lower case",
        "Smart('jean-paul o''neil')",
        "'Jean-Paul O''Neil'",
    ),
    (
        "What do `LPad` and `RPad` do with a longer string?",
        "Return it unchanged (no truncation)",
        "LPad('12345', 3, '0')",
        "'12345'",
    ),
    (
        "Are two nulls equal for `Decode` and `IfEquals`?",
        "No: they compare as `=`, and a null is equal to nothing",
        "Decode($(vars/@missing), $(vars/@missing), 'same', 'different')",
        "'different'",
    ),
    (
        "What do `VirtualLink` and `VirtualLinkStr` give when the values differ?",
        "Null (no link)",
        "IsNull(VirtualLink(42, 1, 2))",
        "true",
    ),
    (
        "What does `Ascii` give beyond ASCII?",
        "The Unicode code point",
        "Ascii('é')",
        "233",
    ),
    (
        "Which zero does `Coalesce` skip?",
        "Numeric zero only; an empty String is kept",
        "Coalesce('', 'x') + ToString(Coalesce(0.0, 7))",
        "'7'",
    ),
    (
        "Are `IN` and `LIKE` case-sensitive?",
        "Yes, both; `\\` escapes a wildcard",
        "'Martin' LIKE 'mart%' OR NOT ('100%' LIKE '100\\%')",
        "false",
    ),
    (
        "What does `GetLine` give past the last line?",
        "The empty string",
        "GetLine('a', 3)",
        "''",
    ),
];

/// The Markdown reference: syntax, types, operators, null rules, choices and every function.
pub fn reference_markdown() -> String {
    let mut choices = String::new();
    for (question, choice, example, result) in CHOICES {
        let _ = writeln!(
            choices,
            "| {} | {} | `{}` | `{}` |",
            question,
            choice,
            example.replace('|', "\\|"),
            result
        );
    }
    let mut refused = String::new();
    for s in TABLE.iter() {
        if let Availability::Refused(why) = s.availability {
            let _ = writeln!(refused, "- `{}`: {why}.", s.signature());
        }
    }
    let mut out = INTRO
        .replace("CHOICES_ROWS\n", &format!("{choices}\n"))
        .replace("REFUSED_ROWS\n", &format!("{refused}\n"));
    let _ = writeln!(
        out,
        "\n- source text: at most {} KiB;\n- nesting: at most {MAX_DEPTH} levels (operators, parentheses and calls);\n- strings produced: at most {} MiB;\n- `GetDate()` is the run's virtual clock, `newUUID()` and `Random()` the simulator's seeded generators.",
        MAX_SOURCE_LEN / 1024,
        MAX_STRING_LEN / (1024 * 1024)
    );
    let total = TABLE.len();
    let extra = TABLE.iter().filter(|s| s.extra).count();
    let _ = write!(
        out,
        "\nErrors, at design time and at run time, point at the exact place in the expression and say\nwhat was expected.\n\n## Functions\n\n{total} functions: every function of the reference's Dates, Geomarketing, Numerical, Others and\nString tables (its aggregates and sorting functions aside), the functions it adds for event\nvariables, and {extra} flowcall addition (marked *flowcall*). Names ignore case. The examples are\nevaluated by the test suite with the clock at `2025-01-06 09:00:00Z` (a Monday), the option\n`brand` = `Acme`, and no variable `missing`. Results show Strings quoted, and Dates and\nDateTimes with their type. *nulls*: `propagates` means a null argument gives null; `handles`\nmeans the meaning says what null does.\n"
    );
    for family in Family::ALL {
        let _ = writeln!(
            out,
            "\n### {}\n\n{}\n\n| function | meaning | nulls | example | result |\n|---|---|---|---|---|",
            family.title(),
            family.blurb()
        );
        for s in TABLE.iter().filter(|s| s.family == family) {
            let nulls = match s.nulls {
                Nulls::Propagate => "propagates",
                Nulls::Handles => "handles",
            };
            let _ = writeln!(
                out,
                "| `{}`{} | {} | {nulls} | `{}` | `{}` |",
                s.signature(),
                if s.extra { " *flowcall*" } else { "" },
                s.meaning.replace('|', "\\|"),
                s.example.replace('|', "\\|"),
                s.result
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{EvalContext, SeededRandom, SequentialUuids, describe_value, eval, parse};
    use super::*;
    use crate::model::{Value, default_clock_start};
    use std::collections::BTreeMap;

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/EXPRESSIONS.md");

    #[test]
    fn committed_reference_is_current() {
        let fresh = reference_markdown();
        if std::env::var_os("FLOWCALL_BLESS").is_some() {
            assert!(std::fs::write(PATH, &fresh).is_ok());
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(
            committed == fresh,
            "docs/EXPRESSIONS.md is stale: run `FLOWCALL_BLESS=1 cargo test --no-default-features expr::docs`"
        );
    }

    /// What the examples may read: the variable `missing`, declared and absent.
    fn env() -> super::super::TypeEnv {
        let mut env = super::super::TypeEnv::default();
        env.variables.insert(
            "missing".to_owned(),
            super::super::VarInfo {
                ty: crate::model::Type::String,
                origin: "test".to_owned(),
            },
        );
        env
    }

    fn evaluate(src: &str) -> Result<String, String> {
        let vars: BTreeMap<String, Value> = BTreeMap::new();
        let options = BTreeMap::from([("brand".to_owned(), "Acme".to_owned())]);
        let uuids = SequentialUuids::new();
        let next_uuid = || uuids.generate();
        let random = SeededRandom::new(0);
        let draw = || random.draw();
        let ctx =
            EvalContext::new(&vars, default_clock_start(), &options, &next_uuid).with_random(&draw);
        parse(src)
            .and_then(|e| eval(&e, &ctx))
            .map(|v| describe_value(&v))
            .map_err(|e| e.message)
    }

    #[test]
    fn every_example_gives_its_documented_result() {
        for s in TABLE.iter() {
            let got = evaluate(s.example);
            match s.availability {
                Availability::Refused(_) => {
                    let msg = got.err().unwrap_or_default();
                    let expected = s.result.trim_start_matches("error: ");
                    assert!(msg.starts_with(expected), "example of {}: {msg}", s.name);
                }
                _ => assert_eq!(got, Ok(s.result.to_owned()), "example of {}", s.name),
            }
            let checked = super::super::check_source(s.example, &env());
            let refused = matches!(s.availability, Availability::Refused(_));
            assert_eq!(
                checked.has_errors(),
                refused,
                "example of {}: {:?}",
                s.name,
                checked.diagnostics
            );
            assert!(
                s.example
                    .to_ascii_lowercase()
                    .contains(&s.name.to_ascii_lowercase()),
                "the example of {} does not call it",
                s.name
            );
        }
    }

    #[test]
    fn every_choice_gives_its_documented_result() {
        for (question, _, example, result) in CHOICES {
            assert_eq!(evaluate(example), Ok((*result).to_owned()), "{question}");
            let checked = super::super::check_source(example, &env());
            assert!(
                !checked.has_errors(),
                "{question}: {:?}",
                checked.diagnostics
            );
        }
    }
}
