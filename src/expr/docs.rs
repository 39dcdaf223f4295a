//! The user reference of the expression language, generated from the function table into
//! `docs/EXPRESSIONS.md` (a test keeps the committed file current and runs every example).

use super::functions::{Category, TABLE};
use super::{MAX_DEPTH, MAX_SOURCE_LEN, MAX_STRING_LEN};
use std::fmt::Write as _;

const INTRO: &str = r#"# flowcall expressions

<!-- Generated from src/expr/functions.rs by `reference_markdown()`; do not edit by hand.
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
| `'text'` | a String; write `''` for a quote inside: `'it''s'` |
| `42`, `2.5` | an Integer, a Decimal (digits, optionally `.` and digits) |
| `true`, `false` | Booleans, any case |
| `@field` | a column of the row being filtered (Query filters only) |
| `Name(arg, ...)` | a function call; names ignore case |
| `( ... )` | grouping |

A typed reader converts the variable's text form; when that fails (say `$long` of `"abc"`) the
evaluation stops with an error naming the variable. The checker warns when a typed reader is
applied to a variable declared with an incompatible type.

## Types

`String`, `Integer` (64-bit), `Decimal` (64-bit float, always finite), `Boolean`, `Date`
(calendar date), `DateTime` (instant, UTC), and null (no value). There is no null literal:
absent variables, empty cells and some functions produce null.

## Operators

From lowest to highest precedence:

| operators | operands | result |
|---|---|---|
| `OR` | Booleans | Boolean |
| `AND` | Booleans | Boolean |
| `NOT` | Boolean | Boolean |
| `=` `!=` `<>` `<` `<=` `>` `>=` | two numbers, two dates (Date with DateTime compares at midnight UTC), or two values of the same type | Boolean |
| `+` `-` | numbers; `+` also joins two Strings | Integer when both are Integers, else Decimal; String |
| `*` `/` | numbers | Integer when both are Integers, else Decimal |
| unary `-` | a number | the same type |

- Comparisons do not chain: write `1 < x AND x < 5`.
- `/` of two Integers is integer division truncating toward zero (`7 / 2` is `3`,
  `-7 / 2` is `-3`); write `7 / 2.0` for `3.5`. Division by zero is an error.
- Integer arithmetic is checked: a result outside the 64-bit range is an error. A Decimal
  result that is not finite is an error.
- `+` does not convert: `'n=' + 1` is an error; write `'n=' + ToString(1)`.
- Strings compare by their UTF-8 bytes (case-sensitive).

## Null

- Operators and functions propagate null: if an operand or argument is null, the result is
  null (`1 + null` is null, `Upper(null)` is null, `null = null` is null).
- `AND`, `OR`, `NOT` use three-valued logic: `false AND null` is `false`, `true OR null` is
  `true`, any other combination with null is null; `NOT null` is null.
- Exceptions that handle null themselves: `IsNull`, `IsEmptyString`, `ToString` (null gives
  `''`), `Coalesce`, and `Iif` / `Case`, where a null condition counts as false.
- `GetOption` of an undefined option is null.

## Limits

Evaluation is bounded and has no access to files, network or the real clock:
"#;

/// The Markdown reference: syntax, types, operators, null rules and every function.
pub fn reference_markdown() -> String {
    let mut out = String::from(INTRO);
    let _ = writeln!(
        out,
        "\n- source text: at most {} KiB;\n- nesting: at most {MAX_DEPTH} levels (operators, parentheses and calls);\n- strings produced: at most {} MiB;\n- `GetDate()` is the run's virtual clock and `newUUID()` the simulator's generator.",
        MAX_SOURCE_LEN / 1024,
        MAX_STRING_LEN / (1024 * 1024)
    );
    out.push_str(
        "\nErrors, at design time and at run time, point at the exact place in the expression and say\nwhat was expected.\n\n## Functions\n\nThe examples are evaluated by the test suite with the clock at `2025-01-06 09:00:00Z`, the\noption `brand` = `Acme`, and no variable `missing`. Results show Strings quoted, and Dates and\nDateTimes with their type.\n",
    );
    for cat in Category::ALL {
        let _ = writeln!(
            out,
            "\n### {}\n\n| function | meaning | example | result |\n|---|---|---|---|",
            cat.title()
        );
        for s in TABLE.iter().filter(|s| s.category == cat) {
            let _ = writeln!(
                out,
                "| `{}` | {} | `{}` | `{}` |",
                s.signature(),
                s.meaning.replace('|', "\\|"),
                s.example,
                s.result
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{EvalContext, SequentialUuids, describe_value, eval, parse};
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

    #[test]
    fn every_example_gives_its_documented_result() {
        let vars: BTreeMap<String, Value> = BTreeMap::new();
        let options = BTreeMap::from([("brand".to_owned(), "Acme".to_owned())]);
        for s in TABLE.iter() {
            let uuids = SequentialUuids::new();
            let next_uuid = || uuids.generate();
            let ctx = EvalContext::new(&vars, default_clock_start(), &options, &next_uuid);
            let got = parse(s.example)
                .and_then(|e| eval(&e, &ctx))
                .map(|v| describe_value(&v));
            assert_eq!(got, Ok(s.result.to_owned()), "example of {}", s.name);
            let checked = super::super::check_source(s.example, &Default::default());
            let errors: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.message.contains("expects") || d.message.contains("takes"))
                .collect();
            assert!(errors.is_empty(), "example of {}: {errors:?}", s.name);
        }
    }
}
