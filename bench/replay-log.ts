// A long conforming migration log for measuring `migcheck replay` (docs/performance.md,
// "Replaying a long log"): one device, both ends, in migcheck's JSON-lines format. The source
// enters PRE_COPY, sends its initial data, then QEMU-style iterations (precopy_info answering
// 0/0, read() = ENOMSG) until the log has N events, then STOP_COPY to the end of the stream.
//
//   node bin/run-ts.js bench/replay-log.ts 100000 > /tmp/long.jsonl
//   node bin/migcheck.js replay /tmp/long.jsonl

const n = Number(process.argv[2] ?? 100_000);
if (!Number.isSafeInteger(n) || n < 20) throw new Error(`usage: replay-log.ts N (N >= 20 events), got '${process.argv[2]}'`);
const src = (o: object) => JSON.stringify({ device: 'gpu0', side: 'source', ...o });
const dst = (o: object) => JSON.stringify({ device: 'gpu0', side: 'destination', ...o });
const head = [
  src({ call: 'set_state', target: 'PRE_COPY', data_fd: 45 }),
  src({ call: 'read', fd: 45, bytes: 1048576 }),
  dst({ call: 'set_state', target: 'RESUMING', data_fd: 52 }),
  dst({ call: 'write', fd: 52, bytes: 1048576 }),
];
const tail = [
  src({ call: 'set_state', target: 'STOP_COPY', data_fd: null }),
  src({ call: 'read', fd: 45, bytes: 65536 }),
  dst({ call: 'write', fd: 52, bytes: 65536 }),
  src({ call: 'read', fd: 45, bytes: 0 }),
  dst({ call: 'set_state', target: 'STOP', data_fd: null }),
  src({ call: 'set_state', target: 'STOP', data_fd: null }),
  dst({ call: 'set_state', target: 'RUNNING', data_fd: null }),
];
const body: string[] = [];
while (head.length + body.length + tail.length < n) {
  body.push(src({ call: 'precopy_info', fd: 45, initial_bytes: 0, dirty_bytes: 0 }));
  if (head.length + body.length + tail.length < n) body.push(src({ call: 'read', fd: 45, errno: 'ENOMSG' }));
}
process.stdout.write([...head, ...body, ...tail].join('\n') + '\n');
