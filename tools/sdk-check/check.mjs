// Drives `flowcall serve` with Adobe's own client for Campaign Standard's REST API,
// @adobe/aio-lib-campaign-standard, as a content system's integration would (docs/API.md,
// "Adobe's SDK"): the SDK is pointed at the server by changing only the base URL of the API
// description it bundles, and every step asserts what the SDK returns.
//
// The server runs the newsletter example with its trigger cooldown shortened to COOLDOWN
// seconds (so that the paused trigger can come after the cooldown refusal), on a free loopback
// port, with --api-key. Steps: get the workflow and read the signal's trigger href, trigger with
// the documented payload by running the README's snippet unchanged, the refusals (cooldown,
// undeclared parameter, wrong type, missing required parameter, over 64 KiB), pause, trigger
// (queued), resume (the queued run runs), stop, start, an unknown workflow, a wrong API key.
// Prints each step and `sdk: N of M steps passed`.
//
// Usage: node check.mjs FLOWCALL_BINARY
// Exit 1 when a step fails, 2 on a usage or tool error.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);

const COOLDOWN = 5;
const TOKEN = 'sdk-check-token';
const API_KEY = 'sdk-check-key';
const ORG = 'ORGANIZATION';
const WORKFLOW = 'NEWSLETTER';
const SIGNAL = 'signal1';

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node check.mjs FLOWCALL_BINARY');
  process.exit(2);
}

// --- the SDK, pointed at the server --------------------------------------------------------

/** The SDK's client on `base`: the one change is the server URL of its bundled description. */
async function client (base, apiKey = API_KEY) {
  const spec = require('@adobe/aio-lib-campaign-standard/spec/api.json');
  spec.servers[0].url = `${base}/{ORGANIZATION}/campaign`;
  const campaign = require('@adobe/aio-lib-campaign-standard');
  return campaign.init(ORG, apiKey, TOKEN);
}

// --- the server ----------------------------------------------------------------------------

/** `flowcall serve` on the newsletter example with a short cooldown; its base URL. */
async function startServer (dir) {
  const text = readFileSync(join(root, 'examples', 'cms-newsletter.flow.ron'), 'utf8');
  const shortened = text.replace('trigger_cooldown: Seconds(600)', `trigger_cooldown: Seconds(${COOLDOWN})`);
  if (shortened === text) throw new Error('the example no longer has a 600-second cooldown to shorten');
  const design = join(dir, 'newsletter.flow.ron');
  writeFileSync(design, shortened);
  const child = spawn(binary, ['serve', design, '--addr', '127.0.0.1:0', '--token', TOKEN, '--api-key', API_KEY], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const output = [];
  const base = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`flowcall serve exited with ${code}`)));
    lines.on('line', (line) => {
      output.push(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
  });
  child.removeAllListeners('exit');
  return { child, base, output };
}

/** Stops the server with SIGINT; its exit code and last line. */
function stopServer ({ child, output }) {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve({ code, last: output[output.length - 1] }));
    child.kill('SIGINT');
  });
}

// --- helpers -------------------------------------------------------------------------------

const documented = JSON.parse(readFileSync(join(root, 'examples', 'payloads', 'cms-newsletter.json'), 'utf8'));
const undeclared = JSON.parse(readFileSync(join(root, 'examples', 'payloads', 'cms-newsletter-undeclared.json'), 'utf8'));

function withParameters (change) {
  const p = structuredClone(documented);
  change(p.parameters);
  return p;
}

function check (condition, what) {
  if (!condition) throw new Error(what);
}

/** A refusal in the reference's form naming `parameter`, its text holding `line`. */
function refusal (answer, status, parameter, line) {
  check(answer.code === status, `code ${answer.code}, expected ${status}: ${JSON.stringify(answer)}`);
  check(answer.message.startsWith('RST-360011 An error has occurred - please contact your administrator.'), `message: ${answer.message}`);
  check(answer.message.split('\n').some((l) => l.includes(line)), `no line with "${line}" in: ${answer.message}`);
  if (parameter) {
    check(answer.errors.some((e) => e.parameter === parameter), `no problem names '${parameter}': ${JSON.stringify(answer.errors)}`);
  }
}

/** GET on flowcall's own /runs/{id} (the SDK has no call for it). */
async function runOf (base, id) {
  const r = await fetch(`${base}/runs/${id}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return r.json();
}

/** Runs the README's snippet unchanged against `base`; what it printed, parsed. */
async function runReadmeSnippet (base, dir) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /<!-- sdk-snippet: begin -->\n```js\n([\s\S]*?)```\n<!-- sdk-snippet: end -->/.exec(readme);
  check(m, 'README.md has no SDK snippet between its markers');
  const file = join(dir, 'trigger.js');
  writeFileSync(file, m[1]);
  const env = { ...process.env, FLOWCALL_URL: base, FLOWCALL_TOKEN: TOKEN, FLOWCALL_API_KEY: API_KEY, NODE_PATH: join(here, 'node_modules') };
  const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  check(code === 0, `the snippet exited with ${code}: ${err}`);
  return JSON.parse(out);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// --- the steps -----------------------------------------------------------------------------

async function main () {
  const dir = mkdtempSync(join(tmpdir(), 'flowcall-sdk-check-'));
  let server;
  try {
    server = await startServer(dir);
  } catch (e) {
    console.error(`cannot start flowcall serve: ${e.message}`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(2);
  }
  const { base } = server;
  const sdk = await client(base);
  const state = {};
  const steps = [
    ['getWorkflow answers the workflow as the reference does', async () => {
      const r = await sdk.getWorkflow(WORKFLOW);
      check(r.status === 200, `status ${r.status}`);
      check(r.body.PKey === WORKFLOW && r.body.state === 'started', JSON.stringify(r.body));
      const names = Object.keys(r.body.activities.activity);
      check(names.join() === 'signal1,readAudience1,email1,end1', `activities ${names}`);
      check(r.body.activities.activity[SIGNAL].type === 'signal', 'the signal is not of type signal');
      state.href = r.body.activities.activity[SIGNAL].trigger.href;
    }],
    ['the trigger href is absolute, under the base called', async () => {
      const expected = `${base}/${ORG}/campaign/workflow/execution/${WORKFLOW}/activities/activity/${SIGNAL}/trigger`;
      check(state.href === expected, `href ${state.href}, expected ${expected}`);
    }],
    ["the README's snippet triggers with the documented payload", async () => {
      const answer = await runReadmeSnippet(base, dir);
      state.accepted = Date.now();
      check(answer.queued === false && Number.isInteger(answer.run), JSON.stringify(answer));
      check(answer.href === `${base}/runs/${answer.run}`, `run href ${answer.href}`);
      const run = await runOf(base, answer.run);
      check(run.status === 'finished' && run.source === 'cms', JSON.stringify(run));
      check(run.variables.some((v) => v.name === 'template' && v.value === 'newsletter_gold'), 'template not passed');
    }],
    ['within the cooldown: refused as the reference refuses it (not JSON)', async () => {
      const answer = await sdk.triggerSignalActivity(state.href, documented);
      check(typeof answer.payload === 'string', `not the SDK's text answer: ${JSON.stringify(answer)}`);
      check(answer.payload.startsWith('too soon: '), answer.payload);
    }],
    ["an undeclared parameter: the reference's text naming it", async () => {
      const answer = await sdk.triggerSignalActivity(state.href, undeclared);
      refusal(answer, 400, 'contentUrl', "'contentUrl' parameter isn't defined in signal activity.");
    }],
    ['a value of the wrong type', async () => {
      const answer = await sdk.triggerSignalActivity(state.href, withParameters((p) => { p.audience = ['GoldMembers']; }));
      refusal(answer, 400, 'audience', "'audience': ");
    }],
    ['a missing required parameter', async () => {
      const answer = await sdk.triggerSignalActivity(state.href, withParameters((p) => { delete p.email; }));
      refusal(answer, 400, 'email', "'email' is required by signal 'signal1' of workflow 'NEWSLETTER'");
    }],
    ['a payload over 64 KiB', async () => {
      const answer = await sdk.triggerSignalActivity(state.href, withParameters((p) => { p.email = 'x'.repeat(70000); }));
      refusal(answer, 413, null, 'the limit is 65536 bytes (64 KiB)');
    }],
    ['pause', async () => {
      // The cooldown counts whole seconds of the session's clock: wait it out, and one more.
      await sleep(Math.max(0, state.accepted + (COOLDOWN + 1.5) * 1000 - Date.now()));
      const r = await sdk.controlWorkflow(WORKFLOW, 'pause');
      check(r.status === 200 && r.body.state === 'paused', JSON.stringify(r.body));
    }],
    ['a trigger while paused is queued', async () => {
      const answer = await sdk.triggerSignalActivity(state.href, documented);
      check(JSON.stringify(answer) === '{"queued":true}', JSON.stringify(answer));
      const r = await sdk.getWorkflow(WORKFLOW);
      check(r.body.state === 'paused' && r.body.queued === 1, JSON.stringify(r.body));
    }],
    ['resume runs the queued trigger', async () => {
      const r = await sdk.controlWorkflow(WORKFLOW, 'resume');
      check(r.status === 200 && r.body.state === 'started' && r.body.runs.length === 1, JSON.stringify(r.body));
      const run = await runOf(base, r.body.runs[0]);
      check(run.status === 'finished' && run.path.includes('email1'), JSON.stringify(run));
    }],
    ['stop, then a trigger is refused', async () => {
      const r = await sdk.controlWorkflow(WORKFLOW, 'stop');
      check(r.status === 200 && r.body.state === 'stopped', JSON.stringify(r.body));
      const answer = await sdk.triggerSignalActivity(state.href, documented);
      refusal(answer, 409, null, "workflow 'NEWSLETTER' is stopped");
    }],
    ['start', async () => {
      const r = await sdk.controlWorkflow(WORKFLOW, 'start');
      check(r.status === 200 && r.body.state === 'started', JSON.stringify(r.body));
    }],
    ["an unknown workflow: the SDK's error carries the reference's 404", async () => {
      const error = await sdk.getWorkflow('NOPE').then(() => null, (e) => e);
      check(error && error.code === 'ERROR_GET_WORKFLOW', `no SDK error: ${error}`);
      check(error.message.includes('404') && error.message.includes("Unable to find document with path 'Workflow' from key 'NOPE'"), error.message);
    }],
    ['a wrong X-Api-Key is refused (403) under --api-key', async () => {
      const wrong = await client(base, 'not-the-key');
      const error = await wrong.getWorkflow(WORKFLOW).then(() => null, (e) => e);
      check(error && error.message.includes('403') && error.message.includes('Api Key is invalid'), `${error && error.message}`);
    }],
  ];
  let passed = 0;
  for (const [name, run] of steps) {
    try {
      await run();
      passed += 1;
      console.log(`ok     ${name}`);
    } catch (e) {
      console.log(`FAILED ${name}: ${String(e.message).split('\n')[0]}`);
    }
  }
  const stopped = await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
  if (stopped.code !== 0) {
    console.log(`FAILED flowcall serve exited with ${stopped.code} after SIGINT`);
  } else {
    console.log(`server: ${stopped.last}`);
  }
  console.log(`sdk: ${passed} of ${steps.length} steps passed`);
  process.exit(passed === steps.length && stopped.code === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
