//! Synthetic designs of any size, for benchmarks, stress tests and demos: workflows made of a
//! signal, a chain of realistic activities with expressions, Tests that branch, and an End that
//! triggers the next workflow's signal.

use super::contract::*;
use super::design::*;
use super::options::ActivityOptions;
use super::sample::*;
use super::value::*;

/// The port that continues the chain after an activity: a Test's condition, else the single
/// output.
fn port_after(prev_is_test: bool) -> Port {
    if prev_is_test {
        Port::Condition("some".into())
    } else {
        Port::Out
    }
}

/// A design of `workflows` workflows with about `activities_per_workflow` activities each.
pub fn generated_design(workflows: usize, activities_per_workflow: usize) -> Design {
    let mut design = Design::default();
    for w in 0..workflows {
        design
            .workflows
            .push(generated_workflow(w, workflows, activities_per_workflow));
    }
    design.sample.profiles = generated_profiles();
    design.sample.audiences.insert(
        "gold".into(),
        (0..10).map(|i| format!("p{i}@example.com")).collect(),
    );
    design
}

/// Workflow `w` (0-based) of `workflows`: a signal, a chain of about `activities` activities,
/// and an End that triggers the next workflow's signal (the last one's triggers nothing).
fn generated_workflow(w: usize, workflows: usize, activities: usize) -> Workflow {
    let mut wf = Workflow::new(
        format!("WKF{}", w + 1),
        format!("Generated workflow {}", w + 1),
    );
    wf.activities.push(Activity {
        id: "signal1".into(),
        label: "Signal".into(),
        position: Position { x: 0.0, y: 0.0 },
        kind: ActivityKind::ExternalSignal(generated_signal()),
        options: ActivityOptions::default(),
    });
    let (prev, prev_is_test) = push_chain(&mut wf, activities.saturating_sub(2).max(1));
    let trigger = (w + 1 < workflows).then(|| next_trigger(w));
    let port = port_after(prev_is_test);
    wf.activities.push(Activity {
        id: "end1".into(),
        label: "End".into(),
        position: Position { x: 0.0, y: -160.0 },
        kind: ActivityKind::End(EndSettings { trigger }),
        options: ActivityOptions::default(),
    });
    wf.transitions.push(Transition {
        from: prev,
        port,
        to: "end1".into(),
    });
    wf
}

/// The signal every generated workflow starts at: one parameter of each type, `audience`
/// required.
fn generated_signal() -> SignalContract {
    let mut signal = SignalContract::default();
    for (name, ty) in [
        ("audience", Type::String),
        ("count", Type::Integer),
        ("ratio", Type::Decimal),
        ("active", Type::Boolean),
        ("since", Type::Date),
    ] {
        let mut p = Parameter::new(name, ty);
        p.required = name == "audience";
        signal.parameters.push(p);
    }
    signal
}

/// Chains about `body` activities after `signal1` (a Test's default branch ending at once at an
/// End of its own); returns the last one's id and whether it is a Test.
fn push_chain(wf: &mut Workflow, body: usize) -> (String, bool) {
    let mut prev = "signal1".to_owned();
    let mut prev_is_test = false;
    let mut i = 0;
    while i < body {
        let n = i + 1;
        let x = 220.0 * (n % 40) as f32;
        let y = 160.0 * (n / 40) as f32;
        let (id, kind) = chain_step(n);
        let is_test = matches!(kind, ActivityKind::Test(_));
        wf.activities.push(Activity {
            id: id.clone(),
            label: format!("Step {n}"),
            position: Position { x, y },
            kind,
            options: ActivityOptions::default(),
        });
        wf.transitions.push(Transition {
            from: prev.clone(),
            port: port_after(prev_is_test),
            to: id.clone(),
        });
        if is_test {
            push_empty_end(wf, n, &id, Position { x, y: y + 80.0 });
            i += 1;
        }
        prev = id;
        prev_is_test = is_test;
        i += 1;
    }
    (prev, prev_is_test)
}

/// The default branch of Test `test` (step `n`) ends at once, at an End placed at `position`.
fn push_empty_end(wf: &mut Workflow, n: usize, test: &str, position: Position) {
    let end = format!("endEmpty{n}");
    wf.activities.push(Activity {
        id: end.clone(),
        label: "No records".into(),
        position,
        kind: ActivityKind::End(EndSettings::default()),
        options: ActivityOptions::default(),
    });
    wf.transitions.push(Transition {
        from: test.to_owned(),
        port: Port::Default,
        to: end,
    });
}

/// The id and kind of step `n` of the chain, the kinds taking turns.
fn chain_step(n: usize) -> (String, ActivityKind) {
    match n % 5 {
        0 => (
            format!("query{n}"),
            ActivityKind::Query(QuerySettings {
                filter: "@age > $long(vars/@count) AND @country <> 'FR'".into(),
                segment_code: String::new(),
            }),
        ),
        1 => (
            format!("readAudience{n}"),
            ActivityKind::ReadAudience(ReadAudienceSettings {
                audience: "$(vars/@audience)".into(),
                segment_code: "'SEG-' + ToString($long(vars/@count))".into(),
            }),
        ),
        2 => (
            format!("update{n}"),
            ActivityKind::UpdateData(UpdateDataSettings::default()),
        ),
        3 => (
            format!("email{n}"),
            ActivityKind::EmailDelivery(EmailSettings {
                label: "'Hello ' + Upper($(vars/@audience))".into(),
                template: "Iif($boolean(vars/@active), 'active', 'dormant')".into(),
                parameters: vec![NamedExpression {
                    name: "ratio".into(),
                    expression: "Round($float(vars/@ratio) * 100)".into(),
                }],
            }),
        ),
        _ => (
            format!("test{n}"),
            ActivityKind::Test(TestSettings {
                conditions: vec![Condition {
                    id: "some".into(),
                    label: "Some records".into(),
                    expression: "$long(vars/@recCount) > 0".into(),
                }],
                default_transition: true,
            }),
        ),
    }
}

/// The trigger of workflow `w`'s End: the next workflow's signal, passing on the audience and
/// the count plus one.
fn next_trigger(w: usize) -> EndTrigger {
    EndTrigger {
        workflow: format!("WKF{}", w + 2),
        signal: "signal1".into(),
        parameters: vec![
            NamedExpression {
                name: "audience".into(),
                expression: "$(vars/@audience)".into(),
            },
            NamedExpression {
                name: "count".into(),
                expression: "$long(vars/@count) + 1".into(),
            },
        ],
    }
}

/// Fifty sample profiles: an email, an age from 18 and a country.
fn generated_profiles() -> Table {
    Table {
        columns: vec![
            Column {
                name: "email".into(),
                ty: Type::String,
            },
            Column {
                name: "age".into(),
                ty: Type::Integer,
            },
            Column {
                name: "country".into(),
                ty: Type::String,
            },
        ],
        rows: (0..50)
            .map(|i| {
                vec![
                    format!("p{i}@example.com"),
                    (18 + i % 60).to_string(),
                    ["FR", "DE", "BR", "JP"][i % 4].to_owned(),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_designs_are_structurally_sound() {
        let d = generated_design(4, 500);
        assert!(d.structure_problems().is_empty());
        assert!(
            (1900..=2100).contains(&d.activity_count()),
            "{}",
            d.activity_count()
        );
    }
}
