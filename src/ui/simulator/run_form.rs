//! The run form, without egui: the payload a signal is triggered with, as a typed entry per
//! parameter of its contract or as JSON text, and the problems the simulator would find in it.
//! The problems are checked when the form or the design changes ([`RunForm::changed`],
//! [`RunForm::sync`]), not each time the form is drawn.

use crate::model::{Design, SignalContract, Value};
use crate::sim::{TriggerError, trigger};
use crate::ui::value::zero;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// One parameter's entry in a run form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormValue {
    /// Whether the payload passes it (required parameters are always passed).
    pub send: bool,
    /// The typed value.
    pub value: Value,
}

/// What the run form of one signal holds: a typed entry per parameter, or a JSON payload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormState {
    /// Who triggers (the payload's `source`).
    pub source: String,
    /// Entries by parameter name.
    pub values: BTreeMap<String, FormValue>,
    /// Whether the JSON text is the payload (else the typed entries are).
    pub as_json: bool,
    /// The JSON payload text.
    pub json: String,
}

impl FormState {
    /// A form for `contract`: defaults filled (and not sent, so the default applies), required
    /// parameters sent.
    pub fn new(contract: &SignalContract) -> FormState {
        let mut f = FormState {
            source: "designer".into(),
            ..FormState::default()
        };
        f.reconcile(contract);
        f.json = pretty(&f.payload_json(contract));
        f
    }

    /// Adds entries for new parameters and resets those whose type changed.
    pub fn reconcile(&mut self, contract: &SignalContract) {
        self.values
            .retain(|name, v| contract.parameter(name).is_some_and(|p| v.value.fits(p.ty)));
        for p in &contract.parameters {
            self.values.entry(p.name.clone()).or_insert_with(|| {
                let value = p
                    .default
                    .clone()
                    .or_else(|| p.allowed.first().cloned())
                    .unwrap_or_else(|| zero(p.ty));
                FormValue {
                    send: p.required,
                    value,
                }
            });
        }
    }

    /// The payload the typed entries give. A required parameter whose field is left empty is
    /// not sent (the trigger then says it is required, as for any caller that leaves it out);
    /// an empty text in the JSON payload is a value like any other.
    pub fn payload_json(&self, contract: &SignalContract) -> Json {
        let mut parameters = Map::new();
        for p in &contract.parameters {
            let Some(v) = self.values.get(&p.name) else {
                continue;
            };
            let empty = matches!(&v.value, Value::String(s) if s.is_empty());
            if (p.required && !empty) || (!p.required && v.send) {
                parameters.insert(p.name.clone(), v.value.to_json());
            }
        }
        serde_json::json!({"source": self.source, "parameters": parameters})
    }

    /// The payload's bytes: the JSON text, or the typed entries.
    pub fn payload_bytes(&self, contract: &SignalContract) -> Vec<u8> {
        if self.as_json {
            self.json.clone().into_bytes()
        } else {
            self.payload_json(contract).to_string().into_bytes()
        }
    }

    /// Switches between the typed entries and the JSON text: the text starts from the entries;
    /// the entries take what a valid text gives (else they stay as they were).
    pub fn set_as_json(&mut self, as_json: bool, contract: &SignalContract) {
        if as_json {
            self.json = pretty(&self.payload_json(contract));
        } else if let Some(values) = values_from_json(&self.json, contract) {
            self.values = values;
            self.reconcile(contract);
        }
        self.as_json = as_json;
    }
}

impl FormState {
    /// Fills the form from a saved payload (a scenario's): its source and a typed entry per
    /// parameter it passes, when the entries give that very payload back; else (an undeclared
    /// parameter, a wrong type, a text the signal converts, a required parameter left out) the
    /// payload as JSON text, as it is.
    pub fn load(&mut self, payload: &Json, contract: &SignalContract) {
        let text = pretty(payload);
        let mut typed = FormState {
            source: payload
                .get("source")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned(),
            ..FormState::default()
        };
        let read = values_from_json(&text, contract);
        if let Some(values) = &read {
            typed.values = values.clone();
            for p in &contract.parameters {
                typed
                    .values
                    .entry(p.name.clone())
                    .or_insert_with(|| FormValue {
                        send: false,
                        value: p.default.clone().unwrap_or_else(|| zero(p.ty)),
                    });
            }
        }
        if read.is_some() && typed.payload_json(contract) == *payload {
            *self = FormState {
                json: text,
                ..typed
            };
        } else {
            self.json = text;
            self.as_json = true;
        }
    }
}

/// The run form of one signal with the problems of its payload, as last checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RunForm {
    /// What the form holds.
    pub state: FormState,
    workflow: String,
    signal: String,
    /// The design revision the entries were reconciled with and the payload checked on.
    rev: u64,
    bytes: Vec<u8>,
    problems: Vec<TriggerError>,
}

impl RunForm {
    /// The form of `workflow`'s `signal`, made from its contract, checked.
    pub fn new(workflow: &str, signal: &str, contract: &SignalContract, rev: u64) -> RunForm {
        let mut form = RunForm {
            state: FormState::new(contract),
            workflow: workflow.to_owned(),
            signal: signal.to_owned(),
            rev,
            bytes: Vec::new(),
            problems: Vec::new(),
        };
        form.changed(contract);
        form
    }

    /// Follows a change of the design (revision `rev`): entries reconciled with the contract,
    /// the payload checked again. Nothing to do when the revision is the one already seen.
    pub fn sync(&mut self, contract: &SignalContract, rev: u64) {
        if self.rev != rev {
            self.rev = rev;
            self.state.reconcile(contract);
            self.changed(contract);
        }
    }

    /// Checks the payload again after the form was edited.
    pub fn changed(&mut self, contract: &SignalContract) {
        self.bytes = self.state.payload_bytes(contract);
        self.problems = payload_problems(&self.workflow, &self.signal, contract, &self.bytes);
    }

    /// The payload's bytes, as last checked.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Every problem of the payload, as the simulator would report them (empty: valid).
    pub fn problems(&self) -> &[TriggerError] {
        &self.problems
    }
}

/// The text of a JSON value, indented.
pub fn pretty(j: &Json) -> String {
    serde_json::to_string_pretty(j).unwrap_or_else(|_| j.to_string())
}

/// Every problem of a payload for a signal, as the simulator would report them.
pub fn payload_problems(
    workflow: &str,
    signal: &str,
    contract: &SignalContract,
    bytes: &[u8],
) -> Vec<TriggerError> {
    let (payload, mut errors) = trigger::read_bytes(bytes);
    if !payload.unreadable
        && let Err(e) = trigger::check_parameters(workflow, signal, contract, &payload.parameters)
    {
        errors.extend(e);
    }
    errors
}

/// The typed entries a valid JSON payload gives (values converted as the signal would).
pub fn values_from_json(
    text: &str,
    contract: &SignalContract,
) -> Option<BTreeMap<String, FormValue>> {
    let (payload, errors) = trigger::read_bytes(text.as_bytes());
    if payload.unreadable || !errors.is_empty() {
        return None;
    }
    let mut values = BTreeMap::new();
    for (name, json) in &payload.parameters {
        let p = contract.parameter(name)?;
        let (value, _) = trigger::convert(json, p.ty, contract.conversion).ok()?;
        values.insert(name.clone(), FormValue { send: true, value });
    }
    Some(values)
}

/// The first External signal of the design, as (workflow, signal).
pub fn first_signal(design: &Design) -> Option<(String, String)> {
    design.workflows.iter().find_map(|w| {
        w.signals()
            .next()
            .map(|(a, _)| (w.id.clone(), a.id.clone()))
    })
}

/// The contract of `workflow`'s External signal `signal`.
pub fn contract_of<'a>(
    design: &'a Design,
    workflow: &str,
    signal: &str,
) -> Option<&'a SignalContract> {
    design
        .workflow(workflow)?
        .signals()
        .find(|(a, _)| a.id == signal)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::model::{Parameter, Type};

    fn contract() -> SignalContract {
        let mut c = SignalContract::default();
        let mut audience = Parameter::new("audience", Type::String);
        audience.required = true;
        c.parameters.push(audience);
        let mut count = Parameter::new("count", Type::Integer);
        count.default = Some(Value::Integer(3));
        c.parameters.push(count);
        c
    }

    #[test]
    fn a_new_form_sends_required_parameters_and_leaves_defaults_to_apply() {
        let c = contract();
        let mut form = RunForm::new("WKF1", "signal1", &c, 1);
        if let Some(v) = form.state.values.get_mut("audience") {
            v.value = Value::String("gold".into());
        }
        form.changed(&c);
        let payload = form.state.payload_json(&c);
        assert_eq!(payload["parameters"]["audience"], "gold");
        assert!(payload["parameters"].get("count").is_none());
        assert!(form.problems().is_empty(), "{:?}", form.problems());
    }

    /// Regression: a required String left empty was sent as "" and the form called valid.
    #[test]
    fn an_empty_required_field_is_not_sent_and_gets_the_required_error() {
        let c = contract();
        let form = RunForm::new("WKF1", "signal1", &c, 1);
        let payload = form.state.payload_json(&c);
        assert!(payload["parameters"].get("audience").is_none(), "{payload}");
        let missing = payload_problems(
            "WKF1",
            "signal1",
            &c,
            br#"{"source": "t", "parameters": {}}"#,
        );
        assert_eq!(form.problems(), missing.as_slice());
        assert!(
            form.problems()[0]
                .message
                .contains("'audience' is required"),
            "{:?}",
            form.problems()
        );
        // In a JSON payload, "" is a value: it is sent and accepted.
        let mut json = form.clone();
        json.state.as_json = true;
        json.state.json = r#"{"source": "t", "parameters": {"audience": ""}}"#.into();
        json.changed(&c);
        assert!(json.problems().is_empty(), "{:?}", json.problems());
    }

    #[test]
    fn problems_are_checked_when_the_form_changes_not_before() {
        let c = contract();
        let mut form = RunForm::new("WKF1", "signal1", &c, 1);
        if let Some(v) = form.state.values.get_mut("audience") {
            v.value = Value::String("gold".into());
        }
        form.changed(&c);
        assert!(form.problems().is_empty(), "{:?}", form.problems());
        form.state.as_json = true;
        form.state.json = r#"{"source": "t", "parameters": {"bogus": 1}}"#.into();
        assert!(form.problems().is_empty(), "not checked yet");
        form.changed(&c);
        let names: Vec<_> = form
            .problems()
            .iter()
            .map(|e| e.parameter.clone().unwrap_or_default())
            .collect();
        assert!(names.contains(&"bogus".to_owned()), "{names:?}");
        assert!(names.contains(&"audience".to_owned()), "{names:?}");
    }

    #[test]
    fn a_contract_change_is_followed_once_per_revision() {
        let mut c = contract();
        let mut form = RunForm::new("WKF1", "signal1", &c, 1);
        c.parameters.push(Parameter::new("flag", Type::Boolean));
        form.sync(&c, 1);
        assert!(!form.state.values.contains_key("flag"), "same revision");
        form.sync(&c, 2);
        assert_eq!(
            form.state.values.get("flag").map(|v| &v.value),
            Some(&Value::Boolean(false))
        );
    }

    #[test]
    fn switching_to_json_and_back_keeps_the_values() {
        let c = contract();
        let mut form = FormState::new(&c);
        if let Some(v) = form.values.get_mut("audience") {
            v.value = Value::String("gold".into());
        }
        form.set_as_json(true, &c);
        assert!(form.json.contains("gold"));
        form.json = r#"{"source": "t", "parameters": {"audience": "silver", "count": 4}}"#.into();
        form.set_as_json(false, &c);
        assert_eq!(
            form.values.get("audience").map(|v| &v.value),
            Some(&Value::String("silver".into()))
        );
        assert_eq!(
            form.values.get("count").map(|v| (v.send, &v.value)),
            Some((true, &Value::Integer(4)))
        );
    }

    #[test]
    fn a_saved_payload_loads_as_entries_when_they_give_it_back_else_as_json() {
        let c = contract();
        let mut f = FormState::new(&c);
        let p = serde_json::json!({"source": "cms", "parameters": {"audience": "gold"}});
        f.load(&p, &c);
        assert!(!f.as_json);
        assert_eq!(f.source, "cms");
        assert_eq!(f.payload_json(&c), p, "the entries give the payload back");
        assert!(!f.values["count"].send, "count is left to its default");
        let with_count =
            serde_json::json!({"source": "cms", "parameters": {"audience": "g", "count": 5}});
        f.load(&with_count, &c);
        assert_eq!(f.values["count"].value, Value::Integer(5));
        assert_eq!(f.payload_json(&c), with_count);
        // A required parameter left out: its entry is left empty, which sends nothing.
        let missing = serde_json::json!({"source": "cms", "parameters": {}});
        f.load(&missing, &c);
        assert!(!f.as_json);
        assert_eq!(f.payload_json(&c), missing);
        // A text the signal converts, an undeclared parameter, no source: as JSON.
        for odd in [
            serde_json::json!({"source": "cms", "parameters": {"audience": "g", "count": "5"}}),
            serde_json::json!({"source": "cms", "parameters": {"audience": "g", "x": 1}}),
            serde_json::json!({"parameters": {"audience": "g"}}),
        ] {
            f.load(&odd, &c);
            assert!(f.as_json, "{odd}");
            assert_eq!(serde_json::from_str::<Json>(&f.json).unwrap(), odd);
            assert_eq!(f.payload_bytes(&c), f.json.clone().into_bytes());
        }
    }
}
