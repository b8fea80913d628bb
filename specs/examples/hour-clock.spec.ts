// An hour clock with a real-time bound and an alarm, written with LTL formulas: the hour
// clock of Lamport's "Specifying Systems" (chapters 2 and 9) with time made discrete. `now`
// counts the ticks since the hour last advanced; the hour may advance after MIN ticks and
// must have advanced by MAX ticks (Tick is disabled at MAX, the real-time upper bound).
// The alarm rings once when the hour is ALARM and then stays rung.
//
// The properties show the temporal builders: `[]<><<HCnxt>>_hr` (the hour advances for
// ever), a nested `[](p => <><<A>>_v)`, `[][HCnxt]_hr` (only HCnxt changes the hour),
// `[]<>ENABLED <<HCnxt>>_hr`, `<>[][~Ring]_vars`, and `[](p => <>[]q)` for the alarm. Fairness is on a formula,
// WF_vars(Tick \/ HCnxt) (TLA+'s WF_vars(Next) without the alarm), and SF or WF on Ring.

import { defineSpec, model, t, action, always, angle, enabled, eventually, implies, not, or, pred, sf, square, wf } from '../../checker/index.js';

type Clock = { hr: number; now: number; rung: boolean };
const hr = (s: Clock) => s.hr;

export default defineSpec({
  name: 'HourClock',
  doc: 'An hour clock with a real-time bound on each hour and an alarm; LTL properties and fairness on a formula.',
  constants: {
    MIN: { default: 2, min: 0, max: 10, doc: 'ticks before the hour may advance' },
    MAX: { default: 3, min: 1, max: 10, doc: 'ticks by which the hour must have advanced' },
    ALARM: { default: 7, min: 1, max: 12, doc: 'the hour at which the alarm rings' },
    FAIRNESS: { default: 'strong', values: ['strong', 'weak', 'tick'], doc: 'strong: WF(Tick \\/ HCnxt), SF(Ring); weak: WF(Ring) instead; tick: WF(Tick), SF(Ring) only' },
  },
  setup: ({ MIN, MAX, ALARM, FAIRNESS }) => model({
    state: t.record({ hr: t.int(1, 12), now: t.int(0, MAX as number), rung: t.bool() }),
    init: { hr: 12, now: 0, rung: false },
    actions: {
      /** Time passes, up to the bound. */
      Tick: { enabled: (s) => s.now < (MAX as number), next: (s) => { s.now += 1; } },
      /** The hour advances (HCnxt of Specifying Systems), after at least MIN ticks. */
      HCnxt: { enabled: (s) => s.now >= (MIN as number), next: (s) => { s.hr = (s.hr % 12) + 1; s.now = 0; } },
      /** The alarm rings during its hour, once. */
      Ring: { enabled: (s) => s.hr === ALARM && !s.rung, next: (s) => { s.rung = true; } },
    },
    temporal: {
      Advances: { formula: always(eventually(angle<Clock>('HCnxt', hr))), doc: '[]<><<HCnxt>>_hr: the hour advances infinitely often' },
      LateHourAdvances: always(implies(pred<Clock>('now = MAX', (s) => s.now === MAX), eventually(angle<Clock>('HCnxt', hr)))),
      OnlyHCnxtMovesTheHour: always(square<Clock>('HCnxt', hr)),
      HCnxtKeepsEnabled: always(eventually(enabled<Clock>(angle<Clock>('HCnxt', hr)))),
      RingsOnce: { formula: eventually(always(square<Clock>(not(action('Ring'))))), doc: '<>[][~Ring]_vars: from some point on, the alarm never rings again' },
      AlarmRings: { formula: always(implies(pred<Clock>('hr = ALARM', (s) => s.hr === ALARM), eventually(always(pred<Clock>('rung', (s) => s.rung))))), doc: '[](hr = ALARM => <>[]rung)' },
    },
    fairness: FAIRNESS === 'tick'
      ? [wf<Clock>('Tick'), sf<Clock>('Ring')]
      : [wf<Clock>(or(action('Tick'), action('HCnxt'))), FAIRNESS === 'weak' ? wf<Clock>('Ring') : sf<Clock>('Ring')],
  }),
  expect: [
    { status: 'ok', distinct: 96, note: 'WF_vars(Tick \\/ HCnxt) and SF_vars(Ring): every property holds' },
    {
      constants: { FAIRNESS: 'weak' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'AlarmRings' },
      note: 'Ring is enabled only during its hour, so weak fairness lets the clock pass it by for ever',
    },
    {
      constants: { FAIRNESS: 'tick' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Advances' },
      note: 'with fairness on Tick alone the clock may stop at the bound: HCnxt is never taken',
    },
  ],
});
