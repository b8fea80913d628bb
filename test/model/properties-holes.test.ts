// Issue 10 item 6: the properties that close the model's holes, each shown to fail on a
// hand-made profile (and to hold for the conforming profiles: the golden specs).
import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate } from '../../checker/index.js';
import { migrationModel, type MigrationOptions } from '../../model/datapath/migration.js';
import { mlx5Like, reference, type DriverProfile } from '../../model/drivers/index.js';
import { adversarial, type UserModel } from '../../model/users/index.js';
import { mayForward } from '../../model/datapath/uapi.js';

function violated(o: MigrationOptions, only?: string): string | undefined {
  const r = check(instantiate(defineSpec({ name: 'hole', setup: () => migrationModel({ units: 2, maxVersion: 1, ...o }) })), only ? { invariants: [only] } : {});
  return r.status === 'violation' ? r.violation.name : undefined;
}

describe('properties that close the holes (issue 10 item 6)', () => {
  it('InitialBytesZeroOnlyWhenRead [PRECOPY-5]: a driver that answers initial_bytes 0 with initial data unread', () => {
    const d: DriverProfile = { ...reference, name: 'zero-initial', precopyInfo: (dev) => ({ ...(reference.precopyInfo(dev) as { ok: true; initial: number; dirty: number; reinit: boolean }), initial: 0 }) };
    expect(violated({ driver: d })).toBe('InitialBytesZeroOnlyWhenRead');
  });

  it('EndedSessionFdFails [SAVE-4]: a driver whose old fd reads 0 after its session ended (a reset included)', () => {
    const d: DriverProfile = { ...reference, name: 'stale-eof', staleRead: () => 'EOF' };
    expect(violated({ driver: d })).toBe('EndedSessionFdFails');
    expect(violated({ driver: { ...reference, name: 'stale-einval', staleRead: () => 'EINVAL' } })).toBeUndefined();
  });

  it('EofOnlyWhenNothingLeft [FSM-6]: a driver that answers 0 while its STOP_COPY save is still in flight', () => {
    const d: DriverProfile = { ...mlx5Like, name: 'eof-while-saving', readEmpty: (dev) => (dev.state === 'STOP_COPY' ? 'EOF' : mlx5Like.readEmpty(dev)) };
    expect(violated({ driver: d, reinit: false })).toBe('EofOnlyWhenNothingLeft');
  });

  it('StreamInOrder [DATA-2, the driver\'s]: a driver whose trailer re-sends every unit as it was when the session started', () => {
    const d: DriverProfile = {
      ...reference,
      name: 'stale-trailer',
      onArc: (dev, from, to) => {
        reference.onArc(dev, from, to);
        if (to === 'STOP_COPY') for (let u = 0; u < dev.final.length; u++) dev.final[u] = 0;
      },
    };
    // The write of the stale record fails before any migration completes (NoLostMandatoryData would judge only that).
    expect(violated({ driver: d })).toBe('StreamInOrder');
    expect(violated({ driver: d }, 'NoLostMandatoryData')).toBe('NoLostMandatoryData');
    expect(violated({ driver: reference }, 'StreamInOrder')).toBeUndefined();
  });

  it('UserForwardsOneSession [DATA-2, the user\'s]: a user that writes whatever it holds', () => {
    const sloppy: UserModel = {
      ...adversarial,
      name: 'sloppy',
      actions: (cfg) => {
        const a = adversarial.actions(cfg);
        return { ...a, DstWrite: { ...a.DstWrite!, enabled: (s) => s.dst.held && s.link.kind !== 'none' } };
      },
    };
    expect(violated({ user: sloppy })).toBe('UserForwardsOneSession');
    // The built-in user obeys it by construction.
    expect(adversarial.actions).toBeDefined();
    expect(mayForward({ kind: 'none', unit: 0, version: 0, forwarded: false, written: false, paired: false, drained: false })).toBe(false);
  });

  it('StoppedDeviceDoesNotChange [FSM-2]: a driver that changes a unit on the arc into STOP', () => {
    const d: DriverProfile = {
      ...reference,
      name: 'changes-on-stop',
      onArc: (dev, from, to) => {
        reference.onArc(dev, from, to);
        if (to === 'STOP' && dev.units[0] > 0) dev.units[0] = 0;
      },
    };
    expect(violated({ driver: d })).toBe('StoppedDeviceDoesNotChange');
  });
});
