//! OpenAPI 3.1 document for the trigger endpoints of `flowcall serve` (README.md): one trigger path
//! per signal with its payload schema, the workflow state and command endpoints, bearer security,
//! and every response (202 accepted or queued, 400 problem list, 401, 404, 408 body too slow, 409
//! not started, 410 run dropped, 413 too large, 429 cooldown with `Retry-After`). Each trigger
//! operation and its payload schema carry `x-flowcall-contract`, the digest of the signal's
//! canonical contract.

use super::schema::{DRAFT_2020_12, payload_schema};
use crate::model::{Design, contract_hash};
use serde_json::{Map, Value as Json, json};

fn error_response(description: &str, example: Json) -> Json {
    json!({
        "description": description,
        "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Problems"},
            "example": example,
        }},
    })
}

/// The OpenAPI document for the signals chosen by `include(workflow, signal)`.
pub fn openapi(design: &Design, include: &dyn Fn(&str, &str) -> bool) -> Json {
    let mut paths = Map::new();
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
    let responses_common = |w: &str, s: &str| {
        json!({
            "401": error_response("Missing or wrong bearer token.", json!({"errors": [{"parameter": null, "message": "a valid bearer token is required"}]})),
            "404": error_response("Unknown workflow or signal.", json!({"errors": [{"parameter": null, "message": format!("workflow '{w}' has no signal '{s}'")}]})),
        })
    };
    for wf in &design.workflows {
        let mut any = false;
        for (act, contract) in wf.signals() {
            if !include(&wf.id, &act.id) {
                continue;
            }
            any = true;
            // Component names may only hold letters, digits and `.-_` (OpenAPI 3.1).
            let name: String = format!("{}_{}_payload", wf.id, act.id)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let mut schema = payload_schema(&wf.id, &act.id, contract);
            if let Some(obj) = schema.as_object_mut() {
                obj.remove("$schema");
                obj.remove("$id");
            }
            schemas.insert(name.clone(), schema);
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
            if let Json::Object(common) = responses_common(&wf.id, &act.id) {
                responses.extend(common);
            }
            responses.insert(
                "409".into(),
                error_response(
                    "The workflow is not started, or is stopped.",
                    json!({"errors": [{"parameter": null, "message": format!("workflow '{}' is not started", wf.id)}]}),
                ),
            );
            responses.insert(
                "408".into(),
                error_response(
                    "The request body did not arrive in time (10 seconds).",
                    json!({"errors": [{"parameter": null, "message": "the request body did not arrive within 10 seconds"}]}),
                ),
            );
            responses.insert(
                "413".into(),
                error_response(
                    "The payload is over 64 KiB.",
                    json!({"errors": [{"parameter": null, "message": "the payload is 70000 bytes; the limit is 65536 bytes (64 KiB)"}]}),
                ),
            );
            let mut too_soon = error_response(
                "The signal was triggered less than the cooldown ago.",
                json!({"errors": [{"parameter": null, "message": "too soon: next allowed at 2025-01-06 09:10:00.000Z"}]}),
            );
            too_soon["headers"] = json!({"Retry-After": {
                "description": "Seconds until the next trigger is allowed.",
                "schema": {"type": "integer", "minimum": 0},
            }});
            responses.insert("429".into(), too_soon);
            let summary = if act.label.is_empty() {
                format!("Trigger signal {} of workflow {}", act.id, wf.id)
            } else {
                format!("Trigger '{}' ({}/{})", act.label, wf.id, act.id)
            };
            paths.insert(
                super::curl::trigger_path(&wf.id, &act.id),
                json!({"post": {
                    "operationId": format!("trigger_{}_{}", wf.id, act.id),
                    "x-flowcall-contract": contract_hash(&wf.id, &act.id, contract),
                    "summary": summary,
                    "tags": [wf.id],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}},
                    },
                    "responses": responses,
                }}),
            );
        }
        if !any {
            continue;
        }
        let mut get_responses = Map::new();
        get_responses.insert(
            "200".into(),
            json!({
                "description": "The workflow's state and each signal with its trigger URL.",
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "state": {"enum": ["not started", "started", "paused", "stopped"]},
                        "signals": {"type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "string"},
                            "url": {"type": "string"},
                        }}},
                    },
                }}},
            }),
        );
        if let Json::Object(common) = responses_common(&wf.id, "") {
            get_responses.extend(common.into_iter().filter(|(k, _)| k == "401"));
        }
        get_responses.insert(
            "404".into(),
            error_response(
                "Unknown workflow.",
                json!({"errors": [{"parameter": null, "message": "unknown workflow 'WKF9'"}]}),
            ),
        );
        paths.insert(
            format!("/workflow/execution/{}", wf.id),
            json!({"get": {
                "operationId": format!("get_{}", wf.id),
                "summary": format!("State and signals of workflow {}", wf.id),
                "tags": [wf.id],
                "responses": get_responses,
            }}),
        );
        let mut cmd_responses = Map::new();
        cmd_responses.insert(
            "200".into(),
            json!({"description": "The new state.", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"state": {"type": "string"}},
            }}}}),
        );
        cmd_responses.insert(
            "400".into(),
            error_response("Unknown method, or a change the current state does not allow.", json!({"errors": [{"parameter": null, "message": "cannot resume a stopped workflow"}]})),
        );
        if let Json::Object(common) = responses_common(&wf.id, "") {
            cmd_responses.extend(common.into_iter().filter(|(k, _)| k == "401"));
        }
        cmd_responses.insert(
            "404".into(),
            error_response(
                "Unknown workflow.",
                json!({"errors": [{"parameter": null, "message": "unknown workflow 'WKF9'"}]}),
            ),
        );
        paths.insert(
            format!("/workflow/execution/{}/commands", wf.id),
            json!({"post": {
                "operationId": format!("command_{}", wf.id),
                "summary": format!("Start, pause, resume or stop workflow {}", wf.id),
                "tags": [wf.id],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"method": {"enum": ["start", "pause", "resume", "stop"]}},
                    "required": ["method"],
                    "additionalProperties": false,
                }}}},
                "responses": cmd_responses,
            }}),
        );
    }
    if !paths.is_empty() {
        let unauthorized = error_response(
            "Missing or wrong bearer token.",
            json!({"errors": [{"parameter": null, "message": "a valid bearer token is required"}]}),
        );
        paths.insert(
            "/runs/{id}".into(),
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
                    "401": unauthorized.clone(),
                    "404": error_response("Unknown run.", json!({"errors": [{"parameter": null, "message": "run '9' does not exist"}]})),
                    "410": error_response("The run was dropped: the server keeps only its latest runs (`flowcall serve --keep-runs`).", json!({"errors": [{"parameter": null, "message": "run 1 was dropped: the server keeps the latest 10000 runs (flowcall serve --keep-runs N keeps more)"}]})),
                },
            }}),
        );
        paths.insert(
            "/stats".into(),
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
                    "401": unauthorized,
                },
            }}),
        );
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": DRAFT_2020_12,
        "info": {
            "title": "flowcall trigger endpoints",
            "version": "1.0.0",
            "description": "Endpoints that trigger the External signals of a flowcall design, as served by `flowcall serve`.",
        },
        "servers": [{"url": "http://127.0.0.1:8640", "description": "flowcall serve (default address)"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}
