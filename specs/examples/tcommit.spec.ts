// TCommit: the Transaction Commit problem, after TCommit.tla in the tlaplus Examples
// (Gray and Lamport, "Consensus on Transaction Commit"). Each resource manager (RM) works,
// prepares, and then commits or aborts; the only requirement is that no two RMs reach
// conflicting decisions (TCConsistent).
//
// Modelled: the single variable rmState, the actions Prepare(rm) and Decide(rm) with both
// of Decide's disjuncts (commit when every RM is prepared or committed; abort while no RM
// has committed). Left out: everything about how RMs communicate (that is TwoPhase), and
// liveness (the original is a safety spec too).
//
// With RMS = 3 TLC reports 34 distinct states, 94 states generated and depth 7 (the
// Examples manifest); the expect block pins exactly those numbers. Deadlock checking is off
// (check.deadlock), as in TCommit.cfg: once every RM has decided, nothing is enabled.

import { defineSpec, model, t } from '../../checker/index.js';

const RM_STATES = ['working', 'prepared', 'committed', 'aborted'] as const;

export default defineSpec({
  name: 'TCommit',
  doc: 'Transaction Commit (Gray & Lamport): resource managers prepare, then all commit or all abort.',
  constants: {
    RMS: { default: 3, min: 1, max: 10, doc: 'number of resource managers (TLC: RM = {r1, r2, r3})' },
  },
  setup: ({ RMS }) => {
    const RM = Array.from({ length: RMS }, (_, i) => i);
    const name = (rm: number) => `r${rm + 1}`;
    // Decide(rm) has two disjuncts; each is one parameter so that both are tried, as TLC does.
    const decisions = RM.flatMap((rm) => [
      { rm, decision: 'committed' as const },
      { rm, decision: 'aborted' as const },
    ]);
    return model({
      state: t.record({
        rmState: t.array(t.enum(RM_STATES), RMS), // rmState[rm]: where resource manager rm is
      }),
      init: { rmState: RM.map(() => 'working' as const) },
      actions: {
        // The RM prepares to commit.
        Prepare: {
          params: RM,
          enabled: (s, rm) => s.rmState[rm] === 'working',
          next: (s, rm) => { s.rmState[rm] = 'prepared'; },
          label: (rm) => `Prepare(${name(rm)})`,
        },
        // The RM decides: commit once every RM is prepared (canCommit), or abort while no RM
        // has committed (notCommitted).
        Decide: {
          params: decisions,
          enabled: (s, { rm, decision }) => decision === 'committed'
            ? s.rmState[rm] === 'prepared' && s.rmState.every((x) => x === 'prepared' || x === 'committed')
            : (s.rmState[rm] === 'working' || s.rmState[rm] === 'prepared') && s.rmState.every((x) => x !== 'committed'),
          next: (s, { rm, decision }) => { s.rmState[rm] = decision; },
          label: ({ rm, decision }) => `Decide(${name(rm)}) -> ${decision}`,
        },
      },
      invariants: {
        // TCTypeOK is the schema (TypeOK, checked on every state). TCConsistent: no RM has
        // aborted while another has committed.
        TCConsistent: {
          check: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
          doc: 'two resource managers never reach conflicting decisions',
        },
      },
    });
  },
  // TCommit.cfg turns deadlock checking off (CHECK_DEADLOCK FALSE): every run of this spec does.
  check: { deadlock: false },
  expect: [
    {
      status: 'ok',
      options: { deadlock: false },
      distinct: 34,
      generated: 94,
      depth: 7,
      note: 'TLC on TCommit.cfg (RM = {r1, r2, r3}): 34 distinct, 94 generated, depth 7',
    },
  ],
});
