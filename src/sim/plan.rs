//! The compiled plan of a design: for each workflow, each activity's settings resolved once
//! (every expression parsed and held by the field it belongs to, ids and texts the trace shows
//! made ready), its exits (the ports it can send a population out of, each with the
//! transitions that leave it and the warning when none does), and the variable names of the
//! whole design interned, so that a visit reads what it needs without looking anything up by
//! text or allocating what does not change. Built by [`super::Prepared::new`] and shared by
//! every simulator of the design.

use super::exprs::Compiled;
use super::graph::Graph;
use crate::model::{
    ActivityKind, Design, Execution, FieldRef, ForkSettings, NamedExpression, OnError, Port,
    TestSettings, Workflow,
};
use std::collections::BTreeMap;

/// An interned variable name: its place in the design's [`Names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Sym(u32);

impl Sym {
    /// `recCount`: the rows going out (Query, Read and Save audience, Load file, Update data,
    /// AND-join).
    pub(crate) const REC_COUNT: Sym = Sym(0);
    /// `fileName`: the first file a Transfer file matched.
    pub(crate) const FILE_NAME: Sym = Sym(1);
    /// `filesCount`: how many files a Transfer file matched.
    pub(crate) const FILES_COUNT: Sym = Sym(2);
    /// `filenames`: the files a Transfer file matched, joined by commas.
    pub(crate) const FILE_NAMES: Sym = Sym(3);
    /// `filename`: the file a Load file loaded.
    pub(crate) const LOADED_FILE: Sym = Sym(4);

    /// Its place in the names, the slot an expression's read is resolved to.
    pub(crate) fn slot(self) -> u32 {
        self.0
    }
}

/// The names of the variables activities set, in the order of the [`Sym`] constants.
const BUILT_IN: [&str; 5] = [
    "recCount",
    "fileName",
    "filesCount",
    "filenames",
    "filename",
];

/// Every variable name of a design, each stored once: the ones activities set, then the
/// parameters of every signal.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    names: Vec<Box<str>>,
    index: BTreeMap<Box<str>, Sym>,
}

impl Names {
    fn new() -> Names {
        let mut names = Names {
            names: Vec::new(),
            index: BTreeMap::new(),
        };
        for n in BUILT_IN {
            names.intern(n);
        }
        names
    }

    fn intern(&mut self, name: &str) -> Sym {
        if let Some(s) = self.index.get(name) {
            return *s;
        }
        let s = Sym(u32::try_from(self.names.len()).unwrap_or(u32::MAX));
        self.names.push(name.into());
        self.index.insert(name.into(), s);
        s
    }

    /// The symbol of `name`, when the design has a variable of that name.
    pub(crate) fn sym(&self, name: &str) -> Option<Sym> {
        self.index.get(name).copied()
    }

    /// The name of `s`.
    pub(crate) fn name(&self, s: Sym) -> &str {
        usize::try_from(s.0)
            .ok()
            .and_then(|i| self.names.get(i))
            .map_or("", |n| n)
    }
}

/// The compiled plan of a design.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Every variable name, interned.
    pub(crate) names: Names,
    /// One plan per workflow, in design order.
    pub(crate) workflows: Vec<WorkflowPlan>,
    /// The number of activities of the design (the size of per-activity tables).
    pub(crate) activities: usize,
}

/// The plan of one workflow.
#[derive(Debug, Clone)]
pub(crate) struct WorkflowPlan {
    /// The workflow id.
    pub(crate) id: String,
    /// One step per activity, in design order.
    pub(crate) steps: Vec<Step>,
    /// The Start activities, where starting the workflow begins runs.
    pub(crate) starts: Vec<usize>,
    /// Where this workflow's activities begin in design-wide per-activity tables.
    pub(crate) offset: usize,
    /// How many ignored failures in a row suspend the workflow (0: never).
    pub(crate) threshold: u32,
}

/// One activity, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The activity id.
    pub(crate) id: String,
    /// The kind's name, as the trace shows it.
    pub(crate) kind: &'static str,
    /// What a visit does, with its settings resolved.
    pub(crate) action: Action,
    /// The ports a visit can send a population out of.
    pub(crate) exits: Vec<Exit>,
    /// Whether the activity lies on a cycle of transitions.
    pub(crate) cyclic: bool,
    /// Whether the activity runs when a branch reaches it ("Execution").
    pub(crate) execution: Execution,
    /// What a failure of it does ("In case of error").
    pub(crate) on_error: OnError,
    /// An End that stops the workflow's other tasks.
    pub(crate) stop_all: bool,
    /// Whether a failure of it may suspend its workflow (it suspends, or the workflow has a
    /// threshold of consecutive errors): a visit then keeps its input to run again on resume.
    pub(crate) may_suspend: bool,
}

/// A port an activity can send a population out of.
#[derive(Debug, Clone)]
pub(crate) struct Exit {
    /// The port.
    pub(crate) port: Port,
    /// The transitions leaving it, as (transition index, target activity index).
    pub(crate) targets: Vec<(usize, usize)>,
    /// The warning when no transition leaves it: the branch ends there.
    pub(crate) dead_end: String,
}

impl Step {
    /// How many variables a run beginning here may hold at most: the signal's parameters and
    /// the variables activities set.
    pub(crate) fn room(&self) -> usize {
        BUILT_IN.len()
            + match &self.action {
                Action::Signal { params } => params.len(),
                _ => 0,
            }
    }
}

/// The exit every kind but Test, Fork and End sends its population out of.
pub(crate) const OUT: usize = 0;

/// One expression setting, named as [`FieldRef`] names it.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// Which setting it is.
    pub(crate) name: FieldRef,
    /// Its expression, parsed.
    pub(crate) expr: Compiled,
}

impl Field {
    fn new(name: FieldRef, src: &str) -> Field {
        Field {
            name,
            expr: Compiled::new(src),
        }
    }
}

/// A named expression of a list (an email or End trigger parameter).
#[derive(Debug, Clone)]
pub(crate) struct Param {
    /// The parameter's name.
    pub(crate) name: String,
    /// Its expression, parsed.
    pub(crate) expr: Compiled,
}

/// A Test condition.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    /// The condition id.
    pub(crate) id: String,
    /// Its expression, parsed.
    pub(crate) expr: Compiled,
    /// The exit it leaves by when true.
    pub(crate) exit: usize,
}

/// What an End triggers.
#[derive(Debug, Clone)]
pub(crate) struct EndTarget {
    /// The target workflow id.
    pub(crate) workflow: String,
    /// The target signal id.
    pub(crate) signal: String,
    /// `WORKFLOW/signal`.
    pub(crate) target: String,
    /// The source of the trigger: `WORKFLOW/end` of this End.
    pub(crate) source: String,
    /// The parameters it passes.
    pub(crate) parameters: Vec<Param>,
}

/// What a visit of an activity does, with its settings resolved.
#[derive(Debug, Clone)]
pub(crate) enum Action {
    /// Passes on.
    Start,
    /// Passes on; the contract's parameters as variables, in contract order.
    Signal {
        /// The symbol of each declared parameter.
        params: Vec<Sym>,
    },
    /// Keeps the sample profiles its filter holds for.
    Query {
        /// `filter` (empty keeps every profile).
        filter: Field,
        /// `segment_code`.
        segment_code: Field,
        /// The filter's text, as the trace shows it.
        filter_text: String,
    },
    /// Reads an audience saved in the session or of the sample data.
    ReadAudience {
        /// `audience`.
        audience: Field,
        /// `segment_code`.
        segment_code: Field,
    },
    /// Saves the population under a label.
    SaveAudience {
        /// `label`.
        label: Field,
    },
    /// Matches files of the file store.
    TransferFile {
        /// `path`.
        path: Field,
    },
    /// Loads the first transferred file.
    LoadFile,
    /// Records its operation; the population passes.
    UpdateData {
        /// The operation, as the trace shows it.
        operation: String,
    },
    /// Leaves by the first condition that holds, else by its default.
    Test {
        /// The conditions, in order.
        conditions: Vec<Condition>,
        /// The default exit, when it has one.
        default: Option<usize>,
    },
    /// Sends the population along every branch.
    Fork {
        /// One exit per branch, in order.
        branches: Vec<usize>,
        /// The plain output, when a transition leaves it.
        out: Option<usize>,
    },
    /// Waits for one arrival along each incoming transition.
    AndJoin {
        /// The transitions entering it.
        incoming: Vec<usize>,
    },
    /// Its successors are visited later.
    Wait {
        /// How long.
        seconds: u64,
        /// The same, as the trace shows it.
        text: String,
    },
    /// Adds an entry to the outbox.
    Email {
        /// `label`.
        label: Field,
        /// `template`.
        template: Field,
        /// The delivery parameters.
        parameters: Vec<Param>,
    },
    /// Records that the run reached it, and triggers its target.
    End {
        /// What it triggers, when it does.
        trigger: Option<EndTarget>,
    },
}

impl Action {
    /// Calls `f` with each of its parsed expressions.
    fn for_each_compiled(&mut self, f: &mut dyn FnMut(&mut Compiled)) {
        match self {
            Action::Query {
                filter,
                segment_code,
                ..
            } => {
                f(&mut filter.expr);
                f(&mut segment_code.expr);
            }
            Action::ReadAudience {
                audience,
                segment_code,
            } => {
                f(&mut audience.expr);
                f(&mut segment_code.expr);
            }
            Action::SaveAudience { label } => f(&mut label.expr),
            Action::TransferFile { path } => f(&mut path.expr),
            Action::Test { conditions, .. } => conditions.iter_mut().for_each(|c| f(&mut c.expr)),
            Action::Email {
                label,
                template,
                parameters,
            } => {
                f(&mut label.expr);
                f(&mut template.expr);
                parameters.iter_mut().for_each(|p| f(&mut p.expr));
            }
            Action::End { trigger } => trigger
                .iter_mut()
                .flat_map(|t| t.parameters.iter_mut())
                .for_each(|p| f(&mut p.expr)),
            Action::Start
            | Action::Signal { .. }
            | Action::LoadFile
            | Action::UpdateData { .. }
            | Action::Fork { .. }
            | Action::AndJoin { .. }
            | Action::Wait { .. } => {}
        }
    }
}

impl Plan {
    /// Compiles every workflow of `design`, whose graphs are `graphs` (in design order).
    pub(crate) fn new(design: &Design, graphs: &[Graph]) -> Plan {
        let mut names = Names::new();
        let mut offset = 0;
        let empty = Graph::default();
        let mut workflows: Vec<WorkflowPlan> = design
            .workflows
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let plan = workflow_plan(w, graphs.get(i).unwrap_or(&empty), &mut names, offset);
                offset += w.activities.len();
                plan
            })
            .collect();
        // Every name is interned now: expressions read variables by symbol, not by name.
        for step in workflows.iter_mut().flat_map(|w| w.steps.iter_mut()) {
            let slot_of = |name: &str| names.sym(name).map(Sym::slot);
            step.action.for_each_compiled(&mut |c| c.resolve(&slot_of));
        }
        Plan {
            names,
            workflows,
            activities: offset,
        }
    }

    /// The step of activity `a` of workflow `w`.
    pub(crate) fn step(&self, w: usize, a: usize) -> Option<&Step> {
        self.workflows.get(w)?.steps.get(a)
    }

    /// Why a session of this plan cannot go on over `other` (a plan of an edited design), or
    /// `None` when it can: the same workflows, activities (ids and kinds), transitions and
    /// variable names, in the same order, so that every index and symbol a session holds means
    /// the same in both. Settings, expressions, options and sample data may differ.
    pub(crate) fn shape_change(&self, other: &Plan) -> Option<String> {
        if self.names.names != other.names.names {
            return Some("the parameters of its External signals changed".into());
        }
        if self.workflows.len() != other.workflows.len() {
            return Some("workflows were added or removed".into());
        }
        for (a, b) in self.workflows.iter().zip(&other.workflows) {
            if a.id != b.id {
                return Some(format!("workflow '{}' is now '{}'", a.id, b.id));
            }
            if a.steps.len() != b.steps.len() {
                return Some(format!(
                    "activities of workflow '{}' were added or removed",
                    a.id
                ));
            }
            for (x, y) in a.steps.iter().zip(&b.steps) {
                let same_exits = x.exits.len() == y.exits.len()
                    && x.exits
                        .iter()
                        .zip(&y.exits)
                        .all(|(e, f)| e.port == f.port && e.targets == f.targets);
                if x.id != y.id || x.kind != y.kind || !same_exits {
                    return Some(format!(
                        "activity '{}' of workflow '{}' or its transitions changed",
                        x.id, a.id
                    ));
                }
            }
        }
        None
    }

    /// The design-wide index of activity `a` of workflow `w`, for per-activity tables.
    pub(crate) fn slot(&self, w: usize, a: usize) -> Option<usize> {
        let wf = self.workflows.get(w)?;
        (a < wf.steps.len()).then_some(wf.offset + a)
    }
}

fn workflow_plan(w: &Workflow, g: &Graph, names: &mut Names, offset: usize) -> WorkflowPlan {
    let steps = w
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut exits = Exits {
                activity: &a.id,
                outgoing: g.outgoing.get(i).map_or(&[], Vec::as_slice),
                exits: Vec::new(),
            };
            let action = action_of(&w.id, &a.id, &a.kind, &mut exits, g, i, names);
            Step {
                id: a.id.clone(),
                kind: a.kind.tag().name(),
                action,
                exits: exits.exits,
                cyclic: g.on_cycle(i),
                execution: a.options.execution,
                on_error: a.options.on_error,
                stop_all: a.options.stop_all_tasks && matches!(a.kind, ActivityKind::End(_)),
                may_suspend: a.options.on_error == OnError::Suspend || w.consecutive_errors > 0,
            }
        })
        .collect();
    WorkflowPlan {
        id: w.id.clone(),
        steps,
        starts: w
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| matches!(a.kind, ActivityKind::Start))
            .map(|(i, _)| i)
            .collect(),
        offset,
        threshold: w.consecutive_errors,
    }
}

/// The exits of one activity, made as its action names its ports.
struct Exits<'a> {
    activity: &'a str,
    outgoing: &'a [(Port, usize, usize)],
    exits: Vec<Exit>,
}

impl Exits<'_> {
    /// The exit of `port` (one per distinct port).
    fn of(&mut self, port: Port) -> usize {
        if let Some(i) = self.exits.iter().position(|e| e.port == port) {
            return i;
        }
        self.exits.push(Exit {
            targets: self
                .outgoing
                .iter()
                .filter(|(p, _, _)| *p == port)
                .map(|(_, t, to)| (*t, *to))
                .collect(),
            dead_end: format!(
                "no transition leaves {} of '{}': the branch ends",
                port.describe(),
                self.activity
            ),
            port,
        });
        self.exits.len() - 1
    }

    /// Whether a transition leaves `port`.
    fn connected(&self, port: &Port) -> bool {
        self.outgoing.iter().any(|(p, _, _)| p == port)
    }
}

fn action_of(
    workflow: &str,
    activity: &str,
    kind: &ActivityKind,
    exits: &mut Exits<'_>,
    g: &Graph,
    i: usize,
    names: &mut Names,
) -> Action {
    // Every kind but Test, Fork and End leaves by its plain output: exit 0 (`OUT`).
    if !matches!(
        kind,
        ActivityKind::Test(_) | ActivityKind::Fork(_) | ActivityKind::End(_)
    ) {
        exits.of(Port::Out);
    }
    match kind {
        ActivityKind::Start => Action::Start,
        ActivityKind::ExternalSignal(c) => Action::Signal {
            params: c.parameters.iter().map(|p| names.intern(&p.name)).collect(),
        },
        ActivityKind::Query(q) => Action::Query {
            filter: Field::new(FieldRef::Filter, &q.filter),
            segment_code: Field::new(FieldRef::SegmentCode, &q.segment_code),
            filter_text: q.filter.clone(),
        },
        ActivityKind::ReadAudience(r) => Action::ReadAudience {
            audience: Field::new(FieldRef::Audience, &r.audience),
            segment_code: Field::new(FieldRef::SegmentCode, &r.segment_code),
        },
        ActivityKind::SaveAudience(s) => Action::SaveAudience {
            label: Field::new(FieldRef::Label, &s.label),
        },
        ActivityKind::TransferFile(t) => Action::TransferFile {
            path: Field::new(FieldRef::Path, &t.path),
        },
        ActivityKind::LoadFile => Action::LoadFile,
        ActivityKind::UpdateData(u) => Action::UpdateData {
            operation: format!("{:?}", u.operation),
        },
        ActivityKind::Test(t) => test_action(t, exits),
        ActivityKind::Fork(f) => fork_action(f, exits),
        ActivityKind::AndJoin => Action::AndJoin {
            incoming: g.incoming.get(i).cloned().unwrap_or_default(),
        },
        ActivityKind::Wait(w) => Action::Wait {
            seconds: w.seconds,
            text: w.seconds.to_string(),
        },
        ActivityKind::EmailDelivery(e) => Action::Email {
            label: Field::new(FieldRef::Label, &e.label),
            template: Field::new(FieldRef::Template, &e.template),
            parameters: params(&e.parameters),
        },
        ActivityKind::End(end) => Action::End {
            trigger: end.trigger.as_ref().map(|t| EndTarget {
                workflow: t.workflow.clone(),
                signal: t.signal.clone(),
                target: format!("{}/{}", t.workflow, t.signal),
                source: format!("{workflow}/{activity}"),
                parameters: params(&t.parameters),
            }),
        },
    }
}

/// A Test: each condition leaves by its own exit, the default by its own.
fn test_action(t: &TestSettings, exits: &mut Exits<'_>) -> Action {
    Action::Test {
        conditions: t
            .conditions
            .iter()
            .map(|c| Condition {
                id: c.id.clone(),
                expr: Compiled::new(&c.expression),
                exit: exits.of(Port::Condition(c.id.clone())),
            })
            .collect(),
        default: t.default_transition.then(|| exits.of(Port::Default)),
    }
}

/// A Fork: an exit per branch, and its plain output when a transition leaves it.
fn fork_action(f: &ForkSettings, exits: &mut Exits<'_>) -> Action {
    Action::Fork {
        branches: f
            .branches
            .iter()
            .map(|b| exits.of(Port::Branch(b.clone())))
            .collect(),
        out: exits.connected(&Port::Out).then(|| exits.of(Port::Out)),
    }
}

fn params(list: &[NamedExpression]) -> Vec<Param> {
    list.iter()
        .map(|p| Param {
            name: p.name.clone(),
            expr: Compiled::new(&p.expression),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_interned_once_with_the_built_in_ones_first() {
        let mut names = Names::new();
        assert_eq!(names.sym("recCount"), Some(Sym::REC_COUNT));
        assert_eq!(names.name(Sym::LOADED_FILE), "filename");
        let a = names.intern("audience");
        assert_eq!(names.intern("audience"), a);
        assert_eq!(names.name(a), "audience");
        assert_eq!(names.sym("nothing"), None);
    }
}
