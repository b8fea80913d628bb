// `migcheck fsm`, run in-process through main(argv, io).

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../checker/cli/main.js';
import { EXIT } from '../../checker/index.js';
import { FEATURE_SETS, mandatoryArcs, KERNEL_TABLE } from '../../model/index.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixture = JSON.parse(readFileSync(join(root, 'test/fixtures/kernel-fsm.json'), 'utf8')) as { paths: Record<string, Record<string, { result: string; path?: string[]; dataFd?: string }>> };
const broken = 'specs/vfio/tables/through-saving-group.json';

async function fsm(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['fsm', ...argv], {
    out: (s) => { out += s; },
    err: (s) => { err += s; },
    isTTY: false,
    errIsTTY: false,
    colorLevel: 0,
    cwd: root,
  });
  return { code, out, err };
}

describe('migcheck fsm', () => {
  it('prints every pair of every feature set, checks the kernel table and exits 0', async () => {
    const r = await fsm();
    expect(r.code).toBe(EXIT.OK);
    expect(r.err).toBe('');
    for (const f of FEATURE_SETS) expect(r.out).toContain(`\n${f}  (supports`);
    expect(r.out).toMatch(/RUNNING\s+-> STOP_COPY\s+ok\s+RUNNING > RUNNING_P2P > STOP > STOP_COPY   new data_fd \(STOP->STOP_COPY\)/);
    expect(r.out).toMatch(/STOP_COPY\s+-> PRE_COPY\s+EINVAL\s+STOP_COPY\n/);
    expect(r.out).toContain('The table obeys every rule.');
  });

  it('gives JSON that equals kernel-fsm.json on result, path and data_fd for every pair', async () => {
    const r = await fsm('--format', 'json');
    expect(r.code).toBe(EXIT.OK);
    const doc = JSON.parse(r.out) as typeof fixture.paths;
    expect(Object.keys(doc)).toEqual([...FEATURE_SETS]);
    for (const f of FEATURE_SETS) {
      expect(Object.keys(doc[f])).toEqual(Object.keys(fixture.paths[f]));
      for (const [pair, k] of Object.entries(fixture.paths[f]))
        expect({ pair, ...pick(doc[f][pair]) }).toEqual({ pair, ...pick(k) });
    }
  });

  it('accepts both feature-set forms and shows only that set', async () => {
    const a = await fsm('--features', 'P2P,PRE_COPY', '--format', 'json');
    const b = await fsm('--features', 'STOP_COPY|P2P|PRE_COPY', '--format', 'json');
    expect(Object.keys(JSON.parse(a.out))).toEqual(['STOP_COPY|P2P|PRE_COPY']);
    expect(a.out).toBe(b.out);
  });

  it('draws the mandatory arcs of the feature set as a dot graph', async () => {
    const r = await fsm('--features', 'P2P', '--format', 'dot');
    expect(r.code).toBe(EXIT.OK);
    expect(r.out.match(/^digraph /gm)).toHaveLength(1);
    const edges = [...r.out.matchAll(/^ {2}"(\w+)" -> "(\w+)"/gm)].map((m) => `${m[1]}->${m[2]}`);
    expect(edges.sort()).toEqual([...mandatoryArcs(KERNEL_TABLE, 'STOP_COPY|P2P')].sort());
    expect(r.out).toContain('"STOP" -> "STOP_COPY" [style=bold, label="new data_fd (save)"]');
    expect(r.out).toContain('"STOP_COPY" -> "STOP" [style=dashed, label="ends session"]');
  });

  it('exits 12 with the offending pairs when a table breaks a rule', async () => {
    const r = await fsm('--table', broken, '--features', 'PRE_COPY');
    expect(r.code).toBe(EXIT.VIOLATION);
    expect(r.out).toContain(`next-step table: ${broken}`);
    expect(r.out).toMatch(/✗ COMB-2 .*: 1 offending pair\n\s+STOP_COPY\|PRE_COPY {2}RUNNING->STOP: RUNNING > PRE_COPY > STOP_COPY > STOP enters or leaves the saving group 2 times/);
    expect(r.out).toMatch(/✗ COMB-1 /);
    expect(r.out).toMatch(/✓ FSM-11 /);
  });

  it('marks the offending pairs in JSON and names the broken rules on stderr', async () => {
    const r = await fsm('--table', broken, '--format', 'json');
    expect(r.code).toBe(EXIT.VIOLATION);
    const doc = JSON.parse(r.out) as Record<string, Record<string, { violates?: string[] }>>;
    expect(doc['STOP_COPY|PRE_COPY']['RUNNING->STOP'].violates).toEqual(['KERNEL', 'COMB-1', 'COMB-2', 'COMB-4']);
    expect(doc['STOP_COPY|PRE_COPY']['RUNNING->RESUMING'].violates).toBeUndefined();
    expect(r.err).toMatch(/^migcheck fsm: the table breaks KERNEL, FSM-12, COMB-1, COMB-2, COMB-4 /);
  });

  it('reports a walk that never ends as does-not-terminate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-fsm-cli-'));
    const t = JSON.parse(readFileSync(join(root, 'model/kernel/kernel-table.json'), 'utf8'));
    t.nextStep.RUNNING_P2P.STOP = 'RUNNING';
    writeFileSync(join(dir, 'cycle.json'), JSON.stringify(t));
    const r = await fsm('--table', join(dir, 'cycle.json'), '--features', 'P2P', '--format', 'json');
    expect(r.code).toBe(EXIT.VIOLATION);
    const doc = JSON.parse(r.out) as Record<string, Record<string, { result: string; cycle?: string[] }>>;
    expect(doc['STOP_COPY|P2P']['RUNNING->STOP']).toMatchObject({ result: 'does-not-terminate', cycle: ['RUNNING', 'RUNNING_P2P', 'RUNNING'] });
  });

  it('gives one line and exit 150 for a missing or malformed table, naming the file', async () => {
    const missing = await fsm('--table', 'no/such/table.json');
    expect(missing.code).toBe(EXIT.BAD_SPEC);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/^migcheck: .*no\/such\/table\.json: cannot read the table \(no such file\)\n$/);
    const dir = mkdtempSync(join(tmpdir(), 'migcheck-fsm-cli-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ nextStep: {}, stateFlags: {} }));
    const bad = await fsm('--table', join(dir, 'bad.json'));
    expect(bad.code).toBe(EXIT.BAD_SPEC);
    expect(bad.err).toMatch(/bad\.json: nextStep: missing entry for ERROR\n$/);
  });

  it('gives exit 150 for an unknown flag and exit 2 for an unknown format', async () => {
    const f = await fsm('--features', 'P2P,FAST');
    expect(f.code).toBe(EXIT.BAD_SPEC);
    expect(f.err).toMatch(/--features P2P,FAST: unknown migration flag 'FAST'/);
    const g = await fsm('--format', 'svg');
    expect(g.code).toBe(EXIT.USAGE);
    expect(g.err).toMatch(/--format: 'svg' is not one of text, json, dot/);
  });
});

function pick(o: { result: string; path?: string[]; dataFd?: string }) {
  return { result: o.result, path: o.path, dataFd: o.dataFd };
}
