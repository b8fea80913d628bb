// The profiles read from the driver sources (model/drivers/virtio.ts, pds.ts, xe.ts): the
// behaviours their headers name, on a hand-built device, and in the whole model.

import { describe, it, expect } from 'vitest';
import { check, instantiate } from '../../checker/index.js';
import { driverProfile, migrationSpec } from '../../model/index.js';
import { applyRead, initialSource, precopyInfoResult, readResult } from '../../model/datapath/source.js';
import { unread, unreadInitial } from '../../model/datapath/stream.js';

const bounds = { units: 2, maxVersion: 1 };

describe('virtio', () => {
  const v = driverProfile('virtio');

  it('takes the whole context as initial data, and re-reads it inside precopy_info once everything was read (PRECOPY-15)', () => {
    const dev = initialSource(bounds);
    dev.live = true;
    v.onArc(dev, 'RUNNING', 'PRE_COPY');
    dev.state = 'PRE_COPY';
    expect(unreadInitial(dev)).toBe(2);
    expect(v.precopyInfo(dev)).toEqual({ ok: true, initial: 2, dirty: 0, reinit: false });
    dev.initial = [-1, -1];
    // Everything read: the context size counts as dirty data, and the ioctl buffers it.
    expect(v.precopyInfo(dev)).toEqual({ ok: true, initial: 0, dirty: 2, reinit: false });
    v.afterPrecopyInfo!(dev);
    expect(unread(dev, 'dirty')).toBe(2);
    expect(v.readEmpty({ ...dev, state: 'PRE_COPY' })).toBe('ENOMSG');
    expect(v.readEmpty({ ...dev, state: 'STOP_COPY' })).toBe('EOF');
  });

  it('saves synchronously on the arc into STOP_COPY (no asynchronous save to complete)', () => {
    const dev = initialSource(bounds);
    dev.live = true;
    v.onArc(dev, 'PRE_COPY_P2P', 'STOP_COPY');
    expect([unread(dev, 'final'), dev.end, dev.pending]).toEqual([2, true, false]);
    expect(v.saveDone).toBeUndefined();
    expect(v.detectsIncomplete).toBe(false);
  });

  it('breaks only the INFO-level DirtyBytesStartAtZero (PRECOPY-7) in the whole model', () => {
    const r = check(instantiate(migrationSpec({ name: 'Virtio', doc: 'virtio', driver: 'virtio', units: 1 })));
    expect(r.status).toBe('violation');
    if (r.status === 'violation') expect(r.violation.name).toBe('DirtyBytesStartAtZero');
  });
});

describe('pds and xe', () => {
  for (const name of ['pds', 'xe']) {
    it(`${name}: no PRE_COPY, precopy_info ENOTTY, the whole state at STOP->STOP_COPY, no destination check`, () => {
      const d = driverProfile(name);
      expect(d.flags).toEqual(['P2P']);
      const dev = initialSource(bounds, d);
      expect(d.precopyInfo(dev)).toEqual({ ok: false, errno: 'ENOTTY' });
      d.onArc(dev, 'STOP', 'STOP_COPY');
      expect([unread(dev, 'final'), dev.end]).toEqual([2, true]);
      expect(d.detectsIncomplete).toBe(false);
    });
  }

  it('xe: every property holds in the whole model', () => {
    const r = check(instantiate(migrationSpec({ name: 'NoPrecopy', doc: 'xe', driver: 'xe', units: 1 })));
    expect(r.status).toBe('ok');
  });

  it('pds: an ended save fd reads 0 while nothing was read from it, EINVAL once something was; precopy_info ENOTTY (pds_vfio_save_read on a put file)', () => {
    const d = driverProfile('pds');
    const fresh = () => {
      const dev = initialSource(bounds, d);
      dev.live = true;
      d.onArc(dev, 'STOP', 'STOP_COPY');
      dev.state = 'STOP_COPY';
      return dev;
    };
    const untouched = fresh();
    untouched.live = false;
    expect(readResult(untouched, d)).toEqual({ kind: 'eof' });
    expect(precopyInfoResult(untouched, d)).toEqual({ ok: false, errno: 'ENOTTY' });
    const read = fresh();
    applyRead(read, readResult(read, d), d, bounds, false);
    expect(read.drv.readAny).toBe(true);
    read.live = false;
    expect(readResult(read, d)).toEqual({ kind: 'errno', errno: 'EINVAL' });
    // A new save file starts at position 0 again.
    d.onArc(read, 'STOP', 'STOP_COPY');
    expect(read.drv.readAny).toBe(false);
  });

  it('pds: the adversarial user finds the 0 on an ended fd in three steps; QEMU reads one only after a firmware recovery (test/model/pds-recovery.test.ts)', () => {
    const r = check(instantiate(migrationSpec({ name: 'Pds', doc: 'pds', driver: 'pds', units: 1 })));
    expect(r.status).toBe('violation');
    if (r.status === 'violation') {
      expect(r.violation.name).toBe('EndedSessionFdFails');
      expect(r.violation.trace.length).toBe(4);
    }
    const { asyncError: _recovery, ...withoutRecovery } = driverProfile('pds');
    const q = check(instantiate(migrationSpec({ name: 'PdsQemu', doc: 'pds', driver: { ...withoutRecovery, name: 'pds-without-recovery' }, user: 'qemu-like', units: 1 })));
    expect(q.status).toBe('ok');
  });
});
