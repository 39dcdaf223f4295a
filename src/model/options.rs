//! An activity's execution options, as the reference product's "Advanced options" tab holds
//! them (docs/SIMULATOR.md, "Execution and errors"): whether the activity runs ("Execution":
//! Normal, Enable but do not execute, Do not enable), what a failure of it does ("In case of
//! error": Ignore or Suspend the process) and, on an End, "Stop all tasks in progress". The
//! defaults are what every design did before the options existed: a failure ends its branch
//! and the workflow goes on, every activity runs, an End stops nothing else.

use serde::{Deserialize, Serialize};

/// "Execution": what happens when a branch reaches the activity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Execution {
    /// The activity is executed (the default, as in the reference).
    #[default]
    Normal,
    /// The activity waits, and with it what follows on its branch, until a user releases it.
    EnableButDoNotExecute,
    /// The activity is not executed, nor what follows it on its branch.
    DoNotEnable,
}

impl Execution {
    /// Every value, in the order the designer offers them.
    pub const ALL: [Execution; 3] = [
        Execution::Normal,
        Execution::EnableButDoNotExecute,
        Execution::DoNotEnable,
    ];

    /// The reference's words: `Normal`, `Enable but do not execute`, `Do not enable`.
    pub fn label(self) -> &'static str {
        match self {
            Execution::Normal => "Normal",
            Execution::EnableButDoNotExecute => "Enable but do not execute",
            Execution::DoNotEnable => "Do not enable",
        }
    }

    fn is_normal(&self) -> bool {
        *self == Execution::Normal
    }
}

/// "In case of error": what a failure of the activity does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum OnError {
    /// The branch ends there and the workflow goes on; the failure counts towards the
    /// workflow's consecutive errors, and reaching that threshold suspends the workflow.
    /// flowcall's default: what every design did before the option existed (the reference's
    /// default is Suspend).
    #[default]
    Ignore,
    /// The workflow becomes Erroneous and waits, the failed activity with it; Resume runs the
    /// activity again.
    Suspend,
}

impl OnError {
    /// Every value, in the order the designer offers them.
    pub const ALL: [OnError; 2] = [OnError::Ignore, OnError::Suspend];

    /// The reference's words: `Ignore`, `Suspend the process`.
    pub fn label(self) -> &'static str {
        match self {
            OnError::Ignore => "Ignore",
            OnError::Suspend => "Suspend the process",
        }
    }

    fn is_ignore(&self) -> bool {
        *self == OnError::Ignore
    }
}

/// An activity's execution options; each is written in a design file only when it is not the
/// default.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct ActivityOptions {
    /// Whether the activity runs when a branch reaches it.
    #[serde(default, skip_serializing_if = "Execution::is_normal")]
    pub execution: Execution,
    /// What a failure of the activity does.
    #[serde(default, skip_serializing_if = "OnError::is_ignore")]
    pub on_error: OnError,
    /// End only: reaching it stops the workflow's other tasks, as the Stop command does.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stop_all_tasks: bool,
}

impl ActivityOptions {
    /// True when every option has its default (nothing is written to the file).
    pub fn is_default(&self) -> bool {
        *self == ActivityOptions::default()
    }
}

/// The name of a design file's option enum, as a parser's message names it (`OnError`), with
/// the field it is read for and the words of the reference.
pub const OPTION_ENUMS: [(&str, &str); 2] = [
    ("Execution", "options.execution (\"Execution\")"),
    ("OnError", "options.on_error (\"In case of error\")"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActivityKind, EndSettings, KindTag};

    #[test]
    fn the_defaults_are_the_behaviour_before_the_options() {
        let o = ActivityOptions::default();
        assert_eq!(o.execution, Execution::Normal);
        assert_eq!(o.on_error, OnError::Ignore);
        assert!(!o.stop_all_tasks);
        assert!(o.is_default());
        assert!(
            !ActivityOptions {
                on_error: OnError::Suspend,
                ..o
            }
            .is_default()
        );
    }

    #[test]
    fn stop_all_tasks_belongs_to_ends() {
        let o = ActivityOptions {
            stop_all_tasks: true,
            ..Default::default()
        };
        assert_eq!(o.problem(&ActivityKind::End(EndSettings::default())), None);
        let (field, message) = o
            .problem(&KindTag::Query.default_kind())
            .unwrap_or_default();
        assert_eq!(field, "options.stop_all_tasks");
        assert!(message.contains("not of a Query activity"), "{message}");
    }
}
