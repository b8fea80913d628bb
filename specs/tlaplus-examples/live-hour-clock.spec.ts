// LiveHourClock, after LiveHourClock.tla in the tlaplus Examples (SpecifyingSystems/Liveness),
// chapter 8 of "Specifying Systems": the hour clock of HourClock.tla with weak fairness of
// its one action, LSpec == HC /\ WF_hr(HCnxt), so the clock never stops.
//
// LiveHourClock.cfg checks three properties of LSpec:
// - AllTimes == \A n \in 1..12 : []<>(hr = n): one `alwaysEventually` per hour;
// - TypeInvariance == []HCini: an invariant (and the schema);
// - AlwaysTick == []<><<HCnxt>>_hr, infinitely many clock ticks, is not written: migcheck's
//   temporal forms are over state predicates. On this spec it follows from AllTimes (only
//   HCnxt changes hr, and hr = 1 and hr = 2 both holding infinitely often means hr changes
//   infinitely often); a direct form waits for action-level temporal formulas.
//
// With FAIR = false (HC alone, no fairness) the clock may stop, and AllTimes_1 fails at once
// on a behaviour that stutters in the initial state hr = 2.
//
// The Examples manifest records 12 distinct states, 24 generated and depth 1.

import { defineSpec, model, t } from '../../checker/index.js';
import hourClock from './hour-clock.spec.js';

const HOURS = Array.from({ length: 12 }, (_, i) => i + 1);

export default defineSpec({
  name: 'LiveHourClock',
  doc: 'The hour clock with weak fairness of its tick: every hour comes round again and again.',
  constants: {
    FAIR: { default: true, doc: 'LSpec (WF_hr(HCnxt)); false checks HC alone, which may stop' },
  },
  setup: ({ FAIR }) => {
    const m = hourClock.setup({});
    return model({
      ...m,
      // AllTimes: for each hour n, []<>(hr = n).
      temporal: {
        ...Object.fromEntries(HOURS.map((n) => [`AllTimes_${n}`, { alwaysEventually: (s: { hr: number }) => s.hr === n, doc: `the clock shows ${n} infinitely often` }])),
      },
      // LSpec == HC /\ WF_hr(HCnxt)
      fairness: { weak: FAIR ? ['HCnxt'] : [] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 12,
      generated: 24,
      depth: 1,
      note: 'TLC on LiveHourClock.cfg, tlaplus/Examples manifest: 12 distinct, 24 generated, depth 1',
    },
    {
      constants: { FAIR: false },
      status: 'violation',
      violation: { kind: 'liveness', name: 'AllTimes_1' },
      trace: ['Init'],
      note: 'without fairness the clock may stop before it shows 1',
    },
  ],
});
