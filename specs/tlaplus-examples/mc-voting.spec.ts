// Voting (tlaplus Examples, specifications/Paxos/Voting.tla) under MCVoting.cfg: three
// acceptors, two values, ballots 0..1, every two acceptors a quorum, and
// `SYMMETRY Permutations(Acceptor) \cup Permutations(Value)`: here `symmetry: [Acceptor,
// Value]`. The Examples manifest records 77 distinct states, 451 states generated and
// depth 11 for this model (with the symmetry; deadlock not checked).
//
// Acceptors vote in ballots; a value is chosen when a quorum votes for it in one ballot.
// An acceptor raises its maxBal at will, and votes for v in ballot b only when it has not
// voted in b, no other acceptor voted differently in b, and some quorum shows v safe at b.
// Inv (TypeOK /\ VotesSafe /\ OneValuePerBallot) is checked; the refinement of Consensus
// (PROPERTY ConsensusSpecBar, [][Next_C]_chosen with chosen = {} initially) is checked as
// an action property: `chosen` stays, or goes from {} to one value.
//
// TLC counts one generated state per witness of every \E it meets in an action, the ones
// inside ShowsSafeAt included (the quorum Q, the ballot c of `\E c \in -1..(b-1)`, and the
// acceptor of `(c # -1) => \E a \in Q : VotedFor(a, c, v)`, an implication TLC explores as
// a disjunction), so VoteFor takes them as parameters to give TLC's 451.
//
// BUG=1 plants a bug: VoteFor forgets that the other acceptors' votes in ballot b must be
// for v, so two acceptors can vote for different values in one ballot (OneValuePerBallot).

import { defineSpec, has, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'MCVoting',
  doc: "Lamport's Voting algorithm (the abstraction of Paxos) with TLC's symmetry over acceptors and values.",
  constants: {
    BUG: { default: 0, min: 0, max: 1, doc: '1: VoteFor ignores the other acceptors\' votes in the ballot' },
  },
  check: { deadlock: false },
  setup: ({ BUG }) => {
    const As = ['a1', 'a2', 'a3'] as const;
    const Vs = ['v1', 'v2'] as const;
    const Acceptor = t.enum(As);
    const Value = t.enum(Vs);
    const Ballots = [0, 1];
    const Ballot = t.int(0, 1);
    const Quorum: (typeof As[number])[][] = [['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3']];
    const state = t.record({
      votes: t.fn(Acceptor, t.set(t.tuple(Ballot, Value))), // votes[a]: the <<b, v>> votes a cast
      maxBal: t.fn(Acceptor, t.int(-1, 1)), // a votes only in ballots >= maxBal[a]
    });
    type S = typeof state.__type & {};
    type A = typeof As[number];
    type V = typeof Vs[number];
    const votedFor = (s: S, a: A, b: number, v: V) => has(s.votes[a], [b, v]);
    const didNotVoteAt = (s: S, a: A, b: number) => Vs.every((v) => !votedFor(s, a, b, v));
    const cannotVoteAt = (s: S, a: A, b: number) => s.maxBal[a] > b && didNotVoteAt(s, a, b);
    const noneOtherChoosableAt = (s: S, b: number, v: V) => Quorum.some((Q) => Q.every((a) => votedFor(s, a, b, v) || cannotVoteAt(s, a, b)));
    const safeAt = (s: S, b: number, v: V) => Ballots.filter((c) => c < b).every((c) => noneOtherChoosableAt(s, c, v));
    // ShowsSafeAt(Q, b, v) with its `\E c \in -1..(b-1)` witness c given.
    const showsSafeAtWith = (s: S, Q: readonly A[], b: number, v: V, c: number) =>
      Q.every((a) => s.maxBal[a] >= b) &&
      c < b &&
      (c === -1 || Q.some((a) => votedFor(s, a, c, v))) &&
      Ballots.filter((d) => d > c && d < b).every((d) => Q.every((a) => didNotVoteAt(s, a, d)));
    const chosen = (s: S) => Vs.filter((v) => Ballots.some((b) => Quorum.some((Q) => Q.every((a) => votedFor(s, a, b, v)))));
    return model({
      state,
      init: { votes: { a1: [], a2: [], a3: [] }, maxBal: { a1: -1, a2: -1, a3: -1 } },
      symmetry: [Acceptor, Value],
      // Next == \E a \in Acceptor, b \in Ballot : IncreaseMaxBal(a, b) \/ \E v \in Value : VoteFor(a, b, v)
      actions: {
        IncreaseMaxBal: {
          params: As.flatMap((a) => Ballots.map((b) => ({ a, b }))),
          enabled: (s, { a, b }) => b > s.maxBal[a],
          next: (s, { a, b }) => { s.maxBal[a] = b; },
          label: ({ a, b }) => `IncreaseMaxBal(${a}, ${b})`,
        },
        VoteFor: {
          params: As.flatMap((a) => Ballots.flatMap((b) => Vs.flatMap((v) => Quorum.flatMap((Q) => [-1, ...Ballots].filter((c) => c < b).flatMap((c) => (c === -1 ? [null] : Q).map((w) => ({ a, b, v, Q, c, w }))))))),
          enabled: (s, { a, b, v, Q, c, w }) =>
            (w === null || votedFor(s, w, c, v)) &&
            s.maxBal[a] <= b &&
            s.votes[a].every((vt) => vt[0] !== b) &&
            (BUG === 1 || As.filter((c) => c !== a).every((c) => s.votes[c].every((vt) => vt[0] !== b || vt[1] === v))) &&
            showsSafeAtWith(s, Q, b, v, c),
          next: (s, { a, b, v }) => { s.votes[a].push([b, v]); s.maxBal[a] = b; },
          label: ({ a, b, v, Q, c, w }) => `VoteFor(${a}, ${b}, ${v}) with Q = {${Q.join(', ')}}, c = ${c}${w === null ? '' : `, ${w} voted`}`,
        },
      },
      invariants: {
        VotesSafe: (s) => As.every((a) => Ballots.every((b) => Vs.every((v) => !votedFor(s, a, b, v) || safeAt(s, b, v)))),
        OneValuePerBallot: (s) =>
          As.every((a1) => As.every((a2) => Ballots.every((b) => Vs.every((v1) => Vs.every((v2) =>
            !(votedFor(s, a1, b, v1) && votedFor(s, a2, b, v2)) || v1 === v2))))),
      },
      properties: {
        ConsensusSpecBar: (before, after) => {
          const c0 = chosen(before);
          const c1 = chosen(after);
          return (c0.length === c1.length && c0.every((v, i) => v === c1[i])) || (c0.length === 0 && c1.length === 1);
        },
      },
    });
  },
  expect: [
    { status: 'ok', distinct: 77, generated: 451, depth: 11, note: 'MCVoting.cfg with SYMMETRY: the Examples manifest gives 77 / 451 / 11' },
    {
      constants: { BUG: 1 },
      status: 'violation',
      violation: { kind: 'invariant', name: 'OneValuePerBallot' },
      trace: ['Init', 'IncreaseMaxBal(a1, 0)', 'IncreaseMaxBal(a2, 0)', 'VoteFor(a1, 0, v1) with Q = {a1, a2}, c = -1', 'VoteFor(a2, 0, v2) with Q = {a1, a2}, c = -1'],
      note: 'the planted bug: two acceptors vote for different values in ballot 0',
    },
  ],
});
