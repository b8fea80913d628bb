// Prisoners, after Prisoners.tla in the tlaplus Examples (Prisoners): the puzzle of the
// prisoners and the two switches. The counter turns switch A down whenever he finds it up and
// counts; every other prisoner turns A up at most twice (when he finds it down) and otherwise
// flips switch B. When the count reaches 2 x (number of prisoners - 1), every prisoner has
// been in the room.
//
// Modelled as in the original; Init's `switchAUp \in BOOLEAN /\ switchBUp \in BOOLEAN` is
// enumerated (4 initial states). Fairness is WF of CounterStep and of NonCounterStep(i) for
// each i.
//
// Checked, as Prisoners.cfg: TypeOK (the schema), CountInvariant, Safety ==
// [](Done => every prisoner has switched), an invariant, and Liveness == <>Done, the LTL
// formula `eventually(Done)`. Done is not stable (when A starts up, the counter counts one
// more than 2 x (prisoners - 1), and then Done is false for ever), so <>[]Done would fail.
// With Prisoner = {p1, p2, p3, p4} and Counter = p1 the Examples manifest records 214 distinct states, 860 generated and depth 14.

import { defineSpec, eventually, model, pred, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'Prisoners',
  doc: 'The prisoners and the two switches: the counter knows when everybody has been in.',
  constants: {
    PRISONERS: { default: 4, min: 2, max: 6, doc: 'number of prisoners, the first being the counter (TLC: {p1, p2, p3, p4}, Counter = p1)' },
  },
  setup: ({ PRISONERS }) => {
    const Prisoner = Array.from({ length: PRISONERS }, (_, i) => `p${i + 1}`);
    const Other = Prisoner.slice(1); // OtherPrisoner == Prisoner \ {Counter}
    const State = t.record({
      switchAUp: t.bool(), // switch A is up
      switchBUp: t.bool(), // switch B is up
      timesSwitched: t.fn(t.enum(Other), t.int(0, 2)), // timesSwitched[i]: how often i turned A up
      count: t.int(0, 2 * PRISONERS - 1), // the counter's count
    });
    type S = Infer<typeof State>;
    type O = keyof S['timesSwitched'];
    const Done = (s: S) => s.count === 2 * (PRISONERS - 1);
    return model({
      state: State,
      init: [false, true].flatMap((a) => [false, true].map((b): S => ({ switchAUp: a, switchBUp: b, timesSwitched: Object.fromEntries(Other.map((i) => [i, 0])), count: 0 }))),
      actions: {
        // CounterStep: the counter turns A down and counts, or flips B.
        CounterStep: {
          next: (s) => {
            if (s.switchAUp) { s.switchAUp = false; s.count += 1; }
            else s.switchBUp = !s.switchBUp;
          },
        },
        // NonCounterStep(i): prisoner i turns A up (at most twice), or flips B.
        NonCounterStep: {
          params: Other as O[],
          next: (s, i) => {
            if (!s.switchAUp && s.timesSwitched[i] < 2) { s.switchAUp = true; s.timesSwitched[i] += 1; }
            else s.switchBUp = !s.switchBUp;
          },
          label: (i) => `NonCounterStep(${i})`,
        },
      },
      invariants: {
        CountInvariant: {
          check: (s) => {
            const total = Other.reduce((sum, i) => sum + s.timesSwitched[i as O], 0);
            const oneIfUp = s.switchAUp ? 1 : 0;
            return s.count === total - oneIfUp || s.count === total - oneIfUp + 1;
          },
          doc: 'the count is the number of times A was turned up, less one while it is up (plus one if A started up)',
        },
        Safety: { check: (s) => !Done(s) || Other.every((i) => s.timesSwitched[i as O] > 0), doc: 'when the counter is done, every prisoner has been in the room' },
      },
      temporal: {
        Liveness: { formula: eventually(pred<S>('Done', Done)), doc: 'the counter is eventually done' },
      },
      fairness: { weak: ['CounterStep', 'NonCounterStep(*)'] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 214,
      generated: 860,
      depth: 14,
      note: 'TLC on Prisoners.cfg (Prisoner = {p1, p2, p3, p4}, Counter = p1), tlaplus/Examples manifest: 214 distinct, 860 generated, depth 14',
    },
  ],
});
