import { describe, it, expect, expectTypeOf } from 'vitest';
import {
  CALLS, CALL_FIELDS, didYouMean, errnoOfNumber, errnoOfText, showEvent, validateEvent, type EventOf, type ReplayEvent,
} from '../../../model/replay/index.js';

describe('the replay event type', () => {
  it('accepts a set_state with its data_fd and rejects one without a target', () => {
    const ok = validateEvent({ device: 'gpu0', side: 'source', call: 'set_state', target: 'PRE_COPY', data_fd: 45 });
    expect(ok).toEqual({ ok: true, event: { device: 'gpu0', side: 'source', call: 'set_state', target: 'PRE_COPY', data_fd: 45 } });
    const bad = validateEvent({ device: 'gpu0', side: 'source', call: 'set_state' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/set_state needs 'target'/);
  });

  it('names a mistyped key with the key it was probably meant to be', () => {
    const r = validateEvent({ device: 'gpu0', side: 'source', call: 'precopy_info', intial_bytes: 3 });
    expect(!r.ok && r.message).toMatch(/unknown key 'intial_bytes' for call precopy_info; did you mean 'initial_bytes'\?/);
  });

  it('says which call a key belongs to when it is used on another', () => {
    const r = validateEvent({ device: 'gpu0', side: 'source', call: 'write', initial_bytes: 3 });
    expect(!r.ok && r.message).toMatch(/it belongs to precopy_info/);
  });

  it('refuses a result beside errno, and an empty read with a byte count', () => {
    expect(validateEvent({ device: 'd', side: 'source', call: 'read', errno: 'EIO', bytes: 1 }).ok).toBe(false);
    expect(validateEvent({ device: 'd', side: 'source', call: 'read', empty: true, bytes: 0 }).ok).toBe(false);
    expect(validateEvent({ device: 'd', side: 'source', call: 'read', empty: true }).ok).toBe(true);
  });

  it('checks value kinds: states, fds, counts, booleans', () => {
    expect(validateEvent({ device: 'd', side: 'source', call: 'get_state', state: 'PRECOPY' }).ok).toBe(false);
    expect(validateEvent({ device: 'd', side: 'source', call: 'read', fd: -1 }).ok).toBe(false);
    expect(validateEvent({ device: 'd', side: 'source', call: 'precopy_info', reinit: 1 }).ok).toBe(false);
    expect(validateEvent({ device: 'd', side: 'source', call: 'set_state', target: 'STOP', data_fd: null }).ok).toBe(true);
    expect(validateEvent({ device: '', side: 'source', call: 'reset' }).ok).toBe(false);
    expect(validateEvent([1]).ok).toBe(false);
  });

  it('has a field table for every call', () => {
    expect(Object.keys(CALL_FIELDS).sort()).toEqual([...CALLS].sort());
  });

  it('maps errno numbers and strerror texts to names', () => {
    expect(errnoOfNumber(-5)).toBe('EIO');
    expect(errnoOfNumber(42)).toBe('ENOMSG');
    expect(errnoOfNumber(-9999)).toBe('unknown');
    expect(errnoOfText('Input/output error')).toBe('EIO');
    expect(errnoOfText('No message of desired type')).toBe('ENOMSG');
    expect(errnoOfText('Success')).toBe('unknown');
  });

  it('offers a near name only when it is near', () => {
    expect(didYouMean('STOPCOPY', ['STOP_COPY', 'RUNNING'])).toBe("; did you mean 'STOP_COPY'?");
    expect(didYouMean('banana', ['STOP_COPY', 'RUNNING'])).toBe('');
  });

  it('renders events as ioctl log lines', () => {
    const e: ReplayEvent = { device: '0000:17:00.1', side: 'source', call: 'set_state', target: 'STOP_COPY', data_fd: null };
    expect(showEvent(e)).toBe('source 0000:17:00.1: SET_STATE(STOP_COPY) = 0, data_fd=-1');
    expect(showEvent({ device: 'g', side: 'source', call: 'read', fd: 45, empty: true })).toBe('source g: read(45) = 0 or -1 ENOMSG');
    expect(showEvent({ device: 'g', side: 'destination', call: 'write', errno: 'EINVAL' })).toBe('destination g: write(data_fd) = -1 EINVAL');
  });

  it('narrows an event by its call', () => {
    expectTypeOf<EventOf<'set_state'>['target']>().toEqualTypeOf<'ERROR' | 'STOP' | 'RUNNING' | 'STOP_COPY' | 'RESUMING' | 'RUNNING_P2P' | 'PRE_COPY' | 'PRE_COPY_P2P'>();
    expectTypeOf<EventOf<'read'>>().toHaveProperty('bytes');
  });
});
