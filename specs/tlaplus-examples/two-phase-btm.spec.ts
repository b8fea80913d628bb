// 2PCwithBTM, after 2PCwithBTM.tla in the tlaplus Examples (transaction_commit, Murat
// Demirbas), in PlusCal there: two-phase commit with a backup transaction manager. The TM
// decides commit or abort and may then fail (its state becomes "hidden"); a backup TM
// (BTM) then reads the RMs and makes the decision again. An RM may fail once (RMMAYFAIL).
//
// Modelled as the PlusCal translation; the processes are the RMs, the TM (0) and the BTM
// (10). The translation's actions are full of disjunctions, and TLC yields one successor for
// each true disjunct and for each witness of an existential (see docs/tlaplus-examples.md):
// RS(self) has five ways through (prepare; commit; abort because working; abort because the
// TM aborted; fail, or nothing if an RM has already failed), and the TM's and BTM's first
// steps have two each (commit if canCommit, abort if canAbort). TLC also walks into the
// defined operators canCommit and canAbort that those steps call, and enumerates their
// disjuncts and witnesses too. canCommit reads, as TLA+ parses it, \A rmc \in RM :
// (rmState[rmc] = "prepared" \/ \E rm \in RM : rmState[rm] = "committed") (a quantifier's
// body extends as far as possible), so its witnesses are one choice per rmc. WITNESSES =
// operators (the default) follows all of that and gives TLC's 5,841 generated states;
// WITNESSES = actions enumerates only the actions' own disjuncts and gives 5,019. The
// distinct states and the depth are the same either way.
//
// Checked, as 2PCwithBTM.cfg: TypeOK (the schema) and Consistency. With RM = {rm1, rm2, rm3},
// RMMAYFAIL = TMMAYFAIL = TRUE the Examples manifest records 1,245 distinct states, 5,841
// generated and depth 15.

import { defineSpec, model, t, type Infer } from '../../checker/index.js';

export default defineSpec({
  name: 'TwoPhaseBTM',
  doc: 'Two-phase commit with a backup transaction manager (2PCwithBTM).',
  constants: {
    WITNESSES: { default: 'operators', values: ['actions', 'operators'], doc: 'enumerate disjuncts and witnesses in the actions only, or inside canCommit and canAbort too' },
  },
  setup: ({ WITNESSES }) => {
    const RM = ['rm1', 'rm2', 'rm3'] as const;
    type R = (typeof RM)[number];
    const RMMAYFAIL = true;
    const TMMAYFAIL = true;
    const Pc = t.enum('RS', 'TS', 'TC', 'F1', 'TA', 'F2', 'BTS', 'BTC', 'BTA', 'Done');
    const State = t.record({
      rmState: t.fn(t.enum(RM), t.enum('working', 'prepared', 'committed', 'aborted', 'failed')), // rmState[rm]
      tmState: t.enum('init', 'commit', 'abort', 'hidden'), // the TM's decision ("hidden" once it has failed)
      pc: t.record({ rm1: Pc, rm2: Pc, rm3: Pc, tm: Pc, btm: Pc }), // pc of each process (tm is process 0, btm process 10)
    });
    type S = Infer<typeof State>;
    const deep = WITNESSES === 'operators';
    // canCommit == \A rmc \in RM : rmState[rmc] \in {"prepared"} \/ \E rm \in RM : rmState[rm] \in
    // {"committed"}: the \A's body runs to the end of the definition, so it is, for each rmc,
    // "rmc is prepared, or some rm has committed". A witness picks, for each rmc, the disjunct
    // that holds: 'prepared', or the committed rm.
    type CommitWitness = 'all' | ('prepared' | R)[];
    const choices = ['prepared', ...RM] as const;
    const commitWitnesses: CommitWitness[] = deep ? RM.reduce<('prepared' | R)[][]>((acc) => acc.flatMap((v) => choices.map((c) => [...v, c])), [[]]) : ['all'];
    const canCommitBy = (s: S, w: CommitWitness) =>
      w === 'all'
        ? RM.every((r) => s.rmState[r] === 'prepared') || RM.some((r) => s.rmState[r] === 'committed')
        : RM.every((rmc, i) => (w[i] === 'prepared' ? s.rmState[rmc] === 'prepared' : s.rmState[w[i] as R] === 'committed'));
    // canAbort == \E rm \in RM : rmState[rm] \in {"aborted", "failed"} /\ ~\E rmc : committed;
    // a witness is the rm.
    const abortWitnesses: ('any' | R)[] = deep ? [...RM] : ['any'];
    const canAbortBy = (s: S, w: 'any' | R) =>
      (w === 'any' ? RM.some((r) => s.rmState[r] === 'aborted' || s.rmState[r] === 'failed') : s.rmState[w] === 'aborted' || s.rmState[w] === 'failed') &&
      !RM.some((r) => s.rmState[r] === 'committed');
    type Way = 'prepare' | 'commit' | 'abortWorking' | 'abortTM' | 'fail' | 'done';
    type Decide = { to: 'commit'; w: CommitWitness } | { to: 'abort'; w: 'any' | R };
    const decisions: Decide[] = [...commitWitnesses.map((w): Decide => ({ to: 'commit', w })), ...abortWitnesses.map((w): Decide => ({ to: 'abort', w }))];
    const decide = (s: S, d: Decide) => (d.to === 'commit' ? canCommitBy(s, d.w) : canAbortBy(s, d.w));
    return model({
      state: State,
      init: { rmState: { rm1: 'working', rm2: 'working', rm3: 'working' }, tmState: 'init', pc: { rm1: 'RS', rm2: 'RS', rm3: 'RS', tm: 'TS', btm: 'BTS' } },
      actions: {
        // RS(self): an RM prepares, commits, aborts or fails, or leaves once decided.
        RS: {
          params: RM.flatMap((self) => (['prepare', 'commit', 'abortWorking', 'abortTM', 'fail', 'done'] as Way[]).map((way) => ({ self, way }))),
          enabled: (s, { self, way }) => {
            if (s.pc[self] !== 'RS') return false;
            const open = s.rmState[self] === 'working' || s.rmState[self] === 'prepared';
            switch (way) {
              case 'done': return !open;
              case 'prepare': return open && s.rmState[self] === 'working';
              case 'commit': return open && s.tmState === 'commit';
              case 'abortWorking': return open && s.rmState[self] === 'working';
              case 'abortTM': return open && s.tmState === 'abort';
              case 'fail': return open; // IF RMMAYFAIL /\ no RM failed THEN fail ELSE nothing
            }
          },
          next: (s, { self, way }) => {
            switch (way) {
              case 'done': s.pc[self] = 'Done'; break;
              case 'prepare': s.rmState[self] = 'prepared'; break;
              case 'commit': s.rmState[self] = 'committed'; break;
              case 'abortWorking': case 'abortTM': s.rmState[self] = 'aborted'; break;
              case 'fail': if (RMMAYFAIL && !RM.some((r) => s.rmState[r] === 'failed')) s.rmState[self] = 'failed'; break;
            }
          },
          label: ({ self, way }) => `RS(${self}) ${way}`,
        },
        // TS: the TM decides to commit or to abort.
        TS: {
          params: decisions,
          enabled: (s, d) => s.pc.tm === 'TS' && decide(s, d),
          next: (s, d) => { s.pc.tm = d.to === 'commit' ? 'TC' : 'TA'; },
          label: (d) => `TS ${d.to}`,
        },
        TC: { enabled: (s) => s.pc.tm === 'TC', next: (s) => { s.tmState = 'commit'; s.pc.tm = 'F1'; } },
        F1: { enabled: (s) => s.pc.tm === 'F1', next: (s) => { if (TMMAYFAIL) s.tmState = 'hidden'; s.pc.tm = 'Done'; } },
        TA: { enabled: (s) => s.pc.tm === 'TA', next: (s) => { s.tmState = 'abort'; s.pc.tm = 'F2'; } },
        F2: { enabled: (s) => s.pc.tm === 'F2', next: (s) => { if (TMMAYFAIL) s.tmState = 'hidden'; s.pc.tm = 'Done'; } },
        // BTS: the backup TM, once the TM has failed, decides again.
        BTS: {
          params: decisions,
          enabled: (s, d) => s.pc.btm === 'BTS' && decide(s, d) && s.tmState === 'hidden',
          next: (s, d) => { s.pc.btm = d.to === 'commit' ? 'BTC' : 'BTA'; },
          label: (d) => `BTS ${d.to}`,
        },
        BTC: { enabled: (s) => s.pc.btm === 'BTC', next: (s) => { s.tmState = 'commit'; s.pc.btm = 'Done'; } },
        BTA: { enabled: (s) => s.pc.btm === 'BTA', next: (s) => { s.tmState = 'abort'; s.pc.btm = 'Done'; } },
        // Terminating: every process is done; nothing changes.
        Terminating: { enabled: (s) => RM.every((r) => s.pc[r] === 'Done') && s.pc.tm === 'Done' && s.pc.btm === 'Done', next: () => {} },
      },
      invariants: {
        Consistency: { check: (s) => !(RM.some((r) => s.rmState[r] === 'aborted') && RM.some((r) => s.rmState[r] === 'committed')), doc: 'no RM aborts while another commits' },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 1245,
      generated: 5841,
      depth: 15,
      note: 'TLC on 2PCwithBTM.cfg (RM = {rm1, rm2, rm3}, RMMAYFAIL = TMMAYFAIL = TRUE), tlaplus/Examples manifest: 1,245 distinct, 5,841 generated, depth 15',
    },
    {
      constants: { WITNESSES: 'actions' },
      status: 'ok',
      distinct: 1245,
      generated: 5019,
      depth: 15,
      note: "without enumerating inside canCommit and canAbort (migcheck's figures): the same states, fewer duplicate successors",
    },
  ],
});
