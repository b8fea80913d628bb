// SyncTerminationDetection, after SyncTerminationDetection.tla in the tlaplus Examples
// (ewd840): the abstract termination-detection problem that EWD840 refines (ewd840.spec.ts).
// Nodes are active or passive; an active node may terminate or wake any node; once every
// node is passive, termination may be detected. Detection is synchronous: terminationDetected
// may become true in the very step in which the last node terminates.
//
// Init is a predicate in the original: any activity, and terminationDetected \in {FALSE,
// terminated}. Here it is `init: { where }` over the schema (129 solutions of the 256
// candidates for N = 7: 128 activity vectors, and the one where all are passive twice,
// once with termination detected). Terminate(i)'s
// `terminationDetected' \in {terminationDetected, terminated'}` is one successor per member
// of that set: one when the two values are equal, as TLC enumerates a set (the `td` param
// says which member; the second is skipped when it equals the first).
//
// Checked, as SyncTerminationDetection.cfg: TypeOK (the schema), TDCorrect, Liveness
// (terminated ~> terminationDetected, under WF_vars(DetectTermination)) and Quiescence ==
// [](terminated => []terminated). Quiescence is stated as the action property it amounts to
// (no step leaves a terminated state), since migcheck's temporal forms do not nest yet.
//
// With N = 7 the Examples manifest records 129 distinct states, 3,722 generated and depth 1:
// every reachable state is an initial one.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'SyncTerminationDetection',
  doc: 'Abstract termination detection: nodes go passive and wake each other; termination, once reached, is detected.',
  constants: {
    N: { default: 7, min: 1, max: 10, doc: 'number of nodes (TLC: N = 7)' },
  },
  setup: ({ N }) => {
    const Node = Array.from({ length: N }, (_, i) => i);
    const terminated = (active: boolean[]) => active.every((a) => !a);
    return model({
      state: t.record({
        active: t.array(t.bool(), N), // active[i]: node i is active
        terminationDetected: t.bool(), // has termination been detected?
      }),
      // Init == active \in [Node -> BOOLEAN] /\ terminationDetected \in {FALSE, terminated}
      init: { where: (s) => !s.terminationDetected || terminated(s.active) },
      actions: {
        // Terminate(i): node i goes passive; detection may happen in the same step.
        Terminate: {
          params: Node.flatMap((i) => (['unchanged', 'terminated'] as const).map((td) => ({ i, td }))),
          enabled: (s, { i, td }) => {
            if (!s.active[i]) return false;
            if (td === 'unchanged') return true;
            // the second member of {terminationDetected, terminated'}, when it is another value
            const after = s.active.map((a, k) => (k === i ? false : a));
            return terminated(after) !== s.terminationDetected;
          },
          next: (s, { i, td }) => {
            s.active[i] = false;
            if (td === 'terminated') s.terminationDetected = terminated(s.active);
          },
          label: ({ i, td }) => `Terminate(${i})${td === 'terminated' ? ' and detect' : ''}`,
        },
        // Wakeup(i, j): active node i activates node j.
        Wakeup: {
          params: Node.flatMap((i) => Node.map((j) => ({ i, j }))),
          enabled: (s, { i }) => s.active[i]!,
          next: (s, { j }) => { s.active[j] = true; },
          label: ({ i, j }) => `Wakeup(${i}, ${j})`,
        },
        // DetectTermination: every node is passive; termination is detected.
        DetectTermination: {
          enabled: (s) => terminated(s.active),
          next: (s) => { s.terminationDetected = true; },
        },
      },
      invariants: {
        TDCorrect: { check: (s) => !s.terminationDetected || terminated(s.active), doc: 'termination is detected only when every node is passive' },
      },
      properties: {
        // Quiescence == [](terminated => []terminated), as a condition on each step.
        Quiescence: { check: (x, y) => !terminated(x.active) || terminated(y.active), doc: 'once every node is passive, they all stay passive' },
      },
      temporal: {
        Liveness: { leadsTo: [(s) => terminated(s.active), (s) => s.terminationDetected], doc: 'termination is eventually detected' },
      },
      fairness: { weak: ['DetectTermination'] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 129,
      generated: 3722,
      depth: 1,
      note: 'TLC on SyncTerminationDetection.cfg (N = 7), tlaplus/Examples manifest: 129 distinct, 3,722 generated, depth 1',
    },
  ],
});
