// CoffeeCan, after CoffeeCan.tla and its TLC model CoffeeCan100Beans in the tlaplus Examples
// (CoffeeCan): Gries's coffee-can problem. A can holds black and white beans; repeatedly take
// two out: if they have the same colour throw both away and put a black one in, otherwise
// put the white one back. What colour is the last bean?
//
// Init is a predicate in the original (every can with 1..MaxBeanCount beans); its solutions
// are enumerated here (5,150 for 100 beans), and every reachable state is one of them, hence
// depth 1. Spec's fairness WF_can(Next) is weak fairness of all actions together (one action
// Next with a parameter value per disjunct). Termination is the stuttering disjunct TLC
// counts as generated, and so does migcheck.
//
// Checked, as CoffeeCan100Beans.cfg: TypeInvariant (the schema); MonotonicDecrease and
// LoopInvariant, which are action properties ([][A]_can); and, as LTL formulas,
// EventuallyTerminates == <>(ENABLED Termination) and TerminationHypothesis == IF white is
// even THEN <>(one black bean) ELSE <>(one white bean), judged on the initial state (the IF
// as (P /\ <>Q) \/ (~P /\ <>R)).
//
// With MaxBeanCount = 100 the Examples manifest records 5,150 distinct states, 20,002
// generated and depth 1.

import { action, and, defineSpec, enabled, eventually, model, not, or, pred, t, wf, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'CoffeeCan',
  doc: "Gries's coffee can: the parity of the white beans decides the last bean.",
  constants: {
    MAX_BEAN_COUNT: { default: 100, min: 1, max: 300, doc: 'MaxBeanCount (TLC: 100)' },
  },
  setup: ({ MAX_BEAN_COUNT }) => {
    const N = MAX_BEAN_COUNT;
    const State = t.record({
      can: t.record({ black: t.int(0, N), white: t.int(0, N) }), // the beans in the can
    });
    type S = Infer<typeof State>;
    const BeanCount = (s: S) => s.can.black + s.can.white;
    const init: S[] = [];
    for (let black = 0; black <= N; black++) for (let white = 0; white <= N; white++) if (black + white >= 1 && black + white <= N) init.push({ can: { black, white } });
    type Pick = 'PickSameColorWhite' | 'PickSameColorBlack' | 'PickDifferentColor' | 'Termination';
    return model({
      state: State,
      init,
      actions: {
        // Next == PickSameColorWhite \/ PickSameColorBlack \/ PickDifferentColor \/ Termination
        Next: {
          params: ['PickSameColorWhite', 'PickSameColorBlack', 'PickDifferentColor', 'Termination'] as Pick[],
          enabled: (s, p) => {
            switch (p) {
              case 'PickSameColorWhite': return BeanCount(s) > 1 && s.can.white >= 2; // two white: throw both away, put a black in
              case 'PickSameColorBlack': return BeanCount(s) > 1 && s.can.black >= 2; // two black: one black goes
              case 'PickDifferentColor': return BeanCount(s) > 1 && s.can.black >= 1 && s.can.white >= 1; // white goes back, black goes
              case 'Termination': return BeanCount(s) === 1; // one bean left; nothing changes
            }
          },
          next: (s, p) => {
            if (p === 'PickSameColorWhite') { s.can.black += 1; s.can.white -= 2; }
            else if (p === 'PickSameColorBlack' || p === 'PickDifferentColor') s.can.black -= 1;
          },
          label: (p) => p,
        },
      },
      properties: {
        // MonotonicDecrease == [][BeanCount' < BeanCount]_can
        MonotonicDecrease: { check: (x, y) => (x.can.black === y.can.black && x.can.white === y.can.white) || BeanCount(y) < BeanCount(x), doc: 'every step that changes the can takes a bean out' },
        // LoopInvariant == [][can.white % 2 = 0 <=> can'.white % 2 = 0]_can
        LoopInvariant: { check: (x, y) => (x.can.white % 2 === 0) === (y.can.white % 2 === 0), doc: 'the parity of the white beans never changes' },
      },
      temporal: {
        // EventuallyTerminates == <>(ENABLED Termination), Termination == BeanCount = 1 /\ UNCHANGED can:
        // ENABLED of Next(Termination), whose only step leaves the can unchanged (a successor
        // equal to the state counts for ENABLED, as in TLA+).
        EventuallyTerminates: { formula: eventually(enabled<S>(action('Next', ['Termination']))), doc: 'eventually one bean is left' },
        // TerminationHypothesis == IF can.white % 2 = 0 THEN <>(can.black = 1 /\ can.white = 0) ELSE <>(can.black = 0 /\ can.white = 1)
        TerminationHypothesis: {
          formula: or(
            and(pred<S>('can.white % 2 = 0', (s) => s.can.white % 2 === 0), eventually(pred<S>('can.black = 1 /\\ can.white = 0', (s) => s.can.black === 1 && s.can.white === 0))),
            and(not(pred<S>('can.white % 2 = 0', (s) => s.can.white % 2 === 0)), eventually(pred<S>('can.black = 0 /\\ can.white = 1', (s) => s.can.black === 0 && s.can.white === 1)))),
          doc: 'the parity of the white beans at the start decides the colour of the last bean',
        },
      },
      // WF_can(Next)
      fairness: [wf<S>('Next', { vars: (s) => s.can })],
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 5150,
      generated: 20002,
      depth: 1,
      note: 'TLC on CoffeeCan100Beans.cfg (MaxBeanCount = 100), tlaplus/Examples manifest: 5,150 distinct, 20,002 generated, depth 1',
    },
  ],
});
