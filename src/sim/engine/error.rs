//! Why an activity fails: [`ActivityError`], whose message the run and the visit record, and
//! the sample data whose absence made it fail ([`missing_data`]), recorded beside it.

use crate::expr::{self, Callee, ExprKind, Func};
use crate::model::{ActivityKind, Design, FieldRef, Value, Workflow, format_datetime};
use crate::sim::exprs::EvalError;
use crate::sim::missing::MissingData;
use crate::sim::prepared::DataError;
use jiff::Timestamp;

/// Why an activity failed; the run and the visit record its message.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActivityError {
    /// An expression setting gave no value.
    #[error("the {} expression failed: {cause}", field_words(.field))]
    Field {
        /// Which setting.
        field: FieldRef,
        /// Why.
        cause: EvalError,
    },
    /// A Query filter gave no value on a profile.
    #[error("the filter failed on profile {profile}: {cause}")]
    Filter {
        /// The profile, from 1.
        profile: usize,
        /// Why.
        cause: EvalError,
    },
    /// A Query filter gave something else than a Boolean on a profile.
    #[error("the filter gave {value} ({}) on profile {profile}, expected Boolean", .value.type_name())]
    FilterNotBoolean {
        /// The profile, from 1.
        profile: usize,
        /// What it gave.
        value: Value,
    },
    /// A Read audience named an audience neither saved nor in the sample data.
    #[error("audience '{name}' does not exist (known audiences: {known})")]
    UnknownAudience {
        /// The name.
        name: String,
        /// The audiences that exist, sorted, or `none`.
        known: String,
    },
    /// A Save audience's label is empty.
    #[error("the audience label is empty")]
    EmptyAudienceLabel,
    /// A Transfer file's path matches no stored file.
    #[error("no file in the file store matches '{0}'")]
    NoFileMatches(String),
    /// A Load file with no Transfer file before it on its branch.
    #[error("no file was transferred to load: put a Transfer file before this Load file")]
    NothingTransferred,
    /// Sample data the activity needs does not load.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A Test condition gave no value.
    #[error("condition '{id}' failed: {cause}")]
    Condition {
        /// The condition id.
        id: String,
        /// Why.
        cause: EvalError,
    },
    /// A Test condition gave something else than a Boolean.
    #[error("condition '{id}' gave {value} ({}), expected Boolean", .value.type_name())]
    ConditionNotBoolean {
        /// The condition id.
        id: String,
        /// What it gave.
        value: Value,
    },
    /// A Wait would pass the latest time the virtual clock can hold.
    #[error(
        "a Wait of {seconds} seconds from {} would pass the latest time the virtual clock can hold ({}); shorten the Wait",
        format_datetime(.from),
        format_datetime(&Timestamp::MAX)
    )]
    WaitOverflow {
        /// The Wait's seconds.
        seconds: u64,
        /// The clock when it began.
        from: Timestamp,
    },
    /// An email delivery parameter gave no value.
    #[error("delivery parameter '{name}' failed: {cause}")]
    DeliveryParameter {
        /// The parameter.
        name: String,
        /// Why.
        cause: EvalError,
    },
}

/// How a setting is named in an error: `the segment code expression failed`.
fn field_words(field: &FieldRef) -> &'static str {
    match field {
        FieldRef::Filter => "filter",
        FieldRef::SegmentCode => "segment code",
        FieldRef::Audience => "audience name",
        FieldRef::Label => "label",
        FieldRef::Path => "path",
        FieldRef::Template => "template",
        FieldRef::Condition(_) => "condition",
        FieldRef::Parameter(_) => "parameter",
    }
}

/// The sample data whose absence made activity `activity` of `wf` fail with `error`. An option
/// that the activity's expressions read by a literal name and that does not exist comes first
/// (`GetOption` gives null, which makes the path or name empty, so the failure is only its
/// consequence); else the file a Transfer file's path matched nothing in (with the columns
/// `wf` reads from it), or the audience a Read audience named.
pub(super) fn missing_data(
    design: &Design,
    wf: &Workflow,
    activity: &str,
    error: &ActivityError,
) -> Option<MissingData> {
    if let Some(option) = wf
        .activity(activity)
        .and_then(|a| missing_option(design, &a.kind))
    {
        return Some(option);
    }
    match error {
        ActivityError::NoFileMatches(pattern) => Some(MissingData::File {
            pattern: pattern.clone(),
            columns: MissingData::file_columns(design, wf),
        }),
        ActivityError::UnknownAudience { name, .. } => {
            Some(MissingData::Audience { name: name.clone() })
        }
        _ => None,
    }
}

/// The first option that `kind`'s expressions read by a literal name and that does not exist.
fn missing_option(design: &Design, kind: &ActivityKind) -> Option<MissingData> {
    let options = &design.sample.options;
    kind.expression_fields().into_iter().find_map(|(_, src)| {
        let parsed = expr::parse(src).ok()?;
        let mut found = None;
        parsed.walk(&mut |e| {
            if found.is_none()
                && let ExprKind::Call {
                    callee: Callee::Known(Func::EventVariables(expr::functions::EventFn::GetOption)),
                    args,
                    ..
                } = &e.kind
                && let Some(ExprKind::Literal(Value::String(name))) = args.first().map(|a| &a.kind)
                && !options.contains_key(name)
            {
                found = Some(MissingData::Option { name: name.clone() });
            }
        });
        found
    })
}
