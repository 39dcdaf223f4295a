//! The document being designed, without egui: the design, the copy last saved (or opened), the
//! file it belongs to, undo and redo snapshots, the revision counter and the dirty flag, and
//! every edit operation of the designer (add, remove, move, connect, disconnect, rename with
//! reference updates, scenario edits). Each operation is one [`Document::edit`]: an undo point
//! (edits with the same coalescing key within a second share one), the revision bumped when the
//! structure changed, dirtiness recomputed against the saved copy. A refused edit leaves the
//! document as it was and says why ([`EditError`]).
//!
//! This module imports nothing else from `ui`; its tests need no window.

use crate::model::{
    Activity, ActivityKind, Cooldown, Design, EndSettings, Expectations, KindTag, Position,
    Scenario, Transition, Workflow,
};
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
    /// An activity cannot be renamed to the empty id.
    #[error("an activity id cannot be empty")]
    EmptyId,
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

    /// Adds an empty workflow with the first free id `WKF<n>`; returns its id.
    pub fn add_workflow(&mut self) -> Result<String, EditError> {
        let mut id = String::new();
        self.edit(None, true, |d| {
            id = (1..)
                .map(|n| format!("WKF{n}"))
                .find(|id| d.workflow(id).is_none())
                .unwrap_or_default();
            d.workflows.push(Workflow::new(id.clone(), "New workflow"));
            Ok(())
        })?;
        Ok(id)
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
            new_id = w.fresh_activity_id(tag.id_prefix());
            let mut a = Activity::new(new_id.clone(), tag.name(), tag);
            a.position = position;
            w.activities.push(a);
            Ok(())
        })?;
        Ok(new_id)
    }

    /// Pastes a copy of `activity` with a fresh id, 40 units right and down of where it was;
    /// returns the new id.
    pub fn paste_activity(
        &mut self,
        workflow: &str,
        mut activity: Activity,
    ) -> Result<String, EditError> {
        let mut new_id = String::new();
        self.edit(None, true, |d| {
            let w = workflow_mut(d, workflow)?;
            activity.id = w.fresh_activity_id(activity.kind.tag().id_prefix());
            activity.position.x += 40.0;
            activity.position.y += 40.0;
            new_id = activity.id.clone();
            w.activities.push(activity);
            Ok(())
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

    /// Deletes activities and every transition from or to them.
    pub fn delete_activities(&mut self, workflow: &str, ids: &[String]) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            if let Some(w) = d.workflow_mut(workflow) {
                w.activities.retain(|a| !ids.contains(&a.id));
                w.transitions
                    .retain(|t| !ids.contains(&t.from) && !ids.contains(&t.to));
            }
            Ok(())
        })
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

    /// Deletes a scenario.
    pub fn delete_scenario(&mut self, name: &str) -> Result<(), EditError> {
        self.edit(None, true, |d| {
            d.scenarios.retain(|s| s.name != name);
            Ok(())
        })
    }
}

fn workflow_mut<'a>(d: &'a mut Design, workflow: &str) -> Result<&'a mut Workflow, EditError> {
    d.workflow_mut(workflow)
        .ok_or_else(|| EditError::NoWorkflow(workflow.to_owned()))
}

fn rename_activity(d: &mut Design, workflow: &str, old: &str, new: &str) -> Result<(), EditError> {
    if new.is_empty() {
        return Err(EditError::EmptyId);
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
        assert_eq!(
            doc.rename_activity("WKF1", "signal1", ""),
            Err(EditError::EmptyId)
        );
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
    fn paste_gets_a_fresh_id_beside_the_original() {
        let mut doc = doc();
        let a = doc
            .design()
            .workflow("WKF1")
            .and_then(|w| w.activity("end1"))
            .cloned()
            .unwrap();
        let id = doc.paste_activity("WKF1", a.clone()).unwrap();
        assert_ne!(id, "end1");
        let pasted = doc
            .design()
            .workflow("WKF1")
            .unwrap()
            .activity(&id)
            .unwrap();
        assert_eq!(pasted.position.x, a.position.x + 40.0);
        assert_eq!(
            doc.paste_activity("WKF9", a).unwrap_err(),
            EditError::NoWorkflow("WKF9".into())
        );
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
