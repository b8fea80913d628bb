// The device's own steps are actions only for drivers that can take them: an action whose
// guard is never true would make every run warn that it never fired (the warning meant for
// a misspelt guard), starting with the very first `migcheck check`.

import { describe, expect, it } from 'vitest';
import { check, defineSpec, instantiate } from '../../checker/index.js';
import { migrationModel } from '../../model/datapath/migration.js';
import { mlx5Like, reference, type DriverProfile } from '../../model/drivers/index.js';
import defaultSpec from '../../specs/vfio/default.spec.js';

const deviceActions = (m: ReturnType<typeof migrationModel>) =>
  Object.entries(m.actions as Record<string, { call?: string }>).filter(([, a]) => a.call === 'device').map(([k]) => k);

describe('device actions by driver capability', () => {
  it('the default spec (reference driver, no asynchronous save) fires every action it has', () => {
    const r = check(instantiate(defaultSpec));
    expect(r.status).toBe('ok');
    expect(r.coverage!.neverFired).toEqual([]);
  });

  it('offers DriverSaveDone only to a profile with a saveDone hook (DATA-10), DeviceReinit only to one with reinit under REINIT (REINIT-5)', () => {
    expect(reference.saveDone).toBeUndefined();
    expect(deviceActions(migrationModel({ driver: reference }))).toEqual(['DeviceDirty', 'DeviceReinit']);
    expect(deviceActions(migrationModel({ driver: reference, reinit: false }))).toEqual(['DeviceDirty']);
    expect(deviceActions(migrationModel({ driver: mlx5Like }))).toEqual(['DeviceDirty', 'DeviceReinit', 'DriverSaveDone']);
    const hangs: DriverProfile = { ...mlx5Like, name: 'save-hangs', saveDone: undefined };
    expect(deviceActions(migrationModel({ driver: hangs }))).not.toContain('DriverSaveDone');
  });

  it('an asynchronous save still completes for mlx5-like: DriverSaveDone fires', () => {
    const m = migrationModel({ driver: 'mlx5-like', units: 1, maxVersion: 1, reinit: false });
    const r = check(instantiate(defineSpec({ name: 'async', setup: () => m })), { coverage: true });
    expect(r.status).toBe('ok');
    expect(r.coverage!.neverFired).toEqual([]);
    const fired = r.coverage!.actions.filter((a) => a.action === 'DriverSaveDone').reduce((n, a) => n + a.fired, 0);
    expect(fired).toBeGreaterThan(0);
  });
});
