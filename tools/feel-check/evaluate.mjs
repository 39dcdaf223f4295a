// Evaluates FEEL expressions with feelin and prints their values as JSON, for the Rust test
// that compares them with flowcall's (src/export/feel/interpreter_tests.rs).
// Input (file given as the only argument): [{"id": 1, "feel": "...", "context": {...}}, ...]
// Output (stdout): [{"id": 1, "value": <json>} | {"id": 1, "error": "..."}, ...] where dates are
// {"date": "YYYY-MM-DD"}, date-times {"dateTime": <epoch milliseconds>, "iso": "..."}, durations
// {"duration": "..."}.
import { readFileSync } from 'node:fs';
import { evaluate } from 'feelin';

function plain(v) {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return { list: v.map(plain) };
  if (typeof v !== 'object') return v;
  const kind = v.constructor && v.constructor.name;
  if (kind === 'FeelDate') return { date: v.iso };
  if (kind === 'FeelDateTime') {
    // The local date-time in its zone (an IANA name, an offset or UTC), as an instant.
    let ms = null;
    try {
      ms = v.unwrap().toZonedDateTime(v.zone || 'UTC').epochMilliseconds;
    } catch (e) {
      return { error: `cannot read ${v.iso} as an instant: ${e.message}` };
    }
    return { dateTime: ms, iso: v.iso };
  }
  if (kind === 'FeelDuration') return { duration: v.iso };
  return { other: String(v) };
}

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const c of cases) {
  try {
    const r = evaluate(c.feel, c.context);
    const warnings = (r.warnings || []).map((w) => w.message);
    if (r.value === null && warnings.length > 0) {
      out.push({ id: c.id, error: warnings.join('; ') });
    } else {
      out.push({ id: c.id, value: plain(r.value) });
    }
  } catch (e) {
    out.push({ id: c.id, error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(out));
