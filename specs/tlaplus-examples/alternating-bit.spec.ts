// AlternatingBit, after AlternatingBit.tla and its TLC model MCAlternatingBit in the tlaplus
// Examples (SpecifyingSystems/TLC), chapter 14 of "Specifying Systems": the alternating-bit
// protocol over two lossy FIFO channels. The sender tags each new value with a flipped bit
// and resends it until the receiver's acknowledgement with that bit comes back; either
// channel may lose any message.
//
// Modelled as in the original: msgQ is a sequence of <<bit, value>> pairs, ackQ a sequence
// of bits (`t.seq`). MCAlternatingBit bounds them with the constraint SeqConstraint (Len(msgQ)
// <= msgQLen /\ Len(ackQ) <= ackQLen); here each sequence's bound is one more than the
// constraint's, so the step that makes a queue too long is computed and counted, then
// discarded by the constraint, as TLC does. Lose(q)'s `\E i \in 1..Len(q)` is the parameter i
// (1-based, as in the original), guarded by i <= Len(q).
//
// Checked, as MCAlternatingBit.cfg: ABTypeInv (the schema), ABCSpec (the protocol refines
// ABCorrectness, ab-correctness.spec.ts: every step is an ABCNext step or leaves its
// variables unchanged, an action property) and SentLeadsToRcvd (for each d, sent = d /\ sBit
// # sAck ~> rcvd = d), under ABFairness: WF of ReSndMsg and SndAck, SF of RcvMsg and RcvAck.
// ABCSpec's fairness part (WF of CRcvMsg and CRcvAck under the mapping) is not checked.
//
// With Data = {d1, d2}, msgQLen = ackQLen = 2 the Examples manifest records 240 distinct
// states, 1,392 generated and depth 10.

import { defineSpec, model, t } from '../../checker/index.js';
import { abcStep } from './ab-correctness.spec.js';

export default defineSpec({
  name: 'AlternatingBit',
  doc: 'The alternating-bit protocol over lossy FIFO channels (MCAlternatingBit).',
  constants: {
    DATA: { default: 2, min: 1, max: 4, doc: 'number of data values (TLC: Data = {d1, d2})' },
    MSG_Q_LEN: { default: 2, min: 0, max: 4, doc: 'msgQLen: the longest message queue explored' },
    ACK_Q_LEN: { default: 2, min: 0, max: 4, doc: 'ackQLen: the longest acknowledgement queue explored' },
  },
  setup: ({ DATA, MSG_Q_LEN, ACK_Q_LEN }) => {
    const Data = Array.from({ length: DATA }, (_, i) => `d${i + 1}`);
    const D = t.enum(Data);
    const Bit = t.int(0, 1);
    const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    return model({
      state: t.record({
        msgQ: t.seq(t.tuple(Bit, D), MSG_Q_LEN + 1), // messages in transit to the receiver, oldest first
        ackQ: t.seq(Bit, ACK_Q_LEN + 1), // acknowledgements in transit to the sender
        sBit: Bit, // the sender's bit for its current value
        sAck: Bit, // the last acknowledgement bit the sender received
        rBit: Bit, // the bit of the last message the receiver took
        sent: D, // the value being sent
        rcvd: D, // the value last received
      }),
      // ABInit
      init: [0, 1].flatMap((b) => Data.flatMap((sent) => Data.map((rcvd) => ({ msgQ: [], ackQ: [], sBit: b, sAck: b, rBit: b, sent, rcvd })))),
      actions: {
        // SndNewValue(d): the acknowledged sender starts sending d with a flipped bit.
        SndNewValue: {
          params: Data,
          enabled: (s) => s.sAck === s.sBit,
          next: (s, d) => { s.sent = d; s.sBit = 1 - s.sBit; s.msgQ.push([s.sBit, d]); },
          label: (d) => `SndNewValue(${d})`,
        },
        // ReSndMsg: the sender sends its value again.
        ReSndMsg: { enabled: (s) => s.sAck !== s.sBit, next: (s) => { s.msgQ.push([s.sBit, s.sent]); } },
        // RcvMsg: the receiver takes the oldest message.
        RcvMsg: {
          enabled: (s) => s.msgQ.length > 0,
          next: (s) => { const [bit, d] = s.msgQ.shift()!; s.rBit = bit; s.rcvd = d; },
        },
        // SndAck: the receiver acknowledges the bit of the last message it took.
        SndAck: { next: (s) => { s.ackQ.push(s.rBit); } },
        // RcvAck: the sender takes the oldest acknowledgement.
        RcvAck: { enabled: (s) => s.ackQ.length > 0, next: (s) => { s.sAck = s.ackQ.shift()!; } },
        // LoseMsg: the i-th message in msgQ is lost.
        LoseMsg: {
          params: positions(MSG_Q_LEN + 1),
          enabled: (s, i) => i <= s.msgQ.length,
          next: (s, i) => { s.msgQ.splice(i - 1, 1); },
          label: (i) => `LoseMsg(${i})`,
        },
        // LoseAck: the i-th acknowledgement in ackQ is lost.
        LoseAck: {
          params: positions(ACK_Q_LEN + 1),
          enabled: (s, i) => i <= s.ackQ.length,
          next: (s, i) => { s.ackQ.splice(i - 1, 1); },
          label: (i) => `LoseAck(${i})`,
        },
      },
      // SeqConstraint
      constraint: (s) => s.msgQ.length <= MSG_Q_LEN && s.ackQ.length <= ACK_Q_LEN,
      properties: {
        // ABCSpec's [][ABCNext]_cvars
        ABCSpec: {
          check: (a, b) => {
            const unchanged = a.sBit === b.sBit && a.sAck === b.sAck && a.rBit === b.rBit && a.sent === b.sent && a.rcvd === b.rcvd;
            return unchanged || abcStep(Data, a, b);
          },
          doc: 'every step is a step of ABCorrectness, or leaves its variables unchanged',
        },
      },
      temporal: Object.fromEntries(
        Data.map((d) => [
          `SentLeadsToRcvd_${d}`,
          { leadsTo: [(s: { sent: string; sBit: number; sAck: number }) => s.sent === d && s.sBit !== s.sAck, (s: { rcvd: string }) => s.rcvd === d], doc: `a value ${d} being sent is eventually received` },
        ]),
      ),
      // ABFairness
      fairness: { weak: ['ReSndMsg', 'SndAck'], strong: ['RcvMsg', 'RcvAck'] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 240,
      generated: 1392,
      depth: 10,
      note: 'TLC on MCAlternatingBit.cfg (Data = {d1, d2}, msgQLen = ackQLen = 2), tlaplus/Examples manifest: 240 distinct, 1,392 generated, depth 10',
    },
  ],
});
