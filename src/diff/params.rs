//! The changes of one signal's contract: its conversion policy, then each parameter (removed,
//! likely renamed, added, and for those in both: type, required, default, allowed values,
//! description), then their order. What a change rejects is found by trying values through
//! the simulator's trigger validation ([`super::probe`]).

use super::probe::{self, Outcome, Tester};
use super::{Change, Class, Kind};
use crate::model::{ConversionPolicy, Parameter, SignalContract, Type, Value};
use crate::sim::ErrorKind;
use serde_json::Value as Json;

/// Where the changes of one signal go.
pub struct Out<'a> {
    changes: &'a mut Vec<Change>,
    workflow: String,
    signal: String,
}

impl<'a> Out<'a> {
    /// The changes of `workflow/signal`, appended to `changes`.
    pub fn new(changes: &'a mut Vec<Change>, workflow: &str, signal: &str) -> Self {
        Out {
            changes,
            workflow: workflow.to_owned(),
            signal: signal.to_owned(),
        }
    }

    /// One change of this signal: what changed (`head`) and what it does to callers
    /// (`consequence`, empty when the head says it all).
    pub fn push(
        &mut self,
        class: Class,
        parameter: Option<&str>,
        kind: Kind,
        head: String,
        consequence: &str,
    ) {
        self.changes.push(Change::new(
            class,
            (Some(self.workflow.as_str()), Some(self.signal.as_str())),
            parameter,
            kind,
            head,
            consequence,
        ));
    }
}

/// Every change from contract `old` to contract `new` of the same signal.
pub fn compare_signal(old: &SignalContract, new: &SignalContract, out: &mut Out<'_>) {
    let matched = match_parameters(old, new);
    policy(old, new, &matched, out);
    for m in &matched.pairs {
        match m {
            Match::Same(p, q) => compare_parameter(p, q, old.conversion, new.conversion, out),
            Match::Renamed(p, q, i) => {
                renamed(p, q, *i, out);
                compare_parameter(p, q, old.conversion, new.conversion, out);
            }
            Match::Removed(p) => removed(p, out),
        }
    }
    for q in &matched.added {
        added(q, out);
    }
    order(&matched, new, out);
}

/// How an old parameter continues in the new contract.
enum Match<'a> {
    /// Same name.
    Same(&'a Parameter, &'a Parameter),
    /// Removed and added at the same position with the same type; the position from 0.
    Renamed(&'a Parameter, &'a Parameter, usize),
    /// Gone.
    Removed(&'a Parameter),
}

struct Matched<'a> {
    /// One per old parameter, in old order.
    pairs: Vec<Match<'a>>,
    /// New parameters neither kept nor renamed, in new order.
    added: Vec<&'a Parameter>,
}

/// Pairs parameters by name, then a removed and an added one at the same position with the
/// same type as a likely rename.
fn match_parameters<'a>(old: &'a SignalContract, new: &'a SignalContract) -> Matched<'a> {
    let mut renamed_to: Vec<&str> = Vec::new();
    let pairs = old
        .parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if let Some(q) = new.parameter(&p.name) {
                return Match::Same(p, q);
            }
            match new.parameters.get(i) {
                Some(q) if q.ty == p.ty && old.parameter(&q.name).is_none() => {
                    renamed_to.push(&q.name);
                    Match::Renamed(p, q, i)
                }
                _ => Match::Removed(p),
            }
        })
        .collect();
    let added = new
        .parameters
        .iter()
        .filter(|q| old.parameter(&q.name).is_none() && !renamed_to.contains(&q.name.as_str()))
        .collect();
    Matched { pairs, added }
}

fn removed(p: &Parameter, out: &mut Out<'_>) {
    out.push(
        Class::Breaking,
        Some(&p.name),
        Kind::ParameterRemoved,
        format!("'{}' ({}) was removed", p.name, p.ty),
        "callers that pass it are rejected (it is not declared)",
    );
}

fn renamed(p: &Parameter, q: &Parameter, i: usize, out: &mut Out<'_>) {
    out.push(
        Class::Breaking,
        Some(&p.name),
        Kind::ParameterRenamed {
            from: p.name.clone(),
            to: q.name.clone(),
            position: i + 1,
            ty: p.ty,
        },
        format!(
            "'{}' was likely renamed to '{}' (same type {} and position {})",
            p.name,
            q.name,
            p.ty,
            i + 1
        ),
        &format!(
            "callers that pass '{}' are rejected (it is not declared)",
            p.name
        ),
    );
}

fn added(q: &Parameter, out: &mut Out<'_>) {
    let kind = Kind::ParameterAdded {
        ty: q.ty,
        required: q.required,
    };
    if q.required {
        out.push(
            Class::Breaking,
            Some(&q.name),
            kind,
            format!("required parameter '{}' ({}) was added", q.name, q.ty),
            "callers that do not pass it are rejected",
        );
    } else {
        out.push(
            Class::Compatible,
            Some(&q.name),
            kind,
            format!("optional parameter '{}' ({}) was added", q.name, q.ty),
            "",
        );
    }
}

/// One parameter present in both contracts (maybe renamed).
fn compare_parameter(
    p: &Parameter,
    q: &Parameter,
    old: ConversionPolicy,
    new: ConversionPolicy,
    out: &mut Out<'_>,
) {
    if p.ty != q.ty {
        type_changed(p, q, old, new, out);
    }
    required(p, q, out);
    default(p, q, out);
    allowed(p, q, old, new, out);
    if p.description != q.description {
        out.push(
            Class::Compatible,
            Some(&q.name),
            Kind::DescriptionChanged,
            format!("the description of '{}' changed", q.name),
            "",
        );
    }
}

fn policy_name(policy: ConversionPolicy) -> &'static str {
    match policy {
        ConversionPolicy::Lenient => "Lenient",
        ConversionPolicy::Strict => "Strict",
    }
}

/// A type change: breaking when some value old callers could send is now rejected. The values
/// tried are what the old parameter accepts ([`Tester::sent_by_callers`]); the new parameter
/// judges them by type only (allowed values are compared on their own).
fn type_changed(
    p: &Parameter,
    q: &Parameter,
    old: ConversionPolicy,
    new: ConversionPolicy,
    out: &mut Out<'_>,
) {
    let before = Tester::new(p, old);
    let judge = Tester::type_only(q, new);
    let (mut accepted, mut rejected, mut converted) = (Vec::new(), Vec::new(), None);
    for j in before.sent_by_callers() {
        match judge.outcome(&j) {
            Outcome::Accepted {
                value,
                converted: true,
            } => {
                // A conversion worth telling is one the old contract did not make.
                if !matches!(
                    before.outcome(&j),
                    Outcome::Accepted {
                        converted: true,
                        ..
                    }
                ) {
                    converted.get_or_insert_with(|| (j.clone(), value));
                }
                accepted.push(j);
            }
            Outcome::Accepted { .. } => accepted.push(j),
            Outcome::Rejected { .. } => rejected.push(j),
        }
    }
    let policy = policy_name(new);
    let consequence = if rejected.is_empty() {
        match &converted {
            Some((from, to)) => format!(
                "the {policy} conversion still accepts every value old callers could send, converting some ({from} becomes {})",
                to.to_json()
            ),
            None => format!(
                "every value old callers could send is still accepted (like {})",
                probe::some(&accepted, 3)
            ),
        }
    } else if accepted.is_empty() {
        format!(
            "under the {policy} policy no value old callers could send is accepted ({} are rejected)",
            probe::some(&rejected, 3)
        )
    } else {
        format!(
            "the {policy} conversion still accepts some values old callers could send ({}) but rejects others ({})",
            probe::some(&accepted, 3),
            probe::some(&rejected, 3)
        )
    };
    let class = if rejected.is_empty() {
        Class::Compatible
    } else {
        Class::Breaking
    };
    out.push(
        class,
        Some(&q.name),
        Kind::TypeChanged {
            from: p.ty,
            to: q.ty,
            still_accepted: accepted,
            rejected,
        },
        format!("'{}' changed type from {} to {}", q.name, p.ty, q.ty),
        &consequence,
    );
}

fn required(p: &Parameter, q: &Parameter, out: &mut Out<'_>) {
    match (p.required, q.required) {
        (false, true) => {
            let relied = p
                .default
                .as_ref()
                .map(|d| format!("callers that omitted it got the default {}", d.to_json()))
                .unwrap_or_default();
            out.push(
                Class::Breaking,
                Some(&q.name),
                Kind::MadeRequired,
                format!("'{}' is now required", q.name),
                &relied,
            );
        }
        (true, false) => out.push(
            Class::Compatible,
            Some(&q.name),
            Kind::MadeOptional,
            format!("'{}' is no longer required", q.name),
            "",
        ),
        _ => {}
    }
}

/// Defaults: removing one a caller could rely on (the parameter stays optional) breaks it;
/// adding one, or changing its value, refuses no call and removes no variable.
fn default(p: &Parameter, q: &Parameter, out: &mut Out<'_>) {
    let name = Some(q.name.as_str());
    match (&p.default, &q.default) {
        (Some(d), None) if !q.required && !p.required => out.push(
            Class::Breaking,
            name,
            Kind::DefaultRemoved { was: d.to_json() },
            format!("'{}' no longer has a default", q.name),
            &format!(
                "callers that omit it got {}, now the variable is not set",
                d.to_json()
            ),
        ),
        (Some(d), None) if p.required => out.push(
            Class::Compatible,
            name,
            Kind::DefaultRemoved { was: d.to_json() },
            format!("'{}' lost its default {}", q.name, d.to_json()),
            "it was never used (the parameter was required)",
        ),
        (None, Some(d)) if !q.required => out.push(
            Class::Compatible,
            name,
            Kind::DefaultAdded { value: d.to_json() },
            format!("'{}' now has a default {}", q.name, d.to_json()),
            "it is used when a caller omits the parameter",
        ),
        (Some(a), Some(b)) if !same_default(a, b) && !q.required => out.push(
            Class::Compatible,
            name,
            Kind::DefaultChanged {
                from: a.to_json(),
                to: b.to_json(),
            },
            format!(
                "the default of '{}' changed from {} to {}",
                q.name,
                a.to_json(),
                b.to_json()
            ),
            "no call is refused, but callers that omit it now get the new value",
        ),
        _ => {}
    }
}

/// Whether two defaults give callers the same value: equal, or of types that changed with the
/// parameter's but with the same text form (what `$(vars/@name)` reads).
fn same_default(a: &Value, b: &Value) -> bool {
    a == b || (a.ty() != b.ty() && a.to_string() == b.to_string())
}

fn values_json(values: &[Value]) -> Vec<Json> {
    values.iter().map(Value::to_json).collect()
}

/// The JSON forms of `values` that `tester` rejects as not allowed (not for their type).
fn not_allowed(tester: &Tester, values: &[Value]) -> Vec<Json> {
    values_json(values)
        .into_iter()
        .filter(|j| {
            matches!(
                tester.outcome(j),
                Outcome::Rejected {
                    kind: ErrorKind::NotAllowed,
                    ..
                }
            )
        })
        .collect()
}

/// Allowed values: those the old parameter allowed and the new one rejects as not allowed are
/// narrowed (breaking); those the new one allows and the old rejected as not allowed are
/// widened (compatible). Values of a changed type are the type change's concern.
fn allowed(
    p: &Parameter,
    q: &Parameter,
    old: ConversionPolicy,
    new: ConversionPolicy,
    out: &mut Out<'_>,
) {
    let name = q.name.as_str();
    match (p.allowed.is_empty(), q.allowed.is_empty()) {
        (true, true) => {}
        (true, false) => out.push(
            Class::Breaking,
            Some(name),
            Kind::AllowedNarrowed {
                rejected: Vec::new(),
                allowed: values_json(&q.allowed),
            },
            format!("'{name}' now only allows {}", probe::all(&q.allowed)),
            &format!(
                "it allowed any {}; callers passing another value are rejected",
                p.ty
            ),
        ),
        (false, true) => out.push(
            Class::Compatible,
            Some(name),
            Kind::AllowedWidened {
                added: Vec::new(),
                allowed: Vec::new(),
            },
            format!("'{name}' now allows any {}", q.ty),
            &format!("it allowed only {}", probe::all(&p.allowed)),
        ),
        (false, false) => {
            let narrowed = not_allowed(&Tester::new(q, new), &p.allowed);
            let widened = not_allowed(&Tester::new(p, old), &q.allowed);
            if !narrowed.is_empty() {
                out.push(
                    Class::Breaking,
                    Some(name),
                    Kind::AllowedNarrowed {
                        rejected: narrowed.clone(),
                        allowed: values_json(&q.allowed),
                    },
                    format!(
                        "'{name}' no longer allows {}",
                        crate::model::listed(&narrowed)
                    ),
                    &format!(
                        "callers passing it are rejected (it allows {})",
                        probe::all(&q.allowed)
                    ),
                );
            }
            if !widened.is_empty() {
                out.push(
                    Class::Compatible,
                    Some(name),
                    Kind::AllowedWidened {
                        added: widened.clone(),
                        allowed: values_json(&q.allowed),
                    },
                    format!(
                        "'{name}' now also allows {}",
                        crate::model::listed(&widened)
                    ),
                    "",
                );
            }
        }
    }
}

/// What one parameter loses under Strict: the JSON types (with an example each) of the values
/// the Lenient conversion accepted and Strict rejects, like `numbers (like 42) or booleans
/// (like true)`; empty when it loses nothing.
fn lost_under_strict(q: &Parameter) -> String {
    let strict = Tester::type_only(q, ConversionPolicy::Strict);
    let mut kinds: Vec<(&'static str, &Json)> = Vec::new();
    for j in Tester::type_only(q, ConversionPolicy::Lenient).accepted_of_pool() {
        let kind = match j {
            Json::String(_) => "text",
            Json::Number(_) => "numbers",
            Json::Bool(_) => "booleans",
            _ => "other values",
        };
        if !strict.outcome(j).accepted() && kinds.iter().all(|(k, _)| *k != kind) {
            kinds.push((kind, j));
        }
    }
    kinds
        .iter()
        .map(|(k, j)| format!("{k} (like {j})"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The conversion policy. Lenient to Strict breaks the parameters (kept, same type) for which
/// a value the Lenient conversion accepted is rejected under Strict; when there is none, the
/// change is compatible.
fn policy(old: &SignalContract, new: &SignalContract, matched: &Matched<'_>, out: &mut Out<'_>) {
    match (old.conversion, new.conversion) {
        (ConversionPolicy::Lenient, ConversionPolicy::Strict) => {
            // Parameters that lose the same thing are named together.
            let mut groups: Vec<(Type, String, Vec<String>)> = Vec::new();
            for m in &matched.pairs {
                let (Match::Same(p, q) | Match::Renamed(p, q, _)) = m else {
                    continue;
                };
                let lost = lost_under_strict(q);
                if p.ty != q.ty || lost.is_empty() {
                    continue;
                }
                match groups.iter_mut().find(|(t, l, _)| *t == q.ty && *l == lost) {
                    Some((_, _, names)) => names.push(q.name.clone()),
                    None => groups.push((q.ty, lost, vec![q.name.clone()])),
                }
            }
            let affected: Vec<String> = groups.iter().flat_map(|g| g.2.clone()).collect();
            let head = "the conversion policy is now Strict (it was Lenient)".to_owned();
            if affected.is_empty() {
                out.push(
                    Class::Compatible,
                    None,
                    Kind::PolicyStrict { affected },
                    head,
                    "no parameter is affected (none had a value the Lenient policy converted)",
                );
                return;
            }
            let details: Vec<String> = groups
                .iter()
                .map(|(ty, lost, names)| {
                    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
                    let verb = if names.len() == 1 {
                        "accepts"
                    } else {
                        "accept"
                    };
                    format!("{} ({ty}) no longer {verb} {lost}", quoted.join(", "))
                })
                .collect();
            out.push(
                Class::Breaking,
                None,
                Kind::PolicyStrict { affected },
                head,
                &format!(
                    "values the Lenient policy converted are rejected: {}",
                    details.join("; ")
                ),
            );
        }
        (ConversionPolicy::Strict, ConversionPolicy::Lenient) => out.push(
            Class::Compatible,
            None,
            Kind::PolicyLenient,
            "the conversion policy is now Lenient (it was Strict)".into(),
            "text that reads as the declared type is accepted and converted",
        ),
        _ => {}
    }
}

/// The order of the parameters kept (renamed ones under their new names), when it changed.
fn order(matched: &Matched<'_>, new: &SignalContract, out: &mut Out<'_>) {
    let from: Vec<String> = matched
        .pairs
        .iter()
        .filter_map(|m| match m {
            Match::Same(_, q) | Match::Renamed(_, q, _) => Some(q.name.clone()),
            Match::Removed(_) => None,
        })
        .collect();
    let to: Vec<String> = new
        .parameters
        .iter()
        .filter(|q| from.contains(&q.name))
        .map(|q| q.name.clone())
        .collect();
    if from == to {
        return;
    }
    let head = format!(
        "the parameters are now in the order {} (they were in the order {})",
        to.join(", "),
        from.join(", ")
    );
    out.push(
        Class::Compatible,
        None,
        Kind::ParametersReordered { from, to },
        head,
        "callers pass them by name, so only forms and exports change",
    );
}
