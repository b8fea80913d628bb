// Peterson, after Peterson.tla in the tlaplus Examples (locks_auxiliary_vars): Peterson's
// mutual-exclusion algorithm for two processes, in PlusCal there, modelled as its
// translation (one action per label, for each process). A process raises its flag c[self]
// (a1), gives the turn away (a2), waits until the other's flag is down or the turn is its
// own (a3), runs its critical section (cs) and lowers its flag (a4).
//
// Peterson.cfg checks TypeOK (here the schema), Inv, and the property LSpec: that Peterson
// refines the abstract Lock of lock.spec.ts under the mapping pc_translation (a0 -> l0,
// a1..a3 -> l1, cs -> cs, a4 -> l2) and lock_translation (0 while some process is in cs or
// a4). LSpec == L!Init /\ [][L!Next]_L!vars is checked as migcheck checks such formulas:
// L!Init on the initial state (an invariant that only the initial state can break is not
// available, so RefinesLockInit is stated on every state whose pcs are all a0), and
// [][L!Next]_L!vars as an action property on every step (RefinesLock).
//
// The Examples manifest records 42 distinct states, 77 generated and depth 11.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';
import { lockStep, type LockState } from './lock.spec.js';

const ProcSet = [1, 2] as const;
type Proc = (typeof ProcSet)[number];
const Pc = ['a0', 'a1', 'a2', 'a3', 'cs', 'a4'] as const;
type Pc = (typeof Pc)[number];
const State = t.record({
  pc: t.fn(t.int(1, 2), t.enum(Pc)), // pc[p]: the label process p is at
  c: t.fn(t.int(1, 2), t.bool()), // c[p]: process p wants the critical section
  turn: t.int(1, 2), // which process has priority
});
type S = Infer<typeof State>;
const Other = (p: Proc): Proc => (p === 1 ? 2 : 1);

// The refinement mapping of Peterson.tla: L == INSTANCE Lock WITH pc <- ..., lock <- ...
const pcTranslation = (label: Pc): LockState['pc'][1] => (label === 'a0' ? 'l0' : label === 'cs' ? 'cs' : label === 'a4' ? 'l2' : 'l1');
const asLock = (s: S): LockState => ({
  pc: { 1: pcTranslation(s.pc[1]), 2: pcTranslation(s.pc[2]) },
  lock: ProcSet.some((p) => s.pc[p] === 'cs' || s.pc[p] === 'a4') ? 0 : 1,
});

export default defineSpec({
  name: 'Peterson',
  doc: "Peterson's algorithm for two processes, refining an abstract lock.",
  constants: {},
  setup: () =>
    model({
      state: State,
      init: { pc: { 1: 'a0', 2: 'a0' }, c: { 1: false, 2: false }, turn: 1 },
      actions: {
        a0: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'a0', next: (s, p) => { s.pc[p] = 'a1'; } },
        a1: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'a1', next: (s, p) => { s.c[p] = true; s.pc[p] = 'a2'; } },
        a2: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'a2', next: (s, p) => { s.turn = Other(p); s.pc[p] = 'a3'; } },
        a3: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'a3' && (!s.c[Other(p)] || s.turn === p), next: (s, p) => { s.pc[p] = 'cs'; } },
        cs: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'cs', next: (s, p) => { s.pc[p] = 'a4'; } },
        a4: { params: ProcSet, enabled: (s, p) => s.pc[p] === 'a4', next: (s, p) => { s.c[p] = false; s.pc[p] = 'a0'; } },
      },
      invariants: {
        // Inv, conjunct by conjunct.
        FlagMeansTrying: { check: (s) => ProcSet.every((p) => s.c[p] === ['a2', 'a3', 'cs', 'a4'].includes(s.pc[p])), doc: 'c[p] is up exactly while p is between a1 and a4' },
        HolderHasTurn: {
          check: (s) => ProcSet.every((p) => !['cs', 'a4'].includes(s.pc[p]) || s.turn === p || ['a0', 'a1', 'a2'].includes(s.pc[Other(p)])),
          doc: 'a process in its critical section has the turn, or the other has not yet given it away',
        },
        MutualExclusion: { check: (s) => !ProcSet.every((p) => ['cs', 'a4'].includes(s.pc[p])), doc: 'the two processes are never both in the critical section' },
        RefinesLockInit: { check: (s) => !(s.pc[1] === 'a0' && s.pc[2] === 'a0') || asLock(s).lock === 1, doc: 'L!Init: with both processes at a0, the mapped lock is free' },
      },
      properties: {
        // [][L!Next]_L!vars
        RefinesLock: {
          check: (b, a) => {
            const lb = asLock(b), la = asLock(a);
            const same = lb.lock === la.lock && lb.pc[1] === la.pc[1] && lb.pc[2] === la.pc[2];
            return same || lockStep(lb, la);
          },
          doc: 'every step is a step of the abstract Lock, or leaves the mapped lock unchanged',
        },
      },
    }),
  expect: [
    {
      status: 'ok',
      distinct: 42,
      generated: 77,
      depth: 11,
      note: 'TLC on Peterson.cfg, tlaplus/Examples manifest: 42 distinct, 77 generated, depth 11',
    },
  ],
});
