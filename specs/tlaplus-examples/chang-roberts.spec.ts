// ChangRoberts, after ChangRoberts.tla and its TLC model MCChangRoberts in the tlaplus
// Examples (chang_roberts), in PlusCal there: Chang and Roberts's leader election on a
// unidirectional ring. Initiators send their id to their successor; a node forwards ids
// smaller than its own (and, having seen a smaller one, knows it has lost), drops larger
// ones, and wins when its own id comes back.
//
// Modelled as the PlusCal translation, with MCChangRoberts's Id == [i \in 1..N |-> i]:
// msgs[n] is the set of ids waiting at node n. Init's `initiator \in [Node -> BOOLEAN]` is
// enumerated (8 initial states). The translation's Terminating disjunct is never enabled
// (the loop at n1 never ends), so it is left out.
//
// The translation's two labels are two actions, n0(self) and n1(self, id), the id drawn
// from msgs[self] (`\E id \in msgs[self]`, a state-dependent parameter). The fairness is
// WF_vars(node(self)) for each self, node(self) == n0(self) \/ n1(self): one condition per
// node on the formula "a step of n0 or n1 for this self".
//
// Checked, as MCChangRoberts.cfg (no deadlock check): TypeOK (the schema), Correctness, and
// Liveness == (\E n : state[n] = "cand") => <>(\E n : state[n] = "won"), an LTL formula
// about the initial state. With N = 3 the Examples manifest records 137 distinct states,
// 227 generated and depth 10.

import { action, defineSpec, each, eventually, implies, model, or, pred, t, wf, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'ChangRoberts',
  doc: 'Chang-Roberts leader election on a unidirectional ring (MCChangRoberts).',
  constants: {
    N: { default: 3, min: 1, max: 5, doc: 'number of nodes (TLC: N = 3)' },
  },
  setup: ({ N }) => {
    const Node = Array.from({ length: N }, (_, i) => i + 1);
    const Id = (n: number) => n; // MCChangRoberts: Id == [i \in 1..N |-> i]
    const succ = (n: number) => (n === N ? 1 : n + 1);
    const NT = t.int(1, N);
    const State = t.record({
      msgs: t.fn(NT, t.set(NT)), // msgs[n]: the ids waiting to be received by node n
      pc: t.fn(NT, t.enum('n0', 'n1', 'Done')), // pc[n]: the label node n is at
      initiator: t.fn(NT, t.bool()), // initiator[n]: n takes part in the election
      state: t.fn(NT, t.enum('cand', 'lost', 'won')), // state[n]: n's view of the election
    });
    type S = Infer<typeof State>;
    const send = (s: S, n: number, id: number) => { if (!s.msgs[n]!.includes(id)) s.msgs[n]!.push(id); };
    const Receipt = t.record({ self: NT, id: NT });
    // n0(self): an initiator sends its id to its successor.
    const n0 = {
      params: Node,
      enabled: (s: S, self: number) => s.pc[self] === 'n0',
      next: (s: S, self: number) => {
        if (s.initiator[self]) send(s, succ(self), Id(self));
        s.pc[self] = 'n1';
      },
      label: (self: number) => `n0(${self})`,
    };
    // n1(self): receive some id in msgs[self]; forward it if this node has lost or id is
    // smaller, win if it is its own.
    const n1 = {
      params: { type: Receipt, from: (s: S) => Node.flatMap((self) => s.msgs[self]!.map((id) => ({ self, id }))) },
      enabled: (s: S, { self }: { self: number; id: number }) => s.pc[self] === 'n1',
      next: (s: S, { self, id }: { self: number; id: number }) => {
        s.msgs[self] = s.msgs[self]!.filter((m) => m !== id);
        if (s.state[self] === 'lost') send(s, succ(self), id);
        else if (id < Id(self)) { s.state[self] = 'lost'; send(s, succ(self), id); }
        else if (id === Id(self)) s.state[self] = 'won';
      },
      label: ({ self, id }: { self: number; id: number }) => `n1(${self}) receives ${id}`,
    };
    const inits = Node.reduce<boolean[][]>((acc) => acc.flatMap((v) => [false, true].map((b) => [...v, b])), [[]]);
    return model({
      state: State,
      init: inits.map((ini): S => ({
        msgs: Object.fromEntries(Node.map((n) => [n, []])),
        initiator: Object.fromEntries(Node.map((n, i) => [n, ini[i]!])),
        state: Object.fromEntries(Node.map((n, i) => [n, ini[i] ? ('cand' as const) : ('lost' as const)])),
        pc: Object.fromEntries(Node.map((n) => [n, 'n0' as const])),
      })),
      actions: { n0, n1 },
      invariants: {
        Correctness: {
          check: (s) =>
            Node.every((n) => s.state[n] !== 'won' || (s.initiator[n]! && Node.every((m) => m === n || (s.state[m] === 'lost' && (!s.initiator[m] || Id(m) > Id(n)))))),
          doc: 'the winner is the initiator with the smallest id, and every other node knows it lost',
        },
      },
      temporal: {
        Liveness: {
          formula: implies(pred<S>('\\E n : state[n] = "cand"', (s) => Node.some((n) => s.state[n] === 'cand')), eventually(pred<S>('\\E n : state[n] = "won"', (s) => Node.some((n) => s.state[n] === 'won')))),
          doc: 'if some node starts as a candidate, some node eventually wins',
        },
      },
      // \A self \in Node : WF_vars(node(self))
      fairness: each(Node, (self) => wf<S>(or(action('n0', [self]), action('n1', (p: { self: number }) => p.self === self)))),
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 137,
      generated: 227,
      depth: 10,
      note: 'TLC on MCChangRoberts.cfg (N = 3, no deadlock check), tlaplus/Examples manifest: 137 distinct, 227 generated, depth 10',
    },
  ],
});
