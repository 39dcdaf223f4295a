//! The parameter contract of an External signal: ordered, typed parameters and the rules their
//! names, defaults and allowed values follow (docs/CONTRACT.md).

use super::value::{Type, Value};
use serde::{Deserialize, Serialize};

/// Names the simulator sets itself; a parameter may not take one of them.
pub const BUILTIN_VARIABLES: [&str; 5] = [
    "recCount",
    "filename",
    "fileName",
    "filesCount",
    "filenames",
];

/// The most parameters one signal may declare.
pub const MAX_PARAMETERS: usize = 100;

/// The longest parameter name allowed.
pub const MAX_NAME_LEN: usize = 64;

/// One declared parameter of a signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// Case-sensitive name, unique within the signal.
    pub name: String,
    /// The declared type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Free text shown as a tooltip and exported.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// A caller must pass it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Used when the caller omits the parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// When not empty, the only values a caller may pass.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<Value>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Parameter {
    /// A new optional parameter without default or allowed values.
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        Parameter {
            name: name.into(),
            ty,
            description: String::new(),
            required: false,
            default: None,
            allowed: Vec::new(),
        }
    }
}

/// How a signal treats a JSON value whose JSON type differs from the declared type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum ConversionPolicy {
    /// A string that parses as the declared type is accepted and converted; each conversion is
    /// recorded on the run.
    #[default]
    Lenient,
    /// The JSON type must match the declared type.
    Strict,
}

/// The settings of an External signal activity.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignalContract {
    /// The ordered parameters (the order of forms and exports).
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// How JSON values are converted to the declared types.
    #[serde(default)]
    pub conversion: ConversionPolicy,
}

impl SignalContract {
    /// The parameter with this exact name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// Why a parameter name is not valid, or `None` when it is.
pub fn name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("the name is empty".into());
    };
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Some(format!(
            "'{name}' must start with an ASCII letter or '_' (it starts with '{first}')"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(format!(
            "'{name}' may only hold ASCII letters, digits and '_' (it holds '{bad}')"
        ));
    }
    if name.len() > MAX_NAME_LEN {
        return Some(format!(
            "'{name}' is {} characters long; the limit is {MAX_NAME_LEN}",
            name.len()
        ));
    }
    if BUILTIN_VARIABLES.contains(&name) {
        return Some(format!(
            "'{name}' is a built-in variable set by activities; choose another name"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(name_problem("audience"), None);
        assert_eq!(name_problem("_x9"), None);
        assert!(name_problem("").is_some());
        assert!(name_problem("9lives").is_some());
        assert!(name_problem("my-name").is_some());
        assert!(name_problem("recCount").is_some());
        assert!(name_problem("reccount").is_none());
        assert!(name_problem(&"a".repeat(65)).is_some());
        assert!(name_problem(&"a".repeat(64)).is_none());
    }
}
