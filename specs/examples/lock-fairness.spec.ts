// Two processes share a lock: the textbook case where weak fairness is not enough and
// strong fairness is.
//
// A waiting process can take the lock only while it is free. When the other process keeps
// taking and releasing the lock, the waiting process's Acquire is enabled again and again
// but never continuously, so weak fairness allows it to wait for ever. Strong fairness of
// each process's Acquire (enabled infinitely often => taken infinitely often) rules that
// out. Strong fairness of Acquire as one action (over both processes) does not: the other
// process's Acquire is taken infinitely often, which satisfies it.

import { defineSpec, model, t } from '../../checker/index.js';

const PROCS = [0, 1] as const;

const FAIRNESS = {
  none: {},
  weak: { weak: ['Acquire(*)', 'Release(*)'] },
  'strong-action': { weak: ['Release(*)'], strong: ['Acquire'] },
  strong: { weak: ['Release(*)'], strong: ['Acquire(*)'] },
} as const;

export default defineSpec({
  name: 'LockFairness',
  doc: 'A shared lock: a waiting process gets it under strong fairness per process, not under weak fairness.',
  constants: {
    FAIRNESS: { default: 'strong', values: ['none', 'weak', 'strong-action', 'strong'], doc: 'which fairness the processes have' },
  },
  setup: ({ FAIRNESS: F }) => model({
    state: t.record({
      pc: t.array(t.enum(['idle', 'waiting', 'cs']), 2), // where each process is
      locked: t.bool(), // the lock is held
    }),
    init: { pc: ['idle', 'idle'], locked: false },
    actions: {
      /** Starts waiting for the lock (a process may also stay idle for ever). */
      Request: { params: PROCS, enabled: (s, i) => s.pc[i] === 'idle', next: (s, i) => { s.pc[i] = 'waiting'; } },
      /** Takes the lock if it is free. */
      Acquire: { params: PROCS, enabled: (s, i) => s.pc[i] === 'waiting' && !s.locked, next: (s, i) => { s.pc[i] = 'cs'; s.locked = true; } },
      /** Gives the lock back. */
      Release: { params: PROCS, enabled: (s, i) => s.pc[i] === 'cs', next: (s, i) => { s.pc[i] = 'idle'; s.locked = false; } },
    },
    invariants: {
      LockHeldInCs: { check: (s) => s.locked === (s.pc[0] === 'cs' || s.pc[1] === 'cs'), doc: 'the lock is held exactly when a process is in its critical section' },
    },
    temporal: {
      LockReleased: { alwaysEventually: (s) => !s.locked, doc: 'the lock is free infinitely often' },
      Process0GetsLock: { leadsTo: [(s) => s.pc[0] === 'waiting', (s) => s.pc[0] === 'cs'], doc: 'process 0, once waiting, eventually holds the lock' },
    },
    fairness: FAIRNESS[F as keyof typeof FAIRNESS],
  }),
  expect: [
    { status: 'ok', distinct: 8, depth: 4, note: 'strong fairness per process' },
    {
      constants: { FAIRNESS: 'strong-action' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Process0GetsLock' },
      trace: ['Init', 'Request(0)', 'Request(1)', 'Acquire(1)', 'Release(1)'],
      note: 'strong fairness of Acquire as a whole is met by process 1 alone',
    },
    {
      constants: { FAIRNESS: 'weak' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Process0GetsLock' },
      trace: ['Init', 'Request(0)', 'Request(1)', 'Acquire(1)', 'Release(1)'],
      note: 'weak fairness: process 0\'s Acquire is enabled infinitely often but never continuously',
    },
    {
      constants: { FAIRNESS: 'none' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'LockReleased' },
      trace: ['Init', 'Request(0)', 'Acquire(0)'],
      note: 'without fairness a process may keep the lock for ever',
    },
  ],
});
