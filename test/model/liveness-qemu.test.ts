// Item 6 of issue 10: under fairness, every conforming driver migrates with the qemu-like user
// to an end (done or failed), with and without switchover-ack; the broken profile in the spec
// shows the property can fail (its pinned trace is in the spec's expect block).
import { describe, expect, it } from 'vitest';
import { check, instantiate } from '../../checker/index.js';
import { defaultDrivers } from '../../model/index.js';
import spec from '../../specs/vfio/liveness-qemu.spec.js';

describe('liveness: a qemu-like migration ends with every conforming driver', () => {
  for (const driver of defaultDrivers())
    for (const ack of [false, true])
      it(`${driver}${ack ? ' with switchover-ack' : ''}`, () => {
        const r = check(instantiate(spec, { DRIVER: driver, SWITCHOVER_ACK: ack }), {});
        expect(r.status, JSON.stringify(r.status === 'violation' ? r.violation : r.status)).toBe('ok');
      });
  it('fails for a driver whose STOP_COPY save never completes', () => {
    const r = check(instantiate(spec, { DRIVER: 'broken-save-hangs' }), {});
    expect(r.status).toBe('violation');
    if (r.status === 'violation') expect(r.violation.name).toBe('MigrationEnds');
  });
});
