// Human-readable report of a check: a status line with counts, then for a violation the
// trace with each step's label and the variables that changed (or whole states with
// `full`), then the command that reproduces the run.

import type { ChalkInstance } from 'chalk';
import { leaves, show, type Schema } from '../schema.js';
import type { CheckResult, Progress, Stats, TraceStep } from '../result.js';
import type { ConstValue, Level } from '../spec.js';
import { coverageLines, neverFiredLines, simulationLine } from './coverage.js';

/** One claim a run checked (for reports that list every claim, e.g. JUnit). */
export interface CheckedItem {
  name: string;
  kind: 'TypeOK' | 'invariant' | 'property' | 'deadlock' | 'temporal';
  clause?: string;
  level?: Level;
  doc?: string;
}

export interface RunInfo {
  spec: string;
  /** The spec file as shown to the user (relative to the working directory when below it). */
  file?: string;
  /** The spec file relative to the working directory, `../` and all when it lies elsewhere (annotations, SARIF). */
  relative?: string;
  /** The spec file's text, to find the line where a property is defined (annotations, SARIF). */
  source?: string;
  constants: Readonly<Record<string, ConstValue>>;
  schema: Schema;
  /** The command line that reproduces this run. */
  reproduce: string;
  /** What was checked, in checking order (optional: reports fall back to what the result names). */
  checks?: readonly CheckedItem[];
  /** Show the coverage table (--coverage). */
  coverage?: boolean;
  /** Claims of the spec this run does not check (temporal properties under --simulate). */
  notChecked?: readonly string[];
}

/**
 * An integer with en-US digit grouping (`1,234,567`), as `toLocaleString('en-US')` writes it
 * but without Intl: its first call costs about 15 ms, which every run paid for its stats line.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

export function statsLine(s: Stats): string {
  // A rate over a few milliseconds is noise; show it once the run is long enough to mean something.
  const rate = s.seconds >= 1 ? `, ${formatCount(Math.round(s.distinct / s.seconds))} distinct/s` : '';
  return `${formatCount(s.distinct)} distinct states, ${formatCount(s.generated)} generated, depth ${s.depth}, ${s.seconds.toFixed(2)} s${rate}`;
}

export function constantsLine(c: Readonly<Record<string, ConstValue>>): string {
  const e = Object.entries(c);
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(' ') : '(no constants)';
}

/** The headline: what happened, in one line. */
export function headline(r: CheckResult): string {
  switch (r.status) {
    case 'ok':
      return 'No error found: every reachable state was explored';
    case 'violation': {
      const v = r.violation;
      const tag = v.clause ? ` [${v.clause}${v.level ? ` ${v.level}` : ''}]` : '';
      switch (v.kind) {
        case 'invariant': return `Invariant ${v.name} is violated${tag}`;
        case 'action-property': return `Action property ${v.name} is violated${tag}`;
        case 'deadlock': return 'Deadlock reached';
        case 'TypeOK': return 'TypeOK is violated: a value left its declared domain';
        case 'nondeterminism': return 'The spec is not deterministic: its trace does not replay';
        case 'liveness': return `Temporal property ${v.name} is violated${tag}`;
      }
      break;
    }
    case 'error': {
      const e = r.error;
      const act = e.action ? `action ${e.action}${e.param !== undefined ? `(${paramText(e.param)})` : ''}` : 'an action';
      switch (e.phase) {
        case 'enabled': return `The guard of ${act} threw`;
        case 'next': return `${cap(act)} threw while computing its next state`;
        case 'invariant': return `Invariant ${e.name ?? ''} threw`.replace('  ', ' ');
        case 'property': return `Action property ${e.name ?? ''} threw on a step of ${act}`.replace('  ', ' ');
        case 'terminal': return 'The terminal-state predicate threw';
        case 'constraint': return 'The state constraint threw';
        case 'view': return 'The view failed';
        case 'init': return 'An initial state could not be evaluated';
        case 'setup': return 'The spec\'s setup failed';
        case 'temporal': return `Temporal property ${e.name ?? ''} threw`.replace('  ', ' ');
      }
      break;
    }
    case 'no-violation-found':
      return 'No violation found by simulation: random walks sample the state space, this is not a proof';
    case 'incomplete':
      if (r.reason === 'interrupted' || r.reason === 'terminated') return `Search incomplete: stopped by ${r.reason === 'interrupted' ? 'SIGINT (Ctrl-C)' : 'SIGTERM'}; nothing was proved`;
      if (r.reason === 'disk-full') return `Search incomplete: the disk holding the spilled stores is full${r.detail ? ` (${r.detail})` : ''}; nothing was proved (free space, or give another directory with --spill-dir)`;
      return `Search incomplete: the ${r.reason === 'memory' ? 'memory budget' : r.reason === 'max-states' ? '--max-states bound' : r.reason === 'time-limit' ? '--time-limit' : '--max-depth bound'} was reached; nothing was proved`;
  }
  return '';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function paramText(p: unknown): string {
  return typeof p === 'string' ? p : show(p);
}

/** The live progress line shown on a terminal during long runs. */
/** The live progress figures, most important first (a narrow terminal shows the first ones; kit.ts progressDisplay). */
export function progressParts(p: Progress): string[] {
  const rate = p.seconds > 0 ? Math.round(p.distinct / p.seconds) : 0;
  return [`${formatCount(p.distinct)} states`, `${formatCount(p.generated)} generated`, `depth ${p.depth}`, `${p.seconds.toFixed(0)} s`, `queue ${formatCount(p.queue)}`, `${formatCount(rate)} states/s`];
}

export function progressLine(p: Progress): string {
  return progressParts(p).join(', ');
}

export function formatTrace(schema: Schema, trace: readonly TraceStep[], c: ChalkInstance, full = false): string[] {
  const out: string[] = [];
  const width = String(trace.length - 1).length;
  trace.forEach((st, i) => {
    out.push(`  ${c.dim(String(i).padStart(width))}  ${c.bold(st.label)}`);
    let ls: { path: string; value: unknown }[] = [];
    try {
      ls = leaves(schema, st.state);
    } catch {
      ls = [{ path: 'state', value: st.state }];
    }
    const shown = full || i === 0 ? ls : ls.filter((l) => st.changed.includes(l.path));
    const pad = ' '.repeat(width + 6);
    for (const l of shown) {
      const changed = i > 0 && st.changed.includes(l.path);
      const line = `${l.path} = ${show(l.value)}`;
      out.push(pad + (changed ? c.yellow(line) : c.dim(line)));
    }
    if (i > 0 && shown.length === 0) out.push(pad + c.dim('(no variable changed)'));
  });
  return out;
}

export function formatText(info: RunInfo, r: CheckResult, c: ChalkInstance, full = false): string {
  const lines: string[] = [];
  lines.push(`${c.bold('migcheck')} ${info.spec}${info.file ? c.dim(` (${info.file})`) : ''}  ${c.dim(constantsLine(info.constants))}`);
  const soft = r.status === 'incomplete' || r.status === 'no-violation-found';
  const mark = r.status === 'ok' ? c.green('✓') : r.status === 'no-violation-found' ? c.yellow('~') : soft ? c.yellow('?') : c.red('✗');
  const head = headline(r);
  lines.push(`${mark} ${r.status === 'ok' ? c.green(head) : soft ? c.yellow(head) : c.red(head)}`);
  lines.push(`  ${statsLine(r.stats)}${r.stats.queue ? `, ${formatCount(r.stats.queue)} left in queue` : ''}`);
  if (!r.stats.exactFingerprints && r.stats.collisionProbability > 0)
    lines.push(c.dim(`  fingerprint collision probability (optimistic): ${r.stats.collisionProbability.toExponential(1)}`));
  const sim = simulationLine(r);
  if (sim) lines.push(sim);
  if ((r.status === 'ok' || r.status === 'no-violation-found') && info.checks?.length)
    lines.push(c.dim(`  checked: ${info.checks.map((x) => x.name).join(', ')}`));
  if (info.notChecked?.length) lines.push(c.dim(`  not checked by simulation: ${info.notChecked.join(', ')} (temporal; run check without --simulate)`));
  lines.push(...neverFiredLines(r.coverage, c, r));
  if (r.status === 'violation') {
    const v = r.violation;
    if (v.doc) lines.push(`  ${c.italic(v.doc)}`);
    if (v.kind !== 'invariant' && v.kind !== 'deadlock') lines.push(`  ${v.message}`);
    lines.push('');
    lines.push(`Trace (${v.trace.length} state${v.trace.length === 1 ? '' : 's'}, ${v.loop === undefined ? (r.simulation ? 'a random walk' : 'shortest') : `a lasso: a cycle from state ${v.loop}`}):`);
    lines.push(...formatTrace(info.schema, v.trace, c, full));
    if (v.loop !== undefined)
      lines.push(c.bold(v.loop === v.trace.length - 1 ? `  ↺ stutters in state ${v.loop} for ever` : `  ↺ back to state ${v.loop}: the steps from state ${v.loop} repeat for ever`));
  } else if (r.status === 'error') {
    const e = r.error;
    lines.push(`  ${e.message}`);
    const frames = e.stack ? specFrames(e.stack) : [];
    if (frames.length) lines.push(c.dim(frames.map((f) => `    ${f}`).join('\n')));
    if (e.trace.length) {
      const n = e.trace.length;
      const what = e.phase === 'enabled' || e.phase === 'next' || e.phase === 'property' || e.phase === 'constraint'
        ? `the state in which ${e.action ?? 'the step'} was tried`
        : 'the state being evaluated';
      lines.push('');
      lines.push(`Trace to ${what} (${n} state${n === 1 ? '' : 's'}):`);
      lines.push(...formatTrace(info.schema, e.trace, c, full));
    }
  }
  if (info.coverage) lines.push(...coverageLines(r.coverage, c));
  if (r.status !== 'ok') {
    lines.push('');
    lines.push(`Reproduce: ${info.reproduce}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The spec's own frames of a stack (where in the spec the exception came from), without
 * the checker's, the CLI's or Node's: the frames above the first one inside the engine.
 */
export function specFrames(stack: string): string[] {
  const out: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const f = line.trim();
    if (!f.startsWith('at ')) continue;
    if (/[\\/]checker[\\/](explore|cli|store|report)[\\/]|node:internal|node_modules/.test(f)) break;
    out.push(f);
    if (out.length === 3) break;
  }
  return out;
}
