// Majority, after Majority.tla and its TLC model MCMajority in the tlaplus Examples (Majority,
// Merz): Boyer and Moore's majority-vote algorithm. One pass over a sequence keeps a candidate
// and a counter; at the end, if any value occurs in more than half the positions, it is the
// candidate.
//
// Modelled as in the original: seq is a sequence (`t.seq`), never changed. Init's `seq \in
// Seq(Value)` is MCMajority's BoundedSeq: every sequence over {A, B, C} of length at most
// bound = 5 (364 of them), with any initial candidate: 1,092 initial states, enumerated in
// setup. Next's three disjuncts exclude each other (cnt = 0; cnt # 0 with cand = seq[i]; cnt #
// 0 with cand # seq[i]), so one action gives TLC's successors.
//
// Checked, as MCMajority.cfg (no deadlock check): TypeOK (the schema, and i <= Len(seq) + 1),
// Correct and the inductive invariant Inv. The Examples manifest records 2,733 distinct
// states, 3,459 generated and depth 6.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'Majority',
  doc: 'Boyer-Moore majority vote over every sequence of length at most 5 (MCMajority).',
  constants: {
    BOUND: { default: 5, min: 0, max: 7, doc: 'the longest input sequence (TLC: bound = 5)' },
  },
  setup: ({ BOUND }) => {
    const Value = ['A', 'B', 'C'] as const;
    type V = (typeof Value)[number];
    const State = t.record({
      seq: t.seq(t.enum(Value), BOUND), // the input, never changed
      i: t.int(1, BOUND + 1), // the next position to look at
      cand: t.enum(Value), // the current candidate
      cnt: t.int(0, BOUND), // a lower bound on the candidate's lead so far
    });
    type S = Infer<typeof State>;
    // BoundedSeq(Value), shortest first
    const seqs: V[][] = [[]];
    for (let k = 0; k < seqs.length; k++) if (seqs[k]!.length < BOUND) for (const v of Value) seqs.push([...seqs[k]!, v]);
    const before = (s: S, v: V, j: number) => s.seq.slice(0, j - 1).filter((x) => x === v).length; // OccurrencesBefore(v, j)
    return model({
      state: State,
      init: seqs.flatMap((seq) => Value.map((cand): S => ({ seq, i: 1, cand, cnt: 0 }))),
      actions: {
        // Next: look at seq[i]; adopt it, count it for the candidate, or count it against.
        Next: {
          enabled: (s) => s.i <= s.seq.length,
          next: (s) => {
            const x = s.seq[s.i - 1]!;
            if (s.cnt === 0) { s.cand = x; s.cnt = 1; }
            else if (s.cand === x) s.cnt += 1;
            else s.cnt -= 1;
            s.i += 1;
          },
        },
      },
      invariants: {
        IInRange: { check: (s) => s.i <= s.seq.length + 1, doc: 'TypeOK: i \\in 1..Len(seq)+1' },
        Correct: {
          check: (s) => s.i <= s.seq.length || Value.every((v) => !(2 * before(s, v, s.seq.length + 1) > s.seq.length) || v === s.cand),
          doc: 'at the end, a value with a majority is the candidate',
        },
        Inv: {
          check: (s) =>
            s.cnt <= before(s, s.cand, s.i) &&
            2 * (before(s, s.cand, s.i) - s.cnt) <= s.i - 1 - s.cnt &&
            Value.every((v) => v === s.cand || 2 * before(s, v, s.i) <= s.i - 1 - s.cnt),
          doc: 'the inductive invariant of the correctness proof',
        },
      },
    });
  },
  expect: [
    {
      options: { deadlock: false },
      status: 'ok',
      distinct: 2733,
      generated: 3459,
      depth: 6,
      note: 'TLC on MCMajority.cfg (Value = {A, B, C}, bound = 5, no deadlock check), tlaplus/Examples manifest: 2,733 distinct, 3,459 generated, depth 6',
    },
  ],
});
