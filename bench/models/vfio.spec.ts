// Toy VFIO-style live migration: the twin of ../shared/bench/models/vfio.pml (SPIN) and
// VfioMigration.tla (TLC), with the same state variables and the same actions, so that the
// distinct-state and transition counts of the three tools are equal and their times can be
// compared side by side (bench/run.ts).
//
// Modelled: N device state units with a version counter 0..V each; the device dirties a
// unit (bumps its version, sets its dirty bit) only while RUNNING or PRE_COPY; a user reads
// one dirty unit at a time into a one-slot buffer (cur/buf), clearing its dirty bit, and later
// writes the buffer into the destination copy. Phases RUNNING -> PRE_COPY -> STOP_COPY ->
// STOP; STOP is entered only when nothing is dirty and no read is in flight.
// Left out: everything else about VFIO (this is a benchmark, not the uAPI model in model/).
//
// BUG=1 drops "no read in flight" from Finish, so the last unit read may still sit in the
// buffer when the device stops: DstMatchesSrc is violated, shortest trace 2N+4 states.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'VfioMigration',
  doc: 'Toy live migration (benchmark twin of vfio.pml / VfioMigration.tla).',
  constants: {
    N: { default: 4, min: 1, max: 12, doc: 'device state units' },
    V: { default: 1, min: 1, max: 127, doc: 'largest version of a unit (versions 0..V)' },
    BUG: { default: 0, values: [0, 1], doc: '1: Finish does not wait for the read in flight' },
  },
  setup: ({ N, V, BUG }) => {
    const units = Array.from({ length: N }, (_, i) => i);
    const NONE = N; // cur when no read is in flight
    return model({
      state: t.record({
        phase: t.enum('RUNNING', 'PRE_COPY', 'STOP_COPY', 'STOP'), // the device's migration phase
        src: t.array(t.int(0, V), N), // version of each unit on the source device
        dst: t.array(t.int(0, V), N), // version of each unit copied to the destination
        dirty: t.array(t.bool(), N), // unit changed since it was last read
        cur: t.int(0, N), // unit whose read is in flight, or NONE
        buf: t.int(0, V), // the one-slot read buffer
      }),
      init: {
        phase: 'RUNNING',
        src: units.map(() => 0),
        dst: units.map(() => 0),
        dirty: units.map(() => true),
        cur: NONE,
        buf: 0,
      },
      actions: {
        DevWrite: {
          doc: 'the running device changes unit i',
          params: units,
          enabled: (s) => s.phase === 'RUNNING' || s.phase === 'PRE_COPY',
          next: (s, i) => {
            s.src[i] = (s.src[i] + 1) % (V + 1);
            s.dirty[i] = true;
          },
        },
        ReadUnit: {
          doc: 'the user reads dirty unit i into the buffer',
          params: units,
          enabled: (s, i) => (s.phase === 'PRE_COPY' || s.phase === 'STOP_COPY') && s.cur === NONE && s.dirty[i],
          next: (s, i) => {
            s.cur = i;
            s.buf = s.src[i];
            s.dirty[i] = false;
          },
        },
        WriteDst: {
          doc: 'the user writes the buffer into the destination copy',
          enabled: (s) => s.cur !== NONE,
          next: (s) => {
            s.dst[s.cur] = s.buf;
            s.cur = NONE;
            s.buf = 0;
          },
        },
        StartPreCopy: {
          enabled: (s) => s.phase === 'RUNNING',
          next: (s) => {
            s.phase = 'PRE_COPY';
          },
        },
        StartStopCopy: {
          enabled: (s) => s.phase === 'PRE_COPY',
          next: (s) => {
            s.phase = 'STOP_COPY';
          },
        },
        Finish: {
          doc: 'the device stops once everything was read (and, without BUG, written)',
          enabled: (s) => s.phase === 'STOP_COPY' && (BUG === 1 || s.cur === NONE) && s.dirty.every((d) => !d),
          next: (s) => {
            s.phase = 'STOP';
          },
        },
      },
      invariants: {
        DstMatchesSrc: {
          doc: 'once stopped, the destination holds the source state',
          check: (s) => s.phase !== 'STOP' || s.dst.every((v, i) => v === s.src[i]),
        },
      },
      // SPIN's `end:` label: a stopped device is a valid end state, not a deadlock.
      terminal: (s) => s.phase === 'STOP',
    });
  },
  expect: [
    { constants: { N: 2, V: 1 }, status: 'ok', distinct: 368, generated: 941 },
    { constants: { N: 2, V: 1, BUG: 1 }, status: 'violation', violation: { kind: 'invariant', name: 'DstMatchesSrc' } },
  ],
});
