//! Which workflow and signal of the new version is which of the old one: by id first, then a
//! removed and an added one are taken for the same when they share a label (or, for
//! workflows, their activity ids; for signals, their parameters). A pair under different ids
//! is a breaking id change: the trigger URL moves.

use super::change::{
    Change, Class, ContractDiff, Kind, SignalPair, SignalRef, Status, trigger_url,
};
use super::params::{self, Out};
use crate::model::{
    Activity, ConversionPolicy, Design, SignalContract, Type, Value, Workflow, contract_hash,
};
use std::collections::BTreeSet;

/// A workflow of the old version, the new one, or both.
pub struct WorkflowPairing<'a> {
    /// In the old version.
    pub old: Option<&'a Workflow>,
    /// In the new version.
    pub new: Option<&'a Workflow>,
    /// Why two workflows with different ids are taken for the same one.
    pub evidence: Option<String>,
}

/// The workflows of both versions paired: old ones in order, then the new ones left over.
pub fn pair_workflows<'a>(old: &'a Design, new: &'a Design) -> Vec<WorkflowPairing<'a>> {
    let mut taken: BTreeSet<&str> = old
        .workflows
        .iter()
        .filter(|w| new.workflow(&w.id).is_some())
        .map(|w| w.id.as_str())
        .collect();
    let mut out = Vec::new();
    for ow in &old.workflows {
        if let Some(nw) = new.workflow(&ow.id) {
            out.push(WorkflowPairing {
                old: Some(ow),
                new: Some(nw),
                evidence: None,
            });
            continue;
        }
        let found = new
            .workflows
            .iter()
            .filter(|nw| old.workflow(&nw.id).is_none() && !taken.contains(nw.id.as_str()))
            .find_map(|nw| same_workflow(ow, nw).map(|why| (nw, why)));
        if let Some((nw, _)) = &found {
            taken.insert(nw.id.as_str());
        }
        let (new, evidence) = found.unzip();
        out.push(WorkflowPairing {
            old: Some(ow),
            new,
            evidence,
        });
    }
    for nw in &new.workflows {
        if !taken.contains(nw.id.as_str()) {
            out.push(WorkflowPairing {
                old: None,
                new: Some(nw),
                evidence: None,
            });
        }
    }
    out
}

/// Why `a` and `b` look like the same workflow under two ids, if they do.
fn same_workflow(a: &Workflow, b: &Workflow) -> Option<String> {
    if !a.label.is_empty() && a.label == b.label {
        return Some(format!("same label '{}'", a.label));
    }
    let ids =
        |w: &Workflow| -> BTreeSet<String> { w.activities.iter().map(|x| x.id.clone()).collect() };
    (!a.activities.is_empty() && ids(a) == ids(b)).then(|| "same activity ids".to_owned())
}

/// One signal's side: its activity and contract.
type Side<'a> = (&'a Activity, &'a SignalContract);

/// The signals of a workflow pair, paired: old ones in order, then the new ones left over,
/// with the evidence of an id change.
fn pair_signals<'a>(
    old: Option<&'a Workflow>,
    new: Option<&'a Workflow>,
) -> Vec<(Option<Side<'a>>, Option<Side<'a>>, Option<String>)> {
    let olds: Vec<Side<'a>> = old.map(|w| w.signals().collect()).unwrap_or_default();
    let news: Vec<Side<'a>> = new.map(|w| w.signals().collect()).unwrap_or_default();
    let by_id = |id: &str| news.iter().copied().find(|(a, _)| a.id == id);
    let mut taken: BTreeSet<&str> = olds
        .iter()
        .filter(|(a, _)| by_id(&a.id).is_some())
        .map(|(a, _)| a.id.as_str())
        .collect();
    let mut out = Vec::new();
    for o in &olds {
        if let Some(n) = by_id(&o.0.id) {
            out.push((Some(*o), Some(n), None));
            continue;
        }
        let found = news
            .iter()
            .copied()
            .filter(|(a, _)| olds.iter().all(|(b, _)| b.id != a.id))
            .filter(|(a, _)| !taken.contains(a.id.as_str()))
            .find_map(|n| same_signal(*o, n).map(|why| (n, why)));
        if let Some((n, _)) = &found {
            taken.insert(n.0.id.as_str());
        }
        let (n, why) = found.unzip();
        out.push((Some(*o), n, why));
    }
    for n in &news {
        if !taken.contains(n.0.id.as_str()) && olds.iter().all(|(b, _)| b.id != n.0.id) {
            out.push((None, Some(*n), None));
        }
    }
    out
}

/// What callers see of a parameter: name, type, required, default, allowed values.
type ParameterShape<'a> = (&'a str, Type, bool, &'a Option<Value>, &'a Vec<Value>);

/// Why two signals look like the same one under two ids, if they do.
fn same_signal(a: Side<'_>, b: Side<'_>) -> Option<String> {
    fn shape(c: &SignalContract) -> (Vec<ParameterShape<'_>>, ConversionPolicy) {
        let params = c
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.ty, p.required, &p.default, &p.allowed))
            .collect();
        (params, c.conversion)
    }
    if !a.1.parameters.is_empty() && shape(a.1) == shape(b.1) {
        return Some("same parameters".into());
    }
    (!a.0.label.is_empty() && a.0.label == b.0.label).then(|| format!("same label '{}'", a.0.label))
}

fn signal_ref(wf: &Workflow, side: Side<'_>) -> SignalRef {
    SignalRef {
        workflow: wf.id.clone(),
        signal: side.0.id.clone(),
        contract: contract_hash(&wf.id, &side.0.id, side.1),
    }
}

/// Every change of one workflow pair: its label, then each signal's.
pub fn compare_workflow(pairing: &WorkflowPairing<'_>, diff: &mut ContractDiff) {
    if let (Some(o), Some(n)) = (pairing.old, pairing.new)
        && o.label != n.label
    {
        diff.changes.push(Change::new(
            Class::Compatible,
            (Some(&o.id), None),
            None,
            Kind::WorkflowLabelChanged {
                from: o.label.clone(),
                to: n.label.clone(),
            },
            format!(
                "the workflow's label changed from '{}' to '{}'",
                o.label, n.label
            ),
            "",
        ));
    }
    for (o, n, evidence) in pair_signals(pairing.old, pairing.new) {
        let old = pairing.old.zip(o).map(|(w, s)| signal_ref(w, s));
        let new = pairing.new.zip(n).map(|(w, s)| signal_ref(w, s));
        let Some(at) = old.as_ref().or(new.as_ref()) else {
            continue;
        };
        let mut out = Out::new(&mut diff.changes, &at.workflow, &at.signal);
        match (pairing.old.zip(o), pairing.new.zip(n)) {
            (Some(o), Some(n)) => {
                moved(pairing, o, n, evidence.as_deref(), &mut out);
                params::compare_signal(o.1.1, n.1.1, &mut out);
            }
            (Some(o), None) => removed(pairing.new, o, &mut out),
            (None, Some(n)) => added(n, &mut out),
            (None, None) => {}
        }
        diff.signals.push(SignalPair {
            status: Status::Unchanged,
            old,
            new,
            breaking: false,
        });
    }
}

/// A signal of both versions: an id change of its workflow or its own, its label.
fn moved(
    pairing: &WorkflowPairing<'_>,
    (ow, o): (&Workflow, Side<'_>),
    (nw, n): (&Workflow, Side<'_>),
    evidence: Option<&str>,
    out: &mut Out<'_>,
) {
    let old_url = trigger_url(&ow.id, &o.0.id);
    let new_url = trigger_url(&nw.id, &n.0.id);
    if ow.id != nw.id {
        let why = pairing.evidence.clone().unwrap_or_default();
        out.push(
            Class::Breaking,
            None,
            Kind::WorkflowIdChanged {
                from: ow.id.clone(),
                to: nw.id.clone(),
                evidence: why.clone(),
                old_url: old_url.clone(),
                new_url: new_url.clone(),
            },
            format!(
                "the workflow id changed from '{}' to '{}' (likely: {why})",
                ow.id, nw.id
            ),
            &format!("callers must now POST to {new_url}"),
        );
    }
    if o.0.id != n.0.id {
        let why = evidence.unwrap_or_default().to_owned();
        out.push(
            Class::Breaking,
            None,
            Kind::SignalIdChanged {
                from: o.0.id.clone(),
                to: n.0.id.clone(),
                evidence: why.clone(),
                old_url,
                new_url: new_url.clone(),
            },
            format!(
                "the signal id changed from '{}' to '{}' (likely: {why})",
                o.0.id, n.0.id
            ),
            &format!("callers must now POST to {new_url}"),
        );
    }
    if o.0.label != n.0.label {
        out.push(
            Class::Compatible,
            None,
            Kind::SignalLabelChanged {
                from: o.0.label.clone(),
                to: n.0.label.clone(),
            },
            format!(
                "the signal's label changed from '{}' to '{}'",
                o.0.label, n.0.label
            ),
            "",
        );
    }
}

/// A signal only the old version has: its workflow is gone, or the signal is.
fn removed(new_workflow: Option<&Workflow>, (ow, o): (&Workflow, Side<'_>), out: &mut Out<'_>) {
    let url = trigger_url(&ow.id, &o.0.id);
    let Some(nw) = new_workflow else {
        out.push(
            Class::Breaking,
            None,
            Kind::WorkflowRemoved { url: url.clone() },
            format!("workflow '{}' was removed", ow.id),
            &format!("POST {url} no longer exists"),
        );
        return;
    };
    let now = nw
        .activity(&o.0.id)
        .map(|a| format!(" (activity '{}' is now {})", a.id, kind_name(a)))
        .unwrap_or_default();
    out.push(
        Class::Breaking,
        None,
        Kind::SignalRemoved { url: url.clone() },
        format!("signal '{}' was removed{now}", o.0.id),
        &format!("POST {url} no longer exists"),
    );
}

fn kind_name(a: &Activity) -> String {
    crate::model::with_article(a.kind.tag().name())
}

/// A signal only the new version has.
fn added((nw, n): (&Workflow, Side<'_>), out: &mut Out<'_>) {
    let url = trigger_url(&nw.id, &n.0.id);
    let label = if n.0.label.is_empty() {
        String::new()
    } else {
        format!(" ('{}')", n.0.label)
    };
    out.push(
        Class::Compatible,
        None,
        Kind::SignalAdded { url: url.clone() },
        format!("new signal '{}'{label}", n.0.id),
        &format!("callers can trigger it at POST {url}"),
    );
}
