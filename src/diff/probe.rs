//! What callers can send for a parameter, and whether another contract accepts it. Every
//! decision goes through the simulator's own trigger validation ([`trigger::check_parameters`],
//! which converts with [`trigger::convert`]): this module only chooses the JSON values to try.
//!
//! The values tried for a parameter without allowed values are a fixed pool of JSON shapes
//! (numbers integral and not, booleans, and text that reads as each type or as none); those its
//! contract accepts are what its callers could send. For a parameter with allowed values, the
//! values tried are the allowed values in their JSON form (and, under Lenient, as text).

use crate::model::{ConversionPolicy, Parameter, SignalContract, Value, ValueSet, listed};
use crate::sim::ErrorKind;
use crate::sim::trigger;
use serde_json::{Value as Json, json};
use std::sync::LazyLock;

/// The JSON shapes tried for a parameter without allowed values.
static POOL: LazyLock<Vec<Json>> = LazyLock::new(|| {
    vec![
        json!(42),
        json!(-7),
        json!(0),
        json!(1),
        json!(7.0),
        json!(3.5),
        json!(true),
        json!(false),
        json!("text"),
        json!(""),
        json!("42"),
        json!("-7"),
        json!("3.5"),
        json!("true"),
        json!("0"),
        json!("2024-03-31"),
        json!("2024-03-31 08:17:19.100Z"),
        json!("2024-03-31T08:17:19+02:00"),
    ]
});

/// What a contract does with one value.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Accepted, with the value the run receives and whether the Lenient policy converted it.
    Accepted {
        /// The typed value injected.
        value: Value,
        /// Whether it was a Lenient conversion.
        converted: bool,
    },
    /// Rejected, with the kind of problem and the simulator's message.
    Rejected {
        /// Why.
        kind: ErrorKind,
        /// The simulator's message.
        message: String,
    },
}

impl Outcome {
    /// True when accepted.
    pub fn accepted(&self) -> bool {
        matches!(self, Outcome::Accepted { .. })
    }
}

/// One parameter under one policy, ready to try values against. The simulator's trigger
/// validation reads and converts each value (with the allowed values left out, so that a try
/// costs the same whatever their number); the converted value is then looked up among the
/// allowed values with the trigger's equality, in a sorted set: `diff` tries every allowed
/// value of a list of 100,000 against the other version's.
pub struct Tester {
    contract: SignalContract,
    allowed: Option<ValueSet>,
}

impl Tester {
    /// `parameter` under `policy`, with its allowed values.
    pub fn new(parameter: &Parameter, policy: ConversionPolicy) -> Self {
        let allowed = (!parameter.allowed.is_empty()).then(|| ValueSet::new(&parameter.allowed));
        Tester {
            contract: SignalContract {
                parameters: vec![Parameter {
                    required: false,
                    allowed: Vec::new(),
                    ..parameter.clone()
                }],
                conversion: policy,
            },
            allowed,
        }
    }

    /// `parameter` under `policy`, its allowed values left out (only the type counts).
    pub fn type_only(parameter: &Parameter, policy: ConversionPolicy) -> Self {
        let mut t = Tester::new(parameter, policy);
        t.allowed = None;
        t
    }

    fn parameter(&self) -> Option<&Parameter> {
        self.contract.parameters.first()
    }

    /// What the simulator's trigger validation does with `json` passed for this parameter.
    pub fn outcome(&self, json: &Json) -> Outcome {
        let Some(p) = self.parameter() else {
            return Outcome::Rejected {
                kind: ErrorKind::Undeclared,
                message: "no parameter".into(),
            };
        };
        let passed = [(p.name.clone(), json.clone())];
        match trigger::check_parameters("", "", &self.contract, &passed) {
            Ok(injected) => {
                let value = injected
                    .variables
                    .into_iter()
                    .next()
                    .map_or(Value::Null, |v| v.value);
                match &self.allowed {
                    Some(allowed) if !allowed.contains(&value) => Outcome::Rejected {
                        kind: ErrorKind::NotAllowed,
                        message: format!("'{}': {json} is not one of the allowed values", p.name),
                    },
                    _ => Outcome::Accepted {
                        value,
                        converted: !injected.conversions.is_empty(),
                    },
                }
            }
            Err(errors) => {
                let first = errors.into_iter().next();
                Outcome::Rejected {
                    kind: first.as_ref().map_or(ErrorKind::WrongType, |e| e.kind),
                    message: first.map(|e| e.message).unwrap_or_default(),
                }
            }
        }
    }

    /// The values this parameter's callers could send: the pool (or its allowed values, in
    /// their JSON and text forms) filtered by what it accepts.
    pub fn sent_by_callers(&self) -> Vec<Json> {
        let candidates = match &self.allowed {
            Some(allowed) => allowed_forms(allowed.values()),
            None => POOL.clone(),
        };
        // Values taken as they are first, then those the Lenient policy converts.
        let (mut plain, mut converted) = (Vec::new(), Vec::new());
        for j in candidates {
            match self.outcome(&j) {
                Outcome::Accepted {
                    converted: false, ..
                } => plain.push(j),
                Outcome::Accepted { .. } => converted.push(j),
                Outcome::Rejected { .. } => {}
            }
        }
        plain.extend(converted);
        plain
    }

    /// The values of the pool this parameter accepts.
    pub fn accepted_of_pool(&self) -> impl Iterator<Item = &'static Json> + '_ {
        POOL.iter().filter(|j| self.outcome(j).accepted())
    }
}

/// Allowed values as JSON, then as text where that differs, without repeats (found by their
/// JSON text in a set, not by comparing pairs).
fn allowed_forms(values: &[Value]) -> Vec<Json> {
    let mut out: Vec<Json> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let forms = values
        .iter()
        .map(Value::to_json)
        .chain(values.iter().map(|v| Json::String(v.to_string())));
    for f in forms {
        if seen.insert(f.to_string()) {
            out.push(f);
        }
    }
    out
}

/// Up to `n` values as JSON text, joined by `, ` (and `...` when there are more).
pub fn some(values: &[Json], n: usize) -> String {
    let mut shown: Vec<String> = values.iter().take(n).map(Json::to_string).collect();
    if values.len() > n {
        shown.push("...".into());
    }
    shown.join(", ")
}

/// The values as JSON text, joined by `, `: the first ten, then how many more (a message
/// names a few of 100,000 values; `--json` lists them all).
pub fn all(values: &[Value]) -> String {
    listed(values.iter().map(|v| v.to_json()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Type;

    fn param(ty: Type) -> Parameter {
        Parameter::new("x", ty)
    }

    #[test]
    fn outcomes_follow_the_simulator() {
        let t = Tester::new(&param(Type::Integer), ConversionPolicy::Lenient);
        assert_eq!(
            t.outcome(&json!("42")),
            Outcome::Accepted {
                value: Value::Integer(42),
                converted: true
            }
        );
        assert!(matches!(
            t.outcome(&json!("text")),
            Outcome::Rejected {
                kind: ErrorKind::WrongType,
                ..
            }
        ));
        let strict = Tester::new(&param(Type::Integer), ConversionPolicy::Strict);
        assert!(!strict.outcome(&json!("42")).accepted());
        assert!(strict.outcome(&json!(7.0)).accepted());
    }

    #[test]
    fn callers_of_a_strict_integer_send_integral_numbers() {
        let t = Tester::new(&param(Type::Integer), ConversionPolicy::Strict);
        assert_eq!(
            t.sent_by_callers(),
            vec![json!(42), json!(-7), json!(0), json!(1), json!(7.0)]
        );
    }

    #[test]
    fn callers_of_an_allowed_list_send_its_values() {
        let mut p = param(Type::Integer);
        p.allowed = vec![Value::Integer(1), Value::Integer(2)];
        let lenient = Tester::new(&p, ConversionPolicy::Lenient);
        assert_eq!(
            lenient.sent_by_callers(),
            vec![json!(1), json!(2), json!("1"), json!("2")]
        );
        let strict = Tester::new(&p, ConversionPolicy::Strict);
        assert_eq!(strict.sent_by_callers(), vec![json!(1), json!(2)]);
        assert!(matches!(
            lenient.outcome(&json!(3)),
            Outcome::Rejected {
                kind: ErrorKind::NotAllowed,
                ..
            }
        ));
        assert!(
            Tester::type_only(&p, ConversionPolicy::Lenient)
                .outcome(&json!(3))
                .accepted()
        );
    }
}
