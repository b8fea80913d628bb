// migcheck's own traces as logs, and the round trips: a model trace's events exported to each
// format and read back give the events that format can carry.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import {
  parseTraceJson, parseItf, parseJsonl, parseStrace, parseQemuTrace, toJsonl, toStrace, toQemuTrace, detectFormat, parseLog,
  logFormatProblem, showEvent, type ReplayEvent, type Side,
} from '../../../model/replay/index.js';

const DIR = 'test/fixtures/replay/traces';
const read = (f: string) => readFileSync(`${DIR}/${f}`, 'utf8');
const JSON_TRACES = readdirSync(DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.itf.json'));
const eventsOf = (f: string): ReplayEvent[] => {
  const r = parseTraceJson(read(f));
  if (!r.ok) throw new Error(`${f}: ${r.problems.map((p) => p.message).join('; ')}`);
  return [...r.events];
};
const strip = (es: readonly ReplayEvent[]) => es.map(({ line: _l, note: _n, ...e }) => e);

describe('migcheck JSON and ITF traces as logs', () => {
  it.each(JSON_TRACES)('%s: every step is a call or a step a log cannot show', (f) => {
    const doc = JSON.parse(read(f)) as { trace: { action: string; label: string }[] };
    const r = parseTraceJson(read(f));
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
    const hidden = Object.values(r.informational).reduce((a, b) => a + b, 0);
    // One event per call step; QemuSaveSetup makes two calls in one step.
    const doubles = doc.trace.filter((s) => /; [A-Za-z_]+\(/.test(s.label)).length;
    expect(r.events.length).toBe(doc.trace.length - 1 - hidden + doubles);
    expect(r.events.every((e) => e.line! >= 1)).toBe(true);
  });

  it('reads the ENOMSG counterexample as SET_STATE(STOP_COPY) then the ENOMSG read', () => {
    expect(eventsOf('broken-enomsg-in-stop-copy.json').map(showEvent)).toEqual([
      'source src: SET_STATE(STOP_COPY) = 0, data_fd=3',
      'source src: read(3) = -1 ENOMSG',
    ]);
  });

  it('reads control-only traces as one device, and QEMU-like labels without their function names', () => {
    expect(eventsOf('fsm-broken-reset.json').map(showEvent)).toEqual(['source dev: SET_STATE(STOP_COPY) = 0, data_fd=3', 'source dev: RESET']);
    expect(eventsOf('fsm-broken-table.json')[0]).toMatchObject({ call: 'set_state', target: 'STOP', errno: 'EINVAL' });
    const q = eventsOf('broken-forgets-initial-qemu-like.json');
    expect(q.slice(0, 4).map(showEvent)).toEqual([
      'source src: DEVICE_FEATURE(SET, MIG_PRECOPY_INFOv2) = 0',
      'source src: DEVICE_FEATURE(GET, MIG_DATA_SIZE) = {stop_copy_length: 2}',
      'source src: SET_STATE(PRE_COPY) = 0, data_fd=3',
      'source src: PRECOPY_INFO(3) = {initial_bytes: 2, dirty_bytes: 0}',
    ]);
    expect(q.at(-1)).toMatchObject({ call: 'set_state', side: 'destination', target: 'RUNNING_P2P', data_fd: null });
  });

  it('gives the same events from the ITF trace as from the JSON report of the same run', () => {
    for (const name of ['broken-misses-p2p-dirty', 'fsm-broken-reset']) {
      const itf = parseItf(read(`${name}.itf.json`));
      if (!itf.ok) throw new Error('itf');
      expect(strip(itf.events)).toEqual(strip(eventsOf(`${name}.json`)));
    }
  });

  it('refuses a JSON document that is not a migcheck report, and a label it cannot read, by step', () => {
    const r = parseTraceJson('{"migcheck": 2, "trace": []}');
    expect(!r.ok && r.problems[0].message).toMatch(/not a migcheck JSON report/);
    const bad = parseTraceJson(JSON.stringify({ migcheck: 1, trace: [{ action: 'Init', label: 'Init' }, { action: 'SrcFly', label: 'src: FLY(3) = 0' }] }));
    expect(!bad.ok && bad.problems[0]).toEqual({ line: 1, message: "step 1 (SrcFly): 'FLY(3) = 0' is not a uAPI call migcheck knows" });
    const notJson = parseTraceJson('{\n  "migcheck": 1,\n  oops\n}');
    expect(!notJson.ok && notJson.problems[0].line).toBe(3);
  });
});

describe('round trips: model traces exported to each format and read back', () => {
  it.each(JSON_TRACES)('%s: JSON lines keep every event', (f) => {
    const es = eventsOf(f);
    const back = parseJsonl(toJsonl(es));
    expect(back.ok && strip(back.events)).toEqual(strip(es));
  });

  const FEATURE_CALLS = new Set(['set_state', 'get_state', 'data_size', 'opt_in', 'feature']);
  /** What strace can carry of an event: feature calls lose their kind and argument, precopy_info its answer, reads and writes keep counts and errnos. */
  const straceView = (e: ReplayEvent) => {
    const call = FEATURE_CALLS.has(e.call) ? 'feature' : e.call;
    const v: Record<string, unknown> = { device: e.device, side: e.side, call };
    if (e.errno) v.errno = e.errno;
    if ((e.call === 'read' || e.call === 'write') && !e.errno) v.bytes = e.bytes;
    return v;
  };
  it.each(JSON_TRACES)('%s: strace keeps what strace shows, per side', (f) => {
    const es = eventsOf(f);
    for (const side of ['source', 'destination'] as Side[]) {
      const mine = es.filter((e) => e.side === side);
      if (!mine.length) continue;
      const r = parseStrace(toStrace(es, side), { side });
      if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
      expect(r.events.map(straceView)).toEqual(mine.map(straceView));
    }
  });

  /** What QEMU 10's trace carries: reads that returned nothing are "0 or ENOMSG" unless QEMU traced the ENOMSG. */
  const qemuView = (e: ReplayEvent) => {
    const v: Record<string, unknown> = { device: e.device, side: e.side, call: e.call };
    if (e.errno) v.errno = e.errno;
    if (e.call === 'set_state') v.target = e.target;
    if (e.call === 'read' && !e.errno) v[e.bytes ? 'bytes' : 'empty'] = e.bytes || true;
    if (e.call === 'write' && !e.errno) v.bytes = e.bytes;
    if (e.call === 'precopy_info' && !e.errno) Object.assign(v, { initial_bytes: e.initial_bytes, dirty_bytes: e.dirty_bytes, reinit: e.reinit ?? false });
    if (e.call === 'data_size' && !e.errno) v.stop_copy_length = e.stop_copy_length;
    return v;
  };
  // Traces QEMU could have produced: only successful SETs (a failed one makes QEMU reset), calls QEMU makes.
  const qemuPossible = JSON_TRACES.filter((f) => {
    const es = eventsOf(f);
    return es.every((e) => !(e.call === 'set_state' && e.errno) && e.call !== 'reset' && e.call !== 'get_state' && e.device !== 'dev');
  });
  it('has QEMU-possible traces to round-trip', () => {
    expect(qemuPossible.length).toBeGreaterThanOrEqual(4);
  });
  it.each(qemuPossible)('%s: a QEMU 10 trace keeps what QEMU traces', (f) => {
    const es = eventsOf(f);
    const { text, lost } = toQemuTrace(es, { dialect: '10', prefix: { source: 100, destination: 200 } });
    const r = parseQemuTrace(text);
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
    const kept = es.filter((_e, i) => !lost.some((l) => l.index === i));
    expect(r.events.map(qemuView)).toEqual(kept.map(qemuView));
  });

  /** QEMU 9 shows even less: no ENOMSG, PRECOPY_INFO only through vfio_state_pending_exact (0/0 is no answer), MIG_DATA_SIZE beside it. */
  const qemu9View = (e: ReplayEvent) => {
    const v = qemuView(e);
    if (e.call === 'read' && e.errno === 'ENOMSG') return { device: e.device, side: e.side, call: 'read', empty: true };
    if (e.call === 'precopy_info' && !e.errno && !e.initial_bytes && !e.dirty_bytes) return { device: e.device, side: e.side, call: 'precopy_info' };
    if (e.call === 'precopy_info') delete v.reinit;
    return v;
  };
  it.each(qemuPossible)('%s: a QEMU 9 trace keeps what QEMU 9 traces', (f) => {
    const es = eventsOf(f);
    const { text, lost } = toQemuTrace(es, { dialect: '9' });
    const r = parseQemuTrace(text);
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
    const kept = es.filter((_e, i) => !lost.some((l) => l.index === i));
    const noSize = (x: ReplayEvent) => x.call !== 'data_size';
    expect(r.events.filter(noSize).map(qemu9View)).toEqual(kept.filter(noSize).map(qemu9View));
  });

  it('says which events a QEMU 9 trace cannot carry', () => {
    const es = eventsOf('broken-info-in-stop-copy.json');
    const { lost } = toQemuTrace(es, { dialect: '9' });
    expect(lost).toEqual([{ index: 1, why: 'QEMU 9 queries PRECOPY_INFO only in PRE_COPY states, not STOP_COPY' }]);
  });
});

describe('choosing a format', () => {
  it('recognises each format from its first line', () => {
    expect(detectFormat(read('broken-enomsg-in-stop-copy.json'))).toBe('json');
    expect(detectFormat(read('fsm-broken-reset.itf.json'))).toBe('itf');
    expect(detectFormat('# c\n{"device":"d","side":"source","call":"reset"}\n')).toBe('jsonl');
    expect(detectFormat('123@1.000001:vfio_save_block  (d) data_size 1\n')).toBe('qemu');
    expect(detectFormat('[pid  12] read(3, "", 1) = 0\n')).toBe('strace');
    expect(detectFormat('hello world\n')).toBeNull();
  });
  it('names an unknown format with a near one', () => {
    expect(logFormatProblem('strce')).toBe("'strce' is not a log format (known: qemu, strace, jsonl, json, itf); did you mean 'strace'?");
    expect(logFormatProblem('qemu')).toBeNull();
  });
  it('parses through one entry point', () => {
    const r = parseLog('jsonl', '{"device":"d","side":"source","call":"reset"}\n');
    expect(r.ok && r.events).toEqual([{ device: 'd', side: 'source', call: 'reset', line: 1 }]);
  });
});
