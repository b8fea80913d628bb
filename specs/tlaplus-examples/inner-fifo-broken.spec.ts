// InnerFIFO with a deliberately broken buffer: BufSend sends the newest message in the
// queue (a stack's pop) instead of the oldest. Everything else is inner-fifo.spec.ts
// unchanged. Every state stays well typed and nothing deadlocks, so only the action
// property BufSendSendsHead, which compares each BufSend step with the queue before it,
// can tell.
//
// The shortest counterexample needs two different messages in the queue: the sender
// sends m1, the buffer queues it, the sender sends m2, the buffer queues it, and the
// buffer sends m2 first. BFS order (initial states in order, actions in declaration
// order, messages in order) picks it from the first initial state.

import { defineSpec, model } from '../../checker/index.js';
import innerFifo from './inner-fifo.spec.js';

export default defineSpec({
  name: 'InnerFIFOBroken',
  doc: 'InnerFIFO whose buffer sends the newest queued message first (a planted bug).',
  constants: innerFifo.constants,
  setup: (c) => {
    const m = innerFifo.setup(c);
    return model({
      ...m,
      actions: {
        ...m.actions, // BufSend keeps its place in the action order
        BufSend: {
          ...m.actions.BufSend,
          // The bug: Head(q) read from the wrong end.
          next: (s) => { s.out.val = s.q.pop()!; s.out.rdy = 1 - s.out.rdy; },
        },
      },
    });
  },
  expect: [
    {
      status: 'violation',
      violation: { kind: 'action-property', name: 'BufSendSendsHead' },
      trace: ['Init', 'SSend(m1)', 'BufRcv', 'SSend(m2)', 'BufRcv', 'BufSend'],
    },
  ],
});
