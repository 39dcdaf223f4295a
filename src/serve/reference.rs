//! The reference's own REST paths (docs/API.md): an integration written for Adobe Campaign
//! Standard, with its base URL changed to `flowcall serve`, runs unchanged.
//!
//! - `GET /{organization}/campaign/workflow/execution/{workflow}`: the workflow as the
//!   reference answers it ([`workflow_json`]): `PKey`, id, label, state and
//!   `activities.activity.{name}` for every activity; each External signal carries
//!   `trigger.href`, an absolute URL under the base the request came in on.
//! - `POST` on that `href` (with or without a trailing slash): the trigger, checked and run as
//!   on flowcall's own path.
//! - `POST /{organization}/campaign/workflow/execution/{workflow}/commands`.
//!
//! Any organization segment is accepted. What a call does is the same as on flowcall's own
//! paths ([`super::handlers`]); only the answers differ ([`super::answer`]).

// Helpers return the refusal to give as their error: built once per request, never moved far.
#![allow(clippy::result_large_err)]

use super::answer::answer;
use super::handlers::{
    Accepted, AppState, bad_path, command_core, read_workflow, request_base, trigger_core,
};
use super::snippet::{reference_trigger_url, reference_workflow_url};
use crate::model::{Activity, KindTag, SignalContract, Workflow};
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value as Json, json};

/// The `state` of a workflow answer, and the rest of its life cycle (see
/// [`super::handlers::life_cycle`]).
type Life = Map<String, Json>;

/// The reference's paths.
pub(super) fn routes() -> Router<AppState> {
    const WORKFLOW: &str = "/{organization}/campaign/workflow/execution/{workflow}";
    const TRIGGER: &str = "/{organization}/campaign/workflow/execution/{workflow}/activities/activity/{signal}/trigger";
    Router::new()
        .route(WORKFLOW, get(workflow))
        .route(TRIGGER, post(trigger))
        .route(&format!("{TRIGGER}/"), post(trigger))
        .route(&format!("{WORKFLOW}/commands"), post(command))
}

/// The reference's name for a kind of activity: `signal` for an External signal (the
/// reference's resource `xtk:workflow:execution/activities/signal/trigger`), flowcall's kind
/// in lower camel case for the others.
fn activity_type(tag: KindTag) -> &'static str {
    match tag {
        KindTag::Start => "start",
        KindTag::ExternalSignal => "signal",
        KindTag::Query => "query",
        KindTag::ReadAudience => "readAudience",
        KindTag::SaveAudience => "saveAudience",
        KindTag::TransferFile => "transferFile",
        KindTag::LoadFile => "loadFile",
        KindTag::UpdateData => "updateData",
        KindTag::Test => "test",
        KindTag::Fork => "fork",
        KindTag::AndJoin => "andJoin",
        KindTag::Wait => "wait",
        KindTag::EmailDelivery => "emailDelivery",
        KindTag::End => "end",
    }
}

/// A signal's parameters as the reference's workflow answer lists them: name and data type,
/// and flowcall's required flag, default, allowed values and description.
fn parameters_json(contract: &SignalContract) -> Json {
    let list: Vec<Json> = contract
        .parameters
        .iter()
        .map(|p| {
            let mut m = Map::new();
            m.insert("name".into(), json!(p.name));
            m.insert("type".into(), json!(p.ty.name().to_ascii_lowercase()));
            m.insert("required".into(), json!(p.required));
            if let Some(d) = &p.default {
                m.insert("default".into(), d.to_json());
            }
            if !p.allowed.is_empty() {
                let allowed: Vec<Json> = p.allowed.iter().map(|v| v.to_json()).collect();
                m.insert("allowed".into(), Json::Array(allowed));
            }
            if !p.description.is_empty() {
                m.insert("description".into(), json!(p.description));
            }
            Json::Object(m)
        })
        .collect();
    Json::Array(list)
}

/// One activity as the reference's workflow answer shows it.
fn activity_json(base: &str, organization: &str, wf: &Workflow, a: &Activity) -> Json {
    let mut m = Map::new();
    m.insert("name".into(), json!(a.id));
    m.insert("type".into(), json!(activity_type(a.kind.tag())));
    m.insert("label".into(), json!(a.label));
    if let Some(contract) = a.kind.signal() {
        m.insert("parameters".into(), parameters_json(contract));
        m.insert(
            "trigger".into(),
            json!({"href": reference_trigger_url(base, organization, &wf.id, &a.id)}),
        );
    }
    Json::Object(m)
}

/// `workflow` as the reference's `GET .../workflow/execution/{workflow}` answers it, with its
/// hrefs under `base` and `organization`: `PKey` (the workflow id: flowcall has no database
/// keys), `id`, `label`, `state` and `queued` (flowcall's, with the rest of the life cycle:
/// `status`, `commands`, `suspended` and `held` when there are), `href`, and
/// `activities.activity.{name}` for every activity in design order.
fn workflow_json(
    base: &str,
    organization: &str,
    wf: &Workflow,
    life: &Life,
    queued: usize,
) -> Json {
    let activities: Map<String, Json> = wf
        .activities
        .iter()
        .map(|a| (a.id.clone(), activity_json(base, organization, wf, a)))
        .collect();
    let mut m = Map::new();
    m.insert("PKey".into(), json!(wf.id));
    m.insert("id".into(), json!(wf.id));
    m.insert("label".into(), json!(wf.label));
    m.extend(life.clone());
    m.insert("queued".into(), json!(queued));
    m.insert(
        "href".into(),
        json!(reference_workflow_url(base, organization, &wf.id)),
    );
    m.insert("activities".into(), json!({"activity": activities}));
    Json::Object(m)
}

async fn workflow(
    State(st): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let (organization, workflow) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e).reference(),
    };
    let view = match read_workflow(&st, workflow).await {
        Ok(v) => v,
        Err(r) => return r.reference(),
    };
    let Some(wf) = view.prepared.design.workflows.get(view.index) else {
        return super::answer::Refusal::request(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the workflow vanished",
        )
        .reference();
    };
    let base = request_base(&st, &headers);
    answer(
        StatusCode::OK,
        &workflow_json(&base, &organization, wf, &view.life, view.queued),
    )
}

async fn trigger(
    State(st): State<AppState>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    req: Request,
) -> Response {
    let (_, workflow, signal) = match path {
        Ok(Path(p)) => p,
        Err(e) => return bad_path(&e).reference(),
    };
    let base = request_base(&st, req.headers());
    match trigger_core(&st, workflow, signal, req).await {
        Ok(Accepted::Started(id)) => answer(
            StatusCode::ACCEPTED,
            &json!({"run": id, "queued": false, "href": format!("{base}/runs/{id}")}),
        ),
        Ok(Accepted::Queued) => answer(StatusCode::ACCEPTED, &json!({"queued": true})),
        Err(r) => r.reference(),
    }
}

async fn command(
    State(st): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    req: Request,
) -> Response {
    let workflow = match path {
        Ok(Path((_, w))) => w,
        Err(e) => return bad_path(&e).reference(),
    };
    match command_core(&st, workflow, req).await {
        Ok(life) => answer(StatusCode::OK, &Json::Object(life)),
        Err(r) => r.reference(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::serve::answer::is_reference_path;

    #[test]
    fn reference_paths_are_told_by_their_second_segment() {
        assert!(is_reference_path("/ORG/campaign/workflow/execution/W"));
        assert!(is_reference_path("/runs/campaign/x"));
        assert!(is_reference_path("/o/campaign"));
        assert!(!is_reference_path("/workflow/execution/W"));
        assert!(!is_reference_path("//campaign/workflow"));
        assert!(!is_reference_path("/stats"));
        assert!(!is_reference_path(""));
    }

    #[test]
    fn every_kind_has_a_type_and_the_signal_its_reference_name() {
        let names: std::collections::BTreeSet<&str> =
            KindTag::ALL.iter().map(|t| activity_type(*t)).collect();
        assert_eq!(names.len(), KindTag::ALL.len());
        assert_eq!(activity_type(KindTag::ExternalSignal), "signal");
    }

    #[test]
    fn the_workflow_answer_lists_every_activity_and_the_signals_hrefs() {
        let design = crate::io::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples/cms-newsletter.flow.ron"),
        )
        .unwrap();
        let wf = design.workflows.first().unwrap();
        let mut life = Life::new();
        life.insert("state".into(), json!("started"));
        let j = workflow_json("https://cms.test", "my org", wf, &life, 0);
        assert_eq!(j["state"], "started");
        assert_eq!(j["PKey"], "NEWSLETTER");
        let activities = j["activities"]["activity"].as_object().unwrap();
        assert_eq!(activities.len(), wf.activities.len());
        let signal = &activities["signal1"];
        assert_eq!(signal["type"], "signal");
        assert_eq!(
            signal["trigger"]["href"],
            "https://cms.test/my%20org/campaign/workflow/execution/NEWSLETTER/activities/activity/signal1/trigger"
        );
        assert_eq!(signal["parameters"][0]["name"], "audience");
        assert_eq!(signal["parameters"][0]["type"], "string");
        assert!(activities["email1"].get("trigger").is_none());
    }
}
