// Shared helpers for the report tests: run the CLI in-process and capture what it prints,
// and check a JUnit document against what CI consumers (Jenkins, GitLab, the JUnit XSD
// used by common GitHub actions) require of its structure, and a SARIF log against the
// official schema.

import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { main } from '../../checker/cli/main.js';
import { findAll, parseXml, type XmlElement } from './xml.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: readonly string[], io: { isTTY?: boolean; colorLevel?: 0 | 1 | 2 | 3 } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    isTTY: false,
    errIsTTY: false,
    colorLevel: 0,
    ...io,
  });
  return { code, out, err };
}

const int = (el: XmlElement, a: string): number => {
  const v = el.attrs[a];
  expect(v, `<${el.name}> needs ${a}`).toMatch(/^\d+$/);
  return Number(v);
};

/** Parses a JUnit document and checks its structure and counts; returns the root. */
export function expectValidJUnit(doc: string): XmlElement {
  expect(doc.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const root = parseXml(doc);
  expect(root.name).toBe('testsuites');
  const suites = root.children.filter((c) => c.name === 'testsuite');
  expect(suites.length).toBeGreaterThan(0);
  expect(root.children.every((c) => c.name === 'testsuite')).toBe(true);
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const s of suites) {
    expect(s.attrs.name, 'testsuite needs a name').toBeTruthy();
    expect(s.attrs.time).toMatch(/^\d+(\.\d+)?$/);
    for (const c of s.children) expect(['properties', 'testcase', 'system-out', 'system-err']).toContain(c.name);
    const cases = s.children.filter((c) => c.name === 'testcase');
    const n = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
    for (const c of cases) {
      expect(c.attrs.name, 'testcase needs a name').toBeTruthy();
      expect(c.attrs.classname, 'testcase needs a classname').toBeTruthy();
      expect(c.attrs.time).toMatch(/^\d+(\.\d+)?$/);
      const outcome = c.children.filter((x) => ['failure', 'error', 'skipped'].includes(x.name));
      expect(outcome.length, `testcase ${c.attrs.name} has at most one outcome`).toBeLessThanOrEqual(1);
      for (const o of outcome) {
        if (o.name !== 'skipped') expect(o.attrs.type, `<${o.name}> needs a type`).toBeTruthy();
        expect(o.attrs.message, `<${o.name}> needs a message`).toBeTruthy();
        n[o.name === 'failure' ? 'failures' : o.name === 'error' ? 'errors' : 'skipped']++;
      }
    }
    expect(int(s, 'tests')).toBe(n.tests);
    expect(int(s, 'failures')).toBe(n.failures);
    expect(int(s, 'errors')).toBe(n.errors);
    expect(int(s, 'skipped')).toBe(n.skipped);
    tests += n.tests;
    failures += n.failures;
    errors += n.errors;
    skipped += n.skipped;
  }
  expect(int(root, 'tests')).toBe(tests);
  expect(int(root, 'failures')).toBe(failures);
  expect(int(root, 'errors')).toBe(errors);
  expect(int(root, 'skipped')).toBe(skipped);
  return root;
}

export { findAll, parseXml };

/** The syntax of one GitHub workflow command line: `::level props::message`, props `k=v` separated by ','. */
export const ANNOTATION_LINE = /^::(error|warning|notice)(?: ([a-zA-Z]+=[^,:\r\n]*(?:,[a-zA-Z]+=[^,:\r\n]*)*))?::([^\r\n]*)$/;

/** The official SARIF 2.1.0 schema (OASIS, vendored in test/fixtures/sarif), compiled. */
export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync('test/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8')) as object;
  // CommonJS modules, loaded as such (their typings describe a default export).
  const require = createRequire(import.meta.url);
  interface Validator { compile(schema: object): ValidateFunction }
  const Ajv = (require('ajv-draft-04') as { default: new (o: object) => Validator }).default;
  const addFormats = (require('ajv-formats') as { default: (ajv: Validator) => void }).default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
