// The product check (explore/product.ts) against two references on random small specs:
//  - the graph check of the three legacy forms (liveness.ts): the same property written as
//    a formula must get the same verdict;
//  - the bounded lasso oracle (ltl-oracle.ts) for random nested formulas over state, action
//    and ENABLED atoms under random fairness, choice sets and formulas alike: a fair
//    counterexample found by the oracle means the engine must report a violation, an `ok`
//    from the engine means the oracle finds none, and every counterexample the engine
//    returns must be, judged by the oracle's independent code, a behaviour of the spec
//    that is fair and falsifies the formula.

import { describe, it, expect } from 'vitest';
import { check, defineSpec, instantiate, model, t, type Fairness, type Temporal } from '../../checker/index.js';
import {
  action, always, and, angle, each, enabled, eventually, FALSE, fromTemporal, implies, leadsTo, not, or, pred, sf, show, square, step, TRUE, unchanged, wf,
  type Fair, type Formula,
} from '../../checker/ltl.js';
import { exploreGraph, findCounterexample, judgeLasso, lassoOfViolation, legacyConditions } from './ltl-oracle.js';
import { rng } from './ltl-lasso.js';

type St = { x: number };
type AB = { a: number; b: number };

function randomSystem(r: () => number) {
  const n = 2 + Math.floor(r() * 4); // 2..5 states
  const density = 0.2 + r() * 0.3;
  const table = Array.from({ length: 2 }, () => Array.from({ length: n }, () => Array.from({ length: 2 }, () => (r() < density ? Math.floor(r() * n) : -1))));
  const act = (a: number) => ({
    params: [0, 1],
    enabled: (s: St, j: number) => table[a][s.x][j] >= 0,
    next: (s: St, j: number) => { s.x = table[a][s.x][j]; },
  });
  const pv = Array.from({ length: n }, () => r() < 0.5), qv = Array.from({ length: n }, () => r() < 0.4);
  const P = (s: St) => pv[s.x], Q = (s: St) => qv[s.x];
  return { n, actions: { A0: act(0), A1: act(1) }, P, Q };
}

function specOf(sys: ReturnType<typeof randomSystem>, temporal: Record<string, unknown>, fairness: unknown) {
  return defineSpec({
    name: 'RandomProduct',
    setup: () => model({
      state: t.record({ x: t.int(0, sys.n - 1) }),
      init: { x: 0 },
      actions: sys.actions,
      temporal: temporal as never,
      fairness: fairness as never,
    }),
  });
}

function legacyFairness(r: () => number): Fairness {
  const fairness: { weak: string[]; strong: string[] } = { weak: [], strong: [] };
  for (const name of ['A0', 'A1', 'A0(0)', 'A1(*)']) {
    const x = r();
    if (x < 0.25) fairness.weak.push(name);
    else if (x < 0.5) fairness.strong.push(name);
  }
  return fairness;
}

describe('the product check agrees with the graph check on the legacy forms', () => {
  it('gives the same verdict for p ~> q, []<>p, <>[]p written as formulas (600 random specs)', () => {
    const r = rng(777);
    let violations = 0, oks = 0;
    for (let k = 0; k < 600; k++) {
      const sys = randomSystem(r);
      const kind = Math.floor(r() * 3);
      const prop: Temporal<St> = kind === 0 ? { leadsTo: [sys.P, sys.Q] } : kind === 1 ? { alwaysEventually: sys.P } : { eventuallyAlways: sys.P };
      const fairness = legacyFairness(r);
      const fast = check(instantiate(specOf(sys, { Prop: prop }, fairness)), { deadlock: false });
      const inst = instantiate(specOf(sys, { Prop: { formula: fromTemporal(prop) } }, fairness));
      const slow = check(inst, { deadlock: false });
      const what = `spec #${k}: ${show(fromTemporal(prop))} under ${JSON.stringify(fairness)}`;
      expect(slow.status, what).toBe(fast.status);
      if (slow.status === 'violation') {
        violations++;
        expect(slow.violation.kind, what).toBe('liveness');
        const g = exploreGraph(inst);
        const lasso = lassoOfViolation(inst, g, slow.violation);
        expect(typeof lasso, `${what}: ${String(lasso)}`).toBe('object');
        if (typeof lasso === 'object') expect(judgeLasso(g, fromTemporal(prop), legacyConditions(inst, g), lasso), what).toBe(true);
        // The legacy lasso is no longer than the product's: both are shortest-prefix constructions.
      } else oks++;
    }
    expect(violations).toBeGreaterThan(150);
    expect(oks).toBeGreaterThan(100);
  });
});

/** A random formula over the spec's atoms: state predicates, action atoms, <<A>>_v, [A]_v, ENABLED. */
function randomFormula(r: () => number, sys: ReturnType<typeof randomSystem>, depth: number): Formula<St> {
  const P = pred('P', sys.P), Q = pred('Q', sys.Q);
  const grows = step<St>('Grows', (s, u) => u.x > s.x);
  const parity = (s: St) => s.x % 2;
  const leaves: Formula<St>[] = [
    P, Q, P, Q,
    action('A0') as Formula<St>, action('A1', [1]) as Formula<St>, grows, unchanged<St>(),
    angle<St>('A0'), angle<St>(action('A1', [0]) as Formula<St>, parity), square<St>('A1'),
    enabled<St>(angle<St>('A1')), enabled<St>(and(action('A0', [1]) as Formula<St>, P)), enabled<St>(grows),
  ];
  if (depth === 0 || r() < 0.25) return leaves[Math.floor(r() * leaves.length)];
  const sub = () => randomFormula(r, sys, depth - 1);
  switch (Math.floor(r() * 9)) {
    case 0: return not(sub());
    case 1: return and(sub(), sub());
    case 2: return or(sub(), sub());
    case 3: return implies(sub(), sub());
    case 4: case 5: return always(sub());
    case 6: case 7: return eventually(sub());
    default: return leadsTo(sub(), sub());
  }
}

function randomFair(r: () => number): Fair<St>[] {
  const pool: (() => Fair<St>)[] = [
    () => wf('A0'),
    () => sf('A1'),
    () => wf(action('A1', [1])),
    () => sf(action('A0', (p: number) => p === 0)),
    () => wf('A1', { perValue: true }),
    () => wf(or(action('A0'), action('A1')) as Formula<St>),
    () => sf(step<St>('Grows', (s, u) => u.x > s.x)),
    () => wf('A0', { vars: (s: St) => s.x % 2 }),
    () => sf(and(action('A0') as Formula<St>, pred<St>('P0', (s) => s.x === 0))),
  ];
  return pool.filter(() => r() < 0.2).map((f) => f());
}

describe('the product check against the bounded lasso oracle', () => {
  it('finds every short fair counterexample, and returns only real ones (800 random nested formulas and fairness)', () => {
    const seed = 2026;
    const r = rng(seed);
    let found = 0, engineOk = 0, violations = 0, generalFair = 0, stutterSteps = 0;
    for (let k = 0; k < 800; k++) {
      const sys = randomSystem(r);
      const f = randomFormula(r, sys, 3);
      const fairness = randomFair(r);
      const inst = instantiate(specOf(sys, { Prop: f }, fairness));
      if ((inst.fairness ?? []).some((c) => c.formula)) generalFair++;
      const g = exploreGraph(inst);
      const conds = legacyConditions(inst, g);
      const cex = findCounterexample(g, f, conds, 5);
      const res = check(inst, { deadlock: false });
      const what = `seed ${seed}, spec #${k}: ${show(f)} under ${fairness.map((x) => x.name).join(', ') || 'no fairness'}`;
      if (cex) {
        found++;
        expect(res.status, `${what}: the oracle found ${JSON.stringify(cex)}`).toBe('violation');
      }
      if (res.status === 'ok') {
        engineOk++;
        expect(cex, `${what}: the engine says ok`).toBeUndefined();
      }
      if (res.status === 'violation') {
        violations++;
        expect(res.violation.kind, `${what}: ${res.violation.message}`).toBe('liveness');
        stutterSteps += res.violation.trace.filter((s) => s.action === '(stutter)').length;
        const lasso = lassoOfViolation(inst, g, res.violation);
        expect(typeof lasso, `${what}: ${String(lasso)}`).toBe('object');
        if (typeof lasso === 'object') expect(judgeLasso(g, f, conds, lasso), `${what}: ${JSON.stringify(lasso)}`).toBe(true);
      }
      expect(['ok', 'violation']).toContain(res.status);
    }
    expect(found).toBeGreaterThan(200);
    expect(engineOk).toBeGreaterThan(100);
    expect(violations).toBeGreaterThanOrEqual(found);
    expect(generalFair).toBeGreaterThan(200);
    expect(stutterSteps).toBeGreaterThan(0);
  });

  it('reports ok at once for a formula true on every behaviour, and refuses unknown actions', () => {
    const sys = randomSystem(rng(1));
    const valid = or(always(eventually(pred('P', sys.P))), eventually(always(not(pred('P', sys.P)))));
    expect(check(instantiate(specOf(sys, { Valid: valid, T: TRUE, F2: not(FALSE) }, [])), { deadlock: false }).status).toBe('ok');
    expect(() => instantiate(specOf(sys, { Bad: always(eventually(angle('A2'))) }, []))).toThrow(/temporal property 'Bad': A2 names unknown action 'A2'; actions: A0, A1; did you mean 'A0'\?/);
    expect(() => instantiate(specOf(sys, { Ok: always(TRUE) }, [wf('Send')]))).toThrow(/fairness\[0\] \(WF_vars\(Send\)\) names unknown action 'Send'/);
    expect(() => instantiate(specOf(sys, { Ok: always(TRUE) }, [wf(action('A0', [7]))]))).toThrow(/7 is no parameter value of action A0/);
    expect(() => instantiate(specOf(sys, { L: { formula: TRUE, dco: 'x' } }, []))).toThrow(/unknown key 'dco'.*did you mean 'doc'/);
  });
});

describe('counterexamples with stuttering steps', () => {
  const run = async (...argv: string[]) => {
    const { main } = await import('../../checker/cli/main.js');
    let out = '';
    const code = await main(argv, { out: (s) => (out += s), err: (s) => (out += s), isTTY: false, errIsTTY: false, colorLevel: 0, cwd: process.cwd() });
    return { code, out };
  };

  it('shows a stuttering step inside the cycle for a formula sensitive to stuttering, in every format', async () => {
    const text = await run('check', 'test/checker/fixtures/stutter-mix.spec.ts');
    expect(text.code).toBe(13);
    expect(text.out).toMatch(/SettlesIfIdle \(\[\]<>UNCHANGED vars => <>\[\]UNCHANGED vars\) is violated/);
    expect(text.out).toMatch(/not invariant under stuttering/);
    expect(text.out).toMatch(/\(stutter\)/);
    const json = JSON.parse((await run('check', 'test/checker/fixtures/stutter-mix.spec.ts', '--format', 'json')).out);
    expect(json.violation.loop).toBe(0);
    expect(json.trace.map((x: { action: string }) => x.action)).toEqual(['Init', 'Flip', 'Flip', '(stutter)']);
    const itf = await run('check', 'test/checker/fixtures/stutter-mix.spec.ts', '--format', 'itf');
    expect(itf.code).toBe(13);
  });
});

describe('fairness conditions and failures on the product path', () => {
  const sys = randomSystem(rng(5));
  it('resolves wf/sf of named actions to the same choice sets as the legacy lists', () => {
    const legacy = instantiate(specOf(sys, { T: TRUE }, { weak: ['A0', 'A1(*)'], strong: ['A0(1)'] })).fairness!;
    const fair = instantiate(specOf(sys, { T: TRUE }, [wf('A0'), wf('A1', { perValue: true }), sf(action('A0', [1]))])).fairness!;
    expect(fair.map((f) => [f.kind, f.choices])).toEqual(legacy.map((f) => [f.kind, f.choices]));
    expect(fair.map((f) => f.name)).toEqual(['WF_vars(A0)', 'WF_vars(A1(0))', 'WF_vars(A1(1))', 'SF_vars(A0(p \\in {1}))']);
    const per = instantiate(specOf(sys, { T: TRUE }, each([0, 1], (v) => wf(action('A1', (p: number) => p === v))))).fairness!;
    expect(per.map((f) => f.choices)).toEqual(legacy.slice(1, 3).map((f) => f.choices));
    expect(per.map((f) => f.name)).toEqual(['WF_vars(A1(…)) for 0', 'WF_vars(A1(…)) for 1']);
    const general = instantiate(specOf(sys, { T: TRUE }, [wf(or(action('A0'), action('A1')) as Formula<St>), wf('A0', { vars: (s: St) => s.x })])).fairness!;
    expect(general.map((f) => [f.choices.length, f.formula !== undefined])).toEqual([[0, true], [0, true]]);
  });

  it('reports an exception in an action predicate as an error of the temporal phase, naming the property', () => {
    const boom = step<St>('Boom', () => { throw new Error('boom'); });
    const r = check(instantiate(specOf(sys, { Explodes: always(eventually(boom)) }, [])), { deadlock: false });
    expect(r.status).toBe('error');
    if (r.status === 'error') expect([r.error.phase, r.error.name, r.error.message]).toEqual(['temporal', 'Explodes', expect.stringMatching(/boom/)]);
  });

  it('is incomplete, never ok, when the product does not fit the memory budget', () => {
    const big = defineSpec({
      name: 'Big',
      setup: () => model({
        state: t.record({ a: t.int(0, 63), b: t.int(0, 63) }),
        init: { a: 0, b: 0 },
        actions: { A: { next: (s) => { s.a = (s.a + 1) % 64; } }, B: { next: (s) => { s.b = (s.b + 1) % 64; } } },
        temporal: { P: always(implies((s: AB) => s.a === 1, eventually(always((s: AB) => s.b < 64)))) },
        fairness: [wf('A'), wf('B')],
      }),
    });
    const inst = instantiate(big);
    expect(check(inst).status).toBe('ok');
    expect(check(inst, { memory: 300_000 }).status).toBe('incomplete');
  });
});

describe('fairness options', () => {
  it('refuses an unknown option with a did-you-mean', () => {
    expect(() => wf('A', { vaars: () => 1 } as never)).toThrow(/wf\(A\): unknown key 'vaars'; allowed: vars, perValue, name; did you mean 'vars'\?/);
    expect(() => sf('A', { vars: 3 } as never)).toThrow(/'vars' must be a function/);
  });
});

describe('ENABLED A counts a step to the same state (TLA+: any successor, the state itself included)', () => {
  const doneSpec = (temporal: Record<string, unknown>, fairness: unknown = []) => defineSpec({
    name: 'SelfLoop',
    setup: () => model({
      state: t.record({ x: t.int(0, 1) }),
      init: { x: 0 },
      actions: { Done: { next: () => {} } },
      temporal: temporal as never,
      fairness: fairness as never,
    }),
  });
  const X0 = pred<St>('x = 0', (s) => s.x === 0), X1 = pred<St>('x = 1', (s) => s.x === 1);

  it('holds for []ENABLED Done when Done only leaves the state unchanged', () => {
    const r = check(instantiate(doneSpec({ P: always(enabled<St>('Done')) })), { deadlock: false });
    expect(r.status).toBe('ok');
  });

  it('is violated for []ENABLED <<Done>>_x: the self-loop leaves x unchanged', () => {
    const r = check(instantiate(doneSpec({ P: always(enabled<St>(angle<St>('Done', (s) => s.x))) })), { deadlock: false });
    expect(r.status).toBe('violation');
    if (r.status === 'violation') expect([r.violation.kind, r.violation.name]).toEqual(['liveness', 'P']);
  });

  it('uses the self-loop in the counterexample re-check ([]ENABLED Done => <>(x = 1) fails only if ENABLED Done holds)', () => {
    const inst = instantiate(doneSpec({ P: implies(always(enabled<St>('Done')), eventually(X1)) }));
    const r = check(inst, { deadlock: false });
    expect(r.status).toBe('violation');
    if (r.status === 'violation') {
      expect(r.violation.kind).toBe('liveness');
      const g = exploreGraph(inst);
      const lasso = lassoOfViolation(inst, g, r.violation);
      expect(typeof lasso).toBe('object');
      if (typeof lasso === 'object') expect(judgeLasso(g, implies(always(enabled<St>('Done')), eventually(X1)), legacyConditions(inst, g), lasso)).toBe(true);
    }
  });

  it('counts a step to the same view too (Tick changes only b, which the view leaves out)', () => {
    const viewSpec = (temporal: Record<string, unknown>) => defineSpec({
      name: 'SelfLoopView',
      setup: () => model({
        state: t.record({ a: t.int(0, 1), b: t.int(0, 1) }),
        init: { a: 0, b: 0 },
        view: { state: t.int(0, 1), of: (s: AB) => s.a },
        actions: { Tick: { next: (s: AB) => { s.b = 1 - s.b; } } },
        temporal: temporal as never,
      }),
    });
    expect(check(instantiate(viewSpec({ P: always(enabled<AB>('Tick')) })), { deadlock: false }).status).toBe('ok');
    expect(check(instantiate(viewSpec({ P: always(enabled<AB>(angle<AB>('Tick', (s) => s.a))) })), { deadlock: false }).status).toBe('violation');
  });

  it('does not count the self-loop for fairness: WF(Done) and SF(Done) do not rule out stuttering', () => {
    for (const fair of [wf('Done'), sf('Done')]) {
      const r = check(instantiate(doneSpec({ P: eventually(not(X0)) }, [fair])), { deadlock: false });
      expect(r.status).toBe('violation');
    }
  });
});
