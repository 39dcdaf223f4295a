//! The document being designed, without egui: the design, the copy last saved (or opened), the
//! file it belongs to, undo and redo snapshots, the revision counter and the dirty flag, and
//! every edit operation of the designer (add, append after an output, insert on a transition,
//! remove with the neighbours reconnected, move, connect, disconnect, copy and paste, rename with
//! reference updates, new workflows with distinct labels, a new target workflow for an End,
//! scenario edits; the sample data's edits are the Data tab's, run through
//! [`Document::edit_sample`]), and the search of activities by label or id. Each operation is one [`Document::edit`]: an undo point
//! (edits with the same coalescing key within a second share one), the revision bumped when the
//! structure changed, dirtiness recomputed against the saved copy. A refused edit leaves the
//! document as it was and says why ([`EditError`]).
//!
//! This module imports nothing else from `ui`; its tests need no window.

use crate::model::{
    Activity, ActivityKind, Condition, Cooldown, Design, EndSettings, EndTrigger, Expectations,
    KindTag, Port, Position, SampleData, Scenario, TestSettings, Transition, Workflow,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How many undo steps are kept.
const UNDO_DEPTH: usize = 200;

/// Edits with the same coalescing key closer than this are one undo step.
const COALESCE: Duration = Duration::from_secs(1);

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The workflow is not in the design.
    #[error("no workflow {0}")]
    NoWorkflow(String),
    /// The activity is not in the workflow.
    #[error("no activity {0}")]
    NoActivity(String),
    /// The id asked for cannot be loaded back: empty, or a character ids may not hold (what is
    /// wrong and a name that would do, as the loader says it).
    #[error("{0}")]
    BadId(String),
    /// Another activity of the workflow has the id.
    #[error("'{id}' is already used by another activity of {workflow}")]
    IdTaken {
        /// The id asked for.
        id: String,
        /// The workflow.
        workflow: String,
    },
    /// A transition's workflow is gone.
    #[error("cannot connect: workflow '{0}' no longer exists")]
    ConnectNoWorkflow(String),
    /// A transition's end is gone.
    #[error("cannot connect: activity '{activity}' no longer exists in workflow '{workflow}'")]
    ConnectNoActivity {
        /// The missing activity.
        activity: String,
        /// Its workflow.
        workflow: String,
    },
    /// A transition would lead into an entry (Start, External signal).
    #[error("'{0}' is an entry: nothing may lead into it")]
    IntoEntry(String),
    /// The source activity has no such output.
    #[error("'{activity}' has no output {port}")]
    NoOutput {
        /// The source activity's name.
        activity: String,
        /// The port, described.
        port: String,
    },
    /// A scenario of that name exists.
    #[error("a scenario named '{0}' exists already")]
    ScenarioExists(String),
    /// The scenario is gone.
    #[error("scenario '{0}' no longer exists")]
    NoScenario(String),
    /// A kind without an input and an output cannot go between two activities.
    #[error("{0} cannot go on a transition: it needs an input and an output; drop it beside")]
    NotBetween(String),
    /// The transition is gone.
    #[error("the transition from '{from}' to '{to}' no longer exists")]
    NoTransition {
        /// Its source activity.
        from: String,
        /// Its target activity.
        to: String,
    },
    /// The activity is not an End.
    #[error("'{0}' is not an End: only an End triggers another workflow")]
    NotAnEnd(String),
}

/// The design being edited, with its history and its file.
#[derive(Debug)]
pub struct Document {
    design: Design,
    saved: Design,
    path: Option<PathBuf>,
    name: String,
    undo: Vec<Design>,
    redo: Vec<Design>,
    last_edit: Option<(String, Instant)>,
    rev: u64,
    dirty: bool,
    saved_rev: u64,
}

impl Document {
    /// A document on `design`, shown as `name`, saved to `path` when given; clean, revision 1.
    pub fn new(design: Design, path: Option<PathBuf>, name: &str) -> Document {
        Document {
            saved: design.clone(),
            design,
            path,
            name: name.to_owned(),
            undo: Vec::new(),
            redo: Vec::new(),
            last_edit: None,
            rev: 1,
            dirty: false,
            saved_rev: 1,
        }
    }

    /// The design.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// The design as last saved or opened (what the Contract changes view compares with).
    pub fn saved(&self) -> &Design {
        &self.saved
    }

    /// A number that changes whenever the saved copy changes (a save, an open, a new design).
    pub fn saved_rev(&self) -> u64 {
        self.saved_rev
    }

    /// The file it is saved to, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The file name shown: the file's, else the name given.
    pub fn file_name(&self) -> String {
        self.path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.name.clone())
    }

    /// The revision: it changes whenever the structure of the design changed (any edit but a
    /// move, undo, redo, a new design); views rebuild from it.
    pub fn rev(&self) -> u64 {
        self.rev
    }

    /// Whether the design differs from the copy saved or opened.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Whether there is an edit to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is an undone edit to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Runs `f` on the design as one edit: an undo point (none when `coalesce` is the key of
    /// the last edit, less than a second ago), the revision bumped when `structural`, dirtiness
    /// recomputed. When `f` fails, or changes nothing, nothing is recorded.
    pub fn edit(
        &mut self,
        coalesce: Option<&str>,
        structural: bool,
        f: impl FnOnce(&mut Design) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        self.edit_at(Instant::now(), coalesce, structural, f)
    }

    /// [`Document::edit`] at a given time (tests of coalescing).
    pub fn edit_at(
        &mut self,
        now: Instant,
        coalesce: Option<&str>,
        structural: bool,
        f: impl FnOnce(&mut Design) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        self.record(now, coalesce, structural, f)
    }

    /// Runs `f` on the design's sample data as one edit (see [`Document::edit`]; structural, so
    /// that the simulator and the checks see it), with the error type of its caller: the Data
    /// tab's operations say what was wrong in their own terms.
    pub fn edit_sample<E>(
        &mut self,
        coalesce: Option<&str>,
        f: impl FnOnce(&mut SampleData) -> Result<(), E>,
    ) -> Result<(), E> {
        self.edit_sample_at(Instant::now(), coalesce, f)
    }

    /// [`Document::edit_sample`] at a given time (tests of coalescing).
    pub fn edit_sample_at<E>(
        &mut self,
        now: Instant,
        coalesce: Option<&str>,
        f: impl FnOnce(&mut SampleData) -> Result<(), E>,
    ) -> Result<(), E> {
        self.record(now, coalesce, true, |d| f(&mut d.sample))
    }

    /// One edit: `f` runs on the design; on failure, or when nothing changed, nothing is
    /// recorded.
    fn record<E>(
        &mut self,
        now: Instant,
        coalesce: Option<&str>,
        structural: bool,
        f: impl FnOnce(&mut Design) -> Result<(), E>,
    ) -> Result<(), E> {
        let before = self.design.clone();
        if let Err(e) = f(&mut self.design) {
            self.design = before;
            return Err(e);
        }
        if self.design == before {
            return Ok(());
        }
        let coalesced = match (coalesce, &self.last_edit) {
            (Some(k), Some((last, at))) => k == last && now.duration_since(*at) < COALESCE,
            _ => false,
        };
        if !coalesced {
            self.undo.push(before);
            if self.undo.len() > UNDO_DEPTH {
                self.undo.remove(0);
            }
        }
        self.last_edit = coalesce.map(|k| (k.to_owned(), now));
        self.redo.clear();
        if structural {
            self.rev += 1;
        }
        self.dirty = self.design != self.saved;
        Ok(())
    }

    /// Goes back one edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(prev) = self.undo.pop() else {
            return false;
        };
        let cur = std::mem::replace(&mut self.design, prev);
        self.redo.push(cur);
        self.restored();
        true
    }

    /// Goes forward one undone edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else {
            return false;
        };
        let cur = std::mem::replace(&mut self.design, next);
        self.undo.push(cur);
        self.restored();
        true
    }

    fn restored(&mut self) {
        self.rev += 1;
        self.last_edit = None;
        self.dirty = self.design != self.saved;
    }

    /// Takes work recovered from a previous session: one undo step away from the design opened,
    /// and unsaved.
    pub fn restore_recovered(&mut self, design: Design) {
        let opened = std::mem::replace(&mut self.design, design);
        self.undo.push(opened);
        self.restored();
        self.dirty = true;
    }

    /// Replaces the whole document (a new or opened design): no history, clean.
    pub fn replace(&mut self, design: Design, path: Option<PathBuf>, name: &str) {
        self.saved = design.clone();
        self.saved_rev += 1;
        self.design = design;
        self.path = path;
        self.name = name.to_owned();
        self.dirty = false;
        self.undo.clear();
        self.redo.clear();
        self.last_edit = None;
        self.rev += 1;
    }

    /// Records that the design was saved to `path`: clean, and that file from now on. The save
    /// ends the undo step being typed: the next edit is a step of its own, so that undoing it
    /// comes back to what was saved.
    pub fn saved_to(&mut self, path: &Path) {
        self.saved = self.design.clone();
        self.saved_rev += 1;
        self.dirty = false;
        self.path = Some(path.to_owned());
        self.last_edit = None;
    }

    /// Adds an empty workflow with the first free id `WKF<n>` and a label no other workflow
    /// has (`Workflow <n>`); returns its id.
    pub fn add_workflow(&mut self) -> Result<String, EditError> {
        let mut id = String::new();
        self.edit(None, true, |d| {
            let w = new_workflow(d);
            id = w.id.clone();
            d.workflows.push(w);
            Ok(())
        })?;
        Ok(id)
    }

    /// Adds a workflow (as [`Document::add_workflow`]) that begins with an External signal, and
    /// makes the End `end` of `workflow` trigger that signal, as one undo step; returns the new
    /// workflow's id and its signal's id.
    pub fn add_target_workflow(
        &mut self,
        workflow: &str,
        end: &str,
    ) -> Result<(String, String), EditError> {
        let mut made = (String::new(), String::new());
        self.edit(None, true, |d| {
            let mut w = new_workflow(d);
            let signal = new_activity(&w, KindTag::ExternalSignal, SIGNAL_AT);
            made = (w.id.clone(), signal.id.clone());
            w.activities.push(signal);
            d.workflows.push(w);
            let a = workflow_mut(d, workflow)?
                .activity_mut(end)
                .ok_or_else(|| EditError::NoActivity(end.to_owned()))?;
            let ActivityKind::End(settings) = &mut a.kind else {
                return Err(EditError::NotAnEnd(a.display_name().to_owned()));
            };
            let parameters = settings
                .trigger
                .take()
                .map(|t| t.parameters)
                .unwrap_or_default();
            settings.trigger = Some(EndTrigger {
                workflow: made.0.clone(),
                signal: made.1.clone(),
                parameters,
            });
            Ok(())
        })?;
        Ok(made)
    }

    /// Changes a workflow's label (typing it is one undo step).
    pub fn rename_workflow(&mut self, workflow: &str, label: String) -> Result<(), EditError> {
        let key = format!("wflabel/{workflow}");
        self.edit(Some(&key), true, |d| {
            if let Some(w) = d.workflow_mut(workflow) {
                w.label = label;
            }
            Ok(())
        })
    }

    /// Sets a workflow's consecutive errors threshold (typing is one undo step).
    pub fn set_consecutive_errors(
        &mut self,
        workflow: &str,
        threshold: u32,
    ) -> Result<(), EditError> {
        let key = format!("wferrors/{workflow}");
        self.edit(Some(&key), true, |d| {
            if let Some(w) = d.workflow_mut(workflow) {
                w.consecutive_errors = threshold;
            }
            Ok(())
        })
    }

    /// Deletes a workflow.
    pub fn delete_workflow(&mut self, workflow: &str) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            d.workflows.retain(|w| w.id != workflow);
            Ok(())
        })
    }

    /// Adds an activity of kind `tag` at `position`, with a fresh id; returns the id.
    pub fn add_activity(
        &mut self,
        workflow: &str,
        tag: KindTag,
        position: Position,
    ) -> Result<String, EditError> {
        let mut new_id = String::new();
        self.edit(None, true, |d| {
            let w = workflow_mut(d, workflow)?;
            let a = new_activity(w, tag, position);
            new_id = a.id.clone();
            w.activities.push(a);
            Ok(())
        })?;
        Ok(new_id)
    }

    /// Adds an activity of kind `tag` at `position`, connected from `from`'s output `port`, as
    /// one undo step; returns its id. Refused when `from` has no such output.
    pub fn append_activity(
        &mut self,
        workflow: &str,
        from: &str,
        port: Port,
        tag: KindTag,
        position: Position,
    ) -> Result<String, EditError> {
        let mut new_id = String::new();
        self.edit(None, true, |d| {
            let w = workflow_mut(d, workflow)?;
            let a = new_activity(w, tag, position);
            new_id = a.id.clone();
            w.activities.push(a);
            connect(
                d,
                workflow,
                Transition {
                    from: from.to_owned(),
                    port,
                    to: new_id.clone(),
                },
            )
        })?;
        Ok(new_id)
    }

    /// Puts an activity of kind `tag` at `position` on the transition `t`: `t` is replaced by
    /// one into the new activity and one from its first output, and the activities of `moves`
    /// make room, as one undo step; returns its id. Refused for kinds without an input or an
    /// output (entries, End).
    pub fn insert_on_transition(
        &mut self,
        workflow: &str,
        t: &Transition,
        tag: KindTag,
        position: Position,
        moves: Vec<(String, Position)>,
    ) -> Result<String, EditError> {
        let mut new_id = String::new();
        self.edit(None, true, |d| {
            let w = workflow_mut(d, workflow)?;
            if !w.transitions.contains(t) {
                return Err(EditError::NoTransition {
                    from: t.from.clone(),
                    to: t.to.clone(),
                });
            }
            let a = new_activity(w, tag, position);
            let Some(out) = a.kind.output_ports().into_iter().next() else {
                return Err(EditError::NotBetween(tag.name().to_owned()));
            };
            if a.kind.is_entry() {
                return Err(EditError::NotBetween(tag.name().to_owned()));
            }
            new_id = a.id.clone();
            w.activities.push(a);
            place(w, moves);
            w.transitions.retain(|x| x != t);
            let into = Transition {
                from: t.from.clone(),
                port: t.port.clone(),
                to: new_id.clone(),
            };
            connect(d, workflow, into)?;
            let onward = Transition {
                from: new_id.clone(),
                port: out,
                to: t.to.clone(),
            };
            connect(d, workflow, onward)
        })?;
        Ok(new_id)
    }

    /// Replaces the activity with `activity`'s id by `activity`; edits with the same `coalesce`
    /// key within a second are one undo step.
    pub fn replace_activity(
        &mut self,
        workflow: &str,
        activity: Activity,
        coalesce: &str,
    ) -> Result<(), EditError> {
        self.edit(Some(coalesce), true, |d| {
            let a = d
                .workflow_mut(workflow)
                .and_then(|w| w.activity_mut(&activity.id))
                .ok_or_else(|| EditError::NoActivity(activity.id.clone()))?;
            *a = activity;
            Ok(())
        })
    }

    /// Renames an activity and every reference to it: the transitions of its workflow and the
    /// End triggers (of any workflow) that target it.
    pub fn rename_activity(
        &mut self,
        workflow: &str,
        old: &str,
        new: &str,
    ) -> Result<(), EditError> {
        self.edit(None, true, |d| rename_activity(d, workflow, old, new))
    }

    /// Moves activities (not structural: the canvas already shows them there).
    pub fn move_activities(
        &mut self,
        workflow: &str,
        moves: Vec<(String, Position)>,
    ) -> Result<(), EditError> {
        let key = format!("move/{workflow}");
        self.edit(Some(&key), false, |d| {
            if let Some(w) = d.workflow_mut(workflow) {
                for (id, pos) in moves {
                    if let Some(a) = w.activity_mut(&id) {
                        a.position = pos;
                    }
                }
            }
            Ok(())
        })
    }

    /// Places activities at new positions as one undo step of its own (a tidy layout): unlike a
    /// drag, it never joins the previous move, and the revision changes so that every view is
    /// drawn again.
    pub fn arrange(
        &mut self,
        workflow: &str,
        moves: Vec<(String, Position)>,
    ) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            let w = workflow_mut(d, workflow)?;
            for (id, pos) in moves {
                if let Some(a) = w.activity_mut(&id) {
                    a.position = pos;
                }
            }
            Ok(())
        })
    }

    /// Changes the design's trigger cooldown (typing it is one undo step).
    pub fn set_cooldown(&mut self, cooldown: Cooldown) -> Result<(), EditError> {
        self.edit(Some("cooldown"), true, |d| {
            d.compatibility.trigger_cooldown = cooldown;
            Ok(())
        })
    }

    /// Adds the transition `from` —`port`→ `to` (once). Refused into an entry, from a port the
    /// activity does not have, or between activities that are gone.
    pub fn connect(&mut self, workflow: &str, t: Transition) -> Result<(), EditError> {
        self.edit(None, true, |d| connect(d, workflow, t))
    }

    /// Removes a transition.
    pub fn disconnect(&mut self, workflow: &str, t: &Transition) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            if let Some(w) = d.workflow_mut(workflow) {
                w.transitions.retain(|x| x != t);
            }
            Ok(())
        })
    }

    /// Deletes activities and every transition from or to them; an activity with one way in
    /// and one way out leaves its neighbours connected (the way in now leads where the way out
    /// led), so that deleting the middle of a chain keeps the chain.
    pub fn delete_activities(&mut self, workflow: &str, ids: &[String]) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            if let Some(w) = d.workflow_mut(workflow) {
                for id in ids {
                    delete_and_reconnect(w, id);
                }
            }
            Ok(())
        })
    }

    /// Pastes `clip` into `workflow`: each activity with a fresh id, moved by `offset`, the
    /// transitions between them kept; one undo step. Returns the new ids, in the clip's order.
    pub fn paste(
        &mut self,
        workflow: &str,
        clip: &Clip,
        offset: (f32, f32),
    ) -> Result<Vec<String>, EditError> {
        let mut ids = Vec::new();
        self.edit(None, true, |d| {
            let w = workflow_mut(d, workflow)?;
            let mut renamed = BTreeMap::new();
            for a in &clip.activities {
                let mut copy = a.clone();
                copy.id = w.fresh_activity_id(a.kind.tag().id_prefix());
                copy.position.x += offset.0;
                copy.position.y += offset.1;
                renamed.insert(a.id.clone(), copy.id.clone());
                ids.push(copy.id.clone());
                w.activities.push(copy);
            }
            for t in &clip.transitions {
                if let (Some(from), Some(to)) = (renamed.get(&t.from), renamed.get(&t.to)) {
                    w.transitions.push(Transition {
                        from: from.clone(),
                        port: t.port.clone(),
                        to: to.clone(),
                    });
                }
            }
            Ok(())
        })?;
        Ok(ids)
    }

    /// Adds a scenario; refused when one has its name.
    pub fn add_scenario(&mut self, scenario: Scenario) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            if d.scenarios.iter().any(|s| s.name == scenario.name) {
                return Err(EditError::ScenarioExists(scenario.name.clone()));
            }
            d.scenarios.push(scenario);
            Ok(())
        })
    }

    /// Replaces a scenario's expectations.
    pub fn set_expectations(&mut self, name: &str, expect: Expectations) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            let s = d
                .scenarios
                .iter_mut()
                .find(|s| s.name == name)
                .ok_or_else(|| EditError::NoScenario(name.to_owned()))?;
            s.expect = expect;
            Ok(())
        })
    }

    /// Replaces a scenario's target signal and payload (its expectations stay).
    pub fn set_scenario_payload(
        &mut self,
        name: &str,
        workflow: &str,
        signal: &str,
        payload: serde_json::Value,
    ) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            let s = d
                .scenarios
                .iter_mut()
                .find(|s| s.name == name)
                .ok_or_else(|| EditError::NoScenario(name.to_owned()))?;
            workflow.clone_into(&mut s.workflow);
            signal.clone_into(&mut s.signal);
            s.payload = payload;
            Ok(())
        })
    }

    /// Deletes a scenario.
    pub fn delete_scenario(&mut self, name: &str) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            d.scenarios.retain(|s| s.name != name);
            Ok(())
        })
    }
}

/// The design File > New starts: one workflow, `Workflow 1`, that begins with an External
/// signal (where every workflow that outside systems call begins).
pub fn new_design() -> Design {
    let mut d = Design::default();
    let mut w = new_workflow(&d);
    let signal = new_activity(&w, KindTag::ExternalSignal, SIGNAL_AT);
    w.activities.push(signal);
    d.workflows.push(w);
    d
}

/// Where the External signal of a new workflow stands.
const SIGNAL_AT: Position = Position { x: 40.0, y: 160.0 };

/// A new, empty workflow of `d`: the first free id `WKF<n>`, and the label `Workflow <n>` (or
/// the first `Workflow <k>` no other workflow has).
fn new_workflow(d: &Design) -> Workflow {
    let n = (1..)
        .find(|n| d.workflow(&format!("WKF{n}")).is_none())
        .unwrap_or(1);
    let taken: BTreeSet<&str> = d.workflows.iter().map(|w| w.label.as_str()).collect();
    let label = (n..)
        .map(|k| format!("Workflow {k}"))
        .find(|l| !taken.contains(l.as_str()))
        .unwrap_or_default();
    Workflow::new(format!("WKF{n}"), label)
}

/// A new activity of kind `tag` for `w`, at `position`, with a fresh id and the designer's
/// defaults: a Test begins with one condition to write (so that it has an output to follow),
/// an Email delivery with a label and the default template (both expressions, both to be
/// changed at will), so that it passes the checks as it is.
pub fn new_activity(w: &Workflow, tag: KindTag, position: Position) -> Activity {
    let mut a = Activity::new(w.fresh_activity_id(tag.id_prefix()), tag.name(), tag);
    a.position = position;
    match &mut a.kind {
        ActivityKind::Test(t) => {
            *t = TestSettings {
                conditions: vec![Condition {
                    id: "c1".into(),
                    label: "c1".into(),
                    expression: String::new(),
                }],
                default_transition: false,
            };
        }
        ActivityKind::EmailDelivery(e) => {
            e.label = "'Email delivery'".into();
            e.template = "'default'".into();
        }
        _ => {}
    }
    a
}

/// Moves the activities of `moves` in `w`.
fn place(w: &mut Workflow, moves: Vec<(String, Position)>) {
    for (id, pos) in moves {
        if let Some(a) = w.activity_mut(&id) {
            a.position = pos;
        }
    }
}

/// Deletes activity `id` of `w` and its transitions; with exactly one way in and one way out,
/// the way in is led to where the way out went (once).
fn delete_and_reconnect(w: &mut Workflow, id: &str) {
    let ins: Vec<&Transition> = w.incoming(id).collect();
    let outs: Vec<&Transition> = w.outgoing(id).collect();
    let bridge = match (ins.as_slice(), outs.as_slice()) {
        ([i], [o]) if i.from != id && o.to != id => Some(Transition {
            from: i.from.clone(),
            port: i.port.clone(),
            to: o.to.clone(),
        }),
        _ => None,
    };
    w.activities.retain(|a| a.id != id);
    w.transitions.retain(|t| t.from != id && t.to != id);
    if let Some(t) = bridge
        && !w.transitions.contains(&t)
    {
        w.transitions.push(t);
    }
}

/// Activities copied with the transitions between them: what Copy puts on the clipboard, as
/// text that names itself (so that a paste of other text is told apart).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Clip {
    /// The activities, with their ids and positions in the workflow copied from.
    pub activities: Vec<Activity>,
    /// The transitions between them.
    pub transitions: Vec<Transition>,
}

/// The first line of a clip written as text.
const CLIP_HEADER: &str = "// flowcall activities";

impl Clip {
    /// The activities `ids` of `w` and the transitions between them (none when `ids` names no
    /// activity of `w`).
    pub fn of(w: &Workflow, ids: &[String]) -> Option<Clip> {
        let activities: Vec<Activity> = w
            .activities
            .iter()
            .filter(|a| ids.contains(&a.id))
            .cloned()
            .collect();
        if activities.is_empty() {
            return None;
        }
        let transitions = w
            .transitions
            .iter()
            .filter(|t| ids.contains(&t.from) && ids.contains(&t.to))
            .cloned()
            .collect();
        Some(Clip {
            activities,
            transitions,
        })
    }

    /// The clip as clipboard text: a header line, then RON.
    pub fn to_text(&self) -> String {
        let body =
            ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new()).unwrap_or_default();
        format!("{CLIP_HEADER}\n{body}\n")
    }

    /// The clip that `text` holds, if it is one (written by [`Clip::to_text`]).
    pub fn from_text(text: &str) -> Option<Clip> {
        let body = text.trim_start().strip_prefix(CLIP_HEADER)?;
        ron::from_str::<Clip>(body)
            .ok()
            .filter(|c| !c.activities.is_empty())
    }

    /// The rectangle its activities' corners span: (min x, min y, max x, max y).
    pub fn corners(&self) -> (f32, f32, f32, f32) {
        self.activities.iter().fold(
            (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
            |(a, b, c, e), x| {
                (
                    a.min(x.position.x),
                    b.min(x.position.y),
                    c.max(x.position.x),
                    e.max(x.position.y),
                )
            },
        )
    }
}

/// An activity found by [`find_activities`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its workflow's id.
    pub workflow: String,
    /// Its workflow's label.
    pub workflow_label: String,
    /// Its id.
    pub activity: String,
    /// Its label (or its id when it has none).
    pub label: String,
}

/// The activities of every workflow whose label or id contains `query` (any case), in the
/// design's order; an empty query finds none.
pub fn find_activities(design: &Design, query: &str) -> Vec<Found> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    design
        .workflows
        .iter()
        .flat_map(|w| w.activities.iter().map(move |a| (w, a)))
        .filter(|(_, a)| a.label.to_lowercase().contains(&q) || a.id.to_lowercase().contains(&q))
        .map(|(w, a)| Found {
            workflow: w.id.clone(),
            workflow_label: w.label.clone(),
            activity: a.id.clone(),
            label: a.display_name().to_owned(),
        })
        .collect()
}

fn workflow_mut<'a>(d: &'a mut Design, workflow: &str) -> Result<&'a mut Workflow, EditError> {
    d.workflow_mut(workflow)
        .ok_or_else(|| EditError::NoWorkflow(workflow.to_owned()))
}

fn rename_activity(d: &mut Design, workflow: &str, old: &str, new: &str) -> Result<(), EditError> {
    if let Some(problem) = crate::model::id_problem("activity", new) {
        return Err(EditError::BadId(problem));
    }
    if new == old {
        return Ok(());
    }
    let w = workflow_mut(d, workflow)?;
    if w.activity(new).is_some() {
        return Err(EditError::IdTaken {
            id: new.to_owned(),
            workflow: workflow.to_owned(),
        });
    }
    let a = w
        .activity_mut(old)
        .ok_or_else(|| EditError::NoActivity(old.to_owned()))?;
    a.id = new.to_owned();
    for t in &mut w.transitions {
        if t.from == old {
            t.from = new.to_owned();
        }
        if t.to == old {
            t.to = new.to_owned();
        }
    }
    for w in &mut d.workflows {
        for a in &mut w.activities {
            if let ActivityKind::End(EndSettings { trigger: Some(t) }) = &mut a.kind
                && t.workflow == workflow
                && t.signal == old
            {
                t.signal = new.to_owned();
            }
        }
    }
    Ok(())
}

fn connect(d: &mut Design, workflow: &str, t: Transition) -> Result<(), EditError> {
    let w = d
        .workflow_mut(workflow)
        .ok_or_else(|| EditError::ConnectNoWorkflow(workflow.to_owned()))?;
    let missing = [&t.from, &t.to]
        .into_iter()
        .find(|id| w.activity(id).is_none());
    if let Some(id) = missing {
        return Err(EditError::ConnectNoActivity {
            activity: id.clone(),
            workflow: workflow.to_owned(),
        });
    }
    let (Some(a), Some(b)) = (w.activity(&t.from), w.activity(&t.to)) else {
        return Ok(());
    };
    if b.kind.is_entry() {
        return Err(EditError::IntoEntry(b.display_name().to_owned()));
    }
    if !a.kind.output_ports().contains(&t.port) {
        return Err(EditError::NoOutput {
            activity: a.display_name().to_owned(),
            port: t.port.describe(),
        });
    }
    if !w.transitions.contains(&t) {
        w.transitions.push(t);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::model::{EndTrigger, Port, SignalContract};

    fn transition(from: String, port: Port, to: String) -> Transition {
        Transition { from, port, to }
    }

    /// WKF1: signal1 → end1, end1 triggering WKF2/signal1; WKF2: signal1 → end1.
    fn design() -> Design {
        let mut d = Design::default();
        for (id, target) in [("WKF1", Some("WKF2")), ("WKF2", None)] {
            let mut w = Workflow::new(id, id);
            w.activities.push(Activity {
                id: "signal1".into(),
                label: "Signal".into(),
                position: Position::default(),
                kind: ActivityKind::ExternalSignal(SignalContract::default()),
                options: Default::default(),
            });
            let mut end = Activity::new("end1", "End", KindTag::End);
            if let Some(t) = target {
                end.kind = ActivityKind::End(EndSettings {
                    trigger: Some(EndTrigger {
                        workflow: t.into(),
                        signal: "signal1".into(),
                        ..EndTrigger::default()
                    }),
                });
            }
            w.activities.push(end);
            w.transitions
                .push(transition("signal1".into(), Port::Out, "end1".into()));
            d.workflows.push(w);
        }
        d
    }

    fn doc() -> Document {
        Document::new(design(), None, "t.flow.ron")
    }

    fn end_target(d: &Design) -> Option<(String, String)> {
        match &d.workflow("WKF1")?.activity("end1")?.kind {
            ActivityKind::End(EndSettings { trigger: Some(t) }) => {
                Some((t.workflow.clone(), t.signal.clone()))
            }
            _ => None,
        }
    }

    #[test]
    fn an_edit_is_dirty_undo_makes_it_clean_and_redo_dirty_again() {
        let mut doc = doc();
        assert!(!doc.is_dirty() && !doc.can_undo());
        let rev = doc.rev();
        let id = doc
            .add_activity("WKF1", KindTag::Query, Position { x: 5.0, y: 6.0 })
            .unwrap();
        assert_eq!(id, "query1");
        assert!(doc.is_dirty());
        assert!(doc.rev() > rev, "structural edits change the revision");
        let edited = doc.design().clone();
        assert!(doc.undo());
        assert_eq!(doc.design(), &design());
        assert!(!doc.is_dirty(), "back to the saved design");
        assert!(doc.can_redo());
        assert!(doc.redo());
        assert_eq!(doc.design(), &edited);
        assert!(doc.is_dirty());
        assert!(!doc.redo(), "nothing more to redo");
    }

    #[test]
    fn a_new_edit_clears_redo() {
        let mut doc = doc();
        doc.add_workflow().unwrap();
        doc.undo();
        assert!(doc.can_redo());
        doc.rename_workflow("WKF1", "Caller".into()).unwrap();
        assert!(!doc.can_redo());
    }

    #[test]
    fn renaming_updates_transitions_and_end_triggers_of_every_workflow() {
        let mut doc = doc();
        doc.rename_activity("WKF2", "signal1", "incoming").unwrap();
        let w2 = doc.design().workflow("WKF2").unwrap();
        assert!(w2.activity("incoming").is_some() && w2.activity("signal1").is_none());
        assert_eq!(w2.transitions[0].from, "incoming");
        assert_eq!(
            end_target(doc.design()),
            Some(("WKF2".into(), "incoming".into()))
        );
        // WKF1's own signal1 is another activity: untouched.
        let w1 = doc.design().workflow("WKF1").unwrap();
        assert_eq!(w1.transitions[0].from, "signal1");
        assert!(doc.undo());
        assert_eq!(doc.design(), &design(), "one undo step");
    }

    #[test]
    fn a_refused_rename_leaves_the_document_as_it_was() {
        let mut doc = doc();
        let rev = doc.rev();
        assert_eq!(
            doc.rename_activity("WKF1", "signal1", "end1"),
            Err(EditError::IdTaken {
                id: "end1".into(),
                workflow: "WKF1".into()
            })
        );
        for bad in ["", "a b", "file/1", "2nd"] {
            let refused = doc.rename_activity("WKF1", "signal1", bad);
            assert!(
                matches!(refused, Err(EditError::BadId(_))),
                "{bad:?}: {refused:?}"
            );
        }
        assert_eq!(
            doc.rename_activity("WKF1", "nope", "x")
                .unwrap_err()
                .to_string(),
            "no activity nope"
        );
        assert_eq!(doc.design(), &design());
        assert_eq!(doc.rev(), rev);
        assert!(!doc.is_dirty() && !doc.can_undo());
    }

    #[test]
    fn connect_refuses_entries_and_missing_ports_and_adds_a_transition_once() {
        let mut doc = doc();
        let into_entry = transition("end1".into(), Port::Out, "signal1".into());
        let e = doc.connect("WKF1", into_entry).unwrap_err();
        assert!(e.to_string().contains("entry"), "{e}");
        let gone = transition("signal1".into(), Port::Out, "nope".into());
        assert_eq!(
            doc.connect("WKF1", gone).unwrap_err().to_string(),
            "cannot connect: activity 'nope' no longer exists in workflow 'WKF1'"
        );
        assert!(!doc.can_undo(), "refused edits leave no undo point");
        let id = doc
            .add_activity("WKF1", KindTag::Query, Position::default())
            .unwrap();
        let t = transition("signal1".into(), Port::Out, id);
        doc.connect("WKF1", t.clone()).unwrap();
        doc.connect("WKF1", t.clone()).unwrap();
        let w = doc.design().workflow("WKF1").unwrap();
        assert_eq!(w.transitions.iter().filter(|x| **x == t).count(), 1);
        doc.disconnect("WKF1", &t).unwrap();
        assert!(
            !doc.design()
                .workflow("WKF1")
                .unwrap()
                .transitions
                .contains(&t)
        );
    }

    #[test]
    fn deleting_activities_removes_their_transitions() {
        let mut doc = doc();
        doc.delete_activities("WKF1", &["end1".into()]).unwrap();
        let w = doc.design().workflow("WKF1").unwrap();
        assert!(w.activity("end1").is_none());
        assert!(w.transitions.is_empty());
    }

    #[test]
    fn moves_coalesce_within_a_second_and_do_not_change_the_revision() {
        let mut doc = doc();
        let rev = doc.rev();
        let t0 = Instant::now();
        for (i, dt) in [0u64, 300, 600].into_iter().enumerate() {
            let at = t0 + Duration::from_millis(dt);
            doc.edit_at(at, Some("move/WKF1"), false, |d| {
                if let Some(a) = d.workflow_mut("WKF1").and_then(|w| w.activity_mut("end1")) {
                    a.position.x = i as f32 + 1.0;
                }
                Ok(())
            })
            .unwrap();
        }
        assert_eq!(doc.rev(), rev, "moves are not structural");
        assert!(doc.is_dirty());
        assert!(doc.undo());
        assert_eq!(doc.design(), &design(), "three moves, one undo step");
        // Two seconds apart: two steps.
        let mut doc = Document::new(design(), None, "t");
        for dt in [0u64, 2000] {
            doc.edit_at(t0 + Duration::from_millis(dt), Some("k"), true, |d| {
                d.workflows[0].label.push('x');
                Ok(())
            })
            .unwrap();
        }
        assert!(doc.undo() && doc.undo() && !doc.undo());
    }

    #[test]
    fn arranging_is_one_undo_step_of_its_own() {
        let mut doc = doc();
        let at = |x| Position { x, y: 0.0 };
        doc.move_activities("WKF1", vec![("signal1".into(), at(5.0))])
            .unwrap();
        let before = doc.design().clone();
        doc.arrange(
            "WKF1",
            vec![("signal1".into(), at(100.0)), ("end1".into(), at(400.0))],
        )
        .unwrap();
        let pos = |d: &Design, id: &str| d.workflow("WKF1").unwrap().activity(id).unwrap().position;
        assert_eq!(pos(doc.design(), "end1"), at(400.0));
        assert!(doc.undo());
        assert_eq!(
            doc.design(),
            &before,
            "undo takes back the layout, not the drag"
        );
        assert!(doc.arrange("nope", Vec::new()).is_err());
    }

    #[test]
    fn the_cooldown_is_an_edit() {
        let mut doc = doc();
        doc.set_cooldown(Cooldown::Seconds(60)).unwrap();
        assert_eq!(
            doc.design().compatibility.trigger_cooldown,
            Cooldown::Seconds(60)
        );
        assert!(doc.is_dirty());
        assert!(doc.undo());
        assert!(!doc.is_dirty());
    }

    #[test]
    fn an_edit_that_changes_nothing_records_nothing() {
        let mut doc = doc();
        let rev = doc.rev();
        doc.rename_workflow("WKF1", "WKF1".into()).unwrap();
        assert!(!doc.can_undo() && !doc.is_dirty());
        assert_eq!(doc.rev(), rev);
    }

    /// Regression: typing a label, saving, and typing on within a second made one undo step
    /// across the save, so undo went back past what was saved.
    #[test]
    fn a_save_ends_the_undo_step_being_typed() {
        let mut doc = doc();
        doc.rename_workflow("WKF1", "Caller".into()).unwrap();
        doc.saved_to(Path::new("/tmp/x.flow.ron"));
        assert!(!doc.is_dirty());
        assert_eq!(doc.file_name(), "x.flow.ron");
        doc.rename_workflow("WKF1", "Other".into()).unwrap();
        assert!(doc.is_dirty());
        doc.undo();
        assert!(!doc.is_dirty(), "undone to what was saved");
    }

    #[test]
    fn recovered_work_is_unsaved_and_one_undo_away() {
        let mut doc = doc();
        let mut recovered = design();
        recovered.workflows.pop();
        doc.restore_recovered(recovered.clone());
        assert_eq!(doc.design(), &recovered);
        assert!(doc.is_dirty());
        assert!(doc.undo());
        assert_eq!(doc.design(), &design());
    }

    #[test]
    fn a_clip_round_trips_through_text_and_pastes_with_fresh_ids_and_its_transitions() {
        let mut doc = doc();
        let w = doc.design().workflow("WKF1").unwrap().clone();
        let clip = Clip::of(&w, &["signal1".into(), "end1".into()]).unwrap();
        assert_eq!(clip.transitions.len(), 1);
        let text = clip.to_text();
        assert!(text.starts_with(CLIP_HEADER), "{text}");
        assert_eq!(Clip::from_text(&text), Some(clip.clone()));
        assert_eq!(Clip::from_text("signal1"), None, "other text is no clip");
        assert_eq!(Clip::from_text(&format!("{CLIP_HEADER}\n(")), None);
        let ids = doc.paste("WKF1", &clip, (300.0, 40.0)).unwrap();
        assert_eq!(ids, ["signal2", "end2"]);
        let w = doc.design().workflow("WKF1").unwrap();
        let pasted = w.activity("end2").unwrap();
        let original = w.activity("end1").unwrap();
        assert_eq!(pasted.position.x, original.position.x + 300.0);
        assert!(
            w.transitions
                .contains(&transition("signal2".into(), Port::Out, "end2".into()))
        );
        assert!(doc.undo());
        assert_eq!(doc.design(), &design(), "one undo step");
        assert_eq!(
            doc.paste("WKF9", &clip, (0.0, 0.0)).unwrap_err(),
            EditError::NoWorkflow("WKF9".into())
        );
    }

    /// WKF1 as a chain: signal1 → a → b → end1.
    fn chain() -> Document {
        let mut doc = Document::new(Design::default(), None, "c");
        doc.add_workflow().unwrap();
        let at = Position::default();
        let s = doc
            .add_activity("WKF1", KindTag::ExternalSignal, at)
            .unwrap();
        let a = doc
            .append_activity("WKF1", &s, Port::Out, KindTag::Query, at)
            .unwrap();
        let b = doc
            .append_activity("WKF1", &a, Port::Out, KindTag::Wait, at)
            .unwrap();
        doc.append_activity("WKF1", &b, Port::Out, KindTag::End, at)
            .unwrap();
        doc
    }

    fn links(doc: &Document) -> Vec<(String, String)> {
        let mut l: Vec<(String, String)> = doc
            .design()
            .workflow("WKF1")
            .unwrap()
            .transitions
            .iter()
            .map(|t| (t.from.clone(), t.to.clone()))
            .collect();
        l.sort();
        l
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = p
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn append_adds_and_connects_in_one_undo_step() {
        let mut doc = chain();
        assert_eq!(
            links(&doc),
            pairs(&[
                ("signal1", "query1"),
                ("query1", "wait1"),
                ("wait1", "end1")
            ])
        );
        let before = doc.design().clone();
        let id = doc
            .append_activity(
                "WKF1",
                "query1",
                Port::Out,
                KindTag::Test,
                Position { x: 9.0, y: 1.0 },
            )
            .unwrap();
        assert_eq!(id, "test1");
        let w = doc.design().workflow("WKF1").unwrap();
        let t = w.activity("test1").unwrap();
        assert_eq!(t.position, Position { x: 9.0, y: 1.0 });
        assert_eq!(
            t.kind.output_ports(),
            [Port::Condition("c1".into())],
            "a new Test has a condition to follow"
        );
        assert!(doc.undo());
        assert_eq!(doc.design(), &before);
        let e = doc
            .append_activity(
                "WKF1",
                "end1",
                Port::Out,
                KindTag::Query,
                Position::default(),
            )
            .unwrap_err();
        assert!(e.to_string().contains("has no output"), "{e}");
        assert_eq!(doc.design(), &before, "a refused append leaves nothing");
    }

    #[test]
    fn an_activity_inserted_on_a_transition_goes_between_its_ends_in_one_undo_step() {
        let mut doc = chain();
        let before = doc.design().clone();
        let t = transition("query1".into(), Port::Out, "wait1".into());
        let moved = Position { x: 500.0, y: 0.0 };
        let id = doc
            .insert_on_transition(
                "WKF1",
                &t,
                KindTag::UpdateData,
                Position { x: 250.0, y: 0.0 },
                vec![("wait1".into(), moved)],
            )
            .unwrap();
        assert_eq!(
            links(&doc),
            pairs(&[
                ("signal1", "query1"),
                ("query1", &id),
                (&id, "wait1"),
                ("wait1", "end1")
            ])
        );
        let w = doc.design().workflow("WKF1").unwrap();
        assert_eq!(w.activity("wait1").unwrap().position, moved, "room made");
        assert!(doc.undo());
        assert_eq!(doc.design(), &before);
        for tag in [KindTag::End, KindTag::ExternalSignal, KindTag::Start] {
            let e = doc
                .insert_on_transition("WKF1", &t, tag, Position::default(), Vec::new())
                .unwrap_err();
            assert_eq!(e, EditError::NotBetween(tag.name().into()));
        }
        let gone = transition("end1".into(), Port::Out, "query1".into());
        assert!(
            doc.insert_on_transition("WKF1", &gone, KindTag::Wait, Position::default(), vec![])
                .is_err()
        );
        assert_eq!(
            doc.design(),
            &before,
            "refusals leave the document as it was"
        );
    }

    #[test]
    fn deleting_the_middle_of_a_chain_reconnects_its_neighbours() {
        let mut doc = chain();
        doc.delete_activities("WKF1", &["query1".into()]).unwrap();
        assert_eq!(
            links(&doc),
            pairs(&[("signal1", "wait1"), ("wait1", "end1")])
        );
        // Two in a row: the chain still holds.
        let mut doc = chain();
        doc.delete_activities("WKF1", &["query1".into(), "wait1".into()])
            .unwrap();
        assert_eq!(links(&doc), pairs(&[("signal1", "end1")]));
        assert!(doc.undo());
        assert_eq!(links(&doc).len(), 3, "one undo step");
        // Two ways out: nothing to guess, the neighbours stay apart.
        let mut doc = chain();
        doc.connect(
            "WKF1",
            transition("query1".into(), Port::Out, "end1".into()),
        )
        .unwrap();
        doc.delete_activities("WKF1", &["query1".into()]).unwrap();
        assert_eq!(links(&doc), pairs(&[("wait1", "end1")]));
    }

    #[test]
    fn new_workflows_get_distinct_labels() {
        let mut doc = doc();
        let a = doc.add_workflow().unwrap();
        doc.rename_workflow(&a, "Workflow 4".into()).unwrap();
        let b = doc.add_workflow().unwrap();
        let label = |d: &Document, id: &str| d.design().workflow(id).unwrap().label.clone();
        assert_eq!((a.as_str(), b.as_str()), ("WKF3", "WKF4"));
        assert_eq!(label(&doc, &b), "Workflow 5", "Workflow 4 is taken");
        let labels: BTreeSet<String> = doc
            .design()
            .workflows
            .iter()
            .map(|w| w.label.clone())
            .collect();
        assert_eq!(labels.len(), doc.design().workflows.len());
    }

    #[test]
    fn a_new_design_has_one_workflow_that_begins_with_an_external_signal() {
        let d = new_design();
        assert_eq!(d.workflows.len(), 1);
        let w = &d.workflows[0];
        assert_eq!((w.id.as_str(), w.label.as_str()), ("WKF1", "Workflow 1"));
        assert!(w.signal("signal1").is_some());
    }

    #[test]
    fn a_new_target_workflow_begins_with_a_signal_the_end_triggers() {
        let mut doc = doc();
        let before = doc.design().clone();
        let (w, s) = doc.add_target_workflow("WKF1", "end1").unwrap();
        assert_eq!((w.as_str(), s.as_str()), ("WKF3", "signal1"));
        assert_eq!(end_target(doc.design()), Some((w.clone(), s.clone())));
        let target = doc.design().workflow(&w).unwrap();
        assert!(target.signal(&s).is_some());
        assert!(doc.undo());
        assert_eq!(doc.design(), &before, "one undo step");
        assert_eq!(
            doc.add_target_workflow("WKF1", "signal1").unwrap_err(),
            EditError::NotAnEnd("Signal".into())
        );
        assert_eq!(doc.design(), &before);
    }

    #[test]
    fn activities_are_found_by_label_or_id_in_every_workflow() {
        let d = design();
        let found = find_activities(&d, "SIGN");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].workflow, "WKF1");
        assert_eq!(found[1].workflow, "WKF2");
        assert_eq!(found[0].label, "Signal");
        assert_eq!(find_activities(&d, "end1").len(), 2);
        assert!(find_activities(&d, "  ").is_empty());
        assert!(find_activities(&d, "nothing").is_empty());
    }

    #[test]
    fn scenarios_are_added_once_edited_and_deleted() {
        let mut doc = doc();
        let s = Scenario {
            name: "one".into(),
            workflow: "WKF1".into(),
            signal: "signal1".into(),
            payload: serde_json::json!({"source": "t", "parameters": {}}),
            expect: Expectations::default(),
            steps: Vec::new(),
        };
        doc.add_scenario(s.clone()).unwrap();
        assert_eq!(
            doc.add_scenario(s).unwrap_err().to_string(),
            "a scenario named 'one' exists already"
        );
        let expect = Expectations {
            accepted: Some(true),
            ..Expectations::default()
        };
        doc.set_expectations("one", expect.clone()).unwrap();
        assert_eq!(doc.design().scenarios[0].expect, expect);
        assert_eq!(
            doc.set_expectations("two", expect).unwrap_err().to_string(),
            "scenario 'two' no longer exists"
        );
        let payload = serde_json::json!({"source": "u", "parameters": {"a": 1}});
        doc.set_scenario_payload("one", "WKF2", "signal1", payload.clone())
            .unwrap();
        assert_eq!(doc.design().scenarios[0].payload, payload);
        assert_eq!(doc.design().scenarios[0].workflow, "WKF2");
        assert!(doc.undo());
        assert_eq!(doc.design().scenarios[0].workflow, "WKF1", "one undo step");
        assert!(
            doc.set_scenario_payload("two", "WKF1", "signal1", payload)
                .is_err()
        );
        doc.delete_scenario("one").unwrap();
        assert!(doc.design().scenarios.is_empty());
    }

    #[test]
    fn replacing_the_document_forgets_its_history() {
        let mut doc = doc();
        doc.add_workflow().unwrap();
        let rev = doc.rev();
        doc.replace(Design::default(), Some("/tmp/n.flow.ron".into()), "n");
        assert!(!doc.can_undo() && !doc.is_dirty());
        assert!(doc.rev() > rev);
        assert_eq!(doc.path(), Some(Path::new("/tmp/n.flow.ron")));
    }
}
