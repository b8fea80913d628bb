// EWD840, after EWD840.tla in the tlaplus Examples (ewd840): Dijkstra, Feijen and van
// Gasteren's termination detection in a ring (EWD 840). A token travels from node N-1 down to
// node 0; a node that sends a message to a higher-numbered node turns black, and a black node
// blackens the token it passes on. Node 0 concludes that all nodes are passive when a white
// token comes back to a white, passive node 0.
//
// Modelled as in the original. Init is a predicate (any activity, any node colours, any
// token position, a black token): its 192 solutions for N = 3 are enumerated in setup.
// System == InitiateProbe \/ \E i \in Node \ {0} : PassToken(i) is one action with one
// parameter value per disjunct, so that WF_vars(System), the spec's fairness, is weak
// fairness of the action as a whole. SendMsg(i)'s `\E j \in Node \ {i}` is the parameter j.
// The guards of InitiateProbe and PassToken are disjunctions (`tcolor = "black" \/ color[0]
// = "black"`); TLC, evaluating an action, takes each true disjunct as its own way through the
// action and yields one successor for each (the same state twice when two hold), as it does
// for each witness of an existential. So each disjunct is a parameter value here too
// (`why`): with one value per action, the run gives 1,817 generated states; with one per
// disjunct, TLC's 2,001.
//
// Checked, as EWD840.cfg (no deadlock check): TypeOK (the schema), TerminationDetection,
// Inv, Liveness (terminated ~> terminationDetected) and TDSpec, the refinement of
// SyncTerminationDetection (sync-termination-detection.spec.ts) with terminationDetected
// mapped to EWD840's terminationDetected: as an action property, every step is a step of
// SyncTerminationDetection's Next or leaves the mapped variables unchanged (TD!Init holds
// of every initial state, whose token is black; TD's fairness follows from Liveness).
//
// With N = 3 the Examples manifest records 302 distinct states, 2,001 generated and depth 10.
// migcheck finds 302 and 2,001, and depth 9: the longest shortest path from an initial state
// has 9 states. TLC's depth is not deterministic with several workers (tlaplus/tlaplus#883:
// a worker may record a state at a deeper level than its BFS level); the Examples CI runs
// TLC with `-workers auto` and, for that reason, does not compare the depth
// (.github/scripts/tla_utils.py, is_state_count_info_correct).

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'EWD840',
  doc: 'Termination detection in a ring with a circulating token (EWD 840).',
  constants: {
    N: { default: 3, min: 1, max: 6, doc: 'number of nodes (TLC: N = 3)' },
  },
  setup: ({ N }) => {
    const Node = Array.from({ length: N }, (_, i) => i);
    const Color = t.enum('white', 'black');
    const State = t.record({
      active: t.array(t.bool(), N), // active[i]: node i is active
      color: t.array(Color, N), // color[i]: node i's colour
      tpos: t.int(0, N - 1), // the node that holds the token
      tcolor: Color, // the token's colour
    });
    type S = Infer<typeof State>;
    const vectors = <T,>(vals: readonly T[]): T[][] => Node.reduce<T[][]>((acc) => acc.flatMap((v) => vals.map((x) => [...v, x])), [[]]);
    const init: S[] = vectors([false, true]).flatMap((active) =>
      vectors(['white', 'black'] as const).flatMap((color) => Node.map((tpos) => ({ active, color: [...color], tpos, tcolor: 'black' as const }))));
    const terminated = (s: S) => s.active.every((a) => !a);
    const terminationDetected = (s: S) => s.tpos === 0 && s.tcolor === 'white' && s.color[0] === 'white' && !s.active[0];
    // One parameter value per disjunct of each guard (see the header).
    type SystemStep = { kind: 'InitiateProbe'; why: 0 | 1 } | { kind: 'PassToken'; i: number; why: 0 | 1 | 2 };
    return model({
      state: State,
      init,
      actions: {
        // System: node 0 starts a probe, or node i passes the token on.
        System: {
          params: [
            ...([0, 1] as const).map((why): SystemStep => ({ kind: 'InitiateProbe', why })),
            ...Node.slice(1).flatMap((i) => ([0, 1, 2] as const).map((why): SystemStep => ({ kind: 'PassToken', i, why }))),
          ],
          enabled: (s, p) =>
            p.kind === 'InitiateProbe'
              ? s.tpos === 0 && [s.tcolor === 'black', s.color[0] === 'black'][p.why]!
              : s.tpos === p.i && [!s.active[p.i], s.color[p.i] === 'black', s.tcolor === 'black'][p.why]!,
          next: (s, p) => {
            if (p.kind === 'InitiateProbe') {
              s.tpos = N - 1;
              s.tcolor = 'white';
              s.color[0] = 'white';
            } else {
              s.tpos = p.i - 1;
              if (s.color[p.i] === 'black') s.tcolor = 'black';
              s.color[p.i] = 'white';
            }
          },
          label: (p) => (p.kind === 'InitiateProbe' ? 'InitiateProbe' : `PassToken(${p.i})`),
        },
        // SendMsg(i): active node i sends a message to node j, activating it; sending to a
        // higher-numbered node blackens i.
        SendMsg: {
          params: Node.flatMap((i) => Node.filter((j) => j !== i).map((j) => ({ i, j }))),
          enabled: (s, { i }) => s.active[i]!,
          next: (s, { i, j }) => { s.active[j] = true; if (j > i) s.color[i] = 'black'; },
          label: ({ i, j }) => `SendMsg(${i}, ${j})`,
        },
        // Deactivate(i): node i goes passive.
        Deactivate: {
          params: Node,
          enabled: (s, i) => s.active[i]!,
          next: (s, i) => { s.active[i] = false; },
          label: (i) => `Deactivate(${i})`,
        },
      },
      invariants: {
        TerminationDetection: { check: (s) => !terminationDetected(s) || terminated(s), doc: 'termination is detected only when every node is passive' },
        Inv: {
          check: (s) =>
            Node.every((i) => !(s.tpos < i) || !s.active[i]) || // P0
            Node.some((j) => j <= s.tpos && s.color[j] === 'black') || // P1
            s.tcolor === 'black', // P2
          doc: 'the nodes the token has passed are passive, or some node it has yet to pass is black, or the token is black',
        },
      },
      properties: {
        // TDSpec, its [][TD!Next]_TD!vars part.
        TDSpec: {
          check: (x, y) => {
            const dx = terminationDetected(x), dy = terminationDetected(y);
            const changed = Node.filter((i) => x.active[i] !== y.active[i]);
            if (changed.length === 0 && dx === dy) return true; // stuttering for TD
            if (changed.length === 0) return terminated(x) && dy; // DetectTermination
            if (changed.length !== 1) return false;
            const i = changed[0]!;
            if (x.active[i] && !y.active[i]) return dy === dx || dy === terminated(y); // Terminate(i)
            return !x.active[i] && y.active[i] && Node.some((k) => x.active[k]) && dy === dx; // Wakeup(k, i)
          },
          doc: 'every step is a step of SyncTerminationDetection under the mapping, or leaves it unchanged',
        },
      },
      temporal: {
        Liveness: { leadsTo: [terminated, terminationDetected], doc: 'once every node is passive, node 0 eventually detects it' },
      },
      // Spec == Init /\ [][Next]_vars /\ WF_vars(System)
      fairness: { weak: ['System'] },
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 302,
      generated: 2001,
      depth: 9,
      note: 'TLC on EWD840.cfg (N = 3, no deadlock check), tlaplus/Examples manifest: 302 distinct, 2,001 generated, depth 10 (a multi-worker depth, see the header; the BFS depth is 9)',
    },
  ],
});
