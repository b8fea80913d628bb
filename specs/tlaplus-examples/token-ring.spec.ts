// TokenRing, after TokenRing.tla in the tlaplus Examples (ewd426): Dijkstra's self-stabilising
// token ring (EWD 426), with N nodes and counters modulo M. Node 0 holds a token when its
// counter equals its left neighbour's (node N-1) and creates a new one by advancing its
// counter; node i > 0 holds a token when its counter differs from node i-1's and passes it on
// by copying it. From any initial state, the ring stabilises to exactly one token.
//
// Init is any counter vector ([Node -> 0..M-1], 46,656 of them for N = M = 6), enumerated in
// setup; every reachable state is an initial state, hence depth 1. Spec's fairness is
// WF_vars(Next) for Next as a whole, so Next is one action here, with one parameter value
// per disjunct (CreateToken, then PassToken(i) for each i).
//
// Checked, as TokenRing.cfg (no deadlock check): TypeOK (the schema) and Stab ==
// <>[]UniqueToken, from some point on there is exactly one token.
//
// With N = M = 6 the Examples manifest records 46,656 distinct states, 248,832 generated and
// depth 1.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'TokenRing',
  doc: "Dijkstra's self-stabilising token ring (EWD 426).",
  constants: {
    N: { default: 6, min: 1, max: 8, doc: 'number of nodes (TLC: N = 6)' },
    M: { default: 6, min: 1, max: 8, doc: 'counters are 0..M-1 (TLC: M = 6); N <= M + 1' },
    FAIR: { default: true, doc: 'WF_vars(Next); false lets the ring stop with several tokens' },
  },
  setup: ({ N, M, FAIR }) => {
    if (N > M + 1) throw new Error(`TokenRing: NMAssumption N <= M + 1 fails for N = ${N}, M = ${M}`);
    const Node = Array.from({ length: N }, (_, i) => i);
    const mod = (x: number) => ((x % M) + M) % M;
    const State = t.record({
      c: t.array(t.int(0, M - 1), N), // c[i]: node i's counter; tokens are where neighbours' counters (dis)agree
    });
    type S = Infer<typeof State>;
    const init: S[] = Node.reduce<number[][]>((acc) => acc.flatMap((v) => Array.from({ length: M }, (_, x) => [...v, x])), [[]]).map((c) => ({ c }));
    // UniqueToken: some i in 0..N splits the ring into c[0]'s value before i and c[0] - 1 from i on.
    const uniqueToken = (s: S) =>
      Array.from({ length: N + 1 }, (_, i) => i).some((i) => Node.every((j) => (j < i ? s.c[j] === s.c[0] : s.c[j] === mod(s.c[0]! - 1))));
    type Step = 'CreateToken' | number;
    return model({
      state: State,
      init,
      actions: {
        // Next == CreateToken \/ \E i \in Node \ {0} : PassToken(i)
        Next: {
          params: ['CreateToken' as Step, ...Node.slice(1)],
          enabled: (s, p) => (p === 'CreateToken' ? s.c[0] === s.c[N - 1] : s.c[p] !== s.c[p - 1]),
          next: (s, p) => {
            if (p === 'CreateToken') s.c[0] = mod(s.c[N - 1]! + 1);
            else s.c[p] = s.c[p - 1]!;
          },
          label: (p) => (p === 'CreateToken' ? 'CreateToken' : `PassToken(${p})`),
        },
      },
      temporal: {
        Stab: { eventuallyAlways: uniqueToken, doc: 'from some point on, there is exactly one token' },
      },
      fairness: { weak: FAIR ? ['Next'] : [] },
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 46656,
      generated: 248832,
      depth: 1,
      note: 'TLC on TokenRing.cfg (N = M = 6, no deadlock check), tlaplus/Examples manifest: 46,656 distinct, 248,832 generated, depth 1',
    },
    {
      constants: { FAIR: false },
      options: { deadlock: false },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Stab' },
      trace: ['Init'],
      note: 'without fairness the ring may stop in the first initial state, which has several tokens',
    },
  ],
});
