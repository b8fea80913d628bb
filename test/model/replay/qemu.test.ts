import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseQemuTrace, showEvent, showProblem, type ReplayEvent } from '../../../model/replay/index.js';

const FIX = 'test/fixtures/replay';
const read = (f: string) => readFileSync(`${FIX}/${f}`, 'utf8');
const lines = (events: readonly ReplayEvent[]) => events.map((e) => `${e.line} ${showEvent(e)}`);

describe('QEMU trace logs', () => {
  it('reads a QEMU 9 PRE_COPY source: successful SETs, reads with data, empty reads inferred from vfio_save_iterate', () => {
    const r = parseQemuTrace(read('qemu-9-source-precopy.log'));
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    const d = '0000:17:00.1';
    expect(lines(r.events)).toEqual([
      `1 source ${d}: open`,
      `2 source ${d}: SET_STATE(PRE_COPY) = 0`,
      `3 source ${d}: DEVICE_FEATURE(GET, MIG_DATA_SIZE)`,
      `3 source ${d}: PRECOPY_INFO(data_fd)`,
      `5 source ${d}: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2097152}`,
      `5 source ${d}: PRECOPY_INFO(data_fd) = {initial_bytes: 3145728, dirty_bytes: 0}`,
      `6 source ${d}: read(data_fd) = 1048576`,
      `8 source ${d}: read(data_fd) = 1048576`,
      `10 source ${d}: read(data_fd) = 1048576`,
      `12 source ${d}: read(data_fd) = 0 or -1 ENOMSG`,
      `13 source ${d}: SET_STATE(PRE_COPY_P2P) = 0`,
      `15 source ${d}: SET_STATE(STOP_COPY) = 0`,
      `17 source ${d}: read(data_fd) = 524288`,
      `18 source ${d}: read(data_fd) = 0 or -1 ENOMSG`,
      `21 source ${d}: SET_STATE(STOP) = 0`,
      `22 source ${d}: close(?)`,
    ]);
    expect(r.informational).toEqual({
      vfio_state_pending_estimate: 1, vfio_vmstate_change_prepare: 1, vfio_vmstate_change: 1, vfio_save_device_config_state: 1, vfio_migration_state_notifier: 1,
    });
    expect(r.unknown).toEqual({});
  });

  it('reads the pid@time prefix and infers the destination from RESUMING and loads', () => {
    const r = parseQemuTrace(read('qemu-9-destination-prefixed.log'));
    if (!r.ok) throw new Error('parse');
    expect(r.events.every((e) => e.side === 'destination' && e.device === '0000:65:00.1')).toBe(true);
    expect(r.events.map((e) => e.call)).toEqual(['open', 'set_state', 'write', 'write', 'close', 'set_state', 'set_state']);
    expect(r.events[2]).toMatchObject({ call: 'write', bytes: 1048576, line: 5 });
  });

  it('pairs QEMU 10 requests with the state QEMU then records, uses the traced queries only, and reads the opt-in from vfio_migration_init', () => {
    const r = parseQemuTrace(read('qemu-10-source.log'));
    if (!r.ok) throw new Error('parse');
    expect(r.events.map((e) => (e.call === 'set_state' ? `set ${e.target}` : e.call))).toEqual([
      'opt_in', 'open', 'data_size', 'set PRE_COPY', 'precopy_info', 'read', 'read', 'precopy_info', 'set PRE_COPY_P2P', 'set STOP_COPY', 'read', 'read', 'set STOP', 'close',
    ]);
    expect(r.events[6]).toMatchObject({ call: 'read', errno: 'ENOMSG', line: 13 });
    expect(r.events[7]).toMatchObject({ call: 'precopy_info', initial_bytes: 0, dirty_bytes: 4096, reinit: false });
    expect(r.unknown).toEqual({ vfio_region_read: 1 });
  });

  it('turns error_report lines into failed SETs, recovery SETs and resets', () => {
    const r = parseQemuTrace(read('qemu-8-failed-set.log'));
    if (!r.ok) throw new Error('parse');
    expect(lines(r.events).slice(2)).toEqual([
      '4 source 0000:3b:00.2: SET_STATE(STOP) = -1 EIO',
      '4 source 0000:3b:00.2: RESET',
      '6 source 0000:3b:00.2: SET_STATE(STOP_COPY) = -1 EINVAL',
      '7 source 0000:3b:00.2: SET_STATE(STOP) = -1 EINVAL',
      '7 source 0000:3b:00.2: RESET',
    ]);
  });

  it('keeps a recovery SET that no error line contradicts', () => {
    const log = [
      'vfio_migration_set_state  (d) state STOP_COPY',
      'qemu-system-x86_64: d: Failed setting device state to STOP, err: Invalid argument. Setting device in recover state STOP_COPY',
      'vfio_save_cleanup  (d)',
    ].join('\n');
    const r = parseQemuTrace(log);
    expect(r.ok && lines(r.events)).toEqual([
      '1 source d: SET_STATE(STOP_COPY) = 0',
      '2 source d: SET_STATE(STOP) = -1 EINVAL',
      '2 source d: SET_STATE(STOP_COPY) = 0',
      '3 source d: close(?)',
    ]);
  });

  it('shows precopy_info answered in STOP_COPY (the broken fixture) as the event it is', () => {
    const r = parseQemuTrace(read('qemu-broken-info-in-stop-copy.log'));
    if (!r.ok) throw new Error('parse');
    const i = r.events.findIndex((e) => e.call === 'set_state' && e.target === 'STOP_COPY');
    expect(r.events[i + 1]).toMatchObject({ call: 'precopy_info', initial_bytes: 0, dirty_bytes: 0, line: 11 });
  });

  it('reports malformed lines by number and names the event and device', () => {
    const r = parseQemuTrace(read('qemu-malformed.log'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => showProblem('t.log', p))).toEqual([
      "t.log:2: vfio_migration_set_state (0000:17:00.1): unknown state 'FLYING'",
      "t.log:3: vfio_save_block (0000:17:00.1): cannot read 'data_size lots' (expected 'data_size N')",
      "t.log:4: vfio_save_block: expected ' (DEVICE)' after the event name, got 'data_size 4096'",
    ]);
  });

  it('refuses a protocol v1 trace by name instead of misreading it', () => {
    const r = parseQemuTrace(read('qemu-v1-protocol.log'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems[0]).toMatchObject({ line: 1, message: expect.stringMatching(/protocol v1/) });
  });

  it('counts unknown vfio events and other lines, and refuses a device seen saving and loading', () => {
    const r = parseQemuTrace('vfio_region_write  (0000:17:00.1:region0+0x0, 0x1, 4)\nhello\nvfio_region_write  (x:region0+0x4, 0x0, 4)\n');
    expect(r.ok && [r.unknown, r.otherLines, r.events.length]).toEqual([{ vfio_region_write: 2 }, 1, 0]);
    const both = parseQemuTrace('vfio_migration_set_state  (d) state STOP_COPY\nvfio_migration_set_state  (d) state RESUMING\n');
    expect(!both.ok && both.problems[0].message).toMatch(/shows both saving and loading/);
    const twoProcesses = parseQemuTrace('1@1.000001:vfio_migration_set_state  (d) state STOP_COPY\n2@1.000002:vfio_migration_set_state  (d) state RESUMING\n');
    expect(twoProcesses.ok && twoProcesses.events.map((e) => e.side)).toEqual(['source', 'destination']);
  });

  it('takes the side from the options for a log that cannot show it', () => {
    const r = parseQemuTrace('vfio_migration_set_state  (d) state STOP\n', { side: 'destination' });
    expect(r.ok && r.events[0]).toMatchObject({ side: 'destination', call: 'set_state', target: 'STOP' });
    const none = parseQemuTrace('vfio_migration_set_state  (d) state STOP\n');
    expect(!none.ok && none.problems[0].message).toMatch(/cannot tell whether device d is the source or the destination/);
  });
});

describe('QEMU 10 request tracing (vfio_migration_set_state traced before the ioctl)', () => {
  const run = (...l: string[]) => parseQemuTrace(l.join('\n') + '\n');
  it('takes a request for the state QEMU already records as no call', () => {
    const r = run(
      'vfio_migration_set_state  (d) new state STOP_COPY, recover state STOP',
      'vfio_migration_set_device_state  (d) state STOP_COPY',
      'vfio_migration_set_state  (d) new state STOP_COPY, recover state STOP',
    );
    expect(r.ok && r.events.map(showEvent)).toEqual(['source d: SET_STATE(STOP_COPY) = 0']);
    expect(r.ok && r.informational).toEqual({ 'vfio_migration_set_state (already in that state: no ioctl)': 1 });
  });
  it('reads a failure from the recorded state when no error line was printed: a reset after recover ERROR', () => {
    const r = run(
      'vfio_migration_set_state  (d) new state STOP_COPY, recover state ERROR',
      'vfio_migration_set_device_state  (d) state RUNNING',
    );
    expect(r.ok && r.events.map(showEvent)).toEqual(['source d: SET_STATE(STOP_COPY) = -1 unknown', 'source d: RESET']);
  });
  it('reads the error_setg_errno form of a failed SET with its errno', () => {
    const r = run(
      'vfio_migration_set_state  (d) new state PRE_COPY, recover state RUNNING',
      'qemu-system-x86_64: d: Failed setting device state to PRE_COPY. Setting device in recover state RUNNING: Invalid argument',
      'vfio_migration_set_device_state  (d) state RUNNING',
    );
    expect(r.ok && r.events.map(showEvent)).toEqual(['source d: SET_STATE(PRE_COPY) = -1 EINVAL', 'source d: SET_STATE(RUNNING) = 0']);
  });
});

describe('a second data_fd while one is live (QEMU: "data_fd out of sync")', () => {
  it('keeps the traced SET (on its request line) and adds the close QEMU makes of the second fd', () => {
    const r = parseQemuTrace(readFileSync(`${FIX}/qemu-broken-second-fd.log`, 'utf8'));
    if (!r.ok) throw new Error('parse');
    expect(r.events.slice(-2).map((e) => `${e.line} ${showEvent(e)}`)).toEqual([
      '5 source 0000:17:00.1: SET_STATE(PRE_COPY_P2P) = 0',
      '7 source 0000:17:00.1: close(?)',
    ]);
    expect(r.notes.map((n) => n.line)).toEqual([7]);
  });
  it('in QEMU 9, where the SET is not traced, records it as a feature call', () => {
    const r = parseQemuTrace('vfio_migration_set_state  (d) state PRE_COPY\nd: data_fd out of sync\n');
    expect(r.ok && r.events.map(showEvent)).toEqual(['source d: SET_STATE(PRE_COPY) = 0', 'source d: DEVICE_FEATURE(?) = 0', 'source d: close(?)']);
  });
});
