// ReplicatedLog, after ReplicatedLog.tla and its TLC model MCReplicatedLog in the tlaplus
// Examples (FiniteMonotonic): a log of transactions replicated on several nodes. A node that
// has executed the whole log may append a transaction (and execute it); a node behind may
// execute the next one.
//
// As in crdt.spec.ts, MCReplicatedLog keeps the model finite by reduction: next to WriteTx and
// ExecuteTx, ReductionNext has each composed (`\cdot`) with Reduction, which drops the prefix
// of the log every node has executed and lowers `executed` by its length; the constraint
// keeps the log shorter than 5 and no node more than 4 behind. Each composed action is one
// action here whose recipe does both steps. The log is a `t.seq` bounded by 5, one more than
// the constraint allows: the step that makes it too long is computed, counted and dropped.
//
// Checked, as MCReplicatedLog.cfg: TypeOK (the schema) and Safety. Not checked: Convergence
// under WriteFairSpec, whose fairness includes <>[][WriteTx(n, tx)]_vars, an action-level
// temporal formula migcheck cannot state yet.
//
// With Node = {n1, n2, n3} and Transaction = {tx1, tx2} the Examples manifest records 1,363
// distinct states, 17,425 generated and depth 13. migcheck finds 1,363 states and depth 13,
// and 11,617 generated. As for MCCRDT, TLC counts the intermediate state of each `\cdot` step
// as generated too: Reduction is always enabled and deterministic, so each composed successor
// costs TLC two generated states, and with W enabled WriteTx and E enabled ExecuteTx
// instances over the explored states, migcheck generates 1 + 2(W + E) and TLC 1 + 3(W + E):
// 1 + 1.5 x 11,616 = 17,425. (That 11,617 was predicted from MCCRDT's figures, by this
// formula, before this model was first run.)

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'ReplicatedLog',
  doc: 'A replicated transaction log, kept finite by reduction (MCReplicatedLog).',
  constants: {},
  setup: () => {
    const Node = ['n1', 'n2', 'n3'] as const;
    const Transaction = ['tx1', 'tx2'] as const;
    const NT = t.enum(Node);
    const State = t.record({
      log: t.seq(t.enum(Transaction), 5), // the transactions appended so far (after reduction)
      executed: t.fn(NT, t.int(0, 5)), // executed[n]: how much of the log node n has executed
    });
    type S = Infer<typeof State>;
    type N = keyof S['executed'];
    const writeTx = (s: S, n: N, tx: (typeof Transaction)[number]) => { s.log.push(tx); s.executed[n] += 1; };
    const executeTx = (s: S, n: N) => { s.executed[n] += 1; };
    // Reduction: drop the prefix every node has executed.
    const reduce = (s: S) => {
      const m = Math.min(...Node.map((n) => s.executed[n]));
      for (const n of Node) s.executed[n] -= m;
      s.log = s.log.slice(m);
    };
    const writes = Node.flatMap((n) => Transaction.map((tx) => ({ n: n as N, tx })));
    const canWrite = (s: S, { n }: { n: N }) => s.executed[n] === s.log.length;
    const canExecute = (s: S, n: N) => s.executed[n] < s.log.length;
    return model({
      state: State,
      init: { log: [], executed: { n1: 0, n2: 0, n3: 0 } },
      actions: {
        // ExecuteTx(n): node n executes the next transaction.
        ExecuteTx: { params: Node as readonly N[], enabled: canExecute, next: (s, n) => { executeTx(s, n); }, label: (n) => `ExecuteTx(${n})` },
        // ExecuteTxAndReduction(n) == ExecuteTx(n) \cdot Reduction
        ExecuteTxAndReduction: { params: Node as readonly N[], enabled: canExecute, next: (s, n) => { executeTx(s, n); reduce(s); }, label: (n) => `ExecuteTxAndReduction(${n})` },
        // WriteTx(n, tx): node n, up to date, appends tx and executes it.
        WriteTx: { params: writes, enabled: canWrite, next: (s, { n, tx }) => { writeTx(s, n, tx); }, label: ({ n, tx }) => `WriteTx(${n}, ${tx})` },
        // WriteTxAndReduction(n, tx) == WriteTx(n, tx) \cdot Reduction
        WriteTxAndReduction: { params: writes, enabled: canWrite, next: (s, { n, tx }) => { writeTx(s, n, tx); reduce(s); }, label: ({ n, tx }) => `WriteTxAndReduction(${n}, ${tx})` },
      },
      // MCReplicatedLog's Constraint
      constraint: (s) => s.log.length < 5 && Node.every((n) => s.log.length - s.executed[n] < 5),
      invariants: {
        Safety: { check: (s) => Node.every((n) => s.executed[n] <= s.log.length), doc: 'no node has executed more than the log holds' },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 1363,
      generated: 11617,
      depth: 13,
      note: 'TLC on MCReplicatedLog.cfg (Node = {n1, n2, n3}, Transaction = {tx1, tx2}), tlaplus/Examples manifest: 1,363 distinct, 17,425 generated, depth 13; generated differs because TLC counts the intermediate state of each \\cdot step (see the header)',
    },
  ],
});
