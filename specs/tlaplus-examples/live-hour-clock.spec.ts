// LiveHourClock, after LiveHourClock.tla in the tlaplus Examples (SpecifyingSystems/Liveness),
// chapter 8 of "Specifying Systems": the hour clock of HourClock.tla with weak fairness of
// its one action, LSpec == HC /\ WF_hr(HCnxt), so the clock never stops.
//
// LiveHourClock.cfg checks three properties of LSpec:
// - AllTimes == \A n \in 1..12 : []<>(hr = n): one `alwaysEventually` per hour;
// - TypeInvariance == []HCini: an invariant (and the schema);
// - AlwaysTick == []<><<HCnxt>>_hr, infinitely many clock ticks: the LTL formula
//   `always(eventually(angle('HCnxt', hr)))`.
//
// With FAIR = false (HC alone, no fairness) the clock may stop, and AllTimes_1 fails at once
// on a behaviour that stutters in the initial state hr = 2 (AlwaysTick fails too, on any
// behaviour that stutters; the checker reports the first property in declaration order).
//
// The Examples manifest records 12 distinct states, 24 generated and depth 1.

import { always, angle, defineSpec, eventually, model, wf } from '../../checker/index.js';
import hourClock from './hour-clock.spec.js';

type Clock = { hr: number };
const hr = (s: Clock) => s.hr;
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
      temporal: {
        // AllTimes: for each hour n, []<>(hr = n).
        ...Object.fromEntries(HOURS.map((n) => [`AllTimes_${n}`, { alwaysEventually: (s: Clock) => s.hr === n, doc: `the clock shows ${n} infinitely often` }])),
        // AlwaysTick == []<><<HCnxt>>_hr
        AlwaysTick: { formula: always(eventually(angle<Clock>('HCnxt', hr))), doc: 'the clock ticks infinitely often' },
      },
      // LSpec == HC /\ WF_hr(HCnxt)
      fairness: FAIR ? [wf<Clock>('HCnxt', { vars: hr })] : [],
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
    {
      constants: { FAIR: false },
      options: { invariants: ['AlwaysTick'] },
      status: 'violation',
      violation: { kind: 'liveness', name: 'AlwaysTick' },
      trace: ['Init'],
      note: 'without fairness the clock may stop ticking: the behaviour stutters in its first state',
    },
  ],
});
