// ReadersWriters, after ReadersWriters.tla and its TLC model MC in the tlaplus Examples
// (ReadersWriters): readers and writers share a resource; many may read at once, one may
// write, never both. Actors queue up (in one FIFO queue) to read or to write, and the head of
// the queue gets access when it may.
//
// Modelled as in the original: `waiting` is a sequence of <<"read" | "write", actor>> pairs
// (a `t.seq`; an actor is queued at most once for each kind, so 2 x NumActors bounds it);
// readers and writers are sets. Stop's `\E actor \in readers \cup writers` ranges over every
// actor, guarded by membership: one successor per member, as TLC generates them.
//
// Checked, as MC.cfg: TypeOK (the schema), Safety and Liveness (for each actor, []<> of each
// of: reading, writing, not reading, not writing), under Fairness: WF of TryRead(actor) and
// TryWrite(actor) for each actor, WF of ReadOrWrite and WF of Stop as a whole. With
// NumActors = 3 the Examples manifest records 21,527 distinct states, 59,674 generated and
// depth 13.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'ReadersWriters',
  doc: 'Readers and writers queue for one resource (MC: three actors).',
  constants: {
    N: { default: 3, min: 1, max: 4, doc: 'NumActors (TLC: n == 3)' },
  },
  setup: ({ N }) => {
    const Actors = Array.from({ length: N }, (_, i) => i + 1);
    const A = t.int(1, N);
    const State = t.record({
      readers: t.set(A), // the actors reading
      writers: t.set(A), // the actors writing
      waiting: t.seq(t.tuple(t.enum('read', 'write'), A), 2 * N), // the queue of requests, oldest first
    });
    type S = Infer<typeof State>;
    const waitingTo = (s: S, kind: 'read' | 'write') => s.waiting.filter(([k]) => k === kind).map(([, a]) => a);
    return model({
      state: State,
      init: { readers: [], writers: [], waiting: [] },
      actions: {
        // TryRead(actor): the actor queues up to read.
        TryRead: {
          params: Actors,
          enabled: (s, a) => !waitingTo(s, 'read').includes(a),
          next: (s, a) => { s.waiting.push(['read', a]); },
          label: (a) => `TryRead(${a})`,
        },
        // TryWrite(actor): the actor queues up to write.
        TryWrite: {
          params: Actors,
          enabled: (s, a) => !waitingTo(s, 'write').includes(a),
          next: (s, a) => { s.waiting.push(['write', a]); },
          label: (a) => `TryWrite(${a})`,
        },
        // ReadOrWrite: the head of the queue starts reading, or writing once nobody reads.
        ReadOrWrite: {
          enabled: (s) => s.waiting.length > 0 && s.writers.length === 0 && (s.waiting[0]![0] === 'read' || s.readers.length === 0),
          next: (s) => {
            const [kind, actor] = s.waiting.shift()!;
            const set = kind === 'read' ? s.readers : s.writers;
            if (!set.includes(actor)) set.push(actor);
          },
        },
        // Stop: an actor that reads or writes stops.
        Stop: {
          params: Actors,
          enabled: (s, a) => s.readers.includes(a) || s.writers.includes(a),
          next: (s, a) => {
            if (s.readers.includes(a)) s.readers = s.readers.filter((x) => x !== a);
            else s.writers = s.writers.filter((x) => x !== a);
          },
          label: (a) => `Stop(${a})`,
        },
      },
      invariants: {
        Safety: { check: (s) => !(s.readers.length > 0 && s.writers.length > 0) && s.writers.length <= 1, doc: 'nobody reads while someone writes, and at most one writes' },
      },
      temporal: Object.fromEntries(
        Actors.flatMap((a) => [
          [`Liveness_reads_${a}`, { alwaysEventually: (s: S) => s.readers.includes(a), doc: `actor ${a} reads again and again` }],
          [`Liveness_writes_${a}`, { alwaysEventually: (s: S) => s.writers.includes(a), doc: `actor ${a} writes again and again` }],
          [`Liveness_stops_reading_${a}`, { alwaysEventually: (s: S) => !s.readers.includes(a), doc: `actor ${a} is not reading, again and again` }],
          [`Liveness_stops_writing_${a}`, { alwaysEventually: (s: S) => !s.writers.includes(a), doc: `actor ${a} is not writing, again and again` }],
        ]),
      ),
      fairness: { weak: ['TryRead(*)', 'TryWrite(*)', 'ReadOrWrite', 'Stop'] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 21527,
      generated: 59674,
      depth: 13,
      note: 'TLC on MC.cfg (NumActors = 3), tlaplus/Examples manifest: 21,527 distinct, 59,674 generated, depth 13',
    },
  ],
});
