//! What a visit of each kind of activity decides (docs/SIMULATOR.md, "Activities"): one
//! function per kind over its compiled settings, reading the run's variables, the session's
//! saved audiences and the design's sample data, and writing an [`Effect`]. AND-joins are
//! scheduling (`schedule`). An activity that fails returns an [`ActivityError`] (`error`): the
//! branch ends there.

use super::effect::{Effect, EndFire, Site, count};
use super::error::ActivityError;
use super::{OUTBOX_SAMPLE, Session, later};
use crate::model::{Value, format_datetime};
use crate::sim::exprs::{self, Compiled, EvalError, Scope};
use crate::sim::plan::{Action, Condition, EndTarget, Field, OUT, Param, Step, Sym};
use crate::sim::population::Population;
use crate::sim::prepared::Prepared;
use crate::sim::run::{ErrorKind, OutboxEntry, Run, RunId, TriggerError, Vars};
use serde_json::Value as Json;
use std::sync::Arc;

/// What a visit reads: the design, the session, the activity, the run.
pub(super) struct Cx<'p, 's> {
    p: &'p Prepared,
    s: &'s Session,
    step: &'p Step,
    run_id: RunId,
    run: Option<&'s Run>,
    workflow: usize,
    files: Option<&'s Arc<Vec<String>>>,
}

static NO_VARS: Vars = Vars::EMPTY;

impl<'p, 's> Cx<'p, 's> {
    /// The context of a visit of `step` at `site`; `files` are those its token carried.
    pub(super) fn new(
        p: &'p Prepared,
        s: &'s Session,
        step: &'p Step,
        site: &Site,
        files: Option<&'s Arc<Vec<String>>>,
    ) -> Self {
        Cx {
            p,
            s,
            step,
            run_id: site.run,
            run: s.run(site.run),
            workflow: site.workflow,
            files,
        }
    }

    /// Evaluates an expression over the run's variables (and `row`, in Query filters).
    fn eval(&self, c: &Compiled, row: Option<(&[String], &[Value])>) -> Result<Value, EvalError> {
        self.in_scope(row, |scope| exprs::eval(c, scope))
    }

    /// Evaluates an expression and hands its value to `read`: lent, not copied, when it is a
    /// literal or a variable read as it is stored.
    fn read<R>(&self, c: &Compiled, read: impl FnOnce(&Value) -> R) -> Result<R, EvalError> {
        self.in_scope(None, |scope| exprs::eval_cow(c, scope).map(|v| read(&v)))
    }

    /// Runs `f` in the scope an expression of this visit reads (and `row`, in Query filters).
    fn in_scope<R>(
        &self,
        row: Option<(&[String], &[Value])>,
        f: impl FnOnce(&Scope<'_>) -> R,
    ) -> R {
        let vars = self.run.map_or(&NO_VARS, |r| &r.vars);
        let vars = vars.by_name(&self.p.plan().names);
        f(&Scope {
            vars: &vars,
            row,
            now: self.s.clock,
            options: &self.p.design.sample.options,
            run: self.run_id,
            uuids: &self.s.uuids,
        })
    }

    /// A setting's value as text.
    fn text(&self, f: &Field) -> Result<String, ActivityError> {
        self.with_text(f, str::to_owned)
    }

    /// A setting's value as text, lent to `use_text`.
    fn with_text<R>(
        &self,
        f: &Field,
        use_text: impl FnOnce(&str) -> R,
    ) -> Result<R, ActivityError> {
        self.read(&f.expr, |v| match v {
            Value::String(s) => use_text(s),
            other => use_text(&other.to_string()),
        })
        .map_err(|cause| ActivityError::Field {
            field: f.name.clone(),
            cause,
        })
    }

    /// A setting's value as text when `keep` (only a record shows it), else an empty text:
    /// the expression is evaluated either way, since its failure is the activity's.
    fn text_if(&self, f: &Field, keep: bool) -> Result<String, ActivityError> {
        self.with_text(f, |t| if keep { t.to_owned() } else { String::new() })
    }
}

/// Decides what a visit does with `input`.
pub(super) fn run<'p>(
    cx: &Cx<'p, '_>,
    input: Population,
    fx: &mut Effect<'p>,
) -> Result<(), ActivityError> {
    match &cx.step.action {
        Action::Start => {
            fx.emit(OUT, input);
            Ok(())
        }
        Action::Signal { .. } => {
            signal(cx, input, fx);
            Ok(())
        }
        Action::Query {
            filter,
            segment_code,
            filter_text,
        } => query(cx, filter, segment_code, filter_text, fx),
        Action::ReadAudience {
            audience,
            segment_code,
        } => read_audience(cx, audience, segment_code, fx),
        Action::SaveAudience { label } => save_audience(cx, label, input, fx),
        Action::TransferFile { path } => transfer_file(cx, path, input, fx),
        Action::LoadFile => load_file(cx, fx),
        Action::UpdateData { operation } => {
            update_data(operation, input, fx);
            Ok(())
        }
        Action::Test {
            conditions,
            default,
        } => test(cx, conditions, *default, input, fx),
        Action::Fork { branches, out } => {
            fork(branches, *out, input, fx);
            Ok(())
        }
        // Joins are scheduling: `Session::join` decides their visits.
        Action::AndJoin { .. } => Ok(()),
        Action::Wait { seconds, text } => wait(cx, *seconds, text, input, fx),
        Action::Email {
            label,
            template,
            parameters,
        } => email(cx, label, template, parameters, input, fx),
        Action::End { trigger } => {
            end(cx, trigger.as_ref(), fx);
            Ok(())
        }
    }
}

/// External signal: passes on; the trigger's source and conversions are noted.
fn signal(cx: &Cx<'_, '_>, input: Population, fx: &mut Effect<'_>) {
    if let Some(run) = cx.run {
        fx.setting("source", || run.source.clone());
        for c in &run.conversions {
            fx.note(|| format!("{}: {}", c.parameter, c.message));
        }
    }
    fx.emit(OUT, input);
}

/// Query: the sample profiles its filter holds for (all of them without a filter).
fn query(
    cx: &Cx<'_, '_>,
    filter: &Field,
    segment_code: &Field,
    filter_text: &str,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    let profiles = cx.p.profiles.clone()?;
    let code = cx.text_if(segment_code, fx.records())?;
    if !code.is_empty() {
        fx.setting("segment_code", || code);
    }
    let out = match &filter.expr {
        Compiled::Empty => Population::all(profiles),
        c => {
            let mut keep = Vec::new();
            for (i, row) in profiles.rows.iter().enumerate() {
                let profile = i + 1;
                match cx.eval(c, Some((&profiles.columns, row))) {
                    Ok(Value::Boolean(true)) => keep.push(i),
                    Ok(Value::Boolean(false) | Value::Null) => {}
                    Ok(value) => return Err(ActivityError::FilterNotBoolean { profile, value }),
                    Err(cause) => return Err(ActivityError::Filter { profile, cause }),
                }
            }
            Population::select(profiles, keep)
        }
    };
    fx.setting("filter", || filter_text.to_owned());
    fx.set(Sym::REC_COUNT, count(out.len()));
    fx.emit(OUT, out);
    Ok(())
}

/// Read audience: one saved earlier in the session, else one of the sample data.
fn read_audience(
    cx: &Cx<'_, '_>,
    audience: &Field,
    segment_code: &Field,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    let records = fx.records();
    // The audience is looked up by the lent name; the name is copied only to be shown.
    let (found, name) = cx.with_text(audience, |name| {
        let found = match cx.s.saved.get(name) {
            Some(saved) => Some(Ok((saved.clone(), "saved in this simulation"))),
            None => {
                cx.p.sample_audience(name)
                    .map(|sample| sample.map(|s| (s, "sample data")))
            }
        };
        let shown = (records || found.is_none()).then(|| name.to_owned());
        (found, shown.unwrap_or_default())
    })?;
    let code = cx.text_if(segment_code, records)?;
    fx.setting("audience", || name.clone());
    if !code.is_empty() {
        fx.setting("segment_code", || code);
    }
    let Some(found) = found else {
        return Err(unknown_audience(cx, name));
    };
    let (out, from) = found?;
    fx.setting("from", || from.into());
    fx.set(Sym::REC_COUNT, count(out.len()));
    fx.emit(OUT, out);
    Ok(())
}

/// The error of a Read audience naming an audience neither saved nor in the sample data.
fn unknown_audience(cx: &Cx<'_, '_>, name: String) -> ActivityError {
    let mut known: Vec<&str> = (cx.p.design.sample.audiences.keys())
        .chain(cx.s.saved.keys())
        .map(String::as_str)
        .collect();
    known.sort_unstable();
    known.dedup();
    let known = if known.is_empty() {
        "none".to_owned()
    } else {
        known.join(", ")
    };
    ActivityError::UnknownAudience { name, known }
}

/// Save audience: the population, under its label, for later Read audience activities.
fn save_audience(
    cx: &Cx<'_, '_>,
    label: &Field,
    input: Population,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    let label = cx.text(label)?;
    if label.is_empty() {
        return Err(ActivityError::EmptyAudienceLabel);
    }
    fx.setting("label", || label.clone());
    fx.setting("saved", || input.len().to_string());
    fx.set(Sym::REC_COUNT, count(input.len()));
    fx.save = Some((label, input.clone()));
    fx.emit(OUT, input);
    Ok(())
}

/// Transfer file: the stored files its path matches travel with the branch.
fn transfer_file(
    cx: &Cx<'_, '_>,
    path: &Field,
    input: Population,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    // The path is matched lent, and the match is read where the session remembers it.
    let (found, path) = cx.with_text(path, |path| {
        fx.setting("path", || path.to_owned());
        let mut matches = cx.s.matches.borrow_mut();
        let matched = matches.matched(cx.p, path);
        let found = matched.and_then(|m| {
            let first = m.files.first()?;
            fx.setting("matched", || m.files.join(","));
            fx.set(Sym::FILE_NAME, Value::String(first.clone()));
            fx.set(Sym::FILES_COUNT, count(m.files.len()));
            fx.set(Sym::FILE_NAMES, Value::String(m.joined.clone()));
            Some(m.files.clone())
        });
        // The path is copied only for the error.
        let shown = found.is_none().then(|| path.to_owned());
        (found, shown.unwrap_or_default())
    })?;
    let Some(files) = found else {
        return Err(ActivityError::NoFileMatches(path));
    };
    fx.files = Some(files);
    fx.emit(OUT, input);
    Ok(())
}

/// Load file: the first file transferred on the branch.
fn load_file(cx: &Cx<'_, '_>, fx: &mut Effect<'_>) -> Result<(), ActivityError> {
    let files = cx.files.filter(|f| !f.is_empty());
    let Some((path, others)) = files.and_then(|f| f.split_first()) else {
        return Err(ActivityError::NothingTransferred);
    };
    let data = cx.p.file(path)?;
    fx.setting("file", || path.clone());
    if !others.is_empty() {
        fx.note(|| {
            format!(
                "{} more matched files were not loaded (Load file reads the first)",
                others.len()
            )
        });
    }
    let out = Population::all(data);
    fx.set(Sym::LOADED_FILE, Value::String(path.clone()));
    fx.set(Sym::REC_COUNT, count(out.len()));
    fx.emit(OUT, out);
    Ok(())
}

/// Update data: records its operation; the population passes.
fn update_data(operation: &str, input: Population, fx: &mut Effect<'_>) {
    fx.setting("operation", || operation.to_owned());
    fx.setting("rows", || input.len().to_string());
    fx.set(Sym::REC_COUNT, count(input.len()));
    fx.emit(OUT, input);
}

/// Test: leaves by the first condition that holds, else by its default, else the branch ends.
fn test(
    cx: &Cx<'_, '_>,
    conditions: &[Condition],
    default: Option<usize>,
    input: Population,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    let mut chosen = None;
    for c in conditions {
        let v = cx
            .eval(&c.expr, None)
            .map_err(|cause| ActivityError::Condition {
                id: c.id.clone(),
                cause,
            })?;
        fx.setting_with(|| (format!("condition:{}", c.id), shown(&v)));
        match v {
            Value::Boolean(true) => {
                chosen = Some(c.exit);
                break;
            }
            Value::Boolean(false) | Value::Null => {}
            value => {
                let id = c.id.clone();
                return Err(ActivityError::ConditionNotBoolean { id, value });
            }
        }
    }
    match chosen.or(default) {
        Some(exit) => fx.emit(exit, input),
        None => fx.warn(|| {
            format!(
                "no condition of test '{}' held and it has no default transition: the branch ends",
                cx.step.id
            )
        }),
    }
    Ok(())
}

/// Fork: the population along every branch (and its plain output, when connected).
fn fork(branches: &[usize], out: Option<usize>, input: Population, fx: &mut Effect<'_>) {
    for b in branches {
        fx.emit(*b, input.clone());
    }
    if let Some(out) = out {
        fx.emit(out, input);
    }
}

/// Wait: the successors are visited its number of seconds later.
fn wait(
    cx: &Cx<'_, '_>,
    seconds: u64,
    text: &str,
    input: Population,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    let from = cx.s.clock;
    let until = later(from, seconds).ok_or(ActivityError::WaitOverflow { seconds, from })?;
    fx.setting("seconds", || text.to_owned());
    fx.setting("until", || format_datetime(&until));
    fx.until = Some(until);
    fx.emit(OUT, input);
    Ok(())
}

/// Email delivery: an outbox entry with the resolved label, template and parameters.
fn email(
    cx: &Cx<'_, '_>,
    label: &Field,
    template: &Field,
    params: &[Param],
    input: Population,
    fx: &mut Effect<'_>,
) -> Result<(), ActivityError> {
    // What only the outbox entry shows is copied only when it is recorded.
    let records = fx.records();
    let label = cx.text_if(label, records)?;
    let template = cx.text_if(template, records)?;
    let mut parameters = Vec::new();
    for p in params {
        let v = cx
            .read(&p.expr, |v| records.then(|| text_of(v.clone())))
            .map_err(|cause| ActivityError::DeliveryParameter {
                name: p.name.clone(),
                cause,
            })?;
        if let Some(v) = v {
            parameters.push((p.name.clone(), v));
        }
    }
    fx.setting("label", || label.clone());
    fx.setting("template", || template.clone());
    for (n, v) in &parameters {
        fx.setting_with(|| (format!("parameter:{n}"), v.clone()));
    }
    fx.setting("recipients", || input.len().to_string());
    let workflow = cx.p.plan().workflows.get(cx.workflow);
    fx.send(|| OutboxEntry {
        run: cx.run_id,
        workflow: workflow.map(|w| w.id.clone()).unwrap_or_default(),
        activity: cx.step.id.clone(),
        at: cx.s.clock,
        recipients: input.len(),
        sample: emails(&input),
        label,
        template,
        parameters,
    });
    fx.emit(OUT, input);
    Ok(())
}

/// Up to [`OUTBOX_SAMPLE`] addresses from the population's `email` column.
fn emails(input: &Population) -> Vec<String> {
    input
        .data
        .columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case("email"))
        .map(|c| input.column_values(c, OUTBOX_SAMPLE))
        .unwrap_or_default()
}

/// End: reached; its trigger's parameters are evaluated (those that fail are problems of the
/// trigger, which the target then refuses).
fn end<'p>(cx: &Cx<'p, '_>, trigger: Option<&'p EndTarget>, fx: &mut Effect<'p>) {
    let fire = trigger.map(|t| {
        let mut parameters = Vec::with_capacity(t.parameters.len());
        let mut errors = Vec::new();
        for p in &t.parameters {
            match cx.eval(&p.expr, None) {
                Ok(v) => parameters.push((p.name.clone(), json_of(v))),
                Err(m) => errors.push(TriggerError::param(
                    ErrorKind::Expression,
                    &p.name,
                    format!("'{}': the expression failed: {m}", p.name),
                )),
            }
        }
        EndFire {
            target: t,
            parameters,
            errors,
        }
    });
    if let Some(f) = &fire {
        fx.setting("trigger", || f.target.target.clone());
        for (n, v) in &f.parameters {
            fx.setting_with(|| {
                let text = match v {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (format!("parameter:{n}"), text)
            });
        }
    }
    fx.end = Some(fire);
}

/// A value as text, as `$(vars/@name)` reads it (a String as it is).
fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// A value as JSON, as [`Value::to_json`] gives it (a String moved, not copied).
fn json_of(v: Value) -> Json {
    match v {
        Value::String(s) => Json::String(s),
        other => other.to_json(),
    }
}

/// A condition's value as the trace shows it: `null`, or its text.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        v => v.to_string(),
    }
}
