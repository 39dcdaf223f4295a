//! Sample data a run looked for and did not find: the file a Transfer file's path matched
//! nothing in, the audience a Read audience named, the option a `GetOption` read. A run records
//! each one beside its error or warning, so that a tool can offer
//! to create it (the designer's Simulator tab has a button for each).

use crate::model::{ActivityKind, Design, Workflow};
use serde::Serialize;

/// A piece of sample data a run missed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MissingData {
    /// No file of the file store matches a Transfer file's path.
    File {
        /// The path as resolved (may hold the wildcards `*` and `?`).
        pattern: String,
        /// The columns the workflow reads from the file after loading it (its Email deliveries'
        /// `email`, the profiles' columns when it updates or saves profiles), in order.
        columns: Vec<String>,
    },
    /// No saved audience (in the session or the sample data) has this name.
    Audience {
        /// The name asked for.
        name: String,
    },
    /// No option has this name (`GetOption` gave null).
    Option {
        /// The name asked for.
        name: String,
    },
}

impl MissingData {
    /// What is missing, in words: `file '/incoming/clients.csv'`.
    pub fn describe(&self) -> String {
        match self {
            MissingData::File { pattern, .. } => format!("file '{pattern}'"),
            MissingData::Audience { name } => format!("audience '{name}'"),
            MissingData::Option { name } => format!("option '{name}'"),
        }
    }

    /// The label of the action that creates it.
    pub fn fix_label(&self) -> &'static str {
        match self {
            MissingData::File { .. } => "Create this file",
            MissingData::Audience { .. } => "Create this audience",
            MissingData::Option { .. } => "Create this option",
        }
    }

    /// The columns `wf` reads from a file it loads: the profiles' columns when it updates data
    /// or saves an audience (the rows become profiles), and `email` when it sends an Email
    /// delivery (its recipients); none when it reads nothing by name.
    pub fn file_columns(design: &Design, wf: &Workflow) -> Vec<String> {
        let has = |f: fn(&ActivityKind) -> bool| wf.activities.iter().any(|a| f(&a.kind));
        let mut columns: Vec<String> = Vec::new();
        if has(|k| {
            matches!(
                k,
                ActivityKind::UpdateData(_) | ActivityKind::SaveAudience(_)
            )
        }) {
            columns.extend(
                design
                    .sample
                    .profiles
                    .columns
                    .iter()
                    .map(|c| c.name.clone()),
            );
        }
        if has(|k| matches!(k, ActivityKind::EmailDelivery(_)))
            && !columns.iter().any(|c| c == "email")
        {
            columns.push("email".to_owned());
        }
        columns
    }

    /// The path a file created for a pattern gets: each `*` becomes `sample` and each `?`
    /// becomes `x` (`/incoming/clients_*.csv` → `/incoming/clients_sample.csv`), so that the
    /// pattern matches it.
    pub fn file_path(pattern: &str) -> String {
        pattern.replace('*', "sample").replace('?', "x")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_pattern_becomes_a_path_it_matches() {
        let pattern = "/incoming/clients_*_?.csv";
        let path = MissingData::file_path(pattern);
        assert_eq!(path, "/incoming/clients_sample_x.csv");
        let glob = glob::Pattern::new(pattern).expect("a pattern");
        assert!(glob.matches(&path));
        assert_eq!(MissingData::file_path("/a/b.csv"), "/a/b.csv");
    }

    #[test]
    fn each_kind_says_what_is_missing() {
        let f = MissingData::File {
            pattern: "/in/x.csv".into(),
            columns: vec!["email".into()],
        };
        assert_eq!(f.describe(), "file '/in/x.csv'");
        assert_eq!(f.fix_label(), "Create this file");
        let a = MissingData::Audience {
            name: "Gold".into(),
        };
        assert_eq!(a.describe(), "audience 'Gold'");
        let o = MissingData::Option {
            name: "brand".into(),
        };
        assert_eq!(o.fix_label(), "Create this option");
    }
}
