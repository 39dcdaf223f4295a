//! How answers are written: JSON bodies, and refusals in each dialect (docs/API.md).
//!
//! A handler says why it refuses a call with a [`Refusal`] (the status and its [`Cause`]);
//! [`Refusal::native`] writes it as flowcall's paths always have (`{"errors": [{"parameter",
//! "message"}]}`), [`Refusal::reference`] as the reference's paths answer: `{"code",
//! "message", "errors"}` where `message` is the reference's text (its `RST-360011` line, then
//! one line per problem, an undeclared parameter in the reference's own words) and `errors`
//! keeps flowcall's every problem with its parameter. Two refusals take the reference's other
//! documented forms: a missing or wrong token answers `{"error_code": "401013", "message":
//! "Oauth token is not valid", ...}` as Adobe's gateway does, and a trigger refused only for
//! the cooldown answers plain text, as the reference's 10-minute refusal is not JSON (the SDK
//! reads it as `{"payload": TEXT}`). Statuses are the same in both dialects.

use crate::sim::{ErrorKind, TriggerError, report};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value as Json, json};

// The first line of the reference's error texts (the OpenAPI export's examples show it too).
use crate::export::openapi::{
    REFERENCE_ERROR_LINE as RST_ERROR, REFERENCE_HANDLE_TRIGGER as RST_HANDLE_TRIGGER,
};

/// The message of a missing or wrong bearer token.
const UNAUTHORIZED: &str = "a valid bearer token is required (Authorization: Bearer TOKEN)";

/// A JSON answer.
pub(super) fn answer(status: StatusCode, body: &Json) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response()
}

/// Why a call was refused.
#[derive(Debug)]
pub(super) enum Cause {
    /// Problems of a trigger, as the simulator's validation found them.
    Trigger(Vec<TriggerError>),
    /// The workflow does not exist.
    UnknownWorkflow(String),
    /// The activity does not exist (`exists: false`) or is not an External signal.
    NotASignal {
        workflow: String,
        activity: String,
        exists: bool,
    },
    /// The bearer token is missing or wrong.
    Unauthorized,
    /// The `X-Api-Key` header is missing or wrong (only with `--api-key`).
    ApiKey { given: bool },
    /// One problem of the request as a whole.
    Request(String),
}

/// A refused call: its status, cause and the headers it needs.
#[derive(Debug)]
pub(super) struct Refusal {
    pub(super) status: StatusCode,
    pub(super) cause: Cause,
    /// Seconds for `Retry-After` (a 429).
    pub(super) retry_after: Option<u64>,
    /// The request body was not read to its end: the connection is closed.
    pub(super) close: bool,
}

impl Refusal {
    /// A refusal for one problem of the request as a whole.
    pub(super) fn request(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal::of(status, Cause::Request(message.into()))
    }

    /// A refusal with this cause.
    pub(super) fn of(status: StatusCode, cause: Cause) -> Self {
        Refusal {
            status,
            cause,
            retry_after: None,
            close: false,
        }
    }

    /// The same, closing the connection.
    pub(super) fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    /// A rejected trigger: its status from its problems, `Retry-After` for a 429.
    pub(super) fn trigger(errors: Vec<TriggerError>, retry: Option<u64>) -> Self {
        let status = status_of(&errors);
        let retry_after =
            (status == StatusCode::TOO_MANY_REQUESTS).then(|| retry.unwrap_or(1).max(1));
        Refusal {
            status,
            cause: Cause::Trigger(errors),
            retry_after,
            close: false,
        }
    }

    /// Every problem as `{"parameter", "message"}`, in flowcall's words.
    fn problems(&self) -> Vec<Json> {
        let one = |m: String| vec![json!({"parameter": null, "message": m})];
        match &self.cause {
            Cause::Trigger(errors) => errors.iter().map(report::error_json).collect(),
            Cause::UnknownWorkflow(w) => one(format!("unknown workflow '{w}'")),
            Cause::NotASignal {
                workflow, activity, ..
            } => one(format!("workflow '{workflow}' has no signal '{activity}'")),
            Cause::Unauthorized => one(UNAUTHORIZED.to_owned()),
            Cause::ApiKey { given: false } => one(
                "the X-Api-Key header is required: this server was started with --api-key"
                    .to_owned(),
            ),
            Cause::ApiKey { given: true } => one(
                "the X-Api-Key header does not match the key this server was started with (--api-key)"
                    .to_owned(),
            ),
            Cause::Request(m) => one(m.clone()),
        }
    }

    /// The answer on flowcall's own paths.
    pub(super) fn native(self) -> Response {
        let body = json!({"errors": self.problems()});
        self.finish(answer(self.status, &body))
    }

    /// The answer on the reference's paths.
    pub(super) fn reference(self) -> Response {
        let response = match &self.cause {
            Cause::Unauthorized => answer(
                self.status,
                &json!({"error_code": "401013", "message": "Oauth token is not valid", "errors": self.problems()}),
            ),
            Cause::Trigger(errors) if self.status == StatusCode::TOO_MANY_REQUESTS => {
                cooldown_text(errors, self.retry_after)
            }
            _ => answer(
                self.status,
                &json!({
                    "code": self.status.as_u16(),
                    "message": reference_message(&self.cause),
                    "errors": self.problems(),
                }),
            ),
        };
        self.finish(response)
    }

    /// Adds the headers the refusal needs.
    fn finish(&self, mut r: Response) -> Response {
        let headers = r.headers_mut();
        if matches!(self.cause, Cause::Unauthorized) {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&seconds.to_string())
        {
            headers.insert(header::RETRY_AFTER, v);
        }
        if self.close {
            headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        r
    }
}

/// The status of a rejected trigger: 413, then 404, then 400, then 409, then 429.
pub(super) fn status_of(errors: &[TriggerError]) -> StatusCode {
    let has = |k: &[ErrorKind]| errors.iter().any(|e| k.contains(&e.kind));
    if has(&[ErrorKind::TooLarge]) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else if has(&[ErrorKind::UnknownTarget]) {
        StatusCode::NOT_FOUND
    } else if has(&[
        ErrorKind::MalformedJson,
        ErrorKind::Shape,
        ErrorKind::Undeclared,
        ErrorKind::WrongType,
        ErrorKind::DuplicateKey,
        ErrorKind::MissingRequired,
        ErrorKind::NotAllowed,
        ErrorKind::Expression,
    ]) {
        StatusCode::BAD_REQUEST
    } else if has(&[ErrorKind::NotListening]) {
        StatusCode::CONFLICT
    } else if has(&[ErrorKind::Cooldown]) {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::BAD_REQUEST
    }
}

/// The reference's text for a refusal: its `RST-360011` line, then one line per problem.
pub(super) fn reference_message(cause: &Cause) -> String {
    let detail = match cause {
        Cause::Trigger(errors) => trigger_lines(errors),
        Cause::UnknownWorkflow(w) => format!(
            "Unable to find document with path 'Workflow' from key '{w}' (document with schema 'workflow' and name '{w}')"
        ),
        Cause::NotASignal {
            workflow,
            activity,
            exists: false,
        } => format!("workflow '{workflow}' has no activity '{activity}'"),
        Cause::NotASignal {
            workflow,
            activity,
            exists: true,
        } => format!(
            "activity '{activity}' of workflow '{workflow}' is not an External signal activity: only External signal activities can be triggered"
        ),
        Cause::Unauthorized => "Oauth token is not valid".to_owned(),
        Cause::ApiKey { given } => if *given {
            "Api Key is invalid"
        } else {
            "Api Key is missing"
        }
        .to_owned(),
        Cause::Request(m) => m.clone(),
    };
    format!("{RST_ERROR}\n{detail}")
}

/// One line per trigger problem (an undeclared parameter in the reference's words, followed
/// once by the reference's two lines about `HandleTrigger`).
fn trigger_lines(errors: &[TriggerError]) -> String {
    let mut lines: Vec<String> = errors
        .iter()
        .map(|e| match (&e.kind, &e.parameter) {
            (ErrorKind::Undeclared, Some(p)) => {
                format!("'{p}' parameter isn't defined in signal activity.")
            }
            _ => e.message.clone(),
        })
        .collect();
    if errors.iter().any(|e| e.kind == ErrorKind::Undeclared) {
        lines.push(RST_HANDLE_TRIGGER.to_owned());
    }
    lines.join("\n")
}

/// The cooldown refusal on the reference's paths: plain text, as the reference's is.
fn cooldown_text(errors: &[TriggerError], retry_after: Option<u64>) -> Response {
    let mut text: Vec<String> = errors.iter().map(|e| e.message.clone()).collect();
    text.push(format!(
        "External signal activities cannot be triggered more often than the trigger cooldown allows: retry in {} seconds.",
        retry_after.unwrap_or(1)
    ));
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text.join("\n") + "\n",
    )
        .into_response()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn undeclared(name: &str) -> TriggerError {
        TriggerError::param(
            ErrorKind::Undeclared,
            name,
            format!("'{name}' is not declared by signal 's' of workflow 'W'"),
        )
    }

    #[test]
    fn an_undeclared_parameter_reads_as_the_reference_writes_it() {
        let text = reference_message(&Cause::Trigger(vec![undeclared("contentURL")]));
        assert_eq!(
            text,
            "RST-360011 An error has occurred - please contact your administrator.\n\
             'contentURL' parameter isn't defined in signal activity.\n\
             XTK-170006 Unable to parse expression 'HandleTrigger(@name, $(source), $({parameters}))'.\n\
             RST-360000 Error while assessing 'HandleTrigger(@name, $(source), $({parameters}))' expression ('xtk:workflow:execution/activities/signal/trigger' resource)"
        );
    }

    #[test]
    fn every_problem_gets_a_line_and_keeps_its_parameter() {
        let missing =
            TriggerError::param(ErrorKind::MissingRequired, "email", "'email' is required");
        let r = Refusal::trigger(vec![undeclared("x"), missing, undeclared("y")], None);
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let text = reference_message(&r.cause);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert_eq!(lines[2], "'email' is required");
        assert_eq!(lines[3], "'y' parameter isn't defined in signal activity.");
        let params: Vec<Json> = r
            .problems()
            .iter()
            .map(|p| p["parameter"].clone())
            .collect();
        assert_eq!(params, [json!("x"), json!("email"), json!("y")]);
    }

    #[test]
    fn a_cooldown_alone_is_a_429_with_retry_after_in_plain_text() {
        let e = TriggerError::payload(ErrorKind::Cooldown, "too soon: next allowed at T");
        let r = Refusal::trigger(vec![e], Some(0)).reference();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "1");
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
    }

    #[test]
    fn the_unauthorized_answer_carries_the_gateways_code_and_the_challenge() {
        let r = Refusal::of(StatusCode::UNAUTHORIZED, Cause::Unauthorized).reference();
        assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
        let n = Refusal::of(StatusCode::UNAUTHORIZED, Cause::Unauthorized).native();
        assert_eq!(n.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }
}
