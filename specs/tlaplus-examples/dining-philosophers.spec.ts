// DiningPhilosophers, after DiningPhilosophers.tla in the tlaplus Examples
// (DiningPhilosophers), in PlusCal there: the Chandy-Misra solution ("hygienic"
// philosophers). Each fork is held by one of the two philosophers next to it and is clean or
// dirty; a philosopher hands over a dirty fork it holds (cleaning it), eats when it holds both
// its forks clean, which dirties them, and then thinks until it is hungry again.
//
// Modelled as the PlusCal translation. Philosopher(self) == Loop(self) \/ Think(self) \/
// Eat(self) is one action with the philosopher as its parameter (the three disjuncts are
// told apart by pc[self], so exactly one can be enabled), because the spec's fairness is
// WF_vars(Philosopher(self)) for each self: here WF of Philosopher(*). A Loop step that
// changes nothing (a hungry philosopher that cannot eat yet and has no dirty fork to hand
// over) is a successor TLC counts as generated, as migcheck does; like TLC's <<A>>_vars, it
// does not count as taking the action for fairness.
//
// Checked, as DiningPhilosophers.cfg: TypeOK (the schema), ExclusiveAccess and NobodyStarves
// (for each p, []<>~hungry[p]). With NP = 5 the Examples manifest records 67 distinct
// states, 336 generated and depth 29.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'DiningPhilosophers',
  doc: 'Chandy-Misra dining philosophers with clean and dirty forks.',
  constants: {
    NP: { default: 5, min: 2, max: 7, doc: 'number of philosophers (TLC: NP = 5)' },
  },
  setup: ({ NP }) => {
    const P = Array.from({ length: NP }, (_, i) => i + 1);
    const Id = t.int(1, NP);
    const State = t.record({
      forks: t.fn(Id, t.record({ holder: Id, clean: t.bool() })), // forks[f]: who holds fork f, and whether it is clean
      pc: t.fn(Id, t.enum('Loop', 'Eat', 'Think')), // pc[p]: the label philosopher p is at
      hungry: t.fn(Id, t.bool()), // hungry[p]: p wants to eat
    });
    type S = Infer<typeof State>;
    const LeftFork = (p: number) => p;
    const RightFork = (p: number) => (p === NP ? 1 : p + 1);
    const LeftPhilosopher = (p: number) => (p === 1 ? NP : p - 1);
    const RightPhilosopher = (p: number) => (p === NP ? 1 : p + 1);
    const CanEat = (s: S, p: number) =>
      s.forks[LeftFork(p)]!.holder === p && s.forks[RightFork(p)]!.holder === p && s.forks[LeftFork(p)]!.clean && s.forks[RightFork(p)]!.clean;
    const ShareFork = (p: number, q: number) => [LeftFork(p), RightFork(p)].some((f) => f === LeftFork(q) || f === RightFork(q));
    return model({
      state: State,
      init: {
        forks: Object.fromEntries(P.map((f) => [f, { holder: f === 2 ? 1 : f, clean: false }])),
        hungry: Object.fromEntries(P.map((p) => [p, true])),
        pc: Object.fromEntries(P.map((p) => [p, 'Loop' as const])),
      },
      actions: {
        // Philosopher(self): the step at label pc[self].
        Philosopher: {
          params: P,
          next: (s, self) => {
            const l = s.forks[LeftFork(self)]!, r = s.forks[RightFork(self)]!;
            switch (s.pc[self]) {
              case 'Loop': {
                const canEat = CanEat(s, self); // read on the state before the step, as in the translation
                // Hand over a dirty fork, the left one first.
                if (l.holder === self && !l.clean) s.forks[LeftFork(self)] = { holder: LeftPhilosopher(self), clean: true };
                else if (r.holder === self && !r.clean) s.forks[RightFork(self)] = { holder: RightPhilosopher(self), clean: true };
                s.pc[self] = s.hungry[self] ? (canEat ? 'Eat' : 'Loop') : 'Think';
                break;
              }
              case 'Think':
                s.hungry[self] = true;
                s.pc[self] = 'Loop';
                break;
              case 'Eat':
                s.hungry[self] = false;
                s.forks[LeftFork(self)]!.clean = false;
                s.forks[RightFork(self)]!.clean = false;
                s.pc[self] = 'Loop';
                break;
            }
          },
          label: (self, before) => `${(before as S).pc[self]}(${self})`,
        },
      },
      invariants: {
        ExclusiveAccess: {
          check: (s) => P.every((p) => P.every((q) => p === q || !ShareFork(p, q) || !(s.pc[p] === 'Eat' && s.pc[q] === 'Eat'))),
          doc: 'two philosophers who share a fork never eat at the same time',
        },
      },
      temporal: Object.fromEntries(P.map((p) => [`NobodyStarves_${p}`, { alwaysEventually: (s: S) => !s.hungry[p], doc: `philosopher ${p} eats again and again` }])),
      fairness: { weak: ['Philosopher(*)'] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 67,
      generated: 336,
      depth: 29,
      note: 'TLC on DiningPhilosophers.cfg (NP = 5), tlaplus/Examples manifest: 67 distinct, 336 generated, depth 29',
    },
  ],
});
