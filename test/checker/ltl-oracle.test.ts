// The bounded lasso oracle of ltl-oracle.ts, tried on the engine that exists: for random
// small specs with a legacy temporal property (as a formula through fromTemporal) and random
// fairness, whenever the oracle finds a fair counterexample the engine must report a
// liveness violation, and whenever the engine says `ok` the oracle must find none. This
// pins the oracle (and the legacy translation) before phase 2 uses it on the product.

import { describe, it, expect } from 'vitest';
import { check, defineSpec, instantiate, model, t, type Fairness, type Temporal } from '../../checker/index.js';
import { fromTemporal, show } from '../../checker/ltl.js';
import { exploreGraph, findCounterexample, legacyConditions } from './ltl-oracle.js';
import { rng } from './ltl-lasso.js';

type St = { x: number };

function randomSpec(r: () => number) {
  const n = 2 + Math.floor(r() * 4); // 2..5 states
  const density = 0.2 + r() * 0.3;
  const table = Array.from({ length: 2 }, () => Array.from({ length: n }, () => Array.from({ length: 2 }, () => (r() < density ? Math.floor(r() * n) : -1))));
  const action = (a: number) => ({
    params: [0, 1],
    enabled: (s: St, j: number) => table[a][s.x][j] >= 0,
    next: (s: St, j: number) => { s.x = table[a][s.x][j]; },
  });
  const pv = Array.from({ length: n }, () => r() < 0.5), qv = Array.from({ length: n }, () => r() < 0.4);
  const P = (s: St) => pv[s.x], Q = (s: St) => qv[s.x];
  const kind = Math.floor(r() * 3);
  const prop: Temporal<St> = kind === 0 ? { leadsTo: [P, Q] } : kind === 1 ? { alwaysEventually: P } : { eventuallyAlways: P };
  const fairness: { weak: string[]; strong: string[] } = { weak: [], strong: [] };
  for (const name of ['A0', 'A1', 'A0(0)', 'A1(*)']) {
    const x = r();
    if (x < 0.25) fairness.weak.push(name);
    else if (x < 0.5) fairness.strong.push(name);
  }
  const spec = defineSpec({
    name: 'RandomLtl',
    setup: () => model({
      state: t.record({ x: t.int(0, n - 1) }),
      init: { x: 0 },
      actions: { A0: action(0), A1: action(1) },
      temporal: { Prop: prop },
      fairness: fairness as Fairness,
    }),
  });
  return { spec, prop, fairness };
}

describe('the bounded lasso oracle', () => {
  it('agrees with the engine on random specs with legacy properties (1000 specs, lassos up to 6 steps)', () => {
    const seed = 4242;
    const r = rng(seed);
    let found = 0, engineOk = 0;
    for (let k = 0; k < 1000; k++) {
      const { spec, prop, fairness } = randomSpec(r);
      const inst = instantiate(spec);
      const g = exploreGraph(inst);
      const f = fromTemporal(prop);
      const cex = findCounterexample(g, f, legacyConditions(inst, g), 6);
      const res = check(inst, { deadlock: false });
      const what = `seed ${seed}, spec #${k}: ${show(f)} under ${JSON.stringify(fairness)}`;
      if (cex) {
        found++;
        expect(res.status, `${what}: the oracle found ${JSON.stringify(cex)}`).toBe('violation');
        if (res.status === 'violation') expect(res.violation.kind).toBe('liveness');
      }
      if (res.status === 'ok') {
        engineOk++;
        expect(cex, `${what}: the engine says ok`).toBeUndefined();
      }
    }
    // Both verdicts occur often, so neither direction is vacuous.
    expect(found).toBeGreaterThan(200);
    expect(engineOk).toBeGreaterThan(100);
  });
});
