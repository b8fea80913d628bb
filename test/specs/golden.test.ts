// The golden test: every spec under specs/ is checked against each entry of its `expect`
// block. Adding a spec file with an expect block is all it takes to be covered here.
//
// For each entry, only the fields the entry states are compared (status always; distinct,
// generated, depth, violation kind/name and trace labels when given). A mismatch fails with
// the file, the entry (index, constants, options) and a field-by-field list of what was
// expected and what came out, plus the checker's own message when the status differs.
//
// Cost: each entry is one full check with the fast engine; entries that set `maxStates` or
// `maxDepth` in their options run bounded. Filter with `npx vitest run test/specs -t name`.

import { describe, expect, it } from 'vitest';
import { check, instantiate, type CheckResult, type Expectation, type Spec } from '../../checker/index.js';
import { describeExpectation, findSpecFiles, loadSpecFile } from './discover.js';

const files = findSpecFiles('specs');
const loaded = await Promise.all(files.map(loadSpecFile));

/** Why the run ended, in one line, for failure messages. */
function outcome(r: CheckResult): string {
  switch (r.status) {
    case 'ok':
      return 'ok';
    case 'violation':
      return `violation ${r.violation.kind} ${r.violation.name}: ${r.violation.message}`;
    case 'error':
      return `error in ${r.error.phase}${r.error.action ? ` of ${r.error.action}` : ''}${r.error.name ? ` (${r.error.name})` : ''}: ${r.error.message}`;
    case 'incomplete':
      return `incomplete (${r.reason})`;
  }
}

/** Structural problems of an entry that no run could satisfy. */
function malformed(e: Expectation): string[] {
  const out: string[] = [];
  if (!['ok', 'violation', 'error', 'incomplete'].includes(e.status)) out.push(`unknown status '${String(e.status)}'`);
  if (e.violation && e.status !== 'violation') out.push(`'violation' is given but status is '${e.status}'`);
  if (e.trace && e.status !== 'violation' && e.status !== 'error') out.push(`'trace' is given but status '${e.status}' has no trace`);
  if (e.trace && e.trace[0] !== 'Init') out.push(`'trace' must start with 'Init', got '${String(e.trace[0])}'`);
  return out;
}

/** Compares a result with an entry; returns one line per field that differs. */
export function mismatches(e: Expectation, r: CheckResult): string[] {
  const out: string[] = [];
  const cmp = (field: string, want: unknown, got: unknown) => {
    if (want !== undefined && JSON.stringify(want) !== JSON.stringify(got))
      out.push(`${field}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  cmp('status', e.status, r.status);
  cmp('distinct', e.distinct, r.stats.distinct);
  cmp('generated', e.generated, r.stats.generated);
  cmp('depth', e.depth, r.stats.depth);
  if (e.violation) {
    const v = r.status === 'violation' ? r.violation : undefined;
    cmp('violation.kind', e.violation.kind, v?.kind);
    cmp('violation.name', e.violation.name, v?.name);
  }
  if (e.trace) {
    const tr = r.status === 'violation' ? r.violation.trace : r.status === 'error' ? r.error.trace : [];
    const got = tr.map((s) => s.label);
    if (JSON.stringify(got) !== JSON.stringify(e.trace)) {
      const k = e.trace.findIndex((l, i) => got[i] !== l);
      const at = k < 0 ? got.length > e.trace.length ? e.trace.length : 0 : k;
      out.push(`trace: differs at step ${at} (expected ${JSON.stringify(e.trace[at])}, got ${JSON.stringify(got[at])})\n` +
        `    expected ${JSON.stringify(e.trace)}\n    got      ${JSON.stringify(got)}`);
    }
  }
  return out;
}

export function runExpectation(spec: Spec, e: Expectation): CheckResult {
  return check(instantiate(spec, e.constants ?? {}), {
    deadlock: e.options?.deadlock,
    invariants: e.options?.invariants,
    maxStates: e.options?.maxStates,
    maxDepth: e.options?.maxDepth,
  });
}

describe('golden: every spec under specs/ meets its expect block', () => {
  it('finds the spec files', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files).toContain('specs/examples/die-hard.spec.ts');
  });

  for (const l of loaded) {
    describe(l.file, () => {
      if ('error' in l) {
        it('loads', () => expect.fail(l.error));
        return;
      }
      const entries = l.spec.expect ?? [];
      if (entries.length === 0) {
        it('has an expect block', () => expect.fail(`${l.file}: spec ${l.spec.name} has no expect block; every spec under specs/ must state its expected result`));
        return;
      }
      entries.forEach((e, i) => {
        const title = `${describeExpectation(e, i)} -> ${e.status}${e.violation ? ` ${e.violation.name}` : ''}`;
        it(title, () => {
          const where = `${l.file} ${describeExpectation(e, i)}${e.note ? ` (${e.note})` : ''}`;
          const bad = malformed(e);
          if (bad.length) expect.fail(`${where}: malformed expectation:\n  ${bad.join('\n  ')}`);
          let r: CheckResult;
          try {
            r = runExpectation(l.spec, e);
          } catch (err) {
            expect.fail(`${where}: the check threw ${(err as Error)?.name ?? 'an error'}: ${(err as Error)?.message ?? String(err)}`);
          }
          const diff = mismatches(e, r);
          if (diff.length) expect.fail(`${where}: result does not match (run ended: ${outcome(r)})\n  ${diff.join('\n  ')}`);
        });
      });
    });
  }
});
