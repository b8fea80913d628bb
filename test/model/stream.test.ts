// Stream semantics: records and their order, sessions opened and ended by SET, what read()
// and precopy_info answer on live and ended sessions, the destination's load and validation,
// and the user-obligation bookkeeping of the link.

import { describe, expect, it } from 'vitest';
import {
  NONE, capture, captureImage, captureTracked, nextRecord, popRecord, unread, unreadInitial, hasBuffered, showRecord,
  type SourceDevice,
} from '../../model/datapath/stream.js';
import { initialSource, readResult, precopyInfoResult, canDirty, deviceDirty, canReinit, deviceReinit, saveDone } from '../../model/datapath/source.js';
import { migrationConfig, type MigrationState } from '../../model/datapath/migration.js';
import {
  initialLink, initialLastSet, srcSet, dstSet, srcRead, srcPrecopyInfo, srcOptIn, srcReset, dstWrite, mayForward, userCompleted, showSet,
} from '../../model/datapath/uapi.js';
import { initialDestination, streamAccepted } from '../../model/datapath/destination.js';
import { reference, mlx5Like } from '../../model/drivers/index.js';

const bounds = { units: 2, maxVersion: 2 };

function fresh(driver = reference, features = 'all'): { s: MigrationState; cfg: ReturnType<typeof migrationConfig> } {
  const cfg = migrationConfig({ driver, features, units: 2, maxVersion: 2 });
  return { s: { src: initialSource(bounds), dst: initialDestination(bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() }, cfg };
}

/** Reads until the source answers something other than data; returns every record's text and the last answer. */
function drain(s: MigrationState, cfg: ReturnType<typeof migrationConfig>): string[] {
  const out: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = srcRead(s, cfg);
    if (r.kind !== 'data') {
      out.push(r.kind === 'eof' ? '0' : r.errno);
      return out;
    }
    out.push(showRecord(r.record));
    s.link.kind = 'none';
  }
  throw new Error('the stream did not end');
}

describe('records', () => {
  it('hands out header, initial, dirty, final, end in that order, unit by unit', () => {
    const dev: SourceDevice = initialSource(bounds);
    dev.units = [1, 2];
    dev.end = true;
    captureImage(dev, 'final');
    capture(dev, 'dirty', 1);
    captureImage(dev, 'initial');
    dev.header = true;
    const seen: string[] = [];
    for (let r = nextRecord(dev); r; r = nextRecord(dev)) {
      seen.push(showRecord(r));
      popRecord(dev, r);
    }
    expect(seen).toEqual([
      '[header]', '[initial unit 0 v1]', '[initial unit 1 v2]', '[dirty unit 1 v2]', '[final unit 0 v1]', '[final unit 1 v2]', '[end]',
    ]);
    expect(hasBuffered(dev)).toBe(false);
  });

  it('replaces an unread record of the same kind and unit by a newer capture', () => {
    const dev = initialSource(bounds);
    capture(dev, 'dirty', 0);
    dev.units[0] = 2;
    capture(dev, 'dirty', 0);
    expect(dev.dirty).toEqual([2, NONE]);
    expect(unread(dev, 'dirty')).toBe(1);
  });

  it('captures the tracked units and clears the tracker', () => {
    const dev = initialSource(bounds);
    dev.tracked = [false, true];
    dev.units = [1, 1];
    captureTracked(dev, 'final');
    expect(dev.final).toEqual([NONE, 1]);
    expect(dev.tracked).toEqual([false, false]);
  });

  it('counts the header as initial data', () => {
    const dev = initialSource(bounds);
    dev.header = true;
    captureImage(dev, 'initial');
    expect(unreadInitial(dev)).toBe(3);
  });
});

describe('the source under SET, read() and precopy_info', () => {
  it('opens a session with data_fd 3 on RUNNING->PRE_COPY and buffers the initial image (SAVE-1, PRECOPY-5)', () => {
    const { s, cfg } = fresh();
    const r = srcSet(s, 'PRE_COPY', cfg);
    expect(showSet('PRE_COPY', r)).toBe('SET_STATE(PRE_COPY) = 0, data_fd=3');
    expect(s.src.live).toBe(true);
    expect(precopyInfoResult(s.src, reference)).toEqual({ ok: true, initial: 2, dirty: 0, reinit: false });
  });

  it('answers ENOMSG at the pre-copy temporary end and 0 for ever at the STOP_COPY end (PRECOPY-11, DATA-7)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY', cfg);
    expect(drain(s, cfg)).toEqual(['[initial unit 0 v0]', '[initial unit 1 v0]', 'ENOMSG']);
    const r = srcSet(s, 'STOP_COPY', cfg);
    expect(r.ret).toBe('OK');
    expect(r.fd).toBeNull(); // the same session continues (SAVE-2)
    expect(drain(s, cfg)).toEqual(['[end]', '0']);
    expect(s.src.eof).toBe(true);
    expect(readResult(s.src, reference)).toEqual({ kind: 'eof' });
  });

  it('keeps unread initial data in the stream when the user switches to STOP_COPY early', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY', cfg);
    srcSet(s, 'STOP_COPY', cfg);
    expect(drain(s, cfg)).toEqual(['[initial unit 0 v0]', '[initial unit 1 v0]', '[end]', '0']);
  });

  it('captures a change made in PRE_COPY_P2P as dirty data (FSM-10)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY_P2P', cfg);
    expect(canDirty(s.src, 0, 2)).toBe(true);
    deviceDirty(s.src, 0, reference);
    expect(precopyInfoResult(s.src, reference)).toEqual({ ok: true, initial: 2, dirty: 1, reinit: false });
    srcSet(s, 'STOP_COPY', cfg);
    expect(drain(s, cfg)).toEqual(['[initial unit 0 v0]', '[initial unit 1 v0]', '[dirty unit 0 v1]', '[end]', '0']);
  });

  it('never lets a stopped device change (FSM-2)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'STOP', cfg);
    expect(canDirty(s.src, 0, 2)).toBe(false);
    srcSet(s, 'STOP_COPY', cfg);
    expect(canDirty(s.src, 1, 2)).toBe(false);
  });

  it('stops dirtying at the last version: no wrap-around', () => {
    const { s } = fresh();
    s.src.units[0] = 2;
    expect(canDirty(s.src, 0, 2)).toBe(false);
    expect(canDirty(s.src, 1, 2)).toBe(true);
  });

  it('fails read() and precopy_info with ENODEV once the session ended (SAVE-4)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY', cfg);
    srcSet(s, 'RUNNING', cfg);
    expect(s.src.live).toBe(false);
    expect(readResult(s.src, reference)).toEqual({ kind: 'errno', errno: 'ENODEV' });
    expect(precopyInfoResult(s.src, reference)).toEqual({ ok: false, errno: 'ENODEV' });
  });

  it('answers precopy_info with EINVAL in STOP_COPY (PRECOPY-2)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY', cfg);
    srcSet(s, 'STOP_COPY', cfg);
    expect(srcPrecopyInfo(s, cfg)).toEqual({ ok: false, errno: 'EINVAL' });
  });

  it('refuses STOP_COPY->PRE_COPY with EINVAL and keeps the session (FSM-11)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'STOP_COPY', cfg);
    const r = srcSet(s, 'PRE_COPY', cfg);
    expect(r.ret).toBe('EINVAL');
    expect(s.src.state).toBe('STOP_COPY');
    expect(s.src.live).toBe(true);
  });

  it('reports REINIT only after the opt-in, and counts the new data as dirty without it (REINIT-3, PRECOPY-5)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY', cfg);
    srcRead(s, cfg);
    expect(canReinit(s.src, reference)).toBe(true);
    deviceReinit(s.src, reference);
    expect(precopyInfoResult(s.src, reference)).toEqual({ ok: true, initial: 1, dirty: 2, reinit: false });

    const o = fresh();
    srcOptIn(o.s, o.cfg);
    srcSet(o.s, 'PRE_COPY', o.cfg);
    srcRead(o.s, o.cfg);
    deviceReinit(o.s.src, reference);
    expect(srcPrecopyInfo(o.s, o.cfg)).toEqual({ ok: true, initial: 2, dirty: 0, reinit: true });
    // Reported once: the next answer has no flag.
    expect(srcPrecopyInfo(o.s, o.cfg)).toEqual({ ok: true, initial: 2, dirty: 0, reinit: false });
    expect(canReinit(o.s.src, reference)).toBe(false); // once per session
  });

  it('refuses the opt-in without PRE_COPY (REINIT-4)', () => {
    const { s, cfg } = fresh(reference, 'P2P');
    expect(srcOptIn(s, cfg)).toBe('EINVAL');
    expect(s.src.optIn).toBe(false);
  });

  it('ends the session on RESET and forgets what the user drained (ERR-6)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'STOP_COPY', cfg);
    s.link.drained = true;
    srcReset(s, cfg);
    expect(s.src.state).toBe('RUNNING');
    expect(s.src.live).toBe(false);
    expect(s.link.drained).toBe(false);
  });

  it('makes new pre-copy data only inside precopy_info for mlx5-like, through an asynchronous SAVE (PRECOPY-15, DATA-10)', () => {
    const { s, cfg } = fresh(mlx5Like);
    srcSet(s, 'PRE_COPY', cfg);
    expect(drain(s, cfg)).toEqual(['[initial unit 0 v0]', '[initial unit 1 v0]', 'ENOMSG']);
    deviceDirty(s.src, 1, mlx5Like);
    expect(drain(s, cfg)).toEqual(['ENOMSG']);
    expect(srcPrecopyInfo(s, cfg)).toEqual({ ok: true, initial: 0, dirty: 1, reinit: false });
    // The SAVE the ioctl issued is in flight: a read waits for it.
    expect(s.src.pending).toBe(true);
    expect(drain(s, cfg)).toEqual(['EAGAIN']);
    saveDone(s.src, mlx5Like, false);
    expect(drain(s, cfg)).toEqual(['[dirty unit 1 v1]', 'ENOMSG']);
  });

  it('answers EAGAIN while mlx5-like\'s STOP_COPY save is in flight (DATA-10)', () => {
    const { s, cfg } = fresh(mlx5Like);
    srcSet(s, 'STOP_COPY', cfg);
    expect(readResult(s.src, mlx5Like)).toEqual({ kind: 'errno', errno: 'EAGAIN' });
    saveDone(s.src, mlx5Like, false);
    expect(s.src.pending).toBe(false);
    expect(drain(s, cfg)).toEqual(['[final unit 0 v0]', '[final unit 1 v0]', '[end]', '0']);
  });
});

describe('the destination', () => {
  it('blanks its units when a resuming session opens, then loads records in order (DATA-3, SET-6)', () => {
    const { s, cfg } = fresh();
    const r = dstSet(s, 'RESUMING', cfg);
    expect(showSet('RESUMING', r)).toBe('SET_STATE(RESUMING) = 0, data_fd=4');
    expect(s.dst.units).toEqual([NONE, NONE]);
    srcSet(s, 'STOP_COPY', cfg);
    for (;;) {
      const rr = srcRead(s, cfg);
      if (rr.kind !== 'data') break;
      expect(dstWrite(s)).toBe('ok');
    }
    expect(s.dst.units).toEqual([0, 0]);
    expect(s.dst.complete).toBe(true);
  });

  it('fails RESUMING->STOP on an incomplete stream when it detects that, and stays in RESUMING (DATA-5, COMB-5)', () => {
    const { s, cfg } = fresh();
    dstSet(s, 'RESUMING', cfg);
    expect(streamAccepted(s.dst, true)).toBe(false);
    const r = dstSet(s, 'RUNNING', cfg);
    expect(showSet('RUNNING', r)).toBe('SET_STATE(RUNNING) = -1 EIO (RESUMING->STOP: the stream is incomplete; device stays in RESUMING)');
    expect(s.dst.state).toBe('RESUMING');
  });

  it('accepts any prefix when it does not detect incomplete streams', () => {
    const cfg = migrationConfig({ detectIncomplete: 'no' });
    const s: MigrationState = { src: initialSource(cfg.bounds), dst: initialDestination(cfg.bounds), link: initialLink(), user: {}, hung: false, fds: [], lastSet: initialLastSet() };
    dstSet(s, 'RESUMING', cfg);
    const r = dstSet(s, 'STOP', cfg);
    expect(showSet('STOP', r)).toBe('SET_STATE(STOP) = 0 (RESUMING->STOP loaded [- -]; the source has [v0 v0])');
  });

  it('answers write() with ENODEV outside a resuming session', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'STOP_COPY', cfg);
    srcRead(s, cfg);
    s.dst.held = true;
    expect(dstWrite(s)).toBe('ENODEV');
    expect(s.link.kind).toBe('final'); // still buffered
  });
});

describe('the link: user obligations', () => {
  it('lets one destination session receive one source session from its first record only (DATA-2)', () => {
    const { s, cfg } = fresh();
    srcSet(s, 'PRE_COPY', cfg);
    srcRead(s, cfg);
    expect(mayForward(s.link)).toBe(true);
    dstSet(s, 'RESUMING', cfg);
    dstWrite(s);
    expect(s.link.paired).toBe(true);
    // A new destination session cannot pick the stream up in the middle.
    dstSet(s, 'STOP', { ...cfg, detectsIncomplete: false });
    dstSet(s, 'RESUMING', cfg);
    srcRead(s, cfg);
    expect(mayForward(s.link)).toBe(false);
    // A new source session drops what the user buffered and may start a fresh destination session.
    srcSet(s, 'RUNNING', cfg);
    srcSet(s, 'PRE_COPY', cfg);
    expect(s.link.kind).toBe('none');
    srcRead(s, cfg);
    expect(mayForward(s.link)).toBe(true);
  });

  it('counts a migration as completed only when the user drained the session and forwarded everything', () => {
    const { s, cfg } = fresh();
    dstSet(s, 'RESUMING', cfg);
    srcSet(s, 'STOP_COPY', cfg);
    for (;;) {
      const r = srcRead(s, cfg);
      if (r.kind === 'eof') s.link.drained = true;
      if (r.kind !== 'data') break;
      expect(userCompleted(s)).toBe(false);
      dstWrite(s);
    }
    expect(userCompleted(s)).toBe(true);
    // The source running again voids the drained stream.
    srcSet(s, 'RUNNING', cfg);
    expect(userCompleted(s)).toBe(false);
  });
});
