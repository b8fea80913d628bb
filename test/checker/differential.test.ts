// Differential test of the two action semantics. Immer's produce() is the reference; the
// fast engine (decode into a scratch object, run the recipe, encode) must be
// indistinguishable from it: same status, same counts, same counterexample with the same
// states, on every spec under specs/ (each configuration its expect block names), on the
// bench models (bench/models), and on the CLI's fixture specs that carry an expect block.
//
// Cost cap: immer is tens of times slower than the fast engine (more for large states), so
// the comparison is bounded by work, deterministically: a first fast run (at most CAP
// distinct states) measures successors per state; if the space is larger than CAP or would
// make immer compute more than GENERATED_BUDGET successors, both engines are compared on
// the same bounded prefix of the state space (maxStates chosen to fit the budget). Both
// must then stop as `incomplete` at exactly the same point, with the same counts. Smaller
// spaces are compared in full. The test title says which.

import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate, model, t, type CheckResult, type Expectation, type Spec, type TraceStep } from '../../checker/index.js';
import { describeExpectation, findSpecFiles, loadSpecFile } from '../specs/discover.js';

const CAP = 60_000;
const GENERATED_BUDGET = 100_000;

type Config = Pick<Expectation, 'constants' | 'options'>;
// Any spec, whatever its constants, schema and actions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = Spec<any, any, any>;

/** Everything observable about a run except timings and memory. */
function observable(r: CheckResult) {
  const trace = (tr: readonly TraceStep[]) => tr.map(({ action, param, label, state, changed }) => ({ action, param, label, state, changed }));
  const { distinct, generated, transitions, depth, queue } = r.stats;
  const base = { status: r.status, stats: { distinct, generated, transitions, depth, queue } };
  switch (r.status) {
    case 'ok':
      return base;
    case 'incomplete':
      return { ...base, reason: r.reason };
    case 'violation': {
      const { kind, name, message, clause, level } = r.violation;
      return { ...base, violation: { kind, name, message, clause, level }, trace: trace(r.violation.trace) };
    }
    case 'error': {
      const { phase, action, param, name, message } = r.error;
      return { ...base, error: { phase, action, param, name, message }, trace: trace(r.error.trace) };
    }
  }
}

function run(spec: AnySpec, c: Config, engine: 'fast' | 'immer', maxStates = CAP): CheckResult {
  const bound = c.options?.maxStates;
  return check(instantiate(spec, c.constants ?? {}), {
    engine,
    deadlock: c.options?.deadlock,
    invariants: c.options?.invariants,
    maxDepth: c.options?.maxDepth,
    maxStates: bound !== undefined ? Math.min(bound, maxStates) : maxStates,
  });
}

/** The maxStates at which both engines are compared: CAP, or less when immer would do too much work. */
function boundFor(probe: CheckResult): number {
  const { distinct, generated } = probe.stats;
  if (generated <= GENERATED_BUDGET && !(probe.status === 'incomplete' && probe.reason === 'max-states')) return CAP;
  return Math.max(100, Math.min(CAP, Math.floor((distinct * GENERATED_BUDGET) / Math.max(1, generated))));
}

/** The configurations to compare: each distinct (constants, options) of the expect block, or the defaults. */
function configs(spec: Spec): { title: string; config: Config }[] {
  const seen = new Set<string>();
  const out: { title: string; config: Config }[] = [];
  const entries = spec.expect?.length ? spec.expect : [{ status: 'ok' } as Expectation];
  entries.forEach((e, i) => {
    const key = JSON.stringify([e.constants ?? {}, e.options ?? {}]);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ title: describeExpectation(e, i).replace(/^expect\[\d+\] /, ''), config: { constants: e.constants, options: e.options } });
  });
  return out;
}

const own = await Promise.all(findSpecFiles('specs', 'bench/models').map(loadSpecFile));
// Fixtures exist to exercise error paths. Those that run (they state what they do in an
// expect block) are compared too; those broken on purpose (no load, setup throws) are not.
const fixtures = (await Promise.all(findSpecFiles('test/fixtures/specs').map(loadSpecFile))).filter((l) => 'spec' in l && l.spec.expect?.length);

describe('fast and immer engines agree', () => {
  for (const l of [...own, ...fixtures]) {
    describe(l.file, () => {
      if ('error' in l) {
        it('loads', () => expect.fail(l.error));
        return;
      }
      for (const { title, config } of configs(l.spec)) {
        it(`gives identical results, counts and traces (${title})`, () => {
          const probe = run(l.spec, config, 'fast');
          const bound = boundFor(probe);
          const fast = observable(bound === CAP ? probe : run(l.spec, config, 'fast', bound));
          const immer = observable(run(l.spec, config, 'immer', bound));
          const scope = bound === CAP && probe.status !== 'incomplete' ? 'whole state space' : `first ${bound} states`;
          expect(fast, `${l.file} (${title}, ${scope}): fast engine differs from immer`).toEqual(immer);
        });
      }
    });
  }

  it('runs on the example specs', () => {
    const files = own.map((l) => l.file);
    expect(files).toEqual(expect.arrayContaining(['specs/examples/two-phase.spec.ts', 'specs/examples/two-phase-broken.spec.ts']));
  });

  it('tells the engines apart when a guard mutates the state it is given', () => {
    // Under immer the state is frozen, so the guard throws; the fast engine lets it through.
    const spec = defineSpec({
      name: 'MutatingGuard',
      setup: () => model({
        state: t.record({ x: t.int(0, 3) }),
        init: { x: 0 },
        actions: {
          Inc: {
            enabled: (s) => { (s as { x: number }).x = Math.min(s.x, 2); return s.x < 3; },
            next: (s) => { s.x++; },
          },
        },
        terminal: () => true,
      }),
    });
    expect(observable(run(spec, {}, 'fast'))).not.toEqual(observable(run(spec, {}, 'immer')));
  });
});
