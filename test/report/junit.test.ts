import { describe, it, expect } from 'vitest';
import { renderJUnit, xmlAttr, xmlText } from '../../checker/report/junit.js';
import { expectValidJUnit, findAll, parseXml, runCli } from './helpers.js';
import { AWKWARD_DOC } from './fixtures/awkward.spec.js';

const DIE_HARD = 'specs/examples/die-hard.spec.ts';
const AWKWARD = 'test/report/fixtures/awkward.spec.ts';

describe('--format junit for check', () => {
  it('lists every checked claim and fails the violated one with its statement and trace', async () => {
    const r = await runCli(['check', DIE_HARD, '--format', 'junit']);
    expect(r.code).toBe(12);
    const root = expectValidJUnit(r.out);
    const cases = findAll(root, 'testcase');
    expect(cases.map((c) => c.attrs.name)).toEqual(['TypeOK', 'BigNotGoal', 'Deadlock']);
    const failed = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    expect(failed.map((c) => c.attrs.name)).toEqual(['BigNotGoal']);
    const failure = failed[0].children.find((x) => x.name === 'failure')!;
    expect(failure.attrs.type).toBe('invariant');
    expect(failure.text).toContain('Statement: the big jug never holds exactly 4 gallons');
    // The trace is there, in order, ending in the state that breaks the claim.
    const labels = [...failure.text.matchAll(/^ {2}\d+ {2}(\S+)$/gm)].map((m) => m[1]);
    expect(labels).toEqual(['Init', 'FillBig', 'BigToSmall', 'EmptySmall', 'BigToSmall', 'FillBig', 'BigToSmall']);
    expect(failure.text).toContain('Reproduce: npx migcheck check specs/examples/die-hard.spec.ts');
    // Claims the search did not finish proving are not reported as passed.
    for (const c of cases.filter((x) => x !== failed[0])) expect(c.children.map((x) => x.name)).toContain('skipped');
  });

  it('passes every claim when the search proves them all', async () => {
    const r = await runCli(['check', DIE_HARD, '--goal', '6', '--format', 'junit']);
    expect(r.code).toBe(0);
    const root = expectValidJUnit(r.out);
    expect(root.attrs.failures).toBe('0');
    expect(root.attrs.skipped).toBe('0');
    for (const c of findAll(root, 'testcase')) expect(c.children.filter((x) => x.name !== 'properties')).toEqual([]);
  });

  it('reports a bound that stopped the search as a failing Completeness case, skipped only when allowed', async () => {
    const strict = await runCli(['check', DIE_HARD, '--goal', '6', '--max-depth', '3', '--format', 'junit']);
    expect(strict.code).toBe(14);
    const root = expectValidJUnit(strict.out);
    const completeness = findAll(root, 'testcase').find((c) => c.attrs.name === 'Completeness')!;
    expect(completeness.children.map((x) => x.name)).toContain('failure');
    const allowed = await runCli(['check', DIE_HARD, '--goal', '6', '--max-depth', '3', '--allow-incomplete', '--format', 'junit']);
    expect(allowed.code).toBe(0);
    const c2 = findAll(expectValidJUnit(allowed.out), 'testcase').find((c) => c.attrs.name === 'Completeness')!;
    expect(c2.children.map((x) => x.name)).toEqual(['skipped']);
  });

  it('fails a temporal property with its lasso, and lists temporal properties as cases', async () => {
    const r = await runCli(['check', 'specs/examples/lock-fairness.spec.ts', '--fairness', 'weak', '--format', 'junit']);
    expect(r.code).toBe(13);
    const cases = findAll(expectValidJUnit(r.out), 'testcase');
    expect(cases.filter((c) => c.attrs.classname.endsWith('.temporal')).map((c) => c.attrs.name)).toEqual(['LockReleased', 'Process0GetsLock']);
    const failure = cases.find((c) => c.attrs.name === 'Process0GetsLock')!.children.find((x) => x.name === 'failure')!;
    expect(failure.attrs.type).toBe('liveness');
    expect(failure.text).toMatch(/repeat for ever|for ever/);
  });

  it('escapes markup, quotes and control characters so the document stays well formed', async () => {
    const r = await runCli(['check', AWKWARD, '--format', 'junit']);
    expect(r.code).toBe(12);
    const root = expectValidJUnit(r.out);
    expect(root.children[0].attrs.name).toBe('Awkward <&> "names"');
    const failed = findAll(root, 'testcase').find((c) => c.attrs.name === 'Quiet<&> [FIX-1 MUST]')!;
    const failure = failed.children.find((x) => x.name === 'failure')!;
    // What XML cannot carry (the BEL character) is replaced; everything else round-trips.
    expect(failure.text).toContain(`Statement: ${AWKWARD_DOC.replace('\u0007', '\ufffd')}`);
    expect(failure.text).toContain('dst: write(fd, "<0>") = -ENOMSG');
  });
});

describe('renderJUnit', () => {
  it('keeps newlines in attributes as character references and text intact', () => {
    const doc = renderJUnit([{ name: 's', cases: [{ name: "a\nb'\"", classname: 'c', failure: { message: 'm\r\n<x>', type: 't', text: ']]> & \ud800 end' } }] }]);
    const root = expectValidJUnit(doc);
    const tc = findAll(root, 'testcase')[0];
    expect(tc.attrs.name).toBe("a\nb'\"");
    const f = tc.children[0];
    expect(f.attrs.message).toBe('m\r\n<x>');
    expect(f.text).toBe(']]> & \ufffd end');
  });

  it('escapes each special character', () => {
    expect(xmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(xmlAttr(`"'\t`)).toBe('&quot;&apos;&#9;');
    expect(() => parseXml(`<a x="${xmlAttr('\u0000\u001f\uffff')}"/>`)).not.toThrow();
  });
});

describe('JUnit classnames', () => {
  it('have one shape for every command: migcheck.COMMAND.PART..., dots inside a part replaced', async () => {
    const { junitClassname } = await import('../../checker/report/junit.js');
    expect(junitClassname('check', 'My.Spec v2', 'invariant')).toBe('migcheck.check.My_Spec_v2.invariant');
    const r = await runCli(['check', 'specs/examples/die-hard.spec.ts', '--format', 'junit']);
    const names = findAll(expectValidJUnit(r.out), 'testcase').map((c) => c.attrs.classname);
    expect(names).toEqual(['migcheck.check.DieHard.TypeOK', 'migcheck.check.DieHard.invariant', 'migcheck.check.DieHard.deadlock']);
  });
});
