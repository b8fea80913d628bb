// `migcheck fsm` for CI: --format junit, github and sarif (schema-validated), and --out.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANNOTATION_LINE, expectValidJUnit, findAll, runCli, sarifValidator } from '../report/helpers.js';

const validate = sarifValidator();

const BROKEN = 'specs/vfio/tables/through-saving-group.json';

describe('migcheck fsm --format sarif', () => {
  it('the v6.2 kernel: one result per offending pair, the skip-loop hang under TERMINATION (KERN-1), valid SARIF', async () => {
    const r = await runCli(['fsm', '--kernel', 'v6.2', '--format', 'sarif']);
    expect(r.code).toBe(12);
    const doc = JSON.parse(r.out);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const run = doc.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('TERMINATION');
    const term = run.results.filter((x: { ruleId: string }) => x.ruleId === 'TERMINATION');
    expect(term.map((x: { locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }) => x.locations[0].logicalLocations[0].fullyQualifiedName).sort())
      .toEqual(['STOP_COPY|P2P|PRE_COPY/STOP_COPY->PRE_COPY', 'STOP_COPY|P2P|PRE_COPY/STOP_COPY->PRE_COPY_P2P', 'STOP_COPY|PRE_COPY/STOP_COPY->PRE_COPY']);
    expect(run.results.every((x: { ruleIndex: number; ruleId: string }) => run.tool.driver.rules[x.ruleIndex].id === x.ruleId)).toBe(true);
    expect(run.invocations[0]).toMatchObject({ exitCode: 12, executionSuccessful: true });
    expect(run.invocations[0].commandLine).toMatch(/migcheck fsm --kernel v6\.2$/);
  });

  it('the newest kernel: no results; a table file is the results\' location', async () => {
    const ok = JSON.parse((await runCli(['fsm', '--format', 'sarif'])).out);
    expect(validate(ok)).toBe(true);
    expect(ok.runs[0].results).toEqual([]);
    const bad = await runCli(['fsm', '--table', BROKEN, '--format', 'sarif']);
    expect(bad.code).toBe(12);
    const doc = JSON.parse(bad.out);
    expect(validate(doc)).toBe(true);
    expect(doc.runs[0].results.length).toBeGreaterThan(0);
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: BROKEN, uriBaseId: '%SRCROOT%' });
  });
});

describe('migcheck fsm --format junit and github', () => {
  it('junit: a suite per feature set, a case per rule; the v6.2 hang fails TERMINATION in the two PRE_COPY sets', async () => {
    const r = await runCli(['fsm', '--kernel', 'v6.2', '--format', 'junit']);
    expect(r.code).toBe(12);
    const root = expectValidJUnit(r.out);
    const suites = findAll(root, 'testsuite');
    expect(suites.length).toBe(4);
    const failing = findAll(root, 'testcase').filter((c) => findAll(c, 'failure').length > 0).map((c) => `${c.attrs.classname} ${c.attrs.name}`);
    expect(failing.filter((n) => n.includes('TERMINATION')).sort()).toEqual([
      'migcheck.fsm.STOP_COPY_P2P_PRE_COPY TERMINATION [KERN-1 IMPL]',
      'migcheck.fsm.STOP_COPY_PRE_COPY TERMINATION [KERN-1 IMPL]',
    ]);
    const ok = await runCli(['fsm', '--format', 'junit']);
    expect(ok.code).toBe(0);
    expect(findAll(expectValidJUnit(ok.out), 'failure')).toEqual([]);
  });

  it('github: one error per broken rule and feature set, a notice when all holds', async () => {
    const r = await runCli(['fsm', '--table', BROKEN, '--format', 'github']);
    expect(r.code).toBe(12);
    const lines = r.out.trim().split('\n');
    for (const l of lines) expect(l).toMatch(ANNOTATION_LINE);
    expect(lines.every((l) => l.startsWith(`::error file=${BROKEN},`))).toBe(true);
    const ok = await runCli(['fsm', '--format', 'github']);
    expect(ok.out.trim()).toMatch(/^::notice title=migcheck fsm%3A every rule holds::/);
  });
});

describe('migcheck fsm --out', () => {
  it('writes the report to the file, the summary to standard error, and names a bad path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsm-out-'));
    const file = join(dir, 'fsm.xml');
    const r = await runCli(['fsm', '--kernel', 'v6.2', '--format', 'junit', '--out', file]);
    expect([r.code, r.out]).toEqual([12, '']);
    expect(r.err).toMatch(/the table breaks TERMINATION/);
    expectValidJUnit(readFileSync(file, 'utf8'));
    const dirAsFile = await runCli(['fsm', '--out', dir]);
    expect(dirAsFile.code).toBe(150);
    expect(dirAsFile.err).toMatch(/--out .*is a directory/);
    const full = await runCli(['fsm', '--out', '/dev/full']);
    expect(full.code).toBe(74);
    expect(full.err).toMatch(/--out \/dev\/full: cannot write the report/);
  });

  it('an unknown format is named with its nearest', async () => {
    const r = await runCli(['fsm', '--format', 'sarf']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/did you mean 'sarif'/);
  });
});
