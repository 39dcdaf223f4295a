//! Payloads generated from a signal's contract (`flowcall payloads`), for batches that explore
//! it without hand-written files: first every case worth one payload (the minimal payload,
//! every parameter passed, each allowed value, each default passed explicitly, each type
//! boundary and, under the Lenient policy, each text form the simulator converts), then random
//! combinations of those values. A chosen share of payloads breaks the contract in exactly one
//! way each ([`Rule`]); every line carries what it expects ([`Expect`]) so that `batch` can
//! check it was treated so.
//!
//! Deterministic for a seed (ChaCha8), and streaming: the memory used does not grow with the
//! count. JSONL lines carry the expectation as their last key, `"flowcall_expect"`; CSV files
//! as a `flowcall_expect` column. [`split_expectation`] and the CSV reader take it off again,
//! so the payload the simulator sees is exactly the one generated.

use super::data_refs::DataRef;
use super::format::PayloadFormat;
use super::run::ErrorKind;
use super::trigger::{self, MAX_PAYLOAD_BYTES};
use crate::model::{ConversionPolicy, Parameter, SignalContract, Type, Value};
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value as Json, json};
use std::io::{self, Write};

/// The key (JSONL) or column (CSV) that carries a generated payload's expectation.
pub const EXPECT_KEY: &str = "flowcall_expect";

/// The share of valid payloads that name sample data that does not exist (when a parameter
/// names data and a value naming nothing was found), each expecting a failed run.
pub const MISS_SHARE: f64 = 0.05;

/// How [`Expect::FailsAt`] is written before its activity.
const FAILS_AT: &str = "failed-run:";

/// A way a generated payload breaks its contract (exactly one per invalid payload).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A parameter the signal does not declare.
    Undeclared,
    /// A value that does not fit its parameter's type under the signal's policy.
    WrongType,
    /// A required parameter left out.
    MissingRequired,
    /// A value outside its parameter's allowed list.
    NotAllowed,
    /// An empty `source` (JSONL only: an empty CSV cell means the default source).
    EmptySource,
    /// A payload over the 64 KiB limit.
    TooLarge,
}

impl Rule {
    /// Every rule, in the order of their names.
    pub const ALL: [Rule; 6] = [
        Rule::Undeclared,
        Rule::WrongType,
        Rule::MissingRequired,
        Rule::NotAllowed,
        Rule::EmptySource,
        Rule::TooLarge,
    ];

    /// `undeclared`, `wrong-type`, `missing-required`, `not-allowed`, `empty-source`,
    /// `too-large`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Undeclared => "undeclared",
            Rule::WrongType => "wrong-type",
            Rule::MissingRequired => "missing-required",
            Rule::NotAllowed => "not-allowed",
            Rule::EmptySource => "empty-source",
            Rule::TooLarge => "too-large",
        }
    }

    /// The kind of trigger error that enforces this rule.
    pub fn kind(self) -> ErrorKind {
        match self {
            Rule::Undeclared => ErrorKind::Undeclared,
            Rule::WrongType => ErrorKind::WrongType,
            Rule::MissingRequired => ErrorKind::MissingRequired,
            Rule::NotAllowed => ErrorKind::NotAllowed,
            Rule::EmptySource => ErrorKind::Shape,
            Rule::TooLarge => ErrorKind::TooLarge,
        }
    }
}

/// What a generated payload expects of the simulator.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expect {
    /// It fits the contract: it must be accepted.
    Accepted,
    /// It breaks this rule: it must be rejected for it, and for nothing else.
    Breaks(Rule),
    /// It fits the contract but names sample data that does not exist: it must be accepted,
    /// and a run must fail at this activity (`WORKFLOW/activity`).
    FailsAt(String),
}

impl Expect {
    /// `accepted`, the rule's name, or `failed-run`: the group a summary counts it in.
    pub fn name(&self) -> &'static str {
        match self {
            Expect::Accepted => "accepted",
            Expect::Breaks(r) => r.name(),
            Expect::FailsAt(_) => "failed-run",
        }
    }

    /// How a payload file writes it: its name, and `failed-run:WORKFLOW/activity`.
    pub fn label(&self) -> String {
        match self {
            Expect::FailsAt(a) => format!("{FAILS_AT}{a}"),
            other => other.name().to_owned(),
        }
    }

    /// Reads a label written by [`Expect::label`].
    pub fn parse(text: &str) -> Option<Expect> {
        if text == "accepted" {
            return Some(Expect::Accepted);
        }
        if let Some(a) = text.strip_prefix(FAILS_AT) {
            return (!a.is_empty()).then(|| Expect::FailsAt(a.to_owned()));
        }
        Rule::ALL
            .into_iter()
            .find(|r| r.name() == text)
            .map(Expect::Breaks)
    }

    /// Why a trigger's outcome does not match this expectation: `accepted` is whether it was
    /// accepted, `kinds` the kinds of its errors, `failed_at` the activities (as
    /// `WORKFLOW/activity`) where its runs failed. `None` when it matches.
    pub fn mismatch(
        &self,
        accepted: bool,
        kinds: &[ErrorKind],
        failed_at: &[String],
    ) -> Option<String> {
        match self {
            Expect::Accepted if accepted => None,
            Expect::Accepted => Some(format!(
                "expected to be accepted, rejected for {}",
                kind_names(kinds)
            )),
            Expect::Breaks(r) if accepted => {
                Some(format!("expected to be rejected ({}), accepted", r.name()))
            }
            Expect::Breaks(r) if !kinds.is_empty() && kinds.iter().all(|k| *k == r.kind()) => None,
            Expect::Breaks(r) => Some(format!(
                "expected to be rejected for {} only, rejected for {}",
                r.kind().name(),
                kind_names(kinds)
            )),
            Expect::FailsAt(a) if !accepted => Some(format!(
                "expected to be accepted and to fail at {a}, rejected for {}",
                kind_names(kinds)
            )),
            Expect::FailsAt(a) if failed_at.contains(a) => None,
            Expect::FailsAt(a) if failed_at.is_empty() => {
                Some(format!("expected a run to fail at {a}, none failed"))
            }
            Expect::FailsAt(a) => Some(format!(
                "expected a run to fail at {a}, runs failed at {}",
                failed_at.join(", ")
            )),
        }
    }
}

fn kind_names(kinds: &[ErrorKind]) -> String {
    let mut names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
    names.dedup();
    names.join(", ")
}

/// Takes the expectation off a JSONL payload line that ends with `,"flowcall_expect":"NAME"}`
/// (spaces allowed around the punctuation), as [`PayloadGenerator`] writes it: the line becomes
/// the payload without it, byte for byte as generated. A line without it is left as it is.
pub fn take_expectation(line: &mut Vec<u8>) -> Option<Expect> {
    if !may_end_with_expectation(line) {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    let body = text
        .trim_end()
        .strip_suffix('}')?
        .trim_end()
        .strip_suffix('"')?;
    let quote = body.rfind('"')?;
    let expect = Expect::parse(&body[quote + 1..])?;
    let key = format!("\"{EXPECT_KEY}\"");
    let rest = body[..quote].trim_end().strip_suffix(':')?;
    let rest = rest.trim_end().strip_suffix(key.as_str())?;
    let rest = rest.trim_end().strip_suffix(',')?.trim_end();
    let end = rest.len();
    line.truncate(end);
    line.push(b'}');
    Some(expect)
}

/// Whether `line` may end with `"expected text"}` (then [`take_expectation`] reads it as text):
/// false when, past its ASCII whitespace, it does not end with `"` and `}` separated by ASCII
/// whitespace only, so that most payload lines are not checked as a whole.
fn may_end_with_expectation(line: &[u8]) -> bool {
    let mut significant = line
        .iter()
        .rev()
        .copied()
        .filter(|b| !b.is_ascii_whitespace());
    match (significant.next(), significant.next()) {
        (Some(b'}'), Some(b'"')) => true,
        // Other (Unicode) whitespace is trimmed too: the whole check decides.
        (Some(last), second) => !last.is_ascii() || second.is_some_and(|b| !b.is_ascii()),
        (None, _) => false,
    }
}

/// Settings of a generation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateOptions {
    /// How many payloads.
    pub count: u64,
    /// The seed: the same seed gives the same payloads.
    pub seed: u64,
    /// The share of payloads that break one rule each, from 0 to 1.
    pub invalid: f64,
    /// JSONL or CSV.
    pub format: PayloadFormat,
}

/// Why payloads cannot be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The invalid share is not between 0 and 1.
    #[error("the invalid share must be between 0 and 1, got {0}")]
    InvalidShare(f64),
    /// Writing failed.
    #[error("cannot write the payloads: {0}")]
    Io(io::Error),
    /// A CSV line could not be written.
    #[error("cannot write a CSV row: {0}")]
    Csv(csv::Error),
}

// The messages above hold their cause (`{0}`), so the cause is not also a `source()`: an error
// chain printed at the edge (`{:#}`) would say it twice ("Broken pipe: Broken pipe").
impl From<io::Error> for GenerateError {
    fn from(e: io::Error) -> GenerateError {
        GenerateError::Io(e)
    }
}

impl From<csv::Error> for GenerateError {
    fn from(e: csv::Error) -> GenerateError {
        GenerateError::Csv(e)
    }
}

/// Payloads for one signal's contract, one at a time.
pub struct PayloadGenerator<'a> {
    contract: &'a SignalContract,
    options: GenerateOptions,
    rng: ChaCha8Rng,
    systematic: Vec<Map<String, Json>>,
    rules: Vec<Rule>,
    produced: u64,
    undeclared: String,
    /// The parameters that name sample data (given the design), with the values that do.
    data: Vec<DataRef>,
}

/// How long a long string is: long, but within the payload limit whatever the number of
/// parameters.
fn long_len(parameters: usize) -> usize {
    (MAX_PAYLOAD_BYTES / 2 / parameters.max(1)).min(4096)
}

impl<'a> PayloadGenerator<'a> {
    /// A generator for `contract`, or why not.
    pub fn new(
        contract: &'a SignalContract,
        options: GenerateOptions,
    ) -> Result<Self, GenerateError> {
        if !(0.0..=1.0).contains(&options.invalid) {
            return Err(GenerateError::InvalidShare(options.invalid));
        }
        let csv = options.format == PayloadFormat::Csv;
        let mut undeclared = "undeclaredParameter".to_owned();
        while contract.parameter(&undeclared).is_some() {
            undeclared.push('_');
        }
        let mut g = PayloadGenerator {
            contract,
            options,
            rng: ChaCha8Rng::seed_from_u64(options.seed),
            systematic: Vec::new(),
            rules: Vec::new(),
            produced: 0,
            undeclared,
            data: Vec::new(),
        };
        g.systematic = g.systematic_cases();
        g.rules = Rule::ALL
            .into_iter()
            .filter(|r| g.applies(*r, csv))
            .collect();
        Ok(g)
    }

    /// Draws the parameters that name sample data ([`super::data_refs`] of the design) from the
    /// data that exists, and makes [`MISS_SHARE`] of the valid payloads name data that does
    /// not, expecting a failed run where it is read.
    pub fn with_data(mut self, data: Vec<DataRef>) -> Self {
        let csv = self.options.format == PayloadFormat::Csv;
        self.data = data
            .into_iter()
            .filter(|d| !d.hits.is_empty() || d.miss.is_some())
            .map(|mut d| {
                // An empty CSV cell means "not passed": a value must have some text.
                if csv {
                    d.hits.retain(|h| !h.is_empty());
                }
                d
            })
            .collect();
        self.systematic = self.systematic_cases();
        self
    }

    /// The sample data `p` names, when it does and some of it exists.
    fn data_of(&self, p: &Parameter) -> Option<&DataRef> {
        self.data
            .iter()
            .find(|d| d.parameter == p.name && !d.hits.is_empty())
    }

    /// Whether leaving `p` out would name data that does not exist (its default names none).
    fn must_send(&self, p: &Parameter) -> bool {
        self.data_of(p).is_some_and(|d| {
            !p.default
                .as_ref()
                .is_some_and(|v| d.hits.contains(&v.to_string()))
        })
    }

    /// Whether rule `r` can be broken on this contract (in CSV when `csv`).
    fn applies(&self, r: Rule, csv: bool) -> bool {
        let params = &self.contract.parameters;
        match r {
            Rule::Undeclared | Rule::TooLarge => true,
            Rule::WrongType => params.iter().any(|p| !csv || p.ty != Type::String),
            Rule::MissingRequired => params.iter().any(|p| p.required),
            Rule::NotAllowed => params.iter().any(|p| outside_value(p).is_some()),
            Rule::EmptySource => !csv,
        }
    }

    /// The valid values worth a payload of their own for `p`: the data it names, when it
    /// names some; else its allowed values, or its type's boundaries.
    fn values_of(&self, p: &Parameter) -> Vec<Json> {
        if let Some(d) = self.data_of(p) {
            return d.hits.iter().map(|h| json!(h)).collect();
        }
        let csv = self.options.format == PayloadFormat::Csv;
        let lenient = self.contract.conversion == ConversionPolicy::Lenient;
        if !p.allowed.is_empty() {
            let mut v: Vec<Json> = p.allowed.iter().map(Value::to_json).collect();
            if lenient && !csv {
                v.extend(p.allowed.iter().filter_map(|a| text_form(a, p.ty)));
            }
            return v;
        }
        let mut v = boundaries(p.ty, long_len(self.contract.parameters.len()));
        if lenient && !csv {
            v.extend(lenient_forms(p.ty));
        }
        if csv {
            // An empty cell leaves the parameter out: the empty string cannot be sent.
            v.retain(|j| j.as_str() != Some(""));
        }
        v
    }

    /// The minimal payload (only what is required, and what names data when its default
    /// names none), then every parameter, each value of each parameter on top of the minimal
    /// one, each default passed explicitly.
    fn systematic_cases(&self) -> Vec<Map<String, Json>> {
        let params = &self.contract.parameters;
        let first = |p: &Parameter| self.values_of(p).into_iter().next();
        let minimal: Map<String, Json> = params
            .iter()
            .filter(|p| p.required || self.must_send(p))
            .filter_map(|p| Some((p.name.clone(), first(p)?)))
            .collect();
        let full: Map<String, Json> = params
            .iter()
            .filter_map(|p| Some((p.name.clone(), first(p)?)))
            .collect();
        let mut cases = vec![minimal.clone(), full];
        for p in params {
            for v in self.values_of(p) {
                let mut c = minimal.clone();
                c.insert(p.name.clone(), v);
                cases.push(c);
            }
            if let Some(d) = &p.default
                && (p.allowed.is_empty() || p.allowed.contains(d))
                && !self.must_send(p)
            {
                let mut c = minimal.clone();
                c.insert(p.name.clone(), d.to_json());
                cases.push(c);
            }
        }
        cases
    }

    /// A random valid set of parameters: the required ones (and those naming data whose
    /// default names none), each optional one half the time, each with one of its values.
    fn random_valid(&mut self) -> Map<String, Json> {
        let mut out = Map::new();
        for p in &self.contract.parameters {
            if !p.required && !self.must_send(p) && self.rng.random_bool(0.5) {
                continue;
            }
            let values = self.values_of(p);
            if values.is_empty() {
                continue;
            }
            let i = self.rng.random_range(0..values.len());
            out.insert(p.name.clone(), values[i].clone());
        }
        out
    }

    /// The next payload's parameters, source and expectation (`None` after `count`).
    fn next_case(&mut self) -> Option<(String, Map<String, Json>, Expect)> {
        if self.produced >= self.options.count {
            return None;
        }
        let i = self.produced;
        self.produced += 1;
        let invalid = !self.rules.is_empty() && self.rng.random_bool(self.options.invalid);
        let mut params = match usize::try_from(i).ok().and_then(|i| self.systematic.get(i)) {
            Some(c) if !invalid => c.clone(),
            _ => self.random_valid(),
        };
        let mut source = format!("generated-{}", i + 1);
        if !invalid {
            let expect = self.maybe_miss(&mut params).unwrap_or(Expect::Accepted);
            return Some((source, params, expect));
        }
        let rule = self.rules[self.rng.random_range(0..self.rules.len())];
        self.break_rule(rule, &mut source, &mut params);
        Some((source, params, Expect::Breaks(rule)))
    }

    /// For [`MISS_SHARE`] of the valid payloads (when a parameter names data and a value that
    /// names none is known): one such parameter takes that value; the payload then expects a
    /// failed run at the activity that reads it.
    fn maybe_miss(&mut self, params: &mut Map<String, Json>) -> Option<Expect> {
        let misses: Vec<(String, String, String)> = self
            .data
            .iter()
            .filter_map(|d| Some((d.parameter.clone(), d.miss.clone()?, d.activity.clone())))
            .collect();
        if misses.is_empty() || !self.rng.random_bool(MISS_SHARE) {
            return None;
        }
        let (p, value, activity) = misses[self.rng.random_range(0..misses.len())].clone();
        params.insert(p, json!(value));
        Some(Expect::FailsAt(activity))
    }

    /// Breaks `rule` on a valid payload, and nothing else.
    fn break_rule(&mut self, rule: Rule, source: &mut String, params: &mut Map<String, Json>) {
        let csv = self.options.format == PayloadFormat::Csv;
        let strict = self.contract.conversion == ConversionPolicy::Strict;
        let pick = |rng: &mut ChaCha8Rng, ps: Vec<&'a Parameter>| -> Option<&'a Parameter> {
            (!ps.is_empty()).then(|| ps[rng.random_range(0..ps.len())])
        };
        let contract = self.contract;
        match rule {
            Rule::Undeclared => {
                params.insert(self.undeclared.clone(), json!("x"));
            }
            Rule::WrongType => {
                let candidates = contract
                    .parameters
                    .iter()
                    .filter(|p| !csv || p.ty != Type::String)
                    .collect();
                if let Some(p) = pick(&mut self.rng, candidates) {
                    let wrong = wrong_values(p.ty, strict, csv);
                    let v = wrong[self.rng.random_range(0..wrong.len())].clone();
                    params.insert(p.name.clone(), v);
                }
            }
            Rule::MissingRequired => {
                let candidates = contract.parameters.iter().filter(|p| p.required).collect();
                if let Some(p) = pick(&mut self.rng, candidates) {
                    params.remove(&p.name);
                }
            }
            Rule::NotAllowed => {
                let candidates = contract
                    .parameters
                    .iter()
                    .filter(|p| outside_value(p).is_some())
                    .collect();
                if let Some(p) = pick(&mut self.rng, candidates)
                    && let Some(v) = outside_value(p)
                {
                    params.insert(p.name.clone(), v);
                }
            }
            Rule::EmptySource => source.clear(),
            Rule::TooLarge => *source = "x".repeat(MAX_PAYLOAD_BYTES + 1),
        }
    }

    /// Writes every payload to `out`; returns how many.
    pub fn write_all<W: Write>(mut self, out: W) -> Result<u64, GenerateError> {
        match self.options.format {
            PayloadFormat::Jsonl => self.write_jsonl(out),
            PayloadFormat::Csv => self.write_csv(out),
        }
    }

    fn write_jsonl<W: Write>(&mut self, out: W) -> Result<u64, GenerateError> {
        let mut out = io::BufWriter::new(out);
        let mut n = 0;
        while let Some((source, params, expect)) = self.next_case() {
            let mut payload = Map::new();
            payload.insert("source".into(), Json::String(source));
            payload.insert("parameters".into(), Json::Object(params));
            payload.insert(EXPECT_KEY.into(), Json::String(expect.label()));
            serde_json::to_writer(&mut out, &Json::Object(payload)).map_err(io::Error::from)?;
            out.write_all(b"\n")?;
            n += 1;
        }
        out.flush()?;
        Ok(n)
    }

    fn write_csv<W: Write>(&mut self, out: W) -> Result<u64, GenerateError> {
        let mut w = csv::Writer::from_writer(out);
        let declares_source = self.contract.parameter("source").is_some();
        let mut header: Vec<&str> = self
            .contract
            .parameters
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let undeclared = self.undeclared.clone();
        header.push(&undeclared);
        if !declares_source {
            header.push("source");
        }
        header.push(EXPECT_KEY);
        w.write_record(&header)?;
        let mut n = 0;
        while let Some((source, params, expect)) = self.next_case() {
            let mut row: Vec<String> = self
                .contract
                .parameters
                .iter()
                .map(|p| params.get(&p.name).map(cell_text).unwrap_or_default())
                .collect();
            row.push(params.get(&undeclared).map(cell_text).unwrap_or_default());
            if !declares_source {
                row.push(source);
            } else if source.len() > MAX_PAYLOAD_BYTES {
                // The source is a parameter here: make a cell too large instead.
                if let Some(first) = row.first_mut() {
                    *first = source;
                }
            }
            row.push(expect.label());
            w.write_record(&row)?;
            n += 1;
        }
        w.flush()?;
        Ok(n)
    }
}

/// A JSON value as a CSV cell: text as it is, numbers and booleans as their JSON text.
fn cell_text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Valid values at the edges of a type (as JSON), `long` the length of the long string.
fn boundaries(ty: Type, long: usize) -> Vec<Json> {
    match ty {
        Type::String => vec![
            json!("example"),
            json!(""),
            json!("x".repeat(long)),
            json!("é🙂 \"quoted\" \\ back\\slash, comma; tab\tend"),
        ],
        Type::Integer => vec![
            json!(42),
            json!(0),
            json!(-1),
            json!(i64::MAX),
            json!(i64::MIN),
        ],
        Type::Decimal => vec![
            json!(3.25),
            json!(0.0),
            json!(-0.5),
            json!(1e300),
            json!(-1e-300),
            json!(42),
        ],
        Type::Boolean => vec![json!(true), json!(false)],
        Type::Date => [
            "2025-01-31",
            "2024-02-29",
            "2025-02-28",
            "2025-04-30",
            "2025-12-31",
            "2026-01-01",
            "0001-01-01",
            "9999-12-31",
        ]
        .into_iter()
        .map(|s| json!(s))
        .collect(),
        Type::DateTime => [
            "2025-01-31T08:30:00Z",
            "2025-12-31T23:59:59Z",
            "2025-06-30T12:00:00+02:00",
            "2025-01-31T08:30:00.123Z",
            "2024-02-29T23:59:59.999999-05:00",
            "2025-01-06 09:00",
            "2025-03-31",
        ]
        .into_iter()
        .map(|s| json!(s))
        .collect(),
    }
}

/// The other JSON forms the Lenient policy converts to `ty`.
fn lenient_forms(ty: Type) -> Vec<Json> {
    match ty {
        Type::String => vec![json!(7), json!(2.5), json!(true)],
        Type::Integer => vec![json!("42"), json!(" 7 "), json!("+3"), json!(7.0)],
        Type::Decimal => vec![json!("3.5"), json!("1e3"), json!(".5")],
        Type::Boolean => vec![json!("true"), json!("FALSE"), json!("1"), json!("0")],
        Type::Date | Type::DateTime => Vec::new(),
    }
}

/// An allowed value written as text, when the Lenient policy would convert that text back.
fn text_form(v: &Value, ty: Type) -> Option<Json> {
    match ty {
        Type::Integer | Type::Decimal | Type::Boolean => Some(json!(v.to_string())),
        _ => None,
    }
}

/// Values that never fit `ty` (under the Strict policy when `strict`), in JSON or, for CSV, as
/// text that does not read as `ty`.
fn wrong_values(ty: Type, strict: bool, csv: bool) -> Vec<Json> {
    let mut v = match ty {
        Type::String => vec![json!([1]), json!({"nested": true})],
        Type::Integer => vec![json!("abc"), json!("4.5"), json!(2.5)],
        Type::Decimal => vec![json!("abc"), json!("1,5")],
        Type::Boolean => vec![json!("maybe"), json!("yes")],
        Type::Date => vec![json!("2025-02-30"), json!("31/12/2025"), json!("tomorrow")],
        Type::DateTime => vec![json!("2025-13-01T00:00:00Z"), json!("yesterday")],
    };
    if strict && !csv {
        v.extend(match ty {
            Type::String => vec![json!(7), json!(true)],
            Type::Integer => vec![json!("42")],
            Type::Decimal => vec![json!("3.5")],
            Type::Boolean => vec![json!("true"), json!(1)],
            Type::Date | Type::DateTime => vec![json!(20250101)],
        });
    }
    if csv {
        v.retain(|j| j.is_string());
    }
    v
}

/// A value of `p`'s type outside its allowed values (`None` when it has none, or every value
/// of its type is allowed).
fn outside_value(p: &Parameter) -> Option<Json> {
    if p.allowed.is_empty() {
        return None;
    }
    let allowed = |v: &Value| {
        p.allowed
            .iter()
            .any(|a| a.compare(v) == Some(std::cmp::Ordering::Equal))
    };
    let candidates: Vec<Value> = match p.ty {
        Type::String => (0..)
            .take(50)
            .map(|i| Value::String(format!("not-allowed-{i}")))
            .collect(),
        Type::Integer => (0..50).map(|i| Value::Integer(-987_654_321 - i)).collect(),
        Type::Decimal => (0..50)
            .map(|i| Value::Decimal(-98_765.25 - f64::from(i)))
            .collect(),
        Type::Boolean => vec![Value::Boolean(true), Value::Boolean(false)],
        Type::Date | Type::DateTime => ["1999-12-31", "1999-12-30", "1999-12-29"]
            .into_iter()
            .filter_map(|s| Value::parse_as(s, p.ty).ok())
            .collect(),
    };
    candidates
        .into_iter()
        .find(|v| !allowed(v))
        .map(|v| v.to_json())
        .filter(|j| trigger::convert(j, p.ty, ConversionPolicy::Strict).is_ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_expectation_comes_off_a_jsonl_line_exactly() {
        let mut line =
            br#"{"source":"x","parameters":{"a":1},"flowcall_expect":"wrong-type"}"#.to_vec();
        assert_eq!(
            take_expectation(&mut line),
            Some(Expect::Breaks(Rule::WrongType))
        );
        assert_eq!(line, br#"{"source":"x","parameters":{"a":1}}"#);
        let mut spaced = br#"{"source": "x" , "flowcall_expect" : "accepted" }  "#.to_vec();
        assert_eq!(take_expectation(&mut spaced), Some(Expect::Accepted));
        assert_eq!(spaced, br#"{"source": "x"}"#);
        for plain in [
            br#"{"source": "x"}"#.as_slice(),
            br#"{"source":"x","flowcall_expect":"nonsense"}"#,
            br#"{"flowcall_expect":"accepted"}"#,
        ] {
            let mut line = plain.to_vec();
            assert_eq!(take_expectation(&mut line), None);
            assert_eq!(line, plain);
        }
    }

    /// Whether the whole-text reading finds an expectation: what `take_expectation` answered
    /// before the quick check on the line's last bytes.
    fn read_as_text(line: &[u8]) -> bool {
        let Ok(text) = std::str::from_utf8(line) else {
            return false;
        };
        text.trim_end()
            .strip_suffix('}')
            .and_then(|b| b.trim_end().strip_suffix('"'))
            .is_some()
    }

    proptest::proptest! {
        /// The quick check never turns away a line the whole-text reading would take, whatever
        /// whitespace (ASCII or not) ends it.
        #[test]
        fn the_quick_check_keeps_every_line_that_may_hold_an_expectation(
            body in "[ -~]{0,12}",
            tail in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("}"), proptest::strategy::Just("\""),
                    proptest::strategy::Just(" "), proptest::strategy::Just("\u{a0}"),
                    proptest::strategy::Just("\u{2028}"), proptest::strategy::Just("é"),
                    proptest::strategy::Just("\t"), proptest::strategy::Just("x"),
                ],
                0..5,
            ),
        ) {
            let line = format!("{body}{}", tail.concat());
            if read_as_text(line.as_bytes()) {
                proptest::prop_assert!(may_end_with_expectation(line.as_bytes()), "{line:?}");
            }
        }
    }

    #[test]
    fn a_failed_run_expectation_round_trips_and_names_its_activity() {
        let x = Expect::FailsAt("WKF1/transfer1".into());
        assert_eq!(x.label(), "failed-run:WKF1/transfer1");
        assert_eq!(x.name(), "failed-run");
        assert_eq!(Expect::parse(&x.label()), Some(x.clone()));
        assert_eq!(Expect::parse("failed-run:"), None);
        let here = ["WKF1/transfer1".to_owned()];
        assert_eq!(x.mismatch(true, &[], &here), None);
        let none = x.mismatch(true, &[], &[]).unwrap();
        assert!(none.contains("none failed"), "{none}");
        let elsewhere = x.mismatch(true, &[], &["WKF1/load1".to_owned()]).unwrap();
        assert!(elsewhere.contains("WKF1/load1"), "{elsewhere}");
        let rejected = x.mismatch(false, &[ErrorKind::WrongType], &[]).unwrap();
        assert!(rejected.contains("rejected"), "{rejected}");
    }

    #[test]
    fn a_data_parameter_draws_its_hits_and_a_share_of_misses() {
        let contract = SignalContract {
            parameters: vec![Parameter {
                name: "file".into(),
                ty: Type::String,
                description: String::new(),
                required: true,
                default: None,
                allowed: Vec::new(),
            }],
            ..SignalContract::default()
        };
        let data = vec![DataRef {
            parameter: "file".into(),
            kind: super::super::data_refs::RefKind::File,
            activity: "W/t".into(),
            hits: vec!["a.csv".into(), "b.csv".into()],
            miss: Some("no-such-data".into()),
        }];
        let options = GenerateOptions {
            count: 1000,
            seed: 3,
            invalid: 0.0,
            format: PayloadFormat::Jsonl,
        };
        let mut out = Vec::new();
        PayloadGenerator::new(&contract, options)
            .unwrap()
            .with_data(data)
            .write_all(&mut out)
            .unwrap();
        let (mut misses, mut hits) = (0, 0);
        for line in String::from_utf8(out).unwrap().lines() {
            let j: Json = serde_json::from_str(line).unwrap();
            match (j["parameters"]["file"].as_str(), j[EXPECT_KEY].as_str()) {
                (Some("a.csv" | "b.csv"), Some("accepted")) => hits += 1,
                (Some("no-such-data"), Some("failed-run:W/t")) => misses += 1,
                other => panic!("unexpected {other:?} in {line}"),
            }
        }
        assert_eq!(hits + misses, 1000);
        assert!((20..=100).contains(&misses), "{misses} misses of 1000");
    }
}
