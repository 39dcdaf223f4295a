//! The designer's vocabulary: every user intent is one [`Command`], nested by concern (files,
//! edits of the design, the view, the simulator, batches, the sample data), so that each concern is applied by its
//! own exhaustive `apply` and the compiler checks that none is forgotten. Widgets and dialogs
//! collect commands while drawing; the app applies them after drawing (where undo points are
//! recorded).
//!
//! Each command's label, shortcut and tooltip are written once, in the `meta` table of its
//! concern. The menu bar ([`menu_bar`]) lists each command once; the command palette
//! ([`palette`]) and the keyboard ([`keymap`]) read that list.
//!
//! This module imports nothing else from `ui`.

use crate::export::Format;
use crate::model::{
    Activity, Cooldown, Expectations, Family, KindTag, Port, Position, Table, Transition, Type,
};
use crate::sim::{MissingData, RunId, WorkflowCommand};
use egui::{Key, KeyboardShortcut, Modifiers};
use jiff::Timestamp;
use std::path::PathBuf;
use std::sync::LazyLock;

/// One user intent.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Files: new, open, save, export, and the answers about unsaved or recovered work.
    File(FileCommand),
    /// Edits of the design (each one an undo step, or part of one).
    Edit(EditCommand),
    /// What is shown: selection, zoom, theme, tabs; never the design.
    View(ViewCommand),
    /// The simulator session: triggers, stepping, breakpoints, scenarios, the endpoint.
    Sim(SimCommand),
    /// The Batch tab: a payload file run through one signal.
    Batch(BatchCommand),
    /// The Data tab: the design's sample data (each edit an undo step).
    Data(DataCommand),
}

/// A command about files.
#[derive(Debug, Clone, PartialEq)]
pub enum FileCommand {
    /// Start a new, empty design.
    New,
    /// Pick a design file to open.
    Open,
    /// Open this file, asking first about unsaved changes (recent files, dropped files).
    OpenPath(PathBuf),
    /// Open this file now: unsaved changes were answered for (the Open dialog's pick).
    Load(PathBuf),
    /// Save to the current file (or ask for one).
    Save,
    /// Save to a file picked by the user.
    SaveAs,
    /// Save to this file without asking (the Save dialog's pick).
    SaveTo(PathBuf),
    /// Export the design for servers to a file picked by the user.
    Export(Format),
    /// Export the design in this format to this file without asking (the Export dialog's pick).
    ExportTo(Format, PathBuf),
    /// Close the window, asking first about unsaved changes.
    Close,
    /// The answer to the unsaved-changes prompt.
    Unsaved(UnsavedChoice),
    /// The answer to the offer of work recovered from a previous session.
    Recovery(RecoveryChoice),
}

/// The answers to "the design has changes that are not saved".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsavedChoice {
    /// Save, then go on with what was asked.
    Save,
    /// Go on without saving.
    Discard,
    /// Do nothing.
    Cancel,
}

/// The answers to "recover unsaved work?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryChoice {
    /// Take the recovered design (one undo step away from the one opened).
    Restore,
    /// Delete the recovery file.
    Discard,
}

/// An edit of the design.
#[derive(Debug, Clone, PartialEq)]
pub enum EditCommand {
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Delete the selected activities.
    DeleteSelected,
    /// Copy the selected activities (and the transitions between them).
    Copy,
    /// Paste the copied activities into the current workflow.
    Paste,
    /// Copy the selected activities, then delete them.
    Cut,
    /// Paste a copy of the selected activities beside them (the clipboard is left alone).
    Duplicate,
    /// Paste activities copied as text (the clipboard's text, from a paste event).
    PasteText(String),
    /// Move the selected activities by this much (canvas units): the arrow keys.
    Nudge(f32, f32),
    /// Add a workflow.
    AddWorkflow,
    /// Change a workflow's label.
    RenameWorkflow {
        /// The workflow id.
        workflow: String,
        /// The new label.
        label: String,
    },
    /// Change a workflow's consecutive errors threshold (0: never suspends).
    SetConsecutiveErrors {
        /// The workflow id.
        workflow: String,
        /// The new threshold.
        threshold: u32,
    },
    /// Delete a workflow; one that scenarios, callers or runs depend on is first confirmed.
    DeleteWorkflow(String),
    /// Delete a workflow without asking (the answer to the confirmation).
    ConfirmDeleteWorkflow(String),
    /// Add a workflow that begins with an External signal and make an End trigger it (the End
    /// target list's "New workflow…"); the new workflow is shown, its signal selected.
    NewTargetWorkflow {
        /// The End's workflow id.
        workflow: String,
        /// The End's id.
        end: String,
    },
    /// Add an activity of this kind after an output of another, connected to it (the "+" of a
    /// free output); it becomes the selection.
    AppendActivity {
        /// Workflow id.
        workflow: String,
        /// The activity whose output it follows.
        from: String,
        /// That output.
        port: Port,
        /// The kind.
        tag: KindTag,
        /// Where, in canvas units.
        position: Position,
    },
    /// Put an activity of this kind on a transition, between its two ends (a palette kind
    /// dropped on a wire); the activities of `moves` make room.
    InsertActivity {
        /// Workflow id.
        workflow: String,
        /// The transition it goes on.
        transition: Transition,
        /// The kind.
        tag: KindTag,
        /// Where, in canvas units.
        position: Position,
        /// Activities moved to make room.
        moves: Vec<(String, Position)>,
    },
    /// Add an activity of this kind to the current workflow, at a canvas position (or, without
    /// one, next to the selected activity, in view, on no other node).
    AddActivity {
        /// The kind.
        tag: KindTag,
        /// Where, in canvas units; `None`: next to the selection.
        position: Option<Position>,
    },
    /// Lay the current workflow out left to right by its transitions (one undo step).
    TidyLayout,
    /// Change the design's trigger cooldown.
    SetCooldown(Cooldown),
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
    /// Delete activities and their transitions.
    DeleteActivities {
        /// Workflow id.
        workflow: String,
        /// Activity ids.
        ids: Vec<String>,
    },
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
    /// Replace a scenario's payload (and signal) by the run form's.
    UpdateScenarioPayload(String),
}

/// A change of what is shown.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewCommand {
    /// Fit every activity of the current workflow in the view.
    ZoomToFit,
    /// Switch between the dark and the light theme.
    ToggleTheme,
    /// Show or hide the command palette.
    CommandPalette,
    /// Show this workflow on the canvas.
    SelectWorkflow(String),
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
    /// Show this tab in the bottom panel.
    ShowTab(BottomTab),
    /// Hide the message banner.
    DismissMessage,
    /// Find activities by label or id in every workflow.
    Find,
    /// Show or hide the minimap in the canvas's corner.
    ToggleMinimap,
    /// Close the dialog shown (a confirmation answered "Cancel").
    CloseDialog,
}

/// A command of the simulator session.
#[derive(Debug, Clone, PartialEq)]
pub enum SimCommand {
    /// Choose the signal the run form triggers.
    SelectSignal {
        /// Workflow id.
        workflow: String,
        /// External signal activity id.
        signal: String,
    },
    /// Trigger the run form's payload and run until a breakpoint or the end.
    Run,
    /// Trigger the run form's payload without visiting anything yet.
    TriggerOnly,
    /// Visit the next pending activity.
    Step,
    /// Run until the next breakpoint or the end.
    Continue,
    /// Run to the end, ignoring breakpoints.
    RunToEnd,
    /// A fresh simulator on the current design.
    Reset,
    /// Stop the running background job.
    Cancel,
    /// Start, pause, resume or stop a workflow in the simulator.
    Workflow {
        /// Workflow id.
        workflow: String,
        /// What to do.
        method: WorkflowMethod,
    },
    /// Release the branches held at an activity set to "Enable but do not execute".
    Release {
        /// Workflow id.
        workflow: String,
        /// Activity id.
        activity: String,
    },
    /// Move the virtual clock forward by this many minutes.
    AdvanceClock(u32),
    /// Move the virtual clock to when the cooldown next allows the run form's signal, then
    /// trigger the form's payload and run (the cooldown's refusal offers it).
    AdvanceClockAndRun,
    /// Fill the run form from a saved scenario's payload (and choose its signal).
    LoadScenario(String),
    /// Show this run (or none).
    SelectRun(Option<RunId>),
    /// Copy a curl call of the run form's payload.
    CopyCurl,
    /// Copy the listening endpoint's token.
    CopyToken,
    /// Copy a Node script that triggers the run form's payload through Adobe's Campaign
    /// Standard SDK, pointed at the listening endpoint.
    CopySdkSnippet,
    /// Re-run after every edit, or not.
    ToggleAutoRun,
    /// Start or stop the in-process trigger endpoint.
    Listen(bool),
    /// Run these scenarios (all when `None`).
    RunScenarios(Option<Vec<String>>),
    /// Show on the canvas what the saved scenarios reach (running them when needed), or not.
    ToggleCoverage,
    /// Set or clear a breakpoint on an activity.
    ToggleBreakpoint {
        /// Workflow id.
        workflow: String,
        /// Activity id.
        activity: String,
    },
}

/// A command of the Batch tab.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchCommand {
    /// Pick a payload file (JSONL or CSV) with a dialog.
    OpenFile,
    /// Use this payload file (the path field, the dialog's pick, dropped files).
    OpenPath(PathBuf),
    /// Choose the External signal the batch triggers.
    Target {
        /// Workflow id.
        workflow: String,
        /// Signal activity id.
        signal: String,
    },
    /// Run every payload of the file, off the UI thread.
    Run,
    /// Stop the running batch.
    Cancel,
    /// Generate payloads from the chosen signal's contract (as `flowcall payloads`) and use
    /// them as the payload file.
    Generate {
        /// How many.
        count: u64,
        /// The seed.
        seed: u64,
        /// The share that breaks one rule each (0 to 1).
        invalid: f64,
    },
}

/// A table of the sample data: the profiles, or a file of the file store (by path).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataTable {
    /// The profiles table (typed columns).
    Profiles,
    /// A CSV file of the file store (every column text).
    File(String),
}

/// Where an imported file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportInto {
    /// In place of this table (columns and rows).
    Table(DataTable),
    /// A new file of the file store, named after the imported file.
    NewFile,
}

/// The parts of the Data tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DataSection {
    /// The profiles table.
    #[default]
    Profiles,
    /// Saved audiences.
    Audiences,
    /// The file store.
    Files,
    /// Options (`GetOption`).
    Options,
    /// Where the virtual clock starts.
    Clock,
}

impl DataSection {
    /// Every section, in display order.
    pub const ALL: [DataSection; 5] = [
        DataSection::Profiles,
        DataSection::Audiences,
        DataSection::Files,
        DataSection::Options,
        DataSection::Clock,
    ];

    /// The section's title.
    pub fn name(self) -> &'static str {
        match self {
            DataSection::Profiles => "Profiles",
            DataSection::Audiences => "Audiences",
            DataSection::Files => "Files",
            DataSection::Options => "Options",
            DataSection::Clock => "Clock",
        }
    }
}

/// A command of the Data tab: an edit of the sample data (one undo step each; typing an
/// option's value or a file's text is one step per pause), an import or export, or what the
/// tab shows.
#[derive(Debug, Clone, PartialEq)]
pub enum DataCommand {
    /// Show this part of the tab.
    Show(DataSection),
    /// Show this file of the file store.
    SelectFile(String),
    /// Show this audience.
    SelectAudience(String),
    /// Add a text column at the end of a table.
    AddColumn(DataTable),
    /// Rename a column.
    RenameColumn {
        /// The table.
        table: DataTable,
        /// The column, from 0.
        column: usize,
        /// Its new name.
        name: String,
    },
    /// Change the type of a profiles column (refused, naming the first cell that does not fit).
    RetypeColumn {
        /// The column, from 0.
        column: usize,
        /// Its new type.
        ty: Type,
    },
    /// Remove a column and its cells.
    RemoveColumn {
        /// The table.
        table: DataTable,
        /// The column, from 0.
        column: usize,
    },
    /// Move a column to another place.
    MoveColumn {
        /// The table.
        table: DataTable,
        /// The column, from 0.
        column: usize,
        /// Its new place, from 0.
        to: usize,
    },
    /// Add an empty row at the end of a table.
    AddRow(DataTable),
    /// Delete a row.
    DeleteRow {
        /// The table.
        table: DataTable,
        /// The row, from 0.
        row: usize,
    },
    /// Write a cell (refused when the text does not read as the column's type).
    SetCell {
        /// The table.
        table: DataTable,
        /// The row, from 0.
        row: usize,
        /// The column, from 0.
        column: usize,
        /// What was typed.
        text: String,
    },
    /// Add the rows of pasted text (TSV or CSV; a header row naming the columns is skipped).
    PasteRows {
        /// The table.
        table: DataTable,
        /// The text pasted.
        text: String,
    },
    /// Pick a CSV or JSONL file to import.
    Import(ImportInto),
    /// Read this CSV or JSONL file in the background, then import it.
    ImportFrom {
        /// Where it goes.
        into: ImportInto,
        /// The file.
        path: std::path::PathBuf,
    },
    /// Replace a table by an imported one.
    SetTable {
        /// The table replaced.
        table: DataTable,
        /// What replaces it.
        value: Box<Table>,
    },
    /// Add a file to the file store holding this table.
    AddFileWith {
        /// The path it is stored at.
        path: String,
        /// Its rows.
        value: Box<Table>,
    },
    /// Pick a file to export a table to (CSV, or JSONL by the name's extension).
    Export(DataTable),
    /// Write a table to this file (CSV, or JSONL for `.jsonl` and `.ndjson`).
    ExportTo {
        /// The table.
        table: DataTable,
        /// The file.
        path: std::path::PathBuf,
    },
    /// Add a file to the file store.
    AddFile,
    /// Change a stored file's path.
    RenameFile {
        /// Its path.
        from: String,
        /// Its new path.
        to: String,
    },
    /// Remove a file from the file store.
    DeleteFile(String),
    /// Replace a stored file's text (edited as text).
    SetFileText {
        /// Its path.
        path: String,
        /// Its new text.
        text: String,
    },
    /// Add a saved audience.
    AddAudience,
    /// Rename a saved audience.
    RenameAudience {
        /// Its name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Delete a saved audience.
    DeleteAudience(String),
    /// Set the members (profile keys) of a saved audience.
    SetMembers {
        /// The audience.
        name: String,
        /// The keys of its profiles.
        members: Vec<String>,
    },
    /// Add an option.
    AddOption,
    /// Change an option's value.
    SetOption {
        /// The option's name.
        key: String,
        /// Its new value.
        value: String,
    },
    /// Rename an option.
    RenameOption {
        /// Its name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Delete an option.
    DeleteOption(String),
    /// Change where the virtual clock starts.
    SetClockStart(Timestamp),
    /// Create data a run missed (a file, an audience, an option) and show it.
    CreateMissing(MissingData),
}

/// The tabs of the bottom panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BottomTab {
    /// Design-time diagnostics.
    Problems,
    /// The simulator: run forms, runs, event variables, stepping.
    Simulator,
    /// Saved scenarios.
    Scenarios,
    /// Batches of payloads from a file.
    Batch,
    /// The sample data the simulator runs against.
    Data,
}

impl BottomTab {
    /// Every tab, in display order.
    pub const ALL: [BottomTab; 5] = [
        BottomTab::Problems,
        BottomTab::Data,
        BottomTab::Simulator,
        BottomTab::Scenarios,
        BottomTab::Batch,
    ];

    /// The tab's title.
    pub fn name(self) -> &'static str {
        match self {
            BottomTab::Problems => "Problems",
            BottomTab::Simulator => "Simulator",
            BottomTab::Scenarios => "Scenarios",
            BottomTab::Batch => "Batch",
            BottomTab::Data => "Data",
        }
    }
}

/// A workflow command of the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowMethod {
    /// Start listening (Start activities begin runs).
    Start,
    /// Queue triggers until resume.
    Pause,
    /// Deliver the queued triggers and listen again.
    Resume,
    /// Refuse triggers.
    Stop,
    /// Stop, then start again.
    Restart,
}

impl WorkflowMethod {
    /// Every method, in button order.
    pub const ALL: [WorkflowMethod; 5] = [
        WorkflowMethod::Start,
        WorkflowMethod::Pause,
        WorkflowMethod::Resume,
        WorkflowMethod::Stop,
        WorkflowMethod::Restart,
    ];

    /// The button text.
    pub fn name(self) -> &'static str {
        match self {
            WorkflowMethod::Start => "Start",
            WorkflowMethod::Pause => "Pause",
            WorkflowMethod::Resume => "Resume",
            WorkflowMethod::Stop => "Stop",
            WorkflowMethod::Restart => "Restart",
        }
    }

    /// The simulator's command.
    pub fn command(self) -> WorkflowCommand {
        match self {
            WorkflowMethod::Start => WorkflowCommand::Start,
            WorkflowMethod::Pause => WorkflowCommand::Pause,
            WorkflowMethod::Resume => WorkflowCommand::Resume,
            WorkflowMethod::Stop => WorkflowCommand::Stop,
            WorkflowMethod::Restart => WorkflowCommand::Restart,
        }
    }
}

/// A command's label (what menus and buttons show), keyboard shortcut and tooltip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    /// What menus and buttons show.
    pub label: &'static str,
    /// The keyboard shortcut, if any.
    pub shortcut: Option<KeyboardShortcut>,
    /// What a tooltip says.
    pub tooltip: &'static str,
}

const fn meta(
    label: &'static str,
    shortcut: Option<KeyboardShortcut>,
    tooltip: &'static str,
) -> Meta {
    Meta {
        label,
        shortcut,
        tooltip,
    }
}

const fn key(key: Key) -> Option<KeyboardShortcut> {
    Some(KeyboardShortcut::new(Modifiers::NONE, key))
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

/// The second shortcut of Redo (the first is in its [`Meta`]; its tooltip names this one).
pub const REDO_ALTERNATE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);

/// The export formats, in menu order.
pub const EXPORT_FORMATS: [Format; 5] = [
    Format::Json,
    Format::Schema,
    Format::Openapi,
    Format::Bpmn,
    Format::Curl,
];

impl Command {
    /// Label, shortcut and tooltip (each written once, in its concern's table).
    pub fn meta(&self) -> Meta {
        match self {
            Command::File(c) => c.meta(),
            Command::Edit(c) => c.meta(),
            Command::View(c) => c.meta(),
            Command::Sim(c) => c.meta(),
            Command::Batch(c) => c.meta(),
            Command::Data(c) => c.meta(),
        }
    }

    /// What menus show.
    pub fn label(&self) -> &'static str {
        self.meta().label
    }

    /// The keyboard shortcut, if any.
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        self.meta().shortcut
    }

    /// What a tooltip says.
    pub fn tooltip(&self) -> &'static str {
        self.meta().tooltip
    }

    /// The shortcut as text for menus (`Ctrl+S`), empty when none.
    pub fn shortcut_text(&self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// Whether a focused text field keeps this command's shortcut for itself (Copy, Paste and
    /// Delete act on the text being typed).
    pub fn yields_to_text(&self) -> bool {
        matches!(
            self,
            Command::Edit(
                EditCommand::Copy
                    | EditCommand::Paste
                    | EditCommand::Cut
                    | EditCommand::Duplicate
                    | EditCommand::DeleteSelected
            )
        )
    }
}

impl From<FileCommand> for Command {
    fn from(c: FileCommand) -> Command {
        Command::File(c)
    }
}

impl From<EditCommand> for Command {
    fn from(c: EditCommand) -> Command {
        Command::Edit(c)
    }
}

impl From<ViewCommand> for Command {
    fn from(c: ViewCommand) -> Command {
        Command::View(c)
    }
}

impl From<SimCommand> for Command {
    fn from(c: SimCommand) -> Command {
        Command::Sim(c)
    }
}

impl From<BatchCommand> for Command {
    fn from(c: BatchCommand) -> Command {
        Command::Batch(c)
    }
}

impl From<DataCommand> for Command {
    fn from(c: DataCommand) -> Command {
        Command::Data(c)
    }
}

impl FileCommand {
    /// The File menu's commands, before its Export submenu.
    pub const MENU: [FileCommand; 4] = [
        FileCommand::New,
        FileCommand::Open,
        FileCommand::Save,
        FileCommand::SaveAs,
    ];

    /// Label, shortcut and tooltip.
    pub fn meta(&self) -> Meta {
        match self {
            FileCommand::New => meta(
                "New",
                cmd(Key::N),
                "Start a new design: one empty workflow and a small profiles table to run it on",
            ),
            FileCommand::Open => meta("Open…", cmd(Key::O), "Open a design file"),
            FileCommand::OpenPath(_) => meta("Open file", None, "Open this design file"),
            FileCommand::Load(_) => meta("Open file", None, "Open this design file"),
            FileCommand::Save => meta("Save", cmd(Key::S), "Save the design to its file"),
            FileCommand::SaveAs => meta(
                "Save as…",
                cmd_shift(Key::S),
                "Save the design to a new file",
            ),
            FileCommand::SaveTo(_) => meta("Save to file", None, "Save the design to this file"),
            FileCommand::Export(format) => export_meta(*format),
            FileCommand::ExportTo(..) => {
                meta("Export to file", None, "Export the design to this file")
            }
            FileCommand::Close => meta("Close", None, "Close the designer"),
            FileCommand::Unsaved(UnsavedChoice::Save) => meta("Save", None, "Save, then go on"),
            FileCommand::Unsaved(UnsavedChoice::Discard) => {
                meta("Discard", None, "Go on without saving the changes")
            }
            FileCommand::Unsaved(UnsavedChoice::Cancel) => {
                meta("Cancel", None, "Keep the design open as it is")
            }
            FileCommand::Recovery(RecoveryChoice::Restore) => meta(
                "Restore",
                None,
                "Take the work recovered from the previous session",
            ),
            FileCommand::Recovery(RecoveryChoice::Discard) => meta(
                "Discard recovered work",
                None,
                "Delete the work recovered from the previous session",
            ),
        }
    }
}

/// The label of the command adding an activity of kind `tag`.
// Table: one row per kind, nothing else.
fn add_label(tag: KindTag) -> &'static str {
    match tag {
        KindTag::Start => "Add Start",
        KindTag::ExternalSignal => "Add External signal",
        KindTag::Query => "Add Query",
        KindTag::ReadAudience => "Add Read audience",
        KindTag::SaveAudience => "Add Save audience",
        KindTag::TransferFile => "Add Transfer file",
        KindTag::LoadFile => "Add Load file",
        KindTag::UpdateData => "Add Update data",
        KindTag::Test => "Add Test",
        KindTag::Fork => "Add Fork",
        KindTag::AndJoin => "Add AND-join",
        KindTag::Wait => "Add Wait",
        KindTag::EmailDelivery => "Add Email delivery",
        KindTag::End => "Add End",
    }
}

fn export_meta(format: Format) -> Meta {
    match format {
        Format::Json => meta(
            "Export JSON…",
            None,
            "The design as JSON (its schema is assets/flowcall-design.schema.json)",
        ),
        Format::Schema => meta(
            "Export JSON Schema…",
            None,
            "A JSON Schema (2020-12) of each signal's trigger payload",
        ),
        Format::Openapi => meta(
            "Export OpenAPI…",
            None,
            "OpenAPI 3.1 of the trigger endpoints",
        ),
        Format::Bpmn => meta(
            "Export BPMN (Camunda 8)…",
            None,
            "BPMN 2.0 with Zeebe extensions, one pool per workflow",
        ),
        Format::Curl => meta(
            "Export curl calls…",
            None,
            "A ready curl call per signal for flowcall serve",
        ),
    }
}

impl EditCommand {
    /// The Edit menu.
    pub const MENU: [EditCommand; 9] = [
        EditCommand::Undo,
        EditCommand::Redo,
        EditCommand::Cut,
        EditCommand::Copy,
        EditCommand::Paste,
        EditCommand::Duplicate,
        EditCommand::DeleteSelected,
        EditCommand::AddWorkflow,
        EditCommand::TidyLayout,
    ];

    /// Adding an activity of kind `tag` next to the selection (the Add menu's entries).
    pub fn add(tag: KindTag) -> EditCommand {
        EditCommand::AddActivity {
            tag,
            position: None,
        }
    }

    /// Label, shortcut and tooltip.
    // Table: one row per command, nothing else.
    pub fn meta(&self) -> Meta {
        match self {
            EditCommand::Undo => meta("Undo", cmd(Key::Z), "Undo the last edit"),
            EditCommand::Redo => meta(
                "Redo",
                cmd_shift(Key::Z),
                "Redo the last undone edit (also Ctrl+Y)",
            ),
            EditCommand::Copy => meta(
                "Copy",
                cmd(Key::C),
                "Copy the selected activities and the transitions between them",
            ),
            EditCommand::Paste => meta(
                "Paste",
                cmd(Key::V),
                "Paste the copied activities into this workflow, at the pointer or beside the \
                 originals, on no other activity",
            ),
            EditCommand::Cut => meta(
                "Cut",
                cmd(Key::X),
                "Copy the selected activities, then delete them",
            ),
            EditCommand::Duplicate => meta(
                "Duplicate",
                cmd(Key::D),
                "A copy of the selected activities beside them",
            ),
            EditCommand::PasteText(_) => meta(
                "Paste",
                None,
                "Paste activities copied as text into this workflow",
            ),
            EditCommand::Nudge(..) => meta(
                "Nudge",
                None,
                "Move the selected activities a little (arrow keys; with Shift, further)",
            ),
            EditCommand::DeleteSelected => meta(
                "Delete selected",
                key(Key::Delete),
                "Delete the selected activities and their transitions",
            ),
            EditCommand::AddWorkflow => {
                meta("Add workflow", None, "Add an empty workflow to the design")
            }
            EditCommand::RenameWorkflow { .. } => {
                meta("Rename workflow", None, "Change the workflow's label")
            }
            EditCommand::SetConsecutiveErrors { .. } => meta(
                "Consecutive errors",
                None,
                "How many failures in a row, of activities whose errors are ignored, suspend the \
                 workflow (Erroneous); 0 never suspends it",
            ),
            EditCommand::DeleteWorkflow(_) => meta(
                "Delete workflow",
                None,
                "Delete the workflow shown (asks first when scenarios, callers or runs depend on \
                 it; Undo brings it back)",
            ),
            EditCommand::ConfirmDeleteWorkflow(_) => meta(
                "Delete",
                None,
                "Delete the workflow and leave what depends on it broken (Undo brings it back)",
            ),
            EditCommand::NewTargetWorkflow { .. } => meta(
                "New workflow…",
                None,
                "Add a workflow that begins with an External signal, trigger it from this End, \
                 and show it to declare its parameters",
            ),
            EditCommand::AppendActivity { .. } => meta(
                "Append activity",
                None,
                "Add an activity after this output, connected to it",
            ),
            EditCommand::InsertActivity { .. } => meta(
                "Insert activity",
                None,
                "Put an activity on this transition, between its two ends",
            ),
            EditCommand::AddActivity { tag, .. } => meta(
                add_label(*tag),
                None,
                "Add this kind of activity to the workflow, next to the selected activity",
            ),
            EditCommand::TidyLayout => meta(
                "Tidy layout",
                cmd_shift(Key::L),
                "Lay the workflow out left to right along its transitions (one undo step)",
            ),
            EditCommand::SetCooldown(_) => meta(
                "Trigger cooldown",
                None,
                "The least time between two triggers of the same signal (the reference product \
                 allows one every 10 minutes)",
            ),
            EditCommand::EditActivity { .. } => {
                meta("Edit activity", None, "Change an activity's settings")
            }
            EditCommand::RenameActivity { .. } => meta(
                "Rename activity",
                None,
                "Change an activity's id everywhere",
            ),
            EditCommand::MoveActivities { .. } => {
                meta("Move activities", None, "Move activities on the canvas")
            }
            EditCommand::Connect { .. } => meta("Connect", None, "Add a transition"),
            EditCommand::Disconnect { .. } => meta("Disconnect", None, "Remove a transition"),
            EditCommand::DeleteActivities { .. } => {
                meta("Delete activities", None, "Delete activities")
            }
            EditCommand::SaveScenario(_) => meta(
                "Save as scenario",
                None,
                "Save the run form's payload as a scenario expecting what it gives now",
            ),
            EditCommand::EditScenarioExpectations { .. } => {
                meta("Edit expectations", None, "Change what a scenario expects")
            }
            EditCommand::DeleteScenario(_) => {
                meta("Delete scenario", None, "Delete a saved scenario")
            }
            EditCommand::UpdateScenarioPayload(_) => meta(
                "Update from run form",
                None,
                "Replace this scenario's payload (and signal) by the run form's; its expectations \
                 stay as they are",
            ),
        }
    }
}

impl ViewCommand {
    /// The View menu.
    pub const MENU: [ViewCommand; 5] = [
        ViewCommand::ZoomToFit,
        ViewCommand::ToggleMinimap,
        ViewCommand::ToggleTheme,
        ViewCommand::Find,
        ViewCommand::CommandPalette,
    ];

    /// Label, shortcut and tooltip.
    pub fn meta(&self) -> Meta {
        match self {
            ViewCommand::ZoomToFit => meta(
                "Zoom to fit",
                cmd(Key::Num0),
                "Show every activity of the workflow, or, when it is too large to read whole, \
                 as much of it as reads, from its entry",
            ),
            ViewCommand::ToggleMinimap => meta(
                "Minimap",
                None,
                "Show or hide the map of the whole workflow in the canvas's corner (click or drag \
                 it to move the view)",
            ),
            ViewCommand::Find => meta(
                "Find activity…",
                cmd(Key::F),
                "Find an activity by its label or id, in every workflow, and show it",
            ),
            ViewCommand::CloseDialog => meta("Cancel", None, "Close this dialog"),
            ViewCommand::ToggleTheme => meta(
                "Toggle dark/light theme",
                None,
                "Switch between dark and light",
            ),
            ViewCommand::CommandPalette => meta(
                "Command palette",
                cmd(Key::K),
                "Search every command and every activity",
            ),
            ViewCommand::SelectWorkflow(_) => meta("Select workflow", None, "Show this workflow"),
            ViewCommand::Select(_) => meta("Select activity", None, "Select an activity"),
            ViewCommand::Reveal { .. } => meta(
                "Show problem",
                None,
                "Select the activity and field of a problem",
            ),
            ViewCommand::ShowTab(_) => meta("Show tab", None, "Show this tab"),
            ViewCommand::DismissMessage => meta("Dismiss", None, "Hide this message"),
        }
    }
}

impl SimCommand {
    /// The commands that drive runs, in toolbar order (the Simulate menu begins with them).
    pub const DRIVE: [SimCommand; 5] = [
        SimCommand::Run,
        SimCommand::TriggerOnly,
        SimCommand::Step,
        SimCommand::Continue,
        SimCommand::RunToEnd,
    ];

    /// The Simulate menu's commands after [`SimCommand::DRIVE`].
    pub const MENU_REST: [SimCommand; 4] = [
        SimCommand::Reset,
        SimCommand::ToggleAutoRun,
        SimCommand::RunScenarios(None),
        SimCommand::ToggleCoverage,
    ];

    /// Label, shortcut and tooltip.
    // Table: one row per command, nothing else.
    pub fn meta(&self) -> Meta {
        match self {
            SimCommand::SelectSignal { .. } => meta(
                "Choose signal",
                None,
                "Choose the signal the run form triggers",
            ),
            SimCommand::Run => meta(
                "▶ Run",
                key(Key::F5),
                "Trigger the form's payload and run until a breakpoint or the end",
            ),
            SimCommand::TriggerOnly => meta(
                "Trigger only",
                None,
                "Trigger the form's payload, then step through the run yourself",
            ),
            SimCommand::Step => meta("Step", key(Key::F10), "Visit the next pending activity"),
            SimCommand::Continue => meta(
                "Continue",
                key(Key::F8),
                "Run until the next breakpoint or the end",
            ),
            SimCommand::RunToEnd => {
                meta("Run to end", None, "Run to the end, ignoring breakpoints")
            }
            SimCommand::Reset => meta(
                "Reset",
                None,
                "A fresh simulator on the current design: runs cleared, every workflow started",
            ),
            SimCommand::Cancel => meta("Stop", None, "Stop the running simulation"),
            SimCommand::Workflow { .. } => meta(
                "Workflow command",
                None,
                "Start, pause, resume, stop or restart a workflow",
            ),
            SimCommand::Release { .. } => meta(
                "Release",
                None,
                "Run the branches held at this activity (Execution: Enable but do not execute)",
            ),
            SimCommand::AdvanceClock(_) => meta(
                "Advance clock",
                None,
                "Move the virtual clock forward (waiting activities become due)",
            ),
            SimCommand::AdvanceClockAndRun => meta(
                "Advance the clock and run",
                None,
                "Move the virtual clock to when the trigger cooldown next allows this signal, \
                 then trigger the form's payload and run (flowcall run, test, batch and serve \
                 keep the cooldown as the design sets it)",
            ),
            SimCommand::LoadScenario(_) => meta(
                "Load into run form",
                None,
                "Fill the Simulator tab's run form with this scenario's payload and signal",
            ),
            SimCommand::SelectRun(_) => meta("Select run", None, "Show this run"),
            SimCommand::CopyCurl => meta(
                "Copy as curl",
                None,
                "Copy a curl call that sends this payload to the trigger endpoint",
            ),
            SimCommand::CopyToken => meta(
                "Copy token",
                None,
                "Copy the bearer token the listening endpoint asks of its callers",
            ),
            SimCommand::CopySdkSnippet => meta(
                "Copy Node SDK snippet",
                None,
                "Copy a Node script that triggers this payload through Adobe's Campaign Standard \
                 SDK (@adobe/aio-lib-campaign-standard), its base URL pointed at this endpoint",
            ),
            SimCommand::ToggleAutoRun => meta(
                "Auto-run",
                None,
                "Re-run the last trigger (and the scenarios already run) after every edit",
            ),
            SimCommand::Listen(_) => meta(
                "Listen for API calls",
                None,
                "Accept trigger calls on loopback (as flowcall serve does); incoming runs appear in the runs list",
            ),
            SimCommand::RunScenarios(_) => {
                meta("Run scenarios", None, "Run saved scenarios and compare")
            }
            SimCommand::ToggleCoverage => meta(
                "Coverage",
                None,
                "Draw on the canvas what the saved scenarios reach (green) and what none reaches (red), as flowcall test --coverage counts it",
            ),
            SimCommand::ToggleBreakpoint { .. } => meta(
                "Toggle breakpoint",
                None,
                "Stop the simulator before it visits this activity",
            ),
        }
    }
}

impl BatchCommand {
    /// Label, shortcut and tooltip.
    pub fn meta(&self) -> Meta {
        match self {
            BatchCommand::OpenFile => meta(
                "Open payload file…",
                None,
                "Pick a JSONL file (one payload per line) or a CSV file (a header row naming \
                 the parameters, one payload per row)",
            ),
            BatchCommand::OpenPath(_) => meta(
                "Open payload file",
                None,
                "Use this file of payloads for the batch",
            ),
            BatchCommand::Target { .. } => meta(
                "Batch signal",
                None,
                "The External signal every payload of the file triggers",
            ),
            BatchCommand::Run => meta(
                "Run batch",
                None,
                "Trigger the signal with every payload of the file, each in a fresh simulator, \
                 on a copy of the design as it is now",
            ),
            BatchCommand::Cancel => meta(
                "Cancel",
                None,
                "Stop the batch: payloads not yet run are skipped, the summary counts the others",
            ),
            BatchCommand::Generate { .. } => meta(
                "Generate payloads",
                None,
                "Make payloads from the signal's contract and the design (every allowed value, \
                 type boundaries, optional parameters absent and present; file, audience and \
                 option names drawn from the sample data, 5% of them naming none; the chosen \
                 share breaking one rule each), as flowcall payloads does; the batch then checks \
                 each got what it expects",
            ),
        }
    }
}

impl DataCommand {
    /// Label, shortcut and tooltip.
    // Table: one row per command, nothing else.
    pub fn meta(&self) -> Meta {
        match self {
            DataCommand::Show(_) => meta("Show", None, "Show this part of the sample data"),
            DataCommand::SelectFile(_) => meta("Show file", None, "Show this file's rows"),
            DataCommand::SelectAudience(_) => {
                meta("Show audience", None, "Show this audience's members")
            }
            DataCommand::AddColumn(_) => meta(
                "Add column",
                None,
                "Add a text column at the end of the table (rename and retype it in its header)",
            ),
            DataCommand::RenameColumn { .. } => meta(
                "Rename column",
                None,
                "The name Query filters read it by (@name)",
            ),
            DataCommand::RetypeColumn { .. } => meta(
                "Column type",
                None,
                "The type the column's cells are read as; refused while a cell does not fit it",
            ),
            DataCommand::RemoveColumn { .. } => {
                meta("Remove column", None, "Remove the column and its cells")
            }
            DataCommand::MoveColumn { .. } => meta("Move column", None, "Move the column"),
            DataCommand::AddRow(_) => meta("Add row", None, "Add an empty row at the end"),
            DataCommand::DeleteRow { .. } => meta("Delete row", None, "Delete this row"),
            DataCommand::SetCell { .. } => meta("Edit cell", None, "Change a cell"),
            DataCommand::PasteRows { .. } => meta(
                "Add pasted rows",
                None,
                "Add the rows of the pasted text (tab- or comma-separated, as spreadsheets copy \
                 them; a header row naming the columns is skipped); Ctrl+V over the table does \
                 the same",
            ),
            DataCommand::Import(ImportInto::NewFile) => meta(
                "Import file…",
                None,
                "Add a CSV or JSONL file to the file store",
            ),
            DataCommand::Import(ImportInto::Table(_)) => meta(
                "Import CSV/JSONL…",
                None,
                "Replace the table by a CSV file (a header row naming the columns) or a JSONL \
                 file (one object per line); nothing changes when a line does not read",
            ),
            DataCommand::ImportFrom { .. } => meta("Import", None, "Import this file"),
            DataCommand::SetTable { .. } => meta("Replace table", None, "Replace the table"),
            DataCommand::AddFileWith { .. } => {
                meta("Add file", None, "Add this file to the file store")
            }
            DataCommand::Export(_) => meta(
                "Export…",
                None,
                "Write the table to a CSV file, or a JSONL file when its name ends in .jsonl",
            ),
            DataCommand::ExportTo { .. } => meta("Export", None, "Write the table to this file"),
            DataCommand::AddFile => meta(
                "New file",
                None,
                "Add a CSV file to the file store (Transfer file activities match their path \
                 against these)",
            ),
            DataCommand::RenameFile { .. } => meta(
                "Rename file",
                None,
                "Change the file's path (Transfer file matches its path against it)",
            ),
            DataCommand::DeleteFile(_) => {
                meta("Delete file", None, "Remove the file from the file store")
            }
            DataCommand::SetFileText { .. } => {
                meta("Edit file text", None, "Change the file's CSV text")
            }
            DataCommand::AddAudience => meta(
                "New audience",
                None,
                "Add a saved audience (Read audience activities read it by name)",
            ),
            DataCommand::RenameAudience { .. } => {
                meta("Rename audience", None, "Change the audience's name")
            }
            DataCommand::DeleteAudience(_) => {
                meta("Delete audience", None, "Delete the saved audience")
            }
            DataCommand::SetMembers { .. } => meta(
                "Audience members",
                None,
                "The profiles in the audience, by their key (the first column)",
            ),
            DataCommand::AddOption => meta(
                "New option",
                None,
                "Add an option (GetOption('name') reads it)",
            ),
            DataCommand::SetOption { .. } => meta("Option value", None, "Change the value"),
            DataCommand::RenameOption { .. } => {
                meta("Rename option", None, "Change the option's name")
            }
            DataCommand::DeleteOption(_) => meta("Delete option", None, "Delete the option"),
            DataCommand::SetClockStart(_) => meta(
                "Clock start",
                None,
                "Where the virtual clock starts for every simulation (UTC)",
            ),
            DataCommand::CreateMissing(m) => meta(
                m.fix_label(),
                None,
                "Create what the run missed in the sample data and show it in the Data tab",
            ),
        }
    }
}

/// One entry of a menu of the menu bar.
#[derive(Debug, Clone, PartialEq)]
pub enum MenuEntry {
    /// A command.
    Command(Command),
    /// A submenu of commands.
    Submenu(&'static str, Vec<Command>),
    /// The recently opened files (the app knows them).
    Recent,
}

/// A menu of the menu bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Menu {
    /// Its title.
    pub title: &'static str,
    /// Its entries, in order.
    pub entries: Vec<MenuEntry>,
}

fn entries<C: Into<Command>>(commands: impl IntoIterator<Item = C>) -> Vec<MenuEntry> {
    commands
        .into_iter()
        .map(|c| MenuEntry::Command(c.into()))
        .collect()
}

static MENU_BAR: LazyLock<Vec<Menu>> = LazyLock::new(|| {
    let mut file = entries(FileCommand::MENU);
    file.push(MenuEntry::Submenu(
        "Export",
        EXPORT_FORMATS
            .map(|f| Command::File(FileCommand::Export(f)))
            .to_vec(),
    ));
    file.push(MenuEntry::Recent);
    let simulate = SimCommand::DRIVE.into_iter().chain(SimCommand::MENU_REST);
    let add = Family::ALL
        .into_iter()
        .map(|f| {
            let kinds = f.kinds().map(|k| Command::Edit(EditCommand::add(k)));
            MenuEntry::Submenu(f.name(), kinds.collect())
        })
        .collect();
    vec![
        Menu {
            title: "File",
            entries: file,
        },
        Menu {
            title: "Edit",
            entries: entries(EditCommand::MENU),
        },
        Menu {
            title: "Add",
            entries: add,
        },
        Menu {
            title: "View",
            entries: entries(ViewCommand::MENU),
        },
        Menu {
            title: "Simulate",
            entries: entries(simulate),
        },
    ]
});

/// The menu bar: each command without arguments listed once.
pub fn menu_bar() -> &'static [Menu] {
    &MENU_BAR
}

/// Every command of the menu bar, in menu order.
fn menu_commands() -> impl Iterator<Item = &'static Command> {
    menu_bar()
        .iter()
        .flat_map(|m| &m.entries)
        .flat_map(|e| match e {
            MenuEntry::Command(c) => std::slice::from_ref(c),
            MenuEntry::Submenu(_, cs) => cs.as_slice(),
            MenuEntry::Recent => &[],
        })
}

/// What the command palette offers: every command of the menu bar but the palette itself.
pub fn palette() -> impl Iterator<Item = &'static Command> {
    menu_commands().filter(|c| **c != Command::View(ViewCommand::CommandPalette))
}

static KEYMAP: LazyLock<Vec<(KeyboardShortcut, Command)>> = LazyLock::new(|| {
    let mut map: Vec<(KeyboardShortcut, Command)> = menu_commands()
        .filter_map(|c| Some((c.shortcut()?, c.clone())))
        .collect();
    map.push((REDO_ALTERNATE, Command::Edit(EditCommand::Redo)));
    // egui matches a shortcut when its modifiers are pressed, whatever else is: Ctrl+Shift+Z
    // must be tried before Ctrl+Z.
    map.sort_by_key(|(s, _)| std::cmp::Reverse(modifier_count(s.modifiers)));
    map
});

fn modifier_count(m: Modifiers) -> usize {
    [m.alt, m.ctrl, m.shift, m.mac_cmd, m.command]
        .iter()
        .filter(|b| **b)
        .count()
}

/// Every keyboard shortcut and its command, the ones with more modifiers first.
pub fn keymap() -> &'static [(KeyboardShortcut, Command)] {
    &KEYMAP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_menu_bar_lists_each_command_once() {
        let all: Vec<&Command> = menu_commands().collect();
        for (i, c) in all.iter().enumerate() {
            assert!(!all[..i].contains(c), "{c:?} is listed twice");
        }
        // 31 before the Add menu (14 kinds) and Tidy layout.
        assert_eq!(all.len(), 46);
    }

    #[test]
    fn every_shortcut_is_bound_once_and_longer_ones_come_first() {
        let map = keymap();
        for (i, (s, _)) in map.iter().enumerate() {
            assert!(!map[..i].iter().any(|(o, _)| o == s), "{s:?} bound twice");
        }
        let at = |c: EditCommand| {
            map.iter()
                .position(|(_, m)| *m == Command::Edit(c.clone()))
                .unwrap_or(usize::MAX)
        };
        assert!(at(EditCommand::Redo) < at(EditCommand::Undo));
        let save_as = map
            .iter()
            .position(|(_, c)| *c == Command::File(FileCommand::SaveAs));
        let save = map
            .iter()
            .position(|(_, c)| *c == Command::File(FileCommand::Save));
        assert!(save_as < save, "Ctrl+Shift+S before Ctrl+S");
    }

    #[test]
    fn copy_paste_and_delete_yield_to_a_focused_text_field() {
        for c in [
            EditCommand::Copy,
            EditCommand::Paste,
            EditCommand::Cut,
            EditCommand::Duplicate,
            EditCommand::DeleteSelected,
        ] {
            assert!(Command::Edit(c).yields_to_text());
        }
        assert!(!Command::Edit(EditCommand::Undo).yields_to_text());
    }

    #[test]
    fn every_kind_has_an_add_command_named_after_it() {
        for tag in KindTag::ALL {
            let c = Command::Edit(EditCommand::add(tag));
            assert_eq!(c.label(), format!("Add {}", tag.name()));
            assert!(
                menu_commands().any(|m| *m == c),
                "{tag:?} is in the Add menu"
            );
        }
    }

    #[test]
    fn the_palette_offers_the_menus_without_itself() {
        let p: Vec<&Command> = palette().collect();
        assert_eq!(p.len(), 45);
        assert!(p.contains(&&Command::Edit(EditCommand::add(KindTag::Query))));
        assert_eq!(
            Command::Edit(EditCommand::add(KindTag::Query)).label(),
            "Add Query"
        );
        assert!(!p.contains(&&Command::View(ViewCommand::CommandPalette)));
        assert_eq!(p.first(), Some(&&Command::File(FileCommand::New)));
    }
}
