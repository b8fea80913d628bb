// --format sarif: every kind of outcome gives a log the official SARIF 2.1.0 schema
// (OASIS, vendored in test/fixtures/sarif) accepts, with results located at the
// definition of the violated claim in the spec file.

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCli, sarifValidator } from './helpers.js';

const validate = sarifValidator();

const DIE_HARD = 'specs/examples/die-hard.spec.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function valid(out: string): any {
  const doc = JSON.parse(out);
  const ok = validate(doc);
  expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
  return doc;
}

describe('--format sarif', () => {
  it('rejects a log that breaks the schema (the validator is live)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
  });

  it('a violation: a result at the invariant\'s line with the trace as a code flow', async () => {
    const r = await runCli(['check', DIE_HARD, '--format', 'sarif']);
    expect(r.code).toBe(12);
    const doc = valid(r.out);
    const run = doc.runs[0];
    expect(run.tool.driver.name).toBe('migcheck');
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['TypeOK', 'BigNotGoal', 'Deadlock']);
    expect(run.results).toHaveLength(1);
    const res = run.results[0];
    expect(res.ruleId).toBe('BigNotGoal');
    expect(res.level).toBe('error');
    const line = readFileSync(DIE_HARD, 'utf8').split('\n').findIndex((l) => /^\s*BigNotGoal:/.test(l)) + 1;
    expect(res.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: DIE_HARD, uriBaseId: '%SRCROOT%' }, region: { startLine: line } });
    expect(res.codeFlows[0].threadFlows[0].locations).toHaveLength(7);
    expect(run.invocations[0].exitCode).toBe(12);
  });

  it('a pass, an incomplete search and a liveness violation are valid too', async () => {
    const ok = await runCli(['check', DIE_HARD, '--goal', '6', '--format', 'sarif']);
    expect(ok.code).toBe(0);
    expect(valid(ok.out).runs[0].results).toEqual([]);
    const inc = await runCli(['check', DIE_HARD, '--goal', '6', '--max-depth', '3', '--format', 'sarif']);
    expect(inc.code).toBe(14);
    expect(valid(inc.out).runs[0].results[0].ruleId).toBe('Completeness');
    expect(valid(inc.out).runs[0].invocations[0].executionSuccessful).toBe(true); // a bound did as asked
    const live = await runCli(['check', 'specs/examples/lock-fairness.spec.ts', '--fairness', 'weak', '--format', 'sarif']);
    expect(live.code).toBe(13);
    expect(valid(live.out).runs[0].results[0].codeFlows[0].message.text).toMatch(/Lasso/);
  });

  it('names the spec file relative to the working directory also when given as an absolute path', async () => {
    const r = await runCli(['check', resolve(DIE_HARD), '--format', 'sarif']);
    expect(valid(r.out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(DIE_HARD);
  });
});

describe('--format sarif of a stopped run', () => {
  it('a search stopped by a signal did not run to completion', async () => {
    const { toSarif } = await import('../../checker/report/sarif.js');
    const stats = { generated: 1, transitions: 0, distinct: 1, depth: 1, queue: 1, seconds: 0 };
    const info = { spec: 'S', file: 's.spec.ts', relative: 's.spec.ts', constants: {}, schema: undefined, reproduce: 'npx migcheck check s.spec.ts', checks: [] };
    for (const [reason, ok] of [['terminated', false], ['interrupted', false], ['time-limit', true]] as const) {
      const doc = toSarif(info as never, { status: 'incomplete', reason, stats } as never, reason === 'time-limit' ? 15 : 143, '0.1.0') as { runs: { invocations: { executionSuccessful: boolean }[] }[] };
      expect(doc.runs[0].invocations[0].executionSuccessful, reason).toBe(ok);
    }
  });
});
