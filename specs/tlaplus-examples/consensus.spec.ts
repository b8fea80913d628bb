// Consensus, after Consensus.tla and its TLC model MCConsensus in the tlaplus Examples
// (Paxos): the specification that Voting and Paxos implement. `chosen` starts empty and may
// become any one value, once.
//
// MCConsensus checks that Inv is an inductive invariant: its specification ISpec == IInv /\
// [][Next]_chosen starts from every state satisfying IInv (chosen any subset of Value with at
// most one member), not from Init, and checks Inv on every state reached. Here the initial
// states are `init: { where: IInv }` over the schema (chosen \in SUBSET Value is the type):
// {}, {a}, {b}, {c}, four of the eight subsets. Next's `\E v \in Value` is the parameter v.
//
// Checked, as MCConsensus.cfg (no deadlock check): Inv (TypeOK is the schema; Cardinality(chosen)
// <= 1). With Value = {"a", "b", "c"} the Examples manifest records 4 distinct states, 7
// generated and depth 1: all four states are initial, and the empty one has three successors.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'Consensus',
  doc: 'The consensus specification: at most one value is ever chosen (MCConsensus, an inductive-invariant check).',
  constants: {},
  setup: () => {
    const Value = ['a', 'b', 'c'] as const;
    const State = t.record({
      chosen: t.set(t.enum(Value)), // the values chosen so far
    });
    return model({
      state: State,
      // IInv == TypeOK /\ Inv: chosen \in SUBSET Value (the schema) /\ Cardinality(chosen) <= 1
      init: { where: (s) => s.chosen.length <= 1 },
      actions: {
        // Next: nothing is chosen yet; v is chosen.
        Next: {
          params: Value,
          enabled: (s) => s.chosen.length === 0,
          next: (s, v) => { s.chosen = [v]; },
          label: (v) => `Next(${v})`,
        },
      },
      invariants: {
        Inv: { check: (s) => new Set(s.chosen).size <= 1, doc: 'at most one value is chosen' },
      },
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 4,
      generated: 7,
      depth: 1,
      note: 'TLC on MCConsensus.cfg (Value = {"a", "b", "c"}, ISpec, no deadlock check), tlaplus/Examples manifest: 4 distinct, 7 generated, depth 1',
    },
  ],
});
