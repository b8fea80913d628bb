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

import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../checker/index.js';
import { describeExpectation, findSpecFiles, loadSpecFile, malformed, mismatches, outcome, runExpectation, type Loaded } from './discover.js';

const files = findSpecFiles('specs');
const loaded = await Promise.all(files.map(loadSpecFile));

// Entries that take long are listed at the end (never asserted: timings vary by machine),
// so that whoever adds a large configuration sees what it costs every test run.
const SLOW_SECONDS = 10;
const slow: string[] = [];
afterAll(() => {
  if (slow.length)
    console.warn(`golden: entries over ${SLOW_SECONDS} s (every test run pays for them; consider smaller constants):\n  ${slow.join('\n  ')}`);
});

/** One test per expect entry of each loaded spec file. */
function expectationTests(specs: readonly Loaded[], requireExpect: boolean): void {
  for (const l of specs) {
    describe(l.file, () => {
      if ('error' in l) {
        it('loads', () => expect.fail(l.error));
        return;
      }
      const entries = l.spec.expect ?? [];
      if (entries.length === 0) {
        if (requireExpect)
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
            const t0 = performance.now();
            r = runExpectation(l.spec, e);
            const seconds = (performance.now() - t0) / 1000;
            if (seconds > SLOW_SECONDS) slow.push(`${where}: ${seconds.toFixed(1)} s, ${r.stats.distinct} distinct`);
          } catch (err) {
            expect.fail(`${where}: the check threw ${(err as Error)?.name ?? 'an error'}: ${(err as Error)?.message ?? String(err)}`);
          }
          const diff = mismatches(e, r);
          if (diff.length) expect.fail(`${where}: result does not match (run ended: ${outcome(r)})\n  ${diff.join('\n  ')}`);
        });
      });
    });
  }
}

describe('golden: every spec under specs/ meets its expect block', () => {
  it('finds the spec files', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files).toContain('specs/examples/die-hard.spec.ts');
  });
  expectationTests(loaded, true);
});

// The CLI tests' fixture specs state what they do too; those that load on purpose are held to it.
const fixtures = (await Promise.all(findSpecFiles('test/fixtures/specs').map(loadSpecFile))).filter((l) => 'spec' in l && l.spec.expect?.length);
describe('fixture specs meet their expect blocks', () => expectationTests(fixtures, false));
