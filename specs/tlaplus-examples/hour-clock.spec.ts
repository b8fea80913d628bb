// HourClock, after HourClock.tla in the tlaplus Examples (SpecifyingSystems/HourClock), the
// first spec of chapter 2 of Lamport's "Specifying Systems": a clock that shows only the hour.
// The hour starts anywhere in 1..12 and each step advances it by one, from 12 back to 1.
//
// HourClock.cfg checks that HCini (hr \in 1..12) is an invariant; here that is the schema
// (TypeOK), and HCini is also stated as an invariant of its own, as the cfg names it.
//
// The Examples manifest records 12 distinct states, 24 generated and depth 1: twelve
// initial states (all on the first level), each with one successor that is already known.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'HourClock',
  doc: 'A clock that shows the hour, 1 to 12.',
  constants: {},
  setup: () =>
    model({
      state: t.record({
        hr: t.int(1, 12), // the hour the clock shows
      }),
      // HCini == hr \in 1..12
      init: Array.from({ length: 12 }, (_, i) => ({ hr: i + 1 })),
      actions: {
        // HCnxt == hr' = IF hr # 12 THEN hr + 1 ELSE 1
        HCnxt: { next: (s) => { s.hr = s.hr !== 12 ? s.hr + 1 : 1; } },
      },
      invariants: {
        HCini: { check: (s) => s.hr >= 1 && s.hr <= 12, doc: 'the hour is always one of 1..12' },
      },
    }),
  expect: [
    {
      status: 'ok',
      distinct: 12,
      generated: 24,
      depth: 1,
      note: 'TLC on HourClock.cfg, tlaplus/Examples manifest: 12 distinct, 24 generated, depth 1',
    },
  ],
});
