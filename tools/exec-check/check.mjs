// Runs flowcall's BPMN exports on a real BPMN engine and compares what happens with what
// flowcall's simulator recorded for the same payloads (docs/CAMUNDA.md, "Execution check").
//
// For every saved scenario of every design given: `flowcall run --trace` with its payload; when
// the simulator accepts it, the exported processes run on bpmn-engine (parsed with
// zeebe-bpmn-moddle) with Zeebe's variable semantics done here: input mappings, output mappings
// and conditions evaluated by feelin, a real FEEL interpreter; the jobs answered by a harness
// that returns, visit by visit, the variables the simulator set (or throws the BPMN error
// `flowcall-activity-failed` where the simulated activity failed); each message an End's job
// publishes starting the next instance with the variables FEEL computed. The clock FEEL reads is
// the simulator's virtual clock at the matching visit, timers fire at once.
//
// Compared, run by run (chained runs included): the activities visited (a job's failure
// included, AND-joins once per join), the transitions taken (so the branch of every gateway and
// every parallel branch), the Ends reached and the runs they started; and every input mapping a
// worker receives, and every parameter a publication carries, against the value the simulator
// resolved.
//
// Usage: node check.mjs [--mutate] FLOWCALL_BINARY DESIGN.flow.ron...
// With --mutate, each FEEL condition of each export is negated in turn and the check must see a
// difference in at least one scenario (a wrong translation of a Test condition cannot pass).
// Exit 1 on any difference (or a mutant not caught), 2 on a usage or tool error.

process.env.TZ = 'UTC';

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import { evaluate } from 'feelin';

const require = createRequire(import.meta.url);
const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');

const FAILURE_CODE = 'flowcall-activity-failed';
const ERRORS_VARIABLE = 'flowcallErrorsInRow';
// The elements the export adds around an activity (src/export/bpmn.rs), by id suffix.
const EXTRA_FLOW = /_(failed|evaluate|release|stopAll)$/;

/// An activity's kind name (`End`, `ReadAudience`...).
const kindOf = (a) => (typeof a.kind === 'string' ? a.kind : Object.keys(a.kind)[0]);
/// Whether an activity is set to "Do not enable" (its export is a none end event, not an End).
const notEnabled = (a) => (a.options && a.options.execution) === 'DoNotEnable';

/// Whether the worker raises an incident for a failure of the job of `el` (docs/CAMUNDA.md,
/// "Execution and errors"): set to Suspend, or the instance's failures reach the threshold.
function raisesIncident(el, vars) {
  if (el.headers['flowcall.onError'] === 'incident') return true;
  const threshold = Number(el.headers['flowcall.errorsThreshold'] || 0);
  return threshold > 0 && Number(vars[ERRORS_VARIABLE] || 0) + 1 >= threshold;
}

/// A scenario's steps as `flowcall run --then` arguments and as [kind, target] pairs.
function stepsOf(scenario) {
  return (scenario.steps || []).map((s) => {
    if (typeof s === 'string') return [s.toLowerCase(), ''];
    const [[k, v]] = Object.entries(s);
    return [k.toLowerCase(), String(v)];
  });
}

// --- the virtual clock FEEL's now() and today() read -----------------------------------------
let clockMs = 0;
Date.now = () => clockMs;

function setClock(at) {
  // "2025-01-06 09:00:00.000Z", the simulator's format.
  const ms = Date.parse(at.replace(' ', 'T'));
  if (!Number.isNaN(ms)) clockMs = ms;
}

// --- flowcall's XML ids (src/export/bpmn.rs: xml_id) -----------------------------------------
function xmlId(parts) {
  let s = parts.join('_').replace(/[^A-Za-z0-9_.-]/g, '_');
  if (!/^[A-Za-z_]/.test(s)) s = '_' + s;
  return s;
}

function portName(port) {
  if (port === undefined || port === null || port === 'Out') return 'out';
  if (port === 'Default') return 'default';
  if (port.Condition !== undefined) return `condition '${port.Condition}'`;
  if (port.Branch !== undefined) return `branch '${port.Branch}'`;
  return JSON.stringify(port);
}

// --- values as Zeebe stores them (JSON) ------------------------------------------------------
function toJson(v) {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJson);
  const kind = v.constructor && v.constructor.name;
  if (kind && kind.startsWith('Feel')) return v.iso !== undefined ? v.iso : String(v);
  const out = {};
  for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
  return out;
}

function feel(source, scope, where, problems) {
  const text = String(source).replace(/^=/, '');
  try {
    return toJson(evaluate(text, scope).value);
  } catch (e) {
    problems.push(`${where}: FEEL failed: ${e.message}: ${text}`);
    return null;
  }
}

/// The simulator's text of a value (Value::to_string for settings).
function text(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/// The simulator's resolved setting against the engine's value as text: null is no setting
/// (or `null` for an End's JSON parameter), instants compare as instants.
function sameText(want, got) {
  const w = want === undefined || want === 'null' ? '' : want;
  if (w === got) return true;
  const [a, b] = [Date.parse(String(w).replace(' ', 'T')), Date.parse(got)];
  return /\d{4}-\d\d-\d\d/.test(w) && !Number.isNaN(a) && a === b;
}

// --- the exported BPMN as data ---------------------------------------------------------------
async function readBpmn(xml) {
  const moddle = new BpmnModdle({ zeebe });
  const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  if (warnings.length) throw new Error(`the export does not parse cleanly: ${warnings[0].message}`);
  const elements = new Map();
  const conditions = [];
  for (const root of rootElement.rootElements) {
    if (root.$type !== 'bpmn:Process') continue;
    for (const el of root.flowElements) {
      const ext = (el.extensionElements && el.extensionElements.values) || [];
      const find = (t) => ext.find((e) => e.$type === t);
      const io = find('zeebe:IoMapping');
      const headers = {};
      for (const h of (find('zeebe:TaskHeaders') || { values: [] }).values || []) headers[h.key] = h.value;
      elements.set(el.id, {
        id: el.id,
        type: el.$type,
        process: root.id,
        job: find('zeebe:TaskDefinition') && find('zeebe:TaskDefinition').type,
        inputs: ((io && io.inputParameters) || []).map((p) => [p.target, p.source]),
        outputs: ((io && io.outputParameters) || []).map((p) => [p.target, p.source]),
        headers,
        attachedTo: el.attachedToRef && el.attachedToRef.id,
      });
      if (el.$type === 'bpmn:SequenceFlow' && el.conditionExpression) {
        conditions.push({ id: el.id, body: el.conditionExpression.body });
      }
    }
  }
  return { elements, conditions };
}

/// The export with the condition of flow `flowId` negated (written back by bpmn-moddle).
async function negated(xml, flowId) {
  const moddle = new BpmnModdle({ zeebe });
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  let found = false;
  for (const root of rootElement.rootElements) {
    for (const el of root.flowElements || []) {
      if (el.id === flowId && el.conditionExpression) {
        el.conditionExpression.body = `=not(${el.conditionExpression.body.replace(/^=/, '')})`;
        found = true;
      }
    }
  }
  if (!found) throw new Error(`cannot find the condition of ${flowId} in the export`);
  return (await moddle.toXML(rootElement)).xml;
}

// --- the simulator's record, visit by visit ---------------------------------------------------
function visitsOf(trace, design) {
  const kinds = new Map();
  for (const wf of design.workflows) for (const a of wf.activities) kinds.set(`${wf.id}/${a.id}`, a);
  const byRun = new Map();
  for (const run of trace.runs) {
    const visits = trace.visits.filter((v) => v.run === run.id).map((v) => ({ ...v, sets: {} }));
    // Each visit sets each of its variables once, in order: hand the run's changes out.
    let i = 0;
    for (const v of visits) {
      while (i < run.changes.length && run.changes[i].activity === v.activity && !(run.changes[i].name in v.sets)) {
        v.sets[run.changes[i].name] = run.changes[i].value;
        i++;
      }
    }
    byRun.set(run.id, visits);
  }
  return { byRun, kinds };
}

function count(map, key) {
  map.set(key, (map.get(key) || 0) + 1);
}

function sameCounts(a, b) {
  const keys = new Set([...a.keys(), ...b.keys()]);
  const diffs = [];
  for (const k of [...keys].sort()) {
    if ((a.get(k) || 0) !== (b.get(k) || 0)) diffs.push(`${k}: simulator ${a.get(k) || 0}, engine ${b.get(k) || 0}`);
  }
  return diffs;
}

/// What the simulator did in one run: activities (joins once per join), transitions, failures.
function simulated(run, visits, design) {
  const wf = design.workflows.find((w) => w.id === run.workflow);
  const activities = new Map();
  const flows = new Map();
  const failures = new Map();
  for (const v of visits) {
    const act = wf.activities.find((a) => a.id === v.activity);
    const join = act && act.kind === 'AndJoin';
    if (!join || v.ports.length) count(activities, v.activity);
    if (v.error) count(failures, v.activity);
    wf.transitions.forEach((t, i) => {
      if (t.from === v.activity && v.ports.includes(portName(t.port))) count(flows, xmlId(['Flow', wf.id, String(i + 1)]));
    });
  }
  return { activities, flows, failures, ends: run.ends.map((e) => e.activity).sort() };
}

// --- one instance on the engine ---------------------------------------------------------------
async function runInstance(ctx, run, messageVars) {
  const { design, bpmn, visits } = ctx;
  const wf = design.workflows.find((w) => w.id === run.workflow);
  const problems = [];
  const toAct = new Map(wf.activities.map((a) => [xmlId([wf.id, a.id]), a.id]));
  const simVisits = visits.byRun.get(run.id) || [];
  const seen = new Map();
  // The k-th visit of `act` in the simulated run.
  const visitOf = (act) => {
    const k = seen.get(act) || 0;
    seen.set(act, k + 1);
    return simVisits.filter((v) => v.activity === act)[k];
  };
  const gatewayVisits = new Map();
  const vars = {};
  const engine = { activities: new Map(), flows: new Map(), failures: new Map(), ends: [], publications: [] };
  let compared = 0;

  const compareInputs = (where, visit, inputs) => {
    for (const [target, value] of Object.entries(inputs)) {
      const entries = value !== null && typeof value === 'object' && !Array.isArray(value) && /Parameters$|^parameters$/.test(target)
        ? Object.entries(value).map(([n, x]) => [`parameter:${n}`, x])
        : [[target === 'segmentCode' ? 'segment_code' : target, value]];
      for (const [key, x] of entries) {
        // The simulator records a Query's filter as its text, evaluated row by row.
        if (key === 'filter') continue;
        const want = visit.settings[key];
        const got = text(x);
        compared++;
        if (!sameText(want, got)) problems.push(`${where} input ${key}: simulator ${JSON.stringify(want)}, engine ${JSON.stringify(got)}`);
      }
    }
  };

  const expressions = {
    resolveExpression(expr, message) {
      if (typeof expr !== 'string' || !expr.startsWith('=')) return expr;
      const gw = message && message.content && message.content.id;
      const v = gatewayVisits.get(gw);
      if (v) setClock(v.at);
      const value = feel(expr, vars, `${run.workflow}/${toAct.get(gw) || gw} condition`, problems);
      return value === true;
    },
    isExpression: (t) => typeof t === 'string' && t.startsWith('='),
    hasExpression: (t) => typeof t === 'string' && t.startsWith('='),
  };

  // A job: inputs evaluated, the simulator's answer returned (or its failure thrown), outputs
  // mapped into the process scope.
  const job = (el) => {
    const evaluating = el.id.endsWith('_evaluate');
    const node = evaluating ? el.id.slice(0, -'_evaluate'.length) : el.id;
    const act = toAct.get(node);
    const visit = visitOf(act);
    const where = `${run.workflow}/${act}${evaluating ? ' (evaluating task)' : ''}`;
    if (!visit) {
      problems.push(`${where}: the engine ran a job the simulator did not visit`);
      return { error: 'not visited' };
    }
    setClock(visit.at);
    const local = {};
    for (const [target, source] of el.inputs) local[target] = feel(source, { ...vars, ...local }, `${where} input ${target}`, problems);
    if (!evaluating) compareInputs(where, visit, local);
    if (visit.error) {
      const incident = raisesIncident(el, vars);
      const suspended = visit.status === 'suspended';
      if (incident !== suspended) {
        problems.push(`${where}: the worker ${incident ? 'raises an incident' : 'throws the failure'} where the simulator ${suspended ? 'suspended the workflow' : 'ignored the error'}`);
      }
      return { error: visit.error, visit, incident, act };
    }
    let result = { ...visit.sets };
    if (evaluating) {
      const port = visit.ports[0] || '';
      const m = /^condition '(.*)'$/.exec(port);
      result = { [el.headers['flowcall.result']]: m ? m[1] : null };
      gatewayVisits.set(node, visit);
      seen.set(act, (seen.get(act) || 1) - 1);
    }
    const scope = { ...vars, ...local, ...result };
    for (const [target, source] of el.outputs) vars[target] = feel(source, scope, `${where} output ${target}`, problems);
    return { visit, act };
  };

  // Jobs waiting at an incident (the worker failed them with no retries left), and release
  // tasks waiting to be completed, by activity.
  const incidents = [];
  const releases = new Map();
  // Answers a job's callback as the worker would: done, the BPMN error its boundary catches,
  // or (an incident) no answer until a Resume retries it.
  const answer = (el, callback) => {
    const r = job(el);
    if (r.error && r.incident) {
      count(engine.failures, r.act);
      count(engine.activities, r.act);
      incidents.push({ el, callback });
      return;
    }
    if (r.error) {
      const e = new Error(r.error);
      e.code = FAILURE_CODE;
      callback(e);
      return;
    }
    callback(null, {});
  };

  function zeebeExtension(activity) {
    const el = bpmn.elements.get(activity.id);
    if (!el || !el.job || el.type !== 'bpmn:ServiceTask') return undefined;
    activity.behaviour.Service = function Service() {
      return {
        execute(_msg, callback) {
          answer(el, callback);
        },
      };
    };
    return { activate() {}, deactivate() {} };
  }

  // Timers fire at once (FEEL reads the simulator's clock, not this one). With setImmediate
  // instead, the timers of every instance after the first were seen never to fire.
  const timers = {
    setTimeout: (fn, _delay, ...args) => setTimeout(fn, 0, ...args),
    clearTimeout: (ref) => clearTimeout(ref),
  };
  const { Timers } = await import('bpmn-elements');
  const bpmnEngine = new Engine({
    source: ctx.xml,
    moddleOptions: { zeebe },
    expressions,
    extensions: { zeebeExtension },
    timers: new Timers(timers),
  });
  const [definition] = await bpmnEngine.getDefinitions();
  const processId = xmlId([wf.id]);
  const signalNode = xmlId([wf.id, run.signal]);
  const done = new Promise((resolve) => {
    definition.broker.subscribeTmp('event', 'definition.leave', () => resolve('left'), { noAck: true });
    // An engine error (Zeebe would raise an incident), such as a gateway no flow leaves.
    definition.on('error', (err) => {
      problems.push(`${run.workflow}: the engine stopped with an error (an incident on Zeebe): ${err.message}`);
      resolve('error');
    });
  });
  definition.broker.subscribeTmp('event', 'flow.take', (_, m) => {
    if (/^Flow_/.test(m.content.id) && bpmn.elements.has(m.content.id) && !EXTRA_FLOW.test(m.content.id)) count(engine.flows, m.content.id);
  }, { noAck: true });
  definition.broker.subscribeTmp('event', 'activity.enter', (_, m) => {
    const el = bpmn.elements.get(m.content.id);
    if (!el) return;
    if (el.id === signalNode && messageVars) {
      // The message start event's output mappings over the published variables.
      for (const [target, source] of el.outputs) vars[target] = feel(source, messageVars, `${run.workflow}/${run.signal} output ${target}`, problems);
    }
    if (el.type === 'bpmn:ExclusiveGateway' && !gatewayVisits.has(el.id)) {
      gatewayVisits.set(el.id, visitOf(toAct.get(el.id)));
    }
    if ((el.type === 'bpmn:EndEvent' || el.type === 'bpmn:IntermediateThrowEvent') && el.job) {
      const act = toAct.get(el.id);
      const visit = visitOf(act);
      const where = `${run.workflow}/${act}`;
      if (!visit) return problems.push(`${where}: the engine published where the simulator did not visit`);
      setClock(visit.at);
      const local = {};
      for (const [target, source] of el.inputs) local[target] = feel(source, { ...vars, ...local }, `${where} input ${target}`, problems);
      compareInputs(where, visit, local);
      engine.publications.push({ act, message: el.headers['flowcall.message'], source: el.headers['flowcall.source'], parameters: local.parameters || {} });
    }
  }, { noAck: true });
  definition.broker.subscribeTmp('event', 'activity.end', (_, m) => {
    const el = bpmn.elements.get(m.content.id);
    if (!el) return;
    if (toAct.has(el.id)) {
      const act = wf.activities.find((a) => a.id === toAct.get(el.id));
      count(engine.activities, act.id);
      if (el.type === 'bpmn:ExclusiveGateway') gatewayVisits.delete(el.id);
      if (kindOf(act) === 'End' && !notEnabled(act)) engine.ends.push(act.id);
    } else if (el.type === 'bpmn:BoundaryEvent' && el.outputs.length) {
      // A failure boundary counting toward the consecutive errors threshold.
      for (const [target, source] of el.outputs) vars[target] = feel(source, vars, `${run.workflow}/${el.id} output ${target}`, problems);
    } else if (el.id.endsWith('_failedEnd')) {
      const node = el.id.slice(0, -'_failedEnd'.length).replace(/_evaluate$/, '');
      const act = toAct.get(node);
      count(engine.failures, act);
      count(engine.activities, act);
    }
  }, { noAck: true });
  definition.on('activity.wait', (api) => {
    if (api.id === signalNode) return api.signal({ id: xmlId(['Message', wf.id, run.signal]) });
    if (api.id.endsWith('_release')) {
      // A held activity: the simulator's visit of it must be a held one.
      const act = toAct.get(api.id.slice(0, -'_release'.length));
      const visit = visitOf(act);
      count(engine.activities, act);
      if (!visit || visit.status !== 'held') problems.push(`${run.workflow}/${act}: the engine holds it where the simulator ${visit ? 'ran it' : 'did not visit it'}`);
      releases.set(act, api);
    }
  });
  definition.run({ processId });
  let how = await settle(done, definition);
  // The scenario's steps, in order, once the instance has nothing left to do by itself.
  for (const [kind, target] of ctx.steps) {
    if (how !== 'waiting') break;
    const [workflow, activity] = target.split('/');
    if (workflow !== run.workflow) continue;
    if (kind === 'release' && releases.has(activity)) {
      releases.get(activity).signal();
      releases.delete(activity);
    } else if (kind === 'resume') {
      // Resume starts the count again (in Operate: the variable set to 0, then a retry).
      if (ERRORS_VARIABLE in vars) vars[ERRORS_VARIABLE] = 0;
      for (const inc of incidents.splice(0)) answer(inc.el, inc.callback);
    } else if (kind === 'restart' || kind === 'stop') {
      definition.stop();
      how = 'cancelled';
      break;
    }
    how = await settle(done, definition);
  }
  if (how === 'waiting') {
    // Left waiting: only at an incident of a run the simulator left suspended, or at a release
    // task of a branch it left held.
    const waiting = definition.getPostponed().map((a) => a.id);
    const atIncident = (id) => incidents.some((i) => i.el.id === id) && run.status === 'suspended';
    const allowed = waiting.every((id) =>
      (id.endsWith('_release') && releases.has(toAct.get(id.slice(0, -'_release'.length))))
      || atIncident(id)
      // The failure boundary of a task waiting at its incident waits with it.
      || (id.endsWith('_failed') && atIncident(id.slice(0, -'_failed'.length))));
    if (!allowed || !waiting.length) problems.push(`${run.workflow}: the instance did not finish (waiting at ${waiting.join(', ') || 'nothing'}; the simulator's run is ${run.status})`);
    definition.stop();
  } else if (how === 'stuck') {
    problems.push(`${run.workflow}: the instance did not settle (still moving at ${definition.getPostponed().map((a) => a.id).join(', ')})`);
    definition.stop();
  }
  engine.ends.sort();
  return { engine, problems, compared };
}

/// Waits until the instance leaves (`left`), stops on an error (`error`), or stays at the same
/// elements for a while (`waiting`: at a release task or an incident); `stuck` when it keeps
/// moving for 10 s.
async function settle(done, definition) {
  let last = null;
  let same = 0;
  const start = performance.now();
  while (performance.now() - start < 10000) {
    const r = await Promise.race([done, new Promise((res) => setTimeout(() => res(null), 2))]);
    if (r) return r;
    const now = definition.getPostponed().map((a) => a.id).sort().join(',');
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= 5) return 'waiting';
  }
  return 'stuck';
}

// --- one scenario: the root run and every run it chains ---------------------------------------
async function replay(ctx, trace) {
  const problems = [];
  let compared = 0;
  let runs = 0;
  const rootVars = (run) => {
    const vars = { flowcallTriggerId: `scenario-${run.id}`, flowcallSource: run.source };
    for (const v of run.variables) if (v.origin === 'parameter' || v.origin.startsWith('converted')) vars[v.name] = v.value;
    return vars;
  };
  const queue = trace.runs.filter((r) => r.parent === null).map((r) => [r, r.source === 'start' ? null : rootVars(r)]);
  while (queue.length) {
    const [run, messageVars] = queue.shift();
    runs++;
    const result = await runInstance(ctx, run, messageVars);
    compared += result.compared;
    problems.push(...result.problems);
    const sim = simulated(run, ctx.visits.byRun.get(run.id) || [], ctx.design);
    const where = `${run.workflow} run ${run.id}`;
    for (const d of sameCounts(sim.activities, result.engine.activities)) problems.push(`${where} activity ${d}`);
    for (const d of sameCounts(sim.flows, result.engine.flows)) problems.push(`${where} transition ${d}`);
    for (const d of sameCounts(sim.failures, result.engine.failures)) problems.push(`${where} failure of ${d}`);
    if (JSON.stringify(sim.ends) !== JSON.stringify(result.engine.ends)) {
      problems.push(`${where} ends: simulator ${sim.ends.join(', ') || 'none'}, engine ${result.engine.ends.join(', ') || 'none'}`);
    }
    // Each publication starts the run the simulator's End started, with what FEEL computed.
    const seen = new Map();
    for (const p of result.engine.publications) {
      const k = seen.get(p.act) || 0;
      seen.set(p.act, k + 1);
      const end = run.ends.filter((e) => e.activity === p.act && e.trigger)[k];
      if (!end || end.trigger.outcome !== 'started') continue;
      const child = ctx.trace.runs.find((r) => r.id === end.trigger.run);
      if (!child) continue;
      const [workflow, signal] = end.trigger.target.split('/');
      if (p.message !== `${workflow}.${signal}`) problems.push(`${where} ${p.act} publishes '${p.message}', the simulator triggered ${end.trigger.target}`);
      const vars = { ...p.parameters, flowcallTriggerId: `${run.id}/${p.act}/${k}`, flowcallSource: p.source };
      queue.push([child, vars]);
    }
  }
  const simulatedRuns = trace.runs.length;
  if (runs !== simulatedRuns) problems.push(`the simulator made ${simulatedRuns} runs, the engine ${runs} instances`);
  return { problems, compared, runs };
}

// --- the designs ------------------------------------------------------------------------------
function flowcall(bin, args) {
  return execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

function traceOf(bin, file, scenario, dir) {
  const payload = join(dir, 'payload.json');
  writeFileSync(payload, JSON.stringify(scenario.payload));
  let out;
  try {
    const then = stepsOf(scenario).flatMap(([kind, target]) => ['--then', target ? `${kind}:${target}` : kind]);
    out = flowcall(bin, ['run', file, '--signal', `${scenario.workflow}/${scenario.signal}`, '--payload', payload, '--trace', ...then]);
  } catch (e) {
    out = e.stdout; // exit 1: rejected or a run failed; the trace is printed all the same
  }
  return JSON.parse(out);
}

async function checkDesign(bin, file, dir, mutate) {
  const design = JSON.parse(flowcall(bin, ['export', file, '--format', 'json']));
  const xml = flowcall(bin, ['export', file, '--format', 'bpmn']);
  const bpmn = await readBpmn(xml);
  const scenarios = [];
  for (const s of design.scenarios || []) {
    const trace = traceOf(bin, file, s, dir);
    scenarios.push({ s, trace, visits: visitsOf(trace, design) });
  }
  const accepted = scenarios.filter((x) => x.trace.accepted);
  const run = async (xmlText, parsed) => {
    const results = [];
    for (const x of accepted) {
      const ctx = { design, bpmn: parsed, xml: xmlText, visits: x.visits, trace: x.trace, steps: stepsOf(x.s) };
      results.push({ name: x.s.name, ...(await replay(ctx, x.trace)) });
    }
    return results;
  };
  const results = await run(xml, bpmn);
  const mutants = [];
  // A design without accepted scenarios has nothing to tell a broken condition apart with.
  if (mutate && accepted.length) {
    for (const c of bpmn.conditions) {
      const brokenXml = await negated(xml, c.id);
      const caught = (await run(brokenXml, await readBpmn(brokenXml))).filter((r) => r.problems.length).map((r) => r.name);
      mutants.push({ flow: c.id, caught });
    }
  }
  return { file, scenarios: scenarios.length, accepted: accepted.length, results, mutants };
}

async function main() {
  const args = process.argv.slice(2);
  const mutate = args[0] === '--mutate';
  if (mutate) args.shift();
  const [bin, ...files] = args;
  if (!bin || !files.length) {
    console.error('usage: node check.mjs [--mutate] FLOWCALL_BINARY DESIGN.flow.ron...');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'flowcall-exec-'));
  let accepted = 0;
  let equal = 0;
  let rejected = 0;
  let compared = 0;
  let runs = 0;
  let mutants = 0;
  let caught = 0;
  try {
    for (const file of files) {
      const r = await checkDesign(bin, file, dir, mutate);
      accepted += r.accepted;
      rejected += r.scenarios - r.accepted;
      if (!r.accepted) console.log(`NOT RUN ${file}: no accepted scenario`);
      for (const x of r.results) {
        runs += x.runs;
        compared += x.compared;
        if (x.problems.length === 0) {
          equal++;
          console.log(`EQUAL ${file}: ${x.name} (${x.runs} run(s))`);
        } else {
          console.log(`DIFFERENT ${file}: ${x.name}`);
          for (const p of x.problems) console.log(`  ${p}`);
        }
      }
      for (const m of r.mutants) {
        mutants++;
        if (m.caught.length) {
          caught++;
          console.log(`CAUGHT ${file}: condition of ${m.flow} negated: ${m.caught.length} scenario(s) differ (${m.caught.join('; ')})`);
        } else {
          console.log(`SURVIVED ${file}: condition of ${m.flow} negated and no scenario differs: add a scenario that takes the other branch`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`execution: ${accepted} accepted scenarios (${rejected} rejected ones not run), ${equal} paths equal, ${runs} instances, ${compared} inputs compared`);
  if (mutate) console.log(`mutants: ${mutants} negated FEEL conditions, ${caught} caught`);
  process.exit(equal === accepted && caught === mutants ? 0 : 1);
}

main().catch((e) => {
  console.error(`exec-check: ${e.stack || e}`);
  process.exit(2);
});
