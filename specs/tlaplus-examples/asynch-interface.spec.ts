// AsynchInterface, after AsynchInterface.tla in the tlaplus Examples
// (SpecifyingSystems/AsynchronousInterface), chapter 3 of "Specifying Systems": the same
// handshake as channel.spec.ts, written with three separate variables. Send chooses the new
// value nondeterministically (val' \in Data): one parameter value per datum.
//
// With Data = {d1, d2, d3} the Examples manifest records 12 distinct states, 30 generated
// and depth 2 (AsynchInterface.cfg, which checks TypeInvariant, here the schema).

import { defineSpec, model, t } from '../../checker/index.js';

export default defineSpec({
  name: 'AsynchInterface',
  doc: 'A two-phase handshake interface: a value and the rdy/ack bits.',
  constants: {
    DATA: { default: 3, min: 1, max: 8, doc: 'number of data values (TLC: Data = {d1, d2, d3})' },
  },
  setup: ({ DATA }) => {
    const Data = Array.from({ length: DATA }, (_, i) => `d${i + 1}`);
    return model({
      state: t.record({
        val: t.enum(Data), // the value last sent
        rdy: t.int(0, 1), // flipped by the sender
        ack: t.int(0, 1), // flipped by the receiver
      }),
      // Init == val \in Data /\ rdy \in {0, 1} /\ ack = rdy
      init: Data.flatMap((val) => [0, 1].map((rdy) => ({ val, rdy, ack: rdy }))),
      actions: {
        // Send: the sender sends some value.
        Send: {
          params: Data,
          enabled: (s) => s.rdy === s.ack,
          next: (s, d) => { s.val = d; s.rdy = 1 - s.rdy; },
          label: (d) => `Send(${d})`,
        },
        // Rcv: the receiver acknowledges it.
        Rcv: {
          enabled: (s) => s.rdy !== s.ack,
          next: (s) => { s.ack = 1 - s.ack; },
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
      note: 'TLC on AsynchInterface.cfg (Data = {d1, d2, d3}), tlaplus/Examples manifest: 12 distinct, 30 generated, depth 2',
    },
  ],
});
