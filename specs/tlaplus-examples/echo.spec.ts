// Echo, after Echo.tla and its TLC model MCEcho in the tlaplus Examples (echo): Chang's echo
// algorithm, in PlusCal there, which builds a spanning tree of a connected graph. The
// initiator sends "m" to its neighbours; a node that receives its first message takes the
// sender as its parent and forwards "m" to its other neighbours; once a node has heard from
// all its neighbours it answers its parent with "c", and the parent adds it as a child.
//
// Modelled as the PlusCal translation: inbox[n] is a set of [kind, sndr] records, and
// parent, children, rcvd, nbrs, pc are functions over Node. Label n1 is one action with a
// parameter: either the message `msg \in inbox[self]` it receives (one successor per
// message, as `\E msg` gives) or 'exit' for the IF's ELSE branch, which leaves the loop. The
// translation's Terminating disjunct (all processes done, vars unchanged) is an action
// whose step changes nothing; TLC counts that successor as generated, and so does migcheck.
// The PlusCal asserts throw, which migcheck reports as an evaluation error, as TLC reports
// an assertion failure.
//
// MCEcho: Node = {"a", "b", "c"}, fully meshed; initiator = CHOOSE n \in Node : TRUE, which
// TLC resolves to "a" (the graph is symmetric, so the counts do not depend on it). Checked,
// as MCEcho.cfg: TypeOK (the schema, and its two conditions beyond types) and
// AncestorProperties. The Examples manifest records 75 distinct states, 116 generated and
// depth 16.

import { defineSpec, has, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'Echo',
  doc: "Chang's echo algorithm on a fully meshed graph of three nodes (MCEcho).",
  constants: {},
  setup: () => {
    const Node = ['a', 'b', 'c'] as const;
    type N = (typeof Node)[number];
    const initiator: N = 'a';
    const R = (m: N, n: N) => m !== n; // R1: fully meshed, irreflexive
    const neighbors = (n: N) => Node.filter((m) => R(m, n));
    const NodeT = t.enum(Node);
    const Msg = t.record({ kind: t.enum('m', 'c'), sndr: NodeT });
    const State = t.record({
      inbox: t.fn(NodeT, t.set(Msg)), // inbox[n]: the messages sent to n and not yet received
      pc: t.fn(NodeT, t.enum('n0', 'n1', 'n2', 'Done')), // pc[n]: the label node n is at
      parent: t.fn(NodeT, t.enum(...Node, 'NoNode')), // parent[n]: n's parent in the tree
      children: t.fn(NodeT, t.set(NodeT)), // children[n]: the nodes that answered n with "c"
      rcvd: t.fn(NodeT, t.int(0, Node.length - 1)), // rcvd[n]: how many messages n has received
      nbrs: t.fn(NodeT, t.set(NodeT)), // nbrs[n]: n's neighbours (constant)
    });
    type S = Infer<typeof State>;
    type M = S['inbox']['a'][number];
    const fnOf = <T,>(f: (n: N) => T) => Object.fromEntries(Node.map((n) => [n, f(n)])) as Record<N, T>;
    const multicast = (s: S, p: N, dest: readonly N[], kind: 'm' | 'c') => {
      for (const m of dest) if (!has(s.inbox[m], { kind, sndr: p })) s.inbox[m].push({ kind, sndr: p });
    };
    const Msgs: M[] = (['m', 'c'] as const).flatMap((kind) => Node.map((sndr) => ({ kind, sndr })));
    return model({
      state: State,
      init: {
        inbox: fnOf(() => []),
        parent: fnOf(() => 'NoNode' as const),
        children: fnOf(() => []),
        rcvd: fnOf(() => 0),
        nbrs: fnOf((n) => neighbors(n)),
        pc: fnOf(() => 'n0' as const),
      },
      actions: {
        // n0: the initiator sends "m" to all its neighbours.
        n0: {
          params: Node,
          enabled: (s, self) => s.pc[self] === 'n0',
          next: (s, self) => {
            if (self === initiator) multicast(s, self, s.nbrs[self], 'm');
            s.pc[self] = 'n1';
          },
          label: (self) => `n0(${self})`,
        },
        // n1: receive a message from a neighbour, or leave the loop once all have been heard.
        n1: {
          params: Node.flatMap((self) => [...Msgs.map((msg) => ({ self, msg: msg as M | 'exit' })), { self, msg: 'exit' as const }]),
          enabled: (s, { self, msg }) =>
            s.pc[self] === 'n1' && (msg === 'exit' ? s.rcvd[self] >= s.nbrs[self].length : s.rcvd[self] < s.nbrs[self].length && has(s.inbox[self], msg)),
          next: (s, { self, msg }) => {
            if (msg === 'exit') { s.pc[self] = 'n2'; return; }
            s.inbox[self] = s.inbox[self].filter((m) => m.kind !== msg.kind || m.sndr !== msg.sndr); // net == receive(inbox, self, msg)
            s.rcvd[self] += 1;
            if (self !== initiator && s.rcvd[self] === 1) {
              if (msg.kind !== 'm') throw new Error('Failure of assertion: the first message received is of kind "m"');
              s.parent[self] = msg.sndr;
              multicast(s, self, s.nbrs[self].filter((n) => n !== msg.sndr), 'm');
            }
            if (msg.kind === 'c' && !s.children[self].includes(msg.sndr)) s.children[self].push(msg.sndr);
            s.pc[self] = 'n1';
          },
          label: ({ self, msg }) => (msg === 'exit' ? `n1(${self}) done` : `n1(${self}) receives ${msg.kind} from ${msg.sndr}`),
        },
        // n2: a non-initiator answers its parent with "c".
        n2: {
          params: Node,
          enabled: (s, self) => s.pc[self] === 'n2',
          next: (s, self) => {
            if (self !== initiator) {
              const p = s.parent[self];
              if (p === 'NoNode' || !s.nbrs[self].includes(p)) throw new Error('Failure of assertion: parent \\in nbrs');
              multicast(s, self, [p], 'c');
            }
            s.pc[self] = 'Done';
          },
          label: (self) => `n2(${self})`,
        },
        // Terminating: every process is done; the state stays as it is.
        Terminating: { enabled: (s) => Node.every((n) => s.pc[n] === 'Done'), next: () => {} },
      },
      invariants: {
        // TypeOK beyond the schema
        NbrsAndRcvd: { check: (s) => Node.every((n) => s.nbrs[n].length === neighbors(n).length && neighbors(n).every((m) => s.nbrs[n].includes(m)) && s.rcvd[n] <= s.nbrs[n].length), doc: 'nbrs[n] = neighbors(n) and rcvd[n] <= Cardinality(nbrs[n])' },
        MessagesFromNeighbours: { check: (s) => Node.every((n) => s.inbox[n].every((m) => s.nbrs[n].includes(m.sndr))), doc: 'every message comes from a neighbour' },
        AncestorProperties: {
          check: (s) => {
            if (!Node.every((n) => s.pc[n] === 'Done')) return true;
            // IsAncestor == TransitiveClosure(IsParent, Node)
            const anc = (m: N, n: N) => {
              const seen = new Set<N>();
              let x: N | 'NoNode' = s.parent[m];
              while (x !== 'NoNode' && !seen.has(x)) { if (x === n) return true; seen.add(x); x = s.parent[x]; }
              return false;
            };
            return Node.every((n) => n === initiator || anc(n, initiator)) && Node.every((n) => !anc(n, n));
          },
          doc: 'when all are done, the initiator is an ancestor of every node, and no node is its own ancestor',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 75,
      generated: 116,
      depth: 16,
      note: 'TLC on MCEcho.cfg (three nodes, fully meshed), tlaplus/Examples manifest: 75 distinct, 116 generated, depth 16',
    },
  ],
});
