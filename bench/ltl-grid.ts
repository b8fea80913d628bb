// The 3-counter grid of docs/decisions/liveness.md ("Costs"), with its three properties
// written as legacy forms (graph check) and as LTL formulas (product check), plus nested
// and action-level formulas. Usage: npx tsx bench/ltl-grid.ts [legacy|formula|nested] [N]
import { check, defineSpec, instantiate, model, t, always, eventually, leadsTo, angle, implies, pred, wf, sf, action } from '../checker/index.js';

const mode = process.argv[2] ?? 'legacy';
const N = Number(process.argv[3] ?? 128);
type G = { a: number; b: number; c: number };
const a0 = (s: G) => s.a === 0, b1 = (s: G) => s.b === 1, b2 = (s: G) => s.b === 2, cLow = (s: G) => s.c < N;
const temporal =
  mode === 'legacy' ? { P1: { alwaysEventually: a0 }, P2: { leadsTo: [b1, b2] as const }, P3: { eventuallyAlways: cLow } }
  : mode === 'formula' ? { P1: always(eventually(a0)), P2: leadsTo(b1, b2), P3: eventually(always(cLow)) }
  : { P1: always(eventually(angle<G>('A'))), P2: always(implies(pred<G>('b = 1', b1), eventually(always(pred<G>('c < N', cLow))))), P3: leadsTo(b1, angle<G>('B')) };
const fairness = mode === 'legacy' ? { weak: ['A', 'B'], strong: ['C(*)'] } : [wf<G>('A'), wf<G>('B'), sf<G>(action('C'), { perValue: true })];
const spec = defineSpec({
  name: 'Grid',
  setup: () => model({
    state: t.record({ a: t.int(0, N - 1), b: t.int(0, N - 1), c: t.int(0, N - 1) }),
    init: { a: 0, b: 0, c: 0 },
    actions: {
      A: { next: (s) => { s.a = (s.a + 1) % N; } },
      B: { next: (s) => { s.b = (s.b + 1) % N; } },
      C: { params: [false, true], next: (s, p) => { s.c = p ? 0 : (s.c + 1) % N; } },
    },
    temporal: temporal as never,
    fairness: fairness as never,
  }),
});
const inst = instantiate(spec);
const t0 = performance.now();
const safety = check(inst, { temporal: false });
const t1 = performance.now();
const all = check(inst);
const t2 = performance.now();
console.log(JSON.stringify({ mode, N, safety: safety.status, status: all.status, ...(all.status === 'violation' ? { name: all.violation.name, trace: all.violation.trace.length } : {}), safetySeconds: +((t1 - t0) / 1000).toFixed(2), totalSeconds: +((t2 - t1) / 1000).toFixed(2), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20), distinct: all.stats.distinct }));
