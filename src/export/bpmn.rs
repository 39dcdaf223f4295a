//! BPMN 2.0 XML with Camunda 8 (Zeebe) extensions: one process per workflow in a collaboration
//! (one pool each), with diagram coordinates from the canvas so Camunda Modeler shows the same
//! layout. An External signal becomes a message start event whose output mappings declare the
//! parameters (defaults included); activities become service tasks with a
//! `zeebe:taskDefinition` type per kind and their expressions as input mappings in FEEL; a Test
//! becomes an exclusive gateway with FEEL conditions; Fork and AND-join parallel gateways; Wait
//! a timer; an End that triggers a signal a message end event publishing the target's message.

use super::feel::{self, string_literal};
use super::{Export, ExportError};
use crate::check::environments;
use crate::model::{Activity, ActivityKind, Design, EndSettings, Port, Type, Workflow};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::collections::BTreeMap;
use std::io::Cursor;

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

/// The id of a signal's message.
fn message_id(workflow: &str, signal: &str) -> String {
    xml_id(&["Message", workflow, signal])
}

/// The name of a signal's message, what a publisher correlates on.
fn message_name(workflow: &str, signal: &str) -> String {
    format!("{workflow}.{signal}")
}

/// The Zeebe job type of a service-task kind.
fn task_type(kind: &ActivityKind) -> Option<&'static str> {
    Some(match kind {
        ActivityKind::Query(_) => "flowcall-query",
        ActivityKind::ReadAudience(_) => "flowcall-read-audience",
        ActivityKind::SaveAudience(_) => "flowcall-save-audience",
        ActivityKind::TransferFile(_) => "flowcall-transfer-file",
        ActivityKind::LoadFile => "flowcall-load-file",
        ActivityKind::UpdateData(_) => "flowcall-update-data",
        ActivityKind::EmailDelivery(_) => "flowcall-email-delivery",
        ActivityKind::End(EndSettings { trigger: Some(_) }) => "flowcall-publish-message",
        _ => return None,
    })
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

struct Ctx<'a> {
    design: &'a Design,
    warnings: Vec<String>,
    /// The variables each activity may read, by workflow id then activity id, computed once per
    /// workflow when one of its expressions is first translated.
    vars: BTreeMap<&'a str, BTreeMap<&'a str, BTreeMap<String, Type>>>,
}

impl<'a> Ctx<'a> {
    /// The variables `act` of `wf` may read, with their types.
    fn vars_at(&mut self, wf: &'a Workflow, act: &str) -> &BTreeMap<String, Type> {
        static NONE: BTreeMap<String, Type> = BTreeMap::new();
        let by_activity = self.vars.entry(wf.id.as_str()).or_insert_with(|| {
            wf.activities
                .iter()
                .map(|a| a.id.as_str())
                .zip(environments(wf))
                .map(|(id, env)| (id, env.into_iter().map(|(k, v)| (k, v.ty)).collect()))
                .collect()
        });
        by_activity.get(act).unwrap_or(&NONE)
    }

    /// A FEEL input source (`=...`) for an expression field; an untranslatable one becomes the
    /// flowcall text for a worker to evaluate, with a warning.
    fn feel_source(&mut self, wf: &'a Workflow, act: &Activity, field: &str, src: &str) -> String {
        let vars = self.vars_at(wf, &act.id);
        let translated = crate::expr::parse(src)
            .map_err(|e| feel::Untranslatable(format!("it does not parse ({})", e.message)))
            .and_then(|e| feel::translate(&e, vars));
        match translated {
            Ok(f) => format!("={f}"),
            Err(feel::Untranslatable(why)) => {
                self.warnings.push(format!(
                    "{}/{} {field}: {why}; exported as the flowcall expression text for the job worker to evaluate: {src}",
                    wf.id, act.id
                ));
                format!("={}", string_literal(src))
            }
        }
    }
}

fn text_el(w: &mut W, name: &str, text: &str) -> R {
    w.create_element(name)
        .write_text_content(BytesText::new(text))
        .map(|_| ())
}

/// Writes the inputs of a service-like element.
fn inputs<'a>(w: &mut W, ctx: &mut Ctx<'a>, wf: &'a Workflow, act: &Activity) -> R {
    let mut list: Vec<(String, String)> = Vec::new();
    match &act.kind {
        ActivityKind::UpdateData(u) => {
            list.push((
                "operation".into(),
                format!("={}", string_literal(&format!("{:?}", u.operation))),
            ));
        }
        ActivityKind::EmailDelivery(e) => {
            for (target, src) in [("label", &e.label), ("template", &e.template)] {
                if !src.trim().is_empty() {
                    let s = ctx.feel_source(wf, act, target, src);
                    list.push((target.into(), s));
                }
            }
            if !e.parameters.is_empty() {
                let mut entries = Vec::new();
                for p in &e.parameters {
                    let s =
                        ctx.feel_source(wf, act, &format!("parameter {}", p.name), &p.expression);
                    entries.push(format!(
                        "{}: {}",
                        string_literal(&p.name),
                        s.trim_start_matches('=')
                    ));
                }
                list.push((
                    "deliveryParameters".into(),
                    format!("={{{}}}", entries.join(", ")),
                ));
            }
        }
        ActivityKind::End(EndSettings { trigger: Some(t) }) => {
            for p in &t.parameters {
                let s = ctx.feel_source(wf, act, &format!("parameter {}", p.name), &p.expression);
                list.push((p.name.clone(), s));
            }
        }
        kind => {
            for (field, src) in kind.expression_fields() {
                if !src.trim().is_empty() {
                    let key = match field {
                        crate::model::FieldRef::SegmentCode => "segmentCode".to_owned(),
                        f => f.key(),
                    };
                    let s = ctx.feel_source(wf, act, &key, src);
                    list.push((key, s));
                }
            }
        }
    }
    if list.is_empty() {
        return Ok(());
    }
    io_mapping(w, "zeebe:input", &list)
}

/// A `zeebe:ioMapping` of `(target, source)` pairs as `tag` elements (inputs or outputs).
fn io_mapping(w: &mut W, tag: &str, list: &[(String, String)]) -> R {
    w.create_element("zeebe:ioMapping")
        .write_inner_content(|w| {
            for (target, source) in list {
                w.create_element(tag)
                    .with_attribute(("source", source.as_str()))
                    .with_attribute(("target", target.as_str()))
                    .write_empty()?;
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
    fn new(wf: &'a Workflow) -> Self {
        let mut flows = Flows {
            list: Vec::with_capacity(wf.transitions.len()),
            leaving: BTreeMap::new(),
            entering: BTreeMap::new(),
        };
        for (i, t) in wf.transitions.iter().enumerate() {
            flows
                .list
                .push((xml_id(&["Flow", &wf.id, &(i + 1).to_string()]), t));
            flows.leaving.entry(t.from.as_str()).or_default().push(i);
            flows.entering.entry(t.to.as_str()).or_default().push(i);
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
    fn into(&self, act: &str) -> impl Iterator<Item = &(String, &'a crate::model::Transition)> {
        self.entering
            .get(act)
            .into_iter()
            .flatten()
            .filter_map(|i| self.list.get(*i))
    }
}

fn flow_refs(w: &mut W, flows: &Flows<'_>, act: &str) -> R {
    for (id, _) in flows.into(act) {
        text_el(w, "bpmn:incoming", id)?;
    }
    for (id, _) in flows.out_of(act) {
        text_el(w, "bpmn:outgoing", id)?;
    }
    Ok(())
}

fn node<'a>(
    w: &mut W,
    ctx: &mut Ctx<'a>,
    wf: &'a Workflow,
    act: &Activity,
    flows: &Flows<'a>,
) -> R {
    let id = node_id(wf, &act.id);
    let name = act.display_name().to_owned();
    let (tag, extra): (&str, Option<(&str, String)>) = match &act.kind {
        ActivityKind::Start | ActivityKind::ExternalSignal(_) => ("bpmn:startEvent", None),
        ActivityKind::End(_) => ("bpmn:endEvent", None),
        ActivityKind::Test(_) => {
            let default = flows
                .out_of(&act.id)
                .find(|(_, t)| t.port == Port::Default)
                .map(|(fid, _)| fid.clone());
            ("bpmn:exclusiveGateway", default.map(|d| ("default", d)))
        }
        ActivityKind::Fork(_) | ActivityKind::AndJoin => ("bpmn:parallelGateway", None),
        ActivityKind::Wait(_) => ("bpmn:intermediateCatchEvent", None),
        _ => ("bpmn:serviceTask", None),
    };
    let mut el = w
        .create_element(tag)
        .with_attribute(("id", id.as_str()))
        .with_attribute(("name", name.as_str()));
    if let Some((k, v)) = &extra {
        el = el.with_attribute((*k, v.as_str()));
    }
    el.write_inner_content(|w| {
        let job = task_type(&act.kind);
        let outputs = act.kind.signal().map(|c| {
            c.parameters
                .iter()
                .map(|p| {
                    let n = p.name.as_str();
                    let src = match &p.default {
                        Some(d) => format!("=if {n} != null then {n} else {}", feel_default(d)),
                        None => format!("={n}"),
                    };
                    (n.to_owned(), src)
                })
                .collect::<Vec<_>>()
        });
        let has_ext = job.is_some() || outputs.as_ref().is_some_and(|o| !o.is_empty());
        if has_ext {
            w.create_element("bpmn:extensionElements")
                .write_inner_content(|w| {
                    if let Some(job) = job {
                        w.create_element("zeebe:taskDefinition")
                            .with_attribute(("type", job))
                            .write_empty()?;
                        inputs(w, ctx, wf, act)?;
                    }
                    if let Some(outputs) = &outputs
                        && !outputs.is_empty()
                    {
                        io_mapping(w, "zeebe:output", outputs)?;
                    }
                    Ok(())
                })?;
        }
        flow_refs(w, flows, &act.id)?;
        match &act.kind {
            ActivityKind::ExternalSignal(_) => {
                w.create_element("bpmn:messageEventDefinition")
                    .with_attribute(("id", xml_id(&[&id, "def"]).as_str()))
                    .with_attribute(("messageRef", message_id(&wf.id, &act.id).as_str()))
                    .write_empty()?;
            }
            ActivityKind::End(EndSettings { trigger: Some(t) }) => {
                w.create_element("bpmn:messageEventDefinition")
                    .with_attribute(("id", xml_id(&[&id, "def"]).as_str()))
                    .with_attribute(("messageRef", message_id(&t.workflow, &t.signal).as_str()))
                    .write_empty()?;
            }
            ActivityKind::Wait(wait) => {
                w.create_element("bpmn:timerEventDefinition")
                    .with_attribute(("id", xml_id(&[&id, "def"]).as_str()))
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
    })?;
    Ok(())
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

fn layout(design: &Design) -> Layout {
    let mut bounds = BTreeMap::new();
    let mut pools = Vec::new();
    let mut top = 80.0f32;
    for wf in &design.workflows {
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
        for act in &wf.activities {
            let (w, h) = size(&act.kind);
            // Center every element on the same row height as a task, so small shapes line up.
            let x = left + (act.position.x - min_x).round();
            let y = top + 60.0 + (act.position.y - min_y).round() + (80.0 - h) / 2.0;
            right = right.max(x + w + 80.0);
            bottom = bottom.max(y + h + 60.0);
            bounds.insert(node_id(wf, &act.id), (x, y, w, h));
        }
        pools.push((160.0, top, right - 160.0, bottom - top));
        top = bottom + 40.0;
    }
    Layout { bounds, pools }
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
    let lay = layout(design);
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
            .write_inner_content(|w| write_body(w, &mut ctx, &lay))?;
        Ok(())
    })();
    result?;
    // quick-xml writes the UTF-8 of the strings it is given: the bytes are UTF-8.
    let mut text = String::from_utf8(w.into_inner().into_inner())
        .map_err(|e| ExportError::Xml(std::io::Error::other(e)))?;
    text.push('\n');
    let text = xml_safe(text, design, &mut ctx.warnings);
    Ok(Export {
        text,
        warnings: ctx.warnings,
    })
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
        places.join(", ")
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

fn write_body<'a>(w: &mut W, ctx: &mut Ctx<'a>, lay: &Layout) -> R {
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
    // Every message a signal listens to or an End publishes, once, sorted.
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
        // Thrown messages need a subscription with a correlation key (Camunda 8); a message
        // start event ignores it, and the publishing worker chooses the key it sends.
        w.create_element("bpmn:message")
            .with_attribute(("id", id.as_str()))
            .with_attribute(("name", name.as_str()))
            .write_inner_content(|w| {
                w.create_element("bpmn:extensionElements")
                    .write_inner_content(|w| {
                        w.create_element("zeebe:subscription")
                            .with_attribute((
                                "correlationKey",
                                format!("={}", string_literal(name)).as_str(),
                            ))
                            .write_empty()?;
                        Ok(())
                    })?;
                Ok(())
            })?;
    }
    for wf in &design.workflows {
        let flows = Flows::new(wf);
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
                for act in &wf.activities {
                    node(w, ctx, wf, act, &flows)?;
                }
                for (id, t) in &flows.list {
                    let from = by_id.get(t.from.as_str()).copied();
                    let condition = match (from.map(|a| &a.kind), &t.port) {
                        (Some(ActivityKind::Test(test)), Port::Condition(c)) => {
                            test.conditions.iter().find(|x| &x.id == c)
                        }
                        _ => None,
                    };
                    let name = match (&t.port, condition) {
                        (_, Some(c)) if !c.label.is_empty() => c.label.clone(),
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
                        .with_attribute(("targetRef", node_id(wf, &t.to).as_str()));
                    match (condition, from) {
                        (Some(c), Some(act)) => {
                            let source = ctx.feel_source(
                                wf,
                                act,
                                &format!("condition {}", c.id),
                                &c.expression,
                            );
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
                Ok(())
            })?;
    }
    w.create_element("bpmndi:BPMNDiagram")
        .with_attribute(("id", "BPMNDiagram_flowcall"))
        .write_inner_content(|w| {
            w.create_element("bpmndi:BPMNPlane")
                .with_attribute(("id", "BPMNPlane_flowcall"))
                .with_attribute(("bpmnElement", "Collaboration_flowcall"))
                .write_inner_content(|w| {
                    for (i, wf) in design.workflows.iter().enumerate() {
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
                        for act in &wf.activities {
                            let id = node_id(wf, &act.id);
                            let b = lay
                                .bounds
                                .get(&id)
                                .copied()
                                .unwrap_or((0.0, 0.0, 100.0, 80.0));
                            let mut shape = w
                                .create_element("bpmndi:BPMNShape")
                                .with_attribute(("id", xml_id(&[&id, "di"]).as_str()))
                                .with_attribute(("bpmnElement", id.as_str()));
                            if matches!(act.kind, ActivityKind::Test(_)) {
                                shape = shape.with_attribute(("isMarkerVisible", "true"));
                            }
                            shape.write_inner_content(|w| bounds_el(w, b))?;
                        }
                        for (j, t) in wf.transitions.iter().enumerate() {
                            let fid = xml_id(&["Flow", &wf.id, &(j + 1).to_string()]);
                            let s = lay
                                .bounds
                                .get(&node_id(wf, &t.from))
                                .copied()
                                .unwrap_or_default();
                            let d = lay
                                .bounds
                                .get(&node_id(wf, &t.to))
                                .copied()
                                .unwrap_or_default();
                            let (sx, sy) = (s.0 + s.2, s.1 + s.3 / 2.0);
                            let (dx, dy) = (d.0, d.1 + d.3 / 2.0);
                            w.create_element("bpmndi:BPMNEdge")
                                .with_attribute(("id", xml_id(&[&fid, "di"]).as_str()))
                                .with_attribute(("bpmnElement", fid.as_str()))
                                .write_inner_content(|w| {
                                    let mut points = vec![(sx, sy)];
                                    if (sy - dy).abs() > 0.5 {
                                        let mid = sx + ((dx - sx) / 2.0).max(20.0);
                                        points.push((mid, sy));
                                        points.push((mid, dy));
                                    }
                                    points.push((dx, dy));
                                    for (x, y) in points {
                                        w.create_element("di:waypoint")
                                            .with_attribute(("x", fmt(x).as_str()))
                                            .with_attribute(("y", fmt(y).as_str()))
                                            .write_empty()?;
                                    }
                                    Ok(())
                                })?;
                        }
                    }
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}
