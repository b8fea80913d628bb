import { describe, it, expect } from 'vitest';
import { MERMAID_LINE, mermaidText, traceToSequence } from '../../checker/report/mermaid.js';
import type { TraceStep } from '../../checker/index.js';
import { runCli } from './helpers.js';

const step = (label: string): TraceStep => ({ action: 'A', label, state: {}, changed: [] });

describe('--format mermaid', () => {
  it('draws calls from the user to the participants named by label prefixes, with replies', async () => {
    const r = await runCli(['check', 'test/report/fixtures/awkward.spec.ts', '--format', 'mermaid']);
    expect(r.code).toBe(12);
    const body = r.out.split('\n');
    expect(body).toContain('sequenceDiagram');
    expect(body.filter((l) => l.trim().startsWith('participant'))).toEqual([
      '  participant user as user',
      '  participant src as src',
      '  participant dst as dst',
    ]);
    expect(body).toContain('  user->>+src: 1. SET_STATE(STOP_COPY#59; #35;1)');
    expect(body).toContain('  src-->>-user: 0');
    expect(body).toContain('  user->>+dst: 2. write(fd, "#lt;0#gt;")');
    expect(body).toContain('  dst-->>-user: -ENOMSG');
    // A step that is not a call is an event of its participant.
    expect(body.some((l) => l.startsWith('  Note over src: 3. device dirties unit'))).toBe(true);
    expect(body.filter((l) => l.startsWith('  Note over user,dst: VIOLATED: Invariant Quiet'))).toHaveLength(1);
  });

  it('falls back to one participant named after the spec when labels have no prefixes', async () => {
    const r = await runCli(['check', 'specs/examples/die-hard.spec.ts', '--format', 'mermaid']);
    const parts = r.out.split('\n').filter((l) => l.trim().startsWith('participant'));
    expect(parts).toEqual(['  participant DieHard as DieHard']);
    expect(r.out).toContain('  Note over DieHard: 6. BigToSmall');
  });

  it('puts participants that only have events of their own next to the caller', () => {
    const out = traceToSequence([step('Init'), step('src: SET_STATE(PRE_COPY) = 0'), step('qemu: switchover: stop the VM'), step('dst: write(4, [x]) = ok')]);
    expect(out.split('\n').filter((l) => l.includes('participant'))).toEqual([
      '  participant user as user',
      '  participant qemu as qemu',
      '  participant src as src',
      '  participant dst as dst',
    ]);
    expect(out).toContain('  Note over qemu: 2. switchover: stop the VM');
  });

  it('keeps every message on one line and escapes the characters Mermaid reads', () => {
    expect(mermaidText('a;b#c<d>\ne')).toBe('a#59;b#35;c#lt;d#gt; e');
    const out = traceToSequence([step('Init'), step('src: read(fd) = 0\n; x'), step('other: boom')], { aliases: { other: 'Other side' } });
    expect(out).toContain('  participant other as Other side');
    expect(out).toContain('  src-->>-user: 0 #59; x');
    for (const l of out.trimEnd().split('\n').slice(1)) expect(l).toMatch(/^ {2}(participant|Note over|\w+-)/);
  });

  it('names participants by their prefixes only: the checker knows no particular model', () => {
    const out = traceToSequence([step('Init'), step('src: f() = 0'), step('dst: g() = 1')]);
    expect(out).toContain('  participant src as src');
    expect(out).not.toMatch(/source|destination/);
  });

  it('breaks long notes into short lines and puts the title in the first note, so the diagram is not clipped', () => {
    const long = 'VIOLATED: ' + 'word '.repeat(40);
    const out = traceToSequence([step('Init')], { finalNote: long, title: 'a long title '.repeat(10) });
    const note = out.split('\n').find((l) => l.includes('VIOLATED'))!;
    const pieces = note.replace(/^ {2}Note over \w+: /, '').split('<br/>');
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(MERMAID_LINE);
    expect(pieces.join(' ')).toBe(long.trim());
    // No front-matter title (Mermaid does not count it in the viewBox).
    expect(out.startsWith('sequenceDiagram\n')).toBe(true);
    const first = out.split('\n')[2];
    expect(first).toMatch(/^ {2}Note over spec: a long title a long title/);
    for (const p of first.replace(/^ {2}Note over \w+: /, '').split('<br/>')) expect(p.length).toBeLessThanOrEqual(MERMAID_LINE);
  });
});
