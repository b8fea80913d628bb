// SpanTree, after SpanTree.tla in the tlaplus Examples (SpanningTree, Lamport): a distributed
// computation of a spanning tree rooted at Root. Each node keeps a parent (mom) and an upper
// bound on its distance to the root (dist); a node n that sees a neighbour m with dist[m] + 1
// < dist[n] may lower its distance to any d in dist[m]+1 .. dist[n]-1 and take m as its mom.
//
// Modelled as in the original. Next == \E n \in Nodes, m \in Nbrs(n), d \in
// (dist[m]+1)..(dist[n]-1) : ... is one action whose parameter is (n, m, d), with d over
// 1..MaxCardinality-1 and the state-dependent range as a guard (one successor per witness, as
// TLC). The spec's fairness is WF_vars(Next), so Next is a single action.
//
// Checked, as SpanTree.cfg (no deadlock check): TypeOK (the schema), and the properties
// Safety == [](~ENABLED Next => PostCondition) and Liveness == <>(~ENABLED Next), as LTL
// formulas with `enabled('Next')`.
//
// With Nodes = {n1, ..., n5}, the seven edges of SpanTree.cfg, Root = n1 and MaxCardinality =
// 6, the Examples manifest records 1,236 distinct states, 10,278 generated and depth 6.
// migcheck finds 1,236 and 10,278, and depth 5 (a breadth-first search written separately,
// outside migcheck, gives 1,236 / 10,278 / 5 too): TLC's depth with several workers can read
// high (tlaplus/tlaplus#883), and the Examples CI, which runs TLC with `-workers auto`, does
// not compare depths for that reason (see ewd840.spec.ts).

import { always, defineSpec, enabled, eventually, implies, model, not, pred, t, wf, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'SpanTree',
  doc: 'Distributed computation of a spanning tree by shrinking distance estimates.',
  constants: {},
  setup: () => {
    const Nodes = ['n1', 'n2', 'n3', 'n4', 'n5'] as const;
    type N = (typeof Nodes)[number];
    const Edges: [N, N][] = [['n1', 'n2'], ['n1', 'n3'], ['n2', 'n3'], ['n2', 'n4'], ['n3', 'n4'], ['n3', 'n5'], ['n4', 'n5']];
    const Root: N = 'n1';
    const MaxCardinality = 6;
    const Nbrs = (n: N) => Nodes.filter((m) => Edges.some(([a, b]) => (a === m && b === n) || (a === n && b === m)));
    const NT = t.enum(Nodes);
    const State = t.record({
      mom: t.fn(NT, NT), // mom[n]: n's parent in the tree (n itself at first)
      dist: t.fn(NT, t.int(0, MaxCardinality)), // dist[n]: an upper bound on n's distance to Root
    });
    type S = Infer<typeof State>;
    const params = Nodes.flatMap((n) => Nbrs(n).flatMap((m) => Array.from({ length: MaxCardinality - 1 }, (_, i) => ({ n, m, d: i + 1 }))));
    const guard = (s: S, { n, m, d }: (typeof params)[number]) => s.dist[m] < 1 + s.dist[n] && d >= s.dist[m] + 1 && d <= s.dist[n] - 1;
    const disabled = not(enabled<S>('Next')); // ~ENABLED Next
    const PostCondition = pred<S>('PostCondition', (s) =>
      Nodes.every((n) =>
        (n === Root && s.dist[n] === 0 && s.mom[n] === n) ||
        (s.dist[n] === MaxCardinality && s.mom[n] === n && Nbrs(n).every((m) => s.dist[m] === MaxCardinality)) ||
        (s.dist[n] >= 1 && s.dist[n] <= MaxCardinality - 1 && Nbrs(n).includes(s.mom[n]) && s.dist[n] === s.dist[s.mom[n]] + 1)));
    const init: S = {
      mom: Object.fromEntries(Nodes.map((n) => [n, n])) as S['mom'],
      dist: Object.fromEntries(Nodes.map((n) => [n, n === Root ? 0 : MaxCardinality])) as S['dist'],
    };
    return model({
      state: State,
      init,
      actions: {
        // Next: node n lowers its distance to d through neighbour m.
        Next: {
          params,
          enabled: guard,
          next: (s, { n, m, d }) => { s.dist[n] = d; s.mom[n] = m; },
          label: ({ n, m, d }) => `Next(${n} via ${m}: ${d})`,
        },
      },
      temporal: {
        Safety: { formula: always(implies(disabled, PostCondition)), doc: 'when no step is possible, the moms form a tree of shortest paths' },
        Liveness: { formula: eventually(disabled), doc: 'eventually no step is possible' },
      },
      // WF_vars(Next)
      fairness: [wf<S>('Next')],
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 1236,
      generated: 10278,
      depth: 5,
      note: 'TLC on SpanTree.cfg (five nodes, seven edges, MaxCardinality = 6, no deadlock check), tlaplus/Examples manifest: 1,236 distinct, 10,278 generated, depth 6 (a multi-worker depth; the BFS depth is 5)',
    },
  ],
});
