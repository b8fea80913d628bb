// Voting, after Voting.tla and its TLC model MCVoting in the tlaplus Examples (Paxos): Lamport's
// abstract voting algorithm underlying Paxos, from "The Paxos Algorithm or How to Win a Turing
// Award". Acceptors vote for values in numbered ballots; a value is chosen when a quorum votes
// for it in one ballot. An acceptor may raise its maxBal (promising not to vote in lower
// ballots), or vote in ballot b for v if it has not voted in b, nobody voted for another value
// in b, and some quorum shows v safe at b.
//
// Modelled as in the original: votes[a] is a set of <<ballot, value>> pairs, maxBal[a] a
// ballot or -1. VoteFor's `\E Q \in Quorum : ShowsSafeAt(Q, b, v)` is a conjunct followed by
// the assignments. TLC evaluates the rest of an action once for each witness of an
// existential it meets, including those inside ShowsSafeAt (`\E c \in -1..(b-1)` and
// `\E a \in Q : VotedFor(a, c, v)`), so it yields one (duplicate) successor per witness.
// Here the quorum and the two inner witnesses are parameters: with only the quorum as a
// parameter the run gives 406 generated states, with all three TLC's 451. The operators and
// Next as a relation (`votingOps`) are exported: paxos.spec.ts checks that Paxos refines
// this spec.
//
// MCVoting.cfg declares SYMMETRY MCSymmetry (Permutations(Acceptor) \cup
// Permutations(Value)): here `symmetry: [A, V]`, the acceptor and value types of the state
// schema, so the search stores one state per orbit of the 3! x 2! permutations. It checks
// Inv (TypeOK, here the schema; VotesSafe; OneValuePerBallot) and ConsensusSpecBar (that
// `chosen` refines Consensus: it starts empty, and a step either leaves it or changes it
// from {} to one value), as an invariant (at most one value chosen) and an action property.
// The cfg does not check deadlock (`check: { deadlock: false }`).
//
// With Acceptor = {a1, a2, a3}, Value = {v1, v2}, the three two-acceptor quorums and
// Ballot = 0..1, the Examples manifest records 77 distinct states, 451 generated and
// depth 11. SYMMETRY=false pins the unreduced space (599 states, which fall into the 77
// orbits).
//
// BUG=1 plants a bug: VoteFor forgets that the other acceptors' votes in ballot b must be
// for v, so two acceptors can vote for different values in one ballot (OneValuePerBallot).

import { defineSpec, has, model, t } from '../../checker/index.js';

export type VotingState = { votes: Record<string, [number, string][]>; maxBal: Record<string, number> };

/** The Voting operators over a state, for the given constants. */
export function votingOps(
  Acceptor: readonly string[], Value: readonly string[], Quorum: readonly (readonly string[])[], Ballot: readonly number[],
  { ignoreOthersVotes = false }: { ignoreOthersVotes?: boolean } = {},
) {
  const VotedFor = (s: VotingState, a: string, b: number, v: string) => s.votes[a]!.some(([vb, vv]) => vb === b && vv === v);
  const DidNotVoteAt = (s: VotingState, a: string, b: number) => Value.every((v) => !VotedFor(s, a, b, v));
  const CannotVoteAt = (s: VotingState, a: string, b: number) => s.maxBal[a]! > b && DidNotVoteAt(s, a, b);
  const NoneOtherChoosableAt = (s: VotingState, b: number, v: string) => Quorum.some((Q) => Q.every((a) => VotedFor(s, a, b, v) || CannotVoteAt(s, a, b)));
  const SafeAt = (s: VotingState, b: number, v: string) => Ballot.filter((c) => c < b).every((c) => NoneOtherChoosableAt(s, c, v));
  const ChosenAt = (s: VotingState, b: number, v: string) => Quorum.some((Q) => Q.every((a) => VotedFor(s, a, b, v)));
  const chosen = (s: VotingState) => Value.filter((v) => Ballot.some((b) => ChosenAt(s, b, v)));
  const range = (lo: number, hi: number) => Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
  // ShowsSafeAt(Q, b, v) for one witness of each of its existentials: c in -1..(b-1) and,
  // when c # -1, the acceptor w of Q that voted for v in c.
  const ShowsSafeAtBy = (s: VotingState, Q: readonly string[], b: number, v: string, c: number, w: string) =>
    Q.every((a) => s.maxBal[a]! >= b) &&
    c >= -1 && c <= b - 1 &&
    (c === -1 || (Q.includes(w) && VotedFor(s, w, c, v))) &&
    range(c + 1, b - 1).every((d) => Q.every((a) => DidNotVoteAt(s, a, d)));
  /** Every witness (c, w) that ShowsSafeAt(Q, b, v) could have, true or not. */
  const showsSafeWitnesses = (Q: readonly string[], b: number) => [{ c: -1, w: '' }, ...range(0, b - 1).flatMap((c) => Q.map((w) => ({ c, w })))];
  const ShowsSafeAt = (s: VotingState, Q: readonly string[], b: number, v: string) => showsSafeWitnesses(Q, b).some(({ c, w }) => ShowsSafeAtBy(s, Q, b, v, c, w));
  // VoteFor(a, b, v)'s guard, with the quorum Q and the witness (c, w) of ShowsSafeAt(Q, b, v);
  // `ignoreOthersVotes` is the planted bug of BUG=1 (drops `\A c \in Acceptor \ {a} : ...`).
  const VoteForBy = (s: VotingState, a: string, b: number, v: string, Q: readonly string[], c: number, w: string) =>
    s.maxBal[a]! <= b &&
    s.votes[a]!.every(([vb]) => vb !== b) &&
    (ignoreOthersVotes || Acceptor.filter((x) => x !== a).every((x) => s.votes[x]!.every(([vb, vv]) => vb !== b || vv === v))) &&
    ShowsSafeAtBy(s, Q, b, v, c, w);
  const VoteForEnabled = (s: VotingState, a: string, b: number, v: string, Q: readonly string[]) => showsSafeWitnesses(Q, b).some(({ c, w }) => VoteForBy(s, a, b, v, Q, c, w));
  /** Voting's Next as a relation on two states (any quorum as the witness; the bug too, if planted). */
  const step = (x: VotingState, y: VotingState) =>
    Acceptor.some((a) => {
      const othersSame = Acceptor.every((c) => c === a || (x.maxBal[c] === y.maxBal[c] && sameVotes(x.votes[c]!, y.votes[c]!)));
      if (!othersSame) return false;
      return Ballot.some((b) => {
        // IncreaseMaxBal(a, b)
        if (b > x.maxBal[a]! && y.maxBal[a] === b && sameVotes(x.votes[a]!, y.votes[a]!)) return true;
        // VoteFor(a, b, v)
        return Value.some((v) =>
          Quorum.some((Q) => VoteForEnabled(x, a, b, v, Q)) && y.maxBal[a] === b && sameVotes(y.votes[a]!, [...x.votes[a]!, [b, v]]));
      });
    });
  return { VotedFor, SafeAt, chosen, ShowsSafeAt, showsSafeWitnesses, VoteForBy, VoteForEnabled, step };
}

/** Two sets of <<ballot, value>> pairs have the same members. */
export function sameVotes(x: readonly [number, string][], y: readonly [number, string][]): boolean {
  return x.every((p) => has(y, p)) && y.every((p) => has(x, p));
}

export default defineSpec({
  name: 'Voting',
  doc: 'The abstract voting algorithm behind Paxos (MCVoting: three acceptors, two values, ballots 0..1).',
  constants: {
    MAX_BALLOT: { default: 1, min: 0, max: 3, doc: 'ballots are 0..MAX_BALLOT (TLC: MCBallot == 0..1)' },
    SYMMETRY: { default: true, doc: 'reduce by permutations of acceptors and values, as MCVoting.cfg does' },
    BUG: { default: 0, min: 0, max: 1, doc: "1: VoteFor ignores the other acceptors' votes in the ballot" },
  },
  check: { deadlock: false },
  setup: ({ MAX_BALLOT, SYMMETRY, BUG }) => {
    const Acceptor = ['a1', 'a2', 'a3'];
    const Value = ['v1', 'v2'];
    const Quorum = [['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3']];
    const Ballot = Array.from({ length: MAX_BALLOT + 1 }, (_, i) => i);
    const ops = votingOps(Acceptor, Value, Quorum, Ballot, { ignoreOthersVotes: BUG === 1 });
    const A = t.enum(Acceptor);
    const V = t.enum(Value);
    const State = t.record({
      votes: t.fn(A, t.set(t.tuple(t.int(0, MAX_BALLOT), V))), // votes[a]: the <<ballot, value>> votes a has cast
      maxBal: t.fn(A, t.int(-1, MAX_BALLOT)), // maxBal[a]: a votes only in ballots >= maxBal[a]
    });
    const params = Acceptor.flatMap((a) => Ballot.flatMap((b) => Value.flatMap((v) => Quorum.flatMap((Q) => ops.showsSafeWitnesses(Q, b).map(({ c, w }) => ({ a, b, v, Q, c, w }))))));
    return model({
      state: State,
      init: { votes: { a1: [], a2: [], a3: [] }, maxBal: { a1: -1, a2: -1, a3: -1 } },
      actions: {
        // IncreaseMaxBal(a, b): a promises not to vote below b.
        IncreaseMaxBal: {
          params: Acceptor.flatMap((a) => Ballot.map((b) => ({ a, b }))),
          enabled: (s, { a, b }) => b > s.maxBal[a as 'a1'],
          next: (s, { a, b }) => { s.maxBal[a as 'a1'] = b; },
          label: ({ a, b }) => `IncreaseMaxBal(${a}, ${b})`,
        },
        // VoteFor(a, b, v), with the quorum Q that shows v safe at b and the witness (c, w)
        // of ShowsSafeAt's existentials: one successor per witness, as TLC generates them.
        VoteFor: {
          params,
          enabled: (s, { a, b, v, Q, c, w }) => ops.VoteForBy(s as VotingState, a, b, v, Q, c, w),
          next: (s, { a, b, v }) => { s.votes[a as 'a1'].push([b, v]); s.maxBal[a as 'a1'] = b; },
          label: ({ a, b, v, Q, c, w }) => `VoteFor(${a}, ${b}, ${v}) by {${Q.join(', ')}}${c >= 0 ? ` c=${c} ${w}` : ''}`,
        },
      },
      invariants: {
        VotesSafe: {
          check: (s) => Acceptor.every((a) => s.votes[a as 'a1'].every(([b, v]) => ops.SafeAt(s as VotingState, b, v))),
          doc: 'every vote is for a value safe at its ballot',
        },
        OneValuePerBallot: {
          check: (s) => Ballot.every((b) => new Set(Acceptor.flatMap((a) => s.votes[a as 'a1'].filter(([vb]) => vb === b).map(([, v]) => v))).size <= 1),
          doc: 'no two votes in one ballot are for different values',
        },
        // Consensus's TypeOK: chosen \subseteq Value /\ IsFiniteSet(chosen), and its Inv: Cardinality(chosen) <= 1.
        AtMostOneChosen: { check: (s) => ops.chosen(s as VotingState).length <= 1, doc: 'at most one value is chosen' },
      },
      properties: {
        // C!Spec's [][Next]_chosen: chosen = {} /\ \E v : chosen' = {v}, or chosen unchanged.
        ChosenRefinesConsensus: {
          check: (x, y) => {
            const cx = ops.chosen(x as VotingState), cy = ops.chosen(y as VotingState);
            return (cx.length === cy.length && cx.every((v) => cy.includes(v))) || (cx.length === 0 && cy.length === 1);
          },
          doc: 'chosen only ever changes from nothing to one value',
        },
      },
      // SYMMETRY MCSymmetry: permutations of the acceptors and, independently, of the values.
      ...(SYMMETRY ? { symmetry: [A, V] } : {}),
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 77,
      generated: 451,
      depth: 11,
      note: 'TLC on MCVoting.cfg (SYMMETRY, no deadlock check), tlaplus/Examples manifest: 77 distinct, 451 generated, depth 11',
    },
    {
      constants: { SYMMETRY: false },
      status: 'ok',
      distinct: 599,
      generated: 3124,
      depth: 11,
      note: 'the same model without the symmetry (migcheck\'s figures; the manifest has none): 599 states, which fall into the 77 orbits above',
    },
    {
      constants: { BUG: 1 },
      status: 'violation',
      violation: { kind: 'invariant', name: 'OneValuePerBallot' },
      trace: ['Init', 'IncreaseMaxBal(a1, 0)', 'IncreaseMaxBal(a2, 0)', 'VoteFor(a1, 0, v1) by {a1, a2}', 'VoteFor(a2, 0, v2) by {a1, a2}'],
      note: 'the planted bug: two acceptors vote for different values in ballot 0 (a trace of the unreduced spec)',
    },
  ],
});
