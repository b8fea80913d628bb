// Peterson's mutual exclusion for two processes, with its liveness property: a process that
// wants to enter its critical section eventually does (starvation freedom).
//
// Each process loops: noncritical section (idle), raise its flag, give the turn to the
// other, wait until the other's flag is down or the turn is its own, critical section, lower
// its flag. A process may stay in its noncritical section for ever, so RequestEntry is not
// fair; the other steps are weakly fair per process (PlusCal's `\A self: WF_vars(proc(self))`).
//
// Starvation freedom needs that fairness: without it a behaviour may stop (stutter) while a
// process waits. The strict-alternation variant (wait for the turn only) keeps mutual
// exclusion but starves a process whose peer stays idle, fairness or not.

import { defineSpec, model, t } from '../../checker/index.js';

const PROCS = [0, 1] as const;

export default defineSpec({
  name: 'Peterson',
  doc: "Peterson's two-process mutual exclusion: mutual exclusion and starvation freedom under weak fairness.",
  constants: {
    FAIR: { default: true, doc: 'assume weak fairness of each process\'s steps after it asks to enter' },
    ALGORITHM: { default: 'peterson', values: ['peterson', 'alternation'], doc: "'alternation' waits for the turn only" },
  },
  setup: ({ FAIR, ALGORITHM }) => model({
    state: t.record({
      pc: t.array(t.enum(['idle', 'set-turn', 'wait', 'cs']), 2), // where each process is
      flag: t.array(t.bool(), 2), // process i wants to enter
      turn: t.int(0, 1), // who yields when both want in
    }),
    init: { pc: ['idle', 'idle'], flag: [false, false], turn: 0 },
    actions: {
      /** Leaves the noncritical section and raises its flag. */
      RequestEntry: { params: PROCS, enabled: (s, i) => s.pc[i] === 'idle', next: (s, i) => { s.flag[i] = true; s.pc[i] = 'set-turn'; } },
      /** Gives the turn to the other process. */
      GiveWay: { params: PROCS, enabled: (s, i) => s.pc[i] === 'set-turn', next: (s, i) => { s.turn = 1 - i; s.pc[i] = 'wait'; } },
      /** Enters once the other does not want in or it is its turn. */
      Enter: {
        params: PROCS,
        enabled: (s, i) => s.pc[i] === 'wait' && (ALGORITHM === 'alternation' ? s.turn === i : !s.flag[1 - i] || s.turn === i),
        next: (s, i) => { s.pc[i] = 'cs'; },
      },
      /** Leaves the critical section and lowers its flag. */
      Leave: { params: PROCS, enabled: (s, i) => s.pc[i] === 'cs', next: (s, i) => { s.flag[i] = false; s.pc[i] = 'idle'; } },
    },
    invariants: {
      MutualExclusion: { check: (s) => !(s.pc[0] === 'cs' && s.pc[1] === 'cs'), doc: 'never both processes in the critical section' },
    },
    temporal: {
      Process0Enters: { leadsTo: [(s) => s.pc[0] === 'wait', (s) => s.pc[0] === 'cs'], doc: 'process 0, once waiting, eventually enters' },
      Process1Enters: { leadsTo: [(s) => s.pc[1] === 'wait', (s) => s.pc[1] === 'cs'], doc: 'process 1, once waiting, eventually enters' },
    },
    fairness: FAIR ? { weak: ['GiveWay(*)', 'Enter(*)', 'Leave(*)'] } : {},
  }),
  expect: [
    { status: 'ok', distinct: 20, depth: 7, note: 'mutual exclusion and starvation freedom hold under weak fairness per process' },
    {
      constants: { FAIR: false },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Process0Enters' },
      trace: ['Init', 'RequestEntry(0)', 'GiveWay(0)'],
      note: 'without fairness, process 0 may wait for ever: the behaviour stutters in the waiting state',
    },
    {
      constants: { ALGORITHM: 'alternation' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Process0Enters' },
      trace: ['Init', 'RequestEntry(0)', 'GiveWay(0)'],
      note: 'strict alternation starves process 0 while process 1 stays idle, even under fairness',
    },
  ],
});
