//! `flowcall eval EXPR [--vars JSON] [--row JSON] [--json]`: evaluate one expression and print
//! its value and type; a bad expression exits 1 with the message and a caret under the column.

use super::common::EXIT_REJECTED;
use super::common::{errln, outln};
use crate::expr::{self, EvalContext, SeededRandom, SequentialUuids};
use crate::model::{Type, Value, default_clock_start, parse_datetime};
use anyhow::{Context as _, bail};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// Arguments of `eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The expression, e.g. "Upper($(vars/@audience))".
    pub expression: String,
    /// Event variables as a JSON object: {"audience": "gold", "recCount": 3}. A string that
    /// looks like a date or date-time is read as one; use {"x": {"type": "String", "value": "..."}}
    /// to force a type.
    #[arg(long)]
    pub vars: Option<String>,
    /// The row for `@field`, as a JSON object (same rules as --vars).
    #[arg(long)]
    pub row: Option<String>,
    /// The time GetDate() returns (RFC 3339 or "YYYY-MM-DD HH:MM:SSZ"); default 2025-01-06 09:00 UTC.
    #[arg(long)]
    pub now: Option<String>,
    /// Print {"value": ..., "type": ...} or {"error": ..., "line": ..., "column": ...}.
    #[arg(long)]
    pub json: bool,
}

/// Reads a JSON object of variables into typed values.
fn read_vars(text: &str, what: &str) -> anyhow::Result<BTreeMap<String, Value>> {
    let json: serde_json::Value =
        serde_json::from_str(text).with_context(|| format!("{what} is not valid JSON"))?;
    let serde_json::Value::Object(map) = json else {
        bail!("{what} must be a JSON object such as {{\"audience\": \"gold\"}}");
    };
    let mut out = BTreeMap::new();
    for (name, v) in map {
        let value = json_to_value(&v)
            .with_context(|| format!("{what}: cannot read the value of '{name}'"))?;
        out.insert(name, value);
    }
    Ok(out)
}

fn json_to_value(v: &serde_json::Value) -> anyhow::Result<Value> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Decimal(n.as_f64().context("the number is out of range")?),
        },
        J::String(s) => {
            if let Some(d) = crate::model::parse_date(s) {
                Value::Date(d)
            } else if s.len() >= 16 && s.as_bytes().get(4) == Some(&b'-') {
                parse_datetime(s).map_or_else(|| Value::String(s.clone()), Value::DateTime)
            } else {
                Value::String(s.clone())
            }
        }
        J::Object(o) => {
            let ty = o
                .get("type")
                .and_then(J::as_str)
                .and_then(Type::from_name)
                .context("a typed value is {\"type\": \"Integer\", \"value\": \"42\"} with a type among String, Integer, Decimal, Boolean, Date, DateTime")?;
            let text = match o.get("value") {
                Some(J::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => bail!("a typed value needs a \"value\""),
            };
            Value::parse_as(&text, ty)?
        }
        J::Array(_) => bail!("arrays are not values; use a string, number, boolean or null"),
    })
}

/// The types the checker assumes: each variable read with the type of the value given with
/// `--vars` (String when absent, null at run time), each field of `--row` with its value's.
fn type_env(
    parsed: &expr::Expr,
    vars: &BTreeMap<String, Value>,
    row: Option<&BTreeMap<String, Value>>,
) -> expr::TypeEnv {
    let mut env = expr::TypeEnv {
        variables: BTreeMap::new(),
        fields: row.map(|r| {
            r.iter()
                .map(|(k, v)| (k.clone(), v.ty().unwrap_or(Type::String)))
                .collect()
        }),
    };
    for read in parsed.variables() {
        let (ty, origin) = match vars.get(&read.name).and_then(Value::ty) {
            Some(ty) => (ty, "given with --vars"),
            None => (Type::String, "absent (null)"),
        };
        env.variables.insert(
            read.name.clone(),
            expr::VarInfo {
                ty,
                origin: origin.into(),
            },
        );
    }
    env
}

/// Prints the value (or the error at its place) as text or JSON; an error exits with 1.
fn print_result(
    args: &EvalArgs,
    result: Result<Value, expr::ExprError>,
) -> anyhow::Result<ExitCode> {
    match result {
        Ok(value) => {
            if args.json {
                let out = serde_json::json!({"value": value.to_json(), "type": value.type_name()});
                outln!("{out}")?;
            } else {
                outln!("{} ({})", expr::describe_value(&value), value.type_name())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            if args.json {
                let (line, column) = err.span.line_col(&args.expression);
                let out = serde_json::json!({
                    "error": err.message,
                    "line": line,
                    "column": column,
                    "start": err.span.start,
                    "end": err.span.end,
                });
                outln!("{out}")?;
            } else {
                errln!("{}", expr::render_error(&args.expression, &err));
            }
            Ok(ExitCode::from(EXIT_REJECTED))
        }
    }
}

/// Runs `eval`.
pub fn eval(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let vars = match &args.vars {
        Some(t) => read_vars(t, "--vars")?,
        None => BTreeMap::new(),
    };
    let row = match &args.row {
        Some(t) => Some(read_vars(t, "--row")?),
        None => None,
    };
    let now = match &args.now {
        Some(t) => parse_datetime(t).with_context(|| {
            format!("--now '{t}' is not a date-time; write e.g. 2025-01-06T09:00:00Z")
        })?,
        None => default_clock_start(),
    };
    let options = BTreeMap::new();
    let uuids = SequentialUuids::new();
    let uuid = || uuids.generate();
    // `Random()` draws from a generator seeded with 0, so a command gives the same numbers.
    let random = SeededRandom::new(0);
    let draw = || random.draw();
    let mut ctx = EvalContext::new(&vars, now, &options, &uuid).with_random(&draw);
    if let Some(row) = &row {
        ctx = ctx.with_row(row);
    }
    // Type-check first: unknown functions get a "did you mean", wrong arities their signature.
    // Variables not given are absent (null) at run time, so they are declared here as String.
    if let Ok(parsed) = expr::parse(&args.expression) {
        let env = type_env(&parsed, &vars, row.as_ref());
        let checked = expr::check(&parsed, &env);
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == expr::Severity::Error)
            .collect();
        if let Some(first) = errors.first() {
            if args.json {
                let (line, column) = first.span.line_col(&args.expression);
                outln!(
                    "{}",
                    serde_json::json!({"error": first.message, "line": line, "column": column, "start": first.span.start, "end": first.span.end})
                )?;
            } else {
                for d in &errors {
                    errln!("{}", expr::render_diagnostic(&args.expression, d));
                }
            }
            return Ok(ExitCode::from(EXIT_REJECTED));
        }
        if !args.json {
            for d in &checked.diagnostics {
                errln!("{}", expr::render_diagnostic(&args.expression, d));
            }
        }
    }
    let result = expr::parse(&args.expression).and_then(|e| expr::eval(&e, &ctx));
    print_result(args, result)
}
