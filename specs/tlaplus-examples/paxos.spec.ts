// Paxos, after Paxos.tla and its TLC model MCPaxos in the tlaplus Examples (Paxos): the
// single-decree Paxos consensus algorithm of Lamport's "The Paxos Algorithm or How to Win a
// Turing Award", with a leader-less message set: every message ever sent stays in `msgs`.
//
// Modelled as in the original: maxBal, maxVBal and maxVal are functions over Acceptor; msgs is
// a set of records of four kinds (a `t.variant` on `type`: "1a", "1b", "2a", "2b"). The
// existentials over msgs (Phase1b's and Phase2b's `\E m \in msgs`) range over every message
// the types allow, with `m \in msgs` as a guard; TLC yields one successor per witness of an
// existential (see voting.spec.ts), so Phase2a's quorum and its `\E m \in Q1bv` witness are
// parameters too. MCPaxos.cfg's SYMMETRY is over one acceptor and one value, so it reduces
// nothing and no view stands for it here.
//
// Checked, as MCPaxos.cfg does: Inv1 (TypeOK: the schema), Inv2, Inv3, Inv4 (Voting's Inv on
// the votes Paxos implies), and VotingSpecBar (Paxos refines Voting under votes[a] ==
// {<<m.bal, m.val>> : m a 2b message of a}): an action property that every step is a Voting
// step or leaves <<votes, maxBal>> unchanged.
//
// With Acceptor = {a1}, Value = {v1}, Quorum = {{a1}} and Ballot = 0..1 the Examples manifest
// records 25 distinct states, 82 generated and depth 9.
//
// MODEL = MCPaxosTiny is the same Paxos.tla as the PaxosHowToWinATuringAward folder has it
// (identical actions; its Inv adds two conjuncts, MaxBalAtLeastMaxVBal and TwoBHasTwoA, which
// are checked in both models) with MCPaxosTiny.cfg: three acceptors, two values, the three
// two-acceptor quorums, Ballot = 0..1, no SYMMETRY, checking Inv and V!Spec. The Examples
// manifest records 3,921 distinct states, 23,563 generated and depth 17.

import { defineSpec, has, model, t, type Infer } from '../../checker/index.js';
import { sameVotes, votingOps, type VotingState } from './voting.spec.js';

export default defineSpec({
  name: 'Paxos',
  doc: 'Single-decree Paxos with a set of all messages sent (MCPaxos: one acceptor, one value, ballots 0..1).',
  constants: {
    MAX_BALLOT: { default: 1, min: 0, max: 3, doc: 'ballots are 0..MAX_BALLOT (TLC: MCMaxBallot == 1)' },
    MODEL: {
      default: 'MCPaxos',
      values: ['MCPaxos', 'MCPaxosTiny'],
      doc: 'MCPaxos (Paxos/): one acceptor, one value; MCPaxosTiny (PaxosHowToWinATuringAward/): three acceptors, two values, two-acceptor quorums',
    },
  },
  setup: ({ MAX_BALLOT, MODEL }) => {
    const tiny = MODEL === 'MCPaxosTiny';
    const Acceptor = tiny ? ['a1', 'a2', 'a3'] : ['a1'];
    const Value = tiny ? ['v1', 'v2'] : ['v1'];
    const Quorum = tiny ? [['a1', 'a2'], ['a1', 'a3'], ['a2', 'a3']] : [['a1']];
    const Ballot = Array.from({ length: MAX_BALLOT + 1 }, (_, i) => i);
    const None = 'None';
    const A = t.enum(Acceptor);
    const B = t.int(0, MAX_BALLOT);
    const Message = t.variant('type', {
      '1a': { bal: B },
      '1b': { acc: A, bal: B, mbal: t.int(-1, MAX_BALLOT), mval: t.enum(None, ...Value) },
      '2a': { bal: B, val: t.enum(Value) },
      '2b': { acc: A, bal: B, val: t.enum(Value) },
    });
    const State = t.record({
      maxBal: t.fn(A, t.int(-1, MAX_BALLOT)), // maxBal[a]: the highest ballot a has joined
      maxVBal: t.fn(A, t.int(-1, MAX_BALLOT)), // <<maxVBal[a], maxVal[a]>>: a's vote in its highest ballot,
      maxVal: t.fn(A, t.enum(None, ...Value)), //   or <<-1, None>> if a has not voted
      msgs: t.set(Message), // every message sent so far
    });
    type S = Infer<typeof State>;
    type Acc = keyof S['maxBal'];
    const voting = votingOps(Acceptor, Value, Quorum, Ballot);
    // The refinement mapping to Voting: votes[a] from a's 2b messages; maxBal as it is.
    const votes = (s: S): VotingState => ({
      votes: Object.fromEntries(Acceptor.map((a) => [a, s.msgs.flatMap((m) => (m.type === '2b' && m.acc === a ? [[m.bal, m.val] as [number, string]] : []))])),
      maxBal: { ...s.maxBal },
    });
    // Phase2a(b, v)'s witnesses: the quorum Q, and either the disjunct Q1bv = {} ('none') or
    // the 1b message m of Q1bv with the largest mbal and m.mval = v.
    type Witness = { Q: string[]; m: { acc: string; mbal: number } | 'none' };
    const phase2aWitnesses: Witness[] = Quorum.flatMap((Q) => [
      { Q, m: 'none' as const },
      ...Q.flatMap((acc) => Ballot.map((mbal) => ({ Q, m: { acc, mbal } }))),
    ]);
    const Q1b = (s: S, Q: string[], b: number) => s.msgs.flatMap((m) => (m.type === '1b' && Q.includes(m.acc) && m.bal === b ? [m] : []));
    return model({
      state: State,
      init: {
        maxBal: Object.fromEntries(Acceptor.map((a) => [a, -1])),
        maxVBal: Object.fromEntries(Acceptor.map((a) => [a, -1])),
        maxVal: Object.fromEntries(Acceptor.map((a) => [a, None])),
        msgs: [],
      },
      actions: {
        // Phase1a(b): a leader asks the acceptors to join ballot b.
        Phase1a: {
          params: Ballot,
          next: (s, b) => { s.msgs.push({ type: '1a', bal: b }); },
          label: (b) => `Phase1a(${b})`,
        },
        // Phase2a(b, v): the leader of ballot b, having heard from a quorum, proposes v.
        Phase2a: {
          params: Ballot.flatMap((b) => Value.flatMap((v) => phase2aWitnesses.map((w) => ({ b, v, ...w })))),
          enabled: (s, { b, v, Q, m }) => {
            if (s.msgs.some((x) => x.type === '2a' && x.bal === b)) return false;
            const q1b = Q1b(s, Q, b);
            if (!Q.every((a) => q1b.some((x) => x.acc === a))) return false;
            const q1bv = q1b.filter((x) => x.mbal >= 0);
            if (m === 'none') return q1bv.length === 0;
            const mm = q1bv.find((x) => x.acc === m.acc && x.mbal === m.mbal && x.mval === v);
            return mm !== undefined && q1bv.every((x) => mm.mbal >= x.mbal);
          },
          next: (s, { b, v }) => { s.msgs.push({ type: '2a', bal: b, val: v }); },
          label: ({ b, v, Q, m }) => `Phase2a(${b}, ${v}) by {${Q.join(', ')}}${m === 'none' ? '' : ` after ${m.acc}'s vote in ${m.mbal}`}`,
        },
        // Phase1b(a): acceptor a joins ballot b of a 1a message and reports its last vote.
        Phase1b: {
          params: Acceptor.flatMap((a) => Ballot.map((b) => ({ a: a as Acc, b }))),
          enabled: (s, { a, b }) => has(s.msgs, { type: '1a', bal: b }) && b > s.maxBal[a],
          next: (s, { a, b }) => {
            s.maxBal[a] = b;
            s.msgs.push({ type: '1b', acc: a, bal: b, mbal: s.maxVBal[a], mval: s.maxVal[a] });
          },
          label: ({ a, b }) => `Phase1b(${a}, ${b})`,
        },
        // Phase2b(a): acceptor a votes for the value of a 2a message of a ballot it may join.
        Phase2b: {
          params: Acceptor.flatMap((a) => Ballot.flatMap((b) => Value.map((v) => ({ a: a as Acc, b, v })))),
          enabled: (s, { a, b, v }) => has(s.msgs, { type: '2a', bal: b, val: v }) && b >= s.maxBal[a],
          next: (s, { a, b, v }) => {
            s.maxBal[a] = b;
            s.maxVBal[a] = b;
            s.maxVal[a] = v;
            s.msgs.push({ type: '2b', acc: a, bal: b, val: v });
          },
          label: ({ a, b, v }) => `Phase2b(${a}, ${b}, ${v})`,
        },
      },
      invariants: {
        // Inv!2
        Inv2: {
          check: (s) => Acceptor.every((a) => (s.maxVBal[a as Acc] === -1 ? s.maxVal[a as Acc] === None : has(votes(s).votes[a]!, [s.maxVBal[a as Acc], s.maxVal[a as Acc]]))),
          doc: "an acceptor's last vote is one of its votes, or it has none",
        },
        // Inv!3
        Inv3: {
          check: (s) => {
            const V = votes(s);
            return s.msgs.every((m) => {
              if (m.type === '1b') return s.maxBal[m.acc] >= m.bal && (m.mbal < 0 || has(V.votes[m.acc]!, [m.mbal, m.mval]));
              if (m.type === '2a')
                return Quorum.some((Q) => voting.ShowsSafeAt(V, Q, m.bal, m.val)) && s.msgs.every((mm) => mm.type !== '2a' || mm.bal !== m.bal || mm.val === m.val);
              return true;
            });
          },
          doc: '1b messages report real votes; a 2a message proposes a value shown safe, one per ballot',
        },
        // The two conjuncts the PaxosHowToWinATuringAward version of Inv adds.
        MaxBalAtLeastMaxVBal: { check: (s) => Acceptor.every((a) => s.maxBal[a as Acc] >= s.maxVBal[a as Acc]), doc: "an acceptor's last vote is in a ballot it has joined" },
        TwoBHasTwoA: {
          check: (s) => s.msgs.every((m) => m.type !== '2b' || (s.maxVBal[m.acc] >= m.bal && has(s.msgs, { type: '2a', bal: m.bal, val: m.val }))),
          doc: 'a 2b message answers a 2a message of its ballot and value',
        },
        // Inv!4 == V!Inv (V!TypeOK holds by construction)
        Inv4: {
          check: (s) => {
            const V = votes(s);
            const votesSafe = Acceptor.every((a) => V.votes[a]!.every(([b, v]) => voting.SafeAt(V, b, v)));
            const oneValuePerBallot = Ballot.every((b) => new Set(Acceptor.flatMap((a) => V.votes[a]!.filter(([vb]) => vb === b).map(([, v]) => v))).size <= 1);
            return votesSafe && oneValuePerBallot;
          },
          doc: "Voting's invariant holds of the votes Paxos implies",
        },
      },
      properties: {
        // VotingSpecBar == V!Spec, as [][V!Next]_<<votes, maxBal>> (V!Init holds of the initial state by construction).
        VotingSpecBar: {
          check: (x, y) => {
            const vx = votes(x), vy = votes(y);
            const unchanged = Acceptor.every((a) => vx.maxBal[a] === vy.maxBal[a] && sameVotes(vx.votes[a]!, vy.votes[a]!));
            return unchanged || voting.step(vx, vy);
          },
          doc: 'every step of Paxos is a step of Voting or leaves votes and maxBal unchanged',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 25,
      generated: 82,
      depth: 9,
      note: 'TLC on MCPaxos.cfg (Acceptor = {a1}, Value = {v1}, Quorum = {{a1}}, Ballot = 0..1), tlaplus/Examples manifest: 25 distinct, 82 generated, depth 9',
    },
    {
      constants: { MODEL: 'MCPaxosTiny' },
      status: 'ok',
      distinct: 3921,
      generated: 23563,
      depth: 17,
      note: 'TLC on PaxosHowToWinATuringAward/MCPaxosTiny.cfg (Acceptor = {a1, a2, a3}, Value = {v1, v2}, two-acceptor quorums, Ballot = 0..1), tlaplus/Examples manifest: 3,921 distinct, 23,563 generated, depth 17',
    },
  ],
});
