// K independent counters in 0..M: the twin of ../shared/bench/models/counters.pml (SPIN)
// and Counters.tla (TLC). Each step increments one counter below M or decrements one above
// 0. Distinct states (M+1)^K, transitions 2*K*M*(M+1)^(K-1); no invariant beyond TypeOK
// (the TLA+ Inv, c[i] <= M, is what TypeOK already checks). DEEP > 0 plants a bug deep in
// the search: the invariant SumBelowDeep claims that the counters never sum to DEEP, so the
// shortest counterexample has DEEP steps and the search reaches depth DEEP + 1 first (the
// disk-spill tests use it; DEEP = 0, the benchmark, has no invariant).

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'Counters',
  doc: 'K counters in 0..M (benchmark twin of counters.pml / Counters.tla).',
  constants: {
    K: { default: 4, min: 1, max: 12, doc: 'number of counters' },
    M: { default: 9, min: 1, max: 255, doc: 'largest counter value' },
    DEEP: { default: 0, min: 0, max: 12 * 255, doc: 'when > 0, a planted bug: the invariant SumBelowDeep says the counters never sum to DEEP' },
  },
  setup: ({ K, M, DEEP }) => {
    const idx = Array.from({ length: K }, (_, i) => i);
    return model({
      state: t.record({
        c: t.array(t.int(0, M), K), // the counters
      }),
      init: { c: idx.map(() => 0) },
      actions: {
        Inc: { params: idx, enabled: (s, i) => s.c[i] < M, next: (s, i) => { s.c[i]++; } },
        Dec: { params: idx, enabled: (s, i) => s.c[i] > 0, next: (s, i) => { s.c[i]--; } },
      },
      // Every state has a successor (M >= 1), so deadlock detection stays on as in TLC.
      invariants:
        DEEP > 0
          ? { SumBelowDeep: { doc: 'the counters never sum to DEEP (false when DEEP <= K * M: a planted bug)', check: (s) => s.c.reduce((a, b) => a + b, 0) !== DEEP } }
          : {},
    });
  },
  expect: [
    { constants: { K: 3, M: 3 }, status: 'ok', distinct: 64, generated: 289 },
    { constants: { K: 3, M: 3, DEEP: 7 }, status: 'violation', violation: { kind: 'invariant', name: 'SumBelowDeep' } },
  ],
});
