// CRDT, after CRDT.tla and its TLC model MCCRDT in the tlaplus Examples (FiniteMonotonic): a
// grow-only counter replicated on every node. counter[n][o] is node n's view of node o's
// count; a node increments its own entry, and gossip merges one node's view into another's
// by pointwise maximum. Safety: no node knows more of n's count than n itself.
//
// The counters grow for ever; MCCRDT keeps the model finite with the technique of the
// FiniteMonotonic folder: next to Increment(n) and Gossip(n, o), ReductionNext has each of
// them composed (TLC's experimental `\cdot`) with Reduction, which subtracts the least entry
// from every entry, and the constraint counter[n][n] <= 3. Here each composed action is one
// action whose recipe does both steps. ReductionNext is `\E n, o \in Node : ...` around all
// four disjuncts, so Increment(n) is also tried once per o (a duplicate successor each time,
// as in TLC): every action takes the pair (n, o).
//
// Claims: TypeOK (the schema; Nat bounded by the constraint: an entry never exceeds 3 in a
// kept state, 4 in a successor it discards) and Safety, as MCCRDT.cfg checks; and two action
// properties. Monotonicity ([][\A n, o : counter'[n][o] >= counter[n][o]]_counter) is CRDT.tla's,
// which MCCRDT.cfg leaves out because the reduction breaks it: with MONOTONICITY it is
// checked, and the shortest behaviour that breaks it is pinned. MonotonicUpToReduction is
// what does hold: every step is an Increment or Gossip step, followed by subtracting one
// amount from every entry.
//
// Convergence ([]<>(all views equal)) is checked under FairSpec == Spec /\ Fairness, as the
// cfg does. Fairness has two conjuncts: \A n, o : WF_vars(Gossip(n, o)) is the fairness list
// (one condition per pair), and <>[][\E n, o : Gossip(n, o)]_vars ("from some point on only
// gossip happens") is no WF or SF condition, so it becomes the premise of the property:
// FairSpec => Convergence is Spec /\ WF... => (<>[][Gossip]_vars => Convergence). Fairness
// names CRDT.tla's Gossip, not ReductionNext's composed GossipAndReduction, so the premise
// and the WF conditions name the Gossip action. With FAIRNESS = 'wf' the premise is dropped
// and Convergence fails: a node may increment for ever.
//
// The Examples manifest records 25,000 distinct states, 1,350,001 generated and depth 16 for
// Node = {n1, n2, n3}. migcheck finds the same 25,000 states and depth and 900,001 generated:
// 1 + 25,000 x 36, i.e. 9 pairs (n, o) x 4 disjuncts per state. TLC's 1,350,001 is
// 1 + 25,000 x 54: its `\cdot` counts the intermediate state of each composed step (the
// state after Increment or Gossip, before Reduction) as generated too, 9 x (1 + 2 + 1 + 2).

import { action, always, defineSpec, eventually, implies, model, pred, square, t, wf, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'CRDT',
  doc: 'A replicated grow-only counter, kept finite by reduction (MCCRDT).',
  constants: {
    NODES: { default: 3, min: 1, max: 4, doc: 'number of nodes (TLC: Node = {n1, n2, n3})' },
    MONOTONICITY: { default: false, doc: "also check CRDT.tla's Monotonicity, which the reduction breaks" },
    FAIRNESS: { default: 'fair', values: ['fair', 'wf'], doc: "fair: FairSpec (WF of each Gossip(n, o) and <>[][Gossip]_vars); wf: the WF conditions alone" },
  },
  setup: ({ NODES, MONOTONICITY, FAIRNESS }) => {
    const Node = Array.from({ length: NODES }, (_, i) => `n${i + 1}`);
    const N = t.enum(Node);
    const State = t.record({
      counter: t.fn(N, t.fn(N, t.int(0, 4))), // counter[n][o]: what node n knows of node o's count
    });
    type S = Infer<typeof State>;
    type C = S['counter'];
    type K = keyof C;
    const pairs = Node.flatMap((n) => Node.map((o) => ({ n: n as K, o: o as K })));
    const increment = (c: C, n: K) => { c[n][n] += 1; };
    const gossip = (c: C, n: K, o: K) => { for (const v of Node as K[]) c[o][v] = Math.max(c[n][v], c[o][v]); };
    // Reduction: subtract the least entry from every entry.
    const reduce = (c: C) => {
      const m = Math.min(...Node.flatMap((n) => Node.map((o) => c[n as K][o as K])));
      for (const n of Node as K[]) for (const o of Node as K[]) c[n][o] -= m;
    };
    const label = (name: string) => ({ n, o }: { n: K; o: K }) => `${name}(${n}, ${o})`;
    return model({
      state: State,
      init: { counter: Object.fromEntries(Node.map((n) => [n, Object.fromEntries(Node.map((o) => [o, 0]))])) as C },
      actions: {
        // Increment(n): n counts one more (tried for every o, as \E n, o does).
        Increment: { params: pairs, next: (s, { n }) => { increment(s.counter, n); }, label: label('Increment') },
        // Gossip(n, o): o merges n's view into its own.
        Gossip: { params: pairs, next: (s, { n, o }) => { gossip(s.counter, n, o); }, label: label('Gossip') },
        // IncrementAndReduction(n) == Increment(n) \cdot Reduction
        IncrementAndReduction: { params: pairs, next: (s, { n }) => { increment(s.counter, n); reduce(s.counter); }, label: label('IncrementAndReduction') },
        // GossipAndReduction(n, o) == Gossip(n, o) \cdot Reduction
        GossipAndReduction: { params: pairs, next: (s, { n, o }) => { gossip(s.counter, n, o); reduce(s.counter); }, label: label('GossipAndReduction') },
      },
      // MCCRDT's Constraint == \A n \in Node : counter[n][n] <= 3
      constraint: (s) => Node.every((n) => s.counter[n as K][n as K] <= 3),
      invariants: {
        Safety: { check: (s) => Node.every((n) => Node.every((o) => s.counter[n as K][n as K] >= s.counter[o as K][n as K])), doc: "no node knows more of n's count than n" },
      },
      properties: {
        MonotonicUpToReduction: {
          check: (x, y) => {
            // Is y, up to one amount k >= 0 subtracted from every entry, what `at(p, q)` gives?
            const upToShift = (at: (p: K, q: K) => number) => {
              let k = -1;
              for (const p of Node as K[]) for (const q of Node as K[]) {
                const d = at(p, q) - y.counter[p][q];
                if (k === -1) k = d;
                if (d !== k || d < 0) return false;
              }
              return true;
            };
            const c = x.counter;
            return (Node as K[]).some((n) =>
              upToShift((p, q) => c[p][q] + (p === n && q === n ? 1 : 0)) || // Increment(n)
              (Node as K[]).some((o) => upToShift((p, q) => (p === o ? Math.max(c[n][q], c[o][q]) : c[p][q])))); // Gossip(n, o)
          },
          doc: 'every step is an Increment or a Gossip step, after which every entry may drop by one same amount',
        },
        ...(MONOTONICITY
          ? { Monotonicity: { check: (x: S, y: S) => Node.every((n) => Node.every((o) => y.counter[n as K][o as K] >= x.counter[n as K][o as K])), doc: "CRDT.tla's Monotonicity: no entry ever decreases" } }
          : {}),
      },
      temporal: {
        // FairSpec => Convergence, with Fairness's second conjunct as the premise.
        Convergence: {
          formula: (() => {
            // Convergence == []<>(\A n, o \in Node : counter[n] = counter[o])
            const convergence = always(eventually(pred<S>('\\A n, o : counter[n] = counter[o]',
              (s) => Node.every((n) => Node.every((o) => Node.every((v) => s.counter[n as K][v as K] === s.counter[o as K][v as K]))))));
            // <>[][\E n, o \in Node : Gossip(n, o)]_vars
            return FAIRNESS === 'fair' ? implies(eventually(always(square<S>(action('Gossip')))), convergence) : convergence;
          })(),
          doc: 'repeatedly, the counters at all nodes are in sync',
        },
      },
      // \A n, o \in Node : WF_vars(Gossip(n, o))
      fairness: [wf<S>('Gossip', { perValue: true })],
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 25000,
      generated: 900001,
      depth: 16,
      note: 'TLC on MCCRDT.cfg (Node = {n1, n2, n3}), tlaplus/Examples manifest: 25,000 distinct, 1,350,001 generated, depth 16; generated differs because TLC counts the intermediate state of each \\cdot step (see the header)',
    },
    {
      constants: { MONOTONICITY: true },
      status: 'violation',
      violation: { kind: 'action-property', name: 'Monotonicity' },
      trace: ['Init', 'Increment(n1, n1)', 'Increment(n2, n1)', 'Increment(n3, n1)', 'Gossip(n1, n2)', 'Gossip(n2, n3)', 'Gossip(n3, n1)', 'GossipAndReduction(n1, n2)'],
      note: 'the reduction lowers entries, as MCCRDT.cfg says: once every entry is 1, a reducing step sets them all to 0',
    },
    {
      constants: { FAIRNESS: 'wf' },
      options: { invariants: ['Convergence'] },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Convergence' },
      note: 'without <>[][Gossip]_vars a node may increment for ever, and the views never agree again',
    },
  ],
});
