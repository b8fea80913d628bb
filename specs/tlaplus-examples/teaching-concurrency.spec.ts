// Simple, after Simple.tla in the tlaplus Examples (TeachingConcurrency), in PlusCal there:
// the algorithm of Lamport's "Teaching Concurrency". N processes each set x[self] to 1, then
// copy the x of the process before them (mod N) into y[self]. When all have finished, some
// y[i] is 1.
//
// Modelled as the PlusCal translation, with its Terminating disjunct (all done, nothing
// changes), a step TLC counts as generated; migcheck counts it too.
//
// Checked, as Simple.cfg: PCorrect, TypeOK (the schema) and the inductive invariant Inv.
// With N = 5 the Examples manifest records 723 distinct states, 1,842 generated and depth 11.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'Simple',
  doc: 'The algorithm of "Teaching Concurrency": when all are done, some y[i] is 1.',
  constants: {
    N: { default: 5, min: 1, max: 7, doc: 'number of processes (TLC: N = 5)' },
  },
  setup: ({ N }) => {
    const Procs = Array.from({ length: N }, (_, i) => i);
    return model({
      state: t.record({
        x: t.array(t.int(0, 1), N), // x[i]: set to 1 by process i's first step
        y: t.array(t.int(0, 1), N), // y[i]: what process i read of x[(i - 1) % N]
        pc: t.array(t.enum('a', 'b', 'Done'), N), // pc[i]: the label process i is at
      }),
      init: { x: Procs.map(() => 0), y: Procs.map(() => 0), pc: Procs.map(() => 'a' as const) },
      actions: {
        // a: x[self] := 1
        a: { params: Procs, enabled: (s, i) => s.pc[i] === 'a', next: (s, i) => { s.x[i] = 1; s.pc[i] = 'b'; } },
        // b: y[self] := x[(self - 1) % N]
        b: { params: Procs, enabled: (s, i) => s.pc[i] === 'b', next: (s, i) => { s.y[i] = s.x[(i - 1 + N) % N]!; s.pc[i] = 'Done'; } },
        // Terminating: every process is done; nothing changes.
        Terminating: { enabled: (s) => s.pc.every((p) => p === 'Done'), next: () => {} },
      },
      invariants: {
        PCorrect: { check: (s) => !s.pc.every((p) => p === 'Done') || s.y.some((v) => v === 1), doc: 'when all processes are done, some y[i] is 1' },
        Inv: {
          check: (s) => Procs.every((i) => s.pc[i] === 'a' || s.x[i] === 1) && (s.pc.some((p) => p !== 'Done') || s.y.some((v) => v === 1)),
          doc: 'a process past a has x = 1, and PCorrect (the inductive invariant)',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 723,
      generated: 1842,
      depth: 11,
      note: 'TLC on Simple.cfg (N = 5), tlaplus/Examples manifest: 723 distinct, 1,842 generated, depth 11',
    },
  ],
});
