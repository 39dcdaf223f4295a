//! What a design's saved scenarios reach (`flowcall test --coverage`): for each workflow the
//! activities visited and the transitions taken (a transition is taken when its activity sent
//! a population out of its port: each Test condition and default, each Fork branch, the output
//! of the others), chained runs included; what no scenario reaches, each named; and for each
//! signal the parameters no scenario passes (directly or through an End trigger) and the
//! allowed values no run has (passed, or its default). An activity counts as visited when it
//! ran (a failure included, a suspended one too); one that a scenario reached but held ("Enable
//! but do not execute", never released) or skipped ("Do not enable") is listed as such.

use super::engine::Simulator;
use super::run::VisitStatus;
use super::scenario::ScenarioResult;
use super::trigger;
use crate::model::{Design, Port, Transition, Value, Workflow};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

/// What the scenarios reached of one workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowCoverage {
    /// The workflow id.
    pub workflow: String,
    /// Each activity id with how often the scenarios' runs visited it, in document order.
    pub activities: Vec<(String, usize)>,
    /// Each transition with how often the scenarios' runs took it, in document order.
    pub transitions: Vec<(Transition, usize)>,
    /// The activities some scenario's branch reached and skipped, set to "Do not enable".
    pub skipped: Vec<String>,
    /// The activities some scenario's branch reached and held ("Enable but do not execute")
    /// and that never ran.
    pub held: Vec<String>,
}

impl WorkflowCoverage {
    /// Covered and total items (activities and transitions).
    pub fn counts(&self) -> (usize, usize) {
        let covered = self.activities.iter().filter(|(_, n)| *n > 0).count()
            + self.transitions.iter().filter(|(_, n)| *n > 0).count();
        (covered, self.activities.len() + self.transitions.len())
    }

    /// The covered share in percent (100 for an empty workflow).
    pub fn percent(&self) -> f64 {
        percent(self.counts())
    }

    /// What no scenario reaches, as `WKF/activity` and `WKF/from -> to (port)`.
    pub fn uncovered(&self) -> Vec<String> {
        let activities = self
            .activities
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(id, _)| id.clone());
        let transitions = self
            .transitions
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(t, _)| transition_name(&t.from, &t.port, &t.to));
        activities
            .chain(transitions)
            .map(|name| format!("{}/{name}", self.workflow))
            .collect()
    }
}

/// What the scenarios passed to one signal.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalCoverage {
    /// `WORKFLOW/signal`.
    pub signal: String,
    /// The declared parameters no scenario passes (directly or through an End trigger).
    pub parameters_not_passed: Vec<String>,
    /// For each parameter with allowed values, the values no scenario uses.
    pub allowed_not_used: BTreeMap<String, Vec<String>>,
}

/// What a design's scenarios reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Per workflow, in design order.
    pub workflows: Vec<WorkflowCoverage>,
    /// Per signal, in design order.
    pub signals: Vec<SignalCoverage>,
}

fn percent((covered, total): (usize, usize)) -> f64 {
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

/// The name of a transition in coverage lists: `from -> to (port)`.
pub fn transition_name(from: &str, port: &Port, to: &str) -> String {
    let port = match port {
        Port::Out => "out".to_owned(),
        Port::Default => "default".to_owned(),
        Port::Condition(c) => format!("condition {c}"),
        Port::Branch(b) => format!("branch {b}"),
    };
    format!("{from} -> {to} ({port})")
}

/// What the simulators of `results` (one per scenario) reached of `design`.
pub fn coverage(design: &Design, results: &[ScenarioResult]) -> Coverage {
    let mut reached = Reached::default();
    for r in results {
        reached.add(&r.simulator);
    }
    for s in &design.scenarios {
        reached.add_payload(&s.workflow, &s.signal, &s.payload);
    }
    Coverage {
        workflows: design
            .workflows
            .iter()
            .map(|wf| reached.of_workflow(wf))
            .collect(),
        signals: design
            .workflows
            .iter()
            .flat_map(|wf| wf.signals().map(move |(a, c)| (wf, a, c)))
            .map(|(wf, act, contract)| reached.of_signal(&wf.id, &act.id, contract))
            .collect(),
    }
}

/// Everything the scenarios reached, by ids.
#[derive(Debug, Default)]
struct Reached {
    visited: BTreeMap<(String, String), usize>,
    /// Activities reached and skipped or held, by (workflow, activity): skipped when true.
    kept_out: BTreeMap<(String, String), bool>,
    taken: BTreeMap<(String, String, Port), usize>,
    /// Per `(workflow, signal)`: each parameter passed, with the values passed.
    passed: BTreeMap<(String, String), BTreeMap<String, Vec<Value>>>,
    /// Per `(workflow, signal)`: the values runs had for each parameter (defaults included).
    used: BTreeMap<(String, String), BTreeMap<String, Vec<Value>>>,
}

impl Reached {
    /// The visits of one simulator and the parameters its runs were given.
    fn add(&mut self, sim: &Simulator) {
        for v in sim.trace() {
            let key = (v.workflow.clone(), v.activity.clone());
            match v.status {
                VisitStatus::Held | VisitStatus::Skipped => {
                    self.kept_out.insert(key, v.status == VisitStatus::Skipped);
                    continue;
                }
                VisitStatus::Ran | VisitStatus::Suspended => {}
            }
            *self.visited.entry(key).or_default() += 1;
            for p in &v.ports {
                *self
                    .taken
                    .entry((v.workflow.clone(), v.activity.clone(), p.clone()))
                    .or_default() += 1;
            }
        }
        use super::run::Origin;
        for run in sim.runs() {
            let key = (run.workflow.clone(), run.signal.clone());
            for var in &run.variables {
                let value = || var.value.clone();
                if matches!(var.origin, Origin::Parameter | Origin::Converted { .. }) {
                    let passed = self.passed.entry(key.clone()).or_default();
                    passed.entry(var.name.clone()).or_default().push(value());
                }
                if !matches!(var.origin, Origin::SetBy { .. }) {
                    let used = self.used.entry(key.clone()).or_default();
                    used.entry(var.name.clone()).or_default().push(value());
                }
            }
        }
    }

    /// The parameters a scenario's own payload passes (a rejected one counts too: it passed
    /// them), typed by the contract where they fit it.
    fn add_payload(&mut self, workflow: &str, signal: &str, payload: &Json) {
        let Some(params) = payload.get("parameters").and_then(Json::as_object) else {
            return;
        };
        let passed = self
            .passed
            .entry((workflow.to_owned(), signal.to_owned()))
            .or_default();
        for (name, value) in params.iter().filter(|(_, v)| !v.is_null()) {
            let typed = match value {
                Json::String(s) => Value::String(s.clone()),
                Json::Bool(b) => Value::Boolean(*b),
                Json::Number(n) => n
                    .as_i64()
                    .map_or_else(|| Value::Decimal(n.as_f64().unwrap_or(0.0)), Value::Integer),
                _ => Value::Null,
            };
            passed.entry(name.clone()).or_default().push(typed);
        }
    }

    fn of_workflow(&self, wf: &Workflow) -> WorkflowCoverage {
        let id = |a: &str| (wf.id.clone(), a.to_owned());
        let kept_out = |skipped: bool| {
            wf.activities
                .iter()
                .filter(|a| {
                    self.kept_out.get(&id(&a.id)) == Some(&skipped)
                        && !self.visited.contains_key(&id(&a.id))
                })
                .map(|a| a.id.clone())
                .collect()
        };
        WorkflowCoverage {
            skipped: kept_out(true),
            held: kept_out(false),
            workflow: wf.id.clone(),
            activities: wf
                .activities
                .iter()
                .map(|a| {
                    let n = self.visited.get(&id(&a.id)).copied().unwrap_or(0);
                    (a.id.clone(), n)
                })
                .collect(),
            transitions: wf
                .transitions
                .iter()
                .map(|t| {
                    let key = (wf.id.clone(), t.from.clone(), t.port.clone());
                    (t.clone(), self.taken.get(&key).copied().unwrap_or(0))
                })
                .collect(),
        }
    }

    fn of_signal(
        &self,
        workflow: &str,
        signal: &str,
        contract: &crate::model::SignalContract,
    ) -> SignalCoverage {
        let key = (workflow.to_owned(), signal.to_owned());
        let passed = self.passed.get(&key);
        let values_of = |name: &str| passed.and_then(|p| p.get(name));
        let run_values = self.used.get(&key);
        let mut allowed_not_used = BTreeMap::new();
        for p in contract.parameters.iter().filter(|p| !p.allowed.is_empty()) {
            let used: Vec<Value> = values_of(&p.name)
                .into_iter()
                .flatten()
                .chain(
                    run_values
                        .and_then(|u| u.get(&p.name))
                        .into_iter()
                        .flatten(),
                )
                .filter_map(|v| {
                    // A value passed as another JSON type counts as the value it converts to.
                    trigger::convert(&v.to_json(), p.ty, contract.conversion)
                        .map(|(v, _)| v)
                        .ok()
                })
                .collect();
            let unused: Vec<String> = p
                .allowed
                .iter()
                .filter(|a| {
                    !used
                        .iter()
                        .any(|u| a.compare(u) == Some(std::cmp::Ordering::Equal))
                })
                .map(ToString::to_string)
                .collect();
            if !unused.is_empty() {
                allowed_not_used.insert(p.name.clone(), unused);
            }
        }
        SignalCoverage {
            signal: format!("{workflow}/{signal}"),
            parameters_not_passed: contract
                .parameters
                .iter()
                .filter(|p| values_of(&p.name).is_none_or(Vec::is_empty))
                .map(|p| p.name.clone())
                .collect(),
            allowed_not_used,
        }
    }
}

impl Coverage {
    /// Covered and total items of the whole design.
    pub fn counts(&self) -> (usize, usize) {
        self.workflows
            .iter()
            .map(WorkflowCoverage::counts)
            .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
    }

    /// The covered share of the whole design in percent.
    pub fn percent(&self) -> f64 {
        percent(self.counts())
    }

    /// The readable report: a line per workflow, what no scenario reaches, what the signals
    /// are not given.
    pub fn text(&self) -> String {
        let (covered, total) = self.counts();
        let mut s = format!(
            "coverage: {:.1}% ({covered} of {total} activities and transitions)\n",
            self.percent()
        );
        for w in &self.workflows {
            let (c, t) = w.counts();
            s.push_str(&format!(
                "  {}: {:.1}% ({c} of {t})\n",
                w.workflow,
                w.percent()
            ));
            for u in w.uncovered() {
                s.push_str(&format!("    not reached: {u}\n"));
            }
            for a in &w.skipped {
                s.push_str(&format!(
                    "    skipped (Do not enable): {}/{a}\n",
                    w.workflow
                ));
            }
            for a in &w.held {
                s.push_str(&format!(
                    "    held and never released: {}/{a}\n",
                    w.workflow
                ));
            }
        }
        for sig in &self.signals {
            for p in &sig.parameters_not_passed {
                s.push_str(&format!("  {}: no scenario passes '{p}'\n", sig.signal));
            }
            for (p, values) in &sig.allowed_not_used {
                s.push_str(&format!(
                    "  {}: no scenario passes '{p}' = {}\n",
                    sig.signal,
                    values.join(", ")
                ));
            }
        }
        s
    }

    /// The report as JSON: `{percent, covered, total, workflows: [{workflow, percent, covered,
    /// total, activities: {covered, total}, transitions: {covered, total}, uncovered: [...]}],
    /// signals: [{signal, parameters_not_passed, allowed_not_used: {param: [values]}}]}`.
    pub fn json(&self) -> Json {
        let (covered, total) = self.counts();
        json!({
            "percent": round1(self.percent()),
            "covered": covered,
            "total": total,
            "workflows": self.workflows.iter().map(|w| {
                let (c, t) = w.counts();
                let count = |covered: usize, total: usize| json!({"covered": covered, "total": total});
                let reached = |n: &&usize| **n > 0;
                let mut j = json!({
                    "workflow": w.workflow,
                    "percent": round1(w.percent()),
                    "covered": c,
                    "total": t,
                    "activities": count(
                        w.activities.iter().map(|(_, n)| n).filter(reached).count(),
                        w.activities.len()
                    ),
                    "transitions": count(
                        w.transitions.iter().map(|(_, n)| n).filter(reached).count(),
                        w.transitions.len()
                    ),
                    "uncovered": w.uncovered(),
                });
                if let Some(m) = j.as_object_mut() {
                    if !w.skipped.is_empty() {
                        m.insert("skipped".into(), json!(w.skipped));
                    }
                    if !w.held.is_empty() {
                        m.insert("held".into(), json!(w.held));
                    }
                }
                j
            }).collect::<Vec<_>>(),
            "signals": self.signals.iter().map(|s| json!({
                "signal": s.signal,
                "parameters_not_passed": s.parameters_not_passed,
                "allowed_not_used": s.allowed_not_used,
            })).collect::<Vec<_>>(),
        })
    }
}

/// A percentage rounded to one decimal, as the text shows it.
fn round1(p: f64) -> f64 {
    (p * 10.0).round() / 10.0
}
