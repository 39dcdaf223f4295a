//! Which sample data a signal's parameters name, found from the design rather than the contract:
//! a String parameter that a Transfer file's path, a Read audience's name or a `GetOption`
//! argument is made of. For each such parameter, the values that name data that exists (the
//! stored files the path then matches, the sample audiences, the options) and one that names
//! nothing, with the activity where a run given it fails. Payloads generated for a batch
//! ([`super::generate`]) draw from them, so that valid payloads reach the end of their runs.
//!
//! A parameter is seen through its activity's expression: evaluated with a marker text in the
//! parameter's place (the other parameters at their defaults), the result must hold the marker
//! once, as-is; the text around it is the prefix and suffix every value is put between. A
//! parameter transformed on the way (`Upper($(vars/@x))`) is left to the contract's values.

use crate::expr::{self, Callee, EvalContext, ExprKind, Func};
use crate::model::{ActivityKind, Design, Type, Value, Workflow};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Stands for the parameter when an expression is evaluated (no design writes it).
const MARKER: &str = "\u{1}flowcall-parameter\u{1}";

/// What a parameter's value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// A file of the file store (through a Transfer file's path).
    File,
    /// A saved audience (through a Read audience's name).
    Audience,
    /// An option (through a `GetOption` argument).
    Option,
}

/// A parameter whose value names sample data.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRef {
    /// The parameter.
    pub parameter: String,
    /// What its value names.
    pub kind: RefKind,
    /// The activity that reads it, as `WORKFLOW/activity`.
    pub activity: String,
    /// Values that name data that exists, sorted.
    pub hits: Vec<String>,
    /// A value that names nothing, when a run given it fails at [`DataRef::activity`] (an
    /// option that does not exist reads as null and fails nothing: none for options).
    pub miss: Option<String>,
}

/// The parameters of `workflow`'s `signal` whose values name sample data, each once (the first
/// activity reading it along the transitions decides), in the contract's order.
pub fn data_refs(design: &Design, workflow: &str, signal: &str) -> Vec<DataRef> {
    let (Some(wf), Some(contract)) = (design.workflow(workflow), design.signal(workflow, signal))
    else {
        return Vec::new();
    };
    let order = reachable(wf, signal);
    let vars = base_vars(contract);
    contract
        .parameters
        .iter()
        .filter(|p| p.ty == Type::String && p.allowed.is_empty())
        .filter_map(|p| {
            order
                .iter()
                .filter_map(|a| wf.activity(a))
                .find_map(|a| activity_ref(design, wf, a, &p.name, &vars))
        })
        .collect()
}

/// The activities reachable from `from` along the transitions, nearest first.
fn reachable(wf: &Workflow, from: &str) -> Vec<String> {
    let mut seen = BTreeSet::from([from.to_owned()]);
    let mut queue = VecDeque::from([from.to_owned()]);
    let mut order = Vec::new();
    while let Some(a) = queue.pop_front() {
        for t in wf.transitions.iter().filter(|t| t.from == a) {
            if seen.insert(t.to.clone()) {
                queue.push_back(t.to.clone());
            }
        }
        order.push(a);
    }
    order
}

/// Every parameter at its default, else at a value of its type.
fn base_vars(contract: &crate::model::SignalContract) -> BTreeMap<String, Value> {
    contract
        .parameters
        .iter()
        .map(|p| {
            let v = p
                .default
                .clone()
                .or_else(|| p.allowed.first().cloned())
                .unwrap_or_else(|| match p.ty {
                    Type::String => Value::String("x".into()),
                    Type::Integer => Value::Integer(1),
                    Type::Decimal => Value::Decimal(1.0),
                    Type::Boolean => Value::Boolean(true),
                    Type::Date | Type::DateTime => Value::Null,
                });
            (p.name.clone(), v)
        })
        .collect()
}

/// What activity `a` makes of parameter `p`, if its value names data there.
fn activity_ref(
    design: &Design,
    wf: &Workflow,
    a: &crate::model::Activity,
    p: &str,
    vars: &BTreeMap<String, Value>,
) -> Option<DataRef> {
    let s = &design.sample;
    let site = format!("{}/{}", wf.id, a.id);
    let (kind, expr, names): (RefKind, &str, Vec<&String>) = match &a.kind {
        ActivityKind::TransferFile(t) => (RefKind::File, &t.path, s.files.keys().collect()),
        ActivityKind::ReadAudience(r) => {
            (RefKind::Audience, &r.audience, s.audiences.keys().collect())
        }
        _ => return option_ref(design, a, p, vars, site),
    };
    let (prefix, suffix) = around_marker(design, expr, p, vars)?;
    let hits: Vec<String> = names
        .into_iter()
        .filter_map(|n| {
            let v = n.strip_prefix(&prefix)?.strip_suffix(&suffix)?;
            let resolved = eval_text(design, expr, p, v, vars)?;
            (!v.is_empty() && resolved == *n && !has_wildcard(v)).then(|| v.to_owned())
        })
        .collect();
    let miss = ["no-such-data", "no-such-data-2"]
        .into_iter()
        .find(|v| {
            eval_text(design, expr, p, v, vars).is_some_and(|r| match kind {
                RefKind::File => !s.files.keys().any(|f| matches_path(&r, f)),
                _ => !s.audiences.contains_key(&r),
            })
        })
        .map(str::to_owned);
    Some(DataRef {
        parameter: p.to_owned(),
        kind,
        activity: site,
        hits,
        miss,
    })
}

/// `p` read as an option's name by a `GetOption` call in one of `a`'s expressions.
fn option_ref(
    design: &Design,
    a: &crate::model::Activity,
    p: &str,
    vars: &BTreeMap<String, Value>,
    site: String,
) -> Option<DataRef> {
    let options = &design.sample.options;
    a.kind.expression_fields().into_iter().find_map(|(_, src)| {
        let parsed = expr::parse(src).ok()?;
        let mut found = None;
        parsed.walk(&mut |e| {
            if let ExprKind::Call {
                callee: Callee::Known(Func::EventVariables(expr::functions::EventFn::GetOption)),
                args,
                ..
            } = &e.kind
                && found.is_none()
                && let Some(arg) = args.first()
            {
                found = arg_around_marker(design, arg, p, vars);
            }
        });
        let (prefix, suffix) = found?;
        let hits = options
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix)?.strip_suffix(&suffix))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        Some(DataRef {
            parameter: p.to_owned(),
            kind: RefKind::Option,
            activity: site.clone(),
            hits,
            miss: None,
        })
    })
}

/// Whether a value would be read as a pattern by Transfer file.
fn has_wildcard(v: &str) -> bool {
    v.contains(['*', '?', '[', ']'])
}

/// Whether Transfer file's `pattern` matches stored `path` (as the simulator matches them).
fn matches_path(pattern: &str, path: &str) -> bool {
    if !has_wildcard(pattern) {
        return pattern == path;
    }
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    glob::Pattern::new(pattern).is_ok_and(|g| g.matches_with(path, options))
}

/// The text `src` gives with the marker as `p`, split around the marker (found once), if it is.
fn around_marker(
    design: &Design,
    src: &str,
    p: &str,
    vars: &BTreeMap<String, Value>,
) -> Option<(String, String)> {
    split_marker(&eval_text(design, src, p, MARKER, vars)?)
}

/// [`around_marker`] for an expression already parsed.
fn arg_around_marker(
    design: &Design,
    e: &expr::Expr,
    p: &str,
    vars: &BTreeMap<String, Value>,
) -> Option<(String, String)> {
    split_marker(&eval_parsed(design, e, p, MARKER, vars)?)
}

fn split_marker(text: &str) -> Option<(String, String)> {
    let (prefix, suffix) = text.split_once(MARKER)?;
    (!suffix.contains(MARKER)).then(|| (prefix.to_owned(), suffix.to_owned()))
}

/// The text `src` gives with `value` as `p`.
fn eval_text(
    design: &Design,
    src: &str,
    p: &str,
    value: &str,
    vars: &BTreeMap<String, Value>,
) -> Option<String> {
    eval_parsed(design, &expr::parse(src).ok()?, p, value, vars)
}

fn eval_parsed(
    design: &Design,
    e: &expr::Expr,
    p: &str,
    value: &str,
    vars: &BTreeMap<String, Value>,
) -> Option<String> {
    let mut vars = vars.clone();
    vars.insert(p.to_owned(), Value::String(value.to_owned()));
    let uuid = || String::new();
    let ctx = EvalContext::new(
        &vars,
        design.sample.clock_start,
        &design.sample.options,
        &uuid,
    );
    match expr::eval(e, &ctx).ok()? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn example(text: &str) -> Design {
        crate::io::load_str(text).unwrap()
    }

    #[test]
    fn a_file_name_parameter_draws_the_stored_files_it_completes() {
        let d = example(include_str!("../../examples/file-to-audience.flow.ron"));
        let refs = data_refs(&d, "WKF1", "signal1");
        assert_eq!(refs.len(), 1, "{refs:?}");
        let r = &refs[0];
        assert_eq!(r.parameter, "fileToTarget");
        assert_eq!(r.kind, RefKind::File);
        assert_eq!(r.activity, "WKF1/transfer1");
        assert_eq!(
            r.hits,
            [
                "customers_2025-01.csv",
                "customers_2025-02.csv",
                "empty.csv"
            ]
        );
        assert_eq!(r.miss.as_deref(), Some("no-such-data"));
    }

    #[test]
    fn an_audience_parameter_draws_the_sample_audiences() {
        let d = example(include_str!("../../examples/cms-newsletter.flow.ron"));
        let refs = data_refs(&d, "NEWSLETTER", "signal1");
        assert_eq!(refs.len(), 1, "{refs:?}");
        assert_eq!(refs[0].kind, RefKind::Audience);
        assert_eq!(refs[0].activity, "NEWSLETTER/readAudience1");
        assert_eq!(
            refs[0].hits,
            ["AllSubscribers", "GoldMembers", "SilverMembers"]
        );
        // The signal's template has allowed values: the contract chooses them already.
        assert!(refs.iter().all(|r| r.parameter != "template"));
    }

    #[test]
    fn a_transformed_parameter_or_an_unknown_signal_names_nothing() {
        let mut d = example(include_str!("../../examples/cms-newsletter.flow.ron"));
        if let Some(a) = d
            .workflow_mut("NEWSLETTER")
            .and_then(|w| w.activity_mut("readAudience1"))
            && let ActivityKind::ReadAudience(r) = &mut a.kind
        {
            r.audience = "Upper($(vars/@audience))".into();
        }
        assert!(data_refs(&d, "NEWSLETTER", "signal1").is_empty());
        assert!(data_refs(&d, "NEWSLETTER", "nope").is_empty());
    }

    #[test]
    fn an_option_name_parameter_draws_the_options() {
        let mut d = example(include_str!("../../examples/cms-newsletter.flow.ron"));
        d.sample.options.insert("brand_acme".into(), "Acme".into());
        if let Some(a) = d
            .workflow_mut("NEWSLETTER")
            .and_then(|w| w.activity_mut("email1"))
            && let ActivityKind::EmailDelivery(e) = &mut a.kind
        {
            e.label = "GetOption('brand_' + $(vars/@email))".into();
        }
        let refs = data_refs(&d, "NEWSLETTER", "signal1");
        let r = refs.iter().find(|r| r.parameter == "email").unwrap();
        assert_eq!(r.kind, RefKind::Option);
        assert_eq!(r.hits, ["acme"]);
        assert_eq!(r.miss, None, "a missing option fails nothing");
    }

    #[test]
    fn wildcards_in_a_path_match_as_the_simulator_matches_them() {
        assert!(matches_path("/in/*.csv", "/in/a.csv"));
        assert!(!matches_path("/in/*.csv", "/in/sub/a.csv"));
        assert!(matches_path("/in/a.csv", "/in/a.csv"));
        assert!(!matches_path("/in/a.csv", "/in/b.csv"));
    }
}
