//! Checks of the workflows' life cycle (docs/CHECKS.md, "Execution and errors"): activities
//! that can never run because every path to them passes through one set to "Do not enable",
//! an End that stops all tasks while a branch running alongside it still has an End that
//! triggers another workflow, and scenario steps and expected states that name what does not
//! exist.

use super::graph::walk;
use super::{Diagnostic, Severity};
use crate::model::{ActivityKind, Design, EndSettings, Execution, Port, ScenarioStep, Workflow};
use std::collections::{BTreeMap, BTreeSet};

fn diagnostic(
    severity: Severity,
    workflow: Option<&str>,
    activity: Option<&str>,
    field: &str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        severity,
        workflow: workflow.map(str::to_owned),
        activity: activity.map(str::to_owned),
        field: Some(field.to_owned()),
        message,
        span: None,
    }
}

/// The life-cycle diagnostics of one workflow.
pub(super) fn check_workflow_life(wf: &Workflow, out: &mut Vec<Diagnostic>) {
    never_enabled(wf, out);
    cut_by_stop_all(wf, out);
}

/// Activities reachable from an entry only through activities set to "Do not enable".
fn never_enabled(wf: &Workflow, out: &mut Vec<Diagnostic>) {
    let disabled: BTreeSet<&str> = wf
        .activities
        .iter()
        .filter(|a| a.options.execution == Execution::DoNotEnable)
        .map(|a| a.id.as_str())
        .collect();
    if disabled.is_empty() {
        return;
    }
    let links = wf.links();
    let entries = wf
        .activities
        .iter()
        .filter(|a| a.kind.is_entry())
        .map(|a| a.id.as_str());
    let all = super::reachable_from_entries(wf);
    let enabled = walk(entries, |id| {
        if disabled.contains(id) {
            Vec::new()
        } else {
            links.outgoing(id).map(|t| t.to.as_str()).collect()
        }
    });
    for act in &wf.activities {
        let id = act.id.as_str();
        if disabled.contains(id) || !all.contains(id) || enabled.contains(id) {
            continue;
        }
        let upstream = super::upstream_of(wf, id);
        let blocking: Vec<&str> = disabled
            .iter()
            .copied()
            .filter(|d| upstream.contains(d))
            .collect();
        out.push(diagnostic(
            Severity::Warning,
            Some(&wf.id),
            Some(id),
            "options.execution",
            format!(
                "'{}' can never run: every path to it passes through {} set to Do not enable ({}); set {} to Normal, or remove this branch",
                act.display_name(),
                if blocking.len() == 1 { "an activity" } else { "activities" },
                quoted(&blocking),
                if blocking.len() == 1 { "it" } else { "them" },
            ),
        ));
    }
}

/// An End that stops all tasks, and an End that triggers a workflow on another branch of the
/// same Fork: reaching the first may cut the second before it triggers.
fn cut_by_stop_all(wf: &Workflow, out: &mut Vec<Diagnostic>) {
    let stoppers: Vec<&str> = wf
        .activities
        .iter()
        .filter(|a| a.options.stop_all_tasks && matches!(a.kind, ActivityKind::End(_)))
        .map(|a| a.id.as_str())
        .collect();
    if stoppers.is_empty() {
        return;
    }
    let triggers: BTreeMap<&str, String> = wf
        .activities
        .iter()
        .filter_map(|a| match &a.kind {
            ActivityKind::End(EndSettings { trigger: Some(t) }) => {
                Some((a.id.as_str(), format!("{}/{}", t.workflow, t.signal)))
            }
            _ => None,
        })
        .collect();
    let links = wf.links();
    let mut warned = BTreeSet::new();
    for fork in wf
        .activities
        .iter()
        .filter(|a| matches!(a.kind, ActivityKind::Fork(_)))
    {
        let ports: BTreeSet<&Port> = links.outgoing(&fork.id).map(|t| &t.port).collect();
        let reach: Vec<BTreeSet<&str>> = ports
            .iter()
            .map(|p| {
                let starts = links
                    .outgoing(&fork.id)
                    .filter(|t| &&t.port == p)
                    .map(|t| t.to.as_str());
                walk(starts, |id| {
                    links.outgoing(id).map(|t| t.to.as_str()).collect()
                })
            })
            .collect();
        for &stop in &stoppers {
            for (end, target) in &triggers {
                let apart = reach.iter().enumerate().any(|(i, a)| {
                    a.contains(stop)
                        && reach
                            .iter()
                            .enumerate()
                            .any(|(j, b)| i != j && b.contains(end) && !a.contains(end))
                });
                if *end != stop && apart && warned.insert((stop, *end)) {
                    out.push(diagnostic(
                        Severity::Warning,
                        Some(&wf.id),
                        Some(stop),
                        "options.stop_all_tasks",
                        format!(
                            "End '{stop}' stops all tasks in progress: End '{end}', which triggers {target} on another branch of Fork '{}', may be cut before it triggers; move the trigger before the Fork, or clear Stop all tasks in progress",
                            fork.id
                        ),
                    ));
                }
            }
        }
    }
}

/// Scenario steps and expectations of the life cycle that name a workflow or an activity the
/// design does not have (errors), or release an activity that never holds (a warning).
pub(super) fn check_scenario_life(design: &Design, out: &mut Vec<Diagnostic>) {
    for s in &design.scenarios {
        let field = format!("scenario:{}", s.name);
        let error = |m: String| diagnostic(Severity::Error, None, None, &field, m);
        for (i, step) in s.steps.iter().enumerate() {
            let Some(w) = step.workflow() else { continue };
            let Some(wf) = design.workflow(w) else {
                out.push(error(format!(
                    "scenario '{}': step {} ({}) names workflow '{w}', which does not exist",
                    s.name,
                    i + 1,
                    step.describe()
                )));
                continue;
            };
            if let ScenarioStep::Release(at) = step {
                let activity = at.split_once('/').map_or("", |(_, a)| a);
                match wf.activity(activity) {
                    None => out.push(error(format!(
                        "scenario '{}': step {} ({}) names activity '{activity}', which workflow '{w}' does not have",
                        s.name,
                        i + 1,
                        step.describe()
                    ))),
                    Some(a) if a.options.execution != Execution::EnableButDoNotExecute => {
                        out.push(diagnostic(
                            Severity::Warning,
                            None,
                            None,
                            &field,
                            format!(
                                "scenario '{}': step {} ({}) releases '{activity}', whose Execution is {}: it never holds a branch, so the step will be refused",
                                s.name,
                                i + 1,
                                step.describe(),
                                a.options.execution.label()
                            ),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        for w in s.expect.states.keys() {
            if design.workflow(w).is_none() {
                out.push(diagnostic(
                    Severity::Error,
                    None,
                    None,
                    &field,
                    format!(
                        "scenario '{}' expects a state of workflow '{w}', which does not exist",
                        s.name
                    ),
                ));
            }
        }
        for at in &s.expect.held {
            let (w, a) = at.split_once('/').unwrap_or((at.as_str(), ""));
            if design.workflow(w).and_then(|wf| wf.activity(a)).is_none() {
                out.push(diagnostic(
                    Severity::Error,
                    None,
                    None,
                    &field,
                    format!(
                        "scenario '{}' expects a branch held at '{at}', which is not an activity of the design (write WORKFLOW/activity)",
                        s.name
                    ),
                ));
            }
        }
    }
}

fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Activity, KindTag, Transition};

    fn wf(ids: &[(&str, KindTag)], links: &[(&str, &str, Port)]) -> Workflow {
        let mut w = Workflow::new("W", "");
        for (id, tag) in ids {
            w.activities.push(Activity::new(*id, "", *tag));
        }
        for (from, to, port) in links {
            w.transitions.push(Transition {
                from: (*from).into(),
                port: port.clone(),
                to: (*to).into(),
            });
        }
        w
    }

    #[test]
    fn what_follows_an_activity_not_enabled_can_never_run() {
        let mut w = wf(
            &[
                ("start1", KindTag::Start),
                ("update1", KindTag::UpdateData),
                ("update2", KindTag::UpdateData),
                ("end1", KindTag::End),
            ],
            &[
                ("start1", "update1", Port::Out),
                ("update1", "update2", Port::Out),
                ("update2", "end1", Port::Out),
            ],
        );
        let mut out = Vec::new();
        check_workflow_life(&w, &mut out);
        assert!(out.is_empty());
        w.activities[1].options.execution = Execution::DoNotEnable;
        check_workflow_life(&w, &mut out);
        let about: Vec<_> = out.iter().map(|d| d.activity.as_deref()).collect();
        assert_eq!(about, [Some("update2"), Some("end1")]);
        assert!(out[0].message.contains("'update1'"), "{}", out[0].message);
        assert_eq!(out[0].severity, Severity::Warning);
    }

    #[test]
    fn a_stop_all_end_beside_a_triggering_end_is_reported() {
        let mut w = wf(
            &[
                ("start1", KindTag::Start),
                ("fork1", KindTag::Fork),
                ("end1", KindTag::End),
                ("end2", KindTag::End),
            ],
            &[
                ("start1", "fork1", Port::Out),
                ("fork1", "end1", Port::Branch("branch1".into())),
                ("fork1", "end2", Port::Branch("branch2".into())),
            ],
        );
        w.activities[2].options.stop_all_tasks = true;
        let mut out = Vec::new();
        check_workflow_life(&w, &mut out);
        assert!(out.is_empty(), "no End triggers: {out:?}");
        w.activities[3].kind = ActivityKind::End(EndSettings {
            trigger: Some(crate::model::EndTrigger {
                workflow: "W2".into(),
                signal: "signal1".into(),
                parameters: Vec::new(),
            }),
        });
        check_workflow_life(&w, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].activity.as_deref(), Some("end1"));
        assert!(
            out[0]
                .message
                .contains("End 'end2', which triggers W2/signal1")
        );
    }
}
