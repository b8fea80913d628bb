// Readings of an ambiguous clause (issue 10, item 8): PRECOPY-4's "mandatory" read as "before
// the session ends" and as "before a migration completes" (wording-history.md, point 1).
// The matrix with every reading as a column shows which reading breaks which pair.

import { describe, it, expect } from 'vitest';
import { main } from '../../checker/cli/main.js';
import { withReadings, CLAUSE_CATALOGUE } from '../../model/wording/clauses.js';
import { runMatrix, type MatrixResult } from '../../model/wording/matrix.js';
import { wording } from '../../model/wording/index.js';
import { defineWording, resolveWording } from '../../model/wording/profile.js';
import { repoRoot } from '../specs/discover.js';

const cell = (m: MatrixResult, driver: string, user: string, key: string) => {
  const c = m.rows.find((r) => r.driver === driver && r.user === user)?.cells.find((x) => x.key === key);
  if (!c) throw new Error(`no cell ${driver} / ${user} / ${key}`);
  return c;
};

describe('PRECOPY-4 under its two readings (the November 2022 "must" text)', () => {
  const w = wording('v1-2022-11');
  const m = runMatrix({ wording: { ...w, clauses: withReadings(w.clauses) }, drivers: ['reference', 'mlx5-like'], users: ['adversarial', 'qemu-like'], model: { units: 1, maxVersion: 1, features: 'all' } });

  it('has one column per reading, in place of the clause', () => {
    const keys = m.clauses.map((c) => c.key);
    expect(keys).toContain('PRECOPY-4/session');
    expect(keys).toContain('PRECOPY-4/migration');
    expect(keys).not.toContain('PRECOPY-4');
    expect(m.clauses.find((c) => c.key === 'PRECOPY-4/migration')!.level).toBe('MUST');
  });

  it('"before the session ends": a QEMU whose migration fails (PRE_COPY->RUNNING) breaks it', () => {
    const c = cell(m, 'reference', 'qemu-like', 'PRECOPY-4/session');
    expect([c.verdict, c.party]).toEqual(['violated', 'userspace']);
    expect(c.trace!.at(-1)!.label).toMatch(/^src: SET_STATE\(RUNNING\) = 0/);
  });

  it('"before a migration completes": QEMU keeps it with every driver', () => {
    expect(cell(m, 'reference', 'qemu-like', 'PRECOPY-4/migration').verdict).toBe('holds');
    expect(cell(m, 'mlx5-like', 'qemu-like', 'PRECOPY-4/migration').verdict).toBe('holds');
  });

  it('"before a migration completes": a user that completes the destination early breaks it where the destination accepts what it got', () => {
    const c = cell(m, 'mlx5-like', 'adversarial', 'PRECOPY-4/migration');
    expect([c.verdict, c.party]).toEqual(['violated', 'userspace']);
    expect(c.trace!.at(-1)!.label).toMatch(/^dst: SET_STATE\([A-Z_]+\) = 0 \(RESUMING->STOP loaded/);
    // The reference driver's destination rejects a stream without its end (DATA-5): no completion, no breach.
    expect(cell(m, 'reference', 'adversarial', 'PRECOPY-4/migration').verdict).toBe('holds');
  });
});

describe('a wording picks a reading', () => {
  const lookup = () => undefined;
  it('takes the reading\'s statement and check', () => {
    const w = resolveWording(defineWording({ name: 'mine', doc: 'a test wording', clauses: { 'PRECOPY-4': { level: 'MUST', reading: 'migration' } } }), lookup);
    expect(w.clauses[0].reading).toBe('migration');
    expect(w.clauses[0].property.name).toBe('InitialDataReadBeforeMigrationCompletes');
    expect(w.clauses[0].text).toBe(CLAUSE_CATALOGUE['PRECOPY-4'].readings!.migration.statement);
  });

  it('an unknown reading or key is an error with a did-you-mean', () => {
    expect(() => resolveWording(defineWording({ name: 'mine', doc: 'a test wording', clauses: { 'PRECOPY-4': { level: 'MUST', reading: 'migrations' } } }), lookup))
      .toThrow("wording mine: clause PRECOPY-4: unknown reading 'migrations'; did you mean 'migration'? (readings: session, migration)");
    expect(() => resolveWording(defineWording({ name: 'mine', doc: 'a test wording', clauses: { 'DATA-8': { level: 'MUST', reading: 'x' } } }), lookup))
      .toThrow('wording mine: clause DATA-8: has no readings to choose from');
    expect(() => resolveWording(defineWording({ name: 'mine', doc: 'a test wording', clauses: { 'DATA-8': { level: 'MUST', statment: 'x' } as never } }), lookup))
      .toThrow("wording mine: clause DATA-8: unknown key 'statment'; did you mean 'statement'?");
  });
});

describe('matrix --readings', () => {
  it('shows the readings as columns and repeats the option in the reproduce line', async () => {
    let out = '';
    const code = await main(['matrix', '--wording', 'v1-2022-11', '--readings', '--drivers', 'reference', '--users', 'qemu-like'], { out: (s) => { out += s; }, err: (s) => { out += s; }, isTTY: false, errIsTTY: false, colorLevel: 0, cwd: repoRoot });
    expect(code).toBe(12);
    expect(out).toMatch(/PRECOPY-4\/session +PRECOPY-4\/migration/);
    expect(out).toMatch(/Reproduce: .* --readings/);
  });
});
