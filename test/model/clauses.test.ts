import { describe, it, expect } from 'vitest';
import { check, defineSpec, instantiate, model } from '../../checker/index.js';
import {
  CLAUSES, CLAUSE_CATALOGUE, CLAUSE_LEVELS, PARTIES, compileClause, severity, strength, clauseText, type ClauseContext,
} from '../../model/wording/clauses.js';
import { migrationConfig, migrationModel, migrationProperties } from '../../model/datapath/migration.js';
import { WORDINGS, WORDING_NAMES, loadWording, resolveWording, wording, type WordingProfile } from '../../model/wording/index.js';
import type { UapiCall } from '../../model/users/index.js';

const FIXTURES = 'test/model/fixtures/wordings';

function context(driver = 'reference'): ClauseContext {
  const opts = { driver, units: 1, history: true };
  const m = migrationModel(opts);
  const cfg = migrationConfig(opts);
  const actions = m.actions as Record<string, { call?: UapiCall }>;
  const callOf = (a: string) => actions[a]?.call;
  return { cfg, callOf, modelProperties: migrationProperties(cfg, callOf) as ClauseContext['modelProperties'] };
}

describe('the clause catalogue', () => {
  it('gives every clause a fact ID, a level, a party, a statement, a behaviour and a property', () => {
    for (const [key, c] of Object.entries(CLAUSE_CATALOGUE)) {
      expect(c.id, key).toMatch(/^[A-Z]+-\d+$/);
      expect(CLAUSE_LEVELS).toContain(c.level);
      expect(PARTIES).toContain(c.party);
      expect(c.statement.length, key).toBeGreaterThan(20);
      expect(c.behaviour.length, key).toBeGreaterThan(10);
      expect(c.property.name, key).toMatch(/^[A-Z][A-Za-z]+$/);
      // A clause that is a MAY in the merged text says how the permission reads.
      if (c.level === 'MAY') expect(c.permission, key).toBeTruthy();
    }
  });

  it('refers only to properties the migration model has, and compiles every clause against it', () => {
    const ctx = context();
    for (const [key, c] of Object.entries(CLAUSE_CATALOGUE)) {
      if ('model' in c.property) expect(Object.keys(ctx.modelProperties), key).toContain(c.property.model);
      const compiled = compileClause({ ...c, key }, ctx);
      expect(['invariant', 'property']).toContain(compiled.kind);
    }
  });

  it('checks a witness predicate P as never(P), so a state showing P is where the permission is exercised', () => {
    const ctx = context();
    const seen = compileClause({ key: 'W', property: { name: 'W', witnessState: () => (s) => s.src.state === 'PRE_COPY' } }, ctx);
    const spec = defineSpec({ name: 'witness', setup: () => model({ ...migrationModel({ units: 1, history: true }), invariants: { W: seen.check } } as never) });
    const r = check(instantiate(spec), { deadlock: false, temporal: false });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.name).toBe('W');
    expect(r.violation.trace.at(-1)!.label).toBe('src: SET_STATE(PRE_COPY) = 0, data_fd=3');
  });

  it('orders levels by how strongly they speak against a behaviour', () => {
    expect(CLAUSE_LEVELS.map(strength)).toEqual([3, 3, 2, 2, 0, 1]);
    expect(CLAUSE_LEVELS.map(severity)).toEqual(['hard', 'hard', 'soft', 'soft', 'permission', 'soft']);
    expect(clauseText(CLAUSES['PRECOPY-8'], 'MAY')).toBe(CLAUSES['PRECOPY-8'].permission);
    expect(clauseText(CLAUSES['PRECOPY-8'], 'SHOULD')).toBe(CLAUSES['PRECOPY-8'].statement);
  });
});

describe('the built-in wordings', () => {
  it('ship the four texts of the debate, each resolving to catalogue clauses', () => {
    expect(WORDING_NAMES).toEqual(['v7-draft-2022-03', 'v1-2022-11', 'v6.2', 'reinit-2026']);
    for (const n of WORDING_NAMES) {
      const w = wording(n);
      expect(w.clauses.length).toBeGreaterThan(5);
      for (const c of w.clauses) expect(CLAUSE_CATALOGUE[c.key]).toBeDefined();
    }
  });

  it('make the trailer sentence a SHOULD in the March 2022 draft and a permission in the merged text', () => {
    const level = (w: string, k: string) => wording(w).clauses.find((c) => c.key === k)?.level;
    expect(level('v7-draft-2022-03', 'PRECOPY-8')).toBe('SHOULD');
    expect(level('v6.2', 'PRECOPY-8')).toBe('MAY');
    // "mandatory" initial data: a MUST on the user in 2022, a permission to give up in v6.2.
    expect(level('v7-draft-2022-03', 'PRECOPY-4')).toBe('MUST');
    expect(level('v1-2022-11', 'PRECOPY-4')).toBe('MUST');
    expect(level('v6.2', 'PRECOPY-4')).toBe('MAY');
    // Leaving PRE_COPY before initial_bytes reaches zero: "a must" in V1, recommended against in v6.2.
    const v1 = wording('v1-2022-11').clauses.find((c) => c.key === 'PRECOPY-6')!;
    expect([v1.level, v1.party]).toEqual(['MUST', 'userspace']);
    expect(level('v6.2', 'PRECOPY-6')).toBe('REC');
    expect(level('v7-draft-2022-03', 'PRECOPY-6')).toBeUndefined();
  });

  it('build reinit-2026 on v6.2 with the REINIT clauses added', () => {
    const v62 = wording('v6.2').clauses.map((c) => c.key);
    const r = wording('reinit-2026');
    expect(r.clauses.map((c) => c.key)).toEqual([...v62, 'REINIT-3', 'REINIT-2']);
    expect(r.clauses.find((c) => c.key === 'REINIT-3')!.level).toBe('MUST NOT');
    expect(r.clauses.find((c) => c.key === 'PRECOPY-5')!.text).toContain('REINIT');
  });
});

describe('writing a wording profile', () => {
  it('loads a JSON profile that extends a built-in one, changes a level and drops a clause', async () => {
    const w = await loadWording(`${FIXTURES}/wording-strict-trailer.json`);
    expect(w.name).toBe('v7-strict-trailer');
    expect(w.file).toBe(`${FIXTURES}/wording-strict-trailer.json`);
    expect(w.clauses.find((c) => c.key === 'PRECOPY-8')!.level).toBe('MUST');
    expect(w.clauses.map((c) => c.key)).not.toContain('PRECOPY-4');
  });

  it('loads a TypeScript profile that defines a clause with its own check', async () => {
    const w = await loadWording(`${FIXTURES}/wording-own-clause.ts`);
    const own = w.clauses.find((c) => c.key === 'SIZE-LIMIT')!;
    expect([own.id, own.level, own.party]).toEqual(['SIZE-1', 'SHOULD', 'kernel/driver']);
    const compiled = compileClause(own, context('vgpu-framebuffer'));
    expect(compiled.kind).toBe('invariant');
  });

  it.each([
    ['a level that does not exist', `${FIXTURES}/wording-bad-level.json`, /clause DATA-9: expected one of MUST/],
    ['a clause the catalogue lacks, in JSON', `${FIXTURES}/wording-unknown-clause.json`, /clause DATA-99: not in the clause catalogue/],
    ['a missing file', `${FIXTURES}/nope.json`, /wording file not found/],
    ['an unknown built-in name', 'v9', /unknown wording 'v9'; known wordings: v7-draft-2022-03/],
  ])('rejects %s with a message naming it', async (_what, arg, message) => {
    await expect(loadWording(arg)).rejects.toThrow(message);
  });

  it('rejects cycles, unknown parents and dropping what is not there', () => {
    const byName = (ps: WordingProfile[]) => (n: string) => ps.find((p) => p.name === n);
    const a: WordingProfile = { name: 'a', doc: 'a', extends: 'b', clauses: { 'DATA-9': 'MUST' } };
    const b: WordingProfile = { name: 'b', doc: 'b', extends: 'a', clauses: { 'DATA-9': 'MUST' } };
    expect(() => resolveWording(a, byName([a, b]))).toThrow(/goes round in a circle \(a -> b -> a\)/);
    expect(() => resolveWording({ name: 'c', doc: 'c', extends: 'zz', clauses: {} }, byName(WORDINGS as WordingProfile[]))).toThrow(/extends unknown wording 'zz'/);
    expect(() => resolveWording({ name: 'd', doc: 'd', extends: 'v6.2', clauses: { 'REINIT-3': null } }, byName(WORDINGS as WordingProfile[]))).toThrow(/drops clause REINIT-3/);
    expect(() => resolveWording({ name: 'e', doc: 'e', clauses: { 'DATA-9': { level: 'MUST', party: 'userspace' } } }, () => undefined)).toThrow(/'party' cannot be changed for a catalogue clause/);
  });
});
