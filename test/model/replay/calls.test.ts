import { describe, it, expect } from 'vitest';
import { uapiCallsFor, CALLS, SIDES, type ReplayEvent } from '../../../model/replay/index.js';
import { adversarial, qemuLike, migrationConfig } from '../../../model/index.js';

describe('events and the model calls they can stand for', () => {
  it('maps each call on each side to calls the user models make, alone or inside a compound step', () => {
    const cfg = migrationConfig({});
    const made = new Set([adversarial, qemuLike].flatMap((u) => Object.values(u.actions(cfg)).map((a) => a.call)));
    const mapped = new Set(CALLS.flatMap((call) => SIDES.flatMap((side) =>
      uapiCallsFor({ device: 'd', side, call, ...(call === 'set_state' ? { target: 'STOP' } : {}) } as ReplayEvent))));
    // MIG_DATA_SIZE and the source's close happen only inside QemuSaveSetup / QemuSaveCleanup (labels joined by '; ').
    expect([...mapped].filter((c) => !made.has(c)).sort()).toEqual(['src.close', 'src.data_size']);
    expect([...made].filter((c) => !mapped.has(c) && c !== 'user' && c !== 'device')).toEqual([]);
  });
  it('gives an strace feature call every feature call of its side, and a destination read nothing', () => {
    expect(uapiCallsFor({ device: 'd', side: 'source', call: 'feature' })).toEqual(['src.set', 'src.opt_in', 'src.data_size']);
    expect(uapiCallsFor({ device: 'd', side: 'destination', call: 'read' })).toEqual([]);
    expect(uapiCallsFor({ device: 'd', side: 'destination', call: 'write', bytes: 1 })).toEqual(['dst.write']);
  });
});
