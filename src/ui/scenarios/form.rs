//! A scenario's expectations as a form, without egui: rows a person edits one by one (texts
//! errors must mention, Ends, event variables with typed values, outbox entries with their
//! parameters, counts at activities), read back into [`Expectations`] with every problem named
//! (an empty or repeated name), and the same expectations as RON text behind "Edit as text".
//! The choices the form offers (the design's Ends, Email deliveries and activities, as
//! `WORKFLOW/activity`) are read from the design here too.

use crate::model::{
    ActivityKind, CountExpectation, Design, Expectations, OutboxExpectation, Type, Value,
    WorkflowState,
};
use crate::ui::value::zero;
use std::collections::BTreeMap;

/// A typed value of an expected variable: a type and its value, or null (an expected null also
/// matches an unset variable).
#[derive(Debug, Clone, PartialEq)]
pub struct VarRow {
    /// The variable's name.
    pub name: String,
    /// Its expected value (`Value::Null` for null).
    pub value: Value,
}

impl VarRow {
    /// The type the value is edited as (`None`: null).
    pub fn ty(&self) -> Option<Type> {
        self.value.ty()
    }

    /// Gives the value another type: the same text read as it when it reads, else the type's
    /// first value; `None` makes it null.
    pub fn retype(&mut self, ty: Option<Type>) {
        self.value = match ty {
            None => Value::Null,
            Some(t) => {
                let text = crate::ui::value::value_text(&self.value);
                Value::parse_as(&text, t).unwrap_or_else(|_| zero(t))
            }
        };
    }
}

/// An expected outbox entry, its parameters as rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutboxRow {
    /// The Email delivery, as `WORKFLOW/activity`.
    pub activity: String,
    /// Recipients, when checked.
    pub recipients: Option<usize>,
    /// Resolved label, when checked.
    pub label: Option<String>,
    /// Resolved template, when checked.
    pub template: Option<String>,
    /// Resolved delivery parameters: name and text.
    pub parameters: Vec<(String, String)>,
}

/// The expectations as rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpectForm {
    /// Accepted, rejected, or not checked.
    pub accepted: Option<bool>,
    /// Texts the rejection errors must mention.
    pub error_contains: Vec<String>,
    /// Texts the run-time errors must mention.
    pub run_errors: Vec<String>,
    /// Ends reached, as `WORKFLOW/activity`.
    pub ends: Vec<String>,
    /// Event variables of the first run.
    pub variables: Vec<VarRow>,
    /// Outbox entries, in order.
    pub outbox: Vec<OutboxRow>,
    /// Counts at activities.
    pub counts: Vec<CountExpectation>,
    /// Workflow states at the end (kept as read; edited through "Edit as text").
    pub states: BTreeMap<String, WorkflowState>,
    /// Activities holding tasks at the end (kept as read; edited through "Edit as text").
    pub held: Vec<String>,
}

impl ExpectForm {
    /// The rows of `e`.
    pub fn new(e: &Expectations) -> ExpectForm {
        ExpectForm {
            accepted: e.accepted,
            error_contains: e.error_contains.clone(),
            run_errors: e.run_errors.clone(),
            ends: e.ends.clone(),
            variables: e
                .variables
                .iter()
                .map(|(name, value)| VarRow {
                    name: name.clone(),
                    value: value.clone(),
                })
                .collect(),
            outbox: e
                .outbox
                .iter()
                .map(|o| OutboxRow {
                    activity: o.activity.clone(),
                    recipients: o.recipients,
                    label: o.label.clone(),
                    template: o.template.clone(),
                    parameters: o
                        .parameters
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                })
                .collect(),
            counts: e.counts.clone(),
            states: e.states.clone(),
            held: e.held.clone(),
        }
    }

    /// The expectations the rows give, or every problem (an empty or repeated variable or
    /// parameter name, an entry without its activity).
    pub fn expectations(&self) -> Result<Expectations, Vec<String>> {
        let mut problems = Vec::new();
        let variables = unique(
            self.variables
                .iter()
                .map(|v| (v.name.trim(), v.value.clone())),
            ("event variable", ""),
            &mut problems,
        );
        let mut outbox = Vec::new();
        for (i, o) in self.outbox.iter().enumerate() {
            if o.activity.trim().is_empty() {
                problems.push(format!("outbox entry {} has no Email delivery", i + 1));
            }
            let of = format!(" of outbox entry {}", i + 1);
            let parameters = unique(
                o.parameters.iter().map(|(k, v)| (k.trim(), v.clone())),
                ("parameter", &of),
                &mut problems,
            );
            outbox.push(OutboxExpectation {
                activity: o.activity.trim().to_owned(),
                recipients: o.recipients,
                label: o.label.clone(),
                template: o.template.clone(),
                parameters,
            });
        }
        for (i, c) in self.counts.iter().enumerate() {
            if c.activity.trim().is_empty() {
                problems.push(format!("count {} has no activity", i + 1));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Expectations {
            accepted: self.accepted,
            error_contains: texts(&self.error_contains),
            run_errors: texts(&self.run_errors),
            ends: texts(&self.ends),
            variables,
            outbox,
            counts: self.counts.clone(),
            states: self.states.clone(),
            held: self.held.clone(),
        })
    }

    /// The expectations as RON (what "Edit as text" starts from), or why the rows give none.
    pub fn to_text(&self) -> Result<String, String> {
        let e = self.expectations().map_err(|p| p.join("; "))?;
        crate::io::expectations_to_ron(&e).map_err(|e| e.to_string())
    }

    /// The rows of RON text, or why it does not read (with its line and column).
    pub fn from_text(text: &str) -> Result<ExpectForm, String> {
        crate::io::expectations_from_ron(text)
            .map(|e| ExpectForm::new(&e))
            .map_err(|e| e.to_string())
    }
}

/// The rows as a map; an empty or repeated name is a problem, said of the row as `noun` and
/// where it is (`of`: ` of outbox entry 1`).
fn unique<V>(
    rows: impl Iterator<Item = (impl AsRef<str>, V)>,
    (noun, of): (&str, &str),
    problems: &mut Vec<String>,
) -> BTreeMap<String, V> {
    let mut out = BTreeMap::new();
    for (i, (name, v)) in rows.enumerate() {
        let name = name.as_ref();
        if name.is_empty() {
            problems.push(format!("{noun} {}{of} has no name", i + 1));
        } else if out.insert(name.to_owned(), v).is_some() {
            problems.push(format!("{noun} '{name}'{of} is listed twice"));
        }
    }
    out
}

/// The non-empty texts, trimmed.
fn texts(rows: &[String]) -> Vec<String> {
    rows.iter()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The expectations of one scenario being edited: as rows, or as RON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    /// The scenario.
    pub name: String,
    /// The rows.
    pub form: ExpectForm,
    /// Whether the text is edited rather than the rows.
    pub as_text: bool,
    /// The text (while `as_text`).
    pub text: String,
    /// Why the last switch between rows and text was refused.
    pub problem: Option<String>,
}

impl Editing {
    /// Editing `expect` of scenario `name`, as rows.
    pub fn new(name: &str, expect: &Expectations) -> Editing {
        Editing {
            name: name.to_owned(),
            form: ExpectForm::new(expect),
            as_text: false,
            text: String::new(),
            problem: None,
        }
    }

    /// Switches to the text (made from the rows) or back to the rows (read from the text);
    /// refused, saying why, when the rows have a problem or the text does not read.
    pub fn set_as_text(&mut self, on: bool) {
        let switched = match (on, self.as_text) {
            (true, false) => self.form.to_text().map(|t| self.text = t),
            (false, true) => ExpectForm::from_text(&self.text).map(|f| self.form = f),
            _ => Ok(()),
        };
        match switched {
            Ok(()) => {
                self.as_text = on;
                self.problem = None;
            }
            Err(e) => self.problem = Some(e),
        }
    }

    /// The expectations edited (read from the text when it is edited), or every problem.
    pub fn result(&self) -> Result<Expectations, Vec<String>> {
        if self.as_text {
            crate::io::expectations_from_ron(&self.text).map_err(|e| vec![e.to_string()])
        } else {
            self.form.expectations()
        }
    }
}

/// What the form's pickers offer: `WORKFLOW/activity` of the design's Ends, Email deliveries
/// and activities.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choices {
    /// Every End.
    pub ends: Vec<String>,
    /// Every Email delivery.
    pub deliveries: Vec<String>,
    /// Every activity.
    pub activities: Vec<String>,
}

impl Choices {
    /// The choices of `design`, in design order.
    pub fn of(design: &Design) -> Choices {
        let mut c = Choices::default();
        for w in &design.workflows {
            for a in &w.activities {
                let id = format!("{}/{}", w.id, a.id);
                match a.kind {
                    ActivityKind::End(_) => c.ends.push(id.clone()),
                    ActivityKind::EmailDelivery(_) => c.deliveries.push(id.clone()),
                    _ => {}
                }
                c.activities.push(id);
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn example() -> Design {
        crate::io::load_str(include_str!("../../../examples/cms-newsletter.flow.ron")).unwrap()
    }

    #[test]
    fn every_scenario_of_the_examples_round_trips_through_the_form_and_the_text() {
        let mut designs = vec![example()];
        designs.push(
            crate::io::load_str(include_str!("../../../examples/file-to-audience.flow.ron"))
                .unwrap(),
        );
        for d in designs {
            for s in &d.scenarios {
                let form = ExpectForm::new(&s.expect);
                assert_eq!(form.expectations().unwrap(), s.expect, "{}", s.name);
                let text = form.to_text().unwrap();
                assert_eq!(ExpectForm::from_text(&text).unwrap(), form, "{}", s.name);
            }
        }
    }

    #[test]
    fn rows_edited_give_the_expectations_and_problems_are_named() {
        let d = example();
        let mut form = ExpectForm::new(&d.scenarios[0].expect);
        let rec = form
            .variables
            .iter_mut()
            .find(|v| v.name == "recCount")
            .unwrap();
        rec.value = Value::Integer(5);
        form.ends.push("  ".into());
        form.counts[0].count_out = None;
        let e = form.expectations().unwrap();
        assert_eq!(e.variables["recCount"], Value::Integer(5));
        assert_eq!(e.ends, ["NEWSLETTER/end1"], "an empty row is left out");
        assert_eq!(e.counts[0].count_out, None);
        form.variables.push(VarRow {
            name: "recCount".into(),
            value: Value::Null,
        });
        form.outbox[0].parameters.push((String::new(), "x".into()));
        form.counts.push(CountExpectation::default());
        assert_eq!(
            form.expectations().unwrap_err(),
            [
                "event variable 'recCount' is listed twice",
                "parameter 3 of outbox entry 1 has no name",
                "count 2 has no activity",
            ]
        );
        assert!(form.to_text().is_err());
    }

    #[test]
    fn a_variable_keeps_its_text_when_retyped_if_it_reads() {
        let mut v = VarRow {
            name: "n".into(),
            value: Value::String("42".into()),
        };
        v.retype(Some(Type::Integer));
        assert_eq!(v.value, Value::Integer(42));
        v.retype(Some(Type::Date));
        assert_eq!(v.value, zero(Type::Date));
        v.retype(None);
        assert_eq!(v.value, Value::Null);
        assert_eq!(v.ty(), None);
    }

    #[test]
    fn the_choices_are_the_designs_ends_deliveries_and_activities() {
        let c = Choices::of(&example());
        assert_eq!(c.ends, ["NEWSLETTER/end1"]);
        assert_eq!(c.deliveries, ["NEWSLETTER/email1"]);
        assert_eq!(c.activities.len(), 4);
    }

    #[test]
    fn switching_to_text_and_back_keeps_the_edits_and_refuses_what_does_not_read() {
        let d = example();
        let mut e = Editing::new("gold newsletter", &d.scenarios[0].expect);
        e.form.accepted = Some(false);
        e.set_as_text(true);
        assert!(
            e.as_text && e.text.contains("accepted: Some(false)"),
            "{}",
            e.text
        );
        e.text = e.text.replace("Some(false)", "Some(true)");
        assert_eq!(
            e.result().unwrap().accepted,
            Some(true),
            "the text is what counts"
        );
        e.set_as_text(false);
        assert_eq!(e.form.accepted, Some(true));
        e.set_as_text(true);
        e.text.push_str(" oops");
        e.set_as_text(false);
        assert!(e.as_text, "text that does not read stays text");
        assert!(e.problem.is_some());
        assert!(e.result().is_err());
    }

    #[test]
    fn text_that_does_not_read_says_where() {
        let e = ExpectForm::from_text("(accepted: Maybe)").unwrap_err();
        assert!(e.contains("1:"), "{e}");
    }
}
