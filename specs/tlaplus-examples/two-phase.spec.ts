// TwoPhase, written as TwoPhase.tla is written (tlaplus Examples, transaction_commit):
// the resource managers' states are a function over RM, and the messages are records of
// two kinds in one set, `Message == [type: {"Prepared"}, rm: RM] \cup [type: {"Commit",
// "Abort"}]`. specs/examples/two-phase.spec.ts is the same protocol with messages encoded
// as enum names by hand (before sets of records existed); both must give TLC's numbers.
//
// A transaction manager (TM) coordinates the resource managers (RMs): RMs prepare and say
// so, the TM commits once it has heard from every RM or aborts on its own, and RMs follow
// the TM's decision. Modelled as in the original: "Prepared" is sent spontaneously, an RM
// that aborts on its own sends nothing, and messages are never removed (receiving one is
// enabled by its presence). Left out: liveness, and the refinement of TCommit (whose
// safety core, TCConsistent, is checked as an invariant).
//
// With RM = {r1, r2, r3} the Examples manifest records 288 distinct states, 1,146 states
// generated and depth 11 (TwoPhase.cfg, which checks TPTypeOK: here the schema).

import { defineSpec, has, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'TwoPhaseRecords',
  doc: 'Two-Phase Commit with the message set and the RM state function of TwoPhase.tla.',
  constants: {
    RMS: { default: 3, min: 1, max: 6, doc: 'number of resource managers (TLC: RM = {r1, r2, r3})' },
  },
  setup: ({ RMS }) => {
    const RMs = Array.from({ length: RMS }, (_, i) => `r${i + 1}`);
    const RM = t.enum(RMs);
    const Message = t.variant('type', { Prepared: { rm: RM }, Commit: {}, Abort: {} });
    return model({
      state: t.record({
        rmState: t.fn(RM, t.enum('working', 'prepared', 'committed', 'aborted')), // rmState[rm]: where RM rm is
        tmState: t.enum('init', 'committed', 'aborted'), // the transaction manager's state
        tmPrepared: t.set(RM), // the RMs from which the TM has received "Prepared"
        msgs: t.set(Message), // every message sent so far; never removed
      }),
      init: { rmState: Object.fromEntries(RMs.map((rm) => [rm, 'working' as const])), tmState: 'init', tmPrepared: [], msgs: [] },
      // TPNext == TMCommit \/ TMAbort \/ \E rm \in RM : TMRcvPrepared(rm) \/ RMPrepare(rm) \/ ...
      actions: {
        // The TM commits: it is still undecided and every RM has sent "Prepared".
        TMCommit: {
          enabled: (s) => s.tmState === 'init' && s.tmPrepared.length === RMS,
          next: (s) => { s.tmState = 'committed'; s.msgs.push({ type: 'Commit' }); },
        },
        // The TM spontaneously aborts.
        TMAbort: {
          enabled: (s) => s.tmState === 'init',
          next: (s) => { s.tmState = 'aborted'; s.msgs.push({ type: 'Abort' }); },
        },
        // The TM receives RM rm's "Prepared" message.
        TMRcvPrepared: {
          params: RMs,
          enabled: (s, rm) => s.tmState === 'init' && has(s.msgs, { type: 'Prepared', rm }),
          next: (s, rm) => { s.tmPrepared.push(rm); },
          label: (rm) => `TMRcvPrepared(${rm})`,
        },
        // RM rm prepares and tells the TM.
        RMPrepare: {
          params: RMs,
          enabled: (s, rm) => s.rmState[rm] === 'working',
          next: (s, rm) => { s.rmState[rm] = 'prepared'; s.msgs.push({ type: 'Prepared', rm }); },
          label: (rm) => `RMPrepare(${rm})`,
        },
        // RM rm spontaneously aborts.
        RMChooseToAbort: {
          params: RMs,
          enabled: (s, rm) => s.rmState[rm] === 'working',
          next: (s, rm) => { s.rmState[rm] = 'aborted'; },
          label: (rm) => `RMChooseToAbort(${rm})`,
        },
        // RM rm receives the TM's Commit.
        RMRcvCommitMsg: {
          params: RMs,
          enabled: (s) => has(s.msgs, { type: 'Commit' }),
          next: (s, rm) => { s.rmState[rm] = 'committed'; },
          label: (rm) => `RMRcvCommitMsg(${rm})`,
        },
        // RM rm receives the TM's Abort.
        RMRcvAbortMsg: {
          params: RMs,
          enabled: (s) => has(s.msgs, { type: 'Abort' }),
          next: (s, rm) => { s.rmState[rm] = 'aborted'; },
          label: (rm) => `RMRcvAbortMsg(${rm})`,
        },
      },
      invariants: {
        // TPTypeOK is the schema. TCommit's TCConsistent:
        TCConsistent: {
          check: (s) => !(RMs.some((r) => s.rmState[r] === 'aborted') && RMs.some((r) => s.rmState[r] === 'committed')),
          doc: 'two resource managers never reach conflicting decisions',
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
      note: 'TLC on TwoPhase.cfg (RM = {r1, r2, r3}), tlaplus/Examples manifest: 288 distinct, 1,146 generated, depth 11',
    },
    {
      constants: { RMS: 6 },
      status: 'ok',
      distinct: 50816,
      note: 'the figure in TwoPhase.tla\'s closing comment: 50,816 reachable states with six RMs',
    },
  ],
});
