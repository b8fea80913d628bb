// TwoPhase: the Two-Phase Commit protocol, after TwoPhase.tla in the tlaplus Examples
// (Gray and Lamport, "Consensus on Transaction Commit"). A transaction manager (TM)
// coordinates the resource managers (RMs): RMs prepare and say so, the TM commits once it
// has heard from every RM or aborts on its own, and RMs follow the TM's decision.
//
// Modelled as in the original: RMs send "Prepared" spontaneously (the TM's Prepare
// requests are left out); an RM that decides to abort sends nothing (its Abort message
// would only make the TM abort, which the TM may do spontaneously anyway); messages are
// never lost or removed: `msgs` is the set of every message ever sent, and receiving one
// is enabled by its presence, so duplicate delivery is allowed and harmless. Left out:
// liveness (what must happen), as in the original.
//
// With RMS = 3 TLC reports 288 distinct states, 1,146 states generated and depth 11 (the
// Examples manifest), with deadlock checking on: a finished run is not a deadlock because
// RMRcvCommitMsg / RMRcvAbortMsg stay enabled (as stuttering steps) forever. The comment at
// the end of TwoPhase.tla gives a second figure: 50,816 reachable states with six RMs.
//
// TC!TCSpec refinement is not checked as a temporal property; its safety core, that the
// RMs' states are consistent (TCommit's TCConsistent), is checked as an invariant.

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'TwoPhase',
  doc: 'Two-Phase Commit: a transaction manager commits only when every resource manager has prepared.',
  constants: {
    RMS: { default: 3, min: 1, max: 8, doc: 'number of resource managers (TLC: RM = {r1, r2, r3})' },
  },
  setup: ({ RMS }) => {
    const RM = Array.from({ length: RMS }, (_, i) => i);
    const name = (rm: number) => `r${rm + 1}`;
    // Message == [type: {"Prepared"}, rm: RM] \cup [type: {"Commit", "Abort"}], one name each.
    const prepared = RM.map((rm) => `Prepared(${name(rm)})`);
    const MESSAGES = [...prepared, 'Commit', 'Abort'];
    return model({
      state: t.record({
        rmState: t.array(t.enum('working', 'prepared', 'committed', 'aborted'), RMS), // rmState[rm]: where RM rm is
        tmState: t.enum('init', 'committed', 'aborted'), // the transaction manager's state
        tmPrepared: t.set(t.int(0, RMS - 1)), // the RMs from which the TM has received "Prepared"
        msgs: t.set(t.enum(MESSAGES)), // every message sent so far; never removed
      }),
      init: { rmState: RM.map(() => 'working' as const), tmState: 'init', tmPrepared: [], msgs: [] },
      // TPNext == TMCommit \/ TMAbort \/ \E rm \in RM : TMRcvPrepared(rm) \/ RMPrepare(rm) \/ ...
      actions: {
        // The TM commits: it is still undecided and every RM has sent "Prepared".
        TMCommit: {
          enabled: (s) => s.tmState === 'init' && s.tmPrepared.length === RMS,
          next: (s) => { s.tmState = 'committed'; s.msgs.push('Commit'); },
        },
        // The TM spontaneously aborts.
        TMAbort: {
          enabled: (s) => s.tmState === 'init',
          next: (s) => { s.tmState = 'aborted'; s.msgs.push('Abort'); },
        },
        // The TM receives RM rm's "Prepared" message.
        TMRcvPrepared: {
          params: RM,
          enabled: (s, rm) => s.tmState === 'init' && s.msgs.includes(prepared[rm]),
          next: (s, rm) => { if (!s.tmPrepared.includes(rm)) s.tmPrepared.push(rm); },
          label: (rm) => `TMRcvPrepared(${name(rm)})`,
        },
        // RM rm prepares and tells the TM.
        RMPrepare: {
          params: RM,
          enabled: (s, rm) => s.rmState[rm] === 'working',
          next: (s, rm) => { s.rmState[rm] = 'prepared'; s.msgs.push(prepared[rm]); },
          label: (rm) => `RMPrepare(${name(rm)})`,
        },
        // RM rm spontaneously aborts (and, in this simplified protocol, sends nothing).
        RMChooseToAbort: {
          params: RM,
          enabled: (s, rm) => s.rmState[rm] === 'working',
          next: (s, rm) => { s.rmState[rm] = 'aborted'; },
          label: (rm) => `RMChooseToAbort(${name(rm)})`,
        },
        // RM rm receives the TM's Commit.
        RMRcvCommitMsg: {
          params: RM,
          enabled: (s) => s.msgs.includes('Commit'),
          next: (s, rm) => { s.rmState[rm] = 'committed'; },
          label: (rm) => `RMRcvCommitMsg(${name(rm)})`,
        },
        // RM rm receives the TM's Abort.
        RMRcvAbortMsg: {
          params: RM,
          enabled: (s) => s.msgs.includes('Abort'),
          next: (s, rm) => { s.rmState[rm] = 'aborted'; },
          label: (rm) => `RMRcvAbortMsg(${name(rm)})`,
        },
      },
      invariants: {
        // TPTypeOK is the schema (TypeOK, checked on every state). TCommit's TCConsistent:
        TCConsistent: {
          check: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
          doc: 'two resource managers never reach conflicting decisions',
        },
        // The TM decides commit only after every RM prepared, so no RM can still be working.
        CommitOnlyWhenAllPrepared: {
          check: (s) => s.tmState !== 'committed' || s.rmState.every((x) => x !== 'working'),
          doc: 'when the TM has committed, no resource manager is still working',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 288,
      generated: 1146,
      depth: 11,
      note: 'TLC on TwoPhase.cfg (RM = {r1, r2, r3}): 288 distinct, 1,146 generated, depth 11',
    },
    {
      constants: { RMS: 6 },
      status: 'ok',
      distinct: 50816,
      note: 'the figure in TwoPhase.tla\'s closing comment: 50,816 reachable states with six RMs',
    },
  ],
});
