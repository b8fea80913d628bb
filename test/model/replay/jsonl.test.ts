import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseJsonl, toJsonl, showProblem } from '../../../model/replay/index.js';

const FIX = 'test/fixtures/replay';
const read = (f: string) => readFileSync(`${FIX}/${f}`, 'utf8');

describe('JSON-lines logs', () => {
  it('reads a two-sided migration, skipping comment lines, with each event\'s line', () => {
    const r = parseJsonl(read('jsonl-migration.jsonl'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.events).toHaveLength(17);
    expect(r.otherLines).toBe(1);
    expect(r.events[0]).toEqual({ device: '0000:17:00.1', side: 'source', call: 'open', fd: 23, line: 2 });
    expect(r.events.filter((e) => e.side === 'destination').map((e) => e.call)).toEqual(['open', 'set_state', 'write', 'write', 'set_state']);
  });

  it('reports every malformed line by number, with did-you-mean, and returns no events', () => {
    const r = parseJsonl(read('jsonl-malformed.jsonl'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msgs = r.problems.map((p) => showProblem('x.jsonl', p));
    expect(msgs).toHaveLength(6);
    expect(msgs[0]).toMatch(/^x\.jsonl:1: unknown key 'targt' for call set_state; did you mean 'target'\?/);
    expect(msgs[1]).toMatch(/^x\.jsonl:2: errno 'ENOMSGG' .*did you mean 'ENOMSG'\?/);
    expect(msgs[2]).toMatch(/^x\.jsonl:3: side 'sourc' .*did you mean 'source'\?/);
    expect(msgs[3]).toMatch(/^x\.jsonl:4: call 'set_sate' .*did you mean 'set_state'\?/);
    expect(msgs[4]).toMatch(/^x\.jsonl:5: 'errno' says the call failed, so 'bytes'/);
    expect(msgs[5]).toMatch(/^x\.jsonl:6: not JSON/);
  });

  it('reads the broken fixtures as the events they record', () => {
    const eof = parseJsonl(read('jsonl-broken-data-after-eof.jsonl'));
    expect(eof.ok && eof.events.map((e) => (e.call === 'read' ? e.bytes : e.call))).toEqual(['set_state', 4096, 0, 4096]);
    const fd = parseJsonl(read('jsonl-broken-second-fd.jsonl'));
    expect(fd.ok && fd.events.map((e) => (e.call === 'set_state' ? e.data_fd : null))).toEqual([45, 46]);
    const enomsg = parseJsonl(read('jsonl-broken-enomsg-in-stop-copy.jsonl'));
    expect(enomsg.ok && enomsg.events[1]).toMatchObject({ call: 'read', errno: 'ENOMSG' });
    const info = parseJsonl(read('jsonl-broken-info-in-stop-copy.jsonl'));
    expect(info.ok && info.events[2]).toMatchObject({ call: 'precopy_info', initial_bytes: 0, dirty_bytes: 0 });
  });

  it('writes what it reads', () => {
    const r = parseJsonl(read('jsonl-migration.jsonl'));
    if (!r.ok) throw new Error('fixture');
    const again = parseJsonl(toJsonl(r.events));
    expect(again.ok && again.events.map(({ line: _l, ...e }) => e)).toEqual(r.events.map(({ line: _l, ...e }) => e));
  });
});
