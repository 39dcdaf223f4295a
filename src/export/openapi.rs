//! OpenAPI 3.1 document for the trigger endpoints of `flowcall serve` (README.md, docs/API.md),
//! in both of its dialects.
//!
//! flowcall's own paths: one trigger path per signal with its payload schema, the workflow
//! state and command endpoints, runs and counters, bearer security, and every response (202
//! accepted or queued, 400 problem list, 401, 404, 408 body too slow, 409 not started, 410 run
//! dropped, 413 too large, 429 cooldown with `Retry-After`).
//!
//! The reference's paths (Adobe Campaign Standard's REST API): per workflow, its `GET`, the
//! trigger path of each signal with the same payload schema, and its commands, under a server
//! `http://127.0.0.1:8640/{organization}` whose `organization` variable is the reference's
//! tenant segment (path keys start with `/campaign`, as the reference's URLs continue), so a
//! client generated from the document calls the URLs an integration written for the reference
//! calls. Their answers are in the reference's form (`{"code", "message", "errors"}`, the
//! cooldown as plain text) and they accept `X-Api-Key` beside the bearer token.
//!
//! Every path is percent-encoded the way the trigger URL is (`curl::trigger_path`): ids with
//! `/`, `{` or other reserved characters keep the document valid. Each trigger operation and
//! its payload schema carry `x-flowcall-contract`, the digest of the signal's canonical
//! contract.

use super::curl::{path_segment, trigger_path};
use super::schema::{DRAFT_2020_12, payload_schema};
use crate::model::{Activity, Design, SignalContract, Workflow, contract_hash};
use serde_json::{Map, Value as Json, json};

/// The first line of the reference's error texts, as `flowcall serve` writes them.
pub const REFERENCE_ERROR_LINE: &str =
    "RST-360011 An error has occurred - please contact your administrator.";

/// What the reference's text adds after an undeclared parameter (its docs, "Triggering a signal
/// activity"), as `flowcall serve` writes it.
pub const REFERENCE_HANDLE_TRIGGER: &str = "XTK-170006 Unable to parse expression 'HandleTrigger(@name, $(source), $({parameters}))'.\nRST-360000 Error while assessing 'HandleTrigger(@name, $(source), $({parameters}))' expression ('xtk:workflow:execution/activities/signal/trigger' resource)";

/// The address `flowcall serve` listens on by default.
const SERVER: &str = "http://127.0.0.1:8640";

fn error_response(description: &str, example: Json) -> Json {
    json!({
        "description": description,
        "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Problems"},
            "example": example,
        }},
    })
}

/// `{"errors": [{"parameter": null, "message": ...}]}`.
fn one_problem(message: &str) -> Json {
    json!({"errors": [{"parameter": null, "message": message}]})
}

/// A refusal on the reference's paths: its text is [`REFERENCE_ERROR_LINE`] then `detail`.
fn reference_error(description: &str, status: u16, detail: &str, errors: Json) -> Json {
    json!({
        "description": description,
        "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ReferenceProblems"},
            "example": {
                "code": status,
                "message": format!("{REFERENCE_ERROR_LINE}\n{detail}"),
                "errors": errors,
            },
        }},
    })
}

/// The same with one problem of the request as a whole, written as `detail`.
fn reference_problem(description: &str, status: u16, detail: &str) -> Json {
    reference_error(
        description,
        status,
        detail,
        json!([{"parameter": null, "message": detail}]),
    )
}

/// Path `/workflow/execution/{workflow}`, the id percent-encoded.
fn workflow_path(workflow: &str) -> String {
    format!("/workflow/execution/{}", path_segment(workflow))
}

/// A component name for `text`: only letters, digits and `.-_` (OpenAPI 3.1).
fn component_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The OpenAPI document for the signals chosen by `include(workflow, signal)`.
pub fn openapi(design: &Design, include: &dyn Fn(&str, &str) -> bool) -> Json {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.extend(native_schemas());
    for wf in &design.workflows {
        let signals: Vec<(&Activity, &SignalContract)> = wf
            .signals()
            .filter(|(a, _)| include(&wf.id, &a.id))
            .collect();
        if signals.is_empty() {
            continue;
        }
        for (act, contract) in &signals {
            let name = component_name(&format!("{}_{}_payload", wf.id, act.id));
            let mut schema = payload_schema(&wf.id, &act.id, contract);
            if let Some(obj) = schema.as_object_mut() {
                obj.remove("$schema");
                obj.remove("$id");
            }
            schemas.insert(name.clone(), schema);
            paths.insert(
                trigger_path(&wf.id, &act.id),
                native_trigger(wf, act, contract, &name),
            );
        }
        paths.insert(workflow_path(&wf.id), native_workflow(wf));
        paths.insert(
            format!("{}/commands", workflow_path(&wf.id)),
            native_commands(wf),
        );
        paths.insert(
            format!("/campaign{}", workflow_path(&wf.id)),
            reference_workflow(wf),
        );
        for (act, contract) in &signals {
            let name = component_name(&format!("{}_{}_payload", wf.id, act.id));
            paths.insert(
                format!("/campaign{}", trigger_path(&wf.id, &act.id)),
                reference_trigger(wf, act, contract, &name),
            );
        }
        paths.insert(
            format!("/campaign{}/commands", workflow_path(&wf.id)),
            reference_commands(wf),
        );
    }
    if !paths.is_empty() {
        paths.insert("/runs/{id}".into(), runs_path());
        paths.insert("/stats".into(), stats_path());
        schemas.extend(reference_schemas());
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": DRAFT_2020_12,
        "info": {
            "title": "flowcall trigger endpoints",
            "version": "1.0.0",
            "description": "Endpoints that trigger the External signals of a flowcall design, as served by `flowcall serve`: flowcall's own paths, and the paths of Adobe Campaign Standard's REST API (under the server with an `organization` variable) that an integration written for it calls.",
        },
        "servers": [{"url": SERVER, "description": "flowcall serve (default address)"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key", "description": "Sent by Campaign Standard clients; flowcall serve checks it on the reference's paths only when started with --api-key."},
            },
        },
    })
}

/// The schemas of flowcall's own answers.
fn native_schemas() -> Map<String, Json> {
    let mut schemas = Map::new();
    schemas.insert(
        "Problems".into(),
        json!({
            "type": "object",
            "description": "Why a call was refused: every problem, each naming its parameter when it concerns one.",
            "properties": {
                "errors": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "parameter": {"type": ["string", "null"]},
                        "message": {"type": "string"},
                    },
                    "required": ["parameter", "message"],
                }},
            },
            "required": ["errors"],
        }),
    );
    schemas.insert(
        "Accepted".into(),
        json!({
            "type": "object",
            "properties": {
                "run": {"type": "integer", "description": "The id of the run started (GET /runs/{id})."},
                "queued": {"type": "boolean", "description": "True when the workflow is paused: the trigger is delivered on resume."},
            },
            "required": ["queued"],
        }),
    );
    schemas
}

/// The 401 and the 404 of a trigger of `w`'s `s` on flowcall's own paths.
fn native_common(w: &str, s: &str) -> Map<String, Json> {
    let mut m = Map::new();
    m.insert(
        "401".into(),
        error_response(
            "Missing or wrong bearer token.",
            one_problem("a valid bearer token is required"),
        ),
    );
    m.insert(
        "404".into(),
        error_response(
            "Unknown workflow or signal.",
            one_problem(&format!("workflow '{w}' has no signal '{s}'")),
        ),
    );
    m
}

/// The summary of a signal's trigger operation.
fn trigger_summary(wf: &Workflow, act: &Activity) -> String {
    if act.label.is_empty() {
        format!("Trigger signal {} of workflow {}", act.id, wf.id)
    } else {
        format!("Trigger '{}' ({}/{})", act.label, wf.id, act.id)
    }
}

/// `POST` on flowcall's own trigger path of `act`, its payload schema the component `name`.
fn native_trigger(wf: &Workflow, act: &Activity, contract: &SignalContract, name: &str) -> Json {
    let mut responses = Map::new();
    responses.insert(
        "202".into(),
        json!({
            "description": "Accepted: a run started, or the trigger was queued because the workflow is paused.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}, "example": {"run": 1, "queued": false}}},
        }),
    );
    responses.insert(
        "400".into(),
        error_response(
            "The payload was rejected: malformed JSON (with line and column) or every problem of its parameters.",
            json!({"errors": [{"parameter": "contentURL", "message": format!("'contentURL' is not declared by signal '{}' of workflow '{}'", act.id, wf.id)}]}),
        ),
    );
    responses.extend(native_common(&wf.id, &act.id));
    responses.insert(
        "409".into(),
        error_response(
            "The workflow is not started, or is stopped.",
            one_problem(&format!("workflow '{}' is not started", wf.id)),
        ),
    );
    responses.insert(
        "408".into(),
        error_response(
            "The request body did not arrive in time (10 seconds).",
            one_problem("the request body did not arrive within 10 seconds"),
        ),
    );
    responses.insert(
        "413".into(),
        error_response(
            "The payload is over 64 KiB.",
            one_problem("the payload is 70000 bytes; the limit is 65536 bytes (64 KiB)"),
        ),
    );
    let mut too_soon = error_response(
        "The signal was triggered less than the cooldown ago.",
        one_problem("too soon: next allowed at 2025-01-06 09:10:00.000Z"),
    );
    too_soon["headers"] = retry_after();
    responses.insert("429".into(), too_soon);
    json!({"post": {
        "operationId": format!("trigger_{}_{}", wf.id, act.id),
        "x-flowcall-contract": contract_hash(&wf.id, &act.id, contract),
        "summary": trigger_summary(wf, act),
        "tags": [wf.id],
        "requestBody": payload_body(name),
        "responses": responses,
    }})
}

/// The `Retry-After` header of a 429.
fn retry_after() -> Json {
    json!({"Retry-After": {
        "description": "Seconds until the next trigger is allowed.",
        "schema": {"type": "integer", "minimum": 0},
    }})
}

/// A required JSON request body of the payload schema `name`.
fn payload_body(name: &str) -> Json {
    json!({
        "required": true,
        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}},
    })
}

/// The 401 and the 404 of an unknown workflow on flowcall's own paths.
fn native_workflow_errors() -> Map<String, Json> {
    let mut m = native_common("", "");
    m.insert(
        "404".into(),
        error_response("Unknown workflow.", one_problem("unknown workflow 'WKF9'")),
    );
    m
}

/// `GET` on flowcall's own workflow path.
fn native_workflow(wf: &Workflow) -> Json {
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "The workflow's state and each signal with its trigger URL.",
            "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "state": state_schema(),
                    "status": status_schema(),
                    "commands": commands_schema(),
                    "suspended": suspended_schema(),
                    "held": held_schema(),
                    "signals": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"},
                        "url": {"type": "string"},
                    }}},
                },
            }}},
        }),
    );
    responses.extend(native_workflow_errors());
    json!({"get": {
        "operationId": format!("get_{}", wf.id),
        "summary": format!("State and signals of workflow {}", wf.id),
        "tags": [wf.id],
        "responses": responses,
    }})
}

/// A workflow's state, as flowcall names it (docs/SIMULATOR.md, "Sessions and workflow states").
fn state_schema() -> Json {
    json!({"enum": ["not started", "started", "paused", "erroneous", "stopped"]})
}

/// A workflow's status, as the reference names it.
fn status_schema() -> Json {
    json!({
        "enum": ["Editing", "In progress", "Warning", "Erroneous", "Finished"],
        "description": "The reference's status of the state.",
    })
}

/// The commands the state allows now.
fn commands_schema() -> Json {
    json!({
        "type": "array",
        "items": {"enum": ["start", "pause", "resume", "stop", "restart", "release"]},
        "description": "The commands the workflow's state allows now (release when a branch is held).",
    })
}

/// The failed activity an erroneous workflow waits with.
fn suspended_schema() -> Json {
    json!({
        "type": "object",
        "description": "Only when erroneous: the failed activity, which resume runs again.",
        "properties": {
            "activity": {"type": "string"},
            "run": {"type": "integer"},
            "error": {"type": "string"},
            "since": {"type": "string"},
        },
    })
}

/// The branches held at activities set to "Enable but do not execute".
fn held_schema() -> Json {
    json!({
        "type": "array",
        "description": "Only when there are: the branches held at activities set to Enable but do not execute, until released.",
        "items": {"type": "object", "properties": {
            "activity": {"type": "string"},
            "run": {"type": "integer"},
            "since": {"type": "string"},
        }},
    })
}

/// The request body of a command.
fn command_body() -> Json {
    json!({"required": true, "content": {"application/json": {"schema": {
        "type": "object",
        "properties": {
            "method": {"enum": ["start", "pause", "resume", "stop", "restart", "release"]},
            "activity": {"type": "string", "description": "For release: the activity whose held branches to release."},
        },
        "required": ["method"],
        "additionalProperties": false,
    }}}})
}

/// The answer of an applied command.
fn command_done() -> Json {
    json!({"description": "The workflow's life cycle after the command, and the runs it started (queued triggers delivered on resume).", "content": {"application/json": {"schema": {
        "type": "object",
        "properties": {
            "state": state_schema(),
            "status": status_schema(),
            "commands": commands_schema(),
            "suspended": suspended_schema(),
            "held": held_schema(),
            "runs": {"type": "array", "items": {"type": "integer"}},
            "released": {"type": "integer", "description": "For release: how many branches were released."},
        },
    }}}})
}

/// `POST` on flowcall's own commands path.
fn native_commands(wf: &Workflow) -> Json {
    let mut responses = Map::new();
    responses.insert("200".into(), command_done());
    responses.insert(
        "400".into(),
        error_response(
            "Unknown method, or a release without its activity.",
            one_problem(
                "unknown method 'explode': expected start, pause, resume, stop, restart or release",
            ),
        ),
    );
    responses.insert(
        "409".into(),
        error_response(
            "A command the workflow's state does not allow, or a release of an activity that holds nothing; the message says why.",
            one_problem("cannot resume workflow 'WKF1': it is stopped (start or restart it)"),
        ),
    );
    responses.extend(native_workflow_errors());
    json!({"post": {
        "operationId": format!("command_{}", wf.id),
        "summary": format!("Start, pause, resume, stop, restart workflow {}, or release a held activity", wf.id),
        "tags": [wf.id],
        "requestBody": command_body(),
        "responses": responses,
    }})
}

/// `GET /runs/{id}`.
fn runs_path() -> Json {
    json!({"get": {
        "operationId": "get_run",
        "summary": "One run: its event variables with their origins, path, outbox, ends and chained runs",
        "parameters": [{
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The run id a 202 answer gave.",
            "schema": {"type": "integer", "minimum": 1},
        }],
        "responses": {
            "200": {"description": "The run.", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "workflow": {"type": "string"},
                    "signal": {"type": "string"},
                    "status": {"type": "string"},
                    "started_at": {"type": "string"},
                    "variables": {"type": "array", "items": {"type": "object", "properties": {
                        "name": {"type": "string"},
                        "type": {"type": "string"},
                        "value": {},
                        "origin": {"type": "string"},
                    }}},
                    "path": {"type": "array"},
                    "outbox": {"type": "array"},
                    "ends": {"type": "array"},
                    "chained": {"type": "array", "items": {"type": "integer"}},
                },
            }}}},
            "401": error_response("Missing or wrong bearer token.", one_problem("a valid bearer token is required")),
            "404": error_response("Unknown run.", one_problem("run '9' does not exist")),
            "410": error_response("The run was dropped: the server keeps only its latest runs (`flowcall serve --keep-runs`).", one_problem("run 1 was dropped: the server keeps the latest 10000 runs (flowcall serve --keep-runs N keeps more)")),
        },
    }})
}

/// `GET /stats`.
fn stats_path() -> Json {
    json!({"get": {
        "operationId": "get_stats",
        "summary": "Counters of this server session",
        "responses": {
            "200": {"description": "Requests served, triggers started, queued and rejected, runs recorded.", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "requests": {"type": "integer"},
                    "started": {"type": "integer"},
                    "queued": {"type": "integer"},
                    "rejected": {"type": "integer"},
                    "runs": {"type": "integer"},
                },
                "required": ["requests", "started", "queued", "rejected", "runs"],
            }}}},
            "401": error_response("Missing or wrong bearer token.", one_problem("a valid bearer token is required")),
        },
    }})
}

/// The schemas of the reference's answers.
fn reference_schemas() -> Map<String, Json> {
    let mut schemas = Map::new();
    schemas.insert(
        "ReferenceProblems".into(),
        json!({
            "type": "object",
            "description": "Why a call on the reference's paths was refused: the status, the reference's text (its RST-360011 line, then one line per problem) and flowcall's every problem with its parameter.",
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "errors": {"$ref": "#/components/schemas/Problems/properties/errors"},
            },
            "required": ["code", "message", "errors"],
        }),
    );
    schemas.insert(
        "ReferenceUnauthorized".into(),
        json!({
            "type": "object",
            "description": "A missing or wrong bearer token, as Adobe's gateway answers it.",
            "properties": {
                "error_code": {"const": "401013"},
                "message": {"type": "string"},
                "errors": {"$ref": "#/components/schemas/Problems/properties/errors"},
            },
            "required": ["error_code", "message", "errors"],
        }),
    );
    schemas.insert(
        "ReferenceAccepted".into(),
        json!({
            "type": "object",
            "properties": {
                "run": {"type": "integer", "description": "The id of the run started."},
                "queued": {"type": "boolean", "description": "True when the workflow is paused: the trigger is delivered on resume."},
                "href": {"type": "string", "format": "uri", "description": "The run (GET with the bearer token)."},
            },
            "required": ["queued"],
        }),
    );
    schemas.insert("ReferenceWorkflow".into(), reference_workflow_schema());
    schemas
}

/// The workflow as the reference's `GET` answers it.
fn reference_workflow_schema() -> Json {
    json!({
        "type": "object",
        "properties": {
            "PKey": {"type": "string", "description": "The workflow's key: its id."},
            "id": {"type": "string"},
            "label": {"type": "string"},
            "state": state_schema(),
            "status": status_schema(),
            "commands": commands_schema(),
            "suspended": suspended_schema(),
            "held": held_schema(),
            "queued": {"type": "integer", "description": "Triggers waiting for a resume."},
            "href": {"type": "string", "format": "uri"},
            "activities": {
                "type": "object",
                "properties": {"activity": {
                    "type": "object",
                    "description": "Every activity, keyed by its name (id).",
                    "additionalProperties": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "type": {"type": "string", "description": "signal for an External signal."},
                            "label": {"type": "string"},
                            "parameters": {"type": "array", "items": {
                                "type": "object",
                                "properties": {
                                    "name": {"type": "string"},
                                    "type": {"enum": ["string", "integer", "decimal", "boolean", "date", "datetime"]},
                                    "required": {"type": "boolean"},
                                    "default": {},
                                    "allowed": {"type": "array"},
                                    "description": {"type": "string"},
                                },
                                "required": ["name", "type", "required"],
                            }},
                            "trigger": {
                                "type": "object",
                                "properties": {"href": {"type": "string", "format": "uri"}},
                                "required": ["href"],
                            },
                        },
                        "required": ["name", "type", "label"],
                    },
                }},
                "required": ["activity"],
            },
        },
        "required": ["PKey", "id", "label", "state", "href", "activities"],
    })
}

/// The server of the reference's paths, with its `organization` variable.
fn reference_servers() -> Json {
    json!([{
        "url": format!("{SERVER}/{{organization}}"),
        "description": "flowcall serve (default address) in the reference's dialect: Adobe Campaign Standard's https://mc.adobe.io/{organization}",
        "variables": {"organization": {
            "default": "ORGANIZATION",
            "description": "The reference's organization (tenant) segment: flowcall serve accepts any value and answers hrefs under the one called.",
        }},
    }])
}

/// The security of the reference's operations: the bearer token, with or without `X-Api-Key`.
fn reference_security() -> Json {
    json!([{"bearer": [], "apiKey": []}, {"bearer": []}])
}

/// The 401, 403 and 404 of an unknown workflow on the reference's paths.
fn reference_common() -> Map<String, Json> {
    let mut m = Map::new();
    m.insert(
        "401".into(),
        json!({
            "description": "Missing or wrong bearer token.",
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ReferenceUnauthorized"},
                "example": {"error_code": "401013", "message": "Oauth token is not valid", "errors": [{"parameter": null, "message": "a valid bearer token is required (Authorization: Bearer TOKEN)"}]},
            }},
        }),
    );
    m.insert(
        "403".into(),
        reference_error(
            "Missing or wrong X-Api-Key (only when flowcall serve was started with --api-key).",
            403,
            "Api Key is invalid",
            json!([{"parameter": null, "message": "the X-Api-Key header does not match the key this server was started with (--api-key)"}]),
        ),
    );
    m.insert(
        "404".into(),
        reference_error(
            "Unknown workflow or activity, or an activity that is not an External signal.",
            404,
            UNKNOWN_WORKFLOW,
            json!([{"parameter": null, "message": "unknown workflow 'WKF9'"}]),
        ),
    );
    m
}

const UNKNOWN_WORKFLOW: &str = "Unable to find document with path 'Workflow' from key 'WKF9' (document with schema 'workflow' and name 'WKF9')";

/// `GET` on the reference's workflow path.
fn reference_workflow(wf: &Workflow) -> Json {
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "The workflow as the reference answers it: every activity, and each External signal's parameters and trigger href.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReferenceWorkflow"}}},
        }),
    );
    responses.extend(reference_common());
    json!({
        "servers": reference_servers(),
        "get": {
            "operationId": format!("reference_get_{}", wf.id),
            "summary": format!("Workflow {} as Campaign Standard answers it, with the trigger hrefs", wf.id),
            "tags": [wf.id],
            "security": reference_security(),
            "responses": responses,
        },
    })
}

/// `POST` on the reference's trigger path of `act` (its `trigger.href`).
fn reference_trigger(wf: &Workflow, act: &Activity, contract: &SignalContract, name: &str) -> Json {
    let mut responses = Map::new();
    responses.insert(
        "202".into(),
        json!({
            "description": "Accepted: a run started (its href), or the trigger was queued because the workflow is paused.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReferenceAccepted"}, "example": {"run": 1, "queued": false, "href": format!("{SERVER}/runs/1")}}},
        }),
    );
    responses.insert(
        "400".into(),
        reference_error(
            "The payload was rejected: an undeclared parameter in the reference's words, and every other problem.",
            400,
            &format!("'contentURL' parameter isn't defined in signal activity.\n{REFERENCE_HANDLE_TRIGGER}"),
            json!([{"parameter": "contentURL", "message": format!("'contentURL' is not declared by signal '{}' of workflow '{}'", act.id, wf.id)}]),
        ),
    );
    responses.extend(reference_common());
    responses.insert(
        "408".into(),
        reference_problem(
            "The request body did not arrive in time (10 seconds).",
            408,
            "the request body did not arrive within 10 seconds",
        ),
    );
    responses.insert(
        "409".into(),
        reference_problem(
            "The workflow is not started, or is stopped: the reference requires it to be running.",
            409,
            &format!(
                "workflow '{}' is not started: start it before triggering",
                wf.id
            ),
        ),
    );
    responses.insert(
        "413".into(),
        reference_problem(
            "The payload is over 64 KiB.",
            413,
            "the payload is 70000 bytes; the limit is 65536 bytes (64 KiB)",
        ),
    );
    responses.insert(
        "429".into(),
        json!({
            "description": "The signal was triggered less than the cooldown ago: plain text, as the reference's refusal is.",
            "headers": retry_after(),
            "content": {"text/plain": {
                "schema": {"type": "string"},
                "example": "too soon: next allowed at 2025-01-06 09:10:00.000Z\nExternal signal activities cannot be triggered more often than the trigger cooldown allows: retry in 600 seconds.\n",
            }},
        }),
    );
    json!({
        "servers": reference_servers(),
        "post": {
            "operationId": format!("reference_trigger_{}_{}", wf.id, act.id),
            "x-flowcall-contract": contract_hash(&wf.id, &act.id, contract),
            "summary": format!("{} on Campaign Standard's trigger href", trigger_summary(wf, act)),
            "tags": [wf.id],
            "security": reference_security(),
            "requestBody": payload_body(name),
            "responses": responses,
        },
    })
}

/// `POST` on the reference's commands path.
fn reference_commands(wf: &Workflow) -> Json {
    let mut responses = Map::new();
    responses.insert("200".into(), command_done());
    responses.insert(
        "400".into(),
        reference_problem(
            "Unknown method, or a release without its activity.",
            400,
            "unknown method 'explode': expected start, pause, resume, stop, restart or release",
        ),
    );
    responses.insert(
        "409".into(),
        reference_problem(
            "A command the workflow's state does not allow, or a release of an activity that holds nothing; the message says why.",
            409,
            "cannot resume workflow 'WKF1': it is stopped (start or restart it)",
        ),
    );
    responses.extend(reference_common());
    json!({
        "servers": reference_servers(),
        "post": {
            "operationId": format!("reference_command_{}", wf.id),
            "summary": format!("Start, pause, resume, stop, restart workflow {}, or release a held activity (Campaign Standard's commands)", wf.id),
            "tags": [wf.id],
            "security": reference_security(),
            "requestBody": command_body(),
            "responses": responses,
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::{ActivityKind, KindTag, Parameter, Type};

    /// A design whose ids hold reserved characters: `/`, braces, a space, `%`, `?` and `#`.
    fn hostile_ids() -> Design {
        let mut d = Design::default();
        for id in ["A/B", "{wf}", "x y%?#"] {
            let mut w = Workflow::new(id, "hostile");
            let mut a = Activity::new("{signal}/1", "Signal", KindTag::ExternalSignal);
            if let ActivityKind::ExternalSignal(c) = &mut a.kind {
                c.parameters.push(Parameter::new("p", Type::String));
            }
            w.activities.push(a);
            d.workflows.push(w);
        }
        d
    }

    #[test]
    fn regression_every_path_is_percent_encoded_like_the_trigger_path() {
        let doc = openapi(&hostile_ids(), &|_, _| true);
        let paths = doc["paths"].as_object().unwrap();
        assert_eq!(paths.len(), 3 * 6 + 2);
        for key in paths.keys() {
            // Only unreserved characters and escapes in each segment; the one template is {id}.
            let ok = key == "/runs/{id}"
                || key.split('/').skip(1).all(|seg| {
                    !seg.is_empty()
                        && seg.bytes().all(|b| {
                            b.is_ascii_alphanumeric()
                                || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%')
                        })
                });
            assert!(ok, "{key}");
        }
        for key in [
            "/workflow/execution/A%2FB",
            "/workflow/execution/%7Bwf%7D/commands",
            "/workflow/execution/x%20y%25%3F%23/activities/activity/%7Bsignal%7D%2F1/trigger",
            "/campaign/workflow/execution/A%2FB",
            "/campaign/workflow/execution/%7Bwf%7D/activities/activity/%7Bsignal%7D%2F1/trigger",
            "/campaign/workflow/execution/x%20y%25%3F%23/commands",
        ] {
            assert!(paths.contains_key(key), "{key} missing: {:?}", paths.keys());
        }
    }

    #[test]
    fn the_reference_paths_sit_under_a_server_with_an_organization_variable() {
        let doc = openapi(&hostile_ids(), &|w, _| w == "A/B");
        let item = &doc["paths"]["/campaign/workflow/execution/A%2FB/activities/activity/%7Bsignal%7D%2F1/trigger"];
        assert_eq!(
            item["servers"][0]["url"],
            "http://127.0.0.1:8640/{organization}"
        );
        assert_eq!(
            item["servers"][0]["variables"]["organization"]["default"],
            "ORGANIZATION"
        );
        let native =
            &doc["paths"]["/workflow/execution/A%2FB/activities/activity/%7Bsignal%7D%2F1/trigger"];
        assert_eq!(
            item["post"]["requestBody"], native["post"]["requestBody"],
            "both dialects take the same payload schema"
        );
        assert_eq!(
            item["post"]["x-flowcall-contract"],
            native["post"]["x-flowcall-contract"]
        );
        assert_eq!(
            item["post"]["responses"]["429"]["content"]["text/plain"]["schema"]["type"],
            "string"
        );
        assert_eq!(doc["paths"].as_object().unwrap().len(), 6 + 2);
    }
}
