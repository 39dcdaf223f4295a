//! BPMN 2.0 XML with Camunda 8 (Zeebe) extensions: one process per workflow in a collaboration
//! (one pool each), with diagram coordinates from the canvas so Camunda Modeler shows the same
//! layout. An External signal becomes a message start event whose output mappings declare the
//! parameters (defaults included) and the trigger's `flowcallTriggerId` and `flowcallSource`;
//! activities become service tasks with a job per kind (`jobs`: input mappings in FEEL, task
//! headers for configuration and for the expressions FEEL cannot express, output mappings of
//! the built-in variables), each with an error boundary event that ends its branch when the
//! worker reports the activity failed; a Test becomes an exclusive gateway with guarded FEEL
//! conditions (or a `flowcall-test` job before it); Fork and AND-join parallel gateways; Wait a
//! timer; an End that triggers a signal a message end event whose job publishes the target's
//! message with a correlation key of its own, so that each trigger starts its own instance.
//! `docs/CAMUNDA.md` is the worker contract; `tools/exec-check.sh` runs the exports on a BPMN
//! engine against the simulator.

mod ctx;
mod jobs;
mod life;

use super::feel::string_literal;
use super::output::{Export, ExportError};
use crate::model::{
    Activity, ActivityKind, Condition, Design, EndSettings, OnError, Port, Workflow,
};
use ctx::Ctx;
use jobs::{Gate, Job, message_name};
use life::Life;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::BTreeMap;
use std::io::Cursor;

pub use jobs::{EXPRESSION_HEADER, TEST_JOB, task_type};
pub use life::{ERRORS_VARIABLE, THRESHOLD_HEADER};

/// The error code a worker throws when an activity fails as a simulated run fails there.
pub const FAILURE_CODE: &str = "flowcall-activity-failed";

/// The task header of an activity set to Suspend the process: `incident`, the worker fails the
/// job with no retries left rather than throwing [`FAILURE_CODE`].
pub const ON_ERROR_HEADER: &str = "flowcall.onError";

/// The process variable holding the correlation key a trigger was published with.
pub const TRIGGER_ID: &str = "flowcallTriggerId";

/// The process variable naming who triggered (the payload's `source`, or `WORKFLOW/END`).
pub const SOURCE: &str = "flowcallSource";

const FAILURE_ERROR_ID: &str = "Error_flowcall_activity_failed";

const NS_BPMN: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const NS_BPMNDI: &str = "http://www.omg.org/spec/BPMN/20100524/DI";
const NS_DC: &str = "http://www.omg.org/spec/DD/20100524/DC";
const NS_DI: &str = "http://www.omg.org/spec/DD/20100524/DI";
const NS_ZEEBE: &str = "http://camunda.org/schema/zeebe/1.0";
const NS_MODELER: &str = "http://camunda.org/schema/modeler/1.0";
const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// An XML id (NCName) made from parts: letters, digits, `_`, `-`, `.`; other characters become `_`.
fn xml_id(parts: &[&str]) -> String {
    let mut s: String = parts
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        s.insert(0, '_');
    }
    s
}

/// The id of an activity's element.
fn node_id(wf: &Workflow, act: &str) -> String {
    xml_id(&[&wf.id, act])
}

/// The id of the task evaluating a Test before its gateway.
fn evaluate_id(node: &str) -> String {
    format!("{node}_evaluate")
}

/// The id of a task's error boundary event.
fn failed_id(node: &str) -> String {
    format!("{node}_failed")
}

/// The id of the end event a task's failure leads to.
fn failed_end_id(node: &str) -> String {
    format!("{node}_failedEnd")
}

/// The id of the flow from `node`'s boundary event (or evaluating task) to what follows it.
fn extra_flow_id(node: &str, what: &str) -> String {
    format!("Flow_{node}_{what}")
}

/// The id of the user task that releases a held activity.
fn release_id(node: &str) -> String {
    format!("{node}_release")
}

/// The id of the terminate end event after an End that triggers a signal and stops all tasks.
fn stop_all_id(node: &str) -> String {
    format!("{node}_stopAll")
}

/// The id of a signal's message.
fn message_id(workflow: &str, signal: &str) -> String {
    xml_id(&["Message", workflow, signal])
}

/// Width and height of an element of this kind.
fn size(kind: &ActivityKind) -> (f32, f32) {
    match kind {
        ActivityKind::Start
        | ActivityKind::ExternalSignal(_)
        | ActivityKind::End(_)
        | ActivityKind::Wait(_) => (36.0, 36.0),
        ActivityKind::Test(_) | ActivityKind::Fork(_) | ActivityKind::AndJoin => (50.0, 50.0),
        _ => (100.0, 80.0),
    }
}

type W = Writer<Cursor<Vec<u8>>>;
type R = std::io::Result<()>;

fn text_el(w: &mut W, name: &str, text: &str) -> R {
    w.create_element(name)
        .write_text_content(BytesText::new(text))
        .map(|_| ())
}

/// Writes a job's task definition, input and output mappings and headers.
fn job_extensions(w: &mut W, job: &Job) -> R {
    w.create_element("zeebe:taskDefinition")
        .with_attribute(("type", job.kind))
        .write_empty()?;
    io_mapping(w, &job.inputs, &job.outputs)?;
    if !job.headers.is_empty() {
        w.create_element("zeebe:taskHeaders")
            .write_inner_content(|w| {
                for (key, value) in &job.headers {
                    w.create_element("zeebe:header")
                        .with_attribute(("key", key.as_str()))
                        .with_attribute(("value", value.as_str()))
                        .write_empty()?;
                }
                Ok(())
            })?;
    }
    Ok(())
}

/// A `zeebe:ioMapping` of `(target, source)` inputs and outputs; nothing when both are empty.
fn io_mapping(w: &mut W, inputs: &[(String, String)], outputs: &[(String, String)]) -> R {
    if inputs.is_empty() && outputs.is_empty() {
        return Ok(());
    }
    w.create_element("zeebe:ioMapping")
        .write_inner_content(|w| {
            for (tag, list) in [("zeebe:input", inputs), ("zeebe:output", outputs)] {
                for (target, source) in list {
                    w.create_element(tag)
                        .with_attribute(("source", source.as_str()))
                        .with_attribute(("target", target.as_str()))
                        .write_empty()?;
                }
            }
            Ok(())
        })?;
    Ok(())
}

/// The sequence flows of one workflow, with their ids, indexed by the activities they leave
/// and enter.
struct Flows<'a> {
    list: Vec<(String, &'a crate::model::Transition)>,
    leaving: BTreeMap<&'a str, Vec<usize>>,
    entering: BTreeMap<&'a str, Vec<usize>>,
}

impl<'a> Flows<'a> {
    fn new(wf: &'a Workflow, life: &Life<'_>) -> Self {
        let mut flows = Flows {
            list: Vec::with_capacity(wf.transitions.len()),
            leaving: BTreeMap::new(),
            entering: BTreeMap::new(),
        };
        for (i, t) in wf.transitions.iter().enumerate() {
            if !life.flows(&t.from, &t.to) {
                continue;
            }
            // Ids number the design's transitions (a flow left out leaves a gap); the indexes
            // are into `list`.
            let at = flows.list.len();
            flows
                .list
                .push((xml_id(&["Flow", &wf.id, &(i + 1).to_string()]), t));
            flows.leaving.entry(t.from.as_str()).or_default().push(at);
            flows.entering.entry(t.to.as_str()).or_default().push(at);
        }
        flows
    }

    /// The flows leaving `act`, as (flow id, transition).
    fn out_of(&self, act: &str) -> impl Iterator<Item = &(String, &'a crate::model::Transition)> {
        self.leaving
            .get(act)
            .into_iter()
            .flatten()
            .filter_map(|i| self.list.get(*i))
    }

    /// The flows entering `act`.
    fn toward(&self, act: &str) -> impl Iterator<Item = &(String, &'a crate::model::Transition)> {
        self.entering
            .get(act)
            .into_iter()
            .flatten()
            .filter_map(|i| self.list.get(*i))
    }
}

/// What one workflow exports as: its flows, the job of each service-like activity and how each
/// Test is evaluated.
struct Plan<'a> {
    flows: Flows<'a>,
    jobs: BTreeMap<&'a str, Job>,
    gates: BTreeMap<&'a str, Gate>,
    life: Life<'a>,
    /// The workflow's consecutive errors threshold (0: none).
    threshold: u32,
}

impl<'a> Plan<'a> {
    fn new(ctx: &mut Ctx<'a>, wf: &'a Workflow) -> Self {
        let life = Life::of(wf);
        for id in &life.ignored {
            ctx.warnings.push(format!(
                "{}/{id}: a start event can neither wait to be released nor be left out: its Execution option is not exported, it starts the process as usual (docs/CAMUNDA.md, \"Execution and errors\")",
                wf.id
            ));
        }
        let mut jobs = BTreeMap::new();
        let mut gates = BTreeMap::new();
        for act in &wf.activities {
            trigger_name_warnings(ctx, wf, act);
            if life.dropped.contains(act.id.as_str()) {
                ctx.warnings.push(format!(
                    "{}/{}: reached only through activities set to Do not enable: not exported (docs/CAMUNDA.md, \"Execution and errors\")",
                    wf.id, act.id
                ));
                continue;
            }
            if life.skipped.contains(act.id.as_str()) {
                continue;
            }
            if let ActivityKind::Test(test) = &act.kind {
                let mut gate = jobs::gate(ctx, wf, act, test);
                if let Gate::Worker { job, .. } = &mut gate {
                    on_error_headers(job, act, wf.consecutive_errors);
                }
                gates.insert(act.id.as_str(), gate);
            } else if let Some(mut job) = jobs::job(ctx, wf, act) {
                on_error_headers(&mut job, act, wf.consecutive_errors);
                jobs.insert(act.id.as_str(), job);
            }
        }
        Plan {
            flows: Flows::new(wf, &life),
            jobs,
            gates,
            life,
            threshold: wf.consecutive_errors,
        }
    }

    /// The activities exported, in the design's order.
    fn kept(&self, wf: &'a Workflow) -> impl Iterator<Item = &'a Activity> {
        wf.activities.iter().filter(|a| self.life.kept(&a.id))
    }

    /// Whether `act` is set to Do not enable (a none end event).
    fn skipped(&self, act: &str) -> bool {
        self.life.skipped.contains(act)
    }

    /// Whether `act` waits behind a user task that releases it.
    fn held(&self, act: &str) -> bool {
        self.life.held.contains(act)
    }

    /// True when `act` is a Test evaluated by a job before its gateway.
    fn evaluated_by_job(&self, act: &str) -> bool {
        matches!(self.gates.get(act), Some(Gate::Worker { .. }))
    }

    /// The element a transition into `act` enters: the user task releasing a held activity,
    /// the evaluating task of a Test that has one.
    fn entry_id(&self, wf: &Workflow, act: &str) -> String {
        let node = node_id(wf, act);
        if self.held(act) {
            release_id(&node)
        } else if self.evaluated_by_job(act) {
            evaluate_id(&node)
        } else {
            node
        }
    }

    /// The elements with an error boundary event: service tasks (End events cannot carry one),
    /// Tests' evaluating tasks included, of activities whose errors are ignored (a failure of
    /// one set to Suspend the process is an incident), as (activity, element id).
    fn failing(&self, wf: &'a Workflow) -> Vec<(&'a Activity, String)> {
        wf.activities
            .iter()
            .filter(|a| a.options.on_error == OnError::Ignore)
            .filter_map(|a| {
                let node = node_id(wf, &a.id);
                if self.evaluated_by_job(&a.id) {
                    Some((a, evaluate_id(&node)))
                } else if self.jobs.contains_key(a.id.as_str())
                    && !matches!(a.kind, ActivityKind::End(_))
                {
                    Some((a, node))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// The flows an element of `act`'s chain (release task, evaluating task, the activity's own
/// element) receives: the transitions into the activity for the first of the chain, the flow
/// from the one before it for the others.
fn incoming(wf: &Workflow, plan: &Plan<'_>, act: &str, stage: Stage) -> Vec<String> {
    let node = node_id(wf, act);
    let before = match stage {
        Stage::Release => None,
        Stage::Evaluate => plan.held(act).then_some("release"),
        Stage::Node if plan.evaluated_by_job(act) => Some("evaluate"),
        Stage::Node => plan.held(act).then_some("release"),
    };
    match before {
        Some(what) => vec![extra_flow_id(&node, what)],
        None => plan.flows.toward(act).map(|(id, _)| id.clone()).collect(),
    }
}

/// The elements an activity may export as, in the order a token meets them.
#[derive(Clone, Copy)]
enum Stage {
    /// The user task releasing a held activity.
    Release,
    /// The task evaluating a Test's conditions.
    Evaluate,
    /// The activity's own element.
    Node,
}

/// Writes the `incoming` references of one element of `act`'s chain.
fn incoming_refs(w: &mut W, wf: &Workflow, plan: &Plan<'_>, act: &str, stage: Stage) -> R {
    for id in incoming(wf, plan, act, stage) {
        text_el(w, "bpmn:incoming", &id)?;
    }
    Ok(())
}

/// The user task that releases held `act` (Execution: Enable but do not execute): the branch
/// waits there until someone completes it, as the reference's branch waits to be released.
fn release_task(w: &mut W, wf: &Workflow, act: &Activity, plan: &Plan<'_>) -> R {
    let node = node_id(wf, &act.id);
    let id = release_id(&node);
    let name = format!("Release: {}", act.display_name());
    w.create_element("bpmn:userTask")
        .with_attribute(("id", id.as_str()))
        .with_attribute(("name", name.as_str()))
        .write_inner_content(|w| {
            w.create_element("bpmn:extensionElements")
                .write_inner_content(|w| {
                    w.create_element("zeebe:userTask").write_empty()?;
                    Ok(())
                })?;
            incoming_refs(w, wf, plan, &act.id, Stage::Release)?;
            text_el(w, "bpmn:outgoing", &extra_flow_id(&node, "release"))
        })?;
    Ok(())
}

/// A skipped `act` (Execution: Do not enable): a none end event where its branch ends.
fn skipped_end(w: &mut W, wf: &Workflow, act: &Activity, plan: &Plan<'_>) -> R {
    let id = node_id(wf, &act.id);
    let name = format!("{} (not enabled)", act.display_name());
    w.create_element("bpmn:endEvent")
        .with_attribute(("id", id.as_str()))
        .with_attribute(("name", name.as_str()))
        .write_inner_content(|w| incoming_refs(w, wf, plan, &act.id, Stage::Node))?;
    Ok(())
}

/// Whether `act` is an End that triggers a signal and stops all tasks: an intermediate message
/// throw event (its job publishes) followed by a terminate end event.
fn throws_then_terminates(act: &Activity) -> bool {
    act.options.stop_all_tasks
        && matches!(
            act.kind,
            ActivityKind::End(EndSettings { trigger: Some(_) })
        )
}

/// The terminate end event after the throw event `node` of an End that triggers a signal and
/// stops all tasks.
fn stop_all_end(w: &mut W, node: &str) -> R {
    let id = stop_all_id(node);
    w.create_element("bpmn:endEvent")
        .with_attribute(("id", id.as_str()))
        .with_attribute(("name", "Stop all tasks"))
        .write_inner_content(|w| {
            text_el(w, "bpmn:incoming", &extra_flow_id(node, "stopAll"))?;
            w.create_element("bpmn:terminateEventDefinition")
                .with_attribute(("id", xml_id(&[&id, "def"]).as_str()))
                .write_empty()?;
            Ok(())
        })?;
    Ok(())
}

/// The service task evaluating Test `act` (its incoming flows enter it), its boundary event and
/// failure end.
fn evaluate_task(w: &mut W, wf: &Workflow, act: &Activity, plan: &Plan<'_>, job: &Job) -> R {
    let node = node_id(wf, &act.id);
    let id = evaluate_id(&node);
    let name = format!("Evaluate: {}", act.display_name());
    w.create_element("bpmn:serviceTask")
        .with_attribute(("id", id.as_str()))
        .with_attribute(("name", name.as_str()))
        .write_inner_content(|w| {
            w.create_element("bpmn:extensionElements")
                .write_inner_content(|w| job_extensions(w, job))?;
            incoming_refs(w, wf, plan, &act.id, Stage::Evaluate)?;
            text_el(w, "bpmn:outgoing", &extra_flow_id(&node, "evaluate"))?;
            Ok(())
        })?;
    Ok(())
}

/// The task headers that tell the worker how a failure of `act` is reported: set to Suspend
/// the process, it fails the job with no retries left (an incident, which waits for a retry:
/// the reference's Erroneous and Resume) instead of throwing the BPMN error its boundary
/// event catches; set to Ignore in a workflow with a consecutive errors `threshold`, it does
/// so only when the instance's failures so far ([`ERRORS_VARIABLE`]) reach the threshold with
/// this one.
fn on_error_headers(job: &mut Job, act: &Activity, threshold: u32) {
    if act.options.on_error == OnError::Suspend {
        job.headers
            .push((ON_ERROR_HEADER.to_owned(), "incident".to_owned()));
    } else if threshold > 0 {
        job.headers
            .push((THRESHOLD_HEADER.to_owned(), threshold.to_string()));
    }
}

/// The warning of a signal parameter named like a variable the export sets from the trigger.
fn trigger_name_warnings(ctx: &mut Ctx<'_>, wf: &Workflow, act: &Activity) {
    for p in act.kind.signal().map_or(&[][..], |c| &c.parameters[..]) {
        if [TRIGGER_ID, SOURCE].contains(&p.name.as_str()) {
            ctx.warnings.push(format!(
                "{}/{}: parameter '{}' has the name of the variable the export sets from the trigger; the start event maps the trigger's value, not the parameter's: rename the parameter",
                wf.id, act.id, p.name
            ));
        }
    }
}

/// The error boundary event of element `id` and the end event it leads to; in a workflow with
/// a consecutive errors `threshold`, the boundary counts the failure in [`ERRORS_VARIABLE`].
fn failure(w: &mut W, id: &str, act: &Activity, threshold: u32) -> R {
    let boundary = failed_id(id);
    let flow = extra_flow_id(id, "failed");
    w.create_element("bpmn:boundaryEvent")
        .with_attribute(("id", boundary.as_str()))
        .with_attribute(("name", "Failed"))
        .with_attribute(("attachedToRef", id))
        .write_inner_content(|w| {
            if threshold > 0 {
                let v = ERRORS_VARIABLE;
                let count = format!("=(if {v} = null then 0 else {v}) + 1");
                w.create_element("bpmn:extensionElements")
                    .write_inner_content(|w| io_mapping(w, &[], &[(v.to_owned(), count)]))?;
            }
            text_el(w, "bpmn:outgoing", &flow)?;
            w.create_element("bpmn:errorEventDefinition")
                .with_attribute(("id", xml_id(&[&boundary, "def"]).as_str()))
                .with_attribute(("errorRef", FAILURE_ERROR_ID))
                .write_empty()?;
            Ok(())
        })?;
    let end = failed_end_id(id);
    let name = format!("{} failed", act.display_name());
    w.create_element("bpmn:endEvent")
        .with_attribute(("id", end.as_str()))
        .with_attribute(("name", name.as_str()))
        .write_inner_content(|w| text_el(w, "bpmn:incoming", &flow))?;
    Ok(())
}

fn node<'a>(w: &mut W, wf: &'a Workflow, act: &Activity, plan: &Plan<'a>) -> R {
    if plan.skipped(&act.id) {
        return skipped_end(w, wf, act, plan);
    }
    let id = node_id(wf, &act.id);
    if plan.held(&act.id) {
        release_task(w, wf, act, plan)?;
    }
    if let Some(Gate::Worker { job, .. }) = plan.gates.get(act.id.as_str()) {
        evaluate_task(w, wf, act, plan, job)?;
    }
    let (tag, extra) = element_of(act, plan);
    let name = act.display_name().to_owned();
    let mut el = w
        .create_element(tag)
        .with_attribute(("id", id.as_str()))
        .with_attribute(("name", name.as_str()));
    if let Some((k, v)) = &extra {
        el = el.with_attribute((*k, v.as_str()));
    }
    el.write_inner_content(|w| {
        node_extensions(w, act, plan)?;
        incoming_refs(w, wf, plan, &act.id, Stage::Node)?;
        for (fid, _) in plan.flows.out_of(&act.id) {
            text_el(w, "bpmn:outgoing", fid)?;
        }
        if throws_then_terminates(act) {
            text_el(w, "bpmn:outgoing", &extra_flow_id(&id, "stopAll"))?;
        }
        event_definition(w, wf, &id, act)
    })?;
    if throws_then_terminates(act) {
        stop_all_end(w, &id)?;
    }
    let ignored = act.options.on_error == OnError::Ignore;
    if ignored
        && plan.jobs.contains_key(act.id.as_str())
        && !matches!(act.kind, ActivityKind::End(_))
    {
        failure(w, &id, act, plan.threshold)?;
    }
    if ignored && plan.evaluated_by_job(&act.id) {
        failure(w, &evaluate_id(&id), act, plan.threshold)?;
    }
    Ok(())
}

/// The BPMN element an activity is, and an attribute it carries (a gateway's default flow).
fn element_of(act: &Activity, plan: &Plan<'_>) -> (&'static str, Option<(&'static str, String)>) {
    match &act.kind {
        ActivityKind::Start | ActivityKind::ExternalSignal(_) => ("bpmn:startEvent", None),
        ActivityKind::End(_) if throws_then_terminates(act) => {
            ("bpmn:intermediateThrowEvent", None)
        }
        ActivityKind::End(_) => ("bpmn:endEvent", None),
        ActivityKind::Test(_) => {
            let default = plan
                .flows
                .out_of(&act.id)
                .find(|(_, t)| t.port == Port::Default)
                .map(|(fid, _)| fid.clone());
            ("bpmn:exclusiveGateway", default.map(|d| ("default", d)))
        }
        ActivityKind::Fork(_) | ActivityKind::AndJoin => ("bpmn:parallelGateway", None),
        ActivityKind::Wait(_) => ("bpmn:intermediateCatchEvent", None),
        _ => ("bpmn:serviceTask", None),
    }
}

/// An activity's job and a signal's output mappings, when it has either.
fn node_extensions(w: &mut W, act: &Activity, plan: &Plan<'_>) -> R {
    let job = plan.jobs.get(act.id.as_str());
    let outputs = act.kind.signal().map(signal_outputs);
    if job.is_none() && outputs.is_none() {
        return Ok(());
    }
    w.create_element("bpmn:extensionElements")
        .write_inner_content(|w| {
            if let Some(job) = job {
                job_extensions(w, job)?;
            }
            if let Some(outputs) = &outputs {
                io_mapping(w, &[], outputs)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The event definition of an event: the message a signal starts on or an End sends, the
/// termination of an End that stops all tasks, the timer of a Wait; nothing for the other kinds.
fn event_definition(w: &mut W, wf: &Workflow, id: &str, act: &Activity) -> R {
    match &act.kind {
        ActivityKind::ExternalSignal(_) => {
            w.create_element("bpmn:messageEventDefinition")
                .with_attribute(("id", xml_id(&[id, "def"]).as_str()))
                .with_attribute(("messageRef", message_id(&wf.id, &act.id).as_str()))
                .write_empty()?;
        }
        ActivityKind::End(EndSettings { trigger: Some(t) }) => {
            w.create_element("bpmn:messageEventDefinition")
                .with_attribute(("id", xml_id(&[id, "def"]).as_str()))
                .with_attribute(("messageRef", message_id(&t.workflow, &t.signal).as_str()))
                .write_empty()?;
        }
        ActivityKind::End(EndSettings { trigger: None }) if act.options.stop_all_tasks => {
            w.create_element("bpmn:terminateEventDefinition")
                .with_attribute(("id", xml_id(&[id, "def"]).as_str()))
                .write_empty()?;
        }
        ActivityKind::Wait(wait) => {
            w.create_element("bpmn:timerEventDefinition")
                .with_attribute(("id", xml_id(&[id, "def"]).as_str()))
                .write_inner_content(|w| {
                    w.create_element("bpmn:timeDuration")
                        .with_attribute(("xsi:type", "bpmn:tFormalExpression"))
                        .write_text_content(BytesText::new(&format!("PT{}S", wait.seconds)))?;
                    Ok(())
                })?;
        }
        _ => {}
    }
    Ok(())
}

/// The output mappings of a message start event: each parameter (with its default), then the
/// trigger's correlation key and source.
fn signal_outputs(c: &crate::model::SignalContract) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = c
        .parameters
        .iter()
        .map(|p| {
            let n = p.name.as_str();
            let src = match &p.default {
                Some(d) => format!("=if {n} != null then {n} else {}", feel_default(d)),
                None => format!("={n}"),
            };
            (n.to_owned(), src)
        })
        .collect();
    for v in [TRIGGER_ID, SOURCE] {
        // One output per target: a parameter of that name gives way (with a warning).
        list.retain(|(target, _)| target != v);
        list.push((v.to_owned(), format!("={v}")));
    }
    list
}

/// A FEEL literal for a parameter default.
fn feel_default(v: &crate::model::Value) -> String {
    use crate::model::Value;
    match v {
        Value::String(s) => string_literal(s),
        Value::Date(_) => format!("date({})", string_literal(&v.to_string())),
        Value::DateTime(dt) => format!(
            "date and time({})",
            string_literal(&crate::model::format_datetime_rfc3339(dt))
        ),
        other => other.to_json().to_string(),
    }
}

struct Layout {
    /// Element bounds by element id: x, y, width, height.
    bounds: BTreeMap<String, (f32, f32, f32, f32)>,
    /// Pool bounds per workflow index.
    pools: Vec<(f32, f32, f32, f32)>,
}

/// Where the export puts an element it adds: a task's boundary event on its lower right corner
/// with the failure end below it, a Test's evaluating task below its gateway.
fn layout(design: &Design, plans: &[Plan<'_>]) -> Layout {
    let mut bounds = BTreeMap::new();
    let mut pools = Vec::new();
    let mut top = 80.0f32;
    for (wf, plan) in design.workflows.iter().zip(plans) {
        let min_x = wf
            .activities
            .iter()
            .map(|a| a.position.x)
            .fold(f32::INFINITY, f32::min);
        let min_y = wf
            .activities
            .iter()
            .map(|a| a.position.y)
            .fold(f32::INFINITY, f32::min);
        let (min_x, min_y) = if min_x.is_finite() {
            (min_x, min_y)
        } else {
            (0.0, 0.0)
        };
        let left = 160.0 + 80.0;
        let mut right = left + 200.0;
        let mut bottom = top + 200.0;
        for act in plan.kept(wf) {
            let (w, h) = if plan.skipped(&act.id) {
                (36.0, 36.0)
            } else {
                size(&act.kind)
            };
            // Center every element on the same row height as a task, so small shapes line up.
            let x = left + (act.position.x - min_x).round();
            let y = top + 60.0 + (act.position.y - min_y).round() + (80.0 - h) / 2.0;
            right = right.max(x + w + 80.0);
            bottom = bottom.max(y + h + 60.0);
            let node = node_id(wf, &act.id);
            let (r, b) = place_extras(&mut bounds, plan, act, &node, (x, y, w, h));
            (right, bottom) = (right.max(r), bottom.max(b));
            bounds.insert(node, (x, y, w, h));
        }
        // Failure ends go on a row of their own below every element (a canvas may stack tasks
        // closer than an end event's height), left to right, none over another.
        let row = bottom - 60.0 + 50.0;
        let mut failing: Vec<(f32, String)> = Vec::new();
        for (_, id) in plan.failing(wf) {
            let Some(&(x, y, w, h)) = bounds.get(&id) else {
                continue;
            };
            let boundary = (x + w - 46.0, y + h - 18.0, 36.0, 36.0);
            failing.push((boundary.0, id.clone()));
            bounds.insert(failed_id(&id), boundary);
        }
        failing.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut next_free = f32::NEG_INFINITY;
        for (x, id) in failing {
            let x = x.max(next_free);
            next_free = x + 56.0;
            right = right.max(x + 36.0 + 80.0);
            bottom = bottom.max(row + 36.0 + 40.0);
            bounds.insert(failed_end_id(&id), (x, row, 36.0, 36.0));
        }
        pools.push((160.0, top, right - 160.0, bottom - top));
        top = bottom + 40.0;
    }
    Layout { bounds, pools }
}

/// Places the elements the export adds around activity `act` (element `node` at `b`): below
/// it, in the order a token meets them going up, the release task then the evaluating task;
/// right of it, the terminate end of an End that triggers and stops all. The right and bottom
/// edges they need.
fn place_extras(
    bounds: &mut BTreeMap<String, (f32, f32, f32, f32)>,
    plan: &Plan<'_>,
    act: &Activity,
    node: &str,
    (x, y, w, h): (f32, f32, f32, f32),
) -> (f32, f32) {
    let (mut right, mut bottom) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    let mut below = y + h + 60.0;
    if plan.evaluated_by_job(&act.id) {
        let task = (x + w / 2.0 - 50.0, below, 100.0, 80.0);
        below = task.1 + task.3 + 40.0;
        bottom = bottom.max(task.1 + task.3 + 60.0);
        bounds.insert(evaluate_id(node), task);
    }
    if plan.held(&act.id) {
        let task = (x + w / 2.0 - 50.0, below, 100.0, 80.0);
        bottom = bottom.max(task.1 + task.3 + 60.0);
        bounds.insert(release_id(node), task);
    }
    if throws_then_terminates(act) {
        right = right.max(x + w + 60.0 + 36.0 + 80.0);
        bounds.insert(stop_all_id(node), (x + w + 60.0, y, 36.0, 36.0));
    }
    (right, bottom)
}

fn bounds_el(w: &mut W, (x, y, wd, h): (f32, f32, f32, f32)) -> R {
    w.create_element("dc:Bounds")
        .with_attribute(("x", fmt(x).as_str()))
        .with_attribute(("y", fmt(y).as_str()))
        .with_attribute(("width", fmt(wd).as_str()))
        .with_attribute(("height", fmt(h).as_str()))
        .write_empty()?;
    Ok(())
}

fn fmt(v: f32) -> String {
    format!("{}", v.round() as i64)
}

/// The BPMN export of the whole design.
pub fn bpmn(design: &Design) -> Result<Export, ExportError> {
    let mut ctx = Ctx {
        design,
        warnings: Vec::new(),
        vars: BTreeMap::new(),
    };
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let plans: Vec<Plan<'_>> = design
        .workflows
        .iter()
        .map(|wf| Plan::new(&mut ctx, wf))
        .collect();
    let lay = layout(design, &plans);
    let result: R = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("bpmn:definitions")
            .with_attribute(("xmlns:bpmn", NS_BPMN))
            .with_attribute(("xmlns:bpmndi", NS_BPMNDI))
            .with_attribute(("xmlns:dc", NS_DC))
            .with_attribute(("xmlns:di", NS_DI))
            .with_attribute(("xmlns:zeebe", NS_ZEEBE))
            .with_attribute(("xmlns:modeler", NS_MODELER))
            .with_attribute(("xmlns:xsi", NS_XSI))
            .with_attribute(("id", "Definitions_flowcall"))
            .with_attribute(("targetNamespace", "http://bpmn.io/schema/bpmn"))
            .with_attribute(("exporter", "flowcall"))
            .with_attribute(("exporterVersion", env!("CARGO_PKG_VERSION")))
            .with_attribute(("modeler:executionPlatform", "Camunda Cloud"))
            .with_attribute(("modeler:executionPlatformVersion", "8.6.0"))
            .write_inner_content(|w| write_body(w, &mut ctx, &plans, &lay))?;
        Ok(())
    })();
    result?;
    // quick-xml writes the UTF-8 of the strings it is given: the bytes are UTF-8.
    let mut text = String::from_utf8(w.into_inner().into_inner())
        .map_err(|e| ExportError::Xml(std::io::Error::other(e)))?;
    text.push('\n');
    let duplicates = duplicate_ids(&text);
    if !duplicates.is_empty() {
        return Err(ExportError::DuplicateIds(duplicates));
    }
    let text = xml_safe(text, design, &mut ctx.warnings);
    Ok(Export {
        text,
        warnings: ctx.warnings,
    })
}

/// The `id` attributes the written XML holds more than once, sorted (an element's diagram id
/// left out when the element's is listed). quick-xml escapes `"` in attribute values, so every
/// ` id="` of the text opens an id.
fn duplicate_ids(text: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut twice = std::collections::BTreeSet::new();
    for (at, open) in text.match_indices(" id=\"") {
        let rest = text.get(at + open.len()..).unwrap_or("");
        let id = rest.split('"').next().unwrap_or("");
        if !seen.insert(id) {
            twice.insert(id.to_owned());
        }
    }
    // The diagram's `X_di` of an element `X` met twice says nothing more.
    twice
        .iter()
        .filter(|id| {
            id.strip_suffix("_di")
                .is_none_or(|element| !twice.contains(element))
        })
        .cloned()
        .collect()
}

/// True for the characters an XML 1.0 document may hold.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` with the characters XML 1.0 cannot hold (most control characters, U+FFFE, U+FFFF)
/// replaced by U+FFFD, and a warning naming the design's texts that held them. quick-xml
/// escapes `<>&"'` but passes every other character through.
fn xml_safe(text: String, design: &Design, warnings: &mut Vec<String>) -> String {
    if text.chars().all(xml_char) {
        return text;
    }
    let mut places = Vec::new();
    if let Ok(json) = serde_json::to_value(design) {
        unsafe_texts(&json, &mut String::new(), &mut places);
    }
    warnings.push(format!(
        "characters that XML 1.0 cannot hold (control characters such as U+0001, or U+FFFE and U+FFFF) were replaced by U+FFFD in: {}; remove them from the design",
        crate::model::listed(&places)
    ));
    text.chars()
        .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// The paths of the strings under `v` that hold a character XML cannot (array items named by
/// their `id` when they have one: `workflows/WKF1/activities/end1/label`).
fn unsafe_texts(v: &serde_json::Value, path: &mut String, out: &mut Vec<String>) {
    use serde_json::Value as J;
    let bad = |s: &str| !s.chars().all(xml_char);
    let len = path.len();
    match v {
        J::String(s) if bad(s) => out.push(if path.is_empty() {
            "the design".into()
        } else {
            path.clone()
        }),
        J::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = item
                    .get("id")
                    .and_then(J::as_str)
                    .or_else(|| item.get("name").and_then(J::as_str))
                    .map_or_else(|| i.to_string(), |id| id.escape_debug().to_string());
                path.push('/');
                path.push_str(&name);
                unsafe_texts(item, path, out);
                path.truncate(len);
            }
        }
        J::Object(map) => {
            for (k, item) in map {
                if bad(k) {
                    out.push(format!("{path}/{}", k.escape_debug()));
                }
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(k);
                unsafe_texts(item, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// The flows one workflow adds to its transitions: from each evaluating task to its gateway,
/// from each boundary event to its failure end, as (flow id, source, target).
fn extra_flows(wf: &Workflow, plan: &Plan<'_>) -> Vec<(String, String, String)> {
    let mut list = Vec::new();
    for act in plan.kept(wf) {
        let node = node_id(wf, &act.id);
        if plan.held(&act.id) {
            let to = if plan.evaluated_by_job(&act.id) {
                evaluate_id(&node)
            } else {
                node.clone()
            };
            list.push((extra_flow_id(&node, "release"), release_id(&node), to));
        }
        if plan.evaluated_by_job(&act.id) {
            list.push((
                extra_flow_id(&node, "evaluate"),
                evaluate_id(&node),
                node.clone(),
            ));
        }
        if throws_then_terminates(act) {
            list.push((
                extra_flow_id(&node, "stopAll"),
                node.clone(),
                stop_all_id(&node),
            ));
        }
    }
    for (_, id) in plan.failing(wf) {
        list.push((
            extra_flow_id(&id, "failed"),
            failed_id(&id),
            failed_end_id(&id),
        ));
    }
    list
}

fn write_body<'a>(w: &mut W, ctx: &mut Ctx<'a>, plans: &[Plan<'a>], lay: &Layout) -> R {
    let design = ctx.design;
    w.create_element("bpmn:collaboration")
        .with_attribute(("id", "Collaboration_flowcall"))
        .write_inner_content(|w| {
            for wf in &design.workflows {
                let label = if wf.label.is_empty() {
                    wf.id.as_str()
                } else {
                    wf.label.as_str()
                };
                w.create_element("bpmn:participant")
                    .with_attribute(("id", xml_id(&["Participant", &wf.id]).as_str()))
                    .with_attribute(("name", label))
                    .with_attribute(("processRef", xml_id(&[&wf.id]).as_str()))
                    .write_empty()?;
            }
            Ok(())
        })?;
    messages(w, ctx)?;
    if plans
        .iter()
        .any(|p| !p.jobs.is_empty() || p.gates.values().any(|g| matches!(g, Gate::Worker { .. })))
    {
        w.create_element("bpmn:error")
            .with_attribute(("id", FAILURE_ERROR_ID))
            .with_attribute(("name", "flowcall activity failed"))
            .with_attribute(("errorCode", FAILURE_CODE))
            .write_empty()?;
    }
    for (wf, plan) in design.workflows.iter().zip(plans) {
        process(w, wf, plan)?;
    }
    diagram(w, design, plans, lay)
}

/// Every message a signal listens to or an End publishes, once, sorted. Each has a
/// subscription whose correlation key is the instance's own trigger key: Zeebe reads none for
/// a message start event (the published message's key decides), nor for a message end event
/// (its job publishes), but camunda-compat requires one where an end event throws the message,
/// and it is what an intermediate catch event of the message would correlate on.
fn messages(w: &mut W, ctx: &mut Ctx<'_>) -> R {
    let design = ctx.design;
    let mut messages: BTreeMap<String, String> = BTreeMap::new();
    for wf in &design.workflows {
        for (act, _) in wf.signals() {
            messages.insert(message_id(&wf.id, &act.id), message_name(&wf.id, &act.id));
        }
        for act in &wf.activities {
            if let ActivityKind::End(EndSettings { trigger: Some(t) }) = &act.kind {
                if design.signal(&t.workflow, &t.signal).is_none() {
                    ctx.warnings.push(format!(
                        "{}/{}: triggers {}/{}, which is not a signal of this design; the message is exported all the same",
                        wf.id, act.id, t.workflow, t.signal
                    ));
                }
                messages.insert(
                    message_id(&t.workflow, &t.signal),
                    message_name(&t.workflow, &t.signal),
                );
            }
        }
    }
    for (id, name) in &messages {
        w.create_element("bpmn:message")
            .with_attribute(("id", id.as_str()))
            .with_attribute(("name", name.as_str()))
            .write_inner_content(|w| {
                w.create_element("bpmn:extensionElements")
                    .write_inner_content(|w| {
                        w.create_element("zeebe:subscription")
                            .with_attribute(("correlationKey", format!("={TRIGGER_ID}").as_str()))
                            .write_empty()?;
                        Ok(())
                    })?;
                Ok(())
            })?;
    }
    Ok(())
}

/// One workflow's process: its elements, its transitions, the flows the export adds.
fn process<'a>(w: &mut W, wf: &'a Workflow, plan: &Plan<'a>) -> R {
    let by_id: BTreeMap<&str, &Activity> =
        wf.activities.iter().map(|a| (a.id.as_str(), a)).collect();
    let label = if wf.label.is_empty() {
        wf.id.as_str()
    } else {
        wf.label.as_str()
    };
    w.create_element("bpmn:process")
        .with_attribute(("id", xml_id(&[&wf.id]).as_str()))
        .with_attribute(("name", label))
        .with_attribute(("isExecutable", "true"))
        .write_inner_content(|w| {
            for act in plan.kept(wf) {
                node(w, wf, act, plan)?;
            }
            // Each Test's conditions by id, once: a Test of 10,000 conditions has as many flows.
            let mut conditions: BTreeMap<(&str, &str), (usize, &Condition)> = BTreeMap::new();
            for a in &wf.activities {
                if let ActivityKind::Test(test) = &a.kind {
                    for (i, c) in test.conditions.iter().enumerate() {
                        conditions
                            .entry((a.id.as_str(), c.id.as_str()))
                            .or_insert((i, c));
                    }
                }
            }
            for (id, t) in &plan.flows.list {
                let from = by_id.get(t.from.as_str()).copied();
                let condition = match &t.port {
                    Port::Condition(c) => conditions.get(&(t.from.as_str(), c.as_str())).copied(),
                    _ => None,
                };
                let name = match (&t.port, condition) {
                    (_, Some((_, c))) if !c.label.is_empty() => c.label.clone(),
                    (Port::Condition(c), _) => c.clone(),
                    (Port::Default, _) => "default".into(),
                    // Flows out of a parallel gateway or a task carry no label (bpmnlint's
                    // superfluous-label).
                    (Port::Branch(_) | Port::Out, _) => String::new(),
                };
                let mut el = w
                    .create_element("bpmn:sequenceFlow")
                    .with_attribute(("id", id.as_str()));
                if !name.is_empty() {
                    el = el.with_attribute(("name", name.as_str()));
                }
                let el = el
                    .with_attribute(("sourceRef", node_id(wf, &t.from).as_str()))
                    .with_attribute(("targetRef", plan.entry_id(wf, &t.to).as_str()));
                let gate = from.and_then(|a| plan.gates.get(a.id.as_str()));
                match (condition, gate) {
                    (Some((i, c)), Some(gate)) => {
                        let source = gate.condition(i, &c.id);
                        el.write_inner_content(|w| {
                            w.create_element("bpmn:conditionExpression")
                                .with_attribute(("xsi:type", "bpmn:tFormalExpression"))
                                .write_text_content(BytesText::new(&source))?;
                            Ok(())
                        })?;
                    }
                    _ => {
                        el.write_empty()?;
                    }
                }
            }
            for (id, source, target) in extra_flows(wf, plan) {
                w.create_element("bpmn:sequenceFlow")
                    .with_attribute(("id", id.as_str()))
                    .with_attribute(("sourceRef", source.as_str()))
                    .with_attribute(("targetRef", target.as_str()))
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

/// An edge's waypoints from the right middle of `s` to the left middle of `d`, or from the
/// bottom of `s` to the top of `d` when `d` lies below `s`.
fn waypoints(s: (f32, f32, f32, f32), d: (f32, f32, f32, f32), down: bool) -> Vec<(f32, f32)> {
    if down {
        let (sx, sy) = (s.0 + s.2 / 2.0, s.1 + s.3);
        let (dx, dy) = (d.0 + d.2 / 2.0, d.1);
        if (sx - dx).abs() < 0.5 {
            return vec![(sx, sy), (dx, dy)];
        }
        let mid = sy + ((dy - sy) / 2.0).max(10.0);
        return vec![(sx, sy), (sx, mid), (dx, mid), (dx, dy)];
    }
    let (sx, sy) = (s.0 + s.2, s.1 + s.3 / 2.0);
    let (dx, dy) = (d.0, d.1 + d.3 / 2.0);
    let mut points = vec![(sx, sy)];
    if (sy - dy).abs() > 0.5 {
        let mid = sx + ((dx - sx) / 2.0).max(20.0);
        points.push((mid, sy));
        points.push((mid, dy));
    }
    points.push((dx, dy));
    points
}

fn edge(w: &mut W, flow: &str, points: &[(f32, f32)]) -> R {
    w.create_element("bpmndi:BPMNEdge")
        .with_attribute(("id", xml_id(&[flow, "di"]).as_str()))
        .with_attribute(("bpmnElement", flow))
        .write_inner_content(|w| {
            for (x, y) in points {
                w.create_element("di:waypoint")
                    .with_attribute(("x", fmt(*x).as_str()))
                    .with_attribute(("y", fmt(*y).as_str()))
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

fn shape(w: &mut W, id: &str, b: (f32, f32, f32, f32), marker: bool) -> R {
    let mut shape = w
        .create_element("bpmndi:BPMNShape")
        .with_attribute(("id", xml_id(&[id, "di"]).as_str()))
        .with_attribute(("bpmnElement", id));
    if marker {
        shape = shape.with_attribute(("isMarkerVisible", "true"));
    }
    shape.write_inner_content(|w| bounds_el(w, b))?;
    Ok(())
}

fn diagram(w: &mut W, design: &Design, plans: &[Plan<'_>], lay: &Layout) -> R {
    let at = |id: &str| lay.bounds.get(id).copied().unwrap_or_default();
    w.create_element("bpmndi:BPMNDiagram")
        .with_attribute(("id", "BPMNDiagram_flowcall"))
        .write_inner_content(|w| {
            w.create_element("bpmndi:BPMNPlane")
                .with_attribute(("id", "BPMNPlane_flowcall"))
                .with_attribute(("bpmnElement", "Collaboration_flowcall"))
                .write_inner_content(|w| {
                    for (i, (wf, plan)) in design.workflows.iter().zip(plans).enumerate() {
                        let pid = xml_id(&["Participant", &wf.id]);
                        w.create_element("bpmndi:BPMNShape")
                            .with_attribute(("id", xml_id(&[&pid, "di"]).as_str()))
                            .with_attribute(("bpmnElement", pid.as_str()))
                            .with_attribute(("isHorizontal", "true"))
                            .write_inner_content(|w| {
                                bounds_el(
                                    w,
                                    lay.pools
                                        .get(i)
                                        .copied()
                                        .unwrap_or((0.0, 0.0, 600.0, 250.0)),
                                )
                            })?;
                        for act in plan.kept(wf) {
                            let id = node_id(wf, &act.id);
                            for extra in [release_id(&id), evaluate_id(&id), stop_all_id(&id)] {
                                if lay.bounds.contains_key(&extra) {
                                    shape(w, &extra, at(&extra), false)?;
                                }
                            }
                            let marker =
                                matches!(act.kind, ActivityKind::Test(_)) && !plan.skipped(&act.id);
                            shape(w, &id, at(&id), marker)?;
                        }
                        for (_, id) in plan.failing(wf) {
                            for extra in [failed_id(&id), failed_end_id(&id)] {
                                shape(w, &extra, at(&extra), false)?;
                            }
                        }
                        for (fid, t) in &plan.flows.list {
                            let points = waypoints(
                                at(&node_id(wf, &t.from)),
                                at(&plan.entry_id(wf, &t.to)),
                                false,
                            );
                            edge(w, fid, &points)?;
                        }
                        for (fid, source, target) in extra_flows(wf, plan) {
                            let down = fid.ends_with("_failed");
                            let (s, d) = (at(&source), at(&target));
                            let points = if down {
                                waypoints(s, d, true)
                            } else if fid.ends_with("_stopAll") {
                                waypoints(s, d, false)
                            } else {
                                // From a release or evaluating task's top up to the bottom of what it leads to.
                                vec![(s.0 + s.2 / 2.0, s.1), (d.0 + d.2 / 2.0, d.1 + d.3)]
                            };
                            edge(w, &fid, &points)?;
                        }
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN: &str = r#"(
    format_version: 1,
    workflows: [
        (
            id: "A",
            activities: [
                (id: "signal1", position: (0.0, 0.0), kind: ExternalSignal((parameters: [
                    (name: "flowcallTriggerId", type: String),
                ]))),
                (id: "end1", position: (200.0, 0.0), kind: End((trigger: Some((
                    workflow: "B",
                    signal: "signal1",
                    parameters: [
                        (name: "tag", expression: "Md5Digest('a')"),
                        (name: "name", expression: "'b'"),
                    ],
                ))))),
            ],
            transitions: [(from: "signal1", to: "end1")],
        ),
        (
            id: "B",
            activities: [
                (id: "signal1", position: (0.0, 0.0), kind: ExternalSignal((parameters: [
                    (name: "tag", type: String),
                    (name: "name", type: String),
                ]))),
                (id: "end1", position: (200.0, 0.0), kind: End(())),
            ],
            transitions: [(from: "signal1", to: "end1")],
        ),
    ],
)"#;

    fn export() -> Export {
        let design = crate::io::load_str(DESIGN).unwrap_or_else(|e| panic!("{e}"));
        bpmn(&design).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_end_parameter_feel_cannot_express_is_a_header_and_stays_out_of_the_published_context() {
        let e = export();
        assert!(
            e.text.contains(
                r#"<zeebe:input source="={&quot;name&quot;: &quot;b&quot;}" target="parameters"/>"#
            ),
            "{}",
            e.text
        );
        assert!(
            e.text.contains(r#"<zeebe:header key="flowcall.expression.parameters.tag" value="Md5Digest(&apos;a&apos;)"/>"#),
            "{}",
            e.text
        );
        assert!(
            !e.text.contains("Md5Digest(&apos;a&apos;)&quot;"),
            "never a FEEL string literal"
        );
        assert!(
            e.text
                .contains(r#"<zeebe:header key="flowcall.message" value="B.signal1"/>"#)
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.starts_with("A/end1 parameters.tag: ")),
            "{:?}",
            e.warnings
        );
    }

    #[test]
    fn regression_ids_that_join_alike_are_refused_not_written_twice() {
        // Workflow `A_B` activity `c` and workflow `A` activity `B_c` are both `A_B_c`: the
        // BPMN had two elements of one id, which no engine deploys.
        let mut d = crate::io::load_str(DESIGN).unwrap_or_else(|e| panic!("{e}"));
        d.workflows[0].id = "A_B".into();
        d.workflows[0].activities[1].id = "c".into();
        d.workflows[0].transitions[0].to = "c".into();
        d.workflows[1].id = "A".into();
        d.workflows[1].activities[1].id = "B_c".into();
        d.workflows[1].transitions[0].to = "B_c".into();
        if let ActivityKind::End(EndSettings { trigger: Some(t) }) =
            &mut d.workflows[0].activities[1].kind
        {
            t.workflow = "A".into();
        }
        match bpmn(&d) {
            Err(ExportError::DuplicateIds(ids)) => assert_eq!(ids, ["A_B_c"]),
            other => panic!("{:?}", other.map(|e| e.text)),
        }
        // The example exports with every id once.
        assert!(duplicate_ids(&export().text).is_empty());
    }

    #[test]
    fn a_parameter_named_like_the_trigger_key_is_mapped_once_with_a_warning() {
        let e = export();
        // Once in each of the two start events.
        assert_eq!(
            e.text.matches(r#"target="flowcallTriggerId""#).count(),
            2,
            "{}",
            e.text
        );
        assert!(
            e.warnings
                .iter()
                .any(|w| w.contains("parameter 'flowcallTriggerId' has the name")),
            "{:?}",
            e.warnings
        );
        // An End's job cannot carry a boundary event; only service tasks have one.
        assert!(!e.text.contains("A_end1_failed"));
    }

    #[test]
    fn suspend_is_an_incident_ignore_a_boundary_event_and_stop_all_a_terminate_end() {
        let load = |text: &str| crate::io::load_str(text).unwrap_or_else(|e| panic!("{e}"));
        let d = load(include_str!("../../tests/life/suspend-resume.flow.ron"));
        let e = bpmn(&d).unwrap_or_else(|e| panic!("{e}"));
        // read1 suspends: no boundary event, and the worker is told to raise an incident.
        assert!(!e.text.contains("read1_failed"), "{}", e.text);
        assert!(
            e.text
                .contains(r#"<zeebe:header key="flowcall.onError" value="incident"/>"#),
            "{}",
            e.text
        );
        assert_eq!(e.text.matches("flowcall.onError").count(), 1);
        // email1 ignores: its boundary event ends the branch.
        assert!(e.text.contains("email1_failed"), "{}", e.text);

        let d = load(include_str!("../../tests/life/stop-all.flow.ron"));
        let e = bpmn(&d).unwrap_or_else(|e| panic!("{e}"));
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        // TEAM/end1 triggers nothing: a terminate end event. ALERT's End triggers TEAM and stops
        // all: a message throw event (its job publishes), then a terminate end event.
        assert_eq!(
            e.text.matches("<bpmn:terminateEventDefinition").count(),
            2,
            "{}",
            e.text
        );
        assert!(
            e.text
                .contains(r#"<bpmn:intermediateThrowEvent id="ALERT_end1" name="Alert and stop">"#),
            "{}",
            e.text
        );
        assert!(
            e.text
                .contains(r#"<bpmn:endEvent id="ALERT_end1_stopAll" name="Stop all tasks">"#)
        );
        assert!(
            e.text
                .contains(r#"sourceRef="ALERT_end1" targetRef="ALERT_end1_stopAll""#)
        );

        let d = load(include_str!("../../tests/life/ignore-threshold.flow.ron"));
        let e = bpmn(&d).unwrap_or_else(|e| panic!("{e}"));
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        // REWARD's jobs carry its threshold and its boundaries count; TALLY has none.
        assert_eq!(
            e.text
                .matches(r#"<zeebe:header key="flowcall.errorsThreshold" value="2"/>"#)
                .count(),
            4,
            "{}",
            e.text
        );
        assert_eq!(
            e.text.matches(r#"target="flowcallErrorsInRow""#).count(),
            4,
            "{}",
            e.text
        );

        let d = load(include_str!("../../tests/life/held.flow.ron"));
        let e = bpmn(&d).unwrap_or_else(|e| panic!("{e}"));
        assert!(e.warnings.is_empty(), "{:?}", e.warnings);
        assert!(
            e.text.contains(
                r#"<bpmn:userTask id="NEWSLETTER_email1_release" name="Release: Newsletter">"#
            ),
            "{}",
            e.text
        );
        assert!(
            e.text
                .contains(r#"sourceRef="NEWSLETTER_read1" targetRef="NEWSLETTER_email1_release""#)
        );
        assert!(
            e.text
                .contains(r#"sourceRef="NEWSLETTER_email1_release" targetRef="NEWSLETTER_email1""#)
        );

        let d = load(include_str!("../../tests/life/skipped.flow.ron"));
        let e = bpmn(&d).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            e.warnings,
            [
                "IMPORT/end1: reached only through activities set to Do not enable: not exported (docs/CAMUNDA.md, \"Execution and errors\")"
            ]
        );
        assert!(
            e.text.contains(
                r#"<bpmn:endEvent id="IMPORT_email1" name="Notification (not enabled)">"#
            ),
            "{}",
            e.text
        );
        assert!(!e.text.contains("IMPORT_end1"), "{}", e.text);
        // Regression: with a transition left out, the flows after it kept pointing at the wrong
        // transitions (update1 to end2 went missing).
        assert!(
            e.text.contains(
                r#"id="Flow_IMPORT_6" sourceRef="IMPORT_update1" targetRef="IMPORT_end2""#
            ),
            "{}",
            e.text
        );
        assert!(!e.text.contains("flowcall-email-delivery"), "{}", e.text);
    }
}
