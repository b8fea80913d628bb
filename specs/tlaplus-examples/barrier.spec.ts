// Barrier, after Barrier.tla in the tlaplus Examples (barriers): N processes meet at a barrier.
// Each process enters it (b0 -> b1); once all are in, they all leave together (b1 resets every
// pc to b0).
//
// Checked, as Barrier.cfg: TypeOK (the schema) and BarrierProperty, an action property: no
// process leaves the barrier while another has yet to enter it. With N = 6 the Examples
// manifest records 64 distinct states, 194 generated and depth 7. With BUG the processes
// leave as soon as one is in, and the shortest violation is pinned.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'Barrier',
  doc: 'N processes wait at a barrier until all have arrived.',
  constants: {
    N: { default: 6, min: 1, max: 10, doc: 'number of processes (TLC: N = 6)' },
    BUG: { default: false, doc: 'a planted bug: the processes leave once any one of them is in the barrier' },
  },
  setup: ({ N, BUG }) => {
    const ProcSet = Array.from({ length: N }, (_, i) => i + 1);
    return model({
      state: t.record({
        pc: t.fn(t.int(1, N), t.enum('b0', 'b1')), // pc[p]: b0 before the barrier, b1 in it
      }),
      init: { pc: Object.fromEntries(ProcSet.map((p) => [p, 'b0' as const])) },
      actions: {
        // b0(self): process self enters the barrier.
        b0: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'b0', next: (s, p) => { s.pc[p] = 'b1'; }, label: (p) => `b0(${p})` },
        // b1: all are in; they all leave.
        b1: { enabled: (s) => (BUG ? ProcSet.some((p) => s.pc[p] === 'b1') : ProcSet.every((p) => s.pc[p] === 'b1')), next: (s) => { for (const p of ProcSet) s.pc[p] = 'b0'; } },
      },
      properties: {
        // [][\A p, q : pc[p] = "b0" /\ pc[q] = "b1" => pc'[q] = "b1"]_vars
        BarrierProperty: {
          check: (x, y) => ProcSet.every((p) => ProcSet.every((q) => !(x.pc[p] === 'b0' && x.pc[q] === 'b1') || y.pc[q] === 'b1')),
          doc: 'no process leaves the barrier while another has not entered it',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 64,
      generated: 194,
      depth: 7,
      note: 'TLC on Barrier.cfg (N = 6), tlaplus/Examples manifest: 64 distinct, 194 generated, depth 7',
    },
    {
      constants: { BUG: true },
      status: 'violation',
      violation: { kind: 'action-property', name: 'BarrierProperty' },
      trace: ['Init', 'b0(1)', 'b1'],
      note: 'process 1 leaves while the others have not arrived',
    },
  ],
});
