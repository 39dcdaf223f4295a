//! Structural rules a design must satisfy to be loaded at all: unique ids, transitions between
//! existing activities and ports, defaults and allowed values of their declared type, sample
//! tables whose cells fit their columns. Everything else is a diagnostic of `check`.

use super::contract::Parameter;
use super::design::{Activity, ActivityKind, Cooldown, Design, Port, Transition, Workflow};
use super::text::{grouped, listed};
use super::value::{Value, format_datetime};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The longest Wait or trigger cooldown a design may declare: 100 years of 365.2425 days, in
/// seconds. The virtual clock holds about 260,000 years, so a Wait this long can still repeat.
pub const MAX_DURATION_SECONDS: u64 = 3_155_695_200;

/// The years the virtual clock may start in (`sample.clock_start`): four-digit years, as RFC
/// 3339 and the exports' date-time formats write them.
pub const CLOCK_START_YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The problem of a duration of `seconds` that is longer than [`MAX_DURATION_SECONDS`].
fn too_long(what: &str, seconds: u64) -> Option<String> {
    (seconds > MAX_DURATION_SECONDS).then(|| {
        format!(
            "{what} of {} seconds is longer than the {} seconds (100 years) the virtual clock allows; use a shorter one",
            grouped(seconds),
            grouped(MAX_DURATION_SECONDS)
        )
    })
}

/// The longest workflow or activity id.
pub const MAX_ID_LEN: usize = 64;

/// Whether `c` may appear in a workflow or activity id.
fn id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Why `id` cannot be the id of a workflow or activity (`what`), or `None` when it can. Ids
/// travel as they are in trigger URLs (`/workflow/execution/WKF1/...`), `--signal WKF1/signal1`,
/// BPMN element ids (XML names) and message names (`WKF1.signal1`), so an id holds only what
/// every one of them carries: ASCII letters, digits, `_` and `-`, starting with a letter or
/// `_`, at most [`MAX_ID_LEN`] characters. The message says how to rename it.
pub fn id_problem(what: &str, id: &str) -> Option<String> {
    let example = if what == "workflow" { "WKF1" } else { "query1" };
    let Some(first) = id.chars().next() else {
        return Some(format!(
            "{} has an empty id; give it one such as '{example}'",
            with_article(what)
        ));
    };
    let fixed = || {
        let mut s: String = id
            .chars()
            .map(|c| if id_char(c) { c } else { '_' })
            .take(MAX_ID_LEN)
            .collect();
        if !(first.is_ascii_alphabetic() || first == '_') {
            s.insert(0, '_');
            s.truncate(MAX_ID_LEN);
        }
        s
    };
    if let Some(c) = id.chars().find(|c| !id_char(*c)) {
        let kind = if c.is_control() {
            "the control character"
        } else {
            "the character"
        };
        return Some(format!(
            "the {what} id {id:?} holds {kind} {:?} (U+{:04X}); an id may only hold ASCII letters, digits, '_' and '-' (ids travel in trigger URLs, --signal, BPMN and message names): rename it, e.g. to '{}'",
            c,
            u32::from(c),
            fixed()
        ));
    }
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Some(format!(
            "the {what} id '{id}' starts with '{first}'; an id starts with an ASCII letter or '_': rename it, e.g. to '{}'",
            fixed()
        ));
    }
    if id.len() > MAX_ID_LEN {
        return Some(format!(
            "the {what} id '{id}' is {} characters long; the limit is {MAX_ID_LEN}: rename it, e.g. to '{}'",
            id.len(),
            fixed()
        ));
    }
    None
}

/// The problem of a clock start outside [`CLOCK_START_YEARS`].
fn clock_start_problem(at: &Timestamp) -> Option<String> {
    let year = i32::from(super::time::date_of(*at).year());
    (!CLOCK_START_YEARS.contains(&year)).then(|| {
        format!(
            "the virtual clock starts at {}, outside the years 1 to 9999 it may start in; write a date such as 2025-01-06T09:00:00Z",
            format_datetime(at)
        )
    })
}

/// One structural problem, naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructureProblem {
    /// The workflow concerned, if any.
    pub workflow: Option<String>,
    /// The activity concerned, if any.
    pub activity: Option<String>,
    /// The field or parameter concerned, if any.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for StructureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.workflow, &self.activity) {
            (Some(w), Some(a)) => write!(f, "{w}/{a}: ")?,
            (Some(w), None) => write!(f, "{w}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// `a String`, `an Integer`.
pub fn with_article(word: &str) -> String {
    let an = word
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {word}", if an { "an" } else { "a" })
}

/// The structural problems found so far, in document order.
#[derive(Default)]
struct Problems {
    /// The problems.
    out: Vec<StructureProblem>,
}

impl Problems {
    /// Adds a problem of workflow `w`, activity `a` and `field`.
    fn push(&mut self, w: Option<&str>, a: Option<&str>, field: Option<String>, message: String) {
        self.out.push(StructureProblem {
            workflow: w.map(str::to_owned),
            activity: a.map(str::to_owned),
            field,
            message,
        });
    }
}

impl Design {
    /// Every structural problem of the design, in document order.
    pub fn structure_problems(&self) -> Vec<StructureProblem> {
        let mut problems = Problems::default();
        let mut workflow_ids = BTreeSet::new();
        for wf in &self.workflows {
            workflow_problems(wf, &mut workflow_ids, &mut problems);
        }
        self.setting_problems(&mut problems);
        self.sample_problems(&mut problems);
        problems.out
    }

    /// A trigger cooldown longer than the clock allows, or a clock start outside its years.
    fn setting_problems(&self, problems: &mut Problems) {
        if let Cooldown::Seconds(n) = self.compatibility.trigger_cooldown
            && let Some(m) = too_long("the trigger cooldown", n)
        {
            problems.push(None, None, Some("compatibility.trigger_cooldown".into()), m);
        }
        if let Some(m) = clock_start_problem(&self.sample.clock_start) {
            problems.push(None, None, Some("sample.clock_start".into()), m);
        }
    }

    /// Sample profile columns named twice, and cells that do not fit their column.
    fn sample_problems(&self, problems: &mut Problems) {
        let mut columns: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, c) in self.sample.profiles.columns.iter().enumerate() {
            if let Some(first) = columns.get(c.name.as_str()) {
                problems.push(
                    None,
                    None,
                    Some("sample.profiles".into()),
                    format!(
                        "sample profiles: the column '{}' is named twice (columns {} and {}); a filter's `@{}` could only read one of them: rename or remove one",
                        c.name,
                        first + 1,
                        i + 1,
                        c.name
                    ),
                );
            } else {
                columns.insert(c.name.as_str(), i);
            }
        }
        if let Err(e) = self.sample.profiles.typed_rows() {
            problems.push(
                None,
                None,
                Some("sample.profiles".into()),
                format!("sample profiles: {e}"),
            );
        }
    }
}

/// The problems of one workflow: its id (`ids` holds those seen before it), then each
/// activity's, then each transition's.
fn workflow_problems<'d>(wf: &'d Workflow, ids: &mut BTreeSet<&'d str>, problems: &mut Problems) {
    let w = Some(wf.id.as_str());
    if let Some(m) = id_problem("workflow", &wf.id) {
        problems.push(w, None, None, m);
    }
    if !ids.insert(wf.id.as_str()) {
        problems.push(
            w,
            None,
            None,
            format!(
                "duplicate workflow id '{}': workflow ids must be unique in a design; rename one",
                wf.id
            ),
        );
    }
    let mut activity_ids = BTreeSet::new();
    for act in &wf.activities {
        activity_problems(wf, act, &mut activity_ids, problems);
    }
    transition_problems(wf, problems);
}

/// The problems of one activity of `wf`: its id (`ids` holds those seen before it), a Wait or
/// options beyond what they may be, its canvas position and its signal's parameters.
fn activity_problems<'d>(
    wf: &Workflow,
    act: &'d Activity,
    ids: &mut BTreeSet<&'d str>,
    problems: &mut Problems,
) {
    let (w, a) = (Some(wf.id.as_str()), Some(act.id.as_str()));
    if let Some(m) = id_problem("activity", &act.id) {
        problems.push(w, a, None, m);
    }
    if let ActivityKind::Wait(ws) = &act.kind
        && let Some(m) = too_long("a Wait", ws.seconds)
    {
        problems.push(w, a, Some("seconds".into()), m);
    }
    if let Some((field, m)) = act.options.problem(&act.kind) {
        problems.push(w, a, Some(field.into()), m);
    }
    if !ids.insert(act.id.as_str()) {
        problems.push(
            w,
            a,
            None,
            format!(
                "duplicate activity id '{}' in workflow '{}': activity ids must be unique in their workflow; rename one",
                act.id, wf.id
            ),
        );
    }
    if !(act.position.x.is_finite() && act.position.y.is_finite()) {
        problems.push(
            w,
            a,
            None,
            format!(
                "the canvas position of '{}' is not a finite number; write numbers such as (120.0, 40.0)",
                act.id
            ),
        );
    }
    if let ActivityKind::ExternalSignal(contract) = &act.kind {
        for p in &contract.parameters {
            parameter_problems(w, a, p, problems);
        }
    }
}

/// A declared parameter's default or allowed values that are not finite or not of its type.
fn parameter_problems(w: Option<&str>, a: Option<&str>, p: &Parameter, problems: &mut Problems) {
    let field = Some(format!("parameter:{}", p.name));
    let not_finite = p
        .default
        .iter()
        .chain(&p.allowed)
        .any(|v| matches!(v, Value::Decimal(f) if !f.is_finite()));
    if not_finite {
        problems.push(
            w,
            a,
            field.clone(),
            format!(
                "parameter '{}' has a default or allowed value that is not a finite number",
                p.name
            ),
        );
    }
    if let Some(d) = &p.default
        && !d.fits(p.ty)
    {
        problems.push(
            w,
            a,
            field.clone(),
            format!(
                "parameter '{}' is declared {} but its default is {} ({d:?}); write a {} default or remove it",
                p.name,
                p.ty,
                with_article(d.type_name()),
                p.ty
            ),
        );
    }
    for v in &p.allowed {
        if !v.fits(p.ty) {
            problems.push(
                w,
                a,
                field.clone(),
                format!(
                    "parameter '{}' is declared {} but allows {} value ({v:?}); allowed values must be of the declared type",
                    p.name,
                    p.ty,
                    with_article(v.type_name())
                ),
            );
        }
    }
}

/// Transitions of `wf` from or to an activity it does not have, or from a port their
/// activity does not have.
fn transition_problems(wf: &Workflow, problems: &mut Problems) {
    let w = Some(wf.id.as_str());
    let by_id: BTreeMap<&str, &Activity> =
        wf.activities.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut port_sets: BTreeMap<&str, BTreeSet<Port>> = BTreeMap::new();
    for t in &wf.transitions {
        let Some(from) = by_id.get(t.from.as_str()) else {
            problems.push(
                w,
                Some(t.from.as_str()),
                None,
                format!(
                    "a transition leaves activity '{}', which does not exist in workflow '{}'",
                    t.from, wf.id
                ),
            );
            continue;
        };
        if !by_id.contains_key(t.to.as_str()) {
            problems.push(
                w,
                Some(t.from.as_str()),
                None,
                format!(
                    "a transition from '{}' goes to activity '{}', which does not exist in workflow '{}'",
                    t.from, t.to, wf.id
                ),
            );
        }
        // Each activity's ports once, as a set: a Fork of 100,000 branches has as
        // many transitions leaving it.
        let ports = port_sets
            .entry(t.from.as_str())
            .or_insert_with(|| from.kind.output_ports().into_iter().collect());
        if !ports.contains(&t.port) {
            port_problem(wf, t, from, ports.is_empty(), problems);
        }
    }
}

/// Transition `t` leaves activity `from` by a port it does not have (`none`: it has no port).
fn port_problem(
    wf: &Workflow,
    t: &Transition,
    from: &Activity,
    none: bool,
    problems: &mut Problems,
) {
    let has = if none {
        "none".to_owned()
    } else {
        listed(from.kind.output_ports().iter().map(|p| p.describe()))
    };
    problems.push(
        Some(wf.id.as_str()),
        Some(t.from.as_str()),
        None,
        format!(
            "a transition leaves '{}' from port {}, which this {} activity does not have (its ports: {has})",
            t.from,
            t.port.describe(),
            from.kind.tag().name()
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    fn wf() -> Workflow {
        let mut w = Workflow::new("WKF1", "One");
        w.activities
            .push(Activity::new("signal1", "Signal", KindTag::ExternalSignal));
        w.activities
            .push(Activity::new("end1", "End", KindTag::End));
        w.transitions.push(Transition {
            from: "signal1".into(),
            port: Port::Out,
            to: "end1".into(),
        });
        w
    }

    #[test]
    fn durations_and_clock_start_beyond_the_clock_are_refused() {
        let mut w = wf();
        let mut wait = Activity::new("wait1", "Wait", KindTag::Wait);
        wait.kind = ActivityKind::Wait(WaitSettings {
            seconds: 10_000_000_000_000,
        });
        w.activities.push(wait);
        let mut d = Design {
            workflows: vec![w],
            ..Design::default()
        };
        d.compatibility.trigger_cooldown = Cooldown::Seconds(u64::MAX);
        d.sample.clock_start = Timestamp::MIN;
        let all: Vec<String> = d
            .structure_problems()
            .iter()
            .map(|p| p.to_string())
            .collect();
        let all = all.join("\n");
        assert!(
            all.contains("WKF1/wait1: a Wait of 10,000,000,000,000 seconds is longer than the 3,155,695,200 seconds (100 years)"),
            "{all}"
        );
        assert!(
            all.contains("the trigger cooldown of 18,446,744,073,709,551,615 seconds is longer"),
            "{all}"
        );
        assert!(all.contains("outside the years 1 to 9999"), "{all}");
        d.compatibility.trigger_cooldown = Cooldown::Seconds(MAX_DURATION_SECONDS);
        d.sample.clock_start = crate::model::default_clock_start();
        if let ActivityKind::Wait(ws) = &mut d.workflows[0].activities[2].kind {
            ws.seconds = MAX_DURATION_SECONDS;
        }
        assert!(d.structure_problems().is_empty());
    }

    #[test]
    fn ids_with_control_characters_are_refused() {
        let mut w = wf();
        w.id = "WKF\n1".into();
        w.activities[1].id = "end\u{1}".into();
        w.transitions[0].to = "end\u{1}".into();
        let d = Design {
            workflows: vec![w],
            ..Design::default()
        };
        let all: Vec<String> = d
            .structure_problems()
            .iter()
            .map(|p| p.message.clone())
            .collect();
        assert_eq!(
            all,
            [
                "the workflow id \"WKF\\n1\" holds the control character '\\n' (U+000A); an id may only hold ASCII letters, digits, '_' and '-' (ids travel in trigger URLs, --signal, BPMN and message names): rename it, e.g. to 'WKF_1'",
                "the activity id \"end\\u{1}\" holds the control character '\\u{1}' (U+0001); an id may only hold ASCII letters, digits, '_' and '-' (ids travel in trigger URLs, --signal, BPMN and message names): rename it, e.g. to 'end_'",
            ]
        );
    }

    /// Issue 28, item 8: a workflow id holding `/` passed, and no `--signal WKF/SIGNAL` could
    /// name its signals. Ids now hold only what every export and `--signal` carries as it is.
    #[test]
    fn regression_ids_hold_only_what_urls_signal_and_bpmn_carry() {
        assert_eq!(id_problem("workflow", "WKF1"), None);
        assert_eq!(id_problem("activity", "end_ok-2"), None);
        assert_eq!(id_problem("activity", "_x"), None);
        assert_eq!(id_problem("activity", &"a".repeat(MAX_ID_LEN)), None);
        let slash = id_problem("workflow", "A/B").unwrap_or_default();
        assert!(slash.contains("'/' (U+002F)"), "{slash}");
        assert!(slash.ends_with("rename it, e.g. to 'A_B'"), "{slash}");
        for bad in ["a b", "é", "x.y", "<&>", "a'b", "a`b", "A\u{1b}[2J"] {
            assert!(id_problem("activity", bad).is_some(), "{bad}");
        }
        let digit = id_problem("activity", "1st").unwrap_or_default();
        assert!(digit.contains("starts with '1'"), "{digit}");
        assert!(digit.ends_with("e.g. to '_1st'"), "{digit}");
        let long = id_problem("workflow", &"w".repeat(MAX_ID_LEN + 1)).unwrap_or_default();
        assert!(
            long.contains("65 characters long; the limit is 64"),
            "{long}"
        );
        assert_eq!(
            id_problem("workflow", ""),
            Some("a workflow has an empty id; give it one such as 'WKF1'".into())
        );
        assert_eq!(
            id_problem("activity", ""),
            Some("an activity has an empty id; give it one such as 'query1'".into())
        );
        let mut w = wf();
        w.id = "A/B".into();
        let d = Design {
            workflows: vec![w],
            ..Design::default()
        };
        let problems = d.structure_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].workflow.as_deref(), Some("A/B"));
    }

    #[test]
    fn clean_design_has_no_problem() {
        let d = Design {
            workflows: vec![wf()],
            ..Design::default()
        };
        assert!(d.structure_problems().is_empty());
    }

    #[test]
    fn reports_duplicates_dangling_and_bad_defaults() {
        let mut w = wf();
        w.activities
            .push(Activity::new("end1", "again", KindTag::End));
        w.transitions.push(Transition {
            from: "signal1".into(),
            port: Port::Out,
            to: "nowhere".into(),
        });
        w.transitions.push(Transition {
            from: "end1".into(),
            port: Port::Out,
            to: "signal1".into(),
        });
        if let ActivityKind::ExternalSignal(c) = &mut w.activities[0].kind {
            let mut p = Parameter::new("count", Type::Integer);
            p.default = Some(Value::String("x".into()));
            c.parameters.push(p);
        }
        let d = Design {
            workflows: vec![w.clone(), w],
            ..Design::default()
        };
        let msgs: Vec<String> = d
            .structure_problems()
            .iter()
            .map(|p| p.to_string())
            .collect();
        let all = msgs.join("\n");
        assert!(all.contains("duplicate workflow id 'WKF1'"), "{all}");
        assert!(
            all.contains("WKF1/end1: duplicate activity id 'end1'"),
            "{all}"
        );
        assert!(all.contains("'nowhere', which does not exist"), "{all}");
        assert!(
            all.contains("from port out, which this End activity"),
            "{all}"
        );
        assert!(
            all.contains(
                "WKF1/signal1: parameter 'count' is declared Integer but its default is a String"
            ),
            "{all}"
        );
    }
}
