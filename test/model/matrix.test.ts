// The 2022 PRE_COPY debate, reproduced by actual runs of the wording matrix
// (../shared/vfio/wording-history.md, disputed points 1-3; docs/wording-lab.md).
import { describe, it, expect } from 'vitest';
import { check } from '../../checker/index.js';
import { checkPair, diffMatrices, findings, matrixExitCode, pairInstance, parseUserVariant, runMatrix, runMatrixAsync, type MatrixResult, type Row } from '../../model/wording/matrix.js';
import { wording } from '../../model/wording/index.js';

const DEBATE_DRIVERS = ['vgpu-framebuffer', 'static-header-like', 'mlx5-like'];
const MODEL = { units: 1, maxVersion: 1, features: 'all', reinit: false };

const cellOf = (m: MatrixResult, driver: string, user: string, key: string) => {
  const row = m.rows.find((r) => r.driver === driver && r.user === user);
  if (!row) throw new Error(`no row ${driver} / ${user}`);
  const cell = row.cells.find((c) => c.key === key);
  if (!cell) throw new Error(`no clause ${key} in ${m.wording.name}`);
  return cell;
};

describe('the March 2022 draft (v7-draft-2022-03)', () => {
  const m = runMatrix({ wording: wording('v7-draft-2022-03'), drivers: DEBATE_DRIVERS, users: ['qemu-like'], model: MODEL });

  it('is broken by the vGPU framebuffer driver on the trailer clause: precopy_info reported next to nothing, then a huge STOP_COPY', () => {
    const c = cellOf(m, 'vgpu-framebuffer', 'qemu-like', 'PRECOPY-8');
    expect([c.verdict, c.level, c.party]).toEqual(['violated', 'SHOULD', 'kernel/driver']);
    const labels = c.trace!.map((s) => s.label);
    expect(labels.some((l) => /^src: PRECOPY_INFO\(\d\) = \{initial_bytes: [01], dirty_bytes: 0\}/.test(l))).toBe(true);
    expect(labels.at(-1)).toMatch(/^src: SET_STATE\(STOP_COPY\) = 0/);
  });

  it('is kept by the tiny-state static-header driver and by the mlx5-like driver', () => {
    expect(cellOf(m, 'static-header-like', 'qemu-like', 'PRECOPY-8').verdict).toBe('holds');
    expect(cellOf(m, 'mlx5-like', 'qemu-like', 'PRECOPY-8').verdict).toBe('holds');
  });

  it('makes the legal PRE_COPY->RUNNING of a failed migration a user violation ("mandatory" initial data)', () => {
    const c = cellOf(m, 'mlx5-like', 'qemu-like', 'PRECOPY-4');
    expect([c.verdict, c.level, c.party]).toEqual(['violated', 'MUST', 'userspace']);
    expect(c.trace!.at(-1)!.label).toMatch(/^src: SET_STATE\(RUNNING\) = 0/);
  });
});

describe('the merged text (v6.2)', () => {
  const m = runMatrix({ wording: wording('v6.2'), drivers: DEBATE_DRIVERS, users: ['qemu-like'], model: MODEL });

  it('lets all three drivers conform: no MUST-level clause broken by a driver', () => {
    const driverHard = findings(m).filter((f) => f.kind === 'hard' && f.cell!.party === 'kernel/driver');
    expect(driverHard).toEqual([]);
    expect(m.rows.every((r) => r.status === 'complete')).toBe(true);
  });

  it('permits the large trailer: the vGPU driver exercises the PRECOPY-8 permission, the others do not need it', () => {
    expect(cellOf(m, 'vgpu-framebuffer', 'qemu-like', 'PRECOPY-8').verdict).toBe('exercised');
    expect(cellOf(m, 'static-header-like', 'qemu-like', 'PRECOPY-8').verdict).toBe('vacuous');
    expect(cellOf(m, 'mlx5-like', 'qemu-like', 'PRECOPY-8').verdict).toBe('vacuous');
  });

  it('still records the known SHOULD-level deviation of the static-header drivers (read() returns 0, not ENOMSG)', () => {
    const c = cellOf(m, 'static-header-like', 'qemu-like', 'PRECOPY-11');
    expect([c.verdict, c.level]).toEqual(['violated', 'SHOULD']);
    expect(c.trace!.at(-1)!.label).toMatch(/^src: read\(\d\) = 0/);
  });
});

describe('the November 2022 V1 text (v1-2022-11)', () => {
  const users = ['qemu-like', 'qemu-like+ack'];
  const v1 = runMatrix({ wording: wording('v1-2022-11'), drivers: ['mlx5-like'], users, model: MODEL });
  const v62 = runMatrix({ wording: wording('v6.2'), drivers: ['mlx5-like'], users, model: MODEL });

  it('is broken by QEMU without switchover-ack: it may switch to STOP_COPY with initial data unread', () => {
    const c = cellOf(v1, 'mlx5-like', 'qemu-like', 'PRECOPY-6');
    expect([c.verdict, c.level, c.party]).toEqual(['violated', 'MUST', 'userspace']);
    const labels = c.trace!.map((s) => s.label);
    expect(labels.some((l) => /initial_bytes: [1-9]/.test(l))).toBe(true);
    expect(labels.at(-1)).toMatch(/SET_STATE\(STOP_COPY\) = 0/);
    expect(matrixExitCode(v1)).toBe(12);
  });

  it('is kept by QEMU with switchover-ack, which waits for the initial data to be sent', () => {
    expect(cellOf(v1, 'mlx5-like', 'qemu-like+ack', 'PRECOPY-6').verdict).toBe('holds');
  });

  it('became a mere recommendation in v6.2: the same behaviour is a REC finding that fails only with --strict', () => {
    const c = cellOf(v62, 'mlx5-like', 'qemu-like', 'PRECOPY-6');
    expect([c.verdict, c.level]).toEqual(['violated', 'REC']);
    expect(findings(v62).filter((f) => f.kind === 'hard')).toEqual([]);
    expect(matrixExitCode(v62)).toBe(0);
    expect(matrixExitCode(v62, true)).toBe(10);
  });

  it('and --diff names exactly that behaviour, with the violation trace as witness', () => {
    const diffs = diffMatrices(v1, v62);
    const d = diffs.find((x) => x.key === 'PRECOPY-6' && x.user === 'qemu-like')!;
    expect(d).toBeDefined();
    expect([d.levelA, d.levelB, d.stricter]).toEqual(['MUST', 'REC', 'A']);
    expect(d.trace).toEqual(cellOf(v1, 'mlx5-like', 'qemu-like', 'PRECOPY-6').trace);
    // With switchover-ack the behaviour never shows, so there is nothing to tell apart.
    expect(diffs.some((x) => x.key === 'PRECOPY-6' && x.user === 'qemu-like+ack')).toBe(false);
  });
});

describe('how the matrix decides a pair', () => {
  const w = wording('v7-draft-2022-03');
  const row: Row = checkPair({ wording: w, model: MODEL }, 'vgpu-framebuffer', 'adversarial');

  it('runs one search per finding plus a last one that proves the rest', () => {
    const found = row.cells.filter((c) => c.verdict === 'violated' || c.verdict === 'exercised').length;
    expect(found).toBeGreaterThan(1);
    expect(row.runs).toBe(found + 1);
    expect(row.cells.filter((c) => c.verdict === 'holds' || c.verdict === 'vacuous').every((c) => c.run === row.runs)).toBe(true);
  });

  it('gives each violated clause a trace as short as a search for that clause alone', () => {
    const { inst } = pairInstance(w, 'vgpu-framebuffer', parseUserVariant('adversarial'), MODEL);
    for (const c of row.cells.filter((x) => x.verdict === 'violated')) {
      const alone = check(inst, { invariants: [c.key], deadlock: false, temporal: false });
      expect(alone.status).toBe('violation');
      if (alone.status === 'violation') expect(c.trace!.length, c.key).toBe(alone.violation.trace.length);
    }
  });

  it('leaves clauses undecided, never passed, when a bound stops the search', () => {
    const cut = checkPair({ wording: w, model: MODEL, maxStates: 5 }, 'reference', 'adversarial');
    expect(cut.status).toBe('incomplete');
    expect(cut.cells.some((c) => c.verdict === 'unknown')).toBe(true);
    expect(cut.cells.some((c) => c.verdict === 'holds')).toBe(false);
    const m: MatrixResult = { wording: w, clauses: w.clauses, rows: [cut], model: MODEL };
    expect(matrixExitCode(m)).toBe(14);
  });

  it('reads a user variant NAME+ack as switchover-ack on, and rejects unknown names and options', () => {
    expect(parseUserVariant('qemu-like+ack')).toEqual({ name: 'qemu-like', switchoverAck: true });
    expect(() => parseUserVariant('qemu-like+fast')).toThrow(/unknown option '\+fast'/);
    expect(() => parseUserVariant('libvirt')).toThrow(/unknown user 'libvirt'/);
  });
});

describe('a matrix stopped by a signal', () => {
  it('keeps the pairs checked before the signal, says so, and exits 130 / 143 rather than passing', async () => {
    const ctl = new AbortController();
    const o = { wording: wording('v6.2'), drivers: DEBATE_DRIVERS, users: ['qemu-like'], model: MODEL };
    const m = await runMatrixAsync({ ...o, onRow: () => ctl.abort('SIGINT') }, ctl.signal);
    expect(m.rows.length).toBe(1);
    expect(m.stopped).toEqual({ reason: 'interrupted', total: DEBATE_DRIVERS.length });
    expect(matrixExitCode(m)).toBe(130);
    const t = new AbortController();
    const n = await runMatrixAsync({ ...o, onRow: () => t.abort('SIGTERM') }, t.signal);
    expect(matrixExitCode(n)).toBe(143);
    // Not stopped: the same rows as the synchronous matrix.
    const full = await runMatrixAsync(o, new AbortController().signal);
    expect(full.stopped).toBeUndefined();
    expect(full.rows.map((r) => r.cells.map((c) => c.verdict))).toEqual(runMatrix(o).rows.map((r) => r.cells.map((c) => c.verdict)));
  });
});
