//! The trigger path's stateful part (docs/CONTRACT.md): every trigger (API bytes, JSON, the
//! designer's form, a scenario, a batch line, an End) ends in [`Session::trigger`], which finds
//! the signal, checks the parameters against its contract (`trigger`), then the workflow's
//! state and the cooldown, reporting every problem together; a paused or erroneous workflow
//! holds the validated trigger until it resumes, a listening one starts a run with the
//! trigger's variables.

use super::{HeldTrigger, Session, Simulator, Token, TriggerOutcome, WorkflowState, later};
use crate::model::{Cooldown, Value, format_datetime};
use crate::sim::plan::{Action, Sym};
use crate::sim::population::Population;
use crate::sim::prepared::Prepared;
use crate::sim::run::{
    Conversion, EndReached, ErrorKind, Origin, Run, RunId, RunStatus, TriggerError, Variable, Vars,
};
use crate::sim::trigger::{self, Checked, Injected, Payload};
use jiff::Timestamp;
use serde_json::Value as Json;

impl Simulator {
    /// Triggers a signal with a payload's bytes (API, CLI, batch line).
    pub fn trigger_bytes(&mut self, workflow: &str, signal: &str, bytes: &[u8]) -> TriggerOutcome {
        let (payload, errors) = trigger::read_bytes(bytes);
        self.trigger_payload(workflow, signal, payload, errors, None)
    }

    /// Triggers a signal with a payload already read as JSON (scenarios, pasted JSON).
    pub fn trigger_json(&mut self, workflow: &str, signal: &str, json: &Json) -> TriggerOutcome {
        let (payload, errors) = trigger::read_json(json.clone());
        self.trigger_payload(workflow, signal, payload, errors, None)
    }

    /// Triggers a signal with typed values (the designer's form).
    pub fn trigger_values(
        &mut self,
        workflow: &str,
        signal: &str,
        source: &str,
        values: &[(String, Value)],
    ) -> TriggerOutcome {
        let mut params = serde_json::Map::new();
        for (n, v) in values {
            params.insert(n.clone(), v.to_json());
        }
        let json = serde_json::json!({"source": source, "parameters": params});
        self.trigger_json(workflow, signal, &json)
    }

    /// The one trigger path: every source ends here. `errors` holds the payload's own problems
    /// so that all problems are reported together.
    pub fn trigger_payload(
        &mut self,
        workflow: &str,
        signal: &str,
        payload: Payload,
        errors: Vec<TriggerError>,
        parent: Option<RunId>,
    ) -> TriggerOutcome {
        self.s
            .trigger(&self.prepared, workflow, signal, payload, errors, parent)
    }
}

/// Where and why a run begins.
pub(super) struct Launch {
    workflow: usize,
    activity: usize,
    source: String,
    parent: Option<RunId>,
    /// The trigger whose budget it spends (`None`: a trigger of its own).
    root: Option<RunId>,
}

impl Launch {
    /// A run of `workflow` beginning at `activity`.
    pub(super) fn new(
        workflow: usize,
        activity: usize,
        source: String,
        parent: Option<RunId>,
        root: Option<RunId>,
    ) -> Launch {
        Launch {
            workflow,
            activity,
            source,
            parent,
            root,
        }
    }
}

impl Session {
    /// See [`Simulator::trigger_payload`].
    pub(super) fn trigger(
        &mut self,
        p: &Prepared,
        workflow: &str,
        signal: &str,
        mut payload: Payload,
        mut errors: Vec<TriggerError>,
        parent: Option<RunId>,
    ) -> TriggerOutcome {
        if payload.unreadable {
            return TriggerOutcome::Rejected(errors);
        }
        let Some((w, s, params)) = find_signal(p, workflow, signal, &mut errors) else {
            return TriggerOutcome::Rejected(errors);
        };
        let contract = p
            .design
            .workflows
            .get(w)
            .and_then(|wf| wf.activities.get(s))
            .and_then(|a| a.kind.signal());
        let checked = contract.and_then(|c| {
            trigger::check_values(workflow, signal, c, &mut payload.parameters)
                .map_err(|e| errors.extend(e))
                .ok()
        });
        let state = self.refusals(p, w, s, workflow, signal, &mut errors);
        let Some(checked) = checked.filter(|_| errors.is_empty()) else {
            return TriggerOutcome::Rejected(errors);
        };
        if let Some(slot) = p
            .plan()
            .slot(w, s)
            .and_then(|i| self.last_trigger.get_mut(i))
        {
            *slot = Some(self.clock);
        }
        if matches!(state, WorkflowState::Paused | WorkflowState::Erroneous) {
            self.hold(w, s, payload.source, parent, checked, contract);
            return TriggerOutcome::Queued;
        }
        let root = parent.map(|r| self.root_of(r));
        let Checked {
            values,
            conversions,
        } = checked;
        let vars = values
            .into_iter()
            .filter_map(|(i, value, origin)| Some((*params.get(i)?, value, origin)));
        let launch = Launch::new(w, s, payload.source, parent, root);
        TriggerOutcome::Started(self.start_run(p, launch, vars, conversions))
    }

    /// Adds the problems of the workflow's state and of the cooldown to `errors`; the state.
    fn refusals(
        &self,
        p: &Prepared,
        w: usize,
        s: usize,
        workflow: &str,
        signal: &str,
        errors: &mut Vec<TriggerError>,
    ) -> WorkflowState {
        let state = self
            .states
            .get(w)
            .copied()
            .unwrap_or(WorkflowState::NotStarted);
        match state {
            WorkflowState::NotStarted => errors.push(TriggerError::payload(
                ErrorKind::NotListening,
                format!("workflow '{workflow}' is not started: start it before triggering"),
            )),
            WorkflowState::Stopped => errors.push(TriggerError::payload(
                ErrorKind::NotListening,
                format!("workflow '{workflow}' is stopped: it does not accept triggers"),
            )),
            WorkflowState::Started | WorkflowState::Paused | WorkflowState::Erroneous => {}
        }
        if let Cooldown::Seconds(n) = p.design.compatibility.trigger_cooldown
            && let Some(last) = p
                .plan()
                .slot(w, s)
                .and_then(|i| self.last_trigger.get(i).copied().flatten())
        {
            match later(last, n) {
                Some(next) if self.clock >= next => {}
                next => errors.push(too_soon(workflow, signal, last, next)),
            }
        }
        state
    }

    /// Holds a validated trigger until its paused workflow resumes.
    fn hold(
        &mut self,
        w: usize,
        s: usize,
        source: String,
        parent: Option<RunId>,
        checked: Checked,
        contract: Option<&crate::model::SignalContract>,
    ) {
        let variables = checked
            .values
            .into_iter()
            .filter_map(|(i, value, origin)| {
                Some(Variable {
                    name: contract?.parameters.get(i)?.name.clone(),
                    value,
                    origin,
                })
            })
            .collect();
        if let Some(q) = self.held.get_mut(w) {
            q.push_back(HeldTrigger {
                signal: s,
                source,
                parent,
                injected: Injected {
                    variables,
                    conversions: checked.conversions,
                },
            });
        }
    }

    /// Starts a run: its record, its variables (the trigger's, each with its origin), and its
    /// first visit, now.
    pub(super) fn start_run(
        &mut self,
        p: &Prepared,
        launch: Launch,
        vars: impl IntoIterator<Item = (Sym, Value, Origin)>,
        conversions: Vec<Conversion>,
    ) -> RunId {
        self.trim_runs();
        let id = self.runs_total() + 1;
        let names = &p.plan().names;
        let wf = p.plan().workflows.get(launch.workflow);
        let entry = wf.and_then(|w| w.steps.get(launch.activity));
        let mut room = self.spare_runs.pop().map(Room::of).unwrap_or_default();
        room.vars.reserve(entry.map_or(0, |s| s.room()));
        let mut record = Vec::new();
        for (sym, value, origin) in vars {
            if self.detail {
                record.push(Variable {
                    name: names.name(sym).to_owned(),
                    value: value.clone(),
                    origin,
                });
            }
            room.vars.push(sym, value);
        }
        self.runs.push(Run {
            id,
            workflow: refill(room.workflow, wf.map_or("", |w| &w.id)),
            signal: refill(room.signal, entry.map_or("", |a| &a.id)),
            source: launch.source,
            parent: launch.parent,
            started_at: self.clock,
            status: RunStatus::Running,
            variables: record,
            changes: Vec::new(),
            conversions,
            path: Vec::new(),
            ends: room.ends,
            errors: Vec::new(),
            warnings: Vec::new(),
            saved_audiences: Vec::new(),
            open: 0,
            root: launch.root.unwrap_or(id),
            budget: Default::default(),
            at: (launch.workflow, launch.activity),
            vars: room.vars,
            sent: 0,
        });
        let token = Token {
            run: id,
            workflow: launch.workflow,
            activity: launch.activity,
            via: None,
            population: Population::all(self.empty.clone()),
            files: None,
            released: false,
        };
        self.push(self.clock, token);
        id
    }
}

/// The buffers of a run of an earlier session, emptied, for a new run to fill (a batch runs
/// thousands of sessions one after the other: their runs' texts and lists are not allocated
/// again for each payload).
#[derive(Default)]
struct Room {
    workflow: String,
    signal: String,
    vars: Vars,
    ends: Vec<EndReached>,
}

impl Room {
    /// The buffers of `run`, emptied; the rest of it is dropped.
    fn of(run: Run) -> Room {
        let Run {
            workflow,
            signal,
            mut vars,
            mut ends,
            ..
        } = run;
        vars.clear();
        ends.clear();
        Room {
            workflow,
            signal,
            vars,
            ends,
        }
    }
}

/// `buffer` holding `text` (and nothing of what it held).
fn refill(mut buffer: String, text: &str) -> String {
    buffer.clear();
    buffer.push_str(text);
    buffer
}

/// The workflow and the External signal a trigger names, with the symbols of the signal's
/// parameters; a problem added to `errors` when there is none.
fn find_signal<'p>(
    p: &'p Prepared,
    workflow: &str,
    signal: &str,
    errors: &mut Vec<TriggerError>,
) -> Option<(usize, usize, &'p [Sym])> {
    let Some(w) = p.workflow_index(workflow) else {
        errors.push(TriggerError::payload(
            ErrorKind::UnknownTarget,
            format!("workflow '{workflow}' does not exist"),
        ));
        return None;
    };
    let steps = p.plan().workflows.get(w).map_or(&[][..], |wf| &wf.steps);
    let found = steps
        .iter()
        .enumerate()
        .find(|(_, a)| a.id == signal)
        .and_then(|(i, a)| match &a.action {
            Action::Signal { params } => Some((w, i, params.as_slice())),
            _ => None,
        });
    if found.is_none() {
        errors.push(TriggerError::payload(
            ErrorKind::UnknownTarget,
            format!("'{signal}' is not an External signal of workflow '{workflow}'"),
        ));
    }
    found
}

/// The cooldown's refusal.
fn too_soon(
    workflow: &str,
    signal: &str,
    last: Timestamp,
    next: Option<Timestamp>,
) -> TriggerError {
    TriggerError::payload(
        ErrorKind::Cooldown,
        format!(
            "too soon: signal '{signal}' of workflow '{workflow}' was triggered at {}; next allowed at {}",
            format_datetime(&last),
            next.map_or_else(
                || "no time the virtual clock can hold (the cooldown is too long)".to_owned(),
                |t| format_datetime(&t)
            )
        ),
    )
}
