// InnerFIFO: a FIFO buffer between two handshake channels, after InnerFIFO.tla (and the
// TLC model MCInnerFIFO) in the tlaplus Examples, from chapter 4 of Lamport's
// "Specifying Systems". A sender puts messages on channel `in`; the buffer receives each
// one and appends it to the queue `q`; it sends the queue's head on channel `out`, where a
// receiver takes it. Each channel is the two-phase handshake of Channel.tla: a value plus
// a ready and an acknowledge bit; a send flips `rdy`, the receive flips `ack` back.
//
// Modelled as in the original: the queue is unbounded in InnerFIFO; MCInnerFIFO makes the
// model finite with the state constraint Len(q) <= qLen, so TLC does not explore the
// successors of a state whose queue is longer. Here the queue is a `t.seq` whose bound is
// qLen + 1: the step that makes the queue one too long is still computed (and counted as
// generated, as TLC counts it), then discarded by the same constraint. TypeInvariant is
// the schema, checked on every state.
//
// With Message = {m1, m2, m3} and qLen = 3 the Examples manifest records 3,864 distinct
// states, 9,660 states generated and depth 11 (MCInnerFIFO.cfg).

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'InnerFIFO',
  doc: 'A FIFO queue between two handshake channels; the queue is bounded by a state constraint, as in MCInnerFIFO.',
  constants: {
    MESSAGES: { default: 3, min: 1, max: 6, doc: 'number of distinct messages (TLC: Message = {m1, m2, m3})' },
    QLEN: { default: 3, min: 0, max: 6, doc: 'qLen: the longest queue whose successors are explored' },
  },
  setup: ({ MESSAGES, QLEN }) => {
    const Message = Array.from({ length: MESSAGES }, (_, i) => `m${i + 1}`);
    const Chan = t.record({ val: t.enum(Message), rdy: t.int(0, 1), ack: t.int(0, 1) });
    type Chan = { val: string; rdy: number; ack: number };
    // Channel!Init: any value, with rdy = ack (nothing pending).
    const idle: Chan[] = Message.flatMap((val) => [0, 1].map((b) => ({ val, rdy: b, ack: b })));
    const send = (c: Chan, d: string) => { c.val = d; c.rdy = 1 - c.rdy; };
    const rcv = (c: Chan) => { c.ack = 1 - c.ack; };
    return model({
      state: t.record({
        in: Chan, // the channel from the sender to the buffer
        out: Chan, // the channel from the buffer to the receiver
        q: t.seq(t.enum(Message), QLEN + 1), // the buffered messages, oldest first
      }),
      init: idle.flatMap((i) => idle.map((o) => ({ in: { ...i }, out: { ...o }, q: [] }))),
      // Next == \E msg \in Message : SSend(msg) \/ BufRcv \/ BufSend \/ RRcv
      actions: {
        // The sender sends msg on `in` (InChan!Send).
        SSend: {
          params: Message,
          enabled: (s) => s.in.rdy === s.in.ack,
          next: (s, msg) => { send(s.in, msg); },
          label: (msg) => `SSend(${msg})`,
        },
        // The buffer receives from `in` and appends the value to q.
        BufRcv: {
          enabled: (s) => s.in.rdy !== s.in.ack,
          next: (s) => { rcv(s.in); s.q.push(s.in.val); },
        },
        // The buffer sends Head(q) on `out` and keeps Tail(q).
        BufSend: {
          enabled: (s) => s.q.length > 0 && s.out.rdy === s.out.ack,
          next: (s) => { send(s.out, s.q.shift()!); },
        },
        // The receiver takes the value on `out` (OutChan!Rcv).
        RRcv: {
          enabled: (s) => s.out.rdy !== s.out.ack,
          next: (s) => { rcv(s.out); },
        },
      },
      // MCInnerFIFO's qConstraint == Len(q) <= qLen.
      constraint: (s) => s.q.length <= QLEN,
      // Not in the original (whose only claim is TypeInvariant): the queue is first in,
      // first out, as action properties over the steps that touch it.
      properties: {
        // [][BufRcv => q' = Append(q, in.val)]_vars
        BufRcvAppends: {
          check: (s, t, step) => step.action !== 'BufRcv' || (t.q.length === s.q.length + 1 && t.q.every((m, i) => m === (i < s.q.length ? s.q[i] : s.in.val))),
          doc: 'the buffer appends the received message at the tail of the queue',
        },
        // [][BufSend => out'.val = Head(q) /\ q' = Tail(q)]_vars
        BufSendSendsHead: {
          check: (s, t, step) => step.action !== 'BufSend' || (t.out.val === s.q[0] && t.q.length === s.q.length - 1 && t.q.every((m, i) => m === s.q[i + 1])),
          doc: 'the buffer sends the oldest message in the queue and removes it',
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 3864,
      generated: 9660,
      depth: 11,
      note: 'TLC on MCInnerFIFO.cfg (Message = {m1, m2, m3}, qLen = 3), tlaplus/Examples manifest: 3,864 distinct, 9,660 generated, depth 11',
    },
  ],
});
