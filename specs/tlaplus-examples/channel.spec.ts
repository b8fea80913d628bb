// Channel, after Channel.tla in the tlaplus Examples (SpecifyingSystems/AsynchronousInterface),
// chapter 3 of "Specifying Systems": a two-phase handshake between a sender and a receiver.
// The channel is one record: the value `val`, and the bits `rdy` and `ack`; a send is
// possible when they are equal and flips `rdy`, a receive flips `ack` back.
//
// Init is a predicate in the original (TypeInvariant /\ chan.ack = chan.rdy); here its six
// solutions are listed. `\E d \in Data : Send(d)` is one parameter value per datum.
//
// With Data = {d1, d2, d3} the Examples manifest records 12 distinct states, 30 generated
// and depth 2 (Channel.cfg, which checks TypeInvariant, here the schema).

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'Channel',
  doc: 'A two-phase handshake channel carrying values of Data.',
  constants: {
    DATA: { default: 3, min: 1, max: 8, doc: 'number of data values (TLC: Data = {d1, d2, d3})' },
  },
  setup: ({ DATA }) => {
    const Data = Array.from({ length: DATA }, (_, i) => `d${i + 1}`);
    return model({
      state: t.record({
        chan: t.record({ val: t.enum(Data), rdy: t.int(0, 1), ack: t.int(0, 1) }), // the channel: the value sent, and the handshake bits
      }),
      init: Data.flatMap((val) => [0, 1].map((b) => ({ chan: { val, rdy: b, ack: b } }))),
      actions: {
        // Send(d): the sender puts d on the channel.
        Send: {
          params: Data,
          enabled: (s) => s.chan.rdy === s.chan.ack,
          next: (s, d) => { s.chan.val = d; s.chan.rdy = 1 - s.chan.rdy; },
          label: (d) => `Send(${d})`,
        },
        // Rcv: the receiver acknowledges the value.
        Rcv: {
          enabled: (s) => s.chan.rdy !== s.chan.ack,
          next: (s) => { s.chan.ack = 1 - s.chan.ack; },
        },
      },
    });
  },
  expect: [
    {
      status: 'ok',
      distinct: 12,
      generated: 30,
      depth: 2,
      note: 'TLC on Channel.cfg (Data = {d1, d2, d3}), tlaplus/Examples manifest: 12 distinct, 30 generated, depth 2',
    },
  ],
});
