// Rendering a wording matrix (model/wording/matrix.ts): a text table for terminals, Markdown for
// reviews and docs, JSON for tools, JUnit (one test case per clause and pair) and GitHub
// annotations for CI, and the per-cell trace files of `--traces DIR` (plain text within 72
// columns, and ITF). Rendering only: nothing here runs a search or decides an exit code.

import type { ChalkInstance } from 'chalk';
import {
  junitClassname, annotation, plainTrace, renderJUnit, toItf, wrapCommand, plainLines, formatCount,
  type AnnotationLevel, type JUnitCase, type JUnitSuite, type TraceStep,
} from '../../checker/index.js';
import { severity, strength, type Clause, type ClauseLevel, type Party } from './clauses.js';
import { findings, type Cell, type Difference, type MatrixResult, type Row } from './matrix.js';

export const MATRIX_FORMATS = ['text', 'json', 'junit', 'markdown', 'github'] as const;
export type MatrixFormat = (typeof MATRIX_FORMATS)[number];

/** What a report needs besides the result. */
export interface MatrixReportContext {
  readonly exitCode: number;
  readonly strict: boolean;
  /** The command line that reproduces the run. */
  readonly reproduce: string;
  /** Trace file (text) of each finding cell, by `traceKey`, when --traces wrote them. */
  readonly files?: ReadonlyMap<string, string>;
}

export const PARTY_SHORT: Readonly<Record<Party, string>> = { 'kernel/driver': 'driver', userspace: 'user' };

export const rowLabel = (r: Pick<Row, 'driver' | 'user'>): string => `${r.driver} / ${r.user}`;

/** A stable key for a cell: wording, pair and clause. */
export const traceKey = (wording: string, r: Pick<Row, 'driver' | 'user'>, key: string): string => `${wording}|${r.driver}|${r.user}|${key}`;

/** A file name for a cell's trace (without extension). */
export function traceFileBase(wording: string, r: Pick<Row, 'driver' | 'user'>, key: string): string {
  const safe = (s: string) => s.replace(/[^\w.+-]+/g, '_');
  return `${safe(wording)}--${safe(r.driver)}--${safe(r.user)}--${safe(key)}`;
}

/** The short text of a cell in the table. */
export function cellText(c: Cell): string {
  switch (c.verdict) {
    case 'holds': return 'holds';
    case 'violated': return `✗ ${c.level} ${PARTY_SHORT[c.party]}`;
    case 'exercised': return 'exercised';
    case 'vacuous': return 'vacuous';
    case 'unknown': return '?';
  }
}

const labels = (trace: readonly TraceStep[]): string[] => trace.map((s, i) => `${String(i).padStart(String(trace.length - 1).length)}  ${s.label}`);

function modelLine(m: MatrixResult): string {
  const o = m.model;
  return `units=${o.units ?? 2} max-version=${o.maxVersion ?? 1} features=${o.features ?? 'all'} reinit=${o.reinit ?? true}`;
}

function summary(m: MatrixResult): { hard: number; soft: number; vacuous: number; undecided: number; errors: number; runs: number; distinct: number; seconds: number } {
  const f = findings(m);
  return {
    hard: f.filter((x) => x.kind === 'hard').length,
    soft: f.filter((x) => x.kind === 'soft').length,
    vacuous: f.filter((x) => x.kind === 'vacuous').length,
    undecided: f.filter((x) => x.kind === 'undecided').length,
    errors: f.filter((x) => x.kind === 'error').length,
    runs: m.rows.reduce((n, r) => n + r.runs, 0),
    distinct: m.rows.reduce((n, r) => n + r.distinct, 0),
    seconds: m.rows.reduce((n, r) => n + r.seconds, 0),
  };
}

function summaryLine(m: MatrixResult): string {
  const s = summary(m);
  const parts = [
    `${m.rows.length} pair${m.rows.length === 1 ? '' : 's'} x ${m.clauses.length} clauses`,
    `${s.hard} MUST-level violation${s.hard === 1 ? '' : 's'}`,
    `${s.soft} SHOULD/REC finding${s.soft === 1 ? '' : 's'}`,
    `${s.vacuous} vacuous MAY`,
  ];
  if (s.undecided) parts.push(`${s.undecided} undecided (search incomplete)`);
  if (s.errors) parts.push(`${s.errors} pair${s.errors === 1 ? '' : 's'} in error`);
  return `${parts.join(', ')}; ${s.runs} searches, ${formatCount(s.distinct)} distinct states in the final runs, ${s.seconds.toFixed(1)} s`;
}

function exitMeaning(code: number, strict: boolean): string {
  switch (code) {
    case 0: return strict ? 'exit 0: no finding' : 'exit 0: no MUST-level violation (SHOULD/REC and vacuous findings fail only with --strict)';
    case 10: return 'exit 10: SHOULD/REC or vacuous findings (--strict)';
    case 12: return 'exit 12: a MUST-level clause is violated';
    case 14: return 'exit 14: a search stopped at a bound; some clauses are undecided';
    case 75: return 'exit 75: the model could not be evaluated for some pair';
    case 130: return 'exit 130: stopped by SIGINT before every pair was checked';
    case 143: return 'exit 143: stopped by SIGTERM before every pair was checked';
    default: return `exit ${code}`;
  }
}

// ---------------------------------------------------------------------------------------
// Text

/** A table with a header of several lines; columns padded to their widest cell. */
function table(head: string[][], body: string[][], paint: (text: string, row: number, col: number) => string = (t) => t): string[] {
  const cols = Math.max(...[...head, ...body].map((r) => r.length));
  const width = Array.from({ length: cols }, (_, i) => Math.max(...[...head, ...body].map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[], ri: number) =>
    r.map((cellTextValue, i) => {
      const pad = ' '.repeat(width[i] - [...cellTextValue].length);
      return (ri >= 0 ? paint(cellTextValue, ri, i) : cellTextValue) + pad;
    }).join('  ').replace(/\s+$/, '');
  return [...head.map((r) => line(r, -1)), ...body.map((r, i) => line(r, i))];
}

export function matrixTable(m: MatrixResult, color?: ChalkInstance): string[] {
  const head = [['driver / user', ...m.clauses.map((c) => c.key)], ['', ...m.clauses.map((c) => c.level)]];
  const body = m.rows.map((r) => [rowLabel(r), ...r.cells.map(cellText)]);
  const paint = (t: string, ri: number, ci: number) => {
    if (!color || ci === 0) return t;
    const c = m.rows[ri].cells[ci - 1];
    if (c.verdict === 'violated') return severity(c.level) === 'hard' ? color.red(t) : color.yellow(t);
    if (c.verdict === 'vacuous' || c.verdict === 'unknown') return color.yellow(t);
    if (c.verdict === 'exercised') return color.cyan(t);
    return color.green(t);
  };
  return table(head, body, paint);
}

function clauseLegend(clauses: readonly Clause[]): string[] {
  const out: string[] = [];
  for (const c of clauses) out.push(`  ${c.key}  ${c.level}, ${c.party}: ${c.text}`);
  return out;
}

export function formatMatrixText(m: MatrixResult, ctx: MatrixReportContext, color?: ChalkInstance): string {
  const b = (s: string) => (color ? color.bold(s) : s);
  const lines: string[] = [];
  lines.push(`${b('migcheck matrix')}  wording ${b(m.wording.name)}${m.wording.file ? ` (${m.wording.file})` : ''}  ${modelLine(m)}`);
  lines.push(`  ${m.wording.doc}`);
  if (m.stopped) lines.push(`  stopped (${m.stopped.reason}) after ${m.rows.length} of ${m.stopped.total} pairs: the table shows the pairs checked before the signal`);
  lines.push('');
  lines.push(...matrixTable(m, color));
  lines.push('');
  lines.push('Clauses:');
  lines.push(...clauseLegend(m.clauses));
  const f = findings(m);
  if (f.length) {
    lines.push('', 'Findings (each with its shortest trace):');
    for (const x of f) {
      const r = x.row;
      if (x.kind === 'error') {
        lines.push(`  ! ${rowLabel(r)}: the model could not be checked: ${r.note ?? ''}`);
        continue;
      }
      const c = x.cell!;
      const def = m.clauses.find((k) => k.key === c.key)!;
      if (x.kind === 'vacuous') {
        lines.push(`  ~ ${rowLabel(r)}: ${c.key} (MAY, ${c.party}) is vacuous: no explored state shows "${def.behaviour}"`);
        continue;
      }
      if (x.kind === 'undecided') {
        lines.push(`  ? ${rowLabel(r)}: ${c.key} undecided: ${r.note ?? 'search incomplete'}`);
        continue;
      }
      lines.push(`  ✗ ${rowLabel(r)}: ${c.key} ${c.level} broken by the ${c.party === 'userspace' ? 'user' : 'driver'} (${c.party}): ${def.behaviour}`);
      if (c.trace) lines.push(...labels(c.trace).map((l) => `      ${l}`));
      const file = ctx.files?.get(traceKey(m.wording.name, r, c.key));
      if (file) lines.push(`      trace: ${file} (and .itf.json)`);
    }
  }
  lines.push('', summaryLine(m), exitMeaning(ctx.exitCode, ctx.strict), `Reproduce: ${ctx.reproduce}`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// Markdown

const mdEscape = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownCell(c: Cell): string {
  switch (c.verdict) {
    case 'holds': return 'holds';
    case 'violated': return `**violated** (${c.level}, ${c.party})`;
    case 'exercised': return 'exercised';
    case 'vacuous': return '*vacuous*';
    case 'unknown': return '?';
  }
}

export function formatMatrixMarkdown(m: MatrixResult, ctx: MatrixReportContext): string {
  const lines: string[] = [];
  lines.push(`**Wording \`${m.wording.name}\`**: ${mdEscape(m.wording.doc)} (model: ${modelLine(m)})`, '');
  lines.push(`| driver / user | ${m.clauses.map((c) => `${c.key} (${c.level})`).join(' | ')} |`);
  lines.push(`|---|${m.clauses.map(() => '---').join('|')}|`);
  for (const r of m.rows) lines.push(`| ${mdEscape(rowLabel(r))} | ${r.cells.map(markdownCell).join(' | ')} |`);
  lines.push('', '| clause | level | binds | statement |', '|---|---|---|---|');
  for (const c of m.clauses) lines.push(`| ${c.key} | ${c.level} | ${c.party} | ${mdEscape(c.text)} |`);
  const f = findings(m).filter((x) => x.kind === 'hard' || x.kind === 'soft');
  if (f.length) {
    lines.push('', 'Violations, with their shortest traces:', '');
    for (const x of f) {
      const c = x.cell!;
      lines.push(`- ${mdEscape(rowLabel(x.row))}, ${c.key} ${c.level} (${c.party}):`, '', '  ```', ...labels(c.trace ?? []).map((l) => `  ${l}`), '  ```');
    }
  }
  lines.push('', `${summaryLine(m)}. ${exitMeaning(ctx.exitCode, ctx.strict)}.`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// JSON

export function matrixJson(m: MatrixResult, ctx: MatrixReportContext): Record<string, unknown> {
  return {
    migcheck: 1,
    command: 'matrix',
    wording: { name: m.wording.name, doc: m.wording.doc, source: m.wording.source, file: m.wording.file },
    model: m.model,
    clauses: m.clauses.map((c) => ({ key: c.key, id: c.id, level: c.level, party: c.party, statement: c.text, behaviour: c.behaviour })),
    rows: m.rows.map((r) => ({
      driver: r.driver,
      user: r.user,
      status: r.status,
      note: r.note,
      runs: r.runs,
      distinct: r.distinct,
      generated: r.generated,
      seconds: r.seconds,
      constants: r.constants,
      cells: r.cells.map((c) => ({
        key: c.key,
        verdict: c.verdict,
        level: c.level,
        party: c.party,
        run: c.run,
        trace: c.trace?.map((s, index) => ({ index, action: s.action, label: s.label, changed: s.changed })),
        file: ctx.files?.get(traceKey(m.wording.name, r, c.key)),
      })),
    })),
    summary: summary(m),
    ...(m.stopped ? { stopped: { reason: m.stopped.reason, pairs: m.rows.length, of: m.stopped.total } } : {}),
    exitCode: ctx.exitCode,
    strict: ctx.strict,
    reproduce: ctx.reproduce,
  };
}

// ---------------------------------------------------------------------------------------
// JUnit: a suite per pair, a case per clause

export function matrixJUnit(m: MatrixResult, ctx: MatrixReportContext): string {
  const suites: JUnitSuite[] = m.rows.map((r) => {
    const classname = junitClassname('matrix', m.wording.name, r.driver, r.user);
    const cases: JUnitCase[] = r.cells.map((c) => {
      const def = m.clauses.find((k) => k.key === c.key)!;
      const base: JUnitCase = { name: `${c.key} ${c.level} (${c.party})`, classname, properties: { verdict: c.verdict, level: c.level, party: c.party, clause: c.id } };
      const text = () =>
        `Statement: ${def.text}\nBehaviour: ${def.behaviour}\n\nTrace (${c.trace?.length ?? 0} states, shortest):\n${plainTrace(r.schema, c.trace ?? []).join('\n')}\n\nReproduce: ${ctx.reproduce}\n`;
      switch (c.verdict) {
        case 'holds':
          return base;
        case 'exercised':
          return { ...base, systemOut: `The permission is exercised:\n${labels(c.trace ?? []).join('\n')}\n` };
        case 'violated': {
          const hard = severity(c.level) === 'hard';
          if (hard || ctx.strict) return { ...base, failure: { message: `${c.key} (${c.level}, ${c.party}) is violated: ${def.behaviour}`, type: c.level, text: text() } };
          return { ...base, skipped: { message: `${c.level}-level finding, not failing without --strict: ${def.behaviour}` }, systemOut: text() };
        }
        case 'vacuous':
          if (ctx.strict) return { ...base, failure: { message: `${c.key} (MAY) is vacuous: no explored state shows: ${def.behaviour}`, type: 'vacuous' } };
          return { ...base, skipped: { message: `vacuous MAY clause (not failing without --strict): no explored state shows: ${def.behaviour}` } };
        case 'unknown':
          return { ...base, skipped: { message: `undecided: ${r.note ?? 'search incomplete'}` } };
      }
    });
    if (r.status !== 'complete') {
      const c: JUnitCase = { name: r.status === 'error' ? 'Evaluation' : 'Completeness', classname };
      cases.push(r.status === 'error' ? { ...c, error: { message: r.note ?? 'evaluation error', type: 'error' } } : { ...c, failure: { message: r.note ?? 'search incomplete', type: 'incomplete' } });
    }
    return {
      name: `${m.wording.name}: ${rowLabel(r)}`,
      cases,
      time: r.seconds,
      properties: { wording: m.wording.name, driver: r.driver, user: r.user, runs: String(r.runs), distinct: String(r.distinct) },
    };
  });
  return renderJUnit(suites, `migcheck matrix ${m.wording.name}`);
}

// ---------------------------------------------------------------------------------------
// GitHub annotations: one per finding

export function matrixGithub(m: MatrixResult, ctx: MatrixReportContext, file?: string): string {
  const out: string[] = [];
  for (const x of findings(m)) {
    const r = x.row;
    let level: AnnotationLevel;
    let title: string;
    let message: string;
    if (x.kind === 'error' || x.kind === 'undecided') {
      level = 'error';
      title = `migcheck matrix ${m.wording.name}: ${rowLabel(r)} ${x.kind === 'error' ? 'could not be checked' : `${x.cell!.key} undecided`}`;
      message = r.note ?? '';
    } else {
      const c = x.cell!;
      const def = m.clauses.find((k) => k.key === c.key)!;
      const hard = x.kind === 'hard';
      level = hard || ctx.strict ? 'error' : 'warning';
      title = x.kind === 'vacuous'
        ? `migcheck matrix ${m.wording.name}: ${c.key} (MAY) vacuous for ${rowLabel(r)}`
        : `migcheck matrix ${m.wording.name}: ${c.key} ${c.level} violated by ${rowLabel(r)} (${c.party})`;
      message = x.kind === 'vacuous'
        ? `No explored state shows the permitted behaviour: ${def.behaviour}`
        : `${def.text}\nBehaviour: ${def.behaviour}\n\nTrace:\n${labels(c.trace ?? []).join('\n')}\n\nReproduce: ${ctx.reproduce}`;
      const f = ctx.files?.get(traceKey(m.wording.name, r, c.key));
      if (f) message += `\nTrace file: ${f}`;
    }
    out.push(annotation({ level, title, file, message }));
  }
  if (out.length === 0) out.push(annotation({ level: 'notice', title: `migcheck matrix ${m.wording.name}`, file, message: summaryLine(m) }));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// Trace files

/** The text file of one cell's trace: ASCII within 72 columns, ready for a mailing list. */
export function traceFileText(m: MatrixResult, r: Row, c: Cell, reproduce: string): string {
  const def = m.clauses.find((k) => k.key === c.key)!;
  const head = [
    `migcheck matrix: wording ${m.wording.name}, ${rowLabel(r)}`,
    `${c.key} (${c.level}, ${c.party}) ${c.verdict === 'exercised' ? 'is exercised' : 'is violated'}`,
    `  Statement: ${def.text}`,
    `  Behaviour: ${def.behaviour}`,
    `  Model: ${Object.entries(r.constants).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    '',
    `Trace (${c.trace?.length ?? 0} states, shortest):`,
    ...plainTrace(r.schema, c.trace ?? []),
  ];
  return [...plainLines(head), '', 'Reproduce:', ...wrapCommand(reproduce)].join('\n') + '\n';
}

export function traceFileItf(m: MatrixResult, r: Row, c: Cell): string {
  const meta = { source: `migcheck matrix --wording ${m.wording.name}`, description: `${c.key} ${c.level} ${c.verdict}: ${rowLabel(r)}`, wording: m.wording.name, driver: r.driver, user: r.user, clause: c.key, level: c.level, party: c.party };
  return JSON.stringify(toItf(r.schema, c.trace ?? [], meta), null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------
// --diff

const levelName = (l: ClauseLevel | undefined) => l ?? 'silent';

export function describeStrength(l: ClauseLevel | undefined): string {
  switch (strength(l)) {
    case 3: return 'forbids';
    case 2: return 'discourages';
    case 1: return 'recommends against';
    default: return l === 'MAY' ? 'permits' : 'says nothing about';
  }
}

export function formatDiffText(a: MatrixResult, b: MatrixResult, diffs: readonly Difference[], reproduce: string, color?: ChalkInstance): string {
  const bold = (s: string) => (color ? color.bold(s) : s);
  const lines: string[] = [];
  lines.push(`${bold('migcheck matrix --diff')}  ${bold(a.wording.name)} vs ${bold(b.wording.name)}  ${modelLine(a)}`);
  lines.push(`  A = ${a.wording.name}: ${a.wording.doc}`);
  lines.push(`  B = ${b.wording.name}: ${b.wording.doc}`);
  lines.push('');
  if (diffs.length === 0) lines.push('No explored driver/user behaviour is judged differently by the two wordings.');
  else {
    const head = [['driver / user', 'clause', 'A', 'B', 'behaviour']];
    const body = diffs.map((d) => [rowLabel(d), d.key, levelName(d.levelA), levelName(d.levelB), d.behaviour]);
    lines.push(...table(head, body));
    lines.push('', 'Witness traces:');
    for (const d of diffs) {
      const stricter = d.stricter === 'A' ? a.wording.name : b.wording.name;
      const other = d.stricter === 'A' ? b.wording.name : a.wording.name;
      const ls = d.stricter === 'A' ? d.levelA : d.levelB;
      const lo = d.stricter === 'A' ? d.levelB : d.levelA;
      lines.push(`  ${rowLabel(d)}, ${d.key} (${d.party}): ${stricter} ${describeStrength(ls)} it (${levelName(ls)}), ${other} ${describeStrength(lo)} it (${levelName(lo)})`);
      lines.push(...labels(d.trace).map((l) => `      ${l}`));
    }
  }
  lines.push('', `${diffs.length} difference${diffs.length === 1 ? '' : 's'} over ${a.rows.length} pair${a.rows.length === 1 ? '' : 's'}`, `Reproduce: ${reproduce}`);
  return lines.join('\n') + '\n';
}

export function diffJson(a: MatrixResult, b: MatrixResult, diffs: readonly Difference[], exitCode: number, reproduce: string): Record<string, unknown> {
  return {
    migcheck: 1,
    command: 'matrix --diff',
    a: { name: a.wording.name, doc: a.wording.doc },
    b: { name: b.wording.name, doc: b.wording.doc },
    model: a.model,
    pairs: a.rows.map((r) => ({ driver: r.driver, user: r.user, statusA: r.status, statusB: b.rows.find((x) => x.driver === r.driver && x.user === r.user)?.status })),
    differences: diffs.map((d) => ({
      driver: d.driver, user: d.user, clause: d.key, id: d.id, party: d.party, behaviour: d.behaviour,
      levelA: d.levelA ?? null, levelB: d.levelB ?? null, stricter: d.stricter,
      trace: d.trace.map((s, index) => ({ index, action: s.action, label: s.label })),
    })),
    exitCode,
    reproduce,
  };
}

export function formatDiffMarkdown(a: MatrixResult, b: MatrixResult, diffs: readonly Difference[]): string {
  const lines: string[] = [`**\`${a.wording.name}\` (A) vs \`${b.wording.name}\` (B)** (model: ${modelLine(a)})`, ''];
  if (diffs.length === 0) return lines.concat('No explored behaviour is judged differently.', '').join('\n');
  lines.push('| driver / user | clause | A | B | behaviour |', '|---|---|---|---|---|');
  for (const d of diffs) lines.push(`| ${mdEscape(rowLabel(d))} | ${d.key} | ${levelName(d.levelA)} | ${levelName(d.levelB)} | ${mdEscape(d.behaviour)} |`);
  return lines.join('\n') + '\n';
}
