// TwoPhase with a deliberately broken transaction manager: TMCommit waits for one
// "Prepared" message instead of one from every RM (tmPrepared # {} instead of
// tmPrepared = RM). Everything else is two-phase.spec.ts unchanged.
//
// The checker must find the shortest counterexamples and give the same ones on every run;
// the expect block pins them:
//  - with every invariant, CommitOnlyWhenAllPrepared breaks after three steps: r1 prepares,
//    the TM hears it and commits while r2 and r3 are still working;
//  - with only TCConsistent (the property users care about), the shortest way to conflicting
//    decisions takes two more steps: r1 prepares, the TM hears it and commits, r2 (still
//    working) aborts on its own, r1 receives the commit. Of the traces of that length, BFS
//    order (actions in declaration order, RMs in order) picks this one.

import { defineSpec, model } from '../../checker/index.js';
import twoPhase from './two-phase.spec.js';

export default defineSpec({
  name: 'TwoPhaseBroken',
  doc: 'Two-Phase Commit whose transaction manager commits after the first "Prepared" message (a planted bug).',
  constants: twoPhase.constants,
  setup: (c) => {
    const m = twoPhase.setup(c);
    return model({
      ...m,
      actions: {
        ...m.actions, // TMCommit keeps its place (first) in the action order
        TMCommit: {
          ...m.actions.TMCommit,
          // The bug: one prepared RM is taken as all of them.
          enabled: (s) => s.tmState === 'init' && s.tmPrepared.length > 0,
        },
      },
    });
  },
  expect: [
    {
      status: 'violation',
      violation: { kind: 'invariant', name: 'CommitOnlyWhenAllPrepared' },
      trace: ['Init', 'RMPrepare(r1)', 'TMRcvPrepared(r1)', 'TMCommit'],
      note: 'commit with r2 and r3 still working',
    },
    {
      options: { invariants: ['TCConsistent'] },
      status: 'violation',
      violation: { kind: 'invariant', name: 'TCConsistent' },
      trace: ['Init', 'RMPrepare(r1)', 'TMRcvPrepared(r1)', 'TMCommit', 'RMChooseToAbort(r2)', 'RMRcvCommitMsg(r1)'],
      note: 'r1 commits while r2 has aborted',
    },
  ],
});
