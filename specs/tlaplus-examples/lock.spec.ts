// Lock, after Lock.tla in the tlaplus Examples (locks_auxiliary_vars): an abstract lock
// shared by two processes, written in PlusCal there. Each process loops through its
// noncritical section (l0), waits for the lock and takes it (l1), runs its critical
// section (cs) and gives the lock back (l2). Modelled as the PlusCal translation: one
// action per label, for each process.
//
// `lockStep` below is Lock's next-state relation as a predicate on two states; the
// Peterson spec of the same folder (peterson.spec.ts) checks that it refines this lock.
//
// The Examples manifest records 12 distinct states, 21 generated and depth 5 (Lock.cfg:
// TypeOK, here the schema, and LockInv).

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export const ProcSet = [1, 2] as const;
export const LockPc = ['l0', 'l1', 'cs', 'l2'] as const;
const LockSchema = t.record({
  pc: t.fn(t.int(1, 2), t.enum(LockPc)), // pc[p]: the label process p is at
  lock: t.int(0, 1), // 1 when the lock is free
});
export type LockState = Infer<typeof LockSchema>;

const lockcs = (s: LockState, i: 1 | 2) => s.pc[i] === 'cs' || s.pc[i] === 'l2';

/** Lock's Next as a relation: some process takes one of its four steps from `a` to `b`. */
export function lockStep(a: LockState, b: LockState): boolean {
  return ProcSet.some((self) => {
    const other = self === 1 ? 2 : 1;
    if (b.pc[other] !== a.pc[other]) return false;
    const to = (pc: string, lock: number) => b.pc[self] === pc && b.lock === lock;
    switch (a.pc[self]) {
      case 'l0': return to('l1', a.lock);
      case 'l1': return a.lock === 1 && to('cs', 0);
      case 'cs': return to('l2', a.lock);
      case 'l2': return to('l0', 1);
    }
  });
}

export default defineSpec({
  name: 'Lock',
  doc: 'An abstract lock shared by two processes.',
  constants: {},
  setup: () => {
    return model({
      state: LockSchema,
      init: { pc: { 1: 'l0', 2: 'l0' }, lock: 1 },
      actions: {
        // l0: leave the noncritical section.
        l0: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'l0', next: (s, p) => { s.pc[p] = 'l1'; } },
        // l1: await lock = 1, then take it.
        l1: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'l1' && s.lock === 1, next: (s, p) => { s.lock = 0; s.pc[p] = 'cs'; } },
        // cs: the critical section.
        cs: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'cs', next: (s, p) => { s.pc[p] = 'l2'; } },
        // l2: give the lock back.
        l2: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'l2', next: (s, p) => { s.lock = 1; s.pc[p] = 'l0'; } },
      },
      invariants: {
        // LockInv, conjunct by conjunct.
        MutualExclusion: { check: (s) => !(lockcs(s, 1) && lockcs(s, 2)), doc: 'the two processes are never both past the lock' },
        HolderHoldsLock: { check: (s) => !ProcSet.some((p) => lockcs(s, p)) || s.lock === 0, doc: 'while a process is past the lock, the lock is taken' },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 12,
      generated: 21,
      depth: 5,
      note: 'TLC on Lock.cfg, tlaplus/Examples manifest: 12 distinct, 21 generated, depth 5',
    },
  ],
});
