// Differential test of the liveness checker against a brute-force oracle on small random
// specs. The oracle uses the characterisation of fair behaviours of a finite graph by the
// set S of states they visit infinitely often: S is such a set iff it is strongly connected
// (a single state always is, by stuttering) and, with every edge inside S taken, every
// condition is met: WF A taken inside S or disabled somewhere in S; SF A taken inside S or
// disabled everywhere in S. It enumerates every subset S of the reachable states, so it
// shares nothing with the SCC decomposition and refinement under test. Each counterexample
// the checker returns is also validated step by step by lassoProblems.

import { describe, it, expect } from 'vitest';
import { check, defineSpec, instantiate, model, t, type Fairness } from '../../checker/index.js';
import { lassoProblems } from './liveness-lasso.js';
import { rng } from '../helpers/random.js';

type Kind = 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';

interface Case {
  n: number;
  /** table[a][x][j]: successor of state x under action a with parameter j, or -1 (disabled). */
  table: number[][][];
  fairness: { weak: string[]; strong: string[] };
  kind: Kind;
  p: boolean[];
  q: boolean[];
}

const ACTIONS = 3;
const PARAMS = 2;

function randomCase(r: () => number): Case {
  const n = 2 + Math.floor(r() * 6); // 2..7 states
  const density = 0.15 + r() * 0.35;
  const table = Array.from({ length: ACTIONS }, () =>
    Array.from({ length: n }, () => Array.from({ length: PARAMS }, () => (r() < density ? Math.floor(r() * n) : -1))));
  const names = ['A0', 'A1', 'A2', 'A0(0)', 'A1(1)', 'A2(*)', 'A0(*)'];
  const fairness = { weak: [] as string[], strong: [] as string[] };
  for (const nm of names) {
    const x = r();
    if (x < 0.2) fairness.weak.push(nm);
    else if (x < 0.35) fairness.strong.push(nm);
  }
  const kinds: Kind[] = ['leadsTo', 'alwaysEventually', 'eventuallyAlways'];
  const kind = kinds[Math.floor(r() * 3)];
  const p = Array.from({ length: n }, () => r() < 0.5);
  const q = Array.from({ length: n }, () => r() < 0.4);
  return { n, table, fairness, kind, p, q };
}

function specOf(c: Case) {
  const params = Array.from({ length: PARAMS }, (_, j) => j);
  const action = (a: number) => ({
    params,
    enabled: (s: { x: number }, j: number) => c.table[a][s.x][j] >= 0,
    next: (s: { x: number }, j: number) => { s.x = c.table[a][s.x][j]; },
  });
  const P = (s: { x: number }) => c.p[s.x];
  const Q = (s: { x: number }) => c.q[s.x];
  const temporal =
    c.kind === 'leadsTo' ? { Prop: { leadsTo: [P, Q] as const } }
      : c.kind === 'alwaysEventually' ? { Prop: { alwaysEventually: P } }
        : { Prop: { eventuallyAlways: P } };
  return defineSpec({
    name: 'Random',
    setup: () => model({
      state: t.record({ x: t.int(0, c.n - 1) }),
      init: { x: 0 },
      actions: { A0: action(0), A1: action(1), A2: action(2) },
      temporal,
      fairness: c.fairness as Fairness,
    }),
  });
}

/** Brute force: is there a fair behaviour violating the property? */
function oracle(c: Case): boolean {
  // Edges that change the state, as (from, action, param, to).
  const edges: [number, number, number, number][] = [];
  for (let a = 0; a < ACTIONS; a++)
    for (let x = 0; x < c.n; x++)
      for (let j = 0; j < PARAMS; j++) {
        const y = c.table[a][x][j];
        if (y >= 0 && y !== x) edges.push([x, a, j, y]);
      }
  const reach = new Set([0]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [x, , , y] of edges) if (reach.has(x) && !reach.has(y)) { reach.add(y); grew = true; }
  }
  // Fairness conditions as predicates on (action, param).
  const conds: { strong: boolean; has: (a: number, j: number) => boolean }[] = [];
  const parse = (name: string, strong: boolean) => {
    const m = /^A(\d)(?:\((\*|\d)\))?$/.exec(name)!;
    const a = Number(m[1]);
    if (m[2] === '*') for (let j = 0; j < PARAMS; j++) conds.push({ strong, has: (b, k) => b === a && k === j });
    else if (m[2] !== undefined) conds.push({ strong, has: (b, k) => b === a && k === Number(m[2]) });
    else conds.push({ strong, has: (b) => b === a });
  };
  c.fairness.weak.forEach((f) => parse(f, false));
  c.fairness.strong.forEach((f) => parse(f, true));
  const enabledAt = (x: number, k: number) => edges.some(([u, a, j]) => u === x && conds[k].has(a, j));

  const states = [...reach];
  const fairSets: number[][] = [];
  for (let mask = 1; mask < 1 << states.length; mask++) {
    const S = states.filter((_, i) => mask & (1 << i));
    const inS = (v: number) => S.includes(v);
    const inner = edges.filter(([x, , , y]) => inS(x) && inS(y));
    // Strongly connected: every state reaches every other inside S.
    const reachFrom = (s: number) => {
      const seen = new Set([s]);
      for (let grew = true; grew;) {
        grew = false;
        for (const [x, , , y] of inner) if (seen.has(x) && !seen.has(y)) { seen.add(y); grew = true; }
      }
      return seen;
    };
    if (!S.every((s) => reachFrom(s).size === S.length)) continue;
    const fair = conds.every((cond, k) => {
      if (inner.some(([, a, j]) => cond.has(a, j))) return true;
      return cond.strong ? S.every((x) => !enabledAt(x, k)) : S.some((x) => !enabledAt(x, k));
    });
    if (fair) fairSets.push(S);
  }
  switch (c.kind) {
    case 'eventuallyAlways':
      return fairSets.some((S) => S.some((x) => !c.p[x]));
    case 'alwaysEventually':
    case 'leadsTo': {
      const avoid = c.kind === 'leadsTo' ? c.q : c.p;
      const targets = fairSets.filter((S) => S.every((x) => !avoid[x]));
      const starts = states.filter((x) => !avoid[x] && (c.kind === 'alwaysEventually' || c.p[x]));
      // From a start, through states avoiding `avoid`, into a fair set avoiding it.
      return starts.some((s) => {
        const seen = new Set([s]);
        for (let grew = true; grew;) {
          grew = false;
          for (const [x, , , y] of edges) if (seen.has(x) && !seen.has(y) && !avoid[y]) { seen.add(y); grew = true; }
        }
        return targets.some((S) => S.some((x) => seen.has(x)));
      });
    }
  }
}

describe('liveness against a brute-force oracle on random small specs', () => {
  const CASES = 400;
  it(`agrees on ${CASES} random graphs, fairness conditions and properties, and every lasso is valid`, () => {
    const r = rng(20261127);
    let violated = 0;
    let withStrong = 0;
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(r);
      const inst = instantiate(specOf(c));
      const res = check(inst, { deadlock: false });
      const want = oracle(c);
      const where = `case ${i}: ${JSON.stringify(c)}`;
      expect(res.status, where).toBe(want ? 'violation' : 'ok');
      if (res.status === 'violation') {
        violated++;
        if (c.fairness.strong.length) withStrong++;
        expect(res.violation.kind, where).toBe('liveness');
        expect(lassoProblems(inst, res.violation), where).toEqual([]);
      }
    }
    // The sample exercises both verdicts, and strong fairness among the violations.
    expect(violated).toBeGreaterThan(CASES / 5);
    expect(violated).toBeLessThan(CASES - CASES / 5);
    expect(withStrong).toBeGreaterThan(10);
  });
});
