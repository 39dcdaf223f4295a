//! Every user intent of the designer as one [`Command`] enum. Widgets collect commands while
//! drawing; the app applies them after drawing (where undo points are recorded). Each action's
//! label, shortcut and tooltip are written once, in [`Command::meta`], and menus, the command
//! palette and the keyboard handling all read them from there.

use super::simulator::WorkflowMethod;
use crate::export::Format;
use crate::model::{Activity, Expectations, KindTag, Port, Position};
use crate::sim::RunId;
use egui::{Key, KeyboardShortcut, Modifiers};
use std::path::PathBuf;

/// One user intent.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start a new, empty design.
    New,
    /// Pick a design file to open.
    Open,
    /// Save to the current file (or ask for one).
    Save,
    /// Save to a file picked by the user.
    SaveAs,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Delete the selected activities.
    DeleteSelected,
    /// Copy the selected activity.
    Copy,
    /// Paste the copied activity into the current workflow.
    Paste,
    /// Fit every activity of the current workflow in the view.
    ZoomToFit,
    /// Switch between the dark and the light theme.
    ToggleTheme,
    /// Show the command palette.
    CommandPalette,
    /// Add a workflow.
    AddWorkflow,
    /// Open this file (recent files, dropped files, the command line).
    OpenPath(PathBuf),
    /// Save to this file without asking.
    SaveTo(PathBuf),
    /// Export the design for servers to a file picked by the user.
    Export(Format),
    /// Export the design in this format to this file without asking.
    ExportTo(Format, PathBuf),
    /// Show this workflow on the canvas.
    SelectWorkflow(String),
    /// Change a workflow's label.
    RenameWorkflow {
        /// The workflow id.
        workflow: String,
        /// The new label.
        label: String,
    },
    /// Delete a workflow.
    DeleteWorkflow(String),
    /// Add an activity of this kind to the current workflow, at a canvas position.
    AddActivity {
        /// The kind.
        tag: KindTag,
        /// Where, in canvas units.
        position: Position,
    },
    /// Select one activity of the current workflow (or none).
    Select(Option<String>),
    /// Show a diagnostic's place: its workflow, activity and field.
    Reveal {
        /// Workflow id.
        workflow: Option<String>,
        /// Activity id.
        activity: Option<String>,
        /// Field key (`parameter:x`, `filter`...).
        field: Option<String>,
    },
    /// Replace an activity's settings and label (its id stays).
    EditActivity {
        /// Workflow id.
        workflow: String,
        /// The new value, with the same id.
        activity: Box<Activity>,
        /// Edits with the same key within a second are one undo step.
        coalesce: String,
    },
    /// Rename an activity, updating every transition and End trigger that refers to it.
    RenameActivity {
        /// Workflow id.
        workflow: String,
        /// The current id.
        old: String,
        /// The new id.
        new: String,
    },
    /// Move activities (a drag on the canvas).
    MoveActivities {
        /// Workflow id.
        workflow: String,
        /// New positions.
        moves: Vec<(String, Position)>,
    },
    /// Add a transition.
    Connect {
        /// Workflow id.
        workflow: String,
        /// Source activity.
        from: String,
        /// Source port.
        port: Port,
        /// Target activity.
        to: String,
    },
    /// Remove a transition.
    Disconnect {
        /// Workflow id.
        workflow: String,
        /// Source activity.
        from: String,
        /// Source port.
        port: Port,
        /// Target activity.
        to: String,
    },
    /// Set or clear a simulator breakpoint on an activity.
    ToggleBreakpoint {
        /// Workflow id.
        workflow: String,
        /// Activity id.
        activity: String,
    },
    /// Choose the signal the run form triggers.
    SimSelectSignal {
        /// Workflow id.
        workflow: String,
        /// External signal activity id.
        signal: String,
    },
    /// Trigger the run form's payload and run until a breakpoint or the end.
    SimRun,
    /// Trigger the run form's payload without visiting anything yet.
    SimTriggerOnly,
    /// Visit the next pending activity.
    SimStep,
    /// Run until the next breakpoint or the end.
    SimContinue,
    /// Run to the end, ignoring breakpoints.
    SimRunToEnd,
    /// A fresh simulator on the current design.
    SimReset,
    /// Stop the running background job.
    SimCancel,
    /// Start, pause, resume or stop a workflow in the simulator.
    SimWorkflow {
        /// Workflow id.
        workflow: String,
        /// What to do.
        method: WorkflowMethod,
    },
    /// Move the virtual clock forward by this many minutes.
    SimAdvanceClock(u32),
    /// Show this run (or none).
    SimSelectRun(Option<RunId>),
    /// Copy a curl call of the run form's payload.
    SimCopyCurl,
    /// Re-run after every edit, or not.
    SimToggleAutoRun,
    /// Start or stop the in-process trigger endpoint.
    SimListen(bool),
    /// Run these scenarios (all when `None`).
    RunScenarios(Option<Vec<String>>),
    /// Save the run form as a scenario with this name, expecting what it gives now.
    SaveScenario(String),
    /// Replace a scenario's expectations.
    EditScenarioExpectations {
        /// Scenario name.
        name: String,
        /// The new expectations.
        expect: Box<Expectations>,
    },
    /// Delete a scenario.
    DeleteScenario(String),
    /// Delete activities and their transitions.
    DeleteActivities {
        /// Workflow id.
        workflow: String,
        /// Activity ids.
        ids: Vec<String>,
    },
    /// Pick a payload file (JSONL or CSV) for the Batch tab with a dialog.
    BatchOpenFile,
    /// Use this payload file in the Batch tab (the path field, dropped files, tests).
    BatchOpenPath(PathBuf),
    /// Choose the External signal the Batch tab triggers.
    BatchTarget {
        /// Workflow id.
        workflow: String,
        /// Signal activity id.
        signal: String,
    },
    /// Run every payload of the Batch tab's file, off the UI thread.
    BatchRun,
    /// Stop the running batch.
    BatchCancel,
}

const fn cmd(key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(Modifiers::COMMAND, key))
}

const fn cmd_shift(key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(
        Modifiers::COMMAND.plus(Modifiers::SHIFT),
        key,
    ))
}

impl Command {
    /// The commands without arguments, in menu order (menus and the palette list these).
    pub const GLOBAL: [Command; 26] = [
        Command::New,
        Command::Open,
        Command::Save,
        Command::SaveAs,
        Command::Export(Format::Json),
        Command::Export(Format::Schema),
        Command::Export(Format::Openapi),
        Command::Export(Format::Bpmn),
        Command::Export(Format::Curl),
        Command::Undo,
        Command::Redo,
        Command::Copy,
        Command::Paste,
        Command::DeleteSelected,
        Command::AddWorkflow,
        Command::ZoomToFit,
        Command::ToggleTheme,
        Command::CommandPalette,
        Command::SimRun,
        Command::SimTriggerOnly,
        Command::SimStep,
        Command::SimContinue,
        Command::SimRunToEnd,
        Command::SimReset,
        Command::SimToggleAutoRun,
        Command::RunScenarios(None),
    ];

    /// The simulator's commands without arguments, in menu order (the first five drive runs).
    pub const SIMULATE: [Command; 8] = [
        Command::SimRun,
        Command::SimTriggerOnly,
        Command::SimStep,
        Command::SimContinue,
        Command::SimRunToEnd,
        Command::SimReset,
        Command::SimToggleAutoRun,
        Command::RunScenarios(None),
    ];

    /// Label, shortcut and tooltip: the single place where they are written.
    pub fn meta(&self) -> (&'static str, Option<KeyboardShortcut>, &'static str) {
        match self {
            Command::New => ("New", cmd(Key::N), "Start a new, empty design"),
            Command::Open => ("Open…", cmd(Key::O), "Open a design file"),
            Command::Save => ("Save", cmd(Key::S), "Save the design to its file"),
            Command::SaveAs => (
                "Save as…",
                cmd_shift(Key::S),
                "Save the design to a new file",
            ),
            Command::Undo => ("Undo", cmd(Key::Z), "Undo the last edit"),
            Command::Redo => (
                "Redo",
                cmd_shift(Key::Z),
                "Redo the last undone edit (also Ctrl+Y)",
            ),
            Command::Copy => ("Copy", cmd(Key::C), "Copy the selected activity"),
            Command::Paste => (
                "Paste",
                cmd(Key::V),
                "Paste the copied activity into this workflow",
            ),
            Command::DeleteSelected => (
                "Delete selected",
                Some(KeyboardShortcut::new(Modifiers::NONE, Key::Delete)),
                "Delete the selected activities and their transitions",
            ),
            Command::AddWorkflow => ("Add workflow", None, "Add an empty workflow to the design"),
            Command::ZoomToFit => (
                "Zoom to fit",
                cmd(Key::Num0),
                "Show every activity of the workflow",
            ),
            Command::ToggleTheme => (
                "Toggle dark/light theme",
                None,
                "Switch between dark and light",
            ),
            Command::CommandPalette => ("Command palette", cmd(Key::K), "Search every command"),
            Command::OpenPath(_) => ("Open file", None, "Open this design file"),
            Command::SaveTo(_) => ("Save to file", None, "Save the design to this file"),
            Command::Export(Format::Json) => (
                "Export JSON…",
                None,
                "The design as JSON (its schema is assets/flowcall-design.schema.json)",
            ),
            Command::Export(Format::Schema) => (
                "Export JSON Schema…",
                None,
                "A JSON Schema (2020-12) of each signal's trigger payload",
            ),
            Command::Export(Format::Openapi) => (
                "Export OpenAPI…",
                None,
                "OpenAPI 3.1 of the trigger endpoints",
            ),
            Command::Export(Format::Bpmn) => (
                "Export BPMN (Camunda 8)…",
                None,
                "BPMN 2.0 with Zeebe extensions, one pool per workflow",
            ),
            Command::Export(Format::Curl) => (
                "Export curl calls…",
                None,
                "A ready curl call per signal for flowcall serve",
            ),
            Command::ExportTo(..) => ("Export to file", None, "Export the design to this file"),
            Command::SelectWorkflow(_) => ("Select workflow", None, "Show this workflow"),
            Command::RenameWorkflow { .. } => {
                ("Rename workflow", None, "Change the workflow's label")
            }
            Command::DeleteWorkflow(_) => ("Delete workflow", None, "Delete this workflow"),
            Command::AddActivity { .. } => {
                ("Add activity", None, "Add an activity to the workflow")
            }
            Command::Select(_) => ("Select activity", None, "Select an activity"),
            Command::Reveal { .. } => (
                "Show problem",
                None,
                "Select the activity and field of a problem",
            ),
            Command::EditActivity { .. } => {
                ("Edit activity", None, "Change an activity's settings")
            }
            Command::RenameActivity { .. } => (
                "Rename activity",
                None,
                "Change an activity's id everywhere",
            ),
            Command::MoveActivities { .. } => {
                ("Move activities", None, "Move activities on the canvas")
            }
            Command::Connect { .. } => ("Connect", None, "Add a transition"),
            Command::Disconnect { .. } => ("Disconnect", None, "Remove a transition"),
            Command::DeleteActivities { .. } => ("Delete activities", None, "Delete activities"),
            Command::SimSelectSignal { .. } => (
                "Choose signal",
                None,
                "Choose the signal the run form triggers",
            ),
            Command::SimRun => (
                "▶ Run",
                Some(KeyboardShortcut::new(Modifiers::NONE, Key::F5)),
                "Trigger the form's payload and run until a breakpoint or the end",
            ),
            Command::SimTriggerOnly => (
                "Trigger only",
                None,
                "Trigger the form's payload, then step through the run yourself",
            ),
            Command::SimStep => (
                "Step",
                Some(KeyboardShortcut::new(Modifiers::NONE, Key::F10)),
                "Visit the next pending activity",
            ),
            Command::SimContinue => (
                "Continue",
                Some(KeyboardShortcut::new(Modifiers::NONE, Key::F8)),
                "Run until the next breakpoint or the end",
            ),
            Command::SimRunToEnd => ("Run to end", None, "Run to the end, ignoring breakpoints"),
            Command::SimReset => (
                "Reset",
                None,
                "A fresh simulator on the current design: runs cleared, every workflow started",
            ),
            Command::SimCancel => ("Stop", None, "Stop the running simulation"),
            Command::SimWorkflow { .. } => (
                "Workflow command",
                None,
                "Start, pause, resume or stop a workflow",
            ),
            Command::SimAdvanceClock(_) => (
                "Advance clock",
                None,
                "Move the virtual clock forward (waiting activities become due)",
            ),
            Command::SimSelectRun(_) => ("Select run", None, "Show this run"),
            Command::SimCopyCurl => (
                "Copy as curl",
                None,
                "Copy a curl call that sends this payload to the trigger endpoint",
            ),
            Command::SimToggleAutoRun => (
                "Auto-run",
                None,
                "Re-run the last trigger (and the scenarios already run) after every edit",
            ),
            Command::SimListen(_) => (
                "Listen for API calls",
                None,
                "Accept trigger calls on loopback (as flowcall serve does); incoming runs appear in the runs list",
            ),
            Command::RunScenarios(_) => ("Run scenarios", None, "Run saved scenarios and compare"),
            Command::SaveScenario(_) => (
                "Save as scenario",
                None,
                "Save the run form's payload as a scenario expecting what it gives now",
            ),
            Command::EditScenarioExpectations { .. } => {
                ("Edit expectations", None, "Change what a scenario expects")
            }
            Command::DeleteScenario(_) => ("Delete scenario", None, "Delete a saved scenario"),
            Command::ToggleBreakpoint { .. } => (
                "Toggle breakpoint",
                None,
                "Stop the simulator before it visits this activity",
            ),
            Command::BatchOpenFile => (
                "Open payload file…",
                None,
                "Pick a JSONL file (one payload per line) or a CSV file (a header row naming \
                 the parameters, one payload per row)",
            ),
            Command::BatchOpenPath(_) => (
                "Open payload file",
                None,
                "Use this file of payloads for the batch",
            ),
            Command::BatchTarget { .. } => (
                "Batch signal",
                None,
                "The External signal every payload of the file triggers",
            ),
            Command::BatchRun => (
                "Run batch",
                None,
                "Trigger the signal with every payload of the file, each in a fresh simulator, \
                 on a copy of the design as it is now",
            ),
            Command::BatchCancel => (
                "Cancel",
                None,
                "Stop the batch: payloads not yet run are skipped, the summary counts the others",
            ),
        }
    }

    /// What menus show.
    pub fn label(&self) -> &'static str {
        self.meta().0
    }

    /// The keyboard shortcut, if any.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        self.meta().1
    }

    /// What a tooltip says.
    pub fn tooltip(&self) -> &'static str {
        self.meta().2
    }

    /// The shortcut as text for menus (`Ctrl+S`), empty when none.
    pub fn shortcut_text(&self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// Whether this command only changes what is shown, not the design.
    pub fn is_view_only(&self) -> bool {
        matches!(
            self,
            Command::ZoomToFit
                | Command::ToggleTheme
                | Command::CommandPalette
                | Command::SelectWorkflow(_)
                | Command::Select(_)
                | Command::Reveal { .. }
                | Command::Copy
                | Command::ToggleBreakpoint { .. }
                | Command::BatchOpenFile
                | Command::BatchOpenPath(_)
                | Command::BatchTarget { .. }
                | Command::BatchRun
                | Command::BatchCancel
        ) || self.is_simulator()
    }

    /// Whether the simulator panel applies this command (it never edits the design).
    pub fn is_simulator(&self) -> bool {
        matches!(
            self,
            Command::SimSelectSignal { .. }
                | Command::SimRun
                | Command::SimTriggerOnly
                | Command::SimStep
                | Command::SimContinue
                | Command::SimRunToEnd
                | Command::SimReset
                | Command::SimCancel
                | Command::SimWorkflow { .. }
                | Command::SimAdvanceClock(_)
                | Command::SimSelectRun(_)
                | Command::SimCopyCurl
                | Command::SimToggleAutoRun
                | Command::SimListen(_)
                | Command::RunScenarios(_)
        )
    }
}
