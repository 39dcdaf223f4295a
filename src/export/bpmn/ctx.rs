//! The state of one BPMN export ([`Ctx`]): the design, the warnings met, and the variables
//! each activity may read (computed once per workflow), through which expressions are
//! translated to FEEL.

use crate::check::environments;
use crate::model::{Activity, Design, Type, Workflow};
use std::collections::BTreeMap;

/// What the export of one design carries along: the design, the warnings met, and the
/// variables each activity may read.
pub(super) struct Ctx<'a> {
    pub(super) design: &'a Design,
    pub(super) warnings: Vec<String>,
    /// The variables each activity may read, by workflow id then activity id, computed once per
    /// workflow when one of its expressions is first translated.
    pub(super) vars: BTreeMap<&'a str, BTreeMap<&'a str, BTreeMap<String, Type>>>,
}

impl<'a> Ctx<'a> {
    /// The variables `act` of `wf` may read, with their types.
    pub(super) fn vars_at(&mut self, wf: &'a Workflow, act: &str) -> &BTreeMap<String, Type> {
        static NONE: BTreeMap<String, Type> = BTreeMap::new();
        let by_activity = self.vars.entry(wf.id.as_str()).or_insert_with(|| {
            wf.activities
                .iter()
                .map(|a| a.id.as_str())
                .zip(environments(wf))
                .map(|(id, env)| (id, env.into_iter().map(|(k, v)| (k, v.ty)).collect()))
                .collect()
        });
        by_activity.get(act).unwrap_or(&NONE)
    }

    /// The FEEL translation of an expression of `act`, or why there is none.
    pub(super) fn translate(
        &mut self,
        wf: &'a Workflow,
        act: &Activity,
        src: &str,
    ) -> Result<String, String> {
        let vars = self.vars_at(wf, &act.id);
        crate::expr::parse(src)
            .map_err(|e| {
                crate::export::feel::Untranslatable(format!("it does not parse ({})", e.message))
            })
            .and_then(|e| crate::export::feel::translate(&e, vars))
            .map_err(|crate::export::feel::Untranslatable(why)| why)
    }
}
