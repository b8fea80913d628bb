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
// Checked, as MCReplicatedLog.cfg: TypeOK (the schema), Safety, and Convergence
// ([]<>(every node has executed the whole log)) under the specification SPEC names, by
// default the cfg's WriteFairSpec. Each of ReplicatedLog.tla's specifications is Spec and
// some fairness: its WF conditions are the fairness list, and its conjuncts
// <>[][A]_vars, which are no WF or SF condition, are the premise of the property
// (Spec /\ WF... /\ F => Convergence is Spec /\ WF... => (F => Convergence)). The
// fairness names ReplicatedLog.tla's WriteTx and ExecuteTx, not ReductionNext's composed
// actions, and so do the conditions here. What the cfg's comments say of each, the entries
// pin: WriteFairSpec and ExecFairSpec satisfy Convergence; Spec (the behaviour may stop) and
// InsufficientlyFairSpecA, B and C violate it; EffectivelyFalseSpecA and B, whose fairness
// no behaviour satisfies, satisfy it trivially.
//
// With Node = {n1, n2, n3} and Transaction = {tx1, tx2} the Examples manifest records 1,363
// distinct states, 17,425 generated and depth 13. migcheck finds 1,363 states and depth 13,
// and 11,617 generated. As for MCCRDT, TLC counts the intermediate state of each `\cdot` step
// as generated too: Reduction is always enabled and deterministic, so each composed successor
// costs TLC two generated states, and with W enabled WriteTx and E enabled ExecuteTx
// instances over the explored states, migcheck generates 1 + 2(W + E) and TLC 1 + 3(W + E):
// 1 + 1.5 x 11,616 = 17,425. (That 11,617 was predicted from MCCRDT's figures, by this
// formula, before this model was first run.)

import { action, always, and, defineSpec, each, eventually, implies, model, or, pred, square, t, wf, type Fair, type Formula, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'ReplicatedLog',
  doc: 'A replicated transaction log, kept finite by reduction (MCReplicatedLog).',
  constants: {
    SPEC: {
      default: 'WriteFairSpec',
      values: ['WriteFairSpec', 'ExecFairSpec', 'Spec', 'InsufficientlyFairSpecA', 'InsufficientlyFairSpecB', 'InsufficientlyFairSpecC', 'EffectivelyFalseSpecA', 'EffectivelyFalseSpecB'],
      doc: "the cfg's SPECIFICATION (its commented-out alternatives included)",
    },
  },
  setup: ({ SPEC }) => {
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
    // Convergence == []<>(\A n \in Node : executed[n] = Len(log))
    const convergence = always(eventually(pred<S>('\\A n : executed[n] = Len(log)', (s) => Node.every((n) => s.executed[n] === s.log.length))));
    // The sub-actions the fairness conditions name: WriteTx(n, tx) and ExecuteTx(n).
    const write = (n: N, tx: string) => action('WriteTx', (p: { n: N; tx: string }) => p.n === n && p.tx === tx);
    const execute = (n: N) => action('ExecuteTx', [n]);
    const finallyOnly = (a: Formula<unknown>) => eventually(always(square<S>(a))); // <>[][A]_vars
    const pairsOf = <T>(make: (n: N, tx: string) => T) => writes.map(({ n, tx }) => make(n, tx));
    // \A n, tx : WF_vars(WriteTx(n, tx)), \A n : WF_vars(ExecuteTx(n)), \A n, tx : <>[][WriteTx(n, tx)]_vars, \A n : <>[][ExecuteTx(n)]_vars
    const wfWrite = pairsOf((n, tx) => wf<S>(write(n, tx)));
    const wfExecute = each(Node as readonly N[], (n) => wf<S>(execute(n)));
    // \A x : <>[][A(x)]_vars is written <>[][\A x : A(x)]_vars, which is equivalent (<>[] and
    // [][_]_vars distribute over /\): checked as six (or three) conjuncts, WriteFairSpec took
    // two minutes instead of half a second (see the report of issue 13).
    const onlyWrite = [finallyOnly(and(...pairsOf((n, tx) => write(n, tx))))];
    const onlyExecute = [finallyOnly(and(...(Node as readonly N[]).map((n) => execute(n))))];
    const { fairness, assumed } = ((): { fairness: Fair<S>[]; assumed: Formula<S>[] } => {
      switch (SPEC) {
        case 'WriteFairSpec': return { fairness: wfWrite, assumed: onlyWrite };
        case 'ExecFairSpec': return { fairness: wfExecute, assumed: onlyExecute };
        case 'Spec': return { fairness: [], assumed: [] };
        // WF_vars(Next), Next <- ReductionNext
        case 'InsufficientlyFairSpecA': return { fairness: [wf<S>(or(action('ExecuteTx'), action('ExecuteTxAndReduction'), action('WriteTx'), action('WriteTxAndReduction')))], assumed: [] };
        case 'InsufficientlyFairSpecB': return { fairness: wfWrite, assumed: [] };
        case 'InsufficientlyFairSpecC': return { fairness: wfExecute, assumed: [] };
        case 'EffectivelyFalseSpecA': return { fairness: wfExecute, assumed: onlyWrite };
        case 'EffectivelyFalseSpecB': return { fairness: wfWrite, assumed: onlyExecute };
        default: throw new Error(`unknown SPEC ${String(SPEC)}`);
      }
    })();
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
      temporal: {
        Convergence: { formula: assumed.length ? implies(and(...assumed), convergence) : convergence, doc: 'repeatedly, every node has executed the whole log' },
      },
      fairness,
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
    {
      constants: { SPEC: 'ExecFairSpec' },
      status: 'ok',
      distinct: 1363,
      note: 'the other fair specification of the cfg: ExecFairSpec => Convergence',
    },
    {
      constants: { SPEC: 'EffectivelyFalseSpecA' },
      status: 'ok',
      distinct: 1363,
      note: "'no counterexamples because spec equals FALSE' (the cfg): no behaviour meets its fairness",
    },
    {
      constants: { SPEC: 'EffectivelyFalseSpecB' },
      status: 'ok',
      distinct: 1363,
      note: "'no counterexamples because spec equals FALSE' (the cfg)",
    },
    {
      constants: { SPEC: 'Spec' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Convergence' },
      note: "'infinite stuttering after some prefix' (the cfg): without fairness the behaviour may stop",
    },
    {
      constants: { SPEC: 'InsufficientlyFairSpecA' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Convergence' },
      note: "'lasso-shaped counterexamples' (the cfg): WF_vars(Next) lets nodes keep writing",
    },
    {
      constants: { SPEC: 'InsufficientlyFairSpecB' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Convergence' },
      note: "'lasso-shaped counterexamples' (the cfg): WF of every WriteTx still lets one node keep writing",
    },
    {
      constants: { SPEC: 'InsufficientlyFairSpecC' },
      status: 'violation',
      violation: { kind: 'liveness', name: 'Convergence' },
      note: "'lasso-shaped counterexamples' (the cfg): WF of every ExecuteTx lets the up-to-date node keep writing",
    },
  ],
});
