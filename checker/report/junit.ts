// JUnit XML, the test-report format CI systems read (Jenkins, GitLab, Azure DevOps, the
// common GitHub test-report actions): `<testsuites>` holding `<testsuite>`s holding
// `<testcase>`s, each either passing (empty), or carrying `<failure>`, `<error>` or
// `<skipped>`. One test case per invariant / action property / clause checked, so a CI
// dashboard lists every claim and shows the statement and the trace of the one that broke.
//
// The document is built from plain data (`JUnitSuite[]`) by `renderJUnit`, which escapes
// every string and drops characters XML 1.0 cannot carry. `formatJUnit` maps one `check`
// run onto that data. A run stops at the first violation, so the claims it did not get to
// prove are reported as skipped, not as passed.

import type { CheckResult } from '../result.js';
import { headline, statsLine, type RunInfo, type CheckedItem } from './text.js';
import { loopNote, plainTrace } from './plain.js';

export interface JUnitOutcome {
  /** Short text, shown by CI next to the test name. */
  message: string;
  /** Category, e.g. the violation kind or the clause level. */
  type?: string;
  /** The long text: statement, trace, command to reproduce. */
  text?: string;
}

export interface JUnitCase {
  name: string;
  /** Groups cases in CI views; conventionally dotted. */
  classname: string;
  /** Seconds. */
  time?: number;
  failure?: JUnitOutcome;
  error?: JUnitOutcome;
  skipped?: { message: string };
  systemOut?: string;
  properties?: Readonly<Record<string, string>>;
}

export interface JUnitSuite {
  name: string;
  cases: readonly JUnitCase[];
  time?: number;
  properties?: Readonly<Record<string, string>>;
  systemOut?: string;
}

/** Characters XML 1.0 allows: tab, newline, carriage return, and the rest above U+001F except the non-characters and lone surrogates. */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes character data. */
export function xmlText(s: string): string {
  return s.replace(XML_INVALID, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); newlines and tabs are kept as character references so parsers do not normalise them away. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const attrs = (a: Record<string, string | number | undefined>): string =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xmlAttr(typeof v === 'number' ? fmtTime(v) : v!)}"`)
    .join('');

const fmtTime = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3));

function propertiesXml(p: Readonly<Record<string, string>> | undefined, indent: string): string[] {
  if (!p || Object.keys(p).length === 0) return [];
  return [`${indent}<properties>`, ...Object.entries(p).map(([k, v]) => `${indent}  <property${attrs({ name: k, value: v })}/>`), `${indent}</properties>`];
}

function outcomeXml(tag: 'failure' | 'error', o: JUnitOutcome, indent: string): string {
  const a = attrs({ message: o.message, type: o.type ?? tag });
  return o.text ? `${indent}<${tag}${a}>${xmlText(o.text)}</${tag}>` : `${indent}<${tag}${a}/>`;
}

/** Counts as JUnit consumers expect them on a suite. */
export function junitCounts(cases: readonly JUnitCase[]): { tests: number; failures: number; errors: number; skipped: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure).length,
    errors: cases.filter((c) => !c.failure && c.error).length,
    skipped: cases.filter((c) => !c.failure && !c.error && c.skipped).length,
  };
}

/** The XML document for some suites. */
export function renderJUnit(suites: readonly JUnitSuite[], name = 'migcheck'): string {
  const all = suites.flatMap((s) => [...s.cases]);
  const total = junitCounts(all);
  const time = suites.reduce((t, s) => t + (s.time ?? 0), 0);
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites${attrs({ name, ...total, time })}>`);
  suites.forEach((s, id) => {
    lines.push(`  <testsuite${attrs({ name: s.name, ...junitCounts(s.cases), time: s.time ?? 0, id })}>`);
    lines.push(...propertiesXml(s.properties, '    '));
    for (const c of s.cases) {
      const head = `    <testcase${attrs({ name: c.name, classname: c.classname, time: c.time ?? 0 })}`;
      const body: string[] = [...propertiesXml(c.properties, '      ')];
      if (c.failure) body.push(outcomeXml('failure', c.failure, '      '));
      else if (c.error) body.push(outcomeXml('error', c.error, '      '));
      else if (c.skipped) body.push(`      <skipped${attrs({ message: c.skipped.message })}/>`);
      if (c.systemOut) body.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
      if (body.length === 0) lines.push(`${head}/>`);
      else lines.push(`${head}>`, ...body, '    </testcase>');
    }
    if (s.systemOut) lines.push(`    <system-out>${xmlText(s.systemOut)}</system-out>`);
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** What was checked in a run: from the run info, or (older callers) just the violated item. */
function checkedItems(info: RunInfo, r: CheckResult): CheckedItem[] {
  if (info.checks) return [...info.checks];
  const items: CheckedItem[] = [{ name: 'TypeOK', kind: 'TypeOK' }];
  if (r.status === 'violation' && r.violation.name !== 'TypeOK')
    items.push({ name: r.violation.name, kind: r.violation.kind === 'action-property' ? 'property' : r.violation.kind === 'deadlock' ? 'deadlock' : 'invariant', clause: r.violation.clause, level: r.violation.level, doc: r.violation.doc });
  return items;
}

/**
 * A test case's classname, the same shape for every command: `migcheck.COMMAND.PART...`
 * (e.g. migcheck.check.DieHard.invariant, migcheck.matrix.WORDING.DRIVER.USER). CI views
 * split classnames at dots into a tree, so dots and spaces inside a part become `_`.
 */
export function junitClassname(command: string, ...parts: readonly string[]): string {
  return ['migcheck', command, ...parts].map((p) => p.replace(/[.\s]+/g, '_') || '_').join('.');
}

const caseName = (c: CheckedItem): string => `${c.name}${c.clause ? ` [${c.clause}${c.level ? ` ${c.level}` : ''}]` : ''}`;

/** The JUnit document for one `check` run (`--format junit`). */
export function formatJUnit(info: RunInfo, r: CheckResult, exitCode: number): string {
  const items = checkedItems(info, r);
  const classname = (kind: string) => junitClassname('check', info.spec, kind);
  const time = r.stats.seconds;
  const traceText = (trace: Parameters<typeof plainTrace>[1]) => plainTrace(info.schema, trace).join('\n');
  const cases: JUnitCase[] = items.map((it) => {
    const c: JUnitCase = { name: caseName(it), classname: classname(it.kind) };
    const statement = it.doc ? `Statement: ${it.doc}\n` : '';
    switch (r.status) {
      case 'ok':
        return c;
      case 'violation': {
        const v = r.violation;
        const hit = v.name === it.name || (v.kind === 'deadlock' && it.kind === 'deadlock') || (v.kind === 'TypeOK' && it.kind === 'TypeOK');
        if (hit)
          return {
            ...c,
            failure: {
              message: headline(r),
              type: v.kind,
              text: `${statement}${v.message}\n\nTrace (${v.trace.length} states, shortest):\n${traceText(v.trace)}\n${loopNote(v.trace, v.loop) ? `  ${loopNote(v.trace, v.loop)}\n` : ''}\nReproduce: ${info.reproduce}\n`,
            },
          };
        return { ...c, skipped: { message: `not proved: the search stopped at the first violation (${v.name})` } };
      }
      case 'error': {
        const e = r.error;
        if (e.name === it.name || (e.name === undefined && it === items[0]))
          return { ...c, error: { message: `${headline(r)}: ${e.message}`, type: e.phase, text: `${e.message}\n${e.trace.length ? `\nReached by:\n${traceText(e.trace)}\n` : ''}\nReproduce: ${info.reproduce}\n` } };
        return { ...c, skipped: { message: 'not proved: the search stopped at an evaluation error' } };
      }
      case 'incomplete':
      case 'no-violation-found':
        return { ...c, skipped: { message: `not proved: ${headline(r)}` } };
    }
  });
  // An incomplete search has its own case, so a bound hit is never a silent pass.
  if (r.status === 'incomplete') {
    const c: JUnitCase = { name: 'Completeness', classname: classname('search') };
    cases.push(exitCode === 0 ? { ...c, skipped: { message: `${headline(r)} (allowed by --allow-incomplete)` } } : { ...c, failure: { message: headline(r), type: 'incomplete', text: `${statsLine(r.stats)}\n\nReproduce: ${info.reproduce}\n` } });
  }
  const properties: Record<string, string> = { status: r.status, exitCode: String(exitCode), reproduce: info.reproduce };
  for (const [k, v] of Object.entries(info.constants)) properties[`constant.${k}`] = String(v);
  return renderJUnit([{ name: info.spec, cases, time, properties, systemOut: `${statsLine(r.stats)}\n` }]);
}
