// DieHard: the water-jug puzzle from the film, as in the tlaplus Examples. Two jugs of 3
// and 5 gallons, a tap and a drain; the goal is exactly 4 gallons in the big jug. Stating
// "the big jug never holds 4" as an invariant makes the checker's shortest counterexample
// the shortest solution of the puzzle.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'DieHard',
  doc: 'Water jugs: reach 4 gallons in the 5-gallon jug.',
  constants: {
    SMALL: { default: 3, min: 1, max: 50, doc: 'capacity of the small jug' },
    BIG: { default: 5, min: 1, max: 50, doc: 'capacity of the big jug' },
    GOAL: { default: 4, min: 0, max: 50, doc: 'gallons wanted in the big jug' },
  },
  setup: ({ SMALL, BIG, GOAL }) => model({
    state: t.record({
      small: t.int(0, SMALL), // gallons in the small jug
      big: t.int(0, BIG), // gallons in the big jug
    }),
    init: { small: 0, big: 0 },
    actions: {
      FillSmall: { next: (s) => { s.small = SMALL; } },
      FillBig: { next: (s) => { s.big = BIG; } },
      EmptySmall: { next: (s) => { s.small = 0; } },
      EmptyBig: { next: (s) => { s.big = 0; } },
      SmallToBig: {
        next: (s) => {
          const pour = Math.min(s.small, BIG - s.big);
          s.small -= pour;
          s.big += pour;
        },
      },
      BigToSmall: {
        next: (s) => {
          const pour = Math.min(s.big, SMALL - s.small);
          s.big -= pour;
          s.small += pour;
        },
      },
    },
    invariants: {
      BigNotGoal: { check: (s) => s.big !== GOAL, doc: `the big jug never holds exactly ${GOAL} gallons (its violation is the solution)` },
    },
  }),
  expect: [
    {
      status: 'violation',
      violation: { kind: 'invariant', name: 'BigNotGoal' },
      trace: ['Init', 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall'],
      note: 'the known six-step solution',
    },
    { constants: { GOAL: 6 }, status: 'ok', distinct: 16, depth: 8 },
  ],
});
