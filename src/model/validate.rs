//! Structural rules a design must satisfy to be loaded at all: unique ids, transitions between
//! existing activities and ports, defaults and allowed values of their declared type, sample
//! tables whose cells fit their columns. Everything else is a diagnostic of `check`.

use super::design::{ActivityKind, Design};
use super::value::Value;
use std::collections::BTreeSet;
use std::fmt;

/// One structural problem, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureProblem {
    /// The workflow concerned, if any.
    pub workflow: Option<String>,
    /// The activity concerned, if any.
    pub activity: Option<String>,
    /// The field or parameter concerned, if any.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for StructureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.workflow, &self.activity) {
            (Some(w), Some(a)) => write!(f, "{w}/{a}: ")?,
            (Some(w), None) => write!(f, "{w}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// `a String`, `an Integer`.
pub fn with_article(word: &str) -> String {
    let an = word
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {word}", if an { "an" } else { "a" })
}

impl Design {
    /// Every structural problem of the design, in document order.
    pub fn structure_problems(&self) -> Vec<StructureProblem> {
        let mut out = Vec::new();
        let mut push =
            |w: Option<&str>, a: Option<&str>, field: Option<String>, message: String| {
                out.push(StructureProblem {
                    workflow: w.map(str::to_owned),
                    activity: a.map(str::to_owned),
                    field,
                    message,
                })
            };
        let mut workflow_ids = BTreeSet::new();
        for wf in &self.workflows {
            let w = Some(wf.id.as_str());
            if wf.id.trim().is_empty() {
                push(
                    w,
                    None,
                    None,
                    "a workflow has an empty id; give it one such as 'WKF1'".into(),
                );
            }
            if !workflow_ids.insert(wf.id.as_str()) {
                push(
                    w,
                    None,
                    None,
                    format!(
                        "duplicate workflow id '{}': workflow ids must be unique in a design; rename one",
                        wf.id
                    ),
                );
            }
            let mut activity_ids = BTreeSet::new();
            for act in &wf.activities {
                let a = Some(act.id.as_str());
                if act.id.trim().is_empty() {
                    push(
                        w,
                        a,
                        None,
                        "an activity has an empty id; give it one such as 'query1'".into(),
                    );
                }
                if !activity_ids.insert(act.id.as_str()) {
                    push(
                        w,
                        a,
                        None,
                        format!(
                            "duplicate activity id '{}' in workflow '{}': activity ids must be unique in their workflow; rename one",
                            act.id, wf.id
                        ),
                    );
                }
                if !(act.position.x.is_finite() && act.position.y.is_finite()) {
                    push(
                        w,
                        a,
                        None,
                        format!(
                            "the canvas position of '{}' is not a finite number; write numbers such as (120.0, 40.0)",
                            act.id
                        ),
                    );
                }
                if let ActivityKind::ExternalSignal(contract) = &act.kind {
                    for p in &contract.parameters {
                        let field = Some(format!("parameter:{}", p.name));
                        let not_finite = p
                            .default
                            .iter()
                            .chain(&p.allowed)
                            .any(|v| matches!(v, Value::Decimal(f) if !f.is_finite()));
                        if not_finite {
                            push(
                                w,
                                a,
                                field.clone(),
                                format!(
                                    "parameter '{}' has a default or allowed value that is not a finite number",
                                    p.name
                                ),
                            );
                        }
                        if let Some(d) = &p.default
                            && !d.fits(p.ty)
                        {
                            push(
                                w,
                                a,
                                field.clone(),
                                format!(
                                    "parameter '{}' is declared {} but its default is {} ({d:?}); write a {} default or remove it",
                                    p.name,
                                    p.ty,
                                    with_article(d.type_name()),
                                    p.ty
                                ),
                            );
                        }
                        for v in &p.allowed {
                            if !v.fits(p.ty) {
                                push(
                                    w,
                                    a,
                                    field.clone(),
                                    format!(
                                        "parameter '{}' is declared {} but allows {} value ({v:?}); allowed values must be of the declared type",
                                        p.name,
                                        p.ty,
                                        with_article(v.type_name())
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            for t in &wf.transitions {
                let Some(from) = wf.activity(&t.from) else {
                    push(
                        w,
                        Some(t.from.as_str()),
                        None,
                        format!(
                            "a transition leaves activity '{}', which does not exist in workflow '{}'",
                            t.from, wf.id
                        ),
                    );
                    continue;
                };
                if wf.activity(&t.to).is_none() {
                    push(
                        w,
                        Some(t.from.as_str()),
                        None,
                        format!(
                            "a transition from '{}' goes to activity '{}', which does not exist in workflow '{}'",
                            t.from, t.to, wf.id
                        ),
                    );
                }
                let ports = from.kind.output_ports();
                if !ports.contains(&t.port) {
                    let has = if ports.is_empty() {
                        "none".to_owned()
                    } else {
                        ports
                            .iter()
                            .map(|p| p.describe())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    push(
                        w,
                        Some(t.from.as_str()),
                        None,
                        format!(
                            "a transition leaves '{}' from port {}, which this {} activity does not have (its ports: {has})",
                            t.from,
                            t.port.describe(),
                            from.kind.tag().name()
                        ),
                    );
                }
            }
        }
        if let Err(e) = self.sample.profiles.typed_rows() {
            push(
                None,
                None,
                Some("sample.profiles".into()),
                format!("sample profiles: {e}"),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn wf() -> Workflow {
        let mut w = Workflow::new("WKF1", "One");
        w.activities
            .push(Activity::new("signal1", "Signal", KindTag::ExternalSignal));
        w.activities
            .push(Activity::new("end1", "End", KindTag::End));
        w.transitions.push(Transition {
            from: "signal1".into(),
            port: Port::Out,
            to: "end1".into(),
        });
        w
    }

    #[test]
    fn clean_design_has_no_problem() {
        let d = Design {
            workflows: vec![wf()],
            ..Design::default()
        };
        assert!(d.structure_problems().is_empty());
    }

    #[test]
    fn reports_duplicates_dangling_and_bad_defaults() {
        let mut w = wf();
        w.activities
            .push(Activity::new("end1", "again", KindTag::End));
        w.transitions.push(Transition {
            from: "signal1".into(),
            port: Port::Out,
            to: "nowhere".into(),
        });
        w.transitions.push(Transition {
            from: "end1".into(),
            port: Port::Out,
            to: "signal1".into(),
        });
        if let ActivityKind::ExternalSignal(c) = &mut w.activities[0].kind {
            let mut p = Parameter::new("count", Type::Integer);
            p.default = Some(Value::String("x".into()));
            c.parameters.push(p);
        }
        let d = Design {
            workflows: vec![w.clone(), w],
            ..Design::default()
        };
        let msgs: Vec<String> = d
            .structure_problems()
            .iter()
            .map(|p| p.to_string())
            .collect();
        let all = msgs.join("\n");
        assert!(all.contains("duplicate workflow id 'WKF1'"), "{all}");
        assert!(
            all.contains("WKF1/end1: duplicate activity id 'end1'"),
            "{all}"
        );
        assert!(all.contains("'nowhere', which does not exist"), "{all}");
        assert!(
            all.contains("from port out, which this End activity"),
            "{all}"
        );
        assert!(
            all.contains(
                "WKF1/signal1: parameter 'count' is declared Integer but its default is a String"
            ),
            "{all}"
        );
    }
}
