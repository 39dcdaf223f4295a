//! Strategies that generate designs for property tests: every activity kind, parameters of
//! every type with defaults and allowed values, transitions between any two activities, sample
//! data, a scenario, and (in the hostile variant) texts with control characters, shell and XML
//! syntax, and extreme numbers.

#![allow(dead_code)]

use flowcall::model::*;
use proptest::prelude::*;

/// Texts written to break out of shell words, comments, XML and JSON.
pub fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,16}",
        prop::collection::vec(
            prop::sample::select(vec![
                "\n",
                "\r",
                "\t",
                "\u{0}",
                "\u{1}",
                "\u{7}",
                "\u{1b}",
                "\u{7f}",
                "\u{fffe}",
                "\u{ffff}",
                "\u{2028}",
                "'",
                "\"",
                "`",
                "$(touch PWNED)",
                "; touch PWNED #",
                "\\",
                "<",
                ">",
                "&",
                "]]>",
                "&amp;",
                "%00",
                "{",
                "}",
                "é",
                "🙂",
            ]),
            0..8
        )
        .prop_map(|parts| parts.concat()),
    ]
}

pub fn value_of(ty: Type) -> BoxedStrategy<Value> {
    match ty {
        Type::String => hostile_text().prop_map(Value::String).boxed(),
        Type::Integer => prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN), Just(0)]
            .prop_map(Value::Integer)
            .boxed(),
        Type::Decimal => prop_oneof![
            (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(m, e)| m as f64 / 10f64.powi(e as i32)),
            Just(f64::MAX),
            Just(f64::MIN),
            Just(f64::MIN_POSITIVE),
            Just(-0.0),
        ]
        .prop_map(Value::Decimal)
        .boxed(),
        Type::Boolean => any::<bool>().prop_map(Value::Boolean).boxed(),
        Type::Date => (0i32..30000)
            .prop_map(|d| {
                jiff::civil::date(1917, 7, 1)
                    .checked_add(jiff::Span::new().days(i64::from(d)))
                    .map_or(Value::Null, Value::Date)
            })
            .boxed(),
        Type::DateTime => (0i64..4_000_000_000)
            .prop_map(|s| jiff::Timestamp::from_second(s).map_or(Value::Null, Value::DateTime))
            .boxed(),
    }
}

pub fn parameter() -> impl Strategy<Value = Parameter> {
    (
        "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
        prop::sample::select(Type::ALL.to_vec()),
        hostile_text(),
        any::<bool>(),
    )
        .prop_flat_map(|(name, ty, description, required)| {
            (
                Just(name),
                Just(ty),
                Just(description),
                Just(required),
                prop::option::of(value_of(ty)),
                prop::collection::vec(value_of(ty), 0..3),
            )
        })
        .prop_map(
            |(name, ty, description, required, default, allowed)| Parameter {
                name,
                ty,
                description,
                required,
                default,
                allowed,
            },
        )
}

pub fn expr_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,30}",
        prop::sample::select(vec![
            "$(vars/@audience)",
            "'Hello ' + Upper($(vars/@audience))",
            "$long(vars/@count) + 1",
            "$long(vars/@recCount) > 0",
            "AddDays(GetDate(), $long(vars/@count))",
            "Iif($boolean(vars/@active), 'a', 'b')",
            "@age > 30 AND @country <> 'FR'",
            "9223372036854775807 + 1",
            "'x' + $(vars/@missing)",
            "Round($float(vars/@ratio) * 100)",
        ])
        .prop_map(str::to_owned),
        hostile_text().prop_map(|t| format!("'{}'", t.replace('\'', "''"))),
    ]
}

pub fn kind() -> impl Strategy<Value = ActivityKind> {
    prop_oneof![
        Just(ActivityKind::Start),
        (prop::collection::vec(parameter(), 0..4), any::<bool>()).prop_map(
            |(parameters, strict)| {
                ActivityKind::ExternalSignal(SignalContract {
                    parameters,
                    conversion: if strict {
                        ConversionPolicy::Strict
                    } else {
                        ConversionPolicy::Lenient
                    },
                })
            }
        ),
        (expr_text(), expr_text()).prop_map(|(filter, segment_code)| ActivityKind::Query(
            QuerySettings {
                filter,
                segment_code
            }
        )),
        expr_text().prop_map(|audience| ActivityKind::ReadAudience(ReadAudienceSettings {
            audience,
            segment_code: String::new()
        })),
        expr_text().prop_map(|label| ActivityKind::SaveAudience(SaveAudienceSettings { label })),
        expr_text().prop_map(|path| ActivityKind::TransferFile(TransferFileSettings { path })),
        Just(ActivityKind::LoadFile),
        Just(ActivityKind::UpdateData(UpdateDataSettings {
            operation: UpdateOperation::Delete
        })),
        (
            prop::collection::vec(("[a-z]{1,6}", expr_text()), 0..3),
            any::<bool>()
        )
            .prop_map(|(cs, default_transition)| {
                ActivityKind::Test(TestSettings {
                    conditions: cs
                        .into_iter()
                        .map(|(id, expression)| Condition {
                            label: id.to_uppercase(),
                            id,
                            expression,
                        })
                        .collect(),
                    default_transition,
                })
            }),
        prop::collection::vec("[a-z]{1,6}", 0..3)
            .prop_map(|branches| ActivityKind::Fork(ForkSettings { branches })),
        Just(ActivityKind::AndJoin),
        any::<u64>().prop_map(|seconds| ActivityKind::Wait(WaitSettings { seconds })),
        (
            expr_text(),
            expr_text(),
            prop::collection::vec(("[a-z]{1,6}", expr_text()), 0..3)
        )
            .prop_map(|(label, template, ps)| {
                ActivityKind::EmailDelivery(EmailSettings {
                    label,
                    template,
                    parameters: ps
                        .into_iter()
                        .map(|(name, expression)| NamedExpression { name, expression })
                        .collect(),
                })
            }),
        prop::option::of((
            "[A-Z]{1,4}",
            "[a-z]{1,6}",
            prop::collection::vec(("[a-z]{1,6}", expr_text()), 0..3)
        ))
        .prop_map(|t| {
            ActivityKind::End(EndSettings {
                trigger: t.map(|(workflow, signal, ps)| EndTrigger {
                    workflow,
                    signal,
                    parameters: ps
                        .into_iter()
                        .map(|(name, expression)| NamedExpression { name, expression })
                        .collect(),
                }),
            })
        }),
    ]
}

/// Execution options: mostly the defaults, else any mix (stop_all_tasks is kept on Ends only).
pub fn options() -> impl Strategy<Value = ActivityOptions> {
    prop_oneof![
        3 => Just(ActivityOptions::default()),
        1 => (
            prop::sample::select(Execution::ALL.to_vec()),
            prop::sample::select(OnError::ALL.to_vec()),
            any::<bool>(),
        )
            .prop_map(|(execution, on_error, stop_all_tasks)| ActivityOptions {
                execution,
                on_error,
                stop_all_tasks,
            }),
    ]
}

pub fn workflow(index: usize) -> impl Strategy<Value = Workflow> {
    (
        hostile_text(),
        prop::collection::vec(
            (
                kind(),
                hostile_text(),
                -5000i32..5000,
                -5000i32..5000,
                options(),
            ),
            0..8,
        ),
        prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            0..10,
        ),
        prop_oneof![3 => Just(0u32), 1 => 1u32..4, 1 => Just(u32::MAX)],
    )
        .prop_map(move |(label, kinds, links, threshold)| {
            let activities: Vec<Activity> = kinds
                .into_iter()
                .enumerate()
                .map(|(i, (kind, label, x, y, mut options))| Activity {
                    id: format!("{}{}", kind.tag().id_prefix(), i + 1),
                    label,
                    position: Position {
                        x: x as f32 / 2.0,
                        y: y as f32 / 4.0,
                    },
                    options: {
                        options.stop_all_tasks &= matches!(kind, ActivityKind::End(_));
                        options
                    },
                    kind,
                })
                .collect();
            let mut transitions = Vec::new();
            if !activities.is_empty() {
                for (a, b) in links {
                    let from = a.get(&activities);
                    let to = b.get(&activities);
                    if let Some(port) = from.kind.output_ports().first() {
                        transitions.push(Transition {
                            from: from.id.clone(),
                            port: port.clone(),
                            to: to.id.clone(),
                        });
                    }
                }
            }
            Workflow {
                id: format!("WKF{}", index + 1),
                label,
                activities,
                transitions,
                consecutive_errors: threshold,
            }
        })
}

pub fn design() -> impl Strategy<Value = Design> {
    (
        prop::collection::vec(0usize..1, 0..3)
            .prop_flat_map(|v| v.iter().enumerate().map(|(i, _)| workflow(i)).collect::<Vec<_>>()),
        prop::option::of(prop_oneof![1u64..100_000, Just(u64::MAX), Just(i64::MAX as u64)]),
        prop::collection::btree_map("[a-z/._]{1,12}", "\\PC{0,40}", 0..3),
        prop::collection::btree_map("[A-Za-z_]{1,12}", "\\PC{0,20}", 0..3),
        clock_start(),
    )
        .prop_map(|(workflows, cooldown, files, options, clock_start)| Design {
            compatibility: Compatibility {
                trigger_cooldown: cooldown.map_or(Cooldown::Off, Cooldown::Seconds),
            },
            workflows,
            sample: SampleData {
                profiles: Table {
                    columns: vec![
                        Column { name: "email".into(), ty: Type::String },
                        Column { name: "age".into(), ty: Type::Integer },
                    ],
                    rows: vec![vec!["a@x".into(), "7".into()], vec!["b@x".into(), String::new()]],
                },
                files,
                options,
                clock_start,
                ..SampleData::default()
            },
            scenarios: vec![Scenario {
                name: "s".into(),
                workflow: "WKF1".into(),
                signal: "signal1".into(),
                payload: serde_json::json!({"source": "cms", "parameters": {"n": 7, "x": "y", "f": 1.5, "b": true, "z": null}}),
                expect: Expectations {
                    accepted: Some(true),
                    variables: [("n".to_owned(), Value::Integer(7))].into_iter().collect(),
                    ..Expectations::default()
                },
                steps: vec![
                    ScenarioStep::Resume("WKF1".into()),
                    ScenarioStep::Release("WKF1/end1".into()),
                    ScenarioStep::Restart("WKF2".into()),
                ],
            }],
        })
}

/// Where the virtual clock starts: the usual Monday morning, any time, or the ends of the
/// range the clock can hold.
pub fn clock_start() -> impl Strategy<Value = jiff::Timestamp> {
    prop_oneof![
        Just(default_clock_start()),
        (jiff::Timestamp::MIN.as_second()..=jiff::Timestamp::MAX.as_second())
            .prop_map(|s| jiff::Timestamp::from_second(s).unwrap_or(jiff::Timestamp::UNIX_EPOCH)),
        Just(jiff::Timestamp::MAX),
        Just(jiff::Timestamp::MIN),
    ]
}
