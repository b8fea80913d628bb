// ABCorrectness, after ABCorrectness.tla in the tlaplus Examples (SpecifyingSystems/TLC),
// chapter 14 of "Specifying Systems": the alternating-bit protocol with its channels
// abstracted away. The sender flips sBit when it sends a new value; the receiver takes the
// value when its rBit differs from sBit; the sender learns of it when sAck catches up with
// rBit. alternating-bit.spec.ts is the protocol with lossy queues, which refines this one.
//
// Init is a predicate in the original; its 8 solutions for Data = {d1, d2} are listed here.
// `stepOf` below is ABCNext as a relation on two states (for the refinement check there).
//
// ABCorrectness.cfg checks TypeInv (here the schema) on ABCSpec. The Examples manifest records
// 20 distinct states, 36 generated and depth 3 for Data = {d1, d2}.

import { defineSpec, model, t } from '../../checker/index.js';

export type ABC = { sBit: number; sAck: number; rBit: number; sent: string; rcvd: string };

/** ABCNext as a relation: some step of the abstract protocol leads from `a` to `b`. */
export function abcStep(Data: readonly string[], a: ABC, b: ABC): boolean {
  const same = (...ks: (keyof ABC)[]) => ks.every((k) => a[k] === b[k]);
  const sndNewValue = Data.some((d) => a.sAck === a.sBit && b.sent === d && b.sBit === 1 - a.sBit && same('sAck', 'rBit', 'rcvd'));
  const rcvMsg = a.rBit !== a.sBit && b.rBit === a.sBit && b.rcvd === a.sent && same('sBit', 'sAck', 'sent');
  const rcvAck = a.rBit !== a.sAck && b.sAck === a.rBit && same('sBit', 'rBit', 'sent', 'rcvd');
  return sndNewValue || rcvMsg || rcvAck;
}

export default defineSpec({
  name: 'ABCorrectness',
  doc: 'The alternating-bit protocol with perfect, instantaneous channels.',
  constants: {
    DATA: { default: 2, min: 1, max: 5, doc: 'number of data values (TLC: Data = {d1, d2})' },
  },
  setup: ({ DATA }) => {
    const Data = Array.from({ length: DATA }, (_, i) => `d${i + 1}`);
    const D = t.enum(Data);
    return model({
      state: t.record({
        sBit: t.int(0, 1), // the sender's bit, flipped for each new value
        sAck: t.int(0, 1), // the last bit the sender knows was acknowledged
        rBit: t.int(0, 1), // the bit of the last value the receiver took
        sent: D, // the value last sent
        rcvd: D, // the value last received
      }),
      // ABCInit
      init: [0, 1].flatMap((b) => Data.flatMap((sent) => Data.map((rcvd) => ({ sBit: b, sAck: b, rBit: b, sent, rcvd })))),
      actions: {
        // CSndNewValue(d): the sender, acknowledged, sends d.
        CSndNewValue: {
          params: Data,
          enabled: (s) => s.sAck === s.sBit,
          next: (s, d) => { s.sent = d; s.sBit = 1 - s.sBit; },
          label: (d) => `CSndNewValue(${d})`,
        },
        // CRcvMsg: the receiver takes the new value.
        CRcvMsg: { enabled: (s) => s.rBit !== s.sBit, next: (s) => { s.rBit = s.sBit; s.rcvd = s.sent; } },
        // CRcvAck: the sender learns that it was taken.
        CRcvAck: { enabled: (s) => s.rBit !== s.sAck, next: (s) => { s.sAck = s.rBit; } },
      },
      // ABCFairness == WF_cvars(CRcvMsg) /\ WF_cvars(CRcvAck)
      fairness: { weak: ['CRcvMsg', 'CRcvAck'] },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 20,
      generated: 36,
      depth: 3,
      note: 'TLC on ABCorrectness.cfg (Data = {d1, d2}), tlaplus/Examples manifest: 20 distinct, 36 generated, depth 3',
    },
  ],
});
