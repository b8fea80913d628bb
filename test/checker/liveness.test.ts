import { describe, it, expect, expectTypeOf } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, defineSpec, instantiate, model, t, ConfigError, SpecError, type CheckResult, type ConstValue, type Fairness, type Spec, type Violation } from '../../checker/index.js';
import { main } from '../../checker/cli/main.js';
import { checkTemporal } from '../../checker/explore/liveness.js';
import peterson from '../../specs/examples/peterson.spec.js';
import lock from '../../specs/examples/lock-fairness.spec.js';
import { lassoProblems } from './liveness-lasso.js';

function violationOf<S>(r: CheckResult<S>): Violation<S> {
  if (r.status !== 'violation') throw new Error(`expected a violation, got ${r.status}${r.status === 'error' ? `: ${r.error.message}` : ''}`);
  return r.violation;
}

const labels = (v: Violation) => v.trace.map((s) => s.label);

/** x counts up to MAX and then stays (a terminal state); `Reset` optionally goes back to 0. */
const counter = (opts: { fairness?: Fairness; reset?: boolean } = {}) => defineSpec({
  name: 'Counter',
  setup: () => model({
    state: t.record({ x: t.int(0, 3) }),
    init: { x: 0 },
    actions: {
      Inc: { enabled: (s) => s.x < 3, next: (s) => { s.x++; } },
      Reset: { enabled: (s) => opts.reset === true && s.x === 3, next: (s) => { s.x = 0; } },
    },
    terminal: (s) => s.x === 3,
    temporal: {
      ReachesTop: { eventuallyAlways: (s) => s.x === 3 },
      OftenZero: { alwaysEventually: (s) => s.x === 0 },
      OneLeadsToTwo: { leadsTo: [(s) => s.x === 1, (s) => s.x === 2] },
    },
    fairness: opts.fairness,
  }),
});

/** x flips between 0 and 1 for ever. */
const toggle = (fairness?: Fairness) => defineSpec({
  name: 'Toggle',
  setup: () => model({
    state: t.record({ x: t.int(0, 1) }),
    init: { x: 0 },
    actions: { Flip: { next: (s) => { s.x = 1 - s.x; } } },
    temporal: {
      OftenOne: { alwaysEventually: (s) => s.x === 1 },
      SettlesOnOne: { eventuallyAlways: (s) => s.x === 1 },
    },
    fairness,
  }),
});

describe('temporal properties: classic examples', () => {
  it('Peterson: starvation freedom fails without fairness, by stuttering while a process waits', () => {
    const inst = instantiate(peterson, { FAIR: false });
    const v = violationOf(check(inst));
    expect(v.kind).toBe('liveness');
    expect(v.name).toBe('Process0Enters');
    expect(labels(v)).toEqual(['Init', 'RequestEntry(0)', 'GiveWay(0)']);
    expect(v.loop).toBe(2);
    expect(v.message).toContain('stutters in state 2');
    expect(v.message).toContain('no fairness assumed');
    expect(lassoProblems(inst, v)).toEqual([]);
  });

  it('Peterson: starvation freedom holds under weak fairness of each process', () => {
    const r = check(instantiate(peterson));
    expect(r.status).toBe('ok');
    expect(r.stats.distinct).toBe(20);
  });

  it('Peterson with strict alternation starves a process even under weak fairness', () => {
    const inst = instantiate(peterson, { ALGORITHM: 'alternation' });
    const v = violationOf(check(inst));
    expect(v.name).toBe('Process0Enters');
    expect(v.loop).toBe(v.trace.length - 1);
    expect(v.trace.at(-1)!.state).toMatchObject({ pc: ['wait', 'idle'], turn: 1 });
    expect(lassoProblems(inst, v)).toEqual([]);
  });

  it('a shared lock: weak fairness is not enough, the lasso cycles through the other process', () => {
    const inst = instantiate(lock, { FAIRNESS: 'weak' });
    const v = violationOf(check(inst));
    expect(v.name).toBe('Process0GetsLock');
    expect(labels(v)).toEqual(['Init', 'Request(0)', 'Request(1)', 'Acquire(1)', 'Release(1)']);
    expect(v.loop).toBe(1);
    expect(v.trace[4].state).toEqual(v.trace[1].state);
    expect(v.message).toContain('WF(Acquire(0))');
    expect(lassoProblems(inst, v)).toEqual([]);
  });

  it('a shared lock: strong fairness of Acquire as one action is not enough, per process it is', () => {
    const whole = instantiate(lock, { FAIRNESS: 'strong-action' });
    const v = violationOf(check(whole));
    expect(v.name).toBe('Process0GetsLock');
    expect(lassoProblems(whole, v)).toEqual([]);
    expect(check(instantiate(lock, { FAIRNESS: 'strong' })).status).toBe('ok');
  });

  it('the lasso checker used here rejects a lasso that is unfair under the stronger assumption', () => {
    // The weak-fairness counterexample is not fair to SF(Acquire(0)): the validator must say so.
    const v = violationOf(check(instantiate(lock, { FAIRNESS: 'weak' })));
    expect(lassoProblems(instantiate(lock, { FAIRNESS: 'strong' }), v)).toEqual(['the cycle is not fair to SF(Acquire(0))']);
  });

  it('<>[]p holds when a weakly fair counter climbs to its top and stays', () => {
    const r = check(instantiate(counter({ fairness: { weak: ['Inc'] } })), { temporal: ['ReachesTop'] });
    expect(r.status).toBe('ok');
  });

  it('<>[]p fails without fairness: the counter may stop at 0 for ever', () => {
    const inst = instantiate(counter());
    const v = violationOf(check(inst, { temporal: ['ReachesTop'] }));
    expect(labels(v)).toEqual(['Init']);
    expect(v.loop).toBe(0);
    expect(lassoProblems(inst, v)).toEqual([]);
  });

  it('<>[]p fails under fairness when the behaviour keeps leaving p: a two-step cycle', () => {
    const inst = instantiate(toggle({ weak: ['Flip'] }));
    const v = violationOf(check(inst, { temporal: ['SettlesOnOne'] }));
    expect(labels(v)).toEqual(['Init', 'Flip', 'Flip']);
    expect(v.loop).toBe(0);
    expect(lassoProblems(inst, v)).toEqual([]);
  });

  it('[]<>p holds for a weakly fair toggle and fails without fairness', () => {
    expect(check(instantiate(toggle({ weak: ['Flip'] })), { temporal: ['OftenOne'] }).status).toBe('ok');
    const inst = instantiate(toggle());
    const v = violationOf(check(inst, { temporal: ['OftenOne'] }));
    expect(labels(v)).toEqual(['Init']);
    expect(lassoProblems(inst, v)).toEqual([]);
  });

  it('[]<>p fails when the behaviour ends in a terminal state that is not p, fairness or not', () => {
    const inst = instantiate(counter({ fairness: { weak: ['Inc', 'Reset'] } }));
    const v = violationOf(check(inst, { temporal: ['OftenZero'] }));
    expect(labels(v)).toEqual(['Init', 'Inc', 'Inc', 'Inc']);
    expect(v.loop).toBe(3);
    expect(lassoProblems(inst, v)).toEqual([]);
    // With a weakly fair reset from the top the counter returns to 0 infinitely often.
    expect(check(instantiate(counter({ fairness: { weak: ['Inc', 'Reset'] }, reset: true })), { temporal: ['OftenZero'] }).status).toBe('ok');
  });

  it('p ~> q: the lasso starts where p holds and q never holds after it', () => {
    const inst = instantiate(counter({ fairness: { weak: ['Reset'] }, reset: true }));
    const v = violationOf(check(inst, { temporal: ['OneLeadsToTwo'] }));
    expect(labels(v)).toEqual(['Init', 'Inc']);
    expect(v.message).toContain('state 1 satisfies the premise');
    expect(lassoProblems(inst, v)).toEqual([]);
    expect(check(instantiate(counter({ fairness: { weak: ['Inc'] } })), { temporal: ['OneLeadsToTwo'] }).status).toBe('ok');
  });

  it('checks the temporal properties in declaration order and reports the first that fails', () => {
    const v = violationOf(check(instantiate(counter())));
    expect(v.name).toBe('ReachesTop');
  });

  it('carries the property\'s doc, clause and level into the violation', () => {
    const spec = defineSpec({
      name: 'Meta',
      setup: () => model({
        state: t.record({ x: t.bool() }),
        init: { x: false },
        actions: { Set: { next: (s) => { s.x = true; } } },
        temporal: { EventuallySet: { eventuallyAlways: (s) => s.x, doc: 'x is set for good', clause: 'EX-1', level: 'MUST' } },
      }),
    });
    const v = violationOf(check(instantiate(spec)));
    expect(v).toMatchObject({ kind: 'liveness', name: 'EventuallySet', doc: 'x is set for good', clause: 'EX-1', level: 'MUST' });
  });
});

describe('temporal properties: integration with the safety search', () => {
  it('reports a safety violation before looking at temporal properties', () => {
    const spec = defineSpec({
      name: 'Both',
      setup: () => model({
        state: t.record({ x: t.int(0, 2) }),
        init: { x: 0 },
        actions: { Inc: { enabled: (s) => s.x < 2, next: (s) => { s.x++; } } },
        terminal: () => true,
        invariants: { BelowTwo: (s) => s.x < 2 },
        temporal: { ReachesTwo: { eventuallyAlways: (s) => s.x === 2 } },
      }),
    });
    expect(violationOf(check(instantiate(spec))).kind).toBe('invariant');
    // Selecting only the temporal property by name through `invariants` skips BelowTwo.
    expect(violationOf(check(instantiate(spec), { invariants: ['ReachesTwo'] })).name).toBe('ReachesTwo');
    // Selecting only BelowTwo skips the temporal property.
    expect(violationOf(check(instantiate(spec), { invariants: ['BelowTwo'] })).name).toBe('BelowTwo');
  });

  it('temporal: false skips liveness, a list selects, an unknown name is a ConfigError', () => {
    const inst = instantiate(counter());
    expect(check(inst, { temporal: false }).status).toBe('ok');
    expect(violationOf(check(inst, { temporal: ['OftenZero'] })).name).toBe('OftenZero');
    expect(() => check(inst, { temporal: ['Nope'] })).toThrow(ConfigError);
    expect(() => check(inst, { temporal: ['Nope'] })).toThrow(/unknown temporal property 'Nope'.*ReachesTop/);
  });

  it('keeps the safety search\'s counts in the stats', () => {
    const withLiveness = check(instantiate(peterson));
    const without = check(instantiate(peterson), { temporal: false });
    expect(withLiveness.stats.distinct).toBe(without.stats.distinct);
    expect(withLiveness.stats.generated).toBe(without.stats.generated);
    expect(withLiveness.stats.depth).toBe(without.stats.depth);
  });

  it('gives the same verdicts and traces with the immer engine', () => {
    const cases: [Spec, Record<string, ConstValue>][] = [[lock as unknown as Spec, { FAIRNESS: 'weak' }], [lock as unknown as Spec, { FAIRNESS: 'strong' }], [peterson as unknown as Spec, { FAIR: false }]];
    for (const [spec, c] of cases) {
      const a = check(instantiate(spec, c));
      const b = check(instantiate(spec, c), { engine: 'immer' });
      expect(b.status).toBe(a.status);
      if (a.status === 'violation' && b.status === 'violation') {
        expect(labels(b.violation)).toEqual(labels(a.violation));
        expect(b.violation.loop).toBe(a.violation.loop);
      }
    }
  });

  it('reports a predicate that throws as an evaluation error in phase temporal, with the trace to the state', () => {
    const spec = defineSpec({
      name: 'Throws',
      setup: () => model({
        state: t.record({ x: t.int(0, 2) }),
        init: { x: 0 },
        actions: { Inc: { enabled: (s) => s.x < 2, next: (s) => { s.x++; } } },
        terminal: () => true,
        temporal: { Bad: { alwaysEventually: (s) => { if (s.x === 2) throw new Error('boom'); return true; } } },
      }),
    });
    const r = check(instantiate(spec));
    expect(r.status).toBe('error');
    if (r.status !== 'error') return;
    expect(r.error).toMatchObject({ phase: 'temporal', name: 'Bad', message: 'boom' });
    expect(r.error.trace.map((s) => s.label)).toEqual(['Init', 'Inc', 'Inc']);
  });

  it('stops as incomplete when the graph does not fit the memory budget', () => {
    // A budget too small for the search must never give a proof.
    const big = defineSpec({
      name: 'Big',
      setup: () => model({
        state: t.record({ a: t.int(0, 255), b: t.int(0, 255) }),
        init: { a: 0, b: 0 },
        actions: {
          A: { next: (s) => { s.a = (s.a + 1) % 256; } },
          B: { next: (s) => { s.b = (s.b + 1) % 256; } },
        },
        temporal: { Live: { alwaysEventually: (s) => s.a === 0 } },
        fairness: { weak: ['A'] },
      }),
    });
    const inst = instantiate(big);
    const r = check(inst, { memory: 1_600_000 });
    expect(r.status).toBe('incomplete');
    if (r.status === 'incomplete') expect(r.reason).toBe('memory');
    // The liveness phase alone, under a budget the safety search would meet: still incomplete.
    const live = checkTemporal(inst, inst.temporal!, { memory: 2_000_000 });
    expect(live.status).toBe('incomplete');
    expect(checkTemporal(inst, inst.temporal!).status).toBe('ok');
    expect(check(inst).status).toBe('ok');
  });
});

describe('temporal properties: the spec API', () => {
  const base = (extra: Record<string, unknown>) => defineSpec({
    name: 'Api',
    setup: () => ({
      state: t.record({ x: t.int(0, 1) }),
      init: { x: 0 },
      actions: { Go: { params: [0, 1] as const, next: (s: { x: number }, p: number) => { s.x = p; } }, Stay: { next: () => {} } },
      ...extra,
    }) as never,
  });

  it('names an unknown action in a fairness list', () => {
    expect(() => instantiate(base({ fairness: { weak: ['Goo'] } }))).toThrow(SpecError);
    expect(() => instantiate(base({ fairness: { weak: ['Goo'] } }))).toThrow(/fairness.weak names unknown action 'Goo'; actions: Go, Stay/);
    expect(() => instantiate(base({ fairness: { strong: ['Goo(1)'] } }))).toThrow(/fairness.strong names unknown action 'Goo\(1\)'/);
  });

  it('names an unknown parameter value and lists the known ones', () => {
    expect(() => instantiate(base({ fairness: { weak: ['Go(2)'] } }))).toThrow(/'Go\(2\)', which is no parameter value of action Go; its values: Go\(0\), Go\(1\)/);
  });

  it('resolves Action, Action(p) and Action(*) to choices', () => {
    const inst = instantiate(base({ fairness: { weak: ['Go', 'Stay(*)'], strong: ['Go(1)', 'Go(*)'] } }));
    expect(inst.fairness).toEqual([
      { name: 'Go', kind: 'weak', choices: [0, 1] },
      { name: 'Stay', kind: 'weak', choices: [2] },
      { name: 'Go(1)', kind: 'strong', choices: [1] },
      { name: 'Go(0)', kind: 'strong', choices: [0] },
      { name: 'Go(1)', kind: 'strong', choices: [1] },
    ]);
  });

  it('rejects malformed temporal properties and name clashes', () => {
    expect(() => instantiate(base({ temporal: { T: { leadsTo: [() => true] } } }))).toThrow(/temporal property 'T' must be one of/);
    expect(() => instantiate(base({ temporal: { T: { alwaysEventually: () => true, eventuallyAlways: () => true } } }))).toThrow(/temporal property 'T'/);
    expect(() => instantiate(base({ temporal: { T: () => true } }))).toThrow(/temporal property 'T'/);
    expect(() => instantiate(base({ invariants: { T: () => true }, temporal: { T: { alwaysEventually: () => true } } }))).toThrow(/the name 'T' is used twice/);
    expect(() => instantiate(base({ fairness: { weak: 'Go' } }))).toThrow(/fairness.weak must be a list/);
  });

  it('types the predicates of temporal properties with the state', () => {
    model({
      state: t.record({ n: t.int(0, 3), on: t.bool() }),
      init: { n: 0, on: false },
      actions: { Step: { next: (s) => { s.n = 1; } } },
      temporal: {
        A: { leadsTo: [(s) => { expectTypeOf(s.n).toEqualTypeOf<number>(); return s.on; }, (s) => s.n === 3] },
        B: { alwaysEventually: (s) => { expectTypeOf(s.on).toEqualTypeOf<boolean>(); return s.on; } },
      },
      fairness: { weak: ['Step'] },
    });
  });
});

describe('temporal properties: CLI and reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'migcheck-liveness-'));
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, errIsTTY: false, colorLevel: 0, cwd: process.cwd() });
    return { code, out, err };
  };

  it('exits 13 for a liveness violation and marks the loop in the text report', async () => {
    const r = await run('check', 'specs/examples/lock-fairness.spec.ts', '--const', 'FAIRNESS=weak');
    expect(r.code).toBe(13);
    expect(r.out).toContain('Temporal property Process0GetsLock is violated');
    expect(r.out).toContain('a lasso: a cycle from state 1');
    expect(r.out).toContain('back to state 1');
  });

  it('says so when the behaviour stutters for ever', async () => {
    const r = await run('check', 'specs/examples/peterson.spec.ts', '--const', 'FAIR=false');
    expect(r.code).toBe(13);
    expect(r.out).toContain('stutters in state 2 for ever');
  });

  it('exits 0 when the temporal properties hold', async () => {
    expect((await run('check', 'specs/examples/peterson.spec.ts')).code).toBe(0);
  });

  it('writes the lasso to ITF with loop and without the repeated state, and to JSON with violation.loop', async () => {
    const itfFile = join(dir, 'lasso.itf.json');
    const r = await run('check', 'specs/examples/lock-fairness.spec.ts', '--const', 'FAIRNESS=weak', '--format', 'itf', '--out', itfFile);
    expect(r.code).toBe(13);
    const { readFileSync } = await import('node:fs');
    const itf = JSON.parse(readFileSync(itfFile, 'utf8'));
    expect(itf.loop).toBe(1);
    expect(itf.states).toHaveLength(4);
    const json = JSON.parse((await run('check', 'specs/examples/lock-fairness.spec.ts', '--const', 'FAIRNESS=weak', '--format', 'json')).out);
    expect(json.violation).toMatchObject({ kind: 'liveness', name: 'Process0GetsLock', loop: 1 });
    expect(json.trace).toHaveLength(5);
  });

  it('exits 75 and names the property when a temporal predicate throws', async () => {
    const file = join(dir, 'throws.spec.ts');
    writeFileSync(file, `import { defineSpec, model, t } from ${JSON.stringify(join(process.cwd(), 'checker/index.ts'))};
export default defineSpec({ name: 'Throws', setup: () => model({
  state: t.record({ x: t.int(0, 1) }), init: { x: 0 },
  actions: { Flip: { next: (s) => { s.x = 1 - s.x; } } },
  temporal: { Fragile: { alwaysEventually: (s) => { if (s.x === 1) throw new Error('cannot judge x = 1'); return true; } } },
}) });
`);
    const r = await run('check', file, '--no-color');
    expect(r.code).toBe(75);
    expect(r.out).toContain('Temporal property Fragile threw');
    expect(r.out).toContain('cannot judge x = 1');
  });

  it('selects one temporal property with --invariant', async () => {
    const file = join(dir, 'sel.spec.ts');
    writeFileSync(file, `import { defineSpec, model, t } from ${JSON.stringify(join(process.cwd(), 'checker/index.ts'))};
export default defineSpec({ name: 'Sel', setup: () => model({
  state: t.record({ x: t.int(0, 1) }), init: { x: 0 },
  actions: { Flip: { next: (s) => { s.x = 1 - s.x; } } },
  temporal: { Often: { alwaysEventually: (s) => s.x === 1 }, Settles: { eventuallyAlways: (s) => s.x === 1 } },
  fairness: { weak: ['Flip'] },
}) });
`);
    expect((await run('check', file, '--invariant', 'Often')).code).toBe(0);
    const r = await run('check', file, '--invariant', 'Settles');
    expect(r.code).toBe(13);
    expect(r.out).toContain('Settles');
  });
});
