// Checks BPMN files as Camunda 8.6 would see them: each file must parse with bpmn-moddle and
// zeebe-bpmn-moddle without warnings (unknown elements, attributes or references), and pass
// bpmnlint's recommended rules plus bpmnlint-plugin-camunda-compat's camunda-cloud-8-6 rules
// without errors. Usage: node check.mjs FILE.bpmn...  Exit 1 on any problem.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json');
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const versions = ['8-6', '8-8'];

let failed = false;
for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, 'utf8');
  const moddle = new BpmnModdle({ zeebe });
  let parsed;
  try {
    parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
  } catch (e) {
    console.log(`${file}: parse error: ${e.message}`);
    failed = true;
    continue;
  }
  for (const w of parsed.warnings) {
    console.log(`${file}: moddle warning: ${w.message}`);
    failed = true;
  }
  for (const version of versions) {
    const config = {
      extends: ['bpmnlint:recommended', `plugin:camunda-compat/camunda-cloud-${version}`],
    };
    const linter = new Linter({ config, resolver: new NodeResolver({ require }) });
    const results = await linter.lint(parsed.rootElement);
    let errors = 0;
    let warnings = 0;
    for (const [rule, reports] of Object.entries(results)) {
      for (const r of reports) {
        const level = r.category === 'error' ? 'error' : 'warning';
        if (level === 'error') errors++; else warnings++;
        console.log(`${file}: ${version}: ${level}: ${rule}: ${r.id}: ${r.message}`);
      }
    }
    console.log(`${file}: Camunda ${version.replace('-', '.')}: ${errors} lint errors, ${warnings} lint warnings`);
    if (errors > 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
