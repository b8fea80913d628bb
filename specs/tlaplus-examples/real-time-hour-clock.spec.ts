// MCRealTimeHourClock, after MCRealTimeHourClock.tla and .cfg in the tlaplus Examples
// (SpecifyingSystems/RealTime), chapter 9 of "Specifying Systems": the hour clock with a
// real-time bound, made finite for TLC. `now` is the time (Real == 0..MaxReal), `t` a timer
// reset by each tick of the clock; the clock may tick only once t >= SecondsPerHour - Rho,
// and no step may take t above SecondsPerHour + Rho.
//
// BigNext == [NowNext]_now /\ [HCnxt]_hr /\ TNext /\ (HCnxt => t >= SPH - Rho) /\
// t' <= SPH + Rho has, once its two [A]_v are split, three satisfiable combinations, one
// action each: Advance (NowNext: now' \in {r \in Real : r > now}, hr unchanged, t grows by
// now' - now; r drawn from the state-dependent set), HCnxt (now unchanged, t' = 0) and
// Stutter (now and hr unchanged, so t' = t: the stuttering disjunct TLC computes and counts,
// as echo.spec.ts's Terminating). NowNext /\ HCnxt is false (NowNext keeps hr).
// BigInit == HCini /\ t = 0 /\ now \in Real is an initial-state predicate (72 states).
//
// The cfg (Rho = 1, MaxReal = 5, SecondsPerHour = 2) checks, with no fairness (its TEMPORAL
// Fairness is commented out), PROPERTY ErrorTemporal == []((now # 4) => <>[](now # 4)), a
// nested temporal formula, which fails: the manifest's result is "liveness failure", and it
// records no state counts, so the numbers below are migcheck's (216 distinct, 696 generated,
// depth 2: every state is one step from an initial one). The shortest lasso moves now to 4
// and stays there. NonZeno and ImpliedTemporal, commented out in the cfg, are not checked.

import { always, defineSpec, eventually, implies, model, pred, t } from '../../checker/index.js';

const Rho = 1;
const MaxReal = 5;
const SecondsPerHour = 2;

export default defineSpec({
  name: 'MCRealTimeHourClock',
  doc: 'The hour clock with a real-time bound on each hour (MCRealTimeHourClock); ErrorTemporal fails.',
  constants: {},
  setup: () => model({
    state: t.record({
      hr: t.int(1, 12), // the hour the clock shows
      now: t.int(0, MaxReal), // the time
      t: t.int(0, SecondsPerHour + Rho), // the time since the clock last ticked
    }),
    // BigInit == HCini /\ t = 0 /\ now \in Real
    init: { where: (s) => s.t === 0, over: { t: [0] } },
    actions: {
      // NowNext /\ UNCHANGED hr /\ TNext /\ t' <= SecondsPerHour + Rho
      Advance: {
        params: { type: t.int(0, MaxReal), from: (s) => Array.from({ length: MaxReal - s.now }, (_, i) => s.now + 1 + i) },
        enabled: (s, r) => s.t + (r - s.now) <= SecondsPerHour + Rho,
        next: (s, r) => { s.t += r - s.now; s.now = r; },
        label: (r) => `NowNext(now' = ${r})`,
      },
      // UNCHANGED now /\ HCnxt /\ t' = 0 /\ t >= SecondsPerHour - Rho
      HCnxt: {
        enabled: (s) => s.t >= SecondsPerHour - Rho,
        next: (s) => { s.hr = s.hr !== 12 ? s.hr + 1 : 1; s.t = 0; },
      },
      // UNCHANGED now /\ UNCHANGED hr /\ t' = t
      Stutter: { next: () => {} },
    },
    temporal: {
      // ErrorTemporal == []((now # 4) => <>[](now # 4))
      ErrorTemporal: always(implies(pred('now # 4', (s: { now: number }) => s.now !== 4), eventually(always(pred('now # 4', (s: { now: number }) => s.now !== 4))))),
    },
  }),
  expect: [
    {
      status: 'violation',
      violation: { kind: 'liveness', name: 'ErrorTemporal' },
      distinct: 216,
      generated: 696,
      depth: 2,
      trace: ['Init', "NowNext(now' = 4)"],
      note: 'TLC on MCRealTimeHourClock.cfg, tlaplus/Examples manifest: "liveness failure", no counts recorded; the counts are migcheck\'s',
    },
  ],
});
